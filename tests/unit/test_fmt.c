/* ring/fmt.c against the host C library's snprintf as the oracle. */
#include <stdio.h>
#include <string.h>

#include "ring/fmt.h"
#include "tests/unit/unit.h"

#define CHECK_FMT(...)                                                     \
	do {                                                               \
		char got[128], want[128];                                  \
		int ng = fmt_snprintf(got, sizeof(got), __VA_ARGS__);      \
		int nw = snprintf(want, sizeof(want), __VA_ARGS__);        \
		CU_ASSERT_STRING_EQUAL(got, want);                         \
		CU_ASSERT_EQUAL(ng, nw);                                   \
	} while (0)

/* Integer conversions with flags, width and precision. */
static void test_integers(void)
{
	CHECK_FMT("%d %i %u", 0, -1, 4000000000u);
	CHECK_FMT("%d", -2147483647 - 1);
	CHECK_FMT("%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42);
	CHECK_FMT("%x %X %#x %#X %#o %o", 0xbeefu, 0xbeefu, 0xbeefu, 0xbeefu, 8u, 0u);
	CHECK_FMT("%#x %#o", 0u, 0u);
	CHECK_FMT("%.3d %.0d %8.3x %-8.3x|", 7, 0, 0xau, 0xau);
	CHECK_FMT("%08x %016llx", 0x1234u, 0x0123456789abcdefull);
	CHECK_FMT("%lld %llu", -9223372036854775807ll - 1, 18446744073709551615ull);
	CHECK_FMT("%ld %lu %lx", -5l, 5ul, 0xfffful);
	CHECK_FMT("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	CHECK_FMT("%zu %zx %jd %td", (size_t)123, (size_t)0xabc, (intmax_t)-9, (ptrdiff_t)-3);
	CHECK_FMT("%*d|%-*d|%.*d", 6, 1, 6, 2, 4, 3);
	CHECK_FMT("%*d", -6, 1);
	CHECK_FMT("%0*d|%+05d|%-+5d|", 6, -12, 7, 7);
}

/* Strings, characters, pointers, percent signs. */
static void test_strings(void)
{
	static int object;

	CHECK_FMT("%s|%10s|%-10s|%.2s|%.*s", "abc", "abc", "abc", "abc", 1, "xyz");
	CHECK_FMT("%c%c%5c%-3c|", 'a', 'b', 'c', 'd');
	CHECK_FMT("100%% %s", "done");
	CHECK_FMT("%p", (void *)&object);
	CHECK_FMT("%20p|", (void *)&object);
}

/* Truncation keeps a NUL and returns the full length, as snprintf does. */
static void test_truncation(void)
{
	char buf[8];
	int n;

	memset(buf, 'x', sizeof(buf));
	n = fmt_snprintf(buf, sizeof(buf), "%s", "0123456789");
	CU_ASSERT_EQUAL(n, 10);
	CU_ASSERT_STRING_EQUAL(buf, "0123456");
	n = fmt_snprintf(buf, 1, "%d", 12345);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_EQUAL(buf[0], '\0');
	buf[0] = 'y';
	n = fmt_snprintf(buf, 0, "abc");
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(buf[0], 'y');
}

/* Formats that the compiler's format check would reject, passed at run time. */
static int unchecked_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* NULL strings print as "(null)"; unknown conversions print as written. */
static void test_odd_input(void)
{
	char buf[32];

	unchecked_format(buf, sizeof(buf), "%s", (const char *)NULL);
	CU_ASSERT_STRING_EQUAL(buf, "(null)");
	unchecked_format(buf, sizeof(buf), "a%qb");
	CU_ASSERT_STRING_EQUAL(buf, "a%qb");
	unchecked_format(buf, sizeof(buf), "end%");
	CU_ASSERT_STRING_EQUAL(buf, "end%");
}

/* The sink receives every byte of the output, in order. */
struct collect {
	char buf[64];
	size_t len;
	unsigned calls;
};

static void collect_sink(void *ctx, const char *s, size_t n)
{
	struct collect *c = ctx;

	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->calls++;
}

static int call_format(struct collect *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(collect_sink, c, fmt, ap);
	va_end(ap);
	return n;
}

static void test_sink(void)
{
	struct collect c = { .len = 0 };
	int n = call_format(&c, "TEST %s %s %u", "css.enumerate", "PASS", 4u);

	CU_ASSERT_EQUAL(n, 25);
	CU_ASSERT_EQUAL(c.len, 25u);
	CU_ASSERT(c.calls >= 1);
	CU_ASSERT_EQUAL(memcmp(c.buf, "TEST css.enumerate PASS 4", 25), 0);
}

static CU_TestInfo fmt_tests[] = {
	{ "integer conversions match the C library", test_integers },
	{ "string, character and pointer conversions match the C library", test_strings },
	{ "truncated output stays terminated and reports the full length", test_truncation },
	{ "NULL strings and unknown conversions are printed safely", test_odd_input },
	{ "the sink receives the whole output in order", test_sink },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo fmt_suite = { "fmt", NULL, NULL, NULL, NULL, fmt_tests };
