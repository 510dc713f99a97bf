/*
 * The simulated virtio-console device (QEMU's virtio-serial; virtio 1.3,
 * 5.3) with QEMU 7.2's identity.
 *
 * Placeholder: identity and a transmit path that takes what it is given.
 */
#include <stdio.h>
#include <string.h>

#include "sim/vdev_priv.h"

/* MULTIPORT, EMERG_WRITE (platforms.md 12.3). */
#define CONSOLE_FEATURES 0x00000006ull

/* virtio-serial with 31 ports, as QEMU's default: two queues for port 0,
 * two control queues, two per further port. */
static const u16 console_queues[64] = { 128, 128, 32, 32, [4 ... 63] = 128 };

static void console_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	u8 c[12];

	(void)ctx;
	memset(c, 0, sizeof(c));
	sim_vdev_put(c + 4, 4, 31, le); /* max_nr_ports */
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

long sim_vdev_console(struct sim *sim, const struct sim_dev_config *dev,
		      const struct sim_vccw_config *transport, const struct sim_con_opts *opts,
		      char *why)
{
	static const struct sim_virtio_model model = {
		.device_id = 3,
		.features = CONSOLE_FEATURES,
		.nqueues = 64,
		.queue_max = console_queues,
		.config_len = 12,
		.read_config = console_config,
		.queue_notify = tx_notify,
	};
	long schid;

	(void)opts;
	schid = sim_vdev_attach(sim, dev, transport, &model, NULL, NULL);
	if (schid < 0 && why)
		snprintf(why, SIM_WHY_LEN, "cannot attach the device");
	return schid;
}

struct sim_con *sim_con_find(struct sim *sim, u32 schid)
{
	(void)sim;
	(void)schid;
	return NULL;
}

int sim_con_input(struct sim_con *c, const void *buf, size_t len)
{
	(void)c;
	(void)buf;
	(void)len;
	return -1;
}

void sim_con_get_stats(const struct sim_con *c, struct sim_con_stats *out)
{
	(void)c;
	memset(out, 0, sizeof(*out));
}
