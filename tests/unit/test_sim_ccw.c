/*
 * The simulator's CCW interpreter held against the architecture: CCW
 * formats, command and data chaining, length checking, SKIP, PCI, suspend
 * and resume, IDAWs, TIC, the loop bound, address and protection checks,
 * status and sense, halt and clear, and deferred completion.
 *
 * Each expectation comes from z/Architecture Principles of Operation
 * chapters 15 and 16 (SIM_PROFILE_ARCH) or from QEMU's departures listed as
 * QUIRK in reference/ccw-virtio-checklist.md (SIM_PROFILE_QEMU), never from
 * the interpreter's code, so a test fails where the simulator is wrong.
 */
#include <string.h>

#include "tests/unit/simtest.h"
#include "tests/unit/unit.h"

#define INTPARM 0x12345678u

/* ORB control words: format-0 or format-1 CCWs, logical path 0x80 (A.3). */
#define ORB_FMT0 (0x80u << ORB_CTRL_LPM_SHIFT)
#define ORB_FMT1 SIMTEST_ORB_FMT1

#define WRITE	SIM_TESTDEV_CMD_WRITE
#define READ	SIM_TESTDEV_CMD_READ
#define CONTROL SIM_TESTDEV_CMD_CONTROL
#define NOP	CCW_CMD_WRITE_NOOP
#define TIC	CCW_CMD_TIC
/* A command the test device does not know: it rejects it. */
#define UNKNOWN 0x0B

#define FINAL_ALERT	(SIMTEST_FINAL | SCSW_STCTL_ALERT)
#define SC_INTERMEDIATE (SCSW_STCTL_INTERMEDIATE | SCSW_STCTL_STATUS_PEND)

/* Steps a deferred machine may take before a test calls it a hang. */
#define SETTLE_LIMIT 200000u

/* --- Machines ------------------------------------------------------------- */

static const enum sim_completion completions[] = { SIM_COMPLETE_SYNC, SIM_COMPLETE_DEFERRED };

/* The fixture machine with its test device enabled on ISC 3. */
static void open_rig(struct simtest *t, enum sim_profile p, enum sim_completion c)
{
	CU_ASSERT_FATAL(simtest_init(t, p, c));
	simtest_enable(t, t->schid, 3);
}

/* A machine of our own size and CCW bound, otherwise like the fixture's. */
static void open_cfg(struct simtest *t, enum sim_profile p, enum sim_completion c, u64 mem,
		     unsigned max_ccws)
{
	struct sim_config cfg = simtest_config(p, c);

	cfg.mem_size = mem;
	cfg.max_ccws = max_ccws;
	CU_ASSERT_FATAL(simtest_init_cfg(t, &cfg, 0x0100));
	simtest_enable(t, t->schid, 3);
}

static bool is_arch(struct simtest *t)
{
	return sim_profile(t->sim) == SIM_PROFILE_ARCH;
}

typedef void (*body_fn)(struct simtest *t);

/* Run body on a fresh machine of profile p in each completion mode (each
 * test in each profile: BOTH_PROFILES, tests/unit/unit.h). */
static void each_completion(enum sim_profile p, body_fn body)
{
	for (size_t j = 0; j < ARRAY_SIZE(completions); j++) {
		struct simtest t;

		open_rig(&t, p, completions[j]);
		body(&t);
		simtest_fini(&t);
	}
}

/* --- Guest memory --------------------------------------------------------- */

/* len bytes of guest memory holding src; their address. */
static u64 put(struct simtest *t, const void *src, u32 len)
{
	u64 a = simtest_alloc(t, len, 8);

	memcpy(simtest_ptr(t, a, len), src, len);
	return a;
}

/* len bytes of guest memory filled with b; their address. */
static u64 fill(struct simtest *t, u8 b, u32 len)
{
	u64 a = simtest_alloc(t, len, 8);

	memset(simtest_ptr(t, a, len), b, len);
	return a;
}

/* Whether guest memory at a holds the len bytes of exp. */
static bool mem_is(struct simtest *t, u64 a, const void *exp, u32 len)
{
	return memcmp(simtest_ptr(t, a, len), exp, len) == 0;
}

/* Whether len bytes of guest memory at a all equal b. */
static bool mem_all(struct simtest *t, u64 a, u8 b, u32 len)
{
	const u8 *p = simtest_ptr(t, a, len);

	for (u32 i = 0; i < len; i++)
		if (p[i] != b)
			return false;
	return true;
}

/* Room for a channel program of n CCWs. */
static u64 prog_alloc(struct simtest *t, unsigned n)
{
	return simtest_alloc(t, 8u * n, 8);
}

/* Rewrite the flags byte of format-1 CCW i of the program at prog. */
static void set_ccw1_flags(struct simtest *t, u64 prog, unsigned i, u8 flags)
{
	((struct ccw1 *)simtest_ptr(t, prog + 8u * i, 8))->flags = flags;
}

/* A format-1 IDAW list of n entries, word aligned; its address. */
static u64 idaw1_list(struct simtest *t, const u32 *a, unsigned n)
{
	u64 list = simtest_alloc(t, 4u * n, 4);
	idaw1 *w = simtest_ptr(t, list, 4u * n);

	for (unsigned i = 0; i < n; i++)
		w[i] = cpu_to_be32(a[i]);
	return list;
}

/* A format-2 IDAW list of n entries, doubleword aligned; its address. */
static u64 idaw2_list(struct simtest *t, const u64 *a, unsigned n)
{
	u64 list = simtest_alloc(t, 8u * n, 8);
	idaw2 *w = simtest_ptr(t, list, 8u * n);

	for (unsigned i = 0; i < n; i++)
		w[i] = cpu_to_be64(a[i]);
	return list;
}

/* Give the test device n bytes to return on READ. */
static void dev_load(struct simtest *t, const void *src, u32 n)
{
	memcpy(t->dev->buf, src, n);
	t->dev->len = n;
}

/* Whether the test device holds exactly the n bytes of exp. */
static bool dev_holds(struct simtest *t, const void *exp, u32 n)
{
	return t->dev->len == n && memcmp(t->dev->buf, exp, n) == 0;
}

/* --- Running programs ----------------------------------------------------- */

/* Let a deferred machine run until nothing is left; a synchronous one has nothing. */
static void settle(struct simtest *t)
{
	unsigned i;

	for (i = 0; i < SETTLE_LIMIT && sim_progress(t->sim); i++)
		;
	CU_ASSERT(i < SETTLE_LIMIT);
}

/*
 * SSCH of the program at cpa with ORB control ctrl, asserting cc 0. Not
 * fatal: the checks that follow fail anyway, and the test still gets to
 * destroy its machine.
 */
static void start(struct simtest *t, u32 ctrl, u64 cpa)
{
	CU_ASSERT_EQUAL(simtest_ssch(t, t->schid, INTPARM, ctrl, (u32)cpa), 0);
}

/* Start a program, let it end, and collect its status; the TSCH cc. */
static int run(struct simtest *t, u32 ctrl, u64 cpa, struct irb *irb)
{
	start(t, ctrl, cpa);
	settle(t);
	return simtest_tsch(t, t->schid, irb);
}

/* The current SCSW control halfword, as STSCH shows it. */
static u16 sch_ctrl(struct simtest *t)
{
	struct schib s;

	CU_ASSERT_EQUAL(simtest_stsch(t, t->schid, &s), 0);
	return be16_to_cpu(s.scsw.ctrl);
}

/*
 * A normal ending: final status with channel end and device end, no
 * subchannel status, the CCW address 8 past the last CCW and the residual
 * count of that CCW (PoP 16, "Subchannel-Status Word"; A.6 status table).
 */
static void expect_ok(const struct irb *irb, u64 last_ccw, u16 residual)
{
	CU_ASSERT_EQUAL(irb_ctrl(irb), SIMTEST_FINAL);
	CU_ASSERT_EQUAL(irb->scsw.dstat, SIMTEST_CEDE);
	CU_ASSERT_EQUAL(irb->scsw.cstat, 0);
	CU_ASSERT_EQUAL(irb_cpa(irb), last_ccw + 8);
	CU_ASSERT_EQUAL(irb_count(irb), residual);
}

/*
 * The program ended on a channel-detected check with subchannel status
 * cstat: alert status ends the start function (PoP 16, "Alert Status").
 * ccw is the failing CCW when its address is defined, else 0 (not checked).
 */
