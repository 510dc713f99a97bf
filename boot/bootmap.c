/* The boot-map reader: see bootmap.h; the layout is bootmap_hw.h. */
#include "boot/bootmap.h"

#include "ring/fmt.h"

/* A block pointer in host order. */
struct ptr {
	u64 block;
	u32 size;
	u32 count;   /* blocks, count field + 1 */
};

static struct ptr ptr_of(const struct bm_blockptr *p)
{
	struct ptr r = { be64_to_cpu(p->block), be16_to_cpu(p->size),
			 (u32)be16_to_cpu(p->count) + 1 };

	return r;
}

/*
 * A pointer must name whole blocks of the disk's size, all on the disk.
 * `what` and `where` say which pointer it is, for the message.
 */
static int check_ptr(const struct bm_disk *d, const struct ptr *p, const char *what, u64 where,
		     char *why, size_t wl)
{
	if (p->size != d->block_size)
		return fmt_err(why, wl, -VERR_PROTO,
			   "%s in block %llu: block size %u, the disk's is %u", what,
			   (unsigned long long)where, p->size, d->block_size);
	if (p->block >= d->blocks || p->count > d->blocks - p->block)
		return fmt_err(why, wl, -VERR_PROTO,
			   "%s in block %llu: blocks %llu to %llu, past the end of the disk "
			   "(%llu blocks)", what, (unsigned long long)where,
			   (unsigned long long)p->block,
			   (unsigned long long)(p->block + p->count - 1),
			   (unsigned long long)d->blocks);
	return 0;
}

static int read_blocks(const struct bm_disk *d, u64 block, u32 count, void *buf, const char *what,
		       char *why, size_t wl)
{
	int err = d->read(d->ctx, block, count, buf);

	if (err)
		return fmt_err(why, wl, err < 0 ? err : -VERR_IO, "%s: reading block %llu failed (%s)",
			   what, (unsigned long long)block, verr_str(err < 0 ? err : -VERR_IO));
	return 0;
}

static bool disk_ok(const struct bm_disk *d)
{
	return d->block_size >= 512 && d->block_size <= 4096 &&
	       !(d->block_size & (d->block_size - 1)) && d->blocks;
}

/* Block 0 and the program table into buf; the number of entries. */
static int read_table(const struct bm_disk *d, u8 *buf, unsigned *n, u64 *table_block, char *why,
		      size_t wl)
{
	const struct bm_mbr *mbr = (const struct bm_mbr *)buf;
	struct ptr t;
	unsigned count = 0;
	int err;

	if (!disk_ok(d))
		return fmt_err(why, wl, -VERR_INVAL, "a disk of %u-byte blocks cannot hold a boot map",
			   d->block_size);
	err = read_blocks(d, 0, 1, buf, "the boot record", why, wl);
	if (err)
		return err;
	if (be32_to_cpu(mbr->magic) != BM_MAGIC)
		return fmt_err(why, wl, -VERR_NOTSUP, "block 0 holds no zIPL boot record");
	t = ptr_of(&mbr->table);
	if (!t.block)
		return fmt_err(why, wl, -VERR_PROTO, "the boot record in block 0 names no program table");
	err = check_ptr(d, &t, "the program-table pointer", 0, why, wl);
	if (err)
		return err;
	err = read_blocks(d, t.block, 1, buf, "the program table", why, wl);
	if (err)
		return err;
	if (be32_to_cpu(((const struct bm_table_header *)buf)->magic) != BM_MAGIC)
		return fmt_err(why, wl, -VERR_PROTO, "the program table in block %llu has no zIPL magic",
			   (unsigned long long)t.block);
	/* Entries from byte 16; a zero pointer ends them. As QEMU's BIOS, the
	 * block's last slot is not an entry. */
	for (u32 off = 16; off + 2 * 16 <= d->block_size && count < BM_MAX_ENTRIES; off += 16) {
		if (!ptr_of((const struct bm_blockptr *)(buf + off)).block)
			break;
		count++;
	}
	if (!count)
		return fmt_err(why, wl, -VERR_PROTO, "the program table in block %llu has no entries",
			   (unsigned long long)t.block);
	*n = count;
	*table_block = t.block;
	return 0;
}

int bm_entries(const struct bm_disk *d, void *scratch, unsigned *n, char *why, size_t why_len)
{
	u64 tb;

	return read_table(d, scratch, n, &tb, why, why_len);
}

/* The destination [addr, addr + len) must lie in memory and off the loader. */
static int check_dest(const struct bm_target *t, u64 addr, u64 len, u64 list_block, char *why,
		      size_t wl)
{
	if (addr > t->mem_size || len > t->mem_size - addr)
		return fmt_err(why, wl, -VERR_PROTO,
			   "the block list in block %llu loads 0x%llx to 0x%llx, beyond memory "
			   "(0x%llx bytes)", (unsigned long long)list_block,
			   (unsigned long long)addr, (unsigned long long)(addr + len - 1),
			   (unsigned long long)t->mem_size);
	if (t->avoid_end > t->avoid_start && addr < t->avoid_end && addr + len > t->avoid_start)
		return fmt_err(why, wl, -VERR_PROTO,
			   "the block list in block %llu loads 0x%llx to 0x%llx, over the loader "
			   "(0x%llx to 0x%llx)", (unsigned long long)list_block,
			   (unsigned long long)addr, (unsigned long long)(addr + len - 1),
			   (unsigned long long)t->avoid_start,
			   (unsigned long long)(t->avoid_end - 1));
	return 0;
}

