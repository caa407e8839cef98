/*
 * The ranking: the submitted sheets of each phase are loaded and scored
 * (each with the rubric version it was scored on), run through the
 * aggregation, and combined into the composite. Candidates are the
 * cycle's submitted applications; the rank list's pool is those invited
 * to interview (or, before any invitation, every candidate with a sheet).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/aggregate.h"
#include "core/ranklist.h"
#include "core/rubric.h"
#include "ops/common.h"
#include "ops/ranking.h"
#include "ops/ranking_int.h"
#include "ops/review_int.h"

#define CANDS_MAX  5000
#define RATERS_MAX 1000

static int
add_app(void *arg, const struct db_application *a)
{
	struct ranking	 *r = arg;
	struct rank_cand *c;
	json_t		 *f;
	const char	 *fn, *ln;

	if (r->ncands == CANDS_MAX)
		return (1);
	c = &r->cands[r->ncands++];
	memset(c, 0, sizeof(*c));
	c->app = a->id;
	if ((f = json_loads(a->fields, 0, NULL)) == NULL)
		return (DB_ERROR);
	fn = json_string_value(json_object_get(f, "first_name"));
	ln = json_string_value(json_object_get(f, "last_name"));
	(void)snprintf(c->name, sizeof(c->name), "%s%s%s", fn ? fn : "",
	    fn && *fn && ln && *ln ? " " : "", ln ? ln : "");
	c->fields = f;
	return (0);
}

static int
cand_index(const struct ranking *r, int64_t app)
{
	int lo = 0, hi = r->ncands - 1, mid;

	while (lo <= hi) {
		mid = (lo + hi) / 2;
		if (r->cands[mid].app == app)
			return (mid);
		if (r->cands[mid].app < app)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return (-1);
}

static int
rater_index(struct ranking *r, int64_t id, const char *name)
{
	int i;

	for (i = 0; i < r->nraters; i++)
		if (r->raters[i].id == id)
			return (i);
	if (r->nraters == RATERS_MAX)
		return (-1);
	r->raters[r->nraters].id = id;
	(void)snprintf(r->raters[r->nraters].name,
	    sizeof(r->raters[r->nraters].name), "%s", name);
	return (r->nraters++);
}

/* The criteria of rubric id, cached (a cycle has a few versions). */
static const json_t *
criteria_of(struct ranking *r, int64_t id)
{
	struct db_rubric rb;
	int		 i;

	for (i = 0; i < r->nrubrics; i++)
		if (r->rubric_ids[i] == id)
			return (r->rubrics[i]);
	if (r->nrubrics == RANK_RUBRICS_MAX ||
	    db_rubric_by_id(r->db, id, &rb) != 1)
		return (NULL);
	r->rubric_ids[r->nrubrics] = id;
	r->rubrics[r->nrubrics] = json_loads(rb.criteria, 0, NULL);
	db_rubric_clear(&rb);
	return (r->rubrics[r->nrubrics++]);
}

/* Keeps a recorded conflict: a sheet of that pair does not count. */
static int
add_conflict(void *arg, const struct db_conflict *c)
{
	struct ranking *r = arg;
	int64_t	       *grown;

	grown =
	    reallocarray(r->conflicts, 2 * (r->nconflicts + 1), sizeof(*grown));
	if (grown == NULL)
		return (DB_ERROR);
	r->conflicts = grown;
	r->conflicts[2 * r->nconflicts] = c->application_id;
	r->conflicts[2 * r->nconflicts + 1] = c->faculty_id;
	r->nconflicts++;
	return (0);
}

/* Marks the invited candidates. */
static int
add_invitation(void *arg, const struct db_invitation *i)
{
	struct ranking *r = arg;
	int		k;

	if ((k = cand_index(r, i->application_id)) >= 0)
		r->cands[k].interviewed = 1;
	return (0);
}

struct sheet_ctx {
	struct ranking *r;
	enum phase	p;
};

