/*
 * The I/O instructions of the simulated channel subsystem, checked against
 * the architecture facts of reference/ccw-virtio-checklist.md section A:
 * condition codes, program exceptions, which fields the instructions
 * change, interruptions, channel reports, measurement and CHSC, in both
 * behaviour profiles where they differ.
 */
#include <string.h>

#include "tests/unit/simtest.h"
#include "tests/unit/unit.h"

/* Program-interruption results, as the instructions return them. */
#define PGM_PRIV (-SIM_PGM_PRIVILEGED)
#define PGM_ADDR (-SIM_PGM_ADDRESSING)
#define PGM_SPEC (-SIM_PGM_SPECIFICATION)
#define PGM_OPND (-SIM_PGM_OPERAND)

/* The fixture's device: subchannel 0.0.0000, device number 0x0100. */
#define DEVNO 0x0100
#define ISC 3

/* --- Helpers --------------------------------------------------------- */

static void setup(struct simtest *t, enum sim_profile p, enum sim_completion c)
{
	CU_ASSERT_FATAL(simtest_init(t, p, c));
}

static u16 pmcw_flags(const struct schib *s)
{
	return be16_to_cpu(s->pmcw.flags);
}

static u32 pmcw_chars(const struct schib *s)
{
	return be32_to_cpu(s->pmcw.chars);
}

/* The chars word of schid, as STSCH stores it. */
static u32 pmcw_chars_of(struct simtest *t, u32 schid)
{
	struct schib s;

	CU_ASSERT_EQUAL_FATAL(simtest_stsch(t, schid, &s), 0);
	return pmcw_chars(&s);
}

/* The PMCW flags of schid, as STSCH stores them. */
static u16 pmcw_flags_of(struct simtest *t, u32 schid)
{
	struct schib s;

	CU_ASSERT_EQUAL_FATAL(simtest_stsch(t, schid, &s), 0);
	return pmcw_flags(&s);
}

static u16 schib_ctrl(const struct schib *s)
{
	return be16_to_cpu(s->scsw.ctrl);
}

/* The SCSW control halfword of schid, as STSCH stores it. */
static u16 sch_ctrl(struct simtest *t, u32 schid)
{
	struct schib s;

	CU_ASSERT_EQUAL_FATAL(simtest_stsch(t, schid, &s), 0);
	return schib_ctrl(&s);
}

/* A big-endian word of guest memory. */
static u32 guest_be32(struct simtest *t, u64 a)
{
	return be32_to_cpu(*(be32 *)simtest_ptr(t, a, 4));
}

/* A one-CCW program: the test device's control command, no data. */
static u64 ctl_prog(struct simtest *t)
{
	u64 prog = simtest_alloc(t, 8, 8);

	simtest_ccw1(t, prog, 0, SIM_TESTDEV_CMD_CONTROL, CCW_FLAG_SLI, 0, 0);
	return prog;
}

/* SSCH of a control command with the usual ORB; the cc. */
static int start_ctl(struct simtest *t, u32 schid, u32 intparm)
{
	return simtest_ssch(t, schid, intparm, SIMTEST_ORB_FMT1, (u32)ctl_prog(t));
}

/* Run deferred work until nothing is left (bounded). */
static void run_all(struct simtest *t)
{
	unsigned i;

	for (i = 0; i < 1000 && sim_progress(t->sim); i++)
		;
	CU_ASSERT(i < 1000);
}

/* Enable, start a control command and let it end: status pending. */
static void make_pending(struct simtest *t, u32 schid)
{
	simtest_enable(t, schid, ISC);
	CU_ASSERT_EQUAL_FATAL(start_ctl(t, schid, 0x1234), 0);
	run_all(t);
	CU_ASSERT_FATAL(sch_ctrl(t, schid) & SCSW_STCTL_STATUS_PEND);
}

/* Arm a fault of the given kind for schid. */
static void arm_fault(struct simtest *t, enum sim_fault_kind kind, u32 schid)
{
	struct sim_fault f;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.schid = schid;
	CU_ASSERT_EQUAL_FATAL(sim_fault_add(t->sim, &f), 0);
}

/* Enable and start a program that never ends: the start function stays active. */
static void start_hung(struct simtest *t)
{
	simtest_enable(t, t->schid, ISC);
	arm_fault(t, SIM_FAULT_HANG, t->schid);
	CU_ASSERT_EQUAL_FATAL(start_ctl(t, t->schid, 0x4A4A), 0);
	run_all(t);
	CU_ASSERT_EQUAL_FATAL(sch_ctrl(t, t->schid) & (SCSW_FCTL_MASK | SCSW_STCTL_STATUS_PEND),
			      SCSW_FCTL_START_FUNC);
	CU_ASSERT_FALSE(sim_io_int_pending(t->sim));
}

/* Apply f to a fresh copy of the current SCHIB and MSCH it; the cc. */
static int msch_with(struct simtest *t, u32 schid, void (*f)(struct schib *, u32), u32 arg)
{
	struct schib s;

	CU_ASSERT_EQUAL_FATAL(simtest_stsch(t, schid, &s), 0);
	f(&s, arg);
	return simtest_msch(t, schid, &s);
}

static void set_flags_or(struct schib *s, u32 bits)
{
	s->pmcw.flags = cpu_to_be16((u16)(pmcw_flags(s) | bits));
}

static void set_chars_or(struct schib *s, u32 bits)
{
	s->pmcw.chars = cpu_to_be32(pmcw_chars(s) | bits);
}

/*
 * CHSC with a request of len bytes and the given code and first parameter
 * in a fresh 4 KiB-aligned page; the response code (or negative program
 * code). The response header follows the request (A.7 CHSC).
 */
static int chsc(struct simtest *t, u16 len, u16 code, u32 param0, u64 *block)
{
	u64 a = simtest_alloc(t, 4096, 4096);
	be16 *h = simtest_ptr(t, a, 16);
	be32 *w = (be32 *)(h + 2);
	int rc;

	h[0] = cpu_to_be16(len);
	h[1] = cpu_to_be16(code);
	w[0] = cpu_to_be32(param0);
	if (block)
		*block = a;
	rc = sim_chsc(t->sim, a);
	if (rc != 0)
		return rc < 0 ? rc : -1000 - rc;
	return be16_to_cpu(*(be16 *)simtest_ptr(t, a + len + 2, 2));
}

#define CHSC_SCSC 0x0010
#define CHSC_SDA 0x0031
#define CHSC_SDA_LEN 0x0400
#define CHSC_SDA_MSS 2
#define CHSC_OK 0x0001
#define CHSC_NOT_INSTALLED 0x0004
#define CHSC_FACILITY 0x0101

/* Enable the multiple-subchannel-set facility through CHSC SDA. */
static void enable_mss(struct simtest *t)
{
	CU_ASSERT_EQUAL_FATAL(chsc(t, CHSC_SDA_LEN, CHSC_SDA, CHSC_SDA_MSS, NULL), CHSC_OK);
}

/* --- STSCH (A.1, A.2, A.7) ------------------------------------------- */

/* A.2: the subchannel as QEMU builds it, which the simulator must reproduce. */
static void stsch_stores_schib(enum sim_profile p)
{
	struct simtest t;
	struct schib s;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(simtest_stsch(&t, t.schid, &s), 0);
	CU_ASSERT_EQUAL(be16_to_cpu(s.pmcw.devno), DEVNO);
	CU_ASSERT(pmcw_flags(&s) & PMCW_FLAGS_DNV);
	CU_ASSERT_FALSE(pmcw_flags(&s) & PMCW_FLAGS_ENA);
	CU_ASSERT_FALSE(pmcw_flags(&s) & PMCW_FLAGS_BIT5);
	CU_ASSERT_EQUAL(s.pmcw.pim, 0x80);
	CU_ASSERT_EQUAL(s.pmcw.pam, 0x80);
	CU_ASSERT_EQUAL(s.pmcw.pom, 0xFF);
	CU_ASSERT_EQUAL(pmcw_chars(&s) & PMCW_CHARS_ST_MASK, 0); /* I/O subchannel */
	CU_ASSERT_EQUAL(schib_ctrl(&s), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(stsch_stores_schib)

/* A.7: cc 3 past the last subchannel of the set; nothing stored. */
static void stsch_cc3_past_last(enum sim_profile p)
{
	struct simtest t;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	a = simtest_alloc(&t, sizeof(struct schib), 8);
	memset(simtest_ptr(&t, a, 52), 0xAB, 52);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, schid_make(0, 1), a), 3);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, schid_make(0, 0xFFFF), a), 3);
	CU_ASSERT_EQUAL(*(u8 *)simtest_ptr(&t, a, 1), 0xAB);
	simtest_fini(&t);
}
BOTH_PROFILES(stsch_cc3_past_last)

/*
 * A.7 STSCH: cc 3 only past the last subchannel of the set; subchannel
 * numbers are contiguous, so a number below the last one without a
 * device is a subchannel with no valid device number (DNV 0), and an
 * enumeration loop that stops at the first cc 3 still finds the devices
 * above it. QEMU stores an all-zero SCHIB for it.
 */
static void stsch_hole(enum sim_profile p)
{
	struct simtest t;
	struct schib s;
	u8 *b;
	u64 a;
	unsigned i, nonzero = 0;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_FATAL(sim_testdev_attach(t.sim, 0, 2, 0x0102, NULL) >= 0);
	a = simtest_alloc(&t, sizeof(struct schib), 8);
	b = simtest_ptr(&t, a, 52);
	memset(b, 0xAB, 52);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, schid_make(0, 1), a), 0);
	memcpy(&s, b, sizeof(s));
	CU_ASSERT_FALSE(pmcw_flags(&s) & PMCW_FLAGS_DNV);
	if (p == SIM_PROFILE_QEMU) {
		for (i = 0; i < 52; i++)
			nonzero += b[i] != 0;
		CU_ASSERT_EQUAL(nonzero, 0);
	}
	CU_ASSERT_EQUAL(sim_stsch(t.sim, schid_make(0, 2), a), 0);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, schid_make(0, 3), a), 3);
	simtest_fini(&t);
}
BOTH_PROFILES(stsch_hole)

/*
 * A.7: a hole has no valid device number, so it is not operational for
 * SSCH, TSCH, HSCH and CSCH (cc 3). MSCH of a subchannel with DNV 0 is
 * cc 0 and changes nothing; QEMU has no subchannel object there at all
 * and answers MSCH with cc 3.
 */
static void hole_not_operational(enum sim_profile p)
{
	struct simtest t;
	struct schib s;
	struct irb irb;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_FATAL(sim_testdev_attach(t.sim, 0, 2, 0x0102, NULL) >= 0);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
	s.pmcw.flags = cpu_to_be16(PMCW_FLAGS_ENA | PMCW_FLAGS_DNV);
	s.pmcw.intparm = cpu_to_be32(0x5555);
	CU_ASSERT_EQUAL(simtest_msch(&t, schid_make(0, 1), &s), p == SIM_PROFILE_QEMU ? 3 : 0);
	CU_ASSERT_EQUAL(simtest_stsch(&t, schid_make(0, 1), &s), 0);
	CU_ASSERT_EQUAL(pmcw_flags(&s), 0);
	CU_ASSERT_EQUAL(be32_to_cpu(s.pmcw.intparm), 0);
	CU_ASSERT_EQUAL(start_ctl(&t, schid_make(0, 1), 1), 3);
	CU_ASSERT_EQUAL(simtest_tsch(&t, schid_make(0, 1), &irb), 3);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, schid_make(0, 1)), 3);
	CU_ASSERT_EQUAL(sim_csch(t.sim, schid_make(0, 1)), 3);
	simtest_fini(&t);
}
BOTH_PROFILES(hole_not_operational)

/* A.7: the SCHIB operand must be word aligned [KUT offsets 1 and 2]. */
static void stsch_unaligned(enum sim_profile p)
{
	struct simtest t;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	a = simtest_alloc(&t, 64, 8);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, t.schid, a + 1), PGM_SPEC);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, t.schid, a + 2), PGM_SPEC);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, t.schid, a + 4), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(stsch_unaligned)

/* A.1: the one bit clear, or M=0 with a CSSID, is an operand exception. */
static void stsch_bad_sid(enum sim_profile p)
{
	struct simtest t;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	a = simtest_alloc(&t, sizeof(struct schib), 8);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, 0x00000000, a), PGM_OPND);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, 0x0000FFFF, a), PGM_OPND);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, 0x01010000, a), PGM_OPND);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, 0xFE010000, a), PGM_OPND);
	simtest_fini(&t);
}
BOTH_PROFILES(stsch_bad_sid)

/*
 * Bits 0x00F00000 of the SID word are reserved: the architecture makes
 * them an operand exception, QEMU does not look at them (A.1 lists only
 * the fields QEMU decodes).
 */
