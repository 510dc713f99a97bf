/*
 * Fuzzer 3: the device side of the rings (ring/vq_dev.h) against a hostile
 * driver. The input chooses the ring (split or packed, byte order, event
 * index, indirect tables, in order, ring size, how many buffers a chain may
 * have) and then a sequence of operations: the driver writing descriptors,
 * indirect tables, available entries, indices and raw bytes anywhere in its
 * areas, and the device popping, pushing (in any order), flushing and
 * turning notifications on and off.
 *
 * Each ring area and the guest memory behind the buffers are allocations
 * of their own exact size, so AddressSanitizer sees any access past them.
 * Beyond that the fuzzer checks what vq_dev.h promises: every chain handed
 * out is made of buffers inside memory the accessor accepts (writable ones
 * only where writing is allowed), readable before writable, its lengths
 * adding up; a used entry says what was pushed; the device never writes
 * the driver's areas; a stopped queue stays stopped and writes nothing.
 */
#include "ring/vq_dev.h"
#include "tests/fuzz/fuzz.h"

/* The guest memory the buffers and indirect tables live in. */
#define GA	    0x100000ull /* its guest address */
#define ARENA	    0x4000u
#define RO_OFF	    0x3000u /* [RO_OFF, ARENA): readable, not writable */
#define MAX_OPS	    512u
#define MAX_POPS    32u
#define MAX_CAP	    64u
#define MAX_PENDING 64u

struct rig {
	struct vqd d;
	struct vq_mem mem;
	bool packed, be;
	unsigned num;
	u8 *desc, *driver, *device;
	size_t desc_len, driver_len, device_len;
	u8 *shadow_desc, *shadow_driver; /* what the driver wrote there */
	u8 *arena;
	u8 *snap, *snap_desc; /* device area and descriptors before a call on a stopped queue */
	u16 avail_idx;	      /* split: the driver's next available index */
	struct vq_chain pend[MAX_PENDING]; /* popped, not yet pushed */
	unsigned npend;
	u16 pushed;    /* split: used entries pushed */
	u16 flushed;   /* split: used index last published */
	u16 used_slot; /* packed: where the next push goes */
	bool used_wrap;
	u16 flushed_slot; /* packed: used_slot at the last flush that published */
	bool flushed_wrap;
	bool pend_first; /* packed: a push whose flags wait for the flush */
	unsigned since;  /* pushes since the last vqd_flush (its decision) */
	u16 first_slot, first_flags;
	struct vq_seg seg[MAX_CAP];
	unsigned cap;
	volatile u8 sink;
};

static void *rig_map(void *ctx, u64 addr, u64 len, bool write)
{
	struct rig *r = ctx;

	if (addr < GA || len > ARENA || addr - GA > ARENA - len)
		return NULL;
	if (write && addr - GA + len > RO_OFF)
		return NULL;
	return r->arena + (addr - GA);
}

/* --- The driver's writes, in the ring's byte order ---------------------------- */

static void put(u8 *area, u8 *shadow, size_t off, const void *v, size_t n)
{
	memcpy(area + off, v, n);
	if (shadow)
		memcpy(shadow + off, v, n);
}

static void put16(struct rig *r, u8 *area, u8 *shadow, size_t off, u16 v)
{
	vr16 x = vr16_of(r->be, v);

	put(area, shadow, off, &x, 2);
}

/* A buffer address: mostly in or at the edges of the arena. */
static u64 pick_addr(struct fin *f, u32 len)
{
	u8 m = fin_u8(f);
	u64 l = len;

	switch (m % 8) {
	case 0:
		return GA + fin_u16(f) % ARENA;
	case 1:
		return GA + (fin_u8(f) * 16u) % ARENA;
	case 2:
		return GA + ARENA - MIN(l, (u64)ARENA);
	case 3:
		return GA + ARENA - MIN(l, (u64)ARENA) + 1 + fin_u8(f) % 4;
	case 4:
		return GA + RO_OFF - MIN(l, (u64)RO_OFF) + fin_u8(f) % 2;
	case 5:
		return fin_u64(f);
	case 6:
		return GA - 1 - fin_u8(f);
	default:
		return ~(u64)0 - fin_u8(f);
	}
}

