/*
 * Conflicts of interest and reviewer assignment. A conflict removes the
 * rater's assignments of that candidate and bars new ones. A rater's own
 * declaration that would move a frozen result (scoring closed on a sheet
 * they submitted, or a certified list: core/access.h) is held for the
 * staff, who accept or decline it; only accepted does it act. The automatic
 * assignment builds the matrices core/assign.c works on from the
 * database and writes back the pairs it adds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access.h"
#include "core/assign.h"
#include "core/jsontext.h"
#include "core/limits.h"
#include "core/text.h"
#include "ops/access.h"
#include "ops/common.h"
#include "ops/meeting_int.h"
#include "ops/review.h"
#include "ops/review_int.h"

#define CONFLICT_REASON_MAX 1000

/* Returns 1 when account id may rate in program: an enabled faculty
 * member or director there. Fills u. */
static int
rater_ok(struct db *db, int64_t program, int64_t id, struct db_user *u)
{
	int rc;

	if ((rc = db_user_in_program(db, id, program, u)) != 1)
		return (rc);
	return (!u->disabled &&
	    (strcmp(u->role, "faculty") == 0 ||
		strcmp(u->role, "director") == 0));
}

static json_t *
conflict_json(const struct db_conflict *c)
{
	return (json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:I,s:s,s:s}", "id",
	    (json_int_t)c->id, "application_id", (json_int_t)c->application_id,
	    "candidate", c->candidate, "faculty_id", (json_int_t)c->faculty_id,
	    "faculty_name", c->faculty_name, "kind", c->kind, "reason",
	    c->reason, "recorded_by", (json_int_t)c->recorded_by, "created_at",
	    c->created_at, "recorded_by_name", c->recorded_by_name));
}

/* A held declaration's view (new reference; NULL when out of memory). */
static json_t *
request_json(const struct db_conflict_request *q)
{
	return (json_pack("{s:I,s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,"
			  "s:o,s:o,s:o}",
	    "id", (json_int_t)q->id, "cycle_id", (json_int_t)q->cycle_id,
	    "application_id", (json_int_t)q->application_id, "candidate",
	    q->candidate, "faculty_id", (json_int_t)q->faculty_id,
	    "faculty_name", q->faculty_name, "kind", q->kind, "reason",
	    q->reason, "held_because", q->held_because, "declared_at",
	    q->declared_at, "status", q->status, "decided_by_name",
	    q->decided_by ? json_string(q->decided_by_name) : json_null(),
	    "decided_at",
	    q->decided_at[0] ? json_string(q->decided_at) : json_null(), "note",
	    q->note[0] ? json_string(q->note) : json_null(), "decided_by",
	    q->decided_by ? json_integer(q->decided_by) : json_null()));
}

/*
 * Whether faculty's conflict with application (of cycle) would now move
 * a frozen result: *held as access_conflict_held() says for a rater, and
 * why in because (a sentence). OPS_OK or a DB_E* code.
 */
static int
late_facts(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t application, int64_t faculty, int *held, char *because, size_t len)
{
	struct db_cycle	 c;
	struct db_phase	 ph;
	struct db_sheet	 s;
	enum cycle_state state = CYCLE_SETUP;
	int		 rc, p, certified, closed_sheet = 0;

	*held = 0;
	because[0] = '\0';
	if ((rc = db_cycle_by_id(db, cycle, &c)) != 1)
		return (rc < 0 ? rc : DB_ERROR);
	(void)cycle_state_parse(c.state, &state);
	certified = state == CYCLE_CERTIFIED || state == CYCLE_ARCHIVED;
	for (p = 0; p < PHASE__MAX && !closed_sheet; p++) {
		if ((rc = review_phase_get(db, cycle, (enum phase)p, &ph)) != 0)
			return (rc);
		if (ph.closed_at == 0)
			continue;
		memset(&s, 0, sizeof(s));
		if ((rc = db_sheet_get(
			 db, application, faculty, phase_names[p], &s)) < 0)
			return (rc);
		closed_sheet = rc == 1 && strcmp(s.status, "submitted") == 0;
		db_sheet_clear(&s);
		if (closed_sheet)
			(void)snprintf(because, len,
			    "Scoring of the %s phase is closed and the rater "
			    "had submitted a sheet of this candidate in it.",
			    phase_names[p]);
	}
	if (certified)
		(void)snprintf(because, len, "The rank list is certified.");
	*held = access_conflict_held(actor.role, certified, closed_sheet);
	return (OPS_OK);
}

