/*
 * Interruptions (PoP chapter 16 "I/O Interruptions"): the queue per
 * interruption subclass, adapter interruptions, unsolicited status, and
 * channel reports (PoP 17, A.8) for devices that change, come and go.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

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
void sim_withdraw_int(struct sim_sch *sch)
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

bool sim_irq_take(struct sim *sim, struct sim_io_int *out, bool dequeue)
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
	return sim_irq_take(sim, out, true);
}

bool sim_io_int_pending(const struct sim *sim)
{
	/* sim_irq_take() only drops dead entries when asked not to dequeue. */
	return sim_irq_take((struct sim *)sim, NULL, false);
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
		return SIM_ERR;
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
		return SIM_ERR;
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
		return SIM_ERR;
	queue_sch_crw(sim, sch);
	return 0;
}

int sim_detach(struct sim *sim, u32 schid)
{
	struct sim_set *set = &sim->sets[schid_ssid(schid) % SIM_SETS];
	unsigned schno = schid_schno(schid);
	struct sim_sch *sch = sim_find(sim, schid), **g;

	if (!sch || !sch->present)
		return SIM_ERR;
	g = realloc(sim->gone, (sim->ngone + 1) * sizeof(*g));
	if (!g)
		return SIM_ERR;
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

bool sim_crw_pending(const struct sim *sim)
{
	return sim->crw_count != 0;
}
