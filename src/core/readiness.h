/*
 * What must hold before the director certifies a rank list (the
 * readiness gate), as data and pure rules. The operations gather the
 * facts (ops/readiness.c); this says what they mean.
 *
 * Blocking items refuse certification outright: the list is certified
 * already, the cycle is in a state where nothing is certified, the list
 * changed since the director reviewed it (a stale version), candidates
 * were invited since it was saved, it holds someone who is no longer a
 * candidate (withdrawn, or reopened to a draft, since it was saved: the
 * match must not receive them), a conflict of interest a rater declared
 * after scoring closed awaits the staff's decision (accepting it would
 * change scores), it ranks nobody, or a phase that
 * counts in the composite is still open for scoring (a sheet could
 * still change under the certified list).
 *
 * Warnings do not refuse, but each one present must be acknowledged by
 * the director, by its code, in the certification request; what was
 * acknowledged is kept with the certified version. They are:
 *  - ranked candidates not interviewed: no interview sheet that counts
 *    (they are ranked on screening alone);
 *  - ranked candidates with fewer interview sheets than interview
 *    raters assigned;
 *  - draft or missing sheets: assignments of the list's candidates, in
 *    either phase, without a submitted sheet;
 *  - a rater design whose groups cannot be compared (a phase that counts
 *    whose rater-candidate graph is not connected);
 *  - conflicts declared after scoring: a recorded conflict whose rater
 *    had submitted a sheet of the candidate (the sheet no longer counts).
 */
#ifndef FELLOW_CORE_READINESS_H
#define FELLOW_CORE_READINESS_H

#include <stddef.h>

#include <jansson.h>

enum ready_block {
	READY_CERTIFIED,
	READY_STALE,
	READY_STATE,
	READY_MISSING,
	READY_DEPARTED,
	READY_CONFLICTS_PENDING,
	READY_NOBODY,
	READY_PHASE_OPEN,
	READY_BLOCK__MAX
};

enum ready_warn {
	READY_NOT_INTERVIEWED,
	READY_SHEETS_SHORT,
	READY_SHEETS_OPEN,
	READY_GROUPS_APART,
	READY_LATE_CONFLICTS,
	READY_WARN__MAX
};

/* The codes the API sends ("phase_open", "not_interviewed"). Blocking
 * items are listed, and the first one reported, in enum order. */
extern const char *const ready_block_codes[READY_BLOCK__MAX];
extern const char *const ready_warn_codes[READY_WARN__MAX];

/* A warning's title, a noun phrase for a heading or a checkbox
 * ("Ranked candidates not interviewed"). */
extern const char *const ready_warn_titles[READY_WARN__MAX];

/* Returns 0 and the warning named code, or -1. */
int ready_warn_parse(const char *code, enum ready_warn *out);

/* A ranked candidate's interview, by the interview sheets that count
 * and the interview raters assigned. */
enum ready_interview {
	READY_INTERVIEWED,  /* every assigned rater's sheet counts */
	READY_NO_INTERVIEW, /* no interview sheet counts */
	READY_FEWER_SHEETS  /* some, fewer than assigned */
};

enum ready_interview ready_interview(int sheets, int assigned);

/* 1 when a phase blocks certification: it counts in the composite
 * (weight > 0) and its scoring is not closed. */
int ready_phase_blocks(int weight, int closed);

/* The most acknowledgements a request may name (each code once is
 * READY_WARN__MAX; repeats are allowed up to this). */
#define READY_ACK_MAX 32

/*
 * Checks the acknowledgements of a certification request against the
 * warnings present (present[w] non-zero, count[w] how many it concerns).
 * acked is NULL (none) or a JSON array whose elements are a warning's
 * code, or {code, count} with the count the director was shown; a code
 * of a warning not present is accepted (the situation improved since the
 * director looked). Returns -1 when acked is not an array of at most
 * READY_ACK_MAX known codes or such objects (*bad is then the index of
 * the offending element, or -1 for the array itself); else 0, with
 * missing[w] set to 1 for each warning present and not acknowledged, and
 * seen[w] to the count acknowledged with a present warning w when it is
 * not count[w] (the warning changed since it was shown), else -1.
 */
int ready_acknowledged(const int present[READY_WARN__MAX],
    const int count[READY_WARN__MAX], const json_t *acked,
    int missing[READY_WARN__MAX], int seen[READY_WARN__MAX], long *bad);

/*
 * Checks a record of acknowledged warnings, as kept with a certified
 * version and carried by the cycle's archive: an array of at most
 * READY_WARN__MAX objects {code, title, message, count, items}, each
 * code known and once, count >= 0, items an array of {name, detail?}
 * strings. Returns 0, or -1 with *why a sentence.
 */
int ready_record_check(const json_t *record, const char **why);

#endif
