/*
 * The rank list: saved versions (each a new row, never changed), the
 * reasons for manual moves and "do not rank", certification by the
 * director with the SHA-256 of the list's canonical text, reopening with
 * a reason, differences between versions, and the exports. Every change
 * and every export is audited.
 *
 * Each operation builds the ranking once. Saving and certifying build it
 * outside their write transaction and check it inside (ranking_int.h,
 * RANKLIST_BUILDS); their answer is the list just written, viewed
 * against that same build.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/cycle.h"
#include "core/text.h"
#include "ops/common.h"
#include "ops/ranking.h"
#include "ops/ranking_int.h"
#include "ops/review_int.h"

json_t *
ranklist_composite_entries(const struct ranking *r)
{
	json_t *e = json_array();
	int    *at = NULL, i, k, n = 0;

	if (e == NULL ||
	    (at = calloc((size_t)r->ncands + 1, sizeof(int))) == NULL) {
		json_decref(e);
		return (NULL);
	}
	/* Ranked candidates by rank (places are 1..n, each once), then the
	 * pool's unranked by id. */
	for (i = 0; i < r->ncands; i++)
		if (r->cands[i].rank > 0)
			at[r->cands[i].rank - 1] = i;
	for (k = 0; k < r->ncands; k++)
		if (r->cands[k].rank > 0)
			n++;
	for (k = 0; k < n + r->ncands; k++) {
		i = k < n ? at[k] : k - n;
		if (!r->cands[i].in_pool || (k >= n && r->cands[i].rank != 0))
			continue;
		if (json_array_append_new(e,
			json_pack("{s:I,s:b,s:s}", "application_id",
			    (json_int_t)r->cands[i].app, "do_not_rank", 0,
			    "reason", "")) != 0) {
			free(at);
			json_decref(e);
			return (NULL);
		}
	}
	free(at);
	return (e);
}

/* The application ids of entries, in order (freed by the caller). */
static int64_t *
entry_ids(const json_t *entries)
{
	size_t	 i, n = json_array_size(entries);
	int64_t *ids = calloc(n + 1, sizeof(*ids));

	if (ids == NULL)
		return (NULL);
	for (i = 0; i < n; i++)
		ids[i] = json_integer_value(json_object_get(
		    json_array_get(entries, i), "application_id"));
	return (ids);
}

/* A version's warnings acknowledged at certification: the stored
 * array, or null (none recorded; also a record that does not parse,
 * which the schema's check keeps out). A new reference; NULL when out
 * of memory. */
static json_t *
acknowledged_json(const struct db_ranklist *v)
{
	json_t *a;

	if (v->acknowledged == NULL ||
	    (a = json_loads(v->acknowledged, 0, NULL)) == NULL)
		return (json_null());
	return (a);
}

/* The rounded composite of candidate k of r, or null. */
static json_t *
composite_of(const struct ranking *r, int k)
{
	return (k >= 0 && isfinite(r->cands[k].composite)
		? json_real(round(r->cands[k].composite * 100) / 100)
		: json_null());
}

