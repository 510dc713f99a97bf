/*
 * A Linux kernel image for s390x, as a loader meets it
 * (reference/boot-linux.md, "The kernel image"): linked at 0, so a file
 * offset is an address; entered at 0x10000; `S390EP` at 0x10008; the
 * parameter area at 0x10400, 8-byte big-endian fields, the command line
 * at 0x10480.
 */
#ifndef BOOT_LINUX_HW_H
#define BOOT_LINUX_HW_H

#include "ring/base.h"

#define LINUX_ENTRY 0x10000u
#define LINUX_MAGIC_ADDR 0x10008u
#define LINUX_MAGIC "S390EP"
#define LINUX_MAGIC_LEN 6u

/* The parameter area. */
#define LINUX_PARM_IPL_DEVICE 0x10400u
#define LINUX_PARM_INITRD_START 0x10408u
#define LINUX_PARM_INITRD_SIZE 0x10410u
#define LINUX_PARM_OLDMEM_BASE 0x10418u
#define LINUX_PARM_OLDMEM_SIZE 0x10420u
#define LINUX_PARM_KERNEL_VERSION 0x10428u
#define LINUX_PARM_MAX_CMDLINE 0x10430u   /* with its NUL; 0: LINUX_LEGACY_CMDLINE */
#define LINUX_CMDLINE 0x10480u
#define LINUX_LEGACY_CMDLINE 896u

/* The short PSW that starts a kernel at its entry in 31-bit mode, as zipl
 * writes it for an EXEC entry: must-be-one bit 12, BA, the address. */
#define LINUX_EXEC_PSW 0x0008000080010000ull

/* Where QEMU's -kernel puts an initrd: 0x800000, raised by 1 MiB steps
 * until it lies at least 1 MiB above the kernel's end (hw/s390x/ipl.c). */
#define LINUX_INITRD_BASE 0x800000ull
#define LINUX_INITRD_STEP 0x100000ull

static inline u64 linux_initrd_addr(u64 kernel_size)
{
	u64 a = LINUX_INITRD_BASE;

	while (a < kernel_size + LINUX_INITRD_STEP)
		a += LINUX_INITRD_STEP;
	return a;
}

/* Whether an image of len bytes at p carries the kernel's magic. */
static inline bool linux_is_kernel(const u8 *p, u64 len)
{
	return len >= LINUX_MAGIC_ADDR + LINUX_MAGIC_LEN &&
	       !memcmp(p + LINUX_MAGIC_ADDR, LINUX_MAGIC, LINUX_MAGIC_LEN);
}

/* The longest command line the kernel takes, its NUL included. */
static inline u64 linux_max_cmdline(const u8 *p, u64 len)
{
	u64 v;

	if (len < LINUX_PARM_MAX_CMDLINE + 8)
		return LINUX_LEGACY_CMDLINE;
	v = (u64)get_be32(p + LINUX_PARM_MAX_CMDLINE) << 32 |
	    get_be32(p + LINUX_PARM_MAX_CMDLINE + 4);
	return v ? v : LINUX_LEGACY_CMDLINE;
}

#endif /* BOOT_LINUX_HW_H */
