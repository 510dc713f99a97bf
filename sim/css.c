/*
 * The channel subsystem: subchannels, the I/O instructions with their
 * condition codes and program exceptions, the pending-interruption queue,
 * channel reports, CHSC, measurement, fault injection and the trace.
 * PoP chapter 14 "I/O Instructions"; reference/ccw-virtio-checklist.md
 * sections A.1, A.2, A.7, A.8, A.11 and E.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

/* Operand-exception checks on the subchannel-id word (A.1). */
static bool decode_sid(const struct sim *sim, u64 r1, unsigned *ssid, unsigned *schno, bool *m)
{
	u32 v = (u32)r1;

	if (!(v & SCHID_ONE))
		return false;
	if (!(v & SCHID_M) && (v & SCHID_CSSID_MASK))
		return false;
	/* Bits 40-43 are reserved; QEMU does not look at them. */
	if (!sim_qemu(sim) && (v & SCHID_RESERVED))
		return false;
	*ssid = schid_ssid(v);
	*schno = schid_schno(v);
	*m = (v & SCHID_M) != 0;
	return true;
}

struct sim_sch *sim_find(struct sim *sim, u32 schid)
{
	unsigned ssid = schid_ssid(schid), schno = schid_schno(schid);
	const struct sim_set *set = &sim->sets[ssid];

	if (schno >= set->n || !set->sch[schno])
		return NULL;
	return set->sch[schno];
}

/* The subchannel an instruction addresses, when it exists and is visible. */
static struct sim_sch *lookup(struct sim *sim, unsigned ssid, unsigned schno, bool m)
{
	struct sim_sch *sch;

	/* One channel subsystem, and multiple-CSS addressing is never enabled. */
	if (m || ssid > sim->max_ssid)
		return NULL;
	sch = sim_find(sim, schid_make(ssid, schno));
	return sch && sch->present ? sch : NULL;
}

/* Whether the subchannel can take SSCH, TSCH, HSCH, CSCH, RSCH, XSCH. */
static bool operational(const struct sim_sch *sch)
{
	u16 f = sch->pmcw.flags;

	/* QEMU tests for either bit (hw/s390x/css.c), so a disabled
	 * subchannel with a valid device number still works there. */
	if (sim_qemu(sch->sim))
		return (f & (PMCW_FLAGS_DNV | PMCW_FLAGS_ENA)) != 0;
	return (f & PMCW_FLAGS_DNV) && (f & PMCW_FLAGS_ENA);
}

/* --- Creation ------------------------------------------------------------ */

struct sim *sim_create(const struct sim_config *cfg)
{
	struct sim *sim;

	if (!cfg || cfg->mem_size < 0x10000 || cfg->mem_size > ((u64)1 << 36))
		return NULL;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return NULL;
	sim->cfg = *cfg;
	if (!sim->cfg.max_ccws)
		sim->cfg.max_ccws = SIM_DEFAULT_MAX_CCWS;
	sim->mem = calloc(1, (size_t)cfg->mem_size);
	if (!sim->mem) {
		free(sim);
		return NULL;
	}
	for (unsigned i = 0; i < SIM_SETS; i++)
		sim->sets[i].last = -1;
	return sim;
}

void sim_destroy(struct sim *sim)
{
	if (!sim)
		return;
	for (unsigned s = 0; s < SIM_SETS; s++) {
		for (unsigned n = 0; n < sim->sets[s].n; n++) {
			struct sim_sch *sch = sim->sets[s].sch[n];

			if (!sch)
				continue;
			if (sch->ops && sch->ops->destroy)
				sch->ops->destroy(sch->cu);
			free(sch);
		}
		free(sim->sets[s].sch);
	}
	for (unsigned i = 0; i < sim->ngone; i++)
		free(sim->gone[i]);
	free(sim->gone);
	free(sim->work);
	sim_clock_destroy(sim);
	free(sim->mem);
	free(sim);
}

enum sim_profile sim_profile(const struct sim *sim)
{
	return sim->cfg.profile;
}

void sim_set_problem_state(struct sim *sim, bool problem)
{
	sim->problem_state = problem;
}

long sim_attach(struct sim *sim, const struct sim_dev_config *cfg, const struct sim_cu_ops *ops,
		void *cu)
{
	struct sim_set *set;
	struct sim_sch *sch;
	unsigned schno;

	if (!cfg || cfg->ssid >= SIM_SETS || !ops || !ops->command)
		return -1;
	set = &sim->sets[cfg->ssid];
	if (cfg->schno < 0) {
		for (schno = 0; schno < set->n && set->sch[schno]; schno++)
			;
	} else {
		schno = (unsigned)cfg->schno;
	}
	if (schno > SIM_MAX_SCHNO || (schno < set->n && set->sch[schno]))
		return -1;
	if (schno >= set->n) {
		unsigned n = set->n ? set->n : 16;
		struct sim_sch **p;

		while (n <= schno)
			n *= 2;
		if (n > SIM_MAX_SCHNO + 1)
			n = SIM_MAX_SCHNO + 1;
		p = realloc(set->sch, n * sizeof(*p));
		if (!p)
			return -1;
		memset(p + set->n, 0, (n - set->n) * sizeof(*p));
		set->sch = p;
		set->n = n;
	}
	sch = calloc(1, sizeof(*sch));
	if (!sch)
		return -1;
	sch->sim = sim;
	sch->schid = schid_make(cfg->ssid, schno);
	sch->present = true;
	sch->cfg = *cfg;
	if (!sch->cfg.sense_len || sch->cfg.sense_len > SENSE_DATA_LEN)
		sch->cfg.sense_len = SENSE_DATA_LEN;
	if (!sch->cfg.senseid_len) {
		unsigned n = 0;

		while (n < ARRAY_SIZE(cfg->ciw) && cfg->ciw[n].type)
			n++;
		sch->cfg.senseid_len = 8 + 4 * n;
		if (!n)
			sch->cfg.senseid_len = 7;
	}
	if (sch->cfg.senseid_len > sizeof(struct senseid))
		sch->cfg.senseid_len = sizeof(struct senseid);
	sch->ops = ops;
	sch->cu = cu;
	/* The SCHIB of a single-path device, as QEMU builds it (A.2). */
	sch->pmcw.flags = PMCW_FLAGS_DNV;
	sch->pmcw.devno = cfg->devno;
	sch->pmcw.pim = 0x80;
	sch->pmcw.pam = 0x80;
	sch->pmcw.pom = 0xFF;
	sch->pmcw.lpm = cfg->initially_enabled ? 0x80 : 0x00;
	sch->pmcw.chpid[0] = cfg->chpid;
	set->sch[schno] = sch;
	if ((int)schno > set->last)
		set->last = (int)schno;
	return (long)sch->schid;
}

/* --- Trace ----------------------------------------------------------------- */

void sim_trace(struct sim *sim, FILE *f, u32 schid)
{
	sim->trace = f;
	sim->trace_schid = schid;
}

