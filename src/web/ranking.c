/*
 * Ranking and the rank list over HTTP: the aggregated ranking, the
 * list's versions, certification and reopening, differences, and the
 * exports. Staff only (the gate); certification and reopening are the
 * director's (the operations say so).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/gzip.h"
#include "ops/ranking.h"
#include "web/web.h"

#define CYCLES "/api/cycles/"

WEB_EXPORT int web_ranking(struct http_request *);
WEB_EXPORT int web_ranklist(struct http_request *);
WEB_EXPORT int web_ranklist_readiness(struct http_request *);
WEB_EXPORT int web_ranklist_certify(struct http_request *);
WEB_EXPORT int web_ranklist_reopen(struct http_request *);
WEB_EXPORT int web_ranklist_versions(struct http_request *);
WEB_EXPORT int web_ranklist_diff(struct http_request *);
WEB_EXPORT int web_ranklist_csv(struct http_request *);
WEB_EXPORT int web_cycle_export(struct http_request *);

/* The operations in web_reply_ops_off()'s (and _body()'s) shape: every
 * route here that builds the ranking runs it on a task thread. */
static int
ranking_view(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t unused, const char *none, int64_t now, json_t **out,
    struct ops_error *e)
{
	(void)unused;
	(void)none;
	(void)now;
	return (ops_ranking_view(db, actor, cycle, out, e));
}

static int
ranklist_view(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t version, const char *none, int64_t now, json_t **out,
    struct ops_error *e)
{
	(void)none;
	(void)now;
	return (ops_ranklist_view(db, actor, cycle, version, out, e));
}

/* ops_ranklist_save on the body {entries, base_version?} checked by
 * web_ranklist(); base is its base_version (-1 when not given). */
static int
ranklist_save(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t base, json_t *body, int64_t now, json_t **out, struct ops_error *e)
{
	return (ops_ranklist_save(db, actor, cycle,
	    json_object_get(body, "entries"), base, now, out, e));
}

static int
ranklist_readiness(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t reviewed, const char *none, int64_t now, json_t **out,
    struct ops_error *e)
{
	(void)none;
	(void)now;
	return (ops_ranklist_readiness(db, actor, cycle, reviewed, out, e));
}

/* ops_ranklist_certify on the body {version?, acknowledged?} checked by
 * web_ranklist_certify() (NULL when none was sent); expected is its
 * version (-1 when not given). */
static int
ranklist_certify(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t expected, json_t *body, int64_t now, json_t **out,
    struct ops_error *e)
{
	return (ops_ranklist_certify(db, actor, cycle, expected,
	    json_object_get(body, "acknowledged"), now, out, e));
}

/* The match export: arg is the identifier (enum rank_id). */
static int
ranklist_csv(struct db *db, struct ops_actor actor, int64_t cycle, int64_t idk,
    int64_t now, char **file, char *name, size_t namelen, struct ops_error *e)
{
	(void)now;
	return (ops_ranklist_csv(
	    db, actor, cycle, (enum rank_id)idk, file, name, namelen, e));
}

static int
cycle_export(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t unused, int64_t now, char **file, char *name, size_t namelen,
    struct ops_error *e)
{
	(void)unused;
	(void)snprintf(name, namelen, "cycle-%lld.json", (long long)cycle);
	return (ops_cycle_export(db, actor, cycle, now, file, e));
}

/* ops_ranklist_reopen on the body {reason?} checked by
 * web_ranklist_reopen(). */
static int
ranklist_reopen(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t unused, json_t *body, int64_t now, json_t **out,
    struct ops_error *e)
{
	(void)unused;
	return (ops_ranklist_reopen(db, actor, cycle,
	    json_string_value(json_object_get(body, "reason")), now, out, e));
}

