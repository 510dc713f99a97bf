/*
 * The simulated virtio-blk device (virtio 1.3, 5.2) with QEMU 7.2's
 * identity: feature bits, 256-entry queues, seg_max 254, the 60-byte
 * configuration (reference/platforms.md 12.3-12.5), and its block
 * properties: logical and physical block size, I/O sizes, geometry, queue
 * count and size, discard and write-zeroes. A disk in memory, or a raw
 * image file of any size behind a write-back cache; fault injection and a
 * hold for the tests.
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
 * SEG_MAX GEOMETRY BLK_SIZE TOPOLOGY, and FLUSH CONFIG_WCE DISCARD
 * WRITE_ZEROES unless turned off (virtio 1.3, 5.2.3). */
#define BLK_FEATURES	     0x00000454ull
#define BLK_F_SIZE_MAX	     1
#define BLK_F_RO	     5
#define BLK_F_FLUSH	     9
#define BLK_F_CONFIG_WCE     11
#define BLK_F_MQ	     12
#define BLK_F_DISCARD	     13
#define BLK_F_WRITE_ZEROES   14
#define BLK_QUEUE	     256u
#define BLK_QUEUE_MAX	     1024u
#define BLK_QUEUES_MAX	     1024u
#define BLK_CONFIG_LEN	     60u /* the whole layout (virtio 1.3, 5.2.4) */
/* QEMU 7.2's length of it (measured): up to num_queues, then up to the
 * last field of the discard and write-zeroes features it offers. */
#define BLK_CONFIG_BASE	     36u
#define BLK_CONFIG_DISCARD   48u
#define BLK_CONFIG_WZEROES   57u
#define BLK_CONFIG_WRITEBACK 32u /* u8 writeback (virtio 1.3, 5.2.4) */
#define BLK_BLOCK_MAX	     (2u << 20)
#define BLK_IO_SIZE_MAX	     65535u /* min_io_size is a u16 of logical blocks */
#define BLK_DISCARD_MAX	     4194303u /* QEMU's max-discard-sectors and max-write-zeroes-sectors */
#define BLK_SEG_MAX_FIXED    126u /* seg-max-adjust=off */
/* QEMU's geometry guess for a disk without a partition table: 16 heads,
 * 63 sectors, cylinders from the size within 2 to 16383. */
#define BLK_GUESS_HEADS	     16u
#define BLK_GUESS_SECS	     63u
#define BLK_GUESS_CYLS_MIN   2u
#define BLK_GUESS_CYLS_MAX   16383u
/* The write-back cache remembers written data in chunks of this many
 * sectors (64 KiB): a bitmap small enough for a disk of terabytes. */
#define BLK_CHUNK	     128u

/* Request types, status and header (virtio 1.3, 5.2.6). */
#define BLK_T_IN	0
#define BLK_T_OUT	1
#define BLK_T_FLUSH	4
#define BLK_T_FLUSH_OUT 5 /* legacy spelling of FLUSH */
#define BLK_T_GET_ID	8
#define BLK_T_DISCARD	11
#define BLK_T_WRITE_ZEROES 13
#define BLK_WZ_F_UNMAP	1u /* write-zeroes flags: may unmap (virtio 1.3, 5.2.6) */
#define BLK_DWZ_LEN	16u /* le64 sector, le32 num_sectors, le32 flags */
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
	u8 *mem;	/* the disk: calloc'd, or the file's private mapping (NULL: pread) */
	size_t map_len; /* bytes mapped (file), 0 for memory */
	int fd;		/* -1: memory */
	u64 sectors;
	bool ro;
	bool writeback; /* config byte 32: 0 is write-through */
	bool writeback_reset; /* ... as the device starts */
	u64 *dirty;	/* mapped file: a bit per BLK_CHUNK sectors written and not yet in the file */
	u64 ndirty;
	u32 seg_max, size_max;
	u32 lbs;        /* logical block size */
	u64 sector_mask;/* lbs / 512 - 1: a request's first sector must clear it */
	u32 secs;	/* geometry */
	u16 cyls;
	u8 heads, phys_exp;
	u16 min_io;	/* in logical blocks */
	u32 opt_io;
	u32 discard_align, max_discard, max_wzeroes; /* in sectors */
	bool discard_unmap;
	u16 nqueues;
	char serial[BLK_ID_BYTES];
	u64 fail_first, fail_count;
	bool hold;
	struct held **held;
	unsigned nheld, held_cap;
	struct sim_blk_stats stats;
	u16 *queue_max;
	struct vq_chain batch[BLK_QUEUE];
	struct vq_seg pool[BLK_POOL_SEGS];
};

