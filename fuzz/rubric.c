/*
 * Rubrics and score sheets: a JSON document taken as a rubric's criteria
 * (PUT .../rubrics/{phase}), or as {"criteria": [...], "values": {...}}
 * for a score sheet (PUT .../scores/{phase}) on that rubric, and its
 * "values" (or the whole document) against the built-in rubrics. A
 * rubric that rubric_check() accepts must be safe for every later use,
 * and a complete sheet's weighted score lies on 0-100.
 */
#include "core/rubric.h"
#include "fuzz.h"

static void
sheet(const json_t *criteria, const json_t *values)
{
	char   field[64], msg[256];
	double w;
	int    complete;

	for (complete = 0; complete <= 1; complete++) {
		if (rubric_check_values(criteria, values, complete, field,
			sizeof(field), msg, sizeof(msg)) != 0) {
			fuzz_assert(msg[0] != '\0');
			continue;
		}
		if (!complete)
			continue;
		w = rubric_weighted(criteria, values);
		fuzz_assert(w >= 0.0 && w <= 100.0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const json_t *criteria, *values;
	json_t	     *doc, *dflt;
	char	      msg[512];
	enum phase    p;

	if ((doc = fuzz_json(data, size)) == NULL)
		return (0);
	criteria = json_is_object(doc) ? json_object_get(doc, "criteria") : doc;
	values = json_is_object(doc) && json_object_get(doc, "values") != NULL
	    ? json_object_get(doc, "values")
	    : doc;
	if (json_is_string(doc))
		(void)phase_parse(json_string_value(doc), &p);
	msg[0] = '\0';
	if (rubric_check(criteria, msg, sizeof(msg)) == 0)
		sheet(criteria, values);
	else
		fuzz_assert(msg[0] != '\0');
	for (p = 0; p < PHASE__MAX; p++) {
		if ((dflt = rubric_default(p)) == NULL)
			abort();
		fuzz_assert(rubric_check(dflt, msg, sizeof(msg)) == 0);
		sheet(dflt, values);
		json_decref(dflt);
	}
	json_decref(doc);
	return (0);
}
