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

/*
 * zipl's ECKD scheme on a 3390 (reference/boot-linux.md, "ECKD pointers";
 * QEMU pc-bios/s390-ccw/bootmap.h). The program table, the component
 * headers and the block lists are those above, with each 16-byte pointer
 * slot holding an ECKD pointer and 8 reserved bytes; the program table is
 * found through the IPL2 record on cylinder 0, head 0 (record 2, key
 * "IPL2"), not through block 0.
 *
 * A pointer names count + 1 records of `size` data bytes from record
 * `rec` (1 the first) of track (cyl, head); the run goes on with record 1
 * of the next track. Readers number the records as QEMU's BIOS does:
 * block = (cyl + ((head & 0xfff0) << 12)) * heads * per_track +
 *         (head & 0xf) * per_track + rec - 1,
 * per_track being how many records of that size a track holds. A pointer
 * of all zeros ends a list.
 */
struct bm_eckd_ptr {
	be16 cyl;
	be16 head;
	u8 rec;
	u8 size[2];   /* big-endian, unaligned */
	u8 count;     /* records - 1 */
	u8 reserved[8];
};
BUILD_ASSERT(sizeof(struct bm_eckd_ptr) == 16);

/* Records an ECKD pointer may name: its count field is one byte. */
#define BM_ECKD_RUN_MAX 256u

/* The boot record at data byte 88 of IPL2 (zipl's boot_info, QEMU's
 * XEckdMbr): "zIPL" (BM_MAGIC; QEMU's comment says "xIPL", its code reads
 * "zIPL"), version 1, type 0 (IPL), the device type, flags (zipl: 1, an
 * s390x program), and the program table's pointer. */
struct bm_eckd_xmbr {
	be32 magic;           /* BM_MAGIC */
	u8 version;
	u8 bp_type;
	u8 dev_type;          /* BM_DEV_ECKD */
	u8 flags;
	struct bm_eckd_ptr table;
	u8 reserved[8];
};
BUILD_ASSERT(sizeof(struct bm_eckd_xmbr) == 32);

#define BM_DEV_ECKD 0x00u
#define BM_FLAG_S390X 0x01u

/*
 * A seek argument as the IPL2 record holds two of them: bytes 0-5 a SEEK
 * argument (BB CC HH), bytes 2-6 a SEARCH ID EQUAL argument (CC HH R).
 */
struct bm_eckd_seek {
	u8 bb[2];
	be16 cyl;
	be16 head;
	u8 rec;
	u8 pad;
};
BUILD_ASSERT(sizeof(struct bm_eckd_seek) == 8);

/* The IPL2 record's data (144 bytes; its key "IPL2" in EBCDIC is apart):
 * the IPL's second channel program, its two seek arguments, the extended
 * boot record. */
struct bm_eckd_ipl2 {
	u8 stage1[72];        /* up to 9 format-0 CCWs */
	struct bm_eckd_seek seek[2];
	struct bm_eckd_xmbr mbr;
	u8 reserved[24];
};
BUILD_ASSERT(sizeof(struct bm_eckd_ipl2) == 144);

/* Cylinder 0, head 0 of a CDL volume: key and data lengths of its records. */
#define BM_CDL_KEY_LEN 4u
#define BM_CDL_IPL1_LEN 24u    /* record 1: the IPL PSW and two CCWs */
#define BM_CDL_IPL2_LEN 144u   /* record 2: struct bm_eckd_ipl2 */
#define BM_CDL_VOL1_LEN 80u    /* record 3: the volume label */

/* The short PSW of an EXEC entry: its address bits. */
#define BM_PSW_ADDR_MASK 0x7FFFFFFFull

#endif /* BOOT_BOOTMAP_HW_H */
