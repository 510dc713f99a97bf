/*
 * devices/eckd.c, the 3390 ECKD driver, against the simulated 3390 on a
 * 3990 (sim/dasd.c) over a CKD image in Hercules' format: geometry,
 * reading R0, the IPL record and the VOL1 label by both styles of channel
 * program, formatting and writing records and runs across heads, every
 * error path (no record, outside the extent or the volume, a write the
 * file mask forbids, a read-only image, a wrong length, a device that goes
 * away or never answers), the sense decoder, and a round trip through an
 * image made by Hercules' own dasdinit.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/host/host.h"
#include "devices/eckd.h"
#include "sim/dasd.h"
#include "sim/testdev.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"

#define RIG_MEM (16u << 20)
#define CYLS	10u
#define HEADS	15u
#define TRKSIZE 56832u
#define DL	4096u
#define PER	12u

struct rig {
	struct sim *sim;
	struct css css;
	struct eckd *e;
	u32 schid;
	struct sim_dasd *m;
	char dir[224];
	char path[256];
};

/* A fresh image in a new temporary directory: dasdinit's layout with the
 * given serial (sim_ckd_create), or none when path is already set. */
static void rig_image(struct rig *r, const char *volser)
{
	char why[SIM_WHY_LEN];

	unit_temp_template(r->dir, sizeof(r->dir), "eckd-test");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(r->dir));
	snprintf(r->path, sizeof(r->path), "%s/disk.3390", r->dir);
	if (!volser)
		return;
	if (sim_ckd_create(r->path, CYLS, volser, why))
		fprintf(stderr, "sim_ckd_create: %s\n", why);
	CU_ASSERT_FATAL(access(r->path, R_OK) == 0);
}

/* A machine with the DASD on r->path, enabled and brought up by the driver. */
static int rig_attach(struct rig *r, bool read_only, enum sim_completion completion)
{
	struct sim_dasd_opts o = { r->path, read_only };
	struct sim_dev_config dev;
	char why[SIM_WHY_LEN];
	long schid;

	r->sim = drvrig_machine(SIM_PROFILE_ARCH, completion, RIG_MEM, false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->sim);
	dev = unit_dev(0x0120);
	schid = sim_dasd_add(r->sim, &dev, &o, why);
	if (schid < 0)
		fprintf(stderr, "sim_dasd_add: %s\n", why);
	CU_ASSERT_FATAL(schid >= 0);
	r->schid = (u32)schid;
	r->m = sim_dasd_find(r->sim, r->schid);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->m);
	CU_ASSERT_FATAL(drvrig_bind(r->sim, &r->css));
	CU_ASSERT_EQUAL_FATAL(css_enable(&r->css, r->schid, r->schid), 0);
	r->e = port_dma_alloc(sizeof(*r->e), 8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->e);
	return eckd_init(r->e, &r->css, r->schid);
}

static void rig_up(struct rig *r, const char *volser)
{
	int err;

	memset(r, 0, sizeof(*r));
	rig_image(r, volser);
	err = rig_attach(r, false, SIM_COMPLETE_SYNC);
	if (err)
		fprintf(stderr, "eckd_init: %s\n", r->e->why);
	CU_ASSERT_EQUAL_FATAL(err, 0);
}

/* End the machine (the image is written back), keep the file. */
static void rig_detach(struct rig *r)
{
	drvrig_close(&r->sim);
	r->sim = NULL;
}

static void rig_down(struct rig *r)
{
	if (r->sim)
		rig_detach(r);
	unlink(r->path);
	rmdir(r->dir);
}

static unsigned starts(struct rig *r)
{
	return r->css.stats.starts;
}

/* Record tag gets dl / 8 copies of the big-endian (seed << 32) | tag. */
static void fill(u8 *p, unsigned dl, u32 seed, u32 tag)
{
	be64 v = cpu_to_be64(((u64)seed << 32) | tag);

	for (unsigned i = 0; i < dl / 8; i++)
		memcpy(p + 8 * i, &v, 8);
}

static u8 *dma(size_t len)
{
	u8 *p = port_dma_alloc(len, 4096);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	return p;
}

/* Read the image file's track (cyl, head) into buf (TRKSIZE bytes). */
static bool file_track(const char *path, unsigned cyl, unsigned head, u8 *buf)
{
	int fd = open(path, O_RDONLY);
	off_t off = 512 + ((off_t)cyl * HEADS + head) * TRKSIZE;
	bool ok;

	if (fd < 0)
		return false;
	ok = pread(fd, buf, TRKSIZE, off) == (ssize_t)TRKSIZE;
	close(fd);
	return ok;
}

/* Whether a track in the file holds R0 and records 1..n of dl bytes with
 * the pattern of seed and tags tag0 + r, then the end-of-track marker. */
