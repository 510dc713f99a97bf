/*
 * The boot-map reader (boot/bootmap.c) on disks made by the disk builder
 * of mkboot (tools/bootdisk.c) and on maps built by hand to be hostile:
 * what is loaded where, byte for byte, and each broken map refused with
 * its reason.
 */
#include <stdlib.h>
#include <string.h>

#include "boot/bootmap.h"
#include "boot/eltorito.h"
#include "boot/linux_hw.h"
#include "tests/prng.h"
#include "tests/unit/unit.h"
#include "tools/bootdisk.h"

#define MEM (64u << 20)

/* --- A disk in memory and a memory to load into ----------------------------------- */

struct rig {
	u8 *disk;
	size_t disk_len;
	u32 bs;
	unsigned reads, fail_at;  /* fail_at: block whose read fails (0: none) */
	u8 *mem;
	struct bm_disk d;
	struct bm_target t;
	u8 scratch[BM_SCRATCH];
	char why[256];
	struct bm_program p;
};

static int disk_read(void *ctx, u64 block, u32 count, void *buf)
{
	struct rig *r = ctx;

	r->reads++;
	if (r->fail_at && block <= r->fail_at && r->fail_at < block + count)
		return -VERR_IO;
	if ((block + count) * r->bs > r->disk_len)
		return -VERR_RANGE;
	memcpy(buf, r->disk + block * r->bs, (size_t)count * r->bs);
	return 0;
}

static void *mem_ptr(void *ctx, u64 addr, u64 len)
{
	struct rig *r = ctx;

	return addr + len <= MEM ? r->mem + addr : NULL;
}

static struct rig *rig_new(u8 *disk, size_t len, u32 bs)
{
	struct rig *r = calloc(1, sizeof(*r));

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	r->mem = calloc(1, MEM);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->mem);
	r->disk = disk;
	r->disk_len = len;
	r->bs = bs;
	r->d = (struct bm_disk){ .block_size = bs, .blocks = len / bs, .read = disk_read, .ctx = r };
	r->t = (struct bm_target){ .mem_size = MEM, .ptr = mem_ptr, .ctx = r };
	return r;
}

static void rig_free(struct rig *r)
{
	free(r->disk);
	free(r->mem);
	free(r);
}

static int load(struct rig *r, unsigned entry)
{
	r->why[0] = 0;
	return bm_load(&r->d, entry, &r->t, &r->p, r->scratch, r->why, sizeof(r->why));
}

