/*
 * The driver's channel-subsystem layer (ccw/css.c, ccw/irb.c) on the host
 * port, against simulated machines: enumeration across subchannel sets,
 * enable and disable, the css_run() choke point with its sense collection
 * and recovery, every injected fault, foreign and stale interruptions,
 * channel reports, CHSC, and program exceptions of the I/O instructions.
 *
 * Each test builds its own machine, binds the port to it and destroys it.
 * Only the hardware is simulated: the layer under test is the real code.
 * Time is the port's virtual clock, so deadlines cost no real time and a
 * bounded clock shows that nothing waited forever.
 */
#include <setjmp.h> /* setjmp, longjmp: leaving a program-exception handler */
#include <stdio.h>  /* printf, snprintf */
#include <stdlib.h> /* calloc, free */
#include <string.h> /* memcmp, memset, strstr */

#include "boot/host/host.h" /* host_bind, host_clock_us, host_set_pgm_handler */
#include "ccw/css.h"	    /* the layer under test */
#include "ccw/ioasm.h"	    /* ssch, tsch, stsch: raw instructions for the port tests */
#include "ccw/port.h"	    /* port_dma_alloc, port_dma_addr */
#include "sim/sim.h"	    /* machines and fault injection */
#include "sim/testdev.h"    /* the echo control unit */
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"

/* Guest memory of every machine here. */
#define RIG_MEM	       (1u << 20)
/* The deadline given to every channel program. */
#define RIG_TIMEOUT_US 100000u
/* Bytes one round trip writes and reads back. */
#define RIG_LEN	       64u
/*
 * The longest a single css_run() may take in virtual time: the deadline of
 * every attempt, plus a halt and a clear that the layer bounds by half a
 * second each, plus slack. Beyond this something waited without bound.
 */
#define CLOCK_BOUND_US ((CSS_RETRIES + 1) * RIG_TIMEOUT_US + 1100000u)
/* A command code the test device does not know (control class). */
#define CMD_UNKNOWN    0x0B

/* --- Checks that name the machine they ran on --------------------------- */

/* Prefixed to every failed check, e.g. "qemu/deferred: busy at selection". */
static char label[160];
/* Cleared by a failed check; the fault matrix reads it per cell. */
static bool label_ok;

static void expect(bool ok, const char *cond, unsigned line)
{
	char msg[400];

	if (!ok)
		label_ok = false;
	snprintf(msg, sizeof(msg), "%s%s%s", label, label[0] ? ": " : "", cond);
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, __FILE__, "", CU_FALSE);
}

#define MODE_ASSERT(cond) expect((cond), #cond, __LINE__)

static void set_label(const char *a, const char *b)
{
	snprintf(label, sizeof(label), "%s%s%s", a, b[0] ? ": " : "", b);
	label_ok = true;
}

/* The profiles and completion modes a test runs in. */
struct mode {
	enum sim_profile profile;
	enum sim_completion completion;
	const char *name;
};

static const struct mode modes[] = {
	{ SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC, "arch/sync" },
	{ SIM_PROFILE_ARCH, SIM_COMPLETE_DEFERRED, "arch/deferred" },
	{ SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, "qemu/sync" },
	{ SIM_PROFILE_QEMU, SIM_COMPLETE_DEFERRED, "qemu/deferred" },
};

#define NMODES ARRAY_SIZE(modes)

/* --- A control unit with a hook: hardware events during a command -------- */

struct hookdev;
typedef void (*hook_fn)(struct hookdev *h, struct sim_io *io);

/*
 * The echo device, plus a hook that fires once at the next command: the
 * only way to make something happen while the layer is inside css_run()
 * (a device vanishing, another device raising status), exactly when the
 * channel subsystem works on the program.
 */
struct hookdev {
	struct sim_testdev *t;
	hook_fn hook;
	u32 other; /* the subchannel a hook acts on */
	unsigned fired;
};

static void hookdev_command(void *cu, struct sim_io *io)
{
	struct hookdev *h = cu;
	hook_fn fn = h->hook;

	if (fn) {
		h->hook = NULL;
		h->fired++;
		fn(h, io);
		if (io->result != SIM_IO_OK)
			return;
	}
	sim_testdev_ops.command(h->t, io);
}

static void hookdev_enable_changed(void *cu, bool enabled)
{
	sim_testdev_ops.enable_changed(((struct hookdev *)cu)->t, enabled);
}

static void hookdev_reset(void *cu)
{
	sim_testdev_ops.reset(((struct hookdev *)cu)->t);
}

static void hookdev_destroy(void *cu)
{
	struct hookdev *h = cu;

	sim_testdev_ops.destroy(h->t);
	free(h);
}

static const struct sim_cu_ops hookdev_ops = {
	.command = hookdev_command,
	.enable_changed = hookdev_enable_changed,
	.reset = hookdev_reset,
	.destroy = hookdev_destroy,
};

/* Attach a hook device with the test device's identity; its subchannel id or -1. */
static long hookdev_attach(struct sim *sim, unsigned ssid, int schno, u16 devno,
			   struct hookdev **out)
{
	struct sim_dev_config cfg;
	struct hookdev *h = calloc(1, sizeof(*h));
	long schid;

	if (!h)
		return -1;
	h->t = sim_testdev_new(4096);
	if (!h->t) {
		free(h);
		return -1;
	}
	cfg = sim_testdev_config(ssid, schno, devno);
	schid = sim_attach(sim, &cfg, &hookdev_ops, h);
	if (schid < 0) {
		hookdev_destroy(h);
		return -1;
	}
	*out = h;
	return schid;
}

/* The device is pulled in the middle of its command: nothing ever ends it. */
static void hook_unplug(struct hookdev *h, struct sim_io *io)
{
	(void)h;
	sim_set_present(io->sim, io->schid, false);
	io->result = SIM_IO_HANG;
}

/* Another device raises attention while this one works. */
static void hook_attention_other(struct hookdev *h, struct sim_io *io)
{
	MODE_ASSERT(sim_unsolicited(io->sim, h->other, SCSW_DSTAT_ATTENTION));
}

/* --- The rig: a machine, the layer, two devices ------------------------- */

/* What the unsolicited handler was given. */
struct seen {
	unsigned n;
	u32 schid;	/* of the last call */
	struct irb irb; /* of the last call */
};

/* What the channel-report handler was given. */
struct crwlog {
	unsigned n;
	u32 schid[8];
	bool present[8];
};

/* A device's channel program and buffers, in DMA memory. */
struct dmabuf {
	struct ccw1 *prog; /* room for 4 CCWs */
	u8 *out, *in;
};

struct rig {
	struct sim *sim;
	struct css css;
	u32 a, b; /* device A (with a hook) and device B */
	struct hookdev *ha;
	struct sim_testdev *ta, *tb;
	struct seen seen;
	struct crwlog crws;
	struct dmabuf ba, bb;
	unsigned seed;
};

static void note_unsolicited(void *ctx, u32 schid, const struct irb *irb)
{
	struct seen *s = ctx;

	s->n++;
	s->schid = schid;
	s->irb = *irb;
}

static void note_crw(void *ctx, u32 schid, bool present)
{
	struct crwlog *l = ctx;

	if (l->n < ARRAY_SIZE(l->schid)) {
		l->schid[l->n] = schid;
		l->present[l->n] = present;
	}
	l->n++;
}

static u32 dma(const void *p)
{
	return (u32)port_dma_addr(p);
}

static u16 ctrl_of(const struct irb *irb)
{
	return be16_to_cpu(irb->scsw.ctrl);
}

/* A machine with no devices yet, the port bound to it, the layer set up. */
static bool rig_machine(struct rig *r, const struct mode *m, bool mss)
{
	memset(r, 0, sizeof(*r));
	r->sim = drvrig_machine(m->profile, m->completion, RIG_MEM, mss);
	MODE_ASSERT(r->sim != NULL);
	if (!r->sim)
		return false;
	MODE_ASSERT(drvrig_bind(r->sim, &r->css));
	css_set_unsolicited_handler(&r->css, note_unsolicited, &r->seen);
	css_set_crw_handler(&r->css, note_crw, &r->crws);
	return true;
}

static void rig_fini(struct rig *r)
{
	drvrig_close(&r->sim);
}

static bool dmabuf_alloc(struct dmabuf *b)
{
	b->prog = port_dma_alloc(4 * sizeof(struct ccw1), 8);
	b->out = port_dma_alloc(RIG_LEN, 8);
	b->in = port_dma_alloc(RIG_LEN, 8);
	return b->prog && b->out && b->in;
}

/*
 * Device A (0.0.0000, devno 0100, with a hook) and device B (0.0.0001,
 * devno 0200), both enabled by the layer; csense as the layer asks.
 */
