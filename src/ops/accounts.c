/*
 * Account operations. Each that writes runs in one BEGIN IMMEDIATE
 * transaction with its audit record and any mail it sends, so a change,
 * its record and its notification land together or not at all; each ends
 * through ops_finish() (by ops_finish_view() when it builds a view, so that a
 * view never outlives a change rolled back). The session lookup of the
 * gates, the link checks and the list of accounts only read, and open no
 * transaction (see each). Nothing here hashes a password except
 * ops_user_add() (fellowctl): the server hashes on task threads and passes
 * the result in.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/access.h"
#include "core/mail.h"
#include "core/password.h"
#include "core/session.h"
#include "core/text.h"
#include "core/throttle.h"
#include "ops/accounts.h"
#include "ops/program.h"
#include "ops/common.h"
#include "ops/import.h"
#include "store/db.h"

#define KEY_MAX 300

_Static_assert(OPS_EMAIL_MAX >= DB_EMAIL_MAX && OPS_NAME_MAX >= DB_NAME_MAX,
    "a signed-in account's text fits what the store holds");
_Static_assert(
    PASSWORD_HASH_MAX >= DB_HASH_MAX, "a credential holds any stored hash");

static const char *const token_invalid_message =
    "This link is not valid any more: it was used already or has expired. "
    "Ask for a new one.";

static const char *const role_invalid_message =
    "The role must be applicant, faculty, coordinator or director.";

/* An audit record about an account, without detail. */
static int
audit(struct db *db, int64_t actor, const char *action, int64_t user_id)
{
	return (ops_audit(db, actor, action, "user", user_id, NULL));
}

/* As audit() with detail (a new reference, stolen); a NULL detail is a
 * json_pack() that ran out of memory. */
static int
audit_with(struct db *db, int64_t actor, const char *action, int64_t user_id,
    json_t *detail)
{
	if (detail == NULL)
		return (OPS_ENOMEM);
	return (ops_audit(db, actor, action, "user", user_id, detail));
}

/* An audit record about an account in program (detail as audit_with()'s,
 * NULL meaning out of memory unless plain). */
static int
audit_in(struct db *db, int64_t actor, int64_t program, const char *action,
    int64_t user_id, json_t *detail, int plain)
{
	if (detail == NULL && !plain)
		return (OPS_ENOMEM);
	return (
	    ops_audit_in(db, actor, program, action, "user", user_id, detail));
}

/*
 * Whether the account u is an imported person's that its owner may claim
 * (ops/import.h): made by an import for a candidate with the candidate's
 * own address (its imported_claimable, which a claim, an enabling by
 * staff and a change of role clear), still an applicant, disabled and
 * without a password, so that nobody has used it yet. A staff or faculty
 * account is never claimable, nor a placeholder address. 1 or 0.
 */
static int
import_claimable(const struct db_user *u)
{
	return (u->imported_claimable && u->disabled && u->pwhash[0] == '\0' &&
	    strcmp(u->role, "applicant") == 0 &&
	    !ops_import_placeholder(u->email));
}

static const char *const import_taken_message =
    "An account for this e-mail address exists from an imported archive. "
    "To claim it, use Forgot password to receive a link at that address.";

/*
 * Inside a transaction: refuses a sign-up with the address email when it
 * belongs to a claimable imported account (import_claimable()). Signing
 * up proves nothing about the address, so it must neither open the
 * archive's application nor take the address from its owner, who claims
 * the account with a password reset mailed there. The refusal is the one
 * a taken address gets (409 on the email field, at the same step), with
 * how to claim it instead. Returns OPS_OK when the address is not such
 * an account's, OPS_CONFLICT, or a DB_E* code.
 */
static int
import_refuse(struct db *db, const char *email, struct ops_error *e)
{
	struct db_user u;
	int	       rc;

	memset(&u, 0, sizeof(u));
	if ((rc = db_user_by_email(db, email, &u)) == 1 && import_claimable(&u))
		rc = ops_refuse(e, OPS_CONFLICT, "email", import_taken_message);
	else if (rc >= 0)
		rc = OPS_OK;
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	return (rc);
}

