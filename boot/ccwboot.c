/* ccwboot, the loader: see ccwboot.h. */
#include "boot/ccwboot.h"

#include "boot/eltorito.h"
#include "boot/linux_hw.h"
#include "boot/netboot.h"
#include "ccw/ident.h"
#include "ccw/port.h"
#include "ccw/vccw.h"
#include "devices/ebcdic.h"
#include "devices/eckd.h"
#include "devices/vblk.h"
#include "devices/vscsi.h"
#include "ring/fmt.h"

/* Disks a scan without a named device tries before giving up. */
#define CB_MAX_SCAN 64u

void cb_loadparm_trim(char *lp)
{
	size_t start = 0, n = strlen(lp);

	while (lp[start] == ' ')
		start++;
	while (n > start && lp[n - 1] == ' ')
		n--;
	memmove(lp, lp + start, n - start);
	lp[n - start] = '\0';
}

bool cb_parm_take_bench(char *parm)
{
	size_t n = strlen(CB_BENCH_WORD);
	bool found = false;

	for (char *p = parm; *p;) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, CB_BENCH_WORD, n) && (p[n] == ' ' || !p[n])) {
			memmove(p, p + n, strlen(p + n) + 1);
			found = true;
			continue;
		}
		while (*p && *p != ' ')
			p++;
	}
	if (found) {
		/* The blanks the word leaves: one between words, none at the ends. */
		char *w = parm;

		for (char *p = parm; *p; p++)
			if (*p != ' ' || (w > parm && w[-1] != ' '))
				*w++ = *p;
		*w = '\0';
		cb_loadparm_trim(parm);
	}
	return found;
}

int cb_loadparm_entry(const char *lp, unsigned *entry, char *why, size_t wl)
{
	unsigned n = 0;
	size_t i;

	*entry = 0;
	if (!lp[0])
		return 0;
	if (!strcmp(lp, "PROMPT"))
		return 1;
	for (i = 0; lp[i]; i++) {
		if (lp[i] < '0' || lp[i] > '9')
			return fmt_err(why, wl, -VERR_INVAL,
				   "loadparm \"%s\" is neither an entry number (0 to %u) nor PROMPT",
				   lp, BM_MAX_ENTRIES - 1);
		n = n * 10 + (unsigned)(lp[i] - '0');
		if (n >= BM_MAX_ENTRIES)
			return fmt_err(why, wl, -VERR_INVAL,
				   "loadparm \"%s\": entry numbers go from 0 to %u", lp,
				   BM_MAX_ENTRIES - 1);
	}
	*entry = n;
	return 0;
}

/* --- The disk ------------------------------------------------------------ */

static int disk_read(void *ctx, u64 block, u32 count, void *buf)
{
	struct vblk *b = ctx;
	u64 bytes = (u64)count * b->blk_size;

	if (bytes > 0xFFFFFFFFu)
		return -VERR_RANGE;
	return vblk_read(b, block * (b->blk_size / VBLK_SECTOR), buf, (u32)bytes);
}

static void *target_ptr(void *ctx, u64 addr, u64 len)
{
	const struct cb_env *env = ctx;

	if (addr < CB_LOWCORE_END)
		return NULL;
	return env->mem(addr, len);
}

struct cb_dev {
	u32 schid;
	u16 devno;
	struct ident ident;
};

/* Enable the subchannel and ask the device what it is. */
static int identify(const struct cb_env *env, struct cb_dev *d, char *why, size_t wl)
{
	struct senseid id;
	unsigned len = 0;
	int err;

	err = css_enable(env->css, d->schid, d->schid);
	if (!err)
		err = css_sense_id(env->css, d->schid, &id, &len);
	if (err)
		return fmt_err(why, wl, err, "0.%x.%04x: the device does not answer: %s",
			   schid_ssid(d->schid), d->devno, verr_str(err));
	d->ident = ident_recognise(&id, len);
	return 0;
}

/* Bring a virtio-blk device up. */
static int open_blk(const struct cb_env *env, const struct cb_dev *d, struct cb_boot *out,
		    char *why, size_t wl)
{
	int err;

	out->v = port_dma_alloc(sizeof(*out->v), 8);
	out->blk = port_dma_alloc(sizeof(*out->blk), 8);
	if (!out->v || !out->blk)
		return fmt_err(why, wl, -VERR_NOMEM, "0.%x.%04x: no memory for the driver",
			   schid_ssid(d->schid), d->devno);
	err = vccw_init(out->v, env->css, d->schid, VIRTIO_ID_BLOCK, NULL);
	if (err)
		return fmt_err(why, wl, err, "0.%x.%04x: %s", schid_ssid(d->schid), d->devno,
			   out->v->vdev.why);
	err = vblk_init(out->blk, vccw_virtio(out->v), 0);
	if (err)
		return fmt_err(why, wl, err, "0.%x.%04x: %s", schid_ssid(d->schid), d->devno,
			   out->blk->why);
	out->schid = d->schid;
	out->devno = d->devno;
	out->ssid = schid_ssid(d->schid);
	out->blk_size = out->blk->blk_size;
	out->blocks = out->blk->blocks;
	return 0;
}

/* --- A disk behind a virtio-scsi adapter --------------------------------- */

static int scsi_disk_read(void *ctx, u64 block, u32 count, void *buf)
{
	struct cb_boot *b = ctx;

	return vscsi_read(b->scsi, &b->scsi->luns[b->lun], block, count, buf);
}

static const char *scsi_disk_why(void *ctx)
{
	const struct cb_boot *b = ctx;

	return b->scsi ? b->scsi->why : NULL;
}

