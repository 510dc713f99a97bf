/*
 * The simulated virtio-scsi adapter of dev_scsi.h. Written from the virtio
 * 1.3 specification (5.6) and the SCSI standards (SPC-4 for INQUIRY,
 * REPORT LUNS, TEST UNIT READY, REQUEST SENSE and sense data; SBC-3 for
 * READ CAPACITY, READ, WRITE and SYNCHRONIZE CACHE), not from the project's
 * driver: the two must meet on the wire.
 *
 * Queues: 0 control, 1 event, 2 and on requests. Every request is served
 * when the driver notifies (synchronously); event buffers are kept until
 * a unit is plugged or unplugged (5.6.6.3), one event each, as QEMU 7.2
 * sends them: only with F_HOTPLUG negotiated and DRIVER_OK set; without a
 * buffer the event is dropped and the next one (or, when the driver
 * gives a buffer, an empty one) carries EVENTS_MISSED.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ring/virtio.h" /* VIRTIO_ID_SCSI */
#include "sim/dev_scsi.h"
#include "sim/vdev_priv.h"

/* Configuration space (virtio 1.3, 5.6.4): offsets. */
#define CFG_NUM_QUEUES 0
#define CFG_SEG_MAX 4
#define CFG_MAX_SECTORS 8
#define CFG_CMD_PER_LUN 12
#define CFG_EVENT_INFO_SIZE 16
#define CFG_SENSE_SIZE 20
#define CFG_CDB_SIZE 24
#define CFG_MAX_CHANNEL 28
#define CFG_MAX_TARGET 30
#define CFG_MAX_LUN 32
#define CFG_LEN 36

/* The defaults a driver may change (sense_size, cdb_size) and the rest. */
#define DEF_SENSE 96u
#define DEF_CDB 32u
#define QUEUE_SIZE 256u
#define MAX_TARGET 255u
#define MAX_LUN 16383u

/* Request header (virtio 1.3, 5.6.6): lun[8], id le64, task_attr, prio,
 * crn, cdb[cdb_size]. Response: sense_len le32, residual le32,
 * status_qualifier le16, status, response, sense[sense_size]. */
#define REQ_FIXED 19u
#define RESP_FIXED 12u

/* Response codes (virtio 1.3, 5.6.6.1). */
#define S_OK 0
#define S_BAD_TARGET 3
#define S_FAILURE 9

/* SCSI status (SAM) and sense keys (SPC-4 4.5.6). */
#define ST_GOOD 0x00
#define ST_CHECK 0x02
#define KEY_NOT_READY 0x2
#define KEY_ILLEGAL 0x5
#define KEY_UNIT_ATTENTION 0x6
#define KEY_DATA_PROTECT 0x7

/* Opcodes (SPC-4, SBC-3). */
#define OP_TEST_UNIT_READY 0x00
#define OP_REQUEST_SENSE 0x03
#define OP_INQUIRY 0x12
#define OP_START_STOP 0x1B
#define OP_READ_CAPACITY10 0x25
#define OP_READ10 0x28
#define OP_WRITE10 0x2A
#define OP_SYNC_CACHE10 0x35
#define OP_READ16 0x88
#define OP_WRITE16 0x8A
#define OP_SERVICE_IN16 0x9E
#define SA_READ_CAPACITY16 0x10
#define OP_REPORT_LUNS 0xA0


struct lu {
	unsigned target, lun;
	bool cdrom, ro;
	int fd;
	u32 bs, pbs;
	u64 blocks;
	bool no_medium;     /* a CD-ROM drive without a disc */
	/* Sense waiting for REQUEST SENSE or the next command (a unit attention). */
	bool ua;
};

/* Events (virtio 1.3, 5.6.6.3). */
#define EV_NONE 0u
#define EV_TRANSPORT_RESET 1u
#define EV_MISSED 0x80000000u
#define EV_RESCAN 1u
#define EV_REMOVED 2u
#define SCSI_MAGIC 0x56534353u

