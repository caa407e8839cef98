/*
 * The home page's to-do lists (ops/home.h): the facts from the store,
 * who may see what from core/access.c, the order and the timeline from
 * core/home.c, the rest from the operations that already build each part
 * (the application's checklist, the letters' status, the applicant's
 * invitation, the ranking).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access.h"
#include "core/cycle.h"
#include "core/dates.h"
#include "core/home.h"
#include "core/readiness.h"
#include "ops/access.h"
#include "ops/cycles.h"
#include "ops/home.h"
#include "ops/interviews.h"
#include "ops/letters.h"
#include "ops/ranking_int.h"
#include "ops/review.h"
#include "ops/review_int.h"

/* Sets key (a literal of this file) of o to v, a reference this steals;
 * -1 when v is NULL (out of memory) or the set fails. */
static int
set(json_t *o, const char *key, json_t *v)
{
	return (v == NULL ? -1 : json_object_set_new(o, key, v));
}

/* Appends v (stolen); -1 when v is NULL or the append fails. */
static int
append(json_t *a, json_t *v)
{
	return (v == NULL ? -1 : json_array_append_new(a, v));
}

static json_t *
string_or_null(const char *s)
{
	return (s != NULL && s[0] != '\0' ? json_string(s) : json_null());
}

/* A deadline: {due (as typed, or null), due_at, seconds_left, overdue};
 * with key when key is not NULL. NULL when out of memory. */
static json_t *
deadline_json(const char *key, const char *typed, int64_t due_at, int64_t now)
{
	json_t *o;

	o = json_pack("{s:o,s:o,s:o,s:b}", "due", string_or_null(typed),
	    "due_at", due_at > 0 ? json_integer(due_at) : json_null(),
	    "seconds_left",
	    due_at > 0 ? json_integer(due_at - now) : json_null(), "overdue",
	    home_overdue(due_at, now));
	if (o != NULL && key != NULL && set(o, "key", json_string(key)) != 0) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

/* What every part says of its cycle. */
static json_t *
cycle_head(const struct db_cycle *c)
{
	return (json_pack("{s:I,s:I,s:s,s:s,s:s}", "id", (json_int_t)c->id,
	    "year", (json_int_t)c->year, "name", c->name, "state", c->state,
	    "timezone", c->timezone));
}

/* The cycles of the program, copied out of the listing so that each can
 * be read further while none is being listed. */
struct cycles {
	struct db_cycle *v;
	size_t		 n, cap;
};

static int
add_cycle(void *arg, const struct db_cycle *c)
{
	struct cycles	*l = arg;
	struct db_cycle *grown;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		if ((grown = realloc(l->v, l->cap * sizeof(*grown))) == NULL)
			return (OPS_ENOMEM);
		l->v = grown;
	}
	l->v[l->n++] = *c;
	return (0);
}

/* Where the work is first (core/home.h), then the newest. */
static int
cycle_cmp(const void *a, const void *b)
{
	const struct db_cycle *x = a, *y = b;
	enum cycle_state       s = CYCLE_SETUP, t = CYCLE_SETUP;
	int		       ox, oy;

	(void)cycle_state_parse(x->state, &s);
	(void)cycle_state_parse(y->state, &t);
	if ((ox = home_cycle_order(s)) != (oy = home_cycle_order(t)))
		return (ox < oy ? -1 : 1);
	if (x->year != y->year)
		return (x->year > y->year ? -1 : 1);
	return ((x->id < y->id) - (x->id > y->id));
}

/* The current cycles actor may see (not archived), where the work is
 * first: of the actor's program, or every program's for an applicant. */
static int
current_cycles(struct db *db, struct ops_actor actor, struct cycles *out)
{
	struct cycles all = { NULL, 0, 0 };
	size_t	      i;
	int	      rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_cycle_list(db,
		 actor.role == ROLE_APPLICANT ? 0 : actor.program, add_cycle,
		 &all)) != 0) {
		free(all.v);
		return (rc);
	}
	for (i = 0; i < all.n; i++) {
		enum cycle_state s;

		if (cycle_state_parse(all.v[i].state, &s) != 0 ||
		    s == CYCLE_ARCHIVED ||
		    !access_view_cycle(actor.role, s == CYCLE_SETUP))
			continue;
		all.v[out->n++] = all.v[i];
	}
	out->v = all.v;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cycle_cmp);
	return (0);
}

static enum cycle_state
state_of(const struct db_cycle *c)
{
	enum cycle_state s = CYCLE_SETUP;

	(void)cycle_state_parse(c->state, &s);
	return (s);
}

