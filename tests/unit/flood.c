/* The flooding virtio device of flood.h. */
#include "tests/unit/flood.h"

#include <string.h>

#include "boot/host/host.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"
#include "sim/vccw.h"

/* Every buffer on f->q used at once; what the driver sends on a transmit
 * queue (the odd ones, for net and console) is taken and dropped. */
static void flood_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct flood *f = ctx;
	struct vq_seg seg[8];
	struct vq_chain c = { .seg = seg, .cap = 8 };
	struct vqd *v;
	bool any = false;

	if (q != f->q && (q & 1) && (v = sim_vccw_vqd(d, q)) != NULL) {
		while (vqd_pop(v, &c) == 1)
			vqd_push(v, &c, 0);
		sim_vccw_queue_done(d, q);
	}
	v = sim_vccw_vqd(d, f->q);
	if (!v)
		return;
	do {
		while (vqd_pop(v, &c) == 1) {
			sim_vdev_copy(&c, true, 0, f->msg, f->len);
			vqd_push(v, &c, f->len);
			f->pushes++;
			any = true;
		}
	} while (!vqd_enable_notify(v));
	if (any)
		sim_vccw_queue_done(d, f->q);
}

bool flood_up(struct flood *f, unsigned id, unsigned nq)
{
	struct sim_dev_config dev;
	struct sim_vccw_config t;
	long schid;

	f->sim = drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, 8u << 20, true);
	if (!f->sim)
		return false;
	dev = unit_dev(0x0001);
	sim_vdev_default_transport(&t);
	f->model.device_id = id;
	f->model.nqueues = nq;
	f->model.queue_max = f->qmax;
	f->model.queue_notify = flood_notify;
	schid = sim_vccw_attach(f->sim, &dev, &t, &f->model, f, NULL);
	if (schid < 0)
		return false;
	f->schid = (u32)schid;
	return drvrig_bind(f->sim, &f->css);
}

void flood_down(struct flood *f)
{
	drvrig_close(&f->sim);
}
