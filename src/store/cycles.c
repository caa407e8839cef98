/*
 * Application cycles.
 */
#include <string.h>

#include "store/internal.h"

static void
read_cycle(struct db_q *st, void *out)
{
	struct db_cycle *c = out;

	int i;

	c->id = db_col_int64(st, 0);
	c->year = db_col_int64(st, 1);
	db_column_text(st, 2, c->name, sizeof(c->name));
	c->positions = db_col_int64(st, 3);
	db_column_text(st, 4, c->timezone, sizeof(c->timezone));
	db_column_text(st, 5, c->state, sizeof(c->state));
	for (i = 0; i < DB_CYCLE_DATES; i++)
		db_column_text(st, 6 + i, c->dates[i], sizeof(c->dates[i]));
	c->open_at = db_col_int64(st, 11);
	c->close_at = db_col_int64(st, 12);
	c->ranklist_due_at = db_col_int64(st, 13);
	db_column_text(st, 14, c->created_at, sizeof(c->created_at));
	db_column_text(st, 15, c->updated_at, sizeof(c->updated_at));
	c->program_id = db_col_int64(st, 16);
}

/* Binds the columns shared by insert and update from parameter first. */
static void
bind_cycle(struct db_q *st, int first, const struct db_cycle *c)
{
	int i;

	db_bind_int64(st, first, c->year);
	db_bind_text(st, first + 1, c->name);
	db_bind_int64(st, first + 2, c->positions);
	db_bind_text(st, first + 3, c->timezone);
	for (i = 0; i < DB_CYCLE_DATES; i++)
		db_bind_text(st, first + 4 + i, c->dates[i]);
	db_bind_int64(st, first + 9, c->open_at);
	db_bind_int64(st, first + 10, c->close_at);
	db_bind_int64(st, first + 11, c->ranklist_due_at);
}

int
db_cycle_insert(struct db *db, const struct db_cycle *c, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_CYCLE_INSERT)) == NULL)
		return (DB_ERROR);
	bind_cycle(st, 1, c);
	db_bind_int64(st, 13, c->program_id);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = db_last_id(db);
	return (0);
}

int
db_cycle_by_id(struct db *db, int64_t id, struct db_cycle *c)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_CYCLE_BY_ID)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, read_cycle, c));
}

int
db_cycle_list(struct db *db, int64_t		      program,
    int (*cb)(void *, const struct db_cycle *), void *arg)
{
	struct db_q    *st;
	struct db_cycle c;
	int		rc, stop = 0;

	if ((st = db_stmt(db, STMT_CYCLE_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, program);
	while ((rc = db_q_step(st)) == DBQ_ROW) {
		read_cycle(st, &c);
		if ((stop = cb(arg, &c)) != 0)
			break;
	}
	db_q_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

int
db_cycle_update(struct db *db, const struct db_cycle *c)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_CYCLE_UPDATE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, c->id);
	bind_cycle(st, 2, c);
	db_bind_text(st, 14, c->state);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	return (db_changes(db) == 1 ? 0 : DB_ERROR);
}