static void expect_check(const struct irb *irb, u8 cstat, u64 ccw)
{
	CU_ASSERT_EQUAL(irb_ctrl(irb) & (u16)~SCSW_STCTL_SECONDARY,
			SCSW_FCTL_START_FUNC | SCSW_STCTL_PRIMARY | SCSW_STCTL_ALERT |
				SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(irb->scsw.cstat, cstat);
	if (ccw)
		CU_ASSERT_EQUAL(irb_cpa(irb), ccw + 8);
}

/* Run a program expected to end in a program check at CCW ccw (0: anywhere). */
static void run_expect_pc(struct simtest *t, u32 ctrl, u64 cpa, u64 ccw)
{
	struct irb irb;

	CU_ASSERT_EQUAL(run(t, ctrl, cpa, &irb), 0);
	expect_check(&irb, SCSW_CSTAT_PROG_CHECK, ccw);
}

/* --- Formats (A.5, A.6 items 2-6) ----------------------------------------- */

/* Format-1 CCWs (ORB F): the data moves, the program ends normally. */
static void fmt1_body(struct simtest *t)
{
	u64 data = put(t, "format one", 10);
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	simtest_ccw1(t, prog, 0, WRITE, 0, 10, (u32)data);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	/* The SCSW echoes the ORB's format bit (PoP 16, "CCW Format"). */
	CU_ASSERT(irb_flags(&irb) & SCSW_FLAGS_FMT);
	CU_ASSERT(dev_holds(t, "format one", 10));
}

static void test_fmt1(enum sim_profile p)
{
	each_completion(p, fmt1_body);
}
BOTH_PROFILES(test_fmt1)

/*
 * Format-0 CCWs: command in byte 0, a 24-bit data address in bytes 1-3,
 * flags in byte 4, count in bytes 6-7 (A.5). The addresses use all three
 * bytes, and the chain and SLI flags must be found in byte 4.
 */
static void fmt0_body(struct simtest *t)
{
	const u32 out = 0x3A5B68, in = 0x2C4D10;
	u64 prog = prog_alloc(t, 2);
	struct irb irb;

	memcpy(simtest_ptr(t, out, 6), "24-bit", 6);
	memset(simtest_ptr(t, in, 32), 0, 32);
	simtest_ccw0(t, prog, 0, WRITE, CCW_FLAG_CC, 6, out);
	simtest_ccw0(t, prog, 1, READ, CCW_FLAG_SLI, 32, in);
	CU_ASSERT_EQUAL(run(t, ORB_FMT0, prog, &irb), 0);
	expect_ok(&irb, prog + 8, 32 - 6);
	CU_ASSERT_FALSE(irb_flags(&irb) & SCSW_FLAGS_FMT);
	CU_ASSERT(mem_is(t, in, "24-bit", 6));
	CU_ASSERT(mem_all(t, in + 6, 0, 26));
}

static void test_fmt0(enum sim_profile p)
{
	each_completion(p, fmt0_body);
}
BOTH_PROFILES(test_fmt0)

/* Format-0 count 0 is a program check; format-1 count 0 is allowed (A.6 item 5). */
static void fmt0_count0_body(struct simtest *t)
{
	u64 data = put(t, "x", 1);
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	simtest_ccw0(t, prog, 0, WRITE, 0, 0, (u32)data);
	run_expect_pc(t, ORB_FMT0, prog, prog);
	CU_ASSERT_EQUAL(t->dev->commands, 0);

	prog = prog_alloc(t, 1);
	simtest_ccw1(t, prog, 0, WRITE, 0, 0, (u32)data);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
}

static void test_fmt0_count0(enum sim_profile p)
{
	each_completion(p, fmt0_count0_body);
}
BOTH_PROFILES(test_fmt0_count0)

/*
 * A format-0 program must lie below 16 MiB (A.6 item 2). The machine has
 * 32 MiB, so the storage at 16 MiB exists and the same CCW runs as format 1.
 */
static void test_fmt0_above_16m(enum sim_profile p)
{
	const u64 at = 0x1000000;

	struct simtest t;
	struct irb irb;

	open_cfg(&t, p, SIM_COMPLETE_SYNC, 32u << 20, 0);
	simtest_ccw0(&t, at, 0, NOP, 0, 1, 0x1000);
	run_expect_pc(&t, ORB_FMT0, at, 0);

	/* A NOP moves no data: its whole count is residual. */
	simtest_ccw1(&t, at, 0, NOP, 0, 1, 0x1000);
	CU_ASSERT_EQUAL(run(&t, ORB_FMT1, at, &irb), 0);
	expect_ok(&irb, at, 1);
	simtest_fini(&t);
}
BOTH_PROFILES(test_fmt0_above_16m)

/*
 * Format-1 IDAWs hold 31-bit addresses, also for format-0 CCWs: through
 * them a format-0 CCW reaches storage above 16 MiB (PoP 15, "Indirect Data
 * Addressing").
 */
static void test_fmt0_idaw_above_16m(enum sim_profile p)
{
	const u64 high = 0x1800000;

	struct simtest t;
	struct irb irb;
	u64 prog, list;
	u32 idaw;

	open_cfg(&t, p, SIM_COMPLETE_SYNC, 32u << 20, 0);
	memcpy(simtest_ptr(&t, high, 8), "far away", 8);
	idaw = (u32)high;
	list = idaw1_list(&t, &idaw, 1);
	prog = prog_alloc(&t, 1);
	simtest_ccw0(&t, prog, 0, WRITE, CCW_FLAG_IDA, 8, (u32)list);
	CU_ASSERT_EQUAL(run(&t, ORB_FMT0, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	CU_ASSERT(dev_holds(&t, "far away", 8));
	simtest_fini(&t);
}
BOTH_PROFILES(test_fmt0_idaw_above_16m)

/* Bit 0 of a format-1 CCW's data address must be zero (A.5). */
static void fmt1_cda_bit0_body(struct simtest *t)
{
	u64 data = put(t, "abcd", 4);
	u64 prog = prog_alloc(t, 1);

	simtest_ccw1(t, prog, 0, WRITE, 0, 4, 0x80000000u | (u32)data);
	run_expect_pc(t, ORB_FMT1, prog, prog);
	CU_ASSERT_EQUAL(t->dev->commands, 0);
}

static void test_fmt1_cda_bit0(enum sim_profile p)
{
	each_completion(p, fmt1_cda_bit0_body);
}
BOTH_PROFILES(test_fmt1_cda_bit0)

/* A command code whose low four bits are zero is invalid (A.6 item 4). */
static void invalid_cmd_body(struct simtest *t)
{
	static const u8 codes[] = { 0x00, 0x10, 0xF0 };
	u64 data = put(t, "abcd", 4);

	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		u64 prog = prog_alloc(t, 1);

		simtest_ccw1(t, prog, 0, codes[i], 0, 4, (u32)data);
		run_expect_pc(t, ORB_FMT1, prog, prog);
		prog = prog_alloc(t, 1);
		simtest_ccw0(t, prog, 0, codes[i], 0, 4, (u32)data);
		run_expect_pc(t, ORB_FMT0, prog, prog);
	}
	CU_ASSERT_EQUAL(t->dev->commands, 0);
}

static void test_invalid_cmd(enum sim_profile p)
{
	each_completion(p, invalid_cmd_body);
}
BOTH_PROFILES(test_invalid_cmd)

/* There is no MIDAW facility: the MIDA flag is a program check (A.6 item 6). */
static void mida_body(struct simtest *t)
{
	u64 data = put(t, "abcd", 4);
	u64 prog = prog_alloc(t, 1);

	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_MIDA, 4, (u32)data);
	run_expect_pc(t, ORB_FMT1, prog, prog);
	CU_ASSERT_EQUAL(t->dev->commands, 0);
}

static void test_mida(enum sim_profile p)
{
	each_completion(p, mida_body);
}
BOTH_PROFILES(test_mida)

/* --- Command chaining (PoP 15, "Command Chaining"; A.6 item 11) ----------- */

/*
 * Chained commands run in order, each with its own data; the final SCSW
 * points 8 past the last CCW and carries that CCW's residual.
 */
static void chain_body(struct simtest *t)
{
	u64 a = put(t, "abcd", 4), b = put(t, "xyz", 3);
	u64 ra = fill(t, 0, 4), rb = fill(t, 0, 8);
	u64 prog = prog_alloc(t, 4);
	struct irb irb;

	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_CC, 4, (u32)a);
	simtest_ccw1(t, prog, 1, READ, CCW_FLAG_CC, 4, (u32)ra);
	simtest_ccw1(t, prog, 2, WRITE, CCW_FLAG_CC, 3, (u32)b);
	simtest_ccw1(t, prog, 3, READ, CCW_FLAG_SLI, 8, (u32)rb);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog + 24, 8 - 3);
	CU_ASSERT(mem_is(t, ra, "abcd", 4));
	CU_ASSERT(mem_is(t, rb, "xyz", 3));
	CU_ASSERT(mem_all(t, rb + 3, 0, 5));
	CU_ASSERT_EQUAL(t->dev->commands, 4);
	CU_ASSERT_EQUAL(t->dev->last_cmd, READ);
}

static void test_chain(enum sim_profile p)
{
	each_completion(p, chain_body);
}
BOTH_PROFILES(test_chain)

/*
 * Channel end and device end with status modifier make the channel fetch
 * the CCW 16 bytes on instead of 8: one CCW is skipped.
 */
static void status_modifier_body(struct simtest *t)
{
	const struct sim_testdev_answer sm = { .result = SIM_IO_OK,
					   .dstat = SIMTEST_CEDE | SCSW_DSTAT_STAT_MOD };
	u64 bad = put(t, "bad", 3), good = put(t, "good", 4);
	u64 prog = prog_alloc(t, 3);
	struct irb irb;

	simtest_ccw1(t, prog, 0, CONTROL, CCW_FLAG_CC, 0, 0);
	simtest_ccw1(t, prog, 1, WRITE, CCW_FLAG_CC, 3, (u32)bad);
	simtest_ccw1(t, prog, 2, WRITE, 0, 4, (u32)good);
	sim_testdev_set_answer(t->dev, &sm);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog + 16, 0);
	CU_ASSERT(dev_holds(t, "good", 4));
	CU_ASSERT_EQUAL(t->dev->commands, 2);
}

static void test_status_modifier(enum sim_profile p)
{
	each_completion(p, status_modifier_body);
}
BOTH_PROFILES(test_status_modifier)

/* --- Data chaining (PoP 15, "Data Chaining"; A.6 QUIRK) ------------------- */

/*
 * Architecture: a WRITE over three data-chained CCWs is one command whose
 * data is the concatenation of the three areas. The command code of a
 * data-chained CCW is ignored, so even an invalid one does no harm; the CC
 * flag of the last CCW of the chain chains the next command.
 */
static void cd_write_body(struct simtest *t)
{
	u64 a = put(t, "abc", 3), b = put(t, "defg", 4), c = put(t, "hi", 2);
	u64 prog = prog_alloc(t, 4);
	struct irb irb;

	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_CD, 3, (u32)a);
	simtest_ccw1(t, prog, 1, 0x00, CCW_FLAG_CD, 4, (u32)b);
	simtest_ccw1(t, prog, 2, 0xFF, CCW_FLAG_CC, 2, (u32)c);
	simtest_ccw1(t, prog, 3, CONTROL, 0, 0, 0);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog + 24, 0);
	CU_ASSERT(dev_holds(t, "abcdefghi", 9));
	CU_ASSERT_EQUAL(t->dev->commands, 2);
	CU_ASSERT_EQUAL(t->dev->last_cmd, CONTROL);
}

static void test_cd_write(void)
{
	each_completion(SIM_PROFILE_ARCH, cd_write_body);
}

/*
 * Architecture: a READ scatters over the data-chained areas; the transfer
 * ends in the third CCW, so the SCSW names that CCW and its residual, and
 * its SLI (with CD off) suppresses the short block.
 */
static void cd_read_body(struct simtest *t)
{
	u64 r0 = fill(t, 0xEE, 4), r1 = fill(t, 0xEE, 4), r2 = fill(t, 0xEE, 6);
	u64 prog = prog_alloc(t, 3);
	struct irb irb;

	dev_load(t, "0123456789", 10);
	simtest_ccw1(t, prog, 0, READ, CCW_FLAG_CD, 4, (u32)r0);
	simtest_ccw1(t, prog, 1, READ, CCW_FLAG_CD, 4, (u32)r1);
	simtest_ccw1(t, prog, 2, READ, CCW_FLAG_SLI, 6, (u32)r2);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog + 16, 6 - 2);
	CU_ASSERT(mem_is(t, r0, "0123", 4));
	CU_ASSERT(mem_is(t, r1, "4567", 4));
	CU_ASSERT(mem_is(t, r2, "89", 2));
	CU_ASSERT(mem_all(t, r2 + 2, 0xEE, 4));
}

static void test_cd_read(void)
{
	each_completion(SIM_PROFILE_ARCH, cd_read_body);
}

