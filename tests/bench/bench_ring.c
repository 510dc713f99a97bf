/*
 * Virtqueue benchmark, by the method of Linux's tools/virtio/ringtest: a
 * driver thread and a device thread pinned to two cores, both polling, a
 * ring of 256, N operations. One operation is a buffer added by the
 * driver, taken and marked used by the device, and collected by the
 * driver.
 *
 * The default figures follow ringtest's harness call for call: the driver
 * adds one buffer and makes it visible (vq_add(), vq_publish()), then
 * tries to collect one, and polls for used buffers only when it can do
 * neither; the device polls for an available buffer, then takes, marks
 * used and publishes one at a time (vqd_pop(), vqd_push(),
 * vqd_publish()). Every descriptor is written with another address and
 * length (64 places in a 4 KiB area, 63 or 62 bytes), so descriptor lines
 * carry new data each lap, as with a driver whose buffers move.
 *
 * Batched figures, printed under their own names with the batch sizes
 * (ring.<layout>-op.batch-drv<D>-dev<E>): the driver publishes every D
 * buffers, the device every E, and each whatever is pending when it runs
 * dry. That is a feature of the API (publish several, then kick), not
 * what the harness asks for.
 *
 * The floor, measured in the same run between the same cores: one cache
 * line written in turn by the two threads (as ../tools/pingpong.c in the
 * project's measuring tools does): a round trip is two transfers of that
 * line.
 *
 * Prints BENCH lines: the medians of the runs in ns per operation or per
 * round trip, and each layout's ratio to the round trip.
 *
 * Usage: bench-ring [operations] [runs]   (defaults 10000000 and 5)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ring/vq.h"
#include "ring/vq_dev.h"

#define RING 256u
#define AREA 4096u
#define SLOT 64u
#define MAX_RUNS 15

/* One way of calling the ring: publish every drv (driver) and dev
 * (device) buffers; 1 and 1 is the harness's method. */
struct method {
	const char *suffix;
	unsigned drv, dev;
};

static const struct method methods[] = {
	{ "", 1, 1 },
	{ ".batch-drv32-dev8", 32, 8 },
};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* --- The floor: one line, written in turn by the two cores ------------------ */

static _Alignas(64) unsigned long line;
static unsigned long pp_rounds;

static void *pong_thread(void *arg)
{
	(void)arg;
	pin(1);
	for (unsigned long i = 0; i < pp_rounds; i++) {
		while (__atomic_load_n(&line, __ATOMIC_ACQUIRE) != 2 * i + 1)
			;
		__atomic_store_n(&line, 2 * i + 2, __ATOMIC_RELEASE);
	}
	return NULL;
}

static double pingpong(unsigned long rounds)
{
	pthread_t t;
	double t0, t1;

	pp_rounds = rounds;
	__atomic_store_n(&line, 0, __ATOMIC_SEQ_CST);
	if (pthread_create(&t, NULL, pong_thread, NULL))
		return -1;
	pin(0);
	t0 = now_ns();
	for (unsigned long i = 0; i < rounds; i++) {
		__atomic_store_n(&line, 2 * i + 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&line, __ATOMIC_ACQUIRE) != 2 * i + 2)
			;
	}
	t1 = now_ns();
	pthread_join(t, NULL);
	return (t1 - t0) / (double)rounds;
}

/* --- The ring ------------------------------------------------------------------- */

/*
 * Each thread's state on cache lines of its own: sharing a line between
 * the driver's struct vq and the device's struct vqd would measure false
 * sharing, not the ring.
 */
struct rig {
	/* Read by both, written before the threads start. */
	bool packed;
	unsigned long ops;
	struct method m;
	u8 *ring;
	u8 *priv;
	/* The driver's. */
	_Alignas(64) struct vq vq;
	struct vq_buf next;
	/* The device's. */
	_Alignas(64) struct vqd dev;
	struct vq_mem mem;
	struct vq_seg seg[2];
	struct vq_chain chain;
	/* Set by either side when it fails. */
	_Alignas(64) volatile int failed;
	/* What the descriptors point at; neither side touches it. */
	_Alignas(64) u8 area[AREA];
};

static void *map_area(void *ctx, u64 addr, u64 len, bool write)
{
	struct rig *r = ctx;
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)r->area;

	(void)write;
	return a >= base && len <= AREA && a - base <= AREA - len ? (void *)a : NULL;
}

/* The device: ringtest's run_host(). */
static void *device_thread(void *arg)
{
	struct rig *r = arg;
	unsigned long done = 0, unpublished = 0;
	int rc;

	pin(1);
	while (done < r->ops) {
		while (!vqd_avail(&r->dev)) {
			if (r->failed || vqd_fault(&r->dev))
				goto out;
		}
		while ((rc = vqd_pop(&r->dev, &r->chain)) == 1) {
			vqd_push(&r->dev, &r->chain, r->chain.seg[0].len - 1);
			done++;
			if (++unpublished == r->m.dev || done == r->ops) {
				vqd_publish(&r->dev);
				unpublished = 0;
			}
		}
		if (rc < 0)
			break;
		if (unpublished) {
			vqd_publish(&r->dev);
			unpublished = 0;
		}
	}
out:
	if (done != r->ops)
		r->failed = 1;
	return NULL;
}

