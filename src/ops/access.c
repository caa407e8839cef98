/*
 * Who may reach a cycle or a candidate (ops/access.h): the facts from
 * storage, the verdict from core/access.c.
 */
#include <string.h>

#include "core/access.h"
#include "ops/access.h"

static int
not_found(struct ops_error *e, const char *what)
{
	return (ops_refuse(e, OPS_NOT_FOUND, NULL, what));
}

int
ops_reach_cycle(struct db *db, struct ops_actor actor, int64_t id,
    struct db_cycle *c, struct ops_error *e)
{
	int rc;

	if ((rc = db_cycle_by_id(db, id, c)) < 0)
		return (rc);
	if (rc == 0 ||
	    !access_view_cycle(actor.role, strcmp(c->state, "setup") == 0))
		return (not_found(e, "There is no such cycle."));
	return (OPS_OK);
}

int
ops_conflicted(
    struct db *db, struct ops_actor actor, int64_t application, int *conflicted)
{
	int rc;

	*conflicted = 0;
	if (actor.role != ROLE_FACULTY)
		return (0);
	if ((rc = db_conflict_exists(db, application, actor.id)) < 0)
		return (rc);
	*conflicted = rc == 1;
	return (0);
}

int
ops_reach_application(struct db *db, struct ops_actor actor, int64_t id,
    struct db_application *a, struct ops_error *e)
{
	int rc, conflicted = 0, assigned = 0;

	a->fields = NULL;
	if ((rc = db_application_by_id(db, id, a)) < 0)
		return (rc);
	if (rc == 0)
		return (not_found(e, "There is no such application."));
	if (actor.role == ROLE_FACULTY) {
		if ((rc = ops_conflicted(db, actor, id, &conflicted)) < 0 ||
		    (rc = db_assignment_exists(db, id, actor.id, NULL)) < 0) {
			db_application_clear(a);
			return (rc);
		}
		assigned = rc == 1;
	}
	if (!access_view_application(actor.role, actor.id, a->applicant_id,
		strcmp(a->status, "submitted") == 0, conflicted, assigned)) {
		db_application_clear(a);
		return (not_found(e, "There is no such application."));
	}
	return (OPS_OK);
}
