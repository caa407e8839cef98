/*
 * The match simulation for one program (matchsim.h): the availability of
 * each candidate of the list drawn trial after trial, the program
 * holding the first k available, and the figures for every list length.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/matchsim.h"
#include "core/rng.h"

void
matchsim_defaults(struct matchsim_params *p, int positions, int lmax, int span)
{
	memset(p, 0, sizeof(*p));
	p->positions = positions;
	p->lmax = lmax;
	p->span = span;
	p->p_first = MATCHSIM_DEFAULT_P_FIRST;
	p->p_elsewhere_top = MATCHSIM_DEFAULT_P_ELSEWHERE_TOP;
	p->p_elsewhere_bottom = MATCHSIM_DEFAULT_P_ELSEWHERE_BOTTOM;
	p->trials = MATCHSIM_DEFAULT_TRIALS;
	p->seed = MATCHSIM_DEFAULT_SEED;
}

/* A probability: a number from 0 to 1. */
static int
probability(double v)
{
	return (isfinite(v) && v >= 0.0 && v <= 1.0);
}

int
matchsim_check(
    const struct matchsim_params *p, const char **field, char *msg, size_t len)
{
	*field = NULL;
	if (p->positions < 1 || p->positions > MATCHSIM_LMAX_MAX) {
		*field = "positions";
		(void)snprintf(msg, len,
		    "The simulation needs 1 to %d positions.",
		    MATCHSIM_LMAX_MAX);
	} else if (p->lmax < p->positions || p->lmax > MATCHSIM_LMAX_MAX) {
		*field = "list_length";
		(void)snprintf(msg, len,
		    "The list is simulated from the positions' number to at "
		    "most %d candidates.",
		    MATCHSIM_LMAX_MAX);
	} else if (p->span < 1) {
		*field = "span";
		(void)snprintf(msg, len,
		    "The interest falls over at least one candidate.");
	} else if (!probability(p->p_first)) {
		*field = "p_first";
		(void)snprintf(msg, len,
		    "The share of candidates who rank the program first is a "
		    "number from 0 to 1.");
	} else if (!probability(p->p_elsewhere_top)) {
		*field = "p_elsewhere_top";
		(void)snprintf(msg, len,
		    "The chance that the top candidate matches a program they "
		    "prefer is a number from 0 to 1.");
	} else if (!probability(p->p_elsewhere_bottom)) {
		*field = "p_elsewhere_bottom";
		(void)snprintf(msg, len,
		    "The chance that the last candidate matches a program "
		    "they prefer is a number from 0 to 1.");
	} else if (p->trials < MATCHSIM_TRIALS_MIN ||
	    p->trials > MATCHSIM_TRIALS_MAX) {
		*field = "trials";
		(void)snprintf(msg, len,
		    "The number of simulated matches is from %d to %d.",
		    MATCHSIM_TRIALS_MIN, MATCHSIM_TRIALS_MAX);
	} else if (p->seed > MATCHSIM_SEED_MAX) {
		*field = "seed";
		(void)snprintf(msg, len, "The seed is a number from 0 to %d.",
		    MATCHSIM_SEED_MAX);
	}
	return (*field == NULL ? 0 : -1);
}

double
matchsim_p_elsewhere(const struct matchsim_params *p, int i)
{
	double t;

	if (i <= 1)
		return (p->p_elsewhere_top);
	if (i >= p->span)
		return (p->p_elsewhere_bottom);
	t = (double)(i - 1) / (double)(p->span - 1);
	return (p->p_elsewhere_top +
	    (p->p_elsewhere_bottom - p->p_elsewhere_top) * t);
}

double
matchsim_p_available(const struct matchsim_params *p, int i)
{
	return (p->p_first +
	    (1.0 - p->p_first) * (1.0 - matchsim_p_elsewhere(p, i)));
}

