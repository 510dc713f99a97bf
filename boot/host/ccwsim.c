/*
 * ccwsim: the device tour of the s390x image, run on the simulator. Devices
 * are given in QEMU's own spelling, so a QEMU command line and a ccwsim
 * command line can be the same and their listings compared line for line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/host/host.h"
#include "boot/tour.h"
#include "ccw/port.h"
#include "sim/testdev.h"

#define MAX_DEVICES 256
#define MAX_OPTS 16

struct opt {
	char key[32];
	char val[256];
};

/* One -device: the driver and its key=value options. */
struct devspec {
	char driver[48];
	struct opt opt[MAX_OPTS];
	unsigned nopt;
};

static const struct {
	const char *driver;
	unsigned virtio_id; /* virtio 1.3, 5 "Device Types" */
} virtio_drivers[] = {
	{ "virtio-net-ccw", 1 },      { "virtio-blk-ccw", 2 },     { "virtio-serial-ccw", 3 },
	{ "virtio-rng-ccw", 4 },      { "virtio-balloon-ccw", 5 }, { "virtio-scsi-ccw", 8 },
	{ "virtio-9p-ccw", 9 },       { "virtio-gpu-ccw", 16 },    { "virtio-keyboard-ccw", 18 },
	{ "virtio-mouse-ccw", 18 },   { "virtio-tablet-ccw", 18 }, { "vhost-vsock-ccw", 19 },
	{ "virtio-crypto-ccw", 20 },  { "vhost-user-fs-ccw", 26 },
};

/* Devices that exist on QEMU's command line but have no subchannel. */
static const char *const no_subchannel[] = {
	"virtconsole", "virtserialport", "sclpconsole", "sclplmconsole",
};

/* QEMU options ccwsim accepts and ignores, with and without a value. */
static const char *const ignored_with_value[] = {
	"kernel", "M", "machine", "m", "action", "smp", "cpu", "object", "serial", "monitor",
	"global", "name", "display", "bios", "initrd", "boot", "accel", "vga", "L",
};
static const char *const ignored_flags[] = {
	"nodefaults", "nographic", "no-reboot", "no-shutdown", "enable-kvm", "S",
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ccwsim [QEMU options] [ccwsim options]\n"
		"\n"
		"Runs the ccw device tour on the simulated channel subsystem.\n"
		"\n"
		"QEMU options understood:\n"
		"  -device DRIVER[,devno=fe.S.NNNN][,...]   virtio-*-ccw devices, ccw-testdev\n"
		"  -drive, -netdev, -chardev SPEC           back-ends (recorded)\n"
		"  -append CMDLINE                          the tour's command line\n"
		"  -nodefaults                              no default virtio-net-ccw at 0.0.0000\n"
		"  (-kernel, -M, -nographic, -action ... are accepted and ignored)\n"
		"\n"
		"ccwsim options:\n"
		"  --profile=qemu|arch   behaviour profile (default qemu)\n"
		"  --deferred            channel programs complete only when the driver waits\n"
		"  --trace=FILE          trace every instruction, CCW and interruption ('-': stderr)\n"
		"  --mem=MIB             guest memory in MiB (default 128)\n"
		"  --help                this text\n");
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* Split "driver,key=val,key=val" into spec; false when malformed. */
static bool parse_device(const char *arg, struct devspec *d)
{
	const char *p = arg;
	size_t n = strcspn(p, ",");

	memset(d, 0, sizeof(*d));
	if (n == 0 || n >= sizeof(d->driver))
		return false;
	memcpy(d->driver, p, n);
	p += n;
	while (*p == ',') {
		struct opt *o;
		size_t k, v;

		p++;
		if (d->nopt == MAX_OPTS)
			return false;
		o = &d->opt[d->nopt++];
		k = strcspn(p, "=,");
		if (k == 0 || k >= sizeof(o->key))
			return false;
		memcpy(o->key, p, k);
		p += k;
		if (*p == '=') {
			p++;
			v = strcspn(p, ",");
			if (v >= sizeof(o->val))
				return false;
			memcpy(o->val, p, v);
			p += v;
		}
	}
	return *p == '\0';
}

