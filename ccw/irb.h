/*
 * Interpreting the final IRB of a channel program: the mapping to an error
 * code, and an explanation in words for reports.
 */
#ifndef CCW_IRB_H
#define CCW_IRB_H

#include "ccw/css_hw.h" /* struct irb, SENSE_DATA_LEN */

/* The outcome of one channel program. */
struct css_result {
	struct irb irb;           /* the final IRB as TSCH stored it */
	u8 sense[SENSE_DATA_LEN]; /* valid when sense_len > 0 */
	unsigned sense_len;
	u16 residual;             /* residual count of the last CCW */
	int err;                  /* 0 or -VERR_*, as css_run() returned */
};

/*
 * Map a final IRB to an error code, given the sense data when there was a
 * unit check (sense may be NULL):
 *   deferred cc 3                          -> -VERR_NODEV
 *   unit check with command reject         -> -VERR_NOTSUP
 *   other unit check                       -> -VERR_IO
 *   program, protection, channel-data, channel-control, interface-control
 *   or chaining check, incorrect length    -> -VERR_IO
 *   busy                                   -> -VERR_BUSY
 *   unit exception                         -> -VERR_IO
 *   halted                                 -> -VERR_TIMEOUT
 *   channel end or device end missing      -> -VERR_IO
 *   otherwise                              -> 0
 */
int irb_error(const struct irb *irb, const u8 *sense, unsigned sense_len);

/*
 * Explain a result in words into buf (always NUL-terminated), for example
 * "unit check, command reject (sense 80 00 00 00) (SCSW CCW address
 * 0x00012348, residual 0)". Returns buf.
 */
char *irb_explain(const struct css_result *res, char *buf, size_t size);

#endif /* CCW_IRB_H */
