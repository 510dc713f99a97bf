/*
 * The device tour, platform-neutral: enumerate subchannel set 0, enable each
 * subchannel, identify the device with SENSE ID, print an lscss-style
 * listing, and report every check as a TEST line.
 */
#include "boot/tour.h"

#include "ccw/css.h"   /* css_init, css_stsch, css_enable, css_sense_id */
#include "ccw/ident.h" /* ident_recognise */
#include "ccw/port.h"  /* port_printf, port_crash */
#include "ring/fmt.h"  /* fmt_snprintf */

/* Subchannels listed at most; more are counted but not shown. */
#define TOUR_MAX_DEVS 256

struct tour_dev {
	u32 schid;
	u16 devno;
	u8 pim, pam, pom;
	u8 chpid[8];
	bool enabled;
	bool identified;
	u16 cu_type, dev_type;
	u8 cu_model, dev_model;
	struct ident ident;
};

struct tour {
	unsigned passed, failed, skipped;
	struct css css;
	bool crash;
	bool fail;
	unsigned ndevs;
	struct tour_dev devs[TOUR_MAX_DEVS];
};

enum tour_status { TOUR_PASS, TOUR_FAIL, TOUR_SKIP };

/* Print one TEST line and count it. */
static void tour_test(struct tour *t, const char *name, enum tour_status st,
		      const char *fmt, ...) __printf(4, 5);
static void tour_test(struct tour *t, const char *name, enum tour_status st,
		      const char *fmt, ...)
{
	static const char *const words[] = { "PASS", "FAIL", "SKIP" };
	va_list ap;

	if (st == TOUR_PASS)
		t->passed++;
	else if (st == TOUR_FAIL)
		t->failed++;
	else
		t->skipped++;
	port_printf("TEST %s %s", name, words[st]);
	if (fmt && *fmt) {
		port_printf(" ");
		va_start(ap, fmt);
		port_vprintf(fmt, ap);
		va_end(ap);
	}
	port_printf("\n");
}

