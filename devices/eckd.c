/* The 3390 ECKD DASD driver: channel programs of both styles, geometry, sense. */
#include "devices/eckd.h"

#include "ccw/port.h"	    /* port_dma_alloc, port_dma_addr */
#include "devices/ebcdic.h" /* ebcdic_to_ascii */
#include "ring/fmt.h"	    /* fmt_snprintf */

/* DEFINE EXTENT global attributes: bits 0-1 = 11, extended CKD mode
 * (3990 Storage Control Reference; platforms.md 11.7 chain B sends 0xC0). */
#define DE_GATTR_ECKD 0xC0u

/* LOCATE RECORD operation byte: orientation in bits 0-1, operation code in
 * bits 2-7 (3990 Storage Control Reference, "Locate Record"; the values
 * Hercules names CKDOPER_*). */
#define LR_ORIENT_COUNT	   0x00u
#define LR_ORIENT_HOME	   0x40u
#define LR_OP_WRITE_DATA   0x01u
#define LR_OP_FORMAT_WRITE 0x03u
#define LR_OP_READ_DATA	   0x06u
/* Auxiliary byte bit 0: the transfer-length factor (bytes 14-15) is valid. */
#define LR_AUX_TLF_VALID   0x80u

/* The count field as it lies on the track and in memory. */
struct ckd_count_hw {
	be16 cyl;
	be16 head;
	u8 rec;
	u8 kl;
	be16 dl;
} __packed;
BUILD_ASSERT(sizeof(struct ckd_count_hw) == 8);

/* DEFINE EXTENT parameters (3990 Storage Control Reference, "Define
 * Extent"; 16 bytes as platforms.md 11.7 chain B measured). */
struct eckd_de_hw {
	u8 mask;	/* file mask */
	u8 gattr;	/* global attributes */
	be16 blksize;	/* 0: the longest R0 plus 8 */
	u8 reserved[4]; /* zero */
	be16 beg_cyl, beg_head;
	be16 end_cyl, end_head;
} __aligned(8);
BUILD_ASSERT(sizeof(struct eckd_de_hw) == 16);

/* LOCATE RECORD parameters (3990 Storage Control Reference, "Locate
 * Record"; 16 bytes as chain B measured). The search argument is
 * misaligned, so it is kept as bytes. */
struct eckd_lr_hw {
	u8 op;	     /* orientation and operation */
	u8 aux;	     /* auxiliary byte */
	u8 reserved; /* zero */
	u8 count;    /* records (CCWs) in the domain */
	be16 seek_cyl, seek_head;
	u8 search[5]; /* CCHHR */
	u8 sector;    /* 0, as measured */
	be16 tlf;     /* transfer-length factor */
} __aligned(8);
BUILD_ASSERT(sizeof(struct eckd_lr_hw) == 16);

/* Parameter blocks per channel program. */
#define ECKD_MAX_LR	(ECKD_MAX_RECORDS + ECKD_MAX_TRACKS)
#define ECKD_MAX_SEARCH (ECKD_MAX_RECORDS + ECKD_MAX_TRACKS)

struct eckd_dma {
	struct ccw1 ccw[ECKD_MAX_CCWS];
	struct eckd_de_hw de;
	struct eckd_lr_hw lr[ECKD_MAX_LR];
	u8 seek[ECKD_MAX_TRACKS][8];   /* BBCCHH, 6 bytes used */
	u8 search[ECKD_MAX_SEARCH][8]; /* CCHHR or CCHH, 5 or 4 bytes used */
	u8 sfm[8];		       /* SET FILE MASK byte */
	u8 rdc[ECKD_RDC_LEN];
} __aligned(8);

/* A channel program being built. */
struct prog {
	struct eckd *e;
	unsigned n, nlr, nseek, nsearch;
	bool full;
	bool high;   /* a buffer above 2 GiB, which a CCW cannot address */
};

/* --- Small helpers -------------------------------------------------------------- */

static const char *cmd_name(u8 cmd)
{
	switch (cmd) {
	case ECKD_CMD_WRITE_DATA:
		return "WRITE DATA";
	case ECKD_CMD_READ_DATA:
		return "READ DATA";
	case ECKD_CMD_READ_DATA | ECKD_CMD_MT:
		return "READ DATA (MT)";
	case ECKD_CMD_SEEK:
		return "SEEK";
	case CCW_CMD_TIC:
		return "TIC";
	case ECKD_CMD_READ_KD:
		return "READ KEY AND DATA";
	case ECKD_CMD_WRITE_R0:
		return "WRITE R0";
	case ECKD_CMD_READ_R0:
		return "READ R0";
	case ECKD_CMD_WRITE_CKD:
		return "WRITE COUNT KEY AND DATA";
	case ECKD_CMD_READ_CKD:
		return "READ COUNT KEY AND DATA";
	case ECKD_CMD_SET_FILE_MASK:
		return "SET FILE MASK";
	case ECKD_CMD_SEARCH_ID_EQ:
		return "SEARCH ID EQUAL";
	case ECKD_CMD_SEARCH_HA_EQ:
		return "SEARCH HOME ADDRESS EQUAL";
	case ECKD_CMD_LOCATE_RECORD:
		return "LOCATE RECORD";
	case ECKD_CMD_DEFINE_EXTENT:
		return "DEFINE EXTENT";
	case ECKD_CMD_RDC:
		return "READ DEVICE CHARACTERISTICS";
	case CCW_CMD_SENSE_ID:
		return "SENSE ID";
	}
	return "command";
}

