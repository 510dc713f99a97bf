/*
 * Fuzzer 4: the driver side of the rings (ring/vq.h) against a hostile
 * device. The input chooses the ring (split or packed, byte order, event
 * index, in order, indirect tables, a failing notification, the size) and
 * then a sequence of operations: the driver adding chains, kicking,
 * collecting and turning interruptions on and off; an honest device
 * (ring/vq_dev.h) serving chains; and a hostile device writing whatever it
 * likes where a device may write: the used ring (split), the descriptors
 * and its event-suppression area (packed).
 *
 * Every ring area, the driver's private memory and its indirect tables are
 * allocations of their own exact size, so AddressSanitizer sees any access
 * past them. Beyond that the fuzzer checks what vq.h promises: a token
 * comes back only if it was given and is in flight, once, with a length no
 * larger than its writable buffers; the driver never writes the device's
 * areas nor the buffers; once broken it fails every call and writes
 * nothing; while the device is honest the queue never breaks and the
 * device sees exactly the chains the driver added; and a reset
 * (vq_detach_unused) gives back exactly the tokens still in flight.
 */
#include "ring/vq_dev.h"
#include "ring/vq_priv.h"
#include "tests/fuzz/fuzz.h"

#define ARENA	  0x4000u /* the buffers */
#define MAX_OPS	  512u
#define MAX_TOK	  1024u /* tokens one input may hand out */
#define MAX_BUFS  8u	/* per chain: out and in each up to 7 */
#define MAX_STEPS 64u	/* chains served or collected by one operation */
#define SEGS	  64u

struct tok {
	bool in_flight;
	unsigned nbuf, out;
	struct vq_buf buf[2 * MAX_BUFS];
	u64 in_len;
};

struct rig {
	struct vq vq;
	struct vqd dev;
	struct vq_mem mem;
	bool packed, be, in_order;
	unsigned num;
	u8 *desc, *driver, *device, *priv, *ind;
	size_t desc_len, driver_len, device_len, ind_len;
	u8 *arena;
	/* Copies of the ring after the device's last move, to see what the
	 * driver wrote since. */
	u8 *snap_desc, *snap_driver, *snap_device, *snap_ind;
	bool hostile;	   /* the device has written something of its own */
	bool wild;	   /* the driver was given a buffer the device cannot map */
	bool desc_written; /* packed: the hostile device wrote descriptors */
	bool notify_fails;
	bool was_broken; /* at the last check */
	struct tok *tok; /* tok_pool: each is set up when it is handed out */
	unsigned ntok, in_flight;
	struct vq_seg seg[SEGS];
};

static struct tok tok_pool[MAX_TOK];
static u8 arena_pattern[ARENA];

static int rig_notify(void *ctx)
{
	return ((struct rig *)ctx)->notify_fails ? -VERR_IO : 0;
}

/* The honest device sees the arena and the indirect tables. */
static void *rig_map(void *ctx, u64 addr, u64 len, bool write)
{
	struct rig *r = ctx;
	uintptr_t a = (uintptr_t)addr;

	(void)write;
	if (a >= (uintptr_t)r->arena && len <= ARENA && a - (uintptr_t)r->arena <= ARENA - len)
		return (void *)a;
	if (r->ind && a >= (uintptr_t)r->ind && len <= r->ind_len &&
	    a - (uintptr_t)r->ind <= r->ind_len - len)
		return (void *)a;
	return NULL;
}

static void snap(struct rig *r)
{
	memcpy(r->snap_desc, r->desc, r->desc_len);
	memcpy(r->snap_driver, r->driver, r->driver_len);
	memcpy(r->snap_device, r->device, r->device_len);
	if (r->ind)
		memcpy(r->snap_ind, r->ind, r->ind_len);
}

/* --- Checks after every driver call ------------------------------------------ */

static void check_driver(struct rig *r)
{
	unsigned used = 0;

	/* The device's areas are the device's: split used ring, packed
	 * device event suppression. */
	FUZZ_CHECK(memcmp(r->snap_device, r->device, r->device_len) == 0);
	/* A queue that was broken before the call wrote nothing at all. */
	if (r->was_broken) {
		FUZZ_CHECK(vq_broken(&r->vq));
		FUZZ_CHECK(memcmp(r->snap_desc, r->desc, r->desc_len) == 0);
		FUZZ_CHECK(memcmp(r->snap_driver, r->driver, r->driver_len) == 0);
		FUZZ_CHECK(!r->ind || memcmp(r->snap_ind, r->ind, r->ind_len) == 0);
	}
	/* An honest device never breaks the queue; only the notification
	 * can, when it fails. */
	if (vq_broken(&r->vq))
		FUZZ_CHECK(r->hostile || r->vq.fault == VQ_FAULT_NOTIFY);
	FUZZ_CHECK(r->vq.in_flight == r->in_flight);
	FUZZ_CHECK(r->vq.num_free <= r->num);
	/* Every descriptor is free or held by a chain in flight. */
	for (unsigned i = 0; i < r->num; i++)
		if (r->vq.head[i].token)
			used += r->vq.head[i].ndesc;
	FUZZ_CHECK(r->vq.num_free + used == r->num);
	r->was_broken = vq_broken(&r->vq);
	snap(r);
}