struct scsi {
	u32 magic;
	struct sim_virtio_model model;
	struct sim_vccw *vccw;
	unsigned nlus;
	struct lu lu[SIM_SCSI_MAX_LUNS];
	u32 sense_size, cdb_size;
	unsigned num_queues, seg_max, max_sectors, cmd_per_lun;
	u16 queue_max[2 + 16];
	bool dropped;      /* an event found no buffer */
	bool bus_ua;       /* REPORTED LUNS DATA HAS CHANGED, for the next command on the bus */
};

/* The answer to one command, built as it runs. */
struct answer {
	u8 status, response;
	u8 sense[18];
	u32 sense_len;
	u32 data_len;      /* bytes of data moved (data-in written, or data-out taken) */
	u32 expected;      /* the transfer the command asked for */
};

static void sense(struct answer *a, u8 key, u8 asc, u8 ascq)
{
	/* Fixed format (SPC-4 4.5.3): current error, key, 10 more bytes. */
	memset(a->sense, 0, sizeof(a->sense));
	a->sense[0] = 0x70;
	a->sense[2] = key;
	a->sense[7] = 10;
	a->sense[12] = asc;
	a->sense[13] = ascq;
	a->sense_len = sizeof(a->sense);
	a->status = ST_CHECK;
}

static struct lu *find(struct scsi *s, unsigned target, unsigned lun)
{
	for (unsigned i = 0; i < s->nlus; i++)
		if (s->lu[i].target == target && s->lu[i].lun == lun)
			return &s->lu[i];
	return NULL;
}

static bool target_exists(struct scsi *s, unsigned target)
{
	for (unsigned i = 0; i < s->nlus; i++)
		if (s->lu[i].target == target)
			return true;
	return false;
}

/* Data-in: len bytes to the chain's writable part after the response. */
static void data_in(struct scsi *s, struct vq_chain *c, struct answer *a, const void *p, u32 len)
{
	u32 room = c->in_len > RESP_FIXED + s->sense_size ? c->in_len - RESP_FIXED - s->sense_size
							  : 0;
	u32 n = MIN(len, a->expected);

	n = MIN(n, room - MIN(room, a->data_len));
	a->data_len += sim_vdev_copy(c, true, RESP_FIXED + s->sense_size + a->data_len,
				     (void *)(uintptr_t)p, n);
}

static void inquiry(struct scsi *s, struct vq_chain *c, struct answer *a, const struct lu *l,
		    const u8 *cdb)
{
	u8 d[96];

	a->expected = (u32)cdb[3] << 8 | cdb[4];
	memset(d, 0, sizeof(d));
	if (cdb[1] & 1) {
		/* Vital product data: only the list of pages (page 0). */
		if (!l || cdb[2] != 0) {
			sense(a, KEY_ILLEGAL, 0x24, 0x00);
			return;
		}
		d[0] = l->cdrom ? 0x05 : 0x00;
		d[3] = 1;
		data_in(s, c, a, d, 5);
		return;
	}
	if (!l) {
		/* Nothing at this LUN of a target that exists: qualifier 1 (a
		 * unit may be connected here), no device type (SPC-4 6.4.2), as
		 * QEMU 7.2 answers for its target (measured: "QEMU TARGET"). */
		d[0] = 0x3F;
	} else {
		d[0] = l->cdrom ? 0x05 : 0x00;
		d[1] = l->cdrom ? 0x80 : 0x00;
	}
	d[2] = 0x05;      /* SPC-3 */
	d[3] = 0x02;      /* response data format 2 */
	d[4] = 36 - 5;
	d[7] = 0x02;      /* CMDQUE */
	memcpy(d + 8, "QEMU    ", 8);
	memcpy(d + 16, !l ? "QEMU TARGET     " : l->cdrom ? "QEMU CD-ROM     " : "QEMU HARDDISK   ",
	       16);
	memcpy(d + 32, "2.5+", 4);
	data_in(s, c, a, d, 36);
}

