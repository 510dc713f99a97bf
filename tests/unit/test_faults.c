/*
 * The fault matrix: every virtio-ccw setup command and every I/O path of
 * every driver (virtio-blk, -net, -console, -rng, -scsi; 3215 console; 3390 ECKD
 * by both channel-program styles) against every fault the simulator can
 * inject: condition codes 1, 2 and 3 at the start, unit check with command
 * reject or with other sense, channel-program, protection and
 * channel-control check, busy, a lost and a spurious interruption, the
 * device going away mid-operation, a corrupted used ring.
 *
 * Each cell runs on a fresh machine holding all seven devices, every driver
 * up (the target's too, except in the setup rows, where bringing the
 * virtio-blk device up is the operation). The fault is armed on the target
 * alone; then the cell asserts:
 *   - the operation either succeeds with the right data ("recovered") or
 *     returns a negative error with a reason in words ("failed-clean");
 *   - it returned within its bound of virtual time (no hang);
 *   - the fault struck (a cell where it cannot strike says so: "n/a");
 *   - every other device still works, with its data;
 *   - the target comes back (driver brought up again) once the fault is
 *     cleared, unless it went away, and then fails at once, bounded.
 * Out-of-bounds accesses are the sanitizers' and the simulator's part:
 * guest memory is bounds-checked, host memory is under ASan.
 *
 * The matrix runs in both behaviour profiles and is printed as a table;
 * FAULTS_VERBOSE=1 in the environment also lists every clean failure's
 * reason.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot/host/host.h"
#include "ccw/vccw.h"
#include "devices/con3215.h"
#include "devices/eckd.h"
#include "devices/vblk.h"
#include "devices/vcon.h"
#include "devices/vnet.h"
#include "devices/vrng.h"
#include "devices/vscsi.h"
#include "sim/con3215.h"
#include "sim/dasd.h"
#include "sim/dev_scsi.h"
#include "sim/vdev.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"

#define RIG_MEM	  (8u << 20)
#define DISK	  (64u << 10)
#define DASD_CYLS 3u
#define DL	  4096u
#define SERIAL	  "FAULT-MATRIX-BLK"

/* The devices of every cell's machine. */
enum dev { D_BLK, D_NET, D_CON, D_RNG, D_SCSI, D_3215, D_DASD, D__COUNT };
static const char *const dev_name[D__COUNT] = { "virtio-blk", "virtio-net", "virtio-console",
						"virtio-rng", "virtio-scsi", "3215", "3390" };

struct rig {
	struct sim *sim;
	struct css css;
	u32 schid[D__COUNT];
	struct vccw *v[D_SCSI + 1];
	struct vblk *blk;
	struct vnet *net;
	struct vcon *con;
	struct vrng *rng;
	struct vscsi *scsi;
	struct con3215 *c3215;
	struct eckd *eckd;
	struct sim_net *mnet;
	struct sim_con *mcon;
	struct sim_con3215 *m3215;
	u8 *dma;  /* 4 pages of DMA memory for the operations' data */
	u8 *want; /* what the operation should have brought or left */
	bool no_adapter; /* virtio-blk with classic indicators */
};

/* The disk images, made once per run by the suite's set-up: the DASD
 * formatted, the virtio-blk disk holding a pattern at sector 8. */
static char dasd_dir[224];
static char dasd_path[256];
static char disk_path[256];
static char scsi_path[256];     /* the scsi-hd at 0:0: the same bytes as disk_path */
#define DISK_READ_SEED 55u

static void pattern(u8 *p, size_t len, u32 seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (u8)(seed * 131u + i * 7u + (i >> 8));
}

/* --- The machine -------------------------------------------------------------- */

static long add(struct rig *r, enum dev d, char *why)
{
	struct sim_dev_config dev;

	dev = unit_dev(0);
	switch (d) {
	case D_BLK: {
		struct sim_blk_opts o = { .path = disk_path, .serial = SERIAL };

		dev.devno = 0x0001;
		return sim_vdev_blk(r->sim, &dev, NULL, &o, why);
	}
	case D_NET: {
		struct sim_net_opts o = { .user_net = true };

		dev.devno = 0x0002;
		return sim_vdev_net(r->sim, &dev, NULL, &o, why);
	}
	case D_CON: {
		struct sim_con_opts o = { .out_fd = -1, .in_fd = -1, .console_port = true };

		dev.devno = 0x0003;
		return sim_vdev_console(r->sim, &dev, NULL, &o, why);
	}
	case D_RNG: {
		struct sim_rng_opts o = { .seeded = true, .seed = 8 };

		dev.devno = 0x0004;
		return sim_vdev_rng(r->sim, &dev, NULL, &o);
	}
	case D_SCSI: {
		struct sim_scsi_opts o = { .nluns = 1 };

		o.lun[0] = (struct sim_scsi_lun){ .path = scsi_path };
		dev.devno = 0x0005;
		return sim_vdev_scsi(r->sim, &dev, NULL, &o, why);
	}
	case D_3215: {
		struct sim_con3215_opts o = { 0x3215, -1, -1, false, false };

		dev.devno = 0x0009;
		return sim_con3215_add(r->sim, &dev, &o, why);
	}
	default: {
		struct sim_dasd_opts o = { dasd_path, false };

		dev.devno = 0x0120;
		return sim_dasd_add(r->sim, &dev, &o, why);
	}
	}
}

