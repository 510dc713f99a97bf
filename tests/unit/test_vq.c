/*
 * ring/: the driver side against the device side in one process, split and
 * packed, both byte orders. Buffer addresses are host addresses in an arena
 * the device's accessor checks, so a bad address can only be refused,
 * never followed (AddressSanitizer watches the rest).
 */
#include <stdlib.h>
#include <string.h>

#include "ring/vq.h"
#include "ring/vq_dev.h"
#include "tests/unit/unit.h"

#define ARENA 65536u
#define IND_MAX 16u
#define SEGS 64u

struct rig {
	bool packed, be;
	unsigned num;
	struct vq_layout lay;
	u8 *ring;
	u8 *priv;
	u8 *ind;
	u8 *arena;
	struct vq vq;
	struct vqd dev;
	struct vq_mem mem;
	struct vq_seg seg[SEGS];
	struct vq_chain chain;
	unsigned notifies;
};

/* The device's view of memory: the arena and the indirect tables only. */
static void *rig_map(void *ctx, u64 addr, u64 len, bool write)
{
	struct rig *r = ctx;
	uintptr_t a = (uintptr_t)addr;
	size_t isz = vq_indirect_size(r->num, IND_MAX);

	(void)write;
	if (a >= (uintptr_t)r->arena && len <= ARENA && a - (uintptr_t)r->arena <= ARENA - len)
		return (void *)a;
	if (r->ind && a >= (uintptr_t)r->ind && len <= isz && a - (uintptr_t)r->ind <= isz - len)
		return (void *)a;
	return NULL;
}

static int rig_notify(void *ctx)
{
	((struct rig *)ctx)->notifies++;
	return 0;
}

struct rig_opts {
	bool packed, be, event_idx, indirect, in_order, legacy;
};

static struct rig *rig_new(unsigned num, const struct rig_opts *o)
{
	struct rig *r = calloc(1, sizeof(*r));
	struct vq_config cfg;
	struct vqd_config dcfg;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	r->packed = o->packed;
	r->be = o->be;
	r->num = num;
	CU_ASSERT_EQUAL_FATAL(vq_layout(num, o->packed, o->legacy, 4096, &r->lay), 0);
	r->ring = aligned_alloc(4096, ALIGN_UP(r->lay.size, (size_t)4096));
	r->priv = aligned_alloc(8, ALIGN_UP(vq_priv_size(num, o->packed), (size_t)8) + 8);
	r->arena = calloc(1, ARENA);
	if (o->indirect)
		r->ind = aligned_alloc(16, vq_indirect_size(num, IND_MAX));
	CU_ASSERT_FATAL(r->ring && r->priv && r->arena && (!o->indirect || r->ind));
	memset(&cfg, 0, sizeof(cfg));
	cfg.num = num;
	cfg.packed = o->packed;
	cfg.event_idx = o->event_idx;
	cfg.in_order = o->in_order;
	cfg.big_endian = o->be;
	cfg.desc = r->ring + r->lay.desc_off;
	cfg.driver = r->ring + r->lay.driver_off;
	cfg.device = r->ring + r->lay.device_off;
	cfg.priv = r->priv;
	cfg.indirect = r->ind;
	cfg.indirect_addr = (u64)(uintptr_t)r->ind;
	cfg.indirect_max = o->indirect ? IND_MAX : 0;
	cfg.notify = rig_notify;
	cfg.notify_ctx = r;
	CU_ASSERT_EQUAL_FATAL(vq_init(&r->vq, &cfg), 0);
	r->mem.map = rig_map;
	r->mem.ctx = r;
	memset(&dcfg, 0, sizeof(dcfg));
	dcfg.num = num;
	dcfg.packed = o->packed;
	dcfg.event_idx = o->event_idx;
	dcfg.indirect = o->indirect;
	dcfg.in_order = o->in_order;
	dcfg.big_endian = o->be;
	dcfg.desc = cfg.desc;
	dcfg.driver = cfg.driver;
	dcfg.device = cfg.device;
	dcfg.mem = &r->mem;
	CU_ASSERT_EQUAL_FATAL(vqd_init(&r->dev, &dcfg), 0);
	r->chain.seg = r->seg;
	r->chain.cap = SEGS;
	return r;
}

static void rig_free(struct rig *r)
{
	free(r->ring);
	free(r->priv);
	free(r->ind);
	free(r->arena);
	free(r);
}

/* A buffer in the arena: offset and length. */
static struct vq_buf buf_at(struct rig *r, u32 off, u32 len)
{
	return (struct vq_buf){ (u64)(uintptr_t)(r->arena + off), len };
}

/* The token of buffer k: any non-NULL value the test can recognise. */
static void *tok(unsigned k)
{
	return (void *)(uintptr_t)(0x1000u + k);
}

