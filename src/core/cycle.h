/*
 * Application cycles: their states, the order of their dates, and when an
 * applicant may still edit.
 */
#ifndef FELLOW_CORE_CYCLE_H
#define FELLOW_CORE_CYCLE_H

#include <stdint.h>

#include "core/dates.h"

enum cycle_state {
	CYCLE_SETUP,
	CYCLE_OPEN,
	CYCLE_REVIEW,
	CYCLE_RANKING,
	CYCLE_CERTIFIED,
	CYCLE_ARCHIVED,
	CYCLE__MAX
};

/* The dates of a cycle, in its time zone, in the order they must come. */
enum cycle_date {
	CYCLE_APPLICATIONS_OPEN,
	CYCLE_APPLICATIONS_CLOSE,
	CYCLE_INTERVIEWS_START,
	CYCLE_INTERVIEWS_END,
	CYCLE_RANKLIST_DUE,
	CYCLE_DATE__MAX
};

const char *cycle_state_name(enum cycle_state);
int	    cycle_state_parse(const char *, enum cycle_state *);

/* The JSON key of each date (applications_open ...). */
const char *cycle_date_key(enum cycle_date);

/*
 * Returns 1 when a cycle may go from one state to another: one step
 * forward, or one step back from open, review or ranking (to correct a
 * premature step). Certified lists are reopened by the rank list's own
 * procedure, never here.
 */
int cycle_transition_ok(enum cycle_state from, enum cycle_state to);

/*
 * Checks that the dates come in order (open < close <= interviews start
 * <= interviews end <= rank list due). Returns -1 and the first date out
 * of order in *bad, else 0.
 */
int cycle_dates_check(
    const struct local_time d[CYCLE_DATE__MAX], enum cycle_date *bad);

/*
 * Returns 1 when an applicant may still change an application: the cycle
 * is open and now is within [open_at, close_at).
 */
int cycle_accepts_edits(
    enum cycle_state, int64_t open_at, int64_t close_at, int64_t now);

#endif
