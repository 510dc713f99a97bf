/*
 * The simulated 3215/1052 console. Its command set, buffer size, newline
 * rule and read semantics follow Hercules 3.13's con1052c.c; the identity
 * and the error status were measured (reference/platforms.md 7.2, 11.5,
 * 11.6).
 *
 * A READ INQUIRY with no operator line waiting does not end: the device
 * holds the channel program (the interpreter's "hung" state, ended by halt
 * or clear) and, when a line arrives, executes the same CCW again. That
 * re-drive reaches into the interpreter's subchannel state (sim/internal.h)
 * because sim.h has no "device ends later" call yet.
 */
#define _GNU_SOURCE /* ppoll(): a wait in microseconds */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/con3215.h"
#include "sim/internal.h" /* sim_find, sim_add_work, struct sim_sch: the re-drive */
#include "sim/unitrec.h"  /* sim_cp037_to_ascii, sim_ascii_to_cp037 */

#define CON_CMD_WRITE 0x01
#define CON_CMD_WRITE_CR 0x09
#define CON_CMD_READ 0x0A
#define CON_CMD_ALARM 0x0B

#define CON_SENSE_CMD_REJECT 0x80
#define CON_SENSE_INTERVENTION 0x40

struct con_line {
	u8 data[SIM_CON3215_BUF]; /* EBCDIC */
	u16 len;
};

struct sim_con3215 {
	struct sim *sim;
	u32 schid;
	u16 type;
	int out_fd, in_fd;
	bool own_fds;
	bool disconnected;
	bool in_eof;
	/* Operator lines not yet read. */
	struct con_line lines[SIM_CON3215_LINES];
	unsigned line_head, nlines;
	/* A line from in_fd still being typed. */
	char part[SIM_CON3215_BUF];
	size_t part_len;
	/* A READ INQUIRY waiting for a line: the CCW it runs. */
	bool waiting;
	u64 wait_ccw;
	bool redriven;     /* the command now executing is a re-drive */
	struct sim_con3215_rec hist[SIM_CON3215_HISTORY];
	unsigned hist_next, hist_count;
	struct sim_con3215_stats stats;
};

static void record(struct sim_con3215 *c, u8 cmd, u32 count, u32 taken, bool waited)
{
	c->hist[c->hist_next] = (struct sim_con3215_rec){ cmd, count, taken, waited };
	c->hist_next = (c->hist_next + 1) % SIM_CON3215_HISTORY;
	if (c->hist_count < SIM_CON3215_HISTORY)
		c->hist_count++;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (fd >= 0 && n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* a back-end that fails loses the output, as a closed log */
		p += w;
		n -= (size_t)w;
	}
}

/* WRITE 0x01 and 0x09: con1052c.c cuts at 150 bytes, prints non-printable
 * characters as blanks, and ends a 0x09 record with a newline unless it
 * chains data or fills the buffer. */
static void con_write(struct sim_con3215 *c, struct sim_io *io)
{
	u8 raw[SIM_CON3215_BUF];
	char text[SIM_CON3215_BUF + 1];
	u32 num = MIN(io->count, SIM_CON3215_BUF);
	long got = sim_io_read(io, 0, raw, num);
	size_t len;

	if (got < 0)
		return;
	io->want = num;
	for (len = 0; len < (size_t)got; len++) {
		char ch = sim_cp037_to_ascii(raw[len]);

		text[len] = ch ? ch : ' ';
	}
	if (io->cmd == CON_CMD_WRITE_CR && !(io->flags & CCW_FLAG_CD) && len < SIM_CON3215_BUF)
		text[len++] = '\n';
	write_all(c->out_fd, text, len);
	c->stats.writes++;
	c->stats.bytes_out += (u64)got;
	record(c, io->cmd, io->count, (u32)got, false);
}

/* Deliver the first waiting line to a READ INQUIRY. */
static void con_deliver(struct sim_con3215 *c, struct sim_io *io, bool waited)
{
	struct con_line *l = &c->lines[c->line_head];
	long got = sim_io_write(io, 0, l->data, MIN(io->count, (u32)l->len));

	if (got < 0)
		return;
	/* The line's length is what the device has: a count that differs is
	 * an incorrect length unless suppressed. The rest of a longer line is
	 * lost, as in con1052c.c without data chaining. */
	io->want = l->len;
	c->line_head = (c->line_head + 1) % SIM_CON3215_LINES;
	c->nlines--;
	c->stats.reads++;
	c->stats.bytes_in += (u64)got;
	record(c, io->cmd, io->count, (u32)got, waited);
}

