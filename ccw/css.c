/* Channel-subsystem layer: subchannels, the channel-program choke point, sense. */
#include "ccw/css.h"

#include "ccw/ioasm.h" /* stsch, msch, ssch, tsch, hsch, csch */
#include "ccw/port.h"  /* port_dma_alloc, port_dma_addr, port_now_us, port_wait_io */

/* Bounded retries: MSCH that does not take, SSCH finding stale status. */
#define CSS_ENABLE_TRIES 5
#define CSS_START_TRIES 8
/* How long a halt or clear may take before giving up, in microseconds. */
#define CSS_HALT_TIMEOUT_US 500000u

/* The SCSW control bits that mean "the start function has ended". */
#define SCSW_FINAL_STATUS (SCSW_STCTL_PRIMARY | SCSW_STCTL_ALERT)

int css_init(struct css *css)
{
	css->dma = port_dma_alloc(sizeof(*css->dma), 8);
	if (!css->dma)
		return -VERR_NOMEM;
	memset(css->dma, 0, sizeof(*css->dma));
	css->seq = 0;
	css->isc = CSS_DEFAULT_ISC;
	css->stale = 0;
	return 0;
}

int css_stsch(struct css *css, u32 schid, struct schib *out)
{
	if (stsch(schid, &css->dma->schib) == CSS_CC3)
		return -VERR_NODEV;
	*out = css->dma->schib;
	return 0;
}

/* Clear whatever status is pending on schid; returns false when not operational. */
static bool css_drain_status(struct css *css, u32 schid)
{
	enum css_cc cc = tsch(schid, &css->dma->irb);

	if (cc == CSS_CC0)
		css->stale++;
	return cc != CSS_CC3;
}

