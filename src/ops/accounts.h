/*
 * Accounts and sessions, shared by the server and fellowctl: they combine
 * the domain rules (core/) with storage (store/), the outbox and the audit
 * log, one transaction per operation, and build the views the API sends.
 * No Kore, no SQLite.
 *
 * Passwords. The server hashes and verifies on Kore task threads, never
 * here (except ops_user_add(), for fellowctl). Each route that takes a
 * password is therefore two operations around the hash: a first that
 * checks the input (and throttles, and hands back what to verify
 * against), and a second that writes the result.
 *
 * Results as every operation's (ops/common.h); views are new references
 * the caller owns.
 */
#ifndef FELLOW_OPS_ACCOUNTS_H
#define FELLOW_OPS_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/password.h"
#include "core/roles.h"
#include "core/settings.h"
#include "core/token.h"
#include "ops/common.h"
#include "store/db.h"

/* Sizes of an account's text, with their NUL. */
#define OPS_EMAIL_MAX 256
#define OPS_NAME_MAX  256
#define OPS_CSRF_MAX  (TOKEN_LEN + 1)

/* How long links stay valid. */
#define OPS_INVITE_SECONDS (7L * 24 * 60 * 60)
#define OPS_RESET_SECONDS  (60L * 60)
#define OPS_SETUP_SECONDS  (24L * 60 * 60)

/* Pages of the list of accounts (GET /api/users). */
#define OPS_USERS_PAGE_DEFAULT 100
#define OPS_USERS_PAGE_MAX     500

/* The account signed in through a live session, as the gates see it. */
struct ops_signin {
	int64_t user_id;
	int64_t session_id;
	/* The role in program, the program the request is about; member
	 * is 0 when a staff account has no role there (role is then not
	 * one to act in). An applicant is always a member, of no program
	 * (0) or of the program of the request's object. */
	enum role role;
	int64_t	  program;
	int	  member;
	int	  admin; /* an administrator of the installation */
	/* The program of the scope's object; 0 when there is none. */
	int64_t object_program;
	char	email[OPS_EMAIL_MAX];
	char	name[OPS_NAME_MAX];
	char	csrf[OPS_CSRF_MAX];
};

/* A new session's secrets, to hand to the browser once. */
struct ops_session {
	int64_t id;
	int64_t user_id;
	char	token[TOKEN_LEN + 1];
	char	csrf[TOKEN_LEN + 1];
};

/*
 * What a password is checked against: the account and its hash, or id 0
 * and "" when there is no such account or it has no password yet (the
 * caller then verifies against a hash of no password, so that both take
 * as long). The caller wipes it (sodium_memzero) after use.
 */
struct ops_credential {
	int64_t user_id;
	char	pwhash[PASSWORD_HASH_MAX];
};

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
int ops_user_add_hashed(struct db *, int64_t program, const char *email,
    const char *name, const char *role, const char *pwhash, int64_t actor,
    int64_t *id, struct ops_error *);

/* As ops_user_add_hashed() after the password policy and hashing; this
 * blocks for the hash: call it off any event loop (fellowctl). */
int ops_user_add(struct db *, int64_t program, const char *email,
    const char *name, const char *role, const char *password, size_t pwlen,
    int64_t actor, int64_t *id, struct ops_error *);

/*
 * Gives the person of email role (a staff role) in program, inside the
 * caller's transaction: a new account without a password, mailed an
 * invitation; or, for a staff account the installation has, a role in
 * one more program. Audited as "user.invite" by actor. *id: the account.
 * OPS_CONFLICT (field "email") for an applicant's address or a person
 * with a role there already.
 */
int ops_enlist(struct db *, const struct settings *, int64_t actor,
    int64_t program, const char *email, const char *name, const char *role,
    int64_t now, int64_t *id, struct ops_error *);

/*
 * What a request is about, which decides the role it is made in: the
 * object its path names (object 1: kind and id), whose program it is;
 * else program, the one the person chose (0: their first). A staff
 * account acts in its role in that program; an applicant as applicant.
 */
struct ops_scope {
	int	       object;
	enum db_object kind;
	int64_t	       id;
	int64_t	       program;
};

