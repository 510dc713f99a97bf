/*
 * A CUnit suite for tdrv, run on libccwsim: the machine and its test
 * device stand in for the hardware, in both behaviour profiles and both
 * completion modes, with faults injected where a real device would fail.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp() */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <ccwsim/ccwsim.h>

#include "tdrv.h"

#define DEVNO 0x0234

/* Each test runs on a fresh machine with two test devices. */
static struct sim *sim;
static struct sim_testdev *dev;

static void machine(enum sim_profile profile, enum sim_completion completion)
{
	struct sim_config cfg = sim_config_default();

	cfg.profile = profile;
	cfg.completion = completion;
	sim = sim_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	CU_ASSERT_FATAL(sim_testdev_attach(sim, 0, 0, 0x0100, NULL) >= 0);
	CU_ASSERT_FATAL(sim_testdev_attach(sim, 0, 5, DEVNO, &dev) == 0x00010005);
}

static void done(void)
{
	sim_destroy(sim);
	sim = NULL;
}

static void test_open(void)
{
	struct tdrv d;

	machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL(tdrv_open(&d, sim, DEVNO), TDRV_OK);
	CU_ASSERT_EQUAL(d.schid, 0x00010005u);
	CU_ASSERT_EQUAL(dev->enables, 1u);
	CU_ASSERT_EQUAL(tdrv_open(&d, sim, 0x9999), TDRV_ENODEV);
	done();
}

