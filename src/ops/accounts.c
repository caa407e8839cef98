/*
 * Account operations. Each runs in one BEGIN IMMEDIATE transaction with its
 * audit record and any mail it sends, so a change, its record and its
 * notification land together or not at all. Nothing here hashes a password
 * except ops_user_add() (fellowctl): the server hashes on task threads and
 * passes the result in.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "core/access.h"
#include "core/mail.h"
#include "core/password.h"
#include "core/session.h"
#include "core/text.h"
#include "core/throttle.h"
#include "ops/accounts.h"
#include "ops/common.h"

#define KEY_MAX 300

/* An audit record about an account. */
static int
audit(struct db *db, int64_t actor, const char *action, int64_t user_id,
    json_t *detail)
{
	return (ops_audit(db, actor, action, "user", user_id, detail));
}

static void
throttle_key(char *out, size_t len, const char *prefix, const char *value)
{
	size_t i, n;

	n = (size_t)snprintf(out, len, "%s:", prefix);
	for (i = 0; value[i] != '\0' && n + 1 < len; i++)
		out[n++] = (char)tolower((unsigned char)value[i]);
	out[n] = '\0';
}

static int
session_new(struct db *db, int64_t user_id, int64_t now, struct ops_session *s)
{
	unsigned char hash[TOKEN_HASH_LEN];

	s->user_id = user_id;
	token_new(s->token);
	token_new(s->csrf);
	if (token_hash(s->token, hash) != 0)
		return (DB_ERROR);
	/* Expired sessions go when new ones come; no sweeper needed. */
	if (db_session_purge(
		db, now - SESSION_IDLE_SECONDS, now - SESSION_MAX_SECONDS) != 0)
		return (DB_ERROR);
	return (db_session_insert(db, hash, user_id, s->csrf, now, &s->id));
}

/* Queues a templated mail; the caller is inside a transaction. */
static int
queue_mail(struct db *db, enum mail_kind kind, const char *to,
    const struct mail_vars *v, int64_t now)
{
	char subject[MAIL_SUBJECT_MAX], *body;
	int  rc;

	if ((body = mail_render(kind, v, subject)) == NULL)
		return (DB_ERROR);
	rc = db_outbox_insert(db, to, subject, body, now, NULL);
	free(body);
	return (rc);
}

int
ops_user_check(
    const char *email, const char *name, const char *role, struct ops_error *e)
{
	enum role r;

	if (!text_email_valid(email))
		return (ops_refuse(
		    e, OPS_INVALID, "email", "Enter a valid e-mail address."));
	if (!text_name_valid(name))
		return (ops_refuse(e, OPS_INVALID, "name",
		    "Enter a name of 1 to 200 characters."));
	if (role_parse(role, &r) != 0)
		return (ops_refuse(e, OPS_INVALID, "role",
		    "The role must be applicant, faculty, coordinator or "
		    "director."));
	return (OPS_OK);
}

/* Inserts the account and its audit record; inside a transaction. */
static int
user_insert(struct db *db, const char *email, const char *name,
    const char *role, const char *pwhash, int64_t actor, int64_t *id,
    struct ops_error *e)
{
	int rc;

	rc = db_user_insert(db, email, name, role, pwhash, id);
	if (rc == DB_ECONSTRAINT)
		return (ops_refuse(e, OPS_CONFLICT, "email",
		    "An account with this e-mail address exists."));
	if (rc != 0)
		return (rc);
	return (audit(db, actor, "user.create", *id,
	    json_pack("{s:s,s:s}", "email", email, "role", role)));
}

int
ops_user_add_hashed(struct db *db, const char *email, const char *name,
    const char *role, const char *pwhash, int64_t actor, int64_t *id,
    struct ops_error *e)
{
	int rc;

