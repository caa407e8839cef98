/*
 * Programs (migrations/017): the program an installation serves.
 */
#include "store/internal.h"

static void
read_program(struct db_q *st, void *out)
{
	struct db_program *p = out;

	p->id = db_col_int64(st, 0);
	db_column_text(st, 1, p->name, sizeof(p->name));
	db_column_text(st, 2, p->created_at, sizeof(p->created_at));
	db_column_text(st, 3, p->updated_at, sizeof(p->updated_at));
}

int
db_program_get(struct db *db, int64_t id, struct db_program *p)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_PROGRAM_GET)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, read_program, p));
}

int
db_program_set_name(struct db *db, int64_t id, const char *name)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_PROGRAM_SET_NAME)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, name);
	if ((rc = db_changed(db, st)) < 0)
		return (rc);
	return (rc == 1 ? 0 : DB_ERROR);
}
