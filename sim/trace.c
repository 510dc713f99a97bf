/* The simulator's trace: one line per instruction, CCW and interruption. */
#include <stdarg.h>
#include <stdio.h>

#include "sim/internal.h"

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

void sim_trace_insn(struct sim *sim, const char *insn, u64 r1, int rc)
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
