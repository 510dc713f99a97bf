/* The virtio-blk driver (virtio 1.3, 5.2) on the transport-neutral virtio interface. */
#include "devices/vblk.h"

#include "ccw/port.h"	  /* DMA memory, the clock */
#include "ring/barrier.h" /* READ_ONCE, WRITE_ONCE */
#include "ring/fmt.h"	  /* fmt_snprintf */

/* Status bytes (virtio 1.3, 5.2.6). */
#define VBLK_S_OK     0
#define VBLK_S_IOERR  1
#define VBLK_S_UNSUPP 2
/* A value the device never writes: a status still holding it was not written. */
#define VBLK_S_UNSET  0xFF

/* Bytes one request may carry whatever the device allows, and data
 * segments per request (they are built on the stack). */
#define VBLK_MAX_TRANSFER      (1u << 20)
#define VBLK_MAX_SEGS	       64u
#define VBLK_MIN_INDIRECT_XFER (64u << 10)

/* The request header (virtio 1.3, 5.2.6): little-endian for a VERSION_1
 * device, guest-native (big-endian) for a legacy one. */
struct vblk_hdr_le {
	le32 type;
	le32 ioprio;
	le64 sector;
};

struct vblk_hdr_be {
	be32 type;
	be32 ioprio;
	be64 sector;
};

BUILD_ASSERT(sizeof(struct vblk_hdr_le) == 16 && sizeof(struct vblk_hdr_be) == 16);

/*
 * One request slot, a cache line of DMA memory: what the device reads
 * (the header) and writes (the status byte), and the driver's bookkeeping,
 * which no descriptor ever names.
 */
struct vblk_req {
	union {
		struct vblk_hdr_le le;
		struct vblk_hdr_be be;
	} hdr;
	u8 status;
	u8 op;
	u32 len;
	u64 sector;
	u64 hdr_addr; /* DMA address of hdr; the status byte follows it */
	void *cookie;
	struct vblk_req *next;
} __aligned(64);

BUILD_ASSERT(sizeof(struct vblk_req) == 64);
BUILD_ASSERT(offsetof(struct vblk_req, status) == 16);

static const char *op_name(unsigned op)
{
	switch (op) {
	case VBLK_READ:
		return "READ";
	case VBLK_WRITE:
		return "WRITE";
	case VBLK_FLUSH:
		return "FLUSH";
	case VBLK_GET_ID:
		return "GET_ID";
	}
	return "request";
}

/* The GET_ID buffer lives after the slots, in the same DMA block. */
static u8 *id_buf(struct vblk *b)
{
	return (u8 *)(b->req + b->depth);
}

static void free_all(struct vblk *b)
{
	b->free = NULL;
	for (unsigned i = b->depth; i-- > 0;) {
		b->req[i].next = b->free;
		b->free = &b->req[i];
	}
	b->in_flight = 0;
}

/* Give the device up after a failed bring-up; detail NULL: the transport's reason. */
static int init_fail(struct vblk *b, int err, const char *what, const char *detail)
{
	struct virtio_dev *dev = b->dev;

	if (!detail)
		detail = dev->why[0] ? dev->why : verr_str(err);
	fmt_snprintf(b->why, sizeof(b->why), "virtio-blk: %s: %s", what, detail);
	virtio_abandon(dev);
	/* The queue and the slots may be missing: every later call must fail
	 * here, not follow them (found by fuzz_drivers). */
	b->dead = true;
	return err;
}

/* Read a config field the feature makes valid, or leave *v alone. */
static int cread32_if(struct virtio_dev *dev, unsigned bit, unsigned off, u32 *v)
{
	return virtio_has(dev, bit) ? virtio_cread32(dev, off, v) : 0;
}

