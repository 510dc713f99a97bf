/* El Torito boot images: see eltorito.h. ECMA-119 (ISO 9660) 8.2 and 9.1,
 * El Torito 1.0 2.0-2.4. */
#include "boot/eltorito.h"

#include "ring/fmt.h"

/* Volume descriptor types (ECMA-119 8.1). */
#define VD_BOOT 0
#define VD_PRIMARY 1
#define VD_TERMINATOR 255
/* The boot record's system id, padded with NULs to 32 bytes, and where the
 * catalog's block is (El Torito 2.0). */
#define BR_CATALOG 0x47u
/* The primary descriptor's root directory record (ECMA-119 8.4.18). */
#define PVD_ROOT 156u
/* Catalog entries (El Torito 2.1, 2.2). */
#define BC_VALIDATION 0x01
#define BC_BOOTABLE 0x88
/* The Linux IPL record's two CCWs and eight EBCDIC blanks at bytes 8-31 of
 * the image (arch/s390/boot/head.S; QEMU's linux_s390_magic). */
static const u8 linux_ipl[24] = {
	0x02, 0x00, 0x00, 0x18, 0x60, 0x00, 0x00, 0x50, 0x02, 0x00, 0x00, 0x68,
	0x60, 0x00, 0x00, 0x50, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40,
};
static const char el_torito[] = "EL TORITO SPECIFICATION";
/* A Linux kernel's entry, in 64-bit mode (boot/linux_hw.h's value). */
#define ISO_LINUX_PSW 0x0008000080010000ull

struct image {
	u32 rba;      /* first block */
	u32 sectors;  /* the catalog's count of 512-byte sectors */
	u16 segment;  /* the load address */
};

static u32 iso_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static int rd(const struct bm_disk *d, u64 block, u32 count, void *buf, const char *what,
	      char *why, size_t wl)
{
	const char *dev;
	int err;

	if (block >= d->blocks || count > d->blocks - block)
		return fmt_err(why, wl, -VERR_PROTO, "%s at block %llu (%u blocks): past the end "
			   "of the disc (%llu blocks of 2048 bytes)", what,
			   (unsigned long long)block, count, (unsigned long long)d->blocks);
	err = d->read(d->ctx, block, count, buf);
	if (!err)
		return 0;
	dev = d->read_why ? d->read_why(d->ctx) : NULL;
	return fmt_err(why, wl, err < 0 ? err : -VERR_IO, "%s: reading block %llu failed (%s)%s%s",
		   what, (unsigned long long)block, verr_str(err < 0 ? err : -VERR_IO),
		   dev && *dev ? ": " : "", dev ? dev : "");
}

/* The catalog's first block into buf; its block number in *at. */
static int catalog(const struct bm_disk *d, u8 *buf, u32 *at, char *why, size_t wl)
{
	int err;

	if (d->block_size != ISO_BLOCK || d->blocks <= ISO_FIRST_VD)
		return fmt_err(why, wl, -VERR_NOTSUP, "not an ISO 9660 disc (%u-byte blocks, %llu "
			   "of them)", d->block_size, (unsigned long long)d->blocks);
	for (u32 i = 0; i < ISO_MAX_VDS; i++) {
		err = rd(d, ISO_FIRST_VD + i, 1, buf, "a volume descriptor", why, wl);
		if (err)
			return err;
		if (memcmp(buf + 1, "CD001", 5) || buf[6] != 1)
			return fmt_err(why, wl, -VERR_NOTSUP, "block %u holds no ISO 9660 volume "
				   "descriptor (no CD001): not an ISO 9660 disc", ISO_FIRST_VD + i);
		if (buf[0] == VD_TERMINATOR)
			break;
		if (buf[0] == VD_BOOT && !memcmp(buf + 7, el_torito, sizeof(el_torito) - 1)) {
			*at = iso_le32(buf + BR_CATALOG);
			err = rd(d, *at, 1, buf, "the El Torito boot catalog", why, wl);
			if (err)
				return err;
			if (buf[0] != BC_VALIDATION || buf[30] != 0x55 || buf[31] != 0xAA)
				return fmt_err(why, wl, -VERR_PROTO, "the El Torito boot catalog in "
					   "block %u has no validation entry", *at);
			return 0;
		}
	}
	return fmt_err(why, wl, -VERR_NOTSUP, "the ISO 9660 disc has no El Torito boot record: "
		   "it does not boot");
}