static void stsch_reserved_sid_bits(enum sim_profile p)
{
	struct simtest t;
	struct schib s;
	u64 a;
	u32 bit;

	setup(&t, p, SIM_COMPLETE_SYNC);
	a = simtest_alloc(&t, sizeof(struct schib), 8);
	for (bit = 0x00100000; bit <= 0x00800000; bit <<= 1) {
		if (p == SIM_PROFILE_ARCH) {
			CU_ASSERT_EQUAL(sim_stsch(t.sim, t.schid | bit, a), PGM_OPND);
		} else {
			CU_ASSERT_EQUAL(sim_stsch(t.sim, t.schid | bit, a), 0);
			memcpy(&s, simtest_ptr(&t, a, sizeof(s)), sizeof(s));
			CU_ASSERT_EQUAL(be16_to_cpu(s.pmcw.devno), DEVNO);
		}
	}
	simtest_fini(&t);
}
BOTH_PROFILES(stsch_reserved_sid_bits)

/* A.7: access exceptions come first; an operand off the end of storage. */
static void stsch_addressing(enum sim_profile p)
{
	struct simtest t;
	u64 end;

	setup(&t, p, SIM_COMPLETE_SYNC);
	end = sim_mem_size(t.sim);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, t.schid, end), PGM_ADDR);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, t.schid, end - 4), PGM_ADDR);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, t.schid, end + 0x100000), PGM_ADDR);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, t.schid, end - 52), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(stsch_addressing)

/*
 * A.7: alignment is checked first; then access exceptions win over the
 * operand exception of a bad SID and over cc 3.
 */
static void stsch_exception_priority(enum sim_profile p)
{
	struct simtest t;
	u64 end, a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	end = sim_mem_size(t.sim);
	a = simtest_alloc(&t, 64, 8);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, 0x0000FFFF, end), PGM_ADDR);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, schid_make(0, 0x100), end), PGM_ADDR);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, 0x0000FFFF, a + 2), PGM_SPEC);
	simtest_fini(&t);
}
BOTH_PROFILES(stsch_exception_priority)

/*
 * A.1: subchannel sets 1-3 are invisible (cc 3) until CHSC set-domain-
 * attributes enables multiple subchannel sets.
 */
static void stsch_sets_need_mss(enum sim_profile p)
{
	struct simtest t;
	struct schib s;
	long sid;
	unsigned ssid;

	setup(&t, p, SIM_COMPLETE_SYNC);
	for (ssid = 1; ssid <= 3; ssid++) {
		sid = sim_testdev_attach(t.sim, ssid, 0, (u16)(0x0200 + ssid), NULL);
		CU_ASSERT_FATAL(sid >= 0);
		CU_ASSERT_EQUAL(sid, schid_make(ssid, 0));
		CU_ASSERT_EQUAL(simtest_stsch(&t, (u32)sid, &s), 3);
	}
	enable_mss(&t);
	for (ssid = 1; ssid <= 3; ssid++) {
		CU_ASSERT_EQUAL(simtest_stsch(&t, schid_make(ssid, 0), &s), 0);
		CU_ASSERT_EQUAL(be16_to_cpu(s.pmcw.devno), 0x0200 + ssid);
		CU_ASSERT_EQUAL(simtest_stsch(&t, schid_make(ssid, 1), &s), 3);
	}
	simtest_fini(&t);
}
BOTH_PROFILES(stsch_sets_need_mss)

/* --- MSCH (A.2, A.7) ------------------------------------------------- */

/*
 * A.7 MSCH: only intparm, ISC, ENA, LM, MM, MP, LPM, MBI, POM, chars F and
 * S and the MBA change. Everything else in the operand (devno, PIM, PAM,
 * PNOM, LPUM, CHPIDs, DNV, T, the SCSW, the model area) is ignored.
 */
static void msch_changes_only_modifiable(enum sim_profile p)
{
	struct simtest t;
	struct schib old, s, now;
	u16 f;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &old), 0);
	s = old;
	s.pmcw.intparm = cpu_to_be32(0xCAFEF00D);
	f = (u16)((5u << PMCW_FLAGS_ISC_SHIFT) | PMCW_FLAGS_ENA | 0x0020 | PMCW_FLAGS_MM_MBU |
		  PMCW_FLAGS_MP | PMCW_FLAGS_TF);
	/* DNV off in the operand: the subchannel's own DNV is kept. */
	s.pmcw.flags = cpu_to_be16(f);
	s.pmcw.devno = cpu_to_be16(0x9999);
	s.pmcw.lpm = 0xC0;
	s.pmcw.pnom = 0x11;
	s.pmcw.lpum = 0x22;
	s.pmcw.pim = 0x33;
	s.pmcw.mbi = cpu_to_be16(0x1234);
	s.pmcw.pom = 0x7F;
	s.pmcw.pam = 0x44;
	memset(s.pmcw.chpid, 0x55, sizeof(s.pmcw.chpid));
	s.pmcw.chars = cpu_to_be32(PMCW_CHARS_MBFC | PMCW_CHARS_CSENSE);
	s.scsw.ctrl = cpu_to_be16(SCSW_FCTL_START_FUNC | SCSW_STCTL_STATUS_PEND);
	s.scsw.dstat = 0xFF;
	schib_set_mba(&s, 0x10040);
	memset(s.mda, 0x66, sizeof(s.mda));
	CU_ASSERT_EQUAL(simtest_msch(&t, t.schid, &s), 0);

	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &now), 0);
	CU_ASSERT_EQUAL(be32_to_cpu(now.pmcw.intparm), 0xCAFEF00D);
	CU_ASSERT_EQUAL(pmcw_flags(&now),
			(u16)((5u << PMCW_FLAGS_ISC_SHIFT) | PMCW_FLAGS_ENA | 0x0020 |
			      PMCW_FLAGS_MM_MBU | PMCW_FLAGS_MP |
			      (pmcw_flags(&old) & (PMCW_FLAGS_DNV | PMCW_FLAGS_TF))));
	CU_ASSERT_EQUAL(now.pmcw.lpm, 0xC0);
	CU_ASSERT_EQUAL(be16_to_cpu(now.pmcw.mbi), 0x1234);
	CU_ASSERT_EQUAL(now.pmcw.pom, 0x7F);
	CU_ASSERT_EQUAL(pmcw_chars(&now),
			(pmcw_chars(&old) & ~(PMCW_CHARS_MBFC | PMCW_CHARS_CSENSE)) |
			PMCW_CHARS_MBFC | PMCW_CHARS_CSENSE);
	CU_ASSERT_EQUAL(schib_mba(&now), 0x10040);
	/* Unchanged. */
	CU_ASSERT_EQUAL(now.pmcw.devno.raw, old.pmcw.devno.raw);
	CU_ASSERT_EQUAL(now.pmcw.pim, old.pmcw.pim);
	CU_ASSERT_EQUAL(now.pmcw.pam, old.pmcw.pam);
	CU_ASSERT_EQUAL(now.pmcw.pnom, old.pmcw.pnom);
	CU_ASSERT_EQUAL(now.pmcw.lpum, old.pmcw.lpum);
	CU_ASSERT_EQUAL(memcmp(now.pmcw.chpid, old.pmcw.chpid, 8), 0);
	CU_ASSERT_EQUAL(memcmp(&now.scsw, &old.scsw, sizeof(now.scsw)), 0);
	CU_ASSERT(pmcw_flags(&now) & PMCW_FLAGS_DNV);
	simtest_fini(&t);
}
BOTH_PROFILES(msch_changes_only_modifiable)

static void set_intparm(struct schib *s, u32 v)
{
	s->pmcw.intparm = cpu_to_be32(v);
}

/* A.2: PMCW bit 5 is ignored by MSCH and always stored as zero [KUT]. */
static void msch_bit5_ignored(enum sim_profile p)
{
	struct simtest t;
	struct schib s;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
	set_flags_or(&s, PMCW_FLAGS_BIT5);
	set_intparm(&s, 0x5);
	CU_ASSERT_EQUAL(simtest_msch(&t, t.schid, &s), 0);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
	CU_ASSERT_FALSE(pmcw_flags(&s) & PMCW_FLAGS_BIT5);
	CU_ASSERT_EQUAL(be32_to_cpu(s.pmcw.intparm), 0x5);
	simtest_fini(&t);
}
BOTH_PROFILES(msch_bit5_ignored)

/*
 * A.2: reserved flag bits 0xC300 and reserved chars bits (all but
 * 0x00E00007) are an operand exception, and the instruction is suppressed:
 * the intparm in the same operand must not land.
 */
static void msch_reserved_bits(enum sim_profile p)
{
	static const u16 flag_bits[] = { 0x8000, 0x4000, 0x0200, 0x0100 };
	static const u32 chars_bits[] = { 0x80000000, 0x01000000, 0x00100000, 0x00010000,
					  0x00000100, 0x00000008 };
	struct simtest t;
	struct schib s, now;
	unsigned i;

	setup(&t, p, SIM_COMPLETE_SYNC);
	for (i = 0; i < ARRAY_SIZE(flag_bits); i++) {
		CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
		set_intparm(&s, 0x1000 + i);
		set_flags_or(&s, flag_bits[i] | PMCW_FLAGS_ENA);
		CU_ASSERT_EQUAL(simtest_msch(&t, t.schid, &s), PGM_OPND);
		CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &now), 0);
		CU_ASSERT_EQUAL(be32_to_cpu(now.pmcw.intparm), 0);
		CU_ASSERT_FALSE(pmcw_flags(&now) & PMCW_FLAGS_ENA);
	}
	for (i = 0; i < ARRAY_SIZE(chars_bits); i++) {
		CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
		set_intparm(&s, 0x2000 + i);
		set_chars_or(&s, chars_bits[i]);
		CU_ASSERT_EQUAL(simtest_msch(&t, t.schid, &s), PGM_OPND);
		CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &now), 0);
		CU_ASSERT_EQUAL(be32_to_cpu(now.pmcw.intparm), 0);
	}
	CU_ASSERT_EQUAL(t.dev->enables, 0);
	simtest_fini(&t);
}
BOTH_PROFILES(msch_reserved_bits)

/* A.2: the extended measurement word (chars X) is refused at MSCH. */
static void msch_chars_x(enum sim_profile p)
{
	struct simtest t;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_chars_or, PMCW_CHARS_XMWME), PGM_OPND);
	CU_ASSERT_FALSE(pmcw_chars_of(&t, t.schid) & PMCW_CHARS_XMWME);
	simtest_fini(&t);
}
BOTH_PROFILES(msch_chars_x)

static void set_fmt1_mba(struct schib *s, u32 mba)
{
	set_chars_or(s, PMCW_CHARS_MBFC);
	schib_set_mba(s, mba);
}

/* A.2: with chars F the MBA must be 64-byte aligned [KUT test_schm_fmt1]. */
static void msch_fmt1_mba_alignment(enum sim_profile p)
{
	struct simtest t;
	struct schib s;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_fmt1_mba, 0x10020), PGM_OPND);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_fmt1_mba, 0x10008), PGM_OPND);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
	CU_ASSERT_FALSE(pmcw_chars(&s) & PMCW_CHARS_MBFC);
	CU_ASSERT_EQUAL(schib_mba(&s), 0);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_fmt1_mba, 0x10040), 0);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
	CU_ASSERT(pmcw_chars(&s) & PMCW_CHARS_MBFC);
	CU_ASSERT_EQUAL(schib_mba(&s), 0x10040);
	simtest_fini(&t);
}
BOTH_PROFILES(msch_fmt1_mba_alignment)

/* A.7: MSCH of a status-pending subchannel is cc 1, nothing changed. */
static void msch_cc1_status_pending(enum sim_profile p)
{
	struct simtest t;
	struct schib s;

	setup(&t, p, SIM_COMPLETE_SYNC);
	make_pending(&t, t.schid);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_intparm, 0x77), 1);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
	CU_ASSERT_NOT_EQUAL(be32_to_cpu(s.pmcw.intparm), 0x77);
	simtest_fini(&t);
}
BOTH_PROFILES(msch_cc1_status_pending)

/*
 * A.7: MSCH while a start function is pending is cc 2 (busy); once the
 * program ended it is cc 1, and after TSCH cc 0.
 */
static void msch_cc2_busy(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;

	setup(&t, p, SIM_COMPLETE_DEFERRED);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 1), 0);
	CU_ASSERT(sch_ctrl(&t, t.schid) & SCSW_FCTL_START_FUNC);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_intparm, 0x77), 2);
	run_all(&t);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_intparm, 0x77), 1);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_intparm, 0x77), 0);

	/* A halt function pending is busy too. */
	CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), 0);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_intparm, 0x78), 2);
	run_all(&t);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	simtest_fini(&t);

	/* And a start function active in a program that does not end. */
	setup(&t, p, SIM_COMPLETE_SYNC);
	start_hung(&t);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_intparm, 0x79), 2);
	simtest_fini(&t);
}
BOTH_PROFILES(msch_cc2_busy)

