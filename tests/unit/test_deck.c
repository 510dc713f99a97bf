/*
 * tools/deck.c, the card-deck builder, checked against the measured format
 * (reference/platforms.md 9.2) and by IPL-ing a deck on the simulated 3505
 * the way Hercules does; and the simulated 3505 and 1403 themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/unitrec.h"
#include "tests/unit/simtest.h"
#include "tests/unit/unit.h"
#include "tools/deck.h"

/* A flat image as the linker makes one: the IPL PSW, lowcore bytes below
 * 0x200, nothing up to 0x10000, then len - 0x10000 bytes of "code". */
static u8 *image(size_t len, u32 seed)
{
	u8 *img = calloc(1, len);

	if (!img)
		return NULL;
	memcpy(img, (const u8[]){ 0x00, 0x08, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00 }, 8);
	for (size_t i = 8; i < len; i++) {
		if (i >= DECK_LOW_END && i < DECK_HIGH_START)
			continue;
		seed = seed * 1103515245u + 12345u;
		img[i] = (u8)(seed >> 16);
	}
	return img;
}

/* Card 1, byte for byte: the PSW, READ 80 to 0x8000 CC|SLI, TIC 0x8000. */
static void test_card1(void)
{
	static const u8 want[24] = {
		0x00, 0x08, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00,
		0x02, 0x00, 0x80, 0x00, 0x60, 0x00, 0x00, 0x50,
		0x08, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	u8 *img = image(0x10000 + 4000, 1);
	char why[DECK_WHY_LEN];
	struct deck d;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	CU_ASSERT_EQUAL_FATAL(deck_build(&d, img, 0x10000 + 4000, NULL, why), 0);
	CU_ASSERT(memcmp(d.cards, want, sizeof(want)) == 0);
	for (unsigned i = 24; i < DECK_CARD; i++)
		CU_ASSERT_EQUAL(d.cards[i], 0);
	/* 7 cards for the low 0x200 bytes, 52 for 0x10000 to the end of the
	 * command-line area at 0x11000 (the image ends before it); CCW
	 * cards: 9 data reads on each linking card, 5 on the last. */
	CU_ASSERT_EQUAL(d.ndata, 7 + 52);
	CU_ASSERT_EQUAL(d.nccw, 7);
	CU_ASSERT_EQUAL(d.ncards, 1 + d.nccw + d.ndata);
	deck_free(&d);
	free(img);
}

static void ccw_at(const u8 *p, u8 *cmd, u32 *addr, u8 *flags, u16 *count)
{
	*cmd = p[0];
	*addr = (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
	*flags = p[4];
	*count = (u16)(p[6] << 8 | p[7]);
}

/* The CCW cards: the first CCW links to the next card, the last has no CC. */
static void test_ccw_cards(void)
{
	u8 *img = image(0x10000 + 4000, 2);
	char why[DECK_WHY_LEN];
	struct deck d;
	u8 cmd, flags;
	u32 addr;
	u16 count;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	CU_ASSERT_EQUAL_FATAL(deck_build(&d, img, 0x10000 + 4000, NULL, why), 0);
	/* CCW card 0 is card 2 of the deck; card 3 is CCW card 1. */
	ccw_at(d.cards + DECK_CARD, &cmd, &addr, &flags, &count);
	CU_ASSERT_EQUAL(cmd, 0x02);
	CU_ASSERT_EQUAL(addr, DECK_CCW_AREA + DECK_CARD);
	CU_ASSERT_EQUAL(flags, CCW_FLAG_CC | CCW_FLAG_SLI);
	CU_ASSERT_EQUAL(count, 80);
	ccw_at(d.cards + DECK_CARD + 8, &cmd, &addr, &flags, &count);
	CU_ASSERT_EQUAL(addr, 0);
	CU_ASSERT_EQUAL(count, 80);
	/* The seventh data card carries 0x1E0..0x1FF: 32 bytes. */
	ccw_at(d.cards + DECK_CARD + 7 * 8, &cmd, &addr, &flags, &count);
	CU_ASSERT_EQUAL(addr, 0x1E0);
	CU_ASSERT_EQUAL(count, 32);
	ccw_at(d.cards + DECK_CARD + 8 * 8, &cmd, &addr, &flags, &count);
	CU_ASSERT_EQUAL(addr, 0x10000);
	/* The deck's order: card 1, CCW 0, CCW 1, then CCW 0's data. */
	CU_ASSERT(memcmp(d.cards + 3 * DECK_CARD, img, DECK_CARD) == 0);
	deck_free(&d);
	free(img);
}

static void test_refusals(void)
{
	u8 *img = image(0x10000 + 100, 3);
	char why[DECK_WHY_LEN], longline[DECK_CMDLINE_MAX + 1];
	struct deck d;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	CU_ASSERT_EQUAL(deck_build(&d, img, 4, NULL, why), -1);
	memset(longline, 'x', DECK_CMDLINE_MAX);
	longline[DECK_CMDLINE_MAX] = '\0';
	CU_ASSERT_EQUAL(deck_build(&d, img, 0x10000 + 100, longline, why), -1);
	CU_ASSERT(strstr(why, "command line") != NULL);
	img[0x4000] = 1;
	CU_ASSERT_EQUAL(deck_build(&d, img, 0x10000 + 100, NULL, why), -1);
	CU_ASSERT(strstr(why, "0x4000") != NULL);
	free(img);
}

/* Write a deck into a temporary file; its path in path. */
static bool deck_file(const struct deck *d, char *path, size_t size)
{
	int fd;

	unit_temp_template(path, size, "test-deck");
	fd = mkstemp(path);
	if (fd < 0)
		return false;
	if (write(fd, d->cards, d->ncards * DECK_CARD) != (ssize_t)(d->ncards * DECK_CARD)) {
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

static long attach_reader(struct simtest *t, const char *path, bool eof)
{
	struct sim_rdr_opts ro = { path, SIM_RDR_EBCDIC, eof };
	struct sim_dev_config dev;
	char why[SIM_UNITREC_WHY_LEN];

	dev = unit_dev(0x000C);
	return sim_rdr3505_add(t->sim, &dev, &ro, why);
}

/*
 * The IPL as Hercules does it (ipl.c, platforms.md 9.2): the CCW READ to
 * 0, count 24, CC|SLI at 0, a format-0 program from an all-zero ORB. The
 * deck must then have loaded the image and the command line.
 */
static void test_ipl(void)
{
	const size_t len = 0x10000 + 9000;
	u8 *img = image(len, 4);
	char why[DECK_WHY_LEN], path[64];
	struct sim_unitrec_stats st;
	struct simtest t;
	struct deck d;
	struct irb irb;
	long schid;
	u8 *mem;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	CU_ASSERT_EQUAL_FATAL(deck_build(&d, img, len, "seed=7 fail", why), 0);
	CU_ASSERT_FATAL(deck_file(&d, path, sizeof(path)));
	CU_ASSERT_FATAL(simtest_init(&t, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC));
	schid = attach_reader(&t, path, false);
	CU_ASSERT_FATAL(schid >= 0);
	simtest_enable(&t, (u32)schid, 0);
	simtest_ccw0(&t, 0, 0, DECK_CMD_READ, CCW_FLAG_CC | CCW_FLAG_SLI, 24, 0);
	CU_ASSERT_EQUAL(simtest_ssch(&t, (u32)schid, 1, 0x80u << ORB_CTRL_LPM_SHIFT, 0), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, (u32)schid, &irb), 0);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE);
	CU_ASSERT_EQUAL(irb.scsw.cstat, 0);
	mem = simtest_ptr(&t, 0, len);
	CU_ASSERT(memcmp(mem, img, DECK_LOW_END) == 0);
	CU_ASSERT(memcmp(mem + DECK_HIGH_START, img + DECK_HIGH_START, DECK_CMDLINE - DECK_HIGH_START) == 0);
	CU_ASSERT_STRING_EQUAL((char *)mem + DECK_CMDLINE, "seed=7 fail");
	CU_ASSERT(memcmp(mem + DECK_CMDLINE + DECK_CMDLINE_MAX, img + DECK_CMDLINE + DECK_CMDLINE_MAX,
			 len - DECK_CMDLINE - DECK_CMDLINE_MAX) == 0);
	CU_ASSERT_FATAL(sim_unitrec_get_stats(t.sim, (u32)schid, &st));
	CU_ASSERT_EQUAL(st.records, d.ncards);
	/* The deck is used up: the next READ finds the hopper empty
	 * (intervention required, sense 40 10, cardrdr.c). */
	simtest_ccw1(&t, 0x30000, 0, DECK_CMD_READ, CCW_FLAG_SLI, 80, 0x31000);
	CU_ASSERT_EQUAL(simtest_ssch(&t, (u32)schid, 2, SIMTEST_ORB_FMT1, 0x30000), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, (u32)schid, &irb), 0);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE | SCSW_DSTAT_UNIT_CHECK);
	simtest_ccw1(&t, 0x30000, 0, CCW_CMD_BASIC_SENSE, CCW_FLAG_SLI, 32, 0x31000);
	CU_ASSERT_EQUAL(simtest_ssch(&t, (u32)schid, 3, SIMTEST_ORB_FMT1, 0x30000), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, (u32)schid, &irb), 0);
	CU_ASSERT_EQUAL(irb_count(&irb), 28);
	CU_ASSERT_EQUAL(*(u8 *)simtest_ptr(&t, 0x31000, 1), 0x40);
	CU_ASSERT_EQUAL(*(u8 *)simtest_ptr(&t, 0x31001, 1), 0x10);
	simtest_fini(&t);
	unlink(path);
	deck_free(&d);
	free(img);
}

