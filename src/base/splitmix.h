/* splitmix.h: splitmix64, the small seeded generator of the demo data and
 * the benchmark's generator. Not for anything secret (libsodium is): it is
 * here because a fixed seed must give the same made-up history on every
 * machine and every run. */
#ifndef BASE_SPLITMIX_H
#define BASE_SPLITMIX_H
#include <stdint.h>

/* The next number of the sequence whose state is *s. */
static inline uint64_t splitmix_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A number from 0 to n - 1 (0 when n <= 0). The modulo's bias is far below
 * what made-up figures could show. */
static inline int splitmix_below(uint64_t *s, int n)
{
	return n > 0 ? (int)(splitmix_next(s) % (uint64_t)n) : 0;
}

#endif
