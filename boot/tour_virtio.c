/*
 * The tour's virtio part: each virtio-ccw device is brought up by its
 * driver (devices/), its negotiation is printed, and the device is proved
 * end to end with TEST lines: virtio-blk reads (and, on a scratch disk,
 * writes and verifies), virtio-net asks the user network's gateway by ARP
 * and DHCP, virtio-console writes (and reads) port 0, virtio-rng fills
 * buffers.
 */
#include "boot/tour_priv.h"

#include "ccw/port.h"     /* port_printf, port_now_us, port_dma_alloc */
#include "ccw/vccw.h"     /* the virtio-ccw transport */
#include "devices/inet.h" /* ARP and DHCP frames */
#include "devices/vblk.h"
#include "devices/vcon.h"
#include "devices/vnet.h"
#include "devices/vrng.h"
#include "ring/fmt.h"     /* fmt_snprintf */

/* A disk whose sector 0 starts with this may be written (sectors 1 to 64). */
#define TOUR_SCRATCH_MARK "CCW-SCRATCH"
#define TOUR_SCRATCH_SECTORS 64u
/* The sequential read whose throughput the tour prints. */
#define TOUR_SEQ_BYTES (16u << 20)
#define TOUR_SEQ_CHUNK (128u << 10)
#define TOUR_SEQ_DEPTH 8u
/* QEMU's user network (its defaults; the simulator's copy of it agrees). */
#define TOUR_GUEST_IP INET_ADDR(10, 0, 2, 15)
#define TOUR_GATEWAY_IP INET_ADDR(10, 0, 2, 2)
/* Network questions: tries, and how long each waits for its answer. */
#define TOUR_NET_TRIES 3u
#define TOUR_NET_WAIT_US 1000000u
/* The DHCP transaction id: fixed, so runs compare line for line. */
#define TOUR_DHCP_XID 0x43435721u
/* How long "console-read" waits for a line. */
#define TOUR_CONSOLE_READ_US 10000000u
#define TOUR_CONSOLE_LINE "hello from virtio-console"

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
	tv_test(tv, "setup", TOUR_PASS, "revision %d, %s indicators", tv->v->revision,
		vccw_irq_name(tv->v->irq));
}

/* --- virtio-blk ----------------------------------------------------------- */

/* The scratch pattern: sector s holds 64 copies of the big-endian (seed << 32) | s. */
static void scratch_fill(u8 *buf, u32 seed)
{
	for (u32 s = 1; s <= TOUR_SCRATCH_SECTORS; s++) {
		be64 v = cpu_to_be64(((u64)seed << 32) | s);
		u8 *p = buf + (s - 1) * VBLK_SECTOR;

		for (unsigned i = 0; i < VBLK_SECTOR / 8; i++)
			memcpy(p + 8 * i, &v, 8);
	}
}

/* Write sectors 1 to 64 of a scratch disk, flush, read back and compare. */
static void tour_blk_scratch(const struct tour_vdev *tv, struct vblk *b)
{
	const u32 len = TOUR_SCRATCH_SECTORS * VBLK_SECTOR;
	u8 *buf = port_dma_alloc(len, 8);
	u8 *want = port_dma_alloc(len, 8);
	unsigned bad = 0;
	int err;

	if (!buf || !want) {
		tv_test(tv, "blk-write-verify", TOUR_FAIL, "no memory");
		return;
	}
	if (b->read_only) {
		tv_test(tv, "blk-write-verify", TOUR_SKIP, "scratch marker, but the disk is read-only");
		return;
	}
	if (b->capacity <= TOUR_SCRATCH_SECTORS) {
		tv_test(tv, "blk-write-verify", TOUR_SKIP, "disk of %llu sectors is too small",
			(unsigned long long)b->capacity);
		return;
	}
	scratch_fill(want, tv->t->seed);
	memcpy(buf, want, len);
	err = vblk_write(b, 1, buf, len);
	if (!err && b->flush)
		err = vblk_flush(b);
	if (!err) {
		memset(buf, 0, len);
		err = vblk_read(b, 1, buf, len);
	}
	if (err) {
		tv_test(tv, "blk-write-verify", TOUR_FAIL, "%s", b->why);
		return;
	}
	for (unsigned s = 0; s < TOUR_SCRATCH_SECTORS; s++)
		if (memcmp(buf + s * VBLK_SECTOR, want + s * VBLK_SECTOR, VBLK_SECTOR))
			bad++;
	tv_test(tv, "blk-write-verify", bad ? TOUR_FAIL : TOUR_PASS,
		"sectors 1-%u, seed %u, %s; %u of %u sectors read back differ",
		TOUR_SCRATCH_SECTORS, (unsigned)tv->t->seed, b->flush ? "flushed" : "no FLUSH feature",
		bad, TOUR_SCRATCH_SECTORS);
}

