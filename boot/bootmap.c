/* The boot-map reader: see bootmap.h; the layout is bootmap_hw.h. */
#include "boot/bootmap.h"

#include "ring/fmt.h"

/* A block pointer in host order. */
struct ptr {
	u64 block;   /* 0: none (the end of a list) */
	u32 size;
	u32 count;   /* blocks, count field + 1 */
	bool rec0;   /* ECKD: names record 0, which holds no data */
	u16 cyl, head;  /* ECKD: as written */
};

/* A 16-byte pointer slot, SCSI or ECKD as the disk has them. */
static struct ptr ptr_of(const struct bm_disk *d, const void *slot)
{
	struct ptr r = { 0, 0, 0, false, 0, 0 };

	if (d->eckd) {
		const struct bm_eckd_ptr *e = slot;
		u64 cyl = be16_to_cpu(e->cyl), head = be16_to_cpu(e->head);

		r.size = (u32)e->size[0] << 8 | e->size[1];
		r.count = (u32)e->count + 1;
		r.cyl = (u16)cyl;
		r.head = (u16)head;
		if (!cyl && !head && !e->rec)
			return r;
		if (!e->rec) {
			r.rec0 = true;
			r.block = ~(u64)0;
			return r;
		}
		r.block = ((cyl + ((head & 0xFFF0u) << 12)) * d->heads + (head & 0xFu)) *
				  d->per_track + e->rec - 1;
		/* Block 0 would be record 1 of cylinder 0 head 0 (IPL1),
		 * which no map names: keep 0 for "none". */
		if (!r.block)
			r.block = ~(u64)0;
		return r;
	}
	{
		const struct bm_blockptr *p = slot;

		r.block = be64_to_cpu(p->block);
		r.size = be16_to_cpu(p->size);
		r.count = (u32)be16_to_cpu(p->count) + 1;
	}
	return r;
}

void bm_block_name(const struct bm_disk *d, u64 block, char *buf, size_t len)
{
	u64 track;

	if (!d->eckd || !d->per_track || !d->heads) {
		fmt_snprintf(buf, len, "block %llu", (unsigned long long)block);
		return;
	}
	track = block / d->per_track;
	fmt_snprintf(buf, len, "cylinder %llu head %llu record %llu",
		     (unsigned long long)(track / d->heads), (unsigned long long)(track % d->heads),
		     (unsigned long long)(block % d->per_track + 1));
}

/* A message's name of a block: "block N" or "cylinder C head H record R". */
struct bname {
	char s[64];
};

static struct bname bn(const struct bm_disk *d, u64 block)
{
	struct bname n;

	bm_block_name(d, block, n.s, sizeof(n.s));
	return n;
}

/*
 * A pointer must name whole blocks of the disk's size, all on the disk.
 * `what` and `where` say which pointer it is, for the message.
 */
static int check_ptr(const struct bm_disk *d, const struct ptr *p, const char *what, u64 where,
		     char *why, size_t wl)
{
	if (p->rec0)
		return fmt_err(why, wl, -VERR_PROTO,
			   "%s in %s: record 0 of cylinder %u head %u, which holds no data", what,
			   bn(d, where).s, p->cyl, p->head);
	if (p->size != d->block_size)
		return fmt_err(why, wl, -VERR_PROTO,
			   "%s in %s: block size %u, the disk's is %u", what, bn(d, where).s,
			   p->size, d->block_size);
	if (d->eckd && (p->head & 0xFu) >= d->heads)
		return fmt_err(why, wl, -VERR_PROTO,
			   "%s in %s: head %u, the volume has %u", what, bn(d, where).s,
			   p->head & 0xFu, d->heads);
	if (p->block >= d->blocks || p->count > d->blocks - p->block) {
		if (d->eckd)
			return fmt_err(why, wl, -VERR_PROTO,
				   "%s in %s: %u records from cylinder %u head %u, past the end "
				   "of the volume (%llu cylinders)", what, bn(d, where).s, p->count,
				   p->cyl, p->head,
				   (unsigned long long)(d->blocks / d->per_track / d->heads));
		return fmt_err(why, wl, -VERR_PROTO,
			   "%s in block %llu: blocks %llu to %llu, past the end of the disk "
			   "(%llu blocks)", what, (unsigned long long)where,
			   (unsigned long long)p->block,
			   (unsigned long long)(p->block + p->count - 1),
			   (unsigned long long)d->blocks);
	}
	return 0;
}

static int read_blocks(const struct bm_disk *d, u64 block, u32 count, void *buf, const char *what,
		       char *why, size_t wl)
{
	int err = d->read(d->ctx, block, count, buf);
	const char *dev = err && d->read_why ? d->read_why(d->ctx) : NULL;

	if (err)
		return fmt_err(why, wl, err < 0 ? err : -VERR_IO, "%s: reading %s failed (%s)%s%s",
			   what, bn(d, block).s, verr_str(err < 0 ? err : -VERR_IO),
			   dev && *dev ? ": " : "", dev ? dev : "");
	return 0;
}

