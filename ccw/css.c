/*
 * Channel-subsystem layer: subchannel sets, enable and disable, the
 * channel-program choke point, sense and recovery, foreign and stale
 * interruptions, channel reports. PoP chapters 14-17;
 * reference/ccw-virtio-checklist.md section A; reference/platforms.md 11
 * and 13 (QEMU's stale interruptions, Hercules' slow polling).
 */
#include "ccw/css.h"

#include "ccw/ioasm.h" /* the I/O instructions */
#include "ccw/port.h"  /* DMA memory, clock, waits */

/* Bounded loops. */
#define CSS_ENABLE_TRIES 5
#define CSS_START_TRIES 8
#define CSS_DRAIN_MAX 16
#define CSS_CRW_MAX 64
/* A halt or clear gets this long before the layer gives up on it. */
#define CSS_HALT_TIMEOUT_US 500000u
/* Polling fallback: the wait is cut into slices growing to this. */
#define CSS_SLICE_MIN_US 1000u
#define CSS_SLICE_MAX_US 100000u

/* CHSC (PoP 14 and Linux's chsc.h): request and response headers. */
#define CHSC_SCSC 0x0010
#define CHSC_SDA 0x0031
#define CHSC_SDA_OC_MSS 0x0002
#define CHSC_RESP_OK 0x0001

struct chsc_header {
	be16 len;
	be16 code;
};

/* The SCSW control bits that mean "this start function has ended". */
#define SCSW_FINAL_STATUS (SCSW_STCTL_PRIMARY | SCSW_STCTL_ALERT)

/* The end of what 31-bit data addresses reach (PoP 15). */
#define CSS_ADDR31_END 0x80000000ull

int css_init(struct css *css)
{
	memset(css, 0, sizeof(*css));
	css->dma = port_dma_alloc(sizeof(*css->dma), 8);
	css->chsc_page = port_dma_alloc(4096, 4096);
	if (!css->dma || !css->chsc_page)
		return -VERR_NOMEM;
	css->isc = CSS_DEFAULT_ISC;
	css->csense = true;
	return 0;
}

void css_set_unsolicited_handler(struct css *css, css_unsolicited_fn fn, void *ctx)
{
	css->on_unsolicited = fn;
	css->unsolicited_ctx = ctx;
}

void css_set_crw_handler(struct css *css, css_crw_fn fn, void *ctx)
{
	css->on_crw = fn;
	css->crw_ctx = ctx;
}

/* --- CHSC ------------------------------------------------------------------ */

/* Issue the CHSC command in the layer's page; the response code, or 0 when refused. */
static u16 css_chsc(struct css *css, u16 code, u16 len, u32 param0)
{
	u8 *page = css->chsc_page;
	struct chsc_header *req = (struct chsc_header *)page;
	const struct chsc_header *resp = (const struct chsc_header *)(page + len);
	int cc;

	memset(page, 0, 4096);
	req->len = cpu_to_be16(len);
	req->code = cpu_to_be16(code);
	*(be32 *)(page + 4) = cpu_to_be32(param0);
	cc = chsc(page);
	if (cc != 0)
		return 0; /* a program exception (no CHSC), or busy */
	return be16_to_cpu(resp->code);
}

int css_enable_mss(struct css *css)
{
	/* Set domain attributes, operation code 2 (multiple subchannel sets),
	 * with Linux's 1 KiB request block. */
	if (css_chsc(css, CHSC_SDA, 0x0400, CHSC_SDA_OC_MSS) != CHSC_RESP_OK)
		return -VERR_NOTSUP;
	css->max_ssid = 3;
	return 0;
}

int css_characteristics(struct css *css, u32 *general, unsigned n)
{
	const u8 *page = css->chsc_page;
	unsigned i;

	if (css_chsc(css, CHSC_SCSC, 0x0010, 0) != CHSC_RESP_OK)
		return -VERR_NOTSUP;
	/* The response header (8 bytes) follows the 16-byte request. */
	for (i = 0; i < n && i < 8; i++)
		general[i] = be32_to_cpu(*(const be32 *)(page + 0x10 + 8 + 4 * i));
	return 0;
}

