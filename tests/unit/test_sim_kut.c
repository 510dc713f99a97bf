/*
 * The kvm-unit-tests s390x "css" behaviours (checklist section E, items 1
 * to 13) replayed against the simulator as that test sees a QEMU guest: the
 * QEMU profile, synchronous completion, and one virtio-net-like subchannel
 * whose control unit identifies as 0x3832 model 1 and knows nothing beyond
 * the commands the channel subsystem answers itself (SENSE ID, BASIC SENSE,
 * NOP).
 *
 * Every test builds and destroys its own machine. "Offset 1" and "offset 2"
 * are byte offsets into a 4 KiB-aligned scratch page. The instructions give
 * a condition code, or the negated program-interruption code (E, simulator
 * requirements: specification 0x0006, operand 0x0015, privileged operation
 * 0x0002), and a program exception suppresses the instruction.
 */
#include <string.h> /* memcpy, memset */

#include "sim/sim.h"
#include "sim/testdev.h"
#include "tests/unit/simtest.h"
#include "tests/unit/unit.h"

#define KUT_PAGE 4096u
/* E: the I/O handler runs with ISC 3 enabled in CR6 (0x80 >> 3). */
#define KUT_ISC 3u
#define KUT_ISC_MASK (0x80u >> KUT_ISC)
/* E.3: attempts to enable before giving up. */
#define KUT_ENABLE_TRIES 5
/* E.4: SENSE ID into a 256-byte buffer; the ORB is {I, F, LPM 0x80}. */
#define KUT_SENSEID_LEN 256u
#define KUT_ORB_CTRL (ORB_CTRL_ISIC | ORB_CTRL_FMT | (0x80u << ORB_CTRL_LPM_SHIFT))
/* B.1, A.10: the virtio control-unit type; model 1 is virtio-net. */
#define KUT_CU_TYPE 0x3832u
#define KUT_CU_MODEL 1u
#define KUT_CHPID_TYPE 0x32u
/* E.6, E.7: SENSE IDs run per measurement. */
#define KUT_MEASURED 10u
/* A.7: the measurement-block update bit of SCHM's GPR 1. */
#define SCHM_UPDATE 0x2u
/* A.11: a format-0 block is 32 bytes, a format-1 block 64-byte aligned. */
#define MB0_SIZE 32u
#define MB1_ALIGN 64u

/* E.1: CHSC store-channel-subsystem-characteristics. */
#define CHSC_SCSC 0x0010u
#define CHSC_SCSC_REQ_LEN 0x0010u
#define CHSC_RESP_OK 0x0001u
/* The response header (length, code) and a reserved word, then the
 * general-characteristics bits. */
#define CHSC_SCSC_GENERAL 8u
/* General characteristics bit 48: the extended measurement block. */
#define CHSC_GENERAL_BIT 48u

/* E.11, E.13: a subchannel number nobody installed, and a word without the one bit. */
#define SID_ABSENT 0x0001FFFFu
#define SID_NO_ONE 0x0000FFFFu

/* A machine, its virtio-net-like subchannel and the operands the tests use. */
struct kut {
	struct simtest t; /* machine and bump allocator (simtest helpers work on it) */
	u32 net;          /* subchannel-id word sim_attach() gave the device */
	u64 page;         /* scratch page for the operand-alignment cases */
	u64 schib;        /* word-aligned SCHIB for STSCH and MSCH */
	u64 irb;          /* word-aligned IRB for TSCH */
	u64 orb;          /* the SENSE ID ORB */
	u64 prog;         /* the SENSE ID CCW */
	u64 buf;          /* its 256-byte data area */
};

/*
 * A check the rest of the test stands on: report it, and on failure skip to
 * the label "out" so the machine is still destroyed.
 */
#define REQUIRE(cond)                                                                  \
	do {                                                                           \
		bool req_ok_ = (cond);                                                 \
		CU_assertImplementation(req_ok_ ? CU_TRUE : CU_FALSE, __LINE__, #cond, \
					__FILE__, "", CU_FALSE);                       \
		if (!req_ok_)                                                          \
			goto out;                                                      \
	} while (0)

/*
 * Build the machine: QEMU profile, synchronous completion, ISC 3 enabled,
 * and the virtio-net-like device at subchannel net_schno of set 0.
 */
static bool kut_init(struct kut *k, int net_schno)
{
	const struct sim_config cfg = simtest_config(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC);
	const struct sim_dev_config net = {
		.ssid = 0,
		.schno = net_schno,
		.devno = 0x0000,
		.cu_type = KUT_CU_TYPE,
		.cu_model = KUT_CU_MODEL,
		.senseid_len = KUT_SENSEID_LEN,
		.chpid = 0,
		.chpid_type = KUT_CHPID_TYPE,
		.initially_enabled = true,
	};
	long sid;

	memset(k, 0, sizeof(*k));
	if (!simtest_open(&k->t, &cfg))
		return false;
	sim_set_isc_mask(k->t.sim, KUT_ISC_MASK);
	sid = sim_attach(k->t.sim, &net, &sim_reject_ops, NULL);
	if (sid < 0) {
		simtest_fini(&k->t);
		return false;
	}
	k->net = (u32)sid;
	k->page = simtest_alloc(&k->t, KUT_PAGE, KUT_PAGE);
	k->schib = simtest_alloc(&k->t, sizeof(struct schib), 8);
	k->irb = simtest_alloc(&k->t, sizeof(struct irb), 8);
	k->orb = simtest_alloc(&k->t, sizeof(struct orb), 8);
	k->prog = simtest_alloc(&k->t, sizeof(struct ccw1), 8);
	k->buf = simtest_alloc(&k->t, KUT_SENSEID_LEN, 8);
	return true;
}

