/*
 * The 3390 ECKD DASD behind a 3990 storage control: geometry from READ
 * DEVICE CHARACTERISTICS, reading and writing records through channel
 * programs of two styles, and the device's sense data decoded into an
 * error code and words.
 *
 * Two styles of channel program (enum eckd_via), which must agree:
 *   ECKD     DEFINE EXTENT + LOCATE RECORD + the data commands; the extent
 *            and its file mask are enforced by the device;
 *   classic  SEEK + SEARCH ID EQUAL + TIC + the data commands (SET FILE
 *            MASK first when writing); the extent is checked by the driver.
 *
 * Records are addressed by cylinder, head and record number (CCHHR). A run
 * of fixed-size records (struct eckd_run) is what multi-record and
 * multi-track operations take: one channel program per call.
 *
 * Sources: IBM 3990 Storage Control Reference (GA32-0099) for the command
 * codes and parameter layouts; reference/platforms.md 11.5-11.7 for what
 * Hercules 3.13 answers (measured); Hercules' ckddasd.c and dasdtab.c for
 * the 3390's characteristics and sense bytes as Hercules builds them.
 */
#ifndef DEVICES_ECKD_H
#define DEVICES_ECKD_H

#include "ccw/css.h"          /* struct css, struct css_result */
#include "devices/eckd_sense.h" /* enum eckd_cond, the sense decoder */

/* Command codes (3990 Storage Control Reference, "Command Codes";
 * reference/platforms.md 11.7). The multitrack (MT) bit is 0x80. */
#define ECKD_CMD_WRITE_DATA    0x05
#define ECKD_CMD_READ_DATA     0x06
#define ECKD_CMD_SEEK	       0x07
#define ECKD_CMD_WRITE_KD      0x0D
#define ECKD_CMD_READ_KD       0x0E
#define ECKD_CMD_READ_COUNT    0x12
#define ECKD_CMD_WRITE_R0      0x15
#define ECKD_CMD_READ_R0       0x16
#define ECKD_CMD_WRITE_CKD     0x1D
#define ECKD_CMD_READ_CKD      0x1E
#define ECKD_CMD_SET_FILE_MASK 0x1F
#define ECKD_CMD_SEARCH_ID_EQ  0x31
#define ECKD_CMD_SEARCH_HA_EQ  0x39
#define ECKD_CMD_LOCATE_RECORD 0x47
#define ECKD_CMD_DEFINE_EXTENT 0x63
#define ECKD_CMD_RDC	       0x64
#define ECKD_CMD_MT	       0x80

/* SENSE ID of the one device this driver drives (platforms.md 11.5). */
#define ECKD_CU_TYPE  0x3990u
#define ECKD_DEV_TYPE 0x3390u

/* Limits of the driver's own buffers. */
#define ECKD_RDC_LEN	  64u	       /* READ DEVICE CHARACTERISTICS data */
#define ECKD_MAX_CCWS	  256u	       /* CCWs of one channel program */
#define ECKD_MAX_RECORDS  64u	       /* records of one run */
#define ECKD_MAX_TRACKS	  16u	       /* tracks of one run */
#define ECKD_BOUNCE_BYTES (128u << 10) /* count+data staging for formatting */
#define ECKD_TIMEOUT_US	  10000000u    /* default bound of one channel program */

/* DEFINE EXTENT file mask, write-control bits 0-1 (3990 Storage Control
 * Reference, "Define Extent"; Hercules' CKDMASK_WRCTL_*). Seek-control
 * bits 3-4 stay 00: all seeks allowed. */
#define ECKD_MASK_INHIBIT_HA_R0	 0x00u /* all writes but home address and R0 */
#define ECKD_MASK_INHIBIT_WRITES 0x40u
#define ECKD_MASK_UPDATE_ONLY	 0x80u /* update writes (WRITE DATA) only */
#define ECKD_MASK_ALLOW_ALL	 0xC0u /* formatting included */

/* What READ DEVICE CHARACTERISTICS says (3990 Storage Control Reference,
 * "Read Device Characteristics"; byte offsets as Hercules' dasdtab.c
 * builds them for a 3390). */
