/* Platform-neutral parts of the port: formatted console output. */
#include "ccw/port.h"

#include "ring/fmt.h" /* fmt_vformat */

static void console_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	port_write(s, n);
}

int port_vprintf(const char *fmt, va_list ap)
{
	return fmt_vformat(console_sink, NULL, fmt, ap);
}

int port_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = port_vprintf(fmt, ap);
	va_end(ap);
	return n;
}
