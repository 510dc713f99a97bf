/* The bootable disk of bootdisk.h. */
#include "tools/bootdisk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/bootmap_hw.h"
#include "boot/linux_hw.h"
#include "tools/file.h"

/* Blocks a SCSI pointer may name: its count field holds count - 1 in 16 bits. */
#define RUN_MAX 65536u

/* The image as it grows, block by block. */
struct img {
	u8 *buf;
	u64 blocks, cap;
	u32 bs;
	bool failed;
	/* ECKD pointers (bootmap_hw.h), the first block's number, and the
	 * numbering's geometry; SCSI: block numbers from 0. */
	bool eckd;
	u64 first;
	u32 heads, per_track;
};

/* n new zeroed blocks; the first one's number (0 after a failure). */
static u64 take(struct img *m, u64 n)
{
	u64 first = m->first + m->blocks;

	if (m->failed)
		return 0;
	if (m->blocks + n > m->cap) {
		u64 cap = m->cap ? m->cap : 64;
		u8 *b;

		while (cap < m->blocks + n)
			cap *= 2;
		b = realloc(m->buf, cap * m->bs);
		if (!b) {
			m->failed = true;
			return 0;
		}
		memset(b + m->cap * m->bs, 0, (cap - m->cap) * m->bs);
		m->buf = b;
		m->cap = cap;
	}
	m->blocks += n;
	return first;
}

static u8 *at(struct img *m, u64 block)
{
	return m->buf + (block - m->first) * m->bs;
}

/* A pointer to count blocks from block, into a 16-byte slot. */
static void put_ptr(struct img *m, void *slot, u64 block, u64 count)
{
	if (m->eckd) {
		struct bm_eckd_ptr *e = slot;
		u64 track = block / m->per_track;

		e->cyl = cpu_to_be16((u16)(track / m->heads));
		e->head = cpu_to_be16((u16)(track % m->heads));
		e->rec = (u8)(block % m->per_track + 1);
		e->size[0] = (u8)(m->bs >> 8);
		e->size[1] = (u8)m->bs;
		e->count = (u8)(count - 1);
	} else {
		struct bm_blockptr *p = slot;

		p->block = cpu_to_be64(block);
		p->size = cpu_to_be16((u16)m->bs);
		p->count = cpu_to_be16((u16)(count - 1));
	}
}

/*
 * The data blocks of one component and its block lists: runs of at most
 * RUN_MAX blocks, as many pointers to a list block as fit before its last
 * slot, which continues the list. Returns the first list block.
 */
static u64 component(struct img *m, const u8 *data, size_t len)
{
	u64 nblocks = (len + m->bs - 1) / m->bs, first, runs, per_list, lists, list0;
	u64 run_max = m->eckd ? BM_ECKD_RUN_MAX : RUN_MAX;

	first = take(m, nblocks);
	if (m->failed)
		return 0;
	memcpy(at(m, first), data, len);
	runs = (nblocks + run_max - 1) / run_max;
	per_list = m->bs / 16 - 1;
	lists = (runs + per_list - 1) / per_list;
	list0 = take(m, lists);
	if (m->failed)
		return 0;
	for (u64 r = 0; r < runs; r++) {
		u64 lb = list0 + r / per_list, slot = r % per_list;
		u64 start = first + r * run_max;
		u64 count = nblocks - r * run_max < run_max ? nblocks - r * run_max : run_max;

		put_ptr(m, at(m, lb) + 16 * slot, start, count);
	}
	/* Each full list block but the last continues in the next. */
	for (u64 l = 0; l + 1 < lists; l++)
		put_ptr(m, at(m, list0 + l) + 16 * per_list, list0 + l + 1, 1);
	return list0;
}

static void comp_entry(struct img *m, struct bm_comp_entry *c, u8 type, u64 list, u64 addr)
{
	if (list)
		put_ptr(m, &c->list, list, 1);
	c->type = type;
	c->addr = cpu_to_be64(addr);
}

