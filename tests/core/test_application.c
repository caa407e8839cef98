/* Tests for src/core/application.c: every field type's rules. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core/application.h"

/* Checks a JSON text value for key; returns 0 or -1. */
static int
check(const char *key, const char *json)
{
	const struct app_field *f = application_field(key);
	const char	       *msg = NULL;
	json_t		       *v;
	int			rc;

	assert_non_null(f);
	v = json_loads(json, JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	rc = application_check(f, v, &msg);
	if (rc != 0)
		assert_non_null(msg);
	json_decref(v);
	return (rc);
}

static void
test_identifiers(void **state)
{
	(void)state;
	assert_int_equal(check("aamc_id", "\"12345678\""), 0);
	assert_int_equal(check("aamc_id", "\"1234567\""), -1);
	assert_int_equal(check("aamc_id", "\"123456789\""), -1);
	assert_int_equal(check("aamc_id", "12345678"), -1);
	assert_int_equal(check("aamc_id", "\"1234567a\""), -1);
	assert_int_equal(check("nrmp_id", "\"N1234567\""), 0);
	assert_int_equal(check("nrmp_id", "\"n1234567\""), -1);
	assert_int_equal(check("nrmp_id", "\"N123456\""), -1);
	assert_int_equal(check("sfmatch_id", "\"12345\""), 0);
	assert_int_equal(check("sfmatch_id", "\"1234\""), -1);
	assert_int_equal(check("sfmatch_id", "null"), 0);
}

static void
test_numbers_and_exams(void **state)
{
	(void)state;
	assert_int_equal(check("publications_count", "0"), 0);
	assert_int_equal(check("publications_count", "-1"), -1);
	assert_int_equal(check("publications_count", "\"3\""), -1);
	assert_int_equal(check("publications_count", "2.5"), -1);
	assert_int_equal(check("usmle_step1", "\"pass\""), 0);
	assert_int_equal(check("usmle_step1", "\"fail\""), 0);
	assert_int_equal(check("usmle_step1", "240"), 0);
	assert_int_equal(check("usmle_step1", "\"Pass\""), -1);
	assert_int_equal(check("usmle_step1", "301"), -1);
	assert_int_equal(check("residency_year", "1969"), -1);
}

static void
test_text_contact_fields(void **state)
{
	(void)state;
	assert_int_equal(check("first_name", "\"Zo\\u00eb\""), 0);
	assert_int_equal(check("first_name", "\"  \""), -1);
	assert_int_equal(check("first_name", "\"a\\nb\""), -1);
	assert_int_equal(check("mailing_address", "\"a\\nb\""), 0);
	assert_int_equal(check("email", "\"a@b.example\""), 0);
	assert_int_equal(check("email", "\"a@b\""), -1);
	assert_int_equal(check("phone", "\"+1 (617) 555-0100\""), 0);
	assert_int_equal(check("phone", "\"555-01\""), -1);
	assert_int_equal(check("phone", "\"call me\""), -1);
}

static void
test_missing_lists_required_fields_only(void **state)
{
	json_t *fields, *missing;
	size_t	i, required = 0, n;

	(void)state;
	for (i = 0; i < app_fields_count; i++)
		required += app_fields[i].required;
	fields = json_pack("{s:s,s:s,s:n}", "first_name", "Ann", "last_name",
	    "", "phone", NULL);
	missing = json_array();
	n = application_missing(fields, missing);
	assert_int_equal(n, required - 1);
	assert_int_equal(json_array_size(missing), n);
	json_decref(fields);
	json_decref(missing);
	assert_null(application_field("nope"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identifiers),
		cmocka_unit_test(test_numbers_and_exams),
		cmocka_unit_test(test_text_contact_fields),
		cmocka_unit_test(test_missing_lists_required_fields_only),
	};

	return (
	    cmocka_run_group_tests_name("core/application", tests, NULL, NULL));
}
