/*
 * The simulated virtio-scsi host adapter (virtio 1.3, 5.6) with SCSI disks
 * on raw files and CD-ROMs on ISO images behind it (SPC-4, SBC-3, MMC):
 * INQUIRY, REPORT LUNS, TEST UNIT READY, REQUEST SENSE, READ CAPACITY (10)
 * and (16), READ and WRITE (10) and (16), SYNCHRONIZE CACHE (10), START
 * STOP UNIT; a unit attention (power on or reset) on each LUN after the
 * device is reset, until a command other than INQUIRY, REPORT LUNS or
 * REQUEST SENSE takes it; sense data for a bad LBA, an opcode it does not
 * know, a write to a read-only disk or a CD-ROM, a LUN that is not there.
 *
 * In-tree (boot/host and the tests), not part of the installed library
 * yet.
 */
#ifndef SIM_DEV_SCSI_H
#define SIM_DEV_SCSI_H

#include "sim/vdev.h"

#define SIM_SCSI_MAX_LUNS 16u

/* One logical unit: target (scsi-id) and LUN as QEMU's scsi-hd/scsi-cd. */
struct sim_scsi_lun {
	const char *path;   /* the image: a raw file (disk) or an ISO (CD-ROM); a
			     * CD-ROM without one has no medium */
	unsigned target;    /* 0 to 255 */
	unsigned lun;       /* 0 to 16383 */
	bool cdrom;         /* 2048-byte blocks, read-only, removable, type 5 */
	bool read_only;     /* a disk opened read-only: writes get DATA PROTECT */
	/* A disk's logical and physical block (QEMU's logical_block_size and
	 * physical_block_size): powers of two from 512 to 2 MiB, logical <=
	 * physical; 0: 512. */
	unsigned block_size, physical_block_size;
};

struct sim_scsi_opts {
	unsigned nluns;
	struct sim_scsi_lun lun[SIM_SCSI_MAX_LUNS];
	unsigned num_queues;  /* request queues; 0: 1, as QEMU's default */
	/* QEMU 7.2's properties; 0 (false) for its defaults: virtqueue_size
	 * 256, seg_max virtqueue_size - 2, max_sectors 65535, cmd_per_lun 128,
	 * F_HOTPLUG and F_CHANGE offered. */
	unsigned queue_size, seg_max, max_sectors, cmd_per_lun;
	bool no_hotplug, no_change;
};

/*
 * Attach a virtio-scsi adapter with its LUNs. Returns the subchannel-id
 * word, or SIM_ERR with the reason in why (SIM_WHY_LEN bytes): an image
 * that cannot be opened, two LUNs at the same address, a target or LUN out
 * of range.
 */
long sim_vdev_scsi(struct sim *sim, const struct sim_dev_config *dev,
		   const struct sim_vccw_config *transport, const struct sim_scsi_opts *opts,
		   char *why);

/*
 * Hot-plug, as QEMU's device_add and device_del of a scsi-hd or scsi-cd:
 * a unit added (the newest, listed after LUN 0 first by REPORT LUNS) or
 * removed on the adapter at subchannel-id word schid. When the driver
 * negotiated F_HOTPLUG and set DRIVER_OK, it gets a transport-reset event
 * (reason RESCAN or REMOVED, with the unit's address) in its next event
 * buffer and an interruption; with no buffer the event is dropped, and
 * the next carries EVENTS_MISSED. Then, as QEMU 7.2 does, the next command
 * to any unit but INQUIRY and REPORT LUNS ends in UNIT ATTENTION, REPORTED
 * LUNS DATA HAS CHANGED, once for the bus; a REPORT LUNS clears it. 0, or
 * SIM_ERR with the reason in why.
 */
int sim_scsi_plug(struct sim *sim, uint32_t schid, const struct sim_scsi_lun *lun, char *why);
int sim_scsi_unplug(struct sim *sim, uint32_t schid, unsigned target, unsigned lun, char *why);

#endif /* SIM_DEV_SCSI_H */
