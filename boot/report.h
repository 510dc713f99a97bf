/*
 * The tour's report: the TEST lines of the output protocol (DESIGN.md,
 * "The image's output protocol"), their counts, and the bus ids that name
 * them. Shared by the tour's files; not an interface for anything outside
 * boot/.
 */
#ifndef BOOT_REPORT_H
#define BOOT_REPORT_H

#include "ring/base.h" /* size_t, __printf */

struct tour;

enum tour_status { TOUR_PASS, TOUR_FAIL, TOUR_SKIP };

/* Print one TEST line "TEST <name> PASS|FAIL|SKIP [detail]" and count it. */
void tour_test(struct tour *t, const char *name, enum tour_status st, const char *fmt, ...)
	__printf(4, 5);

/* The bus id of a subchannel or device: css.ssid.number. */
void tour_busid(char *buf, size_t size, unsigned ssid, unsigned num);

#endif /* BOOT_REPORT_H */
