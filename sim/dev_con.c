/*
 * The simulated virtio-console device (virtio 1.3, 5.3) as QEMU 7.2's
 * virtio-serial with its ports (virtconsole, virtserialport, or none): its
 * identity (platforms.md 12.3-12.5), the device side of the multiport
 * control protocol with port names, each port's output to a file
 * descriptor and its input from one (read while the CPU waits) or, port 0,
 * from the caller, and the emergency write.
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
#define CON_RX_QUEUE 0       /* port 0 receive; port n > 0: 2n + 2 */
#define CON_TX_QUEUE 1       /* port 0 transmit; port n > 0: 2n + 3 */
#define CON_CTL_RX_QUEUE 2   /* control receive (device to driver) */
#define CON_CTL_TX_QUEUE 3   /* control transmit (driver to device) */
#define CON_NAME_MAX 128u    /* bytes of a port name sent, its NUL included */
#define CON_PORT_QMAX 128    /* QEMU's port queue size (platforms.md 12.4) */
#define CON_CTL_QMAX 32      /* ... and control queue size */
#define CON_IN_MAX 16384u    /* input held for the driver */
#define CON_CTL_MAX 64u      /* control messages held for the driver */

/* A control message the device owes the driver; PORT_NAME carries the name. */
struct con_ctl {
	u32 id;
	u16 event, value;
	const char *name;
};

struct sim_con;

/* One port and what the control protocol has said of it. */
struct con_port {
	struct sim_con *c;
	u32 nr;
	bool console;
	char *name;
	int out_fd, in_fd;
	bool own_fds;
	bool host_connected;  /* the back-end end is open */
	bool in_eof;
	bool added;           /* PORT_ADD sent */
	bool guest_ready;     /* PORT_READY 1 received */
	bool guest_connected; /* PORT_OPEN 1 received */
	/* Input not yet delivered: a ring of in_len bytes from in_head. */
	u8 *in;
	size_t in_head, in_len;
	u64 out_bytes, in_bytes;
};