static bool rig_init(struct rig *r, const struct mode *m, bool csense)
{
	long a, b;

	if (!rig_machine(r, m, false))
		return false;
	a = hookdev_attach(r->sim, 0, 0, 0x0100, &r->ha);
	b = sim_testdev_attach(r->sim, 0, 1, 0x0200, &r->tb);
	MODE_ASSERT(a >= 0 && b >= 0);
	if (a < 0 || b < 0)
		return false;
	r->a = (u32)a;
	r->b = (u32)b;
	r->ta = r->ha->t;
	r->css.csense = csense;
	MODE_ASSERT(css_enable(&r->css, r->a, 0xA) == 0);
	MODE_ASSERT(css_enable(&r->css, r->b, 0xB) == 0);
	MODE_ASSERT(dmabuf_alloc(&r->ba) && dmabuf_alloc(&r->bb));
	return r->ba.in && r->bb.in;
}

/* WRITE a fresh pattern, chained to a READ of it, on schid. */
static int roundtrip(struct rig *r, u32 schid, struct css_result *res)
{
	struct dmabuf *b = schid == r->a ? &r->ba : &r->bb;
	unsigned i;

	r->seed++;
	for (i = 0; i < RIG_LEN; i++)
		b->out[i] = (u8)(r->seed * 37u + i * 11u + 1u);
	memset(b->in, 0, RIG_LEN);
	b->prog[0] = ccw1_make(SIM_TESTDEV_CMD_WRITE, CCW_FLAG_CC, RIG_LEN, dma(b->out));
	b->prog[1] = ccw1_make(SIM_TESTDEV_CMD_READ, 0, RIG_LEN, dma(b->in));
	return css_run(&r->css, schid, b->prog, RIG_TIMEOUT_US, res);
}

/* Whether the last round trip on schid brought the data back. */
static bool data_back(const struct rig *r, u32 schid)
{
	const struct dmabuf *b = schid == r->a ? &r->ba : &r->bb;

	return memcmp(b->out, b->in, RIG_LEN) == 0;
}

/* A round trip on schid that must work. */
static bool works(struct rig *r, u32 schid)
{
	struct css_result res;

	return roundtrip(r, schid, &res) == 0 && data_back(r, schid);
}

/* --- Enumeration and subchannel sets ------------------------------------ */

struct enumlog {
	unsigned n;
	u32 schid[16];
	u16 devno[16];
};

static void note_enum(void *ctx, u32 schid, const struct schib *schib)
{
	struct enumlog *l = ctx;

	if (l->n < ARRAY_SIZE(l->schid)) {
		l->schid[l->n] = schid;
		l->devno[l->n] = be16_to_cpu(schib->pmcw.devno);
	}
	l->n++;
}

/* Whether the enumeration reported schid with devno. */
static bool enumerated(const struct enumlog *l, u32 schid, u16 devno)
{
	for (unsigned i = 0; i < l->n && i < ARRAY_SIZE(l->schid); i++)
		if (l->schid[i] == schid)
			return l->devno[i] == devno;
	return false;
}

static unsigned enumerate(struct rig *r, struct enumlog *l)
{
	memset(l, 0, sizeof(*l));
	return css_enumerate(&r->css, note_enum, l);
}

/* Set 0 is all the layer sees until CHSC makes sets 1 to 3 visible. */
static void test_enum_sets_after_mss(void)
{
	for (unsigned p = 0; p < NMODES; p += 2) {
		struct rig r;
		struct enumlog l;
		struct schib s;
		u32 s1 = schid_make(1, 0), s3 = schid_make(3, 0);
		u8 *buf;

		set_label(modes[p].name, "");
		if (!rig_machine(&r, &modes[p], true))
			continue;
		MODE_ASSERT(sim_testdev_attach(r.sim, 0, 0, 0x0100, NULL) >= 0);
		MODE_ASSERT(sim_testdev_attach(r.sim, 0, 1, 0x0101, NULL) >= 0);
		MODE_ASSERT(sim_testdev_attach(r.sim, 1, 0, 0x1100, NULL) >= 0);
		MODE_ASSERT(sim_testdev_attach(r.sim, 3, 0, 0x3100, NULL) >= 0);

		MODE_ASSERT(enumerate(&r, &l) == 2);
		MODE_ASSERT(l.n == 2);
		MODE_ASSERT(enumerated(&l, schid_make(0, 0), 0x0100));
		MODE_ASSERT(enumerated(&l, schid_make(0, 1), 0x0101));
		MODE_ASSERT(css_stsch(&r.css, s1, &s) == -VERR_NODEV);

		MODE_ASSERT(css_enable_mss(&r.css) == 0);
		MODE_ASSERT(r.css.max_ssid == 3);
		MODE_ASSERT(enumerate(&r, &l) == 4);
		MODE_ASSERT(enumerated(&l, schid_make(0, 0), 0x0100));
		MODE_ASSERT(enumerated(&l, schid_make(0, 1), 0x0101));
		MODE_ASSERT(enumerated(&l, s1, 0x1100));
		MODE_ASSERT(enumerated(&l, s3, 0x3100));

		/* A device in a higher set is a device like any other. */
		buf = port_dma_alloc(16, 8);
		MODE_ASSERT(css_enable(&r.css, s3, 3) == 0);
		MODE_ASSERT(css_run1(&r.css, s3, SIM_TESTDEV_CMD_WRITE, 0, 16, buf, RIG_TIMEOUT_US, NULL) ==
		       0);
		rig_fini(&r);
	}
}

/* Without the facility CHSC refuses, the layer says so and keeps set 0. */
static void test_enum_no_mss(void)
{
	for (unsigned p = 0; p < NMODES; p += 2) {
		struct rig r;
		struct enumlog l;

		set_label(modes[p].name, "");
		if (!rig_machine(&r, &modes[p], false))
			continue;
		MODE_ASSERT(sim_testdev_attach(r.sim, 0, 0, 0x0100, NULL) >= 0);
		MODE_ASSERT(sim_testdev_attach(r.sim, 1, 0, 0x1100, NULL) >= 0);
		MODE_ASSERT(sim_testdev_attach(r.sim, 2, 0, 0x2100, NULL) >= 0);
		MODE_ASSERT(css_enable_mss(&r.css) == -VERR_NOTSUP);
		MODE_ASSERT(r.css.max_ssid == 0);
		MODE_ASSERT(enumerate(&r, &l) == 1);
		MODE_ASSERT(enumerated(&l, schid_make(0, 0), 0x0100));
		MODE_ASSERT(css_enable(&r.css, schid_make(1, 0), 1) == -VERR_NODEV);
		rig_fini(&r);
	}
}

/* Subchannel numbers without a device are passed over, not an end. */
static void test_enum_holes(void)
{
	for (unsigned p = 0; p < NMODES; p += 2) {
		struct rig r;
		struct enumlog l;

		set_label(modes[p].name, "");
		if (!rig_machine(&r, &modes[p], true))
			continue;
		MODE_ASSERT(sim_testdev_attach(r.sim, 0, 0, 0x0100, NULL) >= 0);
		MODE_ASSERT(sim_testdev_attach(r.sim, 0, 2, 0x0102, NULL) >= 0);
		MODE_ASSERT(sim_testdev_attach(r.sim, 0, 5, 0x0105, NULL) >= 0);
		MODE_ASSERT(sim_testdev_attach(r.sim, 1, 0, 0x1100, NULL) >= 0);
		MODE_ASSERT(sim_testdev_attach(r.sim, 1, 3, 0x1103, NULL) >= 0);
		MODE_ASSERT(css_enable_mss(&r.css) == 0);
		MODE_ASSERT(enumerate(&r, &l) == 5);
		MODE_ASSERT(enumerated(&l, schid_make(0, 0), 0x0100));
		MODE_ASSERT(enumerated(&l, schid_make(0, 2), 0x0102));
		MODE_ASSERT(enumerated(&l, schid_make(0, 5), 0x0105));
		MODE_ASSERT(enumerated(&l, schid_make(1, 0), 0x1100));
		MODE_ASSERT(enumerated(&l, schid_make(1, 3), 0x1103));
		rig_fini(&r);
	}
}

/* --- Enable and disable ------------------------------------------------- */

