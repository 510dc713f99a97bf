/*
 * The simulated 3390 DASD (sim/dasd.c) held against the 3990 reference and
 * against Hercules 3.13: the SENSE ID, RDC and RCD answers, the channel
 * programs measured on Hercules (reference/platforms.md 11.7, chains A, B
 * and C), formatting, writing and reading by ECKD (Define Extent, Locate
 * Record) and classic (seek, search, TIC) programs, single and multitrack,
 * every error path with its sense bytes, durability of the image file,
 * and byte-for-byte compatibility with images dasdinit creates.
 *
 * Expected values come from platforms.md (measured), from the 3990
 * reference and from Hercules' ckddasd.c/dasdtab.c as documented in
 * sim/dasd.c, never from the model's code.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/dasd.h"
#include "sim/dasd_hw.h" /* the 3990's commands and sense bits */
#include "tests/unit/simtest.h"
#include "tests/unit/unit.h"

extern char **environ;

#define INTPARM	     0xDA5D0001u
#define DEVNO	     0x0120
#define TRKSIZE	     56832u
#define HEADS	     15u
#define CYLS	     2u /* the test volumes: 2 cylinders, as dasdinit ... CCWTST 2 */
#define VOLSER	     "CCWTST"
#define BLK	     4096u
#define RECS	     12u /* 4 KiB records on a 3390 track */
#define SETTLE_LIMIT 200000u

#define CE_DE	 SIMTEST_CEDE
#define CE_DE_UC (SIMTEST_CEDE | SCSW_DSTAT_UNIT_CHECK)
#define CE_DE_SM (SIMTEST_CEDE | SCSW_DSTAT_STAT_MOD)
#define CC	 CCW_FLAG_CC
#define SLI	 CCW_FLAG_SLI

/* --- Files --------------------------------------------------------------- */

/* A fresh empty file name under TMPDIR (the file exists, empty). */
static void temp_path(char *out, size_t len)
{
	int fd;

	unit_temp_template(out, len, "simdasd");
	fd = mkstemp(out);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
}

/* A new 2-cylinder volume made by sim_ckd_create. */
static void new_volume(char *out, size_t len)
{
	char why[SIM_WHY_LEN];

	temp_path(out, len);
	CU_ASSERT_EQUAL_FATAL(sim_ckd_create(out, CYLS, VOLSER, why), 0);
}

/* The whole file, malloc'd; its size in *len. */
static u8 *slurp(const char *path, size_t *len)
{
	struct stat st;
	u8 *b;
	int fd = open(path, O_RDONLY);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(fstat(fd, &st) == 0);
	b = malloc((size_t)st.st_size + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_FATAL(read(fd, b, (size_t)st.st_size) == st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return b;
}

/* Replace n bytes of the file at off. */
static void patch_file(const char *path, off_t off, const void *src, size_t n)
{
	int fd = open(path, O_WRONLY);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(pwrite(fd, src, n, off) == (ssize_t)n);
	close(fd);
}

static off_t track_off(u32 cyl, u32 head)
{
	return 512 + ((off_t)cyl * HEADS + head) * TRKSIZE;
}

/*
 * Find record rec on the track image t (the file's layout: home address,
 * count fields, 8 x FF at the end). Returns the offset of its data, or -1.
 */
static long find_data(const u8 *t, u8 rec, u32 *kl, u32 *dl)
{
	u32 pos = 5;

	while (pos + 8 <= TRKSIZE) {
		const u8 *c = t + pos;

		if (!memcmp(c, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 8))
			return -1;
		*kl = c[5];
		*dl = (u32)c[6] << 8 | c[7];
		if (c[4] == rec)
			return (long)(pos + 8 + *kl);
		pos += 8 + *kl + *dl;
	}
	return -1;
}

/* Run a program (argv[0] looked up in PATH) with output discarded; its exit
 * status, or -1 when it cannot be started. */
static int run_tool(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st) == 127 ? -1 : WEXITSTATUS(st);
}

/* dasdinit PATH 3390 VOLSER CYLS in a fresh directory; false (and a
 * message) when dasdinit is not installed. */
static bool dasdinit(char *dir, size_t dlen, char *path, size_t plen, const char *volser, u32 cyls)
{
	char ncyl[16];
	char *argv[6];
	int rc;

	unit_temp_template(dir, dlen, "simdasd-d");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, plen, "%s/hercules.3390", dir);
	snprintf(ncyl, sizeof(ncyl), "%u", cyls);
	argv[0] = (char *)"dasdinit";
	argv[1] = path;
	argv[2] = (char *)"3390";
	argv[3] = (char *)volser;
	argv[4] = ncyl;
	argv[5] = NULL;
	rc = run_tool(argv);
	if (rc < 0) {
		printf("\n    SKIP: dasdinit (Hercules) is not installed ");
		rmdir(dir);
		return false;
	}
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	return true;
}

/* --- The machine ------------------------------------------------------------ */

struct rig {
	struct simtest t;
	u32 schid;
	struct sim_dasd *d;
	char path[256];
};

/* A machine with the DASD on image path, enabled on ISC 3. */
static bool rig_open(struct rig *r, enum sim_profile p, enum sim_completion c, const char *path,
		     bool ro, unsigned max_ccws)
{
	struct sim_config cfg = simtest_config(p, c);
	struct sim_dev_config dev;
	struct sim_dasd_opts opts = { path, ro };
	char why[SIM_WHY_LEN];
	long schid;

	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", path);
	cfg.max_ccws = max_ccws;
	CU_ASSERT_FATAL(simtest_open(&r->t, &cfg));
	dev = unit_dev(DEVNO);
	schid = sim_dasd_add(r->t.sim, &dev, &opts, why);
	CU_ASSERT(schid >= 0);
	if (schid < 0) {
		printf("\n    sim_dasd_add: %s ", why);
		sim_destroy(r->t.sim);
		r->t.sim = NULL;
		return false;
	}
	r->schid = (u32)schid;
	r->d = sim_dasd_find(r->t.sim, r->schid);
	CU_ASSERT_PTR_NOT_NULL(r->d);
	simtest_enable(&r->t, r->schid, 3);
	return true;
}

static void rig_close(struct rig *r)
{
	sim_destroy(r->t.sim);
	r->t.sim = NULL;
}

/* --- Guest memory and programs --------------------------------------------------- */

static u64 put(struct rig *r, const void *src, u32 len)
{
	u64 a = simtest_alloc(&r->t, len ? len : 1, 8);

	memcpy(simtest_ptr(&r->t, a, len ? len : 1), src, len);
	return a;
}

static u64 area(struct rig *r, u32 len)
{
	return simtest_alloc(&r->t, len ? len : 1, 8);
}

static u8 *host(struct rig *r, u64 a, u32 len)
{
	return simtest_ptr(&r->t, a, len);
}

/* A channel program being built. */
struct prog {
	struct rig *r;
	u64 at;
	unsigned n, cap;
};

static void prog_new(struct prog *p, struct rig *r, unsigned cap)
{
	p->r = r;
	p->at = simtest_alloc(&r->t, 8u * cap, 8);
	p->n = 0;
	p->cap = cap;
}

/* Append a format-1 CCW; returns its address. */
static u64 ccw(struct prog *p, u8 cmd, u8 flags, u16 count, u64 data)
{
	CU_ASSERT_FATAL(p->n < p->cap);
	simtest_ccw1(&p->r->t, p->at, p->n, cmd, flags, count, (u32)data);
	return p->at + 8u * p->n++;
}

static void settle(struct rig *r)
{
	unsigned i;

	for (i = 0; i < SETTLE_LIMIT && sim_progress(r->t.sim); i++)
		;
	CU_ASSERT(i < SETTLE_LIMIT);
}

/* Run the program and collect its status; the TSCH condition code. */
static int run(struct prog *p, struct irb *irb)
{
	struct rig *r = p->r;

	CU_ASSERT_EQUAL(simtest_ssch(&r->t, r->schid, INTPARM, SIMTEST_ORB_FMT1, (u32)p->at), 0);
	settle(r);
	memset(irb, 0, sizeof(*irb));
	return simtest_tsch(&r->t, r->schid, irb);
}

/* Run, expecting the device status dstat, no subchannel status and the
 * residual count; the CCW address after the last one executed. */
static u64 run_expect(struct prog *p, u8 dstat, u16 residual)
{
	struct irb irb;

	CU_ASSERT_EQUAL(run(p, &irb), 0);
	CU_ASSERT_EQUAL(irb.scsw.dstat, dstat);
	CU_ASSERT_EQUAL(irb.scsw.cstat, 0);
	CU_ASSERT_EQUAL(irb_count(&irb), residual);
	if (irb.scsw.dstat != dstat || irb_count(&irb) != residual || irb.scsw.cstat)
		printf("\n    dstat %02x cstat %02x count %u cpa %08x ", irb.scsw.dstat,
		       irb.scsw.cstat, irb_count(&irb), irb_cpa(&irb));
	return irb_cpa(&irb);
}

