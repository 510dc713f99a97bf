/*
 * The channel-program interpreter: start, resume, halt and clear functions,
 * CCW formats 0 and 1, command and data chaining, TIC, SLI and incorrect
 * length, SKIP, PCI, suspend, format-1 and format-2 IDAWs, status and sense.
 * PoP chapter 15 "Basic I/O Functions" and chapter 16 "I/O Interruptions";
 * reference/ccw-virtio-checklist.md A.5, A.6, A.9 and A.10 (QEMU's rules for
 * the qemu profile).
 */
#include <string.h>

#include "sim/internal.h"

/* Data-chained CCWs one command may span. */
#define SIM_MAX_SEGS 256u

/* One CCW's share of a command's data area. */
struct win_seg {
	u64 ccw;       /* address of the CCW */
	u32 addr;      /* data address, or IDAW-list address with IDA */
	u32 count;
	u32 start;     /* offset of this segment in the window */
	u8 flags;
};

struct sim_win {
	struct sim_sch *sch;
	unsigned nseg;
	u32 count;     /* total bytes */
	u32 hi;        /* highest offset transferred */
	bool fmt1;
	bool idaw2;    /* format-2 IDAWs */
	u32 block;     /* IDAW block size */
	bool to_mem;   /* the command stores into memory (read, sense) */
	u8 err;        /* subchannel status of a failed transfer */
	struct win_seg seg[SIM_MAX_SEGS]; /* last: only nseg entries are set */
};

/* A decoded CCW. */
struct ccw_dec {
	u8 cmd;
	u8 flags;
	u32 count;
	u32 cda;
};

bool sim_sch_busy(const struct sim_sch *sch)
{
	u16 c = sch->scsw.ctrl;

	return (c & (SCSW_ACTL_START_PEND | SCSW_ACTL_RESUME_PEND | SCSW_ACTL_HALT_PEND |
		     SCSW_ACTL_CLEAR_PEND | SCSW_ACTL_SCH_ACTIVE)) != 0;
}

bool sim_sch_can_step(const struct sim_sch *sch)
{
	return sim_sch_busy(sch) &&
	       (!sch->hung || (sch->scsw.ctrl & (SCSW_ACTL_HALT_PEND | SCSW_ACTL_CLEAR_PEND)));
}

static bool fmt1(const struct sim_sch *sch)
{
	return (sch->orb_ctrl & ORB_CTRL_FMT) != 0;
}

static void trace_ccw(struct sim_sch *sch, u64 addr, const struct ccw_dec *c)
{
	struct sim *sim = sch->sim;

	if (sim_tracing(sim, sch->schid))
		sim_tracef(sim, "css_ccw 0.%x.%04x addr 0x%08llx cmd 0x%02x flags 0x%02x count %u "
			   "cda 0x%08x", schid_ssid(sch->schid), schid_schno(sch->schid),
			   (unsigned long long)addr, c->cmd, c->flags, c->count, c->cda);
}

/* Fetch and decode the CCW at addr; 0, or the subchannel status of a failure. */
static u8 fetch_ccw(struct sim_sch *sch, u64 addr, struct ccw_dec *out)
{
	struct sim *sim = sch->sim;
	u8 raw[8];
	u64 limit = fmt1(sch) ? 0x80000000ull : 0x1000000ull;

	if ((addr & 7) || addr >= limit)
		return SCSW_CSTAT_PROG_CHECK;
	/* CCW address 0 is architecturally valid; QEMU rejects it. */
	if (addr == 0 && sim_qemu(sim))
		return SCSW_CSTAT_PROG_CHECK;
	if (!sim_mem_read(sim, addr, raw, sizeof(raw)))
		return SCSW_CSTAT_PROG_CHECK;
	if (sim_mem_protected(sim, addr, sizeof(raw)))
		return SCSW_CSTAT_PROT_CHECK;
	if (fmt1(sch)) {
		struct ccw1 c;

		memcpy(&c, raw, sizeof(c));
		out->cmd = c.cmd;
		out->flags = c.flags;
		out->count = be16_to_cpu(c.count);
		out->cda = be32_to_cpu(c.cda);
		/* Bit 32 of a format-1 CCW must be zero. */
		if (out->cda & 0x80000000u)
			return SCSW_CSTAT_PROG_CHECK;
	} else {
		struct ccw0 c;

		memcpy(&c, raw, sizeof(c));
		out->cmd = ccw0_cmd(&c);
		out->flags = c.flags;
		out->count = be16_to_cpu(c.count);
		out->cda = ccw0_cda(&c);
	}
	sim->stats.ccws++;
	sch->ccws++;
	trace_ccw(sch, addr, out);
	if (sch->ccws > sim->cfg.max_ccws)
		return SCSW_CSTAT_PROG_CHECK;
	if (sim_qemu(sim) && out->cda == 0 && ++sch->cda0 > SIM_QEMU_MAX_CDA0)
		return SCSW_CSTAT_PROG_CHECK;
	return 0;
}