/* --- Subchannels -------------------------------------------------------------- */

int css_stsch(struct css *css, u32 schid, struct schib *out)
{
	if (stsch(schid, &css->dma->schib) == CSS_CC3)
		return -VERR_NODEV;
	*out = css->dma->schib;
	return 0;
}

unsigned css_enumerate(struct css *css, css_enum_fn fn, void *ctx)
{
	unsigned found = 0;

	for (unsigned ssid = 0; ssid <= css->max_ssid; ssid++) {
		for (unsigned schno = 0; schno <= SCHID_SCHNO_MASK; schno++) {
			u32 schid = schid_make(ssid, schno);
			struct schib schib;

			if (css_stsch(css, schid, &schib))
				break;
			if (!(be16_to_cpu(schib.pmcw.flags) & PMCW_FLAGS_DNV) ||
			    (be32_to_cpu(schib.pmcw.chars) & PMCW_CHARS_ST_MASK))
				continue;
			found++;
			if (fn)
				fn(ctx, schid, &schib);
		}
	}
	return found;
}

/* Hand status that nobody waited for to the unsolicited handler. */
static void dispatch_unsolicited(struct css *css, u32 schid, const struct irb *irb)
{
	struct irb copy = *irb;

	if (css->on_unsolicited)
		css->on_unsolicited(css->unsolicited_ctx, schid, &copy);
}

/* Clear pending status on schid; false when not operational. */
static bool css_drain_status(struct css *css, u32 schid)
{
	enum css_cc cc = tsch(schid, &css->dma->irb);

	if (cc == CSS_CC0) {
		css->stats.stale++;
		dispatch_unsolicited(css, schid, &css->dma->irb);
	}
	return cc != CSS_CC3;
}

/* MSCH with a bounded retry; verifies the enabled bit, ISC and sense mode. */
static int css_modify(struct css *css, u32 schid, bool want_ena, u32 intparm)
{
	struct schib *s = &css->dma->schib;
	int i;

	/* One round more than there are MSCH tries: the last round only
	 * verifies, so a change the last MSCH made is not called busy. */
	for (i = 0; i <= CSS_ENABLE_TRIES; i++) {
		u16 flags;
		u32 chars;
		enum css_cc cc;

		if (stsch(schid, s) == CSS_CC3)
			return -VERR_NODEV;
		flags = be16_to_cpu(s->pmcw.flags);
		chars = be32_to_cpu(s->pmcw.chars);
		if (!(flags & PMCW_FLAGS_DNV))
			return -VERR_NODEV;
		if (!want_ena && !(flags & PMCW_FLAGS_ENA))
			return 0;
		if (want_ena && (flags & PMCW_FLAGS_ENA) &&
		    ((flags & PMCW_FLAGS_ISC_MASK) >> PMCW_FLAGS_ISC_SHIFT) == css->isc &&
		    !!(chars & PMCW_CHARS_CSENSE) == css->csense)
			return 0;
		if (i == CSS_ENABLE_TRIES)
			break;
		flags &= (u16)~(PMCW_FLAGS_ISC_MASK | PMCW_FLAGS_ENA | PMCW_FLAGS_RESERVED |
				PMCW_FLAGS_BIT5);
		chars &= PMCW_CHARS_ST_MASK | PMCW_CHARS_MBFC;
		if (want_ena) {
			flags |= PMCW_FLAGS_ENA | (u16)(css->isc << PMCW_FLAGS_ISC_SHIFT);
			s->pmcw.intparm = cpu_to_be32(intparm);
			if (css->csense)
				chars |= PMCW_CHARS_CSENSE;
		}
		s->pmcw.flags = cpu_to_be16(flags);
		s->pmcw.chars = cpu_to_be32(chars);
		cc = msch(schid, s);
		if (cc == CSS_CC3)
			return -VERR_NODEV;
		if (cc == CSS_CC1 && !css_drain_status(css, schid))
			return -VERR_NODEV;
		/* cc 0: verify on the next round; cc 2 (busy): retry. */
	}
	return -VERR_BUSY;
}

