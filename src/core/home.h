/*
 * The rules of the home page's to-do list, pure functions of the facts
 * the operations gather (ops/home.c): the applicant's timeline, which
 * deadline comes first, when a deadline is overdue, and which deadlines
 * a staff member still needs to see.
 *
 * Order: what has a deadline comes before what has none; among
 * deadlines the earliest first, so what is overdue (its deadline has
 * passed) comes before what is still ahead. Cycles: where the work is
 * first.
 */
#ifndef FELLOW_CORE_HOME_H
#define FELLOW_CORE_HOME_H

#include <stdint.h>

#include "core/cycle.h"

/* The steps of an applicant's timeline, in order. */
enum home_step {
	HOME_STARTED,	  /* the application exists */
	HOME_SUBMITTED,	  /* it was submitted */
	HOME_INVITED,	  /* invited to interview */
	HOME_BOOKED,	  /* an interview slot is booked */
	HOME_INTERVIEWED, /* the booked slot has begun */
	HOME_STEP__MAX
};

/* The facts a timeline is drawn from; 0 for what has not happened. */
struct home_facts {
	int64_t created_at;   /* the application, 0 when there is none */
	int64_t submitted_at; /* kept when it was withdrawn later */
	int64_t invited_at;
	int64_t booked_at;
	int64_t slot_starts_at; /* the booked slot's start */
};

/* The key of each step (started, submitted, ...). */
extern const char *const home_step_names[HOME_STEP__MAX];

/*
 * Sets done[s] to 1 for each step reached by now, else 0, and at[s] to
 * when it was reached (0 when not; for "interviewed", the slot's
 * start). A step counts only when the steps before it are done.
 */
void home_timeline(const struct home_facts *, int64_t now,
    int done[HOME_STEP__MAX], int64_t at[HOME_STEP__MAX]);

/* Returns 1 when a deadline (0: none) has passed at now. */
int home_overdue(int64_t due_at, int64_t now);

/*
 * Compares two deadlines (0: none) for the to-do order: <0, 0, >0 as a
 * comes before, with or after b.
 */
int home_due_cmp(int64_t a, int64_t b);

/*
 * Where a cycle in state s comes among the current cycles: the one under
 * review or ranking first (where the work is), then one open to
 * applicants, one in setup, a certified one. Lower comes first.
 */
int home_cycle_order(enum cycle_state s);

/*
 * Returns 1 when a staff member's list shows a deadline (0: none): one
 * still ahead, or one passed while the work it bounds is still open
 * (a phase not closed, a rank list not certified).
 */
int home_deadline_listed(int64_t due_at, int work_open, int64_t now);

#endif
