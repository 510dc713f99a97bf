/* The simulated virtio-ccw control unit and DIAGNOSE 0x500 (virtio 1.3, 4.3). */
#include <stdlib.h>
#include <string.h>

#include "ring/virtio.h"  /* feature and status bits */
#include "sim/internal.h" /* sim_find(), a subchannel's control unit */
#include "sim/vccw.h"

/* A classic queue indicator is one 64-bit word (virtio 1.3, 4.3.2.6.1). */
#define VCCW_CLASSIC_BITS    64u
/* Feature bits 24-41 belong to the transport (virtio 1.3, 2.2): the
 * transport configuration chooses them, never the device model. */
#define VCCW_TRANSPORT_RANGE ((((u64)1 << 42) - 1) & ~(((u64)1 << 24) - 1))
/* Bits a legacy (revision 0) device may offer and a modern one may not:
 * NOTIFY_ON_EMPTY, ANY_LAYOUT and bit 30 (C.1). */
#define VCCW_LEGACY_ONLY \
	(VIRTIO_BIT(VIRTIO_F_NOTIFY_ON_EMPTY) | VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) | VIRTIO_BIT(30))
/* The ring features the device side (ring/vq_dev.h) implements. */
#define VCCW_RING_BITS	VIRTIO_RING_FEATURES
/* Configuration spaces this control unit serves (a CCW count is 16 bits). */
#define VCCW_CONFIG_MAX 0xFFFFu

/* One virtqueue as the driver set it up. */
struct vccw_vq {
	u64 desc, driver, device; /* ring areas (0: none) */
	unsigned num;
	bool ready; /* vqd is built on them */
	struct vqd vqd;
};

struct sim_vccw {
	struct sim *sim;
	u32 schid;
	struct sim_vccw_config cfg;
	struct sim_virtio_model model;
	const struct sim_virtio_model *model_given; /* the caller's, for sim_vccw_model() */
	void *ctx;
	struct vq_mem mem;  /* all of guest memory, for the rings */
	u8 *config;	    /* model.config_len bytes of scratch */
	struct vccw_vq *vq; /* model.nqueues entries */

	int revision; /* -1: not set */
	u8 status;
	u64 driver_features;
	u64 ind_addr;	   /* classic queue indicators (0: none) */
	u64 conf_ind_addr; /* configuration indicator (0: none) */
	bool adapter;	   /* two-stage indicators in use */
	u64 summary_addr, adapter_ind_addr, bit_nr;
	u8 isc;
};

static const struct sim_cu_ops vccw_ops;

static bool qemu(const struct sim_vccw *d)
{
	return sim_profile(d->sim) == SIM_PROFILE_QEMU;
}

/* --- Features, queues and reset -------------------------------------------- */

/* The features offered at the current revision (B.4 READ_FEAT, B.8). */
static u64 offered(const struct sim_vccw *d)
{
	u64 f = d->model.features & ~VCCW_TRANSPORT_RANGE;

	if (d->cfg.version_1)
		f |= VIRTIO_BIT(VIRTIO_F_VERSION_1);
	if (d->cfg.event_idx)
		f |= VIRTIO_BIT(VIRTIO_F_EVENT_IDX);
	if (d->cfg.indirect_desc)
		f |= VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC);
	if (d->cfg.ring_packed)
		f |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	if (d->cfg.in_order)
		f |= VIRTIO_BIT(VIRTIO_F_IN_ORDER);
	if (d->cfg.ring_reset)
		f |= VIRTIO_BIT(VIRTIO_F_RING_RESET);
	if (d->cfg.access_platform)
		f |= VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM);
	if (d->revision < 1 && d->cfg.legacy_bits) {
		if (!d->cfg.no_notify_on_empty)
			f |= VIRTIO_BIT(VIRTIO_F_NOTIFY_ON_EMPTY);
		if (!d->cfg.no_any_layout)
			f |= VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT);
	}
	if (d->revision >= 1)
		f &= ~VCCW_LEGACY_ONLY;
	return f;
}

/* Modern rings and configuration are little-endian, legacy ones
 * guest-native, i.e. big-endian (virtio 1.3, 2.7.1 and 4.3). */
static bool modern(const struct sim_vccw *d)
{
	return (d->driver_features & VIRTIO_BIT(VIRTIO_F_VERSION_1)) != 0;
}

static unsigned queue_max(const struct sim_vccw *d, u64 q)
{
	return q < d->model.nqueues ? d->model.queue_max[q] : 0;
}

/* The queue's current size: what SET_VQ gave, else its maximum. */
static unsigned queue_size(const struct sim_vccw *d, u64 q)
{
	if (q >= d->model.nqueues)
		return 0;
	return d->vq[q].ready ? d->vq[q].num : d->model.queue_max[q];
}

