/*
 * The readiness gate's rules (see readiness.h): the codes and titles of
 * the blocking items and warnings, what counts as not interviewed, when a
 * phase blocks, and the checks of acknowledgements and of their record.
 */
#include <stdint.h>
#include <string.h>

#include "core/readiness.h"
#include "core/text.h"

const char *const ready_block_codes[READY_BLOCK__MAX] = {
	"already_certified",
	"stale_version",
	"cycle_state",
	"candidates_missing",
	"departed",
	"conflicts_pending",
	"nobody_ranked",
	"phase_open",
};

const char *const ready_warn_codes[READY_WARN__MAX] = {
	"not_interviewed",
	"interview_sheets_short",
	"sheets_open",
	"groups_apart",
	"late_conflicts",
};

const char *const ready_warn_titles[READY_WARN__MAX] = {
	"Ranked candidates not interviewed",
	"Ranked candidates with fewer interview sheets than assigned",
	"Draft or missing score sheets",
	"Rater groups that cannot be compared",
	"Conflicts of interest declared after scoring",
};

/* The longest text a record's title, message, name or detail holds. */
#define READY_TEXT_MAX 2000

int
ready_warn_parse(const char *code, enum ready_warn *out)
{
	int i;

	for (i = 0; i < READY_WARN__MAX; i++) {
		if (strcmp(code, ready_warn_codes[i]) == 0) {
			*out = (enum ready_warn)i;
			return (0);
		}
	}
	return (-1);
}

enum ready_interview
ready_interview(int sheets, int assigned)
{
	if (sheets <= 0)
		return (READY_NO_INTERVIEW);
	/* More sheets than assigned (an assignment removed after its sheet
	 * was submitted) is not a shortfall. */
	return (sheets < assigned ? READY_FEWER_SHEETS : READY_INTERVIEWED);
}

int
ready_phase_blocks(int weight, int closed)
{
	return (weight > 0 && !closed);
}

int
ready_acknowledged(const int present[READY_WARN__MAX],
    const int count[READY_WARN__MAX], const json_t *acked,
    int missing[READY_WARN__MAX], int seen[READY_WARN__MAX], long *bad)
{
	int		named[READY_WARN__MAX] = { 0 };
	enum ready_warn w;
	size_t		i;
	int		k;

	*bad = -1;
	for (k = 0; k < READY_WARN__MAX; k++)
		seen[k] = -1;
	if (acked != NULL &&
	    (!json_is_array(acked) || json_array_size(acked) > READY_ACK_MAX))
		return (-1);
	for (i = 0; acked != NULL && i < json_array_size(acked); i++) {
		const json_t *it = json_array_get(acked, i), *code = it, *n;

		n = NULL;
		if (json_is_object(it)) {
			/* {code, count}, nothing else. */
			code = json_object_get(it, "code");
			n = json_object_get(it, "count");
			if (json_object_size(it) != 2 || !json_is_integer(n) ||
			    json_integer_value(n) < 0 ||
			    json_integer_value(n) > INT32_MAX) {
				*bad = (long)i;
				return (-1);
			}
		}
		if (!json_is_string(code) ||
		    ready_warn_parse(json_string_value(code), &w) != 0) {
			*bad = (long)i;
			return (-1);
		}
		named[w] = 1;
		if (n != NULL && present[w] &&
		    json_integer_value(n) != (json_int_t)count[w])
			seen[w] = (int)json_integer_value(n);
	}
	for (k = 0; k < READY_WARN__MAX; k++)
		missing[k] = present[k] && !named[k];
	return (0);
}

/* A string member of o of at most READY_TEXT_MAX characters (optional
 * when may_lack): 0 or -1. */
static int
text_member(const json_t *o, const char *key, int may_lack)
{
	const json_t *v = json_object_get(o, key);
	const char   *why;

	if (v == NULL)
		return (may_lack ? 0 : -1);
	return (json_is_string(v) &&
		    text_plain(json_string_value(v), 1, READY_TEXT_MAX, &why) ==
			0
		? 0
		: -1);
}

int
ready_record_check(const json_t *record, const char **why)
{
	int		seen[READY_WARN__MAX] = { 0 };
	enum ready_warn w;
	const char     *key;
	json_t	       *v, *items;
	size_t		i, j;

	if (!json_is_array(record) ||
	    json_array_size(record) > READY_WARN__MAX) {
		*why = "The warnings acknowledged are a list of at most one "
		       "of each warning.";
		return (-1);
	}
	for (i = 0; i < json_array_size(record); i++) {
		const json_t *it = json_array_get(record, i);
		const json_t *code = json_object_get(it, "code");
		const json_t *count = json_object_get(it, "count");

		if (!json_is_object(it) || !json_is_string(code) ||
		    ready_warn_parse(json_string_value(code), &w) != 0 ||
		    seen[w]) {
			*why = "Each warning acknowledged names a known "
			       "warning, once.";
			return (-1);
		}
		seen[w] = 1;
		json_object_foreach((json_t *)it, key, v)
		{
			if (strcmp(key, "code") != 0 &&
			    strcmp(key, "title") != 0 &&
			    strcmp(key, "message") != 0 &&
			    strcmp(key, "count") != 0 &&
			    strcmp(key, "items") != 0) {
				*why = "A warning acknowledged holds code, "
				       "title, message, count and items only.";
				return (-1);
			}
		}
		items = json_object_get(it, "items");
		if (text_member(it, "title", 0) != 0 ||
		    text_member(it, "message", 0) != 0 ||
		    !json_is_integer(count) || json_integer_value(count) < 0 ||
		    !json_is_array(items)) {
			*why = "A warning acknowledged has a title, a message, "
			       "a count and a list of items.";
			return (-1);
		}
		for (j = 0; j < json_array_size(items); j++) {
			const json_t *x = json_array_get(items, j);

			if (!json_is_object(x) ||
			    json_object_size(x) !=
				1 + (json_object_get(x, "detail") != NULL) ||
			    text_member(x, "name", 0) != 0 ||
			    text_member(x, "detail", 1) != 0) {
				*why = "Each item of a warning acknowledged "
				       "is {name, detail?}, as text.";
				return (-1);
			}
		}
	}
	return (0);
}
