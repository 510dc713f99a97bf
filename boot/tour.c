/*
 * The device tour, platform-neutral: make every subchannel set visible,
 * enumerate, enable each subchannel, identify the device, run a NOP, a
 * BASIC SENSE and a command it must reject, print an lscss-style listing,
 * and report every check as a TEST line.
 */
#include "boot/tour_priv.h"

#include "ccw/port.h"  /* port_printf, port_crash, port_now_us */
#include "ccw/trace.h" /* ccwtrace_program */
#include "ring/fmt.h"  /* fmt_snprintf */

/* A command code no device of the tour implements. */
#define TOUR_UNKNOWN_CMD 0xFF
/* Round trips timed by the "bench" option. */
#define TOUR_BENCH_LOOPS 20000u
/* The longest hotplug= wait. */
#define TOUR_HOTPLUG_MAX_S 86400u

static bool is_blank(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* A decimal number of n characters; false when it is not one or too large. */
static bool parse_u32(const char *s, size_t n, u32 *out)
{
	u64 v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (u64)(s[i] - '0');
		if (v > 0xFFFFFFFFu)
			return false;
	}
	*out = (u32)v;
	return true;
}

/* Split the command line into options. */
static void tour_parse(struct tour *t, const char *cmdline)
{
	const char *p = cmdline;

	while (*p) {
		const char *w;
		size_t n;

		/* A parameter file edited by hand may end in a newline. */
		while (is_blank(*p))
			p++;
		w = p;
		while (*p && !is_blank(*p))
			p++;
		n = (size_t)(p - w);
		if (n == 0)
			break;
		if (n == 5 && !strncmp(w, "crash", 5))
			t->crash = true;
		else if (n == 4 && !strncmp(w, "fail", 4))
			t->fail = true;
		else if (n == 5 && !strncmp(w, "bench", 5))
			t->bench = true;
		else if (n == 7 && !strncmp(w, "classic", 7))
			t->classic = true;
		else if (n == 12 && !strncmp(w, "console-read", 12))
			t->console_read = true;
		else if (n == 6 && !strncmp(w, "config", 6))
			t->show_config = true;
		else if (n > 5 && !strncmp(w, "seed=", 5)) {
			if (!parse_u32(w + 5, n - 5, &t->seed))
				port_printf("note: seed= takes a decimal number below 2^32; "
					    "keeping %u\n", (unsigned)t->seed);
		} else if (n > 5 && !strncmp(w, "tftp=", 5)) {
			if (n - 5 < sizeof(t->tftp_file)) {
				memcpy(t->tftp_file, w + 5, n - 5);
				t->tftp_file[n - 5] = '\0';
			} else {
				port_printf("note: tftp= takes a file name of at most %u characters\n",
					    (unsigned)sizeof(t->tftp_file) - 1);
			}
		} else if (n > 13 && !strncmp(w, "scsi-hotplug=", 13)) {
			u32 k;

			if (parse_u32(w + 13, n - 13, &k) && k <= TOUR_SCSI_CHANGES_MAX)
				t->scsi_changes = k;
			else
				port_printf("note: scsi-hotplug= takes a number of changes, at most "
					    "%u; no wait\n", TOUR_SCSI_CHANGES_MAX);
		} else if (n > 8 && !strncmp(w, "hotplug=", 8)) {
			u32 secs;

			if (parse_u32(w + 8, n - 8, &secs) && secs <= TOUR_HOTPLUG_MAX_S)
				t->hotplug_s = secs;
			else
				port_printf("note: hotplug= takes seconds, at most %u; no hotplug "
					    "wait\n", TOUR_HOTPLUG_MAX_S);
		} else
			port_printf("note: ignoring unknown option \"%.*s\"\n", (int)n, w);
	}
}

static void tour_line(void *ctx, const char *line)
{
	(void)ctx;
	port_printf("%s\n", line);
}

/*
 * A TEST line for a channel program's outcome; for a failure, the
 * explanation and the program itself (the layer's one-CCW program, when
 * the device d ran one).
 */
