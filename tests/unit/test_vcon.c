/* Placeholder: the vcon suite. */
#include "tests/unit/unit.h"

static CU_TestInfo vcon_tests[] = {
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vcon_suite = { "vcon", NULL, NULL, NULL, NULL, vcon_tests };