/*
 * GET /api/cycles/{id}/ranking   (staff)
 *   200 {cycle_id, positions, draws, phases:{screening:{weight, sheets,
 *        reliability, reliability_method, groups, warning (raters by
 *        name), mean, lambda, lambda_method (reml|fixed), raters:[{rater_id,
 *        name, n, leniency, group}]}, interview:{...}},
 *        candidates:[{application_id, name, interviewed, in_list,
 *        composite, complete, rank, rank_raw, rank_borda,
 *        method_sensitive, crosses_line, disagree, isolated, identifiers,
 *        uncertainty:{p_top, p_list, rank_lo, rank_hi, p_swap_next,
 *        next_id, next_name, flagged, words, swap_words}|null,
 *        phases:{screening:{n, mean, median, sd, min, max, adjusted, se,
 *        lo, hi, disagree, borda, rank_adjusted, rank_raw, rank_borda,
 *        method_sensitive, scores:[{rater_id, rater, score}]}|null,
 *        ...}}]}
 *       answered from the copy kept since the last change that moves
 *       the ranking (migrations/014) when there is one, gzip-encoded
 *       when the request's Accept-Encoding takes gzip
 *   404 no such cycle
 *   422 the cycle is past a limit of core/limits.h (the message names it)
 */
int
web_ranking(struct http_request *req)
{
	struct ops_error e;
	const char	*accept = NULL;
	char		*text = NULL;
	size_t		 len = 0;
	int		 rc, gzipped = 0;

	/* The view kept since the last change is a copy, on the loop, sent
	 * compressed to clients that take gzip (browsers do); building it
	 * takes milliseconds, on a task thread. */
	if (!web_ops_off_started(req)) {
		http_response_header(req, "vary", "accept-encoding");
		(void)http_request_header(req, "accept-encoding", &accept);
		rc = ops_ranking_memo(web_db, web_actor(req),
		    web_path_id(req, CYCLES), gzip_accepted(accept), &text,
		    &len, &gzipped, &e);
		if (rc == OPS_OK && gzipped)
			http_response_header(req, "content-encoding", "gzip");
		if (rc != OPS_OK || text != NULL)
			return (web_reply_ops_text(
			    req, rc, HTTP_STATUS_OK, text, len, &e));
	}
	return (web_reply_ops_off(
	    req, ranking_view, web_path_id(req, CYCLES), 0, NULL));
}

/*
 * GET /api/cycles/{id}/ranklist[?version=N]   (staff)
 *   200 {version, state (computed|draft|certified|reopened), positions,
 *        ranked, do_not_rank, entries:[{rank, application_id, name,
 *        composite, rank_composite, do_not_rank, reason, moved,
 *        method_sensitive, invited, interview_sheets}], missing,
 *        certified:{version, by, at, sha256, acknowledged}|null, reason
 *        (of a reopening)}   interview_sheets: the interview sheets that
 *        count (0: not interviewed)
 *   404 no such cycle or version
 *   422 the cycle is past a limit (named)
 * PUT /api/cycles/{id}/ranklist {entries:[{application_id, do_not_rank?,
 *                                reason?}], base_version?}   (staff; CSRF)
 *   200 the new version   every candidate of the list once; a reason for
 *                         each manual move and each "do not rank"
 *   409 the list is certified; base_version (the version the edit
 *       started from, 0 for none) is not the current one; or the
 *       candidates or their sheets changed while it was being saved, at
 *       each of RANKLIST_BUILDS tries (ops/ranking_int.h): nothing saved
 *   422 entries (the message names whom), base_version, a limit (named)
 */
