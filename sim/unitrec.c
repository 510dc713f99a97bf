/*
 * The simulated 3505 card reader and 1403 printer, with the command sets,
 * sense bytes and end-of-deck behaviour of Hercules 3.13's cardrdr.c and
 * printer.c, and the simulator's code page 037 table.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/internal.h" /* sim_find: the statistics of a subchannel's device */
#include "sim/unitrec.h"

/* Sense byte 0 (GA22-7000, "Sense"; Hercules' SENSE_* values). */
#define UR_SENSE_CMD_REJECT 0x80
#define UR_SENSE_INTERVENTION 0x40
#define UR_SENSE_EQUIPMENT_CHECK 0x10
#define UR_SENSE_DATA_CHECK 0x08
/* 3505 sense byte 1: retry after intervention required is cleared (cardrdr.c). */
#define RDR_SENSE1_RAIC 0x10

#define CARD_SIZE 80u
/* Hercules' print buffer (printer.c BUFF_SIZE). */
#define PRT_LINE_MAX 1500u

/* --- Code page 037 ---------------------------------------------------------- */

/* Runs of consecutive ASCII characters with consecutive code points in
 * code page 037 (IBM CCSID 37). */
static const struct {
	char ascii;
	u8 ebcdic;
	u8 n;
} cp037_runs[] = {
	{ ' ', 0x40, 1 },  { '!', 0x5A, 1 },  { '"', 0x7F, 1 },  { '#', 0x7B, 1 },
	{ '$', 0x5B, 1 },  { '%', 0x6C, 1 },  { '&', 0x50, 1 },  { '\'', 0x7D, 1 },
	{ '(', 0x4D, 1 },  { ')', 0x5D, 1 },  { '*', 0x5C, 1 },  { '+', 0x4E, 1 },
	{ ',', 0x6B, 1 },  { '-', 0x60, 1 },  { '.', 0x4B, 1 },  { '/', 0x61, 1 },
	{ '0', 0xF0, 10 }, { ':', 0x7A, 1 },  { ';', 0x5E, 1 },  { '<', 0x4C, 1 },
	{ '=', 0x7E, 1 },  { '>', 0x6E, 1 },  { '?', 0x6F, 1 },  { '@', 0x7C, 1 },
	{ 'A', 0xC1, 9 },  { 'J', 0xD1, 9 },  { 'S', 0xE2, 8 },  { '[', 0xBA, 1 },
	{ '\\', 0xE0, 1 }, { ']', 0xBB, 1 },  { '^', 0xB0, 1 },  { '_', 0x6D, 1 },
	{ '`', 0x79, 1 },  { 'a', 0x81, 9 },  { 'j', 0x91, 9 },  { 's', 0xA2, 8 },
	{ '{', 0xC0, 1 },  { '|', 0x4F, 1 },  { '}', 0xD0, 1 },  { '~', 0xA1, 1 },
	{ '\n', 0x25, 1 }, { '\r', 0x0D, 1 },
};

char sim_cp037_to_ascii(u8 e)
{
	for (size_t i = 0; i < ARRAY_SIZE(cp037_runs); i++)
		if (e >= cp037_runs[i].ebcdic && e < cp037_runs[i].ebcdic + cp037_runs[i].n)
			return (char)(cp037_runs[i].ascii + (e - cp037_runs[i].ebcdic));
	return 0;
}

u8 sim_ascii_to_cp037(char c)
{
	if (c < ' ' || c > '~')
		return 0x40;
	for (size_t i = 0; i < ARRAY_SIZE(cp037_runs); i++)
		if (c >= cp037_runs[i].ascii && c < cp037_runs[i].ascii + cp037_runs[i].n)
			return (u8)(cp037_runs[i].ebcdic + (c - cp037_runs[i].ascii));
	return 0x40;
}

/* --- Common --------------------------------------------------------------- */

struct unitrec {
	struct sim *sim;
	u32 schid;
	struct sim_unitrec_stats stats;
	/* Reader. */
	FILE *deck;                 /* NULL: the hopper is empty */
	enum sim_rdr_format format;
	bool eof_ux;
	/* Printer. */
	int fd;
	bool own_fd;
	bool crlf;
	bool fold;
};

static void ur_why(char *why, const char *fmt, ...) __printf(2, 3);
static void ur_why(char *why, const char *fmt, ...)
{
	va_list ap;

	if (!why)
		return;
	va_start(ap, fmt);
	vsnprintf(why, SIM_UNITREC_WHY_LEN, fmt, ap);
	va_end(ap);
}

/* Unit check with sense byte 0 (and 1); no length complaint. */
static void unit_check(struct sim_io *io, u8 dstat, u8 s0, u8 s1)
{
	memset(io->sense, 0, io->sense_len);
	io->sense[0] = s0;
	if (io->sense_len > 1)
		io->sense[1] = s1;
	io->dstat = dstat;
	io->want = io->count;
}