static int rig_setup(struct rig *r, bool packed, unsigned long ops, const struct method *m)
{
	struct vq_layout lay;
	struct vq_config cfg;
	struct vqd_config dcfg;

	memset(r, 0, sizeof(*r));
	r->packed = packed;
	r->ops = ops;
	r->m = *m;
	if (vq_layout(RING, packed, false, 0, &lay))
		return -1;
	r->ring = aligned_alloc(4096, ALIGN_UP(lay.size, (size_t)4096));
	r->priv = aligned_alloc(64, ALIGN_UP(vq_priv_size(RING, packed), (size_t)64));
	if (!r->ring || !r->priv)
		return -1;
	memset(&cfg, 0, sizeof(cfg));
	cfg.num = RING;
	cfg.packed = packed;
	cfg.desc = r->ring + lay.desc_off;
	cfg.driver = r->ring + lay.driver_off;
	cfg.device = r->ring + lay.device_off;
	cfg.priv = r->priv;
	if (vq_init(&r->vq, &cfg))
		return -1;
	r->mem.map = map_area;
	r->mem.ctx = r;
	r->mem.base = r->area;
	r->mem.base_addr = (u64)(uintptr_t)r->area;
	r->mem.size = AREA;
	memset(&dcfg, 0, sizeof(dcfg));
	dcfg.num = RING;
	dcfg.packed = packed;
	dcfg.desc = cfg.desc;
	dcfg.driver = cfg.driver;
	dcfg.device = cfg.device;
	dcfg.mem = &r->mem;
	if (vqd_init(&r->dev, &dcfg))
		return -1;
	r->chain.seg = r->seg;
	r->chain.cap = 2;
	r->next.addr = (u64)(uintptr_t)r->area;
	r->next.len = SLOT - 1;
	/* Polling on both sides: no notifications wanted either way. */
	vq_disable_cb(&r->vq);
	vqd_disable_notify(&r->dev);
	return 0;
}

static void rig_free(struct rig *r)
{
	free(r->ring);
	free(r->priv);
}

/* The driver: ringtest's run_guest(). ns per operation, or -1 when a
 * side failed. */
static double ring_run(bool packed, unsigned long ops, const struct method *m)
{
	static struct rig r;
	unsigned long started = 0, completed = 0, unpublished = 0;
	pthread_t t;
	double t0, t1;
	void *tok;
	u32 len;
	int rc;

	if (rig_setup(&r, packed, ops, m))
		return -1;
	if (pthread_create(&t, NULL, device_thread, &r))
		return -1;
	pin(0);
	t0 = now_ns();
	while (completed < ops && !r.failed) {
		bool progress;

		do {
			progress = false;
			if (started < ops && vq_add(&r.vq, &r.next, 0, 1, &r) == 0) {
				/* The next descriptor elsewhere, another length. */
				r.next.addr += SLOT;
				r.next.len ^= 1;
				if (r.next.addr == (u64)(uintptr_t)(r.area + AREA))
					r.next.addr = (u64)(uintptr_t)r.area;
				started++;
				if (++unpublished == r.m.drv) {
					vq_publish(&r.vq);
					unpublished = 0;
				}
				progress = true;
			}
			rc = vq_get_used(&r.vq, &tok, &len);
			if (rc == 1) {
				completed++;
				progress = true;
			} else if (rc < 0) {
				r.failed = 1;
			}
		} while (progress && completed < ops);
		if (unpublished) {
			vq_publish(&r.vq);
			unpublished = 0;
		}
		while (completed < ops && !r.failed && !vq_more_used(&r.vq))
			;
	}
	t1 = now_ns();
	pthread_join(t, NULL);
	rig_free(&r);
	if (completed != ops || r.failed || vq_broken(&r.vq))
		return -1;
	return (t1 - t0) / (double)ops;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	unsigned long ops = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000000ul;
	unsigned runs = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 5;
	static double pp[MAX_RUNS], ns[NMETHODS][2][MAX_RUNS];
	double mpp;

	if (runs < 1 || runs > MAX_RUNS || ops < 1000) {
		fprintf(stderr, "usage: bench-ring [operations >= 1000] [runs 1..%d]\n", MAX_RUNS);
		return 2;
	}
	/* Interleaved, so a noisy moment weighs on every figure alike. */
	for (unsigned i = 0; i < runs; i++) {
		pp[i] = pingpong(ops / 10);
		if (pp[i] < 0) {
			fprintf(stderr, "bench-ring: the ping-pong failed\n");
			return 1;
		}
		for (unsigned k = 0; k < NMETHODS; k++)
			for (int packed = 0; packed < 2; packed++) {
				ns[k][packed][i] = ring_run(packed, ops, &methods[k]);
				if (ns[k][packed][i] < 0) {
					fprintf(stderr, "bench-ring: a %s run failed\n",
						packed ? "packed" : "split");
					return 1;
				}
			}
	}
	mpp = median(pp, runs);
	printf("BENCH ring.pingpong-roundtrip %.1f ns\n", mpp);
	for (unsigned k = 0; k < NMETHODS; k++)
		for (int packed = 0; packed < 2; packed++) {
			const char *name = packed ? "packed" : "split";
			double m = median(ns[k][packed], runs);

			printf("BENCH ring.%s-op%s %.1f ns\n", name, methods[k].suffix, m);
			printf("BENCH ring.%s-op%s-over-roundtrip %.2f ratio\n", name,
			       methods[k].suffix, m / mpp);
		}
	return 0;
}