/* Architecture: a TIC may sit inside a data chain; the chain goes on at its target. */
static void cd_tic_body(struct simtest *t)
{
	u64 a = put(t, "ab", 2), b = put(t, "cd", 2);
	u64 prog = prog_alloc(t, 2), there = prog_alloc(t, 1);
	struct irb irb;

	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_CD, 2, (u32)a);
	simtest_ccw1(t, prog, 1, TIC, 0, 0, (u32)there);
	simtest_ccw1(t, there, 0, WRITE, 0, 2, (u32)b);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, there, 0);
	CU_ASSERT(dev_holds(t, "abcd", 4));
}

static void test_cd_tic(void)
{
	each_completion(SIM_PROFILE_ARCH, cd_tic_body);
}

/*
 * Architecture: incorrect length is suppressed only when the CURRENT CCW
 * has SLI and not CD (PoP 16, "Incorrect Length"; the same rule A.6 item 8
 * states for QEMU). Here the device ends after 2 bytes, inside the first
 * CCW, which has CD: the short block is incorrect length although both
 * CCWs have SLI. The SCSW names the first CCW with residual 2.
 */
static void cd_short_block_body(struct simtest *t)
{
	u64 r0 = fill(t, 0, 4), r1 = fill(t, 0, 4);
	u64 prog = prog_alloc(t, 2);
	struct irb irb;

	dev_load(t, "ab", 2);
	simtest_ccw1(t, prog, 0, READ, CCW_FLAG_CD | CCW_FLAG_SLI, 4, (u32)r0);
	simtest_ccw1(t, prog, 1, READ, CCW_FLAG_SLI, 4, (u32)r1);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	CU_ASSERT_EQUAL(irb.scsw.cstat, SCSW_CSTAT_INCORR_LEN);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE);
	CU_ASSERT_EQUAL(irb_cpa(&irb), prog + 8);
	CU_ASSERT_EQUAL(irb_count(&irb), 2);
	CU_ASSERT(mem_is(t, r0, "ab", 2));
}

static void test_cd_short_block(void)
{
	each_completion(SIM_PROFILE_ARCH, cd_short_block_body);
}

/*
 * QEMU does not chain data: CD only turns length checking on, and a CCW
 * with CD but without CC ends the program (A.6 QUIRK).
 */
static void qemu_cd_body(struct simtest *t)
{
	u64 a = put(t, "abc", 3), b = put(t, "defg", 4);
	u64 prog = prog_alloc(t, 2);
	struct irb irb;

	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_CD, 3, (u32)a);
	simtest_ccw1(t, prog, 1, WRITE, 0, 4, (u32)b);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	CU_ASSERT(dev_holds(t, "abc", 3));
	CU_ASSERT_EQUAL(t->dev->commands, 1);
}

static void test_qemu_cd(void)
{
	each_completion(SIM_PROFILE_QEMU, qemu_cd_body);
}

/*
 * QEMU: length checking is on unless SLI is set and CD is clear (A.6 item
 * 8), so with CD a short READ is a program check even with SLI, while the
 * same CCW without CD is accepted.
 */
static void qemu_cd_sli_body(struct simtest *t)
{
	u64 r = fill(t, 0, 8);
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	dev_load(t, "abcd", 4);
	simtest_ccw1(t, prog, 0, READ, CCW_FLAG_CD | CCW_FLAG_SLI, 8, (u32)r);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_check(&irb, SCSW_CSTAT_PROG_CHECK, prog);
	CU_ASSERT_EQUAL(irb.scsw.dstat, 0);

	prog = prog_alloc(t, 1);
	simtest_ccw1(t, prog, 0, READ, CCW_FLAG_SLI, 8, (u32)r);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 8 - 4);
}

static void test_qemu_cd_sli(void)
{
	each_completion(SIM_PROFILE_QEMU, qemu_cd_sli_body);
}

/* --- Length checking (PoP 16, "Incorrect Length"; A.6 QUIRKS) ------------- */

/*
 * Architecture: a READ of 8 from a device offering 4, without SLI, is a
 * short block: incorrect length with channel end and device end, and the
 * chained WRITE is not executed (command chaining is suppressed).
 */
static void il_body(struct simtest *t)
{
	u64 r = fill(t, 0, 8), w = put(t, "zz", 2);
	u64 prog = prog_alloc(t, 2);
	struct irb irb;

	dev_load(t, "abcd", 4);
	simtest_ccw1(t, prog, 0, READ, CCW_FLAG_CC, 8, (u32)r);
	simtest_ccw1(t, prog, 1, WRITE, 0, 2, (u32)w);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	/* Whether IL alone is alert status is left open: not checked. */
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & (u16)~SCSW_STCTL_ALERT, SIMTEST_FINAL);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE);
	CU_ASSERT_EQUAL(irb.scsw.cstat, SCSW_CSTAT_INCORR_LEN);
	CU_ASSERT_EQUAL(irb_cpa(&irb), prog + 8);
	CU_ASSERT_EQUAL(irb_count(&irb), 4);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
	CU_ASSERT(mem_is(t, r, "abcd", 4));
}

static void test_il(void)
{
	each_completion(SIM_PROFILE_ARCH, il_body);
}

/*
 * Architecture: with SLI the same mismatch is not indicated, command
 * chaining goes on, and the residual count shows the short transfer.
 */
static void sli_body(struct simtest *t)
{
	u64 r0 = fill(t, 0, 8), r1 = fill(t, 0, 8);
	u64 prog = prog_alloc(t, 2);
	struct irb irb;

	dev_load(t, "abcd", 4);
	simtest_ccw1(t, prog, 0, READ, CCW_FLAG_CC | CCW_FLAG_SLI, 8, (u32)r0);
	simtest_ccw1(t, prog, 1, READ, CCW_FLAG_SLI, 8, (u32)r1);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog + 8, 8 - 4);
	CU_ASSERT_EQUAL(t->dev->commands, 2);
	CU_ASSERT(mem_is(t, r0, "abcd", 4));
	CU_ASSERT(mem_is(t, r1, "abcd", 4));
}

static void test_sli(void)
{
	each_completion(SIM_PROFILE_ARCH, sli_body);
}

/* QEMU reports a length mismatch as a program check with device status 0, never IL. */
static void qemu_length_body(struct simtest *t)
{
	u64 r = fill(t, 0, 8), w = put(t, "zz", 2);
	u64 prog = prog_alloc(t, 2);
	struct irb irb;

	dev_load(t, "abcd", 4);
	simtest_ccw1(t, prog, 0, READ, CCW_FLAG_CC, 8, (u32)r);
	simtest_ccw1(t, prog, 1, WRITE, 0, 2, (u32)w);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_check(&irb, SCSW_CSTAT_PROG_CHECK, prog);
	CU_ASSERT_EQUAL(irb.scsw.dstat, 0);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
}

static void test_qemu_length(void)
{
	each_completion(SIM_PROFILE_QEMU, qemu_length_body);
}

/* --- SKIP (PoP 15, "Skip"; A.6) ------------------------------------------- */

/*
 * SKIP on a READ: nothing is stored but the count is consumed (residual 0,
 * no length complaint). SKIP means nothing to a WRITE: its data still moves.
 */
static void skip_body(struct simtest *t)
{
	u64 r = fill(t, 0xEE, 8), w = put(t, "ok", 2);
	u64 prog = prog_alloc(t, 2);
	struct irb irb;

	dev_load(t, "abcdefgh", 8);
	simtest_ccw1(t, prog, 0, READ, CCW_FLAG_SKIP, 8, (u32)r);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	CU_ASSERT(mem_all(t, r, 0xEE, 8));

	prog = prog_alloc(t, 1);
	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_SKIP, 2, (u32)w);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	CU_ASSERT(dev_holds(t, "ok", 2));
}

static void test_skip(enum sim_profile p)
{
	each_completion(p, skip_body);
}
BOTH_PROFILES(test_skip)

/* --- PCI (PoP 16, "Intermediate Status"; A.6) ----------------------------- */

/* Three control commands, the first with the PCI flag. */
static u64 pci_prog(struct simtest *t)
{
	u64 prog = prog_alloc(t, 3);

	simtest_ccw1(t, prog, 0, CONTROL, CCW_FLAG_CC | CCW_FLAG_PCI, 0, 0);
	simtest_ccw1(t, prog, 1, CONTROL, CCW_FLAG_CC, 0, 0);
	simtest_ccw1(t, prog, 2, CONTROL, 0, 0, 0);
	return prog;
}

/*
 * Architecture, deferred: after the PCI CCW the subchannel is status
 * pending with intermediate status and PCI while the program still runs;
 * TSCH collects it (cc 0) and leaves the start function in place; the
 * final status comes later and does not repeat the PCI.
 */
static void test_pci_deferred(void)
{
	struct simtest t;
	struct irb irb;
	u64 prog;

	open_rig(&t, SIM_PROFILE_ARCH, SIM_COMPLETE_DEFERRED);
	prog = pci_prog(&t);
	start(&t, ORB_FMT1, prog);
	CU_ASSERT_EQUAL(sim_progress(t.sim), 1);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & SCSW_STCTL_MASK, SC_INTERMEDIATE);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & SCSW_FCTL_MASK, SCSW_FCTL_START_FUNC);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_ACTL_SCH_ACTIVE);
	CU_ASSERT_EQUAL(irb.scsw.cstat, SCSW_CSTAT_PCI);
	/* TSCH of intermediate status leaves the function active. */
	CU_ASSERT_EQUAL(sch_ctrl(&t) & SCSW_FCTL_MASK, SCSW_FCTL_START_FUNC);

	settle(&t);
	CU_ASSERT_EQUAL(t.dev->commands, 3);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	expect_ok(&irb, prog + 16, 0);
	simtest_fini(&t);
}

