/*
 * The 3215 console (and the 1052 that shares its command set): line output
 * in EBCDIC through channel programs. Hercules' 3215-C integrated console.
 */
#ifndef DEVICES_CON3215_H
#define DEVICES_CON3215_H

#include "ccw/css.h" /* struct css */

/* Command codes (IBM 3215 Console Printer-Keyboard component description). */
#define CON3215_CMD_WRITE 0x01    /* write, no carrier return */
#define CON3215_CMD_WRITE_CR 0x09 /* write, then carrier return */
#define CON3215_CMD_NOOP 0x03
#define CON3215_CMD_SENSE 0x04
#define CON3215_CMD_READ 0x0A     /* read inquiry */
#define CON3215_CMD_ALARM 0x0B    /* audible alarm */

/* The longest line one WRITE carries (Hercules' 3215-C buffer). */
#define CON3215_LINE_MAX 150u

struct con3215_dma {
	struct ccw1 ccw;
	u8 buf[CON3215_LINE_MAX];
};

struct con3215 {
	struct css *css;
	u32 schid;
	struct con3215_dma *dma;
};

/*
 * Attach to the enabled subchannel schid (already recognised as a 3215 or
 * 1052 by SENSE ID). Allocates its DMA memory. Returns 0 or -VERR_NOMEM.
 */
int con3215_init(struct con3215 *con, struct css *css, u32 schid);

/*
 * Write one line of ASCII text (no newline in it) followed by a carrier
 * return. Lines longer than CON3215_LINE_MAX are split into several. Control
 * characters print as blanks. Waits for each write. Returns 0 or the
 * css_run() error of the first failed write.
 */
int con3215_write_line(struct con3215 *con, const char *s, size_t n);

#endif /* DEVICES_CON3215_H */