/* A format-0 TIC ignores the high nibble; format 1 checks it in fetch_command(). */
static bool is_tic(u8 cmd)
{
	return (cmd & 0x0F) == CCW_CMD_TIC;
}

/*
 * Fetch CCWs from sch->ccw_addr, following TICs, until a command CCW.
 * Returns 0 with *out and sch->last_ccw set, or a subchannel status.
 */
static u8 fetch_command(struct sim_sch *sch, struct ccw_dec *out)
{
	struct sim *sim = sch->sim;

	for (;;) {
		u64 addr = sch->ccw_addr;
		u8 err = fetch_ccw(sch, addr, out);

		sch->last_ccw = addr;
		if (err)
			return err;
		if (!is_tic(out->cmd)) {
			sch->prev_tic = false;
			sch->started = true;
			return 0;
		}
		/* TIC (PoP 15, "Transfer in Channel"). */
		if (fmt1(sch) && (out->cmd & 0xF0))
			return SCSW_CSTAT_PROG_CHECK;
		if (sch->prev_tic)
			return SCSW_CSTAT_PROG_CHECK; /* a TIC may not point at a TIC */
		if (!sch->started && !sim_qemu(sim))
			return SCSW_CSTAT_PROG_CHECK; /* nor be the first CCW */
		if (sim_qemu(sim) && fmt1(sch) && (out->flags & (CCW_FLAG_CC | CCW_FLAG_CD)))
			return SCSW_CSTAT_PROG_CHECK;
		if (out->cda & 7)
			return SCSW_CSTAT_PROG_CHECK;
		sch->prev_tic = true;
		sch->started = true;
		sch->ccw_addr = out->cda;
	}
}

/* Checks every command CCW gets before it executes; 0 or a subchannel status. */
static u8 check_command(const struct sim_sch *sch, const struct ccw_dec *c)
{
	if ((c->cmd & 0x0F) == 0)
		return SCSW_CSTAT_PROG_CHECK; /* invalid command code */
	if (!fmt1(sch) && c->count == 0)
		return SCSW_CSTAT_PROG_CHECK;
	if (c->flags & CCW_FLAG_MIDA)
		return SCSW_CSTAT_PROG_CHECK; /* no MIDAW facility */
	if ((c->flags & CCW_FLAG_IDA) && (c->cda & (((sch->orb_ctrl & ORB_CTRL_C64) ? 8u : 4u) - 1)))
		return SCSW_CSTAT_PROG_CHECK; /* IDAW list misaligned */
	return 0;
}

/* --- The data window ------------------------------------------------------ */

/* Read IDAW k of a segment into *addr; 0 or a subchannel status. */
static u8 read_idaw(struct sim_win *w, const struct win_seg *s, u32 k, u64 *addr)
{
	struct sim *sim = w->sch->sim;
	u64 at = (u64)s->addr + (u64)k * (w->idaw2 ? 8 : 4);

	if (at >= (w->fmt1 ? 0x80000000ull : 0x1000000ull))
		return SCSW_CSTAT_PROG_CHECK;
	if (w->idaw2) {
		be64 v;

		if (!sim_mem_read(sim, at, &v, sizeof(v)))
			return SCSW_CSTAT_PROG_CHECK;
		if (sim_mem_protected(sim, at, sizeof(v)))
			return SCSW_CSTAT_PROT_CHECK;
		*addr = be64_to_cpu(v);
	} else {
		be32 v;

		if (!sim_mem_read(sim, at, &v, sizeof(v)))
			return SCSW_CSTAT_PROG_CHECK;
		if (sim_mem_protected(sim, at, sizeof(v)))
			return SCSW_CSTAT_PROT_CHECK;
		if (be32_to_cpu(v) & IDAW1_ADDR_INVALID)
			return SCSW_CSTAT_PROG_CHECK;
		*addr = be32_to_cpu(v);
	}
	/* Every IDAW after the first starts a block. QEMU checks this only
	 * partly; the qemu profile lets it pass. */
	if (k > 0 && (*addr & (w->block - 1)) && !sim_qemu(sim))
		return SCSW_CSTAT_PROG_CHECK;
	return 0;
}

