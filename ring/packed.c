/*
 * Packed virtqueue, driver side (virtio 1.3, 2.8).
 *
 * What keeps it near the cache-coherence floor (make bench, one buffer at
 * a time: about 0.2 cache-line round trips per operation; in batches of 32
 * and 8, about 0.13):
 * - What shares a line: one array of 16-byte descriptors carries both
 *   directions, four to a line, so one transfer moves four buffers; the two
 *   event-suppression areas have lines of their own (vq_layout()).
 * - When chains are published: vq_add() writes a chain but not its first
 *   flags; vq_publish() (or the kick) makes every pending chain available
 *   in order, with release stores and no fence; the full fence is only
 *   where a notification is decided (vq_kick_prepare()). The device
 *   (ring/vq_dev.c) does the same in reverse: a batch of used descriptors,
 *   the first one's flags last.
 * - The hot paths are expanded for each byte order (HOT below), and store
 *   into the ring after updating the driver's own state.
 * - What the fast path never writes: a slot's address when it did not
 *   change (a shadow per slot); length and id are stored each time into a
 *   line the driver owns by then.
 * - The driver reads only the flags of the next used slot until they turn.
 * - A one-buffer chain takes a straight path; longer chains and indirect
 *   tables go through add_chain(), off the fast path.
 */
#include "ring/vq_priv.h"

static inline u16 avail_flags(bool wrap)
{
	/* Available: AVAIL = the driver's wrap counter, USED = its inverse. */
	return wrap ? VRING_PACKED_DESC_F_AVAIL : VRING_PACKED_DESC_F_USED;
}

static inline u16 rd16(const struct vq *vq, const vr16 *p)
{
	return vr16_swap(vq->be, READ_ONCE(p->raw));
}

void vq_packed_init(struct vq *vq, const struct vq_config *cfg, u8 *priv)
{
	unsigned i;

	vq->p.desc = cfg->desc;
	vq->p.driver_ev = cfg->driver;
	vq->p.device_ev = cfg->device;
	vq->p.shadow = (struct vq_packed_shadow *)priv;
	vq->p.id_next = (u16 *)(priv + ALIGN_UP(cfg->num * sizeof(struct vq_packed_shadow), (size_t)8));
	/* Flags 0: neither available nor used for wrap counter 1. */
	memset(vq->p.desc, 0, 16u * cfg->num);
	memset(vq->p.driver_ev, 0, sizeof(*vq->p.driver_ev));
	memset(vq->p.device_ev, 0, sizeof(*vq->p.device_ev));
	for (i = 0; i < cfg->num; i++) {
		vq->p.id_next[i] = (u16)(i + 1);
		/* An impossible address, so the first lap writes it. */
		vq->p.shadow[i].addr = ~(u64)0;
	}
	vq->p.free_id = 0;
	vq->p.avail_wrap = true;
	vq->p.used_wrap = true;
	vq->p.published_wrap = true;
}

/* Store a slot's address (when it changes), length and id. */
static inline void put_slot(struct vq *vq, u16 slot, u64 addr, u32 len, u16 id)
{
	struct vq_packed_shadow *sh = &vq->p.shadow[slot];
	struct vring_packed_desc *d = &vq->p.desc[slot];

	if (sh->addr != addr) {
		sh->addr = addr;
		d->addr = vr64_of(vq->be, addr);
	}
	d->len = vr32_of(vq->be, len);
	d->id = vr16_of(vq->be, id);
}

