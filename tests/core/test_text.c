/* Tests for src/core/text.c: e-mail addresses and names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"

static void
test_email_accepts_ordinary_addresses(void **state)
{
	(void)state;
	assert_true(text_email_valid("a@b.co"));
	assert_true(text_email_valid("first.last+tag@med.example.org"));
	assert_true(text_email_valid("o'neil@hospital-1.example"));
}

static void
test_email_refuses_malformed_addresses(void **state)
{
	char long_local[80], long_addr[300];

	(void)state;
	assert_false(text_email_valid(""));
	assert_false(text_email_valid("plain"));
	assert_false(text_email_valid("@example.org"));
	assert_false(text_email_valid("a@"));
	assert_false(text_email_valid("a@localhost"));
	assert_false(text_email_valid("a@@example.org"));
	assert_false(text_email_valid("a b@example.org"));
	assert_false(text_email_valid("a@exa mple.org"));
	assert_false(text_email_valid("a@-example.org"));
	assert_false(text_email_valid("a@example..org"));
	assert_false(text_email_valid("a@example.org."));
	assert_false(text_email_valid("a\n@example.org"));
	assert_false(text_email_valid("<a>@example.org"));

	memset(long_local, 'x', 65);
	strcpy(long_local + 65, "@example.org");
	assert_false(text_email_valid(long_local));
	memset(long_addr, 'y', 250);
	strcpy(long_addr + 250, "@example.org");
	assert_false(text_email_valid(long_addr));
}

static void
test_name_rules(void **state)
{
	char big[TEXT_NAME_MAX + 2];

	(void)state;
	assert_true(text_name_valid("Dr. Lena Fischer"));
	assert_true(text_name_valid("Zo\xc3\xab \xe7\x8e\x8b"));
	assert_false(text_name_valid(""));
	assert_false(text_name_valid("   "));
	assert_false(text_name_valid("tab\there"));
	assert_false(text_name_valid("bad \xff byte"));
	memset(big, 'n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_false(text_name_valid(big));
	big[TEXT_NAME_MAX] = '\0';
	assert_true(text_name_valid(big));
}

static void
test_path_ids(void **state)
{
	(void)state;
	assert_int_equal(text_path_id("/api/cycles/12", "/api/cycles/"), 12);
	assert_int_equal(
	    text_path_id("/api/cycles/7/ranklist", "/api/cycles/"), 7);
	assert_int_equal(
	    text_path_id("/api/cycles/123456789012345678", "/api/cycles/"),
	    123456789012345678LL);
	/* What strtoll() took and the routes never let through. */
	assert_int_equal(text_path_id("/api/cycles/+5", "/api/cycles/"), 0);
	assert_int_equal(text_path_id("/api/cycles/ 5", "/api/cycles/"), 0);
	assert_int_equal(
	    text_path_id("/api/cycles/99999999999999999999", "/api/cycles/"),
	    0);
	assert_int_equal(text_path_id("/api/cycles/0", "/api/cycles/"), 0);
	assert_int_equal(text_path_id("/api/cycles/5x", "/api/cycles/"), 0);
	assert_int_equal(text_path_id("/api/cycles/", "/api/cycles/"), 0);
	assert_int_equal(text_path_id("/api/users/5", "/api/cycles/"), 0);
}

/* A name put into mail to someone else: a person's name, nothing more. */
static void
test_person_names(void **state)
{
	char long_name[120];

	(void)state;
	assert_true(text_person_name_valid("Dr. Helen Park"));
	assert_true(text_person_name_valid("María-José O’Connor, MD"));
	assert_true(text_person_name_valid("J.R.R. Tolkien"));
	assert_true(text_person_name_valid("Łukasz Dvořák (Prof.)"));
	assert_true(text_person_name_valid("李小龙"));
	assert_false(text_person_name_valid(""));
	assert_false(text_person_name_valid("   "));
	assert_false(text_person_name_valid(
	    "Account security team: verify at http://evil.example"));
	assert_false(text_person_name_valid("verify at evil.example"));
	assert_false(text_person_name_valid("Ada www.evil.com"));
	assert_false(text_person_name_valid("ada@example.org"));
	assert_false(text_person_name_valid("Call 555 0100"));
	assert_false(text_person_name_valid("Ada\nLovelace"));
	assert_false(text_person_name_valid("Ada\xc2\x85Lovelace"));
	memset(long_name, 'a', 101);
	long_name[101] = '\0';
	assert_false(text_person_name_valid(long_name));
	long_name[100] = '\0';
	assert_true(text_person_name_valid(long_name));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_email_accepts_ordinary_addresses),
		cmocka_unit_test(test_email_refuses_malformed_addresses),
		cmocka_unit_test(test_name_rules),
		cmocka_unit_test(test_person_names),
		cmocka_unit_test(test_path_ids),
	};

	return (cmocka_run_group_tests_name("core/text", tests, NULL, NULL));
}
