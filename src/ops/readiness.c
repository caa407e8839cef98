/*
 * The readiness gate before certifying a rank list: what blocks it and
 * what the director must acknowledge (the rules and their codes are
 * core/readiness.h's). The facts come from the ranking's build (which
 * sheets count, the rater groups, who was invited) and from the
 * database (the phases, the assignments with their sheets' state, the
 * conflicts); every item names the candidates or raters it concerns.
 *
 * The same function serves the staff's view of readiness and the
 * certification itself, which runs it inside its write transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/common.h"
#include "ops/ranking.h"
#include "ops/ranking_int.h"
#include "ops/review.h"
#include "ops/review_int.h"

/* A rater's assigned sheets of ranked candidates that are not
 * submitted, by phase. */
struct open_tally {
	int64_t id;
	char	name[DB_NAME_MAX];
	int	draft[PHASE__MAX], none[PHASE__MAX];
};

/* A conflict of a ranked candidate, read before its sheets are. */
struct late {
	int64_t app, rater;
	char	rater_name[DB_NAME_MAX];
};

struct gather {
	const struct ranking *r;
	const unsigned char  *ranked; /* by candidate index */
	const int	     *order;  /* ranked indexes, in list order */
	int		      nranked;
	int		     *assigned_iv; /* interview raters, by index */
	struct open_tally    *tally;
	int		      ntally, captally;
	struct late	     *late;
	int		      nlate, caplate;
	int		      enomem;
};

static int
gather_assignment(void *arg, const struct db_assignment_row *a)
{
	struct gather	  *g = arg;
	struct open_tally *t, *grown;
	enum phase	   p;
	int		   k, i;

	if (phase_parse(a->phase, &p) != 0 ||
	    (k = ranking_cand_index(g->r, a->application_id)) < 0 ||
	    !g->ranked[k])
		return (0);
	if (p == PHASE_INTERVIEW)
		g->assigned_iv[k]++;
	if (strcmp(a->sheet, "submitted") == 0)
		return (0);
	for (i = 0; i < g->ntally && g->tally[i].id != a->faculty_id; i++)
		;
	if (i == g->ntally) {
		if (g->ntally == g->captally) {
			int cap = g->captally ? g->captally * 2 : 8;

			if ((grown = reallocarray(g->tally, (size_t)cap,
				 sizeof(*grown))) == NULL) {
				g->enomem = 1;
				return (1);
			}
			g->tally = grown;
			g->captally = cap;
		}
		t = &g->tally[g->ntally++];
		memset(t, 0, sizeof(*t));
		t->id = a->faculty_id;
		(void)snprintf(t->name, sizeof(t->name), "%s", a->faculty_name);
	}
	t = &g->tally[i];
	if (strcmp(a->sheet, "draft") == 0)
		t->draft[p]++;
	else
		t->none[p]++;
	return (0);
}

static int
gather_conflict(void *arg, const struct db_conflict *c)
{
	struct gather *g = arg;
	struct late   *grown;
	int	       k;

	if ((k = ranking_cand_index(g->r, c->application_id)) < 0 ||
	    !g->ranked[k])
		return (0);
	if (g->nlate == g->caplate) {
		int cap = g->caplate ? g->caplate * 2 : 8;

		if ((grown = reallocarray(
			 g->late, (size_t)cap, sizeof(*grown))) == NULL) {
			g->enomem = 1;
			return (1);
		}
		g->late = grown;
		g->caplate = cap;
	}
	g->late[g->nlate].app = c->application_id;
	g->late[g->nlate].rater = c->faculty_id;
	(void)snprintf(g->late[g->nlate].rater_name,
	    sizeof(g->late[g->nlate].rater_name), "%s", c->faculty_name);
	g->nlate++;
	return (0);
}

/* "1 candidate" or "3 candidates". */
static const char *
plural(int n, const char *one, const char *many)
{
	return (n == 1 ? one : many);
}

/* Appends a blocking item; -1 when out of memory. */
static int
block(json_t *list, enum ready_block b, const char *message, json_t *extra)
{
	json_t *o = json_pack(
	    "{s:s,s:s}", "code", ready_block_codes[b], "message", message);

	if (o == NULL || (extra != NULL && json_object_update(o, extra) != 0) ||
	    json_array_append_new(list, o) != 0) {
		json_decref(extra);
		return (-1);
	}
	json_decref(extra);
	return (0);
}

