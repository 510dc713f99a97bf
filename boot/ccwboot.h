/*
 * ccwboot, the loader: find the boot device, read its boot map, load the
 * chosen entry and say how to start it. Platform-neutral: the s390x program
 * (boot/s390x/ccwboot_main.c) starts what this loaded; the host program
 * (boot/host/ccwboot.c) prints it, on the simulator, from the same code.
 *
 * What it reads today: virtio-blk disks and disks behind a virtio-scsi
 * adapter with the SCSI boot-map scheme (boot/bootmap.h), as zipl and
 * mkboot write them; CD-ROMs behind a virtio-scsi adapter with an El
 * Torito Linux image (boot/eltorito.h); 3390 volumes with
 * zipl's ECKD scheme, found through the IPL2 record (mkboot --ckd); boot
 * files over the network (boot/netboot.h). An entry whose EXEC PSW
 * enters a Linux kernel at 0x10000 is started by ccwboot itself; any other
 * (zipl's stage 3 at 0xa000) is started as QEMU's BIOS starts it
 * (reference/boot-linux.md, "The jump").
 */
#ifndef BOOT_CCWBOOT_H
#define BOOT_CCWBOOT_H

#include "boot/bootmap.h"
#include "ccw/css.h"

/* IPL parameter block types (PoP 17, "IPL Parameter Block"; QEMU's SCSI kind). */
#define CB_PBT_CCW 0x02u
#define CB_PBT_QEMU_SCSI 0xFFu

/* Nothing is loaded below this: the lowcore the loader runs on (its new
 * PSWs, and its own bytes at 0x200, boot/s390x/lowcore.h). */
#define CB_LOWCORE_END 0x300u

/* Where QEMU puts a -bios program: 2 MiB below the end of memory or of
 * 2 GiB, on 64 KiB (hw/s390x/ipl.c); ccwboot on the host keeps the same
 * place, so both report the same loader range. */
#define CB_LOADER_SPAN 0x200000u
static inline u64 cb_loader_base(u64 mem_size)
{
	return ((mem_size < 0x80000000u ? mem_size : 0x80000000u) - CB_LOADER_SPAN) &
	       ~(u64)0xFFFF;
}

/* The longest loadparm: 8 characters. */
#define CB_LOADPARM_LEN 8u

/* What the platform tells the loader. */
struct cb_env {
	struct css *css;
	/* The device the IPL named (QEMU's bootindex, through the IPL
	 * parameter block); without one, the first bootable disk is taken. */
	bool have_dev;
	u8 pbt;
	unsigned ssid;
	u16 devno;
	/* Or the subchannel a device IPL came through (Hercules' `ipl DEVNO`:
	 * the subchannel id at 0xB8). */
	bool have_schid;
	u32 schid;
	/* A QEMU SCSI block (pbt CB_PBT_QEMU_SCSI): the logical unit on the
	 * virtio-scsi adapter devno that bootindex named. */
	u16 scsi_target;
	u32 scsi_lun;
	/* Started by a device IPL (Hercules): an entry that is not Linux is
	 * started as an IPL leaves a program (ESA/390, the PSW at 0), there
	 * being no DIAG 308. */
	bool device_ipl;
	/* The IPL parameter text (Hercules' `ipl DEVNO parm TEXT`), added to
	 * a Linux entry's command line after a blank; NULL or "" for none. */
	const char *ipl_parm;
	/*
	 * Measure a 3390's load against one record per channel program: after
	 * the load, as many records (at most CB_BENCH_RECORDS) from the boot
	 * map's first record on are read again, each by a channel program of
	 * its own, and both rates are reported as BENCH lines. Set by the word
	 * CCWBOOT.BENCH in the IPL parameter (which is then not passed on) or
	 * by the host's --bench. clock_us: the clock to time with (NULL:
	 * port_now_us(), STCK on the machine).
	 */
	bool bench;
	u64 (*clock_us)(void);
	char loadparm[CB_LOADPARM_LEN + 1];  /* ASCII, blanks trimmed; "" for none */
	u64 mem_size;                         /* bytes of memory from 0 */
	u64 loader_start, loader_end;         /* the loader's own memory: never loaded over */
	/* The loader's pointer for memory [addr, addr + len); NULL if it has none. */
	void *(*mem)(u64 addr, u64 len);
	/*
	 * A line from the console for PROMPT (without its newline, NUL-
	 * terminated) by deadline_us (port_now_us()): its length, 0 at the
	 * deadline, negative when the console cannot be read. NULL: none.
	 */
	int (*read_line)(char *buf, size_t size, u64 deadline_us);
};

