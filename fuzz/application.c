/*
 * The application form: a JSON body of field keys and values, as
 * PUT /api/applications/{id}/application receives it, checked field by
 * field with application_check() and application_normalize() (as the
 * server stores it), and for completeness with application_missing(). An
 * accepted value must meet its field's rules as the rest of the product
 * relies on them; a normalised value is its own normal form.
 */
#include <ctype.h>

#include "core/application.h"
#include "core/utf8.h"
#include "fuzz.h"

static void
accepted(const struct app_field *f, const json_t *v)
{
	const char *s = json_string_value(v);
	size_t	    i, len;

	if (json_is_null(v))
		return;
	switch (f->type) {
	case APP_TEXT:
	case APP_LONGTEXT:
		fuzz_assert(s != NULL);
		len = strlen(s);
		fuzz_assert(utf8_valid(s, len));
		fuzz_assert(utf8_count(s, len) <= (size_t)f->max);
		for (i = 0; i < len; i++)
			fuzz_assert((unsigned char)s[i] >= 0x20 ||
			    (f->type == APP_LONGTEXT &&
				(s[i] == '\n' || s[i] == '\t')));
		break;
	case APP_INT:
		fuzz_assert(json_is_integer(v));
		fuzz_assert(json_integer_value(v) >= f->min &&
		    json_integer_value(v) <= f->max);
		break;
	case APP_DIGITS:
	case APP_NRMP:
		/* The identifiers go into the match CSV unquoted. */
		fuzz_assert(s != NULL);
		for (i = f->type == APP_NRMP ? 1 : 0; s[i] != '\0'; i++)
			fuzz_assert(isdigit((unsigned char)s[i]));
		break;
	default:
		break;
	}
}

/* A value normalisation accepts is stored as it is and stays so. */
static void
normalised(const struct app_field *f, const json_t *v)
{
	const char *msg = NULL;
	json_t	   *n, *again;
	int	    rc;

	if ((rc = application_normalize(f, v, &n, &msg)) == -2)
		abort();
	if (rc != 0) {
		fuzz_assert(n == NULL && msg != NULL && msg[0] != '\0');
		return;
	}
	fuzz_assert(application_check(f, n, &msg) == 0);
	accepted(f, n);
	if (application_normalize(f, n, &again, &msg) != 0)
		abort();
	fuzz_assert(json_equal(n, again));
	json_decref(again);
	json_decref(n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct app_field *f;
	const char	       *key, *msg;
	json_t		       *doc, *v, *missing;
	size_t			n;

	if ((doc = fuzz_json(data, size)) == NULL)
		return (0);
	if (json_is_object(doc)) {
		json_object_foreach(doc, key, v)
		{
			if ((f = application_field(key)) == NULL)
				continue;
			fuzz_assert(strcmp(f->key, key) == 0);
			msg = NULL;
			if (application_check(f, v, &msg) == 0)
				accepted(f, v);
			else
				fuzz_assert(msg != NULL && msg[0] != '\0');
			normalised(f, v);
		}
	}
	/* The completeness check takes whatever the database holds. */
	if ((missing = json_array()) == NULL)
		abort();
	n = application_missing(doc, missing);
	fuzz_assert(n == json_array_size(missing));
	fuzz_assert(n <= app_fields_count);
	json_decref(missing);
	json_decref(doc);
	return (0);
}