static void tour_report(struct tour *t, const char *what, const char *busid, bool ok,
			const struct css_result *res, const char *detail, const struct tour_dev *d)
{
	char name[48], why[160];

	fmt_snprintf(name, sizeof(name), "css.%s.%s", what, busid);
	if (ok) {
		tour_test(t, name, TOUR_PASS, "%s", detail ? detail : "");
		return;
	}
	tour_test(t, name, TOUR_FAIL, "%s", irb_explain(res, why, sizeof(why)));
	if (d) {
		port_printf("  channel program:\n");
		ccwtrace_program(port_dma_addr(&t->css->dma->ccw[0]), true, d->ident.kind, 8,
				 tour_line, NULL);
	}
}

static void tour_probe(struct tour *t, struct tour_dev *d)
{
	struct css_result res;
	struct senseid id;
	char busid[16], detail[96];
	unsigned len = 0;
	int err;

	tour_busid(busid, sizeof(busid), schid_ssid(d->schid), d->devno);
	memset(&res, 0, sizeof(res));
	err = css_enable(t->css, d->schid, d->schid);
	d->enabled = err == 0;
	res.err = err;
	tour_report(t, "enable", busid, !err, &res, NULL, NULL);
	if (err)
		return;

	err = css_sense_id(t->css, d->schid, &id, &len);
	res.err = err;
	if (!err) {
		d->identified = true;
		d->cu_type = be16_to_cpu(id.cu_type);
		d->cu_model = id.cu_model;
		d->dev_type = len >= 6 ? be16_to_cpu(id.dev_type) : 0;
		d->dev_model = len >= 7 ? id.dev_model : 0;
		d->ident = ident_recognise(&id, len);
		fmt_snprintf(detail, sizeof(detail), "CU %04x/%02x, device %04x/%02x, %u bytes: %s",
			     d->cu_type, d->cu_model, d->dev_type, d->dev_model, len, d->ident.name);
	}
	tour_report(t, "sense-id", busid, !err, &res, detail, d);
	if (err)
		return;

	/* A no-operation, and BASIC SENSE (nothing to report, but a round trip). */
	err = css_run1(t->css, d->schid, CCW_CMD_WRITE_NOOP, CCW_FLAG_SLI, 0, NULL,
		       CSS_DEFAULT_TIMEOUT_US, &res);
	tour_report(t, "nop", busid, !err, &res, NULL, d);
	memset(t->buf, 0xA5, SENSE_DATA_LEN);
	err = css_run1(t->css, d->schid, CCW_CMD_BASIC_SENSE, CCW_FLAG_SLI, SENSE_DATA_LEN, t->buf,
		       CSS_DEFAULT_TIMEOUT_US, &res);
	if (!err)
		fmt_snprintf(detail, sizeof(detail), "%u sense bytes, byte 0 = %02x",
			     SENSE_DATA_LEN - res.residual, t->buf[0]);
	tour_report(t, "sense", busid, !err, &res, detail, d);

	/* A command the device does not know must come back "not supported". */
	err = css_run1(t->css, d->schid, TOUR_UNKNOWN_CMD, CCW_FLAG_SLI, 1, t->buf,
		       CSS_DEFAULT_TIMEOUT_US, &res);
	{
		char name[48];

		fmt_snprintf(name, sizeof(name), "css.unknown-command.%s", busid);
		tour_test(t, name, err == -VERR_NOTSUP ? TOUR_PASS : TOUR_FAIL,
			  "command %02x: %s, sense %02x %02x %02x %02x", TOUR_UNKNOWN_CMD,
			  verr_str(err), res.sense[0], res.sense[1], res.sense[2], res.sense[3]);
		if (err != -VERR_NOTSUP)
			ccwtrace_program(port_dma_addr(&t->css->dma->ccw[0]), true, d->ident.kind,
					 8, tour_line, NULL);
	}
}

