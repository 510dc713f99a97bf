/* The virtio-rng driver (virtio 1.3, 5.4): entropy from the device into any memory. */
#include "ccw/port.h" /* port_dma_alloc, port_dma_addr, port_now_us */
#include "devices/vrng.h"
#include "ring/fmt.h" /* fmt_snprintf */

/*
 * Answers of 0 bytes in a row after which the device counts as broken. The
 * spec wants at least one byte per request (virtio 1.3, 5.4.6), but an
 * empty answer is harmless: keep asking, within timeout_us and this.
 */
#define VRNG_MAX_EMPTY 64u

static int fail(struct vrng *r, int err, const char *what)
{
	fmt_snprintf(r->why, sizeof(r->why), "%s: %s", what, verr_str(err));
	return err;
}

/* A transport failure: its own reason is the better one. */
static int fail_dev(struct vrng *r, int err, const char *what)
{
	fmt_snprintf(r->why, sizeof(r->why), "%s: %s", what,
		     r->dev->why[0] ? r->dev->why : verr_str(err));
	return err;
}

int vrng_init(struct vrng *r, struct virtio_dev *dev)
{
	/* IN_ORDER would hide the length of a buffer used in a batch, and the
	 * length is all that says how many bytes are valid. */
	u64 wanted = VIRTIO_RING_FEATURES & ~VIRTIO_BIT(VIRTIO_F_IN_ORDER);
	int err;

	r->dev = dev;
	r->vq = NULL;
	r->buf = NULL;
	r->requests = 0;
	r->bytes = 0;
	r->timeout_us = VRNG_TIMEOUT_US;
	r->why[0] = '\0';
	if (dev->device_id != VIRTIO_ID_RNG) {
		fmt_snprintf(r->why, sizeof(r->why), "not an entropy device");
		return -VERR_NOTSUP;
	}
	err = dev->ops->negotiate(dev, wanted);
	if (err) {
		fail_dev(r, err, "negotiate");
		goto out_abandon;
	}
	err = dev->ops->setup_vq(dev, 0, 0, &r->vq);
	if (err) {
		fail_dev(r, err, "requestq");
		goto out_abandon;
	}
	err = dev->ops->setup_irq(dev);
	if (err) {
		fail_dev(r, err, "interruptions");
		goto out_abandon;
	}
	/* The caller's structure may be anything: the buffer is taken anew
	 * (the port's DMA memory has no free). */
	r->buf = port_dma_alloc(VRNG_CHUNK, 8);
	if (!r->buf) {
		err = fail(r, -VERR_NOMEM, "buffer");
		goto out_abandon;
	}
	err = dev->ops->set_status(dev, (u8)(dev->status | VIRTIO_STATUS_DRIVER_OK));
	if (err) {
		fail_dev(r, err, "DRIVER_OK");
		goto out_abandon;
	}
	return 0;

out_abandon:
	virtio_abandon(dev);
	r->vq = NULL;
	return err;
}

/*
 * Wait until the one request in flight comes back: 1 with its length, 0 at
 * the deadline, or an error (device gone, queue broken).
 */
static int collect(struct vrng *r, u32 *len, u64 deadline)
{
	for (;;) {
		void *tok;
		int rc = vq_get_used(r->vq, &tok, len);

		if (rc != 0)
			return rc < 0 ? fail(r, rc, vq_fault_str(r->vq->fault)) : 1;
		/* Signals for anything else must not keep this waiting. */
		if (port_now_us() >= deadline)
			return 0;
		if (!vq_enable_cb(r->vq))
			continue; /* it came while notifications were off */
		rc = r->dev->ops->wait(r->dev, deadline);
		if (rc < 0)
			return fail_dev(r, rc, "wait");
		if (rc == 0 && !vq_more_used(r->vq))
			return 0;
		if (r->dev->needs_reset)
			return fail(r, -VERR_BROKEN, "device needs reset");
	}
}

int vrng_read(struct vrng *r, void *buf, size_t len)
{
	u8 *out = buf;
	u64 deadline = port_now_us() + r->timeout_us;
	unsigned empty = 0;

	if (!r->vq || !r->buf)
		return fail(r, -VERR_NODEV, "not set up");
	if (len && !buf)
		return fail(r, -VERR_INVAL, "no buffer");
	while (len) {
		u32 got;
		int rc;

		/* A request that timed out earlier may still be out: its
		 * answer serves this call (the buffer is the same). */
		if (!r->vq->in_flight) {
			struct vq_buf b = { port_dma_addr(r->buf), (u32)MIN(len, (size_t)VRNG_CHUNK) };

			/* Device-writable only (virtio 1.3, 5.4.6). */
			rc = vq_add(r->vq, &b, 0, 1, r->buf);
			if (!rc)
				rc = vq_kick(r->vq);
			if (rc)
				return fail(r, rc, "request");
		}
		rc = collect(r, &got, deadline);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return fail(r, -VERR_TIMEOUT, "no answer");
		r->requests++;
		r->bytes += got;
		/* Only the used length is entropy; the ring checked it is
		 * within the buffer. */
		got = (u32)MIN((size_t)got, len);
		if (!got) {
			if (++empty >= VRNG_MAX_EMPTY)
				return fail(r, -VERR_IO, "the device gives no bytes");
			continue;
		}
		empty = 0;
		memcpy(out, r->buf, got);
		out += got;
		len -= got;
		/* The bound is on progress: a slow device still fills a large
		 * buffer. */
		deadline = port_now_us() + r->timeout_us;
	}
	return 0;
}
