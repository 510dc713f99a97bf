/*
 * devices/vblk.c, the virtio-blk driver, against the simulated virtio-blk
 * device (sim/dev_blk.c) through the host port and the virtio-ccw
 * transport: configuration, every request type, split, packed and legacy
 * rings, depth, the device's segment limits, read-only disks, I/O errors,
 * data integrity under load, FLUSH durability on a file, and devices that
 * stop answering or go away.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/host/host.h"
#include "ccw/vccw.h"
#include "devices/vblk.h"
#include "sim/vccw.h"
#include "sim/vdev.h"
#include "tests/prng.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"

#define RIG_MEM (16u << 20)
#define MiB	(1u << 20)
#define KiB	1024u

struct rig {
	struct sim *sim;
	struct css css;
	struct vccw *v;
	struct vblk *b;
	struct sim_blk *m;
	u32 schid;
};

/*
 * A machine with one virtio-blk device (opts, on transport t or QEMU's
 * defaults), brought up by the driver with at most depth requests in
 * flight. Returns vblk_init()'s result; the rig is usable when it is 0.
 */
static int rig_up(struct rig *r, const struct sim_blk_opts *o, const struct sim_vccw_config *t,
		  unsigned depth)
{
	struct sim_dev_config dev;
	char why[SIM_WHY_LEN] = "";
	int err;

	memset(r, 0, sizeof(*r));
	r->sim = drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, RIG_MEM, true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->sim);
	dev = unit_dev(0x0001);
	CU_ASSERT_FATAL(drvrig_attached(sim_vdev_blk(r->sim, &dev, t, o, why), "sim_vdev_blk", why,
					&r->schid));
	r->m = sim_blk_find(r->sim, r->schid);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->m);
	CU_ASSERT_FATAL(drvrig_bind(r->sim, &r->css));
	r->v = drvrig_transport();
	r->b = port_dma_alloc(sizeof(*r->b), 8);
	CU_ASSERT_FATAL(r->v && r->b);
	CU_ASSERT_EQUAL_FATAL(drvrig_vccw_init(r->v, &r->css, r->schid, VIRTIO_ID_BLOCK), 0);
	err = vblk_init(r->b, vccw_virtio(r->v), depth);
	if (err)
		fprintf(stderr, "vblk_init: %s\n", r->b->why);
	return err;
}

static void rig_down(struct rig *r)
{
	drvrig_close(&r->sim);
}

/* A memory disk of size bytes, QEMU's limits. */
static struct sim_blk_opts mem_disk(u64 size)
{
	struct sim_blk_opts o = { .size = size, .serial = "vblk-test-0001" };

	return o;
}

static struct sim_blk_stats stats(struct rig *r)
{
	struct sim_blk_stats s;

	sim_blk_get_stats(r->m, &s);
	return s;
}

/* Run the async API until nothing is in flight; returns the failures and
 * counts completions. */
static unsigned drain(struct vblk *b, unsigned *done)
{
	unsigned failed = 0;
	u64 deadline = port_now_us() + VBLK_TIMEOUT_US;

	while (b->in_flight) {
		void *cookie;
		int result, rc = vblk_complete(b, &cookie, &result);

		if (rc == 1) {
			(*done)++;
			failed += result != 0;
			continue;
		}
		if (rc < 0 || vblk_wait(b, deadline) < 0 || port_now_us() >= deadline)
			return failed + b->in_flight + 1000;
	}
	return failed;
}

/* --- Configuration ---------------------------------------------------------- */

static void test_config(void)
{
	struct sim_blk_opts o = mem_disk(8 * MiB);
	struct rig r;

	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	CU_ASSERT_EQUAL(r.b->capacity, 8 * MiB / 512);
	CU_ASSERT_EQUAL(r.b->blk_size, 512u);
	/* QEMU's seg_max; no size_max offered. */
	CU_ASSERT_EQUAL(r.b->seg_max, 254u);
	CU_ASSERT_EQUAL(r.b->size_max, 0u);
	CU_ASSERT_FALSE(r.b->read_only);
	CU_ASSERT(r.b->flush);
	CU_ASSERT(r.b->max_transfer >= 64 * KiB && r.b->max_transfer % 512 == 0);
	/* Indirect descriptors: one ring slot per request, the whole queue. */
	CU_ASSERT_EQUAL(r.b->depth, 256u);
	CU_ASSERT(vccw_virtio(r.v)->status & VIRTIO_STATUS_DRIVER_OK);
	rig_down(&r);

	/* The device's own limits, read only when offered. */
	o = mem_disk(3 * MiB);
	o.seg_max = 4;
	o.size_max = 4096;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 8), 0);
	CU_ASSERT_EQUAL(r.b->capacity, 3 * MiB / 512);
	CU_ASSERT_EQUAL(r.b->seg_max, 4u);
	CU_ASSERT_EQUAL(r.b->size_max, 4096u);
	CU_ASSERT_EQUAL(r.b->max_transfer, 4u * 4096);
	CU_ASSERT_EQUAL(r.b->depth, 8u);
	rig_down(&r);
}

/* Limits that leave no usable request: the device is given up, with a reason. */
static void test_init_refused(void)
{
	struct sim_blk_opts o = mem_disk(1 * MiB);
	struct sim_vccw_state st;
	struct rig r;

	o.seg_max = 2;
	o.size_max = 100;
	CU_ASSERT_EQUAL(rig_up(&r, &o, NULL, 0), -VERR_NOTSUP);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.b->why, "virtio-blk: limits"));
	sim_vccw_get_state(sim_vccw_find(r.sim, r.schid), &st);
	CU_ASSERT_EQUAL(st.status, 0);
	CU_ASSERT_EQUAL(st.queues_set, 0u);
	rig_down(&r);
}

/* Without indirect descriptors a request takes header, data and status slots. */
static void test_depth_direct(void)
{
	struct sim_blk_opts o = mem_disk(1 * MiB);
	struct sim_vccw_config t;
	struct rig r;

	sim_vdev_default_transport(&t);
	t.indirect_desc = false;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, &t, 0), 0);
	CU_ASSERT_EQUAL(r.b->depth, 256u / 3);
	rig_down(&r);
}

/* --- Round trips ------------------------------------------------------------ */

