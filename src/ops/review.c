/*
 * Rubrics, phase settings and the rules of who may reach or score a
 * candidate, shared by the other review operations (ops/assignments.c,
 * ops/scores.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cycle.h"
#include "core/dates.h"
#include "ops/access.h"
#include "ops/common.h"
#include "ops/review.h"
#include "ops/review_int.h"

int
review_cycle(struct db *db, int64_t id, struct db_cycle *c,
    enum cycle_state *state, struct ops_error *e)
{
	int rc;

	if ((rc = db_cycle_by_id(db, id, c)) < 0)
		return (rc);
	if (rc == 0 || cycle_state_parse(c->state, state) != 0)
		return (ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such cycle."));
	return (OPS_OK);
}

int
review_scoring_open(enum cycle_state s)
{
	return (s == CYCLE_OPEN || s == CYCLE_REVIEW || s == CYCLE_RANKING);
}

int
review_phase_get(
    struct db *db, int64_t cycle, enum phase p, struct db_phase *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_phase_get(db, cycle, phase_names[p], out)) < 0)
		return (rc);
	if (rc == 0) {
		out->cycle_id = cycle;
		(void)snprintf(
		    out->phase, sizeof(out->phase), "%s", phase_names[p]);
		out->weight = phase_default_weight[p];
	}
	return (0);
}

json_t *
review_phase_json(const struct db_phase *p)
{
	return (json_pack("{s:s,s:s?,s:b,s:I,s:I}", "phase", p->phase,
	    "scoring_due", p->scoring_due[0] ? p->scoring_due : NULL, "closed",
	    p->closed_at != 0, "closed_at", (json_int_t)p->closed_at, "weight",
	    (json_int_t)p->weight));
}

/* The rubric's JSON view; criteria is parsed from r (or d when r is
 * NULL, the default not yet saved). */
static json_t *
rubric_json(int64_t cycle, enum phase p, const struct db_rubric *r)
{
	json_t *criteria;

	if (r != NULL)
		criteria = json_loads(r->criteria, 0, NULL);
	else
		criteria = rubric_default(p);
	if (criteria == NULL)
		return (NULL);
	return (json_pack("{s:I,s:s,s:I,s:b,s:o,s:I}", "cycle_id",
	    (json_int_t)cycle, "phase", phase_names[p], "version",
	    (json_int_t)(r != NULL ? r->version : 0), "frozen",
	    r != NULL && r->submitted > 0, "criteria", criteria, "created_at",
	    (json_int_t)(r != NULL ? r->created_at : 0)));
}

int
review_rubric_current(struct db *db, int64_t cycle, enum phase p, int64_t actor,
    int64_t now, struct db_rubric *r)
{
	json_t *d;
	char   *text;
	int	rc;

	if ((rc = db_rubric_current(db, cycle, phase_names[p], r)) != 0)
		return (rc < 0 ? rc : 0);
	/* The first sheet of a phase fixes the built-in default as
	 * version 1, so that the sheet can refer to it. */
	if ((d = rubric_default(p)) == NULL)
		return (OPS_ENOMEM);
	text = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	if (text == NULL)
		return (OPS_ENOMEM);
	rc = db_rubric_insert(
	    db, cycle, phase_names[p], 1, text, actor, now, NULL);
	free(text);
	if (rc != 0)
		return (rc);
	return ((rc = db_rubric_current(db, cycle, phase_names[p], r)) == 1
		? 0
		: (rc < 0 ? rc : DB_ERROR));
}

static int
add_version(void *arg, const struct db_rubric *r)
{
	return (
	    json_array_append_new(arg,
		json_pack("{s:I,s:I,s:I}", "version", (json_int_t)r->version,
		    "created_at", (json_int_t)r->created_at, "submitted_sheets",
		    (json_int_t)r->submitted)) == 0
		? 0
		: OPS_ENOMEM);
}

