/*
 * The rank meeting (ops/meeting.h): its start with the snapshot and the
 * agenda, the log of sheet changes while it is open (ops/meeting_int.h,
 * called by the operations that write sheets and conflicts), the marks
 * of the agenda's candidates, its end, its view and the archive's part.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/meeting.h"
#include "ops/common.h"
#include "ops/meeting.h"
#include "ops/meeting_int.h"
#include "ops/ranking_int.h"
#include "ops/review_int.h"

/* The phases in words, for the agenda's reasons. */
static const char *const phase_words[PHASE__MAX] = { "screening", "interview" };

/* A number, or null when it is not one (NaN: unknown). */
static json_t *
num(double v)
{
	return (isfinite(v) ? json_real(v) : json_null());
}

/* The criteria of the rubric versions met, by id, so that each is read
 * and parsed once. */
#define RUBRIC_CACHE 32

struct rubric_cache {
	int	n;
	int64_t id[RUBRIC_CACHE];
	json_t *criteria[RUBRIC_CACHE];
};

static void
rubric_cache_clear(struct rubric_cache *c)
{
	int i;

	for (i = 0; i < c->n; i++)
		json_decref(c->criteria[i]);
	c->n = 0;
}

/* The criteria of rubric id (a borrowed reference), or NULL. */
static const json_t *
rubric_criteria(struct db *db, struct rubric_cache *c, int64_t id)
{
	struct db_rubric r;
	json_t		*crit;
	int		 i;

	for (i = 0; i < c->n; i++)
		if (c->id[i] == id)
			return (c->criteria[i]);
	if (db_rubric_by_id(db, id, &r) != 1)
		return (NULL);
	crit = json_loads(r.criteria, 0, NULL);
	db_rubric_clear(&r);
	if (crit == NULL)
		return (NULL);
	/* More versions than the cache holds: start it again. */
	if (c->n == RUBRIC_CACHE)
		rubric_cache_clear(c);
	c->id[c->n] = id;
	c->criteria[c->n] = crit;
	c->n++;
	return (crit);
}

json_t *
meeting_sheet_state(const char *status, const json_t *criteria,
    const json_t *values, const char *comment, int counts)
{
	return (json_pack("{s:s,s:o,s:O,s:s,s:b}", "status", status, "score",
	    num(rubric_weighted(criteria, values)), "values", values, "comment",
	    comment != NULL ? comment : "", "counts", counts != 0));
}

int
meeting_note_sheet(struct db *db, int64_t cycle, int64_t sheet,
    const char *kind, const json_t *before, const json_t *after, int64_t by,
    int64_t now)
{
	struct db_meeting_change c = { 0 };
	char			*b = NULL, *a = NULL;
	int64_t			 meeting;
	int			 rc;

	if ((rc = db_meeting_open_id(db, cycle, &meeting)) <= 0)
		return (rc);
	if ((before != NULL &&
		(b = json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS)) ==
		    NULL) ||
	    (a = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		free(b);
		return (OPS_ENOMEM);
	}
	c.meeting_id = meeting;
	c.sheet_id = sheet;
	c.changed_by = by;
	c.at = now;
	c.kind = kind;
	c.before = b;
	c.after = a;
	rc = db_meeting_change_insert(db, &c);
	free(b);
	free(a);
	return (rc);
}