/* The Linux images of the catalog in buf (one block) into img; *n of them. */
static int images(const struct bm_disk *d, const u8 *cat, u8 *tmp, struct image *img, unsigned *n,
		  char *why, size_t wl)
{
	*n = 0;
	for (unsigned i = 1; i < ISO_BC_ENTRIES; i++) {
		const u8 *e = cat + 32 * i;
		struct image m = {
			.rba = iso_le32(e + 8), .sectors = (u32)e[6] | (u32)e[7] << 8,
			.segment = (u16)(e[2] | e[3] << 8),
		};
		int err;

		if (e[0] != BC_BOOTABLE || e[5] || !m.sectors)
			continue;
		err = rd(d, m.rba, 1, tmp, "a boot image", why, wl);
		if (err)
			return err;
		if (memcmp(tmp + 8, linux_ipl, sizeof(linux_ipl)))
			continue;   /* not an s390 Linux image: QEMU passes it over too */
		if (img && *n < ISO_BC_ENTRIES)
			img[*n] = m;
		(*n)++;
	}
	return 0;
}

int bm_iso_entries(const struct bm_disk *d, void *scratch, unsigned *n, char *why, size_t wl)
{
	u8 *buf = scratch;
	u32 at;
	int err = catalog(d, buf, &at, why, wl);

	if (!err)
		err = images(d, buf, buf + ISO_BLOCK, NULL, n, why, wl);
	if (!err && !*n)
		return fmt_err(why, wl, -VERR_NOTSUP, "the El Torito boot catalog in block %u names "
			   "no s390 Linux image", at);
	return err;
}

/*
 * The size of the file whose extent starts at rba, from the directory tree
 * (breadth-first: at most ISO_DIR_DEPTH levels, ISO_MAX_DIRS directories
 * and ISO_MAX_DIR_BLOCKS blocks read); 0 when no file starts there.
 */
#define ISO_MAX_DIRS 32u
static u32 file_size(const struct bm_disk *d, u32 rba, u8 *buf, char *why, size_t wl)
{
	struct {
		u32 block, len;
		u8 depth;
	} dirs[ISO_MAX_DIRS];
	unsigned ndirs = 1, reads = 0;

	if (rd(d, ISO_FIRST_VD, 1, buf, "the primary volume descriptor", why, wl) ||
	    buf[0] != VD_PRIMARY)
		return 0;
	dirs[0].block = iso_le32(buf + PVD_ROOT + 2);
	dirs[0].len = iso_le32(buf + PVD_ROOT + 10);
	dirs[0].depth = 0;
	for (unsigned i = 0; i < ndirs; i++) {
		for (u32 at = 0; at < dirs[i].len; at += ISO_BLOCK) {
			u32 take = MIN(dirs[i].len - at, ISO_BLOCK), off = 0;

			if (++reads > ISO_MAX_DIR_BLOCKS ||
			    rd(d, (u64)dirs[i].block + at / ISO_BLOCK, 1, buf, "a directory", why, wl))
				return 0;
			/* ECMA-119 9.1: the record's length, the extent and data
			 * length (both-endian, little first), the flags (bit 1 a
			 * directory), the name's length and name (a single 0 or
			 * 1: the directory itself, its parent). */
			while (off + 34 <= take && buf[off] >= 34 && off + buf[off] <= take) {
				const u8 *r = buf + off;

				off += r[0];
				if (r[32] == 1 && r[33] <= 1)
					continue;
				if (!(r[25] & 2) && iso_le32(r + 2) == rba)
					return iso_le32(r + 10);
				if ((r[25] & 2) && dirs[i].depth + 1u < ISO_DIR_DEPTH &&
				    ndirs < ISO_MAX_DIRS) {
					dirs[ndirs].block = iso_le32(r + 2);
					dirs[ndirs].len = iso_le32(r + 10);
					dirs[ndirs].depth = (u8)(dirs[i].depth + 1);
					ndirs++;
				}
			}
		}
	}
	return 0;
}

