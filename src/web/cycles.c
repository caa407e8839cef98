/*
 * Cycles and applications over HTTP. The gates of routes.conf admit the
 * roles; which cycle or application a user may reach is decided here with
 * the domain rules (core/access.c), and anything a user may not see
 * answers 404, so that nobody learns whether another applicant's
 * application exists.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/access.h"
#include "core/application.h"
#include "core/cycle.h"
#include "ops/cycles.h"
#include "ops/documents.h"
#include "web/web.h"

#define LIST_DEFAULT 200
#define LIST_MAX     1000

WEB_EXPORT int web_cycles(struct http_request *);
WEB_EXPORT int web_cycle(struct http_request *);
WEB_EXPORT int web_my_application(struct http_request *);
WEB_EXPORT int web_my_application_submit(struct http_request *);
WEB_EXPORT int web_cycle_applications(struct http_request *);
WEB_EXPORT int web_application(struct http_request *);
WEB_EXPORT int web_application_withdraw(struct http_request *);
WEB_EXPORT int web_application_reopen(struct http_request *);

static json_t *
cycle_json(const struct db_cycle *c, int64_t now)
{
	json_t		*o;
	int		 i;
	enum cycle_state s;

	o = json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:s}", "id",
	    (json_int_t)c->id, "year", (json_int_t)c->year, "name", c->name,
	    "positions", (json_int_t)c->positions, "timezone", c->timezone,
	    "state", c->state, "created_at", c->created_at, "updated_at",
	    c->updated_at);
	for (i = 0; o != NULL && i < CYCLE_DATE__MAX; i++)
		json_object_set_new(
		    o, cycle_date_key(i), json_string(c->dates[i]));
	if (o != NULL)
		json_object_set_new(o, "accepting_applications",
		    json_boolean(cycle_state_parse(c->state, &s) == 0 &&
			cycle_accepts_edits(s, c->open_at, c->close_at, now)));
	return (o);
}

struct cycle_list {
	json_t *rows;
	int	hide_setup;
	int64_t now;
};

static int
add_cycle(void *arg, const struct db_cycle *c)
{
	struct cycle_list *l = arg;

	if (l->hide_setup && strcmp(c->state, "setup") == 0)
		return (0);
	return (json_array_append_new(l->rows, cycle_json(c, l->now)) == 0 ? 0 : -1);
}

/*
 * GET /api/cycles          (any signed-in account)
 *   200 {cycles:[...], timezones:[...]}  applicants do not see cycles
 *                                        still in setup
 * POST /api/cycles {year, name, positions?, timezone?, applications_open,
 *                   applications_close, interviews_start, interviews_end,
 *                   ranklist_due}   (director; CSRF)
 *   201 {cycle}
 *   403 forbidden       not the director
 *   422 unprocessable   a value is refused (error.field names it)
 */