static void blk_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	struct sim_blk *b = ctx;
	u8 c[BLK_CONFIG_LEN];

	/* virtio 1.3, 5.2.4: the fields up to write_zeroes_may_unmap. */
	memset(c, 0, sizeof(c));
	sim_vdev_put(c + 0, 8, b->sectors, le);
	sim_vdev_put(c + 8, 4, b->size_max, le);
	sim_vdev_put(c + 12, 4, b->seg_max, le);
	sim_vdev_put(c + 16, 2, b->cyls, le);
	c[18] = b->heads;
	c[19] = (u8)b->secs;
	sim_vdev_put(c + 20, 4, b->lbs, le);
	c[24] = b->phys_exp;	/* physical_block_exp; alignment_offset 0 */
	sim_vdev_put(c + 26, 2, b->min_io, le);
	sim_vdev_put(c + 28, 4, b->opt_io, le);
	c[BLK_CONFIG_WRITEBACK] = b->writeback;
	sim_vdev_put(c + 34, 2, b->nqueues, le);
	if (b->model.features & VIRTIO_BIT(BLK_F_DISCARD)) {
		sim_vdev_put(c + 36, 4, b->max_discard, le);
		sim_vdev_put(c + 40, 4, 1, le); /* one segment a request, as QEMU */
		sim_vdev_put(c + 44, 4, b->discard_align, le);
	}
	if (b->model.features & VIRTIO_BIT(BLK_F_WRITE_ZEROES)) {
		sim_vdev_put(c + 48, 4, b->max_wzeroes, le);
		sim_vdev_put(c + 52, 4, 1, le);
		c[56] = 1; /* write_zeroes_may_unmap */
	}
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

/* --- The disk and the write-back cache of a file ------------------------- */

static void mark_dirty(struct sim_blk *b, u64 first, u64 count)
{
	for (u64 k = first / BLK_CHUNK; k <= (first + count - 1) / BLK_CHUNK; k++) {
		u64 bit = (u64)1 << (k % 64);

		if (!(b->dirty[k / 64] & bit)) {
			b->dirty[k / 64] |= bit;
			b->ndirty++;
		}
	}
}

