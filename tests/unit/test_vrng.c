/*
 * devices/vrng.c, the virtio-rng driver, against the simulated device
 * (sim/dev_rng.c) and against a test device that answers with fewer
 * bytes, or none.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/host/host.h"
#include "ccw/vccw.h"
#include "devices/vrng.h"
#include "sim/vccw.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"

#define RIG_MEM (8u << 20)
#define BIG 6000u /* several KiB: many VRNG_CHUNK requests */

struct rig {
	struct sim *sim;
	struct css css;
	struct vccw *v;
	u32 schid;
	struct vrng r;
};

/* A machine with one virtio-rng (transport NULL: QEMU's defaults), bound
 * to the port, not yet brought up. */
static bool rig_init(struct rig *g, const struct sim_vccw_config *t, const struct sim_rng_opts *o)
{
	struct sim_dev_config dev;

	memset(g, 0, sizeof(*g));
	g->sim = drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, RIG_MEM, true);
	if (!g->sim)
		return false;
	dev = unit_dev(0x0004);
	if (!drvrig_attached(sim_vdev_rng(g->sim, &dev, t, o), "sim_vdev_rng", NULL, &g->schid) ||
	    !drvrig_bind(g->sim, &g->css))
		return false;
	g->v = drvrig_transport();
	return g->v != NULL;
}

static int rig_up(struct rig *g)
{
	int err;

	err = drvrig_vccw_init(g->v, &g->css, g->schid, VIRTIO_ID_RNG);
	if (err)
		return err;
	err = vrng_init(&g->r, vccw_virtio(g->v));
	if (err)
		fprintf(stderr, "vrng_init: %s\n", g->r.why);
	return err;
}

static void rig_fini(struct rig *g)
{
	drvrig_close(&g->sim);
}

/* len bytes from a fresh machine with the given model options and transport. */
static bool draw(const struct sim_vccw_config *t, const struct sim_rng_opts *o, u8 *out,
		 size_t len, struct vrng *stats)
{
	struct rig g;
	bool ok;

	if (!rig_init(&g, t, o) || rig_up(&g)) {
		rig_fini(&g);
		return false;
	}
	ok = vrng_read(&g.r, out, len) == 0;
	if (!ok)
		fprintf(stderr, "vrng_read: %s\n", g.r.why);
	if (stats)
		*stats = g.r;
	rig_fini(&g);
	return ok;
}

static void test_fills_exactly(void)
{
	static const size_t lens[] = { 1, 2, 7, 255, 256, 257, 1000, 4096, BIG };
	struct sim_rng_opts o = { 0 };
	struct rig g;
	u8 *buf = malloc(BIG + 64);

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_FATAL(rig_init(&g, NULL, &o));
	CU_ASSERT_FATAL(rig_up(&g) == 0);
	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		size_t len = lens[i];
		u64 before = g.r.bytes;
		unsigned same = 0;

		/* A guard on both sides: the driver writes [0, len) only. */
		memset(buf, 0xA5, BIG + 64);
		CU_ASSERT_EQUAL(vrng_read(&g.r, buf + 32, len), 0);
		for (unsigned k = 0; k < 32; k++) {
			CU_ASSERT_EQUAL(buf[k], 0xA5);
			CU_ASSERT_EQUAL(buf[32 + len + k], 0xA5);
		}
		for (size_t k = 0; k < len; k++)
			same += buf[32 + k] == 0xA5;
		/* Some bytes of a long read equal the guard by chance; not
		 * most of them. */
		if (len >= 64)
			CU_ASSERT(same < len / 8);
		CU_ASSERT_EQUAL(g.r.bytes - before, len);
	}
	CU_ASSERT_EQUAL(vrng_read(&g.r, buf, 0), 0);
	rig_fini(&g);
	free(buf);
}

/*
 * The device gives its generator's bytes in request order, so a driver
 * that uses exactly the used length returns the same stream however
 * little each answer holds. One that took the whole buffer would mix in
 * stale bytes.
 */