/*
 * Load one LOAD component: its block lists, from list, to addr. *len the
 * bytes loaded. The list blocks are followed with Brent's cycle check, so
 * a list that comes back to one of its blocks is found within twice its
 * length.
 */
static int load_component(const struct bm_disk *d, const struct bm_target *t, struct ptr list,
			  u64 addr, u8 *buf, u64 *len, char *why, size_t wl)
{
	u32 slots = d->block_size / 16;
	u64 start = addr, saved, steps = 0, power = 1;
	int err;

	if (!list.block)
		return fmt_err(why, wl, -VERR_PROTO, "a LOAD component names no block list");
	saved = list.block;
	for (;;) {
		u64 block = list.block;

		err = check_ptr(d, &list, "a block-list pointer", block, why, wl);
		if (err)
			return err;
		err = read_blocks(d, block, 1, buf, "a block list", why, wl);
		if (err)
			return err;
		for (u32 i = 0;; i++) {
			struct ptr p = ptr_of((const struct bm_blockptr *)(buf + 16u * i));
			u64 bytes;
			void *host;

			if (!p.block) {
				/* The end of the list, which must have loaded something. */
				if (addr == start)
					return fmt_err(why, wl, -VERR_PROTO,
						   "the block list in block %llu is empty",
						   (unsigned long long)block);
				*len = addr - start;
				return 0;
			}
			if (i == slots - 1) {
				list = p;   /* the list goes on in another block */
				break;
			}
			err = check_ptr(d, &p, "a block pointer", block, why, wl);
			if (err)
				return err;
			bytes = (u64)p.count * d->block_size;
			err = check_dest(t, addr, bytes, block, why, wl);
			if (err)
				return err;
			host = t->ptr(t->ctx, addr, bytes);
			if (!host)
				return fmt_err(why, wl, -VERR_PROTO,
					   "the block list in block %llu loads 0x%llx, which the "
					   "loader cannot reach", (unsigned long long)block,
					   (unsigned long long)addr);
			err = read_blocks(d, p.block, p.count, host, "a component", why, wl);
			if (err)
				return err;
			addr += bytes;
		}
		if (list.block == saved)
			return fmt_err(why, wl, -VERR_PROTO,
				   "the block list through block %llu loops back to it",
				   (unsigned long long)saved);
		if (++steps == power) {
			saved = list.block;
			steps = 0;
			power *= 2;
		}
	}
}

int bm_load(const struct bm_disk *d, unsigned entry, const struct bm_target *t,
	    struct bm_program *out, void *scratch, char *why, size_t why_len)
{
	u8 *buf = scratch, *list_buf = (u8 *)scratch + 4096;
	const struct bm_comp_header *h = (const struct bm_comp_header *)buf;
	unsigned n;
	u64 table, hb;
	struct ptr e;
	int err;

	out->nloads = 0;
	out->psw = 0;
	err = read_table(d, buf, &n, &table, why, why_len);
	if (err)
		return err;
	if (entry >= n)
		return fmt_err(why, why_len, -VERR_INVAL,
			   "boot entry %u does not exist: the program table in block %llu has %u "
			   "(0 to %u)", entry, (unsigned long long)table, n, n - 1);
	e = ptr_of((const struct bm_blockptr *)(buf + 16u * (entry + 1)));
	err = check_ptr(d, &e, "a program-table entry", table, why, why_len);
	if (err)
		return err;
	hb = e.block;
	out->entry_block = hb;
	err = read_blocks(d, hb, 1, buf, "a component header", why, why_len);
	if (err)
		return err;
	if (be32_to_cpu(h->magic) != BM_MAGIC)
		return fmt_err(why, why_len, -VERR_PROTO,
			   "the component header of entry %u in block %llu has no zIPL magic", entry,
			   (unsigned long long)hb);
	if (h->type != BM_COMP_IPL)
		return fmt_err(why, why_len, -VERR_PROTO,
			   "the component header in block %llu is of type %u, not IPL (0)",
			   (unsigned long long)hb, h->type);
	for (u32 off = sizeof(*h); off + sizeof(struct bm_comp_entry) <= d->block_size;
	     off += sizeof(struct bm_comp_entry)) {
		/* The header stays in the first half of scratch; the block
		 * lists are read into the second. */
		const struct bm_comp_entry *c = (const struct bm_comp_entry *)(buf + off);
		u64 addr = be64_to_cpu(c->addr), len = 0;

		switch (c->type) {
		case BM_ENTRY_LOAD:
			if (out->nloads == BM_MAX_LOADS)
				return fmt_err(why, why_len, -VERR_PROTO,
					   "the component header in block %llu has more than %u "
					   "LOAD components", (unsigned long long)hb, BM_MAX_LOADS);
			err = load_component(d, t, ptr_of(&c->list), addr, list_buf, &len, why,
					     why_len);
			if (err)
				return err;
			out->load[out->nloads].addr = addr;
			out->load[out->nloads].len = len;
			out->nloads++;
			break;
		case BM_ENTRY_SIGNATURE:
			break;
		case BM_ENTRY_EXEC:
			out->psw = addr;
			return 0;
		default:
			return fmt_err(why, why_len, -VERR_PROTO,
				   "the component header in block %llu has an entry of unknown "
				   "type %u at byte %u", (unsigned long long)hb, c->type, off);
		}
	}
	return fmt_err(why, why_len, -VERR_PROTO,
		   "the component header in block %llu ends without an EXEC entry",
		   (unsigned long long)hb);
}
