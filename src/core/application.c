/*
 * Application fields and their rules. Identifiers: the AAMC ID has 8
 * digits; the NRMP ID a capital letter and 7 digits (N1234567); the SF
 * Match applicant ID 5 to 9 digits. What is stored is always in that
 * form; application_normalize() brings input whose meaning is clear to it
 * (the case of "Pass", the NRMP ID's letter, spaces around and inside
 * identifiers) instead of refusing it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/application.h"
#include "core/text.h"
#include "core/utf8.h"

/* clang-format off */
const struct app_field app_fields[] = {
	{ "first_name", "First name", "contact", APP_TEXT, 1, 1, 100 },
	{ "last_name", "Last name", "contact", APP_TEXT, 1, 1, 100 },
	{ "email", "Contact e-mail", "contact", APP_EMAIL, 1, 0, 0 },
	{ "phone", "Phone", "contact", APP_PHONE, 1, 0, 0 },
	{ "mailing_address", "Mailing address", "contact", APP_LONGTEXT, 1, 1, 500 },
	{ "medical_school", "Medical school", "training", APP_TEXT, 1, 1, 200 },
	{ "medical_school_year", "Medical school graduation year", "training", APP_INT, 1, 1970, 2035 },
	{ "residency_program", "Residency program", "training", APP_TEXT, 1, 1, 200 },
	{ "residency_year", "Residency graduation year", "training", APP_INT, 1, 1970, 2040 },
	{ "usmle_step1", "USMLE Step 1", "exams", APP_STEP1, 0, 1, 300 },
	{ "usmle_step2_ck", "USMLE Step 2 CK score", "exams", APP_INT, 0, 1, 300 },
	{ "comlex_level2", "COMLEX Level 2-CE score", "exams", APP_INT, 0, 1, 999 },
	{ "publications_count", "Peer-reviewed publications", "research", APP_INT, 1, 0, 1000 },
	{ "research_summary", "Research summary", "research", APP_LONGTEXT, 1, 1, 5000 },
	{ "sfmatch_id", "SF Match applicant ID", "identifiers", APP_DIGITS, 0, 5, 9 },
	{ "nrmp_id", "NRMP ID", "identifiers", APP_NRMP, 0, 0, 0 },
	{ "aamc_id", "AAMC ID", "identifiers", APP_DIGITS, 0, 8, 8 },
};
/* clang-format on */

const size_t app_fields_count = sizeof(app_fields) / sizeof(app_fields[0]);

const struct app_field *
application_field(const char *key)
{
	size_t i;

	for (i = 0; i < app_fields_count; i++) {
		if (strcmp(app_fields[i].key, key) == 0)
			return (&app_fields[i]);
	}
	return (NULL);
}

static int
phone_ok(const char *s)
{
	size_t i, n = 0, len = strlen(s);

	if (len < 7 || len > 25)
		return (0);
	for (i = 0; i < len; i++) {
		if (isdigit((unsigned char)s[i]))
			n++;
		else if (strchr("+-() .", s[i]) == NULL)
			return (0);
	}
	return (n >= 7 && n <= 15);
}

static int
digits_ok(const char *s, int64_t min, int64_t max)
{
	size_t i, len = strlen(s);

	if ((int64_t)len < min || (int64_t)len > max)
		return (0);
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (0);
	}
	return (1);
}

static int
int_ok(const json_t *v, int64_t min, int64_t max)
{
	return (json_is_integer(v) && json_integer_value(v) >= min &&
	    json_integer_value(v) <= max);
}

int
application_check(const struct app_field *f, const json_t *v, const char **msg)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;

	if (json_is_null(v))
		return (0);
	switch (f->type) {
	case APP_TEXT:
	case APP_LONGTEXT:
		if (s == NULL) {
			*msg = "Enter text.";
			return (-1);
		}
		return (text_plain(
		    s, f->type == APP_LONGTEXT, (size_t)f->max, msg));
	case APP_EMAIL:
		if (s == NULL || !text_email_valid(s)) {
			*msg = "Enter a valid e-mail address.";
			return (-1);
		}
		return (0);
	case APP_PHONE:
		if (s == NULL || !phone_ok(s)) {
			*msg = "Enter a phone number of 7 to 15 digits "
			       "(+, spaces, dashes and brackets allowed).";
			return (-1);
		}
		return (0);
	case APP_INT:
		if (!int_ok(v, f->min, f->max)) {
			*msg = "Enter a whole number in the allowed range.";
			return (-1);
		}
		return (0);
	case APP_STEP1:
		if ((s != NULL &&
			(strcmp(s, "pass") == 0 || strcmp(s, "fail") == 0)) ||
		    int_ok(v, f->min, f->max))
			return (0);
		*msg = "Enter pass, fail, or a score from 1 to 300.";
		return (-1);
	case APP_DIGITS:
		if (s == NULL || !digits_ok(s, f->min, f->max)) {
			*msg = f->min == f->max ? "Enter exactly 8 digits."
						: "Enter 5 to 9 digits.";
			return (-1);
		}
		return (0);
	case APP_NRMP:
		if (s == NULL || strlen(s) != 8 ||
		    !isupper((unsigned char)s[0]) || !digits_ok(s + 1, 7, 7)) {
			*msg = "Enter a letter and 7 digits, as in N1234567.";
			return (-1);
		}
		return (0);
	default:
		*msg = "Unknown field type.";
		return (-1);
	}
}

/* Whether s starts with a space: ASCII white space or U+00A0 (no-break
 * space, common in text pasted from documents). Returns its length. */
