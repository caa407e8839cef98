/*
 * The archive of a cycle: one JSON document with the cycle, its rubrics
 * (every version), phase settings, candidates with their identifiers,
 * raters, every submitted sheet, the conflicts of interest (pairs only:
 * they say which sheets the ranking left out), the aggregates, every
 * version of the rank list with its certification (and, for a certified
 * version, what it said of its candidates then: their names and
 * identifiers stay in the archive even after one withdraws), and every
 * rank meeting with its snapshot, agenda, marks and logged changes.
 * Letters and documents stay out (they are files, and letters are
 * confidential).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops/common.h"
#include "ops/meeting_int.h"
#include "ops/ranking.h"
#include "ops/ranking_int.h"
#include "ops/review_int.h"

#define EXPORT_FORMAT "fellowship-cycle-export"

struct export_ctx {
	struct db	     *db;
	json_t		     *list;
	const struct ranking *r;
};

static int
add_rubric(void *arg, const struct db_rubric *r)
{
	struct export_ctx *x = arg;
	struct db_rubric   full;
	json_t		  *c;

	if (db_rubric_by_id(x->db, r->id, &full) != 1)
		return (DB_ERROR);
	c = json_loads(full.criteria, 0, NULL);
	db_rubric_clear(&full);
	if (c == NULL) /* stored text that does not parse */
		return (DB_ERROR);
	return (json_array_append_new(x->list,
		    json_pack("{s:s,s:I,s:I,s:o}", "phase", r->phase, "version",
			(json_int_t)r->version, "created_at",
			(json_int_t)r->created_at, "criteria", c)) == 0
		? 0
		: OPS_ENOMEM);
}

static int
add_sheet(void *arg, const struct db_sheet *s)
{
	struct export_ctx *x = arg;
	json_t		  *values;

	/* Only the sheets of the candidates exported (an application
	 * withdrawn after scoring is neither). */
	if (ranking_cand_index(x->r, s->application_id) < 0)
		return (0);
	if ((values = json_loads(s->values, 0, NULL)) == NULL)
		return (DB_ERROR);
	return (
	    json_array_append_new(x->list,
		json_pack("{s:s,s:I,s:I,s:s,s:I,s:o,s:s,s:I,s:I}", "phase",
		    s->phase, "application_id", (json_int_t)s->application_id,
		    "rater_id", (json_int_t)s->rater_id, "rater_name",
		    s->rater_name, "rubric_version",
		    (json_int_t)s->rubric_version, "values", values, "comment",
		    s->comment, "submitted_at", (json_int_t)s->submitted_at,
		    "updated_at", (json_int_t)s->updated_at)) == 0
		? 0
		: OPS_ENOMEM);
}

/* A recorded conflict of interest of an exported candidate, as the pair
 * whose sheets the ranking leaves out (the reason stays out). */
static int
add_conflict(void *arg, const struct db_conflict *c)
{
	struct export_ctx *x = arg;

	if (ranking_cand_index(x->r, c->application_id) < 0)
		return (0);
	return (json_array_append_new(x->list,
		    json_pack("{s:I,s:I}", "application_id",
			(json_int_t)c->application_id, "rater_id",
			(json_int_t)c->faculty_id)) == 0
		? 0
		: OPS_ENOMEM);
}

static int
add_list_version(void *arg, const struct db_ranklist *v)
{
	json_t *entries = json_loads(v->entries, 0, NULL), *ack = NULL;
	json_t *snap = NULL;

	if (entries == NULL)
		return (DB_ERROR);
	/* A certified version's warnings acknowledged and its snapshot of
	 * the entries, when recorded (the keys are left out otherwise). */
	if ((v->acknowledged != NULL &&
		(ack = json_loads(v->acknowledged, 0, NULL)) == NULL) ||
	    (v->snapshot != NULL &&
		(snap = json_loads(v->snapshot, 0, NULL)) == NULL)) {
		json_decref(entries);
		json_decref(ack);
		return (DB_ERROR);
	}
	return (
	    json_array_append_new(arg,
		json_pack("{s:I,s:s,s:o,s:s?,s:s?,s:s,s:I,s:o*,s:o*}",
		    "version", (json_int_t)v->version, "kind", v->kind,
		    "entries", entries, "sha256",
		    v->sha256[0] ? v->sha256 : NULL, "reason",
		    v->reason[0] ? v->reason : NULL, "created_by_name",
		    v->created_by_name, "created_at", (json_int_t)v->created_at,
		    "acknowledged", ack, "snapshot", snap)) == 0
		? 0
		: OPS_ENOMEM);
}

