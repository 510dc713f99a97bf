/* The virtio-console driver (virtio 1.3, 5.3): port 0, and the multiport control protocol. */
#include "ccw/port.h" /* port_dma_alloc, port_dma_addr, port_now_us */
#include "devices/vcon.h"
#include "ring/fmt.h" /* fmt_snprintf */

/* Queues (virtio 1.3, 5.3.2). */
#define VCON_Q_RX 0  /* port 0 receiveq */
#define VCON_Q_TX 1  /* port 0 transmitq */
#define VCON_Q_CRX 2 /* control receiveq */
#define VCON_Q_CTX 3 /* control transmitq */

/* Which queues a wait is for. */
#define W_RX 1u
#define W_TX 2u
#define W_CRX 4u
#define W_CTX 8u

#define VCON_TX_BUFS 4u    /* transmit buffers in flight on port 0 */
#define VCON_CTL_LEN 8u    /* le32 id, le16 event, le16 value (virtio 1.3, 5.3.6.2) */
#define VCON_CTL_BURST 32u /* control messages one pump handles */
#define VCON_SETUP_ROUNDS 1024u /* pumps before the announcements must have ended */
#define VCON_RESIZE_LEN 12u /* ... then le16 cols, le16 rows */
#define VCON_KEEP 256u     /* bytes of a partial line kept over a timeout */

/*
 * Everything the device reads or writes, and, since the port's memory is
 * the driver's only allocator, the line assembly state that has no place
 * in struct vcon.
 */
struct vcon_buf {
	u8 rx[VCON_RX_BUFS][VCON_BUF_SIZE];
	u8 c_rx[VCON_CTL_BUFS][VCON_BUF_SIZE];
	u8 tx[VCON_TX_BUFS][VCON_BUF_SIZE];
	u8 c_tx[VCON_CTL_LEN];
	u16 tx_len[VCON_TX_BUFS];
	u8 tx_busy;       /* bit i: tx[i] is with the device */
	bool skip_lf;     /* the last line ended with '\r': a '\n' next belongs to it */
	bool skipping;    /* the rest of an over-long line is being dropped */
	bool keep_lost;   /* a partial line was longer than keep[] */
	unsigned keep_len;
	char keep[VCON_KEEP]; /* the start of a line a timeout interrupted */
};

static int fail(struct vcon *c, int err, const char *what)
{
	fmt_snprintf(c->why, sizeof(c->why), "%s: %s", what, verr_str(err));
	return err;
}

/* A transport failure: its own reason is the better one. */
static int fail_dev(struct vcon *c, int err, const char *what)
{
	fmt_snprintf(c->why, sizeof(c->why), "%s: %s", what,
		     c->dev->why[0] ? c->dev->why : verr_str(err));
	return err;
}

static int fail_vq(struct vcon *c, struct vq *vq, int err, const char *what)
{
	if (vq_broken(vq))
		fmt_snprintf(c->why, sizeof(c->why), "%s: %s", what, vq_fault_str(vq->fault));
	else
		fail(c, err, what);
	return err;
}

/* Control messages are in the device's byte order: little-endian with
 * VERSION_1, guest-native (big-endian) for a legacy device. */
static u32 get_field(const u8 *p, unsigned n, bool le)
{
	u32 v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[le ? n - 1 - i : i];
	return v;
}

static void put_field(u8 *p, unsigned n, u32 v, bool le)
{
	for (unsigned i = 0; i < n; i++)
		p[le ? i : n - 1 - i] = (u8)(v >> (8 * i));
}

/* Which of n buffers a token names, or -1: a token is checked, never trusted. */
static int slot_of(u8 (*bufs)[VCON_BUF_SIZE], unsigned n, const void *tok)
{
	for (unsigned i = 0; i < n; i++)
		if (tok == bufs[i])
			return (int)i;
	return -1;
}

