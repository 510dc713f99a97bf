/*
 * Fuzzer: the simulator's channel subsystem and CCW interpreter
 * (sim/css.c, sim/interp.c) behind every control unit it has, all on one
 * machine: the test device (sim/testdev.h), virtio-ccw with virtio-rng
 * (sim/vdev.h), the 3215 console, a 3390 on a one-cylinder volume (a
 * sealed memory file, so no input changes it for the next), the 3505 card
 * reader and the 1403 printer.
 *
 * The input chooses the profile, the completion mode and the device most
 * operations go to, then a bounded sequence of operations: channel programs
 * of up to MAX_CCWS CCWs in either format (the device's own commands, the
 * channel subsystem's, or any byte; any flags and counts; data addresses in
 * the device's area, at the end of guest memory or anywhere; format-1 and
 * format-2 IDAW lists of 2K or 4K blocks; TICs inside the program or
 * anywhere) started with any ORB (key, S, F, P, I, U, L, H, T, LPM, the ORB
 * and the CCW address anywhere); raw bytes as a program; SSCH, TSCH, HSCH,
 * CSCH, RSCH, XSCH, MSCH, STSCH, TPI and STCRW on any subchannel-id word;
 * SCHM, RCHP, CHSC; deferred steps; injected faults of every kind; the test
 * device's answers; unsolicited status; devices going away and coming
 * back; operator input for the console; problem state.
 *
 * Guest memory is one allocation of its exact size, so AddressSanitizer
 * sees the simulator step outside it. The checks (FUZZ_CHECK):
 *  - every instruction gives the condition code reference/ccw-virtio-
 *    checklist.md A.7 predicts from the subchannel's state (unless a cc was
 *    injected for it), or a program exception it has (A.1, A.3, A.7);
 *  - TSCH stores the status the subchannel had, clears status pending, and
 *    leaves the subchannel idle after final status; the SCSW's fields go
 *    together and its CCW address is 8 past a CCW in guest memory, past the
 *    one the ORB named, or past a doubleword a TIC named;
 *  - with synchronous completion every subchannel is idle, suspended or
 *    waiting on its device after every operation; deferred programs end
 *    within MAX_STEPS steps;
 *  - an operation on one subchannel changes no other's state, and a program
 *    that keeps to its device's area of memory stores nowhere else;
 *  - in the architecture profile every I/O interruption is for a subchannel
 *    that is status pending, with its ISC and interruption parameter;
 *  - TPI and STCRW store what they say;
 *  - a shadow of the test device predicts, for the programs it can, the
 *    data stored, the device's buffer and the final SCSW (residual count,
 *    CCW address, incorrect length) from PoP chapters 15 and 16.
 * Every loop here is bounded; the simulator's own (CCWs per program) is
 * bounded by max_ccws, which the machine sets low.
 *
 * The state of a subchannel is looked at directly (sim/internal.h), so
 * that looking never consumes an injected fault.
 */
#define _GNU_SOURCE   /* memfd_create(), F_ADD_SEALS */
#include <fcntl.h>    /* fcntl(), F_SEAL_* */
#include <sys/mman.h> /* memfd_create() */
#include <unistd.h>   /* write() */

#include "ccw/css_hw.h"
#include "ccw/vccw_hw.h" /* VCCW_CMD_* */
#include "sim/vdev.h"	  /* sim_vdev_rng() */
#include "sim/con3215.h"  /* sim_con3215_add(), sim_con3215_input() */
#include "sim/dasd.h"	  /* sim_dasd_add(), sim_ckd_create(), DASD_CMD_* */
#include "sim/dasd_hw.h" /* the 3990's commands and sense bits */
#include "sim/internal.h" /* struct sim_sch: looking without instructions */
#include "sim/testdev.h"  /* sim_testdev_attach(), SIM_TESTDEV_CMD_* */
#include "sim/unitrec.h"  /* sim_rdr3505_add(), sim_prt1403_add() */
#include "tests/fuzz/fuzz.h"

/* Guest memory: a low area for the instructions' operands, then one area
 * per device (its program, IDAW lists and data), then a scratch area. */
#define MEM	   0x10000u
#define ORB_AT	   0x1000u
#define IRB_AT	   0x1100u
#define SCHIB_AT   0x1200u
#define TPI_AT	   0x1300u
#define CRW_AT	   0x1340u
#define LOWCORE_ID 0xB8u /* where TPI with operand 0 stores */
#define AREA_AT(k) (0x2000u + 0x2000u * (k))
#define AREA_SIZE  0x2000u
#define IDAW_OFF   0x200u /* CCW i's IDAW list: AREA + IDAW_OFF + IDAW_SLICE * i */
#define IDAW_SLICE 0x40u
#define DATA_OFF   0x400u
#define SCRATCH_AT 0xE000u
#define HEADS	   15u /* tracks in a 3390 cylinder */

enum { D_TEST, D_VCCW, D_CON, D_DASD, D_RDR, D_PRT, NDEV };

#define MAX_OPS	     64u
#define MAX_CCWS     8u
#define RAW_PROG     64u
#define MAX_STEPS    4096u /* sim_progress() calls until every program ends */
#define MAX_INTS     64u
#define MEM_CHECKS   8u	     /* programs per input whose stores are checked */
#define MAX_CCWS_RUN 600u    /* the machine's max_ccws: beyond QEMU's 256 with address 0 */
#define CHSC_AT	     0x0000u /* a 4K-aligned CHSC block */
#define MB_AT	     0x1800u /* the measurement-block origin SCHM gives */

/* The instructions beyond enum sim_insn. */
#define I_TPI	(SIM_INSN__COUNT + 0)
#define I_STCRW (SIM_INSN__COUNT + 1)

/* What a subchannel is, looked at from outside the instructions. */
struct view {
	bool present, hung;
	struct sim_pmcw pmcw;
	struct sim_scsw scsw;
};

struct rig {
	struct sim *sim;
	u8 *mem; /* guest memory */
	u32 schid[NDEV];
	unsigned primary; /* the device most operations address */
	bool qemu, deferred, problem;
	u8 cc_fault[NDEV];  /* bit i: a cc was injected for instruction i */
	bool odd_int[NDEV]; /* an interruption without status may be queued */
	u32 cpa[NDEV];	    /* the CCW address the last start named */
	u8 touched;	    /* devices the operation in progress may change */
	bool global;	    /* ... or every device (deferred steps) */
	unsigned mem_checks;
	bool measuring;	    /* SCHM: a start also stores into the measurement block */
	bool chp_reset;	    /* RCHP: a channel-path report may be queued */
	bool trace;	    /* the simulator's trace on (to /dev/null) */
	struct sim_testdev *td; /* the test device */
	bool td_odd;	    /* it had a fault or a set answer, or memory is protected */
};

static u8 snap[MEM];

/* --- Looking ------------------------------------------------------------------ */

static void peek(struct rig *r, unsigned k, struct view *v)
{
	struct sim_sch *sch = sim_find(r->sim, r->schid[k]);

	memset(v, 0, sizeof(*v));
	FUZZ_CHECK(sch);
	v->present = sch->present;
	v->hung = sch->hung;
	memcpy(&v->pmcw, &sch->pmcw, sizeof(v->pmcw));
	memcpy(&v->scsw, &sch->scsw, sizeof(v->scsw));
}

static bool same_view(const struct view *a, const struct view *b)
{
	return a->present == b->present && a->hung == b->hung &&
	       !memcmp(&a->pmcw, &b->pmcw, sizeof(a->pmcw)) &&
	       !memcmp(&a->scsw, &b->scsw, sizeof(a->scsw));
}

/* The device whose subchannel-id word this is exactly, or -1. */
static int dev_of(const struct rig *r, u64 w)
{
	for (unsigned k = 0; k < NDEV; k++)
		if ((u32)w == r->schid[k])
			return (int)k;
	return -1;
}

/* The device a word may address (the simulator may ignore bits), or -1. */
static int target(const struct rig *r, u64 w)
{
	for (unsigned k = 0; k < NDEV; k++)
		if (schid_schno((u32)w) == schid_schno(r->schid[k]) &&
		    schid_ssid((u32)w) == schid_ssid(r->schid[k]))
			return (int)k;
	return -1;
}

/* Note the device an operation may change. */
static void touch(struct rig *r, u64 w)
{
	int t = target(r, w);

	if (t >= 0)
		r->touched |= (u8)(1u << t);
}

/* A subchannel-id word: 1 valid, 0 operand exception (A.1), -1 either
 * (M = 1: multiple-CSS addressing, which the machine does not enable). */
static int sid_valid(const struct rig *r, u32 v)
{
	if (!(v & SCHID_ONE))
		return 0;
	if (v & SCHID_M)
		return -1;
	if (v & SCHID_CSSID_MASK)
		return 0;
	/* Bits 40-43 must be zero; QEMU does not look. */
	if (!r->qemu && (v & SCHID_RESERVED))
		return 0;
	return 1;
}

static bool in_mem(u64 addr, u64 len)
{
	return addr < MEM && len <= MEM - addr;
}

/* The subchannel is usable by SSCH, TSCH, HSCH, CSCH, RSCH, XSCH (A.7). */
static bool operational(const struct rig *r, const struct view *v)
{
	u16 f = v->pmcw.flags;

	if (!v->present)
		return false;
	if (r->qemu)
		return (f & (PMCW_FLAGS_DNV | PMCW_FLAGS_ENA)) != 0;
	return (f & PMCW_FLAGS_DNV) && (f & PMCW_FLAGS_ENA);
}

