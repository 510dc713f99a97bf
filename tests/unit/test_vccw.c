/*
 * ccw/vccw.c, the virtio-ccw transport's driver side, against the
 * simulated control unit (sim/vccw.c) through the host port: the
 * negotiation matrix, faults on each setup command, notifications.
 */
#include <string.h>

#include "boot/host/host.h"
#include "ccw/vccw.h"
#include "sim/vdev.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"

#define RIG_MEM (8u << 20)

struct rig {
	struct sim *sim;
	struct css css;
	struct vccw *v;
	u32 schid;
	u32 other;      /* a second virtio-rng, at devno 0x0005 */
};

/* A machine with a virtio-rng device on the given transport; bound to the port. */
static bool rig_init(struct rig *r, enum sim_profile profile, const struct sim_vccw_config *t)
{
	struct sim_dev_config dev;
	struct sim_rng_opts ro = { .seeded = true, .seed = 42 };
	long schid;

	memset(r, 0, sizeof(*r));
	r->sim = drvrig_machine(profile, SIM_COMPLETE_SYNC, RIG_MEM, true);
	if (!r->sim)
		return false;
	dev = unit_dev(0x0004);
	schid = sim_vdev_rng(r->sim, &dev, t, &ro);
	if (schid < 0)
		return false;
	r->schid = (u32)schid;
	dev.devno = 0x0005;
	schid = sim_vdev_rng(r->sim, &dev, t, &ro);
	if (schid < 0)
		return false;
	r->other = (u32)schid;
	if (!drvrig_bind(r->sim, &r->css))
		return false;
	r->v = drvrig_transport();
	return r->v != NULL;
}

static void rig_fini(struct rig *r)
{
	drvrig_close(&r->sim);
}

/* Fill a 64-byte buffer through queue 0; 1 when it came back full. */
static int fill_once(struct virtio_dev *dev, struct vq *vq)
{
	u8 *buf = port_dma_alloc(64, 8);
	struct vq_buf b = { port_dma_addr(buf), 64 };
	u64 deadline = port_now_us() + 1000000;
	void *tok;
	u32 len;
	int rc;

	if (!buf || vq_add(vq, &b, 0, 1, buf) || vq_kick(vq))
		return -1;
	while ((rc = vq_get_used(vq, &tok, &len)) == 0 && port_now_us() < deadline)
		dev->ops->wait(dev, deadline);
	return rc == 1 && tok == buf && len == 64;
}

/* Full bring-up of the device on schid: init, negotiate, queue 0, indicators, DRIVER_OK. */
static int bring_up_on(struct rig *r, struct vccw *v, u32 schid, const struct vccw_options *o,
		       struct vq **vq)
{
	struct virtio_dev *dev = vccw_virtio(v);
	int err = vccw_init(v, &r->css, schid, VIRTIO_ID_RNG, o);

	if (!err)
		err = dev->ops->negotiate(dev, VIRTIO_RING_FEATURES);
	if (!err)
		err = dev->ops->setup_vq(dev, 0, 0, vq);
	if (!err)
		err = dev->ops->setup_irq(dev);
	if (!err)
		err = dev->ops->set_status(dev, dev->status | VIRTIO_STATUS_DRIVER_OK);
	return err;
}

static int bring_up(struct rig *r, const struct vccw_options *o, struct vq **vq)
{
	return bring_up_on(r, r->v, r->schid, o, vq);
}

static struct sim_vccw_state dev_state(struct rig *r, u32 schid)
{
	struct sim_vccw_state st;
	struct sim_vccw *d = sim_vccw_find(r->sim, schid);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	sim_vccw_get_state(d, &st);
	return st;
}

/*
 * The matrix: maximum revision x offered VERSION_1, EVENT_IDX,
 * INDIRECT_DESC, RING_PACKED x adapter or classic indicators, in each
 * profile. In every cell the driver reaches the best common setting and a
 * buffer moves.
 */
