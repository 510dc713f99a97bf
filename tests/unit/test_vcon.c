/*
 * devices/vcon.c, the virtio-console driver, against the simulated
 * virtio-serial (sim/dev_con.c): output to a pipe, input from a pipe and
 * from the test, the multiport handshake, line endings, bounds, legacy and
 * packed rings, a hostile driver on the model's control queue and a
 * hostile device on the driver's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot/host/host.h"
#include "ccw/vccw.h"
#include "devices/vcon.h"
#include "sim/vccw.h"
#include "tests/unit/flood.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"

#define RIG_MEM (8u << 20)
#define MS 1000u

struct rig {
	struct sim *sim;
	struct css css;
	struct vccw *v;
	u32 schid;
	struct sim_con *model;
	struct vcon c;
	int out_rd; /* the test's end of the output pipe, or -1 */
	int in_wr;  /* the test's end of the input pipe, or -1 */
};

struct rig_opts {
	const struct sim_vccw_config *transport; /* NULL: QEMU's defaults */
	u32 max_ports;                           /* as sim_con_opts */
	bool no_console;                         /* no virtconsole on port 0 */
	bool out_pipe, in_pipe;
};

/* A machine with one console; pipes as asked, the model owning its ends. */
static bool rig_init(struct rig *g, const struct rig_opts *o)
{
	struct sim_con_opts co = { .out_fd = -1, .in_fd = -1, .own_fds = true,
				    .console_port = !o->no_console, .max_ports = o->max_ports };
	struct sim_dev_config dev;
	char why[SIM_WHY_LEN] = "";
	int p[2];

	memset(g, 0, sizeof(*g));
	g->out_rd = g->in_wr = -1;
	if (o->out_pipe) {
		if (pipe(p))
			return false;
		g->out_rd = p[0];
		co.out_fd = p[1];
		/* The test reads back what is there, never waits. */
		fcntl(g->out_rd, F_SETFL, O_NONBLOCK);
	}
	if (o->in_pipe) {
		if (pipe(p))
			return false;
		co.in_fd = p[0];
		g->in_wr = p[1];
	}
	g->sim = drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, RIG_MEM, true);
	if (!g->sim)
		return false;
	dev = unit_dev(0x0003);
	if (!drvrig_attached(sim_vdev_console(g->sim, &dev, o->transport, &co, why),
			     "sim_vdev_console", why, &g->schid))
		return false;
	g->model = sim_con_find(g->sim, g->schid);
	if (!g->model || !drvrig_bind(g->sim, &g->css))
		return false;
	g->v = drvrig_transport();
	return g->v != NULL;
}

static int rig_up(struct rig *g)
{
	int err = drvrig_vccw_init(g->v, &g->css, g->schid, VIRTIO_ID_CONSOLE);

	if (err)
		return err;
	err = vcon_init(&g->c, vccw_virtio(g->v));
	if (err)
		fprintf(stderr, "vcon_init: %s\n", g->c.why);
	return err;
}

static void rig_fini(struct rig *g)
{
	drvrig_close(&g->sim);
	if (g->out_rd >= 0)
		close(g->out_rd);
	if (g->in_wr >= 0)
		close(g->in_wr);
}

static bool rig_start(struct rig *g, const struct rig_opts *o)
{
	if (!rig_init(g, o)) {
		rig_fini(g);
		return false;
	}
	return rig_up(g) == 0;
}

