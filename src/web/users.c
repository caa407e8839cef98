/*
 * People: the staff's list of accounts, invitations, role changes and
 * disabling (the rules are in core/access.c, applied by ops/accounts.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops/accounts.h"
#include "web/web.h"

#define PAGE_DEFAULT 100
#define PAGE_MAX     500

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

static json_t *
user_json(const struct db_user *u)
{
	return (json_pack("{s:I,s:s,s:s,s:s,s:b,s:b,s:s}", "id",
	    (json_int_t)u->id, "email", u->email, "name", u->name, "role",
	    u->role, "disabled", u->disabled, "active", u->pwhash[0] != '\0',
	    "created_at", u->created_at));
}

static int
add_user(void *arg, const struct db_user *u)
{
	return (json_array_append_new(arg, user_json(u)) == 0 ? 0 : -1);
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
	json_t *users;
	int64_t after, limit;
	size_t	n;
	int	rc;

	http_populate_get(req);
	if (web_query_int(req, "after", 0, INT64_MAX, &after) != 0 ||
	    web_query_int(req, "limit", PAGE_DEFAULT, PAGE_MAX, &limit) != 0 ||
	    limit == 0)
		return (web_fail_msg(req, WEB_ERR_BAD_REQUEST,
		    "after must be an id and limit between 1 and 500."));
	users = json_array();
	if ((rc = db_user_list(web_db, after, (int)limit, add_user, users)) !=
	    0) {
		json_decref(users);
		return (web_fail_db(req, rc < 0 ? rc : DB_ERROR));
	}
	n = json_array_size(users);
	return (web_reply_json(req, HTTP_STATUS_OK,
	    json_pack("{s:o,s:o}", "users", users, "next_after",
		(int64_t)n == limit
		    ? json_integer(json_integer_value(
			  json_object_get(json_array_get(users, n - 1), "id")))
		    : json_null())));
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
	struct db_user	 u;
	const char	*email, *name, *role;
	int64_t		 id;
	int		 rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s,s:s,s:s!}", "email", &email, "name", &name,
		"role", &role) != 0)
		return (KORE_RESULT_OK);
	rc = ops_invite(web_db, &web_settings, web_actor(req), email, name,
	    role, web_now(req), &id, &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	if ((rc = db_user_by_id(web_db, id, &u)) != 1)
		return (web_fail_db(req, rc == 0 ? DB_ERROR : rc));
	return (web_reply_json(req, HTTP_STATUS_CREATED,
	    json_pack("{s:o}", "user", user_json(&u))));
}

/*
 * PATCH /api/users/{id} {role?, disabled?}   (coordinator, director; CSRF)
 *   200 {user}         changed; a new role or disabling ends the
 *                      account's sessions at once
 *   403 forbidden      not allowed (a director's account, making a
 *                      director, or one's own role or account)
 *   404 not_found      no such account
 *   422 unprocessable  the role is not a role
 */
int
web_users_update(struct http_request *req)
{
	struct ops_error e = { 0 };
	struct db_user	 u;
	const char	*role = NULL;
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
	if ((rc = ops_user_update(
		 web_db, web_actor(req), id, role, disabled, &e)) != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	if ((rc = db_user_by_id(web_db, id, &u)) != 1)
		return (web_fail_db(req, rc == 0 ? DB_ERROR : rc));
	return (web_reply_json(
	    req, HTTP_STATUS_OK, json_pack("{s:o}", "user", user_json(&u))));
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
	int64_t		 id;
	int		 rc;

	if ((id = web_path_id(req, "/api/users/")) == 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	rc = ops_reinvite(
	    web_db, &web_settings, web_actor(req), id, web_now(req), &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (web_reply_json(
	    req, HTTP_STATUS_ACCEPTED, json_pack("{s:s}", "status", "sent")));
}
