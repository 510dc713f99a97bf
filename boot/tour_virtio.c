/*
 * The tour's virtio part: each virtio-ccw device is brought up by its
 * driver (devices/), its negotiation is printed, and the device is proved
 * end to end with TEST lines: virtio-blk reads (and, on a scratch disk,
 * writes and verifies), virtio-net asks for an address by DHCP and for the
 * router it names by ARP, virtio-console writes (and reads) port 0, virtio-rng fills
 * buffers.
 */
#include "boot/netboot.h"  /* nb_dhcp, nb_arp, nb_link_io: the tftp= read */
#include "boot/tour_priv.h"

#include "ccw/port.h"     /* port_printf, port_now_us, port_dma_alloc */
#include "ccw/vccw.h"     /* the virtio-ccw transport */
#include "devices/inet.h" /* ARP and DHCP frames */
#include "devices/vblk.h"
#include "devices/vcon.h"
#include "devices/vnet.h"
#include "devices/vrng.h"
#include "devices/vscsi.h"
#include "ring/fmt.h"     /* fmt_snprintf */

/* A disk whose block 0 starts with this may be written (its scratch region). */
#define TOUR_SCRATCH_MARK "CCW-SCRATCH"
#define TOUR_SCRATCH_SECTORS 64u
/* The sequential read whose throughput the tour prints. */
#define TOUR_SEQ_BYTES (16u << 20)
#define TOUR_SEQ_CHUNK (128u << 10)
#define TOUR_SEQ_DEPTH 8u
/* Network questions: tries, and how long each waits for its answer. */
#define TOUR_NET_TRIES 3u
#define TOUR_NET_WAIT_US 1000000u
/* The DHCP transaction id: fixed, so runs compare line for line. */
#define TOUR_DHCP_XID 0x43435721u
/* How long "console-read" waits for a line. */
#define TOUR_CONSOLE_READ_US 10000000u
#define TOUR_CONSOLE_LINE "hello from virtio-console"
/*
 * How long one virtio-rng read may wait for its bytes: longer than a
 * period of QEMU's rate limit at its default (max-bytes= alone: 65.536 s),
 * since a rate-limited device answers only when its next period begins.
 */
#define TOUR_RNG_WAIT_S 70u

/* One virtio device of the tour: its bus id for the names of its lines. */
struct tour_vdev {
	struct tour *t;
	const struct tour_dev *d;
	struct vccw *v;
	struct virtio_dev *dev;
	char busid[16];
};

/* "<what>.<busid>" into name. */
static const char *tv_name(const struct tour_vdev *tv, char *name, size_t size, const char *what)
{
	fmt_snprintf(name, size, "virtio.%s.%s", what, tv->busid);
	return name;
}

static void tv_test(const struct tour_vdev *tv, const char *what, enum tour_status st,
		    const char *fmt, ...) __printf(4, 5);
static void tv_test(const struct tour_vdev *tv, const char *what, enum tour_status st,
		    const char *fmt, ...)
{
	char name[48], detail[160];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	tour_test(tv->t, tv_name(tv, name, sizeof(name), what), st, "%s", detail);
}

/* Queue sizes as runs: "256", or "128 x2, 32 x2, 128 x60". */
static void tour_queue_sizes(struct vccw *v, char *buf, size_t size)
{
	size_t pos = 0;
	int prev = -1, run = 0, max;

	buf[0] = '\0';
	for (unsigned i = 0;; i++) {
		max = i < VCCW_MAX_VQS ? vccw_queue_max(v, i) : 0;
		if (max < 0)
			max = 0;
		if (max == prev) {
			run++;
			continue;
		}
		if (prev > 0)
			pos += (size_t)fmt_snprintf(buf + MIN(pos, size - 1), size - MIN(pos, size - 1),
						    run > 1 ? "%s%d x%d" : "%s%d", pos ? ", " : "", prev, run);
		if (max == 0)
			break;
		prev = max;
		run = 1;
	}
	if (!pos)
		fmt_snprintf(buf, size, "none");
}

/*
 * With the "config" option: every feature bit the device offers, and its
 * configuration space, its length measured, in hex, 16 bytes a line, read
 * after the features are settled (the space's byte order follows
 * VERSION_1).
 */
static void tv_config(const struct tour_vdev *tv)
{
	const char *name = tv->d->ident.name;
	char text[320];
	u8 cfg[VCCW_CONFIG_MAX];
	int len;

	port_printf("%s %s: offered %s\n", tv->busid, name,
		    virtio_features_str(tv->dev->device_id, tv->dev->offered, text, sizeof(text)));
	len = (int)vccw_config_size(tv->v);
	if (len && vccw_config_dump(tv->v, cfg, (unsigned)len)) {
		port_printf("%s %s: configuration not read: %s\n", tv->busid, name, tv->dev->why);
		return;
	}
	port_printf("%s %s: configuration %d bytes\n", tv->busid, name, len);
	for (int off = 0; off < len; off += 16) {
		size_t pos = 0;

		for (int i = off; i < len && i < off + 16; i++)
			pos += (size_t)fmt_snprintf(text + pos, sizeof(text) - pos, " %02x", cfg[i]);
		port_printf("%s %s: config %02x:%s\n", tv->busid, name, off, text);
	}
}

/* What the transport and the driver agreed on, then the setup TEST line. */
static void tv_negotiated(const struct tour_vdev *tv)
{
	char text[200];
	const char *name = tv->d->ident.name;

	port_printf("%s %s: revision %d\n", tv->busid, name, tv->v->revision);
	port_printf("%s %s: features %s\n", tv->busid, name,
		    virtio_features_str(tv->dev->device_id, tv->dev->features, text, sizeof(text)));
	tour_queue_sizes(tv->v, text, sizeof(text));
	port_printf("%s %s: queues %s\n", tv->busid, name, text);
	port_printf("%s %s: indicators %s\n", tv->busid, name, vccw_irq_name(tv->v->irq));
	if (tv->t->show_config)
		tv_config(tv);
	tv_test(tv, "setup", TOUR_PASS, "revision %d, %s indicators", tv->v->revision,
		vccw_irq_name(tv->v->irq));
}