/* Any chain, direct or through a table. Called off the fast path. */
static __attribute__((noinline)) int add_chain(struct vq *vq, const struct vq_buf *bufs,
					       unsigned out, unsigned in, void *token)
{
	unsigned n = out + in, i;
	bool ind = vq_use_indirect(vq, n, vq->num_free);
	unsigned need = ind ? 1 : n;
	u16 id, slot, head;
	bool wrap;
	u64 in_len = 0;

	if (need > vq->num_free)
		return -VERR_NOMEM;
	id = vq->p.free_id;
	head = slot = vq->p.next_avail;
	wrap = vq->p.avail_wrap;
	if (ind) {
		struct vring_packed_desc *t =
			(struct vring_packed_desc *)(vq->ind + (size_t)id * vq->ind_max * 16u);

		/* Indirect entries carry only WRITE (virtio 1.3, 2.8.19). */
		for (i = 0; i < n; i++) {
			t[i].addr = vr64_of(vq->be, bufs[i].addr);
			t[i].len = vr32_of(vq->be, bufs[i].len);
			t[i].id = vr16_of(vq->be, 0);
			t[i].flags = vr16_of(vq->be, (u16)(i >= out ? VRING_DESC_F_WRITE : 0));
			if (i >= out)
				in_len += bufs[i].len;
		}
		put_slot(vq, slot, vq->ind_addr + (u64)id * vq->ind_max * 16u, n * 16u, id);
		vq->p.shadow[slot].head_flags = (u16)(avail_flags(wrap) | VRING_DESC_F_INDIRECT);
		vq->p.shadow[slot].n = 1;
		slot++;
	} else {
		for (i = 0; i < n; i++) {
			u16 f = (u16)(avail_flags(wrap) | (i + 1 < n ? VRING_DESC_F_NEXT : 0) |
				      (i >= out ? VRING_DESC_F_WRITE : 0));

			/* The buffer id counts in the last descriptor; it is
			 * written in all. */
			put_slot(vq, slot, bufs[i].addr, bufs[i].len, id);
			if (i >= out)
				in_len += bufs[i].len;
			if (i == 0) {
				vq->p.shadow[slot].head_flags = f;
				vq->p.shadow[slot].n = (u16)n;
			} else
				vq->p.desc[slot].flags = vr16_of(vq->be, f);
			if (++slot == vq->num) {
				slot = 0;
				wrap = !wrap;
			}
		}
	}
	if (slot == vq->num) {
		slot = 0;
		wrap = !wrap;
	}
	vq->p.next_avail = slot;
	vq->p.avail_wrap = wrap;
	vq->p.free_id = vq->p.id_next[id];
	vq->head[id].token = token;
	vq->head[id].in_len = in_len > 0xFFFFFFFFu ? 0xFFFFFFFFu : (u32)in_len;
	vq->head[id].ndesc = (u16)need;
	vq->head[id].last = head;
	vq->p.unpublished += need;
	vq->num_free -= need;
	vq->in_flight++;
	return 0;
}

/*
 * The hot paths are written once with the ring's byte order as a
 * parameter and expanded for each value (the callers below), so that a
 * buffer's fields are converted without testing the order at each one.
 */
#define HOT static inline __attribute__((always_inline))

HOT int add_one(struct vq *vq, const struct vq_buf *b, bool write, void *token, bool be)
{
	u16 id = vq->p.free_id, slot = vq->p.next_avail;
	u64 addr = b->addr;
	u32 len = b->len;
	struct vq_packed_shadow *sh = &vq->p.shadow[slot];
	struct vring_packed_desc *d = &vq->p.desc[slot];
	struct vq_head *h = &vq->head[id];

	if (!vq->num_free)
		return -VERR_NOMEM;
	/*
	 * The driver's own state first, the ring last: a store into the ring
	 * may alias any field of the same width, so the compiler reloads
	 * whatever is read after one.
	 */
	h->token = token;
	h->in_len = write ? len : 0;
	h->ndesc = 1;
	sh->head_flags = (u16)(avail_flags(vq->p.avail_wrap) | (write ? VRING_DESC_F_WRITE : 0));
	sh->n = 1;
	vq->p.free_id = vq->p.id_next[id];
	vq->p.unpublished++;
	vq->num_free--;
	vq->in_flight++;
	if (slot + 1u == vq->num) {
		vq->p.next_avail = 0;
		vq->p.avail_wrap = !vq->p.avail_wrap;
	} else {
		vq->p.next_avail = (u16)(slot + 1);
	}
	/* The address only when it changed; length and id each time. */
	if (sh->addr != addr) {
		sh->addr = addr;
		d->addr = vr64_of(be, addr);
	}
	d->len = vr32_of(be, len);
	d->id = vr16_of(be, id);
	return 0;
}