static void test_negotiation_matrix(enum sim_profile p)
{
	unsigned cells = 0;

	for (int rev = 0; rev <= 2; rev++)
		for (unsigned f = 0; f < 16; f++)
			for (int adapter = 0; adapter < 2; adapter++) {
				struct sim_vccw_config t;
				struct rig r;
				struct vq *vq = NULL;
				struct virtio_dev *dev;
				u64 want;
				int want_rev, err;

				sim_vdev_default_transport(&t);
				t.max_revision = rev;
				t.version_1 = f & 1;
				t.event_idx = f & 2;
				t.indirect_desc = f & 4;
				t.ring_packed = f & 8;
				t.adapter = adapter;
				CU_ASSERT_FATAL(rig_init(&r, p, &t));
				dev = vccw_virtio(r.v);
				err = bring_up(&r, NULL, &vq);
				CU_ASSERT_EQUAL(err, 0);
				if (err) {
					fprintf(stderr, "cell p%d r%d f%x a%d: %s\n", (int)p, rev,
						f, adapter, dev->why);
					rig_fini(&r);
					continue;
				}
				/* Revisions 1 and 2 need VERSION_1. */
				want_rev = t.version_1 ? rev : 0;
				CU_ASSERT_EQUAL(r.v->revision, want_rev);
				want = 0;
				if (t.version_1 && want_rev >= 1)
					want |= VIRTIO_BIT(VIRTIO_F_VERSION_1);
				if (t.event_idx)
					want |= VIRTIO_BIT(VIRTIO_F_EVENT_IDX);
				if (t.indirect_desc)
					want |= VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC);
				/* The packed ring is a virtio 1.x feature. */
				if (t.ring_packed && (want & VIRTIO_BIT(VIRTIO_F_VERSION_1)))
					want |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
				CU_ASSERT_EQUAL(dev->features, want);
				CU_ASSERT_EQUAL(r.v->irq, adapter ? VCCW_IRQ_ADAPTER : VCCW_IRQ_CLASSIC);
				CU_ASSERT_EQUAL(vq->packed, (want >> VIRTIO_F_RING_PACKED) & 1);
				CU_ASSERT_EQUAL(vq->be, !(want & VIRTIO_BIT(VIRTIO_F_VERSION_1)));
				CU_ASSERT_EQUAL(fill_once(dev, vq), 1);
				CU_ASSERT_EQUAL(vccw_teardown(r.v), 0);
				rig_fini(&r);
				cells++;
			}
	CU_ASSERT_EQUAL(cells, 3 * 16 * 2);
}
BOTH_PROFILES(test_negotiation_matrix)

/*
 * A device brought up with adapter or classic indicators, and a 16-byte
 * buffer posted on queue 0 with its notification wanted: the device has
 * used it and set its indicator bit by the time this returns.
 */
