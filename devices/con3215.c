/*
 * 3215 console: WRITE (0x01), WRITE with carrier return (0x09), READ
 * INQUIRY (0x0A) and the alarm, through the ccw layer's css_run(), with
 * code page 037 translation. Facts: reference/platforms.md 7.2 (measured
 * on Hercules 3.13) and Hercules' con1052c.c (the 150-byte buffer, the
 * newline rule of 0x09, the read that waits for the operator).
 */
#include "devices/con3215.h"

#include "ccw/port.h"       /* port_dma_alloc, port_dma_addr, port_now_us */
#include "devices/ebcdic.h" /* ebcdic_from_ascii, ebcdic_to_ascii */
#include "ring/fmt.h"       /* fmt_snprintf */

/* A read whose deadline has already passed still gets this long, so input
 * that is there at once is taken. */
#define CON3215_READ_MIN_US 1000u

int con3215_init(struct con3215 *con, struct css *css, u32 schid)
{
	memset(con, 0, sizeof(*con));
	con->css = css;
	con->schid = schid;
	con->dma = port_dma_alloc(sizeof(*con->dma), 8);
	if (!con->dma) {
		con->err = -VERR_NOMEM;
		fmt_snprintf(con->why, sizeof(con->why), "no DMA memory for the console");
		return -VERR_NOMEM;
	}
	return 0;
}

int con3215_find(struct con3215 *con, struct css *css)
{
	u32 schno;

	for (schno = 0; schno <= SCHID_SCHNO_MASK; schno++) {
		u32 schid = schid_make(0, schno);
		struct schib schib;
		struct senseid id;
		unsigned len;
		u16 cu;

		if (css_stsch(css, schid, &schib))
			break; /* cc 3: past the last subchannel */
		if (!(be16_to_cpu(schib.pmcw.flags) & PMCW_FLAGS_DNV))
			continue;
		if (css_enable(css, schid, schid) || css_sense_id(css, schid, &id, &len))
			continue;
		cu = be16_to_cpu(id.cu_type);
		if (cu == 0x3215 || cu == 0x1052)
			return con3215_init(con, css, schid);
	}
	memset(con, 0, sizeof(*con));
	con->err = -VERR_NODEV;
	fmt_snprintf(con->why, sizeof(con->why), "no 3215 or 1052 console in subchannel set 0");
	return -VERR_NODEV;
}

/* Record the outcome of a program on the console; returns err. */
static int note(struct con3215 *con, const char *what, int err, const struct css_result *res)
{
	char explain[120];

	con->err = err;
	if (!err) {
		con->why[0] = '\0';
		return 0;
	}
	if (err != -VERR_TIMEOUT)
		con->stats.errors++;
	irb_explain(res, explain, sizeof(explain));
	fmt_snprintf(con->why, sizeof(con->why), "%s on console 0.%x.%04x: %s", what,
		     (unsigned)schid_ssid(con->schid), (unsigned)schid_schno(con->schid), explain);
	return err;
}

/* One WRITE of n bytes (n <= CON3215_LINE_MAX) with command cmd. */
static int write_one(struct con3215 *con, u8 cmd, const char *s, size_t n)
{
	struct con3215_dma *d = con->dma;
	struct css_result res;
	size_t i;
	u32 cda;
	int err;

	if (!d)
		return -VERR_INVAL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* Hercules prints a non-printable character as a blank anyway. */
		d->buf[i] = ebcdic_from_ascii(c < 0x20 || c >= 0x7F ? ' ' : (char)c);
	}
	if (n == 0)
		d->buf[n++] = ebcdic_from_ascii(' '); /* an empty line still advances */
	/* SLI: a console that takes less reports it as residual, not an error. */
	if (css_addr31(d->buf, n, &cda))
		return -VERR_RANGE;
	d->ccw = ccw1_make(cmd, CCW_FLAG_SLI, (u16)n, cda);
	err = css_run(con->css, con->schid, &d->ccw, CON3215_TIMEOUT_US, &res);
	note(con, cmd == CON3215_CMD_WRITE ? "WRITE" : "WRITE with carrier return", err, &res);
	if (!err && res.residual) {
		/* The device took less than a record it must take whole. */
		con->err = err = -VERR_IO;
		con->stats.errors++;
		fmt_snprintf(con->why, sizeof(con->why),
			     "WRITE on console 0.%x.%04x: the device took %u of %u bytes",
			     (unsigned)schid_ssid(con->schid), (unsigned)schid_schno(con->schid),
			     (unsigned)(n - MIN(res.residual, n)), (unsigned)n);
	}
	if (!err)
		con->stats.writes++;
	return err;
}

