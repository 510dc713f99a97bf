/*
 * ccwsim: the device tour of the s390x image, run on the simulator. Devices
 * are given in QEMU's own spelling (boot/host/qemu_cli.c), or as a Hercules
 * configuration file (-f, boot/host/herc_cfg.c), so a QEMU command line or
 * a Hercules configuration and a ccwsim run can be the same and their
 * output compared line for line. Devices may come and go on a schedule
 * (--hotplug-at), as QEMU's monitor adds and removes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/cmdline_hw.h"    /* TOUR_CMDLINE_AREA */
#include "boot/host/herc_cfg.h"
#include "boot/host/host.h"
#include "boot/host/qemu_cli.h"
#include "boot/tour.h"
#include "ccw/port.h"
#include "devices/con3215.h" /* con3215_find, con3215_put: the console under -f */

#define MAX_HOTPLUG 64

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ccwsim [QEMU options] [ccwsim options]\n"
		"\n"
		"Runs the ccw device tour on the simulated channel subsystem. Every option is\n"
		"modelled as QEMU 7.2 has it, or refused with a reason (exit status 2).\n"
		"\n"
		"QEMU options understood:\n"
		"  -device DRIVER[,devno=fe.S.NNNN][,id=ID][,...]\n"
		"        virtio-blk-ccw, virtio-net-ccw, virtio-serial-ccw (with virtconsole and\n"
		"        virtserialport), virtio-rng-ccw, and by their identity only\n"
		"        virtio-balloon-ccw, virtio-keyboard/mouse/tablet-ccw, virtio-gpu-ccw,\n"
		"        virtio-scsi-ccw, virtio-crypto-ccw, virtio-9p-ccw, vhost-vsock-ccw;\n"
		"        ccw-testdev. QEMU's short names (virtio-blk...) too. Properties: see\n"
		"        the README (\"What ccwsim models\").\n"
		"  -drive if=none,id=ID,file=PATH[,format=raw][,readonly=on][,cache=][,discard=]\n"
		"  -netdev user,id=ID[,net=ADDR/BITS][,host=][,dns=][,dhcpstart=][,restrict=on]\n"
		"        [,hostname=][,domainname=][,bootfile=]   QEMU's user network (ARP, DHCP)\n"
		"  -chardev stdio|file|pipe|null,id=ID[,path=PATH][,append=on]\n"
		"  -object rng-builtin|rng-random,id=ID[,filename=DEV]   virtio-rng's rng=\n"
		"  -object cryptodev-backend-builtin,id=ID     virtio-crypto's cryptodev=\n"
		"  -object filter-dump,id=F,netdev=ID,file=PATH   every frame into a pcap file\n"
		"  -fsdev local,id=ID,path=DIR,security_model=M  virtio-9p's fsdev=\n"
		"  -m SIZE            guest memory (MiB, or with M or G)\n"
		"  -append CMDLINE    the tour's command line (at most %u bytes)\n"
		"  -nodefaults        no default virtio-net-ccw at 0.0.0000\n"
		"  -nic none          no default NIC\n"
		"  -kernel FILE       must be the tour image; -M s390-ccw-virtio; -cpu max|qemu|host\n"
		"  (-nographic, -no-reboot, -action, -serial, -monitor, -qmp, -smp, -bios,\n"
		"   -display ... change nothing the tour sees and are accepted)\n"
		"\n"
		"Hercules configuration:\n"
		"  -f FILE   the devices of a Hercules configuration file, in its subchannel\n"
		"            order: 3215-C and 1052-C consoles (output on standard output;\n"
		"            the first console carries the tour's output, as under Hercules),\n"
		"            3215/1052 (telnet, never connected), 3505 FILE [ebcdic|ascii]\n"
		"            [eof|intrq], 1403 FILE [crlf], 3390 FILE [ro]; MAINSIZE sets the\n"
		"            memory; other system statements are accepted. Relative paths are\n"
		"            relative to FILE's directory. Implies -nodefaults, the arch\n"
		"            profile and no multiple subchannel sets, as Hercules 3.13.\n"
		"\n"
		"ccwsim options:\n"
		"  --profile=qemu|arch   behaviour profile (default qemu)\n"
		"  --deferred            channel programs complete only when the driver waits\n"
		"  --trace=FILE          trace every instruction, CCW and interruption ('-': stderr)\n"
		"  --mem=MIB             guest memory in MiB (default 128)\n"
		"  --rng-seed=N          virtio-rng from a seeded generator, not the system's\n"
		"  --hotplug-at=MS:add:DEVICE   plug in a device (a -device value) MS ms of the\n"
		"                        machine's clock after the program starts waiting for\n"
		"                        channel reports (the tour's hotplug= option)\n"
		"  --hotplug-at=MS:del:ID       unplug the device with id=ID then\n"
		"  --help                this text\n",
		TOUR_CMDLINE_AREA - 1);
}