/* A.7: MSCH of a subchannel that does not exist is cc 3; bad SID: operand. */
static void msch_cc3_and_sid(enum sim_profile p)
{
	struct simtest t;
	struct schib s;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
	CU_ASSERT_EQUAL(simtest_msch(&t, schid_make(0, 7), &s), 3);
	CU_ASSERT_EQUAL(simtest_msch(&t, 0x0000FFFF, &s), PGM_OPND);
	CU_ASSERT_EQUAL(simtest_msch(&t, 0x01010000, &s), PGM_OPND);
	/* A.7: the operand must be word aligned [KUT]. */
	a = simtest_alloc(&t, 64, 8);
	memcpy(simtest_ptr(&t, a + 2, sizeof(s)), &s, sizeof(s));
	CU_ASSERT_EQUAL(sim_msch(t.sim, t.schid, a + 2), PGM_SPEC);
	memcpy(simtest_ptr(&t, a + 1, sizeof(s)), &s, sizeof(s));
	CU_ASSERT_EQUAL(sim_msch(t.sim, t.schid, a + 1), PGM_SPEC);
	CU_ASSERT_EQUAL(sim_msch(t.sim, t.schid, sim_mem_size(t.sim) - 4), PGM_ADDR);
	simtest_fini(&t);
}
BOTH_PROFILES(msch_cc3_and_sid)

static void set_ena(struct schib *s, u32 on)
{
	u16 f = (u16)(pmcw_flags(s) & ~PMCW_FLAGS_ENA);

	s->pmcw.flags = cpu_to_be16((u16)(f | (on ? PMCW_FLAGS_ENA : 0)));
}

/*
 * A.7 MSCH: the control unit hears about ENA toggling (virtio-ccw resets
 * its revision on disable, B.3), and only about real changes.
 */
static void msch_ena_notifies_cu(enum sim_profile p)
{
	struct simtest t;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_ena, 0), 0);
	CU_ASSERT_EQUAL(t.dev->enables, 0);
	CU_ASSERT_EQUAL(t.dev->disables, 0);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_ena, 1), 0);
	CU_ASSERT_EQUAL(t.dev->enables, 1);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_ena, 1), 0);
	CU_ASSERT_EQUAL(t.dev->enables, 1);
	CU_ASSERT_EQUAL(t.dev->disables, 0);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_ena, 0), 0);
	CU_ASSERT_EQUAL(t.dev->enables, 1);
	CU_ASSERT_EQUAL(t.dev->disables, 1);
	simtest_fini(&t);
}
BOTH_PROFILES(msch_ena_notifies_cu)

/* --- SSCH (A.3, A.7) ------------------------------------------------- */

/*
 * A.7 SSCH cc 0: the program runs; A.3: the ORB intparm goes to the PMCW
 * and comes back in the interruption; the SCSW echoes ORB F.
 */
static void ssch_cc0_intparm_and_format(enum sim_profile p)
{
	struct simtest t;
	struct schib s;
	struct irb irb;
	struct sim_io_int ii;
	u64 prog, buf;

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, ISC);
	prog = ctl_prog(&t);
	CU_ASSERT_EQUAL(simtest_ssch(&t, t.schid, 0xA5A51234, SIMTEST_ORB_FMT1, (u32)prog), 0);
	CU_ASSERT_EQUAL(t.dev->commands, 1);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
	CU_ASSERT_EQUAL(be32_to_cpu(s.pmcw.intparm), 0xA5A51234);
	CU_ASSERT_FATAL(sim_take_io_interrupt(t.sim, &ii));
	CU_ASSERT_EQUAL(ii.schid, t.schid);
	CU_ASSERT_EQUAL(ii.intparm, 0xA5A51234);
	CU_ASSERT_EQUAL(ii.iid, (u32)ISC << IO_INT_WORD_ISC_SHIFT);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SIMTEST_FINAL);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE);
	CU_ASSERT_EQUAL(irb.scsw.cstat, 0);
	CU_ASSERT_EQUAL(irb_cpa(&irb), prog + 8);
	CU_ASSERT(irb_flags(&irb) & SCSW_FLAGS_FMT);

	/* Format-0 program, ORB F clear: SCSW F clear. */
	prog = simtest_alloc(&t, 8, 8);
	buf = simtest_alloc(&t, 8, 8);
	simtest_ccw0(&t, prog, 0, SIM_TESTDEV_CMD_CONTROL, CCW_FLAG_SLI, 1, (u32)buf);
	CU_ASSERT_EQUAL(simtest_ssch(&t, t.schid, 7, 0x80u << ORB_CTRL_LPM_SHIFT, (u32)prog), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SIMTEST_FINAL);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE);
	CU_ASSERT_FALSE(irb_flags(&irb) & SCSW_FLAGS_FMT);
	CU_ASSERT_EQUAL(t.dev->commands, 2);
	simtest_fini(&t);
}
BOTH_PROFILES(ssch_cc0_intparm_and_format)

/*
 * A.7 SSCH: cc 1 when status pending; the program does not run and the
 * SCSW is left as it was (the status TSCH then stores).
 */
static void ssch_cc1_status_pending(enum sim_profile p)
{
	struct simtest t;
	struct schib before, after;
	struct irb irb;

	setup(&t, p, SIM_COMPLETE_SYNC);
	make_pending(&t, t.schid);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &before), 0);
	CU_ASSERT_EQUAL(start_ctl(&t, t.schid, 2), 1);
	CU_ASSERT_EQUAL(t.dev->commands, 1);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &after), 0);
	CU_ASSERT_EQUAL(memcmp(&before.scsw, &after.scsw, sizeof(before.scsw)), 0);
	CU_ASSERT_EQUAL(before.pmcw.intparm.raw, after.pmcw.intparm.raw);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(memcmp(&irb.scsw, &before.scsw, sizeof(irb.scsw)), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(ssch_cc1_status_pending)

/* A.7 SSCH: cc 2 while a start function is pending. */
static void ssch_cc2_busy(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;

	setup(&t, p, SIM_COMPLETE_DEFERRED);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 1), 0);
	CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid) & (SCSW_FCTL_MASK | SCSW_ACTL_START_PEND),
			SCSW_FCTL_START_FUNC | SCSW_ACTL_START_PEND);
	CU_ASSERT_EQUAL(start_ctl(&t, t.schid, 2), 2);
	run_all(&t);
	CU_ASSERT_EQUAL(t.dev->commands, 1);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SIMTEST_FINAL);
	simtest_fini(&t);
}
BOTH_PROFILES(ssch_cc2_busy)

/*
 * A.7 SSCH cc 3: no such subchannel. A disabled subchannel is not
 * operational in the architecture; QEMU starts it anyway.
 */
static void ssch_cc3(enum sim_profile p)
{
	struct simtest t;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(start_ctl(&t, schid_make(0, 9), 1), 3);
	if (p == SIM_PROFILE_ARCH) {
		CU_ASSERT_EQUAL(start_ctl(&t, t.schid, 1), 3);
		CU_ASSERT_EQUAL(t.dev->commands, 0);
		CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid), 0);
	} else {
		CU_ASSERT_EQUAL(start_ctl(&t, t.schid, 1), 0);
		CU_ASSERT_EQUAL(t.dev->commands, 1);
	}
	CU_ASSERT_EQUAL(start_ctl(&t, 0x0000FFFF, 1), PGM_OPND);
	simtest_fini(&t);
}
BOTH_PROFILES(ssch_cc3)

/* A.3: an ORB that is not word aligned is a specification exception. */
static void ssch_unaligned_orb(enum sim_profile p)
{
	struct simtest t;
	u64 a;
	u32 prog;
	struct orb o = { 0 };

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, ISC);
	prog = (u32)ctl_prog(&t);
	o.ctrl = cpu_to_be32(SIMTEST_ORB_FMT1);
	o.cpa = cpu_to_be32(prog);
	a = simtest_alloc(&t, 64, 8);
	memcpy(simtest_ptr(&t, a + 1, 12), &o, 12);
	CU_ASSERT_EQUAL(sim_ssch(t.sim, t.schid, a + 1), PGM_SPEC);
	memcpy(simtest_ptr(&t, a + 2, 12), &o, 12);
	CU_ASSERT_EQUAL(sim_ssch(t.sim, t.schid, a + 2), PGM_SPEC);
	CU_ASSERT_EQUAL(sim_ssch(t.sim, t.schid, sim_mem_size(t.sim) - 4), PGM_ADDR);
	CU_ASSERT_EQUAL(t.dev->commands, 0);
	memcpy(simtest_ptr(&t, a + 4, 12), &o, 12);
	CU_ASSERT_EQUAL(sim_ssch(t.sim, t.schid, a + 4), 0);
	CU_ASSERT_EQUAL(t.dev->commands, 1);
	simtest_fini(&t);
}
BOTH_PROFILES(ssch_unaligned_orb)

/*
 * A.3: ORB reserved bits 0x3E, B (transport mode), D (MIDAW), CPA bit 0,
 * and an ORB of all ones are operand exceptions; nothing starts.
 */
static void ssch_orb_operand(enum sim_profile p)
{
	struct simtest t;
	u32 prog, bit;

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, ISC);
	prog = (u32)ctl_prog(&t);
	for (bit = 0x02; bit <= 0x20; bit <<= 1)
		CU_ASSERT_EQUAL(simtest_ssch(&t, t.schid, 1, SIMTEST_ORB_FMT1 | bit, prog), PGM_OPND);
	CU_ASSERT_EQUAL(simtest_ssch(&t, t.schid, 1, SIMTEST_ORB_FMT1 | ORB_CTRL_CPTC, prog),
			PGM_OPND);
	CU_ASSERT_EQUAL(simtest_ssch(&t, t.schid, 1, SIMTEST_ORB_FMT1 | ORB_CTRL_MIDAW, prog),
			PGM_OPND);
	CU_ASSERT_EQUAL(simtest_ssch(&t, t.schid, 1, SIMTEST_ORB_FMT1, prog | ORB_CPA_INVALID),
			PGM_OPND);
	CU_ASSERT_EQUAL(simtest_ssch(&t, t.schid, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF), PGM_OPND);
	CU_ASSERT_EQUAL(t.dev->commands, 0);
	CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid), 0);
	CU_ASSERT_FALSE(sim_io_int_pending(t.sim));
	simtest_fini(&t);
}
BOTH_PROFILES(ssch_orb_operand)

/*
 * A.3: an ORB LPM without 0x80 leaves no usable path: SSCH cc 0, then a
 * deferred cc 3 in the SCSW with alert and status pending; no CCW runs.
 */
static void ssch_deferred_cc3(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	struct sim_io_int ii;

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL(simtest_ssch(&t, t.schid, 0x33, ORB_CTRL_FMT | (0x40u << ORB_CTRL_LPM_SHIFT),
				     (u32)ctl_prog(&t)), 0);
	CU_ASSERT_FATAL(sim_take_io_interrupt(t.sim, &ii));
	CU_ASSERT_EQUAL(ii.intparm, 0x33);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL((irb_flags(&irb) & SCSW_FLAGS_CC_MASK) >> SCSW_FLAGS_CC_SHIFT, 3);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & SCSW_STCTL_MASK, SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(t.dev->commands, 0);
	simtest_fini(&t);
}
BOTH_PROFILES(ssch_deferred_cc3)

/* --- TSCH (A.4, A.7) ------------------------------------------------- */

/*
 * A.7 TSCH: cc 0 stores the IRB and clears the status; a second TSCH is
 * cc 1 and still stores an IRB (the now idle SCSW).
 */
static void tsch_cc0_clears_then_cc1(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	make_pending(&t, t.schid);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SIMTEST_FINAL);
	/* A.4: ESW word 0 shows LPUM 0x80. */
	CU_ASSERT_EQUAL(be32_to_cpu(irb.esw[0]), 0x00800000);
	CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid), 0);

	a = simtest_alloc(&t, sizeof(struct irb), 8);
	memset(simtest_ptr(&t, a, sizeof(irb)), 0xAB, sizeof(irb));
	CU_ASSERT_EQUAL(sim_tsch(t.sim, t.schid, a), 1);
	memcpy(&irb, simtest_ptr(&t, a, sizeof(irb)), sizeof(irb));
	CU_ASSERT_EQUAL(irb_ctrl(&irb), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(tsch_cc0_clears_then_cc1)

/*
 * A.7 TSCH cc 3: no such subchannel; a disabled one is not operational in
 * the architecture, while QEMU only needs a valid device number (cc 1).
 */
static void tsch_cc3(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(simtest_tsch(&t, schid_make(0, 1), &irb), 3);
	CU_ASSERT_EQUAL(simtest_tsch(&t, 0x0001FFFF, &irb), 3);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), p == SIM_PROFILE_ARCH ? 3 : 1);
	simtest_fini(&t);
}
BOTH_PROFILES(tsch_cc3)

/*
 * A.7 TSCH: the SID is checked before the operand alignment, so a bad SID
 * with an unaligned IRB is an operand exception [KUT tsch(0x0000ffff)].
 */
