/* Tests for src/core/application.c: every field type's rules. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
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

/*
 * Normalises the JSON text value for key and returns the stored value as
 * compact JSON text (static buffer), or "refused".
 */
static const char *
norm(const char *key, const char *json)
{
	static char		buf[256];
	const struct app_field *f = application_field(key);
	const char	       *msg = NULL;
	json_t		       *v, *out = (json_t *)1;
	char		       *text;

	assert_non_null(f);
	v = json_loads(json, JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	if (application_normalize(f, v, &out, &msg) != 0) {
		assert_null(out);
		assert_non_null(msg);
		json_decref(v);
		return ("refused");
	}
	text = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
	assert_non_null(text);
	(void)snprintf(buf, sizeof(buf), "%s", text);
	free(text);
	/* What normalisation gives back passes the strict check and is its
	 * own normal form. */
	assert_int_equal(application_check(f, out, &msg), 0);
	json_decref(v);
	v = out;
	assert_int_equal(application_normalize(f, v, &out, &msg), 0);
	assert_true(json_equal(v, out));
	json_decref(out);
	json_decref(v);
	return (buf);
}

static void
test_normalize_pass_fail_case_and_scores(void **state)
{
	(void)state;
	assert_string_equal(norm("usmle_step1", "\"Pass\""), "\"pass\"");
	assert_string_equal(norm("usmle_step1", "\"FAIL\""), "\"fail\"");
	assert_string_equal(norm("usmle_step1", "\" pass \""), "\"pass\"");
	assert_string_equal(norm("usmle_step1", "\"240\""), "240");
	assert_string_equal(norm("usmle_step1", "\" 240 \""), "240");
	assert_string_equal(norm("usmle_step1", "240"), "240");
	assert_string_equal(norm("usmle_step1", "\"passed\""), "refused");
	assert_string_equal(norm("usmle_step1", "\"301\""), "refused");
	assert_string_equal(norm("usmle_step1", "\"0\""), "refused");
	assert_string_equal(norm("usmle_step1", "\"p a s s\""), "refused");
}

static void
test_normalize_identifiers(void **state)
{
	(void)state;
	assert_string_equal(norm("nrmp_id", "\"n1234567\""), "\"N1234567\"");
	assert_string_equal(
	    norm("nrmp_id", "\" N 123-4567 \""), "\"N1234567\"");
	assert_string_equal(norm("nrmp_id", "\"N1234567\""), "\"N1234567\"");
	assert_string_equal(norm("nrmp_id", "\"11234567\""), "refused");
	assert_string_equal(norm("nrmp_id", "\"n123456\""), "refused");
	assert_string_equal(norm("nrmp_id", "\"\\u00e91234567\""), "refused");
	assert_string_equal(norm("aamc_id", "\"1234 5678\""), "\"12345678\"");
	assert_string_equal(norm("aamc_id", "\"1234-5678\""), "\"12345678\"");
	/* A no-break space, as pasted from a document. */
	assert_string_equal(
	    norm("aamc_id", "\"\\u00a01234\\u00a05678\\u00a0\""),
	    "\"12345678\"");
	assert_string_equal(norm("aamc_id", "12345678"), "\"12345678\"");
	assert_string_equal(norm("aamc_id", "1234567"), "refused");
	assert_string_equal(norm("aamc_id", "-12345678"), "refused");
	assert_string_equal(norm("aamc_id", "\"1234.5678\""), "refused");
	assert_string_equal(norm("sfmatch_id", "\" 12 345 \""), "\"12345\"");
	assert_string_equal(norm("sfmatch_id", "\"1234\""), "refused");
}

static void
test_normalize_text_numbers_and_clearing(void **state)
{
	(void)state;
	assert_string_equal(norm("first_name", "\"  Amara \""), "\"Amara\"");
	/* Spaces inside a name are the applicant's own. */
	assert_string_equal(
	    norm("last_name", "\" van  der Berg\\t\""), "\"van  der Berg\"");
	assert_string_equal(
	    norm("mailing_address", "\"\\n12 Main St\\nBoston \\n\""),
	    "\"12 Main St\\nBoston\"");
	/* Only spaces, or nothing: the field is cleared. */
	assert_string_equal(norm("first_name", "\"   \""), "null");
	assert_string_equal(norm("first_name", "\"\""), "null");
	assert_string_equal(norm("aamc_id", "\" - \""), "null");
	assert_string_equal(norm("first_name", "null"), "null");
	assert_string_equal(norm("first_name", "\"a\\nb\""), "refused");
	assert_string_equal(norm("first_name", "5"), "refused");
	assert_string_equal(norm("email", "\" Ann.Lee@Example.ORG \""),
	    "\"Ann.Lee@example.org\"");
	assert_string_equal(norm("email", "\"ann@\""), "refused");
	assert_string_equal(
	    norm("phone", "\" +1  617   555 0100 \""), "\"+1 617 555 0100\"");
	assert_string_equal(norm("publications_count", "\" 7 \""), "7");
	assert_string_equal(norm("publications_count", "\"+7\""), "7");
	assert_string_equal(norm("publications_count", "\"-1\""), "refused");
	assert_string_equal(norm("publications_count", "\"7.5\""), "refused");
	assert_string_equal(norm("publications_count", "\"seven\""), "refused");
	assert_string_equal(
	    norm("publications_count", "\"99999999999999999999\""), "refused");
	assert_string_equal(norm("publications_count", "2.0"), "refused");
	assert_string_equal(norm("medical_school_year", "\"2019\""), "2019");
	assert_string_equal(norm("medical_school_year", "true"), "refused");
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
		cmocka_unit_test(test_normalize_pass_fail_case_and_scores),
		cmocka_unit_test(test_normalize_identifiers),
		cmocka_unit_test(test_normalize_text_numbers_and_clearing),
		cmocka_unit_test(test_missing_lists_required_fields_only),
	};

	return (
	    cmocka_run_group_tests_name("core/application", tests, NULL, NULL));
}