bool sim_tracing(const struct sim *sim, u32 schid)
{
	return sim->trace && (sim->trace_schid == SIM_TRACE_ALL || sim->trace_schid == schid);
}

void sim_tracef(struct sim *sim, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(sim->trace, fmt, ap);
	va_end(ap);
	fputc('\n', sim->trace);
}

static void trace_insn(struct sim *sim, const char *insn, u64 r1, int rc)
{
	u32 v = (u32)r1;

	if (!sim_tracing(sim, v))
		return;
	if (SIM_IS_PGM(rc))
		sim_tracef(sim, "ioinst_%s %x.%x.%04x program exception %04x", insn,
			   (v & SCHID_CSSID_MASK) >> SCHID_CSSID_SHIFT, schid_ssid(v), schid_schno(v),
			   SIM_PGM_CODE(rc));
	else
		sim_tracef(sim, "ioinst_%s %x.%x.%04x cc %d", insn,
			   (v & SCHID_CSSID_MASK) >> SCHID_CSSID_SHIFT, schid_ssid(v), schid_schno(v),
			   rc);
}

void sim_get_stats(const struct sim *sim, struct sim_stats *out)
{
	*out = sim->stats;
}

/* --- Faults -------------------------------------------------------------- */

int sim_fault_add(struct sim *sim, const struct sim_fault *f)
{
	unsigned i;

	if (!f || !sim_find(sim, f->schid))
		return -1;
	if (f->kind == SIM_FAULT_CC && (f->insn >= SIM_INSN__COUNT || f->cc < 0 || f->cc > 3))
		return -1;
	if (f->kind > SIM_FAULT_USED_RING)
		return -1;
	if (f->kind == SIM_FAULT_LOSE_INT && !f->cmd) {
		sim_find(sim, f->schid)->lose_ints += f->count ? f->count : 1;
		return 0;
	}
	for (i = 0; i < SIM_MAX_FAULTS; i++) {
		if (!sim->faults[i].armed) {
			sim->faults[i].armed = true;
			sim->faults[i].f = *f;
			sim->faults[i].left = f->count ? f->count : 1;
			sim->nfaults_armed++;
			return 0;
		}
	}
	return -1;
}

void sim_fault_clear(struct sim *sim)
{
	for (unsigned s = 0; s < SIM_SETS; s++)
		for (unsigned n = 0; n < sim->sets[s].n; n++)
			if (sim->sets[s].sch[n])
				sim->sets[s].sch[n]->lose_ints = 0;
	memset(sim->faults, 0, sizeof(sim->faults));
	sim->nfaults_armed = 0;
}

unsigned sim_fault_armed(const struct sim *sim)
{
	unsigned n = 0;

	for (unsigned s = 0; s < SIM_SETS; s++)
		for (unsigned k = 0; k < sim->sets[s].n; k++)
			if (sim->sets[s].sch[k])
				n += sim->sets[s].sch[k]->lose_ints;
	for (unsigned i = 0; i < SIM_MAX_FAULTS; i++)
		if (sim->faults[i].armed)
			n += sim->faults[i].left;
	return n;
}

/* Find and consume one use of an armed fault. */
static const struct sim_fault *fault_take(struct sim *sim, u32 schid, enum sim_fault_kind kind,
					  enum sim_insn insn, u8 cmd)
{
	unsigned i;

	if (!sim->nfaults_armed)
		return NULL;
	for (i = 0; i < SIM_MAX_FAULTS; i++) {
		struct sim_fault_slot *s = &sim->faults[i];

		if (!s->armed || s->f.kind != kind || s->f.schid != schid)
			continue;
		if (kind == SIM_FAULT_CC && s->f.insn != insn)
			continue;
		if (s->f.cmd && s->f.cmd != cmd)
			continue;
		if (--s->left == 0) {
			s->armed = false;
			sim->nfaults_armed--;
		}
		return &s->f;
	}
	return NULL;
}

const struct sim_fault *sim_fault_take(struct sim *sim, u32 schid, enum sim_fault_kind kind, u8 cmd)
{
	return fault_take(sim, schid, kind, SIM_INSN__COUNT, cmd);
}

/* An injected condition code for this instruction, or -1. */
static int fault_cc_cmd(struct sim *sim, const struct sim_sch *sch, enum sim_insn insn, u8 cmd)
{
	const struct sim_fault *f = fault_take(sim, sch->schid, SIM_FAULT_CC, insn, cmd);

	return f ? f->cc : -1;
}

static int fault_cc(struct sim *sim, const struct sim_sch *sch, enum sim_insn insn)
{
	return fault_cc_cmd(sim, sch, insn, 0);
}

/* The command code of the first CCW of a program (0 when unreadable). */
static u8 first_cmd(struct sim *sim, u32 ctrl, u32 cpa)
{
	u8 c = 0;

	if (!sim->nfaults_armed || !sim_mem_read(sim, cpa, &c, 1))
		return 0;
	(void)ctrl; /* byte 0 is the command in both CCW formats */
	return c;
}

/* --- Interruptions --------------------------------------------------------- */

static unsigned sch_isc(const struct sim_sch *sch)
{
	return (sch->pmcw.flags & PMCW_FLAGS_ISC_MASK) >> PMCW_FLAGS_ISC_SHIFT;
}

static void ring_push(struct sim *sim, unsigned isc, const struct sim_irq *e)
{
	struct sim_irq_ring *r = &sim->rings[isc];

	if (r->tail - r->head >= SIM_IRQ_RING) {
		sim->stats.lost++;
		return;
	}
	r->e[r->tail++ % SIM_IRQ_RING] = *e;
	sim->stats.interrupts++;
}

void sim_queue_int(struct sim_sch *sch)
{
	struct sim *sim = sch->sim;
	struct sim_irq e;
	unsigned isc = sch_isc(sch);

	/* Lost: the next one, or the one ending a program that began with a
	 * given command (the start function is still on in the SCSW). */
	if (sch->lose_ints ||
	    ((sch->scsw.ctrl & SCSW_FCTL_START_FUNC) &&
	     sim_fault_take(sim, sch->schid, SIM_FAULT_LOSE_INT, sch->first_cmd))) {
		if (sch->lose_ints)
			sch->lose_ints--;
		sim->stats.lost++;
		if (sim_tracing(sim, sch->schid))
			sim_tracef(sim, "css_io_interrupt 0.%x.%04x lost (injected)",
				   schid_ssid(sch->schid), schid_schno(sch->schid));
		return;
	}
	/* Architecturally one interruption condition per subchannel; QEMU
	 * queues one per completion and TSCH does not withdraw it. */
	if (sch->int_pending && !sim_qemu(sim))
		return;
	sch->int_pending = true;
	sch->int_gen++;
	e.schid = sch->schid;
	e.intparm = sch->pmcw.intparm;
	e.iid = (u32)isc << IO_INT_WORD_ISC_SHIFT;
	e.gen = sch->int_gen;
	e.sch = sch;
	ring_push(sim, isc, &e);
	if (sim_tracing(sim, sch->schid))
		sim_tracef(sim, "css_io_interrupt 0.%x.%04x intparm 0x%08x isc %u",
			   schid_ssid(sch->schid), schid_schno(sch->schid), e.intparm, isc);
}

