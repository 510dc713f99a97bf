/*
 * Start-up of ccwboot. QEMU loads a -bios ELF linked at 0 near the top of
 * memory below 2 GiB and enters it in 64-bit mode at its entry
 * (reference/boot-linux.md, "QEMU loads -bios FILE"): so ccwboot is built
 * position-independent, and here, before anything else, it applies its
 * own R_390_RELATIVE relocations (each word = load base + addend, which
 * gives the same result whether or not the ELF loader applied them
 * already; the list is found through _DYNAMIC), points the lowcore's new PSWs at its entry points (entry.S),
 * clears its .bss and calls the port's main.
 *
 * Three ways in, each leaving in r11 how ccwboot came to run
 * (CCWBOOT_HOW_*, boot/s390x/ccwboot_main.c):
 *   _start               QEMU's -bios, in z/Architecture, 64-bit;
 *   ccwboot_ipl_entry    the IPL PSW that mkboot --ckd writes into a 3390's
 *                        IPL1 record: ESA/390, 31-bit, the program read to
 *                        wherever the IPL channel program put it. It keeps
 *                        what the IPL left (the registers with the IPL
 *                        parameter text, the subchannel id at 0xB8) in the
 *                        lowcore, switches to z/Architecture and joins; the
 *                        C part then moves the program to the top of memory
 *                        (ccwboot_move_high) so nothing it loads can land on
 *                        it, as QEMU places a -bios program;
 *   ccwboot_moved_entry  that copy, entered by ccwboot_rebase().
 * The relocations are applied on each way in: every word is base + addend,
 * whatever it held, so the moved copy is right at its new base.
 */
#include "boot/cmdline_hw.h"
#include "boot/s390x/lowcore.h"
#include "boot/s390x/ccwboot_how.h"

#define R_390_NONE 0
#define R_390_RELATIVE 12
/* A relocation of another kind: nothing could be trusted; stop here. */
#define EXIT_ADDR_RELOC 0xDEF
#define CCWBOOT_HEAP 0x100000

	/* The program's own symbols: addressed relative to the instruction. */
	.hidden	__ehdr_start, _DYNAMIC, __bss_start, _end, boot_stack_top
	.hidden	restart_entry, ext_entry, svc_entry, pgm_entry, mcck_entry, io_entry
	.hidden	boot_s390x_main, fail_psw, ccwboot_move_high, ccwboot_how

	.section .text.start, "ax"
	.globl	_start
_start:
	lghi	%r11, CCWBOOT_HOW_BIOS
	j	common

	/* ESA/390 until SAM64: only instructions valid there, and absolute
	 * lowcore addresses (base register 0). */
	.globl	ccwboot_ipl_entry
ccwboot_ipl_entry:
	stm	%r0, %r15, LC_IPL_GPRS
	l	%r1, LC_SUBCHANNEL_ID
	st	%r1, LC_IPL_SCHID
	/* SIGP SET ARCHITECTURE to z/Architecture (code 1) on this CPU. */
	lhi	%r0, 0
	lhi	%r1, 1
	sigp	%r1, %r0, 0x12
	sam64
	lghi	%r11, CCWBOOT_HOW_IPL
	j	common

	.globl	ccwboot_moved_entry
ccwboot_moved_entry:
	lghi	%r11, CCWBOOT_HOW_MOVED

common:
	larl	%r13, __ehdr_start	/* the load base: the ELF header is linked at 0 */
	/* The relocations, from the dynamic section: DT_RELA (7) and
	 * DT_RELASZ (8), each a tag and a value; DT_NULL (0) ends it. */
	larl	%r1, _DYNAMIC
	lghi	%r2, 0
	lghi	%r3, 0
5:	lg	%r4, 0(%r1)
	cghi	%r4, 0
	je	6f
	cghi	%r4, 7
	jne	7f
	lg	%r2, 8(%r1)