/* A time SQLite wrote ("YYYY-MM-DDTHH:MM:SSZ") as Unix seconds; 0 when
 * empty or not such a time. */
static int64_t
utc(const char *s)
{
	int64_t v;

	return (s != NULL && dates_utc_parse(s, &v) == 0 ? v : 0);
}

/*
 * The applicant's part.
 */

/* The letters as the applicant's home shows them: who and the status. */
static json_t *
letters_brief(const json_t *letters)
{
	const json_t *l;
	json_t	     *out;
	size_t	      i;

	if ((out = json_array()) == NULL)
		return (NULL);
	json_array_foreach(letters, i, l)
	{
		if (append(out,
			json_pack("{s:O,s:O,s:O,s:O,s:O}", "id",
			    json_object_get(l, "id"), "writer_name",
			    json_object_get(l, "writer_name"), "status",
			    json_object_get(l, "status"), "requested_at",
			    json_object_get(l, "requested_at"), "received_at",
			    json_object_get(l, "received_at"))) != 0) {
			json_decref(out);
			return (NULL);
		}
	}
	return (out);
}

static json_t *
timeline_json(const struct home_facts *f, int64_t now)
{
	int	done[HOME_STEP__MAX];
	int64_t at[HOME_STEP__MAX];
	json_t *out;
	int	s;

	home_timeline(f, now, done, at);
	if ((out = json_array()) == NULL)
		return (NULL);
	for (s = 0; s < HOME_STEP__MAX; s++) {
		if (append(out,
			json_pack("{s:s,s:b,s:o}", "step", home_step_names[s],
			    "done", done[s], "at",
			    at[s] != 0 ? json_integer(at[s]) : json_null())) !=
		    0) {
			json_decref(out);
			return (NULL);
		}
	}
	return (out);
}

/* The application's part of the view, from its full view (view). */
static json_t *
application_brief(const json_t *app, const struct db_cycle *c, int64_t now)
{
	const char *status = json_string_value(json_object_get(app, "status"));
	int	    draft = status != NULL && strcmp(status, "draft") == 0;

	return (json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:b,s:b}", "id",
	    json_object_get(app, "id"), "status",
	    json_object_get(app, "status"), "created_at",
	    json_object_get(app, "created_at"), "submitted_at",
	    json_object_get(app, "submitted_at"), "missing",
	    json_object_get(app, "missing"), "complete",
	    json_object_get(app, "complete"), "editable",
	    draft &&
		cycle_accepts_edits(state_of(c), c->open_at, c->close_at, now),
	    "withdrawable",
	    status != NULL && strcmp(status, "withdrawn") != 0));
}

static int
applicant_cycle(struct db *db, struct ops_actor actor, const struct db_cycle *c,
    int64_t now, json_t *cycles, struct ops_error *e)
{
	struct db_application a = { 0 };
	struct home_facts     f = { 0 };
	json_t *o = NULL, *head, *view = NULL, *lv = NULL, *inv = NULL;
	json_t *app = json_null(), *letters = NULL;
	int	rc, have;

	if ((have = db_application_by_owner(db, c->id, actor.id, &a)) < 0)
		return (have);
	if (have) {
		int64_t id = a.id;
		int	was_submitted = strcmp(a.status, "draft") != 0;

		f.created_at = utc(a.created_at);
		f.submitted_at = was_submitted ? utc(a.submitted_at) : 0;
		db_application_clear(&a);
		/* Through the operations that check the actor's reach, so
		 * the rule of who sees an application has one home. */
		if ((rc = ops_application_view(db, actor, id, &view, e)) !=
			OPS_OK ||
		    (rc = ops_letters_list(db, actor, id, &lv, e)) != OPS_OK ||
		    (rc = ops_interview_own(db, id, &inv)) != 0)
			goto out;
		json_decref(app);
		if ((app = application_brief(
			 json_object_get(view, "application"), c, now)) ==
			NULL ||
		    (letters = letters_brief(json_object_get(lv, "letters"))) ==
			NULL) {
			rc = OPS_ENOMEM;
			goto out;
		}
		if (json_is_object(inv)) {
			const json_t *slot = json_object_get(inv, "slot");

			f.invited_at = json_integer_value(
			    json_object_get(inv, "invited_at"));
			f.booked_at = json_integer_value(
			    json_object_get(inv, "booked_at"));
			f.slot_starts_at = json_integer_value(
			    json_object_get(slot, "starts_at"));
		}
	} else {
		if ((letters = json_array()) == NULL ||
		    (inv = json_null()) == NULL) {
			rc = OPS_ENOMEM;
			goto out;
		}
	}
	rc = OPS_ENOMEM;
	if ((head = cycle_head(c)) == NULL)
		goto out;
	if (set(head, "accepting_applications",
		json_boolean(cycle_accepts_edits(
		    state_of(c), c->open_at, c->close_at, now))) != 0 ||
	    set(head, "applications_close",
		deadline_json(NULL, c->dates[CYCLE_APPLICATIONS_CLOSE],
		    c->close_at, now)) != 0) {
		json_decref(head);
		goto out;
	}
	o = json_pack("{s:o,s:O,s:o,s:O,s:O}", "cycle", head, "application",
	    app, "timeline", timeline_json(&f, now), "letters", letters,
	    "invitation", inv);
	if (append(cycles, o) != 0)
		goto out;
	rc = OPS_OK;
out:
	db_application_clear(&a);
	json_decref(view);
	json_decref(lv);
	json_decref(inv);
	json_decref(app);
	json_decref(letters);
	return (rc);
}