struct sim_con {
	struct sim_virtio_model model;
	struct sim *sim;
	struct sim_vccw *dev;
	u16 *queue_max;
	u32 max_ports;
	bool multiport;
	struct con_port *ports;
	unsigned nports;
	struct con_ctl ctl[CON_CTL_MAX];
	unsigned ctl_head, ctl_count;
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

static struct con_port *port_by_nr(struct sim_con *c, u32 nr)
{
	for (unsigned i = 0; i < c->nports; i++)
		if (c->ports[i].nr == nr)
			return &c->ports[i];
	return NULL;
}

/*
 * The port a data queue belongs to, if it can carry data: without
 * MULTIPORT only port 0 exists (virtio 1.3, 5.3.5), whatever was
 * configured; with it, a port the device has.
 */
static struct con_port *queue_port(struct sim_con *c, const struct con_view *v, unsigned q,
				   bool *tx)
{
	u32 nr;

	if (q == CON_CTL_RX_QUEUE || q == CON_CTL_TX_QUEUE)
		return NULL;
	nr = q < 2 ? 0 : (q - 2) / 2;
	*tx = q & 1;
	if (!v->multiport && nr)
		return NULL;
	return port_by_nr(c, nr);
}

static unsigned rx_queue(u32 nr)
{
	return nr ? 2 * nr + 2 : CON_RX_QUEUE;
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

/* --- Input for a port ------------------------------------------------------ */

/*
 * Move held input into the port's posted receive buffers. With MULTIPORT
 * only once the driver has opened the port: QEMU hands a port's input only
 * to a connected guest. Returns true when a buffer was used.
 */
static bool con_deliver(struct con_port *p)
{
	struct sim_con *c = p->c;
	struct con_view v = view(c);
	struct vq_seg seg[SIM_VDEV_MAX_SEGS];
	struct vq_chain ch = { .seg = seg, .cap = SIM_VDEV_MAX_SEGS };
	unsigned q = rx_queue(p->nr);
	struct vqd *vqd;
	bool used = false;
	int rc = 0;

	if (!p->in_len || !v.ok || (v.multiport ? !p->guest_connected : p->nr != 0))
		return false;
	vqd = sim_vccw_vqd(c->dev, q);
	if (!vqd)
		return false;
	do {
		rc = 0;
		while (p->in_len && (rc = vqd_pop(vqd, &ch)) == 1) {
			u32 n = 0;

			/* Only the device-writable part counts (virtio 1.3, 5.3.6.1). */
			while ((u64)n < ch.in_len && p->in_len) {
				size_t run = MIN(p->in_len, (size_t)CON_IN_MAX - p->in_head);

				run = MIN(run, (size_t)(ch.in_len - n));
				sim_vdev_copy(&ch, true, n, p->in + p->in_head, (u32)run);
				n += (u32)run;
				p->in_head = (p->in_head + run) % CON_IN_MAX;
				p->in_len -= run;
			}
			vqd_push(vqd, &ch, n);
			p->in_bytes += n;
			if (p->nr == 0)
				c->stats.in_bytes += n;
			used = true;
		}
		/* Out of buffers with input left: ask to hear of new ones. */
	} while (rc == 0 && p->in_len && !vqd_enable_notify(vqd));
	if (rc < 0)
		sim_vccw_needs_reset(c->dev);
	if (used)
		sim_vccw_queue_done(c->dev, q);
	return used;
}

static bool port_input(struct con_port *p, const void *buf, size_t len)
{
	const u8 *s = buf;

	if (!p->in || len > CON_IN_MAX - p->in_len)
		return false;
	while (len) {
		size_t tail = (p->in_head + p->in_len) % CON_IN_MAX;
		size_t run = MIN(len, (size_t)CON_IN_MAX - tail);

		memcpy(p->in + tail, s, run);
		p->in_len += run;
		s += run;
		len -= run;
	}
	con_deliver(p);
	return true;
}

int sim_con_input(struct sim_con *c, const void *buf, size_t len)
{
	struct con_port *p = port_by_nr(c, 0);

	return p && port_input(p, buf, len) ? 0 : -1;
}

/*
 * The poller of a port with an input descriptor: its input while the CPU
 * waits. Nothing to read (end of file, or the input buffer full because
 * the driver is not reading) still takes the budget, so the machine's
 * clock keeps pace with real time.
 */
static bool con_poll(void *ctx, u64 budget_us)
{
	struct con_port *p = ctx;
	struct timespec ts = { (time_t)(budget_us / 1000000u), (long)(budget_us % 1000000u) * 1000 };
	struct pollfd pfd = { .fd = p->in_fd, .events = POLLIN };
	size_t tail, run;
	ssize_t got;

	if (p->in_eof || p->in_len == CON_IN_MAX) {
		if (budget_us)
			ppoll(NULL, 0, &ts, NULL);
		return false;
	}
	if (ppoll(&pfd, 1, &ts, NULL) <= 0)
		return false;
	tail = (p->in_head + p->in_len) % CON_IN_MAX;
	run = MIN((size_t)CON_IN_MAX - p->in_len, (size_t)CON_IN_MAX - tail);
	got = read(p->in_fd, p->in + tail, run);
	if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN))
		p->in_eof = true;
	if (got > 0)
		p->in_len += (size_t)got;
	return con_deliver(p);
}

/* --- Control protocol, device side (virtio 1.3, 5.3.6.2) --------------------- */