int bm_iso_load(const struct bm_disk *d, unsigned entry, const struct bm_target *t,
		struct bm_program *out, void *scratch, char *why, size_t wl)
{
	static struct image img[ISO_BC_ENTRIES];
	u8 *buf = scratch, *tmp = (u8 *)scratch + ISO_BLOCK;
	unsigned n, pick = entry <= 1 ? 0 : entry - 1;
	u64 bytes, addr, skip, first, blocks;
	u32 at, size;
	int err;

	memset(out, 0, sizeof(*out));
	err = catalog(d, buf, &at, why, wl);
	if (!err)
		err = images(d, buf, tmp, img, &n, why, wl);
	if (err)
		return err;
	if (!n)
		return fmt_err(why, wl, -VERR_NOTSUP, "the El Torito boot catalog in block %u names "
			   "no s390 Linux image", at);
	if (pick >= n)
		return fmt_err(why, wl, -VERR_INVAL, "boot entry %u does not exist: the El Torito "
			   "catalog in block %u names %u s390 Linux image%s", entry, at, n,
			   n == 1 ? "" : "s");
	size = file_size(d, img[pick].rba, buf, why, wl);
	bytes = size ? size : (u64)img[pick].sectors * 512;
	blocks = (bytes + ISO_BLOCK - 1) / ISO_BLOCK;
	addr = img[pick].segment;
	if (img[pick].rba >= d->blocks || blocks > d->blocks - img[pick].rba)
		return fmt_err(why, wl, -VERR_PROTO, "the boot image at block %u (%llu bytes) goes "
			   "past the end of the disc", img[pick].rba, (unsigned long long)bytes);
	if (addr + blocks * ISO_BLOCK > t->mem_size ||
	    (t->avoid_end > t->avoid_start && addr + blocks * ISO_BLOCK > t->avoid_start &&
	     addr < t->avoid_end))
		return fmt_err(why, wl, -VERR_PROTO, "the boot image at block %u loads 0x%llx to "
			   "0x%llx: beyond memory or over the loader", img[pick].rba,
			   (unsigned long long)addr,
			   (unsigned long long)(addr + blocks * ISO_BLOCK - 1));
	/* The blocks that reach below t->low go through the scratch block:
	 * only what lies at or above it is kept. */
	skip = t->low > addr ? t->low - addr : 0;
	if (skip >= blocks * ISO_BLOCK)
		return fmt_err(why, wl, -VERR_PROTO, "the boot image at block %u (%llu bytes at "
			   "0x%llx) lies below 0x%llx, in the loader's lowcore", img[pick].rba,
			   (unsigned long long)bytes, (unsigned long long)addr,
			   (unsigned long long)t->low);
	first = MIN(blocks, (skip + ISO_BLOCK - 1) / ISO_BLOCK);
	for (u64 b = 0; b < first; b++) {
		u64 from = b * ISO_BLOCK, keep = from + ISO_BLOCK > skip ? from + ISO_BLOCK - skip : 0;
		void *host;

		err = rd(d, img[pick].rba + b, 1, tmp, "the boot image", why, wl);
		if (err)
			return err;
		if (!keep)
			continue;
		host = t->ptr(t->ctx, addr + skip, keep);
		if (!host)
			return fmt_err(why, wl, -VERR_PROTO, "the boot image loads 0x%llx, which the "
				   "loader cannot reach", (unsigned long long)(addr + skip));
		memcpy(host, tmp + ISO_BLOCK - keep, keep);
	}
	if (blocks > first) {
		u64 from = addr + first * ISO_BLOCK, len = (blocks - first) * ISO_BLOCK;
		void *host = t->ptr(t->ctx, from, len);

		if (!host)
			return fmt_err(why, wl, -VERR_PROTO, "the boot image loads 0x%llx, which the "
				   "loader cannot reach", (unsigned long long)from);
		for (u64 done = 0; done < len;) {
			u32 k = (u32)MIN(len - done, (u64)(4096u * ISO_BLOCK));

			err = rd(d, img[pick].rba + first + done / ISO_BLOCK, k / ISO_BLOCK,
				 (u8 *)host + done, "the boot image", why, wl);
			if (err)
				return err;
			done += k;
		}
	}
	out->nloads = 1;
	out->load[0].addr = addr + MIN(skip, blocks * ISO_BLOCK);
	out->load[0].len = blocks * ISO_BLOCK - MIN(skip, blocks * ISO_BLOCK);
	out->psw = ISO_LINUX_PSW;
	out->entry_block = img[pick].rba;
	return 0;
}