/* Withdraw the queued interruption of a subchannel (architecture only). */
static void withdraw_int(struct sim_sch *sch)
{
	if (!sim_qemu(sch->sim))
		sch->int_pending = false;
}

void sim_adapter_interrupt(struct sim *sim, unsigned isc)
{
	struct sim_irq e = { 0, 0, IO_INT_WORD_AI | ((u32)(isc & 7) << IO_INT_WORD_ISC_SHIFT), 0,
			     NULL };

	ring_push(sim, isc & 7, &e);
	if (sim_tracing(sim, SIM_TRACE_ALL))
		sim_tracef(sim, "css_adapter_interrupt isc %u", isc & 7);
}

/* Whether a queued entry still stands for an interruption condition. */
static bool irq_live(const struct sim *sim, const struct sim_irq *e)
{
	if (!e->sch)
		return true;
	if (!e->sch->present)
		return false;
	if (sim_qemu(sim))
		return true;
	return e->sch->int_pending && e->sch->int_gen == e->gen;
}

static bool irq_take(struct sim *sim, struct sim_io_int *out, bool dequeue)
{
	for (unsigned isc = 0; isc < CSS_ISC_COUNT; isc++) {
		struct sim_irq_ring *r = &sim->rings[isc];

		if (!(sim->isc_mask & (0x80u >> isc)))
			continue;
		while (r->head != r->tail) {
			struct sim_irq *e = &r->e[r->head % SIM_IRQ_RING];

			if (!irq_live(sim, e)) {
				r->head++;
				continue;
			}
			if (!dequeue)
				return true;
			out->schid = e->schid;
			out->intparm = e->intparm;
			out->iid = e->iid;
			if (e->sch && e->gen == e->sch->int_gen)
				e->sch->int_pending = false;
			r->head++;
			return true;
		}
	}
	return false;
}

void sim_set_isc_mask(struct sim *sim, u8 mask)
{
	sim->isc_mask = mask;
}

bool sim_take_io_interrupt(struct sim *sim, struct sim_io_int *out)
{
	return irq_take(sim, out, true);
}

bool sim_io_int_pending(const struct sim *sim)
{
	/* irq_take() only drops dead entries when asked not to dequeue. */
	return irq_take((struct sim *)sim, NULL, false);
}

bool sim_unsolicited(struct sim *sim, u32 schid, u8 dstat)
{
	struct sim_sch *sch = sim_find(sim, schid);

	if (!sch || !sch->present || !(sch->pmcw.flags & PMCW_FLAGS_ENA))
		return false;
	if (sch->scsw.ctrl & SCSW_STCTL_STATUS_PEND)
		return false;
	/*
	 * Unsolicited status is alert status at a subchannel with no function
	 * in progress (PoP 16, "Status Control"; A.8: FC stays 0). While a
	 * start, halt or clear function is under way (deferred completion, a
	 * suspended program, a device that has not ended) the device belongs
	 * to it: alert status made pending now would have TSCH clear the
	 * function as for final status, leaving the subchannel active with no
	 * function while the program goes on to present primary status. The
	 * caller's indicators stay set; the function's own interruption brings
	 * the driver to them (A.8: every indicator is scanned on every one).
	 */
	if (sch->scsw.ctrl & SCSW_FCTL_MASK)
		return false;
	sch->scsw.ctrl &= (u16)~SCSW_STCTL_MASK;
	sch->scsw.ctrl |= SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND;
	if (dstat)
		sch->scsw.dstat = dstat;
	sim_queue_int(sch);
	return true;
}

int sim_fault_spurious_int(struct sim *sim, u32 schid)
{
	struct sim_sch *sch = sim_find(sim, schid);
	struct sim_irq e;

	if (!sch)
		return -1;
	e.schid = sch->schid;
	e.intparm = sch->pmcw.intparm;
	e.iid = (u32)sch_isc(sch) << IO_INT_WORD_ISC_SHIFT;
	/* A live entry that does not match any status. */
	sch->int_pending = true;
	e.gen = ++sch->int_gen;
	e.sch = sch;
	ring_push(sim, sch_isc(sch), &e);
	return 0;
}

/* --- Channel reports ------------------------------------------------------- */

void sim_queue_crw(struct sim *sim, unsigned rsc, unsigned erc, bool solicited, u16 rsid)
{
	u32 w = ((u32)(rsc & 0xF) << CRW_RSC_SHIFT) | ((u32)(erc & 0x3F) << CRW_ERC_SHIFT) | rsid;

	if (solicited)
		w |= CRW_S;
	if (sim->crw_count >= SIM_MAX_CRWS) {
		sim->crw_lost = true;
		return;
	}
	if (sim->crw_lost) {
		w |= CRW_R;
		sim->crw_lost = false;
	}
	sim->crws[(sim->crw_head + sim->crw_count) % SIM_MAX_CRWS] = cpu_to_be32(w);
	sim->crw_count++;
	sim->stats.crws++;
	if (sim_tracing(sim, SIM_TRACE_ALL))
		sim_tracef(sim, "css_crw rsc %x erc %x rsid %04x", rsc, erc, rsid);
}

/* The report for a subchannel that appeared, went or changed (A.8). */
static void queue_sch_crw(struct sim *sim, const struct sim_sch *sch)
{
	unsigned ssid = schid_ssid(sch->schid);
	bool chain = sim->max_ssid > 0;

	/* Only sets the program has made visible are reported. */
	if (ssid > sim->max_ssid)
		return;
	if (chain) {
		sim_queue_crw(sim, CRW_RSC_SUBCH, CRW_ERC_IPARM, false, (u16)schid_schno(sch->schid));
		/* The first of a chained pair carries C. */
		sim->crws[(sim->crw_head + sim->crw_count - 1) % SIM_MAX_CRWS] =
			cpu_to_be32(be32_to_cpu(sim->crws[(sim->crw_head + sim->crw_count - 1) %
							  SIM_MAX_CRWS]) |
				    CRW_C);
		sim_queue_crw(sim, CRW_RSC_SUBCH, CRW_ERC_IPARM, false, (u16)(ssid << 4));
	} else {
		sim_queue_crw(sim, CRW_RSC_SUBCH, CRW_ERC_IPARM, false, (u16)schid_schno(sch->schid));
	}
}