static bool pwrite_all(int fd, const u8 *p, size_t left, u64 pos)
{
	while (left) {
		ssize_t n = pwrite(fd, p, left, (off_t)pos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		pos += (u64)n;
		left -= (size_t)n;
	}
	return true;
}

/* Chunks [first, end) of the mapping into the file, the last cut at the disk's end. */
static bool write_out(struct sim_blk *b, u64 first, u64 end)
{
	u64 s = first * BLK_CHUNK, e = MIN(end * BLK_CHUNK, b->sectors);

	return pwrite_all(b->fd, b->mem + s * SECTOR, (size_t)((e - s) * SECTOR), s * SECTOR);
}

/* Every dirty run to the file, then fsync: what FLUSH promises (virtio 1.3, 5.2.6.2). */
static bool flush_dirty(struct sim_blk *b)
{
	u64 chunks = (b->sectors + BLK_CHUNK - 1) / BLK_CHUNK;

	if (b->fd < 0 || b->ro)
		return true;
	for (u64 k = 0; b->ndirty && k < chunks;) {
		u64 e;

		if (!b->dirty[k / 64]) {
			k = (k / 64 + 1) * 64;
			continue;
		}
		if (!((b->dirty[k / 64] >> (k % 64)) & 1)) {
			k++;
			continue;
		}
		for (e = k; e < chunks && ((b->dirty[e / 64] >> (e % 64)) & 1); e++)
			b->dirty[e / 64] &= ~((u64)1 << (e % 64));
		if (!write_out(b, k, e))
			return false;
		b->ndirty -= e - k;
		k = e;
	}
	return fsync(b->fd) == 0;
}

/*
 * Move n bytes between p and the disk at byte pos: the memory or the
 * mapping, or the file itself when it could not be mapped (then a write
 * goes straight to the file).
 */
static bool disk_io(struct sim_blk *b, bool read, u8 *p, u64 pos, u32 n)
{
	if (b->mem) {
		if (read)
			memcpy(p, b->mem + pos, n);
		else
			memcpy(b->mem + pos, p, n);
		return true;
	}
	if (!read)
		return pwrite_all(b->fd, p, n, pos);
	while (n) {
		ssize_t got = pread(b->fd, p, n, (off_t)pos);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return false;
		if (got == 0) {
			/* Past the end of a file QEMU rounded up: zeros. */
			memset(p, 0, n);
			return true;
		}
		p += got;
		pos += (u64)got;
		n -= (u32)got;
	}
	return true;
}

/* --- Requests ------------------------------------------------------------ */

/*
 * The data segments of a READ (writable, before the status byte) or a
 * WRITE (readable, after the header). With check, test them against
 * seg_max and size_max (virtio 1.3, 5.2.6.1); else copy between them and
 * the disk from byte pos. Returns false when a check or the file fails.
 */
static bool data_segs(struct sim_blk *b, const struct vq_chain *c, bool in, bool check, u64 pos)
{
	u64 skip = in ? 0 : BLK_HDR;
	u64 left = in ? c->in_len - 1 : c->out_len - BLK_HDR;
	unsigned count = 0;

	for (unsigned i = 0; i < c->nseg && left; i++) {
		const struct vq_seg *s = &c->seg[i];
		u32 n;

		if (s->write != in)
			continue;
		if (skip >= s->len) {
			skip -= s->len;
			continue;
		}
		n = (u32)MIN((u64)s->len - skip, left);
		if (check) {
			if (++count > b->seg_max || (b->size_max && n > b->size_max))
				return false;
		} else if (!disk_io(b, in, (u8 *)s->ptr + skip, pos, n)) {
			return false;
		}
		pos += n;
		left -= n;
		skip = 0;
	}
	return true;
}

/* Move the data of a READ (in) or WRITE. The usual chain, header, one
 * data buffer and status, goes straight through. */
static bool move_data(struct sim_blk *b, const struct vq_chain *c, bool in, u64 pos, u64 data)
{
	const struct vq_seg *s = &c->seg[1];

	if (c->nseg == 3 && c->seg[0].len == BLK_HDR && s->write == in && s->len == data) {
		if (b->size_max && s->len > b->size_max)
			return false;
		return disk_io(b, in, s->ptr, pos, (u32)data);
	}
	return data_segs(b, c, in, true, 0) && data_segs(b, c, in, false, pos);
}

/*
 * QEMU's range check (virtio_blk_sect_range_ok): whole logical blocks, the
 * first aligned to one, within the capacity. A 512-byte read of a disk
 * with 4096-byte blocks ends with IOERR.
 */
static bool range_ok(const struct sim_blk *b, u64 sector, u64 bytes)
{
	u64 count = bytes / SECTOR;

	return !(sector & b->sector_mask) && bytes % b->lbs == 0 && sector <= b->sectors &&
	       count <= b->sectors - sector;
}

static bool failing(const struct sim_blk *b, u64 sector, u64 count)
{
	return b->fail_count && sector < b->fail_first + b->fail_count &&
	       b->fail_first < sector + MAX(count, (u64)1);
}

/* Data just written: into the cache, or through to the file. */
static bool written(struct sim_blk *b, u64 sector, u64 count)
{
	if (b->fd < 0 || !count || !b->mem)
		return true;
	mark_dirty(b, sector, count);
	return b->writeback || flush_dirty(b);
}

static u8 blk_rw(struct sim_blk *b, const struct vq_chain *c, bool in, u64 sector, u32 *written_len)
{
	u64 data = in ? c->in_len - 1 : c->out_len - BLK_HDR;
	u64 count = data / SECTOR;

	/* Nothing but the header readable for a read, nothing but the
	 * status writable for a write. */
	if ((in ? c->out_len != BLK_HDR : c->in_len != 1) || !range_ok(b, sector, data))
		return BLK_S_IOERR;
	if (failing(b, sector, count))
		return BLK_S_IOERR;
	if (!in && b->ro)
		return BLK_S_IOERR;
	if (count && !move_data(b, c, in, sector * SECTOR, data))
		return BLK_S_IOERR;
	if (in) {
		*written_len = (u32)data;
		b->stats.reads++;
		b->stats.bytes_read += data;
		return BLK_S_OK;
	}
	if (!written(b, sector, count))
		return BLK_S_IOERR;
	b->stats.writes++;
	b->stats.bytes_written += data;
	return BLK_S_OK;
}

/* Zeros over [sector, sector + count): WRITE_ZEROES, or DISCARD with unmap. */
static bool zero_range(struct sim_blk *b, u64 sector, u64 count)
{
	static const u8 zeros[64 * SECTOR];

	for (u64 done = 0; done < count;) {
		u32 n = (u32)MIN(count - done, (u64)(sizeof(zeros) / SECTOR));

		if (!disk_io(b, false, (u8 *)zeros, (sector + done) * SECTOR, n * SECTOR))
			return false;
		done += n;
	}
	return written(b, sector, count);
}

/* DISCARD and WRITE_ZEROES (virtio 1.3, 5.2.6): one segment a request, as
 * QEMU allows; flags, limits and range as QEMU checks them. */
static u8 blk_dwz(struct sim_blk *b, const struct vq_chain *c, bool zeroes, bool le)
{
	u8 seg[BLK_DWZ_LEN];
	u64 sector;
	u32 count, flags;

	if (c->in_len != 1 || c->out_len < BLK_HDR + BLK_DWZ_LEN)
		return BLK_S_IOERR;
	if (c->out_len > BLK_HDR + BLK_DWZ_LEN)
		return BLK_S_UNSUPP;
	sim_vdev_copy(c, false, BLK_HDR, seg, BLK_DWZ_LEN);
	sector = sim_vdev_get(seg, 8, le);
	count = (u32)sim_vdev_get(seg + 8, 4, le);
	flags = (u32)sim_vdev_get(seg + 12, 4, le);
	if (flags & ~(zeroes ? BLK_WZ_F_UNMAP : 0u))
		return BLK_S_UNSUPP;
	if (count > (zeroes ? b->max_wzeroes : b->max_discard) ||
	    !range_ok(b, sector, (u64)count * SECTOR) || b->ro || failing(b, sector, count))
		return BLK_S_IOERR;
	if (!zeroes && !b->discard_unmap)
		return BLK_S_OK;
	return zero_range(b, sector, count) ? BLK_S_OK : BLK_S_IOERR;
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
		/* Served with or without the feature, as QEMU does. */
		status = c->out_len == BLK_HDR && c->in_len == 1 && flush_dirty(b) ? BLK_S_OK
										   : BLK_S_IOERR;
		if (status == BLK_S_OK)
			b->stats.flushes++;
		break;
	case BLK_T_DISCARD:
	case BLK_T_WRITE_ZEROES:
		status = BLK_S_UNSUPP;
		if (b->model.features & VIRTIO_BIT(type == BLK_T_DISCARD ? BLK_F_DISCARD
									    : BLK_F_WRITE_ZEROES))
			status = blk_dwz(b, c, type == BLK_T_WRITE_ZEROES, b->le);
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
	b->writeback = b->writeback_reset;
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
	free(b->queue_max);
	free(b);
}

/* Give up attaching: why says what failed and errno why. */
static long blk_fail(struct sim_blk *b, char *why, const char *what, const char *path)
{
	if (why)
		snprintf(why, SIM_WHY_LEN, "%s %s: %s", what, path, strerror(errno));
	blk_destroy(b);
	return SIM_ERR;
}

u64 sim_blk_file_sectors(u64 file_bytes)
{
	return file_bytes / SECTOR + (file_bytes % SECTOR != 0);
}

/*
 * The image file, mapped privately: writes stay in the mapping (the cache)
 * until a flush puts them into the file. The mapping reserves no memory,
 * so a sparse file of terabytes maps; where mapping fails all the same,
 * the file is read and written directly.
 */
static long blk_open(struct sim_blk *b, const char *path, char *why)
{
	struct stat st;

	b->fd = open(path, b->ro ? O_RDONLY : O_RDWR);
	if (b->fd < 0 || fstat(b->fd, &st) != 0)
		return blk_fail(b, why, "cannot open", path);
	if (!S_ISREG(st.st_mode)) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "%s: not a regular file (only raw image files "
				 "are simulated)", path);
		blk_destroy(b);
		return SIM_ERR;
	}
	b->sectors = sim_blk_file_sectors((u64)st.st_size);
	if (b->sectors && b->sectors * SECTOR <= SIZE_MAX) {
		/* Up to the last sector, inside the file's last page. */
		void *p = mmap(NULL, (size_t)(b->sectors * SECTOR),
			       b->ro ? PROT_READ : PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE,
			       b->fd, 0);

		if (p != MAP_FAILED) {
			b->mem = p;
			b->map_len = (size_t)(b->sectors * SECTOR);
		}
	}
	if (b->mem) {
		u64 chunks = (b->sectors + BLK_CHUNK - 1) / BLK_CHUNK;

		b->dirty = calloc(chunks / 64 + 1, sizeof(u64));
		if (!b->dirty)
			return blk_fail(b, why, "no memory for the cache of", path);
	}
	return 0;
}

