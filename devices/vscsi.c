/* The virtio-scsi driver: see vscsi.h. virtio 1.3, 5.6; SPC-4, SBC-3. */
#include "devices/vscsi.h"

#include "ccw/port.h"
#include "ring/fmt.h"
#include "ring/vq.h"

/* Queue indexes (virtio 1.3, 5.6.2). */
#define Q_CTRL 0
#define Q_EVENT 1
#define Q_REQ 2

/* Header sizes (virtio 1.3, 5.6.6): the request's lun, id, task_attr,
 * prio, crn before the CDB; the response's sense_len, residual,
 * status_qualifier, status, response before the sense. */
#define REQ_FIXED 19u
#define RESP_FIXED 12u
/* What this driver's buffers hold; the device's sizes must fit. */
#define CDB_MAX 32u
#define SENSE_MAX 96u
#define EVENTS 4u
#define EVENT_SIZE 16u

/* Response codes (virtio 1.3, 5.6.6.1). */
static const char *const responses[] = {
	"OK", "overrun", "aborted", "bad target", "reset", "busy", "transport failure",
	"target failure", "nexus failure", "failure",
};

#define ST_GOOD 0x00
#define ST_CHECK 0x02
#define ST_BUSY 0x08

struct vscsi_dma {
	u8 req[REQ_FIXED + CDB_MAX];
	u8 resp[RESP_FIXED + SENSE_MAX];
	u8 events[EVENTS][EVENT_SIZE];
	u8 data[256];     /* INQUIRY, REPORT LUNS, READ CAPACITY answers */
	u64 id;
};

const char *scsi_type_name(u8 type)
{
	static const char *const names[] = {
		"disk", "tape", "printer", "processor", "write-once device", "CD-ROM",
		"scanner", "optical memory", "medium changer", "communications device",
	};

	if (type < ARRAY_SIZE(names))
		return names[type];
	return type == 0x0D ? "enclosure" : type == 0x0C ? "storage array" : "device of another type";
}

static int fail(struct vscsi *s, int err, const char *what, const char *detail)
{
	fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %s: %s", what,
		     detail ? detail : verr_str(err));
	return err;
}

int vscsi_init(struct vscsi *s, struct virtio_dev *dev)
{
	u64 wanted = VIRTIO_BIT(VIRTIO_SCSI_F_HOTPLUG) | VIRTIO_BIT(VIRTIO_SCSI_F_CHANGE) |
		     VIRTIO_RING_FEATURES;
	struct vq_buf b;
	int err;

	memset(s, 0, sizeof(*s));
	s->dev = dev;
	/* virtio 1.3, 3.1.1: features, queues, configuration, DRIVER_OK. */
	err = dev->ops->negotiate(dev, wanted);
	if (err)
		return fail(s, err, "features", NULL);
	err = dev->ops->setup_vq(dev, Q_CTRL, 0, &s->ctrl);
	if (!err)
		err = dev->ops->setup_vq(dev, Q_EVENT, 0, &s->event);
	if (!err)
		err = dev->ops->setup_vq(dev, Q_REQ, 0, &s->req);
	if (err)
		return fail(s, err, "queues", NULL);
	err = dev->ops->setup_irq(dev);
	if (err)
		return fail(s, err, "interruptions", NULL);
	err = virtio_cread32(dev, 0, &s->num_queues);
	if (!err)
		err = virtio_cread32(dev, 4, &s->seg_max);
	if (!err)
		err = virtio_cread32(dev, 8, &s->max_sectors);
	if (!err)
		err = virtio_cread32(dev, 12, &s->cmd_per_lun);
	if (!err)
		err = virtio_cread32(dev, 20, &s->sense_size);
	if (!err)
		err = virtio_cread32(dev, 24, &s->cdb_size);
	if (!err)
		err = virtio_cread16(dev, 28, &s->max_channel);
	if (!err)
		err = virtio_cread16(dev, 30, &s->max_target);
	if (!err)
		err = virtio_cread32(dev, 32, &s->max_lun);
	if (err)
		return fail(s, err, "configuration", NULL);
	/* Our buffers hold a 32-byte CDB and 96 bytes of sense: ask for those
	 * sizes when the device's differ (5.6.4: the driver may write them). */
	if (s->cdb_size != CDB_MAX)
		err = virtio_cwrite32(dev, 24, CDB_MAX);
	if (!err && s->sense_size != SENSE_MAX)
		err = virtio_cwrite32(dev, 20, SENSE_MAX);
	if (err)
		return fail(s, err, "configuration", NULL);
	s->cdb_size = CDB_MAX;
	s->sense_size = SENSE_MAX;
	if (!s->max_sectors)
		s->max_sectors = 0xFFFF;
	s->hotplug = virtio_has(dev, VIRTIO_SCSI_F_HOTPLUG);
	s->dma = port_dma_alloc(sizeof(*s->dma), 64);
	if (!s->dma)
		return fail(s, -VERR_NOMEM, "buffers", "out of DMA memory");
	memset(s->dma, 0, sizeof(*s->dma));
	/* virtio 1.3, 5.6.6.3: the event queue holds buffers for the device. */
	for (unsigned i = 0; i < EVENTS; i++) {
		b.addr = port_dma_addr(s->dma->events[i]);
		b.len = EVENT_SIZE;
		err = vq_add(s->event, &b, 0, 1, s->dma->events[i]);
		if (err)
			return fail(s, err, "event queue", NULL);
	}
	vq_disable_cb(s->ctrl);
	vq_disable_cb(s->event);
	vq_disable_cb(s->req);
	err = dev->ops->set_status(dev, (u8)(dev->status | VIRTIO_STATUS_DRIVER_OK));
	if (!err)
		err = vq_kick(s->event);
	if (err)
		return fail(s, err, "DRIVER_OK", NULL);
	return 0;
}