int sim_set_present(struct sim *sim, u32 schid, bool present)
{
	struct sim_sch *sch = sim_find(sim, schid);

	if (!sch)
		return -1;
	if (sch->present == present)
		return 0;
	sch->present = present;
	/* Whatever was going on is lost with the device. */
	memset(&sch->scsw, 0, sizeof(sch->scsw));
	sch->hung = false;
	sch->int_pending = false;
	sch->int_gen++;
	sch->pmcw.flags &= (u16)~PMCW_FLAGS_ENA;
	if (!present && sch->ops && sch->ops->unplugged)
		sch->ops->unplugged(sch->cu);
	if (sim_tracing(sim, schid))
		sim_tracef(sim, "css_%s 0.%x.%04x devno %04x", present ? "attach" : "detach",
			   schid_ssid(schid), schid_schno(schid), sch->pmcw.devno);
	queue_sch_crw(sim, sch);
	return 0;
}

int sim_announce(struct sim *sim, u32 schid)
{
	struct sim_sch *sch = sim_find(sim, schid);

	if (!sch || !sch->present)
		return -1;
	queue_sch_crw(sim, sch);
	return 0;
}

int sim_detach(struct sim *sim, u32 schid)
{
	struct sim_set *set = &sim->sets[schid_ssid(schid) % SIM_SETS];
	unsigned schno = schid_schno(schid);
	struct sim_sch *sch = sim_find(sim, schid), **g;

	if (!sch || !sch->present)
		return -1;
	g = realloc(sim->gone, (sim->ngone + 1) * sizeof(*g));
	if (!g)
		return -1;
	sim->gone = g;
	/* Gone as with sim_set_present(), report included; then the control
	 * unit goes and the number is free. The subchannel itself stays
	 * allocated: queued interruptions still point at it. */
	sim_set_present(sim, schid, false);
	if (sch->ops && sch->ops->destroy)
		sch->ops->destroy(sch->cu);
	sch->ops = NULL;
	sch->cu = NULL;
	set->sch[schno] = NULL;
	sim->gone[sim->ngone++] = sch;
	return 0;
}

/* --- Conversions ------------------------------------------------------------ */

static void pmcw_to_wire(const struct sim_pmcw *p, struct pmcw *w)
{
	w->intparm = cpu_to_be32(p->intparm);
	w->flags = cpu_to_be16(p->flags);
	w->devno = cpu_to_be16(p->devno);
	w->lpm = p->lpm;
	w->pnom = p->pnom;
	w->lpum = p->lpum;
	w->pim = p->pim;
	w->mbi = cpu_to_be16(p->mbi);
	w->pom = p->pom;
	w->pam = p->pam;
	memcpy(w->chpid, p->chpid, sizeof(w->chpid));
	w->chars = cpu_to_be32(p->chars);
}

static void scsw_to_wire(const struct sim_scsw *s, struct scsw *w)
{
	w->flags = cpu_to_be16(s->flags);
	w->ctrl = cpu_to_be16(s->ctrl);
	w->cpa = cpu_to_be32(s->cpa);
	w->dstat = s->dstat;
	w->cstat = s->cstat;
	w->count = cpu_to_be16(s->count);
}

/* Common checks: privileged operation first (PoP 14, "Program Exceptions"). */
#define PRIVILEGED(sim)                                    \
	do {                                               \
		if ((sim)->problem_state)                  \
			return -SIM_PGM_PRIVILEGED;        \
	} while (0)

/* --- STSCH ----------------------------------------------------------------- */

int sim_stsch(struct sim *sim, u64 r1, u64 addr)
{
	struct schib w;
	struct sim_sch *sch;
	unsigned ssid, schno;
	bool m;
	int rc;

	sim->stats.instructions++;
	PRIVILEGED(sim);
	if (addr & 3)
		return -SIM_PGM_SPECIFICATION;
	/* Access exceptions come before operand exceptions and cc 3. */
	if (!sim_mem_ok(sim, addr, sizeof(w)))
		return -SIM_PGM_ADDRESSING;
	if (!decode_sid(sim, r1, &ssid, &schno, &m))
		return -SIM_PGM_OPERAND;
	sch = lookup(sim, ssid, schno, m);
	memset(&w, 0, sizeof(w));
	if (sch) {
		if ((rc = fault_cc(sim, sch, SIM_INSN_STSCH)) >= 0)
			goto out;
		pmcw_to_wire(&sch->pmcw, &w.pmcw);
		scsw_to_wire(&sch->scsw, &w.scsw);
		schib_set_mba(&w, sch->mba);
		memcpy(w.mda, sch->mda, sizeof(w.mda));
		rc = 0;
	} else if (!m && ssid <= sim->max_ssid && (int)schno < sim->sets[ssid].last) {
		/* Subchannels are numbered without gaps up to the last one
		 * (A.7: cc 3 only past it): a number below it without a device
		 * is a subchannel with no valid device number, stored all zero
		 * as QEMU does. */
		rc = 0;
	} else {
		rc = 3;
	}
	if (rc == 0)
		sim_mem_write(sim, addr, &w, sizeof(w));
out:
	trace_insn(sim, "stsch", r1, rc);
	return rc;
}

/* --- MSCH ------------------------------------------------------------------- */

/* Operand-exception checks on the SCHIB (A.2, E items 8 and 12). */
static bool schib_valid(const struct schib *w)
{
	u16 flags = be16_to_cpu(w->pmcw.flags);
	u32 chars = be32_to_cpu(w->pmcw.chars);

	if (flags & PMCW_FLAGS_RESERVED)
		return false;
	if (chars & PMCW_CHARS_RESERVED)
		return false;
	/* No extended-measurement-word facility. */
	if (chars & PMCW_CHARS_XMWME)
		return false;
	/* A format-1 measurement block is 64-byte aligned. */
	if ((chars & PMCW_CHARS_MBFC) && (schib_mba(w) & 0x3F))
		return false;
	return true;
}

