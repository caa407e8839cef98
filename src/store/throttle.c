/*
 * Sign-in throttle counters; the policy is in core/throttle.c.
 */
#include "store/internal.h"

int
db_throttle_get(struct db *db, const char *key, struct throttle_state *t)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_THROTTLE_GET)) == NULL)
		return (DB_ERROR);
	db_bind_text(st, 1, key);
	rc = db_q_step(st);
	if (rc == DBQ_ROW) {
		t->failures = db_col_int64(st, 0);
		t->window_start = db_col_int64(st, 1);
		t->blocked_until = db_col_int64(st, 2);
	}
	db_q_reset(st);
	if (rc == DBQ_ROW)
		return (1);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

int
db_throttle_put(struct db *db, const char *key, const struct throttle_state *t)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_THROTTLE_PUT)) == NULL)
		return (DB_ERROR);
	db_bind_text(st, 1, key);
	db_bind_int64(st, 2, t->failures);
	db_bind_int64(st, 3, t->window_start);
	db_bind_int64(st, 4, t->blocked_until);
	return (db_step_done(db, st));
}

int
db_throttle_clear(struct db *db, const char *key)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_THROTTLE_CLEAR)) == NULL)
		return (DB_ERROR);
	db_bind_text(st, 1, key);
	return (db_step_done(db, st));
}

int
db_throttle_purge(struct db *db, int64_t now, int window, int *purged)
{
	struct db_q *st;
	int	     rc;

	*purged = 0;
	if ((st = db_stmt(db, STMT_THROTTLE_PURGE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, now - window);
	db_bind_int64(st, 2, now);
	if ((rc = db_step_done(db, st)) == 0)
		*purged = db_changes(db);
	return (rc);
}