static u32 get32(struct vscsi *s, const u8 *p)
{
	return virtio_modern(s->dev) ? get_le32(p) : get_be32(p);
}

/* The request's completion, waited for within VSCSI_TIMEOUT_US. */
static int wait_used(struct vscsi *s, u32 *used)
{
	u64 deadline = port_now_us() + VSCSI_TIMEOUT_US;
	void *tok;

	for (;;) {
		int rc = vq_get_used(s->req, &tok, used);

		if (rc == 1)
			return tok == s->dma ? 0 : -VERR_PROTO;
		if (rc < 0 || vq_broken(s->req))
			return -VERR_BROKEN;
		if (port_now_us() >= deadline)
			return -VERR_TIMEOUT;
		if (!vq_enable_cb(s->req)) {
			vq_disable_cb(s->req);
			continue;
		}
		rc = s->dev->ops->wait(s->dev, deadline);
		vq_disable_cb(s->req);
		if (rc < 0 || s->dev->needs_reset)
			return rc < 0 ? rc : -VERR_BROKEN;
	}
}

static void stop(struct vscsi *s, const char *why)
{
	fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: stopped: %s", why);
	if (!s->dead)
		virtio_abandon(s->dev);
	s->dead = true;
}

int vscsi_command(struct vscsi *s, u8 target, u16 lun, const u8 *cdb, unsigned cdb_len,
		  void *data, u32 len, enum vscsi_dir dir, u32 *done)
{
	struct vscsi_dma *d = s->dma;
	struct vq_buf b[4];
	unsigned out = 0, in = 0, n;
	u32 used = 0, sense_len, residual;
	int err;

	if (done)
		*done = 0;
	s->status = 0xFF;
	s->response = 0;
	s->sense.valid = false;
	if (s->dead)
		return -VERR_BROKEN;
	if (cdb_len > s->cdb_size || (len && dir == VSCSI_NONE)) {
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: a CDB of %u bytes", cdb_len);
		return -VERR_INVAL;
	}
	/* virtio 1.3, 5.6.6: the request (lun, id, attributes, CDB) and
	 * data-out readable, then the response and data-in writable. */
	memset(d->req, 0, sizeof(d->req));
	d->req[0] = 1;
	d->req[1] = target;
	d->req[2] = (u8)(0x40 | (lun >> 8 & 0x3F));
	d->req[3] = (u8)lun;
	d->id++;
	if (virtio_modern(s->dev)) {
		put_le32(d->req + 8, (u32)d->id);
		put_le32(d->req + 12, (u32)(d->id >> 32));
	} else {
		put_be32(d->req + 8, (u32)(d->id >> 32));
		put_be32(d->req + 12, (u32)d->id);
	}
	memcpy(d->req + REQ_FIXED, cdb, cdb_len);
	memset(d->resp, 0, sizeof(d->resp));
	b[0].addr = port_dma_addr(d->req);
	b[0].len = REQ_FIXED + s->cdb_size;
	n = 1;
	if (dir == VSCSI_OUT && len) {
		b[n].addr = port_dma_addr(data);
		b[n++].len = len;
	}
	out = n;
	b[n].addr = port_dma_addr(d->resp);
	b[n++].len = RESP_FIXED + s->sense_size;
	if (dir == VSCSI_IN && len) {
		b[n].addr = port_dma_addr(data);
		b[n++].len = len;
	}
	in = n - out;
	err = vq_add(s->req, b, out, in, d);
	if (!err)
		err = vq_kick(s->req);
	if (err) {
		stop(s, "the request queue refused the request");
		return -VERR_BROKEN;
	}
	err = wait_used(s, &used);
	if (err) {
		char why[120];

		fmt_snprintf(why, sizeof(why), "command 0x%02x to %u:%u: %s", cdb[0], target, lun,
			     err == -VERR_TIMEOUT ? "no answer" : verr_str(err));
		stop(s, why);
		return err;
	}
	s->response = d->resp[11];
	s->status = d->resp[10];
	sense_len = get32(s, d->resp);
	residual = get32(s, d->resp + 4);
	if (used < RESP_FIXED) {
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: command 0x%02x to %u:%u: the "
			     "device wrote %u bytes, no response", cdb[0], target, lun, used);
		return -VERR_PROTO;
	}
	if (s->response) {
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: command 0x%02x to %u:%u: %s",
			     cdb[0], target, lun,
			     s->response < ARRAY_SIZE(responses) ? responses[s->response] : "unknown response");
		return s->response == 3 ? -VERR_NODEV : -VERR_IO;
	}
	if (done && dir != VSCSI_NONE)
		*done = len - MIN(residual, len);
	if (s->status == ST_GOOD)
		return 0;
	if (s->status == ST_CHECK) {
		char words[120];

		s->sense = scsi_sense_decode(d->resp + RESP_FIXED, MIN(sense_len, s->sense_size));
		scsi_sense_str(&s->sense, words, sizeof(words));
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %u:%u: command 0x%02x: %s",
			     target, lun, cdb[0], words);
		return -VERR_IO;
	}
	fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %u:%u: command 0x%02x: status 0x%02x%s",
		     target, lun, cdb[0], s->status, s->status == ST_BUSY ? " (busy)" : "");
	return s->status == ST_BUSY ? -VERR_AGAIN : -VERR_IO;
}

