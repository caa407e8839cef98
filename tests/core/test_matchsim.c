/*
 * Tests for src/core/matchsim.c: the simulation is deterministic for a
 * seed, its probability of filling never falls as the list grows,
 * candidates who all rank the program first fill it at the shortest
 * list, it agrees with the closed computation within its sampling
 * error, and the parameters are checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "core/matchsim.h"

static void
params(struct matchsim_params *p)
{
	matchsim_defaults(p, 2, 30, 20);
	p->trials = 20000;
	p->seed = 7;
}

static void
test_the_same_seed_gives_the_same_figures(void **state)
{
	struct matchsim_params p;
	struct matchsim_result a, b, c;
	int		       i, differ = 0;

	(void)state;
	params(&p);
	assert_int_equal(matchsim_run(&p, &a), 0);
	assert_int_equal(matchsim_run(&p, &b), 0);
	p.seed = 8;
	assert_int_equal(matchsim_run(&p, &c), 0);
	assert_int_equal(a.nrows, 29);
	assert_int_equal(a.rows[0].length, 2);
	assert_int_equal(a.rows[28].length, 30);
	for (i = 0; i < a.nrows; i++) {
		/* To the last bit. */
		assert_memory_equal(&a.rows[i], &b.rows[i], sizeof(a.rows[i]));
		differ |= a.rows[i].p_fill != c.rows[i].p_fill;
	}
	assert_true(differ);
	matchsim_result_free(&a);
	matchsim_result_free(&b);
	matchsim_result_free(&c);
}

static void
test_filling_never_falls_as_the_list_grows(void **state)
{
	struct matchsim_params p;
	struct matchsim_result r;
	int		       i;

	(void)state;
	params(&p);
	p.trials = 500; /* few trials: noise must not break it either */
	assert_int_equal(matchsim_run(&p, &r), 0);
	for (i = 1; i < r.nrows; i++) {
		assert_true(r.rows[i].p_fill >= r.rows[i - 1].p_fill);
		assert_true(r.rows[i].expected >= r.rows[i - 1].expected);
		assert_true(r.rows[i].expected <= 2.0);
	}
	assert_true(r.rows[0].p_fill < r.rows[r.nrows - 1].p_fill);
	matchsim_result_free(&r);
}

static void
test_everyone_ranking_us_first_fills_at_k(void **state)
{
	struct matchsim_params p;
	struct matchsim_result r;

	(void)state;
	params(&p);
	p.p_first = 1.0;
	p.p_elsewhere_top = p.p_elsewhere_bottom = 1.0;
	assert_int_equal(matchsim_run(&p, &r), 0);
	assert_true(r.rows[0].p_fill == 1.0);
	assert_true(r.rows[0].expected == 2.0);
	assert_int_equal(matchsim_recommend(&r, 0.95), 2);
	matchsim_result_free(&r);
}

static void
test_nobody_available_never_fills(void **state)
{
	struct matchsim_params p;
	struct matchsim_result r;
	int		       i;

	(void)state;
	params(&p);
	p.p_first = 0.0;
	p.p_elsewhere_top = p.p_elsewhere_bottom = 1.0;
	p.trials = 100;
	assert_int_equal(matchsim_run(&p, &r), 0);
	for (i = 0; i < r.nrows; i++) {
		assert_true(r.rows[i].p_fill == 0.0);
		assert_true(r.rows[i].expected == 0.0);
	}
	assert_int_equal(matchsim_recommend(&r, 0.95), 0);
	matchsim_result_free(&r);
}

/* Within four standard errors of the exact figures, at every length. */
static void
test_the_simulation_agrees_with_the_closed_form(void **state)
{
	struct matchsim_params p;
	struct matchsim_result sim, exact;
	int		       i, k;
	static const int       ks[] = { 1, 2, 4 };

	(void)state;
	for (k = 0; k < 3; k++) {
		params(&p);
		p.positions = ks[k];
		assert_int_equal(matchsim_run(&p, &sim), 0);
		assert_int_equal(matchsim_exact(&p, &exact), 0);
		assert_int_equal(sim.nrows, exact.nrows);
		for (i = 0; i < sim.nrows; i++) {
			double q = exact.rows[i].p_fill;
			double se = sqrt(q * (1 - q) / p.trials) + 1e-9;

			assert_int_equal(
			    sim.rows[i].length, exact.rows[i].length);
			assert_true(fabs(sim.rows[i].p_fill - q) <= 4 * se);
			/* expected is at most k: its sd is at most k / 2. */
			assert_true(fabs(sim.rows[i].expected -
					exact.rows[i].expected) <=
			    4 * ks[k] / 2.0 / sqrt(p.trials) + 1e-9);
		}
		matchsim_result_free(&sim);
		matchsim_result_free(&exact);
	}
}