/* After enabling, the SCHIB shows what the layer asked for; disabling undoes it. */
static void test_enable_disable_schib(void)
{
	for (unsigned p = 0; p < NMODES; p += 2) {
		for (int cs = 0; cs < 2; cs++) {
			struct rig r;
			struct sim_testdev *t;
			struct schib s;
			u16 flags;
			long a;

			set_label(modes[p].name, cs ? "concurrent sense" : "no concurrent sense");
			if (!rig_machine(&r, &modes[p], false))
				continue;
			a = sim_testdev_attach(r.sim, 0, 0, 0x0100, &t);
			MODE_ASSERT(a >= 0);
			if (a < 0) {
				rig_fini(&r);
				continue;
			}
			r.css.csense = cs;
			MODE_ASSERT(css_enable(&r.css, (u32)a, 0x12345678) == 0);
			MODE_ASSERT(css_stsch(&r.css, (u32)a, &s) == 0);
			flags = be16_to_cpu(s.pmcw.flags);
			MODE_ASSERT(flags & PMCW_FLAGS_ENA);
			MODE_ASSERT(flags & PMCW_FLAGS_DNV);
			MODE_ASSERT((flags & PMCW_FLAGS_ISC_MASK) >> PMCW_FLAGS_ISC_SHIFT ==
			       CSS_DEFAULT_ISC);
			MODE_ASSERT(!!(be32_to_cpu(s.pmcw.chars) & PMCW_CHARS_CSENSE) == cs);
			MODE_ASSERT(be32_to_cpu(s.pmcw.intparm) == 0x12345678);
			MODE_ASSERT(t->enables == 1);

			MODE_ASSERT(css_disable(&r.css, (u32)a) == 0);
			MODE_ASSERT(css_stsch(&r.css, (u32)a, &s) == 0);
			MODE_ASSERT(!(be16_to_cpu(s.pmcw.flags) & PMCW_FLAGS_ENA));
			MODE_ASSERT(t->disables == 1);
			/* Disabling a disabled subchannel is no error. */
			MODE_ASSERT(css_disable(&r.css, (u32)a) == 0);
			rig_fini(&r);
		}
	}
}

/* Status pending blocks MSCH: the layer collects it and hands it on first. */
static void test_enable_pending_status(void)
{
	for (unsigned p = 0; p < NMODES; p += 2) {
		struct rig r;
		struct schib s;

		set_label(modes[p].name, "");
		if (!rig_init(&r, &modes[p], true)) {
			rig_fini(&r);
			continue;
		}
		/* Attention from the device, then the layer changes the subclass. */
		MODE_ASSERT(sim_unsolicited(r.sim, r.a, SCSW_DSTAT_ATTENTION));
		r.css.isc = 5;
		MODE_ASSERT(css_enable(&r.css, r.a, 0x55) == 0);
		MODE_ASSERT(r.seen.n == 1);
		MODE_ASSERT(r.seen.schid == r.a);
		MODE_ASSERT((ctrl_of(&r.seen.irb) & SCSW_FCTL_MASK) == 0);
		MODE_ASSERT(ctrl_of(&r.seen.irb) & SCSW_STCTL_ALERT);
		MODE_ASSERT(r.seen.irb.scsw.dstat & SCSW_DSTAT_ATTENTION);
		MODE_ASSERT(r.css.stats.stale == 1);
		MODE_ASSERT(css_stsch(&r.css, r.a, &s) == 0);
		MODE_ASSERT((be16_to_cpu(s.pmcw.flags) & PMCW_FLAGS_ISC_MASK) >> PMCW_FLAGS_ISC_SHIFT ==
		       5);
		MODE_ASSERT(be16_to_cpu(s.pmcw.flags) & PMCW_FLAGS_ENA);
		MODE_ASSERT(!(be16_to_cpu(s.scsw.ctrl) & SCSW_STCTL_STATUS_PEND));

		/* The same on the way out. */
		MODE_ASSERT(sim_unsolicited(r.sim, r.a, SCSW_DSTAT_ATTENTION));
		MODE_ASSERT(css_disable(&r.css, r.a) == 0);
		MODE_ASSERT(r.seen.n == 2);
		MODE_ASSERT(css_stsch(&r.css, r.a, &s) == 0);
		MODE_ASSERT(!(be16_to_cpu(s.pmcw.flags) & PMCW_FLAGS_ENA));
		rig_fini(&r);
	}
}

/* No subchannel, a hole, or a set not made visible: not a device. */
static void test_enable_nodev(void)
{
	for (unsigned p = 0; p < NMODES; p += 2) {
		struct rig r;

		set_label(modes[p].name, "");
		if (!rig_machine(&r, &modes[p], true))
			continue;
		MODE_ASSERT(sim_testdev_attach(r.sim, 0, 0, 0x0100, NULL) >= 0);
		MODE_ASSERT(sim_testdev_attach(r.sim, 0, 2, 0x0102, NULL) >= 0);
		MODE_ASSERT(sim_testdev_attach(r.sim, 1, 0, 0x1100, NULL) >= 0);
		MODE_ASSERT(css_enable(&r.css, schid_make(0, 7), 1) == -VERR_NODEV);
		MODE_ASSERT(css_enable(&r.css, schid_make(0, 1), 1) == -VERR_NODEV);
		MODE_ASSERT(css_enable(&r.css, schid_make(1, 0), 1) == -VERR_NODEV);
		MODE_ASSERT(css_disable(&r.css, schid_make(0, 0xFFFF)) == -VERR_NODEV);
		MODE_ASSERT(css_enable(&r.css, schid_make(0, 2), 1) == 0);
		rig_fini(&r);
	}
}

/*
 * MSCH answering busy is retried; whatever number of busy answers, the
 * layer's result agrees with the SCHIB: 0 exactly when the change took.
 */
static void test_enable_msch_busy(void)
{
	for (unsigned p = 0; p < NMODES; p += 2) {
		for (unsigned k = 1; k <= 6; k++) {
			struct sim_fault f = {
				.kind = SIM_FAULT_CC, .insn = SIM_INSN_MSCH, .cc = 2, .count = k
			};
			char what[64];
			struct rig r;
			struct schib s;
			bool ena;
			long a;
			int rc;

			snprintf(what, sizeof(what), "%u busy answers", k);
			set_label(modes[p].name, what);
			if (!rig_machine(&r, &modes[p], false))
				continue;
			a = sim_testdev_attach(r.sim, 0, 0, 0x0100, NULL);
			MODE_ASSERT(a >= 0);
			f.schid = (u32)a;

			MODE_ASSERT(sim_fault_add(r.sim, &f) == 0);
			rc = css_enable(&r.css, (u32)a, 1);
			MODE_ASSERT(css_stsch(&r.css, (u32)a, &s) == 0);
			ena = be16_to_cpu(s.pmcw.flags) & PMCW_FLAGS_ENA;
			MODE_ASSERT(rc == 0 || rc == -VERR_BUSY);
			MODE_ASSERT((rc == 0) == ena);
			/* A couple of busy answers are ridden out. */
			if (k <= 2)
				MODE_ASSERT(rc == 0);

			sim_fault_clear(r.sim);
			MODE_ASSERT(css_enable(&r.css, (u32)a, 1) == 0);
			MODE_ASSERT(sim_fault_add(r.sim, &f) == 0);
			rc = css_disable(&r.css, (u32)a);
			MODE_ASSERT(css_stsch(&r.css, (u32)a, &s) == 0);
			ena = be16_to_cpu(s.pmcw.flags) & PMCW_FLAGS_ENA;
			MODE_ASSERT(rc == 0 || rc == -VERR_BUSY);
			MODE_ASSERT((rc == 0) == !ena);
			if (k <= 2)
				MODE_ASSERT(rc == 0);
			rig_fini(&r);
		}
	}
}

/* --- The choke point: normal endings and device errors --------------------- */

/* Normal ending returns 0 and the residual count of the last CCW. */
static void test_run_residual(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct rig r;
		struct css_result res;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		memset(r.ba.out, 0x5A, 16);
		MODE_ASSERT(css_run1(&r.css, r.a, SIM_TESTDEV_CMD_WRITE, 0, 16, r.ba.out, RIG_TIMEOUT_US,
				&res) == 0);
		MODE_ASSERT(res.err == 0);
		MODE_ASSERT(res.residual == 0);
		MODE_ASSERT(r.ta->len == 16);
		/* A longer READ with SLI: 16 bytes come, 48 are left. */
		memset(r.ba.in, 0, RIG_LEN);
		MODE_ASSERT(css_run1(&r.css, r.a, SIM_TESTDEV_CMD_READ, CCW_FLAG_SLI, RIG_LEN, r.ba.in,
				RIG_TIMEOUT_US, &res) == 0);
		MODE_ASSERT(res.residual == RIG_LEN - 16);
		MODE_ASSERT(memcmp(r.ba.in, r.ba.out, 16) == 0);
		MODE_ASSERT(res.irb.scsw.dstat == (SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END));
		MODE_ASSERT(res.sense_len == 0);
		/* No result block wanted: only the code. */
		MODE_ASSERT(css_run1(&r.css, r.a, SIM_TESTDEV_CMD_CONTROL, 0, 0, NULL, RIG_TIMEOUT_US,
				NULL) == 0);
		MODE_ASSERT(r.ta->last_cmd == SIM_TESTDEV_CMD_CONTROL);
		MODE_ASSERT(r.css.stats.starts == 3);
		rig_fini(&r);
	}
}

/* A WRITE chained to a READ moves the data through the device and back. */
static void test_run_roundtrip(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct rig r;
		struct css_result res;
		char text[160];

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		MODE_ASSERT(roundtrip(&r, r.a, &res) == 0);
		MODE_ASSERT(data_back(&r, r.a));
		MODE_ASSERT(r.ta->commands == 2);
		MODE_ASSERT(strstr(irb_explain(&res, text, sizeof(text)), "normal ending") != NULL);
		MODE_ASSERT(works(&r, r.b));
		MODE_ASSERT(works(&r, r.a));
		rig_fini(&r);
	}
}