json_t *
ranklist_snapshot_build(const struct ranking *r, const json_t *entries)
{
	json_t *snap, *o, *id;
	size_t	i;
	int	k, p;

	if ((snap = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < json_array_size(entries); i++) {
		json_int_t app = json_integer_value(json_object_get(
		    json_array_get(entries, i), "application_id"));

		/* A certified list holds candidates only (the readiness
		 * gate refuses one that names anyone else). */
		k = ranking_cand_index(r, app);
		o = json_pack("{s:I,s:s,s:o,s:i}", "application_id", app,
		    "name", k >= 0 ? r->cands[k].name : "", "composite",
		    composite_of(r, k), "rank_composite",
		    k >= 0 ? r->cands[k].rank : 0);
		for (p = 0; o != NULL && p < RANK_ID__MAX; p++) {
			id = k >= 0 ? json_object_get(
					  r->cands[k].fields, rank_id_fields[p])
				    : NULL;
			if (json_object_set_new(o, rank_id_fields[p],
				json_is_string(id) && json_string_length(id) > 0
				    ? json_copy(id)
				    : json_null()) != 0) {
				json_decref(o);
				o = NULL;
			}
		}
		if (json_array_append_new(snap, o) != 0) {
			json_decref(snap);
			return (NULL);
		}
	}
	return (snap);
}

json_t *
ranklist_snapshot_of(const struct db_ranklist *v)
{
	if (v == NULL || v->snapshot == NULL ||
	    strcmp(v->kind, "certified") != 0)
		return (NULL);
	return (json_loads(v->snapshot, 0, NULL));
}

/* The element of snap for entry i (application app), or NULL. */
static const json_t *
snap_at(const json_t *snap, size_t i, int64_t app)
{
	const json_t *s = json_array_get(snap, i);

	return (s != NULL &&
		    json_integer_value(json_object_get(s, "application_id")) ==
			app
		? s
		: NULL);
}

/* The name of an application from its fields' text. */
static void
fields_name(const char *text, char *name, size_t len)
{
	json_t	   *f = json_loads(text != NULL ? text : "{}", 0, NULL);
	const char *fn = json_string_value(json_object_get(f, "first_name"));
	const char *ln = json_string_value(json_object_get(f, "last_name"));

	(void)snprintf(name, len, "%s%s%s", fn ? fn : "",
	    fn && *fn && ln && *ln ? " " : "", ln ? ln : "");
	json_decref(f);
}

int
ranklist_departures(struct db *db, const struct ranking *r,
    const json_t *entries, const json_t *snap, json_t **out)
{
	struct db_application a;
	const json_t	     *s;
	size_t		      i;
	char		      name[DB_NAME_MAX];
	int		      rc, rank = 0, dnr;

	if ((*out = json_array()) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < json_array_size(entries); i++) {
		const json_t *it = json_array_get(entries, i);
		int64_t	      app =
		    json_integer_value(json_object_get(it, "application_id"));

		dnr = json_is_true(json_object_get(it, "do_not_rank"));
		rank += !dnr;
		if (ranking_cand_index(r, app) >= 0)
			continue;
		memset(&a, 0, sizeof(a));
		if ((rc = db_application_by_id(db, app, &a)) != 1) {
			/* A version names only applications that exist. */
			json_decref(*out);
			*out = NULL;
			return (rc < 0 ? rc : DB_ERROR);
		}
		if ((s = snap_at(snap, i, app)) != NULL)
			(void)snprintf(name, sizeof(name), "%s",
			    json_string_value(json_object_get(s, "name")));
		else
			fields_name(a.fields, name, sizeof(name));
		rc = json_array_append_new(*out,
		    json_pack("{s:I,s:s,s:o,s:b,s:s,s:o}", "application_id",
			(json_int_t)app, "name", name, "rank",
			dnr ? json_null() : json_integer(rank), "do_not_rank",
			dnr, "status", a.status, "withdrawn_at",
			a.withdrawn_at[0] ? json_string(a.withdrawn_at)
					  : json_null()));
		db_application_clear(&a);
		if (rc != 0) {
			json_decref(*out);
			*out = NULL;
			return (OPS_ENOMEM);
		}
	}
	return (OPS_OK);
}

/* The name departures gives application app, or NULL. */
static const char *
departed_name(const json_t *departures, int64_t app)
{
	const json_t *d;
	size_t	      i;

	json_array_foreach(departures, i, d)
	{
		if (json_integer_value(json_object_get(d, "application_id")) ==
		    app)
			return (json_string_value(json_object_get(d, "name")));
	}
	return (NULL);
}

/*
 * Builds the view of a list (entries) against the ranking: a new
 * reference, or NULL when out of memory. snap, when not NULL, is the
 * certified version's snapshot: the names and composites shown are
 * those it kept. departures (ranklist_departures(), or NULL for none)
 * are the entries that are no longer candidates.
 */
static json_t *
list_json(const struct ranking *r, const json_t *entries, int64_t version,
    const char *state, const struct db_ranklist *v, const json_t *snap,
    const json_t *departures)
{
	json_t	      *rows = NULL, *base = NULL, *o, *missing = NULL;
	json_t	      *cert = NULL, *out = NULL, *gone = NULL;
	int64_t	      *ids = NULL, *bids = NULL;
	unsigned char *moved = NULL, *listed = NULL;
	size_t	       i, n = json_array_size(entries);
	int	       rank = 0, k, dnr, ranked = 0, ndnr = 0;

	rows = json_array();
	missing = json_array();
	base = ranklist_composite_entries(r);
	ids = entry_ids(entries);
	bids = entry_ids(base);
	moved = calloc(n + 1, 1);
	listed = calloc((size_t)r->ncands + 1, 1);
	gone =
	    departures != NULL ? json_copy((json_t *)departures) : json_array();
	if (rows == NULL || missing == NULL || base == NULL || ids == NULL ||
	    bids == NULL || moved == NULL || listed == NULL || gone == NULL ||
	    ranklist_moved(bids, json_array_size(base), ids, n, moved) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		const json_t *e = json_array_get(entries, i);
		const json_t *s = snap_at(snap, i, ids[i]);
		const char   *reason =
		    json_string_value(json_object_get(e, "reason"));
		const char *name, *left;

		dnr = json_is_true(json_object_get(e, "do_not_rank"));
		if ((k = ranking_cand_index(r, ids[i])) >= 0)
			listed[k] = 1;
		left = k < 0 ? departed_name(departures, ids[i]) : NULL;
		name = s != NULL ? json_string_value(json_object_get(s, "name"))
		    : k >= 0	 ? r->cands[k].name
		    : left != NULL ? left
				   : "";
		o = json_pack(
		    "{s:o,s:I,s:s,s:o,s:o,s:b,s:s,s:b,s:b,s:b,s:b,s:i,s:b,s:b,"
		    "s:o}",
		    "rank", dnr ? json_null() : json_integer(++rank),
		    "application_id", (json_int_t)ids[i], "name", name,
		    "composite",
		    s != NULL ? json_copy(json_object_get(s, "composite"))
			      : composite_of(r, k),
		    "rank_composite",
		    s != NULL ? json_copy(json_object_get(s, "rank_composite"))
			      : json_integer(k >= 0 ? r->cands[k].rank : 0),
		    "do_not_rank", dnr, "reason", reason != NULL ? reason : "",
		    "moved", k >= 0 && moved[i], "method_sensitive",
		    k >= 0 && r->cands[k].method_sensitive, "crosses_line",
		    k >= 0 && r->cands[k].crosses_line, "invited",
		    k >= 0 && r->cands[k].interviewed, "interview_sheets",
		    k >= 0 ? r->phases[PHASE_INTERVIEW].res.cands[k].n : 0,
		    "departed", k < 0, "isolated",
		    k >= 0 && r->cands[k].isolated, "p_top",
		    k >= 0 && isfinite(r->cands[k].p_top)
			? json_real(round(r->cands[k].p_top * 1000.0) / 1000.0)
			: json_null());
		if (json_array_append_new(rows, o) != 0)
			goto out;
		ranked += !dnr;
		ndnr += dnr;
	}
	for (k = 0; k < r->ncands; k++)
		if (r->cands[k].in_pool && !listed[k] &&
		    json_array_append_new(missing,
			json_pack("{s:I,s:s}", "application_id",
			    (json_int_t)r->cands[k].app, "name",
			    r->cands[k].name)) != 0)
			goto out;
	cert = v != NULL && strcmp(v->kind, "certified") == 0
	    ? json_pack("{s:I,s:s,s:I,s:s,s:o}", "version",
		  (json_int_t)v->version, "by", v->created_by_name, "at",
		  (json_int_t)v->created_at, "sha256", v->sha256,
		  "acknowledged", acknowledged_json(v))
	    : json_null();
	if (cert == NULL)
		goto out;
	out = json_pack("{s:I,s:I,s:s,s:i,s:i,s:i,s:O,s:O,s:O,s:s?,s:b,s:O}",
	    "cycle_id", (json_int_t)r->cycle, "version", (json_int_t)version,
	    "state", state, "positions", r->positions, "ranked", ranked,
	    "do_not_rank", ndnr, "entries", rows, "missing", missing,
	    "certified", cert, "reason",
	    v != NULL && v->reason[0] ? v->reason : NULL, "as_certified",
	    snap != NULL, "departures", gone);
out:
	free(ids);
	free(bids);
	free(moved);
	free(listed);
	json_decref(base);
	json_decref(rows);
	json_decref(missing);
	json_decref(cert);
	json_decref(gone);
	return (out);
}

static int
staff_only(struct ops_actor actor, struct ops_error *e)
{
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director work on the rank "
		    "list."));
	return (OPS_OK);
}