	if ((rc = ops_user_check(email, name, role, e)) != OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = user_insert(db, email, name, role, pwhash, actor, id, e);
	return (ops_finish(db, rc));
}

int
ops_user_add(struct db *db, const char *email, const char *name,
    const char *role, const char *password, size_t pwlen, int64_t actor,
    int64_t *id, struct ops_error *e)
{
	char		      hash[PASSWORD_HASH_MAX];
	enum password_verdict v;
	int		      rc;

	if ((rc = ops_user_check(email, name, role, e)) != OPS_OK)
		return (rc);
	if ((v = password_check(password, pwlen)) != PASSWORD_OK)
		return (ops_refuse(
		    e, OPS_INVALID, "password", password_verdict_message(v)));
	if (password_hash(password, pwlen, hash) != 0)
		return (ops_refuse(e, OPS_INVALID, "password",
		    "The password could not be hashed."));
	rc = ops_user_add_hashed(db, email, name, role, hash, actor, id, e);
	sodium_memzero(hash, sizeof(hash));
	return (rc);
}

int
ops_register(struct db *db, const char *email, const char *name,
    const char *pwhash, const char *addr, int64_t now, int64_t *id,
    struct ops_session *s, struct ops_error *e)
{
	int rc;

	if ((rc = ops_user_check(email, name, "applicant", e)) != OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = user_insert(db, email, name, "applicant", pwhash, 0, id, e);
	if (rc == OPS_OK)
		rc = session_new(db, *id, now, s);
	if (rc == OPS_OK)
		rc = audit(db, *id, "user.register", *id,
		    json_pack("{s:s}", "address", addr));
	return (ops_finish(db, rc));
}

/* Pre-counts an attempt against key; sets *locked when it locks it. */
static int
count_attempt(struct db *db, const char *key,
    const struct throttle_policy *policy, int64_t now, int *locked)
{
	struct throttle_state t = { 0, now, 0 };
	int		      rc;

	if ((rc = db_throttle_get(db, key, &t)) < 0)
		return (rc);
	if (throttle_fail(&t, now, policy))
		*locked = 1;
	return (db_throttle_put(db, key, &t));
}

int
ops_attempt_begin(struct db *db, const char *email, const char *addr,
    int64_t now, struct ops_error *e)
{
	struct throttle_state t;
	char		      acct[KEY_MAX], host[KEY_MAX];
	int64_t		      wait = 0, w;
	int		      rc, acct_locked = 0, addr_locked = 0;

	throttle_key(acct, sizeof(acct), "acct", email);
	throttle_key(host, sizeof(host), "addr", addr);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_throttle_get(db, acct, &t)) < 0)
		return (ops_finish(db, rc));
	if (rc == 1 && (w = throttle_wait(&t, now)) > wait)
		wait = w;
	if ((rc = db_throttle_get(db, host, &t)) < 0)
		return (ops_finish(db, rc));
	if (rc == 1 && (w = throttle_wait(&t, now)) > wait)
		wait = w;
	if (wait > 0) {
		db_rollback(db);
		if (e != NULL)
			e->retry_after = wait;
		return (ops_refuse(e, OPS_THROTTLED, NULL,
		    "Too many failed sign-ins. Please wait before trying "
		    "again."));
	}
	/*
	 * Counted now, before the password is checked, so that attempts
	 * racing each other see each other: a success takes it back.
	 */
	rc = count_attempt(db, acct, &throttle_account, now, &acct_locked);
	if (rc == 0)
		rc = count_attempt(
		    db, host, &throttle_address, now, &addr_locked);
	if (rc == 0 && (acct_locked || addr_locked))
		rc = audit(db, 0, "login.lockout", 0,
		    json_pack("{s:s,s:s,s:s}", "email", email, "address", addr,
			"locked", acct_locked ? "account" : "address"));
	return (ops_finish(db, rc));
}

