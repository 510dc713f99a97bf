/* The virtio-net driver (virtio 1.3, 5.1) on the transport-neutral virtio interface. */
#include "devices/vnet.h"

#include "ccw/port.h" /* DMA memory, the clock */
#include "ring/fmt.h" /* fmt_snprintf */

/* Configuration space (virtio 1.3, 5.1.4). */
#define VNET_CFG_MAC 0u
#define VNET_CFG_STATUS 6u

/* The largest header this driver meets: VERSION_1 (virtio 1.3, 5.1.6). */
#define VNET_HDR_MAX 12u

/*
 * One buffer: the header directly followed by room for a whole frame, so
 * that a VERSION_1 device gets one descriptor (12 + 1514 bytes) and a
 * legacy one the two it expects. The free-list link comes after the
 * frame, where no descriptor reaches.
 */
struct vnet_buf {
	u8 hdr[VNET_HDR_MAX];
	u8 frame[VNET_FRAME_MAX];
	struct vnet_buf *next;
};

BUILD_ASSERT(offsetof(struct vnet_buf, frame) == VNET_HDR_MAX);

static int fail(struct vnet *n, int err, const char *what)
{
	fmt_snprintf(n->why, sizeof(n->why), "%s: %s", what, verr_str(err));
	return err;
}

/* A transport call failed: the transport said why. */
static int fail_dev(struct vnet *n, int err, const char *what)
{
	fmt_snprintf(n->why, sizeof(n->why), "%s: %s", what,
		     n->dev->why[0] ? n->dev->why : verr_str(err));
	return err;
}

/*
 * The descriptors of a buffer holding frame_len bytes of frame. A
 * VERSION_1 device takes any layout (virtio 1.3, 2.6.4); a legacy device
 * without ANY_LAYOUT wants the header in a descriptor of its own (virtio
 * 1.3, 5.1.6.7, legacy message framing).
 */
static unsigned buf_segs(const struct vnet *n, struct vnet_buf *b, u32 frame_len, struct vq_buf *v)
{
	u64 a = port_dma_addr(b);

	if (virtio_modern(n->dev)) {
		v[0] = (struct vq_buf){ a, VNET_HDR_MAX + frame_len };
		return 1;
	}
	v[0] = (struct vq_buf){ a + VNET_HDR_MAX - n->hdr_len, n->hdr_len };
	v[1] = (struct vq_buf){ a + VNET_HDR_MAX, frame_len };
	return 2;
}

/* Whether a token the ring gave back is one of the count buffers at base. */
static bool own_buf(const struct vnet_buf *base, unsigned count, const void *tok)
{
	for (unsigned i = 0; i < count; i++)
		if (tok == &base[i])
			return true;
	return false;
}

static int rx_post(struct vnet *n, struct vnet_buf *b)
{
	struct vq_buf v[2];
	unsigned segs = buf_segs(n, b, VNET_FRAME_MAX, v);
	int err = vq_add(n->rx, v, 0, segs, b);

	if (!err)
		n->rx_posted++;
	return err;
}

/*
 * Without F_MAC the driver picks its own address (virtio 1.3, 5.1.5):
 * locally administered (0x02) and unicast, the rest mixed from the
 * buffers' DMA address, which no other device on the machine shares.
 */
static void made_up_mac(struct vnet *n)
{
	u64 x = port_dma_addr(n->rxb) * 0x9E3779B97F4A7C15ull;

	n->mac[0] = 0x02;
	for (unsigned i = 1; i < 6; i++)
		n->mac[i] = (u8)(x >> (8 * (i + 2)));
	n->mac_from_device = false;
}

/* An address a device may be given: not a group address, not all zero. */
static bool mac_usable(const u8 mac[6])
{
	static const u8 zero[6];

	return !(mac[0] & 0x01) && memcmp(mac, zero, 6) != 0;
}