/* The condition code reference A.7 gives for the state before, or -1. */
static int expect_cc(const struct rig *r, unsigned insn, const struct view *v)
{
	u16 c = v->scsw.ctrl, fc = c & SCSW_FCTL_MASK;
	bool sp = c & SCSW_STCTL_STATUS_PEND;
	bool op = operational(r, v);

	switch (insn) {
	case SIM_INSN_SSCH:
		return !op ? 3 : sp ? 1 : fc ? 2 : 0;
	case SIM_INSN_TSCH:
		return !op ? 3 : sp ? 0 : 1;
	case SIM_INSN_HSCH:
		if (!op)
			return 3;
		if (sp && ((c & SCSW_STCTL_MASK) == SCSW_STCTL_STATUS_PEND ||
			   (c & (SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY | SCSW_STCTL_ALERT))))
			return 1;
		return fc & (SCSW_FCTL_HALT_FUNC | SCSW_FCTL_CLEAR_FUNC) ? 2 : 0;
	case SIM_INSN_CSCH:
		return op ? 0 : 3;
	case SIM_INSN_RSCH:
		if (!op)
			return 3;
		if (sp)
			return 1;
		return fc != SCSW_FCTL_START_FUNC || (c & SCSW_ACTL_RESUME_PEND) ||
				       !(c & SCSW_ACTL_SUSP)
			       ? 2
			       : 0;
	case SIM_INSN_XSCH:
		if (!op)
			return 3;
		if (c & SCSW_STCTL_MASK)
			return 1;
		return fc != SCSW_FCTL_START_FUNC ||
				       !(c & (SCSW_ACTL_RESUME_PEND | SCSW_ACTL_START_PEND |
					      SCSW_ACTL_SUSP)) ||
				       (c & SCSW_ACTL_SCH_ACTIVE)
			       ? 2
			       : 0;
	case SIM_INSN_STSCH:
		return v->present ? 0 : -1;
	case SIM_INSN_MSCH:
		if (!v->present)
			return -1;
		if (!(v->pmcw.flags & PMCW_FLAGS_DNV))
			return 0;
		return sp ? 1 : fc ? 2 : 0;
	default:
		return -1;
	}
}

/* Program exceptions an instruction has (PoP 14; A.7): all are privileged,
 * only those with a storage operand have specification and addressing. */
static bool exception_allowed(unsigned insn, int code)
{
	bool storage = insn == SIM_INSN_STSCH || insn == SIM_INSN_MSCH || insn == SIM_INSN_SSCH ||
		       insn == SIM_INSN_TSCH || insn == I_TPI || insn == I_STCRW;
	bool sid = insn < SIM_INSN__COUNT;

	switch (code) {
	case SIM_PGM_PRIVILEGED:
		return true;
	case SIM_PGM_SPECIFICATION:
	case SIM_PGM_ADDRESSING:
		return storage;
	case SIM_PGM_OPERAND:
		return sid;
	default:
		return false;
	}
}

/* With synchronous completion nothing is left to do after an
 * instruction: a subchannel is idle, status pending, suspended, or
 * waiting on a device that has not ended its command. */
static void check_quiet(struct rig *r, unsigned k)
{
	struct view v;
	u16 c;

	peek(r, k, &v);
	c = v.scsw.ctrl;
	FUZZ_CHECK(!(c & (SCSW_ACTL_START_PEND | SCSW_ACTL_RESUME_PEND | SCSW_ACTL_HALT_PEND |
			  SCSW_ACTL_CLEAR_PEND)));
	FUZZ_CHECK(!(c & SCSW_ACTL_SCH_ACTIVE) || v.hung);
}

/* The SCSW's fields go together (PoP 16, figure 16-3 and "Function
 * Control", "Activity Control", "Status Control"). */
static void check_scsw(struct rig *r, unsigned k, const struct sim_scsw *s, u32 chars)
{
	u16 fc = s->ctrl & SCSW_FCTL_MASK, ac = s->ctrl & SCSW_ACTL_MASK,
	    sc = s->ctrl & SCSW_STCTL_MASK;
	unsigned dcc = (s->flags & SCSW_FLAGS_CC_MASK) >> SCSW_FLAGS_CC_SHIFT;

	FUZZ_CHECK(fc == 0 || fc == SCSW_FCTL_START_FUNC || fc == SCSW_FCTL_HALT_FUNC ||
		   fc == (SCSW_FCTL_START_FUNC | SCSW_FCTL_HALT_FUNC) ||
		   fc == SCSW_FCTL_CLEAR_FUNC);
	if (!r->qemu) {
		/* QEMU's HSCH drops the start function but keeps its state. */
		if (ac & (SCSW_ACTL_START_PEND | SCSW_ACTL_RESUME_PEND | SCSW_ACTL_SUSP))
			FUZZ_CHECK(fc & SCSW_FCTL_START_FUNC);
		if (ac & SCSW_ACTL_HALT_PEND)
			FUZZ_CHECK(fc & SCSW_FCTL_HALT_FUNC);
	}
	if (ac & SCSW_ACTL_CLEAR_PEND)
		FUZZ_CHECK(fc & SCSW_FCTL_CLEAR_FUNC);
	/* Status that ends a start function in error is alert status. */
	if ((sc & SCSW_STCTL_PRIMARY) && (fc & SCSW_FCTL_START_FUNC) &&
	    ((s->dstat & (SCSW_DSTAT_UNIT_CHECK | SCSW_DSTAT_UNIT_EXCEP | SCSW_DSTAT_BUSY |
			  SCSW_DSTAT_ATTENTION)) ||
	     (s->cstat & (u8) ~(SCSW_CSTAT_PCI | SCSW_CSTAT_INCORR_LEN))))
		FUZZ_CHECK(sc & SCSW_STCTL_ALERT);
	/* E: the ECW holds concurrent sense, only after a unit check with
	 * concurrent sense enabled (A.4). */
	if (s->flags & SCSW_FLAGS_ECTL)
		FUZZ_CHECK((s->dstat & SCSW_DSTAT_UNIT_CHECK) && (chars & PMCW_CHARS_CSENSE));
	/* The CCW address: 8 past the CCW the status is for. That one is in
	 * guest memory, or is where the ORB pointed, or a doubleword a TIC
	 * pointed to (a TIC's target is checked for alignment and, in format 0,
	 * has 24 bits). */
	if ((sc & SCSW_STCTL_STATUS_PEND) &&
	    (sc & (SCSW_STCTL_PRIMARY | SCSW_STCTL_INTERMEDIATE)) && (fc & SCSW_FCTL_START_FUNC) &&
	    dcc == 0 && !(r->cc_fault[k] & (1u << SIM_INSN_SSCH))) {
		u32 at = s->cpa - 8;
		u32 limit = (s->flags & SCSW_FLAGS_FMT) ? 0x80000000u : 0x1000000u;

		FUZZ_CHECK(s->cpa >= 8);
		FUZZ_CHECK(at < MEM || at == r->cpa[k] || (!(at & 7) && at < limit));
	}
}

/* What TSCH stored is the status the subchannel had; afterwards it is no
 * longer status pending, and after final status it is idle (PoP 14, "TEST
 * SUBCHANNEL"; A.7). */
static void check_tsch(struct rig *r, unsigned k, const struct view *pre, u64 at, int cc)
{
	struct irb irb;
	struct view post;
	u16 flags, ctrl = pre->scsw.ctrl;
	struct sim_scsw s;

	memcpy(&irb, r->mem + at, 64);
	flags = be16_to_cpu(irb.scsw.flags);
	s.flags = flags;
	s.ctrl = be16_to_cpu(irb.scsw.ctrl);
	s.cpa = be32_to_cpu(irb.scsw.cpa);
	s.dstat = irb.scsw.dstat;
	s.cstat = irb.scsw.cstat;
	s.count = be16_to_cpu(irb.scsw.count);
	FUZZ_CHECK(s.ctrl == ctrl && s.cpa == pre->scsw.cpa && s.dstat == pre->scsw.dstat &&
		   s.cstat == pre->scsw.cstat && s.count == pre->scsw.count);
	/* Flags as they were, plus L and E for the extended status stored. */
	FUZZ_CHECK((flags & (u16) ~(SCSW_FLAGS_ESWF | SCSW_FLAGS_ECTL)) ==
		   (pre->scsw.flags & (u16) ~(SCSW_FLAGS_ESWF | SCSW_FLAGS_ECTL)));
	FUZZ_CHECK((cc == 0) == !!(ctrl & SCSW_STCTL_STATUS_PEND));
	if (cc == 1)
		FUZZ_CHECK(!(flags & (SCSW_FLAGS_ESWF | SCSW_FLAGS_ECTL)) ||
			   (pre->scsw.flags & (SCSW_FLAGS_ESWF | SCSW_FLAGS_ECTL)));
	check_scsw(r, k, &s, pre->pmcw.chars);
	if ((flags & SCSW_FLAGS_ECTL) && !r->qemu) {
		u32 erw = be32_to_cpu(irb.esw[1]);

		FUZZ_CHECK((erw & ESW_ERW_CONS) &&
			   ((erw & ESW_ERW_SCNT_MASK) >> ESW_ERW_SCNT_SHIFT) <= SENSE_DATA_LEN);
	}
	if (cc != 0)
		return;
	peek(r, k, &post);
	FUZZ_CHECK(!(post.scsw.ctrl & SCSW_STCTL_MASK));
	if ((ctrl & SCSW_STCTL_MASK) != (SCSW_STCTL_INTERMEDIATE | SCSW_STCTL_STATUS_PEND))
		FUZZ_CHECK(!(post.scsw.ctrl & (SCSW_FCTL_MASK | SCSW_ACTL_MASK)) || post.hung);
}

/* An I/O interruption the CPU took (or TPI stored): for one of the
 * machine's subchannels; in the architecture one that is status pending,
 * with its ISC and interruption parameter (A.8). */