/* A device's record from its subchannel's SCHIB. */
static void dev_init(struct tour_dev *d, u32 schid, const struct schib *schib)
{
	memset(d, 0, sizeof(*d));
	d->schid = schid;
	d->devno = be16_to_cpu(schib->pmcw.devno);
	d->pim = schib->pmcw.pim;
	d->pam = schib->pmcw.pam;
	d->pom = schib->pmcw.pom;
	memcpy(d->chpid, schib->pmcw.chpid, sizeof(d->chpid));
	d->ident = ident_recognise(NULL, 0);
}

static void tour_found(void *ctx, u32 schid, const struct schib *schib)
{
	struct tour *t = ctx;

	t->total++;
	if (t->ndevs < TOUR_MAX_DEVS)
		dev_init(&t->devs[t->ndevs++], schid, schib);
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

/* Time NOP round trips (SSCH to TSCH) on the first usable device. */
static void tour_bench(struct tour *t)
{
	const struct tour_dev *d = NULL;
	struct ccw1 *prog;
	u64 start, elapsed;
	unsigned i, done;

	for (i = 0; i < t->ndevs && !d; i++)
		if (t->devs[i].enabled && t->devs[i].identified)
			d = &t->devs[i];
	prog = port_dma_alloc(sizeof(*prog), 8);
	if (!d || !prog) {
		tour_test(t, "bench.ssch-tsch-roundtrip", TOUR_SKIP, "no usable device");
		return;
	}
	*prog = ccw1_make(CCW_CMD_WRITE_NOOP, CCW_FLAG_SLI, 0, 0);
	start = port_now_us();
	done = css_roundtrips(t->css, d->schid, prog, TOUR_BENCH_LOOPS);
	elapsed = port_now_us() - start;
	tour_test(t, "bench.ssch-tsch-roundtrip", done == TOUR_BENCH_LOOPS ? TOUR_PASS : TOUR_FAIL,
		  "%u of %u round trips", done, TOUR_BENCH_LOOPS);
	if (port_clock_real())
		port_printf("BENCH image.ssch-tsch-roundtrip %llu ns\n",
			    (unsigned long long)(elapsed * 1000 / TOUR_BENCH_LOOPS));
	else
		port_printf("note: the clock is virtual here, so no figure is printed\n");
}

/* Every check of one device: identity, then its driver's, as the tour does. */
static void tour_device(struct tour *t, struct tour_dev *d)
{
	tour_probe(t, d);
	if (d->identified && d->ident.kind == IDENT_VIRTIO)
		tour_virtio(t, d);
	if (d->identified && d->cu_type == 0x3990 && d->dev_type == 0x3390)
		tour_dasd(t, d);
}

/* A channel report: a device appeared (it is checked as the tour checks
 * its devices) or went away. */
static void tour_crw(void *ctx, u32 schid, bool present)
{
	struct tour *t = ctx;
	struct tour_dev *d = NULL, *slot = NULL;
	struct schib schib;
	char busid[16], name[48];
	unsigned failed;

	for (unsigned i = 0; i < t->ndevs; i++) {
		if (t->devs[i].schid == schid && !t->devs[i].gone)
			d = &t->devs[i];
		else if (t->devs[i].gone && !slot)
			slot = &t->devs[i];
	}
	if (!present) {
		if (!d) {
			tour_busid(busid, sizeof(busid), schid_ssid(schid), schid_schno(schid));
			port_printf("note: subchannel %s went away before the tour knew its device\n",
				    busid);
			return;
		}
		d->gone = true;
		tour_busid(busid, sizeof(busid), schid_ssid(schid), d->devno);
		fmt_snprintf(name, sizeof(name), "css.detach.%s", busid);
		tour_test(t, name, TOUR_PASS, "%s", d->ident.name);
		return;
	}
	/* Known and still there: the report changes nothing for the tour. */
	if (d || css_stsch(t->css, schid, &schib))
		return;
	tour_busid(busid, sizeof(busid), schid_ssid(schid), be16_to_cpu(schib.pmcw.devno));
	fmt_snprintf(name, sizeof(name), "css.attach.%s", busid);
	if (!slot && t->ndevs == TOUR_MAX_DEVS) {
		tour_test(t, name, TOUR_SKIP, "the tour holds %u devices", TOUR_MAX_DEVS);
		return;
	}
	/* The slot of a device that went away, or the next one. */
	d = slot ? slot : &t->devs[t->ndevs++];
	dev_init(d, schid, &schib);
	failed = t->failed;
	tour_device(t, d);
	if (t->failed != failed)
		tour_test(t, name, TOUR_FAIL, "%s: %u of its checks failed", d->ident.name,
			  t->failed - failed);
	else if (!d->identified)
		tour_test(t, name, TOUR_FAIL, "not identified");
	else
		tour_test(t, name, TOUR_PASS, "%s", d->ident.name);
}

/* hotplug=SECONDS: take channel reports for that long, waiting for them
 * (the channel-report machine check), and check each device that comes. */
static void tour_hotplug(struct tour *t)
{
	u64 end;

	port_printf("hotplug: waiting %u s\n", (unsigned)t->hotplug_s);
	css_set_crw_handler(t->css, tour_crw, t);
	end = port_now_us() + (u64)t->hotplug_s * 1000000u;
	while (port_now_us() < end)
		if (port_wait_crw(end))
			css_process_crws(t->css);
	css_set_crw_handler(t->css, NULL, NULL);
	port_printf("hotplug: done\n");
}

int tour_main(struct css *css, const char *cmdline)
{
	static struct tour tour;
	struct tour *t = &tour;

	memset(t, 0, sizeof(*t));
	t->css = css;
	t->seed = 1;
	port_printf("ccw tour\n");
	port_printf("platform: %s\n", port_name());
	port_printf("command line: \"%s\"\n", cmdline);
	tour_parse(t, cmdline);
	if (t->crash) {
		port_printf("crash: executing an invalid instruction on purpose\n");
		port_crash();
	}
	t->buf = port_dma_alloc(256, 8);
	if (!t->buf) {
		tour_test(t, "tour.memory", TOUR_FAIL, "no DMA memory");
		goto out;
	}

	if (css_enable_mss(css) == 0)
		port_printf("subchannel sets: 0 to 3 (multiple-subchannel-set facility enabled)\n");
	else
		port_printf("subchannel sets: 0 (no multiple-subchannel-set facility)\n");
	css_enumerate(css, tour_found, t);
	tour_test(t, "css.enumerate", t->total ? TOUR_PASS : TOUR_FAIL, "%u device%s",
		  t->total, t->total == 1 ? "" : "s");
	/* A machine with more devices than the tour holds: say which are left out. */
	if (t->total > t->ndevs)
		tour_test(t, "css.untested", TOUR_SKIP, "%u of %u devices not probed: the tour "
			  "holds %u", t->total - t->ndevs, t->total, TOUR_MAX_DEVS);
	for (unsigned i = 0; i < t->ndevs; i++)
		tour_probe(t, &t->devs[i]);
	tour_listing(t);
	for (unsigned i = 0; i < t->ndevs; i++)
		if (t->devs[i].identified && t->devs[i].ident.kind == IDENT_VIRTIO)
			tour_virtio(t, &t->devs[i]);
	for (unsigned i = 0; i < t->ndevs; i++)
		if (t->devs[i].identified && t->devs[i].cu_type == 0x3990 &&
		    t->devs[i].dev_type == 0x3390)
			tour_dasd(t, &t->devs[i]);
	if (t->bench)
		tour_bench(t);
	if (t->hotplug_s)
		tour_hotplug(t);
out:
	if (t->fail)
		tour_test(t, "tour.forced-failure", TOUR_FAIL, "the command line asked for a failure");
	port_printf("RESULT: %u passed, %u failed\n", t->passed, t->failed);
	return (int)t->failed;
}