static int
applicant_view(struct db *db, struct ops_actor actor, int64_t now, json_t *view,
    struct ops_error *e)
{
	struct cycles l;
	json_t	     *cycles;
	size_t	      i;
	int	      rc;

	if ((rc = current_cycles(db, actor, &l)) != 0)
		return (rc);
	if ((cycles = json_array()) == NULL) {
		free(l.v);
		return (OPS_ENOMEM);
	}
	for (i = 0, rc = OPS_OK; i < l.n && rc == OPS_OK; i++)
		rc = applicant_cycle(db, actor, &l.v[i], now, cycles, e);
	free(l.v);
	if (rc != OPS_OK) {
		json_decref(cycles);
		return (rc);
	}
	return (set(view, "cycles", cycles) == 0 ? OPS_OK : OPS_ENOMEM);
}

/*
 * A rater's part: the sheets to write.
 */

/* A phase of a cycle in the rater's list, before it is ordered. */
struct rater_phase {
	const struct db_cycle *cycle;
	int		       phase, closed;
	char		       due[20]; /* as typed; "" for none */
	int64_t		       due_at;
	int64_t		       done, total, drafts;
	json_t		      *pending;
};

struct rater_list {
	struct ops_actor    actor;
	struct rater_phase *v;
	size_t		    n, cap;
	size_t		    first; /* the current cycle's first phase in v */
};

/* Whether the rater may score a row: the candidate reachable (for
 * faculty: submitted, assigned, no recorded conflict; core/access.c)
 * and, for any rater, no recorded conflict (a conflict bars scoring,
 * ops/scores.c). */
static int
rater_may_score(struct ops_actor actor, const struct db_rater_sheet *r)
{
	return (!r->conflicted && strcmp(r->status, "submitted") == 0 &&
	    access_view_application(
		actor.role, actor.id, 0, 1, r->conflicted, 1));
}

static int
add_rater_sheet(void *arg, const struct db_rater_sheet *r)
{
	struct rater_list  *l = arg;
	struct rater_phase *p;
	enum phase	    ph;

	if (phase_parse(r->phase, &ph) != 0 || !rater_may_score(l->actor, r))
		return (0);
	p = &l->v[l->first + (size_t)ph];
	p->total++;
	if (strcmp(r->sheet, "submitted") == 0) {
		p->done++;
		return (0);
	}
	if (strcmp(r->sheet, "draft") == 0)
		p->drafts++;
	return (append(p->pending,
		    json_pack("{s:I,s:s,s:s}", "application_id",
			(json_int_t)r->application_id, "name", r->candidate,
			"sheet", r->sheet)) == 0
		? 0
		: OPS_ENOMEM);
}

/* Adds the phases of cycle c to l and counts the rater's sheets in
 * them. */
static int
rater_cycle(struct db *db, struct rater_list *l, const struct db_cycle *c)
{
	struct db_phase ph;
	int		p, rc;

	if (l->n + PHASE__MAX > l->cap) {
		struct rater_phase *grown;

		l->cap = l->cap ? 2 * l->cap : (size_t)4 * PHASE__MAX;
		if ((grown = realloc(l->v, l->cap * sizeof(*grown))) == NULL)
			return (OPS_ENOMEM);
		l->v = grown;
	}
	l->first = l->n;
	for (p = 0; p < PHASE__MAX; p++) {
		struct rater_phase *r = &l->v[l->n];

		memset(r, 0, sizeof(*r));
		if ((rc = review_phase_get(db, c->id, (enum phase)p, &ph)) != 0)
			return (rc);
		if ((r->pending = json_array()) == NULL)
			return (OPS_ENOMEM);
		l->n++;
		r->cycle = c;
		r->phase = p;
		(void)snprintf(r->due, sizeof(r->due), "%s", ph.scoring_due);
		r->due_at = ph.scoring_due_at;
		r->closed = ph.closed_at != 0;
	}
	return (
	    db_home_rater_sheets(db, c->id, l->actor.id, add_rater_sheet, l));
}

