/* devices/ebcdic.c: code page 037 translation. */
#include "devices/ebcdic.h"
#include "tests/unit/unit.h"

/* Known code points (reference/platforms.md 7.2 and CP037). */
static void test_known_points(void)
{
	CU_ASSERT_EQUAL(ebcdic_from_ascii('A'), 0xC1);
	CU_ASSERT_EQUAL(ebcdic_from_ascii('a'), 0x81);
	CU_ASSERT_EQUAL(ebcdic_from_ascii('0'), 0xF0);
	CU_ASSERT_EQUAL(ebcdic_from_ascii(' '), 0x40);
	CU_ASSERT_EQUAL(ebcdic_from_ascii('Z'), 0xE9);
	CU_ASSERT_EQUAL(ebcdic_from_ascii('z'), 0xA9);
	CU_ASSERT_EQUAL(ebcdic_from_ascii('|'), 0x4F);
	CU_ASSERT_EQUAL(ebcdic_from_ascii('\n'), 0x25);
	CU_ASSERT_EQUAL(ebcdic_to_ascii(0xC9), 'I');
	CU_ASSERT_EQUAL(ebcdic_to_ascii(0xD7), 'P');
	CU_ASSERT_EQUAL(ebcdic_to_ascii(0xD3), 'L');
	CU_ASSERT_EQUAL(ebcdic_to_ascii(0xF1), '1');
}

/* Every ASCII character round-trips; non-ASCII becomes '?'. */
static void test_round_trip(void)
{
	int c;

	for (c = 0; c < 128; c++)
		CU_ASSERT_EQUAL(ebcdic_to_ascii(ebcdic_from_ascii((char)c)), (char)c);
	CU_ASSERT_EQUAL(ebcdic_from_ascii((char)0xE9), ebcdic_from_ascii('?'));
	CU_ASSERT_EQUAL(ebcdic_to_ascii(0x9F), '?');
}

/* Buffer translation in place, both ways. */
static void test_buffers(void)
{
	u8 buf[] = "IPL1";

	ebcdic_from_ascii_buf(buf, 4);
	CU_ASSERT_EQUAL(buf[0], 0xC9);
	CU_ASSERT_EQUAL(buf[1], 0xD7);
	CU_ASSERT_EQUAL(buf[2], 0xD3);
	CU_ASSERT_EQUAL(buf[3], 0xF1);
	ebcdic_to_ascii_buf(buf, 4);
	CU_ASSERT_STRING_EQUAL((char *)buf, "IPL1");
}

static CU_TestInfo ebcdic_tests[] = {
	{ "known code page 037 points translate", test_known_points },
	{ "every ASCII character round-trips", test_round_trip },
	{ "buffers translate in place both ways", test_buffers },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo ebcdic_suite = { "ebcdic", NULL, NULL, NULL, NULL, ebcdic_tests };
