/*
 * Fuzzer 6: the virtio device drivers (devices/vblk.c, vnet.c, vcon.c,
 * vrng.c, vscsi.c) through the real transport (ccw/) and the host port, each facing
 * a simulated virtio-ccw device whose every answer the input chooses.
 *
 * The device is a model of this file's own on the simulated control unit
 * (sim/vccw.h): the input gives its feature bits, queue sizes and
 * configuration space, and then, at every notification, what it does with
 * each chain the driver made available: serve it honestly, hold it, end it
 * with any status byte, any used length or any id (ids never given out,
 * ids already used), write any bytes into its writable buffers, or end it
 * twice; whether it publishes and signals. Between the driver calls the
 * input makes the device act on its own: complete a held chain, deliver a
 * frame, console bytes or control messages, set any indicator bit, write
 * the used ring (split) or used descriptors (packed), change its
 * configuration, ask for a reset, go away and come back, or fail channel
 * commands. The drivers are called through their public API only.
 *
 * What is checked: every call returns success with its results inside the
 * caller's buffer (the caller's buffers are allocations of their exact
 * size, and DMA memory past what was given is poisoned, so AddressSanitizer
 * sees any step outside), or a negative error code; every chain the driver
 * makes is well formed for its device and keeps to the limits the device
 * gave (capacity, seg_max, size_max, frame and buffer sizes); every call
 * ends within a bound of virtual time set by its documented deadlines and
 * the progress the device allowed; and, while the device told the truth,
 * the data is the device's: a virtio-blk read returns what the device
 * wrote after a good status, a write or FLUSH succeeds only after a good
 * status, virtio-net returns the frames delivered and sends the frames
 * given, virtio-console passes its byte streams both ways, virtio-rng
 * returns the device's bytes, a virtio-scsi read returns the disk's blocks
 * after GOOD from every command it took and a write succeeds only after
 * GOOD (the honest device is one disk at 0:0 of SCSI_BLOCKS blocks of 512
 * bytes, answering as QEMU does, with QEMU's used length). A device that reports a reset done without
 * making it (an injected status on VDEV_RESET, which no driver can tell)
 * tells the truth no more: it keeps the feature bits the driver does not
 * write again, so it may read the new rings in another byte order or
 * format, and the chains it held, whose buffers the driver has reused.
 * Every loop here is bounded; the drivers' own are what the virtual-time
 * check and the timeout watch.
 *
 * FUZZ_TRACE=1 in the environment prints each call and its result, and the
 * simulator's trace, on standard error.
 */
#include <sanitizer/asan_interface.h>

#include "boot/host/host.h"
#include "ccw/port.h"
#include "ccw/vccw.h"
#include "devices/vblk.h"
#include "devices/vcon.h"
#include "devices/vnet.h"
#include "devices/vrng.h"
#include "devices/vscsi.h"
#include "sim/vccw.h"
#include "tests/fuzz/fuzz.h"

#define MEM_TIGHT 0x28000u /* guest memory when the input wants DMA memory to run out */
#define MAX_OPS	  48u	   /* driver calls and device actions per input */
#define MAX_INITS 3u	   /* bring-ups per input (the first and two more) */
/* Virtual time after which an input ends: a wait costs about a hundred
 * polls per virtual second, and one virtio-blk timeout (or a few shorter
 * ones) reaches every timeout path. */
#define BUDGET_US (VBLK_TIMEOUT_US + 2000000u)
#define NQ	  4u   /* queues a model may have */
#define HELD	  32u  /* chains the device holds at once */
#define SEGS	  128u /* segments per chain the device accepts */
#define CFG_MAX	  64u  /* configuration space */
#define ROUNDS	  4u   /* serve rounds per notification */
#define POPS	  64u  /* chains one round takes */
#define NSLOT	  4u   /* virtio-blk data buffers in DMA memory */
#define SLOT	  4096u
#define GUARD	  64u	/* poisoned bytes after each slot */
#define TAIL	  4096u /* poisoned bytes after the last DMA allocation */
#define NTOK	  64u	/* virtio-blk requests in flight through the async API */
#define CTL_MAX	  16u	/* console control messages the device owes */
#define LOG_N	  128u	/* entries of a queue's log */
#define LOG_POOL  (64u << 10)
#define CLAIMS	  64u
#define SCRIPT	  512u			 /* bytes of the device's script */
#define SERIAL	  "FUZZ0123456789ABCDEF" /* 20 bytes: GET_ID without a NUL */

enum kind { K_BLK, K_NET, K_CON, K_RNG, K_SCSI };

static const char *const kind_name[] = { "blk", "net", "con", "rng", "scsi" };
/* virtio-scsi: control, event and two request queues (num_queues may say
 * fewer, or more than there are). */
static const unsigned kind_nq[] = { 1, 2, 4, 1, 4 };
static const unsigned kind_cfg[] = { 60, 12, 12, 0, 36 };
static const unsigned kind_id[] = { VIRTIO_ID_BLOCK, VIRTIO_ID_NET, VIRTIO_ID_CONSOLE,
				    VIRTIO_ID_RNG, VIRTIO_ID_SCSI };

/* virtio-scsi: the honest device's disk (0:0) and the request's layout
 * (virtio 1.3, 5.6.6) with the driver's 32-byte CDB and 96 bytes of sense. */
#define SCSI_BLOCKS 4096u
#define SCSI_REQ    51u
#define SCSI_RESP   108u

/* --- The device's state ---------------------------------------------------------- */

/* A chain the device took and has not given back. */
struct held {
	bool busy;
	bool stale; /* taken before a reset that never reached the device */
	unsigned q;
	u64 seq; /* order of taking: the newest wins an id lookup */
	struct vq_chain c;
	struct vq_seg seg[SEGS];
};

/*
 * What the device put in a queue (receive queues, virtio-rng) or expects
 * from it (transmit queues), in order, while it told the truth: broken
 * once it lied, or when the log is full, and then nothing is compared.
 */
struct qlog {
	struct {
		u32 off, len;
	} e[LOG_N];
	unsigned head, tail;
	u32 pos; /* bytes of e[head] consumed (byte streams) */
	u32 pool_used;
	bool broken;
	u8 pool[LOG_POOL];
};

/* A virtio-blk chain the device ended, as the device saw it. */
struct claim {
	u32 type;
	u64 sector;
	u64 data_addr; /* first data byte */
	u32 data_len;
	u32 used;
	u8 status;   /* the status byte when it was ended */
	u8 response; /* virtio-scsi: the response code */
	bool honest; /* the data is the device's pattern */
	u8 id[VBLK_ID_BYTES];
};

struct dev {
	struct sim_virtio_model model;
	u16 qmax[NQ];
	struct sim_vccw *vccw;
	struct fin *in;
	enum kind kind;
	u8 config[CFG_MAX]; /* little-endian image; legacy devices answer big-endian */
	unsigned config_len;
	bool console_port;
	u32 rng_chunk;
	u64 seq;
	unsigned notifies;
	bool desc_foreign; /* the device reads descriptors that are not the driver's:
			    * packed ones it wrote itself, or a ring it reads in
			    * another layout than the driver wrote it */
	bool used_lied;    /* the device named a buffer it holds, or one never given
			    * out, as used, or wrote its used ring by hand */
	bool reset_lied;   /* it ended VDEV_RESET normally without resetting (an
			    * injected status): its rings are those of before */
	unsigned resets;
	u64 rng_state;
	struct {
		u32 id;
		u16 event, value;
	} ctl[CTL_MAX];
	unsigned nctl;
	struct claim claim[CLAIMS];
	unsigned nclaim;
	bool claims_lost;
};

static struct dev D;
static struct held held[HELD];
static struct qlog qlog[NQ];
static u8 shadow[NSLOT * SLOT]; /* the arena as the device and the fuzzer wrote it */
/*
 * What the device does when notified comes from its script, which the
 * input fills (device action 10, and at each bring-up); once it runs out
 * the device is honest. Device actions between the calls read the input
 * itself.
 */
static u8 script_buf[SCRIPT];
static struct fin script;

#define TRACE(...)                                    \
	do {                                          \
		if (fuzz_tracing())                   \
			fprintf(stderr, __VA_ARGS__); \
	} while (0)

/* --- The rig: machine, transport, driver ---------------------------------------- */

struct tok {
	bool in_flight;
};

struct rig {
	struct sim *sim;
	u32 schid;
	bool present;
	struct css *css;
	struct vccw *v;
	struct vblk *blk;
	struct vnet *net;
	struct vcon *con;
	struct vrng *rng;
	struct vscsi *scsi;
	bool raw;     /* a command of the input's (vscsi_command) is under way */
	unsigned inits;
	int init_rc;
	/* The transport came up: the driver may be called (after its own
	 * bring-up, even a failed one; never over a transport that failed,
	 * whose queues are gone under the driver's feet). */
	bool usable;
	u8 *arena; /* NSLOT slots of SLOT bytes, each followed by GUARD poisoned bytes */
	u64 arena_addr;
	u64 mem;      /* bytes of guest memory */
	u64 poisoned; /* guest address from which TAIL bytes are poisoned */
	struct tok tok[NTOK];
	unsigned in_flight;
	bool line_used;	      /* vcon_read_line keeps partial lines: no stream oracle */
	u8 snap_cfg[CFG_MAX]; /* the configuration when the driver came up */
};

static bool modern(void)
{
	struct sim_vccw_state st;

	sim_vccw_get_state(D.vccw, &st);
	return st.driver_features & VIRTIO_BIT(VIRTIO_F_VERSION_1);
}

static bool negotiated(unsigned bit)
{
	struct sim_vccw_state st;

	sim_vccw_get_state(D.vccw, &st);
	return st.driver_features & VIRTIO_BIT(bit);
}

/* A field of the configuration image (little-endian). */
static u64 cfg_le(const u8 *cfg, unsigned off, unsigned n)
{
	return sim_vdev_get(cfg + off, n, true);
}

/* A small number or any, for lengths and ids. */
static u32 pick(struct fin *f)
{
	u8 l = fin_u8(f);

	if (l < 0xFE)
		return l;
	return l == 0xFE ? fin_u16(f) : fin_u32(f);
}

/* --- Guest memory and the arena ---------------------------------------------------- */

static bool in_arena(struct rig *r, u64 addr, u64 len, unsigned *slot, u32 *off)
{
	u64 o;

	if (!r->arena || addr < r->arena_addr)
		return false;
	o = addr - r->arena_addr;
	if (o / (SLOT + GUARD) >= NSLOT || o % (SLOT + GUARD) + len > SLOT)
		return false;
	*slot = (unsigned)(o / (SLOT + GUARD));
	*off = (u32)(o % (SLOT + GUARD));
	return true;
}

static struct rig *R; /* for the model's callbacks */

/* The device wrote n bytes at guest address addr: keep the arena's shadow. */
static void shadow_note(u64 addr, const u8 *src, u32 n)
{
	for (unsigned s = 0; R->arena && s < NSLOT; s++) {
		u64 a = R->arena_addr + (u64)s * (SLOT + GUARD);
		u64 lo = MAX(a, addr), hi = MIN(a + SLOT, addr + n);

		if (lo < hi)
			memcpy(shadow + s * SLOT + (lo - a), src + (lo - addr), hi - lo);
	}
}

static u8 *slot_ptr(struct rig *r, unsigned s)
{
	return r->arena + (size_t)s * (SLOT + GUARD);
}

static void fill_slot(struct rig *r, unsigned s, u32 off, const u8 *src, u32 n)
{
	memcpy(slot_ptr(r, s) + off, src, n);
	memcpy(shadow + s * SLOT + off, src, n);
}

/* Nobody but the device and the fuzzer wrote the arena. */
static void check_arena(struct rig *r)
{
	for (unsigned s = 0; r->arena && s < NSLOT; s++)
		FUZZ_CHECK(memcmp(slot_ptr(r, s), shadow + s * SLOT, SLOT) == 0);
}

/*
 * The DMA memory after the last allocation is poisoned: a driver that
 * hands the device an address past its allocations, or a model that
 * follows one, is seen. A window, not the whole rest: poisoning touches
 * ASan's shadow, and fresh shadow pages per input cost more than the run.
 */
static void poison_tail(struct rig *r)
{
	u64 from = ALIGN_UP(HOST_DMA_BASE + host_dma_used(), (u64)8);

	if (from < r->mem)
		ASAN_POISON_MEMORY_REGION(sim_mem_ptr(r->sim, from, MIN(TAIL, r->mem - from)),
					  MIN(TAIL, r->mem - from));
	r->poisoned = from;
}

static void unpoison_tail(struct rig *r)
{
	if (r->poisoned && r->poisoned < r->mem)
		ASAN_UNPOISON_MEMORY_REGION(
			sim_mem_ptr(r->sim, r->poisoned, MIN(TAIL, r->mem - r->poisoned)),
			MIN(TAIL, r->mem - r->poisoned));
	r->poisoned = 0;
}

/* --- Logs ------------------------------------------------------------------------------ */