/* Architecture, synchronous: the PCI is still pending at the end and shows in the final status. */
static void test_pci_sync(void)
{
	struct simtest t;
	struct irb irb;

	open_rig(&t, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(run(&t, ORB_FMT1, pci_prog(&t), &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & SIMTEST_FINAL, SIMTEST_FINAL);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE);
	CU_ASSERT_EQUAL(irb.scsw.cstat, SCSW_CSTAT_PCI);
	simtest_fini(&t);
}

/* QEMU ignores the PCI flag: no intermediate status, none in the final status. */
static void test_qemu_pci(void)
{
	struct simtest t;
	struct irb irb;
	u64 prog;

	open_rig(&t, SIM_PROFILE_QEMU, SIM_COMPLETE_DEFERRED);
	prog = pci_prog(&t);
	start(&t, ORB_FMT1, prog);
	CU_ASSERT_EQUAL(sim_progress(t.sim), 1);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 1);
	settle(&t);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	expect_ok(&irb, prog + 16, 0);
	simtest_fini(&t);

	open_rig(&t, SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC);
	prog = pci_prog(&t);
	CU_ASSERT_EQUAL(run(&t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog + 16, 0);
	simtest_fini(&t);
}

/* --- Suspend and resume (PoP 15, "Suspend Flag"; A.6 item 7) -------------- */

/* WRITE "ab", then WRITE "cd" with the suspend flag, then a CONTROL. */
static u64 suspend_prog(struct simtest *t)
{
	u64 a = put(t, "ab", 2), b = put(t, "cd", 2);
	u64 prog = prog_alloc(t, 3);

	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_CC, 2, (u32)a);
	simtest_ccw1(t, prog, 1, WRITE, CCW_FLAG_CC | CCW_FLAG_SUSPEND, 2, (u32)b);
	simtest_ccw1(t, prog, 2, CONTROL, 0, 0, 0);
	return prog;
}

/* The subchannel is suspended before CCW 1 of suspend_prog(), having run CCW 0 only. */
static void expect_suspended(struct simtest *t)
{
	u16 ctrl = sch_ctrl(t);

	CU_ASSERT_EQUAL(ctrl & SCSW_FCTL_MASK, SCSW_FCTL_START_FUNC);
	CU_ASSERT_EQUAL(ctrl & SCSW_ACTL_MASK, SCSW_ACTL_SUSP);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
	CU_ASSERT(dev_holds(t, "ab", 2));
}

/* Resume with RSCH (cc 0) and let it run. */
static void resume(struct simtest *t)
{
	CU_ASSERT_EQUAL(sim_rsch(t->sim, t->schid), 0);
	settle(t);
}

/* Architecture: with the program suspended, collect the intermediate status. */
static void collect_suspension(struct simtest *t)
{
	struct irb irb;

	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & SCSW_STCTL_MASK, SC_INTERMEDIATE);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & SCSW_ACTL_MASK, SCSW_ACTL_SUSP);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & SCSW_FCTL_MASK, SCSW_FCTL_START_FUNC);
	CU_ASSERT(irb_flags(&irb) & SCSW_FLAGS_SCTL);
}

/* After the suspend flag is cleared in memory, RSCH runs the program to its end. */
static void finish_suspended(struct simtest *t, u64 prog)
{
	struct irb irb;

	set_ccw1_flags(t, prog, 1, CCW_FLAG_CC);
	resume(t);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 0);
	expect_ok(&irb, prog + 16, 0);
	CU_ASSERT_EQUAL(t->dev->commands, 3);
	CU_ASSERT_EQUAL(t->dev->last_cmd, CONTROL);
	CU_ASSERT(dev_holds(t, "cd", 2));
}

/*
 * Architecture: the program suspends before the flagged CCW with
 * intermediate status (ORB U clear); RSCH refetches that same CCW, so with
 * the flag still set it suspends again.
 */
static void suspend_body(struct simtest *t)
{
	u64 prog = suspend_prog(t);

	start(t, ORB_FMT1 | ORB_CTRL_SPND, prog);
	settle(t);
	expect_suspended(t);
	collect_suspension(t);

	resume(t);
	expect_suspended(t);
	collect_suspension(t);

	finish_suspended(t, prog);
}

static void test_suspend(void)
{
	each_completion(SIM_PROFILE_ARCH, suspend_body);
}

/*
 * Architecture with ORB U, and QEMU always: the suspension is not
 * presented, so TSCH finds nothing (cc 1) and RSCH needs no TSCH first.
 */
static void silent_suspend_body(struct simtest *t)
{
	u32 ctrl = ORB_FMT1 | ORB_CTRL_SPND | (is_arch(t) ? ORB_CTRL_SSIC : 0);
	u64 prog = suspend_prog(t);
	struct irb irb;

	start(t, ctrl, prog);
	settle(t);
	expect_suspended(t);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 1);
	CU_ASSERT_EQUAL(sim_io_int_pending(t->sim), false);

	resume(t);
	expect_suspended(t);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 1);

	finish_suspended(t, prog);
}

static void test_suspend_silent(enum sim_profile p)
{
	each_completion(p, silent_suspend_body);
}
BOTH_PROFILES(test_suspend_silent)

/* A suspend flag without ORB S is a program check (A.6 item 7). */
static void suspend_no_s_body(struct simtest *t)
{
	u64 prog = suspend_prog(t);

	run_expect_pc(t, ORB_FMT1, prog, prog + 8);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
}

static void test_suspend_no_s(enum sim_profile p)
{
	each_completion(p, suspend_no_s_body);
}
BOTH_PROFILES(test_suspend_no_s)

/* --- IDAWs (PoP 15, "Indirect Data Addressing"; A.6) ---------------------- */

/*
 * Two data blocks for IDAW tests: the first IDAW points 16 bytes before a
 * block boundary of the first, the second IDAW at the start of the second.
 * Past the boundary the first area holds different bytes, so data that
 * runs on contiguously instead of switching blocks is noticed.
 */
struct idaw_area {
	u64 a, b;
};

static const u8 idaw_data[] = "0123456789abcdefGHIJKLMNOPQRSTUV";

static struct idaw_area idaw_setup(struct simtest *t, u32 block)
{
	struct idaw_area ar;

	ar.a = simtest_alloc(t, 2 * block, block) + block - 16;
	ar.b = simtest_alloc(t, 2 * block, 2 * block);
	memcpy(simtest_ptr(t, ar.a, 16), idaw_data, 16);
	memset(simtest_ptr(t, ar.a + 16, 16), 'X', 16);
	memcpy(simtest_ptr(t, ar.b, 16), idaw_data + 16, 16);
	return ar;
}

/*
 * Format-1 IDAWs (ORB H clear): 2 KiB blocks; the first IDAW may point
 * anywhere in its block, the data crossing the boundary continues at the
 * next IDAW. A WRITE gathers, a READ scatters.
 */
static void idaw1_body(struct simtest *t)
{
	struct idaw_area ar = idaw_setup(t, IDAW1_BLOCK);
	u32 idaws[2] = { (u32)ar.a, (u32)ar.b };
	u64 list = idaw1_list(t, idaws, 2);
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_IDA, 32, (u32)list);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	CU_ASSERT(dev_holds(t, idaw_data, 32));

	memset(simtest_ptr(t, ar.a, 16), 0, 16);
	memset(simtest_ptr(t, ar.b, 16), 0, 16);
	prog = prog_alloc(t, 1);
	simtest_ccw1(t, prog, 0, READ, CCW_FLAG_IDA, 32, (u32)list);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	CU_ASSERT(mem_is(t, ar.a, idaw_data, 16));
	CU_ASSERT(mem_all(t, ar.a + 16, 'X', 16));
	CU_ASSERT(mem_is(t, ar.b, idaw_data + 16, 16));
}

static void test_idaw1(enum sim_profile p)
{
	each_completion(p, idaw1_body);
}
BOTH_PROFILES(test_idaw1)

/*
 * Every IDAW after the first must designate a block boundary: program
 * check in the architecture; QEMU does not check it on a first use and
 * takes the data from where the IDAW points (A.6).
 */
static void idaw1_unaligned_body(struct simtest *t)
{
	struct idaw_area ar = idaw_setup(t, IDAW1_BLOCK);
	u32 idaws[2] = { (u32)ar.a, (u32)ar.b + 16 };
	u64 list = idaw1_list(t, idaws, 2);
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	memcpy(simtest_ptr(t, ar.b + 16, 16), idaw_data + 16, 16);
	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_IDA, 32, (u32)list);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	if (is_arch(t)) {
		expect_check(&irb, SCSW_CSTAT_PROG_CHECK, prog);
	} else {
		expect_ok(&irb, prog, 0);
		CU_ASSERT(dev_holds(t, idaw_data, 32));
	}
}

static void test_idaw1_unaligned(enum sim_profile p)
{
	each_completion(p, idaw1_unaligned_body);
}
BOTH_PROFILES(test_idaw1_unaligned)

/* A format-1 IDAW with bit 0 set is invalid (A.6): program check, the device gets nothing. */
static void idaw1_bit0_body(struct simtest *t)
{
	u64 data = put(t, "abcd", 4);
	u32 idaw = 0x80000000u | (u32)data;
	u64 list = idaw1_list(t, &idaw, 1);
	u64 prog = prog_alloc(t, 1);

	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_IDA, 4, (u32)list);
	run_expect_pc(t, ORB_FMT1, prog, prog);
	CU_ASSERT_EQUAL(t->dev->len, 0);
}

static void test_idaw1_bit0(enum sim_profile p)
{
	each_completion(p, idaw1_bit0_body);
}
BOTH_PROFILES(test_idaw1_bit0)

/* A format-1 IDAW list must be word aligned; a format-2 list doubleword aligned (A.6). */
static void idaw_list_align_body(struct simtest *t)
{
	u64 data = put(t, "abcd", 4);
	u64 list = simtest_alloc(t, 32, 8);
	u64 prog = prog_alloc(t, 1);
	idaw1 i1 = cpu_to_be32((u32)data);
	idaw2 i2 = cpu_to_be64(data);

	/* The IDAW itself is valid at both offsets used below. */
	memcpy(simtest_ptr(t, list + 2, 4), &i1, 4);
	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_IDA, 4, (u32)list + 2);
	run_expect_pc(t, ORB_FMT1, prog, prog);

	memcpy(simtest_ptr(t, list + 12, 8), &i2, 8);
	prog = prog_alloc(t, 1);
	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_IDA, 4, (u32)list + 12);
	run_expect_pc(t, ORB_FMT1 | ORB_CTRL_C64, prog, prog);
	CU_ASSERT_EQUAL(t->dev->len, 0);
}

static void test_idaw_list_align(enum sim_profile p)
{
	each_completion(p, idaw_list_align_body);
}
BOTH_PROFILES(test_idaw_list_align)

/*
 * Format-2 IDAWs (ORB H): 8 bytes each, 4 KiB blocks. The first IDAW points
 * 0x7F0 bytes into a 4 KiB block, so 0x810 bytes come from there before the
 * next IDAW is used; with 2 KiB blocks the switch would come 0x800 too early.
 */
