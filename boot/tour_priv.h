/*
 * What the tour's files share: the tour's state, its devices, and the
 * TEST line. Not an interface for anything outside boot/.
 */
#ifndef BOOT_TOUR_PRIV_H
#define BOOT_TOUR_PRIV_H

#include "boot/tour.h"
#include "boot/report.h" /* tour_test, tour_busid */
#include "ccw/ident.h"   /* struct ident */

/* Subchannels listed at most; more are counted but not shown. */
#define TOUR_MAX_DEVS 256

struct tour_dev {
	u32 schid;
	u16 devno;
	u8 pim, pam, pom;
	u8 chpid[8];
	bool enabled;
	bool identified;
	bool gone;          /* a channel report said it went away */
	u16 cu_type, dev_type;
	u8 cu_model, dev_model;
	struct ident ident;
};

/* scsi-hotplug=N: at most this many changes, each within so many seconds. */
#define TOUR_SCSI_CHANGES_MAX 8u
#define TOUR_SCSI_CHANGE_S 20u

struct tour {
	unsigned passed, failed, skipped;
	struct css *css;
	bool crash, fail, bench;
	bool classic;       /* virtio: do not try adapter indicators */
	bool console_read;  /* virtio-console: read a line from port 0 */
	bool show_config;   /* virtio: print the offered features and the configuration space */
	u32 seed;           /* virtio-blk scratch disks: the pattern's seed */
	u32 hotplug_s;      /* after the tour, take channel reports for this long (0: no) */
	u32 scsi_changes;   /* the first virtio-scsi adapter: wait for this many units to
			     * come or go (each within TOUR_SCSI_CHANGE_S), 0: no */
	bool scsi_waited;   /* that wait was made (on one adapter only) */
	char tftp_file[128]; /* virtio-net: read this file by TFTP, timed ("": no) */
	unsigned ndevs, total;
	struct tour_dev devs[TOUR_MAX_DEVS];
	u8 *buf; /* DMA memory for data */
};

/* Bring the virtio device d up with its driver and prove it end to end
 * (boot/tour_virtio.c). */
void tour_virtio(struct tour *t, const struct tour_dev *d);

/* Drive the 3390 DASD d (CU 3990) with the ECKD driver: geometry, serial,
 * IPL record, and a write-verify on a scratch volume (boot/tour_classic.c). */
void tour_dasd(struct tour *t, const struct tour_dev *d);

#endif /* BOOT_TOUR_PRIV_H */
