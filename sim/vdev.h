/*
 * Simulated virtio devices on the virtio-ccw control unit, with the identity
 * QEMU 7.2 gives them (reference/platforms.md 12.3-12.5: feature words,
 * queue sizes, configuration lengths), so that ccwsim and QEMU negotiate
 * alike. Back-ends: memory or a file for blk, the system's randomness or a
 * seeded generator for rng.
 */
#ifndef SIM_VDEV_H
#define SIM_VDEV_H

#include "sim/vccw.h"

/* Transport defaults as QEMU 7.2 has them (revision 2, INDIRECT_DESC and
 * EVENT_IDX offered, adapter indicators, transitional). */
void sim_vdev_default_transport(struct sim_vccw_config *cfg);

struct sim_blk_opts {
	const char *path;     /* backing file, or NULL for memory */
	u64 size;             /* bytes of a memory disk (multiple of 512) */
	bool read_only;       /* VIRTIO_BLK_F_RO: writes fail with IOERR */
	const char *serial;   /* GET_ID answer (at most 20 bytes) */
};

struct sim_rng_opts {
	bool seeded;          /* a reproducible generator instead of the system's */
	u64 seed;
};

/*
 * Attach a device; dev gives set, subchannel number and devno; transport
 * NULL means sim_vdev_default_transport(). Return the subchannel-id word,
 * or -1 with a reason in why (at least 80 bytes; may be NULL).
 */
long sim_vdev_blk(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_blk_opts *opts,
		  char *why);
long sim_vdev_rng(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_rng_opts *opts);
long sim_vdev_net(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport);
long sim_vdev_console(struct sim *sim, const struct sim_dev_config *dev,
		      const struct sim_vccw_config *transport);

#endif /* SIM_VDEV_H */