static void idaw2_4k_body(struct simtest *t)
{
	const u32 first = IDAW2_BLOCK_4K - 0x7F0, len = first + 16;
	u64 blk = simtest_alloc(t, IDAW2_BLOCK_4K, IDAW2_BLOCK_4K);
	u64 nxt = simtest_alloc(t, IDAW2_BLOCK_4K, IDAW2_BLOCK_4K);
	u64 idaws[2] = { blk + 0x7F0, nxt };
	u64 list = idaw2_list(t, idaws, 2);
	u64 prog = prog_alloc(t, 1);
	u8 *p = simtest_ptr(t, blk, IDAW2_BLOCK_4K);
	u8 exp[IDAW2_BLOCK_4K - 0x7F0 + 16];
	struct irb irb;

	for (u32 i = 0; i < IDAW2_BLOCK_4K; i++)
		p[i] = (u8)(i * 7 + 1);
	memcpy(simtest_ptr(t, nxt, 16), "next 4 KiB block", 16);
	memcpy(exp, p + 0x7F0, first);
	memcpy(exp + first, "next 4 KiB block", 16);
	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_IDA, (u16)len, (u32)list);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1 | ORB_CTRL_C64, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	CU_ASSERT(dev_holds(t, exp, len));
}

static void test_idaw2_4k(enum sim_profile p)
{
	each_completion(p, idaw2_4k_body);
}
BOTH_PROFILES(test_idaw2_4k)

/* Format-2 IDAWs with ORB T use 2 KiB blocks (A.3, A.6). */
static void idaw2_2k_body(struct simtest *t)
{
	struct idaw_area ar = idaw_setup(t, IDAW2_BLOCK_2K);
	/* The second block is 2 KiB aligned but not 4 KiB aligned. */
	u64 b2 = ar.b + IDAW2_BLOCK_2K;
	u64 idaws[2] = { ar.a, b2 };
	u64 list = idaw2_list(t, idaws, 2);
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	memcpy(simtest_ptr(t, b2, 16), idaw_data + 16, 16);
	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_IDA, 32, (u32)list);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1 | ORB_CTRL_C64 | ORB_CTRL_I2K, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	CU_ASSERT(dev_holds(t, idaw_data, 32));
}

static void test_idaw2_2k(enum sim_profile p)
{
	each_completion(p, idaw2_2k_body);
}
BOTH_PROFILES(test_idaw2_2k)

/* An IDAW that points outside guest memory is a program check, in either IDAW format. */
static void idaw_outside_body(struct simtest *t)
{
	u32 i1 = 0x7FFFF000u;
	u64 i2 = (u64)1 << 40;
	u64 l1 = idaw1_list(t, &i1, 1), l2 = idaw2_list(t, &i2, 1);
	u64 prog = prog_alloc(t, 1);

	dev_load(t, "abcd", 4);
	simtest_ccw1(t, prog, 0, READ, CCW_FLAG_IDA, 4, (u32)l1);
	run_expect_pc(t, ORB_FMT1, prog, prog);
	prog = prog_alloc(t, 1);
	simtest_ccw1(t, prog, 0, READ, CCW_FLAG_IDA, 4, (u32)l2);
	run_expect_pc(t, ORB_FMT1 | ORB_CTRL_C64, prog, prog);
}

static void test_idaw_outside(enum sim_profile p)
{
	each_completion(p, idaw_outside_body);
}
BOTH_PROFILES(test_idaw_outside)

/* --- TIC (PoP 15, "Transfer in Channel"; A.6 item 3 and TIC rules) -------- */

/* A TIC continues the program at its target; a format-0 TIC ignores the high nibble. */
static void tic_body(struct simtest *t)
{
	u64 data = put(t, "tic!", 4);
	u64 prog = prog_alloc(t, 2), there = prog_alloc(t, 1);
	struct irb irb;

	simtest_ccw1(t, prog, 0, NOP, CCW_FLAG_CC, 0, 0);
	simtest_ccw1(t, prog, 1, TIC, 0, 0, (u32)there);
	simtest_ccw1(t, there, 0, WRITE, 0, 4, (u32)data);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, there, 0);
	CU_ASSERT(dev_holds(t, "tic!", 4));

	prog = prog_alloc(t, 2);
	there = prog_alloc(t, 1);
	simtest_ccw0(t, prog, 0, NOP, CCW_FLAG_CC, 1, 0x1000);
	simtest_ccw0(t, prog, 1, 0xF8, 0, 0, (u32)there);
	simtest_ccw0(t, there, 0, CONTROL, 0, 1, 0x1000);
	CU_ASSERT_EQUAL(run(t, ORB_FMT0, prog, &irb), 0);
	CU_ASSERT_EQUAL(irb_cpa(&irb), there + 8);
	CU_ASSERT_EQUAL(t->dev->last_cmd, CONTROL);
}

static void test_tic(enum sim_profile p)
{
	each_completion(p, tic_body);
}
BOTH_PROFILES(test_tic)

/* A TIC may not transfer to another TIC. */
static void tic_to_tic_body(struct simtest *t)
{
	u64 prog = prog_alloc(t, 4);

	simtest_ccw1(t, prog, 0, NOP, CCW_FLAG_CC, 0, 0);
	simtest_ccw1(t, prog, 1, TIC, 0, 0, (u32)prog + 16);
	simtest_ccw1(t, prog, 2, TIC, 0, 0, (u32)prog + 24);
	simtest_ccw1(t, prog, 3, CONTROL, 0, 0, 0);
	run_expect_pc(t, ORB_FMT1, prog, 0);
	CU_ASSERT_EQUAL(t->dev->commands, 0);
}

static void test_tic_to_tic(enum sim_profile p)
{
	each_completion(p, tic_to_tic_body);
}
BOTH_PROFILES(test_tic_to_tic)

/* A TIC as the first CCW: program check in the architecture, accepted by QEMU. */
static void tic_first_body(struct simtest *t)
{
	u64 prog = prog_alloc(t, 1), there = prog_alloc(t, 1);
	struct irb irb;

	simtest_ccw1(t, prog, 0, TIC, 0, 0, (u32)there);
	simtest_ccw1(t, there, 0, CONTROL, 0, 0, 0);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	if (is_arch(t)) {
		expect_check(&irb, SCSW_CSTAT_PROG_CHECK, 0);
		CU_ASSERT_EQUAL(t->dev->commands, 0);
	} else {
		expect_ok(&irb, there, 0);
		CU_ASSERT_EQUAL(t->dev->commands, 1);
	}
}

static void test_tic_first(enum sim_profile p)
{
	each_completion(p, tic_first_body);
}
BOTH_PROFILES(test_tic_first)

/* Bits 0-3 of a format-1 TIC's command code must be zero (A.6 item 3). */
static void tic_high_nibble_body(struct simtest *t)
{
	u64 prog = prog_alloc(t, 2), there = prog_alloc(t, 1);

	simtest_ccw1(t, prog, 0, NOP, CCW_FLAG_CC, 0, 0);
	simtest_ccw1(t, prog, 1, 0x18, 0, 0, (u32)there);
	simtest_ccw1(t, there, 0, CONTROL, 0, 0, 0);
	run_expect_pc(t, ORB_FMT1, prog, prog + 8);
	CU_ASSERT_EQUAL(t->dev->commands, 0);
}

static void test_tic_high_nibble(enum sim_profile p)
{
	each_completion(p, tic_high_nibble_body);
}
BOTH_PROFILES(test_tic_high_nibble)

/* A TIC's target must be doubleword aligned, like every CCW address (A.6 item 2). */
static void tic_unaligned_body(struct simtest *t)
{
	u64 prog = prog_alloc(t, 2), there = prog_alloc(t, 2);

	simtest_ccw1(t, prog, 0, NOP, CCW_FLAG_CC, 0, 0);
	simtest_ccw1(t, prog, 1, TIC, 0, 0, (u32)there + 4);
	simtest_ccw1(t, there, 0, CONTROL, 0, 0, 0);
	simtest_ccw1(t, there, 1, CONTROL, 0, 0, 0);
	run_expect_pc(t, ORB_FMT1, prog, 0);
	CU_ASSERT_EQUAL(t->dev->commands, 0);
}

static void test_tic_unaligned(enum sim_profile p)
{
	each_completion(p, tic_unaligned_body);
}
BOTH_PROFILES(test_tic_unaligned)

/* QEMU: a format-1 TIC must have flags 0, so CC or CD on it is a program check. */
static void qemu_tic_flags_body(struct simtest *t)
{
	static const u8 flags[] = { CCW_FLAG_CC, CCW_FLAG_CD };

	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		u64 prog = prog_alloc(t, 2), there = prog_alloc(t, 1);

		simtest_ccw1(t, prog, 0, NOP, CCW_FLAG_CC, 0, 0);
		simtest_ccw1(t, prog, 1, TIC, flags[i], 0, (u32)there);
		simtest_ccw1(t, there, 0, CONTROL, 0, 0, 0);
		run_expect_pc(t, ORB_FMT1, prog, prog + 8);
	}
	CU_ASSERT_EQUAL(t->dev->commands, 0);
}

static void test_qemu_tic_flags(void)
{
	each_completion(SIM_PROFILE_QEMU, qemu_tic_flags_body);
}

/* --- The loop bound (sim_config.max_ccws; A.6 item 9) --------------------- */

/* A program that never ends: a chained NOP and a TIC back to it. */
static u64 loop_prog(struct simtest *t, u32 nop_cda)
{
	u64 prog = prog_alloc(t, 2);

	simtest_ccw1(t, prog, 0, NOP, CCW_FLAG_CC, 0, nop_cda);
	simtest_ccw1(t, prog, 1, TIC, 0, 0, (u32)prog);
	return prog;
}

/* CCWs the machine has fetched so far. */
static u64 ccws_fetched(struct simtest *t)
{
	struct sim_stats st;

	sim_get_stats(t->sim, &st);
	return st.ccws;
}

/*
 * A looping program ends with a program check once it has run the
 * configured number of CCWs; it never hangs the caller. The NOP has a
 * data address so QEMU's own guard (below) stays out of the way.
 */
static void test_loop_bound(enum sim_profile p)
{
	for (size_t j = 0; j < ARRAY_SIZE(completions); j++) {
		struct simtest t;

		open_cfg(&t, p, completions[j], SIMTEST_MEM, 100);
		run_expect_pc(&t, ORB_FMT1, loop_prog(&t, 0x1000), 0);
		CU_ASSERT(ccws_fetched(&t) >= 100 && ccws_fetched(&t) <= 101);
		simtest_fini(&t);
	}
}
BOTH_PROFILES(test_loop_bound)

/* With max_ccws 0 the bound is the documented default of 65536 CCWs. */
static void test_loop_default_bound(void)
{
	struct simtest t;

	open_rig(&t, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC);
	run_expect_pc(&t, ORB_FMT1, loop_prog(&t, 0), 0);
	CU_ASSERT(ccws_fetched(&t) >= 65536 && ccws_fetched(&t) <= 65537);
	simtest_fini(&t);
}

