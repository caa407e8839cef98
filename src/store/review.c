/*
 * Review: rubric versions, phase settings, conflicts of interest,
 * assignments, score sheets and their change log.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Binds phase (NULL binds NULL, meaning "every phase"). */
static void
bind_phase(struct db_q *st, int col, const char *phase)
{
	if (phase != NULL)
		db_bind_text(st, col, phase);
	else
		db_bind_null(st, col);
}

/* A copy of column col (never NULL on success), or NULL when out of
 * memory. */
static char *
column_dup(struct db_q *st, int col)
{
	const unsigned char *t = db_col_text(st, col);

	return (strdup(t != NULL ? (const char *)t : ""));
}

static void
read_rubric(struct db_q *st, void *out)
{
	struct db_rubric *r = out;

	r->id = db_col_int64(st, 0);
	r->cycle_id = db_col_int64(st, 1);
	db_column_text(st, 2, r->phase, sizeof(r->phase));
	r->version = db_col_int64(st, 3);
	r->criteria = column_dup(st, 4);
	r->created_at = db_col_int64(st, 5);
	r->submitted = db_col_int64(st, 6);
}

/* Runs a rubric lookup; a found row whose text could not be copied is
 * an error. */
static int
rubric_row(struct db *db, struct db_q *st, struct db_rubric *r)
{
	int rc;

	r->criteria = NULL;
	if ((rc = db_row(db, st, read_rubric, r)) == 1 && r->criteria == NULL)
		return (DB_ERROR);
	return (rc);
}

int
db_rubric_current(
    struct db *db, int64_t cycle, const char *phase, struct db_rubric *r)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_RUBRIC_CURRENT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_text(st, 2, phase);
	return (rubric_row(db, st, r));
}

int
db_rubric_by_version(struct db *db, int64_t cycle, const char *phase,
    int64_t version, struct db_rubric *r)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_RUBRIC_BY_VERSION)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_text(st, 2, phase);
	db_bind_int64(st, 3, version);
	return (rubric_row(db, st, r));
}

int
db_rubric_by_id(struct db *db, int64_t id, struct db_rubric *r)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_RUBRIC_BY_ID)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (rubric_row(db, st, r));
}

void
db_rubric_clear(struct db_rubric *r)
{
	free(r->criteria);
	r->criteria = NULL;
}

static int
rubric_each(struct db_q *st, void *arg)
{
	struct db_list	*l = arg;
	struct db_rubric r;

	read_rubric(st, &r);
	free(r.criteria);
	r.criteria = NULL;
	return (((int (*)(void *, const struct db_rubric *))l->fn)(l->arg, &r));
}

int
db_rubric_list(struct db *db, int64_t cycle, const char *phase,
    int (*cb)(void *, const struct db_rubric *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_RUBRIC_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_text(st, 2, phase);
	return (db_each(db, st, rubric_each, &l));
}

int
db_rubric_insert(struct db *db, int64_t cycle, const char *phase,
    int64_t version, const char *criteria, int64_t by, int64_t now, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_RUBRIC_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_text(st, 2, phase);
	db_bind_int64(st, 3, version);
	db_bind_text(st, 4, criteria);
	if (by != 0)
		db_bind_int64(st, 5, by);
	db_bind_int64(st, 6, now);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	if (id != NULL)
		*id = db_last_id(db);
	return (0);
}

int
db_rubric_update(struct db *db, int64_t id, const char *criteria)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_RUBRIC_UPDATE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, criteria);
	return (db_changed(db, st));
}

static void
read_phase(struct db_q *st, void *out)
{
	struct db_phase *p = out;

	p->cycle_id = db_col_int64(st, 0);
	db_column_text(st, 1, p->phase, sizeof(p->phase));
	db_column_text(st, 2, p->scoring_due, sizeof(p->scoring_due));
	p->scoring_due_at = db_col_int64(st, 3);
	p->closed_at = db_col_int64(st, 4);
	p->closed_by = db_col_int64(st, 5);
	p->reminded_at = db_col_int64(st, 6);
	p->manual_reminded_at = db_col_int64(st, 7);
	p->weight = db_col_int64(st, 8);
	p->overdue_reminded_at = db_col_int64(st, 9);
}

