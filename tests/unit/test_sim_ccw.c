/* Placeholder: filled in by the sim-ccw suite. */
#include "tests/unit/unit.h"

static CU_TestInfo sim_ccw_tests[] = {
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo sim_ccw_suite = { "sim-ccw", NULL, NULL, NULL, NULL, sim_ccw_tests };