/* Open phases first, then by deadline (overdue first), cycle, phase. */
static int
rater_phase_cmp(const void *a, const void *b)
{
	const struct rater_phase *x = a, *y = b;
	int			  c;

	if (x->closed != y->closed)
		return (x->closed ? 1 : -1);
	if ((c = home_due_cmp(x->due_at, y->due_at)) != 0)
		return (c);
	if (x->cycle->id != y->cycle->id)
		return (x->cycle->id > y->cycle->id ? -1 : 1);
	return ((x->phase > y->phase) - (x->phase < y->phase));
}

static void
rater_list_free(struct rater_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		json_decref(l->v[i].pending);
	free(l->v);
}

/*
 * {done, total, next, phases} of a rater into *out; with_empty says
 * whether to answer when nothing is assigned (else *out is NULL).
 */
static int
rater_sheets(struct db *db, struct ops_actor actor, int64_t now, int with_empty,
    json_t **out)
{
	struct rater_list l;
	struct cycles	  cs;
	json_t		 *phases = NULL, *next = NULL, *o;
	int64_t		  done = 0, total = 0;
	size_t		  i;
	int		  rc;

	*out = NULL;
	memset(&l, 0, sizeof(l));
	l.actor = actor;
	if ((rc = current_cycles(db, actor, &cs)) != 0)
		return (rc);
	for (i = 0; i < cs.n && rc == 0; i++) {
		if (review_scoring_open(state_of(&cs.v[i])))
			rc = rater_cycle(db, &l, &cs.v[i]);
	}
	if (rc != 0)
		goto out;
	if (l.n > 0)
		qsort(l.v, l.n, sizeof(*l.v), rater_phase_cmp);
	rc = OPS_ENOMEM;
	if ((phases = json_array()) == NULL)
		goto out;
	for (i = 0; i < l.n; i++) {
		const struct rater_phase *p = &l.v[i];

		if (p->total == 0)
			continue;
		done += p->done;
		total += p->total;
		o = json_pack("{s:I,s:s,s:s,s:s,s:b,s:o,s:I,s:I,s:I,s:O}",
		    "cycle_id", (json_int_t)p->cycle->id, "cycle",
		    p->cycle->name, "timezone", p->cycle->timezone, "phase",
		    phase_names[p->phase], "closed", p->closed, "deadline",
		    deadline_json(NULL, p->due, p->due_at, now), "done",
		    (json_int_t)p->done, "total", (json_int_t)p->total,
		    "drafts", (json_int_t)p->drafts, "pending", p->pending);
		if (append(phases, o) != 0)
			goto out;
		if (next == NULL && !p->closed &&
		    json_array_size(p->pending) > 0) {
			const json_t *first = json_array_get(p->pending, 0);

			if ((next = json_pack("{s:I,s:s,s:O,s:O}", "cycle_id",
				 (json_int_t)p->cycle->id, "phase",
				 phase_names[p->phase], "application_id",
				 json_object_get(first, "application_id"),
				 "name", json_object_get(first, "name"))) ==
			    NULL)
				goto out;
		}
	}
	if (total == 0 && !with_empty) {
		rc = OPS_OK;
		goto out;
	}
	*out = json_pack("{s:I,s:I,s:o,s:O}", "done", (json_int_t)done, "total",
	    (json_int_t)total, "next", next != NULL ? next : json_null(),
	    "phases", phases);
	next = NULL;
	rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
out:
	json_decref(next);
	json_decref(phases);
	rater_list_free(&l);
	free(cs.v);
	return (rc);
}

/*
 * The staff's parts.
 */

/* The deadlines of cycle c still to be seen (core/home.h), earliest
 * first. */
struct due {
	const char *key;
	const char *typed;
	int64_t	    at;
	int	    open; /* the work it bounds is still open */
};

static int
due_cmp(const void *a, const void *b)
{
	const struct due *x = a, *y = b;

	return (home_due_cmp(x->at, y->at));
}