static void log_add(struct qlog *l, const u8 *data, u32 len)
{
	if (l->broken)
		return;
	if (l->tail == LOG_N || len > LOG_POOL - l->pool_used) {
		l->broken = true;
		return;
	}
	l->e[l->tail].off = l->pool_used;
	l->e[l->tail].len = len;
	memcpy(l->pool + l->pool_used, data, len);
	l->pool_used += len;
	l->tail++;
}

static void log_reset(struct qlog *l)
{
	l->head = l->tail = 0;
	l->pos = 0;
	l->pool_used = 0;
	l->broken = false;
}

/* Compare n bytes with the log as a byte stream, and consume them. */
static void log_stream(struct qlog *l, const u8 *p, u32 n)
{
	while (n && !l->broken) {
		u32 k;

		FUZZ_CHECK(l->head < l->tail);
		k = MIN(n, l->e[l->head].len - l->pos);
		FUZZ_CHECK(memcmp(p, l->pool + l->e[l->head].off + l->pos, k) == 0);
		p += k;
		n -= k;
		l->pos += k;
		if (l->pos == l->e[l->head].len) {
			l->head++;
			l->pos = 0;
		}
	}
}

/* --- The device: chains ------------------------------------------------------------------ */

static struct vqd *vqd_of(unsigned q)
{
	return q < D.model.nqueues ? sim_vccw_vqd(D.vccw, q) : NULL;
}

/* Copy between buf and the chain's writable (w) or readable buffers, from byte off. */
static u32 chain_io(const struct vq_chain *c, bool w, u64 off, void *buf, u32 len, bool to_chain)
{
	u32 done = 0;

	for (unsigned i = 0; i < c->nseg && done < len; i++) {
		const struct vq_seg *s = &c->seg[i];
		u32 n;

		if (s->write != w)
			continue;
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		n = (u32)MIN((u64)s->len - off, (u64)(len - done));
		if (to_chain) {
			memcpy((u8 *)s->ptr + off, (u8 *)buf + done, n);
			shadow_note(s->addr + off, (u8 *)buf + done, n);
		} else {
			memcpy((u8 *)buf + done, (u8 *)s->ptr + off, n);
		}
		done += n;
		off = 0;
	}
	return done;
}

static struct held *held_free(void)
{
	for (unsigned i = 0; i < HELD; i++)
		if (!held[i].busy)
			return &held[i];
	return NULL;
}

/* The k-th chain the device holds (any queue), or NULL. */
static struct held *held_nth(unsigned k)
{
	unsigned n = 0, i;

	for (i = 0; i < HELD; i++)
		n += held[i].busy;
	if (!n)
		return NULL;
	k %= n;
	for (i = 0; i < HELD; i++)
		if (held[i].busy && k-- == 0)
			return &held[i];
	return NULL;
}

/* The newest chain held on q with this id; none of the rings before a
 * reset the device never made (stale): their ids are not this ring's. */
static struct held *held_by_id(unsigned q, u16 id)
{
	struct held *h = NULL;

	for (unsigned i = 0; i < HELD; i++)
		if (held[i].busy && !held[i].stale && held[i].q == q && held[i].c.id == id &&
		    (!h || held[i].seq > h->seq))
			h = &held[i];
	return h;
}

static void held_clear(void)
{
	for (unsigned i = 0; i < HELD; i++)
		held[i].busy = false;
}

/* Some buffer of c lies in the harness's guard memory. */
static bool chain_guarded(const struct vq_chain *c)
{
	for (unsigned i = 0; i < c->nseg; i++)
		if (c->seg[i].len && __asan_region_is_poisoned(c->seg[i].ptr, c->seg[i].len))
			return true;
	return false;
}

/* --- The device: what the driver must get right ----------------------------------------------- */

static u8 pat(u64 sector, u32 off)
{
	u64 x = (sector * VBLK_SECTOR + off) * 0x9E3779B97F4A7C15ull;

	return (u8)(x >> 56);
}

/* The data segments of a virtio-blk chain: contiguous, in one arena slot
 * or in the driver's own memory, within seg_max and size_max. */
static void check_blk_data(const struct vq_chain *c, unsigned first, unsigned last, u32 len)
{
	const u8 *cfg = R->snap_cfg;
	u64 addr = c->seg[first].addr;
	u32 size_max = (u32)cfg_le(cfg, 8, 4), seg_max = (u32)cfg_le(cfg, 12, 4);
	unsigned nseg = last - first, slot;
	u32 off, sum = 0;

	for (unsigned i = first; i < last; i++) {
		FUZZ_CHECK(c->seg[i].addr == addr + sum);
		if (negotiated(VIRTIO_BLK_F_SIZE_MAX) && size_max)
			FUZZ_CHECK(c->seg[i].len <= size_max);
		sum += c->seg[i].len;
	}
	FUZZ_CHECK(sum == len);
	if (negotiated(VIRTIO_BLK_F_SEG_MAX))
		FUZZ_CHECK(nseg <= MAX(seg_max, 1u));
	/* READ and WRITE data is the caller's: an arena slot, never across its end. */
	if (R->arena && addr >= R->arena_addr && addr < R->arena_addr + NSLOT * (SLOT + GUARD))
		FUZZ_CHECK(in_arena(R, addr, len, &slot, &off));
}

/* The data of a virtio-scsi command, starting at byte skip of its
 * readable (out) or writable part: in one arena slot when there. */
static u64 scsi_data_addr(const struct vq_chain *c, bool w, u64 skip)
{
	for (unsigned i = 0; i < c->nseg; i++) {
		if (c->seg[i].write != w)
			continue;
		if (skip < c->seg[i].len)
			return c->seg[i].addr + skip;
		skip -= c->seg[i].len;
	}
	return 0;
}

/* A virtio-scsi chain: never on the control queue; an event buffer of 16
 * bytes; a request of the driver's layout, data one way only, a READ or
 * WRITE within max_sectors, its data in one arena slot when there. */
static void check_scsi_chain(unsigned q, const struct vq_chain *c)
{
	u8 req[SCSI_REQ];
	u64 din, dout;
	unsigned slot;
	u32 off;

	FUZZ_CHECK(q != 0);
	if (q == 1) {
		FUZZ_CHECK(c->out_len == 0 && c->in_len == 16);
		return;
	}
	FUZZ_CHECK(c->nseg >= 2 && !c->seg[0].write && c->seg[0].len == SCSI_REQ);
	FUZZ_CHECK(c->out_len >= SCSI_REQ && c->in_len >= SCSI_RESP);
	chain_io(c, false, 0, req, SCSI_REQ, false);
	FUZZ_CHECK(req[0] == 1 && (req[2] & 0xC0) == 0x40);
	FUZZ_CHECK(!req[4] && !req[5] && !req[6] && !req[7]);
	dout = c->out_len - SCSI_REQ;
	din = c->in_len - SCSI_RESP;
	FUZZ_CHECK(!(dout && din));
	/* A command of the input's is whatever the input said. */
	if (R->raw)
		return;
	switch (req[19]) {
	case 0x28:
	case 0x88:
	case 0x2A:
	case 0x8A: {
		bool ten = req[19] == 0x28 || req[19] == 0x2A, write = req[19] & 2;
		u32 n = ten ? get_be16(req + 19 + 7) : get_be32(req + 19 + 10);
		u64 len = write ? dout : din, addr = write ? scsi_data_addr(c, false, SCSI_REQ)
							   : scsi_data_addr(c, true, SCSI_RESP);

		FUZZ_CHECK(n && len && len % n == 0 && (write ? !din : !dout));
		FUZZ_CHECK(n <= MAX(1u, MIN(R->scsi->max_sectors, 0xFFFFu)));
		if (R->arena && addr >= R->arena_addr &&
		    addr < R->arena_addr + NSLOT * (SLOT + GUARD))
			FUZZ_CHECK(in_arena(R, addr, len, &slot, &off));
		break;
	}
	default:
		break;
	}
}

/* A chain the driver made available: well formed for this device. */
static void check_chain(unsigned q, const struct vq_chain *c)
{
	bool le = modern();
	u32 hdr_len = le ? 12 : 10;

	/* Descriptors the device wrote itself are no longer the driver's
	 * (packed: raw writes, or used descriptors for chains never taken),
	 * nor is a ring read in another layout (ring_skewed()). */
	if (D.desc_foreign)
		return;
	/* A queue the driver has not set up since a reset the device never
	 * made: the device reads the ring of an earlier bring-up, whose
	 * chains kept to that bring-up's limits, not to the ones the harness
	 * holds now. */
	if (D.reset_lied && R && R->v && q < VCCW_MAX_VQS && !R->v->q[q].num)
		return;
	switch (D.kind) {
	case K_BLK: {
		u8 h[16];
		u32 type;
		u64 sector;
		unsigned n = c->nseg;

		FUZZ_CHECK(n >= 2 && !c->seg[0].write && c->seg[0].len == 16);
		FUZZ_CHECK(c->seg[n - 1].write && c->seg[n - 1].len == 1);
		chain_io(c, false, 0, h, 16, false);
		type = (u32)sim_vdev_get(h, 4, le);
		sector = sim_vdev_get(h + 8, 8, le);
		switch (type) {
		case VBLK_READ:
		case VBLK_WRITE: {
			u32 len = type == VBLK_READ ? (u32)c->in_len - 1 : (u32)c->out_len - 16;

			FUZZ_CHECK(type == VBLK_READ ? c->out_len == 16 : c->in_len == 1);
			FUZZ_CHECK(len && len % VBLK_SECTOR == 0 && len <= R->blk->max_transfer);
			FUZZ_CHECK(sector <= R->blk->capacity &&
				   len / VBLK_SECTOR <= R->blk->capacity - sector);
			FUZZ_CHECK(type == VBLK_READ || !negotiated(VIRTIO_BLK_F_RO));
			check_blk_data(c, 1, n - 1, len);
			break;
		}
		case VBLK_FLUSH:
			FUZZ_CHECK(negotiated(VIRTIO_BLK_F_FLUSH));
			FUZZ_CHECK(n == 2);
			break;
		case VBLK_GET_ID:
			FUZZ_CHECK(c->out_len == 16 && c->in_len == VBLK_ID_BYTES + 1);
			break;
		default:
			FUZZ_CHECK(!"virtio-blk: a request type the driver does not send");
		}
		break;
	}
	case K_NET:
		if (q == 0) {
			FUZZ_CHECK(c->out_len == 0 && c->in_len == hdr_len + VNET_FRAME_MAX);
		} else {
			u8 h[12];

			FUZZ_CHECK(c->in_len == 0 && c->out_len >= hdr_len + VNET_FRAME_MIN &&
				   c->out_len <= hdr_len + VNET_FRAME_MAX);
			chain_io(c, false, 0, h, hdr_len, false);
			for (unsigned i = 0; i < hdr_len; i++)
				FUZZ_CHECK(h[i] == 0);
		}
		break;
	case K_CON:
		if (q == 0 || q == 2) {
			FUZZ_CHECK(c->out_len == 0 && c->in_len == VCON_BUF_SIZE);
		} else if (q == 1) {
			FUZZ_CHECK(c->in_len == 0 && c->out_len >= 1 &&
				   c->out_len <= VCON_BUF_SIZE);
		} else {
			u8 m[8];
			u16 ev, val;

			FUZZ_CHECK(c->in_len == 0 && c->out_len == 8);
			chain_io(c, false, 0, m, 8, false);
			ev = (u16)sim_vdev_get(m + 4, 2, le);
			val = (u16)sim_vdev_get(m + 6, 2, le);
			FUZZ_CHECK(ev == VIRTIO_CONSOLE_DEVICE_READY ||
				   ev == VIRTIO_CONSOLE_PORT_READY ||
				   ev == VIRTIO_CONSOLE_PORT_OPEN);
			FUZZ_CHECK(val <= 1);
			FUZZ_CHECK(sim_vdev_get(m, 4, le) < MAX(R->con->max_ports, 1u));
		}
		break;
	case K_RNG:
		FUZZ_CHECK(c->out_len == 0 && c->in_len >= 1 && c->in_len <= VRNG_CHUNK);
		break;
	case K_SCSI:
		check_scsi_chain(q, c);
		break;
	}
}

/* A transmit chain as the device takes it: the next data the driver was
 * given (its buffers are the driver's until the device gives them back). */
static void check_tx(unsigned q, const struct vq_chain *c)
{
	struct qlog *l = &qlog[q];
	u8 buf[VNET_FRAME_MAX + 12];
	u32 n = (u32)MIN(c->out_len, (u64)sizeof(buf));

	if (D.desc_foreign)
		l->broken = true;
	if (l->broken)
		return;
	chain_io(c, false, 0, buf, n, false);
	if (D.kind == K_NET) {
		u32 hdr = modern() ? 12 : 10;

		FUZZ_CHECK(l->head < l->tail);
		FUZZ_CHECK(l->e[l->head].len == n - hdr);
		FUZZ_CHECK(memcmp(l->pool + l->e[l->head].off, buf + hdr, n - hdr) == 0);
		l->head++;
	} else {
		log_stream(l, buf, n);
	}
}

/* --- The device: ending chains ---------------------------------------------------------- */