/* *out = a new {status: value}: OPS_OK, or OPS_ENOMEM. */
static int
status_view(json_t **out, const char *value)
{
	*out = json_pack("{s:s}", "status", value);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
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

/* The key of a client address: prefix and the part of the address its
 * throttle counts (core/throttle.h: an IPv6 address's /64). */
static void
client_key(char *out, size_t len, const char *prefix, const char *addr)
{
	char client[64];

	throttle_client(addr, client, sizeof(client));
	throttle_key(out, len, prefix, client);
}

/* A new password must pass the policy (core/password.h). */
static int
password_acceptable(const char *field, const char *pw, struct ops_error *e)
{
	enum password_verdict v;

	if ((v = password_check(pw, strlen(pw))) != PASSWORD_OK)
		return (ops_refuse(
		    e, OPS_INVALID, field, password_verdict_message(v)));
	return (OPS_OK);
}

/* The listing's view of an account (never its hash). NULL when out of
 * memory. */
static json_t *
user_view(const struct db_user *u)
{
	return (json_pack("{s:I,s:s,s:s,s:s,s:b,s:b,s:s}", "id",
	    (json_int_t)u->id, "email", u->email, "name", u->name, "role",
	    u->role, "disabled", u->disabled, "active", u->pwhash[0] != '\0',
	    "created_at", u->created_at));
}

/* *out = {user: the account id as program sees it now}; inside a
 * transaction. */
static int
user_reply(struct db *db, int64_t program, int64_t id, json_t **out)
{
	struct db_user u;
	int	       rc;

	if ((rc = db_user_in_program(db, id, program, &u)) < 0)
		return (rc);
	if (rc == 0)
		return (OPS_EDB);
	*out = json_pack("{s:o}", "user", user_view(&u));
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

int
ops_signin_view(const struct ops_signin *who, json_t **out)
{
	*out = json_pack("{s:{s:I,s:s,s:s,s:o,s:b,s:o},s:s}", "user", "id",
	    (json_int_t)who->user_id, "email", who->email, "name", who->name,
	    "role",
	    who->member ? json_string(role_name(who->role)) : json_null(),
	    "admin", who->admin, "program_id",
	    who->program > 0 ? json_integer(who->program) : json_null(),
	    "csrf_token", who->csrf);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

/* Fills who from the account u and its session. 0, or -1 when the
 * stored role is not one. */
static int
signin_fill(struct ops_signin *who, const struct db_user *u, int64_t session,
    const char *csrf)
{
	memset(who, 0, sizeof(*who));
	if (role_parse(u->role, &who->role) != 0)
		return (-1);
	who->user_id = u->id;
	who->session_id = session;
	(void)snprintf(who->email, sizeof(who->email), "%s", u->email);
	(void)snprintf(who->name, sizeof(who->name), "%s", u->name);
	(void)snprintf(who->csrf, sizeof(who->csrf), "%s", csrf);
	return (0);
}

/*
 * The role who acts in for a request about scope (NULL: none): for a
 * staff account, its role in the program of the scope's object, else in
 * the program asked for, else in its first; who->member 0 when it has
 * none there. 0 or a DB_E* code.
 */
static int
scope_resolve(struct db *db, struct ops_signin *who, const struct ops_scope *sc)
{
	char	role[DB_ROLE_MAX];
	int64_t program = 0;
	int	rc;

	if (sc != NULL && sc->object &&
	    (rc = db_program_of(db, sc->kind, sc->id, &program)) < 0)
		return (rc);
	who->object_program = program;
	if (who->role == ROLE_APPLICANT) {
		who->program = program;
		who->member = 1;
		return (0);
	}
	if (program == 0 && sc != NULL)
		program = sc->program;
	if (program == 0 &&
	    (rc = db_membership_first(db, who->user_id, &program)) < 0)
		return (rc);
	who->program = program;
	who->member = 0;
	if (program == 0)
		return (0);
	if ((rc = db_membership_role(db, who->user_id, program, role)) < 0)
		return (rc);
	if (rc == 1 && role_parse(role, &who->role) == 0 &&
	    who->role != ROLE_APPLICANT)
		who->member = 1;
	return (0);
}

static int
session_new(struct db *db, int64_t user_id, int64_t now, struct ops_session *s)
{
	unsigned char hash[TOKEN_HASH_LEN];
	int	      rc;

	s->user_id = user_id;
	token_new(s->token);
	token_new(s->csrf);
	if (token_hash(s->token, hash) != 0)
		return (OPS_EDB);
	/* Expired sessions go when new ones come; no sweeper needed. */
	if ((rc = db_session_purge(db, now - SESSION_IDLE_SECONDS,
		 now - SESSION_MAX_SECONDS)) != 0)
		return (rc);
	return (db_session_insert(db, hash, user_id, s->csrf, now, &s->id));
}

/* A new session for the account u, and its view in *out; inside a
 * transaction. */
static int
session_start(struct db *db, const struct db_user *u, int64_t now,
    struct ops_session *s, json_t **out)
{
	struct ops_signin who;
	int		  rc;

	if ((rc = session_new(db, u->id, now, s)) != OPS_OK)
		return (rc);
	if (signin_fill(&who, u, s->id, s->csrf) != 0)
		return (OPS_EDB);
	who.admin = u->admin;
	if ((rc = scope_resolve(db, &who, NULL)) != 0)
		return (rc);
	rc = ops_signin_view(&who, out);
	sodium_memzero(who.csrf, sizeof(who.csrf));
	return (rc);
}

/* Queues a templated mail; the caller is inside a transaction. */
static int
queue_mail(struct db *db, int64_t program, enum mail_kind kind, const char *to,
    const struct mail_vars *v, int64_t now)
{
	char subject[MAIL_SUBJECT_MAX], *body;
	int  rc;

	if ((body = mail_render(kind, v, subject)) == NULL)
		return (OPS_ENOMEM);
	rc = db_outbox_insert(db, program, to, subject, body, now, NULL);
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
		return (
		    ops_refuse(e, OPS_INVALID, "role", role_invalid_message));
	return (OPS_OK);
}

/* Inserts the account and its audit record; inside a transaction. */
static int
user_insert(struct db *db, int64_t program, const char *email, const char *name,
    const char *role, const char *pwhash, int64_t actor, int64_t *id,
    struct ops_error *e)
{
	int staff = strcmp(role, "applicant") != 0, rc;

	rc = db_user_insert(db, email, name, role, pwhash, id);
	if (rc == DB_ECONSTRAINT)
		return (ops_refuse(e, OPS_CONFLICT, "email",
		    "An account with this e-mail address exists."));
	if (rc != 0)
		return (rc);
	/* A staff account's role is its role in a program. */
	if (staff && (rc = db_membership_set(db, *id, program, role)) != 0)
		return (rc);
	return (audit_in(db, actor, staff ? program : 0, "user.create", *id,
	    json_pack("{s:s,s:s}", "email", email, "role", role), 0));
}

int
ops_user_add_hashed(struct db *db, int64_t program, const char *email,
    const char *name, const char *role, const char *pwhash, int64_t actor,
    int64_t *id, struct ops_error *e)
{
	struct db_program p;
	int		  rc;

	if ((rc = ops_user_check(email, name, role, e)) != OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if (strcmp(role, "applicant") != 0 &&
	    (rc = db_program_get(db, program, &p)) <= 0) {
		if (rc == 0)
			rc = ops_refuse(e, OPS_NOT_FOUND, "program",
			    "There is no such program.");
		return (ops_finish(db, rc));
	}
	rc = user_insert(db, program, email, name, role, pwhash, actor, id, e);
	return (ops_finish(db, rc));
}

int
ops_user_add(struct db *db, int64_t program, const char *email,
    const char *name, const char *role, const char *password, size_t pwlen,
    int64_t actor, int64_t *id, struct ops_error *e)
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
	rc = ops_user_add_hashed(
	    db, program, email, name, role, hash, actor, id, e);
	sodium_memzero(hash, sizeof(hash));
	return (rc);
}

/*
 * The gates call this for every request, so it opens no transaction: a
 * write lock per request would queue every reader behind every writer.
 * Its two writes are single statements, and best effort: a session that
 * could not be deleted is refused anyway, and a busy database only delays
 * the idle clock.
 */
int
ops_session_find(struct db *db, const unsigned char *hash, int64_t now,
    const struct ops_scope *scope, struct ops_signin *who)
{
	struct db_session s;
	int		  rc;

	memset(who, 0, sizeof(*who));
	memset(&s, 0, sizeof(s));
	if ((rc = db_session_lookup(db, hash, &s)) < 0)
		goto out;
	if (rc == 0) {
		rc = OPS_NOT_FOUND;
		goto out;
	}
	if (s.user.disabled ||
	    !session_alive(now, s.created_at, s.last_seen_at) ||
	    signin_fill(who, &s.user, s.id, s.csrf) != 0) {
		(void)db_session_delete(db, s.id);
		memset(who, 0, sizeof(*who));
		rc = OPS_NOT_FOUND;
		goto out;
	}
	who->admin = s.user.admin;
	if ((rc = scope_resolve(db, who, scope)) < 0) {
		memset(who, 0, sizeof(*who));
		goto out;
	}
	if (session_needs_touch(now, s.last_seen_at))
		(void)db_session_touch(db, s.id, now);
	rc = OPS_OK;
out:
	sodium_memzero(s.csrf, sizeof(s.csrf));
	return (rc);
}

static int
add_membership(void *arg, const struct db_membership *m)
{
	return (json_array_append_new(arg,
		    json_pack("{s:I,s:s,s:s}", "id", (json_int_t)m->program_id,
			"name", m->program_name, "role", m->role)) == 0
		? 0
		: OPS_ENOMEM);
}

int
ops_session_view(struct db *db, const unsigned char *hash, int64_t program,
    int64_t now, json_t **out)
{
	struct ops_scope  sc = { .program = program };
	struct ops_signin who;
	int		  rc = OPS_NOT_FOUND;

	json_t *view, *programs = NULL;

	*out = NULL;
	memset(&who, 0, sizeof(who));
	if (hash != NULL &&
	    (rc = ops_session_find(db, hash, now, &sc, &who)) < 0)
		return (rc);
	if (rc == OPS_NOT_FOUND) {
		*out = json_pack("{s:n,s:[]}", "user", "programs");
		rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
	} else {
		rc = ops_signin_view(&who, out);
		sodium_memzero(who.csrf, sizeof(who.csrf));
		/* The programs the person has a role in: the switcher's. */
		if (rc == OPS_OK &&
		    ((programs = json_array()) == NULL ||
			json_object_set_new(*out, "programs", programs) != 0))
			rc = OPS_ENOMEM;
		if (rc == OPS_OK && who.role != ROLE_APPLICANT)
			rc = db_membership_list(
			    db, who.user_id, add_membership, programs);
	}
	/* Which program this is: every page says it, the sign-in page too
	 * (there, the installation's program when it has only one). */
	if (rc == OPS_OK &&
	    (rc = ops_program_view(db,
		 hash != NULL && who.user_id != 0
		     ? (who.member ? who.program : -1)
		     : 0,
		 &view)) == OPS_OK &&
	    json_object_set_new(*out, "program", view) != 0)
		rc = OPS_ENOMEM;
	if (rc != OPS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return (rc);
}

int
ops_logout(struct db *db, struct ops_actor actor, int64_t session_id)
{
	int rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_session_delete(db, session_id)) != 0)
		goto out;
	rc = audit(db, actor.id, "logout", actor.id);
out:
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

/* Raises *wait to what key must still wait at now. */
static int
wait_for(struct db *db, const char *key, int64_t now, int64_t *wait)
{
	struct throttle_state t;
	int64_t		      w;
	int		      rc;

	if ((rc = db_throttle_get(db, key, &t)) < 0)
		return (rc);
	if (rc == 1 && (w = throttle_wait(&t, now)) > *wait)
		*wait = w;
	return (OPS_OK);
}

static int
throttled(struct db *db, const char *key, int64_t now, struct ops_error *e,
    const char *message)
{
	int64_t wait = 0;
	int	rc;

	if ((rc = wait_for(db, key, now, &wait)) != OPS_OK || wait == 0)
		return (rc);
	if (e != NULL)
		e->retry_after = wait;
	return (ops_refuse(e, OPS_THROTTLED, NULL, message));
}

int
ops_register_begin(struct db *db, const char *email, const char *name,
    const char *password, const char *addr, int64_t now, struct ops_error *e)
{
	char key[KEY_MAX];
	int  rc, locked = 0;

	if ((rc = ops_user_check(email, name, "applicant", e)) != OPS_OK)
		return (rc);
	if ((rc = password_acceptable("password", password, e)) != OPS_OK)
		return (rc);
	client_key(key, sizeof(key), "reg", addr);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = throttled(db, key, now, e,
		 "Too many new accounts from your network. Please wait "
		 "before trying again.")) != OPS_OK)
		goto out;
	rc = count_attempt(db, key, &throttle_register, now, &locked);
out:
	return (ops_finish(db, rc));
}

/*
 * Inside a transaction: creates the account of someone signing up (or the
 * first director), signs it in (*s, and its view in *out) and audits
 * action with the address it came from.
 */
static int
account_open(struct db *db, const char *email, const char *name,
    const char *role, const char *pwhash, const char *action, const char *addr,
    int64_t now, struct ops_session *s, json_t **out, struct ops_error *e)
{
	struct db_user u;
	int64_t	       id;
	int	       rc;

	if ((rc = user_insert(db, DB_PROGRAM_ID, email, name, role, pwhash, 0,
		 &id, e)) != OPS_OK)
		return (rc);
	/* The first director sets the installation up, and keeps it: its
	 * administrator, and director of its first program. */
	if (strcmp(role, "director") == 0 &&
	    (rc = db_user_set_admin(db, id, 1)) != 0)
		return (rc);
	if ((rc = db_user_by_id(db, id, &u)) != 1)
		return (rc < 0 ? rc : OPS_EDB);
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	if ((rc = session_start(db, &u, now, s, out)) != OPS_OK)
		return (rc);
	return (audit_with(
	    db, id, action, id, json_pack("{s:s}", "address", addr)));
}

int
ops_register(struct db *db, const char *email, const char *name,
    const char *pwhash, const char *addr, int64_t now, struct ops_session *s,
    json_t **out, struct ops_error *e)
{
	int rc;

	*out = NULL;
	if ((rc = ops_user_check(email, name, "applicant", e)) != OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = import_refuse(db, email, e)) == OPS_OK)
		rc = account_open(db, email, name, "applicant", pwhash,
		    "user.register", addr, now, s, out, e);
	return (ops_finish_view(db, rc, out));
}

