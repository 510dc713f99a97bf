/*
 * The simulated virtio-ccw control unit driven by raw channel programs:
 * payloads and byte order of every command, revision rules, length rules,
 * feature negotiation, resets, queue setup in both layouts, the three kinds
 * of indicators with their interruptions, DIAGNOSE 0x500, and queues served
 * end to end through the device side of the rings.
 *
 * Expectations come from virtio 1.3 section 4.3 (SIM_PROFILE_ARCH) and from
 * QEMU's behaviour in reference/ccw-virtio-checklist.md B and
 * reference/platforms.md 12 (SIM_PROFILE_QEMU).
 */
#include <stdlib.h>
#include <string.h>

#include "ring/virtio.h"
#include "ring/vq.h"
#include "sim/vccw.h"
#include "tests/unit/simtest.h"
#include "tests/unit/unit.h"

#define TM_MAXQ	       80u
#define TM_CONFIG      12u
#define TM_DEVNO       0x1234u
/* A device-specific feature above the transport range, seen in word 1. */
#define TM_F_HIGH      50
/* Word 0 of the model's features (QEMU 7.2's virtio-blk, platforms 12.3). */
#define TM_F_LOW       0x00006E54u
#define TM_CONFIG_WORD 0x11223344u
#define EINVAL_RC      (-22)

enum outcome { OK, REJECT, PGM, IL, OTHER };

/* --- A configurable device model -------------------------------------------- */

struct tmodel {
	struct sim_virtio_model model;
	u16 qmax[TM_MAXQ];
	u8 written[TM_CONFIG]; /* what WRITE_CONF delivered */
	unsigned written_len;
	bool written_le;
	bool echo; /* serve chains by copying out-data to in-buffers */
	unsigned resets, notifies, faults, destroyed;
	unsigned last_queue;
};

/* Word TM_CONFIG_WORD at offset 0 in the device's byte order, then 0xA4.. */
static void tm_read_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	u8 c[TM_CONFIG];

	(void)ctx;
	for (unsigned i = 0; i < 4; i++)
		c[i] = (u8)(TM_CONFIG_WORD >> (8 * (le ? i : 3 - i)));
	for (unsigned i = 4; i < TM_CONFIG; i++)
		c[i] = (u8)(0xA0 + i);
	memcpy(buf, c, MIN(len, TM_CONFIG));
}

static void tm_write_config(void *ctx, const u8 *buf, unsigned len, bool le)
{
	struct tmodel *m = ctx;

	m->written_len = len;
	m->written_le = le;
	memcpy(m->written, buf, MIN(len, TM_CONFIG));
}

/* Copy the readable bytes of a chain into its writable buffers. */
static u32 echo(const struct vq_chain *c)
{
	u8 tmp[256];
	u32 n = 0, done = 0;

	for (unsigned i = 0; i < c->nseg; i++) {
		const struct vq_seg *s = &c->seg[i];
		u32 k;

		if (s->write)
			continue;
		k = MIN(s->len, (u32)sizeof(tmp) - n);
		memcpy(tmp + n, s->ptr, k);
		n += k;
	}
	for (unsigned i = 0; i < c->nseg && done < n; i++) {
		const struct vq_seg *s = &c->seg[i];
		u32 k;

		if (!s->write)
			continue;
		k = MIN(s->len, n - done);
		memcpy(s->ptr, tmp + done, k);
		done += k;
	}
	return done;
}

static void tm_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct tmodel *m = ctx;
	struct vqd *v = sim_vccw_vqd(d, q);
	struct vq_seg seg[8];
	struct vq_chain c;
	int rc = 0;

	m->notifies++;
	m->last_queue = q;
	if (!v || !m->echo)
		return;
	memset(&c, 0, sizeof(c));
	c.seg = seg;
	c.cap = ARRAY_SIZE(seg);
	for (unsigned n = 0; n < 64 && (rc = vqd_pop(v, &c)) == 1; n++)
		vqd_push(v, &c, echo(&c));
	if (rc < 0) {
		m->faults++;
		sim_vccw_needs_reset(d);
	}
	sim_vccw_queue_done(d, q);
}

static void tm_reset(void *ctx)
{
	((struct tmodel *)ctx)->resets++;
}

static void tm_destroy(void *ctx)
{
	((struct tmodel *)ctx)->destroyed++;
}

/* Three queues of 8, 4 and 0 entries unless nq says more (16 each). */
static void tm_init(struct tmodel *m, unsigned nq)
{
	memset(m, 0, sizeof(*m));
	m->qmax[0] = 8;
	m->qmax[1] = 4;
	m->qmax[2] = 0;
	for (unsigned q = 3; q < nq && q < TM_MAXQ; q++)
		m->qmax[q] = 16;
	m->echo = true;
	m->model.device_id = VIRTIO_ID_BLOCK;
	/* RING_RESET from the model must never be offered on CCW (B.8). */
	m->model.features = TM_F_LOW | VIRTIO_BIT(TM_F_HIGH) | VIRTIO_BIT(VIRTIO_F_RING_RESET);
	m->model.nqueues = nq;
	m->model.queue_max = m->qmax;
	m->model.config_len = TM_CONFIG;
	m->model.read_config = tm_read_config;
	m->model.write_config = tm_write_config;
	m->model.queue_notify = tm_notify;
	m->model.reset = tm_reset;
	m->model.destroy = tm_destroy;
}

/* QEMU 7.2's transport (revision 2, transitional, INDIRECT_DESC and
 * EVENT_IDX, adapter indicators, legacy bits) without RING_RESET, which
 * these tests' rings do not take. */
static void default_cfg(struct sim_vccw_config *c)
{
	sim_vdev_default_transport(c);
	c->ring_reset = false;
}

/* --- The rig: a machine, the test device at 0.0.0000, ours at 0.0.0001 ----- */

struct rig {
	struct simtest t;
	struct tmodel m;
	struct sim_vccw *dev;
	struct sim *sim;
	u32 schid;
	u64 prog, orb, irb, data;
	struct irb last;
};

static void rig_open_with(struct rig *r, enum sim_profile p, const struct sim_vccw_config *cfg,
			  unsigned nq)
{
	struct sim_dev_config dc;
	long schid;

	memset(r, 0, sizeof(*r));
	CU_ASSERT_FATAL(simtest_init(&r->t, p, SIM_COMPLETE_SYNC));
	r->sim = r->t.sim;
	tm_init(&r->m, nq);
	memset(&dc, 0, sizeof(dc));
	dc.ssid = 0;
	dc.schno = -1;
	dc.devno = TM_DEVNO;
	schid = sim_vccw_attach(r->sim, &dc, cfg, &r->m.model, &r->m, &r->dev);
	CU_ASSERT_FATAL(schid >= 0);
	r->schid = (u32)schid;
	simtest_enable(&r->t, r->schid, 3);
	r->prog = simtest_alloc(&r->t, 64, 8);
	r->orb = simtest_alloc(&r->t, sizeof(struct orb), 8);
	r->irb = simtest_alloc(&r->t, sizeof(struct irb), 8);
	r->data = simtest_alloc(&r->t, 4096, 4096);
}

static void rig_open(struct rig *r, enum sim_profile p)
{
	struct sim_vccw_config cfg;

	default_cfg(&cfg);
	rig_open_with(r, p, &cfg, 3);
}

static void rig_close(struct rig *r)
{
	simtest_fini(&r->t);
	CU_ASSERT_EQUAL(r->m.destroyed, 1);
}

static bool arch(const struct rig *r)
{
	return sim_profile(r->sim) == SIM_PROFILE_ARCH;
}

/* A length or content error: program check in qemu, the arch answer given. */
static enum outcome qemu_pgm_else(const struct rig *r, enum outcome a)
{
	return arch(r) ? a : PGM;
}

static u8 *gp(struct rig *r, u64 addr, u64 len)
{
	return simtest_ptr(&r->t, addr, len);
}

static void drain(struct rig *r)
{
	struct sim_io_int i;

	for (unsigned n = 0; n < 4096 && sim_take_io_interrupt(r->sim, &i); n++)
		;
}

/* Run one format-1 CCW; the outcome from the IRB (kept in r->last). */
static enum outcome run(struct rig *r, u8 cmd, u8 flags, u16 count, u64 cda)
{
	struct orb *o = (struct orb *)gp(r, r->orb, sizeof(*o));
	u8 dstat, cstat;

	simtest_ccw1(&r->t, r->prog, 0, cmd, flags, count, (u32)cda);
	memset(o, 0, sizeof(*o));
	o->intparm = cpu_to_be32(0xC0DE0000u | cmd);
	o->ctrl = cpu_to_be32(SIMTEST_ORB_FMT1);
	o->cpa = cpu_to_be32((u32)r->prog);
	CU_ASSERT_EQUAL_FATAL(sim_ssch(r->sim, r->schid, r->orb), 0);
	CU_ASSERT_EQUAL_FATAL(sim_tsch(r->sim, r->schid, r->irb), 0);
	memcpy(&r->last, gp(r, r->irb, sizeof(r->last)), sizeof(r->last));
	/* QEMU leaves polled interruptions queued (platforms 13, item 1). */
	drain(r);
	dstat = r->last.scsw.dstat;
	cstat = r->last.scsw.cstat;
	if (cstat & SCSW_CSTAT_PROG_CHECK)
		return PGM;
	if (cstat & SCSW_CSTAT_INCORR_LEN)
		return IL;
	if (dstat & SCSW_DSTAT_UNIT_CHECK)
		return REJECT;
	if (dstat == SIMTEST_CEDE && !cstat)
		return OK;
	return OTHER;
}

static u16 residual(const struct rig *r)
{
	return irb_count(&r->last);
}

static struct sim_vccw_state state(const struct rig *r)
{
	struct sim_vccw_state s;

	sim_vccw_get_state(r->dev, &s);
	return s;
}

/* --- Commands with their payload at r->data ------------------------------------ */

static enum outcome set_rev(struct rig *r, u16 rev)
{
	struct vccw_rev v = { cpu_to_be16(rev), cpu_to_be16(0) };

	memcpy(gp(r, r->data, sizeof(v)), &v, sizeof(v));
	return run(r, VCCW_CMD_SET_VIRTIO_REV, 0, sizeof(v), r->data);
}

static enum outcome read_feat(struct rig *r, u8 index, u32 *word)
{
	u8 *p = gp(r, r->data, 5);
	enum outcome o;
	le32 w;

	memset(p, 0xEE, 4);
	p[4] = index;
	o = run(r, VCCW_CMD_READ_FEAT, 0, 5, r->data);
	memcpy(&w, p, 4);
	*word = le32_to_cpu(w);
	return o;
}

static enum outcome write_feat(struct rig *r, u8 index, u32 word)
{
	struct vccw_feat f = { cpu_to_le32(word), index };

	memcpy(gp(r, r->data, sizeof(f)), &f, sizeof(f));
	return run(r, VCCW_CMD_WRITE_FEAT, 0, sizeof(f), r->data);
}

static enum outcome write_status(struct rig *r, u8 s)
{
	*gp(r, r->data, 1) = s;
	return run(r, VCCW_CMD_WRITE_STATUS, 0, 1, r->data);
}

static enum outcome read_status(struct rig *r, u8 *s)
{
	enum outcome o;

	*gp(r, r->data, 1) = 0xEE;
	o = run(r, VCCW_CMD_READ_STATUS, 0, 1, r->data);
	*s = *gp(r, r->data, 1);
	return o;
}

