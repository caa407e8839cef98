/*
 * Account operations shared by the server and fellowctl: they combine the
 * domain rules (core/) with storage (store/), the outbox and the audit log,
 * one transaction per operation. No Kore, no SQLite.
 *
 * Results as every operation's (ops/common.h).
 */
#ifndef FELLOW_OPS_ACCOUNTS_H
#define FELLOW_OPS_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/roles.h"
#include "core/settings.h"
#include "core/token.h"
#include "ops/common.h"
#include "store/db.h"

/* A new session's secrets, to hand to the browser once. */
struct ops_session {
	int64_t id;
	int64_t user_id;
	char	token[TOKEN_LEN + 1];
	char	csrf[TOKEN_LEN + 1];
};

/* How long links stay valid. */
#define OPS_INVITE_SECONDS (7L * 24 * 60 * 60)
#define OPS_RESET_SECONDS  (60L * 60)
#define OPS_SETUP_SECONDS  (24L * 60 * 60)

/*
 * Checks email, name and role of a new account. Returns OPS_OK or
 * OPS_INVALID with the field and a sentence.
 */
int ops_user_check(
    const char *email, const char *name, const char *role, struct ops_error *);

/*
 * Creates an account with a password hash computed by the caller (NULL:
 * none yet) and records it in the audit log as done by actor (0: the
 * operator). OPS_CONFLICT when the e-mail is taken.
 */
int ops_user_add_hashed(struct db *, const char *email, const char *name,
    const char *role, const char *pwhash, int64_t actor, int64_t *id,
    struct ops_error *);

/* As ops_user_add_hashed() after the password policy and hashing; this
 * blocks for the hash: call it off any event loop (fellowctl). */
int ops_user_add(struct db *, const char *email, const char *name,
    const char *role, const char *password, size_t pwlen, int64_t actor,
    int64_t *id, struct ops_error *);

/*
 * Applicant self-registration: creates the account and a session.
 */
int ops_register(struct db *, const char *email, const char *name,
    const char *pwhash, const char *addr, int64_t now, int64_t *id,
    struct ops_session *, struct ops_error *);

/*
 * Password checks (sign-in, password change) in two steps around the
 * Argon2id verification, which the caller runs off the event loop.
 * ops_attempt_begin() refuses with OPS_THROTTLED while the account or the
 * address must wait, and otherwise counts the attempt at once, before the
 * check, so that concurrent attempts cannot slip past the limits; it
 * records a lockout when one starts. ops_attempt_end() takes a successful
 * attempt back (the account's counter cleared, the address's decremented)
 * or records failed_action in the audit log.
 */
int ops_attempt_begin(struct db *, const char *email, const char *addr,
    int64_t now, struct ops_error *);
int ops_attempt_end(struct db *, const char *email, const char *addr, int ok,
    int64_t user_id, const char *failed_action);

/*
 * Sign-in's second step: on success (user_id != 0) the attempt taken back,
 * a new session, the new hash stored when rehash is not NULL; on failure
 * the login.failed record.
 */
int ops_login_result(struct db *, const char *email, const char *addr,
    int64_t user_id, const char *rehash, int64_t now, struct ops_session *);

/*
 * Throttles registrations per address (each one costs a hash): returns
 * OPS_THROTTLED when the address must wait, else counts it.
 */
int ops_register_gate(
    struct db *, const char *addr, int64_t now, struct ops_error *);

/* Ends one session (sign-out). */
int ops_logout(struct db *, int64_t session_id, int64_t user_id);

/*
 * Staff invite faculty, coordinators and directors: the account (without
 * password), an invitation link by e-mail, the audit record.
 */
int ops_invite(struct db *, const struct settings *, struct ops_actor,
    const char *email, const char *name, const char *role, int64_t now,
    int64_t *id, struct ops_error *);

/*
 * Checks a link's token of kind (invite, reset, setup) without using it:
 * OPS_OK with the account it belongs to (0 for setup), or
 * OPS_TOKEN_INVALID when unknown, used or expired.
 */
int ops_token_check(struct db *, const char *kind, const char *token,
    int64_t now, int64_t *user_id);

/*
 * Uses an invitation or reset token and sets the account's password:
 * marks the token used (once, even under concurrent requests), ends every
 * session of the account, starts a new one when session is not NULL, and
 * records the change.
 */
int ops_password_by_token(struct db *, const char *kind, const char *token,
    const char *pwhash, const char *addr, int64_t now, struct ops_session *,
    struct ops_error *);

/*
 * Creates the first director with the one-time setup token.
 */
int ops_setup_director(struct db *, const char *token, const char *email,
    const char *name, const char *pwhash, const char *addr, int64_t now,
    struct ops_session *, struct ops_error *);

/*
 * Sends a new invitation to an account that has not set its password yet
 * (earlier invitation links stop working). OPS_CONFLICT when it has.
 */
int ops_reinvite(struct db *, const struct settings *, struct ops_actor,
    int64_t target_id, int64_t now, struct ops_error *);

/* Issues a setup token when no account exists; writes it into token and
 * returns OPS_OK, or OPS_CONFLICT when accounts exist. */
int ops_setup_token(struct db *, int64_t now, char token[TOKEN_LEN + 1]);

/* Password reset request: mails a link when the address belongs to an
 * enabled account; does nothing otherwise (the caller answers the same). */
int ops_forgot(struct db *, const struct settings *, const char *email,
    const char *addr, int64_t now);

/* A signed-in user changes their own password; other sessions end and
 * pending reset links stop working. */
int ops_password_change(struct db *, int64_t user_id, int64_t session_id,
    const char *pwhash, int64_t now);

/*
 * Staff change an account's role and/or disabled flag (role NULL and
 * disabled -1 mean unchanged). A role change or disabling ends the
 * account's sessions at once.
 */
int ops_user_update(struct db *, struct ops_actor, int64_t target_id,
    const char *role, int disabled, struct ops_error *);

#endif