int
db_phase_get(
    struct db *db, int64_t cycle, const char *phase, struct db_phase *p)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_PHASE_GET)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_text(st, 2, phase);
	return (db_row(db, st, read_phase, p));
}

int
db_phase_put(struct db *db, const struct db_phase *p)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_PHASE_PUT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, p->cycle_id);
	db_bind_text(st, 2, p->phase);
	db_bind_text(st, 3, p->scoring_due);
	db_bind_int64(st, 4, p->scoring_due_at);
	db_bind_int64(st, 5, p->closed_at);
	db_bind_int64(st, 6, p->closed_by);
	db_bind_int64(st, 7, p->reminded_at);
	db_bind_int64(st, 8, p->manual_reminded_at);
	db_bind_int64(st, 9, p->weight);
	db_bind_int64(st, 10, p->overdue_reminded_at);
	return (db_step_done(db, st));
}

static int
phase_each(struct db_q *st, void *arg)
{
	struct db_list *l = arg;
	struct db_phase p;

	read_phase(st, &p);
	return (((int (*)(void *, const struct db_phase *))l->fn)(l->arg, &p));
}

int
db_phase_due(struct db *db, int64_t now, int64_t before,
    int (*cb)(void *, const struct db_phase *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_PHASE_DUE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, before);
	db_bind_int64(st, 2, now);
	return (db_each(db, st, phase_each, &l));
}

int
db_conflict_insert(struct db *db, int64_t application, int64_t faculty,
    const char *kind, const char *reason, int64_t by, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_CONFLICT_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	db_bind_int64(st, 2, faculty);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, reason);
	db_bind_int64(st, 5, by);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	if (id != NULL)
		*id = db_last_id(db);
	return (0);
}

static void
read_conflict(struct db_q *st, void *out)
{
	struct db_conflict *c = out;

	c->id = db_col_int64(st, 0);
	c->application_id = db_col_int64(st, 1);
	c->faculty_id = db_col_int64(st, 2);
	db_column_text(st, 3, c->faculty_name, sizeof(c->faculty_name));
	db_column_text(st, 4, c->candidate, sizeof(c->candidate));
	db_column_text(st, 5, c->kind, sizeof(c->kind));
	db_column_text(st, 6, c->reason, sizeof(c->reason));
	c->recorded_by = db_col_int64(st, 7);
	db_column_text(st, 8, c->created_at, sizeof(c->created_at));
	db_column_text(st, 9, c->recorded_by_name, sizeof(c->recorded_by_name));
}

int
db_conflict_by_id(struct db *db, int64_t id, struct db_conflict *c)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_CONFLICT_BY_ID)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, read_conflict, c));
}

int
db_conflict_delete(struct db *db, int64_t id)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_CONFLICT_DELETE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_changed(db, st));
}

static int
conflict_each(struct db_q *st, void *arg)
{
	struct db_list	  *l = arg;
	struct db_conflict c;

	read_conflict(st, &c);
	return (
	    ((int (*)(void *, const struct db_conflict *))l->fn)(l->arg, &c));
}

int
db_conflict_list(struct db *db, int64_t cycle, int64_t faculty,
    int (*cb)(void *, const struct db_conflict *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_CONFLICT_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_int64(st, 2, faculty);
	return (db_each(db, st, conflict_each, &l));
}

int
db_conflict_request_insert(struct db *db, int64_t application, int64_t faculty,
    const char *kind, const char *reason, const char *held_because, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_CONFLICT_REQUEST_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	db_bind_int64(st, 2, faculty);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, reason);
	db_bind_text(st, 5, held_because);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	if (id != NULL)
		*id = db_last_id(db);
	return (0);
}