int sim_msch(struct sim *sim, u64 r1, u64 addr)
{
	const u16 mod = PMCW_FLAGS_ISC_MASK | PMCW_FLAGS_ENA | PMCW_FLAGS_LM_MASK |
			PMCW_FLAGS_MM_MASK | PMCW_FLAGS_MP;
	struct schib w;
	struct sim_sch *sch;
	unsigned ssid, schno;
	bool m, was_ena, ena;
	int rc;

	sim->stats.instructions++;
	PRIVILEGED(sim);
	if (addr & 3)
		return -SIM_PGM_SPECIFICATION;
	if (!sim_mem_read(sim, addr, &w, sizeof(w)))
		return -SIM_PGM_ADDRESSING;
	if (!decode_sid(sim, r1, &ssid, &schno, &m) || !schib_valid(&w))
		return -SIM_PGM_OPERAND;
	sch = lookup(sim, ssid, schno, m);
	if (!sch) {
		/* Below the last subchannel there is one without a valid device
		 * number, as STSCH shows: cc 0 and nothing changes (A.7). QEMU
		 * has no subchannel there: cc 3. */
		rc = !sim_qemu(sim) && !m && ssid <= sim->max_ssid &&
				     (int)schno < sim->sets[ssid].last
			     ? 0
			     : 3;
		goto out;
	}
	if ((rc = fault_cc(sim, sch, SIM_INSN_MSCH)) >= 0)
		goto out;
	rc = 0;
	/* No valid device number: nothing to modify, cc 0. */
	if (!(sch->pmcw.flags & PMCW_FLAGS_DNV))
		goto out;
	if (sch->scsw.ctrl & SCSW_STCTL_STATUS_PEND) {
		rc = 1;
		goto out;
	}
	if (sch->scsw.ctrl & SCSW_FCTL_MASK) {
		rc = 2;
		goto out;
	}
	was_ena = sch->pmcw.flags & PMCW_FLAGS_ENA;
	sch->pmcw.intparm = be32_to_cpu(w.pmcw.intparm);
	sch->pmcw.flags = (u16)((sch->pmcw.flags & ~mod) | (be16_to_cpu(w.pmcw.flags) & mod));
	sch->pmcw.lpm = w.pmcw.lpm;
	sch->pmcw.mbi = be16_to_cpu(w.pmcw.mbi);
	sch->pmcw.pom = w.pmcw.pom;
	sch->pmcw.chars = (sch->pmcw.chars & ~(PMCW_CHARS_MBFC | PMCW_CHARS_CSENSE)) |
			  (be32_to_cpu(w.pmcw.chars) & (PMCW_CHARS_MBFC | PMCW_CHARS_CSENSE));
	sch->mba = schib_mba(&w);
	ena = sch->pmcw.flags & PMCW_FLAGS_ENA;
	if (ena != was_ena && sch->ops->enable_changed)
		sch->ops->enable_changed(sch->cu, ena);
out:
	trace_insn(sim, "msch", r1, rc);
	return rc;
}

/* --- Measurement (A.11) -------------------------------------------------------- */

static void count_start(struct sim_sch *sch)
{
	struct sim *sim = sch->sim;

	if (!sim->chnmon_active || !(sch->pmcw.flags & PMCW_FLAGS_MM_MASK))
		return;
	if (sch->pmcw.chars & PMCW_CHARS_MBFC) {
		be32 c;

		if (sim_mem_read(sim, sch->mba, &c, sizeof(c))) {
			c = cpu_to_be32(be32_to_cpu(c) + 1);
			sim_mem_write(sim, sch->mba, &c, sizeof(c));
		}
	} else {
		u64 a = sim->chnmon_area + ((u64)sch->pmcw.mbi << 5);
		be16 c;

		if (sim_mem_read(sim, a, &c, sizeof(c))) {
			c = cpu_to_be16((u16)(be16_to_cpu(c) + 1));
			sim_mem_write(sim, a, &c, sizeof(c));
		}
	}
}

int sim_schm(struct sim *sim, u64 r1, u64 r2)
{
	u32 v = (u32)r1;
	bool update = v & 0x2;

	sim->stats.instructions++;
	PRIVILEGED(sim);
	if (v & 0x0FFFFFFCu)
		return -SIM_PGM_OPERAND;
	if (update && (r2 & 0x1F))
		return -SIM_PGM_OPERAND;
	if (update) {
		sim->chnmon_active = true;
		sim->chnmon_area = r2;
	} else {
		sim->chnmon_active = false;
		sim->chnmon_area = 0;
	}
	return 0;
}

/* --- SSCH ---------------------------------------------------------------------- */

/* Operand-exception checks on the ORB (A.3). */
static bool orb_valid(const struct sim *sim, u32 ctrl, u32 cpa)
{
	if (ctrl & (ORB_CTRL_RESERVED | ORB_CTRL_CPTC | ORB_CTRL_MIDAW))
		return false;
	if (cpa & ORB_CPA_INVALID)
		return false;
	(void)sim;
	return true;
}

void sim_add_work(struct sim_sch *sch)
{
	struct sim *sim = sch->sim;

	if (sim->cfg.completion == SIM_COMPLETE_SYNC) {
		sim_sch_run(sch);
		return;
	}
	if (sch->work)
		return;
	if (sim->nwork == sim->work_cap) {
		unsigned cap = sim->work_cap ? sim->work_cap * 2 : 16;
		struct sim_sch **p = realloc(sim->work, cap * sizeof(*p));

		if (!p) {
			/* No room to defer: complete now rather than lose it. */
			sim_sch_run(sch);
			return;
		}
		sim->work = p;
		sim->work_cap = cap;
	}
	sch->work = true;
	sim->work[sim->nwork++] = sch;
}

unsigned sim_progress(struct sim *sim)
{
	unsigned steps = 0, i = 0;

	/* Subchannels that start work during this pass wait for the next. */
	unsigned n = sim->nwork;

	while (i < n && i < sim->nwork) {
		struct sim_sch *sch = sim->work[i];

		if (sch->present && sim_sch_can_step(sch)) {
			sim_sch_step(sch);
			steps++;
		}
		i++;
	}
	/* Drop the subchannels that have nothing left to do. */
	for (i = 0, n = 0; i < sim->nwork; i++) {
		struct sim_sch *sch = sim->work[i];

		if (sch->present && sim_sch_can_step(sch))
			sim->work[n++] = sch;
		else
			sch->work = false;
	}
	sim->nwork = n;
	return steps;
}

int sim_add_poller(struct sim *sim, sim_poll_fn fn, void *ctx)
{
	if (!fn || sim->npollers == SIM_MAX_POLLERS)
		return -1;
	sim->pollers[sim->npollers++] = (struct sim_poller){ fn, ctx };
	return 0;
}

void sim_remove_poller(struct sim *sim, sim_poll_fn fn, void *ctx)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sim->npollers; i++)
		if (sim->pollers[i].fn != fn || sim->pollers[i].ctx != ctx)
			sim->pollers[n++] = sim->pollers[i];
	sim->npollers = n;
}

int sim_idle(struct sim *sim, u64 budget_us)
{
	bool busy = false;

	if (!sim->npollers)
		return -1;
	/* First everything that is ready, without blocking; then the budget
	 * goes to the pollers in turn. */
	for (unsigned i = 0; i < sim->npollers; i++)
		busy |= sim->pollers[i].fn(sim->pollers[i].ctx, 0);
	for (unsigned i = 0; i < sim->npollers && !busy && budget_us; i++)
		busy = sim->pollers[i].fn(sim->pollers[i].ctx, budget_us / sim->npollers);
	return busy;
}

