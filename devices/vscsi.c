/* The virtio-scsi driver: see vscsi.h. virtio 1.3, 5.6; SPC-4, SBC-3. */
#include "devices/vscsi.h"

#include "ccw/port.h"
#include "ring/fmt.h"
#include "ring/vq.h"

/* Queue indexes (virtio 1.3, 5.6.2): control, event, then the request
 * queues. */
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
#define EVENT_SIZE 16u

/* Events (virtio 1.3, 5.6.6.3). */
#define EV_MISSED 0x80000000u
#define EV_TRANSPORT_RESET 1u
#define EV_ASYNC_NOTIFY 2u
#define EV_PARAM_CHANGE 3u
#define EV_RESET_HARD 0u
#define EV_RESET_RESCAN 1u
#define EV_RESET_REMOVED 2u

/* Response codes (virtio 1.3, 5.6.6.1). */
static const char *const responses[] = {
	"OK", "overrun", "aborted", "bad target", "reset", "busy", "transport failure",
	"target failure", "nexus failure", "failure",
};

#define ST_GOOD 0x00
#define ST_CHECK 0x02
#define ST_BUSY 0x08

/* One command in flight: its request and response in DMA memory, and
 * what the completion needs to say. */
struct slot {
	u8 req[REQ_FIXED + CDB_MAX];
	u8 resp[RESP_FIXED + SENSE_MAX];
	void *cookie;
	void *data;
	u32 len;
	u8 dir, target, cdb0, retries_left;
	u16 lun;
	bool busy;
	u16 q;            /* index into s->req */
	struct vq_buf b[4];
	unsigned out, in;
};

