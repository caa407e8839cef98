/*
 * The program the installation serves (ops/program.h).
 */
#include "ops/accounts.h"
#include "ops/program.h"
#include "web/web.h"

WEB_EXPORT int web_program(struct http_request *);

/*
 * GET /api/program   (any signed-in account)
 *   200 {id, name, positions, timezone, mail_sender, updated_at}: the
 *       program the request is about (auth.c)
 *   404 an applicant, on an installation of more than one program
 * PATCH /api/program {name}   (the director; CSRF)
 *   200 the renamed program   audited as program.rename
 *   403 not the director
 *   422 name (empty, only spaces, over 200 characters, control
 *       characters)
 */
int
web_program(struct http_request *req)
{
	json_t		*out = NULL;
	const char	*name = NULL;
	int		 rc;
	struct ops_error e;

	if (req->method == HTTP_METHOD_GET) {
		rc = ops_program_view(web_db, web_actor(req).program, &out);
		/* An applicant's account belongs to no program, unless the
		 * installation has only one. */
		if (rc == OPS_OK && json_is_null(out)) {
			json_decref(out);
			return (web_fail_msg(req, WEB_ERR_NOT_FOUND,
			    "Your account belongs to no program: an applicant "
			    "applies to any program's cycle."));
		}
		return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, NULL));
	}
	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s!}", "name", &name) != 0)
		return (KORE_RESULT_OK);
	rc = ops_program_rename(
	    web_db, web_actor(req), name, web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

WEB_EXPORT int web_admin_programs(struct http_request *);
WEB_EXPORT int web_admin_people(struct http_request *);
WEB_EXPORT int web_admin_person(struct http_request *);

/*
 * GET /api/admin/programs   (an administrator of the installation)
 *   200 {programs: [{id, name, positions, timezone, mail_sender,
 *       updated_at, people, directors: [{id, name, email}]}],
 *       timezones: [the zones a program may have]}
 * POST /api/admin/programs {name, director_email, director_name,
 *     positions?, timezone?, mail_sender?}   (CSRF)
 *   201 the new program's row; its director is mailed an invitation
 *       (a new account) or given the role (an account the installation
 *       has); audited as program.create and user.invite
 *   409 the name is another program's, or the address an applicant's
 *   422 a field (named)
 */
int
web_admin_programs(struct http_request *req)
{
	struct ops_program_new in = { 0 };
	struct ops_error       e;
	json_t		      *out = NULL;
	json_int_t	       positions = 0;
	int64_t		       id;
	int		       rc;

	if (req->method == HTTP_METHOD_GET) {
		rc = ops_programs_list(
		    web_db, web_state(req)->auth.admin, &out, &e);
		return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
	}
	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s,s:s,s:s,s?I,s?s,s?s!}", "name", &in.name,
		"director_email", &in.director_email, "director_name",
		&in.director_name, "positions", &positions, "timezone",
		&in.timezone, "mail_sender", &in.mail_sender) != 0)
		return (KORE_RESULT_OK);
	if (positions < 0 || positions > 1000)
		positions = -1;
	in.positions = positions;
	rc = ops_program_create(web_db, &web_settings, web_actor(req).id,
	    web_state(req)->auth.admin, &in, web_now(req), &id, &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_CREATED, out, &e));
}

/*
 * GET /api/admin/people?after=&limit=   (an administrator)
 *   200 {people: [{id, email, name, disabled, active, created_at, kind,
 *       admin, programs: [{id, name, role}]}], next_after}
 */
int
web_admin_people(struct http_request *req)
{
	struct ops_error e;
	json_t		*out = NULL;
	int64_t		 after, limit;
	int		 rc;

	http_populate_get(req);
	if (web_query_int(req, "after", 0, INT64_MAX, &after) != 0 ||
	    web_query_int(req, "limit", 100, 500, &limit) != 0)
		return (web_fail_field(req, WEB_ERR_BAD_REQUEST, "limit",
		    "after must be an id and limit between 1 and 500."));
	rc = ops_admin_people(
	    web_db, web_state(req)->auth.admin, after, limit, &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * PATCH /api/admin/people/{id} {disabled}   (an administrator; CSRF)
 *   200 {person} as GET /api/admin/people lists them; disabling ends the
 *       account's sessions; audited as user.disable or user.enable
 *   403 not an administrator, or their own account
 *   404 no such account
 */
int
web_admin_person(struct http_request *req)
{
	struct ops_error e;
	json_t		*out = NULL;
	int		 disabled = 0, rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:b!}", "disabled", &disabled) != 0)
		return (KORE_RESULT_OK);
	rc = ops_admin_user_update(web_db, web_state(req)->auth.admin,
	    web_actor(req).id, web_path_id(req, "/api/admin/people/"), disabled,
	    &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}
