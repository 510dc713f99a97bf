/*
 * The tour's DASD part: each 3390 on a 3990 is driven by the ECKD driver
 * (devices/eckd.c). It prints the geometry, the volume serial and the IPL
 * record, each read by both styles of channel program and compared; on a
 * scratch volume (serial CCWTST, as tests/hercules makes it with dasdinit)
 * it formats cylinder 1 head 0, writes a pattern, reads it back and leaves
 * it there for a check of the image file afterwards.
 */
#include "boot/tour_priv.h"

#include "ccw/port.h"	    /* port_printf, port_dma_alloc */
#include "ccw/trace.h"	    /* ccwtrace_program */
#include "devices/ebcdic.h" /* ebcdic_to_ascii */
#include "devices/eckd.h"
#include "ring/fmt.h" /* fmt_snprintf */

/* Only a volume with this serial is ever written. */
#define TOUR_DASD_SCRATCH "CCWTST"
/* The write-verify area: cylinder 1 head 0, 12 records of 4096 bytes. */
#define TOUR_DASD_CYL	  1u
#define TOUR_DASD_RECS	  12u
#define TOUR_DASD_DL	  4096u
/* Records formatted on head 1 for the multitrack read. */
#define TOUR_DASD_MT_RECS 2u
/* Head-1 records carry this bit in the low word of their pattern. */
#define TOUR_DASD_HEAD1	  0x10000u
/* Largest IPL-record key plus data the tour prints. */
#define TOUR_DASD_IPL_MAX 1024u

struct tour_dasd {
	struct tour *t;
	const struct tour_dev *d;
	struct eckd *e;
	char busid[16];
};

static void td_test(const struct tour_dasd *td, const char *what, enum tour_status st,
		    const char *fmt, ...) __printf(4, 5);
static void td_test(const struct tour_dasd *td, const char *what, enum tour_status st,
		    const char *fmt, ...)
{
	char name[48], detail[224];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	fmt_snprintf(name, sizeof(name), "dasd.%s.%s", what, td->busid);
	tour_test(td->t, name, st, "%s", detail);
}

static void td_line(void *ctx, const char *line)
{
	(void)ctx;
	port_printf("  %s\n", line);
}

/* A failed call: its TEST line with the driver's reason, and the program. */
static void td_fail(const struct tour_dasd *td, const char *what)
{
	td_test(td, what, TOUR_FAIL, "%s: %s", verr_str(td->e->err), td->e->why);
	if (td->e->nccw) {
		port_printf("  channel program:\n");
		ccwtrace_program(port_dma_addr(eckd_program(td->e)), true, IDENT_DASD_ECKD,
				 td->e->nccw + 1, td_line, NULL);
	}
}

/* Bytes in hex, 4 per group, 32 per line, each line prefixed. */
static void td_hex(const char *prefix, const u8 *p, unsigned n)
{
	char line[96];

	for (unsigned i = 0; i < n; i += 32) {
		unsigned pos = 0;

		for (unsigned j = i; j < n && j < i + 32; j++)
			pos += (unsigned)fmt_snprintf(line + pos, sizeof(line) - pos, "%s%02x",
						      j > i && j % 4 == 0 ? " " : "", p[j]);
		port_printf("%s%s\n", prefix, line);
	}
}

static bool same_count(const struct eckd_count *a, const struct eckd_count *b)
{
	return a->cyl == b->cyl && a->head == b->head && a->rec == b->rec && a->kl == b->kl &&
	       a->dl == b->dl;
}

/* --- Geometry, serial, IPL record ---------------------------------------- */