static void check_int(struct rig *r, u32 schid, u32 intparm, const u32 *iid)
{
	struct view v;
	int k;

	if (schid == 0) {
		FUZZ_CHECK(!iid || (*iid & IO_INT_WORD_AI));
		return;
	}
	k = dev_of(r, schid);
	FUZZ_CHECK(k >= 0);
	if (iid)
		FUZZ_CHECK(!(*iid & IO_INT_WORD_AI));
	if (r->qemu || r->odd_int[k])
		return;
	peek(r, (unsigned)k, &v);
	FUZZ_CHECK(v.present && (v.scsw.ctrl & SCSW_STCTL_STATUS_PEND));
	FUZZ_CHECK(intparm == v.pmcw.intparm);
	if (iid)
		FUZZ_CHECK(((*iid & IO_INT_WORD_ISC_MASK) >> IO_INT_WORD_ISC_SHIFT) ==
			   (u32)((v.pmcw.flags & PMCW_FLAGS_ISC_MASK) >> PMCW_FLAGS_ISC_SHIFT));
}

/* --- The instructions ----------------------------------------------------------- */

/*
 * Execute one instruction and check its answer. For SSCH, addr is the
 * ORB's; orb says whether the ORB there is valid (A.3): 1 yes, 0 no, -1
 * not known.
 */
static int insn(struct rig *r, unsigned which, u64 w, u64 addr, int orb)
{
	int k = dev_of(r, w);
	int sv = sid_valid(r, (u32)w);
	struct view pre;
	int operand; /* as orb */
	bool good;
	int rc, want;

	if (k >= 0)
		peek(r, (unsigned)k, &pre);
	if (which < SIM_INSN__COUNT)
		touch(r, w);
	switch (which) {
	case SIM_INSN_STSCH:
		rc = sim_stsch(r->sim, w, addr);
		operand = !(addr & 3) && in_mem(addr, sizeof(struct schib));
		break;
	case SIM_INSN_MSCH:
		rc = sim_msch(r->sim, w, addr);
		operand = (addr & 3) || !in_mem(addr, sizeof(struct schib)) ? 0 : -1;
		break;
	case SIM_INSN_SSCH:
		rc = sim_ssch(r->sim, w, addr);
		operand = orb;
		break;
	case SIM_INSN_TSCH:
		rc = sim_tsch(r->sim, w, addr);
		operand = !(addr & 3) && in_mem(addr, 64);
		break;
	case SIM_INSN_HSCH:
		rc = sim_hsch(r->sim, w);
		operand = 1;
		break;
	case SIM_INSN_CSCH:
		rc = sim_csch(r->sim, w);
		operand = 1;
		break;
	case SIM_INSN_RSCH:
		rc = sim_rsch(r->sim, w);
		operand = 1;
		break;
	case SIM_INSN_XSCH:
		rc = sim_xsch(r->sim, w);
		operand = 1;
		break;
	case I_TPI:
		rc = sim_tpi(r->sim, addr);
		operand = !(addr & 3) && in_mem(addr ? addr : LOWCORE_ID, addr ? 8 : 12);
		sv = 1;
		break;
	default:
		rc = sim_stcrw(r->sim, addr);
		operand = !(addr & 3) && in_mem(addr, 4);
		sv = 1;
		break;
	}

	if (r->problem) {
		FUZZ_CHECK(rc == -SIM_PGM_PRIVILEGED);
		return rc;
	}
	/* Whatever word started it, the device's status names this program. */
	if (which == SIM_INSN_SSCH && rc == 0 && target(r, w) >= 0)
		r->cpa[target(r, w)] = be32_to_cpu(((const struct orb *)(r->mem + addr))->cpa);
	FUZZ_CHECK(rc != -SIM_PGM_PRIVILEGED);
	if (SIM_IS_PGM(rc)) {
		FUZZ_CHECK(exception_allowed(which, SIM_PGM_CODE(rc)));
		/* A good word and a good operand raise nothing. */
		FUZZ_CHECK(!(sv == 1 && operand == 1));
		return rc;
	}
	/* A bad word or a bad operand always raises one. */
	FUZZ_CHECK(rc <= 3 && sv != 0 && operand != 0);
	good = k >= 0 && (which >= SIM_INSN__COUNT || !(r->cc_fault[k] & (1u << which)));
	/* TSCH has no cc 2, unless one was injected. */
	if (which == SIM_INSN_TSCH && rc == 2) {
		bool injected = false;

		for (unsigned j = 0; j < NDEV; j++)
			injected |= (r->cc_fault[j] >> SIM_INSN_TSCH) & 1;
		FUZZ_CHECK(injected);
	}
	if (which == I_TPI || which == I_STCRW)
		FUZZ_CHECK(rc <= 1);
	if (!good)
		return rc;
	want = expect_cc(r, which, &pre);
	if (want >= 0)
		FUZZ_CHECK(rc == want);
	switch (which) {
	case SIM_INSN_TSCH:
		if (rc <= 1)
			check_tsch(r, (unsigned)k, &pre, addr, rc);
		break;
	case SIM_INSN_STSCH:
		if (rc == 0 && pre.present) {
			const struct schib *s = (const struct schib *)(r->mem + addr);

			FUZZ_CHECK(be16_to_cpu(s->pmcw.devno) == pre.pmcw.devno);
			FUZZ_CHECK(be16_to_cpu(s->scsw.ctrl) == pre.scsw.ctrl);
		}
		break;
	default:
		break;
	}
	return rc;
}

/* TPI and STCRW, with what they store. */
static void tpi(struct rig *r, u64 addr)
{
	u64 at = addr ? addr : LOWCORE_ID;
	int rc = insn(r, I_TPI, 0, addr, -1);
	be32 raw[3];
	u32 iid;
	bool lowcore = !addr;

	if (rc != 1)
		return;
	memcpy(raw, r->mem + at, lowcore ? 12 : 8);
	iid = be32_to_cpu(raw[2]);
	check_int(r, be32_to_cpu(raw[0]), be32_to_cpu(raw[1]), lowcore ? &iid : NULL);
}

static void stcrw(struct rig *r, u64 addr)
{
	be32 crw;
	u32 v;
	int rc = insn(r, I_STCRW, 0, addr, -1);

	if (rc < 0)
		return;
	memcpy(&crw, r->mem + addr, 4);
	v = be32_to_cpu(crw);
	if (rc == 1) {
		FUZZ_CHECK(v == 0);
		return;
	}
	/* Subchannels come and go (A.8), RCHP resets a path. */
	if (((v & CRW_RSC_MASK) >> CRW_RSC_SHIFT) == CRW_RSC_CHP) {
		FUZZ_CHECK(r->chp_reset && (v & CRW_S));
		FUZZ_CHECK(((v & CRW_ERC_MASK) >> CRW_ERC_SHIFT) == CRW_ERC_INIT);
		return;
	}
	FUZZ_CHECK(((v & CRW_RSC_MASK) >> CRW_RSC_SHIFT) == CRW_RSC_SUBCH);
	FUZZ_CHECK(((v & CRW_ERC_MASK) >> CRW_ERC_SHIFT) == CRW_ERC_IPARM);
}

/* Take every pending interruption, as the CPU would, and look at each. */
static void drain(struct rig *r)
{
	struct sim_io_int i;

	for (unsigned n = 0; n < MAX_INTS && sim_take_io_interrupt(r->sim, &i); n++)
		check_int(r, i.schid, i.intparm, &i.iid);
}

/* Deferred completion: run every program to its end (or its device's wait). */
static void settle(struct rig *r)
{
	unsigned n = 0;

	if (!r->deferred)
		return;
	r->global = true;
	while (n < MAX_STEPS && sim_progress(r->sim))
		n++;
	FUZZ_CHECK(n < MAX_STEPS);
	for (unsigned k = 0; k < NDEV; k++)
		check_quiet(r, k);
}

/* --- Picking -------------------------------------------------------------------- */

/* The device an operation is for: mostly the primary one. */
static unsigned pick_dev(struct rig *r, struct fin *f, u8 b)
{
	return (b & 3) == 3 ? fin_u8(f) % NDEV : r->primary;
}

/* The subchannel-id word: the device's, or one that is wrong in some way. */
static u64 pick_schid(struct rig *r, struct fin *f, u8 b, unsigned k)
{
	u8 m;
	u64 w;

	if (!(b & 0x80))
		return r->schid[k];
	m = fin_u8(f);
	switch (m % 8) {
	case 0:
		w = fin_u32(f);
		break;
	case 1:
		w = r->schid[k] | (0x00100000u << (m >> 6)); /* a reserved bit */
		break;
	case 2:
		w = r->schid[k] & ~SCHID_ONE;
		break;
	case 3:
		w = schid_make(1 + (m >> 3) % 3, k); /* a set never made visible */
		break;
	case 4:
		w = schid_make(0, NDEV + (m >> 3)); /* past the last subchannel */
		break;
	case 5:
		w = r->schid[k] | SCHID_M | (u32)(m >> 3) << SCHID_CSSID_SHIFT;
		break;
	case 6:
		w = r->schid[k] | (u32)(1 + (m >> 3)) << SCHID_CSSID_SHIFT; /* CSSID without M */
		break;
	default:
		w = r->schid[k] | (u64)fin_u32(f) << 32; /* bits 0-31 are ignored */
		break;
	}
	return w;
}

