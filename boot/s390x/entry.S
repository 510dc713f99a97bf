/*
 * The interruption entry points and the few routines in assembler that
 * every s390x program of the project shares (the tour image, ccwboot):
 * enabled waits, CHSC with a way out, and the report of an unexpected
 * interruption. Position-independent (larl only), so ccwboot, which QEMU
 * loads near the top of memory, uses them unchanged; a program's start-up
 * points the lowcore's new PSWs here. reference/platforms.md section 6.
 */
#include "boot/s390x/lowcore.h"

	.text
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

	.globl	io_entry, ext_entry, pgm_entry, svc_entry, mcck_entry, restart_entry
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
	.globl	fail_psw
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