int css_enable(struct css *css, u32 schid, u32 intparm)
{
	return css_modify(css, schid, true, intparm);
}

int css_disable(struct css *css, u32 schid)
{
	return css_modify(css, schid, false, 0);
}

/* --- Interruptions -------------------------------------------------------------- */

static void note_foreign(struct css *css, u32 schid)
{
	unsigned i;

	css->stats.foreign++;
	for (i = 0; i < css->nforeign; i++)
		if (css->foreign[i] == schid)
			return;
	if (css->nforeign < CSS_MAX_FOREIGN)
		css->foreign[css->nforeign++] = schid;
	/* A full list loses the note, not the status: it stays pending on
	 * its subchannel and surfaces at the next start there. */
}

/* Sort an interruption the CPU took; true when it is schid's. */
static bool classify(struct css *css, u32 schid, const struct port_irq *irq)
{
	if (irq->iid & IO_INT_WORD_AI) {
		css->stats.adapter++;
		css->adapter_iscs |= (u8)(0x80u >> ((irq->iid & IO_INT_WORD_ISC_MASK) >>
						   IO_INT_WORD_ISC_SHIFT));
		return false;
	}
	if (irq->schid != schid) {
		note_foreign(css, irq->schid);
		return false;
	}
	return true;
}

void css_note_interrupt(struct css *css, const struct port_irq *irq)
{
	classify(css, 0, irq);
}

int css_collect(struct css *css, u32 schid, struct irb *irb)
{
	enum css_cc cc = tsch(schid, &css->dma->irb);

	if (cc == CSS_CC3)
		return -VERR_NODEV;
	if (cc != CSS_CC0)
		return 0;
	*irb = css->dma->irb;
	return 1;
}

bool css_take_adapter(struct css *css, unsigned isc)
{
	u8 bit = (u8)(0x80u >> (isc & 7));
	bool seen = css->adapter_iscs & bit;

	css->adapter_iscs &= (u8)~bit;
	return seen;
}

/*
 * Dequeue interruptions left over by polled completions: QEMU keeps one
 * floating interruption per completed program even after TSCH
 * (reference/platforms.md 13, item 1). Ours are dropped, others noted.
 */
static void drain_stale(struct css *css, u32 schid)
{
	struct tpi_info *t = &css->dma->tpi;
	int i;

	for (i = 0; i < CSS_DRAIN_MAX && tpi(t) == CSS_CC1; i++) {
		struct port_irq irq = { be32_to_cpu(t->schid), be32_to_cpu(t->intparm), 0 };

		if (irq.schid == 0) {
			/* An adapter interruption has no subchannel. */
			css->adapter_iscs |= 0xFF;
			css->stats.adapter++;
		} else if (irq.schid == schid) {
			/* Ours, already collected by TSCH: stale whatever its
			 * interruption parameter (intparm or an older one). */
			css->stats.stale++;
		} else {
			note_foreign(css, irq.schid);
		}
	}
}

void css_poll_foreign(struct css *css)
{
	while (css->nforeign) {
		u32 schid = css->foreign[--css->nforeign];

		if (tsch(schid, &css->dma->irb) == CSS_CC0)
			dispatch_unsolicited(css, schid, &css->dma->irb);
	}
}

/* --- The choke point ------------------------------------------------------------ */

/* Wait for any status on schid after a halt or clear, bounded. */
static bool wait_any_status(struct css *css, u32 schid, u64 deadline)
{
	struct port_irq irq;

	for (;;) {
		if (tsch(schid, &css->dma->irb) == CSS_CC0) {
			/* Found by polling: QEMU keeps the interruption queued. */
			drain_stale(css, schid);
			return true;
		}
		if (port_now_us() >= deadline)
			return false;
		if (port_wait_io(MIN(deadline, port_now_us() + CSS_SLICE_MIN_US), &irq))
			classify(css, schid, &irq);
	}
}