/* Device: take every available chain, write `written` bytes, push, flush. */
static unsigned dev_serve(struct rig *r, u32 written)
{
	unsigned n = 0;
	int rc;

	while ((rc = vqd_pop(&r->dev, &r->chain)) == 1) {
		u32 w = written < r->chain.in_len ? written : (u32)r->chain.in_len;

		vqd_push(&r->dev, &r->chain, w);
		n++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	vqd_flush(&r->dev);
	return n;
}

static const struct rig_opts variants[] = {
	{ .packed = false, .be = false },
	{ .packed = false, .be = true },
	{ .packed = true, .be = false },
	{ .packed = true, .be = true },
};

/* --- Sizes, fill and wrap --------------------------------------------------- */

/* Fill the ring, check full is refused without change, serve, collect: tokens and lengths. */
static void fill_and_drain(struct rig *r, unsigned lap)
{
	unsigned num = r->num, k, got = 0;
	struct vq_buf b[2];
	void *t;
	u32 len;

	b[0] = buf_at(r, 0, 16);
	b[1] = buf_at(r, 64, 100);
	for (k = 0; k < num; k++)
		CU_ASSERT_EQUAL_FATAL(vq_add(&r->vq, &b[1], 0, 1, tok(lap * num + k)), 0);
	CU_ASSERT_EQUAL(vq_num_free(&r->vq), 0);
	/* Full: an error, and nothing changes. */
	CU_ASSERT_EQUAL(vq_add(&r->vq, b, 1, 0, tok(9999)), -VERR_NOMEM);
	CU_ASSERT_EQUAL(vq_num_free(&r->vq), 0);
	vq_kick_prepare(&r->vq);
	CU_ASSERT_EQUAL(dev_serve(r, 7), num);
	while (vq_get_used(&r->vq, &t, &len) == 1) {
		CU_ASSERT_EQUAL(len, 7);
		CU_ASSERT(t >= tok(lap * num) && t < tok((lap + 1) * num));
		got++;
	}
	CU_ASSERT_EQUAL(got, num);
	CU_ASSERT_EQUAL(vq_num_free(&r->vq), num);
	CU_ASSERT(!vq_broken(&r->vq));
}

static void test_sizes(void)
{
	static const unsigned packed_sizes[] = { 1, 2, 3, 5, 7, 16, 100, 255, 256, 257, 1000, 4097, 32768 };

	for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
		if (variants[v].packed) {
			for (size_t i = 0; i < ARRAY_SIZE(packed_sizes); i++) {
				struct rig *r = rig_new(packed_sizes[i], &variants[v]);

				for (unsigned lap = 0; lap < 3; lap++)
					fill_and_drain(r, lap);
				rig_free(r);
			}
		} else {
			for (unsigned num = 1; num <= VRING_MAX_SIZE; num *= 2) {
				struct rig *r = rig_new(num, &variants[v]);

				for (unsigned lap = 0; lap < 3; lap++)
					fill_and_drain(r, lap);
				rig_free(r);
			}
		}
	}
}

/* Sizes the layouts do not allow are refused. */
static void test_bad_sizes(void)
{
	struct vq_layout l;

	CU_ASSERT_EQUAL(vq_layout(0, false, false, 0, &l), -VERR_INVAL);
	CU_ASSERT_EQUAL(vq_layout(3, false, false, 0, &l), -VERR_INVAL);
	CU_ASSERT_EQUAL(vq_layout(65536, false, false, 0, &l), -VERR_INVAL);
	CU_ASSERT_EQUAL(vq_layout(32769, true, false, 0, &l), -VERR_INVAL);
	CU_ASSERT_EQUAL(vq_layout(3, true, false, 0, &l), 0);
	/* The legacy layout: used ring on the 4096 boundary (virtio 1.3, 2.7.2). */
	CU_ASSERT_EQUAL(vq_layout(128, false, true, 4096, &l), 0);
	CU_ASSERT_EQUAL(l.driver_off, 2048u);
	CU_ASSERT_EQUAL(l.device_off, 4096u);
	CU_ASSERT_EQUAL(l.size, 8192u);
	CU_ASSERT_EQUAL(vq_layout(256, true, true, 4096, &l), -VERR_INVAL);
	/* Modern: each area on its own cache line. */
	CU_ASSERT_EQUAL(vq_layout(256, false, false, 0, &l), 0);
	CU_ASSERT_EQUAL(l.driver_off % 64, 0u);
	CU_ASSERT_EQUAL(l.device_off % 64, 0u);
	CU_ASSERT(l.device_off >= l.driver_off + vring_avail_size(256));
}

/*
 * Many laps with chains of varying length and out-of-order completion: the
 * 16-bit indices wrap many times and every token comes back once.
 */
static void wrap_run(const struct rig_opts *o, unsigned num, unsigned ops)
{
	struct rig *r = rig_new(num, o);
	unsigned posted = 0, done = 0, seed = 12345;
	u8 *seen = calloc(ops, 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(seen);
	while (done < ops && !vq_broken(&r->vq)) {
		struct vq_buf b[4];
		unsigned n, k, held = 0;
		struct vq_chain hold[4];
		struct vq_seg hold_seg[4][SEGS];
		void *t;
		u32 len;

		/* Post chains of 1 to 4 buffers, the last writable. */
		while (posted < ops) {
			seed = seed * 1103515245u + 12345u;
			n = 1 + (seed >> 16) % 4;
			for (k = 0; k < n; k++)
				b[k] = buf_at(r, 256 * k, 32 + k);
			if (vq_add(&r->vq, b, n - 1, 1, tok(posted)) != 0)
				break;
			posted++;
		}
		vq_kick_prepare(&r->vq);
		/* The device holds back up to four chains and returns them
		 * after the others (out of order), unless in order. */
		for (;;) {
			struct vq_chain *c = held < 4 && !o->in_order ? &hold[held] : &r->chain;

			if (c != &r->chain) {
				c->seg = hold_seg[held];
				c->cap = SEGS;
			}
			if (vqd_pop(&r->dev, c) != 1)
				break;
			if (c != &r->chain)
				held++;
			else
				vqd_push(&r->dev, c, (u32)c->in_len);
		}
		while (held)
			vqd_push(&r->dev, &hold[--held], 1);
		vqd_flush(&r->dev);
		while (vq_get_used(&r->vq, &t, &len) == 1) {
			unsigned id = (unsigned)((uintptr_t)t - 0x1000u);

			CU_ASSERT_FATAL(id < ops);
			CU_ASSERT(!seen[id]);
			seen[id] = 1;
			done++;
		}
	}
	CU_ASSERT(!vq_broken(&r->vq));
	CU_ASSERT_EQUAL(done, ops);
	CU_ASSERT_EQUAL(vq_num_free(&r->vq), num);
	free(seen);
	rig_free(r);
}

static void test_wrap_many_times(void)
{
	for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
		wrap_run(&variants[v], 8, 200000);
		wrap_run(&variants[v], 64, 200000);
	}
	/* A packed ring whose size does not divide the index space. */
	{
		struct rig_opts o = { .packed = true };

		wrap_run(&o, 7, 100000);
	}
}

