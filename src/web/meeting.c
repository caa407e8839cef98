/*
 * The rank meeting over HTTP: its view, its start and end, the agenda's
 * marks and the meetings held. Staff only (the gate); the operations say
 * that the director runs it and the coordinator follows it. Starting,
 * ending and the view build the ranking: they run on a task thread, as
 * the ranking's routes do (web/ranking.c).
 */
#include <string.h>

#include "core/text.h"
#include "ops/meeting.h"
#include "web/web.h"

#define CYCLES "/api/cycles/"
#define ITEMS  "/meeting/items/"

WEB_EXPORT int web_meeting(struct http_request *);
WEB_EXPORT int web_meeting_end(struct http_request *);
WEB_EXPORT int web_meeting_item(struct http_request *);
WEB_EXPORT int web_meetings(struct http_request *);

/* The operations in web_reply_ops_off()'s (and _body()'s) shape. */
static int
meeting_view(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t unused, const char *none, int64_t now, json_t **out,
    struct ops_error *e)
{
	(void)unused;
	(void)none;
	(void)now;
	return (ops_meeting_view(db, actor, cycle, out, e));
}

static int
meeting_start(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t unused, json_t *body, int64_t now, json_t **out,
    struct ops_error *e)
{
	(void)unused;
	(void)body;
	return (ops_meeting_start(db, actor, cycle, now, out, e));
}

static int
meeting_end(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t unused, json_t *body, int64_t now, json_t **out,
    struct ops_error *e)
{
	(void)unused;
	(void)body;
	return (ops_meeting_end(db, actor, cycle, now, out, e));
}

/* A POST whose body is optional: none, or an empty JSON object. Returns
 * 0, or -1 with the error sent (400 for anything else). */
static int
empty_body(struct http_request *req)
{
	if (req->content_length == 0)
		return (0);
	if (web_json_body(req) == NULL || web_unpack(req, "{!}") != 0)
		return (-1);
	return (0);
}

/*
 * GET /api/cycles/{id}/meeting   (staff)
 *   200 the open meeting, else the last one: {meeting:{id, cycle_id,
 *       state (open|ended), started_by_name, started_at, ended_by_name,
 *       ended_at}, positions, agenda:[{application_id, name, rank,
 *       composite, rank_now, composite_now, reasons:[{code, text}],
 *       next, discussed, discussed_by_name, discussed_at, sheets:[{phase,
 *       rater_id, rater_name, score, items:[{key, label, value}],
 *       comment, version, changed, counts}]}], progress:{discussed,
 *       total}, changes:[{id, application_id, name, phase, rater_name,
 *       changed_by_name, at, kind, before, after}], order_before,
 *       order_after, moved:[{application_id, name, from, to}]};
 *       {meeting: null, positions} when none was held
 *   404 no such cycle; 422 a limit (named)
 * POST /api/cycles/{id}/meeting [{}]   (the director; CSRF)
 *   200 the meeting started (as GET): a snapshot of every submitted
 *       sheet and of the composite order is locked; audited
 *   400 a body that is not an empty JSON object; 403 not the director;
 *   404 no such cycle; 409 a meeting is open, the list is certified or
 *   the cycle archived (the sentence says which)
 */
int
web_meeting(struct http_request *req)
{
	int64_t cycle = web_path_id(req, CYCLES);

	if (req->method == HTTP_METHOD_GET)
		return (web_reply_ops_off(req, meeting_view, cycle, 0, NULL));
	/* Re-entered while the start runs. */
	if (web_ops_off_started(req))
		return (web_reply_ops_off_body(req, meeting_start, 0, 0));
	if (empty_body(req) != 0)
		return (KORE_RESULT_OK);
	/* Starting builds the ranking: off the loop. */
	return (web_reply_ops_off_body(req, meeting_start, cycle, 0));
}

/*
 * POST /api/cycles/{id}/meeting/end [{}]   (the director; CSRF)
 *   200 the meeting ended (as GET .../meeting): the order before and
 *       after, the changes, who moved; audited
 *   400 a body that is not an empty JSON object; 403 not the director;
 *   404 no such cycle; 409 no meeting is open
 */
int
web_meeting_end(struct http_request *req)
{
	if (web_ops_off_started(req))
		return (web_reply_ops_off_body(req, meeting_end, 0, 0));
	if (empty_body(req) != 0)
		return (KORE_RESULT_OK);
	/* Its answer compares with the ranking now: off the loop. */
	return (web_reply_ops_off_body(
	    req, meeting_end, web_path_id(req, CYCLES), 0));
}

/*
 * POST /api/cycles/{id}/meeting/items/{application_id} {discussed}
 *                              (the director; CSRF)
 *   200 {application_id, discussed, progress:{discussed, total}}; audited
 *   400 bad_json (discussed is true or false); 403 not the director;
 *   404 no such cycle, or the candidate is not on the agenda; 409 no
 *   meeting is open
 */
int
web_meeting_item(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	const char	*at = strstr(req->path, ITEMS);
	int		 discussed = 0, rc;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:b!}", "discussed", &discussed) != 0)
		return (KORE_RESULT_OK);
	rc = ops_meeting_item(web_db, web_actor(req), web_path_id(req, CYCLES),
	    at != NULL ? text_path_id(at, ITEMS) : 0, discussed, web_now(req),
	    &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/cycles/{id}/meetings   (staff)
 *   200 {meetings:[{id, state, started_by_name, started_at,
 *       ended_by_name, ended_at, agenda, discussed, changes}]} newest
 *       first (agenda, discussed, changes: counts)
 *   404 no such cycle
 */
int
web_meetings(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_meetings_list(
	    web_db, web_actor(req), web_path_id(req, CYCLES), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}