struct vscsi_dma {
	struct slot slot[VSCSI_SLOTS];
	u8 events[VSCSI_EVENTS][EVENT_SIZE];
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

static int post_event(struct vscsi *s, unsigned i)
{
	struct vq_buf b = { .addr = port_dma_addr(s->dma->events[i]), .len = EVENT_SIZE };

	memset(s->dma->events[i], 0, EVENT_SIZE);
	return vq_add(s->event, &b, 0, 1, s->dma->events[i]);
}

/* A failed bring-up: the device abandoned, the driver dead (every call
 * fails with -VERR_BROKEN), why kept. */
static int init_fail(struct vscsi *s, int err, const char *what, const char *detail)
{
	fail(s, err, what, detail);
	virtio_abandon(s->dev);
	s->dead = true;
	return err;
}

int vscsi_init(struct vscsi *s, struct virtio_dev *dev)
{
	u64 wanted = VIRTIO_BIT(VIRTIO_SCSI_F_HOTPLUG) | VIRTIO_BIT(VIRTIO_SCSI_F_CHANGE) |
		     VIRTIO_RING_FEATURES;
	unsigned per_queue = ~0u;
	int err;

	memset(s, 0, sizeof(*s));
	s->dev = dev;
	/* virtio 1.3, 3.1.1: features, queues, configuration, DRIVER_OK. */
	err = dev->ops->negotiate(dev, wanted);
	if (err)
		return init_fail(s, err, "features", NULL);
	{
		/* virtio 1.3, 5.6.4: the 32-bit fields, then the two 16-bit ones. */
		const struct {
			unsigned off;
			u32 *v;
		} cfg[] = {
			{ 0, &s->num_queues }, { 4, &s->seg_max }, { 8, &s->max_sectors },
			{ 12, &s->cmd_per_lun }, { 20, &s->sense_size }, { 24, &s->cdb_size },
			{ 32, &s->max_lun },
		};

		for (unsigned i = 0; i < ARRAY_SIZE(cfg) && !err; i++)
			err = virtio_cread32(dev, cfg[i].off, cfg[i].v);
	}
	if (!err)
		err = virtio_cread16(dev, 28, &s->max_channel);
	if (!err)
		err = virtio_cread16(dev, 30, &s->max_target);
	if (err)
		return init_fail(s, err, "configuration", NULL);
	/* 5.6.4: at least one request queue. This driver uses up to
	 * VSCSI_MAX_QUEUES of them; the others stay unused. */
	if (!s->num_queues)
		return init_fail(s, -VERR_PROTO, "configuration", "num_queues is 0: no request queue");
	s->nreq = MIN(s->num_queues, VSCSI_MAX_QUEUES);
	err = dev->ops->setup_vq(dev, Q_CTRL, 0, &s->ctrl);
	if (!err)
		err = dev->ops->setup_vq(dev, Q_EVENT, 0, &s->event);
	for (unsigned q = 0; !err && q < s->nreq; q++) {
		err = dev->ops->setup_vq(dev, Q_REQ + q, 0, &s->req[q]);
		if (err)
			break;
		per_queue = MIN(per_queue, vq_num_free(s->req[q]));
		/* QEMU reports a request's used length as its data buffers
		 * (data-out too) plus the response: more than a WRITE's
		 * writable bytes. The length is not needed (the residual
		 * says what moved): taken as the writable bytes. */
		vq_set_len_clamp(s->req[q], true);
	}
	if (err)
		return init_fail(s, err, "queues", NULL);
	err = dev->ops->setup_irq(dev);
	if (err)
		return init_fail(s, err, "interruptions", NULL);
	/* Our buffers hold a 32-byte CDB and 96 bytes of sense: ask for those
	 * sizes when the device's differ (5.6.4: the driver may write them). */
	if (s->cdb_size != CDB_MAX)
		err = virtio_cwrite32(dev, 24, CDB_MAX);
	if (!err && s->sense_size != SENSE_MAX)
		err = virtio_cwrite32(dev, 20, SENSE_MAX);
	if (err)
		return init_fail(s, err, "configuration", NULL);
	s->cdb_size = CDB_MAX;
	s->sense_size = SENSE_MAX;
	if (!s->max_sectors)
		s->max_sectors = 0xFFFF;
	/* Commands in flight: our slots, the device's cmd_per_lun (0: no
	 * limit given), and what the queues hold at 4 descriptors each. */
	s->depth = VSCSI_SLOTS;
	if (s->cmd_per_lun)
		s->depth = MIN(s->depth, s->cmd_per_lun);
	s->depth = MIN(s->depth, s->nreq * MAX(per_queue / 4, 1u));
	s->hotplug = virtio_has(dev, VIRTIO_SCSI_F_HOTPLUG);
	s->dma = port_dma_alloc(sizeof(*s->dma), 64);
	if (!s->dma)
		return init_fail(s, -VERR_NOMEM, "buffers", "out of DMA memory");
	memset(s->dma, 0, sizeof(*s->dma));
	/* virtio 1.3, 5.6.6.3: the event queue holds buffers for the device. */
	for (unsigned i = 0; i < VSCSI_EVENTS; i++) {
		err = post_event(s, i);
		if (err)
			return init_fail(s, err, "event queue", NULL);
	}
	vq_disable_cb(s->ctrl);
	vq_disable_cb(s->event);
	for (unsigned q = 0; q < s->nreq; q++)
		vq_disable_cb(s->req[q]);
	err = dev->ops->set_status(dev, (u8)(dev->status | VIRTIO_STATUS_DRIVER_OK));
	if (!err)
		err = vq_kick(s->event);
	if (err)
		return init_fail(s, err, "DRIVER_OK", NULL);
	return 0;
}

static u32 get32(struct vscsi *s, const u8 *p)
{
	return virtio_modern(s->dev) ? get_le32(p) : get_be32(p);
}

void vscsi_stop(struct vscsi *s, const char *why)
{
	if (why)
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: stopped: %s", why);
	if (!s->dead)
		virtio_abandon(s->dev);
	s->dead = true;
	/* The device is reset: nothing it held will come back. */
	if (s->dma)
		for (unsigned i = 0; i < VSCSI_SLOTS; i++)
			s->dma->slot[i].busy = false;
	s->in_flight = 0;
}

/* Put a filled slot on its queue (again, for a retry). */
static int enqueue(struct vscsi *s, struct slot *sl)
{
	int err = vq_add(s->req[sl->q], sl->b, sl->out, sl->in, sl);

	if (err == -VERR_NOMEM)
		return -VERR_AGAIN;
	return err;
}

/*
 * Fill a free slot with a command and queue it (not kicked). retries: how
 * often a retryable ending is sent again before it is reported.
 */
static int submit(struct vscsi *s, u8 target, u16 lun, const u8 *cdb, unsigned cdb_len,
		  void *data, u32 len, enum vscsi_dir dir, unsigned retries, void *cookie)
{
	struct vscsi_dma *d = s->dma;
	struct slot *sl = NULL;
	unsigned n, i;
	int err;

	if (s->dead)
		return -VERR_BROKEN;
	if (!cdb_len || cdb_len > s->cdb_size || (len && dir == VSCSI_NONE) || (len && !data)) {
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: a CDB of %u bytes, %u bytes of "
			     "data", cdb_len, len);
		return -VERR_INVAL;
	}
	if (s->in_flight >= s->depth)
		return -VERR_AGAIN;
	for (i = 0; i < VSCSI_SLOTS && !sl; i++)
		if (!d->slot[i].busy)
			sl = &d->slot[i];
	if (!sl)
		return -VERR_AGAIN;
	/* virtio 1.3, 5.6.6: the request (lun, id, attributes, CDB) and
	 * data-out readable, then the response and data-in writable. */
	memset(sl->req, 0, sizeof(sl->req));
	sl->req[0] = 1;
	sl->req[1] = target;
	sl->req[2] = (u8)(0x40 | (lun >> 8 & 0x3F));
	sl->req[3] = (u8)lun;
	d->id++;
	if (virtio_modern(s->dev)) {
		put_le32(sl->req + 8, (u32)d->id);
		put_le32(sl->req + 12, (u32)(d->id >> 32));
	} else {
		put_be32(sl->req + 8, (u32)(d->id >> 32));
		put_be32(sl->req + 12, (u32)d->id);
	}
	memcpy(sl->req + REQ_FIXED, cdb, cdb_len);
	memset(sl->resp, 0, sizeof(sl->resp));
	sl->b[0].addr = port_dma_addr(sl->req);
	sl->b[0].len = REQ_FIXED + s->cdb_size;
	n = 1;
	if (dir == VSCSI_OUT && len) {
		sl->b[n].addr = port_dma_addr(data);
		sl->b[n++].len = len;
	}
	sl->out = n;
	sl->b[n].addr = port_dma_addr(sl->resp);
	sl->b[n++].len = RESP_FIXED + s->sense_size;
	if (dir == VSCSI_IN && len) {
		sl->b[n].addr = port_dma_addr(data);
		sl->b[n++].len = len;
	}
	sl->in = n - sl->out;
	sl->cookie = cookie;
	sl->data = data;
	sl->len = len;
	sl->dir = (u8)dir;
	sl->target = target;
	sl->lun = lun;
	sl->cdb0 = cdb[0];
	sl->retries_left = (u8)retries;
	/* Spread over the request queues by slot. */
	sl->q = (u16)((unsigned)(sl - d->slot) % s->nreq);
	err = enqueue(s, sl);
	if (err == -VERR_AGAIN && !s->in_flight) {
		/* Nothing of ours to wait for: the ring cannot hold one. */
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: request queue %u is too small "
			     "for a command of %u buffers", sl->q, sl->out + sl->in);
		return -VERR_NOMEM;
	}
	if (err == -VERR_AGAIN)
		return err;
	if (err) {
		vscsi_stop(s, "a request queue refused a request");
		return -VERR_BROKEN;
	}
	sl->busy = true;
	s->in_flight++;
	return 0;
}