static bool rig_build(struct rig *r, enum sim_profile profile, enum sim_completion completion)
{
	char why[SIM_WHY_LEN];

	memset(r, 0, sizeof(*r));
	r->sim = drvrig_machine(profile, completion, RIG_MEM, false);
	if (!r->sim)
		return false;
	for (int d = 0; d < D__COUNT; d++) {
		long schid = add(r, (enum dev)d, why);

		if (schid < 0) {
			fprintf(stderr, "faults: adding %s: %s\n", dev_name[d], why);
			return false;
		}
		r->schid[d] = (u32)schid;
	}
	r->mnet = sim_net_find(r->sim, r->schid[D_NET]);
	r->mcon = sim_con_find(r->sim, r->schid[D_CON]);
	r->m3215 = sim_con3215_find(r->sim, r->schid[D_3215]);
	if (!drvrig_bind(r->sim, &r->css))
		return false;
	r->dma = port_dma_alloc(4 * DL, DL);
	r->want = malloc(4 * DL);
	return r->dma && r->want && r->mnet && r->mcon && r->m3215;
}

static void rig_fini(struct rig *r)
{
	drvrig_close(&r->sim);
	free(r->want);
}

static const unsigned virtio_id[D_SCSI + 1] = { VIRTIO_ID_BLOCK, VIRTIO_ID_NET, VIRTIO_ID_CONSOLE,
						VIRTIO_ID_RNG, VIRTIO_ID_SCSI };

/*
 * Bring device d up with a fresh driver (fresh DMA memory too: a driver
 * given up on may still be named by the device's old settings). Returns 0
 * or the error, and *why the reason.
 */
static int up(struct rig *r, enum dev d, const char **why)
{
	static const char none[] = "";
	int err;

	*why = none;
	if (d <= D_SCSI) {
		struct vccw *v = drvrig_transport();
		struct vccw_options vo = { .max_revision = -1,
					  .no_adapter = r->no_adapter && d == D_BLK };

		if (!v)
			return -VERR_NOMEM;
		r->v[d] = v;
		err = vccw_init(v, &r->css, r->schid[d], virtio_id[d], &vo);
		if (err) {
			*why = v->vdev.why;
			return err;
		}
	}
	switch (d) {
	case D_BLK:
		r->blk = port_dma_alloc(sizeof(*r->blk), 8);
		err = vblk_init(r->blk, vccw_virtio(r->v[d]), 0);
		*why = r->blk->why;
		return err;
	case D_NET:
		r->net = port_dma_alloc(sizeof(*r->net), 8);
		err = vnet_init(r->net, vccw_virtio(r->v[d]));
		*why = r->net->why;
		return err;
	case D_CON:
		r->con = port_dma_alloc(sizeof(*r->con), 8);
		err = vcon_init(r->con, vccw_virtio(r->v[d]));
		*why = r->con->why;
		return err;
	case D_RNG:
		r->rng = port_dma_alloc(sizeof(*r->rng), 8);
		err = vrng_init(r->rng, vccw_virtio(r->v[d]));
		*why = r->rng->why;
		return err;
	case D_SCSI:
		/* Up, and its one disk found. */
		r->scsi = port_dma_alloc(sizeof(*r->scsi), 8);
		err = vscsi_init(r->scsi, vccw_virtio(r->v[d]));
		if (!err)
			err = vscsi_scan(r->scsi);
		*why = r->scsi->why;
		if (!err && (r->scsi->nluns != 1 || r->scsi->luns[0].blocks != DISK / 512)) {
			*why = "the scan did not find the disk";
			return -VERR_PROTO;
		}
		return err;
	case D_3215:
		r->c3215 = port_dma_alloc(sizeof(*r->c3215), 8);
		err = css_enable(&r->css, r->schid[d], r->schid[d]);
		if (!err)
			err = con3215_init(r->c3215, &r->css, r->schid[d]);
		*why = r->c3215->why;
		return err;
	default:
		r->eckd = port_dma_alloc(sizeof(*r->eckd), 8);
		err = css_enable(&r->css, r->schid[d], r->schid[d]);
		if (!err)
			err = eckd_init(r->eckd, &r->css, r->schid[d]);
		*why = r->eckd->why;
		return err;
	}
}

/* --- The operations --------------------------------------------------------- */

/*
 * One operation of a row. run() performs it with the fault armed and
 * returns 0 or a negative error with *why; when it succeeded, check()
 * (with the fault cleared) says whether the data is right.
 */
struct op_ctx {
	struct rig *r;
	const char *why;
	u32 seed;
	u64 before; /* a counter read before the operation */
};

/* The disk's areas, 4 KiB each: sector 8 is read, 16 written by the write
 * row, 24 by the setup rows' check, 32 by the bystander check. */
static int blk_write_sectors(struct rig *r, u64 sector, u32 seed)
{
	pattern(r->dma, DL, seed);
	return vblk_write(r->blk, sector, r->dma, DL);
}

static bool blk_holds(struct rig *r, u64 sector, u32 seed)
{
	pattern(r->want, DL, seed);
	memset(r->dma, 0, DL);
	return vblk_read(r->blk, sector, r->dma, DL) == 0 && !memcmp(r->dma, r->want, DL);
}

/* Setup rows: bring virtio-blk up; it works afterwards. */
static int run_setup(struct op_ctx *o)
{
	return up(o->r, D_BLK, &o->why);
}

/* The same with classic indicators (the transport told not to try adapter ones). */
static int run_setup_classic(struct op_ctx *o)
{
	o->r->no_adapter = true;
	return up(o->r, D_BLK, &o->why);
}

static bool check_setup(struct op_ctx *o)
{
	return blk_write_sectors(o->r, 24, o->seed) == 0 && blk_holds(o->r, 24, o->seed);
}

static int run_blk_read(struct op_ctx *o)
{
	o->why = o->r->blk->why;
	memset(o->r->dma, 0, DL);
	return vblk_read(o->r->blk, 8, o->r->dma, DL);
}

static bool check_blk_read(struct op_ctx *o)
{
	pattern(o->r->want, DL, DISK_READ_SEED);
	return !memcmp(o->r->dma, o->r->want, DL);
}

