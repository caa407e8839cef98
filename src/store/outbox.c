/*
 * The mail outbox: queued in the same transaction as the change that sends
 * the mail, delivered later by the mailer process.
 */
#include "store/internal.h"

#define TEXT(st, i) ((const char *)db_col_text((st), (i)))

int
db_outbox_insert(struct db *db, int64_t program, const char *to,
    const char *subject, const char *body, int64_t now, int64_t *id)
{
	return (db_outbox_insert_calendar(
	    db, program, to, subject, body, NULL, now, id));
}

int
db_outbox_insert_calendar(struct db *db, int64_t program, const char *to,
    const char *subject, const char *body, const char *calendar, int64_t now,
    int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_OUTBOX_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_text(st, 1, to);
	db_bind_text(st, 2, subject);
	db_bind_text(st, 3, body);
	db_bind_int64(st, 4, now);
	if (calendar != NULL)
		db_bind_text(st, 5, calendar);
	else
		db_bind_null(st, 5);
	if (program > 0)
		db_bind_int64(st, 6, program);
	else
		db_bind_null(st, 6);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	if (id != NULL)
		*id = db_last_id(db);
	return (0);
}

int
db_outbox_next_due(struct db *db, int64_t		  now,
    void (*cb)(void *, const struct db_mail_row *), void *arg)
{
	struct db_q	  *st;
	struct db_mail_row m = { 0 };
	int		   rc;

	if ((st = db_stmt(db, STMT_OUTBOX_NEXT_DUE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, now);
	rc = db_q_step(st);
	if (rc == DBQ_ROW) {
		m.id = db_col_int64(st, 0);
		m.to = TEXT(st, 1);
		m.subject = TEXT(st, 2);
		m.body = TEXT(st, 3);
		m.attempts = db_col_int64(st, 4);
		m.calendar = TEXT(st, 5);
		m.sender = TEXT(st, 6);
		m.status = "pending";
		m.last_error = "";
		cb(arg, &m);
	}
	db_q_reset(st);
	if (rc == DBQ_ROW)
		return (1);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

int
db_outbox_sent(struct db *db, int64_t id, int64_t now)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_OUTBOX_SENT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, now);
	return (db_step_done(db, st));
}

int
db_outbox_retry(struct db *db, int64_t id, int64_t next, const char *error,
    const char *status)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_OUTBOX_RETRY)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, next);
	db_bind_text(st, 3, error);
	db_bind_text(st, 4, status);
	return (db_step_done(db, st));
}

int
db_outbox_list(struct db *db, int64_t program, int64_t before, int limit,
    int (*cb)(void *, const struct db_mail_row *), void *arg)
{
	struct db_q	  *st;
	struct db_mail_row m;
	int		   rc, stop = 0;

	if ((st = db_stmt(db, STMT_OUTBOX_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, before);
	db_bind_int(st, 2, limit);
	db_bind_int64(st, 3, program);
	while ((rc = db_q_step(st)) == DBQ_ROW) {
		m.id = db_col_int64(st, 0);
		m.to = TEXT(st, 1);
		m.subject = TEXT(st, 2);
		m.body = TEXT(st, 3);
		m.created_at = db_col_int64(st, 4);
		m.status = TEXT(st, 5);
		m.attempts = db_col_int64(st, 6);
		m.next_attempt_at = db_col_int64(st, 7);
		m.last_error = TEXT(st, 8);
		m.sent_at = db_col_int64(st, 9);
		m.calendar = TEXT(st, 10);
		m.sender = "";
		if ((stop = cb(arg, &m)) != 0)
			break;
	}
	db_q_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

int
db_outbox_rotate(struct db *db, int64_t before, int64_t *deleted)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_OUTBOX_ROTATE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, before);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*deleted = db_changes(db);
	return (0);
}
