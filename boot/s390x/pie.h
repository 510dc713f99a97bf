/*
 * Included first in every C file of ccwboot (the Makefile's -include):
 * every symbol is the program's own, so the compiler addresses all of them
 * relative to the instruction (LARL) rather than through a GOT. What is
 * left to relocate are pointers stored in data (ccwboot_start.S).
 */
#pragma GCC visibility push(hidden)
