/*
 * ccwsim: the device tour of the s390x image, run on the simulator. Devices
 * are given in QEMU's own spelling, or as a Hercules configuration file
 * (-f), so a QEMU command line or a Hercules configuration and a ccwsim
 * run can be the same and their listings compared line for line.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "boot/host/host.h"
#include "boot/tour.h"
#include "ccw/port.h"
#include "devices/con3215.h" /* con3215_find, con3215_put: the console under -f */
#include "sim/con3215.h"     /* sim_con3215_add */
#include "sim/dasd.h"        /* sim_dasd_add */
#include "sim/testdev.h"
#include "sim/unitrec.h"     /* sim_rdr3505_add, sim_prt1403_add */
#include "sim/vdev.h"

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
	"kernel", "M", "machine", "m", "action", "smp", "cpu", "serial", "monitor",
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
		"  -device DRIVER[,devno=fe.S.NNNN][,...]   virtio-*-ccw devices, ccw-testdev;\n"
		"        virtio properties max_revision=0|1|2, packed=, event_idx=,\n"
		"        indirect_desc=on|off; virtio-blk-ccw needs drive=ID, takes serial=\n"
		"  -drive if=none,id=ID,file=PATH[,readonly=on]   a disk image (raw)\n"
		"  -netdev user,id=ID                       QEMU's user network (gateway 10.0.2.2,\n"
		"                                           DHCP); virtio-net-ccw takes netdev=ID, mac=\n"
		"  -object filter-dump,id=F,netdev=ID,file=PATH   every frame into a pcap file\n"
		"  -chardev stdio|file|pipe|null,id=ID[,path=PATH]   a virtconsole's back-end:\n"
		"        -device virtio-serial-ccw -device virtconsole,chardev=ID\n"
		"  -append CMDLINE                          the tour's command line\n"
		"  -nodefaults                              no default virtio-net-ccw at 0.0.0000\n"
		"  (-kernel, -M, -nographic, -action ... are accepted and ignored)\n"
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

/* One -netdev (only QEMU's user network is simulated) and its pcap file. */
struct netdev {
	char id[64];
	char pcap[256];
};

/* One -chardev: where a virtconsole's output goes and its input comes from. */
struct chardev {
	char id[64];
	int out_fd, in_fd;
	bool used;
};

#define MAX_BACKENDS 16

/* One -drive: its id and file. */
struct drive {
	char id[64];
	char file[256];
	bool read_only;
};

#define MAX_DRIVES 16

struct machine {
	struct sim *sim;
	bool devno_used[4][0x10000];
	struct drive drives[MAX_DRIVES];
	unsigned ndrives;
	struct netdev netdevs[MAX_BACKENDS];
	unsigned nnetdevs;
	struct chardev chardevs[MAX_BACKENDS];
	unsigned nchardevs;
	unsigned nics;          /* virtio-net devices so far: QEMU's MAC addresses count up */
	const struct devspec *devs;   /* the -device options, in order */
	unsigned ndevs;
	bool adding_default_nic;
	bool rng_seeded;
	u64 rng_seed;
};

/* "on"/"off" (and true/false, yes/no) into *v; false when neither. */
static bool parse_bool(const char *s, bool *v)
{
	if (!strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "yes")) {
		*v = true;
		return true;
	}
	if (!strcmp(s, "off") || !strcmp(s, "false") || !strcmp(s, "no")) {
		*v = false;
		return true;
	}
	return false;
}

/* The transport a -device asks for: QEMU's defaults and its properties. */
static bool device_transport(const struct devspec *d, struct sim_vccw_config *t)
{
	const char *v;
	char *end;

	sim_vdev_default_transport(t);
	if ((v = get_opt(d, "max_revision"))) {
		unsigned long r = strtoul(v, &end, 10);

		if (*end || r > 2) {
			fprintf(stderr, "ccwsim: -device %s: max_revision takes 0, 1 or 2\n", d->driver);
			return false;
		}
		t->max_revision = (int)r;
	}
	if (((v = get_opt(d, "packed")) && !parse_bool(v, &t->ring_packed)) ||
	    ((v = get_opt(d, "event_idx")) && !parse_bool(v, &t->event_idx)) ||
	    ((v = get_opt(d, "indirect_desc")) && !parse_bool(v, &t->indirect_desc))) {
		fprintf(stderr, "ccwsim: -device %s: packed, event_idx and indirect_desc take on or off\n",
			d->driver);
		return false;
	}
	return true;
}

