/*
 * Applications and the conflicts recorded against them.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Reads APP_COLUMNS; fields is copied when copy is set, else borrowed. */
static int
read_app(struct db_q *st, struct db_application *a, int copy)
{
	const char *fields;

	a->id = db_col_int64(st, 0);
	a->cycle_id = db_col_int64(st, 1);
	a->applicant_id = db_col_int64(st, 2);
	db_column_text(st, 3, a->status, sizeof(a->status));
	fields = (const char *)db_col_text(st, 4);
	if (fields == NULL)
		fields = "{}";
	if (copy) {
		if ((a->fields = strdup(fields)) == NULL)
			return (DB_ERROR);
	} else
		a->fields = (char *)(uintptr_t)fields;
	a->version = db_col_int64(st, 5);
	db_column_text(st, 6, a->submitted_at, sizeof(a->submitted_at));
	db_column_text(st, 7, a->created_at, sizeof(a->created_at));
	db_column_text(st, 8, a->updated_at, sizeof(a->updated_at));
	db_column_text(st, 9, a->withdrawn_at, sizeof(a->withdrawn_at));
	return (0);
}

void
db_application_clear(struct db_application *a)
{
	if (a != NULL) {
		free(a->fields);
		a->fields = NULL;
	}
}

int
db_application_insert(struct db *db, int64_t cycle, int64_t applicant,
    const char *fields, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_APP_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_int64(st, 2, applicant);
	db_bind_text(st, 3, fields);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = db_last_id(db);
	return (0);
}

static int
app_lookup(struct db *db, struct db_q *st, struct db_application *a)
{
	int rc, r = 0;

	a->fields = NULL;
	if ((rc = db_q_step(st)) == DBQ_ROW)
		r = read_app(st, a, 1);
	db_q_reset(st);
	if (rc == DBQ_ROW)
		return (r == 0 ? 1 : r);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

int
db_application_by_id(struct db *db, int64_t id, struct db_application *a)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_APP_BY_ID)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (app_lookup(db, st, a));
}

int
db_application_by_owner(
    struct db *db, int64_t cycle, int64_t applicant, struct db_application *a)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_APP_BY_OWNER)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_int64(st, 2, applicant);
	return (app_lookup(db, st, a));
}

int
db_application_set_fields(
    struct db *db, int64_t id, const char *fields, int64_t version)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_APP_SET_FIELDS)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, fields);
	db_bind_int64(st, 3, version);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	return (db_changes(db) == 1 ? 1 : 0);
}

int
db_application_set_status(
    struct db *db, int64_t id, const char *status, int submitted)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_APP_SET_STATUS)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, status);
	db_bind_int(st, 3, submitted);
	return (db_step_done(db, st));
}

/* Binds the filters shared by the lists (APP_FILTER, ?1 to ?7). */
static void
bind_filter(struct db_q *st, int64_t cycle, const struct db_app_filter *f)
{
	db_bind_int64(st, 1, cycle);
	if (f->status != NULL)
		db_bind_text(st, 2, f->status);
	if (f->search != NULL && f->search[0] != '\0')
		db_bind_text(st, 3, f->search);
	db_bind_int64(st, 4, f->hide_conflicts_of);
	db_bind_int64(st, 5, f->after);
	db_bind_int(st, 6, f->limit);
	db_bind_int64(st, 7, f->assigned_to);
}

int
db_application_list(struct db *db, int64_t cycle, const struct db_app_filter *f,
    int (*cb)(void *, const struct db_application *), void *arg)
{
	struct db_q	     *st;
	struct db_application a;
	int		      rc, stop = 0;

	if ((st = db_stmt(db, STMT_APP_LIST)) == NULL)
		return (DB_ERROR);
	bind_filter(st, cycle, f);
	while ((rc = db_q_step(st)) == DBQ_ROW) {
		(void)read_app(st, &a, 0);
		if ((stop = cb(arg, &a)) != 0)
			break;
	}
	db_q_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

/* Reads a row of STMT_APP_PAGE; the strings point into st. */
static void
read_page_row(struct db_q *st, struct db_app_row *r)
{
	r->id = db_col_int64(st, 0);
	r->applicant_id = db_col_int64(st, 1);
	db_column_text(st, 2, r->status, sizeof(r->status));
	r->first_name = (const char *)db_col_text(st, 3);
	r->last_name = (const char *)db_col_text(st, 4);
	r->medical_school = (const char *)db_col_text(st, 5);
	r->residency_program = (const char *)db_col_text(st, 6);
	db_column_text(st, 7, r->submitted_at, sizeof(r->submitted_at));
	db_column_text(st, 8, r->updated_at, sizeof(r->updated_at));
	r->fields_missing = db_col_int64(st, 9);
	r->documents_missing = db_col_int64(st, 10);
	r->letters_received = db_col_int64(st, 11);
	r->letters_requested = db_col_int64(st, 12);
	r->assigned = db_col_int(st, 13);
	r->conflicted = db_col_int(st, 14);
}

int
db_application_page(struct db *db, int64_t cycle, const struct db_app_filter *f,
    int64_t viewer, const struct db_app_required       *req,
    int (*cb)(void *, const struct db_app_row *), void *arg)
{
	struct db_q	 *st;
	struct db_app_row r;
	int		  rc, stop = 0;

	if ((st = db_stmt(db, STMT_APP_PAGE)) == NULL)
		return (DB_ERROR);
	bind_filter(st, cycle, f);
	db_bind_text(st, 8, req->fields);
	db_bind_text(st, 9, req->documents);
	db_bind_int64(st, 10, viewer);
	while ((rc = db_q_step(st)) == DBQ_ROW) {
		read_page_row(st, &r);
		if ((stop = cb(arg, &r)) != 0)
			break;
	}
	db_q_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

int
db_conflict_exists(struct db *db, int64_t application, int64_t faculty)
{
	return (db_any2(db, STMT_CONFLICT_EXISTS, application, faculty));
}