/* SENSE ID through the layer gives the device's identity and length. */
static void test_sense_id(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct rig r;
		struct senseid id;
		unsigned len = 0;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		memset(&id, 0, sizeof(id));
		MODE_ASSERT(css_sense_id(&r.css, r.a, &id, &len) == 0);
		MODE_ASSERT(len == 7);
		MODE_ASSERT(id.reserved == SENSEID_RESERVED_FF);
		MODE_ASSERT(be16_to_cpu(id.cu_type) == SIM_TESTDEV_CU_TYPE);
		MODE_ASSERT(id.cu_model == 1);
		MODE_ASSERT(be16_to_cpu(id.dev_type) == SIM_TESTDEV_DEV_TYPE);
		MODE_ASSERT(id.dev_model == 2);
		rig_fini(&r);
	}
}

/* SENSE ID data too short to hold the control-unit type is refused. */
static void test_sense_id_short(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct sim_dev_config cfg;
		struct rig r;
		struct senseid id;
		unsigned len = 0;
		long s;

		set_label(modes[m].name, "");
		if (!rig_machine(&r, &modes[m], false))
			continue;
		memset(&cfg, 0, sizeof(cfg));
		cfg.devno = 0x0300;
		cfg.schno = -1;
		cfg.cu_type = 0x3300;
		cfg.senseid_len = 3;
		s = sim_attach(r.sim, &cfg, &sim_reject_ops, NULL);
		MODE_ASSERT(s >= 0);
		MODE_ASSERT(css_enable(&r.css, (u32)s, 1) == 0);
		MODE_ASSERT(css_sense_id(&r.css, (u32)s, &id, &len) == -VERR_PROTO);
		rig_fini(&r);
	}
}

/* Command reject: "not supported", sense byte 0 = 0x80, from the ECW or BASIC SENSE. */
static void test_command_reject(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		for (int cs = 1; cs >= 0; cs--) {
			struct rig r;
			struct css_result res;
			struct sim_stats before, after;
			char text[160];

			set_label(modes[m].name, cs ? "concurrent sense" : "BASIC SENSE");
			if (!rig_init(&r, &modes[m], cs)) {
				rig_fini(&r);
				continue;
			}
			sim_get_stats(r.sim, &before);
			MODE_ASSERT(css_run1(&r.css, r.a, CMD_UNKNOWN, 0, 0, NULL, RIG_TIMEOUT_US,
					&res) == -VERR_NOTSUP);
			sim_get_stats(r.sim, &after);
			MODE_ASSERT(res.err == -VERR_NOTSUP);
			MODE_ASSERT(r.ta->last_cmd == CMD_UNKNOWN);
			MODE_ASSERT(res.irb.scsw.dstat & SCSW_DSTAT_UNIT_CHECK);
			MODE_ASSERT(res.sense_len > 0);
			MODE_ASSERT(res.sense[0] == SENSE0_CMD_REJECT);
			/* Concurrent sense shows in the IRB; otherwise one more CCW ran. */
			MODE_ASSERT(!!(be16_to_cpu(res.irb.scsw.flags) & SCSW_FLAGS_ECTL) == cs);
			MODE_ASSERT(after.ccws - before.ccws == (cs ? 1u : 2u));
			irb_explain(&res, text, sizeof(text));
			MODE_ASSERT(strstr(text, "unit check") != NULL);
			MODE_ASSERT(strstr(text, "command reject") != NULL);
			/* The sense was consumed: the next program is clean. */
			MODE_ASSERT(works(&r, r.a));
			rig_fini(&r);
		}
	}
}

/* Another unit check is an I/O error carrying the device's sense bytes. */
static void test_unit_check_sense(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		for (int cs = 1; cs >= 0; cs--) {
			struct sim_testdev_answer ans = {
				.result = SIM_IO_OK,
				.dstat = SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END |
					 SCSW_DSTAT_UNIT_CHECK,
				.sense = { SENSE0_EQUIPMENT_CHECK, 0x22, 0x33, 0x44 },
			};
			struct rig r;
			struct css_result res;
			char text[160];

			set_label(modes[m].name, cs ? "concurrent sense" : "BASIC SENSE");
			if (!rig_init(&r, &modes[m], cs)) {
				rig_fini(&r);
				continue;
			}
			sim_testdev_set_answer(r.ta, &ans);
			MODE_ASSERT(css_run1(&r.css, r.a, SIM_TESTDEV_CMD_CONTROL, 0, 0, NULL,
					RIG_TIMEOUT_US, &res) == -VERR_IO);
			MODE_ASSERT(res.sense_len >= 4);
			MODE_ASSERT(memcmp(res.sense, ans.sense, 4) == 0);
			irb_explain(&res, text, sizeof(text));
			MODE_ASSERT(strstr(text, "equipment check") != NULL);
			MODE_ASSERT(strstr(text, "sense 10 22 33 44") != NULL);
			MODE_ASSERT(works(&r, r.a));
			rig_fini(&r);
		}
	}
}

/* A malformed CCW and a data address beyond storage end in program check. */
static void test_program_check(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct rig r;
		struct css_result res;
		char text[160];

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		/* Command code 0x00 is invalid. */
		MODE_ASSERT(css_run1(&r.css, r.a, 0x00, 0, 4, r.ba.out, RIG_TIMEOUT_US, &res) ==
		       -VERR_IO);
		MODE_ASSERT(res.irb.scsw.cstat & SCSW_CSTAT_PROG_CHECK);
		MODE_ASSERT(strstr(irb_explain(&res, text, sizeof(text)), "program check") != NULL);
		/* Data the channel cannot reach. */
		r.ba.prog[0] = ccw1_make(SIM_TESTDEV_CMD_WRITE, 0, 16, RIG_MEM + 0x1000);
		MODE_ASSERT(css_run(&r.css, r.a, r.ba.prog, RIG_TIMEOUT_US, &res) == -VERR_IO);
		MODE_ASSERT(res.irb.scsw.cstat & SCSW_CSTAT_PROG_CHECK);
		MODE_ASSERT(works(&r, r.a));
		rig_fini(&r);
	}
}

/* A READ into storage the channel may not store into ends in protection check. */
static void test_protection_check(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct rig r;
		struct css_result res;
		char text[160];
		u8 *fenced;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		fenced = port_dma_alloc(RIG_LEN, 8);
		MODE_ASSERT(sim_mem_protect(r.sim, port_dma_addr(fenced), RIG_LEN));
		MODE_ASSERT(css_run1(&r.css, r.a, SIM_TESTDEV_CMD_WRITE, 0, 16, r.ba.out, RIG_TIMEOUT_US,
				NULL) == 0);
		MODE_ASSERT(css_run1(&r.css, r.a, SIM_TESTDEV_CMD_READ, 0, 16, fenced, RIG_TIMEOUT_US,
				&res) == -VERR_IO);
		MODE_ASSERT(res.irb.scsw.cstat & SCSW_CSTAT_PROT_CHECK);
		MODE_ASSERT(strstr(irb_explain(&res, text, sizeof(text)), "protection check") != NULL);
		MODE_ASSERT(works(&r, r.a));
		rig_fini(&r);
	}
}

/*
 * Asking for more than the device has, without SLI: incorrect length in
 * the architecture, a program check on QEMU; an I/O error either way.
 */
static void test_incorrect_length(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct rig r;
		struct css_result res;
		char text[160];
		bool arch = modes[m].profile == SIM_PROFILE_ARCH;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		MODE_ASSERT(css_run1(&r.css, r.a, SIM_TESTDEV_CMD_WRITE, 0, 16, r.ba.out, RIG_TIMEOUT_US,
				NULL) == 0);
		MODE_ASSERT(css_run1(&r.css, r.a, SIM_TESTDEV_CMD_READ, 0, RIG_LEN, r.ba.in, RIG_TIMEOUT_US,
				&res) == -VERR_IO);
		irb_explain(&res, text, sizeof(text));
		if (arch) {
			MODE_ASSERT(res.irb.scsw.cstat == SCSW_CSTAT_INCORR_LEN);
			MODE_ASSERT(res.irb.scsw.dstat == (SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END));
			MODE_ASSERT(res.residual == RIG_LEN - 16);
			MODE_ASSERT(strstr(text, "incorrect length") != NULL);
		} else {
			MODE_ASSERT(res.irb.scsw.cstat == SCSW_CSTAT_PROG_CHECK);
			MODE_ASSERT(strstr(text, "program check") != NULL);
		}
		rig_fini(&r);
	}
}