/* Flags from one byte: NEXT, WRITE, INDIRECT, then AVAIL, USED, a junk bit. */
static u16 pick_flags(u8 b)
{
	return (u16)((b & 7) | (b & 8 ? VRING_PACKED_DESC_F_AVAIL : 0) |
		     (b & 16 ? VRING_PACKED_DESC_F_USED : 0) | (b & 32 ? 0x0100 : 0));
}

/* A next index or buffer id: small, or any. */
static u16 pick_index(struct fin *f)
{
	u8 b = fin_u8(f);

	return b == 0xFF ? fin_u16(f) : b;
}

/* Write one descriptor (16 bytes) at dst: split or packed layout. */
static void put_desc(struct rig *r, struct fin *f, u8 *area, u8 *shadow, size_t off)
{
	u32 len = fin_u8(f) == 0 ? fin_u32(f) : fin_u16(f);
	u64 addr = pick_addr(f, len);
	u16 flags = pick_flags(fin_u8(f));
	u16 ix = pick_index(f);
	u8 d[16];

	if (r->packed) {
		struct vring_packed_desc p = { vr64_of(r->be, addr), vr32_of(r->be, len),
					       vr16_of(r->be, ix), vr16_of(r->be, flags) };

		memcpy(d, &p, 16);
	} else {
		struct vring_desc s = { vr64_of(r->be, addr), vr32_of(r->be, len),
					vr16_of(r->be, flags), vr16_of(r->be, ix) };

		memcpy(d, &s, 16);
	}
	put(area, shadow, off, d, 16);
}

/* --- Checks -------------------------------------------------------------------- */

/* The device has not written what only the driver writes. */
static void check_driver_areas(const struct rig *r)
{
	if (!r->packed)
		FUZZ_CHECK(memcmp(r->desc, r->shadow_desc, r->desc_len) == 0);
	FUZZ_CHECK(memcmp(r->driver, r->shadow_driver, r->driver_len) == 0);
}

/* A chain as vq_dev.h promises it, every byte of it touched. */
static void check_chain(struct rig *r, const struct vq_chain *c)
{
	u64 out = 0, in = 0;
	bool seen_write = false;
	u8 sum = 0;

	FUZZ_CHECK(c->nseg >= 1 && c->nseg <= r->cap);
	for (unsigned i = 0; i < c->nseg; i++) {
		const struct vq_seg *s = &c->seg[i];

		if (s->write)
			seen_write = true;
		else
			FUZZ_CHECK(!seen_write);
		if (!s->len) {
			FUZZ_CHECK(!s->ptr);
			continue;
		}
		FUZZ_CHECK(s->addr >= GA && s->len <= ARENA && s->addr - GA <= ARENA - s->len);
		FUZZ_CHECK(s->ptr == r->arena + (s->addr - GA));
		if (s->write) {
			FUZZ_CHECK(s->addr - GA + s->len <= RO_OFF);
			in += s->len;
			memset(s->ptr, 0xA5, s->len);
		} else {
			out += s->len;
			for (u32 k = 0; k < s->len; k++)
				sum ^= ((const u8 *)s->ptr)[k];
		}
	}
	r->sink = sum;
	FUZZ_CHECK(out == c->out_len && in == c->in_len && out + in <= 0xFFFFFFFFull);
	if (r->packed)
		FUZZ_CHECK(c->ndesc >= 1 && c->ndesc <= r->num);
	else
		FUZZ_CHECK(c->id < r->num && c->ndesc == 1);
}

static void snap_device(struct rig *r)
{
	memcpy(r->snap, r->device, r->device_len);
	memcpy(r->snap_desc, r->desc, r->desc_len);
}

/* A stopped queue writes nothing: not the device area, not descriptors. */
static void check_stopped(const struct rig *r)
{
	FUZZ_CHECK(memcmp(r->snap, r->device, r->device_len) == 0);
	FUZZ_CHECK(memcmp(r->snap_desc, r->desc, r->desc_len) == 0);
}

/* --- The device's calls ----------------------------------------------------------- */

