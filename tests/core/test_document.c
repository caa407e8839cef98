/* Tests for src/core/document.c: kinds, what is missing, upload types. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/document.h"

static void
test_kinds(void **state)
{
	enum document_kind k;

	(void)state;
	assert_int_equal(document_kind_parse("cv", &k), 0);
	assert_int_equal(k, DOC_CV);
	assert_int_equal(document_kind_parse("other", &k), 0);
	assert_int_equal(k, DOC_OTHER);
	assert_int_equal(document_kind_parse("CV", &k), -1);
	assert_int_equal(document_kind_parse("", &k), -1);
}

static void
test_missing_names_the_required_kinds(void **state)
{
	const int have[DOC__MAX] = { 1, 0, 0 };
	json_t	 *missing = json_array();

	(void)state;
	assert_int_equal(document_missing(have, missing), 1);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(missing, 0), "key")),
	    "personal_statement");
	json_decref(missing);
}

static void
test_upload_needs_a_form_with_a_boundary(void **state)
{
	(void)state;
	assert_true(document_upload_type_ok(
	    "multipart/form-data; boundary=----x7MA4YWxk"));
	assert_false(document_upload_type_ok("multipart/form-data; boundary="));
	assert_false(document_upload_type_ok("multipart/form-data"));
	assert_false(document_upload_type_ok("application/pdf"));
	assert_false(document_upload_type_ok(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_missing_names_the_required_kinds),
		cmocka_unit_test(test_upload_needs_a_form_with_a_boundary),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
