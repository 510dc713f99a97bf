/* The card-deck builder (tools/deck.h): the deck as bytes, from the image. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/deck.h"

/* One data card: where it loads and how many bytes it carries. */
struct data_card {
	u32 addr;
	u32 len;
};

static int fail(char *why, const char *fmt, ...) __printf(2, 3);
static int fail(char *why, const char *fmt, ...)
{
	va_list ap;

	if (why) {
		va_start(ap, fmt);
		vsnprintf(why, DECK_WHY_LEN, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void put_ccw(u8 *at, u8 cmd, u8 flags, u16 count, u32 addr)
{
	struct ccw0 c = ccw0_make(cmd, flags, count, addr);

	memcpy(at, &c, sizeof(c));
}

/* Data cards of [start, end) of the image, appended at cards[*n]. */
static void cut(struct data_card *cards, size_t *n, u32 start, u32 end)
{
	for (u32 a = start; a < end; a += DECK_CARD)
		cards[(*n)++] = (struct data_card){ a, MIN((u32)DECK_CARD, end - a) };
}

int deck_build(struct deck *d, const u8 *image, size_t len, const char *cmdline, char *why)
{
	size_t clen = cmdline ? strlen(cmdline) : 0;
	size_t mem_len, ndata = 0, nccw, k, next_data = 0, at, next_ccw_at;
	struct data_card *data = NULL;
	u8 *mem = NULL, *card;

	memset(d, 0, sizeof(*d));
	if (len < 8)
		return fail(why, "the image is %zu bytes: too short for an IPL PSW", len);
	if (clen >= DECK_CMDLINE_MAX)
		return fail(why, "the command line is %zu bytes; the image's area at 0x%x holds %u "
			    "with its NUL (at most %u characters)", clen, DECK_CMDLINE, DECK_CMDLINE_MAX,
			    DECK_CMDLINE_MAX - 1);
	for (size_t i = DECK_LOW_END; i < MIN(len, (size_t)DECK_HIGH_START); i++)
		if (image[i])
			return fail(why, "the image has data at 0x%zx, which the deck does not load "
				    "(only below 0x%x and from 0x%x)", i, DECK_LOW_END, DECK_HIGH_START);
	/* The image with its command line in place: zeros up to the end of
	 * the command-line area at least. */
	mem_len = MAX(len, (size_t)DECK_CMDLINE + DECK_CMDLINE_MAX);
	if (mem_len > DECK_LIMIT)
		return fail(why, "the image ends at 0x%zx, above 16 MiB (format-0 addresses)", mem_len);
	mem = calloc(1, mem_len);
	if (!mem)
		return fail(why, "out of memory");
	memcpy(mem, image, len);
	memset(mem + DECK_CMDLINE, 0, DECK_CMDLINE_MAX);
	memcpy(mem + DECK_CMDLINE, cmdline ? cmdline : "", clen);

	data = calloc(mem_len / DECK_CARD + 4, sizeof(*data));
	if (!data) {
		free(mem);
		return fail(why, "out of memory");
	}
	cut(data, &ndata, 0, DECK_LOW_END);
	cut(data, &ndata, DECK_HIGH_START, (u32)mem_len);

	/* CCW cards: a linking card reads 9 data cards, the last up to 10. */
	nccw = 1;
	if (ndata > DECK_CCWS_PER_CARD)
		nccw += (ndata - DECK_CCWS_PER_CARD + DECK_CCWS_PER_CARD - 2) / (DECK_CCWS_PER_CARD - 1);
	if (DECK_CCW_AREA + nccw * DECK_CARD > DECK_HIGH_START) {
		free(mem);
		free(data);
		return fail(why, "%zu CCW cards do not fit between 0x%x and 0x%x", nccw,
			    DECK_CCW_AREA, DECK_HIGH_START);
	}
	d->ndata = ndata;
	d->nccw = nccw;
	d->ncards = 1 + nccw + ndata;
	d->cards = calloc(d->ncards, DECK_CARD);
	if (!d->cards) {
		free(mem);
		free(data);
		return fail(why, "out of memory");
	}

	/* Card 1: the IPL PSW and the two CCWs Hercules runs from 8. */
	card = d->cards;
	memcpy(card, image, 8);
	put_ccw(card + 8, DECK_CMD_READ, CCW_FLAG_CC | CCW_FLAG_SLI, DECK_CARD, DECK_CCW_AREA);
	put_ccw(card + 16, CCW_CMD_TIC, 0, 0, DECK_CCW_AREA);

	/* CCW card 0 right after card 1; each CCW card is followed in the
	 * deck by the next CCW card (which its first CCW reads) and then by
	 * the data cards its other CCWs read. */
	at = 1;
	next_ccw_at = at++;
	for (k = 0; k < nccw; k++) {
		u8 *ccws = d->cards + (size_t)DECK_CARD * next_ccw_at;
		bool link = k + 1 < nccw;
		size_t n = link ? DECK_CCWS_PER_CARD - 1 : ndata - next_data;
		unsigned slot = 0;

		if (link) {
			put_ccw(ccws, DECK_CMD_READ, CCW_FLAG_CC | CCW_FLAG_SLI, DECK_CARD,
				DECK_CCW_AREA + (u32)(DECK_CARD * (k + 1)));
			slot++;
			next_ccw_at = at++;
		}
		for (size_t i = 0; i < n; i++) {
			const struct data_card *dc = &data[next_data + i];
			bool final = !link && i + 1 == n;

			put_ccw(ccws + 8 * slot++, DECK_CMD_READ,
				final ? CCW_FLAG_SLI : CCW_FLAG_CC | CCW_FLAG_SLI, (u16)dc->len, dc->addr);
			memcpy(d->cards + (size_t)DECK_CARD * at++, mem + dc->addr, dc->len);
		}
		next_data += n;
	}
	free(mem);
	free(data);
	return 0;
}

void deck_free(struct deck *d)
{
	free(d->cards);
	memset(d, 0, sizeof(*d));
}