/* The 32 sense bytes of the last unit check (BASIC SENSE). */
static void sense(struct rig *r, u8 out[32])
{
	struct prog p;
	u64 buf = area(r, 32);

	prog_new(&p, r, 1);
	ccw(&p, CCW_CMD_BASIC_SENSE, SLI, 32, buf);
	run_expect(&p, CE_DE, 0);
	memcpy(out, host(r, buf, 32), 32);
}

/* Run a program expected to end in unit check; check sense bytes 0, 1, 7. */
static void run_uc(struct prog *p, u8 s0, u8 s1, u8 s7)
{
	struct irb irb;
	u8 s[32];

	CU_ASSERT_EQUAL(run(p, &irb), 0);
	CU_ASSERT_EQUAL(irb.scsw.dstat, CE_DE_UC);
	CU_ASSERT_EQUAL(irb.scsw.cstat, 0);
	sense(p->r, s);
	CU_ASSERT_EQUAL(s[0], s0);
	CU_ASSERT_EQUAL(s[1], s1);
	CU_ASSERT_EQUAL(s[7], s7);
	CU_ASSERT_EQUAL(s[27], 0x80);
	if (irb.scsw.dstat != CE_DE_UC || s[0] != s0 || s[1] != s1 || s[7] != s7)
		printf("\n    dstat %02x sense %02x %02x .. %02x ", irb.scsw.dstat, s[0], s[1],
		       s[7]);
}

/* --- Parameter blocks ----------------------------------------------------------- */

static void be16_at(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

/* SEEK's BBCCHH. */
static u64 seek_arg(struct rig *r, u32 cyl, u32 head)
{
	u8 a[6] = { 0 };

	be16_at(a + 2, cyl);
	be16_at(a + 4, head);
	return put(r, a, 6);
}

/* A search argument CCHHR. */
static u64 id_arg(struct rig *r, u32 cyl, u32 head, u8 rec)
{
	u8 a[5];

	be16_at(a, cyl);
	be16_at(a + 2, head);
	a[4] = rec;
	return put(r, a, 5);
}

/* Define Extent: mask, attributes, block size, extent begin and end. */
static u64 dx_arg(struct rig *r, u8 mask, u8 gattr, u32 blksz, u32 bc, u32 bh, u32 ec, u32 eh)
{
	u8 a[16] = { 0 };

	a[0] = mask;
	a[1] = gattr;
	be16_at(a + 2, blksz);
	be16_at(a + 8, bc);
	be16_at(a + 10, bh);
	be16_at(a + 12, ec);
	be16_at(a + 14, eh);
	return put(r, a, 16);
}

/* Locate Record: operation, aux, count, seek CCHH, search CCHHR, TLF. */
static u64 lr_arg(struct rig *r, u8 op, u8 aux, u8 count, u32 cyl, u32 head, u8 rec, u32 tlf)
{
	u8 a[16] = { 0 };

	a[0] = op;
	a[1] = aux;
	a[3] = count;
	be16_at(a + 4, cyl);
	be16_at(a + 6, head);
	be16_at(a + 8, cyl);
	be16_at(a + 10, head);
	a[12] = rec;
	be16_at(a + 14, tlf);
	return put(r, a, 16);
}

/* The byte i of record rec on track cyl/head, written with seed. */
static u8 pattern(u32 seed, u32 cyl, u32 head, u32 rec, u32 i)
{
	return (u8)(seed + cyl * 7 + head * 13 + rec * 31 + i + (i >> 8) * 3);
}

/* A WRITE CKD record: count field and n data bytes of the pattern. */
static u64 ckd_record(struct rig *r, u32 seed, u32 cyl, u32 head, u8 rec, u32 n)
{
	u64 a = area(r, 8 + n);
	u8 *p = host(r, a, 8 + n);

	be16_at(p, cyl);
	be16_at(p + 2, head);
	p[4] = rec;
	p[5] = 0;
	be16_at(p + 6, n);
	for (u32 i = 0; i < n; i++)
		p[8 + i] = pattern(seed, cyl, head, rec, i);
	return a;
}

static bool is_pattern(const u8 *p, u32 seed, u32 cyl, u32 head, u32 rec, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (p[i] != pattern(seed, cyl, head, rec, i))
			return false;
	return true;
}

/* Format cyl/head by ECKD: R0 and nrec records of len bytes (format write,
 * orientation home address). */
static void format_track(struct rig *r, u32 cyl, u32 head, u32 nrec, u32 len, u32 seed)
{
	struct prog p;
	u8 r0[16] = { 0 };

	be16_at(r0, cyl);
	be16_at(r0 + 2, head);
	r0[7] = 8;
	prog_new(&p, r, 4 + nrec);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_ALLOW_WRITE, DASD_GATTR_ECKD, len, cyl, head, cyl, head));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16,
	    lr_arg(r, DASD_LR_ORIENT_HOME | DASD_LR_FORMAT_WRITE, 0, (u8)(nrec + 1), cyl, head, 0,
		   0));
	ccw(&p, DASD_CMD_WRITE_R0, CC, 16, put(r, r0, 16));
	for (u32 i = 1; i <= nrec; i++)
		ccw(&p, DASD_CMD_WRITE_CKD, i < nrec ? CC : 0, (u16)(8 + len),
		    ckd_record(r, seed, cyl, head, (u8)i, len));
	run_expect(&p, CE_DE, 0);
}

/* Read n records of len bytes from cyl/head record rec on by ECKD: one
 * Locate Record (read data) and n READ DATA multitrack. */
static u64 eckd_read(struct rig *r, u32 cyl, u32 head, u8 rec, u32 n, u32 len)
{
	struct sim_ckd_geom g;
	struct prog p;
	u64 buf = area(r, n * len);

	sim_dasd_geom(r->d, &g);
	prog_new(&p, r, 2 + n);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_INHIBIT_WRITE, DASD_GATTR_ECKD, len, cyl, head, g.cyls - 1,
		   HEADS - 1));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16,
	    lr_arg(r, DASD_LR_ORIENT_COUNT | DASD_LR_READ_DATA, 0, (u8)n, cyl, head, rec, 0));
	for (u32 i = 0; i < n; i++)
		ccw(&p, DASD_CMD_READ_DATA | DASD_CMD_MT, i + 1 < n ? CC : 0, (u16)len,
		    buf + (u64)i * len);
	run_expect(&p, CE_DE, 0);
	return buf;
}

/* Read one record by the classic chain: SEEK, SEARCH ID EQUAL, TIC back,
 * READ DATA. */
static u64 classic_read(struct rig *r, u32 cyl, u32 head, u8 rec, u32 len)
{
	struct prog p;
	u64 buf = area(r, len), search;

	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, cyl, head));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(r, cyl, head, rec));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_READ_DATA, 0, (u16)len, buf);
	run_expect(&p, CE_DE, 0);
	return buf;
}

/* A fresh volume on a machine of the given profile and completion mode. */
static bool open_new(struct rig *r, enum sim_profile p, enum sim_completion c)
{
	char path[256];

	new_volume(path, sizeof(path));
	if (!rig_open(r, p, c, path, false, 0)) {
		unlink(path);
		return false;
	}
	return true;
}

static void close_rm(struct rig *r)
{
	rig_close(r);
	unlink(r->path);
}

typedef void (*body_fn)(struct rig *r);

/* body on a fresh volume of profile p in both completion modes (each
 * test in each profile: BOTH_PROFILES, tests/unit/unit.h). */
static void each_completion(enum sim_profile p, body_fn body)
{
	static const enum sim_completion cs[] = { SIM_COMPLETE_SYNC, SIM_COMPLETE_DEFERRED };

	for (size_t j = 0; j < ARRAY_SIZE(cs); j++) {
		struct rig r;

		if (!open_new(&r, p, cs[j]))
			continue;
		body(&r);
		close_rm(&r);
	}
}

static void once(body_fn body)
{
	struct rig r;

	if (!open_new(&r, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC))
		return;
	body(&r);
	close_rm(&r);
}

/* --- Identity ---------------------------------------------------------------- */

/* platforms.md 11.5: FF 3990 C2 3390 02 00 and CIW 40 FA 0100, 12 bytes. */
static void sense_id_body(struct rig *r)
{
	static const u8 exp[12] = { 0xFF, 0x39, 0x90, 0xC2, 0x33, 0x90,
				    0x02, 0x00, 0x40, 0xFA, 0x01, 0x00 };
	struct prog p;
	u64 buf = area(r, 64);

	prog_new(&p, r, 1);
	ccw(&p, CCW_CMD_SENSE_ID, SLI, 64, buf);
	run_expect(&p, CE_DE, 64 - 12);
	CU_ASSERT(memcmp(host(r, buf, 12), exp, 12) == 0);
}

