/*
 * Fuzzer 2: the simulated virtio-ccw control unit (sim/vccw.c) and the
 * device models behind it (sim/dev_blk.c on a small memory disk,
 * sim/dev_rng.c), driven by arbitrary channel programs and queue
 * notifications.
 *
 * The input chooses the machine (profile, completion mode, each device's
 * transport: revision, transitional, ring features, adapter indicators)
 * and then a bounded sequence of operations: channel programs of up to
 * MAX_CCWS commands (virtio-ccw codes, the channel subsystem's own, or any
 * byte), with any flags and counts, their payloads placed in guest memory
 * at the data address, which lies in guest memory, at its edges or
 * anywhere; SSCH, completion, TSCH; DIAGNOSE 0x500 notifications of any
 * queue; descriptors, indirect tables, available entries and raw bytes
 * written into the rings the device was told about; the other I/O
 * instructions; injected faults; the device going away and coming back.
 *
 * Guest memory is one allocation of its exact size, so AddressSanitizer
 * sees the simulator step outside it. The fuzzer checks that every
 * instruction answers with a condition code or a program exception the
 * architecture has, and that DIAGNOSE 0x500 returns what sim/vccw.h says.
 * Every loop here is bounded; the simulator's own (CCWs per program, chains
 * per notification) are what the timeout watches.
 */
#include "ccw/css_hw.h"
#include "ccw/vccw_hw.h"
#include "ring/virtio.h"
#include "sim/vdev.h"
#include "tests/fuzz/fuzz.h"

/* Guest memory. */
#define MEM	   0x40000u
#define ORB_AT	   0x1000u
#define IRB_AT	   0x1100u
#define SCHIB_AT   0x1200u
#define TPI_AT	   0x1300u
#define CRW_AT	   0x1340u
#define PROG_AT	   0x2000u /* the channel program */
#define IDAW_AT	   0x2800u
#define PAYLOAD_AT 0x3000u  /* CCW i's data by default: PAYLOAD_AT + 0x100 * i */
#define IND_AT	   0x7000u  /* indicators */
#define RING_AT	   0x8000u  /* device k's default ring: RING_AT + 0x4000 * k */
#define DATA_AT	   0x10000u /* buffers and indirect tables */

#define NDEV	  2u /* 0: virtio-blk, 1: virtio-rng */
#define MAX_OPS	  96u
#define MAX_CCWS  8u
#define MAX_STEPS 4096u /* sim_progress() calls to finish a deferred program */
#define MAX_INTS  64u
#define DISK	  0x10000u

struct rig {
	struct sim *sim;
	u32 schid[NDEV];
	bool deferred;
};

/* An n-byte number in guest memory's order: little- or big-endian. */
static void put_n(u8 *p, unsigned n, u64 v, bool le)
{
	for (unsigned i = 0; i < n; i++)
		p[le ? i : n - 1 - i] = (u8)(v >> (8 * i));
}

static u64 get_n(const u8 *p, unsigned n, bool le)
{
	u64 v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[le ? n - 1 - i : i];
	return v;
}

/* Every instruction answers with a cc or a program exception it may raise. */
static void check_rc(int rc)
{
	if (!SIM_IS_PGM(rc)) {
		FUZZ_CHECK(rc <= 3);
		return;
	}
	switch (SIM_PGM_CODE(rc)) {
	case SIM_PGM_OPERATION:
	case SIM_PGM_PRIVILEGED:
	case SIM_PGM_ADDRESSING:
	case SIM_PGM_SPECIFICATION:
	case SIM_PGM_OPERAND:
		return;
	default:
		FUZZ_CHECK(!"an unknown program-interruption code");
	}
}

static void mem_put(struct rig *r, u64 addr, const void *buf, u64 len)
{
	if (addr >= MEM)
		return;
	len = MIN(len, (u64)MEM - addr);
	FUZZ_CHECK(sim_mem_write(r->sim, addr, buf, len));
}

static void mem_put16(struct rig *r, u64 addr, u16 v, bool le)
{
	u8 b[2];

	put_n(b, 2, v, le);
	mem_put(r, addr, b, 2);
}

/* The subchannel an operation names: one of ours, or any word. */
static u32 pick_schid(struct rig *r, struct fin *f, u8 b)
{
	if (b & 0x80)
		return fin_u32(f);
	return r->schid[b & 1];
}