static bool file_has_pattern(const char *path, unsigned cyl, unsigned head, unsigned n, unsigned dl,
			     u32 seed, u32 tag0)
{
	static const u8 eot[8] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	u8 *trk = malloc(TRKSIZE), *want = malloc(dl);
	u8 r0[8] = { (u8)(cyl >> 8), (u8)cyl, (u8)(head >> 8), (u8)head, 0, 0, 0, 8 };
	unsigned pos = 5 + 8 + 8;
	bool ok = trk && want && file_track(path, cyl, head, trk) && !memcmp(trk + 5, r0, 8);

	for (unsigned r = 1; ok && r <= n; r++) {
		u8 count[8] = { (u8)(cyl >> 8), (u8)cyl, (u8)(head >> 8), (u8)head,
				(u8)r,		0,	 (u8)(dl >> 8),	  (u8)dl };

		fill(want, dl, seed, tag0 + r);
		ok = pos + 8 + dl <= TRKSIZE && !memcmp(trk + pos, count, 8) &&
		     !memcmp(trk + pos + 8, want, dl);
		pos += 8 + dl;
	}
	ok = ok && !memcmp(trk + pos, eot, 8);
	free(trk);
	free(want);
	return ok;
}

/* --- Geometry and reading ---------------------------------------------------- */

static void test_geometry(void)
{
	struct rig r;
	const struct eckd_geom *g;

	rig_up(&r, "CCWTST");
	g = &r.e->geom;
	CU_ASSERT_EQUAL(g->cu_type, 0x3990);
	CU_ASSERT_EQUAL(g->cu_model, 0xC2);
	CU_ASSERT_EQUAL(g->dev_type, 0x3390);
	CU_ASSERT_EQUAL(g->dev_model, 0x02);
	CU_ASSERT_EQUAL(g->cyls, CYLS);
	CU_ASSERT_EQUAL(g->heads, HEADS);
	CU_ASSERT_EQUAL(g->track_bytes, 58786u);
	CU_ASSERT_EQUAL(g->formula, 2);
	CU_ASSERT_EQUAL(g->factor[0], 34);
	CU_ASSERT_EQUAL(g->r0_max, 57326);
	/* The 3390's documented capacities. */
	CU_ASSERT_EQUAL(eckd_records_per_track(r.e, 0, 4096), 12u);
	CU_ASSERT_EQUAL(eckd_records_per_track(r.e, 0, 56664), 1u);
	CU_ASSERT_EQUAL(eckd_records_per_track(r.e, 0, 56665), 0u);
	CU_ASSERT(eckd_records_per_track(r.e, 4, 4096) < 12u);
	/* The extent starts as the whole volume, writable. */
	CU_ASSERT_EQUAL(r.e->ext.cyl1, CYLS - 1);
	CU_ASSERT_EQUAL(r.e->ext.head1, HEADS - 1);
	CU_ASSERT(r.e->ext.writable);
	rig_down(&r);
}

