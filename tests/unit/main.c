/*
 * The host unit-test runner: every CUnit suite, CUnit's own summary, then
 * one machine-readable line "CUNIT: <run> run, <failed> failed" for
 * tests/run-all.sh. Exit status 0 only when every test passed.
 *
 * Usage: unit-tests [suite-name]   (run only that suite)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "tests/unit/unit.h"

/* Every suite, in run order. */
static const CU_SuiteInfo *const all[] = {
	&base_suite,     &fmt_suite,     &layout_suite,  &irb_suite,       &ident_suite,
	&ebcdic_suite,   &sim_insn_suite, &sim_kut_suite, &sim_ccw_suite, &css_layer_suite,
	&trace_suite,    &vq_suite,      &sim_vccw_suite, &vccw_suite,     &vblk_suite,
	&vnet_suite,     &vcon_suite,    &vrng_suite, &vscsi_suite, &sim_dasd_suite, &eckd_suite,
	&faults_suite,   &sim_clock_suite, &ccwsim_opts_suite, &bootmap_suite, &ccwboot_suite, &ckdboot_suite,
	&con3215_suite,  &deck_suite,
};

/* CUnit wants a NULL-terminated array of the suite descriptions. */
static CU_SuiteInfo suites[sizeof(all) / sizeof(all[0]) + 1];

static void build_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		suites[i] = *all[i];
	suites[i] = (CU_SuiteInfo)CU_SUITE_INFO_NULL;
}

void unit_temp_template(char *out, size_t len, const char *stem)
{
	const char *dir = getenv("TMPDIR");

	snprintf(out, len, "%s/%s-XXXXXX", dir && *dir ? dir : "/tmp", stem);
}

int main(int argc, char **argv)
{
	unsigned run, failed;
	CU_SuiteInfo *s;

	build_table();
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	if (argc > 1) {
		for (s = suites; s->pName; s++)
			if (!strcmp(s->pName, argv[1]))
				break;
		if (!s->pName) {
			fprintf(stderr, "unit-tests: no suite named \"%s\"\n", argv[1]);
			CU_cleanup_registry();
			return 2;
		}
		s[1] = (CU_SuiteInfo)CU_SUITE_INFO_NULL;
		if (CU_register_suites(s) != CUE_SUCCESS)
			return 2;
	} else if (CU_register_suites(suites) != CUE_SUCCESS) {
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	run = CU_get_number_of_tests_run();
	failed = CU_get_number_of_tests_failed();
	printf("\nCUNIT: %u run, %u failed\n", run, failed);
	CU_cleanup_registry();
	return failed || run == 0 ? 1 : 0;
}
