/*
 * Channel-subsystem benchmarks on the host: the simulator's round trip of a
 * one-CCW channel program (SSCH to TSCH), called directly, and the same loop
 * through the driver's ccw layer and the host port. Prints BENCH lines:
 *   BENCH <name> <value> <unit>
 * Built without sanitizers, at -O2 (make bench).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boot/host/host.h"
#include "ccw/css.h"
#include "ccw/port.h"
#include "sim/testdev.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

struct rig {
	struct sim *sim;
	u32 schid;
	u64 orb, irb;
};

static int rig_init(struct rig *r, enum sim_profile profile)
{
	struct sim_config cfg = {
		.mem_size = 4u << 20,
		.profile = profile,
		.completion = SIM_COMPLETE_SYNC,
		.mss = true,
	};
	struct schib *s;
	struct orb *o;
	struct ccw1 *c;
	long schid;

	r->sim = sim_create(&cfg);
	if (!r->sim)
		return -1;
	schid = sim_testdev_attach(r->sim, 0, 0, 0x0100, NULL);
	if (schid < 0)
		return -1;
	r->schid = (u32)schid;
	/* Enable through STSCH/MSCH at fixed guest addresses. */
	s = sim_mem_ptr(r->sim, 0x20000, sizeof(*s));
	if (sim_stsch(r->sim, r->schid, 0x20000) != 0)
		return -1;
	s->pmcw.flags = cpu_to_be16(be16_to_cpu(s->pmcw.flags) | PMCW_FLAGS_ENA |
				    (3u << PMCW_FLAGS_ISC_SHIFT));
	if (sim_msch(r->sim, r->schid, 0x20000) != 0)
		return -1;
	c = sim_mem_ptr(r->sim, 0x21000, sizeof(*c));
	*c = ccw1_make(CCW_CMD_WRITE_NOOP, CCW_FLAG_SLI, 0, 0);
	r->orb = 0x21100;
	o = sim_mem_ptr(r->sim, r->orb, sizeof(*o));
	memset(o, 0, sizeof(*o));
	o->intparm = cpu_to_be32(0x12345678);
	o->ctrl = cpu_to_be32(ORB_CTRL_FMT | (0x80u << ORB_CTRL_LPM_SHIFT));
	o->cpa = cpu_to_be32(0x21000);
	r->irb = 0x21200;
	sim_set_isc_mask(r->sim, 0xFF);
	return 0;
}

/* SSCH then TSCH, n times; the ns per round trip, or -1 on a wrong result. */
static double raw_loop(struct rig *r, unsigned n)
{
	double t0 = now_ns();
	unsigned i;

	for (i = 0; i < n; i++) {
		if (sim_ssch(r->sim, r->schid, r->orb) != 0 || sim_tsch(r->sim, r->schid, r->irb) != 0)
			return -1;
	}
	return (now_ns() - t0) / n;
}

/* The best of several runs: the machine is shared and noisy. */
static double best_raw(struct rig *r, unsigned n, unsigned runs)
{
	double best = -1;

	raw_loop(r, n / 10); /* warm-up */
	for (unsigned k = 0; k < runs; k++) {
		double v = raw_loop(r, n);

		if (v < 0)
			return -1;
		if (best < 0 || v < best)
			best = v;
	}
	return best;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000000;
	struct rig arch, qemu;
	struct css css;
	struct ccw1 *prog;
	double a, q, t0, layer;
	unsigned done;

	if (n < 1000)
		n = 1000;
	if (rig_init(&arch, SIM_PROFILE_ARCH) || rig_init(&qemu, SIM_PROFILE_QEMU)) {
		fprintf(stderr, "bench: cannot build the machines\n");
		return 1;
	}
	a = best_raw(&arch, n, 5);
	q = best_raw(&qemu, n, 5);
	if (a < 0 || q < 0) {
		fprintf(stderr, "bench: a round trip did not end normally\n");
		return 1;
	}
	printf("BENCH sim.ssch-tsch-roundtrip %.0f ns\n", a);
	printf("BENCH sim.ssch-tsch-roundtrip.qemu-profile %.0f ns\n", q);

	/* The same loop through the driver's ccw layer and the host port. */
	host_bind(arch.sim);
	if (css_init(&css) || !(prog = port_dma_alloc(sizeof(*prog), 8))) {
		fprintf(stderr, "bench: no DMA memory\n");
		return 1;
	}
	*prog = ccw1_make(CCW_CMD_WRITE_NOOP, CCW_FLAG_SLI, 0, 0);
	css_roundtrips(&css, arch.schid, prog, n / 10);
	t0 = now_ns();
	done = css_roundtrips(&css, arch.schid, prog, n);
	layer = (now_ns() - t0) / n;
	if (done != n) {
		fprintf(stderr, "bench: %u of %u round trips through the ccw layer\n", done, n);
		return 1;
	}
	printf("BENCH sim.css-roundtrips %.0f ns\n", layer);
	sim_destroy(arch.sim);
	sim_destroy(qemu.sim);
	return 0;
}