/* Whether logical unit l can hold a SCSI boot map; 0, or why not. */
static int scsi_bootable(const struct cb_boot *b, const struct vscsi_lun *l, char *why,
			 size_t wl)
{
	if (l->type == SCSI_TYPE_CDROM && !l->blk_size)
		return fmt_err(why, wl, -VERR_NOTSUP, "0.%x.%04x %u:%u: a CD-ROM without a disc "
			   "(not ready)", b->ssid, b->devno, l->target, l->lun);
	if (l->type == SCSI_TYPE_CDROM && l->blk_size != ISO_BLOCK)
		return fmt_err(why, wl, -VERR_NOTSUP, "0.%x.%04x %u:%u: a CD-ROM of %u-byte "
			   "blocks; El Torito needs 2048", b->ssid, b->devno, l->target, l->lun,
			   l->blk_size);
	if (l->type == SCSI_TYPE_CDROM)
		return 0;
	if (l->type != SCSI_TYPE_DISK)
		return fmt_err(why, wl, -VERR_NOTSUP, "0.%x.%04x %u:%u is a %s, not a disk",
			   b->ssid, b->devno, l->target, l->lun, scsi_type_name(l->type));
	if (!l->blk_size)
		return fmt_err(why, wl, -VERR_NOTSUP, "0.%x.%04x %u:%u: the disk gave no capacity "
			   "(not ready)", b->ssid, b->devno, l->target, l->lun);
	if (l->blk_size < 512 || l->blk_size > 4096)
		return fmt_err(why, wl, -VERR_NOTSUP, "0.%x.%04x %u:%u: %u-byte blocks; a SCSI "
			   "boot map needs 512 to 4096", b->ssid, b->devno, l->target, l->lun,
			   l->blk_size);
	return 0;
}

static void disk_of(struct cb_boot *b, struct bm_disk *d);

/* --- An ISO 9660 image on a disk ----------------------------------------- */

/*
 * QEMU's BIOS boots El Torito not only from a CD-ROM: on a virtio-blk disk
 * that holds an ISO 9660 image, and on a virtio-scsi disk of 2048-byte
 * blocks, it tries the image's catalog once the disk shows no SCSI boot
 * map (pc-bios/s390-ccw/bootmap.c). ccwboot does the same on any such disk
 * whose blocks divide 2048, reading each of El Torito's 2048-byte blocks as
 * a run of the disk's.
 */
static int raw_read(struct cb_boot *b, u64 block, u32 count, void *buf)
{
	return b->scsi ? scsi_disk_read(b, block, count, buf) : disk_read(b->blk, block, count, buf);
}

static int iso_read(void *ctx, u64 block, u32 count, void *buf)
{
	struct cb_boot *b = ctx;
	u32 per = ISO_BLOCK / b->blk_size;

	if ((u64)count * per > 0xFFFFFFFFu)
		return -VERR_RANGE;
	return raw_read(b, block * per, count * per, buf);
}

/* 1 when the disk holds an ISO 9660 volume: "CD001" at bytes 1 to 5 of the
 * descriptor at byte 0x8000 (ECMA-119 8.1); 0 when not; < 0 when the read
 * failed. scratch: BM_SCRATCH bytes. */
static int iso_signature(struct cb_boot *b, u8 *scratch)
{
	u64 at = (u64)ISO_FIRST_VD * ISO_BLOCK;
	u32 count = b->blk_size < ISO_BLOCK ? ISO_BLOCK / b->blk_size : 1;
	u64 block = at / b->blk_size;
	int err;

	if (!b->blk_size || b->blk_size > BM_SCRATCH || block + count > b->blocks)
		return 0;
	err = raw_read(b, block, count, scratch);
	if (err)
		return err;
	return memcmp(scratch + at % b->blk_size + 1, "CD001", 5) == 0;
}

/*
 * After the disk showed no SCSI boot map (bm_err, its reason in why): its
 * El Torito images when it holds an ISO 9660 image. 0 with b->iso set and
 * b->nentries read; else bm_err with why as it was when the disk holds no
 * such image, or the image's own error.
 */
static int try_iso(struct cb_boot *b, void *scratch, int bm_err, char *why, size_t wl)
{
	struct bm_disk disk;
	char r[160];
	int err;

	b->iso = false;
	if (iso_signature(b, scratch) != 1)
		return bm_err;
	if (ISO_BLOCK % b->blk_size)
		return fmt_err(why, wl, -VERR_NOTSUP, "an ISO 9660 image on %u-byte blocks; El "
			   "Torito on a disk needs blocks that divide 2048", b->blk_size);
	b->iso = true;
	disk_of(b, &disk);
	err = bm_iso_entries(&disk, scratch, &b->nentries, r, sizeof(r));
	if (err) {
		b->iso = false;
		return fmt_err(why, wl, err, "an ISO 9660 image: %s", r);
	}
	return 0;
}

/*
 * Bring a virtio-scsi adapter up, find its logical units and the one to
 * boot: the one the IPL named (QEMU's SCSI block, from bootindex on a
 * scsi-hd), or else the first disk holding a boot map, each unit passed
 * over named. 0 with out->lun chosen and the program table read.
 */
