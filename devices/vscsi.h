/*
 * The virtio-scsi driver (virtio 1.3, 5.6): bring-up (features, the
 * control, event and request queues, the configuration), discovery of the
 * logical units behind it (REPORT LUNS on each target, INQUIRY, the
 * unit-attention dance of TEST UNIT READY, READ CAPACITY (16) or (10)),
 * and I/O on a disk or CD-ROM (READ and WRITE (10) or (16), SYNCHRONIZE
 * CACHE), many commands in flight spread over the request queues, each as
 * large as max_sectors allows. A command that ends in CHECK CONDITION
 * gives its sense decoded in words (devices/scsi_sense.h); a unit
 * attention or a busy LUN is retried, a bounded number of times. Events
 * (F_HOTPLUG: a unit added or removed; F_CHANGE; events missed) mark the
 * list of units stale for the caller to scan again.
 */
#ifndef DEVICES_VSCSI_H
#define DEVICES_VSCSI_H

#include "devices/scsi_sense.h"
#include "ring/virtio.h"

#define VIRTIO_SCSI_F_INOUT 0
#define VIRTIO_SCSI_F_HOTPLUG 1
#define VIRTIO_SCSI_F_CHANGE 2

#define VSCSI_MAX_LUNS 32u          /* logical units discovery keeps */
#define VSCSI_MAX_TARGETS 256u      /* targets discovery asks at most */
#define VSCSI_TIMEOUT_US 10000000u  /* bound of one command */
#define VSCSI_RETRIES 5u            /* of a unit attention, a busy or not-ready LUN */
#define VSCSI_MAX_QUEUES 4u         /* request queues used at most */
#define VSCSI_SLOTS 32u             /* commands in flight at most */
#define VSCSI_EVENTS 4u             /* event buffers given to the device */

/* Peripheral device types (SPC-4 6.4.2). */
#define SCSI_TYPE_DISK 0x00
#define SCSI_TYPE_CDROM 0x05

struct vscsi_lun {
	u8 target;
	u16 lun;
	u8 type;          /* SCSI_TYPE_* or another, named by scsi_type_name() */
	bool removable;
	char vendor[9], product[17];
	u32 blk_size;     /* 0 when the capacity could not be read */
	u64 blocks;
};

struct vscsi_dma; /* private: the request, response and event buffers */

struct vscsi {
	struct virtio_dev *dev;
	struct vq *ctrl, *event;
	struct vq *req[VSCSI_MAX_QUEUES];
	unsigned nreq;              /* request queues in use: num_queues, at most the above */
	unsigned depth;             /* commands that may be in flight */
	unsigned in_flight;
	/* Configuration (virtio 1.3, 5.6.4). */
	u32 num_queues, seg_max, max_sectors, cmd_per_lun, sense_size, cdb_size;
	u16 max_channel, max_target;
	u32 max_lun;
	bool hotplug;
	bool dead;
	/* Events (vscsi_events()): how many, whether the units changed since
	 * the caller last cleared it, the last unit added or removed. */
	unsigned nevents;
	bool changed;
	u8 ev_target;
	u16 ev_lun;
	bool ev_removed;
	struct vscsi_dma *dma;
	unsigned nluns;
	struct vscsi_lun luns[VSCSI_MAX_LUNS];
	/* The last command's outcome. */
	u32 done;                   /* bytes transferred */
	u8 status;                  /* SCSI status */
	u8 response;                /* virtio-scsi response code */
	struct scsi_sense sense;    /* decoded, when status is CHECK CONDITION */
	char why[200];
};

/* Bring the device up. 0, or an error with why; then the device is
 * abandoned and the driver dead: every other call fails with
 * -VERR_BROKEN. */
int vscsi_init(struct vscsi *s, struct virtio_dev *dev);

/* Find the logical units (targets 0 to max_target, at most
 * VSCSI_MAX_TARGETS): luns[] and nluns. Units of other types are kept and
 * named; their capacity is not read. 0, or an error with why. */
int vscsi_scan(struct vscsi *s);

/* Direction of a command's data. */
enum vscsi_dir { VSCSI_NONE, VSCSI_IN, VSCSI_OUT };

/*
 * One command to a unit: the CDB (at most cdb_size bytes), its data (DMA
 * memory, len bytes) in the given direction. 0 when the command ended
 * GOOD; -VERR_IO with the sense in s->sense and words in why after CHECK
 * CONDITION; another error for a transport failure. *done (optional): the
 * bytes transferred.
 */
int vscsi_command(struct vscsi *s, u8 target, u16 lun, const u8 *cdb, unsigned cdb_len,
		  void *data, u32 len, enum vscsi_dir dir, u32 *done);

/*
 * Whole blocks of a disk or CD-ROM: count blocks from lba into or out of
 * buf (DMA memory), split by max_sectors with up to depth commands in
 * flight; unit attentions retried. Each command bounded by
 * VSCSI_TIMEOUT_US (on a timeout the device is stopped). They need no
 * command of the caller in flight (-VERR_BUSY otherwise). 0, or the
 * first failure with why, sense and status.
 */
int vscsi_read(struct vscsi *s, const struct vscsi_lun *l, u64 lba, u32 count, void *buf);
int vscsi_write(struct vscsi *s, const struct vscsi_lun *l, u64 lba, u32 count,
		const void *buf);
int vscsi_sync(struct vscsi *s, const struct vscsi_lun *l);

/* Blocks one READ or WRITE of l may carry (max_sectors, at most 65535). */
u32 vscsi_max_blocks(const struct vscsi *s, const struct vscsi_lun *l);

/*
 * Queue one READ (write false) or WRITE of count blocks (at most
 * vscsi_max_blocks()) at lba of l without waiting, on the request queue of
 * its slot; buf is DMA memory. cookie comes back from vscsi_complete().
 * The device sees it at vscsi_kick(). 0; -VERR_AGAIN when depth commands
 * are in flight or the queue is full; -VERR_NOMEM when the queue cannot
 * hold one command with nothing in flight; -VERR_RANGE, -VERR_INVAL;
 * -VERR_BROKEN when dead.
 */
int vscsi_submit(struct vscsi *s, const struct vscsi_lun *l, bool write, u64 lba, u32 count,
		 void *buf, void *cookie);
int vscsi_kick(struct vscsi *s);

/*
 * Collect one finished command without waiting: 1 with its cookie and
 * *result (0 GOOD; after CHECK CONDITION -VERR_IO with sense and why; a
 * retryable ending is sent again first, up to VSCSI_RETRIES times); done
 * holds the bytes transferred. 0 when none has finished; a negative error
 * when a queue broke or the device used a request it was not given (then
 * the device is stopped).
 */
int vscsi_complete(struct vscsi *s, void **cookie, int *result);

/* Wait until a command or an event may have finished, or the deadline
 * (port_now_us()): 1, 0 at the deadline, or a negative error. */
int vscsi_wait(struct vscsi *s, u64 deadline_us);

/*
 * Take the events the device wrote (virtio 1.3, 5.6.6.3) and give their
 * buffers back: the number taken, or a negative error. A unit added or
 * removed (F_HOTPLUG), a parameter change (F_CHANGE) or events missed set
 * changed: the caller scans again (vscsi_scan()) and clears it.
 */
int vscsi_events(struct vscsi *s);

/* Reset the device and forget every command in flight; dead afterwards.
 * why (optional) is kept. */
void vscsi_stop(struct vscsi *s, const char *why);

/* "disk", "CD-ROM", "tape", ... for a peripheral device type. */
const char *scsi_type_name(u8 type);

#endif /* DEVICES_VSCSI_H */
