/* Tests for src/core/roles.c: names round-trip, staff membership. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core/roles.h"

static void
test_names_round_trip(void **state)
{
	enum role r;
	int	  i;

	(void)state;
	for (i = 0; i < ROLE__MAX; i++) {
		assert_int_equal(role_parse(role_name((enum role)i), &r), 0);
		assert_int_equal(r, i);
	}
	assert_int_equal(role_parse("Director", &r), -1);
	assert_int_equal(role_parse("", &r), -1);
	assert_string_equal(role_name(ROLE__MAX), "");
}

static void
test_staff_is_coordinator_and_director(void **state)
{
	(void)state;
	assert_false(role_is_staff(ROLE_APPLICANT));
	assert_false(role_is_staff(ROLE_FACULTY));
	assert_true(role_is_staff(ROLE_COORDINATOR));
	assert_true(role_is_staff(ROLE_DIRECTOR));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_staff_is_coordinator_and_director),
	};

	return (cmocka_run_group_tests_name("core/roles", tests, NULL, NULL));
}
