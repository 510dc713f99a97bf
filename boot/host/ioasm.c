/*
 * The I/O instructions (ccw/ioasm.h) on the simulator: each operand pointer
 * becomes a guest address; an operand outside guest memory is an
 * addressing exception, as on the machine.
 */
#include "boot/host/host.h"
#include "ccw/ioasm.h"
#include "sim/vccw.h" /* sim_diag500 */

/* The guest address of an operand; raises addressing when it is not in guest memory. */
static bool operand(const void *p, size_t len, const char *insn, u64 *addr)
{
	if (!sim_mem_addr(host_sim(), p, len, addr)) {
		host_pgm(SIM_PGM_ADDRESSING, insn);
		return false;
	}
	return true;
}

/* The condition code, or the end of the run for a program exception. */
static enum css_cc cc_of(int rc, const char *insn)
{
	if (SIM_IS_PGM(rc)) {
		host_pgm(SIM_PGM_CODE(rc), insn);
		/* A handler that returns leaves "not operational". */
		return CSS_CC3;
	}
	return (enum css_cc)rc;
}

enum css_cc stsch(u32 schid, struct schib *schib)
{
	u64 a;

	return operand(schib, sizeof(*schib), "stsch", &a) ? cc_of(sim_stsch(host_sim(), schid, a), "stsch")
							    : CSS_CC3;
}

enum css_cc msch(u32 schid, const struct schib *schib)
{
	u64 a;

	return operand(schib, sizeof(*schib), "msch", &a) ? cc_of(sim_msch(host_sim(), schid, a), "msch")
							   : CSS_CC3;
}

enum css_cc ssch(u32 schid, const struct orb *orb)
{
	u64 a;

	return operand(orb, 12, "ssch", &a) ? cc_of(sim_ssch(host_sim(), schid, a), "ssch") : CSS_CC3;
}

enum css_cc tsch(u32 schid, struct irb *irb)
{
	u64 a;

	return operand(irb, 64, "tsch", &a) ? cc_of(sim_tsch(host_sim(), schid, a), "tsch") : CSS_CC3;
}

enum css_cc hsch(u32 schid)
{
	return cc_of(sim_hsch(host_sim(), schid), "hsch");
}

enum css_cc csch(u32 schid)
{
	return cc_of(sim_csch(host_sim(), schid), "csch");
}

enum css_cc rsch(u32 schid)
{
	return cc_of(sim_rsch(host_sim(), schid), "rsch");
}

enum css_cc xsch(u32 schid)
{
	return cc_of(sim_xsch(host_sim(), schid), "xsch");
}

enum css_cc tpi(struct tpi_info *info)
{
	u64 a;

	return operand(info, sizeof(*info), "tpi", &a) ? cc_of(sim_tpi(host_sim(), a), "tpi") : CSS_CC0;
}

enum css_cc stcrw(be32 *crw)
{
	u64 a;

	return operand(crw, sizeof(*crw), "stcrw", &a) ? cc_of(sim_stcrw(host_sim(), a), "stcrw")
						       : CSS_CC1;
}

int chsc(void *block)
{
	u64 a;

	if (!sim_mem_addr(host_sim(), block, 4096, &a))
		return -SIM_PGM_ADDRESSING;
	return sim_chsc(host_sim(), a);
}

s64 diag500_notify(u32 schid, u32 queue, u64 cookie)
{
	s64 r2 = 0;
	int rc = sim_diag500(host_sim(), 3, schid, queue, cookie, &r2);

	if (rc < 0) {
		/* What the hypercall answers for a notification it cannot
		 * deliver (-EINVAL, platforms.md 12.7), should the program go on. */
		host_pgm(-rc, "diag 0x500");
		return -SIM_DIAG500_EINVAL;
	}
	return r2;
}
