/*
 * The simulated 3390 DASD on a 3990 control unit, over a Hercules CKD
 * image (sim/ckd.c), with Hercules 3.13 as the reference for behaviour.
 *
 * Sources of the facts: IBM 3990 Storage Control Reference (GA32-0099,
 * GA32-0274) for the commands, the file mask, Define Extent, Locate
 * Record and the sense bytes; Hercules' ckddasd.c and dasdtab.c (3.x line)
 * for what Hercules does where the reference leaves room, for its sense
 * layout and its device tables; reference/platforms.md 11.5-11.7 for what
 * Hercules 3.13 was measured doing.
 *
 * Identity. SENSE ID (answered by the channel subsystem) gives
 * FF 3990 C2 3390 mm 00 and the CIW 40 FA 0100 (read configuration data,
 * 256 bytes), 12 bytes. The model byte mm and the RDC device code come
 * from the image's cylinder count as Hercules picks them: 0x02/0x26 up to
 * 1114 cylinders, then 0x06/0x27, 0x0A/0x24, 0x0C/0x32. RDC (0x64) gives
 * Hercules' 64 bytes for that model; RCD (0xFA) Hercules' 256 bytes (four
 * node-element descriptors and a node-element qualifier).
 *
 * Implemented: SEEK, SEEK CYLINDER, SEEK HEAD, SET FILE MASK, DEFINE
 * EXTENT, LOCATE RECORD (operations orient, write data, format write,
 * read data, write track, read tracks, read; orientation count, home
 * address, data, index), SEARCH ID/KEY EQUAL, HIGH, EQUAL OR HIGH and
 * SEARCH HOME ADDRESS EQUAL, READ HOME ADDRESS, READ R0, READ COUNT, READ
 * DATA, READ KEY AND DATA, READ COUNT KEY AND DATA (all of those also
 * multitrack), READ MULTIPLE COUNT KEY AND DATA, READ TRACK, READ IPL,
 * WRITE DATA, WRITE KEY AND DATA, WRITE UPDATE DATA, WRITE UPDATE KEY AND
 * DATA, WRITE COUNT KEY AND DATA (and NEXT TRACK), WRITE R0, WRITE HOME
 * ADDRESS (accepted, nothing written: Hercules keeps no flag byte), ERASE,
 * READ/SET SECTOR, SENSE/SET PATH GROUP ID, RDC, RCD. NOP, SENSE and SENSE
 * ID are the channel subsystem's. Everything else is a command reject.
 *
 * Orientation (which track, which field the head is past), the extent,
 * the file mask, the Locate Record domain and the flags that allow a
 * write after a search all live for one channel program: program_start
 * resets them. Within it they follow Hercules: a search that does not
 * match ends with channel end and device end only, so "SEARCH ID EQUAL;
 * TIC *-8" repeats; a match adds status modifier, which skips the TIC; a
 * read or search that passes the index point a second time without a
 * match ends with no record found (a multitrack read or search key
 * outside a Locate Record domain goes on to the next track instead, up to
 * the end of the cylinder). Every loop over records, tracks and commands
 * is bounded by the track size, the cylinder or the extent.
 *
 * Errors end with channel end, device end and unit check (in both
 * behaviour profiles: a real DASD behind vfio-ccw answers so under QEMU
 * too) and 32 sense bytes laid out as Hercules builds them: byte 0 and 1
 * as below, byte 3 the Locate Record count with imprecise ending, bytes 5
 * and 6 the cylinder and head (0xFF 0xFF above 4095 cylinders), byte 7
 * format and message, byte 27 0x80 (24-byte compatible), bytes 29-31
 * cylinder and head.
 *   command reject (0x80) with format 0 message 1: unknown or unsupported
 *     command (RECALIBRATE on a 3390, as Hercules); message 2: invalid
 *     sequence (no seek before a read or search, LOCATE RECORD without
 *     DEFINE EXTENT, a write the file mask inhibits, as Hercules, a write
 *     not after a matching search); message 3: count too small for the
 *     parameters; message 4: invalid parameter (seek address off the
 *     device, a bad Define Extent or Locate Record field).
 *   file protected (byte 1 0x04): a seek or Locate Record outside the
 *     extent, a seek the file mask forbids, multitrack past the extent.
 *   end of cylinder (0x20): multitrack past the last head outside a
 *     Locate Record domain.
 *   no record found (0x08); invalid track format (0x40): a record that
 *     does not fit the track, a bad home address in the image;
 *   equipment check (0x10, format 1 message 0): the image's records run
 *     off the track; with write inhibited (0x02): a write to a read-only
 *     image (format 0 message 4 at Locate Record, as Hercules).
 *   operation incomplete (byte 0 0x01 with command reject): a Locate
 *     Record domain left unfinished by a CCW without command chaining.
 *
 * Lengths follow Hercules: a read whose count is short of the field is
 * incorrect length (unless SLI); a write whose count is short pads the
 * record with zeros and is not; a search compares as many bytes as its
 * count gives. WRITE DATA (05) writes the record Locate Record found; a
 * second one in the same domain is out of place, where WRITE UPDATE DATA
 * (85) moves on record by record, into the next track if need be.
 *
 * Checked against Hercules 3.13 by running the same 89 channel programs
 * (every command above, errors, read-only) on both, from identical images:
 * status, residual counts, sense bytes, data read and the resulting image
 * files were identical except as listed here.
 *
 * Where it departs from Hercules 3.13: a record must fit the 3390's real
 * track capacity (the formula of RDC bytes 18-27: twelve 4 KiB records at
 * most), not merely the image's track size; WRITE UPDATE DATA/KEY AND DATA
 * honour a file mask that inhibits writes; data chaining is allowed on
 * every command (the channel subsystem merges the data); Locate Record
 * Extended, Perform Subsystem Function, reserve/release and track overflow
 * are not implemented. The channel subsystem (interp.c), not this model,
 * answers NOP and SENSE, so: NOP in a Locate Record domain is accepted and
 * not counted (Hercules rejects it), SENSE with no unit check pending
 * returns zeros (Hercules: its empty sense, byte 27 0x80); it also differs
 * from Hercules in never adding incorrect length to a unit check, and in
 * ending a chain on status modifier without alert status at CCW + 8
 * (Hercules: alert, CCW + 16).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/ckd.h"
#include "sim/dasd_hw.h" /* the 3990's commands and sense bits */
#include "sim/internal.h" /* sim_find(): whose control unit a subchannel has */

/* Orientation: what the head last passed (Hercules: ckdorient). */
enum orient { OR_NONE, OR_INDEX, OR_COUNT, OR_KEY, OR_DATA, OR_EOT };

/* A command handler's result: done, unit check (sense set), or a failed
 * transfer (the channel subsystem ends the program with its own check). */
enum step { STEP_DONE, STEP_UNIT_CHECK, STEP_XFER_FAILED };

/* The 3390 models of Hercules' dasdtab.c, picked by cylinder count. */
struct model {
	u8 model, code;
	u16 prime, alt;
};

static const struct model models[] = {
	{ 0x02, 0x26, 1113, 1 },  { 0x06, 0x27, 2226, 1 },  { 0x0A, 0x24, 3339, 1 },
	{ 0x0C, 0x32, 10017, 3 }, { 0x0C, 0x32, 32760, 3 }, { 0x0C, 0x32, 65520, 3 },
};

#define CU_TYPE	      0x3990
#define CU_MODEL      0xC2
#define CU_CODE	      0x10
#define DEV_TYPE      0x3390
#define DEV_CLASS     0x20
#define SECTORS	      224u
#define RPS_FACTOR    0x7708
#define RDC_LEN	      64u
#define RCD_LEN	      256u
#define PGID_LEN      11u
#define SEARCH_ID_LEN 5u
#define SEEK_LEN      6u
#define DX_LEN	      16u
#define LR_LEN	      16u
#define BLKSZ_MAX     (CKD_3390_R0_MAX + 8u) /* Define Extent block size 0 */

/* Largest record a command moves: count, 255 key bytes, 65535 data bytes. */
#define RECORD_MAX (CKD_COUNT_SIZE + 255u + 65535u)
/* Scratch space: a record, or a whole track with its end marker. */
#define BUF_LEN	   (RECORD_MAX > CKD_3390_TRKSIZE + 16u ? RECORD_MAX : CKD_3390_TRKSIZE + 16u)

