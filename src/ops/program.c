/*
 * The program the installation serves: its view and its renaming.
 */
#include <string.h>

#include "core/text.h"
#include "ops/program.h"
#include "store/db.h"

static json_t *
program_json(const struct db_program *p)
{
	return (json_pack("{s:I,s:s,s:s}", "id", (json_int_t)p->id, "name",
	    p->name, "updated_at", p->updated_at));
}

int
ops_program_view(struct db *db, json_t **out)
{
	struct db_program p;
	int		  rc;

	*out = NULL;
	if ((rc = db_program_get(db, DB_PROGRAM_ID, &p)) != 1)
		return (rc < 0 ? rc : OPS_EDB);
	*out = program_json(&p);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

int
ops_program_rename(struct db *db, struct ops_actor actor, const char *name,
    int64_t now, json_t **out, struct ops_error *e)
{
	struct db_program p;
	const char	 *msg;
	int		  rc;

	(void)now;
	*out = NULL;
	if (actor.role != ROLE_DIRECTOR)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director renames the program."));
	if (name == NULL ||
	    text_plain(name, 0, OPS_PROGRAM_NAME_MAX, &msg) != 0)
		return (ops_refuse(e, OPS_INVALID, "name",
		    name == NULL ? "The program needs a name." : msg));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_program_get(db, DB_PROGRAM_ID, &p)) != 1) {
		rc = rc < 0 ? rc : OPS_EDB;
		goto out;
	}
	if (strcmp(p.name, name) != 0) {
		if ((rc = db_program_set_name(db, DB_PROGRAM_ID, name)) != 0)
			goto out;
		if ((rc = ops_audit(db, actor.id, "program.rename", "program",
			 DB_PROGRAM_ID,
			 json_pack("{s:s,s:s}", "old", p.name, "new", name))) !=
		    OPS_OK)
			goto out;
		if ((rc = db_program_get(db, DB_PROGRAM_ID, &p)) != 1) {
			rc = rc < 0 ? rc : OPS_EDB;
			goto out;
		}
	}
	*out = program_json(&p);
	rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
out:
	return (ops_finish_view(db, rc, out));
}