int vscsi_kick(struct vscsi *s)
{
	if (s->dead)
		return -VERR_BROKEN;
	for (unsigned q = 0; q < s->nreq; q++) {
		int err = vq_kick(s->req[q]);

		if (err) {
			vscsi_stop(s, "a request queue broke");
			return -VERR_BROKEN;
		}
	}
	return 0;
}

/* Whether a command ended in a way SCSI says a retry cures: a unit
 * attention, a busy LUN, one becoming ready. */
static bool retryable(const struct vscsi *s, int err)
{
	if (err == -VERR_AGAIN)
		return true;
	return err == -VERR_IO && s->status == ST_CHECK && s->sense.valid &&
	       (s->sense.key == SCSI_KEY_UNIT_ATTENTION ||
		(s->sense.key == SCSI_KEY_NOT_READY && s->sense.asc == 0x04 && s->sense.ascq == 0x01));
}

/* What a used slot says: status, response and sense into s, done bytes. */
static int outcome(struct vscsi *s, const struct slot *sl, u32 used)
{
	u32 sense_len, residual;

	s->response = sl->resp[11];
	s->status = sl->resp[10];
	sense_len = get32(s, sl->resp);
	residual = get32(s, sl->resp + 4);
	s->sense.valid = false;
	s->done = 0;
	if (used < RESP_FIXED) {
		s->status = 0xFF;
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: command 0x%02x to %u:%u: the "
			     "device wrote %u bytes, no response", sl->cdb0, sl->target, sl->lun, used);
		return -VERR_PROTO;
	}
	if (s->response) {
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: command 0x%02x to %u:%u: %s",
			     sl->cdb0, sl->target, sl->lun,
			     s->response < ARRAY_SIZE(responses) ? responses[s->response] : "unknown response");
		return s->response == 3 ? -VERR_NODEV : s->response == 5 ? -VERR_AGAIN : -VERR_IO;
	}
	if (sl->dir != VSCSI_NONE)
		s->done = sl->len - MIN(residual, sl->len);
	if (s->status == ST_GOOD)
		return 0;
	if (s->status == ST_CHECK) {
		char words[120];

		s->sense = scsi_sense_decode(sl->resp + RESP_FIXED, MIN(sense_len, s->sense_size));
		scsi_sense_str(&s->sense, words, sizeof(words));
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %u:%u: command 0x%02x: %s",
			     sl->target, sl->lun, sl->cdb0, words);
		return -VERR_IO;
	}
	fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %u:%u: command 0x%02x: status 0x%02x%s",
		     sl->target, sl->lun, sl->cdb0, s->status, s->status == ST_BUSY ? " (busy)" : "");
	return s->status == ST_BUSY ? -VERR_AGAIN : -VERR_IO;
}