/* Whether the last command failed in a way SCSI says a retry cures: a
 * unit attention, a busy LUN, one becoming ready. */
static bool retryable(const struct vscsi *s, int err)
{
	if (err == -VERR_AGAIN)
		return true;
	return err == -VERR_IO && s->status == ST_CHECK && s->sense.valid &&
	       (s->sense.key == SCSI_KEY_UNIT_ATTENTION ||
		(s->sense.key == SCSI_KEY_NOT_READY && s->sense.asc == 0x04 && s->sense.ascq == 0x01));
}

static int command_retried(struct vscsi *s, u8 target, u16 lun, const u8 *cdb, unsigned cdb_len,
			   void *data, u32 len, enum vscsi_dir dir, u32 *done)
{
	int err = 0;

	for (unsigned i = 0; i <= VSCSI_RETRIES; i++) {
		err = vscsi_command(s, target, lun, cdb, cdb_len, data, len, dir, done);
		if (!retryable(s, err))
			return err;
	}
	return err;
}

/* INQUIRY, TEST UNIT READY, READ CAPACITY for one LUN that answers. */
static int probe(struct vscsi *s, u8 target, u16 lun)
{
	struct vscsi_lun *l = &s->luns[s->nluns];
	u8 *p = s->dma->data;
	u8 inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	u8 tur[6] = { 0 };
	u8 cap16[16] = { 0x9E, 0x10 };
	u8 cap10[10] = { 0x25 };
	u32 got;
	int err;

	memset(p, 0, 36);
	err = command_retried(s, target, lun, inq, 6, p, 36, VSCSI_IN, &got);
	if (err)
		return err;
	/* A qualifier other than 0 (1: nothing connected now, 3: never
	 * anything) or no device type: nothing at this LUN (SPC-4 6.4.2).
	 * QEMU lists LUN 0 of every target and answers so for it. */
	if (got < 5 || (p[0] >> 5) != 0 || (p[0] & 0x1F) == 0x1F)
		return 1;
	memset(l, 0, sizeof(*l));
	l->target = target;
	l->lun = lun;
	l->type = p[0] & 0x1F;
	l->removable = p[1] & 0x80;
	memcpy(l->vendor, p + 8, 8);
	memcpy(l->product, p + 16, 16);
	for (int i = 7; i >= 0 && l->vendor[i] == ' '; i--)
		l->vendor[i] = '\0';
	for (int i = 15; i >= 0 && l->product[i] == ' '; i--)
		l->product[i] = '\0';
	s->nluns++;
	if (l->type != SCSI_TYPE_DISK && l->type != SCSI_TYPE_CDROM)
		return 0;
	/* The unit attention after a reset: TEST UNIT READY takes it. */
	err = command_retried(s, target, lun, tur, 6, NULL, 0, VSCSI_NONE, NULL);
	if (err)
		return 0;   /* not ready (no medium): kept, without a capacity */
	put_be32(cap16 + 10, 32);
	err = command_retried(s, target, lun, cap16, 16, p, 32, VSCSI_IN, &got);
	if (!err && got >= 12) {
		l->blocks = ((u64)get_be32(p) << 32 | get_be32(p + 4)) + 1;
		l->blk_size = get_be32(p + 8);
	} else {
		err = command_retried(s, target, lun, cap10, 10, p, 8, VSCSI_IN, &got);
		if (!err && got >= 8) {
			l->blocks = (u64)get_be32(p) + 1;
			l->blk_size = get_be32(p + 4);
		}
	}
	return 0;
}