static void kut_fini(struct kut *k)
{
	simtest_fini(&k->t);
}

static struct sim *kut_sim(struct kut *k)
{
	return k->t.sim;
}

static void *kut_ptr(struct kut *k, u64 addr, u64 len)
{
	return simtest_ptr(&k->t, addr, len);
}

/* STSCH into the machine's SCHIB; copied out only when it was stored (cc 0). */
static int kut_stsch(struct kut *k, u32 sid, struct schib *out)
{
	int rc = sim_stsch(kut_sim(k), sid, k->schib);

	if (rc == 0)
		memcpy(out, kut_ptr(k, k->schib, sizeof(*out)), sizeof(*out));
	return rc;
}

static int kut_msch(struct kut *k, u32 sid, const struct schib *in)
{
	memcpy(kut_ptr(k, k->schib, sizeof(*in)), in, sizeof(*in));
	return sim_msch(kut_sim(k), sid, k->schib);
}

static u16 pmcw_flags(const struct schib *s)
{
	return be16_to_cpu(s->pmcw.flags);
}

static void set_pmcw_flags(struct schib *s, u16 flags)
{
	s->pmcw.flags = cpu_to_be16(flags);
}

/* Fill n bytes of guest memory at addr with v. */
static void kut_fill(struct kut *k, u64 addr, u8 v, u64 n)
{
	memset(kut_ptr(k, addr, n), v, n);
}