/* Give a receive buffer to the device: device-writable only (virtio 1.3, 5.3.6.1). */
static int post_rx(struct vq *vq, u8 *buf)
{
	struct vq_buf b = { port_dma_addr(buf), VCON_BUF_SIZE };

	return vq_add(vq, &b, 0, 1, buf);
}

/*
 * Wait for the queues in `which`, or the deadline. Notifications are asked
 * for first; when something is already there, no wait. Returns 1, 0 at the
 * deadline, or an error.
 */
static int vcon_wait(struct vcon *c, unsigned which, u64 deadline)
{
	bool quiet = true;
	int rc;

	if (which & W_RX)
		quiet &= vq_enable_cb(c->rx);
	if (which & W_TX)
		quiet &= vq_enable_cb(c->tx);
	if ((which & W_CRX) && c->multiport)
		quiet &= vq_enable_cb(c->c_rx);
	if ((which & W_CTX) && c->multiport)
		quiet &= vq_enable_cb(c->c_tx);
	if (!quiet)
		return 1;
	rc = c->dev->ops->wait(c->dev, deadline);
	if (rc < 0)
		return fail_dev(c, rc, "wait");
	if (c->dev->needs_reset)
		return fail(c, -VERR_BROKEN, "the device needs a reset");
	return rc;
}

/* --- Control protocol (virtio 1.3, 5.3.6.2) ------------------------------- */

/* Collect what the device has used of the control transmitq, and wait
 * until it has used everything. */
static int ctl_tx_idle(struct vcon *c, u64 deadline)
{
	for (bool last = false;;) {
		void *tok;
		u32 len;
		int rc;

		while ((rc = vq_get_used(c->c_tx, &tok, &len)) == 1)
			;
		if (rc < 0)
			return fail_vq(c, c->c_tx, rc, "control transmitq");
		if (!c->c_tx->in_flight)
			return 0;
		if (last)
			return fail(c, -VERR_TIMEOUT, "control message not taken");
		rc = vcon_wait(c, W_CTX, deadline);
		if (rc < 0)
			return rc;
		/* The clock too: a device that keeps signalling other
		 * queues must not keep this waiting. */
		last = rc == 0 || port_now_us() >= deadline;
	}
}

/* Send one control message and wait (bounded) until the device took it:
 * there is one control buffer, reused. */
static int send_ctl(struct vcon *c, u32 id, u16 event, u16 value)
{
	struct vcon_buf *b = c->bufs;
	u64 deadline = port_now_us() + VCON_TIMEOUT_US;
	struct vq_buf vb = { port_dma_addr(b->c_tx), VCON_CTL_LEN };
	bool le = virtio_modern(c->dev);
	int rc;

	rc = ctl_tx_idle(c, deadline);
	if (rc)
		return rc;
	put_field(b->c_tx, 4, id, le);
	put_field(b->c_tx + 4, 2, event, le);
	put_field(b->c_tx + 6, 2, value, le);
	rc = vq_add(c->c_tx, &vb, 1, 0, b->c_tx);
	if (!rc)
		rc = vq_kick(c->c_tx);
	if (rc)
		return fail_vq(c, c->c_tx, rc, "control transmitq");
	return ctl_tx_idle(c, deadline);
}

/*
 * One message from the device. Whatever the device sends that this driver
 * cannot use (short, an unknown event or one only a driver sends, a port
 * beyond max_nr_ports, a port other than 0 where only port 0 makes sense)
 * is ignored. Returns 0, or the error of a reply.
 */
static struct vcon_port *port_of(struct vcon *c, u32 id)
{
	for (unsigned i = 0; i < c->nports; i++)
		if (c->ports[i].id == id)
			return &c->ports[i];
	return NULL;
}

