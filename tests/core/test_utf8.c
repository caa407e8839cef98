/* Tests for src/core/utf8.c: the strict validator and the counter. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"

#define VALID(s) utf8_valid((s), sizeof(s) - 1)

static void
test_accepts_ascii_and_multibyte(void **state)
{
	(void)state;
	assert_true(VALID(""));
	assert_true(VALID("plain text"));
	assert_true(VALID("Jos\xc3\xa9"));	/* é */
	assert_true(VALID("\xe2\x82\xac"));	/* € */
	assert_true(VALID("\xf0\x9f\x98\x80")); /* emoji */
	assert_true(VALID("\xf4\x8f\xbf\xbf")); /* U+10FFFF */
}

static void
test_refuses_malformed_sequences(void **state)
{
	(void)state;
	assert_false(VALID("\x80"));		 /* lone continuation */
	assert_false(VALID("\xc3"));		 /* truncated */
	assert_false(VALID("\xc0\xaf"));	 /* overlong '/' */
	assert_false(VALID("\xe0\x80\xaf"));	 /* overlong */
	assert_false(VALID("\xed\xa0\x80"));	 /* surrogate */
	assert_false(VALID("\xf4\x90\x80\x80")); /* above U+10FFFF */
	assert_false(VALID("\xff"));
	assert_false(VALID("a\x00"
			   "b"));	 /* embedded NUL */
	assert_false(VALID("\xe2\x82")); /* truncated at end */
}

static void
test_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(utf8_count("abc", 3), 3);
	assert_int_equal(utf8_count("Jos\xc3\xa9", 5), 4);
	assert_int_equal(utf8_count("\xf0\x9f\x98\x80", 4), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_ascii_and_multibyte),
		cmocka_unit_test(test_refuses_malformed_sequences),
		cmocka_unit_test(test_counts_code_points),
	};

	return (cmocka_run_group_tests_name("core/utf8", tests, NULL, NULL));
}