static void tsch_sid_before_alignment(enum sim_profile p)
{
	struct simtest t;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	make_pending(&t, t.schid);
	a = simtest_alloc(&t, 128, 8);
	CU_ASSERT_EQUAL(sim_tsch(t.sim, 0x0000FFFF, a + 1), PGM_OPND);
	CU_ASSERT_EQUAL(sim_tsch(t.sim, 0x0000FFFF, a), PGM_OPND);
	CU_ASSERT_EQUAL(sim_tsch(t.sim, t.schid, a + 1), PGM_SPEC);
	CU_ASSERT_EQUAL(sim_tsch(t.sim, t.schid, a + 2), PGM_SPEC);
	CU_ASSERT_EQUAL(sim_tsch(t.sim, t.schid, sim_mem_size(t.sim) - 4), PGM_ADDR);
	/* Suppressed: the status is still there. */
	CU_ASSERT(sch_ctrl(&t, t.schid) & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(sim_tsch(t.sim, t.schid, a), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(tsch_sid_before_alignment)

/*
 * A.7: for TSCH too, access exceptions come before cc 3, and with cc 3
 * no IRB is stored.
 */
static void tsch_access_before_cc3(enum sim_profile p)
{
	struct simtest t;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(sim_tsch(t.sim, schid_make(0, 0x100), sim_mem_size(t.sim) - 8), PGM_ADDR);
	a = simtest_alloc(&t, sizeof(struct irb), 8);
	memset(simtest_ptr(&t, a, sizeof(struct irb)), 0xAB, sizeof(struct irb));
	CU_ASSERT_EQUAL(sim_tsch(t.sim, schid_make(0, 0x100), a), 3);
	CU_ASSERT_EQUAL(guest_be32(&t, a), 0xABABABAB);
	CU_ASSERT_EQUAL(guest_be32(&t, a + 0x3C), 0xABABABAB);
	simtest_fini(&t);
}
BOTH_PROFILES(tsch_access_before_cc3)

/* Run a BASIC SENSE of 32 bytes and copy them to out; asserts a normal ending. */
static void basic_sense(struct simtest *t, u8 *out)
{
	u64 prog = simtest_alloc(t, 8, 8), buf = simtest_alloc(t, SENSE_DATA_LEN, 8);
	struct irb irb;

	memset(simtest_ptr(t, buf, SENSE_DATA_LEN), 0xEE, SENSE_DATA_LEN);
	simtest_ccw1(t, prog, 0, CCW_CMD_BASIC_SENSE, 0, SENSE_DATA_LEN, (u32)buf);
	CU_ASSERT_EQUAL_FATAL(simtest_ssch(t, t->schid, 4, SIMTEST_ORB_FMT1, (u32)prog), 0);
	run_all(t);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 0);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE);
	CU_ASSERT_EQUAL(irb.scsw.cstat, 0);
	memcpy(out, simtest_ptr(t, buf, SENSE_DATA_LEN), SENSE_DATA_LEN);
}

static void arm_unit_check(struct simtest *t, u8 *sense)
{
	struct sim_testdev_answer a;
	unsigned i;

	memset(&a, 0, sizeof(a));
	a.result = SIM_IO_OK;
	a.dstat = SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_CHECK;
	for (i = 0; i < SENSE_DATA_LEN; i++)
		a.sense[i] = (u8)(0x40 + i);
	memcpy(sense, a.sense, SENSE_DATA_LEN);
	sim_testdev_set_answer(t->dev, &a);
}

/*
 * A.4 concurrent sense: with PMCW chars S a unit check brings the sense
 * bytes in the ECW, the ERW says how many, and TSCH clears them (A.9).
 * The architecture sets SCSW E with the count in ERW bits 0x003F0000;
 * QEMU sets L and E and puts the count at bits 0x00003F00.
 */
static void tsch_concurrent_sense(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	u8 sense[SENSE_DATA_LEN], after[SENSE_DATA_LEN], zero[SENSE_DATA_LEN] = { 0 };

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_chars_or, PMCW_CHARS_CSENSE), 0);
	arm_unit_check(&t, sense);
	CU_ASSERT_EQUAL(start_ctl(&t, t.schid, 1), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT(irb.scsw.dstat & SCSW_DSTAT_UNIT_CHECK);
	CU_ASSERT_EQUAL(memcmp(irb.ecw, sense, SENSE_DATA_LEN), 0);
	CU_ASSERT_EQUAL(be32_to_cpu(irb.esw[0]), 0x00800000);
	if (p == SIM_PROFILE_ARCH) {
		CU_ASSERT_EQUAL(irb_flags(&irb) & (SCSW_FLAGS_ESWF | SCSW_FLAGS_ECTL),
				SCSW_FLAGS_ECTL);
		CU_ASSERT_EQUAL(be32_to_cpu(irb.esw[1]),
				ESW_ERW_CONS | (SENSE_DATA_LEN << ESW_ERW_SCNT_SHIFT));
	} else {
		CU_ASSERT_EQUAL(irb_flags(&irb) & (SCSW_FLAGS_ESWF | SCSW_FLAGS_ECTL),
				SCSW_FLAGS_ESWF | SCSW_FLAGS_ECTL);
		CU_ASSERT_EQUAL(be32_to_cpu(irb.esw[1]), ESW_ERW_CONS | (SENSE_DATA_LEN << 8));
	}
	/* TSCH consumed the sense bytes. */
	basic_sense(&t, after);
	CU_ASSERT_EQUAL(memcmp(after, zero, SENSE_DATA_LEN), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(tsch_concurrent_sense)

/* A.4: without chars S the ECW stays empty and BASIC SENSE gets the bytes. */
static void tsch_no_concurrent_sense(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	u8 sense[SENSE_DATA_LEN], after[SENSE_DATA_LEN], zero[SENSE_DATA_LEN] = { 0 };

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, ISC);
	arm_unit_check(&t, sense);
	CU_ASSERT_EQUAL(start_ctl(&t, t.schid, 1), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT(irb.scsw.dstat & SCSW_DSTAT_UNIT_CHECK);
	CU_ASSERT_FALSE(irb_flags(&irb) & SCSW_FLAGS_ECTL);
	CU_ASSERT_FALSE(be32_to_cpu(irb.esw[1]) & ESW_ERW_CONS);
	CU_ASSERT_EQUAL(memcmp(irb.ecw, zero, SENSE_DATA_LEN), 0);
	basic_sense(&t, after);
	CU_ASSERT_EQUAL(memcmp(after, sense, SENSE_DATA_LEN), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(tsch_no_concurrent_sense)

/* --- HSCH, CSCH, RSCH, XSCH (A.7) ------------------------------------ */

/*
 * A program suspended before its second CCW (A.6 item 7), with ORB U so
 * that suspension makes no interruption. Returns the program address.
 */
static u64 start_suspended(struct simtest *t)
{
	u64 prog = simtest_alloc(t, 16, 8);

	simtest_enable(t, t->schid, ISC);
	simtest_ccw1(t, prog, 0, SIM_TESTDEV_CMD_CONTROL, CCW_FLAG_CC | CCW_FLAG_SLI, 0, 0);
	simtest_ccw1(t, prog, 1, SIM_TESTDEV_CMD_CONTROL, CCW_FLAG_SUSPEND | CCW_FLAG_SLI, 0, 0);
	CU_ASSERT_EQUAL_FATAL(simtest_ssch(t, t->schid, 0x5959,
					   SIMTEST_ORB_FMT1 | ORB_CTRL_SPND | ORB_CTRL_SSIC,
					   (u32)prog), 0);
	run_all(t);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
	CU_ASSERT_EQUAL_FATAL(sch_ctrl(t, t->schid) & (SCSW_FCTL_MASK | SCSW_ACTL_SUSP |
						       SCSW_STCTL_STATUS_PEND),
			      SCSW_FCTL_START_FUNC | SCSW_ACTL_SUSP);
	CU_ASSERT_FALSE(sim_io_int_pending(t->sim));
	return prog;
}

/* A.7 HSCH: cc 3 absent (or disabled in the architecture), cc 1 pending. */
static void hsch_cc1_cc3(enum sim_profile p)
{
	struct simtest t;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, schid_make(0, 4)), 3);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, 0x0000FFFF), PGM_OPND);
	if (p == SIM_PROFILE_ARCH)
		CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), 3);
	make_pending(&t, t.schid);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), 1);
	simtest_fini(&t);
}
BOTH_PROFILES(hsch_cc1_cc3)

/*
 * A.7 HSCH cc 0 on an idle subchannel: the halt completes with status
 * pending, FC halt and device end (no start was pending), and an
 * interruption.
 */
static void hsch_idle(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	struct sim_io_int ii;

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), 0);
	CU_ASSERT_FATAL(sim_take_io_interrupt(t.sim, &ii));
	CU_ASSERT_EQUAL(ii.schid, t.schid);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & SCSW_FCTL_MASK, SCSW_FCTL_HALT_FUNC);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT(irb.scsw.dstat & SCSW_DSTAT_DEV_END);
	simtest_fini(&t);
}
BOTH_PROFILES(hsch_idle)

/* A.7 HSCH cc 2: a halt or a clear is already in progress. */
static void hsch_cc2(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;

	setup(&t, p, SIM_COMPLETE_DEFERRED);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), 0);
	CU_ASSERT(sch_ctrl(&t, t.schid) & SCSW_FCTL_HALT_FUNC);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), 2);
	run_all(&t);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(sim_csch(t.sim, t.schid), 0);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), 2);
	run_all(&t);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & SCSW_FCTL_MASK, SCSW_FCTL_CLEAR_FUNC);
	simtest_fini(&t);
}
BOTH_PROFILES(hsch_cc2)

/*
 * A.7 HSCH of a program that never ends: status pending with device end
 * and the halt function, and the interruption carries the start intparm.
 */
static void hsch_hung_program(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	struct sim_io_int ii;

	setup(&t, p, SIM_COMPLETE_SYNC);
	start_hung(&t);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 1);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), 0);
	CU_ASSERT_FATAL(sim_take_io_interrupt(t.sim, &ii));
	CU_ASSERT_EQUAL(ii.intparm, 0x4A4A);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_FCTL_HALT_FUNC);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT(irb.scsw.dstat & SCSW_DSTAT_DEV_END);
	CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(hsch_hung_program)

/*
 * A.7 HSCH of a start that has not begun: the program never runs, and no
 * device end is reported since a start was pending and nothing was active.
 */
static void hsch_start_pending(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;

	setup(&t, p, SIM_COMPLETE_DEFERRED);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 0x7171), 0);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), 0);
	run_all(&t);
	CU_ASSERT_EQUAL(t.dev->commands, 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_FCTL_HALT_FUNC);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_FALSE(irb.scsw.dstat & SCSW_DSTAT_DEV_END);
	simtest_fini(&t);
}
BOTH_PROFILES(hsch_start_pending)

/* A.7: HSCH, XSCH, RSCH and SSCH are cc 1 for alert status alone (unsolicited). */
static void hsch_xsch_cc1_alert(enum sim_profile p)
{
	struct simtest t;

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_TRUE_FATAL(sim_unsolicited(t.sim, t.schid, SCSW_DSTAT_ATTENTION));
	CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), 1);
	CU_ASSERT_EQUAL(sim_xsch(t.sim, t.schid), 1);
	CU_ASSERT_EQUAL(sim_rsch(t.sim, t.schid), 1);
	CU_ASSERT_EQUAL(start_ctl(&t, t.schid, 1), 1);
	simtest_fini(&t);
}
BOTH_PROFILES(hsch_xsch_cc1_alert)

/*
 * A.7 CSCH: cc 0 even with status pending; the clear ends with FC clear
 * alone, status pending, device and subchannel status 0, POM back to
 * 0xFF, LPUM 0x80, the control unit reset, and an interruption.
 */
static void csch_clears(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	struct schib s;
	struct sim_io_int ii;
	u8 sense[SENSE_DATA_LEN];

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(sim_csch(t.sim, schid_make(0, 4)), 3);
	CU_ASSERT_EQUAL(sim_csch(t.sim, 0x0000FFFF), PGM_OPND);
	if (p == SIM_PROFILE_ARCH)
		CU_ASSERT_EQUAL(sim_csch(t.sim, t.schid), 3);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
	s.pmcw.pom = 0x7F;
	CU_ASSERT_EQUAL_FATAL(simtest_msch(&t, t.schid, &s), 0);
	arm_unit_check(&t, sense);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 0x6060), 0);
	CU_ASSERT(sch_ctrl(&t, t.schid) & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_TRUE(sim_take_io_interrupt(t.sim, &ii));

	CU_ASSERT_EQUAL(t.dev->resets, 0);
	CU_ASSERT_EQUAL(sim_csch(t.sim, t.schid), 0);
	CU_ASSERT_EQUAL(t.dev->resets, 1);
	CU_ASSERT_FATAL(sim_take_io_interrupt(t.sim, &ii));
	CU_ASSERT_EQUAL(ii.schid, t.schid);
	CU_ASSERT_EQUAL_FATAL(simtest_stsch(&t, t.schid, &s), 0);
	CU_ASSERT_EQUAL(s.pmcw.pom, 0xFF);
	CU_ASSERT_EQUAL(s.pmcw.lpum, 0x80);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & (SCSW_FCTL_MASK | SCSW_ACTL_MASK | SCSW_STCTL_STATUS_PEND),
			SCSW_FCTL_CLEAR_FUNC | SCSW_STCTL_STATUS_PEND);
	/*
	 * The architecture's clear function drops the old status; QEMU only
	 * adds status pending to whatever status bits were there.
	 */
	if (p == SIM_PROFILE_ARCH)
		CU_ASSERT_EQUAL(irb_ctrl(&irb), SCSW_FCTL_CLEAR_FUNC | SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(irb.scsw.dstat, 0);
	CU_ASSERT_EQUAL(irb.scsw.cstat, 0);
	CU_ASSERT_FALSE(irb_flags(&irb) & SCSW_FLAGS_PNO);
	simtest_fini(&t);
}
BOTH_PROFILES(csch_clears)

