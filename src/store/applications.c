/*
 * Applications and the conflicts recorded against them.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Reads APP_COLUMNS; fields is copied when copy is set, else borrowed. */
static int
read_app(sqlite3_stmt *st, struct db_application *a, int copy)
{
	const char *fields;

	a->id = sqlite3_column_int64(st, 0);
	a->cycle_id = sqlite3_column_int64(st, 1);
	a->applicant_id = sqlite3_column_int64(st, 2);
	db_column_text(st, 3, a->status, sizeof(a->status));
	fields = (const char *)sqlite3_column_text(st, 4);
	if (fields == NULL)
		fields = "{}";
	if (copy) {
		if ((a->fields = strdup(fields)) == NULL)
			return (DB_ERROR);
	} else
		a->fields = (char *)(uintptr_t)fields;
	a->version = sqlite3_column_int64(st, 5);
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
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, STMT_APP_INSERT)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, cycle);
	sqlite3_bind_int64(st, 2, applicant);
	sqlite3_bind_text(st, 3, fields, -1, SQLITE_STATIC);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = sqlite3_last_insert_rowid(db->conn);
	return (0);
}

static int
app_lookup(struct db *db, sqlite3_stmt *st, struct db_application *a)
{
	int rc, r = 0;

	a->fields = NULL;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		r = read_app(st, a, 1);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (r == 0 ? 1 : r);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

int
db_application_by_id(struct db *db, int64_t id, struct db_application *a)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_APP_BY_ID)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	return (app_lookup(db, st, a));
}

int
db_application_by_owner(
    struct db *db, int64_t cycle, int64_t applicant, struct db_application *a)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_APP_BY_OWNER)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, cycle);
	sqlite3_bind_int64(st, 2, applicant);
	return (app_lookup(db, st, a));
}

int
db_application_set_fields(
    struct db *db, int64_t id, const char *fields, int64_t version)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, STMT_APP_SET_FIELDS)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, fields, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, version);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	return (sqlite3_changes(db->conn) == 1 ? 1 : 0);
}

int
db_application_set_status(
    struct db *db, int64_t id, const char *status, int submitted)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_APP_SET_STATUS)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, submitted);
	return (db_step_done(db, st));
}

/* Binds the filters shared by the lists (APP_FILTER, ?1 to ?7). */
static void
bind_filter(sqlite3_stmt *st, int64_t cycle, const struct db_app_filter *f)
{
	sqlite3_bind_int64(st, 1, cycle);
	if (f->status != NULL)
		sqlite3_bind_text(st, 2, f->status, -1, SQLITE_STATIC);
	if (f->search != NULL && f->search[0] != '\0')
		sqlite3_bind_text(st, 3, f->search, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, f->hide_conflicts_of);
	sqlite3_bind_int64(st, 5, f->after);
	sqlite3_bind_int(st, 6, f->limit);
	sqlite3_bind_int64(st, 7, f->assigned_to);
}

int
db_application_list(struct db *db, int64_t cycle, const struct db_app_filter *f,
    int (*cb)(void *, const struct db_application *), void *arg)
{
	sqlite3_stmt	     *st;
	struct db_application a;
	int		      rc, stop = 0;

	if ((st = db_stmt(db, STMT_APP_LIST)) == NULL)
		return (DB_ERROR);
	bind_filter(st, cycle, f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		(void)read_app(st, &a, 0);
		if ((stop = cb(arg, &a)) != 0)
			break;
	}
	sqlite3_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

/* Reads a row of STMT_APP_PAGE; the strings point into st. */
static void
read_page_row(sqlite3_stmt *st, struct db_app_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->applicant_id = sqlite3_column_int64(st, 1);
	db_column_text(st, 2, r->status, sizeof(r->status));
	r->first_name = (const char *)sqlite3_column_text(st, 3);
	r->last_name = (const char *)sqlite3_column_text(st, 4);
	r->medical_school = (const char *)sqlite3_column_text(st, 5);
	r->residency_program = (const char *)sqlite3_column_text(st, 6);
	db_column_text(st, 7, r->submitted_at, sizeof(r->submitted_at));
	db_column_text(st, 8, r->updated_at, sizeof(r->updated_at));
	r->fields_missing = sqlite3_column_int64(st, 9);
	r->documents_missing = sqlite3_column_int64(st, 10);
	r->letters_received = sqlite3_column_int64(st, 11);
	r->letters_requested = sqlite3_column_int64(st, 12);
	r->assigned = sqlite3_column_int(st, 13);
	r->conflicted = sqlite3_column_int(st, 14);
}

int
db_application_page(struct db *db, int64_t cycle, const struct db_app_filter *f,
    int64_t viewer, const struct db_app_required       *req,
    int (*cb)(void *, const struct db_app_row *), void *arg)
{
	sqlite3_stmt	 *st;
	struct db_app_row r;
	int		  rc, stop = 0;

	if ((st = db_stmt(db, STMT_APP_PAGE)) == NULL)
		return (DB_ERROR);
	bind_filter(st, cycle, f);
	sqlite3_bind_text(st, 8, req->fields, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, req->documents, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, viewer);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_page_row(st, &r);
		if ((stop = cb(arg, &r)) != 0)
			break;
	}
	sqlite3_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

int
db_conflict_exists(struct db *db, int64_t application, int64_t faculty)
{
	return (db_any2(db, STMT_CONFLICT_EXISTS, application, faculty));
}
