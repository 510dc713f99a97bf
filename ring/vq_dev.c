/*
 * Virtqueue device side, split and packed. Validation follows the driver
 * requirements of virtio 1.3 (2.7.5.3, 2.7.5.3.1, 2.8.17) and the checks of
 * reference/ccw-virtio-checklist.md C.4; every driver-written field is read
 * once into a local copy.
 */
#include "ring/barrier.h"
#include "ring/vq_dev.h"

static inline u16 rd16(const struct vqd *d, const vr16 *p)
{
	return vr16_swap(d->be, READ_ONCE(p->raw));
}

static inline u32 rd32(const struct vqd *d, const vr32 *p)
{
	return vr32_swap(d->be, READ_ONCE(p->raw));
}

static inline u64 rd64(const struct vqd *d, const vr64 *p)
{
	return vr64_swap(d->be, READ_ONCE(p->raw));
}

static int fail(struct vqd *d, enum vqd_fault f)
{
	if (d->fault == VQD_OK)
		d->fault = f;
	return -VERR_PROTO;
}

int vqd_init(struct vqd *d, const struct vqd_config *cfg)
{
	if (!cfg->num || cfg->num > VRING_MAX_SIZE || !cfg->desc || !cfg->driver || !cfg->device ||
	    !cfg->mem || !cfg->mem->map || (!cfg->packed && (cfg->num & (cfg->num - 1))))
		return -VERR_INVAL;
	memset(d, 0, sizeof(*d));
	d->num = cfg->num;
	d->mask = (u16)(cfg->num - 1);
	d->packed = cfg->packed;
	d->event_idx = cfg->event_idx;
	d->indirect = cfg->indirect;
	d->in_order = cfg->in_order;
	d->be = cfg->big_endian;
	d->mem = cfg->mem;
	if (cfg->packed) {
		d->p.desc = cfg->desc;
		d->p.driver_ev = cfg->driver;
		d->p.device_ev = cfg->device;
		d->p.avail_wrap = d->p.used_wrap = true;
		d->p.pend_slot = VQD_NO_PEND;
	} else {
		d->s.desc = cfg->desc;
		d->s.avail = cfg->driver;
		d->s.used = cfg->device;
	}
	return 0;
}

/* The host pointer for a buffer: the window inline, else the accessor. */
static inline void *map(const struct vqd *d, u64 addr, u64 len, bool write)
{
	const struct vq_mem *m = d->mem;
	u64 off = addr - m->base_addr;

	if (off < m->size && len <= m->size - off)
		return m->base + off;
	return m->map(m->ctx, addr, len, write);
}

/* Append one buffer after checking order, memory and sizes. */
static inline int add_seg(struct vqd *d, struct vq_chain *c, u64 addr, u32 len, bool write)
{
	struct vq_seg *s;
	void *p = NULL;

	if (!write && c->nseg && c->seg[c->nseg - 1].write)
		return fail(d, VQD_FAULT_ORDER);
	if (c->nseg == c->cap)
		return fail(d, VQD_FAULT_TOO_LONG);
	if (len) {
		p = map(d, addr, len, write);
		if (!p)
			return fail(d, VQD_FAULT_ADDR);
	}
	if (write)
		c->in_len += len;
	else
		c->out_len += len;
	if (c->in_len + c->out_len > 0xFFFFFFFFull)
		return fail(d, VQD_FAULT_SIZE);
	s = &c->seg[c->nseg++];
	s->addr = addr;
	s->ptr = p;
	s->len = len;
	s->write = write;
	return 0;
}

static void chain_reset(struct vq_chain *c)
{
	c->nseg = 0;
	c->in_len = 0;
	c->out_len = 0;
	c->ndesc = 0;
}

