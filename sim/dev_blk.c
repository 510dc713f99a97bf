/*
 * The simulated virtio-blk device (virtio 1.3, 5.2) with QEMU 7.2's
 * identity: feature bits, a 256-entry queue, seg_max 254, the 60-byte
 * configuration (reference/platforms.md 12.3-12.5).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/vdev_priv.h"

#define SECTOR 512u

/* QEMU 7.2's device-specific feature bits (its word 0 less 28 and 29). */
#define BLK_FEATURES 0x00006E54ull /* SEG_MAX GEOMETRY BLK_SIZE FLUSH TOPOLOGY CONFIG_WCE DISCARD WRITE_ZEROES */
#define BLK_F_RO 5

/* Request types and status (virtio 1.3, 5.2.6). */
#define BLK_T_IN 0
#define BLK_T_OUT 1
#define BLK_T_FLUSH 4
#define BLK_T_GET_ID 8
#define BLK_S_OK 0
#define BLK_S_IOERR 1
#define BLK_S_UNSUPP 2
#define BLK_ID_BYTES 20u

struct blk {
	struct sim_virtio_model model;
	bool le;            /* the rings are little-endian (VERSION_1) */
	int fd;             /* -1: memory */
	u8 *mem;
	u64 sectors;
	bool ro;
	char serial[BLK_ID_BYTES];
	u16 queue_max[1];
};

static void blk_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	struct blk *b = ctx;
	u8 c[60];
	u64 cyl = b->sectors / (16 * 63);

	memset(c, 0, sizeof(c));
	sim_vdev_put(c + 0, 8, b->sectors, le);            /* capacity */
	sim_vdev_put(c + 12, 4, 254, le);                  /* seg_max */
	sim_vdev_put(c + 16, 2, cyl > 65535 ? 65535 : (cyl ? cyl : 1), le); /* geometry */
	c[18] = 16;
	c[19] = 63;
	sim_vdev_put(c + 20, 4, SECTOR, le);               /* blk_size */
	c[32] = 1;                                /* writeback */
	sim_vdev_put(c + 34, 2, 1, le);                    /* num_queues */
	memcpy(buf, c, MIN(len, (unsigned)sizeof(c)));
}

static u32 blk_request(void *ctx, struct vq_chain *c)
{
	struct blk *b = ctx;
	u8 hdr[16], status = BLK_S_OK;
	u32 type, written = 0;
	u64 sector, data;

	/* Header readable, data, status byte last (virtio 1.3, 5.2.6). */
	if (sim_vdev_copy(c, false, 0, hdr, sizeof(hdr)) != sizeof(hdr) || c->in_len < 1)
		return 0;
	/* In the rings' byte order: little-endian with VERSION_1, else the
	 * guest's (big-endian). */
	type = 0;
	sector = 0;
	for (unsigned i = 0; i < 4; i++)
		type = type << 8 | hdr[b->le ? 3 - i : i];
	for (unsigned i = 0; i < 8; i++)
		sector = sector << 8 | hdr[b->le ? 15 - i : 8 + i];
	switch (type) {
	case BLK_T_IN:
	case BLK_T_OUT:
		data = type == BLK_T_IN ? c->in_len - 1 : c->out_len - sizeof(hdr);
		if (data % SECTOR || sector > b->sectors || data / SECTOR > b->sectors - sector ||
		    (type == BLK_T_OUT && b->ro)) {
			status = BLK_S_IOERR;
			break;
		}
		for (u64 done = 0; done < data;) {
			u8 buf[4096];
			u32 n = (u32)MIN(data - done, (u64)sizeof(buf));
			u64 pos = sector * SECTOR + done;

			if (type == BLK_T_IN) {
				if (b->fd >= 0) {
					if (pread(b->fd, buf, n, (off_t)pos) != (ssize_t)n)
						status = BLK_S_IOERR;
				} else {
					memcpy(buf, b->mem + pos, n);
				}
				sim_vdev_copy(c, true, done, buf, n);
			} else {
				sim_vdev_copy(c, false, sizeof(hdr) + done, buf, n);
				if (b->fd >= 0) {
					if (pwrite(b->fd, buf, n, (off_t)pos) != (ssize_t)n)
						status = BLK_S_IOERR;
				} else {
					memcpy(b->mem + pos, buf, n);
				}
			}
			done += n;
		}
		if (type == BLK_T_IN)
			written = (u32)data;
		break;
	case BLK_T_FLUSH:
		if (b->fd >= 0 && fsync(b->fd) != 0)
			status = BLK_S_IOERR;
		break;
	case BLK_T_GET_ID:
		if (c->in_len - 1 < BLK_ID_BYTES) {
			status = BLK_S_IOERR;
			break;
		}
		sim_vdev_copy(c, true, 0, b->serial, BLK_ID_BYTES);
		written = BLK_ID_BYTES;
		break;
	default:
		status = BLK_S_UNSUPP;
		break;
	}
	sim_vdev_copy(c, true, c->in_len - 1, &status, 1);
	return written + 1;
}

static void blk_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct blk *b = ctx;

	b->le = sim_vdev_modern(d);
	sim_vdev_serve(d, q, blk_request, ctx);
}

static void blk_destroy(void *ctx)
{
	struct blk *b = ctx;

	if (b->fd >= 0)
		close(b->fd);
	free(b->mem);
	free(b);
}

long sim_vdev_blk(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_blk_opts *opts,
		  char *why)
{
	struct blk *b = calloc(1, sizeof(*b));
	long schid;

	if (!b) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "out of memory");
		return -1;
	}
	b->fd = -1;
	b->ro = opts->read_only;
	b->queue_max[0] = 256;
	/* GET_ID: 20 bytes, NUL-padded, not terminated when full (virtio 1.3, 5.2.6). */
	if (opts->serial)
		memcpy(b->serial, opts->serial, strnlen(opts->serial, BLK_ID_BYTES));
	if (opts->path) {
		struct stat st;

		b->fd = open(opts->path, b->ro ? O_RDONLY : O_RDWR);
		if (b->fd < 0 || fstat(b->fd, &st) != 0) {
			if (why)
				snprintf(why, SIM_WHY_LEN, "cannot open %s: %s", opts->path, strerror(errno));
			blk_destroy(b);
			return -1;
		}
		b->sectors = (u64)st.st_size / SECTOR;
	} else {
		b->mem = calloc(1, opts->size ? opts->size : SECTOR);
		if (!b->mem) {
			blk_destroy(b);
			return -1;
		}
		b->sectors = opts->size / SECTOR;
	}
	b->model = (struct sim_virtio_model){
		.device_id = 2,
		.features = BLK_FEATURES | (b->ro ? (u64)1 << BLK_F_RO : 0),
		.nqueues = 1,
		.queue_max = b->queue_max,
		.config_len = 60,
		.read_config = blk_config,
		.queue_notify = blk_notify,
		.destroy = blk_destroy,
	};
	schid = sim_vdev_attach(sim, dev, transport, &b->model, b, NULL);
	if (schid < 0)
		blk_destroy(b);
	return schid;
}


struct sim_blk *sim_blk_find(struct sim *sim, u32 schid)
{
	(void)sim;
	(void)schid;
	return NULL;
}

void sim_blk_fail(struct sim_blk *b, u64 sector, u64 count)
{
	(void)b;
	(void)sector;
	(void)count;
}

void sim_blk_hold(struct sim_blk *b, bool hold)
{
	(void)b;
	(void)hold;
}

void sim_blk_get_stats(const struct sim_blk *b, struct sim_blk_stats *out)
{
	(void)b;
	memset(out, 0, sizeof(*out));
}