/* Map window offset off to a guest address and the bytes contiguous there. */
static u8 map(struct sim_win *w, u32 off, u64 *addr, u32 *len, const struct win_seg **segp)
{
	const struct win_seg *s = NULL;
	u32 o;
	unsigned i;

	for (i = 0; i < w->nseg; i++) {
		if (off < w->seg[i].start + w->seg[i].count) {
			s = &w->seg[i];
			break;
		}
	}
	if (!s)
		return SCSW_CSTAT_PROG_CHECK; /* cannot happen: off < count */
	*segp = s;
	o = off - s->start;
	if (s->flags & CCW_FLAG_IDA) {
		u64 first;
		u8 err = read_idaw(w, s, 0, &first);
		u32 b0;

		if (err)
			return err;
		b0 = w->block - (u32)(first & (w->block - 1));
		if (o < b0) {
			*addr = first + o;
			*len = MIN(b0 - o, s->count - o);
		} else {
			u32 k = 1 + (o - b0) / w->block;
			u32 within = (o - b0) % w->block;
			u64 base;

			err = read_idaw(w, s, k, &base);
			if (err)
				return err;
			*addr = base + within;
			*len = MIN(w->block - within, s->count - o);
		}
		/* Format-1 IDAWs hold 31-bit addresses. */
		if (!w->idaw2 && *addr + *len > 0x80000000ull)
			return SCSW_CSTAT_PROG_CHECK;
	} else {
		*addr = (u64)s->addr + o;
		*len = s->count - o;
		if (*addr + *len > (w->fmt1 ? 0x80000000ull : 0x1000000ull))
			return SCSW_CSTAT_PROG_CHECK;
	}
	return 0;
}

/* Move window bytes between buf and guest memory. */
static long win_xfer(struct sim_io *io, u32 off, void *buf, u32 len, bool to_mem)
{
	struct sim_win *w = io->priv;
	struct sim *sim = w->sch->sim;
	u32 done = 0;

	if (w->err)
		return SIM_ERR;
	if (off >= w->count)
		return 0;
	len = MIN(len, w->count - off);
	while (done < len) {
		const struct win_seg *s = NULL;
		u64 addr = 0;
		u32 n = 0;
		u8 err = map(w, off + done, &addr, &n, &s);

		if (!err) {
			n = MIN(n, len - done);
			if (!sim_mem_ok(sim, addr, n))
				err = SCSW_CSTAT_PROG_CHECK;
			else if (sim_mem_protected(sim, addr, n))
				err = SCSW_CSTAT_PROT_CHECK;
		}
		if (err) {
			w->err = err;
			w->hi = MAX(w->hi, off + done);
			return SIM_ERR;
		}
		if (to_mem) {
			/* SKIP: the bytes are counted but not stored. */
			if (!(s->flags & CCW_FLAG_SKIP))
				sim_mem_write(sim, addr, (const u8 *)buf + done, n);
		} else {
			sim_mem_read(sim, addr, (u8 *)buf + done, n);
		}
		done += n;
	}
	w->hi = MAX(w->hi, off + done);
	return (long)done;
}

long sim_io_read(struct sim_io *io, u32 off, void *buf, u32 len)
{
	return win_xfer(io, off, buf, len, false);
}

long sim_io_write(struct sim_io *io, u32 off, const void *buf, u32 len)
{
	return win_xfer(io, off, (void *)buf, len, true);
}

/* --- Status ----------------------------------------------------------------- */

