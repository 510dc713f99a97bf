/*
 * The sense data of a 3390 on a 3990: the conditions bytes 0 and 1 name,
 * and the whole of it in words (3990 Storage Control Reference, "Sense
 * Data"), for the ECKD driver's errors and for anyone reading a trace.
 */
#ifndef DEVICES_ECKD_SENSE_H
#define DEVICES_ECKD_SENSE_H

#include "ring/base.h" /* u8, size_t */

/* Sense byte 0 bit 7 (the others are SENSE0_* of css_hw.h) and sense
 * byte 1 (3990 Storage Control Reference, "Sense Bytes 0 and 1"; the same
 * bits Hercules defines as SENSE_OC and SENSE1_*, Linux as SNS0_, SNS1_). */
#define ECKD_SENSE0_INCOMPLETE_DOMAIN 0x01u
#define ECKD_SENSE1_PERM_ERROR	      0x80u
#define ECKD_SENSE1_INVALID_TRACK_FMT 0x40u
#define ECKD_SENSE1_END_OF_CYL	      0x20u
#define ECKD_SENSE1_MSG_TO_OPERATOR   0x10u
#define ECKD_SENSE1_NO_RECORD	      0x08u
#define ECKD_SENSE1_FILE_PROTECTED    0x04u
#define ECKD_SENSE1_WRITE_INHIBITED   0x02u
#define ECKD_SENSE1_IMPRECISE_END     0x01u

/* The condition a failed call met, the most specific one first. */
enum eckd_cond {
	ECKD_COND_NONE = 0,
	ECKD_COND_WRITE_INHIBITED, /* sense 1: device or image read-only */
	ECKD_COND_MASK_INHIBITS,   /* a write the file mask we sent forbids */
	ECKD_COND_FILE_PROTECTED,  /* sense 1: outside the extent, or the mask */
	ECKD_COND_NO_RECORD,	   /* sense 1: no record found */
	ECKD_COND_END_OF_CYLINDER, /* sense 1 */
	ECKD_COND_INVALID_TRACK,   /* sense 1: invalid track format */
	ECKD_COND_COMMAND_REJECT,  /* sense 0 */
	ECKD_COND_INTERVENTION,	   /* sense 0: intervention required */
	ECKD_COND_EQUIPMENT_CHECK, /* sense 0 */
	ECKD_COND_DATA_CHECK,	   /* sense 0 */
	ECKD_COND_OVERRUN,	   /* sense 0 */
	ECKD_COND_BUS_OUT,	   /* sense 0 */
	ECKD_COND_CHANNEL,	   /* status without sense: channel checks, lengths */
	ECKD_COND_GONE,		   /* not operational */
	ECKD_COND_TIMEOUT,	   /* no final status within the bound */
	ECKD_COND_MISMATCH,	   /* the data the device returned is not what was asked */
	ECKD_COND_OUTSIDE,	   /* refused by the driver: outside the volume or extent */
};

/*
 * Explain sense data in words into buf (always NUL-terminated): byte 0
 * and byte 1 conditions, the format and message of byte 7 (24-byte
 * compatible sense, byte 27 bit 0) or the program action code of byte 25
 * (32-byte sense), and the CCHHR of formats 4 and 5. Returns buf.
 */
char *eckd_sense_explain(const u8 *sense, unsigned len, char *buf, size_t size);

/* The condition sense data names, the most specific first. */
enum eckd_cond eckd_sense_cond(const u8 *sense, unsigned len);

/* A short name of a condition ("no record found", ...). */
const char *eckd_cond_name(enum eckd_cond c);

#endif /* DEVICES_ECKD_SENSE_H */