static void td_geometry(const struct tour_dasd *td)
{
	const struct eckd_geom *g = &td->e->geom;
	struct eckd_count a, b;
	u16 lc = (u16)(g->cyls - 1), lh = (u16)(g->heads - 1);
	int err;

	port_printf("%s 3390: %04x-%02x on %04x-%02x, %u cylinders x %u heads, track capacity %u "
		    "bytes, formula %u (factors %u %u %u %u %u), largest R0 %u bytes\n",
		    td->busid, g->dev_type, g->dev_model, g->cu_type, g->cu_model,
		    (unsigned)g->cyls, g->heads, (unsigned)g->track_bytes, g->formula, g->factor[0],
		    g->factor[1], g->factor[2], g->factor[3], g->factor[4], g->r0_max);
	port_printf("%s 3390: %u records of %u bytes fit on a track, %u of 56664 (the largest)\n",
		    td->busid, eckd_records_per_track(td->e, 0, TOUR_DASD_DL), TOUR_DASD_DL,
		    eckd_records_per_track(td->e, 0, 56664));
	/* R0 of the last track, by both chains, must carry its own address:
	 * the cylinder and head counts are right. */
	err = eckd_read_r0(td->e, ECKD_VIA_ECKD, lc, lh, &a, NULL, 8);
	if (!err)
		err = eckd_read_r0(td->e, ECKD_VIA_CLASSIC, lc, lh, &b, NULL, 8);
	if (err) {
		td_fail(td, "geometry");
		return;
	}
	td_test(td, "geometry",
		same_count(&a, &b) && a.cyl == lc && a.head == lh && a.rec == 0 ? TOUR_PASS
										: TOUR_FAIL,
		"%u cylinders x %u heads, %u-byte tracks; R0 of the last track %u/%u: ECKD "
		"%u/%u/%u "
		"kl %u dl %u, classic %u/%u/%u kl %u dl %u",
		(unsigned)g->cyls, g->heads, (unsigned)g->track_bytes, lc, lh, a.cyl, a.head, a.rec,
		a.kl, a.dl, b.cyl, b.head, b.rec, b.kl, b.dl);
}

/* The serial by both chains; false when it could not be read. */
static bool td_volser(const struct tour_dasd *td, char serial[7])
{
	char other[7];

	if (eckd_volser(td->e, ECKD_VIA_ECKD, serial) ||
	    eckd_volser(td->e, ECKD_VIA_CLASSIC, other)) {
		td_fail(td, "volser");
		return false;
	}
	port_printf("%s 3390: volume serial %s\n", td->busid, serial);
	td_test(td, "volser", strcmp(serial, other) ? TOUR_FAIL : TOUR_PASS,
		"\"%s\" (VOL1 at 0/0/3), ECKD \"%s\", classic \"%s\"", serial, serial, other);
	return !strcmp(serial, other);
}

/*
 * Record 1 of track 0: count, key and data by READ COUNT KEY AND DATA
 * (ECKD), then key and data by the classic chain (SEARCH ID EQUAL + READ
 * KEY AND DATA, chain A) and the data by the ECKD chain (LOCATE RECORD +
 * READ DATA, chain B): all three must agree.
 */
static void td_ipl(const struct tour_dasd *td)
{
	u8 *ckd = port_dma_alloc(TOUR_DASD_IPL_MAX, 8);
	u8 *kd = port_dma_alloc(TOUR_DASD_IPL_MAX, 8);
	u8 *data = port_dma_alloc(TOUR_DASD_IPL_MAX, 8);
	struct eckd_run one = { 0, 0, 1, 1, 0, 0 };
	struct eckd_count c;
	u32 len = 0;
	char key[8] = "";
	bool same;

	if (!ckd || !kd || !data) {
		td_test(td, "ipl-record", TOUR_FAIL, "no memory");
		return;
	}
	if (eckd_read_ckd(td->e, ECKD_VIA_ECKD, 0, 0, 1, &c, ckd, TOUR_DASD_IPL_MAX, &len)) {
		td_fail(td, "ipl-record");
		return;
	}
	if (c.dl == 0) {
		td_test(td, "ipl-record", TOUR_FAIL, "R1 of 0/0 has no data");
		return;
	}
	one.dl = c.dl;
	if (eckd_read_kd(td->e, ECKD_VIA_CLASSIC, 0, 0, 1, kd, (u16)len) ||
	    eckd_read(td->e, ECKD_VIA_ECKD, &one, data)) {
		td_fail(td, "ipl-record");
		return;
	}
	for (unsigned i = 0; i < c.kl && i < sizeof(key) - 1; i++) {
		char ch = ebcdic_to_ascii(ckd[i]);

		key[i] = ch >= 0x20 && ch < 0x7F ? ch : '.';
		key[i + 1] = '\0';
	}
	port_printf("%s 3390: IPL record 0/0/1, key %u bytes (\"%s\"), data %u bytes\n", td->busid,
		    c.kl, key, c.dl);
	td_hex("  key  ", ckd, c.kl);
	td_hex("  data ", ckd + c.kl, c.dl);
	same = !memcmp(ckd, kd, len) && !memcmp(ckd + c.kl, data, c.dl);
	td_test(td, "ipl-record", same ? TOUR_PASS : TOUR_FAIL,
		"R1 key %u bytes \"%s\", %u data bytes; READ COUNT KEY AND DATA (ECKD), READ KEY "
		"AND DATA (classic) and READ DATA (ECKD) %s",
		c.kl, key, c.dl, same ? "agree" : "differ");
}

