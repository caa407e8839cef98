/*
 * Cycle rules as tables and small pure functions.
 */
#include <string.h>

#include "core/cycle.h"

static const char *const state_names[CYCLE__MAX] = {
	"setup",
	"open",
	"review",
	"ranking",
	"certified",
	"archived",
};

static const char *const date_keys[CYCLE_DATE__MAX] = {
	"applications_open",
	"applications_close",
	"interviews_start",
	"interviews_end",
	"ranklist_due",
};

const char *
cycle_state_name(enum cycle_state s)
{
	return ((unsigned int)s < CYCLE__MAX ? state_names[s] : "");
}

int
cycle_state_parse(const char *name, enum cycle_state *out)
{
	int i;

	for (i = 0; i < CYCLE__MAX; i++) {
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum cycle_state)i;
			return (0);
		}
	}
	return (-1);
}

const char *
cycle_date_key(enum cycle_date d)
{
	return ((unsigned int)d < CYCLE_DATE__MAX ? date_keys[d] : "");
}

int
cycle_transition_ok(enum cycle_state from, enum cycle_state to)
{
	if ((unsigned int)from >= CYCLE__MAX || (unsigned int)to >= CYCLE__MAX)
		return (0);
	if (to == from + 1 && from != CYCLE_RANKING)
		return (1);
	if (to + 1 == from &&
	    (from == CYCLE_OPEN || from == CYCLE_REVIEW ||
		from == CYCLE_RANKING))
		return (1);
	return (0);
}

int
cycle_dates_check(
    const struct local_time d[CYCLE_DATE__MAX], enum cycle_date *bad)
{
	int i;

	if (dates_compare(&d[CYCLE_APPLICATIONS_OPEN],
		&d[CYCLE_APPLICATIONS_CLOSE]) >= 0) {
		*bad = CYCLE_APPLICATIONS_CLOSE;
		return (-1);
	}
	for (i = CYCLE_INTERVIEWS_START; i < CYCLE_DATE__MAX; i++) {
		if (dates_compare(&d[i - 1], &d[i]) > 0) {
			*bad = (enum cycle_date)i;
			return (-1);
		}
	}
	return (0);
}

int
cycle_accepts_edits(
    enum cycle_state s, int64_t open_at, int64_t close_at, int64_t now)
{
	return (s == CYCLE_OPEN && now >= open_at && now < close_at);
}
