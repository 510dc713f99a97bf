/*
 * A 3390 volume in Hercules' uncompressed CKD image format, as the host
 * tools read and write it (mkboot --ckd): the 512-byte device header, then
 * every track as trksize bytes: home address (bin 0, CC, HH), record 0's
 * count (CC HH R KL DL), key and data, the other records the same way,
 * and eight bytes of 0xFF after the last (Hercules ckddasd.c; what
 * dasdinit 3.13 writes).
 */
#ifndef TOOLS_CKDVOL_H
#define TOOLS_CKDVOL_H

#include <stddef.h>
#include <stdio.h>

#include "ring/base.h"

/* The 3390 as Hercules stores it (dasdtab.c). */
#define CKDVOL_HEADS 15u
#define CKDVOL_TRKSIZE 56832u

struct ckdvol {
	FILE *f;
	u32 cyls, heads, trksize;
};

/* One record of a track, pointing into the track's bytes. */
struct ckdvol_rec {
	u16 cyl, head;
	u8 rec, kl;
	u16 dl;
	const u8 *key, *data;
};

/* Records a track of 3390 can hold, at most (R0 aside). */
#define CKDVOL_MAX_RECS 64u

/*
 * Open a volume for reading and writing and check its header (CKD_P370,
 * a 3390, one file of whole cylinders). 0, or -1 with the reason.
 */
int ckdvol_open(struct ckdvol *v, const char *path, char *why, size_t why_len);

/* Flush and close; -1 when the file could not be written. */
int ckdvol_close(struct ckdvol *v);

/* Track (cyl, head) into / from buf (trksize bytes). 0 or -1. */
int ckdvol_read_track(struct ckdvol *v, u32 cyl, u32 head, u8 *buf);
int ckdvol_write_track(struct ckdvol *v, u32 cyl, u32 head, const u8 *buf);

/*
 * The records after R0 of a track, in order: *n of them into recs (at
 * most max). 0, or -1 with the reason when the track is malformed (a
 * record past the track's end, no end marker).
 */
int ckdvol_records(const u8 *trk, u32 trksize, struct ckdvol_rec *recs, unsigned max,
		   unsigned *n, char *why, size_t why_len);

/*
 * A whole track: home address, a standard R0 (8 zero data bytes), the n
 * records (their CCHH must be the track's) and the end marker, into trk
 * (trksize bytes). 0, or -1 with the reason when they do not fit the
 * 3390's track capacity.
 */
int ckdvol_build(u8 *trk, u32 trksize, u16 cyl, u16 head, const struct ckdvol_rec *recs,
		 unsigned n, char *why, size_t why_len);

/* Bytes of a 3390 track a record with kl key and dl data bytes takes
 * (the track-capacity formula of the 3990 reference). */
u32 ckdvol_space(u32 kl, u32 dl);

/* Records of dl data bytes (no key) that fit on a 3390 track. */
u32 ckdvol_per_track(u32 dl);

#endif /* TOOLS_CKDVOL_H */