/* A.7 CSCH of a program that never ends, and of a start still pending. */
static void csch_in_progress(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;

	setup(&t, p, SIM_COMPLETE_SYNC);
	start_hung(&t);
	CU_ASSERT_EQUAL(sim_csch(t.sim, t.schid), 0);
	CU_ASSERT_EQUAL(t.dev->resets, 1);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SCSW_FCTL_CLEAR_FUNC | SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(irb.scsw.dstat, 0);
	CU_ASSERT_EQUAL(irb.scsw.cstat, 0);
	simtest_fini(&t);

	setup(&t, p, SIM_COMPLETE_DEFERRED);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 1), 0);
	CU_ASSERT_EQUAL(sim_csch(t.sim, t.schid), 0);
	run_all(&t);
	CU_ASSERT_EQUAL(t.dev->commands, 0);
	CU_ASSERT_EQUAL(t.dev->resets, 1);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SCSW_FCTL_CLEAR_FUNC | SCSW_STCTL_STATUS_PEND);
	simtest_fini(&t);
}
BOTH_PROFILES(csch_in_progress)

/*
 * A.7 RSCH: cc 3 absent, cc 2 when not suspended (idle, or a program
 * running), cc 0 resumes a suspended program at the suspended CCW, cc 1
 * once status is pending.
 */
static void rsch_ccs(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	u64 prog;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(sim_rsch(t.sim, schid_make(0, 4)), 3);
	CU_ASSERT_EQUAL(sim_rsch(t.sim, 0x0000FFFF), PGM_OPND);
	if (p == SIM_PROFILE_ARCH)
		CU_ASSERT_EQUAL(sim_rsch(t.sim, t.schid), 3);
	prog = start_suspended(&t);
	/* Clear the suspend flag, else the CCW suspends again (A.6 item 7). */
	simtest_ccw1(&t, prog, 1, SIM_TESTDEV_CMD_CONTROL, CCW_FLAG_SLI, 0, 0);
	CU_ASSERT_EQUAL(sim_rsch(t.sim, t.schid), 0);
	CU_ASSERT_EQUAL(t.dev->commands, 2);
	CU_ASSERT_EQUAL(sim_rsch(t.sim, t.schid), 1);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SIMTEST_FINAL);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE);
	CU_ASSERT_EQUAL(irb_cpa(&irb), prog + 16);
	/* Idle: FC is not start. */
	CU_ASSERT_EQUAL(sim_rsch(t.sim, t.schid), 2);
	simtest_fini(&t);

	setup(&t, p, SIM_COMPLETE_SYNC);
	start_hung(&t);
	CU_ASSERT_EQUAL(sim_rsch(t.sim, t.schid), 2);
	simtest_fini(&t);
}
BOTH_PROFILES(rsch_ccs)

/* A.7 RSCH cc 2 when a resume is already pending. */
static void rsch_resume_pending(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	u64 prog;

	setup(&t, p, SIM_COMPLETE_DEFERRED);
	prog = start_suspended(&t);
	simtest_ccw1(&t, prog, 1, SIM_TESTDEV_CMD_CONTROL, CCW_FLAG_SLI, 0, 0);
	CU_ASSERT_EQUAL(sim_rsch(t.sim, t.schid), 0);
	CU_ASSERT(sch_ctrl(&t, t.schid) & SCSW_ACTL_RESUME_PEND);
	CU_ASSERT_EQUAL(sim_rsch(t.sim, t.schid), 2);
	run_all(&t);
	CU_ASSERT_EQUAL(t.dev->commands, 2);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SIMTEST_FINAL);
	simtest_fini(&t);
}
BOTH_PROFILES(rsch_resume_pending)

/*
 * A.7 XSCH: cc 3 absent, cc 2 idle, cc 1 status pending, cc 2 while the
 * subchannel is active; cc 0 cancels a start still pending, with no
 * interruption and the subchannel idle again.
 */
static void xsch_ccs(enum sim_profile p)
{
	struct simtest t;

	setup(&t, p, SIM_COMPLETE_DEFERRED);
	CU_ASSERT_EQUAL(sim_xsch(t.sim, schid_make(0, 4)), 3);
	CU_ASSERT_EQUAL(sim_xsch(t.sim, 0x0000FFFF), PGM_OPND);
	if (p == SIM_PROFILE_ARCH)
		CU_ASSERT_EQUAL(sim_xsch(t.sim, t.schid), 3);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL(sim_xsch(t.sim, t.schid), 2);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 1), 0);
	CU_ASSERT_EQUAL(sim_xsch(t.sim, t.schid), 0);
	CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid), 0);
	CU_ASSERT_EQUAL(sim_progress(t.sim), 0);
	CU_ASSERT_EQUAL(t.dev->commands, 0);
	CU_ASSERT_FALSE(sim_io_int_pending(t.sim));
	/* The subchannel takes a new start. */
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 2), 0);
	run_all(&t);
	CU_ASSERT_EQUAL(t.dev->commands, 1);
	CU_ASSERT_EQUAL(sim_xsch(t.sim, t.schid), 1);
	simtest_fini(&t);

	setup(&t, p, SIM_COMPLETE_SYNC);
	start_hung(&t);
	CU_ASSERT(sch_ctrl(&t, t.schid) & SCSW_ACTL_SCH_ACTIVE);
	CU_ASSERT_EQUAL(sim_xsch(t.sim, t.schid), 2);
	simtest_fini(&t);
}
BOTH_PROFILES(xsch_ccs)

/* A.7 XSCH cc 0 on a suspended program: cancelled, no interruption. */
static void xsch_suspended(enum sim_profile p)
{
	struct simtest t;

	setup(&t, p, SIM_COMPLETE_SYNC);
	start_suspended(&t);
	CU_ASSERT_EQUAL(sim_xsch(t.sim, t.schid), 0);
	CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid), 0);
	CU_ASSERT_FALSE(sim_io_int_pending(t.sim));
	CU_ASSERT_EQUAL(sim_rsch(t.sim, t.schid), 2);
	simtest_fini(&t);
}
BOTH_PROFILES(xsch_suspended)

/* A.7 XSCH cc 0 also cancels a resume still pending. */
static void xsch_resume_pending(enum sim_profile p)
{
	struct simtest t;
	u64 prog;

	setup(&t, p, SIM_COMPLETE_DEFERRED);
	prog = start_suspended(&t);
	simtest_ccw1(&t, prog, 1, SIM_TESTDEV_CMD_CONTROL, CCW_FLAG_SLI, 0, 0);
	CU_ASSERT_EQUAL_FATAL(sim_rsch(t.sim, t.schid), 0);
	CU_ASSERT_EQUAL(sim_xsch(t.sim, t.schid), 0);
	run_all(&t);
	CU_ASSERT_EQUAL(t.dev->commands, 1);
	CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid), 0);
	CU_ASSERT_FALSE(sim_io_int_pending(t.sim));
	simtest_fini(&t);
}
BOTH_PROFILES(xsch_resume_pending)

/* --- TPI (A.7, A.8) -------------------------------------------------- */

/* A.7 TPI cc 0: nothing pending, nothing stored. */
static void tpi_none(enum sim_profile p)
{
	struct simtest t;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	a = simtest_alloc(&t, 16, 8);
	memset(simtest_ptr(&t, a, 16), 0xAB, 16);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 0);
	CU_ASSERT_EQUAL(*(u8 *)simtest_ptr(&t, a, 1), 0xAB);
	simtest_fini(&t);
}
BOTH_PROFILES(tpi_none)

/*
 * A.7 TPI with an operand: two words (SID word, intparm), the
 * interruption is dequeued, and the subchannel stays status pending so
 * TSCH is still needed.
 */
static void tpi_two_words(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	make_pending(&t, t.schid);
	a = simtest_alloc(&t, 16, 8);
	memset(simtest_ptr(&t, a, 16), 0xAB, 16);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 1);
	CU_ASSERT_EQUAL(guest_be32(&t, a), t.schid);
	CU_ASSERT_EQUAL(guest_be32(&t, a + 4), 0x1234);
	CU_ASSERT_EQUAL(guest_be32(&t, a + 8), 0xABABABAB);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 0);
	CU_ASSERT(sch_ctrl(&t, t.schid) & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SIMTEST_FINAL);
	simtest_fini(&t);
}
BOTH_PROFILES(tpi_two_words)

/* A.7/A.8 TPI with operand 0: three words at 0xB8, the third ISC << 27. */
static void tpi_lowcore(enum sim_profile p)
{
	struct simtest t;

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, 5);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 0xBEEF0001), 0);
	memset(simtest_ptr(&t, 0xB8, 16), 0xAB, 16);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, 0), 1);
	CU_ASSERT_EQUAL(guest_be32(&t, 0xB8), t.schid);
	CU_ASSERT_EQUAL(guest_be32(&t, 0xBC), 0xBEEF0001);
	CU_ASSERT_EQUAL(guest_be32(&t, 0xC0), 5u << 27);
	CU_ASSERT_EQUAL(guest_be32(&t, 0xC4), 0xABABABAB);
	simtest_fini(&t);
}
BOTH_PROFILES(tpi_lowcore)

/* A.1: the SID word of an interruption carries the set: (ssid << 1) | 1. */
static void tpi_sid_word_of_set(enum sim_profile p)
{
	struct simtest t;
	long l;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	l = sim_testdev_attach(t.sim, 1, 4, 0x0204, NULL);
	CU_ASSERT_FATAL(l >= 0);
	enable_mss(&t);
	simtest_enable(&t, (u32)l, ISC);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, (u32)l, 0x0204), 0);
	a = simtest_alloc(&t, 8, 8);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 1);
	CU_ASSERT_EQUAL(guest_be32(&t, a), 0x00030004);
	CU_ASSERT_EQUAL(guest_be32(&t, a + 4), 0x0204);
	simtest_fini(&t);
}
BOTH_PROFILES(tpi_sid_word_of_set)

/* Attach another test device at schno, enable it with isc, start it. */
static u32 start_other(struct simtest *t, int schno, unsigned isc, u32 intparm)
{
	long sid = sim_testdev_attach(t->sim, 0, schno, (u16)(0x0100 + schno), NULL);

	CU_ASSERT_FATAL(sid >= 0);
	simtest_enable(t, (u32)sid, isc);
	CU_ASSERT_EQUAL_FATAL(start_ctl(t, (u32)sid, intparm), 0);
	return (u32)sid;
}

/* A.8: the lowest ISC comes first, and within an ISC the oldest. */
static void tpi_priority(enum sim_profile p)
{
	struct simtest t;
	u64 a;
	u32 b, c;

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, 6);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 0xA), 0);
	c = start_other(&t, 2, 6, 0xC);
	b = start_other(&t, 1, 2, 0xB);
	a = simtest_alloc(&t, 8, 8);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 1);
	CU_ASSERT_EQUAL(guest_be32(&t, a), b);
	CU_ASSERT_EQUAL(guest_be32(&t, a + 4), 0xB);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 1);
	CU_ASSERT_EQUAL(guest_be32(&t, a), t.schid);
	CU_ASSERT_EQUAL(guest_be32(&t, a + 4), 0xA);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 1);
	CU_ASSERT_EQUAL(guest_be32(&t, a), c);
	CU_ASSERT_EQUAL(guest_be32(&t, a + 4), 0xC);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(tpi_priority)

/* A.8: an ISC masked off in CR6 is not delivered until it is enabled. */
static void tpi_masked_isc(enum sim_profile p)
{
	struct simtest t;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	sim_set_isc_mask(t.sim, (u8)~(0x80u >> ISC));
	make_pending(&t, t.schid);
	a = simtest_alloc(&t, 8, 8);
	CU_ASSERT_FALSE(sim_io_int_pending(t.sim));
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 0);
	sim_set_isc_mask(t.sim, 0x80u >> ISC);
	CU_ASSERT_TRUE(sim_io_int_pending(t.sim));
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 1);
	CU_ASSERT_EQUAL(guest_be32(&t, a), t.schid);
	simtest_fini(&t);
}
BOTH_PROFILES(tpi_masked_isc)

/*
 * A.7 TSCH clears the status: in the architecture that withdraws the
 * pending interruption, so TPI finds nothing. QEMU 7.2 leaves it queued
 * and TPI still reports it (a stale interruption).
 */
