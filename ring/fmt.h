/* A small freestanding printf core: formats into a caller-supplied sink. */
#ifndef RING_FMT_H
#define RING_FMT_H

#include <stdarg.h> /* va_list */

#include "ring/base.h" /* size_t, __printf */

/* Receives each formatted piece; n bytes at s, not NUL-terminated. */
typedef void (*fmt_sink)(void *ctx, const char *s, size_t n);

/*
 * Format like C's printf into sink. Supports the conversions d i u x X o c
 * s p and %, the flags - 0 + space #, width and precision (also as *), and
 * the length modifiers hh h l ll z j t. Returns the number of bytes
 * produced. Unknown conversions are copied literally.
 */
int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);

/*
 * Format into buf of size bytes, always NUL-terminated when size > 0.
 * Returns the length the full output would have had, as C's snprintf.
 */
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Format a reason into why (why_len bytes; nothing when why is NULL or
 * why_len 0) and return err: "return fmt_err(why, wl, -VERR_IO, ...);". */
int fmt_err(char *why, size_t why_len, int err, const char *fmt, ...) __printf(4, 5);

#endif /* RING_FMT_H */