/* End the start function with final status (PoP 16, "Status Control"). */
static void end_start(struct sim_sch *sch, u8 dstat, u8 cstat, u16 residual, u64 cpa)
{
	struct sim_scsw *s = &sch->scsw;
	u16 sc = SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY | SCSW_STCTL_STATUS_PEND;

	if ((dstat & (SCSW_DSTAT_UNIT_CHECK | SCSW_DSTAT_UNIT_EXCEP | SCSW_DSTAT_BUSY |
		      SCSW_DSTAT_ATTENTION)) ||
	    (cstat & ~(SCSW_CSTAT_PCI | SCSW_CSTAT_INCORR_LEN)))
		sc |= SCSW_STCTL_ALERT;
	/* An intermediate status not yet collected merges with the final one. */
	if ((s->ctrl & SCSW_STCTL_STATUS_PEND) && (s->ctrl & SCSW_STCTL_INTERMEDIATE))
		sc |= SCSW_STCTL_INTERMEDIATE;
	s->ctrl &= (u16)~(SCSW_ACTL_START_PEND | SCSW_ACTL_RESUME_PEND | SCSW_ACTL_SCH_ACTIVE |
			  SCSW_ACTL_DEV_ACTIVE | SCSW_STCTL_MASK);
	s->ctrl |= sc;
	s->dstat = dstat;
	s->cstat = (u8)((s->cstat & SCSW_CSTAT_PCI) | cstat);
	s->count = residual;
	s->cpa = (u32)cpa;
	sch->hung = false;
	if (sim_tracing(sch->sim, sch->schid))
		sim_tracef(sch->sim, "css_status 0.%x.%04x ctrl 0x%04x dstat 0x%02x cstat 0x%02x "
			   "cpa 0x%08x count %u", schid_ssid(sch->schid), schid_schno(sch->schid),
			   s->ctrl, dstat, s->cstat, s->cpa, residual);
	sim_queue_int(sch);
}

/* A channel-detected error ends the program at the failing CCW. */
static void end_check(struct sim_sch *sch, u8 cstat)
{
	end_start(sch, 0, cstat, 0, sch->last_ccw + 8);
}

/* Intermediate status: PCI or suspension (PoP 16, "Intermediate Status"). */
static void intermediate(struct sim_sch *sch, u8 cstat)
{
	struct sim_scsw *s = &sch->scsw;

	if (s->ctrl & SCSW_STCTL_STATUS_PEND) {
		s->cstat |= cstat;
		return;
	}
	s->ctrl &= (u16)~SCSW_STCTL_MASK;
	s->ctrl |= SCSW_STCTL_INTERMEDIATE | SCSW_STCTL_STATUS_PEND;
	s->cstat |= cstat;
	s->cpa = (u32)(sch->last_ccw + 8);
	sim_queue_int(sch);
}

/* --- Commands the channel subsystem answers itself ---------------------------------- */

static void answer_sense_id(struct sim_sch *sch, struct sim_io *io)
{
	u8 img[sizeof(struct senseid)];
	unsigned len = sch->cfg.senseid_len;
	unsigned i;

	memset(img, 0, sizeof(img));
	img[0] = SENSEID_RESERVED_FF;
	img[1] = (u8)(sch->cfg.cu_type >> 8);
	img[2] = (u8)sch->cfg.cu_type;
	img[3] = sch->cfg.cu_model;
	img[4] = (u8)(sch->cfg.dev_type >> 8);
	img[5] = (u8)sch->cfg.dev_type;
	img[6] = sch->cfg.dev_model;
	for (i = 0; i < ARRAY_SIZE(sch->cfg.ciw) && sch->cfg.ciw[i].type; i++) {
		u8 *w = img + SENSEID_CIW_OFFSET + 4 * i;

		w[0] = sch->cfg.ciw[i].type;
		w[1] = sch->cfg.ciw[i].cmd;
		put_be16(w + 2, sch->cfg.ciw[i].count);
	}
	/* QEMU stores 0xFF only when bytes 0-3 all fit (A.10). */
	if (sim_qemu(sch->sim) && MIN(io->count, len) < 4)
		img[0] = 0;
	io->want = len;
	sim_io_write(io, 0, img, len);
}