/* --- Errors ---------------------------------------------------------------- */

/* Whether a call failed with err and condition cond; says what it got if not. */
static bool td_expect(const struct tour_dasd *td, int got, int err, enum eckd_cond cond,
		      const char *what)
{
	if (got == err && td->e->cond == cond)
		return true;
	port_printf("  %s: expected %s (%s), got %s: %s\n", what, verr_str(err),
		    eckd_cond_name(cond), verr_str(got), got ? td->e->why : "");
	return false;
}

/*
 * The device's refusals, decoded: a record that is not there (no record
 * found) by both chains, and a track outside DEFINE EXTENT's extent (file
 * protected); on a scratch volume also a write under a file mask that
 * inhibits writes, by both chains (refused, nothing written).
 */
static void td_errors(const struct tour_dasd *td, bool scratch, u8 *buf)
{
	const struct eckd_extent whole = td->e->ext;
	struct eckd_extent x = whole;
	const struct eckd_run rec1 = { TOUR_DASD_CYL, 0, 1, 1, TOUR_DASD_DL, TOUR_DASD_RECS };
	struct eckd_count c;
	bool ok = true;
	u8 kd[8];

	ok &= td_expect(td, eckd_read_kd(td->e, ECKD_VIA_ECKD, 0, 0, 9, kd, sizeof(kd)),
			-VERR_RANGE, ECKD_COND_NO_RECORD, "R9 of 0/0 (ECKD)");
	ok &= td_expect(td, eckd_read_kd(td->e, ECKD_VIA_CLASSIC, 0, 0, 9, kd, sizeof(kd)),
			-VERR_RANGE, ECKD_COND_NO_RECORD, "R9 of 0/0 (classic)");
	x.cyl1 = 0;
	x.head1 = 0;
	eckd_set_extent(td->e, &x);
	ok &= td_expect(td, eckd_read_r0(td->e, ECKD_VIA_ECKD, 0, 1, &c, NULL, 8), -VERR_RANGE,
			ECKD_COND_FILE_PROTECTED, "R0 of 0/1, extent 0/0");
	if (scratch) {
		x = whole;
		x.writable = false;
		eckd_set_extent(td->e, &x);
		memset(buf, 0xEE, TOUR_DASD_DL);
		ok &= td_expect(td, eckd_write(td->e, ECKD_VIA_ECKD, &rec1, buf), -VERR_ROFS,
				ECKD_COND_MASK_INHIBITS, "write under mask 40 (ECKD)");
		ok &= td_expect(td, eckd_write(td->e, ECKD_VIA_CLASSIC, &rec1, buf), -VERR_ROFS,
				ECKD_COND_MASK_INHIBITS, "write under mask 40 (classic)");
	}
	eckd_set_extent(td->e, &whole);
	td_test(td, "errors", ok ? TOUR_PASS : TOUR_FAIL,
		"no record found for 0/0/9 (both chains), file protected for 0/1 outside extent "
		"0/0%s: %s",
		scratch ? ", writes refused under a mask inhibiting them (both chains)" : "",
		ok ? "as expected" : "not as expected");
}

/* --- The scratch volume --------------------------------------------------- */

/* Record r gets 512 copies of the big-endian (seed << 32) | tag. */
static void td_fill(u8 *p, u32 seed, u32 tag)
{
	be64 v = cpu_to_be64(((u64)seed << 32) | tag);

	for (unsigned i = 0; i < TOUR_DASD_DL / 8; i++)
		memcpy(p + 8 * i, &v, 8);
}

static unsigned td_differ(const u8 *a, const u8 *b, unsigned n)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < n; i++)
		bad += memcmp(a + (size_t)i * TOUR_DASD_DL, b + (size_t)i * TOUR_DASD_DL,
			      TOUR_DASD_DL) != 0;
	return bad;
}

/*
 * Cylinder 1 head 0: format 12 records of 4096 bytes (ECKD: LOCATE RECORD
 * format write, WRITE R0, WRITE CKD), write record r with its pattern
 * (records 1-6 by the classic chain, 7-12 by the ECKD chain), read all
 * back by both chains and compare. The data stays on the volume.
 */