static void test_in_order(void)
{
	for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
		struct rig_opts o = variants[v];

		o.in_order = true;
		wrap_run(&o, 16, 50000);
		o.indirect = true;
		wrap_run(&o, 16, 50000);
	}
}

/*
 * In order, a split device may write one used entry for a batch: the
 * driver returns every buffer of the batch, in order, the last with the
 * reported length.
 */
static void test_in_order_batch(void)
{
	struct rig_opts o = { .in_order = true };
	struct rig *r = rig_new(8, &o);
	struct vring_used *used = (struct vring_used *)(r->ring + r->lay.device_off);
	struct vq_buf b = buf_at(r, 0, 64);
	void *t;
	u32 len;
	unsigned k;

	for (k = 0; k < 5; k++)
		CU_ASSERT_EQUAL_FATAL(vq_add(&r->vq, &b, 0, 1, tok(k)), 0);
	vq_kick_prepare(&r->vq);
	/* Batch of 3: one entry naming the third buffer (head 2), index += 3. */
	used->ring[0].id = vr32_of(false, 2);
	used->ring[0].len = vr32_of(false, 40);
	used->idx = vr16_of(false, 3);
	for (k = 0; k < 3; k++) {
		CU_ASSERT_EQUAL_FATAL(vq_get_used(&r->vq, &t, &len), 1);
		CU_ASSERT_PTR_EQUAL(t, tok(k));
		CU_ASSERT_EQUAL(len, k == 2 ? 40u : 0u);
	}
	CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), 0);
	/* Then a single one at index 3 for the fourth buffer. */
	used->ring[3].id = vr32_of(false, 3);
	used->ring[3].len = vr32_of(false, 9);
	used->idx = vr16_of(false, 4);
	CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), 1);
	CU_ASSERT_PTR_EQUAL(t, tok(3));
	CU_ASSERT_EQUAL(len, 9);
	/* A batch the index does not cover is a lie. */
	used->ring[4].id = vr32_of(false, 6); /* not in flight */
	used->idx = vr16_of(false, 5);
	CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), -VERR_BROKEN);
	CU_ASSERT_EQUAL(r->vq.fault, VQ_FAULT_USED_ID_IDLE);
	rig_free(r);
}

/* --- Chains, indirect, byte order -------------------------------------------- */

/* The device sees exactly the buffers the driver added, readable first. */
static void test_chain_contents(void)
{
	for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
		for (int ind = 0; ind < 2; ind++) {
			struct rig_opts o = variants[v];
			struct rig *r;
			struct vq_buf b[6];
			unsigned k;
			void *t;
			u32 len;

			o.indirect = ind;
			r = rig_new(16, &o);
			for (k = 0; k < 6; k++)
				b[k] = buf_at(r, 1000 * k, 10 + k);
			CU_ASSERT_EQUAL_FATAL(vq_add(&r->vq, b, 2, 4, tok(1)), 0);
			/* Six buffers take one slot through a table, six without. */
			CU_ASSERT_EQUAL(vq_num_free(&r->vq), ind ? 15u : 10u);
			vq_kick_prepare(&r->vq);
			CU_ASSERT_EQUAL_FATAL(vqd_pop(&r->dev, &r->chain), 1);
			CU_ASSERT_EQUAL(r->chain.nseg, 6);
			for (k = 0; k < 6; k++) {
				CU_ASSERT_EQUAL(r->chain.seg[k].addr, b[k].addr);
				CU_ASSERT_EQUAL(r->chain.seg[k].len, b[k].len);
				CU_ASSERT_EQUAL(r->chain.seg[k].write, k >= 2);
			}
			CU_ASSERT_EQUAL(r->chain.out_len, 10u + 11u);
			CU_ASSERT_EQUAL(r->chain.in_len, 12u + 13u + 14u + 15u);
			vqd_push(&r->dev, &r->chain, 54);
			vqd_flush(&r->dev);
			CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), 1);
			CU_ASSERT_EQUAL(len, 54u);
			CU_ASSERT_EQUAL(vq_num_free(&r->vq), 16u);
			rig_free(r);
		}
	}
}

/* Short chains go direct; a table is used when the ring cannot take them direct. */
static void test_indirect_choice(void)
{
	struct rig_opts o = { .indirect = true };
	struct rig *r = rig_new(4, &o);
	struct vq_buf b[3];

	for (unsigned k = 0; k < 3; k++)
		b[k] = buf_at(r, 100 * k, 8);
	CU_ASSERT_EQUAL(vq_add(&r->vq, b, 1, 1, tok(1)), 0);
	CU_ASSERT_EQUAL(vq_num_free(&r->vq), 2u); /* two buffers direct */
	CU_ASSERT_EQUAL(vq_add(&r->vq, b, 1, 1, tok(2)), 0);
	CU_ASSERT_EQUAL(vq_num_free(&r->vq), 0u);
	/* Nothing free at all: even a table needs one descriptor. */
	CU_ASSERT_EQUAL(vq_add(&r->vq, b, 1, 1, tok(3)), -VERR_NOMEM);
	rig_free(r);
	/* More buffers than a table holds, and more than the ring: refused. */
	r = rig_new(4, &o);
	{
		struct vq_buf many[IND_MAX + 1];

		for (unsigned k = 0; k <= IND_MAX; k++)
			many[k] = buf_at(r, 0, 1);
		CU_ASSERT_EQUAL(vq_add(&r->vq, many, IND_MAX + 1, 0, tok(1)), -VERR_NOMEM);
		CU_ASSERT_EQUAL(vq_num_free(&r->vq), 4u);
	}
	rig_free(r);
}

