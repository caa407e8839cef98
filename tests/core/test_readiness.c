/*
 * Tests for src/core/readiness.c: what counts as not interviewed, when a
 * phase blocks certification, the check of a request's acknowledgements
 * and of the record kept with a certified version.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core/readiness.h"

static void
test_codes_parse_back(void **state)
{
	enum ready_warn w;
	int		i;

	(void)state;
	for (i = 0; i < READY_WARN__MAX; i++) {
		assert_int_equal(ready_warn_parse(ready_warn_codes[i], &w), 0);
		assert_int_equal(w, i);
		assert_true(strlen(ready_warn_titles[i]) > 0);
	}
	assert_int_equal(ready_warn_parse("phase_open", &w), -1);
	assert_int_equal(ready_warn_parse("", &w), -1);
	assert_int_equal(ready_warn_parse("NOT_INTERVIEWED", &w), -1);
}

static void
test_interviewed_by_the_sheets_that_count(void **state)
{
	(void)state;
	assert_int_equal(ready_interview(0, 0), READY_NO_INTERVIEW);
	assert_int_equal(ready_interview(0, 4), READY_NO_INTERVIEW);
	assert_int_equal(ready_interview(1, 4), READY_FEWER_SHEETS);
	assert_int_equal(ready_interview(3, 4), READY_FEWER_SHEETS);
	assert_int_equal(ready_interview(4, 4), READY_INTERVIEWED);
	/* An assignment removed after its sheet was submitted. */
	assert_int_equal(ready_interview(3, 2), READY_INTERVIEWED);
	/* Sheets without any assignment left (assignments removed). */
	assert_int_equal(ready_interview(2, 0), READY_INTERVIEWED);
}

static void
test_an_open_phase_blocks_when_it_counts(void **state)
{
	(void)state;
	assert_true(ready_phase_blocks(70, 0));
	assert_false(ready_phase_blocks(70, 1));
	/* A phase of weight 0 changes nothing in the composite. */
	assert_false(ready_phase_blocks(0, 0));
}

static void
test_acknowledgements(void **state)
{
	int	present[READY_WARN__MAX] = { 0 };
	int	count[READY_WARN__MAX] = { 0 };
	int	missing[READY_WARN__MAX], seen[READY_WARN__MAX];
	long	bad;
	json_t *a;
	int	i;

	(void)state;
	present[READY_NOT_INTERVIEWED] = present[READY_SHEETS_OPEN] = 1;
	count[READY_NOT_INTERVIEWED] = 2;
	count[READY_SHEETS_OPEN] = 8;
	/* None sent: each present one is missing, the others are not. */
	assert_int_equal(
	    ready_acknowledged(present, count, NULL, missing, seen, &bad), 0);
	assert_int_equal(missing[READY_NOT_INTERVIEWED], 1);
	assert_int_equal(missing[READY_SHEETS_OPEN], 1);
	assert_int_equal(missing[READY_GROUPS_APART], 0);
	/* One of two; a code not present is accepted; repeats are too. */
	a = json_pack("[s,s,s]", "sheets_open", "groups_apart", "sheets_open");
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), 0);
	assert_int_equal(missing[READY_NOT_INTERVIEWED], 1);
	assert_int_equal(missing[READY_SHEETS_OPEN], 0);
	json_decref(a);
	a = json_pack("[s,s]", "not_interviewed", "sheets_open");
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), 0);
	for (i = 0; i < READY_WARN__MAX; i++)
		assert_int_equal(missing[i], 0);
	json_decref(a);
	/* With the counts shown: the same counts acknowledge; another
	 * count says the warning changed since it was shown (a warning not
	 * present any more has nothing to change). */
	a = json_pack("[{s:s,s:i},{s:s,s:i},{s:s,s:i}]", "code",
	    "not_interviewed", "count", 2, "code", "sheets_open", "count", 8,
	    "code", "groups_apart", "count", 5);
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), 0);
	for (i = 0; i < READY_WARN__MAX; i++) {
		assert_int_equal(missing[i], 0);
		assert_int_equal(seen[i], -1);
	}
	json_decref(a);
	a = json_pack("[{s:s,s:i},s]", "code", "not_interviewed", "count", 1,
	    "sheets_open");
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), 0);
	assert_int_equal(seen[READY_NOT_INTERVIEWED], 1);
	assert_int_equal(seen[READY_SHEETS_OPEN], -1);
	json_decref(a);
	/* Objects of another shape: refused, the element named. */
	a = json_pack("[s,{s:s}]", "sheets_open", "code", "not_interviewed");
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), -1);
	assert_int_equal(bad, 1);
	json_decref(a);
	a = json_pack("[{s:s,s:i}]", "code", "not_interviewed", "count", -1);
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), -1);
	json_decref(a);
	a = json_pack("[{s:s,s:i,s:b}]", "code", "not_interviewed", "count", 2,
	    "sure", 1);
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), -1);
	json_decref(a);
	/* An unknown code, a number, a blocking item's code: refused, and
	 * the offending element named. */
	a = json_pack("[s,s]", "not_interviewed", "typo");
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), -1);
	assert_int_equal(bad, 1);
	json_decref(a);
	a = json_pack("[i]", 3);
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), -1);
	assert_int_equal(bad, 0);
	json_decref(a);
	a = json_pack("[s]", "phase_open");
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), -1);
	json_decref(a);
	/* Not an array, or too long. */
	a = json_string("not_interviewed");
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), -1);
	assert_int_equal(bad, -1);
	json_decref(a);
	a = json_array();
	for (i = 0; i <= READY_ACK_MAX; i++)
		json_array_append_new(a, json_string("sheets_open"));
	assert_int_equal(
	    ready_acknowledged(present, count, a, missing, seen, &bad), -1);
	assert_int_equal(bad, -1);
	json_decref(a);
}