static int handle_ctl(struct vcon *c, const u8 *m, u32 len)
{
	bool le = virtio_modern(c->dev);
	struct vcon_port *p;
	u32 id;
	u16 event, value;

	if (len < VCON_CTL_LEN)
		return 0;
	id = get_field(m, 4, le);
	event = (u16)get_field(m + 4, 2, le);
	value = (u16)get_field(m + 6, 2, le);
	if (id >= c->max_ports)
		return 0;
	c->ctl_seen++;
	p = port_of(c, id);
	switch (event) {
	case VIRTIO_CONSOLE_PORT_ADD:
		/* Recorded now, answered once the burst is read (pump_ctl):
		 * the answers bring messages of their own. A port beyond the
		 * table is refused, as the spec lets a driver do. */
		if (!p && c->nports < VCON_MAX_PORTS) {
			p = &c->ports[c->nports++];
			memset(p, 0, sizeof(*p));
			p->id = id;
		}
		if (!p)
			return send_ctl(c, id, VIRTIO_CONSOLE_PORT_READY, 0);
		p->ready_due = true;
		if (id == 0)
			c->port0_added = true;
		return 0;
	case VIRTIO_CONSOLE_PORT_REMOVE:
		if (p)
			*p = c->ports[--c->nports];
		if (id == 0) {
			c->port0_added = false;
			c->port0_console = false;
			c->host_connected = false;
		}
		return 0;
	case VIRTIO_CONSOLE_CONSOLE_PORT:
		if (!p)
			return 0;
		p->console = true;
		if (id != 0)
			return 0;
		c->port0_console = true;
		/* A console port 0 is opened at once: the driver uses it. */
		return send_ctl(c, 0, VIRTIO_CONSOLE_PORT_OPEN, 1);
	case VIRTIO_CONSOLE_RESIZE:
		if (id != 0 || len < VCON_RESIZE_LEN)
			return 0;
		c->cols = (u16)get_field(m + 8, 2, le);
		c->rows = (u16)get_field(m + 10, 2, le);
		return 0;
	case VIRTIO_CONSOLE_PORT_OPEN:
		if (p && value <= 1)
			p->host_connected = value;
		if (id == 0 && c->port0_added && value <= 1)
			c->host_connected = value;
		return 0;
	case VIRTIO_CONSOLE_PORT_NAME:
		/* The name follows the header, NUL-terminated or not: kept
		 * printable and cut to the record. */
		if (p) {
			u32 n = MIN(len - VCON_CTL_LEN, VCON_NAME_LEN - 1);
			u32 i;

			for (i = 0; i < n && m[VCON_CTL_LEN + i]; i++) {
				u8 ch = m[VCON_CTL_LEN + i];

				p->name[i] = ch >= 0x20 && ch < 0x7F ? (char)ch : '?';
			}
			p->name[i] = '\0';
		}
		return 0;
	default:
		return 0;
	}
}

/*
 * Handle the control messages the device has sent, at most VCON_CTL_BURST
 * per call (a device that answers every buffer at once must not keep this
 * busy); a buffer goes back before its message is handled, so the device
 * can send the next. Once the ring is read, one port that waits is
 * answered PORT_READY: the device's answers to it (CONSOLE_PORT,
 * PORT_NAME, PORT_OPEN) then find every buffer posted.
 */
static int pump_ctl(struct vcon *c)
{
	struct vcon_buf *b = c->bufs;

	for (unsigned n = 0; c->multiport && n < VCON_CTL_BURST; n++) {
		u8 m[VCON_BUF_SIZE];
		void *tok;
		u32 len;
		int rc, i;

		rc = vq_get_used(c->c_rx, &tok, &len);
		if (rc < 0)
			return fail_vq(c, c->c_rx, rc, "control receiveq");
		if (rc == 0) {
			struct vcon_port *p = NULL;

			for (unsigned k = 0; k < c->nports && !p; k++)
				if (c->ports[k].ready_due)
					p = &c->ports[k];
			if (!p)
				return 0;
			p->ready_due = false;
			rc = send_ctl(c, p->id, VIRTIO_CONSOLE_PORT_READY, 1);
			if (rc)
				return rc;
			continue;
		}
		i = slot_of(b->c_rx, VCON_CTL_BUFS, tok);
		if (i < 0)
			continue;
		/* The ring has checked len against the buffer. */
		len = MIN(len, VCON_BUF_SIZE);
		memcpy(m, b->c_rx[i], len);
		rc = post_rx(c->c_rx, b->c_rx[i]);
		if (!rc)
			rc = vq_kick(c->c_rx);
		if (rc)
			return fail_vq(c, c->c_rx, rc, "control receiveq");
		rc = handle_ctl(c, m, len);
		if (rc)
			return rc;
	}
	return 0;
}

