/*
 * Start-up and interruption entry points of the s390x image, for QEMU
 * (entered in z/Architecture, 64-bit, at 0x10000) and for Hercules (IPL PSW
 * in ESA/390 format at 0, pointing at the same 0x10000).
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

/*
 * bool-ish boot_enabled_wait(u64 mask): load an enabled-wait PSW with the
 * given mask. The I/O or external entry below clears the wait and the
 * interruption masks in the old PSW and loads it again, so execution goes
 * on here, disabled, with every register intact. LC_WAKE_REASON tells what
 * ended the wait.
 */
	.globl	boot_enabled_wait
boot_enabled_wait:
	larl	%r1, wait_psw
	stg	%r2, 0(%r1)
	larl	%r3, 2f
	stg	%r3, 8(%r1)
	lpswe	0(%r1)
2:	br	%r14

/*
 * int boot_chsc(void *block): CHANNEL SUBSYSTEM CALL; the condition code,
 * or the negated program-interruption code when the machine refuses it.
 */
	.globl	boot_chsc
boot_chsc:
	larl	%r1, psw_mask_64
	mvc	LC_RECOVER_PSW(8), 0(%r1)
	larl	%r1, 5f
	stg	%r1, LC_RECOVER_PSW + 8
	mvi	LC_PGM_ARMED, 1
	.insn	rre, 0xb25f0000, %r2, 0
	ipm	%r2
	srl	%r2, 28
	mvi	LC_PGM_ARMED, 0
	br	%r14
5:	llgh	%r2, LC_PGM_INT_CODE
	lcgr	%r2, %r2
	br	%r14

io_entry:
	ni	LC_IO_OLD_PSW, 0xfc	/* I/O and external masks off */
	ni	LC_IO_OLD_PSW + 1, 0xfd	/* wait bit off */
	mvi	LC_WAKE_REASON, WAKE_IO
	lpswe	LC_IO_OLD_PSW

ext_entry:
	/* An external interruption is expected only in an enabled wait
	 * (the clock comparator bounding it). Anywhere else it is a bug. */
	tm	LC_EXT_OLD_PSW + 1, 0x02
	jz	3f
	ni	LC_EXT_OLD_PSW, 0xfc
	ni	LC_EXT_OLD_PSW + 1, 0xfd
	mvi	LC_WAKE_REASON, WAKE_EXT
	lpswe	LC_EXT_OLD_PSW
3:	stmg	%r0, %r15, LC_SAVE_GPRS
	lghi	%r2, INT_KIND_EXT
	j	unexpected

pgm_entry:
	/* An instruction that may be refused (boot_chsc) armed a way out. */
	cli	LC_PGM_ARMED, 0
	je	4f
	mvi	LC_PGM_ARMED, 0
	lpswe	LC_RECOVER_PSW
4:	stmg	%r0, %r15, LC_SAVE_GPRS
	lghi	%r2, INT_KIND_PGM
	j	unexpected
svc_entry:
	stmg	%r0, %r15, LC_SAVE_GPRS
	lghi	%r2, INT_KIND_SVC
	j	unexpected
mcck_entry:
	/* Expected only in an enabled wait for a channel report
	 * (port_wait_crw); anything else is a machine check to report. */
	tm	LC_MCCK_OLD_PSW + 1, 0x02
	jz	6f
	tm	LC_MCCK_CODE + 1, MCIC_BYTE1_CP
	jz	6f
	ni	LC_MCCK_OLD_PSW, 0xfc	/* I/O and external masks off */
	ni	LC_MCCK_OLD_PSW + 1, 0xf9	/* machine-check mask and wait bit off */
	mvi	LC_WAKE_REASON, WAKE_CRW
	lpswe	LC_MCCK_OLD_PSW
6:	stmg	%r0, %r15, LC_SAVE_GPRS
	lghi	%r2, INT_KIND_MCCK
	j	unexpected
restart_entry:
	stmg	%r0, %r15, LC_SAVE_GPRS
	lghi	%r2, INT_KIND_RESTART
unexpected:
	/* A stack of its own: the interrupted one may be the problem. */
	larl	%r15, boot_emergency_stack_top
	aghi	%r15, -160
	lghi	%r0, 0
	stg	%r0, 0(%r15)
	brasl	%r14, boot_unexpected
	larl	%r1, fail_psw
	lpswe	0(%r1)

	.data
	.balign	8
wait_psw:
	.quad	0, 0
fail_psw:
	.quad	PSW_MASK_WAIT + PSW_MASK_64, EXIT_ADDR_UNEXPECTED
psw_mask_64:
	.quad	PSW_MASK_64

	.section .bss.stack, "aw", @nobits
	.balign	4096
	.space	65536
	.globl	boot_stack_top
boot_stack_top:
	.space	16384
	.globl	boot_emergency_stack_top
boot_emergency_stack_top:

	.section .note.GNU-stack, "", @progbits