/* WRITE, READ, FLUSH and GET_ID on a brought-up rig; data compared. */
static void round_trips(struct rig *r)
{
	const u32 len = 40 * KiB;
	u8 *w = port_dma_alloc(len, 8), *rd = port_dma_alloc(len, 8);
	char id[VBLK_ID_BYTES + 1];
	struct sim_blk_stats s;
	u64 seed = 0x1234567;

	CU_ASSERT_FATAL(w && rd);
	prng_fill(w, len, &seed);
	CU_ASSERT_EQUAL(vblk_write(r->b, 77, w, len), 0);
	CU_ASSERT_EQUAL(vblk_flush(r->b), 0);
	memset(rd, 0, len);
	CU_ASSERT_EQUAL(vblk_read(r->b, 77, rd, len), 0);
	CU_ASSERT_EQUAL(memcmp(w, rd, len), 0);
	/* A neighbour untouched. */
	CU_ASSERT_EQUAL(vblk_read(r->b, 76, rd, 512), 0);
	CU_ASSERT_EQUAL(rd[0] | rd[511], 0);
	/* The last sector is reachable, the one after is not. */
	CU_ASSERT_EQUAL(vblk_write(r->b, r->b->capacity - 1, w, 512), 0);
	CU_ASSERT_EQUAL(vblk_read(r->b, r->b->capacity - 1, rd, 512), 0);
	CU_ASSERT_EQUAL(memcmp(w, rd, 512), 0);
	CU_ASSERT_EQUAL(vblk_read(r->b, r->b->capacity, rd, 512), -VERR_RANGE);
	CU_ASSERT_EQUAL(vblk_get_id(r->b, id), 0);
	CU_ASSERT_STRING_EQUAL(id, "vblk-test-0001");
	s = stats(r);
	CU_ASSERT_EQUAL(s.writes, 2u);
	CU_ASSERT_EQUAL(s.reads, 3u);
	CU_ASSERT_EQUAL(s.flushes, 1u);
	CU_ASSERT_EQUAL(s.get_ids, 1u);
	CU_ASSERT_EQUAL(s.errors, 0u);
	CU_ASSERT_EQUAL(s.bytes_written, (u64)len + 512);
}

static void test_round_trips(void)
{
	struct sim_blk_opts o = mem_disk(4 * MiB);
	struct rig r;

	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	CU_ASSERT(virtio_modern(vccw_virtio(r.v)));
	round_trips(&r);
	rig_down(&r);
}

static void test_round_trips_legacy(void)
{
	struct sim_blk_opts o = mem_disk(4 * MiB);
	struct sim_vccw_config t;
	struct rig r;

	sim_vdev_default_transport(&t);
	t.max_revision = 0;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, &t, 0), 0);
	CU_ASSERT_EQUAL(r.v->revision, 0);
	CU_ASSERT_FALSE(virtio_modern(vccw_virtio(r.v)));
	CU_ASSERT(r.b->vq->be);
	round_trips(&r);
	rig_down(&r);
}

static void test_round_trips_packed(void)
{
	struct sim_blk_opts o = mem_disk(4 * MiB);
	struct sim_vccw_config t;
	struct rig r;

	sim_vdev_default_transport(&t);
	t.ring_packed = true;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, &t, 0), 0);
	CU_ASSERT(r.b->vq->packed);
	round_trips(&r);
	rig_down(&r);
}

/* In order (VIRTIO_F_IN_ORDER), on both ring layouts. */
static void test_round_trips_in_order(void)
{
	for (int packed = 0; packed < 2; packed++) {
		struct sim_blk_opts o = mem_disk(4 * MiB);
		struct sim_vccw_config t;
		struct rig r;

		sim_vdev_default_transport(&t);
		t.in_order = true;
		t.ring_packed = packed;
		CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, &t, 0), 0);
		CU_ASSERT(r.b->vq->in_order);
		round_trips(&r);
		rig_down(&r);
	}
}

/* A serial of all 20 bytes has no terminator on the wire; the driver adds one. */
static void test_get_id_full(void)
{
	struct sim_blk_opts o = mem_disk(1 * MiB);
	char id[VBLK_ID_BYTES + 1];
	struct rig r;

	o.serial = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	memset(id, 'x', sizeof(id));
	CU_ASSERT_EQUAL(vblk_get_id(r.b, id), 0);
	CU_ASSERT_STRING_EQUAL(id, "ABCDEFGHIJKLMNOPQRST");
	rig_down(&r);
}

/* --- Depth ------------------------------------------------------------------ */

static void test_depth(void)
{
	struct sim_blk_opts o = mem_disk(4 * MiB);
	struct rig r;
	u8 *buf;
	unsigned depth, done = 0;

	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	depth = r.b->depth;
	buf = port_dma_alloc((size_t)depth * 4096, 4096);
	CU_ASSERT_FATAL(buf != NULL);
	for (unsigned i = 0; i < depth; i++)
		CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_READ, (u64)i * 8, buf + (size_t)i * 4096,
					    4096, buf + (size_t)i * 4096),
				0);
	CU_ASSERT_EQUAL(r.b->in_flight, depth);
	CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_READ, 0, buf, 4096, buf), -VERR_AGAIN);
	/* The synchronous calls want the queue to themselves. */
	CU_ASSERT_EQUAL(vblk_read(r.b, 0, buf, 512), -VERR_BUSY);
	CU_ASSERT_EQUAL(vblk_kick(r.b), 0);
	CU_ASSERT_EQUAL(drain(r.b, &done), 0u);
	CU_ASSERT_EQUAL(done, depth);
	CU_ASSERT_EQUAL(stats(&r).max_in_flight, depth);
	CU_ASSERT_EQUAL(stats(&r).reads, depth);
	/* And the slots come back. */
	CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_READ, 0, buf, 4096, buf), 0);
	CU_ASSERT_EQUAL(vblk_kick(r.b), 0);
	CU_ASSERT_EQUAL(drain(r.b, &done), 0u);
	rig_down(&r);
}

/* Requests the driver refuses never reach the device. */
static void test_refused(void)
{
	struct sim_blk_opts o = mem_disk(1 * MiB);
	struct rig r;
	u8 *buf;

	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	buf = port_dma_alloc(2 * MiB, 8);
	CU_ASSERT_FATAL(buf != NULL);
	CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_READ, 0, buf, 100, NULL), -VERR_INVAL);
	CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_READ, 0, buf, 0, NULL), -VERR_INVAL);
	CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_READ, 0, buf, r.b->max_transfer + 512, NULL),
			-VERR_INVAL);
	CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_WRITE, r.b->capacity - 1, buf, 1024, NULL),
			-VERR_RANGE);
	CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_READ, ~(u64)0, buf, 512, NULL), -VERR_RANGE);
	CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_GET_ID, 0, buf, 8, NULL), -VERR_INVAL);
	CU_ASSERT_EQUAL(vblk_submit(r.b, (enum vblk_op)3, 0, buf, 512, NULL), -VERR_INVAL);
	CU_ASSERT_EQUAL(r.b->in_flight, 0u);
	/* A synchronous read longer than max_transfer is cut, not refused. */
	CU_ASSERT_EQUAL(vblk_read(r.b, 0, buf, (u32)(r.b->capacity * 512)), 0);
	CU_ASSERT_EQUAL(stats(&r).reads,
			(r.b->capacity * 512 + r.b->max_transfer - 1) / r.b->max_transfer);
	CU_ASSERT_EQUAL(stats(&r).errors, 0u);
	/* FLUSH only with the feature. */
	r.b->flush = false;
	CU_ASSERT_EQUAL(vblk_flush(r.b), -VERR_NOTSUP);
	CU_ASSERT_EQUAL(stats(&r).flushes, 0u);
	rig_down(&r);
}