/* Record a -drive: id=...,file=...[,readonly=on]. */
static bool add_drive(struct machine *m, const char *arg)
{
	struct devspec spec;
	struct drive *dr;
	const char *v;
	char buf[300];

	/* Reuse the key=value parser: a dummy driver name first. */
	if (snprintf(buf, sizeof(buf), "drive,%s", arg) >= (int)sizeof(buf) ||
	    !parse_device(buf, &spec) || m->ndrives == MAX_DRIVES) {
		fprintf(stderr, "ccwsim: cannot use -drive '%s'\n", arg);
		return false;
	}
	dr = &m->drives[m->ndrives];
	memset(dr, 0, sizeof(*dr));
	if (!(v = get_opt(&spec, "id")) || !*v) {
		fprintf(stderr, "ccwsim: -drive '%s' needs id=\n", arg);
		return false;
	}
	snprintf(dr->id, sizeof(dr->id), "%s", v);
	if ((v = get_opt(&spec, "file")))
		snprintf(dr->file, sizeof(dr->file), "%s", v);
	if ((v = get_opt(&spec, "readonly")) && !parse_bool(v, &dr->read_only)) {
		fprintf(stderr, "ccwsim: -drive '%s': readonly takes on or off\n", arg);
		return false;
	}
	m->ndrives++;
	return true;
}

static const struct drive *find_drive(const struct machine *m, const char *id)
{
	for (unsigned i = 0; i < m->ndrives; i++)
		if (!strcmp(m->drives[i].id, id))
			return &m->drives[i];
	return NULL;
}

/* Parse "type,key=val,..." of a back-end option; false (with a message) when malformed. */
static bool parse_backend(const char *what, const char *arg, struct devspec *spec)
{
	if (!parse_device(arg, spec)) {
		fprintf(stderr, "ccwsim: cannot use -%s '%s'\n", what, arg);
		return false;
	}
	if (!get_opt(spec, "id") && strcmp(what, "object")) {
		fprintf(stderr, "ccwsim: -%s '%s' needs id=\n", what, arg);
		return false;
	}
	return true;
}

/* Record a -netdev: QEMU's user network is what the simulator has. */
static bool add_netdev(struct machine *m, const char *arg)
{
	struct devspec spec;
	struct netdev *n;

	if (!parse_backend("netdev", arg, &spec))
		return false;
	if (strcmp(spec.driver, "user")) {
		fprintf(stderr, "ccwsim: -netdev %s: only user networking (-netdev user) is "
				"simulated\n", spec.driver);
		return false;
	}
	if (m->nnetdevs == MAX_BACKENDS) {
		fprintf(stderr, "ccwsim: too many -netdev options\n");
		return false;
	}
	n = &m->netdevs[m->nnetdevs++];
	memset(n, 0, sizeof(*n));
	snprintf(n->id, sizeof(n->id), "%s", get_opt(&spec, "id"));
	return true;
}

static struct netdev *find_netdev(struct machine *m, const char *id)
{
	for (unsigned i = 0; i < m->nnetdevs; i++)
		if (!strcmp(m->netdevs[i].id, id))
			return &m->netdevs[i];
	return NULL;
}

/* An -object: filter-dump writes a netdev's frames to a pcap file; others are ignored. */
static bool add_object(struct machine *m, const char *arg)
{
	struct devspec spec;
	struct netdev *n;
	const char *nd, *file;

	if (!parse_backend("object", arg, &spec))
		return false;
	if (strcmp(spec.driver, "filter-dump"))
		return true;
	nd = get_opt(&spec, "netdev");
	file = get_opt(&spec, "file");
	if (!nd || !file || !*file) {
		fprintf(stderr, "ccwsim: -object filter-dump needs netdev= and file=\n");
		return false;
	}
	n = find_netdev(m, nd);
	if (!n) {
		fprintf(stderr, "ccwsim: -object filter-dump: no -netdev with id %s\n", nd);
		return false;
	}
	snprintf(n->pcap, sizeof(n->pcap), "%s", file);
	return true;
}

/*
 * Record a -chardev and open its files as QEMU does: stdio is ours, a file
 * is truncated (or appended to with append=on), a pipe is PATH.in and
 * PATH.out when they exist, else PATH both ways; null goes nowhere.
 */