static void test_not_a_3390(void)
{
	struct sim *sim = drvrig_machine(SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC, RIG_MEM, false);
	struct sim_testdev *td;
	struct css css;
	struct eckd *e;
	long schid;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	schid = sim_testdev_attach(sim, 0, -1, 0x0200, &td);
	CU_ASSERT_FATAL(schid >= 0);
	CU_ASSERT_FATAL(drvrig_bind(sim, &css));
	CU_ASSERT_EQUAL_FATAL(css_enable(&css, (u32)schid, 1), 0);
	e = port_dma_alloc(sizeof(*e), 8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(eckd_init(e, &css, (u32)schid), -VERR_NOTSUP);
	CU_ASSERT_PTR_NOT_NULL(strstr(e->why, "5001"));
	drvrig_close(&sim);
}

static void test_read_r0(void)
{
	struct eckd_count a, b;
	u8 data[8];
	struct rig r;

	rig_up(&r, "CCWTST");
	for (unsigned i = 0; i < 3; i++) {
		u16 c = (u16)(i == 0 ? 0 : i == 1 ? 4 : CYLS - 1);
		u16 h = (u16)(i == 0 ? 0 : i == 1 ? 7 : HEADS - 1);

		memset(data, 0xA5, sizeof(data));
		CU_ASSERT_EQUAL(eckd_read_r0(r.e, ECKD_VIA_ECKD, c, h, &a, data, 8), 0);
		CU_ASSERT_EQUAL(eckd_read_r0(r.e, ECKD_VIA_CLASSIC, c, h, &b, NULL, 8), 0);
		CU_ASSERT(a.cyl == c && a.head == h && a.rec == 0 && a.kl == 0 && a.dl == 8);
		CU_ASSERT(b.cyl == c && b.head == h && b.rec == 0 && b.kl == 0 && b.dl == 8);
		for (unsigned j = 0; j < 8; j++)
			CU_ASSERT_EQUAL(data[j], 0);
	}
	rig_down(&r);
}

static void test_ipl_record(void)
{
	/* dasdinit's dummy IPL1 record (platforms.md 11.7). */
	static const u8 key[4] = { 0xC9, 0xD7, 0xD3, 0xF1 };
	static const u8 data[24] = { 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0F,
				     0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
	struct eckd_run one = { 0, 0, 1, 1, 24, 0 };
	u8 ckd[2][64], kd[2][28], *d;
	struct eckd_count c[2];
	u32 len[2] = { 0, 0 };
	struct rig r;

	rig_up(&r, "CCWTST");
	d = dma(2 * 24);
	CU_ASSERT_EQUAL(eckd_read_ckd(r.e, ECKD_VIA_ECKD, 0, 0, 1, &c[0], ckd[0], 64, &len[0]), 0);
	CU_ASSERT_EQUAL(eckd_read_ckd(r.e, ECKD_VIA_CLASSIC, 0, 0, 1, &c[1], ckd[1], 64, &len[1]),
			0);
	for (int i = 0; i < 2; i++) {
		CU_ASSERT(c[i].cyl == 0 && c[i].head == 0 && c[i].rec == 1);
		CU_ASSERT_EQUAL(c[i].kl, 4);
		CU_ASSERT_EQUAL(c[i].dl, 24);
		CU_ASSERT_EQUAL(len[i], 28u);
		CU_ASSERT(!memcmp(ckd[i], key, 4));
		CU_ASSERT(!memcmp(ckd[i] + 4, data, 24));
	}
	/* Chain A (SEARCH ID EQUAL, READ KEY AND DATA) and its ECKD twin. */
	CU_ASSERT_EQUAL(eckd_read_kd(r.e, ECKD_VIA_CLASSIC, 0, 0, 1, kd[0], 28), 0);
	CU_ASSERT_EQUAL(eckd_read_kd(r.e, ECKD_VIA_ECKD, 0, 0, 1, kd[1], 28), 0);
	CU_ASSERT(!memcmp(kd[0], ckd[0], 28));
	CU_ASSERT(!memcmp(kd[1], ckd[0], 28));
	/* Chain B (LOCATE RECORD, READ DATA MT) and the classic READ DATA. */
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &one, d), 0);
	/* The ECKD read is the measured chain B: DEFINE EXTENT, LOCATE RECORD
	 * 06 00 00 01 ..., READ DATA multitrack. */
	CU_ASSERT_EQUAL(r.e->nccw, 3u);
	CU_ASSERT_EQUAL(eckd_program(r.e)[0].cmd, ECKD_CMD_DEFINE_EXTENT);
	CU_ASSERT_EQUAL(eckd_program(r.e)[1].cmd, ECKD_CMD_LOCATE_RECORD);
	CU_ASSERT_EQUAL(eckd_program(r.e)[2].cmd, ECKD_CMD_READ_DATA | ECKD_CMD_MT);
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_CLASSIC, &one, d + 24), 0);
	CU_ASSERT(!memcmp(d, data, 24));
	CU_ASSERT(!memcmp(d + 24, data, 24));
	rig_down(&r);
}

static void test_volser(void)
{
	char a[7], b[7];
	struct rig r;

	rig_up(&r, "VOL9");
	CU_ASSERT_EQUAL(eckd_volser(r.e, ECKD_VIA_ECKD, a), 0);
	CU_ASSERT_EQUAL(eckd_volser(r.e, ECKD_VIA_CLASSIC, b), 0);
	CU_ASSERT_STRING_EQUAL(a, "VOL9");
	CU_ASSERT_STRING_EQUAL(b, "VOL9");
	rig_down(&r);
}

static void test_no_label(void)
{
	struct eckd_run one = { 0, 0, 3, 1, 80, 0 };
	char s[7];
	u8 *d;
	struct rig r;

	rig_up(&r, "CCWTST");
	/* Overwrite the label's data: the key stays, the text is gone. */
	d = dma(80);
	memset(d, 0x40, 80);
	CU_ASSERT_EQUAL(eckd_write(r.e, ECKD_VIA_ECKD, &one, d), 0);
	CU_ASSERT_EQUAL(eckd_volser(r.e, ECKD_VIA_ECKD, s), -VERR_PROTO);
	CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_MISMATCH);
	CU_ASSERT_STRING_EQUAL(s, "");
	rig_down(&r);
}

/* --- Formatting and writing --------------------------------------------------- */

