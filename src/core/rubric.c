/*
 * Rubric and score sheet rules. The default rubrics are a starting point
 * for a surgical fellowship that the director is expected to adjust: five
 * screening criteria read from the file and five interview criteria, each
 * on a 1-5 scale.
 */
#include <stdio.h>
#include <string.h>

#include "core/rubric.h"
#include "core/text.h"

const char *const phase_names[PHASE__MAX] = { "screening", "interview" };
const int	  phase_default_weight[PHASE__MAX] = { 30, 70 };

/* The levels of the default 1-5 scale. */
static const char *const default_anchors[5] = {
	"Concerning: well below what the program needs",
	"Below expectations",
	"Meets expectations for a fellowship applicant",
	"Strong: above most applicants",
	"Exceptional: among the best seen",
};

struct default_criterion {
	const char *key;
	const char *label;
	const char *description;
	enum phase  phase;
	int	    weight;
};

/* clang-format off */
static const struct default_criterion defaults[] = {
	{ "clinical", "Clinical preparation",
	  "Residency training, operative experience, in-training and board "
	  "examination results.",
	  PHASE_SCREENING, 25 },
	{ "research", "Research and scholarship",
	  "Publications, presentations and the quality of the research "
	  "summary.",
	  PHASE_SCREENING, 20 },
	{ "letters", "Letters of recommendation",
	  "Strength and specificity of the letters, and who wrote them.",
	  PHASE_SCREENING, 20 },
	{ "commitment", "Commitment to the specialty",
	  "Evidence of sustained interest: rotations, mentors, personal "
	  "statement, career plans.",
	  PHASE_SCREENING, 20 },
	{ "communication", "Communication and teamwork",
	  "Clarity of the written application; teamwork described in the "
	  "letters.",
	  PHASE_SCREENING, 15 },
	{ "reasoning", "Clinical reasoning",
	  "Approach to the case discussion: work-up, staging, surgical "
	  "planning, complications.",
	  PHASE_INTERVIEW, 25 },
	{ "communication", "Communication",
	  "Listens, explains clearly, answers directly.",
	  PHASE_INTERVIEW, 20 },
	{ "professionalism", "Professionalism and teamwork",
	  "Respect for patients and colleagues, honesty, reliability.",
	  PHASE_INTERVIEW, 20 },
	{ "motivation", "Motivation and goals",
	  "Understands the fellowship and has realistic career goals.",
	  PHASE_INTERVIEW, 15 },
	{ "fit", "Fit with the program",
	  "Would thrive across the partner hospitals and contribute to the "
	  "team.",
	  PHASE_INTERVIEW, 20 },
};
/* clang-format on */

int
phase_parse(const char *name, enum phase *out)
{
	int i;

	for (i = 0; i < PHASE__MAX; i++) {
		if (strcmp(name, phase_names[i]) == 0) {
			*out = (enum phase)i;
			return (0);
		}
	}
	return (-1);
}

