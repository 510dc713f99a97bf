/*
 * The device side of a virtqueue, split or packed (virtio 1.3, 2.7 and 2.8),
 * used by the simulated devices and the benchmarks.
 *
 * It never trusts the driver: every chain is validated before a device
 * model sees it (indices in range, no loops, chains no longer than the
 * ring, indirect tables well formed and not nested, readable buffers before
 * writable ones, every buffer inside memory the caller's accessor accepts).
 * A violation stops the queue with a reason; the device model then reports
 * DEVICE_NEEDS_RESET. Every field the driver wrote is read once.
 */
#ifndef RING_VQ_DEV_H
#define RING_VQ_DEV_H

#include "ring/vring_hw.h" /* ring layouts */

/*
 * The caller's view of guest memory: a host pointer to len bytes at addr,
 * or NULL when the range is not memory the device may access (for writing
 * when write is set). The ring areas themselves are given as pointers.
 */
struct vq_mem {
	void *(*map)(void *ctx, u64 addr, u64 len, bool write);
	void *ctx;
	/* Optional: one region mapped without a call, [base_addr, base_addr +
	 * size) at host address base, readable and writable; map() is asked
	 * only for what lies outside it. size 0: none. */
	u8 *base;
	u64 base_addr;
	u64 size;
};

struct vqd_config {
	unsigned num;
	bool packed, event_idx, indirect, in_order, big_endian;
	void *desc, *driver, *device; /* host pointers to the ring areas, already checked */
	const struct vq_mem *mem;
};

/* One buffer of a chain, validated and mapped. */
struct vq_seg {
	u64 addr;
	void *ptr;  /* host pointer from the accessor (NULL for a 0-length buffer) */
	u32 len;
	bool write; /* device-writable */
};

/* A chain as vqd_pop() hands it out. The caller provides seg[cap]. */
struct vq_chain {
	struct vq_seg *seg;
	unsigned cap;
	unsigned nseg;
	u16 id;       /* head (split) or buffer id (packed), to give back */
	u16 ndesc;    /* ring descriptors it took (packed) */
	u64 out_len;  /* device-readable bytes */
	u64 in_len;   /* device-writable bytes */
};

/* Why the device side stopped (virtio 1.3 driver requirements it checks). */
enum vqd_fault {
	VQD_OK = 0,
	VQD_FAULT_AVAIL_IDX,     /* available index moved by more than the ring size */
	VQD_FAULT_HEAD_RANGE,    /* head index beyond the ring */
	VQD_FAULT_NEXT_RANGE,    /* next index beyond the ring or table */
	VQD_FAULT_LOOP,          /* chain longer than the ring or table */
	VQD_FAULT_INDIRECT,      /* indirect not negotiated, nested, with NEXT, or a bad length */
	VQD_FAULT_ORDER,         /* a readable buffer after a writable one */
	VQD_FAULT_ADDR,          /* a buffer or table outside accessible memory */
	VQD_FAULT_TOO_LONG,      /* more buffers than the device model accepts */
	VQD_FAULT_SIZE,          /* a chain's total length overflows 4 GiB */
};

/* vqd.p.pend_slot when nothing waits for a publish (no slot has this number). */
#define VQD_NO_PEND 0xFFFFu

struct vqd {
	unsigned num;
	u16 mask;
	bool packed, event_idx, indirect, in_order, be;
	enum vqd_fault fault;
	const struct vq_mem *mem;
	u64 uncalled;        /* pushed since the last call decision (split: entries,
			      * packed: descriptors); 64 bits never wrap */
	union {
		struct {
			struct vring_desc *desc;
			struct vring_avail *avail;
			struct vring_used *used;
			u16 last_avail;      /* next available index to take */
			u16 avail_seen;      /* available index last read */
			u16 used_idx;        /* next used index (not yet published) */
			u16 used_published;  /* used index the driver can see */
			u16 used_flags;      /* what the device wrote to used->flags */
		} s;
		struct {
			struct vring_packed_desc *desc;
			struct vring_packed_event *driver_ev; /* written by the driver */
			struct vring_packed_event *device_ev; /* written by the device */
			u16 last_avail;
			u16 used_slot;
			bool avail_wrap;
			bool used_wrap;
			u16 ev_flags;
			u16 pend_slot;         /* the first used descriptor of a batch, whose
						* flags wait for the publish; VQD_NO_PEND */
			u16 pend_flags;        /* in the ring's byte order */
		} p;
	};
};

/* Set up the device side on the ring the config names. 0 or -VERR_INVAL. */
int vqd_init(struct vqd *d, const struct vqd_config *cfg);

/*
 * Take the next available chain into *c. Returns 1, 0 when none is
 * available, or -VERR_PROTO when the driver broke the rules (vqd_fault()
 * says how; the queue stays stopped).
 */
int vqd_pop(struct vqd *d, struct vq_chain *c);

/* Mark a chain used with the bytes written. Not visible until vqd_publish()
 * or vqd_flush(). */
void vqd_push(struct vqd *d, const struct vq_chain *c, u32 written);

/*
 * Make what was pushed visible to the driver, in order, without deciding
 * about a notification: what a driver that polls needs. No full fence, no
 * read of the driver's state.
 */
void vqd_publish(struct vqd *d);

/*
 * vqd_publish(), then say whether the driver wants a used-buffer
 * notification for what was published since the last decision (its
 * no-interrupt flag or event index). The device side's one full fence is
 * here (virtio 1.3, 2.7.7 and 2.8.21).
 */
bool vqd_flush(struct vqd *d);

/*
 * Ask for (or stop asking for) available-buffer notifications. enable
 * returns false when buffers are already available (take them first).
 */
bool vqd_enable_notify(struct vqd *d);
void vqd_disable_notify(struct vqd *d);

/* Whether a chain is available (false when stopped). */
bool vqd_avail(struct vqd *d);

static inline enum vqd_fault vqd_fault(const struct vqd *d) { return d->fault; }

/* Words for a fault. */
const char *vqd_fault_str(enum vqd_fault f);

#endif /* RING_VQ_DEV_H */
