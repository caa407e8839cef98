/*
 * Letters of recommendation.
 */
#include "core/token.h"
#include "store/internal.h"

static void
read_letter(struct db_q *st, void *out)
{
	struct db_letter *l = out;

	l->id = db_col_int64(st, 0);
	l->application_id = db_col_int64(st, 1);
	db_column_text(st, 2, l->writer_name, sizeof(l->writer_name));
	db_column_text(st, 3, l->writer_email, sizeof(l->writer_email));
	l->waived = db_col_int(st, 4);
	db_column_text(st, 5, l->status, sizeof(l->status));
	l->token_expires_at = db_col_int64(st, 6);
	db_column_text(st, 7, l->requested_at, sizeof(l->requested_at));
	db_column_text(st, 8, l->reminded_at, sizeof(l->reminded_at));
	db_column_text(st, 9, l->received_at, sizeof(l->received_at));
	db_column_text(st, 10, l->sha256, sizeof(l->sha256));
	l->size = db_col_int64(st, 11);
}

int
db_letter_insert(struct db *db, const struct db_letter *l,
    const unsigned char *token_hash, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_LETTER_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, l->application_id);
	db_bind_text(st, 2, l->writer_name);
	db_bind_text(st, 3, l->writer_email);
	db_bind_int(st, 4, l->waived);
	db_bind_blob(st, 5, token_hash, TOKEN_HASH_LEN);
	db_bind_int64(st, 6, l->token_expires_at);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = db_last_id(db);
	return (0);
}

int
db_letter_by_id(struct db *db, int64_t id, struct db_letter *l)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_LETTER_BY_ID)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, read_letter, l));
}

int
db_letter_by_token(
    struct db *db, const unsigned char *hash, struct db_letter *l)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_LETTER_BY_TOKEN)) == NULL)
		return (DB_ERROR);
	db_bind_blob(st, 1, hash, TOKEN_HASH_LEN);
	return (db_row(db, st, read_letter, l));
}

int
db_letter_list(struct db *db, int64_t		       application,
    int (*cb)(void *, const struct db_letter *), void *arg)
{
	struct db_q	*st;
	struct db_letter l;
	int		 rc, stop = 0;

	if ((st = db_stmt(db, STMT_LETTER_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, application);
	while ((rc = db_q_step(st)) == DBQ_ROW) {
		read_letter(st, &l);
		if ((stop = cb(arg, &l)) != 0)
			break;
	}
	db_q_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

int
db_letter_set_token(
    struct db *db, int64_t id, const unsigned char *hash, int64_t expires)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_LETTER_SET_TOKEN)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_blob(st, 2, hash, TOKEN_HASH_LEN);
	db_bind_int64(st, 3, expires);
	return (db_changed(db, st));
}

int
db_letter_cancel(struct db *db, int64_t id)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_LETTER_CANCEL)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_changed(db, st));
}

int
db_letter_receive(struct db *db, int64_t id, const char *sha256, int64_t size)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_LETTER_RECEIVE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, sha256);
	db_bind_int64(st, 3, size);
	return (db_changed(db, st));
}

int
db_letter_mail_add(struct db *db, int64_t applicant, int64_t letter,
    const char *address, const char *kind, int64_t now)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_LETTER_MAIL_ADD)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, applicant);
	db_bind_int64(st, 2, letter);
	db_bind_text(st, 3, address);
	db_bind_text(st, 4, kind);
	db_bind_int64(st, 5, now);
	return (db_step_done(db, st));
}

struct mails_seen {
	int64_t count, sent_at;
};

static void
read_seen(struct db_q *st, void *out)
{
	struct mails_seen *m = out;

	m->count = db_col_int64(st, 0);
	m->sent_at = db_col_int64(st, 1);
}

/* Runs a counting statement whose first parameter is already bound. */
static int
mails_seen(struct db *db, struct db_q *st, int64_t since, int64_t rank,
    int64_t *count, int64_t *sent_at)
{
	struct mails_seen m = { 0, 0 };
	int		  rc;

	db_bind_int64(st, 2, since);
	db_bind_int64(st, 3, rank);
	rc = db_row(db, st, read_seen, &m);
	*count = m.count;
	*sent_at = m.sent_at;
	return (rc < 0 ? rc : 0);
}

int
db_letter_mails_by_applicant(struct db *db, int64_t applicant, int64_t since,
    int64_t rank, int64_t *count, int64_t *sent_at)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_LETTER_MAILS_BY_APPLICANT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, applicant);
	return (mails_seen(db, st, since, rank, count, sent_at));
}

int
db_letter_mails_to(struct db *db, const char *address, int64_t since,
    int64_t rank, int64_t *count, int64_t *sent_at)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_LETTER_MAILS_TO)) == NULL)
		return (DB_ERROR);
	db_bind_text_copy(st, 1, address);
	return (mails_seen(db, st, since, rank, count, sent_at));
}

int
db_letter_mails_purge(struct db *db, int64_t before, int *purged)
{
	struct db_q *st;
	int	     rc;

	*purged = 0;
	if ((st = db_stmt(db, STMT_LETTER_MAILS_PURGE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, before);
	if ((rc = db_step_done(db, st)) == 0)
		*purged = db_changes(db);
	return (rc);
}