static void
read_conflict_request(struct db_q *st, void *out)
{
	struct db_conflict_request *q = out;

	q->id = db_col_int64(st, 0);
	q->application_id = db_col_int64(st, 1);
	q->faculty_id = db_col_int64(st, 2);
	db_column_text(st, 3, q->faculty_name, sizeof(q->faculty_name));
	db_column_text(st, 4, q->candidate, sizeof(q->candidate));
	db_column_text(st, 5, q->kind, sizeof(q->kind));
	db_column_text(st, 6, q->reason, sizeof(q->reason));
	db_column_text(st, 7, q->held_because, sizeof(q->held_because));
	db_column_text(st, 8, q->declared_at, sizeof(q->declared_at));
	db_column_text(st, 9, q->status, sizeof(q->status));
	q->decided_by = db_col_int64(st, 10);
	db_column_text(st, 11, q->decided_by_name, sizeof(q->decided_by_name));
	db_column_text(st, 12, q->decided_at, sizeof(q->decided_at));
	db_column_text(st, 13, q->note, sizeof(q->note));
	q->cycle_id = db_col_int64(st, 14);
}

int
db_conflict_request_by_id(
    struct db *db, int64_t id, struct db_conflict_request *q)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_CONFLICT_REQUEST_BY_ID)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, read_conflict_request, q));
}

int
db_conflict_request_pending(struct db *db, int64_t application, int64_t faculty)
{
	return (
	    db_any2(db, STMT_CONFLICT_REQUEST_PENDING, application, faculty));
}

int
db_conflict_request_decide(
    struct db *db, int64_t id, const char *status, int64_t by, const char *note)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_CONFLICT_REQUEST_DECIDE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, status);
	db_bind_int64(st, 3, by);
	if (note != NULL && note[0] != '\0')
		db_bind_text(st, 4, note);
	return (db_changed(db, st));
}

static int
conflict_request_each(struct db_q *st, void *arg)
{
	struct db_list		  *l = arg;
	struct db_conflict_request q;

	read_conflict_request(st, &q);
	return (((int (*)(void *, const struct db_conflict_request *))l->fn)(
	    l->arg, &q));
}

int
db_conflict_request_list(struct db *db, int64_t cycle, int64_t faculty,
    int	  pending_only, int (*cb)(void *, const struct db_conflict_request *),
    void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_CONFLICT_REQUEST_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_int64(st, 2, faculty);
	db_bind_int(st, 3, pending_only);
	return (db_each(db, st, conflict_request_each, &l));
}

int
db_assignment_insert(struct db *db, int64_t cycle, const char *phase,
    int64_t application, int64_t faculty, int64_t by, int64_t now)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_ASSIGN_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_text(st, 2, phase);
	db_bind_int64(st, 3, application);
	db_bind_int64(st, 4, faculty);
	db_bind_int64(st, 5, by);
	db_bind_int64(st, 6, now);
	return (db_changed(db, st));
}

int
db_assignment_delete(
    struct db *db, int64_t application, int64_t faculty, const char *phase)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_ASSIGN_DELETE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	db_bind_int64(st, 2, faculty);
	bind_phase(st, 3, phase);
	return (db_changed(db, st));
}

int
db_assignment_exists(
    struct db *db, int64_t application, int64_t faculty, const char *phase)
{
	struct db_q *st;
	int64_t	     n = 0;
	int	     rc;

