/*
 * Review over HTTP: rubrics, phases, conflicts of interest, assignments,
 * score sheets and reminders. The rules live in ops/review.h; handlers
 * turn requests into its calls and its results into replies.
 */
#include <string.h>
#include <time.h>

#include "ops/cycles.h"
#include "ops/review.h"
#include "web/web.h"

#define CYCLES "/api/cycles/"
#define APPS   "/api/applications/"

WEB_EXPORT int web_rubric(struct http_request *);
WEB_EXPORT int web_phases(struct http_request *);
WEB_EXPORT int web_phase_update(struct http_request *);
WEB_EXPORT int web_cycle_conflicts(struct http_request *);
WEB_EXPORT int web_conflicts(struct http_request *);
WEB_EXPORT int web_conflict(struct http_request *);
WEB_EXPORT int web_conflict_request(struct http_request *);
WEB_EXPORT int web_assignments(struct http_request *);
WEB_EXPORT int web_assignments_auto(struct http_request *);
WEB_EXPORT int web_reminders(struct http_request *);
WEB_EXPORT int web_sheet(struct http_request *);
WEB_EXPORT int web_sheets_all(struct http_request *);

/* The phase named in the path (the route's regex allows only the two). */
static enum phase
path_phase(struct http_request *req)
{
	return (strstr(req->path, "/screening") != NULL ? PHASE_SCREENING
							: PHASE_INTERVIEW);
}

/*
 * GET /api/cycles/{id}/rubrics/{phase}[?version=N]   (faculty, staff)
 *   200 {rubric:{cycle_id, phase, version, frozen, criteria, created_at},
 *        versions:[{version, created_at, submitted_sheets}]}
 *       version 0 is the built-in default, not yet saved
 *   404 no such cycle or version; for faculty, a cycle in setup
 * PUT /api/cycles/{id}/rubrics/{phase} {criteria:[...]}   (director; CSRF)
 *   200 {rubric, versions, versioned}   versioned: the rubric had
 *       submitted sheets, so the criteria became a new version
 *   400 bad_json; 403 not the director; 404 no such cycle;
 *   409 the cycle is certified; 422 the criteria (error.field "criteria")
 */
int
web_rubric(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *criteria;
	int64_t		 cycle = web_path_id(req, CYCLES), version;
	int		 rc, versioned;

	if (req->method == HTTP_METHOD_GET) {
		http_populate_get(req);
		if (web_query_int(req, "version", 0, INT32_MAX, &version) != 0)
			return (web_fail_field(req, WEB_ERR_BAD_REQUEST,
			    "version", "The version is a positive number."));
		rc = ops_rubric_view(web_db, web_actor(req), cycle,
		    path_phase(req), version, &out, &e);
		return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
	}
	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:o!}", "criteria", &criteria) != 0)
		return (KORE_RESULT_OK);
	rc = ops_rubric_save(web_db, web_actor(req), cycle, path_phase(req),
	    criteria, web_now(req), &out, &versioned, &e);
	if (rc == OPS_OK)
		json_object_set_new(out, "versioned", json_boolean(versioned));
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/cycles/{id}/phases   (faculty, staff)
 *   200 {phases:[{phase, scoring_due, closed, closed_at, weight}]}
 *   404 no such cycle; for faculty, a cycle in setup
 */
