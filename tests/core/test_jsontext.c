/*
 * Tests for src/core/jsontext.c: what it writes parses back (with
 * jansson) to the values written, for every byte a string may hold:
 * quotes and backslashes, control characters, characters beyond ASCII
 * (two, three and four bytes), and bytes that are not UTF-8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/jsontext.h"

/* Writes ["s"] and parses it back; returns the string (a new reference). */
static json_t *
round_trip(const char *s, char **text)
{
	struct jtext t;
	json_t	    *v;
	size_t	     len;

	jtext_init(&t);
	jtext_raw(&t, "[");
	jtext_str(&t, s);
	jtext_raw(&t, "]");
	assert_non_null(*text = jtext_finish(&t, &len));
	assert_int_equal(strlen(*text), len);
	assert_non_null(v = json_loadb(*text, len, 0, NULL));
	return (v);
}

static void
test_strings_come_back_as_written(void **state)
{
	static const char *const s[] = {
		"", "plain", "quote \" backslash \\ slash /",
		"\b\f\n\r\t\x01\x1f\x7f",
		"\xc5\x81\xc3\xb3"
		"d\xc5\xba",		     /* two bytes */
		"\xe2\x82\xac \xef\xbf\xbd", /* three */
		"\xf0\x9f\x98\x80",	     /* four: a surrogate pair */
	};
	json_t *v;
	char   *text;
	size_t	i, k;

	(void)state;
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		v = round_trip(s[i], &text);
		assert_string_equal(
		    json_string_value(json_array_get(v, 0)), s[i]);
		/* The text itself is ASCII. */
		for (k = 0; text[k] != '\0'; k++)
			assert_true((unsigned char)text[k] < 0x80);
		json_decref(v);
		free(text);
	}
}

/* Bytes that are not UTF-8 (a lone continuation, a cut sequence, an
 * overlong form, a surrogate, past U+10FFFF) become U+FFFD. */
static void
test_bytes_that_are_not_utf8_become_replacements(void **state)
{
	static const char *const bad[] = { "a\x80z", "a\xc3", "\xc0\xaf",
		"\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff" };
	json_t			*v;
	char			*text;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = round_trip(bad[i], &text);
		assert_non_null(strstr(text, "\\ufffd"));
		json_decref(v);
		free(text);
	}
}

static void
test_numbers_booleans_null_and_appending(void **state)
{
	struct jtext a, b;
	json_t	    *v;
	char	    *text;
	size_t	     len;

	(void)state;
	jtext_init(&a);
	jtext_init(&b);
	jtext_raw(&a, "{\"n\":");
	jtext_int(&a, INT64_MIN);
	jtext_raw(&a, ",\"t\":");
	jtext_bool(&a, 1);
	jtext_raw(&b, ",\"f\":");
	jtext_bool(&b, 0);
	jtext_raw(&b, ",\"z\":");
	jtext_str(&b, NULL);
	jtext_append(&a, &b);
	jtext_raw(&a, "}");
	jtext_free(&b);
	assert_non_null(text = jtext_finish(&a, &len));
	assert_non_null(v = json_loadb(text, len, 0, NULL));
	assert_true(json_integer_value(json_object_get(v, "n")) == INT64_MIN);
	assert_true(json_is_true(json_object_get(v, "t")));
	assert_true(json_is_false(json_object_get(v, "f")));
	assert_true(json_is_null(json_object_get(v, "z")));
	json_decref(v);
	free(text);
	/* A finished text is empty again; freeing it twice is harmless. */
	assert_null(a.buf);
	jtext_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_come_back_as_written),
		cmocka_unit_test(
		    test_bytes_that_are_not_utf8_become_replacements),
		cmocka_unit_test(test_numbers_booleans_null_and_appending),
	};

	return (
	    cmocka_run_group_tests_name("core/jsontext", tests, NULL, NULL));
}
