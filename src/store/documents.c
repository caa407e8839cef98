/*
 * Document records; the files themselves are stored under their
 * content's name (store/files.c) before the row that names them is
 * inserted.
 */
#include "store/internal.h"

static void
read_doc(struct db_q *st, void *out)
{
	struct db_document *d = out;

	d->id = db_col_int64(st, 0);
	d->application_id = db_col_int64(st, 1);
	db_column_text(st, 2, d->kind, sizeof(d->kind));
	db_column_text(st, 3, d->sha256, sizeof(d->sha256));
	d->size = db_col_int64(st, 4);
	d->uploaded_by = db_col_int64(st, 5);
	db_column_text(st, 6, d->created_at, sizeof(d->created_at));
	db_column_text(st, 7, d->removed_at, sizeof(d->removed_at));
}

int
db_document_insert(struct db *db, const struct db_document *d, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_DOC_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, d->application_id);
	db_bind_text(st, 2, d->kind);
	db_bind_text(st, 3, d->sha256);
	db_bind_int64(st, 4, d->size);
	db_bind_int64(st, 5, d->uploaded_by);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = db_last_id(db);
	return (0);
}

int
db_document_remove_kind(struct db *db, int64_t application, const char *kind)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_DOC_REMOVE_KIND)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	db_bind_text(st, 2, kind);
	return (db_step_done(db, st));
}

int
db_document_remove(struct db *db, int64_t id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_DOC_REMOVE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	return (db_changes(db) == 1);
}

int
db_document_by_id(struct db *db, int64_t id, struct db_document *d)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_DOC_BY_ID)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, read_doc, d));
}

int
db_document_list(struct db *db, int64_t			 application,
    int (*cb)(void *, const struct db_document *), void *arg)
{
	struct db_q	  *st;
	struct db_document d;
	int		   rc, stop = 0;

	if ((st = db_stmt(db, STMT_DOC_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	while ((rc = db_q_step(st)) == DBQ_ROW) {
		read_doc(st, &d);
		if ((stop = cb(arg, &d)) != 0)
			break;
	}
	db_q_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}
