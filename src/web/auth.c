/*
 * The authentication gates named in conf/routes.conf. Each is a Kore
 * "request" validator: it finds the session from the cookie, checks that
 * the session is alive and its account enabled, that the account's role is
 * one the gate admits, and for every state-changing method that the
 * X-CSRF-Token header carries the session's token. On success the account
 * is in web_state(req)->auth for the handler; on failure the gate answers
 * itself:
 *
 *   401 unauthorized   no session, or it ended (idle, absolute, disabled)
 *   403 forbidden      the role may not use this route
 *   403 csrf           a state-changing request without the right token
 */
#include <string.h>

#include <sodium.h>

#include "core/token.h"
#include "ops/accounts.h"
#include "web/web.h"

#define ROLE_BIT(r) (1u << (r))
#define GATE_USER                                                              \
	(ROLE_BIT(ROLE_APPLICANT) | ROLE_BIT(ROLE_FACULTY) |                   \
	    ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_DIRECTOR))
#define GATE_STAFF    (ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_DIRECTOR))
#define GATE_REVIEWER (GATE_STAFF | ROLE_BIT(ROLE_FACULTY))

WEB_EXPORT int web_gate_user(struct http_request *, const void *);
WEB_EXPORT int web_gate_staff(struct http_request *, const void *);
WEB_EXPORT int web_gate_reviewer(struct http_request *, const void *);
WEB_EXPORT int web_session(struct http_request *);

static int
state_changing(struct http_request *req)
{
	return (
	    req->method != HTTP_METHOD_GET && req->method != HTTP_METHOD_HEAD);
}

static int
unauthorized(struct http_request *req)
{
	web_session_cookie_clear(req);
	web_fail(req, WEB_ERR_UNAUTHORIZED);
	return (KORE_RESULT_ERROR);
}

/*
 * The hash of the request's session cookie into hash: 1, or 0 when there
 * is no cookie of the right shape. The token itself is wiped at once.
 */
static int
cookie_hash(struct http_request *req, unsigned char hash[TOKEN_HASH_LEN])
{
	char token[TOKEN_LEN + 1];
	int  ok;

	if (!web_session_token(req, token))
		return (0);
	ok = token_hash(token, hash) == 0;
	sodium_memzero(token, sizeof(token));
	return (ok);
}

/* Whether the request carries the session's CSRF token, compared in
 * constant time. */
static int
csrf_ok(struct http_request *req, const char *expected)
{
	const char *csrf;
	size_t	    len = strlen(expected);

	return (http_request_header(req, "x-csrf-token", &csrf) &&
	    strlen(csrf) == len && sodium_memcmp(csrf, expected, len) == 0);
}

static int
gate(struct http_request *req, unsigned int roles)
{
	struct web_state *st = web_state(req);
	struct ops_signin who;
	unsigned char	  hash[TOKEN_HASH_LEN];
	int		  rc;

	if (!cookie_hash(req, hash))
		return (unauthorized(req));
	rc = ops_session_find(web_db, hash, web_now(req), &who);
	if (rc == OPS_NOT_FOUND)
		rc = unauthorized(req);
	else if (rc != OPS_OK) {
		web_fail_ops(req, rc, NULL);
		rc = KORE_RESULT_ERROR;
	} else if ((roles & ROLE_BIT(who.role)) == 0) {
		web_fail(req, WEB_ERR_FORBIDDEN);
		rc = KORE_RESULT_ERROR;
	} else if (state_changing(req) && !csrf_ok(req, who.csrf)) {
		web_fail(req, WEB_ERR_CSRF);
		rc = KORE_RESULT_ERROR;
	} else {
		st->auth = who;
		st->authed = 1;
		rc = KORE_RESULT_OK;
	}
	sodium_memzero(&who, sizeof(who));
	return (rc);
}

/* Any signed-in account. */
int
web_gate_user(struct http_request *req, const void *data)
{
	(void)data;
	return (gate(req, GATE_USER));
}

/* The coordinator and the director. */
int
web_gate_staff(struct http_request *req, const void *data)
{
	(void)data;
	return (gate(req, GATE_STAFF));
}

/* Faculty, the coordinator and the director. */
int
web_gate_reviewer(struct http_request *req, const void *data)
{
	(void)data;
	return (gate(req, GATE_REVIEWER));
}

/*
 * GET /api/session   (public)
 *   200 {user, csrf_token} when signed in, {user: null} when not: how the
 *       front end learns at start-up whether anyone is signed in, without
 *       an error for the common case of nobody
 */
int
web_session(struct http_request *req)
{
	unsigned char hash[TOKEN_HASH_LEN];
	json_t	     *out = NULL;
	int	      rc;

	rc = ops_session_view(
	    web_db, cookie_hash(req, hash) ? hash : NULL, web_now(req), &out);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, NULL));
}
