/*
 * El Torito on a CD-ROM: the boot images an ISO 9660 volume (ECMA-119)
 * names in its El Torito boot catalog (El Torito 1.0), as QEMU's s390-ccw
 * BIOS reads them (pc-bios/s390-ccw/bootmap.c): the boot record volume
 * descriptor from block 16 on, its catalog, the bootable entries (0x88)
 * whose image holds the Linux IPL record's CCWs at bytes 8 to 31, each
 * loaded whole at its load segment (the size from the volume's directory
 * when a file there starts at the image, else the entry's sector count),
 * then started at 0x10000 as a Linux kernel.
 *
 * On the same disk interface as the SCSI boot map (boot/bootmap.h); blocks
 * of 2048 bytes. Every block number, count and address is checked; the
 * directory walk is bounded.
 */
#ifndef BOOT_ELTORITO_H
#define BOOT_ELTORITO_H

#include "boot/bootmap.h"

#define ISO_BLOCK 2048u
#define ISO_FIRST_VD 16u        /* the volume descriptors start here */
#define ISO_MAX_VDS 32u         /* descriptors read at most before the terminator */
#define ISO_BC_ENTRIES 64u      /* 32-byte entries of the catalog's first block */
#define ISO_MAX_DIR_BLOCKS 256u /* directory blocks the size lookup reads at most */
#define ISO_DIR_DEPTH 8u        /* directory levels the size lookup goes down */

/* The Linux boot images of the catalog: *n (0 when the disk has no El
 * Torito catalog: an error then, with why). */
int bm_iso_entries(const struct bm_disk *d, void *scratch, unsigned *n, char *why,
		   size_t why_len);

/*
 * Load image entry (0 and 1 both the first, as QEMU's loadparm; 2 the
 * second...) at its load segment; what lies below t->low is not loaded
 * (the image's IPL record: the loader's own lowcore). out gets the load
 * and the PSW of a Linux entry at 0x10000.
 */
int bm_iso_load(const struct bm_disk *d, unsigned entry, const struct bm_target *t,
		struct bm_program *out, void *scratch, char *why, size_t why_len);

#endif /* BOOT_ELTORITO_H */