/* What the model wrote to the output pipe so far. */
static size_t drain(struct rig *g, char *buf, size_t size)
{
	size_t n = 0;

	while (n < size) {
		ssize_t r = read(g->out_rd, buf + n, size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	return n;
}

static struct sim_con_stats stats(struct rig *g)
{
	struct sim_con_stats s;

	sim_con_get_stats(g->model, &s);
	return s;
}

static void input(struct rig *g, const char *s)
{
	CU_ASSERT_EQUAL(sim_con_input(g->model, s, strlen(s)), 0);
}

static int line_in(struct rig *g, char *line, size_t size, u64 us)
{
	return vcon_read_line(&g->c, line, size, port_now_us() + us);
}

/* --- Output ----------------------------------------------------------------- */

static void check_output(const struct rig_opts *o)
{
	static const char hello[] = "hello, world\n";
	struct rig g;
	char *big = malloc(3000), *back = malloc(4000);
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	/* More than the driver's transmit buffers hold at once. */
	for (unsigned i = 0; i < 3000; i++)
		big[i] = (char)('a' + i % 26);
	CU_ASSERT_FATAL(rig_start(&g, o));
	CU_ASSERT_EQUAL(vcon_write(&g.c, hello, strlen(hello)), 0);
	n = drain(&g, back, 4000);
	CU_ASSERT_EQUAL(n, strlen(hello));
	CU_ASSERT(memcmp(back, hello, strlen(hello)) == 0);
	CU_ASSERT_EQUAL(vcon_write(&g.c, big, 3000), 0);
	CU_ASSERT_EQUAL(vcon_write(&g.c, big, 0), 0);
	n = drain(&g, back, 4000);
	CU_ASSERT_EQUAL(n, 3000);
	CU_ASSERT(memcmp(back, big, 3000) == 0);
	CU_ASSERT_EQUAL(g.c.out_bytes, 3000 + strlen(hello));
	CU_ASSERT_EQUAL(stats(&g).out_bytes, 3000 + strlen(hello));
	rig_fini(&g);
	free(big);
	free(back);
}

static void test_output_single_port(void)
{
	struct rig_opts o = { .max_ports = 1, .out_pipe = true };

	check_output(&o);
}

static void test_output_multiport(void)
{
	struct rig_opts o = { .out_pipe = true };

	check_output(&o);
}

/* --- The multiport handshake ------------------------------------------------------ */

static void test_handshake(void)
{
	struct rig_opts o = { 0 };
	struct sim_con_stats s;
	struct rig g;

	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT(g.c.multiport);
	CU_ASSERT_EQUAL(g.c.max_ports, 31);
	CU_ASSERT(g.c.port0_added);
	CU_ASSERT(g.c.port0_console);
	CU_ASSERT(g.c.host_connected);
	CU_ASSERT_PTR_NOT_NULL(g.c.c_rx);
	CU_ASSERT_PTR_NOT_NULL(g.c.c_tx);
	s = stats(&g);
	/* DEVICE_READY, PORT_READY(0, 1), PORT_OPEN(0, 1). */
	CU_ASSERT_EQUAL(s.control_msgs, 3);
	CU_ASSERT_EQUAL(s.control_bad, 0);
	CU_ASSERT(s.port_open);
	rig_fini(&g);

	/* A smaller device says so in max_nr_ports. */
	o.max_ports = 4;
	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(g.c.max_ports, 4);
	CU_ASSERT(g.c.port0_console);
	rig_fini(&g);

	/* Without MULTIPORT there is no protocol: port 0 is there. */
	o.max_ports = 1;
	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT(!g.c.multiport);
	CU_ASSERT_PTR_NULL(g.c.c_rx);
	CU_ASSERT(g.c.port0_added);
	CU_ASSERT(g.c.host_connected);
	CU_ASSERT(!g.c.port0_console);
	CU_ASSERT_EQUAL(stats(&g).control_msgs, 0);
	rig_fini(&g);
}

static void test_no_port0(void)
{
	struct rig_opts o = { .no_console = true };
	struct rig g;
	u64 t0;

	CU_ASSERT_FATAL(rig_init(&g, &o));
	CU_ASSERT_EQUAL_FATAL(vccw_init(g.v, &g.css, g.schid, VIRTIO_ID_CONSOLE, NULL), 0);
	t0 = host_clock_us();
	/* QEMU's virtio-serial without a virtconsole adds no port: the
	 * device comes up after the quiet time, without port 0. */
	CU_ASSERT_EQUAL(vcon_init(&g.c, vccw_virtio(g.v)), 0);
	CU_ASSERT(host_clock_us() - t0 >= VCON_SETTLE_US);
	CU_ASSERT(host_clock_us() - t0 < VCON_TIMEOUT_US);
	CU_ASSERT(g.c.multiport);
	CU_ASSERT(!g.c.port0_added);
	CU_ASSERT_EQUAL(g.c.nports, 0);
	CU_ASSERT_EQUAL(vcon_write(&g.c, "x", 1), -VERR_NODEV);
	CU_ASSERT(strstr(g.c.why, "no port 0") != NULL);
	CU_ASSERT_EQUAL(stats(&g).out_bytes, 0);
	rig_fini(&g);
}

/* --- Input ---------------------------------------------------------------------------- */

static void test_lines_from_pipe(void)
{
	static const char text[] = "first line\nsecond\r\nthird\rfourth\n";
	struct rig_opts o = { .in_pipe = true };
	struct rig g;
	char line[64];

	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(write(g.in_wr, text, strlen(text)), (ssize_t)strlen(text));
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), 1000 * MS), 10);
	CU_ASSERT_STRING_EQUAL(line, "first line");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), 1000 * MS), 6);
	CU_ASSERT_STRING_EQUAL(line, "second");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), 1000 * MS), 5);
	CU_ASSERT_STRING_EQUAL(line, "third");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), 1000 * MS), 6);
	CU_ASSERT_STRING_EQUAL(line, "fourth");
	CU_ASSERT_EQUAL(stats(&g).in_bytes, strlen(text));
	CU_ASSERT_EQUAL(g.c.in_bytes, strlen(text));
	/* Nothing more: the poller spends real time, so a short bound. */
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), 50 * MS), -VERR_TIMEOUT);
	/* Input after the driver started waiting still comes. */
	CU_ASSERT_EQUAL(write(g.in_wr, "late\n", 5), 5);
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), 1000 * MS), 4);
	CU_ASSERT_STRING_EQUAL(line, "late");
	rig_fini(&g);
}

static void test_line_endings(void)
{
	struct rig_opts o = { 0 };
	struct rig g;
	char line[64];

	CU_ASSERT_FATAL(rig_start(&g, &o));
	input(&g, "unix\ndos\r\nmac\r\n\r\rlast\n");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 4);
	CU_ASSERT_STRING_EQUAL(line, "unix");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 3);
	CU_ASSERT_STRING_EQUAL(line, "dos");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 3);
	CU_ASSERT_STRING_EQUAL(line, "mac");
	/* "\n" then "\r": two empty lines. */
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 0);
	CU_ASSERT_STRING_EQUAL(line, "");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 0);
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 4);
	CU_ASSERT_STRING_EQUAL(line, "last");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), -VERR_TIMEOUT);
	rig_fini(&g);
}