/* Record a failure the driver itself found (no channel program ran). */
static int fail(struct eckd *e, int err, enum eckd_cond cond, const char *fmt, ...) __printf(4, 5);
static int fail(struct eckd *e, int err, enum eckd_cond cond, const char *fmt, ...)
{
	va_list ap;

	e->err = err;
	e->cond = cond;
	va_start(ap, fmt);
	fmt_vsnprintf(e->why, sizeof(e->why), fmt, ap);
	va_end(ap);
	return err;
}

static void clear_error(struct eckd *e)
{
	e->err = 0;
	e->cond = ECKD_COND_NONE;
	e->why[0] = '\0';
	memset(&e->at, 0, sizeof(e->at));
}

/* Whether [p, p+len) may go into a format-1 CCW (31-bit address). */
static bool dma_ok(const void *p, size_t len)
{
	u64 a = port_dma_addr(p);

	return p && a + len <= 0x80000000ull && a + len >= a;
}

/* The track n tracks after (cyl, head). */
static void track_add(const struct eckd *e, u16 cyl, u16 head, unsigned n, u16 *oc, u16 *oh)
{
	u32 t = (u32)cyl * e->geom.heads + head + n;

	*oc = (u16)(t / e->geom.heads);
	*oh = (u16)(t % e->geom.heads);
}

static bool on_volume(const struct eckd *e, u16 cyl, u16 head)
{
	return cyl < e->geom.cyls && head < e->geom.heads;
}

static bool in_extent(const struct eckd *e, u16 cyl, u16 head)
{
	u32 t = (u32)cyl * e->geom.heads + head;

	return t >= (u32)e->ext.cyl0 * e->geom.heads + e->ext.head0 &&
	       t <= (u32)e->ext.cyl1 * e->geom.heads + e->ext.head1;
}

/* The driver's own checks of a track before a channel program addresses it:
 * the volume always, the extent for the classic chain (ECKD leaves the
 * extent to the device, which knows it from DEFINE EXTENT). */
static int check_track(struct eckd *e, enum eckd_via via, u16 cyl, u16 head)
{
	if (!on_volume(e, cyl, head))
		return fail(e, -VERR_RANGE, ECKD_COND_OUTSIDE,
			    "cylinder %u head %u is outside the volume (%u cylinders x %u heads)",
			    cyl, head, (unsigned)e->geom.cyls, e->geom.heads);
	if (via == ECKD_VIA_CLASSIC && !in_extent(e, cyl, head))
		return fail(e, -VERR_RANGE, ECKD_COND_OUTSIDE,
			    "cylinder %u head %u is outside the extent %u/%u-%u/%u "
			    "(the classic chain's extent is checked by the driver)",
			    cyl, head, e->ext.cyl0, e->ext.head0, e->ext.cyl1, e->ext.head1);
	return 0;
}

static int check_usable(struct eckd *e)
{
	if (e->gone)
		return fail(e, -VERR_NODEV, ECKD_COND_GONE,
			    "the device went away earlier (not operational)");
	return 0;
}

/* --- Building channel programs -------------------------------------------------- */

static void prog_start(struct eckd *e, struct prog *p, u8 mask, bool writes)
{
	memset(p, 0, sizeof(*p));
	p->e = e;
	e->nccw = 0;
	e->mask = mask;
	e->writes = writes;
}

/* Append a CCW (command chaining on; the last one loses it at the start)
 * tagged with the record it addresses. Returns its index. */
static unsigned emit(struct prog *p, u8 cmd, u8 flags, u32 count, const void *data, u16 cyl,
		     u16 head, u8 rec)
{
	struct eckd *e = p->e;
	unsigned i = p->n;
	u32 cda;

	if (i >= ECKD_MAX_CCWS || count > 0xFFFF) {
		p->full = true;
		return i ? i - 1 : 0;
	}
	if (css_addr31(data, count, &cda))
		p->high = true;
	e->dma->ccw[i] = ccw1_make(cmd, (u8)(flags | CCW_FLAG_CC), (u16)count, cda);
	e->tag[i] = (struct eckd_tag){ .cyl = cyl, .head = head, .rec = rec, .cmd = cmd };
	p->n++;
	return i;
}

/* TIC back to CCW `to`: the search loop of the classic chain. */
static void emit_tic(struct prog *p, unsigned to)
{
	struct eckd *e = p->e;
	unsigned i = p->n;
	u32 cda;

	if (i >= ECKD_MAX_CCWS) {
		p->full = true;
		return;
	}
	if (css_addr31(&e->dma->ccw[to], sizeof(e->dma->ccw[to]), &cda))
		p->high = true;
	e->dma->ccw[i] = ccw1_make(CCW_CMD_TIC, 0, 0, cda);
	e->tag[i] = e->tag[to];
	e->tag[i].cmd = CCW_CMD_TIC;
	p->n++;
}

