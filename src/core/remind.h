/*
 * When the automatic reminder to raters goes: once before a phase's
 * scoring deadline, within REMIND_BEFORE of it, and at
 * most once more after it has passed, as an "overdue" reminder with its
 * own wording. A deadline that has already passed never gets the
 * "approaching" wording. Pure: the caller passes the clock.
 */
#ifndef FELLOW_CORE_REMIND_H
#define FELLOW_CORE_REMIND_H

#include <stdint.h>

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

#endif