static void do_push(struct rig *r, const struct vq_chain *c, u32 written)
{
	if (vqd_fault(&r->d)) {
		snap_device(r);
		vqd_push(&r->d, c, written);
		check_stopped(r);
		return;
	}
	vqd_push(&r->d, c, written);
	r->since++;
	if (!r->packed) {
		const struct vring_used *u = (const struct vring_used *)r->device;
		const struct vring_used_elem *e = &u->ring[r->pushed & (r->num - 1)];

		FUZZ_CHECK(vr32_get(r->be, e->id) == c->id && vr32_get(r->be, e->len) == written);
		r->pushed++;
	} else {
		const struct vring_packed_desc *p = (const struct vring_packed_desc *)r->desc;
		u16 slot = r->used_slot;
		u16 flags = r->used_wrap ? VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0;

		FUZZ_CHECK(vr16_get(r->be, p[slot].id) == c->id &&
			   vr32_get(r->be, p[slot].len) == written);
		if (!r->pend_first) {
			r->pend_first = true;
			r->first_slot = slot;
			r->first_flags = flags;
		} else {
			FUZZ_CHECK(vr16_get(r->be, p[slot].flags) == flags);
		}
		r->used_slot = (u16)(r->used_slot + c->ndesc);
		if (r->used_slot >= r->num) {
			r->used_slot = (u16)(r->used_slot - r->num);
			r->used_wrap = !r->used_wrap;
		}
	}
	check_driver_areas(r);
}

static void do_pop(struct rig *r, struct fin *f)
{
	unsigned k = 1 + fin_u8(f) % MAX_POPS;
	u8 mode = fin_u8(f);
	struct vq_chain c;

	for (unsigned n = 0; n < k; n++) {
		bool stopped = vqd_fault(&r->d) != VQD_OK;
		int rc;

		memset(&c, 0, sizeof(c));
		c.seg = r->seg;
		c.cap = r->cap;
		if (stopped)
			snap_device(r);
		rc = vqd_pop(&r->d, &c);
		check_driver_areas(r);
		if (stopped) {
			FUZZ_CHECK(rc == -VERR_PROTO);
			check_stopped(r);
			return;
		}
		if (rc < 0) {
			FUZZ_CHECK(rc == -VERR_PROTO && vqd_fault(&r->d) != VQD_OK);
			FUZZ_CHECK(!vqd_avail(&r->d));
			return;
		}
		FUZZ_CHECK(vqd_fault(&r->d) == VQD_OK);
		if (rc == 0)
			return;
		FUZZ_CHECK(rc == 1);
		check_chain(r, &c);
		/* Push at once (all written), or keep it for a later push. */
		if ((mode & 1) || r->npend == MAX_PENDING) {
			do_push(r, &c, (u32)c.in_len);
		} else {
			c.seg = NULL;
			c.cap = 0;
			r->pend[r->npend++] = c;
		}
	}
}

static void do_push_pending(struct rig *r, struct fin *f)
{
	unsigned i;
	struct vq_chain c;
	u32 w;

	if (!r->npend)
		return;
	i = fin_u8(f) % r->npend;
	c = r->pend[i];
	r->pend[i] = r->pend[--r->npend];
	switch (fin_u8(f) % 4) {
	case 0:
		w = (u32)c.in_len;
		break;
	case 1:
		w = 0;
		break;
	case 2:
		w = fin_u32(f);
		break;
	default:
		w = (u32)c.in_len / 2;
		break;
	}
	do_push(r, &c, w);
}

/*
 * After vqd_publish() or vqd_flush(): everything pushed is visible, the
 * batch's first flags written last. Returns whether this call published
 * something new.
 */
static bool check_published(struct rig *r)
{
	if (!r->packed) {
		const struct vring_used *u = (const struct vring_used *)r->device;
		bool moved = r->pushed != r->flushed;

		if (moved)
			FUZZ_CHECK(vr16_get(r->be, u->idx) == r->pushed);
		r->flushed = r->pushed;
		return moved;
	}
	if (r->pend_first) {
		const struct vring_packed_desc *p = (const struct vring_packed_desc *)r->desc;

		/* The batch's first flags, written last (a whole lap of pushes
		 * too: positions alone cannot tell it from none). */
		FUZZ_CHECK(vr16_get(r->be, p[r->first_slot].flags) == r->first_flags);
		r->pend_first = false;
		r->flushed_slot = r->used_slot;
		r->flushed_wrap = r->used_wrap;
		return true;
	}
	FUZZ_CHECK(r->used_slot == r->flushed_slot && r->used_wrap == r->flushed_wrap);
	return false;
}