static void tpi_after_tsch(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	make_pending(&t, t.schid);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	a = simtest_alloc(&t, 8, 8);
	if (p == SIM_PROFILE_ARCH) {
		CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 0);
	} else {
		CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 1);
		CU_ASSERT_EQUAL(guest_be32(&t, a), t.schid);
		CU_ASSERT_EQUAL(guest_be32(&t, a + 4), 0x1234);
		CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 1);
	}
	simtest_fini(&t);
}
BOTH_PROFILES(tpi_after_tsch)

/* A.7: TPI's operand must be word aligned; the interruption stays queued. */
static void tpi_unaligned(enum sim_profile p)
{
	struct simtest t;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	make_pending(&t, t.schid);
	a = simtest_alloc(&t, 16, 8);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a + 1), PGM_SPEC);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a + 2), PGM_SPEC);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, sim_mem_size(t.sim) - 4), PGM_ADDR);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a + 4), 1);
	simtest_fini(&t);
}
BOTH_PROFILES(tpi_unaligned)

/* --- STCRW and RCHP (A.7, A.8) --------------------------------------- */

/* STCRW into a fresh word; the cc, the word in *crw. */
static int stcrw(struct simtest *t, u32 *crw)
{
	u64 a = simtest_alloc(t, 4, 4);
	int cc;

	*(be32 *)simtest_ptr(t, a, 4) = cpu_to_be32(0xABABABAB);
	cc = sim_stcrw(t->sim, a);
	*crw = guest_be32(t, a);
	return cc;
}

static u32 crw_rsc(u32 crw)
{
	return (crw & CRW_RSC_MASK) >> CRW_RSC_SHIFT;
}

static u32 crw_erc(u32 crw)
{
	return (crw & CRW_ERC_MASK) >> CRW_ERC_SHIFT;
}

/* A.7 STCRW cc 1: no report pending, a zero word is stored. */
static void stcrw_empty(enum sim_profile p)
{
	struct simtest t;
	u32 crw;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 1);
	CU_ASSERT_EQUAL(crw, 0);
	simtest_fini(&t);
}
BOTH_PROFILES(stcrw_empty)

/*
 * A.8: a subchannel going away or coming back queues RSC 3 (subchannel),
 * ERC 4 (installed parameters modified), RSID = subchannel number; while
 * it is gone the subchannel is not there for STSCH.
 */
static void stcrw_presence(enum sim_profile p)
{
	struct simtest t;
	struct schib s;
	u32 crw, sid;
	long l;

	setup(&t, p, SIM_COMPLETE_SYNC);
	l = sim_testdev_attach(t.sim, 0, 5, 0x0105, NULL);
	CU_ASSERT_FATAL(l >= 0);
	sid = (u32)l;
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 1);
	CU_ASSERT_EQUAL(sim_set_present(t.sim, sid, false), 0);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 0);
	CU_ASSERT_EQUAL(crw_rsc(crw), CRW_RSC_SUBCH);
	CU_ASSERT_EQUAL(crw_erc(crw), CRW_ERC_IPARM);
	CU_ASSERT_EQUAL(crw & CRW_RSID_MASK, 5);
	CU_ASSERT_FALSE(crw & CRW_C);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 1);
	CU_ASSERT_EQUAL(simtest_stsch(&t, sid, &s), 3);
	CU_ASSERT_EQUAL(sim_set_present(t.sim, sid, true), 0);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 0);
	CU_ASSERT_EQUAL(crw_rsc(crw), CRW_RSC_SUBCH);
	CU_ASSERT_EQUAL(crw_erc(crw), CRW_ERC_IPARM);
	CU_ASSERT_EQUAL(crw & CRW_RSID_MASK, 5);
	CU_ASSERT_EQUAL(simtest_stsch(&t, sid, &s), 0);
	CU_ASSERT_EQUAL(be16_to_cpu(s.pmcw.devno), 0x0105);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 1);
	simtest_fini(&t);
}
BOTH_PROFILES(stcrw_presence)

/*
 * A.8: with multiple subchannel sets enabled the report is a chained pair;
 * the second carries the set as ssid << 4.
 */
static void stcrw_chained_with_mss(enum sim_profile p)
{
	struct simtest t;
	u32 crw;
	long l;

	setup(&t, p, SIM_COMPLETE_SYNC);
	l = sim_testdev_attach(t.sim, 1, 3, 0x0203, NULL);
	CU_ASSERT_FATAL(l >= 0);
	enable_mss(&t);
	CU_ASSERT_EQUAL(sim_set_present(t.sim, (u32)l, false), 0);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 0);
	CU_ASSERT(crw & CRW_C);
	CU_ASSERT_EQUAL(crw_rsc(crw), CRW_RSC_SUBCH);
	CU_ASSERT_EQUAL(crw_erc(crw), CRW_ERC_IPARM);
	CU_ASSERT_EQUAL(crw & CRW_RSID_MASK, 3);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 0);
	CU_ASSERT_FALSE(crw & CRW_C);
	CU_ASSERT_EQUAL(crw & CRW_RSID_MASK, 1u << 4);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 1);
	simtest_fini(&t);
}
BOTH_PROFILES(stcrw_chained_with_mss)

/* A.7: the STCRW operand must be word aligned [KUT]. */
static void stcrw_unaligned(enum sim_profile p)
{
	struct simtest t;
	u32 crw;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(sim_set_present(t.sim, t.schid, false), 0);
	a = simtest_alloc(&t, 16, 8);
	CU_ASSERT_EQUAL(sim_stcrw(t.sim, a + 1), PGM_SPEC);
	CU_ASSERT_EQUAL(sim_stcrw(t.sim, a + 2), PGM_SPEC);
	CU_ASSERT_EQUAL(sim_stcrw(t.sim, sim_mem_size(t.sim)), PGM_ADDR);
	/* Suppressed: the report is still there. */
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 0);
	CU_ASSERT_EQUAL(crw_rsc(crw), CRW_RSC_SUBCH);
	simtest_fini(&t);
}
BOTH_PROFILES(stcrw_unaligned)

/*
 * A.7 RCHP: reserved bits 0xFF00FF00 are an operand exception, an
 * uninstalled CHPID is cc 3, and cc 0 queues a solicited CRW with RSC 4,
 * ERC 2 and the CHPID (A.8).
 */
static void rchp_ccs(enum sim_profile p)
{
	static const u32 bad[] = { 0x00000100, 0x00008000, 0x01000000, 0x80000000 };
	struct simtest t;
	unsigned i;
	u32 crw;

	setup(&t, p, SIM_COMPLETE_SYNC);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CU_ASSERT_EQUAL(sim_rchp(t.sim, bad[i]), PGM_OPND);
	CU_ASSERT_EQUAL(sim_rchp(t.sim, 0x42), 3);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 1);
	CU_ASSERT_EQUAL(sim_rchp(t.sim, 0x00), 0);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 0);
	CU_ASSERT_EQUAL(crw_rsc(crw), CRW_RSC_CHP);
	CU_ASSERT_EQUAL(crw_erc(crw), CRW_ERC_INIT);
	CU_ASSERT_EQUAL(crw & CRW_RSID_MASK, 0x00);
	CU_ASSERT(crw & CRW_S);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 1);
	simtest_fini(&t);
}
BOTH_PROFILES(rchp_ccs)

/* --- SCHM and measurement (A.7, A.11) -------------------------------- */

/* A.7 SCHM: r1 bits 0x0FFFFFFC are reserved; the origin 32-byte aligned. */
static void schm_operands(enum sim_profile p)
{
	static const u32 bad[] = { 0x00000004, 0x00000100, 0x00010000, 0x08000000 };
	struct simtest t;
	unsigned i;
	u64 area;

	setup(&t, p, SIM_COMPLETE_SYNC);
	area = simtest_alloc(&t, 4096, 4096);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CU_ASSERT_EQUAL(sim_schm(t.sim, bad[i] | 0x2, area), PGM_OPND);
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0x2, area + 0x10), PGM_OPND);
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0x2, area + 0x04), PGM_OPND);
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0x2, area + 0x20), 0);
	/* The key nibble is not reserved. */
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0xF0000002, area), 0);
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0, 0), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(schm_operands)

static void set_mm_mbi(struct schib *s, u32 mbi)
{
	set_flags_or(s, PMCW_FLAGS_MM_MBU);
	s->pmcw.mbi = cpu_to_be16((u16)mbi);
}

/* Start a control command and take its status; asserts a normal end. */
static void run_ctl(struct simtest *t)
{
	struct irb irb;

	CU_ASSERT_EQUAL_FATAL(start_ctl(t, t->schid, 9), 0);
	run_all(t);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SIMTEST_FINAL);
}

/*
 * A.11 format 0: with SCHM update and PMCW MM set, each SSCH adds one to
 * the 16-bit count at origin + MBI * 32; other blocks stay untouched.
 */
static void measure_fmt0(enum sim_profile p)
{
	struct simtest t;
	u64 area;
	u8 *blk;

	setup(&t, p, SIM_COMPLETE_SYNC);
	area = simtest_alloc(&t, 8 * 32, 4096);
	blk = simtest_ptr(&t, area, 8 * 32);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0x2, area), 0);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_mm_mbi, 3), 0);
	run_ctl(&t);
	run_ctl(&t);
	CU_ASSERT_EQUAL(be16_to_cpu(*(be16 *)(blk + 3 * 32)), 2);
	CU_ASSERT_EQUAL(be16_to_cpu(*(be16 *)(blk + 0)), 0);
	CU_ASSERT_EQUAL(be16_to_cpu(*(be16 *)(blk + 2 * 32)), 0);
	CU_ASSERT_EQUAL(be16_to_cpu(*(be16 *)(blk + 4 * 32)), 0);
	/* SCHM without update: measurement stops. */
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0, 0), 0);
	run_ctl(&t);
	CU_ASSERT_EQUAL(be16_to_cpu(*(be16 *)(blk + 3 * 32)), 2);
	simtest_fini(&t);
}
BOTH_PROFILES(measure_fmt0)

/* A.11: no counting without the subchannel's MM bits. */
static void measure_needs_mm(enum sim_profile p)
{
	struct simtest t;
	u64 area;
	unsigned i, nonzero = 0;
	u8 *blk;

	setup(&t, p, SIM_COMPLETE_SYNC);
	area = simtest_alloc(&t, 4096, 4096);
	blk = simtest_ptr(&t, area, 4096);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0x2, area), 0);
	run_ctl(&t);
	for (i = 0; i < 4096; i++)
		nonzero += blk[i] != 0;
	CU_ASSERT_EQUAL(nonzero, 0);
	simtest_fini(&t);
}
BOTH_PROFILES(measure_needs_mm)

static void set_fmt1_measure(struct schib *s, u32 mba)
{
	set_fmt1_mba(s, mba);
	set_flags_or(s, PMCW_FLAGS_MM_MBU);
}

/* A.11 format 1 (chars F): the 32-bit count at the MBA. */
static void measure_fmt1(enum sim_profile p)
{
	struct simtest t;
	u64 area, mba;

	setup(&t, p, SIM_COMPLETE_SYNC);
	area = simtest_alloc(&t, 4096, 4096);
	mba = simtest_alloc(&t, 64, 64);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0x2, area), 0);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_fmt1_measure, (u32)mba), 0);
	run_ctl(&t);
	run_ctl(&t);
	CU_ASSERT_EQUAL(guest_be32(&t, mba), 2);
	CU_ASSERT_EQUAL(guest_be32(&t, area), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(measure_fmt1)

/* A.11: RSCH counts as a start too. */
static void measure_rsch(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	u64 area, prog;

	setup(&t, p, SIM_COMPLETE_SYNC);
	area = simtest_alloc(&t, 4096, 4096);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0x2, area), 0);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_mm_mbi, 0), 0);
	prog = start_suspended(&t);
	CU_ASSERT_EQUAL(be16_to_cpu(*(be16 *)simtest_ptr(&t, area, 2)), 1);
	simtest_ccw1(&t, prog, 1, SIM_TESTDEV_CMD_CONTROL, CCW_FLAG_SLI, 0, 0);
	CU_ASSERT_EQUAL(sim_rsch(t.sim, t.schid), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(be16_to_cpu(*(be16 *)simtest_ptr(&t, area, 2)), 2);
	simtest_fini(&t);
}
BOTH_PROFILES(measure_rsch)

/* --- CHSC (A.7, A.11) ------------------------------------------------ */

/* A.7 CHSC: the request block must be 4 KiB aligned. */
static void chsc_alignment(enum sim_profile p)
{
	struct simtest t;
	u64 a, off;
	be16 *h;

	setup(&t, p, SIM_COMPLETE_SYNC);
	a = simtest_alloc(&t, 3 * 4096, 4096);
	for (off = 8; off < 4096; off += 0x7F8) {
		h = simtest_ptr(&t, a + off, 4);
		h[0] = cpu_to_be16(0x10);
		h[1] = cpu_to_be16(CHSC_SCSC);
		CU_ASSERT_EQUAL(sim_chsc(t.sim, a + off), PGM_SPEC);
	}
	CU_ASSERT_EQUAL(sim_chsc(t.sim, sim_mem_size(t.sim)), PGM_ADDR);
	simtest_fini(&t);
}
BOTH_PROFILES(chsc_alignment)