int con3215_write(struct con3215 *con, const char *s, size_t n)
{
	while (n > 0) {
		size_t chunk = MIN(n, (size_t)CON3215_LINE_MAX);
		int err = write_one(con, CON3215_CMD_WRITE, s, chunk);

		if (err)
			return err;
		s += chunk;
		n -= chunk;
	}
	return 0;
}

int con3215_write_line(struct con3215 *con, const char *s, size_t n)
{
	/* Pieces without carrier return while a full-length last piece would
	 * remain; the last one (1 to 149 bytes, or the blank of an empty
	 * line) carries the carrier return. */
	while (n >= CON3215_LINE_MAX) {
		size_t chunk = MIN((size_t)CON3215_LINE_MAX, n - 1);
		int err = write_one(con, CON3215_CMD_WRITE, s, chunk);

		if (err)
			return err;
		s += chunk;
		n -= chunk;
	}
	return write_one(con, CON3215_CMD_WRITE_CR, s, n);
}

int con3215_put(struct con3215 *con, const char *s, size_t n)
{
	int first = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int err = 0;

		if (s[i] == '\n') {
			err = con3215_write_line(con, con->line, con->line_len);
			con->line_len = 0;
		} else {
			/* Full: write it without carrier return now that more of
			 * the line is coming, so the line's end stays short. */
			if (con->line_len == sizeof(con->line)) {
				err = con3215_write(con, con->line, con->line_len);
				con->line_len = 0;
			}
			con->line[con->line_len++] = s[i];
		}
		if (err && !first)
			first = err;
	}
	return first;
}

int con3215_flush(struct con3215 *con)
{
	int err = 0;

	if (con->line_len)
		err = con3215_write(con, con->line, con->line_len);
	con->line_len = 0;
	return err;
}

int con3215_read(struct con3215 *con, char *buf, size_t size, u64 deadline_us)
{
	struct con3215_dma *d = con->dma;
	struct css_result res;
	u64 now = port_now_us();
	u64 timeout = deadline_us > now ? deadline_us - now : 0;
	size_t want, got;
	u32 cda;
	int err;

	if (!d || !buf || size == 0)
		return -VERR_INVAL;
	want = MIN(size - 1, (size_t)CON3215_LINE_MAX);
	if (want == 0) {
		buf[0] = '\0';
		return 0;
	}
	memset(d->buf, 0, want);
	/* SLI: the operator's line is usually shorter than the count. */
	if (css_addr31(d->buf, want, &cda))
		return -VERR_RANGE;
	d->ccw = ccw1_make(CON3215_CMD_READ, CCW_FLAG_SLI, (u16)want, cda);
	err = css_run(con->css, con->schid, &d->ccw, MAX(timeout, (u64)CON3215_READ_MIN_US), &res);
	if (err) {
		buf[0] = '\0';
		return note(con, "READ INQUIRY", err, &res);
	}
	got = res.residual <= want ? want - res.residual : 0;
	for (size_t i = 0; i < got; i++)
		buf[i] = ebcdic_to_ascii(d->buf[i]);
	buf[got] = '\0';
	con->stats.reads++;
	note(con, "READ INQUIRY", 0, &res);
	return (int)got;
}

int con3215_alarm(struct con3215 *con)
{
	struct css_result res;
	u32 cda;
	int err;

	if (!con->dma)
		return -VERR_INVAL;
	/* An immediate command: no data, but an address inside DMA memory. */
	if (css_addr31(con->dma->buf, 1, &cda))
		return -VERR_RANGE;
	con->dma->ccw = ccw1_make(CON3215_CMD_ALARM, CCW_FLAG_SLI, 0, cda);
	err = css_run(con->css, con->schid, &con->dma->ccw, CON3215_TIMEOUT_US, &res);
	return note(con, "ALARM", err, &res);
}