static int run_blk_write(struct op_ctx *o)
{
	o->why = o->r->blk->why;
	return blk_write_sectors(o->r, 16, o->seed);
}

static bool check_blk_write(struct op_ctx *o)
{
	return blk_holds(o->r, 16, o->seed);
}

static int run_blk_flush(struct op_ctx *o)
{
	o->why = o->r->blk->why;
	return vblk_flush(o->r->blk);
}

static bool check_true(struct op_ctx *o)
{
	(void)o;
	return true;
}

static int run_blk_id(struct op_ctx *o)
{
	char *id = (char *)o->r->dma;

	o->why = o->r->blk->why;
	return vblk_get_id(o->r->blk, id);
}

static bool check_blk_id(struct op_ctx *o)
{
	return !strcmp((char *)o->r->dma, SERIAL);
}

/* An ARP request for the gateway (10.0.2.2) from 10.0.2.15. */
static u32 arp_frame(u8 *f, const u8 mac[6])
{
	static const u8 tail[] = { 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01 };
	u32 n = 0;

	memset(f, 0, 60);
	memset(f, 0xFF, 6);
	memcpy(f + 6, mac, 6);
	memcpy(f + 12, tail, sizeof(tail));
	n = 12 + sizeof(tail);
	memcpy(f + n, mac, 6);
	f[n + 6] = 10, f[n + 7] = 0, f[n + 8] = 2, f[n + 9] = 15;
	f[n + 16] = 10, f[n + 17] = 0, f[n + 18] = 2, f[n + 19] = 2;
	return 60;
}

static u64 net_tx(struct rig *r)
{
	struct sim_net_stats s;

	sim_net_get_stats(r->mnet, &s);
	return s.tx_frames;
}

static void prep_net_send(struct op_ctx *o)
{
	o->before = net_tx(o->r);
}

static int run_net_send(struct op_ctx *o)
{
	u8 f[60];

	o->why = o->r->net->why;
	return vnet_send(o->r->net, f, arp_frame(f, o->r->net->mac));
}

static bool check_net_send(struct op_ctx *o)
{
	return net_tx(o->r) == o->before + 1;
}

/* A frame for the guest: its address, a test ethertype, a numbered payload. */
static u32 rx_frame(struct rig *r, u32 seed)
{
	u8 *f = r->want;

	pattern(f, 96, seed);
	memcpy(f, r->net->mac, 6);
	f[12] = 0x88, f[13] = 0xB5; /* local experimental ethertype */
	return 96;
}

static int run_net_recv(struct op_ctx *o)
{
	u32 len = rx_frame(o->r, o->seed);
	int n;

	o->why = o->r->net->why;
	if (sim_net_inject(o->r->mnet, o->r->want, len))
		return -VERR_NOMEM;
	n = vnet_recv(o->r->net, o->r->dma, VNET_FRAME_MAX, port_now_us() + VNET_TIMEOUT_US);
	if (n == 0) {
		o->why = "no frame before the deadline";
		return -VERR_TIMEOUT;
	}
	o->before = n > 0 ? (u64)n : 0;
	return n < 0 ? n : 0;
}

static bool check_net_recv(struct op_ctx *o)
{
	return o->before == 96 && !memcmp(o->r->dma, o->r->want, 96);
}

/* The link status, read afresh from the configuration (READ_CONF). */
static int run_net_link(struct op_ctx *o)
{
	int up_ = vnet_link_up(o->r->net);

	o->why = o->r->net->why;
	o->before = up_ > 0;
	return up_ < 0 ? up_ : 0;
}

static bool check_net_link(struct op_ctx *o)
{
	return o->before == 1;
}

static u64 con_out(struct rig *r)
{
	struct sim_con_stats s;

	sim_con_get_stats(r->mcon, &s);
	return s.out_bytes;
}

static void prep_con_write(struct op_ctx *o)
{
	o->before = con_out(o->r);
}

static int run_con_write(struct op_ctx *o)
{
	o->why = o->r->con->why;
	return vcon_write(o->r->con, "fault matrix\n", 13);
}

static bool check_con_write(struct op_ctx *o)
{
	return con_out(o->r) == o->before + 13;
}

static int run_con_read(struct op_ctx *o)
{
	char *buf = (char *)o->r->dma;
	int n;

	o->why = o->r->con->why;
	if (sim_con_input(o->r->mcon, "abc\n", 4))
		return -VERR_NOMEM;
	n = vcon_read(o->r->con, buf, 64, port_now_us() + VCON_TIMEOUT_US);
	if (n == 0) {
		o->why = "no input before the deadline";
		return -VERR_TIMEOUT;
	}
	o->before = n > 0 ? (u64)n : 0;
	return n < 0 ? n : 0;
}

static bool check_con_read(struct op_ctx *o)
{
	return o->before == 4 && !memcmp(o->r->dma, "abc\n", 4);
}

static int run_rng(struct op_ctx *o)
{
	o->why = o->r->rng->why;
	memset(o->r->dma, 0, 256);
	return vrng_read(o->r->rng, o->r->dma, 256);
}

static bool check_rng(struct op_ctx *o)
{
	unsigned zero = 0;

	for (unsigned i = 0; i < 256; i++)
		zero += !o->r->dma[i];
	return zero < 32;
}

static u64 c3215_out(struct rig *r)
{
	struct sim_con3215_stats s;

	sim_con3215_get_stats(r->m3215, &s);
	return s.bytes_out;
}

static void prep_3215_write(struct op_ctx *o)
{
	o->before = c3215_out(o->r);
}

static int run_3215_write(struct op_ctx *o)
{
	o->why = o->r->c3215->why;
	return con3215_write_line(o->r->c3215, "fault matrix", 12);
}

static bool check_3215_write(struct op_ctx *o)
{
	return c3215_out(o->r) == o->before + 12;
}