/* The tour's write-verify, by both chains, one channel program each. */
static void test_format_write_read(void)
{
	const struct eckd_run all = { 1, 0, 1, PER, DL, PER };
	u8 *want, *got;
	struct rig r;
	unsigned s;

	rig_up(&r, "CCWTST");
	want = dma(PER * DL);
	got = dma(PER * DL);
	for (u32 i = 0; i < PER; i++)
		fill(want + i * DL, DL, 7, i + 1);
	for (int via = 0; via < 2; via++) {
		s = starts(&r);
		CU_ASSERT_EQUAL(eckd_format(r.e, (enum eckd_via)via, &all, NULL), 0);
		CU_ASSERT_EQUAL(starts(&r) - s, 1u);
		memset(got, 0xA5, PER * DL);
		CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &all, got), 0);
		for (unsigned i = 0; i < PER * DL; i++)
			if (got[i]) {
				CU_FAIL("a formatted record is not zero");
				break;
			}
		s = starts(&r);
		CU_ASSERT_EQUAL(eckd_write(r.e, (enum eckd_via)via, &all, want), 0);
		CU_ASSERT_EQUAL(starts(&r) - s, 1u);
		memset(got, 0, PER * DL);
		CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &all, got), 0);
		CU_ASSERT(!memcmp(got, want, PER * DL));
		memset(got, 0, PER * DL);
		CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_CLASSIC, &all, got), 0);
		CU_ASSERT(!memcmp(got, want, PER * DL));
	}
	CU_ASSERT_EQUAL(sim_dasd_sync(r.m), 0);
	CU_ASSERT(file_has_pattern(r.path, 1, 0, PER, DL, 7, 0));
	/* A 13th record does not fit: refused before any I/O. */
	{
		const struct eckd_run thirteen = { 1, 0, 1, 13, DL, 13 };

		s = starts(&r);
		CU_ASSERT_EQUAL(eckd_format(r.e, ECKD_VIA_ECKD, &thirteen, NULL), -VERR_RANGE);
		CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_OUTSIDE);
		CU_ASSERT_EQUAL(starts(&r), s);
	}
	rig_down(&r);
}

/* Format with data by one chain, read by the other; the tracks in the
 * file are the same whichever chain formatted them. */
static void test_format_with_data(void)
{
	const struct eckd_run a = { 2, 3, 1, 5, 512, 0 };
	const struct eckd_run b = { 2, 4, 1, 5, 512, 0 };
	u8 *want, *got, *ta, *tb;
	struct rig r;

	rig_up(&r, "CCWTST");
	want = dma(5 * 512);
	got = dma(5 * 512);
	for (u32 i = 0; i < 5; i++)
		fill(want + i * 512, 512, 3, i + 1);
	CU_ASSERT_EQUAL(eckd_format(r.e, ECKD_VIA_CLASSIC, &a, want), 0);
	CU_ASSERT_EQUAL(eckd_format(r.e, ECKD_VIA_ECKD, &b, want), 0);
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &a, got), 0);
	CU_ASSERT(!memcmp(got, want, 5 * 512));
	memset(got, 0, 5 * 512);
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_CLASSIC, &b, got), 0);
	CU_ASSERT(!memcmp(got, want, 5 * 512));
	CU_ASSERT_EQUAL(sim_dasd_sync(r.m), 0);
	CU_ASSERT(file_has_pattern(r.path, 2, 3, 5, 512, 3, 0));
	CU_ASSERT(file_has_pattern(r.path, 2, 4, 5, 512, 3, 0));
	ta = malloc(TRKSIZE);
	tb = malloc(TRKSIZE);
	CU_ASSERT_FATAL(ta && tb);
	CU_ASSERT(file_track(r.path, 2, 3, ta) && file_track(r.path, 2, 4, tb));
	/* Past the home address, the count fields differ only in HH. */
	CU_ASSERT_EQUAL(ta[4], 3);
	CU_ASSERT_EQUAL(tb[4], 4);
	free(ta);
	free(tb);
	rig_down(&r);
}

/* A run across heads and cylinders in one channel program per call. */
static void test_multitrack(void)
{
	/* 30 records of 4096 from 2/14 record 7: 6 on 2/14, 12 on 3/0, 12 on 3/1. */
	const struct eckd_run fmt = { 2, 14, 1, 36, DL, PER };
	const struct eckd_run run = { 2, 14, 7, 30, DL, PER };
	u8 *want, *got;
	struct rig r;
	unsigned s;

	rig_up(&r, "CCWTST");
	want = dma(30 * DL);
	got = dma(30 * DL);
	for (u32 i = 0; i < 30; i++)
		fill(want + i * DL, DL, 9, 100 + i);
	CU_ASSERT_EQUAL(eckd_format(r.e, ECKD_VIA_ECKD, &fmt, NULL), 0);
	s = starts(&r);
	CU_ASSERT_EQUAL(eckd_write(r.e, ECKD_VIA_ECKD, &run, want), 0);
	CU_ASSERT_EQUAL(starts(&r) - s, 1u);
	for (int via = 0; via < 2; via++) {
		memset(got, 0, 30 * DL);
		s = starts(&r);
		CU_ASSERT_EQUAL(eckd_read(r.e, (enum eckd_via)via, &run, got), 0);
		CU_ASSERT_EQUAL(starts(&r) - s, 1u);
		CU_ASSERT(!memcmp(got, want, 30 * DL));
	}
	/* The classic read took SEEK, SEARCH ID EQUAL and TIC per track; the
	 * ECKD read is one LOCATE RECORD for all 30 records. */
	CU_ASSERT_EQUAL(r.e->nccw, 3u * 3u + 30u);
	memset(got, 0, 30 * DL);
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &run, got), 0);
	CU_ASSERT_EQUAL(r.e->nccw, 2u + 30u);
	/* The classic chain writes across tracks too. */
	for (u32 i = 0; i < 30; i++)
		fill(want + i * DL, DL, 10, 100 + i);
	CU_ASSERT_EQUAL(eckd_write(r.e, ECKD_VIA_CLASSIC, &run, want), 0);
	memset(got, 0, 30 * DL);
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &run, got), 0);
	CU_ASSERT(!memcmp(got, want, 30 * DL));
	CU_ASSERT_EQUAL(sim_dasd_sync(r.m), 0);
	CU_ASSERT(file_has_pattern(r.path, 3, 0, PER, DL, 10, 100 + 6 - 1));
	rig_down(&r);
}

