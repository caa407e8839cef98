/*
 * When the automatic reminders go. To raters: once before a phase's
 * scoring deadline, within REMIND_BEFORE of it, and at
 * most once more after it has passed, as an "overdue" reminder with its
 * own wording. A deadline that has already passed never gets the
 * "approaching" wording. To an invited candidate: one reminder to book a
 * slot, REMIND_BOOKING_AFTER the invitation, unless by then they have
 * booked (now or before), joined the waitlist or withdrawn, or the
 * cycle has gone on to ranking (only an open cycle or one in review
 * books interviews). Pure: the caller passes the clock.
 */
#ifndef FELLOW_CORE_REMIND_H
#define FELLOW_CORE_REMIND_H

#include <stdint.h>

#include "core/cycle.h"

/* How long before a scoring deadline its reminder goes. */
#define REMIND_BEFORE (48L * 60 * 60)

enum remind_kind {
	REMIND_NONE,	    /* nothing to send now */
	REMIND_APPROACHING, /* the deadline is near and not yet past */
	REMIND_OVERDUE,	    /* the deadline has passed */
};

/*
 * Which reminder a phase is due at now: due_at is its deadline (0: none),
 * approaching_at and overdue_at when each reminder went (0: never).
 */
enum remind_kind remind_due(
    int64_t due_at, int64_t approaching_at, int64_t overdue_at, int64_t now);

/* How long after an invitation to interview the reminder to book goes. */
#define REMIND_BOOKING_AFTER (3L * 24 * 60 * 60)

enum remind_booking {
	REMIND_BOOKING_LATER, /* not yet: ask again later */
	REMIND_BOOKING_SEND,  /* send it now */
	REMIND_BOOKING_NEVER, /* it is not to go: decided for good */
};

/* The facts about one invitation that decide its reminder to book. */
struct remind_invitation {
	int64_t		 invited_at;
	int64_t		 reminded_at; /* when it was decided; 0: not yet */
	int		 booked_ever; /* booked now, or booked and cancelled */
	int		 waitlisted;  /* on the waitlist now */
	int		 withdrawn;   /* the application is withdrawn */
	enum cycle_state state;	      /* the cycle's: open or in review books */
};

/* Whether the reminder to book goes at now (see the top of this file). */
enum remind_booking remind_booking_due(
    const struct remind_invitation *, int64_t now);

#endif