static int open_scsi(const struct cb_env *env, const struct cb_dev *d, struct cb_boot *out,
		     void *scratch, char *why, size_t wl)
{
	bool named = env->have_dev && env->pbt == CB_PBT_QEMU_SCSI;
	struct bm_disk disk;
	char r[200];
	int err;

	out->schid = d->schid;
	out->devno = d->devno;
	out->ssid = schid_ssid(d->schid);
	out->v = port_dma_alloc(sizeof(*out->v), 8);
	out->scsi = port_dma_alloc(sizeof(*out->scsi), 8);
	if (!out->v || !out->scsi)
		return fmt_err(why, wl, -VERR_NOMEM, "0.%x.%04x: no memory for the driver",
			   out->ssid, out->devno);
	err = vccw_init(out->v, env->css, d->schid, VIRTIO_ID_SCSI, NULL);
	if (err)
		return fmt_err(why, wl, err, "0.%x.%04x: %s", out->ssid, out->devno,
			   out->v->vdev.why);
	err = vscsi_init(out->scsi, vccw_virtio(out->v));
	if (!err)
		err = vscsi_scan(out->scsi);
	if (err)
		return fmt_err(why, wl, err, "0.%x.%04x: %s", out->ssid, out->devno,
			   out->scsi->why);
	for (unsigned i = 0; i < out->scsi->nluns; i++) {
		const struct vscsi_lun *l = &out->scsi->luns[i];

		if (named && (l->target != env->scsi_target || l->lun != env->scsi_lun))
			continue;
		err = scsi_bootable(out, l, r, sizeof(r));
		if (!err) {
			out->lun = i;
			out->blk_size = l->blk_size;
			out->blocks = l->blocks;
			out->iso = l->type == SCSI_TYPE_CDROM;
			disk_of(out, &disk);
			err = out->iso ? bm_iso_entries(&disk, scratch, &out->nentries, why, wl)
				       : bm_entries(&disk, scratch, &out->nentries, why, wl);
			if (err && !out->iso)
				err = try_iso(out, scratch, err, why, wl);
			if (err)
				fmt_err(r, sizeof(r), err, "0.%x.%04x %u:%u: %s", out->ssid, out->devno,
					l->target, l->lun, why);
		}
		if (!err)
			return 0;
		if (named)
			return fmt_err(why, wl, err, "%s", r);
		port_printf("ccwboot: %s\n", r);
	}
	if (named)
		return fmt_err(why, wl, -VERR_NODEV, "0.%x.%04x: the IPL names logical unit %u:%u "
			   "(scsi-id:lun), which the adapter does not have (%u unit%s found)",
			   out->ssid, out->devno, env->scsi_target, env->scsi_lun,
			   out->scsi->nluns, out->scsi->nluns == 1 ? "" : "s");
	return fmt_err(why, wl, -VERR_NODEV, "0.%x.%04x: %s", out->ssid, out->devno,
		   out->scsi->nluns ? "no logical unit holds a SCSI boot map (each is named above)"
				    : "the adapter has no logical units");
}

/* --- A 3390 ------------------------------------------------------------- */

/* Records of one channel program: as many as the driver takes. */
#define CB_ECKD_RUN ECKD_MAX_RECORDS

/* Blocks numbered as bootmap_hw.h says, read as runs of records, each run
 * one channel program of multitrack reads (devices/eckd.h). */
static int eckd_disk_read(void *ctx, u64 block, u32 count, void *buf)
{
	struct cb_boot *b = ctx;
	u8 *p = buf;

	while (count) {
		u64 track = block / b->per_track;
		struct eckd_run run = {
			.cyl = (u16)(track / b->heads), .head = (u16)(track % b->heads),
			.rec = (u8)(block % b->per_track + 1), .dl = (u16)b->blk_size,
			.per_track = (u8)b->per_track,
		};
		int err;

		if (track / b->heads > 0xFFFFu)
			return -VERR_RANGE;
		run.n = MIN(count, CB_ECKD_RUN);
		/* A run crosses at most ECKD_MAX_TRACKS tracks. */
		run.n = MIN(run.n, (unsigned)(ECKD_MAX_TRACKS - 1) * b->per_track);
		err = eckd_read(b->eckd, ECKD_VIA_ECKD, &run, p);
		if (err)
			return err;
		p += (u64)run.n * b->blk_size;
		block += run.n;
		count -= run.n;
	}
	return 0;
}

static const char *eckd_disk_why(void *ctx)
{
	const struct cb_boot *b = ctx;

	return b->eckd ? b->eckd->why : NULL;
}

/* "IPL2" and "VOL1" in EBCDIC, the keys of records 2 and 3 on cylinder
 * 0, head 0. */
static const u8 key_ipl2[BM_CDL_KEY_LEN] = { 0xC9, 0xD7, 0xD3, 0xF2 };
static const u8 key_vol1[BM_CDL_KEY_LEN] = { 0xE5, 0xD6, 0xD3, 0xF1 };

/*
 * Bring a 3390 up and find its boot map: the IPL2 record (cylinder 0,
 * head 0, record 2: key "IPL2", 144 data bytes) holds zipl's extended
 * boot record, which points at the program table.
 */
