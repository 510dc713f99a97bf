/*
 * The virtio-blk benchmark: random 4 KiB reads (one logical block each) from
 * a 64 MiB memory disk through the whole stack on the simulator (vblk_submit, the ring,
 * DIAGNOSE 0x500 through the host port, the device model, the used ring,
 * vblk_complete) at queue depth 1 and 32, and as the baseline a 4 KiB
 * memcpy over the same working set. Two working sets: the whole disk, where
 * both copies miss the caches, and 256 KiB of it (".hot"), where both hit
 * and the ratio is the stack's own cost. Median of several runs; one
 * "BENCH <name> <value> <unit>" line per figure.
 *
 * Usage: bench-blk [requests per run] [runs]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boot/host/host.h"
#include "ccw/vccw.h"
#include "devices/vblk.h"
#include "sim/vdev.h"
#include "tests/prng.h"

#define DISK	     (64u << 20)
#define BLOCK	     4096u
#define BLOCKS	     (DISK / BLOCK)
#define HOT_BLOCKS   64u /* 256 KiB: stays in the caches */
#define QD_MAX	     32u
#define GUEST_MEM    (16u << 20)
#define DEFAULT_REQS 300000u
#define DEFAULT_RUNS 5u
#define MAX_RUNS     31u

struct bench {
	struct sim *sim;
	struct css css;
	struct vccw *v;
	struct vblk *b;
	u8 *buf[QD_MAX];
	u8 *src; /* the memcpy baseline's 64 MiB */
	u8 *dst[QD_MAX];
	u64 seed;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int die(const char *what, const char *why)
{
	fprintf(stderr, "bench-blk: %s: %s\n", what, why);
	return 1;
}

/* A machine with the disk, the driver up and every block written once (so
 * the model's memory is backed by distinct pages, as the baseline's is). */
static int setup(struct bench *bn)
{
	struct sim_config cfg = {
		.mem_size = GUEST_MEM,
		.profile = SIM_PROFILE_QEMU,
		.completion = SIM_COMPLETE_SYNC,
		.mss = true,
	};
	/* A disk of 4096-byte logical blocks, as a modern one: every read is
	 * one whole block, aligned (QEMU refuses anything else). */
	struct sim_blk_opts o = { .size = DISK, .serial = "bench", .logical_block_size = BLOCK,
				  .physical_block_size = BLOCK };
	struct sim_dev_config dev;
	char why[SIM_WHY_LEN] = "";
	u8 *chunk;
	long schid;
	int err;

	bn->seed = 0x9E3779B97F4A7C15ull;
	bn->sim = sim_create(&cfg);
	if (!bn->sim)
		return die("sim_create", "failed");
	memset(&dev, 0, sizeof(dev));
	dev.schno = -1;
	dev.devno = 0x0001;
	schid = sim_vdev_blk(bn->sim, &dev, NULL, &o, why);
	if (schid < 0)
		return die("sim_vdev_blk", why);
	host_bind(bn->sim);
	if (css_init(&bn->css))
		return die("css_init", "failed");
	bn->v = port_dma_alloc(sizeof(*bn->v), 8);
	bn->b = port_dma_alloc(sizeof(*bn->b), 8);
	chunk = port_dma_alloc(1u << 20, 4096);
	if (!bn->v || !bn->b || !chunk)
		return die("guest memory", "exhausted");
	err = vccw_init(bn->v, &bn->css, (u32)schid, VIRTIO_ID_BLOCK, NULL);
	if (err)
		return die("vccw_init", bn->v->vdev.why);
	err = vblk_init(bn->b, vccw_virtio(bn->v), QD_MAX);
	if (err)
		return die("vblk_init", bn->b->why);
	if (BLOCK % bn->b->blk_size)
		return die("the disk", "a read would not be whole logical blocks");
	for (u32 off = 0; off < DISK; off += 1u << 20) {
		prng_fill(chunk, 1u << 20, &bn->seed);
		if (vblk_write(bn->b, off / VBLK_SECTOR, chunk, 1u << 20))
			return die("filling the disk", bn->b->why);
	}
	for (unsigned i = 0; i < QD_MAX; i++) {
		bn->buf[i] = port_dma_alloc(BLOCK, BLOCK);
		bn->dst[i] = aligned_alloc(BLOCK, BLOCK);
		if (!bn->buf[i] || !bn->dst[i])
			return die("buffers", "no memory");
	}
	bn->src = malloc(DISK);
	if (!bn->src)
		return die("baseline", "no memory");
	prng_fill(bn->src, DISK, &bn->seed);
	return 0;
}

/* n random 4 KiB reads with up to qd in flight; ns per request, or < 0. */
static double run_reads(struct bench *bn, unsigned qd, unsigned n, u64 blocks)
{
	struct vblk *b = bn->b;
	unsigned free_slot[QD_MAX], nfree = qd, submitted = 0, done = 0;
	double t0;

	for (unsigned i = 0; i < qd; i++)
		free_slot[i] = i;
	t0 = now_ns();
	while (done < n) {
		void *cookie;
		int result, rc;

		while (nfree && submitted < n) {
			unsigned s = free_slot[--nfree];
			u64 sector = (prng_next(&bn->seed) % blocks) * (BLOCK / VBLK_SECTOR);

			if (vblk_submit(b, VBLK_READ, sector, bn->buf[s], BLOCK,
					(void *)(uintptr_t)s)) {
				fprintf(stderr, "bench-blk: submit: %s\n", b->why);
				return -1;
			}
			submitted++;
		}
		if (vblk_kick(b))
			return -1;
		while ((rc = vblk_complete(b, &cookie, &result)) == 1) {
			if (result) {
				fprintf(stderr, "bench-blk: read: %s\n", b->why);
				return -1;
			}
			free_slot[nfree++] = (unsigned)(uintptr_t)cookie;
			done++;
		}
		if (rc < 0)
			return -1;
		if (b->in_flight && nfree == 0 &&
		    vblk_wait(b, port_now_us() + VBLK_TIMEOUT_US) <= 0) {
			fprintf(stderr, "bench-blk: wait: %s\n", b->why);
			return -1;
		}
	}
	return (now_ns() - t0) / n;
}

/* The baseline: n 4 KiB copies from random 4 KiB-aligned places of 64 MiB. */
static double run_memcpy(struct bench *bn, unsigned n, u64 blocks)
{
	double t0 = now_ns();

	for (unsigned i = 0; i < n; i++) {
		u64 off = (prng_next(&bn->seed) % blocks) * BLOCK;

		memcpy(bn->dst[i % QD_MAX], bn->src + off, BLOCK);
		/* The copy is the work: keep the compiler from dropping it. */
		__asm__ __volatile__("" : : "r"(bn->dst[i % QD_MAX]) : "memory");
	}
	return (now_ns() - t0) / n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* One working set: depth 1, depth 32 and the memcpy, interleaved so drift
 * in the machine's speed touches all three alike; medians in ns. */
struct figures {
	double qd1, qd32, mc;
};

static int measure(struct bench *bn, u64 blocks, unsigned reqs, unsigned runs,
		   struct figures *f)
{
	double qd1[MAX_RUNS], qd32[MAX_RUNS], mc[MAX_RUNS];

	/* Warm up every path once. */
	if (run_reads(bn, QD_MAX, reqs / 10 + 1, blocks) < 0)
		return -1;
	run_memcpy(bn, reqs / 10 + 1, blocks);
	for (unsigned r = 0; r < runs; r++) {
		qd1[r] = run_reads(bn, 1, reqs, blocks);
		qd32[r] = run_reads(bn, QD_MAX, reqs, blocks);
		mc[r] = run_memcpy(bn, reqs, blocks);
		if (qd1[r] < 0 || qd32[r] < 0)
			return -1;
	}
	f->qd1 = median(qd1, runs);
	f->qd32 = median(qd32, runs);
	f->mc = median(mc, runs);
	return 0;
}

static void print_figures(const char *set, const struct figures *f)
{
	printf("BENCH sim.vblk-4k-read%s.qd1 %.1f ns\n", set, f->qd1);
	printf("BENCH sim.vblk-4k-read%s.qd1.rate %.0f req/s\n", set, 1e9 / f->qd1);
	printf("BENCH sim.vblk-4k-read%s.qd32 %.1f ns\n", set, f->qd32);
	printf("BENCH sim.vblk-4k-read%s.qd32.rate %.0f req/s\n", set, 1e9 / f->qd32);
	printf("BENCH memcpy-4k%s %.1f ns\n", set, f->mc);
	printf("BENCH sim.vblk-4k-read%s.qd1-over-memcpy %.2f ratio\n", set, f->qd1 / f->mc);
	printf("BENCH sim.vblk-4k-read%s.qd32-over-memcpy %.2f ratio\n", set, f->qd32 / f->mc);
}

int main(int argc, char **argv)
{
	unsigned reqs = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : DEFAULT_REQS;
	unsigned runs = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : DEFAULT_RUNS;
	struct figures disk, hot;
	static struct bench bn;

	if (!reqs)
		reqs = DEFAULT_REQS;
	if (!runs || runs > MAX_RUNS)
		runs = DEFAULT_RUNS;
	if (setup(&bn))
		return 1;
	/* The whole disk: the model's copy and the baseline's miss the caches
	 * alike. Then 256 KiB: both copies hit the caches, so the stack's own
	 * cost is what the ratio shows. */
	if (measure(&bn, BLOCKS, reqs, runs, &disk) ||
	    measure(&bn, HOT_BLOCKS, reqs, runs, &hot))
		return die("reads", bn.b->why);
	print_figures("", &disk);
	print_figures(".hot", &hot);
	sim_destroy(bn.sim);
	host_bind(NULL);
	return 0;
}