static bool td_write_verify(const struct tour_dasd *td, u8 *want, u8 *buf, u8 *got)
{
	const struct eckd_run all = { TOUR_DASD_CYL, 0, 1, TOUR_DASD_RECS, TOUR_DASD_DL,
				      TOUR_DASD_RECS };
	const struct eckd_run lo = { TOUR_DASD_CYL, 0, 1, TOUR_DASD_RECS / 2, TOUR_DASD_DL,
				     TOUR_DASD_RECS };
	const struct eckd_run hi = { TOUR_DASD_CYL,	     0,
				     1 + TOUR_DASD_RECS / 2, TOUR_DASD_RECS / 2,
				     TOUR_DASD_DL,	     TOUR_DASD_RECS };
	const u32 half = TOUR_DASD_RECS / 2 * TOUR_DASD_DL;
	unsigned bad_eckd, bad_classic;

	for (u32 r = 1; r <= TOUR_DASD_RECS; r++)
		td_fill(want + (r - 1) * TOUR_DASD_DL, td->t->seed, r);
	memcpy(buf, want, TOUR_DASD_RECS * TOUR_DASD_DL);
	if (eckd_format(td->e, ECKD_VIA_ECKD, &all, NULL)) {
		/* A volume attached read-only (Hercules' "ro") refuses the
		 * first write with write inhibited: nothing was written, and
		 * there is nothing to verify, as on a read-only virtio disk. */
		if (td->e->err == -VERR_ROFS && td->e->cond == ECKD_COND_WRITE_INHIBITED) {
			td_test(td, "write-verify", TOUR_SKIP,
				"scratch serial, but the volume is write-inhibited (read-only): "
				"nothing written");
			return false;
		}
		td_fail(td, "write-verify");
		return false;
	}
	if (eckd_write(td->e, ECKD_VIA_CLASSIC, &lo, buf) ||
	    eckd_write(td->e, ECKD_VIA_ECKD, &hi, buf + half)) {
		td_fail(td, "write-verify");
		return false;
	}
	memset(got, 0, TOUR_DASD_RECS * TOUR_DASD_DL);
	if (eckd_read(td->e, ECKD_VIA_ECKD, &all, got)) {
		td_fail(td, "write-verify");
		return false;
	}
	bad_eckd = td_differ(got, want, TOUR_DASD_RECS);
	memset(got, 0, TOUR_DASD_RECS * TOUR_DASD_DL);
	if (eckd_read(td->e, ECKD_VIA_CLASSIC, &all, got)) {
		td_fail(td, "write-verify");
		return false;
	}
	bad_classic = td_differ(got, want, TOUR_DASD_RECS);
	td_test(td, "write-verify", bad_eckd || bad_classic ? TOUR_FAIL : TOUR_PASS,
		"cylinder %u head 0: %u records of %u bytes formatted, written (1-%u classic, "
		"%u-%u ECKD), seed %u; read back differ: %u (ECKD), %u (classic)",
		TOUR_DASD_CYL, TOUR_DASD_RECS, TOUR_DASD_DL, TOUR_DASD_RECS / 2,
		TOUR_DASD_RECS / 2 + 1, TOUR_DASD_RECS, (unsigned)td->t->seed, bad_eckd,
		bad_classic);
	return true;
}

/*
 * Head 1 gets 2 records (classic format with data: SET FILE MASK, SEARCH
 * HOME ADDRESS EQUAL, WRITE R0, WRITE CKD); then records 11-12 of head 0
 * and 1-2 of head 1 are read in one channel program by each chain.
 */
