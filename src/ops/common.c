/*
 * Shared helpers of the operations layer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/common.h"
#include "store/db.h"

_Static_assert(OPS_EDB == DB_ERROR && OPS_EBUSY == DB_EBUSY &&
	OPS_ECONSTRAINT == DB_ECONSTRAINT && OPS_EFULL == DB_EFULL,
    "the storage layer's failures pass through the operations unchanged");

const char *
ops_errmsg(struct db *db)
{
	return (db != NULL ? db_errmsg(db) : "no database");
}

int
ops_refuse(
    struct ops_error *e, int result, const char *field, const char *message)
{
	if (e != NULL) {
		e->field = field;
		(void)snprintf(e->message, sizeof(e->message), "%s", message);
	}
	return (result);
}

int
ops_refuse_copy(
    struct ops_error *e, int result, const char *field, const char *message)
{
	(void)ops_refuse(e, result, NULL, message);
	if (e != NULL && field != NULL) {
		(void)snprintf(e->field_buf, sizeof(e->field_buf), "%s", field);
		e->field = e->field_buf;
	}
	return (result);
}

int
ops_finish(struct db *db, int rc)
{
	int c;

	if (rc != OPS_OK) {
		db_rollback(db);
		return (rc);
	}
	if ((c = db_commit(db)) != 0)
		return (c);
	return (OPS_OK);
}

int
ops_finish_view(struct db *db, int rc, json_t **out)
{
	if ((rc = ops_finish(db, rc)) != OPS_OK && out != NULL) {
		json_decref(*out);
		*out = NULL;
	}
	return (rc);
}

int
ops_audit(struct db *db, int64_t actor, const char *action, const char *kind,
    int64_t id, json_t *detail)
{
	static const struct {
		const char    *kind;
		enum db_object obj;
	} owned[] = {
		{ "cycle", DB_OBJ_CYCLE },
		{ "application", DB_OBJ_APPLICATION },
		{ "document", DB_OBJ_DOCUMENT },
		{ "letter", DB_OBJ_LETTER },
		{ "conflict", DB_OBJ_CONFLICT },
	};
	int64_t program = 0;
	size_t	i;
	int	rc;

	for (i = 0; id != 0 && i < sizeof(owned) / sizeof(owned[0]); i++) {
		if (strcmp(kind, owned[i].kind) != 0)
			continue;
		if ((rc = db_program_of(db, owned[i].obj, id, &program)) < 0) {
			json_decref(detail);
			return (rc);
		}
		break;
	}
	return (ops_audit_in(db, actor, program, action, kind, id, detail));
}

int
ops_audit_in(struct db *db, int64_t actor, int64_t program, const char *action,
    const char *kind, int64_t id, json_t *detail)
{
	char object[64], *text = NULL;
	int  rc;

	(void)snprintf(object, sizeof(object), "%s:%lld", kind, (long long)id);
	if (detail != NULL) {
		text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(detail);
		if (text == NULL)
			return (OPS_ENOMEM);
	}
	rc = db_audit_append(
	    db, actor, program, action, id != 0 ? object : NULL, text);
	free(text);
	return (rc);
}