static int vnet_setup(struct vnet *n, struct virtio_dev *dev)
{
	/* In-order would hide the length of a frame used in a batch. */
	const u64 wanted = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
			   (VIRTIO_RING_FEATURES & ~VIRTIO_BIT(VIRTIO_F_IN_ORDER));
	unsigned segs;
	int err;

	if (dev->device_id != VIRTIO_ID_NET)
		return fail(n, -VERR_NOTSUP, "not a network device");
	/* Allocated once: a later bring-up of the same device reuses them. */
	if (!n->rxb) {
		n->rxb = port_dma_alloc((VNET_RX_BUFS + VNET_TX_BUFS) * sizeof(struct vnet_buf), 16);
		if (!n->rxb)
			return fail(n, -VERR_NOMEM, "buffers");
	}
	n->txb = n->rxb + VNET_RX_BUFS;

	err = dev->ops->negotiate(dev, wanted);
	if (err)
		return fail_dev(n, err, "features");
	/* virtio 1.3, 5.1.6: num_buffers is there with VERSION_1 or
	 * MRG_RXBUF; the driver does not ask for MRG_RXBUF, so a legacy
	 * device has the 10-byte header. */
	n->hdr_len = virtio_modern(dev) ? 12 : 10;
	n->has_status = virtio_has(dev, VIRTIO_NET_F_STATUS);

	err = dev->ops->setup_vq(dev, 0, 0, &n->rx);
	if (err)
		return fail_dev(n, err, "receive queue");
	err = dev->ops->setup_vq(dev, 1, 0, &n->tx);
	if (err)
		return fail_dev(n, err, "transmit queue");
	/* Every buffer must fit in its ring at once. */
	segs = virtio_modern(dev) ? 1 : 2;
	n->nrx = MIN(VNET_RX_BUFS, n->rx->num / segs);
	n->ntx = MIN(VNET_TX_BUFS, n->tx->num / segs);
	if (!n->nrx || !n->ntx)
		return fail(n, -VERR_NOTSUP, "queues too small");
	err = dev->ops->setup_irq(dev);
	if (err)
		return fail_dev(n, err, "interruptions");

	if (virtio_has(dev, VIRTIO_NET_F_MAC)) {
		err = dev->ops->read_config(dev, VNET_CFG_MAC, n->mac, 6);
		if (err)
			return fail_dev(n, err, "MAC address");
		n->mac_from_device = true;
	}
	if (!n->mac_from_device || !mac_usable(n->mac))
		made_up_mac(n);

	err = dev->ops->set_status(dev, dev->status | VIRTIO_STATUS_DRIVER_OK);
	if (err)
		return fail_dev(n, err, "DRIVER_OK");

	/* Receive buffers after DRIVER_OK: the device may not be notified
	 * before it (virtio 1.3, 3.1.1), and posting them here keeps the
	 * buffers and their one kick together. */
	for (unsigned i = 0; i < n->nrx; i++) {
		err = rx_post(n, &n->rxb[i]);
		if (err)
			return fail(n, err, "posting receive buffers");
	}
	err = vq_kick(n->rx);
	if (err)
		return fail(n, err, "receive queue notification");
	n->tx_free = NULL;
	for (unsigned i = n->ntx; i-- > 0;) {
		n->txb[i].next = n->tx_free;
		n->tx_free = &n->txb[i];
	}
	/* Used-buffer interruptions only while a caller waits. */
	vq_disable_cb(n->rx);
	vq_disable_cb(n->tx);
	n->ready = true;
	return 0;
}

int vnet_init(struct vnet *n, struct virtio_dev *dev)
{
	/* Buffers of an earlier bring-up of this device stay ours. */
	struct vnet_buf *bufs = n->dev == dev ? n->rxb : NULL;
	int err;

	memset(n, 0, sizeof(*n));
	n->dev = dev;
	n->rxb = bufs;
	err = vnet_setup(n, dev);
	if (err)
		virtio_abandon(dev);
	return err;
}

int vnet_link_up(struct vnet *n)
{
	u16 status;
	int err;

	if (!n->ready)
		return fail(n, -VERR_NODEV, "not brought up");
	/* virtio 1.3, 5.1.4.2: without STATUS the link is assumed up. */
	if (!n->has_status)
		return 1;
	err = virtio_cread16(n->dev, VNET_CFG_STATUS, &status);
	if (err)
		return fail_dev(n, err, "link status");
	return (status & VIRTIO_NET_S_LINK_UP) != 0;
}

