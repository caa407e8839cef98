/*
 * Tests for src/core/aggregate.c: the rater-adjusted model on designs small
 * enough to solve by hand (the arithmetic is in the comments), its
 * properties under a shift of one rater and under a permutation of the
 * sheets, the raw statistics, the standard error, Krippendorff's alpha on
 * his own textbook example and against a direct pairwise count, the
 * degenerate designs (no sheets, one rater, equal scores, a rater or a
 * candidate with one sheet, several groups), Borda, the method flags, the
 * composite, the ranking policy (the tie rule against noise, the one
 * method flag, the ranking over phases) and the refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/aggregate.h"

#define EPS 1e-9

/*
 * cmocka's assert_float_equal() compares in float, too coarse for the
 * arithmetic here; this compares doubles and prints them in full.
 */
#define assert_near(a, b, eps) near_at((a), (b), (eps), __FILE__, __LINE__)

static void
near_at(double a, double b, double eps, const char *file, int line)
{
	if (fabs(a - b) <= eps)
		return;
	print_error("%.17g != %.17g (within %g)\n", a, b, eps);
	_fail(file, line);
}

/* The designs of the tests; a sheet is {cand, rater, score}. */
#define HLN_H 0 /* harsh, -10 */
#define HLN_L 1 /* lenient, +10 */
#define HLN_N 2 /* neutral */
#define A     0 /* true 60 */
#define B     1 /* true 55 */
#define C     2 /* true 50 */
#define D     3 /* true 70 */
#define E     4 /* true 57, only in hln_e */

/*
 * Candidates seen by different raters, with no noise: A by the harsh and
 * the neutral rater, B by the lenient and the neutral one, so B's raw mean
 * (60) passes A's (55) although A is better.
 */
static const struct agg_sheet hln[] = {
	{ A, HLN_H, 50 },
	{ C, HLN_H, 40 },
	{ D, HLN_H, 60 },
	{ B, HLN_L, 65 },
	{ C, HLN_L, 60 },
	{ D, HLN_L, 80 },
	{ A, HLN_N, 60 },
	{ B, HLN_N, 55 },
	{ C, HLN_N, 50 },
};

/* The same with E (true 57) seen by the harsh and the neutral rater. */
static const struct agg_sheet hln_e[] = {
	{ A, HLN_H, 50 },
	{ C, HLN_H, 40 },
	{ D, HLN_H, 60 },
	{ E, HLN_H, 47 },
	{ B, HLN_L, 65 },
	{ C, HLN_L, 60 },
	{ D, HLN_L, 80 },
	{ A, HLN_N, 60 },
	{ B, HLN_N, 55 },
	{ C, HLN_N, 50 },
	{ E, HLN_N, 57 },
};

static struct agg_input
input(int nc, int nr, const struct agg_sheet *s, int ns, int positions)
{
	struct agg_input in;

	memset(&in, 0, sizeof(in));
	in.ncands = nc;
	in.nraters = nr;
	in.sheets = s;
	in.nsheets = ns;
	in.positions = positions;
	return (in);
}

static void
run_ridge(int nc, int nr, const struct agg_sheet *s, int ns, double lambda,
    struct agg_result *out)
{
	struct agg_input in = input(nc, nr, s, ns, 2);

	assert_int_equal(agg_phase_ridge(&in, lambda, out), 0);
	assert_int_equal(out->ncands, nc);
	assert_int_equal(out->nraters, nr);
}

static void
run(int nc, int nr, const struct agg_sheet *s, int ns, struct agg_result *out)
{
	run_ridge(nc, nr, s, ns, AGG_LAMBDA, out);
	assert_true(out->lambda == AGG_LAMBDA);
}

/* Every number the header promises is finite, and the leniencies sum. */
static void
check_defined(const struct agg_result *r)
{
	double sum;
	int    i, g;

	assert_true(isfinite(r->mean));
	assert_true(isfinite(r->sigma) && r->sigma >= 0);
	assert_string_equal(r->reliability_method, AGG_RELIABILITY_METHOD);
	for (i = 0; i < r->ncands; i++) {
		const struct agg_cand *c = &r->cands[i];

		assert_true(isfinite(c->mean) && isfinite(c->median));
		assert_true(isfinite(c->sd) && isfinite(c->min));
		assert_true(isfinite(c->max) && isfinite(c->adjusted));
		assert_true(isfinite(c->se) && c->se >= 0);
		assert_true(c->lo >= 0 && c->lo <= c->hi && c->hi <= 100);
		assert_true(c->borda >= 0 && c->borda <= 1);
		if (c->n == 0) {
			assert_int_equal(c->group, -1);
			assert_int_equal(c->rank_adjusted, 0);
			assert_true(c->adjusted == 0 && c->se == 0);
		} else {
			assert_true(c->group >= 0 && c->group < r->groups);
			assert_true(c->rank_adjusted >= 1 && c->rank_raw >= 1);
			assert_true(c->rank_borda >= 1);
		}
	}
	for (g = 0; g < r->groups; g++) {
		sum = 0;
		for (i = 0; i < r->nraters; i++)
			if (r->raters[i].group == g)
				sum += r->raters[i].leniency;
		assert_true(fabs(sum) < EPS);
	}
	for (i = 0; i < r->nraters; i++) {
		assert_true(isfinite(r->raters[i].leniency));
		if (r->raters[i].n == 0) {
			assert_int_equal(r->raters[i].group, -1);
			assert_true(r->raters[i].leniency == 0);
		}
	}
}

/*
 * 3 candidates by 2 raters, rater 1 giving 10 more than rater 0 to each:
 *
 *	rater 0: 50 60 70	mean 60
 *	rater 1: 60 70 80	mean 70		grand mean 65
 *
 * In a complete design theta is the candidate's mean (55, 65, 75) and
 * b_r = C / (C + lambda) * (rater mean - grand mean) = 3 / (3 + lambda)
 * * -+5: with lambda 0, -5 and +5, so the difference of 10 comes back
 * exactly; with lambda 2, -3 and +3 (difference 6, the shrink factor
 * 3/5). The residuals are then y - theta - b = -+2 on every sheet, RSS 24
 * over 6 - (3 + 2 - 1) = 2 degrees of freedom: sigma = sqrt(12).
 */
static void
test_complete_design_recovers_leniency(void **state)
{
	static const struct agg_sheet s[] = {
		{ 0, 0, 50 },
		{ 1, 0, 60 },
		{ 2, 0, 70 },
		{ 0, 1, 60 },
		{ 1, 1, 70 },
		{ 2, 1, 80 },
	};
	struct agg_result r;

	(void)state;
	run_ridge(3, 2, s, 6, 0.0, &r);
	check_defined(&r);
	assert_near(r.raters[0].leniency, -5, EPS);
	assert_near(r.raters[1].leniency, 5, EPS);
	assert_near(r.cands[0].adjusted, 55, EPS);
	assert_near(r.cands[1].adjusted, 65, EPS);
	assert_near(r.cands[2].adjusted, 75, EPS);
	assert_near(r.sigma, 0, EPS);
	assert_near(r.mean, 65, EPS);
	assert_int_equal(r.groups, 1);
	assert_string_equal(r.warning, "");
	agg_result_free(&r);

	run(3, 2, s, 6, &r);
	check_defined(&r);
	assert_near(r.raters[0].leniency, -5 * 3 / (3 + AGG_LAMBDA), EPS);
	assert_near(r.raters[1].leniency, 5 * 3 / (3 + AGG_LAMBDA), EPS);
	assert_near(r.raters[0].leniency, -3, EPS);
	assert_near(r.cands[0].adjusted, 55, EPS);
	assert_near(r.cands[2].adjusted, 75, EPS);
	assert_near(r.sigma, sqrt(12), EPS);
	assert_int_equal(r.raters[0].n, 3);
	assert_int_equal(r.cands[1].n, 2);
	agg_result_free(&r);
}

/*
 * The design hln above. Without noise the model fits every sheet exactly
 * with b = (-10, +10, 0), which sums to zero, so with lambda 0 that is the
 * unique solution and theta is the truth: A 60, B 55, C 50, D 70, where
 * the raw means are A 55, B 60, C 50, D 70 and put B above A. With the
 * default shrinkage the leniencies are smaller but the order is still
 * right.
 */