static bool pow2_between(u32 v, u32 lo, u32 hi)
{
	return v >= lo && v <= hi && !(v & (v - 1));
}

int sim_blk_check_opts(const struct sim_blk_opts *o, char *why)
{
	u32 lbs = o->logical_block_size ? o->logical_block_size : SECTOR;
	u32 pbs = o->physical_block_size ? o->physical_block_size : SECTOR;
	const char *bad = NULL;
	char tmp[SIM_WHY_LEN];

	/* QEMU 7.2's messages, so a user sees the same reason on both. */
	if (!pow2_between(lbs, SECTOR, BLK_BLOCK_MAX) || !pow2_between(pbs, SECTOR, BLK_BLOCK_MAX)) {
		snprintf(tmp, sizeof(tmp), "%s_block_size must be a power of two from 512 to 2097152",
			 pow2_between(lbs, SECTOR, BLK_BLOCK_MAX) ? "physical" : "logical");
		bad = tmp;
	} else if (lbs > pbs) {
		bad = "logical_block_size > physical_block_size not supported";
	} else if (o->min_io_size % lbs) {
		bad = "min_io_size must be a multiple of logical_block_size";
	} else if (o->min_io_size / lbs > BLK_IO_SIZE_MAX) {
		bad = "min_io_size must not exceed 65535 logical blocks";
	} else if (o->opt_io_size % lbs) {
		bad = "opt_io_size must be a multiple of logical_block_size";
	} else if (o->discard_granularity % lbs) {
		bad = "discard_granularity must be a multiple of logical_block_size";
	} else if (o->queue_size && o->queue_size <= 2) {
		snprintf(tmp, sizeof(tmp), "invalid queue-size property (%u), must be > 2",
			 (unsigned)o->queue_size);
		bad = tmp;
	} else if (o->queue_size && !pow2_between(o->queue_size, 4, BLK_QUEUE_MAX)) {
		snprintf(tmp, sizeof(tmp),
			 "invalid queue-size property (%u), must be a power of 2 (max 1024)",
			 (unsigned)o->queue_size);
		bad = tmp;
	} else if (o->num_queues > BLK_QUEUES_MAX) {
		bad = "num-queues above 1024 (QEMU 7.2 aborts on it)";
	} else if ((o->cyls || o->heads || o->secs) && (!o->cyls || o->cyls > 65535)) {
		bad = "cyls must be between 1 and 65535";
	} else if ((o->cyls || o->heads || o->secs) && (!o->heads || o->heads > 255)) {
		bad = "heads must be between 1 and 255";
	} else if ((o->cyls || o->heads || o->secs) && (!o->secs || o->secs > 255)) {
		bad = "secs must be between 1 and 255";
	}
	if (!bad)
		return 0;
	if (why)
		snprintf(why, SIM_WHY_LEN, "%s", bad);
	return SIM_ERR;
}

