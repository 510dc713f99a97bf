/* A 3390 volume image for the host tools: see ckdvol.h. */
#include "tools/ckdvol.h"

#include <string.h>

#include "tools/file.h"

/* The device header (Hercules CKDDASD_DEVHDR): identifier, then
 * little-endian words. */
#define HDR_SIZE 512u
#define HDR_HEADS 8u
#define HDR_TRKSIZE 12u
#define HDR_DEVTYPE 16u
#define HDR_FILESEQ 17u
#define HDR_HIGHCYL 18u
#define DEVTYPE_3390 0x90u

#define HA_SIZE 5u
#define COUNT_SIZE 8u
#define EOT_SIZE 8u
#define R0_DATA 8u

/* The 3390's track capacity and formula factors (IBM 3990 Storage Control
 * Reference, "Track Capacity"). */
#define CAPACITY 58786u
#define CELL 34u     /* f1: bytes per cell */
#define DATA_OVERHEAD 19u  /* f2: cells of a record's fixed overhead */
#define KEY_OVERHEAD 9u    /* f3: cells of a key area's fixed overhead */
#define CHUNK_PAD 6u       /* f4: bytes added per chunk of an area */
#define CHUNK 116u         /* f5: half a chunk's bytes */
#define AREA_PAD 6u        /* f6: bytes added to each area */

/* Bytes of an area of len bytes, in whole cells. */
static u32 area(u32 overhead_cells, u32 len)
{
	u32 chunks = (len + AREA_PAD + 2 * CHUNK - 1) / (2 * CHUNK);
	u32 bytes = CELL * overhead_cells + len + AREA_PAD + CHUNK_PAD * chunks;

	return (bytes + CELL - 1) / CELL * CELL;
}

u32 ckdvol_space(u32 kl, u32 dl)
{
	return area(DATA_OVERHEAD, dl) + (kl ? area(KEY_OVERHEAD, kl) : 0);
}

u32 ckdvol_per_track(u32 dl)
{
	u32 n = CAPACITY / ckdvol_space(0, dl);

	/* Hercules' track image must hold them too. */
	while (n && HA_SIZE + COUNT_SIZE + R0_DATA + n * (COUNT_SIZE + dl) + EOT_SIZE >
			    CKDVOL_TRKSIZE)
		n--;
	return n;
}

int ckdvol_open(struct ckdvol *v, const char *path, char *why, size_t wl)
{
	u8 h[HDR_SIZE];
	long size;
	u64 tracks;

	memset(v, 0, sizeof(*v));
	v->f = fopen(path, "r+b");
	if (!v->f) {
		tool_why(why, wl, "cannot open %s for writing", path);
		return -1;
	}
	if (fread(h, 1, sizeof(h), v->f) != sizeof(h) || memcmp(h, "CKD_P370", 8)) {
		tool_why(why, wl, "%s is not a Hercules CKD volume (no CKD_P370 header; compressed "
			     "images are not supported)", path);
		goto fail;
	}
	v->heads = get_le32(h + HDR_HEADS);
	v->trksize = get_le32(h + HDR_TRKSIZE);
	if (h[HDR_DEVTYPE] != DEVTYPE_3390 || v->heads != CKDVOL_HEADS ||
	    v->trksize != CKDVOL_TRKSIZE) {
		tool_why(why, wl, "%s is not a 3390 volume: device type 0x%02x, %u heads, %u-byte "
			     "tracks (a 3390 has 0x90, 15, 56832)", path, h[HDR_DEVTYPE], v->heads,
		    v->trksize);
		goto fail;
	}
	if (h[HDR_FILESEQ] || h[HDR_HIGHCYL] || h[HDR_HIGHCYL + 1]) {
		tool_why(why, wl, "%s is one file of a volume of several: not supported", path);
		goto fail;
	}
	if (fseek(v->f, 0, SEEK_END) || (size = ftell(v->f)) < 0) {
		tool_why(why, wl, "cannot read %s", path);
		goto fail;
	}
	tracks = ((u64)size - HDR_SIZE) / v->trksize;
	if ((u64)size < HDR_SIZE + (u64)v->trksize * v->heads ||
	    ((u64)size - HDR_SIZE) % v->trksize || tracks % v->heads) {
		tool_why(why, wl, "%s has %ld bytes: not the header and whole cylinders", path, size);
		goto fail;
	}
	v->cyls = (u32)(tracks / v->heads);
	return 0;
fail:
	fclose(v->f);
	v->f = NULL;
	return -1;
}