static enum outcome read_vq_conf(struct rig *r, u16 index, u16 *num)
{
	struct vccw_vq_conf c = { cpu_to_be16(index), cpu_to_be16(0xEEEE) };
	enum outcome o;

	memcpy(gp(r, r->data, sizeof(c)), &c, sizeof(c));
	o = run(r, VCCW_CMD_READ_VQ_CONF, 0, sizeof(c), r->data);
	memcpy(&c, gp(r, r->data, sizeof(c)), sizeof(c));
	CU_ASSERT_EQUAL(be16_to_cpu(c.index), index);
	*num = be16_to_cpu(c.num_max);
	return o;
}

static enum outcome set_vq_flags(struct rig *r, u8 flags, u16 count, u16 index, u16 num, u64 desc,
				 u64 driver, u64 device)
{
	struct vccw_vq_info i;

	memset(&i, 0, sizeof(i));
	i.desc = cpu_to_be64(desc);
	i.res0 = cpu_to_be32(0xFFFFFFFFu); /* reserved: ignored */
	i.index = cpu_to_be16(index);
	i.num = cpu_to_be16(num);
	i.driver = cpu_to_be64(driver);
	i.device = cpu_to_be64(device);
	memcpy(gp(r, r->data, sizeof(i)), &i, sizeof(i));
	return run(r, VCCW_CMD_SET_VQ, flags, count, r->data);
}

static enum outcome set_vq(struct rig *r, u16 index, u16 num, u64 desc, u64 driver, u64 device)
{
	return set_vq_flags(r, 0, sizeof(struct vccw_vq_info), index, num, desc, driver, device);
}

static enum outcome set_vq_legacy(struct rig *r, u16 index, u16 num, u64 queue, u32 align)
{
	struct vccw_vq_info_legacy l;

	l.queue = cpu_to_be64(queue);
	l.align = cpu_to_be32(align);
	l.index = cpu_to_be16(index);
	l.num = cpu_to_be16(num);
	memcpy(gp(r, r->data, sizeof(l)), &l, sizeof(l));
	return run(r, VCCW_CMD_SET_VQ, 0, sizeof(l), r->data);
}

static enum outcome set_addr_cmd(struct rig *r, u8 cmd, u64 addr)
{
	be64 a = cpu_to_be64(addr);

	memcpy(gp(r, r->data, sizeof(a)), &a, sizeof(a));
	return run(r, cmd, 0, sizeof(a), r->data);
}

static enum outcome set_ind(struct rig *r, u64 addr)
{
	return set_addr_cmd(r, VCCW_CMD_SET_IND, addr);
}

static enum outcome set_conf_ind(struct rig *r, u64 addr)
{
	return set_addr_cmd(r, VCCW_CMD_SET_CONF_IND, addr);
}

/* With SLI, as Linux sends it (B.2). */
static enum outcome set_ind_adapter(struct rig *r, u64 summary, u64 ind, u64 bit_nr, u8 isc)
{
	struct vccw_thinint t = { cpu_to_be64(summary), cpu_to_be64(ind), cpu_to_be64(bit_nr),
				  isc };

	memcpy(gp(r, r->data, sizeof(t)), &t, sizeof(t));
	return run(r, VCCW_CMD_SET_IND_ADAPTER, CCW_FLAG_SLI, sizeof(t), r->data);
}

/* SET_VIRTIO_REV rev, ACKNOWLEDGE | DRIVER, the features, FEATURES_OK. */
static void bring_up(struct rig *r, u16 rev, u64 features)
{
	CU_ASSERT_EQUAL_FATAL(set_rev(r, rev), OK);
	CU_ASSERT_EQUAL_FATAL(write_status(r, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER),
			      OK);
	CU_ASSERT_EQUAL_FATAL(write_feat(r, 0, (u32)features), OK);
	if (rev >= 1)
		CU_ASSERT_EQUAL_FATAL(write_feat(r, 1, (u32)(features >> 32)), OK);
	CU_ASSERT_EQUAL_FATAL(write_status(r, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
						      VIRTIO_STATUS_FEATURES_OK),
			      OK);
}

#define DRIVER_OK_STATUS                                                                \
	(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK | \
	 VIRTIO_STATUS_DRIVER_OK)

/* Without EVENT_IDX the hand-built rings want every used buffer signalled. */
#define MODERN VIRTIO_BIT(VIRTIO_F_VERSION_1)


/* --- A split ring built by hand in guest memory ----------------------------------- */

struct hring {
	u64 desc, avail, used;
	unsigned num;
	bool be;
	u16 next_head, avail_idx;
};

static void hr_at(struct hring *h, u64 desc, u64 avail, u64 used, unsigned num, bool be)
{
	memset(h, 0, sizeof(*h));
	h->desc = desc;
	h->avail = avail;
	h->used = used;
	h->num = num;
	h->be = be;
}

/* A ring of num entries with each area on a page of its own. */
static void hr_alloc(struct rig *r, struct hring *h, unsigned num, bool be)
{
	u64 desc = simtest_alloc(&r->t, vring_desc_size(num), 4096);
	u64 avail = simtest_alloc(&r->t, vring_avail_size(num), 4096);
	u64 used = simtest_alloc(&r->t, vring_used_size(num), 4096);

	hr_at(h, desc, avail, used, num, be);
}

static void hr_desc(struct rig *r, struct hring *h, u16 i, u64 addr, u32 len, u16 flags, u16 next)
{
	struct vring_desc *d = (struct vring_desc *)gp(r, h->desc + 16u * i, 16);

	d->addr = vr64_of(h->be, addr);
	d->len = vr32_of(h->be, len);
	d->flags = vr16_of(h->be, flags);
	d->next = vr16_of(h->be, next);
}

/* Post a two-buffer chain (out, then in) and publish it. Returns its head. */
static u16 hr_post(struct rig *r, struct hring *h, u64 out, u32 out_len, u64 in, u32 in_len)
{
	struct vring_avail *a = (struct vring_avail *)gp(r, h->avail, vring_avail_size(h->num));
	u16 head = h->next_head;

	hr_desc(r, h, head, out, out_len, VRING_DESC_F_NEXT, (u16)(head + 1));
	hr_desc(r, h, (u16)(head + 1), in, in_len, VRING_DESC_F_WRITE, 0);
	h->next_head = (u16)((head + 2) % h->num);
	a->ring[h->avail_idx % h->num] = vr16_of(h->be, head);
	h->avail_idx++;
	a->idx = vr16_of(h->be, h->avail_idx);
	return head;
}

static u16 hr_used_idx(struct rig *r, const struct hring *h)
{
	struct vring_used *u = (struct vring_used *)gp(r, h->used, vring_used_size(h->num));

	return vr16_get(h->be, u->idx);
}

static void hr_used(struct rig *r, const struct hring *h, unsigned i, u32 *id, u32 *len)
{
	struct vring_used *u = (struct vring_used *)gp(r, h->used, vring_used_size(h->num));

	*id = vr32_get(h->be, u->ring[i % h->num].id);
	*len = vr32_get(h->be, u->ring[i % h->num].len);
}

static s64 notify(struct rig *r, u64 queue)
{
	s64 r2 = 0x5555;

	CU_ASSERT_EQUAL(sim_diag500(r->sim, VCCW_DIAG500_NOTIFY, r->schid, queue, 0, &r2), 0);
	return r2;
}

/* Bring up revision 1 with VERSION_1 and EVENT_IDX, queue q on a hand ring. */
static void modern_queue(struct rig *r, struct hring *h, u16 q, unsigned num)
{
	bring_up(r, 1, MODERN);
	hr_alloc(r, h, num, false);
	CU_ASSERT_EQUAL_FATAL(set_vq(r, q, (u16)num, h->desc, h->avail, h->used), OK);
}

/* --- Revisions (B.3) ---------------------------------------------------------------- */

static void body_rev_first(enum sim_profile p)
{
	struct rig r;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(state(&r).revision, -1);
	CU_ASSERT_EQUAL(set_rev(&r, 2), OK);
	CU_ASSERT_EQUAL(state(&r).revision, 2);
	CU_ASSERT_EQUAL(irb_ctrl(&r.last), SIMTEST_FINAL);
	CU_ASSERT_EQUAL(residual(&r), 0);
	/* A second SET_VIRTIO_REV, even of the same revision, is refused. */
	CU_ASSERT_EQUAL(set_rev(&r, 1), REJECT);
	CU_ASSERT_EQUAL(set_rev(&r, 2), REJECT);
	CU_ASSERT_EQUAL(state(&r).revision, 2);
	rig_close(&r);
}

BOTH_PROFILES(body_rev_first)

/* Command reject: unit check with sense byte 0 = 0x80; QEMU without
 * channel end and device end (A.6). */
static void body_reject_sense(enum sim_profile p)
{
	struct rig r;
	u8 *s;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 3), REJECT);
	CU_ASSERT_EQUAL(r.last.scsw.dstat,
			arch(&r) ? SIMTEST_CEDE | SCSW_DSTAT_UNIT_CHECK : SCSW_DSTAT_UNIT_CHECK);
	CU_ASSERT_EQUAL(irb_ctrl(&r.last), SIMTEST_FINAL | SCSW_STCTL_ALERT);
	s = gp(&r, r.data + 64, 32);
	memset(s, 0xEE, 32);
	CU_ASSERT_EQUAL(run(&r, CCW_CMD_BASIC_SENSE, 0, 32, r.data + 64), OK);
	CU_ASSERT_EQUAL(s[0], SENSE0_CMD_REJECT);
	rig_close(&r);
}

BOTH_PROFILES(body_reject_sense)

static void body_rev_lock_in(enum sim_profile p)
{
	struct rig r;
	u32 w;

	/* platforms 12.2: READ_FEAT first puts the device at revision 0. */
	rig_open(&r, p);
	CU_ASSERT_EQUAL(read_feat(&r, 0, &w), OK);
	CU_ASSERT_EQUAL(state(&r).revision, 0);
	CU_ASSERT_EQUAL(set_rev(&r, 2), REJECT);
	CU_ASSERT_EQUAL(set_rev(&r, 0), REJECT);
	CU_ASSERT_EQUAL(state(&r).revision, 0);
	rig_close(&r);

	/* So does an unknown command, rejected itself. */
	rig_open(&r, p);
	CU_ASSERT_EQUAL(run(&r, 0xFC, 0, 4, r.data), REJECT);
	CU_ASSERT_EQUAL(state(&r).revision, 0);
	CU_ASSERT_EQUAL(set_rev(&r, 1), REJECT);
	rig_close(&r);

	/* Commands the channel subsystem answers do not count. */
	rig_open(&r, p);
	CU_ASSERT_EQUAL(run(&r, CCW_CMD_SENSE_ID, CCW_FLAG_SLI, 256, r.data), OK);
	CU_ASSERT_EQUAL(run(&r, CCW_CMD_WRITE_NOOP, 0, 0, 0), OK);
	CU_ASSERT_EQUAL(state(&r).revision, -1);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	rig_close(&r);
}

BOTH_PROFILES(body_rev_lock_in)