/* --- Bring-up ---------------------------------------------------------------- */

static int post_all(struct vcon *c, struct vq *vq, u8 (*bufs)[VCON_BUF_SIZE], unsigned n,
		    const char *what)
{
	int rc = 0;

	/* A queue smaller than the buffers gets as many as it holds. */
	for (unsigned i = 0; i < MIN(n, vq->num) && !rc; i++)
		rc = post_rx(vq, bufs[i]);
	if (!rc)
		rc = vq_kick(vq);
	return rc ? fail_vq(c, vq, rc, what) : 0;
}

static bool ready_due(const struct vcon *c)
{
	for (unsigned i = 0; i < c->nports; i++)
		if (c->ports[i].ready_due)
			return true;
	return false;
}

static int setup(struct vcon *c)
{
	struct virtio_dev *dev = c->dev;
	/* IN_ORDER would hide the length of a buffer used in a batch, and the
	 * used length is how many bytes a receive buffer holds. */
	u64 wanted = VIRTIO_BIT(VIRTIO_CONSOLE_F_SIZE) | VIRTIO_BIT(VIRTIO_CONSOLE_F_MULTIPORT) |
		     (VIRTIO_RING_FEATURES & ~VIRTIO_BIT(VIRTIO_F_IN_ORDER));
	u64 deadline, quiet;
	int err;

	if (dev->device_id != VIRTIO_ID_CONSOLE)
		return fail(c, -VERR_NOTSUP, "not a console device");
	err = dev->ops->negotiate(dev, wanted);
	if (err)
		return fail_dev(c, err, "negotiate");
	c->multiport = virtio_has(dev, VIRTIO_CONSOLE_F_MULTIPORT);
	err = dev->ops->setup_vq(dev, VCON_Q_RX, 0, &c->rx);
	if (!err)
		err = dev->ops->setup_vq(dev, VCON_Q_TX, 0, &c->tx);
	if (!err && c->multiport)
		err = dev->ops->setup_vq(dev, VCON_Q_CRX, 0, &c->c_rx);
	if (!err && c->multiport)
		err = dev->ops->setup_vq(dev, VCON_Q_CTX, 0, &c->c_tx);
	if (err)
		return fail_dev(c, err, "queues");
	err = dev->ops->setup_irq(dev);
	if (err)
		return fail_dev(c, err, "interruptions");
	/* cols and rows are valid with F_SIZE, max_nr_ports with MULTIPORT
	 * (virtio 1.3, 5.3.4). */
	if (virtio_has(dev, VIRTIO_CONSOLE_F_SIZE)) {
		err = virtio_cread16(dev, 0, &c->cols);
		if (!err)
			err = virtio_cread16(dev, 2, &c->rows);
		if (err)
			return fail_dev(c, err, "cols and rows");
	}
	if (c->multiport) {
		err = virtio_cread32(dev, 4, &c->max_ports);
		if (err)
			return fail_dev(c, err, "max_nr_ports");
		if (!c->max_ports)
			return fail(c, -VERR_PROTO, "max_nr_ports 0");
	} else {
		/* A single port, there from the start (virtio 1.3, 5.3.5). */
		c->max_ports = 1;
		c->port0_added = true;
		c->host_connected = true;
	}
	c->bufs = port_dma_alloc(sizeof(*c->bufs), 8);
	if (!c->bufs)
		return fail(c, -VERR_NOMEM, "buffers");
	err = dev->ops->set_status(dev, (u8)(dev->status | VIRTIO_STATUS_DRIVER_OK));
	if (err)
		return fail_dev(c, err, "DRIVER_OK");
	err = post_all(c, c->rx, c->bufs->rx, VCON_RX_BUFS, "receiveq");
	if (err || !c->multiport)
		return err;
	/* Control buffers first: a device may drop a control message that
	 * finds none (QEMU does). */
	err = post_all(c, c->c_rx, c->bufs->c_rx, VCON_CTL_BUFS, "control receiveq");
	if (!err)
		err = send_ctl(c, 0, VIRTIO_CONSOLE_DEVICE_READY, 1);
	/* The announcements: a device adds its ports when it likes (QEMU at
	 * once), and may add none; they have ended when nothing has come for
	 * VCON_SETTLE_US and every port has been answered. */
	deadline = port_now_us() + VCON_TIMEOUT_US;
	quiet = port_now_us() + VCON_SETTLE_US;
	for (unsigned round = 0; !err; round++) {
		unsigned seen = c->ctl_seen;
		u64 now;

		err = pump_ctl(c);
		now = port_now_us();
		if (err)
			break;
		if (c->ctl_seen != seen)
			quiet = now + VCON_SETTLE_US;
		if (now >= quiet && !ready_due(c))
			break;
		if (now >= deadline || round == VCON_SETUP_ROUNDS)
			return fail(c, -VERR_PROTO, "control messages without end");
		err = vcon_wait(c, W_CRX, MIN(quiet, deadline));
		err = err < 0 ? err : 0;
	}
	return err;
}

