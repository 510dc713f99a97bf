/* The host programs' common front end: see hostrun.h. */
#include "boot/host/hostrun.h"

#include <stdlib.h>
#include <string.h>

#include "boot/cmdline_hw.h"    /* TOUR_CMDLINE_AREA */
#include "boot/host/host.h"

#define MAX_HOTPLUG 64

/* A "--name=value" or "--name" option; the value, or NULL. */
static bool long_opt(const char *arg, const char *name, const char **val)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n))
		return false;
	if (arg[n] == '=') {
		*val = arg + n + 1;
		return true;
	}
	if (arg[n] == '\0') {
		*val = NULL;
		return true;
	}
	return false;
}

/* --- Devices on a schedule -------------------------------------------------- */

struct hotplug {
	const char *arg;   /* the option, for messages */
	u64 at_ms;
	bool add;
	const char *what;  /* a -device value, or an id */
	bool done, failed;
};

static struct {
	struct qm *qm;
	struct sim *sim;
	struct hotplug ev[MAX_HOTPLUG];
	unsigned n;
} plan;

/* "MS:add:DEVICE" or "MS:del:ID". */
static bool hotplug_parse(const char *v, struct hotplug *h)
{
	char *end;

	h->arg = v;
	h->at_ms = strtoull(v, &end, 10);
	if (end == v || *end != ':')
		return false;
	if (!strncmp(end + 1, "add:", 4))
		h->add = true;
	else if (strncmp(end + 1, "del:", 4))
		return false;
	h->what = end + 5;
	return *h->what != '\0';
}

static void hotplug_fire(void *ctx)
{
	struct hotplug *h = ctx;
	char why[256];

	h->done = true;
	h->failed = h->add ? qm_device_add(plan.qm, h->what, why) != 0
			   : qm_device_del(plan.qm, h->what, why) != 0;
	if (h->failed)
		fprintf(stderr, "ccwsim: --hotplug-at=%s: %s\n", h->arg, why);
}

/* The program waits for channel reports for the first time: the schedule
 * starts now. */
static void hotplug_start(void *ctx)
{
	(void)ctx;
	for (unsigned i = 0; i < plan.n; i++)
		if (sim_timer_add(plan.sim, sim_now_us(plan.sim) + plan.ev[i].at_ms * 1000u,
				  hotplug_fire, &plan.ev[i]))
			fprintf(stderr, "ccwsim: --hotplug-at=%s: out of memory\n", plan.ev[i].arg);
}


/* One of ccwsim's own options (--profile, --deferred, --trace, --rng-seed,
 * --mem, --hotplug-at): 1 when taken, 0 when a is none of them, -1 after
 * saying why it is refused. */
static int own_option(struct hostrun *r, const char *a)
{
	const char *v;

	if (long_opt(a, "--profile", &v)) {
		r->profile_set = true;
		if (v && !strcmp(v, "qemu")) {
			r->cfg.profile = SIM_PROFILE_QEMU;
		} else if (v && !strcmp(v, "arch")) {
			r->cfg.profile = SIM_PROFILE_ARCH;
		} else {
			fprintf(stderr, "ccwsim: --profile takes qemu or arch\n");
			return -1;
		}
		return 1;
	}
	if (long_opt(a, "--deferred", &v) && !v) {
		r->cfg.completion = SIM_COMPLETE_DEFERRED;
		return 1;
	}
	if (long_opt(a, "--trace", &v)) {
		r->trace = v ? v : "-";
		return 1;
	}
	if (long_opt(a, "--rng-seed", &v)) {
		char *end;
		unsigned long long seed = v ? strtoull(v, &end, 0) : 0;

		if (!v || !*v || *end) {
			fprintf(stderr, "ccwsim: --rng-seed takes a number\n");
			return -1;
		}
		qm_rng_seed(r->qm, seed);
		return 1;
	}
	if (long_opt(a, "--mem", &v)) {
		char *end;
		unsigned long mib = v ? strtoul(v, &end, 10) : 0;

		if (!v || *end || mib < 1 || mib > 4096) {
			fprintf(stderr, "ccwsim: --mem takes MiB, 1 to 4096\n");
			return -1;
		}
		r->cfg.mem_size = (u64)mib << 20;
		r->mem_set = true;
		return 1;
	}
	if (long_opt(a, "--hotplug-at", &v)) {
		char why[256];

		if (plan.n == MAX_HOTPLUG || !v || !hotplug_parse(v, &plan.ev[plan.n])) {
			fprintf(stderr, "ccwsim: --hotplug-at takes MS:add:DEVICE or MS:del:ID "
					"(at most %u)\n", MAX_HOTPLUG);
			return -1;
		}
		if (plan.ev[plan.n].add && qm_device_check(plan.ev[plan.n].what, why)) {
			fprintf(stderr, "ccwsim: --hotplug-at=%s: %s\n", v, why);
			return -1;
		}
		plan.n++;
		return 1;
	}
	return 0;
}

/* The command line: ccwsim's own options, -f, and QEMU's options (read by
 * boot/host/qemu_cli.c). 0, 1 after --help, -1 after saying what is
 * refused. */