int sim_ssch(struct sim *sim, u64 r1, u64 addr)
{
	struct orb w;
	struct sim_sch *sch;
	unsigned ssid, schno;
	size_t len;
	u32 ctrl;
	bool m;
	int rc;

	sim->stats.instructions++;
	PRIVILEGED(sim);
	if (addr & 3)
		return -SIM_PGM_SPECIFICATION;
	memset(&w, 0, sizeof(w));
	/* Three words, or eight with the ORB extension; QEMU reads three. */
	if (!sim_mem_read(sim, addr, &w, 12))
		return -SIM_PGM_ADDRESSING;
	ctrl = be32_to_cpu(w.ctrl);
	len = (!sim_qemu(sim) && (ctrl & ORB_CTRL_ORBX)) ? sizeof(w) : 12;
	if (len > 12 && !sim_mem_read(sim, addr, &w, len))
		return -SIM_PGM_ADDRESSING;
	if (!decode_sid(sim, r1, &ssid, &schno, &m) || !orb_valid(sim, ctrl, be32_to_cpu(w.cpa)))
		return -SIM_PGM_OPERAND;
	sch = lookup(sim, ssid, schno, m);
	if (!sch) {
		rc = 3;
		goto out;
	}
	if ((rc = fault_cc_cmd(sim, sch, SIM_INSN_SSCH, first_cmd(sim, ctrl, be32_to_cpu(w.cpa)))) >= 0)
		goto out;
	if (!operational(sch)) {
		rc = 3;
	} else if (sch->scsw.ctrl & SCSW_STCTL_STATUS_PEND) {
		rc = 1;
	} else if (sch->scsw.ctrl & SCSW_FCTL_MASK) {
		rc = 2;
	} else {
		rc = 0;
		count_start(sch);
		sch->pmcw.intparm = be32_to_cpu(w.intparm);
		sch->orb_ctrl = ctrl;
		sch->ccw_addr = be32_to_cpu(w.cpa);
		sch->started = false;
		sch->ccws = 0;
		sch->cda0 = 0;
		sch->prev_tic = false;
		sch->hung = false;
		/* The ORB's controls are echoed in the SCSW flags (PoP 16). */
		sch->scsw.flags = (u16)(((ctrl & ORB_CTRL_KEY_MASK) >> 16) |
					((ctrl & ORB_CTRL_SPND) ? SCSW_FLAGS_SCTL : 0) |
					((ctrl & ORB_CTRL_FMT) ? SCSW_FLAGS_FMT : 0) |
					((ctrl & ORB_CTRL_PFCH) ? SCSW_FLAGS_PFCH : 0) |
					((ctrl & ORB_CTRL_ISIC) ? SCSW_FLAGS_ISIC : 0) |
					((ctrl & ORB_CTRL_ALCC) ? SCSW_FLAGS_ALCC : 0) |
					((ctrl & ORB_CTRL_SSIC) ? SCSW_FLAGS_SSI : 0));
		sch->scsw.ctrl = SCSW_FCTL_START_FUNC | SCSW_ACTL_START_PEND;
		sch->scsw.dstat = 0;
		sch->scsw.cstat = 0;
		sch->scsw.count = 0;
		if (sim_tracing(sim, sch->schid))
			sim_tracef(sim, "css_ssch 0.%x.%04x intparm 0x%08x ctrl 0x%08x cpa 0x%08x",
				   ssid, schno, sch->pmcw.intparm, ctrl, (u32)sch->ccw_addr);
		trace_insn(sim, "ssch", r1, rc);
		sim_add_work(sch);
		return rc;
	}
out:
	trace_insn(sim, "ssch", r1, rc);
	return rc;
}

/* --- TSCH ----------------------------------------------------------------------- */

int sim_tsch(struct sim *sim, u64 r1, u64 addr)
{
	struct irb irb;
	struct sim_sch *sch;
	struct sim_scsw *s;
	unsigned ssid, schno;
	u16 stctl, fctl, actl;
	bool m;
	int rc;

	sim->stats.instructions++;
	PRIVILEGED(sim);
	/* TSCH checks the subchannel-id word before its operand (E item 13). */
	if (!decode_sid(sim, r1, &ssid, &schno, &m))
		return -SIM_PGM_OPERAND;
	if (addr & 3)
		return -SIM_PGM_SPECIFICATION;
	/* Without extended measurements the IRB stored is 64 bytes. */
	if (!sim_mem_ok(sim, addr, 64))
		return -SIM_PGM_ADDRESSING;
	sch = lookup(sim, ssid, schno, m);
	if (!sch || !operational(sch)) {
		rc = 3;
		goto out;
	}
	if ((rc = fault_cc(sim, sch, SIM_INSN_TSCH)) >= 0)
		goto out;
	s = &sch->scsw;
	stctl = s->ctrl & SCSW_STCTL_MASK;
	fctl = s->ctrl & SCSW_FCTL_MASK;
	actl = s->ctrl & SCSW_ACTL_MASK;

	memset(&irb, 0, sizeof(irb));
	scsw_to_wire(s, &irb.scsw);
	if (stctl & SCSW_STCTL_STATUS_PEND) {
		u16 flags = s->flags;

		if (s->cstat & (SCSW_CSTAT_DATA_CHECK | SCSW_CSTAT_CHN_CTRL_CHK |
				SCSW_CSTAT_INTF_CTRL_CHK)) {
			/* Extended status: the subchannel logout. */
			flags |= SCSW_FLAGS_ESWF;
			irb.esw[0] = cpu_to_be32(0x04804000);
		} else {
			irb.esw[0] = cpu_to_be32(0x80u << ESW0_SUBLOG_LPUM_SHIFT);
		}
		/* Concurrent sense (A.4): the sense bytes in the ECW, flagged by
		 * E and the ERW's S bit with the sense count. QEMU also sets L
		 * and puts its count 8 bits too low. */
		if ((s->dstat & SCSW_DSTAT_UNIT_CHECK) && (sch->pmcw.chars & PMCW_CHARS_CSENSE)) {
			memcpy(irb.ecw, sch->sense, sch->cfg.sense_len);
			if (sim_qemu(sim)) {
				flags |= SCSW_FLAGS_ESWF | SCSW_FLAGS_ECTL;
				irb.esw[1] = cpu_to_be32(ESW_ERW_CONS | (u32)SENSE_DATA_LEN << 8);
			} else {
				flags |= SCSW_FLAGS_ECTL;
				irb.esw[1] = cpu_to_be32(ESW_ERW_CONS |
							 sch->cfg.sense_len << ESW_ERW_SCNT_SHIFT);
			}
		}
		irb.scsw.flags = cpu_to_be16(flags);
	}
	sim_mem_write(sim, addr, &irb, 64);

	/* Clear the conditions TSCH clears (PoP 14, "TEST SUBCHANNEL"). */
	if (stctl & SCSW_STCTL_STATUS_PEND) {
		const u16 intermediate_only = SCSW_STCTL_INTERMEDIATE | SCSW_STCTL_STATUS_PEND;

		s->ctrl &= (u16)~SCSW_STCTL_MASK;
		if (stctl != intermediate_only ||
		    ((fctl & SCSW_FCTL_HALT_FUNC) && (actl & SCSW_ACTL_SUSP)))
			s->ctrl &= (u16)~SCSW_FCTL_MASK;
		if (stctl != intermediate_only) {
			s->flags &= (u16)~SCSW_FLAGS_PNO;
			s->ctrl &= (u16)~(SCSW_ACTL_RESUME_PEND | SCSW_ACTL_START_PEND |
					  SCSW_ACTL_HALT_PEND | SCSW_ACTL_CLEAR_PEND | SCSW_ACTL_SUSP);
		} else if ((actl & SCSW_ACTL_SUSP) && (fctl & SCSW_FCTL_START_FUNC)) {
			s->flags &= (u16)~SCSW_FLAGS_PNO;
			if (fctl & SCSW_FCTL_HALT_FUNC)
				s->ctrl &= (u16)~(SCSW_ACTL_RESUME_PEND | SCSW_ACTL_START_PEND |
						  SCSW_ACTL_HALT_PEND | SCSW_ACTL_CLEAR_PEND |
						  SCSW_ACTL_SUSP);
			else
				s->ctrl &= (u16)~SCSW_ACTL_RESUME_PEND;
		}
		/* PCI is reported once: the final status does not repeat it. */
		if (stctl == intermediate_only)
			s->cstat &= (u8)~SCSW_CSTAT_PCI;
		if (sch->pmcw.chars & PMCW_CHARS_CSENSE)
			memset(sch->sense, 0, sizeof(sch->sense));
		withdraw_int(sch);
		rc = 0;
	} else {
		rc = 1;
	}
out:
	trace_insn(sim, "tsch", r1, rc);
	return rc;
}