int vcon_init(struct vcon *c, struct virtio_dev *dev)
{
	int err;

	/* The caller's structure may hold anything: start from nothing (the
	 * buffers are taken anew). */
	memset(c, 0, sizeof(*c));
	c->dev = dev;
	err = setup(c);
	if (err) {
		virtio_abandon(dev);
		c->rx = c->tx = c->c_rx = c->c_tx = NULL;
	}
	return err;
}

/* --- Output ------------------------------------------------------------------- */

/* Collect the transmit buffers the device has used. */
static int reap_tx(struct vcon *c)
{
	struct vcon_buf *b = c->bufs;
	void *tok;
	u32 len;
	int rc;

	while ((rc = vq_get_used(c->tx, &tok, &len)) == 1) {
		int i = slot_of(b->tx, VCON_TX_BUFS, tok);

		if (i < 0 || !(b->tx_busy & (1u << i)))
			continue;
		b->tx_busy &= (u8)~(1u << i);
		c->out_bytes += b->tx_len[i];
	}
	return rc < 0 ? fail_vq(c, c->tx, rc, "transmitq") : 0;
}

int vcon_write(struct vcon *c, const void *buf, size_t len)
{
	struct vcon_buf *b = c->bufs;
	const u8 *p = buf;
	u64 deadline = port_now_us() + VCON_TIMEOUT_US;
	bool last = false;
	int rc;

	if (!c->tx || !b)
		return fail(c, -VERR_NODEV, "not set up");
	if (len && !buf)
		return fail(c, -VERR_INVAL, "no buffer");
	for (;;) {
		bool added = false;

		rc = reap_tx(c);
		if (!rc)
			rc = pump_ctl(c);
		if (rc)
			return rc;
		if (!len && !b->tx_busy)
			return 0;
		if (len && !c->port0_added)
			return fail(c, -VERR_NODEV, "the device has no port 0");
		for (unsigned i = 0; i < VCON_TX_BUFS && len; i++) {
			u32 n = (u32)MIN(len, (size_t)VCON_BUF_SIZE);
			struct vq_buf vb = { port_dma_addr(b->tx[i]), n };

			if (b->tx_busy & (1u << i))
				continue;
			memcpy(b->tx[i], p, n);
			/* Device-readable only (virtio 1.3, 5.3.6.1). */
			rc = vq_add(c->tx, &vb, 1, 0, b->tx[i]);
			if (rc == -VERR_NOMEM)
				break;
			if (rc)
				return fail_vq(c, c->tx, rc, "transmitq");
			b->tx_busy |= (u8)(1u << i);
			b->tx_len[i] = (u16)n;
			p += n;
			len -= n;
			added = true;
		}
		if (added) {
			rc = vq_kick(c->tx);
			if (rc)
				return fail_vq(c, c->tx, rc, "transmitq");
			/* The bound is on progress: a long write may take longer. */
			deadline = port_now_us() + VCON_TIMEOUT_US;
			last = false;
			continue;
		}
		if (last)
			return fail(c, -VERR_TIMEOUT, "output not taken");
		rc = vcon_wait(c, W_TX | W_CRX, deadline);
		if (rc < 0)
			return rc;
		last = rc == 0 || port_now_us() >= deadline;
	}
}