static void td_multitrack(const struct tour_dasd *td, u8 *want, u8 *got)
{
	const struct eckd_run h1 = { TOUR_DASD_CYL, 1, 1, TOUR_DASD_MT_RECS, TOUR_DASD_DL,
				     TOUR_DASD_RECS };
	const struct eckd_run span = { TOUR_DASD_CYL, 0, TOUR_DASD_RECS - 1, 4, TOUR_DASD_DL,
				       TOUR_DASD_RECS };
	unsigned bad_eckd, bad_classic;

	td_fill(want, td->t->seed, TOUR_DASD_RECS - 1);
	td_fill(want + TOUR_DASD_DL, td->t->seed, TOUR_DASD_RECS);
	for (u32 r = 1; r <= TOUR_DASD_MT_RECS; r++)
		td_fill(want + (1 + r) * TOUR_DASD_DL, td->t->seed, TOUR_DASD_HEAD1 | r);
	if (eckd_format(td->e, ECKD_VIA_CLASSIC, &h1, want + 2 * TOUR_DASD_DL)) {
		td_fail(td, "multitrack-read");
		return;
	}
	memset(got, 0, 4 * TOUR_DASD_DL);
	if (eckd_read(td->e, ECKD_VIA_ECKD, &span, got)) {
		td_fail(td, "multitrack-read");
		return;
	}
	bad_eckd = td_differ(got, want, 4);
	memset(got, 0, 4 * TOUR_DASD_DL);
	if (eckd_read(td->e, ECKD_VIA_CLASSIC, &span, got)) {
		td_fail(td, "multitrack-read");
		return;
	}
	bad_classic = td_differ(got, want, 4);
	td_test(td, "multitrack-read", bad_eckd || bad_classic ? TOUR_FAIL : TOUR_PASS,
		"records %u/0/%u-%u and %u/1/1-%u in one program (ECKD: one LOCATE RECORD, READ "
		"DATA MT; classic: SEEK per track); differ: %u (ECKD), %u (classic)",
		TOUR_DASD_CYL, TOUR_DASD_RECS - 1, TOUR_DASD_RECS, TOUR_DASD_CYL, TOUR_DASD_MT_RECS,
		bad_eckd, bad_classic);
}

static void td_scratch(const struct tour_dasd *td, const char *serial)
{
	const u32 len = TOUR_DASD_RECS * TOUR_DASD_DL;
	unsigned failed = td->t->failed;
	u8 *want, *buf, *got;

	if (strcmp(serial, TOUR_DASD_SCRATCH)) {
		td_errors(td, false, NULL);
		td_test(td, "write-verify", TOUR_SKIP,
			"volume serial \"%s\" is not the scratch serial %s: nothing written",
			serial, TOUR_DASD_SCRATCH);
		return;
	}
	if (eckd_records_per_track(td->e, 0, TOUR_DASD_DL) < TOUR_DASD_RECS ||
	    td->e->geom.cyls <= TOUR_DASD_CYL || td->e->geom.heads < 2) {
		td_test(td, "write-verify", TOUR_SKIP, "the volume is too small");
		return;
	}
	want = port_dma_alloc(len, 4096);
	buf = port_dma_alloc(len, 4096);
	got = port_dma_alloc(len, 4096);
	if (!want || !buf || !got) {
		td_test(td, "write-verify", TOUR_FAIL, "no memory");
		return;
	}
	if (!td_write_verify(td, want, buf, got) || td->t->failed != failed)
		return;
	td_multitrack(td, want, got);
	/* The refused writes leave the write-verify records as they were. */
	td_errors(td, true, buf);
	memset(got, 0, TOUR_DASD_DL);
	td_fill(want, td->t->seed, 1);
	if (eckd_read(td->e, ECKD_VIA_ECKD,
		      &(struct eckd_run){ TOUR_DASD_CYL, 0, 1, 1, TOUR_DASD_DL, TOUR_DASD_RECS },
		      got) ||
	    memcmp(got, want, TOUR_DASD_DL))
		td_test(td, "errors", TOUR_FAIL,
			"record %u/0/1 changed after the refused writes: %s", TOUR_DASD_CYL,
			td->e->why);
}

void tour_dasd(struct tour *t, const struct tour_dev *d)
{
	struct tour_dasd td = { .t = t, .d = d };
	char serial[7];
	unsigned failed = t->failed;

	tour_busid(td.busid, sizeof(td.busid), schid_ssid(d->schid), d->devno);
	td.e = port_dma_alloc(sizeof(*td.e), 8);
	if (!td.e) {
		td_test(&td, "geometry", TOUR_FAIL, "no memory");
		return;
	}
	if (eckd_init(td.e, t->css, d->schid)) {
		td_test(&td, "geometry", TOUR_FAIL, "%s: %s", verr_str(td.e->err), td.e->why);
		return;
	}
	td_geometry(&td);
	if (!td_volser(&td, serial))
		return;
	td_ipl(&td);
	if (t->failed != failed) {
		td_test(&td, "write-verify", TOUR_SKIP, "reading failed: nothing written");
		return;
	}
	td_scratch(&td, serial);
}
