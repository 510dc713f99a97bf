/* The suites of the host unit-test runner: each test file exports one. */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <CUnit/CUnit.h>

#include "sim/sim.h"

/*
 * The one way to run a test in each behaviour profile: write the test as
 *   static void name(enum sim_profile p) { ... }
 *   BOTH_PROFILES(name)
 * and list it in the suite's table as
 *   BOTH("what it checks", name),
 * which registers two tests, "what it checks (arch)" and "... (qemu)".
 */
#define BOTH_PROFILES(fn)                                          \
	static void fn##_arch(void) { fn(SIM_PROFILE_ARCH); }      \
	static void fn##_qemu(void) { fn(SIM_PROFILE_QEMU); }
#define BOTH(name, fn) { name " (arch)", fn##_arch }, { name " (qemu)", fn##_qemu }

/* A device's place for the attach functions: subchannel set 0, the next
 * free subchannel, device number devno. */
static inline struct sim_dev_config unit_dev(uint16_t devno)
{
	struct sim_dev_config d = { .schno = -1, .devno = devno };

	return d;
}

extern CU_SuiteInfo base_suite;
extern CU_SuiteInfo fmt_suite;
extern CU_SuiteInfo layout_suite;
extern CU_SuiteInfo irb_suite;
extern CU_SuiteInfo ident_suite;
extern CU_SuiteInfo ebcdic_suite;
extern CU_SuiteInfo sim_insn_suite;
extern CU_SuiteInfo sim_kut_suite;
extern CU_SuiteInfo sim_ccw_suite;
extern CU_SuiteInfo css_layer_suite;
extern CU_SuiteInfo trace_suite;
extern CU_SuiteInfo vq_suite;
extern CU_SuiteInfo sim_vccw_suite;
extern CU_SuiteInfo vccw_suite;
extern CU_SuiteInfo vblk_suite;
extern CU_SuiteInfo vnet_suite;
extern CU_SuiteInfo vcon_suite;
extern CU_SuiteInfo vrng_suite;
extern CU_SuiteInfo con3215_suite;
extern CU_SuiteInfo deck_suite;
extern CU_SuiteInfo sim_dasd_suite;
extern CU_SuiteInfo eckd_suite;
extern CU_SuiteInfo faults_suite;
extern CU_SuiteInfo sim_clock_suite;
extern CU_SuiteInfo ccwsim_opts_suite;
extern CU_SuiteInfo bootmap_suite;
extern CU_SuiteInfo ccwboot_suite;
extern CU_SuiteInfo vscsi_suite;
extern CU_SuiteInfo ckdboot_suite;

/* A fake kernel of len bytes from malloc: random bytes from seed, `S390EP`
 * at 0x10008, a command-line limit at 0x10430 (0: the legacy 896). */
unsigned char *unit_fake_kernel(size_t len, uint64_t seed, uint32_t max_cmdline);

/* A mkstemp()/mkdtemp() template "$TMPDIR/<stem>-XXXXXX" (TMPDIR unset or
 * empty: /tmp) in out. */
void unit_temp_template(char *out, size_t len, const char *stem);

#endif /* TESTS_UNIT_UNIT_H */
