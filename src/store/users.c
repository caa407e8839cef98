/*
 * Accounts in the users table.
 */
#include "store/internal.h"

/* Reads the USER_COLUMNS of statements.c starting at column 0. */
static void
read_user(sqlite3_stmt *st, void *out)
{
	struct db_user *u = out;

	u->id = sqlite3_column_int64(st, 0);
	db_column_text(st, 1, u->email, sizeof(u->email));
	db_column_text(st, 2, u->name, sizeof(u->name));
	db_column_text(st, 3, u->role, sizeof(u->role));
	db_column_text(st, 4, u->pwhash, sizeof(u->pwhash));
	u->disabled = sqlite3_column_int(st, 5);
	db_column_text(st, 6, u->created_at, sizeof(u->created_at));
	u->imported_claimable = sqlite3_column_int(st, 7);
}

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

int
db_user_by_email(struct db *db, const char *email, struct db_user *u)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_USER_BY_EMAIL)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	return (db_row(db, st, read_user, u));
}

int
db_user_by_id(struct db *db, int64_t id, struct db_user *u)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_USER_BY_ID)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	return (db_row(db, st, read_user, u));
}

int
db_user_list(struct db *db, int64_t after, int limit,
    int (*cb)(void *, const struct db_user *), void *arg)
{
	sqlite3_stmt  *st;
	struct db_user u;
	int	       rc, stop = 0;

	if ((st = db_stmt(db, STMT_USER_LIST)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_user(st, &u);
		u.pwhash[0] = u.pwhash[0] != '\0' ? '*' : '\0';
		u.pwhash[1] = '\0';
		if ((stop = cb(arg, &u)) != 0)
			break;
	}
	sqlite3_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

/* Runs an UPDATE of one user by id with a second parameter. */
static int
user_update(
    struct db *db, enum stmt id_stmt, int64_t id, const char *text, int value)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, id_stmt)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	if (text != NULL)
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int(st, 2, value);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	return (sqlite3_changes(db->conn) == 1 ? 0 : DB_ERROR);
}

int
db_user_set_password(struct db *db, int64_t id, const char *pwhash)
{
	return (user_update(db, STMT_USER_SET_PASSWORD, id, pwhash, 0));
}

int
db_user_set_role(struct db *db, int64_t id, const char *role)
{
	return (user_update(db, STMT_USER_SET_ROLE, id, role, 0));
}

int
db_user_set_disabled(struct db *db, int64_t id, int disabled)
{
	return (user_update(db, STMT_USER_SET_DISABLED, id, NULL, disabled));
}

int
db_user_set_claimable(struct db *db, int64_t id, int claimable)
{
	return (user_update(db, STMT_USER_SET_CLAIMABLE, id, NULL, claimable));
}