/* An indirect table: checked, mapped, and its entries walked. */
static int walk_split_table(struct vqd *d, struct vq_chain *c, u64 addr, u32 len)
{
	const u8 *t;
	unsigned n, count = 0;
	u16 i = 0;

	if (!d->indirect || len == 0 || (len & 15))
		return fail(d, VQD_FAULT_INDIRECT);
	t = map(d, addr, len, false);
	if (!t)
		return fail(d, VQD_FAULT_ADDR);
	n = len / 16;
	for (;;) {
		struct vring_desc e;
		u64 a;
		u32 l;
		u16 f, next;
		int err;

		/* A table may sit at any address the driver chose: each entry
		 * is copied out, never read in place through a typed pointer. */
		memcpy(&e, t + (size_t)i * sizeof(e), sizeof(e));
		a = rd64(d, &e.addr);
		l = rd32(d, &e.len);
		f = rd16(d, &e.flags);
		next = rd16(d, &e.next);

		if (f & VRING_DESC_F_INDIRECT)
			return fail(d, VQD_FAULT_INDIRECT); /* no nesting */
		err = add_seg(d, c, a, l, f & VRING_DESC_F_WRITE);
		if (err)
			return err;
		if (!(f & VRING_DESC_F_NEXT))
			return 0;
		if (next >= n)
			return fail(d, VQD_FAULT_NEXT_RANGE);
		if (++count >= n)
			return fail(d, VQD_FAULT_LOOP);
		i = next;
	}
}

/* The available index, re-read only when everything it covered is taken. */
static inline int split_have(struct vqd *d)
{
	u16 idx;

	if (d->s.last_avail != d->s.avail_seen)
		return 1;
	/* The index, then the slots and descriptors it covers. */
	idx = vr16_swap(d->be, LOAD_ACQUIRE(d->s.avail->idx.raw));
	if ((u16)(idx - d->s.last_avail) > d->num)
		return fail(d, VQD_FAULT_AVAIL_IDX);
	d->s.avail_seen = idx;
	return idx != d->s.last_avail;
}

/* The whole walk: chains, tables, every check. Called off the fast path. */
static __attribute__((noinline)) int pop_split_chain(struct vqd *d, struct vq_chain *c, u16 i)
{
	unsigned count = 0;

	chain_reset(c);
	c->id = i;
	c->ndesc = 1;
	for (;;) {
		const struct vring_desc *p = &d->s.desc[i];
		u64 a = rd64(d, &p->addr);
		u32 l = rd32(d, &p->len);
		u16 f = rd16(d, &p->flags);
		u16 next = rd16(d, &p->next);
		int err;

		if (f & VRING_DESC_F_INDIRECT) {
			if (f & VRING_DESC_F_NEXT)
				return fail(d, VQD_FAULT_INDIRECT);
			err = walk_split_table(d, c, a, l);
			if (err)
				return err;
			break;
		}
		err = add_seg(d, c, a, l, f & VRING_DESC_F_WRITE);
		if (err)
			return err;
		if (!(f & VRING_DESC_F_NEXT))
			break;
		if (next >= d->num)
			return fail(d, VQD_FAULT_NEXT_RANGE);
		if (++count >= d->num)
			return fail(d, VQD_FAULT_LOOP);
		i = next;
	}
	d->s.last_avail++;
	return 1;
}

static inline int pop_split(struct vqd *d, struct vq_chain *c)
{
	const struct vring_desc *p;
	int have = split_have(d);
	u64 a;
	u32 l;
	u16 i, f;

	if (have <= 0)
		return have;
	i = rd16(d, &d->s.avail->ring[d->s.last_avail & d->mask]);
	if (i >= d->num)
		return fail(d, VQD_FAULT_HEAD_RANGE);
	p = &d->s.desc[i];
	f = rd16(d, &p->flags);
	if (f & (VRING_DESC_F_NEXT | VRING_DESC_F_INDIRECT))
		return pop_split_chain(d, c, i);
	/* One buffer, the common case: checked the same way, inline. */
	a = rd64(d, &p->addr);
	l = rd32(d, &p->len);
	c->nseg = 0;
	c->in_len = c->out_len = 0;
	c->id = i;
	c->ndesc = 1;
	if (add_seg(d, c, a, l, f & VRING_DESC_F_WRITE))
		return -VERR_PROTO;
	d->s.last_avail++;
	return 1;
}

static int walk_packed_table(struct vqd *d, struct vq_chain *c, u64 addr, u32 len)
{
	const u8 *t;
	unsigned n, i;

	if (!d->indirect || len == 0 || (len & 15))
		return fail(d, VQD_FAULT_INDIRECT);
	t = map(d, addr, len, false);
	if (!t)
		return fail(d, VQD_FAULT_ADDR);
	n = len / 16;
	/* Entries follow one another; only WRITE counts (virtio 1.3, 2.8.19). */
	for (i = 0; i < n; i++) {
		struct vring_packed_desc e;
		u16 f;
		int err;

		/* Copied out: the table may be misaligned (see above). */
		memcpy(&e, t + (size_t)i * sizeof(e), sizeof(e));
		f = rd16(d, &e.flags);
		if (f & VRING_DESC_F_INDIRECT)
			return fail(d, VQD_FAULT_INDIRECT);
		err = add_seg(d, c, rd64(d, &e.addr), rd32(d, &e.len), f & VRING_DESC_F_WRITE);
		if (err)
			return err;
	}
	return 0;
}

