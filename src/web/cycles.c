/*
 * Cycles and applications over HTTP. The gates of routes.conf admit the
 * roles; each handler parses its request, calls one operation of
 * ops/cycles.h and replies with its view or its refusal. Which cycle or
 * application a user may reach is decided there (ops/access.h), and
 * anything a user may not see answers 404, so that nobody learns whether
 * another applicant's application exists.
 */
#include "ops/cycles.h"
#include "web/web.h"

#define CYCLES "/api/cycles/"
#define APPS   "/api/applications/"

WEB_EXPORT int web_cycles(struct http_request *);
WEB_EXPORT int web_cycle(struct http_request *);
WEB_EXPORT int web_my_application(struct http_request *);
WEB_EXPORT int web_my_application_submit(struct http_request *);
WEB_EXPORT int web_my_application_copy(struct http_request *);
WEB_EXPORT int web_cycle_applications(struct http_request *);
WEB_EXPORT int web_application(struct http_request *);
WEB_EXPORT int web_application_withdraw(struct http_request *);
WEB_EXPORT int web_application_reopen(struct http_request *);

/*
 * GET /api/cycles          (any signed-in account)
 *   200 {cycles:[...], timezones:[...]}  applicants and faculty do not
 *                                        see cycles still in setup
 * POST /api/cycles {year, name, positions?, timezone?, applications_open,
 *                   applications_close, interviews_start, interviews_end,
 *                   ranklist_due}   (director; CSRF)
 *   201 {cycle}
 *   400 bad_json
 *   403 forbidden       not the director
 *   422 unprocessable   a value is refused (error.field names it)
 */
