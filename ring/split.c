/*
 * Split virtqueue, driver side (virtio 1.3, 2.7).
 *
 * What keeps it near the cache-coherence floor (make bench, one buffer at
 * a time: about 0.4 cache-line round trips per operation; in batches of 32
 * and 8, about 0.17):
 * - What shares a line: vq_layout() gives the descriptor table, the
 *   available ring (driver-written) and the used ring (device-written)
 *   lines of their own; the two sides never write the same line.
 * - What the fast path never writes: the driver keeps a shadow of every
 *   descriptor and available slot and stores only what changed. A buffer
 *   reposted with the same address and length writes neither, so those
 *   lines stay valid in the device's cache; only used elements and the two
 *   indices move between the cores.
 * - When indices are published: avail->idx at vq_publish() (or the
 *   kick), with a release store and no fence: a caller that publishes a
 *   batch lets the device see it in one line transfer. The full fence is
 *   only where a notification is decided (vq_kick_prepare()). used->idx
 *   is read only when the buffers it covered are all collected.
 * - In order, descriptors are taken in ring order: with one-descriptor
 *   chains slot i names descriptor i and the available ring stops changing.
 * - A one-buffer chain takes a straight path; longer chains and indirect
 *   tables go through add_chain(), off the fast path.
 */
#include "ring/vq_priv.h"

static inline u16 rd16(const struct vq *vq, const vr16 *p)
{
	return vr16_swap(vq->be, READ_ONCE(p->raw));
}

/* Store a descriptor, touching the shared line only when it changes. */
static inline void put_desc(struct vq *vq, u16 i, u64 addr, u32 len, u16 flags, u16 next)
{
	struct vq_split_shadow *sh = &vq->s.shadow[i];
	struct vring_desc *d;

	if (sh->addr == addr && sh->len == len && sh->flags == flags && sh->next == next)
		return;
	d = &vq->s.desc[i];
	d->addr = vr64_of(vq->be, addr);
	d->len = vr32_of(vq->be, len);
	d->flags = vr16_of(vq->be, flags);
	d->next = vr16_of(vq->be, next);
	sh->addr = addr;
	sh->len = len;
	sh->flags = flags;
	sh->next = next;
}

static inline u16 *free_next(struct vq *vq)
{
	/* The free-list links live after the avail shadows (vq_priv_size()). */
	return vq->s.avail_shadow + vq->num;
}

void vq_split_init(struct vq *vq, const struct vq_config *cfg, u8 *priv)
{
	unsigned i;
	u16 *links;

	vq->s.desc = cfg->desc;
	vq->s.avail = cfg->driver;
	vq->s.used = cfg->device;
	vq->s.shadow = (struct vq_split_shadow *)priv;
	vq->s.avail_shadow = (u16 *)(priv + cfg->num * sizeof(struct vq_split_shadow));
	links = free_next(vq);
	memset(vq->s.desc, 0, vring_desc_size(cfg->num));
	memset(vq->s.avail, 0, vring_avail_size(cfg->num));
	memset(vq->s.used, 0, vring_used_size(cfg->num));
	for (i = 0; i < cfg->num; i++)
		links[i] = (u16)(i + 1);
	vq->s.free_head = 0;
}

/* Any chain, direct or through a table. Called off the fast path. */
static __attribute__((noinline)) int add_chain(struct vq *vq, const struct vq_buf *bufs,
					       unsigned out, unsigned in, void *token)
{
	unsigned n = out + in, i;
	bool ind = vq_use_indirect(vq, n, vq->num_free);
	unsigned need = ind ? 1 : n;
	u16 *links = free_next(vq);
	u16 head, cur, last = 0;
	u64 in_len = 0;

	if (need > vq->num_free)
		return -VERR_NOMEM;
	head = vq->in_order ? vq->s.next_desc : vq->s.free_head;
	if (ind) {
		struct vring_desc *t = (struct vring_desc *)(vq->ind + (size_t)head * vq->ind_max * 16u);

		/* The table is the driver's own memory: written whole each time. */
		for (i = 0; i < n; i++) {
			u16 f = (u16)((i + 1 < n ? VRING_DESC_F_NEXT : 0) |
				      (i >= out ? VRING_DESC_F_WRITE : 0));

			t[i].addr = vr64_of(vq->be, bufs[i].addr);
			t[i].len = vr32_of(vq->be, bufs[i].len);
			t[i].flags = vr16_of(vq->be, f);
			t[i].next = vr16_of(vq->be, (u16)(i + 1));
			if (i >= out)
				in_len += bufs[i].len;
		}
		cur = vq->in_order ? (u16)((head + 1) & vq->mask) : links[head];
		put_desc(vq, head, vq->ind_addr + (u64)head * vq->ind_max * 16u, n * 16u,
			 VRING_DESC_F_INDIRECT, cur);
		last = head;
	} else {
		cur = head;
		for (i = 0; i < n; i++) {
			u16 next = vq->in_order ? (u16)((cur + 1) & vq->mask) : links[cur];
			u16 f = (u16)((i + 1 < n ? VRING_DESC_F_NEXT : 0) |
				      (i >= out ? VRING_DESC_F_WRITE : 0));

			put_desc(vq, cur, bufs[i].addr, bufs[i].len, f, next);
			if (i >= out)
				in_len += bufs[i].len;
			last = cur;
			cur = next;
		}
	}
	if (vq->in_order)
		vq->s.next_desc = cur;
	else
		vq->s.free_head = cur;
	vq->head[head].token = token;
	vq->head[head].in_len = in_len > 0xFFFFFFFFu ? 0xFFFFFFFFu : (u32)in_len;
	vq->head[head].ndesc = (u16)need;
	vq->head[head].last = last;
	vq->num_free -= need;
	vq->in_flight++;

	/* The slot in the available ring; unchanged slots are not rewritten. */
	i = vq->s.avail_idx & vq->mask;
	if (vq->s.avail_shadow[i] != head) {
		vq->s.avail_shadow[i] = head;
		vq->s.avail->ring[i] = vr16_of(vq->be, head);
	}
	vq->s.avail_idx++;
	return 0;
}

