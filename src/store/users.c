/*
 * Accounts in the users table.
 */
#include "store/internal.h"

int
db_user_insert(struct db *db, const char *email, const char *name,
    const char *role, const char *pwhash, int64_t *id)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, STMT_USER_INSERT)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
	if (pwhash != NULL)
		sqlite3_bind_text(st, 4, pwhash, -1, SQLITE_STATIC);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = sqlite3_last_insert_rowid(db->conn);
	return (0);
}

int
db_user_count(struct db *db, int64_t *count)
{
	return (db_scalar(db, STMT_USER_COUNT, count));
}