/* Halt, then clear, a subchannel whose program overran its deadline. */
static void css_cancel(struct css *css, u32 schid)
{
	css->stats.timeouts++;
	if (hsch(schid) == CSS_CC0 &&
	    wait_any_status(css, schid, port_now_us() + CSS_HALT_TIMEOUT_US))
		return;
	if (csch(schid) == CSS_CC0)
		wait_any_status(css, schid, port_now_us() + CSS_HALT_TIMEOUT_US);
}

/* Whether an IRB is the final status of a start function. */
static bool final_status(const struct irb *irb)
{
	u16 ctrl = be16_to_cpu(irb->scsw.ctrl);

	return (ctrl & SCSW_FCTL_START_FUNC) && (ctrl & SCSW_STCTL_STATUS_PEND) &&
	       (ctrl & SCSW_FINAL_STATUS);
}

/* Start and wait, without sense handling. 0 with *out final, or an error. */
static int start_wait(struct css *css, u32 schid, const struct ccw1 *prog, u64 timeout_us,
		      struct irb *out)
{
	struct css_dma *d = css->dma;
	u64 addr = port_dma_addr(prog);
	u64 deadline = port_now_us() + timeout_us;
	u64 slice = CSS_SLICE_MIN_US;
	u32 intparm;
	bool interrupted = false;
	enum css_cc cc = CSS_CC1;
	int tries;

	/* Our own bug if a channel program is not addressable. */
	if (addr == 0 || addr >= 0x80000000u || !IS_ALIGNED(addr, 8))
		return -VERR_INVAL;
	intparm = ++css->seq ? css->seq : ++css->seq;

	memset(&d->orb, 0, sizeof(d->orb));
	d->orb.intparm = cpu_to_be32(intparm);
	d->orb.ctrl = cpu_to_be32(ORB_CTRL_FMT | (0xFFu << ORB_CTRL_LPM_SHIFT));
	d->orb.cpa = cpu_to_be32((u32)addr);

	for (tries = 0; tries < CSS_START_TRIES; tries++) {
		cc = ssch(schid, &d->orb);
		if (cc == CSS_CC0 || cc == CSS_CC3)
			break;
		if (cc == CSS_CC1) {
			/* Status left over from earlier: hand it on, start again. */
			if (!css_drain_status(css, schid))
				return -VERR_NODEV;
		} else {
			struct port_irq irq;

			/* Busy with an earlier function: let it end. */
			if (port_now_us() >= deadline)
				break;
			if (port_wait_io(MIN(deadline, port_now_us() + CSS_SLICE_MIN_US), &irq))
				classify(css, schid, &irq);
		}
	}
	if (cc == CSS_CC3)
		return -VERR_NODEV;
	if (cc != CSS_CC0)
		return -VERR_BUSY;
	css->stats.starts++;

	for (;;) {
		struct port_irq irq;

		cc = tsch(schid, &d->irb);
		if (cc == CSS_CC3)
			return -VERR_NODEV;
		if (cc == CSS_CC0) {
			/* Final status, including busy at selection and a
			 * deferred condition code (alert with the start). */
			if (final_status(&d->irb)) {
				*out = d->irb;
				if (!interrupted) {
					css->stats.polls++;
					drain_stale(css, schid);
				}
				return 0;
			}
			/* Unsolicited status is somebody else's news. */
			if (!(be16_to_cpu(d->irb.scsw.ctrl) & SCSW_FCTL_MASK))
				dispatch_unsolicited(css, schid, &d->irb);
			/* Intermediate status (PCI, suspension): wait on. */
			continue;
		}
		if (port_now_us() >= deadline) {
			css_cancel(css, schid);
			return -VERR_TIMEOUT;
		}
		/* The polling fallback: never sleep longer than a slice. */
		if (port_wait_io(MIN(deadline, port_now_us() + slice), &irq)) {
			if (classify(css, schid, &irq)) {
				css->stats.interrupts++;
				interrupted = true;
				if (irq.intparm != intparm)
					css->stats.stale++;
			}
		} else if (slice < CSS_SLICE_MAX_US) {
			slice *= 2;
		}
	}
}

/*
 * Bytes of concurrent-sense data in the ECW: the E flag plus the ERW's S
 * bit (PoP 16, "Extended-Report Word"). Hercules sets E alone with a true
 * sense count; QEMU sets L and E and puts its count where the ERW has none,
 * so a zero count means the whole ECW.
 */