int hostrun_parse(struct hostrun *r, int argc, char **argv, void (*usage)(FILE *f))
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v, *name;
		int kind, own;

		if (long_opt(a, "--help", &v) || !strcmp(a, "-h")) {
			usage(stdout);
			return 1;
		}
		own = own_option(r, a);
		if (own < 0)
			return -1;
		if (own)
			continue;
		if ((!strncmp(a, "--", 2) && qm_option_kind(a + 2) < 0) || a[0] != '-') {
			fprintf(stderr, a[0] == '-' ? "ccwsim: unknown option '%s' (see --help)\n"
						    : "ccwsim: unexpected argument '%s' (see --help)\n", a);
			return -1;
		}
		/* QEMU accepts -opt and --opt alike. */
		name = a + 1 + (a[1] == '-');
		kind = strcmp(name, "f") ? qm_option_kind(name) : 1;
		if (kind < 0) {
			fprintf(stderr, "ccwsim: unknown option '%s' (see --help)\n", a);
			return -1;
		}
		if (kind == 1 && i + 1 >= argc) {
			fprintf(stderr, "ccwsim: %s needs a %s\n", a, strcmp(name, "f") ? "value" : "file");
			return -1;
		}
		if (!strcmp(name, "f"))
			r->herc_file = argv[++i];
		else if (qm_option(r->qm, name, kind ? argv[++i] : NULL))
			return -1;
	}
	/* QEMU refuses a command line longer than the image's area (the
	 * size it declares at 0x10480 - 0x30, reference/platforms.md 4.1). */
	if (strlen(qm_append(r->qm)) >= TOUR_CMDLINE_AREA) {
		fprintf(stderr, "ccwsim: -append: the command line has %zu bytes; the image takes at "
				"most %u (QEMU refuses a longer one)\n", strlen(qm_append(r->qm)),
			TOUR_CMDLINE_AREA - 1);
		return -1;
	}
	return 0;
}

/* The machine, its devices and the host port bound to it; -1 after saying
 * why not. */
int hostrun_build(struct hostrun *r)
{
	if (qm_mem_size(r->qm) && !r->mem_set)
		r->cfg.mem_size = qm_mem_size(r->qm);
	if (r->herc_file) {
		r->herc = herc_load(r->herc_file);
		if (!r->herc)
			return -1;
		/* Hercules 3.13: no virtio, no default devices, no multiple
		 * subchannel sets, the architecture's behaviour. */
		if (herc_mainsize(r->herc))
			r->cfg.mem_size = herc_mainsize(r->herc);
		if (!r->profile_set)
			r->cfg.profile = SIM_PROFILE_ARCH;
		r->cfg.mss = false;
		qm_no_defaults(r->qm);
	}
	r->sim = sim_create(&r->cfg);
	if (!r->sim) {
		fprintf(stderr, "ccwsim: cannot create a machine with %llu MiB\n",
			(unsigned long long)(r->cfg.mem_size >> 20));
		return -1;
	}
	if (r->trace) {
		r->tracef = strcmp(r->trace, "-") ? fopen(r->trace, "w") : stderr;
		if (!r->tracef) {
			fprintf(stderr, "ccwsim: cannot write the trace to %s\n", r->trace);
			return -1;
		}
		sim_trace(r->sim, r->tracef, SIM_TRACE_ALL);
	}
	/* The configuration's devices first, in its order: Hercules numbers
	 * subchannels that way (platforms.md 11.1). */
	if ((r->herc && herc_build(r->herc, r->sim)) || qm_build(r->qm, r->sim))
		return -1;
	plan.qm = r->qm;
	plan.sim = r->sim;
	host_bind(r->sim);
	r->dma_base = r->dma_base_of ? r->dma_base_of(r->cfg.mem_size) : 0;
	if (r->dma_base)
		host_set_dma_base(r->dma_base);
	host_set_crw_wait_hook(plan.n ? hotplug_start : NULL, NULL);
	host_set_cmdline(qm_append(r->qm));
	if (css_init(&r->css)) {
		fprintf(stderr, "ccwsim: out of guest memory\n");
		return -1;
	}
	return 0;
}

void hostrun_free(struct hostrun *r)
{
	host_bind(NULL);
	if (r->tracef && r->tracef != stderr)
		fclose(r->tracef);
	sim_destroy(r->sim);
	qm_free(r->qm);
	herc_free(r->herc);
}

int hostrun_init(struct hostrun *r)
{
	memset(r, 0, sizeof(*r));
	r->cfg = sim_config_default();
	r->qm = qm_new();
	if (!r->qm) {
		fprintf(stderr, "ccwsim: out of memory\n");
		return -1;
	}
	return 0;
}

int hostrun_schedule_status(void)
{
	int status = 0;

	/* A step of the schedule that could not be taken is bad input, as a
	 * refused option is: said, and the exit status 2. */
	for (unsigned k = 0; k < plan.n; k++) {
		if (!plan.ev[k].done)
			fprintf(stderr, "ccwsim: --hotplug-at=%s: did not happen before the program "
					"ended\n", plan.ev[k].arg);
		if (!plan.ev[k].done || plan.ev[k].failed)
			status = 2;
	}
	return status;
}

int hostrun_main(int argc, char **argv, void (*usage)(FILE *f), u64 (*dma_base_of)(u64 mem_size),
		 int (*program)(struct hostrun *r))
{
	static struct hostrun r;
	int status = 2;

	if (hostrun_init(&r))
		return 2;
	switch (hostrun_parse(&r, argc, argv, usage)) {
	case 1:
		status = 0;  /* --help */
		break;
	case 0:
		r.dma_base_of = dma_base_of;
		if (hostrun_build(&r) == 0)
			status = program(&r);
		break;
	}
	hostrun_free(&r);
	return status;
}