static void ctl_queue(struct sim_con *c, u32 id, u16 event, u16 value, const char *name)
{
	/* Bounded: a driver that never posts control buffers loses the rest. */
	if (c->ctl_count == CON_CTL_MAX)
		return;
	c->ctl[(c->ctl_head + c->ctl_count++) % CON_CTL_MAX] =
		(struct con_ctl){ id, event, value, name };
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
			u8 b[CON_CTL_LEN + CON_NAME_MAX];
			u32 len = CON_CTL_LEN;

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
			/* PORT_NAME: the name with its NUL, as QEMU sends it, cut
			 * to what the buffer holds. */
			if (m->name) {
				u32 n = (u32)strnlen(m->name, CON_NAME_MAX - 1);

				memcpy(b + CON_CTL_LEN, m->name, n);
				b[CON_CTL_LEN + n] = 0;
				len = (u32)MIN((u64)CON_CTL_LEN + n + 1, ch.in_len);
			}
			sim_vdev_copy(&ch, true, 0, b, len);
			vqd_push(vqd, &ch, len);
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
static bool ctl_from_driver(struct sim_con *c, u32 id, u16 event, u16 value)
{
	struct con_port *p = port_by_nr(c, id);

	if (value > 1)
		return false;
	switch (event) {
	case CTL_DEVICE_READY:
		/* Value 0: the driver failed to initialise; QEMU only notes it.
		 * Else every port is announced, in the order the ports were
		 * made, as QEMU keeps them. */
		if (!value)
			return true;
		for (unsigned i = 0; i < c->nports; i++) {
			c->ports[i].added = true;
			ctl_queue(c, c->ports[i].nr, CTL_PORT_ADD, 1, NULL);
		}
		return true;
	case CTL_PORT_READY:
		if (!p || !p->added)
			return false;
		p->guest_ready = value;
		/* QEMU: the driver refusing a port is only reported. */
		if (!value)
			return true;
		if (p->console)
			ctl_queue(c, id, CTL_CONSOLE_PORT, 1, NULL);
		if (p->name)
			ctl_queue(c, id, CTL_PORT_NAME, 1, p->name);
		if (p->host_connected)
			ctl_queue(c, id, CTL_PORT_OPEN, 1, NULL);
		return true;
	case CTL_PORT_OPEN:
		if (!p || !p->added)
			return false;
		p->guest_connected = value;
		if (id == 0)
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
	if (ctl_from_driver(c, (u32)sim_vdev_get(b, 4, v.le), (u16)sim_vdev_get(b + 4, 2, v.le),
			    (u16)sim_vdev_get(b + 6, 2, v.le)))
		c->stats.control_msgs++;
	else
		c->stats.control_bad++;
	return 0;
}

/* --- Queues ---------------------------------------------------------------- */

static u32 tx_request(void *ctx, struct vq_chain *ch)
{
	struct con_port *p = ctx;

	/* Only device-readable buffers carry output (virtio 1.3, 5.3.6.1). */
	for (unsigned i = 0; i < ch->nseg; i++)
		if (!ch->seg[i].write && ch->seg[i].len)
			write_all(p->out_fd, ch->seg[i].ptr, ch->seg[i].len);
	p->out_bytes += ch->out_len;
	if (p->nr == 0)
		p->c->stats.out_bytes += ch->out_len;
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
	struct con_port *p;
	bool tx = false;

	switch (q) {
	case CON_CTL_RX_QUEUE:
		ctl_flush(c);
		return;
	case CON_CTL_TX_QUEUE:
		if (!v.multiport) {
			serve(d, q, discard, c);
			return;
		}
		serve(d, q, ctl_request, c);
		ctl_flush(c);
		/* A port may just have been opened. */
		for (unsigned i = 0; i < c->nports; i++)
			con_deliver(&c->ports[i]);
		return;
	}
	p = queue_port(c, &v, q, &tx);
	if (!tx) {
		/* New receive buffers: held input can go. Those of a port
		 * that does not exist stay. */
		if (p)
			con_deliver(p);
		return;
	}
	/* QEMU drops output of a port that is not there, or not open on the
	 * host side. */
	if (p && (p->host_connected || !v.multiport))
		serve(d, q, tx_request, p);
	else
		serve(d, q, discard, c);
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
	struct con_port *p = port_by_nr(c, 0);
	unsigned low = le ? CON_EMERG_OFF : CON_EMERG_OFF + 3;
	u8 ch;

	if (len <= low || !(c->model.features & VIRTIO_BIT(CON_F_EMERG_WRITE)))
		return;
	if (len >= CON_EMERG_OFF + 4 ? !sim_vdev_get(buf + CON_EMERG_OFF, 4, le) : !buf[low])
		return;
	ch = buf[low];
	if (p)
		write_all(p->out_fd, &ch, 1);
	c->stats.emerg_bytes++;
}

/* Status 0 or VDEV_RESET: the driver's view of the ports is gone. Input
 * the back-end already gave stays for the next driver. */
static void con_reset(void *ctx)
{
	struct sim_con *c = ctx;

	for (unsigned i = 0; i < c->nports; i++) {
		c->ports[i].added = false;
		c->ports[i].guest_ready = false;
		c->ports[i].guest_connected = false;
	}
	c->stats.port_open = false;
	c->ctl_head = 0;
	c->ctl_count = 0;
}

static void con_destroy(void *ctx)
{
	struct sim_con *c = ctx;

	for (unsigned i = 0; i < c->nports; i++) {
		struct con_port *p = &c->ports[i];

		if (p->in_fd >= 0)
			sim_remove_poller(c->sim, con_poll, p);
		if (p->own_fds) {
			if (p->in_fd >= 0)
				close(p->in_fd);
			if (p->out_fd >= 0 && p->out_fd != p->in_fd)
				close(p->out_fd);
		}
		free(p->name);
		free(p->in);
	}
	free(c->ports);
	free(c->queue_max);
	free(c);
}

/* The ports as given, or port 0 from the single-port fields. */
static int con_ports(struct sim_con *c, const struct sim_con_opts *o, char *why)
{
	struct sim_con_port legacy = { 0, o->console_port, NULL, o->out_fd, o->in_fd, o->own_fds,
				       true };
	const struct sim_con_port *ports = o->ports;
	unsigned n = o->nports;

	if (!n && (o->console_port || !c->multiport)) {
		/* The single-port fields stand for a virtconsole with a
		 * chardev behind it, whose host end is open; a lone port is
		 * there from the start. */
		ports = &legacy;
		n = 1;
	}
	c->ports = calloc(n ? n : 1, sizeof(*c->ports));
	if (!c->ports)
		return SIM_ERR;
	for (unsigned i = 0; i < n; i++) {
		struct con_port *p = &c->ports[c->nports];

		if (ports[i].nr >= c->max_ports || port_by_nr(c, ports[i].nr)) {
			if (why)
				snprintf(why, SIM_WHY_LEN, "port %u: %s", ports[i].nr,
					 ports[i].nr >= c->max_ports ? "beyond max_ports"
								     : "given twice");
			return SIM_ERR;
		}
		p->c = c;
		p->nr = ports[i].nr;
		p->console = ports[i].console;
		p->out_fd = ports[i].out_fd;
		p->in_fd = ports[i].in_fd;
		p->own_fds = ports[i].own_fds;
		p->host_connected = ports[i].connected;
		p->name = ports[i].name ? strdup(ports[i].name) : NULL;
		p->in = malloc(CON_IN_MAX);
		c->nports++;
		if ((ports[i].name && !p->name) || !p->in)
			return SIM_ERR;
	}
	return 0;
}

long sim_vdev_console(struct sim *sim, const struct sim_dev_config *dev,
		      const struct sim_vccw_config *transport, const struct sim_con_opts *opts,
		      char *why)
{
	static const struct sim_con_opts defaults = { .out_fd = -1, .in_fd = -1,
						      .console_port = true };
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
	/* Two queues per port and the two control queues, which QEMU makes
	 * even for one port, where it does not offer MULTIPORT (measured). */
	c->multiport = c->max_ports > 1;
	nq = 2 * c->max_ports + 2;
	if (c->max_ports > VCCW_QUEUE_LIMIT / 2 - 1) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "max_ports %u: more queues than virtio-ccw allows",
				 c->max_ports);
		free(c);
		return SIM_ERR;
	}
	c->queue_max = calloc(nq, sizeof(*c->queue_max));
	if (!c->queue_max)
		goto out_nomem;
	for (unsigned q = 0; q < nq; q++)
		c->queue_max[q] = q == CON_CTL_RX_QUEUE || q == CON_CTL_TX_QUEUE ? CON_CTL_QMAX
										  : CON_PORT_QMAX;
	if (con_ports(c, opts, why)) {
		if (why && !c->nports)
			snprintf(why, SIM_WHY_LEN, "out of memory");
		/* The caller keeps its descriptors when attaching fails. */
		for (unsigned i = 0; i < c->nports; i++)
			c->ports[i].own_fds = false;
		con_destroy(c);
		return SIM_ERR;
	}
	c->model = (struct sim_virtio_model){
		.device_id = VIRTIO_ID_CONSOLE,
		.features = (opts->no_emerg_write ? 0 : VIRTIO_BIT(CON_F_EMERG_WRITE)) |
			    (c->multiport ? VIRTIO_BIT(CON_F_MULTIPORT) : 0),
		.nqueues = nq,
		.queue_max = c->queue_max,
		/* Without EMERG_WRITE QEMU's space ends before emerg_wr (measured). */
		.config_len = opts->no_emerg_write ? CON_EMERG_OFF : CON_CONFIG_LEN,
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
		for (unsigned i = 0; i < c->nports; i++)
			c->ports[i].own_fds = false;
		con_destroy(c);
		return SIM_ERR;
	}
	/* From here the machine owns c: it goes with the device. */
	for (unsigned i = 0; i < c->nports; i++) {
		struct con_port *p = &c->ports[i];

		if (p->in_fd >= 0 && sim_add_poller(sim, con_poll, p) < 0) {
			if (why)
				snprintf(why, SIM_WHY_LEN, "no poller left for the input descriptor");
			if (p->own_fds)
				close(p->in_fd);
			p->in_fd = -1;
			return SIM_ERR;
		}
	}
	return schid;

out_nomem:
	if (why)
		snprintf(why, SIM_WHY_LEN, "out of memory");
	if (c)
		free(c->queue_max);
	free(c);
	return SIM_ERR;
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
