/*
 * ccwsim's QEMU command line (boot/host/qemu_cli.h). Facts from QEMU 7.2 as
 * measured (reference/platforms.md 9.1 and 12): option syntax, property
 * names and defaults, which combinations it refuses and how it wires
 * devices to back-ends. A property is either modelled, accepted because
 * nothing the guest can observe depends on it (listed per device as
 * "inert"), or refused; the message says which.
 */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/host/qemu_cli.h"
#include "ccw/vccw_hw.h"  /* VCCW_QUEUE_LIMIT */
#include "ring/virtio.h"  /* VIRTIO_ID_* */
#include "sim/dev_scsi.h" /* sim_vdev_scsi: not in the installed library yet */
#include "sim/testdev.h"  /* sim_testdev_attach */
#include "sim/vdev.h"

#define QM_MAX_KV 64
#define QM_ID_MAX 64

/* One option value split into its parts, QEMU's QemuOpts syntax: a type
 * first (the driver of -device, the back-end of -netdev...), then key=value
 * pairs; ",," is a comma within a value; a bare key is key=on. */
struct qm_spec {
	const char *option;  /* "-device", for messages */
	char *text;          /* the value as given */
	char *buf;           /* the parts, split */
	const char *type;
	unsigned n;
	struct {
		const char *key, *val;
		bool used;
	} kv[QM_MAX_KV];
};

/* -object: the back-ends a device names. */
enum qm_obj_kind { OBJ_RNG_BUILTIN, OBJ_RNG_RANDOM, OBJ_CRYPTO, OBJ_FILTER_DUMP };

/* What devices name by id=; QEMU keeps each kind's ids apart. */
enum qm_kind { QM_DRIVE, QM_NETDEV, QM_CHARDEV, QM_OBJECT, QM_FSDEV };

struct qm_backend {
	enum qm_kind kind;
	struct qm_spec *sp;
	char id[QM_ID_MAX];
	bool used;              /* a device took it */
	/* -drive */
	const char *file;
	bool read_only, discard_unmap, write_through;
	bool cdrom;             /* media=cdrom */
	bool auto_device;       /* if=virtio (s390x's default): a virtio-blk-ccw of its own */
	int index;              /* -hda to -hdd 0 to 3, -cdrom 2; else -1 */
	/* -netdev */
	struct sim_unet unet;
	const char *pcap;
	const char *tftp;       /* tftp=: the directory the TFTP server serves */
	/* -chardev */
	int out_fd, in_fd;
	/* -object */
	enum qm_obj_kind obj;
	const char *filename;   /* rng-random */
};

/* A virtio-serial device and the ports QEMU puts on it. */
#define QM_MAX_PORTS 32u
struct qm_serial {
	const char *id;       /* its id=, or NULL */
	u32 max_ports;
	struct sim_con_port port[QM_MAX_PORTS];
	unsigned nports;
	char *names[QM_MAX_PORTS];
};

/* One -device (or device_add). */
struct qm_device {
	struct qm_spec *sp;
	const struct qm_driver *drv;
	const char *id;
	unsigned ssid, devno;
	long schid;           /* -1: not attached (yet, or in a css the guest cannot see) */
	struct qm_serial *serial;
	bool auto_drive;      /* made for an if=virtio drive */
	int scsi_bus;         /* scsi-hd, scsi-cd: the index of its virtio-scsi-ccw */
	unsigned scsi_target, scsi_lun;
	bool lun_on;          /* a scsi-hd or scsi-cd on its adapter now */
};

struct qm {
	struct sim *sim;
	struct sim *hidden;   /* QEMU's css 0: devices there exist, the guest never sees them */
	u64 mem_size;
	const char *append;
	bool nodefaults, no_default_nic;
	bool rng_seeded;
	u64 rng_seed;
	unsigned nics;        /* virtio-net devices so far: QEMU's MAC addresses count up */
	struct qm_backend *backends;
	unsigned nbackends;
	struct qm_device *devs;
	unsigned ndevs;
	struct qm_spec **specs; /* every spec, for freeing */
	unsigned nspecs;
	bool devno_used[4][0x10000];
	unsigned attached;    /* devices with a subchannel */
	/* The boot device: the lowest bootindex= (QEMU's IPL parameter block). */
	bool have_boot;
	u64 boot_index;
	unsigned boot_ssid, boot_devno;
	bool boot_scsi;       /* a scsi-hd or scsi-cd: QEMU's SCSI block */
	unsigned boot_target, boot_lun;
	char loadparm[QM_LOADPARM_LEN + 1];   /* -M ...,loadparm=, upper case */
	u64 boot_used[QM_MAX_DEVICES];
	unsigned nboot;
	const char *bios;     /* -bios FILE */
	bool kernel;          /* -kernel given */
};

/* --- Parsing ------------------------------------------------------------------ */

static void say(const struct qm_spec *sp, const char *fmt, ...) __printf(2, 3);
static void say(const struct qm_spec *sp, const char *fmt, ...)
{
	va_list ap;

	if (sp)
		fprintf(stderr, "ccwsim: %s %s: ", sp->option, sp->text);
	else
		fprintf(stderr, "ccwsim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Split text; the first part is the type unless it holds '=' (then key
 * type_key names it, "driver=..." for -device). NULL after a message. */
static struct qm_spec *spec_parse(struct qm *m, const char *option, const char *text,
				  const char *type_key)
{
	struct qm_spec *sp = calloc(1, sizeof(*sp)), **all;
	char *p, *w;

	if (!sp)
		return NULL;
	sp->option = option;
	sp->text = strdup(text);
	sp->buf = malloc(strlen(text) + 1);
	all = realloc(m->specs, (m->nspecs + 1) * sizeof(*all));
	if (!sp->text || !sp->buf || !all) {
		free(sp->text);
		free(sp->buf);
		free(sp);
		say(NULL, "out of memory");
		return NULL;
	}
	m->specs = all;
	m->specs[m->nspecs++] = sp;
	p = sp->buf;
	w = p;
	for (const char *s = text;; s++) {
		if (*s == ',' && s[1] == ',') {
			*w++ = ',';
			s++;
			continue;
		}
		if (*s && *s != ',') {
			*w++ = *s;
			continue;
		}
		*w++ = '\0';
		/* One part ends at p. */
		if (!*p && *s) {
			say(sp, "an empty part");
			return NULL;
		}
		if (*p) {
			char *eq = strchr(p, '=');

			if (!sp->type && !sp->n && !eq && type_key) {
				sp->type = p;
			} else if (sp->n == QM_MAX_KV) {
				say(sp, "more than %d properties", QM_MAX_KV);
				return NULL;
			} else {
				if (eq)
					*eq = '\0';
				sp->kv[sp->n].key = p;
				sp->kv[sp->n].val = eq ? eq + 1 : "on";
				if (type_key && !sp->type && !strcmp(p, type_key) && eq) {
					sp->type = eq + 1;
				} else {
					sp->n++;
				}
			}
		}
		p = w;
		if (!*s)
			break;
	}
	if (type_key && (!sp->type || !*sp->type)) {
		say(sp, "no %s given", type_key);
		return NULL;
	}
	return sp;
}

/* The value of key (the last one given), marked as read; NULL when absent. */
static const char *get(struct qm_spec *sp, const char *key)
{
	const char *v = NULL;

	for (unsigned i = 0; i < sp->n; i++)
		if (!strcmp(sp->kv[i].key, key)) {
			v = sp->kv[i].val;
			sp->kv[i].used = true;
		}
	return v;
}

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

/* A bool property: 0 (absent or set), -1 after a message. */
static int get_bool(struct qm_spec *sp, const char *key, bool *v)
{
	const char *s = get(sp, key);

	if (s && !parse_bool(s, v)) {
		say(sp, "%s takes on or off, not '%s'", key, s);
		return -1;
	}
	return 0;
}

/* A number with QEMU's size suffixes (k, M, G, T: powers of 1024) when
 * size is true. */
static bool parse_u64(const char *s, bool size, u64 *v)
{
	char *end;
	unsigned long long n;
	unsigned shift = 0;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || end == s)
		return false;
	if (size && *end) {
		switch (*end) {
		case 'b': case 'B': shift = 0; break;
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		case 't': case 'T': shift = 40; break;
		default: return false;
		}
		end++;
	}
	if (*end || (shift && n > (~0ull >> shift)))
		return false;
	*v = (u64)n << shift;
	return true;
}

static int get_u64(struct qm_spec *sp, const char *key, bool size, u64 max, u64 *v)
{
	const char *s = get(sp, key);
	u64 n;

	if (!s)
		return 0;
	if (!parse_u64(s, size, &n) || n > max) {
		say(sp, "%s takes a number up to %llu%s, not '%s'", key, (unsigned long long)max,
		    size ? " (k, M, G suffixes allowed)" : "", s);
		return -1;
	}
	*v = n;
	return 0;
}

static int get_u32(struct qm_spec *sp, const char *key, bool size, u32 *v)
{
	u64 n = *v;
	int rc = get_u64(sp, key, size, 0xFFFFFFFFu, &n);

	*v = (u32)n;
	return rc;
}

