/*
 * The virtio-scsi driver (devices/vscsi.c) against the simulated adapter
 * (sim/dev_scsi.c): discovery of disks and a CD-ROM on several targets and
 * LUNs, the unit attention after reset, capacities, reads and writes
 * checked in the files, and each sense path in words: a block past the
 * end, an opcode the device does not know, a write to a read-only disk and
 * to a CD-ROM, a LUN that is not there, a target that is not there. Both
 * byte orders of the transport (revision 0 is legacy, big-endian).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccw/port.h"
#include "devices/vscsi.h"
#include "sim/dev_scsi.h"
#include "tests/prng.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"

#define RIG_MEM (32u << 20)
#define DISK_BYTES (4u << 20)
#define CD_BYTES (2u << 20)

struct rig {
	struct sim *sim;
	struct css css;
	struct vccw *v;
	u32 schid;
	struct vscsi s;
	char path[3][128];
	u8 *img[3];
};

static void image(struct rig *g, unsigned i, size_t len, u64 seed)
{
	int fd;

	unit_temp_template(g->path[i], sizeof(g->path[i]), "test-vscsi");
	fd = mkstemp(g->path[i]);
	CU_ASSERT_FATAL(fd >= 0);
	g->img[i] = malloc(len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g->img[i]);
	prng_fill(g->img[i], len, &seed);
	CU_ASSERT_FATAL(write(fd, g->img[i], len) == (ssize_t)len);
	close(fd);
}

/*
 * A disk at 0:0, a read-only disk at 2:5, a CD-ROM at 2:0; the adapter
 * brought up at the given revision (-1: the transport's default).
 */
static bool rig_init(struct rig *g, int revision)
{
	struct sim_dev_config dev = unit_dev(0x0010);
	struct sim_scsi_opts o = { .nluns = 3 };
	struct sim_vccw_config t;
	char why[SIM_WHY_LEN] = "";
	int err;

	memset(g, 0, sizeof(*g));
	sim_vdev_default_transport(&t);
	image(g, 0, DISK_BYTES, 1);
	image(g, 1, DISK_BYTES, 2);
	image(g, 2, CD_BYTES, 3);
	o.lun[0] = (struct sim_scsi_lun){ .path = g->path[0], .target = 0, .lun = 0 };
	o.lun[1] = (struct sim_scsi_lun){ .path = g->path[1], .target = 2, .lun = 5, .read_only = true };
	o.lun[2] = (struct sim_scsi_lun){ .path = g->path[2], .target = 2, .lun = 0, .cdrom = true };
	if (revision >= 0)
		t.max_revision = revision;
	g->sim = drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, RIG_MEM, true);
	if (!g->sim)
		return false;
	if (!drvrig_attached(sim_vdev_scsi(g->sim, &dev, &t, &o, why), "sim_vdev_scsi", why,
			     &g->schid) ||
	    !drvrig_bind(g->sim, &g->css))
		return false;
	g->v = drvrig_transport();
	if (!g->v || drvrig_vccw_init(g->v, &g->css, g->schid, VIRTIO_ID_SCSI))
		return false;
	err = vscsi_init(&g->s, vccw_virtio(g->v));
	if (err)
		fprintf(stderr, "vscsi_init: %s\n", g->s.why);
	return err == 0;
}

static void rig_fini(struct rig *g)
{
	drvrig_close(&g->sim);
	for (unsigned i = 0; i < 3; i++) {
		unlink(g->path[i]);
		free(g->img[i]);
	}
}

/* Discovery, its reason shown when it fails. */
static int scan(struct rig *g)
{
	int err = vscsi_scan(&g->s);

	if (err)
		fprintf(stderr, "vscsi_scan: %s\n", g->s.why);
	return err;
}

static const struct vscsi_lun *lun_at(const struct vscsi *s, u8 target, u16 lun)
{
	for (unsigned i = 0; i < s->nluns; i++)
		if (s->luns[i].target == target && s->luns[i].lun == lun)
			return &s->luns[i];
	return NULL;
}

static void says(const char *got, const char *want)
{
	if (!strstr(got, want)) {
		fprintf(stderr, "wanted \"%s\", got \"%s\"\n", want, got);
		CU_FAIL("the reason");
	}
}