static void emit_de(struct prog *p, u8 mask)
{
	struct eckd *e = p->e;
	struct eckd_de_hw *de = &e->dma->de;

	memset(de, 0, sizeof(*de));
	de->mask = mask;
	de->gattr = DE_GATTR_ECKD;
	de->beg_cyl = cpu_to_be16(e->ext.cyl0);
	de->beg_head = cpu_to_be16(e->ext.head0);
	de->end_cyl = cpu_to_be16(e->ext.cyl1);
	de->end_head = cpu_to_be16(e->ext.head1);
	emit(p, ECKD_CMD_DEFINE_EXTENT, 0, sizeof(*de), de, e->ext.cyl0, e->ext.head0, 0);
}

static void put_cchhr(u8 *b, u16 cyl, u16 head, u8 rec)
{
	b[0] = (u8)(cyl >> 8);
	b[1] = (u8)cyl;
	b[2] = (u8)(head >> 8);
	b[3] = (u8)head;
	b[4] = rec;
}

/* LOCATE RECORD for count records (CCWs) from track (cyl, head), searching
 * CCHHR cyl/head/rec; tlf 0 leaves the transfer-length factor invalid. */
static void emit_lr(struct prog *p, u8 op, unsigned count, u16 cyl, u16 head, u8 rec, u16 tlf)
{
	struct eckd *e = p->e;
	struct eckd_lr_hw *lr;

	if (p->nlr >= ECKD_MAX_LR || count == 0 || count > 255) {
		p->full = true;
		return;
	}
	lr = &e->dma->lr[p->nlr++];
	memset(lr, 0, sizeof(*lr));
	lr->op = op;
	lr->aux = tlf ? LR_AUX_TLF_VALID : 0;
	lr->count = (u8)count;
	lr->seek_cyl = cpu_to_be16(cyl);
	lr->seek_head = cpu_to_be16(head);
	put_cchhr(lr->search, cyl, head, rec);
	lr->tlf = cpu_to_be16(tlf);
	emit(p, ECKD_CMD_LOCATE_RECORD, 0, sizeof(*lr), lr, cyl, head, rec);
}

static void emit_seek(struct prog *p, u16 cyl, u16 head)
{
	struct eckd *e = p->e;
	u8 *b;

	if (p->nseek >= ECKD_MAX_TRACKS) {
		p->full = true;
		return;
	}
	b = e->dma->seek[p->nseek++];
	memset(b, 0, 8);
	put_cchhr(b + 2, cyl, head, 0); /* BBCCHH: bin 0 */
	emit(p, ECKD_CMD_SEEK, 0, 6, b, cyl, head, 0);
}

/* SEARCH ID EQUAL (5-byte CCHHR) or SEARCH HOME ADDRESS EQUAL (4-byte
 * CCHH), then the TIC back to it that repeats it until it matches. */
static void emit_search(struct prog *p, u8 cmd, u16 cyl, u16 head, u8 rec)
{
	struct eckd *e = p->e;
	unsigned at;
	u8 *b;

	if (p->nsearch >= ECKD_MAX_SEARCH) {
		p->full = true;
		return;
	}
	b = e->dma->search[p->nsearch++];
	memset(b, 0, 8);
	put_cchhr(b, cyl, head, rec);
	at = emit(p, cmd, 0, cmd == ECKD_CMD_SEARCH_HA_EQ ? 4 : 5, b, cyl, head, rec);
	emit_tic(p, at);
}

static void emit_sfm(struct prog *p, u8 mask)
{
	struct eckd *e = p->e;

	e->dma->sfm[0] = mask;
	emit(p, ECKD_CMD_SET_FILE_MASK, 0, 1, e->dma->sfm, 0, 0, 0);
}

const struct ccw1 *eckd_program(const struct eckd *e)
{
	return &e->dma->ccw[0];
}

/* --- Running them and explaining failures ------------------------------------- */

/* Which CCW the final SCSW points past (PoP 16: the CCW address is 8
 * beyond the last CCW executed); -1 when it is not one of ours. */
static int failing_ccw(const struct eckd *e)
{
	u64 base = port_dma_addr(&e->dma->ccw[0]);
	u64 cpa = be32_to_cpu(e->res.irb.scsw.cpa);

	if (cpa < base + 8 || cpa > base + 8ull * e->nccw || (cpa - base) % 8)
		return -1;
	return (int)((cpa - base) / 8) - 1;
}

/* Map the outcome of a failed program to an error code and a condition. */
static int classify(struct eckd *e, enum eckd_cond *cond)
{
	const struct css_result *r = &e->res;
	bool uc = r->irb.scsw.dstat & SCSW_DSTAT_UNIT_CHECK;

	if (r->err == -VERR_NODEV) {
		e->gone = true;
		*cond = ECKD_COND_GONE;
		return -VERR_NODEV;
	}
	if (r->err == -VERR_TIMEOUT) {
		*cond = ECKD_COND_TIMEOUT;
		return -VERR_TIMEOUT;
	}
	if (!uc || r->sense_len == 0) {
		*cond = (r->irb.scsw.cstat & SCSW_CSTAT_INCORR_LEN) ? ECKD_COND_MISMATCH
								    : ECKD_COND_CHANNEL;
		return r->err ? r->err : -VERR_IO;
	}
	*cond = eckd_sense_cond(r->sense, r->sense_len);
	switch (*cond) {
	case ECKD_COND_WRITE_INHIBITED:
		return -VERR_ROFS;
	case ECKD_COND_FILE_PROTECTED:
	case ECKD_COND_COMMAND_REJECT:
		/* A write refused while our own mask inhibits writes: the
		 * extent is read-only, whichever way the device says it. */
		if (e->writes && e->mask == ECKD_MASK_INHIBIT_WRITES) {
			*cond = ECKD_COND_MASK_INHIBITS;
			return -VERR_ROFS;
		}
		return *cond == ECKD_COND_FILE_PROTECTED ? -VERR_RANGE : -VERR_NOTSUP;
	case ECKD_COND_NO_RECORD:
	case ECKD_COND_END_OF_CYLINDER:
		return -VERR_RANGE;
	default:
		return -VERR_IO;
	}
}

