/*
 * Sign-in throttle counters; the policy is in core/throttle.c.
 */
#include "store/internal.h"

int
db_throttle_get(struct db *db, const char *key, struct throttle_state *t)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, STMT_THROTTLE_GET)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t->failures = sqlite3_column_int64(st, 0);
		t->window_start = sqlite3_column_int64(st, 1);
		t->blocked_until = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

int
db_throttle_put(struct db *db, const char *key, const struct throttle_state *t)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_THROTTLE_PUT)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t->failures);
	sqlite3_bind_int64(st, 3, t->window_start);
	sqlite3_bind_int64(st, 4, t->blocked_until);
	return (db_step_done(db, st));
}

int
db_throttle_clear(struct db *db, const char *key)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_THROTTLE_CLEAR)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	return (db_step_done(db, st));
}

int
db_throttle_purge(struct db *db, int64_t now, int window, int *purged)
{
	sqlite3_stmt *st;
	int	      rc;

	*purged = 0;
	if ((st = db_stmt(db, STMT_THROTTLE_PURGE)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, now - window);
	sqlite3_bind_int64(st, 2, now);
	if ((rc = db_step_done(db, st)) == 0)
		*purged = sqlite3_changes(db->conn);
	return (rc);
}