/* The bytes in memory follow the ring's byte order, whatever the CPU's. */
static void test_byte_order(void)
{
	for (int be = 0; be < 2; be++) {
		struct rig_opts o = { .be = be };
		struct rig *r = rig_new(4, &o);
		struct vq_buf b = { 0x0102030405060708ull, 0x11223344 };
		const u8 *d = r->ring + r->lay.desc_off;
		const u8 *avail = r->ring + r->lay.driver_off;
		static const u8 le_desc[16] = { 8, 7, 6, 5, 4, 3, 2, 1, 0x44, 0x33, 0x22, 0x11, 2, 0, 1, 0 };
		static const u8 be_desc[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 0x11, 0x22, 0x33, 0x44, 0, 2, 0, 1 };

		CU_ASSERT_EQUAL_FATAL(vq_add(&r->vq, &b, 0, 1, tok(1)), 0);
		vq_kick_prepare(&r->vq);
		/* addr, len, flags = WRITE (2), next = 1 (the free list's next). */
		CU_ASSERT_EQUAL(memcmp(d, be ? be_desc : le_desc, 16), 0);
		/* avail->idx = 1 at byte 2. */
		CU_ASSERT_EQUAL(avail[2], be ? 0 : 1);
		CU_ASSERT_EQUAL(avail[3], be ? 1 : 0);
		rig_free(r);
	}
	for (int be = 0; be < 2; be++) {
		struct rig_opts o = { .packed = true, .be = be };
		struct rig *r = rig_new(4, &o);
		struct vq_buf b = { 0x0102030405060708ull, 0x11223344 };
		const u8 *d = r->ring + r->lay.desc_off;

		CU_ASSERT_EQUAL_FATAL(vq_add(&r->vq, &b, 1, 0, tok(1)), 0);
		vq_kick_prepare(&r->vq);
		/* id 0, flags AVAIL (0x0080) for wrap counter 1. */
		CU_ASSERT_EQUAL(d[0], be ? 1 : 8);
		CU_ASSERT_EQUAL(d[14], be ? 0x00 : 0x80);
		CU_ASSERT_EQUAL(d[15], be ? 0x80 : 0x00);
		rig_free(r);
	}
}

/* Nothing added is visible before the kick; then all of it is. */
static void test_publish_at_kick(void)
{
	for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
		struct rig *r = rig_new(8, &variants[v]);
		struct vq_buf b = buf_at(r, 0, 8);

		CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(1)), 0);
		CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(2)), 0);
		CU_ASSERT(!vqd_avail(&r->dev));
		CU_ASSERT_EQUAL(vqd_pop(&r->dev, &r->chain), 0);
		vq_kick_prepare(&r->vq);
		CU_ASSERT(vqd_avail(&r->dev));
		CU_ASSERT_EQUAL(dev_serve(r, 1), 2);
		rig_free(r);
	}
}

/* Bad calls are refused without change. */
static void test_bad_calls(void)
{
	struct rig *r = rig_new(4, &variants[0]);
	struct vq_buf b = buf_at(r, 0, 8);
	void *t;
	u32 len;

	CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 0, tok(1)), -VERR_INVAL);
	CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, NULL), -VERR_INVAL);
	CU_ASSERT_EQUAL(vq_num_free(&r->vq), 4u);
	CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), 0);
	CU_ASSERT(!vq_kick_prepare(&r->vq)); /* nothing to publish */
	CU_ASSERT_EQUAL(r->notifies, 0);
	rig_free(r);
}

/* In-flight buffers come back once each for a reset, then none. */
static void test_detach(void)
{
	for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
		struct rig *r = rig_new(8, &variants[v]);
		struct vq_buf b = buf_at(r, 0, 8);
		unsigned k, got = 0;
		void *t;

		for (k = 0; k < 5; k++)
			CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(k)), 0);
		while ((t = vq_detach_unused(&r->vq)) != NULL) {
			CU_ASSERT(t >= tok(0) && t < tok(5));
			got++;
		}
		CU_ASSERT_EQUAL(got, 5);
		CU_ASSERT_EQUAL(vq_num_free(&r->vq), 8u);
		rig_free(r);
	}
}

/* --- Notifications and event indices ---------------------------------------- */

/* Without event indices the flags decide: device no-notify, driver no-interrupt. */
static void test_flags_suppression(void)
{
	for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
		struct rig *r = rig_new(8, &variants[v]);
		struct vq_buf b = buf_at(r, 0, 8);

		CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(1)), 0);
		CU_ASSERT(vq_kick_prepare(&r->vq));
		vqd_disable_notify(&r->dev);
		CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(2)), 0);
		CU_ASSERT(!vq_kick_prepare(&r->vq));
		CU_ASSERT(!vqd_enable_notify(&r->dev)); /* buffers are waiting */
		CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(3)), 0);
		CU_ASSERT(vq_kick_prepare(&r->vq));
		/* Driver side: interrupts off, then on. */
		vq_disable_cb(&r->vq);
		CU_ASSERT_EQUAL(vqd_pop(&r->dev, &r->chain), 1);
		vqd_push(&r->dev, &r->chain, 1);
		CU_ASSERT(!vqd_flush(&r->dev));
		CU_ASSERT(!vq_enable_cb(&r->vq)); /* one is already used */
		CU_ASSERT_EQUAL(vqd_pop(&r->dev, &r->chain), 1);
		vqd_push(&r->dev, &r->chain, 1);
		CU_ASSERT(vqd_flush(&r->dev));
		rig_free(r);
	}
}

/*
 * Event indices across the 16-bit wrap: run the indices up to just below
 * 65536 and check that exactly the crossing of the other side's event index
 * asks for a notification.
 */
