/*
 * How ccwboot came to run on the machine (boot/s390x/ccwboot_start.S sets
 * it, ccwboot_main.c reads it). Usable from assembler and C.
 */
#ifndef BOOT_S390X_CCWBOOT_HOW_H
#define BOOT_S390X_CCWBOOT_HOW_H

#define CCWBOOT_HOW_BIOS 0   /* QEMU's -bios: the IPL parameter block says the rest */
#define CCWBOOT_HOW_IPL 1    /* IPLed from a 3390's IPL records, not yet moved */
#define CCWBOOT_HOW_MOVED 2  /* IPLed, and now at the top of memory */

#endif /* BOOT_S390X_CCWBOOT_HOW_H */