int vq_split_add(struct vq *vq, const struct vq_buf *bufs, unsigned out, unsigned in, void *token)
{
	struct vq_head *h;
	u16 head, next, slot;
	bool write;

	if (out + in != 1)
		return add_chain(vq, bufs, out, in, token);
	/* One buffer, the common case, straight through. */
	if (!vq->num_free)
		return -VERR_NOMEM;
	write = in != 0;
	if (vq->in_order) {
		head = vq->s.next_desc;
		next = (u16)((head + 1) & vq->mask);
		vq->s.next_desc = next;
	} else {
		head = vq->s.free_head;
		next = free_next(vq)[head];
		vq->s.free_head = next;
	}
	put_desc(vq, head, bufs[0].addr, bufs[0].len, write ? VRING_DESC_F_WRITE : 0, next);
	h = &vq->head[head];
	h->token = token;
	h->in_len = write ? bufs[0].len : 0;
	h->ndesc = 1;
	h->last = head;
	vq->num_free--;
	vq->in_flight++;
	slot = vq->s.avail_idx & vq->mask;
	if (vq->s.avail_shadow[slot] != head) {
		vq->s.avail_shadow[slot] = head;
		vq->s.avail->ring[slot] = vr16_of(vq->be, head);
	}
	vq->s.avail_idx++;
	return 0;
}

void vq_split_publish(struct vq *vq)
{
	u16 new = vq->s.avail_idx;

	if (vq->s.published == new)
		return;
	/* Descriptors and slots before the index that covers them: a release
	 * store (on x86 and s390x an ordinary store: stores are not
	 * reordered with stores there). */
	STORE_RELEASE(vq->s.avail->idx.raw, vr16_of(vq->be, new).raw);
	vq->unkicked += (u16)(new - vq->s.published);
	vq->s.published = new;
}

bool vq_split_kick_prepare(struct vq *vq)
{
	u16 new;
	u64 n;

	vq_split_publish(vq);
	n = vq->unkicked;
	if (!n)
		return false;
	vq->unkicked = 0;
	new = vq->s.published;
	/*
	 * The index store must be visible before the device's suppression
	 * state is loaded (virtio 1.3, 2.7.7): otherwise the device could
	 * decide to sleep on the old index while this side reads its old "no
	 * notification", and both would wait. A store followed by a load of
	 * another location is the one order x86 and s390x do not keep by
	 * themselves, hence the full fence, here and only here.
	 */
	MB();
	if (vq->event_idx) {
		vr16 *avail_event = (vr16 *)&vq->s.used->ring[vq->num];

		/* More than a ring's worth since the last decision: the event
		 * index cannot say which lap it means; notify. */
		return n >= vq->num ||
		       vring_need_event(rd16(vq, avail_event), new, (u16)(new - n));
	}
	return !(rd16(vq, &vq->s.used->flags) & VRING_USED_F_NO_NOTIFY);
}

/* Read used->idx when everything it covered has been collected. */
static inline bool refresh_used(struct vq *vq)
{
	u16 idx;

	if (vq->s.last_used != vq->s.used_seen)
		return true;
	/* The index, then the entries it covers. */
	idx = vr16_swap(vq->be, LOAD_ACQUIRE(vq->s.used->idx.raw));
	if (idx == vq->s.last_used)
		return false;
	if ((u16)(idx - vq->s.last_used) > vq->in_flight) {
		vq_break(vq, VQ_FAULT_USED_IDX_JUMP);
		return false;
	}
	vq->s.used_seen = idx;
	return true;
}