/* A host pointer to a ring area inside guest memory at its alignment. */
static void *ring_area(struct sim_vccw *d, u64 addr, u64 size, u64 align)
{
	if (addr & (align - 1))
		return NULL;
	return sim_mem_ptr(d->sim, addr, size);
}

/*
 * Build the device side of queue q on the areas stored for it, with the
 * ring features the driver accepted. Each area must lie in guest memory at
 * its alignment (virtio 1.3, 2.7 and 2.8; C.4). Returns 0 or -1.
 */
static int queue_build(struct sim_vccw *d, unsigned q)
{
	struct vccw_vq *v = &d->vq[q];
	u64 neg = d->driver_features & offered(d) & VCCW_RING_BITS;
	struct vqd_config c;

	v->ready = false;
	memset(&c, 0, sizeof(c));
	c.num = v->num;
	c.packed = (neg & VIRTIO_BIT(VIRTIO_F_RING_PACKED)) != 0;
	c.event_idx = (neg & VIRTIO_BIT(VIRTIO_F_EVENT_IDX)) != 0;
	c.indirect = (neg & VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC)) != 0;
	c.in_order = (neg & VIRTIO_BIT(VIRTIO_F_IN_ORDER)) != 0;
	c.big_endian = !modern(d);
	c.mem = &d->mem;
	if (!v->num || v->num > VRING_MAX_SIZE)
		return SIM_ERR;
	if (c.packed) {
		c.desc = ring_area(d, v->desc, 16u * (u64)v->num, 16);
		c.driver = ring_area(d, v->driver, sizeof(struct vring_packed_event), 4);
		c.device = ring_area(d, v->device, sizeof(struct vring_packed_event), 4);
	} else {
		/* A split ring's size is a power of 2 (virtio 1.3, 2.7). */
		if (v->num & (v->num - 1))
			return SIM_ERR;
		c.desc = ring_area(d, v->desc, vring_desc_size(v->num), 16);
		c.driver = ring_area(d, v->driver, vring_avail_size(v->num), 2);
		c.device = ring_area(d, v->device, vring_used_size(v->num), 4);
	}
	if (!c.desc || !c.driver || !c.device || vqd_init(&v->vqd, &c))
		return SIM_ERR;
	v->ready = true;
	return 0;
}

static void queue_clear(struct sim_vccw *d, u64 q)
{
	if (q < d->model.nqueues)
		memset(&d->vq[q], 0, sizeof(d->vq[q]));
}

/* Status 0 or VDEV_RESET: the device and every indicator go, the revision
 * stays (B.3, B.4; virtio 1.3, 4.3.3.3). */
static void device_reset(struct sim_vccw *d)
{
	if (d->model.reset)
		d->model.reset(d->ctx);
	d->status = 0;
	d->driver_features = 0;
	for (unsigned q = 0; q < d->model.nqueues; q++)
		queue_clear(d, q);
	d->ind_addr = 0;
	d->conf_ind_addr = 0;
	d->adapter = false;
	d->summary_addr = 0;
	d->adapter_ind_addr = 0;
	d->bit_nr = 0;
	d->isc = 0;
}

/* --- Indicators (B.5) --------------------------------------------------------- */

/*
 * OR mask into the guest byte at base + off. The driver clears indicator
 * bits while the device sets them, so the update is atomic (B.5). Returns
 * false, touching nothing, when the byte is not guest memory.
 */
static bool ind_or(struct sim_vccw *d, u64 base, u64 off, u8 mask, u8 *old)
{
	u8 *p, o;

	if (base + off < base)
		return false;
	p = sim_mem_ptr(d->sim, base + off, 1);
	if (!p)
		return false;
	o = __atomic_fetch_or(p, mask, __ATOMIC_SEQ_CST);
	if (old)
		*old = o;
	return true;
}

static void trace(struct sim_vccw *d, const char *what, unsigned n)
{
	if (sim_tracing(d->sim, d->schid))
		sim_tracef(d->sim, "virtio_ccw_%s 0.%x.%04x %u", what, schid_ssid(d->schid),
			   schid_schno(d->schid), n);
}

/* An injected SIM_FAULT_LOSE_INT also swallows the device's adapter
 * interruption (the indicators are set all the same). */
static bool lose_int(struct sim_vccw *d)
{
	struct sim_sch *sch = sim_find(d->sim, d->schid);

	if (!sch || !sch->lose_ints)
		return false;
	sch->lose_ints--;
	d->sim->stats.lost++;
	trace(d, "adapter_interrupt_lost", 0);
	return true;
}

