/*
 * The 3215 console (and the 1052 that shares its command set): line output
 * and operator input in EBCDIC through channel programs. Hercules' 3215-C
 * and 1052-C integrated consoles (reference/platforms.md 7.2).
 */
#ifndef DEVICES_CON3215_H
#define DEVICES_CON3215_H

#include "ccw/css.h" /* struct css, struct css_result */

/* Command codes (IBM 3215 Console Printer-Keyboard component description;
 * platforms.md 7.2). NOP and SENSE are the architecture's 0x03 and 0x04. */
#define CON3215_CMD_WRITE 0x01    /* write, no carrier return */
#define CON3215_CMD_WRITE_CR 0x09 /* write, then carrier return */
#define CON3215_CMD_NOOP 0x03
#define CON3215_CMD_SENSE 0x04    /* one sense byte */
#define CON3215_CMD_READ 0x0A     /* read inquiry */
#define CON3215_CMD_ALARM 0x0B    /* audible alarm */

/* The longest record one WRITE or READ INQUIRY carries: Hercules' 3215-C
 * buffer (BUFLEN_1052 in con1052c.c). A longer write is cut there and the
 * rest comes back as residual count. */
#define CON3215_LINE_MAX 150u

/* Bound of one write; a read is bounded by its caller's deadline. */
#define CON3215_TIMEOUT_US 1000000u

/* Channel-subsystem-addressable memory of one console. */
struct con3215_dma {
	struct ccw1 ccw;
	u8 buf[CON3215_LINE_MAX];
};

struct con3215_stats {
	unsigned writes;   /* WRITE channel programs that ended normally */
	unsigned reads;    /* READ INQUIRY programs that brought a line */
	unsigned errors;   /* programs that failed (timeouts of reads excluded) */
};

struct con3215 {
	struct css *css;
	u32 schid;
	struct con3215_dma *dma;
	/* Text given to con3215_put() and not yet written. */
	char line[CON3215_LINE_MAX];
	size_t line_len;
	int err;                /* the last error, 0 when the last program ended well */
	char why[160];          /* that error in words ("" after success) */
	struct con3215_stats stats;
};

/*
 * Attach to the enabled subchannel schid (already recognised as a 3215 or
 * 1052 by SENSE ID). Allocates its DMA memory once. Returns 0 or
 * -VERR_NOMEM.
 */
int con3215_init(struct con3215 *con, struct css *css, u32 schid);

/*
 * Find the console: the first subchannel of set 0, in number order, whose
 * SENSE ID names a 3215 or a 1052 control unit. Enables each subchannel it
 * looks at (intparm = subchannel id) and attaches con to the console with
 * con3215_init(). Returns 0, -VERR_NODEV when there is none, or
 * -VERR_NOMEM. Waits for each SENSE ID.
 */
int con3215_find(struct con3215 *con, struct css *css);

/*
 * Write n bytes of ASCII text without a carrier return (WRITE 0x01), in
 * pieces of at most CON3215_LINE_MAX bytes. Newlines and other control
 * characters print as blanks. Waits for each write. Returns 0 or the
 * css_run() error of the first failed write (con->why says what happened).
 */
int con3215_write(struct con3215 *con, const char *s, size_t n);

/*
 * Write one line of ASCII text (no newline in it) followed by a carrier
 * return. A line longer than CON3215_LINE_MAX goes out as writes without
 * carrier return and a last WRITE 0x09 of 1 to 149 bytes: Hercules adds
 * no newline to a full 150-byte WRITE 0x09 (con1052c.c), so the last piece
 * is kept shorter. An empty line is written as one blank. Returns as
 * con3215_write().
 */
int con3215_write_line(struct con3215 *con, const char *s, size_t n);

/*
 * Console output as a terminal takes it: text with '\n' line ends, held
 * until a line is complete (or the line buffer is full, then written
 * without carrier return). Returns 0 or the error of a failed write; the
 * text of a failed write is dropped.
 */
int con3215_put(struct con3215 *con, const char *s, size_t n);

/* Write what con3215_put() holds, without carrier return. Returns as con3215_write(). */
int con3215_flush(struct con3215 *con);

/*
 * Read one line of operator input (READ INQUIRY) into buf as ASCII,
 * NUL-terminated: at most MIN(size - 1, CON3215_LINE_MAX) characters; the
 * device drops the rest of a longer line. Waits until the operator ends the
 * line or the deadline (a port_now_us() value) passes; the read is then
 * halted. Returns the length, -VERR_TIMEOUT, -VERR_INVAL (size 0), or
 * another css_run() error.
 */
int con3215_read(struct con3215 *con, char *buf, size_t size, u64 deadline_us);

/* Sound the audible alarm (0x0B). Returns 0 or a css_run() error. */
int con3215_alarm(struct con3215 *con);

#endif /* DEVICES_CON3215_H */