static void test_split_line(void)
{
	struct rig_opts o = { 0 };
	struct rig g;
	char line[64];

	CU_ASSERT_FATAL(rig_start(&g, &o));
	/* Three deliveries, one line. */
	input(&g, "ab");
	input(&g, "cd");
	input(&g, "ef\n");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 6);
	CU_ASSERT_STRING_EQUAL(line, "abcdef");
	/* A timeout in the middle keeps what came. */
	input(&g, "par");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), -VERR_TIMEOUT);
	input(&g, "tial\r");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 7);
	CU_ASSERT_STRING_EQUAL(line, "partial");
	/* The "\n" of a "\r\n" that arrives later is not an empty line. */
	input(&g, "\n");
	input(&g, "next\n");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 4);
	CU_ASSERT_STRING_EQUAL(line, "next");
	/* A line longer than one receive buffer. */
	{
		char longer[600], want[600];

		memset(want, 'x', 599);
		want[599] = '\0';
		memcpy(longer, want, 599);
		longer[599] = '\n';
		CU_ASSERT_EQUAL(sim_con_input(g.model, longer, 600), 0);
		CU_ASSERT_EQUAL(vcon_read_line(&g.c, longer, sizeof(longer), port_now_us() + MS),
				599);
		CU_ASSERT_STRING_EQUAL(longer, want);
	}
	rig_fini(&g);
}

static void test_long_line(void)
{
	struct rig_opts o = { 0 };
	struct rig g;
	char line[8];

	CU_ASSERT_FATAL(rig_start(&g, &o));
	input(&g, "0123456789abcdef\nok\n");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), -VERR_RANGE);
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 2);
	CU_ASSERT_STRING_EQUAL(line, "ok");
	/* Exactly size - 1 characters fit. */
	input(&g, "1234567\n");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 7);
	CU_ASSERT_STRING_EQUAL(line, "1234567");
	/* The rest of an over-long line may come later; it is still skipped. */
	input(&g, "12345678");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), -VERR_RANGE);
	input(&g, "9\rnext\n");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 4);
	CU_ASSERT_STRING_EQUAL(line, "next");
	rig_fini(&g);
}

static void test_timeouts(void)
{
	struct rig_opts o = { 0 };
	struct rig g;
	char line[16];
	u64 t0;

	/* No pollers: the virtual clock jumps to the deadline. */
	CU_ASSERT_FATAL(rig_start(&g, &o));
	t0 = port_now_us();
	CU_ASSERT_EQUAL(vcon_read_line(&g.c, line, sizeof(line), t0 + 3000 * MS), -VERR_TIMEOUT);
	CU_ASSERT(port_now_us() >= t0 + 3000 * MS);
	CU_ASSERT_EQUAL(vcon_read(&g.c, line, sizeof(line), port_now_us() + 10 * MS), 0);
	rig_fini(&g);

	/* An open pipe with nothing in it: real time passes. */
	o.in_pipe = true;
	CU_ASSERT_FATAL(rig_start(&g, &o));
	t0 = port_now_us();
	CU_ASSERT_EQUAL(vcon_read_line(&g.c, line, sizeof(line), t0 + 50 * MS), -VERR_TIMEOUT);
	CU_ASSERT(port_now_us() >= t0 + 50 * MS);
	/* End of file: nothing more comes, and the wait is still bounded. */
	close(g.in_wr);
	g.in_wr = -1;
	CU_ASSERT_EQUAL(vcon_read_line(&g.c, line, sizeof(line), port_now_us() + 30 * MS),
			-VERR_TIMEOUT);
	rig_fini(&g);
}

static void test_raw_read(void)
{
	struct rig_opts o = { 0 };
	struct rig g;
	char buf[64], line[16];

	CU_ASSERT_FATAL(rig_start(&g, &o));
	input(&g, "abc");
	input(&g, "def");
	/* What is there, without waiting for more. */
	CU_ASSERT_EQUAL(vcon_read(&g.c, buf, sizeof(buf), port_now_us() + MS), 6);
	CU_ASSERT(memcmp(buf, "abcdef", 6) == 0);
	input(&g, "xyz");
	CU_ASSERT_EQUAL(vcon_read(&g.c, buf, 2, port_now_us() + MS), 2);
	CU_ASSERT(memcmp(buf, "xy", 2) == 0);
	CU_ASSERT_EQUAL(vcon_read(&g.c, buf, 2, port_now_us() + MS), 1);
	CU_ASSERT_EQUAL(buf[0], 'z');
	/* A line's partial start, kept over a timeout, comes to a raw read. */
	input(&g, "half");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), -VERR_TIMEOUT);
	CU_ASSERT_EQUAL(vcon_read(&g.c, buf, sizeof(buf), port_now_us() + MS), 4);
	CU_ASSERT(memcmp(buf, "half", 4) == 0);
	rig_fini(&g);
}

/* Input that came before the driver is kept for it. */
static void test_early_input(void)
{
	struct rig_opts o = { 0 };
	struct rig g;
	char line[16];

	CU_ASSERT_FATAL(rig_init(&g, &o));
	input(&g, "early\n");
	CU_ASSERT_EQUAL(stats(&g).in_bytes, 0);
	CU_ASSERT_FATAL(rig_up(&g) == 0);
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 5);
	CU_ASSERT_STRING_EQUAL(line, "early");
	rig_fini(&g);
}