/* A token the driver handed back: given, in flight, a length it can hold. */
static struct tok *check_token(struct rig *r, void *token, u32 len)
{
	struct tok *t = token;

	FUZZ_CHECK(t >= r->tok && t < r->tok + r->ntok);
	FUZZ_CHECK((uintptr_t)((u8 *)t - (u8 *)r->tok) % sizeof(*t) == 0);
	FUZZ_CHECK(t->in_flight);
	FUZZ_CHECK(len <= t->in_len);
	t->in_flight = false;
	r->in_flight--;
	return t;
}

/* --- The driver ----------------------------------------------------------------- */

static void drv_add(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f);
	unsigned out = b & 7, in = (b >> 3) & 7;
	struct tok *t;
	unsigned free_before = r->vq.num_free;
	int rc;

	if (r->ntok == MAX_TOK)
		return;
	t = &r->tok[r->ntok];
	memset(t, 0, sizeof(*t));
	t->nbuf = out + in;
	t->out = out;
	for (unsigned i = 0; i < t->nbuf; i++) {
		u16 off = fin_u16(f) % ARENA;
		u32 len = fin_u8(f) == 0xFF ? fin_u32(f) : fin_u16(f) % (ARENA - off + 1u);

		t->buf[i].addr = (u64)(uintptr_t)(r->arena + off);
		t->buf[i].len = len;
		if (len > ARENA - off)
			r->wild = true;
		if (i >= out)
			t->in_len += len;
	}
	rc = vq_add(&r->vq, t->buf, out, in, t);
	if (vq_broken(&r->vq)) {
		FUZZ_CHECK(rc == -VERR_BROKEN);
	} else if (!t->nbuf) {
		FUZZ_CHECK(rc == -VERR_INVAL);
	} else if (rc == -VERR_NOMEM) {
		FUZZ_CHECK(r->vq.num_free == free_before);
	} else {
		FUZZ_CHECK(rc == 0);
		t->in_flight = true;
		r->ntok++;
		r->in_flight++;
	}
	check_driver(r);
}

static void drv_get_used(struct rig *r, struct fin *f)
{
	unsigned k = 1 + fin_u8(f) % MAX_STEPS;

	for (unsigned n = 0; n < k; n++) {
		bool broken = vq_broken(&r->vq);
		void *token = NULL;
		u32 len = 0;
		int rc = vq_get_used(&r->vq, &token, &len);

		if (broken)
			FUZZ_CHECK(rc == -VERR_BROKEN);
		if (rc == 1)
			check_token(r, token, len);
		else
			FUZZ_CHECK(rc == 0 || (rc == -VERR_BROKEN && vq_broken(&r->vq)));
		check_driver(r);
		if (rc != 1)
			return;
	}
}

static void drv_kick(struct rig *r, struct fin *f)
{
	bool broken = vq_broken(&r->vq);
	u8 how = fin_u8(f);
	int rc;

	if (how == 255) {
		/* Published without a decision (255 was a vq_kick() before). */
		vq_publish(&r->vq);
	} else if (how & 1) {
		rc = vq_kick(&r->vq);
		FUZZ_CHECK(rc == 0 || (rc == -VERR_BROKEN && vq_broken(&r->vq)));
	} else {
		bool want = vq_kick_prepare(&r->vq);

		FUZZ_CHECK(!(broken && want));
		if (want) {
			rc = vq_notify(&r->vq);
			FUZZ_CHECK(rc == 0 || (rc == -VERR_BROKEN && vq_broken(&r->vq)));
		}
	}
	if (broken)
		FUZZ_CHECK(vq_kick(&r->vq) == -VERR_BROKEN);
	check_driver(r);
}

static void drv_cb(struct rig *r, struct fin *f)
{
	switch (fin_u8(f) % 3) {
	case 0:
		(void)vq_enable_cb(&r->vq);
		break;
	case 1:
		vq_disable_cb(&r->vq);
		break;
	default:
		FUZZ_CHECK(!vq_more_used(&r->vq) || !vq_broken(&r->vq));
		break;
	}
	check_driver(r);
}

/* A reset: every token still in flight comes back once, and no other. */
static void drv_detach(struct rig *r)
{
	void *t;
	unsigned n = 0;

	while (n <= r->num && (t = vq_detach_unused(&r->vq)) != NULL) {
		check_token(r, t, 0);
		n++;
	}
	FUZZ_CHECK(r->in_flight == 0);
	FUZZ_CHECK(r->vq.num_free == r->num);
}

