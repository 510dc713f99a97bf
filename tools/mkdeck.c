/*
 * mkdeck: the card deck that IPLs a flat s390x image from a 3505 reader
 * under Hercules (`000C 3505 tour.deck ebcdic`, `ipl 000c`). The format is
 * in tools/deck.h.
 *
 * usage: mkdeck [-c CMDLINE | -p PARMFILE] IMAGE.bin OUT.deck
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/deck.h"
#include "tools/file.h" /* file_read */

static int usage(void)
{
	fprintf(stderr, "usage: mkdeck [-c CMDLINE | -p PARMFILE] IMAGE.bin OUT.deck\n"
			"  -c CMDLINE   the command line for 0x10480 (default: empty)\n"
			"  -p PARMFILE  the command line from a file, up to its first NUL\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *cmdline;
	char *parm_text;
	char why[DECK_WHY_LEN];
	struct deck d;
	u8 *image;
	size_t len;
	FILE *out;
	int i = 1, rc = file_cmdline("mkdeck", argc, argv, &i, &cmdline, &parm_text);

	if (rc)
		return rc == 2 ? usage() : 1;
	if (argc - i != 2) {
		free(parm_text);
		return usage();
	}
	image = file_read("mkdeck", argv[i], &len);
	if (!image) {
		free(parm_text);
		return 1;
	}
	if (deck_build(&d, image, len, cmdline, why)) {
		fprintf(stderr, "mkdeck: %s: %s\n", argv[i], why);
		free(image);
		free(parm_text);
		return 1;
	}
	free(image);
	free(parm_text);
	out = fopen(argv[i + 1], "wb");
	if (out) {
		bool ok = fwrite(d.cards, DECK_CARD, d.ncards, out) == d.ncards;

		if (fclose(out) || !ok)
			out = NULL;
	}
	if (!out) {
		fprintf(stderr, "mkdeck: %s: %s\n", argv[i + 1], strerror(errno));
		deck_free(&d);
		return 1;
	}
	deck_free(&d);
	return 0;
}
