/*
 * What the fuzzers share: a reader that turns libFuzzer's input into
 * numbers (zeros once it runs out, so every input decodes to something),
 * and a check that aborts with a message, which libFuzzer reports as a
 * crash and saves.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring/base.h"

/* libFuzzer's entry point, declared for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* Whether FUZZ_TRACE is set: a target then traces what it does to stderr. */
static inline bool fuzz_tracing(void)
{
	static int on = -1;

	if (on < 0)
		on = getenv("FUZZ_TRACE") != NULL;
	return on;
}

struct fin {
	const u8 *p;
	size_t n;
};

static inline bool fin_left(const struct fin *f)
{
	return f->n != 0;
}

static inline u8 fin_u8(struct fin *f)
{
	if (!f->n)
		return 0;
	f->n--;
	return *f->p++;
}

/* Multi-byte numbers are taken little-endian from the input. */
static inline u16 fin_u16(struct fin *f)
{
	u16 v = fin_u8(f);

	return (u16)(v | fin_u8(f) << 8);
}

static inline u32 fin_u32(struct fin *f)
{
	u32 v = fin_u16(f);

	return v | (u32)fin_u16(f) << 16;
}

static inline u64 fin_u64(struct fin *f)
{
	u64 v = fin_u32(f);

	return v | (u64)fin_u32(f) << 32;
}

/* Copy len bytes of input to dst; what the input lacks is zero. */
static inline void fin_bytes(struct fin *f, void *dst, size_t len)
{
	size_t k = MIN(len, f->n);

	memcpy(dst, f->p, k);
	memset((u8 *)dst + k, 0, len - k);
	f->p += k;
	f->n -= k;
}

/* A broken invariant: say which, and abort (libFuzzer saves the input). */
#define FUZZ_CHECK(cond)                                                                         \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                 \
		}                                                                                \
	} while (0)

#endif /* TESTS_FUZZ_FUZZ_H */
