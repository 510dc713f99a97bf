/* Placeholder until the driver is written. */
#include "devices/vrng.h"

int vrng_init(struct vrng *r, struct virtio_dev *dev)
{
	r->dev = dev;
	return -VERR_NOTSUP;
}

int vrng_read(struct vrng *r, void *buf, size_t len)
{
	(void)r, (void)buf, (void)len;
	return -VERR_NOTSUP;
}
