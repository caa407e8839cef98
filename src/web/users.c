/*
 * People: the staff's list of accounts, invitations, role changes and
 * disabling (the rules are in core/access.c, applied by ops/accounts.c,
 * which also builds the views).
 */
#include <stdint.h>

#include "ops/accounts.h"
#include "web/web.h"

WEB_EXPORT int web_users(struct http_request *);
WEB_EXPORT int web_users_update(struct http_request *);
WEB_EXPORT int web_users_reinvite(struct http_request *);

static int users_list(struct http_request *);
static int users_invite(struct http_request *);

/* /api/users: GET lists, POST invites (the route restricts the rest). */
int
web_users(struct http_request *req)
{
	if (req->method == HTTP_METHOD_POST)
		return (users_invite(req));
	return (users_list(req));
}

/*
 * GET /api/users?after=ID&limit=N   (coordinator, director)
 *   200 {users:[{id,email,name,role,disabled,active,created_at}],
 *        next_after}   accounts by id; next_after is null on the last page
 *   400 bad_request     a query argument is out of range
 */
static int
users_list(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 after, limit;
	int		 rc;

	http_populate_get(req);
	if (web_query_int(req, "after", 0, INT64_MAX, &after) != 0 ||
	    web_query_int(req, "limit", OPS_USERS_PAGE_DEFAULT,
		OPS_USERS_PAGE_MAX, &limit) != 0 ||
	    limit == 0)
		return (web_fail_msg(req, WEB_ERR_BAD_REQUEST,
		    "after must be an id and limit between 1 and 500."));
	rc = ops_users_list(web_db, web_actor(req), after, limit, &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * POST /api/users {email, name, role}   (coordinator, director; CSRF)
 *   201 {user}         the account, with an invitation link mailed
 *   403 forbidden      the coordinator may not invite a director
 *   409 conflict       the e-mail address has an account
 *   422 unprocessable  a field is refused (error.field names it)
 */
static int
users_invite(struct http_request *req)
{
	struct ops_error e = { 0 };
	const char	*email, *name, *role;
	json_t		*out = NULL;
	int		 rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s,s:s,s:s!}", "email", &email, "name", &name,
		"role", &role) != 0)
		return (KORE_RESULT_OK);
	rc = ops_invite(web_db, &web_settings, web_actor(req), email, name,
	    role, web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_CREATED, out, &e));
}

/*
 * PATCH /api/users/{id} {role?, disabled?}   (coordinator, director; CSRF)
 *   200 {user}         changed; a new role or disabling ends the
 *                      account's sessions at once
 *   400 bad_json       neither role nor disabled, or another key
 *   403 forbidden      not allowed (a director's account, making a
 *                      director, or one's own role or account)
 *   404 not_found      no such account
 *   422 unprocessable  the role is not a role
 */
int
web_users_update(struct http_request *req)
{
	struct ops_error e = { 0 };
	const char	*role = NULL;
	json_t		*out = NULL;
	int		 disabled = -1, rc;
	int64_t		 id;

	if ((id = web_path_id(req, "/api/users/")) == 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	if (web_json_body(req) == NULL ||
	    web_unpack(
		req, "{s?s,s?b!}", "role", &role, "disabled", &disabled) != 0)
		return (KORE_RESULT_OK);
	if (role == NULL && disabled == -1)
		return (web_fail_msg(
		    req, WEB_ERR_BAD_JSON, "Send role, disabled or both."));
	rc = ops_user_update(
	    web_db, web_actor(req), id, role, disabled, &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * POST /api/users/{id}/invite   (coordinator, director; CSRF)
 *   202 {status:"sent"}   a new invitation link mailed; older links of
 *                         the account stop working
 *   403 forbidden         the coordinator and a director's account
 *   404 not_found         no such account
 *   409 conflict          the account is active (or disabled) already
 */
int
web_users_reinvite(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 id;
	int		 rc;

	if ((id = web_path_id(req, "/api/users/")) == 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	rc = ops_reinvite(
	    web_db, &web_settings, web_actor(req), id, web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_ACCEPTED, out, &e));
}
