/*
 * The I/O instructions (ccw/ioasm.h) on the machine. Each wrapper passes the
 * subchannel-id word in GPR 1, returns the condition code through IPM, and
 * clobbers memory: the channel subsystem reads and writes storage the
 * compiler cannot see (CCWs, data, IRBs). The cc output is early-clobber so
 * it never shares GPR 1 (reference/platforms.md 3.2 and 13, item 7).
 */
#include "ccw/ioasm.h"

enum css_cc stsch(u32 schid, struct schib *schib)
{
	register u64 r1 asm("1") = schid;
	int cc;

	asm volatile("	stsch	%[schib]\n"
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=&d"(cc), [schib] "=Q"(*schib)
		     : "d"(r1)
		     : "cc", "memory");
	return (enum css_cc)cc;
}

enum css_cc msch(u32 schid, const struct schib *schib)
{
	register u64 r1 asm("1") = schid;
	int cc;

	asm volatile("	msch	%[schib]\n"
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=&d"(cc)
		     : "d"(r1), [schib] "Q"(*schib)
		     : "cc", "memory");
	return (enum css_cc)cc;
}

enum css_cc ssch(u32 schid, const struct orb *orb)
{
	register u64 r1 asm("1") = schid;
	int cc;

	asm volatile("	ssch	%[orb]\n"
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=&d"(cc)
		     : "d"(r1), [orb] "Q"(*orb)
		     : "cc", "memory");
	return (enum css_cc)cc;
}

enum css_cc tsch(u32 schid, struct irb *irb)
{
	register u64 r1 asm("1") = schid;
	int cc;

	asm volatile("	tsch	%[irb]\n"
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=&d"(cc), [irb] "=Q"(*irb)
		     : "d"(r1)
		     : "cc", "memory");
	return (enum css_cc)cc;
}

/* HSCH, CSCH, RSCH and XSCH take only the subchannel-id word. */
#define IOASM_SCHID_ONLY(name)                                   \
	enum css_cc name(u32 schid)                              \
	{                                                        \
		register u64 r1 asm("1") = schid;                \
		int cc;                                          \
                                                                 \
		asm volatile("	" #name "\n"                     \
			     "	ipm	%[cc]\n"                 \
			     "	srl	%[cc],28\n"              \
			     : [cc] "=&d"(cc)                    \
			     : "d"(r1)                           \
			     : "cc", "memory");                  \
		return (enum css_cc)cc;                          \
	}

IOASM_SCHID_ONLY(hsch)
IOASM_SCHID_ONLY(csch)
IOASM_SCHID_ONLY(rsch)
IOASM_SCHID_ONLY(xsch)

enum css_cc tpi(struct tpi_info *info)
{
	int cc;

	asm volatile("	tpi	%[info]\n"
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=d"(cc), [info] "=Q"(*info)
		     :
		     : "cc", "memory");
	return (enum css_cc)cc;
}

enum css_cc stcrw(be32 *crw)
{
	int cc;

	asm volatile("	stcrw	%[crw]\n"
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=d"(cc), [crw] "=Q"(*crw)
		     :
		     : "cc", "memory");
	return (enum css_cc)cc;
}

/* In start.S: CHSC with the program-check handler armed to return. */
int boot_chsc(void *block);

int chsc(void *block)
{
	return boot_chsc(block);
}

s64 diag500_notify(u32 schid, u32 queue, u64 cookie)
{
	/* QEMU takes the registers as fixed: r1 function, r2 subchannel,
	 * r3 queue, r4 cookie; r2 returns the result. */
	register u64 r1 asm("1") = 3;
	register u64 r2 asm("2") = schid;
	register u64 r3 asm("3") = queue;
	register u64 r4 asm("4") = cookie;

	asm volatile("	diag	2,4,0x500\n"
		     : "+d"(r2)
		     : "d"(r1), "d"(r3), "d"(r4)
		     : "cc", "memory");
	return (s64)r2;
}