/* A straight program of n chained NOPs with data address 0. */
static u64 nop0_prog(struct simtest *t, unsigned n)
{
	u64 prog = prog_alloc(t, n);

	for (unsigned i = 0; i < n; i++)
		simtest_ccw1(t, prog, i, NOP, i + 1 < n ? CCW_FLAG_CC : 0, 0, 0);
	return prog;
}

/*
 * QEMU's guard: the 256th CCW with data address 0 in one program is a
 * program check; 255 are fine. The architecture has no such rule.
 */
static void cda0_body(struct simtest *t)
{
	u64 ok = nop0_prog(t, 255), bad = nop0_prog(t, 300);
	struct irb irb;

	CU_ASSERT_EQUAL(run(t, ORB_FMT1, ok, &irb), 0);
	expect_ok(&irb, ok + 8 * 254, 0);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, bad, &irb), 0);
	if (is_arch(t))
		expect_ok(&irb, bad + 8 * 299, 0);
	else
		expect_check(&irb, SCSW_CSTAT_PROG_CHECK, bad + 8 * 255);
}

static void test_cda0(enum sim_profile p)
{
	each_completion(p, cda0_body);
}
BOTH_PROFILES(test_cda0)

/* --- Addresses and protection (A.6 items 1-2, data-address checks) -------- */

/* Fetching a CCW from outside guest memory is a program check. */
static void ccw_outside_body(struct simtest *t)
{
	u64 prog = prog_alloc(t, 2);

	run_expect_pc(t, ORB_FMT1, SIMTEST_MEM, 0);
	run_expect_pc(t, ORB_FMT1, 0x7FFFFFF8u, 0);
	simtest_ccw1(t, prog, 0, NOP, CCW_FLAG_CC, 0, 0);
	simtest_ccw1(t, prog, 1, TIC, 0, 0, SIMTEST_MEM + 0x1000);
	run_expect_pc(t, ORB_FMT1, prog, 0);
	CU_ASSERT_EQUAL(t->dev->commands, 0);
}

static void test_ccw_outside(enum sim_profile p)
{
	each_completion(p, ccw_outside_body);
}
BOTH_PROFILES(test_ccw_outside)

/* Data outside guest memory, even partly, is a program check; nothing is stored. */
static void data_outside_body(struct simtest *t)
{
	u64 prog = prog_alloc(t, 1);

	simtest_ccw1(t, prog, 0, WRITE, 0, 16, SIMTEST_MEM - 8);
	run_expect_pc(t, ORB_FMT1, prog, prog);
	CU_ASSERT_EQUAL(t->dev->len, 0);

	dev_load(t, "abcd", 4);
	prog = prog_alloc(t, 1);
	simtest_ccw1(t, prog, 0, READ, 0, 4, 0x7FFFF000u);
	run_expect_pc(t, ORB_FMT1, prog, prog);
}

static void test_data_outside(enum sim_profile p)
{
	each_completion(p, data_outside_body);
}
BOTH_PROFILES(test_data_outside)

/* CCW address 0: valid in the architecture (a program can live there); QEMU rejects it. */
static void ccw_at_zero_body(struct simtest *t)
{
	u64 data = put(t, "zero", 4);
	struct irb irb;

	simtest_ccw1(t, 0, 0, WRITE, 0, 4, (u32)data);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, 0, &irb), 0);
	if (is_arch(t)) {
		expect_ok(&irb, 0, 0);
		CU_ASSERT(dev_holds(t, "zero", 4));
	} else {
		expect_check(&irb, SCSW_CSTAT_PROG_CHECK, 0);
		CU_ASSERT_EQUAL(t->dev->commands, 0);
	}
}

static void test_ccw_at_zero(enum sim_profile p)
{
	each_completion(p, ccw_at_zero_body);
}
BOTH_PROFILES(test_ccw_at_zero)

/* A protected CCW cannot be fetched: protection check (PoP 16, "Protection Check"). */
static void protect_ccw_body(struct simtest *t)
{
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	simtest_ccw1(t, prog, 0, CONTROL, 0, 0, 0);
	CU_ASSERT_FATAL(sim_mem_protect(t->sim, prog, 8));
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_check(&irb, SCSW_CSTAT_PROT_CHECK, 0);
	CU_ASSERT_EQUAL(t->dev->commands, 0);
}

static void test_protect_ccw(enum sim_profile p)
{
	each_completion(p, protect_ccw_body);
}
BOTH_PROFILES(test_protect_ccw)

/* Data in protected storage: protection check, for a fetch and for a store (nothing stored). */
static void protect_data_body(struct simtest *t)
{
	u64 w = put(t, "secret", 6), r = fill(t, 0xEE, 4);
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	CU_ASSERT_FATAL(sim_mem_protect(t->sim, w, 6));
	CU_ASSERT_FATAL(sim_mem_protect(t->sim, r, 4));
	simtest_ccw1(t, prog, 0, WRITE, 0, 6, (u32)w);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_check(&irb, SCSW_CSTAT_PROT_CHECK, prog);
	CU_ASSERT_EQUAL(t->dev->len, 0);

	dev_load(t, "abcd", 4);
	prog = prog_alloc(t, 1);
	simtest_ccw1(t, prog, 0, READ, 0, 4, (u32)r);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_check(&irb, SCSW_CSTAT_PROT_CHECK, prog);
	CU_ASSERT(mem_all(t, r, 0xEE, 4));
}

static void test_protect_data(enum sim_profile p)
{
	each_completion(p, protect_data_body);
}
BOTH_PROFILES(test_protect_data)

/* --- Status and sense (A.6 status table, A.9, A.10) ----------------------- */

/* BASIC SENSE of 32 bytes, asserting a normal ending; the address of the sense bytes. */
static u64 basic_sense(struct simtest *t)
{
	u64 buf = fill(t, 0xEE, SENSE_DATA_LEN);
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	simtest_ccw1(t, prog, 0, CCW_CMD_BASIC_SENSE, 0, SENSE_DATA_LEN, (u32)buf);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	return buf;
}

/*
 * Command reject: unit check with alert status and sense byte 0 = 0x80.
 * The architecture ends the command with channel end and device end too;
 * QEMU presents unit check alone (A.6 QUIRK). The unit check stops command
 * chaining. BASIC SENSE returns the sense bytes, then they are gone (A.9).
 */
static void reject_body(struct simtest *t)
{
	static const u8 exp[SENSE_DATA_LEN] = { SENSE0_CMD_REJECT };
	u64 w = put(t, "no", 2);
	u64 prog = prog_alloc(t, 2);
	struct irb irb;
	u64 s;

	simtest_ccw1(t, prog, 0, UNKNOWN, CCW_FLAG_CC, 0, 0);
	simtest_ccw1(t, prog, 1, WRITE, 0, 2, (u32)w);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), FINAL_ALERT);
	CU_ASSERT_EQUAL(irb.scsw.dstat,
			is_arch(t) ? SIMTEST_CEDE | SCSW_DSTAT_UNIT_CHECK : SCSW_DSTAT_UNIT_CHECK);
	CU_ASSERT_EQUAL(irb.scsw.cstat, 0);
	CU_ASSERT_EQUAL(irb_cpa(&irb), prog + 8);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
	CU_ASSERT_EQUAL(t->dev->len, 0);
	/* Without concurrent sense the ECW carries nothing. */
	CU_ASSERT_FALSE(irb_flags(&irb) & SCSW_FLAGS_ECTL);

	s = basic_sense(t);
	CU_ASSERT(mem_is(t, s, exp, SENSE_DATA_LEN));
	s = basic_sense(t);
	CU_ASSERT(mem_all(t, s, 0, SENSE_DATA_LEN));
}

static void test_reject(enum sim_profile p)
{
	each_completion(p, reject_body);
}
BOTH_PROFILES(test_reject)

/* A unit check the device presents with its own sense bytes: BASIC SENSE returns them. */
static void device_uc_body(struct simtest *t)
{
	struct sim_testdev_answer uc = { .result = SIM_IO_OK,
				     .dstat = SIMTEST_CEDE | SCSW_DSTAT_UNIT_CHECK,
				     .sense = { SENSE0_EQUIPMENT_CHECK, 0x5A, 0x00, 0x11 } };
	u64 w = put(t, "no", 2);
	u64 prog = prog_alloc(t, 2);
	struct irb irb;

	uc.sense[SENSE_DATA_LEN - 1] = 0xA5;
	simtest_ccw1(t, prog, 0, CONTROL, CCW_FLAG_CC, 0, 0);
	simtest_ccw1(t, prog, 1, WRITE, 0, 2, (u32)w);
	sim_testdev_set_answer(t->dev, &uc);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), FINAL_ALERT);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE | SCSW_DSTAT_UNIT_CHECK);
	CU_ASSERT_EQUAL(irb.scsw.cstat, 0);
	CU_ASSERT_EQUAL(irb_cpa(&irb), prog + 8);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
	CU_ASSERT(mem_is(t, basic_sense(t), uc.sense, SENSE_DATA_LEN));
}

static void test_device_uc(enum sim_profile p)
{
	each_completion(p, device_uc_body);
}
BOTH_PROFILES(test_device_uc)

/* Set the concurrent-sense bit S in the PMCW characteristics (MSCH). */
static void enable_concurrent_sense(struct simtest *t)
{
	struct schib s;

	CU_ASSERT_EQUAL_FATAL(simtest_stsch(t, t->schid, &s), 0);
	s.pmcw.chars = cpu_to_be32(be32_to_cpu(s.pmcw.chars) | PMCW_CHARS_CSENSE);
	CU_ASSERT_EQUAL_FATAL(simtest_msch(t, t->schid, &s), 0);
}

/*
 * Concurrent sense (A.4): with PMCW S the IRB of a unit check carries the
 * sense bytes in the ECW, flagged by SCSW E and the ERW's S bit; TSCH then
 * clears them, so BASIC SENSE finds none (A.9).
 */
static void concurrent_sense_body(struct simtest *t)
{
	static const u8 exp[SENSE_DATA_LEN] = { SENSE0_CMD_REJECT };
	u64 prog = prog_alloc(t, 1);
	struct irb irb;
	u32 erw;

	enable_concurrent_sense(t);
	simtest_ccw1(t, prog, 0, UNKNOWN, 0, 0, 0);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), FINAL_ALERT);
	CU_ASSERT(irb.scsw.dstat & SCSW_DSTAT_UNIT_CHECK);
	CU_ASSERT(irb_flags(&irb) & SCSW_FLAGS_ECTL);
	CU_ASSERT(memcmp(irb.ecw, exp, SENSE_DATA_LEN) == 0);
	erw = be32_to_cpu(irb.esw[1]);
	CU_ASSERT(erw & ESW_ERW_CONS);
	/* The sense count in ERW bits 10-15 (QEMU puts it elsewhere). */
	if (is_arch(t))
		CU_ASSERT_EQUAL((erw & ESW_ERW_SCNT_MASK) >> ESW_ERW_SCNT_SHIFT, SENSE_DATA_LEN);
	CU_ASSERT(mem_all(t, basic_sense(t), 0, SENSE_DATA_LEN));
}