static void ur_destroy(void *cu)
{
	struct unitrec *u = cu;

	if (u->deck)
		fclose(u->deck);
	if (u->own_fd && u->fd >= 0)
		close(u->fd);
	free(u);
}

/* --- 3505 ------------------------------------------------------------------ */

/* The end of the deck: the hopper empties (cardrdr.c clear_cardrdr). */
static void rdr_end(struct unitrec *u, struct sim_io *io)
{
	if (u->deck)
		fclose(u->deck);
	u->deck = NULL;
	u->stats.ends++;
	if (u->eof_ux) {
		io->dstat = SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_EXCEP;
		io->want = io->count;
	} else {
		unit_check(io, SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_CHECK,
			   UR_SENSE_INTERVENTION, RDR_SENSE1_RAIC);
	}
}

/* One card into card[]; 1, 0 at the end of the deck, -1 with sense set. */
static int rdr_card(struct unitrec *u, struct sim_io *io, u8 *card)
{
	size_t n;
	int c;

	if (!u->deck)
		return 0;
	if (u->format != SIM_RDR_ASCII) {
		n = fread(card, 1, CARD_SIZE, u->deck);
		if (n == CARD_SIZE)
			return 1;
		/* A short last card is the end too (cardrdr.c without autopad). */
		if (feof(u->deck))
			return 0;
		unit_check(io, SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_CHECK,
			   UR_SENSE_EQUIPMENT_CHECK, 0);
		return SIM_ERR;
	}
	memset(card, 0x40, CARD_SIZE);
	for (n = 0;;) {
		c = getc(u->deck);
		if (c == EOF || c == 0x1A)
			return n > 0 ? 1 : 0;
		if (c == '\r')
			continue;
		if (c == '\n')
			return 1;
		if (c == '\t') {
			do
				n++;
			while ((n & 7) && n < CARD_SIZE);
			continue;
		}
		if (n >= CARD_SIZE) {
			unit_check(io, SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END |
				   SCSW_DSTAT_UNIT_CHECK, UR_SENSE_DATA_CHECK, 0);
			return SIM_ERR;
		}
		card[n++] = sim_ascii_to_cp037((char)c);
	}
}

static void rdr_command(void *cu, struct sim_io *io)
{
	struct unitrec *u = cu;
	u8 card[CARD_SIZE];
	int rc;

	/* Every read-feed-select code is a read; feed-only codes do nothing
	 * (cardrdr.c). */
	if ((io->cmd & 0x17) == 0x02) {
		rc = rdr_card(u, io, card);
		if (rc == 0)
			rdr_end(u, io);
		if (rc <= 0)
			return;
		if (sim_io_write(io, 0, card, CARD_SIZE) < 0)
			return;
		io->want = CARD_SIZE;
		u->stats.records++;
		return;
	}
	if ((io->cmd & 0x37) == 0x23)
		return;
	u->stats.rejects++;
	io->result = SIM_IO_REJECT;
}

static const struct sim_cu_ops rdr_ops = {
	.command = rdr_command,
	.destroy = ur_destroy,
};

/* Hercules' guess when neither `ascii` nor `ebcdic` is given. */
static enum sim_rdr_format rdr_detect(FILE *f)
{
	u8 buf[160];
	size_t n = fread(buf, 1, sizeof(buf), f);
	enum sim_rdr_format fmt = SIM_RDR_ASCII;

	for (size_t i = 0; i < n && buf[i] != 0x1A; i++) {
		if ((buf[i] < 0x20 || buf[i] > 0x7F) && buf[i] != '\r' && buf[i] != '\n' &&
		    buf[i] != '\t') {
			fmt = SIM_RDR_EBCDIC;
			break;
		}
	}
	rewind(f);
	return fmt;
}

static long ur_attach(struct sim *sim, const struct sim_dev_config *dev, u16 type,
		      const struct sim_cu_ops *ops, struct unitrec *u, unsigned sense_len)
{
	struct sim_dev_config cfg = *dev;
	long schid;

	cfg.cu_type = 0x2821;
	cfg.cu_model = 0x01;
	cfg.dev_type = type;
	cfg.dev_model = 0x01;
	memset(cfg.ciw, 0, sizeof(cfg.ciw));
	cfg.senseid_len = 7;
	cfg.sense_len = sense_len;
	schid = sim_attach(sim, &cfg, ops, u);
	if (schid >= 0)
		u->schid = (u32)schid;
	return schid;
}

