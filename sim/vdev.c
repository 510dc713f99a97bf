/*
 * Simulated virtio devices (blk, rng, net, console) with QEMU 7.2's
 * identity. virtio 1.3 section 5; reference/platforms.md 12.3-12.5 for the
 * values QEMU gives.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdio.h>

#include "sim/vdev.h"

#define SECTOR 512u
#define MAX_SEGS 256u

/* QEMU 7.2's device-specific feature bits (its words less 28, 29, 32, 40). */
#define BLK_FEATURES 0x00006E54ull /* SEG_MAX GEOMETRY BLK_SIZE FLUSH TOPOLOGY CONFIG_WCE DISCARD WRITE_ZEROES */
#define NET_FEATURES 0x00BF8024ull /* CTRL_GUEST_OFFLOADS MAC MRG_RXBUF STATUS CTRL_VQ CTRL_RX CTRL_VLAN ... */
#define CONSOLE_FEATURES 0x00000006ull /* MULTIPORT EMERG_WRITE */
#define BLK_F_RO 5

/* virtio-blk request types and status (virtio 1.3, 5.2.6). */
#define BLK_T_IN 0
#define BLK_T_OUT 1
#define BLK_T_FLUSH 4
#define BLK_T_GET_ID 8
#define BLK_S_OK 0
#define BLK_S_IOERR 1
#define BLK_S_UNSUPP 2
#define BLK_ID_BYTES 20u

void sim_vdev_default_transport(struct sim_vccw_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_revision = 2;
	cfg->transitional = true;
	cfg->version_1 = true;
	cfg->event_idx = true;
	cfg->indirect_desc = true;
	cfg->adapter = true;
	cfg->legacy_bits = true;
}

/* Attach a model on the given transport, or on QEMU's defaults. */
static long attach(struct sim *sim, const struct sim_dev_config *dev,
		   const struct sim_vccw_config *transport, const struct sim_virtio_model *model,
		   void *ctx, struct sim_vccw **out)
{
	struct sim_vccw_config cfg;

	if (transport)
		cfg = *transport;
	else
		sim_vdev_default_transport(&cfg);
	return sim_vccw_attach(sim, dev, &cfg, model, ctx, out);
}

/* Store v in n bytes at p, little- or big-endian. */
static void put(u8 *p, unsigned n, u64 v, bool le)
{
	for (unsigned i = 0; i < n; i++)
		p[le ? i : n - 1 - i] = (u8)(v >> (8 * i));
}

/* Copy out of (readable) or into (writable) a chain's buffers, from byte off. */
static u32 chain_copy(const struct vq_chain *c, bool write, u64 off, void *buf, u32 len)
{
	u32 done = 0;

	for (unsigned i = 0; i < c->nseg && done < len; i++) {
		const struct vq_seg *s = &c->seg[i];
		u32 n;

		if (s->write != write)
			continue;
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		n = (u32)MIN((u64)s->len - off, (u64)(len - done));
		if (write)
			memcpy((u8 *)s->ptr + off, (u8 *)buf + done, n);
		else
			memcpy((u8 *)buf + done, (const u8 *)s->ptr + off, n);
		done += n;
		off = 0;
	}
	return done;
}

/* Serve every available chain of queue q with fn; a rule broken by the
 * driver means DEVICE_NEEDS_RESET. */
static void serve(struct sim_vccw *d, unsigned q, u32 (*fn)(void *ctx, struct vq_chain *c),
		  void *ctx)
{
	struct vqd *vqd = sim_vccw_vqd(d, q);
	struct vq_seg *seg;
	struct vq_chain c;
	int rc;

	if (!vqd)
		return;
	seg = malloc(MAX_SEGS * sizeof(*seg));
	if (!seg)
		return;
	c.seg = seg;
	c.cap = MAX_SEGS;
	while ((rc = vqd_pop(vqd, &c)) == 1)
		vqd_push(vqd, &c, fn(ctx, &c));
	free(seg);
	if (rc < 0)
		sim_vccw_needs_reset(d);
	sim_vccw_queue_done(d, q);
}

/* --- virtio-blk ------------------------------------------------------------- */

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
	put(c + 0, 8, b->sectors, le);            /* capacity */
	put(c + 12, 4, 254, le);                  /* seg_max */
	put(c + 16, 2, cyl > 65535 ? 65535 : (cyl ? cyl : 1), le); /* geometry */
	c[18] = 16;
	c[19] = 63;
	put(c + 20, 4, SECTOR, le);               /* blk_size */
	c[32] = 1;                                /* writeback */
	put(c + 34, 2, 1, le);                    /* num_queues */
	memcpy(buf, c, MIN(len, (unsigned)sizeof(c)));
}

static u32 blk_request(void *ctx, struct vq_chain *c)
{
	struct blk *b = ctx;
	u8 hdr[16], status = BLK_S_OK;
	u32 type, written = 0;
	u64 sector, data;

	/* Header readable, data, status byte last (virtio 1.3, 5.2.6). */
	if (chain_copy(c, false, 0, hdr, sizeof(hdr)) != sizeof(hdr) || c->in_len < 1)
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
				chain_copy(c, true, done, buf, n);
			} else {
				chain_copy(c, false, sizeof(hdr) + done, buf, n);
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
		chain_copy(c, true, 0, b->serial, BLK_ID_BYTES);
		written = BLK_ID_BYTES;
		break;
	default:
		status = BLK_S_UNSUPP;
		break;
	}
	chain_copy(c, true, c->in_len - 1, &status, 1);
	return written + 1;
}