/* --- virtio-blk ----------------------------------------------------------- */

/*
 * The scratch region: from block 1, 64 sectors' worth of whole blocks (one
 * block when a block is larger). Sector s of the disk holds 64 copies of
 * the big-endian (seed << 32) | s, whatever the block size, so the pattern
 * can be checked from outside by sector.
 */
static u32 scratch_blocks(const struct vblk *b)
{
	return MAX(TOUR_SCRATCH_SECTORS * VBLK_SECTOR / b->blk_size, 1u);
}

static void scratch_fill(u8 *buf, u64 first_sector, u32 sectors, u32 seed)
{
	for (u32 i = 0; i < sectors; i++) {
		be64 v = cpu_to_be64(((u64)seed << 32) | (u32)(first_sector + i));
		u8 *p = buf + (size_t)i * VBLK_SECTOR;

		for (unsigned k = 0; k < VBLK_SECTOR / 8; k++)
			memcpy(p + 8 * k, &v, 8);
	}
}

/* Write the scratch region of a scratch disk, flush, read back and compare. */
static void tour_blk_scratch(const struct tour_vdev *tv, struct vblk *b)
{
	const u32 nblocks = scratch_blocks(b), len = nblocks * b->blk_size;
	const u32 spb = b->blk_size / VBLK_SECTOR;
	const u64 first = spb; /* block 1 */
	u8 *buf, *want;
	unsigned bad = 0;
	int err;

	if (b->read_only) {
		tv_test(tv, "blk-write-verify", TOUR_SKIP, "scratch marker, but the disk is read-only");
		return;
	}
	if (b->blocks < 1 + (u64)nblocks) {
		tv_test(tv, "blk-write-verify", TOUR_SKIP,
			"disk of %llu blocks of %u bytes is too small (%u needed)",
			(unsigned long long)b->blocks, (unsigned)b->blk_size, 1 + nblocks);
		return;
	}
	buf = port_dma_alloc(len, 8);
	want = port_dma_alloc(len, 8);
	if (!buf || !want) {
		tv_test(tv, "blk-write-verify", TOUR_FAIL, "no memory");
		return;
	}
	scratch_fill(want, first, nblocks * spb, tv->t->seed);
	memcpy(buf, want, len);
	err = vblk_write(b, first, buf, len);
	if (!err && b->flush)
		err = vblk_flush(b);
	if (!err) {
		memset(buf, 0, len);
		err = vblk_read(b, first, buf, len);
	}
	if (err) {
		tv_test(tv, "blk-write-verify", TOUR_FAIL, "%s", b->why);
		return;
	}
	for (u32 k = 0; k < nblocks; k++)
		if (memcmp(buf + (size_t)k * b->blk_size, want + (size_t)k * b->blk_size, b->blk_size))
			bad++;
	tv_test(tv, "blk-write-verify", bad ? TOUR_FAIL : TOUR_PASS,
		"sectors %llu-%llu (blocks 1-%u of %u bytes), seed %u, %s; %u of %u blocks read back "
		"differ", (unsigned long long)first, (unsigned long long)(first + nblocks * spb - 1),
		nblocks, (unsigned)b->blk_size, (unsigned)tv->t->seed,
		b->flush ? "flushed" : "no FLUSH feature", bad, nblocks);
}

/* "16384 KiB", or "512 bytes" for less than a KiB or an odd size. */
static void size_str(char *buf, size_t size, u64 bytes)
{
	if (bytes >= 1024 && !(bytes % 1024))
		fmt_snprintf(buf, size, "%llu KiB", (unsigned long long)(bytes >> 10));
	else
		fmt_snprintf(buf, size, "%llu bytes", (unsigned long long)bytes);
}

/*
 * A sequential read of total bytes from offset 0 in chunks of chunk bytes
 * with up to depth requests in flight (buf holds depth chunks), through a
 * driver's submit, kick, complete and wait calls (virtio-blk, virtio-scsi),
 * each wait bounded by timeout_us since the last completion. 0 with *us
 * the time taken, or the first error (the driver stopped on a timeout).
 */
struct seq_ops {
	int (*submit)(void *drv, const void *unit, u64 off, u32 n, void *buf, void *cookie);
	int (*kick)(void *drv);
	int (*complete)(void *drv, void **cookie, int *result);
	int (*wait)(void *drv, u64 deadline_us);
	void (*stop)(void *drv, const char *why);
	u64 timeout_us;
};

static int seq_run(const struct seq_ops *o, void *drv, const void *unit, u64 total, u32 chunk,
		   unsigned depth, u8 *buf, u64 *us)
{
	u64 next = 0, done = 0, start = port_now_us();
	u64 deadline = start + o->timeout_us;
	unsigned inflight = 0, slot = 0;
	int err = 0;

	while (done < total && !err) {
		void *cookie;
		int result, rc;

		while (inflight < depth && next < total) {
			u32 n = (u32)MIN((u64)chunk, total - next);

			err = o->submit(drv, unit, next, n, buf + (size_t)slot * chunk,
					(void *)(uintptr_t)n);
			if (err)
				break;
			slot = (slot + 1) % depth;
			next += n;
			inflight++;
		}
		if (!err)
			err = o->kick(drv);
		while (!err && (rc = o->complete(drv, &cookie, &result)) != 0) {
			if (rc < 0 || result) {
				err = rc < 0 ? rc : result;
				break;
			}
			done += (uintptr_t)cookie;
			inflight--;
			deadline = port_now_us() + o->timeout_us;
		}
		if (!err && done < total && inflight) {
			rc = o->wait(drv, deadline);
			if (rc < 0)
				err = rc;
			else if (rc == 0 && port_now_us() >= deadline)
				err = -VERR_TIMEOUT;
		}
	}
	*us = port_now_us() - start;
	if (err == -VERR_TIMEOUT)
		o->stop(drv, "sequential read timed out");
	return err;
}