/* Take every pending interruption, as the CPU would. */
static void drain(struct rig *r)
{
	struct sim_io_int i;

	for (unsigned n = 0; n < MAX_INTS && sim_take_io_interrupt(r->sim, &i); n++)
		;
}

static void progress(struct rig *r, unsigned max)
{
	for (unsigned n = 0; n < max && sim_progress(r->sim); n++)
		;
}

/* --- Channel programs ---------------------------------------------------------- */

static const u8 commands[] = {
	VCCW_CMD_SET_VQ,
	VCCW_CMD_VDEV_RESET,
	VCCW_CMD_SET_IND,
	VCCW_CMD_SET_CONF_IND,
	VCCW_CMD_SET_IND_ADAPTER,
	VCCW_CMD_READ_FEAT,
	VCCW_CMD_WRITE_FEAT,
	VCCW_CMD_READ_CONF,
	VCCW_CMD_WRITE_CONF,
	VCCW_CMD_WRITE_STATUS,
	VCCW_CMD_READ_VQ_CONF,
	VCCW_CMD_SET_VIRTIO_REV,
	VCCW_CMD_READ_STATUS,
	CCW_CMD_WRITE_NOOP,
	CCW_CMD_BASIC_SENSE,
	CCW_CMD_SENSE_ID,
	CCW_CMD_TIC,
};

static u8 pick_cmd(struct fin *f)
{
	u8 c = fin_u8(f);

	return c < 0xF0 ? commands[c % ARRAY_SIZE(commands)] : fin_u8(f);
}

/* IDAWs at IDAW_AT: format 2 (64-bit) or format 1 (31-bit). */
static void put_idaws(struct rig *r, struct fin *f, bool fmt2)
{
	unsigned n = 1 + fin_u8(f) % 4;

	for (unsigned i = 0; i < n; i++) {
		u8 m = fin_u8(f);
		u64 a;
		u8 b[8];

		switch (m % 4) {
		case 0:
			a = PAYLOAD_AT + 16u * fin_u8(f);
			break;
		case 1:
			a = MEM - (fmt2 ? 0x1000u : 0x800u) + fin_u8(f) % 2;
			break;
		case 2:
			a = DATA_AT + 0x800u * (fin_u8(f) % 32);
			break;
		default:
			a = fin_u64(f);
			break;
		}
		put_n(b, fmt2 ? 8 : 4, a, false);
		mem_put(r, IDAW_AT + (fmt2 ? 8u : 4u) * i, b, fmt2 ? 8 : 4);
	}
}

/* A CCW's data address: in guest memory, at its edges, or anywhere. */
static u32 pick_cda(struct rig *r, struct fin *f, unsigned i, u16 count, u8 dev, u32 ctrl)
{
	u8 m = fin_u8(f);

	switch (m % 8) {
	case 0:
		return PAYLOAD_AT + 0x100u * i + (m >> 3);
	case 1:
		return MEM - count;
	case 2:
		return MEM - count + 1 + fin_u8(f) % 8;
	case 3:
		return 0;
	case 4:
		return fin_u32(f);
	case 5:
		put_idaws(r, f, ctrl & ORB_CTRL_C64);
		return IDAW_AT;
	case 6:
		return RING_AT + 0x4000u * dev + 0x1000u * (fin_u8(f) % 3);
	default:
		return MEM - (m >> 3) % 2;
	}
}

