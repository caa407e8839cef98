/*
 * Importing a cycle's archive (ops/import.h). The work is in two passes:
 * the whole document is checked first, without the database, into the
 * tables of struct import (every refusal names the member at fault);
 * then everything is written through the storage layer inside one
 * transaction, as the demo data is, so that an import either happens
 * whole or leaves nothing behind.
 *
 * The new cycle must give the same ranking and rank list as the archive.
 * The aggregation breaks ties by application id and meets raters in the
 * order of their ids, so candidates and raters are created in the order
 * of their ids in the archive; the application ids change but keep
 * their order.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/cycle.h"
#include "core/dates.h"
#include "core/limits.h"
#include "core/ranklist.h"
#include "core/readiness.h"
#include "core/rubric.h"
#include "core/text.h"
#include "ops/common.h"
#include "ops/import.h"

#define IMPORT_FORMAT  "fellowship-cycle-export"
#define IMPORT_VERSION 1

/* An archive past a limit of core/limits.h (the ranking's own) could
 * not be ranked the same here, so it is refused naming the limit. */
#define IMPORT_REASON_MAX 2000 /* ranklist_versions.reason */

struct imp_cand {
	int64_t	      old;
	int64_t	      app;
	int64_t	      user;
	const char   *name;
	int	      interviewed;
	const json_t *fields;
};

struct imp_rater {
	int64_t	    old;
	int64_t	    user;
	const char *name;
};

struct imp_rubric {
	enum phase    phase;
	int64_t	      version;
	int64_t	      created_at;
	const json_t *criteria;
	int64_t	      id;
};

struct imp_sheet {
	enum phase    phase;
	size_t	      cand, rater, rubric; /* indexes into the tables */
	const json_t *values;
	const char   *comment;
	int64_t	      submitted_at, updated_at;
	int	      excluded; /* left out of the archive's ranking */
};

struct imp_author {
	const char *name;
	int	    director; /* certified or reopened a version */
	int64_t	    user;
};

struct imp_version {
	int64_t	      version;
	const char   *kind;
	const json_t *entries;
	const char   *sha256; /* the archive's, certified only */
	const char   *reason; /* or NULL */
	int	      author; /* index into authors, -1 for none */
	int64_t	      created_at;
	/* A certified version's warnings acknowledged, or NULL. */
	const json_t *acknowledged;
	/* A certified version's snapshot of its entries, or NULL. */
	const json_t *snapshot;
};

struct import {
	json_t		   *doc;
	int64_t		    from_cycle;
	struct db_cycle	    c;
	struct db_phase	    ph[PHASE__MAX];
	int		    have_ph[PHASE__MAX];
	struct imp_rubric  *rubrics; /* LIMIT_RUBRIC_VERSIONS of them */
	size_t		    nrubrics;
	struct imp_cand	   *cands; /* by old application id */
	size_t		    ncands;
	struct imp_rater   *raters; /* LIMIT_RATERS */
	size_t		    nraters;
	struct imp_sheet   *sheets;
	size_t		    nsheets;
	struct imp_author  *authors; /* LIMIT_LIST_AUTHORS */
	size_t		    nauthors;
	struct imp_version *versions; /* by version */
	size_t		    nversions;
	int64_t		    archive_user; /* "Archive import", 0 until made */
};