/* --- Transports --------------------------------------------------------------------- */

static void check_echo(struct rig *g)
{
	char line[32], back[32];

	CU_ASSERT_EQUAL(vcon_write(&g->c, "out\n", 4), 0);
	CU_ASSERT_EQUAL(drain(g, back, sizeof(back)), 4);
	CU_ASSERT(memcmp(back, "out\n", 4) == 0);
	for (int i = 0; i < 40; i++) {
		char want[16];

		/* More lines than receive buffers: they are given back. */
		snprintf(want, sizeof(want), "in %d", i);
		input(g, want);
		input(g, "\r\n");
		CU_ASSERT_EQUAL(line_in(g, line, sizeof(line), MS), (int)strlen(want));
		CU_ASSERT_STRING_EQUAL(line, want);
	}
}

static void test_legacy(void)
{
	struct sim_vccw_config t;
	struct rig_opts o = { .transport = &t, .out_pipe = true };
	struct rig g;

	sim_vdev_default_transport(&t);
	t.max_revision = 0;
	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(g.v->revision, 0);
	CU_ASSERT(!virtio_modern(g.c.dev));
	/* max_nr_ports read big-endian, and the big-endian control
	 * messages understood both ways. */
	CU_ASSERT_EQUAL(g.c.max_ports, 31);
	CU_ASSERT(g.c.port0_console);
	CU_ASSERT(g.c.host_connected);
	CU_ASSERT(stats(&g).port_open);
	CU_ASSERT_EQUAL(stats(&g).control_bad, 0);
	check_echo(&g);
	rig_fini(&g);
}

static void test_packed(void)
{
	struct sim_vccw_config t;
	struct rig_opts o = { .transport = &t, .out_pipe = true };
	struct rig g;

	sim_vdev_default_transport(&t);
	t.ring_packed = true;
	t.in_order = true;
	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT(virtio_has(g.c.dev, VIRTIO_F_RING_PACKED));
	CU_ASSERT(!virtio_has(g.c.dev, VIRTIO_F_IN_ORDER));
	CU_ASSERT(stats(&g).port_open);
	check_echo(&g);
	rig_fini(&g);
}

/* --- Emergency write, reset, a device gone ------------------------------------------ */

static void test_emergency_write(void)
{
	struct sim_vccw_config t;
	struct rig_opts o = { .out_pipe = true, .transport = &t };
	struct rig g;
	char back[8];

	for (int legacy = 0; legacy < 2; legacy++) {
		sim_vdev_default_transport(&t);
		t.max_revision = legacy ? 0 : 2;
		CU_ASSERT_FATAL(rig_init(&g, &o));
		/* Before any queue: ACKNOWLEDGE | DRIVER is enough (platforms.md 12.9). */
		CU_ASSERT_EQUAL_FATAL(vccw_init(g.v, &g.css, g.schid, VIRTIO_ID_CONSOLE, NULL), 0);
		CU_ASSERT((g.v->vdev.offered & VIRTIO_BIT(VIRTIO_CONSOLE_F_EMERG_WRITE)) != 0);
		CU_ASSERT_EQUAL(virtio_cwrite32(&g.v->vdev, 8, 'E'), 0);
		CU_ASSERT_EQUAL(virtio_cwrite32(&g.v->vdev, 8, '!'), 0);
		/* A write of the other fields is not an emergency write. */
		CU_ASSERT_EQUAL(virtio_cwrite32(&g.v->vdev, 8, 0), 0);
		CU_ASSERT_EQUAL(drain(&g, back, sizeof(back)), 2);
		CU_ASSERT(memcmp(back, "E!", 2) == 0);
		CU_ASSERT_EQUAL(stats(&g).emerg_bytes, 2);
		rig_fini(&g);
	}
}

static void test_reset(void)
{
	struct rig_opts o = { 0 };
	struct rig g;
	char line[16];

	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT(stats(&g).port_open);
	CU_ASSERT_EQUAL(g.c.dev->ops->reset(g.c.dev), 0);
	CU_ASSERT(!stats(&g).port_open);
	/* A new driver goes through the handshake again. */
	CU_ASSERT_FATAL(rig_up(&g) == 0);
	CU_ASSERT(stats(&g).port_open);
	CU_ASSERT_EQUAL(stats(&g).control_msgs, 6);
	input(&g, "again\n");
	CU_ASSERT_EQUAL(line_in(&g, line, sizeof(line), MS), 5);
	rig_fini(&g);
}

static void test_device_gone(void)
{
	struct rig_opts o = { 0 };
	struct rig g;
	char line[16];
	u64 t0;

	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(sim_set_present(g.sim, g.schid, false), 0);
	t0 = host_clock_us();
	CU_ASSERT(vcon_write(&g.c, "x", 1) < 0);
	CU_ASSERT(vcon_read_line(&g.c, line, sizeof(line), port_now_us() + 500 * MS) < 0);
	/* Noticed at once (the subchannel is gone), not at a deadline. */
	CU_ASSERT(host_clock_us() - t0 < 100 * MS);
	rig_fini(&g);
}

/* --- A hostile driver on the model's control queue -------------------------------------- */