/*
 * The console that carries the tour's output under -f, as the s390x image
 * finds one under Hercules: the first 3215 or 1052 by SENSE ID. When it
 * fails (a telnet 3215 nobody is connected to), the output goes to
 * standard output directly, with a note on standard error.
 */
struct console_owner {
	struct con3215 con;
	bool active;
	bool busy;
};

static void console_sink(void *ctx, const char *s, size_t n)
{
	struct console_owner *o = ctx;

	if (!o->active || o->busy) {
		fwrite(s, 1, n, stdout);
		return;
	}
	o->busy = true;
	if (con3215_put(&o->con, s, n)) {
		o->active = false;
		fprintf(stderr, "ccwsim: the console failed (%s); output goes to standard output\n",
			o->con.why);
		fwrite(s, 1, n, stdout);
	}
	o->busy = false;
}

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

/* What one run is made of, released in one place (run_free). */
struct run {
	struct sim_config cfg;
	bool profile_set, mem_set;
	const char *herc_file, *trace;
	struct qm *qm;
	struct herc_config *herc;
	struct sim *sim;
	FILE *tracef;
	struct css css;
	struct console_owner owner;
};

/* One of ccwsim's own options (--profile, --deferred, --trace, --rng-seed,
 * --mem, --hotplug-at): 1 when taken, 0 when a is none of them, -1 after
 * saying why it is refused. */
static int own_option(struct run *r, const char *a)
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
static int parse_args(struct run *r, int argc, char **argv)
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
static int build(struct run *r)
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
	host_set_crw_wait_hook(plan.n ? hotplug_start : NULL, NULL);
	host_set_cmdline(qm_append(r->qm));
	if (css_init(&r->css)) {
		fprintf(stderr, "ccwsim: out of guest memory\n");
		return -1;
	}
	return 0;
}

/* The tour on the built machine; the exit status: 0, 1 when a check
 * failed, 2 when a step of the hotplug schedule was not carried out. */
static int run_tour(struct run *r)
{
	int status;

	/* Under Hercules the image prints through the first console it finds;
	 * so does the tour here when the configuration has one. */
	if (r->herc && herc_has_console(r->herc)) {
		fflush(stdout);
		if (con3215_find(&r->owner.con, &r->css) == 0) {
			r->owner.active = true;
			host_set_output(console_sink, &r->owner);
		} else {
			fprintf(stderr, "ccwsim: %s; output goes to standard output\n",
				r->owner.con.why);
		}
	}
	status = tour_main(&r->css, port_cmdline()) ? 1 : 0;
	if (r->owner.active)
		con3215_flush(&r->owner.con);
	host_set_output(NULL, NULL);
	fflush(stdout);
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

static void run_free(struct run *r)
{
	host_bind(NULL);
	if (r->tracef && r->tracef != stderr)
		fclose(r->tracef);
	sim_destroy(r->sim);
	qm_free(r->qm);
	herc_free(r->herc);
}

int main(int argc, char **argv)
{
	static struct run r;
	int status = 2;

	r.cfg = sim_config_default();
	r.qm = qm_new();
	if (!r.qm) {
		fprintf(stderr, "ccwsim: out of memory\n");
		return 2;
	}
	switch (parse_args(&r, argc, argv)) {
	case 1:
		status = 0;  /* --help */
		break;
	case 0:
		if (build(&r) == 0)
			status = run_tour(&r);
		break;
	}
	run_free(&r);
	return status;
}
