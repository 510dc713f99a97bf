/*
 * virtio-ccw command codes and payloads (virtio 1.3, 4.3 "Virtio Over
 * Channel I/O"; reference/ccw-virtio-checklist.md B.2). Every field is
 * big-endian except the feature word, which is little-endian. The odd
 * sizes (5, 25) are exact: the structs are packed.
 */
#ifndef CCW_VCCW_HW_H
#define CCW_VCCW_HW_H

#include "ring/base.h" /* be16, be32, be64, le32, BUILD_ASSERT */

/* Control-unit type of every virtio-ccw device; the model is the device id. */
#define VCCW_CU_TYPE 0x3832u
/* Channel-path type of virtio-ccw paths. */
#define VCCW_CHPID_TYPE 0x32u

#define VCCW_CMD_SET_VQ 0x13
#define VCCW_CMD_VDEV_RESET 0x33
#define VCCW_CMD_SET_IND 0x43
#define VCCW_CMD_SET_CONF_IND 0x53
#define VCCW_CMD_SET_IND_ADAPTER 0x73
#define VCCW_CMD_READ_FEAT 0x12
#define VCCW_CMD_WRITE_FEAT 0x11
#define VCCW_CMD_READ_CONF 0x22
#define VCCW_CMD_WRITE_CONF 0x21
#define VCCW_CMD_WRITE_STATUS 0x31
#define VCCW_CMD_READ_VQ_CONF 0x32
#define VCCW_CMD_SET_VIRTIO_REV 0x83
#define VCCW_CMD_READ_STATUS 0x72

/* The highest revision the spec defines (virtio 1.3, 4.3.2.1.1). */
#define VCCW_REV_MAX 2
/* Queue indices a notification may name (QEMU's limit). */
#define VCCW_QUEUE_LIMIT 1024u
/* The legacy ring alignment (revision 0 SET_VQ). */
#define VCCW_LEGACY_ALIGN 4096u

/* DIAGNOSE 0x500 function code for a queue notification. */
#define VCCW_DIAG500_NOTIFY 3

struct vccw_rev {
	be16 revision;
	be16 length; /* of revision-specific data that follows; 0 for 0..2 */
} __packed;
BUILD_ASSERT(sizeof(struct vccw_rev) == 4);

struct vccw_feat {
	le32 features; /* little-endian, unlike everything else */
	u8 index;      /* which 32-bit word of the feature bits */
} __packed;
BUILD_ASSERT(sizeof(struct vccw_feat) == 5);

struct vccw_vq_conf {
	be16 index;
	be16 num_max; /* 0: the queue does not exist */
} __packed;
BUILD_ASSERT(sizeof(struct vccw_vq_conf) == 4);

/* SET_VQ from revision 1: the three ring areas separately. */
struct vccw_vq_info {
	be64 desc;
	be32 res0;
	be16 index;
	be16 num;
	be64 driver;
	be64 device;
} __packed;
BUILD_ASSERT(sizeof(struct vccw_vq_info) == 32);

/* SET_VQ at revision 0: one legacy block and its alignment (4096). */
struct vccw_vq_info_legacy {
	be64 queue;
	be32 align;
	be16 index;
	be16 num;
} __packed;
BUILD_ASSERT(sizeof(struct vccw_vq_info_legacy) == 16);

/* SET_IND_ADAPTER: two-stage indicators. */
struct vccw_thinint {
	be64 summary_indicator; /* one byte */
	be64 indicator;         /* bit area, MSB-first numbering */
	be64 bit_nr;            /* queue n sets bit bit_nr + n */
	u8 isc;
} __packed;
BUILD_ASSERT(sizeof(struct vccw_thinint) == 25);

#endif /* CCW_VCCW_HW_H */
