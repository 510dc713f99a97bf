/*
 * The simulator's virtual clock and timers (sim/clock.c), devices that come
 * and go while the program runs (sim_announce, sim_detach), the channel
 * reports they make as the driver's layer reads them (css_process_crws),
 * and the generic virtio model (sim/dev_generic.c).
 */
#include <string.h>

#include "boot/host/host.h"
#include "ccw/css.h"
#include "ccw/vccw.h"
#include "sim/testdev.h"
#include "sim/vdev.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"

#define RIG_MEM (4u << 20)

static struct sim *machine(bool mss)
{
	return drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, RIG_MEM, mss);
}

/* --- Clock and timers ------------------------------------------------------ */

static unsigned fired[8], nfired;

static void record(void *ctx)
{
	fired[nfired++ % 8] = (unsigned)(uintptr_t)ctx;
}

static void rearm(void *ctx)
{
	struct sim *sim = ctx;

	record((void *)(uintptr_t)9);
	sim_timer_add(sim, sim_now_us(sim) + 10, record, (void *)(uintptr_t)10);
}

static void test_timers(void)
{
	struct sim *sim = machine(false);
	u64 at;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	nfired = 0;
	CU_ASSERT_EQUAL(sim_now_us(sim), 0);
	CU_ASSERT_FALSE(sim_next_timer(sim, &at));
	CU_ASSERT_EQUAL(sim_timer_add(sim, 300, record, (void *)3), 0);
	CU_ASSERT_EQUAL(sim_timer_add(sim, 100, record, (void *)1), 0);
	CU_ASSERT_EQUAL(sim_timer_add(sim, 100, record, (void *)2), 0);
	CU_ASSERT_EQUAL(sim_timer_add(sim, 200, record, (void *)4), 0);
	CU_ASSERT_TRUE(sim_next_timer(sim, &at));
	CU_ASSERT_EQUAL(at, 100);
	sim_timer_cancel(sim, record, (void *)4);
	sim_advance(sim, 99);
	CU_ASSERT_EQUAL(nfired, 0);
	/* Due together: in the order set; then the later one. */
	sim_advance(sim, 1000);
	CU_ASSERT_EQUAL(sim_now_us(sim), 1099);
	CU_ASSERT_EQUAL_FATAL(nfired, 3);
	CU_ASSERT_EQUAL(fired[0], 1);
	CU_ASSERT_EQUAL(fired[1], 2);
	CU_ASSERT_EQUAL(fired[2], 3);
	CU_ASSERT_FALSE(sim_next_timer(sim, &at));
	/* A callback may set another: it runs when its time comes. */
	nfired = 0;
	sim_timer_add(sim, sim_now_us(sim) + 5, rearm, sim);
	sim_advance(sim, 5);
	CU_ASSERT_EQUAL(nfired, 1);
	sim_advance(sim, 10);
	CU_ASSERT_EQUAL(nfired, 2);
	CU_ASSERT_EQUAL(fired[1], 10);
	sim_destroy(sim);
}

/* The host port's clock is the machine's: a wait with nothing to do jumps
 * to the next timer, not past it. */
static void test_port_waits_for_timers(void)
{
	struct sim *sim = machine(false);
	struct port_irq irq;
	u64 t0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	host_bind(sim);
	nfired = 0;
	t0 = port_now_us();
	sim_timer_add(sim, sim_now_us(sim) + 2000, record, (void *)7);
	CU_ASSERT_FALSE(port_wait_io(t0 + 5000, &irq));
	CU_ASSERT_EQUAL(nfired, 1);
	CU_ASSERT(port_now_us() - t0 >= 5000);
	drvrig_close(&sim);
}

/* --- Devices that come and go ----------------------------------------------- */

struct reports {
	u32 schid[8];
	bool present[8];
	unsigned n;
};

static void on_crw(void *ctx, u32 schid, bool present)
{
	struct reports *r = ctx;

	if (r->n < 8) {
		r->schid[r->n] = schid;
		r->present[r->n] = present;
	}
	r->n++;
}

/*
 * A device plugged into set 2 and unplugged, as QEMU does on device_add and
 * device_del: each makes a channel report the layer reads (chained with the
 * set once sets are visible); gone, its subchannel does not exist and its
 * number goes to the next device.
 */
