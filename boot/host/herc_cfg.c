/*
 * ccwsim -f: the devices of a Hercules 3.13 configuration file, attached
 * in its order (Hercules numbers subchannels that way), with the
 * system statements that matter read and the others accepted.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "boot/host/herc_cfg.h"
#include "sim/con3215.h" /* sim_con3215_add */
#include "sim/dasd.h"    /* sim_dasd_add */
#include "sim/unitrec.h" /* sim_rdr3505_add, sim_prt1403_add */

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/*
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
	bool devno_used[0x10000];
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
static bool herc_attach(struct sim *sim, struct herc_config *h, const struct herc_dev *d)
{
	struct sim_dev_config cfg;
	char why[256] = "", path[512];
	long schid = -1;

	if (h->devno_used[d->devno])
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
		schid = sim_con3215_add(sim, &cfg, &co, why);
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
		schid = sim_rdr3505_add(sim, &cfg, &ro, why);
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
		schid = sim_prt1403_add(sim, &cfg, &po, why);
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
		schid = sim_dasd_add(sim, &cfg, &dopts, why);
	}
	if (schid < 0)
		return herc_fail(h, d->line, "%s %04x: %s", d->type, d->devno,
				 why[0] ? why : "cannot attach");
	h->devno_used[d->devno] = true;
	return true;
}

struct herc_config *herc_load(const char *file)
{
	struct herc_config *h = malloc(sizeof(*h));

	if (!h) {
		fprintf(stderr, "ccwsim: -f %s: out of memory\n", file);
		return NULL;
	}
	if (!herc_parse(h, file)) {
		free(h);
		return NULL;
	}
	return h;
}

u64 herc_mainsize(const struct herc_config *h)
{
	return h->mainsize;
}

bool herc_has_console(const struct herc_config *h)
{
	return h->has_console;
}

int herc_build(struct herc_config *h, struct sim *sim)
{
	for (unsigned k = 0; k < h->ndevs; k++)
		if (!herc_attach(sim, h, &h->devs[k]))
			return -1;
	return 0;
}

void herc_free(struct herc_config *h)
{
	free(h);
}