/* Remember what the device said about a virtio-blk chain. */
static void claim(const struct held *h, u32 used, bool honest)
{
	struct claim *k;
	u8 hd[16];
	bool le = modern();
	const struct vq_seg *st = &h->c.seg[h->c.nseg - 1];

	if (D.kind != K_BLK || h->c.nseg < 2 || !st->write || !st->len)
		return;
	/* A device reading descriptors that are not the driver's may end the
	 * driver's request through a stale one: nothing it says counts. */
	if (D.nclaim == CLAIMS || D.desc_foreign) {
		D.claims_lost = true;
		return;
	}
	k = &D.claim[D.nclaim++];
	memset(k, 0, sizeof(*k));
	chain_io(&h->c, false, 0, hd, 16, false);
	k->type = (u32)sim_vdev_get(hd, 4, le);
	k->sector = sim_vdev_get(hd + 8, 8, le);
	k->used = used;
	k->status = ((u8 *)st->ptr)[st->len - 1];
	k->honest = honest;
	TRACE("    device: claim type %u sector %llu status %u used %u\n", k->type,
	      (unsigned long long)k->sector, k->status, used);
	if (k->type == VBLK_WRITE && h->c.nseg > 2) {
		k->data_addr = h->c.seg[1].addr;
		k->data_len = (u32)h->c.out_len - 16;
	} else if (h->c.in_len > 1) {
		for (unsigned i = 0; i < h->c.nseg; i++)
			if (h->c.seg[i].write) {
				k->data_addr = h->c.seg[i].addr;
				break;
			}
		k->data_len = (u32)h->c.in_len - 1;
		chain_io(&h->c, true, 0, k->id, MIN(k->data_len, VBLK_ID_BYTES), false);
	}
}

/* Remember what the device said about a virtio-scsi READ or WRITE. */
static void claim_scsi(const struct held *h, u32 used, bool honest)
{
	struct claim *k;
	u8 req[SCSI_REQ], resp[12];
	bool write;

	if (h->q < 2 || h->c.out_len < SCSI_REQ || h->c.in_len < SCSI_RESP)
		return;
	if (D.nclaim == CLAIMS || D.desc_foreign) {
		D.claims_lost = true;
		return;
	}
	chain_io(&h->c, false, 0, req, SCSI_REQ, false);
	if (req[19] != 0x28 && req[19] != 0x88 && req[19] != 0x2A && req[19] != 0x8A)
		return;
	write = req[19] & 2;
	k = &D.claim[D.nclaim++];
	memset(k, 0, sizeof(*k));
	chain_io(&h->c, true, 0, resp, 12, false);
	k->type = req[19];
	k->sector = req[19] == 0x28 || req[19] == 0x2A
			    ? get_be32(req + 19 + 2)
			    : (u64)get_be32(req + 19 + 2) << 32 | get_be32(req + 19 + 6);
	k->data_addr = write ? scsi_data_addr(&h->c, false, SCSI_REQ)
			     : scsi_data_addr(&h->c, true, SCSI_RESP);
	k->data_len = (u32)(write ? h->c.out_len - SCSI_REQ : h->c.in_len - SCSI_RESP);
	k->used = used;
	k->status = resp[10];
	k->response = resp[11];
	k->honest = honest;
	TRACE("    device: claim op %02x lba %llu status %u response %u used %u\n", k->type,
	      (unsigned long long)k->sector, k->status, k->response, used);
}

/* Mark id used with len written, as the device; claims follow the chain the id names. */
static void push(unsigned q, u16 id, u16 ndesc, u32 len, bool honest)
{
	struct vqd *v = vqd_of(q);
	struct vq_chain fake;
	struct held *h;

	if (!v)
		return;
	TRACE("    device: queue %u uses id %u, %u bytes\n", q, id, len);
	h = held_by_id(q, id);
	if (h && D.kind == K_SCSI)
		claim_scsi(h, len, honest);
	else if (h)
		claim(h, len, honest);
	/* Packed: a used descriptor for no chain taken (or of another size)
	 * moves the device past what it took, onto slots the driver fills
	 * next: from then on its own side reads descriptors it wrote. */
	if (v->packed && (!h || (ndesc ? ndesc : 1) != h->c.ndesc))
		D.desc_foreign = true;
	memset(&fake, 0, sizeof(fake));
	fake.id = id;
	fake.ndesc = ndesc ? ndesc : 1;
	vqd_push(v, &fake, len);
}

static u64 rng_next(void)
{
	D.rng_state ^= D.rng_state << 13;
	D.rng_state ^= D.rng_state >> 7;
	D.rng_state ^= D.rng_state << 17;
	return D.rng_state;
}

static void ctl_owe(u32 id, u16 event, u16 value)
{
	if (D.nctl == CTL_MAX)
		return;
	D.ctl[D.nctl].id = id;
	D.ctl[D.nctl].event = event;
	D.ctl[D.nctl].value = value;
	D.nctl++;
}

/*
 * A virtio-scsi request as an honest device answers it: one disk at 0:0
 * (SCSI_BLOCKS blocks of 512 bytes holding pat()), REPORT LUNS, INQUIRY,
 * TEST UNIT READY, READ CAPACITY (10) and (16), READ and WRITE (10) and
 * (16), SYNCHRONIZE CACHE; BAD TARGET elsewhere; the used length QEMU
 * reports (both data parts and the response). status >= 0: bit 7 set, a
 * response code of the input's (low 4 bits), else that SCSI status.
 */
static u32 scsi_answer(struct held *h, int status)
{
	struct vq_chain *c = &h->c;
	bool le = modern();
	u8 req[SCSI_REQ], resp[SCSI_RESP], d[36], buf[SLOT];
	const u8 *cdb = req + 19;
	unsigned lun;
	u32 dout, din, moved = 0, expected;

	if (h->q < 2 || c->out_len < SCSI_REQ || c->in_len < SCSI_RESP)
		return 0;
	chain_io(c, false, 0, req, SCSI_REQ, false);
	dout = (u32)MIN(c->out_len - SCSI_REQ, (u64)0xFFFFFFFu);
	din = (u32)MIN(c->in_len - SCSI_RESP, (u64)0xFFFFFFFu);
	expected = dout ? dout : din;
	lun = (unsigned)(req[2] & 0x3F) << 8 | req[3];
	memset(resp, 0, sizeof(resp));
	memset(d, 0, sizeof(d));
	if (req[0] != 1 || req[1] != 0) {
		resp[11] = 3; /* BAD TARGET */
	} else if (dout && din) {
		resp[11] = 9; /* FAILURE */
	} else if (lun != 0 && cdb[0] != 0x12 && cdb[0] != 0xA0) {
		resp[10] = 2; /* LOGICAL UNIT NOT SUPPORTED */
		resp[12] = 0x70, resp[14] = 5, resp[19] = 10, resp[24] = 0x25;
	} else {
		switch (cdb[0]) {
		case 0x00:
		case 0x35:
			break;
		case 0x12:
			d[0] = lun ? 0x7F : 0;
			d[4] = 31;
			memcpy(d + 8, "FUZZ    FUZZ DISK       ", 24);
			moved = chain_io(c, true, SCSI_RESP, d, MIN(din, 36u), true);
			break;
		case 0xA0:
			d[3] = 8;
			moved = chain_io(c, true, SCSI_RESP, d, MIN(din, 16u), true);
			break;
		case 0x9E:
		case 0x25: {
			bool sixteen = cdb[0] == 0x9E;

			if (sixteen) {
				put_be32(d + 4, SCSI_BLOCKS - 1);
				put_be32(d + 8, 512);
			} else {
				put_be32(d, SCSI_BLOCKS - 1);
				put_be32(d + 4, 512);
			}
			moved = chain_io(c, true, SCSI_RESP, d, MIN(din, sixteen ? 32u : 8u), true);
			break;
		}
		case 0x28:
		case 0x88:
		case 0x2A:
		case 0x8A: {
			bool ten = cdb[0] == 0x28 || cdb[0] == 0x2A, write = cdb[0] & 2;
			u64 lba = ten ? get_be32(cdb + 2) : (u64)get_be32(cdb + 2) << 32 | get_be32(cdb + 6);
			u64 n = ten ? get_be16(cdb + 7) : get_be32(cdb + 10);

			if (lba > SCSI_BLOCKS || n > SCSI_BLOCKS - lba) {
				resp[10] = 2; /* LOGICAL BLOCK ADDRESS OUT OF RANGE */
				resp[12] = 0x70, resp[14] = 5, resp[19] = 10, resp[24] = 0x21;
				break;
			}
			if (write) {
				moved = (u32)MIN(n * 512, (u64)dout);
				break;
			}
			for (u64 off = 0; off < MIN(n * 512, (u64)din); off += sizeof(buf)) {
				u32 k = (u32)MIN(MIN(n * 512, (u64)din) - off, (u64)sizeof(buf));

				for (u32 i = 0; i < k; i++)
					buf[i] = pat(lba + (off + i) / 512, (u32)((off + i) % 512));
				moved += chain_io(c, true, SCSI_RESP + off, buf, k, true);
			}
			break;
		}
		default:
			resp[10] = 2; /* INVALID COMMAND OPERATION CODE */
			resp[12] = 0x70, resp[14] = 5, resp[19] = 10, resp[24] = 0x20;
			break;
		}
	}
	if (resp[10] == 2)
		sim_vdev_put(resp, 4, 18, le);
	sim_vdev_put(resp + 4, 4, expected - MIN(expected, moved), le);
	if (status >= 0 && (status & 0x80))
		resp[11] = (u8)(status & 0x0F);
	else if (status >= 0)
		resp[10] = (u8)status;
	chain_io(c, true, 0, resp, SCSI_RESP, true);
	return dout + din + SCSI_RESP;
}

/* What an honest device writes into the chain; returns the used length.
 * status < 0: the right one. */
static u32 honest_data(struct held *h, int status)
{
	struct vq_chain *c = &h->c;
	bool le = modern();

	switch (D.kind) {
	case K_SCSI:
		return scsi_answer(h, status);
	case K_BLK: {
		u8 hd[16], buf[SLOT], st;
		u32 type, len;
		u64 sector;

		if (c->out_len < 16 || c->in_len < 1)
			return 0;
		chain_io(c, false, 0, hd, 16, false);
		type = (u32)sim_vdev_get(hd, 4, le);
		sector = sim_vdev_get(hd + 8, 8, le);
		len = (u32)c->in_len - 1;
		switch (type) {
		case VBLK_READ:
			for (u32 off = 0; off < len; off += sizeof(buf)) {
				u32 n = MIN(len - off, (u32)sizeof(buf));

				for (u32 i = 0; i < n; i++)
					buf[i] = pat(sector, off + i);
				chain_io(c, true, off, buf, n, true);
			}
			st = 0;
			break;
		case VBLK_GET_ID:
			chain_io(c, true, 0, SERIAL, MIN(len, VBLK_ID_BYTES), true);
			st = 0;
			break;
		case VBLK_WRITE:
		case VBLK_FLUSH:
			len = 0;
			st = 0;
			break;
		default:
			len = 0;
			st = 2; /* UNSUPP */
			break;
		}
		if (status >= 0)
			st = (u8)status;
		chain_io(c, true, len, &st, 1, true);
		return len + 1;
	}
	case K_RNG: {
		u8 buf[VRNG_CHUNK];
		u32 n = (u32)MIN(c->in_len, (u64)sizeof(buf));

		if (D.rng_chunk)
			n = MIN(n, D.rng_chunk);
		if (status >= 0)
			n = MIN(n, (u32)status);
		for (u32 i = 0; i < n; i++)
			buf[i] = (u8)rng_next();
		return chain_io(c, true, 0, buf, n, true);
	}
	case K_CON:
		if (h->q == 3) {
			u8 m[8];
			u16 ev, val;

			if (chain_io(c, false, 0, m, 8, false) != 8)
				return 0;
			ev = (u16)sim_vdev_get(m + 4, 2, le);
			val = (u16)sim_vdev_get(m + 6, 2, le);
			/* virtio 1.3, 5.3.6.2: port 0 comes when the driver is ready. */
			if (ev == VIRTIO_CONSOLE_DEVICE_READY && val == 1)
				ctl_owe(0, VIRTIO_CONSOLE_PORT_ADD, 0);
			if (ev == VIRTIO_CONSOLE_PORT_READY && val == 1 && sim_vdev_get(m, 4, le) == 0) {
				if (D.console_port)
					ctl_owe(0, VIRTIO_CONSOLE_CONSOLE_PORT, 1);
				ctl_owe(0, VIRTIO_CONSOLE_PORT_OPEN, 1);
			}
		}
		return 0;
	default:
		return 0; /* transmit: nothing written */
	}
}

/* Queues whose every used buffer the log records: what the device gives the driver. */
static bool logged_rx(unsigned q)
{
	return q == 0 && (D.kind == K_RNG || D.kind == K_NET || D.kind == K_CON);
}