/* One entry: the patched kernel, the initrd, the header. Its header block. */
static u64 entry(struct img *m, const struct bootdisk_entry *e, char *why, size_t wl)
{
	const char *append = e->append ? e->append : "";
	u64 max = linux_max_cmdline(e->kernel, e->kernel_len), header, initrd = 0, klist, ilist = 0;
	size_t alen = strlen(append);
	struct bm_comp_header *h;
	struct bm_comp_entry *c;
	u8 *k;

	if (!linux_is_kernel(e->kernel, e->kernel_len)) {
		tool_why(why, wl, "not an s390x Linux kernel: no S390EP at 0x%x", LINUX_MAGIC_ADDR);
		return 0;
	}
	if (e->kernel_len <= LINUX_CMDLINE + 1) {
		tool_why(why, wl, "the kernel is %zu bytes, too short for its parameter area",
		    e->kernel_len);
		return 0;
	}
	if (alen + 1 > max || LINUX_CMDLINE + alen + 1 > e->kernel_len) {
		tool_why(why, wl, "the command line is %zu bytes; the kernel takes at most %llu", alen,
		    (unsigned long long)(max - 1));
		return 0;
	}
	if (e->psw && (!(e->psw & BOOTDISK_PSW_BIT12) ||
		       (e->psw & 0x7FFFFFFFu) < LINUX_ENTRY ||
		       (e->psw & 0x7FFFFFFFu) >= e->kernel_len)) {
		tool_why(why, wl, "the EXEC PSW %016llx does not enter the kernel: it needs bit 12 "
			     "(0x0008000000000000) and an address from 0x%x to 0x%zx",
		    (unsigned long long)e->psw, LINUX_ENTRY, e->kernel_len - 1);
		return 0;
	}
	k = malloc(e->kernel_len);
	if (!k) {
		tool_why(why, wl, "out of memory");
		return 0;
	}
	memcpy(k, e->kernel, e->kernel_len);
	if (e->initrd && e->initrd_len)
		initrd = linux_initrd_addr(e->kernel_len);
	put_be32(k + LINUX_PARM_INITRD_START, (u32)(initrd >> 32));
	put_be32(k + LINUX_PARM_INITRD_START + 4, (u32)initrd);
	put_be32(k + LINUX_PARM_INITRD_SIZE, (u32)((u64)(initrd ? e->initrd_len : 0) >> 32));
	put_be32(k + LINUX_PARM_INITRD_SIZE + 4, (u32)(initrd ? e->initrd_len : 0));
	memset(k + LINUX_CMDLINE, 0, (size_t)(max < e->kernel_len - LINUX_CMDLINE
						       ? max : e->kernel_len - LINUX_CMDLINE));
	memcpy(k + LINUX_CMDLINE, append, alen);
	header = take(m, 1);
	klist = component(m, k + LINUX_ENTRY, e->kernel_len - LINUX_ENTRY);
	free(k);
	if (initrd)
		ilist = component(m, e->initrd, e->initrd_len);
	if (m->failed) {
		tool_why(why, wl, "out of memory");
		return 0;
	}
	h = (struct bm_comp_header *)at(m, header);
	h->magic = cpu_to_be32(BM_MAGIC);
	h->type = BM_COMP_IPL;
	c = (struct bm_comp_entry *)(h + 1);
	comp_entry(m, c++, BM_ENTRY_LOAD, klist, LINUX_ENTRY);
	if (initrd)
		comp_entry(m, c++, BM_ENTRY_LOAD, ilist, initrd);
	comp_entry(m, c, BM_ENTRY_EXEC, 0, e->psw ? e->psw : LINUX_EXEC_PSW);
	return header;
}

/* The program table in block `table` and every entry after it; false
 * with the reason (the image is freed). */
static bool entries(struct img *m, u64 table, const struct bootdisk_entry *e, unsigned n,
		    char *why, size_t why_len)
{
	struct bm_table_header *t;
	u64 headers[BOOTDISK_MAX_ENTRIES];

	for (unsigned i = 0; i < n; i++) {
		char sub[200];

		headers[i] = entry(m, &e[i], sub, sizeof(sub));
		if (!headers[i]) {
			tool_why(why, why_len, "entry %u: %s", i + 1, sub);
			free(m->buf);
			return false;
		}
	}
	t = (struct bm_table_header *)at(m, table);
	t->magic = cpu_to_be32(BM_MAGIC);
	/* Slot 0, the default, is the first entry; slot i is entry i. */
	put_ptr(m, t + 1, headers[0], 1);
	for (unsigned i = 0; i < n; i++)
		put_ptr(m, (u8 *)(t + 1) + 16 * (i + 1), headers[i], 1);
	return true;
}

static bool entries_ok(unsigned n, u32 block_size, char *why, size_t why_len)
{
	/* The table's slots: the default and n entries, before its last. */
	if (n == 0 || n > BOOTDISK_MAX_ENTRIES || n + 1 > block_size / 16 - 2) {
		tool_why(why, why_len, "%u entries: a disk holds 1 to %u", n, BOOTDISK_MAX_ENTRIES);
		return false;
	}
	return true;
}

u8 *bootdisk_build(const struct bootdisk_entry *e, unsigned n, u32 block_size, size_t *len,
		   char *why, size_t why_len)
{
	struct img m = { .bs = block_size };
	struct bm_mbr *mbr;

	if (block_size < 512 || block_size > 4096 || (block_size & (block_size - 1))) {
		tool_why(why, why_len, "block size %u: 512, 1024, 2048 or 4096", block_size);
		return NULL;
	}
	if (!entries_ok(n, block_size, why, why_len))
		return NULL;
	take(&m, 2); /* the boot record and the program table */
	if (m.failed) {
		tool_why(why, why_len, "out of memory");
		return NULL;
	}
	if (!entries(&m, 1, e, n, why, why_len))
		return NULL;
	mbr = (struct bm_mbr *)at(&m, 0);
	mbr->magic = cpu_to_be32(BM_MAGIC);
	mbr->version = cpu_to_be32(BM_MBR_VERSION);
	put_ptr(&m, &mbr->table, 1, 1);
	*len = m.blocks * block_size;
	return m.buf;
}

u8 *bootdisk_build_eckd(const struct bootdisk_entry *e, unsigned n,
			const struct bootdisk_eckd *g, u64 *nblocks,
			struct bm_eckd_ptr *table, char *why, size_t why_len)
{
	struct img m = { .bs = g->record_size, .eckd = true, .first = g->first_block,
			 .heads = g->heads, .per_track = g->per_track };
	u64 tb;

	if (g->record_size < 512 || g->record_size > 4096 || !g->heads || g->heads > 15 ||
	    !g->per_track || g->per_track > 255 || !g->first_block) {
		tool_why(why, why_len, "records of %u bytes, %u heads, %u records a track: not a "
				  "3390 boot map's", g->record_size, g->heads, g->per_track);
		return NULL;
	}
	if (!entries_ok(n, g->record_size, why, why_len))
		return NULL;
	tb = take(&m, 1);
	if (m.failed) {
		tool_why(why, why_len, "out of memory");
		return NULL;
	}
	if (!entries(&m, tb, e, n, why, why_len))
		return NULL;
	memset(table, 0, sizeof(*table));
	put_ptr(&m, table, tb, 1);
	*nblocks = m.blocks;
	return m.buf;
}