int
web_cycles(struct http_request *req)
{
	struct web_state *st = web_state(req);
	struct cycle_list l;
	struct db_cycle	  c;
	struct ops_error  e = { 0 };
	json_t		 *zones;
	size_t		  i;
	int		  rc;

	if (req->method == HTTP_METHOD_POST) {
		if (web_json_body(req) == NULL)
			return (KORE_RESULT_OK);
		rc =
		    ops_cycle_save(web_db, web_actor(req), 0, st->body, &c, &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		return (web_reply_json(req, HTTP_STATUS_CREATED,
		    json_pack("{s:o}", "cycle", cycle_json(&c, web_now(req)))));
	}
	l.rows = json_array();
	l.hide_setup = !role_is_staff(st->auth.role);
	l.now = web_now(req);
	if ((rc = db_cycle_list(web_db, add_cycle, &l)) != 0) {
		json_decref(l.rows);
		return (web_fail_db(req, rc < 0 ? rc : DB_ERROR));
	}
	zones = json_array();
	for (i = 0; dates_zones[i] != NULL; i++)
		json_array_append_new(zones, json_string(dates_zones[i]));
	return (web_reply_json(req, HTTP_STATUS_OK,
	    json_pack("{s:o,s:o}", "cycles", l.rows, "timezones", zones)));
}

/*
 * Returns 1 when the signed-in user may see cycle id, filling c: staff any
 * that exists, others none still in setup; 0 when not, or a DB_E* code.
 */
int
web_may_view_cycle(struct http_request *req, int64_t id, struct db_cycle *c)
{
	int rc;

	if ((rc = db_cycle_by_id(web_db, id, c)) <= 0)
		return (rc);
	return (role_is_staff(web_state(req)->auth.role) ||
	    strcmp(c->state, "setup") != 0);
}

/*
 * GET /api/cycles/{id}     (any signed-in account)
 *   200 {cycle}; 404 when absent, or in setup for non-staff
 * PATCH /api/cycles/{id} {any key of POST /api/cycles, state?}
 *                          (director; the coordinator dates only; CSRF)
 *   200 {cycle}
 *   403 forbidden       not staff, or a coordinator changing more than
 *                       dates
 *   422 unprocessable   a value or a state step is refused (error.field)
 */
int
web_cycle(struct http_request *req)
{
	struct web_state *st = web_state(req);
	struct db_cycle	  c;
	struct ops_error  e = { 0 };
	int64_t		  id = web_path_id(req, "/api/cycles/");
	int		  rc;

	if (req->method == HTTP_METHOD_PATCH) {
		if (!role_is_staff(st->auth.role))
			return (web_fail(req, WEB_ERR_FORBIDDEN));
		if (web_json_body(req) == NULL)
			return (KORE_RESULT_OK);
		rc = ops_cycle_save(
		    web_db, web_actor(req), id, st->body, &c, &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		return (web_reply_json(req, HTTP_STATUS_OK,
		    json_pack("{s:o}", "cycle", cycle_json(&c, web_now(req)))));
	}
	if ((rc = web_may_view_cycle(req, id, &c)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	return (web_reply_json(
	    req, HTTP_STATUS_OK, json_pack("{s:o}", "cycle", cycle_json(&c, web_now(req)))));
}

/* Appends the missing fields and documents of a to missing. */
static void
checklist(const struct db_application *a, json_t *fields, json_t *missing)
{
	int have[DOC__MAX];

	(void)application_missing(fields, missing);
	if (ops_document_counts(web_db, a->id, have) == 0)
		(void)document_missing(have, missing);
}

/* The full view of an application, with its checklist. */
static json_t *
application_json(const struct db_application *a, int with_schema)
{
	json_t *fields, *missing, *o;

	if ((fields = json_loads(a->fields, 0, NULL)) == NULL)
		fields = json_object();
	missing = json_array();
	checklist(a, fields, missing);
	o = json_pack("{s:I,s:I,s:I,s:s,s:o,s:I,s:s?,s:s,s:s,s:o,s:b}", "id",
	    (json_int_t)a->id, "cycle_id", (json_int_t)a->cycle_id,
	    "applicant_id", (json_int_t)a->applicant_id, "status", a->status,
	    "fields", fields, "version", (json_int_t)a->version, "submitted_at",
	    a->submitted_at[0] ? a->submitted_at : NULL, "created_at",
	    a->created_at, "updated_at", a->updated_at, "missing", missing,
	    "complete", json_array_size(missing) == 0);
	if (o != NULL && with_schema)
		json_object_set_new(o, "schema", application_schema());
	return (o);
}

/* Sends the applicant's own application, with whether it can be edited. */
static int
reply_mine(struct http_request *req, int status, const struct db_application *a)
{
	struct db_cycle	 c;
	json_t		*o;
	enum cycle_state s;

	o = application_json(a, 1);
	if (o != NULL && db_cycle_by_id(web_db, a->cycle_id, &c) == 1)
		json_object_set_new(o, "editable",
		    json_boolean(strcmp(a->status, "draft") == 0 &&
			cycle_state_parse(c.state, &s) == 0 &&
			cycle_accepts_edits(
			    s, c.open_at, c.close_at, web_now(req))));
	return (web_reply_json(req, status,
	    json_pack("{s:o}", "application", o != NULL ? o : json_null())));
}

/*
 * GET /api/cycles/{id}/application      (applicant)
 *   200 {application}   the own application, created as an empty draft
 *                       while the cycle accepts applications; with its
 *                       fields, checklist (missing), schema and editable
 *   404 not_found       no such cycle open to applicants, or closed
 *                       without an application
 * PUT /api/cycles/{id}/application {fields:{key: value|null}} (CSRF)
 *   200 {application}   the changed fields saved
 *   403 forbidden       submitted, withdrawn, or past the deadline
 *   422 unprocessable   a value is refused (error.field); nothing saved
 */
int
web_my_application(struct http_request *req)
{
	struct web_state     *st = web_state(req);
	struct db_application a = { 0 };
	struct ops_error      e = { 0 };
	json_t		     *changes = NULL;
	int64_t		      cycle = web_path_id(req, "/api/cycles/");
	int		      rc;

	if (st->auth.role != ROLE_APPLICANT)
		return (web_fail_msg(req, WEB_ERR_FORBIDDEN,
		    "Only applicants have applications."));
	if (req->method == HTTP_METHOD_PUT) {
		if (web_json_body(req) == NULL ||
		    web_unpack(req, "{s:o!}", "fields", &changes) != 0)
			return (KORE_RESULT_OK);
		if (!json_is_object(changes))
			return (web_fail_msg(req, WEB_ERR_BAD_JSON,
			    "fields must be an object."));
		rc = ops_application_save(web_db, cycle, st->auth.user_id,
		    changes, web_now(req), &a, &e);
	} else
		rc = ops_application_mine(web_db, cycle, st->auth.user_id,
		    web_now(req), &a, &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	rc = reply_mine(req, HTTP_STATUS_OK, &a);
	db_application_clear(&a);
	return (rc);
}

/*
 * POST /api/cycles/{id}/application/submit   (applicant; CSRF)
 *   200 {application}   submitted
 *   403 forbidden       not a draft, or past the deadline
 *   422 {error, missing:[{key,label}]}   what is still missing
 */
int
web_my_application_submit(struct http_request *req)
{
	struct web_state     *st = web_state(req);
	struct db_application a = { 0 };
	struct ops_error      e = { 0 };
	json_t		     *missing;
	int64_t		      cycle = web_path_id(req, "/api/cycles/");
	int		      rc;

	if (st->auth.role != ROLE_APPLICANT)
		return (web_fail_msg(req, WEB_ERR_FORBIDDEN,
		    "Only applicants submit applications."));
	missing = json_array();
	rc = ops_application_submit(
	    web_db, cycle, st->auth.user_id, web_now(req), missing, &e);
	if (rc == OPS_INVALID && json_array_size(missing) > 0)
		return (web_reply_json(req, 422,
		    json_pack("{s:{s:s,s:s},s:o}", "error", "code",
			"incomplete", "message", e.message, "missing",
			missing)));
	json_decref(missing);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	if ((rc = db_application_by_owner(
		 web_db, cycle, st->auth.user_id, &a)) != 1)
		return (web_fail_db(req, rc == 0 ? DB_ERROR : rc));
	rc = reply_mine(req, HTTP_STATUS_OK, &a);
	db_application_clear(&a);
	return (rc);
}

struct app_list {
	json_t *rows;
	int64_t last;
};

static int
count_letters(void *arg, const struct db_letter *l)
{
	int *n = arg;

	if (strcmp(l->status, "received") == 0)
		n[0]++;
	if (strcmp(l->status, "cancelled") != 0)
		n[1]++;
	return (0);
}

static int
add_application(void *arg, const struct db_application *a)
{
	struct app_list *l = arg;
	json_t		*fields, *missing, *row;
	int		 n[2] = { 0, 0 };

	l->last = a->id;
	if ((fields = json_loads(a->fields, 0, NULL)) == NULL)
		fields = json_object();
	missing = json_array();
	checklist(a, fields, missing);
	row = json_pack("{s:I,s:I,s:s,s:O?,s:O?,s:O?,s:O?,s:s?,s:s,s:I,s:b}",
	    "id", (json_int_t)a->id, "applicant_id",
	    (json_int_t)a->applicant_id, "status", a->status, "first_name",
	    json_object_get(fields, "first_name"), "last_name",
	    json_object_get(fields, "last_name"), "medical_school",
	    json_object_get(fields, "medical_school"), "residency_program",
	    json_object_get(fields, "residency_program"), "submitted_at",
	    a->submitted_at[0] ? a->submitted_at : NULL, "updated_at",
	    a->updated_at, "missing_count",
	    (json_int_t)json_array_size(missing), "complete",
	    json_array_size(missing) == 0);
	json_decref(fields);
	json_decref(missing);
	if (row != NULL &&
	    db_letter_list(web_db, a->id, count_letters, n) == 0) {
		json_object_set_new(
		    row, "letters_received", json_integer(n[0]));
		json_object_set_new(
		    row, "letters_requested", json_integer(n[1]));
	}
	return (json_array_append_new(l->rows, row) == 0 ? 0 : -1);
}

/*
 * GET /api/cycles/{id}/applications?status=&q=&after=&limit=
 *                                   (faculty, coordinator, director)
 *   200 {applications:[{id,status,first_name,last_name,medical_school,
 *        residency_program,submitted_at,complete,missing_count,
 *        letters_received,letters_requested}],
 *        next_after}
 *       faculty see submitted applications only, never those they have a
 *       recorded conflict with
 *   400 bad_request   status is not draft, submitted or withdrawn
 */
int
web_cycle_applications(struct http_request *req)
{
	struct web_state    *st = web_state(req);
	struct db_app_filter f = { 0 };
	struct db_cycle	     c;
	struct app_list	     l;
	char		    *status = NULL, *q = NULL;
	int64_t		     cycle = web_path_id(req, "/api/cycles/"), limit;
	int		     rc;

	http_populate_get(req);
	(void)http_argument_get_string(req, "status", &status);
	(void)http_argument_get_string(req, "q", &q);
	if (web_query_int(req, "after", 0, INT64_MAX, &f.after) != 0 ||
	    web_query_int(req, "limit", LIST_DEFAULT, LIST_MAX, &limit) != 0 ||
	    limit == 0)
		return (web_fail_msg(req, WEB_ERR_BAD_REQUEST,
		    "after must be an id and limit between 1 and 1000."));
	if ((rc = db_cycle_by_id(web_db, cycle, &c)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0 ||
	    (st->auth.role == ROLE_FACULTY && strcmp(c.state, "setup") == 0))
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	f.limit = (int)limit;
	f.search = q;
	f.status = status;
	if (st->auth.role == ROLE_FACULTY) {
		if (status != NULL && strcmp(status, "submitted") != 0)
			return (web_reply_json(req, HTTP_STATUS_OK,
			    json_pack(
				"{s:[],s:n}", "applications", "next_after")));
		f.status = "submitted";
		f.hide_conflicts_of = st->auth.user_id;
		f.assigned_to = st->auth.user_id;
	}
	l.rows = json_array();
	l.last = 0;
	if ((rc = db_application_list(
		 web_db, cycle, &f, add_application, &l)) != 0) {
		json_decref(l.rows);
		return (web_fail_db(req, rc < 0 ? rc : DB_ERROR));
	}
	return (web_reply_json(req, HTTP_STATUS_OK,
	    json_pack("{s:o,s:o}", "applications", l.rows, "next_after",
		(int64_t)json_array_size(l.rows) == limit ? json_integer(l.last)
							  : json_null())));
}

/*
 * GET /api/applications/{id}    (any signed-in account)
 *   200 {application}   for its applicant, staff, and faculty when it is
 *                       submitted and they have no conflict with it
 *   404 not_found       anyone else, and no such application
 */
int
web_application(struct http_request *req)
{
	struct web_state     *st = web_state(req);
	struct db_application a = { 0 };
	int64_t		      id = web_path_id(req, "/api/applications/");
	int		      rc, conflicted, assigned;

	if ((rc = db_application_by_id(web_db, id, &a)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	if ((rc = web_reviewer_flags(req, id, &conflicted, &assigned)) < 0) {
		db_application_clear(&a);
		return (web_fail_db(req, rc));
	}
	if (!access_view_application(st->auth.role, st->auth.user_id,
		a.applicant_id, strcmp(a.status, "submitted") == 0, conflicted,
		assigned)) {
		db_application_clear(&a);
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	}
	rc = web_reply_json(req, HTTP_STATUS_OK,
	    json_pack("{s:o}", "application", application_json(&a, 1)));
	db_application_clear(&a);
	return (rc);
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
	struct web_state *st = web_state(req);
	struct ops_error  e = { 0 };
	int		  rc;

	if (st->auth.role != ROLE_APPLICANT)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	rc = ops_application_withdraw(web_db, &web_settings,
	    web_path_id(req, "/api/applications/"), st->auth.user_id,
	    web_now(req), &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (web_reply_json(
	    req, HTTP_STATUS_OK, json_pack("{s:s}", "status", "withdrawn")));
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
	int		 rc;

	rc = ops_application_reopen(
	    web_db, web_actor(req), web_path_id(req, "/api/applications/"), &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (web_reply_json(
	    req, HTTP_STATUS_OK, json_pack("{s:s}", "status", "draft")));
}
