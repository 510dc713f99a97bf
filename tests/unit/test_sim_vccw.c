/* Placeholder: filled in by the sim-vccw suite. */
#include "tests/unit/unit.h"

static CU_TestInfo sim_vccw_tests[] = {
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo sim_vccw_suite = { "sim-vccw", NULL, NULL, NULL, NULL, sim_vccw_tests };
