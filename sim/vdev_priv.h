/*
 * What sim/vdev.c gives the device models it builds (sim/dev_*.c): not an
 * interface for anything outside sim/. The helpers every model, in sim/ or
 * in a test, may use are in sim/vccw.h.
 */
#ifndef SIM_VDEV_PRIV_H
#define SIM_VDEV_PRIV_H

#include "sim/vccw.h"
#include "sim/vdev.h"

/* Segments a model takes in one chain; a longer chain breaks the rules
 * of this device (VQD_FAULT_TOO_LONG). */
#define SIM_VDEV_MAX_SEGS 256u

/* Attach a model on the given transport, or on QEMU's defaults. */
long sim_vdev_attach(struct sim *sim, const struct sim_dev_config *dev,
		     const struct sim_vccw_config *transport, const struct sim_virtio_model *model,
		     void *ctx, struct sim_vccw **out);

#endif /* SIM_VDEV_PRIV_H */