int
meeting_note_conflict(struct db *db, int64_t application, int64_t faculty,
    int recorded, int64_t by, int64_t now)
{
	struct db_application a = { 0 };
	struct db_sheet	      s;
	struct rubric_cache   rc_cache = { 0 };
	const json_t	     *crit;
	json_t		     *values, *before, *after;
	int64_t		      meeting;
	int		      rc, p, have;

	if ((rc = db_application_by_id(db, application, &a)) <= 0)
		return (rc);
	db_application_clear(&a);
	if ((rc = db_meeting_open_id(db, a.cycle_id, &meeting)) <= 0)
		return (rc);
	/* A meeting is open (1): the sheets' changes are logged below. */
	rc = 0;
	for (p = 0; p < PHASE__MAX && rc == 0; p++) {
		if ((have = db_sheet_get(
			 db, application, faculty, phase_names[p], &s)) <= 0) {
			rc = have;
			continue;
		}
		if (strcmp(s.status, "submitted") != 0) {
			db_sheet_clear(&s);
			continue;
		}
		crit = rubric_criteria(db, &rc_cache, s.rubric_id);
		values = json_loads(s.values, 0, NULL);
		if (crit == NULL || values == NULL) {
			json_decref(values);
			db_sheet_clear(&s);
			rc = DB_ERROR;
			break;
		}
		/* A recorded conflict voids the sheet; a removed one makes
		 * it count again. */
		before = meeting_sheet_state(
		    s.status, crit, values, s.comment, !!recorded);
		after = meeting_sheet_state(
		    s.status, crit, values, s.comment, !recorded);
		rc = before == NULL || after == NULL
		    ? OPS_ENOMEM
		    : meeting_note_sheet(db, a.cycle_id, s.id,
			  recorded ? "conflict" : "conflict_removed", before,
			  after, by, now);
		json_decref(before);
		json_decref(after);
		json_decref(values);
		db_sheet_clear(&s);
	}
	rubric_cache_clear(&rc_cache);
	return (rc);
}

/* ------------------------------------------------------------------ */
/* The snapshot and the agenda. */

struct sheets_ctx {
	struct db	   *db;
	struct rubric_cache cache;
	json_t		   *list;
	/* When set, only the sheets of these candidates (application id
	 * text -> array), for the view. */
	json_t *by_app;
};

/* One submitted sheet as the snapshot and the view show it. */
static json_t *
sheet_json(struct sheets_ctx *x, const struct db_sheet *s, int *err)
{
	const json_t *crit;
	json_t	     *values, *items, *o;
	size_t	      i;
	int	      counts;

	*err = 0;
	if ((counts = db_conflict_exists(
		 x->db, s->application_id, s->rater_id)) < 0) {
		*err = counts;
		return (NULL);
	}
	if ((crit = rubric_criteria(x->db, &x->cache, s->rubric_id)) == NULL ||
	    (values = json_loads(s->values, 0, NULL)) == NULL) {
		*err = DB_ERROR;
		return (NULL);
	}
	/* The item scores in the rubric's order, with their labels. */
	if ((items = json_array()) == NULL) {
		json_decref(values);
		*err = OPS_ENOMEM;
		return (NULL);
	}
	for (i = 0; i < json_array_size(crit); i++) {
		const json_t *c = json_array_get(crit, i);
		const char *key = json_string_value(json_object_get(c, "key"));
		const json_t *label = json_object_get(c, "label");

		if (key == NULL)
			continue;
		json_array_append_new(items,
		    json_pack("{s:s,s:s,s:O?}", "key", key, "label",
			json_is_string(label) ? json_string_value(label) : key,
			"value", json_object_get(values, key)));
	}
	o = json_pack("{s:I,s:I,s:I,s:s,s:s,s:o,s:o,s:o,s:s,s:I,s:I,s:b}",
	    "sheet_id", (json_int_t)s->id, "application_id",
	    (json_int_t)s->application_id, "rater_id", (json_int_t)s->rater_id,
	    "rater_name", s->rater_name, "phase", s->phase, "score",
	    num(rubric_weighted(crit, values)), "values", values, "items",
	    items, "comment", s->comment, "version", (json_int_t)s->version,
	    "submitted_at", (json_int_t)s->submitted_at, "counts", counts == 0);
	if (o == NULL)
		*err = OPS_ENOMEM;
	return (o);
}

static int
add_sheet(void *arg, const struct db_sheet *s)
{
	struct sheets_ctx *x = arg;
	json_t		  *o, *to = x->list;
	char		   key[32];
	int		   err;

	if (x->by_app != NULL) {
		(void)snprintf(
		    key, sizeof(key), "%lld", (long long)s->application_id);
		if ((to = json_object_get(x->by_app, key)) == NULL)
			return (0);
	}
	if ((o = sheet_json(x, s, &err)) == NULL)
		return (err);
	return (json_array_append_new(to, o) == 0 ? 0 : OPS_ENOMEM);
}

/* r's candidates with a place, in composite order: indexes into
 * r->cands (freed by the caller), their number in *n. */