long sim_rdr3505_add(struct sim *sim, const struct sim_dev_config *dev,
		     const struct sim_rdr_opts *opts, char *why)
{
	struct unitrec *u = calloc(1, sizeof(*u));
	long schid;

	if (!u) {
		ur_why(why, "out of memory");
		return SIM_ERR;
	}
	u->sim = sim;
	u->fd = -1;
	u->eof_ux = opts->eof;
	u->format = opts->format;
	if (opts->path && strcmp(opts->path, "*")) {
		u->deck = fopen(opts->path, "rb");
		if (!u->deck) {
			ur_why(why, "cannot open the deck %s: %s", opts->path, strerror(errno));
			free(u);
			return SIM_ERR;
		}
		if (u->format == SIM_RDR_AUTO)
			u->format = rdr_detect(u->deck);
	}
	schid = ur_attach(sim, dev, 0x3505, &rdr_ops, u, 4);
	if (schid < 0) {
		ur_why(why, "no free subchannel");
		ur_destroy(u);
	}
	return schid;
}

/* --- 1403 -------------------------------------------------------------------- */

static bool prt_out(struct unitrec *u, struct sim_io *io, const char *p, size_t n)
{
	/* No file: the paper goes nowhere. */
	while (u->fd >= 0 && n) {
		ssize_t w = write(u->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			unit_check(io, SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_CHECK,
				   UR_SENSE_EQUIPMENT_CHECK, 0);
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Print the window as one line (printer.c WRITE_LINE). */
static bool prt_line(struct unitrec *u, struct sim_io *io)
{
	u8 raw[PRT_LINE_MAX];
	char line[PRT_LINE_MAX + 1];
	u32 n = MIN(io->count, PRT_LINE_MAX);
	long got = sim_io_read(io, 0, raw, n);
	size_t len;

	if (got < 0)
		return false;
	io->want = n;
	for (len = 0; len < (size_t)got; len++) {
		char c = sim_cp037_to_ascii(raw[len]);

		if (c == 0)
			c = ' ';
		if (u->fold && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		line[len] = c;
	}
	while (len > 0 && line[len - 1] == ' ')
		len--;
	if (u->crlf)
		line[len++] = '\r';
	u->stats.records++;
	return prt_out(u, io, line, len);
}

static void prt_command(void *cu, struct sim_io *io)
{
	struct unitrec *u = cu;
	static const char nls[] = "\n\n\n";

	switch (io->cmd) {
	case 0x01: /* write without spacing: the carriage returns */
		if (prt_line(u, io))
			prt_out(u, io, "\r", 1);
		return;
	case 0x09: /* write and space 1, 2 or 3 lines */
	case 0x11:
	case 0x19:
		if (prt_line(u, io))
			prt_out(u, io, nls, io->cmd / 8u);
		return;
	case 0x89: /* write and skip to channel 1: a new page */
		if (prt_line(u, io))
			prt_out(u, io, "\f", 1);
		return;
	case 0x0B: /* space 1, 2 or 3 lines immediate */
	case 0x13:
	case 0x1B:
		io->want = io->count;
		prt_out(u, io, nls, io->cmd / 8u);
		return;
	case 0x8B: /* skip to channel 1 immediate */
		io->want = io->count;
		prt_out(u, io, "\f", 1);
		return;
	case 0x23: /* unfold */
	case 0x43: /* fold */
		u->fold = io->cmd == 0x43;
		io->want = io->count;
		return;
	case 0x73: /* block data check */
	case 0x7B: /* allow data check */
		io->want = io->count;
		return;
	default:
		/* printer.c: unit check alone, command reject. */
		u->stats.rejects++;
		unit_check(io, SCSW_DSTAT_UNIT_CHECK, UR_SENSE_CMD_REJECT, 0);
		return;
	}
}

static const struct sim_cu_ops prt_ops = {
	.command = prt_command,
	.destroy = ur_destroy,
};

long sim_prt1403_add(struct sim *sim, const struct sim_dev_config *dev,
		     const struct sim_prt_opts *opts, char *why)
{
	struct unitrec *u = calloc(1, sizeof(*u));
	long schid;

	if (!u) {
		ur_why(why, "out of memory");
		return SIM_ERR;
	}
	u->sim = sim;
	u->crlf = opts->crlf;
	if (opts->path) {
		/* printer.c opens with O_TRUNC (no `noclear`). */
		u->fd = open(opts->path, O_WRONLY | O_CREAT | O_TRUNC, 0640);
		u->own_fd = true;
		if (u->fd < 0) {
			ur_why(why, "cannot open the printer file %s: %s", opts->path,
			       strerror(errno));
			free(u);
			return SIM_ERR;
		}
	} else {
		u->fd = opts->fd;
	}
	schid = ur_attach(sim, dev, 0x1403, &prt_ops, u, 1);
	if (schid < 0) {
		ur_why(why, "no free subchannel");
		ur_destroy(u);
	}
	return schid;
}

bool sim_unitrec_get_stats(struct sim *sim, u32 schid, struct sim_unitrec_stats *out)
{
	struct sim_sch *sch = sim_find(sim, schid);

	if (!sch || (sch->ops != &rdr_ops && sch->ops != &prt_ops))
		return false;
	*out = ((struct unitrec *)sch->cu)->stats;
	return true;
}