int vscsi_complete(struct vscsi *s, void **cookie, int *result)
{
	if (s->dead)
		return -VERR_BROKEN;
	for (;;) {
		bool any = false;

		for (unsigned q = 0; q < s->nreq; q++) {
			struct slot *sl;
			void *tok;
			u32 used = 0;
			int rc = vq_get_used(s->req[q], &tok, &used), err;

			if (rc < 0 || vq_broken(s->req[q])) {
				vscsi_stop(s, "a request queue broke");
				return -VERR_BROKEN;
			}
			if (rc == 0)
				continue;
			sl = tok;
			if (sl < s->dma->slot || sl >= s->dma->slot + VSCSI_SLOTS || !sl->busy ||
			    sl->q != q) {
				vscsi_stop(s, "the device used a request it was not given");
				return -VERR_PROTO;
			}
			err = outcome(s, sl, used);
			if (retryable(s, err) && sl->retries_left) {
				sl->retries_left--;
				err = enqueue(s, sl);
				if (!err)
					err = vq_kick(s->req[q]);
				if (!err) {
					any = true;
					continue;
				}
				vscsi_stop(s, "a request queue refused a retried request");
				return -VERR_BROKEN;
			}
			sl->busy = false;
			s->in_flight--;
			*cookie = sl->cookie;
			*result = err;
			return 1;
		}
		if (!any)
			return 0;
	}
}

static void quiet(struct vscsi *s)
{
	for (unsigned q = 0; q < s->nreq; q++)
		vq_disable_cb(s->req[q]);
	vq_disable_cb(s->event);
}

int vscsi_wait(struct vscsi *s, u64 deadline_us)
{
	int rc;

	for (;;) {
		bool used = false, event;

		/* Events are taken here, so that one pending never looks like a
		 * finished command. */
		rc = vscsi_events(s);
		if (rc < 0)
			return rc;
		for (unsigned q = 0; q < s->nreq; q++)
			used |= !vq_enable_cb(s->req[q]);
		event = !vq_enable_cb(s->event);
		if (used) {
			quiet(s);
			return 1;
		}
		if (!event)
			break;
		quiet(s);
	}
	rc = s->dev->ops->wait(s->dev, deadline_us);
	quiet(s);
	if (rc < 0 || s->dev->needs_reset) {
		vscsi_stop(s, rc < 0 ? verr_str(rc) : "the device needs a reset");
		return rc < 0 ? rc : -VERR_BROKEN;
	}
	return rc;
}