static unsigned concurrent_sense_len(const struct irb *irb)
{
	u32 erw = be32_to_cpu(irb->esw[1]);
	unsigned n;

	if (!(be16_to_cpu(irb->scsw.flags) & SCSW_FLAGS_ECTL) || !(erw & ESW_ERW_CONS))
		return 0;
	n = (erw & ESW_ERW_SCNT_MASK) >> ESW_ERW_SCNT_SHIFT;
	return n && n < SENSE_DATA_LEN ? n : SENSE_DATA_LEN;
}

/* Collect sense data after a unit check: the ECW, or BASIC SENSE. */
static void collect_sense(struct css *css, u32 schid, u64 timeout_us, struct css_result *res)
{
	struct css_dma *d = css->dma;
	struct irb sirb;
	unsigned n = concurrent_sense_len(&res->irb);
	u32 cda;

	if (n) {
		memcpy(res->sense, res->irb.ecw, n);
		res->sense_len = n;
		return;
	}
	memset(d->sense, 0, sizeof(d->sense));
	/* The layer's own scratch: port_dma_alloc() memory, below 2 GiB. */
	if (css_addr31(d->sense, SENSE_DATA_LEN, &cda))
		return;
	d->ccw[1] = ccw1_make(CCW_CMD_BASIC_SENSE, CCW_FLAG_SLI, SENSE_DATA_LEN, cda);
	if (start_wait(css, schid, &d->ccw[1], timeout_us, &sirb) == 0 &&
	    !(sirb.scsw.dstat & SCSW_DSTAT_UNIT_CHECK) &&
	    !(sirb.scsw.cstat & ~SCSW_CSTAT_INCORR_LEN)) {
		u16 resid = be16_to_cpu(sirb.scsw.count);

		res->sense_len = resid < SENSE_DATA_LEN ? SENSE_DATA_LEN - resid : 0;
		memcpy(res->sense, d->sense, SENSE_DATA_LEN);
	}
}

/* Conditions worth another start: busy, and transient channel checks. */
static bool retryable(const struct css_result *res)
{
	if (res->err == -VERR_BUSY)
		return true;
	return res->err == -VERR_IO &&
	       (res->irb.scsw.cstat & (SCSW_CSTAT_CHN_CTRL_CHK | SCSW_CSTAT_INTF_CTRL_CHK)) &&
	       !(res->irb.scsw.dstat & SCSW_DSTAT_UNIT_CHECK);
}

int css_run(struct css *css, u32 schid, const struct ccw1 *prog, u64 timeout_us,
	    struct css_result *res)
{
	struct css_result local;
	unsigned attempt;

	if (!res)
		res = &local;
	for (attempt = 0;; attempt++) {
		memset(res, 0, sizeof(*res));
		res->err = start_wait(css, schid, prog, timeout_us, &res->irb);
		if (!res->err) {
			res->residual = be16_to_cpu(res->irb.scsw.count);
			if (res->irb.scsw.dstat & SCSW_DSTAT_UNIT_CHECK)
				collect_sense(css, schid, timeout_us, res);
			res->err = irb_error(&res->irb, res->sense, res->sense_len);
		}
		if (!retryable(res) || attempt >= CSS_RETRIES)
			break;
		css->stats.retries++;
	}
	if (css->nforeign)
		css_poll_foreign(css);
	return res->err;
}

int css_addr31(const void *p, size_t len, u32 *addr)
{
	u64 a;

	*addr = 0;
	if (!p)
		return 0;
	a = port_dma_addr(p);
	if (a > CSS_ADDR31_END || len > CSS_ADDR31_END - a)
		return -VERR_RANGE;
	*addr = (u32)a;
	return 0;
}