/* What one channel program has set up (Hercules resets it at chain start). */
struct prog {
	unsigned ccws;		 /* commands this device executed in the program */
	u8 prevcode;		 /* the previous one */
	bool seek, locat, rdipl; /* positioned: reads and searches may follow */
	bool xtdef, setfm;	 /* Define Extent / Set File Mask given */
	u8 fmask, gattr;
	u32 blksz;
	u32 bcyl, bhead, ecyl, ehead; /* the extent */
	bool xmark;		      /* the index point was passed once */
	bool haeq, ideq, kyeq;	      /* the last search matched on all bytes */
	bool wckd, wrha;	      /* a write CKD/R0, a write HA outside Locate Record */
	u8 lcount, loper, laux;	      /* the Locate Record domain */
	u32 tlf;		      /* transfer length factor */
};

struct sim_dasd {
	struct sim *sim;
	u32 schid;
	u16 devno;
	struct sim_ckd_image im;
	const struct model *model;
	u8 devchar[RDC_LEN];
	u8 config[RCD_LEN];
	u8 pgid[PGID_LEN];
	struct sim_dasd_stats stats;

	/* Position. */
	u32 cyl, head;
	u8 *trk; /* the current track in the cache, or NULL */
	u32 pos; /* offset in it just past what the head passed */
	enum orient orient;
	u8 rec, kl;
	u16 dl;

	struct prog p;
	u8 buf[BUF_LEN];
};

static const struct sim_cu_ops dasd_ops;

static bool is_mt(u8 cmd)
{
	return (cmd & DASD_CMD_MT) != 0;
}

static u8 lr_op(const struct sim_dasd *d)
{
	return d->p.loper & 0x3F;
}

static u8 lr_orient(const struct sim_dasd *d)
{
	return d->p.loper & 0xC0;
}

/* --- Sense ------------------------------------------------------------------- */

/* End the command with unit check and sense in Hercules' layout. */
static int unit_check(struct sim_dasd *d, struct sim_io *io, u8 s0, u8 s1, u8 fmt_msg)
{
	u8 *s = io->sense;

	memset(s, 0, SENSE_DATA_LEN);
	s[0] = s0;
	s[1] = s1;
	if (s1 & DASD_SENSE1_IMPRECISE_END)
		s[3] = d->p.lcount;
	if (d->im.g.cyls > 4095) {
		s[5] = 0xFF;
		s[6] = 0xFF;
	} else {
		s[5] = (u8)d->cyl;
		s[6] = (u8)((d->cyl >> 8) << 4 | (d->head & 0x1F));
	}
	s[7] = fmt_msg;
	s[27] = 0x80; /* 24-byte compatibility sense */
	put_be16(s + 29, d->cyl);
	s[31] = (u8)d->head;
	io->dstat = SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_CHECK;
	d->stats.unit_checks++;
	return STEP_UNIT_CHECK;
}

static int reject(struct sim_dasd *d, struct sim_io *io, u8 msg)
{
	return unit_check(d, io, SENSE0_CMD_REJECT, 0, msg);
}

static int sense1(struct sim_dasd *d, struct sim_io *io, u8 s1)
{
	return unit_check(d, io, 0, s1, 0);
}

static int equipment_check(struct sim_dasd *d, struct sim_io *io)
{
	return unit_check(d, io, SENSE0_EQUIPMENT_CHECK, 0, DASD_SENSE7_EQUIPMENT);
}

/* --- Data transfer -------------------------------------------------------- */

/* The command's data is len bytes of buf. */
static int to_channel(struct sim_io *io, const void *buf, u32 len)
{
	io->want = len;
	return sim_io_write(io, 0, buf, len) < 0 ? STEP_XFER_FAILED : STEP_DONE;
}

/* Take up to len bytes of the command's data into buf; a short CCW leaves
 * zeros (Hercules pads so). want is the length the command needs. */
static int from_channel(struct sim_io *io, void *buf, u32 len, u32 want)
{
	memset(buf, 0, len);
	io->want = want;
	return sim_io_read(io, 0, buf, len) < 0 ? STEP_XFER_FAILED : STEP_DONE;
}

/* A record's fields for a write: len bytes, a shorter CCW padded with
 * zeros and not reported (Hercules 3.13 measured: no incorrect length);
 * a longer one is incorrect length. */
static int record_from_channel(struct sim_io *io, u8 *buf, u32 len)
{
	memset(buf, 0, len);
	return from_channel(io, buf, MIN(io->count, len), MIN(io->count, len));
}

/* --- Position ------------------------------------------------------------- */

static bool in_extent(const struct sim_dasd *d, u32 cyl, u32 head)
{
	const struct prog *p = &d->p;

	if (cyl < p->bcyl || (cyl == p->bcyl && head < p->bhead))
		return false;
	return !(cyl > p->ecyl || (cyl == p->ecyl && head > p->ehead));
}

/* Move to the start of a track (just past its home address). */
static int seek_track(struct sim_dasd *d, struct sim_io *io, u32 cyl, u32 head)
{
	u8 *t;

	if (cyl >= d->im.g.cyls || head >= d->im.g.heads)
		return reject(d, io, DASD_SENSE7_INVALID_PARAMETER);
	t = sim_ckd_track(&d->im, cyl * d->im.g.heads + head);
	if (t[0] != 0 || get_be16(t + 1) != cyl || get_be16(t + 3) != head)
		return sense1(d, io, DASD_SENSE1_INVALID_TRACK_FORMAT);
	d->cyl = cyl;
	d->head = head;
	d->trk = t;
	d->pos = CKD_HA_SIZE;
	d->orient = OR_INDEX;
	d->rec = 0;
	d->kl = 0;
	d->dl = 0;
	return STEP_DONE;
}

/* Multitrack: on to the track trks further (Hercules: mt_advance). */
static int mt_advance(struct sim_dasd *d, struct sim_io *io, u32 trks)
{
	u32 cyl = d->cyl, head = d->head + trks;

	if (!d->p.lcount) {
		if ((d->p.fmask & DASD_MASK_SEEK) == DASD_MASK_INHIBIT_SEEK)
			return sense1(d, io, DASD_SENSE1_FILE_PROTECTED);
		if (head >= d->im.g.heads)
			return sense1(d, io, DASD_SENSE1_END_OF_CYLINDER);
	}
	cyl += head / d->im.g.heads;
	head %= d->im.g.heads;
	if (!in_extent(d, cyl, head) || cyl >= d->im.g.cyls)
		return sense1(d, io, DASD_SENSE1_FILE_PROTECTED);
	return seek_track(d, io, cyl, head);
}

static bool is_search(u8 cmd)
{
	switch (cmd & 0x7F) {
	case DASD_CMD_SEARCH_ID_EQ:
	case DASD_CMD_SEARCH_ID_HI:
	case DASD_CMD_SEARCH_ID_EH:
	case DASD_CMD_SEARCH_KEY_EQ:
	case DASD_CMD_SEARCH_KEY_HI:
	case DASD_CMD_SEARCH_KEY_EH:
		return true;
	}
	return false;
}

static bool is_search_id(u8 cmd)
{
	u8 c = cmd & 0x7F;

	return c == DASD_CMD_SEARCH_ID_EQ || c == DASD_CMD_SEARCH_ID_HI ||
	       c == DASD_CMD_SEARCH_ID_EH;
}

/*
 * Move past the next count field and copy it to count (Hercules:
 * ckd_read_count). R0 is skipped except for the commands that address it.
 * At the end of the track a command either keeps the marker (READ TRACK,
 * READ MULTIPLE CKD), ends with no record found, wraps to the start of the
 * track, or goes on to the next (multitrack). Bounded: each pass consumes
 * a count field or a track change, and track changes end at the second
 * index point, the end of the cylinder or the extent.
 */
