/*
 * Letters of recommendation.
 */
#include "core/token.h"
#include "store/internal.h"

static void
read_letter(sqlite3_stmt *st, void *out)
{
	struct db_letter *l = out;

	l->id = sqlite3_column_int64(st, 0);
	l->application_id = sqlite3_column_int64(st, 1);
	db_column_text(st, 2, l->writer_name, sizeof(l->writer_name));
	db_column_text(st, 3, l->writer_email, sizeof(l->writer_email));
	l->waived = sqlite3_column_int(st, 4);
	db_column_text(st, 5, l->status, sizeof(l->status));
	l->token_expires_at = sqlite3_column_int64(st, 6);
	db_column_text(st, 7, l->requested_at, sizeof(l->requested_at));
	db_column_text(st, 8, l->reminded_at, sizeof(l->reminded_at));
	db_column_text(st, 9, l->received_at, sizeof(l->received_at));
	db_column_text(st, 10, l->sha256, sizeof(l->sha256));
	l->size = sqlite3_column_int64(st, 11);
}

int
db_letter_insert(struct db *db, const struct db_letter *l,
    const unsigned char *token_hash, int64_t *id)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, STMT_LETTER_INSERT)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, l->application_id);
	sqlite3_bind_text(st, 2, l->writer_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, l->writer_email, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, l->waived);
	sqlite3_bind_blob(st, 5, token_hash, TOKEN_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, l->token_expires_at);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = sqlite3_last_insert_rowid(db->conn);
	return (0);
}

int
db_letter_by_id(struct db *db, int64_t id, struct db_letter *l)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_LETTER_BY_ID)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	return (db_row(db, st, read_letter, l));
}

int
db_letter_by_token(
    struct db *db, const unsigned char *hash, struct db_letter *l)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_LETTER_BY_TOKEN)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_blob(st, 1, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
	return (db_row(db, st, read_letter, l));
}

int
db_letter_list(struct db *db, int64_t		       application,
    int (*cb)(void *, const struct db_letter *), void *arg)
{
	sqlite3_stmt	*st;
	struct db_letter l;
	int		 rc, stop = 0;

	if ((st = db_stmt(db, STMT_LETTER_LIST)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, application);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_letter(st, &l);
		if ((stop = cb(arg, &l)) != 0)
			break;
	}
	sqlite3_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

int
db_letter_set_token(
    struct db *db, int64_t id, const unsigned char *hash, int64_t expires)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_LETTER_SET_TOKEN)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, expires);
	return (db_changed(db, st));
}

int
db_letter_cancel(struct db *db, int64_t id)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_LETTER_CANCEL)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	return (db_changed(db, st));
}

int
db_letter_receive(struct db *db, int64_t id, const char *sha256, int64_t size)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_LETTER_RECEIVE)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, size);
	return (db_changed(db, st));
}

int
db_letter_mail_add(struct db *db, int64_t applicant, int64_t letter,
    const char *address, const char *kind, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_LETTER_MAIL_ADD)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, applicant);
	sqlite3_bind_int64(st, 2, letter);
	sqlite3_bind_text(st, 3, address, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	return (db_step_done(db, st));
}

struct mails_seen {
	int64_t count, sent_at;
};

static void
read_seen(sqlite3_stmt *st, void *out)
{
	struct mails_seen *m = out;

	m->count = sqlite3_column_int64(st, 0);
	m->sent_at = sqlite3_column_int64(st, 1);
}

/* Runs a counting statement whose first parameter is already bound. */
static int
mails_seen(struct db *db, sqlite3_stmt *st, int64_t since, int64_t rank,
    int64_t *count, int64_t *sent_at)
{
	struct mails_seen m = { 0, 0 };
	int		  rc;

	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, rank);
	rc = db_row(db, st, read_seen, &m);
	*count = m.count;
	*sent_at = m.sent_at;
	return (rc < 0 ? rc : 0);
}

int
db_letter_mails_by_applicant(struct db *db, int64_t applicant, int64_t since,
    int64_t rank, int64_t *count, int64_t *sent_at)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_LETTER_MAILS_BY_APPLICANT)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, applicant);
	return (mails_seen(db, st, since, rank, count, sent_at));
}

int
db_letter_mails_to(struct db *db, const char *address, int64_t since,
    int64_t rank, int64_t *count, int64_t *sent_at)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_LETTER_MAILS_TO)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_text(st, 1, address, -1, SQLITE_TRANSIENT);
	return (mails_seen(db, st, since, rank, count, sent_at));
}

int
db_letter_mails_purge(struct db *db, int64_t before, int *purged)
{
	sqlite3_stmt *st;
	int	      rc;

	*purged = 0;
	if ((st = db_stmt(db, STMT_LETTER_MAILS_PURGE)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, before);
	if ((rc = db_step_done(db, st)) == 0)
		*purged = sqlite3_changes(db->conn);
	return (rc);
}
