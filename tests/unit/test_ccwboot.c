/*
 * ccwboot's loader (boot/ccwboot.c) on the simulator: virtio-blk disks made
 * by the disk builder (tools/bootdisk.c) and by hand, the boot device named
 * or found by a scan, the loadparm, and each way a disk can be wrong, with
 * the line ccwboot prints for it. The machine is QEMU's profile; the
 * loader's DMA memory sits where QEMU puts the BIOS, as in the host
 * program (boot/host/ccwboot.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot/ccwboot.h"
#include "boot/host/host.h"
#include "boot/linux_hw.h"
#include "ccw/port.h"
#include "devices/vblk.h"
#include "sim/dev_scsi.h"
#include "sim/vdev.h"
#include "tests/prng.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"
#include "tools/bootdisk.h"

#define MEM (64u << 20)
#define MAXDISKS 4

struct rig {
	struct sim *sim;
	struct css css;
	struct cb_env env;
	struct cb_boot b;
	char why[256];
	char path[MAXDISKS][128];
	unsigned ndisks;
};

/* The loader's memory on the machine. */
static void *mem(u64 addr, u64 len)
{
	return drvrig_mem(addr, len);
}

/* A disk image file from bytes. */
static void disk_file(struct rig *r, const u8 *img, size_t len)
{
	char *path = r->path[r->ndisks++];
	int fd;

	unit_temp_template(path, sizeof(r->path[0]), "test-ccwboot");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, img, len) == (ssize_t)len);
	close(fd);
}

/*
 * The machine with the disks so far (device numbers 0.0.0001 up, block
 * size bs), the port bound with DMA memory at the loader's place.
 */
static void machine(struct rig *r, u32 bs)
{
	r->sim = drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, MEM, true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->sim);
	for (unsigned i = 0; i < r->ndisks; i++) {
		struct sim_dev_config dev = unit_dev((u16)(1 + i));
		struct sim_blk_opts o = { .path = r->path[i], .logical_block_size = bs,
					  .physical_block_size = bs };
		char why[SIM_WHY_LEN] = "";
		u32 schid;

		CU_ASSERT_FATAL(drvrig_attached(sim_vdev_blk(r->sim, &dev, NULL, &o, why),
						"sim_vdev_blk", why, &schid));
	}
	host_bind(r->sim);
	host_set_dma_base(cb_loader_base(MEM));
	drvrig_capture();
	CU_ASSERT_EQUAL_FATAL(css_init(&r->css), 0);
	r->env.css = &r->css;
	r->env.mem = mem;
	r->env.mem_size = MEM;
	r->env.loader_start = cb_loader_base(MEM);
	r->env.loader_end = r->env.loader_start + CB_LOADER_SPAN;
}

/* Boot device 0.0.devno (0: a scan) with loadparm lp. */
static int boot(struct rig *r, u16 devno, const char *lp)
{
	r->env.have_dev = devno != 0;
	r->env.pbt = CB_PBT_CCW;
	r->env.ssid = 0;
	r->env.devno = devno;
	snprintf(r->env.loadparm, sizeof(r->env.loadparm), "%s", lp);
	r->why[0] = '\0';
	return cb_load(&r->env, &r->b, r->why, sizeof(r->why));
}

/* Boot logical unit target:lun on the virtio-scsi adapter 0.0.devno, as
 * QEMU's SCSI block names it. */
static int boot_scsi(struct rig *r, u16 devno, u16 target, u32 lun, const char *lp)
{
	r->env.have_dev = true;
	r->env.pbt = CB_PBT_QEMU_SCSI;
	r->env.ssid = 0;
	r->env.devno = devno;
	r->env.scsi_target = target;
	r->env.scsi_lun = lun;
	snprintf(r->env.loadparm, sizeof(r->env.loadparm), "%s", lp);
	r->why[0] = '\0';
	return cb_load(&r->env, &r->b, r->why, sizeof(r->why));
}

static void rig_free(struct rig *r)
{
	if (r->b.v)
		cb_quiesce(&r->b, &r->env);
	drvrig_close(&r->sim);
	for (unsigned i = 0; i < r->ndisks; i++)
		unlink(r->path[i]);
	memset(r, 0, sizeof(*r));
}