static int
add_sheet(void *arg, const struct db_sheet *s)
{
	struct sheet_ctx  *x = arg;
	struct ranking	  *r = x->r;
	struct rank_phase *ph = &r->phases[x->p];
	const json_t	  *crit;
	json_t		  *values;
	double		   w;
	size_t		   i;
	int		   ci, ri;

	if ((ci = cand_index(r, s->application_id)) < 0)
		return (0); /* withdrawn since: not a candidate */
	for (i = 0; i < r->nconflicts; i++)
		if (r->conflicts[2 * i] == s->application_id &&
		    r->conflicts[2 * i + 1] == s->rater_id)
			return (0);
	if ((crit = criteria_of(r, s->rubric_id)) == NULL ||
	    (values = json_loads(s->values, 0, NULL)) == NULL)
		return (DB_ERROR);
	w = rubric_weighted(crit, values);
	json_decref(values);
	if (w < 0)
		return (0); /* incomplete: cannot happen for submitted */
	if ((ri = rater_index(r, s->rater_id, s->rater_name)) < 0)
		return (1);
	if (ph->nsheets == ph->cap) {
		size_t		  cap = ph->cap ? ph->cap * 2 : 256;
		struct agg_sheet *grown;
		int64_t		 *ids;

		grown = reallocarray(ph->sheets, cap, sizeof(*grown));
		if (grown == NULL)
			return (DB_ERROR);
		ph->sheets = grown;
		ids = reallocarray(ph->sheet_ids, cap, sizeof(*ids));
		if (ids == NULL)
			return (DB_ERROR);
		ph->sheet_ids = ids;
		ph->cap = cap;
	}
	ph->sheets[ph->nsheets].cand = ci;
	ph->sheets[ph->nsheets].rater = ri;
	ph->sheets[ph->nsheets].score = w;
	ph->sheet_ids[ph->nsheets] = s->id;
	ph->nsheets++;
	return (0);
}

/* Ranks candidates by key (descending; NaN last), complete ones first,
 * ties by application id; writes 1-based ranks (0 for NaN). */
static void
rank_by(struct ranking *r, const double *key, const int *complete, int *rank)
{
	int i, j, better, n;

	for (i = 0; i < r->ncands; i++) {
		rank[i] = 0;
		if (isnan(key[i]))
			continue;
		n = 1;
		for (j = 0; j < r->ncands; j++) {
			if (j == i || isnan(key[j]))
				continue;
			better = complete[j] != complete[i]
			    ? complete[j] > complete[i]
			    : (key[j] != key[i]
				      ? key[j] > key[i]
				      : r->cands[j].app < r->cands[i].app);
			n += better;
		}
		rank[i] = n;
	}
}

void
ranking_free(struct ranking *r)
{
	int i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ncands; i++)
		json_decref(r->cands[i].fields);
	for (i = 0; i < PHASE__MAX; i++) {
		agg_result_free(&r->phases[i].res);
		free(r->phases[i].sheets);
		free(r->phases[i].sheet_ids);
	}
	for (i = 0; i < r->nrubrics; i++)
		json_decref(r->rubrics[i]);
	free(r->cands);
	free(r->raters);
	free(r->conflicts);
	free(r);
}