static void test_event_idx_at_wrap(void)
{
	for (int packed = 0; packed < 2; packed++) {
		struct rig_opts o = { .packed = packed, .event_idx = true };
		struct rig *r = rig_new(packed ? 6 : 8, &o);
		struct vq_buf b = buf_at(r, 0, 8);
		unsigned k, kicks = 0, irqs = 0, ops = 65536 + 300;
		void *t;
		u32 len;

		for (k = 0; k < ops; k++) {
			bool want_kick, want_irq;

			/* The device asks to be told about the next buffer only
			 * every 7th time; the driver about every 5th. */
			if (k % 7 == 0)
				vqd_enable_notify(&r->dev);
			if (k % 5 == 0)
				vq_enable_cb(&r->vq);
			CU_ASSERT_EQUAL_FATAL(vq_add(&r->vq, &b, 0, 1, tok(k)), 0);
			want_kick = vq_kick_prepare(&r->vq);
			/* Exactly after an enable, the next buffer notifies. */
			CU_ASSERT_EQUAL(want_kick, k % 7 == 0);
			kicks += want_kick;
			CU_ASSERT_EQUAL_FATAL(vqd_pop(&r->dev, &r->chain), 1);
			vqd_push(&r->dev, &r->chain, 1);
			want_irq = vqd_flush(&r->dev);
			CU_ASSERT_EQUAL(want_irq, k % 5 == 0);
			irqs += want_irq;
			CU_ASSERT_EQUAL_FATAL(vq_get_used(&r->vq, &t, &len), 1);
		}
		CU_ASSERT_EQUAL(kicks, (ops + 6) / 7);
		CU_ASSERT_EQUAL(irqs, (ops + 4) / 5);
		rig_free(r);
	}
}

/*
 * vq_publish() and vqd_publish() make buffers visible one at a time, as a
 * polling peer wants, and leave the notification decision to the next
 * vq_kick_prepare() / vqd_flush(), which covers everything published since
 * the last decision: with flags, and with event indices an event index
 * crossed by a publish alone still asks for the notification.
 */
static void test_publish_without_decision(void)
{
	for (size_t v = 0; v < 2 * ARRAY_SIZE(variants); v++) {
		struct rig_opts o = variants[v % ARRAY_SIZE(variants)];
		struct rig *r;
		struct vq_buf b;
		void *t;
		u32 len;

		o.event_idx = v >= ARRAY_SIZE(variants);
		r = rig_new(8, &o);
		b = buf_at(r, 0, 8);
		/* The device asks for the next buffer's notification. */
		CU_ASSERT(vqd_enable_notify(&r->dev));
		CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(1)), 0);
		vq_publish(&r->vq);
		CU_ASSERT(vqd_avail(&r->dev));
		CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(2)), 0);
		vq_publish(&r->vq);
		/* The decision covers both publishes: the device asked. */
		CU_ASSERT(vq_kick_prepare(&r->vq));
		/* Nothing since: nothing to say. */
		CU_ASSERT(!vq_kick_prepare(&r->vq));
		vq_publish(&r->vq);
		CU_ASSERT(!vq_kick_prepare(&r->vq));

		/* The device side the same way. */
		CU_ASSERT(vq_enable_cb(&r->vq));
		CU_ASSERT_EQUAL(vqd_pop(&r->dev, &r->chain), 1);
		vqd_push(&r->dev, &r->chain, 1);
		vqd_publish(&r->dev);
		CU_ASSERT(vq_more_used(&r->vq));
		CU_ASSERT_EQUAL(vqd_pop(&r->dev, &r->chain), 1);
		vqd_push(&r->dev, &r->chain, 2);
		vqd_publish(&r->dev);
		CU_ASSERT(vqd_flush(&r->dev));
		CU_ASSERT(!vqd_flush(&r->dev));
		CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), 1);
		CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), 1);
		CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), 0);

		/* Many laps published without a decision: the next decision
		 * notifies, whatever lap the event index names. */
		if (o.event_idx) {
			/* Both ask once, at the current index, then poll. */
			CU_ASSERT(vqd_enable_notify(&r->dev));
			CU_ASSERT(vq_enable_cb(&r->vq));
			for (unsigned k = 0; k < 5 * r->num; k++) {
				CU_ASSERT_EQUAL_FATAL(vq_add(&r->vq, &b, 0, 1, tok(10 + k)), 0);
				vq_publish(&r->vq);
				CU_ASSERT_EQUAL_FATAL(vqd_pop(&r->dev, &r->chain), 1);
				vqd_push(&r->dev, &r->chain, 1);
				vqd_publish(&r->dev);
				CU_ASSERT_EQUAL_FATAL(vq_get_used(&r->vq, &t, &len), 1);
			}
			CU_ASSERT(vq_kick_prepare(&r->vq));
			CU_ASSERT(vqd_flush(&r->dev));
		}
		CU_ASSERT(!vq_broken(&r->vq));
		CU_ASSERT_EQUAL(vqd_fault(&r->dev), VQD_OK);
		rig_free(r);
	}
}

/* The notification callback's failure breaks the queue. */
static int failing_notify(void *ctx)
{
	(void)ctx;
	return -1;
}

static void test_notify_failure(void)
{
	struct rig *r = rig_new(4, &variants[0]);
	struct vq_buf b = buf_at(r, 0, 8);

	r->vq.notify = failing_notify;
	CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(1)), 0);
	CU_ASSERT_EQUAL(vq_kick(&r->vq), -VERR_BROKEN);
	CU_ASSERT_EQUAL(r->vq.fault, VQ_FAULT_NOTIFY);
	CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(2)), -VERR_BROKEN);
	rig_free(r);
}

/* --- A hostile device: every field the driver reads -------------------------- */

/* Post two buffers of 64 writable bytes, let the device take them. */
static struct rig *hostile_setup(bool packed)
{
	struct rig_opts o = { .packed = packed };
	struct rig *r = rig_new(8, &o);
	struct vq_buf b = buf_at(r, 0, 64);

	CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(1)), 0);
	CU_ASSERT_EQUAL(vq_add(&r->vq, &b, 0, 1, tok(2)), 0);
	vq_kick_prepare(&r->vq);
	return r;
}

