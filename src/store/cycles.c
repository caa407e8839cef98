/*
 * Application cycles.
 */
#include <string.h>

#include "store/internal.h"

static void
read_cycle(sqlite3_stmt *st, void *out)
{
	struct db_cycle *c = out;

	int i;

	c->id = sqlite3_column_int64(st, 0);
	c->year = sqlite3_column_int64(st, 1);
	db_column_text(st, 2, c->name, sizeof(c->name));
	c->positions = sqlite3_column_int64(st, 3);
	db_column_text(st, 4, c->timezone, sizeof(c->timezone));
	db_column_text(st, 5, c->state, sizeof(c->state));
	for (i = 0; i < DB_CYCLE_DATES; i++)
		db_column_text(st, 6 + i, c->dates[i], sizeof(c->dates[i]));
	c->open_at = sqlite3_column_int64(st, 11);
	c->close_at = sqlite3_column_int64(st, 12);
	c->ranklist_due_at = sqlite3_column_int64(st, 13);
	db_column_text(st, 14, c->created_at, sizeof(c->created_at));
	db_column_text(st, 15, c->updated_at, sizeof(c->updated_at));
}

/* Binds the columns shared by insert and update from parameter first. */
static void
bind_cycle(sqlite3_stmt *st, int first, const struct db_cycle *c)
{
	int i;

	sqlite3_bind_int64(st, first, c->year);
	sqlite3_bind_text(st, first + 1, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, first + 2, c->positions);
	sqlite3_bind_text(st, first + 3, c->timezone, -1, SQLITE_STATIC);
	for (i = 0; i < DB_CYCLE_DATES; i++)
		sqlite3_bind_text(
		    st, first + 4 + i, c->dates[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, first + 9, c->open_at);
	sqlite3_bind_int64(st, first + 10, c->close_at);
	sqlite3_bind_int64(st, first + 11, c->ranklist_due_at);
}

int
db_cycle_insert(struct db *db, const struct db_cycle *c, int64_t *id)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, STMT_CYCLE_INSERT)) == NULL)
		return (DB_ERROR);
	bind_cycle(st, 1, c);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = sqlite3_last_insert_rowid(db->conn);
	return (0);
}

int
db_cycle_by_id(struct db *db, int64_t id, struct db_cycle *c)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_CYCLE_BY_ID)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, id);
	return (db_row(db, st, read_cycle, c));
}

int
db_cycle_list(
    struct db *db, int (*cb)(void *, const struct db_cycle *), void *arg)
{
	sqlite3_stmt   *st;
	struct db_cycle c;
	int		rc, stop = 0;

	if ((st = db_stmt(db, STMT_CYCLE_LIST)) == NULL)
		return (DB_ERROR);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_cycle(st, &c);
		if ((stop = cb(arg, &c)) != 0)
			break;
	}
	sqlite3_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

int
db_cycle_update(struct db *db, const struct db_cycle *c)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, STMT_CYCLE_UPDATE)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, c->id);
	bind_cycle(st, 2, c);
	sqlite3_bind_text(st, 14, c->state, -1, SQLITE_STATIC);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	return (sqlite3_changes(db->conn) == 1 ? 0 : DB_ERROR);
}
