/* A bootable 3390 volume: see ckdboot.h. */
#include "tools/ckdboot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/ckdvol.h"
#include "tools/file.h"

/* Format-0 CCW (PoP 15, "Channel-Command Word"): command, 24-bit data
 * address, flags, count. */
#define CCW_CC 0x40u
#define CCW_SLI 0x20u
#define CMD_READ_DATA 0x06u
#define CMD_SEEK 0x07u
#define CMD_TIC 0x08u
#define CMD_SEARCH_ID_EQ 0x31u

/* The ESA/390 IPL PSW: bit 12 (the ESA/390 format), 31-bit addressing. */
#define IPL_PSW_MASK 0x00080000u
#define IPL_PSW_31 0x80000000u

/* In the record of CCWs: the CCWs from its start, the seek arguments from
 * its second half. */
#define CHAIN_ARGS 2048u

/* EBCDIC keys of cylinder 0, head 0. */
static const u8 key_ipl1[4] = { 0xC9, 0xD7, 0xD3, 0xF1 };
static const u8 key_ipl2[4] = { 0xC9, 0xD7, 0xD3, 0xF2 };
static const u8 key_vol1[4] = { 0xE5, 0xD6, 0xD3, 0xF1 };

static u8 *ccw0(u8 *p, u8 cmd, u32 addr, u8 flags, u16 count)
{
	p[0] = cmd;
	p[1] = (u8)(addr >> 16);
	p[2] = (u8)(addr >> 8);
	p[3] = (u8)addr;
	p[4] = flags;
	p[5] = 0;
	put_be16(p + 6, count);
	return p + 8;
}

/* ---- The loader: an s390x ELF made into the image the IPL reads. ---- */

static u64 rd64(const u8 *p)
{
	return (u64)get_be32(p) << 32 | get_be32(p + 4);
}

/*
 * The bytes from address 0 to the end of the last loaded segment's file
 * part (from malloc, *len) and the address of CKDBOOT_ENTRY_SYMBOL; *memsz
 * the whole span with .bss. NULL with the reason.
 */
u8 *ckdboot_loader(const u8 *elf, size_t n, size_t *len, u64 *entry, char *why, size_t wl)
{
	u64 phoff, shoff, end = 0, mem = 0;
	u16 phent, phnum, shent, shnum;
	u8 *img;
	bool found = false;

	if (n < 64 || memcmp(elf, "\177ELF", 4) || elf[4] != 2 || elf[5] != 2 ||
	    get_be16(elf + 18) != 22) {
		tool_why(why, wl, "the loader is not a 64-bit big-endian s390x ELF file");
		return NULL;
	}
	phoff = rd64(elf + 32);
	shoff = rd64(elf + 40);
	phent = get_be16(elf + 54);
	phnum = get_be16(elf + 56);
	shent = get_be16(elf + 58);
	shnum = get_be16(elf + 60);
	if (phent < 56 || phoff > n || (u64)phent * phnum > n - phoff || shent < 64 ||
	    shoff > n || (u64)shent * shnum > n - shoff) {
		tool_why(why, wl, "the loader's ELF headers run past its end");
		return NULL;
	}
	for (u16 i = 0; i < phnum; i++) {
		const u8 *ph = elf + phoff + (u64)i * phent;
		u64 off = rd64(ph + 8), va = rd64(ph + 16), fsz = rd64(ph + 32), msz = rd64(ph + 40);

		if (get_be32(ph) != 1) /* PT_LOAD */
			continue;
		if (off > n || fsz > n - off || va > (16u << 20) || msz > (16u << 20) || fsz > msz) {
			tool_why(why, wl, "the loader has a segment that is not a loader's");
			return NULL;
		}
		end = MAX(end, va + fsz);
		mem = MAX(mem, va + msz);
	}
	if (!end) {
		tool_why(why, wl, "the loader has nothing to load");
		return NULL;
	}
	img = calloc(1, end);
	if (!img) {
		tool_why(why, wl, "out of memory");
		return NULL;
	}
	for (u16 i = 0; i < phnum; i++) {
		const u8 *ph = elf + phoff + (u64)i * phent;

		if (get_be32(ph) == 1)
			memcpy(img + rd64(ph + 16), elf + rd64(ph + 8), rd64(ph + 32));
	}
	/* The IPL entry, from the symbol table. */
	for (u16 i = 0; i < shnum && !found; i++) {
		const u8 *sh = elf + shoff + (u64)i * shent, *str;
		u64 off = rd64(sh + 24), size = rd64(sh + 32), esz = rd64(sh + 56), soff, ssize;
		u32 link = get_be32(sh + 40);

		if (get_be32(sh + 4) != 2 || esz < 24 || off > n || size > n - off || link >= shnum)
			continue;
		str = elf + shoff + (u64)link * shent;
		soff = rd64(str + 24);
		ssize = rd64(str + 32);
		if (soff > n || ssize > n - soff)
			continue;
		for (u64 s = 0; s + esz <= size; s += esz) {
			const u8 *sym = elf + off + s;
			u32 name = get_be32(sym);
			size_t k = strlen(CKDBOOT_ENTRY_SYMBOL);

			if (name < ssize && ssize - name > k &&
			    !memcmp(elf + soff + name, CKDBOOT_ENTRY_SYMBOL, k + 1)) {
				*entry = rd64(sym + 8);
				found = true;
				break;
			}
		}
	}
	if (!found || *entry >= end) {
		tool_why(why, wl, "the loader has no %s (is it ccwboot.elf, not stripped?)",
		    CKDBOOT_ENTRY_SYMBOL);
		free(img);
		return NULL;
	}
	if (CKDBOOT_LOAD_ADDR + mem > (16u << 20)) {
		tool_why(why, wl, "the loader takes %llu bytes: more than the IPL can place below 16 MiB",
		    (unsigned long long)mem);
		free(img);
		return NULL;
	}
	*len = end;
	return img;
}