static void test_used_length_with_chunk(void)
{
	struct sim_rng_opts whole = { .seeded = true, .seed = 7777 }, seven = { .seeded = true, .seed = 7777, .chunk = 7 };
	u8 *a = malloc(BIG), *b = malloc(BIG);
	struct vrng st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_FATAL(draw(NULL, &whole, a, BIG, &st));
	CU_ASSERT(st.requests <= BIG / VRNG_CHUNK + 1);
	memset(b, 0, BIG);
	CU_ASSERT_FATAL(draw(NULL, &seven, b, BIG, &st));
	CU_ASSERT(st.requests >= BIG / 7);
	CU_ASSERT_EQUAL(st.bytes, BIG);
	CU_ASSERT(memcmp(a, b, BIG) == 0);
	free(a);
	free(b);
}

static void test_seeded(void)
{
	struct sim_rng_opts s1 = { .seeded = true, .seed = 1234 }, s2 = { .seeded = true, .seed = 4321 };
	u8 a[1024], b[1024], c[1024];

	CU_ASSERT_FATAL(draw(NULL, &s1, a, sizeof(a), NULL));
	CU_ASSERT_FATAL(draw(NULL, &s1, b, sizeof(b), NULL));
	CU_ASSERT_FATAL(draw(NULL, &s2, c, sizeof(c), NULL));
	CU_ASSERT(memcmp(a, b, sizeof(a)) == 0);
	CU_ASSERT(memcmp(a, c, sizeof(a)) != 0);
}

/* One thread's driver on its own machine (host.h: the port is per thread). */
struct drawer {
	struct sim_rng_opts o;
	u8 *out;
	size_t len;
	bool ok;
};

static void *draw_thread(void *arg)
{
	struct drawer *d = arg;

	d->ok = draw(NULL, &d->o, d->out, d->len, NULL);
	return NULL;
}

/*
 * Two threads, each a machine with a seeded rng and the driver reading
 * 256 KiB from it in small pieces, at the same time: each gets exactly
 * what the same seed gives in one thread alone.
 */
static void test_threads(void)
{
	enum { N = 2, LEN = 256 << 10 };
	struct drawer d[N];
	pthread_t th[N];
	u8 *want = malloc(LEN);

	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	for (int i = 0; i < N; i++) {
		d[i] = (struct drawer){ .o = { .seeded = true, .seed = 77u + (u64)i, .chunk = 61 },
					.len = LEN };
		d[i].out = malloc(LEN);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d[i].out);
	}
	for (int i = 0; i < N; i++)
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, draw_thread, &d[i]), 0);
	for (int i = 0; i < N; i++)
		CU_ASSERT_EQUAL(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < N; i++) {
		CU_ASSERT_TRUE(d[i].ok);
		CU_ASSERT_TRUE(draw(NULL, &d[i].o, want, LEN, NULL));
		CU_ASSERT(memcmp(d[i].out, want, LEN) == 0);
		free(d[i].out);
	}
	free(want);
}

static void test_not_constant(void)
{
	struct sim_rng_opts sys = { 0 }, seeded = { .seeded = true, .seed = 99, .chunk = 3 };
	u8 buf[4096];
	bool seen[256];
	unsigned distinct;

	for (int pass = 0; pass < 2; pass++) {
		CU_ASSERT_FATAL(draw(NULL, pass ? &seeded : &sys, buf, sizeof(buf), NULL));
		memset(seen, 0, sizeof(seen));
		distinct = 0;
		for (size_t i = 0; i < sizeof(buf); i++) {
			distinct += !seen[buf[i]];
			seen[buf[i]] = true;
		}
		/* 4096 uniform bytes leave almost no value unseen. */
		CU_ASSERT(distinct > 200);
	}
}

static void test_device_gone(void)
{
	struct sim_rng_opts o = { .seeded = true, .seed = 5 };
	struct rig g;
	u8 buf[512];
	u64 t0;
	int rc;

	CU_ASSERT_FATAL(rig_init(&g, NULL, &o));
	CU_ASSERT_FATAL(rig_up(&g) == 0);
	CU_ASSERT_EQUAL(vrng_read(&g.r, buf, sizeof(buf)), 0);
	CU_ASSERT_EQUAL(sim_set_present(g.sim, g.schid, false), 0);
	t0 = host_clock_us();
	rc = vrng_read(&g.r, buf, sizeof(buf));
	CU_ASSERT(rc < 0);
	/* Noticed at once (the subchannel is gone), not at the timeout. */
	CU_ASSERT(host_clock_us() - t0 < VRNG_TIMEOUT_US / 10);
	CU_ASSERT(g.r.why[0] != '\0');
	rig_fini(&g);
}