7:	cghi	%r4, 8
	jne	8f
	lg	%r3, 8(%r1)
8:	aghi	%r1, 16
	j	5b
6:	agr	%r3, %r2		/* [r2, r3): offsets from the base */
	agr	%r2, %r13
	agr	%r3, %r13
1:	clgr	%r2, %r3
	jhe	3f
	lg	%r4, 8(%r2)		/* r_info: the type in the low word */
	llgfr	%r4, %r4
	cghi	%r4, R_390_NONE
	je	2f
	cghi	%r4, R_390_RELATIVE
	jne	9f
	lg	%r5, 0(%r2)		/* r_offset */
	lg	%r6, 16(%r2)		/* r_addend */
	agr	%r5, %r13
	agr	%r6, %r13
	stg	%r6, 0(%r5)
2:	aghi	%r2, 24
	j	1b

3:	/* The new PSWs: 64-bit, disabled, at the entry points. */
	larl	%r1, restart_entry
	lghi	%r2, LC_RESTART_NEW_PSW
	brasl	%r14, set_psw
	larl	%r1, ext_entry
	lghi	%r2, LC_EXT_NEW_PSW
	brasl	%r14, set_psw
	larl	%r1, svc_entry
	lghi	%r2, LC_SVC_NEW_PSW
	brasl	%r14, set_psw
	larl	%r1, pgm_entry
	lghi	%r2, LC_PGM_NEW_PSW
	brasl	%r14, set_psw
	larl	%r1, mcck_entry
	lghi	%r2, LC_MCCK_NEW_PSW
	brasl	%r14, set_psw
	larl	%r1, io_entry
	lghi	%r2, LC_IO_NEW_PSW
	brasl	%r14, set_psw

	larl	%r15, boot_stack_top
	aghi	%r15, -160
	lghi	%r0, 0
	stg	%r0, 0(%r15)		/* back chain */
	larl	%r2, __bss_start
	larl	%r3, _end
	sgr	%r3, %r2
	lghi	%r4, 0
	lghi	%r5, 0
4:	mvcle	%r2, %r4, 0
	jo	4b
	larl	%r1, ccwboot_how
	st	%r11, 0(%r1)
	/* Straight from the IPL: to the top of memory first (it returns
	 * only when the program cannot or need not move). */
	cghi	%r11, CCWBOOT_HOW_IPL
	jne	5f
	brasl	%r14, ccwboot_move_high
5:	brasl	%r14, boot_s390x_main
	larl	%r1, fail_psw
	lpswe	0(%r1)

9:	/* An unknown relocation: a disabled wait at EXIT_ADDR_RELOC. */
	larl	%r1, reloc_psw
	lpswe	0(%r1)

/* ccwboot_rebase(entry): go to the moved copy's ccwboot_moved_entry. */
	.globl	ccwboot_rebase
ccwboot_rebase:
	br	%r2

/* Store the PSW (PSW_MASK_64, r1) at r2. */
set_psw:
	llihl	%r0, (PSW_MASK_64 >> 32) & 0xffff
	oilh	%r0, (PSW_MASK_64 >> 16) & 0xffff
	stg	%r0, 0(%r2)
	stg	%r1, 8(%r2)
	br	%r14

	.section .rodata
	.balign	8
reloc_psw:
	.quad	PSW_MASK_WAIT + PSW_MASK_64, EXIT_ADDR_RELOC

	/* The port's command line (port_cmdline()): ccwboot takes none. */
	.section .bss
	.globl	boot_cmdline
boot_cmdline:
	.space	TOUR_CMDLINE_AREA

	/* DMA memory for port_dma_alloc() (boot/s390x/plat.c): QEMU keeps
	 * 2 MiB for the BIOS; the program and this stay well within it. */
	.balign	4096
	.globl	__heap_start, __heap_end
__heap_start:
	.space	CCWBOOT_HEAP
__heap_end:

	.section .note.GNU-stack, "", @progbits