/* A program the channel cannot address is refused before any instruction. */
static void test_program_not_dma(void)
{
	for (unsigned m = 0; m < NMODES; m += 2) {
		struct ccw1 on_stack[1] = { ccw1_make(SIM_TESTDEV_CMD_CONTROL, 0, 0, 0) };
		struct rig r;
		struct css_result res;
		struct sim_stats before, after;
		char text[160];

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		sim_get_stats(r.sim, &before);
		MODE_ASSERT(css_run(&r.css, r.a, on_stack, RIG_TIMEOUT_US, &res) == -VERR_INVAL);
		MODE_ASSERT(strstr(irb_explain(&res, text, sizeof(text)), "invalid") != NULL);
		/* Misaligned, though inside DMA memory. */
		MODE_ASSERT(css_run(&r.css, r.a, (const struct ccw1 *)((u8 *)r.ba.prog + 4),
			       RIG_TIMEOUT_US, &res) == -VERR_INVAL);
		sim_get_stats(r.sim, &after);
		MODE_ASSERT(after.instructions == before.instructions);
		MODE_ASSERT(r.css.stats.starts == 0);
		rig_fini(&r);
	}
}

/* --- The fault matrix ------------------------------------------------------ */

static void arm(struct rig *r, const struct sim_fault *f)
{
	struct sim_fault g = *f;

	g.schid = r->a;
	MODE_ASSERT(sim_fault_add(r->sim, &g) == 0);
}

static void arm_cc(struct rig *r, enum sim_insn insn, int cc, unsigned count)
{
	struct sim_fault f = { .kind = SIM_FAULT_CC, .insn = insn, .cc = cc, .count = count };

	arm(r, &f);
}

static void arm_status(struct rig *r, u8 dstat, u8 cstat, unsigned count)
{
	struct sim_fault f = {
		.kind = SIM_FAULT_STATUS, .dstat = dstat, .cstat = cstat, .count = count
	};

	arm(r, &f);
}

static void arm_unit_check(struct rig *r, u8 sense0)
{
	struct sim_fault f = { .kind = SIM_FAULT_UNIT_CHECK, .sense = { sense0, 0x01 } };

	arm(r, &f);
}

static void arm_kind(struct rig *r, enum sim_fault_kind kind, unsigned count)
{
	struct sim_fault f = { .kind = kind, .count = count };

	arm(r, &f);
}

static void f_ssch_cc1(struct rig *r)
{
	arm_cc(r, SIM_INSN_SSCH, 1, 1);
}

static void f_ssch_pending(struct rig *r)
{
	MODE_ASSERT(sim_unsolicited(r->sim, r->a, SCSW_DSTAT_ATTENTION));
}

static void f_ssch_cc2(struct rig *r)
{
	arm_cc(r, SIM_INSN_SSCH, 2, 2);
}

static void f_ssch_cc2_always(struct rig *r)
{
	arm_cc(r, SIM_INSN_SSCH, 2, 1000);
}

static void f_ssch_cc3(struct rig *r)
{
	arm_cc(r, SIM_INSN_SSCH, 3, 1);
}

static void f_tsch_cc3(struct rig *r)
{
	arm_cc(r, SIM_INSN_TSCH, 3, 1);
}

static void f_uc_reject(struct rig *r)
{
	arm_unit_check(r, SENSE0_CMD_REJECT);
}

static void f_uc_equipment(struct rig *r)
{
	arm_unit_check(r, SENSE0_EQUIPMENT_CHECK);
}

static void f_uc_answer(struct rig *r)
{
	struct sim_testdev_answer a = {
		.result = SIM_IO_OK,
		.dstat = SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_CHECK,
		.sense = { SENSE0_INTERVENTION_REQ },
	};

	sim_testdev_set_answer(r->ta, &a);
}

static void f_program_check(struct rig *r)
{
	arm_status(r, 0, SCSW_CSTAT_PROG_CHECK, 1);
}

static void f_protection_check(struct rig *r)
{
	arm_status(r, 0, SCSW_CSTAT_PROT_CHECK, 1);
}

static void f_data_check(struct rig *r)
{
	arm_status(r, 0, SCSW_CSTAT_DATA_CHECK, 1);
}

static void f_chaining_check(struct rig *r)
{
	arm_status(r, 0, SCSW_CSTAT_CHAIN_CHECK, 1);
}

static void f_ccc_once(struct rig *r)
{
	arm_status(r, 0, SCSW_CSTAT_CHN_CTRL_CHK, 1);
}

static void f_ccc_always(struct rig *r)
{
	arm_status(r, 0, SCSW_CSTAT_CHN_CTRL_CHK, CSS_RETRIES + 1);
}

static void f_icc_once(struct rig *r)
{
	arm_status(r, 0, SCSW_CSTAT_INTF_CTRL_CHK, 1);
}

static void f_unit_exception(struct rig *r)
{
	arm_status(r, SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_EXCEP, 0, 1);
}

static void f_busy_once(struct rig *r)
{
	arm_kind(r, SIM_FAULT_BUSY, 1);
}

static void f_busy_always(struct rig *r)
{
	arm_kind(r, SIM_FAULT_BUSY, CSS_RETRIES + 1);
}

static void f_lose_int(struct rig *r)
{
	arm_kind(r, SIM_FAULT_LOSE_INT, 1);
}

static void f_spurious(struct rig *r)
{
	MODE_ASSERT(sim_fault_spurious_int(r->sim, r->a) == 0);
}

static void f_hang(struct rig *r)
{
	arm_kind(r, SIM_FAULT_HANG, 1);
}

static void f_unplug(struct rig *r)
{
	r->ha->hook = hook_unplug;
}

struct cell {
	const char *name;
	void (*arm)(struct rig *r);
	int err;	   /* what css_run() must return */
	const char *words; /* in irb_explain() of a failure */
	int retries;	   /* css.stats.retries afterwards */
	unsigned timeouts; /* css.stats.timeouts afterwards */
	unsigned handed;   /* unsolicited-handler calls during the run */
	bool gone;	   /* the device went away: bring it back first */
	bool costs;	   /* recovery shows: more instructions than a clean run */
};

#define R CSS_RETRIES

/* name, arm, css_run(), explanation, retries, timeouts, handed, gone, costs */
static const struct cell cells[] = {
	{ "SSCH cc 1, nothing pending", f_ssch_cc1, 0, NULL, 0, 0, 0, false, true },
	{ "SSCH cc 1, attention status pending", f_ssch_pending, 0, NULL, 0, 0, 1, false, true },
	{ "SSCH cc 2 twice", f_ssch_cc2, 0, NULL, 0, 0, 0, false, true },
	{ "SSCH cc 2 for ever", f_ssch_cc2_always, -VERR_BUSY, "busy", R, 0, 0, false, false },
	{ "SSCH cc 3", f_ssch_cc3, -VERR_NODEV, "no such device", 0, 0, 0, false, false },
	{ "TSCH cc 3", f_tsch_cc3, -VERR_NODEV, "no such device", 0, 0, 0, false, false },
	{ "unit check, command reject", f_uc_reject, -VERR_NOTSUP, "command reject", 0, 0, 0, false,
	  false },
	{ "unit check, equipment check", f_uc_equipment, -VERR_IO, "equipment check", 0, 0, 0,
	  false, false },
	{ "unit check from the device's answer", f_uc_answer, -VERR_IO, "intervention required", 0,
	  0, 0, false, false },
	{ "program check", f_program_check, -VERR_IO, "program check", 0, 0, 0, false, false },
	{ "protection check", f_protection_check, -VERR_IO, "protection check", 0, 0, 0, false,
	  false },
	{ "channel-data check", f_data_check, -VERR_IO, "channel-data check", 0, 0, 0, false,
	  false },
	{ "chaining check", f_chaining_check, -VERR_IO, "chaining check", 0, 0, 0, false, false },
	{ "channel-control check once", f_ccc_once, 0, NULL, 1, 0, 0, false, true },
	{ "channel-control check every try", f_ccc_always, -VERR_IO, "channel-control check", R, 0,
	  0, false, false },
	{ "interface-control check once", f_icc_once, 0, NULL, 1, 0, 0, false, true },
	{ "unit exception", f_unit_exception, -VERR_IO, "unit exception", 0, 0, 0, false, false },
	{ "busy at selection once", f_busy_once, 0, NULL, 1, 0, 0, false, true },
	{ "busy at selection every try", f_busy_always, -VERR_BUSY, "busy", R, 0, 0, false, false },
	{ "lost interruption", f_lose_int, 0, NULL, 0, 0, 0, false, false },
	{ "spurious interruption", f_spurious, 0, NULL, 0, 0, 0, false, false },
	{ "hanging device", f_hang, -VERR_TIMEOUT, "timed out", 0, 1, 0, false, false },
	{ "device gone during the program", f_unplug, -VERR_NODEV, "no such device", 0, 0, 0, true,
	  false },
};

#undef R

struct outcome {
	int rc;
	bool ok;
	char text[120];
};