static void test_plug_unplug(void)
{
	struct sim *sim = machine(true);
	struct reports rep = { 0 };
	struct schib schib;
	struct css css;
	long a, b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	CU_ASSERT_FATAL(drvrig_bind(sim, &css));
	CU_ASSERT_EQUAL_FATAL(css_enable_mss(&css), 0);
	css_set_crw_handler(&css, on_crw, &rep);
	CU_ASSERT_FALSE(sim_crw_pending(sim));
	CU_ASSERT_FALSE(port_wait_crw(port_now_us() + 1000));
	a = sim_testdev_attach(sim, 2, -1, 0x0042, NULL);
	CU_ASSERT_FATAL(a >= 0);
	CU_ASSERT_EQUAL(sim_announce(sim, (u32)a), 0);
	CU_ASSERT_TRUE(sim_crw_pending(sim));
	CU_ASSERT_TRUE(port_wait_crw(port_now_us() + 1000));
	CU_ASSERT_EQUAL(css_process_crws(&css), 2); /* a chained pair */
	CU_ASSERT_EQUAL_FATAL(rep.n, 1);
	CU_ASSERT_EQUAL(rep.schid[0], (u32)a);
	CU_ASSERT_TRUE(rep.present[0]);
	CU_ASSERT_EQUAL(css_stsch(&css, (u32)a, &schib), 0);
	CU_ASSERT_EQUAL(be16_to_cpu(schib.pmcw.devno), 0x0042);
	/* Gone: the report, then no subchannel. */
	CU_ASSERT_EQUAL(sim_detach(sim, (u32)a), 0);
	CU_ASSERT_EQUAL(sim_detach(sim, (u32)a), -1);
	CU_ASSERT_EQUAL(css_process_crws(&css), 2);
	CU_ASSERT_EQUAL_FATAL(rep.n, 2);
	CU_ASSERT_EQUAL(rep.schid[1], (u32)a);
	CU_ASSERT_FALSE(rep.present[1]);
	CU_ASSERT_EQUAL(css_stsch(&css, (u32)a, &schib), -VERR_NODEV);
	/* The number is free again. */
	b = sim_testdev_attach(sim, 2, -1, 0x0043, NULL);
	CU_ASSERT_EQUAL(b, a);
	drvrig_close(&sim);
}

/* --- The generic model ------------------------------------------------------------ */

/* An identity only: the id, features, queues and a configuration in the
 * negotiated byte order, of the length given. */
static void test_generic(void)
{
	static const u16 queues[3] = { 256, 256, 128 };
	static const struct sim_generic_field fields[] = { { 0, 4, 0x01020304 }, { 8, 2, 255 } };
	struct sim_generic_opts o = { .device_id = 8, .features = 0x6, .nqueues = 3,
				      .queue_max = queues, .config_len = 12, .fields = fields,
				      .nfields = 2 };
	struct sim_dev_config dev = { .schno = -1, .devno = 5 };
	struct sim_vccw_config t;
	struct sim *sim = machine(false);
	struct css css;
	struct vccw *v;
	u8 cfg[16];
	long schid;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	for (int rev = 0; rev <= 2; rev += 2) {
		sim_vdev_default_transport(&t);
		t.max_revision = rev;
		dev.devno = (u16)(5 + rev);
		schid = sim_vdev_generic(sim, &dev, &t, &o, NULL);
		CU_ASSERT_FATAL(schid >= 0);
		CU_ASSERT_FATAL(drvrig_bind(sim, &css));
		v = drvrig_transport();
		CU_ASSERT_FATAL(v != NULL);
		CU_ASSERT_EQUAL_FATAL(vccw_init(v, &css, (u32)schid, 8, NULL), 0);
		CU_ASSERT_EQUAL(v->vdev.offered & 0xFFFFFF, 0x6);
		CU_ASSERT_EQUAL(vccw_queue_max(v, 2), 128);
		CU_ASSERT_EQUAL(vccw_queue_max(v, 3), 0);
		CU_ASSERT_EQUAL_FATAL(v->vdev.ops->negotiate(&v->vdev, VIRTIO_RING_FEATURES), 0);
		CU_ASSERT_EQUAL(vccw_config_size(v), 12);
		CU_ASSERT_EQUAL_FATAL(vccw_config_dump(v, cfg, 12), 0);
		CU_ASSERT_EQUAL(memcmp(cfg, rev ? "\x04\x03\x02\x01\0\0\0\0\xff\0"
					     : "\x01\x02\x03\x04\0\0\0\0\0\xff", 10), 0);
	}
	/* A field outside the space is refused. */
	o.config_len = 8;
	CU_ASSERT(sim_vdev_generic(sim, &dev, NULL, &o, NULL) < 0);
	drvrig_close(&sim);
}

static CU_TestInfo sim_clock_tests[] = {
	{ "timers run in time order, together in the order set, once", test_timers },
	{ "a wait with nothing to do runs the timers on the way", test_port_waits_for_timers },
	{ "a device plugged in and out makes the reports, its number freed", test_plug_unplug },
	{ "the generic model: identity and configuration in either byte order", test_generic },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo sim_clock_suite = { "sim-clock", NULL, NULL, NULL, NULL, sim_clock_tests };