/* ---- The volume ---------------------------------------------------- */

struct layout {
	u64 first;       /* the record of CCWs: block number (bootmap_hw.h) */
	u64 loader;      /* ccwboot's first block */
	u64 nloader;     /* its blocks */
	u64 map;         /* the boot map's first block */
};

static void chs(u64 block, u16 *cyl, u16 *head, u8 *rec, u32 per_track)
{
	u64 track = block / per_track;

	*cyl = (u16)(track / CKDVOL_HEADS);
	*head = (u16)(track % CKDVOL_HEADS);
	*rec = (u8)(block % per_track + 1);
}

static void seek_arg(struct bm_eckd_seek *s, u64 block, u32 per_track)
{
	u16 cyl, head;
	u8 rec;

	chs(block, &cyl, &head, &rec, per_track);
	memset(s, 0, sizeof(*s));
	s->cyl = cpu_to_be16(cyl);
	s->head = cpu_to_be16(head);
	s->rec = rec;
}

/* The record of CCWs that reads ccwboot: per track a SEEK, a SEARCH ID
 * EQUAL with its TIC loop, then a READ DATA per record. */
static int chain_record(u8 *rec, const struct layout *l, u32 per_track, char *why, size_t wl)
{
	u8 *p = rec;
	u64 b = l->loader, end = l->loader + l->nloader;
	unsigned t = 0;

	memset(rec, 0, CKDBOOT_RECORD);
	while (b < end) {
		u64 on_track = MIN(end - b, per_track - b % per_track);
		u32 arg = CKDBOOT_CHAIN_ADDR + CHAIN_ARGS + 8 * t;
		u32 here;

		if (CHAIN_ARGS + 8 * (t + 1) > CKDBOOT_RECORD ||
		    (size_t)(p - rec) + 8 * (3 + on_track) > CHAIN_ARGS) {
			tool_why(why, wl, "the loader is too large for the IPL's channel program");
			return -1;
		}
		seek_arg((struct bm_eckd_seek *)(rec + CHAIN_ARGS + 8 * t), b, per_track);
		p = ccw0(p, CMD_SEEK, arg, CCW_CC, 6);
		here = CKDBOOT_CHAIN_ADDR + (u32)(p - rec);
		p = ccw0(p, CMD_SEARCH_ID_EQ, arg + 2, CCW_CC, 5);
		p = ccw0(p, CMD_TIC, here, 0, 0);
		for (u64 i = 0; i < on_track; i++, b++)
			p = ccw0(p, CMD_READ_DATA,
				 CKDBOOT_LOAD_ADDR + (u32)((b - l->loader) * CKDBOOT_RECORD),
				 b + 1 < end ? CCW_CC : 0, CKDBOOT_RECORD);
		t++;
	}
	return 0;
}