static bool in_words(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list; p && (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

/*
 * After a device or back-end took what it models: a property it left is
 * fine when inert (nothing the guest sees depends on it), refused as "not
 * simulated" when QEMU knows it, and as unknown otherwise.
 */
static int leftovers(struct qm_spec *sp, const char *known, const char *inert)
{
	for (unsigned i = 0; i < sp->n; i++) {
		const char *k = sp->kv[i].key;

		if (sp->kv[i].used || in_words(inert, k))
			continue;
		if (in_words(known, k))
			say(sp, "%s=%s is not simulated (ccwsim refuses what it does not model)", k,
			    sp->kv[i].val);
		else
			say(sp, "%s has no property '%s' in QEMU 7.2", sp->type ? sp->type : sp->option,
			    k);
		return -1;
	}
	return 0;
}

/* --- Back-ends ------------------------------------------------------------------ */

static void *grow(void *arr, unsigned n, size_t size)
{
	return realloc(arr, (n + 1) * size);
}

/* QEMU's identifiers (id= of every option group): a letter, then
 * letters, digits, '-', '.' and '_'. */
static bool id_wellformed(const char *id)
{
	if (!isalpha((unsigned char)id[0]))
		return false;
	for (id++; *id; id++)
		if (!isalnum((unsigned char)*id) && !strchr("-._", *id))
			return false;
	return true;
}

/* An id= that is given: well formed and not too long for ccwsim. */
static bool id_valid(struct qm_spec *sp, const char *id)
{
	if (!id_wellformed(id)) {
		say(sp, "Parameter 'id' expects an identifier (letters, digits, '-', '.', '_', "
			"starting with a letter)");
		return false;
	}
	if (strlen(id) >= QM_ID_MAX) {
		say(sp, "id '%s' is longer than %d characters", id, QM_ID_MAX - 1);
		return false;
	}
	return true;
}

static bool id_ok(struct qm_spec *sp, const char *id)
{
	if (!id || !*id) {
		say(sp, "needs id=");
		return false;
	}
	return id_valid(sp, id);
}


/*
 * A new back-end of kind, named id (QEMU's message when the id is taken,
 * or missing): valid until the next one; NULL after a message.
 */
static struct qm_backend *backend_new(struct qm *m, enum qm_kind kind, struct qm_spec *sp,
				      const char *id)
{
	static const char *const what[] = { "drive", "netdev", "chardev", "object", "fsdev" };
	struct qm_backend *b;

	if (!id_ok(sp, id))
		return NULL;
	for (unsigned i = 0; i < m->nbackends; i++) {
		if (m->backends[i].kind != kind || strcmp(m->backends[i].id, id))
			continue;
		say(sp, "Duplicate ID '%s' for %s", id, what[kind]);
		return NULL;
	}
	b = grow(m->backends, m->nbackends, sizeof(*b));
	if (!b) {
		say(sp, "out of memory");
		return NULL;
	}
	m->backends = b;
	b = &m->backends[m->nbackends++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->sp = sp;
	b->out_fd = b->in_fd = -1;
	snprintf(b->id, sizeof(b->id), "%s", id);
	return b;
}

static struct qm_backend *backend_find(struct qm *m, enum qm_kind kind, const char *id)
{
	for (unsigned i = 0; id && i < m->nbackends; i++)
		if (m->backends[i].kind == kind && !strcmp(m->backends[i].id, id))
			return &m->backends[i];
	return NULL;
}

/*
 * -drive: raw images only. QEMU's cache modes decide whether its write
 * cache is on (which a device shows only with config-wce=off); discard=
 * decides whether a DISCARD zeroes. Without if=none (if=virtio is the
 * s390x machine's default) QEMU makes the drive a virtio-blk-ccw of its
 * own, after every -device.
 */
static int add_drive(struct qm *m, const char *arg, const char *option, const char *shown,
		     int index)
{
	static const char known[] = "if bus unit index snapshot cyls heads secs trans addr "
				    "serial werror rerror copy-on-read bps iops throttling.bps-total "
				    "detect-zeroes node-name driver";
	static const char inert[] = "aio auto-read-only locking force-share read-only";
	struct qm_spec *sp = spec_parse(m, option, arg, NULL);
	struct qm_backend *d;
	const char *v, *id;
	char auto_id[16];
	bool auto_device;

	if (!sp)
		return -1;
	if (shown) {
		char *t = strdup(shown);

		if (!t) {
			say(NULL, "out of memory");
			return -1;
		}
		free(sp->text);
		sp->text = t;
	}
	for (unsigned i = 0; index >= 0 && i < m->nbackends; i++)
		if (m->backends[i].kind == QM_DRIVE && m->backends[i].index == index) {
			say(sp, "drive with bus=0, unit=%d (index=%d) exists", index, index);
			return -1;
		}
	v = get(sp, "if");
	if (v && strcmp(v, "none") && strcmp(v, "virtio")) {
		say(sp, "if=%s is not simulated (none and virtio are)", v);
		return -1;
	}
	auto_device = !v || !strcmp(v, "virtio");
	id = get(sp, "id");
	if (!id && auto_device) {
		unsigned n = 0;

		for (unsigned i = 0; i < m->nbackends; i++)
			n += m->backends[i].kind == QM_DRIVE && m->backends[i].auto_device;
		snprintf(auto_id, sizeof(auto_id), "virtio%u", n);
		id = auto_id;
	}
	d = backend_new(m, QM_DRIVE, sp, id);
	if (!d)
		return -1;
	d->auto_device = auto_device;
	d->index = index;
	/* Without file= the drive is empty: a scsi-cd with no medium; any
	 * other device refuses it, as QEMU does. */
	d->file = get(sp, "file");
	if (d->file && !*d->file)
		d->file = NULL;
	v = get(sp, "format");
	if (v && strcmp(v, "raw")) {
		say(sp, "format=%s is not simulated: ccwsim reads raw images only (format=raw)", v);
		return -1;
	}
	if (get_bool(sp, "readonly", &d->read_only))
		return -1;
	v = get(sp, "media");
	if (v && strcmp(v, "disk") && strcmp(v, "cdrom")) {
		say(sp, "media=%s: QEMU takes disk or cdrom", v);
		return -1;
	}
	/* QEMU opens a CD-ROM's image read-only, whatever device takes it
	 * (measured: a virtio-blk-ccw on it offers VIRTIO_BLK_F_RO). */
	d->cdrom = v && !strcmp(v, "cdrom");
	if (d->cdrom)
		d->read_only = true;
	v = get(sp, "cache");
	if (v) {
		if (!strcmp(v, "writethrough") || !strcmp(v, "directsync"))
			d->write_through = true;
		else if (strcmp(v, "none") && strcmp(v, "writeback") && strcmp(v, "unsafe")) {
			say(sp, "cache=%s: QEMU takes none, writeback, writethrough, directsync or "
				"unsafe", v);
			return -1;
		}
	}
	v = get(sp, "discard");
	if (v) {
		if (!strcmp(v, "unmap") || !strcmp(v, "on"))
			d->discard_unmap = true;
		else if (strcmp(v, "ignore") && strcmp(v, "off")) {
			say(sp, "discard=%s: QEMU takes ignore or unmap", v);
			return -1;
		}
	}
	return leftovers(sp, known, inert);
}

/* -netdev user: QEMU's user network, its addresses as libslirp has them. */
static int add_netdev(struct qm *m, const char *arg)
{
	static const char known[] = "ipv4 ipv6-net ipv6-host ipv6-dns ipv6-prefix ipv6-prefixlen "
				    "dnssearch domainname tftp-server-name hostfwd guestfwd smb "
				    "smbserver";
	static const char inert[] = "ipv6";
	struct qm_spec *sp = spec_parse(m, "-netdev", arg, "type");
	struct qm_backend *n;
	const char *v;
	char why[SIM_WHY_LEN];
	bool restricted = false;

	if (!sp)
		return -1;
	if (strcmp(sp->type, "user")) {
		say(sp, "-netdev %s is not simulated: only QEMU's user network (-netdev user) is",
		    sp->type);
		return -1;
	}
	n = backend_new(m, QM_NETDEV, sp, get(sp, "id"));
	if (!n)
		return -1;
	v = get(sp, "restrict");
	if (v && !parse_bool(v, &restricted)) {
		say(sp, "restrict takes on or off, not '%s'", v);
		return -1;
	}
	if (sim_unet_parse(&n->unet, get(sp, "net"), get(sp, "host"), get(sp, "dns"),
			   get(sp, "dhcpstart"), restricted, why)) {
		say(sp, "%s", why);
		return -1;
	}
	if ((v = get(sp, "hostname")))
		snprintf(n->unet.hostname, sizeof(n->unet.hostname), "%s", v);
	if ((v = get(sp, "domainname")))
		snprintf(n->unet.domain, sizeof(n->unet.domain), "%s", v);
	if ((v = get(sp, "bootfile"))) {
		if (strlen(v) >= sizeof(n->unet.bootfile)) {
			say(sp, "bootfile longer than the BOOTP file field (127 bytes)");
			return -1;
		}
		snprintf(n->unet.bootfile, sizeof(n->unet.bootfile), "%s", v);
	}
	n->tftp = get(sp, "tftp");
	/* ipv4=off takes the network away: not modelled. */
	v = get(sp, "ipv4");
	if (v && strcmp(v, "on")) {
		say(sp, "ipv4=%s is not simulated", v);
		return -1;
	}
	return leftovers(sp, known, inert);
}

/*
 * -chardev stdio, file, pipe or null, opened as QEMU does: stdio is ours,
 * a file is truncated (or appended to with append=on), a pipe is PATH.in
 * and PATH.out when they exist, else PATH both ways.
 */
static int add_chardev(struct qm *m, const char *arg)
{
	static const char known[] = "mux logfile logappend signal server wait host port";
	struct qm_spec *sp = spec_parse(m, "-chardev", arg, "backend");
	struct qm_backend *c;
	const char *path;
	bool append = false;

	if (!sp)
		return -1;
	c = backend_new(m, QM_CHARDEV, sp, get(sp, "id"));
	if (!c)
		return -1;
	path = get(sp, "path");
	if (!strcmp(sp->type, "stdio")) {
		c->out_fd = STDOUT_FILENO;
		c->in_fd = STDIN_FILENO;
	} else if (!strcmp(sp->type, "null")) {
		/* Nothing either way, and open. */
	} else if (!strcmp(sp->type, "file") || !strcmp(sp->type, "pipe")) {
		if (!path || !*path) {
			say(sp, "needs path=");
			return -1;
		}
		if (get_bool(sp, "append", &append))
			return -1;
		if (!strcmp(sp->type, "file")) {
			c->out_fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC),
					 0666);
		} else {
			char in[4096], out[4096];

			snprintf(in, sizeof(in), "%s.in", path);
			snprintf(out, sizeof(out), "%s.out", path);
			/* Read-write, so that opening a FIFO does not wait for its other end. */
			c->in_fd = open(in, O_RDWR | O_CLOEXEC);
			c->out_fd = open(out, O_RDWR | O_CLOEXEC);
			if (c->in_fd < 0 || c->out_fd < 0) {
				if (c->in_fd >= 0)
					close(c->in_fd);
				if (c->out_fd >= 0)
					close(c->out_fd);
				c->in_fd = open(path, O_RDWR | O_CLOEXEC);
				c->out_fd = c->in_fd >= 0 ? dup(c->in_fd) : -1;
			}
		}
		if (c->out_fd < 0) {
			say(sp, "%s: %s", path, strerror(errno));
			return -1;
		}
	} else {
		say(sp, "-chardev %s is not simulated (stdio, file, pipe and null are)", sp->type);
		return -1;
	}
	return leftovers(sp, known, NULL);
}

/* -object: the rng and crypto back-ends, and filter-dump on a netdev. */
static int add_object(struct qm *m, const char *arg)
{
	struct qm_spec *sp = spec_parse(m, "-object", arg, "qom-type");
	struct qm_backend *o;
	struct stat st;

	if (!sp)
		return -1;
	o = backend_new(m, QM_OBJECT, sp, get(sp, "id"));
	if (!o)
		return -1;
	if (!strcmp(sp->type, "rng-builtin")) {
		o->obj = OBJ_RNG_BUILTIN;
	} else if (!strcmp(sp->type, "rng-random")) {
		o->obj = OBJ_RNG_RANDOM;
		o->filename = get(sp, "filename");
		if (!o->filename)
			o->filename = "/dev/urandom"; /* QEMU 7.2's default */
		/* A regular file would run dry: only devices are modelled. */
		if (stat(o->filename, &st) || !S_ISCHR(st.st_mode)) {
			say(sp, "filename=%s: %s", o->filename,
			    errno && stat(o->filename, &st) ? strerror(errno)
							      : "not a character device (ccwsim reads "
								"devices such as /dev/urandom only)");
			return -1;
		}
	} else if (!strcmp(sp->type, "cryptodev-backend-builtin")) {
		o->obj = OBJ_CRYPTO;
		if (get(sp, "queues")) {
			say(sp, "queues= is not simulated");
			return -1;
		}
	} else if (!strcmp(sp->type, "filter-dump")) {
		const char *nd = get(sp, "netdev"), *file = get(sp, "file");
		struct qm_backend *n;

		o->obj = OBJ_FILTER_DUMP;
		if (!nd || !file || !*file) {
			say(sp, "filter-dump needs netdev= and file=");
			return -1;
		}
		n = backend_find(m, QM_NETDEV, nd);
		if (!n) {
			say(sp, "no -netdev with id %s", nd);
			return -1;
		}
		n->pcap = file;
		/* maxlen cuts frames longer than any the model carries. */
		if (get(sp, "maxlen")) {
			u64 len = 0;

			if (get_u64(sp, "maxlen", false, 0xFFFFFFFFu, &len))
				return -1;
			if (len < 1514) {
				say(sp, "maxlen below a frame's 1514 bytes is not simulated");
				return -1;
			}
		}
		get(sp, "queue"); /* all, the default, is what the model records */
	} else {
		say(sp, "-object %s is not simulated (rng-builtin, rng-random, "
			"cryptodev-backend-builtin and filter-dump are)", sp->type);
		return -1;
	}
	return leftovers(sp, NULL, NULL);
}

/* -fsdev local: a virtio-9p device's back-end (the model serves no 9P). */
static int add_fsdev(struct qm *m, const char *arg)
{
	static const char inert[] = "path security_model readonly writeout dmode fmode "
				    "multidevs throttling.bps-total";
	struct qm_spec *sp = spec_parse(m, "-fsdev", arg, "fsdriver");

	if (!sp)
		return -1;
	if (strcmp(sp->type, "local")) {
		say(sp, "-fsdev %s is not simulated (local is)", sp->type);
		return -1;
	}
	if (!backend_new(m, QM_FSDEV, sp, get(sp, "id")))
		return -1;
	return leftovers(sp, NULL, inert);
}

/* --- Devices ---------------------------------------------------------------------- */

struct qm_driver {
	const char *name, *alias;
	unsigned virtio_id;      /* 0: not virtio-ccw */
	const char *known;       /* QEMU's other properties of it: "not simulated" */
	const char *inert;       /* accepted: nothing the guest sees depends on them */
	long (*attach)(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
		       struct sim_vccw_config *t);
};

/* Of every virtio-ccw device: host-side settings the guest never sees. */
#define VIRTIO_INERT "ioeventfd use-started use-disabled-flag x-disable-legacy-check "

/*
 * The transport: QEMU's defaults and the properties every virtio-ccw
 * device has. Returns 0, or -1 after a message.
 */
static int transport(struct qm_device *d, struct sim_vccw_config *t)
{
	struct qm_spec *sp = d->sp;
	bool v, iommu = false;
	u32 rev = 2;

	sim_vdev_default_transport(t);
	if (get_u32(sp, "max_revision", false, &rev))
		return -1;
	if (rev > 2) {
		say(sp, "max_revision takes 0, 1 or 2");
		return -1;
	}
	t->max_revision = (int)rev;
	if (get_bool(sp, "packed", &t->ring_packed) || get_bool(sp, "event_idx", &t->event_idx) ||
	    get_bool(sp, "indirect_desc", &t->indirect_desc) ||
	    get_bool(sp, "queue_reset", &t->ring_reset) || get_bool(sp, "iommu_platform", &iommu))
		return -1;
	t->access_platform = iommu;
	v = true;
	if (get_bool(sp, "any_layout", &v))
		return -1;
	t->no_any_layout = !v;
	v = true;
	if (get_bool(sp, "notify_on_empty", &v))
		return -1;
	t->no_notify_on_empty = !v;
	return 0;
}

/* "fe.S.NNNN" into set and number; a css other than fe is accepted by QEMU
 * into a channel subsystem the guest does not see (~0 in *ssid). */
static int parse_devno(struct qm_spec *sp, const char *s, unsigned *ssid, unsigned *devno,
		       unsigned *cssid)
{
	unsigned long css, set, num;
	char *end;

	css = strtoul(s, &end, 16);
	if (end == s || *end != '.' || css > 0xFF)
		goto bad;
	s = end + 1;
	set = strtoul(s, &end, 16);
	if (end == s || *end != '.')
		goto bad;
	s = end + 1;
	num = strtoul(s, &end, 16);
	if (end == s || *end || num > 0xFFFF || end - s > 4)
		goto bad;
	if (set > 3) {
		say(sp, "Invalid cssid or ssid: cssid %lx, ssid %lx", css, set);
		return -1;
	}
	*ssid = css == 0xFE ? (unsigned)set : ~0u;
	*devno = (unsigned)num;
	*cssid = (unsigned)css;
	return 0;
bad:
	say(sp, "devno '%s' is not cssid.ssid.devno with hex numbers (like fe.0.0001)",
	    get(sp, "devno"));
	return -1;
}

/* virtio-blk-ccw: its drive and QEMU's block properties. */
static long attach_blk(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
		       struct sim_vccw_config *t)
{
	struct qm_spec *sp = d->sp;
	struct sim_blk_opts bo = { 0 };
	const char *id = get(sp, "drive"), *v;
	struct qm_backend *dr;
	char why[SIM_WHY_LEN] = "";
	bool on;
	u64 n;
	long schid;

	if (!id) {
		say(sp, "drive property not set");
		return -2;
	}
	dr = backend_find(m, QM_DRIVE, id);
	if (!dr) {
		say(sp, "Property 'virtio-blk-device.drive' can't find value '%s'", id);
		return -2;
	}
	if (dr->used) {
		say(sp, "Drive '%s' is already in use by another device", id);
		return -2;
	}
	if (dr->auto_device && !d->auto_drive) {
		say(dr->sp, "Drive '%s' is already in use because it has been automatically connected "
			    "to another device (did you need 'if=none' in the drive options?)", id);
		return -2;
	}
	if (!dr->file) {
		say(d->auto_drive ? dr->sp : sp, "Device needs media, but drive is empty");
		return -2;
	}
	bo.path = dr->file;
	bo.read_only = dr->read_only;
	bo.discard_unmap = dr->discard_unmap;
	bo.serial = get(sp, "serial");
	if (get_u32(sp, "logical_block_size", true, &bo.logical_block_size) ||
	    get_u32(sp, "physical_block_size", true, &bo.physical_block_size) ||
	    get_u32(sp, "min_io_size", true, &bo.min_io_size) ||
	    get_u32(sp, "opt_io_size", true, &bo.opt_io_size) ||
	    get_u32(sp, "max-discard-sectors", false, &bo.max_discard_sectors) ||
	    get_u32(sp, "max-write-zeroes-sectors", false, &bo.max_write_zeroes_sectors) ||
	    get_u32(sp, "cyls", false, &bo.cyls) || get_u32(sp, "heads", false, &bo.heads) ||
	    get_u32(sp, "secs", false, &bo.secs))
		return -2;
	n = 0;
	if (get_u64(sp, "discard_granularity", true, 0xFFFFFFFFu, &n))
		return -2;
	/* QEMU's default, -1, is the logical block. */
	bo.discard_granularity = n == 0xFFFFFFFFu ? 0 : (u32)n;
	n = 0;
	if (get_u64(sp, "num-queues", false, 0xFFFF, &n))
		return -2;
	if (get(sp, "num-queues") && !n) {
		say(sp, "num-queues property must be larger than 0");
		return -2;
	}
	/* QEMU's 65535 means "as many as CPUs": one here, as on QEMU's ccw. */
	bo.num_queues = n == 0xFFFF ? 1 : (u16)n;
	n = 0;
	if (get_u64(sp, "queue-size", false, 0xFFFF, &n))
		return -2;
	if (get(sp, "queue-size") && n < 3) {
		say(sp, "invalid queue-size property (%llu), must be > 2", (unsigned long long)n);
		return -2;
	}
	bo.queue_size = (u16)n;
	on = true;
	if (get_bool(sp, "seg-max-adjust", &on))
		return -2;
	bo.no_seg_max_adjust = !on;
	on = true;
	if (get_bool(sp, "config-wce", &on))
		return -2;
	bo.no_config_wce = !on;
	on = true;
	if (get_bool(sp, "discard", &on))
		return -2;
	bo.no_discard = !on;
	on = true;
	if (get_bool(sp, "write-zeroes", &on))
		return -2;
	bo.no_write_zeroes = !on;
	bo.write_through = dr->write_through;
	v = get(sp, "write-cache");
	if (v && strcmp(v, "auto")) {
		if (!parse_bool(v, &on)) {
			say(sp, "write-cache takes on, off or auto");
			return -2;
		}
		bo.write_through = !on;
	}
	on = false;
	if (get_bool(sp, "scsi", &on))
		return -2;
	if (on) {
		say(sp, "Please set scsi=off for virtio-blk devices in order to use virtio 1.0");
		return -2;
	}
	schid = sim_vdev_blk(m->sim, cfg, t, &bo, why);
	if (schid < 0) {
		say(d->auto_drive ? dr->sp : sp, "%s", why[0] ? why : "cannot attach");
		return -2;
	}
	dr->used = true;
	return schid;
}

/* QEMU's user network behind a NIC; its MAC counts up from 52:54:00:12:34:56. */
static long attach_net(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
		       struct sim_vccw_config *t, bool default_nic)
{
	struct qm_spec *sp = d->sp;
	struct sim_net_opts no = { 0 };
	const char *id = get(sp, "netdev"), *mac = get(sp, "mac");
	struct qm_backend *n = NULL;
	char why[SIM_WHY_LEN] = "";
	unsigned nic = m->nics++;
	long schid;

	if (id) {
		n = backend_find(m, QM_NETDEV, id);
		if (!n) {
			say(sp, "Property 'virtio-net-device.netdev' can't find value '%s'", id);
			return -2;
		}
		if (n->used) {
			say(sp, "Property 'virtio-net-device.netdev' can't use value '%s', it's in use",
			    id);
			return -2;
		}
	}
	/* A NIC without netdev= has no peer in QEMU, except the default NIC
	 * (no -nodefaults), which has the user network. */
	no.user_net = n || default_nic;
	no.unet = n ? &n->unet : NULL;
	no.pcap = n ? n->pcap : NULL;
	if (mac) {
		unsigned b[6];
		char end;

		if (sscanf(mac, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
			   &end) != 6 || b[0] > 255 || b[1] > 255 || b[2] > 255 || b[3] > 255 ||
		    b[4] > 255 || b[5] > 255) {
			say(sp, "mac takes xx:xx:xx:xx:xx:xx, not '%s'", mac);
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
	if (schid < 0) {
		say(sp, "%s", why[0] ? why : "cannot attach");
		return -2;
	}
	if (n && n->tftp &&
	    sim_net_set_tftp(sim_net_find(m->sim, (u32)schid), n->tftp, why)) {
		say(sp, "%s", why);
		return -2;
	}
	if (n)
		n->used = true;
	return schid;
}

static long attach_nic(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
		       struct sim_vccw_config *t)
{
	return attach_net(m, d, cfg, t, false);
}

/* virtio-rng-ccw: its rng back-end and QEMU's rate limit. */
static long attach_rng(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
		       struct sim_vccw_config *t)
{
	struct qm_spec *sp = d->sp;
	struct sim_rng_opts ro = { .seeded = m->rng_seeded, .seed = m->rng_seed };
	const char *id = get(sp, "rng");
	u64 max = 0;
	u32 period = SIM_RNG_PERIOD_MS_DEFAULT;
	long schid;

	if (id) {
		struct qm_backend *o = backend_find(m, QM_OBJECT, id);

		if (!o || (o->obj != OBJ_RNG_BUILTIN && o->obj != OBJ_RNG_RANDOM)) {
			say(sp, "Property 'virtio-rng-device.rng' can't find value '%s'", id);
			return -2;
		}
		if (o->used) {
			say(sp, "can't use rng backend '%s', it's in use", id);
			return -2;
		}
		o->used = true;
		if (o->obj == OBJ_RNG_RANDOM && !m->rng_seeded)
			ro.source = o->filename;
	}
	if (get_u64(sp, "max-bytes", false, ~0ull, &max) || get_u32(sp, "period", false, &period))
		return -2;
	if (get(sp, "period") && !period) {
		say(sp, "'period' parameter expects a positive integer");
		return -2;
	}
	if (get(sp, "max-bytes") && max > (u64)INT64_MAX) {
		say(sp, "'max-bytes' parameter must be non-negative, and less than 2^63");
		return -2;
	}
	/* QEMU's default, 2^63 - 1 bytes a period, is no limit. */
	ro.max_bytes = max == (u64)INT64_MAX ? 0 : max;
	ro.period_ms = period;
	if (get(sp, "max-bytes") && !max) {
		/* No bytes at all, ever: a device QEMU would accept. */
		ro.max_bytes = 0;
		say(sp, "max-bytes=0 is not simulated (a device that never answers)");
		return -2;
	}
	schid = sim_vdev_rng(m->sim, cfg, t, &ro);
	if (schid < 0) {
		say(sp, "cannot attach: %s", ro.source ? strerror(errno) : "out of memory");
		return -2;
	}
	return schid;
}

/*
 * virtio-serial-ccw with the virtconsole and virtserialport devices QEMU
 * puts on it (collected beforehand by place_ports()).
 */
static long attach_serial(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
			  struct sim_vccw_config *t)
{
	struct qm_spec *sp = d->sp;
	struct sim_con_opts co = { .out_fd = -1, .in_fd = -1 };
	char why[SIM_WHY_LEN] = "";
	bool on = true;
	long schid;

	get(sp, "max_ports"); /* read in place_ports() */
	if (get_bool(sp, "emergency-write", &on))
		return -2;
	co.no_emerg_write = !on;
	co.max_ports = d->serial->max_ports;
	co.ports = d->serial->port;
	co.nports = d->serial->nports;
	if (co.max_ports > VCCW_QUEUE_LIMIT / 2 - 1) {
		say(sp, "max_ports %u: more queues than virtio-ccw allows", co.max_ports);
		return -2;
	}
	schid = sim_vdev_console(m->sim, cfg, t, &co, why);
	if (schid < 0) {
		say(sp, "%s", why[0] ? why : "cannot attach");
		return -2;
	}
	return schid;
}

static long attach_testdev(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
			   struct sim_vccw_config *t)
{
	(void)d;
	(void)t;
	return sim_testdev_attach(m->sim, cfg->ssid, -1, cfg->devno, NULL);
}

/* --- The types served by identity only (sim/dev_generic.c) --- */

#define GEN_MAX_FIELDS 16u
#define GEN_MAX_QUEUES 1024u

struct gen {
	struct sim_generic_opts o;
	struct sim_generic_field f[GEN_MAX_FIELDS];
	u16 q[GEN_MAX_QUEUES];
	u8 tag[256];
};

static void gen_init(struct gen *g, unsigned id)
{
	memset(g, 0, sizeof(*g));
	g->o.device_id = id;
	g->o.fields = g->f;
	g->o.queue_max = g->q;
}

static void gen_queues(struct gen *g, unsigned n, u16 size)
{
	for (unsigned i = 0; i < n && g->o.nqueues < GEN_MAX_QUEUES; i++)
		g->q[g->o.nqueues++] = size;
}

static void gen_field(struct gen *g, u16 off, u8 size, u64 value)
{
	if (g->o.nfields < GEN_MAX_FIELDS)
		g->f[g->o.nfields++] = (struct sim_generic_field){ off, size, value };
}

static long gen_attach(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
		       struct sim_vccw_config *t, struct gen *g)
{
	char why[SIM_WHY_LEN] = "";
	long schid = sim_vdev_generic(m->sim, cfg, t, &g->o, why);

	if (schid < 0)
		say(d->sp, "%s", why[0] ? why : "cannot attach");
	return schid < 0 ? -2 : schid;
}

/* Feature bits of the generic types (virtio 1.3, 5.5, 5.6, 5.7, 5.10, 5.11). */
#define BALLOON_F_STATS_VQ 1
#define BALLOON_F_DEFLATE_ON_OOM 2
#define BALLOON_F_PAGE_POISON 4
#define SCSI_F_HOTPLUG 1
#define SCSI_F_CHANGE 2
#define GPU_F_EDID 1
#define P9_F_MOUNT_TAG 0
#define VSOCK_F_SEQPACKET 1

/* virtio-balloon-ccw: inflate, deflate and stats queues of 128; the
 * configuration (num_pages, actual, free-page hint id, poison value) reads
 * 0 until a driver writes it. */
static long attach_balloon(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
			   struct sim_vccw_config *t)
{
	static struct gen g;
	bool oom = false, poison = true, off = false;

	if (get_bool(d->sp, "deflate-on-oom", &oom) || get_bool(d->sp, "page-poison", &poison))
		return -2;
	if (get_bool(d->sp, "free-page-hint", &off) || off ||
	    get_bool(d->sp, "free-page-reporting", &off) || off ||
	    get_bool(d->sp, "qemu-4-0-config-size", &off) || off) {
		if (off)
			say(d->sp, "free-page-hint, free-page-reporting and qemu-4-0-config-size on "
				   "are not simulated");
		return -2;
	}
	gen_init(&g, VIRTIO_ID_BALLOON);
	g.o.features = VIRTIO_BIT(BALLOON_F_STATS_VQ) |
		       (oom ? VIRTIO_BIT(BALLOON_F_DEFLATE_ON_OOM) : 0) |
		       (poison ? VIRTIO_BIT(BALLOON_F_PAGE_POISON) : 0);
	gen_queues(&g, 3, 128);
	/* Up to poison_val with PAGE_POISON, else num_pages and actual. */
	g.o.config_len = poison ? 16 : 8;
	return gen_attach(m, d, cfg, t, &g);
}

/*
 * virtio-keyboard-ccw, -mouse-ccw, -tablet-ccw: event and status queues of
 * 64, and the select/subsel configuration (reads 0 here), as long as QEMU
 * makes it: 8 bytes and its largest entry (measured: 29 for a keyboard,
 * 43 for a mouse or tablet, or the serial string, up to 128).
 */
static long attach_input(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
			 struct sim_vccw_config *t)
{
	static struct gen g;
	const char *serial = get(d->sp, "serial");
	unsigned entry = !strcmp(d->drv->name, "virtio-keyboard-ccw") ? 29 : 43;

	if (serial)
		entry = MAX(entry, (unsigned)MIN(strlen(serial), (size_t)128));
	gen_init(&g, VIRTIO_ID_INPUT);
	gen_queues(&g, 2, 64);
	g.o.config_len = 8 + entry;
	return gen_attach(m, d, cfg, t, &g);
}

/* virtio-gpu-ccw: control (64) and cursor (16) queues; num_scanouts. */
static long attach_gpu(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
		       struct sim_vccw_config *t)
{
	static struct gen g;
	bool edid = true, blob = false;
	u32 outputs = 1;

	if (get_bool(d->sp, "edid", &edid) || get_bool(d->sp, "blob", &blob) ||
	    get_u32(d->sp, "max_outputs", false, &outputs))
		return -2;
	if (blob) {
		say(d->sp, "blob=on is not simulated");
		return -2;
	}
	if (outputs > 16 || !outputs) {
		say(d->sp, "invalid max_outputs %s", outputs ? "> 16" : "0");
		return -2;
	}
	gen_init(&g, VIRTIO_ID_GPU);
	g.o.features = edid ? VIRTIO_BIT(GPU_F_EDID) : 0;
	g.q[0] = 64;
	g.q[1] = 16;
	g.o.nqueues = 2;
	g.o.config_len = 16;
	gen_field(&g, 8, 4, outputs); /* num_scanouts */
	return gen_attach(m, d, cfg, t, &g);
}

static int scsi_luns(struct qm *m, int self, struct sim_scsi_opts *o);

/* virtio-scsi-ccw: control, event and request queues, its limits, and the
 * scsi-hd and scsi-cd devices on its bus (sim/dev_scsi.h). */
static long attach_scsi(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
			struct sim_vccw_config *t)
{
	static struct sim_scsi_opts o;
	bool hotplug = true, change = true, adjust = true;
	u32 queues = 0xFFFFFFFFu, size = 256, max_sectors = 65535, per_lun = 128;
	char why[SIM_WHY_LEN] = "";
	long schid;

	if (get_bool(d->sp, "hotplug", &hotplug) || get_bool(d->sp, "param_change", &change) ||
	    get_bool(d->sp, "seg_max_adjust", &adjust) ||
	    get_u32(d->sp, "num_queues", false, &queues) ||
	    get_u32(d->sp, "virtqueue_size", false, &size) ||
	    get_u32(d->sp, "max_sectors", false, &max_sectors) ||
	    get_u32(d->sp, "cmd_per_lun", false, &per_lun))
		return -2;
	if (queues == 0xFFFFFFFFu)
		queues = 1; /* QEMU's "auto": one on ccw */
	if (size <= 2) {
		say(d->sp, "invalid virtqueue_size property (= %u), must be > 2", size);
		return -2;
	}
	/* QEMU: the request queues and the two others fit in 1024 (its
	 * message says "less than 1022", but 1022 is taken: measured). */
	if (!queues || queues > 1022) {
		say(d->sp, "Invalid number of queues (= %u), must be a positive integer less than "
			   "1022.", queues);
		return -2;
	}
	if (size > VCCW_QUEUE_LIMIT || queues > 16) {
		say(d->sp, "virtqueue_size above 1024 or num_queues outside 1 to 16 is not "
			   "simulated");
		return -2;
	}
	memset(&o, 0, sizeof(o));
	o.num_queues = queues;
	o.queue_size = size;
	o.seg_max = adjust ? size - 2 : 126;
	o.max_sectors = max_sectors;
	o.cmd_per_lun = per_lun;
	o.no_hotplug = !hotplug;
	o.no_change = !change;
	if (scsi_luns(m, (int)(d - m->devs), &o))
		return -2;
	schid = sim_vdev_scsi(m->sim, cfg, t, &o, why);
	if (schid < 0) {
		say(d->sp, "%s", why[0] ? why : "cannot attach");
		return -2;
	}
	return schid;
}

/* virtio-crypto-ccw on cryptodev-backend-builtin: data and control queues
 * of 1024, the builtin back-end's services and limits as QEMU 7.2 reports. */
static long attach_crypto(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
			  struct sim_vccw_config *t)
{
	static struct gen g;
	const char *id = get(d->sp, "cryptodev");
	struct qm_backend *o = backend_find(m, QM_OBJECT, id);

	if (!o || o->obj != OBJ_CRYPTO) {
		say(d->sp, "'cryptodev' parameter expects a valid object");
		return -2;
	}
	if (o->used) {
		say(d->sp, "can't use already used cryptodev backend: %s", id);
		return -2;
	}
	gen_init(&g, VIRTIO_ID_CRYPTO);
	gen_queues(&g, 2, 1024);
	g.o.config_len = 56;
	gen_field(&g, 0, 4, 1);      /* status: ready */
	gen_field(&g, 4, 4, 1);      /* max_dataqueues */
	gen_field(&g, 8, 4, 0x17);   /* crypto_services */
	gen_field(&g, 12, 4, 8);     /* cipher_algo_l */
	gen_field(&g, 20, 4, 4);     /* hash_algo */
	gen_field(&g, 36, 4, 64);    /* max_cipher_key_len */
	gen_field(&g, 40, 4, 512);   /* max_auth_key_len */
	gen_field(&g, 44, 4, 2);     /* akcipher_algo */
	gen_field(&g, 48, 8, 0x7FFFFFFFFFFFFFE7ull); /* max_size */
	o->used = true;
	return gen_attach(m, d, cfg, t, &g);
}

/* virtio-9p-ccw: one queue of 128 and the mount tag. */
static long attach_9p(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
		      struct sim_vccw_config *t)
{
	static struct gen g;
	const char *fsdev = get(d->sp, "fsdev"), *tag = get(d->sp, "mount_tag");

	if (!backend_find(m, QM_FSDEV, fsdev)) {
		say(d->sp, "9pfs device couldn't find fsdev with the id = %s", fsdev ? fsdev : "NULL");
		return -2;
	}
	if (!tag) {
		say(d->sp, "fsdev with id %s needs mount_tag arguments", fsdev);
		return -2;
	}
	if (strlen(tag) > 255) {
		say(d->sp, "mount tag '%s' (%zu bytes) is longer than maximum (255 bytes)", tag,
		    strlen(tag));
		return -2;
	}
	gen_init(&g, VIRTIO_ID_9P);
	g.o.features = VIRTIO_BIT(P9_F_MOUNT_TAG);
	gen_queues(&g, 1, 128);
	g.o.config_len = 2 + (unsigned)strlen(tag);
	gen_field(&g, 0, 2, strlen(tag));
	memcpy(g.tag, tag, strlen(tag));
	g.o.bytes = g.tag;
	g.o.bytes_off = 2;
	g.o.bytes_len = (unsigned)strlen(tag);
	return gen_attach(m, d, cfg, t, &g);
}

/*
 * vhost-vsock-ccw: rx, tx and event queues of 128 and the guest's CID.
 * Not measured (QEMU needs the host's /dev/vhost-vsock): from QEMU 7.2's
 * and Linux 6.1's sources, the host kernel offers SEQPACKET.
 */
static long attach_vsock(struct qm *m, struct qm_device *d, struct sim_dev_config *cfg,
			 struct sim_vccw_config *t)
{
	static struct gen g;
	u64 cid = 0;
	const char *seq = get(d->sp, "seqpacket");

	if (get_u64(d->sp, "guest-cid", false, 0xFFFFFFFFu, &cid))
		return -2;
	if (cid <= 2) {
		say(d->sp, "guest-cid property must be greater than 2");
		return -2;
	}
	if (seq && strcmp(seq, "auto") && strcmp(seq, "on") && strcmp(seq, "off")) {
		say(d->sp, "seqpacket takes on, off or auto");
		return -2;
	}
	gen_init(&g, VIRTIO_ID_VSOCK);
	g.o.features = seq && !strcmp(seq, "off") ? 0 : VIRTIO_BIT(VSOCK_F_SEQPACKET);
	gen_queues(&g, 3, 128);
	g.o.config_len = 8;
	gen_field(&g, 0, 8, cid);
	/* vhost keeps RING_RESET to itself. */
	t->ring_reset = false;
	return gen_attach(m, d, cfg, t, &g);
}

static const struct qm_driver drivers[] = {
	{ "virtio-blk-ccw", "virtio-blk", VIRTIO_ID_BLOCK,
	  "iothread lcyls lheads lsecs dev_id subch_id x-enable-wce-if-config-wce "
	  "report-discard-granularity",
	  VIRTIO_INERT "bootindex loadparm request-merging share-rw rerror werror account-invalid "
		       "account-failed backend_defaults",
	  attach_blk },
	{ "virtio-net-ccw", "virtio-net", VIRTIO_ID_NET,
	  "csum gso guest_csum guest_tso4 guest_tso6 guest_ecn guest_ufo guest_announce host_tso4 "
	  "host_tso6 host_ecn host_ufo mrg_rxbuf status ctrl_vq ctrl_rx ctrl_vlan ctrl_rx_extra "
	  "ctrl_mac_addr ctrl_guest_offloads mq rss hash guest_rsc_ext rsc_interval rx_queue_size "
	  "tx_queue_size host_mtu speed duplex failover x-mtu-bypass-backend dev_id subch_id tx",
	  VIRTIO_INERT "bootindex loadparm x-txtimer x-txburst", attach_nic },
	{ "virtio-serial-ccw", "virtio-serial", VIRTIO_ID_CONSOLE, "dev_id subch_id", VIRTIO_INERT,
	  attach_serial },
	{ "virtio-rng-ccw", "virtio-rng", VIRTIO_ID_RNG, "dev_id subch_id", VIRTIO_INERT,
	  attach_rng },
	{ "virtio-balloon-ccw", "virtio-balloon", VIRTIO_ID_BALLOON, "iothread dev_id subch_id",
	  VIRTIO_INERT "guest-stats-polling-interval", attach_balloon },
	{ "virtio-keyboard-ccw", "virtio-keyboard", VIRTIO_ID_INPUT, "dev_id subch_id",
	  VIRTIO_INERT "display head", attach_input },
	{ "virtio-mouse-ccw", "virtio-mouse", VIRTIO_ID_INPUT, "dev_id subch_id",
	  VIRTIO_INERT "display head wheel-axis", attach_input },
	{ "virtio-tablet-ccw", "virtio-tablet", VIRTIO_ID_INPUT, "dev_id subch_id",
	  VIRTIO_INERT "display head wheel-axis", attach_input },
	{ "virtio-gpu-ccw", "virtio-gpu", VIRTIO_ID_GPU, "dev_id subch_id",
	  VIRTIO_INERT "xres yres max_hostmem", attach_gpu },
	{ "virtio-scsi-ccw", "virtio-scsi", VIRTIO_ID_SCSI, "iothread dev_id subch_id",
	  VIRTIO_INERT, attach_scsi },
	{ "virtio-crypto-ccw", NULL, VIRTIO_ID_CRYPTO, "dev_id subch_id", VIRTIO_INERT,
	  attach_crypto },
	{ "virtio-9p-ccw", "virtio-9p", VIRTIO_ID_9P, "dev_id subch_id", VIRTIO_INERT, attach_9p },
	{ "vhost-vsock-ccw", NULL, VIRTIO_ID_VSOCK, "vhostfd dev_id subch_id", VIRTIO_INERT,
	  attach_vsock },
	{ "ccw-testdev", NULL, 0, NULL, NULL, attach_testdev },
};

/* Devices that live on another device's bus, not on a subchannel. */
static bool is_port(const char *driver)
{
	return !strcmp(driver, "virtconsole") || !strcmp(driver, "virtserialport") ||
	       !strcmp(driver, "scsi-hd") || !strcmp(driver, "scsi-cd");
}

static bool is_lun(const char *driver)
{
	return !strcmp(driver, "scsi-hd") || !strcmp(driver, "scsi-cd");
}

static const struct qm_driver *find_driver(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++)
		if (!strcmp(name, drivers[i].name) || (drivers[i].alias && !strcmp(name, drivers[i].alias)))
			return &drivers[i];
	return NULL;
}

/* Drivers QEMU has for s390x that ccwsim does not model. */
static const char *const unmodelled[] = {
	"vhost-scsi-ccw", "vhost-user-fs-ccw", "vfio-ccw", "sclpconsole", "sclplmconsole",
	"scsi-generic", "virtio-input-host-ccw", "vhost-user-blk-ccw",
};

/* The lowest free device number of a set, as QEMU assigns one. */
static long free_devno(struct qm *m, unsigned ssid)
{
	for (unsigned n = 0; n <= 0xFFFF; n++)
		if (!m->devno_used[ssid][n])
			return n;
	return -1;
}

/*
 * Attach one device: its driver, number, transport and model, then what
 * it left unread. Returns 0, or -1 after a message. hot: added while the
 * program runs (the channel report is made).
 */
/*
 * bootindex=: an int32, each used once (QEMU: "already been used"), a
 * negative one meaning none; the lowest names the device the IPL
 * parameter block names. A device the guest cannot see is never the boot
 * device.
 */
static int boot_index_of(struct qm *m, struct qm_spec *sp, bool hidden, unsigned ssid,
			 unsigned devno, const struct sim_scsi_lun *lun)
{
	const char *v = get(sp, "bootindex");
	u64 n;

	if (!v)
		return 0;
	/* QEMU: an int32; a negative one means none. */
	if (!parse_u64(v + (v[0] == '-'), false, &n) || n > 0x7FFFFFFFu + (u64)(v[0] == '-')) {
		say(sp, "Parameter 'bootindex' expects an integer (int32), not '%s'", v);
		return -1;
	}
	if (v[0] == '-')
		return 0;
	for (unsigned i = 0; i < m->nboot; i++)
		if (m->boot_used[i] == n) {
			say(sp, "the bootindex %llu has already been used", (unsigned long long)n);
			return -1;
		}
	if (m->nboot < QM_MAX_DEVICES)
		m->boot_used[m->nboot++] = n;
	if (hidden || (m->have_boot && n >= m->boot_index))
		return 0;
	m->have_boot = true;
	m->boot_index = n;
	m->boot_ssid = ssid;
	m->boot_devno = devno;
	m->boot_scsi = lun != NULL;
	m->boot_target = lun ? lun->target : 0;
	m->boot_lun = lun ? lun->lun : 0;
	return 0;
}

static int boot_index(struct qm *m, struct qm_device *d, bool hidden)
{
	/* Only the devices QEMU gives the property; elsewhere it is unknown. */
	if (!in_words(d->drv->inert, "bootindex"))
		return 0;
	return boot_index_of(m, d->sp, hidden, d->ssid, d->devno, NULL);
}

static int attach(struct qm *m, struct qm_device *d, bool default_nic, bool hot)
{
	struct qm_spec *sp = d->sp;
	struct sim_dev_config cfg;
	struct sim_vccw_config t;
	const char *devno = get(sp, "devno");
	struct sim *real = m->sim;
	unsigned cssid = 0xFE;
	bool hidden;
	long schid;

	d->schid = -1;
	d->id = get(sp, "id");
	if (devno) {
		if (parse_devno(sp, devno, &d->ssid, &d->devno, &cssid))
			return -1;
		if (d->ssid != ~0u && m->devno_used[d->ssid][d->devno]) {
			say(sp, "Device %s already exists", devno);
			return -1;
		}
	} else {
		long f = free_devno(m, 0);

		if (f < 0) {
			say(sp, "no free device number left in subchannel set 0");
			return -1;
		}
		d->ssid = 0;
		d->devno = (unsigned)f;
	}
	hidden = d->ssid == ~0u;
	if (!hidden && m->attached == QM_MAX_DEVICES) {
		say(sp, "a device beyond the %u ccwsim simulates (the tour tests %u; QEMU takes up "
			"to 65536 a subchannel set)", QM_MAX_DEVICES, QM_MAX_DEVICES);
		return -1;
	}
	/* QEMU puts a device of another css into a channel subsystem the
	 * guest, without MCSS-E, never sees: a machine of its own here. */
	if (hidden && !m->hidden) {
		struct sim_config hc = { .mem_size = 1u << 20, .profile = SIM_PROFILE_QEMU };

		m->hidden = sim_create(&hc);
		if (!m->hidden) {
			say(sp, "out of memory");
			return -1;
		}
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.ssid = hidden ? 0 : d->ssid;
	cfg.schno = -1;
	cfg.devno = (u16)d->devno;
	if (d->drv->virtio_id && transport(d, &t))
		return -1;
	m->sim = hidden ? m->hidden : real;
	schid = default_nic ? attach_net(m, d, &cfg, &t, true) : d->drv->attach(m, d, &cfg, &t);
	m->sim = real;
	if (schid == -2)
		return -1;
	if (schid < 0) {
		say(sp, "no free subchannel");
		return -1;
	}
	if (boot_index(m, d, hidden))
		return -1;
	if (leftovers(sp, d->drv->known, d->drv->inert))
		return -1;
	if (hidden) {
		fprintf(stderr, "ccwsim: note: %s %s: css %x is not the virtual one (fe): as on "
				"QEMU, the guest does not see the device\n",
			sp->option, sp->text, cssid);
		return 0;
	}
	d->schid = schid;
	m->devno_used[d->ssid][d->devno] = true;
	m->attached++;
	if (hot)
		sim_announce(m->sim, (u32)schid);
	return 0;
}

/* --- virtio-serial ports ---------------------------------------------------------- */

/*
 * Put each virtconsole and virtserialport on its virtio-serial device, as
 * QEMU 7.2 does: bus=ID.0 names one; without it, the newest device made
 * before the port that has room. A virtconsole takes port 0 when free,
 * any other port the lowest free number from 1; nr= chooses one.
 */
static int place_ports(struct qm *m)
{
	for (unsigned i = 0; i < m->ndevs; i++) {
		struct qm_device *d = &m->devs[i];
		struct qm_spec *sp = d->sp;
		struct qm_serial *s = NULL;
		struct sim_con_port *p;
		const char *bus, *chardev, *name;
		bool console;
		u32 nr = ~0u;

		if (d->drv && d->drv->attach == attach_serial) {
			u32 mp = 31;

			d->serial = calloc(1, sizeof(*d->serial));
			if (!d->serial || get_u32(sp, "max_ports", false, &mp))
				return -1;
			if (!mp) {
				say(sp, "max_ports 0 is not simulated");
				return -1;
			}
			d->serial->max_ports = mp;
			d->serial->id = get(sp, "id");
			continue;
		}
		if (!is_port(sp->type) || is_lun(sp->type))
			continue;
		console = !strcmp(sp->type, "virtconsole");
		bus = get(sp, "bus");
		for (unsigned k = i; k-- > 0 && !s;) {
			struct qm_serial *c = m->devs[k].serial;
			size_t n;

			if (!c)
				continue;
			if (bus) {
				n = c->id ? strlen(c->id) : 0;
				if (n && !strncmp(bus, c->id, n) && !strcmp(bus + n, ".0"))
					s = c;
			} else if (c->nports < c->max_ports) {
				s = c;
			}
		}
		if (!s) {
			if (bus)
				say(sp, "Bus '%s' not found", bus);
			else
				say(sp, "No 'virtio-serial-bus' bus found for device '%s'", sp->type);
			return -1;
		}
		if (get_u32(sp, "nr", false, &nr))
			return -1;
		if (nr == ~0u) {
			/* The lowest free number: 0 is for a console only. */
			for (nr = console ? 0 : 1; nr < s->max_ports; nr++) {
				bool taken = false;

				for (unsigned k = 0; k < s->nports; k++)
					taken |= s->port[k].nr == nr;
				if (!taken)
					break;
			}
			if (nr >= s->max_ports) {
				say(sp, "virtio-serial-bus: Maximum port limit for this device reached");
				return -1;
			}
		} else {
			if (nr == 0 && !console) {
				say(sp, "virtio-serial-bus: Port number 0 on virtio-serial devices "
					"reserved for virtconsole devices for backward compatibility");
				return -1;
			}
			if (nr >= s->max_ports) {
				say(sp, "virtio-serial-bus: Out-of-range port id specified, max. allowed: "
					"%u", s->max_ports - 1);
				return -1;
			}
			for (unsigned k = 0; k < s->nports; k++)
				if (s->port[k].nr == nr) {
					say(sp, "virtio-serial-bus: A port already exists at id %u", nr);
					return -1;
				}
		}
		name = get(sp, "name");
		for (unsigned k = 0; name && k < s->nports; k++)
			if (s->names[k] && !strcmp(s->names[k], name)) {
				say(sp, "virtio-serial-bus: A port already exists by name %s", name);
				return -1;
			}
		if (s->nports == QM_MAX_PORTS) {
			say(sp, "more than %u ports on one device are not simulated", QM_MAX_PORTS);
			return -1;
		}
		p = &s->port[s->nports];
		memset(p, 0, sizeof(*p));
		p->nr = nr;
		p->console = console;
		p->out_fd = p->in_fd = -1;
		s->names[s->nports] = name ? strdup(name) : NULL;
		p->name = s->names[s->nports];
		chardev = get(sp, "chardev");
		if (chardev) {
			struct qm_backend *c = backend_find(m, QM_CHARDEV, chardev);

			if (!c) {
				say(sp, "Property '%s.chardev' can't find value '%s'", sp->type, chardev);
				return -1;
			}
			if (c->used) {
				say(sp, "Property '%s.chardev' can't take value '%s', it's in use",
				    sp->type, chardev);
				return -1;
			}
			c->used = true;
			p->out_fd = c->out_fd;
			p->in_fd = c->in_fd;
			p->own_fds = c->out_fd > STDERR_FILENO;
			p->connected = true;
		}
		s->nports++;
		get(sp, "id");
		if (leftovers(sp, NULL, NULL))
			return -1;
	}
	return 0;
}

/* --- Options ---------------------------------------------------------------------- */

/* QEMU options taken without effect on anything the tour can observe. */
static const char *const inert_with_value[] = {
	"action", "smp", "serial", "monitor", "name", "display", "bios", "initrd", "boot", "accel",
	"vga", "L", "qmp", "pidfile", "D", "d", "uuid", "rtc", "msg", "trace",
};
static const char *const inert_flags[] = {
	"nographic", "no-reboot", "no-shutdown", "enable-kvm", "S", "daemonize",
};

/* -hda to -hdd: the drive's index, 0 to 3; else -1. */
static int legacy_disk(const char *name)
{
	if (name[0] == 'h' && name[1] == 'd' && name[2] >= 'a' && name[2] <= 'd' && !name[3])
		return name[2] - 'a';
	return -1;
}

/*
 * -cdrom FILE and -hda FILE to -hdd FILE: QEMU's short forms of -drive
 * file=FILE,index=N (2 for -cdrom, with media=cdrom), on the machine's
 * default interface, virtio for s390x: each a virtio-blk-ccw of its own,
 * in command-line order among the other such drives (measured on QEMU
 * 7.2). An index used twice is refused as QEMU refuses it.
 */
static int add_legacy_drive(struct qm *m, const char *name, const char *file)
{
	static const char *const option[] = { "-hda", "-hdb", "-hdc", "-hdd" };
	bool cdrom = !strcmp(name, "cdrom");
	int index = cdrom ? 2 : legacy_disk(name);
	size_t n = strlen(file), k = 0;
	char *text = malloc(2 * n + sizeof("file=,media=cdrom"));
	int err;

	if (!text) {
		say(NULL, "out of memory");
		return -1;
	}
	/* A comma in the name is doubled: it is part of the name. */
	k += (size_t)sprintf(text, "file=");
	for (size_t i = 0; i < n; i++) {
		text[k++] = file[i];
		if (file[i] == ',')
			text[k++] = ',';
	}
	strcpy(text + k, cdrom ? ",media=cdrom" : "");
	err = add_drive(m, text, cdrom ? "-cdrom" : option[index], file, index);
	free(text);
	return err;
}

int qm_option_kind(const char *name)
{
	static const char *const with_value[] = {
		"device", "drive", "netdev", "nic", "chardev", "object", "fsdev", "m", "append",
		"kernel", "M", "machine", "cpu", "global", "cdrom", "hda", "hdb", "hdc", "hdd",
	};

	for (size_t i = 0; i < ARRAY_SIZE(with_value); i++)
		if (!strcmp(name, with_value[i]))
			return 1;
	for (size_t i = 0; i < ARRAY_SIZE(inert_with_value); i++)
		if (!strcmp(name, inert_with_value[i]))
			return 1;
	if (!strcmp(name, "nodefaults"))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(inert_flags); i++)
		if (!strcmp(name, inert_flags[i]))
			return 0;
	return -1;
}

/* The image -kernel names must be the tour: ccwsim runs nothing else. */
static int check_kernel(const char *path)
{
	static const char mark[] = "ccw tour";
	FILE *f = fopen(path, "rb");
	char buf[65536 + sizeof(mark)];
	size_t have = 0, n;
	bool found = false;

	if (!f) {
		fprintf(stderr, "ccwsim: -kernel %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (!found && (n = fread(buf + have, 1, sizeof(buf) - have, f)) > 0) {
		have += n;
		found = memmem(buf, have, mark, sizeof(mark) - 1) != NULL;
		/* Keep the tail: the mark may straddle two reads. */
		memmove(buf, buf + have - (sizeof(mark) - 1), sizeof(mark) - 1);
		have = sizeof(mark) - 1;
	}
	fclose(f);
	if (!found) {
		fprintf(stderr, "ccwsim: -kernel %s: not the project's tour image; ccwsim runs the "
				"tour only\n", path);
		return -1;
	}
	return 0;
}

/* -m [size=]N[M|G]: MiB without a suffix, as QEMU. */
static int parse_mem(struct qm *m, const char *v)
{
	const char *s = strncmp(v, "size=", 5) ? v : v + 5;
	char *end;
	unsigned long long n = strtoull(s, &end, 10);
	unsigned shift = 20;

	if (end == s)
		goto bad;
	if (*end == 'M' || *end == 'm')
		end++;
	else if (*end == 'G' || *end == 'g') {
		shift = 30;
		end++;
	}
	if (*end || !n || n > (4096ull << 20 >> shift))
		goto bad;
	m->mem_size = (u64)n << shift;
	return 0;
bad:
	fprintf(stderr, "ccwsim: -m %s: takes MiB (or a size with M or G) from 1 MiB to 4 GiB\n", v);
	return -1;
}

/*
 * Whether the device's id= is malformed or taken by another device (one
 * still plugged in, with hot), after saying so as QEMU does.
 */
static bool device_id_taken(struct qm *m, struct qm_spec *sp, bool hot)
{
	const char *id = get(sp, "id");

	if (!id)
		return false;
	if (!id_valid(sp, id))
		return true;
	for (unsigned i = 0; i < m->ndevs; i++) {
		const struct qm_device *o = &m->devs[i];
		const char *oid = get(o->sp, "id");

		if (hot && o->drv && o->schid < 0)
			continue;  /* unplugged: its id is free again */
		if (oid && !strcmp(oid, id)) {
			say(sp, "Duplicate ID '%s' for device", id);
			return true;
		}
	}
	return false;
}

/*
 * -M's properties after the type: loadparm= only (QEMU 7.2's rule:
 * letters, digits, '.' and blanks, taken in upper case, the first 8
 * characters kept); the others are not simulated.
 */
static int machine_props(struct qm *m, const char *name, const char *v, const char *props)
{
	while (props && *props == ',') {
		const char *p = props + 1, *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (strncmp(p, "loadparm=", 9)) {
			fprintf(stderr, "ccwsim: -%s %s: machine property '%.*s' is not simulated "
					"(loadparm= is)\n", name, v, (int)n, p);
			return -1;
		}
		p += 9;
		n -= 9;
		/* QEMU 7.2 keeps the first 8 characters of a longer one. */
		if (n > QM_LOADPARM_LEN)
			n = QM_LOADPARM_LEN;
		for (size_t i = 0; i < n; i++) {
			char c = p[i];

			if (c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
			      c == ' ')) {
				fprintf(stderr, "ccwsim: -%s %s: loadparm takes letters, digits, '.' and "
						"blanks only\n", name, v);
				return -1;
			}
			m->loadparm[i] = c;
		}
		m->loadparm[n] = '\0';
		props = end;
	}
	return 0;
}

int qm_option(struct qm *m, const char *name, const char *v)
{
	struct qm_device *d;
	struct qm_spec *sp;

	if (!strcmp(name, "nodefaults")) {
		m->nodefaults = true;
		return 0;
	}
	if (qm_option_kind(name) == 0)
		return 0;
	if (!strcmp(name, "device")) {
		sp = spec_parse(m, "-device", v, "driver");
		if (!sp)
			return -1;
		if (!strcmp(sp->type, "help") || !strcmp(sp->type, "?")) {
			say(sp, "ccwsim --help lists the devices it simulates");
			return -1;
		}
		if (device_id_taken(m, sp, false))
			return -1;
		d = grow(m->devs, m->ndevs, sizeof(*d));
		if (!d)
			return -1;
		m->devs = d;
		d = &m->devs[m->ndevs++];
		memset(d, 0, sizeof(*d));
		d->sp = sp;
		d->schid = -1;
		d->drv = find_driver(sp->type);
		if (!d->drv && !is_port(sp->type)) {
			for (size_t i = 0; i < ARRAY_SIZE(unmodelled); i++)
				if (!strcmp(sp->type, unmodelled[i])) {
					say(sp, "'%s' is not simulated", sp->type);
					return -1;
				}
			say(sp, "'%s' is not a valid device model name (see ccwsim --help)", sp->type);
			return -1;
		}
		return 0;
	}
	if (!strcmp(name, "drive"))
		return add_drive(m, v, "-drive", NULL, -1);
	if (!strcmp(name, "cdrom") || legacy_disk(name) >= 0)
		return add_legacy_drive(m, name, v);
	if (!strcmp(name, "netdev"))
		return add_netdev(m, v);
	if (!strcmp(name, "chardev"))
		return add_chardev(m, v);
	if (!strcmp(name, "object"))
		return add_object(m, v);
	if (!strcmp(name, "fsdev"))
		return add_fsdev(m, v);
	if (!strcmp(name, "append")) {
		m->append = v;
		return 0;
	}
	if (!strcmp(name, "m"))
		return parse_mem(m, v);
	if (!strcmp(name, "bios"))
		m->bios = v;
	if (!strcmp(name, "kernel")) {
		m->kernel = true;
		return check_kernel(v);
	}
	if (!strcmp(name, "nic")) {
		/* -nic none removes the default NIC; the others are a netdev
		 * and a device in one option, spelled apart here. */
		if (strcmp(v, "none")) {
			fprintf(stderr, "ccwsim: -nic %s: not simulated; give -netdev user,id=ID -device "
					"virtio-net-ccw,netdev=ID\n", v);
			return -1;
		}
		m->no_default_nic = true;
		return 0;
	}
	if (!strcmp(name, "M") || !strcmp(name, "machine")) {
		const char *type = strncmp(v, "type=", 5) ? v : v + 5;

		if (strncmp(type, "s390-ccw-virtio", 15) || (type[15] && type[15] != '-' &&
							      type[15] != ',')) {
			fprintf(stderr, "ccwsim: -%s %s: only the s390-ccw-virtio machine is simulated\n",
				name, v);
			return -1;
		}
		return machine_props(m, name, v, strchr(type, ','));
	}
	if (!strcmp(name, "cpu")) {
		if (strcmp(v, "max") && strcmp(v, "qemu") && strcmp(v, "host")) {
			fprintf(stderr, "ccwsim: -cpu %s: CPU models are not simulated (max, qemu and "
					"host are taken as the default)\n", v);
			return -1;
		}
		return 0;
	}
	if (!strcmp(name, "global")) {
		fprintf(stderr, "ccwsim: -global %s: not simulated; give the property on the -device\n",
			v);
		return -1;
	}
	/* The rest change nothing the tour can see. */
	return 0;
}

/* --- Building -------------------------------------------------------------------- */

struct qm *qm_new(void)
{
	return calloc(1, sizeof(struct qm));
}

u64 qm_mem_size(const struct qm *m)
{
	return m->mem_size;
}

bool qm_boot_device(const struct qm *m, unsigned *ssid, unsigned *devno)
{
	if (!m->have_boot)
		return false;
	*ssid = m->boot_ssid;
	*devno = m->boot_devno;
	return true;
}

bool qm_boot_scsi(const struct qm *m, unsigned *target, unsigned *lun)
{
	if (!m->have_boot || !m->boot_scsi)
		return false;
	*target = m->boot_target;
	*lun = m->boot_lun;
	return true;
}

bool qm_has_kernel(const struct qm *m)
{
	return m->kernel;
}

const char *qm_bios_run(const struct qm *m)
{
	return m->kernel ? NULL : m->bios;
}

const char *qm_loadparm(const struct qm *m)
{
	return m->loadparm;
}

const char *qm_append(const struct qm *m)
{
	return m->append ? m->append : "";
}

void qm_no_defaults(struct qm *m)
{
	m->nodefaults = true;
}

void qm_rng_seed(struct qm *m, u64 seed)
{
	m->rng_seeded = true;
	m->rng_seed = seed;
}

/*
 * Put each scsi-hd and scsi-cd on its virtio-scsi-ccw, as QEMU 7.2 does:
 * bus=ID.0 names one; without it, the newest one made before it.
 */
static int scsi_lun_one(struct qm *m, struct qm_device *d, int self, struct sim_scsi_opts *o);

/* The virtio-scsi-ccw that scsi-hd or scsi-cd number i goes on: bus=ID.0,
 * or the newest one before it; -1 after a message. */
static int bus_owner(struct qm *m, unsigned i)
{
	struct qm_device *d = &m->devs[i];
	const char *bus = get(d->sp, "bus");

	for (unsigned k = i; k-- > 0;) {
		const struct qm_device *c = &m->devs[k];
		const char *id = get(c->sp, "id");
		size_t n = id ? strlen(id) : 0;

		if (!c->drv || c->drv->attach != attach_scsi)
			continue;
		if (!bus || (n && !strncmp(bus, id, n) && !strcmp(bus + n, ".0")))
			return (int)k;
	}
	if (bus)
		say(d->sp, "Bus '%s' not found", bus);
	else
		say(d->sp, "No 'SCSI' bus found for device '%s'", d->sp->type);
	return -1;
}

static int place_luns(struct qm *m)
{
	for (unsigned i = 0; i < m->ndevs; i++) {
		struct qm_device *d = &m->devs[i];

		d->scsi_bus = -1;
		if (!is_lun(d->sp->type))
			continue;
		d->scsi_bus = bus_owner(m, i);
		if (d->scsi_bus < 0)
			return -1;
	}
	return 0;
}

/* The units on adapter self now, into o. */
static void luns_on(const struct qm *m, int self, struct sim_scsi_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (unsigned k = 0; k < m->ndevs && o->nluns < SIM_SCSI_MAX_LUNS; k++)
		if (m->devs[k].lun_on && m->devs[k].scsi_bus == self) {
			o->lun[o->nluns].target = m->devs[k].scsi_target;
			o->lun[o->nluns].lun = m->devs[k].scsi_lun;
			o->nluns++;
		}
}

/* device_add of a scsi-hd or scsi-cd (the newest device): onto its
 * adapter, which tells the driver (sim_scsi_plug()). */
static int lun_add(struct qm *m, struct qm_device *d, char *why)
{
	static struct sim_scsi_opts o;
	int self = bus_owner(m, (unsigned)(d - m->devs));
	char err[SIM_WHY_LEN] = "";

	d->scsi_bus = -1;
	if (self < 0 || m->devs[self].schid < 0) {
		snprintf(why, 256, "%s refused (%s)", d->sp->text,
			 self < 0 ? "the reason is above" : "its adapter is not attached");
		return -1;
	}
	luns_on(m, self, &o);
	if (scsi_lun_one(m, d, self, &o)) {
		snprintf(why, 256, "%s refused (the reason is above)", d->sp->text);
		return -1;
	}
	if (sim_scsi_plug(m->sim, (u32)m->devs[self].schid, &o.lun[o.nluns - 1], err)) {
		d->lun_on = false;
		snprintf(why, 256, "%s: %s", d->sp->text, err);
		return -1;
	}
	return 0;
}

/*
 * One scsi-hd or scsi-cd onto the adapter at m->devs[self], after the
 * units already in o: its address (QEMU's rules), drive, block sizes and
 * bootindex, appended to o. 0, or -1 after a message.
 */
static int scsi_lun_one(struct qm *m, struct qm_device *d, int self, struct sim_scsi_opts *o)
{
	/* QEMU knows these properties of scsi-hd and scsi-cd; ccwsim models
	 * none of them (yet), but a disk's block sizes. */
	static const char known[] = "serial wwn port_wwn port_index rotation_rate ver "
				    "vendor product device_id removable dpofua logical_block_size "
				    "physical_block_size min_io_size opt_io_size discard_granularity "
				    "write-cache share-rw scsi_version quirk_mode_page_vendor_specific_apple";
	static const char inert[] = "";
	unsigned self_ssid = m->devs[self].ssid, self_devno = m->devs[self].devno;
	struct qm_spec *sp = d->sp;
	struct sim_scsi_lun *l;
	struct qm_backend *dr = NULL;
	const char *id;
	u32 target = ~0u, lun = 0, channel = 0;
	bool cd = !strcmp(sp->type, "scsi-cd");

	d->id = get(sp, "id");
	id = get(sp, "drive");
	/* A scsi-cd without drive= is a drive without a disc (measured). */
	if (!id && !cd) {
		say(sp, "drive property not set");
		return -1;
	}
	if (id) {
		dr = backend_find(m, QM_DRIVE, id);
		if (!dr) {
			say(sp, "Property '%s.drive' can't find value '%s'", sp->type, id);
			return -1;
		}
		if (dr->used || dr->auto_device) {
			say(sp, "Drive '%s' is already in use by another device", id);
			return -1;
		}
		if (!dr->file && !cd) {
			say(sp, "Device needs media, but drive is empty");
			return -1;
		}
	}
	if (get_u32(sp, "scsi-id", false, &target) || get_u32(sp, "lun", false, &lun) ||
	    get_u32(sp, "channel", false, &channel))
		return -1;
	if (channel) {
		say(sp, "bad scsi channel id: %u", channel);
		return -1;
	}
	if (target != ~0u && target > 255) {
		say(sp, "bad scsi device id: %u", target);
		return -1;
	}
	if (lun > 16383) {
		say(sp, "bad scsi device lun: %u", lun);
		return -1;
	}
	if (target == ~0u) {
		/* QEMU: the lowest id with that LUN free. */
		for (target = 0; target <= 255; target++) {
			bool taken = false;

			for (unsigned k = 0; k < o->nluns; k++)
				taken |= o->lun[k].target == target && o->lun[k].lun == lun;
			if (!taken)
				break;
		}
	}
	for (unsigned k = 0; k < o->nluns; k++)
		if (o->lun[k].target == target && o->lun[k].lun == lun) {
			say(sp, "lun already used by another device (scsi-id %u, lun %u)",
			    target, lun);
			return -1;
		}
	if (o->nluns == SIM_SCSI_MAX_LUNS) {
		say(sp, "more than %u LUNs on one adapter are not simulated",
		    SIM_SCSI_MAX_LUNS);
		return -1;
	}
	l = &o->lun[o->nluns];
	memset(l, 0, sizeof(*l));
	l->target = target;
	l->lun = lun;
	/* A disk's block sizes, with QEMU's rules and messages; a CD-ROM's
	 * are 2048 whatever is said (not modelled: refused). */
	if (!strcmp(sp->type, "scsi-hd")) {
		struct sim_blk_opts bo = { 0 };
		char why[SIM_WHY_LEN] = "";

		if (get_u32(sp, "logical_block_size", true, &bo.logical_block_size) ||
		    get_u32(sp, "physical_block_size", true, &bo.physical_block_size))
			return -1;
		if (sim_blk_check_opts(&bo, why)) {
			say(sp, "%s", why);
			return -1;
		}
		l->block_size = bo.logical_block_size;
		l->physical_block_size = bo.physical_block_size;
	}
	/* bootindex= on a unit: QEMU's IPL block names the adapter and
	 * the unit (hw/s390x/ipl.c, type 0xff). */
	if (boot_index_of(m, sp, self_ssid == ~0u, self_ssid, self_devno, l) ||
	    leftovers(sp, known, inert))
		return -1;
	o->nluns++;
	if (dr)
		dr->used = true;
	l->path = dr ? dr->file : NULL;
	l->cdrom = cd;
	l->read_only = (dr && dr->read_only) || l->cdrom;
	d->scsi_bus = self;
	d->scsi_target = target;
	d->scsi_lun = lun;
	d->lun_on = true;
	return 0;
}

/* The logical units of virtio-scsi-ccw number `self` into o. 0, or -1
 * after a message. */
static int scsi_luns(struct qm *m, int self, struct sim_scsi_opts *o)
{
	for (unsigned i = 0; i < m->ndevs; i++)
		if (is_lun(m->devs[i].sp->type) && m->devs[i].scsi_bus == self &&
		    scsi_lun_one(m, &m->devs[i], self, o))
			return -1;
	return 0;
}

int qm_build(struct qm *m, struct sim *sim)
{
	m->sim = sim;
	if (place_ports(m) || place_luns(m))
		return -1;
	/* Without -nodefaults QEMU adds a virtio-net-ccw first, at 0.0.0000,
	 * on the user network. */
	if (!m->nodefaults && !m->no_default_nic) {
		struct qm_device nic = { 0 };

		nic.sp = spec_parse(m, "(default)", "virtio-net-ccw,devno=fe.0.0000", "driver");
		nic.drv = find_driver("virtio-net-ccw");
		if (!nic.sp || attach(m, &nic, true, false))
			return -1;
	}
	for (unsigned i = 0; i < m->ndevs; i++) {
		struct qm_device *d = &m->devs[i];

		if (is_port(d->sp->type))
			continue;
		if (attach(m, d, false, false))
			return -1;
	}
	/* A virtio-blk-ccw for each if=virtio drive, after the devices, as
	 * QEMU appends them. */
	for (unsigned i = 0; i < m->nbackends; i++) {
		struct qm_device d = { .auto_drive = true };
		char text[QM_ID_MAX + 32];

		if (m->backends[i].kind != QM_DRIVE || !m->backends[i].auto_device)
			continue;
		snprintf(text, sizeof(text), "virtio-blk-ccw,drive=%s", m->backends[i].id);
		d.sp = spec_parse(m, "-drive", text, "driver");
		d.drv = find_driver("virtio-blk-ccw");
		if (!d.sp || attach(m, &d, false, false))
			return -1;
	}
	for (unsigned i = 0; i < m->nbackends; i++)
		if (m->backends[i].kind == QM_NETDEV && !m->backends[i].used)
			fprintf(stderr, "ccwsim: warning: netdev %s has no peer\n", m->backends[i].id);
	return 0;
}

int qm_device_add(struct qm *m, const char *spec, char *why)
{
	struct qm_device *d;
	struct qm_spec *sp = spec_parse(m, "device_add", spec, "driver");

	if (!sp) {
		snprintf(why, 256, "cannot read '%s'", spec);
		return -1;
	}
	if (device_id_taken(m, sp, true)) {
		snprintf(why, 256, "%s refused (the reason is above)", spec);
		return -1;
	}
	d = grow(m->devs, m->ndevs, sizeof(*d));
	if (!d) {
		snprintf(why, 256, "out of memory");
		return -1;
	}
	m->devs = d;
	d = &m->devs[m->ndevs];
	memset(d, 0, sizeof(*d));
	d->sp = sp;
	d->schid = -1;
	if (is_lun(sp->type)) {
		m->ndevs++;
		return lun_add(m, d, why);
	}
	d->drv = find_driver(sp->type);
	if (!d->drv) {
		snprintf(why, 256, "%s: not a device ccwsim can plug in", sp->type);
		return -1;
	}
	m->ndevs++;
	/* A virtio-serial device comes without ports: they would be plugged
	 * into it afterwards, which is not modelled. */
	if (d->drv->attach == attach_serial) {
		u32 mp = 31;

		d->serial = calloc(1, sizeof(*d->serial));
		if (!d->serial || get_u32(sp, "max_ports", false, &mp) || !mp) {
			snprintf(why, 256, "%s refused", spec);
			return -1;
		}
		d->serial->max_ports = mp;
	}
	if (attach(m, d, false, true)) {
		snprintf(why, 256, "%s refused (the reason is above)", spec);
		return -1;
	}
	return 0;
}

int qm_device_check(const char *spec, char *why)
{
	size_t n = strcspn(spec, ",");
	char name[64];

	snprintf(name, sizeof(name), "%.*s", (int)MIN(n, sizeof(name) - 1), spec);
	if (!strncmp(name, "driver=", 7))
		memmove(name, name + 7, strlen(name + 7) + 1);
	if (find_driver(name) || is_lun(name))
		return 0;
	snprintf(why, 256, "'%s' is not a device ccwsim can plug in (see --help)", name);
	return -1;
}

int qm_device_del(struct qm *m, const char *id, char *why)
{
	for (unsigned i = 0; i < m->ndevs; i++) {
		struct qm_device *d = &m->devs[i];
		char err[SIM_WHY_LEN] = "";

		/* A scsi-hd or scsi-cd leaves its adapter, which tells the
		 * driver; its drive goes with it, as QEMU's does. */
		if (d->lun_on && d->id && !strcmp(d->id, id)) {
			if (sim_scsi_unplug(m->sim, (u32)m->devs[d->scsi_bus].schid, d->scsi_target,
					    d->scsi_lun, err)) {
				snprintf(why, 256, "%s: %s", id, err);
				return -1;
			}
			d->lun_on = false;
			return 0;
		}

		if (!d->id || strcmp(d->id, id) || d->schid < 0)
			continue;
		if (sim_detach(m->sim, (u32)d->schid)) {
			snprintf(why, 256, "%s: its subchannel is gone already", id);
			return -1;
		}
		m->devno_used[d->ssid][d->devno] = false;
		m->attached--;
		d->schid = -1;
		return 0;
	}
	snprintf(why, 256, "Device '%s' not found", id);
	return -1;
}

void qm_free(struct qm *m)
{
	if (!m)
		return;
	sim_destroy(m->hidden);
	for (unsigned i = 0; i < m->nbackends; i++) {
		struct qm_backend *c = &m->backends[i];

		if (c->kind != QM_CHARDEV || c->used)
			continue;
		if (c->out_fd > STDERR_FILENO)
			close(c->out_fd);
		if (c->in_fd > STDERR_FILENO && c->in_fd != c->out_fd)
			close(c->in_fd);
	}
	for (unsigned i = 0; i < m->ndevs; i++) {
		if (!m->devs[i].serial)
			continue;
		for (unsigned k = 0; k < m->devs[i].serial->nports; k++)
			free(m->devs[i].serial->names[k]);
		free(m->devs[i].serial);
	}
	for (unsigned i = 0; i < m->nspecs; i++) {
		free(m->specs[i]->text);
		free(m->specs[i]->buf);
		free(m->specs[i]);
	}
	free(m->specs);
	free(m->backends);
	free(m->devs);
	free(m);
}