static void body_rev_max(enum sim_profile p)
{
	struct sim_vccw_config cfg;
	struct rig r;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 3), REJECT);
	CU_ASSERT_EQUAL(set_rev(&r, 0xFFFF), REJECT);
	CU_ASSERT_EQUAL(state(&r).revision, -1);
	CU_ASSERT_EQUAL(set_rev(&r, 2), OK);
	rig_close(&r);

	default_cfg(&cfg);
	cfg.max_revision = 1;
	rig_open_with(&r, p, &cfg, 3);
	CU_ASSERT_EQUAL(set_rev(&r, 2), REJECT);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	rig_close(&r);

	/* Without VERSION_1 only revision 0 is possible (B.3). */
	default_cfg(&cfg);
	cfg.version_1 = false;
	rig_open_with(&r, p, &cfg, 3);
	CU_ASSERT_EQUAL(set_rev(&r, 1), REJECT);
	CU_ASSERT_EQUAL(set_rev(&r, 0), OK);
	CU_ASSERT_EQUAL(state(&r).revision, 0);
	rig_close(&r);
}

BOTH_PROFILES(body_rev_max)

static void body_rev_nontransitional(enum sim_profile p)
{
	struct sim_vccw_config cfg;
	struct rig r;
	u32 w;

	default_cfg(&cfg);
	cfg.transitional = false;
	rig_open_with(&r, p, &cfg, 3);
	CU_ASSERT_EQUAL(read_feat(&r, 0, &w), REJECT);
	CU_ASSERT_EQUAL(write_status(&r, 1), REJECT);
	CU_ASSERT_EQUAL(state(&r).revision, -1);
	CU_ASSERT_EQUAL(set_rev(&r, 0), REJECT);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	CU_ASSERT_EQUAL(read_feat(&r, 1, &w), OK);
	CU_ASSERT_EQUAL(w, 0x00040001u);
	rig_close(&r);
}

BOTH_PROFILES(body_rev_nontransitional)

/* A length field of 4 with 4 data bytes: QEMU takes it, the spec refuses. */
static void body_rev_length_field(enum sim_profile p)
{
	struct rig r;
	u8 *b;

	rig_open(&r, p);
	b = gp(&r, r.data, 8);
	memcpy(b, (const u8[]){ 0, 1, 0, 4, 9, 9, 9, 9 }, 8);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_VIRTIO_REV, 0, 8, r.data), arch(&r) ? REJECT : OK);
	CU_ASSERT_EQUAL(state(&r).revision, arch(&r) ? -1 : 1);
	if (!arch(&r))
		CU_ASSERT_EQUAL(residual(&r), 0);
	rig_close(&r);

	/* QEMU: the data must be there, and no more without SLI. */
	rig_open(&r, p);
	b = gp(&r, r.data, 12);
	memcpy(b, (const u8[]){ 0, 1, 0, 4, 9, 9, 9, 9 }, 8);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_VIRTIO_REV, 0, 4, r.data), qemu_pgm_else(&r, REJECT));
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_VIRTIO_REV, 0, 12, r.data), qemu_pgm_else(&r, REJECT));
	CU_ASSERT_EQUAL(state(&r).revision, -1);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_VIRTIO_REV, CCW_FLAG_SLI, 12, r.data),
			arch(&r) ? REJECT : OK);
	if (!arch(&r))
		CU_ASSERT_EQUAL(residual(&r), 4);
	rig_close(&r);
}

BOTH_PROFILES(body_rev_length_field)

static void body_rev_short_count(enum sim_profile p)
{
	struct rig r;

	rig_open(&r, p);
	memcpy(gp(&r, r.data, 4), (const u8[]){ 0, 1, 0, 0 }, 4);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_VIRTIO_REV, 0, 3, r.data), qemu_pgm_else(&r, IL));
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_VIRTIO_REV, CCW_FLAG_SLI, 3, r.data),
			qemu_pgm_else(&r, REJECT));
	CU_ASSERT_EQUAL(state(&r).revision, -1);
	/* A longer count: QEMU's program check, the architecture's incorrect
	 * length with the command done. */
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_VIRTIO_REV, 0, 6, r.data), qemu_pgm_else(&r, IL));
	CU_ASSERT_EQUAL(state(&r).revision, arch(&r) ? 1 : -1);
	rig_close(&r);
}

BOTH_PROFILES(body_rev_short_count)

static void set_enabled(struct rig *r, bool on)
{
	struct schib s;
	u16 f;

	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&r->t, r->schid, &s), 0);
	f = be16_to_cpu(s.pmcw.flags);
	f = on ? (u16)(f | PMCW_FLAGS_ENA) : (u16)(f & ~PMCW_FLAGS_ENA);
	s.pmcw.flags = cpu_to_be16(f);
	CU_ASSERT_EQUAL_FATAL(simtest_msch(&r->t, r->schid, &s), 0);
}

static void body_rev_disable(enum sim_profile p)
{
	struct rig r;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 2), OK);
	/* Neither kind of reset forgets the revision (B.3). */
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_VDEV_RESET, 0, 0, 0), OK);
	CU_ASSERT_EQUAL(write_status(&r, 0), OK);
	CU_ASSERT_EQUAL(set_rev(&r, 1), REJECT);
	CU_ASSERT_EQUAL(state(&r).revision, 2);
	/* Disabling does (platforms 12.2). */
	set_enabled(&r, false);
	CU_ASSERT_EQUAL(state(&r).revision, -1);
	set_enabled(&r, true);
	CU_ASSERT_EQUAL(state(&r).revision, -1);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	CU_ASSERT_EQUAL(state(&r).revision, 1);
	rig_close(&r);
}

BOTH_PROFILES(body_rev_disable)

/* --- Features -------------------------------------------------------------------- */

static void body_read_feat(enum sim_profile p)
{
	struct sim_vccw_config cfg;
	struct rig r;
	u8 *b;
	u32 w;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	CU_ASSERT_EQUAL(read_feat(&r, 0, &w), OK);
	/* platforms 12.3: blk's word 0 at revision 1, little-endian. */
	b = gp(&r, r.data, 5);
	CU_ASSERT_EQUAL(b[0], 0x54);
	CU_ASSERT_EQUAL(b[1], 0x6E);
	CU_ASSERT_EQUAL(b[2], 0x00);
	CU_ASSERT_EQUAL(b[3], 0x30);
	CU_ASSERT_EQUAL(b[4], 0); /* the index stays */
	CU_ASSERT_EQUAL(residual(&r), 0);
	/* Word 1: VERSION_1 and the model's bit 50, never RING_RESET (B.8). */
	CU_ASSERT_EQUAL(read_feat(&r, 1, &w), OK);
	CU_ASSERT_EQUAL(w, 0x00040001u);
	CU_ASSERT_EQUAL(b[4], 1);
	CU_ASSERT_EQUAL(read_feat(&r, 2, &w), OK);
	CU_ASSERT_EQUAL(w, 0);
	CU_ASSERT_EQUAL(read_feat(&r, 255, &w), OK);
	CU_ASSERT_EQUAL(w, 0);
	rig_close(&r);

	/* Legacy: NOTIFY_ON_EMPTY and ANY_LAYOUT added, no word 1. */
	rig_open(&r, p);
	CU_ASSERT_EQUAL(read_feat(&r, 0, &w), OK);
	CU_ASSERT_EQUAL(w, 0x39006E54u);
	CU_ASSERT_EQUAL(read_feat(&r, 1, &w), OK);
	CU_ASSERT_EQUAL(w, 0);
	rig_close(&r);

	default_cfg(&cfg);
	cfg.legacy_bits = false;
	cfg.event_idx = false;
	cfg.ring_packed = true;
	cfg.in_order = true;
	rig_open_with(&r, p, &cfg, 3);
	CU_ASSERT_EQUAL(read_feat(&r, 0, &w), OK);
	CU_ASSERT_EQUAL(w, 0x10006E54u);
	rig_close(&r);
	rig_open_with(&r, p, &cfg, 3);
	CU_ASSERT_EQUAL(set_rev(&r, 2), OK);
	CU_ASSERT_EQUAL(read_feat(&r, 1, &w), OK);
	CU_ASSERT_EQUAL(w, 0x0004000Du); /* VERSION_1, RING_PACKED, IN_ORDER, bit 50 */
	rig_close(&r);
}

BOTH_PROFILES(body_read_feat)

static void body_feat_lengths(enum sim_profile p)
{
	struct rig r;
	u8 *b;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	b = gp(&r, r.data, 8);
	/* Count 8: QEMU's program check without SLI; the architecture
	 * stores the word and reports incorrect length, residual 3. */
	memset(b, 0xEE, 8);
	b[4] = 0;
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_FEAT, 0, 8, r.data), qemu_pgm_else(&r, IL));
	if (arch(&r)) {
		CU_ASSERT_EQUAL(b[0], 0x54);
		CU_ASSERT_EQUAL(residual(&r), 3);
	}
	/* With SLI both accept it, residual 3 (platforms 12.3). */
	memset(b, 0xEE, 8);
	b[4] = 0;
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_FEAT, CCW_FLAG_SLI, 8, r.data), OK);
	CU_ASSERT_EQUAL(b[0], 0x54);
	CU_ASSERT_EQUAL(b[5], 0xEE);
	CU_ASSERT_EQUAL(residual(&r), 3);
	/* Too short: nothing is stored. */
	memset(b, 0xEE, 8);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_FEAT, CCW_FLAG_SLI, 4, r.data),
			qemu_pgm_else(&r, REJECT));
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_FEAT, 0, 4, r.data), qemu_pgm_else(&r, IL));
	CU_ASSERT_EQUAL(b[0], 0xEE);
	/* CD turns length checking back on (A.6 item 8). */
	if (!arch(&r))
		CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_FEAT, CCW_FLAG_SLI | CCW_FLAG_CD, 8, r.data),
				PGM);
	/* WRITE_STATUS takes one byte. */
	b[0] = VIRTIO_STATUS_ACKNOWLEDGE;
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_WRITE_STATUS, 0, 2, r.data), qemu_pgm_else(&r, IL));
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_WRITE_STATUS, CCW_FLAG_SLI, 0, r.data),
			qemu_pgm_else(&r, REJECT));
	rig_close(&r);
}

BOTH_PROFILES(body_feat_lengths)

static void body_write_feat(enum sim_profile p)
{
	struct rig r;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	CU_ASSERT_EQUAL(write_feat(&r, 0, 0x30000054u), OK);
	CU_ASSERT_EQUAL(write_feat(&r, 1, 0x00000001u), OK);
	CU_ASSERT_EQUAL(state(&r).driver_features, 0x130000054ull);
	/* Words beyond 1 are not stored. */
	CU_ASSERT_EQUAL(write_feat(&r, 2, 0xFFFFFFFFu), OK);
	CU_ASSERT_EQUAL(state(&r).driver_features, 0x130000054ull);
	CU_ASSERT_EQUAL(write_status(&r, 3 | VIRTIO_STATUS_FEATURES_OK), OK);
	/* Once FEATURES_OK is set the features are fixed (B.4). */
	CU_ASSERT_EQUAL(write_feat(&r, 0, 0), OK);
	CU_ASSERT_EQUAL(state(&r).driver_features, 0x130000054ull);
	rig_close(&r);

	/* Revision 0 has word 0 only. */
	rig_open(&r, p);
	CU_ASSERT_EQUAL(write_feat(&r, 0, 0x10000000u), OK);
	CU_ASSERT_EQUAL(write_feat(&r, 1, 0x00000001u), OK);
	CU_ASSERT_EQUAL(state(&r).revision, 0);
	CU_ASSERT_EQUAL(state(&r).driver_features, 0x10000000ull);
	rig_close(&r);
}

