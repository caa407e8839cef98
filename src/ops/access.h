/*
 * Who may reach a cycle or a candidate: the operations gather the facts
 * (the cycle's state; the application's owner and status; for faculty, a
 * recorded conflict and an assignment) and ask the pure rules of
 * core/access.c. Every operation that shows or changes something of a
 * cycle or a candidate goes through these, so the rule has one home; what
 * a user may not reach answers OPS_NOT_FOUND, never telling whether it
 * exists.
 */
#ifndef FELLOW_OPS_ACCESS_H
#define FELLOW_OPS_ACCESS_H

#include "ops/common.h"
#include "store/db.h"

/* Loads cycle id into c when actor may see it: OPS_OK, OPS_NOT_FOUND
 * (also when there is none), or a DB_E* code. */
int ops_reach_cycle(struct db *, struct ops_actor, int64_t id,
    struct db_cycle *c, struct ops_error *);

/*
 * Loads application id into a when actor may see it: OPS_OK (a->fields
 * set; release it with db_application_clear()), OPS_NOT_FOUND (also when
 * there is none), or a DB_E* code (a->fields NULL).
 */
int ops_reach_application(struct db *, struct ops_actor, int64_t id,
    struct db_application *a, struct ops_error *);

/*
 * For a faculty actor, whether they have a recorded conflict with
 * application (0 or 1 into *conflicted; always 0 for other roles, whom a
 * conflict does not hide anything from). 0 or a DB_E* code.
 */
int ops_conflicted(
    struct db *, struct ops_actor, int64_t application, int *conflicted);

#endif
