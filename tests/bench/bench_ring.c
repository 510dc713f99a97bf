/*
 * Virtqueue benchmark, in the manner of Linux's tools/virtio/ringtest: a
 * driver thread and a device thread pinned to two different cores, both
 * polling, a ring of 256, N operations. One operation is a buffer posted
 * by the driver, taken and marked used by the device, and collected by the
 * driver. In the same run, a cache-line ping-pong between the same two
 * cores measures the floor any ring pays for moving a line there and back.
 *
 * Prints BENCH lines: the median of the runs for the ping-pong round trip
 * and for each layout in ns per operation, and each layout's ratio to the
 * round trip.
 *
 * Usage: bench-ring [operations] [runs]   (defaults 10000000 and 5)
 *
 * The threads' state sits on cache lines of its own (struct rig): sharing
 * a line between the driver's and the device's state would measure false
 * sharing instead of the ring.
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

/*
 * Buffers per publication on each side. The driver publishes once per pass
 * (everything it could post); the device every 8 buffers, one line of used
 * elements or two lines of packed descriptors, so the driver gets them
 * while the device goes on (4 to 32 measure the same here). 0: once per
 * pass. Environment DRV_BATCH and DEV_BATCH override them.
 */
static unsigned drv_batch, dev_batch = 8;
/* Buffers in flight at most (ringtest's max_outstanding); OUTSTANDING overrides. */
static unsigned outstanding = RING;

/* Spin politely while the other side works (ringtest's busy wait). */
static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}
#define MAX_RUNS 15

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

/* --- The floor: a line bounced between the two cores ------------------------- */

static _Alignas(64) unsigned long ping;
static _Alignas(64) unsigned long pong;
static unsigned long pp_rounds;

static void *pong_thread(void *arg)
{
	(void)arg;
	pin(1);
	for (unsigned long i = 1; i <= pp_rounds; i++) {
		while (__atomic_load_n(&ping, __ATOMIC_ACQUIRE) != i)
			;
		__atomic_store_n(&pong, i, __ATOMIC_RELEASE);
	}
	return NULL;
}

static double pingpong(unsigned long rounds)
{
	pthread_t t;
	double t0, t1;

	pp_rounds = rounds;
	ping = pong = 0;
	if (pthread_create(&t, NULL, pong_thread, NULL))
		return -1;
	pin(0);
	t0 = now_ns();
	for (unsigned long i = 1; i <= rounds; i++) {
		__atomic_store_n(&ping, i, __ATOMIC_RELEASE);
		while (__atomic_load_n(&pong, __ATOMIC_ACQUIRE) != i)
			;
	}
	t1 = now_ns();
	pthread_join(t, NULL);
	return (t1 - t0) / (double)rounds;
}

/* --- The ring ------------------------------------------------------------------------ */

/*
 * Each thread's state on cache lines of its own: the driver's struct vq and
 * the device's struct vqd change on every operation, and sharing a line
 * between them would measure false sharing, not the ring.
 */
struct rig {
	bool packed;
	unsigned long ops;
	u8 *ring;
	u8 *priv;
	_Alignas(64) u8 data[4096];
	_Alignas(64) struct vq vq;
	_Alignas(64) struct vqd dev;
	struct vq_mem mem;
	_Alignas(64) volatile int failed;
	_Alignas(64) u8 end;
};

static void *map_data(void *ctx, u64 addr, u64 len, bool write)
{
	struct rig *r = ctx;
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)r->data;

	(void)write;
	return a >= base && len <= sizeof(r->data) && a - base <= sizeof(r->data) - len ? (void *)a
											  : NULL;
}

static void *device_thread(void *arg)
{
	struct rig *r = arg;
	struct vq_seg seg[4];
	struct vq_chain c = { .seg = seg, .cap = 4 };
	unsigned long done = 0;
	int rc;

	pin(1);
	while (done < r->ops) {
		unsigned long before = done;

		/* Take what is there, then publish the batch at once. */
		while ((rc = vqd_pop(&r->dev, &c)) == 1) {
			vqd_push(&r->dev, &c, 0);
			done++;
			if (dev_batch && (done - before) % dev_batch == 0)
				vqd_flush(&r->dev);
		}
		if (rc < 0) {
			r->failed = 1;
			return NULL;
		}
		if (done == before)
			relax();
		else
			vqd_flush(&r->dev);
	}
	return NULL;
}

