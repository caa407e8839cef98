/* Tests for src/core/rubric.c: rubric validation, sheets, weighted score. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core/rubric.h"

/* A valid two-criterion rubric on 1-5 and 0-2 scales, weights 60/40. */
static json_t *
two(void)
{
	return (json_pack("[{s:s,s:s,s:s,s:i,s:i,s:[s,s,s,s,s],s:i},"
			  "{s:s,s:s,s:s,s:i,s:i,s:[s,s,s],s:i}]",
	    "key", "clinical", "label", "Clinical", "description", "", "min", 1,
	    "max", 5, "anchors", "1", "2", "3", "4", "5", "weight", 60, "key",
	    "fit", "label", "Fit", "description", "Fit with the team", "min", 0,
	    "max", 2, "anchors", "poor", "fair", "good", "weight", 40));
}

static int
check(json_t *c)
{
	char msg[256];
	int  rc = rubric_check(c, msg, sizeof(msg));

	json_decref(c);
	return (rc);
}

static void
test_defaults_are_valid_and_weigh_100(void **state)
{
	char msg[256];
	int  p;

	(void)state;
	for (p = 0; p < PHASE__MAX; p++) {
		json_t *d = rubric_default((enum phase)p);

		assert_non_null(d);
		assert_int_equal(rubric_check(d, msg, sizeof(msg)), 0);
		assert_int_equal(json_array_size(d), 5);
		json_decref(d);
	}
	assert_int_equal(
	    phase_default_weight[0] + phase_default_weight[1], 100);
}

static void
test_weights_must_sum_to_100(void **state)
{
	json_t *c = two();
	char	msg[256];

	(void)state;
	json_object_set_new(json_array_get(c, 1), "weight", json_integer(41));
	assert_int_equal(rubric_check(c, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "101"));
	json_decref(c);
}

static void
test_refuses_bad_criteria(void **state)
{
	json_t *c;

	(void)state;
	assert_int_equal(check(json_array()), -1);
	assert_int_equal(check(json_object()), -1);
	/* Scale: min must be below max, max at most 10. */
	c = two();
	json_object_set_new(json_array_get(c, 0), "min", json_integer(5));
	assert_int_equal(check(c), -1);
	c = two();
	json_object_set_new(json_array_get(c, 1), "max", json_integer(11));
	assert_int_equal(check(c), -1);
	/* One anchor per level. */
	c = two();
	json_array_remove(json_object_get(json_array_get(c, 0), "anchors"), 0);
	assert_int_equal(check(c), -1);
	/* Keys: unique, lower case. */
	c = two();
	json_object_set_new(
	    json_array_get(c, 1), "key", json_string("clinical"));
	assert_int_equal(check(c), -1);
	c = two();
	json_object_set_new(json_array_get(c, 1), "key", json_string("Fit"));
	assert_int_equal(check(c), -1);
	/* Weights are whole numbers 1..100; labels are required. */
	c = two();
	json_object_set_new(json_array_get(c, 1), "weight", json_real(40.0));
	assert_int_equal(check(c), -1);
	c = two();
	json_object_set_new(json_array_get(c, 1), "label", json_string("  "));
	assert_int_equal(check(c), -1);
	/* Unknown members are refused, not ignored. */
	c = two();
	json_object_set_new(json_array_get(c, 1), "colour", json_string("red"));
	assert_int_equal(check(c), -1);
	assert_int_equal(check(two()), 0);
}

static void
test_values_within_scale_and_known(void **state)
{
	json_t *c = two(), *v;
	char	field[40], msg[160];

	(void)state;
	v = json_pack("{s:i}", "clinical", 3);
	assert_int_equal(rubric_check_values(
			     c, v, 0, field, sizeof(field), msg, sizeof(msg)),
	    0);
	/* Complete sheets need every criterion, and say which is missing. */
	assert_int_equal(rubric_check_values(
			     c, v, 1, field, sizeof(field), msg, sizeof(msg)),
	    -1);
	assert_string_equal(field, "fit");
	json_decref(v);
	v = json_pack("{s:i,s:i}", "clinical", 6, "fit", 1);
	assert_int_equal(rubric_check_values(
			     c, v, 0, field, sizeof(field), msg, sizeof(msg)),
	    -1);
	assert_string_equal(field, "clinical");
	json_decref(v);
	v = json_pack("{s:i}", "bogus", 1);
	assert_int_equal(rubric_check_values(
			     c, v, 0, field, sizeof(field), msg, sizeof(msg)),
	    -1);
	assert_string_equal(field, "bogus");
	json_decref(v);
	v = json_pack("{s:s}", "fit", "2");
	assert_int_equal(rubric_check_values(
			     c, v, 0, field, sizeof(field), msg, sizeof(msg)),
	    -1);
	json_decref(v);
	json_decref(c);
}

static void
test_weighted_scales_each_criterion_over_its_range(void **state)
{
	json_t *c = two(), *v;

	(void)state;
	/* clinical 3 on 1..5 is 0.5 * 60 = 30; fit 2 on 0..2 is 40. */
	v = json_pack("{s:i,s:i}", "clinical", 3, "fit", 2);
	assert_true(
	    rubric_weighted(c, v) > 69.99 && rubric_weighted(c, v) < 70.01);
	json_decref(v);
	v = json_pack("{s:i,s:i}", "clinical", 1, "fit", 0);
	assert_true(rubric_weighted(c, v) == 0.0);
	json_decref(v);
	v = json_pack("{s:i}", "clinical", 5);
	assert_true(rubric_weighted(c, v) < 0);
	json_decref(v);
	json_decref(c);
}

static void
test_phase_names(void **state)
{
	enum phase p;

	(void)state;
	assert_int_equal(phase_parse("interview", &p), 0);
	assert_int_equal(p, PHASE_INTERVIEW);
	assert_int_equal(phase_parse("Interview", &p), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_valid_and_weigh_100),
		cmocka_unit_test(test_weights_must_sum_to_100),
		cmocka_unit_test(test_refuses_bad_criteria),
		cmocka_unit_test(test_values_within_scale_and_known),
		cmocka_unit_test(
		    test_weighted_scales_each_criterion_over_its_range),
		cmocka_unit_test(test_phase_names),
	};

	return (cmocka_run_group_tests_name("core/rubric", tests, NULL, NULL));
}