int vscsi_events(struct vscsi *s)
{
	int taken = 0;

	if (s->dead)
		return -VERR_BROKEN;
	for (;;) {
		void *tok;
		u32 used = 0, event, reason;
		const u8 *e;
		int rc = vq_get_used(s->event, &tok, &used);

		if (rc < 0 || vq_broken(s->event)) {
			vscsi_stop(s, "the event queue broke");
			return -VERR_BROKEN;
		}
		if (rc == 0)
			break;
		e = tok;
		if ((const u8 *)tok < s->dma->events[0] ||
		    (const u8 *)tok > s->dma->events[VSCSI_EVENTS - 1] ||
		    ((uintptr_t)tok - (uintptr_t)s->dma->events[0]) % EVENT_SIZE) {
			vscsi_stop(s, "the device used an event buffer it was not given");
			return -VERR_PROTO;
		}
		event = used >= 4 ? get32(s, e) : 0;
		reason = used >= EVENT_SIZE ? get32(s, e + 12) : 0;
		s->nevents++;
		/* 5.6.6.3.1: events were lost; 5.6.6.3.2: a unit came or went.
		 * Either way the list of units is stale: the caller rescans. */
		if (event & EV_MISSED)
			s->changed = true;
		else if (event == EV_TRANSPORT_RESET && used >= EVENT_SIZE) {
			s->changed = true;
			s->ev_target = e[5];
			s->ev_lun = (u16)((e[6] & 0x3F) << 8 | e[7]);
			s->ev_removed = reason == EV_RESET_REMOVED;
		} else if (event == EV_PARAM_CHANGE)
			s->changed = true; /* capacity or mode: read again */
		taken++;
		/* The buffer goes back for the next event. */
		rc = post_event(s, (unsigned)(e - s->dma->events[0]) / EVENT_SIZE);
		if (rc) {
			vscsi_stop(s, "the event queue refused a buffer");
			return -VERR_BROKEN;
		}
	}
	if (taken && vq_kick(s->event)) {
		vscsi_stop(s, "the event queue broke");
		return -VERR_BROKEN;
	}
	return taken;
}

/* Wait for one command's completion: the only one in flight. */
static int run(struct vscsi *s, u8 target, u16 lun, const u8 *cdb, unsigned cdb_len, void *data,
	       u32 len, enum vscsi_dir dir, unsigned retries, u32 *done)
{
	u64 deadline = port_now_us() + VSCSI_TIMEOUT_US;
	void *cookie;
	int result, err;

	if (done)
		*done = 0;
	s->status = 0xFF;
	s->response = 0;
	s->sense.valid = false;
	if (s->dead)
		return -VERR_BROKEN;
	if (s->in_flight) {
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %u commands of the caller in "
			     "flight", s->in_flight);
		return -VERR_BUSY;
	}
	err = submit(s, target, lun, cdb, cdb_len, data, len, dir, retries, s);
	if (!err)
		err = vscsi_kick(s);
	if (err)
		return err;
	for (;;) {
		int rc = vscsi_complete(s, &cookie, &result);

		if (rc == 1) {
			if (done)
				*done = s->done;
			return cookie == s ? result : -VERR_PROTO;
		}
		if (rc < 0)
			return rc;
		if (port_now_us() >= deadline) {
			char why[120];

			fmt_snprintf(why, sizeof(why), "command 0x%02x to %u:%u: no answer", cdb[0],
				     target, lun);
			vscsi_stop(s, why);
			return -VERR_TIMEOUT;
		}
		rc = vscsi_wait(s, deadline);
		if (rc < 0)
			return rc;
	}
}

int vscsi_command(struct vscsi *s, u8 target, u16 lun, const u8 *cdb, unsigned cdb_len,
		  void *data, u32 len, enum vscsi_dir dir, u32 *done)
{
	return run(s, target, lun, cdb, cdb_len, data, len, dir, 0, done);
}

static int command_retried(struct vscsi *s, u8 target, u16 lun, const u8 *cdb, unsigned cdb_len,
			   void *data, u32 len, enum vscsi_dir dir, u32 *done)
{
	return run(s, target, lun, cdb, cdb_len, data, len, dir, VSCSI_RETRIES, done);
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
	if (s->dead)
		return -VERR_BROKEN;
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

/* The CDB of a READ or WRITE: the 10-byte forms while the LBA fits 32
 * bits and the count 16 (SBC-3 5.11, 5.32), the 16-byte ones beyond. */
static unsigned rw_cdb(u8 *cdb, bool write, u64 lba, u32 n)
{
	memset(cdb, 0, 16);
	if (lba + n <= 0xFFFFFFFFull && n <= 0xFFFF) {
		cdb[0] = write ? 0x2A : 0x28;
		put_be32(cdb + 2, (u32)lba);
		put_be16(cdb + 7, (u16)n);
		return 10;
	}
	cdb[0] = write ? 0x8A : 0x88;
	put_be32(cdb + 2, (u32)(lba >> 32));
	put_be32(cdb + 6, (u32)lba);
	put_be32(cdb + 10, n);
	return 16;
}

static int range(struct vscsi *s, const struct vscsi_lun *l, u64 lba, u32 count)
{
	if (!l->blk_size || lba > l->blocks || count > l->blocks - lba || !count) {
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %u:%u: blocks %llu to %llu of %llu",
			     l->target, l->lun, (unsigned long long)lba,
			     (unsigned long long)(lba + count - 1), (unsigned long long)l->blocks);
		return -VERR_RANGE;
	}
	return 0;
}