static size_t
space_at(const char *s)
{
	if (*s != '\0' && strchr(" \t\n\r\f\v", *s) != NULL)
		return (1);
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
		return (2);
	return (0);
}

/*
 * A copy of s without the spaces at both ends, and with each run of
 * spaces inside kept, replaced by one ' ' (collapse), or removed along
 * with hyphens (squeeze); NULL when out of memory. The caller frees it.
 */
enum inner { INNER_KEEP, INNER_COLLAPSE, INNER_SQUEEZE };

static char *
tidy(const char *s, enum inner inner)
{
	const char *end;
	char	   *out, *o;
	size_t	    n;
	int	    gap = 0;

	while ((n = space_at(s)) > 0)
		s += n;
	end = s + strlen(s);
	for (;;) {
		if (end > s && strchr(" \t\n\r\f\v", end[-1]) != NULL)
			end--;
		else if (end - s >= 2 && (unsigned char)end[-2] == 0xc2 &&
		    (unsigned char)end[-1] == 0xa0)
			end -= 2;
		else
			break;
	}
	if ((out = malloc((size_t)(end - s) + 1)) == NULL)
		return (NULL);
	for (o = out; s < end;) {
		if (inner != INNER_KEEP && (n = space_at(s)) > 0) {
			s += n;
			gap = 1;
			continue;
		}
		if (inner == INNER_SQUEEZE && *s == '-') {
			s++;
			continue;
		}
		if (gap && inner == INNER_COLLAPSE)
			*o++ = ' ';
		gap = 0;
		*o++ = *s++;
	}
	*o = '\0';
	return (out);
}

/* The integer a text of digits stands for (an optional sign, at most 12
 * digits); 0 when it is not one. */
static int
text_integer(const char *s, json_int_t *v)
{
	const char *p = s;
	char	   *end;
	long long   n;

	if (*p == '+' || *p == '-')
		p++;
	if (*p == '\0' || strlen(p) > 12 ||
	    strspn(p, "0123456789") != strlen(p))
		return (0);
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return (0);
	*v = (json_int_t)n;
	return (1);
}

/* The stored form of text t for field f, before the check: a new
 * reference, or NULL when out of memory. */
static json_t *
from_text(const struct app_field *f, char *t)
{
	json_int_t n;
	char	  *at;

	if (t[0] == '\0')
		return (json_null());
	switch (f->type) {
	case APP_EMAIL:
		/* The domain's case never matters; the local part's may. */
		if ((at = strrchr(t, '@')) != NULL)
			for (; *at != '\0'; at++)
				*at = (char)tolower((unsigned char)*at);
		break;
	case APP_INT:
		if (text_integer(t, &n))
			return (json_integer(n));
		break;
	case APP_STEP1:
		if (text_integer(t, &n))
			return (json_integer(n));
		if (strcasecmp(t, "pass") == 0 || strcasecmp(t, "fail") == 0)
			for (at = t; *at != '\0'; at++)
				*at = (char)tolower((unsigned char)*at);
		break;
	case APP_NRMP:
		t[0] = (char)toupper((unsigned char)t[0]);
		break;
	default:
		break;
	}
	return (json_string(t));
}

int
application_normalize(
    const struct app_field *f, const json_t *v, json_t **out, const char **msg)
{
	enum inner inner = INNER_KEEP;
	char	   num[32], *t;
	json_t	  *n = NULL;

	*out = NULL;
	if (json_is_string(v)) {
		if (f->type == APP_PHONE)
			inner = INNER_COLLAPSE;
		else if (f->type == APP_DIGITS || f->type == APP_NRMP)
			inner = INNER_SQUEEZE;
		if ((t = tidy(json_string_value(v), inner)) == NULL)
			return (-2);
		n = from_text(f, t);
		free(t);
	} else if (json_is_integer(v) && f->type == APP_DIGITS &&
	    json_integer_value(v) >= 0) {
		/* An identifier sent as a number: its digits. */
		(void)snprintf(
		    num, sizeof(num), "%lld", (long long)json_integer_value(v));
		n = json_string(num);
	} else
		n = json_deep_copy(v);
	if (n == NULL)
		return (-2);
	if (application_check(f, n, msg) != 0) {
		json_decref(n);
		return (-1);
	}
	*out = n;
	return (0);
}

size_t
application_missing(const json_t *fields, json_t *missing)
{
	const json_t *v;
	size_t	      i, n = 0;

	for (i = 0; i < app_fields_count; i++) {
		if (!app_fields[i].required)
			continue;
		v = json_object_get(fields, app_fields[i].key);
		if (v == NULL || json_is_null(v) ||
		    (json_is_string(v) && json_string_length(v) == 0)) {
			json_array_append_new(missing,
			    json_pack("{s:s,s:s}", "key", app_fields[i].key,
				"label", app_fields[i].label));
			n++;
		}
	}
	return (n);
}

json_t *
application_schema(void)
{
	static const char *const types[APP__MAX] = { "text", "longtext",
		"email", "phone", "int", "step1", "digits", "nrmp" };
	json_t			*out = json_array();
	size_t			 i;

	for (i = 0; i < app_fields_count; i++)
		json_array_append_new(out,
		    json_pack("{s:s,s:s,s:s,s:s,s:b,s:I,s:I}", "key",
			app_fields[i].key, "label", app_fields[i].label,
			"section", app_fields[i].section, "type",
			types[app_fields[i].type], "required",
			app_fields[i].required, "min",
			(json_int_t)app_fields[i].min, "max",
			(json_int_t)app_fields[i].max));
	return (out);
}