BOTH_PROFILES(body_write_feat)

static void body_features_ok(enum sim_profile p)
{
	struct rig r;
	u8 s;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 2), OK);
	CU_ASSERT_EQUAL(write_status(&r, 3), OK);
	/* Bit 0 is not offered. */
	CU_ASSERT_EQUAL(write_feat(&r, 0, 0x1u), OK);
	CU_ASSERT_EQUAL(write_feat(&r, 1, 0x1u), OK);
	CU_ASSERT_EQUAL(write_status(&r, 0x0B), REJECT);
	CU_ASSERT_EQUAL(state(&r).status, 3);
	CU_ASSERT_EQUAL(read_status(&r, &s), OK);
	CU_ASSERT_EQUAL(s, 3);
	/* RING_RESET is never offered on CCW (B.8). */
	CU_ASSERT_EQUAL(write_feat(&r, 0, 0), OK);
	CU_ASSERT_EQUAL(write_feat(&r, 1, 0x101u), OK);
	CU_ASSERT_EQUAL(write_status(&r, 0x0B), REJECT);
	/* From revision 1 VERSION_1 is required. */
	CU_ASSERT_EQUAL(write_feat(&r, 1, 0), OK);
	CU_ASSERT_EQUAL(write_feat(&r, 0, 0x10000000u), OK);
	CU_ASSERT_EQUAL(write_status(&r, 0x0B), REJECT);
	CU_ASSERT_EQUAL(write_feat(&r, 1, 0x1u), OK);
	CU_ASSERT_EQUAL(write_status(&r, 0x0B), OK);
	CU_ASSERT_EQUAL(read_status(&r, &s), OK);
	CU_ASSERT_EQUAL(s, 0x0B);
	rig_close(&r);

	/* Revision 0 negotiates without VERSION_1; legacy bits are offered. */
	rig_open(&r, p);
	CU_ASSERT_EQUAL(write_status(&r, 3), OK);
	CU_ASSERT_EQUAL(write_feat(&r, 0, 0x09000000u), OK);
	CU_ASSERT_EQUAL(write_status(&r, 0x0B), OK);
	CU_ASSERT_EQUAL(state(&r).status, 0x0B);
	rig_close(&r);
}

BOTH_PROFILES(body_features_ok)

/* --- Status, resets ------------------------------------------------------------------ */

static void body_status_zero(enum sim_profile p)
{
	struct rig r;
	struct hring h;
	struct sim_vccw_state s;
	u64 ind;

	rig_open(&r, p);
	modern_queue(&r, &h, 0, 8);
	ind = simtest_alloc(&r.t, 16, 8);
	CU_ASSERT_EQUAL(set_ind(&r, ind), OK);
	CU_ASSERT_EQUAL(set_conf_ind(&r, ind + 8), OK);
	CU_ASSERT_EQUAL(write_status(&r, DRIVER_OK_STATUS), OK);
	s = state(&r);
	CU_ASSERT_EQUAL(s.queues_set, 1);
	CU_ASSERT_EQUAL(s.ind_addr, ind);
	CU_ASSERT_EQUAL(s.conf_ind_addr, ind + 8);
	CU_ASSERT_EQUAL(s.status, DRIVER_OK_STATUS);
	CU_ASSERT_EQUAL(write_status(&r, 0), OK);
	s = state(&r);
	CU_ASSERT_EQUAL(s.status, 0);
	CU_ASSERT_EQUAL(s.driver_features, 0);
	CU_ASSERT_EQUAL(s.queues_set, 0);
	CU_ASSERT_EQUAL(s.ind_addr, 0);
	CU_ASSERT_EQUAL(s.conf_ind_addr, 0);
	CU_ASSERT_EQUAL(s.revision, 1);
	CU_ASSERT_EQUAL(r.m.resets, 1);
	CU_ASSERT_PTR_NULL(sim_vccw_vqd(r.dev, 0));
	/* Nothing is signalled any more. */
	sim_vccw_config_changed(r.dev);
	CU_ASSERT_EQUAL(*gp(&r, ind + 15, 1), 0);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	rig_close(&r);
}

BOTH_PROFILES(body_status_zero)

static void body_vdev_reset(enum sim_profile p)
{
	struct rig r;
	struct hring h;
	struct sim_vccw_state s;
	u64 area;

	rig_open(&r, p);
	modern_queue(&r, &h, 1, 4);
	area = simtest_alloc(&r.t, 64, 8);
	CU_ASSERT_EQUAL(set_ind_adapter(&r, area, area + 8, 3, 5), OK);
	CU_ASSERT_EQUAL(set_conf_ind(&r, area + 32), OK);
	s = state(&r);
	CU_ASSERT_TRUE(s.adapter);
	CU_ASSERT_EQUAL(s.summary_addr, area);
	CU_ASSERT_EQUAL(s.adapter_ind_addr, area + 8);
	CU_ASSERT_EQUAL(s.bit_nr, 3);
	CU_ASSERT_EQUAL(s.isc, 5);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_VDEV_RESET, 0, 0, 0), OK);
	s = state(&r);
	CU_ASSERT_FALSE(s.adapter);
	CU_ASSERT_EQUAL(s.summary_addr, 0);
	CU_ASSERT_EQUAL(s.adapter_ind_addr, 0);
	CU_ASSERT_EQUAL(s.conf_ind_addr, 0);
	CU_ASSERT_EQUAL(s.status, 0);
	CU_ASSERT_EQUAL(s.queues_set, 0);
	CU_ASSERT_EQUAL(s.revision, 1);
	CU_ASSERT_EQUAL(r.m.resets, 1);
	/* Classic indicators may follow now. */
	CU_ASSERT_EQUAL(set_ind(&r, area + 40), OK);
	/* QEMU takes any count; the architecture reports incorrect length
	 * and still resets. */
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_VDEV_RESET, 0, 4, r.data), arch(&r) ? IL : OK);
	CU_ASSERT_EQUAL(state(&r).ind_addr, 0);
	CU_ASSERT_EQUAL(r.m.resets, 2);
	rig_close(&r);
}

BOTH_PROFILES(body_vdev_reset)

/* A device that goes away and comes back is a new one: nothing of the
 * old setup survives, and the revision may be chosen again. */
static void body_unplugged(enum sim_profile p)
{
	struct rig r;
	struct hring h;
	struct sim_vccw_state s;
	u64 area;

	rig_open(&r, p);
	modern_queue(&r, &h, 1, 4);
	area = simtest_alloc(&r.t, 64, 8);
	CU_ASSERT_EQUAL(set_ind(&r, area), OK);
	CU_ASSERT_EQUAL(sim_set_present(r.sim, r.schid, false), 0);
	CU_ASSERT_EQUAL(sim_set_present(r.sim, r.schid, true), 0);
	s = state(&r);
	CU_ASSERT_EQUAL(s.revision, -1);
	CU_ASSERT_EQUAL(s.status, 0);
	CU_ASSERT_EQUAL(s.queues_set, 0);
	CU_ASSERT_EQUAL(s.ind_addr, 0);
	CU_ASSERT_EQUAL(r.m.resets, 1);
	simtest_enable(&r.t, r.schid, 3);
	drain(&r);
	CU_ASSERT_EQUAL(set_rev(&r, 2), OK);
	CU_ASSERT_EQUAL(state(&r).revision, 2);
	rig_close(&r);
}

BOTH_PROFILES(body_unplugged)

static void body_read_status(enum sim_profile p)
{
	struct rig r;
	u8 s;

	/* Revision 2 brings READ_STATUS; QEMU serves it at any revision. */
	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	CU_ASSERT_EQUAL(write_status(&r, 3), OK);
	CU_ASSERT_EQUAL(read_status(&r, &s), arch(&r) ? REJECT : OK);
	CU_ASSERT_EQUAL(s, arch(&r) ? 0xEE : 3);
	rig_close(&r);

	rig_open(&r, p);
	CU_ASSERT_EQUAL(read_status(&r, &s), arch(&r) ? REJECT : OK);
	CU_ASSERT_EQUAL(state(&r).revision, 0);
	rig_close(&r);

	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 2), OK);
	CU_ASSERT_EQUAL(read_status(&r, &s), OK);
	CU_ASSERT_EQUAL(s, 0);
	CU_ASSERT_EQUAL(write_status(&r, 1), OK);
	CU_ASSERT_EQUAL(read_status(&r, &s), OK);
	CU_ASSERT_EQUAL(s, 1);
	rig_close(&r);
}

BOTH_PROFILES(body_read_status)

/* --- Queues ---------------------------------------------------------------------------- */

static void body_read_vq_conf(enum sim_profile p)
{
	struct rig r;
	u8 *b;
	u16 n;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	CU_ASSERT_EQUAL(read_vq_conf(&r, 0, &n), OK);
	CU_ASSERT_EQUAL(n, 8);
	b = gp(&r, r.data, 4);
	CU_ASSERT_EQUAL(b[2], 0x00); /* big-endian */
	CU_ASSERT_EQUAL(b[3], 0x08);
	CU_ASSERT_EQUAL(read_vq_conf(&r, 1, &n), OK);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_EQUAL(read_vq_conf(&r, 2, &n), OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(read_vq_conf(&r, 3, &n), OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(read_vq_conf(&r, 1023, &n), OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(read_vq_conf(&r, 1024, &n), qemu_pgm_else(&r, REJECT));
	CU_ASSERT_EQUAL(n, 0xEEEE);
	CU_ASSERT_EQUAL(read_vq_conf(&r, 0xFFFF, &n), qemu_pgm_else(&r, REJECT));
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_VQ_CONF, 0, 2, r.data), qemu_pgm_else(&r, IL));
	rig_close(&r);
}

BOTH_PROFILES(body_read_vq_conf)

static void body_set_vq_modern(enum sim_profile p)
{
	struct rig r;
	struct hring h;
	u64 end, desc, drv, dev;
	enum outcome bad;
	unsigned num;

	rig_open(&r, p);
	bad = qemu_pgm_else(&r, REJECT);
	end = sim_mem_size(r.sim);
	bring_up(&r, 1, MODERN);
	hr_alloc(&r, &h, 8, false);
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, h.desc, h.avail, h.used), OK);
	CU_ASSERT_EQUAL(residual(&r), 0);
	sim_vccw_get_queue(r.dev, 0, &num, &desc, &drv, &dev);
	CU_ASSERT_EQUAL(num, 8);
	CU_ASSERT_EQUAL(desc, h.desc);
	CU_ASSERT_EQUAL(drv, h.avail);
	CU_ASSERT_EQUAL(dev, h.used);
	CU_ASSERT_PTR_NOT_NULL(sim_vccw_vqd(r.dev, 0));
	CU_ASSERT_EQUAL(state(&r).queues_set, 1);
	/* A smaller ring is allowed from revision 1. */
	CU_ASSERT_EQUAL(set_vq(&r, 0, 2, h.desc, h.avail, h.used), OK);
	sim_vccw_get_queue(r.dev, 0, &num, &desc, &drv, &dev);
	CU_ASSERT_EQUAL(num, 2);
	/* Errors leave no queue behind. */
	CU_ASSERT_EQUAL(set_vq(&r, 0, 16, h.desc, h.avail, h.used), bad);
	CU_ASSERT_PTR_NULL(sim_vccw_vqd(r.dev, 0));
	CU_ASSERT_EQUAL(set_vq(&r, 1024, 4, h.desc, h.avail, h.used), bad);
	CU_ASSERT_EQUAL(set_vq(&r, 2, 4, h.desc, h.avail, h.used), bad);
	CU_ASSERT_EQUAL(set_vq(&r, 3, 4, h.desc, h.avail, h.used), bad);
	/* A split ring's size is a power of 2. */
	CU_ASSERT_EQUAL(set_vq(&r, 1, 3, h.desc, h.avail, h.used), bad);
	/* Areas outside guest memory, or across its end. */
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, end, h.avail, h.used), bad);
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, end - 64, h.avail, h.used), bad);
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, h.desc, end - 16, h.used), bad);
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, h.desc, h.avail, end - 68), bad);
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, h.desc, h.avail, ~0ull - 3), bad);
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, 1ull << 40, h.avail, h.used), bad);
	/* Areas off their alignment (virtio 1.3, 2.7). */
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, h.desc + 8, h.avail, h.used), bad);
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, h.desc, h.avail + 1, h.used), bad);
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, h.desc, h.avail, h.used + 2), bad);
	CU_ASSERT_EQUAL(state(&r).queues_set, 0);
	/* Size 0 or address 0 takes a queue down. */
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, h.desc, h.avail, h.used), OK);
	CU_ASSERT_EQUAL(set_vq(&r, 0, 0, h.desc, h.avail, h.used), OK);
	CU_ASSERT_EQUAL(state(&r).queues_set, 0);
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, h.desc, h.avail, h.used), OK);
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, 0, h.avail, h.used), OK);
	CU_ASSERT_EQUAL(state(&r).queues_set, 0);
	sim_vccw_get_queue(r.dev, 0, &num, &desc, &drv, &dev);
	CU_ASSERT_EQUAL(num, 0);
	CU_ASSERT_EQUAL(desc, 0);
	/* Address 0 on a queue that does not exist is harmless. */
	CU_ASSERT_EQUAL(set_vq(&r, 7, 0, 0, 0, 0), OK);
	/* The 16-byte legacy block is too short from revision 1. */
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 0, 8, h.desc, 4096), qemu_pgm_else(&r, IL));
	CU_ASSERT_EQUAL(state(&r).queues_set, 0);
	/* With SLI QEMU reports residual 0 for SET_VQ (A.6). */
	CU_ASSERT_EQUAL(set_vq_flags(&r, CCW_FLAG_SLI, 40, 0, 8, h.desc, h.avail, h.used), OK);
	CU_ASSERT_EQUAL(residual(&r), arch(&r) ? 8 : 0);
	rig_close(&r);
}

