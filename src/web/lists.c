/*
 * The staff's lists with the candidates' standing over HTTP (ops/lists.h):
 * the screening scores and interview status beside the applications
 * list, and the list as CSV. Both build the ranking, so both run on a
 * task thread (web_reply_ops_off); the list itself stays on the loop
 * (web/cycles.c).
 */
#include "ops/lists.h"
#include "web/web.h"

#define CYCLES "/api/cycles/"

WEB_EXPORT int web_application_scores(struct http_request *);
WEB_EXPORT int web_applications_csv(struct http_request *);

static int
scores_view(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t unused, const char *none, int64_t now, json_t **out,
    struct ops_error *e)
{
	(void)unused;
	(void)none;
	(void)now;
	return (ops_application_scores(db, actor, cycle, out, e));
}

/* The export: arg is the status filter (enum ops_list_status). */
static int
applications_csv(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t status, int64_t now, char **file, char *name, size_t namelen,
    struct ops_error *e)
{
	(void)now;
	return (ops_applications_csv(db, actor, cycle,
	    (enum ops_list_status)status, file, name, namelen, e));
}

/*
 * GET /api/cycles/{id}/applications/scores   (staff)
 *   200 {cycle_id, positions, screened, candidates:[{application_id,
 *        screening:{score, mean, raters, rank}|null, interview:{status,
 *        sheets, slot:{day, starts, ends, location}|null}}]}
 *       for every submitted application, by id
 *   404 no such cycle
 *   422 the cycle is past a limit of core/limits.h (the message names it)
 */
int
web_application_scores(struct http_request *req)
{
	/* The ranking's aggregation: on a task thread. */
	return (web_reply_ops_off(
	    req, scores_view, web_path_id(req, CYCLES), 0, NULL));
}

/*
 * GET /api/cycles/{id}/applications.csv[?status=draft|submitted|withdrawn]
 *                                            (staff)
 *   200 text/csv, UTF-8, CRLF: the applications (with that status) with
 *       their checklist, letters, screening score and rank and interview
 *       status, by screening rank; as an attachment; audited
 *   400 an unknown status
 *   404 no such cycle
 *   422 the cycle is past a limit (named)
 */
int
web_applications_csv(struct http_request *req)
{
	enum ops_list_status status = OPS_LIST_ANY;
	char		    *name = NULL;

	/* Re-entered while the export runs (off the loop). */
	if (web_ops_off_started(req))
		return (
		    web_reply_ops_off_file(req, applications_csv, 0, 0, NULL));
	http_populate_get(req);
	if (http_argument_get_string(req, "status", &name) &&
	    ops_list_status_parse(name, &status) != 0)
		return (web_fail_field(req, WEB_ERR_BAD_REQUEST, "status",
		    "The status is draft, submitted or withdrawn."));
	return (web_reply_ops_off_file(req, applications_csv,
	    web_path_id(req, CYCLES), (int64_t)status,
	    "text/csv; charset=utf-8"));
}