/* Run one cell in one mode; the checks say which cell and mode failed. */
static void run_cell(const struct cell *c, const struct mode *m, struct outcome *o)
{
	struct rig r;
	struct css_result res;
	struct sim_stats s0, s1, s2;
	u64 t0, spent, clean;

	set_label(m->name, c->name);
	memset(o, 0, sizeof(*o));
	if (!rig_init(&r, m, true)) {
		rig_fini(&r);
		return;
	}
	/* A clean run first: what a program costs when nothing goes wrong. */
	sim_get_stats(r.sim, &s0);
	MODE_ASSERT(works(&r, r.a));
	sim_get_stats(r.sim, &s1);
	clean = s1.instructions - s0.instructions;

	c->arm(&r);
	t0 = host_clock_us();
	o->rc = roundtrip(&r, r.a, &res);
	spent = host_clock_us() - t0;
	sim_get_stats(r.sim, &s2);
	irb_explain(&res, o->text, sizeof(o->text));

	MODE_ASSERT(o->rc == c->err);
	MODE_ASSERT(res.err == o->rc);
	if (c->err == 0)
		MODE_ASSERT(data_back(&r, r.a));
	else
		MODE_ASSERT(strstr(o->text, c->words) != NULL);
	MODE_ASSERT(spent <= CLOCK_BOUND_US);
	MODE_ASSERT(r.css.stats.retries == (unsigned)c->retries);
	MODE_ASSERT(r.css.stats.timeouts == c->timeouts);
	MODE_ASSERT(r.seen.n == c->handed);
	if (c->handed)
		MODE_ASSERT(r.seen.schid == r.a);
	/* The fault did strike: recovering from it took extra instructions. */
	if (c->costs)
		MODE_ASSERT(s2.instructions - s1.instructions > clean);
	if (c->arm == f_lose_int)
		MODE_ASSERT(s2.lost - s1.lost == 1);

	/* Whatever happened to A, B is untouched, and A serves again. */
	sim_fault_clear(r.sim);
	if (c->gone) {
		MODE_ASSERT(sim_set_present(r.sim, r.a, true) == 0);
		MODE_ASSERT(css_enable(&r.css, r.a, 0xA) == 0);
	}
	MODE_ASSERT(works(&r, r.b));
	MODE_ASSERT(works(&r, r.a));
	o->ok = label_ok;
	rig_fini(&r);
}

/*
 * Every injected fault, in both profiles and both completion modes: either
 * recovery with the data intact or a clean failure with the right code and
 * a readable explanation, in bounded virtual time, and both devices
 * working afterwards. Printed as a table.
 */
static void test_fault_matrix(void)
{
	static struct outcome out[ARRAY_SIZE(cells)][NMODES];
	unsigned i, m;

	for (i = 0; i < ARRAY_SIZE(cells); i++)
		for (m = 0; m < NMODES; m++)
			run_cell(&cells[i], &modes[m], &out[i][m]);

	printf("\n\n    %-38s", "fault injected on device A");
	for (m = 0; m < NMODES; m++)
		printf(" %-16s", modes[m].name);
	printf(" irb_explain() in arch/sync\n");
	for (i = 0; i < ARRAY_SIZE(cells); i++) {
		printf("    %-38s", cells[i].name);
		for (m = 0; m < NMODES; m++) {
			char tok[24];

			snprintf(tok, sizeof(tok), "%s%s",
				 out[i][m].rc ? verr_str(out[i][m].rc) : "recovered",
				 out[i][m].ok ? "" : " FAIL");
			printf(" %-16s", tok);
		}
		printf(" %s\n", out[i][0].text);
	}
	printf("    ");
}

/* --- Hangs and disappearing devices, one by one ---------------------------- */

/* A hanging device: the deadline passes, a halt ends the program, the device serves again. */
static void test_hang_halted(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct rig r;
		struct css_result res;
		u64 t0;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		f_hang(&r);
		t0 = host_clock_us();
		MODE_ASSERT(roundtrip(&r, r.a, &res) == -VERR_TIMEOUT);
		MODE_ASSERT(host_clock_us() - t0 >= RIG_TIMEOUT_US);
		MODE_ASSERT(host_clock_us() - t0 <= CLOCK_BOUND_US);
		MODE_ASSERT(r.css.stats.timeouts == 1);
		/* The halt sufficed: no clear, which would have reset the device. */
		MODE_ASSERT(r.ta->resets == 0);
		MODE_ASSERT(works(&r, r.a));
		MODE_ASSERT(works(&r, r.b));
		rig_fini(&r);
	}
}

/* When the halt is refused, the clear ends the program. */
static void test_hang_cleared(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct rig r;
		struct css_result res;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		f_hang(&r);
		arm_cc(&r, SIM_INSN_HSCH, 2, 1);
		MODE_ASSERT(roundtrip(&r, r.a, &res) == -VERR_TIMEOUT);
		MODE_ASSERT(host_clock_us() <= CLOCK_BOUND_US);
		MODE_ASSERT(r.css.stats.timeouts == 1);
		MODE_ASSERT(r.ta->resets == 1);
		MODE_ASSERT(works(&r, r.a));
		MODE_ASSERT(works(&r, r.b));
		rig_fini(&r);
	}
}

/*
 * The device goes away while its program runs: not operational, at once
 * rather than at the deadline; reports say so; it works when it is back.
 */
static void test_device_gone_midway(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct rig r;
		struct css_result res;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		f_unplug(&r);
		MODE_ASSERT(roundtrip(&r, r.a, &res) == -VERR_NODEV);
		MODE_ASSERT(r.ha->fired == 1);
		MODE_ASSERT(host_clock_us() < RIG_TIMEOUT_US);
		MODE_ASSERT(r.css.stats.timeouts == 0);
		MODE_ASSERT(works(&r, r.b));
		MODE_ASSERT(css_process_crws(&r.css) == 1);
		MODE_ASSERT(r.crws.n == 1 && r.crws.schid[0] == r.a && !r.crws.present[0]);

		MODE_ASSERT(sim_set_present(r.sim, r.a, true) == 0);
		MODE_ASSERT(css_process_crws(&r.css) == 1);
		MODE_ASSERT(r.crws.n == 2 && r.crws.schid[1] == r.a && r.crws.present[1]);
		MODE_ASSERT(css_enable(&r.css, r.a, 0xA) == 0);
		MODE_ASSERT(works(&r, r.a));
		rig_fini(&r);
	}
}

/* --- Foreign and stale interruptions -------------------------------------- */

/*
 * Attention on B while css_run() waits for A: A's program ends normally,
 * then B's status reaches the unsolicited handler under B's id.
 */
static void test_foreign_during_wait(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		bool deferred = modes[m].completion == SIM_COMPLETE_DEFERRED;
		bool qemu = modes[m].profile == SIM_PROFILE_QEMU;
		struct rig r;
		struct css_result res;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		r.ha->hook = hook_attention_other;
		r.ha->other = r.b;
		MODE_ASSERT(roundtrip(&r, r.a, &res) == 0);
		MODE_ASSERT(data_back(&r, r.a));
		MODE_ASSERT(r.ha->fired == 1);
		MODE_ASSERT(r.seen.n == 1);
		MODE_ASSERT(r.seen.schid == r.b);
		MODE_ASSERT((ctrl_of(&r.seen.irb) & SCSW_FCTL_MASK) == 0);
		MODE_ASSERT(ctrl_of(&r.seen.irb) & SCSW_STCTL_ALERT);
		MODE_ASSERT(r.seen.irb.scsw.dstat & SCSW_DSTAT_ATTENTION);
		MODE_ASSERT(r.css.nforeign == 0);
		MODE_ASSERT(r.css.stats.foreign == 1);
		MODE_ASSERT(!sim_io_int_pending(r.sim));
		/* Interruptions while the CPU waits; polls (and QEMU's leftover) otherwise. */
		MODE_ASSERT(r.css.stats.interrupts == (deferred ? 1u : 0u));
		MODE_ASSERT(r.css.stats.polls == (deferred ? 0u : 1u));
		MODE_ASSERT(r.css.stats.stale == (qemu && !deferred ? 1u : 0u));
		MODE_ASSERT(works(&r, r.b));
		rig_fini(&r);
	}
}

/*
 * Noted subchannels are tested one by one: status found goes to the
 * handler under its own id, a note without status is dropped quietly.
 */
static void test_poll_foreign(void)
{
	for (unsigned p = 0; p < NMODES; p += 2) {
		struct rig r;

		set_label(modes[p].name, "");
		if (!rig_init(&r, &modes[p], true)) {
			rig_fini(&r);
			continue;
		}
		MODE_ASSERT(sim_unsolicited(r.sim, r.b, SCSW_DSTAT_ATTENTION));
		r.css.foreign[0] = r.a; /* noted, but nothing pending there */
		r.css.foreign[1] = r.b;
		r.css.nforeign = 2;
		css_poll_foreign(&r.css);
		MODE_ASSERT(r.css.nforeign == 0);
		MODE_ASSERT(r.seen.n == 1);
		MODE_ASSERT(r.seen.schid == r.b);
		MODE_ASSERT(r.seen.irb.scsw.dstat & SCSW_DSTAT_ATTENTION);
		MODE_ASSERT(works(&r, r.b));
		MODE_ASSERT(r.seen.n == 1);
		rig_fini(&r);
	}
}