/* Appends warning w with its message and items (a reference this
 * steals) when it has any; -1 when out of memory. */
static int
warn(struct ranklist_ready *out, enum ready_warn w, int count,
    const char *message, json_t *items)
{
	json_t *o;

	if (items == NULL)
		return (-1);
	if (json_array_size(items) == 0) {
		json_decref(items);
		return (0);
	}
	o = json_pack("{s:s,s:s,s:s,s:i,s:o}", "code", ready_warn_codes[w],
	    "title", ready_warn_titles[w], "message", message, "count", count,
	    "items", items);
	if (o == NULL || json_array_append_new(out->warnings, o) != 0)
		return (-1);
	out->present[w] = 1;
	out->count[w] = count;
	return (0);
}

/*
 * The entries that are no longer candidates (ranklist_departures()):
 * they block certification, and under a certified list they say that
 * someone left it since, so that the director can decide to reopen it.
 */
static int
departed_block(struct db *db, const struct ranking *r, const json_t *entries,
    const struct db_ranklist *current, struct ranklist_ready *out)
{
	json_t	     *snap, *gone = NULL, *items = NULL;
	const json_t *d;
	char	      msg[900], who[700];
	size_t	      i, at = 0;
	int	      rc, certified, withdrawn;

	certified = current != NULL && strcmp(current->kind, "certified") == 0;
	snap = certified ? ranklist_snapshot_of(current) : NULL;
	rc = ranklist_departures(db, r, entries, snap, &gone);
	json_decref(snap);
	if (rc != OPS_OK)
		return (rc);
	if (json_array_size(gone) == 0) {
		json_decref(gone);
		return (OPS_OK);
	}
	if ((items = json_array()) == NULL)
		goto nomem;
	who[0] = '\0';
	json_array_foreach(gone, i, d)
	{
		const char *name =
		    json_string_value(json_object_get(d, "name"));

		withdrawn =
		    strcmp(json_string_value(json_object_get(d, "status")),
			"withdrawn") == 0;
		if (at < sizeof(who))
			at += (size_t)snprintf(who + at, sizeof(who) - at,
			    "%s%s (%s)", i ? ", " : "", name,
			    withdrawn ? "withdrew" : "application reopened");
		if (json_array_append_new(items,
			json_pack("{s:s,s:O,s:s,s:O,s:O,s:O}", "name", name,
			    "application_id",
			    json_object_get(d, "application_id"), "detail",
			    withdrawn ? "Withdrew."
				      : "The application was reopened; it is "
					"no longer submitted.",
			    "rank", json_object_get(d, "rank"), "status",
			    json_object_get(d, "status"), "withdrawn_at",
			    json_object_get(d, "withdrawn_at"))) != 0)
			goto nomem;
	}
	if (certified)
		(void)snprintf(msg, sizeof(msg),
		    "Since the list was certified, %zu %s on it left: %s. "
		    "Reopen the list to take them off it.",
		    json_array_size(gone),
		    plural(
			(int)json_array_size(gone), "candidate", "candidates"),
		    who);
	else
		(void)snprintf(msg, sizeof(msg),
		    "%zu %s on the list %s no longer %s: %s. Take them off "
		    "the list and save it before certifying.",
		    json_array_size(gone),
		    plural((int)json_array_size(gone), "entry", "entries"),
		    plural((int)json_array_size(gone), "is", "are"),
		    plural((int)json_array_size(gone), "a candidate",
			"candidates"),
		    who);
	json_decref(gone);
	return (block(out->blocking, READY_DEPARTED, msg,
		    json_pack("{s:o}", "items", items)) == 0
		? OPS_OK
		: OPS_ENOMEM);
nomem:
	json_decref(gone);
	json_decref(items);
	return (OPS_ENOMEM);
}

/* Conflicts declared after scoring closed that await the staff's
 * decision: accepting one would change scores, so they are decided
 * first. */
static int
pending_block(
    struct db *db, const struct ranking *r, struct ranklist_ready *out)
{
	json_t	     *pending = NULL, *items = NULL;
	const json_t *q;
	char	      msg[300], name[2 * DB_NAME_MAX + 8];
	size_t	      i, n;
	int	      rc;

