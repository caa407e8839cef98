/*
 * The director's planning tools (ops/planning.h): how deep to rank and
 * how the order moves with the phases' weights. Both build the ranking
 * once (ops/ranking_int.h) and read nothing else but the current rank
 * list; neither writes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access.h"
#include "core/matchsim.h"
#include "ops/common.h"
#include "ops/planning.h"
#include "ops/ranking_int.h"

/* What the depth's answer says about itself, in the API and the page. */
static const char depth_model[] =
    "A model, not a prediction: it simulates the match for this program "
    "under the assumptions below, which the director can change.";

static const char depth_assumptions[] =
    "The match is applicant-proposing deferred acceptance, as NRMP and SF "
    "Match run it: an applicant reaches this program only when no program "
    "they prefer holds them, and the program keeps the highest on its "
    "list among those who reach it. Each ranked candidate, independently "
    "of the others, ranks this program first with probability p_first; "
    "otherwise they match at a program they prefer with a probability "
    "that falls linearly from p_elsewhere_top for the first of the list "
    "to p_elsewhere_bottom for the last of the pool (span), and stays "
    "there below it. The list is the ranking's order cut at each length.";

static const char depth_sources[] =
    "Defaults are conservative choices, not measured values. NRMP's "
    "Results and Data: Specialties Matching Service reports 83.7 % of "
    "fellowship positions filled and 74.9 % of programs filling all "
    "their positions in the 2024 appointment year (86.3 % and 78.0 % in "
    "2016); surgical fellowships range from every program filled (colon "
    "and rectal surgery, 2017) to 36 of 58 (abdominal transplant surgery, "
    "2017). We found no published figure for how many interviewees rank "
    "a program first, nor the fellowship matches' mean number of "
    "applicants ranked per position by filled and unfilled programs, nor "
    "SF Match per-program fill figures; the defaults lean toward a longer "
    "list.";

static const char sens_note[] =
    "Places among the candidates of the rank list, by the composite of "
    "the adjusted scores at each weight; the phases' scores are the same "
    "at every weight, only their mix changes.";

void
planning_depth_unset(struct planning_depth_in *in)
{
	in->list_length = -1;
	in->p_first = in->p_elsewhere_top = in->p_elsewhere_bottom = NAN;
	in->target = NAN;
	in->trials = in->seed = -1;
}

/* A probability for JSON, to four decimals. */
static json_t *
prob(double v)
{
	return (isfinite(v) ? json_real(round(v * 1e4) / 1e4) : json_null());
}

static json_t *
params_json(const struct matchsim_params *p, double target)
{
	return (json_pack("{s:o,s:o,s:o,s:o,s:i,s:I,s:i,s:i}", "p_first",
	    prob(p->p_first), "p_elsewhere_top", prob(p->p_elsewhere_top),
	    "p_elsewhere_bottom", prob(p->p_elsewhere_bottom), "target",
	    prob(target), "trials", p->trials, "seed", (json_int_t)p->seed,
	    "span", p->span, "max_length", p->lmax));
}

/* The number of candidates on r's current list that are ranked (not
 * "do not rank"); the computed list when none is saved. */
static int
ranked_count(
    struct db *db, const struct ranking *r, int *n, struct ops_error *e)
{
	struct db_ranklist v;
	json_t		  *entries = NULL, *it;
	size_t		   i;
	int		   have = 0, rc;

	*n = 0;
	memset(&v, 0, sizeof(v));
	if ((rc = ranklist_load_version(db, r, 0, &v, &have, e)) != OPS_OK)
		return (rc);
	rc = ranklist_entries(r, &v, have, &entries);
	db_ranklist_clear(&v);
	if (rc != OPS_OK)
		return (rc);
	json_array_foreach(entries, i, it)
	{
		if (!json_is_true(json_object_get(it, "do_not_rank")))
			(*n)++;
	}
	json_decref(entries);
	return (OPS_OK);
}

static int
max3(int a, int b, int c)
{
	int m = a > b ? a : b;

	return (m > c ? m : c);
}

