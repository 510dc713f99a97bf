/* Placeholder: the vrng suite. */
#include "tests/unit/unit.h"

static CU_TestInfo vrng_tests[] = {
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vrng_suite = { "vrng", NULL, NULL, NULL, NULL, vrng_tests };