static int open_eckd(const struct cb_env *env, const struct cb_dev *d, struct cb_boot *out,
		     void *scratch, char *why, size_t wl)
{
	u8 *rec = scratch;
	const struct bm_eckd_ipl2 *ipl2 = (const void *)(rec + BM_CDL_KEY_LEN);
	u32 size;
	int err;

	(void)env;
	out->schid = d->schid;
	out->devno = d->devno;
	out->ssid = schid_ssid(d->schid);
	out->eckd = port_dma_alloc(sizeof(*out->eckd), 8);
	if (!out->eckd)
		return fmt_err(why, wl, -VERR_NOMEM, "0.%x.%04x: no memory for the driver",
			   out->ssid, out->devno);
	err = eckd_init(out->eckd, env->css, d->schid);
	if (err)
		return fmt_err(why, wl, err, "0.%x.%04x: %s", out->ssid, out->devno,
			   out->eckd->why);
	/* The serial (VOL1, record 3: key "VOL1", the serial at data byte 4)
	 * is for the messages: a volume without one boots too. */
	memcpy(out->volser, "none", 5);
	if (!eckd_read_kd(out->eckd, ECKD_VIA_ECKD, 0, 0, 3, rec,
			  BM_CDL_KEY_LEN + BM_CDL_VOL1_LEN) &&
	    !memcmp(rec, key_vol1, sizeof(key_vol1))) {
		unsigned n = 0;

		for (unsigned i = 0; i < 6; i++) {
			char c = ebcdic_to_ascii(rec[BM_CDL_KEY_LEN + 4 + i]);

			if (c > ' ' && c < 0x7F)
				out->volser[n++] = c;
		}
		out->volser[n] = '\0';
	}
	err = eckd_read_kd(out->eckd, ECKD_VIA_ECKD, 0, 0, 2, rec,
			   BM_CDL_KEY_LEN + BM_CDL_IPL2_LEN);
	if (err || memcmp(rec, key_ipl2, sizeof(key_ipl2)))
		return fmt_err(why, wl, -VERR_NOTSUP,
			   "0.%x.%04x (volume %s): no IPL2 record of %u bytes with key IPL2 at "
			   "cylinder 0 head 0 record 2: not a CDL volume with IPL records",
			   out->ssid, out->devno, out->volser, BM_CDL_IPL2_LEN);
	if (be32_to_cpu(ipl2->mbr.magic) != BM_MAGIC)
		return fmt_err(why, wl, -VERR_NOTSUP,
			   "0.%x.%04x (volume %s): the IPL2 record holds no boot record (no "
			   "zIPL at its byte 88): IPL records of another loader, or none",
			   out->ssid, out->devno, out->volser);
	if (ipl2->mbr.dev_type != BM_DEV_ECKD)
		return fmt_err(why, wl, -VERR_NOTSUP,
			   "0.%x.%04x (volume %s): the IPL2 boot record is for device type %u, "
			   "not ECKD (0)", out->ssid, out->devno, out->volser, ipl2->mbr.dev_type);
	size = (u32)ipl2->mbr.table.size[0] << 8 | ipl2->mbr.table.size[1];
	out->heads = out->eckd->geom.heads;
	out->per_track = size >= 512 && size <= 4096 ? eckd_records_per_track(out->eckd, 0, size)
						     : 0;
	if (!out->per_track || out->per_track > 255 || !out->heads || out->heads > 16)
		return fmt_err(why, wl, -VERR_NOTSUP,
			   "0.%x.%04x (volume %s): the boot map's records are %u bytes; ccwboot "
			   "reads 512 to 4096", out->ssid, out->devno, out->volser, size);
	out->blk_size = size;
	out->blocks = (u64)out->eckd->geom.cyls * out->heads * out->per_track;
	out->eckd_table = ipl2->mbr.table;
	return 0;
}

static void disk_of(struct cb_boot *b, struct bm_disk *d)
{
	memset(d, 0, sizeof(*d));
	d->block_size = b->blk_size;
	d->blocks = b->blocks;
	if (b->iso && b->blk_size != ISO_BLOCK) {
		d->block_size = ISO_BLOCK;
		d->blocks = b->blocks / (ISO_BLOCK / b->blk_size);
		d->read = iso_read;
		d->read_why = b->scsi ? scsi_disk_why : NULL;
		d->ctx = b;
		return;
	}
	if (b->eckd) {
		d->read = eckd_disk_read;
		d->read_why = eckd_disk_why;
		d->ctx = b;
		d->eckd = true;
		d->heads = b->heads;
		d->per_track = b->per_track;
		d->eckd_table = b->eckd_table;
		return;
	}
	if (b->scsi) {
		d->read = scsi_disk_read;
		d->read_why = scsi_disk_why;
		d->ctx = b;
		return;
	}
	d->read = disk_read;
	d->ctx = b->blk;
}

/* Open the device and read its program table: whether it is bootable. */
static int try_disk(const struct cb_env *env, const struct cb_dev *d, struct cb_boot *out,
		    void *scratch, char *why, size_t wl)
{
	struct bm_disk disk;
	char r[160];
	int err;

	if (d->ident.kind == IDENT_DASD_ECKD) {
		err = open_eckd(env, d, out, scratch, why, wl);
		if (!err) {
			disk_of(out, &disk);
			err = bm_entries(&disk, scratch, &out->nentries, r, sizeof(r));
			if (err)
				fmt_err(why, wl, err, "0.%x.%04x (volume %s): %s", out->ssid,
					out->devno, out->volser, r);
		}
		if (err)
			cb_quiesce(out, env);
		return err;
	}
	if (d->ident.kind == IDENT_VIRTIO && d->ident.virtio_id == VIRTIO_ID_SCSI) {
		err = open_scsi(env, d, out, scratch, why, wl);
		if (err)
			cb_quiesce(out, env);
		return err;
	}
	if (env->have_dev && env->pbt == CB_PBT_QEMU_SCSI)
		return fmt_err(why, wl, -VERR_NOTSUP, "the IPL names logical unit %u:%u on 0.%x.%04x, "
			   "which is a %s, not a virtio-scsi adapter", env->scsi_target,
			   env->scsi_lun, schid_ssid(d->schid), d->devno, d->ident.name);
	if (d->ident.kind != IDENT_VIRTIO || d->ident.virtio_id != VIRTIO_ID_BLOCK)
		return fmt_err(why, wl, -VERR_NOTSUP, "0.%x.%04x is a %s, not a device ccwboot boots "
			   "from (virtio-blk disks, disks on virtio-scsi, 3390 volumes, virtio-net)",
			   schid_ssid(d->schid), d->devno, d->ident.name);
	err = open_blk(env, d, out, why, wl);
	if (err)
		return err;
	if (out->blk_size < 512 || out->blk_size > 4096) {
		cb_quiesce(out, env);
		return fmt_err(why, wl, -VERR_NOTSUP,
			   "0.%x.%04x: %u-byte blocks; a SCSI boot map needs 512 to 4096",
			   out->ssid, out->devno, out->blk_size);
	}
	out->iso = false;
	disk_of(out, &disk);
	err = bm_entries(&disk, scratch, &out->nentries, r, sizeof(r));
	if (err)
		err = try_iso(out, scratch, err, r, sizeof(r));
	if (err) {
		cb_quiesce(out, env);
		return fmt_err(why, wl, err, "0.%x.%04x: %s", out->ssid, out->devno, r);
	}
	return 0;
}