/* --- Input -------------------------------------------------------------------- */

/*
 * Move one used receive buffer into pending (which must be empty) and give
 * the buffer back. Returns 1, 0 when none is used (or only empty ones, a
 * ring's worth at most), or an error.
 */
static int take_rx(struct vcon *c)
{
	struct vcon_buf *b = c->bufs;

	for (unsigned n = 0; n < VCON_RX_BUFS; n++) {
		void *tok;
		u32 len;
		int rc = vq_get_used(c->rx, &tok, &len);
		int i;

		if (rc <= 0)
			return rc < 0 ? fail_vq(c, c->rx, rc, "receiveq") : 0;
		i = slot_of(b->rx, VCON_RX_BUFS, tok);
		if (i < 0)
			continue;
		/* The used length says what is valid; the ring has checked it
		 * against the buffer. An empty buffer is simply reposted. */
		len = MIN(len, VCON_BUF_SIZE);
		memcpy(c->pending, b->rx[i], len);
		c->pending_off = 0;
		c->pending_len = len;
		c->in_bytes += len;
		rc = post_rx(c->rx, b->rx[i]);
		if (!rc)
			rc = vq_kick(c->rx);
		if (rc)
			return fail_vq(c, c->rx, rc, "receiveq");
		if (len)
			return 1;
	}
	return 0;
}

/* Wait until pending holds bytes: 1, 0 at the deadline, or an error.
 * Control messages are handled meanwhile. */
static int fill(struct vcon *c, u64 deadline)
{
	for (bool last = false;;) {
		int rc;

		if (c->pending_len)
			return 1;
		rc = pump_ctl(c);
		if (rc)
			return rc;
		rc = take_rx(c);
		if (rc)
			return rc;
		if (last)
			return 0;
		rc = vcon_wait(c, W_RX | W_CRX, deadline);
		if (rc < 0)
			return rc;
		last = rc == 0 || port_now_us() >= deadline;
	}
}

static int next_byte(struct vcon *c, u8 *out, u64 deadline)
{
	int rc = fill(c, deadline);

	if (rc <= 0)
		return rc;
	*out = c->pending[c->pending_off++];
	c->pending_len--;
	return 1;
}