static void
test_unbalanced_adjusted_order_beats_raw_mean(void **state)
{
	struct agg_result r;

	(void)state;
	run_ridge(4, 3, hln, 9, 0.0, &r);
	check_defined(&r);
	assert_near(r.raters[HLN_H].leniency, -10, EPS);
	assert_near(r.raters[HLN_L].leniency, 10, EPS);
	assert_near(r.raters[HLN_N].leniency, 0, EPS);
	assert_near(r.cands[A].adjusted, 60, EPS);
	assert_near(r.cands[B].adjusted, 55, EPS);
	assert_near(r.cands[C].adjusted, 50, EPS);
	assert_near(r.cands[D].adjusted, 70, EPS);
	assert_near(r.cands[A].mean, 55, EPS);
	assert_near(r.cands[B].mean, 60, EPS);
	assert_int_equal(r.cands[A].rank_adjusted, 2);
	assert_int_equal(r.cands[B].rank_adjusted, 3);
	assert_int_equal(r.cands[A].rank_raw, 3);
	assert_int_equal(r.cands[B].rank_raw, 2);
	assert_true(r.iterations >= 1);
	agg_result_free(&r);

	run(4, 3, hln, 9, &r);
	check_defined(&r);
	assert_true(r.raters[HLN_H].leniency < -5);
	assert_true(r.raters[HLN_H].leniency > -10);
	assert_true(r.raters[HLN_L].leniency > 5);
	assert_true(r.raters[HLN_L].leniency < 10);
	assert_true(r.cands[A].adjusted > r.cands[B].adjusted);
	assert_int_equal(r.cands[D].rank_adjusted, 1);
	assert_int_equal(r.cands[A].rank_adjusted, 2);
	assert_int_equal(r.cands[B].rank_adjusted, 3);
	assert_int_equal(r.cands[C].rank_adjusted, 4);
	agg_result_free(&r);
}

/* Adds c to every score of rater r. */
static void
shift(struct agg_sheet *s, int n, int rater, double c)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i].rater == rater)
			s[i].score += c;
}

/*
 * The header's first exact case. 4 candidates by 3 raters with noise;
 * adding c = 7 to rater 1 raises its leniency relative to each other
 * rater by c * C / (C + lambda) = 7 * 4 / 6, and every adjusted score by
 * c / R = 7 / 3: the adjusted scores are the raw means, and a raw mean
 * over all three raters takes a third of the shift.
 */
static void
test_shift_in_complete_design(void **state)
{
	struct agg_sheet  s[12];
	struct agg_result r0, r1;
	static const int  v[12] = { 62, 48, 71, 55, 66, 59, 80, 61, 52, 40, 64,
		 49 };
	const double	  c = 7;
	int		  i, k;

	(void)state;
	for (i = 0; i < 12; i++) {
		s[i].cand = i % 4;
		s[i].rater = i / 4;
		s[i].score = v[i];
	}
	run(4, 3, s, 12, &r0);
	shift(s, 12, 1, c);
	run(4, 3, s, 12, &r1);
	for (k = 0; k < 3; k++) {
		if (k == 1)
			continue;
		assert_near((r1.raters[1].leniency - r1.raters[k].leniency) -
			(r0.raters[1].leniency - r0.raters[k].leniency),
		    c * 4 / (4 + AGG_LAMBDA), EPS);
	}
	for (i = 0; i < 4; i++) {
		assert_near(
		    r1.cands[i].adjusted - r0.cands[i].adjusted, c / 3, EPS);
		assert_near(r1.cands[i].adjusted, r1.cands[i].mean, EPS);
		assert_int_equal(
		    r1.cands[i].rank_adjusted, r0.cands[i].rank_adjusted);
	}
	agg_result_free(&r0);
	agg_result_free(&r1);
}

/*
 * The header's second exact case: lambda 0 on the incomplete design
 * hln_e, connected. Shifting the neutral rater by c = -6 gives the
 * solution b + c e_N - c / 3 and theta + c / 3: it has the same residuals,
 * its leniencies still sum to zero, so it is the solution. Its leniency
 * moves by exactly c relative to the others and every adjusted score by
 * c / 3.
 */
static void
test_shift_without_shrinkage_in_incomplete_design(void **state)
{
	struct agg_sheet  s[11];
	struct agg_result r0, r1;
	const double	  c = -6;
	int		  i, k;

	(void)state;
	memcpy(s, hln_e, sizeof(s));
	run_ridge(5, 3, s, 11, 0.0, &r0);
	shift(s, 11, HLN_N, c);
	run_ridge(5, 3, s, 11, 0.0, &r1);
	for (k = 0; k < 3; k++)
		assert_near(r1.raters[k].leniency - r0.raters[k].leniency,
		    (k == HLN_N ? c : 0) - c / 3, EPS);
	for (i = 0; i < 5; i++)
		assert_near(
		    r1.cands[i].adjusted - r0.cands[i].adjusted, c / 3, EPS);
	agg_result_free(&r0);
	agg_result_free(&r1);
}

/*
 * With the default lambda in the incomplete design the shrinkage keeps
 * part of the shift out of the rater's leniency (as it must for a rater
 * with few sheets): the lenient rater L (3 sheets) gets c = 5 more on
 * each; its leniency relative to N rises by a fraction of c strictly
 * between 0 and 1 (0.56 here, where a complete design with 3 candidates
 * would give 3 / (3 + 2) = 0.6), smaller again with a larger lambda. The
 * rest of the shift reaches the candidates L scored (B, C, D rise by 1.67
 * to 2.04) more than those it did not (A and E, 0.93), so here B passes
 * A, which with the truth A 60, B 55 is the price of shrinking a rater
 * seen on three sheets. Every adjusted score rises by between 0 and c.
 */
static void
test_shift_with_shrinkage_is_partly_absorbed(void **state)
{
	struct agg_sheet  s[11];
	struct agg_result r0, r1, r2, r3;
	const double	  c = 5;
	double		  f, f_strong, d;
	int		  i;

	(void)state;
	memcpy(s, hln_e, sizeof(s));
	run(5, 3, s, 11, &r0);
	run_ridge(5, 3, s, 11, 4 * AGG_LAMBDA, &r2);
	shift(s, 11, HLN_L, c);
	run(5, 3, s, 11, &r1);
	run_ridge(5, 3, s, 11, 4 * AGG_LAMBDA, &r3);
	f = ((r1.raters[HLN_L].leniency - r1.raters[HLN_N].leniency) -
		(r0.raters[HLN_L].leniency - r0.raters[HLN_N].leniency)) /
	    c;
	f_strong =
	    ((r3.raters[HLN_L].leniency - r3.raters[HLN_N].leniency) -
		(r2.raters[HLN_L].leniency - r2.raters[HLN_N].leniency)) /
	    c;
	assert_true(f > 0 && f < 1);
	assert_true(f_strong > 0 && f_strong < f);
	for (i = 0; i < 5; i++) {
		d = r1.cands[i].adjusted - r0.cands[i].adjusted;
		assert_true(d > 0 && d < c);
		if (i == A || i == E)
			continue;
		/* L scored B, C and D. */
		assert_true(d > r1.cands[A].adjusted - r0.cands[A].adjusted);
		assert_true(d > r1.cands[E].adjusted - r0.cands[E].adjusted);
	}
	agg_result_free(&r0);
	agg_result_free(&r1);
	agg_result_free(&r2);
	agg_result_free(&r3);
}

/* A small deterministic generator for the random designs. */
static uint64_t
next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* A random design: each candidate by k distinct raters, scores 0..100. */
static int
random_design(
    uint64_t *seed, int nc, int nr, int k, struct agg_sheet *s, int cap)
{
	int c, j, n = 0, r, used[64];

	assert_true(nr <= 64 && k <= nr);
	for (c = 0; c < nc; c++) {
		memset(used, 0, sizeof(used));
		for (j = 0; j < k && n < cap; j++) {
			do
				r = (int)(next(seed) % (uint64_t)nr);
			while (used[r]);
			used[r] = 1;
			s[n].cand = c;
			s[n].rater = r;
			s[n].score = (double)(next(seed) % 10001) / 100.0;
			n++;
		}
	}
	return (n);
}

static void
assert_results_identical(const struct agg_result *x, const struct agg_result *y)
{
	assert_int_equal(x->ncands, y->ncands);
	assert_int_equal(x->nraters, y->nraters);
	assert_memory_equal(x->cands, y->cands, sizeof(*x->cands) * x->ncands);
	assert_memory_equal(
	    x->raters, y->raters, sizeof(*x->raters) * x->nraters);
	assert_int_equal(x->groups, y->groups);
	assert_memory_equal(&x->mean, &y->mean, sizeof(double));
	assert_memory_equal(&x->reliability, &y->reliability, sizeof(double));
	assert_memory_equal(&x->sigma, &y->sigma, sizeof(double));
	assert_int_equal(x->iterations, y->iterations);
	assert_string_equal(x->warning, y->warning);
}

