/*
 * Interview days, slots, invitations, bookings and the waitlist. A
 * booking is the slot of the candidate's invitation, so a candidate holds
 * at most one; the schema's triggers refuse a booking past a slot's
 * capacity whatever the caller checked.
 */
#include "store/internal.h"

int
db_iday_insert(struct db *db, int64_t cycle, const char *day,
    const char *location, int64_t now, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_IDAY_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_text(st, 2, day);
	db_bind_text(st, 3, location);
	db_bind_int64(st, 4, now);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = db_last_id(db);
	return (0);
}

static void
read_iday(struct db_q *st, void *out)
{
	struct db_iday *d = out;

	d->id = db_col_int64(st, 0);
	d->cycle_id = db_col_int64(st, 1);
	db_column_text(st, 2, d->day, sizeof(d->day));
	db_column_text(st, 3, d->location, sizeof(d->location));
	d->booked = db_col_int64(st, 4);
}

int
db_iday_by_id(struct db *db, int64_t id, struct db_iday *d)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_IDAY_BY_ID)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, read_iday, d));
}

int
db_iday_delete(struct db *db, int64_t id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_IDAY_DELETE_SLOTS)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	if ((st = db_stmt(db, STMT_IDAY_DELETE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_changed(db, st));
}

int
db_slot_insert(struct db *db, int64_t day, const char *starts, const char *ends,
    int64_t starts_at, int64_t capacity, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_ISLOT_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, day);
	db_bind_text(st, 2, starts);
	db_bind_text(st, 3, ends);
	db_bind_int64(st, 4, starts_at);
	db_bind_int64(st, 5, capacity);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	if (id != NULL)
		*id = db_last_id(db);
	return (0);
}

static void
read_slot(struct db_q *st, void *out)
{
	struct db_slot *s = out;

	s->id = db_col_int64(st, 0);
	s->day_id = db_col_int64(st, 1);
	s->cycle_id = db_col_int64(st, 2);
	db_column_text(st, 3, s->day, sizeof(s->day));
	db_column_text(st, 4, s->starts, sizeof(s->starts));
	db_column_text(st, 5, s->ends, sizeof(s->ends));
	s->starts_at = db_col_int64(st, 6);
	s->capacity = db_col_int64(st, 7);
	s->booked = db_col_int64(st, 8);
	db_column_text(st, 9, s->location, sizeof(s->location));
}

int
db_slot_by_id(struct db *db, int64_t id, struct db_slot *s)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_ISLOT_BY_ID)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, read_slot, s));
}

static int
slot_each(struct db_q *st, void *arg)
{
	struct db_list *l = arg;
	struct db_slot	s;

	read_slot(st, &s);
	return (((int (*)(void *, const struct db_slot *))l->fn)(l->arg, &s));
}

int
db_slot_list(struct db *db, int64_t		     cycle,
    int (*cb)(void *, const struct db_slot *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_ISLOT_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	return (db_each(db, st, slot_each, &l));
}

int
db_invitation_insert(
    struct db *db, int64_t application, int64_t cycle, int64_t by, int64_t now)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_INVITE_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	db_bind_int64(st, 2, cycle);
	db_bind_int64(st, 3, by);
	db_bind_int64(st, 4, now);
	return (db_changed(db, st));
}

static void
read_invitation(struct db_q *st, void *out)
{
	struct db_invitation *i = out;

	i->application_id = db_col_int64(st, 0);
	i->cycle_id = db_col_int64(st, 1);
	i->applicant_id = db_col_int64(st, 2);
	db_column_text(st, 3, i->candidate, sizeof(i->candidate));
	db_column_text(st, 4, i->email, sizeof(i->email));
	i->invited_at = db_col_int64(st, 5);
	i->slot_id = db_col_int64(st, 6);
	i->booked_at = db_col_int64(st, 7);
	i->waitlisted_at = db_col_int64(st, 8);
	i->reminded_at = db_col_int64(st, 9);
	i->calendar_sequence = db_col_int64(st, 10);
}

int
db_invitation_get(struct db *db, int64_t application, struct db_invitation *i)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_INVITE_GET)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	return (db_row(db, st, read_invitation, i));
}

int
db_invitation_set(struct db *db, const struct db_invitation *i)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_INVITE_SET)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, i->application_id);
	db_bind_int64(st, 2, i->slot_id);
	db_bind_int64(st, 3, i->booked_at);
	db_bind_int64(st, 4, i->waitlisted_at);
	return (db_step_done(db, st));
}

static int
invitation_each(struct db_q *st, void *arg)
{
	struct db_list	    *l = arg;
	struct db_invitation i;

	read_invitation(st, &i);
	return (
	    ((int (*)(void *, const struct db_invitation *))l->fn)(l->arg, &i));
}

int
db_invitation_list(struct db *db, int64_t		   cycle,
    int (*cb)(void *, const struct db_invitation *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_INVITE_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	return (db_each(db, st, invitation_each, &l));
}

int
db_waitlist_first(struct db *db, int64_t cycle, struct db_invitation *i)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_WAITLIST_FIRST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	return (db_row(db, st, read_invitation, i));
}

int
db_waitlist_position(
    struct db *db, const struct db_invitation *i, int64_t *before)
{
	struct db_q *st;
	int	     rc;

	*before = 0;
	if ((st = db_stmt(db, STMT_WAITLIST_POSITION)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, i->cycle_id);
	db_bind_int64(st, 2, i->waitlisted_at);
	db_bind_int64(st, 3, i->application_id);
	return ((rc = db_row(db, st, db_read_int64, before)) < 0 ? rc : 0);
}

int
db_invitation_sequence_next(
    struct db *db, int64_t application, int64_t *sequence)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_INVITE_SEQUENCE_NEXT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	return (db_row(db, st, db_read_int64, sequence));
}

int
db_invitation_reminded(struct db *db, int64_t application, int64_t now)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_INVITE_REMINDED)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	db_bind_int64(st, 2, now);
	return (db_step_done(db, st));
}

int
db_invitation_unreminded(struct db *db, int64_t before, int limit,
    int (*cb)(void *, const struct db_invitation *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_INVITE_UNREMINDED)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, before);
	db_bind_int(st, 2, limit);
	return (db_each(db, st, invitation_each, &l));
}
