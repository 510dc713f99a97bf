/*
 * The driver side of a virtqueue, split or packed (virtio 1.3, 2.7 and
 * 2.8). It knows nothing of channel I/O: the transport gives it memory and a
 * notification callback.
 *
 * The driver never trusts what the device wrote: a used id out of range or
 * not in flight, a length larger than the buffer, or a used index that jumps
 * by more than the ring size marks the queue broken, after which every call
 * fails with -VERR_BROKEN and no memory outside the driver's own buffers is
 * touched.
 *
 * Not thread-safe: one caller at a time (the device may run anywhere).
 */
#ifndef RING_VQ_H
#define RING_VQ_H

#include "ring/vring_hw.h" /* ring layouts */

/* One buffer of a chain: a DMA address and a length. */
struct vq_buf {
	u64 addr;
	u32 len;
};

/* Returns 0, or a negative error when the notification failed (the queue
 * is then broken; virtio-ccw's DIAGNOSE 0x500 gives one). */
typedef int (*vq_notify_fn)(void *ctx);

struct vq_config {
	unsigned num;            /* ring size: a power of 2 (split), any (packed), <= 32768 */
	bool packed;             /* VIRTIO_F_RING_PACKED */
	bool event_idx;          /* VIRTIO_F_EVENT_IDX */
	bool in_order;           /* VIRTIO_F_IN_ORDER */
	bool big_endian;         /* legacy ring of a big-endian guest; else little-endian */
	/* The ring: host pointers to its three areas (vq_layout()). */
	void *desc;
	void *driver;            /* split: available ring; packed: driver event suppression */
	void *device;            /* split: used ring; packed: device event suppression */
	/* Driver-private memory of vq_priv_size() bytes, 8-byte aligned. */
	void *priv;
	/* Indirect descriptors (VIRTIO_F_INDIRECT_DESC): num tables of
	 * indirect_max entries each (vq_indirect_size()), and their DMA
	 * address. indirect_max 0: none. */
	void *indirect;
	u64 indirect_addr;
	unsigned indirect_max;
	vq_notify_fn notify;
	void *notify_ctx;
};

/* Where the three areas go in one block, and its size and alignment. */
struct vq_layout {
	size_t desc_off;
	size_t driver_off;
	size_t device_off;
	size_t size;
	size_t align;
};

/*
 * Lay out a ring of num entries. legacy: the revision-0 split layout
 * (descriptors and available ring together, used ring at the next
 * legacy_align boundary, virtio 1.3 2.7.2). Otherwise every area starts a
 * cache line of its own, so that what the driver writes and what the device
 * writes never share a line. Returns 0, or -VERR_INVAL for a size the
 * layout does not allow.
 */
int vq_layout(unsigned num, bool packed, bool legacy, unsigned legacy_align, struct vq_layout *out);

/* Bytes of driver-private memory a ring of num entries needs. */
size_t vq_priv_size(unsigned num, bool packed);

/* Bytes of indirect tables: num tables of max entries. */
static inline size_t vq_indirect_size(unsigned num, unsigned max) { return (size_t)num * max * 16u; }

/* Why a queue broke (for error messages). */
enum vq_fault {
	VQ_OK = 0,
	VQ_FAULT_USED_ID_RANGE,   /* used id >= ring size */
	VQ_FAULT_USED_ID_IDLE,    /* used id not in flight */
	VQ_FAULT_USED_LEN,        /* used length beyond the writable buffers */
	VQ_FAULT_USED_IDX_JUMP,   /* used index moved by more than the ring size */
	VQ_FAULT_NOTIFY,          /* the notification failed */
};

/* Private state. Callers embed it and use only the functions below. */
struct vq_head;

struct vq {
	unsigned num;
	u16 mask;                /* num - 1 for split */
	bool packed, event_idx, in_order, be;
	/*
	 * Used lengths beyond the writable bytes are taken as all of them
	 * (and counted in len_clamped) instead of breaking the queue: for a
	 * device known to count its readable buffers too (QEMU's virtio-scsi
	 * reports data-out plus response, hw/scsi/virtio-scsi.c). Off by
	 * default; the driver sets it after setting the queue up.
	 */
	bool len_clamp;
	u64 len_clamped;
	enum vq_fault fault;
	unsigned num_free;       /* descriptors (split) or ring slots (packed) free */
	unsigned in_flight;      /* buffers added and not yet returned */
	u64 unkicked;            /* published since the last kick decision (split:
				  * buffers, packed: descriptors); 64 bits never wrap */
	struct vq_head *head;    /* per head id: token, chain length, writable bytes */
	u8 *ind;                 /* indirect tables */
	u64 ind_addr;
	unsigned ind_max;
	vq_notify_fn notify;
	void *notify_ctx;
	union {
		struct {
			struct vring_desc *desc;
			struct vring_avail *avail;
			struct vring_used *used;
			struct vq_split_shadow *shadow; /* what the driver wrote to each desc */
			u16 *avail_shadow;              /* what it wrote to each avail slot */
			u16 free_head;                  /* free list through shadow[].next */
			u16 avail_idx;                  /* next avail index (not yet published) */
			u16 published;                  /* avail index the device can see */
			u16 last_used;                  /* next used index to collect */
			u16 used_seen;                  /* used index last read */
			u16 oldest;                     /* in order: oldest head in flight */
			u16 next_desc;                  /* in order: next descriptor to use */
			u16 avail_flags;                /* what the driver wrote to avail->flags */
			bool in_batch;                  /* in order: returning a batch */
			u16 batch_end;                  /* its last buffer */
			u32 batch_len;                  /* the length reported for it */
		} s;
		struct {
			struct vring_packed_desc *desc;
			struct vring_packed_event *driver_ev; /* written by the driver */
			struct vring_packed_event *device_ev; /* written by the device */
			struct vq_packed_shadow *shadow;      /* addr/len/id last written per slot */
			u16 *id_next;                         /* free list of buffer ids */
			u16 free_id;
			u16 next_avail;                       /* slot for the next chain */
			u16 last_used;                        /* slot of the next used descriptor */
			u16 published;                        /* next_avail at the last publish */
			unsigned ahead;                       /* slots published and not yet used */
			unsigned unpublished;                 /* slots added and not yet published */
			bool avail_wrap;                      /* driver ring wrap counter */
			bool used_wrap;                       /* used wrap counter */
			bool published_wrap;
			u16 ev_flags;                         /* what the driver wrote */
		} p;
	};
};