static int
rows_alloc(const struct matchsim_params *p, struct matchsim_result *out)
{
	int i;

	out->nrows = p->lmax - p->positions + 1;
	if ((out->rows = calloc((size_t)out->nrows, sizeof(*out->rows))) ==
	    NULL) {
		out->nrows = 0;
		return (-1);
	}
	for (i = 0; i < out->nrows; i++)
		out->rows[i].length = p->positions + i;
	return (0);
}

int
matchsim_run(const struct matchsim_params *p, struct matchsim_result *out)
{
	const char *field;
	char	    msg[160];
	double	   *pe = NULL;
	long	   *held = NULL, *full = NULL, run_held = 0, run_full = 0;
	struct rng  g;
	int	    t, i, n, k, L;

	memset(out, 0, sizeof(*out));
	if (matchsim_check(p, &field, msg, sizeof(msg)) != 0)
		return (-1);
	k = p->positions;
	/*
	 * held[i]: trials in which the candidate at place i was one of the
	 * first k available (the program holds them with any list of
	 * length >= i); full[i]: trials in which the k-th of them is at
	 * place i (the list fills from length i on).
	 */
	pe = calloc((size_t)p->lmax + 1, sizeof(*pe));
	held = calloc((size_t)p->lmax + 1, sizeof(*held));
	full = calloc((size_t)p->lmax + 1, sizeof(*full));
	if (pe == NULL || held == NULL || full == NULL ||
	    rows_alloc(p, out) != 0)
		goto fail;
	for (i = 1; i <= p->lmax; i++)
		pe[i] = matchsim_p_elsewhere(p, i);
	rng_seed(&g, p->seed);
	for (t = 0; t < p->trials; t++) {
		/* The program's list, top down: who reaches the program,
		 * which holds the first k of them. */
		for (i = 1, n = 0; i <= p->lmax && n < k; i++) {
			int first = rng_uniform(&g) < p->p_first;
			int elsewhere = rng_uniform(&g) < pe[i];

			if (first || !elsewhere) {
				held[i]++;
				if (++n == k)
					full[i]++;
			}
		}
	}
	for (L = 1, i = 0; L <= p->lmax; L++) {
		run_held += held[L];
		run_full += full[L];
		if (L < k)
			continue;
		out->rows[i].p_fill = (double)run_full / p->trials;
		out->rows[i].expected = (double)run_held / p->trials;
		i++;
	}
	free(pe);
	free(held);
	free(full);
	return (0);
fail:
	free(pe);
	free(held);
	free(full);
	matchsim_result_free(out);
	return (-1);
}

int
matchsim_exact(const struct matchsim_params *p, struct matchsim_result *out)
{
	const char *field;
	char	    msg[160];
	double	   *dist = NULL, q, e;
	int	    k, L, c, i = 0;

	memset(out, 0, sizeof(*out));
	if (matchsim_check(p, &field, msg, sizeof(msg)) != 0)
		return (-1);
	k = p->positions;
	/* dist[c]: P(c available among the first L), c = k meaning k or
	 * more; advanced one place at a time. */
	if ((dist = calloc((size_t)k + 1, sizeof(*dist))) == NULL ||
	    rows_alloc(p, out) != 0) {
		free(dist);
		matchsim_result_free(out);
		return (-1);
	}
	dist[0] = 1.0;
	for (L = 1; L <= p->lmax; L++) {
		q = matchsim_p_available(p, L);
		dist[k] += q * dist[k - 1];
		for (c = k - 1; c >= 1; c--)
			dist[c] = dist[c] * (1.0 - q) + dist[c - 1] * q;
		dist[0] *= 1.0 - q;
		if (L < k)
			continue;
		for (c = 0, e = 0.0; c <= k; c++)
			e += c * dist[c];
		out->rows[i].p_fill = dist[k];
		out->rows[i].expected = e;
		i++;
	}
	free(dist);
	return (0);
}

int
matchsim_recommend(const struct matchsim_result *r, double target)
{
	int i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].p_fill >= target)
			return (r->rows[i].length);
	return (0);
}

void
matchsim_result_free(struct matchsim_result *r)
{
	if (r == NULL)
		return;
	free(r->rows);
	memset(r, 0, sizeof(*r));
}
