/*
 * Signing up, in and out, and everything done with a password: accepting
 * an invitation, the first director's setup, forgotten and changed
 * passwords. Every Argon2id computation runs on a task thread through
 * web_password_job(); these handlers are therefore called twice, once to
 * check the input and start the hash (one operation), once more when it
 * is done (one more operation, which answers with the view to send).
 */
#include <string.h>

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

/* Sends the reply of an operation that started a session: its cookie
 * and view, or the operation's error. */
static int
reply_session(struct http_request *req, int rc, int status,
    struct ops_session *s, json_t *view, const struct ops_error *e)
{
	if (rc != OPS_OK) {
		json_decref(view);
		rc = web_fail_ops(req, rc, e);
	} else
		rc = web_reply_session(req, status, s, view);
	sodium_memzero(s, sizeof(*s));
	return (rc);
}

/* The password work failed (a task thread could not run or hash). */
static int
password_failed(struct http_request *req)
{
	return (web_fail(req, WEB_ERR_INTERNAL));
}

/*
 * POST /api/register {email, password, name}
 *   201 {user, csrf_token}  an applicant account, signed in
 *   409 conflict            the e-mail address has an account
 *   422 unprocessable       a field is refused (error.field names it)
 *   429 too_many_attempts   too many registrations from the address
 *   400, 413, 415           not a JSON object of exactly these keys
 */
int
web_register(struct http_request *req)
{
	struct web_state  *st = web_state(req);
	struct ops_session s = { 0 };
	struct ops_error   e = { 0 };
	const char	  *email, *password, *name;
	char		   addr[64];
	json_t		  *out = NULL;
	int		   rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s,s:s,s:s!}", "email", &email, "password",
		&password, "name", &name) != 0)
		return (KORE_RESULT_OK);
	web_client_addr(req, addr, sizeof(addr));
	if (st->job.state == WEB_OFFLOAD_IDLE) {
		rc = ops_register_begin(
		    web_db, email, name, password, addr, web_now(req), &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		web_password_prepare(st, password, NULL);
	}
	if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (st->job.result != 0)
		return (password_failed(req));
	rc = ops_register(
	    web_db, email, name, st->pw.out, addr, web_now(req), &s, &out, &e);
	return (reply_session(req, rc, HTTP_STATUS_CREATED, &s, out, &e));
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
	struct web_state     *st = web_state(req);
	struct ops_session    s = { 0 };
	struct ops_error      e = { 0 };
	struct ops_credential cred;
	const char	     *email, *password;
	char		      addr[64];
	json_t		     *out = NULL;
	int		      rc, ok;

	if (web_json_body(req) == NULL ||
	    web_unpack(
		req, "{s:s,s:s!}", "email", &email, "password", &password) != 0)
		return (KORE_RESULT_OK);
	web_client_addr(req, addr, sizeof(addr));

	if (st->job.state == WEB_OFFLOAD_IDLE) {
		if (strlen(email) > OPS_EMAIL_MAX - 1)
			return (web_fail(req, WEB_ERR_BAD_CREDENTIALS));
		/* Refused before hashing: hashing is the expensive part. */
		rc = ops_attempt_begin(
		    web_db, email, addr, web_now(req), &cred, &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		st->user_id = cred.user_id;
		web_password_prepare(st, password,
		    cred.user_id != 0 ? cred.pwhash : web_dummy_hash);
		sodium_memzero(&cred, sizeof(cred));
	}
	if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (st->job.result != 0)
		return (password_failed(req));

	ok = st->pw.ok && st->user_id != 0;
	rc = ops_login_result(web_db, email, addr, ok ? st->user_id : 0,
	    ok && st->pw.rehashed ? st->pw.out : NULL, web_now(req), &s, &out,
	    &e);
	if (rc == OPS_OK && !ok)
		return (web_fail(req, WEB_ERR_BAD_CREDENTIALS));
	return (reply_session(req, rc, HTTP_STATUS_OK, &s, out, &e));
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

	rc = ops_logout(web_db, web_actor(req), st->auth.session_id);
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
	json_t *out = NULL;
	int	rc;

	rc = ops_signin_view(&web_state(req)->auth, &out);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, NULL));
}

/*
 * The common part of the token + new password routes: checks the token
 * and the password, hashes, then sets it. kind is invite or reset.
 */