/* The director's assumptions on p: in's, where set. */
static void
depth_apply(const struct planning_depth_in *in, struct matchsim_params *p)
{
	if (!isnan(in->p_first))
		p->p_first = in->p_first;
	if (!isnan(in->p_elsewhere_top))
		p->p_elsewhere_top = in->p_elsewhere_top;
	if (!isnan(in->p_elsewhere_bottom))
		p->p_elsewhere_bottom = in->p_elsewhere_bottom;
	if (in->trials >= 0)
		p->trials =
		    in->trials > INT32_MAX ? INT32_MAX : (int)in->trials;
	if (in->seed >= 0)
		p->seed = (uint64_t)in->seed;
}

/*
 * Checks in's values alone, before the ranking is built: the list
 * length, the assumptions (on any positions and list: matchsim_check()
 * checks each field on its own) and the target. OPS_OK, or OPS_INVALID
 * naming the first wrong one.
 */
static int
depth_check(const struct planning_depth_in *in, struct ops_error *e)
{
	struct matchsim_params p;
	const char	      *field;
	char		       msg[256];
	double		       target;

	if (in->list_length > MATCHSIM_LMAX_MAX) {
		(void)snprintf(msg, sizeof(msg),
		    "The list length is a number from 0 to %d.",
		    MATCHSIM_LMAX_MAX);
		return (ops_refuse_copy(e, OPS_INVALID, "list_length", msg));
	}
	matchsim_defaults(&p, 1, 1, 1);
	depth_apply(in, &p);
	if (matchsim_check(&p, &field, msg, sizeof(msg)) != 0)
		return (ops_refuse_copy(e, OPS_INVALID, field, msg));
	target = isnan(in->target) ? MATCHSIM_DEFAULT_TARGET : in->target;
	if (!(target >= MATCHSIM_TARGET_MIN && target <= MATCHSIM_TARGET_MAX)) {
		(void)snprintf(msg, sizeof(msg),
		    "The target is a probability from %.1f to %.3f.",
		    MATCHSIM_TARGET_MIN, MATCHSIM_TARGET_MAX);
		return (ops_refuse_copy(e, OPS_INVALID, "target", msg));
	}
	return (OPS_OK);
}

int
ops_ranking_depth(struct db *db, struct ops_actor actor, int64_t cycle,
    const struct planning_depth_in *in, json_t **out, struct ops_error *e)
{
	struct ranking	      *r = NULL;
	struct matchsim_params p, dflt;
	struct matchsim_result res;
	const char	      *field;
	char		       msg[256], summary[400];
	json_t		      *rows = NULL, *at = NULL;
	double		       target;
	int		       rc, i, k, pool = 0, current, length, best;

	*out = NULL;
	memset(&res, 0, sizeof(res));
	if (!access_view_standing(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director plan the rank "
		    "list."));
	if ((rc = depth_check(in, e)) != OPS_OK ||
	    (rc = ranking_build(db, cycle, &r, e)) != OPS_OK)
		return (rc);
	if ((rc = ranked_count(db, r, &current, e)) != OPS_OK)
		goto out;
	for (i = 0; i < r->ncands; i++)
		pool += r->cands[i].in_pool;
	k = r->positions;
	length = in->list_length >= 0 ? (int)in->list_length : current;
	/*
	 * Simulated from k to the deepest of the pool, three candidates a
	 * position and the list asked about: deep enough to see where the
	 * curve flattens, whatever the pool.
	 */
	matchsim_defaults(
	    &dflt, k, max3(pool, 3 * k, length), pool > 0 ? pool : 1);
	if (dflt.lmax > MATCHSIM_LMAX_MAX)
		dflt.lmax = MATCHSIM_LMAX_MAX;
	/* Without a pool the interest falls over the whole list. */
	if (pool == 0)
		dflt.span = dflt.lmax;
	p = dflt;
	depth_apply(in, &p);
	target = isnan(in->target) ? MATCHSIM_DEFAULT_TARGET : in->target;
	/* What the build sets (the positions, the list simulated). */
	if (matchsim_check(&p, &field, msg, sizeof(msg)) != 0) {
		rc = ops_refuse_copy(e, OPS_INVALID, field, msg);
		goto out;
	}
	if (matchsim_run(&p, &res) != 0) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rows = json_array()) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	for (i = 0; i < res.nrows; i++)
		if (json_array_append_new(rows,
			json_pack("{s:i,s:o,s:o}", "length", res.rows[i].length,
			    "p_fill", prob(res.rows[i].p_fill),
			    "expected_filled", prob(res.rows[i].expected))) !=
		    0) {
			rc = OPS_ENOMEM;
			goto out;
		}
	best = matchsim_recommend(&res, target);
	if (length >= k && length <= p.lmax) {
		const struct matchsim_row *row = &res.rows[length - k];

		at = json_pack("{s:i,s:o,s:o}", "length", length, "p_fill",
		    prob(row->p_fill), "expected_filled", prob(row->expected));
	} else
		at = json_null();
	if (best > 0)
		(void)snprintf(summary, sizeof(summary),
		    "Under these assumptions, a list of %d fills all %d "
		    "position%s in at least %.0f %% of simulated matches.",
		    best, k, k == 1 ? "" : "s", target * 100.0);
	else
		(void)snprintf(summary, sizeof(summary),
		    "Under these assumptions, no list of up to %d candidates "
		    "fills all %d position%s in %.0f %% of simulated matches.",
		    p.lmax, k, k == 1 ? "" : "s", target * 100.0);
	*out = json_pack("{s:I,s:s,s:i,s:i,s:i,s:i,s:o,s:o,s:s,s:s,s:o,s:o,"
			 "s:o,s:s}",
	    "cycle_id", (json_int_t)cycle, "model", depth_model, "positions", k,
	    "pool", pool, "current_length", current, "list_length", length,
	    "parameters", params_json(&p, target), "defaults",
	    params_json(&dflt, MATCHSIM_DEFAULT_TARGET), "assumptions",
	    depth_assumptions, "sources", depth_sources, "rows", rows,
	    "recommended_length", best > 0 ? json_integer(best) : json_null(),
	    "at_list_length", at, "summary", summary);
	rows = at = NULL; /* stolen, even on failure */
	rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
