/* ccw/trace.c: channel programs decoded into lines. */
#include <string.h>

#include "boot/host/host.h"
#include "ccw/port.h"
#include "ccw/trace.h"
#include "tests/unit/unit.h"

#define MAX_LINES 16

struct lines {
	char line[MAX_LINES][160];
	unsigned n;
};

static void collect(void *ctx, const char *line)
{
	struct lines *l = ctx;

	if (l->n < MAX_LINES) {
		strncpy(l->line[l->n], line, sizeof(l->line[0]) - 1);
		l->n++;
	}
}

/* A machine bound to the host port, for port_dma_ptr(). */
static struct sim *bind_machine(void)
{
	struct sim_config cfg = {
		.mem_size = 1u << 20,
		.profile = SIM_PROFILE_ARCH,
		.completion = SIM_COMPLETE_SYNC,
	};
	struct sim *sim = sim_create(&cfg);

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	host_bind(sim);
	return sim;
}

/* Names depend on the device: 0x31 is WRITE_STATUS on virtio, SEARCH ID EQUAL on ECKD. */
static void test_names_by_kind(void)
{
	CU_ASSERT_STRING_EQUAL(ccwtrace_cmd_name(0xE4, IDENT_UNKNOWN), "SENSE ID");
	CU_ASSERT_STRING_EQUAL(ccwtrace_cmd_name(0x04, IDENT_CONSOLE), "BASIC SENSE");
	CU_ASSERT_STRING_EQUAL(ccwtrace_cmd_name(0x83, IDENT_VIRTIO), "SET_VIRTIO_REV");
	CU_ASSERT_STRING_EQUAL(ccwtrace_cmd_name(0x73, IDENT_VIRTIO), "SET_IND_ADAPTER");
	CU_ASSERT_STRING_EQUAL(ccwtrace_cmd_name(0x31, IDENT_VIRTIO), "WRITE_STATUS");
	CU_ASSERT_STRING_EQUAL(ccwtrace_cmd_name(0x31, IDENT_DASD_ECKD), "SEARCH ID EQUAL");
	CU_ASSERT_STRING_EQUAL(ccwtrace_cmd_name(0x63, IDENT_DASD_ECKD), "DEFINE EXTENT");
	CU_ASSERT_STRING_EQUAL(ccwtrace_cmd_name(0x09, IDENT_CONSOLE), "WRITE CR");
	CU_ASSERT_STRING_EQUAL(ccwtrace_cmd_name(0x09, IDENT_PRINTER), "WRITE SPACE 1");
	CU_ASSERT_PTR_NULL(ccwtrace_cmd_name(0x83, IDENT_CONSOLE));
	CU_ASSERT_PTR_NULL(ccwtrace_cmd_name(0xFF, IDENT_VIRTIO));
}

/* Flags print in CCW bit order, joined by '|'; none prints "-". */
static void test_flags(void)
{
	char buf[40];

	CU_ASSERT_STRING_EQUAL(ccwtrace_flags(0, buf, sizeof(buf)), "-");
	CU_ASSERT_STRING_EQUAL(ccwtrace_flags(CCW_FLAG_CC | CCW_FLAG_SLI, buf, sizeof(buf)), "CC|SLI");
	CU_ASSERT_STRING_EQUAL(ccwtrace_flags(0xFF, buf, sizeof(buf)), "CD|CC|SLI|SKIP|PCI|IDA|S|MIDA");
	/* A short buffer is cut, never overrun. */
	CU_ASSERT_STRING_EQUAL(ccwtrace_flags(0xFF, buf, 6), "CD|CC");
}

