/* Tests for src/core/throttle.c: delays, lockout, windows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/throttle.h"

static void
test_no_delay_before_the_threshold(void **state)
{
	struct throttle_state s = { 0, 1000, 0 };

	(void)state;
	assert_int_equal(throttle_fail(&s, 1000, &throttle_account), 0);
	assert_int_equal(throttle_fail(&s, 1001, &throttle_account), 0);
	assert_int_equal(throttle_wait(&s, 1001), 0);
}

static void
test_delays_double_then_cap(void **state)
{
	struct throttle_state s = { 0, 0, 0 };
	int64_t		      t = 100, expect[] = { 1, 2, 4, 8, 16, 32 };
	size_t		      i;

	(void)state;
	s.window_start = t;
	(void)throttle_fail(&s, t, &throttle_account);
	(void)throttle_fail(&s, t, &throttle_account);
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		assert_int_equal(throttle_fail(&s, t, &throttle_account), 0);
		assert_int_equal(throttle_wait(&s, t), expect[i]);
		t += expect[i];
		assert_int_equal(throttle_wait(&s, t), 0);
	}
}

static void
test_lockout_at_the_limit_reported_once(void **state)
{
	struct throttle_state s = { 0, 0, 0 };
	int		      i, locks = 0;

	(void)state;
	for (i = 0; i < 12; i++)
		locks += throttle_fail(&s, 500, &throttle_account);
	assert_int_equal(locks, 1);
	assert_int_equal(throttle_wait(&s, 500), THROTTLE_LOCK_SECONDS);
	assert_int_equal(throttle_wait(&s, 500 + THROTTLE_LOCK_SECONDS), 0);
}

static void
test_window_resets_but_not_while_locked(void **state)
{
	struct throttle_state s = { 9, 0, 0 };

	(void)state;
	/* An old window starts afresh. */
	(void)throttle_fail(&s, THROTTLE_WINDOW_SECONDS + 1, &throttle_account);
	assert_int_equal(s.failures, 1);

	/* A locked key keeps counting until the lock ends. */
	s.failures = 10;
	s.window_start = 0;
	s.blocked_until = 10000;
	(void)throttle_fail(&s, 5000, &throttle_account);
	assert_int_equal(s.failures, 11);
}

static void
test_address_policy_is_looser(void **state)
{
	struct throttle_state s = { 0, 0, 0 };
	int		      i;

	(void)state;
	for (i = 0; i < 19; i++)
		(void)throttle_fail(&s, 1, &throttle_address);
	assert_int_equal(throttle_wait(&s, 1), 0);
	(void)throttle_fail(&s, 1, &throttle_address);
	assert_int_equal(throttle_wait(&s, 1), 1);
}

/* What an address's throttle counts: IPv4 as it is, IPv6 by its /64. */
static void
test_an_ipv6_client_is_its_64(void **state)
{
	char out[64];

	(void)state;
	throttle_client("203.0.113.7", out, sizeof(out));
	assert_string_equal(out, "203.0.113.7");
	throttle_client("2001:db8:1:2:aaaa:bbbb:cccc:dddd", out, sizeof(out));
	assert_string_equal(out, "2001:db8:1:2::/64");
	throttle_client("2001:DB8:1:2::1", out, sizeof(out));
	assert_string_equal(out, "2001:db8:1:2::/64");
	throttle_client("2001:db8:1:3::1", out, sizeof(out));
	assert_string_equal(out, "2001:db8:1:3::/64");
	throttle_client("::ffff:198.51.100.4", out, sizeof(out));
	assert_string_equal(out, "198.51.100.4");
	throttle_client("::1", out, sizeof(out));
	assert_string_equal(out, "::/64");
	throttle_client("unknown", out, sizeof(out));
	assert_string_equal(out, "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_delay_before_the_threshold),
		cmocka_unit_test(test_delays_double_then_cap),
		cmocka_unit_test(test_lockout_at_the_limit_reported_once),
		cmocka_unit_test(test_window_resets_but_not_while_locked),
		cmocka_unit_test(test_address_policy_is_looser),
		cmocka_unit_test(test_an_ipv6_client_is_its_64),
	};

	return (
	    cmocka_run_group_tests_name("core/throttle", tests, NULL, NULL));
}