/*
 * QEMU's geometry guess (hw/block/hd-geometry.c, as it behaves): a DOS
 * partition table (0x55AA at 510) whose entries end on a head count of 16
 * or fewer gives heads and sectors; otherwise 16 heads, 63 sectors and the
 * cylinders the size makes, within 2 to 16383.
 */
static void blk_geometry(struct sim_blk *b)
{
	u8 mbr[SECTOR];

	if (b->sectors && disk_io(b, true, mbr, 0, SECTOR) && mbr[510] == 0x55 &&
	    mbr[511] == 0xAA) {
		for (unsigned i = 0; i < 4; i++) {
			const u8 *p = mbr + 446 + 16 * i;
			u32 nr = (u32)p[12] | (u32)p[13] << 8 | (u32)p[14] << 16 | (u32)p[15] << 24;
			unsigned heads = p[5] + 1u, secs = p[6] & 63u;
			u64 cyls;

			if (!nr || !p[5] || !secs)
				continue;
			cyls = b->sectors / (heads * secs);
			if (cyls < 1 || cyls > BLK_GUESS_CYLS_MAX)
				continue;
			if (heads > 16)
				break; /* an LBA translation: the size's guess */
			b->cyls = (u16)cyls;
			b->heads = (u8)heads;
			b->secs = secs;
			return;
		}
	}
	b->heads = BLK_GUESS_HEADS;
	b->secs = BLK_GUESS_SECS;
	b->cyls = (u16)MIN(MAX(b->sectors / (BLK_GUESS_HEADS * BLK_GUESS_SECS),
			       (u64)BLK_GUESS_CYLS_MIN),
			   (u64)BLK_GUESS_CYLS_MAX);
}