static int rig_setup(struct rig *r, bool packed, unsigned long ops)
{
	struct vq_layout lay;
	struct vq_config cfg;
	struct vqd_config dcfg;

	memset(r, 0, sizeof(*r));
	r->packed = packed;
	r->ops = ops;
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
	r->mem.map = map_data;
	r->mem.ctx = r;
	r->mem.base = r->data;
	r->mem.base_addr = (u64)(uintptr_t)r->data;
	r->mem.size = sizeof(r->data);
	memset(&dcfg, 0, sizeof(dcfg));
	dcfg.num = RING;
	dcfg.packed = packed;
	dcfg.desc = cfg.desc;
	dcfg.driver = cfg.driver;
	dcfg.device = cfg.device;
	dcfg.mem = &r->mem;
	if (vqd_init(&r->dev, &dcfg))
		return -1;
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

/* ns per operation, or -1 when a side failed. */
static double ring_run(bool packed, unsigned long ops)
{
	static struct rig r;
	struct vq_buf b;
	unsigned long started = 0, completed = 0;
	pthread_t t;
	double t0, t1;
	void *tok;
	u32 len;
	int rc;

	if (rig_setup(&r, packed, ops))
		return -1;
	b.addr = (u64)(uintptr_t)r.data;
	b.len = 64;
	if (pthread_create(&t, NULL, device_thread, &r))
		return -1;
	pin(0);
	t0 = now_ns();
	while (completed < ops) {
		unsigned long before = completed;

		/* Collect what is used, post what fits, publish once. */
		while ((rc = vq_get_used(&r.vq, &tok, &len)) == 1)
			completed++;
		if (rc < 0 || r.failed)
			break;
		if (completed == before) {
			/* Nothing came back: the device is still writing; do
			 * not pull its line away while it does. */
			relax();
			if (started - completed >= outstanding || started == ops)
				continue;
		}
		while (started < ops && started - completed < outstanding &&
		       vq_add(&r.vq, &b, 1, 0, &r) == 0) {
			started++;
			if (drv_batch && started % drv_batch == 0)
				vq_kick_prepare(&r.vq);
		}
		vq_kick_prepare(&r.vq);
	}
	t1 = now_ns();
	pthread_join(t, NULL);
	rig_free(&r);
	if (completed != ops || r.failed)
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
	double pp[MAX_RUNS], sp[MAX_RUNS], pk[MAX_RUNS], mpp, msp, mpk;

	if (getenv("OUTSTANDING"))
		outstanding = (unsigned)strtoul(getenv("OUTSTANDING"), NULL, 10);
	if (getenv("DRV_BATCH"))
		drv_batch = (unsigned)strtoul(getenv("DRV_BATCH"), NULL, 10);
	if (getenv("DEV_BATCH"))
		dev_batch = (unsigned)strtoul(getenv("DEV_BATCH"), NULL, 10);
	if (runs < 1 || runs > MAX_RUNS || ops < 1000) {
		fprintf(stderr, "usage: bench-ring [operations >= 1000] [runs 1..%d]\n", MAX_RUNS);
		return 2;
	}
	/* Interleaved, so a noisy moment weighs on all three alike. */
	for (unsigned i = 0; i < runs; i++) {
		pp[i] = pingpong(ops / 10);
		sp[i] = ring_run(false, ops);
		pk[i] = ring_run(true, ops);
		if (pp[i] < 0 || sp[i] < 0 || pk[i] < 0) {
			fprintf(stderr, "bench-ring: a run failed\n");
			return 1;
		}
	}
	mpp = median(pp, runs);
	msp = median(sp, runs);
	mpk = median(pk, runs);
	printf("BENCH ring.pingpong-roundtrip %.1f ns\n", mpp);
	printf("BENCH ring.split-op %.1f ns\n", msp);
	printf("BENCH ring.packed-op %.1f ns\n", mpk);
	printf("BENCH ring.split-op-over-roundtrip %.2f ratio\n", msp / mpp);
	printf("BENCH ring.packed-op-over-roundtrip %.2f ratio\n", mpk / mpp);
	return 0;
}