static inline bool packed_avail_at(const struct vqd *d, u16 slot, bool wrap)
{
	u16 f = vr16_swap(d->be, LOAD_ACQUIRE(d->p.desc[slot].flags.raw));

	return (bool)(f & VRING_PACKED_DESC_F_AVAIL) == wrap &&
	       (bool)(f & VRING_PACKED_DESC_F_USED) != wrap;
}

/* The whole walk of a packed chain. Called off the fast path. */
static __attribute__((noinline)) int pop_packed_chain(struct vqd *d, struct vq_chain *c)
{
	u16 slot = d->p.last_avail;
	bool wrap = d->p.avail_wrap;
	unsigned count = 0;

	chain_reset(c);
	for (;;) {
		const struct vring_packed_desc *p = &d->p.desc[slot];
		u64 a = rd64(d, &p->addr);
		u32 l = rd32(d, &p->len);
		u16 id = rd16(d, &p->id);
		u16 f = rd16(d, &p->flags);
		int err;

		count++;
		if (++slot == d->num) {
			slot = 0;
			wrap = !wrap;
		}
		if (f & VRING_DESC_F_INDIRECT) {
			if ((f & VRING_DESC_F_NEXT) || count > 1)
				return fail(d, VQD_FAULT_INDIRECT);
			err = walk_packed_table(d, c, a, l);
		} else {
			err = add_seg(d, c, a, l, f & VRING_DESC_F_WRITE);
		}
		if (err)
			return err;
		if (!(f & VRING_DESC_F_NEXT)) {
			c->id = id; /* the buffer id is in the last descriptor */
			break;
		}
		if (count >= d->num)
			return fail(d, VQD_FAULT_LOOP);
	}
	c->ndesc = (u16)count;
	d->p.last_avail = slot;
	d->p.avail_wrap = wrap;
	return 1;
}

/* The device's hot paths, expanded for each byte order where they are called. */
#define HOT_DEV static inline __attribute__((always_inline))

/*
 * A chain of one buffer, the common case: the checks of add_seg() that can
 * apply to it (a lone buffer is never out of order, and its length fits).
 */
static inline __attribute__((always_inline)) int one_seg(struct vqd *d, struct vq_chain *c,
							 u64 addr, u32 len, bool write)
{
	void *p = NULL;

	if (__builtin_expect(!c->cap, 0))
		return fail(d, VQD_FAULT_TOO_LONG);
	if (len) {
		p = map(d, addr, len, write);
		if (__builtin_expect(!p, 0))
			return fail(d, VQD_FAULT_ADDR);
	}
	c->seg[0].addr = addr;
	c->seg[0].ptr = p;
	c->seg[0].len = len;
	c->seg[0].write = write;
	c->nseg = 1;
	c->in_len = write ? len : 0;
	c->out_len = write ? 0 : len;
	return 0;
}

/* be is a constant where this is expanded (vqd_pop()): the byte order is
 * decided once per call, not at every field. */
static inline __attribute__((always_inline)) int pop_packed(struct vqd *d, struct vq_chain *c,
							    bool be)
{
	u16 slot = d->p.last_avail;
	const struct vring_packed_desc *p = &d->p.desc[slot];
	u16 f = vr16_swap(be, LOAD_ACQUIRE(p->flags.raw));

	/* The first descriptor's flags, then the rest of the chain: available
	 * is AVAIL equal to the wrap counter and USED its inverse. */
	if ((f & (VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED)) !=
	    (d->p.avail_wrap ? VRING_PACKED_DESC_F_AVAIL : VRING_PACKED_DESC_F_USED))
		return 0;
	if (__builtin_expect(f & (VRING_DESC_F_NEXT | VRING_DESC_F_INDIRECT), 0))
		return pop_packed_chain(d, c);
	if (one_seg(d, c, vr64_swap(be, READ_ONCE(p->addr.raw)), vr32_swap(be, READ_ONCE(p->len.raw)),
		    f & VRING_DESC_F_WRITE))
		return -VERR_PROTO;
	c->id = vr16_swap(be, READ_ONCE(p->id.raw));
	c->ndesc = 1;
	if (++slot == d->num) {
		slot = 0;
		d->p.avail_wrap = !d->p.avail_wrap;
	}
	d->p.last_avail = slot;
	return 1;
}