/*
 * Refuses while the account of email or the address must wait, else
 * counts the attempt against both (recording a lockout when one starts);
 * inside a transaction.
 */
static int
attempt_count(struct db *db, const char *email, const char *addr, int64_t now,
    struct ops_error *e)
{
	char	acct[KEY_MAX], host[KEY_MAX];
	int64_t wait = 0;
	int	rc, acct_locked = 0, addr_locked = 0;

	throttle_key(acct, sizeof(acct), "acct", email);
	client_key(host, sizeof(host), "addr", addr);
	if ((rc = wait_for(db, acct, now, &wait)) != OPS_OK ||
	    (rc = wait_for(db, host, now, &wait)) != OPS_OK)
		return (rc);
	if (wait > 0) {
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
	if ((rc = count_attempt(
		 db, acct, &throttle_account, now, &acct_locked)) != OPS_OK ||
	    (rc = count_attempt(
		 db, host, &throttle_address, now, &addr_locked)) != OPS_OK)
		return (rc);
	if (acct_locked || addr_locked)
		rc = audit_with(db, 0, "login.lockout", 0,
		    json_pack("{s:s,s:s,s:s}", "email", email, "address", addr,
			"locked", acct_locked ? "account" : "address"));
	return (rc);
}

/* Fills cred from the account u: its id and hash when it has one. */
static void
credential_fill(struct ops_credential *cred, const struct db_user *u)
{
	memset(cred, 0, sizeof(*cred));
	if (u->pwhash[0] == '\0')
		return;
	cred->user_id = u->id;
	(void)snprintf(cred->pwhash, sizeof(cred->pwhash), "%s", u->pwhash);
}

int
ops_attempt_begin(struct db *db, const char *email, const char *addr,
    int64_t now, struct ops_credential *cred, struct ops_error *e)
{
	struct db_user u;
	int	       rc;

	memset(&u, 0, sizeof(u));
	if (cred != NULL)
		memset(cred, 0, sizeof(*cred));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = attempt_count(db, email, addr, now, e)) != OPS_OK ||
	    cred == NULL)
		goto out;
	if ((rc = db_user_by_email(db, email, &u)) < 0)
		goto out;
	if (rc == 1)
		credential_fill(cred, &u);
	rc = OPS_OK;