u8 *unit_fake_kernel(size_t len, u64 seed, u32 max_cmdline)
{
	u8 *k = malloc(len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	prng_fill(k, len, &seed);
	memcpy(k + LINUX_MAGIC_ADDR, LINUX_MAGIC, LINUX_MAGIC_LEN);
	put_be32(k + LINUX_PARM_MAX_CMDLINE, 0);
	put_be32(k + LINUX_PARM_MAX_CMDLINE + 4, max_cmdline);
	return k;
}

static u64 be64_at(const u8 *p)
{
	return (u64)get_be32(p) << 32 | get_be32(p + 4);
}

/* --- Disks mkboot writes --------------------------------------------------------- */

static void check_kernel(struct rig *r, const u8 *k, size_t klen, u64 initrd, size_t ilen,
			 const char *append)
{
	u64 max = linux_max_cmdline(k, klen);

	/* Everything from the entry on as in the file, but the parameter
	 * fields and the command line. */
	CU_ASSERT(memcmp(r->mem + LINUX_ENTRY, k + LINUX_ENTRY,
			 LINUX_PARM_INITRD_START - LINUX_ENTRY) == 0);
	CU_ASSERT_EQUAL(be64_at(r->mem + LINUX_PARM_INITRD_START), initrd);
	CU_ASSERT_EQUAL(be64_at(r->mem + LINUX_PARM_INITRD_SIZE), ilen);
	CU_ASSERT_STRING_EQUAL((const char *)r->mem + LINUX_CMDLINE, append);
	CU_ASSERT(memcmp(r->mem + LINUX_CMDLINE + max, k + LINUX_CMDLINE + max,
			 klen - LINUX_CMDLINE - max) == 0);
	CU_ASSERT_EQUAL(r->p.psw, LINUX_EXEC_PSW);
}

static void test_one_entry(void)
{
	static const u32 sizes[] = { 512, 1024, 2048, 4096 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t klen = 300000 + i * 777, len;
		u8 *k = unit_fake_kernel(klen, 1 + i, 4096);
		struct bootdisk_entry e = { .kernel = k, .kernel_len = klen, .append = "root=/dev/ram0" };
		char why[200];
		u8 *disk = bootdisk_build(&e, 1, sizes[i], &len, why, sizeof(why));
		struct rig *r;
		unsigned n = 0;

		CU_ASSERT_PTR_NOT_NULL_FATAL(disk);
		CU_ASSERT_EQUAL(len % sizes[i], 0);
		r = rig_new(disk, len, sizes[i]);
		CU_ASSERT_EQUAL(bm_entries(&r->d, r->scratch, &n, r->why, sizeof(r->why)), 0);
		CU_ASSERT_EQUAL(n, 2u); /* the default and entry 1 */
		CU_ASSERT_EQUAL_FATAL(load(r, 0), 0);
		CU_ASSERT_EQUAL(r->p.nloads, 1u);
		CU_ASSERT_EQUAL(r->p.load[0].addr, LINUX_ENTRY);
		CU_ASSERT_EQUAL(r->p.load[0].len,
				ALIGN_UP(klen - LINUX_ENTRY, (size_t)sizes[i]));
		check_kernel(r, k, klen, 0, 0, "root=/dev/ram0");
		free(k);
		rig_free(r);
	}
}

/* Two entries, each with an initrd: loadparm 2 loads the second; the
 * default and loadparm 1 the first. */
static void test_two_entries(void)
{
	size_t klen[2] = { 200000, 1500000 }, ilen[2] = { 70000, 3u << 20 }, len;
	u8 *k[2], *ini[2];
	struct bootdisk_entry e[2];
	char why[200];
	u8 *disk;
	struct rig *r;

	for (int i = 0; i < 2; i++) {
		u64 seed = 100 + (u64)i;

		k[i] = unit_fake_kernel(klen[i], 10 + (u64)i, 0);
		ini[i] = malloc(ilen[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ini[i]);
		prng_fill(ini[i], ilen[i], &seed);
		e[i] = (struct bootdisk_entry){ .kernel = k[i], .kernel_len = klen[i],
						.initrd = ini[i], .initrd_len = ilen[i],
						.append = i ? "second console=ttysclp0" : "first" };
	}
	disk = bootdisk_build(e, 2, 512, &len, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL_FATAL(disk);
	r = rig_new(disk, len, 512);
	for (unsigned entry = 0; entry < 3; entry++) {
		int i = entry == 2;
		u64 at = linux_initrd_addr(klen[i]);

		memset(r->mem, 0, MEM);
		CU_ASSERT_EQUAL_FATAL(load(r, entry), 0);
		CU_ASSERT_EQUAL(r->p.nloads, 2u);
		CU_ASSERT_EQUAL(r->p.load[1].addr, at);
		CU_ASSERT(r->p.load[1].len >= ilen[i]);
		CU_ASSERT(memcmp(r->mem + at, ini[i], ilen[i]) == 0);
		check_kernel(r, k[i], klen[i], at, ilen[i], e[i].append);
	}
	/* No fourth. */
	CU_ASSERT_EQUAL(load(r, 3), -VERR_INVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r->why, "boot entry 3 does not exist"));
	for (int i = 0; i < 2; i++) {
		free(k[i]);
		free(ini[i]);
	}
	rig_free(r);
}

/* A component larger than one pointer can name (65536 blocks): runs. */
static void test_long_component(void)
{
	size_t klen = 100000, ilen = 40u << 20, len;
	u8 *k = unit_fake_kernel(klen, 5, 4096), *ini = malloc(ilen);
	u64 seed = 9;
	struct bootdisk_entry e = { .kernel = k, .kernel_len = klen, .initrd = ini,
				    .initrd_len = ilen };
	char why[200];
	u8 *disk;
	struct rig *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ini);
	prng_fill(ini, ilen, &seed);
	disk = bootdisk_build(&e, 1, 512, &len, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL_FATAL(disk);
	r = rig_new(disk, len, 512);
	CU_ASSERT_EQUAL_FATAL(load(r, 1), 0);
	CU_ASSERT(memcmp(r->mem + linux_initrd_addr(klen), ini, ilen) == 0);
	CU_ASSERT_STRING_EQUAL((const char *)r->mem + LINUX_CMDLINE, "");
	free(k);
	free(ini);
	rig_free(r);
}

/* What mkboot refuses, with the reason. */
static void test_refusals(void)
{
	size_t klen = 100000, len;
	u8 *k = unit_fake_kernel(klen, 3, 100);
	char append[120], why[200];
	struct bootdisk_entry e = { .kernel = k, .kernel_len = klen, .append = append };
	u8 *disk;

	memset(append, 'a', 99);
	append[99] = 0;
	disk = bootdisk_build(&e, 1, 512, &len, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL(disk);
	free(disk);
	append[99] = 'a';
	append[100] = 0;
	CU_ASSERT_PTR_NULL(bootdisk_build(&e, 1, 512, &len, why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "the command line is 100 bytes; the kernel takes at most 99"));
	memset(k + LINUX_MAGIC_ADDR, 0, LINUX_MAGIC_LEN);
	append[0] = 0;
	CU_ASSERT_PTR_NULL(bootdisk_build(&e, 1, 512, &len, why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "no S390EP"));
	CU_ASSERT_PTR_NULL(bootdisk_build(&e, 1, 600, &len, why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "block size 600"));
	free(k);
}

/* --- Maps built by hand ------------------------------------------------------------ */

/* A 512-byte-block disk of n blocks, to fill in by hand. */
#define HB 512u

static u8 *blank(unsigned n)
{
	u8 *d = calloc(n, HB);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	return d;
}

static void ptr(u8 *d, unsigned block, unsigned slot, u64 to, u32 size, u32 count)
{
	struct bm_blockptr *p = (struct bm_blockptr *)(d + block * HB + 16 * slot);

	p->block = cpu_to_be64(to);
	p->size = cpu_to_be16((u16)size);
	p->count = cpu_to_be16((u16)(count - 1));
}

/*
 * The skeleton: boot record (block 0), program table (1) with one entry
 * (slot 0) at the header (2), whose first component is a LOAD of the list
 * in block 3 to 0x20000 and then an EXEC. The list is left to the test.
 */
static u8 *skeleton(unsigned n)
{
	u8 *d = blank(n);
	struct bm_comp_entry *c = (struct bm_comp_entry *)(d + 2 * HB + 32);

	put_be32(d, BM_MAGIC);
	put_be32(d + 4, 1);
	ptr(d, 0, 1, 1, HB, 1);
	put_be32(d + HB, BM_MAGIC);
	ptr(d, 1, 1, 2, HB, 1);
	put_be32(d + 2 * HB, BM_MAGIC);
	c[0].list.block = cpu_to_be64(3);
	c[0].list.size = cpu_to_be16(HB);
	c[0].type = BM_ENTRY_LOAD;
	c[0].addr = cpu_to_be64(0x20000);
	c[1].type = BM_ENTRY_EXEC;
	c[1].addr = cpu_to_be64(0x0008000080020000ull);
	return d;
}

/* A list that continues through several blocks, runs of various lengths. */
static void test_hand_list(void)
{
	unsigned n = 300;
	u8 *d = skeleton(n);
	struct rig *r;
	u64 want = 0;

	/* Lists in blocks 3, 4, 5: 31 runs of one block each in 3 (slots 0-30),
	 * slot 31 continues in 4: two runs, then a zero; 5 is unused. */
	for (unsigned i = 0; i < 31; i++) {
		ptr(d, 3, i, 10 + i, HB, 1);
		memset(d + (10 + i) * HB, (int)i + 1, HB);
	}
	ptr(d, 3, 31, 4, HB, 1);
	ptr(d, 4, 0, 100, HB, 50);
	ptr(d, 4, 1, 200, HB, 3);
	for (unsigned b = 100; b < 150; b++)
		memset(d + b * HB, 0x77, HB);
	for (unsigned b = 200; b < 203; b++)
		memset(d + b * HB, 0x88, HB);
	r = rig_new(d, (size_t)n * HB, HB);
	CU_ASSERT_EQUAL_FATAL(load(r, 0), 0);
	want = (31 + 50 + 3) * HB;
	CU_ASSERT_EQUAL(r->p.nloads, 1u);
	CU_ASSERT_EQUAL(r->p.load[0].len, want);
	CU_ASSERT_EQUAL(r->p.psw, 0x0008000080020000ull);
	CU_ASSERT_EQUAL(r->mem[0x20000], 1);
	CU_ASSERT_EQUAL(r->mem[0x20000 + 30 * HB], 31);
	CU_ASSERT_EQUAL(r->mem[0x20000 + 31 * HB], 0x77);
	CU_ASSERT_EQUAL(r->mem[0x20000 + 81 * HB], 0x88);
	CU_ASSERT_EQUAL(r->mem[0x20000 + want], 0);
	/* The 50-block run came in one read. */
	CU_ASSERT(r->reads <= 3 + 2 + 31 + 2 + 1);
	rig_free(r);
}

/* Each broken map, refused with its reason. */
static void test_hostile(void)
{
	static const struct {
		const char *name;
		int err;
		const char *says;
	} cases[] = {
		{ "no-record", -VERR_NOTSUP, "block 0 holds no zIPL boot record" },
		{ "table-past-end", -VERR_PROTO, "blocks 9000 to 9000, past the end of the disk (40 blocks)" },
		{ "table-magic", -VERR_PROTO, "the program table in block 1 has no zIPL magic" },
		{ "table-empty", -VERR_PROTO, "the program table in block 1 has no entries" },
		{ "header-magic", -VERR_PROTO, "the component header of entry 0 in block 2 has no zIPL magic" },
		{ "header-type", -VERR_PROTO, "is of type 1, not IPL (0)" },
		{ "block-size", -VERR_PROTO, "block size 4096, the disk's is 512" },
		{ "data-past-end", -VERR_PROTO, "blocks 35 to 44, past the end of the disk (40 blocks)" },
		{ "loop-self", -VERR_PROTO, "loops back to it" },
		{ "loop-two", -VERR_PROTO, "loops back to it" },
		{ "empty-list", -VERR_PROTO, "the block list in block 3 is empty" },
		{ "over-loader", -VERR_PROTO, "over the loader (0x20000 to 0x2ffff)" },
		{ "beyond-memory", -VERR_PROTO, "beyond memory (0x4000000 bytes)" },
		{ "no-exec", -VERR_PROTO, "ends without an EXEC entry" },
		{ "unknown-type", -VERR_PROTO, "an entry of unknown type 7 at byte 64" },
		{ "read-error", -VERR_IO, "reading block 3 failed" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *c = cases[i].name;
		u8 *d = skeleton(40);
		struct bm_comp_entry *ce = (struct bm_comp_entry *)(d + 2 * HB + 32);
		struct rig *r;
		int rc;

		ptr(d, 3, 0, 20, HB, 2); /* a sound list unless the case breaks it */
		if (!strcmp(c, "no-record"))
			d[0] = 'Z';
		else if (!strcmp(c, "table-past-end"))
			ptr(d, 0, 1, 9000, HB, 1);
		else if (!strcmp(c, "table-magic"))
			d[HB] = 0;
		else if (!strcmp(c, "table-empty"))
			memset(d + HB + 16, 0, 16);
		else if (!strcmp(c, "header-magic"))
			d[2 * HB + 1] = 0;
		else if (!strcmp(c, "header-type"))
			d[2 * HB + 4] = 1;
		else if (!strcmp(c, "block-size"))
			ptr(d, 3, 0, 20, 4096, 2);
		else if (!strcmp(c, "data-past-end"))
			ptr(d, 3, 0, 35, HB, 10);
		else if (!strcmp(c, "loop-self") || !strcmp(c, "loop-two")) {
			/* Full list blocks, so the last slot continues the list:
			 * 3 back to itself, or 3 to 4 and 4 back to 3. */
			bool two = !strcmp(c, "loop-two");

			for (unsigned s = 0; s < 31; s++) {
				ptr(d, 3, s, 20, HB, 1);
				ptr(d, 4, s, 21, HB, 1);
			}
			ptr(d, 3, 31, two ? 4 : 3, HB, 1);
			ptr(d, 4, 31, 3, HB, 1);
		}
		else if (!strcmp(c, "empty-list"))
			memset(d + 3 * HB, 0, 16);
		else if (!strcmp(c, "beyond-memory"))
			ce[0].addr = cpu_to_be64(MEM - HB);
		else if (!strcmp(c, "unknown-type"))
			ce[1].type = 7;
		r = rig_new(d, 40 * HB, HB);
		if (!strcmp(c, "no-exec")) {
			/* Every slot of the header a LOAD of the same list, each to
			 * a place of its own: no EXEC before the block ends. */
			for (unsigned k = 1; k < (HB - 32) / 32; k++) {
				ce[k] = ce[0];
				ce[k].addr = cpu_to_be64(0x20000 + 0x1000ull * k);
			}
		}
		if (!strcmp(c, "over-loader")) {
			r->t.avoid_start = 0x20000;
			r->t.avoid_end = 0x30000;
		}
		if (!strcmp(c, "read-error"))
			r->fail_at = 3;
		rc = load(r, 0);
		CU_ASSERT_EQUAL(rc, cases[i].err);
		if (!strstr(r->why, cases[i].says)) {
			fprintf(stderr, "case %s: wanted \"%s\", got \"%s\"\n", c, cases[i].says,
				r->why);
			CU_FAIL("the reason");
		}
		rig_free(r);
	}
}

/* --- El Torito (boot/eltorito.c) ----------------------------------------------------- */

/*
 * A disc as tests/linux/mkiso.py lays it out: 16 the primary descriptor
 * (the root directory at 19), 17 the boot record (the catalog at 20), 18
 * the terminator, 19 the root directory (the images as files), 20 the
 * catalog, the images from 21 on, n of them, each len bytes with the Linux
 * IPL CCWs at 8 and its own pattern.
 */
#define ISO_IMG_LEN (0x11000u + 777u)
static const u8 iso_ccws[24] = {
	0x02, 0x00, 0x00, 0x18, 0x60, 0x00, 0x00, 0x50, 0x02, 0x00, 0x00, 0x68,
	0x60, 0x00, 0x00, 0x50, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40,
};

static void put_both32(u8 *p, u32 v)
{
	put_le32(p, v);
	put_be32(p + 4, v);
}

static u32 iso_image_block(unsigned i)
{
	return 21 + i * ((ISO_IMG_LEN + ISO_BLOCK - 1) / ISO_BLOCK);
}

static u8 *iso_disc(unsigned n, size_t *len)
{
	u32 per = (ISO_IMG_LEN + ISO_BLOCK - 1) / ISO_BLOCK;
	u8 *d, *cat, *dir;
	size_t off = 0;

	*len = (size_t)(21 + n * per) * ISO_BLOCK;
	d = calloc(1, *len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	memcpy(d + 16 * ISO_BLOCK, "\001CD001\001", 7);
	d[16 * ISO_BLOCK + 156] = 34;
	put_both32(d + 16 * ISO_BLOCK + 156 + 2, 19);
	put_both32(d + 16 * ISO_BLOCK + 156 + 10, ISO_BLOCK);
	d[16 * ISO_BLOCK + 156 + 25] = 2;
	memcpy(d + 17 * ISO_BLOCK, "\000CD001\001EL TORITO SPECIFICATION", 30);
	put_le32(d + 17 * ISO_BLOCK + 0x47, 20);
	memcpy(d + 18 * ISO_BLOCK, "\377CD001\001", 7);
	dir = d + 19 * ISO_BLOCK;
	for (unsigned k = 0; k < 2 + n; k++) {
		u8 *r = dir + off;

		r[0] = 34;
		put_both32(r + 2, k < 2 ? 19 : iso_image_block(k - 2));
		put_both32(r + 10, k < 2 ? ISO_BLOCK : ISO_IMG_LEN);
		r[25] = k < 2 ? 2 : 0;
		r[32] = 1;
		r[33] = k < 2 ? (u8)k : (u8)('A' + k);
		off += 34;
	}
	cat = d + 20 * ISO_BLOCK;
	cat[0] = 1;
	cat[30] = 0x55;
	cat[31] = 0xAA;
	for (unsigned i = 0; i < n; i++) {
		u8 *e = cat + 32 * (i + 1), *img = d + (size_t)iso_image_block(i) * ISO_BLOCK;

		e[0] = 0x88;
		e[6] = (u8)((ISO_IMG_LEN + 511) / 512);
		e[7] = (u8)(((ISO_IMG_LEN + 511) / 512) >> 8);
		put_le32(e + 8, iso_image_block(i));
		for (u32 k = 0; k < ISO_IMG_LEN; k++)
			img[k] = (u8)(k * 7 + i * 31 + (k >> 9));
		memcpy(img + 8, iso_ccws, sizeof(iso_ccws));
	}
	return d;
}

static int iso_load(struct rig *r, unsigned entry)
{
	r->why[0] = 0;
	return bm_iso_load(&r->d, entry, &r->t, &r->p, r->scratch, r->why, sizeof(r->why));
}

/* Two images: loadparm 0 and 1 the first, 2 the second, byte for byte at
 * their load segment from the lowcore's end; the size from the directory
 * (not the sector count rounded to whole 2048-byte blocks). */
static void test_el_torito(void)
{
	size_t len;
	u8 *disc = iso_disc(2, &len), *want = malloc(len);
	struct rig *r = rig_new(disc, len, ISO_BLOCK);
	unsigned n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	memcpy(want, disc, len);
	r->t.low = 0x300;
	CU_ASSERT_EQUAL(bm_iso_entries(&r->d, r->scratch, &n, r->why, sizeof(r->why)), 0);
	CU_ASSERT_EQUAL(n, 2u);
	for (unsigned e = 0; e < 3; e++) {
		const u8 *img = want + (size_t)iso_image_block(e == 2) * ISO_BLOCK;
		u64 blocks = (ISO_IMG_LEN + ISO_BLOCK - 1) / ISO_BLOCK;

		memset(r->mem, 0, 0x20000);
		CU_ASSERT_EQUAL_FATAL(iso_load(r, e), 0);
		CU_ASSERT_EQUAL(r->p.nloads, 1u);
		CU_ASSERT_EQUAL(r->p.load[0].addr, 0x300u);
		CU_ASSERT_EQUAL(r->p.load[0].len, blocks * ISO_BLOCK - 0x300);
		CU_ASSERT_EQUAL(r->p.psw, 0x0008000080010000ull);
		CU_ASSERT(memcmp(r->mem + 0x300, img + 0x300, ISO_IMG_LEN - 0x300) == 0);
		/* Nothing below the lowcore's end. */
		CU_ASSERT(r->mem[0] == 0 && r->mem[8] == 0 && r->mem[0x2FF] == 0);
	}
	rig_free(r);
	free(want);
}

/* Broken discs, each refused with its reason; a directory that names
 * itself as a subdirectory ends within the bound. */
static void test_el_torito_hostile(void)
{
	static const struct {
		const char *name;
		int err;
		const char *why;
	} cases[] = {
		{ "no-cd001", -VERR_NOTSUP, "block 16 holds no ISO 9660 volume descriptor" },
		{ "no-boot-record", -VERR_NOTSUP, "has no El Torito boot record" },
		{ "bad-catalog", -VERR_PROTO, "has no validation entry" },
		{ "catalog-past-end", -VERR_PROTO, "past the end of the disc" },
		{ "not-linux", -VERR_NOTSUP, "names no s390 Linux image" },
		{ "image-past-end", -VERR_PROTO, "goes past the end of the disc" },
		{ "over-loader", -VERR_PROTO, "beyond memory or over the loader" },
		{ "in-lowcore", -VERR_PROTO, "in the loader's lowcore" },
		{ "no-entry-5", -VERR_INVAL, "boot entry 5 does not exist" },
		{ "read-error", -VERR_IO, "reading block 20 failed" },
	};

	for (unsigned c = 0; c < ARRAY_SIZE(cases); c++) {
		size_t len;
		u8 *d = iso_disc(1, &len), *cat = d + 20 * ISO_BLOCK;
		struct rig *r;
		unsigned entry = 0;
		int err;

		switch (c) {
		case 0: d[16 * ISO_BLOCK + 1] = 'X'; break;
		case 1: d[17 * ISO_BLOCK + 7] = 'X'; break;
		case 2: cat[31] = 0; break;
		case 3: put_le32(d + 17 * ISO_BLOCK + 0x47, 999999); break;
		case 4: d[(size_t)iso_image_block(0) * ISO_BLOCK + 8] = 0; break;
		case 5:
			/* The directory's size and the sector count both too large. */
			put_both32(d + 19 * ISO_BLOCK + 68 + 10, 0x7FFFFFFF);
			break;
		case 6: break;
		case 7:
			/* A tiny image: the directory says 100 bytes. */
			put_both32(d + 19 * ISO_BLOCK + 68 + 10, 100);
			break;
		case 8: entry = 5; break;
		default: break;
		}
		r = rig_new(d, len, ISO_BLOCK);
		r->t.low = 0x300;
		if (c == 6) {
			r->t.avoid_start = 0x4000;
			r->t.avoid_end = 0x5000;
		}
		if (c == 7)
			r->t.low = 0x1000;   /* above the image's one block */
		if (c == 9)
			r->fail_at = 20;
		err = iso_load(r, entry);
		if (err != cases[c].err || !strstr(r->why, cases[c].why)) {
			fprintf(stderr, "%s: %d \"%s\"\n", cases[c].name, err, r->why);
			CU_FAIL("the refusal");
		}
		rig_free(r);
	}
	/* The root names itself as a subdirectory: the walk stops, and the
	 * catalog's sector count gives the size. */
	{
		size_t len;
		u8 *d = iso_disc(1, &len);
		struct rig *r;

		d[19 * ISO_BLOCK + 68 + 25] = 2;
		put_both32(d + 19 * ISO_BLOCK + 68 + 2, 19);
		r = rig_new(d, len, ISO_BLOCK);
		r->t.low = 0x300;
		CU_ASSERT_EQUAL(iso_load(r, 0), 0);
		CU_ASSERT(r->reads < 2 * (ISO_MAX_DIR_BLOCKS + 80));
		CU_ASSERT_EQUAL(r->p.load[0].len,
				(u64)((ISO_IMG_LEN + 511) / 512 * 512 + ISO_BLOCK - 1) / ISO_BLOCK *
						ISO_BLOCK - 0x300);
		rig_free(r);
	}
}

static CU_TestInfo bootmap_tests[] = {
	{ "one entry in 512- to 4096-byte blocks: the kernel and its parameters", test_one_entry },
	{ "two entries with initrds: the default, entry 1 and entry 2", test_two_entries },
	{ "a 40 MiB initrd in runs of 65536 blocks", test_long_component },
	{ "mkboot refuses what would not boot", test_refusals },
	{ "a block list through several blocks, runs read whole", test_hand_list },
	{ "broken maps refused with their reason", test_hostile },
	{ "El Torito: two images, loadparm, byte for byte above the lowcore", test_el_torito },
	{ "El Torito: broken discs refused, a looping directory bounded", test_el_torito_hostile },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo bootmap_suite = { "bootmap", NULL, NULL, NULL, NULL, bootmap_tests };