/* Give a chain back honestly and let it go. */
static void end_honest(struct held *h, int status)
{
	u32 len = honest_data(h, status);

	if (logged_rx(h->q) && !qlog[h->q].broken) {
		u8 buf[VRNG_CHUNK];

		/* Only virtio-rng writes here, at most a chunk. */
		len = MIN(len, VRNG_CHUNK);
		chain_io(&h->c, true, 0, buf, len, false);
		log_add(&qlog[h->q], buf, len);
	}
	push(h->q, h->c.id, h->c.ndesc, len, status < 0);
	h->busy = false;
}

/* What a device may do with one chain it holds: how & 7. Returns whether it still holds it. */
static bool act(struct held *h, u8 how, bool may_hold)
{
	struct fin *f = D.in;
	unsigned q = h->q;

	/* A chain of the rings before a reset the device never made: its
	 * buffers are memory the driver has laid out afresh (its new rings,
	 * say), and its id names whatever the new ring gave out under it
	 * (D.reset_lied already stands for that lie, and broke every log).
	 * Writing there is the device's doing, unseen by the driver; into
	 * guard memory, it refuses instead. */
	if (h->stale) {
		D.desc_foreign = true;
		if (chain_guarded(&h->c)) {
			TRACE("    device: a chain of before the reset lies in guarded memory\n");
			sim_vccw_needs_reset(D.vccw);
			h->busy = false;
			return false;
		}
	}
	switch (how & 7) {
	case 0:
		end_honest(h, -1);
		return false;
	case 1:
		if (may_hold)
			return true;
		end_honest(h, -1);
		return false;
	case 2: /* a status byte of its own (virtio-blk), a short answer (rng) */
		end_honest(h, fin_u8(f));
		return false;
	case 3: { /* the right data, any used length */
		u32 len = pick(f);

		(void)honest_data(h, -1);
		qlog[q].broken = true;
		push(q, h->c.id, h->c.ndesc, len, true);
		h->busy = false;
		return false;
	}
	case 4: { /* any bytes anywhere in the writable buffers, any used length */
		u8 buf[256];
		u16 off = (u16)(fin_u16(f) % (h->c.in_len + 1));
		u8 n = fin_u8(f);

		fin_bytes(f, buf, n);
		chain_io(&h->c, true, off, buf, n, true);
		qlog[q].broken = true;
		push(q, h->c.id, h->c.ndesc, pick(f), false);
		h->busy = false;
		return false;
	}
	case 5: { /* another id, maybe never given out; the chain stays held */
		u16 id = (u16)pick(f);
		u8 nd = fin_u8(f);

		qlog[q].broken = true;
		D.used_lied = true;
		push(q, id, (u16)(1 + nd % 4), pick(f), false);
		/* Packed: ending it later makes two used descriptors for one. */
		D.desc_foreign |= vqd_of(q) && vqd_of(q)->packed;
		return true;
	}
	case 6: { /* ended twice */
		u16 id = h->c.id, nd = h->c.ndesc;

		end_honest(h, -1);
		qlog[q].broken = true;
		D.used_lied = true;
		push(q, id, nd, 0, false);
		return false;
	}
	default: /* nothing written, length 0 */
		if (logged_rx(q))
			log_add(&qlog[q], (const u8 *)"", 0);
		push(q, h->c.id, h->c.ndesc, 0, false);
		h->busy = false;
		return false;
	}
}

/* --- The device: indicators, publishing ---------------------------------------------------- */

static void mem_or(u64 addr, const u8 *mask, unsigned n)
{
	u8 *p;

	if (!addr || !(p = sim_mem_ptr(R->sim, addr, n)))
		return;
	for (unsigned i = 0; i < n; i++)
		p[i] |= mask[i];
}

/* Indicator bits of the input's choosing (b >> 6: queue, configuration,
 * summary, a queue mask of 64 bits), and an interruption unless b & 0x20. */
static void indicators(struct fin *f)
{
	struct sim_vccw_state st;
	u8 b = fin_u8(f), m[8];
	u64 mask = (b >> 6) == 3 ? fin_u64(f) : (u64)1 << (b & 31);

	sim_vccw_get_state(D.vccw, &st);
	switch (b >> 6) {
	case 0: /* queue indicators */
	case 3:
		if (st.adapter) {
			sim_vdev_put(m, 8, mask, false);
			mem_or(st.adapter_ind_addr + st.bit_nr / 8, m, 8);
			m[0] = 1;
			mem_or(st.summary_addr, m, 1);
		} else {
			sim_vdev_put(m, 8, mask, false);
			mem_or(st.ind_addr, m, 8);
		}
		break;
	case 1: /* the configuration indicator */
		sim_vdev_put(m, 8, mask, false);
		mem_or(st.conf_ind_addr, m, 8);
		break;
	default: /* the summary byte alone */
		m[0] = 1;
		mem_or(st.summary_addr, m, 1);
		break;
	}
	if (!(b & 0x20)) {
		if (st.adapter)
			sim_adapter_interrupt(R->sim, st.isc);
		else
			sim_unsolicited(R->sim, R->schid, 0);
	}
}

/* After a round: post & 1 nothing published; & 2 published, not signalled;
 * & 4 a configuration change; & 8 indicator bits of the input's choosing. */
static void publish(unsigned q, u8 post)
{
	struct vqd *v = vqd_of(q);

	if (!v)
		return;
	if (post & 1)
		;
	else if (post & 2)
		vqd_flush(v);
	else
		sim_vccw_queue_done(D.vccw, q);
	if (post & 4)
		sim_vccw_config_changed(D.vccw);
	if (post & 8)
		indicators(D.in);
}

/* After a reset lie: the device reads q in another layout than the driver
 * wrote it. A device that never reset keeps the feature bits the driver
 * did not write again (a revision 0 driver writes word 0 only): it may
 * read a big-endian ring as little-endian, or a split one as packed. */
static bool ring_skewed(unsigned q, const struct vqd *v)
{
	const struct vccw_queue *dq;

	if (!D.reset_lied || !R || !R->v || q >= VCCW_MAX_VQS)
		return false;
	dq = &R->v->q[q];
	return dq->num && (dq->vq.be != v->be || dq->vq.packed != v->packed);
}

/* Take the next chain of q into a held slot, checked; NULL when none. */
static struct held *take(unsigned q)
{
	struct vqd *v = vqd_of(q);
	struct held *h = held_free();
	bool skewed;
	int rc;

	if (!v || !h)
		return NULL;
	h->c.seg = h->seg;
	h->c.cap = SEGS;
	skewed = ring_skewed(q, v);
	D.desc_foreign |= skewed;
	rc = vqd_pop(v, &h->c);
	if (rc < 0)
		TRACE("    device: queue %u refuses the driver's ring (fault %d)%s\n", q, (int)v->fault,
		      skewed ? ", read in another layout" : "");
	/* The driver only makes well-formed chains; a device that wrote
	 * descriptors itself (packed) may confuse its own side. One that made
	 * the driver take back buffers it still holds sees more made
	 * available than the ring has room for: the driver believed it. */
	FUZZ_CHECK(rc >= 0 || D.desc_foreign ||
		   ((D.used_lied || D.reset_lied) && v->fault == VQD_FAULT_AVAIL_IDX));
	if (rc < 0)
		sim_vccw_needs_reset(D.vccw);
	if (rc != 1)
		return NULL;
	/* A chain read from descriptors that are not the driver's may name
	 * any guest memory; a device following it there is the device's own
	 * doing, and the poison that catches a driver's stray address
	 * would report it. Such a device refuses its ring instead. */
	if (D.desc_foreign && chain_guarded(&h->c)) {
		TRACE("    device: queue %u follows a descriptor not the driver's into guarded memory\n", q);
		sim_vccw_needs_reset(D.vccw);
		return NULL;
	}
	TRACE("    device: queue %u takes id %u: %u buffers, %llu out, %llu in\n", q, h->c.id,
	      h->c.nseg, (unsigned long long)h->c.out_len, (unsigned long long)h->c.in_len);
	h->busy = true;
	h->stale = false;
	h->q = q;
	h->seq = ++D.seq;
	check_chain(q, &h->c);
	if ((D.kind == K_NET && q == 1) || (D.kind == K_CON && q == 1))
		check_tx(q, &h->c);
	return h;
}

static bool rx_queue(unsigned q)
{
	return (D.kind == K_NET && q == 0) || (D.kind == K_CON && (q == 0 || q == 2)) ||
	       (D.kind == K_SCSI && q == 1);
}

/* A message for the console's control receiveq. */
static void ctl_deliver(void)
{
	bool le = modern(), any = false;
	struct held *h;

	while (D.nctl && (h = take(2)) != NULL) {
		u8 m[8];

		sim_vdev_put(m, 4, D.ctl[0].id, le);
		sim_vdev_put(m + 4, 2, D.ctl[0].event, le);
		sim_vdev_put(m + 6, 2, D.ctl[0].value, le);
		memmove(D.ctl, D.ctl + 1, --D.nctl * sizeof(D.ctl[0]));
		push(2, h->c.id, h->c.ndesc, chain_io(&h->c, true, 0, m, 8, true), true);
		h->busy = false;
		any = true;
	}
	if (any)
		sim_vccw_queue_done(D.vccw, 2);
}

/*
 * Fill the next buffer of a receive queue: f & 1 any used length, & 2 the
 * chain is held instead, & 4 not published, & 8 another id; the bytes
 * (header included) come from the input.
 */
static void deliver(unsigned q, struct fin *f)
{
	u8 fl = fin_u8(f), buf[VNET_FRAME_MAX + 12];
	u32 n = fin_u8(f), w, len;
	u16 id;
	struct held *h;

	if (n == 0xFF)
		n = fin_u16(f);
	n = MIN(n, (u32)sizeof(buf));
	fin_bytes(f, buf, n);
	id = fl & 8 ? (u16)pick(f) : 0;
	len = fl & 1 ? pick(f) : 0;
	h = take(q);
	if (!h)
		return;
	w = chain_io(&h->c, true, 0, buf, n, true);
	if (fl & 2)
		return;
	if (fl & 9)
		qlog[q].broken = true;
	else
		log_add(&qlog[q], buf, w);
	/* Bytes of the input: never the virtio-blk pattern. */
	push(q, fl & 8 ? id : h->c.id, h->c.ndesc, fl & 1 ? len : w, false);
	if (!(fl & 8)) {
		h->busy = false;
	} else {
		D.used_lied = true;
		D.desc_foreign |= vqd_of(q)->packed; /* as act() 5 */
	}
	if (!(fl & 4))
		sim_vccw_queue_done(D.vccw, q);
}

/* What the device does with queue q when notified (or when the input says so). */
static void serve(unsigned q)
{
	struct fin *f = D.in;

	for (unsigned round = 0; round < ROUNDS; round++) {
		struct vqd *v = vqd_of(q);
		u8 post;

		if (!v)
			return;
		if (rx_queue(q)) {
			/* A receive queue's buffers wait for data; 0: as an honest
			 * device, else deliveries now. */
			u8 b = fin_u8(f);

			for (unsigned i = 0; i < (b & 3u); i++)
				deliver(q, f);
			if (D.kind == K_CON && q == 2 && !(b & 4))
				ctl_deliver();
			v = vqd_of(q); /* as below */
			if (v && !(b & 8))
				(void)vqd_enable_notify(v);
			return;
		}
		for (unsigned n = 0; n < POPS; n++) {
			struct held *h = take(q);
			u8 how;

			if (!h)
				break;
			how = fin_u8(f);
			act(h, how, true);
			if (how & 8)
				break;
		}
		post = fin_u8(f);
		TRACE("    device: queue %u publishes (%u)\n", q, post);
		publish(q, post);
		if (D.kind == K_CON && q == 3)
			ctl_deliver();
		/* Publishing may have lost the device (SIM_FAULT_GONE), and its queues. */
		v = vqd_of(q);
		/* & 16: no more notifications asked for (with EVENT_IDX the
		 * driver then stops notifying). */
		if (!v || (post & 16) || vqd_enable_notify(v))
			return;
	}
}

/* --- The model's callbacks ------------------------------------------------------------------- */

/* Fields byte-swapped for a legacy (big-endian) device: offset << 4 | size. */
static const u16 blk_fields[] = { 0x008, 0x084, 0x0C4, 0x102, 0x144, 0x1A2, 0x1C4,
				  0x222, 0x244, 0x284, 0x2C4, 0x304, 0x344 };
static const u16 net_fields[] = { 0x062, 0x082, 0x0A2 };
static const u16 con_fields[] = { 0x002, 0x022, 0x044, 0x084 };
static const u16 scsi_fields[] = { 0x004, 0x044, 0x084, 0x0C4, 0x104, 0x144, 0x184,
				   0x1C2, 0x1E2, 0x204 };