static int run(struct eckd *e, struct prog *p, const char *what)
{
	char detail[128];
	int k, err;

	if (p->full || p->n == 0)
		return fail(e, -VERR_INVAL, ECKD_COND_NONE,
			    "%s: the request needs more than the driver's %u CCWs", what,
			    ECKD_MAX_CCWS);
	if (p->high)
		return fail(e, -VERR_RANGE, ECKD_COND_NONE,
			    "%s: a buffer above 2 GiB, beyond a CCW's 31-bit address", what);
	e->nccw = p->n;
	e->dma->ccw[p->n - 1].flags &= (u8)~CCW_FLAG_CC;
	err = css_run(e->css, e->schid, &e->dma->ccw[0], e->timeout_us, &e->res);
	if (!err)
		return 0;

	err = classify(e, &e->cond);
	e->err = err;
	k = failing_ccw(e);
	if (k >= 0) {
		const struct eckd_tag *t = &e->tag[k];

		e->at = (struct eckd_count){ .cyl = t->cyl, .head = t->head, .rec = t->rec };
		fmt_snprintf(detail, sizeof(detail), "at CCHHR %u/%u/%u (%s, CCW %d of %u)", t->cyl,
			     t->head, t->rec, cmd_name(t->cmd), k + 1, e->nccw);
	} else if (!(be16_to_cpu(e->res.irb.scsw.ctrl) & SCSW_STCTL_STATUS_PEND)) {
		/* Not started, or no ending status (gone, timed out). */
		fmt_snprintf(detail, sizeof(detail), "(no status from the program)");
	} else {
		fmt_snprintf(detail, sizeof(detail), "(CCW address outside the program)");
	}
	if ((e->res.irb.scsw.dstat & SCSW_DSTAT_UNIT_CHECK) && e->res.sense_len) {
		char s[128];

		fmt_snprintf(e->why, sizeof(e->why), "%s: %s %s; sense %s", what,
			     eckd_cond_name(e->cond), detail,
			     eckd_sense_explain(e->res.sense, e->res.sense_len, s, sizeof(s)));
	} else {
		char s[128];

		fmt_snprintf(e->why, sizeof(e->why), "%s: %s %s; %s", what, eckd_cond_name(e->cond),
			     detail, irb_explain(&e->res, s, sizeof(s)));
	}
	return err;
}

/* --- Geometry -------------------------------------------------------------------- */

static void parse_rdc(struct eckd_geom *g, const u8 *b)
{
	memcpy(g->raw, b, ECKD_RDC_LEN);
	g->cu_type = get_be16(b);
	g->cu_model = b[2];
	g->dev_type = get_be16(b + 3);
	g->dev_model = b[5];
	g->features = ((u32)b[6] << 24) | ((u32)b[7] << 16) | ((u32)b[8] << 8) | b[9];
	g->dev_class = b[10];
	g->unit_type = b[11];
	g->cyls = get_be16(b + 12);
	/* Large volumes say 0xFFFE here and the count in bytes 60-63 (as
	 * Linux's dasd_eckd.c reads them: LV_COMPAT_CYL, long_no_cyl). */
	if (g->cyls == 0xFFFE)
		g->cyls = ((u32)b[60] << 24) | ((u32)b[61] << 16) | ((u32)b[62] << 8) | b[63];
	g->heads = get_be16(b + 14);
	g->sectors = b[16];
	g->track_bytes = ((u32)b[17] << 16) | ((u32)b[18] << 8) | b[19];
	g->ha_r0_bytes = get_be16(b + 20);
	g->formula = b[22];
	memcpy(g->factor, b + 23, sizeof(g->factor));
	g->r0_max = get_be16(b + 44);
}

static unsigned ceil_div(unsigned a, unsigned b)
{
	return (a + b - 1) / b;
}

/*
 * Track-capacity formula 2 (the 3390: f1 = 34-byte cells, f2 = 19, f3 = 9,
 * f4 = 6, f5 = 116 in Hercules' dasdtab.c), in the shape the Linux DASD
 * driver (dasd_eckd.c, recs_per_track) applies it to a 3390: a record
 * takes f2 cells plus ceil((dl + f4 * dn) / f1) for its data, dn =
 * ceil((dl + f4) / (2 * f5)) + 1, and f3 more plus the same sum for a key;
 * a track holds track_bytes / f1 cells. It gives the 3390's 12 records of
 * 4096 bytes and one of 56664 (its largest record).
 */