int
web_cycles(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *in;
	int		 rc;

	if (req->method == HTTP_METHOD_POST) {
		if ((in = web_json_body(req)) == NULL)
			return (KORE_RESULT_OK);
		rc = ops_cycle_create(
		    web_db, web_actor(req), in, web_now(req), &out, &e);
		return (web_reply_ops(req, rc, HTTP_STATUS_CREATED, out, &e));
	}
	rc = ops_cycles_view(web_db, web_actor(req), web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/cycles/{id}     (any signed-in account)
 *   200 {cycle}; 404 when absent, or in setup for non-staff
 * PATCH /api/cycles/{id} {any key of POST /api/cycles, state?}
 *                          (director; the coordinator dates only; CSRF)
 *   200 {cycle}
 *   400 bad_json
 *   403 forbidden       not staff, or a coordinator changing more than
 *                       dates (error.field names the first such key)
 *   404 not_found       no such cycle
 *   422 unprocessable   a value or a state step is refused (error.field)
 */
int
web_cycle(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *in;
	int64_t		 id = web_path_id(req, CYCLES);
	int		 rc;

	if (req->method == HTTP_METHOD_PATCH) {
		if ((in = web_json_body(req)) == NULL)
			return (KORE_RESULT_OK);
		rc = ops_cycle_update(
		    web_db, web_actor(req), id, in, web_now(req), &out, &e);
	} else
		rc = ops_cycle_view(
		    web_db, web_actor(req), id, web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/cycles/{id}/application      (applicant)
 *   200 {application}   the own application, created as an empty draft
 *                       while the cycle accepts applications; with its
 *                       fields, checklist (missing, complete), schema and
 *                       editable
 *   403 forbidden       not an applicant
 *   404 not_found       no such cycle open to applicants, or closed
 *                       without an application
 * PUT /api/cycles/{id}/application {fields:{key: value|null}} (CSRF)
 *   200 {application}   the changed fields saved
 *   400 bad_json        not {fields: an object}
 *   403 forbidden       not an applicant; submitted, withdrawn, or past
 *                       the deadline
 *   422 unprocessable   a value is refused (error.field); nothing saved
 */
int
web_my_application(struct http_request *req)
{
	struct ops_error e = { 0 };
	struct ops_actor actor = web_actor(req);
	json_t		*out = NULL, *changes = NULL;
	int64_t		 cycle = web_path_id(req, CYCLES);
	int		 rc;

	if (req->method == HTTP_METHOD_PUT) {
		/*
		 * The route admits every account; other roles are refused
		 * before their body is read, as a gate would, whatever they
		 * send. ops_application_save() holds the rule.
		 */
		if (actor.role != ROLE_APPLICANT)
			return (web_fail_msg(req, WEB_ERR_FORBIDDEN,
			    "Only applicants have applications."));
		if (web_json_body(req) == NULL ||
		    web_unpack(req, "{s:o!}", "fields", &changes) != 0)
			return (KORE_RESULT_OK);
		if (!json_is_object(changes))
			return (web_fail_msg(req, WEB_ERR_BAD_JSON,
			    "fields must be an object."));
		rc = ops_application_save(
		    web_db, actor, cycle, changes, web_now(req), &out, &e);
	} else
		rc = ops_application_mine(
		    web_db, actor, cycle, web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * POST /api/cycles/{id}/application/submit   (applicant; CSRF)
 *   200 {application}   submitted; a receipt is mailed to the applicant
 *   403 forbidden       not an applicant, not a draft, or past the
 *                       deadline
 *   404 not_found       no such cycle, or no application in it
 *   422 {error:{code:"incomplete", message}, missing:[{key,label}]}
 *                       what is still missing
 */
int
web_my_application_submit(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *error;
	int		 rc;

	rc = ops_application_submit(web_db, &web_settings, web_actor(req),
	    web_path_id(req, CYCLES), web_now(req), &out, &e);
	if (rc == OPS_INVALID && out != NULL) {
		error = json_pack(
		    "{s:s,s:s}", "code", "incomplete", "message", e.message);
		if (error == NULL || json_object_set_new(out, "error", error))
			rc = OPS_ENOMEM;
		else
			return (web_reply_json(req, 422, out));
	}
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/cycles/{id}/application/copy   (the applicant)
 *   200 {copy_from:[{id, cycle_id, cycle, program, fields, documents}]}
 *       their other applications, of any program, holding something
 * POST /api/cycles/{id}/application/copy {from_application}   (CSRF)
 *   200 as GET /api/cycles/{id}/application, with copied:{fields,
 *       documents}: what the draft lacked, copied from the other one
 *   403 not a draft any more, or the deadline has passed
 *   404 not the applicant's own other application (from_application)
 */
int
web_my_application_copy(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	json_int_t	 from = 0;
	int		 rc;

	if (req->method == HTTP_METHOD_GET) {
		rc = ops_application_sources(
		    web_db, web_actor(req), web_path_id(req, CYCLES), &out, &e);
		return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
	}
	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:I!}", "from_application", &from) != 0)
		return (KORE_RESULT_OK);
	rc = ops_application_copy(web_db, web_actor(req),
	    web_path_id(req, CYCLES), from, web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/cycles/{id}/applications?status=&q=&after=&limit=
 *                                   (faculty, coordinator, director)
 *   200 {applications:[{id, applicant_id, status, first_name, last_name,
 *        medical_school, residency_program, submitted_at, updated_at,
 *        complete, missing_count, letters_received, letters_requested}],
 *        next_after}
 *       faculty see the submitted applications assigned to them, never
 *       those they have a recorded conflict with
 *   400 bad_request   after is not an id, or limit not 1 to 1000 (a
 *                     status other than draft, submitted or withdrawn
 *                     is dropped by the route's validator)
 *   404 not_found     no such cycle; for faculty, a cycle in setup
 */
int
web_cycle_applications(struct http_request *req)
{
	struct ops_app_query q = { 0 };
	struct ops_error     e = { 0 };
	json_t		    *out = NULL;
	char		    *status = NULL, *search = NULL;
	int		     rc;

	http_populate_get(req);
	(void)http_argument_get_string(req, "status", &status);
	(void)http_argument_get_string(req, "q", &search);
	if (web_query_int(req, "after", 0, INT64_MAX, &q.after) != 0 ||
	    web_query_int(req, "limit", OPS_APP_LIST_DEFAULT, OPS_APP_LIST_MAX,
		&q.limit) != 0 ||
	    q.limit == 0)
		return (web_fail_msg(req, WEB_ERR_BAD_REQUEST,
		    "after must be an id and limit between 1 and 1000."));
	q.status = status;
	q.q = search;
	rc = ops_applications_list(
	    web_db, web_actor(req), web_path_id(req, CYCLES), &q, &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/applications/{id}    (any signed-in account)
 *   200 {application}   for its applicant, staff, and faculty when it is
 *                       submitted, assigned to them, and they have no
 *                       conflict with it
 *   404 not_found       anyone else, and no such application
 */
int
web_application(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_application_view(
	    web_db, web_actor(req), web_path_id(req, APPS), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * POST /api/applications/{id}/withdraw   (its applicant; CSRF)
 *   200 {status:"withdrawn"}
 *   404 not_found   not the applicant's own, or no such application
 *   409 conflict    withdrawn already
 */
int
web_application_withdraw(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_application_withdraw(web_db, &web_settings, web_actor(req),
	    web_path_id(req, APPS), web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * POST /api/applications/{id}/reopen   (coordinator, director; CSRF)
 *   200 {status:"draft"}   the applicant can edit again until the deadline
 *   404 not_found          no such application
 *   409 conflict           a draft already
 */
int
web_application_reopen(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_application_reopen(
	    web_db, web_actor(req), web_path_id(req, APPS), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}
