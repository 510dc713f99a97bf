/* Fault injection: what is armed, and taking it when its moment comes. */
#include <string.h>

#include "sim/internal.h"

/* --- Faults -------------------------------------------------------------- */

int sim_fault_add(struct sim *sim, const struct sim_fault *f)
{
	unsigned i;

	if (!f || !sim_find(sim, f->schid))
		return SIM_ERR;
	if (f->kind == SIM_FAULT_CC && (f->insn >= SIM_INSN__COUNT || f->cc < 0 || f->cc > 3))
		return SIM_ERR;
	if (f->kind > SIM_FAULT_USED_RING)
		return SIM_ERR;
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
	return SIM_ERR;
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

int sim_fault_cc(struct sim *sim, const struct sim_sch *sch, enum sim_insn insn, u8 cmd)
{
	const struct sim_fault *f = fault_take(sim, sch->schid, SIM_FAULT_CC, insn, cmd);

	return f ? f->cc : -1;
}

u8 sim_fault_first_cmd(struct sim *sim, u32 ctrl, u32 cpa)
{
	u8 c = 0;

	if (!sim->nfaults_armed || !sim_mem_read(sim, cpa, &c, 1))
		return 0;
	(void)ctrl; /* byte 0 is the command in both CCW formats */
	return c;
}