/*
 * Sessions. ops_session_find() looks up the session whose token hashes to
 * hash (TOKEN_HASH_LEN bytes) at now: OPS_OK with *who filled when it is
 * live and its account enabled; OPS_NOT_FOUND when there is none or it
 * has ended (idle or absolute expiry, core/session.h; a disabled
 * account), in which case the session is deleted; or an OPS_E* code. A
 * live session's idle clock is moved on when it is due.
 */
int ops_session_find(struct db *, const unsigned char *hash, int64_t now,
    const struct ops_scope *, struct ops_signin *who);

/* The view of a signed-in account, {user:{id,email,name,role},
 * csrf_token}, into *out: OPS_OK or OPS_ENOMEM. */
int ops_signin_view(const struct ops_signin *, json_t **out);

/*
 * GET /api/session: the view of ops_signin_view() for the session of
 * hash (NULL: no cookie) when it is live, else {user:null}; either with
 * program:{id, name, updated_at} (ops/program.h). OPS_OK,
 * OPS_ENOMEM or an OPS_E* code.
 */
int ops_session_view(struct db *, const unsigned char *hash, int64_t program,
    int64_t now, json_t **out);

/*
 * GET /api/admin/people: a page of every account (ids above after, limit
 * at most OPS_USERS_PAGE_MAX), each with its kind (applicant or staff),
 * whether it is an administrator's, and the programs it has a role in;
 * never an application. OPS_FORBIDDEN unless admin.
 */
int ops_admin_people(struct db *, int admin, int64_t after, int64_t limit,
    json_t **out, struct ops_error *);

/*
 * PATCH /api/admin/people/{id} {disabled}: an administrator disables or
 * enables any account but their own (OPS_FORBIDDEN for anyone else, or
 * for their own; OPS_NOT_FOUND for no such account). Disabling ends the
 * account's sessions; enabling an imported account makes it no longer
 * its owner's to claim. Audited as "user.disable" or "user.enable", the
 * installation's records (each program with a role for the person reads
 * them). *out: the person as ops_admin_people() lists them.
 */
int ops_admin_user_update(struct db *, int admin, int64_t actor, int64_t target,
    int disabled, json_t **out, struct ops_error *);

/* Ends one session (sign-out) of actor. */
int ops_logout(struct db *, struct ops_actor, int64_t session_id);

/*
 * Applicant self-registration, step one: checks the fields and the
 * password (OPS_INVALID naming the field), then throttles registrations
 * per address, since each one costs a hash (OPS_THROTTLED while the
 * address must wait; else the registration is counted).
 */
int ops_register_begin(struct db *, const char *email, const char *name,
    const char *password, const char *addr, int64_t now, struct ops_error *);

/*
 * Step two, with the hash: creates the account and a session; *out is
 * the session's view (ops_signin_view()). OPS_CONFLICT when the e-mail
 * is taken.
 */
int ops_register(struct db *, const char *email, const char *name,
    const char *pwhash, const char *addr, int64_t now, struct ops_session *,
    json_t **out, struct ops_error *);

/*
 * Password checks (sign-in, password change) in two steps around the
 * Argon2id verification, which the caller runs off the event loop.
 * ops_attempt_begin() refuses with OPS_THROTTLED while the account or the
 * address must wait, and otherwise counts the attempt at once, before the
 * check, so that concurrent attempts cannot slip past the limits; it
 * records a lockout when one starts, and fills cred (when not NULL) with
 * what to verify against. ops_attempt_end() takes a successful attempt
 * back (the account's counter cleared, the address's decremented) or
 * records failed_action in the audit log.
 */
int ops_attempt_begin(struct db *, const char *email, const char *addr,
    int64_t now, struct ops_credential *cred, struct ops_error *);
int ops_attempt_end(struct db *, const char *email, const char *addr, int ok,
    int64_t user_id, const char *failed_action);

/*
 * Sign-in's second step. user_id 0 (the password was wrong, or there is
 * no such account): the login.failed record; OPS_OK with *out NULL.
 * Otherwise: OPS_FORBIDDEN when the account is disabled (the attempt
 * stays counted); else the attempt taken back, the new hash stored when
 * rehash is not NULL, a new session in s and its view in *out.
 */
int ops_login_result(struct db *, const char *email, const char *addr,
    int64_t user_id, const char *rehash, int64_t now, struct ops_session *s,
    json_t **out, struct ops_error *);

/*
 * Staff invite faculty, coordinators and directors: the account (without
 * password), an invitation link by e-mail, the audit record. *out is
 * {user} (the listing's view of the account).
 */