/*
 * QEMU keeps an interruption queued for every program even after TSCH has
 * collected its status: after each polled completion the layer drains it,
 * counts it as stale, and leaves nothing queued. The architecture
 * withdraws it itself, and nothing is counted.
 */
static void test_stale_drained(void)
{
	for (unsigned m = 0; m < NMODES; m += 2) {
		bool qemu = modes[m].profile == SIM_PROFILE_QEMU;
		struct rig r;
		struct senseid id;
		unsigned len;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		MODE_ASSERT(works(&r, r.a));
		MODE_ASSERT(!sim_io_int_pending(r.sim));
		MODE_ASSERT(css_run1(&r.css, r.a, CMD_UNKNOWN, 0, 0, NULL, RIG_TIMEOUT_US, NULL) ==
		       -VERR_NOTSUP);
		MODE_ASSERT(!sim_io_int_pending(r.sim));
		MODE_ASSERT(css_sense_id(&r.css, r.a, &id, &len) == 0);
		MODE_ASSERT(!sim_io_int_pending(r.sim));
		/* Without concurrent sense, the BASIC SENSE is a program of its own. */
		r.css.csense = false;
		MODE_ASSERT(css_enable(&r.css, r.a, 0xA) == 0);
		MODE_ASSERT(css_run1(&r.css, r.a, CMD_UNKNOWN, 0, 0, NULL, RIG_TIMEOUT_US, NULL) ==
		       -VERR_NOTSUP);
		MODE_ASSERT(!sim_io_int_pending(r.sim));
		MODE_ASSERT(r.css.stats.starts == 5);
		MODE_ASSERT(r.css.stats.polls == 5);
		MODE_ASSERT(r.css.stats.interrupts == 0);
		MODE_ASSERT(r.css.stats.stale == (qemu ? 5u : 0u));
		MODE_ASSERT(r.css.stats.foreign == 0);
		MODE_ASSERT(r.seen.n == 0);
		rig_fini(&r);
	}
}

/* Waiting programs end by their interruption; synchronous ones are found by polling. */
static void test_stats_interrupts_polls(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		bool deferred = modes[m].completion == SIM_COMPLETE_DEFERRED;
		struct rig r;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		for (unsigned i = 0; i < 3; i++) {
			MODE_ASSERT(works(&r, r.a));
			MODE_ASSERT(works(&r, r.b));
		}
		MODE_ASSERT(r.css.stats.starts == 6);
		MODE_ASSERT(r.css.stats.interrupts == (deferred ? 6u : 0u));
		MODE_ASSERT(r.css.stats.polls == (deferred ? 0u : 6u));
		MODE_ASSERT(r.css.stats.retries == 0);
		MODE_ASSERT(r.css.stats.foreign == 0);
		MODE_ASSERT(!sim_io_int_pending(r.sim));
		rig_fini(&r);
	}
}

/* The halt or clear after a deadline leaves no interruption queued either. */
static void test_stale_after_timeout(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct rig r;
		struct css_result res;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		f_hang(&r);
		MODE_ASSERT(roundtrip(&r, r.a, &res) == -VERR_TIMEOUT);
		MODE_ASSERT(!sim_io_int_pending(r.sim));
		rig_fini(&r);
	}
}

/* A spurious interruption for the subchannel changes nothing. */
static void test_spurious_ignored(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		struct rig r;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		MODE_ASSERT(sim_fault_spurious_int(r.sim, r.a) == 0);
		MODE_ASSERT(sim_fault_spurious_int(r.sim, r.b) == 0);
		MODE_ASSERT(works(&r, r.a));
		MODE_ASSERT(r.seen.n == 0);
		MODE_ASSERT(works(&r, r.b));
		MODE_ASSERT(r.seen.n == 0);
		MODE_ASSERT(r.css.stats.retries == 0);
		MODE_ASSERT(!sim_io_int_pending(r.sim));
		rig_fini(&r);
	}
}

/* An adapter interruption met while waiting is kept for its subclass. */
static void test_adapter_remembered(void)
{
	for (unsigned m = 0; m < NMODES; m++) {
		bool deferred = modes[m].completion == SIM_COMPLETE_DEFERRED;
		struct rig r;

		set_label(modes[m].name, "");
		if (!rig_init(&r, &modes[m], true)) {
			rig_fini(&r);
			continue;
		}
		sim_adapter_interrupt(r.sim, 2);
		MODE_ASSERT(works(&r, r.a));
		MODE_ASSERT(r.css.stats.adapter == 1);
		MODE_ASSERT(css_take_adapter(&r.css, 2));
		MODE_ASSERT(!css_take_adapter(&r.css, 2));
		/* Taken as an interruption, its subclass is known exactly. */
		if (deferred)
			MODE_ASSERT(!css_take_adapter(&r.css, 3));
		rig_fini(&r);
	}
}

/* --- Channel reports --------------------------------------------------- */

/* One report per event in set 0: gone, then back. */
static void test_crw_set0(void)
{
	for (unsigned p = 0; p < NMODES; p += 2) {
		struct rig r;

		set_label(modes[p].name, "");
		if (!rig_init(&r, &modes[p], true)) {
			rig_fini(&r);
			continue;
		}
		MODE_ASSERT(css_process_crws(&r.css) == 0);
		MODE_ASSERT(sim_set_present(r.sim, r.b, false) == 0);
		MODE_ASSERT(css_process_crws(&r.css) == 1);
		MODE_ASSERT(r.crws.n == 1 && r.crws.schid[0] == r.b && !r.crws.present[0]);
		MODE_ASSERT(css_run1(&r.css, r.b, SIM_TESTDEV_CMD_CONTROL, 0, 0, NULL, RIG_TIMEOUT_US,
				NULL) == -VERR_NODEV);
		MODE_ASSERT(sim_set_present(r.sim, r.b, true) == 0);
		MODE_ASSERT(css_process_crws(&r.css) == 1);
		MODE_ASSERT(r.crws.n == 2 && r.crws.schid[1] == r.b && r.crws.present[1]);
		MODE_ASSERT(css_process_crws(&r.css) == 0);
		MODE_ASSERT(r.crws.n == 2);
		MODE_ASSERT(css_enable(&r.css, r.b, 0xB) == 0);
		MODE_ASSERT(works(&r, r.b));
		rig_fini(&r);
	}
}

/* With MSS a report comes as a chained pair whose second word names the set. */
static void test_crw_chained_pair(void)
{
	for (unsigned p = 0; p < NMODES; p += 2) {
		struct rig r;
		u32 c = schid_make(2, 4), a = schid_make(0, 0);

		set_label(modes[p].name, "");
		if (!rig_machine(&r, &modes[p], true))
			continue;
		MODE_ASSERT(sim_testdev_attach(r.sim, 0, 0, 0x0100, NULL) == (long)a);
		MODE_ASSERT(sim_testdev_attach(r.sim, 2, 4, 0x2104, NULL) == (long)c);
		MODE_ASSERT(css_enable_mss(&r.css) == 0);

		MODE_ASSERT(sim_set_present(r.sim, c, false) == 0);
		MODE_ASSERT(css_process_crws(&r.css) == 2);
		MODE_ASSERT(r.crws.n == 1 && r.crws.schid[0] == c && !r.crws.present[0]);
		MODE_ASSERT(sim_set_present(r.sim, c, true) == 0);
		MODE_ASSERT(css_process_crws(&r.css) == 2);
		MODE_ASSERT(r.crws.n == 2 && r.crws.schid[1] == c && r.crws.present[1]);
		/* Set 0 is named explicitly too. */
		MODE_ASSERT(sim_set_present(r.sim, a, false) == 0);
		MODE_ASSERT(css_process_crws(&r.css) == 2);
		MODE_ASSERT(r.crws.n == 3 && r.crws.schid[2] == a && !r.crws.present[2]);
		MODE_ASSERT(css_process_crws(&r.css) == 0);
		rig_fini(&r);
	}
}

/* --- CHSC and program exceptions ----------------------------------------- */

/* The simulator offers the extended measurement block: general bit 48. */
static void test_characteristics(void)
{
	for (unsigned p = 0; p < NMODES; p += 2) {
		struct rig r;
		u32 general[4] = { 0 };

		set_label(modes[p].name, "");
		if (!rig_machine(&r, &modes[p], false))
			continue;
		MODE_ASSERT(css_characteristics(&r.css, general, 4) == 0);
		MODE_ASSERT(general[1] & 0x00008000u);
		rig_fini(&r);
	}
}

static jmp_buf pgm_env;
static int pgm_code;
static const char *pgm_insn;

/* Leave the instruction the way the machine's program-check handler would. */
static void pgm_jump(int code, const char *insn)
{
	pgm_code = code;
	pgm_insn = insn;
	longjmp(pgm_env, 1);
}

