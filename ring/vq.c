/* Virtqueue driver side: layout, set-up, and the calls common to both rings. */
#include "ring/vq_priv.h"

#define CACHE_LINE 64u

static bool size_ok(unsigned num, bool packed)
{
	if (num == 0 || num > VRING_MAX_SIZE)
		return false;
	/* The split ring indexes with a mask; the packed ring does not. */
	return packed || (num & (num - 1)) == 0;
}

int vq_layout(unsigned num, bool packed, bool legacy, unsigned legacy_align, struct vq_layout *out)
{
	if (!size_ok(num, packed) || (legacy && (packed || !legacy_align ||
						 (legacy_align & (legacy_align - 1)))))
		return -VERR_INVAL;
	out->desc_off = 0;
	if (legacy) {
		/* virtio 1.3, 2.7.2 "Legacy Interfaces": one block, the used
		 * ring at the next legacy_align boundary (4096 on CCW). */
		out->driver_off = vring_desc_size(num);
		out->device_off = ALIGN_UP(out->driver_off + vring_avail_size(num), (size_t)legacy_align);
		out->size = ALIGN_UP(out->device_off + vring_used_size(num), (size_t)legacy_align);
		out->align = legacy_align;
		return 0;
	}
	/*
	 * Each area on its own cache lines: the descriptors and the driver
	 * area are written by the driver, the device area by the device (in
	 * the packed ring both write the descriptors). Nothing one side writes
	 * shares a line with what the other side writes, so no line
	 * ping-pongs for a neighbour's sake.
	 */
	if (packed) {
		out->driver_off = ALIGN_UP(16u * num, (size_t)CACHE_LINE);
		out->device_off = out->driver_off + CACHE_LINE;
		out->size = out->device_off + CACHE_LINE;
	} else {
		out->driver_off = ALIGN_UP(vring_desc_size(num), (size_t)CACHE_LINE);
		out->device_off = ALIGN_UP(out->driver_off + vring_avail_size(num), (size_t)CACHE_LINE);
		out->size = ALIGN_UP(out->device_off + vring_used_size(num), (size_t)CACHE_LINE);
	}
	out->align = CACHE_LINE;
	return 0;
}

size_t vq_priv_size(unsigned num, bool packed)
{
	size_t n = ALIGN_UP(num * sizeof(struct vq_head), (size_t)8);

	if (packed)
		return n + ALIGN_UP(num * sizeof(struct vq_packed_shadow), (size_t)8) + 2u * num;
	/* Split: descriptor shadows, avail slot shadows, free-list links. */
	return n + num * sizeof(struct vq_split_shadow) + 2u * num + 2u * num;
}

int vq_init(struct vq *vq, const struct vq_config *cfg)
{
	u8 *priv = cfg->priv;

	if (!size_ok(cfg->num, cfg->packed) || !cfg->desc || !cfg->driver || !cfg->device ||
	    !priv || ((uintptr_t)priv & 7) || (cfg->indirect_max && (!cfg->indirect ||
								       cfg->indirect_max > 0xFFFF)))
		return -VERR_INVAL;
	memset(vq, 0, sizeof(*vq));
	memset(priv, 0, vq_priv_size(cfg->num, cfg->packed));
	vq->num = cfg->num;
	vq->mask = (u16)(cfg->num - 1);
	vq->packed = cfg->packed;
	vq->event_idx = cfg->event_idx;
	vq->in_order = cfg->in_order;
	vq->be = cfg->big_endian;
	vq->num_free = cfg->num;
	vq->head = (struct vq_head *)priv;
	vq->ind = cfg->indirect_max ? cfg->indirect : NULL;
	vq->ind_addr = cfg->indirect_addr;
	vq->ind_max = cfg->indirect_max;
	vq->notify = cfg->notify;
	vq->notify_ctx = cfg->notify_ctx;
	priv += ALIGN_UP(cfg->num * sizeof(struct vq_head), (size_t)8);
	if (cfg->packed)
		vq_packed_init(vq, cfg, priv);
	else
		vq_split_init(vq, cfg, priv);
	return 0;
}

bool vq_kick_prepare(struct vq *vq)
{
	if (vq->fault)
		return false;
	return vq->packed ? vq_packed_kick_prepare(vq) : vq_split_kick_prepare(vq);
}

int vq_notify(struct vq *vq)
{
	if (vq->fault)
		return -VERR_BROKEN;
	if (vq->notify && vq->notify(vq->notify_ctx) < 0) {
		vq_break(vq, VQ_FAULT_NOTIFY);
		return -VERR_BROKEN;
	}
	return 0;
}

int vq_kick(struct vq *vq)
{
	if (vq->fault)
		return -VERR_BROKEN;
	return vq_kick_prepare(vq) ? vq_notify(vq) : 0;
}

bool vq_more_used(struct vq *vq)
{
	if (vq->fault)
		return false;
	return vq->packed ? vq_packed_more_used(vq) : vq_split_more_used(vq);
}

bool vq_enable_cb(struct vq *vq)
{
	if (vq->fault)
		return true;
	return vq->packed ? vq_packed_enable_cb(vq) : vq_split_enable_cb(vq);
}

void vq_disable_cb(struct vq *vq)
{
	if (vq->fault)
		return;
	if (vq->packed)
		vq_packed_disable_cb(vq);
	else
		vq_split_disable_cb(vq);
}

void *vq_detach_unused(struct vq *vq)
{
	return vq->packed ? vq_packed_detach(vq) : vq_split_detach(vq);
}

const char *vq_fault_str(enum vq_fault f)
{
	switch (f) {
	case VQ_OK:
		return "ok";
	case VQ_FAULT_USED_ID_RANGE:
		return "the device returned a buffer id beyond the ring";
	case VQ_FAULT_USED_ID_IDLE:
		return "the device returned a buffer that was not in flight";
	case VQ_FAULT_USED_LEN:
		return "the device wrote more than the buffer holds";
	case VQ_FAULT_USED_IDX_JUMP:
		return "the device moved its used index past what was in flight";
	case VQ_FAULT_NOTIFY:
		return "the notification failed";
	}
	return "unknown fault";
}
