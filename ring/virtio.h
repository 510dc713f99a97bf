/*
 * Virtio, transport-neutral: feature and status bits (virtio 1.3, 2.1,
 * 2.2, 6) and the device interface device drivers speak. A transport
 * (virtio-ccw in ccw/vccw.c) implements struct virtio_ops; drivers in
 * devices/ call only the functions below.
 */
#ifndef RING_VIRTIO_H
#define RING_VIRTIO_H

#include "ring/vq.h" /* struct vq */

/* Device status (virtio 1.3, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80

/* Reserved (transport) feature bits (virtio 1.3, 6). */
#define VIRTIO_F_NOTIFY_ON_EMPTY 24 /* legacy */
#define VIRTIO_F_ANY_LAYOUT 27      /* legacy */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_F_RING_PACKED 34
#define VIRTIO_F_IN_ORDER 35
#define VIRTIO_F_ORDER_PLATFORM 36
#define VIRTIO_F_SR_IOV 37
#define VIRTIO_F_NOTIFICATION_DATA 38
#define VIRTIO_F_NOTIF_CONFIG_DATA 39
#define VIRTIO_F_RING_RESET 40
#define VIRTIO_F_ADMIN_VQ 41

#define VIRTIO_BIT(n) ((u64)1 << (n))

/* Device ids (virtio 1.3, 5). */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG 4
#define VIRTIO_ID_BALLOON 5
#define VIRTIO_ID_SCSI 8
#define VIRTIO_ID_9P 9
#define VIRTIO_ID_GPU 16
#define VIRTIO_ID_INPUT 18
#define VIRTIO_ID_VSOCK 19
#define VIRTIO_ID_CRYPTO 20

/* The ring features this driver stack implements (ring/). */
#define VIRTIO_RING_FEATURES                                                   \
	(VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) | VIRTIO_BIT(VIRTIO_F_EVENT_IDX) | \
	 VIRTIO_BIT(VIRTIO_F_RING_PACKED) | VIRTIO_BIT(VIRTIO_F_IN_ORDER))

/*
 * The name of feature bit `bit` of a device of type device_id ("EVENT_IDX",
 * "blk.FLUSH", ...), or NULL when unknown.
 */
const char *virtio_feature_name(unsigned device_id, unsigned bit);

/*
 * Feature names of a feature set, separated by blanks, into buf (always
 * terminated); unknown bits as "bit<n>". Returns buf.
 */
char *virtio_features_str(unsigned device_id, u64 features, char *buf, size_t size);

/* Called when the device signals a configuration change. */
typedef void (*virtio_config_fn)(void *ctx);

struct virtio_dev;

/* What a transport provides. Every call returns 0 or a negative VERR_*. */
struct virtio_ops {
	/* Negotiate offered & wanted, FEATURES_OK checked. wanted holds the
	 * device-type bits and the ring features the driver can use (all of
	 * VIRTIO_RING_FEATURES, or fewer: IN_ORDER hides the lengths of
	 * buffers used in a batch); the transport adds VERSION_1. */
	int (*negotiate)(struct virtio_dev *dev, u64 wanted);
	/* Configuration space, from offset 0 (virtio-ccw has no offset). */
	int (*read_config)(struct virtio_dev *dev, unsigned off, void *buf, unsigned len);
	int (*write_config)(struct virtio_dev *dev, unsigned off, const void *buf, unsigned len);
	int (*set_status)(struct virtio_dev *dev, u8 status);
	int (*get_status)(struct virtio_dev *dev, u8 *status);
	/* Set up queue index with at most num entries (0: the device's
	 * maximum) and give back its virtqueue. */
	int (*setup_vq)(struct virtio_dev *dev, unsigned index, unsigned num, struct vq **out);
	/* Set up the interruption path (after the queues, before DRIVER_OK). */
	int (*setup_irq)(struct virtio_dev *dev);
	/* Reset the device; every virtqueue is gone afterwards. */
	int (*reset)(struct virtio_dev *dev);
	/*
	 * Wait until a queue may have used buffers or the config changed,
	 * or the deadline (port_now_us()) passes. Returns 1 when something
	 * was signalled, 0 at the deadline.
	 */
	int (*wait)(struct virtio_dev *dev, u64 deadline_us);
};

/* The transport-neutral state of a device. Drivers read it, never write it. */
struct virtio_dev {
	const struct virtio_ops *ops;
	unsigned device_id;
	u64 offered;            /* the device's features */
	u64 features;           /* negotiated */
	u8 status;              /* what the driver last wrote */
	bool config_changed;    /* set by wait() when the device said so */
	bool needs_reset;       /* set by wait(): the device reported DEVICE_NEEDS_RESET */
	u64 queue_signals;      /* queues signalled since the last look (bit n = queue n) */
	char why[96];           /* a readable reason for the last failure */
};

static inline bool virtio_has(const struct virtio_dev *dev, unsigned bit)
{
	return (dev->features & VIRTIO_BIT(bit)) != 0;
}

/* Whether the device speaks virtio 1.x (little-endian config and rings). */
static inline bool virtio_modern(const struct virtio_dev *dev)
{
	return virtio_has(dev, VIRTIO_F_VERSION_1);
}

/*
 * Give up on a device whose setup or operation failed (virtio 1.3, 3.1.1):
 * set FAILED, then reset it, so that it holds no queue, indicator or
 * status of ours. dev->why is kept. Returns the reset's result.
 */
int virtio_abandon(struct virtio_dev *dev);

/*
 * Config fields in the device's byte order: little-endian for VERSION_1,
 * guest-native (big-endian on s390x) for legacy devices. Return 0 or an
 * error; *v is 0 on error.
 */
int virtio_cread8(struct virtio_dev *dev, unsigned off, u8 *v);
int virtio_cread16(struct virtio_dev *dev, unsigned off, u16 *v);
int virtio_cread32(struct virtio_dev *dev, unsigned off, u32 *v);
int virtio_cread64(struct virtio_dev *dev, unsigned off, u64 *v);
int virtio_cwrite32(struct virtio_dev *dev, unsigned off, u32 v);

#endif /* RING_VIRTIO_H */
