/*
 * A machine: its creation and end, its subchannel sets and the devices
 * attached to them (and plugged in and out), the statistics, the deferred
 * work of the channel subsystem and the pollers of device models.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

struct sim_sch *sim_find(struct sim *sim, u32 schid)
{
	unsigned ssid = schid_ssid(schid), schno = schid_schno(schid);
	const struct sim_set *set = &sim->sets[ssid];

	if (schno >= set->n || !set->sch[schno])
		return NULL;
	return set->sch[schno];
}

/* --- Creation ------------------------------------------------------------ */

struct sim_config sim_config_default(void)
{
	return (struct sim_config){
		.mem_size = 128ull << 20,
		.profile = SIM_PROFILE_QEMU,
		.completion = SIM_COMPLETE_SYNC,
		.mss = true,
	};
}

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
		return SIM_ERR;
	set = &sim->sets[cfg->ssid];
	if (cfg->schno < 0) {
		for (schno = 0; schno < set->n && set->sch[schno]; schno++)
			;
	} else {
		schno = (unsigned)cfg->schno;
	}
	if (schno > SIM_MAX_SCHNO || (schno < set->n && set->sch[schno]))
		return SIM_ERR;
	if (schno >= set->n) {
		unsigned n = set->n ? set->n : 16;
		struct sim_sch **p;

		while (n <= schno)
			n *= 2;
		if (n > SIM_MAX_SCHNO + 1)
			n = SIM_MAX_SCHNO + 1;
		p = realloc(set->sch, n * sizeof(*p));
		if (!p)
			return SIM_ERR;
		memset(p + set->n, 0, (n - set->n) * sizeof(*p));
		set->sch = p;
		set->n = n;
	}
	sch = calloc(1, sizeof(*sch));
	if (!sch)
		return SIM_ERR;
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
		return SIM_ERR;
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
		return SIM_ERR;
	/* First everything that is ready, without blocking; then the budget
	 * goes to the pollers in turn. */
	for (unsigned i = 0; i < sim->npollers; i++)
		busy |= sim->pollers[i].fn(sim->pollers[i].ctx, 0);
	for (unsigned i = 0; i < sim->npollers && !busy && budget_us; i++)
		busy = sim->pollers[i].fn(sim->pollers[i].ctx, budget_us / sim->npollers);
	return busy;
}
