/*
 * Start-up of the tour image, for QEMU (entered in z/Architecture, 64-bit,
 * at 0x10000) and for Hercules (IPL PSW in ESA/390 format at 0, pointing at
 * the same 0x10000). The interruption entry points are in entry.S.
 * reference/platforms.md sections 4, 5 and 6.
 */
#include "boot/cmdline_hw.h"
#include "boot/s390x/lowcore.h"

/* ------------------------------------------------------------------
 * The lowcore part of the image: loaded at absolute 0 by Hercules (.ins or
 * card deck) and by QEMU's ELF loader.
 */
	.section .lowcore, "aw"
	.org	LC_ESA_IPL_PSW
	/* ESA/390 IPL PSW: bit 12 set, 31-bit addressing, address 0x10000. */
	.long	0x00080000, 0x80010000
	.org	LC_ESA_PGM_NEW_PSW
	/* ESA/390 program new PSW, for a fault before the switch to
	 * z/Architecture: disabled wait with the address EXIT_ADDR_PGM. */
	.long	0x000A0000, 0x80000000 + EXIT_ADDR_PGM
	.org	LC_RESTART_NEW_PSW
	.quad	PSW_MASK_64, restart_entry
	.org	LC_EXT_NEW_PSW
	.quad	PSW_MASK_64, ext_entry
	.org	LC_SVC_NEW_PSW
	.quad	PSW_MASK_64, svc_entry
	.org	LC_PGM_NEW_PSW
	.quad	PSW_MASK_64, pgm_entry
	.org	LC_MCCK_NEW_PSW
	.quad	PSW_MASK_64, mcck_entry
	.org	LC_IO_NEW_PSW
	.quad	PSW_MASK_64, io_entry
	.org	0x200

/* ------------------------------------------------------------------
 * 0x10000: the entry stub, then the command-line area at 0x10480 that
 * QEMU fills from -append and Hercules' tour.ins from tour.parm.
 */
	.section .head, "awx"
	.globl	_start
_start:
	/* Only ESA/390-valid instructions until SAM64. SIGP SET
	 * ARCHITECTURE, parameter 1 (z/Architecture), to this CPU:
	 * Hercules switches and answers cc 0; QEMU is already in
	 * z/Architecture and answers cc 1 (status 0x100). Both are fine. */
	lhi	%r0, 0
	lhi	%r1, 1
	sigp	%r1, %r0, 0x12
	sam64
	jg	start64

	.org	0x408
	.quad	0			/* initrd start (QEMU, -initrd only) */
	.quad	0			/* initrd size */
	.org	0x430
	/* The command-line area's size, where QEMU reads its limit: the
	 * whole area up to the code at 0x11000 (boot/cmdline_hw.h). */
	.quad	TOUR_CMDLINE_AREA
	.org	TOUR_CMDLINE_ADDR - 0x10000
	.globl	boot_cmdline
boot_cmdline:
	.fill	TOUR_CMDLINE_AREA, 1, 0	/* the NUL included */
	.org	0x1000

/* ------------------------------------------------------------------ */
	.text
start64:
	larl	%r15, boot_stack_top
	aghi	%r15, -160
	lghi	%r0, 0
	stg	%r0, 0(%r15)		/* back chain */
	/* Clear .bss: MVCLE with a zero-length source pads with zeros. */
	larl	%r2, __bss_start
	larl	%r3, __bss_end
	sgr	%r3, %r2
	lghi	%r4, 0
	lghi	%r5, 0
1:	mvcle	%r2, %r4, 0
	jo	1b
	brasl	%r14, boot_s390x_main
	/* boot_s390x_main() does not return; if it did, fail. */
	larl	%r1, fail_psw
	lpswe	0(%r1)

	.section .note.GNU-stack, "", @progbits