struct eckd_geom {
	u16 cu_type;	 /* bytes 0-1 */
	u8 cu_model;	 /* byte 2 */
	u16 dev_type;	 /* bytes 3-4 */
	u8 dev_model;	 /* byte 5 */
	u32 features;	 /* bytes 6-9: storage-control features */
	u8 dev_class;	 /* byte 10: 0x20 = DASD */
	u8 unit_type;	 /* byte 11 */
	u32 cyls;	 /* bytes 12-13 (60-63 when 12-13 are 0xFFFE) */
	u16 heads;	 /* bytes 14-15: tracks per cylinder */
	u8 sectors;	 /* byte 16 */
	u32 track_bytes; /* bytes 17-19: track capacity in bytes */
	u16 ha_r0_bytes; /* bytes 20-21: home address and R0 overhead */
	u8 formula;	 /* byte 22: track-capacity formula */
	u8 factor[5];	 /* bytes 23-27: its factors f1..f5 */
	u16 r0_max;	 /* bytes 44-45: longest R0 data */
	u8 raw[ECKD_RDC_LEN];
};

/* A count field (CCHHR, key length, data length). */
struct eckd_count {
	u16 cyl, head;
	u8 rec, kl;
	u16 dl;
};

/* The two styles of channel program. */
enum eckd_via { ECKD_VIA_ECKD, ECKD_VIA_CLASSIC };

/*
 * A run of n records of dl data bytes each (no keys) starting at record
 * rec of track (cyl, head). A track holds records 1..per_track; the run
 * goes on with record 1 of the next track (the next head, then the next
 * cylinder). per_track 0 means as many as fit (eckd_records_per_track()).
 */
struct eckd_run {
	u16 cyl, head;
	u8 rec;
	unsigned n;
	u16 dl;
	u8 per_track;
};

/* The extent the driver works in: whole tracks from (cyl0, head0) to
 * (cyl1, head1), and whether writes are allowed there. */
struct eckd_extent {
	u16 cyl0, head0, cyl1, head1;
	bool writable;
};

struct eckd_dma; /* private: CCWs and parameter blocks in DMA memory */

/* Where a CCW of the last channel program points, for error reports. */
struct eckd_tag {
	u16 cyl, head;
	u8 rec;
	u8 cmd;
};

struct eckd {
	struct css *css;
	u32 schid;
	struct eckd_dma *dma;
	u8 *bounce; /* ECKD_BOUNCE_BYTES: single-record reads, formatting */
	struct eckd_geom geom;
	struct eckd_extent ext; /* default: the whole volume, writable */
	u64 timeout_us;		/* bound of each channel program */
	bool gone;		/* the device was not operational: every call fails */
	/* The last failure. */
	int err; /* 0 or -VERR_* */
	enum eckd_cond cond;
	struct eckd_count at;  /* the record the failing CCW addressed */
	struct css_result res; /* its IRB and sense */
	char why[256];
	/* The last channel program, one tag per CCW. */
	unsigned nccw;
	struct eckd_tag tag[ECKD_MAX_CCWS];
	u8 mask;     /* the file mask it sent (ECKD_MASK_*) */
	bool writes; /* it carried write commands */
};

/*
 * Attach to the enabled subchannel schid: SENSE ID must say device 3390
 * on control unit 3990 (-VERR_NOTSUP otherwise), then READ DEVICE
 * CHARACTERISTICS fills geom. Allocates its DMA memory, about 140 KiB
 * (-VERR_NOMEM). A device found not operational stays gone: every later
 * call fails with -VERR_NODEV.
 * The extent starts as the whole volume, writable. Waits, bounded by
 * ECKD_TIMEOUT_US per channel program. why says what failed.
 */
int eckd_init(struct eckd *e, struct css *css, u32 schid);

/* Limit every later call to an extent (-VERR_RANGE if it is not inside the
 * volume or ends before it begins). Off the volume the driver refuses by
 * itself; outside the extent the device does (ECKD) or the driver (classic). */
int eckd_set_extent(struct eckd *e, const struct eckd_extent *x);

/*
 * Records of kl key and dl data bytes that fit on one track, by the
 * device's track-capacity formula (RDC bytes 22-27); 0 when the formula is
 * not known or the record does not fit.
 */
