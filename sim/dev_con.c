/*
 * The simulated virtio-console device (virtio 1.3, 5.3) as QEMU 7.2's
 * virtio-serial with an optional virtconsole on port 0: its identity
 * (platforms.md 12.3-12.5), the device side of the multiport control
 * protocol, port 0's output to a file descriptor, its input from one (read
 * while the CPU waits) or from the caller, and the emergency write.
 */
#define _GNU_SOURCE /* ppoll(): a wait in microseconds */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ring/virtio.h"  /* status bits, VIRTIO_ID_CONSOLE */
#include "sim/vdev_priv.h"

/* Feature bits (virtio 1.3, 5.3.3). */
#define CON_F_MULTIPORT 1
#define CON_F_EMERG_WRITE 2

/* Control events (virtio 1.3, 5.3.6.2). */
#define CTL_DEVICE_READY 0
#define CTL_PORT_ADD 1
#define CTL_PORT_REMOVE 2
#define CTL_PORT_READY 3
#define CTL_CONSOLE_PORT 4
#define CTL_RESIZE 5
#define CTL_PORT_OPEN 6
#define CTL_PORT_NAME 7

#define CON_CTL_LEN 8        /* le32 id, le16 event, le16 value */
#define CON_CONFIG_LEN 12    /* cols, rows, max_nr_ports, emerg_wr */
#define CON_EMERG_OFF 8      /* emerg_wr */
#define CON_DEFAULT_PORTS 31 /* QEMU's max_ports */
#define CON_RX_QUEUE 0       /* port 0 receive */
#define CON_TX_QUEUE 1       /* port 0 transmit */
#define CON_CTL_RX_QUEUE 2   /* control receive (device to driver) */
#define CON_CTL_TX_QUEUE 3   /* control transmit (driver to device) */
#define CON_PORT_QMAX 128    /* QEMU's port queue size (platforms.md 12.4) */
#define CON_CTL_QMAX 32      /* ... and control queue size */
#define CON_IN_MAX 16384u    /* input held for the driver */
#define CON_CTL_MAX 64u      /* control messages held for the driver */

/* A control message the device owes the driver. */
struct con_ctl {
	u32 id;
	u16 event, value;
};

struct sim_con {
	struct sim_virtio_model model;
	struct sim *sim;
	struct sim_vccw *dev;
	u16 *queue_max;
	u32 max_ports;
	int out_fd, in_fd;
	bool own_fds;
	bool console_port;
	bool host_connected; /* the back-end end of port 0 is open */
	bool in_eof;
	/* Port 0 as the control protocol left it. */
	bool port_added;      /* PORT_ADD sent */
	bool guest_ready;     /* PORT_READY 1 received */
	bool guest_connected; /* PORT_OPEN 1 received */
	struct con_ctl ctl[CON_CTL_MAX];
	unsigned ctl_head, ctl_count;
	/* Input not yet delivered: a ring of in_len bytes from in_head. */
	u8 in[CON_IN_MAX];
	size_t in_head, in_len;
	struct sim_con_stats stats;
};

/* The transport state that decides what the model may do. */
struct con_view {
	bool ok;        /* DRIVER_OK: the device may use buffers (virtio 1.3, 3.1.1) */
	bool multiport; /* MULTIPORT negotiated: control queues and PORT_OPEN matter */
	bool le;        /* VERSION_1: little-endian control messages and config */
};

static struct con_view view(const struct sim_con *c)
{
	struct sim_vccw_state st;

	sim_vccw_get_state(c->dev, &st);
	return (struct con_view){
		.ok = (st.status & VIRTIO_STATUS_DRIVER_OK) &&
		      !(st.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET),
		.multiport = (st.driver_features >> CON_F_MULTIPORT) & 1,
		.le = (st.driver_features >> VIRTIO_F_VERSION_1) & 1,
	};
}

/* Port 0 exists as a virtconsole, or as the only port without MULTIPORT. */
static bool port0_exists(const struct sim_con *c, const struct con_view *v)
{
	return !v->multiport || c->console_port;
}