/* Takes back a successful attempt: inside the caller's transaction. */
static int
attempt_succeeded(struct db *db, const char *email, const char *addr)
{
	struct throttle_state t;
	char		      acct[KEY_MAX], host[KEY_MAX];
	int		      rc;

	throttle_key(acct, sizeof(acct), "acct", email);
	throttle_key(host, sizeof(host), "addr", addr);
	if ((rc = db_throttle_clear(db, acct)) != 0)
		return (rc);
	if ((rc = db_throttle_get(db, host, &t)) <= 0)
		return (rc);
	if (t.failures > 0)
		t.failures--;
	return (db_throttle_put(db, host, &t));
}

int
ops_attempt_end(struct db *db, const char *email, const char *addr, int ok,
    int64_t user_id, const char *failed_action)
{
	int rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if (ok)
		rc = attempt_succeeded(db, email, addr);
	else
		rc = audit(db, user_id, failed_action, user_id,
		    json_pack("{s:s,s:s}", "email", email, "address", addr));
	return (ops_finish(db, rc));
}

int
ops_register_gate(
    struct db *db, const char *addr, int64_t now, struct ops_error *e)
{
	struct throttle_state t;
	char		      key[KEY_MAX];
	int		      rc, locked = 0;

	throttle_key(key, sizeof(key), "reg", addr);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_throttle_get(db, key, &t)) < 0)
		return (ops_finish(db, rc));
	if (rc == 1 && throttle_wait(&t, now) > 0) {
		db_rollback(db);
		e->retry_after = throttle_wait(&t, now);
		return (ops_refuse(e, OPS_THROTTLED, NULL,
		    "Too many new accounts from your network. Please wait "
		    "before trying again."));
	}
	rc = count_attempt(db, key, &throttle_register, now, &locked);
	return (ops_finish(db, rc));
}

int
ops_login_result(struct db *db, const char *email, const char *addr,
    int64_t user_id, const char *rehash, int64_t now, struct ops_session *s)
{
	int rc;

	if (user_id == 0)
		return (ops_attempt_end(db, email, addr, 0, 0, "login.failed"));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = attempt_succeeded(db, email, addr);
	if (rc == 0 && rehash != NULL)
		rc = db_user_set_password(db, user_id, rehash);
	if (rc == 0)
		rc = session_new(db, user_id, now, s);
	if (rc == 0)
		rc = audit(db, user_id, "login", user_id,
		    json_pack("{s:s,s:b}", "address", addr, "rehashed",
			rehash != NULL));
	return (ops_finish(db, rc));
}

int
ops_logout(struct db *db, int64_t session_id, int64_t user_id)
{
	int rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = db_session_delete(db, session_id);
	if (rc == 0)
		rc = audit(db, user_id, "logout", user_id, NULL);
	return (ops_finish(db, rc));
}

/* Issues a token of kind for user and writes a link to it into link. */
static int
issue_link(struct db *db, const struct settings *set, const char *kind,
    const char *route, int64_t user, int64_t now, int64_t ttl, char *link,
    size_t linklen)
{
	char	      token[TOKEN_LEN + 1];
	unsigned char hash[TOKEN_HASH_LEN];
	int	      rc;

	token_new(token);
	if (token_hash(token, hash) != 0)
		return (DB_ERROR);
	if ((rc = db_token_insert(db, kind, hash, user, now, now + ttl)) != 0)
		return (rc);
	/* In the fragment: never sent to a server, never in a Referer. */
	(void)snprintf(
	    link, linklen, "%s/#/%s/%s", set->public_url, route, token);
	sodium_memzero(token, sizeof(token));
	return (0);
}

