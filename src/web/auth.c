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
#include <time.h>

#include <sodium.h>

#include "core/session.h"
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
 * Finds the live session of the request's cookie: 1 with s and role set,
 * 0 when there is none (or it has ended), or a DB_E* code.
 */
static int
session_find(struct http_request *req, struct db_session *s, enum role *role)
{
	char	      token[TOKEN_LEN + 1];
	unsigned char hash[TOKEN_HASH_LEN];
	int64_t	      now;
	int	      rc;

	if (!web_session_token(req, token) || token_hash(token, hash) != 0)
		return (0);
	sodium_memzero(token, sizeof(token));
	if ((rc = db_session_lookup(web_db, hash, s)) <= 0)
		return (rc);
	now = web_now(req);
	if (s->user.disabled ||
	    !session_alive(now, s->created_at, s->last_seen_at) ||
	    role_parse(s->user.role, role) != 0) {
		(void)db_session_delete(web_db, s->id);
		return (0);
	}
	/* Best effort: a busy database only delays the idle clock. */
	if (session_needs_touch(now, s->last_seen_at))
		(void)db_session_touch(web_db, s->id, now);
	return (1);
}

static int
gate(struct http_request *req, unsigned int roles)
{
	struct web_state *st = web_state(req);
	struct db_session s;
	const char	 *csrf;
	enum role	  role;
	int		  rc;

	if ((rc = session_find(req, &s, &role)) < 0) {
		web_fail_db(req, rc);
		return (KORE_RESULT_ERROR);
	}
	if (rc == 0)
		return (unauthorized(req));
	if ((roles & ROLE_BIT(role)) == 0) {
		web_fail(req, WEB_ERR_FORBIDDEN);
		return (KORE_RESULT_ERROR);
	}
	if (state_changing(req) &&
	    (!http_request_header(req, "x-csrf-token", &csrf) ||
		strlen(csrf) != strlen(s.csrf) ||
		sodium_memcmp(csrf, s.csrf, strlen(s.csrf)) != 0)) {
		web_fail(req, WEB_ERR_CSRF);
		return (KORE_RESULT_ERROR);
	}
	st->authed = 1;
	st->auth.user_id = s.user.id;
	st->auth.session_id = s.id;
	st->auth.role = role;
	(void)snprintf(
	    st->auth.email, sizeof(st->auth.email), "%s", s.user.email);
	(void)snprintf(st->auth.name, sizeof(st->auth.name), "%s", s.user.name);
	(void)snprintf(st->auth.csrf, sizeof(st->auth.csrf), "%s", s.csrf);
	sodium_memzero(s.csrf, sizeof(s.csrf));
	return (KORE_RESULT_OK);
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
	struct db_session s;
	enum role	  role;
	int		  rc;

	if ((rc = session_find(req, &s, &role)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0)
		return (web_reply_json(
		    req, HTTP_STATUS_OK, json_pack("{s:n}", "user")));
	rc = web_reply_json(req, HTTP_STATUS_OK,
	    json_pack("{s:{s:I,s:s,s:s,s:s},s:s}", "user", "id",
		(json_int_t)s.user.id, "email", s.user.email, "name",
		s.user.name, "role", s.user.role, "csrf_token", s.csrf));
	sodium_memzero(s.csrf, sizeof(s.csrf));
	return (rc);
}
