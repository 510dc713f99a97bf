/*
 * The project's virtqueue behind the ring interface of Linux's
 * tools/virtio/ringtest (its main.h), so that ringtest's own harness drives
 * this ring exactly as it drives its own variants. It is not built by the
 * Makefile: ringtest is not part of this repository. The comparison
 * script that brings ringtest's files builds it with them, once with
 * -DPACKED=0 (split) and once with -DPACKED=1 (packed).
 *
 * The contract, as for ringtest's rings:
 *   add_inbuf()  adds one buffer and makes it visible to the device
 *                (vq_add(), vq_publish(): a release store, no fence);
 *   use_buf()    takes one buffer and marks it used, visible to the driver
 *                (vqd_pop(), vqd_push(), vqd_publish());
 *   kick_available() / call_used()
 *                the notification decisions (vq_kick_prepare(),
 *                vqd_flush(): the full fence and the read of the peer's
 *                suppression state), which the harness calls only when
 *                the sides sleep (--sleep); polling, both sides turn
 *                notifications off and never decide.
 * No batching beyond what the harness asks for: one buffer per add, one
 * used entry per use. The device reads and checks every descriptor as it
 * does for a real driver (ring/vq_dev.c).
 *
 * Build: gcc -O2 -I<ringtest> -I<project> -DPACKED=0|1 -c this file, then
 * link with ringtest's main.o and the project's ring/{base,vq,split,
 * packed,vq_dev}.c.
 */
#define _GNU_SOURCE
#include "main.h" /* ringtest's interface: ring_size, do_sleep, kick(), call() */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring/vq.h"
#include "ring/vq_dev.h"

#ifndef PACKED
#define PACKED 0
#endif

/* The descriptors the harness's buffers are described by: it passes one
 * buffer address for every add; the driver side writes descriptors with
 * varying addresses and lengths within this area, as a driver whose
 * buffers move does. */
#define AREA 4096u
#define SLOT 64u

static struct {
	/* The driver's state (guest thread), a line of its own. */
	_Alignas(64) struct vq vq;
	struct vq_buf next;     /* what the next add describes: SLOT after SLOT */
	void *buf;              /* the harness's buffer pointer, handed back */
	bool kick_wanted;
	/* The device's state (host thread). */
	_Alignas(64) struct vqd dev;
	struct vq_mem mem;
	struct vq_seg seg[2];
	struct vq_chain chain;
	bool call_wanted;
	/* What the descriptors point at. */
	_Alignas(64) u8 area[AREA];
} s;

static void fail(const char *what)
{
	fprintf(stderr, "ringtest_adapter: %s (driver fault %d, device fault %d)\n", what,
		s.vq.fault, s.dev.fault);
	exit(7);
}

/* The device's view of memory: the area, nothing else. */
static void *area_map(void *ctx, u64 addr, u64 len, bool write)
{
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)s.area;

	(void)ctx;
	(void)write;
	if (a < base || len > AREA || a - base > AREA - len)
		return NULL;
	return (void *)a;
}

static void check_at_exit(void)
{
	if (vq_broken(&s.vq) || vqd_fault(&s.dev) != VQD_OK)
		fail("ring broken at exit");
}

void alloc_ring(void)
{
	struct vq_layout lay;
	struct vq_config dc;
	struct vqd_config vc;
	u8 *ring, *priv;
	size_t psize;

	if (vq_layout(ring_size, PACKED, false, 0, &lay))
		fail("ring size");
	psize = vq_priv_size(ring_size, PACKED);
	ring = aligned_alloc(4096, ALIGN_UP(lay.size, (size_t)4096));
	priv = aligned_alloc(64, ALIGN_UP(psize, (size_t)64));
	if (!ring || !priv)
		fail("out of memory");
	memset(&dc, 0, sizeof(dc));
	dc.num = ring_size;
	dc.packed = PACKED;
	dc.desc = ring + lay.desc_off;
	dc.driver = ring + lay.driver_off;
	dc.device = ring + lay.device_off;
	dc.priv = priv;
	if (vq_init(&s.vq, &dc))
		fail("vq_init");
	s.mem.map = area_map;
	s.mem.base = s.area;
	s.mem.base_addr = (u64)(uintptr_t)s.area;
	s.mem.size = AREA;
	memset(&vc, 0, sizeof(vc));
	vc.num = ring_size;
	vc.packed = PACKED;
	vc.desc = dc.desc;
	vc.driver = dc.driver;
	vc.device = dc.device;
	vc.mem = &s.mem;
	if (vqd_init(&s.dev, &vc))
		fail("vqd_init");
	s.chain.seg = s.seg;
	s.chain.cap = 2;
	s.next.addr = (u64)(uintptr_t)s.area;
	s.next.len = SLOT - 1;
	if (!do_sleep) {
		/* Both sides poll: neither wants notifications. */
		vq_disable_cb(&s.vq);
		vqd_disable_notify(&s.dev);
	}
	atexit(check_at_exit);
}

/* --- The driver (guest thread) ------------------------------------------------ */

int add_inbuf(unsigned len, void *buf, void *datap)
{
	/* One device-writable buffer, a different place and length each
	 * time (the area's 64 slots, 63 or 62 bytes): the descriptor lines
	 * carry new data on every lap. */
	int rc = vq_add(&s.vq, &s.next, 0, 1, datap);

	(void)len;
	if (__builtin_expect(rc == -VERR_NOMEM, 0))
		return -1;
	if (__builtin_expect(rc != 0, 0))
		fail("vq_add");
	s.next.addr += SLOT;
	s.next.len ^= 1;
	if (s.next.addr == (u64)(uintptr_t)(s.area + AREA))
		s.next.addr = (u64)(uintptr_t)s.area;
	s.buf = buf;
	vq_publish(&s.vq);
	return 0;
}

void *get_buf(unsigned *lenp, void **bufp)
{
	void *token;
	u32 len;
	int rc = vq_get_used(&s.vq, &token, &len);

	if (rc == 0)
		return NULL;
	if (__builtin_expect(rc < 0, 0))
		fail("vq_get_used");
	*lenp = len;
	*bufp = s.buf;
	return token;
}

bool used_empty(void)
{
	return !vq_more_used(&s.vq);
}

void disable_call(void)
{
	vq_disable_cb(&s.vq);
}

/* true: nothing is used yet; the caller may wait for a call. */
bool enable_call(void)
{
	return vq_enable_cb(&s.vq);
}

void kick_available(void)
{
	if (vq_kick_prepare(&s.vq))
		kick();
}

/* --- The device (host thread) --------------------------------------------------- */

void disable_kick(void)
{
	vqd_disable_notify(&s.dev);
}

/* true: nothing is available; the caller may wait for a kick. */
bool enable_kick(void)
{
	return vqd_enable_notify(&s.dev);
}

bool avail_empty(void)
{
	return !vqd_avail(&s.dev);
}

bool use_buf(unsigned *lenp, void **bufp)
{
	int rc = vqd_pop(&s.dev, &s.chain);

	if (rc == 0)
		return false;
	if (__builtin_expect(rc < 0 || s.chain.nseg != 1, 0))
		fail("vqd_pop");
	*lenp = s.chain.seg[0].len;
	*bufp = s.chain.seg[0].ptr;
	/* As ringtest's devices do: the length less one, as written. */
	vqd_push(&s.dev, &s.chain, s.chain.seg[0].len - 1);
	vqd_publish(&s.dev);
	return true;
}

void call_used(void)
{
	if (vqd_flush(&s.dev))
		call();
}
