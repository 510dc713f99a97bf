/* ccw/ident.c: recognition of the SENSE ID answers QEMU and Hercules give. */
#include <string.h>

#include "ccw/ident.h"
#include "tests/unit/unit.h"

static struct ident recognise(const u8 *bytes, unsigned len)
{
	struct senseid id;

	memset(&id, 0, sizeof(id));
	memcpy(&id, bytes, len);
	return ident_recognise(&id, len);
}

/* QEMU 7.2's four virtio devices: CU 3832, model = virtio id. */
static void test_virtio(void)
{
	static const struct {
		u8 model;
		const char *name;
	} cases[] = {
		{ 1, "virtio-net" }, { 2, "virtio-blk" }, { 3, "virtio-console" }, { 4, "virtio-rng" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		u8 bytes[8] = { 0xFF, 0x38, 0x32, cases[i].model, 0, 0, 0, 0 };
		struct ident r = recognise(bytes, sizeof(bytes));

		CU_ASSERT_EQUAL(r.kind, IDENT_VIRTIO);
		CU_ASSERT_EQUAL(r.virtio_id, cases[i].model);
		CU_ASSERT_STRING_EQUAL(r.name, cases[i].name);
	}
}

/* Hercules 3.13's classic devices (reference/platforms.md 11.5). */
static void test_classic(void)
{
	static const u8 con[7] = { 0xFF, 0x32, 0x15, 0x00, 0x32, 0x15, 0x00 };
	static const u8 rdr[7] = { 0xFF, 0x28, 0x21, 0x01, 0x35, 0x05, 0x01 };
	static const u8 prt[7] = { 0xFF, 0x28, 0x21, 0x01, 0x14, 0x03, 0x01 };
	static const u8 c1052[7] = { 0xFF, 0x10, 0x52, 0x00, 0x10, 0x52, 0x00 };
	static const u8 dasd[12] = { 0xFF, 0x39, 0x90, 0xC2, 0x33, 0x90, 0x02, 0x00,
				     0x40, 0xFA, 0x01, 0x00 };

	CU_ASSERT_EQUAL(recognise(con, 7).kind, IDENT_CONSOLE);
	CU_ASSERT_STRING_EQUAL(recognise(con, 7).name, "3215 console");
	CU_ASSERT_EQUAL(recognise(c1052, 7).kind, IDENT_CONSOLE);
	CU_ASSERT_EQUAL(recognise(rdr, 7).kind, IDENT_READER);
	CU_ASSERT_STRING_EQUAL(recognise(rdr, 7).name, "3505 card reader");
	CU_ASSERT_EQUAL(recognise(prt, 7).kind, IDENT_PRINTER);
	CU_ASSERT_STRING_EQUAL(recognise(prt, 7).name, "1403 printer");
	CU_ASSERT_EQUAL(recognise(dasd, 12).kind, IDENT_DASD_ECKD);
	CU_ASSERT_STRING_EQUAL(recognise(dasd, 12).name, "3390 DASD");
}

/* Short or malformed data, and unknown types, are "unknown". */
static void test_unknown(void)
{
	static const u8 nff[8] = { 0x00, 0x38, 0x32, 0x01 };
	static const u8 other[8] = { 0xFF, 0x12, 0x34, 0x01, 0x56, 0x78, 0x01 };
	static const u8 v99[8] = { 0xFF, 0x38, 0x32, 99 };
	struct ident r;

	CU_ASSERT_EQUAL(recognise(nff, 8).kind, IDENT_UNKNOWN);
	CU_ASSERT_EQUAL(recognise(other, 8).kind, IDENT_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(recognise(other, 8).name, "unknown");
	CU_ASSERT_EQUAL(recognise(v99, 3).kind, IDENT_UNKNOWN);
	r = recognise(v99, 8);
	CU_ASSERT_EQUAL(r.kind, IDENT_VIRTIO);
	CU_ASSERT_STRING_EQUAL(r.name, "virtio (unknown type)");
	r = ident_recognise(NULL, 0);
	CU_ASSERT_EQUAL(r.kind, IDENT_UNKNOWN);
}

static CU_TestInfo ident_tests[] = {
	{ "virtio devices are named by their control-unit model", test_virtio },
	{ "Hercules' classic devices are recognised", test_classic },
	{ "short, malformed or unknown SENSE ID data is unknown", test_unknown },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo ident_suite = { "ident", NULL, NULL, NULL, NULL, ident_tests };