/* --- HSCH, CSCH, RSCH, XSCH ---------------------------------------------------- */

/* The common front of the four instructions that take only GPR 1. */
static struct sim_sch *simple_insn(struct sim *sim, u64 r1, enum sim_insn insn, int *rc)
{
	struct sim_sch *sch;
	unsigned ssid, schno;
	bool m;

	sim->stats.instructions++;
	if (sim->problem_state) {
		*rc = -SIM_PGM_PRIVILEGED;
		return NULL;
	}
	if (!decode_sid(sim, r1, &ssid, &schno, &m)) {
		*rc = -SIM_PGM_OPERAND;
		return NULL;
	}
	sch = lookup(sim, ssid, schno, m);
	if (!sch || !operational(sch)) {
		*rc = 3;
		return NULL;
	}
	if ((*rc = fault_cc(sim, sch, insn)) >= 0)
		return NULL;
	return sch;
}

int sim_hsch(struct sim *sim, u64 r1)
{
	struct sim_sch *sch;
	struct sim_scsw *s;
	int rc;

	sch = simple_insn(sim, r1, SIM_INSN_HSCH, &rc);
	if (!sch)
		goto out;
	s = &sch->scsw;
	if ((s->ctrl & SCSW_STCTL_MASK) == SCSW_STCTL_STATUS_PEND ||
	    (s->ctrl & (SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY | SCSW_STCTL_ALERT))) {
		rc = 1;
	} else if (s->ctrl & (SCSW_FCTL_HALT_FUNC | SCSW_FCTL_CLEAR_FUNC)) {
		rc = 2;
	} else {
		rc = 0;
		s->ctrl |= SCSW_FCTL_HALT_FUNC | SCSW_ACTL_HALT_PEND;
		/* The start function stays indicated beside the halt function;
		 * QEMU drops it. */
		if (sim_qemu(sim))
			s->ctrl &= (u16)~SCSW_FCTL_START_FUNC;
		trace_insn(sim, "hsch", r1, rc);
		sim_add_work(sch);
		return rc;
	}
out:
	trace_insn(sim, "hsch", r1, rc);
	return rc;
}

int sim_csch(struct sim *sim, u64 r1)
{
	struct sim_sch *sch;
	struct sim_scsw *s;
	int rc;

	sch = simple_insn(sim, r1, SIM_INSN_CSCH, &rc);
	if (!sch)
		goto out;
	s = &sch->scsw;
	rc = 0;
	s->ctrl &= (u16)~(SCSW_FCTL_MASK | SCSW_ACTL_MASK);
	s->ctrl |= SCSW_FCTL_CLEAR_FUNC | SCSW_ACTL_CLEAR_PEND;
	/* The clear function also clears pending status and withdraws its
	 * interruption; QEMU keeps both. */
	if (!sim_qemu(sim)) {
		s->ctrl &= (u16)~SCSW_STCTL_MASK;
		withdraw_int(sch);
	}
	sch->hung = false;
	trace_insn(sim, "csch", r1, rc);
	sim_add_work(sch);
	return rc;
out:
	trace_insn(sim, "csch", r1, rc);
	return rc;
}

int sim_rsch(struct sim *sim, u64 r1)
{
	struct sim_sch *sch;
	struct sim_scsw *s;
	int rc;

	sch = simple_insn(sim, r1, SIM_INSN_RSCH, &rc);
	if (!sch)
		goto out;
	s = &sch->scsw;
	if (s->ctrl & SCSW_STCTL_STATUS_PEND) {
		rc = 1;
	} else if ((s->ctrl & SCSW_FCTL_MASK) != SCSW_FCTL_START_FUNC ||
		   (s->ctrl & SCSW_ACTL_RESUME_PEND) || !(s->ctrl & SCSW_ACTL_SUSP)) {
		rc = 2;
	} else {
		rc = 0;
		count_start(sch);
		s->ctrl |= SCSW_ACTL_RESUME_PEND;
		trace_insn(sim, "rsch", r1, rc);
		sim_add_work(sch);
		return rc;
	}
out:
	trace_insn(sim, "rsch", r1, rc);
	return rc;
}

int sim_xsch(struct sim *sim, u64 r1)
{
	struct sim_sch *sch;
	struct sim_scsw *s;
	u16 fctl, actl;
	int rc;

	sch = simple_insn(sim, r1, SIM_INSN_XSCH, &rc);
	if (!sch)
		goto out;
	s = &sch->scsw;
	fctl = s->ctrl & SCSW_FCTL_MASK;
	actl = s->ctrl & SCSW_ACTL_MASK;
	if (s->ctrl & SCSW_STCTL_MASK) {
		rc = 1;
	} else if (fctl != SCSW_FCTL_START_FUNC ||
		   !(actl & (SCSW_ACTL_RESUME_PEND | SCSW_ACTL_START_PEND | SCSW_ACTL_SUSP)) ||
		   (actl & SCSW_ACTL_SCH_ACTIVE)) {
		rc = 2;
	} else {
		/* Cancelled: the subchannel is idle again, and no interruption. */
		rc = 0;
		s->ctrl &= (u16)~(SCSW_FCTL_START_FUNC | SCSW_ACTL_RESUME_PEND |
				  SCSW_ACTL_START_PEND | SCSW_ACTL_SUSP);
		s->dstat = 0;
		s->cstat = 0;
	}
out:
	trace_insn(sim, "xsch", r1, rc);
	return rc;
}