static int *
placed_order(const struct ranking *r, int *n)
{
	int *order, i, k;

	*n = 0;
	if ((order = calloc((size_t)r->ncands + 1, sizeof(*order))) == NULL)
		return (NULL);
	for (i = 0; i < r->ncands; i++) {
		k = r->cands[i].rank;
		if (k >= 1 && k <= r->ncands)
			order[k - 1] = i + 1;
	}
	for (i = 0, k = 0; i < r->ncands; i++)
		if (order[i] != 0)
			order[k++] = order[i] - 1;
	*n = k;
	return (order);
}

/* The composite order of r: [{application_id, name, rank, composite,
 * in_list}] for the candidates with a place. */
static json_t *
order_json(const struct ranking *r)
{
	json_t *list;
	int    *order, n, i;

	if ((order = placed_order(r, &n)) == NULL)
		return (NULL);
	if ((list = json_array()) != NULL)
		for (i = 0; i < n; i++) {
			const struct rank_cand *c = &r->cands[order[i]];

			json_array_append_new(list,
			    json_pack("{s:I,s:s,s:i,s:o,s:b}", "application_id",
				(json_int_t)c->app, "name", c->name, "rank",
				c->rank, "composite", num(c->composite),
				"in_list", c->in_pool));
		}
	free(order);
	return (list);
}

/* The agenda of r (core/meeting.h): [{application_id, name, rank,
 * composite, reasons:[{code, text}], next:{application_id, name}|null}]
 * in composite order. */
static json_t *
agenda_json(const struct ranking *r)
{
	struct meeting_cand *mc;
	struct meeting_item *it;
	json_t		    *list = NULL, *reasons;
	char		     text[300];
	int		     i, n, b, p;

	mc = calloc((size_t)r->ncands + 1, sizeof(*mc));
	it = calloc((size_t)r->ncands + 1, sizeof(*it));
	if (mc == NULL || it == NULL)
		goto out;
	for (i = 0; i < r->ncands; i++) {
		const struct rank_cand *c = &r->cands[i];

		mc[i].app = c->app;
		mc[i].in_pool = c->in_pool;
		mc[i].rank = c->rank;
		mc[i].p_top = c->p_top;
		mc[i].p_swap_next = c->p_swap_next;
		for (p = 0; p < PHASE__MAX; p++)
			if (r->phases[p].res.cands != NULL &&
			    r->phases[p].res.cands[i].disagree)
				mc[i].disagree |= 1u << p;
	}
	if ((n = meeting_agenda(mc, r->ncands, r->positions, it)) < 0 ||
	    (list = json_array()) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		const struct rank_cand *c = &r->cands[it[i].cand];
		const struct rank_cand *nx =
		    it[i].next >= 0 ? &r->cands[it[i].next] : NULL;

		if ((reasons = json_array()) == NULL) {
			json_decref(list);
			list = NULL;
			goto out;
		}
		for (b = 0; b < MEETING_REASONS; b++) {
			if (!(it[i].reasons & (1u << b)))
				continue;
			if (meeting_reason_text(1u << b, &mc[it[i].cand],
				r->positions, phase_words, PHASE__MAX,
				nx != NULL ? &mc[it[i].next] : NULL,
				nx != NULL ? nx->name : NULL, text,
				sizeof(text)) != 0)
				continue;
			json_array_append_new(reasons,
			    json_pack("{s:s,s:s}", "code",
				meeting_reason_codes[b], "text", text));
		}
		json_array_append_new(list,
		    json_pack("{s:I,s:s,s:i,s:o,s:o,s:o}", "application_id",
			(json_int_t)c->app, "name", c->name, "rank", c->rank,
			"composite", num(c->composite), "reasons", reasons,
			"next",
			nx != NULL ? json_pack("{s:I,s:s}", "application_id",
					 (json_int_t)nx->app, "name", nx->name)
				   : json_null()));
	}
out:
	free(mc);
	free(it);
	return (list);
}

/* What starting attempts with, on each build. */
struct start_ctx {
	struct ops_actor actor;
	int64_t		 now;
};

/* One attempt at starting, on the build r, in one transaction
 * (ranking_write_built()). */