static const char *get_opt(const struct devspec *d, const char *key)
{
	for (unsigned i = 0; i < d->nopt; i++)
		if (!strcmp(d->opt[i].key, key))
			return d->opt[i].val;
	return NULL;
}

/* "fe.0.0001" (or "0.0.0001") into ssid and devno; false when malformed. */
static bool parse_devno(const char *s, unsigned *ssid, unsigned *devno)
{
	char *end;
	unsigned long css, set, num;

	css = strtoul(s, &end, 16);
	if (*end != '.' || css > 0xFF)
		return false;
	set = strtoul(end + 1, &end, 16);
	if (*end != '.' || set > 3)
		return false;
	num = strtoul(end + 1, &end, 16);
	if (*end != '\0' || num > 0xFFFF)
		return false;
	/* QEMU's virtual devices live in css 0xfe, which the guest sees as 0. */
	if (css != 0xFE && css != 0)
		return false;
	*ssid = (unsigned)set;
	*devno = (unsigned)num;
	return true;
}

struct machine {
	struct sim *sim;
	bool devno_used[4][0x10000];
};

/* The lowest free device number of a set, as QEMU assigns one. */
static long free_devno(struct machine *m, unsigned ssid)
{
	for (unsigned n = 0; n <= 0xFFFF; n++)
		if (!m->devno_used[ssid][n])
			return n;
	return -1;
}

