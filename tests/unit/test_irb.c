/* ccw/irb.c: final status to error code, and the explanation in words. */
#include <string.h>

#include "ccw/irb.h"
#include "tests/unit/unit.h"

static struct irb make_irb(u16 ctrl, u8 dstat, u8 cstat)
{
	struct irb irb;

	memset(&irb, 0, sizeof(irb));
	irb.scsw.flags = cpu_to_be16(SCSW_FLAGS_FMT);
	irb.scsw.ctrl = cpu_to_be16(ctrl);
	irb.scsw.cpa = cpu_to_be32(0x00012348);
	irb.scsw.dstat = dstat;
	irb.scsw.cstat = cstat;
	return irb;
}

#define FINAL (SCSW_FCTL_START_FUNC | SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY | \
	       SCSW_STCTL_STATUS_PEND)
#define ALERT (FINAL | SCSW_STCTL_ALERT)
#define CEDE (SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END)

/* Channel end and device end with no subchannel status is success. */
static void test_normal_ending(void)
{
	struct irb irb = make_irb(FINAL, CEDE, 0);

	CU_ASSERT_EQUAL(irb_error(&irb, NULL, 0), 0);
}

/* A unit check with sense byte 0 = 0x80 means "not supported". */
static void test_command_reject(void)
{
	static const u8 reject[32] = { SENSE0_CMD_REJECT };
	static const u8 other[32] = { SENSE0_EQUIPMENT_CHECK };
	/* QEMU: UC alone; Hercules: CE DE UC. Both are a command reject. */
	struct irb qemu = make_irb(ALERT, SCSW_DSTAT_UNIT_CHECK, 0);
	struct irb herc = make_irb(ALERT, CEDE | SCSW_DSTAT_UNIT_CHECK, 0);

	CU_ASSERT_EQUAL(irb_error(&qemu, reject, 32), -VERR_NOTSUP);
	CU_ASSERT_EQUAL(irb_error(&herc, reject, 1), -VERR_NOTSUP);
	CU_ASSERT_EQUAL(irb_error(&herc, other, 32), -VERR_IO);
	CU_ASSERT_EQUAL(irb_error(&herc, NULL, 0), -VERR_IO);
}

/* Each channel check, and incorrect length, is an I/O error. */
static void test_channel_checks(void)
{
	static const u8 bits[] = {
		SCSW_CSTAT_INCORR_LEN, SCSW_CSTAT_PROG_CHECK,     SCSW_CSTAT_PROT_CHECK,
		SCSW_CSTAT_DATA_CHECK, SCSW_CSTAT_CHN_CTRL_CHK,   SCSW_CSTAT_INTF_CTRL_CHK,
		SCSW_CSTAT_CHAIN_CHECK,
	};
	size_t i;

	for (i = 0; i < sizeof(bits); i++) {
		struct irb irb = make_irb(ALERT, 0, bits[i]);

		CU_ASSERT_EQUAL(irb_error(&irb, NULL, 0), -VERR_IO);
	}
	/* PCI alone is intermediate information, not an error. */
	{
		struct irb irb = make_irb(FINAL, CEDE, SCSW_CSTAT_PCI);

		CU_ASSERT_EQUAL(irb_error(&irb, NULL, 0), 0);
	}
}

/* Busy, unit exception, deferred cc 3 and a halted start. */
static void test_other_conditions(void)
{
	struct irb busy = make_irb(ALERT, SCSW_DSTAT_BUSY, 0);
	struct irb ue = make_irb(FINAL, CEDE | SCSW_DSTAT_UNIT_EXCEP, 0);
	struct irb cc3 = make_irb(SCSW_FCTL_START_FUNC | SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND,
				  0, 0);
	struct irb halted = make_irb(SCSW_FCTL_START_FUNC | SCSW_FCTL_HALT_FUNC | SCSW_STCTL_PRIMARY |
				     SCSW_STCTL_STATUS_PEND, SCSW_DSTAT_DEV_END, 0);

	cc3.scsw.flags = cpu_to_be16(SCSW_FLAGS_FMT | (3u << SCSW_FLAGS_CC_SHIFT));
	CU_ASSERT_EQUAL(irb_error(&busy, NULL, 0), -VERR_BUSY);
	CU_ASSERT_EQUAL(irb_error(&ue, NULL, 0), -VERR_IO);
	CU_ASSERT_EQUAL(irb_error(&cc3, NULL, 0), -VERR_NODEV);
	CU_ASSERT_EQUAL(irb_error(&halted, NULL, 0), -VERR_TIMEOUT);
	/* Final status lacking channel end or device end (or both) ended
	 * nothing: the device has not said the command is done. */
	{
		struct irb empty = make_irb(FINAL, 0, 0);
		struct irb de_only = make_irb(FINAL, SCSW_DSTAT_DEV_END, 0);
		struct irb ce_only = make_irb(FINAL, SCSW_DSTAT_CHN_END | SCSW_DSTAT_CU_END, 0);

		CU_ASSERT_EQUAL(irb_error(&empty, NULL, 0), -VERR_IO);
		CU_ASSERT_EQUAL(irb_error(&de_only, NULL, 0), -VERR_IO);
		CU_ASSERT_EQUAL(irb_error(&ce_only, NULL, 0), -VERR_IO);
	}
}

/* The explanation names the condition, the sense and the CCW address. */
static void test_explain(void)
{
	struct css_result res;
	char buf[160];

	memset(&res, 0, sizeof(res));
	res.irb = make_irb(ALERT, SCSW_DSTAT_UNIT_CHECK, 0);
	res.sense[0] = SENSE0_CMD_REJECT;
	res.sense_len = 32;
	res.err = -VERR_NOTSUP;
	irb_explain(&res, buf, sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "unit check"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "command reject"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "sense 80 00 00 00"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "0x00012348"));

	res.irb = make_irb(ALERT, 0, SCSW_CSTAT_PROG_CHECK);
	res.sense_len = 0;
	res.err = -VERR_IO;
	irb_explain(&res, buf, sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "program check"));

	res.err = -VERR_TIMEOUT;
	irb_explain(&res, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "timed out");

	res.irb = make_irb(FINAL, CEDE, 0);
	res.err = 0;
	irb_explain(&res, buf, sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "normal ending"));
}

/* A short buffer gets a terminated prefix, never an overflow. */
static void test_explain_short_buffer(void)
{
	struct css_result res;
	char buf[12];

	memset(&res, 0, sizeof(res));
	res.irb = make_irb(ALERT, SCSW_DSTAT_UNIT_CHECK | SCSW_DSTAT_BUSY, SCSW_CSTAT_PROG_CHECK);
	res.err = -VERR_IO;
	memset(buf, 'x', sizeof(buf));
	irb_explain(&res, buf, sizeof(buf));
	CU_ASSERT_EQUAL(strlen(buf), sizeof(buf) - 1);
	CU_ASSERT_EQUAL(strncmp(buf, "busy, unit", 10), 0);
}

static CU_TestInfo irb_tests[] = {
	{ "channel end and device end alone is a normal ending", test_normal_ending },
	{ "unit check with command reject means not supported", test_command_reject },
	{ "every channel check and incorrect length is an I/O error", test_channel_checks },
	{ "busy, unit exception, deferred cc 3 and halt map to their errors", test_other_conditions },
	{ "the explanation names status, sense and CCW address", test_explain },
	{ "the explanation stays inside a short buffer", test_explain_short_buffer },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo irb_suite = { "irb", NULL, NULL, NULL, NULL, irb_tests };
