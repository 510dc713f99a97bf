/* Placeholder: filled in by the css suite. */
#include "tests/unit/unit.h"

static CU_TestInfo css_layer_tests[] = {
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo css_layer_suite = { "css", NULL, NULL, NULL, NULL, css_layer_tests };
