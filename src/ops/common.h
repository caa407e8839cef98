/*
 * What every operation shares: refusals with a sentence, ending a
 * transaction, and audit records with a JSON detail.
 */
#ifndef FELLOW_OPS_COMMON_H
#define FELLOW_OPS_COMMON_H

#include <jansson.h>

#include "ops/accounts.h"

/* Fills e (when not NULL) and returns result. */
int ops_refuse(
    struct ops_error *e, int result, const char *field, const char *message);

/* Ends a transaction: commits when rc is OPS_OK, else rolls back.
 * Returns rc, or the commit's DB_E* code. */
int ops_finish(struct db *, int rc);

/*
 * Appends an audit record about object "kind:id" (no object when id is 0)
 * with detail (a JSON value whose reference this steals, or NULL).
 */
int ops_audit(struct db *, int64_t actor, const char *action, const char *kind,
    int64_t id, json_t *detail);

#endif