/*
 * Set up the driver side on the memory the config names. The ring is
 * zeroed (split) or marked all not-available (packed). Returns 0, or
 * -VERR_INVAL for an invalid config.
 */
int vq_init(struct vq *vq, const struct vq_config *cfg);

/*
 * Add a chain: out device-readable buffers then in device-writable ones,
 * with a caller token (non-NULL) returned when the device has used it.
 * Uses an indirect table when the queue has them and the chain is long (or
 * the ring too full for it direct). The chain is not visible to the device
 * until vq_kick_prepare(). Returns 0; -VERR_NOMEM when the ring is full
 * (nothing changes); -VERR_INVAL for an empty chain or a NULL token;
 * -VERR_BROKEN.
 */
static inline int vq_add(struct vq *vq, const struct vq_buf *bufs, unsigned out, unsigned in,
			 void *token);

/*
 * Make what was added visible to the device, in order, without deciding
 * about a notification: what a device that polls needs, one buffer at a
 * time or a batch. No full fence, no read of the device's state.
 */
static inline void vq_publish(struct vq *vq);

/*
 * vq_publish(), then say whether the device wants to be notified of what
 * was published since the last decision (its no-notify flag or event
 * index). Does not notify. The one full fence of the driver's paths is
 * here (virtio 1.3, 2.7.7 and 2.8.21: what is published before the
 * device's suppression state is read).
 */
bool vq_kick_prepare(struct vq *vq);

/* Notify the device through the callback. Returns 0, or -VERR_BROKEN. */
int vq_notify(struct vq *vq);

/* vq_kick_prepare(), then vq_notify() when wanted. Returns 0 or -VERR_BROKEN. */
int vq_kick(struct vq *vq);

/*
 * Collect one used buffer: *token as given to vq_add(), *len the bytes the
 * device says it wrote. Returns 1, 0 when none is ready, or -VERR_BROKEN.
 * In order, a buffer the device completed in a batch without its own used
 * entry reports len 0.
 */
static inline int vq_get_used(struct vq *vq, void **token, u32 *len);

/* Whether a used buffer is ready (false when broken). */
bool vq_more_used(struct vq *vq);

/*
 * Ask for used-buffer notifications (interruptions). Returns false when
 * used buffers are already waiting, so the caller must collect them before
 * it waits; true when it may wait.
 */
bool vq_enable_cb(struct vq *vq);

/* Stop asking for used-buffer notifications (advisory for the device). */
void vq_disable_cb(struct vq *vq);

/*
 * Take back one buffer still in flight, for a queue being reset: its token,
 * or NULL when none is left. The device must not be using the ring.
 */
void *vq_detach_unused(struct vq *vq);

static inline unsigned vq_num_free(const struct vq *vq) { return vq->num_free; }
static inline bool vq_broken(const struct vq *vq) { return vq->fault != VQ_OK; }
/* See len_clamp in struct vq. */
static inline void vq_set_len_clamp(struct vq *vq, bool on) { vq->len_clamp = on; }

/* Words for a fault. */
const char *vq_fault_str(enum vq_fault f);

/* The layouts' own entry points; use vq_add(), vq_publish() and vq_get_used(). */
void vq_split_publish(struct vq *vq);
void vq_packed_publish(struct vq *vq);
int vq_split_add(struct vq *vq, const struct vq_buf *bufs, unsigned out, unsigned in, void *token);
int vq_packed_add(struct vq *vq, const struct vq_buf *bufs, unsigned out, unsigned in, void *token);
int vq_split_get_used(struct vq *vq, void **token, u32 *len);
int vq_packed_get_used(struct vq *vq, void **token, u32 *len);

/* Inline so that the checks cost no call; the work is in split.c and packed.c. */
static inline int vq_add(struct vq *vq, const struct vq_buf *bufs, unsigned out, unsigned in,
			 void *token)
{
	if (__builtin_expect(vq->fault != VQ_OK, 0))
		return -VERR_BROKEN;
	if (__builtin_expect(!token || !bufs || out + in == 0 || out + in < out, 0))
		return -VERR_INVAL;
	return vq->packed ? vq_packed_add(vq, bufs, out, in, token)
			  : vq_split_add(vq, bufs, out, in, token);
}

/* Inline: a polling driver publishes each buffer; a call would cost more than the store. */
static inline void vq_publish(struct vq *vq)
{
	if (__builtin_expect(vq->fault != VQ_OK, 0))
		return;
	if (vq->packed)
		vq_packed_publish(vq);
	else
		vq_split_publish(vq);
}

static inline int vq_get_used(struct vq *vq, void **token, u32 *len)
{
	if (__builtin_expect(vq->fault != VQ_OK, 0))
		return -VERR_BROKEN;
	return vq->packed ? vq_packed_get_used(vq, token, len) : vq_split_get_used(vq, token, len);
}

#endif /* RING_VQ_H */
