/* Placeholder: filled in by the sim-insn suite. */
#include "tests/unit/unit.h"

static CU_TestInfo sim_insn_tests[] = {
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo sim_insn_suite = { "sim-insn", NULL, NULL, NULL, NULL, sim_insn_tests };