static void test_sense_id(enum sim_profile p)
{
	each_completion(p, sense_id_body);
}
BOTH_PROFILES(test_sense_id)

static u16 be16_of(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

/* RDC: Hercules' 64 bytes of a 3390 model 2 entry with the image's cylinders. */
static void rdc_body(struct rig *r)
{
	static const u8 head[12] = { 0x39, 0x90, 0xC2, 0x33, 0x90, 0x02,
				     0xD0, 0x00, 0x00, 0x00, 0x20, 0x26 };
	struct sim_ckd_geom g;
	struct prog p;
	u64 buf = area(r, 64);
	const u8 *c;

	prog_new(&p, r, 1);
	ccw(&p, DASD_CMD_RDC, 0, 64, buf);
	run_expect(&p, CE_DE, 0);
	c = host(r, buf, 64);
	sim_dasd_geom(r->d, &g);
	CU_ASSERT_EQUAL(g.cyls, CYLS);
	CU_ASSERT(memcmp(c, head, sizeof(head)) == 0);
	CU_ASSERT_EQUAL(be16_of(c + 12), g.cyls); /* primary cylinders */
	CU_ASSERT_EQUAL(be16_of(c + 14), 15);	  /* tracks per cylinder */
	CU_ASSERT_EQUAL(c[16], 224);		  /* sectors */
	CU_ASSERT_EQUAL(be16_of(c + 18), 58786);  /* track length */
	CU_ASSERT_EQUAL(be16_of(c + 20), 1428);	  /* HA and R0 */
	CU_ASSERT_EQUAL(c[22], 2);		  /* formula */
	CU_ASSERT_EQUAL(c[23], 34);
	CU_ASSERT_EQUAL(c[24], 19);
	CU_ASSERT_EQUAL(c[25], 9);
	CU_ASSERT_EQUAL(c[26], 6);
	CU_ASSERT_EQUAL(c[27], 116);
	CU_ASSERT_EQUAL(be16_of(c + 28), 0); /* no alternate cylinders */
	CU_ASSERT_EQUAL(c[40], 0x26);
	CU_ASSERT_EQUAL(c[42], 0x10);
	CU_ASSERT_EQUAL(be16_of(c + 44), 57326); /* R0 maximum */
	CU_ASSERT_EQUAL(c[47], 1);
	CU_ASSERT_EQUAL(c[48], 6);
	CU_ASSERT_EQUAL(be16_of(c + 49), 0x7708);
	CU_ASSERT_EQUAL(c[57], 0xFF);
}

static void test_rdc(enum sim_profile p)
{
	each_completion(p, rdc_body);
}
BOTH_PROFILES(test_rdc)

/* RCD: 256 bytes, the device's node descriptor naming a 3390 in EBCDIC. */
static void rcd_body(struct rig *r)
{
	static const u8 ned1[4] = { 0xC4, 0x01, 0x01, 0x00 };
	static const u8 type[4] = { 0xF3, 0xF3, 0xF9, 0xF0 };
	struct prog p;
	u64 buf = area(r, 256);
	const u8 *c;

	prog_new(&p, r, 1);
	ccw(&p, DASD_CMD_RCD, 0, 256, buf);
	run_expect(&p, CE_DE, 0);
	c = host(r, buf, 256);
	CU_ASSERT(memcmp(c, ned1, 4) == 0);
	CU_ASSERT(memcmp(c + 6, type, 4) == 0);
	/* The descriptors' tags as Hercules 3.13 returned them. */
	CU_ASSERT_EQUAL(be16_of(c + 30), DEVNO);
	CU_ASSERT_EQUAL(be16_of(c + 62), 0);
	CU_ASSERT_EQUAL(be16_of(c + 94), 1);
	CU_ASSERT_EQUAL(c[64], 0xD4);	       /* storage director */
	CU_ASSERT_EQUAL(c[224], 0x80);	       /* node-element qualifier */
	CU_ASSERT_EQUAL(c[235], DEVNO & 0xFF); /* unit address */
}

static void test_rcd(void)
{
	once(rcd_body);
}

/* --- The measured chains (platforms.md 11.7) ---------------------------------- */

static const u8 ipl1_key[4] = { 0xC9, 0xD7, 0xD3, 0xF1 }; /* "IPL1" */
static const u8 ipl1_data[24] = { 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0F,
				  0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };

/* Chain A: SEEK, SEARCH ID EQUAL, TIC back, READ KEY AND DATA (SLI, 64):
 * residual 0x24, key IPL1 and the dummy IPL1 data. */
static void chain_a_body(struct rig *r)
{
	struct prog p;
	u64 buf = area(r, 64), search;

	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 0));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(r, 0, 0, 1));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_READ_KD, SLI, 64, buf);
	CU_ASSERT_EQUAL(run_expect(&p, CE_DE, 0x24), p.at + 32);
	CU_ASSERT(memcmp(host(r, buf, 4), ipl1_key, 4) == 0);
	CU_ASSERT(memcmp(host(r, buf + 4, 24), ipl1_data, 24) == 0);
}

static void test_chain_a(enum sim_profile p)
{
	each_completion(p, chain_a_body);
}
BOTH_PROFILES(test_chain_a)

/* Chain B: DEFINE EXTENT (inhibit write; ECKD; cylinder 0 heads 0-14),
 * LOCATE RECORD (orient count, read data, 1 record, R1), READ DATA MT
 * (SLI, 64): residual 0x28 and the same 24 bytes. */
static void chain_b_body(struct rig *r)
{
	struct prog p;
	u64 buf = area(r, 64);

	prog_new(&p, r, 3);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_INHIBIT_WRITE, DASD_GATTR_ECKD, 0, 0, 0, 0, 14));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16, lr_arg(r, 0x06, 0, 1, 0, 0, 1, 0));
	ccw(&p, DASD_CMD_READ_DATA | DASD_CMD_MT, SLI, 64, buf);
	run_expect(&p, CE_DE, 0x28);
	CU_ASSERT(memcmp(host(r, buf, 24), ipl1_data, 24) == 0);
}

static void test_chain_b(enum sim_profile p)
{
	each_completion(p, chain_b_body);
}
BOTH_PROFILES(test_chain_b)

/* Chain C: SEEK, READ R0: count 00000000 00000008 and eight zero bytes. */
static void chain_c_body(struct rig *r)
{
	static const u8 exp[16] = { 0, 0, 0, 0, 0, 0, 0, 8 };
	struct prog p;
	u64 buf = area(r, 16);

	memset(host(r, buf, 16), 0xAA, 16);
	prog_new(&p, r, 2);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 0));
	ccw(&p, DASD_CMD_READ_R0, 0, 16, buf);
	run_expect(&p, CE_DE, 0);
	CU_ASSERT(memcmp(host(r, buf, 16), exp, 16) == 0);
}

static void test_chain_c(enum sim_profile p)
{
	each_completion(p, chain_c_body);
}
BOTH_PROFILES(test_chain_c)

/* --- Formatting, writing, reading --------------------------------------------- */

/* Format a track (R0 and twelve 4 KiB records) and read it back by an
 * ECKD chain and by classic chains. */
static void format_body(struct rig *r)
{
	struct sim_dasd_stats st;
	u64 buf;

	format_track(r, 0, 1, RECS, BLK, 1);
	buf = eckd_read(r, 0, 1, 1, RECS, BLK);
	for (u32 i = 0; i < RECS; i++)
		CU_ASSERT(is_pattern(host(r, buf + i * BLK, BLK), 1, 0, 1, i + 1, BLK));
	buf = classic_read(r, 0, 1, 7, BLK);
	CU_ASSERT(is_pattern(host(r, buf, BLK), 1, 0, 1, 7, BLK));
	buf = classic_read(r, 0, 1, 12, BLK);
	CU_ASSERT(is_pattern(host(r, buf, BLK), 1, 0, 1, 12, BLK));
	sim_dasd_get_stats(r->d, &st);
	CU_ASSERT(st.records_written >= RECS + 1);
	CU_ASSERT(st.records_read >= RECS + 2);
	CU_ASSERT(st.commands > 0);
}

static void test_format(enum sim_profile p)
{
	each_completion(p, format_body);
}
BOTH_PROFILES(test_format)

/* READ COUNT, READ CKD, READ HOME ADDRESS and READ MULTIPLE CKD on a
 * formatted track; READ TRACK under Locate Record (read tracks). */