/*
 * Queue q has used buffers. Classic: value bit q of the big-endian word,
 * i.e. byte 7 - q/8, then unsolicited status. Adapter: bit bit_nr + q
 * counted from the left, the summary byte to 1, and an adapter
 * interruption only when the summary was 0 (virtio 1.3, 4.3.3.1).
 */
static void signal_queue(struct sim_vccw *d, unsigned q)
{
	if (d->adapter) {
		u64 bit = d->bit_nr + q;
		u8 old;

		if (bit < d->bit_nr ||
		    !ind_or(d, d->adapter_ind_addr, bit / 8, (u8)(0x80u >> (bit % 8)), NULL))
			return;
		if (!ind_or(d, d->summary_addr, 0, 0x01, &old))
			return;
		trace(d, "adapter_indicator", q);
		if (!old && !lose_int(d))
			sim_adapter_interrupt(d->sim, d->isc);
		return;
	}
	if (!d->ind_addr || q >= VCCW_CLASSIC_BITS)
		return;
	if (!ind_or(d, d->ind_addr, 7 - q / 8, (u8)(1u << (q % 8)), NULL))
		return;
	trace(d, "indicator", q);
	sim_unsolicited(d->sim, d->schid, 0);
}

/* --- Commands ----------------------------------------------------------------- */

/* Length checking is on unless SLI is set and CD clear (A.6 item 8). */
static bool check_len(const struct sim_io *io)
{
	return !(io->flags & CCW_FLAG_SLI) || (io->flags & CCW_FLAG_CD);
}

/*
 * The count against a fixed payload size; whether the command may go on.
 * qemu: the exact size with length checking, at least the size with SLI,
 * else program check (B.4). arch: the device takes the bytes it needs and
 * the channel reports a different count as incorrect length (want); too
 * little data under SLI is a check condition, here command reject
 * (virtio 1.3, 4.3.1 device requirements); too little without SLI does
 * nothing beyond the incorrect length.
 */
static bool payload_len(struct sim_vccw *d, struct sim_io *io, u32 size)
{
	io->want = size;
	if (qemu(d)) {
		/* With a good length, QEMU also refuses data address 0 (B.4). */
		if ((check_len(io) ? io->count == size : io->count >= size) && (!size || io->cda))
			return true;
		io->result = SIM_IO_PROGRAM_CHECK;
		return false;
	}
	if (io->count >= size)
		return true;
	if (!check_len(io))
		io->result = SIM_IO_REJECT;
	return false;
}

/* Read the payload; false when the channel ends the command (bad address). */
static bool get(struct sim_io *io, u32 off, void *buf, u32 len)
{
	return sim_io_read(io, off, buf, len) == (long)len;
}

/*
 * QEMU reports a residual count of 0 for SET_VQ, and leaves it at 0 for
 * READ_CONF (A.6, platforms 12.5) even when SLI let the count exceed what
 * moved: counting the window's last byte as transferred does that.
 */
static void qemu_residual_zero(struct sim_io *io)
{
	u8 b;

	if (io->count)
		sim_io_read(io, io->count - 1, &b, 1);
}

/* Data the device cannot use: QEMU's -EINVAL ends in program check (B.4);
 * the architecture profile answers as a device does, with command reject. */
static void bad_payload(struct sim_vccw *d, struct sim_io *io)
{
	io->result = qemu(d) ? SIM_IO_PROGRAM_CHECK : SIM_IO_REJECT;
}

/* virtio 1.3, 4.3.2.1; B.3 for QEMU's lengths and its unchecked length field. */
static void cmd_set_rev(struct sim_vccw *d, struct sim_io *io)
{
	struct vccw_rev r;
	int max = d->cfg.version_1 ? d->cfg.max_revision : 0;
	u16 rev, len;

	if (qemu(d)) {
		if (io->count < sizeof(r) || !io->cda) {
			io->result = SIM_IO_PROGRAM_CHECK;
			return;
		}
	} else if (!payload_len(d, io, sizeof(r))) {
		return;
	}
	if (!get(io, 0, &r, sizeof(r)))
		return;
	rev = be16_to_cpu(r.revision);
	len = be16_to_cpu(r.length);
	if (qemu(d)) {
		u8 b;

		io->want = (u32)sizeof(r) + len;
		if (io->count < io->want || (check_len(io) && io->count > io->want)) {
			io->result = SIM_IO_PROGRAM_CHECK;
			return;
		}
		/* The data is taken (and ignored). */
		if (len && !get(io, io->want - 1, &b, 1))
			return;
	} else if (len) {
		/* Revisions 0 to 2 carry no data. */
		io->result = SIM_IO_REJECT;
		return;
	}
	if (d->revision >= 0 || rev > max || (rev == 0 && !d->cfg.transitional)) {
		io->result = SIM_IO_REJECT;
		return;
	}
	d->revision = rev;
}

