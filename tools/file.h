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

#endif /* TOOLS_FILE_H */
