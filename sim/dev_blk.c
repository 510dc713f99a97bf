/*
 * The simulated virtio-blk device (virtio 1.3, 5.2) with QEMU 7.2's
 * identity: feature bits, a 256-entry queue, seg_max 254, the 60-byte
 * configuration (reference/platforms.md 12.3-12.5). A disk in memory, or a
 * raw image file behind a write-back cache; fault injection and a hold for
 * the tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ring/virtio.h"  /* VIRTIO_ID_BLOCK, VIRTIO_BIT */
#include "sim/internal.h" /* sim_find(): whether the device is still there */
#include "sim/vdev_priv.h"

#define SECTOR 512u

/* QEMU 7.2's device-specific feature bits (its word 0 less 28 and 29):
 * SEG_MAX GEOMETRY BLK_SIZE FLUSH TOPOLOGY CONFIG_WCE DISCARD WRITE_ZEROES. */
#define BLK_FEATURES	     0x00006E54ull
#define BLK_F_SIZE_MAX	     1
#define BLK_F_RO	     5
#define BLK_SEG_MAX_DEFAULT  254u
#define BLK_QUEUE	     256u
#define BLK_CONFIG_LEN	     60u
#define BLK_CONFIG_WRITEBACK 32u /* u8 writeback (virtio 1.3, 5.2.4) */

/* Request types, status and header (virtio 1.3, 5.2.6). */
#define BLK_T_IN	0
#define BLK_T_OUT	1
#define BLK_T_FLUSH	4
#define BLK_T_FLUSH_OUT 5 /* legacy spelling of FLUSH */
#define BLK_T_GET_ID	8
#define BLK_T_BARRIER	0x80000000u /* legacy flag, no meaning left */
#define BLK_S_OK	0
#define BLK_S_IOERR	1
#define BLK_S_UNSUPP	2
#define BLK_HDR		16u
#define BLK_ID_BYTES	20u

/*
 * Chains taken in one batch before any is served: a notification takes
 * everything available, so max_in_flight shows how many requests the
 * driver had on the ring at once. The segment pool holds a batch of short
 * chains; a batch ends early when one more chain of SIM_VDEV_MAX_SEGS
 * might not fit.
 */
#define BLK_POOL_SEGS (16u * BLK_QUEUE + SIM_VDEV_MAX_SEGS)

/* A chain taken while the device was held, with its own segments. */
struct held {
	struct vq_chain c;
	struct vq_seg seg[];
};

struct sim_blk {
	struct sim_virtio_model model;
	struct sim *sim;
	struct sim_vccw *vccw;
	u32 schid;
	bool le;	/* the rings are little-endian (VERSION_1) */
	bool le_known;	/* le is valid until the next reset */
	u8 *mem;	/* the disk: calloc'd, or the file's private mapping */
	size_t map_len; /* bytes mapped (file), 0 for memory */
	int fd;		/* -1: memory */
	u64 sectors;
	bool ro;
	bool writeback; /* config byte 32: 0 is write-through */
	u64 *dirty;	/* file: a bit per sector written and not yet in the file */
	u64 ndirty;
	u32 seg_max, size_max;
	char serial[BLK_ID_BYTES];
	u64 fail_first, fail_count;
	bool hold;
	struct held **held;
	unsigned nheld, held_cap;
	struct sim_blk_stats stats;
	u16 queue_max[1];
	struct vq_chain batch[BLK_QUEUE];
	struct vq_seg pool[BLK_POOL_SEGS];
};

static void blk_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	struct sim_blk *b = ctx;
	u8 c[BLK_CONFIG_LEN];
	u64 cyl = b->sectors / (16 * 63);

	memset(c, 0, sizeof(c));
	sim_vdev_put(c + 0, 8, b->sectors, le);				    /* capacity */
	sim_vdev_put(c + 8, 4, b->size_max, le);			    /* size_max */
	sim_vdev_put(c + 12, 4, b->seg_max, le);			    /* seg_max */
	sim_vdev_put(c + 16, 2, cyl > 65535 ? 65535 : (cyl ? cyl : 1), le); /* geometry */
	c[18] = 16;
	c[19] = 63;
	sim_vdev_put(c + 20, 4, SECTOR, le); /* blk_size */
	c[BLK_CONFIG_WRITEBACK] = b->writeback;
	sim_vdev_put(c + 34, 2, 1, le); /* num_queues */
	memcpy(buf, c, MIN(len, (unsigned)sizeof(c)));
}

