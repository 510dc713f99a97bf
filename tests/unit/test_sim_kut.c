/* Placeholder: filled in by the sim-kut suite. */
#include "tests/unit/unit.h"

static CU_TestInfo sim_kut_tests[] = {
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo sim_kut_suite = { "sim-kut", NULL, NULL, NULL, NULL, sim_kut_tests };