/* virtio 1.3, 4.3.2.4: the word is little-endian; QEMU serves words 0 and 1. */
static void cmd_read_feat(struct sim_vccw *d, struct sim_io *io)
{
	u64 f = offered(d);
	le32 word;
	u8 index;
	u32 v = 0;

	if (!payload_len(d, io, sizeof(struct vccw_feat)) ||
	    !get(io, offsetof(struct vccw_feat, index), &index, 1))
		return;
	if (index == 0)
		v = (u32)f;
	else if (index == 1 && d->revision >= 1)
		v = (u32)(f >> 32);
	word = cpu_to_le32(v);
	sim_io_write(io, 0, &word, sizeof(word));
}

static void cmd_write_feat(struct sim_vccw *d, struct sim_io *io)
{
	struct vccw_feat f;
	u64 v;

	if (!payload_len(d, io, sizeof(f)) || !get(io, 0, &f, sizeof(f)))
		return;
	/* Features are fixed once FEATURES_OK is set; the write is dropped
	 * without an error (B.4). */
	if (d->status & VIRTIO_STATUS_FEATURES_OK)
		return;
	v = le32_to_cpu(f.features);
	if (f.index == 0)
		d->driver_features = (d->driver_features & ~(u64)0xFFFFFFFFu) | v;
	else if (f.index == 1 && d->revision >= 1)
		d->driver_features = (d->driver_features & 0xFFFFFFFFu) | (v << 32);
	else
		return;
	/* Queues set up before the features were final follow them. */
	if (!(d->status & VIRTIO_STATUS_DRIVER_OK))
		for (unsigned q = 0; q < d->model.nqueues; q++)
			if (d->vq[q].ready)
				queue_build(d, q);
}

/* Whether the device accepts the driver's features (virtio 1.3, 2.2.2, 6.1). */
static bool features_ok(const struct sim_vccw *d)
{
	if (d->driver_features & ~offered(d))
		return false;
	/* A device that must go through the platform's translation refuses a
	 * driver that does not say it will (virtio 1.3, 6.1; QEMU as measured
	 * with iommu_platform=on). */
	if (d->cfg.access_platform && !(d->driver_features & VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM)))
		return false;
	return d->revision < 1 || (d->driver_features & VIRTIO_BIT(VIRTIO_F_VERSION_1));
}

/* virtio 1.3, 4.3.2.3: a status the device refuses is a command reject,
 * the status unchanged. */
static void cmd_write_status(struct sim_vccw *d, struct sim_io *io)
{
	u8 s;

	if (!payload_len(d, io, 1) || !get(io, 0, &s, 1))
		return;
	if (!s) {
		device_reset(d);
		return;
	}
	if ((s & VIRTIO_STATUS_FEATURES_OK) && !(d->status & VIRTIO_STATUS_FEATURES_OK) &&
	    !features_ok(d)) {
		io->result = SIM_IO_REJECT;
		return;
	}
	d->status = s;
}

/* Revision 2 (virtio 1.3, 4.3.2.3); QEMU does not gate it (B.3). */
static void cmd_read_status(struct sim_vccw *d, struct sim_io *io)
{
	if (!qemu(d) && d->revision < 2) {
		io->result = SIM_IO_REJECT;
		return;
	}
	if (payload_len(d, io, 1))
		sim_io_write(io, 0, &d->status, 1);
}

/* virtio 1.3, 4.3.3.3: the reset is complete when the command ends. QEMU
 * looks at no count (B.2: count 0, cda 0). */
static void cmd_vdev_reset(struct sim_vccw *d, struct sim_io *io)
{
	if (!qemu(d))
		payload_len(d, io, 0);
	device_reset(d);
}

/* virtio 1.3, 4.3.2.2; index >= 1024 is an error in QEMU (B.4). */
static void cmd_read_vq_conf(struct sim_vccw *d, struct sim_io *io)
{
	be16 index, num;

	if (!payload_len(d, io, sizeof(struct vccw_vq_conf)) || !get(io, 0, &index, sizeof(index)))
		return;
	if (be16_to_cpu(index) >= VCCW_QUEUE_LIMIT) {
		bad_payload(d, io);
		return;
	}
	num = cpu_to_be16((u16)queue_max(d, be16_to_cpu(index)));
	sim_io_write(io, offsetof(struct vccw_vq_conf, num_max), &num, sizeof(num));
}