static void up_and_post(struct rig *r, bool adapter, struct vq **vq)
{
	struct sim_vccw_config t;
	struct vccw_options o = { 2, !adapter, 0 };
	u8 *buf;
	struct vq_buf b;

	sim_vdev_default_transport(&t);
	CU_ASSERT_FATAL(rig_init(r, SIM_PROFILE_QEMU, &t));
	CU_ASSERT_EQUAL_FATAL(bring_up(r, &o, vq), 0);
	CU_ASSERT_EQUAL(r->v->irq, adapter ? VCCW_IRQ_ADAPTER : VCCW_IRQ_CLASSIC);
	buf = port_dma_alloc(16, 8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	b = (struct vq_buf){ port_dma_addr(buf), 16 };
	CU_ASSERT(vq_enable_cb(*vq));
	CU_ASSERT_EQUAL(vq_add(*vq, &b, 0, 1, buf), 0);
	CU_ASSERT_EQUAL(vq_kick(*vq), 0);
	vccw_virtio(r->v)->queue_signals = 0;
}

/* The device's used-buffer signal arrives through the indicators. */
static void test_signals(void)
{
	for (int adapter = 0; adapter < 2; adapter++) {
		struct rig r;
		struct vq *vq;
		struct virtio_dev *dev;

		up_and_post(&r, adapter, &vq);
		dev = vccw_virtio(r.v);
		CU_ASSERT_EQUAL(dev->ops->wait(dev, port_now_us() + 100000), 1);
		CU_ASSERT_EQUAL(dev->queue_signals, 1u);
		CU_ASSERT_FALSE(dev->config_changed);
		/* Once taken, the bits are gone. */
		CU_ASSERT_EQUAL(dev->ops->wait(dev, port_now_us() + 1000), 0);
		rig_fini(&r);
	}
}

/* A notification the hypervisor refuses breaks the queue. */
static void test_notify_refused(void)
{
	struct sim_vccw_config t;
	struct rig r;
	struct vq *vq;
	struct vq_buf b = { 0, 0 };
	u8 *buf;

	sim_vdev_default_transport(&t);
	CU_ASSERT_FATAL(rig_init(&r, SIM_PROFILE_QEMU, &t));
	CU_ASSERT_EQUAL_FATAL(bring_up(&r, NULL, &vq), 0);
	buf = port_dma_alloc(16, 8);
	b = (struct vq_buf){ port_dma_addr(buf), 16 };
	/* The device goes away: DIAGNOSE 0x500 answers -EINVAL. */
	sim_set_present(r.sim, r.schid, false);
	CU_ASSERT_EQUAL(vq_add(vq, &b, 0, 1, buf), 0);
	CU_ASSERT_EQUAL(vq_kick(vq), -VERR_BROKEN);
	CU_ASSERT(vq_broken(vq));
	CU_ASSERT_EQUAL(vq->fault, VQ_FAULT_NOTIFY);
	rig_fini(&r);
}

/* The configuration space, in the device's byte order, legacy and modern. */
static void test_config(enum sim_profile p)
{
	for (int k = 0; k < 2; k++) {
		bool modern = k & 1;
		/* QEMU moves a shorter count as asked; a strict device ends it
		 * with incorrect length after moving it: both are success. */
			struct sim_vccw_config t;
		struct sim_dev_config dev;
		struct sim_blk_opts bo = { .size = 4u << 20, .serial = "serial-1" };
		struct virtio_dev *vd;
		struct rig r;
		u64 cap;
		u32 blk_size;
		long schid;

		memset(&r, 0, sizeof(r));
		r.sim = drvrig_machine(p, SIM_COMPLETE_SYNC, RIG_MEM, true);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r.sim);
		sim_vdev_default_transport(&t);
		t.max_revision = modern ? 2 : 0;
		dev = unit_dev(0);
		schid = sim_vdev_blk(r.sim, &dev, &t, &bo, NULL);
		CU_ASSERT_FATAL(schid >= 0);
		CU_ASSERT_FATAL(drvrig_bind(r.sim, &r.css));
		r.v = drvrig_transport();
		vd = vccw_virtio(r.v);
		CU_ASSERT_EQUAL_FATAL(vccw_init(r.v, &r.css, (u32)schid, VIRTIO_ID_BLOCK, NULL), 0);
		CU_ASSERT_EQUAL_FATAL(vd->ops->negotiate(vd, VIRTIO_RING_FEATURES), 0);
		CU_ASSERT_EQUAL(virtio_modern(vd), modern);
		CU_ASSERT_EQUAL(virtio_cread64(vd, 0, &cap), 0);
		CU_ASSERT_EQUAL(cap, (4u << 20) / 512);
		CU_ASSERT_EQUAL(virtio_cread32(vd, 20, &blk_size), 0);
		CU_ASSERT_EQUAL(blk_size, 512u);
		/* Beyond the configuration space: an error, not a crash. */
		CU_ASSERT_NOT_EQUAL(virtio_cread32(vd, 200, &blk_size), 0);
		CU_ASSERT_EQUAL(blk_size, 0u);
		rig_fini(&r);
	}
}
BOTH_PROFILES(test_config)

/* The setup commands, in the order the bring-up issues them. */
static const struct {
	u8 cmd;
	const char *name;
} setup_cmds[] = {
	{ VCCW_CMD_SET_VIRTIO_REV, "SET_VIRTIO_REV" },
	{ VCCW_CMD_VDEV_RESET, "VDEV_RESET" },
	{ VCCW_CMD_WRITE_STATUS, "WRITE_STATUS" },
	{ VCCW_CMD_READ_FEAT, "READ_FEAT" },
	{ VCCW_CMD_WRITE_FEAT, "WRITE_FEAT" },
	{ VCCW_CMD_READ_STATUS, "READ_STATUS" },
	{ VCCW_CMD_READ_VQ_CONF, "READ_VQ_CONF" },
	{ VCCW_CMD_SET_VQ, "SET_VQ" },
	{ VCCW_CMD_SET_IND_ADAPTER, "SET_IND_ADAPTER" },
	{ VCCW_CMD_SET_CONF_IND, "SET_CONF_IND" },
};