/* --- Segment limits --------------------------------------------------------- */

static void test_segment_limits(void)
{
	const u32 len = 1 * MiB;
	struct sim_blk_opts o = mem_disk(4 * MiB);
	struct sim_blk_stats s;
	struct rig r;
	u8 *w, *rd;
	u64 seed = 99;

	o.seg_max = 4;
	o.size_max = 4096;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	w = port_dma_alloc(len, 8);
	rd = port_dma_alloc(len, 8);
	CU_ASSERT_FATAL(w && rd);
	prng_fill(w, len, &seed);
	/* Large transfers, and one that starts off a page boundary. */
	CU_ASSERT_EQUAL(vblk_write(r.b, 3, w, len), 0);
	CU_ASSERT_EQUAL(vblk_read(r.b, 3, rd, len), 0);
	CU_ASSERT_EQUAL(memcmp(w, rd, len), 0);
	CU_ASSERT_EQUAL(vblk_read(r.b, 4, rd + 512, len - 512), 0);
	CU_ASSERT_EQUAL(memcmp(w + 512, rd + 512, len - 512), 0);
	s = stats(&r);
	CU_ASSERT_EQUAL(s.errors, 0u);
	CU_ASSERT_EQUAL(s.writes, len / (4 * 4096));

	/* The model holds the driver to them: a driver that forgets size_max
	 * gets IOERR, and so does one that forgets seg_max. */
	r.b->size_max = 0;
	CU_ASSERT_EQUAL(vblk_write(r.b, 0, w, 8192), -VERR_IO);
	r.b->size_max = 512;
	CU_ASSERT_EQUAL(vblk_write(r.b, 0, w, 4096), -VERR_IO);
	CU_ASSERT_EQUAL(stats(&r).errors, 2u);
	CU_ASSERT_EQUAL(vblk_read(r.b, 0, rd, 2048), 0);
	rig_down(&r);
}

/* --- Read-only -------------------------------------------------------------- */

static void test_read_only(void)
{
	struct sim_blk_opts o = mem_disk(1 * MiB);
	struct rig r;
	u8 *buf;

	o.read_only = true;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	CU_ASSERT(r.b->read_only);
	buf = port_dma_alloc(4096, 8);
	CU_ASSERT_FATAL(buf != NULL);
	memset(buf, 0xC3, 4096);
	/* The driver refuses: the device never sees the request. */
	CU_ASSERT_EQUAL(vblk_write(r.b, 8, buf, 4096), -VERR_ROFS);
	CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_WRITE, 8, buf, 4096, buf), -VERR_ROFS);
	CU_ASSERT_EQUAL(stats(&r).errors, 0u);
	CU_ASSERT_EQUAL(vblk_read(r.b, 8, buf, 4096), 0);
	/* Forced through a driver whose read_only flag is cleared: the device
	 * refuses too and writes nothing (virtio 1.3, 5.2.6.2). */
	r.b->read_only = false;
	memset(buf, 0xC3, 4096);
	CU_ASSERT_EQUAL(vblk_write(r.b, 8, buf, 4096), -VERR_IO);
	CU_ASSERT_EQUAL(stats(&r).errors, 1u);
	CU_ASSERT_EQUAL(stats(&r).writes, 0u);
	CU_ASSERT_EQUAL(vblk_read(r.b, 8, buf, 4096), 0);
	CU_ASSERT_EQUAL(buf[0] | buf[4095], 0);
	rig_down(&r);
}

/* --- I/O errors ------------------------------------------------------------- */

static void test_ioerr(void)
{
	struct sim_blk_opts o = mem_disk(4 * MiB);
	struct rig r;
	u8 *buf, *rd;
	unsigned done = 0, ok = 0, io = 0;
	u64 seed = 5;
	/* Four writes in flight; the second touches the failing range. */
	static const u64 at[4] = { 100, 1002, 2000, 3000 };

	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	buf = port_dma_alloc(4 * 4096, 8);
	rd = port_dma_alloc(4096, 8);
	CU_ASSERT_FATAL(buf && rd);
	prng_fill(buf, 4 * 4096, &seed);
	sim_blk_fail(r.m, 1000, 8);
	for (unsigned i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_WRITE, at[i], buf + i * 4096, 4096,
					    (void *)(uintptr_t)(i + 1)),
				0);
	CU_ASSERT_EQUAL(vblk_kick(r.b), 0);
	while (done < 4) {
		void *cookie;
		int result, rc = vblk_complete(r.b, &cookie, &result);

		CU_ASSERT_EQUAL_FATAL(rc, 1);
		done++;
		if ((uintptr_t)cookie == 2) {
			CU_ASSERT_EQUAL(result, -VERR_IO);
			io += result == -VERR_IO;
			CU_ASSERT_PTR_NOT_NULL(strstr(r.b->why, "IOERR at sector 1002"));
			CU_ASSERT_EQUAL(r.b->err_sector, 1002u);
		} else {
			CU_ASSERT_EQUAL(result, 0);
			ok += result == 0;
		}
	}
	CU_ASSERT_EQUAL(ok, 3u);
	CU_ASSERT_EQUAL(io, 1u);
	/* The failing range reads fail too; the others hold their data. */
	CU_ASSERT_EQUAL(vblk_read(r.b, 996, rd, 4096), -VERR_IO);
	CU_ASSERT_EQUAL(r.b->err_sector, 996u);
	for (unsigned i = 0; i < 4; i++) {
		if (i == 1)
			continue;
		CU_ASSERT_EQUAL(vblk_read(r.b, at[i], rd, 4096), 0);
		CU_ASSERT_EQUAL(memcmp(rd, buf + i * 4096, 4096), 0);
	}
	/* Nothing was written where the device failed. */
	sim_blk_fail(r.m, 0, 0);
	memset(rd, 0xEE, 4096);
	CU_ASSERT_EQUAL(vblk_read(r.b, 1002, rd, 4096), 0);
	CU_ASSERT_EQUAL(rd[0] | rd[4095], 0);
	/* The driver is still alive. */
	CU_ASSERT_FALSE(r.b->dead);
	rig_down(&r);
}

