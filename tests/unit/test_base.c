/* ring/base.h: wire byte order and error names. */
#include <string.h>

#include "ring/base.h"
#include "tests/unit/unit.h"

/* be16/be32/be64 store the most significant byte first, on any host. */
static void test_big_endian_bytes(void)
{
	static const u8 want16[] = { 0x12, 0x34 };
	static const u8 want32[] = { 0x12, 0x34, 0x56, 0x78 };
	static const u8 want64[] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	be16 a = cpu_to_be16(0x1234);
	be32 b = cpu_to_be32(0x12345678);
	be64 c = cpu_to_be64(0x0123456789abcdefull);

	CU_ASSERT_EQUAL(memcmp(&a, want16, 2), 0);
	CU_ASSERT_EQUAL(memcmp(&b, want32, 4), 0);
	CU_ASSERT_EQUAL(memcmp(&c, want64, 8), 0);
	CU_ASSERT_EQUAL(be16_to_cpu(a), 0x1234);
	CU_ASSERT_EQUAL(be32_to_cpu(b), 0x12345678u);
	CU_ASSERT_EQUAL(be64_to_cpu(c), 0x0123456789abcdefull);
}

/* le16/le32/le64 store the least significant byte first, on any host. */
static void test_little_endian_bytes(void)
{
	static const u8 want16[] = { 0x34, 0x12 };
	static const u8 want32[] = { 0x78, 0x56, 0x34, 0x12 };
	static const u8 want64[] = { 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01 };
	le16 a = cpu_to_le16(0x1234);
	le32 b = cpu_to_le32(0x12345678);
	le64 c = cpu_to_le64(0x0123456789abcdefull);

	CU_ASSERT_EQUAL(memcmp(&a, want16, 2), 0);
	CU_ASSERT_EQUAL(memcmp(&b, want32, 4), 0);
	CU_ASSERT_EQUAL(memcmp(&c, want64, 8), 0);
	CU_ASSERT_EQUAL(le16_to_cpu(a), 0x1234);
	CU_ASSERT_EQUAL(le32_to_cpu(b), 0x12345678u);
	CU_ASSERT_EQUAL(le64_to_cpu(c), 0x0123456789abcdefull);
}

/* Reading a wire value from raw bytes gives the number the bytes spell. */
static void test_wire_from_bytes(void)
{
	static const u8 bytes[] = { 0xde, 0xad, 0xbe, 0xef };
	be32 b;
	le32 l;

	memcpy(&b, bytes, 4);
	memcpy(&l, bytes, 4);
	CU_ASSERT_EQUAL(be32_to_cpu(b), 0xdeadbeefu);
	CU_ASSERT_EQUAL(le32_to_cpu(l), 0xefbeaddeu);
}

/* The set/clear helpers change only the masked bits. */
static void test_flag_helpers(void)
{
	be16 w = cpu_to_be16(0x0001);
	be32 x = cpu_to_be32(0xF0000000u);

	be16_set(&w, 0x0080);
	CU_ASSERT_EQUAL(be16_to_cpu(w), 0x0081);
	be16_clr(&w, 0x0001);
	CU_ASSERT_EQUAL(be16_to_cpu(w), 0x0080);
	be32_set(&x, 0x1);
	be32_clr(&x, 0x10000000u);
	CU_ASSERT_EQUAL(be32_to_cpu(x), 0xE0000001u);
}

/* Every error code has a name; out-of-range codes are "unknown error". */
static void test_error_names(void)
{
	int e;

	for (e = 0; e < VERR__COUNT; e++) {
		CU_ASSERT_PTR_NOT_NULL(verr_str(e));
		CU_ASSERT_PTR_NOT_NULL(verr_str(-e));
	}
	CU_ASSERT_STRING_EQUAL(verr_str(-VERR_NOTSUP), "not supported");
	CU_ASSERT_STRING_EQUAL(verr_str(-VERR_TIMEOUT), "timed out");
	CU_ASSERT_STRING_EQUAL(verr_str(-1000), "unknown error");
}

/* ALIGN_UP and IS_ALIGNED round to powers of two. */
static void test_align(void)
{
	CU_ASSERT_EQUAL(ALIGN_UP(0u, 8), 0u);
	CU_ASSERT_EQUAL(ALIGN_UP(1u, 8), 8u);
	CU_ASSERT_EQUAL(ALIGN_UP(4096u, 4096), 4096u);
	CU_ASSERT_EQUAL(ALIGN_UP((u64)4097, 4096), 8192u);
	CU_ASSERT(IS_ALIGNED(24u, 8));
	CU_ASSERT(!IS_ALIGNED(20u, 8));
}

static CU_TestInfo base_tests[] = {
	{ "big-endian types store the most significant byte first", test_big_endian_bytes },
	{ "little-endian types store the least significant byte first", test_little_endian_bytes },
	{ "wire values read back from raw bytes", test_wire_from_bytes },
	{ "flag helpers set and clear only the masked bits", test_flag_helpers },
	{ "every error code has a name", test_error_names },
	{ "alignment helpers round up to powers of two", test_align },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo base_suite = { "base", NULL, NULL, NULL, NULL, base_tests };