/* Shuffled sheets give a bitwise identical result (memcmp). */
static void
test_permuting_sheets_changes_nothing(void **state)
{
	struct agg_sheet  s[120], t;
	struct agg_result r0, r1;
	uint64_t	  seed = 42;
	int		  n, i, j, round;

	(void)state;
	/* Candidates 30..34 and rater 9 left without sheets. */
	n = random_design(&seed, 30, 9, 4, s, 120);
	run(35, 10, s, n, &r0);
	check_defined(&r0);
	for (round = 0; round < 20; round++) {
		for (i = n - 1; i > 0; i--) {
			j = (int)(next(&seed) % (uint64_t)(i + 1));
			t = s[i];
			s[i] = s[j];
			s[j] = t;
		}
		run(35, 10, s, n, &r1);
		assert_results_identical(&r0, &r1);
		agg_result_free(&r1);
	}
	agg_result_free(&r0);
}

/*
 * The normal equations hold on random designs: for each candidate the
 * residuals sum to zero, and for each rater they sum to lambda * b_r.
 */
static void
test_solution_satisfies_normal_equations(void **state)
{
	struct agg_sheet    s[600];
	struct agg_result   r;
	double		    res[600], sum;
	uint64_t	    seed = 7;
	int		    n, i, k, round;
	static const double lambdas[] = { 0, 0.5, AGG_LAMBDA, 10 };

	(void)state;
	for (round = 0; round < 4; round++) {
		n = random_design(&seed, 150, 20, 3, s, 600);
		run_ridge(150, 20, s, n, lambdas[round], &r);
		check_defined(&r);
		for (i = 0; i < n; i++)
			res[i] = s[i].score - r.cands[s[i].cand].adjusted -
			    r.raters[s[i].rater].leniency;
		for (k = 0; k < 150; k++) {
			sum = 0;
			for (i = 0; i < n; i++)
				if (s[i].cand == k)
					sum += res[i];
			assert_true(fabs(sum) < 1e-7);
		}
		for (k = 0; k < 20; k++) {
			sum = 0;
			for (i = 0; i < n; i++)
				if (s[i].rater == k)
					sum += res[i];
			assert_true(
			    fabs(sum - lambdas[round] * r.raters[k].leniency) <
			    1e-7);
		}
		agg_result_free(&r);
	}
}

/*
 * Candidate 0 with 10, 40, 20, 90: mean 40, median (20 + 40) / 2 = 30,
 * deviations -30, 0, -20, 50, squares 900 + 0 + 400 + 2500 = 3800, sd
 * sqrt(3800 / 3); min 10, max 90. Candidate 1 with 70, 30, 50: median 50.
 */
static void
test_raw_statistics(void **state)
{
	static const struct agg_sheet s[] = {
		{ 0, 0, 10 },
		{ 0, 1, 40 },
		{ 0, 2, 20 },
		{ 0, 3, 90 },
		{ 1, 0, 70 },
		{ 1, 1, 30 },
		{ 1, 2, 50 },
	};
	struct agg_result r;

	(void)state;
	run(2, 4, s, 7, &r);
	check_defined(&r);
	assert_int_equal(r.cands[0].n, 4);
	assert_near(r.cands[0].mean, 40, EPS);
	assert_near(r.cands[0].median, 30, EPS);
	assert_near(r.cands[0].sd, sqrt(3800.0 / 3), EPS);
	assert_near(r.cands[0].min, 10, EPS);
	assert_near(r.cands[0].max, 90, EPS);
	assert_int_equal(r.cands[1].n, 3);
	assert_near(r.cands[1].median, 50, EPS);
	assert_near(r.cands[1].mean, 50, EPS);
	assert_near(r.cands[1].sd, 20, EPS);
	assert_near(r.mean, 310.0 / 7, EPS);
	agg_result_free(&r);
}

/*
 * 2 by 2, rater 0: 50, 70; rater 1: 60, 60. Both rater means are 60, so
 * b = 0 and theta is the raw mean, 55 and 65. Residuals -+5 on each sheet:
 * RSS 100 over 4 - (2 + 2 - 1) = 1 degree of freedom, sigma 10. Then
 * se^2 = sigma^2 / 2 + sigma^2 (1 / (2 + lambda) * 2) / 2^2
 *	= 50 + 50 / (2 + lambda),
 * 62.5 with lambda 2: se 7.906, interval 55 -+ 15.50.
 */
static void
test_standard_error_hand_computed(void **state)
{
	static const struct agg_sheet s[] = {
		{ 0, 0, 50 },
		{ 1, 0, 70 },
		{ 0, 1, 60 },
		{ 1, 1, 60 },
	};
	struct agg_result r;
	double		  se = sqrt(50 + 50 / (2 + AGG_LAMBDA));

	(void)state;
	run(2, 2, s, 4, &r);
	check_defined(&r);
	assert_near(r.sigma, 10, EPS);
	assert_near(r.raters[0].leniency, 0, EPS);
	assert_near(r.cands[0].adjusted, 55, EPS);
	assert_near(r.cands[0].se, se, EPS);
	assert_near(r.cands[1].se, se, EPS);
	assert_near(r.cands[0].lo, 55 - 1.96 * se, EPS);
	assert_near(r.cands[0].hi, 55 + 1.96 * se, EPS);
	agg_result_free(&r);
}

/*
 * Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the
 * example with 4 observers, 12 units and missing values (* below):
 *
 *	A: 1 2 3 3 2 1 4 1 2 * * *
 *	B: 1 2 3 3 2 2 4 1 2 5 * 3
 *	C: * 3 3 3 2 3 4 2 2 5 1 *
 *	D: 1 2 3 3 2 4 4 1 2 5 1 *
 *
 * Unit 12 has one value and is not pairable, so n = 40. The paper gives
 * alpha 0.849 for the interval metric. The test also counts it directly:
 * D_o = (1/n) sum over units of sum over ordered pairs (i, j) in the unit
 * of (v_i - v_j)^2 / (m_u - 1), D_e = sum over ordered pairs of pairable
 * values of (v_i - v_j)^2 / (n (n - 1)), alpha = 1 - D_o / D_e.
 */
static double
alpha_pairwise(const struct agg_sheet *s, int ns, int nc)
{
	double do_sum = 0, de_sum = 0, d;
	int    i, j, m[64] = { 0 }, n = 0;

	assert_true(nc <= 64);
	for (i = 0; i < ns; i++)
		m[s[i].cand]++;
	for (i = 0; i < ns; i++) {
		if (m[s[i].cand] < 2)
			continue;
		n++;
		for (j = 0; j < ns; j++) {
			if (j == i || m[s[j].cand] < 2)
				continue;
			d = (s[i].score - s[j].score) *
			    (s[i].score - s[j].score);
			de_sum += d;
			if (s[j].cand == s[i].cand)
				do_sum += d / (m[s[i].cand] - 1);
		}
	}
	return (1 - (do_sum / n) / (de_sum / ((double)n * (n - 1))));
}

static void
test_krippendorff_textbook_example(void **state)
{
	/* Rows A..D, columns units 1..12; 0 is a missing value. */
	static const int v[4][12] = {
		{ 1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0 },
		{ 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3 },
		{ 0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0 },
		{ 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0 },
	};
	struct agg_sheet  s[48];
	struct agg_result r;
	int		  i, j, n = 0;

	(void)state;
	for (i = 0; i < 4; i++)
		for (j = 0; j < 12; j++)
			if (v[i][j] != 0) {
				s[n].cand = j;
				s[n].rater = i;
				s[n].score = v[i][j];
				n++;
			}
	assert_int_equal(n, 41);
	run(12, 4, s, n, &r);
	check_defined(&r);
	assert_string_equal(
	    r.reliability_method, "krippendorff_alpha_interval");
	assert_near(r.reliability, 0.849, 0.0005);
	assert_near(r.reliability, alpha_pairwise(s, n, 12), EPS);
	agg_result_free(&r);
}

/* The same direct count on random incomplete designs. */
static void
test_krippendorff_against_pairwise_count(void **state)
{
	struct agg_sheet  s[64];
	struct agg_result r;
	uint64_t	  seed = 99;
	int		  n, round;

	(void)state;
	for (round = 0; round < 10; round++) {
		/* Some candidates get one sheet only, some none. */
		n = random_design(&seed, 20, 6, 2, s, 40);
		n -= 7;
		run(24, 6, s, n, &r);
		assert_near(r.reliability, alpha_pairwise(s, n, 24), EPS);
		agg_result_free(&r);
	}
}