/* --- A device that breaks the protocol ------------------------------------- */

/*
 * The test plays the device: a request is published without a
 * notification (so the model never sees it) and answered by hand through
 * the queue's device side.
 */
static struct vqd *answer_by_hand(struct rig *r, struct vq_chain *c, enum vblk_op op, void *buf,
				  u32 len)
{
	struct vqd *q = sim_vccw_vqd(sim_vccw_find(r->sim, r->schid), 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL_FATAL(vblk_submit(r->b, op, 0, buf, len, buf), 0);
	vq_kick_prepare(r->b->vq);
	CU_ASSERT_EQUAL_FATAL(vqd_pop(q, c), 1);
	return q;
}

static u8 *status_of(struct vq_chain *c)
{
	struct vq_seg *s = &c->seg[c->nseg - 1];

	return (u8 *)s->ptr + s->len - 1;
}

static void test_bad_device(void)
{
	struct sim_blk_opts o = mem_disk(1 * MiB);
	struct vq_seg seg[8];
	struct vq_chain c = { .seg = seg, .cap = 8 };
	struct sim_vccw_state st;
	struct vqd *q;
	struct rig r;
	void *cookie;
	int result;
	u8 *buf;

	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	buf = port_dma_alloc(4096, 8);
	CU_ASSERT_FATAL(buf != NULL);

	/* Used, but the status byte never written. */
	q = answer_by_hand(&r, &c, VBLK_READ, buf, 4096);
	vqd_push(q, &c, 4097);
	vqd_flush(q);
	CU_ASSERT_EQUAL(vblk_complete(r.b, &cookie, &result), 1);
	CU_ASSERT_EQUAL(result, -VERR_PROTO);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.b->why, "status byte not written"));

	/* OK, but by its length the data was not all written. */
	q = answer_by_hand(&r, &c, VBLK_READ, buf, 4096);
	*status_of(&c) = 0;
	vqd_push(q, &c, 1);
	vqd_flush(q);
	CU_ASSERT_EQUAL(vblk_complete(r.b, &cookie, &result), 1);
	CU_ASSERT_EQUAL(result, -VERR_PROTO);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.b->why, "wrote 1 of 4097"));

	/* A status the spec does not define. */
	q = answer_by_hand(&r, &c, VBLK_WRITE, buf, 4096);
	*status_of(&c) = 7;
	vqd_push(q, &c, 1);
	vqd_flush(q);
	CU_ASSERT_EQUAL(vblk_complete(r.b, &cookie, &result), 1);
	CU_ASSERT_EQUAL(result, -VERR_PROTO);
	CU_ASSERT_FALSE(r.b->dead);
	CU_ASSERT_EQUAL(r.b->in_flight, 0u);

	/* A used length beyond the buffers breaks the queue: the device is
	 * reset and the driver is dead. */
	q = answer_by_hand(&r, &c, VBLK_READ, buf, 4096);
	*status_of(&c) = 0;
	vqd_push(q, &c, 8192);
	vqd_flush(q);
	CU_ASSERT_EQUAL(vblk_complete(r.b, &cookie, &result), -VERR_BROKEN);
	CU_ASSERT(r.b->dead);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.b->why, "stopped"));
	sim_vccw_get_state(sim_vccw_find(r.sim, r.schid), &st);
	CU_ASSERT_EQUAL(st.status, 0);
	CU_ASSERT_EQUAL(vblk_read(r.b, 0, buf, 512), -VERR_BROKEN);
	rig_down(&r);
}

/* --- The device's own checks ------------------------------------------------ */

/* One request built by hand on the driver's queue: header type and sector,
 * then the given buffers. Returns the status the device wrote (0xEE:
 * none) and the used length. */
static u8 raw_request(struct rig *r, u32 type, u64 sector, const struct vq_buf *data, unsigned out,
		      unsigned in, bool status, u32 *used)
{
	u8 *hdr = port_dma_alloc(32, 16);
	struct vq_buf bufs[8];
	unsigned n = 0;
	void *tok = NULL;
	int rc;

	CU_ASSERT_FATAL(hdr != NULL && out + in + 2 <= 8);
	memset(hdr, 0, 32);
	/* VERSION_1: a little-endian header. */
	for (unsigned i = 0; i < 4; i++)
		hdr[i] = (u8)(type >> (8 * i));
	for (unsigned i = 0; i < 8; i++)
		hdr[8 + i] = (u8)(sector >> (8 * i));
	hdr[16] = 0xEE;
	bufs[n++] = (struct vq_buf){ port_dma_addr(hdr), 16 };
	for (unsigned i = 0; i < out + in; i++)
		bufs[n++] = data[i];
	if (status)
		bufs[n++] = (struct vq_buf){ port_dma_addr(hdr + 16), 1 };
	CU_ASSERT_EQUAL_FATAL(vq_add(r->b->vq, bufs, 1 + out, n - 1 - out, hdr), 0);
	CU_ASSERT_EQUAL_FATAL(vq_kick(r->b->vq), 0);
	rc = vq_get_used(r->b->vq, &tok, used);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_EQUAL(tok, hdr);
	return hdr[16];
}

static void test_device_checks(void)
{
	struct sim_blk_opts o = mem_disk(1 * MiB);
	struct rig r;
	u8 *d;
	u32 used;

	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	d = port_dma_alloc(8192, 8);
	CU_ASSERT_FATAL(d != NULL);
	{
		struct vq_buf ok = { port_dma_addr(d), 512 };
		struct vq_buf odd = { port_dma_addr(d), 500 };
		struct vq_buf id = { port_dma_addr(d), 19 };

		/* The control: a well-formed read, data and status written. */
		CU_ASSERT_EQUAL(raw_request(&r, 0, 0, &ok, 0, 1, true, &used), 0);
		CU_ASSERT_EQUAL(used, 513u);
		/* No status byte to answer in: used with nothing written. */
		CU_ASSERT_EQUAL(raw_request(&r, 0, 0, &ok, 1, 0, false, &used), 0xEE);
		CU_ASSERT_EQUAL(used, 0u);
		/* Data not a multiple of 512, a sector beyond the capacity, an
		 * id buffer under 20 bytes: IOERR, only the status written. */
		CU_ASSERT_EQUAL(raw_request(&r, 0, 0, &odd, 0, 1, true, &used), 1);
		CU_ASSERT_EQUAL(used, 1u);
		CU_ASSERT_EQUAL(raw_request(&r, 1, 2048, &ok, 1, 0, true, &used), 1);
		CU_ASSERT_EQUAL(raw_request(&r, 0, 2047, &ok, 0, 1, true, &used), 0);
		CU_ASSERT_EQUAL(raw_request(&r, 8, 0, &id, 0, 1, true, &used), 1);
		/* A type it does not know: UNSUPP. */
		CU_ASSERT_EQUAL(raw_request(&r, 3, 0, &ok, 0, 1, true, &used), 2);
		/* A write with a writable data buffer. */
		CU_ASSERT_EQUAL(raw_request(&r, 1, 0, &ok, 0, 1, true, &used), 1);
	}
	CU_ASSERT_EQUAL(stats(&r).errors, 6u);
	CU_ASSERT_EQUAL(stats(&r).reads, 2u);
	CU_ASSERT_EQUAL(stats(&r).writes, 0u);
	rig_down(&r);
}

