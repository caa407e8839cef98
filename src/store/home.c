/*
 * The home page's facts (store/db.h): a rater's assignments with their
 * sheets, every rater's progress, the applications counted, the
 * candidates invited and not booked, and the mail that failed; each one
 * statement.
 */
#include <string.h>

#include "store/internal.h"

/* A text column, "" when NULL. */
static const char *
text(struct db_q *st, int col)
{
	const unsigned char *t = db_col_text(st, col);

	return (t != NULL ? (const char *)t : "");
}

static int
rater_sheet_each(struct db_q *st, void *arg)
{
	struct db_list	     *l = arg;
	struct db_rater_sheet r;

	r.phase = text(st, 0);
	r.application_id = db_col_int64(st, 1);
	r.candidate = text(st, 2);
	r.status = text(st, 3);
	r.sheet = text(st, 4);
	r.conflicted = db_col_int(st, 5) != 0;
	return (((int (*)(void *, const struct db_rater_sheet *))l->fn)(
	    l->arg, &r));
}

int
db_home_rater_sheets(struct db *db, int64_t cycle, int64_t rater,
    int (*cb)(void *, const struct db_rater_sheet *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_HOME_RATER_SHEETS)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_int64(st, 2, rater);
	return (db_each(db, st, rater_sheet_each, &l));
}

static int
progress_each(struct db_q *st, void *arg)
{
	struct db_list	      *l = arg;
	struct db_progress_row r;

	r.phase = text(st, 0);
	r.rater_id = db_col_int64(st, 1);
	r.name = text(st, 2);
	r.disabled = db_col_int(st, 3) != 0;
	r.assigned = db_col_int64(st, 4);
	r.submitted = db_col_int64(st, 5);
	r.drafts = db_col_int64(st, 6);
	return (((int (*)(void *, const struct db_progress_row *))l->fn)(
	    l->arg, &r));
}

int
db_home_progress(struct db *db, int64_t			     cycle,
    int (*cb)(void *, const struct db_progress_row *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_HOME_PROGRESS)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	return (db_each(db, st, progress_each, &l));
}

static void
read_pipeline(struct db_q *st, void *arg)
{
	struct db_pipeline *p = arg;

	p->drafts = db_col_int64(st, 0);
	p->drafts_complete = db_col_int64(st, 1);
	p->submitted_complete = db_col_int64(st, 2);
	p->submitted_incomplete = db_col_int64(st, 3);
	p->withdrawn = db_col_int64(st, 4);
	p->letters_outstanding = db_col_int64(st, 5);
	p->awaiting_letters = db_col_int64(st, 6);
}

int
db_home_pipeline(struct db *db, int64_t cycle,
    const struct db_app_required *req, struct db_pipeline *out)
{
	struct db_q *st;
	int	     rc;

	memset(out, 0, sizeof(*out));
	if ((st = db_stmt(db, STMT_HOME_PIPELINE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	db_bind_text(st, 2, req->fields);
	db_bind_text(st, 3, req->documents);
	/* An aggregate always yields its one row. */
	if ((rc = db_row(db, st, read_pipeline, out)) < 0)
		return (rc);
	return (rc == 1 ? 0 : DB_ERROR);
}

static int
not_booked_each(struct db_q *st, void *arg)
{
	struct db_list	    *l = arg;
	struct db_not_booked r;

	r.application_id = db_col_int64(st, 0);
	r.candidate = text(st, 1);
	r.invited_at = db_col_int64(st, 2);
	r.waitlisted_at = db_col_int64(st, 3);
	return (
	    ((int (*)(void *, const struct db_not_booked *))l->fn)(l->arg, &r));
}

int
db_home_not_booked(struct db *db, int64_t		   cycle,
    int (*cb)(void *, const struct db_not_booked *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_HOME_NOT_BOOKED)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	return (db_each(db, st, not_booked_each, &l));
}

static void
read_mail_counts(struct db_q *st, void *arg)
{
	int64_t *v = arg;

	v[0] = db_col_int64(st, 0);
	v[1] = db_col_int64(st, 1);
}

int
db_home_mail_counts(
    struct db *db, int64_t program, int64_t *failed, int64_t *retrying)
{
	struct db_q *st;
	int64_t	     v[2] = { 0, 0 };
	int	     rc;

	if ((st = db_stmt(db, STMT_HOME_MAIL_COUNTS)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, program);
	if ((rc = db_row(db, st, read_mail_counts, v)) < 0)
		return (rc);
	*failed = v[0];
	*retrying = v[1];
	return (rc == 1 ? 0 : DB_ERROR);
}

static int
mail_failed_each(struct db_q *st, void *arg)
{
	struct db_list	  *l = arg;
	struct db_mail_row m;

	memset(&m, 0, sizeof(m));
	m.id = db_col_int64(st, 0);
	m.to = text(st, 1);
	m.subject = text(st, 2);
	m.created_at = db_col_int64(st, 3);
	m.attempts = db_col_int64(st, 4);
	m.last_error = text(st, 5);
	m.status = "failed";
	return (
	    ((int (*)(void *, const struct db_mail_row *))l->fn)(l->arg, &m));
}

int
db_home_mail_failed(struct db *db, int64_t program, int limit,
    int (*cb)(void *, const struct db_mail_row *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_HOME_MAIL_FAILED)) == NULL)
		return (DB_ERROR);
	db_bind_int(st, 1, limit);
	db_bind_int64(st, 2, program);
	return (db_each(db, st, mail_failed_each, &l));
}