/* The BENCH line of a sequential read, in MiB/s with one decimal, where the
 * clock is real (integers: no floating point in the image). */
static void seq_bench(const char *name, const char *busid, const char *unit, u64 bytes, u64 us)
{
	u64 tenths;

	if (!port_clock_real())
		return;
	tenths = bytes * 10 * 1000000 / MAX(us, (u64)1) / (1u << 20);
	port_printf("BENCH image.%s.%s%s %llu.%llu MiB/s\n", name, busid, unit,
		    (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
}

static int blk_seq_submit(void *drv, const void *unit, u64 off, u32 n, void *buf, void *cookie)
{
	(void)unit;
	return vblk_submit(drv, VBLK_READ, off / VBLK_SECTOR, buf, n, cookie);
}

static int blk_seq_kick(void *drv) { return vblk_kick(drv); }
static int blk_seq_complete(void *drv, void **c, int *r) { return vblk_complete(drv, c, r); }
static int blk_seq_wait(void *drv, u64 deadline) { return vblk_wait(drv, deadline); }
static void blk_seq_stop(void *drv, const char *why) { vblk_stop(drv, why); }

static const struct seq_ops blk_seq = {
	blk_seq_submit, blk_seq_kick, blk_seq_complete, blk_seq_wait, blk_seq_stop,
	VBLK_TIMEOUT_US,
};

/*
 * Read the first 16 MiB (or the whole disk when smaller) in whole blocks
 * with requests in flight, timed with the port's clock (STCK on s390x),
 * and print the throughput as a BENCH line where the clock is real. The
 * data is not looked at.
 */
static void tour_blk_seq_read(const struct tour_vdev *tv, struct vblk *b)
{
	u64 total = MIN((u64)TOUR_SEQ_BYTES, b->blocks * b->blk_size), us;
	u32 chunk = MIN(TOUR_SEQ_CHUNK, b->max_transfer);
	unsigned depth;
	char what[32], all[32];
	u8 *buf;
	int err;

	/* Whole blocks, at least one (max_transfer holds one); no more than
	 * 1 MiB of buffers however large the blocks. */
	chunk = MAX(chunk - chunk % b->blk_size, b->blk_size);
	chunk = (u32)MIN((u64)chunk, MAX(total, (u64)b->blk_size));
	depth = MIN(MIN(TOUR_SEQ_DEPTH, b->depth), MAX((1u << 20) / chunk, 1u));
	depth = (unsigned)MIN((u64)depth, MAX((total + chunk - 1) / chunk, (u64)1));
	if (!total) {
		tv_test(tv, "blk-seq-read", TOUR_SKIP, "the disk holds no whole block of %u bytes",
			(unsigned)b->blk_size);
		return;
	}
	buf = port_dma_alloc((size_t)chunk * depth, 4096);
	if (!buf || !depth) {
		tv_test(tv, "blk-seq-read", TOUR_FAIL, "no memory");
		return;
	}
	err = seq_run(&blk_seq, b, NULL, total, chunk, depth, buf, &us);
	if (err) {
		tv_test(tv, "blk-seq-read", TOUR_FAIL, "%s: %s", verr_str(err), b->why);
		return;
	}
	size_str(what, sizeof(what), chunk);
	size_str(all, sizeof(all), total);
	tv_test(tv, "blk-seq-read", TOUR_PASS, "%s, %u request%s of %s in flight", all, depth,
		depth == 1 ? "" : "s", what);
	/* The host port's clock is virtual: there the figure would mean nothing. */
	seq_bench("vblk-seq-read", tv->busid, "", total, us);
}

static void tour_blk(struct tour_vdev *tv)
{
	struct vblk *b = port_dma_alloc(sizeof(*b), 8);
	char id[VBLK_ID_BYTES + 1], text[17];
	u8 *sec;
	int err;

	if (!b) {
		tv_test(tv, "setup", TOUR_FAIL, "no memory");
		return;
	}
	err = vblk_init(b, tv->dev, 0);
	if (err) {
		tv_test(tv, "setup", TOUR_FAIL, "%s", b->why);
		return;
	}
	tv_negotiated(tv);
	port_printf("%s %s: capacity %llu sectors (%llu MiB), block size %u, physical block %u, %s\n",
		    tv->busid, tv->d->ident.name, (unsigned long long)b->capacity,
		    (unsigned long long)(b->capacity >> 11), (unsigned)b->blk_size,
		    (unsigned)b->phys_size, b->read_only ? "read-only" : "read-write");
	err = vblk_get_id(b, id);
	if (err == -VERR_NOTSUP || err == -VERR_IO)
		tv_test(tv, "blk-get-id", TOUR_SKIP, "the device has no id: %s", b->why);
	else
		tv_test(tv, "blk-get-id", err ? TOUR_FAIL : TOUR_PASS, "\"%s\"", err ? b->why : id);

	if (!b->blocks) {
		/* An empty disk, or one smaller than its block: nothing to read. */
		tv_test(tv, "blk-read", TOUR_SKIP, "the disk holds no whole block of %u bytes "
			"(capacity %llu sectors)", (unsigned)b->blk_size, (unsigned long long)b->capacity);
		tv_test(tv, "blk-write-verify", TOUR_SKIP, "the disk holds no whole block");
		tv_test(tv, "blk-seq-read", TOUR_SKIP, "the disk holds no whole block");
		goto out;
	}
	sec = port_dma_alloc(b->blk_size, 8);
	if (!sec) {
		tv_test(tv, "blk-read", TOUR_FAIL, "no memory for a block of %u bytes",
			(unsigned)b->blk_size);
		goto out;
	}
	err = vblk_read(b, 0, sec, b->blk_size);
	if (err) {
		tv_test(tv, "blk-read", TOUR_FAIL, "%s", b->why);
		goto out;
	}
	for (unsigned i = 0; i < 16; i++)
		text[i] = sec[i] >= 0x20 && sec[i] < 0x7F ? (char)sec[i] : '.';
	text[16] = '\0';
	tv_test(tv, "blk-read", TOUR_PASS, "block 0 (%u bytes) starts \"%s\"", (unsigned)b->blk_size,
		text);
	/* Never write to a disk without the marker. */
	if (!memcmp(sec, TOUR_SCRATCH_MARK, sizeof(TOUR_SCRATCH_MARK) - 1))
		tour_blk_scratch(tv, b);
	else
		tv_test(tv, "blk-write-verify", TOUR_SKIP, "no %s marker: the disk is not written",
			TOUR_SCRATCH_MARK);
	tour_blk_seq_read(tv, b);
out:
	vccw_teardown(tv->v);
}

/* --- virtio-net ----------------------------------------------------------- */

/* Send frame, then wait for a frame match() accepts; up to TOUR_NET_TRIES times. */
static int net_ask(struct vnet *n, const u8 *frame, u32 len, u8 *reply,
		   bool (*match)(const u8 *f, u32 len, void *ctx), void *ctx)
{
	for (unsigned try = 0; try < TOUR_NET_TRIES; try++) {
		u64 deadline;
		int err = vnet_send(n, frame, len);

		if (err)
			return err;
		deadline = port_now_us() + TOUR_NET_WAIT_US;
		for (;;) {
			int got = vnet_recv(n, reply, INET_FRAME_MAX, deadline);

			if (got == 0)
				break;
			if (got == -VERR_RANGE)
				continue;
			if (got < 0)
				return got;
			if (match(reply, (u32)got, ctx))
				return 0;
		}
	}
	return -VERR_TIMEOUT;
}

struct arp_ctx {
	u32 ip;
	u8 mac[6];
};

static bool match_arp(const u8 *f, u32 len, void *ctx)
{
	struct arp_ctx *a = ctx;

	return inet_arp_reply(f, len, a->ip, a->mac);
}

struct dhcp_ctx {
	const u8 *mac;
	struct inet_dhcp_offer offer;
};

static bool match_offer(const u8 *f, u32 len, void *ctx)
{
	struct dhcp_ctx *c = ctx;

	return inet_dhcp_offer(f, len, c->mac, TOUR_DHCP_XID, &c->offer);
}

/* Where a bare TFTP read puts its blocks: a ring of 64 KiB, overwritten. */
#define TOUR_TFTP_RING 0x10000u

static void *tftp_discard(void *ctx, u64 off, u32 len)
{
	u8 *ring = ctx;

	(void)len;
	return ring + off % TOUR_TFTP_RING;
}

/*
 * tftp=FILE: DHCP, ARP and FILE by TFTP from the server DHCP names, the
 * blocks thrown away: the bare transfer rate the network gives (ccwboot's
 * network load is measured against it).
 */
static void tour_tftp(struct tour_vdev *tv, struct vnet *n)
{
	struct nb_link *l = port_dma_alloc(sizeof(*l), 8);
	u8 *ring = port_dma_alloc(TOUR_TFTP_RING + TFTP_MAX_BLKSIZE, 8);
	struct tftp_sink sink = { tftp_discard, ring };
	struct inet_dhcp_offer ack;
	struct tftp_result res;
	struct tftp_io io;
	char why[160];
	u64 t0, us;
	int err;

	if (!l || !ring) {
		tv_test(tv, "net-tftp", TOUR_FAIL, "no memory");
		return;
	}
	l->n = n;
	err = nb_dhcp(l, &ack, why, sizeof(why));
	if (!err) {
		nb_link_route(l, &ack);
		err = nb_arp(l, why, sizeof(why));
	}
	if (err) {
		tv_test(tv, "net-tftp", TOUR_FAIL, "%s", why);
		return;
	}
	nb_link_io(l, &io);
	l->port = 0xC000u;
	t0 = port_now_us();
	err = tftp_get(&io, tv->t->tftp_file, &sink, &res, why, sizeof(why));
	us = port_now_us() - t0;
	if (err) {
		tv_test(tv, "net-tftp", TOUR_FAIL, "%s", why);
		return;
	}
	tv_test(tv, "net-tftp", TOUR_PASS, "%s: %llu bytes in %u-byte blocks", tv->t->tftp_file,
		(unsigned long long)res.size, res.blksize);
	if (port_clock_real() && us) {
		u64 tenths = res.size * 10 * 1000000 / us / (1u << 20);

		port_printf("BENCH image.tftp-read.%s %llu.%llu MiB/s\n", tv->busid,
			    (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
	}
}

static void tour_net(struct tour_vdev *tv)
{
	struct vnet *n = port_dma_alloc(sizeof(*n), 8);
	u8 *frame = port_dma_alloc(INET_FRAME_MAX, 8);
	u8 *reply = port_dma_alloc(INET_FRAME_MAX, 8);
	char a[20], b[20], c[20], d[20];
	struct arp_ctx arp;
	struct dhcp_ctx dhcp;
	int err, link;

	if (!n || !frame || !reply) {
		tv_test(tv, "setup", TOUR_FAIL, "no memory");
		return;
	}
	err = vnet_init(n, tv->dev);
	if (err) {
		tv_test(tv, "setup", TOUR_FAIL, "%s", n->why);
		return;
	}
	tv_negotiated(tv);
	link = vnet_link_up(n);
	port_printf("%s %s: mac %s%s, link %s, header %u bytes\n", tv->busid, tv->d->ident.name,
		    inet_mac_str(n->mac, a, sizeof(a)), n->mac_from_device ? "" : " (made up)",
		    link > 0 ? "up" : link == 0 ? "down" : "unknown", n->hdr_len);

	/* 1. An address, please: the offer names the network's router,
	 * whatever subnet the network has. */
	dhcp.mac = n->mac;
	err = net_ask(n, frame, inet_dhcp_discover(frame, n->mac, TOUR_DHCP_XID), reply, match_offer,
		      &dhcp);
	if (err) {
		tv_test(tv, "net-dhcp", TOUR_FAIL, "no DHCP offer: %s",
			err == -VERR_TIMEOUT ? "timeout" : n->why);
		tv_test(tv, "net-arp", TOUR_SKIP, "no router to ask for: DHCP failed");
		goto out;
	}
	tv_test(tv, "net-dhcp", TOUR_PASS, "offered %s by %s, router %s, dns %s, lease %u s",
		inet_ip_str(dhcp.offer.yiaddr, a, sizeof(a)),
		inet_ip_str(dhcp.offer.server, b, sizeof(b)),
		inet_ip_str(dhcp.offer.router, c, sizeof(c)), inet_ip_str(dhcp.offer.dns, d, sizeof(d)),
		(unsigned)dhcp.offer.lease);

	/* 2. Who has the router's address? Without a router (QEMU's
	 * restrict=on names none) the DHCP server's. */
	arp.ip = dhcp.offer.router ? dhcp.offer.router : dhcp.offer.server;
	err = net_ask(n, frame, inet_arp_request(frame, n->mac, dhcp.offer.yiaddr, arp.ip), reply,
		      match_arp, &arp);
	if (err)
		tv_test(tv, "net-arp", TOUR_FAIL, "no ARP reply from %s %s: %s",
			dhcp.offer.router ? "router" : "DHCP server", inet_ip_str(arp.ip, a, sizeof(a)),
			err == -VERR_TIMEOUT ? "timeout" : n->why);
	else
		tv_test(tv, "net-arp", TOUR_PASS, "%s %s is at %s",
			dhcp.offer.router ? "router" : "DHCP server", inet_ip_str(arp.ip, a, sizeof(a)),
			inet_mac_str(arp.mac, b, sizeof(b)));
	if (tv->t->tftp_file[0])
		tour_tftp(tv, n);
out:
	vccw_teardown(tv->v);
}

/* --- virtio-console ------------------------------------------------------- */

/* Every port the device added but port 0, as "port 1 "name" (console), host end open". */
static void console_ports(const struct tour_vdev *tv, const struct vcon *c)
{
	for (unsigned i = 0; i < c->nports; i++) {
		const struct vcon_port *p = &c->ports[i];

		if (p->id == 0)
			continue;
		port_printf("%s %s: port %u%s%s%s%s, host end %s\n", tv->busid, tv->d->ident.name,
			    (unsigned)p->id, p->name[0] ? " \"" : "", p->name, p->name[0] ? "\"" : "",
			    p->console ? ", a console port" : "", p->host_connected ? "open" : "closed");
	}
}

static void tour_console(struct tour_vdev *tv)
{
	static const char hello[] = TOUR_CONSOLE_LINE "\n";
	struct vcon *c = port_dma_alloc(sizeof(*c), 8);
	char line[128];
	int err;

	if (!c) {
		tv_test(tv, "setup", TOUR_FAIL, "no memory");
		return;
	}
	err = vcon_init(c, tv->dev);
	if (err) {
		tv_test(tv, "setup", TOUR_FAIL, "%s", c->why);
		return;
	}
	tv_negotiated(tv);
	if (c->port0_added)
		port_printf("%s %s: port 0%s%s, %s\n", tv->busid, tv->d->ident.name,
			    c->multiport ? " of a multiport device" : "",
			    c->port0_console ? ", a console port" : "",
			    c->host_connected ? "host end open" : "host end closed");
	else
		port_printf("%s %s: no port 0 (%u other port%s)\n", tv->busid, tv->d->ident.name,
			    c->nports, c->nports == 1 ? "" : "s");
	console_ports(tv, c);
	/* The tour writes and reads port 0 only: QEMU puts a virtconsole
	 * there, and nothing else. */
	if (!c->port0_added) {
		tv_test(tv, "console-write", TOUR_SKIP, "no port 0: the device has no virtconsole");
		if (tv->t->console_read)
			tv_test(tv, "console-read", TOUR_SKIP, "no port 0: the device has no virtconsole");
		goto out;
	}
	err = vcon_write(c, hello, sizeof(hello) - 1);
	tv_test(tv, "console-write", err ? TOUR_FAIL : TOUR_PASS, "%s",
		err ? c->why : "\"" TOUR_CONSOLE_LINE "\" to port 0");
	if (tv->t->console_read) {
		err = vcon_read_line(c, line, sizeof(line), port_now_us() + TOUR_CONSOLE_READ_US);
		if (err >= 0)
			tv_test(tv, "console-read", TOUR_PASS, "\"%s\"", line);
		else
			tv_test(tv, "console-read", TOUR_FAIL, "%s",
				err == -VERR_TIMEOUT ? "no line within 10 s" : c->why);
	}
out:
	vccw_teardown(tv->v);
}

/* --- virtio-rng ----------------------------------------------------------- */

/*
 * 64 bytes from the device. A device that stays silent for the driver's
 * usual bound may be rate-limited: say so, and wait up to TOUR_RNG_WAIT_S
 * in all (the request stays out meanwhile).
 */
static int rng_read64(const struct tour_vdev *tv, struct vrng *r, u8 *buf)
{
	int err;

	r->timeout_us = VRNG_TIMEOUT_US;
	err = vrng_read(r, buf, 64);
	if (err != -VERR_TIMEOUT)
		return err;
	port_printf("%s %s: no bytes within %u s; waiting up to %u s in all, as a rate-limited "
		    "device answers when its next period begins\n", tv->busid, tv->d->ident.name,
		    VRNG_TIMEOUT_US / 1000000u, TOUR_RNG_WAIT_S);
	r->timeout_us = (u64)TOUR_RNG_WAIT_S * 1000000u - VRNG_TIMEOUT_US;
	return vrng_read(r, buf, 64);
}

static void tour_rng(struct tour_vdev *tv)
{
	struct vrng *r = port_dma_alloc(sizeof(*r), 8);
	u8 a[64], b[64];
	bool constant = true;
	int err;

	if (!r) {
		tv_test(tv, "setup", TOUR_FAIL, "no memory");
		return;
	}
	err = vrng_init(r, tv->dev);
	if (err) {
		tv_test(tv, "setup", TOUR_FAIL, "%s", r->why);
		return;
	}
	tv_negotiated(tv);
	err = rng_read64(tv, r, a);
	if (!err)
		err = rng_read64(tv, r, b);
	if (err) {
		if (err == -VERR_TIMEOUT)
			tv_test(tv, "rng-read", TOUR_FAIL, "%s within %u s", r->why, TOUR_RNG_WAIT_S);
		else
			tv_test(tv, "rng-read", TOUR_FAIL, "%s", r->why);
		goto out;
	}
	for (unsigned i = 1; i < sizeof(a); i++)
		if (a[i] != a[0])
			constant = false;
	if (constant || !memcmp(a, b, sizeof(a)))
		tv_test(tv, "rng-read", TOUR_FAIL, "64 bytes twice: %s",
			constant ? "the bytes are all the same" : "the two reads are equal");
	else
		tv_test(tv, "rng-read", TOUR_PASS, "64 bytes twice: not constant, the reads differ");
out:
	vccw_teardown(tv->v);
}

/* --- virtio-scsi ---------------------------------------------------------- */

/* A TEST line of one logical unit: virtio.<what>.<busid>.<target>.<lun>. */
static void lun_test(const struct tour_vdev *tv, const struct vscsi_lun *l, const char *what,
		     enum tour_status st, const char *fmt, ...) __printf(5, 6);
static void lun_test(const struct tour_vdev *tv, const struct vscsi_lun *l, const char *what,
		     enum tour_status st, const char *fmt, ...)
{
	char name[64], detail[160];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	fmt_snprintf(name, sizeof(name), "virtio.%s.%s.%u.%u", what, tv->busid, l->target, l->lun);
	tour_test(tv->t, name, st, "%s", detail);
}

/* A disk's scratch region, as a virtio-blk disk's (scratch_fill): from
 * block 1, 64 sectors' worth of whole blocks, written, synchronized, read
 * back and compared. A write-protected disk is skipped. */
static void scsi_scratch(const struct tour_vdev *tv, struct vscsi *s, const struct vscsi_lun *l)
{
	const u32 nblocks = MAX(TOUR_SCRATCH_SECTORS * VBLK_SECTOR / l->blk_size, 1u);
	const u32 len = nblocks * l->blk_size, spb = MAX(l->blk_size / VBLK_SECTOR, 1u);
	u8 *buf, *want;
	unsigned bad = 0;
	int err;

	if (l->blk_size % VBLK_SECTOR || l->blocks < 1 + (u64)nblocks) {
		lun_test(tv, l, "scsi-write-verify", TOUR_SKIP, "%llu blocks of %u bytes: no room "
			 "for the scratch region", (unsigned long long)l->blocks, l->blk_size);
		return;
	}
	buf = port_dma_alloc(len, 8);
	want = port_dma_alloc(len, 8);
	if (!buf || !want) {
		lun_test(tv, l, "scsi-write-verify", TOUR_FAIL, "no memory");
		return;
	}
	scratch_fill(want, spb, nblocks * spb, tv->t->seed);
	memcpy(buf, want, len);
	err = vscsi_write(s, l, 1, nblocks, buf);
	if (err == -VERR_IO && s->sense.valid && s->sense.key == SCSI_KEY_DATA_PROTECT) {
		lun_test(tv, l, "scsi-write-verify", TOUR_SKIP, "scratch marker, but the disk is "
			 "write-protected");
		return;
	}
	if (!err)
		err = vscsi_sync(s, l);
	if (!err) {
		memset(buf, 0, len);
		err = vscsi_read(s, l, 1, nblocks, buf);
	}
	if (err) {
		lun_test(tv, l, "scsi-write-verify", TOUR_FAIL, "%s", s->why);
		return;
	}
	for (u32 k = 0; k < nblocks; k++)
		if (memcmp(buf + (size_t)k * l->blk_size, want + (size_t)k * l->blk_size, l->blk_size))
			bad++;
	lun_test(tv, l, "scsi-write-verify", bad ? TOUR_FAIL : TOUR_PASS,
		 "sectors %u-%u (blocks 1-%u of %u bytes), seed %u, synchronized; %u of %u blocks "
		 "read back differ", spb, spb + nblocks * spb - 1, nblocks, l->blk_size,
		 (unsigned)tv->t->seed, bad, nblocks);
}

static int scsi_seq_submit(void *drv, const void *unit, u64 off, u32 n, void *buf, void *cookie)
{
	const struct vscsi_lun *l = unit;

	return vscsi_submit(drv, l, false, off / l->blk_size, n / l->blk_size, buf, cookie);
}

static int scsi_seq_kick(void *drv) { return vscsi_kick(drv); }
static int scsi_seq_complete(void *drv, void **c, int *r) { return vscsi_complete(drv, c, r); }
static int scsi_seq_wait(void *drv, u64 deadline) { return vscsi_wait(drv, deadline); }
static void scsi_seq_stop(void *drv, const char *why) { vscsi_stop(drv, why); }

static const struct seq_ops scsi_seq = {
	scsi_seq_submit, scsi_seq_kick, scsi_seq_complete, scsi_seq_wait, scsi_seq_stop,
	VSCSI_TIMEOUT_US,
};

/* The first 16 MiB of a disk (or all of it) in whole blocks, as the
 * virtio-blk test reads it: the same chunks and depth, commands in flight
 * over the request queues, and a BENCH line where the clock is real. */
static void scsi_seq_read(const struct tour_vdev *tv, struct vscsi *s, const struct vscsi_lun *l)
{
	u64 total = MIN((u64)TOUR_SEQ_BYTES, l->blocks * l->blk_size), us;
	u32 per = MIN(TOUR_SEQ_CHUNK / l->blk_size, vscsi_max_blocks(s, l));
	u32 chunk;
	unsigned depth;
	char what[32], all[32], unit[16];
	u8 *buf;
	int err;

	total -= total % l->blk_size;
	per = MAX(per, 1u);
	chunk = per * l->blk_size;
	depth = MIN(MIN(TOUR_SEQ_DEPTH, s->depth), MAX((1u << 20) / chunk, 1u));
	depth = (unsigned)MIN((u64)depth, MAX((total + chunk - 1) / chunk, (u64)1));
	if (!total) {
		lun_test(tv, l, "scsi-seq-read", TOUR_SKIP, "no whole block to read");
		return;
	}
	buf = port_dma_alloc((size_t)chunk * depth, 4096);
	if (!buf || !depth) {
		lun_test(tv, l, "scsi-seq-read", TOUR_FAIL, "no memory");
		return;
	}
	err = seq_run(&scsi_seq, s, l, total, chunk, depth, buf, &us);
	if (err) {
		lun_test(tv, l, "scsi-seq-read", TOUR_FAIL, "%s: %s", verr_str(err), s->why);
		return;
	}
	size_str(what, sizeof(what), chunk);
	size_str(all, sizeof(all), total);
	lun_test(tv, l, "scsi-seq-read", TOUR_PASS, "%s, %u command%s of %s in flight", all, depth,
		 depth == 1 ? "" : "s", what);
	fmt_snprintf(unit, sizeof(unit), ".%u.%u", l->target, l->lun);
	seq_bench("vscsi-seq-read", tv->busid, unit, total, us);
}

/* The units as a scan found them: "0:0 disk, 0:3 CD-ROM". */
static void scsi_units(const struct tour_vdev *tv, const struct vscsi *s)
{
	char line[160];
	size_t n = 0;

	line[0] = '\0';
	for (unsigned i = 0; i < s->nluns && n < sizeof(line); i++)
		n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, "%s%u:%u %s", i ? ", " : "",
					  s->luns[i].target, s->luns[i].lun,
					  scsi_type_name(s->luns[i].type));
	port_printf("%s %s: units now: %s\n", tv->busid, tv->d->ident.name,
		    s->nluns ? line : "none");
}

/* Whether a scan found unit target:lun. */
static bool scsi_has(const struct vscsi *s, u8 target, u16 lun)
{
	for (unsigned i = 0; i < s->nluns; i++)
		if (s->luns[i].target == target && s->luns[i].lun == lun)
			return true;
	return false;
}

/*
 * scsi-hotplug=N: wait for N changes of the units (QEMU's device_add and
 * device_del of a scsi-hd, ccwsim's --hotplug-at), each within
 * TOUR_SCSI_CHANGE_S: the event (virtio 1.3, 5.6.6.3), then the units a
 * new scan finds. QEMU sends the event of an added unit before the unit
 * answers (measured: a scan at once may miss it), so the scan is made
 * again, every 100 ms for up to 2 s, until it agrees with the event.
 */
static void scsi_hotplug(const struct tour_vdev *tv, struct vscsi *s)
{
	unsigned seen = 0;
	int err = 0;

	port_printf("%s %s: waiting for %u change%s of the units\n", tv->busid, tv->d->ident.name,
		    (unsigned)tv->t->scsi_changes, tv->t->scsi_changes == 1 ? "" : "s");
	/* On the simulator the hot-plug schedule starts when the program
	 * first waits for devices to come and go: now. */
	(void)port_wait_crw(port_now_us());
	s->changed = false;
	while (seen < tv->t->scsi_changes && !err) {
		u64 deadline = port_now_us() + (u64)TOUR_SCSI_CHANGE_S * 1000000u;
		u8 target;
		u16 lun;
		bool removed;

		while (!s->changed && port_now_us() < deadline) {
			err = vscsi_wait(s, deadline);
			if (err < 0)
				break;
			err = vscsi_events(s);
			if (err < 0)
				break;
			err = 0;
		}
		if (err < 0 || !s->changed)
			break;
		s->changed = false;
		seen++;
		target = s->ev_target;
		lun = s->ev_lun;
		removed = s->ev_removed;
		port_printf("%s %s: event: unit %u:%u %s\n", tv->busid, tv->d->ident.name, target,
			    lun, removed ? "removed" : "added");
		for (unsigned tries = 0; tries < 20 && !err; tries++) {
			err = vscsi_scan(s);
			if (err || scsi_has(s, target, lun) != removed)
				break;
			err = vscsi_wait(s, port_now_us() + 100000u);
			err = err < 0 ? err : 0;
		}
		if (!err)
			scsi_units(tv, s);
	}
	tv_test(tv, "scsi-hotplug", err < 0 ? TOUR_FAIL : seen == tv->t->scsi_changes ? TOUR_PASS
									      : TOUR_FAIL,
		"%u of %u changes seen%s%s", seen, (unsigned)tv->t->scsi_changes,
		err < 0 ? ": " : "", err < 0 ? s->why : "");
}

/*
 * Each logical unit listed; a disk's block 0 read, its scratch region
 * written and checked when block 0 holds the scratch marker, and its first
 * 16 MiB read in sequence; a CD-ROM's volume descriptor (block 16 of 2048
 * bytes: "CD001" at byte 1 on an ISO 9660 volume) read. Events the device
 * sent meanwhile (a unit plugged) are taken.
 */
static void tour_scsi(struct tour_vdev *tv)
{
	struct vscsi *s = port_dma_alloc(sizeof(*s), 8);
	u8 *blk = port_dma_alloc(4096, 8);
	int err;

	if (!s || !blk) {
		tv_test(tv, "setup", TOUR_FAIL, "no memory");
		return;
	}
	err = vscsi_init(s, tv->dev);
	if (err) {
		tv_test(tv, "setup", TOUR_FAIL, "%s", s->why);
		return;
	}
	tv_negotiated(tv);
	port_printf("%s %s: %u request queue%s (%u used), %u commands in flight, max_sectors %u, "
		    "seg_max %u, targets 0 to %u, LUNs 0 to %u\n", tv->busid, tv->d->ident.name,
		    s->num_queues, s->num_queues == 1 ? "" : "s", s->nreq, s->depth,
		    s->max_sectors, s->seg_max, s->max_target, s->max_lun);
	err = vscsi_scan(s);
	tv_test(tv, "scsi-scan", err ? TOUR_FAIL : TOUR_PASS, "%s%u logical unit%s",
		err ? s->why : "", err ? 0 : s->nluns, s->nluns == 1 ? "" : "s");
	for (unsigned i = 0; !err && i < s->nluns; i++) {
		const struct vscsi_lun *l = &s->luns[i];
		char text[17];
		u64 at;

		port_printf("%s %s: %u:%u %s \"%s\" \"%s\", %llu blocks of %u bytes%s\n", tv->busid,
			    tv->d->ident.name, l->target, l->lun, scsi_type_name(l->type),
			    l->vendor, l->product, (unsigned long long)l->blocks, l->blk_size,
			    l->removable ? ", removable" : "");
		if (l->type != SCSI_TYPE_DISK && l->type != SCSI_TYPE_CDROM)
			continue;
		if (!l->blk_size || l->blk_size > 4096 || !l->blocks) {
			lun_test(tv, l, "scsi-read", TOUR_SKIP, "no capacity to read");
			continue;
		}
		/* A CD-ROM's primary volume descriptor, a disk's first block. */
		at = l->type == SCSI_TYPE_CDROM && l->blocks > 16 ? 16 : 0;
		if (vscsi_read(s, l, at, 1, blk)) {
			lun_test(tv, l, "scsi-read", TOUR_FAIL, "%s", s->why);
			continue;
		}
		for (unsigned k = 0; k < 16; k++)
			text[k] = blk[k] >= 0x20 && blk[k] < 0x7F ? (char)blk[k] : '.';
		text[16] = '\0';
		lun_test(tv, l, "scsi-read", TOUR_PASS, "block %llu (%u bytes) starts \"%s\"",
			 (unsigned long long)at, l->blk_size, text);
		if (l->type != SCSI_TYPE_DISK)
			continue;
		/* Never write to a disk without the marker. */
		if (!memcmp(blk, TOUR_SCRATCH_MARK, sizeof(TOUR_SCRATCH_MARK) - 1))
			scsi_scratch(tv, s, l);
		else
			lun_test(tv, l, "scsi-write-verify", TOUR_SKIP, "no %s marker: the disk is "
				 "not written", TOUR_SCRATCH_MARK);
		scsi_seq_read(tv, s, l);
	}
	if (!err && tv->t->scsi_changes && !tv->t->scsi_waited) {
		tv->t->scsi_waited = true;
		scsi_hotplug(tv, s);
	} else if (!err && vscsi_events(s) > 0) {
		port_printf("%s %s: %u event%s from the device (units changed)\n", tv->busid,
			    tv->d->ident.name, s->nevents, s->nevents == 1 ? "" : "s");
	}
	vccw_teardown(tv->v);
}

/* --- Any other virtio device: the transport only ------------------------- */

static void tour_other(struct tour_vdev *tv)
{
	int err = tv->dev->ops->negotiate(tv->dev, VIRTIO_RING_FEATURES);

	if (!err)
		err = tv->dev->ops->setup_irq(tv->dev);
	if (!err)
		err = tv->dev->ops->set_status(tv->dev, tv->dev->status | VIRTIO_STATUS_DRIVER_OK);
	if (err) {
		tv_test(tv, "setup", TOUR_FAIL, "%s", tv->dev->why);
		virtio_abandon(tv->dev);
		return;
	}
	tv_negotiated(tv);
	vccw_teardown(tv->v);
}

void tour_virtio(struct tour *t, const struct tour_dev *d)
{
	struct vccw_options o = { .max_revision = VCCW_REV_MAX, .no_adapter = t->classic };
	struct tour_vdev tv = { t, d, port_dma_alloc(sizeof(struct vccw), 8), NULL, "" };
	int err;

	tour_busid(tv.busid, sizeof(tv.busid), schid_ssid(d->schid), d->devno);
	if (!tv.v) {
		tv_test(&tv, "setup", TOUR_FAIL, "no memory");
		return;
	}
	tv.dev = vccw_virtio(tv.v);
	err = vccw_init(tv.v, t->css, d->schid, d->ident.virtio_id, &o);
	if (err) {
		tv_test(&tv, "setup", TOUR_FAIL, "%s", tv.dev->why);
		virtio_abandon(tv.dev);
		return;
	}
	switch (d->ident.virtio_id) {
	case VIRTIO_ID_BLOCK:
		tour_blk(&tv);
		break;
	case VIRTIO_ID_NET:
		tour_net(&tv);
		break;
	case VIRTIO_ID_CONSOLE:
		tour_console(&tv);
		break;
	case VIRTIO_ID_RNG:
		tour_rng(&tv);
		break;
	case VIRTIO_ID_SCSI:
		tour_scsi(&tv);
		break;
	default:
		tour_other(&tv);
		break;
	}
}