/* How raw_ctl() hands a message to the device. */
enum raw_kind {
	RAW_READABLE,  /* as a driver must */
	RAW_WRITABLE,  /* the message in a device-writable buffer */
	RAW_PLUS_WRITABLE, /* readable, then a device-writable buffer */
};

/* One message through the driver's control transmitq, collected by the test. */
static void raw_ctl(struct rig *g, const u8 *msg, u32 len, enum raw_kind kind)
{
	u8 *buf = port_dma_alloc(32, 8);
	struct vq_buf b[2] = { { port_dma_addr(buf), len }, { port_dma_addr(buf + 16), 8 } };
	unsigned out = kind == RAW_WRITABLE ? 0 : 1;
	unsigned in = kind == RAW_READABLE ? 0 : 1;
	u64 deadline = port_now_us() + 1000 * MS;
	void *tok = NULL;
	u32 got;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	memcpy(buf, msg, len);
	CU_ASSERT_EQUAL_FATAL(vq_add(g->c.c_tx, b, out, in, buf), 0);
	CU_ASSERT_EQUAL(vq_kick(g->c.c_tx), 0);
	while ((rc = vq_get_used(g->c.c_tx, &tok, &got)) == 0 && port_now_us() < deadline)
		g->c.dev->ops->wait(g->c.dev, deadline);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_EQUAL(tok, buf);
}

static void le_msg(u8 *m, u32 id, u16 event, u16 value)
{
	sim_vdev_put(m, 4, id, true);
	sim_vdev_put(m + 4, 2, event, true);
	sim_vdev_put(m + 6, 2, value, true);
}

static void test_hostile_driver(void)
{
	struct rig_opts o = { .out_pipe = true };
	struct sim_vccw_state st;
	struct sim_con_stats s0, s;
	struct rig g;
	char back[8];
	u8 m[12];

	CU_ASSERT_FATAL(rig_start(&g, &o));
	s0 = stats(&g);
	le_msg(m, 0, VIRTIO_CONSOLE_PORT_OPEN, 0);
	raw_ctl(&g, m, 4, RAW_READABLE);       /* short */
	le_msg(m, 0, 99, 1);
	raw_ctl(&g, m, 8, RAW_READABLE);       /* unknown event */
	le_msg(m, 5000, VIRTIO_CONSOLE_PORT_OPEN, 0);
	raw_ctl(&g, m, 8, RAW_READABLE);       /* port beyond max_nr_ports */
	le_msg(m, 7, VIRTIO_CONSOLE_PORT_READY, 1);
	raw_ctl(&g, m, 8, RAW_READABLE);       /* a port never added */
	le_msg(m, 0, VIRTIO_CONSOLE_PORT_ADD, 1);
	raw_ctl(&g, m, 8, RAW_READABLE);       /* an event only a device sends */
	le_msg(m, 0, VIRTIO_CONSOLE_PORT_OPEN, 7);
	raw_ctl(&g, m, 8, RAW_READABLE);       /* a value neither 0 nor 1 */
	le_msg(m, 0, VIRTIO_CONSOLE_PORT_OPEN, 0);
	raw_ctl(&g, m, 8, RAW_WRITABLE);       /* in a device-writable buffer */
	raw_ctl(&g, m, 8, RAW_PLUS_WRITABLE);  /* with a device-writable buffer */
	s = stats(&g);
	CU_ASSERT_EQUAL(s.control_bad - s0.control_bad, 8);
	CU_ASSERT_EQUAL(s.control_msgs, s0.control_msgs);
	/* Port 0 is still open, and the device is fine. */
	CU_ASSERT(s.port_open);
	sim_vccw_get_state(sim_vccw_find(g.sim, g.schid), &st);
	CU_ASSERT_EQUAL(st.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);
	CU_ASSERT_EQUAL(vcon_write(&g.c, "ok", 2), 0);
	CU_ASSERT_EQUAL(drain(&g, back, sizeof(back)), 2);
	/* A well-formed PORT_OPEN 0 is obeyed: closed, input waits. */
	le_msg(m, 0, VIRTIO_CONSOLE_PORT_OPEN, 0);
	raw_ctl(&g, m, 8, RAW_READABLE);
	CU_ASSERT(!stats(&g).port_open);
	input(&g, "held\n");
	CU_ASSERT_EQUAL(stats(&g).in_bytes, s.in_bytes);
	le_msg(m, 0, VIRTIO_CONSOLE_PORT_OPEN, 1);
	raw_ctl(&g, m, 8, RAW_READABLE);
	CU_ASSERT_EQUAL(stats(&g).in_bytes, s.in_bytes + 5);
	rig_fini(&g);
}

/* --- A hostile device on the driver's control queue ------------------------------------- */

struct liar {
	struct sim_virtio_model model;
	u16 qmax[4];
	struct { u8 b[12]; u32 len; } out[32]; /* messages for the driver */
	unsigned head, count;
	struct { u32 id; u16 event, value; } got[16]; /* what the driver sent */
	unsigned ngot;
};

static void liar_send(struct liar *l, u32 id, u16 event, u16 value, u32 len)
{
	u8 *b = l->out[(l->head + l->count) % 32].b;

	memset(b, 0, 12);
	le_msg(b, id, event, value);
	l->out[(l->head + l->count++) % 32].len = len;
}