out:
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
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
	client_key(host, sizeof(host), "addr", addr);
	if ((rc = db_throttle_clear(db, acct)) != 0)
		return (rc);
	if ((rc = db_throttle_get(db, host, &t)) <= 0)
		return (rc);
	if (t.failures > 0)
		t.failures--;
	return (db_throttle_put(db, host, &t));
}

/* Records a failed attempt: inside the caller's transaction. */
static int
attempt_failed(struct db *db, const char *email, const char *addr,
    int64_t user_id, const char *action)
{
	return (audit_with(db, user_id, action, user_id,
	    json_pack("{s:s,s:s}", "email", email, "address", addr)));
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
		rc = attempt_failed(db, email, addr, user_id, failed_action);
	return (ops_finish(db, rc));
}

int
ops_login_result(struct db *db, const char *email, const char *addr,
    int64_t user_id, const char *rehash, int64_t now, struct ops_session *s,
    json_t **out, struct ops_error *e)
{
	struct db_user u;
	int	       rc;

	*out = NULL;
	memset(&u, 0, sizeof(u));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if (user_id == 0) {
		rc = attempt_failed(db, email, addr, 0, "login.failed");
		goto out;
	}
	if ((rc = db_user_by_id(db, user_id, &u)) != 1) {
		rc = rc < 0 ? rc : OPS_EDB;
		goto out;
	}
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	/* The right password, yet no way in: the attempt stays counted. */
	if (u.disabled) {
		rc = ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "This account is disabled. Ask the program coordinator.");
		goto out;
	}
	if ((rc = attempt_succeeded(db, email, addr)) != OPS_OK)
		goto out;
	if (rehash != NULL &&
	    (rc = db_user_set_password(db, user_id, rehash)) != OPS_OK)
		goto out;
	if ((rc = session_start(db, &u, now, s, out)) != OPS_OK)
		goto out;
	rc = audit_with(db, user_id, "login", user_id,
	    json_pack(
		"{s:s,s:b}", "address", addr, "rehashed", rehash != NULL));
out:
	return (ops_finish_view(db, rc, out));
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
		rc = OPS_EDB;
	else
		rc = db_token_insert(db, kind, hash, user, now, now + ttl);
	/* In the fragment: never sent to a server, never in a Referer. */
	if (rc == OPS_OK)
		(void)snprintf(
		    link, linklen, "%s/#/%s/%s", set->public_url, route, token);
	sodium_memzero(token, sizeof(token));
	return (rc);
}

/* Mails an invitation link to the account u; inside a transaction. */
static int
invitation_send(struct db *db, const struct settings *set, int64_t program,
    const struct db_user *u, const char *role, int64_t now)
{
	char		 link[SETTINGS_PATH_MAX + 128];
	struct mail_vars mv;
	int		 rc;

	rc = issue_link(db, set, "invite", "invite", u->id, now,
	    OPS_INVITE_SECONDS, link, sizeof(link));
	if (rc == OPS_OK) {
		mv.name = u->name;
		mv.role = role;
		mv.link = link;
		rc = queue_mail(
		    db, program, MAIL_INVITATION, u->email, &mv, now);
	}
	sodium_memzero(link, sizeof(link));
	return (rc);
}

