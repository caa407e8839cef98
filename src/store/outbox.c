/*
 * The mail outbox: queued in the same transaction as the change that sends
 * the mail, delivered later by the mailer process.
 */
#include "store/internal.h"

#define TEXT(st, i) ((const char *)sqlite3_column_text((st), (i)))

int
db_outbox_insert(struct db *db, const char *to, const char *subject,
    const char *body, int64_t now, int64_t *id)
{
	return (
	    db_outbox_insert_calendar(db, to, subject, body, NULL, now, id));
}

int
db_outbox_insert_calendar(struct db *db, const char *to, const char *subject,
    const char *body, const char *calendar, int64_t now, int64_t *id)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, STMT_OUTBOX_INSERT)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if (calendar != NULL)
		sqlite3_bind_text(st, 5, calendar, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 5);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db->conn);
	return (0);
}

int
db_outbox_next_due(struct db *db, int64_t		  now,
    void (*cb)(void *, const struct db_mail_row *), void *arg)
{
	sqlite3_stmt	  *st;
	struct db_mail_row m = { 0 };
	int		   rc;

	if ((st = db_stmt(db, STMT_OUTBOX_NEXT_DUE)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		m.id = sqlite3_column_int64(st, 0);
		m.to = TEXT(st, 1);
		m.subject = TEXT(st, 2);
		m.body = TEXT(st, 3);
		m.attempts = sqlite3_column_int64(st, 4);
		m.calendar = TEXT(st, 5);
		m.status = "pending";
		m.last_error = "";
		cb(arg, &m);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

int
db_outbox_sent(struct db *db, int64_t id, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_OUTBOX_SENT)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	return (db_step_done(db, st));
}

int
db_outbox_retry(struct db *db, int64_t id, int64_t next, const char *error,
    const char *status)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_OUTBOX_RETRY)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, next);
	sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, status, -1, SQLITE_STATIC);
	return (db_step_done(db, st));
}

int
db_outbox_list(struct db *db, int64_t before, int limit,
    int (*cb)(void *, const struct db_mail_row *), void *arg)
{
	sqlite3_stmt	  *st;
	struct db_mail_row m;
	int		   rc, stop = 0;

	if ((st = db_stmt(db, STMT_OUTBOX_LIST)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m.id = sqlite3_column_int64(st, 0);
		m.to = TEXT(st, 1);
		m.subject = TEXT(st, 2);
		m.body = TEXT(st, 3);
		m.created_at = sqlite3_column_int64(st, 4);
		m.status = TEXT(st, 5);
		m.attempts = sqlite3_column_int64(st, 6);
		m.next_attempt_at = sqlite3_column_int64(st, 7);
		m.last_error = TEXT(st, 8);
		m.sent_at = sqlite3_column_int64(st, 9);
		m.calendar = TEXT(st, 10);
		if ((stop = cb(arg, &m)) != 0)
			break;
	}
	sqlite3_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

int
db_outbox_rotate(struct db *db, int64_t before, int64_t *deleted)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, STMT_OUTBOX_ROTATE)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, before);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*deleted = sqlite3_changes(db->conn);
	return (0);
}
