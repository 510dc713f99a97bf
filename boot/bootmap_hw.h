/*
 * The SCSI boot-map scheme on a disk, as zipl writes it and QEMU's s390-ccw
 * BIOS reads it (reference/boot-linux.md, "SCSI boot map"). All fields are
 * big-endian; every block pointer names blocks of the disk's own size.
 *
 *   block 0          master boot record: "zIPL", version 1, a pointer to
 *                    the program table
 *   program table    "zIPL", then one pointer per boot entry (entry 0 the
 *                    default, at most BM_MAX_ENTRIES), a zero pointer ends
 *   component header "zIPL", type IPL, then 32-byte component entries:
 *                    LOAD (a block list and a load address) ... EXEC (a PSW)
 *   block list       pointers to runs of count + 1 blocks, loaded one after
 *                    the other; a zero block number ends the list; the last
 *                    slot of each list block continues the list in another
 *                    block
 */
#ifndef BOOT_BOOTMAP_HW_H
#define BOOT_BOOTMAP_HW_H

#include "ring/base.h"

/* "zIPL" in ASCII, as a big-endian word. */
#define BM_MAGIC 0x7A49504Cu

/* Entries a program table may hold that a loadparm can name (0 to 30). */
#define BM_MAX_ENTRIES 31u

/* A run of blocks: block number, block size, number of blocks - 1. */
struct bm_blockptr {
	be64 block;
	be16 size;
	be16 count;
	u8 reserved[4];
};
BUILD_ASSERT(sizeof(struct bm_blockptr) == 16);

/* Block 0. A DOS partition table at 0x1BE may share the block. */
struct bm_mbr {
	be32 magic;
	be32 version;       /* 1 */
	u8 reserved[8];
	struct bm_blockptr table;
};
BUILD_ASSERT(sizeof(struct bm_mbr) == 32);

#define BM_MBR_VERSION 1u

/* The program table's first 16 bytes; its entries follow. */
struct bm_table_header {
	be32 magic;
	u8 reserved[12];
};
BUILD_ASSERT(sizeof(struct bm_table_header) == 16);

struct bm_comp_header {
	be32 magic;
	u8 type;            /* BM_COMP_IPL */
	u8 reserved[27];
};
BUILD_ASSERT(sizeof(struct bm_comp_header) == 32);

#define BM_COMP_IPL 0x00

struct bm_comp_entry {
	struct bm_blockptr list;  /* LOAD: the block list; EXEC: unused */
	u8 pad[7];
	u8 type;                  /* BM_ENTRY_* */
	be64 addr;                /* LOAD: load address; EXEC: a short PSW */
};
BUILD_ASSERT(sizeof(struct bm_comp_entry) == 32);

#define BM_ENTRY_EXEC 0x01
#define BM_ENTRY_LOAD 0x02
#define BM_ENTRY_SIGNATURE 0x03   /* a secure-boot signature: skipped */

/* The short PSW of an EXEC entry: its address bits. */
#define BM_PSW_ADDR_MASK 0x7FFFFFFFull

#endif /* BOOT_BOOTMAP_HW_H */
