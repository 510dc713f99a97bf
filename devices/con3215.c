/* 3215 console: line output through WRITE with carrier return (0x09). */
#include "devices/con3215.h"

#include "ccw/port.h"      /* port_dma_alloc, port_dma_addr */
#include "devices/ebcdic.h" /* ebcdic_from_ascii */

/* A write takes milliseconds; a second is a generous bound. */
#define CON3215_TIMEOUT_US 1000000u

int con3215_init(struct con3215 *con, struct css *css, u32 schid)
{
	con->css = css;
	con->schid = schid;
	con->dma = port_dma_alloc(sizeof(*con->dma), 8);
	return con->dma ? 0 : -VERR_NOMEM;
}

int con3215_write_line(struct con3215 *con, const char *s, size_t n)
{
	struct con3215_dma *d = con->dma;

	do {
		size_t chunk = MIN(n, (size_t)CON3215_LINE_MAX);
		size_t len = chunk;
		size_t i;
		int err;

		for (i = 0; i < chunk; i++) {
			char c = s[i];

			d->buf[i] = ebcdic_from_ascii((unsigned char)c < 0x20 || c == 0x7F ? ' ' : c);
		}
		if (len == 0)
			d->buf[len++] = ebcdic_from_ascii(' '); /* an empty line still advances */
		d->ccw = ccw1_make(CON3215_CMD_WRITE_CR, 0, (u16)len, (u32)port_dma_addr(d->buf));
		err = css_run(con->css, con->schid, &d->ccw, CON3215_TIMEOUT_US, NULL);
		if (err)
			return err;
		s += chunk;
		n -= chunk;
	} while (n > 0);
	return 0;
}