/* max_transfer and depth from the device's limits and the ring (virtio 1.3, 5.2.4). */
static int set_limits(struct vblk *b, unsigned want_depth)
{
	struct vq *vq = b->vq;
	u64 xfer = VBLK_MAX_TRANSFER;
	unsigned segs, per_req;

	/* Each request takes a header and a status descriptor besides its data. */
	segs = MIN(b->seg_max ? b->seg_max : VBLK_MAX_SEGS, VBLK_MAX_SEGS);
	if (!(vq->ind_max && 2 + segs <= vq->ind_max) && 2 + segs > vq->num)
		segs = vq->num > 2 ? vq->num - 2 : 0;
	if (!segs)
		return -VERR_NOTSUP;
	/* A request that fits an indirect table takes one ring slot: worth
	 * shorter transfers while they stay at 64 KiB or more. */
	if (b->size_max && vq->ind_max > 2 && segs > vq->ind_max - 2 &&
	    (u64)(vq->ind_max - 2) * b->size_max >= VBLK_MIN_INDIRECT_XFER)
		segs = vq->ind_max - 2;
	/* A contiguous buffer is one segment unless size_max cuts it. */
	if (b->size_max)
		xfer = MIN(xfer, (u64)segs * b->size_max);
	else
		segs = 1;
	xfer -= xfer % b->blk_size;
	if (!xfer)
		return -VERR_NOTSUP;
	b->max_transfer = (u32)xfer;
	if (b->size_max)
		segs = (unsigned)((xfer + b->size_max - 1) / b->size_max);
	per_req = vq->ind_max && 2 + segs <= vq->ind_max ? 1 : 2 + segs;
	b->depth = vq->num / per_req;
	if (want_depth && want_depth < b->depth)
		b->depth = want_depth;
	return b->depth ? 0 : -VERR_NOTSUP;
}

int vblk_init(struct vblk *b, struct virtio_dev *dev, unsigned depth)
{
	u64 wanted = VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX) |
		     VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) | VIRTIO_BIT(VIRTIO_BLK_F_TOPOLOGY) |
		     VIRTIO_BIT(VIRTIO_BLK_F_RO) | VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) |
		     VIRTIO_RING_FEATURES;
	u8 phys_exp = 0;
	u16 min_io = 0;
	u32 opt_io = 0;
	int err;

	memset(b, 0, sizeof(*b));
	b->dev = dev;
	/* virtio 1.3, 3.1.1: features, then queues, then configuration, then DRIVER_OK. */
	err = dev->ops->negotiate(dev, wanted);
	if (err)
		return init_fail(b, err, "features", NULL);
	err = dev->ops->setup_vq(dev, 0, 0, &b->vq);
	if (err)
		return init_fail(b, err, "request queue", NULL);
	err = dev->ops->setup_irq(dev);
	if (err)
		return init_fail(b, err, "interruptions", NULL);
	b->blk_size = VBLK_SECTOR;
	/* Config read after FEATURES_OK: only then is its byte order settled
	 * (reference/platforms.md 12.5). */
	err = virtio_cread64(dev, 0, &b->capacity);
	if (!err)
		err = cread32_if(dev, VIRTIO_BLK_F_SIZE_MAX, 8, &b->size_max);
	if (!err)
		err = cread32_if(dev, VIRTIO_BLK_F_SEG_MAX, 12, &b->seg_max);
	if (!err)
		err = cread32_if(dev, VIRTIO_BLK_F_BLK_SIZE, 20, &b->blk_size);
	/* virtio 1.3, 5.2.4: the topology, in logical blocks. */
	if (!err && virtio_has(dev, VIRTIO_BLK_F_TOPOLOGY)) {
		err = virtio_cread8(dev, 24, &phys_exp);
		if (!err)
			err = virtio_cread16(dev, 26, &min_io);
		if (!err)
			err = virtio_cread32(dev, 28, &opt_io);
	}
	if (err)
		return init_fail(b, err, "configuration", NULL);
	/* At least one segment, whatever the device says (seg_max 0 is no limit
	 * a driver can use). */
	if (virtio_has(dev, VIRTIO_BLK_F_SEG_MAX) && !b->seg_max)
		b->seg_max = 1;
	/* The spec calls blk_size advice, but QEMU fails a request that is not
	 * whole blocks of it, so it is the unit of every request here. A
	 * device that names no usable power of two is refused. */
	if (b->blk_size < VBLK_SECTOR || (b->blk_size & (b->blk_size - 1)) ||
	    b->blk_size > VBLK_BLOCK_MAX) {
		char detail[64];

		fmt_snprintf(detail, sizeof(detail), "block size %u is not a power of two from 512 "
			     "to %u", (unsigned)b->blk_size, VBLK_BLOCK_MAX);
		return init_fail(b, -VERR_NOTSUP, "configuration", detail);
	}
	b->blocks = b->capacity / (b->blk_size / VBLK_SECTOR);
	b->phys_size = phys_exp < 12 ? b->blk_size << phys_exp : b->blk_size;
	b->min_io = (u32)min_io * b->blk_size;
	b->opt_io = opt_io <= 0xFFFFFFFFu / b->blk_size ? opt_io * b->blk_size : 0;
	b->read_only = virtio_has(dev, VIRTIO_BLK_F_RO);
	b->flush = virtio_has(dev, VIRTIO_BLK_F_FLUSH);
	err = set_limits(b, depth);
	if (err)
		return init_fail(b, err, "limits", "size_max and seg_max leave no request of a whole block");
	b->req = port_dma_alloc((size_t)b->depth * sizeof(struct vblk_req) + 64, 64);
	if (!b->req)
		return init_fail(b, -VERR_NOMEM, "request slots", "out of DMA memory");
	for (unsigned i = 0; i < b->depth; i++)
		b->req[i].hdr_addr = port_dma_addr(&b->req[i].hdr);
	free_all(b);
	/* Completions are polled; interruptions are asked for only to wait. */
	vq_disable_cb(b->vq);
	err = dev->ops->set_status(dev, (u8)(dev->status | VIRTIO_STATUS_DRIVER_OK));
	if (err)
		return init_fail(b, err, "DRIVER_OK", NULL);
	return 0;
}

