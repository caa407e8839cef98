/*
 * Tests for src/core/uncertainty.c: the posterior draws of the ranking's
 * model. Clear leads are certain and close calls are not; the same input
 * and seed give the same numbers to the last bit, whatever the order of
 * the sheets; a candidate in the top tier by a wide margin is never
 * reversed with the next; the interval holds the place; the words follow
 * the probability; and bad arguments are refused.
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
#include "core/uncertainty.h"

#define NC 8
#define NR 4

/*
 * Eight candidates, each scored by three of four raters with a little
 * spread: 0 and 1 far ahead and apart from the rest (95, 85), 2 and 3
 * nearly tied at the line's next places (70, 69.5), the others below.
 */
static const double quality[NC] = { 95, 85, 70, 69.5, 60, 50, 40, 30 };
static const double wobble[3] = { -3, 0, 3 };

static int
design(struct agg_sheet *s)
{
	int c, k, n = 0;

	for (c = 0; c < NC; c++)
		for (k = 0; k < 3; k++) {
			s[n].cand = c;
			s[n].rater = (c + k) % NR;
			s[n].score = quality[c] + wobble[(c + k) % 3];
			n++;
		}
	return (n);
}

/* Aggregates, places and resamples s (n sheets) with positions. */
static void
run(const struct agg_sheet *s, int n, int positions, uint64_t seed,
    struct unc_cand *u, int *place, int *draws)
{
	struct agg_input    in = { NC, NR, n, s, positions, NULL };
	struct agg_result   res;
	struct agg_standing st[NC];
	struct unc_phase    ph;
	const int	    w[1] = { 100 };
	int		    c;

	assert_int_equal(agg_phase(&in, &res), 0);
	assert_int_equal(agg_rank_cycle(1, &res, w, positions, st), 0);
	for (c = 0; c < NC; c++)
		place[c] = st[c].rank[AGG_ADJUSTED];
	ph.sheets = s;
	ph.nsheets = n;
	ph.res = &res;
	ph.prior = NULL;
	assert_int_equal(unc_resample(NC, NR, 1, &ph, w, place, positions, NC,
			     seed, u, draws),
	    0);
	agg_result_free(&res);
}

static void
test_clear_leads_are_certain_close_calls_are_not(void **state)
{
	struct agg_sheet s[3 * NC];
	struct unc_cand	 u[NC];
	int		 place[NC], draws, n = design(s);

	(void)state;
	run(s, n, 2, 42, u, place, &draws);
	assert_true(draws >= UNC_DRAWS_MIN && draws <= UNC_DRAWS_MAX);
	assert_int_equal(place[0], 1);
	assert_int_equal(place[1], 2);
	/* 0 and 1 lead by 15 points and more: within the 2 positions. */
	assert_true(u[0].p_top > 0.95);
	assert_true(u[1].p_top > 0.9);
	assert_false(u[0].flagged);
	/* The last candidates are nowhere near. */
	assert_true(u[7].p_top < 0.01);
	assert_true(u[7].p_swap_next != u[7].p_swap_next); /* NaN: last */
	/* 2 and 3, half a point apart: a coin toss for their order. */
	assert_true(place[2] == 3 || place[3] == 3);
	{
		int first = place[2] == 3 ? 2 : 3;

		assert_true(u[first].p_swap_next > 0.3);
		assert_true(u[first].p_swap_next < 0.7);
	}
	/* 0 ahead of 1 by 10 points with three sheets each: rarely
	 * reversed; the interval holds the place. */
	assert_true(u[0].p_swap_next < 0.2);
	for (int c = 0; c < NC; c++) {
		assert_true(u[c].rank_lo <= place[c]);
		assert_true(u[c].rank_hi >= place[c]);
		assert_true(u[c].p_list >= u[c].p_top);
	}
}

static void
test_the_line_moves_the_flag(void **state)
{
	struct agg_sheet s[3 * NC];
	struct unc_cand	 u[NC];
	int		 place[NC], draws, n = design(s);

	(void)state;
	/* With 3 positions the line runs between 2 and 3, nearly tied. */
	run(s, n, 3, 42, u, place, &draws);
	assert_true(u[2].flagged);
	assert_true(u[3].flagged);
	assert_true(u[2].p_top > 0.2 && u[2].p_top < 0.8);
	assert_false(u[0].flagged);
	assert_false(u[7].flagged);
}