static bool add_chardev(struct machine *m, const char *arg)
{
	struct devspec spec;
	struct chardev *c;
	const char *path, *v;
	bool append = false;

	if (!parse_backend("chardev", arg, &spec))
		return false;
	if (m->nchardevs == MAX_BACKENDS) {
		fprintf(stderr, "ccwsim: too many -chardev options\n");
		return false;
	}
	c = &m->chardevs[m->nchardevs];
	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", get_opt(&spec, "id"));
	c->out_fd = c->in_fd = -1;
	path = get_opt(&spec, "path");
	if (!strcmp(spec.driver, "stdio")) {
		c->out_fd = STDOUT_FILENO;
		c->in_fd = STDIN_FILENO;
	} else if (!strcmp(spec.driver, "null")) {
		/* Nothing either way. */
	} else if (!strcmp(spec.driver, "file") || !strcmp(spec.driver, "pipe")) {
		if (!path || !*path) {
			fprintf(stderr, "ccwsim: -chardev %s needs path=\n", spec.driver);
			return false;
		}
		if ((v = get_opt(&spec, "append")) && !parse_bool(v, &append)) {
			fprintf(stderr, "ccwsim: -chardev file: append takes on or off\n");
			return false;
		}
		if (!strcmp(spec.driver, "file")) {
			c->out_fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0666);
		} else {
			char in[300], out[300];

			snprintf(in, sizeof(in), "%s.in", path);
			snprintf(out, sizeof(out), "%s.out", path);
			/* Read-write, so that opening a FIFO does not wait for its other end. */
			c->in_fd = open(in, O_RDWR);
			c->out_fd = open(out, O_RDWR);
			if (c->in_fd < 0 || c->out_fd < 0) {
				if (c->in_fd >= 0)
					close(c->in_fd);
				if (c->out_fd >= 0)
					close(c->out_fd);
				c->in_fd = open(path, O_RDWR);
				c->out_fd = c->in_fd >= 0 ? dup(c->in_fd) : -1;
			}
		}
		if (c->out_fd < 0) {
			fprintf(stderr, "ccwsim: -chardev %s,path=%s: %s\n", spec.driver, path,
				strerror(errno));
			return false;
		}
	} else {
		fprintf(stderr, "ccwsim: -chardev %s: not simulated (stdio, file, pipe and null "
				"are)\n", spec.driver);
		return false;
	}
	m->nchardevs++;
	return true;
}

static struct chardev *find_chardev(struct machine *m, const char *id)
{
	for (unsigned i = 0; i < m->nchardevs; i++)
		if (!strcmp(m->chardevs[i].id, id))
			return &m->chardevs[i];
	return NULL;
}

/* Close what no device took over. */
static void close_chardevs(struct machine *m)
{
	for (unsigned i = 0; i < m->nchardevs; i++) {
		struct chardev *c = &m->chardevs[i];

		if (c->used)
			continue;
		if (c->out_fd > STDERR_FILENO)
			close(c->out_fd);
		if (c->in_fd > STDERR_FILENO)
			close(c->in_fd);
	}
}

