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
static bool rig_init_q(struct rig *g, int revision, unsigned queues)
{
	struct sim_dev_config dev = unit_dev(0x0010);
	struct sim_scsi_opts o = { .nluns = 3, .num_queues = queues };
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

static bool rig_init(struct rig *g, int revision)
{
	return rig_init_q(g, revision, 0);
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
	CU_ASSERT_EQUAL(g.s.req[0]->len_clamped, 0u);
	CU_ASSERT_EQUAL(vscsi_write(&g.s, d, 1000, 64, buf), 0);
	/* The device reported the data-out in the used length, as QEMU does:
	 * taken as the writable bytes, not a broken queue. */
	CU_ASSERT_EQUAL(g.s.req[0]->len_clamped, 1u);
	CU_ASSERT_EQUAL(vscsi_sync(&g.s, d), 0);
	f = fopen(g.path[0], "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 1000 * 512, SEEK_SET);
	CU_ASSERT(fread(g.img[0], 1, 64 * 512, f) == 64 * 512);
	fclose(f);
	CU_ASSERT(memcmp(g.img[0], w, 64 * 512) == 0);
	free(w);
	/* The 16-byte forms, which the driver uses past 32-bit LBAs: READ (16)
	 * and WRITE (16) given by hand, byte for byte; the driver's own READ
	 * (16) for a block past 2^32 of a disk said to be that large, which the
	 * device refuses by its real size. */
	{
		u8 r16[16] = { 0x88 }, w16[16] = { 0x8A }, cap10[10] = { 0x25 };
		struct vscsi_lun big = *d;
		u32 done = 0;

		put_be32(w16 + 6, 2000);
		put_be32(w16 + 10, 4);
		memset(buf, 0x5A, 4 * 512);
		CU_ASSERT_EQUAL(vscsi_command(&g.s, 0, 0, w16, 16, buf, 4 * 512, VSCSI_OUT, &done), 0);
		CU_ASSERT_EQUAL(done, 4u * 512);
		put_be32(r16 + 6, 2000);
		put_be32(r16 + 10, 4);
		memset(buf, 0, 4 * 512);
		CU_ASSERT_EQUAL(vscsi_command(&g.s, 0, 0, r16, 16, buf, 4 * 512, VSCSI_IN, &done), 0);
		CU_ASSERT_EQUAL(done, 4u * 512);
		CU_ASSERT(buf[0] == 0x5A && buf[4 * 512 - 1] == 0x5A);
		big.blocks = 1ull << 33;
		CU_ASSERT_EQUAL(vscsi_read(&g.s, &big, (1ull << 32) + 5, 1, buf), -VERR_IO);
		says(g.s.why, "command 0x88: illegal request, logical block address out of range");
		/* READ CAPACITY (10), the driver's fallback. */
		CU_ASSERT_EQUAL(vscsi_command(&g.s, 0, 0, cap10, 10, buf, 8, VSCSI_IN, &done), 0);
		CU_ASSERT_EQUAL(done, 8u);
		CU_ASSERT_EQUAL(get_be32(buf), DISK_BYTES / 512 - 1);
		CU_ASSERT_EQUAL(get_be32(buf + 4), 512u);
	}
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

/*
 * Many commands in flight across three request queues: each slot's READ on
 * its own blocks, the queues all used, the depth kept (-VERR_AGAIN past
 * it), every completion's cookie and data checked; a synchronous call
 * refused while the caller has commands in flight.
 */
static void test_in_flight(void)
{
	struct rig g;
	const struct vscsi_lun *d;
	u8 *buf;
	bool seen[VSCSI_SLOTS] = { false };
	unsigned n = 0, got = 0;

	if (!rig_init_q(&g, -1, 3)) {
		rig_fini(&g);
		CU_FAIL_FATAL("rig");
	}
	CU_ASSERT_EQUAL(g.s.num_queues, 3u);
	CU_ASSERT_EQUAL(g.s.nreq, 3u);
	CU_ASSERT_EQUAL_FATAL(scan(&g), 0);
	d = lun_at(&g.s, 0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_FATAL(g.s.depth > 3 && g.s.depth <= VSCSI_SLOTS);
	buf = port_dma_alloc((size_t)VSCSI_SLOTS * 8 * 512, 4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	while (vscsi_submit(&g.s, d, false, 8ull * n + 3, 8, buf + (size_t)n * 8 * 512,
			    &seen[n]) == 0)
		n++;
	CU_ASSERT_EQUAL(n, g.s.depth);
	CU_ASSERT_EQUAL(vscsi_submit(&g.s, d, false, 0, 1, buf, NULL), -VERR_AGAIN);
	for (unsigned q = 0; q < g.s.nreq; q++)
		CU_ASSERT(g.s.req[q]->in_flight > 0);
	CU_ASSERT_EQUAL(vscsi_read(&g.s, d, 0, 1, buf), -VERR_BUSY);
	CU_ASSERT_EQUAL(vscsi_kick(&g.s), 0);
	for (unsigned tries = 0; got < n && tries < 100; tries++) {
		void *cookie;
		int result, rc;

		while ((rc = vscsi_complete(&g.s, &cookie, &result)) == 1) {
			bool *flag = cookie;
			unsigned k = (unsigned)(flag - seen);

			CU_ASSERT_EQUAL(result, 0);
			CU_ASSERT_FATAL(k < n && !seen[k]);
			seen[k] = true;
			CU_ASSERT(memcmp(buf + (size_t)k * 8 * 512, g.img[0] + (8ull * k + 3) * 512,
					 8 * 512) == 0);
			got++;
		}
		CU_ASSERT(rc >= 0);
		if (got < n)
			vscsi_wait(&g.s, port_now_us() + 1000000);
	}
	CU_ASSERT_EQUAL(got, n);
	CU_ASSERT_EQUAL(g.s.in_flight, 0u);
	/* The synchronous read spreads its commands too: 4 MiB in 32 KiB pieces
	 * would be 128 commands; max_sectors lets one carry it. */
	CU_ASSERT_EQUAL(vscsi_read(&g.s, d, 0, 64, buf), 0);
	CU_ASSERT(memcmp(buf, g.img[0], 64 * 512) == 0);
	rig_fini(&g);
}

/*
 * Hot-plug (F_HOTPLUG): a unit plugged, then one unplugged, each a
 * transport-reset event with its address, and a scan finds the change;
 * five plugs with four event buffers: the fifth is dropped and an event
 * with EVENTS_MISSED follows when the buffers come back.
 */
static void test_hotplug(void)
{
	static const u8 tur[6] = { 0 };
	struct rig g;
	const struct vscsi_lun *l;
	char path[128], why[SIM_WHY_LEN] = "";
	struct sim_scsi_lun nl;
	u8 *buf;
	int fd;

	if (!rig_init(&g, -1)) {
		rig_fini(&g);
		CU_FAIL_FATAL("rig");
	}
	CU_ASSERT_EQUAL_FATAL(scan(&g), 0);
	CU_ASSERT_EQUAL(vscsi_events(&g.s), 0);
	CU_ASSERT_FALSE(g.s.changed);
	unit_temp_template(path, sizeof(path), "test-vscsi-plug");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, g.img[1], 65536) == 65536);
	close(fd);
	nl = (struct sim_scsi_lun){ .path = path, .target = 4, .lun = 1 };
	CU_ASSERT_EQUAL_FATAL(sim_scsi_plug(g.sim, g.schid, &nl, why), 0);
	CU_ASSERT_EQUAL(vscsi_events(&g.s), 1);
	CU_ASSERT(g.s.changed);
	CU_ASSERT_EQUAL(g.s.ev_target, 4);
	CU_ASSERT_EQUAL(g.s.ev_lun, 1);
	CU_ASSERT_FALSE(g.s.ev_removed);
	/* As QEMU 7.2 (measured): the next command on the bus reports the
	 * change once, whatever unit it goes to. */
	CU_ASSERT_EQUAL(vscsi_command(&g.s, 0, 0, tur, 6, NULL, 0, VSCSI_NONE, NULL), -VERR_IO);
	says(g.s.why, "unit attention, reported LUNs data has changed");
	CU_ASSERT_EQUAL(vscsi_command(&g.s, 2, 0, tur, 6, NULL, 0, VSCSI_NONE, NULL), 0);
	g.s.changed = false;
	CU_ASSERT_EQUAL_FATAL(scan(&g), 0);
	CU_ASSERT_EQUAL(g.s.nluns, 4u);
	l = lun_at(&g.s, 4, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL(l->blocks, 128u);
	buf = port_dma_alloc(65536, 4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(vscsi_read(&g.s, l, 0, 128, buf), 0);
	CU_ASSERT(memcmp(buf, g.img[1], 65536) == 0);
	/* Unplugged: the event, and the unit gone from the next scan. */
	CU_ASSERT_EQUAL_FATAL(sim_scsi_unplug(g.sim, g.schid, 2, 5, why), 0);
	CU_ASSERT_EQUAL(vscsi_events(&g.s), 1);
	CU_ASSERT(g.s.changed && g.s.ev_removed);
	CU_ASSERT_EQUAL(g.s.ev_target, 2);
	CU_ASSERT_EQUAL(g.s.ev_lun, 5);
	/* REPORT LUNS (the scan's first command) takes the attention away. */
	CU_ASSERT_EQUAL_FATAL(scan(&g), 0);
	CU_ASSERT_EQUAL(vscsi_command(&g.s, 0, 0, tur, 6, NULL, 0, VSCSI_NONE, NULL), 0);
	CU_ASSERT_EQUAL(g.s.nluns, 3u);
	CU_ASSERT_PTR_NULL(lun_at(&g.s, 2, 5));
	CU_ASSERT_EQUAL(sim_scsi_unplug(g.sim, g.schid, 2, 5, why), SIM_ERR);
	says(why, "no LUN 2:5");
	/* Five events, four buffers: one dropped, then EVENTS_MISSED. */
	for (unsigned i = 0; i < 5; i++) {
		nl = (struct sim_scsi_lun){ .path = path, .target = 10 + i, .lun = 0 };
		CU_ASSERT_EQUAL(sim_scsi_plug(g.sim, g.schid, &nl, why), 0);
	}
	g.s.nevents = 0;
	CU_ASSERT_EQUAL(vscsi_events(&g.s), VSCSI_EVENTS);
	CU_ASSERT_EQUAL(vscsi_events(&g.s), 1);
	CU_ASSERT_EQUAL(g.s.nevents, VSCSI_EVENTS + 1);
	CU_ASSERT_EQUAL_FATAL(scan(&g), 0);
	CU_ASSERT_EQUAL(g.s.nluns, 8u);
	CU_ASSERT_PTR_NOT_NULL(lun_at(&g.s, 14, 0));
	unlink(path);
	rig_fini(&g);
}

/* A CD-ROM drive without a disc: found, no capacity, NOT READY, MEDIUM
 * NOT PRESENT in words. */
static void test_no_medium(void)
{
	struct sim_dev_config dev = unit_dev(0x0011);
	struct sim_scsi_opts o = { .nluns = 1 };
	char why[SIM_WHY_LEN] = "";
	u8 tur[6] = { 0 };
	struct rig g;
	u32 schid;

	memset(&g, 0, sizeof(g));
	o.lun[0] = (struct sim_scsi_lun){ .path = NULL, .target = 1, .lun = 0, .cdrom = true };
	g.sim = drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, RIG_MEM, true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g.sim);
	CU_ASSERT_FATAL(drvrig_attached(sim_vdev_scsi(g.sim, &dev, NULL, &o, why), "sim_vdev_scsi",
					why, &schid));
	CU_ASSERT_FATAL(drvrig_bind(g.sim, &g.css));
	g.v = drvrig_transport();
	CU_ASSERT_FATAL(g.v && !drvrig_vccw_init(g.v, &g.css, schid, VIRTIO_ID_SCSI));
	CU_ASSERT_EQUAL_FATAL(vscsi_init(&g.s, vccw_virtio(g.v)), 0);
	CU_ASSERT_EQUAL_FATAL(scan(&g), 0);
	CU_ASSERT_EQUAL_FATAL(g.s.nluns, 1u);
	CU_ASSERT_EQUAL(g.s.luns[0].type, SCSI_TYPE_CDROM);
	CU_ASSERT_EQUAL(g.s.luns[0].blk_size, 0u);
	CU_ASSERT_EQUAL(vscsi_command(&g.s, 1, 0, tur, 6, NULL, 0, VSCSI_NONE, NULL), -VERR_IO);
	says(g.s.why, "not ready, medium not present");
	drvrig_close(&g.sim);
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
	{ "many commands in flight over three request queues", test_in_flight },
	{ "hot-plug events, a dropped one", test_hotplug },
	{ "a CD-ROM drive without a disc", test_no_medium },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vscsi_suite = { "vscsi", NULL, NULL, NULL, NULL, vscsi_tests };