/* --- The devices ------------------------------------------------------------------- */

/* The chain the honest device took is one the driver added, buffer for buffer. */
static void check_chain_matches(struct rig *r, const struct vq_chain *c)
{
	for (unsigned k = 0; k < r->ntok; k++) {
		const struct tok *t = &r->tok[k];
		unsigned i;

		if (!t->in_flight || t->nbuf != c->nseg)
			continue;
		for (i = 0; i < c->nseg; i++)
			if (c->seg[i].addr != t->buf[i].addr || c->seg[i].len != t->buf[i].len ||
			    c->seg[i].write != (i >= t->out))
				break;
		if (i == c->nseg)
			return;
	}
	FUZZ_CHECK(!"the device took a chain the driver never added");
}

static void dev_serve(struct rig *r, struct fin *f)
{
	unsigned k = 1 + fin_u8(f) % MAX_STEPS;
	u8 how = fin_u8(f);
	struct vq_chain c;
	int rc = 0;

	/* Descriptors the hostile device wrote are fuzzer 3's business
	 * (fuzz_vq_dev.c): the honest device stops reading them. */
	if (r->desc_written)
		return;
	memset(&c, 0, sizeof(c));
	c.seg = r->seg;
	c.cap = SEGS;
	for (unsigned n = 0; n < k && (rc = vqd_pop(&r->dev, &c)) == 1; n++) {
		if (!r->hostile)
			check_chain_matches(r, &c);
		vqd_push(&r->dev, &c, how & 1 ? (u32)c.in_len : (u32)(c.in_len / 2));
	}
	/* The driver only ever writes well-formed chains; only a device that
	 * went its own way can confuse its own side. */
	FUZZ_CHECK(rc >= 0 || r->hostile || r->wild);
	if (!(how & 2))
		vqd_flush(&r->dev);
	if (how & 4)
		(void)vqd_enable_notify(&r->dev);
	else if (how & 8)
		vqd_disable_notify(&r->dev);
	snap(r);
}

static void put16(struct rig *r, u8 *p, u16 v)
{
	vr16 x = vr16_of(r->be, v);

	memcpy(p, &x, 2);
}

static void put32(struct rig *r, u8 *p, u32 v)
{
	vr32 x = vr32_of(r->be, v);

	memcpy(p, &x, 4);
}

/* A small number or any, for ids and indices. */
static u32 pick(struct fin *f)
{
	u8 b = fin_u8(f);

	return b == 0xFF ? fin_u32(f) : b;
}

static void dev_hostile(struct rig *r, struct fin *f)
{
	u8 what = fin_u8(f) % 4;

	r->hostile = true;
	if (!r->packed) {
		struct vring_used *u = (struct vring_used *)r->device;

		switch (what) {
		case 0: { /* a used element */
			unsigned slot = fin_u8(f) % r->num;

			put32(r, (u8 *)&u->ring[slot].id, pick(f));
			put32(r, (u8 *)&u->ring[slot].len, pick(f));
			break;
		}
		case 1: /* the used index */
			put16(r, (u8 *)&u->idx, (u16)(vr16_get(r->be, u->idx) + (s8)fin_u8(f)));
			break;
		case 2: /* flags and avail_event */
			put16(r, (u8 *)&u->flags, fin_u16(f));
			put16(r, (u8 *)&u->ring[r->num], fin_u16(f));
			break;
		default: {
			u16 off = fin_u16(f) % r->device_len;
			u8 n = fin_u8(f) % 32;
			u8 buf[32];

			fin_bytes(f, buf, n);
			memcpy(r->device + off, buf, MIN((size_t)n, r->device_len - off));
			break;
		}
		}
	} else {
		struct vring_packed_desc *d = (struct vring_packed_desc *)r->desc;
		struct vring_packed_event *ev = (struct vring_packed_event *)r->device;

		r->desc_written |= what != 1;
		switch (what) {
		case 0: { /* a used descriptor: id, length, flags */
			unsigned slot = fin_u8(f) % r->num;
			u8 b;

			put16(r, (u8 *)&d[slot].id, (u16)pick(f));
			put32(r, (u8 *)&d[slot].len, pick(f));
			b = fin_u8(f);
			put16(r, (u8 *)&d[slot].flags,
			      (u16)((b & 1 ? VRING_PACKED_DESC_F_AVAIL : 0) |
				    (b & 2 ? VRING_PACKED_DESC_F_USED : 0) | (b >> 2 & 7)));
			break;
		}
		case 1: /* the device's event suppression */
			put16(r, (u8 *)&ev->flags, fin_u8(f) % 4);
			put16(r, (u8 *)&ev->off_wrap, fin_u16(f));
			break;
		case 2: { /* a whole used descriptor, raw */
			unsigned slot = fin_u8(f) % r->num;

			fin_bytes(f, &d[slot], sizeof(d[slot]));
			break;
		}
		default: {
			u16 off = fin_u16(f) % r->desc_len;
			u8 n = fin_u8(f) % 32;
			u8 buf[32];

			fin_bytes(f, buf, n);
			memcpy(r->desc + off, buf, MIN((size_t)n, r->desc_len - off));
			break;
		}
		}
	}
	snap(r);
}