static u64 c3215_alarms(struct rig *r)
{
	struct sim_con3215_stats s;

	sim_con3215_get_stats(r->m3215, &s);
	return s.alarms;
}

static void prep_3215_alarm(struct op_ctx *o)
{
	o->before = c3215_alarms(o->r);
}

static int run_3215_alarm(struct op_ctx *o)
{
	o->why = o->r->c3215->why;
	return con3215_alarm(o->r->c3215);
}

static bool check_3215_alarm(struct op_ctx *o)
{
	return c3215_alarms(o->r) == o->before + 1;
}

static int run_3215_read(struct op_ctx *o)
{
	char *buf = (char *)o->r->dma;
	int n;

	o->why = o->r->c3215->why;
	if (sim_con3215_input(o->r->m3215, "hello", 5))
		return -VERR_NOMEM;
	n = con3215_read(o->r->c3215, buf, 64, port_now_us() + CON3215_TIMEOUT_US);
	o->before = n > 0 ? (u64)n : 0;
	return n < 0 ? n : 0;
}

static bool check_3215_read(struct op_ctx *o)
{
	return o->before == 5 && !strcmp((char *)o->r->dma, "hello");
}

/* The DASD's areas: cylinder 1 head 0 is read, head 1 written, cylinder 2
 * formatted; two 4096-byte records a track. */
static const struct eckd_run dasd_read_run = { 1, 0, 1, 2, DL, 2 };
static const struct eckd_run dasd_write_run = { 1, 1, 1, 2, DL, 2 };
static const struct eckd_run dasd_format_run = { 2, 0, 1, 2, DL, 2 };
#define DASD_READ_SEED 77u

static bool dasd_holds(struct rig *r, const struct eckd_run *run, u32 seed)
{
	pattern(r->want, 2 * DL, seed);
	memset(r->dma, 0, 2 * DL);
	return eckd_read(r->eckd, ECKD_VIA_ECKD, run, r->dma) == 0 &&
	       !memcmp(r->dma, r->want, 2 * DL);
}

static int run_dasd_read(struct op_ctx *o, enum eckd_via via)
{
	o->why = o->r->eckd->why;
	memset(o->r->dma, 0, 2 * DL);
	return eckd_read(o->r->eckd, via, &dasd_read_run, o->r->dma);
}

static int run_dasd_read_eckd(struct op_ctx *o)
{
	return run_dasd_read(o, ECKD_VIA_ECKD);
}

static int run_dasd_read_classic(struct op_ctx *o)
{
	return run_dasd_read(o, ECKD_VIA_CLASSIC);
}

static bool check_dasd_read(struct op_ctx *o)
{
	pattern(o->r->want, 2 * DL, DASD_READ_SEED);
	return !memcmp(o->r->dma, o->r->want, 2 * DL);
}

static int run_dasd_volser(struct op_ctx *o, enum eckd_via via)
{
	o->why = o->r->eckd->why;
	memset(o->r->dma, 0, 8);
	return eckd_volser(o->r->eckd, via, (char *)o->r->dma);
}

static int run_dasd_volser_eckd(struct op_ctx *o)
{
	return run_dasd_volser(o, ECKD_VIA_ECKD);
}

static int run_dasd_volser_classic(struct op_ctx *o)
{
	return run_dasd_volser(o, ECKD_VIA_CLASSIC);
}

static bool check_dasd_volser(struct op_ctx *o)
{
	return !strcmp((char *)o->r->dma, "FAULTS");
}

/* Count, key and data of record 2 of the read track. */
static int run_dasd_ckd(struct op_ctx *o)
{
	struct eckd_count c;
	u32 len = 0;
	int err;

	o->why = o->r->eckd->why;
	memset(o->r->dma, 0, DL);
	err = eckd_read_ckd(o->r->eckd, ECKD_VIA_ECKD, 1, 0, 2, &c, o->r->dma, DL, &len);
	o->before = (u64)len | (u64)c.rec << 32;
	return err;
}

static bool check_dasd_ckd(struct op_ctx *o)
{
	pattern(o->r->want, 2 * DL, DASD_READ_SEED);
	return o->before == (DL | 2ull << 32) && !memcmp(o->r->dma, o->r->want + DL, DL);
}

static int run_dasd_write(struct op_ctx *o, enum eckd_via via)
{
	o->why = o->r->eckd->why;
	pattern(o->r->dma, 2 * DL, o->seed);
	return eckd_write(o->r->eckd, via, &dasd_write_run, o->r->dma);
}

static int run_dasd_write_eckd(struct op_ctx *o)
{
	return run_dasd_write(o, ECKD_VIA_ECKD);
}

static int run_dasd_write_classic(struct op_ctx *o)
{
	return run_dasd_write(o, ECKD_VIA_CLASSIC);
}

static bool check_dasd_write(struct op_ctx *o)
{
	return dasd_holds(o->r, &dasd_write_run, o->seed);
}

static int run_dasd_format(struct op_ctx *o, enum eckd_via via)
{
	o->why = o->r->eckd->why;
	pattern(o->r->want, 2 * DL, o->seed);
	return eckd_format(o->r->eckd, via, &dasd_format_run, o->r->want);
}

static int run_dasd_format_eckd(struct op_ctx *o)
{
	return run_dasd_format(o, ECKD_VIA_ECKD);
}

static int run_dasd_format_classic(struct op_ctx *o)
{
	return run_dasd_format(o, ECKD_VIA_CLASSIC);
}

static bool check_dasd_format(struct op_ctx *o)
{
	return dasd_holds(o->r, &dasd_format_run, o->seed);
}

/* virtio-scsi: the disk at 0:0 holds what the virtio-blk disk holds. */
static int scsi_write_blocks(struct rig *r, u64 lba, u32 seed)
{
	pattern(r->dma, DL, seed);
	return vscsi_write(r->scsi, &r->scsi->luns[0], lba, DL / 512, r->dma);
}