/* Refuses the import with a formatted sentence. */
static int bad(struct ops_error *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static int
bad(struct ops_error *e, const char *fmt, ...)
{
	va_list ap;

	if (e != NULL) {
		e->field = NULL;
		va_start(ap, fmt);
		/* ap is initialised on the line above; the analyzer loses
		 * track of it through the fortified vsnprintf. */
		/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
		(void)vsnprintf(e->message, sizeof(e->message), fmt, ap);
		va_end(ap);
	}
	return (OPS_INVALID);
}

/* Refuses the import past limit l, naming it; what: the member. */
static int
over(struct ops_error *e, enum limit l, const char *what)
{
	char msg[200];

	return (bad(e, "%s", limit_message(l, what, msg, sizeof(msg))));
}

static int
cmp_cand(const void *a, const void *b)
{
	const struct imp_cand *x = a, *y = b;

	return (x->old < y->old ? -1 : x->old > y->old);
}

/* Indexes of raters (arg) by the raters' ids. */
static int
cmp_rater(const void *a, const void *b, void *arg)
{
	const struct imp_rater *r = arg;
	int64_t			x = r[*(const size_t *)a].old;
	int64_t			y = r[*(const size_t *)b].old;

	return (x < y ? -1 : x > y);
}

static int
cmp_version(const void *a, const void *b)
{
	const struct imp_version *x = a, *y = b;

	return (x->version < y->version ? -1 : x->version > y->version);
}

/* Sheets by candidate, rater, phase: duplicates and pairs are
 * neighbours. */
static int
cmp_sheet(const void *a, const void *b)
{
	const struct imp_sheet *x = a, *y = b;

	if (x->cand != y->cand)
		return (x->cand < y->cand ? -1 : 1);
	if (x->rater != y->rater)
		return (x->rater < y->rater ? -1 : 1);
	return ((int)x->phase - (int)y->phase);
}

/* The index of the candidate with archive id old, or -1. */
static long
cand_find(const struct import *x, int64_t old)
{
	struct imp_cand key = { .old = old }, *k;

	k = bsearch(&key, x->cands, x->ncands, sizeof(*x->cands), cmp_cand);
	return (k != NULL ? (long)(k - x->cands) : -1);
}

/* Parses a wall-clock time of the archive ("YYYY-MM-DDTHH:MM", or a
 * date) into its normal form and its instant in tz. */
static int
wall_time(const char *s, const char *tz, char *out, size_t len, int64_t *at)
{
	struct local_time t;

	if (dates_parse(s, 1, &t) != 0)
		return (-1);
	dates_format(&t, out, len);
	if (at != NULL && dates_to_instant(&t, tz, at) != 0)
		return (-1);
	return (0);
}

static int
check_cycle(struct import *x, const json_t *cycle, struct ops_error *e)
{
	struct db_cycle	 *c = &x->c;
	struct local_time d[CYCLE_DATE__MAX];
	enum cycle_date	  late;
	enum cycle_state  st;
	json_error_t	  err;
	json_int_t	  id, year, positions;
	const char	 *name, *tz, *state, *ds[CYCLE_DATE__MAX];
	json_t		 *dates;
	int		  i;

	if (json_unpack_ex((json_t *)cycle, &err, 0,
		"{s:I,s:I,s:s,s:I,s:s,s:s,s:o!}", "id", &id, "year", &year,
		"name", &name, "positions", &positions, "timezone", &tz,
		"state", &state, "dates", &dates) != 0)
		return (bad(e, "cycle: %s.", err.text));
	if (json_unpack_ex(dates, &err, 0, "{s:s,s:s,s:s,s:s,s:s!}",
		cycle_date_key(0), &ds[0], cycle_date_key(1), &ds[1],
		cycle_date_key(2), &ds[2], cycle_date_key(3), &ds[3],
		cycle_date_key(4), &ds[4]) != 0)
		return (bad(e, "cycle.dates: %s.", err.text));
	if (year < 2000 || year > 2100)
		return (bad(e, "cycle.year must be from 2000 to 2100."));
	if (!text_name_valid(name))
		return (bad(e, "cycle.name must be 1 to 200 characters."));
	if (positions < 1 || positions > 50)
		return (bad(e, "cycle.positions must be from 1 to 50."));
	if (!dates_zone_known(tz))
		return (bad(e,
		    "cycle.timezone \"%.60s\" is not a supported "
		    "time zone.",
		    tz));
	if (cycle_state_parse(state, &st) != 0)
		return (bad(e, "cycle.state \"%.40s\" is not a state.", state));
	memset(c, 0, sizeof(*c));
	x->from_cycle = id;
	c->year = year;
	c->positions = positions;
	(void)snprintf(c->name, sizeof(c->name), "%s", name);
	(void)snprintf(c->timezone, sizeof(c->timezone), "%s", tz);
	(void)snprintf(c->state, sizeof(c->state), "%s", cycle_state_name(st));
	for (i = 0; i < CYCLE_DATE__MAX; i++) {
		if (wall_time(ds[i], tz, c->dates[i], sizeof(c->dates[i]),
			NULL) != 0 ||
		    dates_parse(c->dates[i], 0, &d[i]) != 0)
			return (bad(e, "cycle.dates.%s is not a date and time.",
			    cycle_date_key((enum cycle_date)i)));
	}
	if (cycle_dates_check(d, &late) != 0)
		return (bad(e, "cycle.dates.%s is out of order.",
		    cycle_date_key(late)));
	if (dates_to_instant(&d[CYCLE_APPLICATIONS_OPEN], tz, &c->open_at) !=
		0 ||
	    dates_to_instant(&d[CYCLE_APPLICATIONS_CLOSE], tz, &c->close_at) !=
		0 ||
	    dates_to_instant(&d[CYCLE_RANKLIST_DUE], tz, &c->ranklist_due_at) !=
		0)
		return (bad(e, "cycle.timezone cannot convert the dates."));
	return (OPS_OK);
}

static int
check_rubrics(struct import *x, const json_t *rubrics, struct ops_error *e)
{
	json_error_t err;
	json_int_t   version, created;
	const char  *phase;
	json_t	    *criteria;
	enum phase   p;
	char	     msg[200];
	size_t	     i, j;

	if (!json_is_array(rubrics))
		return (bad(e, "rubrics must be an array."));
	if (limit_over(
		LIMIT_RUBRIC_VERSIONS, (int64_t)json_array_size(rubrics)))
		return (over(e, LIMIT_RUBRIC_VERSIONS, "rubrics"));
	for (i = 0; i < json_array_size(rubrics); i++) {
		if (json_unpack_ex(json_array_get(rubrics, i), &err, 0,
			"{s:s,s:I,s:I,s:o!}", "phase", &phase, "version",
			&version, "created_at", &created, "criteria",
			&criteria) != 0)
			return (bad(e, "rubrics[%zu]: %s.", i, err.text));
		if (phase_parse(phase, &p) != 0)
			return (
			    bad(e, "rubrics[%zu]: \"%.40s\" is not a phase.", i,
				phase));
		if (version < 1)
			return (bad(e,
			    "rubrics[%zu]: the version must be 1 or "
			    "more.",
			    i));
		for (j = 0; j < x->nrubrics; j++)
			if (x->rubrics[j].phase == p &&
			    x->rubrics[j].version == version)
				return (bad(e,
				    "rubrics[%zu]: %s version %lld comes "
				    "twice.",
				    i, phase, (long long)version));
		if (rubric_check(criteria, msg, sizeof(msg)) != 0)
			return (bad(e, "rubrics[%zu] (%s version %lld): %s", i,
			    phase, (long long)version, msg));
		x->rubrics[x->nrubrics].phase = p;
		x->rubrics[x->nrubrics].version = version;
		x->rubrics[x->nrubrics].created_at = created;
		x->rubrics[x->nrubrics].criteria = criteria;
		x->nrubrics++;
	}
	return (OPS_OK);
}

static int
check_phases(struct import *x, const json_t *phases, struct ops_error *e)
{
	struct db_phase *ph;
	json_error_t	 err;
	json_int_t	 closed_at, weight;
	const char	*phase;
	json_t		*due;
	enum phase	 p;
	size_t		 i;
	int		 closed;

	if (!json_is_array(phases))
		return (bad(e, "phases must be an array."));
	for (i = 0; i < json_array_size(phases); i++) {
		if (json_unpack_ex(json_array_get(phases, i), &err, 0,
			"{s:s,s:o,s:b,s:I,s:I!}", "phase", &phase,
			"scoring_due", &due, "closed", &closed, "closed_at",
			&closed_at, "weight", &weight) != 0)
			return (bad(e, "phases[%zu]: %s.", i, err.text));
		if (phase_parse(phase, &p) != 0)
			return (bad(e, "phases[%zu]: \"%.40s\" is not a phase.",
			    i, phase));
		if (x->have_ph[p])
			return (
			    bad(e, "phases[%zu]: %s comes twice.", i, phase));
		if (weight < 0 || weight > 100)
			return (bad(e,
			    "phases[%zu]: the weight must be from 0 "
			    "to 100.",
			    i));
		if (closed != (closed_at > 0))
			return (bad(e,
			    "phases[%zu]: closed and closed_at "
			    "disagree.",
			    i));
		ph = &x->ph[p];
		memset(ph, 0, sizeof(*ph));
		(void)snprintf(ph->phase, sizeof(ph->phase), "%s", phase);
		ph->closed_at = closed_at;
		ph->weight = weight;
		if (json_is_string(due)) {
			if (wall_time(json_string_value(due), x->c.timezone,
				ph->scoring_due, sizeof(ph->scoring_due),
				&ph->scoring_due_at) != 0)
				return (bad(e,
				    "phases[%zu]: scoring_due is not "
				    "a date and time.",
				    i));
		} else if (!json_is_null(due))
			return (bad(e,
			    "phases[%zu]: scoring_due must be a "
			    "date and time or null.",
			    i));
		x->have_ph[p] = 1;
	}
	return (OPS_OK);
}

static int
check_candidates(struct import *x, const json_t *cands, struct ops_error *e)
{
	json_error_t	 err;
	json_int_t	 id;
	const char	*name;
	json_t		*fields;
	struct imp_cand *k;
	size_t		 i, n;
	int		 interviewed;

	if (!json_is_array(cands))
		return (bad(e, "candidates must be an array."));
	if (limit_over(LIMIT_CANDIDATES, (int64_t)(n = json_array_size(cands))))
		return (over(e, LIMIT_CANDIDATES, "candidates"));
	if ((x->cands = calloc(n + 1, sizeof(*x->cands))) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < n; i++) {
		if (json_unpack_ex(json_array_get(cands, i), &err, 0,
			"{s:I,s:s,s:b,s:o!}", "application_id", &id, "name",
			&name, "interviewed", &interviewed, "fields",
			&fields) != 0)
			return (bad(e, "candidates[%zu]: %s.", i, err.text));
		if (!json_is_object(fields))
			return (bad(e,
			    "candidates[%zu]: fields must be an "
			    "object.",
			    i));
		k = &x->cands[i];
		k->old = id;
		k->name = name;
		k->interviewed = interviewed;
		k->fields = fields;
	}
	x->ncands = n;
	qsort(x->cands, n, sizeof(*x->cands), cmp_cand);
	for (i = 1; i < n; i++)
		if (x->cands[i].old == x->cands[i - 1].old)
			return (bad(e,
			    "candidates: application %lld comes "
			    "twice.",
			    (long long)x->cands[i].old));
	return (OPS_OK);
}

/* The index of rater id named name, added when new. */
static int
rater_of(struct import *x, size_t i, int64_t id, const char *name, size_t *out,
    struct ops_error *e)
{
	size_t r;

	for (r = 0; r < x->nraters; r++)
		if (x->raters[r].old == id)
			break;
	if (r < x->nraters) {
		if (strcmp(x->raters[r].name, name) != 0)
			return (bad(e,
			    "sheets[%zu]: rater %lld is named both "
			    "\"%.40s\" and \"%.40s\".",
			    i, (long long)id, x->raters[r].name, name));
		*out = r;
		return (OPS_OK);
	}
	if (!text_name_valid(name))
		return (bad(e,
		    "sheets[%zu]: rater %lld needs a name of 1 to "
		    "200 characters.",
		    i, (long long)id));
	if (limit_over(LIMIT_RATERS, (int64_t)x->nraters + 1))
		return (over(e, LIMIT_RATERS, "sheets"));
	x->raters[r].old = id;
	x->raters[r].name = name;
	x->nraters++;
	*out = r;
	return (OPS_OK);
}

static int
check_sheets(struct import *x, const json_t *sheets, struct ops_error *e)
{
	struct imp_sheet *s;
	json_error_t	  err;
	json_int_t	  app, rater, version, submitted, updated;
	const char	 *phase, *rname, *comment, *why;
	json_t		 *values;
	char		  field[64], msg[200];
	size_t		  i, n, r;
	long		  k;
	int		  rc;

	if (!json_is_array(sheets))
		return (bad(e, "sheets must be an array."));
	if (limit_over(LIMIT_SHEETS, (int64_t)(n = json_array_size(sheets))))
		return (over(e, LIMIT_SHEETS, "sheets"));
	if ((x->sheets = calloc(n + 1, sizeof(*x->sheets))) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < n; i++) {
		s = &x->sheets[i];
		if (json_unpack_ex(json_array_get(sheets, i), &err, 0,
			"{s:s,s:I,s:I,s:s,s:I,s:o,s:s,s:I,s:I!}", "phase",
			&phase, "application_id", &app, "rater_id", &rater,
			"rater_name", &rname, "rubric_version", &version,
			"values", &values, "comment", &comment, "submitted_at",
			&submitted, "updated_at", &updated) != 0)
			return (bad(e, "sheets[%zu]: %s.", i, err.text));
		if (phase_parse(phase, &s->phase) != 0)
			return (bad(e, "sheets[%zu]: \"%.40s\" is not a phase.",
			    i, phase));
		if ((k = cand_find(x, app)) < 0)
			return (bad(e,
			    "sheets[%zu]: application %lld is not "
			    "among the candidates.",
			    i, (long long)app));
		s->cand = (size_t)k;
		for (r = 0; r < x->nrubrics; r++)
			if (x->rubrics[r].phase == s->phase &&
			    x->rubrics[r].version == version)
				break;
		if (r == x->nrubrics)
			return (bad(e,
			    "sheets[%zu]: there is no %s rubric "
			    "version %lld.",
			    i, phase, (long long)version));
		s->rubric = r;
		if (!json_is_object(values) ||
		    rubric_check_values(x->rubrics[r].criteria, values, 1,
			field, sizeof(field), msg, sizeof(msg)) != 0)
			return (bad(e, "sheets[%zu] (application %lld): %s", i,
			    (long long)app,
			    json_is_object(values)
				? msg
				: "values must be an object."));
		if (comment[0] != '\0' &&
		    text_plain(comment, 1, SHEET_COMMENT_MAX, &why) != 0)
			return (bad(e, "sheets[%zu]: the comment: %s", i, why));
		if (updated <= 0)
			return (bad(
			    e, "sheets[%zu]: updated_at must be a time.", i));
		if ((rc = rater_of(x, i, rater, rname, &s->rater, e)) != OPS_OK)
			return (rc);
		s->values = values;
		s->comment = comment;
		s->submitted_at = submitted > 0 ? submitted : updated;
		s->updated_at = updated;
	}
	x->nsheets = n;
	return (OPS_OK);
}

/*
 * Marks the sheets the archive's ranking left out. The ranking lists,
 * per candidate and phase, the raters whose sheets counted; a submitted,
 * complete sheet that is not among them was left out because its rater
 * had a recorded conflict with the candidate (ops/ranking.c), which the
 * export does not carry. The ranking is a view of the rest, so it is
 * read leniently: without it every sheet counts.
 */
static int
mark_excluded(struct import *x, const json_t *ranking)
{
	const json_t *cands = json_object_get(ranking, "candidates");
	const json_t *ph, *scores, *id;
	size_t	     *of, i, m, none = (size_t)-1;
	long	      k;
	int	      found;

	/* of[k]: where candidate k is in the ranking's list, or none. */
	if ((of = calloc(x->ncands + 1, sizeof(size_t))) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < x->ncands; i++)
		of[i] = none;
	for (i = 0; i < json_array_size(cands); i++) {
		id =
		    json_object_get(json_array_get(cands, i), "application_id");
		if (json_is_integer(id) &&
		    (k = cand_find(x, json_integer_value(id))) >= 0)
			of[k] = i;
	}
	for (i = 0; i < x->nsheets; i++) {
		struct imp_sheet *s = &x->sheets[i];

		if (of[s->cand] == none)
			continue;
		ph = json_object_get(
		    json_object_get(
			json_array_get(cands, of[s->cand]), "phases"),
		    phase_names[s->phase]);
		if (!json_is_object(ph) && !json_is_null(ph))
			continue; /* not said */
		scores = json_object_get(ph, "scores");
		found = 0;
		for (m = 0; m < json_array_size(scores); m++)
			found |= json_integer_value(json_object_get(
				     json_array_get(scores, m), "rater_id")) ==
			    x->raters[s->rater].old;
		s->excluded = !found;
	}
	free(of);
	return (OPS_OK);
}

/* Sorts the sheets and refuses duplicates, and pairs whose sheets the
 * ranking counted in one phase and not in the other (a conflict leaves
 * out both). */
static int
check_pairs(struct import *x, struct ops_error *e)
{
	struct imp_sheet *a, *b;
	size_t		  i;

	qsort(x->sheets, x->nsheets, sizeof(*x->sheets), cmp_sheet);
	for (i = 1; i < x->nsheets; i++) {
		a = &x->sheets[i - 1];
		b = &x->sheets[i];
		if (a->cand != b->cand || a->rater != b->rater)
			continue;
		if (a->phase == b->phase)
			return (bad(e,
			    "sheets: rater %lld scored application "
			    "%lld twice in %s.",
			    (long long)x->raters[a->rater].old,
			    (long long)x->cands[a->cand].old,
			    phase_names[a->phase]));
		if (a->excluded != b->excluded)
			return (bad(e,
			    "ranking: rater %lld's sheets on "
			    "application %lld count in one phase "
			    "only.",
			    (long long)x->raters[a->rater].old,
			    (long long)x->cands[a->cand].old));
	}
	return (OPS_OK);
}

/* The author named name (index), added when new. */
static int
author_of(struct import *x, size_t i, const char *name, int director, int *out,
    struct ops_error *e)
{
	size_t a;

	*out = -1;
	if (name[0] == '\0')
		return (OPS_OK);
	for (a = 0; a < x->nauthors; a++)
		if (strcmp(x->authors[a].name, name) == 0)
			break;
	if (a == x->nauthors) {
		if (!text_name_valid(name))
			return (bad(e,
			    "ranklist_versions[%zu]: created_by_name "
			    "must be 1 to 200 characters.",
			    i));
		if (limit_over(LIMIT_LIST_AUTHORS, (int64_t)x->nauthors + 1))
			return (
			    over(e, LIMIT_LIST_AUTHORS, "ranklist_versions"));
		x->authors[a].name = name;
		x->nauthors++;
	}
	x->authors[a].director |= director;
	*out = (int)a;
	return (OPS_OK);
}

/* Checks a version's entries: each a candidate, once. */
static int
check_entries(struct import *x, size_t i, int64_t version,
    const json_t *entries, unsigned char *seen, struct ops_error *e)
{
	json_error_t err;
	json_int_t   id;
	const char  *reason = "", *why;
	size_t	     j;
	long	     k;
	int	     dnr = 0;

	if (!json_is_array(entries))
		return (bad(e,
		    "ranklist_versions[%zu]: entries must be an "
		    "array.",
		    i));
	memset(seen, 0, x->ncands + 1);
	for (j = 0; j < json_array_size(entries); j++) {
		reason = "";
		dnr = 0;
		if (json_unpack_ex(json_array_get(entries, j), &err, 0,
			"{s:I,s?b,s?s!}", "application_id", &id, "do_not_rank",
			&dnr, "reason", &reason) != 0)
			return (
			    bad(e, "ranklist_versions[%zu].entries[%zu]: %s.",
				i, j, err.text));
		if ((k = cand_find(x, id)) < 0)
			return (bad(e,
			    "rank list version %lld: application "
			    "%lld is not among the candidates.",
			    (long long)version, (long long)id));
		if (seen[k]++)
			return (bad(e,
			    "rank list version %lld: application "
			    "%lld comes twice.",
			    (long long)version, (long long)id));
		if (reason[0] != '\0' && text_plain(reason, 1, 1000, &why) != 0)
			return (bad(e,
			    "rank list version %lld: the reason for "
			    "application %lld: %s",
			    (long long)version, (long long)id, why));
	}
	return (OPS_OK);
}

static int
check_versions(struct import *x, const json_t *list, struct ops_error *e)
{
	struct imp_version *v;
	json_error_t	    err;
	json_int_t	    version, created;
	const char	   *kind, *by, *why;
	json_t		   *entries, *sha = NULL, *reason = NULL, *ack = NULL;
	json_t		   *snap = NULL;
	unsigned char	   *seen = NULL;
	char		   *canon, digest[65];
	size_t		    i, n;
	int		    rc = OPS_OK;

	if (!json_is_array(list))
		return (bad(e, "ranklist_versions must be an array."));
	n = json_array_size(list);
	if ((x->versions = calloc(n + 1, sizeof(*x->versions))) == NULL ||
	    (seen = calloc(x->ncands + 1, 1)) == NULL) {
		free(seen);
		return (OPS_ENOMEM);
	}
	for (i = 0; i < n && rc == OPS_OK; i++) {
		v = &x->versions[i];
		sha = reason = ack = snap = NULL;
		if (json_unpack_ex(json_array_get(list, i), &err, 0,
			"{s:I,s:s,s:o,s?o,s?o,s:s,s:I,s?o,s?o!}", "version",
			&version, "kind", &kind, "entries", &entries, "sha256",
			&sha, "reason", &reason, "created_by_name", &by,
			"created_at", &created, "acknowledged", &ack,
			"snapshot", &snap) != 0) {
			rc = bad(e, "ranklist_versions[%zu]: %s.", i, err.text);
			break;
		}
		if (version < 1) {
			rc = bad(e,
			    "ranklist_versions[%zu]: the version must "
			    "be 1 or more.",
			    i);
			break;
		}
		if (strcmp(kind, "draft") != 0 &&
		    strcmp(kind, "certified") != 0 &&
		    strcmp(kind, "reopened") != 0) {
			rc = bad(e,
			    "ranklist_versions[%zu]: \"%.40s\" is not "
			    "draft, certified or reopened.",
			    i, kind);
			break;
		}
		v->version = version;
		v->kind = kind;
		v->entries = entries;
		v->created_at = created;
		if (reason != NULL && !json_is_null(reason)) {
			if (!json_is_string(reason) ||
			    text_plain(json_string_value(reason), 1,
				IMPORT_REASON_MAX, &why) != 0) {
				rc = bad(e,
				    "rank list version %lld: the reason "
				    "must be text of at most %d "
				    "characters.",
				    (long long)version, IMPORT_REASON_MAX);
				break;
			}
			v->reason = json_string_value(reason);
		}
		if (strcmp(kind, "reopened") == 0 && v->reason == NULL) {
			rc = bad(e,
			    "rank list version %lld: a reopening needs "
			    "its reason.",
			    (long long)version);
			break;
		}
		if (strcmp(kind, "certified") == 0) {
			if (!json_is_string(sha) ||
			    strlen(json_string_value(sha)) != 64) {
				rc = bad(e,
				    "rank list version %lld: a "
				    "certified version needs its "
				    "sha256.",
				    (long long)version);
				break;
			}
			v->sha256 = json_string_value(sha);
		} else if (sha != NULL && !json_is_null(sha)) {
			rc = bad(e,
			    "rank list version %lld: only a certified "
			    "version has a sha256.",
			    (long long)version);
			break;
		}
		/* The warnings acknowledged at certification, as recorded
		 * (core/readiness.h checks their shape). */
		if (ack != NULL && !json_is_null(ack)) {
			why = "only a certified version has warnings "
			      "acknowledged.";
			if (strcmp(kind, "certified") != 0 ||
			    ready_record_check(ack, &why) != 0) {
				rc = bad(e, "rank list version %lld: %s",
				    (long long)version, why);
				break;
			}
			v->acknowledged = ack;
		}
		if ((rc = check_entries(x, i, version, entries, seen, e)) !=
		    OPS_OK)
			break;
		/* The certification's record must hold: the archived hash
		 * is over the archived cycle id, version and entries. */
		if (v->sha256 != NULL) {
			if ((canon = ranklist_canonical(
				 x->from_cycle, version, entries)) == NULL) {
				rc = OPS_ENOMEM;
				break;
			}
			ranklist_sha256(canon, digest);
			free(canon);
			if (strcmp(digest, v->sha256) != 0) {
				rc = bad(e,
				    "rank list version %lld: its "
				    "sha256 does not match its "
				    "entries; the archive was "
				    "altered.",
				    (long long)version);
				break;
			}
		}
		/* What a certified version said of its candidates then
		 * (core/ranklist.h checks its shape). */
		if (snap != NULL && !json_is_null(snap)) {
			why = "only a certified version has a snapshot.";
			if (strcmp(kind, "certified") != 0 ||
			    ranklist_snapshot_check(snap, entries, &why) != 0) {
				rc = bad(e, "rank list version %lld: %s",
				    (long long)version, why);
				break;
			}
			v->snapshot = snap;
		}
		rc = author_of(
		    x, i, by, strcmp(kind, "draft") != 0, &v->author, e);
	}
	free(seen);
	if (rc != OPS_OK)
		return (rc);
	x->nversions = n;
	qsort(x->versions, n, sizeof(*x->versions), cmp_version);
	for (i = 1; i < n; i++)
		if (x->versions[i].version == x->versions[i - 1].version)
			return (bad(e,
			    "ranklist_versions: version %lld comes "
			    "twice.",
			    (long long)x->versions[i].version));
	return (OPS_OK);
}

/* Parses and checks the whole document into x, touching nothing. */
static int
check_doc(struct import *x, const char *text, size_t len, struct ops_error *e)
{
	json_error_t err;
	json_int_t   fv = 0, exported = 0;
	const char  *format = NULL;
	json_t	    *cycle, *rubrics, *phases, *cands, *sheets, *versions;
	json_t	    *ranking = NULL;
	json_t	    *meetings = NULL; /* the rank meetings: kept out */
	int	     rc;

	x->rubrics = calloc(
	    (size_t)limit_max(LIMIT_RUBRIC_VERSIONS), sizeof(*x->rubrics));
	x->raters = calloc((size_t)limit_max(LIMIT_RATERS), sizeof(*x->raters));
	x->authors =
	    calloc((size_t)limit_max(LIMIT_LIST_AUTHORS), sizeof(*x->authors));
	if (x->rubrics == NULL || x->raters == NULL || x->authors == NULL)
		return (OPS_ENOMEM);
	if ((x->doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err)) ==
	    NULL)
		return (bad(e, "not JSON: %s (line %d, column %d).", err.text,
		    err.line, err.column));
	if (!json_is_object(x->doc) ||
	    !json_is_string(json_object_get(x->doc, "format")) ||
	    strcmp(json_string_value(json_object_get(x->doc, "format")),
		IMPORT_FORMAT) != 0)
		return (bad(e, "not a cycle export: format must be \"%s\".",
		    IMPORT_FORMAT));
	if (json_integer_value(json_object_get(x->doc, "format_version")) !=
	    IMPORT_VERSION)
		return (bad(e,
		    "format_version must be %d (this program's "
		    "export).",
		    IMPORT_VERSION));
	if (json_unpack_ex(x->doc, &err, 0,
		"{s:s,s:I,s?I,s:o,s:o,s:o,s:o,s:o,s?o,s:o,s?o!}", "format",
		&format, "format_version", &fv, "exported_at", &exported,
		"cycle", &cycle, "rubrics", &rubrics, "phases", &phases,
		"candidates", &cands, "sheets", &sheets, "ranking", &ranking,
		"ranklist_versions", &versions, "meetings", &meetings) != 0)
		return (bad(e, "the document: %s.", err.text));
	if ((rc = check_cycle(x, cycle, e)) != OPS_OK ||
	    (rc = check_rubrics(x, rubrics, e)) != OPS_OK ||
	    (rc = check_phases(x, phases, e)) != OPS_OK ||
	    (rc = check_candidates(x, cands, e)) != OPS_OK ||
	    (rc = check_sheets(x, sheets, e)) != OPS_OK)
		return (rc);
	if (json_is_object(ranking) && (rc = mark_excluded(x, ranking)) != 0)
		return (rc);
	if ((rc = check_pairs(x, e)) != OPS_OK)
		return (rc);
	return (check_versions(x, versions, e));
}

