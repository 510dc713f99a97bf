/*
 * The virtio-console driver (virtio 1.3, 5.3): write and read on port 0,
 * with the multiport control protocol when the device offers it (QEMU's
 * virtio-serial does, with a virtconsole on port 0).
 */
#ifndef DEVICES_VCON_H
#define DEVICES_VCON_H

#include "ring/virtio.h"

/* Feature bits (virtio 1.3, 5.3.3). */
#define VIRTIO_CONSOLE_F_SIZE 0
#define VIRTIO_CONSOLE_F_MULTIPORT 1
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2

/* Control events (virtio 1.3, 5.3.6.2). */
#define VIRTIO_CONSOLE_DEVICE_READY 0
#define VIRTIO_CONSOLE_PORT_ADD 1
#define VIRTIO_CONSOLE_PORT_REMOVE 2
#define VIRTIO_CONSOLE_PORT_READY 3
#define VIRTIO_CONSOLE_CONSOLE_PORT 4
#define VIRTIO_CONSOLE_RESIZE 5
#define VIRTIO_CONSOLE_PORT_OPEN 6
#define VIRTIO_CONSOLE_PORT_NAME 7

#define VCON_TIMEOUT_US 2000000u /* bound of a write, and of the port announcements at start */
#define VCON_SETTLE_US 50000u    /* at start: no control message for this long, and the ports are all told */
#define VCON_RX_BUFS 8u          /* receive buffers kept posted on port 0 */
#define VCON_CTL_BUFS 32u        /* ... and on the control receiveq (QEMU sends a burst of PORT_ADDs) */
#define VCON_BUF_SIZE 256u       /* bytes per buffer */
#define VCON_MAX_PORTS 32u       /* ports the driver keeps a record of */
#define VCON_NAME_LEN 48u        /* bytes of a port name kept, its NUL included */

/* A port the device added, as the control protocol told of it. */
struct vcon_port {
	u32 id;
	bool console;              /* CONSOLE_PORT */
	bool host_connected;       /* PORT_OPEN from the device */
	bool ready_due;            /* PORT_READY not yet sent */
	char name[VCON_NAME_LEN];  /* PORT_NAME ("" when none; cut to fit) */
};

struct vcon_buf; /* private: DMA buffers */

struct vcon {
	struct virtio_dev *dev;
	struct vq *rx, *tx;        /* port 0 */
	struct vq *c_rx, *c_tx;    /* control queues, with MULTIPORT */
	bool multiport;
	u32 max_ports;
	bool port0_added;          /* the device added port 0 (always so without MULTIPORT); a
				    * multiport device may have none: QEMU's virtio-serial without a
				    * virtconsole */
	bool port0_console;        /* ... as a console port */
	bool host_connected;       /* its host end is open (PORT_OPEN; assumed without MULTIPORT) */
	u16 cols, rows;            /* F_SIZE, or a RESIZE event */
	struct vcon_port ports[VCON_MAX_PORTS]; /* with MULTIPORT: every port added, by id */
	unsigned nports;
	unsigned ctl_seen;         /* control messages handled */
	struct vcon_buf *bufs;
	u8 pending[VCON_BUF_SIZE]; /* received bytes not yet read */
	unsigned pending_off, pending_len;
	u64 out_bytes, in_bytes;
	char why[96];
};

/*
 * Bring the device up (dev fresh from the transport): negotiate SIZE and
 * MULTIPORT and the ring features, set up port 0's queues (and the control
 * queues), the interruptions, set DRIVER_OK; with MULTIPORT send
 * DEVICE_READY and take the announcements until none has come for
 * VCON_SETTLE_US (bounded by VCON_TIMEOUT_US): every port added is
 * answered PORT_READY (its name and state are recorded in ports[]), and a
 * console port 0 is opened. Data moves on port 0 only; a device without
 * port 0 comes up all the same (port0_added false), and writes to it fail.
 * On failure the device is abandoned.
 */
int vcon_init(struct vcon *c, struct virtio_dev *dev);

/* Write len bytes to port 0; waits until the device has taken them
 * (bounded). Returns 0 or an error. */
int vcon_write(struct vcon *c, const void *buf, size_t len);

/* Bytes from port 0, waiting until deadline_us for the first. Returns the
 * count (at most size), 0 at the deadline, or an error. */
int vcon_read(struct vcon *c, void *buf, size_t size, u64 deadline_us);

/*
 * One line from port 0 without its end ("\n", "\r\n" or "\r"),
 * NUL-terminated, waiting until deadline_us. Returns its length; 0 with an
 * empty line; -VERR_TIMEOUT when the deadline passed first (what came is
 * kept for the next call); -VERR_RANGE when the line does not fit (the
 * rest of it is skipped); or an error.
 */
int vcon_read_line(struct vcon *c, char *line, size_t size, u64 deadline_us);

#endif /* DEVICES_VCON_H */