static void read_kinds_body(struct rig *r)
{
	struct prog p;
	u64 cnt = area(r, 8), ha = area(r, 5), ckd = area(r, 8 + 512), multi = area(r, 4096);
	u64 trk = area(r, TRKSIZE);
	const u8 *c;

	format_track(r, 1, 3, 4, 512, 5);
	prog_new(&p, r, 5);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 1, 3));
	ccw(&p, DASD_CMD_READ_HA, CC, 5, ha);
	ccw(&p, DASD_CMD_READ_COUNT, CC, 8, cnt);
	ccw(&p, DASD_CMD_READ_CKD, CC, 8 + 512, ckd);
	ccw(&p, DASD_CMD_READ_MULTI_CKD, SLI, 4096, multi);
	run_expect(&p, CE_DE, (u16)(4096 - 2 * (8 + 512)));
	c = host(r, ha, 5);
	CU_ASSERT(c[0] == 0 && be16_of(c + 1) == 1 && be16_of(c + 3) == 3);
	c = host(r, cnt, 8); /* R1's count: READ COUNT skips R0 */
	CU_ASSERT(be16_of(c) == 1 && be16_of(c + 2) == 3 && c[4] == 1 && c[5] == 0 &&
		  be16_of(c + 6) == 512);
	c = host(r, ckd, 8 + 512);
	CU_ASSERT(c[4] == 2 && is_pattern(c + 8, 5, 1, 3, 2, 512));
	c = host(r, multi, 2 * 520); /* what is left: R3 and R4 */
	CU_ASSERT(c[4] == 3 && is_pattern(c + 8, 5, 1, 3, 3, 512));
	CU_ASSERT(c[520 + 4] == 4 && is_pattern(c + 528, 5, 1, 3, 4, 512));

	/* READ TRACK: every record including R0, and the end marker. */
	prog_new(&p, r, 3);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_INHIBIT_WRITE, DASD_GATTR_ECKD, 0, 1, 0, 1, 14));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16,
	    lr_arg(r, DASD_LR_ORIENT_HOME | DASD_LR_READ_TRACKS, 0, 1, 1, 3, 0, 0));
	ccw(&p, DASD_CMD_READ_TRACK, SLI, (u16)TRKSIZE, trk);
	run_expect(&p, CE_DE, (u16)(TRKSIZE - (16 + 4 * 520 + 8)));
	c = host(r, trk, 16 + 4 * 520 + 8);
	CU_ASSERT(c[4] == 0 && be16_of(c + 6) == 8);
	CU_ASSERT(c[16 + 4] == 1 && is_pattern(c + 24, 5, 1, 3, 1, 512));
	CU_ASSERT(memcmp(c + 16 + 4 * 520, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 8) == 0);
}

static void test_read_kinds(enum sim_profile p)
{
	each_completion(p, read_kinds_body);
}
BOTH_PROFILES(test_read_kinds)

/* WRITE DATA under Locate Record (write data, 1 record) changes only that
 * record; WRITE UPDATE DATA writes several, on into the next track. */
static void write_data_body(struct rig *r)
{
	struct prog p;
	u64 buf, data = area(r, 3 * BLK);

	format_track(r, 0, 4, RECS, BLK, 2);
	format_track(r, 0, 5, RECS, BLK, 2);
	for (u32 i = 0; i < 3 * BLK; i++)
		host(r, data, 3 * BLK)[i] = (u8)(0xC3 ^ i ^ (i >> 9));

	prog_new(&p, r, 3);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_UPDATE_ONLY, DASD_GATTR_ECKD, BLK, 0, 4, 0, 5));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16,
	    lr_arg(r, DASD_LR_ORIENT_COUNT | DASD_LR_WRITE_DATA, 0, 1, 0, 4, 5, 0));
	ccw(&p, DASD_CMD_WRITE_DATA, 0, BLK, data);
	run_expect(&p, CE_DE, 0);
	buf = eckd_read(r, 0, 4, 4, 3, BLK);
	CU_ASSERT(is_pattern(host(r, buf, BLK), 2, 0, 4, 4, BLK));
	CU_ASSERT(memcmp(host(r, buf + BLK, BLK), host(r, data, BLK), BLK) == 0);
	CU_ASSERT(is_pattern(host(r, buf + 2 * BLK, BLK), 2, 0, 4, 6, BLK));

	/* R11, R12 of head 4 and R1 of head 5 by WRITE UPDATE DATA. */
	prog_new(&p, r, 5);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_UPDATE_ONLY, DASD_GATTR_ECKD, BLK, 0, 4, 0, 5));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16,
	    lr_arg(r, DASD_LR_ORIENT_COUNT | DASD_LR_WRITE_DATA, 0, 3, 0, 4, 11, 0));
	for (u32 i = 0; i < 3; i++)
		ccw(&p, DASD_CMD_WRITE_UPDATE_DATA, i < 2 ? CC : 0, BLK, data + i * BLK);
	run_expect(&p, CE_DE, 0);
	buf = eckd_read(r, 0, 4, 10, 4, BLK);
	CU_ASSERT(is_pattern(host(r, buf, BLK), 2, 0, 4, 10, BLK));
	CU_ASSERT(memcmp(host(r, buf + BLK, 3 * BLK), host(r, data, 3 * BLK), 3 * BLK) == 0);
	buf = classic_read(r, 0, 5, 2, BLK);
	CU_ASSERT(is_pattern(host(r, buf, BLK), 2, 0, 5, 2, BLK));
}

static void test_write_data(enum sim_profile p)
{
	each_completion(p, write_data_body);
}
BOTH_PROFILES(test_write_data)

/* Multitrack reads: 24 records over two tracks by one Locate Record, and a
 * classic READ DATA MT that runs from R12 into the next track's R1. */
static void multitrack_body(struct rig *r)
{
	struct prog p;
	u64 buf, search, two = area(r, 2 * BLK);

	format_track(r, 1, 0, RECS, BLK, 3);
	format_track(r, 1, 1, RECS, BLK, 3);
	buf = eckd_read(r, 1, 0, 1, 2 * RECS, BLK);
	for (u32 i = 0; i < 2 * RECS; i++)
		CU_ASSERT(
			is_pattern(host(r, buf + i * BLK, BLK), 3, 1, i / RECS, i % RECS + 1, BLK));

	prog_new(&p, r, 5);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 1, 0));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(r, 1, 0, 12));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_READ_DATA, CC, BLK, two);
	ccw(&p, DASD_CMD_READ_DATA | DASD_CMD_MT, 0, BLK, two + BLK);
	run_expect(&p, CE_DE, 0);
	CU_ASSERT(is_pattern(host(r, two, BLK), 3, 1, 0, 12, BLK));
	CU_ASSERT(is_pattern(host(r, two + BLK, BLK), 3, 1, 1, 1, BLK));
}

static void test_multitrack(enum sim_profile p)
{
	each_completion(p, multitrack_body);
}
BOTH_PROFILES(test_multitrack)

/* Classic writes: SEARCH ID EQUAL then WRITE DATA; SEARCH ID EQUAL on the
 * last record then WRITE CKD adds a record after it. */
static void classic_write_body(struct rig *r)
{
	struct prog p;
	u64 search, data = area(r, 512), buf;

	format_track(r, 0, 7, 2, 512, 4);
	memset(host(r, data, 512), 0x5A, 512);
	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 7));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(r, 0, 7, 2));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_WRITE_DATA, 0, 512, data);
	run_expect(&p, CE_DE, 0);
	buf = classic_read(r, 0, 7, 2, 512);
	CU_ASSERT(memcmp(host(r, buf, 512), host(r, data, 512), 512) == 0);

	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 7));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(r, 0, 7, 2));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_WRITE_CKD, 0, 8 + 300, ckd_record(r, 9, 0, 7, 3, 300));
	run_expect(&p, CE_DE, 0);
	buf = classic_read(r, 0, 7, 3, 300);
	CU_ASSERT(is_pattern(host(r, buf, 300), 9, 0, 7, 3, 300));
}

static void test_classic_write(enum sim_profile p)
{
	each_completion(p, classic_write_body);
}
BOTH_PROFILES(test_classic_write)

/* SEARCH KEY EQUAL finds VOL1 by its key; SEARCH ID HIGH stops at the first
 * record past the argument; a lone matching search shows status modifier. */
static void search_kinds_body(struct rig *r)
{
	static const u8 vol1[4] = { 0xE5, 0xD6, 0xD3, 0xF1 };
	static const u8 serial[6] = { 0xC3, 0xC3, 0xE6, 0xE3, 0xE2, 0xE3 }; /* CCWTST */
	struct prog p;
	u64 search, buf = area(r, 80), kd = area(r, 200);

	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 0));
	search = ccw(&p, DASD_CMD_SEARCH_KEY_EQ, CC, 4, put(r, vol1, 4));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_READ_DATA, 0, 80, buf);
	run_expect(&p, CE_DE, 0);
	CU_ASSERT(memcmp(host(r, buf, 4), vol1, 4) == 0);
	CU_ASSERT(memcmp(host(r, buf + 4, 6), serial, 6) == 0);

	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 0));
	search = ccw(&p, DASD_CMD_SEARCH_ID_HI, CC, 5, id_arg(r, 0, 0, 1));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_READ_KD, SLI, 200, kd);
	run_expect(&p, CE_DE, 200 - 148);
	CU_ASSERT(memcmp(host(r, kd, 4), "\xC9\xD7\xD3\xF2", 4) == 0); /* IPL2 */

	prog_new(&p, r, 2);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 0));
	ccw(&p, DASD_CMD_SEARCH_ID_EQ, 0, 5, id_arg(r, 0, 0, 0));
	run_expect(&p, CE_DE_SM, 0);
}

