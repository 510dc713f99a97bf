/*
 * virtio-ccw transport, driver side. virtio 1.3, 4.3.2 (device
 * initialization), 4.3.3 (notifications); reference/ccw-virtio-checklist.md
 * B.2-B.7 and platforms.md 12.
 */
#include "ccw/vccw.h"

#include "ccw/ioasm.h" /* diag500_notify */
#include "ccw/port.h"  /* DMA memory, clock, waits */
#include "ring/fmt.h"  /* fmt_snprintf */

/* Polling slices of wait(): interruptions are hints, indicators the truth. */
#define VCCW_SLICE_MIN_US 100u
#define VCCW_SLICE_MAX_US 10000u

/* The reserved feature bits 24 to 41 (virtio 1.3, 6): of these only the
 * ring features a driver asks for and VERSION_1 are accepted (B.8: never
 * RING_RESET or ADMIN_VQ on CCW; nothing this stack does not implement). */
#define VCCW_RESERVED_FEATURES (((u64)1 << 42) - ((u64)1 << 24))

static const struct virtio_ops vccw_ops;

struct vccw *vccw_of(struct virtio_dev *dev)
{
	/* vdev is the first member. */
	return (struct vccw *)dev;
}

const char *vccw_irq_name(enum vccw_irq_kind k)
{
	switch (k) {
	case VCCW_IRQ_CLASSIC:
		return "classic";
	case VCCW_IRQ_ADAPTER:
		return "adapter";
	default:
		return "none";
	}
}

static int fail(struct vccw *v, int err, const char *what)
{
	char why[72];

	if (v->last.err && v->last.err == err)
		fmt_snprintf(v->vdev.why, sizeof(v->vdev.why), "%s: %s", what,
			     irb_explain(&v->last, why, sizeof(why)));
	else
		fmt_snprintf(v->vdev.why, sizeof(v->vdev.why), "%s: %s", what, verr_str(err));
	return err;
}

/* One command through the channel-subsystem layer. */
static int cmd(struct vccw *v, u8 code, u8 flags, u16 count, void *data)
{
	int err;

	if (!v->dma)
		return -VERR_NOMEM;
	u32 cda;

	if (css_addr31(data, count, &cda))
		return v->last.err = -VERR_RANGE;
	v->dma->ccw = ccw1_make(code, flags, count, cda);
	err = css_run(v->css, v->schid, &v->dma->ccw, v->opts.timeout_us, &v->last);
	/*
	 * Without SLI a command that moved fewer bytes than its count ends
	 * with incorrect length (PoP 16, "Incorrect Length"), which css_run()
	 * reports. A normal ending that still leaves a residual count is not
	 * one the channel makes; take nothing of it as transferred (found by
	 * fuzz_drivers: READ_CONF so ended passed stale configuration off).
	 */
	if (!err && !(flags & CCW_FLAG_SLI) && be16_to_cpu(v->last.irb.scsw.count) != 0)
		err = v->last.err = -VERR_IO;
	return err;
}

static int write_status(struct vccw *v, u8 status)
{
	int err;

	v->dma->u.status = status;
	err = cmd(v, VCCW_CMD_WRITE_STATUS, 0, 1, &v->dma->u.status);
	if (!err)
		v->vdev.status = status;
	return err;
}

/* SET_VIRTIO_REV from the highest down, on "not supported" (B.3). */
static int set_revision(struct vccw *v)
{
	for (int rev = v->opts.max_revision; rev >= 0; rev--) {
		int err;

		v->dma->u.rev.revision = cpu_to_be16((u16)rev);
		v->dma->u.rev.length = cpu_to_be16(0);
		err = cmd(v, VCCW_CMD_SET_VIRTIO_REV, 0, sizeof(v->dma->u.rev), &v->dma->u.rev);
		if (!err) {
			v->revision = rev;
			return 0;
		}
		if (err != -VERR_NOTSUP)
			return fail(v, err, "SET_VIRTIO_REV");
	}
	return fail(v, -VERR_NOTSUP, "SET_VIRTIO_REV: no revision accepted");
}