int
ops_enlist(struct db *db, const struct settings *set, int64_t actor,
    int64_t program, const char *email, const char *name, const char *role,
    int64_t now, int64_t *id, struct ops_error *e)
{
	struct db_user u;
	char	       held[DB_ROLE_MAX];
	int	       rc;

	memset(&u, 0, sizeof(u));
	if ((rc = db_user_by_email(db, email, &u)) < 0)
		return (rc);
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	if (rc == 0) {
		/* A new person: an account without a password, and a link
		 * to choose one. */
		if ((rc = user_insert(db, program, email, name, role, NULL,
			 actor, id, e)) != OPS_OK)
			return (rc);
		if ((rc = db_user_by_id(db, *id, &u)) != 1)
			return (rc < 0 ? rc : OPS_EDB);
		sodium_memzero(u.pwhash, sizeof(u.pwhash));
		if ((rc = invitation_send(db, set, program, &u, role, now)) !=
		    OPS_OK)
			return (rc);
	} else {
		/* Someone the installation knows: a role in one more
		 * program, which their switcher offers from their next
		 * page on. A disabled account stays as its programs or the
		 * administrator left it. */
		*id = u.id;
		if (strcmp(u.role, "applicant") == 0)
			return (ops_refuse(e, OPS_CONFLICT, "email",
			    "This address is an applicant's account; staff "
			    "need an account of their own."));
		if (u.disabled)
			return (ops_refuse(e, OPS_CONFLICT, "email",
			    "This account is disabled; ask the "
			    "installation's administrator."));
		if ((rc = db_membership_role(db, u.id, program, held)) < 0)
			return (rc);
		if (rc == 1)
			return (ops_refuse(e, OPS_CONFLICT, "email",
			    "This person already has a role in this program."));
		if ((rc = db_membership_set(db, u.id, program, role)) != 0)
			return (rc);
	}
	return (audit_in(db, actor, program, "user.invite", *id,
	    json_pack("{s:s,s:s}", "email", email, "role", role), 0));
}

int
ops_invite(struct db *db, const struct settings *set, struct ops_actor actor,
    const char *email, const char *name, const char *role, int64_t now,
    json_t **out, struct ops_error *e)
{
	enum role	    r;
	enum access_verdict v;
	int64_t		    id;
	int		    rc;

	*out = NULL;
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
	if ((rc = ops_enlist(db, set, actor.id, actor.program, email, name,
		 role, now, &id, e)) != OPS_OK)
		goto out;
	rc = user_reply(db, actor.program, id, out);
out:
	return (ops_finish_view(db, rc, out));
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

/* As token_valid(), with the sentence when it is not. A read alone: no
 * transaction (the second step checks again in its own). */
static int
token_usable(struct db *db, const char *kind, const char *token, int64_t now,
    struct ops_error *e)
{
	struct db_token t = { 0 };
	int		rc;

	if ((rc = token_valid(db, kind, token, now, &t)) == OPS_TOKEN_INVALID)
		return (ops_refuse(
		    e, OPS_TOKEN_INVALID, "token", token_invalid_message));
	return (rc);
}

int
ops_password_link_check(struct db *db, const char *kind, const char *token,
    const char *password, int64_t now, struct ops_error *e)
{
	int rc;

	if ((rc = token_usable(db, kind, token, now, e)) != OPS_OK)
		return (rc);
	return (password_acceptable("password", password, e));
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

int
ops_password_by_token(struct db *db, const char *kind, const char *token,
    const char *pwhash, const char *addr, int64_t now, struct ops_session *s,
    json_t **out, struct ops_error *e)
{
	struct db_token t = { 0 };
	struct db_user	u;
	int		rc, claim = 0;

	*out = NULL;
	memset(&u, 0, sizeof(u));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = token_valid(db, kind, token, now, &t);
	if (rc == OPS_OK)
		rc = token_consume(db, &t, now);
	/* The link's account: an enabled one, or (a reset) an imported one
	 * its owner claims, checked again now: it may have changed. */
	if (rc == OPS_OK) {
		if ((rc = db_user_by_id(db, t.user_id, &u)) == 1)
			claim = u.disabled && strcmp(kind, "reset") == 0 &&
			    import_claimable(&u);
		if (rc >= 0)
			rc = rc == 1 && (claim || !u.disabled)
			    ? OPS_OK
			    : OPS_TOKEN_INVALID;
	}
	if (rc == OPS_TOKEN_INVALID)
		rc = ops_refuse(
		    e, OPS_TOKEN_INVALID, "token", token_invalid_message);
	if (rc != OPS_OK)
		goto out;
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	if ((rc = db_user_set_password(db, t.user_id, pwhash)) != OPS_OK ||
	    (rc = db_token_revoke(db, t.user_id, kind, now)) != OPS_OK ||
	    (rc = db_session_delete_user(db, t.user_id, 0)) != OPS_OK)
		goto out;
	/* The owner of the address claims the imported account: it is
	 * enabled, as the applicant it always was. */
	if (claim) {
		if ((rc = db_user_set_disabled(db, t.user_id, 0)) != OPS_OK ||
		    (rc = db_user_set_claimable(db, t.user_id, 0)) != OPS_OK ||
		    (rc = audit_with(db, t.user_id, "user.import_claim",
			 t.user_id, json_pack("{s:s}", "address", addr))) !=
			OPS_OK)
			goto out;
		u.disabled = 0;
	}
	if (s != NULL && (rc = session_start(db, &u, now, s, out)) != OPS_OK)
		goto out;
	rc = audit_with(db, t.user_id,
	    strcmp(kind, "invite") == 0 ? "invitation.accept"
					: "password.reset",
	    t.user_id, json_pack("{s:s}", "address", addr));
out:
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	return (ops_finish_view(db, rc, out));
}

int
ops_reinvite(struct db *db, const struct settings *set, struct ops_actor actor,
    int64_t target_id, int64_t now, json_t **out, struct ops_error *e)
{
	struct db_user	    u;
	enum role	    r;
	enum access_verdict v;
	int		    rc;

	*out = NULL;
	memset(&u, 0, sizeof(u));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_user_in_program(db, target_id, actor.program, &u)) <= 0) {
		if (rc == 0)
			rc = ops_refuse(e, OPS_NOT_FOUND, NULL,
			    "There is no such account.");
		goto out;
	}
	if (role_parse(u.role, &r) != 0) {
		rc = OPS_EDB;
		goto out;
	}
	if ((v = access_invite(actor.role, r)) != ACCESS_OK) {
		rc = ops_refuse(e, OPS_FORBIDDEN, NULL, access_message(v));
		goto out;
	}
	if (u.pwhash[0] != '\0' || u.disabled) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    u.disabled ? "This account is disabled."
			       : "This account is active already.");
		goto out;
	}
	if ((rc = db_token_revoke(db, u.id, "invite", now)) != OPS_OK ||
	    (rc = invitation_send(db, set, actor.program, &u, u.role, now)) !=
		OPS_OK)
		goto out;
	if ((rc = audit_in(db, actor.id, actor.program, "user.reinvite", u.id,
		 NULL, 1)) == OPS_OK)
		rc = status_view(out, "sent");