static void report_luns(struct scsi *s, struct vq_chain *c, struct answer *a, unsigned target,
			const u8 *cdb)
{
	u8 d[8 + 8 * (SIM_SCSI_MAX_LUNS + 1)];
	u32 n = 0;

	a->expected = get_be32(cdb + 6);
	memset(d, 0, sizeof(d));
	/* LUN 0 first, always (SPC-4 6.33), then the others newest first:
	 * QEMU 7.2 lists its bus's devices so (measured). */
	n++;
	for (unsigned i = s->nlus; i-- > 0;) {
		u8 *e;

		if (s->lu[i].target != target || !s->lu[i].lun)
			continue;
		e = d + 8 + 8 * n++;
		/* SAM-5 4.7: peripheral addressing below 256, flat above. */
		if (s->lu[i].lun < 256) {
			e[1] = (u8)s->lu[i].lun;
		} else {
			e[0] = (u8)(0x40 | s->lu[i].lun >> 8);
			e[1] = (u8)s->lu[i].lun;
		}
	}
	put_be32(d, 8 * n);
	data_in(s, c, a, d, 8 + 8 * n);
}

/* READ or WRITE of n blocks from lba. */
/*
 * n bytes between the file at pos and the chain's data-in (in) or
 * data-out part from its byte off: straight into or out of guest memory,
 * as QEMU's block layer does. false when the file fails or the chain is
 * shorter.
 */
static bool file_io(const struct vq_chain *c, bool in, u64 off, int fd, u64 pos, u64 n)
{
	for (unsigned i = 0; i < c->nseg && n; i++) {
		const struct vq_seg *sg = &c->seg[i];
		u8 *p;
		u64 k;

		if (sg->write != in)
			continue;
		if (off >= sg->len) {
			off -= sg->len;
			continue;
		}
		p = (u8 *)sg->ptr + off;
		k = MIN((u64)sg->len - off, n);
		off = 0;
		n -= k;
		while (k) {
			ssize_t got = in ? pread(fd, p, k, (off_t)pos) : pwrite(fd, p, k, (off_t)pos);

			if (got < 0 && errno == EINTR)
				continue;
			if (got == 0 && in) {
				/* Past the end of a file QEMU rounded up: zeros. */
				memset(p, 0, k);
				break;
			}
			if (got <= 0)
				return false;
			p += got;
			pos += (u64)got;
			k -= (u64)got;
		}
	}
	return n == 0;
}

static void rw(struct scsi *s, struct vq_chain *c, struct answer *a, struct lu *l, bool write,
	       u64 lba, u64 n)
{
	u64 bytes = n * l->bs, done, pos = lba * l->bs;
	bool ok;

	a->expected = bytes > 0xFFFFFFFFu ? 0xFFFFFFFFu : (u32)bytes;
	if (lba > l->blocks || n > l->blocks - lba) {
		/* SBC-3 4.5: LOGICAL BLOCK ADDRESS OUT OF RANGE. */
		sense(a, KEY_ILLEGAL, 0x21, 0x00);
		return;
	}
	if (write && (l->ro || l->cdrom)) {
		sense(a, KEY_DATA_PROTECT, 0x27, 0x00);
		return;
	}
	if (write && c->out_len < REQ_FIXED + s->cdb_size + bytes) {
		/* Less data than the CDB names. */
		sense(a, KEY_ILLEGAL, 0x24, 0x00);
		return;
	}
	if (write) {
		/* All of it moved: no residual, as QEMU reports. */
		ok = file_io(c, false, REQ_FIXED + s->cdb_size, l->fd, pos, bytes);
		if (ok)
			a->data_len = (u32)MIN(bytes, (u64)0xFFFFFFFFu);
	} else {
		/* As much as the data-in buffers hold; the residual says the rest. */
		u64 room = c->in_len - MIN((u64)c->in_len, (u64)RESP_FIXED + s->sense_size);

		done = MIN(bytes, room);
		ok = file_io(c, true, RESP_FIXED + s->sense_size, l->fd, pos, done);
		if (ok)
			a->data_len = (u32)done;
	}
	if (!ok)
		/* MEDIUM ERROR, UNRECOVERED READ ERROR / WRITE ERROR. */
		sense(a, 0x3, write ? 0x0C : 0x11, 0x00);
}