	if ((rc = ops_conflict_requests(db, r->cycle, 0, 1, &pending)) !=
	    OPS_OK)
		return (rc);
	if ((n = json_array_size(pending)) == 0) {
		json_decref(pending);
		return (OPS_OK);
	}
	if ((items = json_array()) == NULL)
		goto nomem;
	json_array_foreach(pending, i, q)
	{
		(void)snprintf(name, sizeof(name), "%s — %s",
		    json_string_value(json_object_get(q, "candidate")),
		    json_string_value(json_object_get(q, "faculty_name")));
		if (json_array_append_new(items,
			json_pack("{s:s,s:O,s:O,s:O,s:O}", "name", name,
			    "application_id",
			    json_object_get(q, "application_id"), "rater_id",
			    json_object_get(q, "faculty_id"), "request_id",
			    json_object_get(q, "id"), "detail",
			    json_object_get(q, "reason"))) != 0)
			goto nomem;
	}
	(void)snprintf(msg, sizeof(msg),
	    "%zu %s of interest declared after scoring closed %s a "
	    "decision; accept or decline %s before certifying.",
	    n, plural((int)n, "conflict", "conflicts"),
	    plural((int)n, "awaits", "await"), plural((int)n, "it", "them"));
	json_decref(pending);
	return (block(out->blocking, READY_CONFLICTS_PENDING, msg,
		    json_pack("{s:o}", "items", items)) == 0
		? OPS_OK
		: OPS_ENOMEM);
nomem:
	json_decref(pending);
	json_decref(items);
	return (OPS_ENOMEM);
}

/* The blocking items that do not need the database's other rows. */
static int
list_blocks(struct db *db, const struct ranking *r, const json_t *entries,
    const struct db_ranklist *current, enum cycle_state state, int64_t reviewed,
    const unsigned char *listed, struct ranklist_ready *out)
{
	struct db_phase ph;
	json_t	       *missing;
	char		msg[300];
	int64_t		version = current != NULL ? current->version : 0;
	int		k, p, rc;

	(void)entries;
	if (current != NULL && strcmp(current->kind, "certified") == 0 &&
	    block(out->blocking, READY_CERTIFIED,
		"The rank list is certified already.", NULL) != 0)
		return (OPS_ENOMEM);
	if (reviewed >= 0 && reviewed != version) {
		(void)snprintf(msg, sizeof(msg),
		    "The rank list was changed elsewhere since you opened it "
		    "(it is now version %lld); review it before certifying.",
		    (long long)version);
		if (block(out->blocking, READY_STALE, msg,
			json_pack("{s:I}", "version", (json_int_t)version)) !=
		    0)
			return (OPS_ENOMEM);
	}
	if (state != CYCLE_REVIEW && state != CYCLE_RANKING) {
		(void)snprintf(msg, sizeof(msg),
		    "A rank list is certified when the cycle is in review or "
		    "ranking; this cycle is in %s.",
		    cycle_state_name(state));
		if (block(out->blocking, READY_STATE, msg, NULL) != 0)
			return (OPS_ENOMEM);
	}
	if ((missing = json_array()) == NULL)
		return (OPS_ENOMEM);
	for (k = 0; k < r->ncands; k++)
		if (r->cands[k].in_pool && !listed[k] &&
		    json_array_append_new(missing,
			json_pack("{s:s,s:I}", "name", r->cands[k].name,
			    "application_id", (json_int_t)r->cands[k].app)) !=
			0) {
			json_decref(missing);
			return (OPS_ENOMEM);
		}
	if (json_array_size(missing) > 0) {
		if (block(out->blocking, READY_MISSING,
			"Candidates were invited since the list was saved; "
			"place them on the list and save it before certifying.",
			json_pack("{s:o}", "items", missing)) != 0)
			return (OPS_ENOMEM);
	} else
		json_decref(missing);
	if ((rc = departed_block(db, r, entries, current, out)) != OPS_OK ||
	    (rc = pending_block(db, r, out)) != OPS_OK)
		return (rc);
	if (out->ranked == 0 &&
	    block(out->blocking, READY_NOBODY,
		"The list ranks nobody; there is nothing to certify.",
		NULL) != 0)
		return (OPS_ENOMEM);
	for (p = 0; p < PHASE__MAX; p++) {
		if ((rc = review_phase_get(db, r->cycle, (enum phase)p, &ph)) !=
		    0)
			return (rc);
		if (!ready_phase_blocks(r->weights[p], ph.closed_at != 0))
			continue;
		(void)snprintf(msg, sizeof(msg),
		    "Scoring of the %s phase is still open; close it first, "
		    "so that no sheet changes under the certified list.",
		    phase_names[p]);
		if (block(out->blocking, READY_PHASE_OPEN, msg,
			json_pack("{s:s}", "phase", phase_names[p])) != 0)
			return (OPS_ENOMEM);
	}
	return (OPS_OK);
}

