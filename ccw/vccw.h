/*
 * The virtio-ccw transport, driver side (virtio 1.3, 4.3): brings a virtio
 * device up over channel programs and implements the transport-neutral
 * device interface (ring/virtio.h) for the drivers in devices/.
 *
 * Bring-up follows reference/ccw-virtio-checklist.md B.7: a fresh enable
 * (so an earlier command cannot have locked the revision), SET_VIRTIO_REV
 * from 2 down to 0 on "not supported", VDEV_RESET, ACKNOWLEDGE and DRIVER,
 * the feature words. The device driver then negotiates, sets up its queues
 * and the interruption path, reads its configuration and sets DRIVER_OK.
 */
#ifndef CCW_VCCW_H
#define CCW_VCCW_H

#include "ccw/css.h"      /* struct css */
#include "ccw/vccw_hw.h"  /* payloads */
#include "ring/virtio.h"  /* struct virtio_dev */

/* Queues a device may have here (classic indicators hold 64). */
#define VCCW_MAX_VQS 64u
/* Configuration space the transport reads (Linux's shadow is as big). */
#define VCCW_CONFIG_MAX 256u
/* Indirect-table entries per chain. */
#define VCCW_INDIRECT_MAX 16u

/* Channel-subsystem-addressable memory of one device. */
struct vccw_dma {
	struct ccw1 ccw;
	union {
		struct vccw_rev rev;
		struct vccw_feat feat;
		struct vccw_vq_conf vq_conf;
		struct vccw_vq_info info;
		struct vccw_vq_info_legacy linfo;
		struct vccw_thinint thin;
		be64 addr;
		u8 status;
	} u;
	u8 config[VCCW_CONFIG_MAX];
	be64 indicators;      /* classic: queue n is value bit n */
	be64 conf_indicators; /* configuration change: value bit 0 */
	u8 summary;           /* adapter: the summary byte */
	u8 adapter_ind[VCCW_MAX_VQS / 8]; /* adapter: queue n is bit n, MSB first */
};

struct vccw_queue {
	struct vq vq;
	unsigned num;        /* 0: not set up */
	u64 cookie;          /* from the last DIAGNOSE 0x500 */
	void *ring, *priv, *ind;
	size_t ring_size, priv_size, ind_size;
	struct vccw *owner;
	unsigned index;
};

/* How the device signals used buffers. */
enum vccw_irq_kind { VCCW_IRQ_NONE, VCCW_IRQ_CLASSIC, VCCW_IRQ_ADAPTER };

struct vccw_options {
	int max_revision;    /* highest revision to try (default 2) */
	bool no_adapter;     /* do not try adapter indicators */
	u64 timeout_us;      /* bound of each channel program (default CSS_DEFAULT_TIMEOUT_US) */
};

struct vccw {
	struct virtio_dev vdev;  /* first: the transport-neutral view */
	struct css *css;
	u32 schid;
	int revision;            /* negotiated, -1 before */
	enum vccw_irq_kind irq;
	struct vccw_options opts;
	struct vccw_dma *dma;
	struct vccw_queue q[VCCW_MAX_VQS];
	struct css_result last;  /* the outcome of the last channel program */
};

/*
 * Bring the device on schid (a virtio-ccw device of type virtio_id) to
 * ACKNOWLEDGE | DRIVER with its offered features read. opts may be NULL.
 * Returns 0, or an error with v->vdev.why saying what failed.
 */
int vccw_init(struct vccw *v, struct css *css, u32 schid, unsigned virtio_id,
	      const struct vccw_options *opts);

/* The device's transport-neutral interface. */
static inline struct virtio_dev *vccw_virtio(struct vccw *v) { return &v->vdev; }

/* The vccw behind a virtio_dev set up by vccw_init(). */
struct vccw *vccw_of(struct virtio_dev *dev);

/* "adapter", "classic" or "none". */
const char *vccw_irq_name(enum vccw_irq_kind k);

/*
 * Size of queue index as READ_VQ_CONF reports it (0: no such queue), or a
 * negative error.
 */
int vccw_queue_max(struct vccw *v, unsigned index);

/*
 * The configuration space's length: the longest READ_CONF without SLI the
 * device takes (QEMU ends a longer one in error; a device that moves its
 * whole space ends a shorter one with incorrect length). At most
 * VCCW_CONFIG_MAX; a search of about 8 channel programs.
 */
unsigned vccw_config_size(struct vccw *v);

/*
 * The first len bytes of the configuration space (at most
 * VCCW_CONFIG_MAX) into buf. Returns 0 or a negative error.
 */
int vccw_config_dump(struct vccw *v, u8 *buf, unsigned len);

/* Release indicators and queues and reset the device (VDEV_RESET). */
int vccw_teardown(struct vccw *v);

#endif /* CCW_VCCW_H */