/* A.7 CHSC: request length 16..4088 and a multiple of 8, else operand. */
static void chsc_length(enum sim_profile p)
{
	static const u16 bad[] = { 0, 8, 12, 0x14, 4090, 4096, 0xFFF8 };
	struct simtest t;
	unsigned i;

	setup(&t, p, SIM_COMPLETE_SYNC);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CU_ASSERT_EQUAL(chsc(&t, bad[i], CHSC_SCSC, 0, NULL), PGM_OPND);
	CU_ASSERT_EQUAL(chsc(&t, 16, 0x7777, 0, NULL), CHSC_NOT_INSTALLED);
	CU_ASSERT_EQUAL(chsc(&t, 4088, 0x7777, 0, NULL), CHSC_NOT_INSTALLED);
	simtest_fini(&t);
}
BOTH_PROFILES(chsc_length)

/*
 * A.11: CHSC store-subchannel-characteristics answers 0x0001 and
 * advertises general characteristic bit 48 (extended measurement block).
 */
static void chsc_scsc(enum sim_profile p)
{
	struct simtest t;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(chsc(&t, 0x0010, CHSC_SCSC, 0, &a), CHSC_OK);
	/* Response header (8 bytes) after the request, then the words. */
	CU_ASSERT(guest_be32(&t, a + 0x10 + 8 + 4) & 0x00008000);
	simtest_fini(&t);
}
BOTH_PROFILES(chsc_scsc)

/* A.7: an unknown CHSC command is answered "not installed" (0x0004). */
static void chsc_unknown(enum sim_profile p)
{
	struct simtest t;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(chsc(&t, 0x0010, 0x0099, 0, NULL), CHSC_NOT_INSTALLED);
	CU_ASSERT_EQUAL(chsc(&t, 0x0010, 0x0000, 0, NULL), CHSC_NOT_INSTALLED);
	simtest_fini(&t);
}
BOTH_PROFILES(chsc_unknown)

/* A machine like the fixture's, but without the MSS facility. */
static void setup_nomss(struct simtest *t, enum sim_profile p)
{
	struct sim_config cfg = simtest_config(p, SIM_COMPLETE_SYNC);

	cfg.mss = false;
	CU_ASSERT_FATAL(simtest_init_cfg(t, &cfg, DEVNO));
}

/*
 * A.1: without the MSS facility CHSC SDA answers 0x0101 and sets 1-3 stay
 * invisible; with it, 0x0001 (also covered by the STSCH test above).
 */
static void chsc_sda(enum sim_profile p)
{
	struct simtest t;
	struct schib s;

	setup_nomss(&t, p);
	/* The place may be refused without the facility; either way set 1 stays hidden. */
	sim_testdev_attach(t.sim, 1, 0, 0x0201, NULL);
	CU_ASSERT_EQUAL(chsc(&t, CHSC_SDA_LEN, CHSC_SDA, CHSC_SDA_MSS, NULL), CHSC_FACILITY);
	CU_ASSERT_EQUAL(simtest_stsch(&t, schid_make(1, 0), &s), 3);
	simtest_fini(&t);

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_FATAL(sim_testdev_attach(t.sim, 1, 0, 0x0201, NULL) >= 0);
	CU_ASSERT_EQUAL(simtest_stsch(&t, schid_make(1, 0), &s), 3);
	CU_ASSERT_EQUAL(chsc(&t, CHSC_SDA_LEN, CHSC_SDA, CHSC_SDA_MSS, NULL), CHSC_OK);
	CU_ASSERT_EQUAL(simtest_stsch(&t, schid_make(1, 0), &s), 0);
	CU_ASSERT_EQUAL(be16_to_cpu(s.pmcw.devno), 0x0201);
	simtest_fini(&t);
}
BOTH_PROFILES(chsc_sda)

/* --- Privileged operation (A.7) -------------------------------------- */

/* A.7: every I/O instruction is privileged; nothing happens in problem state. */
static void problem_state(enum sim_profile p)
{
	struct simtest t;
	u64 a, orb, page, schib;

	setup(&t, p, SIM_COMPLETE_SYNC);
	/* Two channel reports to find again afterwards. */
	CU_ASSERT_EQUAL(sim_set_present(t.sim, t.schid, false), 0);
	CU_ASSERT_EQUAL(sim_set_present(t.sim, t.schid, true), 0);
	simtest_enable(&t, t.schid, ISC);
	a = simtest_alloc(&t, 128, 8);
	schib = simtest_alloc(&t, sizeof(struct schib), 8);
	CU_ASSERT_EQUAL_FATAL(sim_stsch(t.sim, t.schid, schib), 0);
	orb = simtest_orb(&t, 1, SIMTEST_ORB_FMT1, (u32)ctl_prog(&t));
	page = simtest_alloc(&t, 4096, 4096);
	*(be16 *)simtest_ptr(&t, page, 2) = cpu_to_be16(0x10);
	*(be16 *)simtest_ptr(&t, page + 2, 2) = cpu_to_be16(CHSC_SCSC);

	sim_set_problem_state(t.sim, true);
	CU_ASSERT_EQUAL(sim_stsch(t.sim, t.schid, a), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_msch(t.sim, t.schid, schib), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_ssch(t.sim, t.schid, orb), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_tsch(t.sim, t.schid, a), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_csch(t.sim, t.schid), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_rsch(t.sim, t.schid), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_xsch(t.sim, t.schid), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, 0), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_stcrw(t.sim, a), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_rchp(t.sim, 0), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0x2, page), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_chsc(t.sim, page), PGM_PRIV);
	CU_ASSERT_EQUAL(t.dev->commands, 0);
	CU_ASSERT_EQUAL(t.dev->resets, 0);
	/* The privileged-operation exception comes before the others. */
	CU_ASSERT_EQUAL(sim_stsch(t.sim, 0, a + 1), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_tsch(t.sim, 0, a + 1), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_ssch(t.sim, 0, sim_mem_size(t.sim)), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a + 2), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_stcrw(t.sim, a + 2), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_rchp(t.sim, 0xFF00FF00), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_schm(t.sim, 0x0FFFFFFC, 1), PGM_PRIV);
	CU_ASSERT_EQUAL(sim_chsc(t.sim, page + 8), PGM_PRIV);

	/* Back in supervisor state: the CRWs are still there, SSCH works. */
	sim_set_problem_state(t.sim, false);
	CU_ASSERT_EQUAL(sim_stcrw(t.sim, a), 0);
	CU_ASSERT_EQUAL(sim_stcrw(t.sim, a), 0);
	CU_ASSERT_EQUAL(sim_stcrw(t.sim, a), 1);
	CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid), 0);
	CU_ASSERT_EQUAL(sim_ssch(t.sim, t.schid, orb), 0);
	CU_ASSERT_EQUAL(t.dev->commands, 1);
	simtest_fini(&t);
}
BOTH_PROFILES(problem_state)

/* --- Interruption sources and fault injection (A.8) ------------------ */

/*
 * A.8 unsolicited status: only on an enabled subchannel that is not
 * status pending and has no function in progress; then alert and status
 * pending with FC 0, and an interruption with the PMCW intparm.
 */
static void unsolicited(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	struct sim_io_int ii;

	setup(&t, p, SIM_COMPLETE_SYNC);
	CU_ASSERT_FALSE(sim_unsolicited(t.sim, t.schid, SCSW_DSTAT_ATTENTION));
	CU_ASSERT_FALSE(sim_io_int_pending(t.sim));
	CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid), 0);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_intparm, 0x11223344), 0);
	CU_ASSERT_TRUE(sim_unsolicited(t.sim, t.schid, SCSW_DSTAT_ATTENTION));
	CU_ASSERT_FALSE(sim_unsolicited(t.sim, t.schid, SCSW_DSTAT_ATTENTION));
	CU_ASSERT_FATAL(sim_take_io_interrupt(t.sim, &ii));
	CU_ASSERT_EQUAL(ii.schid, t.schid);
	CU_ASSERT_EQUAL(ii.intparm, 0x11223344);
	CU_ASSERT_FALSE(sim_take_io_interrupt(t.sim, &ii));
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SCSW_DSTAT_ATTENTION);
	/* Not pending any more: it takes the next one. */
	CU_ASSERT_TRUE(sim_unsolicited(t.sim, t.schid, SCSW_DSTAT_ATTENTION));
	CU_ASSERT_TRUE(sim_io_int_pending(t.sim));
	simtest_fini(&t);

	/* Status pending from a program: no unsolicited status on top. */
	setup(&t, p, SIM_COMPLETE_SYNC);
	make_pending(&t, t.schid);
	CU_ASSERT_TRUE(sim_take_io_interrupt(t.sim, &ii));
	CU_ASSERT_FALSE(sim_unsolicited(t.sim, t.schid, SCSW_DSTAT_ATTENTION));
	CU_ASSERT_FALSE(sim_io_int_pending(t.sim));
	simtest_fini(&t);

	/* A start function under way: the device is the program's. Alert
	 * status now would have TSCH end the function with the subchannel
	 * still active (found by fuzz_ccw). */
	setup(&t, p, SIM_COMPLETE_DEFERRED);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 0x77), 0);
	CU_ASSERT_FALSE(sim_unsolicited(t.sim, t.schid, SCSW_DSTAT_ATTENTION));
	CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid) & SCSW_STCTL_MASK, 0);
	run_all(&t);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SCSW_FCTL_START_FUNC | SCSW_STCTL_PRIMARY |
						SCSW_STCTL_SECONDARY | SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_TRUE(sim_unsolicited(t.sim, t.schid, SCSW_DSTAT_ATTENTION));
	simtest_fini(&t);

	/* Nor while the device has not ended its command. */
	setup(&t, p, SIM_COMPLETE_SYNC);
	start_hung(&t);
	CU_ASSERT_FALSE(sim_unsolicited(t.sim, t.schid, SCSW_DSTAT_ATTENTION));
	CU_ASSERT_FALSE(sim_io_int_pending(t.sim));
	simtest_fini(&t);
}
BOTH_PROFILES(unsolicited)

/* A.8: an adapter interruption has SID 0, intparm 0 and the AI bit. */
static void adapter_interrupt(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, ISC);
	memset(simtest_ptr(&t, 0xB8, 12), 0xAB, 12);
	sim_adapter_interrupt(t.sim, 6);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, 0), 1);
	CU_ASSERT_EQUAL(guest_be32(&t, 0xB8), 0);
	CU_ASSERT_EQUAL(guest_be32(&t, 0xBC), 0);
	CU_ASSERT_EQUAL(guest_be32(&t, 0xC0), IO_INT_WORD_AI | (6u << IO_INT_WORD_ISC_SHIFT));
	CU_ASSERT_EQUAL(sim_tpi(t.sim, 0), 0);
	/* Not tied to a subchannel. */
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 1);

	/* A.8: the ISC mask applies to adapter interruptions too. */
	sim_set_isc_mask(t.sim, 0x80u >> 1);
	sim_adapter_interrupt(t.sim, 2);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, 0), 0);
	sim_set_isc_mask(t.sim, 0x80u >> 2);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, 0), 1);
	CU_ASSERT_EQUAL(guest_be32(&t, 0xC0), IO_INT_WORD_AI | (2u << IO_INT_WORD_ISC_SHIFT));
	simtest_fini(&t);
}
BOTH_PROFILES(adapter_interrupt)

/* SIM_FAULT_LOSE_INT: the interruption is lost, the status is not. */
static void fault_lose_int(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	struct sim_stats st;

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, ISC);
	arm_fault(&t, SIM_FAULT_LOSE_INT, t.schid);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 1), 0);
	CU_ASSERT_FALSE(sim_io_int_pending(t.sim));
	sim_get_stats(t.sim, &st);
	CU_ASSERT_EQUAL(st.lost, 1);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SIMTEST_FINAL);
	/* Only one. */
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 2), 0);
	CU_ASSERT_TRUE(sim_io_int_pending(t.sim));
	simtest_fini(&t);
}
BOTH_PROFILES(fault_lose_int)

/* A spurious interruption: TPI reports it, TSCH finds no status. */
static void fault_spurious_int(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	u64 a;

	setup(&t, p, SIM_COMPLETE_SYNC);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL(sim_fault_spurious_int(t.sim, t.schid), 0);
	a = simtest_alloc(&t, 8, 8);
	CU_ASSERT_EQUAL(sim_tpi(t.sim, a), 1);
	CU_ASSERT_EQUAL(guest_be32(&t, a), t.schid);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 1);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), 0);
	simtest_fini(&t);
}
BOTH_PROFILES(fault_spurious_int)

