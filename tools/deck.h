/*
 * A card deck that IPLs the s390x image from a 3505 reader under Hercules
 * (reference/platforms.md 9.2, the measured format):
 *
 *   card 1      bytes 0-7 the IPL PSW (the image's first 8 bytes),
 *               8-15 format-0 READ 80 bytes to 0x8000, CC|SLI,
 *               16-23 TIC to 0x8000, the rest zero. Hercules reads its
 *               first 24 bytes to 0 with READ, CC|SLI and runs on at 8.
 *   CCW cards   10 format-0 CCWs each, read contiguously to 0x8000 + 80n.
 *               The first CCW of each reads the next CCW card; the others
 *               read one data card each to its load address, CC|SLI. The
 *               last CCW card holds up to 10 data reads and its last CCW
 *               has no CC.
 *   data cards  80 bytes (the last of a range may be shorter): the image's
 *               first 0x200 bytes (the lowcore PSWs) and everything from
 *               0x10000, with the command line at 0x10480.
 *
 * Deck order: card 1, CCW card 0, then for each CCW card k the next CCW
 * card followed by the data cards k reads. Everything stays below 16 MiB
 * (format-0 addresses).
 */
#ifndef TOOLS_DECK_H
#define TOOLS_DECK_H

#include "boot/cmdline_hw.h" /* TOUR_CMDLINE_ADDR, TOUR_CMDLINE_AREA */
#include "ccw/css_hw.h"      /* struct ccw0, ccw0_make, CCW_FLAG_* */

#define DECK_CARD 80u
#define DECK_CCWS_PER_CARD 10u
#define DECK_CCW_AREA 0x8000u     /* where the CCW cards go */
#define DECK_LOW_END 0x200u       /* the lowcore part of the image */
#define DECK_HIGH_START 0x10000u  /* the rest of the image */
#define DECK_CMDLINE TOUR_CMDLINE_ADDR     /* the command-line area */
#define DECK_CMDLINE_MAX TOUR_CMDLINE_AREA /* its size, NUL included */
#define DECK_LIMIT 0x1000000u     /* format-0 CCWs address 24 bits */

#define DECK_CMD_READ 0x02
#define DECK_WHY_LEN 160

struct deck {
	u8 *cards;        /* ncards * DECK_CARD bytes, from malloc */
	size_t ncards;
	size_t ndata;     /* data cards */
	size_t nccw;      /* CCW cards */
};

/*
 * Build the deck of a flat image (loaded at 0; at least 8 bytes) with the
 * command line cmdline (ASCII without NUL; NULL or "" for none) in the
 * command-line area. The image must hold nothing between 0x200 and 0x10000
 * (the deck does not load it) and end below the CCW area's neighbour
 * limits. Returns 0, or -1 with a reason in why (DECK_WHY_LEN bytes).
 * Free with deck_free().
 */
int deck_build(struct deck *d, const u8 *image, size_t len, const char *cmdline, char *why);

void deck_free(struct deck *d);

#endif /* TOOLS_DECK_H */