int
ops_invite(struct db *db, const struct settings *set, struct ops_actor actor,
    const char *email, const char *name, const char *role, int64_t now,
    int64_t *id, struct ops_error *e)
{
	char		    link[SETTINGS_PATH_MAX + 128];
	enum role	    r;
	enum access_verdict v;
	struct mail_vars    mv;
	int		    rc;

	if ((rc = ops_user_check(email, name, role, e)) != OPS_OK)
		return (rc);
	(void)role_parse(role, &r);
	if ((v = access_invite(actor.role, r)) != ACCESS_OK)
		return (ops_refuse(e,
		    v == ACCESS_NO_INVITED_APPLICANTS ? OPS_INVALID
						      : OPS_FORBIDDEN,
		    "role", access_message(v)));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = user_insert(db, email, name, role, NULL, actor.id, id, e);
	if (rc == OPS_OK)
		rc = issue_link(db, set, "invite", "invite", *id, now,
		    OPS_INVITE_SECONDS, link, sizeof(link));
	if (rc == OPS_OK) {
		mv.name = name;
		mv.role = role;
		mv.link = link;
		rc = queue_mail(db, MAIL_INVITATION, email, &mv, now);
	}
	if (rc == OPS_OK)
		rc = audit(db, actor.id, "user.invite", *id,
		    json_pack("{s:s,s:s}", "email", email, "role", role));
	sodium_memzero(link, sizeof(link));
	return (ops_finish(db, rc));
}

/* Looks a token up; OPS_OK only when it exists, is unused and unexpired. */
static int
token_valid(struct db *db, const char *kind, const char *token, int64_t now,
    struct db_token *t)
{
	unsigned char hash[TOKEN_HASH_LEN];
	int	      rc;

	if (token_hash(token, hash) != 0)
		return (OPS_TOKEN_INVALID);
	if ((rc = db_token_lookup(db, kind, hash, t)) < 0)
		return (rc);
	if (rc == 0 || t->used_at != 0 || now >= t->expires_at)
		return (OPS_TOKEN_INVALID);
	return (OPS_OK);
}

int
ops_token_check(struct db *db, const char *kind, const char *token, int64_t now,
    int64_t *user_id)
{
	struct db_token t;
	int		rc;

	if ((rc = token_valid(db, kind, token, now, &t)) == OPS_OK)
		*user_id = t.user_id;
	return (rc);
}

/* Marks t used; OPS_TOKEN_INVALID when another request used it first. */
static int
token_consume(struct db *db, const struct db_token *t, int64_t now)
{
	int rc;

	if ((rc = db_token_use(db, t->id, now)) < 0)
		return (rc);
	return (rc == 1 ? OPS_OK : OPS_TOKEN_INVALID);
}

static const char *const token_invalid_message =
    "This link is not valid any more: it was used already or has expired. "
    "Ask for a new one.";

int
ops_password_by_token(struct db *db, const char *kind, const char *token,
    const char *pwhash, const char *addr, int64_t now, struct ops_session *s,
    struct ops_error *e)
{
	struct db_token t;
	struct db_user	u;
	int		rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = token_valid(db, kind, token, now, &t);
	if (rc == OPS_OK)
		rc = token_consume(db, &t, now);
	if (rc == OPS_OK && (rc = db_user_by_id(db, t.user_id, &u)) >= 0)
		rc = (rc == 1 && !u.disabled) ? OPS_OK : OPS_TOKEN_INVALID;
	if (rc == OPS_TOKEN_INVALID) {
		db_rollback(db);
		return (ops_refuse(
		    e, OPS_TOKEN_INVALID, "token", token_invalid_message));
	}
	if (rc == OPS_OK)
		rc = db_user_set_password(db, t.user_id, pwhash);
	if (rc == OPS_OK)
		rc = db_token_revoke(db, t.user_id, kind, now);
	if (rc == OPS_OK)
		rc = db_session_delete_user(db, t.user_id, 0);
	if (rc == OPS_OK && s != NULL)
		rc = session_new(db, t.user_id, now, s);
	if (rc == OPS_OK)
		rc = audit(db, t.user_id,
		    strcmp(kind, "invite") == 0 ? "invitation.accept"
						: "password.reset",
		    t.user_id, json_pack("{s:s}", "address", addr));
	return (ops_finish(db, rc));
}

