/*
 * The machine's virtual clock and its timers: time moves only when the
 * platform says so (sim_advance()), so a run is the same every time, and
 * device models that act later (a rate limit's next period, a device
 * plugged in on schedule) do it at a time the run can predict.
 */
#include <stdlib.h>

#include "sim/internal.h"

u64 sim_now_us(const struct sim *sim)
{
	return sim->now_us;
}

bool sim_next_timer(const struct sim *sim, u64 *at_us)
{
	bool any = false;

	for (unsigned i = 0; i < sim->ntimers; i++)
		if (!any || sim->timers[i].at < *at_us) {
			*at_us = sim->timers[i].at;
			any = true;
		}
	return any;
}

int sim_timer_add(struct sim *sim, u64 at_us, sim_timer_fn fn, void *ctx)
{
	if (!fn)
		return SIM_ERR;
	if (sim->ntimers == sim->timer_cap) {
		unsigned cap = sim->timer_cap ? 2 * sim->timer_cap : 8;
		struct sim_timer *t = realloc(sim->timers, cap * sizeof(*t));

		if (!t)
			return SIM_ERR;
		sim->timers = t;
		sim->timer_cap = cap;
	}
	/* Sequence numbers keep timers due at the same time in the order set. */
	sim->timers[sim->ntimers++] = (struct sim_timer){ at_us, sim->timer_seq++, fn, ctx };
	return 0;
}

void sim_timer_cancel(struct sim *sim, sim_timer_fn fn, void *ctx)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sim->ntimers; i++)
		if (sim->timers[i].fn != fn || sim->timers[i].ctx != ctx)
			sim->timers[n++] = sim->timers[i];
	sim->ntimers = n;
}

/* The index of the earliest timer due by now, or -1. */
static int due(const struct sim *sim)
{
	int best = -1;

	for (unsigned i = 0; i < sim->ntimers; i++) {
		const struct sim_timer *t = &sim->timers[i];

		if (t->at > sim->now_us)
			continue;
		if (best < 0 || t->at < sim->timers[best].at ||
		    (t->at == sim->timers[best].at && t->seq < sim->timers[best].seq))
			best = (int)i;
	}
	return best;
}

void sim_advance(struct sim *sim, u64 us)
{
	int i;

	sim->now_us += us;
	/* A callback may set or cancel timers: look afresh after each. */
	while ((i = due(sim)) >= 0) {
		struct sim_timer t = sim->timers[i];

		sim->timers[i] = sim->timers[--sim->ntimers];
		t.fn(t.ctx);
	}
}

void sim_clock_destroy(struct sim *sim)
{
	free(sim->timers);
	sim->timers = NULL;
	sim->ntimers = sim->timer_cap = 0;
}