/* Ranked candidates not interviewed, and those with fewer interview
 * sheets than assigned. */
static int
interview_warnings(
    const struct ranking *r, const struct gather *g, struct ranklist_ready *out)
{
	const struct agg_result *iv = &r->phases[PHASE_INTERVIEW].res;
	json_t			*none, *fewer;
	char			 detail[200], msg[300];
	int			 i, k, n, nn = 0, nf = 0;

	none = json_array();
	fewer = json_array();
	if (none == NULL || fewer == NULL)
		goto nomem;
	for (i = 0; i < g->nranked; i++) {
		k = g->order[i];
		n = iv->cands[k].n;
		switch (ready_interview(n, g->assigned_iv[k])) {
		case READY_NO_INTERVIEW:
			if (!r->cands[k].interviewed)
				(void)snprintf(detail, sizeof(detail),
				    "Not invited to interview.");
			else if (g->assigned_iv[k] == 0)
				(void)snprintf(detail, sizeof(detail),
				    "Invited; no interview rater assigned.");
			else
				(void)snprintf(detail, sizeof(detail),
				    "Invited; %d interview %s assigned, no "
				    "sheet submitted.",
				    g->assigned_iv[k],
				    plural(
					g->assigned_iv[k], "rater", "raters"));
			if (json_array_append_new(none,
				json_pack("{s:s,s:I,s:s}", "name",
				    r->cands[k].name, "application_id",
				    (json_int_t)r->cands[k].app, "detail",
				    detail)) != 0)
				goto nomem;
			nn++;
			break;
		case READY_FEWER_SHEETS:
			(void)snprintf(detail, sizeof(detail),
			    "%d of %d interview sheets submitted.", n,
			    g->assigned_iv[k]);
			if (json_array_append_new(fewer,
				json_pack("{s:s,s:I,s:s}", "name",
				    r->cands[k].name, "application_id",
				    (json_int_t)r->cands[k].app, "detail",
				    detail)) != 0)
				goto nomem;
			nf++;
			break;
		default:
			break;
		}
	}
	(void)snprintf(msg, sizeof(msg),
	    "%d ranked %s no interview sheet that counts: %s ranked on %s "
	    "screening alone.",
	    nn, plural(nn, "candidate has", "candidates have"),
	    plural(nn, "it is", "they are"), plural(nn, "its", "their"));
	if (warn(out, READY_NOT_INTERVIEWED, nn, msg, none) != 0) {
		json_decref(fewer);
		return (OPS_ENOMEM);
	}
	(void)snprintf(msg, sizeof(msg),
	    "%d ranked %s fewer interview sheets than interview raters "
	    "assigned: %s interview score rests on fewer opinions.",
	    nf, plural(nf, "candidate has", "candidates have"),
	    plural(nf, "its", "their"));
	return (warn(out, READY_SHEETS_SHORT, nf, msg, fewer) != 0 ? OPS_ENOMEM
								   : OPS_OK);
nomem:
	json_decref(none);
	json_decref(fewer);
	return (OPS_ENOMEM);
}