static void test_sense_id(void)
{
	struct tdrv d;
	struct tdrv_id id = { 0, 0, 0, 0 };

	machine(SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL_FATAL(tdrv_open(&d, sim, DEVNO), TDRV_OK);
	CU_ASSERT_EQUAL(tdrv_sense_id(&d, &id), TDRV_OK);
	CU_ASSERT_EQUAL(id.cu_type, SIM_TESTDEV_CU_TYPE);
	CU_ASSERT_EQUAL(id.cu_model, 1);
	CU_ASSERT_EQUAL(id.dev_type, SIM_TESTDEV_DEV_TYPE);
	CU_ASSERT_EQUAL(id.dev_model, 2);
	done();
}

/* Write a pattern and read it back, with a read buffer larger than the
 * data: the residual count says how much came. */
static void round_trip(enum sim_profile profile, enum sim_completion completion)
{
	struct tdrv d;
	uint8_t out[100], in[300];
	uint32_t got = 0;
	unsigned i;

	machine(profile, completion);
	CU_ASSERT_EQUAL_FATAL(tdrv_open(&d, sim, DEVNO), TDRV_OK);
	for (i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 7 + 1);
	CU_ASSERT_EQUAL(tdrv_write(&d, out, sizeof(out)), TDRV_OK);
	CU_ASSERT_EQUAL(dev->len, sizeof(out));
	memset(in, 0, sizeof(in));
	CU_ASSERT_EQUAL(tdrv_read(&d, in, sizeof(in), &got), TDRV_OK);
	CU_ASSERT_EQUAL(got, sizeof(out));
	CU_ASSERT_EQUAL(d.residual, sizeof(in) - sizeof(out));
	CU_ASSERT(memcmp(in, out, sizeof(out)) == 0);
	CU_ASSERT_EQUAL(dev->last_cmd, SIM_TESTDEV_CMD_READ);
	CU_ASSERT_EQUAL(tdrv_write(&d, out, 0), TDRV_EINVAL);
	done();
}

static void test_round_trip_qemu_sync(void) { round_trip(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC); }
static void test_round_trip_arch_deferred(void) { round_trip(SIM_PROFILE_ARCH, SIM_COMPLETE_DEFERRED); }

/* A command the device does not know: unit check, command reject. */
static void test_reject(void)
{
	struct tdrv d;

	machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL_FATAL(tdrv_open(&d, sim, DEVNO), TDRV_OK);
	CU_ASSERT_EQUAL(tdrv_run(&d, 0x09, 8), TDRV_EIO);
	CU_ASSERT_EQUAL(d.sense[0], 0x80);
	done();
}

/* An injected unit check reaches the driver with its sense bytes; the
 * next program runs normally. */
static void test_unit_check(void)
{
	struct tdrv d;
	struct sim_fault f;
	uint8_t b[4] = { 1, 2, 3, 4 };

	machine(SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL_FATAL(tdrv_open(&d, sim, DEVNO), TDRV_OK);
	memset(&f, 0, sizeof(f));
	f.kind = SIM_FAULT_UNIT_CHECK;
	f.schid = d.schid;
	f.sense[0] = 0x10;  /* equipment check */
	f.sense[7] = 0x42;
	CU_ASSERT_EQUAL_FATAL(sim_fault_add(sim, &f), 0);
	CU_ASSERT_EQUAL(tdrv_write(&d, b, sizeof(b)), TDRV_EIO);
	CU_ASSERT_EQUAL(d.sense[0], 0x10);
	CU_ASSERT_EQUAL(d.sense[7], 0x42);
	CU_ASSERT_EQUAL(sim_fault_armed(sim), 0u);
	CU_ASSERT_EQUAL(tdrv_write(&d, b, sizeof(b)), TDRV_OK);
	done();
}

/* A busy device is retried; beyond the retries the driver gives up. */
static void test_busy(void)
{
	struct tdrv d;
	struct sim_fault f;
	uint8_t b[4] = { 0 };

	machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL_FATAL(tdrv_open(&d, sim, DEVNO), TDRV_OK);
	memset(&f, 0, sizeof(f));
	f.kind = SIM_FAULT_BUSY;
	f.schid = d.schid;
	f.count = 2;
	CU_ASSERT_EQUAL_FATAL(sim_fault_add(sim, &f), 0);
	CU_ASSERT_EQUAL(tdrv_write(&d, b, sizeof(b)), TDRV_OK);
	CU_ASSERT_EQUAL(d.busy_retries, 2u);
	f.count = d.retries + 1;
	CU_ASSERT_EQUAL_FATAL(sim_fault_add(sim, &f), 0);
	CU_ASSERT_EQUAL(tdrv_write(&d, b, sizeof(b)), TDRV_EBUSY);
	done();
}

/* A program that never ends: the driver waits its bound of virtual time,
 * clears the subchannel, and the device works again. */
static void test_hang(void)
{
	struct tdrv d;
	struct sim_fault f;
	uint8_t b[4] = { 0 };
	uint64_t t0;

	machine(SIM_PROFILE_ARCH, SIM_COMPLETE_DEFERRED);
	CU_ASSERT_EQUAL_FATAL(tdrv_open(&d, sim, DEVNO), TDRV_OK);
	d.timeout_us = 50000;
	memset(&f, 0, sizeof(f));
	f.kind = SIM_FAULT_HANG;
	f.schid = d.schid;
	CU_ASSERT_EQUAL_FATAL(sim_fault_add(sim, &f), 0);
	t0 = sim_now_us(sim);
	CU_ASSERT_EQUAL(tdrv_write(&d, b, sizeof(b)), TDRV_ETIMEDOUT);
	CU_ASSERT(sim_now_us(sim) - t0 >= d.timeout_us);
	CU_ASSERT_EQUAL(d.timeouts, 1u);
	CU_ASSERT_EQUAL(tdrv_write(&d, b, sizeof(b)), TDRV_OK);
	done();
}

/* The device goes away under the driver. */
static void test_gone(void)
{
	struct tdrv d;
	uint8_t b[4] = { 0 };

	machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL_FATAL(tdrv_open(&d, sim, DEVNO), TDRV_OK);
	CU_ASSERT_EQUAL(sim_set_present(sim, d.schid, false), 0);
	CU_ASSERT_EQUAL(tdrv_write(&d, b, sizeof(b)), TDRV_ENODEV);
	CU_ASSERT(sim_crw_pending(sim));
	done();
}

/* The trace shows the driver's instructions and CCWs; the statistics
 * count them. */
static void test_trace(void)
{
	struct tdrv d;
	struct sim_stats st;
	uint8_t b[16] = { 0 };
	char text[4096];
	size_t n;
	FILE *f = tmpfile();

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC);
	CU_ASSERT_EQUAL_FATAL(tdrv_open(&d, sim, DEVNO), TDRV_OK);
	sim_trace(sim, f, d.schid);
	CU_ASSERT_EQUAL(tdrv_write(&d, b, sizeof(b)), TDRV_OK);
	sim_trace(sim, NULL, 0);
	rewind(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = 0;
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "ioinst_ssch 0.0.0005 cc 0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "cmd 0x01"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "ioinst_tsch 0.0.0005 cc 0"));
	sim_get_stats(sim, &st);
	CU_ASSERT(st.instructions > 0);
	CU_ASSERT(st.ccws >= 1);
	done();
}

/* Find the device numbered devno and check what SENSE ID says it is. */
static void expect_id(uint16_t devno, uint16_t cu_type, uint8_t cu_model, uint16_t dev_type)
{
	struct tdrv d;
	struct tdrv_id id = { 0, 0, 0, 0 };

	CU_ASSERT_EQUAL_FATAL(tdrv_open(&d, sim, devno), TDRV_OK);
	CU_ASSERT_EQUAL(tdrv_sense_id(&d, &id), TDRV_OK);
	CU_ASSERT_EQUAL(id.cu_type, cu_type);
	CU_ASSERT_EQUAL(id.cu_model, cu_model);
	CU_ASSERT_EQUAL(id.dev_type, dev_type);
}

/*
 * Every control unit the library has, attached and found by number: the
 * virtio-ccw models (the CU model is the virtio device id), the 3215
 * console, the 3505 reader, the 1403 printer and the 3390 on a CKD image.
 */
static void test_other_devices(void)
{
	char why[SIM_WHY_LEN];
	char ckd[] = "tdrv-ckd-XXXXXX", prt[] = "tdrv-prt-XXXXXX"; /* in the current directory */
	struct sim_dev_config dc;
	struct sim_blk_opts blk;
	struct sim_net_opts net;
	struct sim_con_opts con;
	struct sim_rng_opts rng;
	struct sim_con3215_opts c3215;
	struct sim_rdr_opts rdr;
	struct sim_prt_opts p1403;
	struct sim_dasd_opts dasd;
	int fd = mkstemp(ckd), fd2 = mkstemp(prt);

	CU_ASSERT_FATAL(fd >= 0 && fd2 >= 0);
	close(fd);
	close(fd2);
	machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC);
	memset(&dc, 0, sizeof(dc));
	dc.schno = -1;

	memset(&blk, 0, sizeof(blk));
	blk.size = 1 << 20;  /* a disk in memory */
	dc.devno = 0x0001;
	CU_ASSERT(sim_vdev_blk(sim, &dc, NULL, &blk, why) >= 0);
	expect_id(0x0001, 0x3832, 2, 0x0000);
	memset(&net, 0, sizeof(net));
	dc.devno = 0x0002;
	CU_ASSERT(sim_vdev_net(sim, &dc, NULL, &net, why) >= 0);
	expect_id(0x0002, 0x3832, 1, 0x0000);
	memset(&con, 0, sizeof(con));
	con.out_fd = con.in_fd = -1;
	dc.devno = 0x0003;
	CU_ASSERT(sim_vdev_console(sim, &dc, NULL, &con, why) >= 0);
	expect_id(0x0003, 0x3832, 3, 0x0000);
	memset(&rng, 0, sizeof(rng));
	dc.devno = 0x0004;
	CU_ASSERT(sim_vdev_rng(sim, &dc, NULL, &rng) >= 0);
	expect_id(0x0004, 0x3832, 4, 0x0000);

	memset(&c3215, 0, sizeof(c3215));
	c3215.out_fd = c3215.in_fd = -1;
	dc.devno = 0x0009;
	CU_ASSERT(sim_con3215_add(sim, &dc, &c3215, why) >= 0);
	expect_id(0x0009, 0x3215, 0, 0x3215);
	memset(&rdr, 0, sizeof(rdr));
	dc.devno = 0x000C;
	CU_ASSERT(sim_rdr3505_add(sim, &dc, &rdr, why) >= 0);
	expect_id(0x000C, 0x2821, 1, 0x3505);
	memset(&p1403, 0, sizeof(p1403));
	p1403.path = prt;
	dc.devno = 0x000E;
	CU_ASSERT(sim_prt1403_add(sim, &dc, &p1403, why) >= 0);
	expect_id(0x000E, 0x2821, 1, 0x1403);
	CU_ASSERT_EQUAL_FATAL(sim_ckd_create(ckd, 10, "TDRV01", why), 0);
	memset(&dasd, 0, sizeof(dasd));
	dasd.path = ckd;
	dc.devno = 0x0120;
	CU_ASSERT(sim_dasd_add(sim, &dc, &dasd, why) >= 0);
	expect_id(0x0120, 0x3990, 0xC2, 0x3390);
	done();
	unlink(ckd);
	unlink(prt);
}

int main(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "open finds the device by number", test_open },
		{ "SENSE ID", test_sense_id },
		{ "write and read back (qemu profile, synchronous)", test_round_trip_qemu_sync },
		{ "write and read back (arch profile, deferred)", test_round_trip_arch_deferred },
		{ "unknown command rejected", test_reject },
		{ "injected unit check", test_unit_check },
		{ "busy device retried", test_busy },
		{ "hung program cleared after the timeout", test_hang },
		{ "device gone", test_gone },
		{ "trace and statistics", test_trace },
		{ "every control unit of the library, found and identified", test_other_devices },
	};
	CU_pSuite s;
	unsigned i, failures;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("tdrv on libccwsim " SIM_VERSION, NULL, NULL);
	for (i = 0; s && i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!CU_add_test(s, tests[i].name, tests[i].fn))
			s = NULL;
	if (!s) {
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failures ? 1 : 0;
}
