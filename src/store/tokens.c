/*
 * Single-use, expiring tokens for links sent by e-mail.
 */
#include "core/token.h"
#include "store/internal.h"

int
db_token_insert(struct db *db, const char *kind, const unsigned char *hash,
    int64_t user, int64_t now, int64_t expires)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_TOKEN_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_text(st, 1, kind);
	db_bind_blob(st, 2, hash, TOKEN_HASH_LEN);
	if (user != 0)
		db_bind_int64(st, 3, user);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, expires);
	return (db_step_done(db, st));
}

int
db_token_lookup(struct db *db, const char *kind, const unsigned char *hash,
    struct db_token *t)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_TOKEN_LOOKUP)) == NULL)
		return (DB_ERROR);
	db_bind_blob(st, 1, hash, TOKEN_HASH_LEN);
	db_bind_text(st, 2, kind);
	rc = db_q_step(st);
	if (rc == DBQ_ROW) {
		t->id = db_col_int64(st, 0);
		t->user_id = db_col_int64(st, 1);
		t->expires_at = db_col_int64(st, 2);
		t->used_at = db_col_int64(st, 3);
	}
	db_q_reset(st);
	if (rc == DBQ_ROW)
		return (1);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

int
db_token_use(struct db *db, int64_t id, int64_t now)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_TOKEN_USE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, now);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	return (db_changes(db) == 1 ? 1 : 0);
}

int
db_token_revoke(struct db *db, int64_t user, const char *kind, int64_t now)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_TOKEN_REVOKE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, user);
	db_bind_text(st, 2, kind);
	db_bind_int64(st, 3, now);
	return (db_step_done(db, st));
}