static void
test_no_sheets(void **state)
{
	struct agg_input  in = input(3, 2, NULL, 0, 2);
	struct agg_result r;
	int		  i;

	(void)state;
	assert_int_equal(agg_phase(&in, &r), 0);
	check_defined(&r);
	assert_int_equal(r.groups, 0);
	assert_near(r.mean, 0, 0);
	assert_true(isnan(r.reliability));
	assert_string_equal(r.warning, "");
	assert_int_equal(r.iterations, 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(r.cands[i].n, 0);
		assert_int_equal(r.cands[i].rank_raw, 0);
		assert_int_equal(r.cands[i].method_sensitive, 0);
	}
	agg_result_free(&r);

	/* Nothing at all. */
	in = input(0, 0, NULL, 0, 1);
	assert_int_equal(agg_phase(&in, &r), 0);
	assert_int_equal(r.groups, 0);
	agg_result_free(&r);
}

/*
 * One rater: its leniency is 0 (it is the average rater), the adjusted
 * scores are its scores, no unit has two values so alpha is NaN, and with
 * no degree of freedom left sigma is AGG_SIGMA_NONE: se^2 = sigma^2 (1 +
 * 1 / (3 + lambda)) for each candidate.
 */
static void
test_one_rater(void **state)
{
	static const struct agg_sheet s[] = {
		{ 0, 0, 30 },
		{ 1, 0, 90 },
		{ 2, 0, 60 },
	};
	struct agg_result r;

	(void)state;
	run(3, 1, s, 3, &r);
	check_defined(&r);
	assert_int_equal(r.groups, 1);
	assert_near(r.raters[0].leniency, 0, 0);
	assert_near(r.cands[0].adjusted, 30, EPS);
	assert_near(r.cands[1].adjusted, 90, EPS);
	assert_true(isnan(r.reliability));
	assert_near(r.sigma, AGG_SIGMA_NONE, 0);
	assert_near(r.cands[1].se,
	    AGG_SIGMA_NONE * sqrt(1 + 1 / (3 + AGG_LAMBDA)), EPS);
	assert_near(r.cands[1].hi, 100, 0);
	assert_int_equal(r.cands[1].rank_adjusted, 1);
	assert_int_equal(r.cands[2].rank_adjusted, 2);
	assert_int_equal(r.cands[0].rank_adjusted, 3);
	/* One rater's ordering is all Borda has: 0, 1, 0.5. */
	assert_near(r.cands[0].borda, 0, 0);
	assert_near(r.cands[1].borda, 1, 0);
	assert_near(r.cands[2].borda, 0.5, 0);
	assert_int_equal(r.cands[0].disagree, 0);
	agg_result_free(&r);
}

/*
 * Every score 73.1 (not a binary fraction): means exactly 73.1, spread
 * exactly 0, leniencies exactly 0, sigma 0, se 0, alpha NaN (no expected
 * disagreement), and every candidate ties, so ranks follow the index.
 */
static void
test_all_equal_scores(void **state)
{
	struct agg_sheet  s[12];
	struct agg_result r;
	int		  i;

	(void)state;
	for (i = 0; i < 12; i++) {
		s[i].cand = i % 4;
		s[i].rater = i / 4;
		s[i].score = 73.1;
	}
	run(4, 3, s, 12, &r);
	check_defined(&r);
	assert_true(isnan(r.reliability));
	assert_true(r.mean == 73.1);
	for (i = 0; i < 3; i++)
		assert_true(r.raters[i].leniency == 0);
	for (i = 0; i < 4; i++) {
		assert_true(r.cands[i].adjusted == 73.1);
		assert_true(r.cands[i].sd == 0);
		assert_true(r.cands[i].se == 0);
		assert_true(r.cands[i].median == 73.1);
		assert_int_equal(r.cands[i].rank_adjusted, i + 1);
		assert_int_equal(r.cands[i].rank_raw, i + 1);
		assert_int_equal(r.cands[i].rank_borda, i + 1);
		assert_near(r.cands[i].borda, 0.5, 0);
		assert_int_equal(r.cands[i].disagree, 0);
		assert_int_equal(r.cands[i].method_sensitive, 0);
	}
	agg_result_free(&r);
}

/*
 * Raters 0 and 1 agree exactly on candidates 0, 1, 2 (50, 60, 70); rater
 * 2 scored candidate 0 only, 80. By symmetry b0 = b1 = beta and, summing
 * to zero, b2 = -2 beta. Candidate 0's equation: theta0 = (50 - beta + 50
 * - beta + 80 + 2 beta) / 3 = 60 whatever beta. Rater 2's: 80 - 60 - b2 =
 * lambda b2, so b2 = 20 / (1 + lambda). Rater 0's: (50 - 60 - beta) + (60
 * - theta1 - beta) + (70 - theta2 - beta) = lambda beta with theta1 = 60
 * - beta, theta2 = 70 - beta, so -10 - beta = lambda beta and beta = -10 /
 * (1 + lambda), consistent. With lambda 2: b2 = 6.67 of the 20 points it
 * stands above the others, beta = -3.33, theta1 = 63.33.
 */
static void
test_rater_with_one_sheet_moves_little(void **state)
{
	static const struct agg_sheet s[] = {
		{ 0, 0, 50 },
		{ 1, 0, 60 },
		{ 2, 0, 70 },
		{ 0, 1, 50 },
		{ 1, 1, 60 },
		{ 2, 1, 70 },
		{ 0, 2, 80 },
	};
	struct agg_result r;
	const double	  l = AGG_LAMBDA;

	(void)state;
	run(3, 3, s, 7, &r);
	check_defined(&r);
	assert_int_equal(r.raters[2].n, 1);
	assert_near(r.raters[2].leniency, 20 / (1 + l), EPS);
	assert_near(r.raters[0].leniency, -10 / (1 + l), EPS);
	assert_near(r.raters[1].leniency, -10 / (1 + l), EPS);
	assert_near(r.cands[0].adjusted, 60, EPS);
	assert_near(r.cands[1].adjusted, 60 + 10 / (1 + l), EPS);
	assert_near(r.cands[2].adjusted, 70 + 10 / (1 + l), EPS);
	agg_result_free(&r);
}

/*
 * Candidate 2 has a single sheet, from rater 0, who also scored the
 * other two with rater 1: n 1, sd 0, median = mean = min = max = its score, a finite se, no
 * disagreement, and Borda from rater 0's ordering.
 */
static void
test_candidate_with_one_sheet(void **state)
{
	static const struct agg_sheet s[] = {
		{ 0, 0, 50 },
		{ 1, 0, 60 },
		{ 0, 1, 55 },
		{ 1, 1, 75 },
		{ 2, 0, 80 },
	};
	struct agg_result r;

	(void)state;
	run(3, 2, s, 5, &r);
	check_defined(&r);
	assert_int_equal(r.cands[2].n, 1);
	assert_true(r.cands[2].sd == 0);
	assert_true(r.cands[2].median == 80 && r.cands[2].min == 80);
	assert_true(r.cands[2].max == 80 && r.cands[2].mean == 80);
	assert_true(r.cands[2].se > 0);
	assert_int_equal(r.cands[2].disagree, 0);
	/* Rater 0: 50 < 60 < 80, so candidate 2 beats both of its others. */
	assert_near(r.cands[2].borda, 1, 0);
	/* It takes its only rater's leniency out: 80 - b0. */
	assert_near(r.cands[2].adjusted, 80 - r.raters[0].leniency, EPS);
	assert_int_equal(r.groups, 1);
	agg_result_free(&r);
}

/*
 * Raters 0 and 2 scored candidates 0, 1, 2; raters 1 and 3 scored 3 and
 * 4; rater 4 nothing. Two groups, numbered by their lowest rater, each
 * with leniencies summing to zero, and a warning that names them.
 */
static void
test_disconnected_design_warns_naming_groups(void **state)
{
	static const struct agg_sheet s[] = {
		{ 0, 0, 50 },
		{ 1, 0, 60 },
		{ 2, 0, 70 },
		{ 0, 2, 70 },
		{ 1, 2, 75 },
		{ 2, 2, 90 },
		{ 3, 1, 40 },
		{ 4, 1, 45 },
		{ 3, 3, 60 },
		{ 4, 3, 50 },
	};
	struct agg_result r;

	(void)state;
	run(6, 5, s, 10, &r);
	check_defined(&r);
	assert_int_equal(r.groups, 2);
	assert_int_equal(r.raters[0].group, 0);
	assert_int_equal(r.raters[2].group, 0);
	assert_int_equal(r.raters[1].group, 1);
	assert_int_equal(r.raters[3].group, 1);
	assert_int_equal(r.raters[4].group, -1);
	assert_int_equal(r.cands[0].group, 0);
	assert_int_equal(r.cands[4].group, 1);
	assert_int_equal(r.cands[5].group, -1);
	assert_string_equal(r.warning,
	    "The raters fall into 2 groups with no candidate in common, so "
	    "their scores cannot be compared across groups: raters 0, 2 (3 "
	    "candidates); raters 1, 3 (2 candidates).");
	/*
	 * Each group is complete, so b = C / (C + lambda) * (rater mean -
	 * mean of the group's rater means). Group 0: rater 0 averages 60,
	 * rater 2 (70 + 75 + 90) / 3 = 235 / 3, offsets -+(235 / 3 - 60) / 2.
	 * Group 1: rater 1 averages 42.5, rater 3 55, offsets -+6.25.
	 */
	assert_near(r.raters[2].leniency,
	    3 / (3 + AGG_LAMBDA) * (235.0 / 3 - 60) / 2, EPS);
	assert_near(
	    r.raters[3].leniency, 2 / (2 + AGG_LAMBDA) * (55 - 42.5) / 2, EPS);
	agg_result_free(&r);
}