int
ranklist_load_version(struct db *db, const struct ranking *r, int64_t version,
    struct db_ranklist *v, int *have, struct ops_error *e)
{
	int rc;

	memset(v, 0, sizeof(*v));
	rc = version > 0 ? db_ranklist_by_version(db, r->cycle, version, v)
			 : db_ranklist_current(db, r->cycle, v);
	if (rc < 0)
		return (rc);
	if (rc == 0 && version > 0)
		return (ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such version."));
	*have = rc == 1;
	return (OPS_OK);
}

int
ranklist_entries(const struct ranking *r, const struct db_ranklist *v, int have,
    json_t **entries)
{
	*entries = have ? json_loads(v->entries, 0, NULL)
			: ranklist_composite_entries(r);
	if (*entries != NULL)
		return (OPS_OK);
	/* A stored version that does not parse is the database's. */
	return (have ? DB_ERROR : OPS_ENOMEM);
}

/* The view of version (current when 0) against the build r. */
static int
view_of(struct db *db, const struct ranking *r, int64_t version, json_t **out,
    struct ops_error *e)
{
	struct db_ranklist v;
	json_t		  *entries = NULL, *snap = NULL, *gone = NULL;
	int		   rc, have = 0;

	if ((rc = ranklist_load_version(db, r, version, &v, &have, e)) !=
	    OPS_OK)
		return (rc);
	if ((rc = ranklist_entries(r, &v, have, &entries)) != OPS_OK)
		goto out;
	snap = have ? ranklist_snapshot_of(&v) : NULL;
	if ((rc = ranklist_departures(db, r, entries, snap, &gone)) != OPS_OK)
		goto out;
	if ((*out = have
		    ? list_json(r, entries, v.version, v.kind, &v, snap, gone)
		    : list_json(r, entries, 0, "computed", NULL, NULL, gone)) ==
	    NULL)
		rc = OPS_ENOMEM;
out:
	json_decref(entries);
	json_decref(snap);
	json_decref(gone);
	db_ranklist_clear(&v);
	return (rc);
}

/* Builds the ranking once and gives the view of version. */
static int
view(struct db *db, int64_t cycle, int64_t version, json_t **out,
    struct ops_error *e)
{
	struct ranking *r;
	int		rc;