static void test_search_kinds(enum sim_profile p)
{
	each_completion(p, search_kinds_body);
}
BOTH_PROFILES(test_search_kinds)

/* --- Errors --------------------------------------------------------------------- */

/* platforms.md 11.6: 3390, code 0xFF, count 4, SLI: CE DE UC, residual 4,
 * and sense 80000000 00000001 ... 00000080 00000000. */
static void unknown_body(struct rig *r)
{
	static const u8 exp[32] = { [0] = 0x80, [7] = 0x01, [27] = 0x80 };
	struct prog p;
	u8 s[32];

	prog_new(&p, r, 1);
	ccw(&p, 0xFF, SLI, 4, area(r, 4));
	run_expect(&p, CE_DE_UC, 4);
	sense(r, s);
	CU_ASSERT(memcmp(s, exp, 32) == 0);
	/* RECALIBRATE: Hercules rejects it on a 3390, the same way. */
	prog_new(&p, r, 1);
	ccw(&p, DASD_CMD_RECALIBRATE, SLI, 1, area(r, 1));
	run_uc(&p, 0x80, 0, DASD_SENSE7_INVALID_COMMAND);
}

static void test_unknown(enum sim_profile p)
{
	each_completion(p, unknown_body);
}
BOTH_PROFILES(test_unknown)

/* Seeks and Locate Record outside the extent, or where the file mask
 * forbids seeking, are file protected. */
static void extent_body(struct rig *r)
{
	struct prog p;
	u8 mask = DASD_MASK_INHIBIT_SEEK;

	prog_new(&p, r, 2);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_INHIBIT_WRITE, DASD_GATTR_ECKD, 0, 0, 0, 0, 14));
	ccw(&p, DASD_CMD_SEEK, 0, 6, seek_arg(r, 1, 0));
	run_uc(&p, 0, DASD_SENSE1_FILE_PROTECTED, 0);

	prog_new(&p, r, 3);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_INHIBIT_WRITE, DASD_GATTR_ECKD, 0, 0, 2, 0, 3));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16, lr_arg(r, 0x06, 0, 1, 0, 5, 1, 0));
	ccw(&p, DASD_CMD_READ_DATA, 0, 8, area(r, 8));
	run_uc(&p, 0, DASD_SENSE1_FILE_PROTECTED, 0);

	prog_new(&p, r, 2);
	ccw(&p, DASD_CMD_SET_FILE_MASK, CC, 1, put(r, &mask, 1));
	ccw(&p, DASD_CMD_SEEK, 0, 6, seek_arg(r, 0, 0));
	run_uc(&p, 0, DASD_SENSE1_FILE_PROTECTED, 0);

	/* A seek address off the device is an invalid parameter. */
	prog_new(&p, r, 1);
	ccw(&p, DASD_CMD_SEEK, 0, 6, seek_arg(r, CYLS, 0));
	run_uc(&p, 0x80, 0, DASD_SENSE7_INVALID_PARAMETER);
}

static void test_extent(enum sim_profile p)
{
	each_completion(p, extent_body);
}
BOTH_PROFILES(test_extent)

/* No record found: Locate Record for a missing record, and the classic
 * search loop, which ends after the second index point. */
static void nrf_body(struct rig *r)
{
	struct sim_stats before, after;
	struct prog p;
	u64 search;

	format_track(r, 0, 2, RECS, BLK, 6);
	prog_new(&p, r, 3);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_INHIBIT_WRITE, DASD_GATTR_ECKD, BLK, 0, 0, 0, 14));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16, lr_arg(r, 0x06, 0, 1, 0, 2, 20, 0));
	ccw(&p, DASD_CMD_READ_DATA, 0, BLK, area(r, BLK));
	run_uc(&p, 0, DASD_SENSE1_NO_RECORD_FOUND, 0);

	sim_get_stats(r->t.sim, &before);
	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 2));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(r, 0, 2, 20));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_READ_DATA, 0, BLK, area(r, BLK));
	run_uc(&p, 0, DASD_SENSE1_NO_RECORD_FOUND, 0);
	sim_get_stats(r->t.sim, &after);
	/* About two passes of 13 records, each a search and a TIC. */
	CU_ASSERT(after.ccws - before.ccws < 80);
}

static void test_nrf(enum sim_profile p)
{
	each_completion(p, nrf_body);
}
BOTH_PROFILES(test_nrf)

/* A write the file mask inhibits is rejected (Hercules: command reject,
 * invalid sequence), and nothing is written. */
static void inhibit_body(struct rig *r)
{
	struct prog p;
	u64 buf, data = area(r, BLK);

	format_track(r, 0, 3, RECS, BLK, 7);
	memset(host(r, data, BLK), 0xEE, BLK);
	prog_new(&p, r, 3);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_INHIBIT_WRITE, DASD_GATTR_ECKD, BLK, 0, 3, 0, 3));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16, lr_arg(r, DASD_LR_WRITE_DATA, 0, 1, 0, 3, 1, 0));
	ccw(&p, DASD_CMD_WRITE_DATA, 0, BLK, data);
	run_uc(&p, 0x80, 0, DASD_SENSE7_INVALID_SEQUENCE);
	/* WRITE CKD under "update only" neither. */
	prog_new(&p, r, 3);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_UPDATE_ONLY, DASD_GATTR_ECKD, BLK, 0, 3, 0, 3));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16, lr_arg(r, DASD_LR_FORMAT_WRITE, 0, 1, 0, 3, 12, 0));
	ccw(&p, DASD_CMD_WRITE_CKD, 0, 8 + BLK, ckd_record(r, 0, 0, 3, 13, BLK));
	run_uc(&p, 0x80, 0, DASD_SENSE7_INVALID_SEQUENCE);
	buf = eckd_read(r, 0, 3, 1, 1, BLK);
	CU_ASSERT(is_pattern(host(r, buf, BLK), 7, 0, 3, 1, BLK));
}

static void test_inhibit(enum sim_profile p)
{
	each_completion(p, inhibit_body);
}
BOTH_PROFILES(test_inhibit)

/* Locate Record without Define Extent; a read with no seek before it; a
 * bad Define Extent; a domain left unfinished. */
static void sequence_body(struct rig *r)
{
	struct prog p;

	prog_new(&p, r, 2);
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16, lr_arg(r, 0x06, 0, 1, 0, 0, 1, 0));
	ccw(&p, DASD_CMD_READ_DATA, SLI, 64, area(r, 64));
	run_uc(&p, 0x80, 0, DASD_SENSE7_INVALID_SEQUENCE);

	prog_new(&p, r, 1);
	ccw(&p, DASD_CMD_READ_DATA, SLI, 64, area(r, 64));
	run_uc(&p, 0x80, 0, DASD_SENSE7_INVALID_SEQUENCE);

	prog_new(&p, r, 1);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, 0, 16, dx_arg(r, 0, 0x00, 0, 0, 0, 0, 14));
	run_uc(&p, 0x80, 0, DASD_SENSE7_INVALID_PARAMETER);

	prog_new(&p, r, 1);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, SLI, 8, dx_arg(r, 0, DASD_GATTR_ECKD, 0, 0, 0, 0, 14));
	run_uc(&p, 0x80, 0, DASD_SENSE7_COUNT_TOO_SMALL);

	prog_new(&p, r, 3);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_INHIBIT_WRITE, DASD_GATTR_ECKD, 0, 0, 0, 0, 14));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16, lr_arg(r, 0x06, 0, 2, 0, 0, 1, 0));
	ccw(&p, DASD_CMD_READ_DATA, SLI, 64, area(r, 64));
	run_uc(&p, 0x80 | DASD_SENSE0_OPERATION_INCOMPLETE, 0, 0);
}

static void test_sequence(enum sim_profile p)
{
	each_completion(p, sequence_body);
}
BOTH_PROFILES(test_sequence)

/* A record that does not fit: larger than the track, or a thirteenth
 * 4 KiB record (a 3390 track holds twelve). */
static void too_large_body(struct rig *r)
{
	struct prog p;
	u64 search;

	format_track(r, 0, 6, RECS, BLK, 8);
	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 6));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(r, 0, 6, 12));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_WRITE_CKD, 0, 8 + BLK, ckd_record(r, 8, 0, 6, 13, BLK));
	run_uc(&p, 0, DASD_SENSE1_INVALID_TRACK_FORMAT, 0);

	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 8));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(r, 0, 8, 0));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_WRITE_CKD, 0, 8 + 60000, ckd_record(r, 8, 0, 8, 1, 60000));
	run_uc(&p, 0, DASD_SENSE1_INVALID_TRACK_FORMAT, 0);
	/* The largest record a 3390 track holds fits. */
	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 8));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(r, 0, 8, 0));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_WRITE_CKD, 0, 8 + 56664, ckd_record(r, 8, 0, 8, 1, 56664));
	run_expect(&p, CE_DE, 0);
}

