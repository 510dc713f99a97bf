/* Placeholder: the vnet suite. */
#include "tests/unit/unit.h"

static CU_TestInfo vnet_tests[] = {
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vnet_suite = { "vnet", NULL, NULL, NULL, NULL, vnet_tests };