static int next_count(struct sim_dasd *d, struct sim_io *io, u8 cmd, u8 count[CKD_COUNT_SIZE])
{
	const u32 trksize = d->im.g.trksize;
	/* A safety net only: a walk never passes more count fields than a
	 * cylinder can hold, and the rules below end it sooner. */
	const unsigned limit = (d->im.g.heads + 2) * (trksize / CKD_COUNT_SIZE + 2);
	bool keep_r0 = cmd == DASD_CMD_READ_TRACK || (cmd & 0x7F) == DASD_CMD_READ_R0 ||
		       is_search_id(cmd) || cmd == DASD_CMD_LOCATE_RECORD ||
		       cmd == DASD_CMD_WRITE_CKD_NEXT;
	unsigned guard = 0;
	int rc;

	if (!d->trk)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if (d->orient == OR_EOT) {
		rc = mt_advance(d, io, 1);
		if (rc)
			return rc;
	}
	for (;;) {
		if (++guard > limit)
			return equipment_check(d, io);
		if (d->orient == OR_COUNT)
			d->pos += (u32)d->kl + d->dl;
		else if (d->orient == OR_KEY)
			d->pos += d->dl;
		if (d->pos + CKD_COUNT_SIZE > trksize)
			return equipment_check(d, io);
		memcpy(count, d->trk + d->pos, CKD_COUNT_SIZE);
		d->pos += CKD_COUNT_SIZE;
		d->rec = count[4];
		d->kl = count[5];
		d->dl = get_be16(count + 6);
		d->orient = OR_COUNT;
		if (!keep_r0 && d->rec == 0)
			continue;
		if (memcmp(count, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", CKD_COUNT_SIZE))
			return STEP_DONE;
		d->orient = OR_EOT;
		if (cmd == DASD_CMD_READ_TRACK || cmd == DASD_CMD_READ_MULTI_CKD)
			return STEP_DONE;
		/* A second index point ends the search; a multitrack read or
		 * search key outside a Locate Record domain goes on instead. */
		if (cmd == DASD_CMD_LOCATE_RECORD || cmd == DASD_CMD_WRITE_CKD_NEXT ||
		    (d->p.xmark &&
		     !(d->p.lcount == 0 && ((CCW_CMD_IS_READ(cmd) && is_mt(cmd)) ||
					    cmd == (DASD_CMD_SEARCH_KEY_EQ | DASD_CMD_MT) ||
					    cmd == (DASD_CMD_SEARCH_KEY_HI | DASD_CMD_MT) ||
					    cmd == (DASD_CMD_SEARCH_KEY_EH | DASD_CMD_MT)))))
			return sense1(d, io, DASD_SENSE1_NO_RECORD_FOUND);
		if (!is_mt(cmd)) {
			rc = seek_track(d, io, d->cyl, d->head);
			if (rc)
				return rc;
			d->p.xmark = true;
		} else {
			rc = mt_advance(d, io, 1);
			if (rc)
				return rc;
			if (!is_search(cmd))
				d->p.xmark = true;
		}
	}
}

/* The key of the record the head is at (or of the next one). */
static int read_key(struct sim_dasd *d, struct sim_io *io, u8 cmd, u8 *out)
{
	u8 count[CKD_COUNT_SIZE];
	int rc;

	if (d->orient != OR_COUNT) {
		rc = next_count(d, io, cmd, count);
		if (rc)
			return rc;
	}
	if (d->pos + d->kl > d->im.g.trksize)
		return equipment_check(d, io);
	memcpy(out, d->trk + d->pos, d->kl);
	d->pos += d->kl;
	d->orient = OR_KEY;
	return STEP_DONE;
}

/* The data of the record the head is at (or of the next one). */
static int read_data(struct sim_dasd *d, struct sim_io *io, u8 cmd, u8 *out)
{
	u8 count[CKD_COUNT_SIZE];
	int rc;

	if (d->orient != OR_COUNT && d->orient != OR_KEY) {
		rc = next_count(d, io, cmd, count);
		if (rc)
			return rc;
	}
	if (d->orient == OR_COUNT)
		d->pos += d->kl;
	if (d->pos + d->dl > d->im.g.trksize)
		return equipment_check(d, io);
	memcpy(out, d->trk + d->pos, d->dl);
	d->pos += d->dl;
	d->orient = OR_DATA;
	d->stats.records_read++;
	return STEP_DONE;
}

/* --- Writing the track ------------------------------------------------------- */

static int writable(struct sim_dasd *d, struct sim_io *io)
{
	if (d->im.ro)
		return unit_check(d, io, SENSE0_EQUIPMENT_CHECK, DASD_SENSE1_WRITE_INHIBITED,
				  DASD_SENSE7_EQUIPMENT);
	return STEP_DONE;
}

static void dirty(struct sim_dasd *d)
{
	sim_ckd_mark_dirty(&d->im, d->cyl * d->im.g.heads + d->head);
}

/* Put len bytes at the head's place, bounds-checked (Hercules:
 * ckd_update_track, invalid track format past the track). */
static int put_track(struct sim_dasd *d, struct sim_io *io, const u8 *src, u32 len)
{
	int rc = writable(d, io);

	if (rc)
		return rc;
	if (d->pos + len > d->im.g.trksize)
		return sense1(d, io, DASD_SENSE1_INVALID_TRACK_FORMAT);
	memcpy(d->trk + d->pos, src, len);
	dirty(d);
	return STEP_DONE;
}

/* The 3390 capacity the records before offset end take, R0 excluded. */
static u32 space_before(const struct sim_dasd *d, u32 end)
{
	u32 pos = CKD_HA_SIZE, used = 0;
	bool r0 = true;

	while (pos < end && pos + CKD_COUNT_SIZE <= d->im.g.trksize) {
		const u8 *c = d->trk + pos;
		u32 kl = c[5], dl = get_be16(c + 6);

		if (!memcmp(c, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", CKD_COUNT_SIZE))
			break;
		if (!r0)
			used += sim_ckd_3390_space(kl, dl);
		r0 = false;
		pos += CKD_COUNT_SIZE + kl + dl;
	}
	return used;
}

/*
 * Write a count, key and data record after the one the head is at, and
 * the end-of-track marker after it (Hercules: ckd_write_ckd). The record
 * must fit the image's track and the 3390's capacity.
 */
static int write_ckd(struct sim_dasd *d, struct sim_io *io, const u8 *rec, bool r0)
{
	u32 kl = rec[5], dl = get_be16(rec + 6);
	u32 len = CKD_COUNT_SIZE + kl + dl;
	static const u8 eot[CKD_EOT_SIZE] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	int rc;

	if (r0) {
		d->pos = CKD_HA_SIZE;
	} else if (d->orient == OR_COUNT) {
		d->pos += (u32)d->kl + d->dl;
	} else if (d->orient == OR_KEY) {
		d->pos += d->dl;
	}
	if (d->pos + len + CKD_EOT_SIZE >= d->im.g.trksize ||
	    (r0 ? kl + dl > CKD_3390_R0_MAX
		: space_before(d, d->pos) + sim_ckd_3390_space(kl, dl) > CKD_3390_CAPACITY))
		return sense1(d, io, DASD_SENSE1_INVALID_TRACK_FORMAT);
	rc = put_track(d, io, rec, len);
	if (rc)
		return rc;
	d->pos += len;
	rc = put_track(d, io, eot, CKD_EOT_SIZE);
	if (rc)
		return rc;
	d->rec = rec[4];
	d->kl = (u8)kl;
	d->dl = (u16)dl;
	d->orient = OR_DATA;
	d->stats.records_written++;
	return STEP_DONE;
}

/* --- Checks shared by commands ------------------------------------------------- */

/* A 3990 wants a seek, Locate Record or READ IPL (or a recalibrate, which
 * a 3390 rejects) earlier in the program before it reads or searches
 * (Hercules: chaining check). */
static int positioned(struct sim_dasd *d, struct sim_io *io)
{
	const struct prog *p = &d->p;

	if (p->seek || p->locat || p->rdipl)
		return STEP_DONE;
	return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
}

/* Within a Locate Record domain, the command must fit the operation. */
static int domain_allows(struct sim_dasd *d, struct sim_io *io, bool ok)
{
	if (d->p.lcount && !ok)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	return STEP_DONE;
}

static int no_domain(struct sim_dasd *d, struct sim_io *io)
{
	return domain_allows(d, io, false);
}

/* Normal ending; unit exception for a record with no data (end of file). */
static int end_record(struct sim_dasd *d, struct sim_io *io)
{
	if (d->dl == 0)
		io->dstat = SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_EXCEP;
	return STEP_DONE;
}

/* --- Reads ------------------------------------------------------------------------ */

static int cmd_read_data(struct sim_dasd *d, struct sim_io *io)
{
	u8 op = lr_op(d);
	int rc;

	if ((rc = positioned(d, io)) ||
	    (rc = domain_allows(d, io, op == DASD_LR_READ_DATA || op == DASD_LR_READ)))
		return rc;
	rc = read_data(d, io, io->cmd, d->buf);
	if (rc)
		return rc;
	rc = to_channel(io, d->buf, d->dl);
	return rc ? rc : end_record(d, io);
}

static int cmd_read_kd(struct sim_dasd *d, struct sim_io *io)
{
	u8 count[CKD_COUNT_SIZE], op = lr_op(d);
	int rc;

	if ((rc = positioned(d, io)) ||
	    (rc = domain_allows(d, io, op == DASD_LR_READ_DATA || op == DASD_LR_READ)))
		return rc;
	if (d->orient != OR_COUNT && (rc = next_count(d, io, io->cmd, count)))
		return rc;
	if ((rc = read_key(d, io, io->cmd, d->buf)) ||
	    (rc = read_data(d, io, io->cmd, d->buf + d->kl)))
		return rc;
	rc = to_channel(io, d->buf, (u32)d->kl + d->dl);
	return rc ? rc : end_record(d, io);
}

static int cmd_read_count(struct sim_dasd *d, struct sim_io *io)
{
	u8 count[CKD_COUNT_SIZE], op = lr_op(d);
	int rc;

	if ((rc = positioned(d, io)) ||
	    (rc = domain_allows(
		     d, io,
		     op == DASD_LR_READ_DATA || op == DASD_LR_READ ||
			     (op == DASD_LR_WRITE_DATA && (d->p.laux & 1) && d->p.lcount == 1))) ||
	    (rc = next_count(d, io, io->cmd, count)))
		return rc;
	count[0] &= 0x7F; /* the track-overflow flag is not shown */
	return to_channel(io, count, CKD_COUNT_SIZE);
}

static int cmd_read_ckd(struct sim_dasd *d, struct sim_io *io)
{
	u8 op = lr_op(d);
	int rc;

	if ((rc = positioned(d, io)) ||
	    (rc = domain_allows(d, io, op == DASD_LR_READ_DATA || op == DASD_LR_READ)) ||
	    (rc = next_count(d, io, io->cmd, d->buf)))
		return rc;
	d->buf[0] &= 0x7F;
	if ((rc = read_key(d, io, io->cmd, d->buf + CKD_COUNT_SIZE)) ||
	    (rc = read_data(d, io, io->cmd, d->buf + CKD_COUNT_SIZE + d->kl)))
		return rc;
	rc = to_channel(io, d->buf, CKD_COUNT_SIZE + d->kl + d->dl);
	return rc ? rc : end_record(d, io);
}

/* READ R0 and READ HOME ADDRESS start at the index point of the track
 * (the next one, multitrack outside Locate Record). */
static int to_index(struct sim_dasd *d, struct sim_io *io)
{
	int rc;

	if (is_mt(io->cmd) && !d->p.lcount && (rc = mt_advance(d, io, 1)))
		return rc;
	if (!d->trk)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	return seek_track(d, io, d->cyl, d->head);
}

static int cmd_read_r0(struct sim_dasd *d, struct sim_io *io)
{
	u8 op = lr_op(d), orient = lr_orient(d);
	int rc;

	if ((rc = positioned(d, io)) ||
	    (rc = domain_allows(d, io,
				op == DASD_LR_READ_DATA || (op == DASD_LR_READ &&
							    (orient == DASD_LR_ORIENT_HOME ||
							     orient == DASD_LR_ORIENT_INDEX)))) ||
	    (rc = to_index(d, io)) || (rc = next_count(d, io, io->cmd, d->buf)))
		return rc;
	d->buf[0] &= 0x7F;
	if ((rc = read_key(d, io, io->cmd, d->buf + CKD_COUNT_SIZE)) ||
	    (rc = read_data(d, io, io->cmd, d->buf + CKD_COUNT_SIZE + d->kl)))
		return rc;
	rc = to_channel(io, d->buf, CKD_COUNT_SIZE + d->kl + d->dl);
	return rc ? rc : end_record(d, io);
}

static int cmd_read_ha(struct sim_dasd *d, struct sim_io *io)
{
	u8 op = lr_op(d);
	int rc;

	if ((rc = positioned(d, io)) ||
	    (rc = domain_allows(
		     d, io,
		     op == DASD_LR_READ_DATA ||
			     (op == DASD_LR_READ && lr_orient(d) == DASD_LR_ORIENT_INDEX))) ||
	    (rc = to_index(d, io)))
		return rc;
	return to_channel(io, d->trk, CKD_HA_SIZE);
}

/* READ MULTIPLE CKD (every record after R0) and READ TRACK (every record
 * and the end marker) gather the track into the buffer. */
static int gather_track(struct sim_dasd *d, struct sim_io *io, bool with_eot, u32 *len)
{
	u32 n = 0;
	int rc;

	for (;;) {
		u8 *c = d->buf + n;

		if ((rc = next_count(d, io, io->cmd, c)))
			return rc;
		if (d->orient == OR_EOT) {
			if (with_eot)
				n += CKD_COUNT_SIZE;
			break;
		}
		c[0] &= 0x7F;
		n += CKD_COUNT_SIZE;
		/* The track's records fit its buffer: every one came from it. */
		if (n + d->kl + d->dl > BUF_LEN)
			return equipment_check(d, io);
		if ((rc = read_key(d, io, io->cmd, d->buf + n)))
			return rc;
		n += d->kl;
		if ((rc = read_data(d, io, io->cmd, d->buf + n)))
			return rc;
		n += d->dl;
	}
	*len = n;
	return STEP_DONE;
}

static int cmd_read_multi(struct sim_dasd *d, struct sim_io *io)
{
	u32 len;
	int rc;

	if ((rc = positioned(d, io)) || (rc = no_domain(d, io)) ||
	    (rc = gather_track(d, io, false, &len)))
		return rc;
	return to_channel(io, d->buf, len);
}

static int cmd_read_track(struct sim_dasd *d, struct sim_io *io)
{
	u32 len;
	int rc;

	if (!d->p.lcount || lr_op(d) != DASD_LR_READ_TRACKS || !d->p.ccws ||
	    (d->p.prevcode != DASD_CMD_LOCATE_RECORD && d->p.prevcode != DASD_CMD_READ_TRACK))
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if (d->p.prevcode == DASD_CMD_READ_TRACK && (rc = mt_advance(d, io, 1)))
		return rc;
	if ((rc = gather_track(d, io, true, &len)))
		return rc;
	return to_channel(io, d->buf, len);
}

/* READ IPL: the data of the first record after R0 on cylinder 0 head 0,
 * and a Locate Record domain of two for what follows. */
static int cmd_read_ipl(struct sim_dasd *d, struct sim_io *io)
{
	struct prog *p = &d->p;
	int rc;

	if (p->xtdef || p->setfm || p->lcount)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	p->xtdef = p->setfm = true;
	p->loper = DASD_LR_ORIENT_DATA | DASD_LR_READ_DATA;
	p->laux = 0;
	p->lcount = 2;
	p->tlf = 0;
	if ((rc = seek_track(d, io, 0, 0)) || (rc = read_data(d, io, io->cmd, d->buf)))
		return rc;
	p->rdipl = true;
	rc = to_channel(io, d->buf, d->dl);
	return rc ? rc : end_record(d, io);
}

/* --- Positioning --------------------------------------------------------------- */

static int cmd_seek(struct sim_dasd *d, struct sim_io *io)
{
	const struct prog *p = &d->p;
	u8 a[SEEK_LEN], sk = p->fmask & DASD_MASK_SEEK;
	u32 cyl, head;
	int rc;

	if ((rc = no_domain(d, io)))
		return rc;
	if (io->cmd == DASD_CMD_SEEK_HEAD && !(p->seek || p->locat || p->rdipl))
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if ((io->cmd == DASD_CMD_SEEK && sk != 0) ||
	    (io->cmd == DASD_CMD_SEEK_CYL && sk != 0 && sk != DASD_MASK_SEEK_CYL_HEAD) ||
	    (io->cmd == DASD_CMD_SEEK_HEAD && sk == DASD_MASK_INHIBIT_SEEK))
		return sense1(d, io, DASD_SENSE1_FILE_PROTECTED);
	if ((rc = from_channel(io, a, MIN(io->count, SEEK_LEN), SEEK_LEN)))
		return rc;
	if (io->count < SEEK_LEN)
		return reject(d, io, DASD_SENSE7_COUNT_TOO_SMALL);
	cyl = io->cmd == DASD_CMD_SEEK_HEAD ? d->cyl : get_be16(a + 2);
	head = get_be16(a + 4);
	if (get_be16(a) != 0 || cyl >= d->im.g.cyls || head >= d->im.g.heads)
		return reject(d, io, DASD_SENSE7_INVALID_PARAMETER);
	if (!in_extent(d, cyl, head))
		return sense1(d, io, DASD_SENSE1_FILE_PROTECTED);
	if ((rc = seek_track(d, io, cyl, head)))
		return rc;
	d->p.seek = true;
	return STEP_DONE;
}

static int cmd_set_file_mask(struct sim_dasd *d, struct sim_io *io)
{
	struct prog *p = &d->p;
	u8 m;
	int rc;

	if (p->xtdef || p->setfm || p->lcount)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if ((rc = from_channel(io, &m, MIN(io->count, 1u), 1)))
		return rc;
	if (io->count < 1)
		return reject(d, io, DASD_SENSE7_COUNT_TOO_SMALL);
	if (m & 0x20) /* reserved */
		return reject(d, io, DASD_SENSE7_INVALID_PARAMETER);
	p->fmask = m;
	p->setfm = true;
	return STEP_DONE;
}

static int cmd_define_extent(struct sim_dasd *d, struct sim_io *io)
{
	struct prog *p = &d->p;
	u8 a[DX_LEN];
	u32 blksz, bcyl, bhead, ecyl, ehead;
	int rc;

	if ((rc = from_channel(io, a, MIN(io->count, DX_LEN), DX_LEN)))
		return rc;
	if (io->count < DX_LEN)
		return reject(d, io, DASD_SENSE7_COUNT_TOO_SMALL);
	if (p->lcount || p->setfm || p->rdipl)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	blksz = get_be16(a + 2) ? get_be16(a + 2) : BLKSZ_MAX;
	/* A second Define Extent may only narrow the extent. */
	if (p->xtdef && (p->fmask != a[0] || p->gattr != a[1] || p->blksz != blksz))
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if ((a[1] & DASD_GATTR_ECKD) != DASD_GATTR_ECKD || (a[0] & 0x20) || blksz > BLKSZ_MAX ||
	    a[4] || a[5] || a[6])
		return reject(d, io, DASD_SENSE7_INVALID_PARAMETER);
	bcyl = get_be16(a + 8);
	bhead = get_be16(a + 10);
	ecyl = get_be16(a + 12);
	ehead = get_be16(a + 14);
	if (bcyl > ecyl || (bcyl == ecyl && bhead > ehead) || bhead >= d->im.g.heads ||
	    ehead >= d->im.g.heads || !in_extent(d, bcyl, bhead) || !in_extent(d, ecyl, ehead))
		return reject(d, io,
			      p->xtdef ? DASD_SENSE7_INVALID_SEQUENCE
				       : DASD_SENSE7_INVALID_PARAMETER);
	p->fmask = a[0];
	p->gattr = a[1];
	p->blksz = blksz;
	p->bcyl = bcyl;
	p->bhead = bhead;
	p->ecyl = ecyl;
	p->ehead = ehead;
	p->xtdef = true;
	return STEP_DONE;
}

/* Whether LOCATE RECORD may combine orientation orient with operation op
 * (3990 reference, "Locate Record"; Hercules' table). */
static bool lr_combination_ok(u8 orient, u8 op)
{
	switch (orient) {
	case DASD_LR_ORIENT_COUNT:
		return op == DASD_LR_ORIENT || op == DASD_LR_WRITE_DATA ||
		       op == DASD_LR_FORMAT_WRITE || op == DASD_LR_READ_DATA ||
		       op == DASD_LR_WRITE_TRACK || op == DASD_LR_READ_TRACKS || op == DASD_LR_READ;
	case DASD_LR_ORIENT_HOME:
		return op == DASD_LR_ORIENT || op == DASD_LR_FORMAT_WRITE ||
		       op == DASD_LR_READ_DATA || op == DASD_LR_READ_TRACKS || op == DASD_LR_READ;
	case DASD_LR_ORIENT_DATA:
		return op == DASD_LR_ORIENT || op == DASD_LR_WRITE_DATA ||
		       op == DASD_LR_READ_DATA || op == DASD_LR_READ;
	default:
		return op == DASD_LR_FORMAT_WRITE || op == DASD_LR_READ;
	}
}

static bool lr_op_known(u8 op)
{
	return op == DASD_LR_ORIENT || op == DASD_LR_WRITE_DATA || op == DASD_LR_FORMAT_WRITE ||
	       op == DASD_LR_READ_DATA || op == DASD_LR_WRITE_TRACK || op == DASD_LR_READ_TRACKS ||
	       op == DASD_LR_READ;
}

static int cmd_locate_record(struct sim_dasd *d, struct sim_io *io)
{
	struct prog *p = &d->p;
	u8 a[LR_LEN], count[CKD_COUNT_SIZE];
	u8 op, orient, aux, n;
	u32 cyl, head, tlf;
	int rc;

	if ((rc = from_channel(io, a, MIN(io->count, LR_LEN), LR_LEN)))
		return rc;
	if (io->count < LR_LEN)
		return reject(d, io, DASD_SENSE7_COUNT_TOO_SMALL);
	if (p->lcount || (!p->xtdef && !p->rdipl))
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	op = a[0] & 0x3F;
	orient = a[0] & 0xC0;
	aux = a[1];
	n = a[3];
	if (!lr_op_known(op) || !lr_combination_ok(orient, op))
		return reject(d, io, DASD_SENSE7_INVALID_PARAMETER);
	if (d->im.ro &&
	    (op == DASD_LR_WRITE_DATA || op == DASD_LR_FORMAT_WRITE || op == DASD_LR_WRITE_TRACK))
		return unit_check(d, io, SENSE0_EQUIPMENT_CHECK, DASD_SENSE1_WRITE_INHIBITED,
				  DASD_SENSE7_INVALID_PARAMETER);
	if ((aux & 0x7E) || ((aux & 1) && op != DASD_LR_WRITE_DATA && op != DASD_LR_READ) ||
	    a[2] != 0 || (op == DASD_LR_ORIENT) != (n == 0) || ((aux & 1) && n < 2))
		return reject(d, io, DASD_SENSE7_INVALID_PARAMETER);
	cyl = get_be16(a + 4);
	head = get_be16(a + 6);
	if (cyl >= d->im.g.cyls || head >= d->im.g.heads)
		return reject(d, io, DASD_SENSE7_INVALID_PARAMETER);
	if (!in_extent(d, cyl, head))
		return sense1(d, io, DASD_SENSE1_FILE_PROTECTED);
	tlf = get_be16(a + 14);
	if ((a[13] != 0xFF && a[13] >= SECTORS) || ((aux & DASD_LR_AUX_TLF) != 0) != (tlf != 0) ||
	    tlf > p->blksz)
		return reject(d, io, DASD_SENSE7_INVALID_PARAMETER);
	p->loper = a[0];
	p->laux = aux;
	p->tlf = (aux & DASD_LR_AUX_TLF) ? tlf : p->blksz;
	if ((rc = seek_track(d, io, cyl, head)))
		return rc;
	switch (orient) {
	case DASD_LR_ORIENT_HOME:
		if (memcmp(d->trk + 1, a + 8, 4))
			return sense1(d, io, DASD_SENSE1_NO_RECORD_FOUND);
		break;
	case DASD_LR_ORIENT_COUNT:
	case DASD_LR_ORIENT_DATA:
		/* Bounded: the second end of track ends the search. */
		for (;;) {
			if ((rc = next_count(d, io, DASD_CMD_LOCATE_RECORD, count)))
				return rc;
			count[0] &= 0x7F;
			if (!memcmp(count, a + 8, SEARCH_ID_LEN))
				break;
		}
		if (orient == DASD_LR_ORIENT_DATA) {
			d->pos += (u32)d->kl + d->dl;
			d->orient = OR_DATA;
		}
		break;
	default:
		break;
	}
	p->lcount = n;
	p->locat = true;
	return STEP_DONE;
}

/* --- Searches ---------------------------------------------------------------- */

/* Status modifier when the comparison (record's field against the
 * argument) is what the command asks for: bit 2 equal, bit 1 high. A
 * search compares as many bytes as its count gives, up to the field's
 * length; a shorter count is no incorrect length (Hercules). */
static void search_result(struct sim_io *io, int cmp)
{
	if (((io->cmd & 0x20) && cmp == 0) || ((io->cmd & 0x40) && cmp > 0))
		io->dstat |= SCSW_DSTAT_STAT_MOD;
}

static int cmd_search_id(struct sim_dasd *d, struct sim_io *io)
{
	u8 arg[SEARCH_ID_LEN], count[CKD_COUNT_SIZE];
	u32 n = MIN(io->count, SEARCH_ID_LEN);
	int rc, cmp;

	/* The argument moves once the record is found (a failed search
	 * leaves the whole count as residual, as Hercules). */
	if ((rc = positioned(d, io)) || (rc = no_domain(d, io)) ||
	    (rc = next_count(d, io, io->cmd, count)) || (rc = from_channel(io, arg, n, n)))
		return rc;
	count[0] &= 0x7F;
	cmp = memcmp(count, arg, n);
	search_result(io, cmp);
	d->p.ideq = cmp == 0 && n == SEARCH_ID_LEN && (io->cmd & 0x7F) == DASD_CMD_SEARCH_ID_EQ;
	return STEP_DONE;
}

static int cmd_search_key(struct sim_dasd *d, struct sim_io *io)
{
	u8 key[256], arg[256];
	u32 n;
	int rc, cmp;

	if ((rc = positioned(d, io)) || (rc = no_domain(d, io)) ||
	    (rc = read_key(d, io, io->cmd, key)))
		return rc;
	n = MIN(io->count, (u32)d->kl);
	if ((rc = from_channel(io, arg, n, n)))
		return rc;
	if (d->kl == 0) {
		d->p.kyeq = false;
		return STEP_DONE;
	}
	cmp = memcmp(key, arg, n);
	search_result(io, cmp);
	d->p.kyeq = cmp == 0 && n == d->kl && (io->cmd & 0x7F) == DASD_CMD_SEARCH_KEY_EQ;
	return STEP_DONE;
}

static int cmd_search_ha(struct sim_dasd *d, struct sim_io *io)
{
	u8 arg[4];
	u32 n = MIN(io->count, 4u);
	int rc, cmp;

	if ((rc = positioned(d, io)) || (rc = no_domain(d, io)))
		return rc;
	if (is_mt(io->cmd) && (rc = mt_advance(d, io, 1)))
		return rc;
	if ((rc = seek_track(d, io, d->cyl, d->head)) || (rc = from_channel(io, arg, n, n)))
		return rc;
	cmp = memcmp(d->trk + 1, arg, n);
	if (cmp == 0)
		io->dstat |= SCSW_DSTAT_STAT_MOD;
	d->p.haeq = cmp == 0 && n == 4;
	return STEP_DONE;
}

/* --- Writes ------------------------------------------------------------------------ */

/* A write the file mask does not allow: Hercules rejects it as an
 * invalid sequence (command reject, format 0 message 2). */
static int write_mask(struct sim_dasd *d, struct sim_io *io, bool inhibited)
{
	if (inhibited)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	return STEP_DONE;
}

/* Without CKD conversion mode, Locate Record fixes the record length
 * (its transfer length factor): another length is an invalid track format. */
static int length_matches(struct sim_dasd *d, struct sim_io *io, u32 len, u32 expected)
{
	if (!(d->p.gattr & DASD_GATTR_CKD_CONV) && len != expected)
		return sense1(d, io, DASD_SENSE1_INVALID_TRACK_FORMAT);
	return STEP_DONE;
}

/* The data field (key too with kd) of the record the head is at. */
static int write_fields(struct sim_dasd *d, struct sim_io *io, bool kd)
{
	u32 len = (kd ? d->kl : 0u) + d->dl;
	int rc;

	/* The data moves before the orientation is checked (Hercules: a
	 * write out of place leaves residual 0). */
	if ((rc = record_from_channel(io, d->buf, len)))
		return rc;
	if (kd ? d->orient != OR_COUNT : d->orient != OR_COUNT && d->orient != OR_KEY)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if (!kd && d->orient == OR_COUNT)
		d->pos += d->kl;
	if ((rc = put_track(d, io, d->buf, len)))
		return rc;
	d->pos += len;
	d->orient = OR_DATA;
	d->stats.records_written++;
	return STEP_DONE;
}

static int cmd_write_data(struct sim_dasd *d, struct sim_io *io)
{
	struct prog *p = &d->p;
	bool kd = io->cmd == DASD_CMD_WRITE_KD;
	u8 op = lr_op(d);
	int rc;

	if (!p->lcount && !p->ideq && (kd || !p->kyeq))
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if ((rc = write_mask(d, io, (p->fmask & DASD_MASK_WRITE) == DASD_MASK_INHIBIT_WRITE)))
		return rc;
	if (p->lcount) {
		/* Write data and write track domains take it; as in
		 * Hercules 3.13 it writes the record Locate Record found,
		 * so a second one in the domain is out of place (WRITE
		 * UPDATE DATA moves on to the next record). */
		if (op != DASD_LR_WRITE_TRACK && op != DASD_LR_WRITE_DATA)
			return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
		/* R0's data under Write Track is 8 bytes, whatever the TLF. */
		if (kd)
			rc = length_matches(d, io, (u32)d->kl + d->dl, p->tlf);
		else
			rc = length_matches(d, io, d->dl,
					    op == DASD_LR_WRITE_TRACK && d->rec == 0 ? 8u : p->tlf);
		if (rc)
			return rc;
	}
	if (d->dl == 0) {
		io->want = 0;
		io->dstat |= SCSW_DSTAT_UNIT_EXCEP;
		return STEP_DONE;
	}
	return write_fields(d, io, kd);
}

static int cmd_write_update(struct sim_dasd *d, struct sim_io *io)
{
	struct prog *p = &d->p;
	bool kd = io->cmd == DASD_CMD_WRITE_UPDATE_KD;
	u8 count[CKD_COUNT_SIZE];
	int rc;

	if (!p->lcount || lr_op(d) != DASD_LR_WRITE_DATA)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if ((rc = write_mask(d, io, (p->fmask & DASD_MASK_WRITE) == DASD_MASK_INHIBIT_WRITE)))
		return rc;
	/* On to the next user record. */
	if ((d->orient != OR_COUNT || d->rec == 0) && (rc = next_count(d, io, io->cmd, count)))
		return rc;
	if ((rc = length_matches(d, io, (kd ? (u32)d->kl : 0u) + d->dl, p->tlf)))
		return rc;
	if (d->dl == 0) {
		io->want = 0;
		io->dstat |= SCSW_DSTAT_UNIT_EXCEP;
		return STEP_DONE;
	}
	return write_fields(d, io, kd);
}

/* The record a WRITE CKD, WRITE R0 or ERASE carries: its count first. */
static int take_record(struct sim_dasd *d, struct sim_io *io, u32 *len)
{
	u8 c[CKD_COUNT_SIZE];
	int rc;

	/* The count field says how much the command wants. */
	memset(c, 0, sizeof(c));
	if (sim_io_read(io, 0, c, MIN(io->count, CKD_COUNT_SIZE)) < 0)
		return STEP_XFER_FAILED;
	*len = CKD_COUNT_SIZE + c[5] + get_be16(c + 6);
	if ((rc = record_from_channel(io, d->buf, *len)))
		return rc;
	return STEP_DONE;
}

static int cmd_write_ckd(struct sim_dasd *d, struct sim_io *io)
{
	struct prog *p = &d->p;
	u8 op = lr_op(d), w = p->fmask & DASD_MASK_WRITE;
	u32 len;
	int rc;

	if (!p->lcount && !p->ideq && !p->kyeq && !p->wckd)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if ((rc = write_mask(d, io,
			     w != DASD_MASK_ALLOW_WRITE && w != DASD_MASK_INHIBIT_WRITE_HA)) ||
	    (rc = domain_allows(d, io, op == DASD_LR_FORMAT_WRITE || op == DASD_LR_WRITE_TRACK)) ||
	    (rc = take_record(d, io, &len)))
		return rc;
	if (!d->trk)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if ((rc = write_ckd(d, io, d->buf, false)))
		return rc;
	p->wckd = !p->lcount;
	return STEP_DONE;
}

static int cmd_write_ckd_next(struct sim_dasd *d, struct sim_io *io)
{
	u8 count[CKD_COUNT_SIZE];
	u32 len;
	int rc;

	if (!d->p.lcount || lr_op(d) != DASD_LR_FORMAT_WRITE ||
	    (d->p.prevcode != DASD_CMD_WRITE_CKD && d->p.prevcode != DASD_CMD_WRITE_CKD_NEXT))
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if ((rc = take_record(d, io, &len)) || (rc = mt_advance(d, io, 1)) ||
	    (rc = next_count(d, io, io->cmd, count)))
		return rc;
	return write_ckd(d, io, d->buf, false);
}

static int cmd_write_r0(struct sim_dasd *d, struct sim_io *io)
{
	struct prog *p = &d->p;
	u8 orient = lr_orient(d);
	u32 len;
	int rc;

	if (!p->lcount && !p->haeq && !p->wrha)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if ((rc = write_mask(d, io, (p->fmask & DASD_MASK_WRITE) != DASD_MASK_ALLOW_WRITE)) ||
	    (rc = domain_allows(
		     d, io,
		     lr_op(d) == DASD_LR_FORMAT_WRITE &&
			     (orient == DASD_LR_ORIENT_HOME || orient == DASD_LR_ORIENT_INDEX))) ||
	    (rc = take_record(d, io, &len)))
		return rc;
	if (!d->trk)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if ((rc = write_ckd(d, io, d->buf, true)))
		return rc;
	p->wckd = !p->lcount;
	return STEP_DONE;
}

static int cmd_write_ha(struct sim_dasd *d, struct sim_io *io)
{
	u8 ha[CKD_HA_SIZE];
	int rc;

	if ((rc = positioned(d, io)) ||
	    (rc = domain_allows(d, io,
				lr_op(d) == DASD_LR_FORMAT_WRITE &&
					lr_orient(d) == DASD_LR_ORIENT_HOME)))
		return rc;
	if ((d->p.fmask & DASD_MASK_WRITE) != DASD_MASK_ALLOW_WRITE)
		return sense1(d, io, DASD_SENSE1_FILE_PROTECTED);
	if ((rc = writable(d, io)) || (rc = seek_track(d, io, d->cyl, d->head)) ||
	    (rc = from_channel(io, ha, MIN(io->count, CKD_HA_SIZE), CKD_HA_SIZE)))
		return rc;
	d->p.wrha = true;
	return STEP_DONE;
}

static int cmd_erase(struct sim_dasd *d, struct sim_io *io)
{
	struct prog *p = &d->p;
	static const u8 eot[CKD_EOT_SIZE] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	u8 w = p->fmask & DASD_MASK_WRITE;
	u32 len;
	int rc;

	if (!p->lcount && !p->ideq && !p->kyeq && !p->wckd)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if ((rc = write_mask(d, io,
			     w != DASD_MASK_ALLOW_WRITE && w != DASD_MASK_INHIBIT_WRITE_HA)) ||
	    (rc = domain_allows(d, io, lr_op(d) == DASD_LR_WRITE_TRACK)) ||
	    (rc = take_record(d, io, &len)))
		return rc;
	if (!d->trk)
		return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
	if (d->orient == OR_COUNT)
		d->pos += (u32)d->kl + d->dl;
	else if (d->orient == OR_KEY)
		d->pos += d->dl;
	if (d->pos + len + CKD_EOT_SIZE >= d->im.g.trksize)
		return sense1(d, io, DASD_SENSE1_INVALID_TRACK_FORMAT);
	if ((rc = put_track(d, io, eot, CKD_EOT_SIZE)))
		return rc;
	d->orient = OR_DATA;
	return STEP_DONE;
}

/* --- Identification and path groups ---------------------------------------------- */

static int cmd_rdc(struct sim_dasd *d, struct sim_io *io)
{
	int rc = no_domain(d, io);

	return rc ? rc : to_channel(io, d->devchar, RDC_LEN);
}

static int cmd_rcd(struct sim_dasd *d, struct sim_io *io)
{
	int rc = no_domain(d, io);

	return rc ? rc : to_channel(io, d->config, RCD_LEN);
}

static int cmd_sense_pgid(struct sim_dasd *d, struct sim_io *io)
{
	u8 r[1 + PGID_LEN];

	r[0] = 0; /* reset, implicitly enabled, single path */
	memcpy(r + 1, d->pgid, PGID_LEN);
	return to_channel(io, r, sizeof(r));
}

static int cmd_set_pgid(struct sim_dasd *d, struct sim_io *io)
{
	static const u8 zero[PGID_LEN];
	u8 a[1 + PGID_LEN];
	int rc;

	if ((rc = from_channel(io, a, MIN(io->count, (u32)sizeof(a)), sizeof(a))))
		return rc;
	if (io->count < sizeof(a))
		return reject(d, io, DASD_SENSE7_COUNT_TOO_SMALL);
	/* Establish: a group the device already has stays. */
	if ((a[0] & 0x60) == 0) {
		if (memcmp(d->pgid, zero, PGID_LEN) && memcmp(d->pgid, a + 1, PGID_LEN))
			return reject(d, io, DASD_SENSE7_INVALID_SEQUENCE);
		memcpy(d->pgid, a + 1, PGID_LEN);
	}
	return STEP_DONE;
}

static int cmd_sector(struct sim_dasd *d, struct sim_io *io)
{
	u8 s = 0;
	int rc;

	if ((rc = no_domain(d, io)))
		return rc;
	if (io->cmd == DASD_CMD_READ_SECTOR)
		return to_channel(io, &s, 1);
	if ((rc = positioned(d, io)) || (rc = from_channel(io, &s, MIN(io->count, 1u), 1)))
		return rc;
	return io->count < 1 ? reject(d, io, DASD_SENSE7_COUNT_TOO_SMALL) : STEP_DONE;
}

/* --- One command ----------------------------------------------------------------- */

static int dispatch(struct sim_dasd *d, struct sim_io *io)
{
	switch (io->cmd) {
	case DASD_CMD_READ_DATA:
	case DASD_CMD_READ_DATA | DASD_CMD_MT:
		return cmd_read_data(d, io);
	case DASD_CMD_READ_KD:
	case DASD_CMD_READ_KD | DASD_CMD_MT:
		return cmd_read_kd(d, io);
	case DASD_CMD_READ_COUNT:
	case DASD_CMD_READ_COUNT | DASD_CMD_MT:
		return cmd_read_count(d, io);
	case DASD_CMD_READ_CKD:
	case DASD_CMD_READ_CKD | DASD_CMD_MT:
		return cmd_read_ckd(d, io);
	case DASD_CMD_READ_R0:
	case DASD_CMD_READ_R0 | DASD_CMD_MT:
		return cmd_read_r0(d, io);
	case DASD_CMD_READ_HA:
	case DASD_CMD_READ_HA | DASD_CMD_MT:
		return cmd_read_ha(d, io);
	case DASD_CMD_READ_MULTI_CKD:
		return cmd_read_multi(d, io);
	case DASD_CMD_READ_TRACK:
		return cmd_read_track(d, io);
	case DASD_CMD_READ_IPL:
		return cmd_read_ipl(d, io);
	case DASD_CMD_SEEK:
	case DASD_CMD_SEEK_CYL:
	case DASD_CMD_SEEK_HEAD:
		return cmd_seek(d, io);
	case DASD_CMD_SET_FILE_MASK:
		return cmd_set_file_mask(d, io);
	case DASD_CMD_DEFINE_EXTENT:
		return cmd_define_extent(d, io);
	case DASD_CMD_LOCATE_RECORD:
		return cmd_locate_record(d, io);
	case DASD_CMD_SEARCH_ID_EQ:
	case DASD_CMD_SEARCH_ID_EQ | DASD_CMD_MT:
	case DASD_CMD_SEARCH_ID_HI:
	case DASD_CMD_SEARCH_ID_HI | DASD_CMD_MT:
	case DASD_CMD_SEARCH_ID_EH:
	case DASD_CMD_SEARCH_ID_EH | DASD_CMD_MT:
		return cmd_search_id(d, io);
	case DASD_CMD_SEARCH_KEY_EQ:
	case DASD_CMD_SEARCH_KEY_EQ | DASD_CMD_MT:
	case DASD_CMD_SEARCH_KEY_HI:
	case DASD_CMD_SEARCH_KEY_HI | DASD_CMD_MT:
	case DASD_CMD_SEARCH_KEY_EH:
	case DASD_CMD_SEARCH_KEY_EH | DASD_CMD_MT:
		return cmd_search_key(d, io);
	case DASD_CMD_SEARCH_HA_EQ:
	case DASD_CMD_SEARCH_HA_EQ | DASD_CMD_MT:
		return cmd_search_ha(d, io);
	case DASD_CMD_WRITE_DATA:
	case DASD_CMD_WRITE_KD:
		return cmd_write_data(d, io);
	case DASD_CMD_WRITE_UPDATE_DATA:
	case DASD_CMD_WRITE_UPDATE_KD:
		return cmd_write_update(d, io);
	case DASD_CMD_WRITE_CKD:
		return cmd_write_ckd(d, io);
	case DASD_CMD_WRITE_CKD_NEXT:
		return cmd_write_ckd_next(d, io);
	case DASD_CMD_WRITE_R0:
		return cmd_write_r0(d, io);
	case DASD_CMD_WRITE_HA:
		return cmd_write_ha(d, io);
	case DASD_CMD_ERASE:
		return cmd_erase(d, io);
	case DASD_CMD_RDC:
		return cmd_rdc(d, io);
	case DASD_CMD_RCD:
		return cmd_rcd(d, io);
	case DASD_CMD_SENSE_PGID:
		return cmd_sense_pgid(d, io);
	case DASD_CMD_SET_PGID:
		return cmd_set_pgid(d, io);
	case DASD_CMD_READ_SECTOR:
	case DASD_CMD_SET_SECTOR:
		return cmd_sector(d, io);
	default:
		/* RECALIBRATE too: Hercules rejects it on a 3390. */
		return reject(d, io, DASD_SENSE7_INVALID_COMMAND);
	}
}

static void dasd_command(void *cu, struct sim_io *io)
{
	struct sim_dasd *d = cu;
	struct prog *p = &d->p;
	u8 c = io->cmd & 0x7F;
	int rc;

	d->stats.commands++;
	/* The index-point flag survives only searches and READ COUNT
	 * (Hercules: reset by sense, control, write and other reads). */
	if (CCW_CMD_IS_CONTROL(io->cmd) || CCW_CMD_IS_SENSE(io->cmd) ||
	    (CCW_CMD_IS_WRITE(io->cmd) && !is_search(io->cmd)) ||
	    (CCW_CMD_IS_READ(io->cmd) && io->cmd != DASD_CMD_READ_COUNT &&
	     io->cmd != DASD_CMD_READ_SECTOR))
		p->xmark = false;
	rc = dispatch(d, io);
	if (rc == STEP_XFER_FAILED)
		return;

	/* What a search or write established lasts one command more. */
	if (c != DASD_CMD_SEARCH_HA_EQ && c != DASD_CMD_WRITE_HA)
		p->haeq = false;
	if (c != DASD_CMD_SEARCH_ID_EQ && c != DASD_CMD_READ_KD && c != DASD_CMD_WRITE_KD &&
	    c != DASD_CMD_READ_DATA && c != DASD_CMD_WRITE_DATA)
		p->ideq = false;
	if (c != DASD_CMD_SEARCH_KEY_EQ && c != DASD_CMD_READ_DATA && c != DASD_CMD_WRITE_DATA)
		p->kyeq = false;
	if (io->cmd != DASD_CMD_WRITE_R0 && io->cmd != DASD_CMD_WRITE_CKD)
		p->wckd = false;
	/* Count the command against the Locate Record domain; one left
	 * unfinished by the end of the chain is an incomplete operation. */
	if (p->lcount && io->cmd != DASD_CMD_LOCATE_RECORD && rc == STEP_DONE) {
		p->lcount--;
		if (p->lcount && !(io->flags & CCW_FLAG_CC) && io->cmd != DASD_CMD_READ_IPL)
			unit_check(d, io, SENSE0_CMD_REJECT | DASD_SENSE0_OPERATION_INCOMPLETE, 0,
				   0);
	}
	p->prevcode = io->cmd;
	p->ccws++;
}

/* --- The control unit ------------------------------------------------------------ */

/* A new channel program: nothing of the last one's setup remains. */
static void dasd_program_start(void *cu)
{
	struct sim_dasd *d = cu;

	memset(&d->p, 0, sizeof(d->p));
	d->p.ecyl = d->im.g.cyls - 1;
	d->p.ehead = d->im.g.heads - 1;
	d->trk = NULL;
	d->orient = OR_NONE;
}

static void dasd_reset(void *cu)
{
	dasd_program_start(cu);
}

/* The device went away: what is written stays written. */
static void dasd_unplugged(void *cu)
{
	struct sim_dasd *d = cu;

	sim_ckd_sync(&d->im);
	dasd_program_start(cu);
	memset(d->pgid, 0, sizeof(d->pgid));
}

static void dasd_destroy(void *cu)
{
	struct sim_dasd *d = cu;

	sim_ckd_close(&d->im);
	free(d);
}

static const struct sim_cu_ops dasd_ops = {
	.command = dasd_command,
	.reset = dasd_reset,
	.unplugged = dasd_unplugged,
	.destroy = dasd_destroy,
	.program_start = dasd_program_start,
};

/* RDC: Hercules' device characteristics of the model (dasdtab.c). */
static void build_devchar(struct sim_dasd *d)
{
	u8 *c = d->devchar;
	u32 cyls = d->im.g.cyls;
	u32 alt = cyls > d->model->prime ? cyls - d->model->prime : 0;

	memset(c, 0, RDC_LEN);
	put_be16(c + 0, CU_TYPE);
	c[2] = CU_MODEL;
	put_be16(c + 3, DEV_TYPE);
	c[5] = d->model->model;
	c[6] = 0xD0; /* facilities of the 3990 */
	c[10] = DEV_CLASS;
	c[11] = d->model->code;
	put_be16(c + 12, cyls - alt);
	put_be16(c + 14, d->im.g.heads);
	c[16] = SECTORS;
	put_be16(c + 18, CKD_3390_CAPACITY);
	put_be16(c + 20, 1428); /* home address and R0 overhead */
	c[22] = 2;		/* the 3390's track-capacity formula */
	c[23] = CKD_3390_F1;
	c[24] = CKD_3390_F2;
	c[25] = CKD_3390_F3;
	c[26] = CKD_3390_F4;
	c[27] = CKD_3390_F5;
	if (alt) {
		put_be16(c + 28, cyls - alt);
		put_be16(c + 30, alt * d->im.g.heads);
	}
	c[40] = d->model->code; /* MDR and OBR record ids */
	c[41] = d->model->code;
	c[42] = CU_CODE;
	c[43] = 0x02;
	put_be16(c + 44, CKD_3390_R0_MAX);
	c[47] = 0x01;
	c[48] = CKD_3390_F6;
	put_be16(c + 49, RPS_FACTOR);
	c[57] = 0xFF; /* Hercules: "real device type", as a disk array */
}

/* One node-element descriptor: flags, type, model and serial in EBCDIC,
 * and the tag (bytes 30-31). */
static void put_ned(u8 *p, u32 flags, const char *text, u16 tag)
{
	p[0] = (u8)(flags >> 24);
	p[1] = (u8)(flags >> 16);
	p[2] = (u8)(flags >> 8);
	p[3] = (u8)flags;
	for (unsigned i = 0; i < 26; i++)
		p[4 + i] = sim_ckd_ebcdic(text[i]);
	put_be16(p + 30, tag);
}

/* RCD: Hercules' configuration data: device, string, storage director and
 * subsystem descriptors, and the node-element qualifier (dasdtab.c; the
 * tags as Hercules 3.13 returned them: the device number, 0, 1, 0). */
static void build_config(struct sim_dasd *d)
{
	u8 *c = d->config;
	char t[32];
	u16 ssid = d->devno & (u16)~31u;

	memset(c, 0, RCD_LEN);
	snprintf(t, sizeof(t), "  %04X0%02XHRCZZ000000000001", DEV_TYPE, d->model->model);
	put_ned(c + 0, 0xC4010100, t, d->devno);
	put_ned(c + 32, 0xC4000000, t, 0);
	snprintf(t, sizeof(t), "  %04X0%02XHRCZZ000000000001", CU_TYPE, CU_MODEL);
	put_ned(c + 64, 0xD4020000, t, 1);
	snprintf(t, sizeof(t), "  %04X   HRCZZ000000000001", CU_TYPE);
	put_ned(c + 96, 0xF0000001, t, 0);
	c[224] = 0x80;				 /* a general qualifier */
	put_be16(c + 226, (ssid >> 5) & 7);	 /* interface id */
	c[230] = 0x1E;				 /* missing-interrupt interval */
	put_be16(c + 232, ssid);		 /* subsystem id */
	c[234] = 0x80;				 /* path and cluster */
	c[235] = c[236] = c[237] = (u8)d->devno; /* unit, device id and address */
	c[238] = c[227];
	c[241] = 0x80; /* parallel interface */
	c[242] = 0x80;
	c[243] = (u8)d->devno;
}

long sim_dasd_add(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_dasd_opts *opts, char *why)
{
	struct sim_dasd *d;
	struct sim_dev_config cfg;
	long schid;

	if (!sim || !dev || !opts || !opts->path) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "no image given");
		return SIM_ERR;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "out of memory");
		return SIM_ERR;
	}
	if (sim_ckd_open(&d->im, opts->path, opts->read_only, why)) {
		free(d);
		return SIM_ERR;
	}
	d->sim = sim;
	d->devno = dev->devno;
	d->model = &models[ARRAY_SIZE(models) - 1];
	for (size_t i = 0; i < ARRAY_SIZE(models); i++) {
		if (d->im.g.cyls <= (u32)models[i].prime + models[i].alt) {
			d->model = &models[i];
			break;
		}
	}
	build_devchar(d);
	build_config(d);
	dasd_program_start(d);

	cfg = *dev;
	cfg.cu_type = CU_TYPE;
	cfg.cu_model = CU_MODEL;
	cfg.dev_type = DEV_TYPE;
	cfg.dev_model = d->model->model;
	memset(cfg.ciw, 0, sizeof(cfg.ciw));
	cfg.ciw[0].type = CIW_ET_CIW | CIW_CT_RCD;
	cfg.ciw[0].cmd = DASD_CMD_RCD;
	cfg.ciw[0].count = RCD_LEN;
	cfg.senseid_len = 12;
	cfg.sense_len = SENSE_DATA_LEN;
	schid = sim_attach(sim, &cfg, &dasd_ops, d);
	if (schid < 0) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "cannot attach the device (place taken?)");
		dasd_destroy(d);
		return SIM_ERR;
	}
	d->schid = (u32)schid;
	return schid;
}

struct sim_dasd *sim_dasd_find(struct sim *sim, u32 schid)
{
	struct sim_sch *sch = sim_find(sim, schid);

	return sch && sch->ops == &dasd_ops ? sch->cu : NULL;
}

int sim_dasd_sync(struct sim_dasd *d)
{
	return sim_ckd_sync(&d->im);
}

void sim_dasd_get_stats(const struct sim_dasd *d, struct sim_dasd_stats *out)
{
	*out = d->stats;
}

void sim_dasd_geom(const struct sim_dasd *d, struct sim_ckd_geom *out)
{
	*out = d->im.g;
}
