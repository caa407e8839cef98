/*
 * The pseudo-random numbers of the simulations (the match, the ranking's
 * resampling, the benches): splitmix64 (Steele, Lea and Flood), small,
 * fast and good enough for figures read to two or three digits, and
 * seeded by the caller, so that the same seed gives the same numbers on
 * every machine. Pure.
 */
#ifndef FELLOW_CORE_RNG_H
#define FELLOW_CORE_RNG_H

#include <stdint.h>

struct rng {
	uint64_t state;
	double	 spare; /* the second normal of a pair */
	int	 have;	/* spare holds one */
};

void	 rng_seed(struct rng *, uint64_t seed);
uint64_t rng_next(struct rng *);
/* Uniform on [0, 1), 53 random bits. */
double rng_uniform(struct rng *);
/* Standard normal, by Box-Muller (both of each pair used). */
double rng_normal(struct rng *);

#endif