static bool scsi_holds(struct rig *r, u64 lba, u32 seed)
{
	pattern(r->want, DL, seed);
	memset(r->dma, 0, DL);
	return vscsi_read(r->scsi, &r->scsi->luns[0], lba, DL / 512, r->dma) == 0 &&
	       !memcmp(r->dma, r->want, DL);
}

/* The driver polls after its kick and asks for an interruption only when
 * it waits; its scan left none asked for. Asked for here (a wait that
 * ends at once), the operation's completion is due one, as a virtio-blk
 * request's is after bring-up. */
static void prep_scsi(struct op_ctx *o)
{
	vscsi_wait(o->r->scsi, 0);
}

static int run_scsi_read(struct op_ctx *o)
{
	o->why = o->r->scsi->why;
	memset(o->r->dma, 0, DL);
	return vscsi_read(o->r->scsi, &o->r->scsi->luns[0], 8, DL / 512, o->r->dma);
}

static int run_scsi_write(struct op_ctx *o)
{
	o->why = o->r->scsi->why;
	return scsi_write_blocks(o->r, 16, o->seed);
}

static bool check_scsi_write(struct op_ctx *o)
{
	return scsi_holds(o->r, 16, o->seed);
}

static int run_scsi_sync(struct op_ctx *o)
{
	o->why = o->r->scsi->why;
	return vscsi_sync(o->r->scsi, &o->r->scsi->luns[0]);
}

/* Discovery again: REPORT LUNS on every target, INQUIRY, TEST UNIT
 * READY, READ CAPACITY. */
static int run_scsi_scan(struct op_ctx *o)
{
	o->why = o->r->scsi->why;
	return vscsi_scan(o->r->scsi);
}

static bool check_scsi_scan(struct op_ctx *o)
{
	const struct vscsi *s = o->r->scsi;

	return s->nluns == 1 && s->luns[0].blocks == DISK / 512 && s->luns[0].blk_size == 512;
}

/* --- Rows and columns ---------------------------------------------------------- */

/* SETUP: bringing virtio-blk up; VIRTIO_IO: a request through the rings;
 * CHANNEL_IO: an operation that runs channel programs (the classic
 * devices, and virtio configuration reads). */
enum row_kind { SETUP, VIRTIO_IO, CHANNEL_IO };

struct row {
	const char *name;
	enum row_kind kind;
	enum dev dev;
	u8 cmd; /* SETUP: the virtio-ccw command the fault aims at */
	void (*prep)(struct op_ctx *o);
	int (*run)(struct op_ctx *o);
	bool (*check)(struct op_ctx *o);
	u64 bound_us; /* virtual time the operation may take, whatever happens */
};

/*
 * Bounds: a setup command may cost one channel-program timeout before the
 * transport gives up or recovers, and the bring-up has a dozen of them;
 * an I/O call is bounded by its own timeout plus the reset that follows
 * a failure.
 */
#define SETUP_BOUND (3u * CSS_DEFAULT_TIMEOUT_US)
#define BLK_BOUND   (VBLK_TIMEOUT_US + CSS_DEFAULT_TIMEOUT_US)
#define NET_BOUND   (VNET_TIMEOUT_US + CSS_DEFAULT_TIMEOUT_US)
#define CON_BOUND   (VCON_TIMEOUT_US + CSS_DEFAULT_TIMEOUT_US)
#define RNG_BOUND   (VRNG_TIMEOUT_US + CSS_DEFAULT_TIMEOUT_US)
#define SCSI_BOUND  (VSCSI_TIMEOUT_US + CSS_DEFAULT_TIMEOUT_US)
#define C3215_BOUND (CON3215_TIMEOUT_US + CSS_DEFAULT_TIMEOUT_US)
#define DASD_BOUND  (ECKD_TIMEOUT_US + CSS_DEFAULT_TIMEOUT_US)

#define SETUP_ROW(c, n) { n, SETUP, D_BLK, c, NULL, run_setup, check_setup, SETUP_BOUND }