int
ranking_build(struct db *db, int64_t cycle, struct ranking **out)
{
	struct db_app_filter f = { 0 };
	struct db_cycle	     c;
	struct db_phase	     ph;
	struct ranking	    *r;
	struct agg_input     in;
	struct sheet_ctx     x;
	double		     adj[PHASE__MAX], raw[PHASE__MAX], bor[PHASE__MAX];
	double		    *kc = NULL, *kr = NULL, *kb = NULL;
	int		     have[PHASE__MAX], weights[PHASE__MAX];
	int		     rc, i, p, complete, any_invited = 0;

	*out = NULL;
	if ((rc = db_cycle_by_id(db, cycle, &c)) != 1)
		return (rc < 0 ? rc : OPS_NOT_FOUND);
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->cands = calloc(CANDS_MAX, sizeof(*r->cands))) == NULL ||
	    (r->raters = calloc(RATERS_MAX, sizeof(*r->raters))) == NULL) {
		ranking_free(r);
		return (DB_ERROR);
	}
	r->db = db;
	r->cycle = cycle;
	r->positions = (int)c.positions;
	f.status = "submitted";
	f.limit = CANDS_MAX;
	if ((rc = db_application_list(db, cycle, &f, add_app, r)) < 0)
		goto fail;
	if ((rc = db_invitation_list(db, cycle, add_invitation, r)) != 0 ||
	    (rc = db_conflict_list(db, cycle, 0, add_conflict, r)) != 0)
		goto fail;
	for (i = 0; i < r->ncands; i++)
		any_invited |= r->cands[i].interviewed;
	for (p = 0; p < PHASE__MAX; p++) {
		if ((rc = review_phase_get(db, cycle, (enum phase)p, &ph)) != 0)
			goto fail;
		r->weights[p] = (int)ph.weight;
		x.r = r;
		x.p = (enum phase)p;
		if ((rc = db_sheet_list_cycle(
			 db, cycle, phase_names[p], add_sheet, &x)) != 0)
			goto fail;
	}
	for (p = 0; p < PHASE__MAX; p++) {
		in.ncands = r->ncands;
		in.nraters = r->nraters;
		in.nsheets = (int)r->phases[p].nsheets;
		in.sheets = r->phases[p].sheets;
		in.positions = r->positions > 0 ? r->positions : 1;
		if (agg_phase(&in, &r->phases[p].res) != 0) {
			rc = DB_ERROR;
			goto fail;
		}
		r->phases[p].done = 1;
	}
	kc = calloc((size_t)r->ncands + 1, sizeof(double));
	kr = calloc((size_t)r->ncands + 1, sizeof(double));
	kb = calloc((size_t)r->ncands + 1, sizeof(double));
	if (kc == NULL || kr == NULL || kb == NULL) {
		rc = DB_ERROR;
		goto fail;
	}
	for (i = 0; i < r->ncands; i++) {
		struct rank_cand *rc_ = &r->cands[i];

		for (p = 0; p < PHASE__MAX; p++) {
			const struct agg_cand *a = &r->phases[p].res.cands[i];

			have[p] = a->n > 0;
			adj[p] = a->adjusted;
			raw[p] = a->mean;
			bor[p] = a->borda * 100.0;
			weights[p] = r->weights[p];
		}
		rc_->composite = agg_composite(
		    PHASE__MAX, adj, have, weights, &rc_->complete);
		kr[i] =
		    agg_composite(PHASE__MAX, raw, have, weights, &complete);
		kb[i] =
		    agg_composite(PHASE__MAX, bor, have, weights, &complete);
		kc[i] = rc_->composite;
		rc_->in_pool =
		    any_invited ? rc_->interviewed : !isnan(rc_->composite);
	}
	{
		int *cmp = calloc((size_t)r->ncands + 1, sizeof(int));
		int *rk = calloc((size_t)r->ncands + 1, sizeof(int));

		if (cmp == NULL || rk == NULL) {
			free(cmp);
			free(rk);
			rc = DB_ERROR;
			goto fail;
		}
		for (i = 0; i < r->ncands; i++)
			cmp[i] = r->cands[i].complete;
		rank_by(r, kc, cmp, rk);
		for (i = 0; i < r->ncands; i++)
			r->cands[i].rank = rk[i];
		rank_by(r, kr, cmp, rk);
		for (i = 0; i < r->ncands; i++)
			r->cands[i].rank_raw = rk[i];
		rank_by(r, kb, cmp, rk);
		for (i = 0; i < r->ncands; i++)
			r->cands[i].rank_borda = rk[i];
		free(cmp);
		free(rk);
	}
	for (i = 0; i < r->ncands; i++) {
		struct rank_cand *k = &r->cands[i];
		int		  line = r->positions;

		if (k->rank == 0)
			continue;
		k->method_sensitive = abs(k->rank - k->rank_raw) >= 2 ||
		    abs(k->rank - k->rank_borda) >= 2 ||
		    (k->rank <= line) != (k->rank_raw <= line) ||
		    (k->rank <= line) != (k->rank_borda <= line);
	}
	free(kc);
	free(kr);
	free(kb);
	*out = r;
	return (OPS_OK);
fail:
	free(kc);
	free(kr);
	free(kb);
	ranking_free(r);
	return (rc < 0 ? rc : DB_ERROR);
}

/* A number for JSON: null when not finite. */
static json_t *
num(double v)
{
	return (
	    isfinite(v) ? json_real(round(v * 100.0) / 100.0) : json_null());
}

static json_t *
phase_of_cand(const struct ranking *r, int p, int i)
{
	const struct agg_cand	*a = &r->phases[p].res.cands[i];
	const struct rank_phase *ph = &r->phases[p];
	json_t			*scores;
	size_t			 s;

	if (a->n == 0)
		return (json_null());
	scores = json_array();
	for (s = 0; s < ph->nsheets; s++) {
		if (ph->sheets[s].cand != i)
			continue;
		json_array_append_new(scores,
		    json_pack("{s:I,s:s,s:o}", "rater_id",
			(json_int_t)r->raters[ph->sheets[s].rater].id, "rater",
			r->raters[ph->sheets[s].rater].name, "score",
			num(ph->sheets[s].score)));
	}
	return (json_pack("{s:i,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,"
			  "s:i,s:i,s:i,s:b,s:o}",
	    "n", a->n, "mean", num(a->mean), "median", num(a->median), "sd",
	    num(a->sd), "min", num(a->min), "max", num(a->max), "adjusted",
	    num(a->adjusted), "se", num(a->se), "lo", num(a->lo), "hi",
	    num(a->hi), "disagree", a->disagree, "borda", num(a->borda),
	    "rank_adjusted", a->rank_adjusted, "rank_raw", a->rank_raw,
	    "rank_borda", a->rank_borda, "method_sensitive",
	    a->method_sensitive, "scores", scores));
}

