/* What the host tools share: reading a whole file. */
#ifndef TOOLS_FILE_H
#define TOOLS_FILE_H

#include <stddef.h>

#include "ring/base.h" /* u8 */

/*
 * The whole of the file at path, from malloc, its length in *len; NULL
 * after a message on stderr that starts with tool.
 */
u8 *file_read(const char *tool, const char *path, size_t *len);

/*
 * The command-line options both image builders take, -c CMDLINE or -p
 * PARMFILE (the file's text up to its first NUL), from argv[*i] on;
 * *i ends at the first other argument. *line is the command line ("" when
 * neither is given), *text what to free afterwards. Returns 0, 1 after
 * a message (a file that cannot be read), or 2 for a usage error.
 */
int file_cmdline(const char *tool, int argc, char **argv, int *i, const char **line, char **text);

/* A reason into why (len bytes; nothing when why is NULL or len 0). */
void tool_why(char *why, size_t len, const char *fmt, ...) __printf(3, 4);

#endif /* TOOLS_FILE_H */