/* One position, one candidate available with probability q each: the
 * list of length L fills with probability 1 - (1 - q)^L. */
static void
test_the_closed_form_for_one_position(void **state)
{
	struct matchsim_params p;
	struct matchsim_result r;
	int		       i;

	(void)state;
	matchsim_defaults(&p, 1, 10, 1);
	p.p_first = 0.1;
	p.p_elsewhere_top = p.p_elsewhere_bottom = 0.5;
	assert_int_equal(matchsim_exact(&p, &r), 0);
	for (i = 0; i < r.nrows; i++)
		assert_true(fabs(r.rows[i].p_fill -
				(1 - pow(1 - 0.55, r.rows[i].length))) < 1e-12);
	matchsim_result_free(&r);
}

static void
test_interest_falls_linearly_over_the_span(void **state)
{
	struct matchsim_params p;

	(void)state;
	matchsim_defaults(&p, 2, 20, 11);
	p.p_elsewhere_top = 0.9;
	p.p_elsewhere_bottom = 0.4;
	assert_true(fabs(matchsim_p_elsewhere(&p, 1) - 0.9) < 1e-12);
	assert_true(fabs(matchsim_p_elsewhere(&p, 6) - 0.65) < 1e-12);
	assert_true(fabs(matchsim_p_elsewhere(&p, 11) - 0.4) < 1e-12);
	assert_true(fabs(matchsim_p_elsewhere(&p, 20) - 0.4) < 1e-12);
	p.p_first = 0.2;
	assert_true(
	    fabs(matchsim_p_available(&p, 1) - (0.2 + 0.8 * 0.1)) < 1e-12);
}

static void
test_the_recommendation_is_the_first_length_reaching_the_target(void **state)
{
	struct matchsim_params p;
	struct matchsim_result r;
	int		       L;

	(void)state;
	params(&p);
	assert_int_equal(matchsim_exact(&p, &r), 0);
	L = matchsim_recommend(&r, 0.95);
	assert_true(L > 2);
	assert_true(r.rows[L - 2].p_fill >= 0.95);
	assert_true(r.rows[L - 3].p_fill < 0.95);
	matchsim_result_free(&r);
}

static void
test_bad_parameters_are_named(void **state)
{
	struct matchsim_params p;
	struct matchsim_result r;
	const char	      *field;
	char		       msg[160];

	(void)state;
	params(&p);
	assert_int_equal(matchsim_check(&p, &field, msg, sizeof(msg)), 0);
	p.p_first = 1.5;
	assert_int_equal(matchsim_check(&p, &field, msg, sizeof(msg)), -1);
	assert_string_equal(field, "p_first");
	assert_non_null(strstr(msg, "from 0 to 1"));
	assert_int_equal(matchsim_run(&p, &r), -1);
	assert_int_equal(r.nrows, 0);
	assert_null(r.rows);
	params(&p);
	p.p_elsewhere_bottom = NAN;
	assert_int_equal(matchsim_check(&p, &field, msg, sizeof(msg)), -1);
	assert_string_equal(field, "p_elsewhere_bottom");
	params(&p);
	p.trials = 99;
	assert_int_equal(matchsim_check(&p, &field, msg, sizeof(msg)), -1);
	assert_string_equal(field, "trials");
	params(&p);
	p.lmax = 1;
	assert_int_equal(matchsim_check(&p, &field, msg, sizeof(msg)), -1);
	assert_string_equal(field, "list_length");
	params(&p);
	p.lmax = MATCHSIM_LMAX_MAX + 1;
	assert_int_equal(matchsim_check(&p, &field, msg, sizeof(msg)), -1);
	matchsim_result_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_same_seed_gives_the_same_figures),
		cmocka_unit_test(test_filling_never_falls_as_the_list_grows),
		cmocka_unit_test(test_everyone_ranking_us_first_fills_at_k),
		cmocka_unit_test(test_nobody_available_never_fills),
		cmocka_unit_test(
		    test_the_simulation_agrees_with_the_closed_form),
		cmocka_unit_test(test_the_closed_form_for_one_position),
		cmocka_unit_test(test_interest_falls_linearly_over_the_span),
		cmocka_unit_test(
		    test_the_recommendation_is_the_first_length_reaching_the_target),
		cmocka_unit_test(test_bad_parameters_are_named),
	};

	return (
	    cmocka_run_group_tests_name("core/matchsim", tests, NULL, NULL));
}
