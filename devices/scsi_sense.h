/*
 * SCSI sense data (SPC-4 4.5): fixed (0x70/0x71) and descriptor
 * (0x72/0x73) formats decoded into key, additional sense code and
 * qualifier, and said in words ("not ready, medium not present").
 */
#ifndef DEVICES_SCSI_SENSE_H
#define DEVICES_SCSI_SENSE_H

#include "ring/base.h"

/* Sense keys (SPC-4 4.5.6). */
#define SCSI_KEY_NO_SENSE 0x0
#define SCSI_KEY_RECOVERED 0x1
#define SCSI_KEY_NOT_READY 0x2
#define SCSI_KEY_MEDIUM_ERROR 0x3
#define SCSI_KEY_HARDWARE_ERROR 0x4
#define SCSI_KEY_ILLEGAL_REQUEST 0x5
#define SCSI_KEY_UNIT_ATTENTION 0x6
#define SCSI_KEY_DATA_PROTECT 0x7
#define SCSI_KEY_ABORTED_COMMAND 0xB

struct scsi_sense {
	bool valid;
	u8 key, asc, ascq;
};

/* Decode len bytes of sense data; valid false when they are not sense. */
struct scsi_sense scsi_sense_decode(const u8 *p, u32 len);

/* The key and code in words into buf: "illegal request, logical block
 * address out of range"; codes it does not know as "ASC 0x.. ASCQ 0x..". */
void scsi_sense_str(const struct scsi_sense *s, char *buf, size_t len);

#endif /* DEVICES_SCSI_SENSE_H */
