/*
 * Rubrics and score sheets as data: what a valid rubric is (criteria with
 * a key, label, description, an integer scale with an anchor text per
 * level, and a weight; the weights of a phase sum to 100), the built-in
 * default of each phase for a surgical fellowship, what a valid sheet is
 * against a rubric, and a sheet's weighted score on 0..100.
 *
 * Rubrics travel as JSON arrays of criteria, the same text the storage
 * layer keeps and the API sends, so there is one representation.
 */
#ifndef FELLOW_CORE_RUBRIC_H
#define FELLOW_CORE_RUBRIC_H

#include <jansson.h>

enum phase { PHASE_SCREENING, PHASE_INTERVIEW, PHASE__MAX };

#define RUBRIC_CRITERIA_MAX 12
#define RUBRIC_KEY_MAX	    32
#define RUBRIC_LABEL_MAX    100
#define RUBRIC_DESC_MAX	    1000
#define RUBRIC_ANCHOR_MAX   200
#define RUBRIC_SCALE_MAX    10
#define SHEET_COMMENT_MAX   4000

/* The phases' names ("screening", "interview") and their default weight
 * in the composite score. */
extern const char *const phase_names[PHASE__MAX];
extern const int	 phase_default_weight[PHASE__MAX];

/* Returns 0 and the phase named name, or -1. */
int phase_parse(const char *name, enum phase *out);

/* The built-in default criteria of a phase (a new reference). */
json_t *rubric_default(enum phase);

/*
 * Checks criteria (a JSON array) as a rubric. Returns 0, or -1 with a
 * sentence for the user in msg (at least 160 bytes).
 */
int rubric_check(const json_t *criteria, char *msg, size_t msglen);

/*
 * Checks values (a JSON object {key: integer}) against the criteria of a
 * valid rubric: every key must be a criterion, every value an integer on
 * its scale; when complete is set every criterion must have a value.
 * Returns 0, or -1 with the offending key (or "" for the whole object)
 * copied into field and a sentence in msg.
 */
int rubric_check_values(const json_t *criteria, const json_t *values,
    int complete, char *field, size_t fieldlen, char *msg, size_t msglen);

/*
 * The weighted score of complete values on 0..100: each criterion scaled
 * to 0..1 over its range, times its weight, summed. Returns -1 when a
 * criterion has no value.
 */
double rubric_weighted(const json_t *criteria, const json_t *values);

#endif