static int
start_built(struct db *db, const struct ranking *r, void *arg, int *changed,
    struct ops_error *e)
{
	const struct start_ctx *s = arg;
	struct ops_actor	actor = s->actor;
	int64_t			now = s->now;
	struct db_cycle		c;
	struct db_meeting	m = { 0 };
	struct sheets_ctx	x = { db, { 0 }, NULL, NULL };
	enum cycle_state	state;
	json_t		       *snap = NULL, *order = NULL, *agenda = NULL;
	int64_t			id = 0;
	int			rc, same = 0;

	*changed = 0;
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = review_cycle(db, r->cycle, &c, &state, e)) != OPS_OK)
		goto out;
	if (state == CYCLE_CERTIFIED || state == CYCLE_ARCHIVED) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    state == CYCLE_CERTIFIED
			? "The rank list is certified: a rank meeting is held "
			  "before certifying; reopen the list first."
			: "The cycle is archived: it holds no more rank "
			  "meetings.");
		goto out;
	}
	if ((rc = db_meeting_open_id(db, r->cycle, &id)) != 0) {
		if (rc == 1)
			rc = ops_refuse(e, OPS_CONFLICT, NULL,
			    "A rank meeting of this cycle is open already; end "
			    "it before starting another.");
		goto out;
	}
	if ((rc = ranking_check(db, r, &same)) != OPS_OK)
		goto out;
	if (!same) {
		*changed = 1;
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "The scores kept changing while the meeting was being "
		    "started; try again.");
		goto out;
	}
	if ((x.list = json_array()) == NULL ||
	    (order = order_json(r)) == NULL ||
	    (agenda = agenda_json(r)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = db_sheet_list_cycle(db, r->cycle, NULL, add_sheet, &x)) != 0)
		goto out;
	if ((snap = json_pack("{s:i,s:O,s:O}", "positions", r->positions,
		 "sheets", x.list, "order", order)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	m.cycle_id = r->cycle;
	m.started_by = actor.id;
	m.started_at = now;
	m.snapshot = json_dumps(snap, JSON_COMPACT | JSON_SORT_KEYS);
	m.agenda = json_dumps(agenda, JSON_COMPACT);
	if (m.snapshot == NULL || m.agenda == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = db_meeting_insert(db, &m, &id)) != 0)
		goto out;
	rc = ops_audit(db, actor.id, "meeting.start", "cycle", r->cycle,
	    json_pack("{s:I,s:i,s:i}", "meeting", (json_int_t)id, "agenda",
		(int)json_array_size(agenda), "sheets",
		(int)json_array_size(x.list)));
out:
	rc = ops_finish(db, rc);
	db_meeting_clear(&m);
	rubric_cache_clear(&x.cache);
	json_decref(x.list);
	json_decref(order);
	json_decref(agenda);
	json_decref(snap);
	return (rc);
}

int
ops_meeting_start(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t now, json_t **out, struct ops_error *e)
{
	struct start_ctx s = { actor, now };
	int		 rc;

	*out = NULL;
	if (!meeting_may_run(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director starts a rank meeting; the coordinator "
		    "may follow it."));
	if ((rc = ranking_write_built(db, cycle, start_built, &s, e)) != OPS_OK)
		return (rc);
	return (ops_meeting_view(db, actor, cycle, out, e));
}

/* Inside a transaction: cycle's (into c) open meeting, into m. OPS_OK;
 * OPS_CONFLICT when none is open; or what review_cycle() answers. */
static int
open_meeting(struct db *db, int64_t cycle, struct db_cycle *c,
    struct db_meeting *m, struct ops_error *e)
{
	enum cycle_state state;
	int		 rc;

	if ((rc = review_cycle(db, cycle, c, &state, e)) != OPS_OK)
		return (rc);
	if ((rc = db_meeting_open(db, cycle, m)) == 0)
		return (ops_refuse(e, OPS_CONFLICT, NULL,
		    "No rank meeting of this cycle is open."));
	return (rc == 1 ? OPS_OK : rc);
}

