/*
 * The CKD image layer of the simulated DASD (internal to sim/): Hercules'
 * uncompressed CKD file format, a privately mapped track cache that is
 * written back track by track, and the 3390 track-capacity formula.
 *
 * The format (Hercules ckddasd.c and dasdutil.c, checked against images
 * dasdinit 3.13 writes): a 512-byte device header, then every track as
 * trksize bytes: home address (bin 0, CC, HH big-endian), the count field
 * of R0 (CC HH R KL DL), R0's key and data, the other records as count, key
 * and data, and eight bytes of 0xFF after the last record. Bytes after that
 * marker mean nothing.
 */
#ifndef SIM_CKD_H
#define SIM_CKD_H

#include "ring/base.h" /* u8, u32 */
#include "sim/dasd.h"

#define CKD_HDR_SIZE   512u
#define CKD_HA_SIZE    5u /* home address: bin, CC, HH */
#define CKD_COUNT_SIZE 8u /* count field: CC HH R KL DL */
#define CKD_EOT_SIZE   8u /* the end-of-track marker, 8 x 0xFF */

/* A 3390 as Hercules stores it (dasdtab.c: 15 heads; trksize is the
 * device's 58786-byte capacity rounded as dasdinit rounds it). */
#define CKD_3390_HEADS	  15u
#define CKD_3390_TRKSIZE  56832u
#define CKD_3390_DEVTYPE  0x90u
#define CKD_3390_MAX_CYLS 65520u

/* The 3390's track capacity and the factors of its formula (IBM 3990
 * Storage Control Reference, "Track Capacity"; RDC bytes 18-27). */
#define CKD_3390_CAPACITY 58786u
#define CKD_3390_F1	  34u
#define CKD_3390_F2	  19u
#define CKD_3390_F3	  9u
#define CKD_3390_F4	  6u
#define CKD_3390_F5	  116u
#define CKD_3390_F6	  6u
#define CKD_3390_R0_MAX	  57326u /* longest R0 data (RDC bytes 44-45) */

/* One open image. */
struct sim_ckd_image {
	int fd;
	bool ro;
	struct sim_ckd_geom g;
	u32 tracks;
	u8 *map; /* the whole file, privately mapped: the track cache */
	size_t map_len;
	u64 *dirty; /* a bit per track changed and not yet in the file */
	u32 ndirty;
};

/*
 * Open and check an image (3390 geometry, size consistent with the header,
 * one file). why: at least SIM_WHY_LEN bytes, or NULL. Returns 0 or -1.
 */
int sim_ckd_open(struct sim_ckd_image *im, const char *path, bool ro, char *why);

/* Write the changed tracks back, unmap and close. Safe on a closed image. */
void sim_ckd_close(struct sim_ckd_image *im);

/* The trksize bytes of track trk (cyl * heads + head), in the cache. */
u8 *sim_ckd_track(struct sim_ckd_image *im, u32 trk);

/* Note that track trk changed; it is written at the next sim_ckd_sync(). */
void sim_ckd_mark_dirty(struct sim_ckd_image *im, u32 trk);

/* Every changed track to the file, then fsync. Returns 0 or -1. */
int sim_ckd_sync(struct sim_ckd_image *im);

/*
 * Bytes a record with key length kl and data length dl takes of the
 * 3390's track capacity (the formula of the 3990 reference; R0 is
 * outside it).
 */
u32 sim_ckd_3390_space(u32 kl, u32 dl);

/* An ASCII character as EBCDIC (code page 037), for labels; '?' -> 0x6F. */
u8 sim_ckd_ebcdic(char c);

#endif /* SIM_CKD_H */