/* Whether n bytes at addr all hold v (an operand a suppressed instruction left alone). */
static bool kut_untouched(struct kut *k, u64 addr, u8 v, u64 n)
{
	const u8 *p = kut_ptr(k, addr, n);

	for (u64 i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * E.3: STSCH, set ENA and ISC 3, MSCH, and STSCH again until it shows the
 * subchannel enabled, at most five times (the simulator needs no delay
 * between attempts). Returns the number of attempts, 0 on failure.
 */
static int kut_enable(struct kut *k, u32 sid)
{
	struct schib s;

	for (int i = 1; i <= KUT_ENABLE_TRIES; i++) {
		u16 f;

		if (kut_stsch(k, sid, &s) != 0)
			return 0;
		f = pmcw_flags(&s) & (u16)~PMCW_FLAGS_ISC_MASK;
		set_pmcw_flags(&s, f | PMCW_FLAGS_ENA | (u16)(KUT_ISC << PMCW_FLAGS_ISC_SHIFT));
		if (kut_msch(k, sid, &s) != 0)
			continue;
		if (kut_stsch(k, sid, &s) == 0 && (pmcw_flags(&s) & PMCW_FLAGS_ENA))
			return i;
	}
	return 0;
}

/*
 * E.4: one format-1 SENSE ID with SLI into the 256-byte buffer, ORB
 * {intparm = SID, I, F, LPM 0x80}; SSCH cc 0; the I/O interruption carries
 * the SID as its parameter; TSCH cc 0. Each expectation is asserted here;
 * the IRB is returned and the result says whether the steps all worked.
 */
static bool kut_sense_id(struct kut *k, u32 sid, struct irb *irb)
{
	struct orb *o = kut_ptr(k, k->orb, sizeof(*o));
	struct sim_io_int ii;
	const u8 *id;
	u16 ctrl, residual;
	int rc;

	kut_fill(k, k->buf, 0, KUT_SENSEID_LEN);
	simtest_ccw1(&k->t, k->prog, 0, CCW_CMD_SENSE_ID, CCW_FLAG_SLI, KUT_SENSEID_LEN,
		     (u32)k->buf);
	memset(o, 0, sizeof(*o));
	o->intparm = cpu_to_be32(sid);
	o->ctrl = cpu_to_be32(KUT_ORB_CTRL);
	o->cpa = cpu_to_be32((u32)k->prog);

	rc = sim_ssch(kut_sim(k), sid, k->orb);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc != 0)
		return false;

	/* The interruption handler: the parameter is the SID the ORB carried. */
	CU_ASSERT_TRUE(sim_take_io_interrupt(kut_sim(k), &ii));
	CU_ASSERT_EQUAL(ii.schid, sid);
	CU_ASSERT_EQUAL(ii.intparm, sid);
	CU_ASSERT_EQUAL((ii.iid & IO_INT_WORD_ISC_MASK) >> IO_INT_WORD_ISC_SHIFT, KUT_ISC);

	rc = sim_tsch(kut_sim(k), sid, k->irb);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc != 0)
		return false;
	memcpy(irb, kut_ptr(k, k->irb, sizeof(*irb)), sizeof(*irb));

	/* Status pending with primary or secondary status. */
	ctrl = irb_ctrl(irb);
	CU_ASSERT(ctrl & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT(ctrl & (SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY));
	/* Device end or channel end; no subchannel status beyond IL. */
	CU_ASSERT(irb->scsw.dstat & (SCSW_DSTAT_DEV_END | SCSW_DSTAT_CHN_END));
	CU_ASSERT_EQUAL(irb->scsw.cstat & (u8)~SCSW_CSTAT_INCORR_LEN, 0);
	/* A residual, if reported, still leaves at least 8 bytes transferred. */
	residual = irb_count(irb);
	CU_ASSERT(residual <= KUT_SENSEID_LEN);
	if (residual)
		CU_ASSERT(KUT_SENSEID_LEN - residual >= 8);
	/* A.10: byte 0 is 0xFF, bytes 1-2 the control-unit type. */
	id = kut_ptr(k, k->buf, KUT_SENSEID_LEN);
	CU_ASSERT_EQUAL(id[0], SENSEID_RESERVED_FF);
	CU_ASSERT_EQUAL(((u16)id[1] << 8) | id[2], KUT_CU_TYPE);
	return (ctrl & SCSW_STCTL_STATUS_PEND) && id[0] == SENSEID_RESERVED_FF &&
	       (((u16)id[1] << 8) | id[2]) == KUT_CU_TYPE;
}

/*
 * E.1: CHSC SCSC (code 0x0010, request length 0x10) in a 4 KiB-aligned
 * block. Returns the instruction's result; *resp gets the response code and
 * *bit48 general characteristics bit 48.
 */
static int kut_scsc(struct kut *k, u16 *resp, bool *bit48)
{
	u64 blk = simtest_alloc(&k->t, KUT_PAGE, KUT_PAGE);
	u8 *p = kut_ptr(k, blk, KUT_PAGE);
	be16 v;
	int rc;

	v = cpu_to_be16(CHSC_SCSC_REQ_LEN);
	memcpy(p, &v, 2);
	v = cpu_to_be16(CHSC_SCSC);
	memcpy(p + 2, &v, 2);
	rc = sim_chsc(kut_sim(k), blk);
	memcpy(&v, p + CHSC_SCSC_REQ_LEN + 2, 2);
	*resp = be16_to_cpu(v);
	*bit48 = p[CHSC_SCSC_REQ_LEN + CHSC_SCSC_GENERAL + CHSC_GENERAL_BIT / 8] &
		 (0x80u >> (CHSC_GENERAL_BIT % 8));
	return rc;
}

/* --- E.1 ------------------------------------------------------------------------ */

static void test_e1_chsc_scsc(void)
{
	struct kut k;
	u16 resp = 0;
	bool bit48 = false;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	/* E.1: the command is executed (cc 0) and answered with code 0x0001. */
	CU_ASSERT_EQUAL(kut_scsc(&k, &resp, &bit48), 0);
	CU_ASSERT_EQUAL(resp, CHSC_RESP_OK);
	/* E.1, A.11: general bit 48 (extended measurement block) is advertised,
	 * or E.7 would be skipped. */
	CU_ASSERT_TRUE(bit48);
	kut_fini(&k);
}

/* --- E.2 ------------------------------------------------------------------------ */

static void test_e2_enumerate(void)
{
	struct kut k;
	struct sim_testdev *td = NULL;
	struct schib s;
	u32 found = 0;
	unsigned n, dnv = 0;
	int rc = 0;

	/*
	 * A hole at subchannel 0, the virtio-net-like device at 1 and a test
	 * device at 2: the first subchannel with DNV=1 is the virtio one, and
	 * the hole below the last installed subchannel must not end the walk
	 * (A.7: QEMU stores an empty SCHIB with cc 0 there).
	 */
	CU_ASSERT_FATAL(kut_init(&k, 1));
	REQUIRE(sim_testdev_attach(kut_sim(&k), 0, 2, 0x0002, &td) == (long)schid_make(0, 2));

	/* E.2: STSCH with SID 0x00010000 + n from 0 until cc 3. */
	for (n = 0; n <= 0xFFFE; n++) {
		memset(&s, 0, sizeof(s));
		rc = kut_stsch(&k, SCHID_ONE | n, &s);
		if (rc != 0)
			break;
		/* Only I/O subchannels (type 0) count. */
		if ((be32_to_cpu(s.pmcw.chars) & PMCW_CHARS_ST_MASK) >> PMCW_CHARS_ST_SHIFT)
			continue;
		if (!(pmcw_flags(&s) & PMCW_FLAGS_DNV))
			continue;
		dnv++;
		if (!found)
			found = SCHID_ONE | n;
	}
	/* cc 1 or 2, or a program exception, is an error: only cc 3 ends it. */
	CU_ASSERT_EQUAL(rc, 3);
	/* The walk ends just past the highest installed subchannel. */
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(dnv, 2);
	/* The test device is the virtio-net-like one. */
	CU_ASSERT_EQUAL(found, k.net);
out:
	kut_fini(&k);
}

/* --- E.3 ------------------------------------------------------------------------ */

static void test_e3_enable(void)
{
	struct kut k;
	struct schib s;
	int tries;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	REQUIRE(kut_stsch(&k, k.net, &s) == 0);
	CU_ASSERT_FALSE(pmcw_flags(&s) & PMCW_FLAGS_ENA);

	/* E.3: enabled with ISC 3 within five attempts. */
	tries = kut_enable(&k, k.net);
	CU_ASSERT(tries >= 1 && tries <= KUT_ENABLE_TRIES);
	REQUIRE(kut_stsch(&k, k.net, &s) == 0);
	CU_ASSERT(pmcw_flags(&s) & PMCW_FLAGS_ENA);
	CU_ASSERT_EQUAL((pmcw_flags(&s) & PMCW_FLAGS_ISC_MASK) >> PMCW_FLAGS_ISC_SHIFT, KUT_ISC);
	/* MSCH changes only the modifiable fields: the identity stays. */
	CU_ASSERT(pmcw_flags(&s) & PMCW_FLAGS_DNV);
	CU_ASSERT_EQUAL(be16_to_cpu(s.pmcw.devno), 0x0000);
out:
	kut_fini(&k);
}

/* --- E.4 ------------------------------------------------------------------------ */

static void test_e4_sense_id(void)
{
	struct kut k;
	struct irb irb;
	const u8 *id;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	REQUIRE(kut_enable(&k, k.net) > 0);
	/* E.4: every step and the IRB are checked by kut_sense_id(). */
	REQUIRE(kut_sense_id(&k, k.net, &irb));
	/* A.10: the model byte is the virtio device ID (1, net). */
	id = kut_ptr(&k, k.buf, KUT_SENSEID_LEN);
	CU_ASSERT_EQUAL(id[3], KUT_CU_MODEL);
	/* One completion, one interruption: nothing else is queued. */
	CU_ASSERT_FALSE(sim_io_int_pending(kut_sim(&k)));
out:
	kut_fini(&k);
}

/* --- E.5 ------------------------------------------------------------------------ */

static void test_e5_schm(void)
{
	struct kut k;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	/* E.5, A.7: with update, the origin must be 32-byte aligned. */
	CU_ASSERT_EQUAL(sim_schm(kut_sim(&k), SCHM_UPDATE, 0x1), -SIM_PGM_OPERAND);
	/* E.5: reserved flag bits in GPR 1. */
	CU_ASSERT_EQUAL(sim_schm(kut_sim(&k), 0xFFFFFFFCu, 0), -SIM_PGM_OPERAND);
	/* E.5, A.7: every I/O instruction is privileged. */
	sim_set_problem_state(kut_sim(&k), true);
	CU_ASSERT_EQUAL(sim_schm(kut_sim(&k), SCHM_UPDATE, 0), -SIM_PGM_PRIVILEGED);
	sim_set_problem_state(kut_sim(&k), false);
	/* E.5: origin 0 with update is valid, and so is switching off. */
	CU_ASSERT_EQUAL(sim_schm(kut_sim(&k), SCHM_UPDATE, 0), 0);
	CU_ASSERT_EQUAL(sim_schm(kut_sim(&k), 0, 0), 0);
	kut_fini(&k);
}

/* --- E.6 ------------------------------------------------------------------------ */

/* The 16-bit SSCH/RSCH count at offset 0 of format-0 block mbi (A.11). */
static u16 mb0_count(struct kut *k, u64 area, unsigned mbi)
{
	be16 c;

	memcpy(&c, kut_ptr(k, area + mbi * MB0_SIZE, sizeof(c)), sizeof(c));
	return be16_to_cpu(c);
}

/* Point the subchannel's format-0 measurement at block mbi (MM update bit). */
static int kut_measure0(struct kut *k, u16 mbi)
{
	struct schib s;

	if (kut_stsch(k, k->net, &s) != 0)
		return -1;
	set_pmcw_flags(&s, (pmcw_flags(&s) & (u16)~PMCW_FLAGS_MM_MASK) | PMCW_FLAGS_MM_MBU);
	s.pmcw.mbi = cpu_to_be16(mbi);
	s.pmcw.chars = cpu_to_be32(be32_to_cpu(s.pmcw.chars) & ~PMCW_CHARS_MBFC);
	return kut_msch(k, k->net, &s);
}

static void test_e6_measure_fmt0(void)
{
	struct kut k;
	struct schib s;
	struct irb irb;
	u64 area;
	unsigned i;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	/* E.6: a shared area of two 32-byte blocks, measurement on. */
	area = simtest_alloc(&k.t, 2 * MB0_SIZE, MB0_SIZE);
	REQUIRE(sim_schm(kut_sim(&k), SCHM_UPDATE, area) == 0);
	REQUIRE(kut_enable(&k, k.net) > 0);

	/* Block 0. */
	REQUIRE(kut_measure0(&k, 0) == 0);
	REQUIRE(kut_stsch(&k, k.net, &s) == 0);
	CU_ASSERT(pmcw_flags(&s) & PMCW_FLAGS_MM_MBU);
	CU_ASSERT_EQUAL(be16_to_cpu(s.pmcw.mbi), 0);
	for (i = 0; i < KUT_MEASURED; i++)
		REQUIRE(kut_sense_id(&k, k.net, &irb));
	CU_ASSERT_EQUAL(mb0_count(&k, area, 0), KUT_MEASURED);
	CU_ASSERT_EQUAL(mb0_count(&k, area, 1), 0);

	/* Block 1: the count lands 32 bytes further, block 0 stays. */
	REQUIRE(kut_measure0(&k, 1) == 0);
	for (i = 0; i < KUT_MEASURED; i++)
		REQUIRE(kut_sense_id(&k, k.net, &irb));
	CU_ASSERT_EQUAL(mb0_count(&k, area, 1), KUT_MEASURED);
	CU_ASSERT_EQUAL(mb0_count(&k, area, 0), KUT_MEASURED);

	/* E.6: disable (MM cleared) and SCHM off; nothing counts any more. */
	REQUIRE(kut_stsch(&k, k.net, &s) == 0);
	set_pmcw_flags(&s, pmcw_flags(&s) & (u16)~PMCW_FLAGS_MM_MASK);
	CU_ASSERT_EQUAL(kut_msch(&k, k.net, &s), 0);
	REQUIRE(kut_stsch(&k, k.net, &s) == 0);
	CU_ASSERT_EQUAL(pmcw_flags(&s) & PMCW_FLAGS_MM_MASK, 0);
	CU_ASSERT_EQUAL(sim_schm(kut_sim(&k), 0, 0), 0);
	REQUIRE(kut_sense_id(&k, k.net, &irb));
	CU_ASSERT_EQUAL(mb0_count(&k, area, 0), KUT_MEASURED);
	CU_ASSERT_EQUAL(mb0_count(&k, area, 1), KUT_MEASURED);
out:
	kut_fini(&k);
}

/* --- E.7 ------------------------------------------------------------------------ */

static void test_e7_measure_fmt1(void)
{
	struct kut k;
	struct schib s, fmt1;
	struct irb irb;
	u16 resp = 0;
	bool bit48 = false;
	be32 c;
	u64 mb;
	unsigned i;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	/* E.7 runs only with SCSC bit 48, which A.11 requires. */
	REQUIRE(kut_scsc(&k, &resp, &bit48) == 0);
	REQUIRE(resp == CHSC_RESP_OK && bit48);
	/* A.11: counting needs measurement globally active. */
	REQUIRE(sim_schm(kut_sim(&k), SCHM_UPDATE, 0) == 0);
	REQUIRE(kut_enable(&k, k.net) > 0);
	mb = simtest_alloc(&k.t, 2 * MB1_ALIGN, MB1_ALIGN);

	/* E.7: F=1 with the block address one byte off: operand exception. */
	REQUIRE(kut_stsch(&k, k.net, &fmt1) == 0);
	set_pmcw_flags(&fmt1, (pmcw_flags(&fmt1) & (u16)~PMCW_FLAGS_MM_MASK) | PMCW_FLAGS_MM_MBU);
	fmt1.pmcw.chars = cpu_to_be32(be32_to_cpu(fmt1.pmcw.chars) | PMCW_CHARS_MBFC);
	schib_set_mba(&fmt1, mb + 1);
	CU_ASSERT_EQUAL(kut_msch(&k, k.net, &fmt1), -SIM_PGM_OPERAND);
	/* Suppressed: neither the format, the mode nor the address changed. */
	REQUIRE(kut_stsch(&k, k.net, &s) == 0);
	CU_ASSERT_EQUAL(be32_to_cpu(s.pmcw.chars) & PMCW_CHARS_MBFC, 0);
	CU_ASSERT_EQUAL(pmcw_flags(&s) & PMCW_FLAGS_MM_MASK, 0);
	CU_ASSERT_EQUAL(schib_mba(&s), 0);

	/* E.7: aligned, the block counts 10 SENSE IDs in 32 bits. */
	schib_set_mba(&fmt1, mb);
	REQUIRE(kut_msch(&k, k.net, &fmt1) == 0);
	REQUIRE(kut_stsch(&k, k.net, &s) == 0);
	CU_ASSERT(be32_to_cpu(s.pmcw.chars) & PMCW_CHARS_MBFC);
	CU_ASSERT_EQUAL(schib_mba(&s), mb);
	for (i = 0; i < KUT_MEASURED; i++)
		REQUIRE(kut_sense_id(&k, k.net, &irb));
	memcpy(&c, kut_ptr(&k, mb, sizeof(c)), sizeof(c));
	CU_ASSERT_EQUAL(be32_to_cpu(c), KUT_MEASURED);

	/* Measurement off again. */
	set_pmcw_flags(&s, pmcw_flags(&s) & (u16)~PMCW_FLAGS_MM_MASK);
	CU_ASSERT_EQUAL(kut_msch(&k, k.net, &s), 0);
	CU_ASSERT_EQUAL(sim_schm(kut_sim(&k), 0, 0), 0);
out:
	kut_fini(&k);
}

/* --- E.8 ------------------------------------------------------------------------ */

static void test_e8_msch(void)
{
	static const u16 reserved[] = { 0x8000, 0x4000, 0x0200, 0x0100 }; /* bits 0, 1, 6, 7 */
	struct kut k;
	struct schib s, req;
	unsigned off, i;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	REQUIRE(kut_stsch(&k, k.net, &req) == 0);
	/* A request that would visibly change the subchannel if it were done. */
	req.pmcw.intparm = cpu_to_be32(0x12345678);
	set_pmcw_flags(&req, pmcw_flags(&req) | PMCW_FLAGS_ENA);

	/* E.8: a SCHIB at page offset 1 or 2 is a specification exception. */
	for (off = 1; off <= 2; off++) {
		memcpy(kut_ptr(&k, k.page + off, sizeof(req)), &req, sizeof(req));
		CU_ASSERT_EQUAL(sim_msch(kut_sim(&k), k.net, k.page + off), -SIM_PGM_SPECIFICATION);
		REQUIRE(kut_stsch(&k, k.net, &s) == 0);
		CU_ASSERT_EQUAL(be32_to_cpu(s.pmcw.intparm), 0);
		CU_ASSERT_FALSE(pmcw_flags(&s) & PMCW_FLAGS_ENA);
	}

	/* E.8: PMCW flag bits 0, 1, 6, 7 are an operand exception, and the
	 * following STSCH shows the bit clear and nothing modified. */
	for (i = 0; i < ARRAY_SIZE(reserved); i++) {
		REQUIRE(kut_stsch(&k, k.net, &s) == 0);
		s.pmcw.intparm = cpu_to_be32(0x12345678);
		set_pmcw_flags(&s, pmcw_flags(&s) | reserved[i]);
		CU_ASSERT_EQUAL(kut_msch(&k, k.net, &s), -SIM_PGM_OPERAND);
		REQUIRE(kut_stsch(&k, k.net, &s) == 0);
		CU_ASSERT_EQUAL(pmcw_flags(&s) & reserved[i], 0);
		CU_ASSERT_EQUAL(be32_to_cpu(s.pmcw.intparm), 0);
	}
out:
	kut_fini(&k);
}

/* --- E.9 ------------------------------------------------------------------------ */

/* STCRW into the first word of the page, pre-filled with a non-zero word. */
static int kut_stcrw(struct kut *k, u32 *crw)
{
	be32 w = cpu_to_be32(0xFFFFFFFFu);
	int rc;

	memcpy(kut_ptr(k, k->page, sizeof(w)), &w, sizeof(w));
	rc = sim_stcrw(kut_sim(k), k->page);
	memcpy(&w, kut_ptr(k, k->page, sizeof(w)), sizeof(w));
	*crw = be32_to_cpu(w);
	return rc;
}

static void test_e9_stcrw(void)
{
	struct kut k;
	struct schib s;
	u32 crw = 0;
	unsigned off, i;
	int chpid = -1;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	/* E.9: a misaligned operand is a specification exception. */
	for (off = 1; off <= 2; off++) {
		kut_fill(&k, k.page, 0xA5, 8);
		CU_ASSERT_EQUAL(sim_stcrw(kut_sim(&k), k.page + off), -SIM_PGM_SPECIFICATION);
		CU_ASSERT_TRUE(kut_untouched(&k, k.page, 0xA5, 8));
	}

	/* E.9: nothing pending: cc 1 and zeros stored over the old word. */
	CU_ASSERT_EQUAL(kut_stcrw(&k, &crw), 1);
	CU_ASSERT_EQUAL(crw, 0);

	/* E.9: an installed CHPID, from the PIM and the CHPID array. */
	REQUIRE(kut_stsch(&k, k.net, &s) == 0);
	for (i = 0; i < 8 && chpid < 0; i++)
		if (s.pmcw.pim & (0x80u >> i))
			chpid = s.pmcw.chpid[i];
	REQUIRE(chpid >= 0);
	CU_ASSERT_EQUAL(sim_rchp(kut_sim(&k), (u32)chpid), 0);

	/* E.9: the reset is reported by a channel-path CRW (RSC 4). */
	CU_ASSERT_EQUAL(kut_stcrw(&k, &crw), 0);
	CU_ASSERT_NOT_EQUAL(crw, 0xFFFFFFFFu);
	CU_ASSERT_EQUAL((crw & CRW_RSC_MASK) >> CRW_RSC_SHIFT, CRW_RSC_CHP);

	/* E.9: one report only; then cc 1 with zeros again. */
	CU_ASSERT_EQUAL(kut_stcrw(&k, &crw), 1);
	CU_ASSERT_EQUAL(crw, 0);
out:
	kut_fini(&k);
}

/* --- E.10 ----------------------------------------------------------------------- */

/* Whether the subchannel is idle: no function, no status, no interruption. */
static bool kut_idle(struct kut *k)
{
	struct schib s;

	if (kut_stsch(k, k->net, &s) != 0)
		return false;
	return !(be16_to_cpu(s.scsw.ctrl) & (SCSW_FCTL_MASK | SCSW_STCTL_MASK)) &&
	       !sim_io_int_pending(kut_sim(k));
}

static void test_e10_ssch(void)
{
	struct kut k;
	struct orb o;
	struct irb irb;
	unsigned off;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	REQUIRE(kut_enable(&k, k.net) > 0);
	/* A valid SENSE ID ORB, as in E.4. */
	simtest_ccw1(&k.t, k.prog, 0, CCW_CMD_SENSE_ID, CCW_FLAG_SLI, KUT_SENSEID_LEN,
		     (u32)k.buf);
	memset(&o, 0, sizeof(o));
	o.intparm = cpu_to_be32(k.net);
	o.ctrl = cpu_to_be32(KUT_ORB_CTRL);
	o.cpa = cpu_to_be32((u32)k.prog);

	/* E.10: the ORB at page offset 1 or 2 is a specification exception,
	 * and the suppressed SSCH starts nothing. */
	for (off = 1; off <= 2; off++) {
		memcpy(kut_ptr(&k, k.page + off, sizeof(o)), &o, sizeof(o));
		CU_ASSERT_EQUAL(sim_ssch(kut_sim(&k), k.net, k.page + off), -SIM_PGM_SPECIFICATION);
		CU_ASSERT_TRUE(kut_idle(&k));
	}

	/* E.10, A.3: an ORB of all 0xFF bytes is an operand exception. */
	kut_fill(&k, k.page, 0xFF, sizeof(struct orb));
	CU_ASSERT_EQUAL(sim_ssch(kut_sim(&k), k.net, k.page), -SIM_PGM_OPERAND);
	CU_ASSERT_TRUE(kut_idle(&k));

	/* The subchannel is still usable. */
	CU_ASSERT_TRUE(kut_sense_id(&k, k.net, &irb));
out:
	kut_fini(&k);
}

/* --- E.11 ----------------------------------------------------------------------- */

static void test_e11_stsch(void)
{
	struct kut k;
	unsigned off;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	/* E.11: operand at page offset 1 or 2: specification, nothing stored. */
	for (off = 1; off <= 2; off++) {
		kut_fill(&k, k.page, 0xA5, 64);
		CU_ASSERT_EQUAL(sim_stsch(kut_sim(&k), k.net, k.page + off),
				-SIM_PGM_SPECIFICATION);
		CU_ASSERT_TRUE(kut_untouched(&k, k.page, 0xA5, 64));
	}
	/* E.11: a subchannel nobody installed: cc 3. */
	CU_ASSERT_EQUAL(sim_stsch(kut_sim(&k), SID_ABSENT, k.page), 3);
	/* E.11, A.1: the one bit (0x00010000) clear: operand, nothing stored. */
	kut_fill(&k, k.page, 0xA5, 64);
	CU_ASSERT_EQUAL(sim_stsch(kut_sim(&k), SID_NO_ONE, k.page), -SIM_PGM_OPERAND);
	CU_ASSERT_TRUE(kut_untouched(&k, k.page, 0xA5, 64));
	/* The well-formed request still works. */
	CU_ASSERT_EQUAL(sim_stsch(kut_sim(&k), k.net, k.page), 0);
	kut_fini(&k);
}

/* --- E.12 ----------------------------------------------------------------------- */

static void test_e12_pmcw_bit5(void)
{
	struct kut k;
	struct schib s;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	REQUIRE(kut_enable(&k, k.net) > 0);

	/* E.12: bit 5 set: MSCH cc 0, the rest of the request applies, and
	 * STSCH stores bit 5 as zero. */
	REQUIRE(kut_stsch(&k, k.net, &s) == 0);
	s.pmcw.intparm = cpu_to_be32(0x0000C0DE);
	set_pmcw_flags(&s, pmcw_flags(&s) | PMCW_FLAGS_BIT5);
	CU_ASSERT_EQUAL(kut_msch(&k, k.net, &s), 0);
	REQUIRE(kut_stsch(&k, k.net, &s) == 0);
	CU_ASSERT_EQUAL(pmcw_flags(&s) & PMCW_FLAGS_BIT5, 0);
	CU_ASSERT_EQUAL(be32_to_cpu(s.pmcw.intparm), 0x0000C0DE);
	CU_ASSERT(pmcw_flags(&s) & PMCW_FLAGS_ENA);

	/* E.12: the same with bit 5 clear. */
	set_pmcw_flags(&s, pmcw_flags(&s) & (u16)~PMCW_FLAGS_BIT5);
	CU_ASSERT_EQUAL(kut_msch(&k, k.net, &s), 0);
	REQUIRE(kut_stsch(&k, k.net, &s) == 0);
	CU_ASSERT_EQUAL(pmcw_flags(&s) & PMCW_FLAGS_BIT5, 0);
	CU_ASSERT(pmcw_flags(&s) & PMCW_FLAGS_ENA);
out:
	kut_fini(&k);
}

/* --- E.13 ----------------------------------------------------------------------- */

static void test_e13_tsch(void)
{
	struct kut k;
	struct orb *o;
	struct sim_io_int ii;
	struct irb irb;
	unsigned off;

	CU_ASSERT_FATAL(kut_init(&k, 0));
	REQUIRE(kut_enable(&k, k.net) > 0);
	/* Leave status pending, so a TSCH that was not suppressed would show. */
	simtest_ccw1(&k.t, k.prog, 0, CCW_CMD_SENSE_ID, CCW_FLAG_SLI, KUT_SENSEID_LEN,
		     (u32)k.buf);
	o = kut_ptr(&k, k.orb, sizeof(*o));
	memset(o, 0, sizeof(*o));
	o->intparm = cpu_to_be32(k.net);
	o->ctrl = cpu_to_be32(KUT_ORB_CTRL);
	o->cpa = cpu_to_be32((u32)k.prog);
	REQUIRE(sim_ssch(kut_sim(&k), k.net, k.orb) == 0);
	REQUIRE(sim_take_io_interrupt(kut_sim(&k), &ii));

	/* E.13: the IRB at page offset 1 or 2 is a specification exception. */
	for (off = 1; off <= 2; off++) {
		kut_fill(&k, k.page, 0xA5, 128);
		CU_ASSERT_EQUAL(sim_tsch(kut_sim(&k), k.net, k.page + off), -SIM_PGM_SPECIFICATION);
		CU_ASSERT_TRUE(kut_untouched(&k, k.page, 0xA5, 128));
	}
	/* E.13: a subchannel nobody installed: cc 3. */
	CU_ASSERT_EQUAL(sim_tsch(kut_sim(&k), SID_ABSENT, k.page), 3);
	/* E.13: the one bit clear: operand exception. */
	CU_ASSERT_EQUAL(sim_tsch(kut_sim(&k), SID_NO_ONE, k.page), -SIM_PGM_OPERAND);
	/* E (simulator requirements): TSCH validates the SID before the
	 * operand's alignment, so a bad SID wins over a bad IRB address. */
	CU_ASSERT_EQUAL(sim_tsch(kut_sim(&k), SID_NO_ONE, k.page + 1), -SIM_PGM_OPERAND);

	/* None of those touched the pending status: it is still there (cc 0),
	 * and once collected TSCH finds nothing pending (A.7: cc 1). */
	CU_ASSERT_EQUAL(simtest_tsch(&k.t, k.net, &irb), 0);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_STCTL_STATUS_PEND);
	CU_ASSERT(irb_ctrl(&irb) & SCSW_STCTL_PRIMARY);
	CU_ASSERT_EQUAL(simtest_tsch(&k.t, k.net, &irb), 1);
out:
	kut_fini(&k);
}