	if ((st = db_stmt(db, STMT_ASSIGN_EXISTS)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	db_bind_int64(st, 2, faculty);
	bind_phase(st, 3, phase);
	if ((rc = db_row(db, st, db_read_int64, &n)) < 0)
		return (rc);
	return (n > 0);
}

static int
assignment_each(struct db_q *st, void *arg)
{
	struct db_list		*l = arg;
	struct db_assignment_row r;

	r.id = db_col_int64(st, 0);
	r.phase = (const char *)db_col_text(st, 1);
	r.application_id = db_col_int64(st, 2);
	r.faculty_id = db_col_int64(st, 3);
	r.faculty_name = (const char *)db_col_text(st, 4);
	r.candidate = (const char *)db_col_text(st, 5);
	r.sheet = (const char *)db_col_text(st, 6);
	return (((int (*)(void *, const struct db_assignment_row *))l->fn)(
	    l->arg, &r));
}

int
db_assignment_list(struct db *db, int64_t cycle, const char *phase,
    int64_t faculty, int (*cb)(void *, const struct db_assignment_row *),
    void   *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db,
		 faculty != 0 ? STMT_ASSIGN_LIST_RATER : STMT_ASSIGN_LIST)) ==
	    NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	bind_phase(st, 2, phase);
	db_bind_int64(st, 3, faculty);
	return (db_each(db, st, assignment_each, &l));
}

/* Reads a sheet; values and comment point into the row (const casts are
 * undone by the caller that copies them). */
static void
read_sheet_fixed(struct db_q *st, struct db_sheet *s)
{
	s->id = db_col_int64(st, 0);
	s->cycle_id = db_col_int64(st, 1);
	s->application_id = db_col_int64(st, 2);
	s->rater_id = db_col_int64(st, 3);
	db_column_text(st, 4, s->phase, sizeof(s->phase));
	s->rubric_id = db_col_int64(st, 5);
	db_column_text(st, 6, s->status, sizeof(s->status));
	s->version = db_col_int64(st, 9);
	s->created_at = db_col_int64(st, 10);
	s->updated_at = db_col_int64(st, 11);
	s->submitted_at = db_col_int64(st, 12);
	db_column_text(st, 13, s->rater_name, sizeof(s->rater_name));
	s->rubric_version = db_col_int64(st, 14);
}

static void
read_sheet(struct db_q *st, void *out)
{
	struct db_sheet *s = out;

	read_sheet_fixed(st, s);
	s->values = column_dup(st, 7);
	s->comment = column_dup(st, 8);
}

int
db_sheet_get(struct db *db, int64_t application, int64_t rater,
    const char *phase, struct db_sheet *s)
{
	struct db_q *st;
	int	     rc;

	s->values = s->comment = NULL;
	if ((st = db_stmt(db, STMT_SHEET_GET)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	db_bind_int64(st, 2, rater);
	db_bind_text(st, 3, phase);
	rc = db_row(db, st, read_sheet, s);
	if (rc == 1 && (s->values == NULL || s->comment == NULL)) {
		db_sheet_clear(s);
		return (DB_ERROR);
	}
	return (rc);
}

void
db_sheet_clear(struct db_sheet *s)
{
	free(s->values);
	free(s->comment);
	s->values = s->comment = NULL;
}

int
db_sheet_insert(struct db *db, const struct db_sheet *s, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_SHEET_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, s->cycle_id);
	db_bind_int64(st, 2, s->application_id);
	db_bind_int64(st, 3, s->rater_id);
	db_bind_text(st, 4, s->phase);
	db_bind_int64(st, 5, s->rubric_id);
	db_bind_text(st, 6, s->status);
	db_bind_text(st, 7, s->values);
	db_bind_text(st, 8, s->comment);
	db_bind_int64(st, 9, s->updated_at);
	db_bind_int64(st, 10, s->submitted_at);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	if (id != NULL)
		*id = db_last_id(db);
	return (0);
}

int
db_sheet_update(struct db *db, const struct db_sheet *s, int64_t now)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_SHEET_UPDATE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, s->id);
	db_bind_int64(st, 2, s->rubric_id);
	db_bind_text(st, 3, s->status);
	db_bind_text(st, 4, s->values);
	db_bind_text(st, 5, s->comment);
	db_bind_int64(st, 6, now);
	db_bind_int64(st, 7, s->submitted_at);
	db_bind_int64(st, 8, s->version);
	return (db_changed(db, st));
}

