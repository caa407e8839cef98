/*
 * Account operations shared by the server and fellowctl: they combine the
 * domain rules (core/) with storage (store/) and the audit log, one
 * transaction per operation. No Kore, no SQLite.
 */
#ifndef FELLOW_OPS_ACCOUNTS_H
#define FELLOW_OPS_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/*
 * Creates an account after checking every field and the password policy,
 * and records it in the audit log as done by actor (0: the operator).
 * Hashes the password here: call it off any event loop. Returns 0 and the
 * new id; DB_ECONSTRAINT when the e-mail is taken; another DB_E* code or
 * -1 for invalid input, with a sentence in err.
 */
int ops_user_add(struct db *, const char *email, const char *name,
    const char *role, const char *password, size_t pwlen, int64_t actor,
    int64_t *id, char *err, size_t errlen);

/* As ops_user_add() with a password hash computed by the caller. */
int ops_user_add_hashed(struct db *, const char *email, const char *name,
    const char *role, const char *pwhash, int64_t actor, int64_t *id, char *err,
    size_t errlen);

#endif
