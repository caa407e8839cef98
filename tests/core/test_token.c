/* Tests for src/core/token.c: shape, randomness, hashing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/token.h"

static void
test_new_tokens_are_url_safe_and_distinct(void **state)
{
	char	      a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];
	unsigned char ha[TOKEN_HASH_LEN], hb[TOKEN_HASH_LEN];

	(void)state;
	token_new(a);
	token_new(b);
	assert_int_equal(strlen(a), TOKEN_LEN);
	assert_int_equal(strspn(a,
			     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
			     "opqrstuvwxyz0123456789-_"),
	    TOKEN_LEN);
	assert_string_not_equal(a, b);
	assert_int_equal(token_hash(a, ha), 0);
	assert_int_equal(token_hash(b, hb), 0);
	assert_memory_not_equal(ha, hb, TOKEN_HASH_LEN);
}

static void
test_hash_is_stable_and_refuses_junk(void **state)
{
	char	      t[TOKEN_LEN + 1];
	unsigned char h1[TOKEN_HASH_LEN], h2[TOKEN_HASH_LEN];

	(void)state;
	token_new(t);
	assert_int_equal(token_hash(t, h1), 0);
	assert_int_equal(token_hash(t, h2), 0);
	assert_memory_equal(h1, h2, TOKEN_HASH_LEN);
	assert_int_equal(token_hash("", h1), -1);
	assert_int_equal(token_hash("short", h1), -1);
	t[5] = '/';
	assert_int_equal(token_hash(t, h1), -1);
	t[5] = '=';
	assert_int_equal(token_hash(t, h1), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_tokens_are_url_safe_and_distinct),
		cmocka_unit_test(test_hash_is_stable_and_refuses_junk),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests_name("core/token", tests, NULL, NULL));
}
