/*
 * The common shapes of running a statement (a lookup, a change, a
 * listing, one number), over the query interface of store/internal.h:
 * the same on any engine.
 */
#include <string.h>

#include "store/internal.h"

/* The step's result as db_row() and db_each() give it: 1 row, 0 end, or
 * a DB_E* code. */
static int
step_result(struct db *db, int rc)
{
	if (rc == DBQ_ROW)
		return (1);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

void
db_column_text(struct db_q *st, int col, char *out, size_t outlen)
{
	const unsigned char *t;
	size_t		     n;

	if (outlen == 0)
		return;
	out[0] = '\0';
	if ((t = db_col_text(st, col)) == NULL)
		return;
	n = db_col_bytes(st, col);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, t, n);
	out[n] = '\0';
}

int
db_row(struct db *db, struct db_q *st, void (*read)(struct db_q *, void *),
    void *out)
{
	int rc;

	if ((rc = db_q_step(st)) == DBQ_ROW)
		read(st, out);
	db_q_reset(st);
	return (step_result(db, rc));
}

int
db_step_done(struct db *db, struct db_q *st)
{
	int rc;

	rc = db_q_step(st);
	db_q_reset(st);
	if (rc == DBQ_DONE || rc == DBQ_ROW)
		return (0);
	return (db_rc(db, rc));
}

void
db_read_int64(struct db_q *st, void *out)
{
	*(int64_t *)out = db_col_int64(st, 0);
}

int
db_changed(struct db *db, struct db_q *st)
{
	int rc;

	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	return (db_changes(db) > 0);
}

int
db_each(struct db *db, struct db_q *st, int (*row)(struct db_q *, void *),
    void *arg)
{
	int rc, stop = 0;

	while ((rc = db_q_step(st)) == DBQ_ROW) {
		if ((stop = row(st, arg)) != 0)
			break;
	}
	db_q_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

int
db_scalar(struct db *db, enum stmt id, int64_t *out)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, id)) == NULL)
		return (DB_ERROR);
	rc = db_q_step(st);
	if (rc == DBQ_ROW)
		*out = db_col_int64(st, 0);
	db_q_reset(st);
	return (rc == DBQ_ROW ? 0 : db_rc(db, rc));
}

int
db_any2(struct db *db, enum stmt id, int64_t a, int64_t b)
{
	struct db_q *st;
	int	     rc, n = 0;

	if ((st = db_stmt(db, id)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, a);
	db_bind_int64(st, 2, b);
	if ((rc = db_q_step(st)) == DBQ_ROW)
		n = db_col_int(st, 0);
	db_q_reset(st);
	if (rc != DBQ_ROW)
		return (db_rc(db, rc));
	return (n > 0);
}

int
db_ping(struct db *db)
{
	int64_t one;

	return (db_scalar(db, STMT_PING, &one));
}
