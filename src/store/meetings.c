/*
 * Rank meetings (migrations/015): the snapshot taken at the start, the
 * agenda's marks, the changes to sheets logged while one is open, and
 * the end. The schema keeps what was started and refuses to change a
 * logged change.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

int
db_meeting_insert(struct db *db, const struct db_meeting *m, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_MEETING_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, m->cycle_id);
	db_bind_int64(st, 2, m->started_by);
	db_bind_int64(st, 3, m->started_at);
	db_bind_text(st, 4, m->snapshot);
	db_bind_text(st, 5, m->agenda);
	if ((rc = db_step_done(db, st)) == 0 && id != NULL)
		*id = db_last_id(db);
	return (rc);
}

/* The columns of MEETING_COLUMNS but the texts. */
static void
read_fixed(struct db_q *st, struct db_meeting *m)
{
	m->id = db_col_int64(st, 0);
	m->cycle_id = db_col_int64(st, 1);
	m->started_by = db_col_int64(st, 2);
	db_column_text(st, 3, m->started_by_name, sizeof(m->started_by_name));
	m->started_at = db_col_int64(st, 4);
	m->ended_by = db_col_int64(st, 5);
	db_column_text(st, 6, m->ended_by_name, sizeof(m->ended_by_name));
	m->ended_at = db_col_int64(st, 7);
}

static void
read_meeting(struct db_q *st, void *out)
{
	struct db_meeting   *m = out;
	const unsigned char *s = db_col_text(st, 8);
	const unsigned char *a = db_col_text(st, 9);

	read_fixed(st, m);
	m->snapshot = strdup(s != NULL ? (const char *)s : "{}");
	m->agenda = strdup(a != NULL ? (const char *)a : "[]");
}

static int
meeting_row(struct db *db, enum stmt id, int64_t cycle, struct db_meeting *m)
{
	struct db_q *st;
	int	     rc;

	memset(m, 0, sizeof(*m));
	if ((st = db_stmt(db, id)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	if ((rc = db_row(db, st, read_meeting, m)) == 1 &&
	    (m->snapshot == NULL || m->agenda == NULL)) {
		db_meeting_clear(m);
		return (DB_ERROR);
	}
	return (rc);
}

int
db_meeting_open(struct db *db, int64_t cycle, struct db_meeting *m)
{
	return (meeting_row(db, STMT_MEETING_OPEN, cycle, m));
}

int
db_meeting_latest(struct db *db, int64_t cycle, struct db_meeting *m)
{
	return (meeting_row(db, STMT_MEETING_LATEST, cycle, m));
}

int
db_meeting_open_id(struct db *db, int64_t cycle, int64_t *id)
{
	struct db_q *st;

	*id = 0;
	if ((st = db_stmt(db, STMT_MEETING_OPEN)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	return (db_row(db, st, db_read_int64, id));
}

void
db_meeting_clear(struct db_meeting *m)
{
	free(m->snapshot);
	free(m->agenda);
	m->snapshot = NULL;
	m->agenda = NULL;
}

int
db_meeting_end(struct db *db, int64_t id, int64_t by, int64_t at)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_MEETING_END)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, by);
	db_bind_int64(st, 3, at);
	return (db_changed(db, st));
}

static int
meeting_each(struct db_q *st, void *arg)
{
	struct db_list	 *l = arg;
	struct db_meeting m = { 0 };

	read_fixed(st, &m);
	m.snapshot = (char *)db_col_text(st, 8);
	m.agenda = (char *)db_col_text(st, 9);
	return (
	    ((int (*)(void *, const struct db_meeting *))l->fn)(l->arg, &m));
}

int
db_meeting_list(struct db *db, int64_t			cycle,
    int (*cb)(void *, const struct db_meeting *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_MEETING_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	return (db_each(db, st, meeting_each, &l));
}

static int
summary_each(struct db_q *st, void *arg)
{
	struct db_list		 *l = arg;
	struct db_meeting_summary s = { 0 };

	read_fixed(st, &s.meeting);
	s.agenda = db_col_int(st, 8);
	s.discussed = db_col_int(st, 9);
	s.changes = db_col_int(st, 10);
	return (((int (*)(void *, const struct db_meeting_summary *))l->fn)(
	    l->arg, &s));
}

int
db_meeting_history(struct db *db, int64_t			cycle,
    int (*cb)(void *, const struct db_meeting_summary *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_MEETING_HISTORY)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, cycle);
	return (db_each(db, st, summary_each, &l));
}

int
db_meeting_item_set(struct db *db, int64_t meeting, int64_t application,
    int discussed, int64_t by, int64_t at)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_MEETING_ITEM_SET)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, meeting);
	db_bind_int64(st, 2, application);
	db_bind_int(st, 3, discussed != 0);
	db_bind_int64(st, 4, by);
	db_bind_int64(st, 5, at);
	return (db_step_done(db, st));
}

static int
item_each(struct db_q *st, void *arg)
{
	struct db_list	      *l = arg;
	struct db_meeting_item i;
	const unsigned char   *name;

	i.application_id = db_col_int64(st, 0);
	i.discussed = db_col_int(st, 1);
	i.set_by = db_col_int64(st, 2);
	name = db_col_text(st, 3);
	i.set_by_name = name != NULL ? (const char *)name : "";
	i.set_at = db_col_int64(st, 4);
	return (((int (*)(void *, const struct db_meeting_item *))l->fn)(
	    l->arg, &i));
}

int
db_meeting_item_list(struct db *db, int64_t		     meeting,
    int (*cb)(void *, const struct db_meeting_item *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_MEETING_ITEM_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, meeting);
	return (db_each(db, st, item_each, &l));
}

int
db_meeting_change_insert(struct db *db, const struct db_meeting_change *c)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_MEETING_CHANGE_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, c->meeting_id);
	db_bind_int64(st, 2, c->sheet_id);
	db_bind_int64(st, 3, c->changed_by);
	db_bind_int64(st, 4, c->at);
	db_bind_text(st, 5, c->kind);
	if (c->before != NULL)
		db_bind_text(st, 6, c->before);
	db_bind_text(st, 7, c->after);
	return (db_step_done(db, st));
}

/* Column col as text, "" for NULL (NULL for the nullable "before"). */
static const char *
text_at(struct db_q *st, int col, int nullable)
{
	const unsigned char *t = db_col_text(st, col);

	return (t != NULL ? (const char *)t : (nullable ? NULL : ""));
}

static int
change_each(struct db_q *st, void *arg)
{
	struct db_list		*l = arg;
	struct db_meeting_change c;

	c.id = db_col_int64(st, 0);
	c.meeting_id = db_col_int64(st, 1);
	c.sheet_id = db_col_int64(st, 2);
	c.changed_by = db_col_int64(st, 3);
	c.at = db_col_int64(st, 4);
	c.kind = text_at(st, 5, 0);
	c.before = text_at(st, 6, 1);
	c.after = text_at(st, 7, 0);
	c.application_id = db_col_int64(st, 8);
	c.rater_id = db_col_int64(st, 9);
	c.phase = text_at(st, 10, 0);
	c.candidate_name = text_at(st, 11, 0);
	c.rater_name = text_at(st, 12, 0);
	c.changed_by_name = text_at(st, 13, 0);
	return (((int (*)(void *, const struct db_meeting_change *))l->fn)(
	    l->arg, &c));
}

int
db_meeting_change_list(struct db *db, int64_t		       meeting,
    int (*cb)(void *, const struct db_meeting_change *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_MEETING_CHANGE_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, meeting);
	return (db_each(db, st, change_each, &l));
}