static void expect_broken(struct rig *r, enum vq_fault f)
{
	void *t = NULL;
	u32 len;

	CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), -VERR_BROKEN);
	CU_ASSERT_EQUAL(r->vq.fault, f);
	CU_ASSERT_PTR_NULL(t);
	/* Broken stays broken, and nothing else is touched. */
	CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), -VERR_BROKEN);
	CU_ASSERT_EQUAL(vq_add(&r->vq, &(struct vq_buf){ 0, 1 }, 0, 1, tok(3)), -VERR_BROKEN);
	CU_ASSERT(!vq_more_used(&r->vq));
	CU_ASSERT_STRING_NOT_EQUAL(vq_fault_str(f), "ok");
}

static void test_hostile_split(void)
{
	struct rig *r;
	struct vring_used *used;

	/* used id beyond the ring */
	r = hostile_setup(false);
	used = (struct vring_used *)(r->ring + r->lay.device_off);
	used->ring[0] = (struct vring_used_elem){ vr32_of(false, 8), vr32_of(false, 1) };
	used->idx = vr16_of(false, 1);
	expect_broken(r, VQ_FAULT_USED_ID_RANGE);
	rig_free(r);
	/* used id of a descriptor not in flight (not a head) */
	r = hostile_setup(false);
	used = (struct vring_used *)(r->ring + r->lay.device_off);
	used->ring[0] = (struct vring_used_elem){ vr32_of(false, 5), vr32_of(false, 1) };
	used->idx = vr16_of(false, 1);
	expect_broken(r, VQ_FAULT_USED_ID_IDLE);
	rig_free(r);
	/* the same id twice */
	r = hostile_setup(false);
	used = (struct vring_used *)(r->ring + r->lay.device_off);
	used->ring[0] = (struct vring_used_elem){ vr32_of(false, 0), vr32_of(false, 1) };
	used->ring[1] = (struct vring_used_elem){ vr32_of(false, 0), vr32_of(false, 1) };
	used->idx = vr16_of(false, 2);
	{
		void *t;
		u32 len;

		CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), 1);
	}
	expect_broken(r, VQ_FAULT_USED_ID_IDLE);
	rig_free(r);
	/* a length larger than the buffer */
	r = hostile_setup(false);
	used = (struct vring_used *)(r->ring + r->lay.device_off);
	used->ring[0] = (struct vring_used_elem){ vr32_of(false, 0), vr32_of(false, 65) };
	used->idx = vr16_of(false, 1);
	expect_broken(r, VQ_FAULT_USED_LEN);
	rig_free(r);
	/* a used index that jumps past what is in flight, and past the ring */
	for (int jump = 3; jump <= 9; jump += 6) {
		r = hostile_setup(false);
		used = (struct vring_used *)(r->ring + r->lay.device_off);
		used->idx = vr16_of(false, (u16)jump);
		expect_broken(r, VQ_FAULT_USED_IDX_JUMP);
		rig_free(r);
	}
	/* an index that runs backwards is a jump of almost 65536 */
	r = hostile_setup(false);
	used = (struct vring_used *)(r->ring + r->lay.device_off);
	used->idx = vr16_of(false, 0xFFFF);
	expect_broken(r, VQ_FAULT_USED_IDX_JUMP);
	rig_free(r);
}

static void test_hostile_packed(void)
{
	static const struct {
		u16 id;
		u32 len;
		enum vq_fault f;
	} cases[] = {
		{ 8, 1, VQ_FAULT_USED_ID_RANGE },
		{ 0xFFFF, 1, VQ_FAULT_USED_ID_RANGE },
		{ 5, 1, VQ_FAULT_USED_ID_IDLE },
		{ 0, 65, VQ_FAULT_USED_LEN },
		{ 0, 0xFFFFFFFFu, VQ_FAULT_USED_LEN },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct rig *r = hostile_setup(true);
		struct vring_packed_desc *d = (struct vring_packed_desc *)(r->ring + r->lay.desc_off);

		d[0].id = vr16_of(false, cases[i].id);
		d[0].len = vr32_of(false, cases[i].len);
		d[0].flags = vr16_of(false, VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED);
		expect_broken(r, cases[i].f);
		rig_free(r);
	}
	/* Used flags of the wrong wrap counter are not a used descriptor. */
	{
		struct rig *r = hostile_setup(true);
		struct vring_packed_desc *d = (struct vring_packed_desc *)(r->ring + r->lay.desc_off);
		void *t;
		u32 len;

		d[0].flags = vr16_of(false, 0);
		CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), 0);
		d[0].flags = vr16_of(false, VRING_PACKED_DESC_F_USED);
		CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), 0);
		CU_ASSERT(!vq_broken(&r->vq));
		rig_free(r);
	}
}

/* --- A hostile driver: every field the device reads --------------------------- */

/* Driver posts one chain (2 buffers); the test then corrupts it. */
static struct rig *rogue_setup(bool packed, bool indirect, unsigned nbufs)
{
	struct rig_opts o = { .packed = packed, .indirect = indirect };
	struct rig *r = rig_new(8, &o);
	struct vq_buf b[4];

	for (unsigned k = 0; k < 4; k++)
		b[k] = buf_at(r, 128 * k, 16);
	CU_ASSERT_EQUAL(vq_add(&r->vq, b, 1, nbufs - 1, tok(1)), 0);
	vq_kick_prepare(&r->vq);
	return r;
}

static void expect_dev_fault(struct rig *r, enum vqd_fault f)
{
	CU_ASSERT_EQUAL(vqd_pop(&r->dev, &r->chain), -VERR_PROTO);
	CU_ASSERT_EQUAL(vqd_fault(&r->dev), f);
	/* Stopped: nothing more is taken or published. */
	CU_ASSERT_EQUAL(vqd_pop(&r->dev, &r->chain), -VERR_PROTO);
	CU_ASSERT(!vqd_avail(&r->dev));
	CU_ASSERT(!vqd_flush(&r->dev));
	CU_ASSERT_STRING_NOT_EQUAL(vqd_fault_str(f), "ok");
}