/* --- Errors ------------------------------------------------------------------ */

static void test_no_record(void)
{
	u8 kd[28];
	struct rig r;

	rig_up(&r, "CCWTST");
	for (int via = 0; via < 2; via++) {
		CU_ASSERT_EQUAL(eckd_read_kd(r.e, (enum eckd_via)via, 0, 0, 9, kd, 28),
				-VERR_RANGE);
		CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_NO_RECORD);
		CU_ASSERT_EQUAL(r.e->at.rec, 9);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.e->why, "no record found"));
		CU_ASSERT_PTR_NOT_NULL(strstr(r.e->why, "0/0/9"));
		CU_ASSERT(r.e->res.sense[1] & ECKD_SENSE1_NO_RECORD);
	}
	/* A track of nothing but R0: READ COUNT KEY AND DATA after R0 fails. */
	{
		struct eckd_count c;

		CU_ASSERT_EQUAL(eckd_read_ckd(r.e, ECKD_VIA_ECKD, 5, 5, 1, &c, kd, 28, NULL),
				-VERR_RANGE);
		CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_NO_RECORD);
	}
	rig_down(&r);
}

static void test_wrong_length(void)
{
	struct eckd_run one = { 0, 0, 1, 1, 20, 0 };
	u8 kd[30], *d;
	struct rig r;

	rig_up(&r, "CCWTST");
	d = dma(64);
	/* IPL1 has 24 data bytes: asking for 20 or 26 is incorrect length. */
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &one, d), -VERR_IO);
	CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_MISMATCH);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.e->why, "incorrect length"));
	CU_ASSERT_EQUAL(eckd_read_kd(r.e, ECKD_VIA_CLASSIC, 0, 0, 1, kd, 30), -VERR_IO);
	CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_MISMATCH);
	rig_down(&r);
}

static void test_extent(void)
{
	const struct eckd_extent cyl1 = { 1, 0, 1, 14, true };
	const struct eckd_extent bad = { 2, 0, 1, 14, true };
	const struct eckd_run fmt = { 1, 14, 1, 24, DL, PER };
	const struct eckd_run over = { 1, 14, 11, 4, DL, PER };
	struct eckd_count c;
	u8 *buf;
	struct rig r;
	unsigned s;

	rig_up(&r, "CCWTST");
	buf = dma(4 * DL);
	CU_ASSERT_EQUAL(eckd_format(r.e, ECKD_VIA_ECKD, &fmt, NULL), 0); /* 1/14 and 2/0 */
	CU_ASSERT_EQUAL(eckd_set_extent(r.e, &bad), -VERR_RANGE);
	CU_ASSERT_EQUAL(eckd_set_extent(r.e, &cyl1), 0);
	/* ECKD: the device refuses a track outside DEFINE EXTENT's extent. */
	CU_ASSERT_EQUAL(eckd_read_r0(r.e, ECKD_VIA_ECKD, 2, 0, &c, NULL, 8), -VERR_RANGE);
	CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_FILE_PROTECTED);
	CU_ASSERT(r.e->res.sense[1] & ECKD_SENSE1_FILE_PROTECTED);
	/* ... and a multitrack read running off its end, at the first record
	 * past it (the third READ DATA). */
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &over, buf), -VERR_RANGE);
	CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_FILE_PROTECTED);
	CU_ASSERT(r.e->at.cyl == 2 && r.e->at.head == 0 && r.e->at.rec == 1);
	/* Classic: the driver checks, nothing is started. */
	s = starts(&r);
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_CLASSIC, &over, buf), -VERR_RANGE);
	CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_OUTSIDE);
	CU_ASSERT_EQUAL(starts(&r), s);
	/* Inside it all works. */
	CU_ASSERT_EQUAL(eckd_read_r0(r.e, ECKD_VIA_ECKD, 1, 14, &c, NULL, 8), 0);
	s = starts(&r);
	/* Off the volume: refused by the driver whatever the chain. */
	CU_ASSERT_EQUAL(eckd_read_r0(r.e, ECKD_VIA_ECKD, CYLS, 0, &c, NULL, 8), -VERR_RANGE);
	CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_OUTSIDE);
	CU_ASSERT_EQUAL(eckd_read_r0(r.e, ECKD_VIA_CLASSIC, 0, HEADS, &c, NULL, 8), -VERR_RANGE);
	CU_ASSERT_EQUAL(starts(&r), s);
	rig_down(&r);
}