int
ops_cycle_export(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t now, char **text, struct ops_error *e)
{
	struct export_ctx x = { db, NULL, NULL };
	struct db_cycle	  c;
	struct db_phase	  ph;
	enum cycle_state  state;
	struct ranking	 *r = NULL;
	json_t		 *doc = NULL, *rubrics = NULL, *phases = NULL;
	json_t		 *sheets = NULL, *versions = NULL, *cands = NULL;
	json_t		 *dates, *ranking = NULL, *meetings = NULL;
	json_t		 *conflicts = NULL;
	int		  rc, p, i;

	*text = NULL;
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director export a cycle."));
	if ((rc = review_cycle(db, cycle, &c, &state, e)) != OPS_OK)
		return (rc);
	if ((rc = ranking_build(db, cycle, &r, e)) != OPS_OK)
		return (rc);
	x.r = r;
	rubrics = json_array();
	phases = json_array();
	sheets = json_array();
	versions = json_array();
	cands = json_array();
	conflicts = json_array();
	if (!rubrics || !phases || !sheets || !versions || !cands ||
	    !conflicts) {
		rc = OPS_ENOMEM;
		goto out;
	}
	for (p = 0; p < PHASE__MAX; p++) {
		x.list = rubrics;
		if ((rc = db_rubric_list(
			 db, cycle, phase_names[p], add_rubric, &x)) != 0)
			goto out;
		if ((rc = review_phase_get(db, cycle, (enum phase)p, &ph)) != 0)
			goto out;
		json_array_append_new(phases, review_phase_json(&ph));
	}
	x.list = sheets;
	if ((rc = db_sheet_list_cycle(db, cycle, NULL, add_sheet, &x)) != 0 ||
	    (rc = db_ranklist_list(db, cycle, add_list_version, versions)) !=
		0 ||
	    (rc = meeting_export(db, cycle, &meetings)) != 0)
		goto out;
	x.list = conflicts;
	if ((rc = db_conflict_list(db, cycle, 0, add_conflict, &x)) != 0)
		goto out;
	for (i = 0; i < r->ncands; i++)
		json_array_append_new(cands,
		    json_pack("{s:I,s:s,s:b,s:O}", "application_id",
			(json_int_t)r->cands[i].app, "name", r->cands[i].name,
			"interviewed", r->cands[i].interviewed, "fields",
			r->cands[i].fields));
	dates = json_object();
	for (i = 0; i < DB_CYCLE_DATES; i++)
		json_object_set_new(dates, cycle_date_key((enum cycle_date)i),
		    json_string(c.dates[i]));
	if ((ranking = ranking_json(r)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	doc = json_pack("{s:s,s:i,s:I,s:{s:I,s:I,s:s,s:I,s:s,s:s,s:o},s:O,s:O,"
			"s:O,s:O,s:O,s:O,s:O}",
	    "format", EXPORT_FORMAT, "format_version", 1, "exported_at",
	    (json_int_t)now, "cycle", "id", (json_int_t)c.id, "year",
	    (json_int_t)c.year, "name", c.name, "positions",
	    (json_int_t)c.positions, "timezone", c.timezone, "state", c.state,
	    "dates", dates, "rubrics", rubrics, "phases", phases, "candidates",
	    cands, "sheets", sheets, "ranking", ranking, "ranklist_versions",
	    versions, "meetings", meetings);
	if (doc == NULL || json_object_set(doc, "conflicts", conflicts) != 0 ||
	    (*text = json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS)) ==
		NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = db_begin(db)) == 0) {
		rc = ops_audit(db, actor.id, "cycle.export", "cycle", cycle,
		    json_pack("{s:s,s:i,s:i}", "format", "json", "sheets",
			(int)json_array_size(sheets), "ranklist_versions",
			(int)json_array_size(versions)));
		rc = ops_finish(db, rc);
	}
out:
	if (rc != OPS_OK) {
		free(*text);
		*text = NULL;
	}
	json_decref(doc);
	json_decref(rubrics);
	json_decref(phases);
	json_decref(sheets);
	json_decref(versions);
	json_decref(cands);
	json_decref(conflicts);
	json_decref(ranking);
	json_decref(meetings);
	ranking_free(r);
	return (rc);
}