static void capacity(struct scsi *s, struct vq_chain *c, struct answer *a, const struct lu *l,
		     bool sixteen, const u8 *cdb)
{
	u8 d[32];

	memset(d, 0, sizeof(d));
	a->expected = sixteen ? get_be32(cdb + 10) : 8;
	if (!l->blocks) {
		/* QEMU (hw/scsi/scsi-disk.c): no sectors, NOT READY, LOGICAL
		 * UNIT NOT READY, MANUAL INTERVENTION REQUIRED. */
		sense(a, KEY_NOT_READY, 0x04, 0x03);
		return;
	}
	if (sixteen) {
		put_be32(d, (u32)((l->blocks - 1) >> 32));
		put_be32(d + 4, (u32)(l->blocks - 1));
		put_be32(d + 8, l->bs);
		/* LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (SBC-3 5.16.2). */
		for (u32 r = l->pbs / l->bs; r > 1; r >>= 1)
			d[13]++;
		data_in(s, c, a, d, 32);
	} else {
		put_be32(d, l->blocks - 1 > 0xFFFFFFFFu ? 0xFFFFFFFFu : (u32)(l->blocks - 1));
		put_be32(d + 4, l->bs);
		data_in(s, c, a, d, 8);
	}
}

static void command(struct scsi *s, struct vq_chain *c, struct answer *a, unsigned target,
		    unsigned lun, const u8 *cdb)
{
	struct lu *l = find(s, target, lun);
	u8 op = cdb[0];

	if (op == OP_INQUIRY) {
		inquiry(s, c, a, l, cdb);
		return;
	}
	if (op == OP_REPORT_LUNS) {
		report_luns(s, c, a, target, cdb);
		/* SPC-4 6.33: REPORT LUNS clears the bus's REPORTED LUNS DATA HAS
		 * CHANGED (QEMU 7.2 clears it once the command completes, unless
		 * the unit has an attention of its own). */
		if (!(l && l->ua))
			s->bus_ua = false;
		return;
	}
	if (!l) {
		/* LOGICAL UNIT NOT SUPPORTED. */
		sense(a, KEY_ILLEGAL, 0x25, 0x00);
		return;
	}
	if (op == OP_REQUEST_SENSE) {
		struct answer got = { 0 };

		a->expected = cdb[4];
		if (l->ua) {
			sense(&got, KEY_UNIT_ATTENTION, 0x29, 0x00);
			l->ua = false;
		} else {
			sense(&got, 0, 0, 0);
		}
		data_in(s, c, a, got.sense, got.sense_len);
		return;
	}
	if (l->ua) {
		/* SAM-5 5.14: the first other command reports it, once. */
		l->ua = false;
		sense(a, KEY_UNIT_ATTENTION, 0x29, 0x00);
		return;
	}
	if (s->bus_ua) {
		/* After a unit came or went (QEMU 7.2's scsi_bus_set_ua): the
		 * first command of any unit on the bus reports it, then it is
		 * gone for all of them. */
		s->bus_ua = false;
		sense(a, KEY_UNIT_ATTENTION, 0x3F, 0x0E);
		return;
	}
	if (l->no_medium && op != OP_START_STOP) {
		/* MMC-6: NOT READY, MEDIUM NOT PRESENT. */
		sense(a, KEY_NOT_READY, 0x3A, 0x00);
		return;
	}
	switch (op) {
	case OP_TEST_UNIT_READY:
	case OP_START_STOP:
		return;
	case OP_SYNC_CACHE10:
		if (!l->ro && !l->cdrom && fsync(l->fd) != 0)
			sense(a, 0x3, 0x0C, 0x00);
		return;
	case OP_READ_CAPACITY10:
		capacity(s, c, a, l, false, cdb);
		return;
	case OP_SERVICE_IN16:
		if ((cdb[1] & 0x1F) == SA_READ_CAPACITY16) {
			capacity(s, c, a, l, true, cdb);
			return;
		}
		break;
	case OP_READ10:
	case OP_WRITE10:
		rw(s, c, a, l, op == OP_WRITE10, get_be32(cdb + 2), get_be16(cdb + 7));
		return;
	case OP_READ16:
	case OP_WRITE16:
		rw(s, c, a, l, op == OP_WRITE16,
		   (u64)get_be32(cdb + 2) << 32 | get_be32(cdb + 6), get_be32(cdb + 10));
		return;
	}
	/* INVALID COMMAND OPERATION CODE. */
	sense(a, KEY_ILLEGAL, 0x20, 0x00);
}

