/* Placeholder until the driver is written. */
#include "devices/vnet.h"

int vnet_init(struct vnet *n, struct virtio_dev *dev)
{
	n->dev = dev;
	return -VERR_NOTSUP;
}

int vnet_link_up(struct vnet *n)
{
	(void)n;
	return -VERR_NOTSUP;
}

int vnet_send(struct vnet *n, const void *frame, u32 len)
{
	(void)n, (void)frame, (void)len;
	return -VERR_NOTSUP;
}

int vnet_recv(struct vnet *n, void *frame, u32 size, u64 deadline_us)
{
	(void)n, (void)frame, (void)size, (void)deadline_us;
	return -VERR_NOTSUP;
}
