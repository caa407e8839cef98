/*
 * Rank list versions: appended, never changed (the schema's triggers
 * refuse updates and deletes).
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

int
db_ranklist_insert(struct db *db, const struct db_ranklist *r)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_RANKLIST_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, r->cycle_id);
	db_bind_int64(st, 2, r->version);
	db_bind_text(st, 3, r->kind);
	db_bind_text(st, 4, r->entries);
	if (r->sha256[0] != '\0')
		db_bind_text(st, 5, r->sha256);
	if (r->reason[0] != '\0')
		db_bind_text(st, 6, r->reason);
	db_bind_int64(st, 7, r->created_by);
	db_bind_int64(st, 8, r->created_at);
	if (r->acknowledged != NULL)
		db_bind_text(st, 9, r->acknowledged);
	if (r->snapshot != NULL)
		db_bind_text(st, 10, r->snapshot);
	return (db_step_done(db, st));
}

/* Reads the fixed columns; entries, acknowledged and snapshot are left
 * to the caller. */
static void
read_fixed(struct db_q *st, struct db_ranklist *r)
{
	r->id = db_col_int64(st, 0);
	r->cycle_id = db_col_int64(st, 1);
	r->version = db_col_int64(st, 2);
	db_column_text(st, 3, r->kind, sizeof(r->kind));
	db_column_text(st, 5, r->sha256, sizeof(r->sha256));
	db_column_text(st, 6, r->reason, sizeof(r->reason));
	r->created_by = db_col_int64(st, 7);
	db_column_text(st, 8, r->created_by_name, sizeof(r->created_by_name));
	r->created_at = db_col_int64(st, 9);
}

static void
read_ranklist(struct db_q *st, void *out)
{
	struct db_ranklist  *r = out;
	const unsigned char *t;

	read_fixed(st, r);
	t = db_col_text(st, 4);
	r->entries = strdup(t != NULL ? (const char *)t : "[]");
	/* NULL stays NULL; a copy that fails leaves a mark to refuse. */
	if ((t = db_col_text(st, 10)) != NULL &&
	    (r->acknowledged = strdup((const char *)t)) == NULL) {
		free(r->entries);
		r->entries = NULL;
	}
	if ((t = db_col_text(st, 11)) != NULL &&
	    (r->snapshot = strdup((const char *)t)) == NULL) {
		free(r->entries);
		r->entries = NULL;
	}
}

static int
ranklist_row(struct db *db, struct db_q *st, struct db_ranklist *r)
{
	int rc;

	r->entries = NULL;
	r->acknowledged = NULL;
	r->snapshot = NULL;
	if ((rc = db_row(db, st, read_ranklist, r)) == 1 && r->entries == NULL)
		return (DB_ERROR);
	return (rc);
}

int
db_ranklist_current(struct db *db, int64_t cycle, struct db_ranklist *r)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_RANKLIST_CURRENT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	return (ranklist_row(db, st, r));
}

int
db_ranklist_by_version(
    struct db *db, int64_t cycle, int64_t version, struct db_ranklist *r)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_RANKLIST_BY_VERSION)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_int64(st, 2, version);
	return (ranklist_row(db, st, r));
}

void
db_ranklist_clear(struct db_ranklist *r)
{
	free(r->entries);
	r->entries = NULL;
	free(r->acknowledged);
	r->acknowledged = NULL;
	free(r->snapshot);
	r->snapshot = NULL;
}

static int
ranklist_each(struct db_q *st, void *arg)
{
	struct db_list	  *l = arg;
	struct db_ranklist r;

	read_fixed(st, &r);
	r.entries = (char *)db_col_text(st, 4);
	r.acknowledged = (char *)db_col_text(st, 10);
	r.snapshot = (char *)db_col_text(st, 11);
	return (
	    ((int (*)(void *, const struct db_ranklist *))l->fn)(l->arg, &r));
}

int
db_ranklist_list(struct db *db, int64_t			 cycle,
    int (*cb)(void *, const struct db_ranklist *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_RANKLIST_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	return (db_each(db, st, ranklist_each, &l));
}