out:
	json_decref(rows);
	json_decref(at);
	matchsim_result_free(&res);
	ranking_free(r);
	return (rc);
}

/* One weight of the sensitivity: the screening phase's share (percent),
 * the weights given to the aggregation and whether they are the
 * program's own. */
struct sens_point {
	double share;
	int    w[PHASE__MAX];
	int    current;
};

static json_t *
who(const struct ranking *r, int i)
{
	return (json_pack("{s:I,s:s}", "application_id",
	    (json_int_t)r->cands[i].app, "name", r->cands[i].name));
}

static json_t *
weight_json(const struct sens_point *pt)
{
	return (json_pack("{s:o,s:o}", "screening",
	    json_real(round(pt->share * 10.0) / 10.0), "interview",
	    json_real(round((100.0 - pt->share) * 10.0) / 10.0)));
}

/* The grid of weights, and the program's own between two of its points:
 * *n points in *out (freed by the caller), by the screening share. */
static int
sens_grid(const struct ranking *r, int step, struct sens_point **out, int *n)
{
	struct sens_point *pts;
	int		   s, i = 0, sum, on_grid = 0, cur_at = -1;
	double		   cur = NAN;

	sum = r->weights[PHASE_SCREENING] + r->weights[PHASE_INTERVIEW];
	if (sum > 0) {
		cur = 100.0 * r->weights[PHASE_SCREENING] / sum;
		on_grid = r->weights[PHASE_SCREENING] * 100 % sum == 0 &&
		    (r->weights[PHASE_SCREENING] * 100 / sum) % step == 0;
	}
	if ((pts = calloc((size_t)100 / (size_t)step + 2, sizeof(*pts))) ==
	    NULL)
		return (-1);
	for (s = 0; s <= 100; s += step) {
		if (sum > 0 && !on_grid && cur_at < 0 && cur < s) {
			cur_at = i;
			pts[i].share = cur;
			pts[i].w[PHASE_SCREENING] = r->weights[PHASE_SCREENING];
			pts[i].w[PHASE_INTERVIEW] = r->weights[PHASE_INTERVIEW];
			pts[i++].current = 1;
		}
		pts[i].share = s;
		pts[i].w[PHASE_SCREENING] = s;
		pts[i].w[PHASE_INTERVIEW] = 100 - s;
		pts[i].current =
		    on_grid && r->weights[PHASE_SCREENING] * 100 / sum == s;
		i++;
	}
	*out = pts;
	*n = i;
	return (0);
}