static void answer_basic_sense(struct sim_sch *sch, struct sim_io *io)
{
	io->want = sch->cfg.sense_len;
	if (sim_io_write(io, 0, sch->sense, sch->cfg.sense_len) >= 0)
		memset(sch->sense, 0, sizeof(sch->sense));
}

/* --- One command -------------------------------------------------------------- */

/* Build the data window of the command at c (data chaining in the architecture). */
static u8 build_window(struct sim_sch *sch, const struct ccw_dec *first, struct sim_win *w,
		       struct ccw_dec *last)
{
	struct sim *sim = sch->sim;
	struct ccw_dec c = *first;

	memset(w, 0, offsetof(struct sim_win, seg));
	w->sch = sch;
	w->fmt1 = fmt1(sch);
	w->idaw2 = (sch->orb_ctrl & ORB_CTRL_C64) != 0;
	w->block = w->idaw2 ? ((sch->orb_ctrl & ORB_CTRL_I2K) ? IDAW2_BLOCK_2K : IDAW2_BLOCK_4K)
			    : IDAW1_BLOCK;
	w->to_mem = CCW_CMD_IS_READ(first->cmd) || CCW_CMD_IS_SENSE(first->cmd) ||
		    CCW_CMD_IS_READ_BACK(first->cmd);
	for (;;) {
		struct win_seg *s;

		if (w->nseg == SIM_MAX_SEGS)
			return SCSW_CSTAT_PROG_CHECK;
		s = &w->seg[w->nseg++];
		s->ccw = sch->last_ccw;
		s->addr = c.cda;
		s->count = c.count;
		s->start = w->count;
		s->flags = c.flags;
		w->count += c.count;
		/* PCI: an intermediate interruption as the CCW becomes current;
		 * QEMU ignores the flag. */
		if ((c.flags & CCW_FLAG_PCI) && !sim_qemu(sim))
			intermediate(sch, SCSW_CSTAT_PCI);
		*last = c;
		/* QEMU does not chain data: CD only affects length checking. */
		if (!(c.flags & CCW_FLAG_CD) || sim_qemu(sim))
			return 0;
		sch->ccw_addr = sch->last_ccw + 8;
		{
			u8 err = fetch_command(sch, &c);

			if (err)
				return err;
		}
		/* A data-chained CCW takes the command of the first. */
		if (!fmt1(sch) && c.count == 0)
			return SCSW_CSTAT_PROG_CHECK;
		if (c.flags & CCW_FLAG_MIDA)
			return SCSW_CSTAT_PROG_CHECK;
		if ((c.flags & CCW_FLAG_IDA) && (c.cda & (w->idaw2 ? 7u : 3u)))
			return SCSW_CSTAT_PROG_CHECK;
	}
}

