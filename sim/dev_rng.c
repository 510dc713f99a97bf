/*
 * The simulated virtio-rng device (virtio 1.3, 5.4): one 8-entry queue
 * (QEMU 7.2), filled from the system's randomness, from a file (QEMU's
 * rng-random) or from a seeded generator for reproducible runs, optionally
 * a few bytes at a time, and within QEMU's rate limit (max-bytes per
 * period) on the machine's virtual clock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "ring/virtio.h" /* VIRTIO_ID_RNG */
#include "sim/vdev_priv.h"

struct rng {
	struct sim_virtio_model model;
	struct sim *sim;
	struct sim_vccw *vccw;
	bool seeded;
	u64 state;
	int fd;    /* the source file, or -1 */
	u32 chunk; /* at most this many bytes per request (0: no limit) */
	/* The rate limit, as QEMU keeps it: the quota left in this period
	 * (may go below 0), and whether the next request starts a period. */
	bool limited;
	u64 max_bytes;
	u64 period_us;
	s64 quota;
	bool start_period;
	u16 queue_max[1];
};

static void rng_bytes(struct rng *r, u8 *p, size_t n)
{
	while (n && r->fd >= 0) {
		ssize_t got = read(r->fd, p, n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			fprintf(stderr, "virtio-rng: the source gave %s; using the seeded generator\n",
				got < 0 ? strerror(errno) : "no more bytes");
			close(r->fd);
			r->fd = -1;
			r->seeded = true;
			break;
		}
		p += got;
		n -= (size_t)got;
	}
	if (!r->seeded) {
		while (n) {
			ssize_t got = getrandom(p, n, 0);

			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				/* Said once, then the generator serves: the
				 * bytes are no longer unpredictable. */
				fprintf(stderr, "virtio-rng: getrandom: %s; using the seeded generator\n",
					got < 0 ? strerror(errno) : "no bytes");
				r->seeded = true;
				break;
			}
			p += got;
			n -= (size_t)got;
		}
		if (!n)
			return;
	}
	/* xorshift64*: reproducible for a given seed. */
	while (n--) {
		r->state ^= r->state >> 12;
		r->state ^= r->state << 25;
		r->state ^= r->state >> 27;
		*p++ = (u8)((r->state * 0x2545F4914F6CDD1Dull) >> 56);
	}
}

/* Fill one request with up to limit bytes; returns the bytes written. */
static u32 rng_fill(struct rng *r, struct vq_chain *c, u64 limit)
{
	u8 buf[4096];
	u32 done = 0;
	u64 want = MIN(c->in_len, (u64)65536);

	/* A device may write less than the buffer holds (virtio 1.3, 5.4.6):
	 * a driver must go by the used length. */
	if (r->chunk)
		want = MIN(want, (u64)r->chunk);
	want = MIN(want, limit);
	/* virtio 1.3, 5.4: fill device-writable buffers only. */
	while (done < want) {
		u32 n = (u32)MIN(want - done, (u64)sizeof(buf));

		rng_bytes(r, buf, n);
		sim_vdev_copy(c, true, done, buf, n);
		done += n;
	}
	return done;
}

static u32 rng_request(void *ctx, struct vq_chain *c)
{
	return rng_fill(ctx, c, ~(u64)0);
}

static void rng_period_end(void *ctx);

/*
 * The rate-limited path, QEMU's: a request that finds the quota spent
 * stays on the ring; the first request of a period starts its timer, and
 * when the period ends the quota is full again and the waiting requests
 * are served.
 */
static void rng_limited(struct rng *r, unsigned q)
{
	struct sim_vccw *d = r->vccw;
	struct vq_seg seg[SIM_VDEV_MAX_SEGS];
	struct vq_chain c = { .seg = seg, .cap = SIM_VDEV_MAX_SEGS };
	struct sim_vccw_state st;
	struct vqd *v = sim_vccw_vqd(d, q);
	bool served = false;
	int rc = 0;

	sim_vccw_get_state(d, &st);
	if (!v || !(st.status & VIRTIO_STATUS_DRIVER_OK))
		return;
	if (r->start_period) {
		sim_timer_add(r->sim, sim_now_us(r->sim) + r->period_us, rng_period_end, r);
		r->start_period = false;
	}
	/* As on the unlimited path: ask for the next notification, and serve
	 * what came meanwhile while the quota lasts. */
	do {
		while (r->quota > 0 && (rc = vqd_pop(v, &c)) == 1) {
			u32 n = rng_fill(r, &c, (u64)r->quota);

			r->quota -= n;
			vqd_push(v, &c, n);
			served = true;
		}
	} while (rc >= 0 && r->quota > 0 && !vqd_enable_notify(v));
	/* Out of quota: still ask to hear of new requests (with EVENT_IDX a
	 * driver notifies only past the index asked for), so each starts its
	 * period as on QEMU; they wait for the period's end. */
	if (rc >= 0 && r->quota <= 0)
		vqd_enable_notify(v);
	if (rc < 0)
		sim_vccw_needs_reset(d);
	if (served || rc < 0)
		sim_vccw_queue_done(d, q);
}

static void rng_period_end(void *ctx)
{
	struct rng *r = ctx;

	r->quota = (s64)r->max_bytes;
	rng_limited(r, 0);
	r->start_period = true;
}

static void rng_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct rng *r = ctx;
	struct vqd *v;

	if (r->limited) {
		rng_limited(r, q);
		return;
	}
	/* Serve, then ask for the next notification: with EVENT_IDX a driver
	 * notifies only when its index passes the one the device asked for
	 * (virtio 1.3, 2.7.10), and sim_vdev_serve() does not ask. A request
	 * that came meanwhile is served too. */
	do {
		sim_vdev_serve(d, q, rng_request, ctx);
		v = sim_vccw_vqd(d, q);
	} while (v && !vqd_enable_notify(v));
}

static void rng_destroy(void *ctx)
{
	struct rng *r = ctx;

	sim_timer_cancel(r->sim, rng_period_end, r);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

long sim_vdev_rng(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_rng_opts *opts)
{
	struct rng *r = calloc(1, sizeof(*r));
	long schid;

	if (!r)
		return SIM_ERR;
	r->sim = sim;
	r->fd = -1;
	r->seeded = opts && opts->seeded;
	r->state = opts && opts->seed ? opts->seed : 0x9E3779B97F4A7C15ull;
	r->chunk = opts ? opts->chunk : 0;
	if (opts && opts->source && (r->fd = open(opts->source, O_RDONLY | O_CLOEXEC)) < 0) {
		free(r);
		return SIM_ERR;
	}
	if (opts && opts->max_bytes) {
		r->limited = true;
		r->max_bytes = opts->max_bytes;
		r->period_us = (u64)(opts->period_ms ? opts->period_ms : SIM_RNG_PERIOD_MS_DEFAULT) *
			       1000u;
		r->quota = (s64)MIN(opts->max_bytes, (u64)INT64_MAX);
		r->start_period = true;
	}
	r->queue_max[0] = 8;
	r->model = (struct sim_virtio_model){
		.device_id = VIRTIO_ID_RNG,
		.nqueues = 1,
		.queue_max = r->queue_max,
		.queue_notify = rng_notify,
		.destroy = rng_destroy,
	};
	schid = sim_vdev_attach(sim, dev, transport, &r->model, r, &r->vccw);
	if (schid < 0)
		rng_destroy(r);
	return schid;
}