	if ((rc = ranking_build(db, cycle, &r, e)) != OPS_OK)
		return (rc);
	rc = view_of(db, r, version, out, e);
	ranking_free(r);
	return (rc);
}

int
ops_ranklist_view(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t version, json_t **out, struct ops_error *e)
{
	int rc;

	if ((rc = staff_only(actor, e)) != OPS_OK)
		return (rc);
	return (view(db, cycle, version, out, e));
}

/*
 * Checks entries against the pool of r and against base (the list before
 * the edit): each candidate of the pool once, a reason for each entry
 * moved by hand and each "do not rank". Builds the stored form in *clean
 * and the moves for the audit in *log (new references). OPS_OK,
 * OPS_INVALID or OPS_ENOMEM.
 */
static int
check_entries(const struct ranking *r, const json_t *entries,
    const json_t *base, json_t **clean, json_t **log, struct ops_error *e)
{
	int64_t	      *ids = NULL, *bids = NULL;
	unsigned char *moved = NULL, *seen = NULL;
	size_t	       i, j, n, nb = json_array_size(base);
	char	       msg[400];
	int	       k, rc = OPS_OK, pool = 0;

	*clean = *log = NULL;
	if (!json_is_array(entries) || (n = json_array_size(entries)) == 0)
		return (ops_refuse(e, OPS_INVALID, "entries",
		    "Send the list's entries in rank order."));
	for (k = 0; k < r->ncands; k++)
		pool += r->cands[k].in_pool;
	if ((seen = calloc((size_t)r->ncands + 1, 1)) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < n; i++) {
		const json_t *it = json_array_get(entries, i);
		json_int_t    id = 0;
		int	      dnr = 0;
		const char   *reason = "", *why;

		if (json_unpack((json_t *)it, "{s:I,s?b,s?s!}",
			"application_id", &id, "do_not_rank", &dnr, "reason",
			&reason) != 0) {
			(void)snprintf(msg, sizeof(msg),
			    "Entry %zu must be {application_id, do_not_rank?, "
			    "reason?}.",
			    i + 1);
			rc = ops_refuse(e, OPS_INVALID, "entries", msg);
			goto out;
		}
		if ((k = ranking_cand_index(r, id)) < 0 ||
		    !r->cands[k].in_pool) {
			(void)snprintf(msg, sizeof(msg),
			    "Entry %zu: application %lld is not a candidate of "
			    "this rank list.",
			    i + 1, (long long)id);
			rc = ops_refuse(e, OPS_INVALID, "entries", msg);
			goto out;
		}
		if (seen[k]) {
			(void)snprintf(msg, sizeof(msg),
			    "%s is on the list twice.", r->cands[k].name);
			rc = ops_refuse(e, OPS_INVALID, "entries", msg);
			goto out;
		}
		seen[k] = 1;
		if (reason[0] != '\0' &&
		    text_plain(reason, 1, OPS_RANK_REASON_MAX, &why) != 0) {
			(void)snprintf(msg, sizeof(msg),
			    "The reason for %s: %s", r->cands[k].name, why);
			rc = ops_refuse(e, OPS_INVALID, "entries", msg);
			goto out;
		}
		if (dnr && reason[0] == '\0') {
			(void)snprintf(msg, sizeof(msg),
			    "Give a reason for not ranking %s.",
			    r->cands[k].name);
			rc = ops_refuse(e, OPS_INVALID, "entries", msg);
			goto out;
		}
	}
	if ((int)n != pool) {
		(void)snprintf(msg, sizeof(msg),
		    "The list must hold each of its %d candidates once; %zu "
		    "were sent.",
		    pool, n);
		rc = ops_refuse(e, OPS_INVALID, "entries", msg);
		goto out;
	}
	ids = entry_ids(entries);
	bids = entry_ids(base);
	moved = calloc(n + 1, 1);
	*clean = json_array();
	*log = json_array();
	if (ids == NULL || bids == NULL || moved == NULL || *clean == NULL ||
	    *log == NULL || ranklist_moved(bids, nb, ids, n, moved) < 0) {
		rc = OPS_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const json_t *it = json_array_get(entries, i);
		const char   *reason =
		    json_string_value(json_object_get(it, "reason"));
		int dnr = json_is_true(json_object_get(it, "do_not_rank"));

		if (reason == NULL)
			reason = "";
		if (moved[i] && reason[0] == '\0') {
			k = ranking_cand_index(r, ids[i]);
			(void)snprintf(msg, sizeof(msg),
			    "Give a reason for moving %s.", r->cands[k].name);
			rc = ops_refuse(e, OPS_INVALID, "entries", msg);
			goto out;
		}
		if (json_array_append_new(*clean,
			json_pack("{s:I,s:b,s:s}", "application_id",
			    (json_int_t)ids[i], "do_not_rank", dnr, "reason",
			    reason)) != 0) {
			rc = OPS_ENOMEM;
			goto out;
		}
		if (!moved[i] && !dnr)
			continue;
		for (j = 0; j < nb && bids[j] != ids[i]; j++)
			;
		if (json_array_append_new(*log,
			json_pack("{s:I,s:I,s:I,s:b,s:s}", "application_id",
			    (json_int_t)ids[i], "from", (json_int_t)j + 1, "to",
			    (json_int_t)i + 1, "do_not_rank", dnr, "reason",
			    reason)) != 0) {
			rc = OPS_ENOMEM;
			goto out;
		}
	}
out:
	free(ids);
	free(bids);
	free(moved);
	free(seen);
	if (rc != OPS_OK) {
		json_decref(*clean);
		json_decref(*log);
		*clean = *log = NULL;
	}
	return (rc);
}

/* Appends a version to the list; copies entries' text. sha (when not
 * NULL) receives the SHA-256 of a certified version; acknowledged (a
 * certified version's record of warnings, or NULL) and snap (its
 * snapshot of the entries, or NULL) are kept with it. */
static int
append(struct db *db, int64_t cycle, int64_t version, const char *kind,
    const json_t *entries, const char *reason, const json_t *acknowledged,
    const json_t *snap, int64_t by, int64_t now, char sha[65])
{
	struct db_ranklist v = { 0 };
	char		  *canon;
	int		   rc;

	v.cycle_id = cycle;
	v.version = version;
	(void)snprintf(v.kind, sizeof(v.kind), "%s", kind);
	if ((v.entries = json_dumps(entries, JSON_COMPACT)) == NULL)
		return (OPS_ENOMEM);
	if (acknowledged != NULL &&
	    (v.acknowledged = json_dumps(acknowledged, JSON_COMPACT)) == NULL) {
		free(v.entries);
		return (OPS_ENOMEM);
	}
	if (snap != NULL &&
	    (v.snapshot = json_dumps(snap, JSON_COMPACT)) == NULL) {
		db_ranklist_clear(&v);
		return (OPS_ENOMEM);
	}
	if (strcmp(kind, "certified") == 0) {
		if ((canon = ranklist_canonical(cycle, version, entries)) ==
		    NULL) {
			db_ranklist_clear(&v);
			return (OPS_ENOMEM);
		}
		ranklist_sha256(canon, v.sha256);
		free(canon);
		if (sha != NULL)
			(void)snprintf(sha, 65, "%s", v.sha256);
	}
	(void)snprintf(v.reason, sizeof(v.reason), "%s", reason ? reason : "");
	v.created_by = by;
	v.created_at = now;
	rc = db_ranklist_insert(db, &v);
	db_ranklist_clear(&v);
	return (rc);
}

/*
 * OPS_CONFLICT when the caller names the version it saw (expected >= 0;
 * 0 for none yet) and the list has moved on to another: concurrent work is
 * refused, never merged. what: what to do then.
 */
static int
stale(int64_t expected, int64_t current, const char *what, struct ops_error *e)
{
	char msg[200];

	if (expected < 0 || expected == current)
		return (OPS_OK);
	(void)snprintf(msg, sizeof(msg),
	    "The rank list was changed elsewhere since you opened it (it is "
	    "now version %lld); %s.",
	    (long long)current, what);
	return (ops_refuse(e, OPS_CONFLICT, NULL, msg));
}

/* Inside a transaction: OPS_CONFLICT (and *changed 1) when the database
 * no longer holds what r was built from. */
static int
still_built(
    struct db *db, const struct ranking *r, int *changed, struct ops_error *e)
{
	int rc, same = 0;

	if ((rc = ranking_check(db, r, &same)) != OPS_OK)
		return (rc);
	if (same)
		return (OPS_OK);
	*changed = 1;
	return (ops_refuse(e, OPS_CONFLICT, NULL,
	    "The candidates or their sheets changed while the list was being "
	    "saved; nothing was saved. Try again."));
}

int
ranklist_save_built(struct db *db, struct ops_actor actor,
    const struct ranking *r, const json_t *entries, int64_t base_version,
    int64_t now, json_t **out, int *changed, struct ops_error *e)
{
	struct db_ranklist v = { 0 }, saved = { 0 };
	json_t		  *base = NULL, *clean = NULL, *log = NULL, *detail;
	int64_t		   version = 0;
	int		   rc, have = 0;

	*changed = 0;
	*out = NULL;
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = still_built(db, r, changed, e)) != OPS_OK ||
	    (rc = ranklist_load_version(db, r, 0, &v, &have, e)) != OPS_OK)
		goto out;
	if (have && strcmp(v.kind, "certified") == 0) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "The rank list is certified; the director must reopen it "
		    "before it changes.");
		goto out;
	}
	if ((rc = stale(base_version, have ? v.version : 0,
		 "reload it and make your changes again", e)) != OPS_OK)
		goto out;
	if ((rc = ranklist_entries(r, &v, have, &base)) != OPS_OK)
		goto out;
	if ((rc = check_entries(r, entries, base, &clean, &log, e)) != OPS_OK)
		goto out;
	version = have ? v.version + 1 : 1;
	if ((rc = append(db, r->cycle, version, "draft", clean, NULL, NULL,
		 NULL, actor.id, now, NULL)) != 0)
		goto out;
	if ((detail = json_pack("{s:I,s:O}", "version", (json_int_t)version,
		 "moves", log)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = ops_audit(db, actor.id, "ranklist.save", "cycle", r->cycle,
		 detail)) != 0)
		goto out;
	rc = ranklist_load_version(db, r, version, &saved, &have, e);
