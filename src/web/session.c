/*
 * Signing up, in and out, and everything done with a password: accepting
 * an invitation, the first director's setup, forgotten and changed
 * passwords. Every Argon2id computation runs on a task thread through
 * web_password_job(); these handlers are therefore called twice, once to
 * check the input and start the hash, once more when it is done.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/password.h"
#include "ops/accounts.h"
#include "web/web.h"

WEB_EXPORT int web_register(struct http_request *);
WEB_EXPORT int web_login(struct http_request *);
WEB_EXPORT int web_logout(struct http_request *);
WEB_EXPORT int web_me(struct http_request *);
WEB_EXPORT int web_invitation_accept(struct http_request *);
WEB_EXPORT int web_setup(struct http_request *);
WEB_EXPORT int web_password_forgot(struct http_request *);
WEB_EXPORT int web_password_reset(struct http_request *);
WEB_EXPORT int web_password_change(struct http_request *);

/* Verified against when the account does not exist, so that an unknown
 * address takes as long as a wrong password (set by the parent). */
char web_dummy_hash[PASSWORD_HASH_MAX];

/* Checks a new password; sends 422 naming the field when it is refused. */
static int
password_acceptable(struct http_request *req, const char *field, const char *pw)
{
	enum password_verdict v;

	if ((v = password_check(pw, strlen(pw))) != PASSWORD_OK) {
		web_fail_field(req, WEB_ERR_UNPROCESSABLE, field,
		    password_verdict_message(v));
		return (0);
	}
	return (1);
}

/* Sends the session reply for an account known by id. */
static int
reply_session_for(struct http_request *req, int status, int64_t user_id,
    const struct ops_session *s)
{
	struct db_user u;
	int	       rc;

	if ((rc = db_user_by_id(web_db, user_id, &u)) != 1)
		return (web_fail_db(req, rc == 0 ? DB_ERROR : rc));
	return (web_reply_session(
	    req, status, u.id, u.email, u.name, u.role, s->token, s->csrf));
}

/*
 * POST /api/register {email, password, name}
 *   201 {user, csrf_token}  an applicant account, signed in
 *   409 conflict            the e-mail address has an account
 *   422 unprocessable       a field is refused (error.field names it)
 *   400, 413, 415           not a JSON object of exactly these keys
 */
int
web_register(struct http_request *req)
{
	struct web_state  *st = web_state(req);
	struct ops_session s;
	struct ops_error   e = { 0 };
	const char	  *email, *password, *name;
	char		   addr[64];
	int64_t		   id;
	int		   rc;

	if (st->job.state == WEB_OFFLOAD_IDLE) {
		if (web_json_body(req) == NULL ||
		    web_unpack(req, "{s:s,s:s,s:s!}", "email", &email,
			"password", &password, "name", &name) != 0)
			return (KORE_RESULT_OK);
		if ((rc = ops_user_check(email, name, "applicant", &e)) != 0)
			return (web_fail_ops(req, rc, &e));
		if (!password_acceptable(req, "password", password))
			return (KORE_RESULT_OK);
		web_client_addr(req, addr, sizeof(addr));
		if ((rc = ops_register_gate(web_db, addr, web_now(req), &e)) !=
		    OPS_OK)
			return (web_fail_ops(req, rc, &e));
		web_password_prepare(st, password, NULL);
	}
	if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (st->job.result != 0)
		return (web_fail(req, WEB_ERR_INTERNAL));

	(void)web_unpack(req, "{s:s,s:s,s:s!}", "email", &email, "password",
	    &password, "name", &name);
	web_client_addr(req, addr, sizeof(addr));
	rc = ops_register(
	    web_db, email, name, st->pw.out, addr, web_now(req), &id, &s, &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (web_reply_session(req, HTTP_STATUS_CREATED, id, email, name,
	    "applicant", s.token, s.csrf));
}

/*
 * POST /api/login {email, password}
 *   200 {user, csrf_token}      signed in; a new session cookie
 *   401 invalid_credentials     unknown address or wrong password (the
 *                               same answer, after the same work)
 *   403 forbidden               right password, disabled account
 *   429 too_many_attempts       throttled; Retry-After says how long
 *   400, 413, 415               not a JSON object of exactly these keys
 */
int
web_login(struct http_request *req)
{
	struct web_state  *st = web_state(req);
	struct ops_session s;
	struct ops_error   e = { 0 };
	struct db_user	   u;
	const char	  *email, *password;
	char		   addr[64];
	int		   rc, ok;

	if (web_json_body(req) == NULL ||
	    web_unpack(
		req, "{s:s,s:s!}", "email", &email, "password", &password) != 0)
		return (KORE_RESULT_OK);
	web_client_addr(req, addr, sizeof(addr));

	if (st->job.state == WEB_OFFLOAD_IDLE) {
		if (strlen(email) > DB_EMAIL_MAX - 1)
			return (web_fail(req, WEB_ERR_BAD_CREDENTIALS));
		/* Refuse before hashing: hashing is the expensive part. */
		rc = ops_attempt_begin(web_db, email, addr, web_now(req), &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		if ((rc = db_user_by_email(web_db, email, &u)) < 0)
			return (web_fail_db(req, rc));
		st->user_id = (rc == 1 && u.pwhash[0] != '\0') ? u.id : 0;
		web_password_prepare(
		    st, password, st->user_id != 0 ? u.pwhash : web_dummy_hash);
		sodium_memzero(u.pwhash, sizeof(u.pwhash));
	}
	if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (st->job.result != 0)
		return (web_fail(req, WEB_ERR_INTERNAL));

	ok = st->pw.ok && st->user_id != 0;
	if (ok) {
		if ((rc = db_user_by_id(web_db, st->user_id, &u)) != 1)
			return (web_fail_db(req, rc == 0 ? DB_ERROR : rc));
		if (u.disabled)
			return (web_fail_msg(req, WEB_ERR_FORBIDDEN,
			    "This account is disabled. Ask the program "
			    "coordinator."));
	}
	rc = ops_login_result(web_db, email, addr, ok ? st->user_id : 0,
	    ok && st->pw.rehashed ? st->pw.out : NULL, web_now(req), &s);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, NULL));
	if (!ok)
		return (web_fail(req, WEB_ERR_BAD_CREDENTIALS));
	return (web_reply_session(req, HTTP_STATUS_OK, u.id, u.email, u.name,
	    u.role, s.token, s.csrf));
}