/* Command codes: the device's own, the channel subsystem's, or any byte. */
static const u8 cmds_test[] = { SIM_TESTDEV_CMD_WRITE, SIM_TESTDEV_CMD_READ, SIM_TESTDEV_CMD_CONTROL };
static const u8 cmds_vccw[] = {
	VCCW_CMD_SET_VQ,       VCCW_CMD_VDEV_RESET,	 VCCW_CMD_SET_IND,
	VCCW_CMD_SET_CONF_IND, VCCW_CMD_SET_IND_ADAPTER, VCCW_CMD_READ_FEAT,
	VCCW_CMD_WRITE_FEAT,   VCCW_CMD_READ_CONF,	 VCCW_CMD_WRITE_CONF,
	VCCW_CMD_WRITE_STATUS, VCCW_CMD_READ_VQ_CONF,	 VCCW_CMD_SET_VIRTIO_REV,
	VCCW_CMD_READ_STATUS,
};
static const u8 cmds_con[] = { 0x01, 0x09, 0x0A, 0x0B };
static const u8 cmds_dasd[] = {
	DASD_CMD_DEFINE_EXTENT,
	DASD_CMD_LOCATE_RECORD,
	DASD_CMD_READ_DATA,
	DASD_CMD_READ_KD,
	DASD_CMD_READ_COUNT,
	DASD_CMD_READ_CKD,
	DASD_CMD_READ_R0,
	DASD_CMD_READ_HA,
	DASD_CMD_READ_MULTI_CKD,
	DASD_CMD_READ_TRACK,
	DASD_CMD_READ_IPL,
	DASD_CMD_SEEK,
	DASD_CMD_SEEK_CYL,
	DASD_CMD_SEEK_HEAD,
	DASD_CMD_SET_FILE_MASK,
	DASD_CMD_SEARCH_ID_EQ,
	DASD_CMD_SEARCH_KEY_EQ,
	DASD_CMD_SEARCH_HA_EQ,
	DASD_CMD_SEARCH_ID_HI | DASD_CMD_MT,
	DASD_CMD_READ_DATA | DASD_CMD_MT,
	DASD_CMD_WRITE_DATA,
	DASD_CMD_WRITE_KD,
	DASD_CMD_WRITE_UPDATE_DATA,
	DASD_CMD_WRITE_CKD,
	DASD_CMD_WRITE_CKD_NEXT,
	DASD_CMD_WRITE_R0,
	DASD_CMD_WRITE_HA,
	DASD_CMD_ERASE,
	DASD_CMD_RDC,
	DASD_CMD_RCD,
	DASD_CMD_SENSE_PGID,
	DASD_CMD_SET_PGID,
	DASD_CMD_READ_SECTOR,
	DASD_CMD_SET_SECTOR,
	DASD_CMD_RECALIBRATE,
};
static const u8 cmds_rdr[] = { 0x02, 0x42, 0x82, 0x03, 0x23, 0x43 };
static const u8 cmds_prt[] = { 0x01, 0x09, 0x11, 0x19, 0x0B, 0x13, 0x1B,
			       0x89, 0x8B, 0x23, 0x43, 0x73, 0x7B };
static const u8 cmds_css[] = {
	CCW_CMD_WRITE_NOOP, CCW_CMD_BASIC_SENSE, CCW_CMD_SENSE_ID, CCW_CMD_TIC, 0x0C, 0x00
};

static u8 pick_cmd(struct fin *f, unsigned k)
{
	static const struct {
		const u8 *c;
		unsigned n;
	} t[NDEV] = {
		[D_TEST] = { cmds_test, ARRAY_SIZE(cmds_test) },
		[D_VCCW] = { cmds_vccw, ARRAY_SIZE(cmds_vccw) },
		[D_CON] = { cmds_con, ARRAY_SIZE(cmds_con) },
		[D_DASD] = { cmds_dasd, ARRAY_SIZE(cmds_dasd) },
		[D_RDR] = { cmds_rdr, ARRAY_SIZE(cmds_rdr) },
		[D_PRT] = { cmds_prt, ARRAY_SIZE(cmds_prt) },
	};
	u8 c = fin_u8(f);

	if (c < 0xA0)
		return t[k].c[c % t[k].n];
	if (c < 0xF0)
		return cmds_css[c % ARRAY_SIZE(cmds_css)];
	return fin_u8(f);
}

/* A CCW's data: raw bytes, or (byte 0xC0 and up) a parameter block the
 * 3390 understands, so that the interesting paths are a few bytes away. */
static unsigned pick_payload(struct fin *f, unsigned k, u8 *p, unsigned cap)
{
	static const u8 lr_ops[] = { DASD_LR_ORIENT,	DASD_LR_WRITE_DATA,  DASD_LR_FORMAT_WRITE,
				     DASD_LR_READ_DATA, DASD_LR_WRITE_TRACK, DASD_LR_READ_TRACKS,
				     DASD_LR_READ };
	u8 m = fin_u8(f), x, head, rec;
	unsigned n;

	if (m < 0xC0 || k != D_DASD) {
		n = MIN((unsigned)m % 65, cap);
		fin_bytes(f, p, n);
		return n;
	}
	x = fin_u8(f);
	head = x & 0x80 ? (u8)((x & 0x7F) % HEADS) : 0;
	rec = x & 3;
	memset(p, 0, cap);
	switch (m % 8) {
	case 0: /* Define Extent: the file mask, ECKD, the whole cylinder */
		p[0] = fin_u8(f) & (u8)~0x20;
		p[1] = DASD_GATTR_ECKD;
		p[15] = HEADS - 1;
		return 16;
	case 1: { /* Locate Record: an operation, count 1-3, a record on a track,
		   * with x bit 2 the transfer length of that record on track 0 */
		static const u8 tlf[4] = { 8, 24, 144, 80 };
		u8 y = fin_u8(f);
		u8 op = lr_ops[(y & 0x3F) % ARRAY_SIZE(lr_ops)];

		p[0] = (u8)((y & 0xC0) | op);
		p[3] = op == DASD_LR_ORIENT ? 0 : (u8)(1 + (y >> 3) % 3);
		p[7] = head;
		p[11] = head;
		p[12] = rec;
		if (x & 4) {
			p[1] = DASD_LR_AUX_TLF;
			p[15] = tlf[rec];
		}
		return 16;
	}
	case 2: /* Seek */
		p[5] = head;
		return 6;
	case 3: /* Search ID: CCHHR */
		p[3] = head;
		p[4] = rec;
		return 5;
	case 4: { /* Write CKD: a count field, then key and data */
		u8 kl = x >> 5 & 3, dl = fin_u8(f) % 48;

		p[3] = head;
		p[4] = rec;
		p[5] = kl;
		p[7] = dl;
		fin_bytes(f, p + 8, (u32)kl + dl);
		return 8u + kl + dl;
	}
	case 5: /* Set File Mask */
		p[0] = fin_u8(f) & (u8)~0x20;
		return 1;
	case 6: /* Search Key: "IPL1" in EBCDIC */
		p[0] = 0xC9, p[1] = 0xD7, p[2] = 0xD3, p[3] = 0xF1;
		return 4;
	default: /* Set Path Group ID and the like: 12 bytes */
		fin_bytes(f, p, 12);
		return 12;
	}
}

static void mem_put(struct rig *r, u64 addr, const void *buf, u64 len)
{
	if (addr >= MEM)
		return;
	len = MIN(len, (u64)MEM - addr);
	FUZZ_CHECK(sim_mem_write(r->sim, addr, buf, len));
}

static void put_n16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void put_be(struct rig *r, u64 addr, u64 v, unsigned n)
{
	u8 b[8];

	for (unsigned i = 0; i < n; i++)
		b[i] = (u8)(v >> (8 * (n - 1 - i)));
	mem_put(r, addr, b, n);
}

/* --- Channel programs ------------------------------------------------------------- */

/* A CCW as the fuzzer wrote it. */
struct mccw {
	u8 cmd, flags;
	u32 count, cda;
};

struct prog {
	unsigned k;    /* the device: its area holds the program */
	bool confined; /* every address stays inside that area */
	bool fmt1, idaw2;
	u32 block;  /* IDAW block size */
	unsigned n; /* CCWs */
	bool tame;  /* flags only CD, CC, SLI, SKIP and IDA; counts not 0 */
	struct mccw ccw[MAX_CCWS];
};

/*
 * The IDAW list of CCW i (at its slice of the area) for count bytes from
 * first: as many IDAWs as the count needs, each the start of a block in
 * the area, or, unconfined, anywhere. Returns the count it allows.
 */
static u32 put_idaws(struct rig *r, struct fin *f, const struct prog *p, unsigned i, u64 first,
		     u32 count)
{
	u64 area = AREA_AT(p->k), list = area + IDAW_OFF + IDAW_SLICE * i;
	unsigned size = p->idaw2 ? 8 : 4, cap = IDAW_SLICE / size;
	u32 in_first = p->block - (u32)(first & (p->block - 1));
	unsigned need = count <= in_first ? 1 : 1 + (count - in_first + p->block - 1) / p->block;

	if (need > cap) {
		need = cap;
		count = in_first + (cap - 1) * p->block;
	}
	put_be(r, list, first, size);
	for (unsigned j = 1; j < need; j++) {
		u8 m = fin_u8(f);
		u64 a;

		if (p->confined || m < 0xC0) {
			/* The blocks of the area's data part (DATA_OFF is below 2K). */
			unsigned nb = (AREA_SIZE - 0x800u) / p->block;

			a = area + AREA_SIZE - p->block * (1 + m % nb);
		} else if (m < 0xE0) {
			a = MEM - p->block +
			    (m & 1) * p->block; /* the last block, or past memory */
		} else if (m < 0xF0) {
			a = area + DATA_OFF + 16u * (m & 0xF); /* not on a block boundary */
		} else {
			a = fin_u64(f);
		}
		put_be(r, list + (u64)size * j, a, size);
	}
	return count;
}