/* Builds {rubric, versions} from a rubric (NULL: the default). */
static int
rubric_view(struct db *db, int64_t cycle, enum phase p,
    const struct db_rubric *r, json_t **out)
{
	json_t *versions, *rubric;
	int	rc;

	if ((versions = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_rubric_list(
		 db, cycle, phase_names[p], add_version, versions)) != 0 ||
	    (rubric = rubric_json(cycle, p, r)) == NULL) {
		json_decref(versions);
		/* A rubric_json() that fails has stored criteria it
		 * cannot read (or no memory). */
		return (rc < 0 ? rc : OPS_EDB);
	}
	*out = json_pack("{s:o,s:o}", "rubric", rubric, "versions", versions);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

/* Review is for raters and staff: applicants see none of it. */
static int
reviewers_only(struct ops_actor actor, struct ops_error *e)
{
	if (actor.role == ROLE_APPLICANT)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only raters and staff see the review."));
	return (OPS_OK);
}

int
ops_rubric_view(struct db *db, struct ops_actor actor, int64_t cycle,
    enum phase p, int64_t version, json_t **out, struct ops_error *e)
{
	struct db_cycle c;
	int		rc;

	if ((rc = reviewers_only(actor, e)) != OPS_OK ||
	    (rc = ops_reach_cycle(db, actor, cycle, &c, e)) != OPS_OK)
		return (rc);
	return (review_rubric_view(db, cycle, p, version, out, e));
}

int
review_rubric_view(struct db *db, int64_t cycle, enum phase p, int64_t version,
    json_t **out, struct ops_error *e)
{
	struct db_cycle	 c;
	struct db_rubric r = { 0 };
	enum cycle_state state = CYCLE_SETUP;
	int		 rc;

	if ((rc = review_cycle(db, cycle, &c, &state, e)) != OPS_OK)
		return (rc);
	if (version > 0)
		rc = db_rubric_by_version(
		    db, cycle, phase_names[p], version, &r);
	else
		rc = db_rubric_current(db, cycle, phase_names[p], &r);
	if (rc < 0)
		return (rc);
	if (rc == 0 && version > 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL,
		    "There is no such rubric version."));
	rc = rubric_view(db, cycle, p, rc == 1 ? &r : NULL, out);
	db_rubric_clear(&r);
	return (rc);
}

int
ops_rubric_save(struct db *db, struct ops_actor actor, int64_t cycle,
    enum phase p, const json_t *criteria, int64_t now, json_t **out,
    int *versioned, struct ops_error *e)
{
	struct db_cycle	 c;
	struct db_rubric r = { 0 };
	enum cycle_state state = CYCLE_SETUP;
	char		 msg[256], *text = NULL;
	int64_t		 version = 1;
	int		 rc;

	*out = NULL;
	*versioned = 0;
	if (actor.role != ROLE_DIRECTOR)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director defines the rubric."));
	if (rubric_check(criteria, msg, sizeof(msg)) != 0)
		return (ops_refuse(e, OPS_INVALID, "criteria", msg));
	if ((text = json_dumps(criteria, JSON_COMPACT)) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_begin(db)) != 0)
		goto out;
	if ((rc = review_cycle(db, cycle, &c, &state, e)) != OPS_OK)
		goto done;
	if (state == CYCLE_CERTIFIED || state == CYCLE_ARCHIVED) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "The rank list of this cycle is certified; its rubrics no "
		    "longer change.");
		goto done;
	}
	if ((rc = db_rubric_current(db, cycle, phase_names[p], &r)) < 0)
		goto done;
	if (rc == 1 && r.submitted == 0) {
		version = r.version;
		rc = db_rubric_update(db, r.id, text) == 1 ? 0 : DB_ERROR;
	} else {
		if (rc == 1) {
			version = r.version + 1;
			*versioned = 1;
		}
		rc = db_rubric_insert(db, cycle, phase_names[p], version, text,
		    actor.id, now, NULL);
	}
	db_rubric_clear(&r);
	if (rc != 0)
		goto done;
	rc = ops_audit(db, actor.id, "rubric.save", "cycle", cycle,
	    json_pack("{s:s,s:I,s:b,s:O}", "phase", phase_names[p], "version",
		(json_int_t)version, "versioned", *versioned, "criteria",
		criteria));
	if (rc == 0 &&
	    (rc = db_rubric_current(db, cycle, phase_names[p], &r)) == 1) {
		rc = rubric_view(db, cycle, p, &r, out);
		db_rubric_clear(&r);
	} else if (rc == 0)
		rc = DB_ERROR;
done:
	rc = ops_finish_view(db, rc, out);
out:
	free(text);
	return (rc);
}

