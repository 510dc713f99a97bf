/* Placeholder: the vblk suite. */
#include "tests/unit/unit.h"

static CU_TestInfo vblk_tests[] = {
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vblk_suite = { "vblk", NULL, NULL, NULL, NULL, vblk_tests };