static void program(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f);
	u32 schid = pick_schid(r, f, b);
	unsigned n = 1 + (b >> 1) % MAX_CCWS;
	u8 oc = fin_u8(f);
	u32 ctrl, cpa = PROG_AT;
	struct orb orb;
	int rc;

	if (oc & 0x80) {
		ctrl = fin_u32(f);
	} else {
		/* Format-1 CCWs, path 0x80, and a few of the other bits. */
		ctrl = ORB_CTRL_FMT | 0x80u << ORB_CTRL_LPM_SHIFT;
		ctrl |= oc & 1 ? ORB_CTRL_SPND : 0;
		ctrl |= oc & 2 ? ORB_CTRL_PFCH : 0;
		ctrl |= oc & 4 ? ORB_CTRL_C64 : 0;
		ctrl ^= oc & 8 ? ORB_CTRL_FMT : 0;
		ctrl |= oc & 16 ? ORB_CTRL_ISIC : 0;
	}
	if (oc & 0x40)
		cpa = fin_u32(f);
	for (unsigned i = 0; i < n; i++) {
		u8 cmd = pick_cmd(f), flags = fin_u8(f), c = fin_u8(f);
		u16 count = c == 0xFF ? fin_u16(f) : c;
		u32 cda = pick_cda(r, f, i, count, b & 1, ctrl);
		u8 plen = fin_u8(f) % 65, payload[64];
		u8 ccw[8];

		fin_bytes(f, payload, plen);
		if (plen && !(flags & CCW_FLAG_IDA))
			mem_put(r, cda, payload, plen);
		if (ctrl & ORB_CTRL_FMT) {
			struct ccw1 c1 = ccw1_make(cmd, flags, count, cda);

			memcpy(ccw, &c1, 8);
		} else {
			struct ccw0 c0 = ccw0_make(cmd, flags, count, cda);

			memcpy(ccw, &c0, 8);
		}
		mem_put(r, PROG_AT + 8u * i, ccw, 8);
	}
	memset(&orb, 0, sizeof(orb));
	orb.intparm = cpu_to_be32(0xF0220000u | n);
	orb.ctrl = cpu_to_be32(ctrl);
	orb.cpa = cpu_to_be32(cpa);
	mem_put(r, ORB_AT, &orb, sizeof(orb));
	rc = sim_ssch(r->sim, schid, ORB_AT);
	check_rc(rc);
	if (r->deferred)
		progress(r, MAX_STEPS);
	if (!(b & 0x40))
		check_rc(sim_tsch(r->sim, schid, IRB_AT));
	drain(r);
}

/* --- Queues --------------------------------------------------------------------- */

struct ring {
	unsigned num;
	u64 desc, driver, device;
	bool packed, le;
};

/* Queue 0 of device k as the device sees it, or its default place. */
static void ring_of(struct rig *r, unsigned k, struct ring *g)
{
	struct sim_vccw *d = sim_vccw_find(r->sim, r->schid[k]);
	struct sim_vccw_state st;

	memset(g, 0, sizeof(*g));
	if (d) {
		sim_vccw_get_queue(d, 0, &g->num, &g->desc, &g->driver, &g->device);
		sim_vccw_get_state(d, &st);
		g->le = st.driver_features & VIRTIO_BIT(VIRTIO_F_VERSION_1);
		g->packed = st.driver_features & VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	}
	if (!g->num) {
		g->num = 8;
		g->desc = RING_AT + 0x4000u * k;
		g->driver = g->desc + 0x1000u;
		g->device = g->desc + 0x2000u;
	}
}

/* A buffer address: in the data area, at the edges of memory, on the rings. */
static u64 pick_buf(struct fin *f, u32 len, const struct ring *g)
{
	u8 m = fin_u8(f);

	switch (m % 8) {
	case 0:
		return DATA_AT + fin_u16(f) % (MEM - DATA_AT);
	case 1:
		return (u64)MEM - MIN(len, MEM);
	case 2:
		return (u64)MEM - MIN(len, MEM) + 1 + fin_u8(f) % 4;
	case 3:
		return fin_u64(f);
	case 4:
		return (m & 8 ? g->device : g->desc) + fin_u8(f);
	case 5:
		return DATA_AT + 16u * fin_u8(f) + (m >> 3) % 2;
	case 6:
		return 0;
	default:
		return IND_AT;
	}
}

/* Lengths: small, sectors, or any. */
static u32 pick_len(struct fin *f)
{
	u8 l = fin_u8(f);

	if (l < 0xC0)
		return l;
	if (l < 0xF0)
		return (l - 0xC0u) * 512u;
	return fin_u32(f);
}

/* A descriptor in the ring's layout and byte order, in the ring or in an
 * indirect table in the data area. */
static void put_desc(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f);
	struct ring g;
	u32 len;
	u64 addr, at;
	u8 fl, d[16];
	u16 flags, ix;

	ring_of(r, b & 1, &g);
	if (b & 2)
		at = DATA_AT + 16u * fin_u8(f) + (b & 4 ? 8 : 0);
	else
		at = g.desc + 16u * (fin_u8(f) % g.num);
	len = pick_len(f);
	addr = pick_buf(f, len, &g);
	fl = fin_u8(f);
	flags = (u16)((fl & 7) | (fl & 8 ? VRING_PACKED_DESC_F_AVAIL : 0) |
		      (fl & 16 ? VRING_PACKED_DESC_F_USED : 0));
	ix = fin_u8(f);
	if (ix == 0xFF)
		ix = fin_u16(f);
	put_n(d, 8, addr, g.le);
	put_n(d + 8, 4, len, g.le);
	if (g.packed) {
		put_n(d + 12, 2, ix, g.le);
		put_n(d + 14, 2, flags, g.le);
	} else {
		put_n(d + 12, 2, flags, g.le);
		put_n(d + 14, 2, ix, g.le);
	}
	mem_put(r, at, d, 16);
}