/*
 * Read the first 16 MiB (or the whole disk when smaller) with requests in
 * flight, timed with the port's clock (STCK on s390x), and print the
 * throughput as a BENCH line where the clock is real. The data is not
 * looked at.
 */
static void tour_blk_seq_read(const struct tour_vdev *tv, struct vblk *b)
{
	u64 total = MIN((u64)TOUR_SEQ_BYTES, b->capacity * VBLK_SECTOR);
	u32 chunk = MIN(TOUR_SEQ_CHUNK, b->max_transfer);
	unsigned depth = MIN(TOUR_SEQ_DEPTH, b->depth);
	u8 *buf = port_dma_alloc((size_t)chunk * TOUR_SEQ_DEPTH, 4096);
	u64 next = 0, done = 0, start, us, deadline;
	unsigned inflight = 0, slot = 0;
	int err = 0;

	chunk -= chunk % VBLK_SECTOR;
	if (!buf || !chunk || !depth || total < VBLK_SECTOR) {
		tv_test(tv, "blk-seq-read", TOUR_SKIP, "nothing to read, or no memory");
		return;
	}
	total -= total % VBLK_SECTOR;
	start = port_now_us();
	deadline = start + VBLK_TIMEOUT_US;
	while (done < total && !err) {
		void *cookie;
		int result, rc;

		while (inflight < depth && next < total) {
			u32 n = (u32)MIN((u64)chunk, total - next);

			err = vblk_submit(b, VBLK_READ, next / VBLK_SECTOR, buf + (size_t)slot * chunk, n,
					  (void *)(uintptr_t)n);
			if (err)
				break;
			slot = (slot + 1) % depth;
			next += n;
			inflight++;
		}
		if (!err)
			err = vblk_kick(b);
		while (!err && (rc = vblk_complete(b, &cookie, &result)) != 0) {
			if (rc < 0 || result) {
				err = rc < 0 ? rc : result;
				break;
			}
			done += (uintptr_t)cookie;
			inflight--;
			deadline = port_now_us() + VBLK_TIMEOUT_US;
		}
		if (!err && done < total && inflight) {
			rc = vblk_wait(b, deadline);
			if (rc < 0)
				err = rc;
			else if (rc == 0 && port_now_us() >= deadline)
				err = -VERR_TIMEOUT;
		}
	}
	us = port_now_us() - start;
	if (err) {
		if (err == -VERR_TIMEOUT)
			vblk_stop(b, "sequential read timed out");
		tv_test(tv, "blk-seq-read", TOUR_FAIL, "%s: %s", verr_str(err), b->why);
		return;
	}
	tv_test(tv, "blk-seq-read", TOUR_PASS, "%llu KiB, %u requests of %u KiB in flight",
		(unsigned long long)(total >> 10), depth, chunk >> 10);
	/* The host port's clock is virtual: there the figure would mean nothing. */
	if (!port_clock_real())
		return;
	if (!us)
		us = 1;
	/* MiB/s with one decimal, in integers (no floating point in the image). */
	{
		u64 tenths = total * 10 * 1000000 / us / (1u << 20);

		port_printf("BENCH image.vblk-seq-read.%s %llu.%llu MiB/s\n", tv->busid,
			    (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
	}
}

static void tour_blk(struct tour_vdev *tv)
{
	struct vblk *b = port_dma_alloc(sizeof(*b), 8);
	u8 *sec = port_dma_alloc(VBLK_SECTOR, 8);
	char id[VBLK_ID_BYTES + 1], text[17];
	int err;

	if (!b || !sec) {
		tv_test(tv, "setup", TOUR_FAIL, "no memory");
		return;
	}
	err = vblk_init(b, tv->dev, 0);
	if (err) {
		tv_test(tv, "setup", TOUR_FAIL, "%s", b->why);
		return;
	}
	tv_negotiated(tv);
	port_printf("%s %s: capacity %llu sectors (%llu MiB), block size %u, %s\n", tv->busid,
		    tv->d->ident.name, (unsigned long long)b->capacity,
		    (unsigned long long)(b->capacity >> 11), (unsigned)b->blk_size,
		    b->read_only ? "read-only" : "read-write");
	err = vblk_get_id(b, id);
	if (err == -VERR_NOTSUP || err == -VERR_IO)
		tv_test(tv, "blk-get-id", TOUR_SKIP, "the device has no id: %s", b->why);
	else
		tv_test(tv, "blk-get-id", err ? TOUR_FAIL : TOUR_PASS, "\"%s\"", err ? b->why : id);

	err = vblk_read(b, 0, sec, VBLK_SECTOR);
	if (err) {
		tv_test(tv, "blk-read", TOUR_FAIL, "%s", b->why);
		goto out;
	}
	for (unsigned i = 0; i < 16; i++)
		text[i] = sec[i] >= 0x20 && sec[i] < 0x7F ? (char)sec[i] : '.';
	text[16] = '\0';
	tv_test(tv, "blk-read", TOUR_PASS, "sector 0 starts \"%s\"", text);
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
	u8 mac[6];
};

static bool match_arp(const u8 *f, u32 len, void *ctx)
{
	struct arp_ctx *a = ctx;

	return inet_arp_reply(f, len, TOUR_GATEWAY_IP, a->mac);
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

	/* 1. Who has the gateway's address? */
	err = net_ask(n, frame, inet_arp_request(frame, n->mac, TOUR_GUEST_IP, TOUR_GATEWAY_IP),
		      reply, match_arp, &arp);
	if (err)
		tv_test(tv, "net-arp", TOUR_FAIL, "no ARP reply from %s: %s",
			inet_ip_str(TOUR_GATEWAY_IP, a, sizeof(a)), err == -VERR_TIMEOUT ? "timeout" : n->why);
	else
		tv_test(tv, "net-arp", TOUR_PASS, "%s is at %s", inet_ip_str(TOUR_GATEWAY_IP, a, sizeof(a)),
			inet_mac_str(arp.mac, b, sizeof(b)));

	/* 2. An address, please. */
	dhcp.mac = n->mac;
	err = net_ask(n, frame, inet_dhcp_discover(frame, n->mac, TOUR_DHCP_XID), reply, match_offer,
		      &dhcp);
	if (err)
		tv_test(tv, "net-dhcp", TOUR_FAIL, "no DHCP offer: %s",
			err == -VERR_TIMEOUT ? "timeout" : n->why);
	else
		tv_test(tv, "net-dhcp", TOUR_PASS, "offered %s by %s, router %s, dns %s, lease %u s",
			inet_ip_str(dhcp.offer.yiaddr, a, sizeof(a)),
			inet_ip_str(dhcp.offer.server, b, sizeof(b)),
			inet_ip_str(dhcp.offer.router, c, sizeof(c)),
			inet_ip_str(dhcp.offer.dns, d, sizeof(d)), (unsigned)dhcp.offer.lease);
	vccw_teardown(tv->v);
}

/* --- virtio-console ------------------------------------------------------- */

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
	port_printf("%s %s: port 0%s%s, %s\n", tv->busid, tv->d->ident.name,
		    c->multiport ? " of a multiport device" : "",
		    c->port0_console ? ", a console port" : "",
		    c->host_connected ? "host end open" : "host end closed");
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
	vccw_teardown(tv->v);
}

/* --- virtio-rng ----------------------------------------------------------- */

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
	err = vrng_read(r, a, sizeof(a));
	if (!err)
		err = vrng_read(r, b, sizeof(b));
	if (err) {
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
	default:
		tour_other(&tv);
		break;
	}
}
