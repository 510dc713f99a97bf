/*
 * The I/O-instruction port: one function per channel-subsystem instruction,
 * each returning its condition code. The ccw layer is the only caller.
 *
 * Implemented by boot/s390x/ioasm.c with the real instructions, and by
 * boot/host/ on top of the simulator. An instruction that raises a program
 * exception on the machine does so on every port: on s390x the program-check
 * handler ends the run with a diagnosis; the host port reports it the same way.
 *
 * PoP chapter 14 "I/O Instructions" gives the semantics of each.
 */
#ifndef CCW_IOASM_H
#define CCW_IOASM_H

#include "ccw/css_hw.h" /* struct schib, orb, irb, tpi_info */

/* Condition codes of the I/O instructions. */
enum css_cc {
	CSS_CC0 = 0,
	CSS_CC1 = 1,
	CSS_CC2 = 2,
	CSS_CC3 = 3,
};

/* STORE SUBCHANNEL: store the SCHIB of schid. cc 3: no such subchannel. */
enum css_cc stsch(u32 schid, struct schib *schib);

/* MODIFY SUBCHANNEL from schib. cc 1: status pending, cc 2: busy, cc 3: not there. */
enum css_cc msch(u32 schid, const struct schib *schib);

/* START SUBCHANNEL with orb. cc 1: status pending, cc 2: busy, cc 3: not operational. */
enum css_cc ssch(u32 schid, const struct orb *orb);

/* TEST SUBCHANNEL: store the IRB, clearing pending status. cc 1: none was pending. */
enum css_cc tsch(u32 schid, struct irb *irb);

/* HALT SUBCHANNEL. cc 1: status pending, cc 2: busy with halt or clear. */
enum css_cc hsch(u32 schid);

/* CLEAR SUBCHANNEL. cc 3: not operational. */
enum css_cc csch(u32 schid);

/* RESUME SUBCHANNEL. cc 1: status pending, cc 2: not suspended. */
enum css_cc rsch(u32 schid);

/* CANCEL SUBCHANNEL. cc 1: status pending, cc 2: not cancellable. */
enum css_cc xsch(u32 schid);

/*
 * TEST PENDING INTERRUPTION into info (the two-word form). cc 1: an
 * interruption was pending and is now dequeued; cc 0: none pending for the
 * enabled subclasses. The subchannel stays status pending: TSCH is still due.
 */
enum css_cc tpi(struct tpi_info *info);

/* STORE CHANNEL REPORT WORD. cc 1: none pending, zeros stored. */
enum css_cc stcrw(be32 *crw);

/*
 * CHANNEL SUBSYSTEM CALL with the 4 KiB-aligned command block. Returns the
 * condition code, or the negated program-interruption code when the
 * machine refuses the instruction (no CHSC, as under Hercules): the only
 * wrapper whose program exception is an answer rather than the end.
 */
int chsc(void *block);

/*
 * DIAGNOSE 0x500, function 3: notify the hypervisor that virtio-ccw queue
 * `queue` of subchannel schid has new buffers (reference/platforms.md 12.7,
 * ccw-virtio-checklist.md B.6). cookie is the value the last call returned
 * for this queue (0 the first time). Returns GPR 2: a cookie (>= 0) on
 * success, negative (-22) for a subchannel or queue that cannot be notified.
 */
s64 diag500_notify(u32 schid, u32 queue, u64 cookie);

#endif /* CCW_IOASM_H */