/* Split: one more available entry (published or not). Packed: a slot's
 * AVAIL and USED bits for either lap. */
static void put_avail(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f);
	struct ring g;
	u8 v[2];

	ring_of(r, b & 1, &g);
	if (g.packed) {
		u64 at = g.desc + 16u * (fin_u8(f) % g.num) + 14;
		u16 flags;

		FUZZ_CHECK(sim_mem_read(r->sim, at, v, 2));
		flags = (u16)get_n(v, 2, g.le) &
			(u16) ~(VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED);
		flags |= b & 2 ? VRING_PACKED_DESC_F_AVAIL : VRING_PACKED_DESC_F_USED;
		mem_put16(r, at, flags, g.le);
		return;
	}
	{
		u16 head = fin_u8(f), idx;

		FUZZ_CHECK(sim_mem_read(r->sim, g.driver + 2, v, 2));
		idx = (u16)get_n(v, 2, g.le);
		mem_put16(r, g.driver + 4 + 2u * (idx % g.num), head, g.le);
		if (!(b & 2))
			mem_put16(r, g.driver + 2, (u16)(idx + 1), g.le);
	}
}

/* A virtio-blk request header in the data area, in the device's order. */
static void put_blk_header(struct rig *r, struct fin *f)
{
	struct ring g;
	u8 h[16];
	u8 t = fin_u8(f);
	u32 type = t < 0xF0 ? (u32[]){ 0, 1, 4, 8, 5, 2, 0x80000000u, 0x80000001u }[t % 8]
			    : fin_u32(f);

	u8 sb = fin_u8(f);
	u64 sector = sb == 0xFF ? fin_u64(f) : sb;

	ring_of(r, 0, &g);
	memset(h, 0, sizeof(h));
	put_n(h, 4, type, g.le);
	put_n(h + 8, 8, sector, g.le);
	mem_put(r, DATA_AT + 16u * fin_u8(f), h, sizeof(h));
}

static void notify(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f);
	u64 fn = b & 0x40 ? fin_u8(f) : VCCW_DIAG500_NOTIFY;
	u64 schid = pick_schid(r, f, b);
	u64 queue = b & 0x20 ? fin_u16(f) : (b >> 1) % 2;
	s64 r2 = 1;
	int rc;

	if (b & 0x10)
		schid |= (u64)fin_u32(f) << 32; /* the left half is ignored */
	rc = sim_diag500(r->sim, fn, schid, queue, fin_u64(f), &r2);
	if (fn == 0 || fn == VCCW_DIAG500_NOTIFY)
		FUZZ_CHECK(rc == 0 && (r2 == 0 || r2 == -22));
	else
		FUZZ_CHECK(rc == -SIM_PGM_SPECIFICATION);
	if (r->deferred && (b & 8))
		progress(r, MAX_STEPS);
	drain(r);
}

/* --- The rest of the instructions -------------------------------------------------- */

static void modify(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f);
	u32 schid = pick_schid(r, f, b);
	u8 *p;
	struct schib s;
	u16 flags;

	check_rc(sim_stsch(r->sim, schid, SCHIB_AT));
	p = sim_mem_ptr(r->sim, SCHIB_AT, sizeof(s));
	FUZZ_CHECK(p);
	memcpy(&s, p, sizeof(s));
	if (b & 0x40) {
		fin_bytes(f, &s, sizeof(s));
	} else {
		u8 isc = fin_u8(f);

		flags = be16_to_cpu(s.pmcw.flags) & (u16) ~(PMCW_FLAGS_ISC_MASK | PMCW_FLAGS_ENA);
		flags |= (u16)((isc & 7) << PMCW_FLAGS_ISC_SHIFT);
		flags |= b & 2 ? 0 : PMCW_FLAGS_ENA;
		s.pmcw.flags = cpu_to_be16(flags);
		s.pmcw.intparm = cpu_to_be32(fin_u32(f));
	}
	memcpy(p, &s, sizeof(s));
	check_rc(sim_msch(r->sim, schid, SCHIB_AT));
	drain(r);
}

