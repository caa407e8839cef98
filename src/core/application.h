/*
 * The application's structured fields: one table of keys, labels, types
 * and limits that the server validates against, the completeness check
 * reads, and the front end receives (GET .../application lists them), so
 * a field is added in one place.
 */
#ifndef FELLOW_CORE_APPLICATION_H
#define FELLOW_CORE_APPLICATION_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

enum app_type {
	APP_TEXT,     /* one line of text, max characters */
	APP_LONGTEXT, /* several lines, max characters */
	APP_EMAIL,
	APP_PHONE,
	APP_INT,    /* min..max */
	APP_STEP1,  /* "pass", "fail" or a score min..max */
	APP_DIGITS, /* exactly or between min..max digits */
	APP_NRMP,   /* a capital letter and 7 digits */
	APP__MAX
};

struct app_field {
	const char   *key;
	const char   *label;
	const char   *section;
	enum app_type type;
	int	      required;
	int64_t	      min, max;
};

extern const struct app_field app_fields[];
extern const size_t	      app_fields_count;

/* Returns the field named key, or NULL. */
const struct app_field *application_field(const char *key);

/*
 * Checks value for field f: a JSON string or integer as the type wants,
 * or null to clear an optional field. Returns 0, or -1 with a sentence for
 * the user in *message.
 */
int application_check(
    const struct app_field *f, const json_t *value, const char **message);

/*
 * Normalises value for field f into the form the application stores, so
 * that input whose meaning is clear is taken rather than refused: a string
 * is trimmed of spaces at both ends and, once empty, clears the field (JSON
 * null); an e-mail address's domain is put in lower case; a phone number's
 * runs of spaces become one; a whole number, or a USMLE Step 1 score, may
 * come as text ("2019"); "Pass" and "FAIL" become "pass" and "fail";
 * identifiers lose their spaces and hyphens (and may come as a number), and
 * the NRMP ID's letter is put in capitals ("n 123-4567" is "N1234567").
 * The result is then checked with application_check().
 *
 * Returns 0 with *out the value to store (a new reference; JSON null to
 * clear the field); -1 when it is refused, with a sentence for the user in
 * *message; -2 when out of memory. *out is NULL unless 0 is returned.
 */
int application_normalize(const struct app_field *f, const json_t *value,
    json_t **out, const char **message);

/*
 * Appends to missing (a JSON array) an object {key, label} for every
 * required field that fields (a JSON object) lacks or holds empty.
 * Returns how many were appended.
 */
size_t application_missing(const json_t *fields, json_t *missing);

/* Returns the fields table as JSON for the front end (new reference). */
json_t *application_schema(void);

#endif
