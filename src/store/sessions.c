/*
 * Sessions, found by the hash of the token in the browser's cookie.
 */
#include "core/token.h"
#include "store/internal.h"

int
db_session_insert(struct db *db, const unsigned char *hash, int64_t user,
    const char *csrf, int64_t now, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_SESSION_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_blob(st, 1, hash, TOKEN_HASH_LEN);
	db_bind_int64(st, 2, user);
	db_bind_text(st, 3, csrf);
	db_bind_int64(st, 4, now);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = db_last_id(db);
	return (0);
}

int
db_session_lookup(
    struct db *db, const unsigned char *hash, struct db_session *s)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_SESSION_LOOKUP)) == NULL)
		return (DB_ERROR);
	db_bind_blob(st, 1, hash, TOKEN_HASH_LEN);
	rc = db_q_step(st);
	if (rc == DBQ_ROW) {
		s->id = db_col_int64(st, 0);
		db_column_text(st, 1, s->csrf, sizeof(s->csrf));
		s->created_at = db_col_int64(st, 2);
		s->last_seen_at = db_col_int64(st, 3);
		s->user.id = db_col_int64(st, 4);
		db_column_text(st, 5, s->user.email, sizeof(s->user.email));
		db_column_text(st, 6, s->user.name, sizeof(s->user.name));
		db_column_text(st, 7, s->user.role, sizeof(s->user.role));
		s->user.pwhash[0] = '\0';
		s->user.disabled = db_col_int(st, 9);
		db_column_text(
		    st, 10, s->user.created_at, sizeof(s->user.created_at));
		s->user.imported_claimable = db_col_int(st, 11);
		s->user.admin = db_col_int(st, 12);
	}
	db_q_reset(st);
	if (rc == DBQ_ROW)
		return (1);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

/* Runs a statement binding two integers. */
static int
exec_ii(struct db *db, enum stmt id, int64_t a, int64_t b)
{
	struct db_q *st;

	if ((st = db_stmt(db, id)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, a);
	db_bind_int64(st, 2, b);
	return (db_step_done(db, st));
}

int
db_session_touch(struct db *db, int64_t id, int64_t now)
{
	return (exec_ii(db, STMT_SESSION_TOUCH, id, now));
}

int
db_session_delete(struct db *db, int64_t id)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_SESSION_DELETE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_step_done(db, st));
}

int
db_session_delete_user(struct db *db, int64_t user, int64_t except)
{
	struct db_q *st;

	if (except != 0)
		return (
		    exec_ii(db, STMT_SESSION_DELETE_USER_EXCEPT, user, except));
	if ((st = db_stmt(db, STMT_SESSION_DELETE_USER)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, user);
	return (db_step_done(db, st));
}

int
db_session_purge(struct db *db, int64_t idle_before, int64_t created_before)
{
	return (exec_ii(db, STMT_SESSION_PURGE, idle_before, created_before));
}