/* Whether the driver accepted VERSION_1: the rings' byte order. */
static bool rings_le(const struct sim_vccw *d)
{
	struct sim_vccw_state st;

	sim_vccw_get_state(d, &st);
	return (st.driver_features >> 32) & 1;
}

static void blk_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct blk *b = ctx;

	b->le = rings_le(d);
	serve(d, q, blk_request, ctx);
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

	if (!b)
		return -1;
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
				snprintf(why, 80, "cannot open %s: %s", opts->path, strerror(errno));
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
	schid = attach(sim, dev, transport, &b->model, b, NULL);
	if (schid < 0)
		blk_destroy(b);
	return schid;
}

/* --- virtio-rng ------------------------------------------------------------- */

struct rng {
	struct sim_virtio_model model;
	bool seeded;
	u64 state;
	u16 queue_max[1];
};

static void rng_bytes(struct rng *r, u8 *p, size_t n)
{
	if (!r->seeded) {
		while (n) {
			ssize_t got = getrandom(p, n, 0);

			if (got <= 0)
				break;
			p += got;
			n -= (size_t)got;
		}
		if (!n)
			return;
	}
	/* xorshift64*: reproducible for a given seed. */
	while (n--) {
		r->state ^= r->state >> 12;
		r->state ^= r->state << 25;
		r->state ^= r->state >> 27;
		*p++ = (u8)((r->state * 0x2545F4914F6CDD1Dull) >> 56);
	}
}

static u32 rng_request(void *ctx, struct vq_chain *c)
{
	u8 buf[4096];
	u32 done = 0;
	u64 want = MIN(c->in_len, (u64)65536);

	/* virtio 1.3, 5.4: fill device-writable buffers only. */
	while (done < want) {
		u32 n = (u32)MIN(want - done, (u64)sizeof(buf));

		rng_bytes(ctx, buf, n);
		chain_copy(c, true, done, buf, n);
		done += n;
	}
	return done;
}

static void rng_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	serve(d, q, rng_request, ctx);
}

static void rng_destroy(void *ctx)
{
	free(ctx);
}

long sim_vdev_rng(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_rng_opts *opts)
{
	struct rng *r = calloc(1, sizeof(*r));
	long schid;

	if (!r)
		return -1;
	r->seeded = opts && opts->seeded;
	r->state = opts && opts->seed ? opts->seed : 0x9E3779B97F4A7C15ull;
	r->queue_max[0] = 8;
	r->model = (struct sim_virtio_model){
		.device_id = 4,
		.nqueues = 1,
		.queue_max = r->queue_max,
		.queue_notify = rng_notify,
		.destroy = rng_destroy,
	};
	schid = attach(sim, dev, transport, &r->model, r, NULL);
	if (schid < 0)
		free(r);
	return schid;
}

/* --- virtio-net and virtio-console: identity and a transmit path that takes
 * what it is given (the full models come with the device drivers). -------- */

static const u16 net_queues[3] = { 256, 256, 64 };

static void net_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	static const u8 mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	u8 c[10];

	(void)ctx;
	memset(c, 0, sizeof(c));
	memcpy(c, mac, 6);
	put(c + 6, 2, 1, le); /* status: link up */
	put(c + 8, 2, 1, le); /* max_virtqueue_pairs */
	memcpy(buf, c, MIN(len, (unsigned)sizeof(c)));
}

static u32 take(void *ctx, struct vq_chain *c)
{
	(void)ctx;
	(void)c;
	return 0;
}

/* Transmit queues (odd numbers) are consumed; receive queues wait. */
static void tx_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	if (q & 1)
		serve(d, q, take, ctx);
}

long sim_vdev_net(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport)
{
	static const struct sim_virtio_model model = {
		.device_id = 1,
		.features = NET_FEATURES,
		.nqueues = 3,
		.queue_max = net_queues,
		.config_len = 10,
		.read_config = net_config,
		.queue_notify = tx_notify,
	};

	return attach(sim, dev, transport, &model, NULL, NULL);
}

/* virtio-serial with 31 ports, as QEMU's default: two queues for port 0,
 * two control queues, two per further port. */
static const u16 console_queues[64] = { 128, 128, 32, 32, [4 ... 63] = 128 };

static void console_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	u8 c[12];

	(void)ctx;
	memset(c, 0, sizeof(c));
	put(c + 4, 4, 31, le); /* max_nr_ports */
	memcpy(buf, c, MIN(len, (unsigned)sizeof(c)));
}

long sim_vdev_console(struct sim *sim, const struct sim_dev_config *dev,
		      const struct sim_vccw_config *transport)
{
	static const struct sim_virtio_model model = {
		.device_id = 3,
		.features = CONSOLE_FEATURES,
		.nqueues = 64,
		.queue_max = console_queues,
		.config_len = 12,
		.read_config = console_config,
		.queue_notify = tx_notify,
	};

	return attach(sim, dev, transport, &model, NULL, NULL);
}