/* Run one instruction expected to raise a program exception; its code, or 0. */
#define PGM_OF(call)                      \
	({                                \
		volatile int c_ = 0;      \
		pgm_code = 0;             \
		pgm_insn = "";            \
		if (setjmp(pgm_env) == 0) \
			(void)(call);     \
		else                      \
			c_ = pgm_code;    \
		c_;                       \
	})

/*
 * Operands outside guest memory raise addressing, a malformed subchannel
 * id raises operand, as on the machine; the machine is unchanged.
 */
static void test_program_exceptions(void)
{
	struct rig r;
	struct orb orb;
	struct irb irb;
	struct schib schib;
	struct schib *dma_schib;

	set_label(modes[0].name, "");
	if (!rig_init(&r, &modes[0], true)) {
		rig_fini(&r);
		return;
	}
	memset(&orb, 0, sizeof(orb));
	orb.ctrl = cpu_to_be32(ORB_CTRL_FMT | (0x80u << ORB_CTRL_LPM_SHIFT));
	orb.cpa = cpu_to_be32(dma(r.ba.prog));
	dma_schib = port_dma_alloc(sizeof(*dma_schib), 8);

	host_set_pgm_handler(pgm_jump);
	MODE_ASSERT(PGM_OF(ssch(r.a, &orb)) == SIM_PGM_ADDRESSING);
	MODE_ASSERT(strcmp(pgm_insn, "ssch") == 0);
	MODE_ASSERT(PGM_OF(tsch(r.a, &irb)) == SIM_PGM_ADDRESSING);
	MODE_ASSERT(strcmp(pgm_insn, "tsch") == 0);
	MODE_ASSERT(PGM_OF(stsch(r.a, &schib)) == SIM_PGM_ADDRESSING);
	MODE_ASSERT(strcmp(pgm_insn, "stsch") == 0);
	/* The "one" bit missing from the subchannel-id word. */
	MODE_ASSERT(PGM_OF(stsch(0x0000FFFFu, dma_schib)) == SIM_PGM_OPERAND);
	MODE_ASSERT(strcmp(pgm_insn, "stsch") == 0);
	host_set_pgm_handler(NULL);

	/* Suppressed instructions: nothing started, the device still works. */
	MODE_ASSERT(r.ta->commands == 0);
	MODE_ASSERT(works(&r, r.a));
	rig_fini(&r);
}


/* A device model's poller: it counts its calls and raises an adapter
 * interruption on its third call with time to spend. */
struct poll_probe {
	struct sim *sim;
	unsigned calls, with_budget;
	u64 max_budget;
	bool first_was_zero;
};

static bool probe_poll(void *ctx, u64 budget_us)
{
	struct poll_probe *p = ctx;

	if (p->calls++ == 0)
		p->first_was_zero = budget_us == 0;
	if (!budget_us)
		return false;
	p->max_budget = MAX(p->max_budget, budget_us);
	if (++p->with_budget < 3)
		return false;
	sim_adapter_interrupt(p->sim, 3);
	return true;
}

static void test_pollers_get_idle_time(void)
{
	const struct mode *m = &modes[0];
	struct poll_probe p;
	struct port_irq irq;
	struct rig r;
	u64 deadline;

	if (!rig_machine(&r, m, false))
		return;
	/* No pollers: the virtual clock jumps to the deadline. */
	CU_ASSERT_EQUAL(sim_idle(r.sim, 1000), -1);
	deadline = port_now_us() + 5000000;
	CU_ASSERT_FALSE(port_wait_io(deadline, &irq));
	CU_ASSERT_EQUAL(host_clock_us(), deadline);

	/* A poller: it is asked without a budget first, then with slices of
	 * real time, and what it raises ends the wait early. */
	memset(&p, 0, sizeof(p));
	p.sim = r.sim;
	CU_ASSERT_EQUAL(sim_add_poller(r.sim, probe_poll, &p), 0);
	deadline = port_now_us() + 5000000;
	CU_ASSERT_TRUE(port_wait_io(deadline, &irq));
	CU_ASSERT_EQUAL(irq.schid, 0u);
	CU_ASSERT(host_clock_us() < deadline);
	CU_ASSERT(p.first_was_zero);
	CU_ASSERT_EQUAL(p.with_budget, 3u);
	CU_ASSERT(p.max_budget > 0 && p.max_budget <= 5000000);
	rig_fini(&r);
}

/*
 * CCW data addresses are 31 bits (PoP 15): memory the channel subsystem
 * cannot address below 2 GiB is refused before any program runs, and no
 * device sees a CCW for it.
 */
static void test_addr31(void)
{
	struct rig r;
	struct css_result res;
	u8 outside[16];
	u32 a = 0xDEAD;
	struct sim_stats before, after;

	CU_ASSERT_FATAL(rig_init(&r, &modes[0], true));
	CU_ASSERT_EQUAL(css_addr31(NULL, 0, &a), 0);
	CU_ASSERT_EQUAL(a, 0);
	CU_ASSERT_EQUAL(css_addr31(r.ba.in, RIG_LEN, &a), 0);
	CU_ASSERT_EQUAL((u64)a, port_dma_addr(r.ba.in));
	/* Host memory outside the guest's: no address a CCW can carry. */
	CU_ASSERT_EQUAL(css_addr31(outside, sizeof(outside), &a), -VERR_RANGE);
	sim_get_stats(r.sim, &before);
	CU_ASSERT_EQUAL(css_run1(&r.css, r.a, CCW_CMD_BASIC_SENSE, CCW_FLAG_SLI, sizeof(outside),
				 outside, CSS_DEFAULT_TIMEOUT_US, &res), -VERR_RANGE);
	CU_ASSERT_EQUAL(res.err, -VERR_RANGE);
	sim_get_stats(r.sim, &after);
	CU_ASSERT_EQUAL(after.ccws, before.ccws);
	rig_fini(&r);
}

static CU_TestInfo css_layer_tests[] = {
	{ "enumeration sees set 0 only, sets 1-3 after MSS is enabled", test_enum_sets_after_mss },
	{ "without the MSS facility enable_mss is NOTSUP and only set 0 is seen",
	  test_enum_no_mss },
	{ "enumeration skips holes in the subchannel numbering", test_enum_holes },
	{ "enable sets ENA, the ISC, intparm and concurrent sense; disable clears ENA",
	  test_enable_disable_schib },
	{ "enable and disable hand pending status to the unsolicited handler first",
	  test_enable_pending_status },
	{ "enable of a missing subchannel, a hole or a hidden set is NODEV", test_enable_nodev },
	{ "MSCH busy is retried and the result always agrees with the SCHIB",
	  test_enable_msch_busy },
	{ "a normal ending returns 0 and the residual count", test_run_residual },
	{ "memory a 31-bit CCW address cannot reach is refused before the start", test_addr31 },
	{ "a WRITE chained to a READ moves the data through the device", test_run_roundtrip },
	{ "SENSE ID returns the device's identity and length", test_sense_id },
	{ "SENSE ID data shorter than 4 bytes is a protocol error", test_sense_id_short },
	{ "command reject is NOTSUP with sense 0x80, with or without concurrent sense",
	  test_command_reject },
	{ "another unit check is an I/O error carrying the device's sense", test_unit_check_sense },
	{ "an invalid CCW or unreachable data is a program check, I/O error", test_program_check },
	{ "storing into protected storage is a protection check, I/O error",
	  test_protection_check },
	{ "a wrong length is incorrect length (arch) or program check (qemu)",
	  test_incorrect_length },
	{ "a channel program outside DMA memory is INVAL before any start", test_program_not_dma },
	{ "every injected fault recovers or fails cleanly, bounded, B unharmed",
	  test_fault_matrix },
	{ "a hanging device times out, a halt ends it, and it works again", test_hang_halted },
	{ "a hanging device that refuses the halt is cleared and works again", test_hang_cleared },
	{ "a device gone during a program is NODEV at once and works once back",
	  test_device_gone_midway },
	{ "attention on another device during a wait reaches the handler afterwards",
	  test_foreign_during_wait },
	{ "css_poll_foreign hands the status of noted subchannels to the handler",
	  test_poll_foreign },
	{ "each polled completion's leftover interruption is drained (qemu)", test_stale_drained },
	{ "completions count as interruptions when waiting, as polls when synchronous",
	  test_stats_interrupts_polls },
	{ "a timed-out program leaves no interruption queued", test_stale_after_timeout },
	{ "a spurious interruption is ignored", test_spurious_ignored },
	{ "an adapter interruption seen while waiting is kept for its ISC",
	  test_adapter_remembered },
	{ "channel reports say a device went away and came back", test_crw_set0 },
	{ "with MSS a chained pair of reports names the subchannel set", test_crw_chained_pair },
	{ "CHSC characteristics show general bit 48 on the simulator", test_characteristics },
	{ "bad instruction operands raise addressing or operand exceptions",
	  test_program_exceptions },
	{ "device models' pollers get the idle time, and end a wait they make pending",
	  test_pollers_get_idle_time },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo css_layer_suite = { "css", NULL, NULL, NULL, NULL, css_layer_tests };
