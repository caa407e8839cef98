/*
 * The audit log: append-only through the application (the schema's triggers
 * refuse UPDATE and DELETE). Callers append inside the same transaction as
 * the change they record, so a change and its record land together or not
 * at all.
 */
#include "store/internal.h"

int
db_audit_append(struct db *db, int64_t actor, int64_t program,
    const char *action, const char *object, const char *detail)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_AUDIT_APPEND)) == NULL)
		return (DB_ERROR);
	if (actor > 0)
		db_bind_int64(st, 1, actor);
	db_bind_text(st, 2, action);
	if (object != NULL)
		db_bind_text(st, 3, object);
	if (detail != NULL)
		db_bind_text(st, 4, detail);
	if (program > 0)
		db_bind_int64(st, 5, program);
	return (db_step_done(db, st));
}

int
db_audit_list(struct db *db, int64_t program, int64_t before, int limit,
    int (*cb)(void *, const struct db_audit_row *), void *arg)
{
	struct db_q	   *st;
	struct db_audit_row a;
	int		    rc, stop = 0;

	if ((st = db_stmt(db, STMT_AUDIT_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, before);
	db_bind_int(st, 2, limit);
	db_bind_int64(st, 3, program);
	while ((rc = db_q_step(st)) == DBQ_ROW) {
		a.id = db_col_int64(st, 0);
		a.at = (const char *)db_col_text(st, 1);
		a.actor_id = db_col_int64(st, 2);
		a.actor_name = (const char *)db_col_text(st, 3);
		a.action = (const char *)db_col_text(st, 4);
		a.object = (const char *)db_col_text(st, 5);
		a.detail = (const char *)db_col_text(st, 6);
		if ((stop = cb(arg, &a)) != 0)
			break;
	}
	db_q_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == DBQ_DONE ? 0 : db_rc(db, rc));
}

static void
read_candidate(struct db_q *st, void *out)
{
	struct db_audit_candidate *c = out;

	db_column_text(st, 0, c->name, sizeof(c->name));
	c->cycle_id = db_col_int64(st, 1);
	db_column_text(st, 2, c->cycle_name, sizeof(c->cycle_name));
	db_column_text(st, 3, c->timezone, sizeof(c->timezone));
	c->applicant_id = db_col_int64(st, 4);
}

int
db_audit_candidate(struct db *db, int64_t id, struct db_audit_candidate *c)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_AUDIT_CANDIDATE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, read_candidate, c));
}

struct import_found {
	int64_t *cycle;
	char	*at;
	size_t	 atlen;
};

static void
read_import(struct db_q *st, void *out)
{
	struct import_found *f = out;

	*f->cycle = db_col_int64(st, 0);
	db_column_text(st, 1, f->at, f->atlen);
}

int
db_audit_import_find(
    struct db *db, const char *sha256, int64_t *cycle, char *at, size_t atlen)
{
	struct import_found f = { cycle, at, atlen };
	struct db_q	   *st;

	if ((st = db_stmt(db, STMT_AUDIT_IMPORT_FIND)) == NULL)
		return (DB_ERROR);
	db_bind_text(st, 1, sha256);
	return (db_row(db, st, read_import, &f));
}
