/*
 * The I/O instructions (PoP chapter 14 "I/O Instructions") with their
 * condition codes and program exceptions: STSCH, MSCH, SCHM, SSCH, TSCH,
 * HSCH, CSCH, RSCH, XSCH, TPI, STCRW, RCHP and CHSC.
 * reference/ccw-virtio-checklist.md sections A.1, A.2, A.7, A.8, A.11.
 */
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
		if ((rc = sim_fault_cc(sim, sch, SIM_INSN_STSCH, 0)) >= 0)
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
	sim_trace_insn(sim, "stsch", r1, rc);
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
	if ((rc = sim_fault_cc(sim, sch, SIM_INSN_MSCH, 0)) >= 0)
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
	sim_trace_insn(sim, "msch", r1, rc);
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
	if ((rc = sim_fault_cc(sim, sch, SIM_INSN_SSCH, sim_fault_first_cmd(sim, ctrl, be32_to_cpu(w.cpa)))) >= 0)
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
		sim_trace_insn(sim, "ssch", r1, rc);
		sim_add_work(sch);
		return rc;
	}
out:
	sim_trace_insn(sim, "ssch", r1, rc);
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
	if ((rc = sim_fault_cc(sim, sch, SIM_INSN_TSCH, 0)) >= 0)
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
		sim_withdraw_int(sch);
		rc = 0;
	} else {
		rc = 1;
	}
out:
	sim_trace_insn(sim, "tsch", r1, rc);
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
	if ((*rc = sim_fault_cc(sim, sch, insn, 0)) >= 0)
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
		sim_trace_insn(sim, "hsch", r1, rc);
		sim_add_work(sch);
		return rc;
	}
out:
	sim_trace_insn(sim, "hsch", r1, rc);
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
		sim_withdraw_int(sch);
	}
	sch->hung = false;
	sim_trace_insn(sim, "csch", r1, rc);
	sim_add_work(sch);
	return rc;
out:
	sim_trace_insn(sim, "csch", r1, rc);
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
		sim_trace_insn(sim, "rsch", r1, rc);
		sim_add_work(sch);
		return rc;
	}
out:
	sim_trace_insn(sim, "rsch", r1, rc);
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
	sim_trace_insn(sim, "xsch", r1, rc);
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
	if (!sim_irq_take(sim, &ii, true))
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