int
ops_reinvite(struct db *db, const struct settings *set, struct ops_actor actor,
    int64_t target_id, int64_t now, struct ops_error *e)
{
	struct db_user	    u;
	struct mail_vars    mv;
	enum role	    r;
	enum access_verdict v;
	char		    link[SETTINGS_PATH_MAX + 128];
	int		    rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_user_by_id(db, target_id, &u)) <= 0) {
		db_rollback(db);
		return (rc < 0 ? rc
			       : ops_refuse(e, OPS_NOT_FOUND, NULL,
				     "There is no such account."));
	}
	if (role_parse(u.role, &r) != 0) {
		db_rollback(db);
		return (DB_ERROR);
	}
	if ((v = access_invite(actor.role, r)) != ACCESS_OK) {
		db_rollback(db);
		return (ops_refuse(e, OPS_FORBIDDEN, NULL, access_message(v)));
	}
	if (u.pwhash[0] != '\0' || u.disabled) {
		db_rollback(db);
		return (ops_refuse(e, OPS_CONFLICT, NULL,
		    u.disabled ? "This account is disabled."
			       : "This account is active already."));
	}
	rc = db_token_revoke(db, u.id, "invite", now);
	if (rc == OPS_OK)
		rc = issue_link(db, set, "invite", "invite", u.id, now,
		    OPS_INVITE_SECONDS, link, sizeof(link));
	if (rc == OPS_OK) {
		mv.name = u.name;
		mv.role = u.role;
		mv.link = link;
		rc = queue_mail(db, MAIL_INVITATION, u.email, &mv, now);
	}
	if (rc == OPS_OK)
		rc = audit(db, actor.id, "user.reinvite", u.id, NULL);
	sodium_memzero(link, sizeof(link));
	return (ops_finish(db, rc));
}

int
ops_setup_token(struct db *db, int64_t now, char token[TOKEN_LEN + 1])
{
	unsigned char hash[TOKEN_HASH_LEN];
	int64_t	      users;
	int	      rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_user_count(db, &users)) == 0 && users > 0)
		rc = OPS_CONFLICT;
	if (rc == OPS_OK) {
		token_new(token);
		rc = token_hash(token, hash) == 0 ? OPS_OK : DB_ERROR;
	}
	if (rc == OPS_OK)
		rc = db_token_insert(
		    db, "setup", hash, 0, now, now + OPS_SETUP_SECONDS);
	return (ops_finish(db, rc));
}

int
ops_setup_director(struct db *db, const char *token, const char *email,
    const char *name, const char *pwhash, const char *addr, int64_t now,
    struct ops_session *s, struct ops_error *e)
{
	struct db_token t;
	int64_t		id, users;
	int		rc;

	if ((rc = ops_user_check(email, name, "director", e)) != OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = token_valid(db, "setup", token, now, &t);
	if (rc == OPS_OK)
		rc = token_consume(db, &t, now);
	/* The setup link only ever creates the very first account. */
	if (rc == OPS_OK && (rc = db_user_count(db, &users)) == 0 && users > 0)
		rc = OPS_TOKEN_INVALID;
	if (rc == OPS_TOKEN_INVALID) {
		db_rollback(db);
		return (ops_refuse(
		    e, OPS_TOKEN_INVALID, "token", token_invalid_message));
	}
	if (rc == OPS_OK)
		rc =
		    user_insert(db, email, name, "director", pwhash, 0, &id, e);
	if (rc == OPS_OK)
		rc = session_new(db, id, now, s);
	if (rc == OPS_OK)
		rc = audit(db, id, "setup.director", id,
		    json_pack("{s:s}", "address", addr));
	return (ops_finish(db, rc));
}

int
ops_forgot(struct db *db, const struct settings *set, const char *email,
    const char *addr, int64_t now)
{
	struct db_user	      u;
	struct mail_vars      mv;
	struct throttle_state t;
	char		      link[SETTINGS_PATH_MAX + 128], key[KEY_MAX];
	int		      rc;

	if (!text_email_valid(email))
		return (OPS_OK);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_user_by_email(db, email, &u)) < 0)
		return (ops_finish(db, rc));
	if (rc == 0 || u.disabled || u.pwhash[0] == '\0')
		return (ops_finish(db, OPS_OK));
	/* Each request counts; past the limit no more mail for a while. */
	throttle_key(key, sizeof(key), "mail", u.email);
	if ((rc = db_throttle_get(db, key, &t)) < 0)
		return (ops_finish(db, rc));
	if (rc == 1 && throttle_wait(&t, now) > 0)
		return (ops_finish(db, OPS_OK));
	if (rc == 0) {
		t.failures = 0;
		t.window_start = now;
		t.blocked_until = 0;
	}
	(void)throttle_fail(&t, now, &throttle_mail);
	if ((rc = db_throttle_put(db, key, &t)) != 0)
		return (ops_finish(db, rc));
	/* Only the newest link works. */
	rc = db_token_revoke(db, u.id, "reset", now);
	if (rc == 0)
		rc = issue_link(db, set, "reset", "reset", u.id, now,
		    OPS_RESET_SECONDS, link, sizeof(link));
	if (rc == 0) {
		mv.name = u.name;
		mv.role = u.role;
		mv.link = link;
		rc = queue_mail(db, MAIL_RESET, u.email, &mv, now);
	}
	if (rc == 0)
		rc = audit(db, 0, "password.reset_requested", u.id,
		    json_pack("{s:s}", "address", addr));
	sodium_memzero(link, sizeof(link));
	return (ops_finish(db, rc));
}