static void test_too_large(enum sim_profile p)
{
	each_completion(p, too_large_body);
}
BOTH_PROFILES(test_too_large)

/* Multitrack past the last head outside a Locate Record domain: end of
 * cylinder. */
static void eoc_body(struct rig *r)
{
	struct prog p;

	prog_new(&p, r, 2);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 14));
	ccw(&p, DASD_CMD_READ_R0 | DASD_CMD_MT, 0, 16, area(r, 16));
	run_uc(&p, 0, DASD_SENSE1_END_OF_CYLINDER, 0);
}

static void test_eoc(enum sim_profile p)
{
	each_completion(p, eoc_body);
}
BOTH_PROFILES(test_eoc)

/* A read-only image: writes end in equipment check with write inhibited,
 * and the file does not change. */
static void test_read_only(void)
{
	struct rig r;
	struct prog p;
	char path[256];
	size_t n0, n1;
	u8 *before, *after;
	u64 search;

	new_volume(path, sizeof(path));
	before = slurp(path, &n0);
	if (!rig_open(&r, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC, path, true, 0)) {
		free(before);
		unlink(path);
		return;
	}
	prog_new(&p, &r, 3);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(&r, DASD_MASK_ALLOW_WRITE, DASD_GATTR_ECKD, 80, 0, 0, 0, 14));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16, lr_arg(&r, DASD_LR_WRITE_DATA, 0, 1, 0, 0, 3, 0));
	ccw(&p, DASD_CMD_WRITE_DATA, 0, 80, area(&r, 80));
	run_uc(&p, SENSE0_EQUIPMENT_CHECK, DASD_SENSE1_WRITE_INHIBITED,
	       DASD_SENSE7_INVALID_PARAMETER);

	prog_new(&p, &r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(&r, 0, 0));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(&r, 0, 0, 3));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_WRITE_DATA, 0, 80, area(&r, 80));
	run_uc(&p, SENSE0_EQUIPMENT_CHECK, DASD_SENSE1_WRITE_INHIBITED, DASD_SENSE7_EQUIPMENT);
	/* Reads work. */
	chain_a_body(&r);
	CU_ASSERT_EQUAL(sim_dasd_sync(r.d), 0);
	rig_close(&r);
	after = slurp(path, &n1);
	CU_ASSERT(n0 == n1 && memcmp(before, after, n0) == 0);
	free(before);
	free(after);
	unlink(path);
}

/* The device goes away in the middle of a program: the program is lost
 * (cc 3), what was written stays written, and when it comes back a new
 * program runs. */
static void test_unplug(void)
{
	struct rig r;
	struct prog p;
	struct irb irb;
	char path[256];
	u8 r0[16] = { 0, 0, 0, 9, 0, 0, 0, 8 };
	size_t n;
	u8 *file;
	u32 kl, dl;
	long off;

	new_volume(path, sizeof(path));
	if (!rig_open(&r, SIM_PROFILE_ARCH, SIM_COMPLETE_DEFERRED, path, false, 0)) {
		unlink(path);
		return;
	}
	prog_new(&p, &r, 6);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(&r, DASD_MASK_ALLOW_WRITE, DASD_GATTR_ECKD, BLK, 0, 9, 0, 9));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16,
	    lr_arg(&r, DASD_LR_ORIENT_HOME | DASD_LR_FORMAT_WRITE, 0, 4, 0, 9, 0, 0));
	ccw(&p, DASD_CMD_WRITE_R0, CC, 16, put(&r, r0, 16));
	ccw(&p, DASD_CMD_WRITE_CKD, CC, 8 + BLK, ckd_record(&r, 11, 0, 9, 1, BLK));
	ccw(&p, DASD_CMD_WRITE_CKD, CC, 8 + BLK, ckd_record(&r, 11, 0, 9, 2, BLK));
	ccw(&p, DASD_CMD_WRITE_CKD, 0, 8 + BLK, ckd_record(&r, 11, 0, 9, 3, BLK));
	CU_ASSERT_EQUAL(simtest_ssch(&r.t, r.schid, INTPARM, SIMTEST_ORB_FMT1, (u32)p.at), 0);
	for (int i = 0; i < 4; i++)
		CU_ASSERT(sim_progress(r.t.sim) > 0);
	CU_ASSERT_EQUAL(sim_set_present(r.t.sim, r.schid, false), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&r.t, r.schid, &irb), 3);
	CU_ASSERT_EQUAL(sim_progress(r.t.sim), 0);
	/* R1 went to the file when the device went away. */
	file = slurp(path, &n);
	off = find_data(file + track_off(0, 9), 1, &kl, &dl);
	CU_ASSERT(off > 0 && dl == BLK &&
		  is_pattern(file + track_off(0, 9) + off, 11, 0, 9, 1, BLK));
	CU_ASSERT(find_data(file + track_off(0, 9), 2, &kl, &dl) < 0);
	free(file);
	CU_ASSERT_EQUAL(sim_set_present(r.t.sim, r.schid, true), 0);
	simtest_enable(&r.t, r.schid, 3);
	chain_a_body(&r);
	rig_close(&r);
	unlink(path);
}

/* --- Durability and compatibility ---------------------------------------------- */

/* Data written is in the file after sim_dasd_sync, and after sim_destroy. */
static void test_durable(void)
{
	struct rig r;
	char path[256];
	size_t n;
	u8 *file;
	u32 kl, dl;
	long off;

	new_volume(path, sizeof(path));
	if (!rig_open(&r, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC, path, false, 0)) {
		unlink(path);
		return;
	}
	format_track(&r, 1, 14, RECS, BLK, 21);
	CU_ASSERT_EQUAL(sim_dasd_sync(r.d), 0);
	file = slurp(path, &n);
	CU_ASSERT_EQUAL(n, 512 + (size_t)CYLS * HEADS * TRKSIZE);
	off = find_data(file + track_off(1, 14), 12, &kl, &dl);
	CU_ASSERT(off > 0 && kl == 0 && dl == BLK &&
		  is_pattern(file + track_off(1, 14) + off, 21, 1, 14, 12, BLK));
	free(file);

	format_track(&r, 0, 11, 3, 1000, 22);
	rig_close(&r);
	file = slurp(path, &n);
	off = find_data(file + track_off(0, 11), 3, &kl, &dl);
	CU_ASSERT(off > 0 && dl == 1000 &&
		  is_pattern(file + track_off(0, 11) + off, 22, 0, 11, 3, 1000));
	free(file);

	/* Reopened, it reads the same. */
	if (rig_open(&r, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC, path, false, 0)) {
		u64 buf = eckd_read(&r, 1, 14, 1, RECS, BLK);

		for (u32 i = 0; i < RECS; i++)
			CU_ASSERT(is_pattern(host(&r, buf + i * BLK, BLK), 21, 1, 14, i + 1, BLK));
		rig_close(&r);
	}
	unlink(path);
}

/* sim_ckd_create writes the same bytes as dasdinit. */
static void test_same_as_dasdinit(void)
{
	char dir[256], herc[256], ours[256];
	size_t n0, n1;
	u8 *a, *b;

	if (!dasdinit(dir, sizeof(dir), herc, sizeof(herc), VOLSER, CYLS))
		return;
	new_volume(ours, sizeof(ours));
	a = slurp(herc, &n0);
	b = slurp(ours, &n1);
	CU_ASSERT_EQUAL(n0, n1);
	CU_ASSERT(n0 == n1 && memcmp(a, b, n0) == 0);
	free(a);
	free(b);
	unlink(herc);
	rmdir(dir);
	unlink(ours);
}

/* A dasdinit volume: VOL1 holds its serial; what the simulator writes to
 * it reads back after the file is closed and opened again. */
static void test_dasdinit_round_trip(void)
{
	static const u8 serial[6] = { 0xC8, 0xC5, 0xD9, 0xC3, 0x40, 0x40 }; /* "HERC  " */
	char dir[256], path[256];
	struct rig r;
	u64 buf;

	if (!dasdinit(dir, sizeof(dir), path, sizeof(path), "herc", 3))
		return;
	if (rig_open(&r, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC, path, false, 0)) {
		struct sim_ckd_geom g;

		sim_dasd_geom(r.d, &g);
		CU_ASSERT_EQUAL(g.cyls, 3);
		buf = classic_read(&r, 0, 0, 3, 80);
		CU_ASSERT(memcmp(host(&r, buf, 4), "\xE5\xD6\xD3\xF1", 4) == 0);
		CU_ASSERT(memcmp(host(&r, buf + 4, 6), serial, 6) == 0);
		format_track(&r, 2, 7, RECS, BLK, 31);
		rig_close(&r);
	}
	if (rig_open(&r, SIM_PROFILE_QEMU, SIM_COMPLETE_DEFERRED, path, false, 0)) {
		buf = eckd_read(&r, 2, 7, 1, RECS, BLK);
		for (u32 i = 0; i < RECS; i++)
			CU_ASSERT(is_pattern(host(&r, buf + i * BLK, BLK), 31, 2, 7, i + 1, BLK));
		rig_close(&r);
	}
	unlink(path);
	rmdir(dir);
}