int vq_packed_add(struct vq *vq, const struct vq_buf *bufs, unsigned out, unsigned in, void *token)
{
	if (out + in != 1)
		return add_chain(vq, bufs, out, in, token);
	/* One buffer, the common case, straight through. */
	return vq->be ? add_one(vq, bufs, in != 0, token, true)
		      : add_one(vq, bufs, in != 0, token, false);
}

HOT void publish(struct vq *vq, bool be)
{
	unsigned left = vq->p.unpublished, n;
	u16 slot = vq->p.published;
	bool wrap = vq->p.published_wrap;

	if (!left)
		return;
	if (left == 1 && vq->p.shadow[slot].n == 1) {
		/* One buffer, the common case: the state first, then the one
		 * release store that makes it available. */
		u16 f = vq->p.shadow[slot].head_flags;

		vq->unkicked++;
		vq->p.ahead++;
		vq->p.unpublished = 0;
		vq->p.published = vq->p.next_avail;
		vq->p.published_wrap = vq->p.avail_wrap;
		STORE_RELEASE(vq->p.desc[slot].flags.raw, vr16_of(be, f).raw);
		return;
	}
	/* Make each pending chain available, in order: the rest of a chain
	 * is in place before its first descriptor's flags say so (a release
	 * store; an ordinary store on x86 and s390x, which keep stores in
	 * order). left never exceeds the ring: the walk is bounded. */
	do {
		n = vq->p.shadow[slot].n;
		if (__builtin_expect(!n || n > left, 0))
			break;
		STORE_RELEASE(vq->p.desc[slot].flags.raw,
			      vr16_of(be, vq->p.shadow[slot].head_flags).raw);
		left -= n;
		slot = (u16)(slot + n);
		if (slot >= vq->num) {
			slot = (u16)(slot - vq->num);
			wrap = !wrap;
		}
	} while (left);
	n = vq->p.unpublished - left;
	vq->unkicked += n;
	vq->p.ahead += n;
	vq->p.unpublished = 0;
	vq->p.published = vq->p.next_avail;
	vq->p.published_wrap = vq->p.avail_wrap;
}

void vq_packed_publish(struct vq *vq)
{
	if (vq->be)
		publish(vq, true);
	else
		publish(vq, false);
}

bool vq_packed_kick_prepare(struct vq *vq)
{
	u16 end, off_wrap, event;
	u64 n;

	vq_packed_publish(vq);
	n = vq->unkicked;
	if (!n)
		return false;
	vq->unkicked = 0;
	end = vq->p.published;
	/*
	 * The flags stored by the publish must be visible before the device's
	 * suppression state is loaded (virtio 1.3, 2.8.21): store, then load
	 * of another location, the one order x86 and s390x do not keep by
	 * themselves; the only full fence on the driver's path.
	 */
	MB();
	switch (rd16(vq, &vq->p.device_ev->flags)) {
	case VRING_PACKED_EVENT_FLAG_DISABLE:
		return false;
	case VRING_PACKED_EVENT_FLAG_DESC:
		/* Without event indices, or more than a ring's worth since the
		 * last decision (the event slot's lap is unclear): notify. */
		if (!vq->event_idx || n >= vq->num)
			return true;
		off_wrap = rd16(vq, &vq->p.device_ev->off_wrap);
		event = off_wrap & 0x7FFF;
		/* An event slot on the previous lap lies num below. */
		if ((bool)(off_wrap >> VRING_PACKED_EVENT_F_WRAP_CTR) != vq->p.published_wrap)
			event = (u16)(event - vq->num);
		return vring_need_event(event, end, (u16)(end - n));
	default:
		return true;
	}
}

/* Whether the next slot holds a used descriptor (AVAIL = USED = used wrap). */
HOT bool used_ready(struct vq *vq, bool be)
{
	u16 f = vr16_swap(be, LOAD_ACQUIRE(vq->p.desc[vq->p.last_used].flags.raw));

	return (f & (VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED)) ==
	       (vq->p.used_wrap ? VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0);
}