/* A well-formed record of one warning with two items. */
static json_t *
record(void)
{
	return (json_pack("[{s:s,s:s,s:s,s:i,s:[{s:s,s:s},{s:s}]}]", "code",
	    "not_interviewed", "title", "Ranked candidates not interviewed",
	    "message", "2 ranked candidates have no interview sheet.", "count",
	    2, "items", "name", "Zoë Ørsted", "detail", "Not invited.", "name",
	    "Amara Dvořák"));
}

static void
test_the_record_of_acknowledgements(void **state)
{
	const char *why = NULL;
	json_t	   *r;

	(void)state;
	r = record();
	assert_int_equal(ready_record_check(r, &why), 0);
	json_decref(r);
	r = json_array();
	assert_int_equal(ready_record_check(r, &why), 0);
	json_decref(r);
	/* Each flaw refused with a sentence. */
	r = record();
	json_object_set_new(json_array_get(r, 0), "code", json_string("x"));
	assert_int_equal(ready_record_check(r, &why), -1);
	assert_non_null(why);
	json_decref(r);
	r = record();
	json_array_append(r, json_array_get(r, 0));
	assert_int_equal(ready_record_check(r, &why), -1); /* twice */
	json_decref(r);
	r = record();
	json_object_set_new(json_array_get(r, 0), "extra", json_true());
	assert_int_equal(ready_record_check(r, &why), -1);
	json_decref(r);
	r = record();
	json_object_set_new(json_array_get(r, 0), "count", json_integer(-1));
	assert_int_equal(ready_record_check(r, &why), -1);
	json_decref(r);
	r = record();
	json_object_del(json_array_get(r, 0), "message");
	assert_int_equal(ready_record_check(r, &why), -1);
	json_decref(r);
	r = record();
	json_object_set_new(
	    json_array_get(json_object_get(json_array_get(r, 0), "items"), 1),
	    "application_id", json_integer(7));
	assert_int_equal(ready_record_check(r, &why), -1);
	json_decref(r);
	r = record();
	json_object_set_new(
	    json_array_get(json_object_get(json_array_get(r, 0), "items"), 0),
	    "name", json_string("bell\a"));
	assert_int_equal(ready_record_check(r, &why), -1);
	json_decref(r);
	r = json_object();
	assert_int_equal(ready_record_check(r, &why), -1);
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes_parse_back),
		cmocka_unit_test(test_interviewed_by_the_sheets_that_count),
		cmocka_unit_test(test_an_open_phase_blocks_when_it_counts),
		cmocka_unit_test(test_acknowledgements),
		cmocka_unit_test(test_the_record_of_acknowledgements),
	};

	return (
	    cmocka_run_group_tests_name("core/readiness", tests, NULL, NULL));
}