/*
 * POST /api/logout   (any signed-in account, CSRF)
 *   204   the session has ended and its cookie is cleared
 */
int
web_logout(struct http_request *req)
{
	struct web_state *st = web_state(req);
	int		  rc;

	rc = ops_logout(web_db, st->auth.session_id, st->auth.user_id);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, NULL));
	web_session_cookie_clear(req);
	return (web_reply_json(req, HTTP_STATUS_NO_CONTENT, NULL));
}

/*
 * GET /api/me   (any signed-in account)
 *   200 {user, csrf_token}
 */
int
web_me(struct http_request *req)
{
	struct web_state *st = web_state(req);

	return (web_reply_json(req, HTTP_STATUS_OK,
	    json_pack("{s:{s:I,s:s,s:s,s:s},s:s}", "user", "id",
		(json_int_t)st->auth.user_id, "email", st->auth.email, "name",
		st->auth.name, "role", role_name(st->auth.role), "csrf_token",
		st->auth.csrf)));
}

/*
 * The common part of the token + new password routes: checks the token
 * and the password, hashes, then calls finish(). kind is invite or reset.
 */
static int
token_password(struct http_request *req, const char *kind)
{
	struct web_state  *st = web_state(req);
	struct ops_session s;
	struct ops_error   e = { 0 };
	const char	  *token, *password;
	char		   addr[64];
	int64_t		   user_id;
	int		   rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(
		req, "{s:s,s:s!}", "token", &token, "password", &password) != 0)
		return (KORE_RESULT_OK);
	if (st->job.state == WEB_OFFLOAD_IDLE) {
		rc = ops_token_check(
		    web_db, kind, token, web_now(req), &user_id);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, NULL));
		if (!password_acceptable(req, "password", password))
			return (KORE_RESULT_OK);
		web_password_prepare(st, password, NULL);
	}
	if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (st->job.result != 0)
		return (web_fail(req, WEB_ERR_INTERNAL));
	web_client_addr(req, addr, sizeof(addr));
	rc = ops_password_by_token(
	    web_db, kind, token, st->pw.out, addr, web_now(req), &s, &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (reply_session_for(req, HTTP_STATUS_OK, s.user_id, &s));
}

/*
 * POST /api/invitations/accept {token, password}
 *   200 {user, csrf_token}  the password is set; signed in
 *   400 invalid_token       unknown, used or expired invitation
 *   422 unprocessable       the password is refused (error.field)
 */
int
web_invitation_accept(struct http_request *req)
{
	return (token_password(req, "invite"));
}

/*
 * POST /api/password/reset {token, password}
 *   200 {user, csrf_token}  the password is set, every other session of
 *                           the account ended; signed in
 *   400 invalid_token       unknown, used or expired link
 *   422 unprocessable       the password is refused (error.field)
 */
int
web_password_reset(struct http_request *req)
{
	return (token_password(req, "reset"));
}

/*
 * POST /api/password/forgot {email}
 *   202 {status:"accepted"}  the same answer whether or not the address
 *                            has an account; if it has, a link is mailed
 */