static void write_all(int fd, const u8 *p, size_t n)
{
	while (fd >= 0 && n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* a back-end that fails loses the output, as a closed chardev */
		p += w;
		n -= (size_t)w;
	}
}

/* --- Input for port 0 ------------------------------------------------------ */

/*
 * Move held input into port 0's posted receive buffers. With MULTIPORT only
 * once the driver has opened the port: QEMU hands a port's input only to a
 * connected guest. Returns true when a buffer was used.
 */
static bool con_deliver(struct sim_con *c)
{
	struct con_view v = view(c);
	struct vq_seg seg[SIM_VDEV_MAX_SEGS];
	struct vq_chain ch = { .seg = seg, .cap = SIM_VDEV_MAX_SEGS };
	struct vqd *vqd;
	bool used = false;
	int rc = 0;

	if (!c->in_len || !v.ok || !port0_exists(c, &v) || (v.multiport && !c->guest_connected))
		return false;
	vqd = sim_vccw_vqd(c->dev, CON_RX_QUEUE);
	if (!vqd)
		return false;
	do {
		rc = 0;
		while (c->in_len && (rc = vqd_pop(vqd, &ch)) == 1) {
			u32 n = 0;

			/* Only the device-writable part counts (virtio 1.3, 5.3.6.1). */
			while ((u64)n < ch.in_len && c->in_len) {
				size_t run = MIN(c->in_len, (size_t)CON_IN_MAX - c->in_head);

				run = MIN(run, (size_t)(ch.in_len - n));
				sim_vdev_copy(&ch, true, n, c->in + c->in_head, (u32)run);
				n += (u32)run;
				c->in_head = (c->in_head + run) % CON_IN_MAX;
				c->in_len -= run;
			}
			vqd_push(vqd, &ch, n);
			c->stats.in_bytes += n;
			used = true;
		}
		/* Out of buffers with input left: ask to hear of new ones. */
	} while (rc == 0 && c->in_len && !vqd_enable_notify(vqd));
	if (rc < 0)
		sim_vccw_needs_reset(c->dev);
	if (used)
		sim_vccw_queue_done(c->dev, CON_RX_QUEUE);
	return used;
}

int sim_con_input(struct sim_con *c, const void *buf, size_t len)
{
	const u8 *p = buf;

	if (len > CON_IN_MAX - c->in_len)
		return -1;
	while (len) {
		size_t tail = (c->in_head + c->in_len) % CON_IN_MAX;
		size_t run = MIN(len, (size_t)CON_IN_MAX - tail);

		memcpy(c->in + tail, p, run);
		c->in_len += run;
		p += run;
		len -= run;
	}
	con_deliver(c);
	return 0;
}

/*
 * The poller: input from in_fd while the CPU waits. Nothing to read (end of
 * file, or the input buffer full because the driver is not reading) still
 * takes the budget, so the machine's clock keeps pace with real time.
 */
static bool con_poll(void *ctx, u64 budget_us)
{
	struct sim_con *c = ctx;
	struct timespec ts = { (time_t)(budget_us / 1000000u), (long)(budget_us % 1000000u) * 1000 };
	struct pollfd pfd = { .fd = c->in_fd, .events = POLLIN };
	size_t tail, run;
	ssize_t got;

	if (c->in_eof || c->in_len == CON_IN_MAX) {
		if (budget_us)
			ppoll(NULL, 0, &ts, NULL);
		return false;
	}
	if (ppoll(&pfd, 1, &ts, NULL) <= 0)
		return false;
	tail = (c->in_head + c->in_len) % CON_IN_MAX;
	run = MIN((size_t)CON_IN_MAX - c->in_len, (size_t)CON_IN_MAX - tail);
	got = read(c->in_fd, c->in + tail, run);
	if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN))
		c->in_eof = true;
	if (got > 0)
		c->in_len += (size_t)got;
	return con_deliver(c);
}

/* --- Control protocol, device side (virtio 1.3, 5.3.6.2) --------------------- */