unsigned eckd_records_per_track(const struct eckd *e, unsigned kl, unsigned dl)
{
	const struct eckd_geom *g = &e->geom;
	unsigned f1 = g->factor[0], f2 = g->factor[1], f3 = g->factor[2], f4 = g->factor[3],
		 f5 = g->factor[4];
	unsigned cells, dn, kn;

	if (g->formula != 2 || !f1 || !f5 || dl == 0 || dl > 0xFFFF || kl > 255)
		return 0;
	dn = ceil_div(dl + f4, 2 * f5) + 1;
	cells = f2 + ceil_div(dl + f4 * dn, f1);
	if (kl) {
		kn = ceil_div(kl + f4, 2 * f5) + 1;
		cells += f3 + ceil_div(kl + f4 * kn, f1);
	}
	return (g->track_bytes / f1) / cells;
}

int eckd_init(struct eckd *e, struct css *css, u32 schid)
{
	struct senseid id;
	struct prog p;
	unsigned len = 0;
	u16 cu, dev;
	int err;

	memset(e, 0, sizeof(*e));
	e->css = css;
	e->schid = schid;
	e->timeout_us = ECKD_TIMEOUT_US;
	e->dma = port_dma_alloc(sizeof(*e->dma), 8);
	e->bounce = port_dma_alloc(ECKD_BOUNCE_BYTES, 4096);
	if (!e->dma || !e->bounce)
		return fail(e, -VERR_NOMEM, ECKD_COND_NONE, "eckd: no DMA memory");

	err = css_sense_id(css, schid, &id, &len);
	if (err) {
		e->res.err = err;
		return fail(e, err, err == -VERR_NODEV ? ECKD_COND_GONE : ECKD_COND_CHANNEL,
			    "eckd: SENSE ID failed: %s", verr_str(err));
	}
	cu = be16_to_cpu(id.cu_type);
	dev = len >= 6 ? be16_to_cpu(id.dev_type) : 0;
	if (cu != ECKD_CU_TYPE || dev != ECKD_DEV_TYPE)
		return fail(e, -VERR_NOTSUP, ECKD_COND_MISMATCH,
			    "eckd: SENSE ID says CU %04x device %04x, not a 3390 on a 3990", cu,
			    dev);

	prog_start(e, &p, 0, false);
	memset(e->dma->rdc, 0, sizeof(e->dma->rdc));
	emit(&p, ECKD_CMD_RDC, CCW_FLAG_SLI, ECKD_RDC_LEN, e->dma->rdc, 0, 0, 0);
	err = run(e, &p, "READ DEVICE CHARACTERISTICS");
	if (err)
		return err;
	if (ECKD_RDC_LEN - e->res.residual < 46)
		return fail(e, -VERR_PROTO, ECKD_COND_MISMATCH,
			    "READ DEVICE CHARACTERISTICS: only %u bytes",
			    ECKD_RDC_LEN - e->res.residual);
	parse_rdc(&e->geom, e->dma->rdc);
	if (e->geom.cu_type != ECKD_CU_TYPE || e->geom.dev_type != ECKD_DEV_TYPE ||
	    e->geom.cyls == 0 || e->geom.cyls > 0xFFFF || e->geom.heads == 0)
		return fail(e, -VERR_PROTO, ECKD_COND_MISMATCH,
			    "READ DEVICE CHARACTERISTICS: CU %04x device %04x, %u cylinders x %u "
			    "heads: not a usable 3390",
			    e->geom.cu_type, e->geom.dev_type, (unsigned)e->geom.cyls,
			    e->geom.heads);
	e->ext = (struct eckd_extent){ 0, 0, (u16)(e->geom.cyls - 1), (u16)(e->geom.heads - 1),
				       true };
	clear_error(e);
	return 0;
}

int eckd_set_extent(struct eckd *e, const struct eckd_extent *x)
{
	if (!on_volume(e, x->cyl0, x->head0) || !on_volume(e, x->cyl1, x->head1) ||
	    (u32)x->cyl0 * e->geom.heads + x->head0 > (u32)x->cyl1 * e->geom.heads + x->head1)
		return fail(e, -VERR_RANGE, ECKD_COND_OUTSIDE,
			    "extent %u/%u-%u/%u is not a range of tracks of the volume", x->cyl0,
			    x->head0, x->cyl1, x->head1);
	e->ext = *x;
	return 0;
}

/* --- Single records ------------------------------------------------------------ */

int eckd_read_r0(struct eckd *e, enum eckd_via via, u16 cyl, u16 head, struct eckd_count *c,
		 void *data, u16 max)
{
	const struct ckd_count_hw *hw = (const void *)e->bounce;
	struct prog p;
	u32 got;
	int err;

	clear_error(e);
	if ((err = check_usable(e)) || (err = check_track(e, via, cyl, head)))
		return err;
	prog_start(e, &p, ECKD_MASK_INHIBIT_WRITES, false);
	if (via == ECKD_VIA_ECKD) {
		emit_de(&p, ECKD_MASK_INHIBIT_WRITES);
		emit_lr(&p, LR_ORIENT_HOME | LR_OP_READ_DATA, 1, cyl, head, 0, 0);
	} else {
		emit_seek(&p, cyl, head);
	}
	emit(&p, ECKD_CMD_READ_R0, CCW_FLAG_SLI, sizeof(*hw) + (u32)max, e->bounce, cyl, head, 0);
	err = run(e, &p, "READ R0");
	if (err)
		return err;
	got = sizeof(*hw) + (u32)max - e->res.residual;
	if (got < sizeof(*hw))
		return fail(e, -VERR_PROTO, ECKD_COND_MISMATCH, "READ R0: only %u bytes", got);
	c->cyl = be16_to_cpu(hw->cyl);
	c->head = be16_to_cpu(hw->head);
	c->rec = hw->rec;
	c->kl = hw->kl;
	c->dl = be16_to_cpu(hw->dl);
	if (data && got > sizeof(*hw) + c->kl)
		memcpy(data, e->bounce + sizeof(*hw) + c->kl,
		       MIN((u32)max, got - (u32)sizeof(*hw) - c->kl));
	return 0;
}