out:
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	return (ops_finish_view(db, rc, out));
}

int
ops_setup_token(struct db *db, int64_t now, char token[TOKEN_LEN + 1])
{
	unsigned char hash[TOKEN_HASH_LEN];
	int64_t	      users;
	int	      rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_user_count(db, &users)) != 0)
		goto out;
	if (users > 0) {
		rc = OPS_CONFLICT;
		goto out;
	}
	token_new(token);
	if (token_hash(token, hash) != 0) {
		rc = OPS_EDB;
		goto out;
	}
	rc =
	    db_token_insert(db, "setup", hash, 0, now, now + OPS_SETUP_SECONDS);
out:
	return (ops_finish(db, rc));
}

int
ops_setup_check(struct db *db, const char *token, const char *email,
    const char *name, const char *password, int64_t now, struct ops_error *e)
{
	int rc;

	if ((rc = token_usable(db, "setup", token, now, e)) != OPS_OK)
		return (rc);
	if ((rc = ops_user_check(email, name, "director", e)) != OPS_OK)
		return (rc);
	return (password_acceptable("password", password, e));
}

int
ops_setup_director(struct db *db, const char *token, const char *email,
    const char *name, const char *pwhash, const char *addr, int64_t now,
    struct ops_session *s, json_t **out, struct ops_error *e)
{
	struct db_token t = { 0 };
	int64_t		users;
	int		rc;

	*out = NULL;
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
	if (rc == OPS_TOKEN_INVALID)
		rc = ops_refuse(
		    e, OPS_TOKEN_INVALID, "token", token_invalid_message);
	if (rc != OPS_OK)
		goto out;
	rc = account_open(db, email, name, "director", pwhash, "setup.director",
	    addr, now, s, out, e);
out:
	return (ops_finish_view(db, rc, out));
}

/*
 * Counts a reset mail to the account of key; *go is 0 while the mailbox
 * must wait (core/throttle.h throttle_mail). Inside a transaction.
 */
static int
mail_allowed(struct db *db, const char *key, int64_t now, int *go)
{
	struct throttle_state t;
	int		      rc;

	*go = 0;
	if ((rc = db_throttle_get(db, key, &t)) < 0)
		return (rc);
	if (rc == 1 && throttle_wait(&t, now) > 0)
		return (OPS_OK);
	if (rc == 0) {
		t.failures = 0;
		t.window_start = now;
		t.blocked_until = 0;
	}
	(void)throttle_fail(&t, now, &throttle_mail);
	*go = 1;
	return (db_throttle_put(db, key, &t));
}

int
ops_forgot(struct db *db, const struct settings *set, const char *email,
    const char *addr, int64_t now, json_t **out, struct ops_error *e)
{
	struct db_user	 u;
	struct mail_vars mv;
	char		 link[SETTINGS_PATH_MAX + 128], key[KEY_MAX];
	int		 rc, go;

	(void)e;
	*out = NULL;
	/* The same answer whatever happens below. */
	if (!text_email_valid(email))
		return (status_view(out, "accepted"));
	memset(&u, 0, sizeof(u));
	link[0] = '\0';
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_user_by_email(db, email, &u)) <= 0)
		goto out;
	/* An imported person's account gets the mail too: following its
	 * link proves the address, and claims the account. */
	if ((u.disabled || u.pwhash[0] == '\0') && !import_claimable(&u)) {
		rc = OPS_OK;
		goto out;
	}
	/* Each request counts; past the limit no more mail for a while. */
	throttle_key(key, sizeof(key), "mail", u.email);
	if ((rc = mail_allowed(db, key, now, &go)) != OPS_OK || !go)
		goto out;
	/* Only the newest link works. */
	if ((rc = db_token_revoke(db, u.id, "reset", now)) != OPS_OK ||
	    (rc = issue_link(db, set, "reset", "reset", u.id, now,
		 OPS_RESET_SECONDS, link, sizeof(link))) != OPS_OK)
		goto out;
	mv.name = u.name;
	mv.role = u.role;
	mv.link = link;
	if ((rc = queue_mail(db, 0, MAIL_RESET, u.email, &mv, now)) != OPS_OK)
		goto out;
	rc = audit_with(db, 0, "password.reset_requested", u.id,
	    json_pack("{s:s}", "address", addr));
out:
	if (rc == OPS_OK)
		rc = status_view(out, "accepted");
	sodium_memzero(link, sizeof(link));
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	return (ops_finish_view(db, rc, out));
}

int
ops_password_change_begin(struct db *db, struct ops_actor actor,
    const char *new_password, const char *addr, int64_t now,
    struct ops_credential *cred, struct ops_error *e)
{
	struct db_user u;
	int	       rc;