/* Appends "<Phase>: 1 draft, 2 not started" for phase p of t to buf. */
static void
tally_text(const struct open_tally *t, char *buf, size_t len)
{
	size_t	    at = 0;
	int	    p, n;
	const char *label[PHASE__MAX] = { "Screening", "Interview" };
	const char *lower[PHASE__MAX] = { "screening", "interview" };

	buf[0] = '\0';
	for (p = 0; p < PHASE__MAX; p++) {
		if (t->draft[p] == 0 && t->none[p] == 0)
			continue;
		n = snprintf(buf + at, len - at, "%s%s: ", at ? "; " : "",
		    at ? lower[p] : label[p]);
		if (n < 0 || (size_t)n >= len - at)
			return;
		at += (size_t)n;
		if (t->draft[p] > 0) {
			n = snprintf(buf + at, len - at, "%d %s", t->draft[p],
			    plural(t->draft[p], "draft", "drafts"));
			if (n < 0 || (size_t)n >= len - at)
				return;
			at += (size_t)n;
		}
		if (t->none[p] > 0) {
			n = snprintf(buf + at, len - at, "%s%d not started",
			    t->draft[p] > 0 ? ", " : "", t->none[p]);
			if (n < 0 || (size_t)n >= len - at)
				return;
			at += (size_t)n;
		}
	}
	if (at > 0 && at + 1 < len)
		(void)snprintf(buf + at, len - at, ".");
}

static int
tally_cmp(const void *a, const void *b)
{
	const struct open_tally *x = a, *y = b;
	int			 c = strcmp(x->name, y->name);

	return (c != 0 ? c : (x->id > y->id) - (x->id < y->id));
}

/* Draft or missing sheets of the ranked candidates, per rater (by
 * name). */
static int
open_sheets_warning(struct gather *g, struct ranklist_ready *out)
{
	json_t *items;
	char	detail[300], msg[300];
	int	i, p, sheets = 0;

	if ((items = json_array()) == NULL)
		return (OPS_ENOMEM);
	if (g->ntally > 1)
		qsort(
		    g->tally, (size_t)g->ntally, sizeof(*g->tally), tally_cmp);
	for (i = 0; i < g->ntally; i++) {
		for (p = 0; p < PHASE__MAX; p++)
			sheets += g->tally[i].draft[p] + g->tally[i].none[p];
		tally_text(&g->tally[i], detail, sizeof(detail));
		if (json_array_append_new(items,
			json_pack("{s:s,s:I,s:s}", "name", g->tally[i].name,
			    "rater_id", (json_int_t)g->tally[i].id, "detail",
			    detail)) != 0) {
			json_decref(items);
			return (OPS_ENOMEM);
		}
	}
	(void)snprintf(msg, sizeof(msg),
	    "%d assigned score %s of ranked candidates %s in draft or not "
	    "started (%d %s); only submitted sheets count.",
	    sheets, plural(sheets, "sheet", "sheets"),
	    plural(sheets, "is", "are"), g->ntally,
	    plural(g->ntally, "rater", "raters"));
	return (warn(out, READY_SHEETS_OPEN, sheets, msg, items) != 0
		? OPS_ENOMEM
		: OPS_OK);
}

/* The groups of raters of each phase that counts, when there are
 * several. */
static int
groups_warning(const struct ranking *r, struct ranklist_ready *out)
{
	const char *label[PHASE__MAX] = { "Screening", "Interview" };
	json_t	   *items;
	char	    name[64], detail[1200], msg[300];
	size_t	    at;
	int	    p, grp, i, k, n, cands, groups = 0;

	if ((items = json_array()) == NULL)
		return (OPS_ENOMEM);
	for (p = 0; p < PHASE__MAX; p++) {
		const struct agg_result *res = &r->phases[p].res;

		if (r->weights[p] <= 0 || res->groups <= 1)
			continue;
		for (grp = 0; grp < res->groups; grp++) {
			at = 0;
			detail[0] = '\0';
			for (i = 0; i < res->nraters; i++) {
				if (res->raters[i].group != grp)
					continue;
				n = snprintf(detail + at, sizeof(detail) - at,
				    "%s%s", at ? ", " : "", r->raters[i].name);
				if (n < 0 || (size_t)n >= sizeof(detail) - at)
					break;
				at += (size_t)n;
			}
			for (cands = 0, k = 0; k < res->ncands; k++)
				cands += res->cands[k].group == grp;
			if (at < sizeof(detail))
				(void)snprintf(detail + at, sizeof(detail) - at,
				    "; %d %s.", cands,
				    plural(cands, "candidate", "candidates"));
			(void)snprintf(name, sizeof(name), "%s, group %d",
			    label[p], grp + 1);
			if (json_array_append_new(items,
				json_pack("{s:s,s:s}", "name", name, "detail",
				    detail)) != 0) {
				json_decref(items);
				return (OPS_ENOMEM);
			}
			groups++;
		}
	}
	(void)snprintf(msg, sizeof(msg),
	    "The raters of a phase fall into groups with no candidate in "
	    "common (%d groups in all): leniency cannot be compared across "
	    "groups, so neither can the adjusted scores.",
	    groups);
	return (warn(out, READY_GROUPS_APART, groups, msg, items) != 0
		? OPS_ENOMEM
		: OPS_OK);
}