int
web_ranklist(struct http_request *req)
{
	json_t	  *entries;
	json_int_t base = -1;
	int64_t	   cycle = web_path_id(req, CYCLES), version;

	if (req->method == HTTP_METHOD_GET) {
		http_populate_get(req);
		if (web_query_int(req, "version", 0, INT32_MAX, &version) != 0)
			return (web_fail_field(req, WEB_ERR_BAD_REQUEST,
			    "version", "The version is a positive number."));
		/* The list's view aggregates too: off the loop. */
		return (web_reply_ops_off(
		    req, ranklist_view, cycle, version, NULL));
	}
	/* Re-entered while the save runs: the task has the body. */
	if (web_ops_off_started(req))
		return (web_reply_ops_off_body(req, ranklist_save, 0, 0));
	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:o,s?I!}", "entries", &entries, "base_version",
		&base) != 0)
		return (KORE_RESULT_OK);
	if (base < 0 && json_object_get(web_json_body(req), "base_version"))
		return (web_fail_field(req, WEB_ERR_UNPROCESSABLE,
		    "base_version",
		    "The base version is a version number, 0 for none yet."));
	/* The save builds the ranking: off the loop, with the body. */
	return (web_reply_ops_off_body(req, ranklist_save, cycle, base));
}

/*
 * GET /api/cycles/{id}/ranklist/readiness[?version=N]   (staff)
 *   200 {cycle_id, version, reviewed, state, cycle_state, ready, ranked,
 *        blocking:[{code, message, phase?, version?, items?}],
 *        warnings:[{code, title, message, count, items:[{name,
 *        application_id?, rater_id?, detail?}]}]}
 *       version: the one the viewer reviewed (0 for the computed list);
 *       another one than the current is "stale_version", which blocks
 *   400 version is not a number; 403 not staff; 404 no such cycle
 *   422 a limit (named)
 */
int
web_ranklist_readiness(struct http_request *req)
{
	int64_t reviewed;

	/* Re-entered while the readiness is built (off the loop). */
	if (web_ops_off_started(req))
		return (web_reply_ops_off(req, ranklist_readiness, 0, 0, NULL));
	http_populate_get(req);
	if (web_query_int(req, "version", -1, INT32_MAX, &reviewed) != 0)
		return (web_fail_field(req, WEB_ERR_BAD_REQUEST, "version",
		    "The version is a version number, 0 for the computed "
		    "list."));
	/* It builds the ranking: off the loop. */
	return (web_reply_ops_off(
	    req, ranklist_readiness, web_path_id(req, CYCLES), reviewed, NULL));
}

/*
 * POST /api/cycles/{id}/ranklist/certify [{version?, acknowledged?}]
 *                              (the director; CSRF)
 *   200 the certified list (certified: who, when, SHA-256, and the
 *       warnings acknowledged)
 *   400 bad_json; 403 not the director; 404 no such cycle
 *   409 an item of the readiness blocks (the first one's sentence):
 *       certified already, version (the one the director reviewed, 0
 *       for the computed list) is not the current one, the cycle is not
 *       in review or ranking, candidates missing from the list, nobody
 *       ranked, a phase still open for scoring; or the ranking kept
 *       changing (as for PUT above)
 *   422 version; acknowledged (a list of warning codes) malformed, or a
 *       warning present not acknowledged (named, field "acknowledged");
 *       a limit (named)
 */
int
web_ranklist_certify(struct http_request *req)
{
	json_int_t expected = -1;
	json_t	  *acknowledged = NULL;

	/* Re-entered while the certification runs: the task has the body. */
	if (web_ops_off_started(req))
		return (web_reply_ops_off_body(req, ranklist_certify, 0, 0));
	/* The body is optional: without it, the current list is certified
	 * when no warning needs acknowledging. */
	if (req->content_length > 0) {
		if (web_json_body(req) == NULL ||
		    web_unpack(req, "{s?I,s?o!}", "version", &expected,
			"acknowledged", &acknowledged) != 0)
			return (KORE_RESULT_OK);
		if (expected < 0 &&
		    json_object_get(web_json_body(req), "version"))
			return (web_fail_field(req, WEB_ERR_UNPROCESSABLE,
			    "version",
			    "The version is a version number, 0 for the "
			    "computed list."));
	}
	/* Certifying builds the ranking: off the loop, with the body. */
	return (web_reply_ops_off_body(req, ranklist_certify,
	    web_path_id(req, CYCLES), (int64_t)expected));
}

