/*
 * mkins: the Hercules load list that IPLs the flat s390x image (`ipl
 * OUT.ins`, reference/platforms.md 9.2): the image at 0, then its command
 * line, written beside the list as OUT.parm, at 0x10480. A line that does
 * not fit the image's area is refused: Hercules would load it over the
 * code that follows the area.
 *
 * usage: mkins [-c CMDLINE | -p PARMFILE] IMAGE.bin OUT.ins
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/cmdline_hw.h" /* TOUR_CMDLINE_ADDR, TOUR_CMDLINE_AREA */
#include "tools/file.h"      /* file_read */

static int usage(void)
{
	fprintf(stderr, "usage: mkins [-c CMDLINE | -p PARMFILE] IMAGE.bin OUT.ins\n"
			"  -c CMDLINE   the command line for 0x%x (default: empty)\n"
			"  -p PARMFILE  the command line from a file, up to its first NUL\n"
			"  Writes OUT.ins and, beside it, OUT.parm (the image must be in the same\n"
			"  directory: Hercules loads only files beside the list).\n",
			TOUR_CMDLINE_ADDR);
	return 2;
}

/* The base name of a path. */
static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
	const char *cmdline, *image, *ins;
	char *text, *parm_path;
	size_t n;
	FILE *f;
	int i = 1, rc = file_cmdline("mkins", argc, argv, &i, &cmdline, &text);

	if (rc)
		return rc == 2 ? usage() : 1;
	if (argc - i != 2) {
		free(text);
		return usage();
	}
	image = argv[i];
	ins = argv[i + 1];
	n = strlen(cmdline);
	if (n >= TOUR_CMDLINE_AREA) {
		fprintf(stderr, "mkins: the command line is %zu bytes; the image's area at 0x%x holds "
				"%u with its NUL (at most %u characters)\n",
			n, TOUR_CMDLINE_ADDR, TOUR_CMDLINE_AREA, TOUR_CMDLINE_AREA - 1);
		free(text);
		return 1;
	}
	if (strchr(base(image), ' ')) {
		fprintf(stderr, "mkins: %s: a load list cannot name a file with a blank\n", image);
		free(text);
		return 1;
	}
	/* OUT.ins -> OUT.parm */
	parm_path = malloc(strlen(ins) + 6);
	if (!parm_path) {
		free(text);
		return 1;
	}
	strcpy(parm_path, ins);
	if (strlen(parm_path) > 4 && !strcmp(parm_path + strlen(parm_path) - 4, ".ins"))
		parm_path[strlen(parm_path) - 4] = '\0';
	strcat(parm_path, ".parm");
	f = fopen(parm_path, "wb");
	if (!f || fwrite(cmdline, 1, n + 1, f) != n + 1 || fclose(f)) {
		fprintf(stderr, "mkins: %s: %s\n", parm_path, strerror(errno));
		free(text);
		free(parm_path);
		return 1;
	}
	f = fopen(ins, "w");
	if (!f || fprintf(f, "* Hercules load list (mkins): ipl %s\n"
			     "* the image at 0, its command line at 0x%x\n"
			     "%s 0x00000000\n%s 0x%08x\n",
			  base(ins), TOUR_CMDLINE_ADDR, base(image), base(parm_path),
			  TOUR_CMDLINE_ADDR) < 0 ||
	    fclose(f)) {
		fprintf(stderr, "mkins: %s: %s\n", ins, strerror(errno));
		free(text);
		free(parm_path);
		return 1;
	}
	free(text);
	free(parm_path);
	return 0;
}