/* Wait for a signal from the device, with notifications asked for on vq. */
static int wait_for(struct vnet *n, struct vq *vq, u64 deadline_us)
{
	int rc;

	if (n->dev->needs_reset)
		return fail(n, -VERR_BROKEN, "device needs a reset");
	/* Something arrived while notifications were off: look again first. */
	if (!vq_enable_cb(vq))
		return 1;
	rc = n->dev->ops->wait(n->dev, deadline_us);
	vq_disable_cb(vq);
	if (rc < 0)
		return fail_dev(n, rc, "wait");
	return rc;
}

/* Take back every transmit buffer the device has used. */
static int tx_reclaim(struct vnet *n)
{
	void *tok;
	u32 len;
	int rc;

	while ((rc = vq_get_used(n->tx, &tok, &len)) == 1) {
		struct vnet_buf *b = tok;

		if (!own_buf(n->txb, n->ntx, tok))
			return fail(n, -VERR_BROKEN, "transmit queue");
		b->next = n->tx_free;
		n->tx_free = b;
	}
	return rc < 0 ? fail(n, rc, "transmit queue") : 0;
}

int vnet_send(struct vnet *n, const void *frame, u32 len)
{
	u64 deadline = port_now_us() + VNET_TIMEOUT_US;
	struct vnet_buf *b;
	struct vq_buf v[2];
	unsigned segs;
	int err;

	if (!frame || len < VNET_FRAME_MIN || len > VNET_FRAME_MAX)
		return -VERR_INVAL;
	if (!n->ready)
		return fail(n, -VERR_NODEV, "not brought up");
	for (;;) {
		err = tx_reclaim(n);
		if (err)
			return err;
		if (n->tx_free)
			break;
		if (port_now_us() >= deadline)
			return fail(n, -VERR_TIMEOUT, "no transmit buffer came back");
		err = wait_for(n, n->tx, deadline);
		if (err < 0)
			return err;
	}
	b = n->tx_free;
	n->tx_free = b->next;
	/* virtio 1.3, 5.1.6.2: no offload asked for, num_buffers 0. */
	memset(b->hdr, 0, sizeof(b->hdr));
	memcpy(b->frame, frame, len);
	segs = buf_segs(n, b, len, v);
	err = vq_add(n->tx, v, segs, 0, b);
	if (err) {
		b->next = n->tx_free;
		n->tx_free = b;
		return fail(n, err, "transmit queue");
	}
	err = vq_kick(n->tx);
	if (err)
		return fail(n, err, "transmit notification");
	n->tx_frames++;
	return 0;
}

int vnet_recv(struct vnet *n, void *frame, u32 size, u64 deadline_us)
{
	/* A device that answers every buffer with a malformed frame would
	 * keep this loop busy without the clock moving: bounded. */
	unsigned dropped = 0;

	if (!n->ready)
		return fail(n, -VERR_NODEV, "not brought up");
	for (;;) {
		struct vnet_buf *b;
		void *tok;
		u32 len;
		int rc = vq_get_used(n->rx, &tok, &len);

		if (rc < 0)
			return fail(n, rc, "receive queue");
		if (rc == 0) {
			if (port_now_us() >= deadline_us)
				return 0;
			rc = wait_for(n, n->rx, deadline_us);
			if (rc < 0)
				return rc;
			continue;
		}
		if (!own_buf(n->rxb, n->nrx, tok))
			return fail(n, -VERR_BROKEN, "receive queue");
		b = tok;
		n->rx_posted--;
		/*
		 * The ring already refused a length beyond the buffer; a frame
		 * shorter than an Ethernet header is the device's error too.
		 */
		if (len < n->hdr_len + VNET_FRAME_MIN || len > n->hdr_len + VNET_FRAME_MAX) {
			n->rx_errors++;
			rc = 0;
		} else if (len - n->hdr_len > size) {
			rc = -VERR_RANGE;
		} else {
			rc = (int)(len - n->hdr_len);
			/* Out before the buffer goes back: the device may fill
			 * it again during the kick. */
			memcpy(frame, b->frame, (u32)rc);
			n->rx_frames++;
		}
		{
			int err = rx_post(n, b);

			if (!err)
				err = vq_kick(n->rx);
			if (err)
				return fail(n, err, "receive queue");
		}
		if (rc != 0)
			return rc;
		if (++dropped >= VNET_RX_DROP_MAX)
			return fail(n, -VERR_PROTO, "the device delivers only malformed frames");
		if (port_now_us() >= deadline_us)
			return 0;
	}
}