static bool disk_ok(const struct bm_disk *d)
{
	if (d->eckd)
		return d->block_size >= 512 && d->block_size <= 4096 && d->heads &&
		       d->heads <= 16 && d->per_track && d->blocks;
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
	if (d->eckd) {
		/* From IPL2 (block 1), which the platform has read. */
		t = ptr_of(d, &d->eckd_table);
	} else {
		err = read_blocks(d, 0, 1, buf, "the boot record", why, wl);
		if (err)
			return err;
		if (be32_to_cpu(mbr->magic) != BM_MAGIC)
			return fmt_err(why, wl, -VERR_NOTSUP, "block 0 holds no zIPL boot record");
		t = ptr_of(d, &mbr->table);
	}
	if (!t.block)
		return fmt_err(why, wl, -VERR_PROTO, "%s names no program table",
			   d->eckd ? "the IPL2 record's boot record" : "the boot record in block 0");
	err = check_ptr(d, &t, "the program-table pointer", d->eckd ? 1 : 0, why, wl);
	if (err)
		return err;
	err = read_blocks(d, t.block, 1, buf, "the program table", why, wl);
	if (err)
		return err;
	if (be32_to_cpu(((const struct bm_table_header *)buf)->magic) != BM_MAGIC)
		return fmt_err(why, wl, -VERR_PROTO, "the program table in %s has no zIPL magic",
			   bn(d, t.block).s);
	/* Entries from byte 16; a zero pointer ends them. As QEMU's BIOS, the
	 * block's last slot is not an entry. */
	for (u32 off = 16; off + 2 * 16 <= d->block_size && count < BM_MAX_ENTRIES; off += 16) {
		if (!ptr_of(d, buf + off).block)
			break;
		count++;
	}
	if (!count)
		return fmt_err(why, wl, -VERR_PROTO, "the program table in %s has no entries",
			   bn(d, t.block).s);
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
static int check_dest(const struct bm_disk *d, const struct bm_target *t, u64 addr, u64 len,
		      u64 list_block, char *why, size_t wl)
{
	if (addr > t->mem_size || len > t->mem_size - addr)
		return fmt_err(why, wl, -VERR_PROTO,
			   "the block list in %s loads 0x%llx to 0x%llx, beyond memory "
			   "(0x%llx bytes)", bn(d, list_block).s,
			   (unsigned long long)addr, (unsigned long long)(addr + len - 1),
			   (unsigned long long)t->mem_size);
	if (t->avoid_end > t->avoid_start && addr < t->avoid_end && addr + len > t->avoid_start)
		return fmt_err(why, wl, -VERR_PROTO,
			   "the block list in %s loads 0x%llx to 0x%llx, over the loader "
			   "(0x%llx to 0x%llx)", bn(d, list_block).s,
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
			struct ptr p = ptr_of(d, buf + 16u * i);
			u64 bytes;
			void *host;

			if (!p.block) {
				/* The end of the list, which must have loaded something. */
				if (addr == start)
					return fmt_err(why, wl, -VERR_PROTO,
						   "the block list in %s is empty", bn(d, block).s);
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
			err = check_dest(d, t, addr, bytes, block, why, wl);
			if (err)
				return err;
			host = t->ptr(t->ctx, addr, bytes);
			if (!host)
				return fmt_err(why, wl, -VERR_PROTO,
					   "the block list in %s loads 0x%llx, which the "
					   "loader cannot reach", bn(d, block).s,
					   (unsigned long long)addr);
			err = read_blocks(d, p.block, p.count, host, "a component", why, wl);
			if (err)
				return err;
			addr += bytes;
		}
		if (list.block == saved)
			return fmt_err(why, wl, -VERR_PROTO,
				   "the block list through %s loops back to it", bn(d, saved).s);
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
			   "boot entry %u does not exist: the program table in %s has %u "
			   "(0 to %u)", entry, bn(d, table).s, n, n - 1);
	e = ptr_of(d, buf + 16u * (entry + 1));
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
			   "the component header of entry %u in %s has no zIPL magic", entry, bn(d, hb).s);
	if (h->type != BM_COMP_IPL)
		return fmt_err(why, why_len, -VERR_PROTO,
			   "the component header in %s is of type %u, not IPL (0)", bn(d, hb).s,
			   h->type);
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
					   "the component header in %s has more than %u "
					   "LOAD components", bn(d, hb).s, BM_MAX_LOADS);
			err = load_component(d, t, ptr_of(d, &c->list), addr, list_buf, &len, why,
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
				   "the component header in %s has an entry of unknown "
				   "type %u at byte %u", bn(d, hb).s, c->type, off);
		}
	}
	return fmt_err(why, why_len, -VERR_PROTO,
		   "the component header in %s ends without an EXEC entry", bn(d, hb).s);
}