static void ctl_queue(struct sim_con *c, u32 id, u16 event, u16 value)
{
	/* Bounded: a driver that never posts control buffers loses the rest. */
	if (c->ctl_count == CON_CTL_MAX)
		return;
	c->ctl[(c->ctl_head + c->ctl_count++) % CON_CTL_MAX] = (struct con_ctl){ id, event, value };
}

/* Held control messages into the driver's control receive buffers. */
static void ctl_flush(struct sim_con *c)
{
	struct con_view v = view(c);
	struct vq_seg seg[SIM_VDEV_MAX_SEGS];
	struct vq_chain ch = { .seg = seg, .cap = SIM_VDEV_MAX_SEGS };
	struct vqd *vqd = sim_vccw_vqd(c->dev, CON_CTL_RX_QUEUE);
	bool used = false;
	int rc = 0;

	if (!vqd || !v.ok || !v.multiport)
		return;
	do {
		rc = 0;
		while (c->ctl_count && (rc = vqd_pop(vqd, &ch)) == 1) {
			const struct con_ctl *m = &c->ctl[c->ctl_head];
			u8 b[CON_CTL_LEN];

			used = true;
			/* A buffer too small for a message goes back empty;
			 * the message waits for the next one. */
			if (ch.in_len < CON_CTL_LEN) {
				vqd_push(vqd, &ch, 0);
				continue;
			}
			sim_vdev_put(b, 4, m->id, v.le);
			sim_vdev_put(b + 4, 2, m->event, v.le);
			sim_vdev_put(b + 6, 2, m->value, v.le);
			sim_vdev_copy(&ch, true, 0, b, CON_CTL_LEN);
			vqd_push(vqd, &ch, CON_CTL_LEN);
			c->ctl_head = (c->ctl_head + 1) % CON_CTL_MAX;
			c->ctl_count--;
		}
	} while (rc == 0 && c->ctl_count && !vqd_enable_notify(vqd));
	if (rc < 0)
		sim_vccw_needs_reset(c->dev);
	if (used)
		sim_vccw_queue_done(c->dev, CON_CTL_RX_QUEUE);
}

/*
 * One message from the driver. Returns false for one the device does not
 * accept: an event only the device sends, an unknown event, a port that
 * does not exist, a value other than 0 or 1.
 */
static bool ctl_from_driver(struct sim_con *c, const struct con_view *v, u32 id, u16 event,
			    u16 value)
{
	/* Only port 0 is ever added, and only as a virtconsole. */
	bool port_ok = id == 0 && c->console_port;

	if (value > 1)
		return false;
	switch (event) {
	case CTL_DEVICE_READY:
		/* Value 0: the driver failed to initialise; QEMU only notes it. */
		if (value && port0_exists(c, v)) {
			c->port_added = true;
			ctl_queue(c, 0, CTL_PORT_ADD, 1);
		}
		return true;
	case CTL_PORT_READY:
		if (!port_ok)
			return false;
		c->guest_ready = value;
		if (value && c->console_port)
			ctl_queue(c, id, CTL_CONSOLE_PORT, 1);
		if (value && c->host_connected)
			ctl_queue(c, id, CTL_PORT_OPEN, 1);
		return true;
	case CTL_PORT_OPEN:
		if (!port_ok)
			return false;
		c->guest_connected = value;
		c->stats.port_open = value;
		return true;
	default:
		return false;
	}
}

static u32 ctl_request(void *ctx, struct vq_chain *ch)
{
	struct sim_con *c = ctx;
	struct con_view v = view(c);
	u8 b[CON_CTL_LEN];

	/* A control message is device-readable only and at least the header
	 * long (virtio 1.3, 5.3.6.2); extra bytes are ignored, as QEMU does. */
	if (ch->out_len < CON_CTL_LEN || ch->in_len) {
		c->stats.control_bad++;
		return 0;
	}
	sim_vdev_copy(ch, false, 0, b, CON_CTL_LEN);
	if (ctl_from_driver(c, &v, (u32)sim_vdev_get(b, 4, v.le), (u16)sim_vdev_get(b + 4, 2, v.le),
			    (u16)sim_vdev_get(b + 6, 2, v.le)))
		c->stats.control_msgs++;
	else
		c->stats.control_bad++;
	return 0;
}