/* --- Data integrity --------------------------------------------------------- */

#define INTEG_DISK  (64u * MiB)
#define INTEG_SLOTS 32u
#define INTEG_MAX   (128u * KiB)

struct integ_slot {
	bool busy, write;
	u64 sector;
	u32 len;
	u8 *buf;
};

/* Whether [sector, sector + n) overlaps a request in flight. */
static bool overlaps(const struct integ_slot *s, u64 sector, u64 n)
{
	for (unsigned i = 0; i < INTEG_SLOTS; i++)
		if (s[i].busy && sector < s[i].sector + s[i].len / 512 && s[i].sector < sector + n)
			return true;
	return false;
}

/*
 * Random reads and writes (512 B to 128 KiB, random offsets) with up to 32
 * in flight, until write_bytes were written, each read checked against a
 * shadow copy; then the whole disk read back and compared. The counts are
 * asserted, not every byte.
 */
static void integrity(const struct sim_vccw_config *t, u64 write_bytes, u64 seed)
{
	struct sim_blk_opts o = mem_disk(INTEG_DISK);
	struct integ_slot slot[INTEG_SLOTS];
	u64 written = 0, reads = 0, writes = 0, bad = 0, failed = 0, lost = 0;
	u64 deadline;
	u8 *shadow, *pool;
	struct rig r;

	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, t, INTEG_SLOTS), 0);
	CU_ASSERT_EQUAL_FATAL(r.b->depth, INTEG_SLOTS);
	shadow = calloc(1, INTEG_DISK);
	pool = port_dma_alloc((size_t)INTEG_SLOTS * INTEG_MAX, 4096);
	CU_ASSERT_FATAL(shadow && pool);
	memset(slot, 0, sizeof(slot));
	for (unsigned i = 0; i < INTEG_SLOTS; i++)
		slot[i].buf = pool + (size_t)i * INTEG_MAX;
	deadline = port_now_us() + VBLK_TIMEOUT_US;
	while (written < write_bytes || r.b->in_flight) {
		void *cookie;
		int result, rc;

		for (unsigned i = 0; i < INTEG_SLOTS && written < write_bytes; i++) {
			struct integ_slot *s = &slot[i];
			u64 x = prng_next(&seed);
			u32 n = (u32)(x % (INTEG_MAX / 512) + 1);
			u64 sector = (x >> 20) % (INTEG_DISK / 512 - n + 1);

			if (s->busy || overlaps(slot, sector, n))
				continue;
			s->write = (x >> 60) < 10; /* 10 in 16 are writes */
			s->sector = sector;
			s->len = n * 512;
			if (s->write) {
				prng_fill(s->buf, s->len, &seed);
				/* No request in flight overlaps: the disk will
				 * hold this when it completes. */
				memcpy(shadow + sector * 512, s->buf, s->len);
				written += s->len;
			}
			rc = vblk_submit(r.b, s->write ? VBLK_WRITE : VBLK_READ, sector, s->buf,
					 s->len, s);
			CU_ASSERT_EQUAL_FATAL(rc, 0);
			s->busy = true;
		}
		CU_ASSERT_EQUAL_FATAL(vblk_kick(r.b), 0);
		while ((rc = vblk_complete(r.b, &cookie, &result)) == 1) {
			struct integ_slot *s = cookie;

			failed += result != 0;
			if (s->write)
				writes++;
			else {
				reads++;
				bad += memcmp(s->buf, shadow + s->sector * 512, s->len) != 0;
			}
			s->busy = false;
			deadline = port_now_us() + VBLK_TIMEOUT_US;
		}
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		if (r.b->in_flight && (vblk_wait(r.b, deadline) < 0 || port_now_us() >= deadline)) {
			lost = r.b->in_flight;
			fprintf(stderr, "lost %llu: %s\n", (unsigned long long)lost, r.b->why);
			break;
		}
	}
	/* Everything back, 128 KiB at a time, compared. */
	for (u64 off = 0; off < INTEG_DISK; off += INTEG_MAX) {
		if (vblk_read(r.b, off / 512, pool, INTEG_MAX)) {
			failed++;
			break;
		}
		bad += memcmp(pool, shadow + off, INTEG_MAX) != 0;
	}
	CU_ASSERT_EQUAL(bad, 0u);
	CU_ASSERT_EQUAL(failed, 0u);
	CU_ASSERT_EQUAL(lost, 0u);
	CU_ASSERT(written >= write_bytes);
	CU_ASSERT(writes > 0 && reads > 0);
	CU_ASSERT_EQUAL(stats(&r).writes, writes);
	CU_ASSERT_EQUAL(stats(&r).bytes_written, written);
	CU_ASSERT_EQUAL(stats(&r).errors, 0u);
	CU_ASSERT(stats(&r).max_in_flight > 1);
	free(shadow);
	rig_down(&r);
}

static void test_integrity(void)
{
	integrity(NULL, 256ull * MiB, 0x9E3779B97F4A7C15ull);
}

static void test_integrity_packed(void)
{
	struct sim_vccw_config t;

	sim_vdev_default_transport(&t);
	t.ring_packed = true;
	integrity(&t, 32ull * MiB, 0xD1B54A32D192ED03ull);
}

static void test_integrity_in_order(void)
{
	struct sim_vccw_config t;

	sim_vdev_default_transport(&t);
	t.in_order = true;
	integrity(&t, 16ull * MiB, 0x2545F4914F6CDD1Dull);
}

/* --- FLUSH and the file back-end -------------------------------------------- */

/* A temporary image of size bytes of zeros; its descriptor, path in path. */
static int temp_image(char *path, size_t n, off_t size)
{
	int fd;

	unit_temp_template(path, n, "vblk-test");
	fd = mkstemp(path);
	if (fd >= 0 && ftruncate(fd, size) != 0) {
		close(fd);
		unlink(path);
		fd = -1;
	}
	return fd;
}

