/* The tour's TEST lines and bus ids (boot/report.h). */
#include "boot/report.h"

#include "boot/tour_priv.h" /* struct tour: the counts */
#include "ccw/port.h"       /* port_printf, port_vprintf */
#include "ring/fmt.h"       /* fmt_snprintf */

void tour_test(struct tour *t, const char *name, enum tour_status st, const char *fmt, ...)
{
	static const char *const words[] = { "PASS", "FAIL", "SKIP" };
	va_list ap;

	if (st == TOUR_PASS)
		t->passed++;
	else if (st == TOUR_FAIL)
		t->failed++;
	else
		t->skipped++;
	port_printf("TEST %s %s", name, words[st]);
	if (fmt && *fmt) {
		port_printf(" ");
		va_start(ap, fmt);
		port_vprintf(fmt, ap);
		va_end(ap);
	}
	port_printf("\n");
}

void tour_busid(char *buf, size_t size, unsigned ssid, unsigned num)
{
	fmt_snprintf(buf, size, "0.%x.%04x", ssid, num);
}