static void test_concurrent_sense(enum sim_profile p)
{
	each_completion(p, concurrent_sense_body);
}
BOTH_PROFILES(test_concurrent_sense)

/*
 * SENSE ID (A.10) with SLI into a 256-byte area: FF, CU type and model,
 * device type and model from the device's identity; the test device has
 * no CIWs, so it stores bytes 0-6 and the residual is 256 - 7.
 */
static void sense_id_body(struct simtest *t)
{
	static const u8 exp[7] = { 0xFF, SIM_TESTDEV_CU_TYPE >> 8,	SIM_TESTDEV_CU_TYPE & 0xFF,
				   1,	 SIM_TESTDEV_DEV_TYPE >> 8, SIM_TESTDEV_DEV_TYPE & 0xFF,
				   2 };
	u64 buf = fill(t, 0, 256);
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	simtest_ccw1(t, prog, 0, CCW_CMD_SENSE_ID, CCW_FLAG_SLI, 256, (u32)buf);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 256 - 7);
	CU_ASSERT(mem_is(t, buf, exp, 7));
}

static void test_sense_id(enum sim_profile p)
{
	each_completion(p, sense_id_body);
}
BOTH_PROFILES(test_sense_id)

/* SENSE ID of a device with a CIW: the CIW follows at byte 8, 12 bytes in all. */
static void test_sense_id_ciw(enum sim_profile p)
{
	static const u8 exp[12] = { 0xFF, 0x39, 0x90,
				    0xE9, 0x33, 0x90,
				    0x0C, 0x00, CIW_ET_CIW | CIW_CT_RCD,
				    0xFA, 0x00, 0x40 };

	struct sim_dev_config cfg;
	struct simtest t;
	struct sim_testdev *td;
	struct irb irb;
	u64 buf, prog;
	long schid;

	open_rig(&t, p, SIM_COMPLETE_SYNC);
	memset(&cfg, 0, sizeof(cfg));
	cfg.schno = 1;
	cfg.devno = 0x0101;
	cfg.cu_type = 0x3990;
	cfg.cu_model = 0xE9;
	cfg.dev_type = 0x3390;
	cfg.dev_model = 0x0C;
	cfg.ciw[0] = (struct sim_ciw){ CIW_ET_CIW | CIW_CT_RCD, 0xFA, 64 };
	td = sim_testdev_new(64);
	CU_ASSERT_PTR_NOT_NULL_FATAL(td);
	schid = sim_attach(t.sim, &cfg, &sim_testdev_ops, td);
	if (schid < 0)
		sim_testdev_ops.destroy(td);
	CU_ASSERT_FATAL(schid >= 0);
	/* From here on the rig drives the new device. */
	t.schid = (u32)schid;
	t.dev = td;
	simtest_enable(&t, t.schid, 3);

	buf = fill(&t, 0, 256);
	prog = prog_alloc(&t, 1);
	simtest_ccw1(&t, prog, 0, CCW_CMD_SENSE_ID, CCW_FLAG_SLI, 256, (u32)buf);
	CU_ASSERT_EQUAL(run(&t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 256 - 12);
	CU_ASSERT(mem_is(&t, buf, exp, 12));
	simtest_fini(&t);
}
BOTH_PROFILES(test_sense_id_ciw)

/*
 * SENSE ID of 3 bytes with SLI: the architecture stores the first three
 * bytes of the response, FF first; QEMU stores 0 in byte 0 when fewer
 * than 4 bytes go out (A.10).
 */
static void sense_id_short_body(struct simtest *t)
{
	u64 buf = fill(t, 0xEE, 4);
	u64 prog = prog_alloc(t, 1);
	const u8 *b = simtest_ptr(t, buf, 4);
	struct irb irb;

	simtest_ccw1(t, prog, 0, CCW_CMD_SENSE_ID, CCW_FLAG_SLI, 3, (u32)buf);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	CU_ASSERT_EQUAL(b[0], is_arch(t) ? 0xFF : 0x00);
	CU_ASSERT_EQUAL(b[1], SIM_TESTDEV_CU_TYPE >> 8);
	CU_ASSERT_EQUAL(b[2], SIM_TESTDEV_CU_TYPE & 0xFF);
	CU_ASSERT_EQUAL(b[3], 0xEE);
}

static void test_sense_id_short(enum sim_profile p)
{
	each_completion(p, sense_id_short_body);
}
BOTH_PROFILES(test_sense_id_short)

/*
 * A channel-control check (injected) ends the program with alert status,
 * and, being a channel-detected error, with extended status: SCSW L and
 * a subchannel logout in the ESW (A.4).
 */
static void ccc_body(struct simtest *t)
{
	const struct sim_fault f = { .kind = SIM_FAULT_STATUS,
				     .schid = t->schid,
				     .cstat = SCSW_CSTAT_CHN_CTRL_CHK };
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	simtest_ccw1(t, prog, 0, CONTROL, 0, 0, 0);
	CU_ASSERT_EQUAL_FATAL(sim_fault_add(t->sim, &f), 0);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_check(&irb, SCSW_CSTAT_CHN_CTRL_CHK, 0);
	CU_ASSERT(irb_flags(&irb) & SCSW_FLAGS_ESWF);
}

static void test_ccc(enum sim_profile p)
{
	each_completion(p, ccc_body);
}
BOTH_PROFILES(test_ccc)

/*
 * A device busy at initial selection: the start function ends with alert
 * status and device status busy, and no command reached the device; once
 * the status is cleared the same program runs.
 */
static void busy_body(struct simtest *t)
{
	const struct sim_fault f = { .kind = SIM_FAULT_BUSY, .schid = t->schid };
	u64 w = put(t, "busy", 4);
	u64 prog = prog_alloc(t, 1);
	struct irb irb;

	simtest_ccw1(t, prog, 0, WRITE, 0, 4, (u32)w);
	CU_ASSERT_EQUAL_FATAL(sim_fault_add(t->sim, &f), 0);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & (SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND),
			SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND);
	CU_ASSERT(irb.scsw.dstat & SCSW_DSTAT_BUSY);
	CU_ASSERT_EQUAL(t->dev->commands, 0);

	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog, 0);
	CU_ASSERT(dev_holds(t, "busy", 4));
}

static void test_busy(enum sim_profile p)
{
	each_completion(p, busy_body);
}
BOTH_PROFILES(test_busy)

/* --- Halt and clear (PoP 15, "Halt Function", "Clear Function") ----------- */

/* A WRITE with command chaining to a CONTROL. */
static u64 two_cmd_prog(struct simtest *t)
{
	u64 w = put(t, "ab", 2);
	u64 prog = prog_alloc(t, 2);

	simtest_ccw1(t, prog, 0, WRITE, CCW_FLAG_CC, 2, (u32)w);
	simtest_ccw1(t, prog, 1, CONTROL, 0, 0, 0);
	return prog;
}

/* Start a program whose first command never ends; assert it is in progress. */
static u64 start_hung(struct simtest *t)
{
	const struct sim_fault f = { .kind = SIM_FAULT_HANG, .schid = t->schid };
	u64 prog = two_cmd_prog(t);
	struct irb irb;

	CU_ASSERT_EQUAL_FATAL(sim_fault_add(t->sim, &f), 0);
	start(t, ORB_FMT1, prog);
	settle(t);
	CU_ASSERT_EQUAL(sch_ctrl(t) & (SCSW_FCTL_MASK | SCSW_ACTL_SCH_ACTIVE | SCSW_STCTL_MASK),
			SCSW_FCTL_START_FUNC | SCSW_ACTL_SCH_ACTIVE);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 1);
	return prog;
}

/* After the status is taken the subchannel is idle and a new program runs. */
static void expect_idle_and_usable(struct simtest *t)
{
	struct irb irb;
	u64 prog;

	CU_ASSERT_EQUAL(sch_ctrl(t), 0);
	prog = two_cmd_prog(t);
	CU_ASSERT_EQUAL(run(t, ORB_FMT1, prog, &irb), 0);
	expect_ok(&irb, prog + 8, 0);
}

/*
 * HSCH of a program stuck in its first CCW: status pending with the halt
 * function indicated (the architecture keeps the start function beside
 * it), device end, and the CCW address 8 past the halted CCW.
 */
static void halt_hung_body(struct simtest *t)
{
	u64 prog = start_hung(t);
	struct irb irb;

	CU_ASSERT_EQUAL(sim_hsch(t->sim, t->schid), 0);
	settle(t);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 0);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_FCTL_HALT_FUNC);
	if (is_arch(t))
		CU_ASSERT_EQUAL(irb_ctrl(&irb) & SCSW_FCTL_MASK,
				SCSW_FCTL_START_FUNC | SCSW_FCTL_HALT_FUNC);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & SCSW_ACTL_MASK, 0);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT(irb.scsw.dstat & SCSW_DSTAT_DEV_END);
	CU_ASSERT_EQUAL(irb_cpa(&irb), prog + 8);
	CU_ASSERT_EQUAL(t->dev->commands, 0);
	expect_idle_and_usable(t);
}

static void test_halt_hung(enum sim_profile p)
{
	each_completion(p, halt_hung_body);
}
BOTH_PROFILES(test_halt_hung)

/*
 * CSCH of a program stuck in its first CCW: only the clear function and
 * status pending, zero device and subchannel status, the device reset.
 */
static void clear_hung_body(struct simtest *t)
{
	struct irb irb;

	start_hung(t);
	CU_ASSERT_EQUAL(sim_csch(t->sim, t->schid), 0);
	settle(t);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SCSW_FCTL_CLEAR_FUNC | SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(irb.scsw.dstat, 0);
	CU_ASSERT_EQUAL(irb.scsw.cstat, 0);
	CU_ASSERT_EQUAL(t->dev->resets, 1);
	CU_ASSERT_EQUAL(t->dev->commands, 0);
	expect_idle_and_usable(t);
}

static void test_clear_hung(enum sim_profile p)
{
	each_completion(p, clear_hung_body);
}
BOTH_PROFILES(test_clear_hung)

/* Three commands for the deferred tests: CONTROL, WRITE "ab", CONTROL. */
static u64 three_cmd_prog(struct simtest *t)
{
	u64 w = put(t, "ab", 2);
	u64 prog = prog_alloc(t, 3);

	simtest_ccw1(t, prog, 0, CONTROL, CCW_FLAG_CC, 0, 0);
	simtest_ccw1(t, prog, 1, WRITE, CCW_FLAG_CC, 2, (u32)w);
	simtest_ccw1(t, prog, 2, CONTROL, 0, 0, 0);
	return prog;
}