/* Revision 0 (legacy big-endian ring) and the packed ring give the same
 * stream as the default split ring; IN_ORDER is never taken. */
static void test_transports(void)
{
	struct sim_rng_opts o = { .seeded = true, .seed = 31337, .chunk = 5 };
	struct sim_vccw_config t;
	u8 ref[700], got[700];
	struct rig g;

	CU_ASSERT_FATAL(draw(NULL, &o, ref, sizeof(ref), NULL));
	for (int variant = 0; variant < 3; variant++) {
		struct virtio_dev *dev;

		sim_vdev_default_transport(&t);
		if (variant == 0)
			t.max_revision = 0;
		else if (variant == 1)
			t.ring_packed = true;
		else
			t.in_order = true;
		CU_ASSERT_FATAL(rig_init(&g, &t, &o));
		CU_ASSERT_FATAL(rig_up(&g) == 0);
		dev = vccw_virtio(g.v);
		if (variant == 0) {
			CU_ASSERT_EQUAL(g.v->revision, 0);
			CU_ASSERT(!virtio_modern(dev));
		} else if (variant == 1) {
			CU_ASSERT(virtio_has(dev, VIRTIO_F_RING_PACKED));
		} else {
			CU_ASSERT((dev->offered & VIRTIO_BIT(VIRTIO_F_IN_ORDER)) != 0);
			CU_ASSERT(!virtio_has(dev, VIRTIO_F_IN_ORDER));
		}
		memset(got, 0, sizeof(got));
		CU_ASSERT_EQUAL(vrng_read(&g.r, got, sizeof(got)), 0);
		CU_ASSERT(memcmp(ref, got, sizeof(got)) == 0);
		rig_fini(&g);
	}
}

/* --- A test device that answers every other request with nothing --- */

struct stingy {
	struct sim_virtio_model model;
	u16 qmax[1];
	unsigned calls;
	bool never; /* no bytes at all */
};

static u32 stingy_request(void *ctx, struct vq_chain *c)
{
	struct stingy *s = ctx;
	u8 b[3] = { 0x11, 0x22, 0x33 };

	if (s->never || s->calls++ % 2 == 0)
		return 0;
	return sim_vdev_copy(c, true, 0, b, (u32)MIN(c->in_len, (u64)sizeof(b)));
}

static void stingy_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct vqd *v;

	/* Served, then the next notification asked for (EVENT_IDX). */
	do {
		sim_vdev_serve(d, q, stingy_request, ctx);
		v = sim_vccw_vqd(d, q);
	} while (v && !vqd_enable_notify(v));
}

static void test_empty_answers(void)
{
	struct sim_dev_config dev;
	struct sim_vccw_config t;
	struct stingy s;
	struct rig g;
	u8 buf[10];
	u64 t0;

	for (int never = 0; never < 2; never++) {
		memset(&s, 0, sizeof(s));
		s.never = never;
		s.qmax[0] = 8;
		s.model = (struct sim_virtio_model){
			.device_id = VIRTIO_ID_RNG,
			.nqueues = 1,
			.queue_max = s.qmax,
			.queue_notify = stingy_notify,
		};
		memset(&g, 0, sizeof(g));
		g.sim = drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, RIG_MEM, true);
		CU_ASSERT_PTR_NOT_NULL_FATAL(g.sim);
		dev = unit_dev(0x0004);
		sim_vdev_default_transport(&t);
		CU_ASSERT_FATAL(drvrig_attached(sim_vccw_attach(g.sim, &dev, &t, &s.model, &s, NULL),
						"sim_vccw_attach", NULL, &g.schid));
		CU_ASSERT_FATAL(drvrig_bind(g.sim, &g.css));
		g.v = drvrig_transport();
		CU_ASSERT_FATAL(rig_up(&g) == 0);
		t0 = host_clock_us();
		if (!never) {
			CU_ASSERT_EQUAL(vrng_read(&g.r, buf, sizeof(buf)), 0);
			CU_ASSERT_EQUAL(buf[0], 0x11);
			CU_ASSERT_EQUAL(buf[2], 0x33);
			CU_ASSERT_EQUAL(buf[3], 0x11);
			CU_ASSERT_EQUAL(buf[9], 0x11);
			CU_ASSERT_EQUAL(g.r.bytes, sizeof(buf));
			/* 4 answers with bytes, each after an empty one. */
			CU_ASSERT_EQUAL(g.r.requests, 8);
		} else {
			CU_ASSERT(vrng_read(&g.r, buf, sizeof(buf)) < 0);
			CU_ASSERT(host_clock_us() - t0 <= VRNG_TIMEOUT_US);
			CU_ASSERT_EQUAL(g.r.bytes, 0);
		}
		rig_fini(&g);
	}
}