static void m_read_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	u8 c[CFG_MAX];
	const u16 *fl = NULL;
	unsigned nf = 0;

	(void)ctx;
	memcpy(c, D.config, sizeof(c));
	/* virtio-scsi: max_target at most 15 (the driver asks every target up
	 * to it, 256 at most: a scan of 256 costs more than the rest of an
	 * input, and 16 reach every path of the loop). */
	if (D.kind == K_SCSI) {
		c[30] &= 0x0F;
		c[31] = 0;
	}
	if (!le) {
		if (D.kind == K_BLK)
			fl = blk_fields, nf = ARRAY_SIZE(blk_fields);
		else if (D.kind == K_NET)
			fl = net_fields, nf = ARRAY_SIZE(net_fields);
		else if (D.kind == K_CON)
			fl = con_fields, nf = ARRAY_SIZE(con_fields);
		else if (D.kind == K_SCSI)
			fl = scsi_fields, nf = ARRAY_SIZE(scsi_fields);
		for (unsigned i = 0; i < nf; i++) {
			unsigned off = fl[i] >> 4, n = fl[i] & 15;

			sim_vdev_put(c + off, n, sim_vdev_get(D.config + off, n, true), false);
		}
	}
	memcpy(buf, c, MIN(len, (unsigned)sizeof(c)));
}

static void m_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	(void)ctx;
	(void)d;
	D.notifies++;
	serve(q);
}

/* A reset: the device forgets every chain and what it owed. */
static void m_reset(void *ctx)
{
	(void)ctx;
	held_clear();
	D.nctl = 0;
	/* The driver lays its rings out afresh. */
	D.desc_foreign = false;
	D.used_lied = false;
	D.reset_lied = false;
	D.resets++;
	/* Whatever the driver had not collected is gone with the rings. */
	for (unsigned q = 0; q < NQ; q++)
		qlog[q].broken |= qlog[q].head != qlog[q].tail || qlog[q].pos;
}

/* Append up to 63 bytes of the input to the device's script. */
static void script_add(struct fin *f)
{
	size_t keep = script.n, n = fin_u8(f) % 64;

	if (keep && script.p != script_buf)
		memmove(script_buf, script.p, keep);
	n = MIN(n, SCRIPT - keep);
	fin_bytes(f, script_buf + keep, n);
	script.p = script_buf;
	script.n = keep + n;
}

/* --- Time ------------------------------------------------------------------------------------ */

/*
 * A call's virtual time: its own deadline (base), plus per_unit for every
 * unit of progress (requests, notifications: each may restart a documented
 * bound), plus the channel programs it ran, each bounded by the channel
 * layer's timeout (start, halt, clear).
 */
struct span {
	u64 t0;
	unsigned starts, notifies;
};

static void span_begin(struct rig *r, struct span *s)
{
	s->t0 = host_clock_us();
	s->starts = r->css->stats.starts;
	s->notifies = D.notifies;
}

static void span_end(struct rig *r, const struct span *s, u64 base, u64 units, u64 per_unit)
{
	u64 el = host_clock_us() - s->t0;
	u64 bound = base + (D.notifies - s->notifies + units + 2) * per_unit +
		    (u64)(r->css->stats.starts - s->starts + 2) * 3 * CSS_DEFAULT_TIMEOUT_US;

	TRACE("    %llu us (bound %llu)\n", (unsigned long long)el, (unsigned long long)bound);
	FUZZ_CHECK(el <= bound);
}

/* A result: 0 or more, or one of the error codes. */
static void check_rc(int rc)
{
	FUZZ_CHECK(rc >= 0 || (-rc > 0 && -rc < VERR__COUNT));
}

/* --- virtio-blk ------------------------------------------------------------------------------ */

static u64 pick_sector(struct rig *r, struct fin *f)
{
	u8 s = fin_u8(f);

	if (s < 0x80)
		return s;
	if (s < 0xC0)
		return r->blk->capacity - (s & 0x3F);
	return fin_u64(f);
}

static u32 pick_blk_len(struct fin *f)
{
	u8 c = fin_u8(f);

	if (c < 0xF0)
		return (c % 9u) * VBLK_SECTOR;
	return fin_u16(f) % (SLOT + 1);
}

/* A synchronous READ or WRITE succeeded: every piece was ended by the
 * device with a good status and the whole length. */
static void check_claims(struct rig *r, u32 type, u64 sector, u64 addr, u32 len)
{
	u32 mt = r->blk->max_transfer;
	bool in_order = negotiated(VIRTIO_F_IN_ORDER);

	if (D.claims_lost || !mt)
		return;
	for (u32 done = 0; done < len; done += mt) {
		u32 n = MIN(mt, len - done);
		u64 s = sector + done / VBLK_SECTOR;
		const struct claim *k = NULL;

		for (unsigned i = D.nclaim; i-- > 0;) {
			const struct claim *c = &D.claim[i];

			if (c->type == type && c->sector == s && c->data_addr == addr + done &&
			    c->data_len == n) {
				k = c;
				break;
			}
		}
		FUZZ_CHECK(k);
		FUZZ_CHECK(k->status == 0);
		/* In order, a chain used in a batch has no length of its own. */
		FUZZ_CHECK(k->used >= (type == VBLK_WRITE ? 1 : n + 1) || (in_order && !k->used));
		if (type == VBLK_READ && k->honest) {
			unsigned slot;
			u32 off;

			FUZZ_CHECK(in_arena(r, addr + done, n, &slot, &off));
			for (u32 i = 0; i < n; i++)
				FUZZ_CHECK(slot_ptr(r, slot)[off + i] == pat(s, i));
		}
	}
}

static void blk_sync(struct rig *r, struct fin *f, u8 op)
{
	struct vblk *b = r->blk;
	unsigned slot = fin_u8(f) % NSLOT;
	u32 off = (u32)(fin_u8(f) & 0x3F) * 8;
	u64 sector = pick_sector(r, f);
	u32 want = pick_blk_len(f), len = MIN(want, SLOT - off);
	u8 *buf = slot_ptr(r, slot) + off;
	u64 addr = r->arena_addr + (u64)slot * (SLOT + GUARD) + off;
	bool was_dead = b->dead;
	struct span s;
	char *id;
	int rc;

	D.nclaim = 0;
	D.claims_lost = false;
	span_begin(r, &s);
	switch (op) {
	case 0: {
		u8 fillb[SLOT];

		/* What was there before: a read must not leave it looking new. */
		memset(fillb, 0xA5, len);
		fill_slot(r, slot, off, fillb, len);
		rc = vblk_read(b, sector, buf, len);
		TRACE("  vblk_read(%llu, %u) = %d %s\n", (unsigned long long)sector, len, rc,
		      rc ? b->why : "");
		if (!rc)
			check_claims(r, VBLK_READ, sector, addr, len);
		break;
	}
	case 1:
		rc = vblk_write(b, sector, buf, len);
		TRACE("  vblk_write(%llu, %u) = %d %s\n", (unsigned long long)sector, len, rc,
		      rc ? b->why : "");
		if (!rc)
			FUZZ_CHECK(!b->read_only);
		if (!rc)
			check_claims(r, VBLK_WRITE, sector, addr, len);
		break;
	case 2:
		rc = vblk_flush(b);
		TRACE("  vblk_flush = %d %s\n", rc, rc ? b->why : "");
		if (!rc) {
			bool ok = D.claims_lost;

			for (unsigned i = 0; i < D.nclaim; i++)
				ok |= D.claim[i].type == VBLK_FLUSH && D.claim[i].status == 0;
			FUZZ_CHECK(ok);
		}
		break;
	case 3:
		/* The caller's array, exactly its size. */
		id = malloc(VBLK_ID_BYTES + 1);
		FUZZ_CHECK(id);
		rc = vblk_get_id(b, id);
		TRACE("  vblk_get_id = %d %s\n", rc, rc ? b->why : "");
		if (!rc) {
			bool ok = D.claims_lost;

			FUZZ_CHECK(id[VBLK_ID_BYTES] == '\0');
			for (unsigned i = 0; i < D.nclaim; i++)
				ok |= D.claim[i].type == VBLK_GET_ID && D.claim[i].status == 0 &&
				      memcmp(D.claim[i].id, id, VBLK_ID_BYTES) == 0;
			FUZZ_CHECK(ok);
		} else {
			FUZZ_CHECK(id[0] == '\0');
		}
		free(id);
		break;
	default: {
		/* A buffer outside DMA memory is refused, never followed. */
		u8 *heap = malloc(VBLK_SECTOR);

		FUZZ_CHECK(heap);
		rc = vblk_read(b, 0, heap, VBLK_SECTOR);
		TRACE("  vblk_read(heap) = %d\n", rc);
		FUZZ_CHECK(rc != 0);
		free(heap);
		break;
	}
	}
	check_rc(rc);
	FUZZ_CHECK(rc <= 0);
	if (was_dead)
		FUZZ_CHECK(rc == -VERR_BROKEN || rc == -VERR_INVAL);
	/* A request that timed out cannot complete later: the device was stopped. */
	if (rc == -VERR_TIMEOUT)
		FUZZ_CHECK(b->dead);
	if (b->dead)
		memset(r->tok, 0, sizeof(r->tok)), r->in_flight = 0;
	FUZZ_CHECK(b->in_flight == r->in_flight);
	span_end(r, &s, 0, b->max_transfer ? len / b->max_transfer + 1 : 1, VBLK_TIMEOUT_US);
	check_arena(r);
}

/*
 * The asynchronous calls of a driver with requests in flight (virtio-blk,
 * virtio-scsi), op % 5: 0 submit (the driver's own, with a token of r->tok;
 * none when all are in flight: the arguments are read, nothing submitted),
 * 1 kick, 2 complete up to a few, 3 wait, 4 stop; every cookie must be a
 * token in flight, the driver's count the harness's.
 */
struct async_ops {
	const char *name;
	u64 timeout_us;
	int (*submit)(struct rig *r, struct fin *f, struct tok *t);
	int (*kick)(struct rig *r);
	int (*complete)(struct rig *r, void **cookie, int *result);
	int (*wait)(struct rig *r, u64 deadline_us);
	void (*stop)(struct rig *r);
	bool (*dead)(struct rig *r);
	unsigned (*in_flight)(struct rig *r);
	unsigned (*depth)(struct rig *r);
};

static void async_call(struct rig *r, struct fin *f, u8 op, const struct async_ops *a)
{
	struct span s;
	int rc = 0;

	span_begin(r, &s);
	switch (op % 5) {
	case 0: { /* submit (its arguments read even with no token free) */
		unsigned k;

		for (k = 0; k < NTOK && r->tok[k].in_flight; k++)
			;
		rc = a->submit(r, f, k < NTOK ? &r->tok[k] : NULL);
		if (k < NTOK && !rc) {
			r->tok[k].in_flight = true;
			r->in_flight++;
		}
		break;
	}
	case 1:
		rc = a->kick(r);
		TRACE("  %s_kick = %d\n", a->name, rc);
		break;
	case 2: { /* complete, up to a few */
		unsigned n = 1 + fin_u8(f) % 8;

		for (unsigned i = 0; i < n; i++) {
			void *cookie = NULL;
			int result = 1;

			rc = a->complete(r, &cookie, &result);
			TRACE("  %s_complete = %d (%d)\n", a->name, rc, result);
			if (rc != 1)
				break;
			check_rc(result);
			FUZZ_CHECK(result <= 0);
			FUZZ_CHECK((struct tok *)cookie >= r->tok &&
				   (struct tok *)cookie < r->tok + NTOK);
			FUZZ_CHECK(((struct tok *)cookie)->in_flight);
			((struct tok *)cookie)->in_flight = false;
			r->in_flight--;
		}
		break;
	}
	case 3: {
		u64 deadline = port_now_us() + fin_u8(f) * 1000u;

		rc = a->wait(r, deadline);
		TRACE("  %s_wait = %d\n", a->name, rc);
		FUZZ_CHECK(rc <= 1);
		span_end(r, &s, deadline - s.t0, 0, 0);
		break;
	}
	default:
		a->stop(r);
		TRACE("  %s_stop\n", a->name);
		FUZZ_CHECK(a->dead(r) && a->in_flight(r) == 0);
		break;
	}
	check_rc(rc);
	if (a->dead(r)) {
		memset(r->tok, 0, sizeof(r->tok));
		r->in_flight = 0;
	}
	FUZZ_CHECK(a->in_flight(r) == r->in_flight);
	FUZZ_CHECK(a->in_flight(r) <= a->depth(r));
	if (op % 5 != 3)
		span_end(r, &s, 0, 1, a->timeout_us);
	check_arena(r);
}

static int blk_submit(struct rig *r, struct fin *f, struct tok *t)
{
	static const u8 ops[] = { VBLK_READ, VBLK_WRITE, VBLK_FLUSH, VBLK_GET_ID, 2 };
	u8 o = ops[fin_u8(f) % ARRAY_SIZE(ops)];
	unsigned slot = fin_u8(f) % NSLOT;
	u64 sector = pick_sector(r, f);
	u32 len = pick_blk_len(f);
	u8 *buf = slot_ptr(r, slot);
	int rc;

	if (!t)
		return 0;
	if (o == VBLK_FLUSH)
		buf = NULL, len = 0;
	else if (o == VBLK_GET_ID)
		len = VBLK_ID_BYTES;
	rc = vblk_submit(r->blk, (enum vblk_op)o, sector, buf, len, t);
	TRACE("  vblk_submit(%u, %llu, %u) = %d\n", o, (unsigned long long)sector, len, rc);
	return rc;
}

