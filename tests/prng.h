/*
 * The tests' and benchmarks' pseudo-random numbers: xorshift64 (Marsaglia,
 * shifts 13, 7, 17), reproducible from a seed, never 0 from a non-zero one.
 */
#ifndef TESTS_PRNG_H
#define TESTS_PRNG_H

#include <string.h>

#include "ring/base.h"

static inline u64 prng_next(u64 *s)
{
	u64 x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* len pseudo-random bytes from the seed's sequence. */
static inline void prng_fill(u8 *p, size_t len, u64 *seed)
{
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		u64 v = prng_next(seed);

		memcpy(p + i, &v, 8);
	}
	for (; i < len; i++)
		p[i] = (u8)prng_next(seed);
}

#endif /* TESTS_PRNG_H */