out:
	if ((rc = ops_finish(db, rc)) == OPS_OK &&
	    (*out = list_json(
		 r, clean, version, saved.kind, &saved, NULL, NULL)) == NULL)
		rc = OPS_ENOMEM;
	json_decref(base);
	json_decref(clean);
	json_decref(log);
	db_ranklist_clear(&v);
	db_ranklist_clear(&saved);
	return (rc);
}

int
ranking_write_built(struct db *db, int64_t cycle, ranking_attempt attempt,
    void *arg, struct ops_error *e)
{
	struct ranking *r;
	int		rc = OPS_OK, tries, changed;

	/* Built outside the transaction; a change meanwhile builds again. */
	for (tries = 0; tries < RANKLIST_BUILDS; tries++) {
		if ((rc = ranking_build(db, cycle, &r, e)) != OPS_OK)
			return (rc);
		changed = 0;
		rc = attempt(db, r, arg, &changed, e);
		ranking_free(r);
		if (!changed)
			break;
	}
	return (rc);
}

/* What a save or a certification attempts with, on each build. */
struct list_write {
	struct ops_actor actor;
	const json_t	*entries; /* save */
	int64_t		 base;	  /* save: base version; certify: expected */
	const json_t	*acknowledged; /* certify */
	int64_t		 now;
	json_t	       **out;
};

static int
save_attempt(struct db *db, const struct ranking *r, void *arg, int *changed,
    struct ops_error *e)
{
	struct list_write *w = arg;

	return (ranklist_save_built(
	    db, w->actor, r, w->entries, w->base, w->now, w->out, changed, e));
}

static int
certify_attempt(struct db *db, const struct ranking *r, void *arg, int *changed,
    struct ops_error *e)
{
	struct list_write *w = arg;

	return (ranklist_certify_built(db, w->actor, r, w->base,
	    w->acknowledged, w->now, w->out, changed, e));
}

int
ops_ranklist_save(struct db *db, struct ops_actor actor, int64_t cycle,
    const json_t *entries, int64_t base_version, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct list_write w = { actor, entries, base_version, NULL, now, out };
	int		  rc;

	if ((rc = staff_only(actor, e)) != OPS_OK)
		return (rc);
	return (ranking_write_built(db, cycle, save_attempt, &w, e));
}

/*
 * The refusal for what blocks certification: the first blocking item's
 * sentence (their order is core/readiness.h's), and how many more there
 * are. OPS_CONFLICT.
 */
static int
refuse_blocked(const json_t *blocking, struct ops_error *e)
{
	char   msg[256];
	size_t n = json_array_size(blocking);

	(void)snprintf(msg, sizeof(msg), "%s%s",
	    json_string_value(
		json_object_get(json_array_get(blocking, 0), "message")),
	    n > 1 ? " Other items block it too; see what is not ready." : "");
	return (ops_refuse_copy(e, OPS_CONFLICT, NULL, msg));
}

/*
 * Checks acknowledged (the request's list of warning codes or {code,
 * count}, or NULL) against the warnings present: OPS_OK; OPS_INVALID on
 * the field "acknowledged" naming what is wrong or which warnings are not
 * acknowledged; OPS_CONFLICT when a warning acknowledged with its count
 * concerns another number of candidates or sheets now (it changed since
 * the director was shown it).
 */
static int
check_acknowledged(const struct ranklist_ready *ready,
    const json_t *acknowledged, struct ops_error *e)
{
	int    missing[READY_WARN__MAX], seen[READY_WARN__MAX], w, n = 0;
	long   bad;
	char   msg[400];
	size_t at;

	if (ready_acknowledged(ready->present, ready->count, acknowledged,
		missing, seen, &bad) != 0) {
		if (bad < 0)
			return (ops_refuse(e, OPS_INVALID, "acknowledged",
			    "Acknowledge the warnings with a list of at most "
			    "32 warning codes."));
		(void)snprintf(msg, sizeof(msg),
		    "Acknowledgement %ld is not a warning's code or its code "
		    "and count.",
		    bad + 1);
		return (ops_refuse_copy(e, OPS_INVALID, "acknowledged", msg));
	}
	at = (size_t)snprintf(msg, sizeof(msg),
	    "The warnings changed since you were shown them:");
	for (w = 0; w < READY_WARN__MAX; w++) {
		if (seen[w] < 0)
			continue;
		if (at < sizeof(msg))
			at += (size_t)snprintf(msg + at, sizeof(msg) - at,
			    "%s %s: %d now, %d when you looked", n ? ";" : "",
			    ready_warn_titles[w], ready->count[w], seen[w]);
		n++;
	}
	if (n > 0) {
		if (at < sizeof(msg))
			(void)snprintf(msg + at, sizeof(msg) - at,
			    ". Review them and acknowledge them again.");
		return (ops_refuse_copy(e, OPS_CONFLICT, "acknowledged", msg));
	}
	at = (size_t)snprintf(msg, sizeof(msg),
	    "Acknowledge every warning before certifying; not "
	    "acknowledged:");
	for (w = 0; w < READY_WARN__MAX; w++) {
		if (!missing[w])
			continue;
		if (at < sizeof(msg))
			at += (size_t)snprintf(msg + at, sizeof(msg) - at,
			    "%s %s (%s)", n ? ";" : "", ready_warn_titles[w],
			    ready_warn_codes[w]);
		n++;
	}
	if (n == 0)
		return (OPS_OK);
	if (at < sizeof(msg))
		(void)snprintf(msg + at, sizeof(msg) - at, ".");
	return (ops_refuse_copy(e, OPS_INVALID, "acknowledged", msg));
}