struct scan {
	const struct cb_env *env;
	unsigned n;
	struct cb_dev devs[CB_MAX_SCAN];
	bool want;        /* looking for env's device only */
};

static void scan_one(void *ctx, u32 schid, const struct schib *schib)
{
	struct scan *s = ctx;
	u16 devno = be16_to_cpu(schib->pmcw.devno);

	if (s->want && s->env->have_schid && schid != s->env->schid)
		return;
	if (s->want && !s->env->have_schid &&
	    (schid_ssid(schid) != s->env->ssid || devno != s->env->devno))
		return;
	if (s->n < CB_MAX_SCAN) {
		s->devs[s->n].schid = schid;
		s->devs[s->n].devno = devno;
		s->n++;
	}
}

/* The boot device: the named one, or the first bootable virtio-blk disk.
 * 0 with a disk open; 1 when the named device is a virtio-net (its
 * subchannel and number in out); or an error. */
static int find_device(const struct cb_env *env, struct cb_boot *out, void *scratch, char *why,
		       size_t wl)
{
	static struct scan s;
	char r[200];
	unsigned tried = 0, i;
	int err;

	memset(&s, 0, sizeof(s));
	s.env = env;
	s.want = env->have_dev || env->have_schid;
	if (env->have_schid) {
		if (schid_ssid(env->schid))
			css_enable_mss(env->css);
		css_enumerate(env->css, scan_one, &s);
		if (!s.n)
			return fmt_err(why, wl, -VERR_NODEV, "the IPL subchannel 0x%08x does not exist",
				   env->schid);
		err = identify(env, &s.devs[0], r, sizeof(r));
		if (!err)
			err = try_disk(env, &s.devs[0], out, scratch, r, sizeof(r));
		if (err) {
			css_disable(env->css, s.devs[0].schid);
			return fmt_err(why, wl, err, "%s", r);
		}
		return 0;
	}
	if (env->have_dev && env->pbt != CB_PBT_CCW && env->pbt != CB_PBT_QEMU_SCSI)
		return fmt_err(why, wl, -VERR_NOTSUP,
			   "the IPL names a device of type 0x%02x (0.%x.%04x); ccwboot boots CCW "
			   "devices and QEMU's SCSI disks", env->pbt, env->ssid, env->devno);
	if (env->have_dev && env->ssid)
		css_enable_mss(env->css);
	css_enumerate(env->css, scan_one, &s);
	if (env->have_dev && !s.n)
		return fmt_err(why, wl, -VERR_NODEV, "the IPL device 0.%x.%04x does not exist",
			   env->ssid, env->devno);
	for (i = 0; i < s.n; i++) {
		struct cb_dev *d = &s.devs[i];

		err = identify(env, d, r, sizeof(r));
		if (!err && env->have_dev && d->ident.kind == IDENT_VIRTIO &&
		    d->ident.virtio_id == VIRTIO_ID_NET) {
			out->schid = d->schid;
			out->devno = d->devno;
			return 1;
		}
		if (!err && !env->have_dev &&
		    (d->ident.kind != IDENT_VIRTIO || (d->ident.virtio_id != VIRTIO_ID_BLOCK &&
						       d->ident.virtio_id != VIRTIO_ID_SCSI))) {
			css_disable(env->css, d->schid);
			continue;
		}
		if (!err)
			err = try_disk(env, d, out, scratch, r, sizeof(r));
		if (!err)
			return 0;
		css_disable(env->css, d->schid);
		if (env->have_dev)
			return fmt_err(why, wl, err, "%s", r);
		port_printf("ccwboot: %s\n", r);
		tried++;
	}
	return fmt_err(why, wl, -VERR_NODEV, "no bootable device: %s",
		   tried ? "no disk holds a SCSI boot map (each is named above)"
			 : "there is no virtio-blk disk or virtio-scsi adapter");
}

/*
 * PROMPT: the entries listed, one asked for on the console; no answer by
 * CB_PROMPT_US boots the default. Three answers that name no entry end it.
 */
