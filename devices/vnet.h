/*
 * The virtio-net driver (virtio 1.3, 5.1), on the transport-neutral device
 * interface (ring/virtio.h): the MAC address from the configuration when
 * offered, link status, transmit and receive of Ethernet frames with the
 * header of the negotiated mode, receive buffers kept posted.
 *
 * No offloads, no control queue, no merged receive buffers: every frame
 * fits one buffer.
 */
#ifndef DEVICES_VNET_H
#define DEVICES_VNET_H

#include "ring/virtio.h"

/* Feature bits (virtio 1.3, 5.1.3). */
#define VIRTIO_NET_F_CSUM 0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MTU 3
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS 16
#define VIRTIO_NET_F_CTRL_VQ 17

#define VIRTIO_NET_S_LINK_UP 1

#define VNET_FRAME_MIN 14u      /* an Ethernet header */
#define VNET_FRAME_MAX 1514u    /* without the frame check sequence */
#define VNET_RX_BUFS 32u        /* receive buffers kept posted (fewer on a smaller queue) */
#define VNET_TX_BUFS 16u        /* transmit buffers (fewer on a smaller queue) */
#define VNET_TIMEOUT_US 1000000u /* bound of the wait for a free transmit buffer */
#define VNET_RX_DROP_MAX 128u    /* malformed frames one vnet_recv() drops before it gives up */

struct vnet_buf; /* private: a header and a frame in DMA memory */

struct vnet {
	struct virtio_dev *dev;
	struct vq *rx, *tx;
	u8 mac[6];
	bool mac_from_device;   /* F_MAC: read from the configuration; else a made-up,
				 * locally administered address */
	bool has_status;        /* F_STATUS: link status in the configuration */
	unsigned hdr_len;       /* 12 with VERSION_1 or MRG_RXBUF, else 10 (virtio 1.3, 5.1.6) */
	unsigned rx_posted;     /* receive buffers the device holds */
	struct vnet_buf *rxb, *txb;
	unsigned nrx, ntx;
	struct vnet_buf *tx_free;
	u64 rx_frames, tx_frames;
	u64 rx_errors;          /* frames dropped: too short, too long, bad length */
	bool ready;             /* brought up: the other calls fail with -VERR_NODEV before */
	char why[96];
};

/*
 * Bring the device up (dev fresh from the transport, as for vblk_init()):
 * negotiate MAC and STATUS and the ring features, set up the receive and
 * transmit queues, the interruptions, read the configuration, post the
 * receive buffers and set DRIVER_OK. On failure the device is abandoned.
 */
int vnet_init(struct vnet *n, struct virtio_dev *dev);

/* The link: 1 up, 0 down (read afresh), or an error. Without F_STATUS, up. */
int vnet_link_up(struct vnet *n);

/*
 * Send one frame of VNET_FRAME_MIN to VNET_FRAME_MAX bytes (any memory; it
 * is copied). Waits at most VNET_TIMEOUT_US for a free transmit buffer.
 * Returns 0 or an error (-VERR_INVAL for a bad length).
 */
int vnet_send(struct vnet *n, const void *frame, u32 len);

/*
 * The next received frame into frame (size bytes), waiting until
 * deadline_us (port_now_us()). Returns its length; 0 when the deadline
 * passed; -VERR_RANGE when it was longer than size (it is dropped);
 * -VERR_PROTO after VNET_RX_DROP_MAX malformed frames in a row (counted in
 * rx_errors); or an error. Its buffer goes back to the device at once.
 */
int vnet_recv(struct vnet *n, void *frame, u32 size, u64 deadline_us);

#endif /* DEVICES_VNET_H */