/*
 * QEMU's rate limit on the machine's clock: 64 bytes a period of 3 s. The
 * first read is served at once; the next waits for the period to end, a
 * wait the driver's usual 2 s does not cover and a longer bound does, and
 * it ends with the period, not before.
 */
static void test_rate_limit(void)
{
	struct sim_rng_opts o = { .seeded = true, .seed = 9, .max_bytes = 64, .period_ms = 3000 };
	struct rig g;
	u8 a[64], b[64];
	u64 t0, t1;

	CU_ASSERT_FATAL(rig_init(&g, NULL, &o));
	CU_ASSERT_EQUAL_FATAL(rig_up(&g), 0);
	t0 = host_clock_us();
	CU_ASSERT_EQUAL(vrng_read(&g.r, a, sizeof(a)), 0);
	CU_ASSERT(host_clock_us() - t0 < 100000);
	/* The quota is spent: nothing within the usual bound. */
	CU_ASSERT_EQUAL(vrng_read(&g.r, b, sizeof(b)), -VERR_TIMEOUT);
	CU_ASSERT_EQUAL(g.r.bytes, 64);
	/* The request stays out; a longer bound sees the next period. */
	g.r.timeout_us = 5000000;
	CU_ASSERT_EQUAL(vrng_read(&g.r, b, sizeof(b)), 0);
	t1 = host_clock_us();
	CU_ASSERT(t1 - t0 >= 3000000);
	CU_ASSERT(t1 - t0 < 3100000);
	CU_ASSERT(memcmp(a, b, sizeof(a)) != 0);
	/* The next period starts with the next request: 3 s more. */
	CU_ASSERT_EQUAL(vrng_read(&g.r, a, sizeof(a)), 0);
	CU_ASSERT(host_clock_us() - t1 >= 3000000);
	CU_ASSERT(host_clock_us() - t1 < 3100000);
	rig_fini(&g);
}

/* Bytes from a file, as QEMU's rng-random reads its device. */
static void test_source_file(void)
{
	struct sim_rng_opts o = { .source = "/dev/zero" };
	struct rig g;
	u8 a[32];

	CU_ASSERT_FATAL(rig_init(&g, NULL, &o));
	CU_ASSERT_EQUAL_FATAL(rig_up(&g), 0);
	memset(a, 0xAA, sizeof(a));
	CU_ASSERT_EQUAL(vrng_read(&g.r, a, sizeof(a)), 0);
	for (unsigned i = 0; i < sizeof(a); i++)
		CU_ASSERT_EQUAL(a[i], 0);
	rig_fini(&g);
}

static CU_TestInfo vrng_tests[] = {
	{ "reads fill exactly len bytes from 1 byte to several KiB", test_fills_exactly },
	{ "only the used length counts when the device gives 7 bytes a request",
	  test_used_length_with_chunk },
	{ "the same seed gives the same bytes, another seed others", test_seeded },
	{ "the bytes are not constant", test_not_constant },
	{ "two threads, two machines, two drivers at once, each its own bytes", test_threads },
	{ "a rate-limited device answers when its next period begins", test_rate_limit },
	{ "bytes come from rng-random's file", test_source_file },
	{ "a device that went away gives an error within the bound", test_device_gone },
	{ "revision 0, the packed ring and an offered IN_ORDER read alike", test_transports },
	{ "empty answers are skipped, and a device that never answers fails in time",
	  test_empty_answers },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vrng_suite = { "vrng", NULL, NULL, NULL, NULL, vrng_tests };