/* A chained program with a TIC is followed to its end, one line per CCW. */
static void test_chain_and_tic(void)
{
	struct sim *sim = bind_machine();
	struct ccw1 *p = port_dma_alloc(4 * sizeof(*p), 8);
	struct ccw1 *q = port_dma_alloc(sizeof(*q), 8);
	struct lines l = { .n = 0 };
	unsigned n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	p[0] = ccw1_make(0x83, CCW_FLAG_CC, 4, 0x1000);
	p[1] = ccw1_make(CCW_CMD_TIC, 0, 0, (u32)port_dma_addr(q));
	*q = ccw1_make(0x12, CCW_FLAG_SLI, 5, 0x2000);
	n = ccwtrace_program(port_dma_addr(p), true, IDENT_VIRTIO, 10, collect, &l);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL_FATAL(l.n, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[0], "83 SET_VIRTIO_REV"));
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[0], "CC"));
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[0], "count     4"));
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[1], "TIC"));
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[2], "12 READ_FEAT"));
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[2], "SLI"));
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[2], "data 0x00002000"));
	sim_destroy(sim);
}

/* A loop is shown once, and the decoder stops: it never runs away. */
static void test_loop_stops(void)
{
	struct sim *sim = bind_machine();
	struct ccw1 *p = port_dma_alloc(2 * sizeof(*p), 8);
	struct lines l = { .n = 0 };
	unsigned n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	p[0] = ccw1_make(CCW_CMD_WRITE_NOOP, CCW_FLAG_CC, 0, 0);
	p[1] = ccw1_make(CCW_CMD_TIC, 0, 0, (u32)port_dma_addr(p));
	n = ccwtrace_program(port_dma_addr(p), true, IDENT_UNKNOWN, 10, collect, &l);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL_FATAL(l.n, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[2], "loops back"));
	/* And the line bound holds for a straight chain. */
	l.n = 0;
	p[1] = ccw1_make(CCW_CMD_WRITE_NOOP, CCW_FLAG_CC, 0, 0);
	n = ccwtrace_program(port_dma_addr(p), true, IDENT_UNKNOWN, 1, collect, &l);
	CU_ASSERT_EQUAL(n, 1);
	sim_destroy(sim);
}

/* A CCW outside memory, or misaligned, is reported, not read. */
static void test_unaddressable(void)
{
	struct sim *sim = bind_machine();
	struct lines l = { .n = 0 };

	CU_ASSERT_EQUAL(ccwtrace_program(0x7FFFFFF8, true, IDENT_UNKNOWN, 4, collect, &l), 0);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[0], "not an addressable CCW"));
	l.n = 0;
	CU_ASSERT_EQUAL(ccwtrace_program(HOST_DMA_BASE + 4, true, IDENT_UNKNOWN, 4, collect, &l), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[0], "not an addressable CCW"));
	sim_destroy(sim);
}

/* Format-0 CCWs decode with their 24-bit address; unknown codes by class. */
static void test_format0_and_classes(void)
{
	struct sim *sim = bind_machine();
	struct ccw0 *p = port_dma_alloc(2 * sizeof(*p), 8);
	struct lines l = { .n = 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	p[0] = ccw0_make(0x02, CCW_FLAG_CC | CCW_FLAG_SLI, 80, 0x008000);
	p[1] = ccw0_make(0xC1, 0, 1, 0x123456);
	CU_ASSERT_EQUAL(ccwtrace_program(port_dma_addr(p), false, IDENT_READER, 4, collect, &l), 2);
	CU_ASSERT_EQUAL_FATAL(l.n, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[0], "02 READ"));
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[0], "data 0x00008000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[1], "c1 write"));
	CU_ASSERT_PTR_NOT_NULL(strstr(l.line[1], "data 0x00123456"));
	sim_destroy(sim);
}

static CU_TestInfo trace_tests[] = {
	{ "command names depend on the kind of device", test_names_by_kind },
	{ "flags print in bit order, '-' for none, cut to the buffer", test_flags },
	{ "a chained program is followed through its TIC", test_chain_and_tic },
	{ "a looping program is shown once and the decoder stops", test_loop_stops },
	{ "a CCW that is not addressable is reported, not read", test_unaddressable },
	{ "format-0 CCWs decode; unknown codes are named by class", test_format0_and_classes },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo trace_suite = { "trace", NULL, NULL, NULL, NULL, trace_tests };