enum fault_kind { F_REJECT, F_UNIT_CHECK, F_CC3, F_LOST_INT, F__COUNT };

/*
 * Each setup command x command reject, other unit check, cc 3 and a lost
 * interruption: the bring-up either recovers (a buffer moves) or fails
 * with an error and a reason, bounded in time; and the device comes up
 * cleanly afterwards.
 */
static void test_setup_faults(void)
{
	for (size_t c = 0; c < ARRAY_SIZE(setup_cmds); c++) {
		for (int k = 0; k < F__COUNT; k++) {
			struct sim_vccw_config t;
			struct sim_vccw_state st;
			struct sim_fault f;
			struct rig r;
			struct vccw *w;
			struct vq *vq = NULL, *wq = NULL;
			struct virtio_dev *dev;
			int err;

			sim_vdev_default_transport(&t);
			CU_ASSERT_FATAL(rig_init(&r, SIM_PROFILE_QEMU, &t));
			/* A bystander, up and running before the trouble. */
			w = port_dma_alloc(sizeof(*w), 8);
			CU_ASSERT_PTR_NOT_NULL_FATAL(w);
			CU_ASSERT_EQUAL_FATAL(bring_up_on(&r, w, r.other, NULL, &wq), 0);
			memset(&f, 0, sizeof(f));
			f.schid = r.schid;
			f.cmd = setup_cmds[c].cmd;
			switch (k) {
			case F_REJECT:
				f.kind = SIM_FAULT_UNIT_CHECK;
				f.sense[0] = SENSE0_CMD_REJECT;
				break;
			case F_UNIT_CHECK:
				f.kind = SIM_FAULT_UNIT_CHECK;
				f.sense[0] = SENSE0_EQUIPMENT_CHECK;
				break;
			case F_CC3:
				f.kind = SIM_FAULT_CC;
				f.insn = SIM_INSN_SSCH;
				f.cc = 3;
				break;
			default:
				f.kind = SIM_FAULT_LOSE_INT;
				f.cmd = 0;
				break;
			}
			CU_ASSERT_EQUAL_FATAL(sim_fault_add(r.sim, &f), 0);
			dev = vccw_virtio(r.v);
			err = bring_up(&r, NULL, &vq);
			if (err) {
				/* A clean failure: an error code and the command that failed. */
				CU_ASSERT(err < 0);
				CU_ASSERT_PTR_NOT_NULL(strstr(dev->why, setup_cmds[c].name));
				/* Given up: the device is reset and holds nothing of ours. */
				sim_fault_clear(r.sim);
				CU_ASSERT_EQUAL(virtio_abandon(dev), 0);
				CU_ASSERT_PTR_NOT_NULL(strstr(dev->why, setup_cmds[c].name));
				st = dev_state(&r, r.schid);
				CU_ASSERT_EQUAL(st.status, 0);
				CU_ASSERT_EQUAL(st.queues_set, 0u);
				CU_ASSERT_FALSE(st.adapter);
				CU_ASSERT_EQUAL(st.ind_addr | st.conf_ind_addr | st.summary_addr, 0);
			} else {
				CU_ASSERT_EQUAL(fill_once(dev, vq), 1);
			}
			/* Faults that only cost a retry or a fallback must recover. */
			if (k == F_LOST_INT ||
			    (k == F_REJECT && (setup_cmds[c].cmd == VCCW_CMD_SET_VIRTIO_REV ||
					       setup_cmds[c].cmd == VCCW_CMD_SET_IND_ADAPTER ||
					       setup_cmds[c].cmd == VCCW_CMD_SET_CONF_IND)))
				CU_ASSERT_EQUAL(err, 0);
			if (k == F_CC3 || (k == F_UNIT_CHECK && setup_cmds[c].cmd != VCCW_CMD_READ_STATUS))
				CU_ASSERT_NOT_EQUAL(err, 0);
			/* Bounded: the virtual clock never reached a timeout. */
			CU_ASSERT(host_clock_us() < 10u * CSS_DEFAULT_TIMEOUT_US);
			/* The bystander noticed nothing. */
			st = dev_state(&r, r.other);
			CU_ASSERT(st.status & VIRTIO_STATUS_DRIVER_OK);
			CU_ASSERT_EQUAL(fill_once(vccw_virtio(w), wq), 1);
			/* And the device comes up cleanly afterwards. */
			sim_fault_clear(r.sim);
			CU_ASSERT_EQUAL(bring_up(&r, NULL, &vq), 0);
			CU_ASSERT_EQUAL(fill_once(dev, vq), 1);
			rig_fini(&r);
		}
	}
}