static const struct row rows[] = {
	SETUP_ROW(VCCW_CMD_SET_VIRTIO_REV, "SET_VIRTIO_REV"),
	SETUP_ROW(VCCW_CMD_VDEV_RESET, "VDEV_RESET"),
	SETUP_ROW(VCCW_CMD_READ_FEAT, "READ_FEAT"),
	SETUP_ROW(VCCW_CMD_WRITE_FEAT, "WRITE_FEAT"),
	SETUP_ROW(VCCW_CMD_WRITE_STATUS, "WRITE_STATUS"),
	SETUP_ROW(VCCW_CMD_READ_STATUS, "READ_STATUS"),
	SETUP_ROW(VCCW_CMD_READ_CONF, "READ_CONF"),
	SETUP_ROW(VCCW_CMD_READ_VQ_CONF, "READ_VQ_CONF"),
	SETUP_ROW(VCCW_CMD_SET_VQ, "SET_VQ"),
	SETUP_ROW(VCCW_CMD_SET_IND_ADAPTER, "SET_IND_ADAPTER"),
	SETUP_ROW(VCCW_CMD_SET_CONF_IND, "SET_CONF_IND"),
	{ "SET_IND", SETUP, D_BLK, VCCW_CMD_SET_IND, NULL, run_setup_classic, check_setup,
	  SETUP_BOUND },
	{ "blk read", VIRTIO_IO, D_BLK, 0, NULL, run_blk_read, check_blk_read, BLK_BOUND },
	{ "blk write", VIRTIO_IO, D_BLK, 0, NULL, run_blk_write, check_blk_write, BLK_BOUND },
	{ "blk flush", VIRTIO_IO, D_BLK, 0, NULL, run_blk_flush, check_true, BLK_BOUND },
	{ "blk get-id", VIRTIO_IO, D_BLK, 0, NULL, run_blk_id, check_blk_id, BLK_BOUND },
	{ "net send", VIRTIO_IO, D_NET, 0, prep_net_send, run_net_send, check_net_send, NET_BOUND },
	{ "net receive", VIRTIO_IO, D_NET, 0, NULL, run_net_recv, check_net_recv, NET_BOUND },
	{ "net link status", CHANNEL_IO, D_NET, 0, NULL, run_net_link, check_net_link, NET_BOUND },
	{ "console write", VIRTIO_IO, D_CON, 0, prep_con_write, run_con_write, check_con_write,
	  CON_BOUND },
	{ "console read", VIRTIO_IO, D_CON, 0, NULL, run_con_read, check_con_read, CON_BOUND },
	{ "rng read", VIRTIO_IO, D_RNG, 0, NULL, run_rng, check_rng, RNG_BOUND },
	{ "scsi read", VIRTIO_IO, D_SCSI, 0, prep_scsi, run_scsi_read, check_blk_read, SCSI_BOUND },
	{ "scsi write", VIRTIO_IO, D_SCSI, 0, prep_scsi, run_scsi_write, check_scsi_write, SCSI_BOUND },
	{ "scsi sync", VIRTIO_IO, D_SCSI, 0, prep_scsi, run_scsi_sync, check_true, SCSI_BOUND },
	{ "scsi scan", VIRTIO_IO, D_SCSI, 0, prep_scsi, run_scsi_scan, check_scsi_scan, SCSI_BOUND },
	{ "3215 write", CHANNEL_IO, D_3215, 0, prep_3215_write, run_3215_write, check_3215_write,
	  C3215_BOUND },
	{ "3215 read", CHANNEL_IO, D_3215, 0, NULL, run_3215_read, check_3215_read, C3215_BOUND },
	{ "3215 alarm", CHANNEL_IO, D_3215, 0, prep_3215_alarm, run_3215_alarm, check_3215_alarm,
	  C3215_BOUND },
	{ "3390 volser eckd", CHANNEL_IO, D_DASD, 0, NULL, run_dasd_volser_eckd, check_dasd_volser,
	  DASD_BOUND },
	{ "3390 volser classic", CHANNEL_IO, D_DASD, 0, NULL, run_dasd_volser_classic,
	  check_dasd_volser, DASD_BOUND },
	{ "3390 read ckd", CHANNEL_IO, D_DASD, 0, NULL, run_dasd_ckd, check_dasd_ckd, DASD_BOUND },
	{ "3390 read eckd", CHANNEL_IO, D_DASD, 0, NULL, run_dasd_read_eckd, check_dasd_read,
	  DASD_BOUND },
	{ "3390 read classic", CHANNEL_IO, D_DASD, 0, NULL, run_dasd_read_classic, check_dasd_read,
	  DASD_BOUND },
	{ "3390 write eckd", CHANNEL_IO, D_DASD, 0, NULL, run_dasd_write_eckd, check_dasd_write,
	  DASD_BOUND },
	{ "3390 write classic", CHANNEL_IO, D_DASD, 0, NULL, run_dasd_write_classic,
	  check_dasd_write, DASD_BOUND },
	{ "3390 format eckd", CHANNEL_IO, D_DASD, 0, NULL, run_dasd_format_eckd, check_dasd_format,
	  DASD_BOUND },
	{ "3390 format classic", CHANNEL_IO, D_DASD, 0, NULL, run_dasd_format_classic,
	  check_dasd_format, DASD_BOUND },
};

enum col {
	C_CC1, C_CC2, C_CC3, C_REJECT, C_UC_OTHER, C_PGM, C_PROT, C_CHN_CTRL, C_BUSY, C_LOST,
	C_SPURIOUS, C_GONE, C_USED, C__COUNT
};
static const char *const col_name[C__COUNT] = {
	"cc 1",	     "cc 2",	   "cc 3", "reject", "uc other", "pgm check", "prot check",
	"chn ctrl",  "busy",	   "lost int", "spurious", "gone", "used ring",
};

/*
 * Where a fault has a place. A virtio request moves no channel program:
 * the driver notifies with DIAGNOSE 0x500 and the device answers through
 * the rings and the indicators, so the start faults (condition codes,
 * unit check, the channel checks, busy) cannot strike there; they stay
 * armed and the cell says n/a (the suite checks that they did not
 * strike). Channel programs (setup commands, classic devices, a virtio
 * configuration read) use no ring, so there the used ring has no place.
 */
static bool applies(const struct row *w, enum col c)
{
	if (c == C_USED)
		return w->kind == VIRTIO_IO;
	if (w->kind == VIRTIO_IO)
		return c == C_LOST || c == C_SPURIOUS || c == C_GONE;
	return true;
}