static void
test_same_input_same_numbers(void **state)
{
	struct agg_sheet s[3 * NC], t[3 * NC];
	struct unc_cand	 u[NC], v[NC], w[NC];
	int		 place[NC], draws, n = design(s), i;

	(void)state;
	/* Padding too: the structs are compared whole. */
	memset(u, 0, sizeof(u));
	memset(v, 0, sizeof(v));
	/* The sheets reversed: the same numbers, to the last bit. */
	for (i = 0; i < n; i++)
		t[i] = s[n - 1 - i];
	run(s, n, 2, 7, u, place, &draws);
	run(t, n, 2, 7, v, place, &draws);
	assert_memory_equal(u, v, sizeof(u));
	/* Another seed: other draws, close numbers. */
	run(s, n, 2, 8, w, place, &draws);
	for (i = 0; i < NC; i++)
		assert_true(fabs(u[i].p_top - w[i].p_top) < 0.1);
}

static void
test_words_follow_the_probability(void **state)
{
	char b[160];

	(void)state;
	assert_string_equal(unc_words(0.97, 2, b, sizeof(b)),
	    "Almost certainly within the 2 positions (97 %).");
	assert_string_equal(unc_words(0.75, 1, b, sizeof(b)),
	    "Probably within the position (75 %).");
	assert_string_equal(unc_words(0.46, 2, b, sizeof(b)),
	    "Could be on either side of the line (46 % within the 2 "
	    "positions).");
	assert_string_equal(unc_words(0.2, 2, b, sizeof(b)),
	    "Probably below the line (20 % within the 2 positions).");
	assert_string_equal(unc_words(0.01, 2, b, sizeof(b)),
	    "Almost certainly below the line (1 % within the 2 positions).");
	assert_string_equal(unc_words(NAN, 2, b, sizeof(b)), "No estimate.");
}

static void
test_bad_arguments(void **state)
{
	struct agg_sheet  s[3 * NC];
	struct agg_input  in;
	struct agg_result res;
	struct unc_phase  ph;
	struct unc_cand	  u[NC];
	const int	  w[1] = { 100 };
	int		  place[NC] = { 1, 1, 0, 0, 0, 0, 0, 0 }, draws, n;

	(void)state;
	n = design(s);
	in = (struct agg_input){ NC, NR, n, s, 2, NULL };
	assert_int_equal(agg_phase(&in, &res), 0);
	ph = (struct unc_phase){ s, n, &res, NULL };
	/* Two candidates in the same place. */
	assert_int_equal(
	    unc_resample(NC, NR, 1, &ph, w, place, 2, NC, 1, u, &draws), -1);
	place[1] = 2;
	/* A depth above the line; positions at least 1. */
	assert_int_equal(
	    unc_resample(NC, NR, 1, &ph, w, place, 2, 1, 1, u, &draws), -1);
	assert_int_equal(
	    unc_resample(NC, NR, 1, &ph, w, place, 0, NC, 1, u, &draws), -1);
	/* Counts that do not match the fit. */
	assert_int_equal(
	    unc_resample(NC + 1, NR, 1, &ph, w, place, 2, NC, 1, u, &draws),
	    -1);
	/* Nobody placed: nothing to draw, every estimate NaN. */
	memset(place, 0, sizeof(place));
	assert_int_equal(
	    unc_resample(NC, NR, 1, &ph, w, place, 2, NC, 1, u, &draws), 0);
	assert_int_equal(draws, 0);
	assert_true(isnan(u[0].p_top));
	agg_result_free(&res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_clear_leads_are_certain_close_calls_are_not),
		cmocka_unit_test(test_the_line_moves_the_flag),
		cmocka_unit_test(test_same_input_same_numbers),
		cmocka_unit_test(test_words_follow_the_probability),
		cmocka_unit_test(test_bad_arguments),
	};

	return (
	    cmocka_run_group_tests_name("core/uncertainty", tests, NULL, NULL));
}
