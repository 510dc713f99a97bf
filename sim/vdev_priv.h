/*
 * Helpers the device models (sim/dev_*.c) share. Not an interface for
 * anything outside sim/.
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

/* Store or load an n-byte value (n <= 8), little- or big-endian. */
void sim_vdev_put(u8 *p, unsigned n, u64 v, bool le);
u64 sim_vdev_get(const u8 *p, unsigned n, bool le);

/*
 * Copy out of the chain's readable buffers (write false) or into its
 * writable ones (write true), from byte off of those buffers. Returns the
 * bytes copied (fewer at the end of the buffers).
 */
u32 sim_vdev_copy(const struct vq_chain *c, bool write, u64 off, void *buf, u32 len);

/* Serve a chain; returns the bytes written into its writable buffers. */
typedef u32 (*sim_vdev_serve_fn)(void *ctx, struct vq_chain *c);

/*
 * Take every available chain of queue q, serve it with fn and mark it
 * used, then publish and signal. A chain that breaks the rules stops the
 * queue and sets DEVICE_NEEDS_RESET.
 */
void sim_vdev_serve(struct sim_vccw *d, unsigned q, sim_vdev_serve_fn fn, void *ctx);

/* Whether the driver accepted VERSION_1: little-endian rings and headers. */
bool sim_vdev_modern(const struct sim_vccw *d);

#endif /* SIM_VDEV_PRIV_H */