/* The four bytes after the header of the last message queued. */
static void liar_size(struct liar *l, u16 cols, u16 rows)
{
	u8 *b = l->out[(l->head + l->count - 1) % 32].b;

	sim_vdev_put(b + 8, 2, cols, true);
	sim_vdev_put(b + 10, 2, rows, true);
}

static void liar_flush(struct liar *l, struct sim_vccw *d)
{
	struct vqd *v = sim_vccw_vqd(d, 2);
	struct vq_seg seg[8];
	struct vq_chain c = { .seg = seg, .cap = 8 };

	if (!v)
		return;
	do {
		while (l->count && vqd_pop(v, &c) == 1) {
			sim_vdev_copy(&c, true, 0, l->out[l->head].b, 12);
			vqd_push(v, &c, l->out[l->head].len);
			l->head = (l->head + 1) % 32;
			l->count--;
		}
	} while (l->count && !vqd_enable_notify(v));
	sim_vccw_queue_done(d, 2);
}

static u32 liar_ctl(void *ctx, struct vq_chain *c)
{
	struct liar *l = ctx;
	u8 m[8];

	if (sim_vdev_copy(c, false, 0, m, 8) != 8 || l->ngot == 16)
		return 0;
	l->got[l->ngot].id = (u32)sim_vdev_get(m, 4, true);
	l->got[l->ngot].event = (u16)sim_vdev_get(m + 4, 2, true);
	l->got[l->ngot].value = (u16)sim_vdev_get(m + 6, 2, true);
	if (l->got[l->ngot++].event != VIRTIO_CONSOLE_DEVICE_READY)
		return 0;
	/* Ports 1 and 0, with garbage around them, then a resize. */
	liar_send(l, 0, VIRTIO_CONSOLE_PORT_OPEN, 1, 8);      /* a port not added */
	liar_send(l, 0, VIRTIO_CONSOLE_CONSOLE_PORT, 1, 8);   /* ... nor this */
	liar_send(l, 1, VIRTIO_CONSOLE_PORT_ADD, 1, 8);       /* a port the driver refuses */
	liar_send(l, 0, VIRTIO_CONSOLE_PORT_ADD, 1, 8);
	liar_send(l, 0, VIRTIO_CONSOLE_PORT_OPEN, 1, 4);      /* short */
	liar_send(l, 0, 99, 1, 8);                            /* unknown event */
	liar_send(l, 7, VIRTIO_CONSOLE_PORT_OPEN, 1, 8);      /* beyond max_nr_ports */
	liar_send(l, 1, VIRTIO_CONSOLE_CONSOLE_PORT, 1, 8);   /* a port not served */
	liar_send(l, 0, VIRTIO_CONSOLE_PORT_OPEN, 5, 8);      /* a value neither 0 nor 1 */
	liar_send(l, 0, VIRTIO_CONSOLE_DEVICE_READY, 1, 8);   /* a driver's event */
	liar_send(l, 0xFFFFFFFFu, VIRTIO_CONSOLE_PORT_ADD, 1, 8);
	liar_send(l, 0, VIRTIO_CONSOLE_RESIZE, 0, 12);
	liar_size(l, 80, 25);
	liar_send(l, 0, 99, 0, 12);                           /* unknown, with a "size" */
	liar_size(l, 1234, 5678);
	liar_send(l, 0, VIRTIO_CONSOLE_RESIZE, 0, 8);         /* resize without a size */
	return 0;
}

static void liar_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct liar *l = ctx;
	struct vqd *v;

	if (q == 3) {
		do {
			sim_vdev_serve(d, q, liar_ctl, l);
			v = sim_vccw_vqd(d, q);
		} while (v && !vqd_enable_notify(v));
	}
	if (q == 2 || q == 3)
		liar_flush(l, d);
}

static void liar_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	u8 c[12] = { 0 };

	(void)ctx;
	sim_vdev_put(c + 4, 4, 2, le); /* max_nr_ports */
	memcpy(buf, c, MIN(len, 12u));
}