/* Configuration, discovery and capacities, at revisions 0 (legacy) and 2. */
static void test_discovery(void)
{
	static const int revs[] = { 0, 2 };

	for (unsigned r = 0; r < ARRAY_SIZE(revs); r++) {
		struct rig g;
		const struct vscsi_lun *d, *ro, *cd;

		if (!rig_init(&g, revs[r])) {
			rig_fini(&g);
			CU_FAIL_FATAL("rig");
		}
		CU_ASSERT_EQUAL(g.s.num_queues, 1u);
		CU_ASSERT_EQUAL(g.s.max_target, 255u);
		CU_ASSERT_EQUAL(g.s.max_lun, 16383u);
		CU_ASSERT_EQUAL(g.s.cdb_size, 32u);
		CU_ASSERT_EQUAL(g.s.sense_size, 96u);
		CU_ASSERT(g.s.hotplug);
		CU_ASSERT_EQUAL_FATAL(scan(&g), 0);
		CU_ASSERT_EQUAL(g.s.nluns, 3u);
		d = lun_at(&g.s, 0, 0);
		ro = lun_at(&g.s, 2, 5);
		cd = lun_at(&g.s, 2, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ro);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cd);
		CU_ASSERT_EQUAL(d->type, SCSI_TYPE_DISK);
		CU_ASSERT_EQUAL(d->blk_size, 512u);
		CU_ASSERT_EQUAL(d->blocks, DISK_BYTES / 512);
		CU_ASSERT_STRING_EQUAL(d->vendor, "QEMU");
		CU_ASSERT_STRING_EQUAL(d->product, "QEMU HARDDISK");
		CU_ASSERT_EQUAL(cd->type, SCSI_TYPE_CDROM);
		CU_ASSERT(cd->removable);
		CU_ASSERT_EQUAL(cd->blk_size, 2048u);
		CU_ASSERT_EQUAL(cd->blocks, CD_BYTES / 2048);
		CU_ASSERT_STRING_EQUAL(scsi_type_name(cd->type), "CD-ROM");
		CU_ASSERT_EQUAL(ro->blocks, DISK_BYTES / 512);
		rig_fini(&g);
	}
}

