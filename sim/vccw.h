/*
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

struct sim_vccw;

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

/* Transport choices of one device. */
struct sim_vccw_config {
	int max_revision;       /* 0, 1 or 2 */
	bool transitional;      /* commands before SET_VIRTIO_REV fall back to revision 0 */
	bool version_1;         /* offer VIRTIO_F_VERSION_1 */
	bool event_idx;         /* offer VIRTIO_F_EVENT_IDX */
	bool indirect_desc;     /* offer VIRTIO_F_INDIRECT_DESC */
	bool ring_packed;       /* offer VIRTIO_F_RING_PACKED */
	bool in_order;          /* offer VIRTIO_F_IN_ORDER */
	bool adapter;           /* accept SET_IND_ADAPTER (else command reject) */
	bool legacy_bits;       /* in legacy mode also offer NOTIFY_ON_EMPTY and ANY_LAYOUT */
	bool no_notify_on_empty;/* ... but not NOTIFY_ON_EMPTY (QEMU's notify_on_empty=off) */
	bool no_any_layout;     /* ... but not ANY_LAYOUT (QEMU's any_layout=off) */
	bool ring_reset;        /* offer VIRTIO_F_RING_RESET (QEMU 7.2's queue_reset=on) */
	bool access_platform;   /* offer VIRTIO_F_ACCESS_PLATFORM and require it at FEATURES_OK
				 * (QEMU's iommu_platform=on) */
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

/*
 * DIAGNOSE 0x500: fn is GPR 1 (3: virtio-ccw notify), schid GPR 2, queue
 * GPR 3, cookie GPR 4. Stores the GPR 2 result (0, or -22 for a subchannel
 * or queue that cannot be notified) in *r2 and returns 0; returns the
 * negated program-interruption code (specification) for an unknown
 * function code.
 */
int sim_diag500(struct sim *sim, u64 fn, u64 schid, u64 queue, u64 cookie, s64 *r2);

/* The magnitude of the error DIAGNOSE 0x500 returns in GPR 2 (QEMU: -EINVAL). */
#define SIM_DIAG500_EINVAL 22

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

/* Signal a configuration change (configuration indicator, bit 0). */
void sim_vccw_config_changed(struct sim_vccw *d);

/* The driver broke the rules: DEVICE_NEEDS_RESET, then a config change. */
void sim_vccw_needs_reset(struct sim_vccw *d);

/* What the driver has set up, for tests and models. */
struct sim_vccw_state {
	int revision;           /* -1: not set */
	u8 status;
	u64 driver_features;
	bool adapter;           /* adapter indicators in use */
	u64 ind_addr;           /* classic queue indicator (0: none) */
	u64 conf_ind_addr;      /* configuration indicator (0: none) */
	u64 summary_addr, adapter_ind_addr, bit_nr;
	u8 isc;
	unsigned queues_set;    /* queues with a ring */
};
void sim_vccw_get_state(const struct sim_vccw *d, struct sim_vccw_state *out);

/* Queue q's size and ring addresses (0 when not set). */
void sim_vccw_get_queue(const struct sim_vccw *d, unsigned q, unsigned *num, u64 *desc,
			u64 *driver, u64 *device);

/* The model's context. */
void *sim_vccw_ctx(struct sim_vccw *d);

/* The model the device runs (the pointer given to sim_vccw_attach()), so a
 * model can tell its own devices from others. */
const struct sim_virtio_model *sim_vccw_model(const struct sim_vccw *d);

/* The virtio-ccw device on subchannel-id word schid, or NULL when there is none. */
struct sim_vccw *sim_vccw_find(struct sim *sim, u32 schid);

#endif /* SIM_VCCW_H */
