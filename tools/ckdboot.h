/*
 * A bootable 3390 volume (mkboot --ckd): ccwboot and zipl's ECKD boot map
 * written into a Hercules CKD volume, laid out as a CDL volume.
 *
 *   cylinder 0 head 0  R1 IPL1 (key "IPL1", 24 bytes): the IPL PSW, which
 *                      enters ccwboot, and two CCWs that read IPL2 and go
 *                      on with its channel program
 *                      R2 IPL2 (key "IPL2", 144 bytes): a channel program
 *                      that reads the record of CCWs below and goes on
 *                      with it, its seek argument, and zipl's extended
 *                      boot record pointing at the program table
 *                      R3 VOL1: kept as it was (the volume keeps its serial)
 *   cylinder 0 head 1  left alone (where a VTOC goes)
 *   from head 2        records of 4096 bytes, 12 a track: the record of
 *                      CCWs that reads ccwboot (a SEEK, SEARCH ID EQUAL and
 *                      TIC per track, a READ DATA per record), ccwboot's
 *                      image, then the boot map (boot/bootmap_hw.h, ECKD)
 *                      with each entry's kernel and initrd
 *
 * The IPL reads ccwboot to CKDBOOT_LOAD_ADDR with format-0 CCWs (24-bit
 * addresses); ccwboot moves itself to the top of memory before it loads
 * anything (boot/s390x/ccwboot_start.S).
 */
#ifndef TOOLS_CKDBOOT_H
#define TOOLS_CKDBOOT_H

#include "tools/bootdisk.h"

/* Where the IPL puts things: IPL2's data, the record of CCWs, ccwboot. */
#define CKDBOOT_IPL2_ADDR 0x1000u
#define CKDBOOT_CHAIN_ADDR 0x2000u
#define CKDBOOT_LOAD_ADDR 0x10000u
/* The symbol of ccwboot's entry after an IPL. */
#define CKDBOOT_ENTRY_SYMBOL "ccwboot_ipl_entry"
/* Data records: their size, and the first track they go on. */
#define CKDBOOT_RECORD 4096u
#define CKDBOOT_FIRST_HEAD 2u

/* What was written, for the user. */
struct ckdboot_report {
	char volser[7];
	u32 cyls;
	u32 first_cyl, first_head, last_cyl, last_head;
	u32 tracks;            /* tracks written from head 2 on */
	u32 tracks_in_use;     /* of them, tracks that held records before */
	u32 per_track;         /* records on each */
	u64 loader_bytes;      /* ccwboot's image */
	u64 loader_entry;      /* the IPL PSW's address */
};

/*
 * The loader as the IPL reads it, from an s390x ccwboot.elf (its n
 * bytes): every loaded segment's file bytes at their addresses from 0
 * (from malloc, *len bytes), and the offset of CKDBOOT_ENTRY_SYMBOL in
 * *entry. NULL with the reason: not an s390x ELF, no such symbol, more
 * than fits below 16 MiB with its .bss.
 */
u8 *ckdboot_loader(const u8 *elf, size_t n, size_t *len, u64 *entry, char *why, size_t why_len);

/*
 * Make the volume at path bootable with the n entries and the loader
 * image (ldr_len bytes, entered at offset entry). 0 with *r filled, or -1
 * with the reason (the volume is untouched when the reason is about the
 * input; a write that fails midway says so).
 */
int ckdboot_write(const char *path, const u8 *ldr, size_t ldr_len, u64 entry,
		  const struct bootdisk_entry *e, unsigned n, struct ckdboot_report *r,
		  char *why, size_t why_len);

#endif /* TOOLS_CKDBOOT_H */
