/*
 * A virtio device known by its identity only: device id, features, queues
 * and configuration space as QEMU 7.2 gives them, for the types the
 * simulator serves no requests for (virtio 1.3, 5: balloon, input, gpu,
 * scsi, crypto, 9p, vsock). A driver sets it up exactly as on QEMU; what
 * it puts on the queues stays there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/vdev_priv.h"

struct generic {
	struct sim_virtio_model model;
	struct sim_generic_field *fields;
	unsigned nfields;
	u8 *bytes;
	unsigned bytes_off, bytes_len;
	u16 *queue_max;
};

static void generic_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	struct generic *g = ctx;
	u8 *c = calloc(1, g->model.config_len ? g->model.config_len : 1);

	if (!c) {
		memset(buf, 0, len);
		return;
	}
	for (unsigned i = 0; i < g->nfields; i++)
		sim_vdev_put(c + g->fields[i].off, g->fields[i].size, g->fields[i].value, le);
	if (g->bytes_len)
		memcpy(c + g->bytes_off, g->bytes, g->bytes_len);
	memcpy(buf, c, MIN(len, g->model.config_len));
	free(c);
}

/* Requests are never served: the queue keeps them, as a device that is slow. */
static void generic_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	(void)ctx;
	(void)d;
	(void)q;
}

static void generic_destroy(void *ctx)
{
	struct generic *g = ctx;

	free(g->fields);
	free(g->bytes);
	free(g->queue_max);
	free(g);
}

long sim_vdev_generic(struct sim *sim, const struct sim_dev_config *dev,
		      const struct sim_vccw_config *transport, const struct sim_generic_opts *o,
		      char *why)
{
	struct generic *g = calloc(1, sizeof(*g));
	long schid;

	if (!g)
		goto nomem;
	for (unsigned i = 0; i < o->nfields; i++) {
		const struct sim_generic_field *f = &o->fields[i];

		if ((f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8) ||
		    f->off + f->size > o->config_len) {
			if (why)
				snprintf(why, SIM_WHY_LEN, "configuration field at %u outside the space",
					 f->off);
			generic_destroy(g);
			return SIM_ERR;
		}
	}
	if (o->bytes_off + o->bytes_len > o->config_len || !o->nqueues) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "%s", o->nqueues ? "configuration bytes outside the space"
								    : "no queues");
		generic_destroy(g);
		return SIM_ERR;
	}
	g->fields = malloc((o->nfields ? o->nfields : 1) * sizeof(*g->fields));
	g->bytes = malloc(o->bytes_len ? o->bytes_len : 1);
	g->queue_max = malloc(o->nqueues * sizeof(*g->queue_max));
	if (!g->fields || !g->bytes || !g->queue_max) {
		generic_destroy(g);
		goto nomem;
	}
	if (o->nfields)
		memcpy(g->fields, o->fields, o->nfields * sizeof(*g->fields));
	g->nfields = o->nfields;
	if (o->bytes_len)
		memcpy(g->bytes, o->bytes, o->bytes_len);
	g->bytes_off = o->bytes_off;
	g->bytes_len = o->bytes_len;
	memcpy(g->queue_max, o->queue_max, o->nqueues * sizeof(*g->queue_max));
	g->model = (struct sim_virtio_model){
		.device_id = o->device_id,
		.features = o->features,
		.nqueues = o->nqueues,
		.queue_max = g->queue_max,
		.config_len = o->config_len,
		.read_config = o->config_len ? generic_config : NULL,
		.queue_notify = generic_notify,
		.destroy = generic_destroy,
	};
	schid = sim_vdev_attach(sim, dev, transport, &g->model, g, NULL);
	if (schid < 0) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "cannot attach the device");
		generic_destroy(g);
	}
	return schid;

nomem:
	if (why)
		snprintf(why, SIM_WHY_LEN, "out of memory");
	return SIM_ERR;
}