static json_t *
deadlines_json(struct db *db, const struct db_cycle *c, int64_t now, int *rc)
{
	struct due	 d[2 + PHASE__MAX];
	struct db_phase	 ph[PHASE__MAX];
	enum cycle_state s = state_of(c);
	json_t		*out;
	size_t		 n = 0, i;
	int		 p;

	*rc = OPS_OK;
	d[n++] = (struct due){ "applications_close",
		c->dates[CYCLE_APPLICATIONS_CLOSE], c->close_at, 0 };
	for (p = 0; p < PHASE__MAX; p++) {
		if ((*rc = review_phase_get(
			 db, c->id, (enum phase)p, &ph[p])) != 0)
			return (NULL);
		d[n++] = (struct due){ p == PHASE_SCREENING ? "screening"
							    : "interview",
			ph[p].scoring_due, ph[p].scoring_due_at,
			ph[p].closed_at == 0 && review_scoring_open(s) };
	}
	d[n++] = (struct due){ "ranklist_due", c->dates[CYCLE_RANKLIST_DUE],
		c->ranklist_due_at, s < CYCLE_CERTIFIED };
	qsort(d, n, sizeof(d[0]), due_cmp);
	*rc = OPS_ENOMEM;
	if ((out = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if (!home_deadline_listed(d[i].at, d[i].open, now))
			continue;
		if (append(out,
			deadline_json(d[i].key, d[i].typed, d[i].at, now)) !=
		    0) {
			json_decref(out);
			return (NULL);
		}
	}
	*rc = OPS_OK;
	return (out);
}

/* The rows of db_home_progress() for a cycle, kept per phase. */
struct progress {
	json_t *behind;		  /* raters with sheets outstanding */
	int	open[PHASE__MAX]; /* the phase takes sheets */
	int64_t assigned[PHASE__MAX], submitted[PHASE__MAX], drafts[PHASE__MAX],
	    raters_behind[PHASE__MAX];
};

static int
add_progress(void *arg, const struct db_progress_row *r)
{
	struct progress *g = arg;
	enum phase	 p;

	if (phase_parse(r->phase, &p) != 0)
		return (0);
	g->assigned[p] += r->assigned;
	g->submitted[p] += r->submitted;
	g->drafts[p] += r->drafts;
	if (r->submitted >= r->assigned)
		return (0);
	g->raters_behind[p]++;
	/* A disabled account cannot be reminded: counted, not listed. */
	if (g->behind == NULL || !g->open[p] || r->disabled)
		return (0);
	if (append(g->behind,
		json_pack("{s:s,s:I,s:s,s:I,s:I,s:I,s:I}", "phase", r->phase,
		    "rater_id", (json_int_t)r->rater_id, "name", r->name,
		    "assigned", (json_int_t)r->assigned, "submitted",
		    (json_int_t)r->submitted, "drafts", (json_int_t)r->drafts,
		    "missing", (json_int_t)(r->assigned - r->submitted))) != 0)
		return (OPS_ENOMEM);
	return (0);
}

static int
load_progress(struct db *db, const struct db_cycle *c, int list,
    struct progress *g, struct db_phase ph[PHASE__MAX])
{
	int p, rc;

	memset(g, 0, sizeof(*g));
	for (p = 0; p < PHASE__MAX; p++) {
		if ((rc = review_phase_get(db, c->id, (enum phase)p, &ph[p])) !=
		    0)
			return (rc);
		g->open[p] =
		    ph[p].closed_at == 0 && review_scoring_open(state_of(c));
	}
	if (list && (g->behind = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_home_progress(db, c->id, add_progress, g)) != 0) {
		json_decref(g->behind);
		g->behind = NULL;
		return (rc);
	}
	return (0);
}

static int
add_not_booked(void *arg, const struct db_not_booked *r)
{
	return (
	    append(arg,
		json_pack("{s:I,s:s,s:I,s:o}", "application_id",
		    (json_int_t)r->application_id, "name", r->candidate,
		    "invited_at", (json_int_t)r->invited_at, "waitlisted_at",
		    r->waitlisted_at != 0 ? json_integer(r->waitlisted_at)
					  : json_null())) == 0
		? 0
		: OPS_ENOMEM);
}

static json_t *
pipeline_json(struct db *db, int64_t cycle, int *rc)
{
	struct db_app_required req;
	struct db_pipeline     p;
	char		       fields[512], docs[128];

	if (ops_application_required(
		fields, sizeof(fields), docs, sizeof(docs)) != 0) {
		*rc = OPS_ENOMEM;
		return (NULL);
	}
	req.fields = fields;
	req.documents = docs;
	if ((*rc = db_home_pipeline(db, cycle, &req, &p)) != 0)
		return (NULL);
	*rc = OPS_ENOMEM;
	return (json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "drafts",
	    (json_int_t)p.drafts, "drafts_complete",
	    (json_int_t)p.drafts_complete, "submitted_complete",
	    (json_int_t)p.submitted_complete, "submitted_incomplete",
	    (json_int_t)p.submitted_incomplete, "withdrawn",
	    (json_int_t)p.withdrawn, "letters_outstanding",
	    (json_int_t)p.letters_outstanding, "awaiting_letters",
	    (json_int_t)p.awaiting_letters));
}