/* Whether the file holds want at sector. */
static bool file_has(int fd, u64 sector, const u8 *want, size_t len)
{
	u8 *got = malloc(len);
	bool same = got && pread(fd, got, len, (off_t)(sector * 512)) == (ssize_t)len &&
		    !memcmp(got, want, len);

	free(got);
	return same;
}

static void test_flush_durability(void)
{
	struct sim_blk_opts o = { 0 };
	char path[256];
	int fd = temp_image(path, sizeof(path), 4 * MiB);
	struct rig r;
	u8 *a, *b, want[16 * KiB];
	u64 seed = 77;

	CU_ASSERT_FATAL(fd >= 0);
	o.path = path;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	CU_ASSERT_EQUAL(r.b->capacity, 4 * MiB / 512);
	a = port_dma_alloc(16 * KiB, 8);
	b = port_dma_alloc(16 * KiB, 8);
	CU_ASSERT_FATAL(a && b);
	prng_fill(a, 16 * KiB, &seed);
	prng_fill(b, 16 * KiB, &seed);

	/* Written, and read back from the cache, but not yet in the file. */
	CU_ASSERT_EQUAL(vblk_write(r.b, 16, a, 16 * KiB), 0);
	CU_ASSERT_FALSE(file_has(fd, 16, a, 16 * KiB));
	/* After FLUSH it is. */
	CU_ASSERT_EQUAL(vblk_flush(r.b), 0);
	CU_ASSERT(file_has(fd, 16, a, 16 * KiB));

	/* Written without FLUSH: the file has it once the machine is gone. */
	CU_ASSERT_EQUAL(vblk_write(r.b, 1000, b, 16 * KiB), 0);
	CU_ASSERT_FALSE(file_has(fd, 1000, b, 16 * KiB));
	memset(a, 0, 16 * KiB);
	CU_ASSERT_EQUAL(vblk_read(r.b, 1000, a, 16 * KiB), 0);
	CU_ASSERT_EQUAL(memcmp(a, b, 16 * KiB), 0);
	memcpy(want, b, 16 * KiB);
	rig_down(&r);
	/* b was guest memory, gone with the machine. */
	CU_ASSERT(file_has(fd, 1000, want, 16 * KiB));
	close(fd);
	unlink(path);
}

/* With writeback 0 in the configuration every write goes to the file at once. */
static void test_write_through(void)
{
	struct sim_blk_opts o = { 0 };
	struct virtio_dev *dev;
	char path[256];
	int fd = temp_image(path, sizeof(path), 1 * MiB);
	struct rig r;
	u8 zero = 0, wce = 0xFF;
	u8 *a;
	u64 seed = 3;

	CU_ASSERT_FATAL(fd >= 0);
	o.path = path;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	dev = vccw_virtio(r.v);
	a = port_dma_alloc(8 * KiB, 8);
	CU_ASSERT_FATAL(a != NULL);
	prng_fill(a, 8 * KiB, &seed);
	CU_ASSERT_EQUAL(virtio_cread8(dev, 32, &wce), 0);
	CU_ASSERT_EQUAL(wce, 1);
	CU_ASSERT_EQUAL(dev->ops->write_config(dev, 32, &zero, 1), 0);
	CU_ASSERT_EQUAL(virtio_cread8(dev, 32, &wce), 0);
	CU_ASSERT_EQUAL(wce, 0);
	CU_ASSERT_EQUAL(vblk_write(r.b, 9, a, 8 * KiB), 0);
	CU_ASSERT(file_has(fd, 9, a, 8 * KiB));
	rig_down(&r);
	close(fd);
	unlink(path);
}

/* A read-only image: the device refuses writes and the file is unchanged. */
static void test_read_only_file(void)
{
	struct sim_blk_opts o = { 0 };
	char path[256];
	int fd = temp_image(path, sizeof(path), 64 * KiB);
	struct rig r;
	u8 *a, zeros[4096];

	CU_ASSERT_FATAL(fd >= 0);
	o.path = path;
	o.read_only = true;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	a = port_dma_alloc(4096, 8);
	CU_ASSERT_FATAL(a != NULL);
	memset(a, 0x11, 4096);
	r.b->read_only = false;
	CU_ASSERT_EQUAL(vblk_write(r.b, 0, a, 4096), -VERR_IO);
	CU_ASSERT_EQUAL(vblk_flush(r.b), 0);
	rig_down(&r);
	memset(zeros, 0, sizeof(zeros));
	CU_ASSERT(file_has(fd, 0, zeros, sizeof(zeros)));
	close(fd);
	unlink(path);
}

/* --- Devices that stop answering -------------------------------------------- */

#define GUARD 4096u

/* Memory for n 4 KiB buffers between two guard areas, all filled with fill. */
static u8 *guarded(unsigned n, u8 fill)
{
	u8 *p = port_dma_alloc(GUARD + (size_t)n * 4096 + GUARD, 4096);

	CU_ASSERT_FATAL(p != NULL);
	memset(p, fill, GUARD + (size_t)n * 4096 + GUARD);
	return p + GUARD;
}

static bool all_bytes(const u8 *p, size_t len, u8 v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void test_device_gone(void)
{
	struct sim_blk_opts o = { 0 };
	char path[256];
	int fd = temp_image(path, sizeof(path), 1 * MiB);
	struct rig r;
	u8 *wr, *rd, *zeros;
	u64 t0;
	int rc;
	void *cookie;
	int result;

	CU_ASSERT_FATAL(fd >= 0);
	o.path = path;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	wr = guarded(4, 0x5A);
	rd = guarded(4, 0xA5);
	sim_blk_hold(r.m, true);
	for (unsigned i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_WRITE, 64 + i * 8, wr + i * 4096, 4096, wr),
				0);
		CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_READ, 128 + i * 8, rd + i * 4096, 4096, rd),
				0);
	}
	CU_ASSERT_EQUAL(vblk_kick(r.b), 0);
	CU_ASSERT_EQUAL(stats(&r).max_in_flight, 8u);
	CU_ASSERT_EQUAL(vblk_complete(r.b, &cookie, &result), 0);
	/* The device goes away with the requests. */
	CU_ASSERT_EQUAL(sim_set_present(r.sim, r.schid, false), 0);
	t0 = port_now_us();
	rc = vblk_wait(r.b, t0 + 1000000);
	CU_ASSERT(rc < 0);
	CU_ASSERT(port_now_us() - t0 <= 1000000);
	CU_ASSERT(vblk_complete(r.b, &cookie, &result) < 0);
	vblk_stop(r.b, "device gone");
	CU_ASSERT(r.b->dead);
	CU_ASSERT_EQUAL(r.b->in_flight, 0u);
	CU_ASSERT_EQUAL(vblk_read(r.b, 0, rd, 512), -VERR_BROKEN);
	CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_READ, 0, rd, 512, rd), -VERR_BROKEN);
	CU_ASSERT_EQUAL(vblk_kick(r.b), -VERR_BROKEN);
	CU_ASSERT_EQUAL(vblk_wait(r.b, port_now_us() + 10), -VERR_BROKEN);
	/* Released afterwards, the held requests are not served: nothing in
	 * or around the buffers changed. */
	sim_blk_hold(r.m, false);
	CU_ASSERT(all_bytes(rd - GUARD, GUARD + 4 * 4096 + GUARD, 0xA5));
	CU_ASSERT(all_bytes(wr - GUARD, GUARD + 4 * 4096 + GUARD, 0x5A));
	CU_ASSERT_EQUAL(stats(&r).writes, 0u);
	CU_ASSERT_EQUAL(stats(&r).reads, 0u);
	/* The image, whose cache is written back when the machine ends, is
	 * still all zeros. */
	rig_down(&r);
	zeros = calloc(1, 1 * MiB);
	CU_ASSERT_FATAL(zeros != NULL);
	CU_ASSERT(file_has(fd, 0, zeros, 1 * MiB));
	free(zeros);
	close(fd);
	unlink(path);
}

