/* Tests for src/core/access.c: who manages which accounts (SPEC §2). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core/access.h"

static void
test_invitations(void **state)
{
	(void)state;
	assert_int_equal(
	    access_invite(ROLE_DIRECTOR, ROLE_DIRECTOR), ACCESS_OK);
	assert_int_equal(access_invite(ROLE_DIRECTOR, ROLE_FACULTY), ACCESS_OK);
	assert_int_equal(
	    access_invite(ROLE_COORDINATOR, ROLE_COORDINATOR), ACCESS_OK);
	assert_int_equal(access_invite(ROLE_COORDINATOR, ROLE_DIRECTOR),
	    ACCESS_DIRECTORS_ONLY);
	assert_int_equal(
	    access_invite(ROLE_FACULTY, ROLE_FACULTY), ACCESS_NOT_STAFF);
	assert_int_equal(
	    access_invite(ROLE_APPLICANT, ROLE_FACULTY), ACCESS_NOT_STAFF);
	assert_int_equal(access_invite(ROLE_DIRECTOR, ROLE_APPLICANT),
	    ACCESS_NO_INVITED_APPLICANTS);
}

static void
test_updates(void **state)
{
	(void)state;
	/* The director manages anyone else. */
	assert_int_equal(access_update_user(ROLE_DIRECTOR, 1, ROLE_DIRECTOR, 2,
			     ROLE_FACULTY, 0),
	    ACCESS_OK);
	/* Nobody changes their own role or disables themselves... */
	assert_int_equal(access_update_user(ROLE_DIRECTOR, 1, ROLE_DIRECTOR, 1,
			     ROLE_FACULTY, 0),
	    ACCESS_NOT_YOURSELF);
	assert_int_equal(access_update_user(ROLE_DIRECTOR, 1, ROLE_DIRECTOR, 1,
			     ROLE_DIRECTOR, 1),
	    ACCESS_NOT_YOURSELF);
	/* ...but re-enabling or a no-op on oneself is harmless. */
	assert_int_equal(access_update_user(ROLE_COORDINATOR, 5,
			     ROLE_COORDINATOR, 5, ROLE_COORDINATOR, 0),
	    ACCESS_OK);
	/* The coordinator never touches directors. */
	assert_int_equal(access_update_user(ROLE_COORDINATOR, 5, ROLE_DIRECTOR,
			     1, ROLE_DIRECTOR, 1),
	    ACCESS_DIRECTORS_ONLY);
	assert_int_equal(access_update_user(ROLE_COORDINATOR, 5, ROLE_FACULTY,
			     7, ROLE_DIRECTOR, 0),
	    ACCESS_DIRECTORS_ONLY);
	assert_int_equal(access_update_user(ROLE_COORDINATOR, 5, ROLE_FACULTY,
			     7, ROLE_COORDINATOR, 1),
	    ACCESS_OK);
	assert_int_equal(access_update_user(
			     ROLE_FACULTY, 7, ROLE_FACULTY, 8, ROLE_FACULTY, 1),
	    ACCESS_NOT_STAFF);
}

static void
test_who_sees_an_application(void **state)
{
	(void)state;
	/* role, user, owner, submitted, conflicted, assigned */
	assert_true(access_view_application(ROLE_APPLICANT, 5, 5, 0, 0, 0));
	assert_false(access_view_application(ROLE_APPLICANT, 6, 5, 1, 0, 0));
	assert_true(access_view_application(ROLE_COORDINATOR, 1, 5, 0, 1, 0));
	assert_true(access_view_application(ROLE_DIRECTOR, 1, 5, 1, 1, 0));
	/* Faculty: submitted, assigned and without a conflict, only. */
	assert_true(access_view_application(ROLE_FACULTY, 2, 5, 1, 0, 1));
	assert_false(access_view_application(ROLE_FACULTY, 2, 5, 1, 0, 0));
	assert_false(access_view_application(ROLE_FACULTY, 2, 5, 1, 1, 1));
	assert_false(access_view_application(ROLE_FACULTY, 2, 5, 0, 0, 1));
}