/* vqd_publish(): visible, and no decision taken. */
static void do_publish(struct rig *r)
{
	bool stopped = vqd_fault(&r->d) != VQD_OK;

	if (stopped) {
		snap_device(r);
		vqd_publish(&r->d);
		check_stopped(r);
		return;
	}
	vqd_publish(&r->d);
	check_driver_areas(r);
	(void)check_published(r);
}

/* vqd_flush(): visible, and a notification only when something was
 * pushed since the last decision. */
static void do_flush(struct rig *r)
{
	bool stopped = vqd_fault(&r->d) != VQD_OK;
	bool want;

	if (stopped) {
		snap_device(r);
		FUZZ_CHECK(!vqd_flush(&r->d));
		check_stopped(r);
		return;
	}
	want = vqd_flush(&r->d);
	check_driver_areas(r);
	(void)check_published(r);
	if (!r->since)
		FUZZ_CHECK(!want);
	r->since = 0;
}

static void do_notify(struct rig *r, bool enable)
{
	bool stopped = vqd_fault(&r->d) != VQD_OK;

	if (stopped)
		snap_device(r);
	if (enable) {
		bool empty = vqd_enable_notify(&r->d);

		FUZZ_CHECK(stopped ? empty : empty == !vqd_avail(&r->d));
	} else {
		vqd_disable_notify(&r->d);
	}
	check_driver_areas(r);
	if (stopped) {
		FUZZ_CHECK(!vqd_avail(&r->d));
		check_stopped(r);
	}
}

/* --- The driver's operations --------------------------------------------------------- */

static void drv_avail(struct rig *r, struct fin *f)
{
	if (r->packed) {
		/* Make slot i available (or used, or neither) for a lap. */
		u16 i = (u16)(fin_u8(f) % r->num);
		u8 b = fin_u8(f);
		const struct vring_packed_desc *p = (const struct vring_packed_desc *)r->desc;
		u16 flags = vr16_get(r->be, p[i].flags) &
			    (u16) ~(VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED);

		flags |= b & 1 ? VRING_PACKED_DESC_F_AVAIL : VRING_PACKED_DESC_F_USED;
		if (b & 2)
			flags ^= VRING_PACKED_DESC_F_USED;
		put16(r, r->desc, r->shadow_desc, 16u * i + 14, flags);
		return;
	}
	{
		u16 head = pick_index(f);
		u8 b = fin_u8(f);

		put16(r, r->driver, r->shadow_driver, 4 + 2u * (r->avail_idx & (r->num - 1)), head);
		r->avail_idx++;
		if (!(b & 1))
			put16(r, r->driver, r->shadow_driver, 2, r->avail_idx);
	}
}

static void drv_index(struct rig *r, struct fin *f)
{
	if (r->packed) {
		/* Driver event suppression: flags (0-3), off_wrap. */
		put16(r, r->driver, r->shadow_driver, 2, fin_u8(f) % 4);
		put16(r, r->driver, r->shadow_driver, 0, fin_u16(f));
		return;
	}
	r->avail_idx = fin_u16(f);
	put16(r, r->driver, r->shadow_driver, 2, r->avail_idx);
}