int vcon_read(struct vcon *c, void *buf, size_t size, u64 deadline_us)
{
	struct vcon_buf *b = c->bufs;
	u8 *out = buf;
	size_t n = 0;

	if (!c->rx || !b)
		return fail(c, -VERR_NODEV, "not set up");
	if (!buf || !size)
		return fail(c, -VERR_INVAL, "no buffer");
	size = MIN(size, (size_t)0x7FFFFFFF);
	/* What read_line kept of an unfinished line comes first. */
	if (b->keep_len) {
		n = MIN(size, (size_t)b->keep_len);
		memcpy(out, b->keep, n);
		memmove(b->keep, b->keep + n, b->keep_len - n);
		b->keep_len -= (unsigned)n;
		b->keep_lost = b->keep_lost && b->keep_len;
		return (int)n;
	}
	for (;;) {
		size_t run;
		int rc = fill(c, deadline_us);

		if (rc <= 0)
			return n ? (int)n : rc;
		if (b->skip_lf) {
			b->skip_lf = false;
			if (c->pending[c->pending_off] == '\n') {
				c->pending_off++;
				c->pending_len--;
				continue;
			}
		}
		run = MIN(size - n, (size_t)c->pending_len);
		memcpy(out + n, c->pending + c->pending_off, run);
		c->pending_off += (unsigned)run;
		c->pending_len -= (unsigned)run;
		n += run;
		/* More only when it is already there. */
		if (n == size || c->pending_len)
			return (int)n;
		rc = take_rx(c);
		if (rc <= 0)
			return (int)n;
	}
}

/* Drop bytes through the end of the current line: 1, 0 at the deadline,
 * or an error. */
static int skip_line(struct vcon *c, u64 deadline)
{
	struct vcon_buf *b = c->bufs;

	for (;;) {
		u8 ch;
		int rc = next_byte(c, &ch, deadline);

		if (rc <= 0)
			return rc;
		if (b->skip_lf) {
			b->skip_lf = false;
			if (ch == '\n')
				continue;
		}
		if (ch == '\n' || ch == '\r') {
			b->skip_lf = ch == '\r';
			b->skipping = false;
			return 1;
		}
	}
}

/* The start of a line a timeout interrupted, for the next call. */
static void keep_partial(struct vcon *c, const char *line, size_t n)
{
	struct vcon_buf *b = c->bufs;

	b->keep_len = (unsigned)MIN(n, (size_t)VCON_KEEP);
	b->keep_lost = n > VCON_KEEP;
	memcpy(b->keep, line, b->keep_len);
}

int vcon_read_line(struct vcon *c, char *line, size_t size, u64 deadline_us)
{
	struct vcon_buf *b = c->bufs;
	size_t n = 0;
	int rc;

	if (!c->rx || !b)
		return fail(c, -VERR_NODEV, "not set up");
	if (!line || !size)
		return fail(c, -VERR_INVAL, "no buffer");
	size = MIN(size, (size_t)0x7FFFFFFF);
	line[0] = '\0';
	if (b->skipping) {
		rc = skip_line(c, deadline_us);
		if (rc <= 0)
			return rc ? rc : fail(c, -VERR_TIMEOUT, "no line end");
	}
	if (b->keep_len || b->keep_lost) {
		if (b->keep_lost || b->keep_len > size - 1) {
			/* The start of this line does not fit: it goes, and
			 * the rest of it with it. */
			b->keep_len = 0;
			b->keep_lost = false;
			b->skipping = true;
			return fail(c, -VERR_RANGE, "line too long");
		}
		memcpy(line, b->keep, b->keep_len);
		n = b->keep_len;
		b->keep_len = 0;
	}
	for (;;) {
		u8 ch;

		rc = next_byte(c, &ch, deadline_us);
		if (rc <= 0) {
			keep_partial(c, line, n);
			line[0] = '\0';
			return rc ? rc : fail(c, -VERR_TIMEOUT, "no line");
		}
		if (b->skip_lf) {
			b->skip_lf = false;
			if (ch == '\n')
				continue;
		}
		/* "\n", "\r\n" and "\r" each end a line. */
		if (ch == '\n' || ch == '\r') {
			b->skip_lf = ch == '\r';
			break;
		}
		if (n == size - 1) {
			line[n] = '\0';
			b->skipping = true;
			return fail(c, -VERR_RANGE, "line too long");
		}
		line[n++] = (char)ch;
	}
	line[n] = '\0';
	return (int)n;
}