static void con_command(void *cu, struct sim_io *io)
{
	struct sim_con3215 *c = cu;
	bool waited = c->redriven;

	c->waiting = false;
	c->redriven = false;
	if (c->disconnected) {
		/* console.c without a telnet client. */
		memset(io->sense, 0, io->sense_len);
		io->sense[0] = CON_SENSE_INTERVENTION;
		io->dstat = SCSW_DSTAT_UNIT_CHECK;
		io->want = io->count;
		record(c, io->cmd, io->count, 0, false);
		return;
	}
	switch (io->cmd) {
	case CON_CMD_WRITE:
	case CON_CMD_WRITE_CR:
		con_write(c, io);
		return;
	case CON_CMD_READ:
		if (c->nlines) {
			con_deliver(c, io, waited);
			return;
		}
		/* Nothing typed: the device waits for the operator. A data-chained
		 * read cannot be driven again from its first CCW, so it waits for
		 * halt or clear only. */
		c->stats.waits++;
		io->result = SIM_IO_HANG;
		if (!(io->flags & CCW_FLAG_CD)) {
			struct sim_sch *sch = sim_find(c->sim, c->schid);

			c->waiting = sch != NULL;
			c->wait_ccw = sch ? sch->last_ccw : 0;
		}
		return;
	case CON_CMD_ALARM:
		/* An immediate command: no data, no length check. */
		write_all(c->out_fd, "\a", 1);
		io->want = io->count;
		c->stats.alarms++;
		record(c, io->cmd, io->count, 0, false);
		return;
	default:
		c->stats.rejects++;
		record(c, io->cmd, io->count, 0, false);
		io->result = SIM_IO_REJECT;
		return;
	}
}

/*
 * A line arrived for a READ INQUIRY that waits: let the channel subsystem
 * execute its CCW again, now that the device has data. Only when that
 * program still waits in the same CCW (not halted, cleared or replaced).
 * Returns true when it did.
 */
static bool con_redrive(struct sim_con3215 *c)
{
	struct sim_sch *sch;
	u8 cmd = 0;

	if (!c->waiting || !c->nlines)
		return false;
	c->waiting = false;
	sch = sim_find(c->sim, c->schid);
	if (!sch || !sch->present || !sch->hung || sch->last_ccw != c->wait_ccw ||
	    !(sch->scsw.ctrl & SCSW_ACTL_SCH_ACTIVE) ||
	    (sch->scsw.ctrl & (SCSW_ACTL_HALT_PEND | SCSW_ACTL_CLEAR_PEND)))
		return false;
	/* Format 0 and 1 both keep the command in byte 0. */
	if (!sim_mem_read(c->sim, sch->ccw_addr, &cmd, 1) || cmd != CON_CMD_READ)
		return false;
	if (sim_tracing(c->sim, c->schid))
		sim_tracef(c->sim, "con3215_redrive 0.%x.%04x cmd 0x%02x at 0x%08llx",
			   schid_ssid(c->schid), schid_schno(c->schid), cmd,
			   (unsigned long long)sch->ccw_addr);
	c->stats.redrives++;
	c->redriven = true;
	sch->hung = false;
	sim_add_work(sch);
	return true;
}

/* Queue one operator line (ASCII) as EBCDIC. */
static int con_queue(struct sim_con3215 *c, const char *s, size_t len)
{
	struct con_line *l;

	if (c->nlines == SIM_CON3215_LINES)
		return SIM_ERR;
	l = &c->lines[(c->line_head + c->nlines) % SIM_CON3215_LINES];
	l->len = (u16)MIN(len, (size_t)SIM_CON3215_BUF);
	for (size_t i = 0; i < l->len; i++)
		l->data[i] = sim_ascii_to_cp037(s[i]);
	c->nlines++;
	return 0;
}

int sim_con3215_input(struct sim_con3215 *c, const char *line, size_t len)
{
	if (con_queue(c, line, len) < 0)
		return SIM_ERR;
	con_redrive(c);
	return 0;
}

/* Bytes typed on in_fd: lines end at '\n'; a '\r' before it is dropped. */
static void con_typed(struct sim_con3215 *c, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			if (c->part_len && c->part[c->part_len - 1] == '\r')
				c->part_len--;
			con_queue(c, c->part, c->part_len);
			c->part_len = 0;
		} else if (c->part_len < sizeof(c->part)) {
			c->part[c->part_len++] = p[i];
		}
	}
}