/* CCW i of the program, and its data. */
static void put_ccw(struct rig *r, struct fin *f, struct prog *p, unsigned i)
{
	u64 area = AREA_AT(p->k), at = area + 8u * i;
	u8 cmd = pick_cmd(f, p->k), flags = fin_u8(f), c, m, payload[64];
	unsigned plen = pick_payload(f, p->k, payload, sizeof(payload));
	u32 count, cda;
	u64 data;
	u8 raw[8];

	if (p->tame)
		flags &= CCW_FLAG_CD | CCW_FLAG_CC | CCW_FLAG_SLI | CCW_FLAG_SKIP | CCW_FLAG_IDA;
	c = fin_u8(f);
	if (c == 0xFD)
		count = plen;
	else if (c == 0xFF)
		count = fin_u16(f);
	else if (c >= 0xE0)
		count = (c - 0xDFu) * 256u;
	else
		count = c;
	if (p->tame && !count)
		count = 1;
	m = fin_u8(f);
	if (p->confined)
		m &= 0x3D; /* modes 0, 1, 4 and 5 below */
	if (CCW_CMD_IS_TIC(cmd)) {
		/* A TIC: to a CCW of this program, or (unconfined) anywhere. */
		switch (m % 4) {
		case 0:
			cda = area + 8u * (fin_u8(f) % p->n);
			break;
		case 1:
			cda = area + 8u * (fin_u8(f) % p->n) + 4;
			break;
		case 2:
			cda = fin_u32(f);
			break;
		default:
			cda = (MEM + 8u * fin_u8(f)) & ~7u;
			break;
		}
		data = MEM; /* no payload */
	} else {
		switch (m % 8) {
		case 0:
		case 4:
			data = area + DATA_OFF + 16u * (m >> 3);
			break;
		case 1:
		case 5:
			data = area + DATA_OFF + fin_u16(f) % (AREA_SIZE - DATA_OFF);
			break;
		case 2:
			data = MEM - MIN(count, MEM) + (m >> 6); /* at the end of memory */
			break;
		case 3:
			data = fin_u32(f);
			break;
		case 6:
			data = SCRATCH_AT + fin_u16(f) % (MEM - SCRATCH_AT);
			break;
		default:
			data = area + fin_u8(f) * 2u; /* the program itself, its IDAWs */
			break;
		}
		if (p->confined)
			count = MIN(count, (u32)(area + AREA_SIZE - data));
		if (flags & CCW_FLAG_IDA) {
			count = put_idaws(r, f, p, i, data, count);
			cda = (u32)(area + IDAW_OFF + IDAW_SLICE * i);
			if (!p->confined && (m & 0x80))
				cda += 2; /* a misaligned IDAW list */
		} else {
			cda = (u32)data;
		}
	}
	if (plen && data < MEM)
		mem_put(r, data, payload, MIN(plen, count ? count : plen));
	if (p->fmt1) {
		struct ccw1 c1 = ccw1_make(cmd, flags, (u16)count, cda);

		memcpy(raw, &c1, 8);
	} else {
		struct ccw0 c0 = ccw0_make(cmd, flags, (u16)count, cda);

		memcpy(raw, &c0, 8);
	}
	mem_put(r, at, raw, 8);
	p->ccw[i] = (struct mccw){ cmd, flags, count & 0xFFFF, cda };
}

/* An ORB at addr; returns whether it is valid (A.3). */
static bool put_orb(struct rig *r, u64 addr, u32 intparm, u32 ctrl, u32 cpa)
{
	struct orb orb;

	memset(&orb, 0, sizeof(orb));
	orb.intparm = cpu_to_be32(intparm);
	orb.ctrl = cpu_to_be32(ctrl);
	orb.cpa = cpu_to_be32(cpa);
	mem_put(r, addr, &orb, sizeof(orb));
	if ((addr & 3) || !in_mem(addr, 12) ||
	    (!r->qemu && (ctrl & ORB_CTRL_ORBX) && !in_mem(addr, sizeof(orb))))
		return false;
	return !(ctrl & (ORB_CTRL_RESERVED | ORB_CTRL_CPTC | ORB_CTRL_MIDAW)) &&
	       !(cpa & ORB_CPA_INVALID);
}

/* The ORB's control word from a byte (bit 5 is not for it), and one more
 * with bit 6 (and the LPM after it with its bit 3). */
static u32 pick_ctrl(struct fin *f, u8 oc, bool *fmt1)
{
	u32 ctrl = 0x80u << ORB_CTRL_LPM_SHIFT;

	ctrl |= oc & 1 ? 0 : ORB_CTRL_FMT;
	ctrl |= oc & 2 ? ORB_CTRL_SPND : 0;
	ctrl |= oc & 4 ? ORB_CTRL_C64 : 0;
	ctrl |= oc & 8 ? ORB_CTRL_I2K : 0;
	ctrl |= oc & 16 ? ORB_CTRL_PFCH : 0;
	if (oc & 64) {
		u8 e = fin_u8(f);

		ctrl |= (u32)(e >> 5) << (ORB_CTRL_KEY_SHIFT + 1);
		ctrl |= e & 1 ? ORB_CTRL_ILS : 0;
		ctrl |= e & 2 ? ORB_CTRL_SSIC : 0;
		ctrl |= e & 4 ? ORB_CTRL_ALCC : 0;
		ctrl |= e & 16 ? ORB_CTRL_ISIC : 0;
		if (e & 8) {
			ctrl &= ~ORB_CTRL_LPM_MASK;
			ctrl |= (u32)fin_u8(f) << ORB_CTRL_LPM_SHIFT;
		}
	}
	*fmt1 = ctrl & ORB_CTRL_FMT;
	return ctrl;
}

/* --- A shadow of the test device's programs ----------------------------------------- */

/*
 * For the programs it can predict: the architecture profile, synchronous
 * completion, a confined program of the test device's WRITE, READ, NOP and
 * CONTROL with CD, CC, SLI, SKIP and IDA, no fault or set answer. It says
 * from PoP chapters 15 and 16 what the program stores, what the device
 * holds after it, and the status it ends with: the residual count and CCW
 * address of the CCW the transfer ended in, incorrect length unless SLI
 * (without CD) in that CCW, no command chaining after it, program check at
 * the zero CCW after the last. The test device takes all a WRITE offers
 * and gives back what it holds (sim/testdev.h).
 */
struct shadow {
	u8 area[AREA_SIZE]; /* the device's area as it should be */
	u8 buf[65536];	    /* the device's buffer */
	u32 len;
	struct sim_scsw scsw; /* the status it should end with */
};

static struct shadow sh;

static bool shadow_fits(struct rig *r, const struct prog *p, u64 w, u32 ctrl, int orb_ok)
{
	struct view v;
	u32 lpm = (ctrl & ORB_CTRL_LPM_MASK) >> ORB_CTRL_LPM_SHIFT;

	if (r->qemu || r->deferred || r->problem || r->td_odd || p->k != D_TEST || !p->confined ||
	    (u32)w != r->schid[D_TEST] || orb_ok != 1 ||
	    (r->cc_fault[D_TEST] & (1u << SIM_INSN_SSCH)))
		return false;
	peek(r, D_TEST, &v);
	if (expect_cc(r, SIM_INSN_SSCH, &v) != 0 || !(lpm & v.pmcw.pam & v.pmcw.pom))
		return false;
	for (unsigned i = 0; i < p->n; i++) {
		const struct mccw *c = &p->ccw[i];
		bool data = c->cmd == SIM_TESTDEV_CMD_WRITE || c->cmd == SIM_TESTDEV_CMD_READ;
		bool first = !i || !(p->ccw[i - 1].flags & CCW_FLAG_CD);

		if (!data && c->cmd != CCW_CMD_WRITE_NOOP && c->cmd != SIM_TESTDEV_CMD_CONTROL)
			return false;
		if (!data && first && (c->flags & CCW_FLAG_CD))
			return false; /* a data chain of a command that moves no data */
		if (c->flags &
		    (u8) ~(CCW_FLAG_CD | CCW_FLAG_CC | CCW_FLAG_SLI | CCW_FLAG_SKIP | CCW_FLAG_IDA))
			return false;
		if (c->count == 0)
			return false;
	}
	return !(p->ccw[p->n - 1].flags & CCW_FLAG_CD);
}

static u64 shadow_idaw(const struct rig *r, const struct prog *p, u32 list, u32 k)
{
	unsigned size = p->idaw2 ? 8 : 4;
	u64 v = 0;

	for (unsigned i = 0; i < size; i++)
		v = v << 8 | r->mem[list + (u64)size * k + i];
	return v;
}

/* Byte o of a CCW's data: its guest address, and how many follow it there. */
static u64 shadow_addr(const struct rig *r, const struct prog *p, const struct mccw *c, u32 o,
		       u32 *run)
{
	u64 first, a;
	u32 in_first, rest;

	if (!(c->flags & CCW_FLAG_IDA)) {
		*run = c->count - o;
		return (u64)c->cda + o;
	}
	first = shadow_idaw(r, p, c->cda, 0);
	in_first = p->block - (u32)(first & (p->block - 1));
	if (o < in_first) {
		*run = MIN(in_first - o, c->count - o);
		return first + o;
	}
	rest = o - in_first;
	a = shadow_idaw(r, p, c->cda, 1 + rest / p->block);
	*run = MIN(p->block - rest % p->block, c->count - o);
	return a + rest % p->block;
}

/* Move len bytes at offset off of one CCW's data between buf and the area. */
static void shadow_xfer(const struct rig *r, const struct prog *p, const struct mccw *c, u32 off,
			u8 *buf, u32 len, bool store)
{
	u64 area = AREA_AT(p->k);

	while (len) {
		u32 run;
		u64 a = shadow_addr(r, p, c, off, &run);

		run = MIN(run, len);
		FUZZ_CHECK(a >= area && a + run <= area + AREA_SIZE); /* confined */
		if (!store)
			memcpy(buf, sh.area + (a - area), run);
		else if (!(c->flags & CCW_FLAG_SKIP))
			memcpy(sh.area + (a - area), buf, run);
		off += run;
		buf += run;
		len -= run;
	}
}

