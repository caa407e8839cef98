/*
 * splitmix64 and what is drawn from it (rng.h).
 */
#include <math.h>
#include <string.h>

#include "core/rng.h"

void
rng_seed(struct rng *g, uint64_t seed)
{
	memset(g, 0, sizeof(*g));
	g->state = seed;
}

uint64_t
rng_next(struct rng *g)
{
	uint64_t z = (g->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

double
rng_uniform(struct rng *g)
{
	return ((double)(rng_next(g) >> 11) * 0x1.0p-53);
}

double
rng_normal(struct rng *g)
{
	double u, v, r;

	if (g->have) {
		g->have = 0;
		return (g->spare);
	}
	/* Open on both ends: the logarithm needs u > 0. */
	u = ((double)(rng_next(g) >> 11) + 0.5) * 0x1.0p-53;
	v = ((double)(rng_next(g) >> 11) + 0.5) * 0x1.0p-53;
	r = sqrt(-2.0 * log(u));
	g->spare = r * sin(2.0 * M_PI * v);
	g->have = 1;
	return (r * cos(2.0 * M_PI * v));
}