static void drv_raw(struct rig *r, struct fin *f)
{
	u8 area = fin_u8(f) % 4;
	u16 off = fin_u16(f);
	u8 n = fin_u8(f) % 64;
	u8 buf[64];
	u8 *dst, *shadow = NULL;
	size_t len;

	fin_bytes(f, buf, n);
	switch (area) {
	case 0:
		dst = r->desc, shadow = r->shadow_desc, len = r->desc_len;
		break;
	case 1:
		dst = r->driver, shadow = r->shadow_driver, len = r->driver_len;
		break;
	case 2:
		dst = r->device, len = r->device_len;
		break;
	default:
		dst = r->arena, len = ARENA;
		break;
	}
	off %= len;
	put(dst, shadow, off, buf, MIN((size_t)n, len - off));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fin in = { data, size };
	struct vqd_config cfg;
	struct rig *r = calloc(1, sizeof(*r));
	u8 mode, b;

	FUZZ_CHECK(r);
	mode = fin_u8(&in);
	b = fin_u8(&in);
	r->packed = mode & 1;
	r->be = mode & 2;
	r->num = r->packed ? 1u + b : 1u << (b % 9);
	r->cap = 1 + fin_u8(&in) % MAX_CAP;
	r->desc_len = 16u * r->num;
	r->driver_len = r->packed ? sizeof(struct vring_packed_event) : vring_avail_size(r->num);
	r->device_len = r->packed ? sizeof(struct vring_packed_event) : vring_used_size(r->num);
	r->desc = calloc(1, r->desc_len);
	r->driver = calloc(1, r->driver_len);
	r->device = calloc(1, r->device_len);
	r->shadow_desc = calloc(1, r->desc_len);
	r->shadow_driver = calloc(1, r->driver_len);
	r->snap = calloc(1, r->device_len);
	r->snap_desc = calloc(1, r->desc_len);
	r->arena = calloc(1, ARENA);
	FUZZ_CHECK(r->desc && r->driver && r->device && r->shadow_desc && r->shadow_driver &&
		   r->snap && r->snap_desc && r->arena);
	r->used_wrap = r->flushed_wrap = true;
	r->mem.map = rig_map;
	r->mem.ctx = r;
	if (mode & 32) {
		/* The inline window over the writable part; map() for the rest. */
		r->mem.base = r->arena;
		r->mem.base_addr = GA;
		r->mem.size = RO_OFF;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.num = r->num;
	cfg.packed = r->packed;
	cfg.big_endian = r->be;
	cfg.event_idx = mode & 4;
	cfg.indirect = mode & 8;
	cfg.in_order = mode & 16;
	cfg.desc = r->desc;
	cfg.driver = r->driver;
	cfg.device = r->device;
	cfg.mem = &r->mem;
	FUZZ_CHECK(vqd_init(&r->d, &cfg) == 0);

	for (unsigned op = 0; op < MAX_OPS && fin_left(&in); op++) {
		u8 what = fin_u8(&in);

		/* 255 publishes; the rest as before, so old inputs keep their meaning. */
		switch (what == 255 ? 12 : what % 12) {
		case 0: /* a descriptor in the ring */
			put_desc(r, &in, r->desc, r->shadow_desc, 16u * (pick_index(&in) % r->num));
			break;
		case 1:
			drv_avail(r, &in);
			break;
		case 2:
			drv_index(r, &in);
			break;
		case 3: /* an entry of an indirect table in the arena */
			put_desc(r, &in, r->arena, NULL, (16u * fin_u16(&in)) % ARENA);
			break;
		case 4:
			drv_raw(r, &in);
			break;
		case 5:
			do_pop(r, &in);
			break;
		case 6:
			do_push_pending(r, &in);
			break;
		case 7:
			do_flush(r);
			break;
		case 8:
			do_notify(r, true);
			break;
		case 9:
			do_notify(r, false);
			break;
		case 10:
			if (vqd_fault(&r->d))
				FUZZ_CHECK(!vqd_avail(&r->d));
			else
				(void)vqd_avail(&r->d);
			check_driver_areas(r);
			break;
		case 12:
			do_publish(r);
			break;
		default: /* split: used_event; packed: the driver's wrap of a slot */
			if (!r->packed)
				put16(r, r->driver, r->shadow_driver, 4 + 2u * r->num,
				      fin_u16(&in));
			else
				drv_avail(r, &in);
			break;
		}
	}
	/* What is still pending completes, then the queue is flushed. */
	while (r->npend)
		do_push(r, &r->pend[--r->npend], 0);
	do_flush(r);

	free(r->desc);
	free(r->driver);
	free(r->device);
	free(r->shadow_desc);
	free(r->shadow_driver);
	free(r->snap);
	free(r->snap_desc);
	free(r->arena);
	free(r);
	return 0;
}
