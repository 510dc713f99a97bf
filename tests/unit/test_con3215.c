/*
 * devices/con3215.c, the 3215 console driver, against the simulated 3215
 * (sim/con3215.c): writes with and without carrier return, line splitting
 * at the device's 150 bytes, reads with input present, arriving later and
 * never arriving, translation both ways, command reject, the device going
 * away, and the console search.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "boot/host/host.h"
#include "devices/con3215.h"
#include "sim/con3215.h"
#include "sim/testdev.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"

#define RIG_MEM (4u << 20)
#define MS 1000u

/* Input typed "later": a poller that acts after a number of idle calls. */
struct late {
	struct sim *sim;
	u32 schid;
	struct sim_con3215 *model;
	unsigned calls, after;
	const char *line;  /* typed, or NULL: the device goes away instead */
	bool done;
};

struct rig {
	struct sim *sim;
	struct css css;
	struct con3215 con;
	struct sim_con3215 *model;
	u32 schid;
	int out_rd; /* the test's end of the output pipe */
	int in_wr;  /* the test's end of the input pipe, or -1 */
	struct late late;
};

struct rig_opts {
	bool in_pipe;
	bool deferred;
	bool disconnected;
	bool testdev_first; /* a non-console device at subchannel 0 */
	bool no_console;
};

static bool rig_init(struct rig *g, const struct rig_opts *o)
{
	struct sim_con3215_opts co = { 0x3215, -1, -1, true, o->disconnected };
	struct sim_dev_config dev;
	char why[128];
	int p[2];
	long schid;

	memset(g, 0, sizeof(*g));
	g->out_rd = g->in_wr = -1;
	if (pipe(p))
		return false;
	g->out_rd = p[0];
	co.out_fd = p[1];
	fcntl(g->out_rd, F_SETFL, O_NONBLOCK);
	if (o->in_pipe) {
		if (pipe(p))
			return false;
		co.in_fd = p[0];
		g->in_wr = p[1];
	}
	g->sim = drvrig_machine(SIM_PROFILE_ARCH,
				o->deferred ? SIM_COMPLETE_DEFERRED : SIM_COMPLETE_SYNC, RIG_MEM, false);
	if (!g->sim)
		return false;
	if (o->testdev_first && sim_testdev_attach(g->sim, 0, -1, 0x0100, NULL) < 0)
		return false;
	if (!o->no_console) {
		dev = unit_dev(0x0009);
		schid = sim_con3215_add(g->sim, &dev, &co, why);
		if (schid < 0) {
			fprintf(stderr, "sim_con3215_add: %s\n", why);
			return false;
		}
		g->schid = (u32)schid;
		g->model = sim_con3215_find(g->sim, g->schid);
	} else {
		close(co.out_fd);
	}
	return drvrig_bind(g->sim, &g->css);
}

static void rig_fini(struct rig *g)
{
	drvrig_close(&g->sim);
	if (g->out_rd >= 0)
		close(g->out_rd);
	if (g->in_wr >= 0)
		close(g->in_wr);
}

/* A machine with the console found and attached. */
static bool rig_start(struct rig *g, const struct rig_opts *o)
{
	if (!rig_init(g, o))
		return false;
	if (con3215_find(&g->con, &g->css)) {
		fprintf(stderr, "con3215_find: %s\n", g->con.why);
		return false;
	}
	return g->con.schid == g->schid;
}