BOTH_PROFILES(body_set_vq_modern)

static void body_set_vq_packed(enum sim_profile p)
{
	struct sim_vccw_config cfg;
	struct rig r;
	u64 desc, ev;
	struct vqd *v;

	default_cfg(&cfg);
	cfg.ring_packed = true;
	rig_open_with(&r, p, &cfg, 3);
	bring_up(&r, 1, MODERN | VIRTIO_BIT(VIRTIO_F_EVENT_IDX) | VIRTIO_BIT(VIRTIO_F_RING_PACKED));
	desc = simtest_alloc(&r.t, 16 * 3, 16);
	ev = simtest_alloc(&r.t, 8, 4);
	/* Packed rings may have any size; the event areas are 4 bytes. */
	CU_ASSERT_EQUAL(set_vq(&r, 1, 3, desc, ev, ev + 4), OK);
	v = sim_vccw_vqd(r.dev, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_TRUE(v->packed);
	CU_ASSERT_TRUE(v->event_idx);
	CU_ASSERT_FALSE(v->be);
	CU_ASSERT_EQUAL(set_vq(&r, 1, 3, desc, ev + 2, ev + 4), qemu_pgm_else(&r, REJECT));
	CU_ASSERT_EQUAL(set_vq(&r, 1, 3, desc, ev, sim_mem_size(r.sim) - 2),
			qemu_pgm_else(&r, REJECT));
	rig_close(&r);
}

BOTH_PROFILES(body_set_vq_packed)

static void body_set_vq_legacy(enum sim_profile p)
{
	struct rig r;
	u64 q, desc, drv, dev;
	enum outcome bad;
	unsigned num;
	struct vqd *v;

	rig_open(&r, p);
	bad = qemu_pgm_else(&r, REJECT);
	q = simtest_alloc(&r.t, 2 * 4096, 4096);
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 0, 8, q, 4096), OK);
	CU_ASSERT_EQUAL(state(&r).revision, 0);
	/* Descriptors, the available ring after them, the used ring at the
	 * next 4096 boundary (virtio 1.3, 2.7.2). */
	sim_vccw_get_queue(r.dev, 0, &num, &desc, &drv, &dev);
	CU_ASSERT_EQUAL(num, 8);
	CU_ASSERT_EQUAL(desc, q);
	CU_ASSERT_EQUAL(drv, q + 128);
	CU_ASSERT_EQUAL(dev, q + 4096);
	v = sim_vccw_vqd(r.dev, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_TRUE(v->be); /* no VERSION_1: guest-native, big-endian */
	CU_ASSERT_FALSE(v->packed);
	/* A bigger num is ignored, a smaller one refused (B.4). */
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 0, 64, q, 4096), OK);
	sim_vccw_get_queue(r.dev, 0, &num, &desc, &drv, &dev);
	CU_ASSERT_EQUAL(num, 8);
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 0, 4, q, 4096), bad);
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 0, 8, q, 2048), bad);
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 2, 8, q, 4096), bad);
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 1024, 8, q, 4096), bad);
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 0, 8, sim_mem_size(r.sim) - 4096, 4096), bad);
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 0, 8, ~0ull - 4095, 4096), bad);
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 0, 8, q + 8, 4096), bad);
	CU_ASSERT_EQUAL(state(&r).queues_set, 0);
	/* Queue address 0 takes it down; the alignment is not looked at. */
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 1, 4, q, 4096), OK);
	CU_ASSERT_EQUAL(state(&r).queues_set, 1);
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 1, 0, 0, 0), OK);
	CU_ASSERT_EQUAL(state(&r).queues_set, 0);
	/* The 32-byte block at revision 0: too long for QEMU; the architecture
	 * reads its first 16 bytes as the legacy block, whose alignment is
	 * then the reserved word. */
	CU_ASSERT_EQUAL(set_vq(&r, 0, 8, q, q + 128, q + 4096), qemu_pgm_else(&r, REJECT));
	rig_close(&r);
}

BOTH_PROFILES(body_set_vq_legacy)

/* --- Indicators and interruptions (B.5) ------------------------------------------------ */

static void body_classic(enum sim_profile p)
{
	struct sim_vccw_config cfg;
	struct rig r;
	struct hring h;
	struct sim_io_int ii;
	u64 ind, buf;
	u8 *w;
	struct irb irb;

	default_cfg(&cfg);
	rig_open_with(&r, p, &cfg, 12);
	bring_up(&r, 1, MODERN);
	hr_alloc(&r, &h, 16, false);
	CU_ASSERT_EQUAL(set_vq(&r, 9, 16, h.desc, h.avail, h.used), OK);
	ind = simtest_alloc(&r.t, 8, 8);
	buf = simtest_alloc(&r.t, 64, 8);
	CU_ASSERT_EQUAL(set_ind(&r, ind), OK);
	CU_ASSERT_EQUAL(write_status(&r, DRIVER_OK_STATUS), OK);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 9), 0);
	CU_ASSERT_EQUAL(r.m.notifies, 1);
	CU_ASSERT_EQUAL(r.m.last_queue, 9);
	CU_ASSERT_EQUAL(hr_used_idx(&r, &h), 1);
	/* Queue 9 is value bit 9 of the big-endian word: byte 6, 0x02. */
	w = gp(&r, ind, 8);
	CU_ASSERT_EQUAL(w[6], 0x02);
	CU_ASSERT_EQUAL(w[7], 0x00);
	CU_ASSERT_EQUAL(w[0] | w[1] | w[2] | w[3] | w[4] | w[5], 0);
	/* Unsolicited alert status on the subchannel, last ORB's intparm. */
	CU_ASSERT_TRUE_FATAL(sim_take_io_interrupt(r.sim, &ii));
	CU_ASSERT_EQUAL(ii.schid, r.schid);
	CU_ASSERT_EQUAL(ii.intparm, 0xC0DE0000u | VCCW_CMD_WRITE_STATUS);
	CU_ASSERT_EQUAL(ii.iid & IO_INT_WORD_AI, 0);
	CU_ASSERT_EQUAL(simtest_tsch(&r.t, r.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND);
	/* The next completion interrupts again; one while status is still
	 * pending adds none. */
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 9), 0);
	CU_ASSERT_EQUAL(hr_used_idx(&r, &h), 2);
	CU_ASSERT_TRUE(sim_take_io_interrupt(r.sim, &ii));
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 9), 0);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	CU_ASSERT_EQUAL(simtest_tsch(&r.t, r.schid, &irb), 0);
	drain(&r);
	/* Without indicators nothing is signalled (platforms 12.8). */
	CU_ASSERT_EQUAL(set_ind(&r, 0), OK);
	w[6] = 0;
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 9), 0);
	CU_ASSERT_EQUAL(hr_used_idx(&r, &h), 4);
	CU_ASSERT_EQUAL(w[6], 0);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	rig_close(&r);
}

BOTH_PROFILES(body_classic)

static void body_config_change(enum sim_profile p)
{
	struct rig r;
	struct sim_io_int ii;
	struct irb irb;
	u64 area;
	u8 *w;

	rig_open(&r, p);
	bring_up(&r, 2, MODERN);
	area = simtest_alloc(&r.t, 64, 8);
	/* Adapter indicators for the queues; configuration stays classic. */
	CU_ASSERT_EQUAL(set_ind_adapter(&r, area, area + 8, 0, 6), OK);
	CU_ASSERT_EQUAL(set_conf_ind(&r, area + 16), OK);
	CU_ASSERT_EQUAL(write_status(&r, DRIVER_OK_STATUS), OK);
	sim_vccw_config_changed(r.dev);
	w = gp(&r, area + 16, 8);
	CU_ASSERT_EQUAL(w[7], 0x01);
	CU_ASSERT_EQUAL(w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6], 0);
	CU_ASSERT_EQUAL(*gp(&r, area, 1), 0); /* no summary */
	CU_ASSERT_TRUE_FATAL(sim_take_io_interrupt(r.sim, &ii));
	CU_ASSERT_EQUAL(ii.schid, r.schid);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	CU_ASSERT_EQUAL(simtest_tsch(&r.t, r.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND);
	rig_close(&r);
}

BOTH_PROFILES(body_config_change)