static int check(struct vblk *b, enum vblk_op op, u64 sector, const void *buf, u32 len)
{
	switch (op) {
	case VBLK_WRITE:
		if (b->read_only)
			return -VERR_ROFS;
		/* fall through */
	case VBLK_READ:
		if (!buf || !len || len % b->blk_size || len > b->max_transfer ||
		    sector % (b->blk_size / VBLK_SECTOR))
			return -VERR_INVAL;
		/* virtio 1.3, 5.2.6.1: never beyond the capacity. */
		if (sector > b->capacity || len / VBLK_SECTOR > b->capacity - sector)
			return -VERR_RANGE;
		return 0;
	case VBLK_FLUSH:
		if (!b->flush)
			return -VERR_NOTSUP;
		return buf || len ? -VERR_INVAL : 0;
	case VBLK_GET_ID:
		return buf && len == VBLK_ID_BYTES ? 0 : -VERR_INVAL;
	}
	return -VERR_INVAL;
}

int vblk_submit(struct vblk *b, enum vblk_op op, u64 sector, void *buf, u32 len, void *cookie)
{
	struct vq_buf bufs[VBLK_MAX_SEGS + 2];
	struct vblk_req *r = b->free;
	unsigned n = 1, out;
	int err;

	if (__builtin_expect(b->dead, 0))
		return -VERR_BROKEN;
	if (!r)
		return -VERR_AGAIN;
	err = check(b, op, sector, buf, len);
	if (__builtin_expect(err != 0, 0)) {
		bool unaligned = err == -VERR_INVAL && (op == VBLK_READ || op == VBLK_WRITE) &&
				 (len % b->blk_size || sector % (b->blk_size / VBLK_SECTOR));

		if (unaligned)
			fmt_snprintf(b->why, sizeof(b->why),
				     "virtio-blk: %s of %u bytes at sector %llu: not whole blocks of %u "
				     "bytes", op_name(op), (unsigned)len, (unsigned long long)sector,
				     (unsigned)b->blk_size);
		else
			fmt_snprintf(b->why, sizeof(b->why),
				     "virtio-blk: %s of %u bytes at sector %llu: %s", op_name(op),
				     (unsigned)len, (unsigned long long)sector, verr_str(err));
		return err;
	}
	/* virtio 1.3, 5.2.6: header (readable), data, status (writable) last. */
	if (len) {
		u64 addr = port_dma_addr(buf);
		u32 seg = b->size_max ? b->size_max : len;

		if (addr > ~(u64)0 - len) {
			fmt_snprintf(b->why, sizeof(b->why),
				     "virtio-blk: buffer not in DMA memory");
			return -VERR_INVAL;
		}
		for (u32 done = 0; done < len; done += seg) {
			bufs[n].addr = addr + done;
			bufs[n].len = MIN(seg, len - done);
			n++;
		}
	}
	bufs[0].addr = r->hdr_addr;
	bufs[0].len = sizeof(r->hdr);
	bufs[n].addr = r->hdr_addr + offsetof(struct vblk_req, status);
	bufs[n].len = 1;
	out = op == VBLK_WRITE ? n : 1;
	if (virtio_modern(b->dev)) {
		r->hdr.le.type = cpu_to_le32(op);
		r->hdr.le.ioprio = cpu_to_le32(0);
		r->hdr.le.sector = cpu_to_le64(sector);
	} else {
		r->hdr.be.type = cpu_to_be32(op);
		r->hdr.be.ioprio = cpu_to_be32(0);
		r->hdr.be.sector = cpu_to_be64(sector);
	}
	WRITE_ONCE(r->status, VBLK_S_UNSET);
	r->op = (u8)op;
	r->len = len;
	r->sector = sector;
	r->cookie = cookie;
	/* Room was reserved at init for depth requests of the largest size. */
	err = vq_add(b->vq, bufs, out, n + 1 - out, r);
	if (__builtin_expect(err != 0, 0)) {
		if (err == -VERR_BROKEN) {
			vblk_stop(b, vq_fault_str(b->vq->fault));
			return err;
		}
		/* Full: short requests may have gone direct, taking more
		 * descriptors than reserved. Others must complete first. */
		fmt_snprintf(b->why, sizeof(b->why), "virtio-blk: ring full");
		return err == -VERR_NOMEM ? -VERR_AGAIN : err;
	}
	b->free = r->next;
	b->in_flight++;
	return 0;
}