static void test_hostile_device(void)
{
	struct sim_dev_config dev;
	struct sim_vccw_config t;
	struct liar l;
	struct rig g;

	memset(&l, 0, sizeof(l));
	l.qmax[0] = l.qmax[1] = 128;
	l.qmax[2] = l.qmax[3] = 32;
	l.model = (struct sim_virtio_model){
		.device_id = VIRTIO_ID_CONSOLE,
		.features = VIRTIO_BIT(VIRTIO_CONSOLE_F_MULTIPORT),
		.nqueues = 4,
		.queue_max = l.qmax,
		.config_len = 12,
		.read_config = liar_config,
		.queue_notify = liar_notify,
	};
	memset(&g, 0, sizeof(g));
	g.out_rd = g.in_wr = -1;
	g.sim = drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, RIG_MEM, true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g.sim);
	dev = unit_dev(0x0003);
	sim_vdev_default_transport(&t);
	CU_ASSERT_FATAL(drvrig_attached(sim_vccw_attach(g.sim, &dev, &t, &l.model, &l, NULL),
					"sim_vccw_attach", NULL, &g.schid));
	/* Not a console model of sim/: sim_con_find() says so. */
	CU_ASSERT_PTR_NULL(sim_con_find(g.sim, g.schid));
	CU_ASSERT_FATAL(drvrig_bind(g.sim, &g.css));
	g.v = drvrig_transport();
	CU_ASSERT_FATAL(rig_up(&g) == 0);
	CU_ASSERT_EQUAL(g.c.max_ports, 2);
	CU_ASSERT(g.c.port0_added);
	/* None of the garbage took: no console, the host end not open. */
	CU_ASSERT(!g.c.port0_console);
	CU_ASSERT(!g.c.host_connected);
	CU_ASSERT_EQUAL(g.c.cols, 80);
	CU_ASSERT_EQUAL(g.c.rows, 25);
	/* Replies: both ports ready, in the order added, nothing else. */
	CU_ASSERT_EQUAL(g.c.nports, 2);
	CU_ASSERT_EQUAL_FATAL(l.ngot, 3);
	CU_ASSERT_EQUAL(l.got[0].event, VIRTIO_CONSOLE_DEVICE_READY);
	CU_ASSERT_EQUAL(l.got[0].value, 1);
	CU_ASSERT_EQUAL(l.got[1].event, VIRTIO_CONSOLE_PORT_READY);
	CU_ASSERT_EQUAL(l.got[1].id, 1);
	CU_ASSERT_EQUAL(l.got[1].value, 1);
	CU_ASSERT_EQUAL(l.got[2].event, VIRTIO_CONSOLE_PORT_READY);
	CU_ASSERT_EQUAL(l.got[2].id, 0);
	CU_ASSERT_EQUAL(l.got[2].value, 1);
	rig_fini(&g);
}

static void flood_cfg(void *ctx, u8 *buf, unsigned len, bool le)
{
	u8 c[12] = { 0 };

	(void)ctx;
	sim_vdev_put(c + 4, 4, 2, le); /* max_nr_ports */
	memcpy(buf, c, MIN(len, 12u));
}

/* A multiport device that answers every control buffer at once with an
 * unknown event and never adds port 0: the bring-up ends, with a reason. */
static void test_control_flood(void)
{
	static struct flood f;
	struct vccw *v;
	struct vcon *c;
	u64 t0;
	int rc;

	memset(&f, 0, sizeof(f));
	f.qmax[0] = f.qmax[1] = 128;
	f.qmax[2] = f.qmax[3] = 32;
	f.q = 2;
	f.len = 8;
	f.msg[4] = 99; /* event 99, port 0, little-endian */
	f.model.features = VIRTIO_BIT(VIRTIO_CONSOLE_F_MULTIPORT);
	f.model.config_len = 12;
	f.model.read_config = flood_cfg;
	CU_ASSERT_FATAL(flood_up(&f, VIRTIO_ID_CONSOLE, 4));
	v = port_dma_alloc(sizeof(*v), 8);
	c = port_dma_alloc(sizeof(*c), 8);
	CU_ASSERT_FATAL(v && c);
	CU_ASSERT_EQUAL_FATAL(vccw_init(v, &f.css, f.schid, VIRTIO_ID_CONSOLE, NULL), 0);
	t0 = port_now_us();
	rc = vcon_init(c, vccw_virtio(v));
	CU_ASSERT(rc == -VERR_PROTO || rc == -VERR_TIMEOUT);
	CU_ASSERT(strstr(c->why, "control messages without end") != NULL);
	CU_ASSERT(port_now_us() - t0 <= VCON_TIMEOUT_US);
	CU_ASSERT(f.pushes > VCON_RX_BUFS);
	CU_ASSERT_EQUAL(vcon_write(c, "x", 1), -VERR_NODEV);
	flood_down(&f);
}

/* A legal single-port device with 4-entry queues: fewer receive buffers
 * are posted, and output still flows. */