static void body_adapter(enum sim_profile p)
{
	struct rig r;
	struct hring h;
	struct sim_io_int ii;
	u64 sum, ind, buf;
	u8 *b;

	rig_open(&r, p);
	modern_queue(&r, &h, 1, 4);
	sum = simtest_alloc(&r.t, 8, 8);
	ind = simtest_alloc(&r.t, 8, 8);
	buf = simtest_alloc(&r.t, 64, 8);
	CU_ASSERT_EQUAL(set_ind_adapter(&r, sum, ind, 13, 5), OK);
	CU_ASSERT_EQUAL(write_status(&r, DRIVER_OK_STATUS), OK);
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 1), 0);
	CU_ASSERT_EQUAL(hr_used_idx(&r, &h), 1);
	/* Bit 13 + 1 counted from the left: byte 1, mask 0x80 >> 6. */
	b = gp(&r, ind, 8);
	CU_ASSERT_EQUAL(b[0], 0);
	CU_ASSERT_EQUAL(b[1], 0x02);
	CU_ASSERT_EQUAL(b[2], 0);
	CU_ASSERT_EQUAL(*gp(&r, sum, 1), 0x01);
	CU_ASSERT_TRUE_FATAL(sim_take_io_interrupt(r.sim, &ii));
	CU_ASSERT_EQUAL(ii.iid, 0x80000000u | (5u << 27));
	CU_ASSERT_EQUAL(ii.schid, 0);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	/* The summary is still set: no new interruption (virtio 1.3, 4.3.3.1.2). */
	b[1] = 0;
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 1), 0);
	CU_ASSERT_EQUAL(b[1], 0x02);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	/* Once the driver cleared it, the next one interrupts again. */
	*gp(&r, sum, 1) = 0;
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 1), 0);
	CU_ASSERT_TRUE(sim_take_io_interrupt(r.sim, &ii));
	CU_ASSERT_EQUAL(ii.iid, 0x80000000u | (5u << 27));
	/* No subchannel status came with any of it. */
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	rig_close(&r);
}

BOTH_PROFILES(body_adapter)

static void body_adapter_rules(enum sim_profile p)
{
	struct sim_vccw_config cfg;
	struct rig r;
	u64 a;

	/* A device without adapter interruptions does not know the command. */
	default_cfg(&cfg);
	cfg.adapter = false;
	rig_open_with(&r, p, &cfg, 3);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	a = simtest_alloc(&r.t, 64, 8);
	CU_ASSERT_EQUAL(set_ind_adapter(&r, a, a + 8, 0, 3), REJECT);
	CU_ASSERT_FALSE(state(&r).adapter);
	rig_close(&r);

	/* virtio 1.3, 4.3.2.6: the two kinds exclude each other. */
	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	a = simtest_alloc(&r.t, 64, 8);
	CU_ASSERT_EQUAL(set_ind(&r, a), OK);
	CU_ASSERT_EQUAL(set_ind_adapter(&r, a + 8, a + 16, 0, 3), REJECT);
	CU_ASSERT_FALSE(state(&r).adapter);
	CU_ASSERT_EQUAL(set_ind(&r, 0), OK);
	CU_ASSERT_EQUAL(set_ind_adapter(&r, a + 8, a + 16, 0, 3), OK);
	CU_ASSERT_TRUE(state(&r).adapter);
	CU_ASSERT_EQUAL(set_ind(&r, a), REJECT);
	/* Adapter mode may be moved while on. */
	CU_ASSERT_EQUAL(set_ind_adapter(&r, a + 8, a + 24, 64, 2), OK);
	CU_ASSERT_EQUAL(state(&r).adapter_ind_addr, a + 24);
	/* Only the summary address deregisters (as Linux does, B.4). */
	CU_ASSERT_EQUAL(set_ind_adapter(&r, a + 8, 0, 0, 0), OK);
	CU_ASSERT_FALSE(state(&r).adapter);
	CU_ASSERT_EQUAL(set_ind(&r, a), OK);
	CU_ASSERT_EQUAL(state(&r).ind_addr, a);
	/* A short payload under SLI. */
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_IND_ADAPTER, CCW_FLAG_SLI, 24, r.data),
			qemu_pgm_else(&r, REJECT));
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_IND, 0, 4, r.data), qemu_pgm_else(&r, IL));
	rig_close(&r);

	/* Eight subclasses: the architecture profile refuses ISC 8. */
	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	a = simtest_alloc(&r.t, 64, 8);
	CU_ASSERT_EQUAL(set_ind_adapter(&r, a, a + 8, 0, 8), arch(&r) ? REJECT : OK);
	rig_close(&r);

	/* More queues than classic indicator bits (B.4). */
	default_cfg(&cfg);
	rig_open_with(&r, p, &cfg, 65);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	CU_ASSERT_EQUAL(set_ind(&r, 0x30000), REJECT);
	rig_close(&r);
	rig_open_with(&r, p, &cfg, 64);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	CU_ASSERT_EQUAL(set_ind(&r, 0x30000), OK);
	rig_close(&r);
}

BOTH_PROFILES(body_adapter_rules)

/* --- DIAGNOSE 0x500 (B.6) -------------------------------------------------------------- */

static void body_diag500(enum sim_profile p)
{
	struct rig r;
	struct hring h;
	s64 r2 = 0;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(notify(&r, 0), 0);
	CU_ASSERT_EQUAL(notify(&r, 1), 0);
	/* The left half of GPR 2 is ignored. */
	CU_ASSERT_EQUAL(sim_diag500(r.sim, 3, 0xFFFFFFFF00000000ull | r.schid, 0, 0, &r2), 0);
	CU_ASSERT_EQUAL(r2, 0);
	/* A queue of size 0, beyond the queues, at 1024 or above. */
	CU_ASSERT_EQUAL(notify(&r, 2), EINVAL_RC);
	CU_ASSERT_EQUAL(notify(&r, 3), EINVAL_RC);
	CU_ASSERT_EQUAL(notify(&r, 1024), EINVAL_RC);
	CU_ASSERT_EQUAL(notify(&r, 1ull << 40), EINVAL_RC);
	/* Subchannels that are malformed, missing, hidden or not virtio. */
	CU_ASSERT_EQUAL(sim_diag500(r.sim, 3, r.schid & ~SCHID_ONE, 0, 0, &r2), 0);
	CU_ASSERT_EQUAL(r2, EINVAL_RC);
	CU_ASSERT_EQUAL(sim_diag500(r.sim, 3, r.schid | SCHID_M, 0, 0, &r2), 0);
	CU_ASSERT_EQUAL(r2, EINVAL_RC);
	CU_ASSERT_EQUAL(sim_diag500(r.sim, 3, r.schid | 0x01000000u, 0, 0, &r2), 0);
	CU_ASSERT_EQUAL(r2, EINVAL_RC);
	CU_ASSERT_EQUAL(sim_diag500(r.sim, 3, schid_make(0, 0x777), 0, 0, &r2), 0);
	CU_ASSERT_EQUAL(r2, EINVAL_RC);
	CU_ASSERT_EQUAL(sim_diag500(r.sim, 3, schid_make(3, schid_schno(r.schid)), 0, 0, &r2), 0);
	CU_ASSERT_EQUAL(r2, EINVAL_RC);
	CU_ASSERT_EQUAL(sim_diag500(r.sim, 3, r.t.schid, 0, 0, &r2), 0);
	CU_ASSERT_EQUAL(r2, EINVAL_RC);
	CU_ASSERT_EQUAL(sim_set_present(r.sim, r.schid, false), 0);
	CU_ASSERT_EQUAL(notify(&r, 0), EINVAL_RC);
	CU_ASSERT_EQUAL(sim_set_present(r.sim, r.schid, true), 0);
	CU_ASSERT_EQUAL(notify(&r, 0), 0);
	/* Function 0, QEMU 7.2's legacy notify: a storage address or not. */
	CU_ASSERT_EQUAL(sim_diag500(r.sim, 0, 0x1000, 0, 0, &r2), 0);
	CU_ASSERT_EQUAL(r2, 0);
	CU_ASSERT_EQUAL(sim_diag500(r.sim, 0, sim_mem_size(r.sim), 0, 0, &r2), 0);
	CU_ASSERT_EQUAL(r2, EINVAL_RC);
	/* Other functions: specification exception. */
	r2 = 0x5555;
	CU_ASSERT_EQUAL(sim_diag500(r.sim, 7, r.schid, 0, 0, &r2), -SIM_PGM_SPECIFICATION);
	CU_ASSERT_EQUAL(sim_diag500(r.sim, 1ull << 32 | 3, r.schid, 0, 0, &r2),
			-SIM_PGM_SPECIFICATION);
	CU_ASSERT_EQUAL(r2, 0x5555);
	/* None of it reached the model: no DRIVER_OK yet. */
	CU_ASSERT_EQUAL(r.m.notifies, 0);
	rig_close(&r);

	/* The model hears of a queue only with DRIVER_OK and a ring. */
	rig_open(&r, p);
	modern_queue(&r, &h, 0, 8);
	CU_ASSERT_EQUAL(notify(&r, 0), 0);
	CU_ASSERT_EQUAL(r.m.notifies, 0);
	CU_ASSERT_EQUAL(write_status(&r, DRIVER_OK_STATUS), OK);
	CU_ASSERT_EQUAL(notify(&r, 1), 0);
	CU_ASSERT_EQUAL(r.m.notifies, 0);
	CU_ASSERT_EQUAL(notify(&r, 0), 0);
	CU_ASSERT_EQUAL(r.m.notifies, 1);
	CU_ASSERT_EQUAL(notify(&r, 2), EINVAL_RC);
	rig_close(&r);
}

BOTH_PROFILES(body_diag500)

/* --- Queues end to end ------------------------------------------------------------------ */

static void body_e2e_split(enum sim_profile p)
{
	struct rig r;
	struct hring h;
	u64 buf, ind;
	u32 id, len;
	u16 head;

	rig_open(&r, p);
	modern_queue(&r, &h, 0, 8);
	ind = simtest_alloc(&r.t, 8, 8);
	CU_ASSERT_EQUAL(set_ind(&r, ind), OK);
	CU_ASSERT_EQUAL(write_status(&r, DRIVER_OK_STATUS), OK);
	CU_ASSERT_FALSE(sim_vccw_vqd(r.dev, 0)->be);
	buf = simtest_alloc(&r.t, 64, 8);
	memcpy(gp(&r, buf, 5), "ping", 5);
	head = hr_post(&r, &h, buf, 5, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 0), 0);
	CU_ASSERT_EQUAL(hr_used_idx(&r, &h), 1);
	hr_used(&r, &h, 0, &id, &len);
	CU_ASSERT_EQUAL(id, head);
	CU_ASSERT_EQUAL(len, 5);
	CU_ASSERT_STRING_EQUAL((const char *)gp(&r, buf + 32, 5), "ping");
	/* Little-endian fields in guest memory (VERSION_1). */
	CU_ASSERT_EQUAL(*gp(&r, h.used + 2, 1), 1);
	CU_ASSERT_EQUAL(*gp(&r, h.used + 8, 1), 5);
	CU_ASSERT_EQUAL(*gp(&r, ind + 7, 1), 0x01);
	/* A second request on the next descriptors. */
	memcpy(gp(&r, buf, 3), "ab", 3);
	head = hr_post(&r, &h, buf, 3, buf + 48, 8);
	CU_ASSERT_EQUAL(notify(&r, 0), 0);
	CU_ASSERT_EQUAL(hr_used_idx(&r, &h), 2);
	hr_used(&r, &h, 1, &id, &len);
	CU_ASSERT_EQUAL(id, head);
	CU_ASSERT_EQUAL(len, 3);
	CU_ASSERT_EQUAL(r.m.faults, 0);
	rig_close(&r);
}

BOTH_PROFILES(body_e2e_split)