	memset(cred, 0, sizeof(*cred));
	memset(&u, 0, sizeof(u));
	if ((rc = password_acceptable("new_password", new_password, e)) !=
	    OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_user_by_id(db, actor.id, &u)) <= 0) {
		if (rc == 0)
			rc = ops_refuse(e, OPS_NOT_FOUND, NULL,
			    "There is no such account.");
		goto out;
	}
	/* A stolen session must not become a guessing oracle: the current
	 * password is throttled like a sign-in. */
	if ((rc = attempt_count(db, u.email, addr, now, e)) != OPS_OK)
		goto out;
	credential_fill(cred, &u);
out:
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	return (ops_finish(db, rc));
}

int
ops_password_change(struct db *db, struct ops_actor actor, int64_t session_id,
    const char *addr, const char *pwhash, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_user u;
	int	       rc;

	*out = NULL;
	memset(&u, 0, sizeof(u));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_user_by_id(db, actor.id, &u)) <= 0) {
		if (rc == 0)
			rc = ops_refuse(e, OPS_NOT_FOUND, NULL,
			    "There is no such account.");
		goto out;
	}
	if ((rc = attempt_succeeded(db, u.email, addr)) != OPS_OK ||
	    (rc = db_user_set_password(db, actor.id, pwhash)) != OPS_OK ||
	    (rc = db_session_delete_user(db, actor.id, session_id)) != OPS_OK ||
	    (rc = db_token_revoke(db, actor.id, "reset", now)) != OPS_OK)
		goto out;
	if ((rc = audit(db, actor.id, "password.change", actor.id)) == OPS_OK)
		rc = status_view(out, "changed");
out:
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	return (ops_finish_view(db, rc, out));
}

/*
 * Makes account id's role in program new_role (from target): a staff
 * role is a membership; an applicant's account made staff becomes a
 * staff account, and a staff account made applicant (its only role, the
 * caller checked) an applicant's again.
 */
static int
role_change(struct db *db, int64_t id, int64_t program, enum role target,
    enum role new_role)
{
	int rc;

	if (new_role == ROLE_APPLICANT) {
		if ((rc = db_membership_delete(db, id, program)) != 0)
			return (rc);
		return (db_user_set_role(db, id, "applicant"));
	}
	if (target == ROLE_APPLICANT &&
	    (rc = db_user_set_role(db, id, role_name(new_role))) != 0)
		return (rc);
	return (db_membership_set(db, id, program, role_name(new_role)));
}

int
ops_user_update(struct db *db, struct ops_actor actor, int64_t target_id,
    const char *role, int disabled, json_t **out, struct ops_error *e)
{
	struct db_user	    u;
	enum role	    target, new_role = ROLE_APPLICANT;
	enum access_verdict v;
	int64_t		    others = 0;
	int		    rc;

	*out = NULL;
	memset(&u, 0, sizeof(u));
	if (role != NULL && role_parse(role, &new_role) != 0)
		return (
		    ops_refuse(e, OPS_INVALID, "role", role_invalid_message));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	/* Only the people of the actor's program: its staff and its
	 * applicants. */
	if ((rc = db_user_in_program(db, target_id, actor.program, &u)) <= 0) {
		if (rc == 0)
			rc = ops_refuse(e, OPS_NOT_FOUND, NULL,
			    "There is no such account.");
		goto out;
	}
	if (role_parse(u.role, &target) != 0) {
		rc = OPS_EDB;
		goto out;
	}
	if (role == NULL)
		new_role = target;
	/*
	 * An account another program has too (a role there, or an
	 * application to it) is the installation's as much as this
	 * program's: this program neither disables nor enables it, nor
	 * makes it an applicant's or a staff account; the installation's
	 * administrator does. A change of staff role here is this
	 * program's alone.
	 */
	if ((disabled != -1 && disabled != u.disabled) ||
	    ((new_role == ROLE_APPLICANT) != (target == ROLE_APPLICANT))) {
		rc = target == ROLE_APPLICANT
		    ? db_applicant_others(db, target_id, actor.program, &others)
		    : db_membership_others(
			  db, target_id, actor.program, &others);
		if (rc != 0)
			goto out;
		if (others > 0) {
			rc = ops_refuse(e, OPS_CONFLICT,
			    new_role != target ? "role" : "disabled",
			    target == ROLE_APPLICANT
				? "This person has applied to another program "
				  "too; ask the installation's administrator."
				: "This person has a role in another program "
				  "too; ask the installation's administrator.");
			goto out;
		}
	}
	v = access_update_user(actor.role, actor.id, target, target_id,
	    new_role, disabled == 1 && !u.disabled);
	if (v != ACCESS_OK) {
		rc = ops_refuse(e, OPS_FORBIDDEN,
		    v == ACCESS_NOT_YOURSELF ? NULL : "role",
		    access_message(v));
		goto out;
	}
	if (new_role != target &&
	    ((rc = role_change(
		  db, target_id, actor.program, target, new_role)) != OPS_OK ||
		(rc = audit_in(db, actor.id, actor.program, "user.role",
		     target_id,
		     json_pack("{s:s,s:s}", "old", u.role, "new",
			 role_name(new_role)),
		     0)) != OPS_OK))
		goto out;
	if (disabled != -1 && disabled != u.disabled &&
	    ((rc = db_user_set_disabled(db, target_id, disabled)) != OPS_OK ||
		(rc = audit_in(db, actor.id, actor.program,
		     disabled ? "user.disable" : "user.enable", target_id, NULL,
		     1)) != OPS_OK))
		goto out;
	/* Staff took the account in hand: an imported one is no longer its
	 * owner's to claim (ops/import.h). */
	if (u.imported_claimable && (new_role != target || disabled == 0) &&
	    (rc = db_user_set_claimable(db, target_id, 0)) != OPS_OK)
		goto out;
	/* New rights or none: every session of the account ends now. */
	if ((new_role != target || disabled == 1) &&
	    (rc = db_session_delete_user(db, target_id, 0)) != OPS_OK)
		goto out;
	rc = user_reply(db, actor.program, target_id, out);
out:
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	return (ops_finish_view(db, rc, out));
}