/* One request: its header, the command, the response. */
static u32 serve_request(void *ctx, struct vq_chain *c)
{
	struct scsi *s = ctx;
	bool le = sim_vdev_modern(s->vccw);
	u8 req[REQ_FIXED + 256], resp[RESP_FIXED + 256];
	struct answer a = { .status = ST_GOOD, .response = S_OK };
	u32 need_in = RESP_FIXED + s->sense_size, data_out, data_in;

	memset(req, 0, sizeof(req));
	if (c->out_len < REQ_FIXED + s->cdb_size || c->in_len < need_in)
		return 0;   /* no room for an answer: nothing written */
	data_out = c->out_len - (REQ_FIXED + s->cdb_size);
	data_in = c->in_len - need_in;
	sim_vdev_copy(c, false, 0, req, REQ_FIXED + s->cdb_size);
	/* virtio 1.3, 5.6.6.1: lun[0] 1, lun[1] the target, lun[2..3] the
	 * LUN in the flat space (0x4000 | lun). Data both ways needs
	 * F_INOUT, which is not offered: FAILURE, as QEMU answers. */
	if (data_out && data_in) {
		a.response = S_FAILURE;
		data_out = data_in = 0;
	} else if (req[0] != 1 || !target_exists(s, req[1]) || (req[4] | req[5] | req[6] | req[7])) {
		a.response = S_BAD_TARGET;
	} else {
		command(s, c, &a, req[1], (unsigned)(req[2] << 8 | req[3]) & 0x3FFF,
			req + REQ_FIXED);
	}
	memset(resp, 0, sizeof(resp));
	sim_vdev_put(resp, 4, MIN(a.sense_len, s->sense_size), le);
	sim_vdev_put(resp + 4, 4, a.expected - MIN(a.expected, a.data_len), le);
	resp[10] = a.status;
	resp[11] = a.response;
	memcpy(resp + RESP_FIXED, a.sense, MIN(a.sense_len, s->sense_size));
	sim_vdev_copy(c, true, 0, resp, need_in);
	/* The used length as QEMU 7.2 gives it: the data buffers, whichever
	 * way, plus the response (hw/scsi/virtio-scsi.c); for a WRITE more
	 * than was writable. The residual says what moved. */
	return data_out + data_in + need_in;
}

/* The control queue: task management (type 0) and asynchronous-notification
 * queries and subscriptions (1, 2), each answered as done with nothing. */
static u32 serve_control(void *ctx, struct vq_chain *c)
{
	struct scsi *s = ctx;
	bool le = sim_vdev_modern(s->vccw);
	u8 type[4], resp[5] = { 0 };

	if (c->out_len < 4 || !c->in_len)
		return 0;
	sim_vdev_copy(c, false, 0, type, 4);
	if (sim_vdev_get(type, 4, le) == 0)
		return sim_vdev_copy(c, true, 0, resp, 1);
	return sim_vdev_copy(c, true, 0, resp, MIN(c->in_len, 5u));
}

