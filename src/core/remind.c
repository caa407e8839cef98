/*
 * The automatic reminders' timing rules (core/remind.h).
 */
#include "core/remind.h"

enum remind_kind
remind_due(
    int64_t due_at, int64_t approaching_at, int64_t overdue_at, int64_t now)
{
	if (due_at <= 0)
		return (REMIND_NONE);
	if (now >= due_at)
		return (overdue_at == 0 ? REMIND_OVERDUE : REMIND_NONE);
	if (due_at - now <= REMIND_BEFORE && approaching_at == 0)
		return (REMIND_APPROACHING);
	return (REMIND_NONE);
}

enum remind_booking
remind_booking_due(const struct remind_invitation *i, int64_t now)
{
	if (i->reminded_at != 0)
		return (REMIND_BOOKING_NEVER);
	if (now - i->invited_at < REMIND_BOOKING_AFTER)
		return (REMIND_BOOKING_LATER);
	/* The decision is taken once, when the time comes: whoever has
	 * answered the invitation by then is not reminded of it. */
	if (i->booked_ever || i->waitlisted || i->withdrawn ||
	    (i->state != CYCLE_OPEN && i->state != CYCLE_REVIEW))
		return (REMIND_BOOKING_NEVER);
	return (REMIND_BOOKING_SEND);
}