static void test_small_queues(void)
{
	static struct flood f;
	struct vccw *v;
	struct vcon *c;

	memset(&f, 0, sizeof(f));
	f.qmax[0] = f.qmax[1] = 4;
	f.q = 3; /* no such queue: nothing is flooded, transmit buffers are taken */
	CU_ASSERT_FATAL(flood_up(&f, VIRTIO_ID_CONSOLE, 2));
	v = port_dma_alloc(sizeof(*v), 8);
	c = port_dma_alloc(sizeof(*c), 8);
	CU_ASSERT_FATAL(v && c);
	CU_ASSERT_EQUAL_FATAL(vccw_init(v, &f.css, f.schid, VIRTIO_ID_CONSOLE, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(vcon_init(c, vccw_virtio(v)), 0);
	CU_ASSERT_EQUAL(c->rx->in_flight, 4u);
	CU_ASSERT_EQUAL(vcon_write(c, "hello", 5), 0);
	CU_ASSERT_EQUAL(c->out_bytes, 5u);
	flood_down(&f);
}

/* A machine with one console of the given ports, brought up by the driver. */
static void rig_ports(struct rig *g, const struct sim_con_port *ports, unsigned n)
{
	struct sim_con_opts co = { .ports = ports, .nports = n };
	struct sim_dev_config dev = { .schno = -1, .devno = 0x0003 };

	memset(g, 0, sizeof(*g));
	g->out_rd = g->in_wr = -1;
	g->sim = drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, RIG_MEM, true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g->sim);
	CU_ASSERT_FATAL(drvrig_attached(sim_vdev_console(g->sim, &dev, NULL, &co, NULL),
					"sim_vdev_console", NULL, &g->schid));
	g->model = sim_con_find(g->sim, g->schid);
	CU_ASSERT_FATAL(drvrig_bind(g->sim, &g->css));
	g->v = drvrig_transport();
	CU_ASSERT_FATAL(g->v != NULL);
	CU_ASSERT_EQUAL_FATAL(rig_up(g), 0);
}

/*
 * QEMU's ports: a virtserialport at port 3 with a name and a chardev, a
 * virtconsole on port 0, a second console without a chardev. The driver
 * answers each, records names, consoles and open host ends, in the order
 * the device made the ports, and writes to port 0 only.
 */
static void test_named_ports(void)
{
	static const struct sim_con_port ports[] = {
		{ .nr = 3, .name = "org.example.a", .out_fd = -1, .in_fd = -1, .connected = true },
		{ .nr = 0, .console = true, .out_fd = -1, .in_fd = -1, .connected = true },
		{ .nr = 1, .console = true, .name = "second", .out_fd = -1, .in_fd = -1 },
	};
	struct sim_con_stats st;
	struct rig g;

	rig_ports(&g, ports, ARRAY_SIZE(ports));
	CU_ASSERT_EQUAL_FATAL(g.c.nports, 3);
	CU_ASSERT_EQUAL(g.c.ports[0].id, 3);
	CU_ASSERT_STRING_EQUAL(g.c.ports[0].name, "org.example.a");
	CU_ASSERT(!g.c.ports[0].console);
	CU_ASSERT(g.c.ports[0].host_connected);
	CU_ASSERT_EQUAL(g.c.ports[1].id, 0);
	CU_ASSERT(g.c.ports[1].console);
	CU_ASSERT_EQUAL(g.c.ports[2].id, 1);
	CU_ASSERT_STRING_EQUAL(g.c.ports[2].name, "second");
	CU_ASSERT(g.c.ports[2].console);
	CU_ASSERT(!g.c.ports[2].host_connected);
	CU_ASSERT(g.c.port0_added && g.c.port0_console && g.c.host_connected);
	CU_ASSERT_EQUAL(vcon_write(&g.c, "hi\n", 3), 0);
	sim_con_get_stats(g.model, &st);
	CU_ASSERT_EQUAL(st.out_bytes, 3);
	CU_ASSERT(st.port_open);
	CU_ASSERT_EQUAL(st.control_bad, 0);
	rig_fini(&g);
}

/* A device with more ports than the control queue's buffers: every
 * PORT_ADD and every answer to PORT_READY arrives (none dropped). */
static void test_many_ports(void)
{
	static struct sim_con_port ports[31];
	static char names[31][16];
	struct rig g;

	for (unsigned i = 0; i < 31; i++) {
		snprintf(names[i], sizeof(names[i]), "port.%u", i);
		ports[i] = (struct sim_con_port){ .nr = i, .console = i == 0, .name = names[i],
						  .out_fd = -1, .in_fd = -1, .connected = true };
	}
	rig_ports(&g, ports, 31);
	CU_ASSERT_EQUAL_FATAL(g.c.nports, 31);
	for (unsigned i = 0; i < 31; i++) {
		char want[16];

		snprintf(want, sizeof(want), "port.%u", i);
		CU_ASSERT_EQUAL(g.c.ports[i].id, i);
		CU_ASSERT_STRING_EQUAL(g.c.ports[i].name, want);
		CU_ASSERT(g.c.ports[i].host_connected);
	}
	rig_fini(&g);
}

static CU_TestInfo vcon_tests[] = {
	{ "a write reaches out_fd on a single-port device", test_output_single_port },
	{ "a write reaches out_fd through a multiport device", test_output_multiport },
	{ "the multiport handshake adds, nominates and opens port 0", test_handshake },
	{ "a multiport device without port 0 comes up after a quiet time; writes fail", test_no_port0 },
	{ "every port is answered and recorded with its name, in the device's order", test_named_ports },
	{ "31 ports: no announcement or answer is lost", test_many_ports },
	{ "lines typed into in_fd are read through the poller", test_lines_from_pipe },
	{ "\\n, \\r\\n and \\r each end one line", test_line_endings },
	{ "a line split over deliveries or a timeout comes whole", test_split_line },
	{ "an over-long line gives -VERR_RANGE and the next line is fine", test_long_line },
	{ "reads with nothing to read time out, with or without a pipe", test_timeouts },
	{ "a raw read returns what is there, kept bytes first", test_raw_read },
	{ "input that came before the driver is kept for it", test_early_input },
	{ "revision 0 uses big-endian control messages and rings", test_legacy },
	{ "the packed ring carries both directions", test_packed },
	{ "an emergency write sends the low byte of emerg_wr", test_emergency_write },
	{ "a reset closes port 0 and a new driver opens it again", test_reset },
	{ "a device that went away gives errors, not a hang", test_device_gone },
	{ "a device flooding the control queue fails the bring-up in bounds", test_control_flood },
	{ "4-entry queues: fewer receive buffers, output flows", test_small_queues },
	{ "the model ignores malformed control messages from a driver", test_hostile_driver },
	{ "the driver ignores malformed control messages from a device", test_hostile_device },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vcon_suite = { "vcon", NULL, NULL, NULL, NULL, vcon_tests };