unsigned eckd_records_per_track(const struct eckd *e, unsigned kl, unsigned dl);

/*
 * Read record 0 of a track: its count into *c and up to max data bytes
 * into data (any memory, the driver stages it; NULL: none). ECKD: LOCATE
 * RECORD oriented to the home address, then READ R0; classic: SEEK, READ
 * R0 (platforms.md 11.7 chain C). Returns 0 or an error with why.
 */
int eckd_read_r0(struct eckd *e, enum eckd_via via, u16 cyl, u16 head, struct eckd_count *c,
		 void *data, u16 max);

/*
 * Read the count, key and data of record rec (> 0) of a track: the search
 * finds record rec - 1 (R0 for rec 1) and READ COUNT KEY AND DATA takes
 * the record after it, which must carry CCHHR cyl/head/rec (-VERR_RANGE,
 * ECKD_COND_MISMATCH otherwise). buf (any memory, max bytes) receives key
 * then data; *c the count; *len the bytes stored. Returns 0 or an error.
 */
int eckd_read_ckd(struct eckd *e, enum eckd_via via, u16 cyl, u16 head, u8 rec,
		  struct eckd_count *c, void *buf, u32 max, u32 *len);

/*
 * Read key and data of record rec, exactly len bytes (key length plus data
 * length; a record of another length fails with incorrect length) into
 * buf (any memory). ECKD: DEFINE EXTENT + LOCATE RECORD + READ KEY AND
 * DATA; classic: SEEK + SEARCH ID EQUAL + TIC + READ KEY AND DATA
 * (platforms.md 11.7 chain A).
 */
int eckd_read_kd(struct eckd *e, enum eckd_via via, u16 cyl, u16 head, u8 rec, void *buf, u16 len);

/*
 * Read the data of a run into buf (DMA memory, n * dl bytes), in one
 * channel program. ECKD: one LOCATE RECORD for the whole run and READ DATA
 * multitrack (0x86) per record, the device crossing tracks by itself
 * (chain B); classic: per track SEEK + SEARCH ID EQUAL + TIC, then READ
 * DATA per record. A record of another length fails (incorrect length).
 */
int eckd_read(struct eckd *e, enum eckd_via via, const struct eckd_run *run, void *buf);

/*
 * Update the data of the records of a run from buf (DMA memory, n * dl
 * bytes), in one channel program; the records must exist with that data
 * length. ECKD: DEFINE EXTENT (write-update mask) and per record LOCATE
 * RECORD (write data) + WRITE DATA; classic: per track SEEK, per record
 * SEARCH ID EQUAL + TIC + WRITE DATA. -VERR_ROFS when the extent is not
 * writable (the device refuses: the mask sent inhibits writes).
 */
int eckd_write(struct eckd *e, enum eckd_via via, const struct eckd_run *run, const void *buf);

/*
 * Format the tracks of a run: each track gets a standard R0 (8 zero data
 * bytes) and records 1..k of the run with key length 0, erasing whatever
 * followed; data (any memory, n * dl bytes) or zeros when NULL. run->rec
 * must be 1. ECKD: DEFINE EXTENT (mask allowing all writes) and per track
 * LOCATE RECORD (format write, oriented to the home address) + WRITE R0 +
 * WRITE CKD per record; classic: SET FILE MASK, then per track SEEK +
 * SEARCH HOME ADDRESS EQUAL + TIC + WRITE R0 + WRITE CKD per record. One
 * channel program per ECKD_BOUNCE_BYTES of tracks. -VERR_RANGE when a
 * track cannot hold per_track records.
 */
int eckd_format(struct eckd *e, enum eckd_via via, const struct eckd_run *run, const void *data);

/*
 * The volume serial from the VOL1 label (cylinder 0, head 0, record 3:
 * key "VOL1" in EBCDIC, serial in data bytes 4-9), in ASCII without
 * trailing blanks. -VERR_PROTO, ECKD_COND_MISMATCH when there is no label.
 */
int eckd_volser(struct eckd *e, enum eckd_via via, char serial[7]);

/* The last channel program the driver ran (e->nccw CCWs in DMA memory),
 * for traces and error reports. */
const struct ccw1 *eckd_program(const struct eckd *e);

#endif /* DEVICES_ECKD_H */
