/* Tests for src/core/remind.c: the automatic reminder goes once before a
 * deadline and at most once, with its own wording, after it; the
 * reminder to book goes once, three days after the invitation, to whom
 * has not answered it by then. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/remind.h"

#define DUE  1800000000LL /* any instant; the rule is relative to it */
#define HOUR 3600LL

static void
test_no_deadline_no_reminder(void **state)
{
	(void)state;
	assert_int_equal(remind_due(0, 0, 0, DUE), REMIND_NONE);
	assert_int_equal(remind_due(-5, 0, 0, DUE), REMIND_NONE);
}

static void
test_approaching_only_inside_the_window(void **state)
{
	(void)state;
	assert_int_equal(
	    remind_due(DUE, 0, 0, DUE - REMIND_BEFORE - 1), REMIND_NONE);
	assert_int_equal(
	    remind_due(DUE, 0, 0, DUE - REMIND_BEFORE), REMIND_APPROACHING);
	assert_int_equal(remind_due(DUE, 0, 0, DUE - 1), REMIND_APPROACHING);
}

static void
test_approaching_goes_once(void **state)
{
	(void)state;
	assert_int_equal(
	    remind_due(DUE, DUE - 40 * HOUR, 0, DUE - HOUR), REMIND_NONE);
}

static void
test_a_past_deadline_is_never_approaching(void **state)
{
	(void)state;
	/* Seen first after the deadline (a server that was down, a
	 * deadline set in the past): overdue, never "approaching". */
	assert_int_equal(remind_due(DUE, 0, 0, DUE), REMIND_OVERDUE);
	assert_int_equal(
	    remind_due(DUE, 0, 0, DUE + 400 * HOUR), REMIND_OVERDUE);
}

static void
test_overdue_goes_once(void **state)
{
	(void)state;
	assert_int_equal(
	    remind_due(DUE, DUE - HOUR, 0, DUE + 1), REMIND_OVERDUE);
	assert_int_equal(
	    remind_due(DUE, DUE - HOUR, DUE + 1, DUE + 2), REMIND_NONE);
	assert_int_equal(
	    remind_due(DUE, 0, DUE + 1, DUE + 30 * 24 * HOUR), REMIND_NONE);
}

/* An invitation sent at DUE that nobody has answered. */
static struct remind_invitation
unanswered(void)
{
	struct remind_invitation i = { DUE, 0, 0, 0, 0, CYCLE_REVIEW };

	return (i);
}

static void
test_booking_reminder_three_days_after_the_invitation(void **state)
{
	struct remind_invitation i = unanswered();

	(void)state;
	assert_int_equal(remind_booking_due(&i, DUE), REMIND_BOOKING_LATER);
	assert_int_equal(remind_booking_due(&i, DUE + REMIND_BOOKING_AFTER - 1),
	    REMIND_BOOKING_LATER);
	assert_int_equal(remind_booking_due(&i, DUE + REMIND_BOOKING_AFTER),
	    REMIND_BOOKING_SEND);
	assert_int_equal(REMIND_BOOKING_AFTER, 72 * HOUR);
	/* Late (a server that was down): it still goes, once. */
	assert_int_equal(
	    remind_booking_due(&i, DUE + 900 * HOUR), REMIND_BOOKING_SEND);
	i.reminded_at = DUE + REMIND_BOOKING_AFTER;
	assert_int_equal(
	    remind_booking_due(&i, DUE + 900 * HOUR), REMIND_BOOKING_NEVER);
	/* Before the time, even a decided one says "never". */
	assert_int_equal(remind_booking_due(&i, DUE), REMIND_BOOKING_NEVER);
}

static void
test_booking_reminder_not_to_who_answered(void **state)
{
	struct remind_invitation i;
	int64_t			 at = DUE + REMIND_BOOKING_AFTER;

	(void)state;
	i = unanswered();
	i.booked_ever = 1;
	assert_int_equal(remind_booking_due(&i, at), REMIND_BOOKING_NEVER);
	i = unanswered();
	i.waitlisted = 1;
	assert_int_equal(remind_booking_due(&i, at), REMIND_BOOKING_NEVER);
	i = unanswered();
	i.withdrawn = 1;
	assert_int_equal(remind_booking_due(&i, at), REMIND_BOOKING_NEVER);
	i = unanswered();
	i.state = CYCLE_OPEN;
	assert_int_equal(remind_booking_due(&i, at), REMIND_BOOKING_SEND);
	i.state = CYCLE_SETUP;
	assert_int_equal(remind_booking_due(&i, at), REMIND_BOOKING_NEVER);
	for (i.state = CYCLE_RANKING; i.state < CYCLE__MAX; i.state++)
		assert_int_equal(
		    remind_booking_due(&i, at), REMIND_BOOKING_NEVER);
	/* Before the time nothing is decided: they may still answer. */
	i = unanswered();
	i.withdrawn = 1;
	assert_int_equal(remind_booking_due(&i, at - 1), REMIND_BOOKING_LATER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_deadline_no_reminder),
		cmocka_unit_test(test_approaching_only_inside_the_window),
		cmocka_unit_test(test_approaching_goes_once),
		cmocka_unit_test(test_a_past_deadline_is_never_approaching),
		cmocka_unit_test(test_overdue_goes_once),
		cmocka_unit_test(
		    test_booking_reminder_three_days_after_the_invitation),
		cmocka_unit_test(test_booking_reminder_not_to_who_answered),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
