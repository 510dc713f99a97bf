/* IRB interpretation: the one place that maps final status to an error, and
 * explains it in words. PoP 16 "Interruption-Response Block". */
#include "ccw/irb.h"

#include "ring/fmt.h" /* fmt_vsnprintf */

int irb_error(const struct irb *irb, const u8 *sense, unsigned sense_len)
{
	u16 flags = be16_to_cpu(irb->scsw.flags);
	u16 ctrl = be16_to_cpu(irb->scsw.ctrl);
	u8 dstat = irb->scsw.dstat;
	u8 cstat = irb->scsw.cstat;

	/* Deferred condition code 3: the start never reached the device. */
	if ((ctrl & SCSW_STCTL_ALERT) &&
	    ((flags & SCSW_FLAGS_CC_MASK) >> SCSW_FLAGS_CC_SHIFT) == 3)
		return -VERR_NODEV;
	if (dstat & SCSW_DSTAT_UNIT_CHECK) {
		if (sense && sense_len > 0 && (sense[0] & SENSE0_CMD_REJECT))
			return -VERR_NOTSUP;
		return -VERR_IO;
	}
	if (cstat & (SCSW_CSTAT_PROG_CHECK | SCSW_CSTAT_PROT_CHECK | SCSW_CSTAT_DATA_CHECK |
		     SCSW_CSTAT_CHN_CTRL_CHK | SCSW_CSTAT_INTF_CTRL_CHK | SCSW_CSTAT_CHAIN_CHECK |
		     SCSW_CSTAT_INCORR_LEN))
		return -VERR_IO;
	if (dstat & SCSW_DSTAT_BUSY)
		return -VERR_BUSY;
	if (dstat & SCSW_DSTAT_UNIT_EXCEP)
		return -VERR_IO;
	if (ctrl & SCSW_FCTL_HALT_FUNC)
		return -VERR_TIMEOUT;
	/* A start has ended when the channel and the device both say so:
	 * channel end (primary status) and device end (PoP 16, "Status
	 * Control"). This layer takes the first final status as the end, so
	 * one lacking either has not ended the program, and nothing can be
	 * taken as done. Found by fuzz_drivers: READ_CONF ending with neither
	 * passed stale configuration off as read; VDEV_RESET ending with device
	 * end alone, or with channel end alone, was taken as a reset. */
	if ((dstat & (SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END)) !=
	    (SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END))
		return -VERR_IO;
	return 0;
}

/* Append formatted text to a bounded string; p is the current end. */
static char *append(char *p, char *end, const char *fmt, ...) __printf(3, 4);
static char *append(char *p, char *end, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p >= end)
		return p;
	va_start(ap, fmt);
	n = fmt_vsnprintf(p, (size_t)(end - p), fmt, ap);
	va_end(ap);
	return n < 0 ? p : (p + n < end ? p + n : end - 1);
}

char *irb_explain(const struct css_result *res, char *buf, size_t size)
{
	static const struct {
		u8 bit;
		const char *name;
	} dnames[] = {
		{ SCSW_DSTAT_ATTENTION, "attention" },   { SCSW_DSTAT_STAT_MOD, "status modifier" },
		{ SCSW_DSTAT_CU_END, "control-unit end" }, { SCSW_DSTAT_BUSY, "busy" },
		{ SCSW_DSTAT_UNIT_CHECK, "unit check" },  { SCSW_DSTAT_UNIT_EXCEP, "unit exception" },
	}, cnames[] = {
		{ SCSW_CSTAT_PCI, "PCI" },
		{ SCSW_CSTAT_INCORR_LEN, "incorrect length" },
		{ SCSW_CSTAT_PROG_CHECK, "program check" },
		{ SCSW_CSTAT_PROT_CHECK, "protection check" },
		{ SCSW_CSTAT_DATA_CHECK, "channel-data check" },
		{ SCSW_CSTAT_CHN_CTRL_CHK, "channel-control check" },
		{ SCSW_CSTAT_INTF_CTRL_CHK, "interface-control check" },
		{ SCSW_CSTAT_CHAIN_CHECK, "chaining check" },
	};
	const struct scsw *s = &res->irb.scsw;
	char *p = buf, *end = buf + size;
	const char *sep = "";
	size_t i;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (res->err == -VERR_TIMEOUT || res->err == -VERR_NODEV || res->err == -VERR_BUSY ||
	    res->err == -VERR_INVAL) {
		/* No final IRB: the error says it all. */
		append(p, end, "%s", verr_str(res->err));
		return buf;
	}
	for (i = 0; i < ARRAY_SIZE(dnames); i++) {
		if (s->dstat & dnames[i].bit) {
			p = append(p, end, "%s", sep);
			p = append(p, end, "%s", dnames[i].name);
			sep = ", ";
		}
	}
	if ((s->dstat & SCSW_DSTAT_UNIT_CHECK) && res->sense_len > 0) {
		if (res->sense[0] & SENSE0_CMD_REJECT)
			p = append(p, end, "%s", ", command reject");
		if (res->sense[0] & SENSE0_INTERVENTION_REQ)
			p = append(p, end, "%s", ", intervention required");
		if (res->sense[0] & SENSE0_EQUIPMENT_CHECK)
			p = append(p, end, "%s", ", equipment check");
		if (res->sense[0] & SENSE0_DATA_CHECK)
			p = append(p, end, "%s", ", data check");
		p = append(p, end, " (sense %02x %02x %02x %02x)", res->sense[0], res->sense[1],
			   res->sense[2], res->sense[3]);
	}
	for (i = 0; i < ARRAY_SIZE(cnames); i++) {
		if (s->cstat & cnames[i].bit) {
			p = append(p, end, "%s", sep);
			p = append(p, end, "%s", cnames[i].name);
			sep = ", ";
		}
	}
	if (p == buf)
		p = append(p, end, "%s", res->err ? verr_str(res->err) : "normal ending");
	append(p, end, " (SCSW CCW address 0x%08x, residual %u)", be32_to_cpu(s->cpa),
	       (unsigned)be16_to_cpu(s->count));
	return buf;
}