static void test_timeout(void)
{
	struct sim_blk_opts o = mem_disk(1 * MiB);
	struct sim_vccw_state st;
	struct rig r;
	u8 *rd;
	u64 t0;

	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	rd = guarded(1, 0x3C);
	sim_blk_hold(r.m, true);
	t0 = host_clock_us();
	CU_ASSERT_EQUAL(vblk_read(r.b, 0, rd, 4096), -VERR_TIMEOUT);
	/* Bounded by VBLK_TIMEOUT_US of the (virtual) clock. */
	CU_ASSERT(host_clock_us() - t0 >= VBLK_TIMEOUT_US);
	CU_ASSERT(host_clock_us() - t0 < 2ull * VBLK_TIMEOUT_US);
	CU_ASSERT(r.b->dead);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.b->why, "timed out"));
	/* The device was reset: it holds no queue of ours. */
	sim_vccw_get_state(sim_vccw_find(r.sim, r.schid), &st);
	CU_ASSERT_EQUAL(st.status, 0);
	CU_ASSERT_EQUAL(st.queues_set, 0u);
	/* So a late completion cannot reach the buffer. */
	sim_blk_hold(r.m, false);
	CU_ASSERT(all_bytes(rd - GUARD, GUARD + 4096 + GUARD, 0x3C));
	CU_ASSERT_EQUAL(stats(&r).reads, 0u);
	CU_ASSERT_EQUAL(vblk_flush(r.b), -VERR_BROKEN);
	CU_ASSERT_EQUAL(vblk_write(r.b, 0, rd, 512), -VERR_BROKEN);
	rig_down(&r);
}

/* Held requests complete in order once released. */
static void test_hold_release(void)
{
	struct sim_blk_opts o = mem_disk(1 * MiB);
	struct rig r;
	u8 *buf;
	uintptr_t expect = 1;
	void *cookie;
	int result;

	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	buf = port_dma_alloc(3 * 4096, 8);
	CU_ASSERT_FATAL(buf != NULL);
	memset(buf, 0x42, 3 * 4096);
	sim_blk_hold(r.m, true);
	for (uintptr_t i = 1; i <= 3; i++)
		CU_ASSERT_EQUAL(vblk_submit(r.b, VBLK_WRITE, i * 8, buf, 4096, (void *)i), 0);
	CU_ASSERT_EQUAL(vblk_kick(r.b), 0);
	CU_ASSERT_EQUAL(vblk_complete(r.b, &cookie, &result), 0);
	CU_ASSERT_EQUAL(vblk_wait(r.b, port_now_us() + 1000), 0);
	sim_blk_hold(r.m, false);
	while (vblk_complete(r.b, &cookie, &result) == 1) {
		CU_ASSERT_EQUAL((uintptr_t)cookie, expect);
		CU_ASSERT_EQUAL(result, 0);
		expect++;
	}
	CU_ASSERT_EQUAL(expect, 4u);
	CU_ASSERT_EQUAL(stats(&r).writes, 3u);
	rig_down(&r);
}

/* --- Logical blocks and disk sizes (QEMU's block properties) --------------- */

/*
 * A disk of 4096-byte logical blocks: the driver sends whole blocks only
 * and refuses a part of one; a driver that ignored blk_size would get
 * IOERR from the device, as from QEMU.
 */
static void test_logical_blocks(void)
{
	struct sim_blk_opts o = mem_disk(1 * MiB);
	struct rig r;
	u8 *a, *b;
	u64 seed = 11;

	o.logical_block_size = 4096;
	o.physical_block_size = 16384;
	o.min_io_size = 8192;
	o.opt_io_size = 65536;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	CU_ASSERT_EQUAL(r.b->blk_size, 4096);
	CU_ASSERT_EQUAL(r.b->blocks, 256);
	CU_ASSERT_EQUAL(r.b->phys_size, 16384);
	CU_ASSERT_EQUAL(r.b->min_io, 8192);
	CU_ASSERT_EQUAL(r.b->opt_io, 65536);
	CU_ASSERT_EQUAL(r.b->max_transfer % 4096, 0);
	a = port_dma_alloc(8192, 8);
	b = port_dma_alloc(8192, 8);
	CU_ASSERT_FATAL(a && b);
	prng_fill(a, 8192, &seed);
	/* Parts of a block, or a start inside one: refused before the device. */
	CU_ASSERT_EQUAL(vblk_read(r.b, 0, b, 512), -VERR_INVAL);
	CU_ASSERT(strstr(r.b->why, "not whole blocks of 4096 bytes") != NULL);
	CU_ASSERT_EQUAL(vblk_write(r.b, 4, a, 4096), -VERR_INVAL);
	/* Whole blocks go through. */
	CU_ASSERT_EQUAL(vblk_write(r.b, 8, a, 8192), 0);
	CU_ASSERT_EQUAL(vblk_read(r.b, 8, b, 8192), 0);
	CU_ASSERT_EQUAL(memcmp(a, b, 8192), 0);
	/* The device's own check: a driver that took blk_size for advice. */
	r.b->blk_size = 512;
	CU_ASSERT_EQUAL(vblk_read(r.b, 0, b, 512), -VERR_IO);
	CU_ASSERT_EQUAL(vblk_read(r.b, 4, b, 4096), -VERR_IO);
	rig_down(&r);
}