static void test_rogue_split(void)
{
	struct rig *r;
	struct vring_desc *d;
	struct vring_avail *av;

#define SETUP(ind, n)                                                            \
	r = rogue_setup(false, ind, n);                                          \
	d = (struct vring_desc *)(r->ring + r->lay.desc_off);                    \
	av = (struct vring_avail *)(r->ring + r->lay.driver_off)

	SETUP(false, 2); /* available index moved by more than the ring */
	av->idx = vr16_of(false, 9);
	expect_dev_fault(r, VQD_FAULT_AVAIL_IDX);
	rig_free(r);
	SETUP(false, 2); /* head beyond the ring */
	av->ring[0] = vr16_of(false, 8);
	expect_dev_fault(r, VQD_FAULT_HEAD_RANGE);
	rig_free(r);
	SETUP(false, 2); /* next beyond the ring */
	d[0].next = vr16_of(false, 200);
	expect_dev_fault(r, VQD_FAULT_NEXT_RANGE);
	rig_free(r);
	SETUP(false, 2); /* a loop */
	d[1].flags = vr16_of(false, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	d[1].next = vr16_of(false, 0);
	expect_dev_fault(r, VQD_FAULT_ORDER); /* back at the readable head after a writable */
	rig_free(r);
	SETUP(false, 2); /* a loop of readable buffers */
	d[1].flags = vr16_of(false, VRING_DESC_F_NEXT);
	d[1].next = vr16_of(false, 1);
	expect_dev_fault(r, VQD_FAULT_LOOP);
	rig_free(r);
	SETUP(false, 2); /* readable after writable */
	d[0].flags = vr16_of(false, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	d[1].flags = vr16_of(false, 0);
	expect_dev_fault(r, VQD_FAULT_ORDER);
	rig_free(r);
	SETUP(false, 2); /* a buffer outside memory */
	d[1].addr = vr64_of(false, 0x10);
	expect_dev_fault(r, VQD_FAULT_ADDR);
	rig_free(r);
	SETUP(false, 2); /* a buffer running past the end of memory */
	d[1].len = vr32_of(false, ARENA);
	expect_dev_fault(r, VQD_FAULT_ADDR);
	rig_free(r);
	SETUP(false, 2); /* indirect not negotiated */
	d[0].flags = vr16_of(false, VRING_DESC_F_INDIRECT);
	expect_dev_fault(r, VQD_FAULT_INDIRECT);
	rig_free(r);
	SETUP(true, 4); /* indirect with NEXT */
	d[0].flags = vr16_of(false, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT);
	expect_dev_fault(r, VQD_FAULT_INDIRECT);
	rig_free(r);
	SETUP(true, 4); /* table length not a multiple of 16 */
	d[0].len = vr32_of(false, 4 * 16 - 1);
	expect_dev_fault(r, VQD_FAULT_INDIRECT);
	rig_free(r);
	SETUP(true, 4); /* table outside memory */
	d[0].addr = vr64_of(false, 0x100);
	expect_dev_fault(r, VQD_FAULT_ADDR);
	rig_free(r);
	SETUP(true, 4); /* nested indirect */
	{
		struct vring_desc *t = (struct vring_desc *)r->ind;

		t[1].flags = vr16_of(false, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT);
		expect_dev_fault(r, VQD_FAULT_INDIRECT);
	}
	rig_free(r);
	SETUP(true, 4); /* next beyond the table, and a loop in it */
	{
		struct vring_desc *t = (struct vring_desc *)r->ind;

		t[1].next = vr16_of(false, 4);
		expect_dev_fault(r, VQD_FAULT_NEXT_RANGE);
		rig_free(r);
		SETUP(true, 4);
		t = (struct vring_desc *)r->ind;
		t[2].next = vr16_of(false, 1);
		t[2].flags = vr16_of(false, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
		t[1].flags = vr16_of(false, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
		expect_dev_fault(r, VQD_FAULT_LOOP);
	}
	rig_free(r);
#undef SETUP
	/* More buffers than the device model takes. */
	r = rogue_setup(false, false, 4);
	r->chain.cap = 3;
	expect_dev_fault(r, VQD_FAULT_TOO_LONG);
	rig_free(r);
}

static void test_rogue_packed(void)
{
	struct rig *r;
	struct vring_packed_desc *d;

#define SETUP(ind, n)                  \
	r = rogue_setup(true, ind, n); \
	d = (struct vring_packed_desc *)(r->ring + r->lay.desc_off)

	SETUP(false, 2); /* readable after writable */
	d[0].flags = vr16_of(false, VRING_PACKED_DESC_F_AVAIL | VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	d[1].flags = vr16_of(false, VRING_PACKED_DESC_F_AVAIL);
	expect_dev_fault(r, VQD_FAULT_ORDER);
	rig_free(r);
	SETUP(false, 2); /* a buffer outside memory */
	d[1].addr = vr64_of(false, 0x10);
	expect_dev_fault(r, VQD_FAULT_ADDR);
	rig_free(r);
	SETUP(false, 2); /* a chain that never ends: NEXT on every slot */
	for (unsigned i = 0; i < 8; i++) {
		d[i].flags = vr16_of(false, VRING_PACKED_DESC_F_AVAIL | VRING_DESC_F_NEXT);
		d[i].addr = vr64_of(false, (u64)(uintptr_t)r->arena);
		d[i].len = vr32_of(false, 1);
	}
	expect_dev_fault(r, VQD_FAULT_LOOP);
	rig_free(r);
	SETUP(false, 2); /* indirect not negotiated */
	d[0].flags = vr16_of(false, VRING_PACKED_DESC_F_AVAIL | VRING_DESC_F_INDIRECT);
	expect_dev_fault(r, VQD_FAULT_INDIRECT);
	rig_free(r);
	SETUP(true, 4); /* table length not a multiple of 16 */
	d[0].len = vr32_of(false, 17);
	expect_dev_fault(r, VQD_FAULT_INDIRECT);
	rig_free(r);
	SETUP(true, 4); /* nested indirect */
	{
		struct vring_packed_desc *t = (struct vring_packed_desc *)r->ind;

		t[2].flags = vr16_of(false, VRING_DESC_F_INDIRECT);
		expect_dev_fault(r, VQD_FAULT_INDIRECT);
	}
	rig_free(r);
	SETUP(true, 4); /* an indirect entry outside memory */
	{
		struct vring_packed_desc *t = (struct vring_packed_desc *)r->ind;

		t[3].len = vr32_of(false, ARENA);
		expect_dev_fault(r, VQD_FAULT_ADDR);
	}
	rig_free(r);
#undef SETUP
}

/* A device that stopped on a rogue chain leaves the driver's ring alone. */
static void test_rogue_stops_cleanly(void)
{
	struct rig *r = rogue_setup(false, false, 2);
	struct vring_avail *av = (struct vring_avail *)(r->ring + r->lay.driver_off);
	struct vring_used *used = (struct vring_used *)(r->ring + r->lay.device_off);
	void *t;
	u32 len;

	av->ring[0] = vr16_of(false, 100);
	expect_dev_fault(r, VQD_FAULT_HEAD_RANGE);
	vqd_push(&r->dev, &r->chain, 1);
	CU_ASSERT_EQUAL(vr16_get(false, used->idx), 0);
	CU_ASSERT_EQUAL(vq_get_used(&r->vq, &t, &len), 0);
	rig_free(r);
}

/*
 * Garbage in the suppression fields each side reads from the other (flags,
 * event indices, event-suppression areas) only changes whether to notify:
 * both sides keep working and nothing breaks.
 */
static void test_suppression_garbage(void)
{
	static const u16 junk[] = { 0x0000, 0x0001, 0x0002, 0x0003, 0x7FFF, 0x8000, 0xFFFF, 0x1234 };

	for (int packed = 0; packed < 2; packed++) {
		for (int ev = 0; ev < 2; ev++) {
			struct rig_opts o = { .packed = packed, .event_idx = ev };
			struct rig *r = rig_new(8, &o);
			struct vq_buf b = buf_at(r, 0, 8);
			u8 *drv = r->ring + r->lay.driver_off, *dev = r->ring + r->lay.device_off;
			void *t;
			u32 len;

			for (unsigned k = 0; k < 200; k++) {
				u16 g = junk[k % ARRAY_SIZE(junk)];

				/* The device scribbles over what the driver reads... */
				if (packed) {
					memcpy(dev, &g, 2);
					memcpy(dev + 2, &g, 2);
				} else {
					memcpy(dev, &g, 2); /* used->flags */
					memcpy(dev + 4 + 8 * 8, &g, 2); /* avail_event */
				}
				CU_ASSERT_EQUAL_FATAL(vq_add(&r->vq, &b, 0, 1, tok(k)), 0);
				vq_kick_prepare(&r->vq);
				/* ...and the driver over what the device reads. */
				if (packed) {
					memcpy(drv, &g, 2);
					memcpy(drv + 2, &g, 2);
				} else {
					memcpy(drv, &g, 2); /* avail->flags */
					memcpy(drv + 4 + 2 * 8, &g, 2); /* used_event */
				}
				CU_ASSERT_EQUAL_FATAL(vqd_pop(&r->dev, &r->chain), 1);
				vqd_push(&r->dev, &r->chain, 1);
				vqd_flush(&r->dev);
				CU_ASSERT_EQUAL_FATAL(vq_get_used(&r->vq, &t, &len), 1);
				CU_ASSERT_PTR_EQUAL(t, tok(k));
			}
			CU_ASSERT(!vq_broken(&r->vq));
			CU_ASSERT_EQUAL(vqd_fault(&r->dev), VQD_OK);
			rig_free(r);
		}
	}
}

static CU_TestInfo vq_tests[] = {
	{ "every ring size from 1 to 32768 fills, refuses more and drains", test_sizes },
	{ "sizes the layouts do not allow are refused; legacy and modern layouts", test_bad_sizes },
	{ "indices wrap many times with out-of-order completions", test_wrap_many_times },
	{ "in order, with and without indirect tables", test_in_order },
	{ "in order: a batch with one used entry returns every buffer", test_in_order_batch },
	{ "the device sees the driver's buffers, readable first", test_chain_contents },
	{ "long chains or a full ring use an indirect table", test_indirect_choice },
	{ "ring bytes follow the ring's byte order", test_byte_order },
	{ "added buffers become visible at the kick", test_publish_at_kick },
	{ "bad calls are refused without change", test_bad_calls },
	{ "in-flight buffers detach once each", test_detach },
	{ "flags suppress notifications both ways", test_flags_suppression },
	{ "event indices notify exactly at the crossing, across the wrap", test_event_idx_at_wrap },
	{ "publishing without a decision: the next decision covers it all", test_publish_without_decision },
	{ "a failed notification breaks the queue", test_notify_failure },
	{ "split: every device-written field that lies breaks the queue", test_hostile_split },
	{ "packed: every device-written field that lies breaks the queue", test_hostile_packed },
	{ "split: every driver-written field that lies stops the device", test_rogue_split },
	{ "packed: every driver-written field that lies stops the device", test_rogue_packed },
	{ "a stopped device publishes nothing", test_rogue_stops_cleanly },
	{ "garbage in the suppression fields changes only the notifications", test_suppression_garbage },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vq_suite = { "vq", NULL, NULL, NULL, NULL, vq_tests };