/* virtio-net-ccw: its user network, pcap file and MAC (QEMU counts up from 52:54:00:12:34:56). */
static long add_net(struct machine *m, const struct devspec *d, const struct sim_dev_config *cfg,
		    const struct sim_vccw_config *t)
{
	struct sim_net_opts no;
	const char *id = get_opt(d, "netdev"), *mac = get_opt(d, "mac");
	struct netdev *n = NULL;
	char why[SIM_WHY_LEN] = "";
	long schid;
	unsigned nic = m->nics++;

	memset(&no, 0, sizeof(no));
	if (id && !(n = find_netdev(m, id))) {
		fprintf(stderr, "ccwsim: -device %s: no -netdev with id %s\n", d->driver, id);
		return -2;
	}
	/* A NIC without netdev= has no peer in QEMU, except the default NIC
	 * (no -nodefaults), which has the user network. */
	no.user_net = n || m->adding_default_nic;
	no.pcap = n && n->pcap[0] ? n->pcap : NULL;
	if (mac) {
		unsigned b[6];
		char end;

		if (sscanf(mac, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
			   &end) != 6) {
			fprintf(stderr, "ccwsim: -device %s: mac takes xx:xx:xx:xx:xx:xx\n", d->driver);
			return -2;
		}
		for (unsigned k = 0; k < 6; k++)
			no.mac[k] = (u8)b[k];
	} else {
		static const u8 base[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

		memcpy(no.mac, base, 6);
		no.mac[5] = (u8)(base[5] + nic);
	}
	schid = sim_vdev_net(m->sim, cfg, t, &no, why);
	if (schid < 0 && why[0]) {
		fprintf(stderr, "ccwsim: -device %s: %s\n", d->driver, why);
		return -2;
	}
	return schid;
}

/* virtio-serial-ccw: the virtconsole that follows it on the command line, if any. */
static long add_serial(struct machine *m, const struct devspec *d, const struct sim_dev_config *cfg,
		       const struct sim_vccw_config *t)
{
	struct sim_con_opts co = { .out_fd = -1, .in_fd = -1 };
	char why[SIM_WHY_LEN] = "";
	long schid;

	for (const struct devspec *e = d + 1; m->devs && d >= m->devs && e < m->devs + m->ndevs;
	     e++) {
		const char *id;
		struct chardev *c;

		if (!strcmp(e->driver, "virtio-serial-ccw"))
			break;
		if (strcmp(e->driver, "virtconsole"))
			continue;
		co.console_port = true;
		id = get_opt(e, "chardev");
		if (!id)
			break;
		c = find_chardev(m, id);
		if (!c || c->used) {
			fprintf(stderr, "ccwsim: -device virtconsole: %s -chardev with id %s\n",
				c ? "already used:" : "no", id);
			return -2;
		}
		c->used = true;
		co.out_fd = c->out_fd;
		co.in_fd = c->in_fd;
		co.own_fds = c->out_fd > STDERR_FILENO;
		break;
	}
	schid = sim_vdev_console(m->sim, cfg, t, &co, why);
	if (schid < 0 && why[0]) {
		fprintf(stderr, "ccwsim: -device %s: %s\n", d->driver, why);
		return -2;
	}
	return schid;
}

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
		cfg.chpid = 0;
		switch (virtio_drivers[i].virtio_id) {
		case 1:
		case 2:
		case 3:
		case 4: {
			struct sim_vccw_config t;

			if (!device_transport(d, &t))
				return false;
			if (virtio_drivers[i].virtio_id == 2) {
				const char *id = get_opt(d, "drive");
				const struct drive *dr = id ? find_drive(m, id) : NULL;
				struct sim_blk_opts bo = { 0 };
				char why[SIM_WHY_LEN] = "";

				if (!dr || !dr->file[0]) {
					fprintf(stderr, "ccwsim: -device %s: drive property not set\n",
						d->driver);
					return false;
				}
				bo.path = dr->file;
				bo.read_only = dr->read_only;
				bo.serial = get_opt(d, "serial");
				schid = sim_vdev_blk(m->sim, &cfg, &t, &bo, why);
				if (schid < 0 && why[0]) {
					fprintf(stderr, "ccwsim: -device %s: %s\n", d->driver, why);
					return false;
				}
			} else if (virtio_drivers[i].virtio_id == 4) {
				struct sim_rng_opts ro = { .seeded = m->rng_seeded, .seed = m->rng_seed };

				schid = sim_vdev_rng(m->sim, &cfg, &t, &ro);
			} else if (virtio_drivers[i].virtio_id == 1) {
				schid = add_net(m, d, &cfg, &t);
			} else {
				schid = add_serial(m, d, &cfg, &t);
			}
			if (schid == -2)
				return false;
			break;
		}
		default:
			/* Other virtio types: the identity only; they answer what
			 * the channel subsystem answers itself. */
			cfg.cu_type = 0x3832;
			cfg.cu_model = (u8)virtio_drivers[i].virtio_id;
			cfg.senseid_len = sizeof(struct senseid);
			cfg.chpid_type = 0x32;
			cfg.initially_enabled = true;
			schid = sim_attach(m->sim, &cfg, &reject_ops, NULL);
			break;
		}
	}
	if (schid < 0) {
		fprintf(stderr, "ccwsim: -device %s: no free subchannel\n", d->driver);
		return false;
	}
	m->devno_used[ssid][num] = true;
	return true;
}

