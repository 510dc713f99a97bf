/*
 * The test kernel's entry, in the Linux image format
 * (boot/linux_hw.h): linked at 0, entered at 0x10000 in 31- or 64-bit
 * mode (QEMU's -kernel, QEMU's BIOS through its EXEC PSW, ccwboot), the
 * magic `S390EP` at 0x10008, the parameter area at 0x10400, the command
 * line at 0x10480. Code from 0x12000, after the kernel's 4 KiB command
 * line.
 */
#include "boot/s390x/lowcore.h"

	.section .head, "awx"
	.globl	_start
_start:
	j	1f
	.org	0x08
	.ascii	"S390EP"
	.org	0x10
1:	sam64
	jg	stub_entry

	.org	0x400
	.quad	0			/* ipl device */
	.globl	stub_initrd
stub_initrd:
	.quad	0			/* initrd start */
	.quad	0			/* initrd size */
	.quad	0, 0			/* oldmem base and size */
	.quad	0			/* kernel version */
	.quad	4096			/* the longest command line, its NUL included */
	.org	0x480
	.globl	stub_cmdline
stub_cmdline:
	.fill	4096, 1, 0
	.org	0x2000

	.text
stub_entry:
	/* Any program check ends the run in a disabled wait at 0xE00 + its
	 * code's low byte is what the tour image does; here a plain wait at
	 * 0xE00 is enough to fail the test that booted the stub. */
	larl	%r1, pgm_psw
	mvc	LC_PGM_NEW_PSW(16), 0(%r1)
	larl	%r15, stack_top
	aghi	%r15, -160
	lghi	%r0, 0
	stg	%r0, 0(%r15)
	larl	%r2, __bss_start
	larl	%r3, __bss_end
	sgr	%r3, %r2
	lghi	%r4, 0
	lghi	%r5, 0
2:	mvcle	%r2, %r4, 0
	jo	2b
	brasl	%r14, stub_main
	/* stub_main() ends in a disabled wait; should it return, fail. */
	larl	%r1, pgm_psw
	lpswe	0(%r1)

	.section .rodata
	.align	8
pgm_psw:
	.quad	PSW_MASK_WAIT | PSW_MASK_64, EXIT_ADDR_PGM

	.section .bss
	.align	16
	.space	16384
stack_top:
	.section .note.GNU-stack, "", @progbits