static int
token_password(struct http_request *req, const char *kind)
{
	struct web_state  *st = web_state(req);
	struct ops_session s = { 0 };
	struct ops_error   e = { 0 };
	const char	  *token, *password;
	char		   addr[64];
	json_t		  *out = NULL;
	int		   rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(
		req, "{s:s,s:s!}", "token", &token, "password", &password) != 0)
		return (KORE_RESULT_OK);
	if (st->job.state == WEB_OFFLOAD_IDLE) {
		rc = ops_password_link_check(
		    web_db, kind, token, password, web_now(req), &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		web_password_prepare(st, password, NULL);
	}
	if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (st->job.result != 0)
		return (password_failed(req));
	web_client_addr(req, addr, sizeof(addr));
	rc = ops_password_by_token(
	    web_db, kind, token, st->pw.out, addr, web_now(req), &s, &out, &e);
	return (reply_session(req, rc, HTTP_STATUS_OK, &s, out, &e));
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
	struct ops_error e = { 0 };
	const char	*email;
	char		 addr[64];
	json_t		*out = NULL;
	int		 rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s!}", "email", &email) != 0)
		return (KORE_RESULT_OK);
	web_client_addr(req, addr, sizeof(addr));
	rc = ops_forgot(
	    web_db, &web_settings, email, addr, web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_ACCEPTED, out, &e));
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
	struct ops_session s = { 0 };
	struct ops_error   e = { 0 };
	const char	  *token, *email, *name, *password;
	char		   addr[64];
	json_t		  *out = NULL;
	int		   rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s,s:s,s:s,s:s!}", "token", &token, "email",
		&email, "name", &name, "password", &password) != 0)
		return (KORE_RESULT_OK);
	if (st->job.state == WEB_OFFLOAD_IDLE) {
		rc = ops_setup_check(
		    web_db, token, email, name, password, web_now(req), &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		web_password_prepare(st, password, NULL);
	}
	if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (st->job.result != 0)
		return (password_failed(req));
	web_client_addr(req, addr, sizeof(addr));
	rc = ops_setup_director(web_db, token, email, name, st->pw.out, addr,
	    web_now(req), &s, &out, &e);
	return (reply_session(req, rc, HTTP_STATUS_CREATED, &s, out, &e));
}

/*
 * PUT /api/me/password {current_password, new_password}
 *                             (any signed-in account, CSRF)
 *   200 {status:"changed"}    every other session of the account ended
 *   422 unprocessable         the current password is wrong, or the new
 *                             one is refused (error.field names which)
 *   429 too_many_attempts     throttled like a sign-in
 */
int
web_password_change(struct http_request *req)
{
	struct web_state     *st = web_state(req);
	struct ops_error      e = { 0 };
	struct ops_credential cred;
	const char	     *current, *fresh;
	char		      addr[64];
	json_t		     *out = NULL;
	int		      rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s,s:s!}", "current_password", &current,
		"new_password", &fresh) != 0)
		return (KORE_RESULT_OK);
	web_client_addr(req, addr, sizeof(addr));

	/*
	 * Three visits: verify the current password (st->user_id 0), hash
	 * the new one (st->user_id set), then store it.
	 */
	if (st->job.state == WEB_OFFLOAD_IDLE && st->user_id == 0) {
		rc = ops_password_change_begin(web_db, web_actor(req), fresh,
		    addr, web_now(req), &cred, &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		web_password_prepare(st, current,
		    cred.user_id != 0 ? cred.pwhash : web_dummy_hash);
		sodium_memzero(&cred, sizeof(cred));
	}
	if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (st->job.result != 0)
		return (password_failed(req));
	if (st->user_id == 0) {
		if (!st->pw.ok) {
			rc = ops_attempt_end(web_db, st->auth.email, addr, 0,
			    st->auth.user_id, "password.change_failed");
			if (rc != OPS_OK)
				return (web_fail_ops(req, rc, NULL));
			return (web_fail_field(req, WEB_ERR_UNPROCESSABLE,
			    "current_password",
			    "The current password is not right."));
		}
		st->user_id = st->auth.user_id;
		st->job.state = WEB_OFFLOAD_IDLE;
		sodium_memzero(&st->pw, sizeof(st->pw));
		web_password_prepare(st, fresh, NULL);
		if (web_password_job(req, st) == WEB_OFFLOAD_PENDING)
			return (KORE_RESULT_RETRY);
		if (st->job.result != 0)
			return (password_failed(req));
	}
	rc = ops_password_change(web_db, web_actor(req), st->auth.session_id,
	    addr, st->pw.out, web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}