/* Execute the next command of the start function. */
static void start_step(struct sim_sch *sch)
{
	struct sim *sim = sch->sim;
	struct sim_scsw *s = &sch->scsw;
	struct ccw_dec c, last;
	struct sim_win w;
	struct sim_io io;
	const struct sim_fault *f;
	u32 want, seg_done;
	u64 status_ccw;
	u8 status_flags;
	u16 residual;
	bool check_len, gone = false;
	u8 err;
	unsigned i;

	if (s->ctrl & SCSW_ACTL_START_PEND) {
		u8 lpm = (u8)((sch->orb_ctrl & ORB_CTRL_LPM_MASK) >> ORB_CTRL_LPM_SHIFT);

		/* No usable path: a deferred condition code 3 (A.3). */
		if (!(lpm & sch->pmcw.pam & sch->pmcw.pom)) {
			s->flags |= SCSW_FLAGS_CC_MASK;
			s->ctrl &= (u16)~(SCSW_ACTL_START_PEND | SCSW_STCTL_MASK);
			s->ctrl |= SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND;
			sim_queue_int(sch);
			return;
		}
		/* A format-0 program must start below 16 MiB. */
		if (!fmt1(sch) && sch->ccw_addr >= 0x1000000ull) {
			sch->last_ccw = sch->ccw_addr;
			s->ctrl &= (u16)~SCSW_ACTL_START_PEND;
			end_check(sch, SCSW_CSTAT_PROG_CHECK);
			return;
		}
		{
			u8 cmd0 = 0;

			sim_mem_read(sim, sch->ccw_addr, &cmd0, 1);
			sch->first_cmd = cmd0;
			if (sim_fault_take(sim, sch->schid, SIM_FAULT_SPURIOUS, cmd0))
				sim_fault_spurious_int(sim, sch->schid);
			f = sim_fault_take(sim, sch->schid, SIM_FAULT_BUSY, cmd0);
		}
		if (f) {
			/* Busy at initial selection: a deferred condition code 1
			 * with alert status, nothing started (QEMU does the same
			 * for a busy subchannel). */
			s->ctrl &= (u16)~(SCSW_ACTL_START_PEND | SCSW_STCTL_MASK);
			s->ctrl |= SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND;
			s->flags = (u16)((s->flags & ~SCSW_FLAGS_CC_MASK) | (1u << SCSW_FLAGS_CC_SHIFT));
			s->dstat = SCSW_DSTAT_BUSY;
			sim_queue_int(sch);
			return;
		}
		s->ctrl &= (u16)~SCSW_ACTL_START_PEND;
		s->ctrl |= SCSW_ACTL_SCH_ACTIVE | SCSW_ACTL_DEV_ACTIVE;
		sch->pmcw.lpum = 0x80;
		if (sch->ops->program_start)
			sch->ops->program_start(sch->cu);
	} else if (s->ctrl & SCSW_ACTL_RESUME_PEND) {
		s->ctrl &= (u16)~(SCSW_ACTL_RESUME_PEND | SCSW_ACTL_SUSP);
		s->ctrl |= SCSW_ACTL_SCH_ACTIVE | SCSW_ACTL_DEV_ACTIVE;
		sch->prev_tic = false;
	}

	err = fetch_command(sch, &c);
	if (!err)
		err = check_command(sch, &c);
	if (err) {
		end_check(sch, err);
		return;
	}
	/* Suspend before this CCW, when the ORB allows it (A.6 item 7). */
	if (c.flags & CCW_FLAG_SUSPEND) {
		if (!(sch->orb_ctrl & ORB_CTRL_SPND)) {
			end_check(sch, SCSW_CSTAT_PROG_CHECK);
			return;
		}
		s->ctrl &= (u16)~(SCSW_ACTL_SCH_ACTIVE | SCSW_ACTL_DEV_ACTIVE);
		s->ctrl |= SCSW_ACTL_SUSP;
		/* The architecture presents intermediate status unless the ORB
		 * suppresses it; QEMU presents none. */
		if (!sim_qemu(sim) && !(sch->orb_ctrl & ORB_CTRL_SSIC))
			intermediate(sch, 0);
		if (sim_tracing(sim, sch->schid))
			sim_tracef(sim, "css_suspend 0.%x.%04x at 0x%08llx", schid_ssid(sch->schid),
				   schid_schno(sch->schid), (unsigned long long)sch->last_ccw);
		return;
	}
	err = build_window(sch, &c, &w, &last);
	if (err) {
		end_check(sch, err);
		return;
	}

	memset(&io, 0, sizeof(io));
	io.sim = sim;
	io.schid = sch->schid;
	io.cmd = c.cmd;
	io.flags = c.flags;
	io.count = w.count;
	io.cda = c.cda;
	io.result = SIM_IO_OK;
	io.dstat = SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END;
	io.want = SIM_WANT_COUNT;
	io.sense = sch->sense;
	io.sense_len = sch->cfg.sense_len;
	io.priv = &w;

	if ((f = sim_fault_take(sim, sch->schid, SIM_FAULT_HANG, c.cmd))) {
		io.result = SIM_IO_HANG;
	} else if ((f = sim_fault_take(sim, sch->schid, SIM_FAULT_GONE, c.cmd))) {
		io.result = SIM_IO_HANG;
		gone = true;
	} else if ((f = sim_fault_take(sim, sch->schid, SIM_FAULT_UNIT_CHECK, c.cmd))) {
		memcpy(sch->sense, f->sense, sizeof(sch->sense));
		io.dstat = sim_qemu(sim) ? SCSW_DSTAT_UNIT_CHECK
					 : SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_CHECK;
		io.want = 0;
	} else if ((f = sim_fault_take(sim, sch->schid, SIM_FAULT_STATUS, c.cmd))) {
		end_start(sch, f->dstat, f->cstat, (u16)MIN(c.count, 0xFFFFu), sch->last_ccw + 8);
		return;
	} else if (c.cmd == CCW_CMD_WRITE_NOOP) {
		/* No data moves; any count is accepted. */
		io.want = SIM_WANT_COUNT;
	} else if (c.cmd == CCW_CMD_BASIC_SENSE) {
		answer_basic_sense(sch, &io);
	} else if (c.cmd == CCW_CMD_SENSE_ID) {
		answer_sense_id(sch, &io);
	} else {
		sch->ops->command(sch->cu, &io);
	}

	switch (io.result) {
	case SIM_IO_OK:
		break;
	case SIM_IO_REJECT:
		/* Command reject (A.9): QEMU presents unit check alone. */
		memset(sch->sense, 0, sizeof(sch->sense));
		sch->sense[0] = SENSE0_CMD_REJECT;
		end_start(sch,
			  sim_qemu(sim) ? SCSW_DSTAT_UNIT_CHECK
					: SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_CHECK,
			  0, (u16)MIN(last.count, 0xFFFFu), sch->last_ccw + 8);
		return;
	case SIM_IO_PROGRAM_CHECK:
		end_check(sch, SCSW_CSTAT_PROG_CHECK);
		return;
	case SIM_IO_PROTECTION_CHECK:
		end_check(sch, SCSW_CSTAT_PROT_CHECK);
		return;
	case SIM_IO_CHANNEL_CONTROL_CHECK:
		end_check(sch, SCSW_CSTAT_CHN_CTRL_CHK);
		return;
	case SIM_IO_HANG:
		/* The device went away in the middle of the command: nothing
		 * more of this program happens, a channel report says so. */
		if (gone) {
			sim_set_present(sim, sch->schid, false);
			return;
		}
		/* The device keeps the subchannel active until halt or clear. */
		sch->hung = true;
		if (sim_tracing(sim, sch->schid))
			sim_tracef(sim, "css_hang 0.%x.%04x cmd 0x%02x", schid_ssid(sch->schid),
				   schid_schno(sch->schid), c.cmd);
		return;
	}
	if (w.err) {
		end_check(sch, w.err);
		return;
	}
	if (io.dstat & SCSW_DSTAT_BUSY) {
		s->ctrl &= (u16)~(SCSW_ACTL_SCH_ACTIVE | SCSW_ACTL_DEV_ACTIVE | SCSW_STCTL_MASK);
		s->ctrl |= SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND;
		s->dstat = io.dstat;
		sim_queue_int(sch);
		return;
	}

	/* Residual count: of the CCW the transfer ended in (PoP 16). */
	want = io.want == SIM_WANT_COUNT ? w.count : io.want;
	seg_done = w.hi;
	residual = 0;
	status_ccw = sch->last_ccw;
	status_flags = last.flags;
	for (i = 0; i < w.nseg; i++) {
		const struct win_seg *sg = &w.seg[i];

		if (i == w.nseg - 1 || seg_done < sg->start + sg->count) {
			u32 in = seg_done > sg->start ? seg_done - sg->start : 0;

			residual = (u16)(sg->count - MIN(in, sg->count));
			status_ccw = sg->ccw;
			status_flags = sg->flags;
			break;
		}
	}

	/* Incorrect length (A.6 item 8): suppressed by SLI in the CCW the
	 * transfer ended in, and only when that CCW does not chain data
	 * (PoP 16, "Incorrect Length"). */
	if (sim_qemu(sim))
		check_len = !((c.flags & CCW_FLAG_SLI) && !(c.flags & CCW_FLAG_CD));
	else
		check_len = !((status_flags & CCW_FLAG_SLI) && !(status_flags & CCW_FLAG_CD)) &&
			    !(!fmt1(sch) && (sch->orb_ctrl & ORB_CTRL_ILS));
	if (want != w.count && check_len && !(io.dstat & SCSW_DSTAT_UNIT_CHECK)) {
		/* QEMU reports a program check instead of incorrect length. */
		if (sim_qemu(sim)) {
			end_check(sch, SCSW_CSTAT_PROG_CHECK);
			return;
		}
		end_start(sch, io.dstat, SCSW_CSTAT_INCORR_LEN, residual, status_ccw + 8);
		return;
	}
	if ((io.dstat & (SCSW_DSTAT_UNIT_CHECK | SCSW_DSTAT_UNIT_EXCEP)) ||
	    !(last.flags & CCW_FLAG_CC) || !(io.dstat & SCSW_DSTAT_DEV_END)) {
		end_start(sch, io.dstat, 0, residual, status_ccw + 8);
		return;
	}
	/* Command chaining, from the last CCW of the data chain; status
	 * modifier skips one CCW (PoP 15, "Command Chaining"). */
	sch->ccw_addr = sch->last_ccw + ((io.dstat & SCSW_DSTAT_STAT_MOD) ? 16 : 8);
	s->count = residual;
}