static void shadow_end(u8 dstat, u8 cstat, u32 count, u64 ccw)
{
	sh.scsw.dstat = dstat;
	sh.scsw.cstat = cstat;
	sh.scsw.count = (u16)count;
	sh.scsw.cpa = (u32)(ccw + 8);
}

/* Run the program in the shadow; false when its end is not well defined
 * (a transfer that stops exactly between two data-chained CCWs). */
static bool shadow_run(struct rig *r, const struct prog *p, u32 ctrl)
{
	u64 area = AREA_AT(p->k);
	bool ils = !p->fmt1 && (ctrl & ORB_CTRL_ILS);
	unsigned i = 0;

	memcpy(sh.area, r->mem + area, AREA_SIZE);
	sh.len = r->td->len;
	memcpy(sh.buf, r->td->buf, sh.len);
	for (;;) {
		const struct mccw *c = &p->ccw[i];
		unsigned last = i, s;
		u32 total = 0, want = 0, done = 0, at, start;

		while (p->ccw[last].flags & CCW_FLAG_CD)
			last++;
		for (unsigned j = i; j <= last; j++)
			total += p->ccw[j].count;
		switch (c->cmd) {
		case SIM_TESTDEV_CMD_WRITE:
			for (unsigned j = i, off = 0; j <= last; off += p->ccw[j++].count)
				shadow_xfer(r, p, &p->ccw[j], 0, sh.buf + off, p->ccw[j].count,
					    false);
			sh.len = want = done = total;
			break;
		case SIM_TESTDEV_CMD_READ:
			want = sh.len;
			done = MIN(sh.len, total);
			for (unsigned j = i, off = 0; j <= last && off < done;
			     off += p->ccw[j++].count)
				shadow_xfer(r, p, &p->ccw[j], 0, sh.buf + off,
					    MIN(p->ccw[j].count, done - off), true);
			break;
		case CCW_CMD_WRITE_NOOP:
			want = total;
			break;
		default: /* CONTROL */
			break;
		}
		/* The CCW the transfer ended in. */
		for (s = i, start = 0; s < last && done >= start + p->ccw[s].count; s++)
			start += p->ccw[s].count;
		if (s > i && done == start)
			return false;
		at = done - start;
		if (want != total &&
		    !((p->ccw[s].flags & CCW_FLAG_SLI) && !(p->ccw[s].flags & CCW_FLAG_CD)) &&
		    !ils) {
			shadow_end(SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END, SCSW_CSTAT_INCORR_LEN,
				   p->ccw[s].count - at, area + 8u * s);
			return true;
		}
		if (!(p->ccw[last].flags & CCW_FLAG_CC)) {
			shadow_end(SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END, 0, p->ccw[s].count - at,
				   area + 8u * s);
			return true;
		}
		i = last + 1;
		if (i == p->n) {
			/* Chained into the zero CCW: an invalid command code. */
			shadow_end(0, SCSW_CSTAT_PROG_CHECK, 0, area + 8u * i);
			return true;
		}
	}
}

/* What the simulator did against what the shadow says. */
static void shadow_check(struct rig *r, const struct prog *p)
{
	u16 sc = SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY | SCSW_STCTL_STATUS_PEND;
	struct view v;

	peek(r, p->k, &v);
	if (sh.scsw.cstat & SCSW_CSTAT_PROG_CHECK)
		sc |= SCSW_STCTL_ALERT;
	FUZZ_CHECK(v.scsw.ctrl == (SCSW_FCTL_START_FUNC | sc));
	FUZZ_CHECK(v.scsw.dstat == sh.scsw.dstat && v.scsw.cstat == sh.scsw.cstat);
	FUZZ_CHECK(v.scsw.cpa == sh.scsw.cpa && v.scsw.count == sh.scsw.count);
	FUZZ_CHECK(!memcmp(r->mem + AREA_AT(p->k), sh.area, AREA_SIZE));
	FUZZ_CHECK(r->td->len == sh.len && !memcmp(r->td->buf, sh.buf, sh.len));
}

static void start(struct rig *r, unsigned k, u64 w, const struct prog *p, u64 orb_at, u32 ctrl,
		  u32 cpa, u8 b)
{
	int orb_ok = put_orb(r, orb_at, 0xC0000000u | (u32)k << 16 | p->n, ctrl, cpa);
	bool check = p->confined && !r->deferred && !r->measuring && r->mem_checks < MEM_CHECKS &&
		     (u32)w == r->schid[k];
	u64 area = AREA_AT(k);
	bool shadow;
	int rc;

	if (check) {
		memcpy(snap, r->mem, MEM);
		r->mem_checks++;
	}
	shadow = cpa == AREA_AT(k) && orb_at == ORB_AT && shadow_fits(r, p, w, ctrl, orb_ok) &&
		 shadow_run(r, p, ctrl);
	rc = insn(r, SIM_INSN_SSCH, w, orb_at, orb_ok);
	if (shadow) {
		FUZZ_CHECK(rc == 0);
		shadow_check(r, p);
		if (fuzz_tracing())
			fprintf(stderr, "fuzz_ccw: the shadow agrees (cpa 0x%08x count %u)\n",
				sh.scsw.cpa, sh.scsw.count);
	}
	/* A program that keeps to its area stores nowhere else. */
	if (check) {
		FUZZ_CHECK(!memcmp(snap, r->mem, area));
		FUZZ_CHECK(!memcmp(snap + area + AREA_SIZE, r->mem + area + AREA_SIZE,
				   MEM - area - AREA_SIZE));
	}
	if (rc == 0 && (b & 0x20))
		settle(r);
	if (!(b & 0x40))
		insn(r, SIM_INSN_TSCH, w, IRB_AT, -1);
}

/* A channel program of the device's commands, started with SSCH. */
static void program(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f), oc = fin_u8(f);
	struct prog p;
	u64 w, orb_at = ORB_AT;
	u32 ctrl, cpa;

	memset(&p, 0, sizeof(p));
	p.k = pick_dev(r, f, b);
	w = pick_schid(r, f, b, p.k);
	p.n = 1 + (b >> 2) % MAX_CCWS;
	ctrl = pick_ctrl(f, oc, &p.fmt1);
	p.confined = !(oc & 0x80);
	p.tame = oc & 0x20;
	p.idaw2 = ctrl & ORB_CTRL_C64;
	p.block = p.idaw2 ? (ctrl & ORB_CTRL_I2K ? IDAW2_BLOCK_2K : IDAW2_BLOCK_4K) : IDAW1_BLOCK;
	cpa = AREA_AT(p.k);
	if (oc & 0x80) {
		/* The ORB or the CCW address somewhere else, or any control word. */
		u8 t = fin_u8(f);

		switch (t % 8) {
		case 0:
			cpa = fin_u32(f);
			break;
		case 1:
			cpa += 1 + (t >> 3) % 7; /* not a doubleword */
			break;
		case 2:
			cpa = MEM - 8 + 8u * ((t >> 3) % 3); /* the last doubleword, or past it */
			break;
		case 3:
			cpa = (t & 0x80) ? 0x1000000u : 0; /* 16 MiB (format 0's limit), or 0 */
			break;
		case 4:
			cpa += 8u * ((t >> 3) % p.n); /* into the middle */
			break;
		case 5:
			ctrl = fin_u32(f);
			p.fmt1 = ctrl & ORB_CTRL_FMT;
			p.idaw2 = ctrl & ORB_CTRL_C64;
			p.block = p.idaw2 ? (ctrl & ORB_CTRL_I2K ? IDAW2_BLOCK_2K : IDAW2_BLOCK_4K)
					  : IDAW1_BLOCK;
			break;
		case 6:
			orb_at = (t & 0x80) ? MEM - 12 + (t >> 3) % 16 : ORB_AT + 1 + (t >> 3) % 3;
			break;
		default:
			ctrl |= ORB_CTRL_ORBX;
			orb_at = (t & 0x80) ? MEM - 12 : ORB_AT;
			break;
		}
	}
	for (unsigned i = 0; i < p.n; i++)
		put_ccw(r, f, &p, i);
	/* Two zero CCWs after it: chaining past the end, or skipping one after
	 * status modifier, ends in program check, not in whatever is there. */
	if (p.confined)
		mem_put(r, AREA_AT(p.k) + 8u * p.n, (const u8[16]){ 0 }, 16);
	start(r, p.k, w, &p, orb_at, ctrl, cpa, b);
}

/* Raw bytes as a channel program, with any control word. */
static void raw_program(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f), buf[RAW_PROG];
	struct prog p;
	unsigned n;
	u64 w;
	u32 ctrl;

	memset(&p, 0, sizeof(p));
	p.k = pick_dev(r, f, b);
	w = pick_schid(r, f, b, p.k);
	n = 8u * (1 + (b >> 2) % (RAW_PROG / 8));
	p.n = n / 8;
	ctrl = b & 0x10 ? fin_u32(f) : pick_ctrl(f, fin_u8(f) & 0x7F, &p.fmt1);
	fin_bytes(f, buf, n);
	mem_put(r, AREA_AT(p.k), buf, n);
	start(r, p.k, w, &p, ORB_AT, ctrl, AREA_AT(p.k), b);
}

/* Bytes anywhere: IDAW lists, CCWs, data, the ORB. */
static void poke(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f), n = fin_u8(f) % 64, buf[64];
	unsigned k = pick_dev(r, f, b);
	u64 a;

	switch ((b >> 2) % 4) {
	case 0:
		a = AREA_AT(k) + fin_u16(f) % AREA_SIZE;
		break;
	case 1:
		a = AREA_AT(k) + IDAW_OFF + fin_u8(f);
		break;
	case 2:
		a = ORB_AT + fin_u8(f) % 32;
		break;
	default:
		a = fin_u16(f) % MEM;
		break;
	}
	fin_bytes(f, buf, n);
	mem_put(r, a, buf, n);
}