int
ops_phases_view(struct db *db, struct ops_actor actor, int64_t cycle,
    json_t **out, struct ops_error *e)
{
	struct db_cycle c;
	struct db_phase ph;
	json_t	       *arr;
	int		rc, i;

	if ((rc = reviewers_only(actor, e)) != OPS_OK ||
	    (rc = ops_reach_cycle(db, actor, cycle, &c, e)) != OPS_OK)
		return (rc);
	if ((arr = json_array()) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < PHASE__MAX; i++) {
		if ((rc = review_phase_get(db, cycle, (enum phase)i, &ph)) !=
			0 ||
		    json_array_append_new(arr, review_phase_json(&ph)) != 0) {
			json_decref(arr);
			return (rc < 0 ? rc : OPS_ENOMEM);
		}
	}
	*out = json_pack("{s:o}", "phases", arr);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

/* Applies in to ph; returns OPS_OK or a refusal. */
static int
phase_apply(struct ops_actor actor, const struct db_cycle *c,
    struct db_phase *ph, const json_t *in, int64_t now, struct ops_error *e)
{
	const json_t	 *due, *closed, *weight;
	struct local_time t;
	const char	 *key;
	json_t		 *v;

	json_object_foreach((json_t *)in, key, v)
	{
		if (strcmp(key, "scoring_due") != 0 &&
		    strcmp(key, "closed") != 0 && strcmp(key, "weight") != 0)
			return (ops_refuse(e, OPS_INVALID, key,
			    "This is not a setting of a phase."));
	}
	due = json_object_get(in, "scoring_due");
	closed = json_object_get(in, "closed");
	weight = json_object_get(in, "weight");
	if ((closed != NULL || weight != NULL) && actor.role != ROLE_DIRECTOR)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director closes scoring or sets the phases' "
		    "weights; the coordinator may set the deadline."));
	if (due != NULL) {
		if (json_is_null(due)) {
			ph->scoring_due[0] = '\0';
			ph->scoring_due_at = 0;
		} else if (!json_is_string(due) ||
		    dates_parse(json_string_value(due), 1, &t) != 0 ||
		    dates_to_instant(&t, c->timezone, &ph->scoring_due_at) != 0)
			return (ops_refuse(e, OPS_INVALID, "scoring_due",
			    "Enter the deadline as YYYY-MM-DDTHH:MM."));
		else
			dates_format(
			    &t, ph->scoring_due, sizeof(ph->scoring_due));
		/* A new deadline gets its own reminders. */
		ph->reminded_at = 0;
		ph->overdue_reminded_at = 0;
	}
	if (closed != NULL) {
		if (!json_is_boolean(closed))
			return (ops_refuse(
			    e, OPS_INVALID, "closed", "Use true or false."));
		if (json_is_true(closed) && ph->closed_at == 0) {
			ph->closed_at = now;
			ph->closed_by = actor.id;
		} else if (json_is_false(closed)) {
			ph->closed_at = 0;
			ph->closed_by = 0;
		}
	}
	if (weight != NULL) {
		if (!json_is_integer(weight) ||
		    json_integer_value(weight) < 0 ||
		    json_integer_value(weight) > 100)
			return (ops_refuse(e, OPS_INVALID, "weight",
			    "The weight is a whole number from 0 to 100."));
		ph->weight = json_integer_value(weight);
	}
	return (OPS_OK);
}

int
ops_phase_update(struct db *db, struct ops_actor actor, int64_t cycle,
    enum phase p, const json_t *in, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_cycle	 c;
	struct db_phase	 ph;
	enum cycle_state state = CYCLE_SETUP;
	int		 rc, was_closed;

	*out = NULL;
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director and the coordinator change phases."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = review_cycle(db, cycle, &c, &state, e)) != OPS_OK ||
	    (rc = review_phase_get(db, cycle, p, &ph)) != 0)
		return (ops_finish(db, rc));
	was_closed = ph.closed_at != 0;
	if ((rc = phase_apply(actor, &c, &ph, in, now, e)) != OPS_OK)
		return (ops_finish(db, rc));
	if ((rc = db_phase_put(db, &ph)) == 0)
		rc = ops_audit(db, actor.id,
		    was_closed == (ph.closed_at != 0)
			? "phase.update"
			: (ph.closed_at != 0 ? "phase.close" : "phase.reopen"),
		    "cycle", cycle,
		    json_pack(
			"{s:s,s:O}", "phase", phase_names[p], "change", in));
	if (rc == 0 && (*out = review_phase_json(&ph)) == NULL)
		rc = OPS_ENOMEM;
	return (ops_finish_view(db, rc, out));
}

int
review_candidate(struct db *db, struct ops_actor actor, int64_t application,
    struct db_application *a, struct ops_error *e)
{
	int rc;

	/* Review is for raters and staff: an applicant reaches no
	 * candidate here, not even their own application. */
	a->fields = NULL;
	if (actor.role == ROLE_APPLICANT ||
	    (rc = ops_reach_application(db, actor, application, a, e)) ==
		OPS_NOT_FOUND)
		return (ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such candidate."));
	db_application_clear(a);
	return (rc);
}

int
review_is_candidate(struct db *db, const struct db_application *a, enum phase p)
{
	struct db_invitation inv;
	int		     rc;

	if (strcmp(a->status, "submitted") != 0)
		return (0);
	if (p == PHASE_SCREENING)
		return (1);
	if ((rc = db_invitation_get(db, a->id, &inv)) < 0)
		return (rc);
	return (rc);
}
