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
 * Appends to missing (a JSON array) an object {key, label} for every
 * required field that fields (a JSON object) lacks or holds empty.
 * Returns how many were appended.
 */
size_t application_missing(const json_t *fields, json_t *missing);

/* Returns the fields table as JSON for the front end (new reference). */
json_t *application_schema(void);

#endif
