/* What the host tools share: reading a whole file, saying why. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/file.h"

u8 *file_read(const char *tool, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", tool, path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			u8 *p = realloc(buf, cap ? 2 * cap : 65536);

			if (!p) {
				fprintf(stderr, "%s: out of memory\n", tool);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
			cap = cap ? 2 * cap : 65536;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: read error\n", tool, path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int file_cmdline(const char *tool, int argc, char **argv, int *i, const char **line, char **text)
{
	const char *cmdline = NULL, *parm = NULL;
	size_t len;
	u8 *p;

	*line = "";
	*text = NULL;
	for (; *i < argc && argv[*i][0] == '-' && argv[*i][1]; (*i)++) {
		if (!strcmp(argv[*i], "-c") && *i + 1 < argc)
			cmdline = argv[++*i];
		else if (!strcmp(argv[*i], "-p") && *i + 1 < argc)
			parm = argv[++*i];
		else
			return 2;
	}
	if (cmdline && parm)
		return 2;
	if (cmdline)
		*line = cmdline;
	if (!parm)
		return 0;
	p = file_read(tool, parm, &len);
	if (!p)
		return 1;
	*text = calloc(1, len + 1);
	if (!*text) {
		fprintf(stderr, "%s: out of memory\n", tool);
		free(p);
		return 1;
	}
	memcpy(*text, p, len);
	free(p);
	*line = *text; /* up to the first NUL */
	return 0;
}

void tool_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (why && len)
		vsnprintf(why, len, fmt, ap);
	va_end(ap);
}