/* --- Queues ---------------------------------------------------------------- */

static u32 tx_request(void *ctx, struct vq_chain *ch)
{
	struct sim_con *c = ctx;

	/* Only device-readable buffers carry output (virtio 1.3, 5.3.6.1). */
	for (unsigned i = 0; i < ch->nseg; i++)
		if (!ch->seg[i].write && ch->seg[i].len)
			write_all(c->out_fd, ch->seg[i].ptr, ch->seg[i].len);
	c->stats.out_bytes += ch->out_len;
	return 0;
}

/*
 * Serve every request of a queue, then ask for the next notification: with
 * EVENT_IDX a driver notifies only when its index passes the one the
 * device asked for (virtio 1.3, 2.7.10), and sim_vdev_serve() does not
 * ask. A request that came meanwhile is served too.
 */
static void serve(struct sim_vccw *d, unsigned q, sim_vdev_serve_fn fn, void *ctx)
{
	struct vqd *v;

	do {
		sim_vdev_serve(d, q, fn, ctx);
		v = sim_vccw_vqd(d, q);
	} while (v && !vqd_enable_notify(v));
}

static u32 discard(void *ctx, struct vq_chain *ch)
{
	(void)ctx;
	(void)ch;
	return 0;
}

static void con_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct sim_con *c = ctx;
	struct con_view v = view(c);

	switch (q) {
	case CON_RX_QUEUE:
		/* New receive buffers: held input can go. */
		con_deliver(c);
		break;
	case CON_TX_QUEUE:
		serve(d, q, port0_exists(c, &v) ? tx_request : discard, c);
		break;
	case CON_CTL_RX_QUEUE:
		ctl_flush(c);
		break;
	case CON_CTL_TX_QUEUE:
		if (!v.multiport) {
			serve(d, q, discard, c);
			break;
		}
		serve(d, q, ctl_request, c);
		ctl_flush(c);
		con_deliver(c); /* the port may just have been opened */
		break;
	default:
		/* Ports 1 and up are never added: what the driver sends there
		 * goes nowhere, its receive buffers stay. */
		if (q & 1)
			serve(d, q, discard, c);
		break;
	}
}

/* --- Configuration, reset, life cycle --------------------------------------- */

static void con_read_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	struct sim_con *c = ctx;
	u8 b[CON_CONFIG_LEN];

	/* cols and rows stay 0: QEMU does not offer F_SIZE (platforms.md 12.5);
	 * emerg_wr reads 0. */
	memset(b, 0, sizeof(b));
	sim_vdev_put(b + 4, 4, c->max_ports, le);
	memcpy(buf, b, MIN(len, (unsigned)sizeof(b)));
}

/*
 * WRITE_CONF always starts at offset 0 (platforms.md 12.5). A write that
 * reaches the low byte of a non-zero emerg_wr sends that byte to port 0's
 * output, at any time, even before the device is set up (virtio 1.3,
 * 5.3.4; platforms.md 12.9). A zero emerg_wr is a write of the other
 * fields, which are read-only and ignored.
 */
static void con_write_config(void *ctx, const u8 *buf, unsigned len, bool le)
{
	struct sim_con *c = ctx;
	unsigned low = le ? CON_EMERG_OFF : CON_EMERG_OFF + 3;
	u8 ch;

	if (len <= low)
		return;
	if (len >= CON_EMERG_OFF + 4 ? !sim_vdev_get(buf + CON_EMERG_OFF, 4, le) : !buf[low])
		return;
	ch = buf[low];
	write_all(c->out_fd, &ch, 1);
	c->stats.emerg_bytes++;
}

/* Status 0 or VDEV_RESET: the driver's view of the ports is gone. Input
 * the back-end already gave stays for the next driver. */
