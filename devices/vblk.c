/* Placeholder until the driver is written. */
#include "devices/vblk.h"

int vblk_init(struct vblk *b, struct virtio_dev *dev, unsigned depth)
{
	(void)depth;
	b->dev = dev;
	return -VERR_NOTSUP;
}

int vblk_submit(struct vblk *b, enum vblk_op op, u64 sector, void *buf, u32 len, void *cookie)
{
	(void)b, (void)op, (void)sector, (void)buf, (void)len, (void)cookie;
	return -VERR_NOTSUP;
}

int vblk_kick(struct vblk *b)
{
	(void)b;
	return -VERR_NOTSUP;
}

int vblk_complete(struct vblk *b, void **cookie, int *result)
{
	(void)b, (void)cookie, (void)result;
	return -VERR_NOTSUP;
}

int vblk_wait(struct vblk *b, u64 deadline_us)
{
	(void)b, (void)deadline_us;
	return -VERR_NOTSUP;
}

void vblk_stop(struct vblk *b, const char *why)
{
	(void)b, (void)why;
}

int vblk_read(struct vblk *b, u64 sector, void *buf, u32 len)
{
	(void)b, (void)sector, (void)buf, (void)len;
	return -VERR_NOTSUP;
}

int vblk_write(struct vblk *b, u64 sector, const void *buf, u32 len)
{
	(void)b, (void)sector, (void)buf, (void)len;
	return -VERR_NOTSUP;
}

int vblk_flush(struct vblk *b)
{
	(void)b;
	return -VERR_NOTSUP;
}

int vblk_get_id(struct vblk *b, char id[VBLK_ID_BYTES + 1])
{
	(void)b;
	id[0] = '\0';
	return -VERR_NOTSUP;
}