static void other_insn(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f);
	u32 schid = pick_schid(r, f, b);

	switch ((b >> 1) % 9) {
	case 0:
		check_rc(sim_hsch(r->sim, schid));
		break;
	case 1:
		check_rc(sim_csch(r->sim, schid));
		break;
	case 2:
		check_rc(sim_rsch(r->sim, schid));
		break;
	case 3:
		check_rc(sim_xsch(r->sim, schid));
		break;
	case 4:
		check_rc(sim_tsch(r->sim, schid, IRB_AT));
		break;
	case 5:
		check_rc(sim_stsch(r->sim, schid, SCHIB_AT));
		break;
	case 6:
		check_rc(sim_tpi(r->sim, b & 0x40 ? 0 : TPI_AT));
		break;
	case 7:
		check_rc(sim_stcrw(r->sim, CRW_AT));
		break;
	default:
		progress(r, 1 + fin_u8(f));
		break;
	}
	if (r->deferred && (b & 0x40))
		progress(r, MAX_STEPS);
	drain(r);
}

static void fault(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f);
	struct sim_fault ft;

	memset(&ft, 0, sizeof(ft));
	ft.kind = (enum sim_fault_kind)(fin_u8(f) % 6);
	ft.schid = r->schid[b & 1];
	ft.insn = (enum sim_insn)(fin_u8(f) % SIM_INSN__COUNT);
	ft.cc = fin_u8(f) % 4;
	ft.count = fin_u8(f) % 4;
	ft.dstat = fin_u8(f);
	ft.cstat = fin_u8(f);
	ft.cmd = b & 2 ? pick_cmd(f) : 0;
	fin_bytes(f, ft.sense, sizeof(ft.sense));
	(void)sim_fault_add(r->sim, &ft);
}

/* The device goes away or comes back; a range is protected; the disk
 * fails a range of sectors, or holds its requests and lets them go. */
static void presence(struct rig *r, struct fin *f)
{
	u8 b = fin_u8(f);
	struct sim_blk *blk = sim_blk_find(r->sim, r->schid[0]);

	FUZZ_CHECK(blk);
	if (b & 8) {
		u8 first = fin_u8(f);

		sim_blk_fail(blk, first, fin_u8(f) % 4);
		return;
	}
	if (b & 16) {
		sim_blk_hold(blk, b & 2);
		drain(r);
		return;
	}
	if (b & 4) {
		u32 a = fin_u32(f) % MEM;

		(void)sim_mem_protect(r->sim, a, fin_u16(f));
		return;
	}
	FUZZ_CHECK(sim_set_present(r->sim, r->schid[b & 1], b & 2) == 0);
	drain(r);
}

static void poke(struct rig *r, struct fin *f)
{
	u32 a = fin_u32(f) % MEM;
	u8 n = fin_u8(f) % 64, buf[64];

	fin_bytes(f, buf, n);
	mem_put(r, a, buf, n);
}

/* --- The machine ---------------------------------------------------------------------- */

/* Enable a subchannel for ISC 3, as a driver does first. */
static void enable(struct rig *r, u32 schid)
{
	u8 *p = sim_mem_ptr(r->sim, SCHIB_AT, sizeof(struct schib));
	struct schib s;

	FUZZ_CHECK(p && sim_stsch(r->sim, schid, SCHIB_AT) == 0);
	memcpy(&s, p, sizeof(s));
	s.pmcw.flags = cpu_to_be16(
		(u16)(be16_to_cpu(s.pmcw.flags) | PMCW_FLAGS_ENA | 3u << PMCW_FLAGS_ISC_SHIFT));
	memcpy(p, &s, sizeof(s));
	FUZZ_CHECK(sim_msch(r->sim, schid, SCHIB_AT) == 0);
}

/* A transport from two bytes; all zero gives QEMU 7.2's defaults. */
static void transport(u8 t0, u8 t1, struct sim_vccw_config *c)
{
	sim_vdev_default_transport(c);
	c->max_revision = (2 + (t0 & 3)) % 3;
	c->transitional = !(t0 & 4);
	c->version_1 = !(t0 & 8);
	c->event_idx = !(t0 & 16);
	c->indirect_desc = !(t0 & 32);
	c->ring_packed = t0 & 64;
	c->in_order = t0 & 128;
	c->adapter = !(t1 & 1);
	c->legacy_bits = !(t1 & 2);
}