/* --- Halt and clear ---------------------------------------------------------- */

static void halt_step(struct sim_sch *sch)
{
	struct sim_scsw *s = &sch->scsw;
	bool active = (s->ctrl & (SCSW_ACTL_SCH_ACTIVE | SCSW_ACTL_DEV_ACTIVE)) || sch->hung;
	bool pending = (s->ctrl & SCSW_ACTL_START_PEND) != 0;
	bool susp = (s->ctrl & SCSW_ACTL_SUSP) != 0;

	s->ctrl &= (u16)~(SCSW_ACTL_HALT_PEND | SCSW_ACTL_SCH_ACTIVE | SCSW_ACTL_DEV_ACTIVE |
			  SCSW_ACTL_START_PEND | SCSW_ACTL_RESUME_PEND);
	if (active || !(pending || susp))
		s->dstat = SCSW_DSTAT_DEV_END;
	if (active || susp)
		s->cpa = (u32)(sch->last_ccw + 8);
	s->cstat = 0;
	s->ctrl &= (u16)~SCSW_STCTL_MASK;
	s->ctrl |= SCSW_STCTL_STATUS_PEND;
	/* The device presented ending status to the halt signal. */
	if (active && !sim_qemu(sch->sim))
		s->ctrl |= SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY;
	sch->pmcw.lpum = 0x80;
	sch->hung = false;
	if (sim_tracing(sch->sim, sch->schid))
		sim_tracef(sch->sim, "css_halt 0.%x.%04x", schid_ssid(sch->schid),
			   schid_schno(sch->schid));
	sim_queue_int(sch);
}