static void
import_free(struct import *x)
{
	free(x->rubrics);
	free(x->raters);
	free(x->authors);
	free(x->cands);
	free(x->sheets);
	free(x->versions);
	json_decref(x->doc);
}

/* Creates a disabled account without a password. */
static int
new_user(struct db *db, const char *email, const char *name, const char *role,
    int64_t *id, struct ops_error *e)
{
	struct db_user u;
	int	       rc;

	if ((rc = db_user_by_email(db, email, &u)) != 0)
		return (rc < 0 ? rc
			       : ops_refuse(e, OPS_CONFLICT, NULL,
				     "An account for an imported person "
				     "exists already; nothing was imported."));
	if ((rc = db_user_insert(db, email, name, role, NULL, id)) != 0)
		return (rc);
	return (db_user_set_disabled(db, *id, 1));
}

/* The "Archive import" account, made on first need. */
static int
archive_user(struct db *db, struct import *x, struct ops_error *e)
{
	char email[DB_EMAIL_MAX];

	if (x->archive_user != 0)
		return (OPS_OK);
	(void)snprintf(email, sizeof(email),
	    "imported-%lld-archive@import.invalid", (long long)x->c.id);
	return (new_user(
	    db, email, "Archive import", "coordinator", &x->archive_user, e));
}