/* Many one-pair groups: the warning is cut with "..." and stays a string. */
static void
test_long_warning_is_cut(void **state)
{
	struct agg_sheet  s[100];
	struct agg_result r;
	size_t		  len;
	int		  i;

	(void)state;
	for (i = 0; i < 100; i++) {
		s[i].cand = i;
		s[i].rater = i;
		s[i].score = 50;
	}
	run(100, 100, s, 100, &r);
	check_defined(&r);
	assert_int_equal(r.groups, 100);
	len = strlen(r.warning);
	assert_true(len < sizeof(r.warning));
	assert_true(len > 200);
	assert_string_equal(r.warning + len - 3, "...");
	assert_non_null(strstr(r.warning, "100 groups"));
	agg_result_free(&r);
}

/*
 * Rater 0 scored A 80, B 60, C 60: A beats both others, 2/2 = 1; B and C
 * beat nobody and tie once, (0 + 0.5) / 2 = 0.25. Rater 1 scored B 70,
 * C 50: B 1/1, C 0. Borda: A 1, B (0.25 + 1) / 2 = 0.625, C (0.25 + 0) /
 * 2 = 0.125. Candidate 3 was scored by rater 2 only, who scored nothing
 * else: 0.5.
 */
static void
test_borda_hand_computed(void **state)
{
	static const struct agg_sheet s[] = {
		{ 0, 0, 80 },
		{ 1, 0, 60 },
		{ 2, 0, 60 },
		{ 1, 1, 70 },
		{ 2, 1, 50 },
		{ 3, 2, 40 },
	};
	struct agg_result r;

	(void)state;
	run(4, 3, s, 6, &r);
	check_defined(&r);
	assert_near(r.cands[0].borda, 1, EPS);
	assert_near(r.cands[1].borda, 0.625, EPS);
	assert_near(r.cands[2].borda, 0.125, EPS);
	assert_near(r.cands[3].borda, 0.5, EPS);
	assert_int_equal(r.cands[0].rank_borda, 1);
	assert_int_equal(r.cands[1].rank_borda, 2);
	assert_int_equal(r.cands[3].rank_borda, 3);
	assert_int_equal(r.cands[2].rank_borda, 4);
	assert_int_equal(r.groups, 2);
	agg_result_free(&r);
}

/*
 * hln with lambda 0. Adjusted D 70, A 60, B 55, C 50: places D1 A2 B3 C4.
 * Raw D 70, B 60, A 55, C 50: D1 B2 A3 C4. Borda: H ranks C < A < D (A
 * 0.5, D 1), L ranks C < B < D (B 0.5), N ranks C < B < A (A 1, B 0.5):
 * A 0.75, B 0.5, C 0, D 1, so D1 A2 B3 C4. No place moves by 2, so with
 * one position nobody is flagged; with two, A and B are on different
 * sides of the line under the raw mean and both are.
 */
static void
test_method_sensitive_at_the_line(void **state)
{
	struct agg_input  in = input(4, 3, hln, 9, 1);
	struct agg_result r;

	(void)state;
	assert_int_equal(agg_phase_ridge(&in, 0.0, &r), 0);
	assert_near(r.cands[A].borda, 0.75, EPS);
	assert_near(r.cands[B].borda, 0.5, EPS);
	assert_int_equal(r.cands[A].rank_borda, 2);
	assert_int_equal(r.cands[A].method_sensitive, 0);
	assert_int_equal(r.cands[B].method_sensitive, 0);
	agg_result_free(&r);

	in.positions = 2;
	assert_int_equal(agg_phase_ridge(&in, 0.0, &r), 0);
	assert_int_equal(r.cands[A].method_sensitive, 1);
	assert_int_equal(r.cands[B].method_sensitive, 1);
	assert_int_equal(r.cands[C].method_sensitive, 0);
	assert_int_equal(r.cands[D].method_sensitive, 0);
	agg_result_free(&r);
}

/*
 * hln_e with lambda 0: adjusted D70 A60 E57 B55 C50 (B 4th), raw D70 B60
 * A55 E52 C50 (B 2nd): B moves by two places and is flagged whatever the
 * line. A (2, 3, 2) and E (3, 4, 3) move by one and, with one position,
 * are not.
 */
static void
test_method_sensitive_by_two_places(void **state)
{
	struct agg_input  in = input(5, 3, hln_e, 11, 1);
	struct agg_result r;

	(void)state;
	assert_int_equal(agg_phase_ridge(&in, 0.0, &r), 0);
	assert_int_equal(r.cands[B].rank_adjusted, 4);
	assert_int_equal(r.cands[B].rank_raw, 2);
	assert_int_equal(r.cands[B].method_sensitive, 1);
	assert_int_equal(r.cands[A].rank_adjusted, 2);
	assert_int_equal(r.cands[A].rank_raw, 3);
	assert_int_equal(r.cands[A].method_sensitive, 0);
	assert_int_equal(r.cands[E].rank_adjusted, 3);
	assert_int_equal(r.cands[E].rank_raw, 4);
	assert_int_equal(r.cands[E].method_sensitive, 0);
	assert_int_equal(r.cands[D].method_sensitive, 0);
	agg_result_free(&r);
}

/*
 * Disagreement is judged after leniency is taken out.
 *  - 2 by 2 crossed, 40/70 and 70/40: both rater means 55, b = 0; each
 *    candidate's sd is 30 / sqrt(2) = 21.2 > 15: flagged.
 *  - 50/60 and 60/50: sd 7.1, range 10: not.
 *  - Rater 1 always 40 above rater 0 (30 40 50 / 70 80 90): raw range 40,
 *    but b = -+20 * 3 / (3 + lambda) = -+12 leaves a range of 16 and an
 *    sd of 11.3: not flagged.
 */
static void
test_disagreement_flag(void **state)
{
	struct agg_sheet s[6] = {
		{ 0, 0, 40 },
		{ 1, 0, 70 },
		{ 0, 1, 70 },
		{ 1, 1, 40 },
	};
	struct agg_result r;
	int		  i;

	(void)state;
	run(2, 2, s, 4, &r);
	assert_true(r.raters[0].leniency == 0);
	assert_int_equal(r.cands[0].disagree, 1);
	assert_int_equal(r.cands[1].disagree, 1);
	agg_result_free(&r);

	s[0].score = s[3].score = 50;
	s[1].score = s[2].score = 60;
	run(2, 2, s, 4, &r);
	assert_int_equal(r.cands[0].disagree, 0);
	assert_int_equal(r.cands[1].disagree, 0);
	agg_result_free(&r);

	for (i = 0; i < 6; i++) {
		s[i].cand = i % 3;
		s[i].rater = i / 3;
		s[i].score = 30 + 10 * s[i].cand + 40 * s[i].rater;
	}
	run(3, 2, s, 6, &r);
	assert_near(r.cands[0].max - r.cands[0].min, 40, EPS);
	assert_near(r.raters[1].leniency, 20 * 3 / (3 + AGG_LAMBDA), EPS);
	for (i = 0; i < 3; i++)
		assert_int_equal(r.cands[i].disagree, 0);
	agg_result_free(&r);
}

/*
 * The range rule alone. Six raters on two candidates: rater 0 gives
 * candidate 1 x and candidate 0 50, rater 5 the reverse, the others 50 to
 * both. Raters 0 and 5 have the same mean, so they get the same b, and
 * candidate 0's corrected scores are 50 - b, 50 - b' (four times), x - b:
 * range x - 50 exactly as in the raw scores, while the sd stays under 15
 * (10.6 for x = 81). So x = 80.5 is flagged (range 30.5) and x = 79.5 not.
 */
static void
test_disagreement_by_range(void **state)
{
	struct agg_sheet    s[12];
	struct agg_result   r;
	int		    i, k;
	static const double xs[2] = { 80.5, 79.5 };

	(void)state;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 12; i++) {
			s[i].cand = i % 2;
			s[i].rater = i / 2;
			s[i].score = 50;
		}
		s[1].score = xs[k];  /* rater 0, candidate 1 */
		s[10].score = xs[k]; /* rater 5, candidate 0 */
		run(2, 6, s, 12, &r);
		assert_true(r.cands[0].sd < AGG_DISAGREE_SD);
		assert_int_equal(r.cands[0].disagree, k == 0);
		assert_int_equal(r.cands[1].disagree, k == 0);
		agg_result_free(&r);
	}
}