/* Revision 0: one legacy block, big-endian ring. */
static void body_e2e_legacy(enum sim_profile p)
{
	struct rig r;
	struct hring h;
	u64 q, buf, ind;
	u32 id, len;
	u16 head;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(write_status(&r, 3), OK);
	CU_ASSERT_EQUAL(write_feat(&r, 0, 0x10000000u), OK);
	q = simtest_alloc(&r.t, 2 * 4096, 4096);
	CU_ASSERT_EQUAL(set_vq_legacy(&r, 0, 8, q, 4096), OK);
	ind = simtest_alloc(&r.t, 8, 8);
	CU_ASSERT_EQUAL(set_ind(&r, ind), OK);
	CU_ASSERT_EQUAL(write_status(&r, 7), OK);
	hr_at(&h, q, q + 128, q + 4096, 8, true);
	buf = simtest_alloc(&r.t, 64, 8);
	memcpy(gp(&r, buf, 4), "old", 4);
	head = hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 0), 0);
	CU_ASSERT_EQUAL(hr_used_idx(&r, &h), 1);
	hr_used(&r, &h, 0, &id, &len);
	CU_ASSERT_EQUAL(id, head);
	CU_ASSERT_EQUAL(len, 4);
	CU_ASSERT_EQUAL(*gp(&r, h.used + 3, 1), 1);  /* big-endian idx */
	CU_ASSERT_EQUAL(*gp(&r, h.used + 11, 1), 4); /* big-endian len */
	CU_ASSERT_STRING_EQUAL((const char *)gp(&r, buf + 32, 4), "old");
	CU_ASSERT_EQUAL(*gp(&r, ind + 7, 1), 0x01);
	rig_close(&r);
}

BOTH_PROFILES(body_e2e_legacy)

struct kick {
	struct rig *r;
	u16 q;
};

static int kick_diag(void *ctx)
{
	struct kick *k = ctx;

	return notify(k->r, k->q) == 0 ? 0 : -VERR_IO;
}

/* A packed ring driven by the driver side of ring/vq.h. */
static void body_e2e_packed(enum sim_profile p)
{
	struct sim_vccw_config cfg;
	struct rig r;
	struct vq_layout lay;
	struct vq_config vc;
	struct vq vq;
	struct kick k;
	struct vq_buf bufs[2];
	u64 ring, buf;
	void *priv, *token = NULL;
	u32 len = 0;
	int tok = 1;

	default_cfg(&cfg);
	cfg.ring_packed = true;
	cfg.in_order = true;
	rig_open_with(&r, p, &cfg, 3);
	bring_up(&r, 2, MODERN | VIRTIO_BIT(VIRTIO_F_RING_PACKED) | VIRTIO_BIT(VIRTIO_F_IN_ORDER));
	CU_ASSERT_EQUAL_FATAL(vq_layout(6, true, false, 0, &lay), 0);
	ring = simtest_alloc(&r.t, lay.size, lay.align);
	priv = calloc(1, vq_priv_size(6, true) + 8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(priv);
	k.r = &r;
	k.q = 3;
	memset(&vc, 0, sizeof(vc));
	vc.num = 6;
	vc.packed = true;
	vc.in_order = true;
	vc.desc = gp(&r, ring + lay.desc_off, 16 * 6);
	vc.driver = gp(&r, ring + lay.driver_off, 4);
	vc.device = gp(&r, ring + lay.device_off, 4);
	vc.priv = priv;
	vc.notify = kick_diag;
	vc.notify_ctx = &k;
	CU_ASSERT_EQUAL_FATAL(vq_init(&vq, &vc), 0);
	/* Queue 3 does not exist in this model; queue 0 does. */
	CU_ASSERT_EQUAL(
		set_vq(&r, 3, 6, ring + lay.desc_off, ring + lay.driver_off, ring + lay.device_off),
		qemu_pgm_else(&r, REJECT));
	k.q = 0;
	CU_ASSERT_EQUAL(
		set_vq(&r, 0, 6, ring + lay.desc_off, ring + lay.driver_off, ring + lay.device_off),
		OK);
	CU_ASSERT_EQUAL(write_status(&r, DRIVER_OK_STATUS), OK);
	CU_ASSERT_TRUE(sim_vccw_vqd(r.dev, 0)->in_order);
	buf = simtest_alloc(&r.t, 64, 8);
	memcpy(gp(&r, buf, 7), "packed", 7);
	bufs[0] = (struct vq_buf){ buf, 7 };
	bufs[1] = (struct vq_buf){ buf + 32, 32 };
	CU_ASSERT_EQUAL(vq_add(&vq, bufs, 1, 1, &tok), 0);
	CU_ASSERT_EQUAL(vq_kick(&vq), 0);
	CU_ASSERT_EQUAL(r.m.notifies, 1);
	CU_ASSERT_EQUAL(vq_get_used(&vq, &token, &len), 1);
	CU_ASSERT_PTR_EQUAL(token, &tok);
	CU_ASSERT_EQUAL(len, 7);
	CU_ASSERT_STRING_EQUAL((const char *)gp(&r, buf + 32, 7), "packed");
	CU_ASSERT_FALSE(vq_broken(&vq));
	free(priv);
	rig_close(&r);
}

BOTH_PROFILES(body_e2e_packed)

/* --- Configuration space ----------------------------------------------------------------- */

static void body_read_conf(enum sim_profile p)
{
	struct rig r;
	u8 *b;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	b = gp(&r, r.data, 16);
	/* Before VERSION_1 is accepted: the legacy big-endian layout. */
	memset(b, 0xEE, 16);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_CONF, 0, TM_CONFIG, r.data), OK);
	CU_ASSERT_EQUAL(b[0], 0x11);
	CU_ASSERT_EQUAL(b[3], 0x44);
	CU_ASSERT_EQUAL(b[11], 0xAB);
	CU_ASSERT_EQUAL(b[12], 0xEE);
	CU_ASSERT_EQUAL(residual(&r), 0);
	CU_ASSERT_EQUAL(write_feat(&r, 1, 1), OK);
	memset(b, 0xEE, 16);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_CONF, 0, TM_CONFIG, r.data), OK);
	CU_ASSERT_EQUAL(b[0], 0x44);
	CU_ASSERT_EQUAL(b[3], 0x11);
	/* A partial read, as Linux sends it (B.2): QEMU moves it quietly;
	 * the architecture wants the whole space. */
	memset(b, 0xEE, 16);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_CONF, 0, 8, r.data), arch(&r) ? IL : OK);
	CU_ASSERT_EQUAL(b[7], 0xA7);
	CU_ASSERT_EQUAL(b[8], 0xEE);
	CU_ASSERT_EQUAL(residual(&r), 0);
	/* More than the space. */
	memset(b, 0xEE, 16);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_CONF, 0, 16, r.data), qemu_pgm_else(&r, IL));
	if (arch(&r)) {
		CU_ASSERT_EQUAL(b[11], 0xAB);
		CU_ASSERT_EQUAL(residual(&r), 4);
	}
	/* With SLI: accepted; QEMU 7.2 leaves the residual at 0 (A.6). */
	memset(b, 0xEE, 16);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_CONF, CCW_FLAG_SLI, 16, r.data), OK);
	CU_ASSERT_EQUAL(b[11], 0xAB);
	CU_ASSERT_EQUAL(b[12], 0xEE);
	CU_ASSERT_EQUAL(residual(&r), arch(&r) ? 4 : 0);
	rig_close(&r);
}

BOTH_PROFILES(body_read_conf)

static void body_write_conf(enum sim_profile p)
{
	struct rig r;
	u8 *b;

	rig_open(&r, p);
	CU_ASSERT_EQUAL(set_rev(&r, 1), OK);
	b = gp(&r, r.data, 16);
	memcpy(b, (const u8[]){ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, 16);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_WRITE_CONF, 0, 4, r.data), arch(&r) ? IL : OK);
	CU_ASSERT_EQUAL(r.m.written_len, 4);
	CU_ASSERT_EQUAL(r.m.written[3], 4);
	CU_ASSERT_FALSE(r.m.written_le);
	CU_ASSERT_EQUAL(write_feat(&r, 1, 1), OK);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_WRITE_CONF, 0, TM_CONFIG, r.data), OK);
	CU_ASSERT_EQUAL(r.m.written_len, TM_CONFIG);
	CU_ASSERT_EQUAL(r.m.written[11], 12);
	CU_ASSERT_TRUE(r.m.written_le);
	r.m.written_len = 0;
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_WRITE_CONF, 0, 16, r.data), qemu_pgm_else(&r, IL));
	CU_ASSERT_EQUAL(r.m.written_len, arch(&r) ? TM_CONFIG : 0);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_WRITE_CONF, CCW_FLAG_SLI, 16, r.data), OK);
	CU_ASSERT_EQUAL(residual(&r), 4);
	rig_close(&r);
}

BOTH_PROFILES(body_write_conf)

/* --- Needs reset, identity, hostile addresses ---------------------------------------------- */