static int prompt(const struct cb_env *env, unsigned n, unsigned *entry, char *why, size_t wl)
{
	char line[32], r[120];

	if (!env->read_line)
		return fmt_err(why, wl, -VERR_NOTSUP, "loadparm PROMPT: there is no console to read");
	port_printf("ccwboot: boot entries: 0 (the default) to %u\n", n - 1);
	for (unsigned tries = 0; tries < 3; tries++) {
		int len, err;

		port_printf("ccwboot: which entry? (a number; none in %u s: the default)\n",
			    CB_PROMPT_US / 1000000u);
		len = env->read_line(line, sizeof(line), port_now_us() + CB_PROMPT_US);
		if (len < 0)
			return fmt_err(why, wl, len, "loadparm PROMPT: the console cannot be read");
		if (len == 0) {
			port_printf("ccwboot: no answer: the default\n");
			*entry = 0;
			return 0;
		}
		err = cb_loadparm_entry(line, entry, r, sizeof(r));
		if (!err && *entry < n) {
			port_printf("ccwboot: entry %u chosen\n", *entry);
			return 0;
		}
		port_printf("ccwboot: \"%s\" is not an entry from 0 to %u\n", line, n - 1);
	}
	return fmt_err(why, wl, -VERR_INVAL, "loadparm PROMPT: no entry chosen in three answers");
}

/* --- The loaded entry ---------------------------------------------------- */

static bool loaded(const struct bm_program *p, u64 addr, u64 len)
{
	for (unsigned i = 0; i < p->nloads; i++)
		if (addr >= p->load[i].addr && len <= p->load[i].len &&
		    addr - p->load[i].addr <= p->load[i].len - len)
			return true;
	return false;
}

static u64 mem_be64(const struct cb_env *env, u64 addr)
{
	const u8 *p = env->mem(addr, 8);

	return p ? (u64)get_be32(p) << 32 | get_be32(p + 4) : 0;
}

/*
 * A Linux entry: the EXEC PSW enters 0x10000, where a kernel was loaded.
 * Its parameter area must name an initrd that was loaded, and hold a
 * command line with its end within the kernel's limit.
 */
static int check_linux(const struct cb_env *env, struct cb_boot *b, char *why, size_t wl)
{
	const struct bm_program *p = &b->prog;
	u64 max, i;
	const u8 *magic, *line;

	b->how = CB_START_PSW;
	if ((p->psw & 0x7FFFFFFFull) != LINUX_ENTRY)
		return 0;
	if (!loaded(p, LINUX_ENTRY, LINUX_CMDLINE - LINUX_ENTRY + 1))
		return fmt_err(why, wl, -VERR_PROTO,
			   "0.%x.%04x entry %u starts 0x%x, but loads no kernel there", b->ssid,
			   b->devno, b->entry, LINUX_ENTRY);
	magic = env->mem(LINUX_MAGIC_ADDR, LINUX_MAGIC_LEN);
	if (!magic || memcmp(magic, LINUX_MAGIC, LINUX_MAGIC_LEN))
		return fmt_err(why, wl, -VERR_PROTO,
			   "0.%x.%04x entry %u: the component at 0x%x is no Linux kernel (no %s at "
			   "0x%x)", b->ssid, b->devno, b->entry, LINUX_ENTRY, LINUX_MAGIC,
			   LINUX_MAGIC_ADDR);
	max = mem_be64(env, LINUX_PARM_MAX_CMDLINE);
	if (!max)
		max = LINUX_LEGACY_CMDLINE;
	b->initrd_addr = mem_be64(env, LINUX_PARM_INITRD_START);
	b->initrd_size = mem_be64(env, LINUX_PARM_INITRD_SIZE);
	if (b->initrd_size && !loaded(p, b->initrd_addr, b->initrd_size))
		return fmt_err(why, wl, -VERR_PROTO,
			   "0.%x.%04x entry %u: the kernel's parameter area names an initrd at "
			   "0x%llx, %llu bytes, that no component loaded", b->ssid, b->devno,
			   b->entry, (unsigned long long)b->initrd_addr,
			   (unsigned long long)b->initrd_size);
	line = env->mem(LINUX_CMDLINE, max);
	for (i = 0; line && i < max && loaded(p, LINUX_CMDLINE + i, 1) && line[i]; i++)
		;
	if (!line || i == max || !loaded(p, LINUX_CMDLINE + i, 1))
		return fmt_err(why, wl, -VERR_PROTO,
			   "0.%x.%04x entry %u: the command line at 0x%x has no end within the "
			   "kernel's %llu bytes", b->ssid, b->devno, b->entry, LINUX_CMDLINE,
			   (unsigned long long)max);
	b->cmdline_len = i;
	b->how = CB_START_LINUX;
	return 0;
}

/*
 * The IPL parameter text after the command line of a Linux entry, a blank
 * between, within the kernel's limit and the loaded kernel (refused with
 * the reason otherwise: the text was asked for, and it is not dropped
 * silently). Another kind of entry takes no command line from ccwboot.
 */
static int add_parm(const struct cb_env *env, struct cb_boot *b, char *why, size_t wl)
{
	size_t n = env->ipl_parm ? strlen(env->ipl_parm) : 0;
	u64 max = mem_be64(env, LINUX_PARM_MAX_CMDLINE), len;
	char *line;

	if (!n)
		return 0;
	if (b->how != CB_START_LINUX) {
		port_printf("ccwboot: the IPL parameter \"%s\" is for a Linux entry's command "
			    "line; entry %u is no Linux entry and does not get it\n", env->ipl_parm,
			    b->entry);
		return 0;
	}
	if (!max)
		max = LINUX_LEGACY_CMDLINE;
	len = b->cmdline_len + (b->cmdline_len ? 1 : 0) + n;
	line = env->mem(LINUX_CMDLINE, len + 1);
	if (len + 1 > max || !line || !loaded(&b->prog, LINUX_CMDLINE, len + 1))
		return fmt_err(why, wl, -VERR_RANGE,
			   "0.%x.%04x entry %u: the IPL parameter (%zu characters) does not fit on "
			   "the command line (%llu bytes with it, the kernel takes %llu)", b->ssid,
			   b->devno, b->entry, n, (unsigned long long)len,
			   (unsigned long long)(max - 1));
	if (b->cmdline_len)
		line[b->cmdline_len] = ' ';
	memcpy(line + len - n, env->ipl_parm, n);
	line[len] = '\0';
	b->cmdline_len = len;
	b->parm_added = true;
	return 0;
}