int vblk_kick(struct vblk *b)
{
	int err;

	if (b->dead)
		return -VERR_BROKEN;
	err = vq_kick(b->vq);
	if (err) {
		vblk_stop(b, vq_fault_str(b->vq->fault));
		return -VERR_BROKEN;
	}
	return 0;
}

/* The request's outcome from its status byte and the used length. */
static int outcome(struct vblk *b, struct vblk_req *r, u32 used)
{
	u8 status = READ_ONCE(r->status);
	/* In order, a buffer used in a batch reports no length (virtio 1.3, 2.7.9). */
	bool batched = b->vq->in_order && used == 0;

	switch (status) {
	case VBLK_S_OK:
		/* A read is good only when the device says it wrote every byte
		 * and the status (virtio 1.3, 2.7.8.1: nothing beyond len). */
		if (!batched && (used < 1 || (r->op != VBLK_WRITE && used < r->len + 1u))) {
			fmt_snprintf(b->why, sizeof(b->why),
				     "virtio-blk: %s at sector %llu: device wrote %u of %u bytes",
				     op_name(r->op), (unsigned long long)r->sector, (unsigned)used,
				     (unsigned)(r->op == VBLK_WRITE ? 1 : r->len + 1));
			return -VERR_PROTO;
		}
		return 0;
	case VBLK_S_IOERR:
		b->err_sector = r->sector;
		fmt_snprintf(b->why, sizeof(b->why), "virtio-blk: %s: IOERR at sector %llu",
			     op_name(r->op), (unsigned long long)r->sector);
		return -VERR_IO;
	case VBLK_S_UNSUPP:
		fmt_snprintf(b->why, sizeof(b->why), "virtio-blk: %s not supported by the device",
			     op_name(r->op));
		return -VERR_NOTSUP;
	case VBLK_S_UNSET:
		fmt_snprintf(b->why, sizeof(b->why),
			     "virtio-blk: %s at sector %llu: status byte not written",
			     op_name(r->op), (unsigned long long)r->sector);
		return -VERR_PROTO;
	}
	fmt_snprintf(b->why, sizeof(b->why), "virtio-blk: %s at sector %llu: unknown status %u",
		     op_name(r->op), (unsigned long long)r->sector, status);
	return -VERR_PROTO;
}