static int blk_kick(struct rig *r) { return vblk_kick(r->blk); }
static int blk_complete(struct rig *r, void **c, int *res) { return vblk_complete(r->blk, c, res); }
static int blk_wait(struct rig *r, u64 deadline) { return vblk_wait(r->blk, deadline); }
static void blk_stop(struct rig *r) { vblk_stop(r->blk, "the fuzzer stops it"); }
static bool blk_dead(struct rig *r) { return r->blk->dead; }
static unsigned blk_in_flight(struct rig *r) { return r->blk->in_flight; }
static unsigned blk_depth(struct rig *r) { return r->blk->depth; }

static const struct async_ops blk_ops = {
	"vblk", VBLK_TIMEOUT_US, blk_submit, blk_kick, blk_complete, blk_wait, blk_stop,
	blk_dead, blk_in_flight, blk_depth,
};

/* --- virtio-net ------------------------------------------------------------------------------- */

static void net_send(struct rig *r, struct fin *f)
{
	u32 len = fin_u8(f);
	u8 *frame;
	struct span s;
	int rc;

	if (len >= 0xF0)
		len = fin_u16(f) % (VNET_FRAME_MAX + 2);
	else
		len = VNET_FRAME_MIN + len * 6;
	frame = malloc(len ? len : 1);
	FUZZ_CHECK(frame);
	fin_bytes(f, frame, len);
	if (len >= VNET_FRAME_MIN && len <= VNET_FRAME_MAX)
		log_add(&qlog[1], frame, len);
	span_begin(r, &s);
	rc = vnet_send(r->net, frame, len);
	TRACE("  vnet_send(%u) = %d %s\n", len, rc, rc ? r->net->why : "");
	check_rc(rc);
	FUZZ_CHECK(rc <= 0);
	if (len < VNET_FRAME_MIN || len > VNET_FRAME_MAX)
		FUZZ_CHECK(rc == -VERR_INVAL);
	else if (rc)
		qlog[1].broken = true; /* maybe queued, maybe not */
	span_end(r, &s, VNET_TIMEOUT_US, 0, VNET_TIMEOUT_US);
	free(frame);
}

static bool frame_ok(u32 len, u32 hdr)
{
	return len >= hdr + VNET_FRAME_MIN && len <= hdr + VNET_FRAME_MAX;
}

static void net_recv(struct rig *r, struct fin *f)
{
	struct vnet *n = r->net;
	struct qlog *l = &qlog[0];
	u32 size = fin_u8(f);
	u64 deadline;
	u64 frames = n->rx_frames, errors = n->rx_errors;
	u32 hdr = modern() ? 12 : 10;
	u8 *frame;
	struct span s;
	int rc;

	size = size >= 0xF0 ? fin_u16(f) % (VNET_FRAME_MAX + 64) : size * 8;
	deadline = port_now_us() + fin_u8(f) * 500u;
	frame = malloc(size ? size : 1);
	FUZZ_CHECK(frame);
	span_begin(r, &s);
	rc = vnet_recv(n, frame, size, deadline);
	TRACE("  vnet_recv(%u) = %d %s\n", size, rc, rc < 0 ? n->why : "");
	check_rc(rc);
	FUZZ_CHECK(rc <= (int)size);
	if (rc > 0)
		FUZZ_CHECK(rc >= (int)VNET_FRAME_MIN && rc <= (int)VNET_FRAME_MAX);
	FUZZ_CHECK(n->rx_frames - frames <= 1);
	/* The log: the frames dropped, then the one returned, in the device's order. */
	if (!l->broken && n->ready && (rc >= 0 || rc == -VERR_RANGE || rc == -VERR_PROTO)) {
		for (u64 i = 0; i < n->rx_errors - errors; i++) {
			FUZZ_CHECK(l->head < l->tail);
			FUZZ_CHECK(!frame_ok(l->e[l->head].len, hdr));
			l->head++;
		}
		if (rc > 0 || rc == -VERR_RANGE) {
			FUZZ_CHECK(l->head < l->tail);
			FUZZ_CHECK(frame_ok(l->e[l->head].len, hdr));
			if (rc > 0) {
				FUZZ_CHECK((u32)rc == l->e[l->head].len - hdr);
				FUZZ_CHECK(memcmp(frame, l->pool + l->e[l->head].off + hdr,
						  (u32)rc) == 0);
			} else {
				FUZZ_CHECK(l->e[l->head].len - hdr > size);
			}
			l->head++;
		}
	} else if (rc < 0) {
		l->broken = true;
	}
	span_end(r, &s, deadline > s.t0 ? deadline - s.t0 : 0, 0, VNET_TIMEOUT_US);
	free(frame);
}

/* The device still runs with what the driver negotiated (no reset, no
 * unplug under it): the configuration's byte order is the driver's. */
static bool device_in_step(struct rig *r)
{
	struct sim_vccw_state st;

	sim_vccw_get_state(D.vccw, &st);
	return r->present && !D.reset_lied && st.driver_features == r->v->vdev.features &&
	       (st.status & VIRTIO_STATUS_DRIVER_OK);
}

static void net_link(struct rig *r)
{
	struct span s;
	int rc;

	span_begin(r, &s);
	rc = vnet_link_up(r->net);
	TRACE("  vnet_link_up = %d\n", rc);
	check_rc(rc);
	FUZZ_CHECK(rc <= 1);
	if (rc >= 0 && !r->net->has_status)
		FUZZ_CHECK(rc == 1);
	else if (rc >= 0 && D.config_len >= 8 && device_in_step(r))
		FUZZ_CHECK(rc == (int)(cfg_le(D.config, 6, 2) & VIRTIO_NET_S_LINK_UP));
	span_end(r, &s, 0, 0, 0);
}

/* --- virtio-console --------------------------------------------------------------------------- */

static void con_write(struct rig *r, struct fin *f)
{
	u32 len = fin_u8(f);
	u8 *buf;
	struct span s;
	int rc;

	if (len == 0xFF)
		len = fin_u16(f) % 2048;
	buf = malloc(len ? len : 1);
	FUZZ_CHECK(buf);
	fin_bytes(f, buf, len);
	if (len)
		log_add(&qlog[1], buf, len);
	span_begin(r, &s);
	rc = vcon_write(r->con, buf, len);
	TRACE("  vcon_write(%u) = %d %s\n", len, rc, rc ? r->con->why : "");
	check_rc(rc);
	FUZZ_CHECK(rc <= 0);
	/* Taken whole: the device has seen it all, in order. */
	if (!rc && !qlog[1].broken)
		FUZZ_CHECK(qlog[1].head == qlog[1].tail && qlog[1].pos == 0);
	if (rc)
		qlog[1].broken = true;
	span_end(r, &s, 0, len / VCON_BUF_SIZE + 1, VCON_TIMEOUT_US);
	free(buf);
}

static void con_read(struct rig *r, struct fin *f, bool line)
{
	u32 size = fin_u8(f);
	u64 deadline;
	char *buf;
	struct span s;
	int rc;

	if (size == 0xFF)
		size = fin_u16(f) % 1024;
	deadline = port_now_us() + fin_u8(f) * 500u;
	buf = malloc(size ? size : 1);
	FUZZ_CHECK(buf);
	span_begin(r, &s);
	if (line) {
		r->line_used = true;
		qlog[0].broken = true;
		rc = vcon_read_line(r->con, buf, size, deadline);
		TRACE("  vcon_read_line(%u) = %d %s\n", size, rc, rc < 0 ? r->con->why : "");
		check_rc(rc);
		if (rc >= 0) {
			/* A line may hold NULs; never its end. */
			FUZZ_CHECK((u32)rc < size && buf[rc] == '\0');
			FUZZ_CHECK(!memchr(buf, '\n', (size_t)rc) &&
				   !memchr(buf, '\r', (size_t)rc));
		}
	} else {
		rc = vcon_read(r->con, buf, size, deadline);
		TRACE("  vcon_read(%u) = %d %s\n", size, rc, rc < 0 ? r->con->why : "");
		check_rc(rc);
		FUZZ_CHECK(rc <= (int)size);
		if (rc > 0)
			log_stream(&qlog[0], (u8 *)buf, (u32)rc);
	}
	span_end(r, &s, deadline > s.t0 ? deadline - s.t0 : 0, 0, VCON_TIMEOUT_US);
	free(buf);
}

/* --- virtio-rng ------------------------------------------------------------------------------- */

static void rng_read(struct rig *r, struct fin *f)
{
	struct vrng *g = r->rng;
	struct qlog *l = &qlog[0];
	u32 len = fin_u8(f);
	u64 requests = g->requests;
	u8 *buf;
	struct span s;
	int rc;

	if (len == 0xFF)
		len = fin_u16(f) % 1024;
	else
		len *= 4;
	buf = malloc(len ? len : 1);
	FUZZ_CHECK(buf);
	span_begin(r, &s);
	rc = vrng_read(g, buf, len);
	TRACE("  vrng_read(%u) = %d %s\n", len, rc, rc ? g->why : "");
	check_rc(rc);
	FUZZ_CHECK(rc <= 0);
	/* The requests it collected, in order: each gave its bytes, at most
	 * what was still wanted. */
	if (!l->broken) {
		u32 at = 0;

		for (u64 i = 0; i < g->requests - requests && !l->broken; i++) {
			u32 k;

			FUZZ_CHECK(l->head < l->tail);
			k = MIN(l->e[l->head].len, len - at);
			if (!rc)
				FUZZ_CHECK(memcmp(buf + at, l->pool + l->e[l->head].off, k) == 0);
			at += k;
			l->head++;
		}
		if (!rc)
			FUZZ_CHECK(at == len);
	}
	span_end(r, &s, 0, g->requests - requests, VRNG_TIMEOUT_US);
	free(buf);
}

/* --- virtio-scsi ------------------------------------------------------------------------------ */

/* A unit the driver found (b < 0x80, when it found any), or one of the
 * input's making in own: any address, block size and count. */
static const struct vscsi_lun *pick_lun(struct rig *r, struct fin *f, struct vscsi_lun *own)
{
	static const u32 sizes[] = { 512, 2048, 4096, 1, 513, 0, 65536, 0xFFFFFFFFu };
	u8 b = fin_u8(f);

	if (b < 0x80 && r->scsi->nluns)
		return &r->scsi->luns[b % r->scsi->nluns];
	memset(own, 0, sizeof(*own));
	own->target = fin_u8(f);
	own->lun = (u16)(fin_u16(f) & 0x3FFF);
	own->type = SCSI_TYPE_DISK;
	own->blk_size = sizes[b % ARRAY_SIZE(sizes)];
	own->blocks = b & 8 ? fin_u64(f) : pick(f);
	return own;
}

/* A synchronous READ or WRITE succeeded: every command was ended with GOOD
 * and response OK, and an honest READ brought the disk's blocks. */
static void check_scsi_claims(struct rig *r, bool write, u64 lba, u32 count, u32 bs, u64 addr)
{
	u32 per = vscsi_max_blocks(r->scsi, &(struct vscsi_lun){ .blk_size = bs });

	if (D.claims_lost)
		return;
	for (u32 done = 0; done < count; done += per) {
		u32 n = MIN(per, count - done);
		const struct claim *k = NULL;

		for (unsigned i = D.nclaim; i-- > 0;) {
			const struct claim *c = &D.claim[i];

			if ((c->type & 2) == (write ? 2 : 0) && c->sector == lba + done &&
			    c->data_addr == addr + (u64)done * bs && c->data_len == n * bs) {
				k = c;
				break;
			}
		}
		FUZZ_CHECK(k);
		FUZZ_CHECK(k->status == 0 && k->response == 0);
		if (!write && k->honest && bs == 512) {
			unsigned slot;
			u32 off;

			FUZZ_CHECK(in_arena(r, k->data_addr, k->data_len, &slot, &off));
			for (u32 i = 0; i < k->data_len; i++)
				FUZZ_CHECK(slot_ptr(r, slot)[off + i] == pat(lba + done + i / 512, i % 512));
		}
	}
}