/* --- Hercules configuration (-f) -------------------------------------------
 *
 * Facts: reference/platforms.md 9.2 (the statements and device lines of
 * the measured configuration), 11.1 (subchannels are numbered in
 * configuration order; CHPID 0 is the device number's high byte).
 */

#define HERC_MAX_DEVS 256
#define HERC_MAX_ARGS 8

/* One device line of the configuration. */
struct herc_dev {
	unsigned line;
	u16 devno;
	char type[16];
	char args[HERC_MAX_ARGS][256];
	unsigned nargs;
};

struct herc_config {
	const char *file;
	char dir[256];            /* the file's directory, for relative paths */
	u64 mainsize;             /* MAINSIZE in bytes, 0 when not given */
	struct herc_dev devs[HERC_MAX_DEVS];
	unsigned ndevs;
	bool has_console;         /* a 3215/1052 is configured */
};

/* System statements ccwsim accepts and ignores (Hercules 3.x bldcfg.c). */
static const char *const herc_statements[] = {
	"ARCHMODE", "NUMCPU", "MAXCPU", "NUMVEC", "CPUSERIAL", "CPUMODEL", "CPUVERID",
	"CPUPRIO", "DEVPRIO", "TODPRIO", "HERCPRIO", "OSTAILOR", "PANRATE", "LOADPARM",
	"SYSEPOCH", "TZOFFSET", "YROFFSET", "HTTPPORT", "HTTPROOT", "CNSLPORT", "CONKPALV",
	"LPARNAME", "LPARNUM", "MODEL", "PLANT", "MANUFACTURER", "LOGOPT", "ECPSVM",
	"DIAG8CMD", "SHCMDOPT", "CODEPAGE", "LEGACYSENSEID", "PGMPRDOS", "TIMERINT",
	"ENGINES", "XPNDSIZE", "ASN_AND_LX_REUSE", "ALRF", "DEVTMAX", "IODELAY", "CCKD",
	"SHRDPORT", "AUTO_SCSI_MOUNT", "MOUNTED_TAPE_REINIT", "PANTITLE", "DEFSYM", "HAO",
	"ECPSVM", "SCLPROOT", "AUTOMOUNT", "TRACEOPT", "CONCPU", "LOGFILE", "MODPATH", "LDMOD",
};

static bool herc_fail(const struct herc_config *h, unsigned line, const char *fmt, ...)
	__printf(3, 4);
static bool herc_fail(const struct herc_config *h, unsigned line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ccwsim: %s:%u: ", h->file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return false;
}

/* A device number: 1 to 4 hex digits, optionally "lcss:" before them. */
static bool herc_devno(const char *s, u16 *devno)
{
	const char *colon = strchr(s, ':');
	char *end;
	unsigned long v;

	if (colon) {
		if (colon - s != 1 || s[0] != '0')
			return false; /* only LCSS 0 */
		s = colon + 1;
	}
	if (!*s || strlen(s) > 4)
		return false;
	v = strtoul(s, &end, 16);
	if (*end)
		return false;
	*devno = (u16)v;
	return true;
}

/* Whether the token looks like a device number or a range of them. */
static bool herc_is_devno_token(const char *s)
{
	return strspn(s, "0123456789abcdefABCDEF:.,-") == strlen(s) && isxdigit((unsigned char)s[0]);
}

static bool herc_device_type_known(const char *t)
{
	static const char *const types[] = { "3215-C", "1052-C", "3215", "1052", "3505", "1403",
					     "3390" };

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (!strcasecmp(t, types[i]))
			return true;
	return false;
}

