/*
 * What the simulated virtio devices share: QEMU 7.2's transport defaults
 * and the chain helpers. The device types are in dev_blk.c, dev_net.c,
 * dev_con.c and dev_rng.c.
 */
#include <string.h>

#include "sim/vdev_priv.h"

void sim_vdev_default_transport(struct sim_vccw_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_revision = 2;
	cfg->transitional = true;
	cfg->version_1 = true;
	cfg->event_idx = true;
	cfg->indirect_desc = true;
	cfg->adapter = true;
	cfg->legacy_bits = true;
	cfg->ring_reset = true;
}

long sim_vdev_attach(struct sim *sim, const struct sim_dev_config *dev,
		     const struct sim_vccw_config *transport, const struct sim_virtio_model *model,
		     void *ctx, struct sim_vccw **out)
{
	struct sim_vccw_config cfg;

	if (transport)
		cfg = *transport;
	else
		sim_vdev_default_transport(&cfg);
	return sim_vccw_attach(sim, dev, &cfg, model, ctx, out);
}

void sim_vdev_put(u8 *p, unsigned n, u64 v, bool le)
{
	for (unsigned i = 0; i < n; i++)
		p[le ? i : n - 1 - i] = (u8)(v >> (8 * i));
}

u64 sim_vdev_get(const u8 *p, unsigned n, bool le)
{
	u64 v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[le ? n - 1 - i : i];
	return v;
}

u32 sim_vdev_copy(const struct vq_chain *c, bool write, u64 off, void *buf, u32 len)
{
	u32 done = 0;

	for (unsigned i = 0; i < c->nseg && done < len; i++) {
		const struct vq_seg *s = &c->seg[i];
		u32 n;

		if (s->write != write)
			continue;
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		n = (u32)MIN((u64)s->len - off, (u64)(len - done));
		if (write)
			memcpy((u8 *)s->ptr + off, (u8 *)buf + done, n);
		else
			memcpy((u8 *)buf + done, (const u8 *)s->ptr + off, n);
		done += n;
		off = 0;
	}
	return done;
}

void sim_vdev_serve(struct sim_vccw *d, unsigned q, sim_vdev_serve_fn fn, void *ctx)
{
	struct vqd *vqd = sim_vccw_vqd(d, q);
	struct vq_seg seg[SIM_VDEV_MAX_SEGS];
	struct vq_chain c;
	int rc;

	if (!vqd)
		return;
	c.seg = seg;
	c.cap = SIM_VDEV_MAX_SEGS;
	while ((rc = vqd_pop(vqd, &c)) == 1)
		vqd_push(vqd, &c, fn(ctx, &c));
	if (rc < 0)
		sim_vccw_needs_reset(d);
	sim_vccw_queue_done(d, q);
}

bool sim_vdev_modern(const struct sim_vccw *d)
{
	struct sim_vccw_state st;

	sim_vccw_get_state(d, &st);
	return (st.driver_features >> 32) & 1;
}