int vblk_complete(struct vblk *b, void **cookie, int *result)
{
	struct vblk_req *r;
	void *tok;
	u32 used;
	int rc;

	if (b->dead)
		return -VERR_BROKEN;
	rc = vq_get_used(b->vq, &tok, &used);
	if (__builtin_expect(rc <= 0, 1)) {
		if (rc < 0)
			vblk_stop(b, vq_fault_str(b->vq->fault));
		return rc;
	}
	r = tok;
	/* The common case inline: OK, and every byte the request expects written. */
	if (__builtin_expect(READ_ONCE(r->status) == VBLK_S_OK &&
				     used >= (r->op == VBLK_WRITE ? 1u : r->len + 1u),
			     1))
		*result = 0;
	else
		*result = outcome(b, r, used);
	*cookie = r->cookie;
	r->next = b->free;
	b->free = r;
	b->in_flight--;
	return 1;
}

int vblk_wait(struct vblk *b, u64 deadline_us)
{
	struct virtio_dev *dev = b->dev;
	int rc;

	if (b->dead)
		return -VERR_BROKEN;
	if (vq_more_used(b->vq))
		return 1;
	if (vq_broken(b->vq)) {
		vblk_stop(b, vq_fault_str(b->vq->fault));
		return -VERR_BROKEN;
	}
	/* Ask for the interruption, unless something arrived meanwhile. */
	if (!vq_enable_cb(b->vq)) {
		vq_disable_cb(b->vq);
		return 1;
	}
	rc = dev->ops->wait(dev, deadline_us);
	vq_disable_cb(b->vq);
	if (rc < 0 || dev->needs_reset) {
		/* The requests in flight will never complete: give them up. */
		char why[sizeof(dev->why)];

		memcpy(why, dev->why, sizeof(why));
		vblk_stop(b, why);
		return rc < 0 ? rc : -VERR_BROKEN;
	}
	return rc || vq_more_used(b->vq) ? 1 : 0;
}

void vblk_stop(struct vblk *b, const char *why)
{
	if (why)
		fmt_snprintf(b->why, sizeof(b->why), "virtio-blk: stopped: %s", why);
	if (!b->dead && b->dev) {
		/* The reset is what guarantees no late completion writes into a
		 * buffer the caller has taken back (virtio 1.3, 2.4). */
		virtio_abandon(b->dev);
	}
	b->dead = true;
	if (b->req)
		free_all(b);
}

/* One request, waited for within VBLK_TIMEOUT_US. */
static int sync_one(struct vblk *b, enum vblk_op op, u64 sector, void *buf, u32 len)
{
	u64 deadline;
	void *cookie;
	int result, rc;

	if (b->dead)
		return -VERR_BROKEN;
	if (b->in_flight) {
		fmt_snprintf(b->why, sizeof(b->why),
			     "virtio-blk: %u requests of the caller in flight", b->in_flight);
		return -VERR_BUSY;
	}
	rc = vblk_submit(b, op, sector, buf, len, buf);
	if (!rc)
		rc = vblk_kick(b);
	if (rc)
		return rc;
	deadline = port_now_us() + VBLK_TIMEOUT_US;
	for (;;) {
		rc = vblk_complete(b, &cookie, &result);
		if (rc > 0)
			return result;
		if (rc < 0)
			return rc;
		if (port_now_us() >= deadline) {
			char why[64];

			fmt_snprintf(why, sizeof(why), "%s at sector %llu timed out", op_name(op),
				     (unsigned long long)sector);
			vblk_stop(b, why);
			return -VERR_TIMEOUT;
		}
		rc = vblk_wait(b, deadline);
		if (rc < 0)
			return rc;
	}
}

