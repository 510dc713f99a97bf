/* Driver-side virtqueue internals shared by vq.c, split.c and packed.c. */
#ifndef RING_VQ_PRIV_H
#define RING_VQ_PRIV_H

#include "ring/barrier.h"
#include "ring/vq.h"

/* Chains at least this long go through an indirect table when there is one. */
#define VQ_INDIRECT_MIN 3u

/* Per buffer id (split: the chain's head descriptor; packed: the buffer id). */
struct vq_head {
	void *token;   /* NULL: not in flight */
	u32 in_len;    /* device-writable bytes of the chain */
	u16 ndesc;     /* ring descriptors the chain takes */
	u16 last;      /* split: the chain's last descriptor */
};

/* What the driver last wrote to a split descriptor: it rewrites only what changes. */
struct vq_split_shadow {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

/*
 * A packed slot: the address last written there (the device never writes
 * it), and for a chain starting here the flags the kick publishes and the
 * chain's length. Length and id are stored every time: the device rewrites
 * them in used descriptors, and the line is the driver's by then anyway.
 */
struct vq_packed_shadow {
	u64 addr;
	u16 head_flags;
	u16 n;
	u32 pad;
};

static inline void vq_break(struct vq *vq, enum vq_fault f)
{
	if (vq->fault == VQ_OK)
		vq->fault = f;
}

/* Whether the chain goes through an indirect table. */
static inline bool vq_use_indirect(const struct vq *vq, unsigned n, unsigned free)
{
	return vq->ind_max && n > 1 && n <= vq->ind_max && (n >= VQ_INDIRECT_MIN || free < n);
}

/* split.c */
void vq_split_init(struct vq *vq, const struct vq_config *cfg, u8 *priv);
bool vq_split_kick_prepare(struct vq *vq);
bool vq_split_more_used(struct vq *vq);
bool vq_split_enable_cb(struct vq *vq);
void vq_split_disable_cb(struct vq *vq);
void *vq_split_detach(struct vq *vq);

/* packed.c */
void vq_packed_init(struct vq *vq, const struct vq_config *cfg, u8 *priv);
bool vq_packed_kick_prepare(struct vq *vq);
bool vq_packed_more_used(struct vq *vq);
bool vq_packed_enable_cb(struct vq *vq);
void vq_packed_disable_cb(struct vq *vq);
void *vq_packed_detach(struct vq *vq);

#endif /* RING_VQ_PRIV_H */
