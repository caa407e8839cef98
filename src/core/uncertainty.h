/*
 * How sure the ranking is of each place: the probability that a candidate
 * belongs within the positions and within the list's depth, an interval
 * for its place, and the probability that it and the next candidate are
 * the other way round. Drawn from the posterior of the additive model of
 * core/aggregate.h, phase by phase, and combined into the composite with
 * the director's weights, as the ranking does.
 *
 * The model of one phase, each sheet of candidate c by rater r:
 *
 *	score = theta[c] + b[r] + noise,	noise ~ N(0, sigma^2)
 *	b[r] ~ N(prior[r], sigma^2 / lambda)	(the fit's lambda and priors)
 *	theta[c] ~ N(mu[g], omega^2)		(g: the candidate's group)
 *
 * sigma and lambda are the fit's (struct agg_result); mu[g] is the mean
 * adjusted score of the group and omega^2 the spread of the adjusted
 * scores less their mean squared standard error (the method of moments),
 * at least UNC_OMEGA2_MIN. The prior on theta matters: without it (every
 * quality equally likely a priori) a candidate's draws scatter about its
 * own estimate and the probabilities come out too sure of themselves
 * wherever estimates are noisy; with it they are calibrated against
 * candidates drawn from a population like the cycle's (bench/calibration.c
 * checks it on simulated cycles with a known truth).
 *
 * The posterior is Gaussian and is drawn exactly: the leniencies from
 * their marginal, b ~ N(b_bar, sigma^2 A^-1) with A = diag(n_r + lambda)
 * - N' diag(1 / (n_c + kappa)) N (N the sheets' incidence, kappa =
 * sigma^2 / omega^2), by a Cholesky factor of A; then each theta given
 * b. Each draw is ranked as the ranking ranks (candidates with sheets in
 * every weighted phase first, then by the composite).
 *
 * Deterministic: the same input and seed give the same numbers, to the
 * last bit (callers seed with a digest of what the ranking was built
 * from). The number of draws is fixed by the size of the input, between
 * UNC_DRAWS_MIN and UNC_DRAWS_MAX, so a national-size cycle costs a
 * bounded time. Pure: libc and libm.
 */
#ifndef FELLOW_CORE_UNCERTAINTY_H
#define FELLOW_CORE_UNCERTAINTY_H

#include <stddef.h>
#include <stdint.h>

#include "core/aggregate.h"

#define UNC_DRAWS_MAX  2000
#define UNC_DRAWS_MIN  200
#define UNC_OMEGA2_MIN 1.0 /* points^2 */
#define UNC_RATERS_MAX 600 /* the dense factor's side; above, no draws */

/* The flag: the evidence is mixed on the candidate's side of the line. */
#define UNC_FLAG_LO 0.1
#define UNC_FLAG_HI 0.9
/* A reversal with the next candidate this likely is worth discussing. */
#define UNC_SWAP_NOTE 0.3

/* One phase: its sheets, the fit agg_phases() made of them, and the
 * priors of its raters' leniencies that fit used (nraters values, NAN
 * for none, or NULL for none at all: b[r] ~ N(prior[r], sigma^2 /
 * lambda), 0 without one). The priors are taken as known, so the draws
 * leave out their own uncertainty and the link they make between the
 * phases. */
struct unc_phase {
	const struct agg_sheet	*sheets;
	int			 nsheets;
	const struct agg_result *res;
	const double		*prior;
};

struct unc_cand {
	double p_top;	    /* place <= positions */
	double p_list;	    /* place <= depth */
	double p_swap_next; /* below the next in place order; NaN: last */
	int    rank_lo;	    /* 5th percentile of the place */
	int    rank_hi;	    /* 95th */
	int    flagged;	    /* p_top within [UNC_FLAG_LO, UNC_FLAG_HI] */
};

/*
 * Draws the posterior of nphases phases (each with ncands candidates and
 * nraters raters, as for agg_phase()) weighted by weights[p], for the
 * candidates with place[c] > 0 (their 1-based place in the composite
 * order, as agg_rank_cycle() gives it; 0: not placed, left with NaN and
 * zeros). positions >= 1, depth >= positions. Fills out[0..ncands) and
 * *draws. Returns 0, or -1 on bad arguments, no memory, or more than
 * UNC_RATERS_MAX raters with sheets in a phase (out then holds NaN).
 */
int unc_resample(int ncands, int nraters, int nphases,
    const struct unc_phase *phases, const int *weights, const int *place,
    int positions, int depth, uint64_t seed, struct unc_cand *out, int *draws);

/*
 * A probability as the pages show it: p to three places (as the views
 * give it), then as a whole percentage, so that a page that rounds the
 * view's value itself shows the same number. -1 for NaN.
 */
int unc_percent(double p);

/*
 * A sentence for p, the probability of a place within positions: "Almost
 * certainly within the 2 positions (97 %).", "Could be on either side of
 * the line (46 % within the 2 positions)." and so on. Returns buf.
 */
const char *unc_words(double p, int positions, char *buf, size_t size);

#endif
