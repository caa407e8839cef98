/*
 * The director's planning tools over HTTP (ops/planning.h): how deep to
 * rank and how the positions move with the phases' weights. Staff only
 * (the gate, and the operations again). Both build the ranking, so they
 * run on a task thread, as the ranking's routes do (web/ranking.c).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ops/planning.h"
#include "web/web.h"

#define CYCLES "/api/cycles/"

WEB_EXPORT int web_ranking_depth(struct http_request *);
WEB_EXPORT int web_ranking_sensitivity(struct http_request *);

/* The depth's query arguments: name, whole number or not, and the
 * sentence when the text is not such a number. */
static const struct depth_arg {
	const char *name;
	int	    integer;
	const char *bad;
} depth_args[] = {
	{ "list_length", 1, "The list length is a whole number, such as 10." },
	{ "p_first", 0,
	    "The share of candidates who rank the program first is a "
	    "number from 0 to 1, such as 0.2." },
	{ "p_elsewhere_top", 0,
	    "The chance that the top candidate matches a program they "
	    "prefer is a number from 0 to 1, such as 0.85." },
	{ "p_elsewhere_bottom", 0,
	    "The chance that the last candidate matches a program they "
	    "prefer is a number from 0 to 1, such as 0.5." },
	{ "target", 0,
	    "The target is a probability from 0.5 to 0.999, such as 0.95." },
	{ "trials", 1,
	    "The number of simulated matches is a whole number, such as "
	    "20000." },
	{ "seed", 1, "The seed is a whole number, such as 1." },
};

/*
 * Reads query argument name of req into *out (a new reference, NULL
 * when absent): a whole number from 0 when integer (the operation
 * checks the ranges), else a finite real. -1 when given but not such a
 * number, empty, or too long for the route's validator (which then
 * kept nothing of it).
 */
static int
query_arg(struct http_request *req, const char *name, int integer, json_t **out)
{
	const char *text;
	char	   *end;
	double	    d;
	int64_t	    v;

	*out = NULL;
	if (!http_argument_get_string(req, name, &text))
		return (web_query_named(req, name) ? -1 : 0);
	if (integer) {
		if (web_query_int(req, name, 0, INT64_MAX, &v) != 0)
			return (-1);
		*out = json_integer(v);
	} else {
		errno = 0;
		d = strtod(text, &end);
		if (end == text || *end != '\0' || errno != 0 || !isfinite(d))
			return (-1);
		*out = json_real(d);
	}
	return (*out != NULL ? 0 : -1);
}

/* ops_ranking_depth on the arguments web_ranking_depth() parsed into
 * the job's body ({name: number}). */
static int
ranking_depth(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t unused, json_t *args, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct planning_depth_in in;
	const json_t		*v;

	(void)unused;
	(void)now;
	planning_depth_unset(&in);
	if ((v = json_object_get(args, "list_length")) != NULL)
		in.list_length = json_integer_value(v);
	if ((v = json_object_get(args, "trials")) != NULL)
		in.trials = json_integer_value(v);
	if ((v = json_object_get(args, "seed")) != NULL)
		in.seed = json_integer_value(v);
	if ((v = json_object_get(args, "p_first")) != NULL)
		in.p_first = json_real_value(v);
	if ((v = json_object_get(args, "p_elsewhere_top")) != NULL)
		in.p_elsewhere_top = json_real_value(v);
	if ((v = json_object_get(args, "p_elsewhere_bottom")) != NULL)
		in.p_elsewhere_bottom = json_real_value(v);
	if ((v = json_object_get(args, "target")) != NULL)
		in.target = json_real_value(v);
	return (ops_ranking_depth(db, actor, cycle, &in, out, e));
}

static int
ranking_sensitivity(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t step, const char *none, int64_t now, json_t **out,
    struct ops_error *e)
{
	(void)none;
	(void)now;
	return (ops_ranking_sensitivity(db, actor, cycle, step, out, e));
}

/*
 * GET /api/cycles/{id}/ranking/depth[?list_length=&p_first=
 *     &p_elsewhere_top=&p_elsewhere_bottom=&target=&trials=&seed=]
 *                                                          (staff)
 *   200 {cycle_id, model, positions, pool, current_length, list_length,
 *        parameters:{p_first, p_elsewhere_top, p_elsewhere_bottom,
 *        target, trials, seed, span, max_length}, defaults:{...},
 *        assumptions, sources, rows:[{length, p_fill, expected_filled}],
 *        recommended_length|null, at_list_length|null, summary}
 *   403 not staff; 404 no such cycle
 *   422 an argument that is empty, too long, not a number or out of
 *       range (named, with a sentence), checked before anything is
 *       built; a limit (named)
 */
int
web_ranking_depth(struct http_request *req)
{
	struct web_state *st;
	json_t		 *args, *v;
	size_t		  i;

	/* Re-entered while the simulation runs: the task has the
	 * arguments. */
	if (web_ops_off_started(req))
		return (web_reply_ops_off_body(req, ranking_depth, 0, 0));
	http_populate_get(req);
	if ((args = json_object()) == NULL)
		return (web_fail(req, WEB_ERR_INTERNAL));
	for (i = 0; i < sizeof(depth_args) / sizeof(depth_args[0]); i++) {
		if (query_arg(req, depth_args[i].name, depth_args[i].integer,
			&v) != 0) {
			json_decref(args);
			return (web_fail_field(req, WEB_ERR_UNPROCESSABLE,
			    depth_args[i].name, depth_args[i].bad));
		}
		if (v != NULL)
			json_object_set_new(args, depth_args[i].name, v);
	}
	/* The arguments travel to the task thread as the job's body (a
	 * GET has none of its own). */
	st = web_state(req);
	json_decref(st->body);
	st->body = args;
	return (web_reply_ops_off_body(
	    req, ranking_depth, web_path_id(req, CYCLES), 0));
}

/*
 * GET /api/cycles/{id}/ranking/sensitivity[?step=5|10]   (staff)
 *   200 {cycle_id, positions, pool, step, top_n, current:{screening,
 *        interview}, weights:[{screening, interview, current,
 *        top:[application_id], positions:[application_id]}],
 *        candidates:[{application_id, name, ranks:[place|null]}],
 *        changes:[{from, to, entered:[{application_id, name}], left}],
 *        stable:[{application_id, name}], note, summary}
 *   403 not staff; 404 no such cycle
 *   422 step is empty or not 5 or 10; a limit (named)
 */
int
web_ranking_sensitivity(struct http_request *req)
{
	json_t *v;
	int64_t step = PLANNING_STEP_DEFAULT;

	/* Re-entered while the orders are computed (off the loop). */
	if (web_ops_off_started(req))
		return (
		    web_reply_ops_off(req, ranking_sensitivity, 0, 0, NULL));
	http_populate_get(req);
	if (query_arg(req, "step", 1, &v) != 0)
		return (web_fail_field(req, WEB_ERR_UNPROCESSABLE, "step",
		    "The step of the weights is 5 or 10 points."));
	if (v != NULL) {
		step = json_integer_value(v);
		json_decref(v);
	}
	return (web_reply_ops_off(
	    req, ranking_sensitivity, web_path_id(req, CYCLES), step, NULL));
}