int
ops_conflict_declare(struct db *db, struct ops_actor actor, int64_t application,
    int64_t faculty, const char *kind, const char *reason, int64_t now,
    json_t **out, int *held, struct ops_error *e)
{
	struct db_application	   a = { 0 };
	struct db_conflict	   c;
	struct db_conflict_request q;
	struct db_user		   u;
	const char		  *why;
	char			   because[300];
	int64_t			   id, program = 0;
	int			   rc, hold = 0;

	*out = NULL;
	if (held != NULL)
		*held = 0;
	if (faculty == 0)
		faculty = actor.id;
	if (actor.role == ROLE_FACULTY && faculty != actor.id)
		return (ops_refuse(e, OPS_FORBIDDEN, "faculty_id",
		    "You can declare your own conflicts only."));
	if (!role_is_staff(actor.role) && actor.role != ROLE_FACULTY)
		return (ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such candidate."));
	if (kind == NULL)
		kind = "conflict";
	if (strcmp(kind, "conflict") != 0 &&
	    strcmp(kind, "known_applicant") != 0)
		return (ops_refuse(e, OPS_INVALID, "kind",
		    "The kind is conflict or known_applicant."));
	if (reason == NULL ||
	    text_plain(reason, 1, CONFLICT_REASON_MAX, &why) != 0)
		return (ops_refuse(e, OPS_INVALID, "reason",
		    reason == NULL ? "Give the reason." : why));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	a.fields = NULL;
	if ((rc = db_application_by_id(db, application, &a)) < 0 ||
	    (rc == 1 &&
		(rc = db_program_of(
		     db, DB_OBJ_APPLICATION, application, &program)) < 0))
		return (ops_finish(db, rc));
	db_application_clear(&a);
	/* Faculty may declare a conflict with any submitted candidate of
	 * their program, the list they are shown for the purpose, assigned
	 * or not. */
	if (rc == 0 || program != actor.program ||
	    (actor.role == ROLE_FACULTY && strcmp(a.status, "submitted") != 0))
		return (ops_finish(db,
		    ops_refuse(e, OPS_NOT_FOUND, NULL,
			"There is no such candidate.")));
	if ((rc = rater_ok(db, actor.program, faculty, &u)) <= 0)
		return (ops_finish(db,
		    rc < 0 ? rc
			   : ops_refuse(e, OPS_INVALID, "faculty_id",
				 "Choose a faculty member or the director.")));
	if ((rc = db_conflict_exists(db, application, faculty)) != 0)
		return (ops_finish(db,
		    rc < 0 ? rc
			   : ops_refuse(e, OPS_CONFLICT, NULL,
				 "This conflict is recorded already.")));
	if ((rc = db_conflict_request_pending(db, application, faculty)) != 0)
		return (ops_finish(db,
		    rc < 0 ? rc
			   : ops_refuse(e, OPS_CONFLICT, NULL,
				 "This conflict was declared already and "
				 "awaits a decision by the coordinator or "
				 "the director.")));
	if ((rc = late_facts(db, actor, a.cycle_id, application, faculty, &hold,
		 because, sizeof(because))) != OPS_OK)
		return (ops_finish(db, rc));
	if (hold) {
		/* Frozen means frozen: kept for the staff, nothing voided. */
		if ((rc = db_conflict_request_insert(db, application, faculty,
			 kind, reason, because, &id)) != 0)
			return (ops_finish(db, rc));
		rc = ops_audit(db, actor.id, "conflict.request", "application",
		    application,
		    json_pack("{s:I,s:I,s:s,s:s,s:s}", "request",
			(json_int_t)id, "faculty_id", (json_int_t)faculty,
			"kind", kind, "reason", reason, "held_because",
			because));
		if (rc == 0 &&
		    (rc = db_conflict_request_by_id(db, id, &q)) == 1)
			rc = (*out = request_json(&q)) != NULL ? 0 : OPS_ENOMEM;
		else if (rc == 0)
			rc = DB_ERROR;
		if (rc == 0 && held != NULL)
			*held = 1;
		return (ops_finish_view(db, rc, out));
	}
	if ((rc = db_conflict_insert(
		 db, application, faculty, kind, reason, actor.id, &id)) != 0 ||
	    (rc = meeting_note_conflict(
		 db, application, faculty, 1, actor.id, now)) != 0 ||
	    (rc = db_assignment_delete(db, application, faculty, NULL)) < 0)
		return (ops_finish(db, rc));
	rc = ops_audit(db, actor.id, "conflict.declare", "application",
	    application,
	    json_pack("{s:I,s:I,s:s,s:s,s:b}", "conflict", (json_int_t)id,
		"faculty_id", (json_int_t)faculty, "kind", kind, "reason",
		reason, "assignments_removed", rc > 0));
	if (rc == 0 && (rc = db_conflict_by_id(db, id, &c)) == 1)
		rc = (*out = conflict_json(&c)) != NULL ? 0 : OPS_ENOMEM;
	else if (rc == 0)
		rc = DB_ERROR;
	return (ops_finish_view(db, rc, out));
}

int
ops_conflict_decide(struct db *db, struct ops_actor actor, int64_t id,
    const char *decision, const char *note, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_conflict_request q;
	const char		  *why;
	int64_t			   cid = 0;
	int			   rc, accept, recorded = 0, removed = 0;

	*out = NULL;
	if (!access_decide_conflict(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director decide a "
		    "conflict declared after scoring closed."));
	if (decision == NULL ||
	    (strcmp(decision, "accept") != 0 &&
		strcmp(decision, "decline") != 0))
		return (ops_refuse(e, OPS_INVALID, "decision",
		    "The decision is accept or decline."));
	accept = strcmp(decision, "accept") == 0;
	if (note != NULL && note[0] != '\0' &&
	    text_plain(note, 1, CONFLICT_REASON_MAX, &why) != 0)
		return (ops_refuse(e, OPS_INVALID, "note", why));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_conflict_request_by_id(db, id, &q)) <= 0)
		return (ops_finish(db,
		    rc < 0 ? rc
			   : ops_refuse(e, OPS_NOT_FOUND, NULL,
				 "There is no such declaration.")));
	if (strcmp(q.status, "pending") != 0) {
		char msg[400];

		(void)snprintf(msg, sizeof(msg),
		    "This declaration was %s already by %s; nothing changed.",
		    q.status, q.decided_by_name);
		return (ops_finish(
		    db, ops_refuse_copy(e, OPS_CONFLICT, NULL, msg)));
	}
	if ((rc = db_conflict_request_decide(db, id,
		 accept ? "accepted" : "declined", actor.id, note)) != 1)
		return (ops_finish(db, rc < 0 ? rc : DB_ERROR));
	if (accept) {
		/* As the declaration would have done before scoring closed:
		 * the conflict is recorded (by the rater who declared it),
		 * their sheets of the candidate stop counting, and their
		 * assignments of the candidate go. One recorded meanwhile by
		 * the staff stands as it is. */
		if ((rc = db_conflict_exists(
			 db, q.application_id, q.faculty_id)) < 0)
			return (ops_finish(db, rc));
		recorded = rc == 1;
		if (!recorded &&
		    ((rc = db_conflict_insert(db, q.application_id,
			  q.faculty_id, q.kind, q.reason, q.faculty_id,
			  &cid)) != 0 ||
			(rc = meeting_note_conflict(db, q.application_id,
			     q.faculty_id, 1, actor.id, now)) != 0 ||
			(rc = db_assignment_delete(
			     db, q.application_id, q.faculty_id, NULL)) < 0))
			return (ops_finish(db, rc));
		removed = !recorded && rc > 0;
	}
	rc = ops_audit(db, actor.id,
	    accept ? "conflict.accept" : "conflict.decline", "application",
	    q.application_id,
	    json_pack("{s:I,s:I,s:s,s:s,s:s?,s:o,s:b}", "request",
		(json_int_t)id, "faculty_id", (json_int_t)q.faculty_id, "kind",
		q.kind, "reason", q.reason, "note",
		note != NULL && note[0] != '\0' ? note : NULL, "conflict",
		cid ? json_integer(cid) : json_null(), "assignments_removed",
		removed));
	if (rc == 0 && (rc = db_conflict_request_by_id(db, id, &q)) == 1)
		rc = (*out = request_json(&q)) != NULL ? 0 : OPS_ENOMEM;
	else if (rc == 0)
		rc = DB_ERROR;
	return (ops_finish_view(db, rc, out));
}

