/*
 * ccwboot's loader (boot/ccwboot.c) on a simulated 3390: volumes made by
 * sim_ckd_create() and made bootable by the writer of mkboot --ckd
 * (tools/ckdboot.c), the entry by loadparm, the IPL parameter on the
 * command line, and volumes broken in each way the reader must refuse,
 * with the line ccwboot prints. The records are changed through the host
 * tools' own CKD layer (tools/ckdvol.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot/ccwboot.h"
#include "boot/host/host.h"
#include "boot/linux_hw.h"
#include "ccw/port.h"
#include "sim/dasd.h"
#include "tests/prng.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"
#include "tools/ckdboot.h"
#include "tools/ckdvol.h"
#include "tools/file.h"

#define MEM (64u << 20)
#define DEVNO 0x0120u
#define VOLSER "CKDB01"

struct rig {
	struct sim *sim;
	struct css css;
	struct cb_env env;
	struct cb_boot b;
	char why[300];
	char path[128];
	u32 schid;
};

static void *mem(u64 addr, u64 len)
{
	return drvrig_mem(addr, len);
}

static u8 *fill(size_t len, u64 seed)
{
	u8 *p = malloc(len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	prng_fill(p, len, &seed);
	return p;
}

/* A fresh volume of cyls cylinders, as dasdinit makes it. */
static void volume(struct rig *r, unsigned cyls)
{
	char why[SIM_WHY_LEN];
	int fd;

	unit_temp_template(r->path, sizeof(r->path), "test-ckdboot");
	fd = mkstemp(r->path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_EQUAL_FATAL(sim_ckd_create(r->path, cyls, VOLSER, why), 0);
}

/* A stand-in for ccwboot's image: the writer only places it. */
static int make_bootable(struct rig *r, const struct bootdisk_entry *e, unsigned n,
			 struct ckdboot_report *rep, char *why, size_t wl)
{
	u8 *ldr = fill(70000, 99);
	int rc = ckdboot_write(r->path, ldr, 70000, 0x1000, e, n, rep, why, wl);

	free(ldr);
	return rc;
}

/* The machine with the volume at DEVNO (the architecture's profile, as
 * Hercules), the port bound with DMA memory where the loader runs. */
static void machine(struct rig *r, u64 mem_size)
{
	struct sim_dev_config dev = unit_dev(DEVNO);
	struct sim_dasd_opts o = { .path = r->path };
	char why[SIM_WHY_LEN] = "";
	long schid;

	r->sim = drvrig_machine(SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC, mem_size, false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->sim);
	schid = sim_dasd_add(r->sim, &dev, &o, why);
	if (schid < 0)
		fprintf(stderr, "sim_dasd_add: %s\n", why);
	CU_ASSERT_FATAL(schid >= 0);
	r->schid = (u32)schid;
	host_bind(r->sim);
	host_set_dma_base(cb_loader_base(mem_size));
	drvrig_capture();
	CU_ASSERT_EQUAL_FATAL(css_init(&r->css), 0);
	r->env.css = &r->css;
	r->env.mem = mem;
	r->env.mem_size = mem_size;
	r->env.loader_start = cb_loader_base(mem_size);
	r->env.loader_end = r->env.loader_start + CB_LOADER_SPAN;
}

/* IPL from the volume with loadparm lp and the IPL parameter parm. */
static int boot(struct rig *r, const char *lp, const char *parm)
{
	r->env.have_dev = true;
	r->env.pbt = CB_PBT_CCW;
	r->env.devno = DEVNO;
	r->env.ipl_parm = parm;
	snprintf(r->env.loadparm, sizeof(r->env.loadparm), "%s", lp);
	r->why[0] = '\0';
	return cb_load(&r->env, &r->b, r->why, sizeof(r->why));
}

static void rig_free(struct rig *r)
{
	cb_quiesce(&r->b, &r->env);
	drvrig_close(&r->sim);
	unlink(r->path);
	memset(r, 0, sizeof(*r));
}

static void says(const char *got, const char *what)
{
	if (!strstr(got, what)) {
		fprintf(stderr, "wanted \"%s\", got \"%s\"\n", what, got);
		CU_FAIL("the reason");
	}
}

/*
 * Change record rec of track (cyl, head) with the host tools' CKD layer:
 * off >= 0 writes len bytes of data at that offset; off < 0 removes the
 * record.
 */
static void patch(const char *path, u16 cyl, u16 head, u8 rec, int off, const void *bytes,
		  size_t len)
{
	struct ckdvol v;
	struct ckdvol_rec recs[CKDVOL_MAX_RECS], out[CKDVOL_MAX_RECS];
	u8 *trk = malloc(CKDVOL_TRKSIZE), *copy = malloc(CKDVOL_TRKSIZE);
	u8 data[CKDVOL_MAX_RECS][4096];
	unsigned n, k = 0;
	char why[200];

	CU_ASSERT_FATAL(trk && copy);
	CU_ASSERT_EQUAL_FATAL(ckdvol_open(&v, path, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL_FATAL(ckdvol_read_track(&v, cyl, head, trk), 0);
	CU_ASSERT_EQUAL_FATAL(ckdvol_records(trk, v.trksize, recs, CKDVOL_MAX_RECS, &n, why,
					     sizeof(why)), 0);
	for (unsigned i = 0; i < n; i++) {
		if (recs[i].rec == rec && off < 0)
			continue;
		out[k] = recs[i];
		CU_ASSERT_FATAL(recs[i].dl <= sizeof(data[0]));
		memcpy(data[k], recs[i].data, recs[i].dl);
		if (recs[i].rec == rec) {
			CU_ASSERT_FATAL((size_t)off + len <= recs[i].dl);
			memcpy(data[k] + off, bytes, len);
		}
		out[k].data = data[k];
		k++;
	}
	CU_ASSERT_EQUAL_FATAL(ckdvol_build(copy, v.trksize, cyl, head, out, k, why, sizeof(why)),
			      0);
	CU_ASSERT_EQUAL_FATAL(ckdvol_write_track(&v, cyl, head, copy), 0);
	CU_ASSERT_EQUAL(ckdvol_close(&v), 0);
	free(trk);
	free(copy);
}

/* --- Volumes the writer makes ------------------------------------------- */

/* Two entries by loadparm, byte for byte; the IPL parameter appended; the
 * device named by its subchannel (a device IPL) as well as its number. */
static void test_entries(void)
{
	size_t klen = 200000, ilen = 3u << 20;
	u8 *k = unit_fake_kernel(klen, 31, 4096), *ini = fill(ilen, 32);
	struct bootdisk_entry e[2] = {
		{ .kernel = k, .kernel_len = klen, .initrd = ini, .initrd_len = ilen,
		  .append = "console=ttyS0 first" },
		{ .kernel = k, .kernel_len = klen, .append = "second" },
	};
	struct ckdboot_report rep;
	struct rig r = { 0 };
	char why[200];
	u64 at = linux_initrd_addr(klen);
	const u8 *m;

	volume(&r, 10);
	CU_ASSERT_EQUAL_FATAL(make_bootable(&r, e, 2, &rep, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(rep.volser, VOLSER);
	CU_ASSERT_EQUAL(rep.first_head, 2u);
	CU_ASSERT_EQUAL(rep.tracks_in_use, 0u);
	machine(&r, MEM);

	CU_ASSERT_EQUAL_FATAL(boot(&r, "", NULL), 0);
	CU_ASSERT_EQUAL(r.b.how, CB_START_LINUX);
	CU_ASSERT_EQUAL(r.b.blk_size, 4096u);
	CU_ASSERT_EQUAL(r.b.per_track, 12u);
	CU_ASSERT_EQUAL(r.b.nentries, 3u);
	CU_ASSERT_STRING_EQUAL(r.b.volser, VOLSER);
	CU_ASSERT_EQUAL(r.b.initrd_addr, at);
	CU_ASSERT_EQUAL(r.b.initrd_size, ilen);
	m = mem(LINUX_ENTRY, klen - LINUX_ENTRY);
	CU_ASSERT(memcmp(m, k + LINUX_ENTRY, LINUX_PARM_INITRD_START - LINUX_ENTRY) == 0);
	CU_ASSERT(memcmp(m + 0x2000, k + LINUX_ENTRY + 0x2000, klen - LINUX_ENTRY - 0x2000) == 0);
	CU_ASSERT(memcmp(mem(at, ilen), ini, ilen) == 0);
	CU_ASSERT_STRING_EQUAL((const char *)mem(LINUX_CMDLINE, 1), "console=ttyS0 first");
	cb_report(&r.b, &r.env, false);
	says(drvrig_captured(), "ccwboot: booting 0.0.0120 (3390, volume CKDB01, 4096-byte records), entry "
		      "0, the default (the program table has 0 to 2)\n");
	cb_quiesce(&r.b, &r.env);

	/* Entry 2, with the IPL parameter after its command line. */
	CU_ASSERT_EQUAL_FATAL(boot(&r, "2", "QUIET X=1"), 0);
	CU_ASSERT_EQUAL(r.b.entry, 2u);
	CU_ASSERT_EQUAL(r.b.initrd_size, 0u);
	CU_ASSERT(r.b.parm_added);
	CU_ASSERT_STRING_EQUAL((const char *)mem(LINUX_CMDLINE, 1), "second QUIET X=1");
	CU_ASSERT_EQUAL(r.b.cmdline_len, strlen("second QUIET X=1"));
	cb_quiesce(&r.b, &r.env);

	/* Named by its subchannel, as after a device IPL. */
	r.env.have_dev = false;
	r.env.have_schid = true;
	r.env.schid = r.schid;
	r.env.ipl_parm = NULL;
	r.env.loadparm[0] = '\0';
	CU_ASSERT_EQUAL_FATAL(cb_load(&r.env, &r.b, r.why, sizeof(r.why)), 0);
	CU_ASSERT_EQUAL(r.b.devno, DEVNO);
	cb_quiesce(&r.b, &r.env);
	r.env.have_schid = false;

	/* An IPL parameter the kernel's line cannot take is refused. */
	{
		char big[5000];

		memset(big, 'A', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		CU_ASSERT_EQUAL(boot(&r, "2", big), -VERR_RANGE);
		says(r.why, "does not fit on the command line");
	}
	rig_free(&r);

	/* Written again over itself: the tracks are said to have held records. */
	volume(&r, 10);
	CU_ASSERT_EQUAL_FATAL(make_bootable(&r, e, 2, &rep, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL_FATAL(make_bootable(&r, e, 1, &rep, why, sizeof(why)), 0);
	CU_ASSERT(rep.tracks_in_use > 0);
	unlink(r.path);
	free(k);
	free(ini);
}

/* What the writer refuses, with the volume left as it was. */
static void test_writer_refuses(void)
{
	size_t klen = 100000, ilen = 8u << 20;
	u8 *k = unit_fake_kernel(klen, 41, 4096), *ini = fill(ilen, 42), *plain;
	struct bootdisk_entry e = { .kernel = k, .kernel_len = klen, .initrd = ini,
				    .initrd_len = ilen, .append = "x" };
	struct ckdboot_report rep;
	struct rig r = { 0 };
	char why[300];
	size_t len;

	/* One cylinder is 720 KiB of records: the 8 MiB initrd needs more. */
	volume(&r, 1);
	CU_ASSERT_EQUAL(make_bootable(&r, &e, 1, &rep, why, sizeof(why)), -1);
	says(why, "has 1 cylinders; this boot map needs 12 (2080 records of 4096 bytes from "
		  "cylinder 0 head 2)");
	unlink(r.path);

	/* Not a CKD volume at all. */
	volume(&r, 2);
	{
		FILE *f = fopen(r.path, "r+b");

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fputs("NOTACKD!", f);
		fclose(f);
	}
	e.initrd = NULL;
	CU_ASSERT_EQUAL(make_bootable(&r, &e, 1, &rep, why, sizeof(why)), -1);
	says(why, "is not a Hercules CKD volume");
	unlink(r.path);

	/* No VOL1: the volume is left as it was. */
	volume(&r, 2);
	patch(r.path, 0, 0, 3, -1, NULL, 0);
	plain = file_read("test-ckdboot", r.path, &len);
	CU_ASSERT_EQUAL(make_bootable(&r, &e, 1, &rep, why, sizeof(why)), -1);
	says(why, "no volume label (VOL1) as record 3 of cylinder 0 head 0");
	{
		size_t len2;
		u8 *after = file_read("test-ckdboot", r.path, &len2);

		CU_ASSERT(len2 == len && !memcmp(after, plain, len));
		free(after);
	}
	free(plain);
	unlink(r.path);

	/* A loader that is not an s390x ELF. */
	CU_ASSERT_PTR_NULL(ckdboot_loader(k, klen, &len, &(u64){ 0 }, why, sizeof(why)));
	says(why, "not a 64-bit big-endian s390x ELF");
	free(k);
	free(ini);
}

/* --- Volumes broken by hand ---------------------------------------------- */

struct hostile {
	const char *name;
	int err;
	const char *says;
};

/* The len data bytes of record rec of track (cyl, head). */
static void record_at(const char *path, u16 cyl, u16 head, u8 rec, void *out, size_t len)
{
	struct ckdvol v;
	struct ckdvol_rec recs[CKDVOL_MAX_RECS];
	u8 *trk = malloc(CKDVOL_TRKSIZE);
	unsigned n;
	char why[100];

	CU_ASSERT_FATAL(trk != NULL);
	CU_ASSERT_EQUAL_FATAL(ckdvol_open(&v, path, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL_FATAL(ckdvol_read_track(&v, cyl, head, trk), 0);
	CU_ASSERT_EQUAL_FATAL(ckdvol_records(trk, v.trksize, recs, CKDVOL_MAX_RECS, &n, why,
					     sizeof(why)), 0);
	CU_ASSERT_FATAL(rec >= 1 && rec <= n && recs[rec - 1].dl == len);
	memcpy(out, recs[rec - 1].data, len);
	ckdvol_close(&v);
	free(trk);
}

/* The data of the record an ECKD pointer names (4096 bytes). */
static void record(const char *path, const struct bm_eckd_ptr *p, u8 out[4096])
{
	record_at(path, be16_to_cpu(p->cyl), be16_to_cpu(p->head), p->rec, out, 4096);
}

/* Break a bootable volume in one way (kernel and 1 MiB initrd, 10 cylinders). */
static void breakit(const char *path, const char *name)
{
	struct bm_eckd_ipl2 ipl2;
	u8 zero[8] = { 0 };

	/* IPL2's data from the volume, to change its boot record. */
	record_at(path, 0, 0, 2, &ipl2, sizeof(ipl2));
	if (!strcmp(name, "no-ipl2")) {
		patch(path, 0, 0, 2, -1, NULL, 0);
	} else if (!strcmp(name, "no-xipl")) {
		patch(path, 0, 0, 2, 88, zero, 4);
	} else if (!strcmp(name, "other-device")) {
		u8 t = 1;

		patch(path, 0, 0, 2, 88 + 6, &t, 1);
	} else if (!strcmp(name, "table-past-end")) {
		be16 cyl = cpu_to_be16(500);

		patch(path, 0, 0, 2, 88 + 8, &cyl, 2);
	} else if (!strcmp(name, "table-record-0")) {
		u8 rec = 0;

		patch(path, 0, 0, 2, 88 + 8 + 4, &rec, 1);
	} else if (!strcmp(name, "table-head-15")) {
		be16 head = cpu_to_be16(15);

		patch(path, 0, 0, 2, 88 + 8 + 2, &head, 2);
	} else if (!strcmp(name, "table-missing")) {
		/* The program table's record is gone from its track. */
		patch(path, be16_to_cpu(ipl2.mbr.table.cyl), be16_to_cpu(ipl2.mbr.table.head),
		      ipl2.mbr.table.rec, -1, NULL, 0);
	} else if (!strcmp(name, "table-magic")) {
		patch(path, be16_to_cpu(ipl2.mbr.table.cyl), be16_to_cpu(ipl2.mbr.table.head),
		      ipl2.mbr.table.rec, 0, zero, 4);
	} else if (!strcmp(name, "entry-loops")) {
		/* The kernel's block list: every slot a record of data, and
		 * its last (the continuation) the list itself. */
		u8 hdr[4096], list[4096];
		const struct bm_eckd_ptr *hp, *lp;

		record(path, &ipl2.mbr.table, hdr);
		hp = (const struct bm_eckd_ptr *)(hdr + 16);   /* entry 0's header */
		record(path, hp, hdr);
		lp = (const struct bm_eckd_ptr *)(hdr + 32);   /* its first LOAD's list */
		record(path, lp, list);
		for (unsigned i = 1; i < 255; i++) {
			memcpy(list + 16 * i, list, 16);
			list[16 * i + 7] = 0;   /* one record each */
		}
		memcpy(list + 16 * 255, lp, 16);
		patch(path, be16_to_cpu(lp->cyl), be16_to_cpu(lp->head), lp->rec, 0, list,
		      sizeof(list));
	}
}

static void test_hostile(void)
{
	static const struct hostile cases[] = {
		{ "sound", 0, "" },
		{ "no-ipl2", -VERR_NOTSUP,
		  "0.0.0120 (volume CKDB01): no IPL2 record of 144 bytes with key IPL2 at cylinder 0 "
		  "head 0 record 2: not a CDL volume with IPL records" },
		{ "no-xipl", -VERR_NOTSUP,
		  "the IPL2 record holds no boot record (no zIPL at its byte 88): IPL records of "
		  "another loader, or none" },
		{ "other-device", -VERR_NOTSUP, "the IPL2 boot record is for device type 1, not ECKD (0)" },
		{ "table-past-end", -VERR_PROTO,
		  "the program-table pointer in cylinder 0 head 0 record 2: 1 records from cylinder "
		  "500 head 3, past the end of the volume (10 cylinders)" },
		{ "table-record-0", -VERR_PROTO, "record 0 of cylinder 0 head 3, which holds no data" },
		{ "table-head-15", -VERR_PROTO, "head 15, the volume has 15" },
		{ "table-missing", -VERR_RANGE, "the program table: reading cylinder 0 head 3 record 8 "
		  "failed (out of range): " },
		{ "table-magic", -VERR_PROTO, "has no zIPL magic" },
		{ "entry-loops", -VERR_PROTO, "loops back to it" },
	};
	size_t klen = 100000, ilen = 1u << 20;
	u8 *k = unit_fake_kernel(klen, 51, 4096), *ini = fill(ilen, 52);
	struct bootdisk_entry e = { .kernel = k, .kernel_len = klen, .initrd = ini,
				    .initrd_len = ilen, .append = "hostile" };

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ckdboot_report rep;
		struct rig r = { 0 };
		char why[300];
		int err;

		volume(&r, 10);
		CU_ASSERT_EQUAL_FATAL(make_bootable(&r, &e, 1, &rep, why, sizeof(why)), 0);
		breakit(r.path, cases[i].name);
		machine(&r, MEM);
		err = boot(&r, "", NULL);
		if (err != cases[i].err)
			fprintf(stderr, "%s: error %d, wanted %d (%s)\n", cases[i].name, err,
				cases[i].err, r.why);
		CU_ASSERT_EQUAL(err, cases[i].err);
		says(r.why, cases[i].says);
		rig_free(&r);
	}

	/* A fresh volume, as dasdinit leaves it: no boot record. */
	{
		struct rig r = { 0 };

		volume(&r, 2);
		machine(&r, MEM);
		CU_ASSERT_EQUAL(boot(&r, "", NULL), -VERR_NOTSUP);
		says(r.why, "no zIPL");
		rig_free(&r);
	}

	/* Memory so small that the initrd would land on the loader. */
	{
		struct ckdboot_report rep;
		struct rig r = { 0 };
		char why[300];

		volume(&r, 10);
		CU_ASSERT_EQUAL_FATAL(make_bootable(&r, &e, 1, &rep, why, sizeof(why)), 0);
		machine(&r, 10u << 20);
		CU_ASSERT_EQUAL(boot(&r, "", NULL), -VERR_PROTO);
		says(r.why, "over the loader (0x800000 to 0x9fffff)");
		rig_free(&r);
	}
	free(k);
	free(ini);
}

/* The IPL parameter's bench word is taken out, the rest kept as written. */
static void test_bench_word(void)
{
	static const struct {
		const char *in, *out;
		bool found;
	} cases[] = {
		{ "CCWBOOT.BENCH", "", true },
		{ "QUIET CCWBOOT.BENCH X=1", "QUIET X=1", true },
		{ "  CCWBOOT.BENCH   QUIET", "QUIET", true },
		{ "QUIET", "QUIET", false },
		{ "CCWBOOT.BENCHX QUIET", "CCWBOOT.BENCHX QUIET", false },
		{ "XCCWBOOT.BENCH", "XCCWBOOT.BENCH", false },
		{ "A CCWBOOT.BENCH CCWBOOT.BENCH", "A", true },
		{ "", "", false },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		char buf[80];

		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		CU_ASSERT_EQUAL(cb_parm_take_bench(buf), cases[i].found);
		if (strcmp(buf, cases[i].out))
			fprintf(stderr, "\"%s\": got \"%s\"\n", cases[i].in, buf);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].out);
	}
}

/* The bench on the simulator: both rates measured, the baseline's records
 * read into memory nothing was loaded to (the loaded bytes unchanged). */
static void test_bench(void)
{
	size_t klen = 100000, ilen = 2u << 20;
	u8 *k = unit_fake_kernel(klen, 61, 4096), *ini = fill(ilen, 62);
	struct bootdisk_entry e = { .kernel = k, .kernel_len = klen, .initrd = ini,
				    .initrd_len = ilen, .append = "bench" };
	struct ckdboot_report rep;
	struct rig r = { 0 };
	char why[200];

	volume(&r, 10);
	CU_ASSERT_EQUAL_FATAL(make_bootable(&r, &e, 1, &rep, why, sizeof(why)), 0);
	machine(&r, MEM);
	r.env.bench = true;
	CU_ASSERT_EQUAL_FATAL(boot(&r, "", NULL), 0);
	CU_ASSERT_EQUAL(r.b.one_bytes, r.b.bytes / 4096 * 4096);
	CU_ASSERT(memcmp(mem(r.b.initrd_addr, ilen), ini, ilen) == 0);
	cb_report(&r.b, &r.env, false);
	says(drvrig_captured(), "BENCH ccwboot.eckd-one-record-rate ");
	rig_free(&r);
	free(k);
	free(ini);
}

static CU_TestInfo ckdboot_tests[] = {
	{ "the IPL parameter's bench word", test_bench_word },
	{ "the bench's two readings", test_bench },
	{ "two entries by loadparm, the IPL parameter, byte for byte", test_entries },
	{ "what the volume writer refuses", test_writer_refuses },
	{ "broken volumes refused with their line", test_hostile },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo ckdboot_suite = { "ckdboot", NULL, NULL, NULL, NULL, ckdboot_tests };