int eckd_read_ckd(struct eckd *e, enum eckd_via via, u16 cyl, u16 head, u8 rec,
		  struct eckd_count *c, void *buf, u32 max, u32 *len)
{
	const struct ckd_count_hw *hw = (const void *)e->bounce;
	struct prog p;
	u32 got, want;
	int err;

	clear_error(e);
	if (rec == 0 || max > ECKD_BOUNCE_BYTES - sizeof(*hw) || max > 0xFFFF - sizeof(*hw))
		return fail(e, -VERR_INVAL, ECKD_COND_NONE,
			    "READ COUNT KEY AND DATA: record %u, %u bytes: use eckd_read_r0() for "
			    "R0, at most %u bytes",
			    rec, max, 0xFFFFu - 8u);
	if ((err = check_usable(e)) || (err = check_track(e, via, cyl, head)))
		return err;
	prog_start(e, &p, ECKD_MASK_INHIBIT_WRITES, false);
	/* Find the record before, then READ COUNT KEY AND DATA takes the next
	 * count area it meets (3990 Storage Control Reference). */
	if (via == ECKD_VIA_ECKD) {
		emit_de(&p, ECKD_MASK_INHIBIT_WRITES);
		emit_lr(&p, LR_ORIENT_COUNT | LR_OP_READ_DATA, 1, cyl, head, (u8)(rec - 1), 0);
	} else {
		emit_seek(&p, cyl, head);
		emit_search(&p, ECKD_CMD_SEARCH_ID_EQ, cyl, head, (u8)(rec - 1));
	}
	emit(&p, ECKD_CMD_READ_CKD, CCW_FLAG_SLI, sizeof(*hw) + max, e->bounce, cyl, head, rec);
	err = run(e, &p, "READ COUNT KEY AND DATA");
	if (err)
		return err;
	got = sizeof(*hw) + max - e->res.residual;
	if (got < sizeof(*hw))
		return fail(e, -VERR_PROTO, ECKD_COND_MISMATCH,
			    "READ COUNT KEY AND DATA: only %u bytes", got);
	c->cyl = be16_to_cpu(hw->cyl);
	c->head = be16_to_cpu(hw->head);
	c->rec = hw->rec;
	c->kl = hw->kl;
	c->dl = be16_to_cpu(hw->dl);
	e->at = *c;
	if (c->cyl != cyl || c->head != head || c->rec != rec)
		return fail(
			e, -VERR_RANGE, ECKD_COND_MISMATCH,
			"READ COUNT KEY AND DATA: record %u/%u/%u follows %u/%u/%u, not %u/%u/%u",
			c->cyl, c->head, c->rec, cyl, head, rec - 1, cyl, head, rec);
	want = (u32)c->kl + c->dl;
	if (want > max)
		return fail(
			e, -VERR_RANGE, ECKD_COND_MISMATCH,
			"READ COUNT KEY AND DATA: record %u/%u/%u has %u key and %u data bytes, "
			"more than the %u asked",
			cyl, head, rec, c->kl, c->dl, max);
	if (got - sizeof(*hw) < want)
		return fail(e, -VERR_PROTO, ECKD_COND_MISMATCH,
			    "READ COUNT KEY AND DATA: %u bytes for a record of %u", got, want);
	memcpy(buf, e->bounce + sizeof(*hw), want);
	if (len)
		*len = want;
	return 0;
}

int eckd_read_kd(struct eckd *e, enum eckd_via via, u16 cyl, u16 head, u8 rec, void *buf, u16 len)
{
	struct prog p;
	int err;

	clear_error(e);
	if (len == 0)
		return fail(e, -VERR_INVAL, ECKD_COND_NONE, "READ KEY AND DATA: 0 bytes");
	if ((err = check_usable(e)) || (err = check_track(e, via, cyl, head)))
		return err;
	prog_start(e, &p, ECKD_MASK_INHIBIT_WRITES, false);
	if (via == ECKD_VIA_ECKD) {
		emit_de(&p, ECKD_MASK_INHIBIT_WRITES);
		emit_lr(&p, LR_ORIENT_COUNT | LR_OP_READ_DATA, 1, cyl, head, rec, 0);
	} else {
		emit_seek(&p, cyl, head);
		emit_search(&p, ECKD_CMD_SEARCH_ID_EQ, cyl, head, rec);
	}
	/* No SLI: a record of another length ends in incorrect length. */
	emit(&p, ECKD_CMD_READ_KD, 0, len, e->bounce, cyl, head, rec);
	err = run(e, &p, "READ KEY AND DATA");
	if (err)
		return err;
	memcpy(buf, e->bounce, len);
	return 0;
}

