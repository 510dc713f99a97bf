/*
 * The platform port: what the ccw layer, the drivers and the programs need
 * from a platform besides the I/O instructions (ccw/ioasm.h). Implemented by
 * boot/s390x/plat.c on the machine and by boot/host/ on the simulator; the
 * choice is made at link time.
 */
#ifndef CCW_PORT_H
#define CCW_PORT_H

#include <stdarg.h> /* va_list */

#include "ring/base.h" /* u32, u64, size_t, __noreturn, __printf */

/* Write n bytes of text to the console. Never fails; may drop on overload. */
void port_write(const char *s, size_t n);

/* Microseconds on a monotonic clock (the TOD clock on s390x). */
u64 port_now_us(void);

/* Whether port_now_us() follows real time: false for the host port's
 * virtual clock, where a timing measures nothing. */
bool port_clock_real(void);

/* The interruption code of an I/O interruption the CPU took (PoP 16). */
struct port_irq {
	u32 schid;   /* subchannel-id word; 0 for an adapter interruption */
	u32 intparm; /* interruption parameter */
	u32 iid;     /* interruption-identification word (IO_INT_WORD_*) */
};

/*
 * Wait for an I/O interruption (subchannel or adapter) or the deadline (a
 * port_now_us() value), whichever comes first. Returns true when an
 * interruption ended the wait and stores its code in *irq; false when the
 * deadline passed. The interruption is a hint only: the caller still tests
 * its subchannel.
 */
bool port_wait_io(u64 deadline_us, struct port_irq *irq);

/*
 * Wait until a channel report is pending (the channel-report-pending
 * machine check, PoP 17 "Channel-Subsystem Recovery"), or the deadline.
 * The CPU waits enabled for it alone; I/O interruptions stay queued.
 * Returns true when a report may be there (read it with STCRW), false at
 * the deadline.
 */
bool port_wait_crw(u64 deadline_us);

/*
 * Memory the channel subsystem may address (below 2 GiB, as format-1 CCWs,
 * ORBs and format-1 IDAWs require). Returns NULL when exhausted. There is no
 * free: the programs allocate at start and keep what they take.
 */
void *port_dma_alloc(size_t size, size_t align);

/*
 * The address that goes into a CCW, an ORB, an IDAW or a ring descriptor for
 * a pointer into port_dma_alloc() memory (or a static buffer below 2 GiB on
 * s390x). The identity on s390x.
 */
u64 port_dma_addr(const void *p);

/*
 * The pointer for a channel-subsystem address: the inverse of
 * port_dma_addr(), or NULL when [addr, addr+len) is not addressable
 * memory. Used to follow TICs when decoding a channel program.
 */
void *port_dma_ptr(u64 addr, size_t len);

/* A short name of the platform, for the programs' banners. */
const char *port_name(void);

/* End the run: success or failure, in the platform's exit protocol. */
__noreturn void port_exit(bool success);

/* Execute an invalid instruction on purpose, to show the program-check path. */
__noreturn void port_crash(void);

/* printf to the console (ring/fmt.h conversions). Returns the byte count. */
int port_printf(const char *fmt, ...) __printf(1, 2);
int port_vprintf(const char *fmt, va_list ap);

/* The program's command line ("" when none), as QEMU's -append gives it. */
const char *port_cmdline(void);

#endif /* CCW_PORT_H */