/* --- The other operations -------------------------------------------------------- */

/* SCHM, RCHP and CHSC: what the machine has beyond the subchannels. */
static void channel(struct rig *r, struct fin *f, u8 m)
{
	int rc;

	switch (m % 3) {
	case 0: {
		/* Measurement on (block at MB_AT, or anywhere) or off. */
		u64 r1 = m & 0x80 ? fin_u32(f) : m & 0x40 ? 2 : 0;
		u64 r2 = m & 0x20 ? fin_u64(f) : MB_AT;

		rc = sim_schm(r->sim, r1, r2);
		if (!SIM_IS_PGM(rc) && (r1 & 2))
			r->measuring = true;
		break;
	}
	case 1:
		rc = sim_rchp(r->sim, m & 0x80 ? fin_u32(f) : 0);
		if (rc == 0)
			r->chp_reset = true;
		break;
	default: {
		/* Store-subchannel-characteristics, or set-domain-attributes
		 * (multiple subchannel sets), or any request. */
		static const u16 lens[3] = { 0x10, 0x400, 0x10 };
		u8 req[16];
		u16 code = m & 0x40 ? 0x0031 : 0x0010;

		memset(req, 0, sizeof(req));
		put_n16(req, lens[(m >> 3) % 3]);
		put_n16(req + 2, code);
		if (code == 0x0031)
			req[7] = 2;
		if (m & 0x80)
			fin_bytes(f, req, sizeof(req));
		mem_put(r, CHSC_AT, req, sizeof(req));
		rc = sim_chsc(r->sim, m & 0x20 ? CHSC_AT + 8 : CHSC_AT);
		break;
	}
	}
	if (r->problem) {
		FUZZ_CHECK(rc == -SIM_PGM_PRIVILEGED);
		return;
	}
	FUZZ_CHECK(rc == 0 || rc == 3 || rc == -SIM_PGM_OPERAND || rc == -SIM_PGM_SPECIFICATION ||
		   rc == -SIM_PGM_ADDRESSING);
}

static void instruction(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f), m = fin_u8(f);
	unsigned k = pick_dev(r, f, b);
	u64 w = pick_schid(r, f, b, k);
	u64 addr = m & 0x80 ? (m & 0x40 ? MEM - 4 + (m & 3) : IRB_AT + 1 + (m & 1)) : IRB_AT;
	int rc;

	switch ((b >> 2) % 11) {
	case 10:
		channel(r, f, m);
		break;
	case 0: /* SSCH again with whatever ORB is there */
		rc = insn(r, SIM_INSN_SSCH, w, ORB_AT, -1);
		if (rc == 0 && (m & 1))
			settle(r);
		break;
	case 1:
		insn(r, SIM_INSN_TSCH, w, addr, -1);
		break;
	case 2:
		insn(r, SIM_INSN_HSCH, w, 0, -1);
		break;
	case 3:
		insn(r, SIM_INSN_CSCH, w, 0, -1);
		break;
	case 4:
		insn(r, SIM_INSN_RSCH, w, 0, -1);
		break;
	case 5:
		insn(r, SIM_INSN_XSCH, w, 0, -1);
		break;
	case 6:
		insn(r, SIM_INSN_STSCH, w, m & 0x80 ? addr : SCHIB_AT, -1);
		break;
	case 7:
		tpi(r, m & 0x80 ? addr : m & 1 ? 0 : TPI_AT);
		break;
	case 8:
		stcrw(r, m & 0x80 ? addr : CRW_AT);
		break;
	default:
		/* Deferred steps: a few, or to the end. */
		r->global = true;
		if (m & 1) {
			settle(r);
		} else {
			for (unsigned n = 0; n < 1u + m % 8 && sim_progress(r->sim); n++)
				;
		}
		break;
	}
	/* HSCH, CSCH or RSCH of a device under way, then its end. */
	if (r->deferred && (m & 0x20))
		settle(r);
}

/* MSCH: enable or disable, the ISC, concurrent sense, the LPM; or raw. */
static void modify(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f), m = fin_u8(f);
	unsigned k = pick_dev(r, f, b);
	u64 w = pick_schid(r, f, b, k);
	struct view v;
	struct schib s;

	peek(r, k, &v);
	memset(&s, 0, sizeof(s));
	if (m & 0x80) {
		fin_bytes(f, &s, sizeof(s));
	} else {
		u16 flags = v.pmcw.flags & (u16) ~(PMCW_FLAGS_ISC_MASK | PMCW_FLAGS_ENA);

		flags |= (u16)((m & 7) << PMCW_FLAGS_ISC_SHIFT);
		flags |= m & 8 ? 0 : PMCW_FLAGS_ENA;
		s.pmcw.flags = cpu_to_be16(flags);
		s.pmcw.intparm = cpu_to_be32(0xD0000000u | m);
		s.pmcw.lpm = m & 0x10 ? 0 : 0x80;
		s.pmcw.pom = 0xFF;
		s.pmcw.chars = cpu_to_be32(m & 0x20 ? PMCW_CHARS_CSENSE : 0);
	}
	mem_put(r, SCHIB_AT, &s, sizeof(s));
	insn(r, SIM_INSN_MSCH, w, m & 0x40 ? (b & 4 ? SCHIB_AT + 2 : MEM - 8) : SCHIB_AT, -1);
}

static void fault(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f);
	unsigned k = pick_dev(r, f, b);
	struct sim_fault ft;

	if (b & 0x80) {
		if (b & 0x40) {
			sim_fault_clear(r->sim);
		} else if (sim_fault_spurious_int(r->sim, r->schid[k]) == 0) {
			r->odd_int[k] = true;
		}
		return;
	}
	memset(&ft, 0, sizeof(ft));
	/* Every kind, and one past the last. */
	ft.kind = (enum sim_fault_kind)(fin_u8(f) % (SIM_FAULT_USED_RING + 2));
	ft.schid = r->schid[k];
	ft.insn = (enum sim_insn)(fin_u8(f) % SIM_INSN__COUNT);
	ft.cc = fin_u8(f) % 4;
	ft.count = fin_u8(f) % 4;
	ft.dstat = fin_u8(f);
	ft.cstat = fin_u8(f);
	ft.cmd = b & 4 ? pick_cmd(f, k) : 0;
	fin_bytes(f, ft.sense, sizeof(ft.sense));
	if (k == D_TEST)
		r->td_odd = true;
	if (sim_fault_add(r->sim, &ft) != 0)
		return;
	if (ft.kind == SIM_FAULT_CC)
		r->cc_fault[k] |= (u8)(1u << ft.insn);
	if (ft.kind == SIM_FAULT_SPURIOUS)
		r->odd_int[k] = true;
}

/* A device goes or comes back; a range is protected; problem state;
 * the ISC mask; operator input for the console; the test device's next
 * answer; unsolicited status; an adapter interruption. */
static void world(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f);
	unsigned k = pick_dev(r, f, b);

	switch ((b >> 2) % 8) {
	case 5: {
		struct sim_testdev *t = sim_find(r->sim, r->schid[D_TEST])->cu;
		struct sim_testdev_answer a;

		memset(&a, 0, sizeof(a));
		a.result = (enum sim_io_result)(fin_u8(f) % (SIM_IO_HANG + 1));
		a.dstat = fin_u8(f);
		a.sticky = b & 0x80;
		fin_bytes(f, a.sense, sizeof(a.sense));
		sim_testdev_set_answer(t, &a);
		r->td_odd = true;
		break;
	}
	case 6:
		r->touched |= (u8)(1u << k);
		(void)sim_unsolicited(r->sim, r->schid[k], b & 0x80 ? fin_u8(f) : 0);
		break;
	case 7: {
		/* Whether an interruption is pending is what taking one finds. */
		struct sim_io_int i;
		bool pending;

		sim_adapter_interrupt(r->sim, fin_u8(f));
		pending = sim_io_int_pending(r->sim);
		FUZZ_CHECK(pending == sim_take_io_interrupt(r->sim, &i));
		if (pending)
			check_int(r, i.schid, i.intparm, &i.iid);
		break;
	}
	case 0:
		r->touched |= (u8)(1u << k);
		FUZZ_CHECK(sim_set_present(r->sim, r->schid[k], b & 0x80) == 0);
		break;
	case 1: {
		u64 a = b & 0x80 ? AREA_AT(k) + fin_u16(f) % AREA_SIZE : fin_u16(f) % MEM;

		(void)sim_mem_protect(r->sim, a, fin_u16(f) % 0x1000u);
		r->td_odd = true;
		break;
	}
	case 2:
		r->problem = b & 0x80;
		sim_set_problem_state(r->sim, r->problem);
		break;
	case 3:
		sim_set_isc_mask(r->sim, fin_u8(f));
		break;
	default: {
		char line[SIM_CON3215_BUF + 8];
		u8 n = fin_u8(f) % sizeof(line);
		struct sim_con3215 *c = sim_con3215_find(r->sim, r->schid[D_CON]);

		FUZZ_CHECK(c);
		fin_bytes(f, line, n);
		r->touched |= 1u << D_CON;
		(void)sim_con3215_input(c, line, n);
		break;
	}
	}
}

/* --- The machine ----------------------------------------------------------------------- */

/* A memory file that never changes: the simulated 3390 keeps what a program
 * writes in its private mapping of the image (sim/ckd.h), and the seal makes
 * the write-back fail, so every input starts from the same volume. */
static int sealed_file(const char *name, const void *data, size_t len, char *path, size_t plen)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

	FUZZ_CHECK(fd >= 0);
	snprintf(path, plen, "/proc/self/fd/%d", fd);
	if (data)
		FUZZ_CHECK(write(fd, data, len) == (ssize_t)len);
	return fd;
}

