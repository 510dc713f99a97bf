/*
 * The simulated virtio-net device (virtio 1.3, 5.1) with QEMU 7.2's
 * identity, and QEMU's user network behind it.
 *
 * Placeholder: identity and a transmit path that takes what it is given.
 */
#include <stdio.h>
#include <string.h>

#include "sim/vdev_priv.h"

/* QEMU 7.2's device-specific feature bits (platforms.md 12.3). */
#define NET_FEATURES 0x00BF8024ull

static const u16 net_queues[3] = { 256, 256, 64 };

static void net_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	static const u8 mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	u8 c[10];

	(void)ctx;
	memset(c, 0, sizeof(c));
	memcpy(c, mac, 6);
	sim_vdev_put(c + 6, 2, 1, le); /* status: link up */
	sim_vdev_put(c + 8, 2, 1, le); /* max_virtqueue_pairs */
	memcpy(buf, c, MIN(len, (unsigned)sizeof(c)));
}

static u32 take(void *ctx, struct vq_chain *c)
{
	(void)ctx;
	(void)c;
	return 0;
}

/* Transmit queues (odd numbers) are consumed; receive queues wait. */
static void tx_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	if (q & 1)
		sim_vdev_serve(d, q, take, ctx);
}

long sim_vdev_net(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_net_opts *opts,
		  char *why)
{
	static const struct sim_virtio_model model = {
		.device_id = 1,
		.features = NET_FEATURES,
		.nqueues = 3,
		.queue_max = net_queues,
		.config_len = 10,
		.read_config = net_config,
		.queue_notify = tx_notify,
	};
	long schid;

	(void)opts;
	schid = sim_vdev_attach(sim, dev, transport, &model, NULL, NULL);
	if (schid < 0 && why)
		snprintf(why, SIM_WHY_LEN, "cannot attach the device");
	return schid;
}

struct sim_net *sim_net_find(struct sim *sim, u32 schid)
{
	(void)sim;
	(void)schid;
	return NULL;
}

int sim_net_inject(struct sim_net *n, const void *frame, u32 len)
{
	(void)n;
	(void)frame;
	(void)len;
	return -1;
}

void sim_net_set_link(struct sim_net *n, bool up)
{
	(void)n;
	(void)up;
}

void sim_net_set_tap(struct sim_net *n, void (*fn)(void *ctx, const u8 *frame, u32 len), void *ctx)
{
	(void)n;
	(void)fn;
	(void)ctx;
}

void sim_net_get_stats(const struct sim_net *n, struct sim_net_stats *out)
{
	(void)n;
	memset(out, 0, sizeof(*out));
}