/*
 * The poller: operator input from in_fd while the CPU waits. Waiting with
 * nothing to read still takes the budget, so the machine's clock keeps
 * pace with real time (as sim/dev_con.c does).
 */
static bool con_poll(void *ctx, u64 budget_us)
{
	struct sim_con3215 *c = ctx;
	struct timespec ts = { (time_t)(budget_us / 1000000u), (long)(budget_us % 1000000u) * 1000 };
	struct pollfd pfd = { .fd = c->in_fd, .events = POLLIN };
	char buf[512];
	ssize_t got;

	if (c->in_eof || c->nlines == SIM_CON3215_LINES) {
		if (budget_us)
			ppoll(NULL, 0, &ts, NULL);
		return con_redrive(c);
	}
	if (ppoll(&pfd, 1, &ts, NULL) <= 0)
		return false;
	got = read(c->in_fd, buf, sizeof(buf));
	if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
		c->in_eof = true;
		/* A last line without its newline still counts. */
		if (c->part_len) {
			con_queue(c, c->part, c->part_len);
			c->part_len = 0;
		}
	}
	if (got > 0)
		con_typed(c, buf, (size_t)got);
	return con_redrive(c) || got > 0;
}

static void con_unplugged(void *cu)
{
	struct sim_con3215 *c = cu;

	/* The program in progress is lost with the device. */
	c->waiting = false;
}

static void con_reset(void *cu)
{
	struct sim_con3215 *c = cu;

	c->waiting = false;
	c->redriven = false;
}

static void con_destroy(void *cu)
{
	struct sim_con3215 *c = cu;

	if (c->own_fds) {
		if (c->in_fd >= 0)
			close(c->in_fd);
		if (c->out_fd >= 0 && c->out_fd != c->in_fd)
			close(c->out_fd);
	}
	free(c);
}

static const struct sim_cu_ops con_ops = {
	.command = con_command,
	.reset = con_reset,
	.unplugged = con_unplugged,
	.destroy = con_destroy,
};

long sim_con3215_add(struct sim *sim, const struct sim_dev_config *dev,
		     const struct sim_con3215_opts *opts, char *why)
{
	struct sim_con3215 *c;
	struct sim_dev_config cfg = *dev;
	u16 type = opts->type ? opts->type : 0x3215;
	long schid;

	if (type != 0x3215 && type != 0x1052) {
		if (why)
			snprintf(why, 128, "a console is a 3215 or a 1052, not %04x", type);
		return SIM_ERR;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		if (why)
			snprintf(why, 128, "out of memory");
		return SIM_ERR;
	}
	c->sim = sim;
	c->type = type;
	c->out_fd = opts->out_fd;
	c->in_fd = opts->in_fd;
	c->own_fds = opts->own_fds;
	c->disconnected = opts->disconnected;
	/* SENSE ID FF tttt 00 tttt 00, 7 bytes; one sense byte (con1052c.c). */
	cfg.cu_type = type;
	cfg.cu_model = 0x00;
	cfg.dev_type = type;
	cfg.dev_model = 0x00;
	memset(cfg.ciw, 0, sizeof(cfg.ciw));
	cfg.senseid_len = 7;
	cfg.sense_len = 1;
	schid = sim_attach(sim, &cfg, &con_ops, c);
	if (schid < 0) {
		if (why)
			snprintf(why, 128, "no free subchannel");
		c->own_fds = false; /* the caller keeps its descriptors */
		con_destroy(c);
		return SIM_ERR;
	}
	c->schid = (u32)schid;
	if (c->in_fd >= 0 && sim_add_poller(sim, con_poll, c) < 0) {
		/* The subchannel stays; its input does not work. */
		if (why)
			snprintf(why, 128, "too many pollers: input from the descriptor is off");
		c->in_fd = -1;
	}
	return schid;
}

struct sim_con3215 *sim_con3215_find(struct sim *sim, u32 schid)
{
	struct sim_sch *sch = sim_find(sim, schid);

	return sch && sch->ops == &con_ops ? sch->cu : NULL;
}

unsigned sim_con3215_history(const struct sim_con3215 *c, struct sim_con3215_rec *out,
			     unsigned max)
{
	unsigned n = MIN(max, c->hist_count);
	unsigned first = (c->hist_next + SIM_CON3215_HISTORY - n) % SIM_CON3215_HISTORY;

	for (unsigned i = 0; i < n; i++)
		out[i] = c->hist[(first + i) % SIM_CON3215_HISTORY];
	return n;
}

void sim_con3215_get_stats(const struct sim_con3215 *c, struct sim_con3215_stats *out)
{
	*out = c->stats;
}