static void says(struct rig *r, const char *what)
{
	if (!strstr(r->why, what)) {
		fprintf(stderr, "wanted \"%s\", got \"%s\"\n", what, r->why);
		CU_FAIL("the reason");
	}
}

static u8 *fill(size_t len, u64 seed)
{
	u8 *p = malloc(len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	prng_fill(p, len, &seed);
	return p;
}

/* --- Disks the builder writes ------------------------------------------------- */

/* Two entries: the default and loadparm 1 boot the first, 2 the second;
 * everything in memory as in the files, in 512- and 4096-byte blocks. */
static void test_entries(void)
{
	static const u32 sizes[] = { 512, 4096 };

	for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++) {
		size_t klen = 200000, ilen = 3u << 20, len;
		u8 *k = unit_fake_kernel(klen, 21, 4096), *ini = fill(ilen, 22), *img;
		struct bootdisk_entry e[2] = {
			{ .kernel = k, .kernel_len = klen, .initrd = ini, .initrd_len = ilen,
			  .append = "root=/dev/ram0 first" },
			{ .kernel = k, .kernel_len = klen, .append = "second" },
		};
		static const char *const lps[] = { "", "1", "2", "01" };
		struct rig r = { 0 };
		char why[200];

		img = bootdisk_build(e, 2, sizes[s], &len, why, sizeof(why));
		CU_ASSERT_PTR_NOT_NULL_FATAL(img);
		disk_file(&r, img, len);
		machine(&r, sizes[s]);
		for (unsigned i = 0; i < ARRAY_SIZE(lps); i++) {
			bool first = i != 2;
			u64 at = linux_initrd_addr(klen);
			const u8 *m;

			CU_ASSERT_EQUAL_FATAL(boot(&r, 1, lps[i]), 0);
			CU_ASSERT_EQUAL(r.b.how, CB_START_LINUX);
			CU_ASSERT_EQUAL(r.b.blk_size, sizes[s]);
			CU_ASSERT_EQUAL(r.b.entry, i == 3 ? 1u : i);
			CU_ASSERT_EQUAL(r.b.nentries, 3u);
			CU_ASSERT_EQUAL(r.b.prog.psw, LINUX_EXEC_PSW);
			CU_ASSERT_EQUAL(r.b.initrd_addr, first ? at : 0);
			CU_ASSERT_EQUAL(r.b.initrd_size, first ? ilen : 0);
			CU_ASSERT_EQUAL(r.b.cmdline_len, strlen(e[first ? 0 : 1].append));
			m = mem(LINUX_ENTRY, klen - LINUX_ENTRY);
			CU_ASSERT(memcmp(m, k + LINUX_ENTRY, LINUX_PARM_INITRD_START - LINUX_ENTRY) == 0);
			CU_ASSERT(memcmp(m + 0x2000, k + LINUX_ENTRY + 0x2000,
					 klen - LINUX_ENTRY - 0x2000) == 0);
			CU_ASSERT_STRING_EQUAL((const char *)mem(LINUX_CMDLINE, 1),
					       e[first ? 0 : 1].append);
			if (first)
				CU_ASSERT(memcmp(mem(at, ilen), ini, ilen) == 0);
			cb_quiesce(&r.b, &r.env);
			/* The device is reset and its subchannel disabled. */
			CU_ASSERT_PTR_NULL(r.b.v);
		}
		rig_free(&r);
		free(img);
		free(k);
		free(ini);
	}
}