/* Only writeback is writable (virtio 1.3, 5.2.4: CONFIG_WCE). */
static void blk_write_config(void *ctx, const u8 *buf, unsigned len, bool le)
{
	struct sim_blk *b = ctx;

	(void)le;
	if (len > BLK_CONFIG_WRITEBACK)
		b->writeback = buf[BLK_CONFIG_WRITEBACK] != 0;
}

/* --- The write-back cache of a file disk --------------------------------- */

static void mark_dirty(struct sim_blk *b, u64 first, u64 count)
{
	for (u64 s = first; s < first + count; s++) {
		u64 bit = (u64)1 << (s % 64);

		if (!(b->dirty[s / 64] & bit)) {
			b->dirty[s / 64] |= bit;
			b->ndirty++;
		}
	}
}

static bool dirty(const struct sim_blk *b, u64 s)
{
	return (b->dirty[s / 64] >> (s % 64)) & 1;
}

static bool write_out(struct sim_blk *b, u64 first, u64 count)
{
	const u8 *p = b->mem + first * SECTOR;
	size_t left = (size_t)(count * SECTOR);
	off_t pos = (off_t)(first * SECTOR);

	while (left) {
		ssize_t n = pwrite(b->fd, p, left, pos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		pos += n;
		left -= (size_t)n;
	}
	return true;
}

/* Every dirty run to the file, then fsync: what FLUSH promises (virtio 1.3, 5.2.6.2). */
static bool flush_dirty(struct sim_blk *b)
{
	if (b->fd < 0 || b->ro)
		return true;
	for (u64 s = 0; b->ndirty && s < b->sectors;) {
		u64 e;

		if (!b->dirty[s / 64]) {
			s = (s / 64 + 1) * 64;
			continue;
		}
		if (!dirty(b, s)) {
			s++;
			continue;
		}
		for (e = s; e < b->sectors && dirty(b, e); e++)
			;
		if (!write_out(b, s, e - s))
			return false;
		for (u64 i = s; i < e; i++)
			b->dirty[i / 64] &= ~((u64)1 << (i % 64));
		b->ndirty -= e - s;
		s = e;
	}
	return fsync(b->fd) == 0;
}

/* --- Requests ------------------------------------------------------------ */

/*
 * The data segments of a READ (writable, before the status byte) or a
 * WRITE (readable, after the header). With disk NULL, check them against
 * seg_max and size_max (virtio 1.3, 5.2.6.1); else copy between them and
 * the disk, directly. Returns false when a check fails.
 */
static bool data_segs(const struct sim_blk *b, const struct vq_chain *c, bool in, u8 *disk)
{
	u64 skip = in ? 0 : BLK_HDR;
	u64 left = in ? c->in_len - 1 : c->out_len - BLK_HDR;
	unsigned count = 0;

	for (unsigned i = 0; i < c->nseg && left; i++) {
		const struct vq_seg *s = &c->seg[i];
		u8 *p;
		u32 n;

		if (s->write != in)
			continue;
		if (skip >= s->len) {
			skip -= s->len;
			continue;
		}
		p = (u8 *)s->ptr + skip;
		n = (u32)MIN((u64)s->len - skip, left);
		if (!disk) {
			if (++count > b->seg_max || (b->size_max && n > b->size_max))
				return false;
		} else if (in) {
			memcpy(p, disk, n);
			disk += n;
		} else {
			memcpy(disk, p, n);
			disk += n;
		}
		left -= n;
		skip = 0;
	}
	return true;
}

/* Move the data of a READ (in) or WRITE. The usual chain, header, one
 * data buffer and status, goes straight through. */
static bool move_data(const struct sim_blk *b, const struct vq_chain *c, bool in, u8 *disk,
		      u64 data)
{
	const struct vq_seg *s = &c->seg[1];

	if (c->nseg == 3 && c->seg[0].len == BLK_HDR && s->write == in && s->len == data) {
		if (b->size_max && s->len > b->size_max)
			return false;
		if (in)
			memcpy(s->ptr, disk, data);
		else
			memcpy(disk, s->ptr, data);
		return true;
	}
	if (!data_segs(b, c, in, NULL))
		return false;
	data_segs(b, c, in, disk);
	return true;
}

static u8 blk_rw(struct sim_blk *b, const struct vq_chain *c, bool in, u64 sector, u32 *written)
{
	u64 data = in ? c->in_len - 1 : c->out_len - BLK_HDR;
	u64 count = data / SECTOR;

	/* Nothing but the header readable for a read, nothing but the
	 * status writable for a write; whole sectors within the capacity. */
	if ((in ? c->out_len != BLK_HDR : c->in_len != 1) || data % SECTOR || sector > b->sectors ||
	    count > b->sectors - sector)
		return BLK_S_IOERR;
	if (b->fail_count && sector < b->fail_first + b->fail_count &&
	    b->fail_first < sector + MAX(count, (u64)1))
		return BLK_S_IOERR;
	if (!in && b->ro)
		return BLK_S_IOERR;
	if (count && !move_data(b, c, in, b->mem + sector * SECTOR, data))
		return BLK_S_IOERR;
	if (in) {
		*written = (u32)data;
		b->stats.reads++;
		b->stats.bytes_read += data;
		return BLK_S_OK;
	}
	if (b->fd >= 0 && count) {
		mark_dirty(b, sector, count);
		if (!b->writeback && !flush_dirty(b))
			return BLK_S_IOERR;
	}
	b->stats.writes++;
	b->stats.bytes_written += data;
	return BLK_S_OK;
}

static inline u32 ld32(const u8 *p, bool le)
{
	u32 v;

	memcpy(&v, p, 4);
	return le ? le32_to_cpu((le32){ v }) : be32_to_cpu((be32){ v });
}

static inline u64 ld64(const u8 *p, bool le)
{
	u64 v;

	memcpy(&v, p, 8);
	return le ? le64_to_cpu((le64){ v }) : be64_to_cpu((be64){ v });
}

/* Serve one chain; returns the bytes written, status byte included. */
static u32 blk_serve(struct sim_blk *b, struct vq_chain *c)
{
	const struct vq_seg *last = c->nseg ? &c->seg[c->nseg - 1] : NULL;
	u8 hdr[BLK_HDR], status;
	u32 type, written = 0;
	u64 sector;

	/* A header to read and a status byte, writable and last, to answer
	 * in; without them there is no way to say anything. */
	if (!last || !last->write || !last->len || c->out_len < BLK_HDR) {
		b->stats.errors++;
		return 0;
	}
	/* Read once: the driver may be changing it. */
	if (!c->seg[0].write && c->seg[0].len >= BLK_HDR)
		memcpy(hdr, c->seg[0].ptr, BLK_HDR);
	else
		sim_vdev_copy(c, false, 0, hdr, BLK_HDR);
	/* In the rings' byte order: little-endian with VERSION_1, else the
	 * guest's (big-endian). */
	type = ld32(hdr, b->le);
	sector = ld64(hdr + 8, b->le);
	if (!b->le) {
		type &= ~BLK_T_BARRIER;
		if (type == BLK_T_FLUSH_OUT)
			type = BLK_T_FLUSH;
	}
	switch (type) {
	case BLK_T_IN:
	case BLK_T_OUT:
		status = blk_rw(b, c, type == BLK_T_IN, sector, &written);
		break;
	case BLK_T_FLUSH:
		status = c->out_len == BLK_HDR && c->in_len == 1 && flush_dirty(b) ? BLK_S_OK
										   : BLK_S_IOERR;
		if (status == BLK_S_OK)
			b->stats.flushes++;
		break;
	case BLK_T_GET_ID:
		/* 20 bytes, NUL-padded (virtio 1.3, 5.2.6). */
		status = BLK_S_IOERR;
		if (c->out_len == BLK_HDR && c->in_len - 1 >= BLK_ID_BYTES) {
			sim_vdev_copy(c, true, 0, b->serial, BLK_ID_BYTES);
			written = BLK_ID_BYTES;
			status = BLK_S_OK;
			b->stats.get_ids++;
		}
		break;
	default:
		status = BLK_S_UNSUPP;
		break;
	}
	if (status != BLK_S_OK)
		b->stats.errors++;
	((u8 *)last->ptr)[last->len - 1] = status;
	return written + 1;
}

static void blk_free_held(struct sim_blk *b)
{
	for (unsigned i = 0; i < b->nheld; i++)
		free(b->held[i]);
	b->nheld = 0;
}

static bool blk_keep(struct sim_blk *b, const struct vq_chain *c)
{
	struct held *h;

	if (b->nheld == b->held_cap) {
		unsigned cap = b->held_cap ? 2 * b->held_cap : 16;
		struct held **n = realloc(b->held, cap * sizeof(*n));

		if (!n)
			return false;
		b->held = n;
		b->held_cap = cap;
	}
	h = malloc(sizeof(*h) + c->nseg * sizeof(h->seg[0]));
	if (!h)
		return false;
	h->c = *c;
	memcpy(h->seg, c->seg, c->nseg * sizeof(h->seg[0]));
	h->c.seg = h->seg;
	h->c.cap = c->nseg;
	b->held[b->nheld++] = h;
	if (b->nheld > b->stats.max_in_flight)
		b->stats.max_in_flight = b->nheld;
	return true;
}

static void blk_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct sim_blk *b = ctx;
	struct vqd *vqd = sim_vccw_vqd(d, q);
	int rc = 1;

	if (!vqd)
		return;
	if (!b->le_known) {
		b->le = sim_vdev_modern(d);
		b->le_known = true;
	}
	for (;;) {
		unsigned n = 0, used = 0;

		/* Take a batch, then serve it: requests are in flight together. */
		while (n < BLK_QUEUE && BLK_POOL_SEGS - used >= SIM_VDEV_MAX_SEGS) {
			struct vq_chain *c = &b->batch[n];

			c->seg = b->pool + used;
			c->cap = SIM_VDEV_MAX_SEGS;
			rc = vqd_pop(vqd, c);
			if (rc != 1)
				break;
			if (b->hold) {
				/* Taken, neither answered nor completed. */
				if (!blk_keep(b, c))
					vqd_push(vqd, c, 0);
				continue;
			}
			used += c->nseg;
			n++;
		}
		if (n > b->stats.max_in_flight)
			b->stats.max_in_flight = n;
		for (unsigned i = 0; i < n; i++)
			vqd_push(vqd, &b->batch[i], blk_serve(b, &b->batch[i]));
		if (rc < 0)
			break;
		/* Drained: ask for the next notification (with EVENT_IDX the
		 * driver notifies only past the index given here), then look
		 * once more for what came meanwhile. */
		if (rc == 0 && vqd_enable_notify(vqd))
			break;
	}
	/* A chain that broke the ring's rules (virtio 1.3, 2.1.2). */
	if (rc < 0)
		sim_vccw_needs_reset(d);
	sim_vccw_queue_done(d, q);
}