/* What the console printed so far, NUL-terminated. */
static size_t drain(struct rig *g, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size) {
		ssize_t r = read(g->out_rd, buf + n, size - 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	return n;
}

static unsigned history(struct rig *g, struct sim_con3215_rec *h, unsigned max)
{
	return sim_con3215_history(g->model, h, max);
}

static struct sim_con3215_stats stats(struct rig *g)
{
	struct sim_con3215_stats s;

	sim_con3215_get_stats(g->model, &s);
	return s;
}

static bool late_poll(void *ctx, u64 budget_us)
{
	struct late *l = ctx;

	(void)budget_us;
	if (l->done || ++l->calls < l->after)
		return false;
	l->done = true;
	if (l->line)
		sim_con3215_input(l->model, l->line, strlen(l->line));
	else
		sim_set_present(l->sim, l->schid, false);
	return true;
}

static void arm_late(struct rig *g, unsigned after, const char *line)
{
	g->late = (struct late){ g->sim, g->schid, g->model, 0, after, line, false };
	CU_ASSERT_EQUAL_FATAL(sim_add_poller(g->sim, late_poll, &g->late), 0);
}

/* --- Output -------------------------------------------------------------- */

static void test_writes(void)
{
	struct rig_opts o = { 0 };
	struct sim_con3215_rec h[8];
	struct rig g;
	char out[256];

	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(con3215_write(&g.con, "abc", 3), 0);
	CU_ASSERT_EQUAL(con3215_write_line(&g.con, "def", 3), 0);
	CU_ASSERT_EQUAL(con3215_write_line(&g.con, "", 0), 0);
	CU_ASSERT_EQUAL(drain(&g, out, sizeof(out)), 9);
	CU_ASSERT_STRING_EQUAL(out, "abcdef\n \n");
	CU_ASSERT_EQUAL_FATAL(history(&g, h, 8), 3);
	CU_ASSERT_EQUAL(h[0].cmd, CON3215_CMD_WRITE);
	CU_ASSERT_EQUAL(h[0].count, 3);
	CU_ASSERT_EQUAL(h[1].cmd, CON3215_CMD_WRITE_CR);
	CU_ASSERT_EQUAL(h[1].taken, 3);
	/* An empty line is one blank with carrier return. */
	CU_ASSERT_EQUAL(h[2].cmd, CON3215_CMD_WRITE_CR);
	CU_ASSERT_EQUAL(h[2].count, 1);
	CU_ASSERT_EQUAL(g.con.err, 0);
	CU_ASSERT_STRING_EQUAL(g.con.why, "");
	CU_ASSERT_EQUAL(g.con.stats.writes, 3);
	rig_fini(&g);
}

/* The writes a line of n characters becomes, as the device received them. */
static void check_split(size_t n, const u16 *counts, const u8 *cmds, unsigned nw)
{
	struct rig_opts o = { 0 };
	struct sim_con3215_rec h[8];
	char line[400], out[512];
	struct rig g;
	size_t i;

	for (i = 0; i < n; i++)
		line[i] = (char)('A' + i % 26);
	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(con3215_write_line(&g.con, line, n), 0);
	CU_ASSERT_EQUAL_FATAL(history(&g, h, 8), nw);
	for (i = 0; i < nw; i++) {
		CU_ASSERT_EQUAL(h[i].cmd, cmds[i]);
		CU_ASSERT_EQUAL(h[i].count, counts[i]);
		CU_ASSERT_EQUAL(h[i].taken, counts[i]);
	}
	/* The pieces make the whole line, and one newline ends it. */
	CU_ASSERT_EQUAL(drain(&g, out, sizeof(out)), n + 1);
	CU_ASSERT(memcmp(out, line, n) == 0);
	CU_ASSERT_EQUAL(out[n], '\n');
	rig_fini(&g);
}

static void test_split(void)
{
	static const u8 w_cr[] = { 0x01, 0x09 }, w_w_cr[] = { 0x01, 0x01, 0x09 };
	static const u8 cr[] = { 0x09 };

	check_split(149, (const u16[]){ 149 }, cr, 1);
	/* 150: a full WRITE 0x09 would get no newline on Hercules. */
	check_split(150, (const u16[]){ 149, 1 }, w_cr, 2);
	check_split(151, (const u16[]){ 150, 1 }, w_cr, 2);
	check_split(200, (const u16[]){ 150, 50 }, w_cr, 2);
	check_split(300, (const u16[]){ 150, 149, 1 }, w_w_cr, 3);
	check_split(399, (const u16[]){ 150, 150, 99 }, w_w_cr, 3);
}

/* Text through con3215_put: lines at '\n', long lines without a break. */
static void test_put(void)
{
	struct rig_opts o = { 0 };
	struct sim_con3215_rec h[8];
	char text[260], out[512];
	struct rig g;

	memset(text, 'x', 220);
	text[220] = '\n';
	memcpy(text + 221, "tail", 4);
	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(con3215_put(&g.con, "one\ntw", 6), 0);
	CU_ASSERT_EQUAL(con3215_put(&g.con, "o\n", 2), 0);
	CU_ASSERT_EQUAL(con3215_put(&g.con, text, 225), 0);
	CU_ASSERT_EQUAL(drain(&g, out, sizeof(out)), 4 + 4 + 221);
	CU_ASSERT(memcmp(out, "one\ntwo\n", 8) == 0);
	CU_ASSERT(memcmp(out + 8, text, 221) == 0);
	CU_ASSERT_EQUAL(con3215_flush(&g.con), 0);
	CU_ASSERT_EQUAL(drain(&g, out, sizeof(out)), 4);
	CU_ASSERT_STRING_EQUAL(out, "tail");
	/* The 220-byte line: 150 without carrier return, then 70 with it. */
	CU_ASSERT_EQUAL_FATAL(history(&g, h, 8), 5);
	CU_ASSERT_EQUAL(h[2].cmd, CON3215_CMD_WRITE);
	CU_ASSERT_EQUAL(h[2].count, 150);
	CU_ASSERT_EQUAL(h[3].cmd, CON3215_CMD_WRITE_CR);
	CU_ASSERT_EQUAL(h[3].count, 70);
	CU_ASSERT_EQUAL(h[4].cmd, CON3215_CMD_WRITE);
	rig_fini(&g);
}

/* The device's own limit: 150 bytes, the rest as residual; no newline
 * after a full 150-byte WRITE 0x09 (con1052c.c). */
static void test_device_limit(void)
{
	struct rig_opts o = { 0 };
	struct css_result res;
	struct rig g;
	char out[512];
	u8 *buf;

	CU_ASSERT_FATAL(rig_start(&g, &o));
	buf = port_dma_alloc(200, 8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	memset(buf, 0xC1, 200); /* 'A' */
	CU_ASSERT_EQUAL(css_run1(&g.css, g.schid, CON3215_CMD_WRITE_CR, CCW_FLAG_SLI, 200, buf,
				 CON3215_TIMEOUT_US, &res), 0);
	CU_ASSERT_EQUAL(res.residual, 50);
	CU_ASSERT_EQUAL(drain(&g, out, sizeof(out)), 150);
	/* Without SLI the short transfer is an incorrect length. */
	CU_ASSERT_EQUAL(css_run1(&g.css, g.schid, CON3215_CMD_WRITE, 0, 200, buf,
				 CON3215_TIMEOUT_US, &res), -VERR_IO);
	CU_ASSERT(res.irb.scsw.cstat & SCSW_CSTAT_INCORR_LEN);
	CU_ASSERT_EQUAL(res.residual, 50);
	CU_ASSERT_EQUAL(drain(&g, out, sizeof(out)), 150);
	/* 149 bytes with 0x09: the newline comes. */
	CU_ASSERT_EQUAL(css_run1(&g.css, g.schid, CON3215_CMD_WRITE_CR, 0, 149, buf,
				 CON3215_TIMEOUT_US, &res), 0);
	CU_ASSERT_EQUAL(drain(&g, out, sizeof(out)), 150);
	CU_ASSERT_EQUAL(out[149], '\n');
	rig_fini(&g);
}

/* --- Input ---------------------------------------------------------------- */

static void test_read_present(void)
{
	struct rig_opts o = { 0 };
	struct sim_con3215_rec h[4];
	struct rig g;
	char line[200];

	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(sim_con3215_input(g.model, "hello, console", 14), 0);
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + 10 * MS), 14);
	CU_ASSERT_STRING_EQUAL(line, "hello, console");
	CU_ASSERT_EQUAL_FATAL(history(&g, h, 4), 1);
	CU_ASSERT_EQUAL(h[0].cmd, CON3215_CMD_READ);
	CU_ASSERT_EQUAL(h[0].count, 150);
	CU_ASSERT_EQUAL(h[0].taken, 14);
	CU_ASSERT(!h[0].waited);
	/* A buffer shorter than the line: the rest is lost, as on Hercules. */
	CU_ASSERT_EQUAL(sim_con3215_input(g.model, "abcdefgh", 8), 0);
	CU_ASSERT_EQUAL(sim_con3215_input(g.model, "next", 4), 0);
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, 4, port_now_us() + 10 * MS), 3);
	CU_ASSERT_STRING_EQUAL(line, "abc");
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + 10 * MS), 4);
	CU_ASSERT_STRING_EQUAL(line, "next");
	/* An operator line is at most the device's 150 bytes. */
	memset(line, 'y', 180);
	CU_ASSERT_EQUAL(sim_con3215_input(g.model, line, 180), 0);
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + 10 * MS), 150);
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, 0, port_now_us()), -VERR_INVAL);
	rig_fini(&g);
}

