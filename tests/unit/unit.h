/* The host unit-test runner's suite table. */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <CUnit/CUnit.h>

extern CU_TestInfo base_tests[];
extern CU_TestInfo fmt_tests[];
extern CU_TestInfo layout_tests[];
extern CU_TestInfo irb_tests[];
extern CU_TestInfo ident_tests[];
extern CU_TestInfo ebcdic_tests[];

#endif /* TESTS_UNIT_UNIT_H */