/* A write in an extent whose file mask inhibits writes: the device
 * refuses it, the data stays. */
static void test_protected_extent(void)
{
	const struct eckd_extent ro = { 1, 0, 1, 14, false };
	const struct eckd_run all = { 1, 0, 1, PER, DL, PER };
	u8 *want, *got;
	struct rig r;

	rig_up(&r, "CCWTST");
	want = dma(PER * DL);
	got = dma(PER * DL);
	for (u32 i = 0; i < PER; i++)
		fill(want + i * DL, DL, 1, i + 1);
	CU_ASSERT_EQUAL(eckd_format(r.e, ECKD_VIA_ECKD, &all, want), 0);
	CU_ASSERT_EQUAL(eckd_set_extent(r.e, &ro), 0);
	memset(got, 0x55, PER * DL);
	for (int via = 0; via < 2; via++) {
		CU_ASSERT_EQUAL(eckd_write(r.e, (enum eckd_via)via, &all, got), -VERR_ROFS);
		CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_MASK_INHIBITS);
		CU_ASSERT_EQUAL(r.e->mask, ECKD_MASK_INHIBIT_WRITES);
		CU_ASSERT_EQUAL(eckd_format(r.e, (enum eckd_via)via, &all, NULL), -VERR_ROFS);
		CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_MASK_INHIBITS);
		CU_ASSERT((r.e->res.sense[0] & SENSE0_CMD_REJECT) ||
			  (r.e->res.sense[1] & ECKD_SENSE1_FILE_PROTECTED));
	}
	memset(got, 0, PER * DL);
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &all, got), 0);
	CU_ASSERT(!memcmp(got, want, PER * DL));
	rig_down(&r);
}

static void test_read_only_image(void)
{
	const struct eckd_run all = { 1, 0, 1, PER, DL, PER };
	u8 *before, *after, *buf;
	struct rig r;
	char s[7];

	memset(&r, 0, sizeof(r));
	rig_image(&r, "CCWTST");
	before = malloc(TRKSIZE);
	after = malloc(TRKSIZE);
	CU_ASSERT_FATAL(before && after && file_track(r.path, 1, 0, before));
	CU_ASSERT_EQUAL_FATAL(rig_attach(&r, true, SIM_COMPLETE_SYNC), 0);
	buf = dma(PER * DL);
	memset(buf, 0x77, PER * DL);
	/* Reading works. */
	CU_ASSERT_EQUAL(eckd_volser(r.e, ECKD_VIA_ECKD, s), 0);
	for (int via = 0; via < 2; via++) {
		CU_ASSERT_EQUAL(eckd_format(r.e, (enum eckd_via)via, &all, buf), -VERR_ROFS);
		CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_WRITE_INHIBITED);
		CU_ASSERT(r.e->res.sense[1] & ECKD_SENSE1_WRITE_INHIBITED);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.e->why, "write inhibited"));
	}
	rig_detach(&r);
	CU_ASSERT(file_track(r.path, 1, 0, after));
	CU_ASSERT(!memcmp(before, after, TRKSIZE));
	free(before);
	free(after);
	rig_down(&r);
}

/* The device goes away: before a call, and in the middle of one (its
 * program hangs, then the device is unplugged while the driver waits). */
static struct sim *gone_sim;
static u32 gone_schid;
static bool gone_pulled;

static bool pull_device(void *ctx, u64 budget_us)
{
	(void)ctx;
	(void)budget_us;
	if (gone_pulled || !gone_sim)
		return false;
	gone_pulled = true;
	sim_set_present(gone_sim, gone_schid, false);
	return true;
}

static void test_device_gone(void)
{
	const struct eckd_run all = { 1, 0, 1, PER, DL, PER };
	struct sim_fault f;
	struct eckd_count c;
	u8 *buf;
	struct rig r;
	u64 t0;

	rig_up(&r, "CCWTST");
	buf = dma(PER * DL);
	CU_ASSERT_EQUAL(eckd_format(r.e, ECKD_VIA_ECKD, &all, NULL), 0);
	memset(&f, 0, sizeof(f));
	f.kind = SIM_FAULT_HANG;
	f.schid = r.schid;
	CU_ASSERT_EQUAL_FATAL(sim_fault_add(r.sim, &f), 0);
	gone_sim = r.sim;
	gone_schid = r.schid;
	gone_pulled = false;
	CU_ASSERT_EQUAL_FATAL(sim_add_poller(r.sim, pull_device, NULL), 0);
	memset(buf, 0xA5, PER * DL);
	t0 = port_now_us();
	CU_ASSERT_EQUAL(eckd_write(r.e, ECKD_VIA_ECKD, &all, buf), -VERR_NODEV);
	CU_ASSERT(gone_pulled);
	CU_ASSERT(port_now_us() - t0 < r.e->timeout_us + 2000000u);
	CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_GONE);
	CU_ASSERT(r.e->gone);
	/* Every later call fails at once. */
	CU_ASSERT_EQUAL(eckd_read_r0(r.e, ECKD_VIA_CLASSIC, 0, 0, &c, NULL, 8), -VERR_NODEV);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.e->why, "went away"));
	gone_sim = NULL;
	rig_down(&r);

	/* Gone before the call. */
	rig_up(&r, "CCWTST");
	CU_ASSERT_EQUAL(sim_set_present(r.sim, r.schid, false), 0);
	CU_ASSERT_EQUAL(eckd_read_r0(r.e, ECKD_VIA_ECKD, 0, 0, &c, NULL, 8), -VERR_NODEV);
	CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_GONE);
	rig_down(&r);
}