/* Conflicts whose rater had submitted a sheet of the candidate. */
static int
late_conflicts_warning(struct db *db, const struct ranking *r,
    const struct gather *g, struct ranklist_ready *out)
{
	struct db_sheet s;
	json_t	       *items;
	char		name[2 * DB_NAME_MAX + 8], detail[200], msg[300];
	int		i, p, k, rc, late = 0, sheets;

	if ((items = json_array()) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < g->nlate; i++) {
		detail[0] = '\0';
		for (sheets = 0, p = 0; p < PHASE__MAX; p++) {
			memset(&s, 0, sizeof(s));
			rc = db_sheet_get(db, g->late[i].app, g->late[i].rater,
			    phase_names[p], &s);
			if (rc < 0) {
				json_decref(items);
				return (rc);
			}
			if (rc == 1 && strcmp(s.status, "submitted") == 0) {
				(void)snprintf(detail + strlen(detail),
				    sizeof(detail) - strlen(detail), "%s%s",
				    sheets++ ? " and " : "The ",
				    phase_names[p]);
			}
			db_sheet_clear(&s);
		}
		if (sheets == 0)
			continue;
		(void)snprintf(detail + strlen(detail),
		    sizeof(detail) - strlen(detail),
		    " %s submitted before the conflict no longer %s.",
		    plural(sheets, "sheet", "sheets"),
		    plural(sheets, "counts", "count"));
		k = ranking_cand_index(r, g->late[i].app);
		(void)snprintf(name, sizeof(name), "%s — %s", r->cands[k].name,
		    g->late[i].rater_name);
		if (json_array_append_new(items,
			json_pack("{s:s,s:I,s:I,s:s}", "name", name,
			    "application_id", (json_int_t)g->late[i].app,
			    "rater_id", (json_int_t)g->late[i].rater, "detail",
			    detail)) != 0) {
			json_decref(items);
			return (OPS_ENOMEM);
		}
		late++;
	}
	(void)snprintf(msg, sizeof(msg),
	    "%d %s of interest %s declared after the rater had submitted a "
	    "sheet of a ranked candidate; those sheets no longer count, so "
	    "the candidate's scores changed after scoring.",
	    late, plural(late, "conflict", "conflicts"),
	    plural(late, "was", "were"));
	return (warn(out, READY_LATE_CONFLICTS, late, msg, items) != 0
		? OPS_ENOMEM
		: OPS_OK);
}

void
ranklist_ready_clear(struct ranklist_ready *out)
{
	json_decref(out->blocking);
	json_decref(out->warnings);
	memset(out, 0, sizeof(*out));
}