static void check_read_later(bool deferred)
{
	struct rig_opts o = { .deferred = deferred };
	struct sim_con3215_rec h[4];
	struct rig g;
	char line[64];

	CU_ASSERT_FATAL(rig_start(&g, &o));
	arm_late(&g, 5, "typed later");
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + 500 * MS), 11);
	CU_ASSERT_STRING_EQUAL(line, "typed later");
	CU_ASSERT(g.late.done);
	CU_ASSERT_EQUAL(stats(&g).waits, 1);
	CU_ASSERT_EQUAL(stats(&g).redrives, 1);
	CU_ASSERT_EQUAL_FATAL(history(&g, h, 4), 1);
	CU_ASSERT(h[0].waited);
	CU_ASSERT_EQUAL(h[0].taken, 11);
	/* The console works on after the read. */
	CU_ASSERT_EQUAL(con3215_write_line(&g.con, "ok", 2), 0);
	rig_fini(&g);
}

static void test_read_later(void)
{
	check_read_later(false);
	check_read_later(true);
}

/* Lines typed on the input descriptor, read while the CPU waits. */
static void test_read_pipe(void)
{
	struct rig_opts o = { .in_pipe = true };
	struct rig g;
	char line[64];

	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(write(g.in_wr, "first\r\nsecond\nthi", 17), 17);
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + 500 * MS), 5);
	CU_ASSERT_STRING_EQUAL(line, "first");
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + 500 * MS), 6);
	CU_ASSERT_STRING_EQUAL(line, "second");
	/* A line without its newline is not ended yet: the read times out. */
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + 30 * MS),
			-VERR_TIMEOUT);
	CU_ASSERT_EQUAL(write(g.in_wr, "rd\n", 3), 3);
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + 500 * MS), 5);
	CU_ASSERT_STRING_EQUAL(line, "third");
	rig_fini(&g);
}