/* --- TPI, STCRW, RCHP --------------------------------------------------------------- */

int sim_tpi(struct sim *sim, u64 addr)
{
	struct sim_io_int ii;
	be32 w[3];
	u64 dst = addr ? addr : 0xB8;
	size_t len = addr ? 8 : 12;

	sim->stats.instructions++;
	PRIVILEGED(sim);
	if (addr & 3)
		return -SIM_PGM_SPECIFICATION;
	if (!sim_mem_ok(sim, dst, len))
		return -SIM_PGM_ADDRESSING;
	if (!irq_take(sim, &ii, true))
		return 0;
	w[0] = cpu_to_be32(ii.schid);
	w[1] = cpu_to_be32(ii.intparm);
	w[2] = cpu_to_be32(ii.iid);
	sim_mem_write(sim, dst, w, len);
	if (sim_tracing(sim, ii.schid ? ii.schid : SIM_TRACE_ALL))
		sim_tracef(sim, "ioinst_tpi 0.%x.%04x intparm 0x%08x iid 0x%08x cc 1",
			   schid_ssid(ii.schid), schid_schno(ii.schid), ii.intparm, ii.iid);
	return 1;
}

bool sim_crw_pending(const struct sim *sim)
{
	return sim->crw_count != 0;
}

int sim_stcrw(struct sim *sim, u64 addr)
{
	be32 w = cpu_to_be32(0);
	int rc = 1;

	sim->stats.instructions++;
	PRIVILEGED(sim);
	if (addr & 3)
		return -SIM_PGM_SPECIFICATION;
	if (!sim_mem_ok(sim, addr, sizeof(w)))
		return -SIM_PGM_ADDRESSING;
	if (sim->crw_count) {
		w = sim->crws[sim->crw_head];
		sim->crw_head = (sim->crw_head + 1) % SIM_MAX_CRWS;
		sim->crw_count--;
		rc = 0;
	}
	sim_mem_write(sim, addr, &w, sizeof(w));
	if (sim_tracing(sim, SIM_TRACE_ALL))
		sim_tracef(sim, "ioinst_stcrw crw 0x%08x cc %d", be32_to_cpu(w), rc);
	return rc;
}

int sim_rchp(struct sim *sim, u64 r1)
{
	u32 v = (u32)r1;
	u8 chpid = v & 0xFF;
	bool found = false;

	sim->stats.instructions++;
	PRIVILEGED(sim);
	if (v & 0xFF00FF00u)
		return -SIM_PGM_OPERAND;
	/* One channel subsystem: only cssid 0 names installed paths. */
	if ((v >> 16) & 0xFF)
		return 3;
	for (unsigned s = 0; s < SIM_SETS && !found; s++)
		for (unsigned n = 0; n < sim->sets[s].n && !found; n++) {
			const struct sim_sch *sch = sim->sets[s].sch[n];

			found = sch && sch->present && sch->pmcw.pim && sch->pmcw.chpid[0] == chpid;
		}
	if (!found)
		return 3;
	/* Nothing to reset on a simulated path: report it at once, as a
	 * solicited report (A.8). */
	sim_queue_crw(sim, CRW_RSC_CHP, CRW_ERC_INIT, true, chpid);
	return 0;
}

/* --- CHSC ---------------------------------------------------------------------- */

#define CHSC_SCSC 0x0010
#define CHSC_SDA 0x0031
#define CHSC_SDA_OC_MSS 0x2
#define CHSC_RESP_OK 0x0001
#define CHSC_RESP_INVALID 0x0003
#define CHSC_RESP_NOT_INSTALLED 0x0004
#define CHSC_RESP_FORMAT 0x0007
#define CHSC_RESP_FACILITY 0x0101

struct chsc_req {
	be16 len;
	be16 code;
	be32 param0;
	be32 param1;
	be32 param2;
};

struct chsc_resp {
	be16 len;
	be16 code;
	be32 param;
};

int sim_chsc(struct sim *sim, u64 addr)
{
	struct chsc_req req;
	struct chsc_resp resp = { cpu_to_be16(8), cpu_to_be16(CHSC_RESP_NOT_INSTALLED),
				  cpu_to_be32(0) };
	u16 len, code;
	u32 p0;
	be32 chars[4];
	bool with_chars = false;

	sim->stats.instructions++;
	PRIVILEGED(sim);
	if (addr & 0xFFF)
		return -SIM_PGM_SPECIFICATION;
	if (!sim_mem_read(sim, addr, &req, sizeof(req)))
		return -SIM_PGM_ADDRESSING;
	len = be16_to_cpu(req.len);
	code = be16_to_cpu(req.code);
	if (len < 16 || len > 4088 || (len & 7))
		return -SIM_PGM_OPERAND;
	if (!sim_mem_ok(sim, addr, 4096))
		return -SIM_PGM_ADDRESSING;
	p0 = be32_to_cpu(req.param0);
	switch (code) {
	case CHSC_SCSC:
		/* Store channel-subsystem characteristics: general bit 48,
		 * the extended measurement block, is what the simulator has. */
		if (len != 0x0010 || req.param1.raw || req.param2.raw) {
			resp.code = cpu_to_be16(CHSC_RESP_INVALID);
		} else if (p0 & 0x000F0000u) {
			resp.code = cpu_to_be16(CHSC_RESP_FORMAT);
		} else {
			memset(chars, 0, sizeof(chars));
			chars[1] = cpu_to_be32(0x00008000u);
			resp.code = cpu_to_be16(CHSC_RESP_OK);
			resp.len = cpu_to_be16(8 + sizeof(chars));
			with_chars = true;
		}
		break;
	case CHSC_SDA:
		/* Set domain attributes: operation code 2 enables multiple
		 * subchannel sets. */
		if (len != 0x0400 || (p0 & 0xF0FF0000u))
			resp.code = cpu_to_be16(CHSC_RESP_INVALID);
		else if (p0 & 0x0F000000u)
			resp.code = cpu_to_be16(CHSC_RESP_FORMAT);
		else if ((p0 & 0xFFFF) != CHSC_SDA_OC_MSS)
			resp.code = cpu_to_be16(CHSC_RESP_INVALID);
		else if (!sim->cfg.mss)
			resp.code = cpu_to_be16(CHSC_RESP_FACILITY);
		else {
			sim->max_ssid = SIM_SETS - 1;
			resp.code = cpu_to_be16(CHSC_RESP_OK);
		}
		break;
	default:
		break;
	}
	sim_mem_write(sim, addr + len, &resp, sizeof(resp));
	if (with_chars)
		sim_mem_write(sim, addr + len + sizeof(resp), chars, sizeof(chars));
	if (sim_tracing(sim, SIM_TRACE_ALL))
		sim_tracef(sim, "ioinst_chsc_cmd 0x%04x len %u response 0x%04x", code, len,
			   be16_to_cpu(resp.code));
	return 0;
}