int
ops_conflict_remove(struct db *db, struct ops_actor actor, int64_t id,
    int64_t now, struct ops_error *e)
{
	struct db_conflict c;
	int		   rc;

	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director remove conflicts."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_conflict_by_id(db, id, &c)) <= 0)
		return (ops_finish(db,
		    rc < 0 ? rc
			   : ops_refuse(e, OPS_NOT_FOUND, NULL,
				 "There is no such conflict.")));
	if ((rc = db_conflict_delete(db, id)) < 0 ||
	    (rc = meeting_note_conflict(
		 db, c.application_id, c.faculty_id, 0, actor.id, now)) != 0)
		return (ops_finish(db, rc));
	rc = ops_audit(db, actor.id, "conflict.remove", "application",
	    c.application_id,
	    json_pack("{s:I,s:I,s:s,s:s}", "conflict", (json_int_t)id,
		"faculty_id", (json_int_t)c.faculty_id, "kind", c.kind,
		"reason", c.reason));
	return (ops_finish(db, rc));
}

static int
add_conflict(void *arg, const struct db_conflict *c)
{
	return (
	    json_array_append_new(arg, conflict_json(c)) == 0 ? 0 : DB_ERROR);
}

static int
add_request(void *arg, const struct db_conflict_request *q)
{
	return (
	    json_array_append_new(arg, request_json(q)) == 0 ? 0 : OPS_ENOMEM);
}

int
ops_conflict_requests(struct db *db, int64_t cycle, int64_t faculty,
    int pending_only, json_t **out)
{
	int rc;

	if ((*out = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_conflict_request_list(
		 db, cycle, faculty, pending_only, add_request, *out)) != 0) {
		json_decref(*out);
		*out = NULL;
		return (rc < 0 ? rc : OPS_ENOMEM);
	}
	return (OPS_OK);
}

/* A submitted application of the cycle as {application_id, name}. */
static int
add_candidate(void *arg, const struct db_application *a)
{
	json_t	   *fields = json_loads(a->fields, 0, NULL);
	const char *first, *last;
	char	    name[DB_NAME_MAX];

	if (fields == NULL)
		return (DB_ERROR);
	first = json_string_value(json_object_get(fields, "first_name"));
	last = json_string_value(json_object_get(fields, "last_name"));
	(void)snprintf(
	    name, sizeof(name), "%s %s", first ? first : "", last ? last : "");
	json_decref(fields);
	return (json_array_append_new(arg,
		    json_pack("{s:I,s:s}", "application_id", (json_int_t)a->id,
			"name", name)) == 0
		? 0
		: DB_ERROR);
}

int
ops_conflicts_view(struct db *db, struct ops_actor actor, int64_t cycle,
    json_t **out, struct ops_error *e)
{
	struct db_app_filter f = { 0 };
	struct db_cycle	     c;
	json_t		    *list = NULL, *cands = NULL, *requests = NULL;
	int		     rc;

	if (actor.role == ROLE_APPLICANT)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only raters and staff see conflicts."));
	if ((rc = ops_reach_cycle(db, actor, cycle, &c, e)) != OPS_OK)
		return (rc);
	if ((list = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_conflict_list(db, cycle,
		 actor.role == ROLE_FACULTY ? actor.id : 0, add_conflict,
		 list)) != 0)
		goto fail;
	/* The declarations held for the staff: faculty see their own, with
	 * what was decided; staff see everyone's. */
	if ((rc = ops_conflict_requests(db, cycle,
		 actor.role == ROLE_FACULTY ? actor.id : 0, 0, &requests)) !=
	    OPS_OK)
		goto fail;
	if (actor.role == ROLE_FACULTY) {
		if ((cands = json_array()) == NULL) {
			rc = OPS_ENOMEM;
			goto fail;
		}
		f.status = "submitted";
		f.hide_conflicts_of = actor.id;
		f.limit = (int)limit_max(LIMIT_CANDIDATES);
		if ((rc = db_application_list(
			 db, cycle, &f, add_candidate, cands)) != 0)
			goto fail;
		*out = json_pack("{s:o,s:o,s:o}", "conflicts", list,
		    "candidates", cands, "requests", requests);
	} else
		*out = json_pack(
		    "{s:o,s:o}", "conflicts", list, "requests", requests);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
fail:
	json_decref(list);
	json_decref(cands);
	json_decref(requests);
	return (rc < 0 ? rc : DB_ERROR);
}

