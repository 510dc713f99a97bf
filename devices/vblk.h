/*
 * The virtio-blk driver (virtio 1.3, 5.2), on the transport-neutral device
 * interface (ring/virtio.h): capacity and block size, READ, WRITE, FLUSH and
 * GET_ID, with many requests in flight. It keeps to the device's seg_max
 * and size_max, refuses writes to a read-only device, checks every status
 * byte and names the sector of a failed request.
 */
#ifndef DEVICES_VBLK_H
#define DEVICES_VBLK_H

#include "ring/virtio.h"

/* Feature bits (virtio 1.3, 5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_GEOMETRY 4
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_TOPOLOGY 10
#define VIRTIO_BLK_F_CONFIG_WCE 11
#define VIRTIO_BLK_F_DISCARD 13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

#define VBLK_SECTOR 512u             /* the unit of sector numbers, whatever blk_size says */
#define VBLK_BLOCK_MAX (1u << 20)    /* largest logical block this driver takes */
#define VBLK_ID_BYTES 20u            /* a GET_ID answer */
#define VBLK_TIMEOUT_US 10000000u    /* bound of one synchronous request */

/* Request types (virtio 1.3, 5.2.6). */
enum vblk_op { VBLK_READ = 0, VBLK_WRITE = 1, VBLK_FLUSH = 4, VBLK_GET_ID = 8 };

struct vblk_req; /* private: one request slot, its header and status in DMA memory */

struct vblk {
	struct virtio_dev *dev;
	struct vq *vq;
	u64 capacity;          /* in 512-byte sectors */
	/*
	 * The logical block (BLK_SIZE, 512 when not offered): every READ and
	 * WRITE covers whole blocks and starts on one, as QEMU requires
	 * (it answers IOERR otherwise). blocks is how many whole ones the
	 * capacity holds.
	 */
	u32 blk_size;
	u64 blocks;
	u32 phys_size;         /* TOPOLOGY: the physical block (blk_size when not offered) */
	u32 min_io, opt_io;    /* TOPOLOGY: suggested request sizes in bytes (0: none) */
	u32 seg_max;           /* data segments per request (0: only the ring limits) */
	u32 size_max;          /* bytes per segment (0: no limit) */
	u32 max_transfer;      /* bytes one request may carry: a multiple of blk_size */
	bool read_only;        /* VIRTIO_BLK_F_RO */
	bool flush;            /* VIRTIO_BLK_F_FLUSH: vblk_flush() reaches the device */
	bool dead;             /* reset after a timeout or a broken queue: every call fails */
	unsigned depth;        /* requests that may be in flight */
	unsigned in_flight;
	u64 err_sector;        /* first sector of the last request that failed with IOERR */
	struct vblk_req *req;  /* depth slots */
	struct vblk_req *free; /* free list */
	char why[96];          /* why the last call failed */
};

/*
 * Bring the device up. dev comes fresh from the transport (ACKNOWLEDGE |
 * DRIVER, offered features read: vccw_init()). Negotiates SIZE_MAX,
 * SEG_MAX, BLK_SIZE, TOPOLOGY, RO and FLUSH and the ring features, sets up queue 0
 * for at most depth requests in flight (0: as many as the queue holds),
 * the interruptions, reads the configuration and sets DRIVER_OK. On
 * failure the device is abandoned (virtio_abandon()), why says what
 * failed, and the driver is dead: every other call fails with -VERR_BROKEN.
 */
int vblk_init(struct vblk *b, struct virtio_dev *dev, unsigned depth);

/*
 * Queue one request without waiting. buf is DMA memory (port_dma_alloc())
 * of len bytes: whole logical blocks (blk_size) starting on one, at most
 * max_transfer, within the capacity, for READ and WRITE; VBLK_ID_BYTES for GET_ID; 0 (buf NULL)
 * for FLUSH. cookie comes back with the completion. The device sees the
 * request at vblk_kick(). Returns 0; -VERR_AGAIN when depth requests are
 * in flight; -VERR_INVAL for a bad length, a sector not on a block or a bad operation; -VERR_RANGE beyond
 * the capacity; -VERR_ROFS for a write to a read-only device; -VERR_NOTSUP
 * for FLUSH without the feature; -VERR_BROKEN when dead.
 */
int vblk_submit(struct vblk *b, enum vblk_op op, u64 sector, void *buf, u32 len, void *cookie);

/* Make queued requests visible to the device, notifying it when it wants. */
int vblk_kick(struct vblk *b);

/*
 * Collect one finished request without waiting. Returns 1 with its cookie
 * and *result: 0; -VERR_IO for IOERR (why names the sector, err_sector is
 * set); -VERR_NOTSUP for UNSUPP; -VERR_PROTO for a status the device did
 * not write or does not define. Returns 0 when none has finished, or a
 * negative error when the queue broke (the device is then reset and every
 * request in flight is lost: dead).
 */
int vblk_complete(struct vblk *b, void **cookie, int *result);

/*
 * Wait until a request may have finished or the deadline (port_now_us())
 * passes. Returns 1, 0 at the deadline, or a negative error (device gone,
 * queue broken).
 */
int vblk_wait(struct vblk *b, u64 deadline_us);

/*
 * Give up: reset the device, so it touches no buffer any more, and forget
 * every request in flight. Afterwards the device is dead. Used after a
 * timeout; the synchronous calls do it themselves.
 */
void vblk_stop(struct vblk *b, const char *why);

/*
 * Synchronous requests, each bounded by VBLK_TIMEOUT_US (on a timeout the
 * device is stopped: a late completion cannot write into the buffer).
 * READ and WRITE longer than max_transfer are split. They need no request
 * of the caller in flight (-VERR_BUSY otherwise). Return 0 or an error
 * with why.
 */
int vblk_read(struct vblk *b, u64 sector, void *buf, u32 len);
int vblk_write(struct vblk *b, u64 sector, const void *buf, u32 len);
int vblk_flush(struct vblk *b);
/* GET_ID: the serial, NUL-terminated (at most 20 characters). */
int vblk_get_id(struct vblk *b, char id[VBLK_ID_BYTES + 1]);

#endif /* DEVICES_VBLK_H */