/* A candidate of the pool at one weight: its place (0: none) and its
 * application id, to sort by. */
struct sens_item {
	int	j; /* index in the pool */
	int	place;
	int64_t app;
};

/* By place, the unplaced last, then by application id. */
static int
item_cmp(const void *a, const void *b)
{
	const struct sens_item *x = a, *y = b;

	if ((x->place == 0) != (y->place == 0))
		return (x->place == 0 ? 1 : -1);
	if (x->place != y->place)
		return (x->place < y->place ? -1 : 1);
	return ((x->app > y->app) - (x->app < y->app));
}

int
ops_ranking_sensitivity(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t step, json_t **out, struct ops_error *e)
{
	struct ranking	    *r = NULL;
	struct agg_result    res[PHASE__MAX];
	struct agg_standing *st = NULL;
	struct sens_point   *pts = NULL;
	struct sens_item    *items = NULL;
	json_t		    *weights = NULL, *cands = NULL, *changes = NULL;
	json_t		    *stable = NULL, *top, *inpos, *ranks, *ent, *lft;
	int		    *pool = NULL, *order = NULL, *place = NULL;
	unsigned char	    *shown = NULL;
	char		     summary[300];
	int rc, i, j, p, np = 0, npts = 0, k, topn, nchanges = 0;

	*out = NULL;
	if (!access_view_standing(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director plan the rank "
		    "list."));
	if (step != 5 && step != 10)
		return (ops_refuse(e, OPS_INVALID, "step",
		    "The step of the weights is 5 or 10 points."));
	if ((rc = ranking_build(db, cycle, &r, e)) != OPS_OK)
		return (rc);
	rc = OPS_ENOMEM;
	k = r->positions > 0 ? r->positions : 0;
	for (p = 0; p < PHASE__MAX; p++)
		res[p] = r->phases[p].res;
	pool = calloc((size_t)r->ncands + 1, sizeof(*pool));
	st = calloc((size_t)r->ncands + 1, sizeof(*st));
	shown = calloc((size_t)r->ncands + 1, 1);
	items = calloc((size_t)r->ncands + 1, sizeof(*items));
	if (pool == NULL || st == NULL || shown == NULL || items == NULL ||
	    sens_grid(r, (int)step, &pts, &npts) != 0)
		goto out;
	for (i = 0; i < r->ncands; i++)
		if (r->cands[i].in_pool)
			pool[np++] = i;
	topn = 3 * k > 10 ? 3 * k : 10;
	if (topn > np)
		topn = np;
	/* place[pt * np + j]: the place of pool[j] at point pt, 0 unplaced. */
	order = calloc((size_t)npts * (size_t)np + 1, sizeof(*order));
	place = calloc((size_t)npts * (size_t)np + 1, sizeof(*place));
	weights = json_array();
	changes = json_array();
	stable = json_array();
	cands = json_array();
	if (order == NULL || place == NULL || weights == NULL ||
	    changes == NULL || stable == NULL || cands == NULL)
		goto out;
	for (p = 0; p < npts; p++) {
		int *o = &order[(size_t)p * (size_t)np];

		if (agg_rank_cycle(PHASE__MAX, res, pts[p].w, k, st) != 0)
			goto out;
		for (j = 0; j < np; j++) {
			items[j].j = j;
			items[j].place = st[pool[j]].rank[AGG_ADJUSTED];
			items[j].app = r->cands[pool[j]].app;
		}
		qsort(items, (size_t)np, sizeof(*items), item_cmp);
		top = json_array();
		inpos = json_array();
		for (j = 0; j < np; j++) {
			int c = pool[items[j].j];

			o[j] = items[j].j;
			if (items[j].place == 0)
				continue;
			place[p * np + items[j].j] = j + 1;
			if (j < topn) {
				shown[items[j].j] = 1;
				json_array_append_new(
				    top, json_integer(r->cands[c].app));
			}
			if (j < k)
				json_array_append_new(
				    inpos, json_integer(r->cands[c].app));
		}
		ent = weight_json(&pts[p]);
		if (ent == NULL || top == NULL || inpos == NULL ||
		    json_object_set_new(
			ent, "current", json_boolean(pts[p].current)) != 0 ||
		    json_object_set_new(ent, "top", top) != 0 ||
		    json_object_set_new(ent, "positions", inpos) != 0 ||
		    json_array_append_new(weights, ent) != 0)
			goto out;
	}
	/* Who enters and leaves the positions between neighbouring weights,
	 * and who holds one at every weight. */
	for (j = 0; j < np; j++) {
		int always = npts > 0;

		for (p = 0; p < npts; p++) {
			int pl = place[p * np + j];

			always &= pl > 0 && pl <= k;
		}
		if (always &&
		    json_array_append_new(stable, who(r, pool[j])) != 0)
			goto out;
	}
	for (p = 1; p < npts; p++) {
		ent = json_array();
		lft = json_array();
		if (ent == NULL || lft == NULL) {
			json_decref(ent);
			json_decref(lft);
			goto out;
		}
		for (j = 0; j < np; j++) {
			int a = place[(p - 1) * np + j], b = place[p * np + j];
			int was = a > 0 && a <= k, is = b > 0 && b <= k;

			if (is && !was)
				json_array_append_new(ent, who(r, pool[j]));
			else if (was && !is)
				json_array_append_new(lft, who(r, pool[j]));
		}
		if (json_array_size(ent) == 0 && json_array_size(lft) == 0) {
			json_decref(ent);
			json_decref(lft);
			continue;
		}
		nchanges++;
		if (json_array_append_new(changes,
			json_pack("{s:o,s:o,s:o,s:o}", "from",
			    weight_json(&pts[p - 1]), "to",
			    weight_json(&pts[p]), "entered", ent, "left",
			    lft)) != 0)
			goto out;
	}
	/* The candidates shown, by their place at the program's weights
	 * (else at the first point), each with its place at every weight. */
	for (p = 0; p < npts && !pts[p].current; p++)
		;
	if (p == npts)
		p = 0;
	for (j = 0; npts > 0 && j < np; j++) {
		int at = order[p * np + j];

		if (!shown[at])
			continue;
		if ((ranks = json_array()) == NULL)
			goto out;
		for (i = 0; i < npts; i++)
			json_array_append_new(ranks,
			    place[i * np + at] > 0
				? json_integer(place[i * np + at])
				: json_null());
		if ((ent = who(r, pool[at])) == NULL) {
			json_decref(ranks);
			goto out;
		}
		if (json_object_set_new(ent, "ranks", ranks) != 0 ||
		    json_array_append_new(cands, ent) != 0)
			goto out;
	}
	for (i = 0, j = 0; i < npts * np; i++)
		j |= place[i] > 0;
	if (j == 0 || k == 0)
		(void)snprintf(summary, sizeof(summary),
		    "No candidate of the rank list has a composite yet.");
	else if (nchanges == 0)
		(void)snprintf(summary, sizeof(summary),
		    "The same %d candidate%s hold%s the positions at every "
		    "weight.",
		    k < np ? k : np, (k < np ? k : np) == 1 ? "" : "s",
		    (k < np ? k : np) == 1 ? "s" : "");
	else
		(void)snprintf(summary, sizeof(summary),
		    "Who holds the positions changes at %d point%s between "
		    "0 %% and 100 %% screening; %zu candidate%s hold%s one at "
		    "every weight.",
		    nchanges, nchanges == 1 ? "" : "s", json_array_size(stable),
		    json_array_size(stable) == 1 ? "" : "s",
		    json_array_size(stable) == 1 ? "s" : "");
	*out = json_pack("{s:I,s:i,s:i,s:I,s:i,s:{s:i,s:i},s:o,s:o,s:o,s:o,"
			 "s:s,s:s}",
	    "cycle_id", (json_int_t)cycle, "positions", r->positions, "pool",
	    np, "step", (json_int_t)step, "top_n", topn, "current", "screening",
	    r->weights[PHASE_SCREENING], "interview",
	    r->weights[PHASE_INTERVIEW], "weights", weights, "candidates",
	    cands, "changes", changes, "stable", stable, "note", sens_note,
	    "summary", summary);
	weights = cands = changes = stable = NULL; /* stolen */
	rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
out:
	json_decref(weights);
	json_decref(cands);
	json_decref(changes);
	json_decref(stable);
	free(pool);
	free(order);
	free(place);
	free(shown);
	free(items);
	free(st);
	free(pts);
	ranking_free(r);
	return (rc);
}