static void test_timeout(void)
{
	struct sim_fault f;
	struct eckd_count c;
	struct rig r;

	rig_up(&r, "CCWTST");
	memset(&f, 0, sizeof(f));
	f.kind = SIM_FAULT_HANG;
	f.schid = r.schid;
	CU_ASSERT_EQUAL_FATAL(sim_fault_add(r.sim, &f), 0);
	r.e->timeout_us = 200000;
	CU_ASSERT_EQUAL(eckd_read_r0(r.e, ECKD_VIA_ECKD, 0, 0, &c, NULL, 8), -VERR_TIMEOUT);
	CU_ASSERT_EQUAL(r.e->cond, ECKD_COND_TIMEOUT);
	CU_ASSERT(!r.e->gone);
	/* The device is usable again afterwards. */
	CU_ASSERT_EQUAL(eckd_read_r0(r.e, ECKD_VIA_ECKD, 0, 0, &c, NULL, 8), 0);
	rig_down(&r);
}

static void test_refused_arguments(void)
{
	struct eckd_run bad = { 1, 0, 0, 1, DL, 0 };
	struct rig r;
	u8 *buf, local[16];
	unsigned s;

	rig_up(&r, "CCWTST");
	buf = dma(DL);
	s = starts(&r);
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &bad, buf), -VERR_INVAL); /* record 0 */
	bad.rec = 13;
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &bad, buf), -VERR_RANGE);
	bad.rec = 1;
	bad.n = ECKD_MAX_RECORDS + 1;
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &bad, buf), -VERR_INVAL);
	bad.n = 1;
	bad.dl = 16;
	/* Not DMA memory. */
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_ECKD, &bad, local), -VERR_INVAL);
	bad.rec = 2;
	CU_ASSERT_EQUAL(eckd_format(r.e, ECKD_VIA_ECKD, &bad, NULL), -VERR_INVAL);
	CU_ASSERT_EQUAL(starts(&r), s);
	rig_down(&r);
}

/* --- The sense decoder --------------------------------------------------------- */

static void test_sense_decode(void)
{
	u8 s[32];
	char buf[256];

	/* 24-byte compatible: command reject, format 0 message 2. */
	memset(s, 0, sizeof(s));
	s[0] = SENSE0_CMD_REJECT;
	s[7] = 0x02;
	s[27] = 0x80;
	CU_ASSERT_EQUAL(eckd_sense_cond(s, 32), ECKD_COND_COMMAND_REJECT);
	eckd_sense_explain(s, 32, buf, sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "command reject"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "invalid command sequence"));
	/* Byte 1 before byte 0: write inhibited with an equipment check. */
	s[0] = SENSE0_EQUIPMENT_CHECK;
	s[1] = ECKD_SENSE1_WRITE_INHIBITED;
	s[7] = 0x04;
	CU_ASSERT_EQUAL(eckd_sense_cond(s, 32), ECKD_COND_WRITE_INHIBITED);
	/* A data check, format 4 message 3, with the CCHHR in bytes 8-12. */
	memset(s, 0, sizeof(s));
	s[0] = SENSE0_DATA_CHECK;
	s[1] = ECKD_SENSE1_PERM_ERROR;
	s[7] = 0x43;
	s[8] = 0x01;
	s[9] = 0x02;
	s[11] = 0x0E;
	s[12] = 0x05;
	s[27] = 0x80;
	CU_ASSERT_EQUAL(eckd_sense_cond(s, 32), ECKD_COND_DATA_CHECK);
	eckd_sense_explain(s, 32, buf, sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "permanent error"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "data area"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "258/14/5"));
	/* 32-byte format: program action code 0x15. */
	memset(s, 0, sizeof(s));
	s[25] = 0x15;
	CU_ASSERT_EQUAL(eckd_sense_cond(s, 32), ECKD_COND_FILE_PROTECTED);
	eckd_sense_explain(s, 32, buf, sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "next track outside the defined extent"));
	/* Each byte-1 condition on its own. */
	{
		static const struct {
			u8 bit;
			enum eckd_cond c;
		} b1[] = {
			{ ECKD_SENSE1_FILE_PROTECTED, ECKD_COND_FILE_PROTECTED },
			{ ECKD_SENSE1_NO_RECORD, ECKD_COND_NO_RECORD },
			{ ECKD_SENSE1_END_OF_CYL, ECKD_COND_END_OF_CYLINDER },
			{ ECKD_SENSE1_INVALID_TRACK_FMT, ECKD_COND_INVALID_TRACK },
		};

		for (size_t i = 0; i < ARRAY_SIZE(b1); i++) {
			memset(s, 0, sizeof(s));
			s[1] = b1[i].bit;
			s[27] = 0x80;
			CU_ASSERT_EQUAL(eckd_sense_cond(s, 32), b1[i].c);
			eckd_sense_explain(s, 32, buf, sizeof(buf));
			CU_ASSERT_PTR_NOT_NULL(strstr(buf, eckd_cond_name(b1[i].c)));
		}
	}
	/* Short or no sense. */
	CU_ASSERT_EQUAL(eckd_sense_cond(NULL, 0), ECKD_COND_NONE);
	eckd_sense_explain(NULL, 0, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "no sense data");
	s[0] = SENSE0_INTERVENTION_REQ;
	CU_ASSERT_EQUAL(eckd_sense_cond(s, 1), ECKD_COND_INTERVENTION);
	eckd_sense_explain(s, 1, buf, 8);
	CU_ASSERT_EQUAL(strlen(buf), 7u);
}

