/* EBCDIC code page 037 <-> ASCII, for the classic consoles (3215, 1052). */
#ifndef DEVICES_EBCDIC_H
#define DEVICES_EBCDIC_H

#include "ring/base.h" /* u8, size_t */

/* ASCII (0..127) to code page 037; bytes above 127 map to '?' (0x6F). */
u8 ebcdic_from_ascii(char c);

/* Code page 037 to ASCII; characters outside ASCII map to '?'. */
char ebcdic_to_ascii(u8 e);

/* Translate n bytes in place between the two codes. */
void ebcdic_from_ascii_buf(u8 *buf, size_t n);
void ebcdic_to_ascii_buf(u8 *buf, size_t n);

#endif /* DEVICES_EBCDIC_H */