static int read_feat(struct vccw *v, u8 index, u32 *word)
{
	int err;

	v->dma->u.feat.features = cpu_to_le32(0);
	v->dma->u.feat.index = index;
	err = cmd(v, VCCW_CMD_READ_FEAT, 0, sizeof(v->dma->u.feat), &v->dma->u.feat);
	*word = err ? 0 : le32_to_cpu(v->dma->u.feat.features);
	return err;
}

static int write_feat(struct vccw *v, u8 index, u32 word)
{
	v->dma->u.feat.features = cpu_to_le32(word);
	v->dma->u.feat.index = index;
	return cmd(v, VCCW_CMD_WRITE_FEAT, 0, sizeof(v->dma->u.feat), &v->dma->u.feat);
}

int vccw_init(struct vccw *v, struct css *css, u32 schid, unsigned virtio_id,
	      const struct vccw_options *opts)
{
	u32 lo, hi = 0;
	int err;

	memset(v, 0, sizeof(*v));
	v->vdev.ops = &vccw_ops;
	v->vdev.device_id = virtio_id;
	v->css = css;
	v->schid = schid;
	v->revision = -1;
	v->opts.max_revision = VCCW_REV_MAX;
	v->opts.timeout_us = CSS_DEFAULT_TIMEOUT_US;
	if (opts) {
		v->opts = *opts;
		if (v->opts.max_revision < 0 || v->opts.max_revision > VCCW_REV_MAX)
			v->opts.max_revision = VCCW_REV_MAX;
		if (!v->opts.timeout_us)
			v->opts.timeout_us = CSS_DEFAULT_TIMEOUT_US;
	}
	v->dma = port_dma_alloc(sizeof(*v->dma), 8);
	if (!v->dma)
		return fail(v, -VERR_NOMEM, "memory");
	for (unsigned i = 0; i < VCCW_MAX_VQS; i++) {
		v->q[i].owner = v;
		v->q[i].index = i;
	}
	/* A fresh enable unsets the revision: any command before
	 * SET_VIRTIO_REV (a probe's, say) locks QEMU into revision 0. */
	for (;;) {
		err = css_disable(css, schid);
		if (!err)
			err = css_enable(css, schid, schid);
		if (err)
			return fail(v, err, "enable");
		err = set_revision(v);
		if (err)
			return err;
		err = cmd(v, VCCW_CMD_VDEV_RESET, 0, 0, NULL);
		if (err)
			return fail(v, err, "VDEV_RESET");
		err = write_status(v, VIRTIO_STATUS_ACKNOWLEDGE);
		if (!err)
			err = write_status(v, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
		if (err)
			return fail(v, err, "WRITE_STATUS");
		hi = 0;
		err = read_feat(v, 0, &lo);
		if (!err && v->revision >= 1)
			err = read_feat(v, 1, &hi);
		if (err)
			return fail(v, err, "READ_FEAT");
		v->vdev.offered = ((u64)hi << 32) | lo;
		/* Revisions 1 and up are for virtio 1.x devices (B.3). A device
		 * that took one without offering VERSION_1 is best driven at
		 * revision 0: the revision is set once per enable, so enable
		 * afresh and ask for 0. */
		if (v->revision == 0 || (hi & 1))
			return 0;
		v->opts.max_revision = 0;
		v->vdev.status = 0;
	}
}

/* --- struct virtio_ops ---------------------------------------------------- */

static int vccw_negotiate(struct virtio_dev *dev, u64 wanted)
{
	struct vccw *v = vccw_of(dev);
	u64 accept = (wanted & ~VCCW_RESERVED_FEATURES) | (wanted & VIRTIO_RING_FEATURES) |
		     VIRTIO_BIT(VIRTIO_F_VERSION_1);
	u64 f;
	int err;

	if (v->revision >= 1 && !(dev->offered & VIRTIO_BIT(VIRTIO_F_VERSION_1))) {
		/* Revision 1 and up are virtio 1.x devices (B.3). */
		write_status(v, v->vdev.status | VIRTIO_STATUS_FAILED);
		return fail(v, -VERR_NOTSUP, "revision without VERSION_1");
	}
	if (v->revision < 1)
		accept &= ~VIRTIO_BIT(VIRTIO_F_VERSION_1);
	f = dev->offered & accept;
	/* The packed ring and in-order are virtio 1.x features. */
	if (!(f & VIRTIO_BIT(VIRTIO_F_VERSION_1)))
		f &= ~(VIRTIO_BIT(VIRTIO_F_RING_PACKED) | VIRTIO_BIT(VIRTIO_F_IN_ORDER));
	err = write_feat(v, 0, (u32)f);
	if (!err && v->revision >= 1)
		err = write_feat(v, 1, (u32)(f >> 32));
	if (err)
		return fail(v, err, "WRITE_FEAT");
	dev->features = f;
	err = write_status(v, v->vdev.status | VIRTIO_STATUS_FEATURES_OK);
	if (err == -VERR_NOTSUP) {
		write_status(v, v->vdev.status | VIRTIO_STATUS_FAILED);
		return fail(v, err, "FEATURES_OK refused");
	}
	if (err)
		return fail(v, err, "WRITE_STATUS");
	/* Revision 2 can read the status back (virtio 1.3, 4.3.2.7). */
	if (v->revision >= 2) {
		err = cmd(v, VCCW_CMD_READ_STATUS, 0, 1, &v->dma->u.status);
		if (err)
			return fail(v, err, "READ_STATUS");
		if (!(v->dma->u.status & VIRTIO_STATUS_FEATURES_OK)) {
			write_status(v, v->vdev.status | VIRTIO_STATUS_FAILED);
			return fail(v, -VERR_NOTSUP, "FEATURES_OK not kept");
		}
	}
	return 0;
}

/*
 * Whether the last command ended with incorrect length alone and its whole
 * count moved: a device with more to transfer than was asked for.
 */
static bool longer_than_asked(const struct vccw *v)
{
	const struct scsw *w = &v->last.irb.scsw;

	return v->last.err == -VERR_IO && w->cstat == SCSW_CSTAT_INCORR_LEN &&
	       !(w->dstat & (SCSW_DSTAT_UNIT_CHECK | SCSW_DSTAT_UNIT_EXCEP)) && v->last.residual == 0;
}

/*
 * A configuration command of off + len bytes, from offset 0: CCW has no
 * offset (virtio 1.3, 4.3.2.5). QEMU takes any count up to its length and
 * program-checks a longer one; a device that moves its whole space, as the
 * spec's text has it, ends a shorter count with incorrect length after
 * moving it, which is success here (checklist B.2, B.4).
 */
static int conf_cmd(struct vccw *v, u8 code, unsigned off, unsigned len, const char *what)
{
	int err;

	if (off + len > VCCW_CONFIG_MAX || off + len < off)
		return -VERR_RANGE;
	err = cmd(v, code, 0, (u16)(off + len), v->dma->config);
	if (err && longer_than_asked(v))
		err = 0;
	return err ? fail(v, err, what) : 0;
}

static int read_conf(struct vccw *v, unsigned off, unsigned len)
{
	return conf_cmd(v, VCCW_CMD_READ_CONF, off, len, "READ_CONF");
}

static int vccw_read_config(struct virtio_dev *dev, unsigned off, void *buf, unsigned len)
{
	struct vccw *v = vccw_of(dev);
	int err = read_conf(v, off, len);

	if (!err)
		memcpy(buf, v->dma->config + off, len);
	return err;
}

static int vccw_write_config(struct virtio_dev *dev, unsigned off, const void *buf, unsigned len)
{
	struct vccw *v = vccw_of(dev);
	/* The bytes before the field are written back as read. */
	int err = read_conf(v, off, len);

	if (err)
		return err;
	memcpy(v->dma->config + off, buf, len);
	return conf_cmd(v, VCCW_CMD_WRITE_CONF, off, len, "WRITE_CONF");
}

static int vccw_set_status(struct virtio_dev *dev, u8 status)
{
	struct vccw *v = vccw_of(dev);
	int err = write_status(v, status);

	return err ? fail(v, err, "WRITE_STATUS") : 0;
}

static int vccw_get_status(struct virtio_dev *dev, u8 *status)
{
	struct vccw *v = vccw_of(dev);
	int err;

	/* READ_STATUS exists from revision 2; before, the driver's own copy. */
	if (v->revision < 2) {
		*status = v->vdev.status;
		return 0;
	}
	err = cmd(v, VCCW_CMD_READ_STATUS, 0, 1, &v->dma->u.status);
	if (err)
		return fail(v, err, "READ_STATUS");
	*status = v->dma->u.status;
	return 0;
}

int vccw_queue_max(struct vccw *v, unsigned index)
{
	int err;

	v->dma->u.vq_conf.index = cpu_to_be16((u16)index);
	v->dma->u.vq_conf.num_max = cpu_to_be16(0);
	err = cmd(v, VCCW_CMD_READ_VQ_CONF, 0, sizeof(v->dma->u.vq_conf), &v->dma->u.vq_conf);
	if (err)
		return fail(v, err, "READ_VQ_CONF");
	return be16_to_cpu(v->dma->u.vq_conf.num_max);
}

unsigned vccw_config_size(struct vccw *v)
{
	unsigned lo = 0, hi = VCCW_CONFIG_MAX;

	/* The largest count that succeeds: every smaller one does too. */
	while (lo < hi) {
		unsigned mid = (lo + hi + 1) / 2;
		int err = cmd(v, VCCW_CMD_READ_CONF, 0, (u16)mid, v->dma->config);

		if (!err || longer_than_asked(v))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

int vccw_config_dump(struct vccw *v, u8 *buf, unsigned len)
{
	int err;

	if (len > VCCW_CONFIG_MAX)
		return -VERR_RANGE;
	err = read_conf(v, 0, len);
	if (!err)
		memcpy(buf, v->dma->config, len);
	return err;
}

/* The queue's notification: DIAGNOSE 0x500 with the last cookie (B.6). */
static int vccw_notify(void *ctx)
{
	struct vccw_queue *q = ctx;
	s64 rc = diag500_notify(q->owner->schid, q->index, q->cookie);

	if (rc < 0)
		return -VERR_IO;
	q->cookie = (u64)rc;
	return 0;
}

/* Memory for a queue, reused when a later setup fits in it. */
static void *queue_mem(void **slot, size_t *have, size_t want, size_t align)
{
	if (*slot && *have >= want && IS_ALIGNED((uintptr_t)*slot, align)) {
		memset(*slot, 0, want);
		return *slot;
	}
	*slot = port_dma_alloc(want, align);
	*have = *slot ? want : 0;
	return *slot;
}

static int vccw_setup_vq(struct virtio_dev *dev, unsigned index, unsigned num, struct vq **out)
{
	struct vccw *v = vccw_of(dev);
	struct vccw_queue *q;
	struct vq_layout lay;
	struct vq_config cfg;
	bool packed = virtio_has(dev, VIRTIO_F_RING_PACKED);
	bool legacy = v->revision == 0;
	int max, err;
	u8 *ring;

	if (index >= VCCW_MAX_VQS)
		return -VERR_RANGE;
	q = &v->q[index];
	max = vccw_queue_max(v, index);
	if (max < 0)
		return max;
	if (max == 0)
		return fail(v, -VERR_NODEV, "queue does not exist");
	/* Revision 0 cannot shrink a queue; later ones can (B.4). */
	if (legacy || !num || num > (unsigned)max)
		num = (unsigned)max;
	/* A split ring's size is a power of 2. */
	if (!packed)
		while (num & (num - 1))
			num &= num - 1;
	if (legacy && num != (unsigned)max)
		return fail(v, -VERR_NOTSUP, "legacy queue size not a power of 2");
	err = vq_layout(num, packed, legacy, VCCW_LEGACY_ALIGN, &lay);
	if (err)
		return fail(v, err, "queue layout");
	ring = queue_mem(&q->ring, &q->ring_size, lay.size, legacy ? VCCW_LEGACY_ALIGN : lay.align);
	memset(&cfg, 0, sizeof(cfg));
	cfg.priv = queue_mem(&q->priv, &q->priv_size, vq_priv_size(num, packed), 8);
	if (virtio_has(dev, VIRTIO_F_INDIRECT_DESC)) {
		cfg.indirect = queue_mem(&q->ind, &q->ind_size,
					 vq_indirect_size(num, VCCW_INDIRECT_MAX), 16);
		cfg.indirect_addr = cfg.indirect ? port_dma_addr(cfg.indirect) : 0;
		cfg.indirect_max = cfg.indirect ? VCCW_INDIRECT_MAX : 0;
	}
	if (!ring || !cfg.priv)
		return fail(v, -VERR_NOMEM, "queue memory");
	cfg.num = num;
	cfg.packed = packed;
	cfg.event_idx = virtio_has(dev, VIRTIO_F_EVENT_IDX);
	cfg.in_order = virtio_has(dev, VIRTIO_F_IN_ORDER);
	/* Legacy rings are guest-native: big-endian on s390x (virtio 1.3, 2.7.1.1). */
	cfg.big_endian = !virtio_modern(dev);
	cfg.desc = ring + lay.desc_off;
	cfg.driver = ring + lay.driver_off;
	cfg.device = ring + lay.device_off;
	cfg.notify = vccw_notify;
	cfg.notify_ctx = q;
	err = vq_init(&q->vq, &cfg);
	if (err)
		return fail(v, err, "queue set-up");
	if (legacy) {
		struct vccw_vq_info_legacy *l = &v->dma->u.linfo;

		l->queue = cpu_to_be64(port_dma_addr(ring));
		l->align = cpu_to_be32(VCCW_LEGACY_ALIGN);
		l->index = cpu_to_be16((u16)index);
		l->num = cpu_to_be16((u16)num);
		err = cmd(v, VCCW_CMD_SET_VQ, 0, sizeof(*l), l);
	} else {
		struct vccw_vq_info *i = &v->dma->u.info;

		i->desc = cpu_to_be64(port_dma_addr(cfg.desc));
		i->res0 = cpu_to_be32(0);
		i->index = cpu_to_be16((u16)index);
		i->num = cpu_to_be16((u16)num);
		i->driver = cpu_to_be64(port_dma_addr(cfg.driver));
		i->device = cpu_to_be64(port_dma_addr(cfg.device));
		err = cmd(v, VCCW_CMD_SET_VQ, 0, sizeof(*i), i);
	}
	if (err)
		return fail(v, err, "SET_VQ");
	q->num = num;
	q->cookie = 0;
	*out = &q->vq;
	return 0;
}

static int set_addr(struct vccw *v, u8 code, const void *p)
{
	v->dma->u.addr = cpu_to_be64(p ? port_dma_addr(p) : 0);
	return cmd(v, code, 0, sizeof(v->dma->u.addr), &v->dma->u.addr);
}

/* Adapter indicators first, classic ones when refused (B.7 step 9). */
static int vccw_setup_irq(struct virtio_dev *dev)
{
	struct vccw *v = vccw_of(dev);
	int err = -VERR_NOTSUP;

	v->dma->summary = 0;
	memset(v->dma->adapter_ind, 0, sizeof(v->dma->adapter_ind));
	v->dma->indicators = cpu_to_be64(0);
	v->dma->conf_indicators = cpu_to_be64(0);
	if (!v->opts.no_adapter) {
		struct vccw_thinint *t = &v->dma->u.thin;

		t->summary_indicator = cpu_to_be64(port_dma_addr(&v->dma->summary));
		t->indicator = cpu_to_be64(port_dma_addr(v->dma->adapter_ind));
		t->bit_nr = cpu_to_be64(0);
		t->isc = (u8)v->css->isc;
		err = cmd(v, VCCW_CMD_SET_IND_ADAPTER, 0, sizeof(*t), t);
		if (!err)
			v->irq = VCCW_IRQ_ADAPTER;
		else if (err != -VERR_NOTSUP)
			return fail(v, err, "SET_IND_ADAPTER");
	}
	if (err) {
		err = set_addr(v, VCCW_CMD_SET_IND, &v->dma->indicators);
		if (err)
			return fail(v, err, "SET_IND");
		v->irq = VCCW_IRQ_CLASSIC;
	}
	/* Configuration changes always come through the classic word. */
	err = set_addr(v, VCCW_CMD_SET_CONF_IND, &v->dma->conf_indicators);
	if (err && err != -VERR_NOTSUP)
		return fail(v, err, "SET_CONF_IND");
	return 0;
}

static int vccw_reset(struct virtio_dev *dev)
{
	struct vccw *v = vccw_of(dev);
	int err = cmd(v, VCCW_CMD_VDEV_RESET, 0, 0, NULL);

	for (unsigned i = 0; i < VCCW_MAX_VQS; i++)
		v->q[i].num = 0;
	v->irq = VCCW_IRQ_NONE;
	v->vdev.status = 0;
	v->vdev.needs_reset = false;
	v->vdev.config_changed = false;
	v->vdev.queue_signals = 0;
	return err ? fail(v, err, "VDEV_RESET") : 0;
}

/* Take every indicator bit set since the last look (B.5): bits accumulate. */
static bool scan(struct vccw *v)
{
	struct vccw_dma *d = v->dma;
	u64 queues = 0;
	bool conf;

	if (v->irq == VCCW_IRQ_ADAPTER) {
		/* The summary first, then the bits it summarises. */
		__atomic_exchange_n(&d->summary, 0, __ATOMIC_SEQ_CST);
		for (unsigned i = 0; i < sizeof(d->adapter_ind); i++) {
			u8 b = __atomic_exchange_n(&d->adapter_ind[i], 0, __ATOMIC_SEQ_CST);

			for (unsigned k = 0; k < 8; k++)
				if (b & (0x80u >> k))
					queues |= VIRTIO_BIT(8 * i + k);
		}
	} else if (v->irq == VCCW_IRQ_CLASSIC) {
		be64 w = { __atomic_exchange_n(&d->indicators.raw, 0, __ATOMIC_SEQ_CST) };

		queues = be64_to_cpu(w);
	}
	{
		be64 w = { __atomic_exchange_n(&d->conf_indicators.raw, 0, __ATOMIC_SEQ_CST) };

		conf = be64_to_cpu(w) & 1;
	}
	v->vdev.queue_signals |= queues;
	if (conf)
		v->vdev.config_changed = true;
	return queues || conf;
}

/*
 * A configuration change may be the device asking for a reset (virtio 1.3,
 * 2.1.2): from revision 2 the status says so. Before, the driver cannot
 * tell, and the device driver judges by its configuration.
 */
static void check_needs_reset(struct vccw *v)
{
	if (!v->vdev.config_changed || v->revision < 2)
		return;
	if (cmd(v, VCCW_CMD_READ_STATUS, 0, 1, &v->dma->u.status))
		return;
	if (v->dma->u.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) {
		v->vdev.needs_reset = true;
		fmt_snprintf(v->vdev.why, sizeof(v->vdev.why), "device needs a reset");
	}
}

static int vccw_wait(struct virtio_dev *dev, u64 deadline_us)
{
	struct vccw *v = vccw_of(dev);
	u64 slice = VCCW_SLICE_MIN_US;

	for (;;) {
		struct port_irq irq;
		struct irb irb;
		u64 now;

		/* Unsolicited status of this device: collect it, so the device
		 * can make it pending again for the next signal. */
		if (css_collect(v->css, v->schid, &irb) < 0)
			return fail(v, -VERR_NODEV, "device gone");
		if (scan(v)) {
			check_needs_reset(v);
			return 1;
		}
		now = port_now_us();
		if (now >= deadline_us)
			return 0;
		if (port_wait_io(MIN(deadline_us, now + slice), &irq)) {
			if (irq.schid != v->schid)
				css_note_interrupt(v->css, &irq);
		} else if (slice < VCCW_SLICE_MAX_US) {
			slice *= 2;
		}
	}
}

static const struct virtio_ops vccw_ops = {
	.negotiate = vccw_negotiate,
	.read_config = vccw_read_config,
	.write_config = vccw_write_config,
	.set_status = vccw_set_status,
	.get_status = vccw_get_status,
	.setup_vq = vccw_setup_vq,
	.setup_irq = vccw_setup_irq,
	.reset = vccw_reset,
	.wait = vccw_wait,
};

int vccw_teardown(struct vccw *v)
{
	/* Indicators off, queues off, then the reset (B.7 step 11). */
	if (v->irq == VCCW_IRQ_CLASSIC)
		set_addr(v, VCCW_CMD_SET_IND, NULL);
	set_addr(v, VCCW_CMD_SET_CONF_IND, NULL);
	return vccw_reset(&v->vdev);
}