/* Records a bench's one-record-per-program reading takes at most. */
#define CB_BENCH_RECORDS 2048u
/* The IPL parameter's word that asks for the bench (Hercules upper-cases). */
#define CB_BENCH_WORD "CCWBOOT.BENCH"

/* How long PROMPT waits for an answer before it boots the default. */
#define CB_PROMPT_US 30000000u

/* How the loaded entry is to be started. */
enum cb_start {
	CB_START_LINUX,  /* a Linux kernel at 0x10000 with its parameter area: jump there */
	CB_START_PSW,    /* anything else: the EXEC PSW, started as QEMU's BIOS starts it */
};

struct vccw;
struct vblk;
struct vnet;
struct eckd;
struct vscsi;

/* What was loaded. */
struct cb_boot {
	u32 schid;
	u16 devno;
	unsigned ssid;
	u32 blk_size;
	u64 blocks;
	unsigned entry, nentries;
	struct bm_program prog;
	enum cb_start how;
	u64 initrd_addr, initrd_size;     /* CB_START_LINUX: from the parameter area */
	u64 cmdline_len;                  /* CB_START_LINUX: bytes before the NUL */
	u64 bytes, us;                    /* loaded, and how long it took */
	struct vccw *v;                   /* the device, open until cb_quiesce() */
	struct vblk *blk;                 /* a disk's driver */
	struct vnet *net;                 /* or the network's */
	struct eckd *eckd;                /* or a 3390's (zipl's ECKD scheme) */
	struct vscsi *scsi;               /* or a virtio-scsi adapter's, reading lun */
	unsigned lun;                     /* scsi: the disk's index in scsi->luns */
	bool iso;                         /* El Torito: a CD-ROM, or a disk with an ISO image */
	u32 heads, per_track;             /* a 3390: tracks per cylinder, records per track */
	char volser[7];                   /* a 3390: its volume serial */
	struct bm_eckd_ptr eckd_table;    /* a 3390: the program table, from IPL2 */
	bool parm_added;                  /* the IPL parameter text went on the command line */
	u64 one_bytes, one_us;            /* env->bench: one record per channel program */
};

/*
 * Find the device, choose the entry by the loadparm (a number; blanks for
 * the default), load it. 0, or a negative error with a one-line reason in
 * why (it names the device, and the block or entry).
 */
int cb_load(const struct cb_env *env, struct cb_boot *out, char *why, size_t why_len);

/* The placement, a line each ("ccwboot: ..."): components, initrd, command
 * line, the PSW. timing: add the load rate (where the clock is real). */
void cb_report(const struct cb_boot *b, const struct cb_env *env, bool timing);

/* Reset the boot device and disable its subchannel: nothing may write into
 * memory after the jump. */
void cb_quiesce(struct cb_boot *b, const struct cb_env *env);

/* Whether the IPL parameter text has the word CB_BENCH_WORD; the word
 * is removed from it in place. */
bool cb_parm_take_bench(char *parm);

/* Blanks at either end of a loadparm are no part of it: removed in place. */
void cb_loadparm_trim(char *lp);

/*
 * The entry a loadparm selects: 0 with *entry set (blanks: 0, the
 * default; digits: that entry), 1 for PROMPT (the entry is asked for on
 * the console), or -VERR_INVAL with the reason.
 */
int cb_loadparm_entry(const char *loadparm, unsigned *entry, char *why, size_t why_len);

#endif /* BOOT_CCWBOOT_H */
