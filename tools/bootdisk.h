/*
 * A bootable raw disk in the SCSI boot-map scheme (boot/bootmap_hw.h), made
 * on the host: what mkboot writes, and what the tests make disks with.
 *
 * Each entry boots a Linux kernel directly: the kernel from 0x10000 (its
 * parameter area filled in: the initrd's place and size, the command line
 * at 0x10480), the initrd where QEMU's -kernel would put it, and an EXEC
 * PSW for the kernel's entry. QEMU's own BIOS boots such an entry as it
 * boots zipl's; ccwboot recognises it and starts the kernel itself.
 *
 * The program table has the first entry as the default (slot 0) and every
 * entry numbered from 1 (slot n), as zipl's menus have it: loadparm n
 * boots entry n, no loadparm the first.
 */
#ifndef TOOLS_BOOTDISK_H
#define TOOLS_BOOTDISK_H

#include <stddef.h>

#include "boot/bootmap_hw.h"
#include "ring/base.h"

struct bootdisk_entry {
	const u8 *kernel;
	size_t kernel_len;
	const u8 *initrd;     /* NULL or empty: none */
	size_t initrd_len;
	const char *append;   /* the command line; NULL: empty */
	/*
	 * The EXEC PSW, a short PSW; 0: LINUX_EXEC_PSW, the kernel's entry.
	 * Another address in the kernel (its kdump entry at 0x10010, say)
	 * makes an entry that a loader must start as zipl's are started.
	 */
	u64 psw;
};

/* The short PSW's must-be-one bit 12. */
#define BOOTDISK_PSW_BIT12 0x0008000000000000ull

/* Entries a disk may have: the program table's slots less the default. */
#define BOOTDISK_MAX_ENTRIES 29u

/*
 * The disk image for n entries with block_size-byte blocks (512, 1024,
 * 2048 or 4096), from malloc, its length in *len (whole blocks); NULL with
 * the reason in why: a kernel without `S390EP`, a command line longer than
 * the kernel takes, too many entries, no memory.
 */
u8 *bootdisk_build(const struct bootdisk_entry *e, unsigned n, u32 block_size, size_t *len,
		   char *why, size_t why_len);

/* Where an ECKD boot map goes on a 3390: blocks numbered as
 * boot/bootmap_hw.h says, each a record of record_size data bytes. */
struct bootdisk_eckd {
	u32 record_size;
	u32 heads, per_track;
	u64 first_block;   /* the map's first block (never 0: that is IPL1) */
};

/*
 * The same entries in zipl's ECKD scheme: the program table first, then
 * each entry's component header, block lists and data, as *nblocks
 * blocks of record_size bytes from g->first_block (from malloc), and the
 * program table's pointer for the IPL2 record in *table. NULL with the
 * reason in why, as bootdisk_build.
 */
u8 *bootdisk_build_eckd(const struct bootdisk_entry *e, unsigned n,
			const struct bootdisk_eckd *g, u64 *nblocks,
			struct bm_eckd_ptr *table, char *why, size_t why_len);

#endif /* TOOLS_BOOTDISK_H */
