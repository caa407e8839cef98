/*
 * Single-use, expiring tokens for links sent by e-mail.
 */
#include "core/token.h"
#include "store/internal.h"

int
db_token_insert(struct db *db, const char *kind, const unsigned char *hash,
    int64_t user, int64_t now, int64_t expires)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_TOKEN_INSERT)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
	if (user != 0)
		sqlite3_bind_int64(st, 3, user);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, expires);
	return (db_step_done(db, st));
}

int
db_token_lookup(struct db *db, const char *kind, const unsigned char *hash,
    struct db_token *t)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, STMT_TOKEN_LOOKUP)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_blob(st, 1, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t->id = sqlite3_column_int64(st, 0);
		t->user_id = sqlite3_column_int64(st, 1);
		t->expires_at = sqlite3_column_int64(st, 2);
		t->used_at = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

int
db_token_use(struct db *db, int64_t id, int64_t now)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, STMT_TOKEN_USE)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	return (sqlite3_changes(db->conn) == 1 ? 1 : 0);
}

int
db_token_revoke(struct db *db, int64_t user, const char *kind, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_TOKEN_REVOKE)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, user);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	return (db_step_done(db, st));
}
