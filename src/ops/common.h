/*
 * What every operation shares: who acts, what it answers, refusals with a
 * sentence, the one way to end a transaction, and audit records.
 *
 * The door. Every route of the server calls one operation:
 *
 *	int ops_x(struct db *, struct ops_actor, <input>, int64_t now,
 *	    json_t **out, struct ops_error *);
 *
 * which loads what it needs (src/store), decides with the domain's pure
 * rules (src/core, access.c for who may see what), writes in one
 * transaction, and builds the view the API sends (*out, a new reference)
 * or refuses. The web layer parses, calls, and replies.
 *
 * Results: OPS_OK (0); one of the positive OPS_* refusals with a sentence
 * (and the field it concerns, if any) in struct ops_error; a negative
 * storage failure (OPS_EDB ... OPS_EFULL, the values of store/db.h's
 * DB_E* codes); or OPS_ENOMEM.
 *
 * Transactions have one shape, with a single exit:
 *
 *	if ((rc = db_begin(db)) != 0)
 *		return (rc);
 *	if ((rc = ...) != OPS_OK)
 *		goto out;
 *	...
 * out:
 *	return (ops_finish(db, rc));
 *
 * ops_finish() commits when rc is OPS_OK and rolls back otherwise; nothing
 * else in src/ops commits or rolls back.
 */
#ifndef FELLOW_OPS_COMMON_H
#define FELLOW_OPS_COMMON_H

#include <stdint.h>

#include <jansson.h>

#include "core/roles.h"

struct db;

enum ops_result {
	OPS_ENOMEM = -100, /* out of memory (not a database error) */
	/* The storage layer's failures, passed on as they are (store/db.h
	 * DB_E*; ops/common.c checks that the values agree). */
	OPS_EFULL = -4,	      /* disk or quota full */
	OPS_ECONSTRAINT = -3, /* a constraint refused the change */
	OPS_EBUSY = -2,	      /* another writer held the lock too long */
	OPS_EDB = -1,	      /* unexpected; the database says why */
	OPS_OK = 0,
	OPS_INVALID,	   /* bad input; field and message say what */
	OPS_FORBIDDEN,	   /* the rules do not allow it */
	OPS_NOT_FOUND,	   /* no such object (or not yours) */
	OPS_CONFLICT,	   /* e.g. the e-mail is taken */
	OPS_TOKEN_INVALID, /* unknown, used or expired link */
	OPS_THROTTLED,	   /* too many failed sign-ins; wait */
};

struct ops_error {
	const char *field; /* the input it concerns, or NULL */
	char	    message[256];
	char	    field_buf[64]; /* where field points when it is built */
	int64_t	    retry_after;   /* seconds, for OPS_THROTTLED */
};

/*
 * Who is acting: an account (id, role) or the operator (id 0). program is
 * the program the request is about, in which role is the account's role
 * (ops/accounts.h, ops_session_find()); 0 for an applicant acting on
 * nothing of a program's, and for the operator.
 */
struct ops_actor {
	int64_t	  id;
	enum role role;
	int64_t	  program;
};

/* Fills e (when not NULL) and returns result. */
int ops_refuse(
    struct ops_error *e, int result, const char *field, const char *message);

/* As ops_refuse(), with field copied into e->field_buf: for a field named
 * by the caller's input (a key of a JSON body), which may be released
 * before the refusal is read. */
int ops_refuse_copy(
    struct ops_error *e, int result, const char *field, const char *message);

/* The database's own words for the last OPS_EDB on db, for the log only
 * (never sent to a client). */
const char *ops_errmsg(struct db *);

/* Ends a transaction: commits when rc is OPS_OK, else rolls back.
 * Returns rc, or the commit's DB_E* code. */
int ops_finish(struct db *, int rc);

/*
 * Ends a transaction as ops_finish() does, for an operation that built
 * its view (*out) inside it: when the result is not OPS_OK, *out is
 * released and set to NULL (out may be NULL: nothing to release).
 * Returns ops_finish()'s result.
 */
int ops_finish_view(struct db *, int rc, json_t **out);

/*
 * Appends an audit record about object "kind:id" (no object when id is 0)
 * with detail (a JSON value whose reference this steals, or NULL). The
 * record belongs to the program of the object when it is a cycle or a
 * candidate's (application, document, letter, conflict), else to the
 * installation; ops_audit_in() names the program.
 */
int ops_audit(struct db *, int64_t actor, const char *action, const char *kind,
    int64_t id, json_t *detail);
int ops_audit_in(struct db *, int64_t actor, int64_t program,
    const char *action, const char *kind, int64_t id, json_t *detail);

#endif