/* One event into the next event buffer, and its interruption. */
static void push_event(struct scsi *s, u32 event, u32 reason, unsigned target, unsigned lun)
{
	struct sim_vccw_state st;
	struct vq_seg seg[4];
	struct vq_chain c = { .seg = seg, .cap = 4 };
	struct vqd *v = sim_vccw_vqd(s->vccw, 1);
	bool le = sim_vdev_modern(s->vccw);
	u8 ev[16] = { 0 };
	int rc;

	sim_vccw_get_state(s->vccw, &st);
	if (!(st.status & VIRTIO_STATUS_DRIVER_OK) || !v)
		return;
	rc = vqd_pop(v, &c);
	/* Notified when the driver gives the next buffer. */
	vqd_enable_notify(v);
	if (rc < 0) {
		sim_vccw_needs_reset(s->vccw);
		return;
	}
	if (rc == 0) {
		s->dropped = true;
		return;
	}
	if (s->dropped)
		event |= EV_MISSED;
	s->dropped = false;
	sim_vdev_put(ev, 4, event, le);
	if ((event & ~EV_MISSED) != EV_NONE) {
		ev[4] = 1;
		ev[5] = (u8)target;
		ev[6] = (u8)(0x40 | (lun >> 8 & 0x3F));
		ev[7] = (u8)lun;
	}
	sim_vdev_put(ev + 12, 4, reason, le);
	vqd_push(v, &c, sim_vdev_copy(&c, true, 0, ev, sizeof(ev)));
	sim_vccw_queue_done(s->vccw, 1);
}

static void scsi_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct scsi *s = ctx;
	struct vqd *v;

	/* The event queue's buffers wait for events; one given after an
	 * event was dropped says so at once. */
	if (q == 1) {
		if (s->dropped)
			push_event(s, EV_NONE, 0, 0, 0);
		/* Notified of every buffer given (with EVENT_IDX, past the
		 * index asked for here). */
		v = sim_vccw_vqd(d, 1);
		if (v)
			vqd_enable_notify(v);
		return;
	}
	/* Serve, then ask for the next notification (with EVENT_IDX a driver
	 * notifies only past the index the device asked for, virtio 1.3,
	 * 2.7.10); what came meanwhile is served too. */
	do {
		sim_vdev_serve(d, q, q == 0 ? serve_control : serve_request, s);
		v = sim_vccw_vqd(d, q);
	} while (v && !vqd_enable_notify(v));
}

static void scsi_read_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	struct scsi *s = ctx;
	u8 cfg[CFG_LEN];

	sim_vdev_put(cfg + CFG_NUM_QUEUES, 4, s->num_queues, le);
	sim_vdev_put(cfg + CFG_SEG_MAX, 4, s->seg_max, le);
	sim_vdev_put(cfg + CFG_MAX_SECTORS, 4, s->max_sectors, le);
	sim_vdev_put(cfg + CFG_CMD_PER_LUN, 4, s->cmd_per_lun, le);
	sim_vdev_put(cfg + CFG_EVENT_INFO_SIZE, 4, 16, le);
	sim_vdev_put(cfg + CFG_SENSE_SIZE, 4, s->sense_size, le);
	sim_vdev_put(cfg + CFG_CDB_SIZE, 4, s->cdb_size, le);
	sim_vdev_put(cfg + CFG_MAX_CHANNEL, 2, 0, le);
	sim_vdev_put(cfg + CFG_MAX_TARGET, 2, MAX_TARGET, le);
	sim_vdev_put(cfg + CFG_MAX_LUN, 4, MAX_LUN, le);
	memcpy(buf, cfg, MIN(len, (unsigned)CFG_LEN));
}

static void scsi_write_config(void *ctx, const u8 *buf, unsigned len, bool le)
{
	struct scsi *s = ctx;

	/* virtio 1.3, 5.6.4: the driver may set sense_size and cdb_size
	 * (both kept within what this model's buffers hold). */
	if (len >= CFG_SENSE_SIZE + 4) {
		u64 v = sim_vdev_get(buf + CFG_SENSE_SIZE, 4, le);

		s->sense_size = (u32)MIN(v, (u64)256);
	}
	if (len >= CFG_CDB_SIZE + 4) {
		u64 v = sim_vdev_get(buf + CFG_CDB_SIZE, 4, le);

		s->cdb_size = (u32)MIN(MAX(v, (u64)16), (u64)256);
	}
}

