/*
 * Interviews: staff create interview days with slots and invite
 * submitted candidates (mailed through the outbox); an invited candidate
 * books, changes or cancels one slot, or joins the waitlist while every
 * slot is full and is booked into the first seat that frees up, in the
 * order they joined (and mailed). Each operation is one BEGIN IMMEDIATE
 * transaction with its audit record: the seat count is read and written
 * under the write lock, and the schema's capacity triggers are the last
 * guard, so a slot is never overbooked however many book at once.
 */
#ifndef FELLOW_OPS_INTERVIEWS_H
#define FELLOW_OPS_INTERVIEWS_H

#include "ops/accounts.h"

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

/* Every slot and every invitation of a cycle, read for a view. */
struct ops_schedule {
	struct db_slot	     *slots; /* by day and time */
	size_t		      nslots;
	struct db_invitation *invitations; /* the waitlist last, in order */
	size_t		      ninvitations;
};

/*
 * Creates an interview day of cycle (staff) with its slots, their start
 * instants computed in the cycle's time zone, and seats waitlisted
 * candidates in the new slots. OPS_INVALID names the field ("day",
 * "location", "slots"); OPS_CONFLICT when the cycle has that day already.
 */
int ops_interview_day_create(struct db *, const struct settings *,
    struct ops_actor, int64_t cycle, const char *day, const char *location,
    const struct ops_slot_spec *slots, size_t nslots, int64_t now, int64_t *id,
    struct ops_error *);

/* Deletes a day and its slots (staff); OPS_CONFLICT when booked. */
int ops_interview_day_delete(
    struct db *, struct ops_actor, int64_t day, struct ops_error *);

/*
 * Invites the submitted applications apps[0..n-1] of cycle (staff) and
 * mails each new invitee. All or nothing: OPS_INVALID naming the first id
 * that is not a submitted application of the cycle. Counts the new
 * invitations in *invited and those invited before in *already.
 */
int ops_interview_invite(struct db *, const struct settings *, struct ops_actor,
    int64_t cycle, const int64_t *apps, size_t n, int64_t now, int64_t *invited,
    int64_t *already, struct ops_error *);

/*
 * The applicant books slot, or moves their booking to it (the seat they
 * leave goes to the waitlist); booking takes them off the waitlist. Fills
 * out with the invitation as it now is. OPS_NOT_FOUND when the slot does
 * not exist or they are not invited in its cycle; OPS_CONFLICT when the
 * slot is full or has started, or their booked interview has started.
 */
int ops_interview_book(struct db *, const struct settings *, int64_t slot,
    int64_t applicant, int64_t now, struct db_invitation *out,
    struct ops_error *);

/* The applicant cancels their booking in cycle; the seat goes to the
 * first on the waitlist, who is mailed. */
int ops_interview_cancel(struct db *, const struct settings *, int64_t cycle,
    int64_t applicant, int64_t now, struct db_invitation *out,
    struct ops_error *);

/*
 * The applicant joins (join != 0) or leaves the waitlist of cycle. Joining
 * needs an invitation without a booking and no free seat in any slot still
 * to come (OPS_CONFLICT otherwise). Joining twice changes nothing.
 */
int ops_interview_waitlist(struct db *, int64_t cycle, int64_t applicant,
    int join, int64_t now, struct db_invitation *out, struct ops_error *);

/*
 * Inside the caller's transaction: takes application off the schedule
 * (its booking or its place on the waitlist) and gives a freed seat to the
 * waitlist; for a withdrawal. 0 (also when not invited) or a DB_E* code.
 */
int ops_interview_release(struct db *, const struct settings *, int64_t actor,
    int64_t application, int64_t now);

/* How many seats are free in the slots of cycle that start after now. */
int ops_interview_free_seats(
    struct db *, int64_t cycle, int64_t now, int64_t *free_seats);

/* Reads the schedule of cycle; free it with ops_schedule_free(). */
int  ops_schedule_load(struct db *, int64_t cycle, struct ops_schedule *);
void ops_schedule_free(struct ops_schedule *);

/* "booked", "waitlisted" or "invited". */
const char *ops_invitation_status(const struct db_invitation *);

#endif