int
ranklist_certify_built(struct db *db, struct ops_actor actor,
    const struct ranking *r, int64_t expected, const json_t *acknowledged,
    int64_t now, json_t **out, int *changed, struct ops_error *e)
{
	struct db_ranklist    v = { 0 }, saved = { 0 };
	struct db_cycle	      c;
	struct ranklist_ready ready = { 0 };
	enum cycle_state      state = CYCLE_SETUP;
	json_t		     *entries = NULL, *record = NULL, *codes = NULL;
	json_t		     *detail, *w, *snap = NULL;
	char		      sha[65];
	size_t		      i;
	int		      rc, have = 0;
	int64_t		      version = 0;

	*changed = 0;
	*out = NULL;
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = review_cycle(db, r->cycle, &c, &state, e)) != OPS_OK ||
	    (rc = still_built(db, r, changed, e)) != OPS_OK ||
	    (rc = ranklist_load_version(db, r, 0, &v, &have, e)) != OPS_OK)
		goto out;
	if ((rc = ranklist_entries(r, &v, have, &entries)) != OPS_OK)
		goto out;
	/* The gate, on what this transaction sees: nothing may block, and
	 * each warning present must be acknowledged. */
	if ((rc = ranklist_readiness(db, r, entries, have ? &v : NULL, state,
		 expected, &ready)) != OPS_OK)
		goto out;
	if (json_array_size(ready.blocking) > 0) {
		rc = refuse_blocked(ready.blocking, e);
		goto out;
	}
	if ((rc = check_acknowledged(&ready, acknowledged, e)) != OPS_OK)
		goto out;
	if ((record = ranklist_ready_record(&ready)) == NULL ||
	    (codes = json_array()) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	json_array_foreach(ready.warnings, i, w)
	{
		if (json_array_append(codes, json_object_get(w, "code")) != 0) {
			rc = OPS_ENOMEM;
			goto out;
		}
	}
	version = have ? v.version + 1 : 1;
	/* What the list says of its candidates now, kept with it. */
	if ((snap = ranklist_snapshot_build(r, entries)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = append(db, r->cycle, version, "certified", entries, NULL,
		 record, snap, actor.id, now, sha)) != 0)
		goto out;
	(void)snprintf(c.state, sizeof(c.state), "%s", "certified");
	if ((rc = db_cycle_update(db, &c)) != 0)
		goto out;
	if ((detail = json_pack("{s:I,s:s,s:s,s:O}", "version",
		 (json_int_t)version, "sha256", sha, "cycle_state_was",
		 cycle_state_name(state), "acknowledged", codes)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = ops_audit(db, actor.id, "ranklist.certify", "cycle", r->cycle,
		 detail)) != 0)
		goto out;
	rc = ranklist_load_version(db, r, version, &saved, &have, e);
out:
	if ((rc = ops_finish(db, rc)) == OPS_OK &&
	    (*out = list_json(
		 r, entries, version, saved.kind, &saved, snap, NULL)) == NULL)
		rc = OPS_ENOMEM;
	ranklist_ready_clear(&ready);
	json_decref(snap);
	json_decref(entries);
	json_decref(record);
	json_decref(codes);
	db_ranklist_clear(&v);
	db_ranklist_clear(&saved);
	return (rc);
}

int
ops_ranklist_certify(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t expected, const json_t *acknowledged, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct list_write w = { actor, NULL, expected, acknowledged, now, out };

	if (actor.role != ROLE_DIRECTOR)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director certifies the rank list."));
	return (ranking_write_built(db, cycle, certify_attempt, &w, e));
}

