/*
 * The simulated virtio-rng device (virtio 1.3, 5.4): one 8-entry queue
 * (QEMU 7.2), filled from the system's randomness or from a seeded
 * generator for reproducible runs, optionally a few bytes at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ring/virtio.h" /* VIRTIO_ID_RNG */
#include "sim/vdev_priv.h"

struct rng {
	struct sim_virtio_model model;
	bool seeded;
	u64 state;
	u32 chunk; /* at most this many bytes per request (0: no limit) */
	u16 queue_max[1];
};

static void rng_bytes(struct rng *r, u8 *p, size_t n)
{
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

static u32 rng_request(void *ctx, struct vq_chain *c)
{
	struct rng *r = ctx;
	u8 buf[4096];
	u32 done = 0;
	u64 want = MIN(c->in_len, (u64)65536);

	/* A device may write less than the buffer holds (virtio 1.3, 5.4.6):
	 * a driver must go by the used length. */
	if (r->chunk)
		want = MIN(want, (u64)r->chunk);

	/* virtio 1.3, 5.4: fill device-writable buffers only. */
	while (done < want) {
		u32 n = (u32)MIN(want - done, (u64)sizeof(buf));

		rng_bytes(r, buf, n);
		sim_vdev_copy(c, true, done, buf, n);
		done += n;
	}
	return done;
}

static void rng_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct vqd *v;

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
	free(ctx);
}

long sim_vdev_rng(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_rng_opts *opts)
{
	struct rng *r = calloc(1, sizeof(*r));
	long schid;

	if (!r)
		return -1;
	r->seeded = opts && opts->seeded;
	r->state = opts && opts->seed ? opts->seed : 0x9E3779B97F4A7C15ull;
	r->chunk = opts ? opts->chunk : 0;
	r->queue_max[0] = 8;
	r->model = (struct sim_virtio_model){
		.device_id = VIRTIO_ID_RNG,
		.nqueues = 1,
		.queue_max = r->queue_max,
		.queue_notify = rng_notify,
		.destroy = rng_destroy,
	};
	schid = sim_vdev_attach(sim, dev, transport, &r->model, r, NULL);
	if (schid < 0)
		free(r);
	return schid;
}