static int
add_user(void *arg, const struct db_user *u)
{
	return (json_array_append_new(arg, user_view(u)) == 0 ? 0 : OPS_ENOMEM);
}

/*
 * A single read: no transaction (one statement sees one snapshot). The
 * store's listing never carries hashes (db_user_list).
 */
int
ops_users_list(struct db *db, struct ops_actor actor, int64_t after,
    int64_t limit, json_t **out, struct ops_error *e)
{
	json_t *users, *last;
	size_t	n;
	int	rc;

	*out = NULL;
	if (!role_is_staff(actor.role))
		return (ops_refuse(
		    e, OPS_FORBIDDEN, NULL, access_message(ACCESS_NOT_STAFF)));
	if (after < 0 || limit < 1 || limit > OPS_USERS_PAGE_MAX)
		return (ops_refuse(e, OPS_INVALID, "limit",
		    "after must be an id and limit between 1 and 500."));
	if ((users = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_user_list(
		 db, actor.program, after, (int)limit, add_user, users)) != 0) {
		json_decref(users);
		return (rc);
	}
	n = json_array_size(users);
	last = (int64_t)n == limit
	    ? json_object_get(json_array_get(users, n - 1), "id")
	    : NULL;
	*out = json_pack("{s:o,s:O}", "users", users, "next_after",
	    last != NULL ? last : json_null());
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

struct people {
	struct db *db;
	json_t	  *rows;
	int	   rc;
};

static int
add_person(void *arg, const struct db_user *u)
{
	struct people *p = arg;
	json_t	      *row, *programs;

	if ((row = user_view(u)) == NULL || (programs = json_array()) == NULL ||
	    json_object_set_new(row, "programs", programs) != 0 ||
	    json_object_set_new(row, "admin", json_boolean(u->admin)) != 0 ||
	    json_object_set_new(row, "kind",
		json_string(strcmp(u->role, "applicant") == 0 ? "applicant"
							      : "staff")) !=
		0 ||
	    json_object_del(row, "role") != 0) {
		json_decref(row);
		p->rc = OPS_ENOMEM;
		return (1);
	}
	if (strcmp(u->role, "applicant") != 0 &&
	    (p->rc = db_membership_list(
		 p->db, u->id, add_membership, programs)) != 0) {
		json_decref(row);
		return (1);
	}
	if (json_array_append_new(p->rows, row) != 0) {
		p->rc = OPS_ENOMEM;
		return (1);
	}
	return (0);
}

int
ops_admin_people(struct db *db, int admin, int64_t after, int64_t limit,
    json_t **out, struct ops_error *e)
{
	struct people p = { db, NULL, OPS_OK };
	json_t	     *last;
	size_t	      n;
	int	      rc;

	*out = NULL;
	if (!admin)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the installation's administrators may do this."));
	if (after < 0 || limit < 1 || limit > OPS_USERS_PAGE_MAX)
		return (ops_refuse(e, OPS_INVALID, "limit",
		    "after must be an id and limit between 1 and 500."));
	if ((p.rows = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_begin(db)) != 0) {
		json_decref(p.rows);
		return (rc);
	}
	rc = db_user_list(db, 0, after, (int)limit, add_person, &p);
	if (rc == 1)
		rc = p.rc;
	if (rc == OPS_OK) {
		n = json_array_size(p.rows);
		last = (int64_t)n == limit
		    ? json_object_get(json_array_get(p.rows, n - 1), "id")
		    : NULL;
		*out = json_pack("{s:O,s:O}", "people", p.rows, "next_after",
		    last != NULL ? last : json_null());
		rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
	}
	json_decref(p.rows);
	return (ops_finish_view(db, rc, out));
}

int
ops_admin_user_update(struct db *db, int admin, int64_t actor, int64_t target,
    int disabled, json_t **out, struct ops_error *e)
{
	struct people  p = { db, NULL, OPS_OK };
	struct db_user u;
	int	       rc, active;

	*out = NULL;
	memset(&u, 0, sizeof(u));
	if (!admin)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the installation's administrators may do this."));
	if (target == actor)
		return (ops_refuse(e, OPS_FORBIDDEN, "disabled",
		    access_message(ACCESS_NOT_YOURSELF)));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_user_by_id(db, target, &u)) <= 0) {
		if (rc == 0)
			rc = ops_refuse(e, OPS_NOT_FOUND, NULL,
			    "There is no such account.");
		goto out;
	}
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	if (disabled != u.disabled &&
	    ((rc = db_user_set_disabled(db, target, disabled)) != OPS_OK ||
		(rc = audit_in(db, actor, 0,
		     disabled ? "user.disable" : "user.enable", target, NULL,
		     1)) != OPS_OK))
		goto out;
	if (!disabled && u.imported_claimable &&
	    (rc = db_user_set_claimable(db, target, 0)) != OPS_OK)
		goto out;
	if (disabled && (rc = db_session_delete_user(db, target, 0)) != OPS_OK)
		goto out;
	if ((p.rows = json_array()) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = db_user_by_id(db, target, &u)) != 1) {
		rc = rc < 0 ? rc : OPS_EDB;
		goto out;
	}
	/* As listings show it: "*" for a password set, never the hash. */
	active = u.pwhash[0] != '\0';
	sodium_memzero(u.pwhash, sizeof(u.pwhash));
	u.pwhash[0] = active ? '*' : '\0';
	if (add_person(&p, &u) != 0) {
		rc = p.rc != OPS_OK ? p.rc : OPS_ENOMEM;
		goto out;
	}
	rc = (*out = json_pack("{s:O}", "person", json_array_get(p.rows, 0))) !=
		NULL
	    ? OPS_OK
	    : OPS_ENOMEM;
out:
	json_decref(p.rows);
	return (ops_finish_view(db, rc, out));
}

int
ops_throttle_purge(struct db *db, int64_t now)
{
	int purged, rc;

	if ((rc = db_throttle_purge(
		 db, now, THROTTLE_WINDOW_SECONDS, &purged)) != 0)
		return (rc);
	return (purged);
}