static int
coordinator_cycle(struct db *db, const struct db_cycle *c, json_t *o)
{
	struct progress g;
	struct db_phase ph[PHASE__MAX];
	json_t	       *nb;
	int		rc;

	if (set(o, "pipeline", pipeline_json(db, c->id, &rc)) != 0)
		return (rc);
	if ((nb = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_home_not_booked(db, c->id, add_not_booked, nb)) != 0) {
		json_decref(nb);
		return (rc);
	}
	if (set(o, "not_booked", nb) != 0)
		return (OPS_ENOMEM);
	if ((rc = load_progress(db, c, 1, &g, ph)) != 0)
		return (rc);
	return (set(o, "raters_behind", g.behind) == 0 ? OPS_OK : OPS_ENOMEM);
}

/*
 * The certification readiness of c's current list (or the computed one)
 * on the build r, as the rank list's Certify dialog shows it (one rule:
 * ops/readiness.c): *cert is {ready, blocking:[{code, message}],
 * warnings:[{code, title, count}]}, *ni the ranked candidates without an
 * interview sheet that counts [{application_id, name}], *ranked how
 * many the list ranks and *gone its entries that are no longer
 * candidates (ranklist_departures(): under a certified list, those who
 * left it since it was certified, with the names it certified).
 */
static int
certification_json(struct db *db, const struct db_cycle *c,
    const struct ranking *r, json_t **cert, json_t **ni, int64_t *ranked,
    json_t **gone)
{
	struct ranklist_ready ready = { 0 };
	struct db_ranklist    v;
	struct ops_error      e = { 0 };
	enum cycle_state      state;
	json_t	     *entries = NULL, *blocking = NULL, *warnings = NULL;
	json_t	     *snap = NULL;
	const json_t *x;
	size_t	      i, j;
	int	      rc, have = 0;

	*cert = *ni = *gone = NULL;
	*ranked = 0;
	memset(&v, 0, sizeof(v));
	if (cycle_state_parse(c->state, &state) != 0)
		return (DB_ERROR);
	if ((rc = ranklist_load_version(db, r, 0, &v, &have, &e)) != OPS_OK)
		return (rc);
	if ((rc = ranklist_entries(r, &v, have, &entries)) != OPS_OK)
		goto out;
	if ((rc = ranklist_readiness(db, r, entries, have ? &v : NULL, state,
		 -1, &ready)) != OPS_OK)
		goto out;
	snap = have ? ranklist_snapshot_of(&v) : NULL;
	if ((rc = ranklist_departures(db, r, entries, snap, gone)) != OPS_OK)
		goto out;
	rc = OPS_ENOMEM;
	if ((blocking = json_array()) == NULL ||
	    (warnings = json_array()) == NULL || (*ni = json_array()) == NULL)
		goto out;
	json_array_foreach(ready.blocking, i, x)
	{
		if (append(blocking,
			json_pack("{s:O,s:O}", "code",
			    json_object_get(x, "code"), "message",
			    json_object_get(x, "message"))) != 0)
			goto out;
	}
	json_array_foreach(ready.warnings, i, x)
	{
		const json_t *it;

		if (append(warnings,
			json_pack("{s:O,s:O,s:O}", "code",
			    json_object_get(x, "code"), "title",
			    json_object_get(x, "title"), "count",
			    json_object_get(x, "count"))) != 0)
			goto out;
		if (strcmp(json_string_value(json_object_get(x, "code")),
			ready_warn_codes[READY_NOT_INTERVIEWED]) != 0)
			continue;
		json_array_foreach(json_object_get(x, "items"), j, it)
		{
			if (append(*ni,
				json_pack("{s:O,s:O}", "application_id",
				    json_object_get(it, "application_id"),
				    "name", json_object_get(it, "name"))) != 0)
				goto out;
		}
	}
	if ((*cert = json_pack("{s:b,s:O,s:O}", "ready",
		 json_array_size(ready.blocking) == 0, "blocking", blocking,
		 "warnings", warnings)) == NULL)
		goto out;
	*ranked = ready.ranked;
	rc = OPS_OK;
out:
	if (rc != OPS_OK) {
		json_decref(*ni);
		json_decref(*gone);
		*ni = *gone = NULL;
	}
	json_decref(blocking);
	json_decref(warnings);
	json_decref(entries);
	json_decref(snap);
	ranklist_ready_clear(&ready);
	db_ranklist_clear(&v);
	return (rc);
}