int
ranklist_readiness(struct db *db, const struct ranking *r,
    const json_t *entries, const struct db_ranklist *current,
    enum cycle_state state, int64_t reviewed, struct ranklist_ready *out)
{
	struct gather  g;
	unsigned char *listed = NULL, *ranked = NULL;
	int	      *order = NULL;
	size_t	       i;
	int	       rc, k;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	out->blocking = json_array();
	out->warnings = json_array();
	listed = calloc((size_t)r->ncands + 1, 1);
	ranked = calloc((size_t)r->ncands + 1, 1);
	g.assigned_iv = calloc((size_t)r->ncands + 1, sizeof(int));
	order = calloc((size_t)r->ncands + 1, sizeof(int));
	if (out->blocking == NULL || out->warnings == NULL || listed == NULL ||
	    ranked == NULL || g.assigned_iv == NULL || order == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	for (i = 0; i < json_array_size(entries); i++) {
		const json_t *it = json_array_get(entries, i);
		int dnr = json_is_true(json_object_get(it, "do_not_rank"));

		out->ranked += !dnr;
		if ((k = ranking_cand_index(r,
			 json_integer_value(
			     json_object_get(it, "application_id")))) < 0)
			continue;
		/* A list holds each candidate once (the save checks it). */
		if (!listed[k] && !dnr)
			order[g.nranked++] = k;
		listed[k] = 1;
		ranked[k] = !dnr;
	}
	g.r = r;
	g.ranked = ranked;
	g.order = order;
	if ((rc = list_blocks(db, r, entries, current, state, reviewed, listed,
		 out)) != OPS_OK)
		goto out;
	if ((rc = db_assignment_list(
		 db, r->cycle, NULL, 0, gather_assignment, &g)) < 0)
		goto out;
	if (rc == 0 &&
	    (rc = db_conflict_list(db, r->cycle, 0, gather_conflict, &g)) < 0)
		goto out;
	if (g.enomem) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = interview_warnings(r, &g, out)) != OPS_OK ||
	    (rc = open_sheets_warning(&g, out)) != OPS_OK ||
	    (rc = groups_warning(r, out)) != OPS_OK ||
	    (rc = late_conflicts_warning(db, r, &g, out)) != OPS_OK)
		goto out;
out:
	free(listed);
	free(ranked);
	free(order);
	free(g.assigned_iv);
	free(g.tally);
	free(g.late);
	if (rc != OPS_OK)
		ranklist_ready_clear(out);
	return (rc);
}

json_t *
ranklist_ready_record(const struct ranklist_ready *ready)
{
	json_t *record, *w, *items, *it, *copy;
	size_t	i, j;

	if ((record = json_array()) == NULL)
		return (NULL);
	json_array_foreach(ready->warnings, i, w)
	{
		if ((items = json_array()) == NULL)
			goto fail;
		json_array_foreach(json_object_get(w, "items"), j, it)
		{
			if (json_array_append_new(items,
				json_pack("{s:O,s:O*}", "name",
				    json_object_get(it, "name"), "detail",
				    json_object_get(it, "detail"))) != 0) {
				json_decref(items);
				goto fail;
			}
		}
		copy = json_pack("{s:O,s:O,s:O,s:O,s:o}", "code",
		    json_object_get(w, "code"), "title",
		    json_object_get(w, "title"), "message",
		    json_object_get(w, "message"), "count",
		    json_object_get(w, "count"), "items", items);
		if (copy == NULL || json_array_append_new(record, copy) != 0)
			goto fail;
	}
	return (record);
fail:
	json_decref(record);
	return (NULL);
}

int
ops_ranklist_readiness(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t reviewed, json_t **out, struct ops_error *e)
{
	struct ranklist_ready ready = { 0 };
	struct ranking	     *r = NULL;
	struct db_ranklist    v;
	struct db_cycle	      c;
	enum cycle_state      state;
	json_t		     *entries = NULL;
	int		      rc, have = 0;

	*out = NULL;
	memset(&v, 0, sizeof(v));
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director work on the rank "
		    "list."));
	if ((rc = review_cycle(db, cycle, &c, &state, e)) != OPS_OK ||
	    (rc = ranking_build(db, cycle, &r, e)) != OPS_OK)
		return (rc);
	if ((rc = ranklist_load_version(db, r, 0, &v, &have, e)) != OPS_OK)
		goto out;
	if ((rc = ranklist_entries(r, &v, have, &entries)) != OPS_OK)
		goto out;
	if ((rc = ranklist_readiness(db, r, entries, have ? &v : NULL, state,
		 reviewed, &ready)) != OPS_OK)
		goto out;
	*out = json_pack("{s:I,s:I,s:o,s:s,s:s,s:b,s:i,s:O,s:O}", "cycle_id",
	    (json_int_t)cycle, "version", (json_int_t)(have ? v.version : 0),
	    "reviewed", reviewed >= 0 ? json_integer(reviewed) : json_null(),
	    "state", have ? v.kind : "computed", "cycle_state",
	    cycle_state_name(state), "ready",
	    json_array_size(ready.blocking) == 0, "ranked", ready.ranked,
	    "blocking", ready.blocking, "warnings", ready.warnings);
	rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
out:
	ranklist_ready_clear(&ready);
	json_decref(entries);
	db_ranklist_clear(&v);
	ranking_free(r);
	return (rc);
}