/* What QEMU refuses of the block properties, the model refuses alike. */
static void test_block_props_refused(void)
{
	static const struct {
		u32 lbs, pbs, min_io;
		const char *why;
	} bad[] = {
		{ 3000, 0, 0, "power of two" },
		{ 256, 0, 0, "power of two" },
		{ 4096, 0, 0, "logical_block_size > physical_block_size" },
		{ 4096, 4096, 512, "min_io_size must be a multiple" },
		{ 512, 4 << 20, 0, "power of two" },
	};
	char why[SIM_WHY_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct sim_blk_opts o = mem_disk(1 * MiB);

		o.logical_block_size = bad[i].lbs;
		o.physical_block_size = bad[i].pbs;
		o.min_io_size = bad[i].min_io;
		why[0] = '\0';
		CU_ASSERT_EQUAL(sim_blk_check_opts(&o, why), -1);
		CU_ASSERT(strstr(why, bad[i].why) != NULL);
	}
}

/* QEMU sizes a raw file in whole sectors, rounded up; its configuration
 * is 57 bytes, 36 without discard and write-zeroes. */
static void test_disk_sizes(void)
{
	struct sim_blk_opts o = { 0 };
	char path[256];
	int fd = temp_image(path, sizeof(path), 0);
	struct rig r;
	u8 *buf;

	CU_ASSERT_EQUAL(sim_blk_file_sectors(0), 0);
	CU_ASSERT_EQUAL(sim_blk_file_sectors(3), 1);
	CU_ASSERT_EQUAL(sim_blk_file_sectors(512), 1);
	CU_ASSERT_EQUAL(sim_blk_file_sectors(513), 2);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(pwrite(fd, "abc", 3, 0) == 3);
	o.path = path;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	CU_ASSERT_EQUAL(r.b->capacity, 1);
	CU_ASSERT_EQUAL(vccw_config_size(r.v), 57);
	buf = port_dma_alloc(512, 8);
	CU_ASSERT_FATAL(buf != NULL);
	memset(buf, 0xEE, 512);
	CU_ASSERT_EQUAL(vblk_read(r.b, 0, buf, 512), 0);
	CU_ASSERT_EQUAL(memcmp(buf, "abc", 3), 0);
	CU_ASSERT_EQUAL(buf[3], 0);
	CU_ASSERT_EQUAL(buf[511], 0);
	rig_down(&r);
	/* An empty file: no sector at all. */
	CU_ASSERT_EQUAL_FATAL(ftruncate(fd, 0), 0);
	o.no_discard = o.no_write_zeroes = true;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	CU_ASSERT_EQUAL(r.b->capacity, 0);
	CU_ASSERT_EQUAL(r.b->blocks, 0);
	CU_ASSERT_EQUAL(vccw_config_size(r.v), 36);
	CU_ASSERT_EQUAL(vblk_read(r.b, 0, port_dma_alloc(512, 8), 512), -VERR_RANGE);
	rig_down(&r);
	close(fd);
	unlink(path);
}

/* A sparse image of 3 TiB: mapped without reserving memory, written at
 * its last block, and the file stays sparse. */
static void test_huge_sparse(void)
{
	const u64 size = 3ull << 40;
	struct sim_blk_opts o = { 0 };
	char path[256];
	int fd = temp_image(path, sizeof(path), (off_t)size);
	struct rig r;
	struct stat st;
	u8 *a, *b;
	u64 seed = 5, last;

	CU_ASSERT_FATAL(fd >= 0);
	o.path = path;
	CU_ASSERT_EQUAL_FATAL(rig_up(&r, &o, NULL, 0), 0);
	CU_ASSERT_EQUAL(r.b->capacity, size / 512);
	last = size / 512 - 8;
	a = port_dma_alloc(4096, 8);
	b = port_dma_alloc(4096, 8);
	CU_ASSERT_FATAL(a && b);
	prng_fill(a, 4096, &seed);
	CU_ASSERT_EQUAL(vblk_write(r.b, last, a, 4096), 0);
	CU_ASSERT_EQUAL(vblk_flush(r.b), 0);
	CU_ASSERT(file_has(fd, last, a, 4096));
	CU_ASSERT_EQUAL(vblk_read(r.b, last, b, 4096), 0);
	CU_ASSERT_EQUAL(memcmp(a, b, 4096), 0);
	CU_ASSERT_EQUAL(vblk_read(r.b, size / 1024, b, 4096), 0);
	rig_down(&r);
	CU_ASSERT_EQUAL(fstat(fd, &st), 0);
	CU_ASSERT((u64)st.st_blocks * 512 < 16 * MiB);
	close(fd);
	unlink(path);
}

static CU_TestInfo vblk_tests[] = {
	{ "capacity, blk_size, seg_max and size_max come from the configuration", test_config },
	{ "limits that leave no usable request fail the bring-up", test_init_refused },
	{ "without indirect descriptors the depth is the ring over 3 slots", test_depth_direct },
	{ "WRITE, READ, FLUSH and GET_ID round trips", test_round_trips },
	{ "round trips on a legacy device (big-endian header and rings)", test_round_trips_legacy },
	{ "round trips on a packed ring", test_round_trips_packed },
	{ "round trips with IN_ORDER, split and packed", test_round_trips_in_order },
	{ "a 20-byte serial comes back terminated", test_get_id_full },
	{ "requests in flight reach the depth and one more is AGAIN", test_depth },
	{ "requests the driver refuses never reach the device", test_refused },
	{ "large transfers keep to seg_max and size_max", test_segment_limits },
	{ "a read-only disk refuses writes in the driver and in the device", test_read_only },
	{ "IOERR names the sector and spares the requests beside it", test_ioerr },
	{ "a device that breaks the protocol is caught, a broken queue stops it", test_bad_device },
	{ "the device checks status slot, lengths, range and type", test_device_checks },
	{ "256 MiB of random writes and reads, 32 in flight, match a shadow", test_integrity },
	{ "random writes and reads match a shadow on a packed ring", test_integrity_packed },
	{ "random writes and reads match a shadow with IN_ORDER", test_integrity_in_order },
	{ "FLUSH puts written data into the image file, and so does the end",
	  test_flush_durability },
	{ "writeback 0 writes through to the file", test_write_through },
	{ "a read-only image file stays unchanged", test_read_only_file },
	{ "a device gone mid-request fails in bounds and writes nothing", test_device_gone },
	{ "a request that never completes times out and stops the device", test_timeout },
	{ "held requests complete in order when released", test_hold_release },
	{ "4096-byte logical blocks: whole blocks, else refused or IOERR", test_logical_blocks },
	{ "block properties QEMU refuses are refused", test_block_props_refused },
	{ "disks are whole sectors rounded up, as QEMU sizes them", test_disk_sizes },
	{ "a 3 TiB sparse image works and stays sparse", test_huge_sparse },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vblk_suite = { "vblk", NULL, NULL, NULL, NULL, vblk_tests };