/* Split the command line into options. */
static void tour_parse(struct tour *t, const char *cmdline)
{
	const char *p = cmdline;

	while (*p) {
		const char *w;
		size_t n;

		/* A parameter file edited by hand may end in a newline. */
		while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
			p++;
		w = p;
		while (*p && *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
			p++;
		n = (size_t)(p - w);
		if (n == 0)
			break;
		if (n == 5 && !strncmp(w, "crash", 5))
			t->crash = true;
		else if (n == 4 && !strncmp(w, "fail", 4))
			t->fail = true;
		else
			port_printf("note: ignoring unknown option \"%.*s\"\n", (int)n, w);
	}
}

/* The bus id of a subchannel or device: css.ssid.number. */
static void tour_busid(char *buf, size_t size, unsigned ssid, unsigned num)
{
	fmt_snprintf(buf, size, "0.%x.%04x", ssid, num);
}

static void tour_probe(struct tour *t, struct tour_dev *d)
{
	struct senseid id;
	char name[48], busid[16];
	unsigned len = 0;
	int err;

	tour_busid(busid, sizeof(busid), schid_ssid(d->schid), d->devno);
	fmt_snprintf(name, sizeof(name), "css.enable.%s", busid);
	err = css_enable(&t->css, d->schid, d->schid);
	d->enabled = err == 0;
	if (err) {
		tour_test(t, name, TOUR_FAIL, "%s", verr_str(err));
		return;
	}
	tour_test(t, name, TOUR_PASS, NULL);

	fmt_snprintf(name, sizeof(name), "css.sense-id.%s", busid);
	err = css_sense_id(&t->css, d->schid, &id, &len);
	if (err) {
		tour_test(t, name, TOUR_FAIL, "%s", verr_str(err));
		return;
	}
	d->identified = true;
	d->cu_type = be16_to_cpu(id.cu_type);
	d->cu_model = id.cu_model;
	d->dev_type = len >= 6 ? be16_to_cpu(id.dev_type) : 0;
	d->dev_model = len >= 7 ? id.dev_model : 0;
	d->ident = ident_recognise(&id, len);
	tour_test(t, name, TOUR_PASS, "CU %04x/%02x, device %04x/%02x, %u bytes: %s",
		  d->cu_type, d->cu_model, d->dev_type, d->dev_model, len, d->ident.name);
}

/* Enumerate subchannel set 0 until STSCH gives cc 3. */
static void tour_enumerate(struct tour *t)
{
	unsigned schno, total = 0;

	for (schno = 0; schno <= SCHID_SCHNO_MASK; schno++) {
		u32 schid = schid_make(0, schno);
		struct schib schib;
		struct tour_dev *d;

		if (css_stsch(&t->css, schid, &schib))
			break;
		/* Only I/O subchannels with a valid device number hold a device. */
		if (!(be16_to_cpu(schib.pmcw.flags) & PMCW_FLAGS_DNV) ||
		    (be32_to_cpu(schib.pmcw.chars) & PMCW_CHARS_ST_MASK))
			continue;
		total++;
		if (t->ndevs >= TOUR_MAX_DEVS)
			continue;
		d = &t->devs[t->ndevs++];
		memset(d, 0, sizeof(*d));
		d->schid = schid;
		d->devno = be16_to_cpu(schib.pmcw.devno);
		d->pim = schib.pmcw.pim;
		d->pam = schib.pmcw.pam;
		d->pom = schib.pmcw.pom;
		memcpy(d->chpid, schib.pmcw.chpid, sizeof(d->chpid));
		d->ident = ident_recognise(NULL, 0);
		tour_probe(t, d);
	}
	tour_test(t, "css.enumerate", total ? TOUR_PASS : TOUR_FAIL,
		  "%u device%s in subchannel set 0", total, total == 1 ? "" : "s");
	if (total > t->ndevs)
		port_printf("note: %u devices not listed (listing holds %u)\n",
			    total - t->ndevs, TOUR_MAX_DEVS);
}

/* The listing, in the columns of Linux's lscss, plus the device's name. */
static void tour_listing(const struct tour *t)
{
	unsigned i;

	port_printf("\nDevice   Subchan.  DevType CU Type Use  PIM PAM POM  CHPIDs            Name\n");
	port_printf("------------------------------------------------------------------------------------\n");
	for (i = 0; i < t->ndevs; i++) {
		const struct tour_dev *d = &t->devs[i];
		char dev[16], sch[16];

		tour_busid(dev, sizeof(dev), schid_ssid(d->schid), d->devno);
		tour_busid(sch, sizeof(sch), schid_ssid(d->schid), schid_schno(d->schid));
		port_printf("%s %s  %04x/%02x %04x/%02x %-3s  %02x  %02x  %02x   "
			    "%02x%02x%02x%02x %02x%02x%02x%02x  %s\n",
			    dev, sch, d->dev_type, d->dev_model, d->cu_type, d->cu_model,
			    d->enabled && d->identified ? "yes" : "no", d->pim, d->pam, d->pom,
			    d->chpid[0], d->chpid[1], d->chpid[2], d->chpid[3], d->chpid[4],
			    d->chpid[5], d->chpid[6], d->chpid[7], d->ident.name);
	}
	port_printf("\n");
}

int tour_main(const char *cmdline)
{
	static struct tour tour;
	struct tour *t = &tour;
	int err;

	memset(t, 0, sizeof(*t));
	port_printf("ccw tour\n");
	port_printf("command line: \"%s\"\n", cmdline);
	tour_parse(t, cmdline);
	if (t->crash) {
		port_printf("crash: executing an invalid instruction on purpose\n");
		port_crash();
	}

	err = css_init(&t->css);
	if (err) {
		tour_test(t, "css.init", TOUR_FAIL, "%s", verr_str(err));
	} else {
		tour_enumerate(t);
		tour_listing(t);
	}
	if (t->fail)
		tour_test(t, "tour.forced-failure", TOUR_FAIL, "the command line asked for a failure");

	port_printf("RESULT: %u passed, %u failed\n", t->passed, t->failed);
	return (int)t->failed;
}