/* DEVICE_NEEDS_RESET comes as a configuration change; from revision 2 the
 * driver reads the status and says so. A reset and a new bring-up recover. */
static void test_needs_reset(void)
{
	for (int rev = 0; rev <= 2; rev++) {
		struct sim_vccw_config t;
		struct rig r;
		struct vq *vq;
		struct virtio_dev *dev;
		struct vccw_options o = { rev, false, 0 };
		struct sim_vccw *d;

		sim_vdev_default_transport(&t);
		CU_ASSERT_FATAL(rig_init(&r, SIM_PROFILE_QEMU, &t));
		dev = vccw_virtio(r.v);
		CU_ASSERT_EQUAL_FATAL(bring_up(&r, &o, &vq), 0);
		d = sim_vccw_find(r.sim, r.schid);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		/* A plain configuration change first. */
		sim_vccw_config_changed(d);
		CU_ASSERT_EQUAL(dev->ops->wait(dev, port_now_us() + 100000), 1);
		CU_ASSERT(dev->config_changed);
		CU_ASSERT_FALSE(dev->needs_reset);
		CU_ASSERT_EQUAL(dev->queue_signals, 0u);
		dev->config_changed = false;
		sim_vccw_needs_reset(d);
		CU_ASSERT_EQUAL(dev->ops->wait(dev, port_now_us() + 100000), 1);
		CU_ASSERT(dev->config_changed);
		CU_ASSERT_EQUAL(dev->needs_reset, rev >= 2);
		CU_ASSERT_EQUAL(dev->ops->reset(dev), 0);
		CU_ASSERT_FALSE(dev->needs_reset);
		CU_ASSERT_EQUAL(dev_state(&r, r.schid).status, 0);
		CU_ASSERT_EQUAL(bring_up(&r, &o, &vq), 0);
		CU_ASSERT_EQUAL(fill_once(dev, vq), 1);
		rig_fini(&r);
	}
}

/* Every indicator bit set between two looks is taken at once. */
static void test_bits_accumulate(void)
{
	for (int adapter = 0; adapter < 2; adapter++) {
		struct rig r;
		struct vq *vq;
		struct virtio_dev *dev;
		struct sim_vccw *d;

		/* A used buffer and a configuration change, before anyone looks. */
		up_and_post(&r, adapter, &vq);
		dev = vccw_virtio(r.v);
		d = sim_vccw_find(r.sim, r.schid);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		sim_vccw_config_changed(d);
		CU_ASSERT_EQUAL(dev->ops->wait(dev, port_now_us() + 100000), 1);
		CU_ASSERT_EQUAL(dev->queue_signals, 1u);
		CU_ASSERT(dev->config_changed);
		dev->queue_signals = 0;
		dev->config_changed = false;
		CU_ASSERT_EQUAL(dev->ops->wait(dev, port_now_us() + 1000), 0);
		CU_ASSERT_EQUAL(dev->queue_signals, 0u);
		rig_fini(&r);
	}
}

static CU_TestInfo vccw_tests[] = {
	BOTH("every cell of the negotiation matrix reaches the best common setting", test_negotiation_matrix),
	{ "used buffers are signalled through adapter and classic indicators", test_signals },
	{ "a refused notification breaks the queue", test_notify_refused },
	BOTH("configuration reads follow the device's byte order and stay in bounds", test_config),
	{ "faults on each setup command recover or fail cleanly, then it comes up", test_setup_faults },
	{ "DEVICE_NEEDS_RESET is noticed from revision 2 and a reset recovers", test_needs_reset },
	{ "queue and configuration bits set together are taken together", test_bits_accumulate },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vccw_suite = { "vccw", NULL, NULL, NULL, NULL, vccw_tests };