/* Track 0: IPL1 and IPL2 written, VOL1 and any later record kept. */
static int track0(struct ckdvol *v, u8 *trk, const u8 ipl1[BM_CDL_IPL1_LEN],
		  const struct bm_eckd_ipl2 *ipl2, char volser[7], char *why, size_t wl)
{
	struct ckdvol_rec recs[CKDVOL_MAX_RECS], out[CKDVOL_MAX_RECS];
	unsigned n, k = 0;
	int vol = -1;
	char sub[120];
	u8 *copy;

	if (ckdvol_read_track(v, 0, 0, trk)) {
		tool_why(why, wl, "cannot read cylinder 0 head 0");
		return -1;
	}
	if (ckdvol_records(trk, v->trksize, recs, CKDVOL_MAX_RECS, &n, sub, sizeof(sub))) {
		tool_why(why, wl, "cylinder 0 head 0: %s", sub);
		return -1;
	}
	for (unsigned i = 0; i < n; i++)
		if (recs[i].kl == 4 && !memcmp(recs[i].key, key_vol1, 4) &&
		    recs[i].dl >= BM_CDL_VOL1_LEN)
			vol = (int)i;
	if (vol < 0 || recs[vol].rec != 3) {
		tool_why(why, wl, "no volume label (VOL1) as record 3 of cylinder 0 head 0: make the "
			     "volume with dasdinit (dasdinit FILE 3390 SERIAL CYLINDERS)");
		return -1;
	}
	for (unsigned i = 0; i < 6; i++) {
		u8 c = recs[vol].data[4 + i];

		/* EBCDIC digits, letters and blanks of a serial, to ASCII. */
		volser[i] = c >= 0xF0 && c <= 0xF9 ? (char)('0' + c - 0xF0)
			  : c >= 0xC1 && c <= 0xC9 ? (char)('A' + c - 0xC1)
			  : c >= 0xD1 && c <= 0xD9 ? (char)('J' + c - 0xD1)
			  : c >= 0xE2 && c <= 0xE9 ? (char)('S' + c - 0xE2)
			  : c == 0x40 ? ' ' : '?';
	}
	volser[6] = '\0';
	for (int i = 5; i >= 0 && volser[i] == ' '; i--)
		volser[i] = '\0';
	/* The records keep pointing into trk: build the new track elsewhere. */
	copy = malloc(v->trksize);
	if (!copy) {
		tool_why(why, wl, "out of memory");
		return -1;
	}
	out[k++] = (struct ckdvol_rec){ 0, 0, 1, 4, BM_CDL_IPL1_LEN, key_ipl1, ipl1 };
	out[k++] = (struct ckdvol_rec){ 0, 0, 2, 4, BM_CDL_IPL2_LEN, key_ipl2,
					(const u8 *)ipl2 };
	for (unsigned i = (unsigned)vol; i < n; i++)
		out[k++] = recs[i];
	if (ckdvol_build(copy, v->trksize, 0, 0, out, k, sub, sizeof(sub)) ||
	    ckdvol_write_track(v, 0, 0, copy)) {
		tool_why(why, wl, "cylinder 0 head 0: %s", sub);
		free(copy);
		return -1;
	}
	free(copy);
	return 0;
}