/* Read the configuration: system statements now, device lines for later. */
static bool herc_parse(struct herc_config *h, const char *file)
{
	FILE *f = fopen(file, "r");
	char text[1024];
	unsigned line = 0;
	const char *slash;

	memset(h, 0, sizeof(*h));
	h->file = file;
	if (!f) {
		fprintf(stderr, "ccwsim: -f %s: %s\n", file, strerror(errno));
		return false;
	}
	slash = strrchr(file, '/');
	if (slash)
		snprintf(h->dir, sizeof(h->dir), "%.*s", (int)(slash - file), file);
	else
		snprintf(h->dir, sizeof(h->dir), ".");
	if (slash == file)
		snprintf(h->dir, sizeof(h->dir), "/");
	while (fgets(text, sizeof(text), f)) {
		char *tok[2 + HERC_MAX_ARGS + 1];
		unsigned ntok = 0;
		char *p = text, *hash;

		line++;
		if (!strchr(text, '\n') && !feof(f)) {
			fclose(f);
			return herc_fail(h, line, "line too long");
		}
		/* Comments: a line starting with '*' or '#', or '#' after a blank. */
		p += strspn(p, " \t");
		if (*p == '*' || *p == '#')
			continue;
		for (hash = p; (hash = strchr(hash, '#')); hash++)
			if (hash > p && (hash[-1] == ' ' || hash[-1] == '\t')) {
				*hash = '\0';
				break;
			}
		for (char *t = strtok(p, " \t\r\n"); t; t = strtok(NULL, " \t\r\n")) {
			if (ntok == ARRAY_SIZE(tok)) {
				fclose(f);
				return herc_fail(h, line, "too many operands");
			}
			tok[ntok++] = t;
		}
		if (ntok == 0)
			continue;
		if (herc_is_devno_token(tok[0]) && ntok >= 2 && !in_list(tok[0], herc_statements,
									ARRAY_SIZE(herc_statements))) {
			struct herc_dev *d;

			if (h->ndevs == HERC_MAX_DEVS) {
				fclose(f);
				return herc_fail(h, line, "more than %u devices", HERC_MAX_DEVS);
			}
			d = &h->devs[h->ndevs];
			memset(d, 0, sizeof(*d));
			d->line = line;
			if (!herc_devno(tok[0], &d->devno)) {
				fclose(f);
				return herc_fail(h, line, "device number '%s': only single device numbers "
						 "(up to 4 hex digits, LCSS 0) are simulated", tok[0]);
			}
			if (!herc_device_type_known(tok[1])) {
				fclose(f);
				return herc_fail(h, line, "device %04x: device type '%s' is not simulated "
						 "(3215-C, 1052-C, 3215, 1052, 3505, 1403 and 3390 are)",
						 d->devno, tok[1]);
			}
			snprintf(d->type, sizeof(d->type), "%s", tok[1]);
			for (unsigned k = 2; k < ntok; k++)
				snprintf(d->args[d->nargs++], sizeof(d->args[0]), "%s", tok[k]);
			if (!strncasecmp(d->type, "3215", 4) || !strncasecmp(d->type, "1052", 4))
				h->has_console = true;
			h->ndevs++;
			continue;
		}
		if (!strcasecmp(tok[0], "MAINSIZE")) {
			char *end;
			unsigned long mib = ntok == 2 ? strtoul(tok[1], &end, 10) : 0;

			if (ntok != 2 || *end || mib < 1 || mib > 4096) {
				fclose(f);
				return herc_fail(h, line, "MAINSIZE takes MiB, 1 to 4096");
			}
			h->mainsize = (u64)mib << 20;
			continue;
		}
		{
			char up[32];
			size_t i;

			for (i = 0; tok[0][i] && i + 1 < sizeof(up); i++)
				up[i] = (char)toupper((unsigned char)tok[0][i]);
			up[i] = '\0';
			if (!in_list(up, herc_statements, ARRAY_SIZE(herc_statements)))
				fprintf(stderr, "ccwsim: %s:%u: note: statement '%s' is not simulated; "
						"ignored\n", file, line, tok[0]);
		}
	}
	fclose(f);
	return true;
}

/* A configured path: absolute, or relative to the configuration's directory. */
static void herc_path(const struct herc_config *h, const char *arg, char *out, size_t size)
{
	if (arg[0] == '/' || !strcmp(h->dir, "."))
		snprintf(out, size, "%s", arg);
	else
		snprintf(out, size, "%s/%s", h->dir, arg);
}