/*
 * The assignments view, written as JSON text while the rows come (one
 * statement, in the order the view lists them: phase, rater's name,
 * rater, candidate), so it costs about what reading the rows costs and
 * can be served on the event loop. The raters' tallies are the runs of
 * rows of one rater in one phase; the connectivity of each phase is
 * computed once, at the end, from the pairs collected on the way.
 */
struct view_ctx {
	struct jtext rows;   /* the "assignments" array's members */
	struct jtext raters; /* the "raters" array's members */
	int	     nrows, nraters;
	/* The rater whose run the last rows belong to. */
	int64_t	   run_faculty;
	enum phase run_phase;
	char	   run_name[DB_NAME_MAX];
	int	   run_assigned, run_submitted, run_draft;
	/* Per phase: the pairs, rater and candidate ids, for the graph. */
	int64_t *pairs[PHASE__MAX];
	size_t	 npairs[PHASE__MAX], cap[PHASE__MAX];
	int	 enomem;
};

/* Writes the tally of the run of rows that just ended. */
static void
view_rater(struct view_ctx *v)
{
	if (v->run_assigned == 0)
		return;
	jtext_raw(&v->raters,
	    v->nraters++ ? ",{\"faculty_id\":" : "{\"faculty_id\":");
	jtext_int(&v->raters, v->run_faculty);
	jtext_raw(&v->raters, ",\"name\":");
	jtext_str(&v->raters, v->run_name);
	jtext_raw(&v->raters, ",\"phase\":");
	jtext_str(&v->raters, phase_names[v->run_phase]);
	jtext_raw(&v->raters, ",\"assigned\":");
	jtext_int(&v->raters, v->run_assigned);
	jtext_raw(&v->raters, ",\"submitted\":");
	jtext_int(&v->raters, v->run_submitted);
	jtext_raw(&v->raters, ",\"draft\":");
	jtext_int(&v->raters, v->run_draft);
	jtext_raw(&v->raters, "}");
	v->run_assigned = v->run_submitted = v->run_draft = 0;
}

static int
view_row(void *arg, const struct db_assignment_row *r)
{
	struct view_ctx *v = arg;
	struct jtext	*t = &v->rows;
	enum phase	 p;
	int64_t		*grown, pair[2];
	size_t		 cap;

	if (phase_parse(r->phase, &p) != 0)
		return (DB_ERROR);
	jtext_raw(t, v->nrows++ ? ",{\"id\":" : "{\"id\":");
	jtext_int(t, r->id);
	jtext_raw(t, ",\"phase\":");
	jtext_str(t, phase_names[p]);
	jtext_raw(t, ",\"application_id\":");
	jtext_int(t, r->application_id);
	jtext_raw(t, ",\"candidate\":");
	jtext_str(t, r->candidate);
	jtext_raw(t, ",\"faculty_id\":");
	jtext_int(t, r->faculty_id);
	jtext_raw(t, ",\"faculty_name\":");
	jtext_str(t, r->faculty_name);
	jtext_raw(t, ",\"sheet\":");
	jtext_str(t, r->sheet);
	jtext_raw(t, "}");
	if (r->faculty_id != v->run_faculty || p != v->run_phase) {
		view_rater(v);
		v->run_faculty = r->faculty_id;
		v->run_phase = p;
		(void)snprintf(
		    v->run_name, sizeof(v->run_name), "%s", r->faculty_name);
	}
	v->run_assigned++;
	v->run_submitted += strcmp(r->sheet, "submitted") == 0;
	v->run_draft += strcmp(r->sheet, "draft") == 0;
	if (v->npairs[p] == v->cap[p]) {
		cap = v->cap[p] ? v->cap[p] * 2 : 256;
		if ((grown = reallocarray(
			 v->pairs[p], 2 * cap, sizeof(*grown))) == NULL) {
			v->enomem = 1;
			return (1);
		}
		v->pairs[p] = grown;
		v->cap[p] = cap;
	}
	pair[0] = r->faculty_id;
	pair[1] = r->application_id;
	memcpy(v->pairs[p] + 2 * v->npairs[p]++, pair, sizeof(pair));
	return (0);
}

static int
id_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	return ((*x > *y) - (*x < *y));
}

