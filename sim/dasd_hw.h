/*
 * The 3990's command codes, parameter bits and sense bits as the simulated
 * 3390 answers them (3990 Storage Control Reference; the values Hercules
 * uses). Internal to sim/ and its tests; a program driving the simulated
 * DASD writes its own, from the same reference.
 */
#ifndef SIM_DASD_HW_H
#define SIM_DASD_HW_H

/*
 * Command codes of the 3390 on a 3990 (IBM 3990 Storage Control
 * Reference, "Channel Commands"); DASD_CMD_MT added to a read or search
 * makes it multitrack.
 */
#define DASD_CMD_MT 0x80
#define DASD_CMD_READ_IPL 0x02
#define DASD_CMD_WRITE_DATA 0x05
#define DASD_CMD_READ_DATA 0x06
#define DASD_CMD_SEEK 0x07
#define DASD_CMD_SEEK_CYL 0x0B
#define DASD_CMD_WRITE_KD 0x0D
#define DASD_CMD_READ_KD 0x0E
#define DASD_CMD_ERASE 0x11
#define DASD_CMD_READ_COUNT 0x12
#define DASD_CMD_RECALIBRATE 0x13
#define DASD_CMD_WRITE_R0 0x15
#define DASD_CMD_READ_R0 0x16
#define DASD_CMD_WRITE_HA 0x19
#define DASD_CMD_READ_HA 0x1A
#define DASD_CMD_SEEK_HEAD 0x1B
#define DASD_CMD_WRITE_CKD 0x1D
#define DASD_CMD_READ_CKD 0x1E
#define DASD_CMD_SET_FILE_MASK 0x1F
#define DASD_CMD_READ_SECTOR 0x22
#define DASD_CMD_SET_SECTOR 0x23
#define DASD_CMD_SEARCH_KEY_EQ 0x29
#define DASD_CMD_SEARCH_ID_EQ 0x31
#define DASD_CMD_SENSE_PGID 0x34
#define DASD_CMD_SEARCH_HA_EQ 0x39
#define DASD_CMD_LOCATE_RECORD 0x47
#define DASD_CMD_SEARCH_KEY_HI 0x49
#define DASD_CMD_SEARCH_ID_HI 0x51
#define DASD_CMD_READ_MULTI_CKD 0x5E
#define DASD_CMD_DEFINE_EXTENT 0x63
#define DASD_CMD_RDC 0x64
#define DASD_CMD_SEARCH_KEY_EH 0x69
#define DASD_CMD_SEARCH_ID_EH 0x71
#define DASD_CMD_WRITE_UPDATE_DATA 0x85
#define DASD_CMD_WRITE_UPDATE_KD 0x8D
#define DASD_CMD_WRITE_CKD_NEXT 0x9D
#define DASD_CMD_SET_PGID 0xAF
#define DASD_CMD_READ_TRACK 0xDE
#define DASD_CMD_RCD 0xFA

/* Define Extent byte 0, the file mask, and byte 1, global attributes. */
#define DASD_MASK_WRITE 0xC0          /* write control: */
#define DASD_MASK_INHIBIT_WRITE_HA 0x00 /* ... all but home address and R0 */
#define DASD_MASK_INHIBIT_WRITE 0x40  /* ... no write at all */
#define DASD_MASK_UPDATE_ONLY 0x80    /* ... update writes only */
#define DASD_MASK_ALLOW_WRITE 0xC0    /* ... every write */
#define DASD_MASK_SEEK 0x18           /* seek control: */
#define DASD_MASK_SEEK_CYL_HEAD 0x08  /* ... seek cylinder and head only */
#define DASD_MASK_SEEK_HEAD 0x10      /* ... seek head only */
#define DASD_MASK_INHIBIT_SEEK 0x18   /* ... no seek, no multitrack */
#define DASD_GATTR_ECKD 0xC0          /* the only architecture mode accepted */
#define DASD_GATTR_CKD_CONV 0x20      /* CKD conversion mode */

/* Locate Record byte 0: orientation and operation. */
#define DASD_LR_ORIENT_COUNT 0x00
#define DASD_LR_ORIENT_HOME 0x40
#define DASD_LR_ORIENT_DATA 0x80
#define DASD_LR_ORIENT_INDEX 0xC0
#define DASD_LR_ORIENT 0x00
#define DASD_LR_WRITE_DATA 0x01
#define DASD_LR_FORMAT_WRITE 0x03
#define DASD_LR_READ_DATA 0x06
#define DASD_LR_WRITE_TRACK 0x0B
#define DASD_LR_READ_TRACKS 0x0C
#define DASD_LR_READ 0x16
#define DASD_LR_AUX_TLF 0x80          /* byte 1: bytes 14-15 hold the TLF */

/* Sense byte 0 (ccw/css_hw.h has the common bits) and byte 1 of a 3990. */
#define DASD_SENSE0_OPERATION_INCOMPLETE 0x01
#define DASD_SENSE1_PERMANENT 0x80
#define DASD_SENSE1_INVALID_TRACK_FORMAT 0x40
#define DASD_SENSE1_END_OF_CYLINDER 0x20
#define DASD_SENSE1_MESSAGE_TO_OPERATOR 0x10
#define DASD_SENSE1_NO_RECORD_FOUND 0x08
#define DASD_SENSE1_FILE_PROTECTED 0x04
#define DASD_SENSE1_WRITE_INHIBITED 0x02
#define DASD_SENSE1_IMPRECISE_END 0x01
/* Sense byte 7: format (high nibble) and message (low). */
#define DASD_SENSE7_INVALID_COMMAND 0x01   /* format 0 message 1 */
#define DASD_SENSE7_INVALID_SEQUENCE 0x02  /* format 0 message 2 */
#define DASD_SENSE7_COUNT_TOO_SMALL 0x03   /* format 0 message 3 */
#define DASD_SENSE7_INVALID_PARAMETER 0x04 /* format 0 message 4 */
#define DASD_SENSE7_EQUIPMENT 0x10         /* format 1 message 0 */

#endif /* SIM_DASD_HW_H */