static void arm(struct rig *r, const struct row *w, enum col c)
{
	struct sim_fault f;
	u32 schid = r->schid[w->dev];

	memset(&f, 0, sizeof(f));
	f.schid = schid;
	f.cmd = w->cmd;
	switch (c) {
	case C_CC1:
	case C_CC2:
	case C_CC3:
		f.kind = SIM_FAULT_CC;
		f.insn = SIM_INSN_SSCH;
		f.cc = 1 + (int)(c - C_CC1);
		break;
	case C_REJECT:
		f.kind = SIM_FAULT_UNIT_CHECK;
		f.sense[0] = SENSE0_CMD_REJECT;
		break;
	case C_UC_OTHER:
		f.kind = SIM_FAULT_UNIT_CHECK;
		f.sense[0] = SENSE0_EQUIPMENT_CHECK;
		break;
	case C_PGM:
		f.kind = SIM_FAULT_STATUS;
		f.dstat = SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END;
		f.cstat = SCSW_CSTAT_PROG_CHECK;
		break;
	case C_PROT:
		f.kind = SIM_FAULT_STATUS;
		f.dstat = SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END;
		f.cstat = SCSW_CSTAT_PROT_CHECK;
		break;
	case C_CHN_CTRL:
		f.kind = SIM_FAULT_STATUS;
		f.cstat = SCSW_CSTAT_CHN_CTRL_CHK;
		break;
	case C_BUSY:
		f.kind = SIM_FAULT_BUSY;
		break;
	case C_LOST:
		f.kind = SIM_FAULT_LOSE_INT;
		break;
	case C_SPURIOUS:
		/* A request has no start to hang it on: it comes first. */
		if (w->kind == VIRTIO_IO) {
			CU_ASSERT_EQUAL(sim_fault_spurious_int(r->sim, schid), 0);
			return;
		}
		f.kind = SIM_FAULT_SPURIOUS;
		break;
	case C_GONE:
		f.kind = SIM_FAULT_GONE;
		break;
	default:
		f.kind = SIM_FAULT_USED_RING;
		break;
	}
	CU_ASSERT_EQUAL(sim_fault_add(r->sim, &f), 0);
}

/* --- A cell --------------------------------------------------------------------- */

enum verdict { V_NA, V_RECOVERED, V_FAILED_CLEAN, V_BAD };

struct cell {
	enum verdict v;
	char note[160]; /* the reason of a clean failure, or what went wrong */
};

/* One operation on device d, with the data checked: the others keep working. */
static bool works(struct rig *r, enum dev d, u32 seed)
{
	u8 f[60];

	switch (d) {
	case D_BLK:
		return blk_write_sectors(r, 32, seed) == 0 && blk_holds(r, 32, seed);
	case D_NET: {
		u64 tx = net_tx(r);

		return vnet_send(r->net, f, arp_frame(f, r->net->mac)) == 0 && net_tx(r) == tx + 1;
	}
	case D_CON: {
		u64 n = con_out(r);

		return vcon_write(r->con, "ok\n", 3) == 0 && con_out(r) == n + 3;
	}
	case D_RNG:
		return vrng_read(r->rng, r->dma, 32) == 0;
	case D_SCSI:
		return scsi_write_blocks(r, 32, seed) == 0 && scsi_holds(r, 32, seed);
	case D_3215: {
		u64 n = c3215_out(r);

		return con3215_write_line(r->c3215, "ok", 2) == 0 && c3215_out(r) == n + 2;
	}
	default:
		return dasd_holds(r, &dasd_read_run, DASD_READ_SEED);
	}
}

static void bad(struct cell *out, const char *what, const char *detail)
{
	if (out->v != V_BAD)
		snprintf(out->note, sizeof(out->note), "%s%s%s", what, *detail ? ": " : "", detail);
	out->v = V_BAD;
}

static void run_cell(const struct row *w, enum col c, enum sim_profile profile,
		     enum sim_completion completion, unsigned n, struct cell *out)
{
	struct rig r;
	struct op_ctx o;
	const char *why;
	bool na = !applies(w, c);
	unsigned armed;
	u64 t0, took;
	int err;

	memset(out, 0, sizeof(*out));
	memset(&o, 0, sizeof(o));
	o.r = &r;
	o.seed = 1000u + n;
	o.why = "";
	if (!rig_build(&r, profile, completion)) {
		bad(out, "machine", "");
		rig_fini(&r);
		return;
	}
	for (int d = 0; d < D__COUNT; d++) {
		if (w->kind == SETUP && d == D_BLK)
			continue;
		if (up(&r, (enum dev)d, &why)) {
			bad(out, dev_name[d], why);
			rig_fini(&r);
			return;
		}
	}
	if (w->prep)
		w->prep(&o);
	/* The driver has taken every signal so far (its summary indicator is
	 * clear): the operation's completion is due an interruption. */
	if (w->kind == VIRTIO_IO) {
		struct virtio_dev *dv = vccw_virtio(r.v[w->dev]);

		dv->ops->wait(dv, 0);
	}

	arm(&r, w, c);
	armed = sim_fault_armed(r.sim);
	t0 = host_clock_us();
	err = w->run(&o);
	took = host_clock_us() - t0;
	/* What struck: every use of the armed fault was taken. */
	if (!na && sim_fault_armed(r.sim) != 0)
		bad(out, "the fault did not strike", "");
	if (na && sim_fault_armed(r.sim) != armed)
		bad(out, "struck where it should have no place", "");
	sim_fault_clear(r.sim);

	if (took > w->bound_us) {
		char t[48];

		snprintf(t, sizeof(t), "%llu us", (unsigned long long)took);
		bad(out, "took too long", t);
	}
	if (err == 0) {
		if (!w->check(&o))
			bad(out, "succeeded with wrong data", "");
		else if (out->v != V_BAD)
			out->v = na ? V_NA : V_RECOVERED;
	} else if (err > 0) {
		bad(out, "positive return", verr_str(err));
	} else if (!o.why || strlen(o.why) < 4) {
		bad(out, "failed without a reason", verr_str(err));
	} else if (na) {
		/* The fault stayed armed: nothing should have failed. */
		bad(out, "failed with nothing injected", o.why);
	} else if (out->v != V_BAD) {
		snprintf(out->note, sizeof(out->note), "%s: %s", verr_str(err), o.why);
		out->v = V_FAILED_CLEAN;
	}

	/* The others noticed nothing. */
	for (int d = 0; d < D__COUNT; d++)
		if (d != (int)w->dev && !works(&r, (enum dev)d, o.seed + (u32)d))
			bad(out, dev_name[d], "stopped working");