int ops_invite(struct db *, const struct settings *, struct ops_actor,
    const char *email, const char *name, const char *role, int64_t now,
    json_t **out, struct ops_error *);

/*
 * The first step of setting a password through a link of kind (invite or
 * reset): OPS_TOKEN_INVALID (field "token") when the link is unknown,
 * used or expired; OPS_INVALID (field "password") when the password is
 * refused; else OPS_OK, and nothing is used yet.
 */
int ops_password_link_check(struct db *, const char *kind, const char *token,
    const char *password, int64_t now, struct ops_error *);

/*
 * Step two, with the hash: uses the token and sets the account's
 * password; marks the token used (once, even under concurrent requests),
 * ends every session of the account, starts a new one (s and its view in
 * *out) when s is not NULL, and records the change.
 */
int ops_password_by_token(struct db *, const char *kind, const char *token,
    const char *pwhash, const char *addr, int64_t now, struct ops_session *s,
    json_t **out, struct ops_error *);

/*
 * The first director: step one checks the setup token (OPS_TOKEN_INVALID),
 * then the fields and the password (OPS_INVALID). Step two, with the
 * hash, creates the account and a session (s, and its view in *out),
 * once: the setup link only ever creates the very first account.
 */
int ops_setup_check(struct db *, const char *token, const char *email,
    const char *name, const char *password, int64_t now, struct ops_error *);
int ops_setup_director(struct db *, const char *token, const char *email,
    const char *name, const char *pwhash, const char *addr, int64_t now,
    struct ops_session *s, json_t **out, struct ops_error *);

/*
 * Sends a new invitation to an account that has not set its password yet
 * (earlier invitation links stop working); *out is {status:"sent"}.
 * OPS_CONFLICT when it has.
 */
int ops_reinvite(struct db *, const struct settings *, struct ops_actor,
    int64_t target_id, int64_t now, json_t **out, struct ops_error *);

/* Issues a setup token when no account exists; writes it into token and
 * returns OPS_OK, or OPS_CONFLICT when accounts exist. */
int ops_setup_token(struct db *, int64_t now, char token[TOKEN_LEN + 1]);

/*
 * Password reset request: mails a link when the address belongs to an
 * enabled account with a password; does nothing otherwise. *out is
 * {status:"accepted"} either way, so the answer does not tell.
 */
int ops_forgot(struct db *, const struct settings *, const char *email,
    const char *addr, int64_t now, json_t **out, struct ops_error *);

/*
 * A signed-in user changes their own password. Step one checks the new
 * password (OPS_INVALID, field "new_password"), then counts the attempt
 * as ops_attempt_begin() does for the account and fills cred with the
 * current hash to verify. A wrong current password ends with
 * ops_attempt_end(..., 0, ..., "password.change_failed"). Step two, with
 * the new hash: the attempt taken back, the password set, every other
 * session ended, pending reset links void; *out is {status:"changed"}.
 */
int ops_password_change_begin(struct db *, struct ops_actor,
    const char *new_password, const char *addr, int64_t now,
    struct ops_credential *cred, struct ops_error *);
int ops_password_change(struct db *, struct ops_actor, int64_t session_id,
    const char *addr, const char *pwhash, int64_t now, json_t **out,
    struct ops_error *);

/*
 * Staff change an account's role and/or disabled flag (role NULL and
 * disabled -1 mean unchanged). A role change or disabling ends the
 * account's sessions at once. *out is {user} as it is now.
 */
int ops_user_update(struct db *, struct ops_actor, int64_t target_id,
    const char *role, int disabled, json_t **out, struct ops_error *);

/*
 * GET /api/users: up to limit (1..OPS_USERS_PAGE_MAX) accounts with ids
 * above after, by id, as {users:[{id,email,name,role,disabled,active,
 * created_at}], next_after} (null on the last page). Staff only
 * (OPS_FORBIDDEN); OPS_INVALID for a page out of range.
 */
int ops_users_list(struct db *, struct ops_actor, int64_t after, int64_t limit,
    json_t **out, struct ops_error *);

/*
 * Forgets the sign-in throttle's counters that count nothing any more
 * (their window has passed and they are not blocked); run daily by the
 * mail process. Returns how many were purged, or a DB_E* code.
 */
int ops_throttle_purge(struct db *, int64_t now);

#endif