static void
test_who_sees_a_cycle(void **state)
{
	(void)state;
	assert_true(access_view_cycle(ROLE_DIRECTOR, 1));
	assert_true(access_view_cycle(ROLE_COORDINATOR, 1));
	assert_false(access_view_cycle(ROLE_FACULTY, 1));
	assert_false(access_view_cycle(ROLE_APPLICANT, 1));
	assert_true(access_view_cycle(ROLE_FACULTY, 0));
	assert_true(access_view_cycle(ROLE_APPLICANT, 0));
	assert_false(access_view_cycle(ROLE__MAX, 0));
}

static void
test_a_conflict_hides_candidates_from_faculty_only(void **state)
{
	(void)state;
	assert_true(access_hidden_by_conflict(ROLE_FACULTY, 1));
	assert_false(access_hidden_by_conflict(ROLE_FACULTY, 0));
	/* The director keeps the staff's view; the conflict bars scoring. */
	assert_false(access_hidden_by_conflict(ROLE_DIRECTOR, 1));
	assert_false(access_hidden_by_conflict(ROLE_COORDINATOR, 1));
	assert_true(access_view_application(ROLE_DIRECTOR, 1, 2, 1, 1, 0));
	assert_false(access_view_application(ROLE_FACULTY, 1, 2, 1, 1, 1));
}

static void
test_a_late_conflict_of_a_rater_waits_for_the_staff(void **state)
{
	(void)state;
	/* Before scoring closes (or with no sheet in a closed phase), and
	 * before certification: recorded at once, as always. */
	assert_false(access_conflict_held(ROLE_FACULTY, 0, 0));
	/* A sheet submitted in a closed phase, or a certified list: held. */
	assert_true(access_conflict_held(ROLE_FACULTY, 0, 1));
	assert_true(access_conflict_held(ROLE_FACULTY, 1, 0));
	assert_true(access_conflict_held(ROLE_FACULTY, 1, 1));
	/* Staff decide, so what they record is never held. */
	assert_false(access_conflict_held(ROLE_COORDINATOR, 1, 1));
	assert_false(access_conflict_held(ROLE_DIRECTOR, 1, 1));
	assert_false(access_conflict_held(ROLE_APPLICANT, 1, 1));
	assert_true(access_decide_conflict(ROLE_COORDINATOR));
	assert_true(access_decide_conflict(ROLE_DIRECTOR));
	assert_false(access_decide_conflict(ROLE_FACULTY));
	assert_false(access_decide_conflict(ROLE_APPLICANT));
}

static void
test_every_verdict_has_a_message(void **state)
{
	int v;

	(void)state;
	for (v = 0; v < ACCESS__MAX; v++)
		assert_true(strlen(access_message((enum access_verdict)v)) > 0);
}

static void
test_mail_bodies_only_when_held_with_demo_data(void **state)
{
	(void)state;
	/* The standing (aggregated scores, ranks): staff only. */
	assert_true(access_view_standing(ROLE_DIRECTOR));
	assert_true(access_view_standing(ROLE_COORDINATOR));
	assert_false(access_view_standing(ROLE_FACULTY));
	assert_false(access_view_standing(ROLE_APPLICANT));
	assert_true(access_mail_bodies(1, 1));
	assert_false(access_mail_bodies(1, 0));
	assert_false(access_mail_bodies(0, 1));
	assert_false(access_mail_bodies(0, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invitations),
		cmocka_unit_test(test_updates),
		cmocka_unit_test(test_who_sees_an_application),
		cmocka_unit_test(test_who_sees_a_cycle),
		cmocka_unit_test(
		    test_a_conflict_hides_candidates_from_faculty_only),
		cmocka_unit_test(
		    test_a_late_conflict_of_a_rater_waits_for_the_staff),
		cmocka_unit_test(test_every_verdict_has_a_message),
		cmocka_unit_test(
		    test_mail_bodies_only_when_held_with_demo_data),
	};

	return (cmocka_run_group_tests_name("core/access", tests, NULL, NULL));
}
