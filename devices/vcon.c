/* Placeholder until the driver is written. */
#include "devices/vcon.h"

int vcon_init(struct vcon *c, struct virtio_dev *dev)
{
	c->dev = dev;
	return -VERR_NOTSUP;
}

int vcon_write(struct vcon *c, const void *buf, size_t len)
{
	(void)c, (void)buf, (void)len;
	return -VERR_NOTSUP;
}

int vcon_read(struct vcon *c, void *buf, size_t size, u64 deadline_us)
{
	(void)c, (void)buf, (void)size, (void)deadline_us;
	return -VERR_NOTSUP;
}

int vcon_read_line(struct vcon *c, char *line, size_t size, u64 deadline_us)
{
	(void)c, (void)line, (void)size, (void)deadline_us;
	return -VERR_NOTSUP;
}