int
web_password_forgot(struct http_request *req)
{
	const char *email;
	char	    addr[64];
	int	    rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s!}", "email", &email) != 0)
		return (KORE_RESULT_OK);
	web_client_addr(req, addr, sizeof(addr));
	if ((rc = ops_forgot(
		 web_db, &web_settings, email, addr, web_now(req))) != OPS_OK)
		return (web_fail_ops(req, rc, NULL));
	return (web_reply_json(req, HTTP_STATUS_ACCEPTED,
	    json_pack("{s:s}", "status", "accepted")));
}

/*
 * POST /api/setup {token, email, name, password}
 *   201 {user, csrf_token}  the first director; signed in
 *   400 invalid_token       the setup link is unknown, used or expired,
 *                           or an account exists already
 *   422 unprocessable       a field is refused (error.field)
 */
int
web_setup(struct http_request *req)
{
	struct web_state  *st = web_state(req);
	struct ops_session s;
	struct ops_error   e = { 0 };
	const char	  *token, *email, *name, *password;
	char		   addr[64];
	int64_t		   none;
	int		   rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s,s:s,s:s,s:s!}", "token", &token, "email",
		&email, "name", &name, "password", &password) != 0)
		return (KORE_RESULT_OK);
	if (st->job.state == WEB_OFFLOAD_IDLE) {
		rc = ops_token_check(
		    web_db, "setup", token, web_now(req), &none);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, NULL));
		if ((rc = ops_user_check(email, name, "director", &e)) != 0)
			return (web_fail_ops(req, rc, &e));
		if (!password_acceptable(req, "password", password))
			return (KORE_RESULT_OK);
		web_password_prepare(st, password, NULL);
	}
	if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (st->job.result != 0)
		return (web_fail(req, WEB_ERR_INTERNAL));
	web_client_addr(req, addr, sizeof(addr));
	rc = ops_setup_director(web_db, token, email, name, st->pw.out, addr,
	    web_now(req), &s, &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (reply_session_for(req, HTTP_STATUS_CREATED, s.user_id, &s));
}

/*
 * PUT /api/me/password {current_password, new_password}
 *                             (any signed-in account, CSRF)
 *   200 {status:"changed"}    every other session of the account ended
 *   422 unprocessable         the current password is wrong, or the new
 *                             one is refused (error.field names which)
 */
int
web_password_change(struct http_request *req)
{
	struct web_state *st = web_state(req);
	struct ops_error  e = { 0 };
	struct db_user	  u;
	const char	 *current, *fresh;
	char		  addr[64];
	int		  rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s,s:s!}", "current_password", &current,
		"new_password", &fresh) != 0)
		return (KORE_RESULT_OK);
	web_client_addr(req, addr, sizeof(addr));

	/*
	 * Phase 0: verify the current password, throttled like a sign-in
	 * (a stolen session must not become a guessing oracle); phase 1:
	 * hash the new one.
	 */
	if (st->job.state == WEB_OFFLOAD_IDLE && st->user_id == 0) {
		if (!password_acceptable(req, "new_password", fresh))
			return (KORE_RESULT_OK);
		rc = ops_attempt_begin(
		    web_db, st->auth.email, addr, web_now(req), &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		if ((rc = db_user_by_id(web_db, st->auth.user_id, &u)) != 1)
			return (web_fail_db(req, rc == 0 ? DB_ERROR : rc));
		web_password_prepare(st, current,
		    u.pwhash[0] != '\0' ? u.pwhash : web_dummy_hash);
		sodium_memzero(u.pwhash, sizeof(u.pwhash));
	}
	if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (st->job.result != 0)
		return (web_fail(req, WEB_ERR_INTERNAL));
	if (st->user_id == 0) {
		rc = ops_attempt_end(web_db, st->auth.email, addr, st->pw.ok,
		    st->auth.user_id, "password.change_failed");
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, NULL));
		if (!st->pw.ok)
			return (web_fail_field(req, WEB_ERR_UNPROCESSABLE,
			    "current_password",
			    "The current password is not right."));
		st->user_id = st->auth.user_id;
		st->job.state = WEB_OFFLOAD_IDLE;
		sodium_memzero(&st->pw, sizeof(st->pw));
		web_password_prepare(st, fresh, NULL);
		if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
			return (KORE_RESULT_RETRY);
		if (st->job.result != 0)
			return (web_fail(req, WEB_ERR_INTERNAL));
	}
	rc = ops_password_change(web_db, st->auth.user_id, st->auth.session_id,
	    st->pw.out, web_now(req));
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, NULL));
	return (web_reply_json(
	    req, HTTP_STATUS_OK, json_pack("{s:s}", "status", "changed")));
}