static void seal(int fd)
{
	FUZZ_CHECK(fcntl(fd, F_ADD_SEALS,
			 F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) == 0);
}

static const char *volume(void)
{
	static char path[64];
	static bool made;
	char why[SIM_WHY_LEN];
	int fd;

	if (made)
		return path;
	fd = sealed_file("fuzz_ccw-3390", NULL, 0, path, sizeof(path));
	if (sim_ckd_create(path, 1, "FUZZ01", why) != 0) {
		fprintf(stderr, "fuzz_ccw: %s\n", why);
		abort();
	}
	seal(fd);
	made = true;
	return path;
}

/* Three cards in EBCDIC for the reader. */
static const char *deck(void)
{
	static char path[64];
	static bool made;
	u8 cards[3 * 80];

	if (made)
		return path;
	memset(cards, 0x40, sizeof(cards));
	for (unsigned i = 0; i < 3; i++)
		memcpy(cards + 80 * i, (const u8[]){ 0xC3, 0xC1, 0xD9, 0xC4, (u8)(0xF1 + i) }, 5);
	seal(sealed_file("fuzz_ccw-deck", cards, sizeof(cards), path, sizeof(path)));
	made = true;
	return path;
}

/* Enable a subchannel for ISC k, with concurrent sense or without. */
static void enable(struct rig *r, unsigned k, bool csense)
{
	struct schib s;

	FUZZ_CHECK(sim_stsch(r->sim, r->schid[k], SCHIB_AT) == 0);
	memcpy(&s, r->mem + SCHIB_AT, sizeof(s));
	s.pmcw.flags = cpu_to_be16((u16)(be16_to_cpu(s.pmcw.flags) | PMCW_FLAGS_ENA |
					 (k % CSS_ISC_COUNT) << PMCW_FLAGS_ISC_SHIFT));
	s.pmcw.lpm = 0x80;
	if (csense)
		s.pmcw.chars = cpu_to_be32(be32_to_cpu(s.pmcw.chars) | PMCW_CHARS_CSENSE);
	memcpy(r->mem + SCHIB_AT, &s, sizeof(s));
	FUZZ_CHECK(sim_msch(r->sim, r->schid[k], SCHIB_AT) == 0);
}

/*
 * The header: mode (bit 0 qemu, 1 deferred, 2 MSS, 3 the 3390 read-only,
 * 4 subchannels left disabled, 5 concurrent sense, 6 ISC mask 0, 7 the
 * console disconnected), then the primary device and options (bits 0-2
 * the device, 3 a deck in the reader, 4 unit exception at its end, 5 the
 * printer's CR LF, 6 max_ccws 8, 7 the trace on, to /dev/null).
 */
static void machine(struct rig *r, struct fin *f)
{
	u8 mode = fin_u8(f), o = fin_u8(f);
	struct sim_config cfg = {
		.mem_size = MEM,
		.profile = mode & 1 ? SIM_PROFILE_QEMU : SIM_PROFILE_ARCH,
		.completion = mode & 2 ? SIM_COMPLETE_DEFERRED : SIM_COMPLETE_SYNC,
		.mss = mode & 4,
		.max_ccws = o & 0x40 ? 8 : MAX_CCWS_RUN,
	};
	struct sim_dev_config dev;
	struct sim_rng_opts ro;
	struct sim_con3215_opts co;
	struct sim_dasd_opts dopts;
	struct sim_rdr_opts rd;
	struct sim_prt_opts po;
	char why[SIM_WHY_LEN];
	long s[NDEV];

	r->qemu = mode & 1;
	r->deferred = mode & 2;
	r->trace = o & 0x80;
	r->primary = (o & 7) % NDEV;
	r->sim = sim_create(&cfg);
	FUZZ_CHECK(r->sim);
	r->mem = sim_mem_ptr(r->sim, 0, MEM);
	FUZZ_CHECK(r->mem);
	sim_set_isc_mask(r->sim, mode & 0x40 ? 0x00 : 0xFF);

	memset(&dev, 0, sizeof(dev));
	dev.schno = D_TEST;
	dev.devno = 0x0100;
	s[D_TEST] = sim_testdev_attach(r->sim, 0, D_TEST, 0x0100, &r->td);

	dev.schno = D_VCCW;
	dev.devno = 0x0101;
	memset(&ro, 0, sizeof(ro));
	ro.seeded = true;
	ro.seed = 7;
	s[D_VCCW] = sim_vdev_rng(r->sim, &dev, NULL, &ro);

	dev.schno = D_CON;
	dev.devno = 0x0009;
	memset(&co, 0, sizeof(co));
	co.out_fd = -1;
	co.in_fd = -1;
	co.disconnected = mode & 0x80;
	s[D_CON] = sim_con3215_add(r->sim, &dev, &co, why);

	dev.schno = D_DASD;
	dev.devno = 0x0120;
	memset(&dopts, 0, sizeof(dopts));
	dopts.path = volume();
	dopts.read_only = mode & 8;
	s[D_DASD] = sim_dasd_add(r->sim, &dev, &dopts, why);

	dev.schno = D_RDR;
	dev.devno = 0x000C;
	memset(&rd, 0, sizeof(rd));
	rd.path = o & 8 ? deck() : NULL;
	rd.format = SIM_RDR_EBCDIC;
	rd.eof = o & 0x10;
	s[D_RDR] = sim_rdr3505_add(r->sim, &dev, &rd, why);

	dev.schno = D_PRT;
	dev.devno = 0x000E;
	memset(&po, 0, sizeof(po));
	po.fd = -1;
	po.crlf = o & 0x20;
	s[D_PRT] = sim_prt1403_add(r->sim, &dev, &po, why);

	for (unsigned k = 0; k < NDEV; k++) {
		FUZZ_CHECK(s[k] >= 0);
		r->schid[k] = (u32)s[k];
		if (!(mode & 16))
			enable(r, k, mode & 32);
	}
}

/* FUZZ_TRACE=1: what each subchannel and device ended with. */
static void report(struct rig *r)
{
	static const char *const names[NDEV] = { "testdev", "virtio-rng", "3215",
						 "3390",    "3505",	  "1403" };
	struct sim_dasd_stats ds;
	struct sim_con3215_stats cs;
	struct sim_unitrec_stats us;

	for (unsigned k = 0; k < NDEV; k++) {
		struct view v;

		peek(r, k, &v);
		fprintf(stderr,
			"%-10s 0.0.%04x present %d pmcw flags 0x%04x scsw flags 0x%04x ctrl 0x%04x "
			"cpa 0x%08x dstat 0x%02x cstat 0x%02x count %u%s\n",
			names[k], schid_schno(r->schid[k]), v.present, v.pmcw.flags, v.scsw.flags,
			v.scsw.ctrl, v.scsw.cpa, v.scsw.dstat, v.scsw.cstat, v.scsw.count,
			v.hung ? " (device busy)" : "");
	}
	sim_dasd_get_stats(sim_dasd_find(r->sim, r->schid[D_DASD]), &ds);
	fprintf(stderr, "3390: commands %llu read %llu written %llu unit checks %llu\n",
		(unsigned long long)ds.commands, (unsigned long long)ds.records_read,
		(unsigned long long)ds.records_written, (unsigned long long)ds.unit_checks);
	sim_con3215_get_stats(sim_con3215_find(r->sim, r->schid[D_CON]), &cs);
	fprintf(stderr, "3215: writes %llu reads %llu waits %llu rejects %llu\n",
		(unsigned long long)cs.writes, (unsigned long long)cs.reads,
		(unsigned long long)cs.waits, (unsigned long long)cs.rejects);
	for (unsigned k = D_RDR; k <= D_PRT; k++)
		if (sim_unitrec_get_stats(r->sim, r->schid[k], &us))
			fprintf(stderr, "%s: records %llu ends %llu rejects %llu\n", names[k],
				(unsigned long long)us.records, (unsigned long long)us.ends,
				(unsigned long long)us.rejects);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fin in = { data, size };
	struct rig r;

	memset(&r, 0, sizeof(r));
	machine(&r, &in);
	if (fuzz_tracing()) {
		sim_trace(r.sim, stderr, SIM_TRACE_ALL);
	} else if (r.trace) {
		static FILE *null;

		if (!null)
			null = fopen("/dev/null", "w");
		FUZZ_CHECK(null);
		sim_trace(r.sim, null, SIM_TRACE_ALL);
	}
	for (unsigned op = 0; op < MAX_OPS && fin_left(&in); op++) {
		struct view before[NDEV], after;

		for (unsigned k = 0; k < NDEV; k++)
			peek(&r, k, &before[k]);
		r.touched = 0;
		r.global = false;
		switch (fin_u8(&in) % 12) {
		case 0:
		case 1:
		case 2:
			program(&r, &in);
			break;
		case 3:
			raw_program(&r, &in);
			break;
		case 4:
			poke(&r, &in);
			break;
		case 5:
		case 6:
			instruction(&r, &in);
			break;
		case 7:
			modify(&r, &in);
			break;
		case 8:
			fault(&r, &in);
			break;
		case 9:
			world(&r, &in);
			break;
		default:
			drain(&r);
			break;
		}
		/* An operation on one subchannel leaves the others as they were. */
		for (unsigned k = 0; k < NDEV && !r.global; k++) {
			if (r.touched & (1u << k))
				continue;
			peek(&r, k, &after);
			FUZZ_CHECK(same_view(&before[k], &after));
		}
		if (!r.deferred)
			for (unsigned k = 0; k < NDEV; k++)
				check_quiet(&r, k);
	}
	settle(&r);
	drain(&r);
	if (fuzz_tracing())
		report(&r);
	sim_destroy(r.sim);
	return 0;
}