/*
 * virtio 1.3, 4.3.2.2 and its legacy note; B.4. Revision 0: one block,
 * descriptors then the available ring, the used ring at the next 4096
 * boundary (virtio 1.3, 2.7.2), and the size stays the maximum. From
 * revision 1: three areas, a size up to the maximum. An address or a size
 * of 0 takes the queue down, and so does an error.
 */
static void cmd_set_vq(struct sim_vccw *d, struct sim_io *io)
{
	bool legacy = d->revision < 1;
	u64 desc, driver = 0, device = 0;
	unsigned idx, num, max;
	u32 align = 0;
	struct vccw_vq *v;

	if (legacy) {
		struct vccw_vq_info_legacy l;

		if (!payload_len(d, io, sizeof(l)) || !get(io, 0, &l, sizeof(l)))
			return;
		desc = be64_to_cpu(l.queue);
		align = be32_to_cpu(l.align);
		idx = be16_to_cpu(l.index);
		num = be16_to_cpu(l.num);
	} else {
		struct vccw_vq_info i;

		if (!payload_len(d, io, sizeof(i)) || !get(io, 0, &i, sizeof(i)))
			return;
		desc = be64_to_cpu(i.desc);
		idx = be16_to_cpu(i.index);
		num = be16_to_cpu(i.num);
		driver = be64_to_cpu(i.driver);
		device = be64_to_cpu(i.device);
	}
	if (qemu(d))
		qemu_residual_zero(io);
	if (idx >= VCCW_QUEUE_LIMIT) {
		bad_payload(d, io);
		return;
	}
	queue_clear(d, idx);
	if (!desc || (!legacy && !num))
		return;
	max = queue_max(d, idx);
	if (legacy) {
		/* Legacy rings cannot shrink; a bigger num is ignored (B.4). */
		if (align != VCCW_LEGACY_ALIGN || !max || num < max ||
		    desc > ~(u64)0 - 2 * VRING_MAX_SIZE * 16ull) {
			bad_payload(d, io);
			return;
		}
		num = max;
		driver = desc + vring_desc_size(num);
		device = ALIGN_UP(driver + vring_avail_size(num), (u64)VCCW_LEGACY_ALIGN);
	} else if (num > max) {
		bad_payload(d, io);
		return;
	}
	v = &d->vq[idx];
	v->desc = desc;
	v->driver = driver;
	v->device = device;
	v->num = num;
	if (queue_build(d, idx)) {
		queue_clear(d, idx);
		bad_payload(d, io);
	}
}

/* Read a be64 guest address payload. */
static bool get_addr(struct sim_vccw *d, struct sim_io *io, u64 *addr)
{
	be64 a;

	if (!payload_len(d, io, sizeof(a)) || !get(io, 0, &a, sizeof(a)))
		return false;
	*addr = be64_to_cpu(a);
	return true;
}

/*
 * virtio 1.3, 4.3.2.6.1. Classic indicators cannot name more than 64
 * queues, nor replace adapter indicators in use (B.4). Addresses are
 * checked at each use, never here: a bad one only loses the notification.
 */
static void cmd_set_ind(struct sim_vccw *d, struct sim_io *io)
{
	u64 a;

	if (!get_addr(d, io, &a))
		return;
	if (d->model.nqueues > VCCW_CLASSIC_BITS || d->adapter) {
		io->result = SIM_IO_REJECT;
		return;
	}
	d->ind_addr = a;
}

/* virtio 1.3, 4.3.2.6.2. */
static void cmd_set_conf_ind(struct sim_vccw *d, struct sim_io *io)
{
	u64 a;

	if (get_addr(d, io, &a))
		d->conf_ind_addr = a;
}

/*
 * virtio 1.3, 4.3.2.6.3: refused after classic indicators (unless adapter
 * mode is already on, to move it), and by a device without adapter
 * interruptions. Adapter mode needs both addresses; an address of 0
 * deregisters (B.4).
 */
static void cmd_set_ind_adapter(struct sim_vccw *d, struct sim_io *io)
{
	struct vccw_thinint t;

	if (!d->cfg.adapter) {
		io->result = SIM_IO_REJECT;
		return;
	}
	if (!payload_len(d, io, sizeof(t)) || !get(io, 0, &t, sizeof(t)))
		return;
	if (d->ind_addr && !d->adapter) {
		io->result = SIM_IO_REJECT;
		return;
	}
	/* Eight subclasses exist; QEMU does not look. */
	if (!qemu(d) && t.isc > 7) {
		io->result = SIM_IO_REJECT;
		return;
	}
	d->summary_addr = be64_to_cpu(t.summary_indicator);
	d->adapter_ind_addr = be64_to_cpu(t.indicator);
	d->bit_nr = be64_to_cpu(t.bit_nr);
	d->isc = t.isc & 7;
	d->adapter = d->summary_addr && d->adapter_ind_addr;
}