static int
sheet_each(struct db_q *st, void *arg)
{
	struct db_list *l = arg;
	struct db_sheet s;

	read_sheet_fixed(st, &s);
	s.values = (char *)db_col_text(st, 7);
	s.comment = (char *)db_col_text(st, 8);
	return (((int (*)(void *, const struct db_sheet *))l->fn)(l->arg, &s));
}

int
db_sheet_list(struct db *db, int64_t application, const char *phase,
    int submitted_only, int (*cb)(void *, const struct db_sheet *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_SHEET_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	db_bind_text(st, 2, phase);
	db_bind_int(st, 3, submitted_only);
	return (db_each(db, st, sheet_each, &l));
}

int
db_sheet_list_cycle(struct db *db, int64_t cycle, const char *phase,
    int (*cb)(void *, const struct db_sheet *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_SHEET_LIST_CYCLE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	bind_phase(st, 2, phase);
	return (db_each(db, st, sheet_each, &l));
}

int
db_change_insert(struct db *db, int64_t sheet, int64_t by, int64_t now,
    const char *field, const char *old_value, const char *new_value)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_CHANGE_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, sheet);
	db_bind_int64(st, 2, by);
	db_bind_int64(st, 3, now);
	db_bind_text(st, 4, field);
	if (old_value != NULL)
		db_bind_text(st, 5, old_value);
	if (new_value != NULL)
		db_bind_text(st, 6, new_value);
	return (db_step_done(db, st));
}

static int
change_each(struct db_q *st, void *arg)
{
	struct db_list	    *l = arg;
	struct db_change_row c;

	c.id = db_col_int64(st, 0);
	c.sheet_id = db_col_int64(st, 1);
	c.rater_id = db_col_int64(st, 2);
	c.rater_name = (const char *)db_col_text(st, 3);
	c.changed_by = db_col_int64(st, 4);
	c.changed_by_name = (const char *)db_col_text(st, 5);
	c.at = db_col_int64(st, 6);
	c.field = (const char *)db_col_text(st, 7);
	c.old_value = (const char *)db_col_text(st, 8);
	c.new_value = (const char *)db_col_text(st, 9);
	return (
	    ((int (*)(void *, const struct db_change_row *))l->fn)(l->arg, &c));
}

int
db_change_list(struct db *db, int64_t application, const char *phase,
    int (*cb)(void *, const struct db_change_row *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_CHANGE_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	db_bind_text(st, 2, phase);
	return (db_each(db, st, change_each, &l));
}

static int
missing_each(struct db_q *st, void *arg)
{
	struct db_list	     *l = arg;
	struct db_missing_row m;

	m.faculty_id = db_col_int64(st, 0);
	m.email = (const char *)db_col_text(st, 1);
	m.name = (const char *)db_col_text(st, 2);
	m.missing = db_col_int64(st, 3);
	return (((int (*)(void *, const struct db_missing_row *))l->fn)(
	    l->arg, &m));
}

int
db_sheets_missing(struct db *db, int64_t cycle, const char *phase,
    int (*cb)(void *, const struct db_missing_row *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_SHEETS_MISSING)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_text(st, 2, phase);
	return (db_each(db, st, missing_each, &l));
}

int
db_rater_reminded_get(struct db *db, int64_t cycle, const char *phase,
    int64_t faculty, int64_t *at)
{
	struct db_q *st;

	*at = 0;
	if ((st = db_stmt(db, STMT_RATER_REMINDED_GET)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_text(st, 2, phase);
	db_bind_int64(st, 3, faculty);
	return (db_row(db, st, db_read_int64, at));
}

int
db_rater_reminded_set(struct db *db, int64_t cycle, const char *phase,
    int64_t faculty, int64_t now)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_RATER_REMINDED_SET)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_text(st, 2, phase);
	db_bind_int64(st, 3, faculty);
	db_bind_int64(st, 4, now);
	return (db_step_done(db, st));
}