static void test_read_timeout(void)
{
	struct rig_opts o = { 0 };
	struct rig g;
	char line[16];
	u64 t0;

	/* No pollers: the virtual clock jumps to the deadline. */
	CU_ASSERT_FATAL(rig_start(&g, &o));
	t0 = port_now_us();
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), t0 + 3000 * MS), -VERR_TIMEOUT);
	CU_ASSERT(port_now_us() >= t0 + 3000 * MS);
	CU_ASSERT_STRING_EQUAL(line, "");
	CU_ASSERT_EQUAL(g.con.err, -VERR_TIMEOUT);
	CU_ASSERT(strstr(g.con.why, "READ INQUIRY") != NULL);
	CU_ASSERT_EQUAL(g.con.stats.errors, 0);
	/* The halted read leaves the console usable; a line typed after it
	 * waits for the next read. */
	CU_ASSERT_EQUAL(con3215_write_line(&g.con, "after", 5), 0);
	CU_ASSERT_EQUAL(sim_con3215_input(g.model, "late", 4), 0);
	CU_ASSERT_EQUAL(stats(&g).redrives, 0);
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + MS), 4);
	CU_ASSERT_STRING_EQUAL(line, "late");
	rig_fini(&g);

	/* An input pipe with nothing in it: real time passes, still bounded. */
	o.in_pipe = true;
	CU_ASSERT_FATAL(rig_start(&g, &o));
	t0 = port_now_us();
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), t0 + 40 * MS), -VERR_TIMEOUT);
	CU_ASSERT(port_now_us() >= t0 + 40 * MS);
	rig_fini(&g);
}

/* --- Translation, errors ------------------------------------------------- */

static void test_round_trip(void)
{
	struct rig_opts o = { 0 };
	struct rig g;
	char text[96], out[128], line[128];
	int n = 0;

	for (int c = 0x20; c < 0x7F; c++)
		text[n++] = (char)c;
	text[n] = '\0';
	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(con3215_write_line(&g.con, text, (size_t)n), 0);
	CU_ASSERT_EQUAL(drain(&g, out, sizeof(out)), (size_t)n + 1);
	CU_ASSERT(memcmp(out, text, (size_t)n) == 0);
	CU_ASSERT_EQUAL(sim_con3215_input(g.model, text, (size_t)n), 0);
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + MS), n);
	CU_ASSERT_STRING_EQUAL(line, text);
	/* Control characters print as blanks. */
	CU_ASSERT_EQUAL(con3215_write_line(&g.con, "a\tb\x01", 4), 0);
	drain(&g, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "a b \n");
	rig_fini(&g);
}