/*
 * Deferred: HSCH after the first command stops the program before the
 * second (status 8 past the first CCW); HSCH while the start is still
 * pending ends it before anything reaches the device.
 */
static void deferred_halt_body(struct simtest *t)
{
	u64 prog = three_cmd_prog(t);
	struct irb irb;

	start(t, ORB_FMT1, prog);
	CU_ASSERT_EQUAL(sim_progress(t->sim), 1);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
	CU_ASSERT_EQUAL(sim_hsch(t->sim, t->schid), 0);
	settle(t);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 0);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_FCTL_HALT_FUNC);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(irb_ctrl(&irb) & SCSW_ACTL_MASK, 0);
	CU_ASSERT_EQUAL(irb_cpa(&irb), prog + 8);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
	CU_ASSERT_EQUAL(t->dev->len, 0);
	CU_ASSERT_EQUAL(sim_progress(t->sim), 0);

	start(t, ORB_FMT1, three_cmd_prog(t));
	CU_ASSERT_EQUAL(sim_hsch(t->sim, t->schid), 0);
	settle(t);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 0);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_FCTL_HALT_FUNC);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
}

static void test_deferred_halt(enum sim_profile p)
{
	struct simtest t;

	open_rig(&t, p, SIM_COMPLETE_DEFERRED);
	deferred_halt_body(&t);
	simtest_fini(&t);
}
BOTH_PROFILES(test_deferred_halt)

/* Deferred: CSCH after the first command ends the program with clear status only. */
static void deferred_clear_body(struct simtest *t)
{
	struct irb irb;

	start(t, ORB_FMT1, three_cmd_prog(t));
	CU_ASSERT_EQUAL(sim_progress(t->sim), 1);
	CU_ASSERT_EQUAL(sim_csch(t->sim, t->schid), 0);
	settle(t);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SCSW_FCTL_CLEAR_FUNC | SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(irb.scsw.dstat, 0);
	CU_ASSERT_EQUAL(irb.scsw.cstat, 0);
	CU_ASSERT_EQUAL(t->dev->commands, 1);
	CU_ASSERT_EQUAL(t->dev->resets, 1);
	expect_idle_and_usable(t);
}

static void test_deferred_clear(enum sim_profile p)
{
	struct simtest t;

	open_rig(&t, p, SIM_COMPLETE_DEFERRED);
	deferred_clear_body(&t);
	simtest_fini(&t);
}
BOTH_PROFILES(test_deferred_clear)

/* --- Completion modes (sim.h "When channel programs run") ----------------- */

/*
 * Deferred: SSCH leaves the start pending (TSCH cc 1) until sim_progress
 * runs; each step executes one command; sim_progress returns 0 once
 * nothing is left, and on an idle machine.
 */
static void deferred_steps_body(struct simtest *t)
{
	u64 prog = three_cmd_prog(t);
	struct irb irb;

	CU_ASSERT_EQUAL(sim_progress(t->sim), 0);
	start(t, ORB_FMT1, prog);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 1);
	CU_ASSERT_EQUAL(irb_ctrl(&irb), SCSW_FCTL_START_FUNC | SCSW_ACTL_START_PEND);
	CU_ASSERT_EQUAL(t->dev->commands, 0);
	for (unsigned i = 1; i <= 3; i++) {
		CU_ASSERT_EQUAL(sim_progress(t->sim), 1);
		CU_ASSERT_EQUAL(t->dev->commands, i);
		if (i < 3)
			CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 1);
	}
	CU_ASSERT_EQUAL(sim_progress(t->sim), 0);
	CU_ASSERT_EQUAL(simtest_tsch(t, t->schid, &irb), 0);
	expect_ok(&irb, prog + 16, 0);
	CU_ASSERT(dev_holds(t, "ab", 2));
}

static void test_deferred_steps(enum sim_profile p)
{
	struct simtest t;

	open_rig(&t, p, SIM_COMPLETE_DEFERRED);
	deferred_steps_body(&t);
	simtest_fini(&t);
}
BOTH_PROFILES(test_deferred_steps)

/* Synchronous: the program has ended when SSCH returns; sim_progress finds nothing. */
static void test_sync_complete(enum sim_profile p)
{
	struct simtest t;
	struct irb irb;
	u64 prog;

	open_rig(&t, p, SIM_COMPLETE_SYNC);
	prog = three_cmd_prog(&t);
	start(&t, ORB_FMT1, prog);
	CU_ASSERT_EQUAL(t.dev->commands, 3);
	CU_ASSERT_EQUAL(sim_progress(t.sim), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, t.schid, &irb), 0);
	expect_ok(&irb, prog + 16, 0);
	simtest_fini(&t);
}
BOTH_PROFILES(test_sync_complete)

/* --- The suite ------------------------------------------------------------ */

static CU_TestInfo sim_ccw_tests[] = {
	BOTH("format-1 CCWs move their data and end with channel end and device end", test_fmt1),
	BOTH("format-0 CCWs take a 24-bit data address, flags in byte 4, count in 6-7", test_fmt0),
	BOTH("format-0 count 0 is a program check, format-1 count 0 is not", test_fmt0_count0),
	BOTH("a format-0 channel program at 16 MiB is a program check", test_fmt0_above_16m),
	BOTH("format-0 CCWs reach storage above 16 MiB through IDAWs", test_fmt0_idaw_above_16m),
	BOTH("a format-1 data address with bit 0 set is a program check", test_fmt1_cda_bit0),
	BOTH("a command code with low nibble 0 is a program check", test_invalid_cmd),
	BOTH("the MIDA flag is a program check", test_mida),
	BOTH("chained commands run in order; the SCSW names the last CCW and its residual", test_chain),
	BOTH("status modifier skips the next CCW", test_status_modifier),
	{ "arch: a WRITE data-chained over three CCWs sends the concatenated bytes",
	  test_cd_write },
	{ "arch: a data-chained READ scatters and reports the CCW where it ended", test_cd_read },
	{ "arch: a data chain continues through a TIC", test_cd_tic },
	{ "arch: a short block ending in a CCW with CD is incorrect length despite SLI",
	  test_cd_short_block },
	{ "qemu: CD does not chain data and the program ends after that CCW", test_qemu_cd },
	{ "qemu: with CD a short READ is a program check even with SLI", test_qemu_cd_sli },
	{ "arch: a length mismatch without SLI is incorrect length and stops chaining", test_il },
	{ "arch: with SLI a length mismatch is not reported and chaining goes on", test_sli },
	{ "qemu: a length mismatch is a program check with device status 0", test_qemu_length },
	BOTH("SKIP on a READ stores nothing but consumes the count", test_skip),
	{ "arch deferred: PCI status is collected by TSCH while the program runs",
	  test_pci_deferred },
	{ "arch synchronous: PCI shows in the final status", test_pci_sync },
	{ "qemu: the PCI flag is ignored", test_qemu_pci },
	{ "arch: a suspension presents intermediate status and RSCH resumes at that CCW",
	  test_suspend },
	BOTH("arch with ORB U, and qemu: a suspension presents no status", test_suspend_silent),
	BOTH("a suspend flag without ORB S is a program check", test_suspend_no_s),
	BOTH("format-1 IDAWs: data crossing a 2 KiB boundary uses the next IDAW", test_idaw1),
	BOTH("a later format-1 IDAW off a 2 KiB boundary: arch program check, qemu passes", test_idaw1_unaligned),
	BOTH("a format-1 IDAW with bit 0 set is a program check", test_idaw1_bit0),
	BOTH("a misaligned IDAW list is a program check", test_idaw_list_align),
	BOTH("format-2 IDAWs use 4 KiB blocks", test_idaw2_4k),
	BOTH("format-2 IDAWs with ORB T use 2 KiB blocks", test_idaw2_2k),
	BOTH("an IDAW outside guest memory is a program check", test_idaw_outside),
	BOTH("a TIC continues at its target; a format-0 TIC ignores the high nibble", test_tic),
	BOTH("a TIC to a TIC is a program check", test_tic_to_tic),
	BOTH("a TIC as the first CCW: arch program check, qemu accepts it", test_tic_first),
	BOTH("a format-1 TIC with a nonzero high nibble is a program check", test_tic_high_nibble),
	BOTH("a TIC to an address not doubleword aligned is a program check", test_tic_unaligned),
	{ "qemu: a TIC with CC or CD is a program check", test_qemu_tic_flags },
	BOTH("a looping program ends with a program check at max_ccws", test_loop_bound),
	{ "a looping program ends at the default bound of 65536 CCWs", test_loop_default_bound },
	BOTH("qemu: the 256th CCW with data address 0 is a program check; arch: no such limit", test_cda0),
	BOTH("a CCW fetch outside guest memory is a program check", test_ccw_outside),
	BOTH("data outside guest memory is a program check", test_data_outside),
	BOTH("CCW address 0: arch runs the program there, qemu program check", test_ccw_at_zero),
	BOTH("fetching a protected CCW is a protection check", test_protect_ccw),
	BOTH("data in protected storage is a protection check", test_protect_data),
	BOTH("command reject: unit check, sense 0x80 by BASIC SENSE, which clears it", test_reject),
	BOTH("a device's unit check keeps its sense bytes for BASIC SENSE", test_device_uc),
	BOTH("concurrent sense puts the sense bytes in the ECW", test_concurrent_sense),
	BOTH("SENSE ID returns FF, CU and device type and model, and the residual", test_sense_id),
	BOTH("SENSE ID stores the device's CIWs after byte 8", test_sense_id_ciw),
	BOTH("SENSE ID of 3 bytes: byte 0 is FF in arch, 0 in qemu", test_sense_id_short),
	BOTH("a channel-control check ends the program with extended status", test_ccc),
	BOTH("busy at selection gives alert status with busy, nothing executed", test_busy),
	BOTH("HSCH of a hung program: halt function, device end, the hung CCW + 8", test_halt_hung),
	BOTH("CSCH of a hung program: clear function, zero status, device reset", test_clear_hung),
	BOTH("deferred: HSCH between CCWs stops the program before the next one", test_deferred_halt),
	BOTH("deferred: CSCH between CCWs ends the program with clear status", test_deferred_clear),
	BOTH("deferred: SSCH stays start pending, sim_progress runs one command per step", test_deferred_steps),
	BOTH("synchronous: the program has ended when SSCH returns", test_sync_complete),
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo sim_ccw_suite = { "sim-ccw", NULL, NULL, NULL, NULL, sim_ccw_tests };