/*
 * Configuration from offset 0. QEMU moves min(count, length) bytes, with
 * length checking refuses a count above the length, and leaves the
 * residual at 0 after a read (B.4, A.6). The architecture profile wants
 * the complete space (virtio 1.3, 4.3.2.5): another count is an incorrect
 * length, and what fits still moves.
 */
static bool conf_len(struct sim_vccw *d, struct sim_io *io, u32 *n)
{
	u32 len = d->model.config_len;

	if (qemu(d) && ((check_len(io) && io->count > len) || !io->cda)) {
		io->result = SIM_IO_PROGRAM_CHECK;
		return false;
	}
	io->want = qemu(d) ? io->count : len;
	*n = MIN(io->count, len);
	return true;
}

static void cmd_read_conf(struct sim_vccw *d, struct sim_io *io)
{
	u32 n;

	if (!conf_len(d, io, &n))
		return;
	if (n) {
		memset(d->config, 0, d->model.config_len);
		if (d->model.read_config)
			d->model.read_config(d->ctx, d->config, d->model.config_len, modern(d));
		if (sim_io_write(io, 0, d->config, n) < 0)
			return;
	}
	if (qemu(d))
		qemu_residual_zero(io);
}

static void cmd_write_conf(struct sim_vccw *d, struct sim_io *io)
{
	u32 n;

	if (!conf_len(d, io, &n) || !n || !get(io, 0, d->config, n))
		return;
	if (d->model.write_config)
		d->model.write_config(d->ctx, d->config, n, modern(d));
}

static void vccw_command(void *cu, struct sim_io *io)
{
	struct sim_vccw *d = cu;

	/* Any command before SET_VIRTIO_REV fixes revision 0 on a
	 * transitional device and is refused by a modern-only one (virtio
	 * 1.3, 4.3.2.1.3; B.3). */
	if (io->cmd != VCCW_CMD_SET_VIRTIO_REV && d->revision < 0) {
		if (!d->cfg.transitional) {
			io->result = SIM_IO_REJECT;
			return;
		}
		d->revision = 0;
	}
	switch (io->cmd) {
	case VCCW_CMD_SET_VIRTIO_REV:
		cmd_set_rev(d, io);
		break;
	case VCCW_CMD_READ_FEAT:
		cmd_read_feat(d, io);
		break;
	case VCCW_CMD_WRITE_FEAT:
		cmd_write_feat(d, io);
		break;
	case VCCW_CMD_WRITE_STATUS:
		cmd_write_status(d, io);
		break;
	case VCCW_CMD_READ_STATUS:
		cmd_read_status(d, io);
		break;
	case VCCW_CMD_VDEV_RESET:
		cmd_vdev_reset(d, io);
		break;
	case VCCW_CMD_READ_VQ_CONF:
		cmd_read_vq_conf(d, io);
		break;
	case VCCW_CMD_SET_VQ:
		cmd_set_vq(d, io);
		break;
	case VCCW_CMD_SET_IND:
		cmd_set_ind(d, io);
		break;
	case VCCW_CMD_SET_CONF_IND:
		cmd_set_conf_ind(d, io);
		break;
	case VCCW_CMD_SET_IND_ADAPTER:
		cmd_set_ind_adapter(d, io);
		break;
	case VCCW_CMD_READ_CONF:
		cmd_read_conf(d, io);
		break;
	case VCCW_CMD_WRITE_CONF:
		cmd_write_conf(d, io);
		break;
	default:
		io->result = SIM_IO_REJECT;
		break;
	}
}

/* QEMU forgets the revision when the subchannel is disabled; the spec
 * has it unset from every enable (virtio 1.3, 4.3.2.1.1). */
static void vccw_enable_changed(void *cu, bool enabled)
{
	struct sim_vccw *d = cu;

	if (!enabled || !qemu(d))
		d->revision = -1;
}

/* Gone: what comes back is a device nobody has set up (its revision unset). */
static void vccw_unplugged(void *cu)
{
	struct sim_vccw *d = cu;

	device_reset(d);
	d->revision = -1;
}

static void vccw_destroy(void *cu)
{
	struct sim_vccw *d = cu;

	if (d->model.destroy)
		d->model.destroy(d->ctx);
	free(d->config);
	free(d->vq);
	free(d);
}

/* No reset operation: the clear function ends channel programs, and a
 * virtio device keeps its state through it (only VDEV_RESET and status 0
 * reset it). */
static const struct sim_cu_ops vccw_ops = {
	.command = vccw_command,
	.enable_changed = vccw_enable_changed,
	.unplugged = vccw_unplugged,
	.destroy = vccw_destroy,
};