int vqd_pop(struct vqd *d, struct vq_chain *c)
{
	if (d->fault)
		return -VERR_PROTO;
	if (d->packed)
		return d->be ? pop_packed(d, c, true) : pop_packed(d, c, false);
	return pop_split(d, c);
}

HOT_DEV void push_packed(struct vqd *d, const struct vq_chain *c, u32 written, bool be)
{
	u16 slot = d->p.used_slot, n = c->ndesc, id = c->id;
	bool wrap = d->p.used_wrap;
	struct vring_packed_desc *p = &d->p.desc[slot];
	u16 f = vr16_of(be, wrap ? VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0).raw;
	bool first = d->p.pend_slot == VQD_NO_PEND;

	/* The device's own state first, the ring last (a store into the ring
	 * may alias fields of the same width, which would then be reloaded). */
	d->uncalled += n;
	if (slot + n >= d->num) {
		d->p.used_slot = (u16)(slot + n - d->num);
		d->p.used_wrap = !wrap;
	} else {
		d->p.used_slot = (u16)(slot + n);
	}
	/*
	 * The first used descriptor of a batch gets its flags at the publish,
	 * after every other one (virtio 1.3, 2.8.7): the driver sees the batch
	 * whole and does not pull a line the device is still writing. The
	 * release there orders all of it.
	 */
	if (first) {
		d->p.pend_slot = slot;
		d->p.pend_flags = f;
	}
	p->id = vr16_of(be, id);
	p->len = vr32_of(be, written);
	if (!first)
		WRITE_ONCE(p->flags.raw, f);
}

void vqd_push(struct vqd *d, const struct vq_chain *c, u32 written)
{
	if (d->fault)
		return;
	if (!d->packed) {
		struct vring_used_elem *e = &d->s.used->ring[d->s.used_idx & d->mask];

		e->id = vr32_of(d->be, c->id);
		e->len = vr32_of(d->be, written);
		d->s.used_idx++;
		d->uncalled++;
		return;
	}
	if (d->be)
		push_packed(d, c, written, true);
	else
		push_packed(d, c, written, false);
}

static void publish_split(struct vqd *d)
{
	u16 new = d->s.used_idx;

	if (d->s.used_published == new)
		return;
	/* Entries before the index that covers them: a release store, an
	 * ordinary one on x86 and s390x, which keep stores in order. */
	STORE_RELEASE(d->s.used->idx.raw, vr16_of(d->be, new).raw);
	d->s.used_published = new;
}

static inline void publish_packed(struct vqd *d)
{
	u16 slot = d->p.pend_slot;

	if (slot == VQD_NO_PEND)
		return;
	/* id, len and the other flags before the first flags (release);
	 * pend_flags is kept in the ring's byte order. */
	d->p.pend_slot = VQD_NO_PEND;
	STORE_RELEASE(d->p.desc[slot].flags.raw, d->p.pend_flags);
}

void vqd_publish(struct vqd *d)
{
	if (d->fault)
		return;
	if (d->packed)
		publish_packed(d);
	else
		publish_split(d);
}

/*
 * What is published must be visible before the driver's suppression state
 * is loaded (virtio 1.3, 2.7.7 and 2.8.21): otherwise the driver could
 * decide to wait on the old state while this side reads its old "no
 * interruption", and the buffer would sit unseen. Store, then load of
 * another location: the one order x86 and s390x do not keep by
 * themselves, hence the full fence in the two functions below and in no
 * publish.
 */