static u64 now_us(const struct cb_env *env)
{
	return env->clock_us ? env->clock_us() : port_now_us();
}

/*
 * The bench's baseline on a 3390: records from the program table's on,
 * as many as were loaded (CB_BENCH_RECORDS at most), each read by a
 * channel program of its own, into memory that nothing was loaded to
 * (above the highest component, below the loader), one after the other,
 * as the load writes them: the same work per record.
 */
static int eckd_one_by_one(const struct cb_env *env, struct cb_boot *b)
{
	u64 block, n = MIN(b->bytes / b->blk_size, (u64)CB_BENCH_RECORDS), t0, dest = 0;
	u64 track;

	for (unsigned i = 0; i < b->prog.nloads; i++)
		dest = MAX(dest, b->prog.load[i].addr + b->prog.load[i].len);
	dest = (dest + 4095) & ~(u64)4095;
	if (dest >= env->loader_start)
		return 0;
	n = MIN(n, (env->loader_start - dest) / b->blk_size);
	track = (u64)be16_to_cpu(b->eckd_table.cyl) * b->heads + be16_to_cpu(b->eckd_table.head);
	block = track * b->per_track + b->eckd_table.rec - 1;
	t0 = now_us(env);
	for (u64 i = 0; i < n && block + i < b->blocks; i++) {
		void *to = env->mem(dest + i * b->blk_size, b->blk_size);
		int err = to ? eckd_disk_read(b, block + i, 1, to) : -VERR_RANGE;

		if (err)
			return err;
		b->one_bytes += b->blk_size;
	}
	b->one_us = now_us(env) - t0;
	return 0;
}

int cb_load(const struct cb_env *env, struct cb_boot *out, char *why, size_t wl)
{
	struct bm_target t = {
		.mem_size = env->mem_size, .avoid_start = env->loader_start,
		.avoid_end = env->loader_end, .ptr = target_ptr, .ctx = (void *)(uintptr_t)env,
		.low = CB_LOWCORE_END,
	};
	struct bm_disk disk;
	unsigned entry;
	bool ask;
	char r[200];
	u64 t0;
	void *scratch;
	int err;

	memset(out, 0, sizeof(*out));
	err = cb_loadparm_entry(env->loadparm, &entry, why, wl);
	if (err < 0)
		return err;
	ask = err == 1;
	scratch = port_dma_alloc(BM_SCRATCH, 4096);
	if (!scratch)
		return fmt_err(why, wl, -VERR_NOMEM, "no memory for the boot map");
	err = find_device(env, out, scratch, why, wl);
	if (err < 0)
		return err;
	if (err == 1) {
		if (ask) {
			cb_quiesce(out, env);
			return fmt_err(why, wl, -VERR_NOTSUP, "loadparm PROMPT is for disks; a network "
				   "boot takes a pxelinux label's number");
		}
		err = nb_boot(env, out->schid, out->devno, entry, out, why, wl);
		if (err) {
			cb_quiesce(out, env);
			return err;
		}
	} else {
		if (ask) {
			/* El Torito: 0 and 1 both the first image, n the last. */
			err = prompt(env, out->nentries + (out->iso ? 1u : 0u), &entry, why, wl);
			if (err) {
				cb_quiesce(out, env);
				return err;
			}
		}
		out->entry = entry;
		disk_of(out, &disk);
		t0 = now_us(env);
		err = out->iso ? bm_iso_load(&disk, entry, &t, &out->prog, scratch, r, sizeof(r))
			       : bm_load(&disk, entry, &t, &out->prog, scratch, r, sizeof(r));
		out->us = now_us(env) - t0;
		if (err) {
			cb_quiesce(out, env);
			return fmt_err(why, wl, err, "0.%x.%04x: %s", out->ssid, out->devno, r);
		}
		for (unsigned i = 0; i < out->prog.nloads; i++)
			out->bytes += out->prog.load[i].len;
		if (env->bench && out->eckd) {
			err = eckd_one_by_one(env, out);
			if (err) {
				cb_quiesce(out, env);
				return fmt_err(why, wl, err, "0.%x.%04x: the bench's reading failed: %s",
					   out->ssid, out->devno, verr_str(err));
			}
		}
	}
	err = check_linux(env, out, why, wl);
	if (!err)
		err = add_parm(env, out, why, wl);
	if (err)
		cb_quiesce(out, env);
	return err;
}