/*
 * Screening 30, interview 70. Both: (30 * 60 + 70 * 80) / 100 = 74.
 * Interview missing: 60, incomplete. A missing phase of weight 0 does not
 * make it incomplete. Neither: NaN.
 */
static void
test_composite_with_missing_phase(void **state)
{
	const double adj[2] = { 60, 80 };
	const int    w[2] = { 30, 70 }, w0[2] = { 30, 0 };
	int	     have[2] = { 1, 1 }, complete = -1;

	(void)state;
	assert_near(agg_composite(2, adj, have, w, &complete), 74, EPS);
	assert_int_equal(complete, 1);
	have[1] = 0;
	assert_near(agg_composite(2, adj, have, w, &complete), 60, EPS);
	assert_int_equal(complete, 0);
	assert_near(agg_composite(2, adj, have, w0, &complete), 60, EPS);
	assert_int_equal(complete, 1);
	have[0] = 0;
	assert_true(isnan(agg_composite(2, adj, have, w, &complete)));
	assert_int_equal(complete, 0);
	assert_true(isnan(agg_composite(2, adj, have, w, NULL)));
	assert_true(isnan(agg_composite(0, adj, have, w, &complete)));
	assert_true(isnan(agg_composite(2, NULL, have, w, &complete)));
}

/*
 * The tie rule against arithmetic noise. Scores a = 0, b = 100/24 and
 * c = 400/24, given in opposite orders: candidate 0 gets c, b, a from
 * raters 0, 1, 2 and candidate 1 gets a, b, c. On paper the means are
 * equal; summed in rater order they differ in the last place (candidate
 * 1's is the larger). Within AGG_TIE_EPSILON they are tied, under every
 * method, and go to the lower index: candidate 0 first everywhere, and
 * nobody is flagged.
 */
static void
test_noise_does_not_order_ties(void **state)
{
	const double	 a = 0.0, b = 100.0 / 24, c = 400.0 / 24;
	struct agg_sheet s[6] = {
		{ 0, 0, c },
		{ 0, 1, b },
		{ 0, 2, a },
		{ 1, 0, a },
		{ 1, 1, b },
		{ 1, 2, c },
	};
	struct agg_result r;

	(void)state;
	run(2, 3, s, 6, &r);
	assert_true(r.cands[1].mean > r.cands[0].mean);
	assert_true(r.cands[1].mean - r.cands[0].mean < AGG_TIE_EPSILON);
	assert_int_equal(r.cands[0].rank_raw, 1);
	assert_int_equal(r.cands[1].rank_raw, 2);
	assert_int_equal(r.cands[0].rank_adjusted, 1);
	assert_int_equal(r.cands[1].rank_adjusted, 2);
	assert_int_equal(r.cands[0].rank_borda, 1);
	assert_int_equal(r.cands[1].rank_borda, 2);
	assert_int_equal(r.cands[0].method_sensitive, 0);
	assert_int_equal(r.cands[1].method_sensitive, 0);
	agg_result_free(&r);
}