/* Probing: the geometry of a good image; bad ones are refused with a reason. */
static void test_probe(void)
{
	struct sim_ckd_geom g;
	char path[256], why[SIM_WHY_LEN];
	struct sim_dasd_opts opts;
	struct sim_dev_config dev;
	struct simtest t;
	u8 junk[8] = "CKD_C370";

	new_volume(path, sizeof(path));
	CU_ASSERT_EQUAL(sim_ckd_probe(path, &g, why), 0);
	CU_ASSERT(g.cyls == CYLS && g.heads == HEADS && g.trksize == TRKSIZE && g.devtype == 0x90);
	/* A file cut short of a whole track. */
	CU_ASSERT_EQUAL(truncate(path, 512 + TRKSIZE * HEADS * CYLS - 1), 0);
	why[0] = 0;
	CU_ASSERT_EQUAL(sim_ckd_probe(path, &g, why), -1);
	CU_ASSERT(why[0] != 0);
	CU_ASSERT_EQUAL(truncate(path, 512 + TRKSIZE * HEADS * CYLS), 0);
	CU_ASSERT_EQUAL(sim_ckd_probe(path, &g, why), 0);
	/* A compressed image. */
	patch_file(path, 0, junk, 8);
	CU_ASSERT_EQUAL(sim_ckd_probe(path, &g, why), -1);
	CU_ASSERT(strstr(why, "compressed") != NULL);
	/* sim_dasd_add refuses it too. */
	CU_ASSERT_FATAL(simtest_init(&t, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC));
	dev = unit_dev(DEVNO);
	opts.path = path;
	opts.read_only = false;
	CU_ASSERT_EQUAL(sim_dasd_add(t.sim, &dev, &opts, why), -1);
	opts.path = "/nonexistent/simdasd.3390";
	CU_ASSERT_EQUAL(sim_dasd_add(t.sim, &dev, &opts, why), -1);
	CU_ASSERT_PTR_NULL(sim_dasd_find(t.sim, t.schid)); /* the test device is not a DASD */
	simtest_fini(&t);
	/* Bad arguments to sim_ckd_create. */
	CU_ASSERT_EQUAL(sim_ckd_create(path, 0, VOLSER, why), -1);
	CU_ASSERT_EQUAL(sim_ckd_create(path, 1, "TOOLONG", why), -1);
	CU_ASSERT_EQUAL(sim_ckd_create(path, 1, "", why), -1);
	unlink(path);
}

/* An image whose track holds nonsense: reads end in unit check (equipment
 * check or invalid track format), never outside the track. */
static void test_corrupt_track(void)
{
	struct rig r;
	struct prog p;
	char path[256];
	u8 bad[16] = { 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0xFF, 0xFF, 0xFF };
	u8 ha[5] = { 0, 0, 0, 0, 9 };

	new_volume(path, sizeof(path));
	/* Track 0/1: R0 claims a data field running off the track. */
	patch_file(path, track_off(0, 1) + 5, bad, 8);
	/* Track 0/2: a home address for another track. */
	patch_file(path, track_off(0, 2), ha, 5);
	if (!rig_open(&r, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC, path, false, 0)) {
		unlink(path);
		return;
	}
	prog_new(&p, &r, 2);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(&r, 0, 1));
	ccw(&p, DASD_CMD_READ_DATA, SLI, 64, area(&r, 64));
	run_uc(&p, SENSE0_EQUIPMENT_CHECK, 0, DASD_SENSE7_EQUIPMENT);
	prog_new(&p, &r, 1);
	ccw(&p, DASD_CMD_SEEK, 0, 6, seek_arg(&r, 0, 2));
	run_uc(&p, 0, DASD_SENSE1_INVALID_TRACK_FORMAT, 0);
	rig_close(&r);
	unlink(path);
}

/* Random channel programs (commands, flags, counts and data) never crash,
 * hang or loop the simulator: every one ends with status. */
static void test_random_programs(void)
{
	static const u8 cmds[] = {
		0x02, 0x05, 0x06, 0x86, 0x07, 0x0B, 0x0D, 0x0E, 0x8E, 0x11, 0x12, 0x92, 0x13,
		0x15, 0x16, 0x96, 0x19, 0x1A, 0x9A, 0x1B, 0x1D, 0x1E, 0x9E, 0x1F, 0x22, 0x23,
		0x29, 0xA9, 0x31, 0xB1, 0x34, 0x39, 0xB9, 0x47, 0x49, 0x51, 0xD1, 0x5E, 0x63,
		0x64, 0x69, 0x71, 0xF1, 0x85, 0x8D, 0x9D, 0xAF, 0xDE, 0xFA, 0x04, 0x03, 0x08,
	};
	struct rig r;
	char path[256];
	u64 seed = 0x9E3779B97F4A7C15ull, mark;
	u64 data;

	new_volume(path, sizeof(path));
	if (!rig_open(&r, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC, path, false, 4096)) {
		unlink(path);
		return;
	}
	/* Some records to find. */
	format_track(&r, 0, 1, 3, 64, 1);
	data = area(&r, 70000);
	mark = r.t.next;
	for (int n = 0; n < 3000; n++) {
		struct prog p;
		struct irb irb;
		unsigned len;
		u8 *d = host(&r, data, 70000);

		r.t.next = mark;
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		len = 1 + (unsigned)(seed % 6);
		/* Plausible arguments: small cylinder and head numbers. */
		for (unsigned i = 0; i < 256; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			d[i] = (u8)(seed % 5 == 0 ? seed >> 8 : seed % 3);
		}
		d[1] = (n & 1) ? DASD_GATTR_ECKD : d[1];
		prog_new(&p, &r, len);
		for (unsigned i = 0; i < len; i++) {
			u8 cmd, flags;
			u16 count;

			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			cmd = cmds[seed % ARRAY_SIZE(cmds)];
			flags = (u8)((i + 1 < len ? CC : 0) | ((seed >> 20) & 1 ? SLI : 0));
			count = (u16)((seed >> 24) % 4 ? (seed >> 32) % 24 + 1
						       : (seed >> 32) % 65535 + 1);
			if (cmd == CCW_CMD_TIC) /* back to the start: bounded by max_ccws */
				ccw(&p, cmd, 0, 0, p.at);
			else
				ccw(&p, cmd, flags, count, data + ((seed >> 40) % 8) * 16);
		}
		CU_ASSERT_EQUAL_FATAL(
			simtest_ssch(&r.t, r.schid, INTPARM, SIMTEST_ORB_FMT1, (u32)p.at), 0);
		CU_ASSERT_EQUAL_FATAL(simtest_tsch(&r.t, r.schid, &irb), 0);
		CU_ASSERT_FATAL(irb_ctrl(&irb) & SCSW_STCTL_STATUS_PEND);
	}
	rig_close(&r);
	unlink(path);
}

/* --- Behaviour measured on Hercules 3.13 -------------------------------------- */

/* A WRITE DATA shorter than the record pads it with zeros and reports no
 * incorrect length; a search with a short count compares only those bytes
 * and does not allow a write after it. */
static void short_counts_body(struct rig *r)
{
	struct prog p;
	u64 search, buf, data = area(r, 100);
	static const u8 zero[BLK - 100];

	format_track(r, 0, 12, 8, BLK, 12);
	memset(host(r, data, 100), 0x77, 100);
	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 12));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(r, 0, 12, 7));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_WRITE_DATA, 0, 100, data);
	run_expect(&p, CE_DE, 0);
	buf = classic_read(r, 0, 12, 7, BLK);
	CU_ASSERT(memcmp(host(r, buf, 100), host(r, data, 100), 100) == 0);
	CU_ASSERT(memcmp(host(r, buf + 100, BLK - 100), zero, BLK - 100) == 0);

	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 0, 12));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 4, id_arg(r, 0, 12, 3));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_WRITE_DATA, SLI, BLK, area(r, BLK));
	run_uc(&p, 0x80, 0, DASD_SENSE7_INVALID_SEQUENCE);
}

static void test_short_counts(enum sim_profile p)
{
	each_completion(p, short_counts_body);
}
BOTH_PROFILES(test_short_counts)

/* WRITE DATA writes the record Locate Record found; a second one in the
 * same domain is out of place: command reject after its data moved
 * (residual 0), and the first record is written. */
