/*
 * Tests for src/core/csv.c: the cell rule every export uses (RFC 4180
 * quoting, formula starters neutralised, unicode kept) and the rows it
 * builds (CRLF, commas, numbers as they are).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"

static void
test_fields_are_quoted_and_guarded(void **state)
{
	static const char *const cases[][2] = {
		{ "Plain Name", "Plain Name" },
		{ "Smith, Jr.", "\"Smith, Jr.\"" },
		{ "Ann \"Nan\"", "\"Ann \"\"Nan\"\"\"" },
		{ "Zoë Ørsted", "Zoë Ørsted" },
		{ "Line\nTwo", "\"Line\nTwo\"" },
		{ "=SUM(A1)", "\"'=SUM(A1)\"" },
		{ "+1", "\"'+1\"" },
		{ "-1", "\"'-1\"" },
		{ "@x", "\"'@x\"" },
		{ "\tx", "\"'\tx\"" },
		{ "\rx", "\"'\rx\"" },
		{ "a=b", "a=b" },
		{ "", "" },
		/* Every locale's separator quotes; a starter after one, spaces
		 * between, is guarded as at the start. */
		{ "Ana;Lu", "\"Ana;Lu\"" },
		{ "Ana\tLu", "\"Ana\tLu\"" },
		{ "Ana;=1+1;=cmd|' /C calc'!A0;",
		    "\"Ana;'=1+1;'=cmd|' /C calc'!A0;\"" },
		{ "x, =1", "\"x, '=1\"" },
		{ "x,\t=1", "\"x,\t'=1\"" },
		{ "a\n@b", "\"a\n'@b\"" },
		{ "1;-2", "\"1;'-2\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *f = csv_field(cases[i][0]);

		assert_non_null(f);
		assert_string_equal(f, cases[i][1]);
		free(f);
	}
}

static void
test_rows_end_in_crlf_with_cells_guarded(void **state)
{
	struct csv c = { 0 };
	size_t	   len;
	char	  *text;

	(void)state;
	assert_int_equal(csv_raw(&c, "id"), 0);
	assert_int_equal(csv_raw(&c, "name"), 0);
	assert_int_equal(csv_row_end(&c), 0);
	assert_int_equal(csv_raw(&c, "-3.5"), 0);
	assert_int_equal(csv_text(&c, "=HYPERLINK(\"x\")"), 0);
	assert_int_equal(csv_row_end(&c), 0);
	assert_int_equal(csv_text(&c, ""), 0);
	assert_int_equal(csv_text(&c, "Dvořák, Amara"), 0);
	assert_int_equal(csv_row_end(&c), 0);
	text = csv_take(&c, &len);
	assert_non_null(text);
	assert_string_equal(text,
	    "id,name\r\n"
	    "-3.5,\"'=HYPERLINK(\"\"x\"\")\"\r\n"
	    ",\"Dvořák, Amara\"\r\n");
	assert_int_equal(len, strlen(text));
	free(text);
	/* Taken: c is empty again, and an empty export is "". */
	text = csv_take(&c, &len);
	assert_string_equal(text, "");
	assert_int_equal(len, 0);
	free(text);
	csv_clear(&c);
	csv_clear(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_are_quoted_and_guarded),
		cmocka_unit_test(test_rows_end_in_crlf_with_cells_guarded),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