static void blk_reset(void *ctx)
{
	struct sim_blk *b = ctx;

	/* What was held is dropped with the queue; the disk keeps what was
	 * written (a reset is not a power cut). */
	blk_free_held(b);
	b->le_known = false;
}

static void blk_destroy(void *ctx)
{
	struct sim_blk *b = ctx;

	blk_free_held(b);
	free(b->held);
	if (b->fd >= 0) {
		if (!b->ro && !flush_dirty(b))
			fprintf(stderr, "sim: virtio-blk: written data lost: %s\n",
				strerror(errno));
		if (b->map_len)
			munmap(b->mem, b->map_len);
		close(b->fd);
	} else {
		free(b->mem);
	}
	free(b->dirty);
	free(b);
}

/* Give up attaching: why says what failed and errno why. */
static long blk_fail(struct sim_blk *b, char *why, const char *what, const char *path)
{
	if (why)
		snprintf(why, SIM_WHY_LEN, "%s %s: %s", what, path, strerror(errno));
	blk_destroy(b);
	return -1;
}

/* The image file, mapped privately: writes stay in the mapping (the cache)
 * until a flush puts them into the file. */
static long blk_open(struct sim_blk *b, const char *path, char *why)
{
	struct stat st;

	b->fd = open(path, b->ro ? O_RDONLY : O_RDWR);
	if (b->fd < 0 || fstat(b->fd, &st) != 0)
		return blk_fail(b, why, "cannot open", path);
	b->sectors = (u64)st.st_size / SECTOR;
	if (st.st_size > 0) {
		void *p = mmap(NULL, (size_t)st.st_size, b->ro ? PROT_READ : PROT_READ | PROT_WRITE,
			       MAP_PRIVATE, b->fd, 0);

		if (p == MAP_FAILED)
			return blk_fail(b, why, "cannot map", path);
		b->mem = p;
		b->map_len = (size_t)st.st_size;
	}
	b->dirty = calloc(b->sectors / 64 + 1, sizeof(u64));
	if (!b->dirty)
		return blk_fail(b, why, "no memory for the cache of", path);
	return 0;
}