int eckd_volser(struct eckd *e, enum eckd_via via, char serial[7])
{
	/* "VOL1" in EBCDIC: the key and the first data bytes of the label. */
	static const u8 vol1[4] = { 0xE5, 0xD6, 0xD3, 0xF1 };
	struct eckd_count c;
	u8 kd[4 + 80];
	u32 len = 0;
	int err, i;

	serial[0] = '\0';
	err = eckd_read_ckd(e, via, 0, 0, 3, &c, kd, sizeof(kd), &len);
	if (err)
		return err;
	if (c.kl != 4 || memcmp(kd, vol1, 4) || c.dl < 10 || memcmp(kd + 4, vol1, 4))
		return fail(e, -VERR_PROTO, ECKD_COND_MISMATCH,
			    "no VOL1 label at 0/0/3: key length %u, data length %u, key "
			    "%02x%02x%02x%02x",
			    c.kl, c.dl, kd[0], kd[1], kd[2], kd[3]);
	for (i = 0; i < 6; i++)
		serial[i] = ebcdic_to_ascii(kd[4 + 4 + i]);
	serial[6] = '\0';
	for (i = 5; i >= 0 && serial[i] == ' '; i--)
		serial[i] = '\0';
	return 0;
}

/* --- Runs of records ------------------------------------------------------------ */

/* Where record i of a run lies. */
static void run_pos(const struct eckd *e, const struct eckd_run *r, unsigned per, unsigned i,
		    u16 *cyl, u16 *head, u8 *rec)
{
	unsigned idx = (unsigned)(r->rec - 1) + i;

	track_add(e, r->cyl, r->head, idx / per, cyl, head);
	*rec = (u8)(1 + idx % per);
}

/* Validate a run; *per receives the records per track. */
static int check_run(struct eckd *e, enum eckd_via via, const struct eckd_run *r, const void *buf,
		     bool need_dma, const char *what, unsigned *per)
{
	unsigned fit, tracks, i;
	int err;

	if ((err = check_usable(e)))
		return err;
	if (!r || r->n == 0 || r->n > ECKD_MAX_RECORDS || r->dl == 0 || r->rec == 0)
		return fail(e, -VERR_INVAL, ECKD_COND_NONE,
			    "%s: a run needs 1 to %u records of at least 1 byte from record 1 up",
			    what, ECKD_MAX_RECORDS);
	fit = eckd_records_per_track(e, 0, r->dl);
	*per = r->per_track ? r->per_track : MIN(fit, 255u);
	/* With the formula known, 0 means the record does not fit a track. */
	if (*per == 0 || (e->geom.formula == 2 && (fit == 0 || *per > fit)))
		return fail(e, -VERR_RANGE, ECKD_COND_OUTSIDE,
			    "%s: a track holds %u records of %u bytes, not %u", what, fit, r->dl,
			    *per);
	if (r->rec > *per)
		return fail(e, -VERR_RANGE, ECKD_COND_OUTSIDE,
			    "%s: record %u of a track of %u records", what, r->rec, *per);
	tracks = ((unsigned)r->rec - 1 + r->n - 1) / *per + 1;
	if (tracks > ECKD_MAX_TRACKS)
		return fail(e, -VERR_INVAL, ECKD_COND_NONE, "%s: %u tracks, at most %u", what,
			    tracks, ECKD_MAX_TRACKS);
	if ((err = check_track(e, via, r->cyl, r->head)))
		return err;
	for (i = 1; i < tracks; i++) {
		u16 c, h;

		track_add(e, r->cyl, r->head, i, &c, &h);
		if ((err = check_track(e, via, c, h)))
			return err;
	}
	if (need_dma && !dma_ok(buf, (size_t)r->n * r->dl))
		return fail(e, -VERR_INVAL, ECKD_COND_NONE,
			    "%s: the buffer is not DMA memory below 2 GiB", what);
	return 0;
}

int eckd_read(struct eckd *e, enum eckd_via via, const struct eckd_run *r, void *buf)
{
	u8 *out = buf;
	struct prog p;
	unsigned per, i;
	int err;

	clear_error(e);
	if ((err = check_run(e, via, r, buf, true, "read", &per)))
		return err;
	prog_start(e, &p, ECKD_MASK_INHIBIT_WRITES, false);
	if (via == ECKD_VIA_ECKD) {
		/* One domain for the whole run: READ DATA multitrack lets the
		 * device go on to the next track by itself (chain B). */
		emit_de(&p, ECKD_MASK_INHIBIT_WRITES);
		emit_lr(&p, LR_ORIENT_COUNT | LR_OP_READ_DATA, r->n, r->cyl, r->head, r->rec, 0);
		for (i = 0; i < r->n; i++) {
			u16 c, h;
			u8 rec;

			run_pos(e, r, per, i, &c, &h, &rec);
			emit(&p, ECKD_CMD_READ_DATA | ECKD_CMD_MT, 0, r->dl,
			     out + (size_t)i * r->dl, c, h, rec);
		}
	} else {
		u16 pc = 0xFFFF, ph = 0xFFFF;

		for (i = 0; i < r->n; i++) {
			u16 c, h;
			u8 rec;

			run_pos(e, r, per, i, &c, &h, &rec);
			if (c != pc || h != ph) {
				emit_seek(&p, c, h);
				emit_search(&p, ECKD_CMD_SEARCH_ID_EQ, c, h, rec);
				pc = c, ph = h;
			}
			emit(&p, ECKD_CMD_READ_DATA, 0, r->dl, out + (size_t)i * r->dl, c, h, rec);
		}
	}
	return run(e, &p, "read");
}