static void clear_step(struct sim_sch *sch)
{
	struct sim_scsw *s = &sch->scsw;

	sch->pmcw.pom = 0xFF;
	s->flags &= (u16)~SCSW_FLAGS_PNO;
	sch->hung = false;
	sch->started = false;
	sch->prev_tic = false;
	memset(sch->sense, 0, sizeof(sch->sense));
	if (sch->ops->reset)
		sch->ops->reset(sch->cu);
	s->ctrl &= (u16)~(SCSW_ACTL_CLEAR_PEND | SCSW_ACTL_MASK);
	s->ctrl |= SCSW_STCTL_STATUS_PEND;
	s->dstat = 0;
	s->cstat = 0;
	sch->pmcw.lpum = 0x80;
	if (sim_tracing(sch->sim, sch->schid))
		sim_tracef(sch->sim, "css_clear 0.%x.%04x", schid_ssid(sch->schid),
			   schid_schno(sch->schid));
	sim_queue_int(sch);
}

void sim_sch_step(struct sim_sch *sch)
{
	u16 c = sch->scsw.ctrl;

	if (c & SCSW_ACTL_CLEAR_PEND)
		clear_step(sch);
	else if (c & SCSW_ACTL_HALT_PEND)
		halt_step(sch);
	else if (!sch->hung &&
		 (c & (SCSW_ACTL_START_PEND | SCSW_ACTL_RESUME_PEND | SCSW_ACTL_SCH_ACTIVE)))
		start_step(sch);
}

void sim_sch_run(struct sim_sch *sch)
{
	/* Each step executes at least one CCW, and fetching beyond the
	 * bound ends the program, so this loop is bounded. */
	while (sim_sch_can_step(sch))
		sim_sch_step(sch);
}