static void release(struct vq *vq, u16 id)
{
	struct vq_head *h = &vq->head[id];

	if (vq->in_order) {
		vq->s.oldest = (u16)((id + h->ndesc) & vq->mask);
	} else {
		u16 *links = free_next(vq);

		links[h->last] = vq->s.free_head;
		vq->s.free_head = id;
	}
	vq->num_free += h->ndesc;
	vq->in_flight--;
	h->token = NULL;
}

/* Hand back the oldest buffer of an in-order batch. */
static int batch_next(struct vq *vq, void **token, u32 *len)
{
	u16 id = vq->s.oldest;

	*token = vq->head[id].token;
	*len = 0;
	if (id == vq->s.batch_end) {
		*len = vq->s.batch_len;
		vq->s.in_batch = false;
	}
	release(vq, id);
	vq->s.last_used++;
	return 1;
}

int vq_split_get_used(struct vq *vq, void **token, u32 *len)
{
	const struct vring_used_elem *e;
	u32 id, l;

	if (vq->s.in_batch)
		return batch_next(vq, token, len);
	if (!refresh_used(vq))
		return vq->fault ? -VERR_BROKEN : 0;
	e = &vq->s.used->ring[vq->s.last_used & vq->mask];
	/* Each field read once: the device may be rewriting it. */
	id = vr32_swap(vq->be, READ_ONCE(e->id.raw));
	l = vr32_swap(vq->be, READ_ONCE(e->len.raw));
	if (id >= vq->num) {
		vq_break(vq, VQ_FAULT_USED_ID_RANGE);
		return -VERR_BROKEN;
	}
	if (!vq->head[id].token) {
		vq_break(vq, VQ_FAULT_USED_ID_IDLE);
		return -VERR_BROKEN;
	}
	if (l > vq->head[id].in_len) {
		if (!vq->len_clamp) {
			vq_break(vq, VQ_FAULT_USED_LEN);
			return -VERR_BROKEN;
		}
		l = vq->head[id].in_len;
		vq->len_clamped++;
	}
	if (vq->in_order && id != vq->s.oldest) {
		/*
		 * A batch (virtio 1.3, 2.7.9): one entry, for the batch's last
		 * buffer, and the used index moved by the batch's size. Every
		 * buffer from the oldest to that one is done; only the last
		 * has a length. The batch must fit what the index covers.
		 */
		u16 h = vq->s.oldest;
		unsigned ahead = 0, covered = (u16)(vq->s.used_seen - vq->s.last_used);

		while (h != id && ahead < vq->in_flight) {
			h = (u16)((h + vq->head[h].ndesc) & vq->mask);
			ahead++;
		}
		if (h != id || ahead + 1 > covered) {
			vq_break(vq, VQ_FAULT_USED_ID_IDLE);
			return -VERR_BROKEN;
		}
		vq->s.in_batch = true;
		vq->s.batch_end = (u16)id;
		vq->s.batch_len = l;
		return batch_next(vq, token, len);
	}
	*token = vq->head[id].token;
	*len = l;
	release(vq, (u16)id);
	vq->s.last_used++;
	return 1;
}

bool vq_split_more_used(struct vq *vq)
{
	return vq->s.in_batch || refresh_used(vq);
}

bool vq_split_enable_cb(struct vq *vq)
{
	if (vq->event_idx) {
		vr16 *used_event = &vq->s.avail->ring[vq->num];

		WRITE_ONCE(used_event->raw, vr16_of(vq->be, vq->s.last_used).raw);
	} else if (vq->s.avail_flags & VRING_AVAIL_F_NO_INTERRUPT) {
		vq->s.avail_flags &= (u16)~VRING_AVAIL_F_NO_INTERRUPT;
		WRITE_ONCE(vq->s.avail->flags.raw, vr16_of(vq->be, vq->s.avail_flags).raw);
	}
	/* The request before the look at what is already used. */
	MB();
	return !vq_split_more_used(vq);
}

void vq_split_disable_cb(struct vq *vq)
{
	/* With event indices the flags must stay 0 (virtio 1.3, 2.7.10). */
	if (vq->event_idx || (vq->s.avail_flags & VRING_AVAIL_F_NO_INTERRUPT))
		return;
	vq->s.avail_flags |= VRING_AVAIL_F_NO_INTERRUPT;
	WRITE_ONCE(vq->s.avail->flags.raw, vr16_of(vq->be, vq->s.avail_flags).raw);
}

void *vq_split_detach(struct vq *vq)
{
	for (unsigned i = 0; i < vq->num; i++) {
		struct vq_head *h = &vq->head[i];
		void *t = h->token;

		if (!t)
			continue;
		if (vq->in_order) {
			/* Order no longer matters: the queue is being reset. */
			h->token = NULL;
			vq->num_free += h->ndesc;
			vq->in_flight--;
			if (!vq->in_flight) {
				vq->s.oldest = vq->s.next_desc;
				vq->s.in_batch = false;
			}
		} else {
			release(vq, (u16)i);
		}
		return t;
	}
	return NULL;
}
