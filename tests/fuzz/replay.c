/*
 * The fuzz targets without libFuzzer: each file named on the command line
 * is read and given to LLVMFuzzerTestOneInput() once, as libFuzzer would.
 * make test builds one replayer per target (gcc, AddressSanitizer and
 * UBSan) and runs it on the target's corpus, the regress-* inputs of
 * findings included, so a fix that comes undone fails the tests without
 * clang. A target that finds a fault aborts, as it does under libFuzzer.
 *
 * Usage: replay-<target> FILE...   prints "CHECK fuzz.<target>.<file> PASS"
 * for each input it comes back from; exit status 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"

#ifndef FUZZ_TARGET
#error "build with -DFUZZ_TARGET=\"<name>\""
#endif

/* The largest input the corpora hold is a few KiB; libFuzzer's default
 * -max_len is 4096 for a fresh corpus. */
#define REPLAY_MAX (1u << 20)

static u8 *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf;

	if (!f) {
		perror(path);
		return NULL;
	}
	buf = malloc(REPLAY_MAX);
	*len = buf ? fread(buf, 1, REPLAY_MAX, f) : 0;
	if (buf && (ferror(f) || !feof(f))) {
		fprintf(stderr, "%s: unreadable or larger than %u bytes\n", path, REPLAY_MAX);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: replay-%s FILE...\n", FUZZ_TARGET);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		size_t len;
		u8 *data = read_all(argv[i], &len);

		base = base ? base + 1 : argv[i];
		if (!data) {
			printf("CHECK fuzz.%s.%s FAIL unreadable\n", FUZZ_TARGET, base);
			status = 1;
			continue;
		}
		/* libFuzzer hands the target a buffer of exactly len bytes. */
		{
			u8 *exact = malloc(len ? len : 1);

			if (!exact) {
				free(data);
				return 2;
			}
			memcpy(exact, data, len);
			free(data);
			LLVMFuzzerTestOneInput(exact, len);
			free(exact);
		}
		printf("CHECK fuzz.%s.%s PASS\n", FUZZ_TARGET, base);
		fflush(stdout);
	}
	return status;
}
