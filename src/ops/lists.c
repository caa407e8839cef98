/*
 * The staff's lists with the candidates' standing (ops/lists.h): one
 * build of the ranking for the screening scores and places, the
 * invitations for the interview status, and the applications list for
 * the rest; joined by application id. Nothing here decides a score or a
 * place: they are the ranking's (core/aggregate.c), read as the ranking
 * page shows them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access.h"
#include "core/csv.h"
#include "core/rubric.h"
#include "ops/access.h"
#include "ops/cycles.h"
#include "ops/interviews.h"
#include "ops/lists.h"
#include "ops/ranking_int.h"

static const char *const status_names[OPS_LIST__MAX] = { "", "draft",
	"submitted", "withdrawn" };

int
ops_list_status_parse(const char *name, enum ops_list_status *out)
{
	int i;

	for (i = 1; i < OPS_LIST__MAX; i++) {
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum ops_list_status)i;
			return (0);
		}
	}
	return (-1);
}

static int
staff_only(struct ops_actor actor, struct ops_error *e)
{
	if (!access_view_standing(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director see the "
		    "candidates' scores."));
	return (OPS_OK);
}

/* A score for JSON, to two decimals as the ranking shows it. */
static json_t *
score_json(double v)
{
	return (
	    isfinite(v) ? json_real(round(v * 100.0) / 100.0) : json_null());
}

/* The part of a booked slot the lists show, or null. */
static json_t *
slot_json(const json_t *inv)
{
	const json_t *sl = json_object_get(inv, "slot");

	if (!json_is_object(sl))
		return (json_null());
	return (json_pack("{s:O,s:O,s:O,s:O}", "day",
	    json_object_get(sl, "day"), "starts", json_object_get(sl, "starts"),
	    "ends", json_object_get(sl, "ends"), "location",
	    json_object_get(sl, "location")));
}

/*
 * The standing of every submitted application of cycle, by id, into
 * *list, and the same objects into *byid keyed by the application id in
 * decimal; the cycle's positions and how many were screened into
 * *positions and *screened.
 */