json_t *
ranking_cand_json(const struct ranking *r, int i)
{
	const struct rank_cand *k = &r->cands[i];
	json_t		       *phases = json_object(), *ids = json_object();
	int			p, disagree = 0;

	for (p = 0; p < PHASE__MAX; p++) {
		json_object_set_new(
		    phases, phase_names[p], phase_of_cand(r, p, i));
		disagree |= r->phases[p].res.cands[i].disagree;
	}
	for (p = 0; p < RANK_ID__MAX; p++) {
		const json_t *v = json_object_get(k->fields, rank_id_fields[p]);

		json_object_set_new(ids, rank_id_names[p],
		    json_is_string(v) ? json_copy((json_t *)v) : json_null());
	}
	return (json_pack("{s:I,s:s,s:b,s:b,s:o,s:b,s:i,s:i,s:i,s:b,s:b,s:o,"
			  "s:o}",
	    "application_id", (json_int_t)k->app, "name", k->name,
	    "interviewed", k->interviewed, "in_list", k->in_pool, "composite",
	    num(k->composite), "complete", k->complete, "rank", k->rank,
	    "rank_raw", k->rank_raw, "rank_borda", k->rank_borda,
	    "method_sensitive", k->method_sensitive, "disagree", disagree,
	    "identifiers", ids, "phases", phases));
}

json_t *
ranking_json(const struct ranking *r)
{
	json_t *cands, *phases, *raters;
	int	i, p, best, *order;

	cands = json_array();
	/* Candidates in composite order, unranked ones last by id. */
	if ((order = calloc((size_t)r->ncands + 1, sizeof(int))) == NULL)
		return (NULL);
	for (i = 0; i < r->ncands; i++)
		order[i] = i;
	for (i = 0; i < r->ncands; i++) {
		int j, t;

		best = i;
		for (j = i + 1; j < r->ncands; j++) {
			int a = r->cands[order[j]].rank,
			    b = r->cands[order[best]].rank;

			if ((a != 0 && (b == 0 || a < b)) ||
			    (a == 0 && b == 0 &&
				r->cands[order[j]].app <
				    r->cands[order[best]].app))
				best = j;
		}
		t = order[i];
		order[i] = order[best];
		order[best] = t;
	}
	for (i = 0; i < r->ncands; i++)
		json_array_append_new(cands, ranking_cand_json(r, order[i]));
	free(order);
	phases = json_object();
	for (p = 0; p < PHASE__MAX; p++) {
		const struct agg_result *res = &r->phases[p].res;

		raters = json_array();
		for (i = 0; i < r->nraters; i++) {
			if (res->raters[i].n == 0)
				continue;
			json_array_append_new(raters,
			    json_pack("{s:I,s:s,s:i,s:o,s:i}", "rater_id",
				(json_int_t)r->raters[i].id, "name",
				r->raters[i].name, "n", res->raters[i].n,
				"leniency", num(res->raters[i].leniency),
				"group", res->raters[i].group));
		}
		json_object_set_new(phases, phase_names[p],
		    json_pack("{s:i,s:i,s:o,s:s,s:i,s:s,s:o,s:o}", "weight",
			r->weights[p], "sheets", (int)r->phases[p].nsheets,
			"reliability", num(res->reliability),
			"reliability_method", res->reliability_method, "groups",
			res->groups, "warning", res->warning, "mean",
			num(res->mean), "raters", raters));
	}
	return (json_pack("{s:I,s:i,s:o,s:o}", "cycle_id", (json_int_t)r->cycle,
	    "positions", r->positions, "phases", phases, "candidates", cands));
}

int
ops_ranking_view(struct db *db, struct ops_actor actor, int64_t cycle,
    json_t **out, struct ops_error *e)
{
	struct ranking *r;
	int		rc;

	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director see the ranking."));
	if ((rc = ranking_build(db, cycle, &r)) != OPS_OK)
		return (rc == OPS_NOT_FOUND
			? ops_refuse(e, rc, NULL, "There is no such cycle.")
			: rc);
	*out = ranking_json(r);
	ranking_free(r);
	return (*out != NULL ? OPS_OK : DB_ERROR);
}