static CU_TestInfo sim_kut_tests[] = {
	{ "E.1 CHSC SCSC answers response code 0x0001 with general bit 48", test_e1_chsc_scsc },
	{ "E.2 STSCH enumeration until cc 3 picks the first DNV subchannel", test_e2_enumerate },
	{ "E.3 MSCH enables the subchannel with ISC 3 within five tries", test_e3_enable },
	{ "E.4 SENSE ID with SLI into 256 bytes reports CU type 3832", test_e4_sense_id },
	{ "E.5 SCHM: bad origin, reserved bits, problem state; origin 0 succeeds", test_e5_schm },
	{ "E.6 format-0 measurement blocks count 10 SENSE IDs per MBI", test_e6_measure_fmt0 },
	{ "E.7 format-1 measurement block: misaligned MBA rejected, aligned counts 10",
	  test_e7_measure_fmt1 },
	{ "E.8 MSCH: misaligned SCHIB and PMCW bits 0, 1, 6, 7 rejected, nothing modified",
	  test_e8_msch },
	{ "E.9 STCRW: alignment, empty queue stores zeros, RCHP queues a channel-path CRW",
	  test_e9_stcrw },
	{ "E.10 SSCH: misaligned ORB and an all-0xFF ORB rejected", test_e10_ssch },
	{ "E.11 STSCH: misaligned operand, absent and malformed SIDs", test_e11_stsch },
	{ "E.12 MSCH ignores PMCW bit 5 and STSCH stores it as zero", test_e12_pmcw_bit5 },
	{ "E.13 TSCH: misaligned IRB, absent and malformed SIDs", test_e13_tsch },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo sim_kut_suite = { "sim-kut", NULL, NULL, NULL, NULL, sim_kut_tests };
