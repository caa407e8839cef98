/*
 * Interviews: staff create interview days with slots and invite
 * submitted candidates (mailed through the outbox); an invited candidate
 * books, changes or cancels one slot, or joins the waitlist while every
 * slot is full and is booked into the first seat that frees up, in the
 * order they joined (and mailed). Every booking, move and cancellation is
 * mailed to the candidate with a calendar invitation (core/calendar.h:
 * one UID per invitation, its SEQUENCE one more each time), and a
 * candidate who has not answered the invitation three days after it is
 * reminded once, by the mail process. Each change is one BEGIN IMMEDIATE
 * transaction with its audit record: the seat count is read and written
 * under the write lock, and the schema's capacity triggers are the last
 * guard, so a slot is never overbooked however many book at once.
 *
 * Every operation the routes call builds the view the API sends (*out, a
 * new reference the caller owns) or refuses (ops/common.h). The schedule
 * depends on who looks: staff see everything with names; faculty see the
 * bookings without the candidates they have a recorded conflict with (not
 * even in the counts); an applicant sees their own invitation and the
 * free seats, never another candidate.
 */
#ifndef FELLOW_OPS_INTERVIEWS_H
#define FELLOW_OPS_INTERVIEWS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/settings.h"
#include "ops/common.h"

#define OPS_IDAY_SLOTS_MAX     20
#define OPS_ISLOT_CAPACITY_MAX 50
#define OPS_IDAY_LOCATION_MAX  200
#define OPS_INVITE_MAX	       200

/* A slot as typed: "HH:MM" start and end on the day, and its seats. */
struct ops_slot_spec {
	const char *start;
	const char *end;
	int64_t	    capacity;
};

/* A new interview day as typed. slots is NULL when more than
 * OPS_IDAY_SLOTS_MAX were sent (the count is refused, unread). */
struct ops_iday_input {
	const char		   *day;      /* "YYYY-MM-DD" */
	const char		   *location; /* NULL: none */
	const struct ops_slot_spec *slots;
	size_t			    nslots;
};

/*
 * The schedule of cycle as actor sees it:
 *   staff      {days:[{id, day, location, slots:[{id, starts, ends,
 *              starts_at, open, capacity, booked, bookings:[{application_id,
 *              candidate}]}]}], waitlist:[{application_id, candidate, since,
 *              position}], invitations:[...as ops_interview_invitations]}
 *   faculty    {days} as staff, without the candidates they have a
 *              recorded conflict with, in the bookings and the counts
 *   applicant  {invitation:{application_id, candidate, status, slot_id,
 *              waitlist_position, invited_at, booked_at, waitlisted_at,
 *              slot}, days:[{id, day, location, slots:[{id, starts, ends,
 *              starts_at, open, free}]}]}; {invitation:null, days:[]} when
 *              not invited
 * "open" says whether the slot starts after now. OPS_NOT_FOUND when the
 * cycle does not exist or actor may not see it.
 */
int ops_interview_schedule(struct db *, struct ops_actor, int64_t cycle,
    int64_t now, json_t **out, struct ops_error *);

/*
 * Creates an interview day of cycle (staff) with its slots, their start
 * instants computed in the cycle's time zone, and seats waitlisted
 * candidates in the new slots. *out is {day} as in the staff's schedule.
 * OPS_INVALID names the field ("day", "location", "slots"); OPS_CONFLICT
 * when the cycle has that day already; OPS_NOT_FOUND without the cycle.
 */
int ops_interview_day_create(struct db *, const struct settings *,
    struct ops_actor, int64_t cycle, const struct ops_iday_input *, int64_t now,
    json_t **out, struct ops_error *);

/* Deletes a day and its slots (staff); OPS_NOT_FOUND without the day,
 * OPS_CONFLICT when someone has booked a slot on it. No view. */
int ops_interview_day_delete(
    struct db *, struct ops_actor, int64_t day, struct ops_error *);

