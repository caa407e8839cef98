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
 *   400 bad request    an X-Program header that is not a program's id
 *   404 not found      the path's object is of a program the account has
 *                      no role in (as if it did not exist)
 *   403 forbidden      the role may not use this route, or the account has
 *                      no role in the program the request is about
 *
 * The role is the account's in the program the request is about
 * (ops_session_find()): the program of the object the path names (a
 * cycle, an application, a document, ...); else the one the X-Program
 * header names, as the page's program switcher sends it; else the
 * account's first.
 *   403 csrf           a state-changing request without the right token
 */
#include <errno.h>
#include <stdlib.h>
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

WEB_EXPORT int web_gate_account(struct http_request *, const void *);
WEB_EXPORT int web_gate_admin(struct http_request *, const void *);
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

/* The routes whose path begins with an object of a program's, and what
 * that object is. */
static const struct {
	const char    *prefix;
	enum db_object kind;
	const char    *missing;
} path_objects[] = {
	{ "/api/cycles/", DB_OBJ_CYCLE, "There is no such cycle." },
	{ "/api/applications/", DB_OBJ_APPLICATION,
	    "There is no such application." },
	{ "/api/documents/", DB_OBJ_DOCUMENT, "There is no such document." },
	{ "/api/letters/", DB_OBJ_LETTER, "There is no such letter." },
	{ "/api/conflicts/", DB_OBJ_CONFLICT, "There is no such conflict." },
	{ "/api/conflict-requests/", DB_OBJ_CONFLICT_REQUEST,
	    "There is no such request." },
	{ "/api/interview-days/", DB_OBJ_INTERVIEW_DAY,
	    "There is no such interview day." },
	{ "/api/interview-slots/", DB_OBJ_INTERVIEW_SLOT,
	    "There is no such interview slot." },
};

/*
 * What the request is about (ops/accounts.h struct ops_scope) into sc:
 * the object its path begins with, and the program its X-Program header
 * names. 1, or 0 for a header that is not a program's id. *missing is
 * the sentence for an object of another program's (NULL: no object).
 */
static int
request_scope(
    struct http_request *req, struct ops_scope *sc, const char **missing)
{
	const char *path = req->path, *v;
	char	   *end;
	long long   n;
	size_t	    i, len;

	memset(sc, 0, sizeof(*sc));
	*missing = NULL;
	for (i = 0; i < sizeof(path_objects) / sizeof(path_objects[0]); i++) {
		len = strlen(path_objects[i].prefix);
		if (strncmp(path, path_objects[i].prefix, len) != 0)
			continue;
		errno = 0;
		n = strtoll(path + len, &end, 10);
		if (end != path + len && errno == 0 && n > 0 &&
		    (*end == '\0' || *end == '/' || *end == '.')) {
			sc->object = 1;
			sc->kind = path_objects[i].kind;
			sc->id = n;
			*missing = path_objects[i].missing;
		}
		break;
	}
	if (!http_request_header(req, "x-program", &v))
		return (1);
	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || n <= 0 || strlen(v) > 18)
		return (0);
	sc->program = n;
	return (1);
}

/* What a gate admits beside roles: any account, whatever its roles
 * (GATE_ACCOUNT), or an administrator's (GATE_ADMIN). */
#define GATE_ACCOUNT (1u << 30)
#define GATE_ADMIN   (1u << 29)

static int
gate(struct http_request *req, unsigned int roles)
{
	struct web_state *st = web_state(req);
	struct ops_signin who;
	struct ops_scope  sc;
	const char	 *missing;
	unsigned char	  hash[TOKEN_HASH_LEN];
	int		  rc;

	if (!cookie_hash(req, hash))
		return (unauthorized(req));
	if (!request_scope(req, &sc, &missing)) {
		web_fail_field(req, WEB_ERR_BAD_REQUEST, "X-Program",
		    "X-Program must be the id of a program.");
		return (KORE_RESULT_ERROR);
	}
	rc = ops_session_find(web_db, hash, web_now(req), &sc, &who);
	if (rc == OPS_NOT_FOUND)
		rc = unauthorized(req);
	else if (rc != OPS_OK) {
		web_fail_ops(req, rc, NULL);
		rc = KORE_RESULT_ERROR;
	} else if ((roles & GATE_ADMIN) && !who.admin) {
		web_fail_msg(req, WEB_ERR_FORBIDDEN,
		    "Only the installation's administrators may do this.");
		rc = KORE_RESULT_ERROR;
	} else if ((roles & (GATE_ACCOUNT | GATE_ADMIN)) == 0 && !who.member &&
	    missing != NULL && who.object_program != 0) {
		/* Another program's object: as if there were none. */
		web_fail_msg(req, WEB_ERR_NOT_FOUND, missing);
		rc = KORE_RESULT_ERROR;
	} else if ((roles & (GATE_ACCOUNT | GATE_ADMIN)) == 0 && !who.member) {
		web_fail_msg(req, WEB_ERR_FORBIDDEN,
		    "You have no role in this program.");
		rc = KORE_RESULT_ERROR;
	} else if ((roles & (GATE_ACCOUNT | GATE_ADMIN)) == 0 &&
	    (roles & ROLE_BIT(who.role)) == 0) {
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

/* Any signed-in account, with a role in a program or none (sign-out, the
 * account's own page and password). */
int
web_gate_account(struct http_request *req, const void *data)
{
	(void)data;
	return (gate(req, GATE_ACCOUNT));
}

/* An administrator of the installation (programs and people). */
int
web_gate_admin(struct http_request *req, const void *data)
{
	(void)data;
	return (gate(req, GATE_ADMIN));
}

/* Any signed-in account with a role in the request's program (every
 * applicant's has). */
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

	struct ops_scope sc;
	const char	*missing;

	if (!request_scope(req, &sc, &missing))
		return (web_fail_field(req, WEB_ERR_BAD_REQUEST, "X-Program",
		    "X-Program must be the id of a program."));
	rc = ops_session_view(web_db, cookie_hash(req, hash) ? hash : NULL,
	    sc.program, web_now(req), &out);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, NULL));
}