/* Sorts ids[0..n) and drops repeats; returns how many are left. */
static size_t
unique(int64_t *ids, size_t n)
{
	size_t i, k = 0;

	qsort(ids, n, sizeof(*ids), id_cmp);
	for (i = 0; i < n; i++)
		if (k == 0 || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	return (k);
}

static size_t
find(const int64_t *ids, size_t n, int64_t id)
{
	const int64_t *at = bsearch(&id, ids, n, sizeof(*ids), id_cmp);

	return ((size_t)(at - ids));
}

static size_t
root(size_t *parent, size_t x)
{
	while (parent[x] != x)
		x = parent[x] = parent[parent[x]];
	return (x);
}

/*
 * The graph of one phase's pairs: its raters, candidates and connected
 * components (a union-find over both), written as the phase's member of
 * "graph". -1 when out of memory.
 */
static int
view_graph(struct jtext *t, const int64_t *pairs, size_t n)
{
	int64_t *raters = NULL, *cands = NULL;
	size_t	*parent = NULL, nr, nc, i, a, b, comps = 0;

	raters = calloc(n + 1, sizeof(*raters));
	cands = calloc(n + 1, sizeof(*cands));
	parent = calloc(2 * n + 1, sizeof(*parent));
	if (raters == NULL || cands == NULL || parent == NULL) {
		free(raters);
		free(cands);
		free(parent);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		raters[i] = pairs[2 * i];
		cands[i] = pairs[2 * i + 1];
	}
	nr = unique(raters, n);
	nc = unique(cands, n);
	for (i = 0; i < nr + nc; i++)
		parent[i] = i;
	for (i = 0; i < n; i++) {
		a = root(parent, find(raters, nr, pairs[2 * i]));
		b = root(parent, nr + find(cands, nc, pairs[2 * i + 1]));
		if (a != b)
			parent[a > b ? a : b] = a < b ? a : b;
	}
	for (i = 0; i < nr + nc; i++)
		comps += root(parent, i) == i;
	jtext_raw(t, "{\"connected\":");
	jtext_bool(t, comps <= 1);
	jtext_raw(t, ",\"components\":");
	jtext_int(t, (int64_t)comps);
	jtext_raw(t, ",\"raters\":");
	jtext_int(t, (int64_t)nr);
	jtext_raw(t, ",\"candidates\":");
	jtext_int(t, (int64_t)nc);
	jtext_raw(t, "}");
	free(raters);
	free(cands);
	free(parent);
	return (0);
}

int
ops_assignments_view(struct db *db, struct ops_actor actor, int64_t cycle,
    const char *phase, int64_t faculty, char **json, size_t *len,
    struct ops_error *e)
{
	struct view_ctx v;
	struct db_cycle c;
	struct jtext	out;
	enum phase	p;
	uint64_t	stamp = 0;
	char		key[64];
	int		rc, i, memo;

	*json = NULL;
	*len = 0;
	if (actor.role != ROLE_FACULTY && !role_is_staff(actor.role))
		return (ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such cycle."));
	if ((rc = ops_reach_cycle(db, actor, cycle, &c, e)) != OPS_OK)
		return (rc);
	if (actor.role == ROLE_FACULTY) {
		if (faculty != 0 && faculty != actor.id)
			return (ops_refuse(e, OPS_FORBIDDEN, "faculty_id",
			    "You can see your own assignments only."));
		faculty = actor.id;
	}
	/* The same view again, while nothing was written, is the text
	 * built last time (the coordinator's page is reloaded often). */
	memo = phase == NULL || phase_parse(phase, &p) == 0;
	(void)snprintf(key, sizeof(key), "assignments %lld %s %lld",
	    (long long)cycle, phase != NULL ? phase : "-", (long long)faculty);
	if (memo && (rc = db_memo_get(db, key, json, len, &stamp)) != 0)
		return (rc == 1 ? OPS_OK : rc);
	memset(&v, 0, sizeof(v));
	jtext_init(&v.rows);
	jtext_init(&v.raters);
	jtext_init(&out);
	if ((rc = db_assignment_list(db, cycle, phase, faculty, view_row, &v)) <
	    0)
		goto done;
	if (v.enomem) {
		rc = OPS_ENOMEM;
		goto done;
	}
	view_rater(&v);
	jtext_raw(&out, "{\"assignments\":[");
	jtext_append(&out, &v.rows);
	jtext_raw(&out, "],\"raters\":[");
	jtext_append(&out, &v.raters);
	jtext_raw(&out, "],\"graph\":{");
	for (i = 0; i < PHASE__MAX; i++) {
		p = (enum phase)i;
		jtext_raw(&out, i > 0 ? ",\"" : "\"");
		jtext_raw(&out, phase_names[p]);
		jtext_raw(&out, "\":");
		if (view_graph(&out, v.pairs[p], v.npairs[p]) != 0) {
			rc = OPS_ENOMEM;
			goto done;
		}
	}
	jtext_raw(&out, "}}");
	rc = (*json = jtext_finish(&out, len)) != NULL ? OPS_OK : OPS_ENOMEM;
	/* Not kept (no memory) is only slower next time. */
	if (rc == OPS_OK && memo)
		(void)db_memo_put(db, key, *json, *len, stamp);
done:
	jtext_free(&v.rows);
	jtext_free(&v.raters);
	jtext_free(&out);
	for (i = 0; i < PHASE__MAX; i++)
		free(v.pairs[i]);
	return (rc);
}

/* One checked item of ops_assignments_set(). */
struct set_item {
	int64_t	   faculty;
	int64_t	   application;
	enum phase phase;
	int	   assign;
};

static int
check_item(struct db *db, int64_t program, int64_t cycle, const json_t *it,
    size_t n, struct set_item *out, struct ops_error *e)
{
	struct db_application a = { 0 };
	struct db_user	      u;
	json_int_t	      fid = 0, aid = 0;
	const char	     *phase = NULL;
	int		      assign = 1, rc;
	char		      msg[400];

	if (json_unpack((json_t *)it, "{s:I,s:I,s:s,s?b!}", "faculty_id", &fid,
		"application_id", &aid, "phase", &phase, "assigned",
		&assign) != 0 ||
	    phase_parse(phase, &out->phase) != 0) {
		(void)snprintf(msg, sizeof(msg),
		    "Item %zu must be {faculty_id, application_id, phase, "
		    "assigned?} with phase screening or interview.",
		    n + 1);
		return (ops_refuse(e, OPS_INVALID, "assignments", msg));
	}
	out->faculty = fid;
	out->application = aid;
	out->assign = assign;
	a.fields = NULL;
	if ((rc = db_application_by_id(db, aid, &a)) < 0)
		return (rc);
	db_application_clear(&a);
	if (rc == 0 || a.cycle_id != cycle) {
		(void)snprintf(msg, sizeof(msg),
		    "Item %zu: application %lld is not in this cycle.", n + 1,
		    (long long)aid);
		return (ops_refuse(e, OPS_INVALID, "application_id", msg));
	}
	if (!out->assign)
		return (OPS_OK);
	if ((rc = rater_ok(db, program, fid, &u)) <= 0) {
		(void)snprintf(msg, sizeof(msg),
		    "Item %zu: account %lld is not an active faculty member or "
		    "the director.",
		    n + 1, (long long)fid);
		return (rc < 0 ? rc
			       : ops_refuse(e, OPS_INVALID, "faculty_id", msg));
	}
	if ((rc = review_is_candidate(db, &a, out->phase)) <= 0) {
		(void)snprintf(msg, sizeof(msg),
		    "Item %zu: application %lld is not a candidate of the %s "
		    "phase of this cycle.",
		    n + 1, (long long)aid, phase_names[out->phase]);
		return (rc < 0
			? rc
			: ops_refuse(e, OPS_INVALID, "application_id", msg));
	}
	if ((rc = db_conflict_exists(db, aid, fid)) != 0) {
		(void)snprintf(msg, sizeof(msg),
		    "Item %zu: %s has a recorded conflict with this candidate.",
		    n + 1, u.name);
		return (rc < 0 ? rc : ops_refuse(e, OPS_INVALID, NULL, msg));
	}
	return (OPS_OK);
}

int
ops_assignments_set(struct db *db, struct ops_actor actor, int64_t cycle,
    const json_t *items, int64_t now, json_t **out, struct ops_error *e)
{
	struct set_item *it = NULL;
	struct db_cycle	 c;
	struct db_sheet	 s;
	enum cycle_state state = CYCLE_SETUP;
	json_t		*log = NULL, *detail;
	size_t		 i, n;
	char		 msg[200];
	int		 rc, added = 0, removed = 0;

	*out = NULL;
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director assign reviewers."));
	if (!json_is_array(items) || (n = json_array_size(items)) == 0)
		return (ops_refuse(e, OPS_INVALID, "assignments",
		    "Send a list of assignments."));
	if (limit_over(LIMIT_ASSIGN_ITEMS, (int64_t)n))
		return (ops_refuse(e, OPS_INVALID, "assignments",
		    limit_message(LIMIT_ASSIGN_ITEMS, "Too many assignments",
			msg, sizeof(msg))));
	if ((it = calloc(n, sizeof(*it))) == NULL ||
	    (log = json_array()) == NULL) {
		free(it);
		return (OPS_ENOMEM);
	}
	if ((rc = db_begin(db)) != 0)
		goto out;
	if ((rc = review_cycle(db, cycle, &c, &state, e)) != OPS_OK)
		goto done;
	for (i = 0; i < n; i++)
		if ((rc = check_item(db, c.program_id, cycle,
			 json_array_get(items, i), i, &it[i], e)) != OPS_OK)
			goto done;
	for (i = 0; i < n; i++) {
		const char *ph = phase_names[it[i].phase];

		if (it[i].assign) {
			rc = db_assignment_insert(db, cycle, ph,
			    it[i].application, it[i].faculty, actor.id, now);
			added += rc == 1;
		} else {
			if ((rc = db_sheet_get(db, it[i].application,
				 it[i].faculty, ph, &s)) == 1) {
				rc = strcmp(s.status, "submitted") == 0
				    ? ops_refuse(e, OPS_CONFLICT, NULL,
					  "A submitted sheet exists for one "
					  "of these pairs; it stays assigned.")
				    : 0;
				db_sheet_clear(&s);
				if (rc != 0)
					goto done;
			} else if (rc < 0)
				goto done;
			rc = db_assignment_delete(
			    db, it[i].application, it[i].faculty, ph);
			removed += rc == 1;
		}
		if (rc < 0)
			goto done;
		if (rc == 1 &&
		    json_array_append_new(log,
			json_pack("{s:I,s:I,s:s,s:b}", "faculty_id",
			    (json_int_t)it[i].faculty, "application_id",
			    (json_int_t)it[i].application, "phase", ph,
			    "assigned", it[i].assign)) != 0) {
			rc = OPS_ENOMEM;
			goto done;
		}
	}
	if ((detail = json_pack("{s:O}", "changes", log)) == NULL) {
		rc = OPS_ENOMEM;
		goto done;
	}
	rc = ops_audit(db, actor.id, "assignment.set", "cycle", cycle, detail);
	if (rc == 0 &&
	    (*out = json_pack(
		 "{s:i,s:i}", "added", added, "removed", removed)) == NULL)
		rc = OPS_ENOMEM;
done:
	rc = ops_finish_view(db, rc, out);
out:
	free(it);
	json_decref(log);
	return (rc);
}

/* The matrices of an automatic assignment. */
struct auto_ctx {
	struct db *db;
	int64_t	   program; /* the cycle's: its faculty are the pool */
	enum phase phase;
	int64_t	  *raters; /* LIMIT_ASSIGN_RATERS of them */
	char (*names)[DB_NAME_MAX];
	int	       nraters;
	int64_t	       last_seen; /* paging through the accounts */
	int	       seen;
	int64_t	      *cands; /* LIMIT_ASSIGN_CANDIDATES, in id order */
	int	       ncands;
	unsigned char *conflict;
	unsigned char *assigned;
	enum limit     over; /* the limit passed, or LIMIT__MAX */
};

static int
rater_index(const struct auto_ctx *x, int64_t id)
{
	int i;

	for (i = 0; i < x->nraters; i++)
		if (x->raters[i] == id)
			return (i);
	return (-1);
}

static int
cand_index(const struct auto_ctx *x, int64_t id)
{
	int lo = 0, hi = x->ncands - 1, mid;

	/* Candidates are listed in id order. */
	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		if (x->cands[mid] == id)
			return (mid);
		if (x->cands[mid] < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return (-1);
}

/* Adds rater u to the pool (once); 1 past the limit. */
static int
pool_add(struct auto_ctx *x, const struct db_user *u)
{
	if (rater_index(x, u->id) >= 0)
		return (0);
	if (limit_over(LIMIT_ASSIGN_RATERS, (int64_t)x->nraters + 1)) {
		x->over = LIMIT_ASSIGN_RATERS;
		return (1);
	}
	x->raters[x->nraters] = u->id;
	(void)snprintf(
	    x->names[x->nraters], sizeof(x->names[0]), "%s", u->name);
	x->nraters++;
	return (0);
}

static int
pool_faculty(void *arg, const struct db_user *u)
{
	struct auto_ctx *x = arg;

	x->last_seen = u->id;
	x->seen++;
	if (u->disabled || strcmp(u->role, "faculty") != 0)
		return (0);
	return (pool_add(x, u));
}

static int
pool_candidate(void *arg, const struct db_application *a)
{
	struct auto_ctx *x = arg;
	int		 rc;

	if ((rc = review_is_candidate(x->db, a, x->phase)) <= 0)
		return (rc);
	if (limit_over(LIMIT_ASSIGN_CANDIDATES, (int64_t)x->ncands + 1)) {
		x->over = LIMIT_ASSIGN_CANDIDATES;
		return (1);
	}
	x->cands[x->ncands++] = a->id;
	return (0);
}

static int
mark_conflict(void *arg, const struct db_conflict *c)
{
	struct auto_ctx *x = arg;
	int		 r = rater_index(x, c->faculty_id);
	int		 k = cand_index(x, c->application_id);

	if (r >= 0 && k >= 0)
		x->conflict[r * x->ncands + k] = 1;
	return (0);
}

static int
mark_existing(void *arg, const struct db_assignment_row *a)
{
	struct auto_ctx *x = arg;
	int		 r = rater_index(x, a->faculty_id);
	int		 k = cand_index(x, a->application_id);

	if (r >= 0 && k >= 0 && !x->conflict[r * x->ncands + k])
		x->assigned[r * x->ncands + k] = 1;
	return (0);
}

/* Fills the pool: the named raters, or every enabled faculty member. */
static int
auto_pool(struct db *db, struct auto_ctx *x, const json_t *rater_ids,
    struct ops_error *e)
{
	struct db_user u;
	size_t	       i;
	char	       msg[256];
	int	       rc;

	if (rater_ids == NULL) {
		/* Every account, a page at a time; a short page is the
		 * last. */
		do {
			x->seen = 0;
			if ((rc = db_user_list(db, x->program, x->last_seen,
				 500, pool_faculty, x)) < 0)
				return (rc);
		} while (rc == 0 && x->seen == 500);
		if (x->over != LIMIT__MAX)
			return (ops_refuse(e, OPS_INVALID, "rater_ids",
			    limit_message(x->over,
				"There are too many faculty members to assign "
				"at once; name the raters in rater_ids",
				msg, sizeof(msg))));
		return (OPS_OK);
	}
	if (!json_is_array(rater_ids) || json_array_size(rater_ids) == 0)
		return (ops_refuse(e, OPS_INVALID, "rater_ids",
		    "Name the raters, or leave rater_ids out for every "
		    "faculty member."));
	for (i = 0; i < json_array_size(rater_ids); i++) {
		const json_t *v = json_array_get(rater_ids, i);

		if (!json_is_integer(v) ||
		    (rc = rater_ok(
			 db, x->program, json_integer_value(v), &u)) == 0)
			return (ops_refuse(e, OPS_INVALID, "rater_ids",
			    "Every rater must be an active faculty member or "
			    "the director."));
		if (rc < 0)
			return (rc);
		if (pool_add(x, &u) != 0)
			return (ops_refuse(e, OPS_INVALID, "rater_ids",
			    limit_message(
				x->over, "Too many raters", msg, sizeof(msg))));
	}
	return (OPS_OK);
}

/* Replaces "Candidate <index>" in msg with "Application <id>". */
static void
name_candidate(char *msg, size_t len, int index, int64_t id)
{
	char  from[32], out[sizeof(((struct ops_error *)0)->message)];
	char *at;

	(void)snprintf(from, sizeof(from), "Candidate %d ", index);
	if ((at = strstr(msg, from)) == NULL || len > sizeof(out))
		return;
	(void)snprintf(out, sizeof(out), "%.*sApplication %lld %s",
	    (int)(at - msg), msg, (long long)id, at + strlen(from));
	(void)snprintf(msg, len, "%s", out);
}

static void
auto_free(struct auto_ctx *x)
{
	if (x == NULL)
		return;
	free(x->raters);
	free(x->names);
	free(x->cands);
	free(x->conflict);
	free(x->assigned);
	free(x);
}

int
ops_assignments_auto(struct db *db, struct ops_actor actor, int64_t cycle,
    enum phase p, int k, int cap, const json_t *rater_ids, int64_t now,
    json_t **out, struct ops_error *e)
{
	struct auto_ctx	     *x = NULL;
	struct db_app_filter  f = { 0 };
	struct db_cycle	      c;
	struct assign_problem prob;
	struct assign_report  rep;
	enum assign_status    status;
	enum cycle_state      state = CYCLE_SETUP;
	json_t		     *loads = NULL, *pairs = NULL, *warnings = NULL;
	json_t		     *detail;
	size_t		      nr, nc;
	char		      msg[256];
	int		      rc, r, i, load;

	*out = NULL;
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director assign reviewers."));
	if (k < 1)
		return (ops_refuse(e, OPS_INVALID, "raters_per_candidate",
		    "Raters per candidate is a whole number, 1 or more."));
	if (limit_over(LIMIT_ASSIGN_PER_CANDIDATE, k))
		return (ops_refuse(e, OPS_INVALID, "raters_per_candidate",
		    limit_message(LIMIT_ASSIGN_PER_CANDIDATE,
			"Too many raters per candidate", msg, sizeof(msg))));
	if (cap < 1)
		return (ops_refuse(e, OPS_INVALID, "max_per_rater",
		    "The most candidates per rater is a whole number, 1 or "
		    "more."));
	if (limit_over(LIMIT_ASSIGN_CANDIDATES, cap))
		return (ops_refuse(e, OPS_INVALID, "max_per_rater",
		    limit_message(LIMIT_ASSIGN_CANDIDATES,
			"Too many candidates per rater", msg, sizeof(msg))));
	nr = (size_t)limit_max(LIMIT_ASSIGN_RATERS);
	nc = (size_t)limit_max(LIMIT_ASSIGN_CANDIDATES);
	if ((x = calloc(1, sizeof(*x))) == NULL ||
	    (x->raters = calloc(nr, sizeof(*x->raters))) == NULL ||
	    (x->names = calloc(nr, sizeof(*x->names))) == NULL ||
	    (x->cands = calloc(nc, sizeof(*x->cands))) == NULL) {
		auto_free(x);
		return (OPS_ENOMEM);
	}
	x->db = db;
	x->phase = p;
	x->over = LIMIT__MAX;
	if ((rc = db_begin(db)) != 0) {
		auto_free(x);
		return (rc);
	}
	if ((rc = review_cycle(db, cycle, &c, &state, e)) != OPS_OK)
		goto done;
	x->program = c.program_id;
	if ((rc = auto_pool(db, x, rater_ids, e)) != OPS_OK)
		goto done;
	f.status = "submitted";
	f.limit = (int)limit_max(LIMIT_CANDIDATES) + 1;
	if ((rc = db_application_list(db, cycle, &f, pool_candidate, x)) < 0)
		goto done;
	if (x->over != LIMIT__MAX) {
		rc = ops_refuse(e, OPS_INVALID, NULL,
		    limit_message(x->over,
			"This phase has too many candidates to assign at once",
			msg, sizeof(msg)));
		goto done;
	}
	if (x->ncands == 0 || x->nraters == 0) {
		rc = ops_refuse(e, OPS_INVALID, NULL,
		    x->ncands == 0 ? "This phase has no candidates yet."
				   : "There are no active faculty members to "
				     "assign.");
		goto done;
	}
	x->conflict = calloc((size_t)x->nraters * (size_t)x->ncands, 1);
	x->assigned = calloc((size_t)x->nraters * (size_t)x->ncands, 1);
	if (x->conflict == NULL || x->assigned == NULL) {
		rc = OPS_ENOMEM;
		goto done;
	}
	if ((rc = db_conflict_list(db, cycle, 0, mark_conflict, x)) < 0 ||
	    (rc = db_assignment_list(
		 db, cycle, phase_names[p], 0, mark_existing, x)) < 0)
		goto done;
	prob.nraters = x->nraters;
	prob.ncands = x->ncands;
	prob.k = k;
	prob.cap = cap;
	prob.conflict = x->conflict;
	prob.assigned = x->assigned;
	status = assign_balanced(&prob, &rep);
	if (status == ASSIGN_NOMEM) {
		rc = OPS_ENOMEM;
		goto done;
	}
	if (status == ASSIGN_INFEASIBLE || status == ASSIGN_INVALID) {
		rc = ops_refuse(e, OPS_INVALID, NULL, rep.message);
		/* The module names candidates by their index; name the
		 * application instead. */
		if (e != NULL && rep.candidate >= 0 &&
		    rep.candidate < x->ncands)
			name_candidate(e->message, sizeof(e->message),
			    rep.candidate, x->cands[rep.candidate]);
		goto done;
	}
	loads = json_array();
	pairs = json_array();
	warnings = json_array();
	if (loads == NULL || pairs == NULL || warnings == NULL) {
		rc = OPS_ENOMEM;
		goto done;
	}
	for (r = 0; r < x->nraters; r++) {
		load = 0;
		for (i = 0; i < x->ncands; i++) {
			unsigned char v = x->assigned[r * x->ncands + i];

			load += v != 0;
			if (v != ASSIGN_ADDED)
				continue;
			if ((rc = db_assignment_insert(db, cycle,
				 phase_names[p], x->cands[i], x->raters[r],
				 actor.id, now)) < 0)
				goto done;
			if (json_array_append_new(pairs,
				json_pack("[I,I]", (json_int_t)x->raters[r],
				    (json_int_t)x->cands[i])) != 0) {
				rc = OPS_ENOMEM;
				goto done;
			}
		}
		if (json_array_append_new(loads,
			json_pack("{s:I,s:s,s:i}", "faculty_id",
			    (json_int_t)x->raters[r], "name", x->names[r],
			    "assigned", load)) != 0) {
			rc = OPS_ENOMEM;
			goto done;
		}
	}
	if (status == ASSIGN_DISCONNECTED &&
	    json_array_append_new(warnings, json_string(rep.message)) != 0) {
		rc = OPS_ENOMEM;
		goto done;
	}
	if ((detail = json_pack("{s:s,s:i,s:i,s:i,s:i,s:O}", "phase",
		 phase_names[p], "k", k, "cap", cap, "added", rep.added,
		 "components", rep.components, "pairs", pairs)) == NULL) {
		rc = OPS_ENOMEM;
		goto done;
	}
	rc = ops_audit(db, actor.id, "assignment.auto", "cycle", cycle, detail);
	if (rc == 0 &&
	    (*out = json_pack("{s:i,s:b,s:i,s:O,s:O}", "added", rep.added,
		 "connected", status == ASSIGN_OK, "components", rep.components,
		 "warnings", warnings, "loads", loads)) == NULL)
		rc = OPS_ENOMEM;
done:
	rc = ops_finish_view(db, rc, out);
	auto_free(x);
	json_decref(loads);
	json_decref(pairs);
	json_decref(warnings);
	return (rc);
}