static void scsi_rw(struct rig *r, struct fin *f, bool write)
{
	struct vscsi *sc = r->scsi;
	struct vscsi_lun own;
	const struct vscsi_lun *l = pick_lun(r, f, &own);
	unsigned slot = fin_u8(f) % NSLOT;
	u32 off = (u32)(fin_u8(f) & 0x3F) * 8, count = fin_u8(f) % 9;
	u8 lb = fin_u8(f);
	u64 lba = lb < 0x80 ? lb : lb < 0xC0 ? l->blocks - (lb & 0x3F) : fin_u64(f);
	u64 addr = r->arena_addr + (u64)slot * (SLOT + GUARD) + off;
	u8 *buf = slot_ptr(r, slot) + off;
	bool was_dead = sc->dead;
	struct span sp;
	int rc;

	/* The caller's buffer holds the blocks: no more than the slot. */
	if (!l->blk_size || l->blk_size > SLOT - off)
		count = 0;
	else
		count = MIN(count, (SLOT - off) / l->blk_size);
	D.nclaim = 0;
	D.claims_lost = false;
	span_begin(r, &sp);
	if (write) {
		rc = vscsi_write(sc, l, lba, count, buf);
	} else {
		u8 fillb[SLOT];

		memset(fillb, 0xA5, count * l->blk_size);
		fill_slot(r, slot, off, fillb, count * l->blk_size);
		rc = vscsi_read(sc, l, lba, count, buf);
	}
	TRACE("  vscsi_%s(%u:%u, %llu, %u x %u) = %d %s\n", write ? "write" : "read", l->target,
	      l->lun, (unsigned long long)lba, count, l->blk_size, rc, rc ? sc->why : "");
	check_rc(rc);
	FUZZ_CHECK(rc <= 0);
	if (was_dead && count)
		FUZZ_CHECK(rc == -VERR_BROKEN);
	if (!rc && count)
		check_scsi_claims(r, write, lba, count, l->blk_size, addr);
	if (rc == -VERR_TIMEOUT)
		FUZZ_CHECK(sc->dead);
	span_end(r, &sp, 0, count + 1, VSCSI_TIMEOUT_US);
}

static void scsi_command_raw(struct rig *r, struct fin *f)
{
	struct vscsi *sc = r->scsi;
	u8 cdb[40], t = fin_u8(f), cl = fin_u8(f) % sizeof(cdb), dir = fin_u8(f) % 3;
	u16 lun = fin_u16(f);
	unsigned slot = fin_u8(f) % NSLOT;
	u32 len = dir ? fin_u16(f) % (SLOT + 1) : 0, done = 0xFFFFFFFFu;
	struct span sp;
	int rc;

	fin_bytes(f, cdb, cl);
	span_begin(r, &sp);
	r->raw = true;
	rc = vscsi_command(sc, t, lun, cdb, cl, len ? slot_ptr(r, slot) : NULL, len,
			   (enum vscsi_dir)dir, &done);
	r->raw = false;
	TRACE("  vscsi_command(%u:%u, %u bytes of CDB, %u bytes dir %u) = %d %s\n", t, lun, cl,
	      len, dir, rc, rc ? sc->why : "");
	check_rc(rc);
	FUZZ_CHECK(rc <= 0);
	FUZZ_CHECK(done <= len);
	if (rc == -VERR_TIMEOUT)
		FUZZ_CHECK(sc->dead);
	span_end(r, &sp, 0, 1, VSCSI_TIMEOUT_US);
}

static int scsi_submit(struct rig *r, struct fin *f, struct tok *t)
{
	struct vscsi_lun own;
	const struct vscsi_lun *l = pick_lun(r, f, &own);
	bool write = fin_u8(f) & 1;
	unsigned slot = fin_u8(f) % NSLOT;
	u32 count = fin_u8(f) % 9;
	u64 lba = fin_u8(f);
	int rc;

	if (!t)
		return 0;
	if (!l->blk_size || l->blk_size > SLOT)
		count = 0;
	else
		count = MIN(count, SLOT / l->blk_size);
	rc = vscsi_submit(r->scsi, l, write, lba, count, slot_ptr(r, slot), t);
	TRACE("  vscsi_submit(%u, %llu, %u) = %d\n", write, (unsigned long long)lba, count, rc);
	return rc;
}

static int scsi_kick(struct rig *r) { return vscsi_kick(r->scsi); }
static int scsi_complete(struct rig *r, void **c, int *res) { return vscsi_complete(r->scsi, c, res); }
static int scsi_wait(struct rig *r, u64 deadline) { return vscsi_wait(r->scsi, deadline); }
static void scsi_stop(struct rig *r) { vscsi_stop(r->scsi, "the fuzzer stops it"); }
static bool scsi_dead(struct rig *r) { return r->scsi->dead; }
static unsigned scsi_in_flight(struct rig *r) { return r->scsi->in_flight; }
static unsigned scsi_depth(struct rig *r) { return r->scsi->depth; }

static const struct async_ops scsi_ops = {
	"vscsi", VSCSI_TIMEOUT_US, scsi_submit, scsi_kick, scsi_complete, scsi_wait, scsi_stop,
	scsi_dead, scsi_in_flight, scsi_depth,
};

static void scsi_call(struct rig *r, struct fin *f, u8 op)
{
	struct vscsi *sc = r->scsi;
	struct span sp;
	int rc;

	switch (op) {
	case 0:
		span_begin(r, &sp);
		rc = vscsi_scan(sc);
		TRACE("  vscsi_scan = %d (%u units) %s\n", rc, sc->nluns, rc ? sc->why : "");
		check_rc(rc);
		FUZZ_CHECK(rc <= 0 && sc->nluns <= VSCSI_MAX_LUNS);
		for (unsigned i = 0; i < sc->nluns; i++)
			FUZZ_CHECK(strlen(sc->luns[i].vendor) <= 8 && strlen(sc->luns[i].product) <= 16);
		span_end(r, &sp, 0, 1, VSCSI_TIMEOUT_US);
		break;
	case 1:
	case 2:
		scsi_rw(r, f, op == 2);
		break;
	case 3: {
		struct vscsi_lun own;
		const struct vscsi_lun *l = pick_lun(r, f, &own);

		span_begin(r, &sp);
		rc = vscsi_sync(sc, l);
		TRACE("  vscsi_sync = %d %s\n", rc, rc ? sc->why : "");
		check_rc(rc);
		FUZZ_CHECK(rc <= 0);
		span_end(r, &sp, 0, 1, VSCSI_TIMEOUT_US);
		break;
	}
	case 4:
		scsi_command_raw(r, f);
		break;
	case 5:
		span_begin(r, &sp);
		rc = vscsi_events(sc);
		TRACE("  vscsi_events = %d (changed %d)\n", rc, sc->changed);
		check_rc(rc);
		span_end(r, &sp, 0, 0, 0);
		break;
	default:
		async_call(r, f, fin_u8(f), &scsi_ops);
		break;
	}
	if (sc->dead) {
		memset(r->tok, 0, sizeof(r->tok));
		r->in_flight = 0;
	}
	FUZZ_CHECK(sc->in_flight == r->in_flight);
	check_arena(r);
}

/* --- Bring-up --------------------------------------------------------------------------------- */

static int driver_init(struct rig *r, struct fin *f)
{
	struct vccw_options o;
	u8 b = fin_u8(f);
	struct span s;
	unsigned resets = D.resets;
	int rc;

	script_add(f);
	memset(&o, 0, sizeof(o));
	o.no_adapter = b & 1;
	o.max_revision = b & 6 ? (b >> 1 & 3) - 1 : 2;
	unpoison_tail(r);
	span_begin(r, &s);
	r->init_rc = rc = vccw_init(r->v, r->css, r->schid, kind_id[D.kind], &o);
	TRACE("  vccw_init = %d %s\n", rc, rc ? r->v->vdev.why : "");
	/* A reset that ended with channel end and device end but never
	 * reached the device (SIM_FAULT_STATUS) cannot be seen by the
	 * driver: the device keeps what the driver does not set again
	 * (feature word 1 at revision 0, queues not set up, held chains). */
	if (!rc && D.resets == resets) {
		TRACE("  device: lied about the reset\n");
		D.reset_lied = true;
		for (unsigned q = 0; q < NQ; q++)
			qlog[q].broken = true;
		for (unsigned i = 0; i < HELD; i++)
			held[i].stale = held[i].busy;
	}
	check_rc(rc);
	FUZZ_CHECK(rc <= 0);
	r->usable = rc == 0;
	if (!rc) {
		switch (D.kind) {
		case K_BLK:
			rc = vblk_init(r->blk, vccw_virtio(r->v), b >> 3);
			TRACE("  vblk_init = %d %s\n", rc, rc ? r->blk->why : "");
			if (!rc) {
				struct vblk *k = r->blk;

				/* A device that never reset may still speak the
				 * byte order of the revision before. */
				if (!D.reset_lied)
					FUZZ_CHECK(k->capacity == cfg_le(D.config, 0, 8));
				FUZZ_CHECK(k->blk_size >= VBLK_SECTOR &&
					   !(k->blk_size & (k->blk_size - 1)));
				FUZZ_CHECK(k->depth >= 1 && k->max_transfer >= VBLK_SECTOR &&
					   k->max_transfer % VBLK_SECTOR == 0);
			}
			memset(r->tok, 0, sizeof(r->tok));
			r->in_flight = 0;
			break;
		case K_NET:
			rc = vnet_init(r->net, vccw_virtio(r->v));
			TRACE("  vnet_init = %d %s\n", rc, rc ? r->net->why : "");
			if (!rc) {
				FUZZ_CHECK(!(r->net->mac[0] & 1) &&
					   memcmp(r->net->mac, "\0\0\0\0\0", 6));
				if (r->net->mac_from_device)
					FUZZ_CHECK(memcmp(r->net->mac, D.config, 6) == 0);
			}
			break;
		case K_CON:
			rc = vcon_init(r->con, vccw_virtio(r->v));
			TRACE("  vcon_init = %d %s\n", rc, rc ? r->con->why : "");
			if (!rc && r->con->multiport && !D.reset_lied)
				FUZZ_CHECK(r->con->max_ports == cfg_le(D.config, 4, 4) &&
					   r->con->max_ports);
			break;
		case K_SCSI:
			rc = vscsi_init(r->scsi, vccw_virtio(r->v));
			TRACE("  vscsi_init = %d %s\n", rc, rc ? r->scsi->why : "");
			if (!rc)
				FUZZ_CHECK(r->scsi->nreq >= 1 && r->scsi->nreq <= VSCSI_MAX_QUEUES &&
					   r->scsi->depth >= 1 && r->scsi->depth <= VSCSI_SLOTS);
			memset(r->tok, 0, sizeof(r->tok));
			r->in_flight = 0;
			break;
		default:
			rc = vrng_init(r->rng, vccw_virtio(r->v));
			TRACE("  vrng_init = %d %s\n", rc, rc ? r->rng->why : "");
			break;
		}
		check_rc(rc);
		FUZZ_CHECK(rc <= 0);
		r->init_rc = rc;
	}
	memcpy(r->snap_cfg, D.config, sizeof(r->snap_cfg));
	poison_tail(r);
	r->inits++;
	span_end(r, &s, 0, 1,
		 D.kind == K_BLK   ? VBLK_TIMEOUT_US
		 : D.kind == K_CON ? VCON_TIMEOUT_US
				   : VNET_TIMEOUT_US);
	return rc;
}

/* --- Device actions between the calls --------------------------------------------------------- */

/* Write what the device may write in a ring: the used ring (split), used
 * descriptors (packed). */
static void ring_write(struct fin *f)
{
	unsigned q = fin_u8(f) % NQ, num;
	u64 desc, drv, dev;
	bool be = !modern(), packed = negotiated(VIRTIO_F_RING_PACKED);
	u8 w = fin_u8(f), b[16];
	u8 *p;

	if (q >= D.model.nqueues)
		return;
	sim_vccw_get_queue(D.vccw, q, &num, &desc, &drv, &dev);
	if (!num)
		return;
	qlog[q].broken = true;
	D.used_lied = true;
	if (!packed) {
		switch (w % 3) {
		case 0: { /* one used element */
			unsigned slot = fin_u8(f) % num;

			sim_vdev_put(b, 4, pick(f), !be);
			sim_vdev_put(b + 4, 4, pick(f), !be);
			if ((p = sim_mem_ptr(R->sim, dev + 4 + 8u * slot, 8)) != NULL)
				memcpy(p, b, 8);
			break;
		}
		case 1: /* the used index */
			if ((p = sim_mem_ptr(R->sim, dev + 2, 2)) != NULL)
				sim_vdev_put(p, 2, sim_vdev_get(p, 2, !be) + (u16)(s8)fin_u8(f), !be);
			break;
		default: { /* raw bytes */
			u32 size = (u32)vring_used_size(num);
			u32 off = fin_u16(f) % size;
			u32 want = fin_u8(f) % 16u;
			u8 n = (u8)MIN(want, size - off);

			fin_bytes(f, b, n);
			if ((p = sim_mem_ptr(R->sim, dev + off, n)) != NULL)
				memcpy(p, b, n);
			break;
		}
		}
		return;
	}
	D.desc_foreign = true;
	{
		unsigned slot = fin_u8(f) % num;

		if (w & 1) {
			u8 fl = fin_u8(f);

			sim_vdev_put(b, 8, 0, !be);
			sim_vdev_put(b + 8, 4, pick(f), !be);
			sim_vdev_put(b + 12, 2, pick(f), !be);
			sim_vdev_put(b + 14, 2,
			      (fl & 1 ? VRING_PACKED_DESC_F_AVAIL : 0) |
				      (fl & 2 ? VRING_PACKED_DESC_F_USED : 0) | (fl >> 2 & 7),
			      !be);
		} else {
			fin_bytes(f, b, 16);
		}
		if ((p = sim_mem_ptr(R->sim, desc + 16u * slot, 16)) != NULL)
			memcpy(p, b, 16);
	}
}