int
web_phases(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_phases_view(
	    web_db, web_actor(req), web_path_id(req, CYCLES), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * PATCH /api/cycles/{id}/phases/{phase} {scoring_due?, closed?, weight?}
 *                                       (staff; CSRF)
 *   200 {phase:{...}}
 *   403 the coordinator closing scoring or setting weights
 *   404 no such cycle; 422 a value (error.field)
 */
int
web_phase_update(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *in;
	int		 rc;

	if ((in = web_json_body(req)) == NULL)
		return (KORE_RESULT_OK);
	rc = ops_phase_update(web_db, web_actor(req), web_path_id(req, CYCLES),
	    path_phase(req), in, web_now(req), &out, &e);
	if (rc == OPS_OK)
		out = json_pack("{s:o}", "phase", out);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/cycles/{id}/conflicts   (faculty, staff)
 *   200 {conflicts:[{id, application_id, candidate, faculty_id,
 *        faculty_name, kind, reason, recorded_by, created_at}]}; faculty
 *       see their own, and candidates:[{application_id, name}]
 *   404 no such cycle; for faculty, a cycle in setup
 */
int
web_cycle_conflicts(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_conflicts_view(
	    web_db, web_actor(req), web_path_id(req, CYCLES), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * POST /api/applications/{id}/conflicts {faculty_id?, reason, kind?}
 *                                       (faculty: their own; staff: for
 *                                        any rater; CSRF)
 *   201 {conflict}   the rater's assignments of the candidate are removed
 *   202 {conflict_request}   a rater's own declaration after scoring closed
 *       on a sheet they submitted, or once the list is certified: held
 *       for the staff's decision, nothing else changed
 *   403 faculty naming someone else; 404 no such candidate
 *   409 recorded, or awaiting a decision, already; 422 reason, kind or
 *   faculty_id
 */
int
web_conflicts(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	json_int_t	 faculty = 0;
	const char	*reason = NULL, *kind = NULL;
	int		 rc, held = 0;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s?I,s?s,s?s!}", "faculty_id", &faculty, "reason",
		&reason, "kind", &kind) != 0)
		return (KORE_RESULT_OK);
	if (faculty < 0)
		return (web_fail_field(req, WEB_ERR_UNPROCESSABLE, "faculty_id",
		    "Choose a faculty member."));
	rc =
	    ops_conflict_declare(web_db, web_actor(req), web_path_id(req, APPS),
		faculty, kind, reason, web_now(req), &out, &held, &e);
	if (rc == OPS_OK)
		out = json_pack(
		    "{s:o}", held ? "conflict_request" : "conflict", out);
	return (web_reply_ops(req, rc,
	    held ? HTTP_STATUS_ACCEPTED : HTTP_STATUS_CREATED, out, &e));
}

/*
 * POST /api/conflict-requests/{id} {decision: "accept"|"decline", note?}
 *                                  (staff; CSRF)
 *   200 {conflict_request}   accepted: the conflict is recorded as the
 *       declaration would have recorded it (the rater's sheets of the
 *       candidate stop counting); declined: nothing else changes
 *   400 bad_json or unknown keys; 403 faculty; 404 no such request;
 *   409 decided already; 422 decision or note
 */
int
web_conflict_request(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	const char	*decision = NULL, *note = NULL;
	int		 rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(
		req, "{s:s,s?s!}", "decision", &decision, "note", &note) != 0)
		return (KORE_RESULT_OK);
	rc = ops_conflict_decide(web_db, web_actor(req),
	    web_path_id(req, "/api/conflict-requests/"), decision, note,
	    web_now(req), &out, &e);
	if (rc == OPS_OK)
		out = json_pack("{s:o}", "conflict_request", out);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * DELETE /api/conflicts/{id}   (staff; CSRF)
 *   204; 404 no such conflict
 */
int
web_conflict(struct http_request *req)
{
	struct ops_error e = { 0 };
	int		 rc;

	rc = ops_conflict_remove(web_db, web_actor(req),
	    web_path_id(req, "/api/conflicts/"), web_now(req), &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_NO_CONTENT, NULL, &e));
}

/*
 * GET /api/cycles/{id}/assignments[?phase=&faculty_id=]
 *                                  (faculty: their own; staff: all)
 *   200 {assignments:[{id, phase, application_id, candidate, faculty_id,
 *        faculty_name, sheet}], raters:[{faculty_id, name, phase,
 *        assigned, submitted, draft}], graph:{screening:{connected,
 *        components, raters, candidates}, interview:{...}}}
 *   400 faculty_id not a number
 *   403 faculty asking for someone else's; 404 no such cycle (for
 *   faculty, a cycle in setup)
 * PUT /api/cycles/{id}/assignments [{faculty_id, application_id, phase,
 *                                    assigned?}]   (staff; CSRF)
 *   200 {added, removed}   all items are checked before any is written
 *   400 not a JSON array; 403 faculty; 409 removing a pair with a
 *   submitted sheet; 422 an item (rater, candidate, conflict), or more
 *   items than the limit assignment_items
 */
int
web_assignments(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *items;
	const char	*phase = NULL;
	char		*text = NULL;
	size_t		 len = 0;
	int64_t		 cycle = web_path_id(req, CYCLES), faculty;
	int		 rc;

	if (req->method == HTTP_METHOD_PUT) {
		/* Faculty share the route for reading: refused before the
		 * body is read, as the route table's staff gate would. */
		if (!role_is_staff(web_state(req)->auth.role))
			return (web_fail_msg(req, WEB_ERR_FORBIDDEN,
			    "Only the coordinator and the director assign "
			    "reviewers."));
		if ((items = web_json_array_body(req)) == NULL)
			return (KORE_RESULT_OK);
		rc = ops_assignments_set(web_db, web_actor(req), cycle, items,
		    web_now(req), &out, &e);
		return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
	}
	http_populate_get(req);
	if (web_query_int(req, "faculty_id", 0, INT64_MAX, &faculty) != 0)
		return (web_fail(req, WEB_ERR_BAD_REQUEST));
	(void)http_argument_get_string(req, "phase", &phase);
	/* A few statements, written straight to JSON text: on the loop. */
	rc = ops_assignments_view(
	    web_db, web_actor(req), cycle, phase, faculty, &text, &len, &e);
	return (web_reply_ops_text(req, rc, HTTP_STATUS_OK, text, len, &e));
}

/*
 * POST /api/cycles/{id}/assignments/auto {phase, raters_per_candidate,
 *                          max_per_rater, rater_ids?}   (staff; CSRF)
 *   200 {added, connected, components, warnings, loads:[{faculty_id,
 *        name, assigned}]}   existing assignments are kept
 *   400 bad_json; 404 no such cycle
 *   422 infeasible (the message says why) or a value; nothing changed
 */
int
web_assignments_auto(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *raters = NULL;
	const char	*phase;
	enum phase	 p;
	int		 k, cap, rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s,s:i,s:i,s?o!}", "phase", &phase,
		"raters_per_candidate", &k, "max_per_rater", &cap, "rater_ids",
		&raters) != 0)
		return (KORE_RESULT_OK);
	if (phase_parse(phase, &p) != 0)
		return (web_fail_field(req, WEB_ERR_UNPROCESSABLE, "phase",
		    "The phase is screening or interview."));
	rc = ops_assignments_auto(web_db, web_actor(req),
	    web_path_id(req, CYCLES), p, k, cap, raters, web_now(req), &out,
	    &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * POST /api/cycles/{id}/reminders {phase, faculty_id?}   (staff; CSRF)
 *   202 {sent}   raters with missing sheets are mailed; with faculty_id,
 *       that one rater only
 *   404 no such cycle; 409 scoring closed
 *   422 phase; faculty_id not a positive id, or of someone without
 *       missing sheets in the phase
 *   429 reminders for the phase went less than 12 hours ago; with
 *       faculty_id, a reminder of the phase went to that rater less than
 *       12 hours ago (Retry-After)
 */
int
web_reminders(struct http_request *req)
{
	struct ops_error e = { 0 };
	const char	*phase;
	json_t		*body;
	json_int_t	 faculty = 0;
	enum phase	 p;
	int		 rc, sent = 0;

	if ((body = web_json_body(req)) == NULL ||
	    web_unpack(req, "{s:s,s?I!}", "phase", &phase, "faculty_id",
		&faculty) != 0)
		return (KORE_RESULT_OK);
	if (phase_parse(phase, &p) != 0)
		return (web_fail_field(req, WEB_ERR_UNPROCESSABLE, "phase",
		    "The phase is screening or interview."));
	if (json_object_get(body, "faculty_id") != NULL && faculty <= 0)
		return (web_fail_field(req, WEB_ERR_UNPROCESSABLE, "faculty_id",
		    "Name the rater by their id, a positive number."));
	rc = ops_reminders_send(web_db, &web_settings, web_actor(req),
	    web_path_id(req, CYCLES), p, (int64_t)faculty, web_now(req), &sent,
	    &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (web_reply_json(
	    req, HTTP_STATUS_ACCEPTED, json_pack("{s:i}", "sent", sent)));
}

/*
 * GET /api/applications/{id}/scores/{phase}   (the rater: assigned
 *                              faculty, or the director)
 *   200 {sheet:{status, values, comment, version, rubric_version,
 *        updated_at, submitted_at}, rubric, closed, scoring_open}
 *   403 the coordinator, or a director with a conflict
 *   404 not assigned, conflicted, or no such candidate
 * PUT /api/applications/{id}/scores/{phase} {values, comment?, submit?,
 *                              version?}   (CSRF)
 *   200 {sheet}   a draft, or submitted (every criterion needed); changes
 *       to a submitted sheet are logged with old and new values
 *   409 scoring closed, or the sheet changed since version
 *   422 a value off the scale or not a criterion (error.field
 *       "values.<key>"), or the comment
 */
int
web_sheet(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *values;
	json_int_t	 version = 0;
	const char	*comment = NULL;
	int		 submit = 0, rc;

	if (req->method == HTTP_METHOD_GET) {
		rc = ops_sheet_view(web_db, web_actor(req),
		    web_path_id(req, APPS), path_phase(req), &out, &e);
		return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
	}
	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:o,s?s,s?b,s?I!}", "values", &values, "comment",
		&comment, "submit", &submit, "version", &version) != 0)
		return (KORE_RESULT_OK);
	rc = ops_sheet_save(web_db, web_actor(req), web_path_id(req, APPS),
	    path_phase(req), values, comment, submit, version, web_now(req),
	    &out, &e);
	if (rc == OPS_OK)
		out = json_pack("{s:o}", "sheet", out);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/applications/{id}/scores/{phase}/all
 *   200 {sheets:[{sheet_id, rater_id, rater_name, values, comment,
 *        submitted_at, rubric_version, weighted}], rubric, changes}
 *       submitted sheets only; changes (old and new values after
 *       submission) for staff
 *   403 faculty who have not submitted their own sheet
 *   404 not reachable (unassigned, conflicted) or no such candidate
 */
int
web_sheets_all(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_sheets_all(web_db, web_actor(req), web_path_id(req, APPS),
	    path_phase(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}