json_t *
rubric_default(enum phase p)
{
	json_t *criteria, *anchors, *c;
	size_t	i;
	int	a;

	if ((criteria = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		if (defaults[i].phase != p)
			continue;
		anchors = json_array();
		for (a = 0; a < 5; a++)
			json_array_append_new(
			    anchors, json_string(default_anchors[a]));
		c = json_pack("{s:s,s:s,s:s,s:i,s:i,s:o,s:i}", "key",
		    defaults[i].key, "label", defaults[i].label, "description",
		    defaults[i].description, "min", 1, "max", 5, "anchors",
		    anchors, "weight", defaults[i].weight);
		if (c == NULL || json_array_append_new(criteria, c) != 0) {
			json_decref(criteria);
			return (NULL);
		}
	}
	return (criteria);
}

static int
key_ok(const char *k)
{
	size_t i, len = strlen(k);

	if (len == 0 || len >= RUBRIC_KEY_MAX || k[0] < 'a' || k[0] > 'z')
		return (0);
	for (i = 1; i < len; i++) {
		if (!((k[i] >= 'a' && k[i] <= 'z') ||
			(k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
			return (0);
	}
	return (1);
}

/* Checks one text member; fills msg naming the criterion on failure. */
static int
text_member(const json_t *c, const char *name, const char *what, int empty_ok,
    size_t max, size_t n, char *msg, size_t msglen)
{
	const json_t *v = json_object_get(c, name);
	const char   *why;

	if (!json_is_string(v)) {
		(void)snprintf(
		    msg, msglen, "Criterion %zu: enter %s.", n, what);
		return (-1);
	}
	if (empty_ok && json_string_value(v)[0] == '\0')
		return (0);
	if (text_plain(json_string_value(v), 1, max, &why) != 0) {
		(void)snprintf(
		    msg, msglen, "Criterion %zu, %s: %s", n, what, why);
		return (-1);
	}
	return (0);
}

/* Checks criterion n (1-based); adds its weight to *sum. */
static int
check_criterion(
    const json_t *c, size_t n, json_int_t *sum, char *msg, size_t msglen)
{
	static const char *const known[] = { "key", "label", "description",
		"min", "max", "anchors", "weight" };
	const json_t		*key, *min, *max, *weight, *anchors;
	const char		*name;
	json_t			*v;
	size_t			 i, k;

	if (!json_is_object(c)) {
		(void)snprintf(
		    msg, msglen, "Criterion %zu is not an object.", n);
		return (-1);
	}
	json_object_foreach((json_t *)c, name, v)
	{
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strcmp(name, known[k]) == 0)
				break;
		if (k == sizeof(known) / sizeof(known[0])) {
			(void)snprintf(msg, msglen,
			    "Criterion %zu has an unknown member.", n);
			return (-1);
		}
	}
	key = json_object_get(c, "key");
	if (!json_is_string(key) || !key_ok(json_string_value(key))) {
		(void)snprintf(msg, msglen,
		    "Criterion %zu: the key must be 1 to 31 lower-case "
		    "letters, "
		    "digits or _, starting with a letter.",
		    n);
		return (-1);
	}
	if (text_member(c, "label", "a label", 0, RUBRIC_LABEL_MAX, n, msg,
		msglen) != 0 ||
	    text_member(c, "description", "the description", 1, RUBRIC_DESC_MAX,
		n, msg, msglen) != 0)
		return (-1);
	min = json_object_get(c, "min");
	max = json_object_get(c, "max");
	if (!json_is_integer(min) || !json_is_integer(max) ||
	    json_integer_value(min) < 0 ||
	    json_integer_value(max) > RUBRIC_SCALE_MAX ||
	    json_integer_value(min) >= json_integer_value(max)) {
		(void)snprintf(msg, msglen,
		    "Criterion %zu: the scale must be whole numbers with "
		    "0 <= min < max <= %d.",
		    n, RUBRIC_SCALE_MAX);
		return (-1);
	}
	anchors = json_object_get(c, "anchors");
	if (!json_is_array(anchors) ||
	    (json_int_t)json_array_size(anchors) !=
		json_integer_value(max) - json_integer_value(min) + 1) {
		(void)snprintf(msg, msglen,
		    "Criterion %zu: give one anchor text for each level of the "
		    "scale.",
		    n);
		return (-1);
	}
	for (i = 0; i < json_array_size(anchors); i++) {
		const json_t *a = json_array_get(anchors, i);
		const char   *why;

		if (!json_is_string(a) ||
		    text_plain(json_string_value(a), 0, RUBRIC_ANCHOR_MAX,
			&why) != 0) {
			(void)snprintf(msg, msglen,
			    "Criterion %zu, anchor for level %lld: %s", n,
			    (long long)(json_integer_value(min) +
				(json_int_t)i),
			    json_is_string(a) ? why : "Enter a text.");
			return (-1);
		}
	}
	weight = json_object_get(c, "weight");
	if (!json_is_integer(weight) || json_integer_value(weight) < 1 ||
	    json_integer_value(weight) > 100) {
		(void)snprintf(msg, msglen,
		    "Criterion %zu: the weight must be a whole number from 1 "
		    "to 100.",
		    n);
		return (-1);
	}
	*sum += json_integer_value(weight);
	return (0);
}

int
rubric_check(const json_t *criteria, char *msg, size_t msglen)
{
	json_int_t sum = 0;
	size_t	   i, j, n;

	if (!json_is_array(criteria) || (n = json_array_size(criteria)) == 0 ||
	    n > RUBRIC_CRITERIA_MAX) {
		(void)snprintf(msg, msglen, "A rubric has 1 to %d criteria.",
		    RUBRIC_CRITERIA_MAX);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (check_criterion(json_array_get(criteria, i), i + 1, &sum,
			msg, msglen) != 0)
			return (-1);
		for (j = 0; j < i; j++) {
			if (strcmp(json_string_value(json_object_get(
				       json_array_get(criteria, i), "key")),
				json_string_value(json_object_get(
				    json_array_get(criteria, j), "key"))) ==
			    0) {
				(void)snprintf(msg, msglen,
				    "Criterion %zu repeats the key of "
				    "criterion %zu.",
				    i + 1, j + 1);
				return (-1);
			}
		}
	}
	if (sum != 100) {
		(void)snprintf(msg, msglen,
		    "The weights add up to %lld; they must add up to 100.",
		    (long long)sum);
		return (-1);
	}
	return (0);
}

/* The criterion with key, or NULL. */
static const json_t *
criterion(const json_t *criteria, const char *key)
{
	size_t i;

	for (i = 0; i < json_array_size(criteria); i++) {
		const json_t *c = json_array_get(criteria, i);

		if (strcmp(json_string_value(json_object_get(c, "key")), key) ==
		    0)
			return (c);
	}
	return (NULL);
}

int
rubric_check_values(const json_t *criteria, const json_t *values, int complete,
    char *field, size_t fieldlen, char *msg, size_t msglen)
{
	const json_t *c;
	const char   *key;
	json_t	     *v;
	json_int_t    lo, hi;
	size_t	      i;

	(void)snprintf(field, fieldlen, "%s", "");
	if (!json_is_object(values)) {
		(void)snprintf(msg, msglen, "%s",
		    "The scores must be an object of criterion keys and "
		    "whole numbers.");
		return (-1);
	}
	json_object_foreach((json_t *)values, key, v)
	{
		(void)snprintf(field, fieldlen, "%s", key);
		if ((c = criterion(criteria, key)) == NULL) {
			(void)snprintf(msg, msglen, "%s",
			    "This is not a criterion of the rubric.");
			return (-1);
		}
		lo = json_integer_value(json_object_get(c, "min"));
		hi = json_integer_value(json_object_get(c, "max"));
		if (!json_is_integer(v) || json_integer_value(v) < lo ||
		    json_integer_value(v) > hi) {
			(void)snprintf(msg, msglen,
			    "Choose a whole number from %lld to %lld.",
			    (long long)lo, (long long)hi);
			return (-1);
		}
	}
	if (!complete)
		return (0);
	for (i = 0; i < json_array_size(criteria); i++) {
		c = json_array_get(criteria, i);
		key = json_string_value(json_object_get(c, "key"));
		if (json_object_get(values, key) == NULL) {
			(void)snprintf(field, fieldlen, "%s", key);
			(void)snprintf(msg, msglen,
			    "Score \"%s\" before submitting.",
			    json_string_value(json_object_get(c, "label")));
			return (-1);
		}
	}
	return (0);
}

double
rubric_weighted(const json_t *criteria, const json_t *values)
{
	double	   sum = 0;
	json_int_t lo, hi, v;
	size_t	   i;

	for (i = 0; i < json_array_size(criteria); i++) {
		const json_t *c = json_array_get(criteria, i);
		const json_t *x = json_object_get(
		    values, json_string_value(json_object_get(c, "key")));

		if (!json_is_integer(x))
			return (-1);
		lo = json_integer_value(json_object_get(c, "min"));
		hi = json_integer_value(json_object_get(c, "max"));
		v = json_integer_value(x);
		sum += (double)(v - lo) / (double)(hi - lo) *
		    (double)json_integer_value(json_object_get(c, "weight"));
	}
	/* Two decimals, rounded half up (sum is never negative). */
	return ((double)(long long)(sum * 100.0 + 0.5) / 100.0);
}