int ckdboot_write(const char *path, const u8 *ldr, size_t ldr_len, u64 entry,
		  const struct bootdisk_entry *e, unsigned n, struct ckdboot_report *r,
		  char *why, size_t wl)
{
	struct ckdvol v;
	struct layout l;
	struct bootdisk_eckd g;
	struct bm_eckd_ptr table;
	struct bm_eckd_ipl2 ipl2;
	u8 ipl1[BM_CDL_IPL1_LEN], *p;
	u8 *map = NULL, *chain = NULL, *trk = NULL;
	u64 nmap = 0, total, last;
	u32 per_track = ckdvol_per_track(CKDBOOT_RECORD);
	char sub[200];
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (!ldr_len || entry >= ldr_len || CKDBOOT_LOAD_ADDR + ldr_len > (16u << 20)) {
		tool_why(why, wl, "a loader of %zu bytes entered at %llu cannot be IPLed", ldr_len,
		    (unsigned long long)entry);
		return -1;
	}
	if (ckdvol_open(&v, path, why, wl))
		return -1;
	l.first = (u64)CKDBOOT_FIRST_HEAD * per_track;
	l.loader = l.first + 1;
	l.nloader = (ldr_len + CKDBOOT_RECORD - 1) / CKDBOOT_RECORD;
	l.map = l.loader + l.nloader;
	g = (struct bootdisk_eckd){ CKDBOOT_RECORD, CKDVOL_HEADS, per_track, l.map };
	map = bootdisk_build_eckd(e, n, &g, &nmap, &table, sub, sizeof(sub));
	if (!map) {
		tool_why(why, wl, "%s", sub);
		goto out;
	}
	total = l.map + nmap;
	if ((total + per_track - 1) / per_track > (u64)v.cyls * CKDVOL_HEADS) {
		tool_why(why, wl, "%s has %u cylinders; this boot map needs %llu (%llu records of %u "
			     "bytes from cylinder 0 head %u)", path, v.cyls,
		    (unsigned long long)((total + per_track * CKDVOL_HEADS - 1) /
					 (per_track * CKDVOL_HEADS)),
		    (unsigned long long)(total - l.first), CKDBOOT_RECORD, CKDBOOT_FIRST_HEAD);
		goto out;
	}
	chain = malloc(CKDBOOT_RECORD);
	trk = malloc(v.trksize);
	if (!chain || !trk) {
		tool_why(why, wl, "out of memory");
		goto out;
	}
	if (chain_record(chain, &l, per_track, why, wl))
		goto out;
	/* IPL1: the PSW into ccwboot, then read IPL2 and go on with it. */
	put_be32(ipl1, IPL_PSW_MASK);
	put_be32(ipl1 + 4, IPL_PSW_31 | (u32)(CKDBOOT_LOAD_ADDR + entry));
	p = ccw0(ipl1 + 8, CMD_READ_DATA, CKDBOOT_IPL2_ADDR, CCW_CC | CCW_SLI, BM_CDL_IPL2_LEN);
	ccw0(p, CMD_TIC, CKDBOOT_IPL2_ADDR, 0, 0);
	/* IPL2: read the record of CCWs and go on with it. */
	memset(&ipl2, 0, sizeof(ipl2));
	seek_arg(&ipl2.seek[0], l.first, per_track);
	p = ccw0(ipl2.stage1, CMD_SEEK, CKDBOOT_IPL2_ADDR + 72, CCW_CC, 6);
	p = ccw0(p, CMD_SEARCH_ID_EQ, CKDBOOT_IPL2_ADDR + 74, CCW_CC, 5);
	p = ccw0(p, CMD_TIC, CKDBOOT_IPL2_ADDR + 8, 0, 0);
	p = ccw0(p, CMD_READ_DATA, CKDBOOT_CHAIN_ADDR, CCW_CC, CKDBOOT_RECORD);
	ccw0(p, CMD_TIC, CKDBOOT_CHAIN_ADDR, 0, 0);
	ipl2.mbr.magic = cpu_to_be32(BM_MAGIC);
	ipl2.mbr.version = 1;
	ipl2.mbr.dev_type = BM_DEV_ECKD;
	ipl2.mbr.flags = BM_FLAG_S390X;
	ipl2.mbr.table = table;
	/* Nothing is written before every check has passed. */
	if (track0(&v, trk, ipl1, &ipl2, r->volser, why, wl))
		goto out;
	last = total - 1;
	for (u64 t = l.first / per_track; t <= last / per_track; t++) {
		struct ckdvol_rec recs[CKDVOL_MAX_RECS];
		unsigned had = 0;
		u16 cyl = (u16)(t / CKDVOL_HEADS), head = (u16)(t % CKDVOL_HEADS);

		if (ckdvol_read_track(&v, cyl, head, trk) ||
		    ckdvol_records(trk, v.trksize, recs, CKDVOL_MAX_RECS, &had, NULL, 0) || had)
			r->tracks_in_use++;
		for (u32 k = 0; k < per_track; k++) {
			u64 b = t * per_track + k;
			const u8 *data = NULL;

			if (b == l.first)
				data = chain;
			else if (b >= l.loader && b < l.map)
				data = ldr + (b - l.loader) * CKDBOOT_RECORD;
			else if (b >= l.map && b < total)
				data = map + (b - l.map) * CKDBOOT_RECORD;
			/* The loader's last record is whole on the volume. */
			if (data && b + 1 == l.map && ldr_len % CKDBOOT_RECORD) {
				static u8 tail[CKDBOOT_RECORD];

				memset(tail, 0, sizeof(tail));
				memcpy(tail, data, ldr_len % CKDBOOT_RECORD);
				data = tail;
			}
			recs[k] = (struct ckdvol_rec){ cyl, head, (u8)(k + 1), 0, CKDBOOT_RECORD,
						       NULL, data };
		}
		if (ckdvol_build(trk, v.trksize, cyl, head, recs, per_track, sub, sizeof(sub)) ||
		    ckdvol_write_track(&v, cyl, head, trk)) {
			tool_why(why, wl, "writing cylinder %u head %u failed: the volume is left half "
				     "written", cyl, head);
			goto out;
		}
		r->tracks++;
	}
	r->cyls = v.cyls;
	r->per_track = per_track;
	r->first_cyl = 0;
	r->first_head = CKDBOOT_FIRST_HEAD;
	r->last_cyl = (u32)(last / per_track / CKDVOL_HEADS);
	r->last_head = (u32)(last / per_track % CKDVOL_HEADS);
	r->loader_bytes = ldr_len;
	r->loader_entry = CKDBOOT_LOAD_ADDR + entry;
	rc = 0;
out:
	if (ckdvol_close(&v) && !rc) {
		tool_why(why, wl, "cannot write %s", path);
		rc = -1;
	}
	free(map);
	free(chain);
	free(trk);
	return rc;
}
