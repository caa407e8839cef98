/* Tests for src/core/home.c: the applicant's timeline step by step, the
 * to-do order (overdue first, then by deadline, none last), which
 * deadlines staff still see, and where each cycle comes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/home.h"

#define NOW  1800000000LL
#define HOUR 3600LL

static void
test_timeline_of_no_application_is_empty(void **state)
{
	struct home_facts f = { 0 };
	int		  done[HOME_STEP__MAX], s;
	int64_t		  at[HOME_STEP__MAX];

	(void)state;
	home_timeline(&f, NOW, done, at);
	for (s = 0; s < HOME_STEP__MAX; s++) {
		assert_int_equal(done[s], 0);
		assert_int_equal(at[s], 0);
	}
	assert_string_equal(home_step_names[HOME_STARTED], "started");
	assert_string_equal(home_step_names[HOME_INTERVIEWED], "interviewed");
}

static void
test_timeline_follows_the_application(void **state)
{
	struct home_facts f = { NOW - 90 * HOUR, 0, 0, 0, 0 };
	int		  done[HOME_STEP__MAX];
	int64_t		  at[HOME_STEP__MAX];

	(void)state;
	home_timeline(&f, NOW, done, at);
	assert_true(done[HOME_STARTED] && !done[HOME_SUBMITTED]);
	assert_int_equal(at[HOME_STARTED], NOW - 90 * HOUR);

	f.submitted_at = NOW - 80 * HOUR;
	f.invited_at = NOW - 50 * HOUR;
	home_timeline(&f, NOW, done, at);
	assert_true(done[HOME_INVITED] && !done[HOME_BOOKED]);
	assert_int_equal(at[HOME_INVITED], NOW - 50 * HOUR);

	/* Booked for a slot still to come: not interviewed yet. */
	f.booked_at = NOW - 40 * HOUR;
	f.slot_starts_at = NOW + 2 * HOUR;
	home_timeline(&f, NOW, done, at);
	assert_true(done[HOME_BOOKED] && !done[HOME_INTERVIEWED]);
	assert_int_equal(at[HOME_INTERVIEWED], 0);

	/* The slot has begun: interviewed, at its start. */
	home_timeline(&f, f.slot_starts_at, done, at);
	assert_true(done[HOME_INTERVIEWED]);
	assert_int_equal(at[HOME_INTERVIEWED], f.slot_starts_at);
}

static void
test_a_step_counts_only_after_the_ones_before(void **state)
{
	/* An invitation and a booking kept from before a reopen (the
	 * application is a draft again): nothing after "started". */
	struct home_facts f = { NOW - 90 * HOUR, 0, NOW - 50 * HOUR,
		NOW - 40 * HOUR, NOW - HOUR };
	int		  done[HOME_STEP__MAX], s;
	int64_t		  at[HOME_STEP__MAX];

	(void)state;
	home_timeline(&f, NOW, done, at);
	assert_true(done[HOME_STARTED]);
	for (s = HOME_SUBMITTED; s < HOME_STEP__MAX; s++) {
		assert_int_equal(done[s], 0);
		assert_int_equal(at[s], 0);
	}
	/* A slot start without a booking is no interview. */
	f.submitted_at = NOW - 80 * HOUR;
	f.booked_at = 0;
	home_timeline(&f, NOW, done, at);
	assert_true(done[HOME_INVITED]);
	assert_false(done[HOME_BOOKED]);
	assert_false(done[HOME_INTERVIEWED]);
}

static void
test_overdue_once_the_deadline_is_reached(void **state)
{
	(void)state;
	assert_false(home_overdue(0, NOW));
	assert_false(home_overdue(NOW + 1, NOW));
	assert_true(home_overdue(NOW, NOW));
	assert_true(home_overdue(NOW - HOUR, NOW));
}

static void
test_order_overdue_first_then_by_deadline_none_last(void **state)
{
	(void)state;
	/* Overdue before due soon before due later. */
	assert_true(home_due_cmp(NOW - HOUR, NOW + HOUR) < 0);
	assert_true(home_due_cmp(NOW + HOUR, NOW + 2 * HOUR) < 0);
	assert_true(home_due_cmp(NOW + 2 * HOUR, NOW - HOUR) > 0);
	/* The longest overdue first. */
	assert_true(home_due_cmp(NOW - 2 * HOUR, NOW - HOUR) < 0);
	/* No deadline after any deadline, far or past. */
	assert_true(home_due_cmp(0, NOW + 1000 * HOUR) > 0);
	assert_true(home_due_cmp(NOW - 1000 * HOUR, 0) < 0);
	assert_int_equal(home_due_cmp(0, 0), 0);
	assert_int_equal(home_due_cmp(NOW, NOW), 0);
}

static void
test_staff_see_deadlines_ahead_or_with_work_open(void **state)
{
	(void)state;
	assert_false(home_deadline_listed(0, 1, NOW));
	assert_true(home_deadline_listed(NOW + 1, 0, NOW));
	assert_true(home_deadline_listed(NOW + 1, 1, NOW));
	/* Passed: shown while its work is open (an overdue phase). */
	assert_true(home_deadline_listed(NOW - HOUR, 1, NOW));
	assert_false(home_deadline_listed(NOW - HOUR, 0, NOW));
	assert_false(home_deadline_listed(NOW, 0, NOW));
}

static void
test_cycles_where_the_work_is_first(void **state)
{
	(void)state;
	assert_true(
	    home_cycle_order(CYCLE_REVIEW) < home_cycle_order(CYCLE_RANKING));
	assert_true(
	    home_cycle_order(CYCLE_RANKING) < home_cycle_order(CYCLE_OPEN));
	assert_true(
	    home_cycle_order(CYCLE_OPEN) < home_cycle_order(CYCLE_SETUP));
	assert_true(
	    home_cycle_order(CYCLE_SETUP) < home_cycle_order(CYCLE_CERTIFIED));
	assert_true(home_cycle_order(CYCLE_CERTIFIED) <
	    home_cycle_order(CYCLE_ARCHIVED));
	assert_true(home_cycle_order((enum cycle_state)99) >
	    home_cycle_order(CYCLE_ARCHIVED));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeline_of_no_application_is_empty),
		cmocka_unit_test(test_timeline_follows_the_application),
		cmocka_unit_test(test_a_step_counts_only_after_the_ones_before),
		cmocka_unit_test(test_overdue_once_the_deadline_is_reached),
		cmocka_unit_test(
		    test_order_overdue_first_then_by_deadline_none_last),
		cmocka_unit_test(
		    test_staff_see_deadlines_ahead_or_with_work_open),
		cmocka_unit_test(test_cycles_where_the_work_is_first),
	};

	return (cmocka_run_group_tests_name("core/home", tests, NULL, NULL));
}
