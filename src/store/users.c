/*
 * Accounts in the users table.
 */
#include "store/internal.h"

/* Reads the USER_COLUMNS of statements.c starting at column 0. */
static void
read_user(struct db_q *st, void *out)
{
	struct db_user *u = out;

	u->id = db_col_int64(st, 0);
	db_column_text(st, 1, u->email, sizeof(u->email));
	db_column_text(st, 2, u->name, sizeof(u->name));
	db_column_text(st, 3, u->role, sizeof(u->role));
	db_column_text(st, 4, u->pwhash, sizeof(u->pwhash));
	u->disabled = db_col_int(st, 5);
	db_column_text(st, 6, u->created_at, sizeof(u->created_at));
	u->imported_claimable = db_col_int(st, 7);
	u->admin = db_col_int(st, 8);
}

int
db_user_insert(struct db *db, const char *email, const char *name,
    const char *role, const char *pwhash, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_USER_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, role);
	if (pwhash != NULL)
		db_bind_text(st, 4, pwhash);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = db_last_id(db);
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
	struct db_q *st;

	if ((st = db_stmt(db, STMT_USER_BY_EMAIL)) == NULL)
		return (DB_ERROR);
	db_bind_text(st, 1, email);
	return (db_row(db, st, read_user, u));
}

int
db_user_by_id(struct db *db, int64_t id, struct db_user *u)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_USER_BY_ID)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, read_user, u));
}

int
db_user_in_program(
    struct db *db, int64_t id, int64_t program, struct db_user *u)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_USER_IN_PROGRAM)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, program);
	return (db_row(db, st, read_user, u));
}

int
db_user_list(struct db *db, int64_t program, int64_t after, int limit,
    int (*cb)(void *, const struct db_user *), void *arg)
{
	struct db_q   *st;
	struct db_user u;
	int	       rc, stop = 0;

	if ((st = db_stmt(db, STMT_USER_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, after);
	db_bind_int(st, 2, limit);
	db_bind_int64(st, 3, program);
	while ((rc = db_q_step(st)) == DBQ_ROW) {
		read_user(st, &u);
		u.pwhash[0] = u.pwhash[0] != '\0' ? '*' : '\0';
		u.pwhash[1] = '\0';
		if ((stop = cb(arg, &u)) != 0)
			break;
	}
	db_q_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

/* Runs an UPDATE of one user by id with a second parameter. */
static int
user_update(
    struct db *db, enum stmt id_stmt, int64_t id, const char *text, int value)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, id_stmt)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	if (text != NULL)
		db_bind_text(st, 2, text);
	else
		db_bind_int(st, 2, value);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	return (db_changes(db) == 1 ? 0 : DB_ERROR);
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
db_user_set_admin(struct db *db, int64_t id, int admin)
{
	return (user_update(db, STMT_USER_SET_ADMIN, id, NULL, admin));
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