/*
 * READ or WRITE, cut at max_transfer, with up to depth requests in flight
 * at once, so a long transfer streams rather than waits for each piece.
 * The first failure stops further submissions; the requests already in
 * flight are collected before returning, so none writes into the buffer
 * afterwards. The bound is VBLK_TIMEOUT_US without a completion.
 */
static int sync_rw(struct vblk *b, enum vblk_op op, u64 sector, u8 *buf, u32 len)
{
	u64 deadline;
	int err = 0, rc;

	if (!len) {
		fmt_snprintf(b->why, sizeof(b->why), "virtio-blk: %s of 0 bytes", op_name(op));
		return -VERR_INVAL;
	}
	if (b->dead)
		return -VERR_BROKEN;
	if (b->in_flight) {
		fmt_snprintf(b->why, sizeof(b->why),
			     "virtio-blk: %u requests of the caller in flight", b->in_flight);
		return -VERR_BUSY;
	}
	deadline = port_now_us() + VBLK_TIMEOUT_US;
	for (;;) {
		void *cookie;
		int result;

		while (!err && len && b->in_flight < b->depth) {
			u32 n = MIN(len, b->max_transfer);

			err = vblk_submit(b, op, sector, buf, n, buf);
			if (err)
				break;
			sector += n / VBLK_SECTOR;
			buf += n;
			len -= n;
		}
		rc = vblk_kick(b);
		if (rc)
			return rc;
		while ((rc = vblk_complete(b, &cookie, &result)) > 0) {
			if (result && !err)
				err = result;
			deadline = port_now_us() + VBLK_TIMEOUT_US;
		}
		if (rc < 0)
			return rc;
		if (!b->in_flight) {
			if (err || !len)
				return err;
			continue;
		}
		if (port_now_us() >= deadline) {
			char why[80];

			fmt_snprintf(why, sizeof(why), "%s before sector %llu timed out (%u in flight)",
				     op_name(op), (unsigned long long)sector, b->in_flight);
			vblk_stop(b, why);
			return -VERR_TIMEOUT;
		}
		rc = vblk_wait(b, deadline);
		if (rc < 0)
			return rc;
	}
}

int vblk_read(struct vblk *b, u64 sector, void *buf, u32 len)
{
	return sync_rw(b, VBLK_READ, sector, buf, len);
}

int vblk_write(struct vblk *b, u64 sector, const void *buf, u32 len)
{
	/* The device only reads it. */
	return sync_rw(b, VBLK_WRITE, sector, (u8 *)(uintptr_t)buf, len);
}

int vblk_flush(struct vblk *b)
{
	return sync_one(b, VBLK_FLUSH, 0, NULL, 0);
}

int vblk_get_id(struct vblk *b, char id[VBLK_ID_BYTES + 1])
{
	u8 *p;
	int err;

	id[0] = '\0';
	if (b->dead)
		return -VERR_BROKEN;
	p = id_buf(b);
	memset(p, 0, VBLK_ID_BYTES);
	err = sync_one(b, VBLK_GET_ID, 0, p, VBLK_ID_BYTES);
	if (err)
		return err;
	/* NUL-padded, unterminated when all 20 bytes are used (virtio 1.3, 5.2.6). */
	for (unsigned i = 0; i < VBLK_ID_BYTES; i++)
		id[i] = (char)p[i];
	id[VBLK_ID_BYTES] = '\0';
	return 0;
}