long sim_vdev_blk(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_blk_opts *opts,
		  char *why)
{
	struct sim_blk *b = calloc(1, sizeof(*b));
	long schid;

	if (!b) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "out of memory");
		return -1;
	}
	b->sim = sim;
	b->fd = -1;
	b->ro = opts->read_only;
	b->writeback = true;
	b->seg_max = opts->seg_max ? opts->seg_max : BLK_SEG_MAX_DEFAULT;
	b->size_max = opts->size_max;
	b->queue_max[0] = BLK_QUEUE;
	/* GET_ID: 20 bytes, NUL-padded, not terminated when full (virtio 1.3, 5.2.6). */
	if (opts->serial)
		memcpy(b->serial, opts->serial, strnlen(opts->serial, BLK_ID_BYTES));
	if (opts->path) {
		if (blk_open(b, opts->path, why))
			return -1;
	} else {
		b->mem = calloc(1, opts->size ? opts->size : SECTOR);
		if (!b->mem)
			return blk_fail(b, why, "no memory for the disk of", "the device");
		b->sectors = opts->size / SECTOR;
	}
	b->model = (struct sim_virtio_model){
		.device_id = VIRTIO_ID_BLOCK,
		.features = BLK_FEATURES | (b->ro ? VIRTIO_BIT(BLK_F_RO) : 0) |
			    (b->size_max ? VIRTIO_BIT(BLK_F_SIZE_MAX) : 0),
		.nqueues = 1,
		.queue_max = b->queue_max,
		.config_len = BLK_CONFIG_LEN,
		.read_config = blk_config,
		.write_config = blk_write_config,
		.queue_notify = blk_notify,
		.reset = blk_reset,
		.destroy = blk_destroy,
	};
	schid = sim_vdev_attach(sim, dev, transport, &b->model, b, &b->vccw);
	if (schid < 0) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "cannot attach the device");
		blk_destroy(b);
		return -1;
	}
	b->schid = (u32)schid;
	return schid;
}