/*
 * POST /api/cycles/{id}/ranklist/reopen {reason}   (the director; CSRF)
 *   200 the list, editable again (state reopened)
 *   400 bad_json; 403 not the director; 409 not certified; 422 reason
 */
int
web_ranklist_reopen(struct http_request *req)
{
	const char *reason = NULL;

	/* Re-entered while the reopening runs: the task has the body. */
	if (web_ops_off_started(req))
		return (web_reply_ops_off_body(req, ranklist_reopen, 0, 0));
	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s?s!}", "reason", &reason) != 0)
		return (KORE_RESULT_OK);
	/* Its answer, the list, is viewed against the ranking: off the
	 * loop. */
	return (web_reply_ops_off_body(
	    req, ranklist_reopen, web_path_id(req, CYCLES), 0));
}

/*
 * GET /api/cycles/{id}/ranklist/versions   (staff)
 *   200 {versions:[{version, kind, sha256, reason, created_by_name,
 *        created_at, ranked, do_not_rank, acknowledged}]}   newest
 *       first; acknowledged: a certified version's warnings
 *       acknowledged ([{code, title, message, count, items:[{name,
 *       detail}]}]), null for the others
 */
int
web_ranklist_versions(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_ranklist_versions(
	    web_db, web_actor(req), web_path_id(req, CYCLES), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/cycles/{id}/ranklist/diff?from=A&to=B   (staff)
 *   200 {from, to, changes:[{application_id, name, from_rank, to_rank,
 *        from_do_not_rank, to_do_not_rank, from_reason, to_reason}]}
 *   400 from and to missing; 404 no such version
 */
int
web_ranklist_diff(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 from, to;
	int		 rc;

	http_populate_get(req);
	if (web_query_int(req, "from", 0, INT32_MAX, &from) != 0 ||
	    web_query_int(req, "to", 0, INT32_MAX, &to) != 0 || from == 0 ||
	    to == 0)
		return (web_fail_msg(req, WEB_ERR_BAD_REQUEST,
		    "Name two versions: ?from=A&to=B."));
	rc = ops_ranklist_diff(web_db, web_actor(req), web_path_id(req, CYCLES),
	    from, to, &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/cycles/{id}/ranklist.csv?id=sfmatch|nrmp|aamc   (staff)
 *   200 text/csv "rank,<identifier>,name" for the ranked entries of the
 *       current list (the computed draft when none is saved), as an
 *       attachment; audited
 *   400 id missing or unknown; 422 ranked candidates lack the identifier
 *       (named)
 */
int
web_ranklist_csv(struct http_request *req)
{
	enum rank_id idk;
	const char  *id = NULL;

	/* Re-entered while the export runs (off the loop). */
	if (web_ops_off_started(req))
		return (web_reply_ops_off_file(req, ranklist_csv, 0, 0, NULL));
	http_populate_get(req);
	if (!http_argument_get_string(req, "id", &id) ||
	    rank_id_parse(id, &idk) != 0)
		return (web_fail_field(req, WEB_ERR_BAD_REQUEST, "id",
		    "Choose the identifier: id=sfmatch, nrmp or aamc."));
	/* The list's entries come with the ranking: off the loop. */
	return (web_reply_ops_off_file(req, ranklist_csv,
	    web_path_id(req, CYCLES), (int64_t)idk, "text/csv; charset=utf-8"));
}

/*
 * GET /api/cycles/{id}/export.json   (staff)
 *   200 the cycle's archive as an attachment; audited
 *   404 no such cycle; 422 the cycle is past a limit (named)
 */
int
web_cycle_export(struct http_request *req)
{
	/* The archive holds the ranking: built off the loop. */
	return (web_reply_ops_off_file(req, cycle_export,
	    web_path_id(req, CYCLES), 0, "application/json; charset=utf-8"));
}
