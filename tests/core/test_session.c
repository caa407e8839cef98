/* Tests for src/core/session.c: idle and absolute expiry, touching. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/session.h"

static void
test_alive_until_idle_or_absolute_limit(void **state)
{
	(void)state;
	assert_true(session_alive(100, 100, 100));
	assert_true(session_alive(100 + SESSION_IDLE_SECONDS - 1, 100, 100));
	assert_false(session_alive(100 + SESSION_IDLE_SECONDS, 100, 100));
	/* Active all along, still ends at the absolute limit. */
	assert_true(
	    session_alive(SESSION_MAX_SECONDS - 1, 0, SESSION_MAX_SECONDS - 2));
	assert_false(
	    session_alive(SESSION_MAX_SECONDS, 0, SESSION_MAX_SECONDS - 1));
}

static void
test_touch_at_most_once_a_minute(void **state)
{
	(void)state;
	assert_false(session_needs_touch(159, 100));
	assert_true(session_needs_touch(160, 100));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alive_until_idle_or_absolute_limit),
		cmocka_unit_test(test_touch_at_most_once_a_minute),
	};

	return (cmocka_run_group_tests_name("core/session", tests, NULL, NULL));
}