int ckdvol_close(struct ckdvol *v)
{
	int rc = 0;

	if (v->f && fclose(v->f))
		rc = -1;
	v->f = NULL;
	return rc;
}

static long track_at(const struct ckdvol *v, u32 cyl, u32 head)
{
	return (long)HDR_SIZE + ((long)cyl * v->heads + head) * (long)v->trksize;
}

int ckdvol_read_track(struct ckdvol *v, u32 cyl, u32 head, u8 *buf)
{
	if (cyl >= v->cyls || head >= v->heads || fseek(v->f, track_at(v, cyl, head), SEEK_SET) ||
	    fread(buf, 1, v->trksize, v->f) != v->trksize)
		return -1;
	return 0;
}

int ckdvol_write_track(struct ckdvol *v, u32 cyl, u32 head, const u8 *buf)
{
	if (cyl >= v->cyls || head >= v->heads || fseek(v->f, track_at(v, cyl, head), SEEK_SET) ||
	    fwrite(buf, 1, v->trksize, v->f) != v->trksize)
		return -1;
	return 0;
}

int ckdvol_records(const u8 *trk, u32 trksize, struct ckdvol_rec *recs, unsigned max,
		   unsigned *n, char *why, size_t wl)
{
	u32 off = HA_SIZE;
	unsigned k = 0;
	bool r0 = true;

	for (;;) {
		const u8 *c = trk + off;
		struct ckdvol_rec r;

		if (off + COUNT_SIZE > trksize) {
			tool_why(why, wl, "a record runs past the end of the track");
			return -1;
		}
		if (!memcmp(c, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", COUNT_SIZE))
			break;
		r.cyl = get_be16(c);
		r.head = get_be16(c + 2);
		r.rec = c[4];
		r.kl = c[5];
		r.dl = get_be16(c + 6);
		if (off + COUNT_SIZE + r.kl + r.dl > trksize) {
			tool_why(why, wl, "record %u runs past the end of the track", r.rec);
			return -1;
		}
		r.key = c + COUNT_SIZE;
		r.data = r.key + r.kl;
		off += COUNT_SIZE + r.kl + r.dl;
		if (r0) {
			r0 = false;
			continue;
		}
		if (k == max) {
			tool_why(why, wl, "more than %u records on the track", max);
			return -1;
		}
		recs[k++] = r;
	}
	*n = k;
	return 0;
}

static u8 *put_count(u8 *p, u16 cyl, u16 head, u8 rec, u8 kl, u16 dl)
{
	put_be16(p, cyl);
	put_be16(p + 2, head);
	p[4] = rec;
	p[5] = kl;
	put_be16(p + 6, dl);
	return p + COUNT_SIZE;
}

int ckdvol_build(u8 *trk, u32 trksize, u16 cyl, u16 head, const struct ckdvol_rec *recs,
		 unsigned n, char *why, size_t wl)
{
	u32 bytes = HA_SIZE + COUNT_SIZE + R0_DATA + EOT_SIZE, space = 0;
	u8 *p;

	for (unsigned i = 0; i < n; i++) {
		bytes += COUNT_SIZE + recs[i].kl + recs[i].dl;
		space += ckdvol_space(recs[i].kl, recs[i].dl);
	}
	if (bytes > trksize || space > CAPACITY) {
		tool_why(why, wl, "%u records do not fit on a 3390 track", n);
		return -1;
	}
	memset(trk, 0, trksize);
	put_be16(trk + 1, cyl);
	put_be16(trk + 3, head);
	p = put_count(trk + HA_SIZE, cyl, head, 0, 0, R0_DATA) + R0_DATA;
	for (unsigned i = 0; i < n; i++) {
		p = put_count(p, cyl, head, recs[i].rec, recs[i].kl, recs[i].dl);
		if (recs[i].kl)
			memcpy(p, recs[i].key, recs[i].kl);
		p += recs[i].kl;
		if (recs[i].data)
			memcpy(p, recs[i].data, recs[i].dl);
		p += recs[i].dl;
	}
	memset(p, 0xFF, EOT_SIZE);
	return 0;
}