/* --- Attachment ----------------------------------------------------------------- */

static void *vccw_mem_map(void *ctx, u64 addr, u64 len, bool write)
{
	struct sim_vccw *d = ctx;

	(void)write;
	return sim_mem_ptr(d->sim, addr, len);
}

static bool model_ok(const struct sim_virtio_model *m)
{
	if (m->device_id > 0xFF || m->nqueues > VCCW_QUEUE_LIMIT ||
	    m->config_len > VCCW_CONFIG_MAX || (m->nqueues && !m->queue_max))
		return false;
	for (unsigned q = 0; q < m->nqueues; q++)
		if (m->queue_max[q] > VRING_MAX_SIZE)
			return false;
	return true;
}

long sim_vccw_attach(struct sim *sim, const struct sim_dev_config *dev,
		     const struct sim_vccw_config *cfg, const struct sim_virtio_model *model,
		     void *ctx, struct sim_vccw **out)
{
	struct sim_dev_config id;
	struct sim_vccw *d;
	long schid;

	if (!sim || !dev || !cfg || !model || !model_ok(model) || cfg->max_revision < 0 ||
	    cfg->max_revision > VCCW_REV_MAX)
		return SIM_ERR;
	d = calloc(1, sizeof(*d));
	if (!d)
		return SIM_ERR;
	d->vq = calloc(model->nqueues ? model->nqueues : 1, sizeof(*d->vq));
	d->config = calloc(1, model->config_len ? model->config_len : 1);
	if (!d->vq || !d->config)
		goto out_free;
	d->sim = sim;
	d->cfg = *cfg;
	d->model = *model;
	d->model_given = model;
	d->ctx = ctx;
	d->revision = -1;
	d->mem.map = vccw_mem_map;
	d->mem.ctx = d;
	d->mem.size = sim_mem_size(sim);
	d->mem.base = sim_mem_ptr(sim, 0, d->mem.size);
	d->mem.base_addr = 0;

	/* The identity of virtio 1.3, 4.3.1: CU 0x3832, model = device id,
	 * device type and model 0, channel-path type 0x32. */
	id = *dev;
	id.cu_type = VCCW_CU_TYPE;
	id.cu_model = (u8)model->device_id;
	id.dev_type = 0;
	id.dev_model = 0;
	memset(id.ciw, 0, sizeof(id.ciw));
	id.senseid_len = 256;
	id.sense_len = SENSE_DATA_LEN;
	id.chpid_type = VCCW_CHPID_TYPE;
	id.initially_enabled = true;
	schid = sim_attach(sim, &id, &vccw_ops, d);
	if (schid < 0)
		goto out_free;
	d->schid = (u32)schid;
	if (out)
		*out = d;
	return schid;

out_free:
	free(d->config);
	free(d->vq);
	free(d);
	return SIM_ERR;
}

/* --- DIAGNOSE 0x500 (B.6) ----------------------------------------------------------- */

/*
 * Function 3. GPR 2's left half is ignored (virtio 1.3, 4.3.3.2); the
 * subchannel id must be well formed, visible and a virtio device, the
 * queue below 1024 and of non-zero size (newer QEMU). The model hears of
 * it only with DRIVER_OK and a queue set up (virtio 1.3, 2.1.2).
 */
static s64 diag_notify(struct sim *sim, u32 sid, u64 queue)
{
	struct sim_sch *sch;
	struct sim_vccw *d;

	if (!(sid & SCHID_ONE) || (sid & (SCHID_M | SCHID_CSSID_MASK)) ||
	    schid_ssid(sid) > sim->max_ssid)
		return -SIM_DIAG500_EINVAL;
	sch = sim_find(sim, schid_make(schid_ssid(sid), schid_schno(sid)));
	if (!sch || !sch->present || sch->ops != &vccw_ops)
		return -SIM_DIAG500_EINVAL;
	d = sch->cu;
	if (queue >= VCCW_QUEUE_LIMIT || !queue_size(d, queue))
		return -SIM_DIAG500_EINVAL;
	trace(d, "notify", (unsigned)queue);
	if ((d->status & VIRTIO_STATUS_DRIVER_OK) && d->vq[queue].ready && d->model.queue_notify)
		d->model.queue_notify(d->ctx, d, (unsigned)queue);
	return 0;
}

int sim_diag500(struct sim *sim, u64 fn, u64 schid, u64 queue, u64 cookie, s64 *r2)
{
	(void)cookie;
	switch (fn) {
	case 0:
		/* QEMU 7.2's legacy s390-virtio notify: it only checks that
		 * GPR 2 is a storage address (platforms 12.7). */
		*r2 = schid < sim_mem_size(sim) ? 0 : -SIM_DIAG500_EINVAL;
		return 0;
	case VCCW_DIAG500_NOTIFY:
		*r2 = diag_notify(sim, (u32)schid, queue);
		return 0;
	default:
		return -SIM_PGM_SPECIFICATION;
	}
}