/* The text of a checked snapshot with the new application ids (as its
 * version's entries have them); NULL when out of memory. */
static char *
imported_snapshot(const struct import *x, const json_t *snap)
{
	json_t *copy = json_deep_copy(snap), *it;
	char   *text;
	size_t	j;
	long	k;

	if (copy == NULL)
		return (NULL);
	json_array_foreach(copy, j, it)
	{
		k = cand_find(x,
		    json_integer_value(json_object_get(it, "application_id")));
		if (json_object_set_new(it, "application_id",
			json_integer((json_int_t)x->cands[k].app)) != 0) {
			json_decref(copy);
			return (NULL);
		}
	}
	text = json_dumps(copy, JSON_COMPACT);
	json_decref(copy);
	return (text);
}
static int
write_cands(struct db *db, struct import *x, int64_t now, struct ops_error *e)
{
	struct imp_cand *k;
	struct db_user	 u;
	const char	*mail;
	char		*fields, email[DB_EMAIL_MAX], name[DB_NAME_MAX];
	size_t		 i;
	int		 rc;

	for (i = 0; i < x->ncands; i++) {
		k = &x->cands[i];
		mail = json_string_value(json_object_get(k->fields, "email"));
		rc = 0;
		if (mail != NULL && text_email_valid(mail) &&
		    (rc = db_user_by_email(db, mail, &u)) == 0)
			(void)snprintf(email, sizeof(email), "%s", mail);
		else if (rc < 0)
			return (rc);
		else
			(void)snprintf(email, sizeof(email),
			    "imported-%lld-%zu@import.invalid",
			    (long long)x->c.id, i + 1);
		if (text_name_valid(k->name))
			(void)snprintf(name, sizeof(name), "%s", k->name);
		else
			(void)snprintf(name, sizeof(name),
			    "Imported candidate %zu", i + 1);
		if ((rc = new_user(
			 db, email, name, "applicant", &k->user, e)) != OPS_OK)
			return (rc);
		if ((fields = json_dumps(
			 k->fields, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
			return (OPS_ENOMEM);
		rc = db_application_insert(
		    db, x->c.id, k->user, fields, &k->app);
		free(fields);
		if (rc != 0 ||
		    (rc = db_application_set_status(
			 db, k->app, "submitted", 1)) != 0)
			return (rc);
		if (k->interviewed) {
			if ((rc = archive_user(db, x, e)) != OPS_OK)
				return (rc);
			if ((rc = db_invitation_insert(db, k->app, x->c.id,
				 x->archive_user, now)) < 0)
				return (rc);
		}
	}
	return (OPS_OK);
}

static int
write_review(
    struct db *db, struct import *x, int *conflicts, struct ops_error *e)
{
	struct imp_sheet *s;
	size_t		 *order;
	struct db_sheet	  sh;
	char		  email[DB_EMAIL_MAX], *text;
	size_t		  i;
	int		  p, rc;

	for (i = 0; i < x->nrubrics; i++) {
		if ((text = json_dumps(x->rubrics[i].criteria, JSON_COMPACT)) ==
		    NULL)
			return (OPS_ENOMEM);
		rc = db_rubric_insert(db, x->c.id,
		    phase_names[x->rubrics[i].phase], x->rubrics[i].version,
		    text, 0, x->rubrics[i].created_at, &x->rubrics[i].id);
		free(text);
		if (rc != 0)
			return (rc);
	}
	for (p = 0; p < PHASE__MAX; p++) {
		if (!x->have_ph[p])
			continue;
		x->ph[p].cycle_id = x->c.id;
		if ((rc = db_phase_put(db, &x->ph[p])) != 0)
			return (rc);
	}
	/* Raters in the order of their ids, as the ranking meets them. */
	if ((order = calloc(x->nraters + 1, sizeof(size_t))) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < x->nraters; i++)
		order[i] = i;
	qsort_r(order, x->nraters, sizeof(size_t), cmp_rater, x->raters);
	for (i = 0, rc = OPS_OK; i < x->nraters && rc == OPS_OK; i++) {
		(void)snprintf(email, sizeof(email),
		    "imported-rater-%lld-%zu@import.invalid",
		    (long long)x->c.id, i + 1);
		rc = new_user(db, email, x->raters[order[i]].name, "faculty",
		    &x->raters[order[i]].user, e);
	}
	free(order);
	if (rc != OPS_OK)
		return (rc);
	*conflicts = 0;
	for (i = 0; i < x->nsheets; i++) {
		s = &x->sheets[i];
		memset(&sh, 0, sizeof(sh));
		sh.cycle_id = x->c.id;
		sh.application_id = x->cands[s->cand].app;
		sh.rater_id = x->raters[s->rater].user;
		(void)snprintf(
		    sh.phase, sizeof(sh.phase), "%s", phase_names[s->phase]);
		sh.rubric_id = x->rubrics[s->rubric].id;
		(void)snprintf(sh.status, sizeof(sh.status), "submitted");
		if ((sh.values = json_dumps(
			 s->values, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
			return (OPS_ENOMEM);
		sh.comment = (char *)s->comment;
		sh.updated_at = s->updated_at;
		sh.submitted_at = s->submitted_at;
		rc = db_sheet_insert(db, &sh, NULL);
		free(sh.values);
		if (rc != 0)
			return (rc);
		if (!s->excluded)
			continue;
		if ((rc = db_conflict_exists(
			 db, sh.application_id, sh.rater_id)) != 0) {
			if (rc < 0)
				return (rc);
			continue;
		}
		if ((rc = archive_user(db, x, e)) != OPS_OK ||
		    (rc = db_conflict_insert(db, sh.application_id, sh.rater_id,
			 "conflict",
			 "Imported: this rater's sheets did not count in the "
			 "archive's ranking (a conflict of interest).",
			 x->archive_user, NULL)) != 0)
			return (rc);
		(*conflicts)++;
	}
	return (OPS_OK);
}

/* The rank list's versions, in order; certified ones get the SHA-256
 * over the new ids and keep the archive's hash in their reason, and in
 * certified (the audit record's list). */
static int
write_versions(
    struct db *db, struct import *x, json_t *certified, struct ops_error *e)
{
	struct imp_version *v;
	struct imp_author  *a;
	struct db_ranklist  r;
	json_t		   *entries, *it;
	char		    email[DB_EMAIL_MAX], *canon;
	size_t		    i, j;
	long		    k;
	int		    rc, n;

	for (i = 0; i < x->nauthors; i++) {
		a = &x->authors[i];
		(void)snprintf(email, sizeof(email),
		    "imported-staff-%lld-%zu@import.invalid",
		    (long long)x->c.id, i + 1);
		if ((rc = new_user(db, email, a->name,
			 a->director ? "director" : "coordinator", &a->user,
			 e)) != OPS_OK)
			return (rc);
	}
	for (i = 0; i < x->nversions; i++) {
		v = &x->versions[i];
		memset(&r, 0, sizeof(r));
		if ((entries = json_array()) == NULL)
			return (OPS_ENOMEM);
		for (j = 0; j < json_array_size(v->entries); j++) {
			const char *why;

			it = json_array_get(v->entries, j);
			why = json_string_value(json_object_get(it, "reason"));
			k = cand_find(x,
			    json_integer_value(
				json_object_get(it, "application_id")));
			json_array_append_new(entries,
			    json_pack("{s:I,s:b,s:s}", "application_id",
				(json_int_t)x->cands[k].app, "do_not_rank",
				json_is_true(
				    json_object_get(it, "do_not_rank")),
				"reason", why != NULL ? why : ""));
		}
		r.cycle_id = x->c.id;
		r.version = v->version;
		(void)snprintf(r.kind, sizeof(r.kind), "%s", v->kind);
		r.entries = json_dumps(entries, JSON_COMPACT);
		canon = v->sha256 != NULL
		    ? ranklist_canonical(x->c.id, v->version, entries)
		    : NULL;
		json_decref(entries);
		if (r.entries == NULL || (v->sha256 != NULL && canon == NULL)) {
			free(r.entries);
			free(canon);
			return (OPS_ENOMEM);
		}
		if (v->sha256 != NULL) {
			ranklist_sha256(canon, r.sha256);
			free(canon);
			n = snprintf(r.reason, sizeof(r.reason),
			    "Imported from an archive of cycle %lld, where "
			    "this version was certified with SHA-256 %s.%s%s",
			    (long long)x->from_cycle, v->sha256,
			    v->reason != NULL ? " " : "",
			    v->reason != NULL ? v->reason : "");
			if (n < 0 || n > IMPORT_REASON_MAX) {
				free(r.entries);
				return (bad(e,
				    "rank list version %lld: its "
				    "reason is too long to hold "
				    "the import's note.",
				    (long long)v->version));
			}
			json_array_append_new(certified,
			    json_pack("{s:I,s:s,s:s}", "version",
				(json_int_t)v->version, "archived_sha256",
				v->sha256, "sha256", r.sha256));
		} else if (v->reason != NULL)
			(void)snprintf(
			    r.reason, sizeof(r.reason), "%s", v->reason);
		r.created_by = v->author >= 0 ? x->authors[v->author].user : 0;
		r.created_at = v->created_at;
		if (v->acknowledged != NULL &&
		    (r.acknowledged = json_dumps(
			 v->acknowledged, JSON_COMPACT)) == NULL) {
			free(r.entries);
			return (OPS_ENOMEM);
		}
		if (v->snapshot != NULL &&
		    (r.snapshot = imported_snapshot(x, v->snapshot)) == NULL) {
			free(r.entries);
			free(r.acknowledged);
			return (OPS_ENOMEM);
		}
		rc = db_ranklist_insert(db, &r);
		free(r.entries);
		free(r.acknowledged);
		free(r.snapshot);
		if (rc != 0)
			return (rc);
	}
	return (OPS_OK);
}

int
ops_cycle_import(struct db *db, struct ops_actor actor, const char *text,
    size_t len, const char *source, int64_t now, struct ops_import_result *out,
    struct ops_error *e)
{
	struct import x;
	json_t	     *certified = NULL;
	int	      rc, conflicts = 0;

	memset(&x, 0, sizeof(x));
	memset(out, 0, sizeof(*out));
	if (len > OPS_IMPORT_MAX) {
		rc = bad(
		    e, "the file is larger than %ld MB.", OPS_IMPORT_MAX >> 20);
		goto out;
	}
	if ((rc = check_doc(&x, text, len, e)) != OPS_OK)
		goto out;
	if ((certified = json_array()) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = db_begin(db)) != 0)
		goto out;
	/* A cycle starts in setup in the schema's eyes; set its state. */
	if ((rc = db_cycle_insert(db, &x.c, &x.c.id)) == 0)
		rc = db_cycle_update(db, &x.c);
	if (rc == 0)
		rc = write_cands(db, &x, now, e);
	if (rc == OPS_OK)
		rc = write_review(db, &x, &conflicts, e);
	if (rc == OPS_OK)
		rc = write_versions(db, &x, certified, e);
	if (rc == OPS_OK)
		rc = ops_audit(db, actor.id, "cycle.import", "cycle", x.c.id,
		    json_pack("{s:s,s:I,s:i,s:i,s:i,s:i,s:i,s:O}", "source",
			source != NULL ? source : "", "from_cycle",
			(json_int_t)x.from_cycle, "candidates", (int)x.ncands,
			"raters", (int)x.nraters, "sheets", (int)x.nsheets,
			"ranklist_versions", (int)x.nversions, "conflicts",
			conflicts, "certified", certified));
	if ((rc = ops_finish(db, rc)) != OPS_OK)
		goto out;
	out->cycle = x.c.id;
	out->from_cycle = x.from_cycle;
	out->candidates = (int)x.ncands;
	out->raters = (int)x.nraters;
	out->sheets = (int)x.nsheets;
	out->versions = (int)x.nversions;
	out->conflicts = conflicts;
out:
	json_decref(certified);
	import_free(&x);
	return (rc);
}

/* Reads all of path into *text (freed by the caller). */
static int
read_file(const char *path, char **text, size_t *len, struct ops_error *e)
{
	FILE  *f;
	size_t cap = 65536, n = 0, got;
	char  *buf = NULL, *grown;
	int    rc = OPS_OK;

	*text = NULL;
	if ((f = fopen(path, "rb")) == NULL)
		return (bad(e, "cannot read it: %s.", strerror(errno)));
	if ((buf = malloc(cap)) == NULL) {
		fclose(f);
		return (OPS_ENOMEM);
	}
	for (;;) {
		if (n > (size_t)OPS_IMPORT_MAX) {
			rc = bad(e, "the file is larger than %ld MB.",
			    OPS_IMPORT_MAX >> 20);
			goto out;
		}
		if (n == cap) {
			cap *= 2;
			if ((grown = realloc(buf, cap)) == NULL) {
				rc = OPS_ENOMEM;
				goto out;
			}
			buf = grown;
		}
		if ((got = fread(buf + n, 1, cap - n, f)) == 0)
			break;
		n += got;
	}
	if (ferror(f))
		rc = bad(e, "cannot read it: %s.", strerror(errno));
out:
	fclose(f);
	if (rc != OPS_OK) {
		free(buf);
		return (rc);
	}
	*text = buf;
	*len = n;
	return (OPS_OK);
}

int
ops_cycle_import_file(struct db *db, struct ops_actor actor, const char *path,
    int64_t now, struct ops_import_result *out, struct ops_error *e)
{
	char  *text;
	size_t len = 0;
	int    rc;

	memset(out, 0, sizeof(*out));
	if ((rc = read_file(path, &text, &len, e)) != OPS_OK)
		return (rc);
	rc = ops_cycle_import(db, actor, text, len, path, now, out, e);
	free(text);
	return (rc);
}