static void *xcalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	FUZZ_CHECK(p);
	return p;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fin in = { data, size };
	struct rig *r = xcalloc(sizeof(*r));
	struct vq_config cfg;
	struct vqd_config dcfg;
	unsigned ind_max;
	bool event_idx;
	u8 mode, b;

	mode = fin_u8(&in);
	b = fin_u8(&in);
	ind_max = mode & 16 ? 1 + fin_u8(&in) % 16 : 0;
	r->packed = mode & 1;
	r->be = mode & 2;
	event_idx = mode & 4;
	r->in_order = mode & 8;
	r->notify_fails = mode & 32;
	r->num = r->packed ? 1u + b : 1u << (b % 9);
	r->desc_len = 16u * r->num;
	r->driver_len = r->packed ? sizeof(struct vring_packed_event) : vring_avail_size(r->num);
	r->device_len = r->packed ? sizeof(struct vring_packed_event) : vring_used_size(r->num);
	r->desc = xcalloc(r->desc_len);
	r->driver = xcalloc(r->driver_len);
	r->device = xcalloc(r->device_len);
	r->snap_desc = xcalloc(r->desc_len);
	r->snap_driver = xcalloc(r->driver_len);
	r->snap_device = xcalloc(r->device_len);
	r->priv = aligned_alloc(8, ALIGN_UP(vq_priv_size(r->num, r->packed), (size_t)8));
	FUZZ_CHECK(r->priv);
	if (ind_max) {
		r->ind_len = vq_indirect_size(r->num, ind_max);
		r->ind = xcalloc(r->ind_len);
		r->snap_ind = xcalloc(r->ind_len);
	}
	r->tok = tok_pool;
	r->arena = xcalloc(ARENA);
	memset(r->arena, 0x5A, ARENA);
	memset(arena_pattern, 0x5A, ARENA);

	memset(&cfg, 0, sizeof(cfg));
	cfg.num = r->num;
	cfg.packed = r->packed;
	cfg.event_idx = event_idx;
	cfg.in_order = r->in_order;
	cfg.big_endian = r->be;
	cfg.desc = r->desc;
	cfg.driver = r->driver;
	cfg.device = r->device;
	cfg.priv = r->priv;
	cfg.indirect = r->ind;
	cfg.indirect_addr = (u64)(uintptr_t)r->ind;
	cfg.indirect_max = ind_max;
	cfg.notify = rig_notify;
	cfg.notify_ctx = r;
	FUZZ_CHECK(vq_init(&r->vq, &cfg) == 0);
	r->mem.map = rig_map;
	r->mem.ctx = r;
	memset(&dcfg, 0, sizeof(dcfg));
	dcfg.num = r->num;
	dcfg.packed = r->packed;
	dcfg.event_idx = event_idx;
	dcfg.indirect = ind_max != 0;
	dcfg.in_order = r->in_order;
	dcfg.big_endian = r->be;
	dcfg.desc = r->desc;
	dcfg.driver = r->driver;
	dcfg.device = r->device;
	dcfg.mem = &r->mem;
	FUZZ_CHECK(vqd_init(&r->dev, &dcfg) == 0);
	snap(r);

	for (unsigned op = 0; op < MAX_OPS && fin_left(&in); op++) {
		switch (fin_u8(&in) % 7) {
		case 0:
			drv_add(r, &in);
			break;
		case 1:
			drv_kick(r, &in);
			break;
		case 2:
			drv_get_used(r, &in);
			break;
		case 3:
			drv_cb(r, &in);
			break;
		case 4:
			dev_serve(r, &in);
			break;
		case 5:
			dev_hostile(r, &in);
			break;
		default: /* collect what is ready, as a driver's interrupt handler */
			drv_get_used(r, &in);
			(void)vq_enable_cb(&r->vq);
			check_driver(r);
			break;
		}
	}
	drv_detach(r);
	/* Nobody wrote the buffers: the honest device only said it did. */
	FUZZ_CHECK(memcmp(r->arena, arena_pattern, ARENA) == 0);

	free(r->desc);
	free(r->driver);
	free(r->device);
	free(r->snap_desc);
	free(r->snap_driver);
	free(r->snap_device);
	free(r->priv);
	free(r->ind);
	free(r->snap_ind);
	free(r->arena);
	free(r);
	return 0;
}
