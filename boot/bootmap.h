/*
 * The boot-map reader of ccwboot: a disk's SCSI boot map (bootmap_hw.h)
 * walked, checked and its components loaded into memory. Platform-neutral:
 * the disk and the memory are callbacks, so the same code runs in the
 * s390x loader (virtio-blk, real memory) and on the host (an image file,
 * a buffer) under the unit tests and the fuzzer.
 *
 * Every failure is a one-line reason naming the block and what was wrong
 * with it: a bad magic, a pointer past the end of the disk or with another
 * block size, a block list that loops, a component over the loader or
 * beyond memory. Nothing is loaded outside the memory the target allows.
 */
#ifndef BOOT_BOOTMAP_H
#define BOOT_BOOTMAP_H

#include "boot/bootmap_hw.h"

/* The disk, in whole blocks. */
struct bm_disk {
	u32 block_size;   /* bytes per block (512 to 4096, a power of two) */
	u64 blocks;       /* blocks on the disk */
	/*
	 * Read count blocks from block into buf; 0, or a negative error.
	 * The reader asks for as many blocks at once as a pointer names, or
	 * one block of the map; the callback splits them as the device
	 * needs.
	 */
	int (*read)(void *ctx, u64 block, u32 count, void *buf);
	void *ctx;
	/* What the device said of the last failed read (NULL: nothing more
	 * than the error code). */
	const char *(*read_why)(void *ctx);
	/*
	 * zipl's ECKD scheme (a 3390): pointers are ECKD pointers, turned
	 * into block numbers as bootmap_hw.h says with heads and per_track
	 * (records of block_size bytes on a track); the program table is
	 * where eckd_table points (from the IPL2 record), not found through
	 * block 0. Messages name records by cylinder, head and record.
	 */
	bool eckd;
	u32 heads, per_track;
	struct bm_eckd_ptr eckd_table;
};

/* The memory components are loaded into. */
struct bm_target {
	u64 mem_size;          /* bytes of memory from address 0 */
	/* A range nothing may be loaded over (the loader itself); empty when
	 * avoid_end <= avoid_start. */
	u64 avoid_start, avoid_end;
	/* The host pointer for [addr, addr + len) (the reader has checked the
	 * range); NULL to refuse it. */
	void *(*ptr)(void *ctx, u64 addr, u64 len);
	void *ctx;
	/* An image laid out from address 0 (El Torito): its bytes below this
	 * are not loaded (they would be the loader's own lowcore). */
	u64 low;
};

/* One LOAD component as it was loaded: where, and how many bytes. */
struct bm_loaded {
	u64 addr, len;
};

/* LOAD components one entry may have. */
#define BM_MAX_LOADS 16u

struct bm_program {
	unsigned nloads;
	struct bm_loaded load[BM_MAX_LOADS];
	u64 psw;          /* the EXEC entry's short PSW */
	u64 entry_block;  /* where the entry's component header is */
};

/* An ECKD block number as cylinder, head and record ("cylinder 3 head 2
 * record 5"), or for a SCSI disk "block N": for messages. */
void bm_block_name(const struct bm_disk *d, u64 block, char *buf, size_t len);

/* Bytes of scratch memory the reader needs: two blocks of the largest size. */
#define BM_SCRATCH (2u * 4096u)

/*
 * Count the boot entries of the disk's program table (block 0 must hold
 * the boot record). 0 and *n (1 to BM_MAX_ENTRIES), or a negative error
 * with the reason in why: -VERR_NOTSUP when block 0 is not a SCSI boot
 * record at all (the disk is not for this scheme), -VERR_PROTO for a map
 * that is broken. scratch: BM_SCRATCH bytes.
 */
int bm_entries(const struct bm_disk *d, void *scratch, unsigned *n, char *why, size_t why_len);

/*
 * Load boot entry `entry` (0: the default) into the target and return its
 * components and EXEC PSW in *out. 0, or a negative error with the reason
 * in why; on an error something may have been loaded, within the target.
 */
int bm_load(const struct bm_disk *d, unsigned entry, const struct bm_target *t,
	    struct bm_program *out, void *scratch, char *why, size_t why_len);

#endif /* BOOT_BOOTMAP_H */
