/*
 * The platform port (ccw/port.h) on the simulator: console on standard
 * output, a virtual clock, waits that let the simulator make progress, DMA
 * memory in guest memory, and exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "boot/host/host.h"
#include "ccw/port.h"

/* Longest real time one idle call may give device models (their input). */
#define HOST_IDLE_SLICE_US 20000u

/* The port's state: the bound machine and what belongs to it, one per
 * thread (host.h). */
static _Thread_local struct {
	struct sim *sim;
	u64 dma_base, dma_next;
	u64 clock_base;         /* the machine's clock at host_bind() */
	u64 clock_us;           /* without a machine: a counter of its own */
	void (*sink)(void *ctx, const char *s, size_t n);
	void *sink_ctx;
	host_pgm_fn pgm;
	const char *cmdline;
	void (*crw_hook)(void *ctx);
	void *crw_hook_ctx;
} host = { .cmdline = "" };

void host_bind(struct sim *sim)
{
	host.sim = sim;
	host.dma_base = host.dma_next = HOST_DMA_BASE;
	host.clock_us = 0;
	host.clock_base = sim ? sim_now_us(sim) : 0;
	if (sim)
		sim_set_isc_mask(sim, 0xFF);
}

struct sim *host_sim(void)
{
	return host.sim;
}

void host_set_output(void (*sink)(void *ctx, const char *s, size_t n), void *ctx)
{
	host.sink = sink;
	host.sink_ctx = ctx;
}

void host_set_pgm_handler(host_pgm_fn fn)
{
	host.pgm = fn;
}

u64 host_clock_us(void)
{
	return host.sim ? sim_now_us(host.sim) - host.clock_base : host.clock_us;
}

/* Let us of virtual time pass: the machine's timers run as they fall due. */
static void pass(u64 us)
{
	if (host.sim)
		sim_advance(host.sim, us);
	else
		host.clock_us += us;
}

u64 host_dma_used(void)
{
	return host.dma_next - host.dma_base;
}

void host_set_dma_base(u64 base)
{
	host.dma_base = host.dma_next = base;
}

/* Real microseconds, for the time device models spend waiting for input. */
static u64 real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000u + (u64)ts.tv_nsec / 1000u;
}

/* Called by the instruction wrappers for a program exception. */
void host_pgm(int code, const char *insn)
{
	if (host.pgm) {
		host.pgm(code, insn);
		return;
	}
	fflush(stdout);
	fprintf(stderr, "*** program interruption: code %04x on %s (operand outside guest memory "
			"or invalid)\n*** run ended: exit status 1\n", code, insn);
	exit(1);
}

void port_write(const char *s, size_t n)
{
	if (host.sink)
		host.sink(host.sink_ctx, s, n);
	else
		fwrite(s, 1, n, stdout);
}

u64 port_now_us(void)
{
	/* Virtual time: it moves a little on every look, so a loop that only
	 * watches the clock still ends, and jumps when a wait has nothing to
	 * wait for. */
	pass(1);
	return host_clock_us();
}

bool port_clock_real(void)
{
	return false;
}

bool port_wait_io(u64 deadline_us, struct port_irq *irq)
{
	struct sim_io_int ii;
	unsigned steps;

	for (;;) {
		u64 now = host_clock_us(), until = deadline_us, timer;

		if (sim_take_io_interrupt(host.sim, &ii)) {
			irq->schid = ii.schid;
			irq->intparm = ii.intparm;
			irq->iid = ii.iid;
			pass(1);
			return true;
		}
		if (now >= deadline_us)
			return false;
		/* Deferred completion: the channel subsystem works while the
		 * CPU waits, one microsecond a step. */
		steps = sim_progress(host.sim);
		if (steps == 0) {
			/* Nothing in the channel subsystem: devices with outside
			 * input (a console reading a pipe) get the time, in real
			 * microseconds; without them the clock jumps to the next
			 * timer of a device model, or to the deadline. */
			u64 budget, t0;
			int idle;

			if (sim_next_timer(host.sim, &timer)) {
				timer -= host.clock_base;
				if (timer < until)
					until = timer > now ? timer : now + 1;
			}
			budget = MIN(until - now, (u64)HOST_IDLE_SLICE_US);
			t0 = real_us();
			idle = sim_idle(host.sim, budget);
			if (idle < 0) {
				pass(until - now);
				continue;
			}
			steps = (unsigned)MIN(MAX(real_us() - t0, (u64)1), until - now);
		}
		pass(steps);
	}
}

void host_set_crw_wait_hook(void (*fn)(void *ctx), void *ctx)
{
	host.crw_hook = fn;
	host.crw_hook_ctx = ctx;
}

bool port_wait_crw(u64 deadline_us)
{
	if (host.crw_hook) {
		void (*fn)(void *ctx) = host.crw_hook;

		host.crw_hook = NULL;
		fn(host.crw_hook_ctx);
	}
	for (;;) {
		u64 now = host_clock_us(), until = deadline_us, timer;
		int idle;

		if (sim_crw_pending(host.sim)) {
			pass(1);
			return true;
		}
		if (now >= deadline_us)
			return false;
		/* Nothing but the devices' timers and input can make a report:
		 * the clock jumps to the next timer, or the deadline. */
		if (sim_next_timer(host.sim, &timer)) {
			timer -= host.clock_base;
			if (timer < until)
				until = timer > now ? timer : now + 1;
		}
		sim_progress(host.sim);
		idle = sim_idle(host.sim, MIN(until - now, (u64)HOST_IDLE_SLICE_US));
		pass(idle < 0 ? until - now : MIN(until - now, (u64)HOST_IDLE_SLICE_US));
	}
}

void *port_dma_alloc(size_t size, size_t align)
{
	u64 p;
	void *ptr;

	if (align < 8)
		align = 8;
	p = ALIGN_UP(host.dma_next, (u64)align);
	/* Below 2 GiB, where format-1 CCWs and IDAWs can point. */
	if (p + size > sim_mem_size(host.sim) || p + size > 0x80000000ull)
		return NULL;
	ptr = sim_mem_ptr(host.sim, p, size);
	if (!ptr)
		return NULL;
	host.dma_next = p + size;
	memset(ptr, 0, size);
	return ptr;
}

u64 port_dma_addr(const void *p)
{
	u64 a;

	/* Not guest memory: an address no channel program can use. */
	if (!sim_mem_addr(host.sim, p, 1, &a))
		return 0xFFFFFFFFFFFFFFFFull;
	return a;
}

void *port_dma_ptr(u64 addr, size_t len)
{
	return sim_mem_ptr(host.sim, addr, len);
}

const char *port_name(void)
{
	return "host simulator";
}

const char *port_cmdline(void)
{
	return host.cmdline;
}

void host_set_cmdline(const char *cmdline)
{
	host.cmdline = cmdline ? cmdline : "";
}

__noreturn void port_exit(bool success)
{
	fflush(stdout);
	exit(success ? 0 : 1);
}

__noreturn void port_crash(void)
{
	fflush(stdout);
	printf("*** unexpected program interruption: code 0001 (operation), ILC 1\n"
	       "*** run ended: exit status 1 (simulated program check)\n");
	fflush(stdout);
	exit(1);
}