	/* The target: working, or brought back; gone for good when it went away. */
	if (c == C_GONE && !na) {
		t0 = host_clock_us();
		if (err == 0 && w->kind != SETUP && works(&r, w->dev, o.seed))
			bad(out, "a gone device still works", "");
		if (up(&r, w->dev, &why) == 0)
			bad(out, "a gone device came up again", "");
		if (host_clock_us() - t0 > w->bound_us + SETUP_BOUND)
			bad(out, "a gone device took too long to fail", "");
	} else if (err == 0 && w->kind != SETUP && works(&r, w->dev, o.seed + 7)) {
		/* Still up, nothing to bring back. */
	} else {
		if (up(&r, w->dev, &why))
			bad(out, "could not be brought up again", why);
		else if (!works(&r, w->dev, o.seed + 7))
			bad(out, "brought up again, but does not work", "");
	}
	rig_fini(&r);
}

/* --- The suite ------------------------------------------------------------------ */

static const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_NA:
		return "n/a";
	case V_RECOVERED:
		return "recovered";
	case V_FAILED_CLEAN:
		return "failed-clean";
	default:
		return "BAD";
	}
}

static void matrix(enum sim_profile profile, enum sim_completion completion, const char *title)
{
	static struct cell out[ARRAY_SIZE(rows)][C__COUNT];
	unsigned bads = 0, n = 0;
	bool verbose = getenv("FAULTS_VERBOSE") != NULL;

	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++)
		for (unsigned c = 0; c < C__COUNT; c++)
			run_cell(&rows[i], (enum col)c, profile, completion, n++, &out[i][c]);

	printf("\n\n    fault matrix, %s (n/a: the fault has no place on that path)\n", title);
	printf("    %-20s", "");
	for (unsigned c = 0; c < C__COUNT; c++)
		printf(" %-12s", col_name[c]);
	printf("\n");
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		printf("    %-20s", rows[i].name);
		for (unsigned c = 0; c < C__COUNT; c++)
			printf(" %-12s", verdict_name(out[i][c].v));
		printf("\n");
	}
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		for (unsigned c = 0; c < C__COUNT; c++) {
			const struct cell *x = &out[i][c];

			if (x->v == V_BAD) {
				bads++;
				printf("    BAD %s x %s: %s\n", rows[i].name, col_name[c], x->note);
			} else if (verbose && x->v == V_FAILED_CLEAN) {
				printf("    %s x %s: %s\n", rows[i].name, col_name[c], x->note);
			}
		}
	}
	printf("    ");
	CU_ASSERT_EQUAL(bads, 0);
}

static void test_matrix_qemu(void)
{
	matrix(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, "qemu profile");
}

static void test_matrix_arch(void)
{
	matrix(SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC, "architecture profile");
}

/* Channel programs that end only when the CPU waits, as on a real machine. */
static void test_matrix_deferred(void)
{
	matrix(SIM_PROFILE_ARCH, SIM_COMPLETE_DEFERRED,
	       "architecture profile, deferred completion");
}

/* The DASD image: cylinder 1 head 0 holds the records the read rows read. */
static int suite_init(void)
{
	struct rig r;
	const char *why;
	char err[SIM_WHY_LEN];
	static const struct eckd_run fmt = { 1, 0, 1, 4, DL, 2 };
	long schid;
	bool ok;

	unit_temp_template(dasd_dir, sizeof(dasd_dir), "faults");
	if (!mkdtemp(dasd_dir))
		return 1;
	snprintf(dasd_path, sizeof(dasd_path), "%s/disk.3390", dasd_dir);
	snprintf(disk_path, sizeof(disk_path), "%s/disk.raw", dasd_dir);
	snprintf(scsi_path, sizeof(scsi_path), "%s/scsi.raw", dasd_dir);
	for (unsigned k = 0; k < 2; k++) {
		u8 *img = calloc(1, DISK);
		FILE *f = fopen(k ? scsi_path : disk_path, "wb");

		ok = img && f;
		if (ok) {
			pattern(img + 8 * VBLK_SECTOR, DL, DISK_READ_SEED);
			ok = fwrite(img, 1, DISK, f) == DISK;
		}
		if (f)
			ok = fclose(f) == 0 && ok;
		free(img);
		if (!ok)
			return 1;
	}
	if (sim_ckd_create(dasd_path, DASD_CYLS, "FAULTS", err)) {
		fprintf(stderr, "sim_ckd_create: %s\n", err);
		return 1;
	}
	memset(&r, 0, sizeof(r));
	r.sim = drvrig_machine(SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC, RIG_MEM, false);
	if (!r.sim)
		return 1;
	schid = add(&r, D_DASD, err);
	ok = schid >= 0;
	r.schid[D_DASD] = (u32)schid;
	host_bind(r.sim);
	r.dma = port_dma_alloc(4 * DL, DL);
	ok = ok && css_init(&r.css) == 0 && up(&r, D_DASD, &why) == 0 && r.dma;
	if (ok) {
		/* Records 1-2 of head 0 with the read pattern, of head 1 anything. */
		pattern(r.dma, 2 * DL, DASD_READ_SEED);
		pattern(r.dma + 2 * DL, 2 * DL, 1);
		ok = eckd_format(r.eckd, ECKD_VIA_ECKD, &fmt, r.dma) == 0;
	}
	drvrig_close(&r.sim);
	return ok ? 0 : 1;
}

static int suite_clean(void)
{
	unlink(disk_path);
	unlink(scsi_path);
	unlink(dasd_path);
	rmdir(dasd_dir);
	return 0;
}

static CU_TestInfo faults_tests[] = {
	{ "every setup command and I/O path x every fault, qemu profile", test_matrix_qemu },
	{ "every setup command and I/O path x every fault, architecture profile", test_matrix_arch },
	{ "the same with deferred completion", test_matrix_deferred },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo faults_suite = { "faults", suite_init, suite_clean, NULL, NULL, faults_tests };