/* --- For device models --------------------------------------------------------------- */

struct vqd *sim_vccw_vqd(struct sim_vccw *d, unsigned q)
{
	if (q >= d->model.nqueues || !d->vq[q].ready)
		return NULL;
	return &d->vq[q].vqd;
}

void *sim_vccw_map(struct sim_vccw *d, u64 addr, u64 len, bool write)
{
	return vccw_mem_map(d, addr, len, write);
}

/*
 * The injected SIM_FAULT_USED_RING: the element just published names a
 * buffer id no driver gave out (num + 7: beyond every descriptor index,
 * virtio 1.3, 2.7.8 and 2.8.21), as a broken device would write it.
 */
static void corrupt_used(struct vqd *v)
{
	u16 bad = (u16)(v->num + 7);

	if (v->packed) {
		unsigned slot = (v->p.used_slot + v->num - 1) % v->num;

		v->p.desc[slot].id = vr16_of(v->be, bad);
	} else {
		unsigned slot = (u16)(v->s.used_published - 1) % v->num;

		v->s.used->ring[slot].id = vr32_of(v->be, bad);
	}
}

void sim_vccw_queue_done(struct sim_vccw *d, unsigned q)
{
	struct vqd *v = sim_vccw_vqd(d, q);
	bool notify, pending;

	if (!v)
		return;
	/* Injected: the device did the work and goes away before it says
	 * so; nothing it used is published. */
	if (sim_fault_take(d->sim, d->schid, SIM_FAULT_GONE, 0)) {
		sim_set_present(d->sim, d->schid, false);
		return;
	}
	/* Whether this flush publishes anything (then the last element it
	 * publishes is the one just before the next used position). */
	pending = v->packed ? v->p.pend_slot != VQD_NO_PEND : v->s.used_published != v->s.used_idx;
	notify = vqd_flush(v);
	if (pending && sim_fault_take(d->sim, d->schid, SIM_FAULT_USED_RING, 0)) {
		corrupt_used(v);
		if (sim_tracing(d->sim, d->schid))
			trace(d, "used_ring_corrupted", q);
	}
	if (notify)
		signal_queue(d, q);
}

/* virtio 1.3, 4.3.3.1.1: always classic, whatever the queues use. */
void sim_vccw_config_changed(struct sim_vccw *d)
{
	if (!d->conf_ind_addr || !ind_or(d, d->conf_ind_addr, 7, 0x01, NULL))
		return;
	trace(d, "config_indicator", 0);
	sim_unsolicited(d->sim, d->schid, 0);
}

struct sim_vccw *sim_vccw_find(struct sim *sim, u32 schid)
{
	struct sim_sch *sch = sim_find(sim, schid);

	return sch && sch->ops == &vccw_ops ? sch->cu : NULL;
}

/* virtio 1.3, 2.1.2: DEVICE_NEEDS_RESET, then a configuration change. */

void sim_vccw_needs_reset(struct sim_vccw *d)
{
	d->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	sim_vccw_config_changed(d);
}

void sim_vccw_get_state(const struct sim_vccw *d, struct sim_vccw_state *out)
{
	memset(out, 0, sizeof(*out));
	out->revision = d->revision;
	out->status = d->status;
	out->driver_features = d->driver_features;
	out->adapter = d->adapter;
	out->ind_addr = d->ind_addr;
	out->conf_ind_addr = d->conf_ind_addr;
	out->summary_addr = d->summary_addr;
	out->adapter_ind_addr = d->adapter_ind_addr;
	out->bit_nr = d->bit_nr;
	out->isc = d->isc;
	for (unsigned q = 0; q < d->model.nqueues; q++)
		if (d->vq[q].ready)
			out->queues_set++;
}

void sim_vccw_get_queue(const struct sim_vccw *d, unsigned q, unsigned *num, u64 *desc, u64 *driver,
			u64 *device)
{
	const struct vccw_vq *v = q < d->model.nqueues && d->vq[q].ready ? &d->vq[q] : NULL;

	*num = v ? v->num : 0;
	*desc = v ? v->desc : 0;
	*driver = v ? v->driver : 0;
	*device = v ? v->device : 0;
}

void *sim_vccw_ctx(struct sim_vccw *d)
{
	return d->ctx;
}

const struct sim_virtio_model *sim_vccw_model(const struct sim_vccw *d)
{
	return d->model_given;
}