/* Reads and writes, byte for byte with the files, across max_sectors. */
static void test_io(void)
{
	struct rig g;
	const struct vscsi_lun *d, *cd;
	u8 *buf, *w;
	FILE *f;

	if (!rig_init(&g, -1)) {
		rig_fini(&g);
		CU_FAIL_FATAL("rig");
	}
	CU_ASSERT_EQUAL_FATAL(scan(&g), 0);
	d = lun_at(&g.s, 0, 0);
	cd = lun_at(&g.s, 2, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cd);
	buf = port_dma_alloc(DISK_BYTES, 4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	/* The whole disk in one call (the driver splits it by max_sectors). */
	CU_ASSERT_EQUAL(vscsi_read(&g.s, d, 0, DISK_BYTES / 512, buf), 0);
	CU_ASSERT(memcmp(buf, g.img[0], DISK_BYTES) == 0);
	CU_ASSERT_EQUAL(vscsi_read(&g.s, cd, 3, 10, buf), 0);
	CU_ASSERT(memcmp(buf, g.img[2] + 3 * 2048, 10 * 2048) == 0);
	/* A write, then the file. */
	w = malloc(64 * 512);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	{
		u64 seed = 77;

		prng_fill(buf, 64 * 512, &seed);
	}
	memcpy(w, buf, 64 * 512);
	CU_ASSERT_EQUAL(vscsi_write(&g.s, d, 1000, 64, buf), 0);
	CU_ASSERT_EQUAL(vscsi_sync(&g.s, d), 0);
	f = fopen(g.path[0], "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 1000 * 512, SEEK_SET);
	CU_ASSERT(fread(g.img[0], 1, 64 * 512, f) == 64 * 512);
	fclose(f);
	CU_ASSERT(memcmp(g.img[0], w, 64 * 512) == 0);
	free(w);
	rig_fini(&g);
}

/* Each sense path, in words; the unit attention of a reset taken. */
static void test_sense(void)
{
	struct rig g;
	const struct vscsi_lun *d, *ro, *cd;
	struct vscsi_lun past;
	u8 *buf;
	u8 bad[6] = { 0xC7 };
	u8 tur[6] = { 0 };

	if (!rig_init(&g, -1)) {
		rig_fini(&g);
		CU_FAIL_FATAL("rig");
	}
	/* Before discovery every LUN holds the unit attention of the reset. */
	CU_ASSERT_EQUAL(vscsi_command(&g.s, 0, 0, tur, 6, NULL, 0, VSCSI_NONE, NULL), -VERR_IO);
	CU_ASSERT_EQUAL(g.s.sense.key, SCSI_KEY_UNIT_ATTENTION);
	says(g.s.why, "unit attention, power on, reset, or bus device reset occurred");
	CU_ASSERT_EQUAL(vscsi_command(&g.s, 0, 0, tur, 6, NULL, 0, VSCSI_NONE, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(scan(&g), 0);
	d = lun_at(&g.s, 0, 0);
	ro = lun_at(&g.s, 2, 5);
	cd = lun_at(&g.s, 2, 0);
	CU_ASSERT_FATAL(d && ro && cd);
	buf = port_dma_alloc(8192, 4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);

	/* A block past the end: the driver refuses it itself... */
	CU_ASSERT_EQUAL(vscsi_read(&g.s, d, d->blocks, 1, buf), -VERR_RANGE);
	/* ...and the device, when the driver is told a larger disk. */
	past = *d;
	past.blocks += 100;
	CU_ASSERT_EQUAL(vscsi_read(&g.s, &past, d->blocks, 1, buf), -VERR_IO);
	CU_ASSERT_EQUAL(g.s.sense.key, SCSI_KEY_ILLEGAL_REQUEST);
	says(g.s.why, "0:0: command 0x28: illegal request, logical block address out of range");
	CU_ASSERT_EQUAL(vscsi_command(&g.s, 0, 0, bad, 6, NULL, 0, VSCSI_NONE, NULL), -VERR_IO);
	says(g.s.why, "illegal request, invalid command operation code");
	CU_ASSERT_EQUAL(vscsi_write(&g.s, ro, 0, 1, buf), -VERR_IO);
	CU_ASSERT_EQUAL(g.s.sense.key, SCSI_KEY_DATA_PROTECT);
	says(g.s.why, "2:5: command 0x2a: data protect, write protected");
	CU_ASSERT_EQUAL(vscsi_write(&g.s, cd, 0, 1, buf), -VERR_IO);
	says(g.s.why, "data protect, write protected");
	/* A LUN that is not there on a target that is; a target that is not. */
	CU_ASSERT_EQUAL(vscsi_command(&g.s, 2, 7, tur, 6, NULL, 0, VSCSI_NONE, NULL), -VERR_IO);
	says(g.s.why, "illegal request, logical unit not supported");
	CU_ASSERT_EQUAL(vscsi_command(&g.s, 9, 0, tur, 6, NULL, 0, VSCSI_NONE, NULL), -VERR_NODEV);
	says(g.s.why, "bad target");
	/* The device still works after all of it. */
	CU_ASSERT_EQUAL(vscsi_read(&g.s, d, 0, 2, buf), 0);
	CU_ASSERT(memcmp(buf, g.img[0], 1024) == 0);
	rig_fini(&g);
}

/* Sense data in both formats, known and unknown codes. */
static void test_sense_words(void)
{
	u8 fixed[18] = { 0x70, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3A, 0x00 };
	u8 desc[8] = { 0x72, 0x05, 0x24, 0x00 };
	u8 odd[18] = { 0x70, 0, 0x03, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x99, 0x42 };
	struct scsi_sense s;
	char w[120];

	s = scsi_sense_decode(fixed, sizeof(fixed));
	scsi_sense_str(&s, w, sizeof(w));
	CU_ASSERT_STRING_EQUAL(w, "not ready, medium not present");
	s = scsi_sense_decode(desc, sizeof(desc));
	scsi_sense_str(&s, w, sizeof(w));
	CU_ASSERT_STRING_EQUAL(w, "illegal request, invalid field in CDB");
	s = scsi_sense_decode(odd, sizeof(odd));
	scsi_sense_str(&s, w, sizeof(w));
	CU_ASSERT_STRING_EQUAL(w, "medium error, ASC 0x99 ASCQ 0x42");
	s = scsi_sense_decode(fixed, 5);
	CU_ASSERT_FALSE(s.valid);
	scsi_sense_str(&s, w, sizeof(w));
	CU_ASSERT_STRING_EQUAL(w, "no sense data");
}

static CU_TestInfo vscsi_tests[] = {
	{ "configuration and discovery, revisions 0 and 2", test_discovery },
	{ "reads and writes byte for byte", test_io },
	{ "every sense path in words", test_sense },
	{ "sense data decoded", test_sense_words },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vscsi_suite = { "vscsi", NULL, NULL, NULL, NULL, vscsi_tests };