/* MSCH with a bounded retry; verify compares the ENA bit with want_ena. */
static int css_modify(struct css *css, u32 schid, bool want_ena, u32 intparm)
{
	struct schib *s = &css->dma->schib;
	int i;

	for (i = 0; i < CSS_ENABLE_TRIES; i++) {
		u16 flags;
		enum css_cc cc;

		if (stsch(schid, s) == CSS_CC3)
			return -VERR_NODEV;
		flags = be16_to_cpu(s->pmcw.flags);
		if (!(flags & PMCW_FLAGS_DNV))
			return -VERR_NODEV;
		if (!!(flags & PMCW_FLAGS_ENA) == want_ena && (!want_ena ||
		    ((flags & PMCW_FLAGS_ISC_MASK) >> PMCW_FLAGS_ISC_SHIFT) == css->isc))
			return 0;
		flags &= (u16)~(PMCW_FLAGS_ISC_MASK | PMCW_FLAGS_ENA);
		if (want_ena) {
			flags |= PMCW_FLAGS_ENA | (u16)(css->isc << PMCW_FLAGS_ISC_SHIFT);
			s->pmcw.intparm = cpu_to_be32(intparm);
		}
		s->pmcw.flags = cpu_to_be16(flags);
		cc = msch(schid, s);
		if (cc == CSS_CC3)
			return -VERR_NODEV;
		if (cc == CSS_CC1 && !css_drain_status(css, schid))
			return -VERR_NODEV;
		/* cc 0: verify on the next round; cc 2 (busy): just retry. */
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

/* Halt, then clear, a subchannel whose program overran its deadline. */
static void css_cancel(struct css *css, u32 schid)
{
	struct irb *irb = &css->dma->irb;
	u64 deadline;

	if (hsch(schid) == CSS_CC0) {
		deadline = port_now_us() + CSS_HALT_TIMEOUT_US;
		do {
			if (tsch(schid, irb) == CSS_CC0)
				return;
		} while (port_wait_io(deadline));
		if (tsch(schid, irb) == CSS_CC0)
			return;
	}
	if (csch(schid) != CSS_CC0)
		return;
	deadline = port_now_us() + CSS_HALT_TIMEOUT_US;
	do {
		if (tsch(schid, irb) == CSS_CC0)
			return;
	} while (port_wait_io(deadline));
}

/* Whether the IRB carries concurrent-sense data in its ECW. */
static bool irb_has_concurrent_sense(const struct irb *irb)
{
	return (be16_to_cpu(irb->scsw.flags) & SCSW_FLAGS_ESWF) &&
	       (be32_to_cpu(irb->esw[1]) & ESW_ERW_CONS);
}

/* Start and wait, without sense handling. Returns 0 with *irb final, or an error. */
static int css_start_wait(struct css *css, u32 schid, const struct ccw1 *prog,
			  u64 timeout_us, struct irb *out)
{
	struct css_dma *d = css->dma;
	u64 addr = port_dma_addr(prog);
	u64 deadline = port_now_us() + timeout_us;
	u32 intparm = ++css->seq ? css->seq : ++css->seq;
	enum css_cc cc = CSS_CC1;
	int tries;

	/* Our own bug if a channel program is not addressable. */
	if (addr == 0 || addr >= 0x80000000u || !IS_ALIGNED(addr, 8))
		return -VERR_INVAL;

	memset(&d->orb, 0, sizeof(d->orb));
	d->orb.intparm = cpu_to_be32(intparm);
	d->orb.ctrl = cpu_to_be32(ORB_CTRL_FMT | (0xFFu << ORB_CTRL_LPM_SHIFT));
	d->orb.cpa = cpu_to_be32((u32)addr);

	for (tries = 0; tries < CSS_START_TRIES; tries++) {
		cc = ssch(schid, &d->orb);
		if (cc == CSS_CC0 || cc == CSS_CC3)
			break;
		if (cc == CSS_CC1) {
			/* Status left over from earlier: take it and start again. */
			if (!css_drain_status(css, schid))
				return -VERR_NODEV;
		} else if (!port_wait_io(MIN(deadline, port_now_us() + 1000))) {
			if (port_now_us() >= deadline)
				break;
		}
	}
	if (cc == CSS_CC3)
		return -VERR_NODEV;
	if (cc != CSS_CC0)
		return -VERR_BUSY;

	for (;;) {
		cc = tsch(schid, &d->irb);
		if (cc == CSS_CC3)
			return -VERR_NODEV;
		if (cc == CSS_CC0) {
			u16 ctrl = be16_to_cpu(d->irb.scsw.ctrl);

			/* Final status of our start function; anything else
			 * (intermediate status, unsolicited alert) is noted and
			 * waited past. */
			if ((ctrl & SCSW_FCTL_MASK) && (ctrl & SCSW_FINAL_STATUS)) {
				*out = d->irb;
				return 0;
			}
			continue;
		}
		if (!port_wait_io(deadline)) {
			/* One last look before declaring the timeout. */
			if (tsch(schid, &d->irb) == CSS_CC0 &&
			    (be16_to_cpu(d->irb.scsw.ctrl) & SCSW_FINAL_STATUS)) {
				*out = d->irb;
				return 0;
			}
			css_cancel(css, schid);
			return -VERR_TIMEOUT;
		}
	}
}

int css_run(struct css *css, u32 schid, const struct ccw1 *prog, u64 timeout_us,
	    struct css_result *res)
{
	struct css_result local;
	struct css_dma *d = css->dma;
	int err;

	if (!res)
		res = &local;
	memset(res, 0, sizeof(*res));
	err = css_start_wait(css, schid, prog, timeout_us, &res->irb);
	if (err) {
		res->err = err;
		return err;
	}
	res->residual = be16_to_cpu(res->irb.scsw.count);
	if (res->irb.scsw.dstat & SCSW_DSTAT_UNIT_CHECK) {
		if (irb_has_concurrent_sense(&res->irb)) {
			memcpy(res->sense, res->irb.ecw, SENSE_DATA_LEN);
			res->sense_len = SENSE_DATA_LEN;
		} else {
			struct irb sirb;

			memset(d->sense, 0, sizeof(d->sense));
			d->ccw[1] = ccw1_make(CCW_CMD_BASIC_SENSE, CCW_FLAG_SLI, SENSE_DATA_LEN,
					      (u32)port_dma_addr(d->sense));
			if (css_start_wait(css, schid, &d->ccw[1], timeout_us, &sirb) == 0 &&
			    !(sirb.scsw.dstat & SCSW_DSTAT_UNIT_CHECK) &&
			    !(sirb.scsw.cstat & ~SCSW_CSTAT_INCORR_LEN)) {
				u16 resid = be16_to_cpu(sirb.scsw.count);

				res->sense_len = resid < SENSE_DATA_LEN ? SENSE_DATA_LEN - resid : 0;
				memcpy(res->sense, d->sense, SENSE_DATA_LEN);
			}
		}
	}
	res->err = irb_error(&res->irb, res->sense, res->sense_len);
	return res->err;
}

int css_sense_id(struct css *css, u32 schid, struct senseid *id, unsigned *len)
{
	struct css_dma *d = css->dma;
	struct css_result res;
	unsigned n;
	int err;

	memset(&d->id, 0, sizeof(d->id));
	d->ccw[0] = ccw1_make(CCW_CMD_SENSE_ID, CCW_FLAG_SLI, sizeof(d->id),
			      (u32)port_dma_addr(&d->id));
	err = css_run(css, schid, &d->ccw[0], CSS_DEFAULT_TIMEOUT_US, &res);
	if (err)
		return err;
	n = res.residual <= sizeof(d->id) ? sizeof(d->id) - res.residual : 0;
	if (n < 4 || d->id.reserved != SENSEID_RESERVED_FF)
		return -VERR_PROTO;
	*id = d->id;
	*len = n;
	return 0;
}