static void
places(const struct agg_rankee *v, int n, const int *want)
{
	int got[8], i;

	assert_true(n <= 8);
	assert_int_equal(agg_places(n, v, got), 0);
	for (i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg(
			    "item %d: place %d, want %d", i, got[i], want[i]);
}

/*
 * agg_places(): higher first; values within AGG_TIE_EPSILON of their
 * neighbour form one run, even when its ends are further apart, so the
 * order never depends on where the noise fell; a run goes by the
 * tiebreak, then by index; a tier comes before any value; NaN is not
 * placed.
 */
static void
test_places_follow_the_tie_rule(void **state)
{
	const double	  eps = AGG_TIE_EPSILON, nan = NAN;
	struct agg_rankee plain[4] = {
		{ 0, 80.0, nan },
		{ 0, 80.0 + eps / 4, nan },
		{ 0, 80.0 - eps / 4, nan },
		{ 0, 79.0, nan },
	};
	struct agg_rankee chain[3] = {
		{ 0, 50.0 + 1.2 * eps, nan },
		{ 0, 50.0 + 0.6 * eps, nan },
		{ 0, 50.0, nan },
	};
	struct agg_rankee broken[4] = {
		{ 0, 70.0, 10.0 },
		{ 0, 70.0, 30.0 },
		{ 0, 70.0 + eps / 2, 20.0 },
		{ 0, 70.0, 30.0 + eps / 2 },
	};
	struct agg_rankee tiers[4] = {
		{ 1, 99.0, nan },
		{ 0, 10.0, nan },
		{ 0, nan, nan },
		{ 1, 50.0, nan },
	};
	static const int want_plain[4] = { 1, 2, 3, 4 };
	static const int want_chain[3] = { 1, 2, 3 };
	static const int want_broken[4] = { 4, 1, 3, 2 };
	static const int want_tiers[4] = { 2, 1, 0, 3 };
	int		 p;

	(void)state;
	places(plain, 4, want_plain);
	/* The chain's ends are 1.2 epsilon apart: one run all the same. */
	places(chain, 3, want_chain);
	places(broken, 4, want_broken);
	places(tiers, 4, want_tiers);
	assert_int_equal(agg_places(0, NULL, NULL), 0);
	assert_int_equal(agg_places(-1, plain, &p), -1);
	assert_int_equal(agg_places(1, NULL, &p), -1);
}

/*
 * The one method flag: a place under the raw mean or the borda two or
 * more from the adjusted one, or across the line. 5th, 4th, 6th is not
 * flagged (each other method is one place from the default); 5th, 3rd,
 * 5th is; with two positions, 2nd, 3rd, 2nd is (across the line) and
 * 3rd, 4th, 3rd is not.
 */
static void
test_the_method_flag_is_anchored_on_the_adjusted_place(void **state)
{
	static const int p546[3] = { 5, 4, 6 }, p535[3] = { 5, 3, 5 };
	static const int p232[3] = { 2, 3, 2 }, p343[3] = { 3, 4, 3 };
	static const int p355[3] = { 3, 5, 5 }, p0[3] = { 0, 0, 0 };

	(void)state;
	assert_int_equal(agg_method_sensitive(p546, 2), 0);
	assert_int_equal(agg_method_sensitive(p535, 2), 1);
	assert_int_equal(agg_method_sensitive(p232, 2), 1);
	assert_int_equal(agg_method_sensitive(p232, 3), 0);
	assert_int_equal(agg_method_sensitive(p343, 2), 0);
	assert_int_equal(agg_method_sensitive(p355, 10), 1);
	assert_int_equal(agg_method_sensitive(p0, 2), 0);
	/* Across the line alone: 5th, 3rd, 5th moves but stays below two
	 * positions; 2nd, 3rd, 2nd crosses; no line, nothing crosses. */
	assert_int_equal(agg_crosses_line(p535, 2), 0);
	assert_int_equal(agg_crosses_line(p232, 2), 1);
	assert_int_equal(agg_crosses_line(p232, 3), 0);
	assert_int_equal(agg_crosses_line(p232, 0), 0);
	assert_int_equal(agg_crosses_line(p0, 2), 0);
	/* No line (0 positions): moves only. */
	assert_int_equal(agg_method_sensitive(p232, 0), 0);
}

/*
 * Over phases (screening 30, interview 70). Candidate 0 has both phases;
 * 1 and 2 only screening, with equal sheets: incomplete, after 0 however
 * high they score, and tied with each other, so 1 goes first. Candidate
 * 3 has no sheets: not placed.
 */
static void
test_the_cycle_ranking(void **state)
{
	struct agg_sheet scr[] = {
		{ 0, 0, 40 },
		{ 0, 1, 50 },
		{ 1, 0, 90 },
		{ 1, 1, 80 },
		{ 2, 0, 90 },
		{ 2, 1, 80 },
	};
	struct agg_sheet itw[] = {
		{ 0, 0, 60 },
		{ 0, 1, 70 },
	};
	struct agg_result   ph[2];
	struct agg_standing st[4];
	struct agg_input    in;
	const int	    w[2] = { 30, 70 };

	(void)state;
	in = input(4, 2, scr, 6, 1);
	assert_int_equal(agg_phase(&in, &ph[0]), 0);
	in = input(4, 2, itw, 2, 1);
	assert_int_equal(agg_phase(&in, &ph[1]), 0);
	assert_int_equal(agg_rank_cycle(2, ph, w, 1, st), 0);
	assert_true(st[0].complete);
	assert_false(st[1].complete);
	assert_near(st[0].composite,
	    (30 * ph[0].cands[0].adjusted + 70 * ph[1].cands[0].adjusted) / 100,
	    EPS);
	assert_int_equal(st[0].rank[AGG_ADJUSTED], 1);
	assert_int_equal(st[1].rank[AGG_ADJUSTED], 2);
	assert_int_equal(st[2].rank[AGG_ADJUSTED], 3);
	assert_int_equal(st[1].rank[AGG_RAW], 2);
	assert_int_equal(st[2].rank[AGG_RAW], 3);
	assert_int_equal(st[3].rank[AGG_ADJUSTED], 0);
	assert_true(isnan(st[3].composite));
	assert_int_equal(st[3].method_sensitive, 0);
	/* Phases over different candidates are refused. */
	in = input(3, 2, itw, 2, 1);
	agg_result_free(&ph[1]);
	assert_int_equal(agg_phase(&in, &ph[1]), 0);
	assert_int_equal(agg_rank_cycle(2, ph, w, 1, st), -1);
	assert_int_equal(agg_rank_cycle(0, ph, w, 1, st), -1);
	agg_result_free(&ph[0]);
	agg_result_free(&ph[1]);
}

static void
test_invalid_input(void **state)
{
	struct agg_sheet  s[2] = { { 0, 0, 50 }, { 1, 1, 60 } };
	struct agg_input  in = input(2, 2, s, 2, 2);
	struct agg_result r;

	(void)state;
	assert_int_equal(agg_phase(&in, &r), 0);
	agg_result_free(&r);
	assert_null(r.cands);

	s[1].cand = 2;
	assert_int_equal(agg_phase(&in, &r), -1);
	assert_null(r.cands);
	assert_null(r.raters);
	agg_result_free(&r);
	s[1].cand = -1;
	assert_int_equal(agg_phase(&in, &r), -1);
	s[1].cand = 1;
	s[1].rater = 2;
	assert_int_equal(agg_phase(&in, &r), -1);
	s[1].rater = 1;
	s[1].score = 100.5;
	assert_int_equal(agg_phase(&in, &r), -1);
	s[1].score = -0.1;
	assert_int_equal(agg_phase(&in, &r), -1);
	s[1].score = NAN;
	assert_int_equal(agg_phase(&in, &r), -1);
	s[1].score = 100;
	assert_int_equal(agg_phase(&in, &r), 0);
	agg_result_free(&r);
	/* Two sheets of one rater for one candidate. */
	s[1] = s[0];
	s[1].score = 70;
	assert_int_equal(agg_phase(&in, &r), -1);
	s[1].cand = 1;

	in.positions = 0;
	assert_int_equal(agg_phase(&in, &r), -1);
	in.positions = 2;
	in.nsheets = -1;
	assert_int_equal(agg_phase(&in, &r), -1);
	in.nsheets = 2;
	in.sheets = NULL;
	assert_int_equal(agg_phase(&in, &r), -1);
	in.sheets = s;
	in.ncands = -1;
	assert_int_equal(agg_phase(&in, &r), -1);
	in.ncands = 2;
	assert_int_equal(agg_phase_ridge(&in, -1, &r), -1);
	assert_int_equal(agg_phase_ridge(&in, NAN, &r), -1);
	assert_int_equal(agg_phase_ridge(&in, INFINITY, &r), -1);
	assert_int_equal(agg_phase(NULL, &r), -1);
	assert_int_equal(agg_phase(&in, NULL), -1);
	assert_int_equal(agg_phase(&in, &r), 0);
	agg_result_free(&r);
	agg_result_free(NULL);
}

/*
 * The pseudo-count learned from the sheets. A complete design of 12
 * candidates and 4 raters with a fixed pattern of noise (+-3 points):
 * with leniencies of -15, -5, +5, +15 the raters clearly differ and are
 * corrected fully; with none, the likelihood is highest at the top of
 * the range and the adjusted scores are the raw means; with one rater
 * the design cannot say and the fixed pseudo-count is kept.
 */
static int
learned_design(struct agg_sheet *s, double spread)
{
	static const double lenient[4] = { -1.5, -0.5, 0.5, 1.5 };
	static const double noise[5] = { -3, 1, 2, -1, 3 };
	int		    c, r, n = 0;

	for (c = 0; c < 12; c++)
		for (r = 0; r < 4; r++) {
			s[n].cand = c;
			s[n].rater = r;
			s[n].score = 40 + 3 * c + spread * lenient[r] +
			    noise[(c + 2 * r) % 5];
			n++;
		}
	return (n);
}

static void
test_lambda_is_learned_from_the_sheets(void **state)
{
	struct agg_sheet  s[48];
	struct agg_input  in = { 12, 4, 0, s, 2, NULL };
	struct agg_result res;
	int		  c;

	(void)state;
	in.nsheets = learned_design(s, 10.0);
	assert_int_equal(agg_phase(&in, &res), 0);
	assert_string_equal(res.lambda_method, AGG_LAMBDA_REML);
	assert_near(res.lambda, AGG_LAMBDA_MIN, 1e-12);
	assert_near(res.raters[3].leniency - res.raters[0].leniency, 30, 1.0);
	agg_result_free(&res);

	in.nsheets = learned_design(s, 0.0);
	assert_int_equal(agg_phase(&in, &res), 0);
	assert_string_equal(res.lambda_method, AGG_LAMBDA_REML);
	assert_true(res.lambda >= 100.0);
	for (c = 0; c < 12; c++)
		assert_near(res.cands[c].adjusted, res.cands[c].mean, 0.05);
	agg_result_free(&res);

	/* One rater: nothing to learn from. */
	in.nraters = 1;
	in.nsheets = 12;
	for (c = 0; c < 12; c++) {
		s[c].cand = c;
		s[c].rater = 0;
		s[c].score = 40 + c;
	}
	assert_int_equal(agg_phase(&in, &res), 0);
	assert_string_equal(res.lambda_method, AGG_LAMBDA_FIXED);
	assert_near(res.lambda, AGG_LAMBDA, 0);
	agg_result_free(&res);
}

static void
test_group_warning_names_raters(void **state)
{
	static const struct agg_sheet s[] = { { 0, 0, 50 }, { 1, 0, 60 },
		{ 2, 1, 70 } };
	static const char *const      names[] = { "Dr. Ames", "Dr. Bryce" };
	struct agg_input	      in = { 3, 2, 3, s, 1, NULL };
	struct agg_result	      res;
	char			      buf[200], small[40];

	(void)state;
	assert_int_equal(agg_phase(&in, &res), 0);
	assert_int_equal(agg_group_warning(&res, names, buf, sizeof(buf)), 0);
	assert_string_equal(buf,
	    "The raters fall into 2 groups with no candidate in common, so "
	    "their scores cannot be compared across groups: Dr. Ames (2 "
	    "candidates); Dr. Bryce (1 candidate).");
	/* Without names, the result's own warning, by index. */
	assert_int_equal(agg_group_warning(&res, NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, res.warning);
	assert_int_equal(
	    agg_group_warning(&res, names, small, sizeof(small)), 1);
	assert_non_null(strstr(small, "..."));
	agg_result_free(&res);
}

/*
 * Two phases of the same 3 raters: at the interview every rater scores
 * every one of 6 candidates, rater 0 ten points below the others; at the
 * screening rater 0 scores two candidates only, on a milder day. Alone,
 * the screening takes those two sheets at their word; fitted with the
 * interview, rater 0's screening leniency moves toward the interview's.
 */
static int
two_phase_design(struct agg_sheet *scr, struct agg_sheet *iv, int *nscr)
{
	static const double q[6] = { 80, 72, 65, 60, 55, 48 };
	static const double wobble[3] = { 1.5, -1.0, -0.5 };
	int		    c, r, n = 0, m = 0;

	for (c = 0; c < 6; c++)
		for (r = 0; r < 3; r++) {
			iv[m].cand = c;
			iv[m].rater = r;
			iv[m].score =
			    q[c] - (r == 0 ? 10 : 0) + wobble[(c + r) % 3];
			m++;
			/* Screening: raters 1 and 2 score everyone, rater 0
			 * candidates 0 and 5. */
			if (r != 0 || c == 0 || c == 5) {
				scr[n].cand = c;
				scr[n].rater = r;
				/* Rater 0 had a mild day: 6 points up. */
				scr[n].score = q[c] + (r == 0 ? -10 + 6 : 0) +
				    wobble[(c + 2 * r) % 3];
				n++;
			}
		}
	*nscr = n;
	return (m);
}

static void
test_phases_share_a_raters_leniency(void **state)
{
	struct agg_sheet  scr[18], iv[18];
	struct agg_input  in[2];
	struct agg_result alone, both[2];
	double		  prior[6];
	int		  ns, ni;

	(void)state;
	ni = two_phase_design(scr, iv, &ns);
	in[0] = input(6, 3, scr, ns, 2);
	in[1] = input(6, 3, iv, ni, 2);
	assert_int_equal(agg_phase(&in[0], &alone), 0);
	assert_int_equal(agg_phases(2, in, both, prior), 0);
	/* The priors, each phase's from the other's fit: the interview
	 * finds rater 0 harsh; the screening alone, milder. */
	assert_true(prior[0] < -5.0);
	assert_true(prior[3] < 0.0 && prior[3] > prior[0]);
	/* Rater 0's screening leniency is nearer the interview's once the
	 * phases are fitted together. */
	assert_true(
	    fabs(both[0].raters[0].leniency - both[1].raters[0].leniency) <
	    fabs(alone.raters[0].leniency - both[1].raters[0].leniency));
	/* Leniencies still average zero within the group. */
	assert_true(
	    fabs(both[0].raters[0].leniency + both[0].raters[1].leniency +
		both[0].raters[2].leniency) < 1e-6);
	/* The raw statistics are the sheets' own. */
	assert_true(both[0].cands[0].mean == alone.cands[0].mean);
	agg_result_free(&alone);
	agg_result_free(&both[0]);
	agg_result_free(&both[1]);
}

static void
test_one_phase_is_the_phase_alone(void **state)
{
	struct agg_input  in = input(4, 3, hln, 9, 2);
	struct agg_result a, b;
	int		  c;

	(void)state;
	assert_int_equal(agg_phase(&in, &a), 0);
	assert_int_equal(agg_phases(1, &in, &b, NULL), 0);
	for (c = 0; c < a.ncands; c++)
		assert_true(a.cands[c].adjusted == b.cands[c].adjusted);
	assert_true(a.lambda == b.lambda);
	agg_result_free(&a);
	agg_result_free(&b);
}

static void
test_prior_from_weighs_by_sheets(void **state)
{
	struct agg_rater  r0[2] = { { 4, -6.0, 0 }, { 0, 0.0, -1 } };
	struct agg_rater  r1[2] = { { 2, -3.0, 0 }, { 3, 2.0, 0 } };
	struct agg_rater  r2[2] = { { 6, 9.0, 0 }, { 1, 5.0, 0 } };
	struct agg_result res[3];
	double		  prior[2];

	(void)state;
	memset(res, 0, sizeof(res));
	res[0].nraters = res[1].nraters = res[2].nraters = 2;
	res[0].raters = r0;
	res[1].raters = r1;
	res[2].raters = r2;
	/* Phase 0's priors: phases 1 and 2, each by its sheets. */
	agg_prior_from(3, res, 0, prior);
	assert_true(fabs(prior[0] - (2 * -3.0 + 6 * 9.0) / 8) < 1e-12);
	assert_true(fabs(prior[1] - (3 * 2.0 + 1 * 5.0) / 4) < 1e-12);
	/* Phase 1's: rater 1 has no sheets in phase 0, so phase 2 only. */
	agg_prior_from(3, res, 1, prior);
	assert_true(fabs(prior[0] - (4 * -6.0 + 6 * 9.0) / 10) < 1e-12);
	assert_true(fabs(prior[1] - 5.0) < 1e-12);
	/* Nothing elsewhere: no prior. */
	r2[1].n = 0;
	agg_prior_from(3, res, 1, prior);
	assert_true(isnan(prior[1]));
}

/* A phase whose raters have no sheets elsewhere (a cycle with only its
 * screening scored) is fitted exactly as alone: the rule that corrects
 * raters fully when they differ stands. */
static void
test_a_phase_without_priors_is_the_phase_alone(void **state)
{
	struct agg_input  in[2];
	struct agg_result a, both[2];
	double		  prior[6];
	int		  c, r;

	(void)state;
	in[0] = input(4, 3, hln, 9, 2);
	in[1] = input(4, 3, NULL, 0, 2);
	assert_int_equal(agg_phase(&in[0], &a), 0);
	assert_int_equal(agg_phases(2, in, both, prior), 0);
	for (r = 0; r < 3; r++)
		assert_true(isnan(prior[r]));
	assert_true(a.lambda == both[0].lambda);
	for (c = 0; c < 4; c++)
		assert_true(a.cands[c].adjusted == both[0].cands[c].adjusted);
	agg_result_free(&a);
	agg_result_free(&both[0]);
	agg_result_free(&both[1]);
}

/* Priors off the mark, one rater without any: raters that clearly
 * differ are still corrected fully, and the order of their leniencies
 * is the sheets', not the priors'. */
static void
test_priors_with_a_gap_still_correct_fully(void **state)
{
	struct agg_input  in = input(4, 3, hln, 9, 2);
	struct agg_result b;
	double		  prior[3] = { -4.0, 3.0, NAN };

	(void)state;
	in.prior = prior;
	assert_int_equal(agg_phase(&in, &b), 0);
	assert_true(b.lambda == AGG_LAMBDA_MIN);
	assert_true(b.raters[HLN_H].leniency < b.raters[HLN_N].leniency);
	assert_true(b.raters[HLN_N].leniency < b.raters[HLN_L].leniency);
	assert_true(fabs(b.raters[HLN_H].leniency + 10.0) < 0.5);
	agg_result_free(&b);
}

static void
test_phases_refuse_bad_input(void **state)
{
	struct agg_sheet  s[2] = { { 0, 0, 50 }, { 1, 1, 60 } };
	struct agg_input  in[2];
	struct agg_result out[2];
	double		  far[2] = { 0.0, 150.0 };

	(void)state;
	in[0] = input(2, 2, s, 2, 1);
	in[1] = input(2, 3, s, 2, 1);
	assert_int_equal(agg_phases(2, in, out, NULL), -1);
	assert_int_equal(agg_phases(0, in, out, NULL), -1);
	in[1] = input(2, 2, s, 2, 1);
	in[1].prior = far;
	assert_int_equal(agg_phases(2, in, out, NULL), -1);
	/* A prior past the scale's width is refused by a phase too. */
	assert_int_equal(agg_phase(&in[1], &out[0]), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete_design_recovers_leniency),
		cmocka_unit_test(test_unbalanced_adjusted_order_beats_raw_mean),
		cmocka_unit_test(test_shift_in_complete_design),
		cmocka_unit_test(
		    test_shift_without_shrinkage_in_incomplete_design),
		cmocka_unit_test(test_shift_with_shrinkage_is_partly_absorbed),
		cmocka_unit_test(test_permuting_sheets_changes_nothing),
		cmocka_unit_test(test_solution_satisfies_normal_equations),
		cmocka_unit_test(test_raw_statistics),
		cmocka_unit_test(test_standard_error_hand_computed),
		cmocka_unit_test(test_krippendorff_textbook_example),
		cmocka_unit_test(test_krippendorff_against_pairwise_count),
		cmocka_unit_test(test_no_sheets),
		cmocka_unit_test(test_one_rater),
		cmocka_unit_test(test_all_equal_scores),
		cmocka_unit_test(test_rater_with_one_sheet_moves_little),
		cmocka_unit_test(test_candidate_with_one_sheet),
		cmocka_unit_test(test_disconnected_design_warns_naming_groups),
		cmocka_unit_test(test_long_warning_is_cut),
		cmocka_unit_test(test_borda_hand_computed),
		cmocka_unit_test(test_method_sensitive_at_the_line),
		cmocka_unit_test(test_method_sensitive_by_two_places),
		cmocka_unit_test(test_disagreement_flag),
		cmocka_unit_test(test_disagreement_by_range),
		cmocka_unit_test(test_composite_with_missing_phase),
		cmocka_unit_test(test_noise_does_not_order_ties),
		cmocka_unit_test(test_places_follow_the_tie_rule),
		cmocka_unit_test(
		    test_the_method_flag_is_anchored_on_the_adjusted_place),
		cmocka_unit_test(test_the_cycle_ranking),
		cmocka_unit_test(test_invalid_input),
		cmocka_unit_test(test_lambda_is_learned_from_the_sheets),
		cmocka_unit_test(test_group_warning_names_raters),
		cmocka_unit_test(test_phases_share_a_raters_leniency),
		cmocka_unit_test(test_one_phase_is_the_phase_alone),
		cmocka_unit_test(test_prior_from_weighs_by_sheets),
		cmocka_unit_test(test_phases_refuse_bad_input),
		cmocka_unit_test(
		    test_a_phase_without_priors_is_the_phase_alone),
		cmocka_unit_test(test_priors_with_a_gap_still_correct_fully),
	};

	return (
	    cmocka_run_group_tests_name("core/aggregate", tests, NULL, NULL));
}
