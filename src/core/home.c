/*
 * The home page's rules (core/home.h).
 */
#include "core/home.h"

const char *const home_step_names[HOME_STEP__MAX] = {
	"started",
	"submitted",
	"invited",
	"booked",
	"interviewed",
};

void
home_timeline(const struct home_facts *f, int64_t now, int done[HOME_STEP__MAX],
    int64_t at[HOME_STEP__MAX])
{
	int s, reached = 1;

	at[HOME_STARTED] = f->created_at;
	at[HOME_SUBMITTED] = f->submitted_at;
	at[HOME_INVITED] = f->invited_at;
	at[HOME_BOOKED] = f->booked_at;
	at[HOME_INTERVIEWED] = f->booked_at != 0 && f->slot_starts_at != 0 &&
		f->slot_starts_at <= now
	    ? f->slot_starts_at
	    : 0;
	for (s = 0; s < HOME_STEP__MAX; s++) {
		reached = reached && at[s] != 0;
		done[s] = reached;
		if (!reached)
			at[s] = 0;
	}
}

int
home_overdue(int64_t due_at, int64_t now)
{
	return (due_at > 0 && due_at <= now);
}

int
home_due_cmp(int64_t a, int64_t b)
{
	if ((a > 0) != (b > 0))
		return (a > 0 ? -1 : 1);
	return ((a > b) - (a < b));
}

int
home_cycle_order(enum cycle_state s)
{
	static const int order[CYCLE__MAX] = {
		[CYCLE_REVIEW] = 0,
		[CYCLE_RANKING] = 1,
		[CYCLE_OPEN] = 2,
		[CYCLE_SETUP] = 3,
		[CYCLE_CERTIFIED] = 4,
		[CYCLE_ARCHIVED] = 5,
	};

	return ((unsigned int)s < CYCLE__MAX ? order[s] : CYCLE__MAX);
}

int
home_deadline_listed(int64_t due_at, int work_open, int64_t now)
{
	if (due_at <= 0)
		return (0);
	return (due_at > now || work_open);
}