/* Attach one device; an error message and false when it cannot be. */
static bool add_device(struct machine *m, const struct devspec *d)
{
	struct sim_dev_config cfg;
	const char *devno = get_opt(d, "devno");
	unsigned ssid = 0, num;
	long schid;
	size_t i;

	if (in_list(d->driver, no_subchannel, ARRAY_SIZE(no_subchannel)))
		return true;
	memset(&cfg, 0, sizeof(cfg));
	if (devno) {
		if (!parse_devno(devno, &ssid, &num)) {
			fprintf(stderr, "ccwsim: -device %s: devno '%s' is not cssid.ssid.devno "
					"(like fe.0.0001)\n", d->driver, devno);
			return false;
		}
		if (m->devno_used[ssid][num]) {
			fprintf(stderr, "ccwsim: -device %s: devno %s is already in use\n", d->driver,
				devno);
			return false;
		}
	} else {
		long f = free_devno(m, 0);

		if (f < 0) {
			fprintf(stderr, "ccwsim: no free device number left\n");
			return false;
		}
		num = (unsigned)f;
	}
	cfg.ssid = ssid;
	cfg.schno = -1;
	cfg.devno = (u16)num;
	if (!strcmp(d->driver, "ccw-testdev")) {
		schid = testdev_attach(m->sim, ssid, -1, (u16)num, NULL);
	} else {
		for (i = 0; i < ARRAY_SIZE(virtio_drivers); i++)
			if (!strcmp(d->driver, virtio_drivers[i].driver))
				break;
		if (i == ARRAY_SIZE(virtio_drivers)) {
			fprintf(stderr, "ccwsim: -device %s: unknown device (see --help)\n", d->driver);
			return false;
		}
		/* A virtio-ccw device as QEMU builds it: CU 3832 with the
		 * virtio id as model, a 256-byte SENSE ID, channel-path type
		 * 0x32. Until the virtio-ccw control unit exists, it answers
		 * only what the channel subsystem answers. */
		cfg.cu_type = 0x3832;
		cfg.cu_model = (u8)virtio_drivers[i].virtio_id;
		cfg.senseid_len = sizeof(struct senseid);
		cfg.chpid = 0;
		cfg.chpid_type = 0x32;
		cfg.initially_enabled = true;
		schid = sim_attach(m->sim, &cfg, &reject_ops, NULL);
	}
	if (schid < 0) {
		fprintf(stderr, "ccwsim: -device %s: no free subchannel\n", d->driver);
		return false;
	}
	m->devno_used[ssid][num] = true;
	return true;
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

int main(int argc, char **argv)
{
	static struct devspec devs[MAX_DEVICES];
	static struct machine m;
	struct sim_config cfg = { 128ull << 20, SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, true, 0 };
	const char *cmdline = "";
	const char *trace = NULL;
	FILE *tracef = NULL;
	bool nodefaults = false;
	unsigned ndevs = 0;
	struct css css;
	int i, failed;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v;
		const char *name;

		if (long_opt(a, "--help", &v) || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		if (long_opt(a, "--profile", &v)) {
			if (v && !strcmp(v, "qemu"))
				cfg.profile = SIM_PROFILE_QEMU;
			else if (v && !strcmp(v, "arch"))
				cfg.profile = SIM_PROFILE_ARCH;
			else {
				fprintf(stderr, "ccwsim: --profile takes qemu or arch\n");
				return 2;
			}
			continue;
		}
		if (long_opt(a, "--deferred", &v)) {
			cfg.completion = SIM_COMPLETE_DEFERRED;
			continue;
		}
		if (long_opt(a, "--trace", &v)) {
			trace = v ? v : "-";
			continue;
		}
		if (long_opt(a, "--mem", &v)) {
			char *end;
			unsigned long mib = v ? strtoul(v, &end, 10) : 0;

			if (!v || *end || mib < 1 || mib > 4096) {
				fprintf(stderr, "ccwsim: --mem takes MiB, 1 to 4096\n");
				return 2;
			}
			cfg.mem_size = (u64)mib << 20;
			continue;
		}
		if (a[0] != '-') {
			fprintf(stderr, "ccwsim: unexpected argument '%s' (see --help)\n", a);
			return 2;
		}
		/* QEMU accepts -opt and --opt alike. */
		name = a + 1 + (a[1] == '-');
		if (in_list(name, ignored_flags, ARRAY_SIZE(ignored_flags))) {
			if (!strcmp(name, "nodefaults"))
				nodefaults = true;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "ccwsim: %s needs a value\n", a);
			return 2;
		}
		v = argv[++i];
		if (!strcmp(name, "device")) {
			if (ndevs == MAX_DEVICES || !parse_device(v, &devs[ndevs])) {
				fprintf(stderr, "ccwsim: cannot use -device '%s'\n", v);
				return 2;
			}
			ndevs++;
		} else if (!strcmp(name, "append")) {
			cmdline = v;
		} else if (!strcmp(name, "drive") || !strcmp(name, "netdev") ||
			   !strcmp(name, "chardev") || !strcmp(name, "nic")) {
			/* Back-ends: the virtio device models will use them. */
		} else if (!in_list(name, ignored_with_value, ARRAY_SIZE(ignored_with_value))) {
			fprintf(stderr, "ccwsim: unknown option '%s' (see --help)\n", a);
			return 2;
		}
	}

	m.sim = sim_create(&cfg);
	if (!m.sim) {
		fprintf(stderr, "ccwsim: cannot create a machine with %llu MiB\n",
			(unsigned long long)(cfg.mem_size >> 20));
		return 2;
	}
	if (trace) {
		tracef = strcmp(trace, "-") ? fopen(trace, "w") : stderr;
		if (!tracef) {
			fprintf(stderr, "ccwsim: cannot write the trace to %s\n", trace);
			sim_destroy(m.sim);
			return 2;
		}
		sim_trace(m.sim, tracef, SIM_TRACE_ALL);
	}
	/* Without -nodefaults QEMU adds a virtio-net-ccw first, at 0.0.0000. */
	if (!nodefaults) {
		struct devspec nic;

		parse_device("virtio-net-ccw,devno=fe.0.0000", &nic);
		if (!add_device(&m, &nic))
			return 2;
	}
	for (unsigned k = 0; k < ndevs; k++) {
		if (!add_device(&m, &devs[k])) {
			sim_destroy(m.sim);
			return 2;
		}
	}

	host_bind(m.sim);
	host_set_cmdline(cmdline);
	if (css_init(&css)) {
		fprintf(stderr, "ccwsim: out of guest memory\n");
		return 2;
	}
	failed = tour_main(&css, port_cmdline());
	fflush(stdout);
	if (tracef && tracef != stderr)
		fclose(tracef);
	sim_destroy(m.sim);
	return failed ? 1 : 0;
}