static int
standing(struct db *db, struct ops_actor actor, int64_t cycle, json_t **list,
    json_t **byid, int *positions, int *screened, struct ops_error *e)
{
	struct db_cycle c;
	struct ranking *r = NULL;
	json_t	       *invs = NULL, *inv_of = NULL, *all = NULL, *arr = NULL;
	json_t	       *o;
	const json_t   *invlist, *it;
	char		key[24];
	size_t		i;
	int		rc, k, n = 0;

	*list = *byid = NULL;
	if ((rc = staff_only(actor, e)) != OPS_OK ||
	    (rc = ops_reach_cycle(db, actor, cycle, &c, e)) != OPS_OK)
		return (rc);
	if ((rc = ranking_build(db, cycle, &r, e)) != OPS_OK)
		return (rc);
	if ((rc = ops_interview_invitations(db, actor, cycle, &invs, e)) !=
	    OPS_OK)
		goto out;
	if ((inv_of = json_object()) == NULL || (all = json_object()) == NULL ||
	    (arr = json_array()) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	invlist = json_object_get(invs, "invitations");
	json_array_foreach(invlist, i, it)
	{
		(void)snprintf(key, sizeof(key), "%lld",
		    (long long)json_integer_value(
			json_object_get(it, "application_id")));
		if (json_object_set(inv_of, key, (json_t *)it) != 0) {
			rc = OPS_ENOMEM;
			goto out;
		}
	}
	for (k = 0; k < r->ncands; k++) {
		const struct agg_cand *s =
		    &r->phases[PHASE_SCREENING].res.cands[k];
		const struct agg_cand *iv =
		    &r->phases[PHASE_INTERVIEW].res.cands[k];
		const json_t *inv;
		json_t	     *scr;

		(void)snprintf(
		    key, sizeof(key), "%lld", (long long)r->cands[k].app);
		inv = json_object_get(inv_of, key);
		if (s->n > 0) {
			n++;
			scr = json_pack("{s:o,s:o,s:i,s:i}", "score",
			    score_json(s->adjusted), "mean",
			    score_json(s->mean), "raters", s->n, "rank",
			    s->rank_adjusted);
		} else
			scr = json_null();
		o = json_pack("{s:I,s:o,s:{s:s,s:i,s:o}}", "application_id",
		    (json_int_t)r->cands[k].app, "screening", scr, "interview",
		    "status",
		    inv != NULL
			? json_string_value(json_object_get(inv, "status"))
			: "not_invited",
		    "sheets", iv->n, "slot",
		    inv != NULL ? slot_json(inv) : json_null());
		if (o == NULL || json_object_set_new(all, key, o) != 0 ||
		    json_array_append(arr, o) != 0) {
			rc = OPS_ENOMEM;
			goto out;
		}
	}
	*positions = r->positions;
	*screened = n;
	*byid = all;
	*list = arr;
	all = arr = NULL;
out:
	json_decref(arr);
	json_decref(all);
	json_decref(inv_of);
	json_decref(invs);
	ranking_free(r);
	return (rc);
}

int
ops_application_scores(struct db *db, struct ops_actor actor, int64_t cycle,
    json_t **out, struct ops_error *e)
{
	json_t *byid = NULL, *cands = NULL;
	int	rc, positions = 0, screened = 0;

	*out = NULL;
	if ((rc = standing(db, actor, cycle, &cands, &byid, &positions,
		 &screened, e)) != OPS_OK)
		return (rc);
	json_decref(byid);
	*out = json_pack("{s:I,s:i,s:i,s:o}", "cycle_id", (json_int_t)cycle,
	    "positions", positions, "screened", screened, "candidates", cands);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

/* Every application of cycle with status (NULL: any) into *rows, a new
 * array of the list's rows (ops_applications_list), by id. */
static int
list_all(struct db *db, struct ops_actor actor, int64_t cycle,
    const char *status, json_t **rows, struct ops_error *e)
{
	struct ops_app_query q = { status, NULL, 0, OPS_APP_LIST_MAX };
	json_t		    *page = NULL, *all;
	const json_t	    *next;
	int		     rc;

	if ((all = json_array()) == NULL)
		return (OPS_ENOMEM);
	for (;;) {
		if ((rc = ops_applications_list(
			 db, actor, cycle, &q, &page, e)) != OPS_OK)
			break;
		if (json_array_extend(
			all, json_object_get(page, "applications")) != 0) {
			rc = OPS_ENOMEM;
			break;
		}
		next = json_object_get(page, "next_after");
		if (!json_is_integer(next)) {
			json_decref(page);
			*rows = all;
			return (OPS_OK);
		}
		q.after = json_integer_value(next);
		json_decref(page);
		page = NULL;
	}
	json_decref(page);
	json_decref(all);
	return (rc);
}

/* A row of the export with what orders it. */
struct csv_row {
	const json_t *app, *st;
	int	      rank; /* 0: not screened */
	int64_t	      id;
};

/* By screening rank, the unscreened last; then by id. */
static int
row_cmp(const void *a, const void *b)
{
	const struct csv_row *x = a, *y = b;

	if ((x->rank == 0) != (y->rank == 0))
		return (x->rank == 0 ? 1 : -1);
	if (x->rank != y->rank)
		return (x->rank < y->rank ? -1 : 1);
	return ((x->id > y->id) - (x->id < y->id));
}

/* A text cell of o's key, empty when absent or null. */
static int
text_cell(struct csv *c, const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return (csv_text(c, s != NULL ? s : ""));
}

/* A number cell: an integer, a score to one decimal, or empty. */
static int
number_cell(struct csv *c, const json_t *v)
{
	char buf[32];

	if (json_is_integer(v))
		(void)snprintf(
		    buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v) && isfinite(json_real_value(v)))
		(void)snprintf(buf, sizeof(buf), "%.1f", json_real_value(v));
	else
		buf[0] = '\0';
	return (csv_raw(c, buf));
}

static const char *const csv_header[] = { "application_id", "last_name",
	"first_name", "medical_school", "residency_program", "status",
	"missing_items", "letters_received", "letters_requested",
	"screening_score", "screening_rank", "screening_raters",
	"interview_status", "interview_day", "interview_time",
	"interview_sheets" };

/* One row of the export: the application a and its standing st (NULL
 * for one never submitted). */
static int
csv_line(struct csv *c, const json_t *a, const json_t *st)
{
	const json_t *scr = json_object_get(st, "screening");
	const json_t *iv = json_object_get(st, "interview");
	const json_t *sl = json_object_get(iv, "slot");
	const char   *is = json_string_value(json_object_get(iv, "status"));
	char	      when[32];

	when[0] = '\0';
	if (json_is_object(sl))
		(void)snprintf(when, sizeof(when), "%s-%s",
		    json_string_value(json_object_get(sl, "starts")),
		    json_string_value(json_object_get(sl, "ends")));
	number_cell(c, json_object_get(a, "id"));
	text_cell(c, a, "last_name");
	text_cell(c, a, "first_name");
	text_cell(c, a, "medical_school");
	text_cell(c, a, "residency_program");
	csv_raw(c, json_string_value(json_object_get(a, "status")));
	number_cell(c, json_object_get(a, "missing_count"));
	number_cell(c, json_object_get(a, "letters_received"));
	number_cell(c, json_object_get(a, "letters_requested"));
	number_cell(c, json_object_get(scr, "score"));
	number_cell(c, json_object_get(scr, "rank"));
	number_cell(c, json_object_get(scr, "raters"));
	csv_raw(c, is != NULL ? is : "");
	text_cell(c, sl, "day");
	csv_text(c, when);
	number_cell(c, json_object_get(iv, "sheets"));
	return (csv_row_end(c));
}

int
ops_applications_csv(struct db *db, struct ops_actor actor, int64_t cycle,
    enum ops_list_status status, char **csv, char *filename, size_t fnlen,
    struct ops_error *e)
{
	struct csv	c = { 0 };
	struct csv_row *rows = NULL;
	json_t	       *list = NULL, *byid = NULL, *apps = NULL;
	const json_t   *a;
	char		key[24];
	size_t		i, n = 0;
	int		rc, positions, screened;

	*csv = NULL;
	if ((int)status < 0 || status >= OPS_LIST__MAX)
		return (ops_refuse(e, OPS_INVALID, "status",
		    "The status is draft, submitted or withdrawn."));
	if ((rc = standing(db, actor, cycle, &list, &byid, &positions,
		 &screened, e)) != OPS_OK)
		return (rc);
	if ((rc = list_all(db, actor, cycle,
		 status == OPS_LIST_ANY ? NULL : status_names[status], &apps,
		 e)) != OPS_OK)
		goto out;
	if ((rows = calloc(json_array_size(apps) + 1, sizeof(*rows))) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	json_array_foreach(apps, i, a)
	{
		const json_t *st, *rank;

		rows[n].app = a;
		rows[n].id = json_integer_value(json_object_get(a, "id"));
		(void)snprintf(key, sizeof(key), "%lld", (long long)rows[n].id);
		/* A draft or withdrawn application has no standing, even
		 * if it once had sheets: the ranking counts the submitted. */
		st = json_object_get(byid, key);
		rows[n].st = st;
		rank =
		    json_object_get(json_object_get(st, "screening"), "rank");
		rows[n].rank = (int)json_integer_value(rank);
		n++;
	}
	qsort(rows, n, sizeof(*rows), row_cmp);
	for (i = 0; i < sizeof(csv_header) / sizeof(csv_header[0]); i++)
		csv_raw(&c, csv_header[i]);
	csv_row_end(&c);
	for (i = 0; i < n; i++)
		csv_line(&c, rows[i].app, rows[i].st);
	if ((*csv = csv_take(&c, NULL)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	(void)snprintf(filename, fnlen, "applications-cycle%lld%s%s.csv",
	    (long long)cycle, status == OPS_LIST_ANY ? "" : "-",
	    status_names[status]);
	if ((rc = db_begin(db)) != 0)
		goto out;
	rc = ops_audit(db, actor.id, "applications.export", "cycle", cycle,
	    json_pack("{s:s,s:s,s:I}", "format", "csv", "status",
		status == OPS_LIST_ANY ? "any" : status_names[status], "rows",
		(json_int_t)n));
	rc = ops_finish(db, rc);
out:
	if (rc != OPS_OK) {
		free(*csv);
		*csv = NULL;
	}
	csv_clear(&c);
	free(rows);
	json_decref(apps);
	json_decref(byid);
	json_decref(list);
	return (rc);
}