static unsigned log2u(u32 v)
{
	unsigned n = 0;

	while (v > 1) {
		v >>= 1;
		n++;
	}
	return n;
}

long sim_vdev_blk(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_blk_opts *opts,
		  char *why)
{
	struct sim_blk *b;
	u32 pbs, qsize, dg;
	u64 features = BLK_FEATURES;
	long schid;

	if (sim_blk_check_opts(opts, why))
		return SIM_ERR;
	b = calloc(1, sizeof(*b));
	if (!b) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "out of memory");
		return SIM_ERR;
	}
	b->sim = sim;
	b->fd = -1;
	b->ro = opts->read_only;
	b->lbs = opts->logical_block_size ? opts->logical_block_size : SECTOR;
	b->sector_mask = b->lbs / SECTOR - 1;
	pbs = opts->physical_block_size ? opts->physical_block_size : SECTOR;
	b->phys_exp = (u8)log2u(pbs / b->lbs);
	b->min_io = (u16)(opts->min_io_size / b->lbs);
	b->opt_io = opts->opt_io_size / b->lbs;
	dg = opts->discard_granularity ? opts->discard_granularity : b->lbs;
	b->discard_align = dg / SECTOR;
	b->max_discard = opts->max_discard_sectors ? opts->max_discard_sectors : BLK_DISCARD_MAX;
	b->max_wzeroes = opts->max_write_zeroes_sectors ? opts->max_write_zeroes_sectors
							: BLK_DISCARD_MAX;
	b->discard_unmap = opts->discard_unmap;
	/* QEMU turns the write cache on whenever config-wce is on. */
	b->writeback_reset = !(opts->no_config_wce && opts->write_through);
	b->writeback = b->writeback_reset;
	qsize = opts->queue_size ? opts->queue_size : BLK_QUEUE;
	b->seg_max = opts->seg_max ? opts->seg_max
				   : opts->no_seg_max_adjust ? BLK_SEG_MAX_FIXED : qsize - 2;
	b->size_max = opts->size_max;
	b->nqueues = opts->num_queues ? opts->num_queues : 1;
	b->queue_max = calloc(b->nqueues, sizeof(*b->queue_max));
	if (!b->queue_max)
		return blk_fail(b, why, "no memory for the queues of", "the device");
	for (unsigned q = 0; q < b->nqueues; q++)
		b->queue_max[q] = (u16)qsize;
	/* GET_ID: 20 bytes, NUL-padded, not terminated when full (virtio 1.3, 5.2.6). */
	if (opts->serial)
		memcpy(b->serial, opts->serial, strnlen(opts->serial, BLK_ID_BYTES));
	if (opts->path) {
		if (blk_open(b, opts->path, why))
			return SIM_ERR;
	} else {
		b->mem = calloc(1, opts->size ? opts->size : SECTOR);
		if (!b->mem)
			return blk_fail(b, why, "no memory for the disk of", "the device");
		b->sectors = opts->size / SECTOR;
	}
	if (opts->cyls) {
		b->cyls = (u16)opts->cyls;
		b->heads = (u8)opts->heads;
		b->secs = opts->secs;
	} else {
		blk_geometry(b);
		/* QEMU keeps the sectors a whole number of logical blocks when
		 * a track of the size's geometry is not. */
		if (b->sectors * SECTOR / b->heads / b->secs % b->lbs)
			b->secs &= ~(u32)b->sector_mask;
	}
	if (!opts->no_discard)
		features |= VIRTIO_BIT(BLK_F_DISCARD);
	if (!opts->no_write_zeroes)
		features |= VIRTIO_BIT(BLK_F_WRITE_ZEROES);
	if (!opts->no_config_wce)
		features |= VIRTIO_BIT(BLK_F_CONFIG_WCE) | VIRTIO_BIT(BLK_F_FLUSH);
	else if (b->writeback)
		features |= VIRTIO_BIT(BLK_F_FLUSH);
	if (b->nqueues > 1)
		features |= VIRTIO_BIT(BLK_F_MQ);
	if (b->ro)
		features |= VIRTIO_BIT(BLK_F_RO);
	if (b->size_max)
		features |= VIRTIO_BIT(BLK_F_SIZE_MAX);
	b->model = (struct sim_virtio_model){
		.device_id = VIRTIO_ID_BLOCK,
		.features = features,
		.nqueues = b->nqueues,
		.queue_max = b->queue_max,
		.config_len = (features & VIRTIO_BIT(BLK_F_WRITE_ZEROES))   ? BLK_CONFIG_WZEROES
			      : (features & VIRTIO_BIT(BLK_F_DISCARD)) ? BLK_CONFIG_DISCARD
								       : BLK_CONFIG_BASE,
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
		return SIM_ERR;
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