static void machine(struct rig *r, struct fin *f)
{
	u8 mode = fin_u8(f);
	struct sim_config cfg = {
		.mem_size = MEM,
		.profile = mode & 1 ? SIM_PROFILE_QEMU : SIM_PROFILE_ARCH,
		.completion = mode & 2 ? SIM_COMPLETE_DEFERRED : SIM_COMPLETE_SYNC,
		.mss = mode & 4,
		.max_ccws = 512,
	};
	struct sim_vccw_config t[NDEV];
	struct sim_dev_config dev;
	struct sim_blk_opts bo;
	struct sim_rng_opts ro;
	u8 t1[NDEV];
	long s;

	for (unsigned k = 0; k < NDEV; k++) {
		u8 t0 = fin_u8(f);

		t1[k] = fin_u8(f);
		transport(t0, t1[k], &t[k]);
	}
	r->deferred = mode & 2;
	r->sim = sim_create(&cfg);
	FUZZ_CHECK(r->sim);
	sim_set_isc_mask(r->sim, mode & 8 ? 0x00 : 0xFF);

	memset(&dev, 0, sizeof(dev));
	dev.schno = 0;
	dev.devno = 0x0000;
	memset(&bo, 0, sizeof(bo));
	bo.size = DISK;
	bo.read_only = t1[0] & 4;
	bo.size_max = t1[0] & 8 ? 4096 : 0;
	bo.seg_max = t1[0] & 16 ? 2 : 0;
	bo.serial = "fuzz";
	s = sim_vdev_blk(r->sim, &dev, &t[0], &bo, NULL);
	FUZZ_CHECK(s >= 0);
	r->schid[0] = (u32)s;

	dev.schno = 1;
	dev.devno = 0x0001;
	memset(&ro, 0, sizeof(ro));
	ro.seeded = true;
	ro.seed = 7;
	ro.chunk = t1[1] & 4 ? 16 : 0;
	s = sim_vdev_rng(r->sim, &dev, &t[1], &ro);
	FUZZ_CHECK(s >= 0);
	r->schid[1] = (u32)s;
	/* Both enabled, unless the input wants to see them disabled. */
	if (!(mode & 16))
		for (unsigned k = 0; k < NDEV; k++)
			enable(r, r->schid[k]);
}

/* FUZZ_TRACE=1 in the environment: the simulator's trace and what the
 * devices ended with, on standard error (to see what an input does). */
static void report(struct rig *r)
{
	struct sim_blk_stats bs;
	struct sim_vccw_state st;

	sim_blk_get_stats(sim_blk_find(r->sim, r->schid[0]), &bs);
	fprintf(stderr, "blk: reads %llu writes %llu flushes %llu get_ids %llu errors %llu\n",
		(unsigned long long)bs.reads, (unsigned long long)bs.writes,
		(unsigned long long)bs.flushes, (unsigned long long)bs.get_ids,
		(unsigned long long)bs.errors);
	for (unsigned k = 0; k < NDEV; k++) {
		sim_vccw_get_state(sim_vccw_find(r->sim, r->schid[k]), &st);
		fprintf(stderr, "dev %u: revision %d status 0x%02x features 0x%llx queues %u\n", k,
			st.revision, st.status, (unsigned long long)st.driver_features,
			st.queues_set);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fin in = { data, size };
	struct rig r;

	memset(&r, 0, sizeof(r));
	machine(&r, &in);
	if (fuzz_tracing())
		sim_trace(r.sim, stderr, SIM_TRACE_ALL);
	for (unsigned op = 0; op < MAX_OPS && fin_left(&in); op++) {
		switch (fin_u8(&in) % 11) {
		case 0:
		case 1:
			program(&r, &in);
			break;
		case 2:
			notify(&r, &in);
			break;
		case 3:
			put_desc(&r, &in);
			break;
		case 4:
			put_avail(&r, &in);
			break;
		case 5:
			put_blk_header(&r, &in);
			break;
		case 6:
			poke(&r, &in);
			break;
		case 7:
			modify(&r, &in);
			break;
		case 8:
			other_insn(&r, &in);
			break;
		case 9:
			fault(&r, &in);
			break;
		default:
			presence(&r, &in);
			break;
		}
	}
	if (fuzz_tracing())
		report(&r);
	sim_destroy(r.sim);
	return 0;
}