static bool flush_split(struct vqd *d, u64 n)
{
	u16 new = d->s.used_published;

	MB();
	if (d->event_idx)
		return n >= d->num ||
		       vring_need_event(rd16(d, &d->s.avail->ring[d->num]), new, (u16)(new - n));
	return !(rd16(d, &d->s.avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
}

static bool flush_packed(struct vqd *d, u64 n)
{
	u16 new = d->p.used_slot, off_wrap, event;

	MB();
	switch (rd16(d, &d->p.driver_ev->flags)) {
	case VRING_PACKED_EVENT_FLAG_DISABLE:
		return false;
	case VRING_PACKED_EVENT_FLAG_DESC:
		if (!d->event_idx || n >= d->num)
			return true;
		off_wrap = rd16(d, &d->p.driver_ev->off_wrap);
		event = off_wrap & 0x7FFF;
		if ((bool)(off_wrap >> VRING_PACKED_EVENT_F_WRAP_CTR) != d->p.used_wrap)
			event = (u16)(event - d->num);
		return vring_need_event(event, new, (u16)(new - n));
	default:
		return true;
	}
}

bool vqd_flush(struct vqd *d)
{
	u64 n;

	if (d->fault)
		return false;
	vqd_publish(d);
	n = d->uncalled;
	if (!n)
		return false;
	d->uncalled = 0;
	return d->packed ? flush_packed(d, n) : flush_split(d, n);
}

bool vqd_avail(struct vqd *d)
{
	if (d->fault)
		return false;
	if (d->packed)
		return packed_avail_at(d, d->p.last_avail, d->p.avail_wrap);
	if (d->s.last_avail != d->s.avail_seen)
		return true;
	return vr16_swap(d->be, LOAD_ACQUIRE(d->s.avail->idx.raw)) != d->s.last_avail;
}

static void set_device_event(struct vqd *d, u16 flags, u16 off_wrap)
{
	if (flags == VRING_PACKED_EVENT_FLAG_DESC)
		WRITE_ONCE(d->p.device_ev->off_wrap.raw, vr16_of(d->be, off_wrap).raw);
	if (d->p.ev_flags != flags) {
		d->p.ev_flags = flags;
		STORE_RELEASE(d->p.device_ev->flags.raw, vr16_of(d->be, flags).raw);
	}
}

bool vqd_enable_notify(struct vqd *d)
{
	if (d->fault)
		return true;
	if (d->packed) {
		if (d->event_idx)
			set_device_event(d, VRING_PACKED_EVENT_FLAG_DESC,
					 (u16)(d->p.last_avail |
					       (d->p.avail_wrap << VRING_PACKED_EVENT_F_WRAP_CTR)));
		else
			set_device_event(d, VRING_PACKED_EVENT_FLAG_ENABLE, 0);
	} else if (d->event_idx) {
		vr16 *avail_event = (vr16 *)&d->s.used->ring[d->num];

		WRITE_ONCE(avail_event->raw, vr16_of(d->be, d->s.last_avail).raw);
	} else if (d->s.used_flags & VRING_USED_F_NO_NOTIFY) {
		d->s.used_flags &= (u16)~VRING_USED_F_NO_NOTIFY;
		WRITE_ONCE(d->s.used->flags.raw, vr16_of(d->be, d->s.used_flags).raw);
	}
	/* The request before the look at what is available. */
	MB();
	return !vqd_avail(d);
}

void vqd_disable_notify(struct vqd *d)
{
	if (d->fault)
		return;
	if (d->packed) {
		set_device_event(d, VRING_PACKED_EVENT_FLAG_DISABLE, 0);
	} else if (!d->event_idx && !(d->s.used_flags & VRING_USED_F_NO_NOTIFY)) {
		d->s.used_flags |= VRING_USED_F_NO_NOTIFY;
		WRITE_ONCE(d->s.used->flags.raw, vr16_of(d->be, d->s.used_flags).raw);
	}
}

const char *vqd_fault_str(enum vqd_fault f)
{
	switch (f) {
	case VQD_OK:
		return "ok";
	case VQD_FAULT_AVAIL_IDX:
		return "the driver moved its available index by more than the ring size";
	case VQD_FAULT_HEAD_RANGE:
		return "the driver made a descriptor beyond the ring available";
	case VQD_FAULT_NEXT_RANGE:
		return "a descriptor's next index is beyond the ring or table";
	case VQD_FAULT_LOOP:
		return "a descriptor chain loops or is longer than the ring";
	case VQD_FAULT_INDIRECT:
		return "an indirect descriptor is not allowed, nested, chained or of a bad length";
	case VQD_FAULT_ORDER:
		return "a device-readable buffer follows a device-writable one";
	case VQD_FAULT_ADDR:
		return "a buffer lies outside the memory the device may access";
	case VQD_FAULT_TOO_LONG:
		return "a chain has more buffers than the device accepts";
	case VQD_FAULT_SIZE:
		return "a chain's total length exceeds 4 GiB";
	}
	return "unknown fault";
}
