/*
 * The interface for writing a virtio device model, used by the models of
 * sim/dev_*.c and by tests that play a device the driver must survive. Not
 * installed with the library: it exposes the device side of the rings
 * (ring/vq_dev.h). An outside user attaches the models of sim/vdev.h.
 *
 * The simulated virtio-ccw control unit (virtio 1.3, 4.3) on the
 * channel-subsystem simulator's control-unit interface, the DIAGNOSE 0x500
 * hypercall, and the small interface virtio device models implement.
 *
 * Both behaviour profiles: SIM_PROFILE_QEMU reproduces QEMU's departures
 * listed in reference/ccw-virtio-checklist.md B.3 and B.4 (revision
 * lock-in, lax lengths with SLI, program check for bad lengths, no revision
 * gating, READ_CONF residual left stale); SIM_PROFILE_ARCH follows the
 * spec's normative text.
 */
#ifndef SIM_VCCW_H
#define SIM_VCCW_H

#include "ccw/vccw_hw.h" /* command codes and payloads */
#include "ring/vq_dev.h" /* the device side of the rings */
#include "sim/sim.h"
#include "sim/vdev.h" /* the transport's public part */

/* A virtio device model: what a device type adds to the transport. */
struct sim_virtio_model {
	unsigned device_id;           /* virtio device id, the CU model */
	u64 features;                 /* device-specific feature bits offered (bits 0-23, 41+) */
	unsigned nqueues;             /* queues that exist */
	const u16 *queue_max;         /* their maximum sizes */
	unsigned config_len;          /* bytes of configuration space */
	/* Configuration space from offset 0; le: VERSION_1 was accepted
	 * (else the legacy big-endian layout). */
	void (*read_config)(void *ctx, u8 *buf, unsigned len, bool le);
	void (*write_config)(void *ctx, const u8 *buf, unsigned len, bool le);
	/* The driver notified queue q while DRIVER_OK: take and complete
	 * requests with sim_vccw_vqd(), then call sim_vccw_queue_done(). */
	void (*queue_notify)(void *ctx, struct sim_vccw *dev, unsigned q);
	/* The device was reset (status 0, VDEV_RESET). */
	void (*reset)(void *ctx);
	/* Called once when the machine is destroyed. */
	void (*destroy)(void *ctx);
};

/*
 * Attach a virtio-ccw device: dev gives the subchannel set, number and
 * device number (the identity is set here: CU 0x3832, model = device id,
 * a 256-byte SENSE ID, channel-path type 0x32). model and ctx stay the
 * caller's until model->destroy. *out (optional) receives the device.
 * Returns the subchannel-id word, or -1.
 */
long sim_vccw_attach(struct sim *sim, const struct sim_dev_config *dev,
		     const struct sim_vccw_config *cfg, const struct sim_virtio_model *model,
		     void *ctx, struct sim_vccw **out);

/* --- For device models -------------------------------------------------- */

/* The device side of queue q, or NULL when it is not set up. */
struct vqd *sim_vccw_vqd(struct sim_vccw *d, unsigned q);

/* Guest memory the device may access; NULL outside it. */
void *sim_vccw_map(struct sim_vccw *d, u64 addr, u64 len, bool write);

/*
 * Publish what the model pushed on queue q and, when the driver wants it,
 * set the queue's indicator and interrupt as QEMU does (classic: bit q of
 * the 64-bit word and unsolicited status; adapter: bit bit_nr + q, summary
 * byte, adapter interruption if the summary was 0). Without indicators
 * nothing is signalled.
 */
void sim_vccw_queue_done(struct sim_vccw *d, unsigned q);

/* The model's context. */
void *sim_vccw_ctx(struct sim_vccw *d);

/* The model the device runs (the pointer given to sim_vccw_attach()), so a
 * model can tell its own devices from others. */
const struct sim_virtio_model *sim_vccw_model(const struct sim_vccw *d);

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

#endif /* SIM_VCCW_H */