static int
count_one(void *arg, const struct db_not_booked *r)
{
	(void)r;
	(*(int64_t *)arg)++;
	return (0);
}

/* The director's readiness for ranking and certification of c. */
static int
readiness_json(
    struct db *db, const struct db_cycle *c, int64_t now, json_t **out)
{
	struct progress	   g;
	struct db_phase	   ph[PHASE__MAX];
	struct db_ranklist rl;
	struct ranking	  *r = NULL;
	struct ops_error   e = { 0 };
	json_t *phases = NULL, *ni = NULL, *list = NULL, *cert = NULL;
	json_t *gone = NULL;
	int64_t pool = 0, nb = 0;
	int	p, rc, have;

	*out = NULL;
	if ((rc = load_progress(db, c, 0, &g, ph)) != 0 ||
	    (rc = db_home_not_booked(db, c->id, count_one, &nb)) != 0)
		return (rc);
	/* What the ranking tells, built as the ranking page builds it. */
	if ((rc = ranking_build(db, c->id, &r, &e)) < 0)
		return (rc);
	rc = OPS_ENOMEM;
	if ((phases = json_array()) == NULL)
		goto out;
	for (p = 0; p < PHASE__MAX; p++) {
		json_t *o;

		o = json_pack("{s:s,s:b,s:o,s:I,s:I,s:I,s:I,s:I,s:o}", "phase",
		    phase_names[p], "closed", ph[p].closed_at != 0, "deadline",
		    deadline_json(
			NULL, ph[p].scoring_due, ph[p].scoring_due_at, now),
		    "assigned", (json_int_t)g.assigned[p], "submitted",
		    (json_int_t)g.submitted[p], "drafts",
		    (json_int_t)g.drafts[p], "missing",
		    (json_int_t)(g.assigned[p] - g.submitted[p] - g.drafts[p]),
		    "raters_behind", (json_int_t)g.raters_behind[p], "groups",
		    r != NULL ? json_integer(r->phases[p].res.groups)
			      : json_null());
		if (append(phases, o) != 0)
			goto out;
	}
	if (r != NULL &&
	    (rc = certification_json(db, c, r, &cert, &ni, &pool, &gone)) !=
		OPS_OK)
		goto out;
	rc = OPS_ENOMEM;
	if ((have = db_ranklist_current(db, c->id, &rl)) < 0) {
		rc = have;
		goto out;
	}
	if (have) {
		list = json_pack("{s:I,s:s,s:I}", "version",
		    (json_int_t)rl.version, "kind", rl.kind, "created_at",
		    (json_int_t)rl.created_at);
		db_ranklist_clear(&rl);
		if (list == NULL)
			goto out;
	}
	*out = json_pack("{s:O,s:o,s:o,s:I,s:o,s:o,s:o,s:o}", "phases", phases,
	    "candidates", r != NULL ? json_integer(pool) : json_null(),
	    "not_interviewed", ni != NULL ? json_incref(ni) : json_null(),
	    "not_booked", (json_int_t)nb, "ranking_error",
	    r == NULL ? json_string(e.message) : json_null(), "ranklist",
	    list != NULL ? json_incref(list) : json_null(), "certification",
	    cert != NULL ? json_incref(cert) : json_null(), "departures",
	    gone != NULL ? json_incref(gone) : json_null());
	rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
out:
	ranking_free(r);
	json_decref(phases);
	json_decref(ni);
	json_decref(list);
	json_decref(cert);
	json_decref(gone);
	return (rc);
}

static int
add_failed(void *arg, const struct db_mail_row *m)
{
	return (
	    append(arg,
		json_pack("{s:I,s:s,s:s,s:I,s:I,s:s}", "id", (json_int_t)m->id,
		    "to", m->to, "subject", m->subject, "created_at",
		    (json_int_t)m->created_at, "attempts",
		    (json_int_t)m->attempts, "last_error", m->last_error)) == 0
		? 0
		: OPS_ENOMEM);
}