static void con_reset(void *ctx)
{
	struct sim_con *c = ctx;

	c->port_added = false;
	c->guest_ready = false;
	c->guest_connected = false;
	c->stats.port_open = false;
	c->ctl_head = 0;
	c->ctl_count = 0;
}

static void con_destroy(void *ctx)
{
	struct sim_con *c = ctx;

	if (c->own_fds) {
		if (c->in_fd >= 0)
			close(c->in_fd);
		if (c->out_fd >= 0 && c->out_fd != c->in_fd)
			close(c->out_fd);
	}
	free(c->queue_max);
	free(c);
}

long sim_vdev_console(struct sim *sim, const struct sim_dev_config *dev,
		      const struct sim_vccw_config *transport, const struct sim_con_opts *opts,
		      char *why)
{
	static const struct sim_con_opts defaults = { -1, -1, false, true, 0 };
	struct sim_con *c;
	unsigned nq;
	long schid;

	if (!opts)
		opts = &defaults;
	c = calloc(1, sizeof(*c));
	if (!c)
		goto out_nomem;
	c->sim = sim;
	c->max_ports = opts->max_ports ? opts->max_ports : CON_DEFAULT_PORTS;
	/* Two queues per port, and two control queues with MULTIPORT, which
	 * QEMU offers only with more than one port. */
	nq = c->max_ports > 1 ? 2 * c->max_ports + 2 : 2;
	if (c->max_ports > VCCW_QUEUE_LIMIT / 2 - 1) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "max_ports %u: more queues than virtio-ccw allows",
				 c->max_ports);
		free(c);
		return -1;
	}
	c->queue_max = calloc(nq, sizeof(*c->queue_max));
	if (!c->queue_max)
		goto out_nomem;
	for (unsigned q = 0; q < nq; q++)
		c->queue_max[q] = (q == CON_CTL_RX_QUEUE || q == CON_CTL_TX_QUEUE) && nq > 2
					  ? CON_CTL_QMAX
					  : CON_PORT_QMAX;
	c->out_fd = opts->out_fd;
	c->in_fd = opts->in_fd;
	c->own_fds = opts->own_fds;
	c->console_port = opts->console_port;
	/* QEMU: a port backed by a chardev is connected on the host side;
	 * a virtconsole always is. */
	c->host_connected = c->console_port || c->out_fd >= 0 || c->in_fd >= 0;
	c->model = (struct sim_virtio_model){
		.device_id = VIRTIO_ID_CONSOLE,
		.features = VIRTIO_BIT(CON_F_EMERG_WRITE) |
			    (c->max_ports > 1 ? VIRTIO_BIT(CON_F_MULTIPORT) : 0),
		.nqueues = nq,
		.queue_max = c->queue_max,
		.config_len = CON_CONFIG_LEN,
		.read_config = con_read_config,
		.write_config = con_write_config,
		.queue_notify = con_notify,
		.reset = con_reset,
		.destroy = con_destroy,
	};
	schid = sim_vdev_attach(sim, dev, transport, &c->model, c, &c->dev);
	if (schid < 0) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "cannot attach the device");
		free(c->queue_max);
		free(c);
		return -1;
	}
	/* From here the machine owns c: it goes with the device. */
	if (c->in_fd >= 0 && sim_add_poller(sim, con_poll, c) < 0) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "no poller left for the input descriptor");
		if (c->own_fds)
			close(c->in_fd);
		c->in_fd = -1;
		return -1;
	}
	return schid;

out_nomem:
	if (why)
		snprintf(why, SIM_WHY_LEN, "out of memory");
	if (c)
		free(c->queue_max);
	free(c);
	return -1;
}

struct sim_con *sim_con_find(struct sim *sim, u32 schid)
{
	struct sim_vccw *d = sim_vccw_find(sim, schid);

	/* Ours: the device runs a model whose queue handler is this file's. */
	if (!d || sim_vccw_model(d)->queue_notify != con_notify)
		return NULL;
	return sim_vccw_ctx(d);
}

void sim_con_get_stats(const struct sim_con *c, struct sim_con_stats *out)
{
	*out = c->stats;
}