static void arm_cc(struct simtest *t, enum sim_insn insn, int cc, unsigned count)
{
	struct sim_fault f;

	memset(&f, 0, sizeof(f));
	f.kind = SIM_FAULT_CC;
	f.schid = t->schid;
	f.insn = insn;
	f.cc = cc;
	f.count = count;
	CU_ASSERT_EQUAL_FATAL(sim_fault_add(t->sim, &f), 0);
}

/* SIM_FAULT_CC: the next uses of the instruction give the cc and do nothing. */
static void fault_cc(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;

	setup(&t, p, SIM_COMPLETE_SYNC);
	arm_cc(&t, SIM_INSN_MSCH, 1, 0);
	CU_ASSERT_EQUAL(msch_with(&t, t.schid, set_ena, 1), 1);
	CU_ASSERT_EQUAL(t.dev->enables, 0);
	CU_ASSERT_FALSE(pmcw_flags_of(&t, t.schid) & PMCW_FLAGS_ENA);
	simtest_enable(&t, t.schid, ISC);

	arm_cc(&t, SIM_INSN_SSCH, 2, 0);
	CU_ASSERT_EQUAL(start_ctl(&t, t.schid, 1), 2);
	CU_ASSERT_EQUAL(t.dev->commands, 0);
	CU_ASSERT_EQUAL(sch_ctrl(&t, t.schid), 0);
	CU_ASSERT_EQUAL(start_ctl(&t, t.schid, 1), 0);
	CU_ASSERT_EQUAL(t.dev->commands, 1);

	arm_cc(&t, SIM_INSN_TSCH, 3, 2);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 3);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 3);
	CU_ASSERT(sch_ctrl(&t, t.schid) & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SIMTEST_FINAL);
	simtest_fini(&t);
}
BOTH_PROFILES(fault_cc)

/*
 * A device that goes away loses its channel program (sim_set_present):
 * no interruption is delivered for it, and it is not operational.
 */
static void gone_device_no_interrupt(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	u32 crw;

	setup(&t, p, SIM_COMPLETE_DEFERRED);
	simtest_enable(&t, t.schid, ISC);
	CU_ASSERT_EQUAL_FATAL(start_ctl(&t, t.schid, 1), 0);
	CU_ASSERT_EQUAL(sim_set_present(t.sim, t.schid, false), 0);
	run_all(&t);
	CU_ASSERT_EQUAL(t.dev->commands, 0);
	CU_ASSERT_FALSE(sim_io_int_pending(t.sim));
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 3);
	CU_ASSERT_EQUAL(stcrw(&t, &crw), 0);
	simtest_fini(&t);

	setup(&t, p, SIM_COMPLETE_SYNC);
	start_hung(&t);
	CU_ASSERT_EQUAL(sim_set_present(t.sim, t.schid, false), 0);
	CU_ASSERT_EQUAL(sim_hsch(t.sim, t.schid), 3);
	CU_ASSERT_FALSE(sim_io_int_pending(t.sim));
	simtest_fini(&t);
}
BOTH_PROFILES(gone_device_no_interrupt)

/*
 * The trace (sim_trace): one line per instruction, channel program, CCW,
 * status and interruption, in QEMU's event names, for the subchannel
 * asked for only; NULL stops it.
 */
static void trace_lines(enum sim_profile p)
{
	static const char *const want[] = {
		"css_ssch 0.0.0000 intparm 0x00001234", "ioinst_ssch 0.0.0000 cc 0",
		"css_ccw 0.0.0000 addr 0x",		"css_status 0.0.0000 ctrl 0x",
		"css_io_interrupt 0.0.0000 intparm 0x00001234 isc 3", "ioinst_tsch 0.0.0000 cc 0",
	};
	bool seen[ARRAY_SIZE(want)] = { false };
	unsigned lines = 0, others = 0, late = 0;
	struct simtest t;
	struct irb irb;
	char line[256];
	long other;
	FILE *f = tmpfile();

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	setup(&t, p, SIM_COMPLETE_SYNC);
	other = sim_testdev_attach(t.sim, 0, 1, 0x0200, NULL);
	CU_ASSERT_FATAL(other >= 0);
	simtest_enable(&t, t.schid, ISC);
	simtest_enable(&t, (u32)other, ISC);
	sim_trace(t.sim, f, t.schid);
	CU_ASSERT_EQUAL(start_ctl(&t, t.schid, 0x1234), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(start_ctl(&t, (u32)other, 1), 0);  /* not this subchannel */
	CU_ASSERT_EQUAL(simtest_tsch(&t, (u32)other, &irb), 0);
	sim_trace(t.sim, NULL, 0);
	CU_ASSERT_EQUAL(start_ctl(&t, t.schid, 2), 0);        /* tracing stopped */
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		lines++;
		others += !strstr(line, " 0.0.0000 ");
		late += strstr(line, "intparm 0x00000002") != NULL;
		for (size_t i = 0; i < ARRAY_SIZE(want); i++)
			seen[i] |= !strncmp(line, want[i], strlen(want[i]));
	}
	fclose(f);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		CU_ASSERT_TRUE(seen[i]);
	CU_ASSERT(lines >= ARRAY_SIZE(want));
	CU_ASSERT_EQUAL(others, 0u);
	CU_ASSERT_EQUAL(late, 0u);
	simtest_fini(&t);
}
BOTH_PROFILES(trace_lines)

/* --- Table ----------------------------------------------------------- */

static CU_TestInfo sim_insn_tests[] = {
	BOTH("STSCH stores devno, DNV, PIM/PAM 0x80 and POM 0xFF", stsch_stores_schib),
	BOTH("STSCH past the last subchannel is cc 3", stsch_cc3_past_last),
	BOTH("STSCH of a hole below the last subchannel is cc 0 with DNV 0", stsch_hole),
	BOTH("A hole: SSCH, TSCH, HSCH, CSCH cc 3; MSCH cc 0 (arch) or cc 3 (qemu), no change",
	     hole_not_operational),
	BOTH("STSCH with an unaligned SCHIB is a specification exception", stsch_unaligned),
	BOTH("STSCH with the one bit clear or M=0 and a CSSID is an operand exception",
	     stsch_bad_sid),
	BOTH("STSCH reserved SID bits: operand (arch), ignored (qemu)", stsch_reserved_sid_bits),
	BOTH("STSCH outside guest memory is an addressing exception", stsch_addressing),
	BOTH("STSCH checks alignment, then access, then the SID", stsch_exception_priority),
	BOTH("STSCH of sets 1-3 is cc 3 until CHSC SDA enables MSS", stsch_sets_need_mss),
	BOTH("MSCH changes only the program-modifiable fields", msch_changes_only_modifiable),
	BOTH("MSCH ignores PMCW bit 5 and STSCH stores it as zero", msch_bit5_ignored),
	BOTH("MSCH with reserved flags or chars bits is an operand exception and changes nothing",
	     msch_reserved_bits),
	BOTH("MSCH with chars X is an operand exception", msch_chars_x),
	BOTH("MSCH with chars F needs a 64-byte aligned MBA", msch_fmt1_mba_alignment),
	BOTH("MSCH of a status-pending subchannel is cc 1", msch_cc1_status_pending),
	BOTH("MSCH while a start is pending is cc 2", msch_cc2_busy),
	BOTH("MSCH: cc 3 when absent, operand for a bad SID, spec when unaligned",
	     msch_cc3_and_sid),
	BOTH("MSCH tells the control unit when ENA toggles", msch_ena_notifies_cu),
	BOTH("SSCH cc 0 runs the program; intparm reaches PMCW and interruption; SCSW echoes F",
	     ssch_cc0_intparm_and_format),
	BOTH("SSCH of a status-pending subchannel is cc 1", ssch_cc1_status_pending),
	BOTH("SSCH while a start is pending is cc 2", ssch_cc2_busy),
	BOTH("SSCH: cc 3 when absent; disabled: cc 3 (arch), started (qemu)", ssch_cc3),
	BOTH("SSCH with an unaligned ORB is a specification exception", ssch_unaligned_orb),
	BOTH("SSCH with ORB reserved bits, B, D, CPA bit 0 or all ones is an operand exception",
	     ssch_orb_operand),
	BOTH("SSCH with an LPM lacking 0x80 gives a deferred cc 3", ssch_deferred_cc3),
	BOTH("TSCH cc 0 clears the status; the next TSCH is cc 1 and stores an IRB",
	     tsch_cc0_clears_then_cc1),
	BOTH("TSCH: cc 3 when absent; disabled: cc 3 (arch), cc 1 (qemu)", tsch_cc3),
	BOTH("TSCH checks the SID before the IRB alignment", tsch_sid_before_alignment),
	BOTH("TSCH access exceptions come before cc 3; cc 3 stores nothing",
	     tsch_access_before_cc3),
	BOTH("TSCH with concurrent sense stores the sense in the ECW and clears it",
	     tsch_concurrent_sense),
	BOTH("TSCH without concurrent sense leaves the sense for BASIC SENSE",
	     tsch_no_concurrent_sense),
	BOTH("HSCH: cc 3 when absent, cc 1 when status pending", hsch_cc1_cc3),
	BOTH("HSCH of an idle subchannel ends with halt, device end and an interruption",
	     hsch_idle),
	BOTH("HSCH while a halt or clear is in progress is cc 2", hsch_cc2),
	BOTH("HSCH of a hung program makes it status pending with device end",
	     hsch_hung_program),
	BOTH("HSCH of a pending start ends it without device end", hsch_start_pending),
	BOTH("HSCH, XSCH, RSCH and SSCH with alert status pending are cc 1", hsch_xsch_cc1_alert),
	BOTH("CSCH of a status-pending subchannel clears status, resets paths and the CU",
	     csch_clears),
	BOTH("CSCH of a hung program or a pending start ends in the clear function",
	     csch_in_progress),
	BOTH("RSCH: cc 3 absent, cc 2 not suspended, cc 0 resumes, cc 1 pending", rsch_ccs),
	BOTH("RSCH with a resume already pending is cc 2", rsch_resume_pending),
	BOTH("XSCH: cc 3/2/1 and cc 0 cancelling a pending start without interruption",
	     xsch_ccs),
	BOTH("XSCH cancels a suspended program", xsch_suspended),
	BOTH("XSCH cancels a pending resume", xsch_resume_pending),
	BOTH("TPI with nothing pending is cc 0", tpi_none),
	BOTH("TPI stores SID and intparm, dequeues, and leaves status pending", tpi_two_words),
	BOTH("TPI with operand 0 stores three words at 0xB8", tpi_lowcore),
	BOTH("The interruption SID word carries the subchannel set", tpi_sid_word_of_set),
	BOTH("TPI takes the lowest ISC first and FIFO within an ISC", tpi_priority),
	BOTH("TPI does not deliver a masked ISC", tpi_masked_isc),
	BOTH("TPI after TSCH: withdrawn (arch), stale interruption (qemu)", tpi_after_tsch),
	BOTH("TPI with an unaligned operand is a specification exception", tpi_unaligned),
	BOTH("STCRW with no report is cc 1 and stores zero", stcrw_empty),
	BOTH("A subchannel going away or back queues a CRW RSC 3 ERC 4", stcrw_presence),
	BOTH("With MSS enabled a subchannel CRW is a chained pair", stcrw_chained_with_mss),
	BOTH("STCRW with an unaligned operand is a specification exception", stcrw_unaligned),
	BOTH("RCHP: operand for reserved bits, cc 3 uninstalled, cc 0 queues a CRW", rchp_ccs),
	BOTH("SCHM: reserved r1 bits and an unaligned origin are operand exceptions",
	     schm_operands),
	BOTH("Format-0 measurement counts SSCH at origin + MBI * 32", measure_fmt0),
	BOTH("Measurement needs the PMCW MM bits", measure_needs_mm),
	BOTH("Format-1 measurement counts SSCH at the MBA", measure_fmt1),
	BOTH("Measurement counts RSCH too", measure_rsch),
	BOTH("CHSC with a block not 4 KiB aligned is a specification exception", chsc_alignment),
	BOTH("CHSC with a bad request length is an operand exception", chsc_length),
	BOTH("CHSC SCSC answers 0x0001 with general characteristic bit 48", chsc_scsc),
	BOTH("CHSC with an unknown command answers 0x0004", chsc_unknown),
	BOTH("CHSC SDA answers 0x0101 without MSS and 0x0001 with it", chsc_sda),
	BOTH("Every I/O instruction is a privileged operation in problem state", problem_state),
	BOTH("Unsolicited status needs an enabled subchannel without status pending or a "
	     "function in progress",
	     unsolicited),
	BOTH("An adapter interruption has SID 0, intparm 0 and the AI bit", adapter_interrupt),
	BOTH("A lost interruption leaves the status for TSCH", fault_lose_int),
	BOTH("A spurious interruption has no status behind it", fault_spurious_int),
	BOTH("An injected cc is returned without effect", fault_cc),
	BOTH("A device that went away delivers no interruption", gone_device_no_interrupt),
	BOTH("The trace: instructions, CCWs, status and interruptions of one subchannel",
	     trace_lines),
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo sim_insn_suite = { "sim-insn", NULL, NULL, NULL, NULL, sim_insn_tests };