static int
mail_json(struct db *db, int64_t program, json_t *view)
{
	json_t *recent;
	int64_t failed = 0, retrying = 0;
	int	rc;

	if ((rc = db_home_mail_counts(db, program, &failed, &retrying)) != 0)
		return (rc);
	if ((recent = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_home_mail_failed(
		 db, program, OPS_HOME_MAIL_LISTED, add_failed, recent)) != 0) {
		json_decref(recent);
		return (rc);
	}
	return (
	    set(view, "mail",
		json_pack("{s:I,s:I,s:o}", "failed", (json_int_t)failed,
		    "retrying", (json_int_t)retrying, "recent", recent)) == 0
		? OPS_OK
		: OPS_ENOMEM);
}

static int
staff_cycle(struct db *db, struct ops_actor actor, const struct db_cycle *c,
    int64_t now, json_t *cycles)
{
	enum cycle_state s = state_of(c);
	json_t		*o, *readiness = NULL, *pending = NULL;
	int		 rc;

	if ((o = json_pack("{s:o}", "cycle", cycle_head(c))) == NULL)
		return (OPS_ENOMEM);
	if (set(o, "deadlines", deadlines_json(db, c, now, &rc)) != 0)
		goto fail;
	/* Conflicts declared after scoring closed, held for a decision
	 * that either of the staff makes. */
	if ((rc = ops_conflict_requests(db, c->id, 0, 1, &pending)) != OPS_OK)
		goto fail;
	if (set(o, "pending_conflicts", pending) != 0) {
		rc = OPS_ENOMEM;
		goto fail;
	}
	if (actor.role == ROLE_COORDINATOR)
		rc = coordinator_cycle(db, c, o);
	else if (s >= CYCLE_REVIEW && s <= CYCLE_CERTIFIED) {
		if ((rc = readiness_json(db, c, now, &readiness)) == OPS_OK &&
		    set(o, "readiness", readiness) != 0)
			rc = OPS_ENOMEM;
	} else
		rc =
		    set(o, "readiness", json_null()) == 0 ? OPS_OK : OPS_ENOMEM;
	if (rc != OPS_OK)
		goto fail;
	return (append(cycles, o) == 0 ? OPS_OK : OPS_ENOMEM);
fail:
	json_decref(o);
	return (rc != OPS_OK ? rc : OPS_ENOMEM);
}

static int
staff_view(struct db *db, struct ops_actor actor, int64_t now, json_t *view)
{
	struct cycles l;
	json_t	     *cycles, *sheets = NULL;
	size_t	      i;
	int	      rc;

	if ((rc = current_cycles(db, actor, &l)) != 0)
		return (rc);
	if ((cycles = json_array()) == NULL) {
		free(l.v);
		return (OPS_ENOMEM);
	}
	for (i = 0, rc = OPS_OK; i < l.n && rc == OPS_OK; i++)
		rc = staff_cycle(db, actor, &l.v[i], now, cycles);
	free(l.v);
	if (rc != OPS_OK) {
		json_decref(cycles);
		return (rc);
	}
	if (set(view, "cycles", cycles) != 0)
		return (OPS_ENOMEM);
	if ((rc = mail_json(db, actor.program, view)) != OPS_OK)
		return (rc);
	/* The director scores too, when given candidates. */
	if (actor.role == ROLE_DIRECTOR) {
		if ((rc = rater_sheets(db, actor, now, 0, &sheets)) != OPS_OK)
			return (rc);
		if (sheets != NULL && set(view, "sheets", sheets) != 0)
			return (OPS_ENOMEM);
	}
	return (OPS_OK);
}

int
ops_home_view(struct db *db, struct ops_actor actor, int64_t now, json_t **out,
    struct ops_error *e)
{
	json_t *view, *sheets = NULL;
	int	rc;

	*out = NULL;
	if ((unsigned int)actor.role >= ROLE__MAX || actor.id <= 0)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only a signed-in user has a home page."));
	if ((view = json_pack("{s:s,s:I}", "role", role_name(actor.role), "now",
		 (json_int_t)now)) == NULL)
		return (OPS_ENOMEM);
	switch (actor.role) {
	case ROLE_APPLICANT:
		rc = applicant_view(db, actor, now, view, e);
		break;
	case ROLE_FACULTY:
		if ((rc = rater_sheets(db, actor, now, 1, &sheets)) == OPS_OK &&
		    set(view, "sheets", sheets) != 0)
			rc = OPS_ENOMEM;
		break;
	default:
		rc = staff_view(db, actor, now, view);
		break;
	}
	if (rc != OPS_OK) {
		json_decref(view);
		return (rc);
	}
	*out = view;
	return (OPS_OK);
}
