/* Tests for src/core/cycle.c: states, date order, the edit window. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/cycle.h"

static void
test_transitions_one_step(void **state)
{
	(void)state;
	assert_true(cycle_transition_ok(CYCLE_SETUP, CYCLE_OPEN));
	assert_true(cycle_transition_ok(CYCLE_OPEN, CYCLE_REVIEW));
	assert_true(cycle_transition_ok(CYCLE_REVIEW, CYCLE_RANKING));
	assert_true(cycle_transition_ok(CYCLE_CERTIFIED, CYCLE_ARCHIVED));
	assert_true(cycle_transition_ok(CYCLE_OPEN, CYCLE_SETUP));
	assert_true(cycle_transition_ok(CYCLE_RANKING, CYCLE_REVIEW));
	/* Certification has its own procedure; no skipping, no undoing. */
	assert_false(cycle_transition_ok(CYCLE_RANKING, CYCLE_CERTIFIED));
	assert_false(cycle_transition_ok(CYCLE_CERTIFIED, CYCLE_RANKING));
	assert_false(cycle_transition_ok(CYCLE_SETUP, CYCLE_REVIEW));
	assert_false(cycle_transition_ok(CYCLE_ARCHIVED, CYCLE_CERTIFIED));
	assert_false(cycle_transition_ok(CYCLE_SETUP, CYCLE__MAX));
}

static void
test_dates_must_come_in_order(void **state)
{
	static const char *const good[CYCLE_DATE__MAX] = { "2026-11-01T00:00",
		"2027-01-15T17:00", "2027-02-01T00:00", "2027-02-01T00:00",
		"2027-03-20T23:59" };
	struct local_time	 d[CYCLE_DATE__MAX];
	enum cycle_date		 bad;
	int			 i;

	(void)state;
	for (i = 0; i < CYCLE_DATE__MAX; i++)
		(void)dates_parse(good[i], 0, &d[i]);
	assert_int_equal(cycle_dates_check(d, &bad), 0);
	/* Close must be after open, strictly. */
	d[CYCLE_APPLICATIONS_CLOSE] = d[CYCLE_APPLICATIONS_OPEN];
	assert_int_equal(cycle_dates_check(d, &bad), -1);
	assert_int_equal(bad, CYCLE_APPLICATIONS_CLOSE);
	(void)dates_parse(good[1], 0, &d[CYCLE_APPLICATIONS_CLOSE]);
	(void)dates_parse("2027-01-01T00:00", 0, &d[CYCLE_RANKLIST_DUE]);
	assert_int_equal(cycle_dates_check(d, &bad), -1);
	assert_int_equal(bad, CYCLE_RANKLIST_DUE);
}

static void
test_edits_only_while_open_and_before_close(void **state)
{
	(void)state;
	assert_true(cycle_accepts_edits(CYCLE_OPEN, 100, 200, 100));
	assert_true(cycle_accepts_edits(CYCLE_OPEN, 100, 200, 199));
	assert_false(cycle_accepts_edits(CYCLE_OPEN, 100, 200, 200));
	assert_false(cycle_accepts_edits(CYCLE_OPEN, 100, 200, 99));
	assert_false(cycle_accepts_edits(CYCLE_REVIEW, 100, 200, 150));
	assert_false(cycle_accepts_edits(CYCLE_SETUP, 100, 200, 150));
}

static void
test_names_round_trip(void **state)
{
	enum cycle_state s;
	int		 i;

	(void)state;
	for (i = 0; i < CYCLE__MAX; i++) {
		assert_int_equal(cycle_state_parse(cycle_state_name(i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(cycle_state_parse("closed", &s), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transitions_one_step),
		cmocka_unit_test(test_dates_must_come_in_order),
		cmocka_unit_test(test_edits_only_while_open_and_before_close),
		cmocka_unit_test(test_names_round_trip),
	};

	return (cmocka_run_group_tests_name("core/cycle", tests, NULL, NULL));
}
