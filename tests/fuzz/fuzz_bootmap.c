/*
 * Fuzzer 6: the boot-map reader (boot/bootmap.h) on any disk. The input's
 * first byte chooses the block size (512 to 4096, bits 0-1) and the scheme
 * (bit 2: zipl's ECKD scheme, with 15 heads and 1 to 32 records a track
 * from bits 3-7, the program-table pointer the IPL2 record would give
 * taken from the next 16 bytes; without bit 2, bits 3-7 all set: an El
 * Torito disc, boot/eltorito.h, in 2048-byte blocks), the second the entry
 * to load, the third how the memory is laid out (where the loader sits);
 * the rest is the disk, whole blocks of it (a short last block is padded
 * with zeros). The disk and the memory are allocations of their own exact size
 * (the memory a static array), so AddressSanitizer sees any access past
 * them.
 *
 * Beyond that the fuzzer checks what bootmap.h promises: an error always
 * has a reason; what was loaded lies in memory and never on the loader's
 * range (the range is kept filled with a pattern and checked after every
 * run); a success has its LOAD components in memory and within the disk's
 * size, and no more of them than BM_MAX_LOADS. A map that loops or runs
 * long ends within a bound of reads.
 */
#include "boot/bootmap.h"
#include "boot/eltorito.h"
#include "tests/fuzz/fuzz.h"

#define MEM (512u << 10)
#define FILL 0x5A

struct rig {
	u8 *disk;
	u64 disk_len;
	u32 bs;
	u64 reads;
};

/* The memory, kept between runs: only the loader's range is reset and
 * checked, the rest may hold anything. */
static u8 mem[MEM];

static int disk_read(void *ctx, u64 block, u32 count, void *buf)
{
	struct rig *r = ctx;

	r->reads++;
	/* The reader checked the range against the disk's size. */
	FUZZ_CHECK(count && block < r->disk_len / r->bs && count <= r->disk_len / r->bs - block);
	memcpy(buf, r->disk + block * r->bs, (size_t)count * r->bs);
	return 0;
}

static void *mem_ptr(void *ctx, u64 addr, u64 len)
{
	struct rig *r = ctx;

	FUZZ_CHECK(addr <= MEM && len <= MEM - addr);
	(void)r;
	return mem + addr;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 scratch[BM_SCRATCH];
	struct rig r;
	struct bm_disk d;
	struct bm_target t;
	struct bm_program p;
	char why[256];
	unsigned entry, n;
	u64 avoid, blocks;
	struct bm_eckd_ptr table;
	bool eckd, iso;
	u32 per_track;
	u64 bound;
	int rc;

	if (size < 3)
		return 0;
	memset(&r, 0, sizeof(r));
	r.bs = 512u << (data[0] % 4);
	eckd = data[0] & 4;
	iso = !eckd && (data[0] & 0xF8) == 0xF8;
	if (iso)
		r.bs = ISO_BLOCK;
	per_track = 1u + (data[0] >> 3);
	entry = data[1] % 40;
	avoid = (u64)(data[2] % 16) * (MEM / 16);
	data += 3;
	size -= 3;
	if (eckd) {
		if (size < sizeof(table))
			return 0;
		memcpy(&table, data, sizeof(table));
		data += sizeof(table);
		size -= sizeof(table);
	}
	blocks = (size + r.bs - 1) / r.bs;
	if (!blocks)
		return 0;
	r.disk_len = blocks * r.bs;
	r.disk = calloc(1, r.disk_len);
	FUZZ_CHECK(r.disk);
	memcpy(r.disk, data, size);
	memset(mem + avoid, FILL, MEM / 16);
	d = (struct bm_disk){ .block_size = r.bs, .blocks = blocks, .read = disk_read, .ctx = &r };
	if (eckd) {
		d.eckd = true;
		d.heads = 15;
		d.per_track = per_track;
		d.eckd_table = table;
	}
	t = (struct bm_target){ .mem_size = MEM, .avoid_start = avoid, .avoid_end = avoid + MEM / 16,
				.ptr = mem_ptr, .ctx = &r, .low = iso ? 0x300 : 0 };

	why[0] = 0;
	rc = iso ? bm_iso_entries(&d, scratch, &n, why, sizeof(why))
		 : bm_entries(&d, scratch, &n, why, sizeof(why));
	FUZZ_CHECK(rc <= 0);
	FUZZ_CHECK(rc == 0 ? n >= 1 && n <= (iso ? ISO_BC_ENTRIES : BM_MAX_ENTRIES) : why[0] != 0);
	why[0] = 0;
	rc = iso ? bm_iso_load(&d, entry, &t, &p, scratch, why, sizeof(why))
		 : bm_load(&d, entry, &t, &p, scratch, why, sizeof(why));
	FUZZ_CHECK(rc <= 0);
	if (rc) {
		FUZZ_CHECK(why[0] != 0);
	} else {
		FUZZ_CHECK(p.nloads <= BM_MAX_LOADS);
		for (unsigned i = 0; i < p.nloads; i++) {
			/* El Torito: the image's end on a block, its start above
			 * the lowcore. */
			FUZZ_CHECK(p.load[i].len && (iso || p.load[i].len % r.bs == 0));
			FUZZ_CHECK(p.load[i].addr <= MEM && p.load[i].len <= MEM - p.load[i].addr);
			FUZZ_CHECK(p.load[i].addr + p.load[i].len <= t.avoid_start ||
				   p.load[i].addr >= t.avoid_end);
			FUZZ_CHECK(p.load[i].addr >= t.low);
		}
	}
	/* Nothing was loaded on the loader. */
	for (u64 a = t.avoid_start; a < t.avoid_end; a++)
		FUZZ_CHECK(mem[a] == FILL);
	/* Bounded: the map blocks, every list block once (twice with a loop
	 * found), and the data runs. */
	bound = 4 + 2 * blocks + blocks;
	/* El Torito, each call: the descriptors, the catalog, each entry's
	 * first block, the directory blocks, the image's blocks one by one
	 * below the lowcore and the rest at once. */
	if (iso)
		bound = 2 * (ISO_MAX_VDS + 1 + ISO_BC_ENTRIES) + 1 + ISO_MAX_DIR_BLOCKS + 2 + blocks;
	FUZZ_CHECK(r.reads <= bound);
	if (fuzz_tracing())
		fprintf(stderr, "bootmap: %s bs %u entry %u: %d %s\n",
			eckd ? "eckd" : iso ? "iso" : "scsi", r.bs,
			entry, rc, why);
	free(r.disk);
	return 0;
}