int vscsi_scan(struct vscsi *s)
{
	unsigned targets = MIN((unsigned)s->max_target + 1, VSCSI_MAX_TARGETS);

	s->nluns = 0;
	for (unsigned t = 0; t < targets && s->nluns < VSCSI_MAX_LUNS; t++) {
		u8 rl[12] = { 0xA0 };
		u8 *p = s->dma->data;
		u32 got, n;
		int err;

		put_be32(rl + 6, sizeof(s->dma->data));
		err = command_retried(s, (u8)t, 0, rl, 12, p, sizeof(s->dma->data), VSCSI_IN, &got);
		if (err == -VERR_NODEV)
			continue;       /* no such target */
		if (s->dead)
			return -VERR_BROKEN;
		if (err || got < 8) {
			/* No REPORT LUNS: LUN 0 by INQUIRY alone. */
			if (probe(s, (u8)t, 0) < 0 && s->dead)
				return -VERR_BROKEN;
			continue;
		}
		n = MIN(get_be32(p) / 8, (got - 8) / 8);
		/* The list may change under the next commands: copy it. */
		{
			u16 luns[(sizeof(s->dma->data) - 8) / 8];

			for (u32 i = 0; i < n; i++) {
				const u8 *e = p + 8 + 8 * i;

				luns[i] = (u16)((e[0] & 0x3F) << 8 | e[1]);
			}
			for (u32 i = 0; i < n && s->nluns < VSCSI_MAX_LUNS; i++)
				if (probe(s, (u8)t, luns[i]) < 0 && s->dead)
					return -VERR_BROKEN;
		}
	}
	return 0;
}

static int rw(struct vscsi *s, const struct vscsi_lun *l, bool write, u64 lba, u32 count,
	      u8 *buf)
{
	u32 per = MAX(1u, MIN(s->max_sectors, 0xFFFFu));

	if (!l->blk_size || lba > l->blocks || count > l->blocks - lba) {
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %u:%u: blocks %llu to %llu of %llu",
			     l->target, l->lun, (unsigned long long)lba,
			     (unsigned long long)(lba + count - 1), (unsigned long long)l->blocks);
		return -VERR_RANGE;
	}
	while (count) {
		u32 n = MIN(count, per), done;
		u8 cdb[16];
		unsigned len;
		int err;

		memset(cdb, 0, sizeof(cdb));
		/* SBC-3: the 10-byte forms while the LBA fits 32 bits. */
		if (lba + n <= 0xFFFFFFFFull) {
			cdb[0] = write ? 0x2A : 0x28;
			put_be32(cdb + 2, (u32)lba);
			put_be16(cdb + 7, (u16)n);
			len = 10;
		} else {
			cdb[0] = write ? 0x8A : 0x88;
			put_be32(cdb + 2, (u32)(lba >> 32));
			put_be32(cdb + 6, (u32)lba);
			put_be32(cdb + 10, n);
			len = 16;
		}
		err = command_retried(s, l->target, l->lun, cdb, len, buf, n * l->blk_size,
				      write ? VSCSI_OUT : VSCSI_IN, &done);
		if (err)
			return err;
		if (!write && done != n * l->blk_size) {
			fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %u:%u: read of %u bytes at "
				     "block %llu gave %u", l->target, l->lun, n * l->blk_size,
				     (unsigned long long)lba, done);
			return -VERR_PROTO;
		}
		buf += (u64)n * l->blk_size;
		lba += n;
		count -= n;
	}
	return 0;
}

int vscsi_read(struct vscsi *s, const struct vscsi_lun *l, u64 lba, u32 count, void *buf)
{
	return rw(s, l, false, lba, count, buf);
}

int vscsi_write(struct vscsi *s, const struct vscsi_lun *l, u64 lba, u32 count, const void *buf)
{
	return rw(s, l, true, lba, count, (u8 *)(uintptr_t)buf);
}

int vscsi_sync(struct vscsi *s, const struct vscsi_lun *l)
{
	u8 cdb[10] = { 0x35 };

	return command_retried(s, l->target, l->lun, cdb, 10, NULL, 0, VSCSI_NONE, NULL);
}