void cb_report(const struct cb_boot *b, const struct cb_env *env, bool timing)
{
	if (b->net)
		port_printf("ccwboot: booting 0.%x.%04x (virtio-net, network boot)\n", b->ssid,
			    b->devno);
	else if (b->per_track)
		port_printf("ccwboot: booting 0.%x.%04x (3390, volume %s, %u-byte records), entry "
			    "%u%s (the program table has 0 to %u)\n", b->ssid, b->devno, b->volser,
			    b->blk_size, b->entry, b->entry ? "" : ", the default",
			    b->nentries - 1);
	else if (b->scsi) {
		const struct vscsi_lun *l = &b->scsi->luns[b->lun];

		if (b->iso && l->type == SCSI_TYPE_CDROM)
			port_printf("ccwboot: booting 0.%x.%04x (virtio-scsi, CD-ROM %u:%u \"%s\" "
				    "\"%s\", El Torito%s), entry %u%s (the boot catalog has %u "
				    "Linux image%s)\n", b->ssid, b->devno, l->target, l->lun,
				    l->vendor, l->product,
				    env->have_dev ? "" : ", the first bootable unit", b->entry,
				    b->entry > 1 ? "" : ", the first", b->nentries,
				    b->nentries == 1 ? "" : "s");
		else if (b->iso)
			port_printf("ccwboot: booting 0.%x.%04x (virtio-scsi, disk %u:%u \"%s\" "
				    "\"%s\", %u-byte blocks, an ISO 9660 image, El Torito%s), entry "
				    "%u%s (the boot catalog has %u Linux image%s)\n", b->ssid,
				    b->devno, l->target, l->lun, l->vendor, l->product, b->blk_size,
				    env->have_dev ? "" : ", the first bootable unit", b->entry,
				    b->entry > 1 ? "" : ", the first", b->nentries,
				    b->nentries == 1 ? "" : "s");
		else
			port_printf("ccwboot: booting 0.%x.%04x (virtio-scsi, disk %u:%u \"%s\" "
				    "\"%s\", %u-byte blocks%s), entry %u%s (the program table has "
				    "0 to %u)\n", b->ssid, b->devno, l->target, l->lun, l->vendor,
				    l->product, b->blk_size,
				    env->have_dev ? "" : ", the first bootable disk", b->entry,
				    b->entry ? "" : ", the default", b->nentries - 1);
	} else if (b->iso)
		port_printf("ccwboot: booting 0.%x.%04x (virtio-blk, %u-byte blocks, an ISO 9660 "
			    "image, El Torito%s), entry %u%s (the boot catalog has %u Linux "
			    "image%s)\n", b->ssid, b->devno, b->blk_size,
			    env->have_dev ? "" : ", the first bootable disk", b->entry,
			    b->entry > 1 ? "" : ", the first", b->nentries,
			    b->nentries == 1 ? "" : "s");
	else
		port_printf("ccwboot: booting 0.%x.%04x (virtio-blk, %u-byte blocks%s), entry %u%s "
			    "(the program table has 0 to %u)\n", b->ssid, b->devno, b->blk_size,
			    env->have_dev ? "" : ", the first bootable disk", b->entry,
			    b->entry ? "" : ", the default", b->nentries - 1);
	for (unsigned i = 0; i < b->prog.nloads; i++)
		port_printf("ccwboot: loaded 0x%llx to 0x%llx (%llu bytes)\n",
			    (unsigned long long)b->prog.load[i].addr,
			    (unsigned long long)(b->prog.load[i].addr + b->prog.load[i].len - 1),
			    (unsigned long long)b->prog.load[i].len);
	if (b->how == CB_START_LINUX) {
		const char *line = env->mem(LINUX_CMDLINE, b->cmdline_len + 1);

		if (b->initrd_size)
			port_printf("ccwboot: initrd at 0x%llx, %llu bytes\n",
				    (unsigned long long)b->initrd_addr,
				    (unsigned long long)b->initrd_size);
		else
			port_printf("ccwboot: no initrd\n");
		port_printf("ccwboot: command line \"%s\"\n", line ? line : "");
	}
	if (b->one_us && b->us) {
		u64 load = b->bytes * 10 * 1000000 / b->us / (1u << 20);
		u64 one = b->one_bytes * 10 * 1000000 / b->one_us / (1u << 20);
		u64 ratio = one ? load * 100 / one : 0;

		port_printf("BENCH ccwboot.eckd-load-rate %llu.%llu MiB/s\n",
			    (unsigned long long)(load / 10), (unsigned long long)(load % 10));
		port_printf("BENCH ccwboot.eckd-one-record-rate %llu.%llu MiB/s\n",
			    (unsigned long long)(one / 10), (unsigned long long)(one % 10));
		port_printf("BENCH ccwboot.eckd-load-vs-one-record %llu.%02llu\n",
			    (unsigned long long)(ratio / 100), (unsigned long long)(ratio % 100));
	}
	if (timing && b->us) {
		u64 tenths = b->bytes * 10 * 1000000 / b->us / (1u << 20);

		port_printf("ccwboot: %llu bytes in %llu us: %llu.%llu MiB/s\n",
			    (unsigned long long)b->bytes, (unsigned long long)b->us,
			    (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
		port_printf("BENCH ccwboot.load-rate %llu.%llu MiB/s\n",
			    (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
	}
	port_printf("ccwboot: start PSW %016llx, %s\n", (unsigned long long)b->prog.psw,
		    b->how == CB_START_LINUX ? "a Linux kernel, entered by ccwboot"
		    : env->device_ipl ? "entered as an IPL leaves a program (ESA/390, the PSW at 0)"
				      : "entered as QEMU's BIOS enters it");
}

void cb_quiesce(struct cb_boot *b, const struct cb_env *env)
{
	if (b->v) {
		if (b->blk && !b->blk->dead)
			vblk_stop(b->blk, NULL);
		vccw_teardown(b->v);
		css_disable(env->css, b->schid);
	}
	if (b->eckd)
		css_disable(env->css, b->schid);
	b->v = NULL;
	b->blk = NULL;
	b->net = NULL;
	b->eckd = NULL;
	b->scsi = NULL;
}