/* --- A real dasdinit image ------------------------------------------------------ */

static void test_dasdinit_round_trip(void)
{
	const struct eckd_run all = { 1, 0, 1, PER, DL, PER };
	char cmd[384], s[7];
	u8 *want, *got;
	struct rig r;

	if (system("command -v dasdinit >/dev/null 2>&1") != 0) {
		printf("\n    note: dasdinit is not installed: the round trip through a Hercules "
		       "image is skipped ");
		return;
	}
	memset(&r, 0, sizeof(r));
	rig_image(&r, NULL);
	snprintf(cmd, sizeof(cmd), "cd %s && dasdinit disk.3390 3390 DASDRT 10 >/dev/null 2>&1",
		 r.dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL_FATAL(rig_attach(&r, false, SIM_COMPLETE_SYNC), 0);
	CU_ASSERT_EQUAL(r.e->geom.cyls, 10u);
	CU_ASSERT_EQUAL(eckd_volser(r.e, ECKD_VIA_CLASSIC, s), 0);
	CU_ASSERT_STRING_EQUAL(s, "DASDRT");
	want = dma(PER * DL);
	got = dma(PER * DL);
	for (u32 i = 0; i < PER; i++)
		fill(want + i * DL, DL, 42, i + 1);
	CU_ASSERT_EQUAL(eckd_format(r.e, ECKD_VIA_ECKD, &all, NULL), 0);
	CU_ASSERT_EQUAL(eckd_write(r.e, ECKD_VIA_ECKD, &all, want), 0);
	rig_detach(&r);
	/* In the file, exactly where Hercules looks for it. */
	CU_ASSERT(file_has_pattern(r.path, 1, 0, PER, DL, 42, 0));
	/* And back through a new machine on the same file. */
	CU_ASSERT_EQUAL_FATAL(rig_attach(&r, true, SIM_COMPLETE_SYNC), 0);
	got = dma(PER * DL);
	CU_ASSERT_EQUAL(eckd_read(r.e, ECKD_VIA_CLASSIC, &all, got), 0);
	want = dma(PER * DL);
	for (u32 i = 0; i < PER; i++)
		fill(want + i * DL, DL, 42, i + 1);
	CU_ASSERT(!memcmp(got, want, PER * DL));
	rig_down(&r);
}

static CU_TestInfo eckd_tests[] = {
	{ "RDC gives a 3390-02 of 10 x 15 tracks and its track capacity", test_geometry },
	{ "a device that is not a 3390 on a 3990 is refused", test_not_a_3390 },
	{ "R0 of corner tracks by both chains carries its own address", test_read_r0 },
	{ "the IPL record by READ CKD, chain A and chain B agrees", test_ipl_record },
	{ "the VOL1 serial by both chains", test_volser },
	{ "a volume without a VOL1 label has no serial", test_no_label },
	{ "12 x 4096 on a track: format, write, read back, one program each",
	  test_format_write_read },
	{ "formatting with data gives the same track by either chain", test_format_with_data },
	{ "a run of 30 records across heads and cylinders in one program", test_multitrack },
	{ "a record that is not there is no record found at its CCHHR", test_no_record },
	{ "a record of another length is incorrect length", test_wrong_length },
	{ "outside the extent: the device (ECKD) or the driver (classic) refuses", test_extent },
	{ "a write the extent's file mask inhibits is refused, the data stays",
	  test_protected_extent },
	{ "a read-only image refuses writes with write inhibited", test_read_only_image },
	{ "a device that goes away mid-operation fails in bounds, then at once", test_device_gone },
	{ "a program that never ends times out", test_timeout },
	{ "runs the driver refuses never reach the device", test_refused_arguments },
	{ "sense bytes in words: 24- and 32-byte formats", test_sense_decode },
	{ "a round trip through an image made by dasdinit", test_dasdinit_round_trip },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo eckd_suite = { "eckd", NULL, NULL, NULL, NULL, eckd_tests };