int eckd_write(struct eckd *e, enum eckd_via via, const struct eckd_run *r, const void *buf)
{
	const u8 *in = buf;
	u8 mask = e->ext.writable ? ECKD_MASK_UPDATE_ONLY : ECKD_MASK_INHIBIT_WRITES;
	struct prog p;
	unsigned per, i;
	u16 pc = 0xFFFF, ph = 0xFFFF;
	int err;

	clear_error(e);
	if ((err = check_run(e, via, r, buf, true, "write", &per)))
		return err;
	/* A read-only extent still goes to the device, with a mask that
	 * inhibits writes: the device refuses, the driver reports it. */
	prog_start(e, &p, mask, true);
	if (via == ECKD_VIA_ECKD)
		emit_de(&p, mask);
	else
		emit_sfm(&p, mask);
	for (i = 0; i < r->n; i++) {
		u16 c, h;
		u8 rec;

		run_pos(e, r, per, i, &c, &h, &rec);
		if (via == ECKD_VIA_ECKD) {
			/* A domain per record: WRITE DATA is the one command of a
			 * Locate Record write-data domain (Hercules ckddasd.c
			 * accepts it as the domain's last command only). */
			emit_lr(&p, LR_ORIENT_COUNT | LR_OP_WRITE_DATA, 1, c, h, rec, r->dl);
		} else {
			if (c != pc || h != ph) {
				emit_seek(&p, c, h);
				pc = c, ph = h;
			}
			emit_search(&p, ECKD_CMD_SEARCH_ID_EQ, c, h, rec);
		}
		emit(&p, ECKD_CMD_WRITE_DATA, 0, r->dl, in + (size_t)i * r->dl, c, h, rec);
	}
	return run(e, &p, "write");
}

/* Put a count field into the staging buffer. */
static u8 *put_count(u8 *b, u16 cyl, u16 head, u8 rec, u8 kl, u16 dl)
{
	struct ckd_count_hw hw = { cpu_to_be16(cyl), cpu_to_be16(head), rec, kl, cpu_to_be16(dl) };

	memcpy(b, &hw, sizeof(hw));
	return b + sizeof(hw);
}

/* Format tracks [t0, t1) of a run (records first..last of it) in one program. */
static int format_some(struct eckd *e, enum eckd_via via, const struct eckd_run *r, unsigned per,
		       unsigned first, unsigned last, const u8 *data)
{
	u8 mask = e->ext.writable ? ECKD_MASK_ALLOW_ALL : ECKD_MASK_INHIBIT_WRITES;
	u8 *b = e->bounce;
	struct prog p;
	unsigned i = first;

	prog_start(e, &p, mask, true);
	if (via == ECKD_VIA_ECKD)
		emit_de(&p, mask);
	else
		emit_sfm(&p, mask);
	while (i < last) {
		unsigned k = MIN(per, last - i);
		u16 c, h;
		u8 rec;

		run_pos(e, r, per, i, &c, &h, &rec);
		if (via == ECKD_VIA_ECKD) {
			/* Oriented to the home address: WRITE R0 rewrites the
			 * track from R0 on, the records follow it. */
			emit_lr(&p, LR_ORIENT_HOME | LR_OP_FORMAT_WRITE, 1 + k, c, h, 0, 0);
		} else {
			emit_seek(&p, c, h);
			emit_search(&p, ECKD_CMD_SEARCH_HA_EQ, c, h, 0);
		}
		/* A standard R0: no key, 8 zero data bytes (as dasdinit writes it). */
		emit(&p, ECKD_CMD_WRITE_R0, 0, 16, b, c, h, 0);
		b = put_count(b, c, h, 0, 0, 8);
		memset(b, 0, 8);
		b += 8;
		for (unsigned j = 0; j < k; j++, i++) {
			u8 *rec_start = b;

			run_pos(e, r, per, i, &c, &h, &rec);
			b = put_count(b, c, h, rec, 0, r->dl);
			if (data)
				memcpy(b, data + (size_t)i * r->dl, r->dl);
			else
				memset(b, 0, r->dl);
			b += r->dl;
			emit(&p, ECKD_CMD_WRITE_CKD, 0, 8u + r->dl, rec_start, c, h, rec);
		}
	}
	return run(e, &p, "format");
}

int eckd_format(struct eckd *e, enum eckd_via via, const struct eckd_run *r, const void *data)
{
	unsigned per, track_bytes, tracks_per_prog, i;
	int err;

	clear_error(e);
	if ((err = check_run(e, via, r, data, false, "format", &per)))
		return err;
	if (r->rec != 1)
		return fail(e, -VERR_INVAL, ECKD_COND_NONE,
			    "format: a run to format starts at record 1, not %u", r->rec);
	/* Whole tracks per program, as many as the staging buffer holds. */
	track_bytes = 16 + per * (8u + r->dl);
	tracks_per_prog = ECKD_BOUNCE_BYTES / track_bytes;
	if (tracks_per_prog == 0)
		return fail(e, -VERR_INVAL, ECKD_COND_NONE, "format: a track of %u bytes",
			    track_bytes);
	for (i = 0; i < r->n; i += tracks_per_prog * per) {
		err = format_some(e, via, r, per, i, MIN(r->n, i + tracks_per_prog * per), data);
		if (err)
			return err;
	}
	return 0;
}