/* With `eof`, the end of the deck is a unit exception instead. */
static void test_reader_eof(void)
{
	char path[256];
	u8 card[DECK_CARD];
	struct simtest t;
	struct irb irb;
	long schid;
	int fd;

	unit_temp_template(path, sizeof(path), "test-cards");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	memset(card, 0xC1, sizeof(card));
	CU_ASSERT_EQUAL(write(fd, card, sizeof(card)), (ssize_t)sizeof(card));
	close(fd);
	CU_ASSERT_FATAL(simtest_init(&t, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC));
	schid = attach_reader(&t, path, true);
	CU_ASSERT_FATAL(schid >= 0);
	simtest_enable(&t, (u32)schid, 0);
	simtest_ccw1(&t, 0x30000, 0, DECK_CMD_READ, 0, 80, 0x31000);
	CU_ASSERT_EQUAL(simtest_ssch(&t, (u32)schid, 1, SIMTEST_ORB_FMT1, 0x30000), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, (u32)schid, &irb), 0);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE);
	CU_ASSERT_EQUAL(*(u8 *)simtest_ptr(&t, 0x3104F, 1), 0xC1);
	CU_ASSERT_EQUAL(simtest_ssch(&t, (u32)schid, 2, SIMTEST_ORB_FMT1, 0x30000), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, (u32)schid, &irb), 0);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE | SCSW_DSTAT_UNIT_EXCEP);
	simtest_fini(&t);
	unlink(path);
}

