/* Virtio, transport-neutral: feature names and configuration accessors. */
#include "ring/virtio.h"

#include "ring/fmt.h" /* fmt_snprintf */

struct feature_name {
	u8 bit;
	const char *name;
};

/* virtio 1.3, 6 "Reserved Feature Bits" (and the legacy ones). */
static const struct feature_name transport[] = {
	{ VIRTIO_F_NOTIFY_ON_EMPTY, "NOTIFY_ON_EMPTY" },
	{ VIRTIO_F_ANY_LAYOUT, "ANY_LAYOUT" },
	{ VIRTIO_F_INDIRECT_DESC, "INDIRECT_DESC" },
	{ VIRTIO_F_EVENT_IDX, "EVENT_IDX" },
	{ VIRTIO_F_VERSION_1, "VERSION_1" },
	{ VIRTIO_F_ACCESS_PLATFORM, "ACCESS_PLATFORM" },
	{ VIRTIO_F_RING_PACKED, "RING_PACKED" },
	{ VIRTIO_F_IN_ORDER, "IN_ORDER" },
	{ VIRTIO_F_ORDER_PLATFORM, "ORDER_PLATFORM" },
	{ VIRTIO_F_SR_IOV, "SR_IOV" },
	{ VIRTIO_F_NOTIFICATION_DATA, "NOTIFICATION_DATA" },
	{ VIRTIO_F_NOTIF_CONFIG_DATA, "NOTIF_CONFIG_DATA" },
	{ VIRTIO_F_RING_RESET, "RING_RESET" },
	{ VIRTIO_F_ADMIN_VQ, "ADMIN_VQ" },
};

/* virtio 1.3, 5.1.3 */
static const struct feature_name net[] = {
	{ 0, "CSUM" },         { 1, "GUEST_CSUM" },     { 2, "CTRL_GUEST_OFFLOADS" },
	{ 3, "MTU" },          { 5, "MAC" },            { 6, "GSO" },
	{ 7, "GUEST_TSO4" },   { 8, "GUEST_TSO6" },     { 9, "GUEST_ECN" },
	{ 10, "GUEST_UFO" },   { 11, "HOST_TSO4" },     { 12, "HOST_TSO6" },
	{ 13, "HOST_ECN" },    { 14, "HOST_UFO" },      { 15, "MRG_RXBUF" },
	{ 16, "STATUS" },      { 17, "CTRL_VQ" },       { 18, "CTRL_RX" },
	{ 19, "CTRL_VLAN" },   { 20, "CTRL_RX_EXTRA" }, { 21, "GUEST_ANNOUNCE" },
	{ 22, "MQ" },          { 23, "CTRL_MAC_ADDR" }, { 63, "SPEED_DUPLEX" },
};

/* virtio 1.3, 5.2.3 */
static const struct feature_name blk[] = {
	{ 0, "BARRIER" },     { 1, "SIZE_MAX" },     { 2, "SEG_MAX" },      { 4, "GEOMETRY" },
	{ 5, "RO" },          { 6, "BLK_SIZE" },     { 7, "SCSI" },         { 9, "FLUSH" },
	{ 10, "TOPOLOGY" },   { 11, "CONFIG_WCE" },  { 12, "MQ" },          { 13, "DISCARD" },
	{ 14, "WRITE_ZEROES" }, { 15, "LIFETIME" }, { 16, "SECURE_ERASE" }, { 17, "ZONED" },
};

/* virtio 1.3, 5.3.3 */
static const struct feature_name console[] = {
	{ 0, "SIZE" },
	{ 1, "MULTIPORT" },
	{ 2, "EMERG_WRITE" },
};

static const char *lookup(const struct feature_name *t, size_t n, unsigned bit)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].bit == bit)
			return t[i].name;
	return NULL;
}

const char *virtio_feature_name(unsigned device_id, unsigned bit)
{
	const char *n = lookup(transport, ARRAY_SIZE(transport), bit);

	if (n)
		return n;
	switch (device_id) {
	case VIRTIO_ID_NET:
		return lookup(net, ARRAY_SIZE(net), bit);
	case VIRTIO_ID_BLOCK:
		return lookup(blk, ARRAY_SIZE(blk), bit);
	case VIRTIO_ID_CONSOLE:
		return lookup(console, ARRAY_SIZE(console), bit);
	default:
		return NULL;
	}
}

char *virtio_features_str(unsigned device_id, u64 features, char *buf, size_t size)
{
	size_t pos = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	for (unsigned bit = 0; bit < 64; bit++) {
		const char *name;
		int n;

		if (!(features & VIRTIO_BIT(bit)))
			continue;
		name = virtio_feature_name(device_id, bit);
		n = name ? fmt_snprintf(buf + pos, size - pos, "%s%s", pos ? " " : "", name)
			 : fmt_snprintf(buf + pos, size - pos, "%sbit%u", pos ? " " : "", bit);
		if (n < 0 || (size_t)n >= size - pos) {
			buf[size - 1] = '\0';
			break;
		}
		pos += (size_t)n;
	}
	if (!pos)
		fmt_snprintf(buf, size, "(none)");
	return buf;
}

int virtio_abandon(struct virtio_dev *dev)
{
	char why[sizeof(dev->why)];
	int err;

	memcpy(why, dev->why, sizeof(why));
	/* FAILED may not get through (the device may be gone); the reset is
	 * what matters. */
	(void)dev->ops->set_status(dev, (u8)(dev->status | VIRTIO_STATUS_FAILED));
	err = dev->ops->reset(dev);
	memcpy(dev->why, why, sizeof(why));
	return err;
}

/* Read len bytes at off; the device's byte order decides the value. */
static int cread(struct virtio_dev *dev, unsigned off, unsigned len, u64 *v)
{
	u8 b[8];
	u64 x = 0;
	int err;

	*v = 0;
	err = dev->ops->read_config(dev, off, b, len);
	if (err)
		return err;
	/* virtio 1.3, 2.5: little-endian; legacy: guest-native (big-endian). */
	for (unsigned i = 0; i < len; i++) {
		unsigned k = virtio_modern(dev) ? len - 1 - i : i;

		x = (x << 8) | b[k];
	}
	*v = x;
	return 0;
}

int virtio_cread8(struct virtio_dev *dev, unsigned off, u8 *v)
{
	u64 x;
	int err = cread(dev, off, 1, &x);

	*v = (u8)x;
	return err;
}

int virtio_cread16(struct virtio_dev *dev, unsigned off, u16 *v)
{
	u64 x;
	int err = cread(dev, off, 2, &x);

	*v = (u16)x;
	return err;
}

int virtio_cread32(struct virtio_dev *dev, unsigned off, u32 *v)
{
	u64 x;
	int err = cread(dev, off, 4, &x);

	*v = (u32)x;
	return err;
}

int virtio_cread64(struct virtio_dev *dev, unsigned off, u64 *v)
{
	return cread(dev, off, 8, v);
}

int virtio_cwrite32(struct virtio_dev *dev, unsigned off, u32 v)
{
	u8 b[4];

	for (unsigned i = 0; i < 4; i++) {
		unsigned shift = virtio_modern(dev) ? 8 * i : 8 * (3 - i);

		b[i] = (u8)(v >> shift);
	}
	return dev->ops->write_config(dev, off, b, 4);
}