int
ops_ranklist_reopen(struct db *db, struct ops_actor actor, int64_t cycle,
    const char *reason, int64_t now, json_t **out, struct ops_error *e)
{
	struct db_ranklist v = { 0 };
	struct db_cycle	   c;
	enum cycle_state   state = CYCLE_SETUP;
	json_t		  *entries = NULL, *detail;
	const char	  *why;
	int		   rc;

	if (actor.role != ROLE_DIRECTOR)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director reopens a certified rank list."));
	if (reason == NULL ||
	    text_plain(reason, 1, OPS_RANK_REASON_MAX, &why) != 0)
		return (ops_refuse(e, OPS_INVALID, "reason",
		    reason == NULL ? "Give the reason for reopening." : why));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = review_cycle(db, cycle, &c, &state, e)) != OPS_OK)
		goto out;
	if ((rc = db_ranklist_current(db, cycle, &v)) < 0)
		goto out;
	if (rc == 0 || strcmp(v.kind, "certified") != 0) {
		rc = ops_refuse(
		    e, OPS_CONFLICT, NULL, "The rank list is not certified.");
		goto out;
	}
	if ((entries = json_loads(v.entries, 0, NULL)) == NULL) {
		rc = DB_ERROR; /* stored text that does not parse */
		goto out;
	}
	if ((rc = append(db, cycle, v.version + 1, "reopened", entries, reason,
		 NULL, NULL, actor.id, now, NULL)) != 0)
		goto out;
	(void)snprintf(c.state, sizeof(c.state), "%s", "ranking");
	if ((rc = db_cycle_update(db, &c)) != 0)
		goto out;
	if ((detail = json_pack("{s:I,s:s,s:s}", "version",
		 (json_int_t)v.version + 1, "reason", reason,
		 "certified_sha256", v.sha256)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	rc = ops_audit(db, actor.id, "ranklist.reopen", "cycle", cycle, detail);
out:
	json_decref(entries);
	db_ranklist_clear(&v);
	if ((rc = ops_finish(db, rc)) != OPS_OK)
		return (rc);
	/* The view needs the ranking: built once, after the commit. */
	return (view(db, cycle, 0, out, e));
}

static int
add_version(void *arg, const struct db_ranklist *v)
{
	json_t *entries = json_loads(v->entries, 0, NULL);
	size_t	i;
	int	ranked = 0, dnr = 0;

	for (i = 0; i < json_array_size(entries); i++) {
		if (json_is_true(json_object_get(
			json_array_get(entries, i), "do_not_rank")))
			dnr++;
		else
			ranked++;
	}
	json_decref(entries);
	return (
	    json_array_append_new(arg,
		json_pack("{s:I,s:s,s:s?,s:s?,s:s,s:I,s:i,s:i,s:o}", "version",
		    (json_int_t)v->version, "kind", v->kind, "sha256",
		    v->sha256[0] ? v->sha256 : NULL, "reason",
		    v->reason[0] ? v->reason : NULL, "created_by_name",
		    v->created_by_name, "created_at", (json_int_t)v->created_at,
		    "ranked", ranked, "do_not_rank", dnr, "acknowledged",
		    acknowledged_json(v))) == 0
		? 0
		: OPS_ENOMEM);
}

int
ops_ranklist_versions(struct db *db, struct ops_actor actor, int64_t cycle,
    json_t **out, struct ops_error *e)
{
	struct db_cycle	 c;
	enum cycle_state state;
	json_t		*list;
	int		 rc;

	if ((rc = staff_only(actor, e)) != OPS_OK ||
	    (rc = review_cycle(db, cycle, &c, &state, e)) != OPS_OK)
		return (rc);
	if ((list = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_ranklist_list(db, cycle, add_version, list)) != 0) {
		json_decref(list);
		return (rc);
	}
	*out = json_pack("{s:o}", "versions", list);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

/* Rank (0 for do not rank, -1 when absent) and reason of app in list. */
static int
rank_in(const json_t *entries, int64_t app, const char **reason)
{
	size_t i;
	int    rank = 0;

	for (i = 0; i < json_array_size(entries); i++) {
		const json_t *it = json_array_get(entries, i);
		int dnr = json_is_true(json_object_get(it, "do_not_rank"));

		if (!dnr)
			rank++;
		if (json_integer_value(json_object_get(it, "application_id")) ==
		    app) {
			*reason =
			    json_string_value(json_object_get(it, "reason"));
			return (dnr ? 0 : rank);
		}
	}
	*reason = NULL;
	return (-1);
}

int
ops_ranklist_diff(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t from, int64_t to, json_t **out, struct ops_error *e)
{
	struct db_ranklist    a = { 0 }, b = { 0 };
	struct db_application app;
	json_t		     *ea = NULL, *eb = NULL, *changes = NULL, *all;
	const char	     *ra, *rb;
	size_t		      i;
	int		      rc, x, y, pass;

	if ((rc = staff_only(actor, e)) != OPS_OK)
		return (rc);
	if ((rc = db_ranklist_by_version(db, cycle, from, &a)) != 1 ||
	    (rc = db_ranklist_by_version(db, cycle, to, &b)) != 1) {
		db_ranklist_clear(&a);
		return (rc < 0 ? rc
			       : ops_refuse(e, OPS_NOT_FOUND, NULL,
				     "There is no such version."));
	}
	ea = json_loads(a.entries, 0, NULL);
	eb = json_loads(b.entries, 0, NULL);
	changes = json_array();
	rc = ea != NULL && eb != NULL && changes != NULL ? OPS_OK : OPS_ENOMEM;
	/* Every candidate of either version, once: b's order, then those
	 * only in a. */
	for (pass = 0; rc == OPS_OK && pass < 2; pass++) {
		all = pass == 0 ? eb : ea;
		for (i = 0; i < json_array_size(all); i++) {
			int64_t id = json_integer_value(json_object_get(
			    json_array_get(all, i), "application_id"));

			x = rank_in(ea, id, &ra);
			y = rank_in(eb, id, &rb);
			if (pass == 1 && y != -1)
				continue;
			if (x == y && strcmp(ra ? ra : "", rb ? rb : "") == 0)
				continue;
			app.fields = NULL;
			if ((rc = db_application_by_id(db, id, &app)) != 1) {
				/* A version names only applications that
				 * exist: gone means a broken database. */
				rc = rc < 0 ? rc : DB_ERROR;
				break;
			}
			rc = OPS_OK;
			{
				json_t	   *f = json_loads(app.fields, 0, NULL);
				const char *fn = json_string_value(
					       json_object_get(
						   f, "first_name")),
					   *ln = json_string_value(
					       json_object_get(f, "last_name"));
				char name[DB_NAME_MAX];

				(void)snprintf(name, sizeof(name), "%s %s",
				    fn ? fn : "", ln ? ln : "");
				json_decref(f);
				json_array_append_new(changes,
				    json_pack("{s:I,s:s,s:o,s:o,s:b,s:b,s:s?,"
					      "s:s?}",
					"application_id", (json_int_t)id,
					"name", name, "from_rank",
					x > 0 ? json_integer(x) : json_null(),
					"to_rank",
					y > 0 ? json_integer(y) : json_null(),
					"from_do_not_rank", x == 0,
					"to_do_not_rank", y == 0, "from_reason",
					ra, "to_reason", rb));
			}
			db_application_clear(&app);
		}
	}
	if (rc == OPS_OK &&
	    (*out = json_pack("{s:I,s:s,s:I,s:s,s:O}", "from", (json_int_t)from,
		 "from_kind", a.kind, "to", (json_int_t)to, "to_kind", b.kind,
		 "changes", changes)) == NULL)
		rc = OPS_ENOMEM;
	json_decref(ea);
	json_decref(eb);
	json_decref(changes);
	db_ranklist_clear(&a);
	db_ranklist_clear(&b);
	return (rc);
}

/* Appends s to the growing buffer *buf of *len bytes; -1 when out of
 * memory. */
static int
append_text(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	char  *grown;

	if ((grown = realloc(*buf, *len + n + 1)) == NULL)
		return (-1);
	memcpy(grown + *len, s, n + 1);
	*buf = grown;
	*len += n;
	return (0);
}

/*
 * The identifier idk and the name of entry i (application app) of a list
 * for the match: from snap, the certified version's snapshot, when there
 * is one (what was certified), else from the build r. NULL for an
 * identifier not given or a candidate r does not hold.
 */
static const char *
match_cell(const struct ranking *r, const json_t *snap, size_t i, int64_t app,
    enum rank_id idk, const char **name)
{
	const json_t *s = snap_at(snap, i, app), *id;
	int	      k;

	if (s != NULL) {
		*name = json_string_value(json_object_get(s, "name"));
		id = json_object_get(s, rank_id_fields[idk]);
	} else if ((k = ranking_cand_index(r, app)) >= 0) {
		*name = r->cands[k].name;
		id = json_object_get(r->cands[k].fields, rank_id_fields[idk]);
	} else {
		*name = NULL;
		return (NULL);
	}
	return (json_is_string(id) && json_string_length(id) > 0
		? json_string_value(id)
		: NULL);
}

/*
 * Refuses (OPS_CONFLICT) a list that is not a certified one with its
 * snapshot and ranks someone who is no longer a candidate: the match
 * must not receive a withdrawn applicant. OPS_OK when none is.
 */
static int
refuse_departed(const json_t *departures, struct ops_error *e)
{
	const json_t *d;
	char	      msg[900];
	size_t	      i, at = 0;
	int	      n = 0;

	json_array_foreach(departures, i, d)
	{
		if (json_is_true(json_object_get(d, "do_not_rank")))
			continue;
		if (at < sizeof(msg))
			at += (size_t)snprintf(msg + at, sizeof(msg) - at,
			    "%s%s (%s)", n ? ", " : "",
			    json_string_value(json_object_get(d, "name")),
			    strcmp(
				json_string_value(json_object_get(d, "status")),
				"withdrawn") == 0
				? "withdrawn"
				: "application reopened");
		n++;
	}
	if (n == 0)
		return (OPS_OK);
	if (at < sizeof(msg))
		(void)snprintf(msg + at, sizeof(msg) - at,
		    " %s no longer %s; take them off the list and save it "
		    "before exporting.",
		    n == 1 ? "is" : "are",
		    n == 1 ? "a candidate" : "candidates");
	return (ops_refuse_copy(e, OPS_CONFLICT, NULL, msg));
}

int
ops_ranklist_csv(struct db *db, struct ops_actor actor, int64_t cycle,
    enum rank_id idk, char **csv, char *filename, size_t fnlen,
    struct ops_error *e)
{
	struct ranking	  *r = NULL;
	struct db_ranklist v;
	json_t		  *entries = NULL, *snap = NULL, *gone = NULL;
	char		   line[64], *f1 = NULL, *f2 = NULL, lacking[1400];
	const char	  *id, *name;
	size_t		   len = 0, i;
	int		   rc, have = 0, rank = 0, nlack = 0;

	*csv = NULL;
	if ((rc = staff_only(actor, e)) != OPS_OK)
		return (rc);
	memset(&v, 0, sizeof(v));
	if ((rc = ranking_build(db, cycle, &r, e)) != OPS_OK)
		return (rc);
	lacking[0] = '\0';
	if ((rc = ranklist_load_version(db, r, 0, &v, &have, e)) != OPS_OK)
		goto out;
	if ((rc = ranklist_entries(r, &v, have, &entries)) != OPS_OK)
		goto out;
	/* A certified list exports what was certified; any other list, its
	 * candidates as they are, and none that left. */
	if ((snap = have ? ranklist_snapshot_of(&v) : NULL) == NULL &&
	    ((rc = ranklist_departures(db, r, entries, NULL, &gone)) !=
		    OPS_OK ||
		(rc = refuse_departed(gone, e)) != OPS_OK))
		goto out;
	/* Every ranked candidate needs the identifier. */
	for (i = 0; i < json_array_size(entries); i++) {
		const json_t *it = json_array_get(entries, i);

		if (json_is_true(json_object_get(it, "do_not_rank")))
			continue;
		id = match_cell(r, snap, i,
		    json_integer_value(json_object_get(it, "application_id")),
		    idk, &name);
		if (id == NULL) {
			if (nlack++ < 5)
				(void)snprintf(lacking + strlen(lacking),
				    sizeof(lacking) - strlen(lacking), "%s%s",
				    nlack > 1 ? ", " : "",
				    name != NULL ? name : "?");
		}
	}
	if (nlack > 0) {
		char msg[1700];

		(void)snprintf(msg, sizeof(msg),
		    "%d ranked candidate%s lack%s the %s: %s%s. Add it to "
		    "their "
		    "application or choose another identifier.",
		    nlack, nlack == 1 ? "" : "s", nlack == 1 ? "s" : "",
		    rank_id_fields[idk], lacking, nlack > 5 ? ", ..." : "");
		rc = ops_refuse(e, OPS_INVALID, "id", msg);
		goto out;
	}
	(void)snprintf(
	    line, sizeof(line), "rank,%s,name\r\n", rank_id_fields[idk]);
	if (append_text(csv, &len, line) != 0) {
		rc = OPS_ENOMEM;
		goto out;
	}
	for (i = 0; i < json_array_size(entries); i++) {
		const json_t *it = json_array_get(entries, i);

		if (json_is_true(json_object_get(it, "do_not_rank")))
			continue;
		id = match_cell(r, snap, i,
		    json_integer_value(json_object_get(it, "application_id")),
		    idk, &name);
		f1 = csv_field(id);
		f2 = csv_field(name != NULL ? name : "");
		(void)snprintf(line, sizeof(line), "%d,", ++rank);
		if (f1 == NULL || f2 == NULL || append_text(csv, &len, line) ||
		    append_text(csv, &len, f1) || append_text(csv, &len, ",") ||
		    append_text(csv, &len, f2) ||
		    append_text(csv, &len, "\r\n")) {
			rc = OPS_ENOMEM;
			goto out;
		}
		free(f1);
		free(f2);
		f1 = f2 = NULL;
	}
	(void)snprintf(filename, fnlen, "ranklist-cycle%lld-v%lld-%s-%s.csv",
	    (long long)cycle, (long long)(have ? v.version : 0),
	    have ? v.kind : "computed", rank_id_names[idk]);
	if ((rc = db_begin(db)) != 0)
		goto out;
	rc = ops_audit(db, actor.id, "ranklist.export", "cycle", cycle,
	    json_pack("{s:s,s:s,s:I,s:s,s:i,s:b}", "format", "csv",
		"identifier", rank_id_names[idk], "version",
		(json_int_t)(have ? v.version : 0), "state",
		have ? v.kind : "computed", "ranked", rank, "as_certified",
		snap != NULL));
	rc = ops_finish(db, rc);
out:
	free(f1);
	free(f2);
	if (rc != OPS_OK) {
		free(*csv);
		*csv = NULL;
	}
	json_decref(entries);
	json_decref(snap);
	json_decref(gone);
	db_ranklist_clear(&v);
	ranking_free(r);
	return (rc);
}