static void scsi_reset(void *ctx)
{
	struct scsi *s = ctx;

	s->sense_size = DEF_SENSE;
	s->cdb_size = DEF_CDB;
	s->dropped = false;
	s->bus_ua = false;
	for (unsigned i = 0; i < s->nlus; i++)
		s->lu[i].ua = true;
}

static void scsi_destroy(void *ctx)
{
	struct scsi *s = ctx;

	for (unsigned i = 0; i < s->nlus; i++)
		if (s->lu[i].fd >= 0)
			close(s->lu[i].fd);
	free(s);
}

static bool pow2_in(u32 v)
{
	return v >= 512 && v <= (2u << 20) && !(v & (v - 1));
}

/* A unit added at the end (the newest): 0, or SIM_ERR with why. */
static int add_lu(struct scsi *s, const struct sim_scsi_lun *o, char *why)
{
	struct lu *l = &s->lu[s->nlus];
	struct stat st;
	u32 lbs, pbs;

	if (s->nlus == SIM_SCSI_MAX_LUNS || o->target > MAX_TARGET || o->lun > MAX_LUN ||
	    find(s, o->target, o->lun)) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "LUN %u:%u: %s", o->target, o->lun,
				 s->nlus == SIM_SCSI_MAX_LUNS ? "more LUNs than are simulated"
				 : o->target > MAX_TARGET || o->lun > MAX_LUN
					 ? "out of range (targets 0 to 255, LUNs 0 to 16383)"
					 : "given twice");
		return SIM_ERR;
	}
	lbs = o->block_size ? o->block_size : 512;
	pbs = o->physical_block_size ? o->physical_block_size : 512;
	if (!o->cdrom && (!pow2_in(lbs) || !pow2_in(pbs) || lbs > pbs)) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "LUN %u:%u: block sizes %u and %u: powers of two "
				 "from 512 to 2097152, the logical one no larger", o->target, o->lun,
				 lbs, pbs);
		return SIM_ERR;
	}
	memset(l, 0, sizeof(*l));
	l->target = o->target;
	l->lun = o->lun;
	l->cdrom = o->cdrom;
	l->ro = o->read_only || o->cdrom;
	l->bs = o->cdrom ? 2048 : lbs;
	l->pbs = o->cdrom ? 2048 : pbs;
	l->ua = true;
	if (!o->path && o->cdrom) {
		/* A drive with no medium (QEMU's -drive without file=). */
		l->fd = -1;
		l->no_medium = true;
		s->nlus++;
		return 0;
	}
	l->fd = open(o->path ? o->path : "", (l->ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (l->fd < 0 || fstat(l->fd, &st) != 0) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "cannot open %s: %s", o->path, strerror(errno));
		if (l->fd >= 0)
			close(l->fd);
		return SIM_ERR;
	}
	/* QEMU sees a raw file as whole 512-byte sectors, rounded up (the
	 * tail reads as zeros), and a unit as whole blocks of those. */
	l->blocks = ((u64)st.st_size + 511) / 512 / (l->bs / 512);
	s->nlus++;
	return 0;
}

static struct scsi *adapter(struct sim *sim, uint32_t schid, char *why)
{
	struct sim_vccw *d = sim_vccw_find(sim, schid);
	struct scsi *s = d ? sim_vccw_ctx(d) : NULL;

	if (!s || s->magic != SCSI_MAGIC) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "no virtio-scsi adapter on subchannel 0x%08x",
				 (unsigned)schid);
		return NULL;
	}
	return s;
}