static void test_reject_and_alarm(void)
{
	struct rig_opts o = { 0 };
	struct css_result res;
	struct rig g;
	char out[16];
	u8 *buf;

	CU_ASSERT_FATAL(rig_start(&g, &o));
	buf = port_dma_alloc(8, 8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	/* Hercules (platforms.md 11.6): CE DE UC, sense byte 0x80, residual 1. */
	CU_ASSERT_EQUAL(css_run1(&g.css, g.schid, 0x07, 0, 1, buf, CON3215_TIMEOUT_US, &res),
			-VERR_NOTSUP);
	CU_ASSERT_EQUAL(res.irb.scsw.dstat,
			SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_CHECK);
	CU_ASSERT_EQUAL(res.sense[0], 0x80);
	CU_ASSERT_EQUAL(res.residual, 1);
	CU_ASSERT_EQUAL(stats(&g).rejects, 1);
	/* One sense byte, cleared by being read. */
	CU_ASSERT_EQUAL(css_run1(&g.css, g.schid, CCW_CMD_BASIC_SENSE, CCW_FLAG_SLI, 32, buf,
				 CON3215_TIMEOUT_US, &res), 0);
	CU_ASSERT_EQUAL(res.residual, 31);
	CU_ASSERT_EQUAL(buf[0], 0x00);
	CU_ASSERT_EQUAL(con3215_alarm(&g.con), 0);
	CU_ASSERT_EQUAL(drain(&g, out, sizeof(out)), 1);
	CU_ASSERT_EQUAL(out[0], '\a');
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
	CU_ASSERT_EQUAL(con3215_write_line(&g.con, "x", 1), -VERR_NODEV);
	CU_ASSERT_EQUAL(g.con.err, -VERR_NODEV);
	CU_ASSERT(strstr(g.con.why, "WRITE with carrier return on console 0.0.0000") != NULL);
	t0 = host_clock_us();
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + 500 * MS),
			-VERR_NODEV);
	CU_ASSERT(host_clock_us() - t0 < 500 * MS);
	CU_ASSERT_EQUAL(con3215_put(&g.con, "y\n", 2), -VERR_NODEV);
	rig_fini(&g);

	/* Gone while a read waits for the operator. */
	CU_ASSERT_FATAL(rig_start(&g, &o));
	arm_late(&g, 3, NULL);
	CU_ASSERT_EQUAL(con3215_read(&g.con, line, sizeof(line), port_now_us() + 500 * MS),
			-VERR_NODEV);
	CU_ASSERT(g.late.done);
	CU_ASSERT_EQUAL(stats(&g).redrives, 0);
	rig_fini(&g);
}

/* A telnet 3215 with no client: intervention required, said in words. */
static void test_disconnected(void)
{
	struct rig_opts o = { .disconnected = true };
	struct rig g;

	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(con3215_write_line(&g.con, "lost", 4), -VERR_IO);
	CU_ASSERT(strstr(g.con.why, "intervention required") != NULL);
	CU_ASSERT_EQUAL(g.con.stats.errors, 1);
	rig_fini(&g);
}

static void test_find(void)
{
	struct rig_opts o = { .testdev_first = true };
	struct rig g;

	/* The console behind another device: found by its SENSE ID. */
	CU_ASSERT_FATAL(rig_start(&g, &o));
	CU_ASSERT_EQUAL(schid_schno(g.con.schid), 1);
	rig_fini(&g);

	o.no_console = true;
	CU_ASSERT_FATAL(rig_init(&g, &o));
	CU_ASSERT_EQUAL(con3215_find(&g.con, &g.css), -VERR_NODEV);
	CU_ASSERT(strstr(g.con.why, "no 3215") != NULL);
	CU_ASSERT_EQUAL(con3215_write(&g.con, "x", 1), -VERR_INVAL);
	rig_fini(&g);
}

static CU_TestInfo con3215_tests[] = {
	{ "WRITE and WRITE with carrier return reach the output as ASCII", test_writes },
	{ "a long line is split at 150 bytes, the last piece shorter", test_split },
	{ "put() writes lines at newlines and keeps long lines whole", test_put },
	{ "the device takes 150 bytes of a write and returns the rest", test_device_limit },
	{ "a read takes a line that is there, cut to the buffer", test_read_present },
	{ "a read waits for a line that arrives later", test_read_later },
	{ "lines typed on the input descriptor are read", test_read_pipe },
	{ "a read with nothing typed times out and is halted", test_read_timeout },
	{ "printable ASCII round-trips through code page 037", test_round_trip },
	{ "an unknown command is rejected; the alarm sounds", test_reject_and_alarm },
	{ "a console that went away gives errors, not a hang", test_device_gone },
	{ "a telnet console without a client reports intervention required", test_disconnected },
	{ "the console is found by SENSE ID, or its absence said", test_find },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo con3215_suite = { "con3215", NULL, NULL, NULL, NULL, con3215_tests };
