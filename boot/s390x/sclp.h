/*
 * The SCLP ASCII console (event type 0x1A) through SERVICE CALL, as QEMU
 * provides it. reference/platforms.md 7.1.
 */
#ifndef BOOT_S390X_SCLP_H
#define BOOT_S390X_SCLP_H

#include "ring/base.h" /* bool, size_t */

/*
 * Register for ASCII console events (WRITE EVENT MASK). Returns true when
 * the SCLP accepted and can receive ASCII console data, false otherwise
 * (Hercules 3.13 has no ASCII console event).
 */
bool sclp_ascii_probe(void);

/* Write n bytes (raw ASCII, newlines as given). Returns 0 or -VERR_IO. */
int sclp_ascii_write(const char *s, size_t n);

/* Console input: up to size bytes that arrived; 0 when none has, or
 * -VERR_IO. Does not wait. */
int sclp_ascii_read(char *buf, size_t size);

/*
 * READ SCP INFO, the forced form (0x00120001) or the plain one: the memory
 * the machine has (rnmax increments of rnsize MiB, or the 64-bit fields
 * when those are 0) and the machine's load parameter (8 EBCDIC
 * characters). 0; -VERR_NOTSUP when the command was answered with
 * another response code (not known there); -VERR_IO when the SERVICE
 * CALL was refused. Each answer comes with a service signal, which the
 * caller takes (Hercules refuses the next call while it is pending).
 */
int sclp_read_info(bool forced, u64 *mem_bytes, u8 loadparm[8]);

#endif /* BOOT_S390X_SCLP_H */