/* The 1403: ASCII lines without trailing blanks; unit check alone for a
 * command it does not know (printer.c). */
static void test_printer(void)
{
	static const char hello[] = "HELLO, PRINTER   ";
	struct sim_prt_opts po = { NULL, -1, false };
	struct sim_dev_config dev;
	char why[SIM_UNITREC_WHY_LEN], out[64];
	struct simtest t;
	struct irb irb;
	long schid;
	int p[2];
	ssize_t n;
	u8 *data;

	CU_ASSERT_FATAL(pipe(p) == 0);
	po.fd = p[1];
	CU_ASSERT_FATAL(simtest_init(&t, SIM_PROFILE_ARCH, SIM_COMPLETE_SYNC));
	dev = unit_dev(0x000E);
	schid = sim_prt1403_add(t.sim, &dev, &po, why);
	CU_ASSERT_FATAL(schid >= 0);
	simtest_enable(&t, (u32)schid, 0);
	data = simtest_ptr(&t, 0x31000, sizeof(hello) - 1);
	for (size_t i = 0; i < sizeof(hello) - 1; i++)
		data[i] = sim_ascii_to_cp037(hello[i]);
	simtest_ccw1(&t, 0x30000, 0, 0x09, 0, sizeof(hello) - 1, 0x31000);
	CU_ASSERT_EQUAL(simtest_ssch(&t, (u32)schid, 1, SIMTEST_ORB_FMT1, 0x30000), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, (u32)schid, &irb), 0);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SIMTEST_CEDE);
	n = read(p[0], out, sizeof(out) - 1);
	CU_ASSERT_EQUAL_FATAL(n, 15);
	out[n] = '\0';
	CU_ASSERT_STRING_EQUAL(out, "HELLO, PRINTER\n");
	simtest_ccw1(&t, 0x30000, 0, 0xFF, CCW_FLAG_SLI, 1, 0x31000);
	CU_ASSERT_EQUAL(simtest_ssch(&t, (u32)schid, 2, SIMTEST_ORB_FMT1, 0x30000), 0);
	CU_ASSERT_EQUAL(simtest_tsch(&t, (u32)schid, &irb), 0);
	CU_ASSERT_EQUAL(irb.scsw.dstat, SCSW_DSTAT_UNIT_CHECK);
	simtest_fini(&t);
	close(p[0]);
	close(p[1]);
}

/* The simulator's code page matches the driver's known points. */
static void test_sim_cp037(void)
{
	CU_ASSERT_EQUAL(sim_ascii_to_cp037('A'), 0xC1);
	CU_ASSERT_EQUAL(sim_ascii_to_cp037('a'), 0x81);
	CU_ASSERT_EQUAL(sim_ascii_to_cp037('0'), 0xF0);
	CU_ASSERT_EQUAL(sim_ascii_to_cp037(' '), 0x40);
	CU_ASSERT_EQUAL(sim_ascii_to_cp037('\t'), 0x40);
	for (int c = 0x20; c < 0x7F; c++)
		CU_ASSERT_EQUAL(sim_cp037_to_ascii(sim_ascii_to_cp037((char)c)), (char)c);
	CU_ASSERT_EQUAL(sim_cp037_to_ascii(0x25), '\n');
	CU_ASSERT_EQUAL(sim_cp037_to_ascii(0x4A), 0);
}

static CU_TestInfo deck_tests[] = {
	{ "card 1 holds the PSW, READ 80 to 0x8000 and TIC, as measured", test_card1 },
	{ "CCW cards link to the next and read the data cards", test_ccw_cards },
	{ "images the deck cannot carry are refused with a reason", test_refusals },
	{ "a Hercules-style IPL from the deck loads image and command line", test_ipl },
	{ "the reader's `eof` option ends the deck with unit exception", test_reader_eof },
	{ "the 1403 prints ASCII lines and rejects with unit check alone", test_printer },
	{ "the simulator's code page 037 round-trips printable ASCII", test_sim_cp037 },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo deck_suite = { "deck", NULL, NULL, NULL, NULL, deck_tests };