/* Whether the driver took F_HOTPLUG (virtio 1.3, 5.6.3). */
static bool hotplug_on(struct scsi *s)
{
	struct sim_vccw_state st;

	sim_vccw_get_state(s->vccw, &st);
	return (st.driver_features >> 1) & 1;
}

int sim_scsi_plug(struct sim *sim, uint32_t schid, const struct sim_scsi_lun *lun, char *why)
{
	struct scsi *s = adapter(sim, schid, why);

	if (!s || add_lu(s, lun, why))
		return SIM_ERR;
	if (hotplug_on(s)) {
		push_event(s, EV_TRANSPORT_RESET, EV_RESCAN, lun->target, lun->lun);
		s->bus_ua = true;
	}
	return 0;
}

int sim_scsi_unplug(struct sim *sim, uint32_t schid, unsigned target, unsigned lun, char *why)
{
	struct scsi *s = adapter(sim, schid, why);
	struct lu *l = s ? find(s, target, lun) : NULL;

	if (!l) {
		if (s && why)
			snprintf(why, SIM_WHY_LEN, "no LUN %u:%u on the adapter", target, lun);
		return SIM_ERR;
	}
	if (l->fd >= 0)
		close(l->fd);
	memmove(l, l + 1, (size_t)(s->lu + s->nlus - (l + 1)) * sizeof(*l));
	s->nlus--;
	if (hotplug_on(s)) {
		push_event(s, EV_TRANSPORT_RESET, EV_REMOVED, target, lun);
		s->bus_ua = true;
	}
	return 0;
}

long sim_vdev_scsi(struct sim *sim, const struct sim_dev_config *dev,
		   const struct sim_vccw_config *transport, const struct sim_scsi_opts *opts,
		   char *why)
{
	struct scsi *s = calloc(1, sizeof(*s));
	unsigned qsize;
	long schid;

	if (!s) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "out of memory");
		return SIM_ERR;
	}
	s->magic = SCSI_MAGIC;
	s->num_queues = opts && opts->num_queues ? opts->num_queues : 1;
	qsize = opts && opts->queue_size ? opts->queue_size : QUEUE_SIZE;
	s->seg_max = opts && opts->seg_max ? opts->seg_max : qsize - 2;
	s->max_sectors = opts && opts->max_sectors ? opts->max_sectors : 0xFFFF;
	s->cmd_per_lun = opts && opts->cmd_per_lun ? opts->cmd_per_lun : 128;
	if (s->num_queues > 16 || qsize < 3 || qsize > 1024 ||
	    (opts && opts->nluns > SIM_SCSI_MAX_LUNS)) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "at most 16 request queues of 3 to 1024 entries "
				 "and %u LUNs", SIM_SCSI_MAX_LUNS);
		free(s);
		return SIM_ERR;
	}
	for (unsigned i = 0; opts && i < opts->nluns; i++)
		if (add_lu(s, &opts->lun[i], why)) {
			scsi_destroy(s);
			return SIM_ERR;
		}
	s->sense_size = DEF_SENSE;
	s->cdb_size = DEF_CDB;
	for (unsigned q = 0; q < 2 + s->num_queues; q++)
		s->queue_max[q] = (u16)qsize;
	s->model = (struct sim_virtio_model){
		.device_id = VIRTIO_ID_SCSI,
		/* F_HOTPLUG, F_CHANGE */
		.features = (opts && opts->no_hotplug ? 0 : VIRTIO_BIT(1)) |
			    (opts && opts->no_change ? 0 : VIRTIO_BIT(2)),
		.nqueues = 2 + s->num_queues,
		.queue_max = s->queue_max,
		.config_len = CFG_LEN,
		.read_config = scsi_read_config,
		.write_config = scsi_write_config,
		.queue_notify = scsi_notify,
		.reset = scsi_reset,
		.destroy = scsi_destroy,
	};
	schid = sim_vdev_attach(sim, dev, transport, &s->model, s, &s->vccw);
	if (schid < 0) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "cannot attach the device");
		scsi_destroy(s);
	}
	return schid;
}