int
ops_meeting_end(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t now, json_t **out, struct ops_error *e)
{
	struct db_cycle	  c;
	struct db_meeting m = { 0 };
	json_t		 *agenda = NULL;
	int		  rc;

	*out = NULL;
	if (!meeting_may_run(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director ends a rank meeting."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = open_meeting(db, cycle, &c, &m, e)) != OPS_OK)
		goto out;
	if ((rc = db_meeting_end(db, m.id, actor.id, now)) != 1) {
		rc = rc < 0 ? rc : DB_ERROR;
		goto out;
	}
	agenda = json_loads(m.agenda, 0, NULL);
	rc = ops_audit(db, actor.id, "meeting.end", "cycle", cycle,
	    json_pack("{s:I,s:i}", "meeting", (json_int_t)m.id, "agenda",
		(int)json_array_size(agenda)));
out:
	rc = ops_finish(db, rc);
	json_decref(agenda);
	db_meeting_clear(&m);
	if (rc != OPS_OK)
		return (rc);
	return (ops_meeting_view(db, actor, cycle, out, e));
}

/* The marks of a meeting: application id text -> the mark. */
static int
add_item(void *arg, const struct db_meeting_item *i)
{
	char key[32];

	(void)snprintf(key, sizeof(key), "%lld", (long long)i->application_id);
	return (json_object_set_new(arg, key,
		    json_pack("{s:b,s:s,s:I}", "discussed", i->discussed, "by",
			i->set_by_name, "at", (json_int_t)i->set_at)) == 0
		? 0
		: OPS_ENOMEM);
}

/* How many of agenda's candidates marks says are discussed. */
static int
discussed_count(const json_t *agenda, const json_t *marks)
{
	size_t i;
	int    n = 0;
	char   key[32];

	for (i = 0; i < json_array_size(agenda); i++) {
		(void)snprintf(key, sizeof(key), "%lld",
		    (long long)json_integer_value(json_object_get(
			json_array_get(agenda, i), "application_id")));
		n += json_is_true(
		    json_object_get(json_object_get(marks, key), "discussed"));
	}
	return (n);
}

/* Whether application is on agenda. */
static int
on_agenda(const json_t *agenda, int64_t application)
{
	size_t i;

	for (i = 0; i < json_array_size(agenda); i++)
		if (json_integer_value(json_object_get(
			json_array_get(agenda, i), "application_id")) ==
		    application)
			return (1);
	return (0);
}

int
ops_meeting_item(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t application, int discussed, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_cycle	  c;
	struct db_meeting m = { 0 };
	json_t		 *agenda = NULL, *marks = NULL;
	int		  rc;

	*out = NULL;
	if (!meeting_may_run(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director marks the agenda of a rank meeting."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = open_meeting(db, cycle, &c, &m, e)) != OPS_OK)
		goto out;
	if ((agenda = json_loads(m.agenda, 0, NULL)) == NULL) {
		rc = DB_ERROR;
		goto out;
	}
	if (!on_agenda(agenda, application)) {
		rc = ops_refuse(e, OPS_NOT_FOUND, NULL,
		    "This candidate is not on the meeting's agenda.");
		goto out;
	}
	if ((rc = db_meeting_item_set(
		 db, m.id, application, discussed, actor.id, now)) != 0 ||
	    (rc = ops_audit(db, actor.id,
		 discussed ? "meeting.discussed" : "meeting.undiscussed",
		 "application", application,
		 json_pack("{s:I}", "meeting", (json_int_t)m.id))) != 0)
		goto out;
	if ((marks = json_object()) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = db_meeting_item_list(db, m.id, add_item, marks)) != 0)
		goto out;
	*out = json_pack("{s:I,s:b,s:{s:i,s:i}}", "application_id",
	    (json_int_t)application, "discussed", discussed, "progress",
	    "discussed", discussed_count(agenda, marks), "total",
	    (int)json_array_size(agenda));
	rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
out:
	rc = ops_finish_view(db, rc, out);
	json_decref(agenda);
	json_decref(marks);
	db_meeting_clear(&m);
	return (rc);
}

/* ------------------------------------------------------------------ */
/* The view. */

static json_t *
parse_or_null(const char *text)
{
	json_t *v;

	if (text == NULL || (v = json_loads(text, 0, NULL)) == NULL)
		return (json_null());
	return (v);
}

static int
add_change(void *arg, const struct db_meeting_change *c)
{
	return (
	    json_array_append_new(arg,
		json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:s,s:I,s:s,s:o,s:o}", "id",
		    (json_int_t)c->id, "application_id",
		    (json_int_t)c->application_id, "name", c->candidate_name,
		    "phase", c->phase, "rater_id", (json_int_t)c->rater_id,
		    "rater_name", c->rater_name, "changed_by_name",
		    c->changed_by_name, "at", (json_int_t)c->at, "kind",
		    c->kind, "before", parse_or_null(c->before), "after",
		    parse_or_null(c->after))) == 0
		? 0
		: OPS_ENOMEM);
}

/* The pool's part of an order (snapshot or now). */
static json_t *
pool_of(const json_t *order)
{
	json_t *out = json_array();
	size_t	i;

	for (i = 0; out != NULL && i < json_array_size(order); i++) {
		json_t *o = json_array_get(order, i);

		if (json_is_true(json_object_get(o, "in_list")))
			json_array_append(out, o);
	}
	return (out);
}

/* The entry of order for application, or NULL. */
static json_t *
order_find(const json_t *order, json_int_t application)
{
	size_t i;

	for (i = 0; i < json_array_size(order); i++) {
		json_t *o = json_array_get(order, i);

		if (json_integer_value(json_object_get(o, "application_id")) ==
		    application)
			return (o);
	}
	return (NULL);
}

/* The candidates of before whose place differs in after (or who left
 * it), and those new in after. */
static json_t *
moved_of(const json_t *before, const json_t *after)
{
	json_t *out = json_array();
	size_t	i;

	for (i = 0; out != NULL && i < json_array_size(before); i++) {
		json_t	  *b = json_array_get(before, i), *a;
		json_int_t id =
		    json_integer_value(json_object_get(b, "application_id"));
		json_int_t from =
		    json_integer_value(json_object_get(b, "rank"));

		a = order_find(after, id);
		if (a != NULL &&
		    json_integer_value(json_object_get(a, "rank")) == from)
			continue;
		json_array_append_new(out,
		    json_pack("{s:I,s:O,s:I,s:o}", "application_id", id, "name",
			json_object_get(b, "name"), "from", from, "to",
			a != NULL ? json_copy(json_object_get(a, "rank"))
				  : json_null()));
	}
	for (i = 0; out != NULL && i < json_array_size(after); i++) {
		json_t	  *a = json_array_get(after, i);
		json_int_t id =
		    json_integer_value(json_object_get(a, "application_id"));

		if (order_find(before, id) == NULL)
			json_array_append_new(out,
			    json_pack("{s:I,s:O,s:n,s:O}", "application_id", id,
				"name", json_object_get(a, "name"), "from",
				"to", json_object_get(a, "rank")));
	}
	return (out);
}

/* Whether sheet s (the view's) differs from its snapshot's copy. */
static int
sheet_changed(const json_t *snap_sheets, const json_t *s)
{
	json_int_t id = json_integer_value(json_object_get(s, "sheet_id"));
	size_t	   i;

	for (i = 0; i < json_array_size(snap_sheets); i++) {
		json_t *o = json_array_get(snap_sheets, i);

		if (json_integer_value(json_object_get(o, "sheet_id")) != id)
			continue;
		return (json_integer_value(json_object_get(o, "version")) !=
			json_integer_value(json_object_get(s, "version")) ||
		    json_is_true(json_object_get(o, "counts")) !=
			json_is_true(json_object_get(s, "counts")));
	}
	return (1); /* submitted since the start */
}

/* The view of meeting m on the current build r. */
static int
view_built(struct db *db, const struct ranking *r, const struct db_meeting *m,
    json_t **out)
{
	struct sheets_ctx x = { db, { 0 }, NULL, NULL };
	json_t		 *snap = NULL, *agenda = NULL, *marks = NULL;
	json_t		 *changes = NULL, *now_order = NULL, *before = NULL;
	json_t		 *after = NULL, *moved = NULL;
	size_t		  i, j;
	int		  rc = OPS_ENOMEM, k, positions;
	char		  key[32];

	if ((snap = json_loads(m->snapshot, 0, NULL)) == NULL ||
	    (agenda = json_loads(m->agenda, 0, NULL)) == NULL) {
		rc = DB_ERROR;
		goto out;
	}
	if ((marks = json_object()) == NULL ||
	    (changes = json_array()) == NULL ||
	    (x.by_app = json_object()) == NULL ||
	    (now_order = order_json(r)) == NULL)
		goto out;
	if ((rc = db_meeting_item_list(db, m->id, add_item, marks)) != 0 ||
	    (rc = db_meeting_change_list(db, m->id, add_change, changes)) != 0)
		goto out;
	/* The agenda's candidates' sheets as they stand now. */
	for (i = 0; i < json_array_size(agenda); i++) {
		(void)snprintf(key, sizeof(key), "%lld",
		    (long long)json_integer_value(json_object_get(
			json_array_get(agenda, i), "application_id")));
		json_object_set_new(x.by_app, key, json_array());
	}
	if ((rc = db_sheet_list_cycle(db, r->cycle, NULL, add_sheet, &x)) != 0)
		goto out;
	rc = OPS_ENOMEM;
	for (i = 0; i < json_array_size(agenda); i++) {
		json_t	  *item = json_array_get(agenda, i), *sheets, *mark;
		json_int_t id =
		    json_integer_value(json_object_get(item, "application_id"));

		(void)snprintf(key, sizeof(key), "%lld", (long long)id);
		sheets = json_object_get(x.by_app, key);
		for (j = 0; j < json_array_size(sheets); j++) {
			json_t *s = json_array_get(sheets, j);

			json_object_set_new(s, "changed",
			    json_boolean(sheet_changed(
				json_object_get(snap, "sheets"), s)));
		}
		mark = json_object_get(marks, key);
		k = ranking_cand_index(r, id);
		json_object_set(item, "sheets", sheets);
		json_object_set_new(item, "discussed",
		    json_boolean(
			json_is_true(json_object_get(mark, "discussed"))));
		json_object_set(item, "discussed_by_name",
		    mark != NULL ? json_object_get(mark, "by") : json_null());
		json_object_set(item, "discussed_at",
		    mark != NULL ? json_object_get(mark, "at") : json_null());
		json_object_set_new(item, "rank_now",
		    k >= 0 && r->cands[k].rank > 0
			? json_integer(r->cands[k].rank)
			: json_null());
		json_object_set_new(item, "composite_now",
		    k >= 0 ? num(r->cands[k].composite) : json_null());
	}
	/* The positions the agenda's reasons were written for. */
	positions = json_is_integer(json_object_get(snap, "positions"))
	    ? (int)json_integer_value(json_object_get(snap, "positions"))
	    : r->positions;
	if ((before = pool_of(json_object_get(snap, "order"))) == NULL ||
	    (after = pool_of(now_order)) == NULL ||
	    (moved = moved_of(before, after)) == NULL)
		goto out;
	*out = json_pack("{s:{s:I,s:I,s:s,s:s,s:I,s:s?,s:o},s:i,s:O,s:{s:i,s:"
			 "i},s:O,s:O,s:O,s:O}",
	    "meeting", "id", (json_int_t)m->id, "cycle_id",
	    (json_int_t)m->cycle_id, "state",
	    m->ended_at != 0 ? "ended" : "open", "started_by_name",
	    m->started_by_name, "started_at", (json_int_t)m->started_at,
	    "ended_by_name", m->ended_at != 0 ? m->ended_by_name : NULL,
	    "ended_at",
	    m->ended_at != 0 ? json_integer(m->ended_at) : json_null(),
	    "positions", positions, "agenda", agenda, "progress", "discussed",
	    discussed_count(agenda, marks), "total",
	    (int)json_array_size(agenda), "changes", changes, "order_before",
	    before, "order_after", after, "moved", moved);
	rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
out:
	rubric_cache_clear(&x.cache);
	json_decref(x.by_app);
	json_decref(snap);
	json_decref(agenda);
	json_decref(marks);
	json_decref(changes);
	json_decref(now_order);
	json_decref(before);
	json_decref(after);
	json_decref(moved);
	return (rc);
}

int
ops_meeting_view(struct db *db, struct ops_actor actor, int64_t cycle,
    json_t **out, struct ops_error *e)
{
	struct db_meeting m = { 0 };
	struct ranking	 *r = NULL;
	int		  rc;

	*out = NULL;
	if (!meeting_may_view(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director see the rank "
		    "meeting."));
	if ((rc = ranking_build(db, cycle, &r, e)) != OPS_OK)
		return (rc);
	if ((rc = db_meeting_latest(db, cycle, &m)) < 0)
		goto out;
	if (rc == 0) {
		*out = json_pack(
		    "{s:n,s:i}", "meeting", "positions", r->positions);
		rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
		goto out;
	}
	rc = view_built(db, r, &m, out);
out:
	db_meeting_clear(&m);
	ranking_free(r);
	return (rc);
}

static int
add_meeting(void *arg, const struct db_meeting_summary *s)
{
	const struct db_meeting *m = &s->meeting;

	return (
	    json_array_append_new(arg,
		json_pack("{s:I,s:s,s:s,s:I,s:s?,s:o,s:i,s:i,s:i}", "id",
		    (json_int_t)m->id, "state",
		    m->ended_at != 0 ? "ended" : "open", "started_by_name",
		    m->started_by_name, "started_at", (json_int_t)m->started_at,
		    "ended_by_name", m->ended_at != 0 ? m->ended_by_name : NULL,
		    "ended_at",
		    m->ended_at != 0 ? json_integer(m->ended_at) : json_null(),
		    "agenda", s->agenda, "discussed", s->discussed, "changes",
		    s->changes)) == 0
		? 0
		: OPS_ENOMEM);
}

int
ops_meetings_list(struct db *db, struct ops_actor actor, int64_t cycle,
    json_t **out, struct ops_error *e)
{
	struct db_cycle	 c;
	enum cycle_state state;
	json_t		*list;
	int		 rc;

	*out = NULL;
	if (!meeting_may_view(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director see the rank "
		    "meetings."));
	if ((rc = review_cycle(db, cycle, &c, &state, e)) != OPS_OK)
		return (rc);
	if ((list = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_meeting_history(db, cycle, add_meeting, list)) != 0) {
		json_decref(list);
		return (rc);
	}
	*out = json_pack("{s:o}", "meetings", list);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

/* ------------------------------------------------------------------ */
/* The archive. */

struct export_ctx {
	struct db *db;
	json_t	  *list;
};

static int
export_meeting(void *arg, const struct db_meeting *m)
{
	struct export_ctx *x = arg;
	json_t		  *marks, *changes, *items, *v, *o;
	const char	  *key;
	int		   rc;

	marks = json_object();
	changes = json_array();
	items = json_array();
	if (marks == NULL || changes == NULL || items == NULL)
		rc = OPS_ENOMEM;
	else if ((rc = db_meeting_item_list(x->db, m->id, add_item, marks)) ==
		0 &&
	    (rc = db_meeting_change_list(x->db, m->id, add_change, changes)) ==
		0) {
		json_object_foreach(marks, key, v)
		{
			json_array_append_new(items,
			    json_pack("{s:I,s:O,s:O,s:O}", "application_id",
				(json_int_t)strtoll(key, NULL, 10), "discussed",
				json_object_get(v, "discussed"), "by",
				json_object_get(v, "by"), "at",
				json_object_get(v, "at")));
		}
		o = json_pack("{s:I,s:s,s:I,s:s?,s:o,s:o,s:o,s:O,s:O}", "id",
		    (json_int_t)m->id, "started_by_name", m->started_by_name,
		    "started_at", (json_int_t)m->started_at, "ended_by_name",
		    m->ended_at != 0 ? m->ended_by_name : NULL, "ended_at",
		    m->ended_at != 0 ? json_integer(m->ended_at) : json_null(),
		    "snapshot", parse_or_null(m->snapshot), "agenda",
		    parse_or_null(m->agenda), "items", items, "changes",
		    changes);
		rc = json_array_append_new(x->list, o) == 0 ? 0 : OPS_ENOMEM;
	}
	json_decref(marks);
	json_decref(changes);
	json_decref(items);
	return (rc);
}

int
meeting_export(struct db *db, int64_t cycle, json_t **out)
{
	struct export_ctx x = { db, json_array() };
	int		  rc;

	*out = NULL;
	if (x.list == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_meeting_list(db, cycle, export_meeting, &x)) != 0) {
		json_decref(x.list);
		return (rc);
	}
	*out = x.list;
	return (OPS_OK);
}
