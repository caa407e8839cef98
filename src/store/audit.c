/*
 * The audit log: append-only through the application (the schema's triggers
 * refuse UPDATE and DELETE). Callers append inside the same transaction as
 * the change they record, so a change and its record land together or not
 * at all.
 */
#include "store/internal.h"

int
db_audit_append(struct db *db, int64_t actor, const char *action,
    const char *object, const char *detail)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, STMT_AUDIT_APPEND)) == NULL)
		return (DB_ERROR);
	if (actor > 0)
		sqlite3_bind_int64(st, 1, actor);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	if (object != NULL)
		sqlite3_bind_text(st, 3, object, -1, SQLITE_STATIC);
	if (detail != NULL)
		sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
	return (db_step_done(db, st));
}