static void fault(struct rig *r, struct fin *f)
{
	struct sim_fault ft;

	memset(&ft, 0, sizeof(ft));
	ft.kind = (enum sim_fault_kind)(fin_u8(f) % (SIM_FAULT_USED_RING + 1));
	ft.schid = r->schid;
	ft.insn = (enum sim_insn)(fin_u8(f) % SIM_INSN__COUNT);
	ft.cc = 1 + fin_u8(f) % 3;
	ft.count = fin_u8(f) % 3;
	ft.dstat = fin_u8(f);
	ft.cstat = fin_u8(f);
	ft.cmd = fin_u8(f);
	TRACE("  device: fault kind %d insn %d cc %d count %u dstat %02x cstat %02x cmd %02x\n",
	      (int)ft.kind, (int)ft.insn, ft.cc, ft.count, ft.dstat, ft.cstat, ft.cmd);
	(void)sim_fault_add(r->sim, &ft);
}

static void device_action(struct rig *r, struct fin *f, u8 op)
{
	/* The device's choices come from the input here, not its script. */
	D.in = f;
	switch (op % 11) {
	case 0: { /* end a chain the device holds */
		struct held *h = held_nth(fin_u8(f));
		u8 how = fin_u8(f);
		unsigned q;

		if (!h)
			break;
		q = h->q;
		TRACE("  device: end a held chain of queue %u (%u)\n", q, how & 7);
		act(h, how, false);
		publish(q, fin_u8(f));
		break;
	}
	case 1: { /* deliver into a receive queue */
		unsigned q = fin_u8(f) % NQ;

		TRACE("  device: deliver on queue %u\n", q);
		deliver(q, f);
		break;
	}
	case 2: /* take and serve, as if notified */
		TRACE("  device: serve\n");
		serve(fin_u8(f) % NQ);
		break;
	case 3:
		TRACE("  device: indicators\n");
		indicators(f);
		break;
	case 4:
		TRACE("  device: ring write (queue %u)\n", f->n ? f->p[0] % NQ : 0);
		ring_write(f);
		break;
	case 5: { /* a configuration change */
		unsigned off = fin_u8(f) % CFG_MAX, n = 1 + fin_u8(f) % 8;

		n = MIN(n, CFG_MAX - off);
		fin_bytes(f, D.config + off, n);
		TRACE("  device: configuration change at %u\n", off);
		if (!(fin_u8(f) & 1))
			sim_vccw_config_changed(D.vccw);
		break;
	}
	case 6:
		TRACE("  device: needs reset\n");
		sim_vccw_needs_reset(D.vccw);
		break;
	case 7: { /* away, and maybe back */
		u8 b = fin_u8(f);

		r->present = b & 1 ? !r->present : (b & 2) != 0;
		TRACE("  device: present %d\n", r->present);
		FUZZ_CHECK(sim_set_present(r->sim, r->schid, r->present) == 0);
		break;
	}
	case 8:
		TRACE("  device: fault\n");
		fault(r, f);
		break;
	case 10:
		script_add(f);
		TRACE("  device: script of %zu bytes\n", script.n);
		break;
	default: { /* publish, or change what notifications it asks for */
		unsigned q = fin_u8(f) % NQ;
		struct vqd *v = vqd_of(q);
		u8 b = fin_u8(f);

		if (!v)
			break;
		TRACE("  device: publish queue %u (%u)\n", q, b & 3);
		if ((b & 3) == 0)
			sim_vccw_queue_done(D.vccw, q);
		else if ((b & 3) == 1)
			vqd_flush(v);
		else if ((b & 3) == 2)
			(void)vqd_enable_notify(v);
		else
			vqd_disable_notify(v);
		break;
	}
	}
	D.in = &script;
}

static void driver_call(struct rig *r, struct fin *f, u8 op)
{
	/* Only a new bring-up, over a transport that failed. */
	if (!r->usable) {
		if (r->inits < MAX_INITS && (D.kind == K_BLK	? op % 11 == 10
					     : D.kind == K_SCSI ? op % 8 == 7
					     : D.kind == K_RNG	? op % 2 == 1
								: op % 4 == 3))
			driver_init(r, f);
		return;
	}
	switch (D.kind) {
	case K_SCSI:
		op %= 8;
		if (op < 7)
			scsi_call(r, f, op);
		else if (r->inits < MAX_INITS)
			driver_init(r, f);
		break;
	case K_BLK:
		op %= 11;
		if (op < 5)
			blk_sync(r, f, op);
		else if (op < 10)
			async_call(r, f, (u8)(op - 5), &blk_ops);
		else if (r->inits < MAX_INITS)
			driver_init(r, f);
		break;
	case K_NET:
		op %= 4;
		if (op == 0)
			net_send(r, f);
		else if (op == 1)
			net_recv(r, f);
		else if (op == 2)
			net_link(r);
		else if (r->inits < MAX_INITS)
			driver_init(r, f);
		break;
	case K_CON:
		op %= 4;
		if (op == 0)
			con_write(r, f);
		else if (op < 3)
			con_read(r, f, op == 2);
		else if (r->inits < MAX_INITS)
			driver_init(r, f);
		break;
	default:
		if (op % 2 == 0)
			rng_read(r, f);
		else if (r->inits < MAX_INITS)
			driver_init(r, f);
		break;
	}
}

/* --- The machine ------------------------------------------------------------------------------ */

static void pgm(int code, const char *insn)
{
	fprintf(stderr, "program interruption %04x on %s: the driver passed a bad operand\n", code,
		insn);
	abort();
}

static void no_output(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

/*
 * Guest memory enough for every bring-up the input may do: the channel
 * layer, the arena, and per bring-up the transport's, the rings' (legacy
 * layout at worst, indirect tables, the driver's shadows) and the
 * driver's buffers. Only what it needs: ASan poisons and unpoisons the
 * shadow of the whole block at each allocation and free.
 */
static u64 mem_needed(void)
{
	u64 per = 2048;

	for (unsigned q = 0; q < D.model.nqueues; q++) {
		u64 n = D.qmax[q];

		per += ALIGN_UP(18 * n + 6, (u64)4096) + ALIGN_UP(8 * n + 6, (u64)4096) +
		       (40 + 256) * n + 256;
	}
	per += D.kind == K_SCSI	 ? 16384u
	       : D.kind == K_BLK ? 64u * D.qmax[0] + 128
	       : D.kind == K_NET ? (VNET_RX_BUFS + VNET_TX_BUFS) * 1544u
	       : D.kind == K_CON ? 6144u
				 : VRNG_CHUNK;
	return ALIGN_UP(HOST_DMA_BASE + 8192 + NSLOT * (SLOT + GUARD) + TAIL + MAX_INITS * per,
			(u64)4096);
}

/*
 * The header: h0 the driver (bits 0-1; 3 with bit 4: virtio-scsi), the
 * architecture profile (2), deferred completion (3), a console port (4),
 * virtio-rng's chunk (5-6),
 * no adapter indicators (7); h1 the transport (revision, transitional,
 * ring features; inverted where 0 is QEMU's default); the device's
 * feature bits; each queue's size (0: 16, 0xFF: absent, 0xFE: 256); the
 * configuration's length (0: the device type's; bit 7: guest memory too
 * small for the driver) and its bytes, little-endian. Then the driver's
 * first bring-up (driver_init()) and up to MAX_OPS operations: below 0x80
 * a driver call, else a device action.
 */
static bool machine(struct rig *r, struct fin *f)
{
	u8 h0 = fin_u8(f), h1 = fin_u8(f), cl;
	struct sim_config cfg = {
		.mem_size = 0,
		.profile = h0 & 4 ? SIM_PROFILE_ARCH : SIM_PROFILE_QEMU,
		.completion = h0 & 8 ? SIM_COMPLETE_DEFERRED : SIM_COMPLETE_SYNC,
	};
	struct sim_vccw_config t;
	struct sim_dev_config dev;
	long schid;

	memset(&D, 0, sizeof(D));
	held_clear();
	for (unsigned q = 0; q < NQ; q++)
		log_reset(&qlog[q]);
	script.p = script_buf;
	script.n = 0;
	D.in = &script;
	D.kind = (enum kind)(h0 & 3);
	/* virtio-scsi: the virtio-rng choice with bit 4 (the console's port). */
	if (D.kind == K_RNG && (h0 & 16))
		D.kind = K_SCSI;
	D.console_port = h0 & 16;
	D.rng_chunk = (u32[]){ 0, 7, 64, 200 }[(h0 >> 5) & 3];
	D.rng_state = 0x2545F4914F6CDD1Dull;

	memset(&t, 0, sizeof(t));
	t.max_revision = (2 + (h1 & 3)) % 3;
	t.transitional = !(h1 & 4);
	t.version_1 = !(h1 & 8);
	t.event_idx = !(h1 & 16);
	t.indirect_desc = !(h1 & 32);
	t.ring_packed = h1 & 64;
	t.in_order = h1 & 128;
	t.adapter = !(h0 & 128);
	t.legacy_bits = true;

	D.model.device_id = kind_id[D.kind];
	D.model.features = fin_u32(f) & 0xFFFFFFu;
	D.model.nqueues = kind_nq[D.kind];
	for (unsigned q = 0; q < D.model.nqueues; q++) {
		u8 b = fin_u8(f);

		D.qmax[q] = b == 0 ? 16 : b == 0xFF ? 0 : b == 0xFE ? 256 : b;
	}
	D.model.queue_max = D.qmax;
	cl = fin_u8(f);
	D.config_len = cl & 0x7F ? (cl & 0x7Fu) % (CFG_MAX + 1) : kind_cfg[D.kind];
	fin_bytes(f, D.config, D.config_len);
	D.model.config_len = D.config_len;
	D.model.read_config = m_read_config;
	D.model.queue_notify = m_notify;
	D.model.reset = m_reset;

	r->mem = cl & 0x80 ? MEM_TIGHT : mem_needed();
	cfg.mem_size = r->mem;
	r->sim = sim_create(&cfg);
	FUZZ_CHECK(r->sim);
	memset(&dev, 0, sizeof(dev));
	dev.schno = 0;
	dev.devno = 0x0001;
	schid = sim_vccw_attach(r->sim, &dev, &t, &D.model, &D, &D.vccw);
	FUZZ_CHECK(schid >= 0);
	r->schid = (u32)schid;
	r->present = true;
	host_bind(r->sim);
	r->css = calloc(1, sizeof(*r->css));
	r->v = calloc(1, sizeof(*r->v));
	FUZZ_CHECK(r->css && r->v);
	if (css_init(r->css))
		return false;
	/* The caller's data buffers, in DMA memory, each followed by a guard. */
	r->arena = port_dma_alloc(NSLOT * (SLOT + GUARD), 64);
	FUZZ_CHECK(r->arena);
	r->arena_addr = port_dma_addr(r->arena);
	memset(shadow, 0, sizeof(shadow));
	for (unsigned i = 0; i < NSLOT; i++)
		ASAN_POISON_MEMORY_REGION(slot_ptr(r, i) + SLOT, GUARD);
	switch (D.kind) {
	case K_BLK:
		r->blk = calloc(1, sizeof(*r->blk));
		break;
	case K_NET:
		r->net = calloc(1, sizeof(*r->net));
		break;
	case K_CON:
		r->con = calloc(1, sizeof(*r->con));
		break;
	case K_SCSI:
		r->scsi = calloc(1, sizeof(*r->scsi));
		break;
	default:
		r->rng = calloc(1, sizeof(*r->rng));
		break;
	}
	FUZZ_CHECK(r->blk || r->net || r->con || r->rng || r->scsi);
	return true;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static bool ready;
	struct fin in = { data, size };
	struct rig r;

	if (!ready) {
		ready = true;
		host_set_pgm_handler(pgm);
		host_set_output(no_output, NULL);
	}
	memset(&r, 0, sizeof(r));
	R = &r;
	if (machine(&r, &in)) {
		if (fuzz_tracing()) {
			sim_trace(r.sim, stderr, SIM_TRACE_ALL);
			fprintf(stderr, "virtio-%s, queues %u %u %u %u, features 0x%llx\n",
				kind_name[D.kind], D.qmax[0], D.qmax[1], D.qmax[2], D.qmax[3],
				(unsigned long long)D.model.features);
		}
		driver_init(&r, &in);
		for (unsigned op = 0; op < MAX_OPS && fin_left(&in) && host_clock_us() < BUDGET_US;
		     op++) {
			u8 b = fin_u8(&in);

			if (b < 0x80)
				driver_call(&r, &in, b);
			else
				device_action(&r, &in, (u8)(b - 0x80));
		}
	}
	unpoison_tail(&r);
	for (unsigned i = 0; r.arena && i < NSLOT; i++)
		ASAN_UNPOISON_MEMORY_REGION(slot_ptr(&r, i) + SLOT, GUARD);
	sim_destroy(r.sim);
	host_bind(NULL);
	free(r.css);
	free(r.v);
	free(r.blk);
	free(r.net);
	free(r.con);
	free(r.rng);
	free(r.scsi);
	R = NULL;
	return 0;
}