static void body_needs_reset(enum sim_profile p)
{
	struct rig r;
	struct sim_io_int ii;
	u64 ci;
	u8 s;

	rig_open(&r, p);
	bring_up(&r, 2, MODERN);
	ci = simtest_alloc(&r.t, 8, 8);
	CU_ASSERT_EQUAL(set_conf_ind(&r, ci), OK);
	CU_ASSERT_EQUAL(write_status(&r, DRIVER_OK_STATUS), OK);
	sim_vccw_needs_reset(r.dev);
	CU_ASSERT_EQUAL(*gp(&r, ci + 7, 1), 0x01);
	CU_ASSERT_TRUE_FATAL(sim_take_io_interrupt(r.sim, &ii));
	CU_ASSERT_EQUAL(ii.schid, r.schid);
	{
		struct irb irb;

		CU_ASSERT_EQUAL(simtest_tsch(&r.t, r.schid, &irb), 0);
	}
	CU_ASSERT_EQUAL(read_status(&r, &s), OK);
	CU_ASSERT_EQUAL(s, DRIVER_OK_STATUS | VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	rig_close(&r);
}

BOTH_PROFILES(body_needs_reset)

/* A driver that breaks the ring rules: the model reports DEVICE_NEEDS_RESET. */
static void body_ring_fault(enum sim_profile p)
{
	struct rig r;
	struct hring h;
	u64 ci;

	rig_open(&r, p);
	modern_queue(&r, &h, 0, 8);
	ci = simtest_alloc(&r.t, 8, 8);
	CU_ASSERT_EQUAL(set_conf_ind(&r, ci), OK);
	CU_ASSERT_EQUAL(write_status(&r, DRIVER_OK_STATUS), OK);
	/* Buffers beyond guest memory. */
	hr_post(&r, &h, sim_mem_size(r.sim) - 2, 16, ~0ull - 8, 16);
	CU_ASSERT_EQUAL(notify(&r, 0), 0);
	CU_ASSERT_EQUAL(r.m.faults, 1);
	CU_ASSERT_EQUAL(vqd_fault(sim_vccw_vqd(r.dev, 0)), VQD_FAULT_ADDR);
	CU_ASSERT_EQUAL(hr_used_idx(&r, &h), 0);
	CU_ASSERT_TRUE(state(&r).status & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	CU_ASSERT_EQUAL(*gp(&r, ci + 7, 1), 0x01);
	rig_close(&r);
}

BOTH_PROFILES(body_ring_fault)

/* Indicator addresses at or past the end of guest memory, or wrapping:
 * nothing is written, no interruption, the host touches nothing outside. */
static void body_bad_indicators(enum sim_profile p)
{
	struct sim_vccw_config cfg;
	struct rig r;
	struct hring h;
	u64 end, buf, sum;
	u8 *tail;

	default_cfg(&cfg);
	rig_open_with(&r, p, &cfg, 12);
	end = sim_mem_size(r.sim);
	tail = gp(&r, end - 8, 8);
	bring_up(&r, 1, MODERN);
	hr_alloc(&r, &h, 16, false);
	CU_ASSERT_EQUAL(set_vq(&r, 9, 16, h.desc, h.avail, h.used), OK);
	buf = simtest_alloc(&r.t, 64, 8);
	sum = simtest_alloc(&r.t, 8, 8);
	CU_ASSERT_EQUAL(write_status(&r, DRIVER_OK_STATUS), OK);

	/* Classic: the word straddles the end (queue 9 is its byte 6). */
	CU_ASSERT_EQUAL(set_ind(&r, end - 6), OK);
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 9), 0);
	CU_ASSERT_EQUAL(hr_used_idx(&r, &h), 1);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	CU_ASSERT_EQUAL(set_ind(&r, ~0ull - 2), OK);
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 9), 0);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	CU_ASSERT_EQUAL(set_conf_ind(&r, end - 7), OK);
	sim_vccw_config_changed(r.dev);
	sim_vccw_needs_reset(r.dev);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	CU_ASSERT_EQUAL(set_conf_ind(&r, ~0ull), OK);
	sim_vccw_config_changed(r.dev);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	CU_ASSERT_EQUAL(set_ind(&r, 0), OK);

	/* Adapter: the bit beyond the end, a wrapping bit number, a bad summary. */
	CU_ASSERT_EQUAL(set_ind_adapter(&r, sum, end - 1, 8 * 8, 3), OK);
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 9), 0);
	CU_ASSERT_EQUAL(*gp(&r, sum, 1), 0);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	CU_ASSERT_EQUAL(set_ind_adapter(&r, sum, buf, ~0ull - 3, 3), OK);
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 9), 0);
	CU_ASSERT_EQUAL(*gp(&r, sum, 1), 0);
	CU_ASSERT_EQUAL(set_ind_adapter(&r, sum, ~0ull - 1, 8 * 8, 3), OK);
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 9), 0);
	CU_ASSERT_EQUAL(*gp(&r, sum, 1), 0);
	CU_ASSERT_EQUAL(set_ind_adapter(&r, end, buf + 48, 0, 3), OK);
	hr_post(&r, &h, buf, 4, buf + 32, 16);
	CU_ASSERT_EQUAL(notify(&r, 9), 0);
	CU_ASSERT_FALSE(sim_io_int_pending(r.sim));
	CU_ASSERT_EQUAL(hr_used_idx(&r, &h), 6);
	/* Guest memory's last bytes are untouched. */
	for (unsigned i = 0; i < 8; i++)
		CU_ASSERT_EQUAL(tail[i], 0);
	CU_ASSERT_EQUAL(r.m.faults, 0);
	rig_close(&r);
}

BOTH_PROFILES(body_bad_indicators)

/* Payloads at the end of guest memory end the channel program, not the host. */
static void body_bad_payload_address(enum sim_profile p)
{
	struct rig r;
	u64 end;

	rig_open(&r, p);
	end = sim_mem_size(r.sim);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_VIRTIO_REV, 0, 4, end - 2), PGM);
	CU_ASSERT_EQUAL(state(&r).revision, -1);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_VQ, 0, 16, end - 8), PGM);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_FEAT, 0, 5, end - 3), PGM);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_CONF, CCW_FLAG_SLI, 64, end - 4), PGM);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_WRITE_CONF, 0, 8, end - 4), PGM);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_IND_ADAPTER, 0, 25, end - 24), PGM);
	CU_ASSERT_EQUAL(state(&r).summary_addr, 0);
	rig_close(&r);
}

BOTH_PROFILES(body_bad_payload_address)

/* Data address 0: QEMU refuses it once the length passed (B.4); for the
 * architecture it is ordinary storage (the lowcore). VDEV_RESET has no
 * data and takes any address. */
static void body_cda_zero(enum sim_profile p)
{
	struct rig r;
	bool q = p == SIM_PROFILE_QEMU;
	enum outcome want = q ? PGM : OK;
	u8 *low;

	rig_open(&r, p);
	low = gp(&r, 0, 16);
	memset(low, 0, 16);
	low[1] = 2; /* a struct vccw_rev asking for revision 2 at address 0 */
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_VIRTIO_REV, 0, 4, 0), want);
	CU_ASSERT_EQUAL(state(&r).revision, q ? -1 : 2);
	if (q) {
		memcpy(gp(&r, r.data, 4), low, 4);
		CU_ASSERT_EQUAL(run(&r, VCCW_CMD_SET_VIRTIO_REV, 0, 4, r.data), OK);
		CU_ASSERT_EQUAL(state(&r).revision, 2);
	}
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_FEAT, 0, 5, 0), want);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_STATUS, 0, 1, 0), want);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_READ_CONF, CCW_FLAG_SLI, 8, 0), want);
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_VDEV_RESET, CCW_FLAG_SLI, 0, 0), OK);
	/* A wrong count is still judged first, as in QEMU. */
	CU_ASSERT_EQUAL(run(&r, VCCW_CMD_WRITE_STATUS, 0, 2, 0), q ? PGM : IL);
	rig_close(&r);
}

BOTH_PROFILES(body_cda_zero)

static void test_identity(void)
{
	struct rig r;
	u8 *b;

	rig_open(&r, SIM_PROFILE_QEMU);
	b = gp(&r, r.data, 256);
	memset(b, 0xEE, 256);
	CU_ASSERT_EQUAL(run(&r, CCW_CMD_SENSE_ID, 0, 256, r.data), OK);
	CU_ASSERT_EQUAL(b[0], 0xFF);
	CU_ASSERT_EQUAL(b[1], 0x38);
	CU_ASSERT_EQUAL(b[2], 0x32);
	CU_ASSERT_EQUAL(b[3], VIRTIO_ID_BLOCK);
	CU_ASSERT_EQUAL(b[4] | b[5] | b[6] | b[7] | b[255], 0);
	CU_ASSERT_PTR_EQUAL(sim_vccw_ctx(r.dev), &r.m);
	rig_close(&r);
}

static void test_attach_refuses(void)
{
	struct sim_vccw_config cfg;
	struct sim_dev_config dc;
	struct simtest t;
	struct tmodel m;

	CU_ASSERT_FATAL(simtest_init(&t, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC));
	memset(&dc, 0, sizeof(dc));
	dc.schno = -1;
	default_cfg(&cfg);
	tm_init(&m, 3);
	cfg.max_revision = 3;
	CU_ASSERT_EQUAL(sim_vccw_attach(t.sim, &dc, &cfg, &m.model, &m, NULL), -1);
	default_cfg(&cfg);
	m.model.nqueues = 1025;
	CU_ASSERT_EQUAL(sim_vccw_attach(t.sim, &dc, &cfg, &m.model, &m, NULL), -1);
	tm_init(&m, 3);
	m.qmax[0] = 40000;
	CU_ASSERT_EQUAL(sim_vccw_attach(t.sim, &dc, &cfg, &m.model, &m, NULL), -1);
	tm_init(&m, 3);
	dc.schno = 0; /* taken by the test device */
	CU_ASSERT_EQUAL(sim_vccw_attach(t.sim, &dc, &cfg, &m.model, &m, NULL), -1);
	simtest_fini(&t);
	CU_ASSERT_EQUAL(m.destroyed, 0);
}

static CU_TestInfo sim_vccw_tests[] = {
	BOTH("SET_VIRTIO_REV first is accepted, a second one is rejected", body_rev_first),
	BOTH("command reject is unit check with sense 0x80, QEMU without CE/DE", body_reject_sense),
	BOTH("a command before SET_VIRTIO_REV locks a transitional device at revision 0", body_rev_lock_in),
	BOTH("revisions above the maximum are rejected; no VERSION_1 means revision 0 only", body_rev_max),
	BOTH("a non-transitional device rejects early commands and revision 0", body_rev_nontransitional),
	BOTH("a non-zero revision length: QEMU takes the data, the spec rejects", body_rev_length_field),
	BOTH("SET_VIRTIO_REV counts: QEMU program check, arch incorrect length or reject", body_rev_short_count),
	BOTH("resets keep the revision, disabling the subchannel forgets it", body_rev_disable),
	BOTH("READ_FEAT: little-endian word, index kept, word 1 from revision 1, legacy bits", body_read_feat),
	BOTH("feature payload lengths: QEMU program check, arch incorrect length", body_feat_lengths),
	BOTH("WRITE_FEAT stores words 0 and 1 until FEATURES_OK", body_write_feat),
	BOTH("FEATURES_OK is refused for unoffered features and without VERSION_1", body_features_ok),
	BOTH("status 0 resets the device, queues and indicators but not the revision", body_status_zero),
	BOTH("VDEV_RESET resets the device and drops adapter indicators", body_vdev_reset),
	BOTH("a device unplugged and plugged again is new: no revision, no setup", body_unplugged),
	BOTH("READ_STATUS needs revision 2 in arch, any revision in QEMU", body_read_status),
	BOTH("READ_VQ_CONF gives big-endian sizes, 0 for absent queues, refuses 1024", body_read_vq_conf),
	BOTH("SET_VQ from revision 1: size, areas in memory and aligned, disable", body_set_vq_modern),
	BOTH("SET_VQ of a packed ring: any size, 4-byte event areas", body_set_vq_packed),
	BOTH("SET_VQ at revision 0: legacy layout, align 4096, num at least the maximum", body_set_vq_legacy),
	BOTH("classic indicators: value bit n of a big-endian word, unsolicited status", body_classic),
	BOTH("configuration change: bit 0 of the classic word, even with adapter indicators", body_config_change),
	BOTH("adapter indicators: MSB-first bit, summary byte, interruption only from summary 0", body_adapter),
	BOTH("SET_IND and SET_IND_ADAPTER exclude each other; address 0 deregisters", body_adapter_rules),
	BOTH("DIAGNOSE 0x500 return codes, and the model hears only after DRIVER_OK", body_diag500),
	BOTH("a modern split ring is served end to end", body_e2e_split),
	BOTH("a legacy big-endian ring at revision 0 is served end to end", body_e2e_legacy),
	BOTH("a packed ring from the ring driver side is served end to end", body_e2e_packed),
	BOTH("READ_CONF: byte order by VERSION_1, partial counts, QEMU's residual 0", body_read_conf),
	BOTH("WRITE_CONF hands the written prefix to the model", body_write_conf),
	BOTH("needs-reset sets DEVICE_NEEDS_RESET and signals a configuration change", body_needs_reset),
	BOTH("a ring outside guest memory stops the queue and asks for a reset", body_ring_fault),
	BOTH("indicators outside guest memory are skipped without interruption", body_bad_indicators),
	BOTH("payloads at the end of guest memory give program check", body_bad_payload_address),
	BOTH("data address 0: QEMU program check, ordinary storage in arch", body_cda_zero),
	{ "SENSE ID shows CU 0x3832 and the device id as model", test_identity },
	{ "attach refuses bad configurations and taken places", test_attach_refuses },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo sim_vccw_suite = { "sim-vccw", NULL, NULL, NULL, NULL, sim_vccw_tests };
