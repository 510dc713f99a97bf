/*
 * The host port: ccw/ioasm.h and ccw/port.h implemented on top of the
 * simulator, so the driver runs unchanged on an ordinary PC. The port acts
 * on one bound machine at a time in each thread: the binding, the output
 * sink, the handlers and the command line are the calling thread's, so
 * threads may each run a driver on a machine of their own at once.
 */
#ifndef BOOT_HOST_HOST_H
#define BOOT_HOST_HOST_H

#include "ring/base.h"
#include "sim/sim.h"

/* Where DMA memory starts in guest memory (the image's heap is above 0x10000 too). */
#define HOST_DMA_BASE 0x20000u

/*
 * Bind the port to a machine: the I/O instructions act on it, DMA memory
 * comes from its guest memory from HOST_DMA_BASE up, every interruption
 * subclass is enabled, and the virtual clock restarts at 0.
 */
void host_bind(struct sim *sim);

/* The bound machine, or NULL. */
struct sim *host_sim(void);

/* Console output goes to sink (default: standard output). NULL restores it. */
void host_set_output(void (*sink)(void *ctx, const char *s, size_t n), void *ctx);

/*
 * A program exception raised by an I/O instruction (the driver passed a
 * bad operand). The default handler prints a diagnosis and exits with
 * status 1, as the machine would end the run; tests install their own
 * (which may longjmp away). insn is the mnemonic.
 */
typedef void (*host_pgm_fn)(int code, const char *insn);
void host_set_pgm_handler(host_pgm_fn fn);

/* Called once, the first time the program waits for a channel report
 * (port_wait_crw()): ccwsim starts its schedule of devices then. */
void host_set_crw_wait_hook(void (*fn)(void *ctx), void *ctx);

/* The command line port_cmdline() returns (QEMU's -append). */
void host_set_cmdline(const char *cmdline);

/* For the port's own files: report a program exception of insn. */
void host_pgm(int code, const char *insn);

/* The virtual clock, in microseconds (port_now_us()). */
u64 host_clock_us(void);

/* Bytes of DMA memory handed out since host_bind(). */
u64 host_dma_used(void);

/* Hand out DMA memory from base up instead (a loader keeps low memory for
 * what it loads); call right after host_bind(). */
void host_set_dma_base(u64 base);

#endif /* BOOT_HOST_HOST_H */