/* The loadparm: a number too large for the table, letters, PROMPT. */
static void test_loadparm(void)
{
	size_t klen = 70000, len;
	u8 *k = unit_fake_kernel(klen, 5, 0), *img;
	struct bootdisk_entry e = { .kernel = k, .kernel_len = klen, .append = "x" };
	struct rig r = { 0 };
	char why[200];

	img = bootdisk_build(&e, 1, 512, &len, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	disk_file(&r, img, len);
	machine(&r, 512);
	CU_ASSERT_EQUAL(boot(&r, 1, "5"), -VERR_INVAL);
	says(&r, "0.0.0001: boot entry 5 does not exist: the program table in block 1 has 2");
	CU_ASSERT_EQUAL(boot(&r, 1, "AB"), -VERR_INVAL);
	says(&r, "loadparm \"AB\" is neither an entry number (0 to 30) nor PROMPT");
	/* PROMPT without a console to read. */
	CU_ASSERT_EQUAL(boot(&r, 1, "PROMPT"), -VERR_NOTSUP);
	says(&r, "loadparm PROMPT: there is no console to read");
	CU_ASSERT_EQUAL(boot(&r, 1, "31"), -VERR_INVAL);
	says(&r, "entry numbers go from 0 to 30");
	CU_ASSERT_EQUAL(boot(&r, 1, "1"), 0);
	rig_free(&r);
	free(img);
	free(k);
}

/* Without a named device the first bootable disk; a named one that is not
 * bootable is refused, not passed over. */
static void test_scan(void)
{
	size_t klen = 70000, len;
	u8 *k = unit_fake_kernel(klen, 6, 0), *img, *zero = calloc(1, 1 << 20);
	struct bootdisk_entry e = { .kernel = k, .kernel_len = klen, .append = "scan" };
	struct rig r = { 0 };
	char why[200];

	CU_ASSERT_PTR_NOT_NULL_FATAL(zero);
	img = bootdisk_build(&e, 1, 512, &len, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	disk_file(&r, zero, 1 << 20);
	disk_file(&r, img, len);
	machine(&r, 512);
	CU_ASSERT_EQUAL(boot(&r, 0, ""), 0);
	CU_ASSERT_EQUAL(r.b.devno, 2);
	/* The disk passed over is named, with why. */
	CU_ASSERT_STRING_EQUAL(drvrig_captured(), "ccwboot: 0.0.0001: block 0 holds no zIPL boot record\n");
	cb_quiesce(&r.b, &r.env);
	CU_ASSERT_EQUAL(boot(&r, 1, ""), -VERR_NOTSUP);
	says(&r, "0.0.0001: block 0 holds no zIPL boot record");
	CU_ASSERT_EQUAL(boot(&r, 7, ""), -VERR_NODEV);
	says(&r, "the IPL device 0.0.0007 does not exist");
	/* QEMU's SCSI block naming a virtio-blk disk. */
	r.env.pbt = CB_PBT_QEMU_SCSI;
	r.env.have_dev = true;
	r.env.devno = 2;
	CU_ASSERT_EQUAL(cb_load(&r.env, &r.b, r.why, sizeof(r.why)), -VERR_NOTSUP);
	says(&r, "the IPL names logical unit 0:0 on 0.0.0002, which is a virtio-blk, not a "
		 "virtio-scsi adapter");
	rig_free(&r);

	/* Only the blank disk: nothing to boot. */
	disk_file(&r, zero, 1 << 20);
	machine(&r, 512);
	CU_ASSERT_EQUAL(boot(&r, 0, ""), -VERR_NODEV);
	says(&r, "no bootable device: no disk holds a SCSI boot map");
	rig_free(&r);

	/* No disk at all. */
	machine(&r, 512);
	CU_ASSERT_EQUAL(boot(&r, 0, ""), -VERR_NODEV);
	says(&r, "no bootable device: there is no virtio-blk disk or virtio-scsi adapter");
	rig_free(&r);
	free(img);
	free(k);
	free(zero);
}

/* An EXEC PSW elsewhere than 0x10000 is started as zipl's entries are. */
static void test_psw_entry(void)
{
	size_t klen = 70000, len;
	u8 *k = unit_fake_kernel(klen, 7, 0), *img;
	struct bootdisk_entry e = { .kernel = k, .kernel_len = klen, .append = "kdump",
				    .psw = 0x0008000080010010ull };
	struct rig r = { 0 };
	char why[200];

	img = bootdisk_build(&e, 1, 512, &len, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	disk_file(&r, img, len);
	machine(&r, 512);
	CU_ASSERT_EQUAL(boot(&r, 1, ""), 0);
	CU_ASSERT_EQUAL(r.b.how, CB_START_PSW);
	CU_ASSERT_EQUAL(r.b.prog.psw, 0x0008000080010010ull);
	rig_free(&r);
	free(img);
	/* The builder refuses a PSW that does not enter the kernel. */
	e.psw = 0x0000000080010000ull;
	CU_ASSERT_PTR_NULL(bootdisk_build(&e, 1, 512, &len, why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "does not enter the kernel"));
	free(k);
}

/* --- Hand-built disks ---------------------------------------------------------- */

#define HB 512u
#define HN 400u   /* blocks */

static void ptr(u8 *d, unsigned block, unsigned slot, u64 to, u32 size, u32 count)
{
	struct bm_blockptr *p = (struct bm_blockptr *)(d + block * HB + 16 * slot);

	p->block = cpu_to_be64(to);
	p->size = cpu_to_be16((u16)size);
	p->count = cpu_to_be16((u16)(count - 1));
}

/*
 * A Linux entry by hand: boot record, program table, header (block 2)
 * with a LOAD of the list in block 3 to 0x10000 (blocks 20-219: a 100 KiB
 * kernel) and the EXEC PSW for 0x10000. The kernel has S390EP, no initrd
 * and the command line "hand".
 */
static u8 *hand(void)
{
	u8 *d = calloc(HN, HB), *k;
	struct bm_comp_entry *c = (struct bm_comp_entry *)(d + 2 * HB + 32);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	put_be32(d, BM_MAGIC);
	put_be32(d + 4, 1);
	ptr(d, 0, 1, 1, HB, 1);
	put_be32(d + HB, BM_MAGIC);
	ptr(d, 1, 1, 2, HB, 1);
	put_be32(d + 2 * HB, BM_MAGIC);
	c[0].list.block = cpu_to_be64(3);
	c[0].list.size = cpu_to_be16(HB);
	c[0].type = BM_ENTRY_LOAD;
	c[0].addr = cpu_to_be64(LINUX_ENTRY);
	c[1].type = BM_ENTRY_EXEC;
	c[1].addr = cpu_to_be64(LINUX_EXEC_PSW);
	ptr(d, 3, 0, 20, HB, 200);
	k = d + 20 * HB - LINUX_ENTRY;   /* the kernel's address 0x10000 is block 20 */
	memcpy(k + LINUX_MAGIC_ADDR, LINUX_MAGIC, LINUX_MAGIC_LEN);
	put_be32(k + LINUX_PARM_MAX_CMDLINE + 4, 4096);
	strcpy((char *)k + LINUX_CMDLINE, "hand");
	return d;
}

/* Each broken disk, refused with its line; a sound one boots. */
static void test_hostile(void)
{
	static const struct {
		const char *name;
		int err;
		const char *says;
	} cases[] = {
		{ "sound", 0, "" },
		{ "loop", -VERR_PROTO, "0.0.0001: the block list through block 3 loops back to it" },
		{ "over-loader", -VERR_PROTO, "over the loader (0x3e00000 to 0x3ffffff)" },
		{ "lowcore", -VERR_PROTO, "loads 0x0, which the loader cannot reach" },
		{ "past-end", -VERR_PROTO, "blocks 390 to 409, past the end of the disk (400 blocks)" },
		{ "empty-list", -VERR_PROTO, "0.0.0001: the block list in block 3 is empty" },
		{ "block-size", -VERR_PROTO, "block size 4096, the disk's is 512" },
		{ "no-s390ep", -VERR_PROTO,
		  "0.0.0001 entry 0: the component at 0x10000 is no Linux kernel (no S390EP at 0x10008)" },
		{ "initrd-not-loaded", -VERR_PROTO,
		  "names an initrd at 0x800000, 4096 bytes, that no component loaded" },
		{ "cmdline-no-end", -VERR_PROTO,
		  "the command line at 0x10480 has no end within the kernel's 4096 bytes" },
		{ "no-kernel-at-entry", -VERR_PROTO, "entry 0 starts 0x10000, but loads no kernel there" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *c = cases[i].name;
		u8 *d = hand(), *k = d + 20 * HB - LINUX_ENTRY;
		struct bm_comp_entry *ce = (struct bm_comp_entry *)(d + 2 * HB + 32);
		struct rig r = { 0 };
		int rc;

		if (!strcmp(c, "loop")) {
			for (unsigned s = 0; s < 31; s++)
				ptr(d, 3, s, 20, HB, 1);
			ptr(d, 3, 31, 3, HB, 1);
		} else if (!strcmp(c, "over-loader")) {
			ce[0].addr = cpu_to_be64(cb_loader_base(MEM));
		} else if (!strcmp(c, "lowcore")) {
			ce[0].addr = cpu_to_be64(0);
		} else if (!strcmp(c, "past-end")) {
			ptr(d, 3, 0, 390, HB, 20);
		} else if (!strcmp(c, "empty-list")) {
			memset(d + 3 * HB, 0, 16);
		} else if (!strcmp(c, "block-size")) {
			ptr(d, 3, 0, 20, 4096, 2);
		} else if (!strcmp(c, "no-s390ep")) {
			k[LINUX_MAGIC_ADDR] = 'X';
		} else if (!strcmp(c, "initrd-not-loaded")) {
			put_be32(k + LINUX_PARM_INITRD_START + 4, 0x800000);
			put_be32(k + LINUX_PARM_INITRD_SIZE + 4, 4096);
		} else if (!strcmp(c, "cmdline-no-end")) {
			/* 100 KiB loaded: the 4096 bytes from 0x10480 all set. */
			memset(k + LINUX_CMDLINE, 'a', 4096);
		} else if (!strcmp(c, "no-kernel-at-entry")) {
			ce[0].addr = cpu_to_be64(0x20000);
		}
		disk_file(&r, d, HN * HB);
		machine(&r, 512);
		rc = boot(&r, 1, "");
		CU_ASSERT_EQUAL(rc, cases[i].err);
		if (rc != cases[i].err)
			fprintf(stderr, "case %s: %d, %s\n", c, rc, r.why);
		says(&r, cases[i].says);
		if (!rc) {
			CU_ASSERT_EQUAL(r.b.how, CB_START_LINUX);
			CU_ASSERT_EQUAL(r.b.cmdline_len, 4u);
			CU_ASSERT_EQUAL(r.b.bytes, 200u * HB);
		}
		rig_free(&r);
		free(d);
	}
}

/* A 40 MiB initrd: long runs read with many requests in flight, byte for
 * byte. */
static void test_long(void)
{
	size_t klen = 100000, ilen = 40u << 20, len;
	u8 *k = unit_fake_kernel(klen, 8, 4096), *ini = fill(ilen, 9), *img;
	struct bootdisk_entry e = { .kernel = k, .kernel_len = klen, .initrd = ini,
				    .initrd_len = ilen, .append = "long" };
	struct rig r = { 0 };
	char why[200];

	img = bootdisk_build(&e, 1, 512, &len, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	disk_file(&r, img, len);
	free(img);
	machine(&r, 512);
	CU_ASSERT_EQUAL_FATAL(boot(&r, 1, ""), 0);
	CU_ASSERT_EQUAL(r.b.initrd_size, ilen);
	CU_ASSERT(memcmp(mem(r.b.initrd_addr, ilen), ini, ilen) == 0);
	CU_ASSERT(r.b.blk->depth > 1);
	rig_free(&r);
	free(k);
	free(ini);
}

/* --- Disks on virtio-scsi ------------------------------------------------------ */

/*
 * A virtio-scsi adapter at 0.0.0005 with a blank disk at 0:0, a blank
 * CD-ROM at 1:0 and a mkboot disk at 3:2: booted by QEMU's SCSI block
 * naming 3:2 (both entries, byte for byte), by a scan (the blank disk and
 * the CD-ROM named and passed over), and refused when the block names the
 * CD-ROM or a unit that is not there. (El Torito discs: tests/qemu/.)
 */
static void test_scsi(void)
{
	size_t klen = 150000, ilen = 1u << 20, len;
	u8 *k = unit_fake_kernel(klen, 31, 4096), *ini = fill(ilen, 32), *img, *zero;
	struct bootdisk_entry e[2] = {
		{ .kernel = k, .kernel_len = klen, .initrd = ini, .initrd_len = ilen,
		  .append = "on scsi" },
		{ .kernel = k, .kernel_len = klen, .append = "second on scsi" },
	};
	struct sim_dev_config dev = unit_dev(5);
	struct sim_scsi_opts o = { .nluns = 3 };
	struct rig r = { 0 };
	char why[SIM_WHY_LEN] = "";
	u32 schid;

	img = bootdisk_build(e, 2, 512, &len, why, sizeof(why));
	zero = calloc(1, 1 << 20);
	CU_ASSERT_FATAL(img && zero);
	disk_file(&r, zero, 1 << 20);
	disk_file(&r, zero, 1 << 20);
	disk_file(&r, img, len);
	o.lun[0] = (struct sim_scsi_lun){ .path = r.path[0], .target = 0, .lun = 0 };
	o.lun[1] = (struct sim_scsi_lun){ .path = r.path[1], .target = 1, .lun = 0, .cdrom = true };
	o.lun[2] = (struct sim_scsi_lun){ .path = r.path[2], .target = 3, .lun = 2 };
	r.ndisks = 0;           /* machine() attaches no virtio-blk disk */
	machine(&r, 512);
	r.ndisks = 3;
	CU_ASSERT_FATAL(drvrig_attached(sim_vdev_scsi(r.sim, &dev, NULL, &o, why),
					"sim_vdev_scsi", why, &schid));
	for (unsigned i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL_FATAL(boot_scsi(&r, 5, 3, 2, i ? "2" : ""), 0);
		CU_ASSERT_PTR_NOT_NULL(r.b.scsi);
		CU_ASSERT_EQUAL(r.b.entry, i ? 2u : 0u);
		CU_ASSERT_EQUAL(r.b.how, CB_START_LINUX);
		CU_ASSERT_STRING_EQUAL((const char *)mem(LINUX_CMDLINE, 1), e[i].append);
		CU_ASSERT(memcmp(mem(LINUX_ENTRY + 0x2000, klen - LINUX_ENTRY - 0x2000),
				 k + LINUX_ENTRY + 0x2000, klen - LINUX_ENTRY - 0x2000) == 0);
		if (!i)
			CU_ASSERT(memcmp(mem(linux_initrd_addr(klen), ilen), ini, ilen) == 0);
		cb_quiesce(&r.b, &r.env);
	}
	/* A scan: the blank disk and the CD-ROM named, 3:2 booted. */
	drvrig_capture();
	CU_ASSERT_EQUAL(boot(&r, 0, ""), 0);
	CU_ASSERT_EQUAL(r.b.devno, 5);
	CU_ASSERT_STRING_EQUAL(drvrig_captured(),
			       "ccwboot: 0.0.0005 0:0: block 0 holds no zIPL boot record\n"
			       "ccwboot: 0.0.0005 1:0: block 16 holds no ISO 9660 volume descriptor "
			       "(no CD001): not an ISO 9660 disc\n");
	cb_quiesce(&r.b, &r.env);
	/* Named: the CD-ROM, a unit that is not there. */
	CU_ASSERT_EQUAL(boot_scsi(&r, 5, 1, 0, ""), -VERR_NOTSUP);
	says(&r, "0.0.0005 1:0: block 16 holds no ISO 9660 volume descriptor");
	CU_ASSERT_EQUAL(boot_scsi(&r, 5, 3, 3, ""), -VERR_NODEV);
	says(&r, "0.0.0005: the IPL names logical unit 3:3 (scsi-id:lun), which the adapter does "
		 "not have (3 units found)");
	rig_free(&r);
	free(img);
	free(zero);
	free(k);
	free(ini);
}

static CU_TestInfo ccwboot_tests[] = {
	{ "two entries by loadparm, 512- and 4096-byte blocks, byte for byte", test_entries },
	{ "loadparms that name no entry", test_loadparm },
	{ "the scan, a named disk that is not bootable, no disk", test_scan },
	{ "an entry started through its PSW, as zipl's are", test_psw_entry },
	{ "broken disks refused with their line", test_hostile },
	{ "a 40 MiB initrd streamed", test_long },
	{ "from a disk on virtio-scsi: named, by a scan, refused", test_scsi },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo ccwboot_suite = { "ccwboot", NULL, NULL, NULL, NULL, ccwboot_tests };