static void second_write_data_body(struct rig *r)
{
	struct prog p;
	u64 a = area(r, BLK), b = area(r, BLK), buf;
	u64 last;

	format_track(r, 1, 1, RECS, BLK, 13);
	memset(host(r, a, BLK), 0x31, BLK);
	memset(host(r, b, BLK), 0x32, BLK);
	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_UPDATE_ONLY, DASD_GATTR_ECKD, BLK, 1, 1, 1, 1));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16, lr_arg(r, DASD_LR_WRITE_DATA, 0, 2, 1, 1, 3, 0));
	ccw(&p, DASD_CMD_WRITE_DATA, CC, BLK, a);
	last = ccw(&p, DASD_CMD_WRITE_DATA, 0, BLK, b);
	CU_ASSERT_EQUAL(run_expect(&p, CE_DE_UC, 0), last + 8);
	buf = eckd_read(r, 1, 1, 3, 2, BLK);
	CU_ASSERT(memcmp(host(r, buf, BLK), host(r, a, BLK), BLK) == 0);
	CU_ASSERT(is_pattern(host(r, buf + BLK, BLK), 13, 1, 1, 4, BLK));
}

static void test_second_write_data(enum sim_profile p)
{
	each_completion(p, second_write_data_body);
}
BOTH_PROFILES(test_second_write_data)

/* A record with no data (an end-of-file record) reads with unit exception,
 * which ends the chain. */
static void eof_record_body(struct rig *r)
{
	struct prog p;
	u64 search, rec = area(r, 8);
	u8 *c = host(r, rec, 8);
	u8 r0[16] = { 0, 1, 0, 3, 0, 0, 0, 8 };

	c[1] = 1;
	c[3] = 3;
	c[4] = 1; /* CCHHR 0001 0003 01, no key, no data */
	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_ALLOW_WRITE, DASD_GATTR_ECKD, 512, 1, 3, 1, 3));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16,
	    lr_arg(r, DASD_LR_ORIENT_HOME | DASD_LR_FORMAT_WRITE, 0, 2, 1, 3, 0, 0));
	ccw(&p, DASD_CMD_WRITE_R0, CC, 16, put(r, r0, 16));
	ccw(&p, DASD_CMD_WRITE_CKD, 0, 8, rec);
	run_expect(&p, CE_DE, 0);

	prog_new(&p, r, 5);
	ccw(&p, DASD_CMD_SEEK, CC, 6, seek_arg(r, 1, 3));
	search = ccw(&p, DASD_CMD_SEARCH_ID_EQ, CC, 5, id_arg(r, 1, 3, 1));
	ccw(&p, CCW_CMD_TIC, 0, 0, search);
	ccw(&p, DASD_CMD_READ_DATA, CC | SLI, 64, area(r, 64));
	ccw(&p, DASD_CMD_READ_DATA, 0, 512, area(r, 512));
	CU_ASSERT_EQUAL(run_expect(&p, CE_DE | SCSW_DSTAT_UNIT_EXCEP, 64), p.at + 32);
}

static void test_eof_record(enum sim_profile p)
{
	each_completion(p, eof_record_body);
}
BOTH_PROFILES(test_eof_record)

/* Two READ TRACKs under one Locate Record (read tracks, count 2) read two
 * consecutive tracks; WRITE CKD NEXT TRACK writes the next track's first
 * record in a format write domain. */
static void track_ops_body(struct rig *r)
{
	struct prog p;
	u64 t0 = area(r, 4096), t1 = area(r, 4096), buf;
	const u8 *c;

	format_track(r, 1, 8, 2, 1000, 14);
	format_track(r, 1, 9, 3, 500, 15);
	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_INHIBIT_WRITE, DASD_GATTR_ECKD, 0, 1, 0, 1, 14));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16, lr_arg(r, DASD_LR_READ_TRACKS, 0, 2, 1, 8, 0, 0));
	ccw(&p, DASD_CMD_READ_TRACK, CC | SLI, 4096, t0);
	ccw(&p, DASD_CMD_READ_TRACK, SLI, 4096, t1);
	/* After Locate Record found R0, the first track's records follow it. */
	run_expect(&p, CE_DE, (u16)(4096 - (16 + 3 * 508 + 8)));
	c = host(r, t0, 16 + 2 * 1008 + 8);
	CU_ASSERT(c[4] == 1 && is_pattern(c + 8, 14, 1, 8, 1, 1000));
	CU_ASSERT(c[1008 + 4] == 2);
	CU_ASSERT(memcmp(c + 2 * 1008, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 8) == 0);
	c = host(r, t1, 16 + 3 * 508 + 8);
	CU_ASSERT(c[4] == 0 && c[16 + 4] == 1 && is_pattern(c + 24, 15, 1, 9, 1, 500));

	prog_new(&p, r, 4);
	ccw(&p, DASD_CMD_DEFINE_EXTENT, CC, 16,
	    dx_arg(r, DASD_MASK_ALLOW_WRITE, DASD_GATTR_ECKD, 1000, 1, 8, 1, 9));
	ccw(&p, DASD_CMD_LOCATE_RECORD, CC, 16, lr_arg(r, DASD_LR_FORMAT_WRITE, 0, 2, 1, 8, 0, 0));
	ccw(&p, DASD_CMD_WRITE_CKD, CC, 8 + 1000, ckd_record(r, 16, 1, 8, 1, 1000));
	ccw(&p, DASD_CMD_WRITE_CKD_NEXT, 0, 8 + 1000, ckd_record(r, 16, 1, 9, 1, 1000));
	run_expect(&p, CE_DE, 0);
	buf = eckd_read(r, 1, 8, 1, 2, 1000);
	CU_ASSERT(is_pattern(host(r, buf, 1000), 16, 1, 8, 1, 1000));
	CU_ASSERT(is_pattern(host(r, buf + 1000, 1000), 16, 1, 9, 1, 1000));
}

static void test_track_ops(enum sim_profile p)
{
	each_completion(p, track_ops_body);
}
BOTH_PROFILES(test_track_ops)

static CU_TestInfo sim_dasd_tests[] = {
	BOTH("SENSE ID: FF 3990 C2 3390 02 00 and CIW 40 FA 0100 (12 bytes)", test_sense_id),
	BOTH("RDC: Hercules' 64 bytes for a 3390 with the image's cylinders", test_rdc),
	{ "RCD: 256 bytes of node descriptors naming the 3390", test_rcd },
	BOTH("chain A: seek, search ID equal + TIC, read key and data as measured", test_chain_a),
	BOTH("chain B: define extent, locate record, read data MT as measured", test_chain_b),
	BOTH("chain C: seek, read R0 gives the standard R0", test_chain_c),
	BOTH("format write of R0 and 12 x 4 KiB reads back by ECKD and classic chains", test_format),
	BOTH("read HA, count, CKD, multiple CKD and read track return the track's fields", test_read_kinds),
	BOTH("write data / write update data change exactly the records located", test_write_data),
	BOTH("multitrack reads cross into the next track (ECKD and classic)", test_multitrack),
	BOTH("classic search + write data and write CKD after the last record", test_classic_write),
	BOTH("search key equal, search ID high, status modifier of a lone match", test_search_kinds),
	BOTH("unknown command and RECALIBRATE: CE DE UC, command reject, measured sense", test_unknown),
	BOTH("seek or locate outside the extent or against the file mask: file protected", test_extent),
	BOTH("no record found by locate record and by a bounded search loop", test_nrf),
	BOTH("writes the file mask inhibits are rejected and change nothing", test_inhibit),
	BOTH("locate without define extent, read without seek, bad parameters, open domain", test_sequence),
	BOTH("a record beyond the 3390 track capacity is invalid track format", test_too_large),
	BOTH("multitrack past the last head is end of cylinder", test_eoc),
	{ "read-only image: writes give equipment check + write inhibited, file unchanged",
	  test_read_only },
	{ "device gone mid-program: cc 3, written data kept, back again it works", test_unplug },
	{ "written data is in the file after sim_dasd_sync and after sim_destroy", test_durable },
	{ "sim_ckd_create writes the same bytes as dasdinit", test_same_as_dasdinit },
	{ "a dasdinit volume: VOL1 serial read, written data survives reopening",
	  test_dasdinit_round_trip },
	{ "probe: geometry of good images, reasons for bad ones", test_probe },
	{ "a corrupt track gives equipment check or invalid track format", test_corrupt_track },
	{ "3000 random channel programs all end with status", test_random_programs },
	BOTH("Hercules: a short write pads with zeros; a short search allows no write", test_short_counts),
	BOTH("Hercules: a second WRITE DATA in a domain is rejected after its data moved", test_second_write_data),
	BOTH("an end-of-file record reads with unit exception, which ends the chain", test_eof_record),
	BOTH("two READ TRACKs read two tracks; WRITE CKD NEXT TRACK writes the next one", test_track_ops),
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo sim_dasd_suite = { "sim-dasd", NULL, NULL, NULL, NULL, sim_dasd_tests };