int css_run1(struct css *css, u32 schid, u8 cmd, u8 flags, u16 count, void *data,
	     u64 timeout_us, struct css_result *res)
{
	struct css_dma *d = css->dma;
	u32 cda;

	if (css_addr31(data, count, &cda)) {
		if (res) {
			memset(res, 0, sizeof(*res));
			res->err = -VERR_RANGE;
		}
		return -VERR_RANGE;
	}
	d->ccw[0] = ccw1_make(cmd, flags, count, cda);
	return css_run(css, schid, &d->ccw[0], timeout_us, res);
}

int css_sense_id(struct css *css, u32 schid, struct senseid *id, unsigned *len)
{
	struct css_dma *d = css->dma;
	struct css_result res;
	unsigned n;
	int err;

	memset(&d->id, 0, sizeof(d->id));
	err = css_run1(css, schid, CCW_CMD_SENSE_ID, CCW_FLAG_SLI, sizeof(d->id), &d->id,
		       CSS_DEFAULT_TIMEOUT_US, &res);
	if (err)
		return err;
	n = res.residual <= sizeof(d->id) ? sizeof(d->id) - res.residual : 0;
	if (n < 4 || d->id.reserved != SENSEID_RESERVED_FF)
		return -VERR_PROTO;
	*id = d->id;
	*len = n;
	return 0;
}

unsigned css_roundtrips(struct css *css, u32 schid, const struct ccw1 *prog, unsigned n)
{
	struct css_dma *d = css->dma;
	u64 addr = port_dma_addr(prog);
	unsigned i, ok = 0, drained = 0;

	if (addr == 0 || addr >= 0x80000000u || !IS_ALIGNED(addr, 8))
		return 0;
	memset(&d->orb, 0, sizeof(d->orb));
	d->orb.intparm = cpu_to_be32(++css->seq ? css->seq : ++css->seq);
	d->orb.ctrl = cpu_to_be32(ORB_CTRL_FMT | (0xFFu << ORB_CTRL_LPM_SHIFT));
	d->orb.cpa = cpu_to_be32((u32)addr);
	for (i = 0; i < n; i++) {
		u64 deadline = port_now_us() + CSS_DEFAULT_TIMEOUT_US;
		enum css_cc cc;

		if (ssch(schid, &d->orb) != CSS_CC0)
			break;
		while ((cc = tsch(schid, &d->irb)) == CSS_CC1) {
			struct port_irq irq;

			if (port_now_us() >= deadline)
				break;
			if (port_wait_io(MIN(deadline, port_now_us() + CSS_SLICE_MIN_US), &irq))
				classify(css, schid, &irq);
		}
		if (cc != CSS_CC0)
			break;
		if (final_status(&d->irb) && d->irb.scsw.dstat == (SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END) &&
		    !d->irb.scsw.cstat)
			ok++;
	}
	/* QEMU leaves one interruption per polled completion: take them all. */
	while (drained < n + CSS_DRAIN_MAX && tpi(&d->tpi) == CSS_CC1)
		drained++;
	css->stats.stale += drained;
	return ok;
}

/* --- Channel reports -------------------------------------------------------------- */

unsigned css_process_crws(struct css *css)
{
	unsigned n = 0;
	u32 pending_schno = 0;
	bool chained = false;

	while (n < CSS_CRW_MAX && stcrw(&css->dma->crw) == CSS_CC0) {
		u32 w = be32_to_cpu(css->dma->crw);
		unsigned rsc = (w & CRW_RSC_MASK) >> CRW_RSC_SHIFT;
		u32 schid;
		struct schib schib;
		bool present;

		n++;
		if (rsc != CRW_RSC_SUBCH)
			continue;
		if (chained) {
			/* The second of a pair: its RSID carries the set. */
			schid = schid_make((w & CRW_RSID_MASK) >> 4 & 3, pending_schno);
			chained = false;
		} else if (w & CRW_C) {
			pending_schno = w & CRW_RSID_MASK;
			chained = true;
			continue;
		} else {
			schid = schid_make(0, w & CRW_RSID_MASK);
		}
		present = css_stsch(css, schid, &schib) == 0 &&
			  (be16_to_cpu(schib.pmcw.flags) & PMCW_FLAGS_DNV);
		if (css->on_crw)
			css->on_crw(css->crw_ctx, schid, present);
	}
	return n;
}