/* Attach one device line, in configuration (subchannel) order. */
static bool herc_attach(struct machine *m, const struct herc_config *h, const struct herc_dev *d)
{
	struct sim_dev_config cfg;
	char why[256] = "", path[512];
	long schid = -1;

	if (m->devno_used[0][d->devno])
		return herc_fail(h, d->line, "device number %04x is already defined", d->devno);
	memset(&cfg, 0, sizeof(cfg));
	cfg.ssid = 0;
	cfg.schno = -1;
	cfg.devno = d->devno;
	cfg.chpid = (u8)(d->devno >> 8);
	if (!strncasecmp(d->type, "3215", 4) || !strncasecmp(d->type, "1052", 4)) {
		struct sim_con3215_opts co = { 0 };

		/* The operand is the command prefix or "noprompt": nothing here. */
		co.type = !strncasecmp(d->type, "1052", 4) ? 0x1052 : 0x3215;
		co.out_fd = STDOUT_FILENO;
		co.in_fd = -1;
		co.disconnected = strlen(d->type) == 4;
		schid = sim_con3215_add(m->sim, &cfg, &co, why);
	} else if (!strcasecmp(d->type, "3505")) {
		struct sim_rdr_opts ro = { 0 };

		if (d->nargs == 0)
			return herc_fail(h, d->line, "3505 %04x: a card file (or *) is needed",
					 d->devno);
		if (strcmp(d->args[0], "*")) {
			herc_path(h, d->args[0], path, sizeof(path));
			ro.path = path;
		}
		for (unsigned k = 1; k < d->nargs; k++) {
			const char *a = d->args[k];

			if (!strcasecmp(a, "ebcdic"))
				ro.format = SIM_RDR_EBCDIC;
			else if (!strcasecmp(a, "ascii"))
				ro.format = SIM_RDR_ASCII;
			else if (!strcasecmp(a, "eof"))
				ro.eof = true;
			else if (!strcasecmp(a, "intrq"))
				ro.eof = false;
			else
				return herc_fail(h, d->line, "3505 %04x: option '%s' is not simulated "
						 "(ebcdic, ascii, eof, intrq are)", d->devno, a);
		}
		schid = sim_rdr3505_add(m->sim, &cfg, &ro, why);
	} else if (!strcasecmp(d->type, "1403")) {
		struct sim_prt_opts po = { 0 };

		if (d->nargs == 0)
			return herc_fail(h, d->line, "1403 %04x: a printer file is needed", d->devno);
		herc_path(h, d->args[0], path, sizeof(path));
		po.path = path;
		for (unsigned k = 1; k < d->nargs; k++) {
			if (!strcasecmp(d->args[k], "crlf"))
				po.crlf = true;
			else
				return herc_fail(h, d->line, "1403 %04x: option '%s' is not simulated "
						 "(crlf is)", d->devno, d->args[k]);
		}
		schid = sim_prt1403_add(m->sim, &cfg, &po, why);
	} else if (!strcasecmp(d->type, "3390")) {
		struct sim_dasd_opts dopts = { 0 };

		if (d->nargs == 0)
			return herc_fail(h, d->line, "3390 %04x: a CKD image file is needed", d->devno);
		herc_path(h, d->args[0], path, sizeof(path));
		dopts.path = path;
		for (unsigned k = 1; k < d->nargs; k++) {
			if (!strcasecmp(d->args[k], "ro") || !strcasecmp(d->args[k], "readonly"))
				dopts.read_only = true;
			else
				return herc_fail(h, d->line, "3390 %04x: option '%s' is not simulated "
						 "(ro is)", d->devno, d->args[k]);
		}
		schid = sim_dasd_add(m->sim, &cfg, &dopts, why);
	}
	if (schid < 0)
		return herc_fail(h, d->line, "%s %04x: %s", d->type, d->devno,
				 why[0] ? why : "cannot attach");
	m->devno_used[0][d->devno] = true;
	return true;
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

int main(int argc, char **argv)
{
	static struct devspec devs[MAX_DEVICES];
	static struct machine m;
	static struct herc_config herc;
	static struct console_owner owner;
	const char *herc_file = NULL;
	bool profile_set = false;
	struct sim_config cfg = { 128ull << 20, SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, true, 0 };
	const char *cmdline = "";
	const char *trace = NULL;
	FILE *tracef = NULL;
	bool nodefaults = false, no_default_nic = false;
	unsigned ndevs = 0;
	const char *drive_args[MAX_DRIVES];
	unsigned ndrive_args = 0;
	/* -netdev, -chardev and -object, in order: 'n', 'c' or 'o'. */
	const char *backend_args[3 * MAX_BACKENDS];
	char backend_kind[3 * MAX_BACKENDS];
	unsigned nbackend_args = 0;
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
			profile_set = true;
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
		if (long_opt(a, "--rng-seed", &v)) {
			char *end;

			if (!v || !*v || (m.rng_seed = strtoull(v, &end, 0), *end)) {
				fprintf(stderr, "ccwsim: --rng-seed takes a number\n");
				return 2;
			}
			m.rng_seeded = true;
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
		} else if (!strcmp(name, "f")) {
			herc_file = v;
		} else if (!strcmp(name, "drive")) {
			if (ndrive_args == MAX_DRIVES) {
				fprintf(stderr, "ccwsim: too many -drive options\n");
				return 2;
			}
			drive_args[ndrive_args++] = v;
		} else if (!strcmp(name, "nic")) {
			/* -nic none removes the default NIC; other -nic forms are
			 * spelled -netdev plus -device here. */
			if (strcmp(v, "none")) {
				fprintf(stderr, "ccwsim: -nic %s: use -netdev user,id=ID -device "
						"virtio-net-ccw,netdev=ID\n", v);
				return 2;
			}
			no_default_nic = true;
		} else if (!strcmp(name, "netdev") || !strcmp(name, "chardev") ||
			   !strcmp(name, "object")) {
			if (nbackend_args == ARRAY_SIZE(backend_args)) {
				fprintf(stderr, "ccwsim: too many back-end options\n");
				return 2;
			}
			backend_kind[nbackend_args] = name[0];
			backend_args[nbackend_args++] = v;
		} else if (!in_list(name, ignored_with_value, ARRAY_SIZE(ignored_with_value))) {
			fprintf(stderr, "ccwsim: unknown option '%s' (see --help)\n", a);
			return 2;
		}
	}

	if (herc_file) {
		if (!herc_parse(&herc, herc_file))
			return 2;
		/* Hercules 3.13: no virtio, no default devices, no multiple
		 * subchannel sets, the architecture's behaviour. */
		if (herc.mainsize)
			cfg.mem_size = herc.mainsize;
		if (!profile_set)
			cfg.profile = SIM_PROFILE_ARCH;
		cfg.mss = false;
		nodefaults = true;
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
	for (unsigned k = 0; k < ndrive_args; k++) {
		if (!add_drive(&m, drive_args[k])) {
			sim_destroy(m.sim);
			return 2;
		}
	}
	/* Objects refer to netdevs: netdevs and chardevs first. */
	for (unsigned k = 0; k < nbackend_args; k++) {
		bool ok = backend_kind[k] == 'n'   ? add_netdev(&m, backend_args[k])
			  : backend_kind[k] == 'c' ? add_chardev(&m, backend_args[k])
						   : true;

		if (!ok) {
			sim_destroy(m.sim);
			return 2;
		}
	}
	for (unsigned k = 0; k < nbackend_args; k++) {
		if (backend_kind[k] == 'o' && !add_object(&m, backend_args[k])) {
			sim_destroy(m.sim);
			return 2;
		}
	}
	m.devs = devs;
	m.ndevs = ndevs;
	/* Without -nodefaults QEMU adds a virtio-net-ccw first, at 0.0.0000. */
	if (!nodefaults && !no_default_nic) {
		struct devspec nic;

		parse_device("virtio-net-ccw,devno=fe.0.0000", &nic);
		m.adding_default_nic = true;
		if (!add_device(&m, &nic))
			return 2;
		m.adding_default_nic = false;
	}
	/* The configuration's devices first, in its order: Hercules numbers
	 * subchannels that way (platforms.md 11.1). */
	for (unsigned k = 0; herc_file && k < herc.ndevs; k++) {
		if (!herc_attach(&m, &herc, &herc.devs[k])) {
			sim_destroy(m.sim);
			return 2;
		}
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
	/* Under Hercules the image prints through the first console it finds;
	 * so does the tour here when the configuration has one. */
	if (herc_file && herc.has_console) {
		fflush(stdout);
		if (con3215_find(&owner.con, &css) == 0) {
			owner.active = true;
			host_set_output(console_sink, &owner);
		} else {
			fprintf(stderr, "ccwsim: %s; output goes to standard output\n", owner.con.why);
		}
	}
	failed = tour_main(&css, port_cmdline());
	if (owner.active)
		con3215_flush(&owner.con);
	host_set_output(NULL, NULL);
	fflush(stdout);
	close_chardevs(&m);
	if (tracef && tracef != stderr)
		fclose(tracef);
	sim_destroy(m.sim);
	return failed ? 1 : 0;
}