struct sim_blk *sim_blk_find(struct sim *sim, u32 schid)
{
	struct sim_vccw *d = sim_vccw_find(sim, schid);

	/* Ours: the device runs a model whose queue handler is this file's. */
	if (!d || sim_vccw_model(d)->queue_notify != blk_notify)
		return NULL;
	return sim_vccw_ctx(d);
}

void sim_blk_fail(struct sim_blk *b, u64 sector, u64 count)
{
	b->fail_first = sector;
	b->fail_count = count;
}

void sim_blk_hold(struct sim_blk *b, bool hold)
{
	struct sim_sch *sch;
	struct vqd *vqd;

	b->hold = hold;
	if (hold || !b->nheld)
		return;
	/* Released: what was held completes in order, unless the device went
	 * away meanwhile (a reset has already dropped it). */
	sch = sim_find(b->sim, b->schid);
	vqd = sim_vccw_vqd(b->vccw, 0);
	if (sch && sch->present && vqd) {
		for (unsigned i = 0; i < b->nheld; i++)
			vqd_push(vqd, &b->held[i]->c, blk_serve(b, &b->held[i]->c));
		sim_vccw_queue_done(b->vccw, 0);
	}
	blk_free_held(b);
}

void sim_blk_get_stats(const struct sim_blk *b, struct sim_blk_stats *out)
{
	*out = b->stats;
}