u32 vscsi_max_blocks(const struct vscsi *s, const struct vscsi_lun *l)
{
	u32 n = MAX(1u, MIN(s->max_sectors, 0xFFFFu));

	/* One data buffer of at most 4 GiB - 1. */
	if (l->blk_size)
		n = MIN(n, 0xFFFFFFFFu / l->blk_size);
	return n;
}

int vscsi_submit(struct vscsi *s, const struct vscsi_lun *l, bool write, u64 lba, u32 count,
		 void *buf, void *cookie)
{
	u8 cdb[16];
	unsigned len;
	int err = range(s, l, lba, count);

	if (err)
		return err;
	if (count > vscsi_max_blocks(s, l)) {
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %u blocks in one command; "
			     "max_sectors is %u", count, s->max_sectors);
		return -VERR_INVAL;
	}
	len = rw_cdb(cdb, write, lba, count);
	return submit(s, l->target, l->lun, cdb, len, buf, count * l->blk_size,
		      write ? VSCSI_OUT : VSCSI_IN, VSCSI_RETRIES, cookie);
}

/* Synchronous reads and writes: split by max_sectors, up to depth commands
 * in flight; the first failure is reported, after the others ended. */
static int rw(struct vscsi *s, const struct vscsi_lun *l, bool write, u64 lba, u32 count,
	      u8 *buf)
{
	u32 per = vscsi_max_blocks(s, l);
	u64 deadline = port_now_us() + VSCSI_TIMEOUT_US, next = lba, end = lba + count;
	int first = 0;
	char why[sizeof(s->why)];
	struct scsi_sense sense = { 0 };
	u8 status = 0, response = 0;

	if (s->dead)
		return -VERR_BROKEN;
	if (s->in_flight) {
		fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %u commands of the caller in "
			     "flight", s->in_flight);
		return -VERR_BUSY;
	}
	if (!count)
		return 0;
	first = range(s, l, lba, count);
	if (first)
		return first;
	while (next < end || s->in_flight) {
		void *cookie;
		int result, rc;
		bool queued = false;

		while (!first && next < end) {
			u32 n = (u32)MIN((u64)per, end - next);
			u8 *at = buf + (next - lba) * l->blk_size;

			rc = vscsi_submit(s, l, write, next, n, at, (void *)(uintptr_t)(n * l->blk_size));
			if (rc == -VERR_AGAIN)
				break;
			if (rc)
				return rc;
			next += n;
			queued = true;
		}
		if (queued && vscsi_kick(s))
			return -VERR_BROKEN;
		if (first && !s->in_flight)
			break;
		rc = vscsi_complete(s, &cookie, &result);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			if (!result && !write && s->done != (u32)(uintptr_t)cookie) {
				fmt_snprintf(s->why, sizeof(s->why), "virtio-scsi: %u:%u: a read of %u "
					     "bytes gave %u", l->target, l->lun,
					     (u32)(uintptr_t)cookie, s->done);
				result = -VERR_PROTO;
			}
			if (result && !first) {
				first = result;
				memcpy(why, s->why, sizeof(why));
				sense = s->sense;
				status = s->status;
				response = s->response;
			}
			deadline = port_now_us() + VSCSI_TIMEOUT_US;
			continue;
		}
		if (port_now_us() >= deadline) {
			vscsi_stop(s, write ? "a write had no answer" : "a read had no answer");
			return -VERR_TIMEOUT;
		}
		rc = vscsi_wait(s, deadline);
		if (rc < 0)
			return rc;
	}
	if (first) {
		memcpy(s->why, why, sizeof(why));
		s->sense = sense;
		s->status = status;
		s->response = response;
	}
	return first;
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
