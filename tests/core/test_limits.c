/*
 * Tests for src/core/limits.c: the table is whole (every limit named,
 * positive, named once), "over" means past the most allowed, and the
 * refusal's sentence names the limit and its value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/limits.h"

static void
test_the_table_is_whole(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < LIMIT__MAX; i++) {
		assert_non_null(limit_table[i].name);
		assert_non_null(limit_table[i].what);
		assert_true(limit_table[i].max >= 1);
		assert_string_equal(
		    limit_name((enum limit)i), limit_table[i].name);
		for (j = 0; j < i; j++)
			assert_string_not_equal(
			    limit_table[i].name, limit_table[j].name);
	}
	assert_string_equal(limit_name(LIMIT__MAX), "");
	assert_int_equal(limit_max(LIMIT__MAX), 0);
}

/* The values the ranking, the assignment and the import share. */
static void
test_the_values(void **state)
{
	(void)state;
	assert_int_equal(limit_max(LIMIT_CANDIDATES), 5000);
	assert_int_equal(limit_max(LIMIT_RATERS), 1000);
	assert_int_equal(limit_max(LIMIT_SHEETS), 100000);
	assert_int_equal(limit_max(LIMIT_ASSIGN_RATERS), 200);
	assert_int_equal(limit_max(LIMIT_ASSIGN_CANDIDATES), 2000);
	assert_int_equal(limit_max(LIMIT_ASSIGN_ITEMS), 500);
	/* The assignment works on part of what the ranking takes. */
	assert_true(limit_max(LIMIT_ASSIGN_RATERS) <= limit_max(LIMIT_RATERS));
	assert_true(
	    limit_max(LIMIT_ASSIGN_CANDIDATES) <= limit_max(LIMIT_CANDIDATES));
}

static void
test_over_means_past_the_most(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < LIMIT__MAX; i++) {
		assert_false(limit_over((enum limit)i, 0));
		assert_false(
		    limit_over((enum limit)i, limit_max((enum limit)i)));
		assert_true(
		    limit_over((enum limit)i, limit_max((enum limit)i) + 1));
	}
}

static void
test_the_sentence_names_the_limit(void **state)
{
	char buf[200];

	(void)state;
	assert_string_equal(
	    limit_message(LIMIT_CANDIDATES, "candidates", buf, sizeof(buf)),
	    "candidates: at most 5000 submitted candidates in a cycle (limit "
	    "candidates_per_cycle).");
	assert_string_equal(
	    limit_message(LIMIT_ASSIGN_ITEMS, NULL, buf, sizeof(buf)),
	    "At most 500 assignments changed in one request (limit "
	    "assignment_items).");
	/* Cut to the buffer, never past it. */
	assert_int_equal(strlen(limit_message(LIMIT_RATERS, "x", buf, 10)), 9);
	assert_string_equal(
	    limit_message(LIMIT__MAX, "x", buf, sizeof(buf)), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_table_is_whole),
		cmocka_unit_test(test_the_values),
		cmocka_unit_test(test_over_means_past_the_most),
		cmocka_unit_test(test_the_sentence_names_the_limit),
	};

	return (cmocka_run_group_tests_name("core/limits", tests, NULL, NULL));
}