int
ops_password_change(struct db *db, int64_t user_id, int64_t session_id,
    const char *pwhash, int64_t now)
{
	int rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = db_user_set_password(db, user_id, pwhash);
	if (rc == 0)
		rc = db_session_delete_user(db, user_id, session_id);
	if (rc == 0)
		rc = db_token_revoke(db, user_id, "reset", now);
	if (rc == 0)
		rc = audit(db, user_id, "password.change", user_id, NULL);
	return (ops_finish(db, rc));
}

int
ops_user_update(struct db *db, struct ops_actor actor, int64_t target_id,
    const char *role, int disabled, struct ops_error *e)
{
	struct db_user	    u;
	enum role	    target, new_role;
	enum access_verdict v;
	int		    rc;

	if (role != NULL && role_parse(role, &new_role) != 0)
		return (ops_refuse(e, OPS_INVALID, "role",
		    "The role must be applicant, faculty, coordinator or "
		    "director."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_user_by_id(db, target_id, &u)) <= 0) {
		db_rollback(db);
		return (rc < 0 ? rc
			       : ops_refuse(e, OPS_NOT_FOUND, NULL,
				     "There is no such account."));
	}
	if (role_parse(u.role, &target) != 0) {
		db_rollback(db);
		return (DB_ERROR);
	}
	if (role == NULL)
		new_role = target;
	v = access_update_user(actor.role, actor.id, target, target_id,
	    new_role, disabled == 1 && !u.disabled);
	if (v != ACCESS_OK) {
		db_rollback(db);
		return (ops_refuse(e, OPS_FORBIDDEN,
		    v == ACCESS_NOT_YOURSELF ? NULL : "role",
		    access_message(v)));
	}
	rc = 0;
	if (new_role != target) {
		rc = db_user_set_role(db, target_id, role_name(new_role));
		if (rc == 0)
			rc = audit(db, actor.id, "user.role", target_id,
			    json_pack("{s:s,s:s}", "old", u.role, "new",
				role_name(new_role)));
	}
	if (rc == 0 && disabled != -1 && disabled != u.disabled) {
		rc = db_user_set_disabled(db, target_id, disabled);
		if (rc == 0)
			rc = audit(db, actor.id,
			    disabled ? "user.disable" : "user.enable",
			    target_id, NULL);
	}
	/* New rights or none: every session of the account ends now. */
	if (rc == 0 && (new_role != target || disabled == 1))
		rc = db_session_delete_user(db, target_id, 0);
	return (ops_finish(db, rc));
}
