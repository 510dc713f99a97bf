/*
 * z/Architecture lowcore addresses (prefix 0) and PSW masks used by the
 * image, plus the few lowcore bytes the image keeps for itself. Usable from
 * assembler and C. PoP chapter 3 "Assigned Storage Locations";
 * reference/platforms.md section 6.
 */
#ifndef BOOT_S390X_LOWCORE_H
#define BOOT_S390X_LOWCORE_H

#define LC_ESA_IPL_PSW 0x000        /* ESA/390 IPL PSW (8 bytes) */
#define LC_ESA_PGM_NEW_PSW 0x068    /* ESA/390 program new PSW (8 bytes) */
#define LC_EXT_PARAM 0x080          /* external-interruption parameter */
#define LC_EXT_INT_CODE 0x086       /* external-interruption code (2 bytes) */
#define LC_SVC_INT_CODE 0x08A
#define LC_PGM_ILC 0x08C            /* program-interruption ILC (2 bytes) */
#define LC_PGM_INT_CODE 0x08E       /* program-interruption code (2 bytes) */
#define LC_TRANS_EXC_ADDR 0x0A8
#define LC_SUBCHANNEL_ID 0x0B8      /* I/O interruption: subchannel-id word */
#define LC_IO_INT_PARM 0x0BC        /* I/O interruption parameter */
#define LC_IO_INT_WORD 0x0C0        /* interruption-identification word */
#define LC_MCCK_CODE 0x0E8          /* machine-check interruption code (8 bytes) */
#define LC_RESTART_OLD_PSW 0x120
#define LC_EXT_OLD_PSW 0x130
#define LC_SVC_OLD_PSW 0x140
#define LC_PGM_OLD_PSW 0x150
#define LC_MCCK_OLD_PSW 0x160
#define LC_IO_OLD_PSW 0x170
#define LC_RESTART_NEW_PSW 0x1A0
#define LC_EXT_NEW_PSW 0x1B0
#define LC_SVC_NEW_PSW 0x1C0
#define LC_PGM_NEW_PSW 0x1D0
#define LC_MCCK_NEW_PSW 0x1E0
#define LC_IO_NEW_PSW 0x1F0

/* The image's own lowcore bytes (free in z/Architecture mode). */
#define LC_SAVE_GPRS 0x200          /* 16 GPRs at an unexpected interruption */
#define LC_WAKE_REASON 0x280        /* what ended an enabled wait (1 byte) */
#define LC_PGM_ARMED 0x288          /* 1: a program check resumes at LC_RECOVER_PSW */
#define LC_RECOVER_PSW 0x290        /* 16 bytes */
/* ccwboot IPLed from a device (Hercules' `ipl DEVNO [parm TEXT]`): the 16
 * ESA/390 general registers as the IPL left them (the IPL parameter text),
 * and the IPL subchannel-id word of 0xB8, both stored by the first
 * instructions, before any interruption can overwrite 0xB8. */
#define LC_IPL_GPRS 0x2A0           /* 64 bytes */
#define LC_IPL_SCHID 0x2E0          /* 4 bytes */
/* What READ SCP INFO said before ccwboot moved itself: memory (8 bytes),
 * the loadparm (8 EBCDIC bytes). */
#define LC_IPL_MEM 0x2E8
#define LC_IPL_LOADPARM 0x2F0

#define WAKE_NONE 0
#define WAKE_IO 1
#define WAKE_EXT 2
#define WAKE_CRW 3   /* a channel-report-pending machine check */

/* Kinds of unexpected interruption, passed to boot_unexpected(). */
#define INT_KIND_PGM 1
#define INT_KIND_EXT 2
#define INT_KIND_MCCK 3
#define INT_KIND_RESTART 4
#define INT_KIND_SVC 5
#define INT_KIND_IO 6

/* z/Architecture PSW mask bits (PoP chapter 4 "Program-Status Word"). */
#define PSW_MASK_IO 0x0200000000000000
#define PSW_MASK_EXT 0x0100000000000000
#define PSW_MASK_MCHECK 0x0004000000000000
#define PSW_MASK_WAIT 0x0002000000000000
#define PSW_MASK_EA 0x0000000100000000
#define PSW_MASK_BA 0x0000000080000000
#define PSW_MASK_64 (PSW_MASK_EA | PSW_MASK_BA)

/* Exit protocol (reference/platforms.md 8.3): disabled-wait addresses. */
#define EXIT_ADDR_SUCCESS 0xFFF     /* QEMU exits 0; the harness matches ...0FFF */
#define EXIT_ADDR_FAILURE 0xBAD     /* tests failed */
#define EXIT_ADDR_PGM 0xE00         /* + program-interruption code (low byte) */
#define EXIT_ADDR_UNEXPECTED 0xD00  /* + INT_KIND_* */

/* CR14 bit 35: the channel-report-pending subclass mask of machine checks
 * (PoP 11 "Machine-Check Handling"); MCIC bit 9 (CP) reports one. */
#define CR14_CHANNEL_REPORT 0x10000000
#define MCIC_BYTE1_CP 0x40

/* CR0 external subclass masks (PoP 6 "Control Registers"). */
#define CR0_CLOCK_COMPARATOR 0x800
#define CR0_SERVICE_SIGNAL 0x200

#define EXT_CODE_CLOCK_COMPARATOR 0x1004

#endif /* BOOT_S390X_LOWCORE_H */