HOT int get_used(struct vq *vq, void **token, u32 *len, bool be)
{
	const struct vring_packed_desc *d;
	u16 id, n;
	u32 l;
	struct vq_head *h;

	if (!vq->in_flight || !used_ready(vq, be))
		return 0;
	d = &vq->p.desc[vq->p.last_used];
	id = vr16_swap(be, READ_ONCE(d->id.raw));
	l = vr32_swap(be, READ_ONCE(d->len.raw));
	if (id >= vq->num) {
		vq_break(vq, VQ_FAULT_USED_ID_RANGE);
		return -VERR_BROKEN;
	}
	h = &vq->head[id];
	n = h->ndesc;
	/* In flight, and within what was made available (p.ahead: slots
	 * published and not yet used): a device that uses a chain the driver
	 * has not published, or more slots than were, would let the driver
	 * hand out slots still in the ring. */
	if (!h->token || n > vq->p.ahead) {
		vq_break(vq, VQ_FAULT_USED_ID_IDLE);
		return -VERR_BROKEN;
	}
	if (l > h->in_len) {
		if (!vq->len_clamp) {
			vq_break(vq, VQ_FAULT_USED_LEN);
			return -VERR_BROKEN;
		}
		l = h->in_len;
		vq->len_clamped++;
	}
	*token = h->token;
	*len = l;
	h->token = NULL;
	/* Both sides skip the chain's length (virtio 1.3, 2.8.7). */
	vq->p.ahead -= n;
	vq->p.last_used = (u16)(vq->p.last_used + n);
	if (vq->p.last_used >= vq->num) {
		vq->p.last_used = (u16)(vq->p.last_used - vq->num);
		vq->p.used_wrap = !vq->p.used_wrap;
	}
	vq->num_free += n;
	vq->in_flight--;
	vq->p.id_next[id] = vq->p.free_id;
	vq->p.free_id = id;
	return 1;
}

int vq_packed_get_used(struct vq *vq, void **token, u32 *len)
{
	return vq->be ? get_used(vq, token, len, true) : get_used(vq, token, len, false);
}

bool vq_packed_more_used(struct vq *vq)
{
	return vq->in_flight && (vq->be ? used_ready(vq, true) : used_ready(vq, false));
}

static void set_driver_event(struct vq *vq, u16 flags, u16 off_wrap)
{
	if (flags == VRING_PACKED_EVENT_FLAG_DESC)
		WRITE_ONCE(vq->p.driver_ev->off_wrap.raw, vr16_of(vq->be, off_wrap).raw);
	if (vq->p.ev_flags != flags) {
		vq->p.ev_flags = flags;
		/* off_wrap before the flags that make it count. */
		STORE_RELEASE(vq->p.driver_ev->flags.raw, vr16_of(vq->be, flags).raw);
	}
}

bool vq_packed_enable_cb(struct vq *vq)
{
	if (vq->event_idx)
		set_driver_event(vq, VRING_PACKED_EVENT_FLAG_DESC,
				 (u16)(vq->p.last_used | (vq->p.used_wrap << VRING_PACKED_EVENT_F_WRAP_CTR)));
	else
		set_driver_event(vq, VRING_PACKED_EVENT_FLAG_ENABLE, 0);
	/* The request before the look at what is already used. */
	MB();
	return !vq_packed_more_used(vq);
}

void vq_packed_disable_cb(struct vq *vq)
{
	set_driver_event(vq, VRING_PACKED_EVENT_FLAG_DISABLE, 0);
}

void *vq_packed_detach(struct vq *vq)
{
	for (unsigned i = 0; i < vq->num; i++) {
		struct vq_head *h = &vq->head[i];
		void *t = h->token;

		if (!t)
			continue;
		h->token = NULL;
		vq->num_free += h->ndesc;
		vq->in_flight--;
		vq->p.ahead -= MIN(vq->p.ahead, (unsigned)h->ndesc);
		vq->p.id_next[i] = vq->p.free_id;
		vq->p.free_id = (u16)i;
		return t;
	}
	return NULL;
}
