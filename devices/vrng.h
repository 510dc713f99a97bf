/*
 * The virtio-rng driver (virtio 1.3, 5.4): entropy into a buffer. Only
 * device-writable buffers, and only as many bytes as the device says it
 * wrote.
 */
#ifndef DEVICES_VRNG_H
#define DEVICES_VRNG_H

#include "ring/virtio.h"

#define VRNG_CHUNK 256u          /* bytes asked for per request */
#define VRNG_TIMEOUT_US 2000000u /* default bound on progress (timeout_us) */

struct vrng {
	struct virtio_dev *dev;
	struct vq *vq;
	u8 *buf;                 /* VRNG_CHUNK bytes of DMA memory */
	u64 requests;            /* requests completed */
	u64 bytes;               /* bytes the device delivered */
	/*
	 * The longest wait for the device's next bytes (VRNG_TIMEOUT_US after
	 * vrng_init()). A rate-limited device (QEMU's max-bytes= and period=)
	 * answers once its next period begins: raise it to wait that long.
	 */
	u64 timeout_us;
	char why[96];
};

/* Bring the device up (dev fresh from the transport). On failure the
 * device is abandoned. */
int vrng_init(struct vrng *r, struct virtio_dev *dev);

/*
 * Fill len bytes of buf (any memory), with as many requests as it takes,
 * waiting up to timeout_us for each answer. Returns 0 or an error;
 * -VERR_TIMEOUT leaves the request out, and the next call collects its
 * answer first.
 */
int vrng_read(struct vrng *r, void *buf, size_t len);

#endif /* DEVICES_VRNG_H */