/*
 * The invitations of cycle (staff): {invitations:[{application_id,
 * candidate, email, status, slot_id, waitlist_position, invited_at,
 * booked_at, waitlisted_at, slot}]}. OPS_NOT_FOUND without the cycle.
 */
int ops_interview_invitations(struct db *, struct ops_actor, int64_t cycle,
    json_t **out, struct ops_error *);

/*
 * Invites the submitted applications apps[0..n-1] of cycle (staff) and
 * mails each new invitee; apps is NULL when more than OPS_INVITE_MAX were
 * sent. All or nothing: OPS_INVALID naming the first id that is not a
 * submitted application of the cycle. *out is {invited, already}: the new
 * invitations and those invited before.
 */
int ops_interview_invite(struct db *, const struct settings *, struct ops_actor,
    int64_t cycle, const int64_t *apps, size_t n, int64_t now, json_t **out,
    struct ops_error *);

/*
 * The applicant books slot, or moves their booking to it (the seat they
 * leave goes to the waitlist); booking takes them off the waitlist. *out
 * is {invitation} as in the applicant's schedule. OPS_FORBIDDEN for other
 * roles; OPS_NOT_FOUND when the slot does not exist or they are not
 * invited in its cycle; OPS_CONFLICT when the slot is full or has
 * started, their booked interview has started, or they withdrew.
 */
int ops_interview_book(struct db *, const struct settings *, struct ops_actor,
    int64_t slot, int64_t now, json_t **out, struct ops_error *);

/*
 * The applicant cancels their booking in cycle; the seat goes to the
 * first on the waitlist, who is mailed. *out is {invitation}. OPS_CONFLICT
 * when nothing is booked or the interview has started.
 */
int ops_interview_cancel(struct db *, const struct settings *, struct ops_actor,
    int64_t cycle, int64_t now, json_t **out, struct ops_error *);

/*
 * The applicant joins (join != 0) or leaves the waitlist of cycle; *out
 * is {invitation}. Joining needs an invitation without a booking and no
 * free seat in any slot still to come (OPS_CONFLICT otherwise); joining
 * twice changes nothing. Leaving when not waiting is OPS_CONFLICT.
 */
int ops_interview_waitlist(struct db *, struct ops_actor, int64_t cycle,
    int join, int64_t now, json_t **out, struct ops_error *);

/*
 * The applicant's booked interview of application as an iCalendar file
 * (METHOD:PUBLISH, the UID and SEQUENCE of the last invitation mailed, the
 * times in the cycle's zone with its VTIMEZONE): *text, freed by the
 * caller with free(). OPS_FORBIDDEN for other roles; OPS_NOT_FOUND when
 * the application is not theirs or has no slot booked.
 */
int ops_interview_ics(struct db *, const struct settings *, struct ops_actor,
    int64_t application, int64_t now, char **text, struct ops_error *);

/*
 * The reminders to book (core/remind.h): each invited candidate who has
 * not answered the invitation three days after it is mailed once, with a
 * link to the schedule; the decision is recorded either way. Run by the
 * mail process. Returns how many were mailed, or a DB_E* code.
 */
int ops_interview_reminders_due(
    struct db *, const struct settings *, int64_t now);

/*
 * The invitation of application as its applicant sees it (the caller has
 * checked that application is the actor's own): *out is the
 * {application_id, candidate, status, slot_id, waitlist_position,
 * invited_at, booked_at, waitlisted_at, slot} of the applicant's
 * schedule, or JSON null when it is not invited. 0, a DB_E* code or
 * OPS_ENOMEM.
 */
int ops_interview_own(struct db *, int64_t application, json_t **out);

/*
 * Inside the caller's transaction: takes application off the schedule
 * (its booking or its place on the waitlist) and gives a freed seat to the
 * waitlist; for a withdrawal. 0 (also when not invited), a DB_E* code or
 * OPS_ENOMEM.
 */
int ops_interview_release(struct db *, const struct settings *, int64_t actor,
    int64_t application, int64_t now);

#endif
