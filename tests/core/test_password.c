/* Tests for src/core/password.c: the policy and Argon2id round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/password.h"

#define CHECK(s) password_check((s), strlen(s))

static void
test_length_boundaries(void **state)
{
	char   pw[PASSWORD_MAX_LEN + 2];
	size_t i;

	(void)state;
	assert_int_equal(CHECK("elevenchars"), PASSWORD_TOO_SHORT);
	assert_int_equal(CHECK("twelve chars"), PASSWORD_OK);
	/* Twelve characters, more bytes: counted as characters. */
	assert_int_equal(
	    CHECK("Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m"), PASSWORD_OK);
	assert_int_equal(
	    CHECK("Zo\xc3\xab \xc3\x85ngstr\xc3\xb6"), PASSWORD_TOO_SHORT);
	for (i = 0; i < PASSWORD_MAX_LEN; i++)
		pw[i] = (char)('a' + (i * 7) % 26);
	pw[PASSWORD_MAX_LEN] = '\0';
	assert_int_equal(CHECK(pw), PASSWORD_OK);
	pw[PASSWORD_MAX_LEN] = 'p';
	pw[PASSWORD_MAX_LEN + 1] = '\0';
	assert_int_equal(CHECK(pw), PASSWORD_TOO_LONG);
	assert_int_equal(CHECK("bad bytes \xff\xfe here"), PASSWORD_NOT_UTF8);
}

static void
test_common_passwords_and_trivial_variants_are_refused(void **state)
{
	static const char *const refused[] = {
		"password1234",	    /* listed word, digits appended */
		"PASSWORD2024!!",   /* case and symbols do not help */
		"!!!qwerty123456",  /* symbols in front */
		"passwordpassword", /* a listed word twice */
		"123456789012",	    /* counting up, cyclic digits */
		"987654321098",	    /* counting down */
		"abcdefghijklm",    /* letters in order */
		"aaaaaaaaaaaaaa",   /* one character */
		"abababababab",	    /* a short unit repeated */
		"qwertyuiop1234",   /* a listed keyboard row, digits */
	};
	static const char *const accepted[] = {
		"correct horse battery staple",
		"Hippocrates 1977!!",
		"sarcoma fellowship 2027",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (CHECK(refused[i]) != PASSWORD_COMMON)
			fail_msg("accepted: %s", refused[i]);
	}
	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		if (CHECK(accepted[i]) != PASSWORD_OK)
			fail_msg("refused: %s", accepted[i]);
	}
}

static void
test_every_verdict_has_a_message(void **state)
{
	int v;

	(void)state;
	for (v = 0; v < PASSWORD__MAX; v++)
		assert_true(strlen(password_verdict_message(
				(enum password_verdict)v)) > 0);
	assert_string_equal(password_verdict_message(PASSWORD__MAX), "");
}

static void
test_hash_verifies_only_the_right_password(void **state)
{
	char hash[PASSWORD_HASH_MAX];

	(void)state;
	assert_int_equal(password_hash("correct horse battery", 21, hash), 0);
	assert_memory_equal(hash, "$argon2id$", 10);
	assert_true(password_verify(hash, "correct horse battery", 21));
	assert_false(password_verify(hash, "correct horse batterz", 21));
	assert_false(password_verify(hash, "", 0));
	assert_false(password_verify("$argon2id$garbage", "x", 1));
}

static void
test_same_password_hashes_differently(void **state)
{
	char a[PASSWORD_HASH_MAX], b[PASSWORD_HASH_MAX];

	(void)state;
	assert_int_equal(password_hash("same password here", 18, a), 0);
	assert_int_equal(password_hash("same password here", 18, b), 0);
	assert_string_not_equal(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_length_boundaries),
		cmocka_unit_test(
		    test_common_passwords_and_trivial_variants_are_refused),
		cmocka_unit_test(test_every_verdict_has_a_message),
		cmocka_unit_test(test_hash_verifies_only_the_right_password),
		cmocka_unit_test(test_same_password_hashes_differently),
	};

	if (sodium_init() < 0)
		return (1);
	return (
	    cmocka_run_group_tests_name("core/password", tests, NULL, NULL));
}
