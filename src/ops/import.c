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
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <sodium.h>

#include "core/application.h"
#include "core/cycle.h"
#include "core/dates.h"
#include "core/limits.h"
#include "core/ranklist.h"
#include "core/readiness.h"
#include "core/rubric.h"
#include "core/text.h"
#include "core/utf8.h"
#include "ops/common.h"
#include "ops/import.h"
#include "ops/ranking.h"

#define IMPORT_FORMAT  "fellowship-cycle-export"
#define IMPORT_VERSION 1

/* An archive past a limit of core/limits.h (the ranking's own) could
 * not be ranked the same here, so it is refused naming the limit. */
#define IMPORT_REASON_MAX 2000 /* ranklist_versions.reason */

struct imp_cand {
	int64_t	      old;
	int64_t	      app;
	int64_t	      user;
	size_t	      at;		       /* index in the archive */
	char	      name[TEXT_NAME_MAX + 1]; /* the archive's, as shown */
	int	      interviewed;
	int	      kept;   /* interview sheets, "interviewed": false */
	const json_t *fields; /* as the form stores them */
	const char   *email;  /* fields.email, or NULL */
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
	size_t	      at; /* index in the archive */
	enum phase    phase;
	size_t	      cand, rater, rubric; /* indexes into the tables */
	const json_t *values;
	const char   *comment;
	int64_t	      submitted_at, updated_at;
	int	      excluded; /* left out of the archive's ranking */
	int	      counted;	/* among the ranking's scores */
	double	      score;	/* the ranking's score for it, if counted */
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
	json_t		   *keep;	  /* values made here, kept alive */
	json_t	*claimable_at; /* the claimable accounts' addresses */
	int64_t *conflicts;    /* pairs: archive application, rater */
	size_t	 nconflicts;
	int	 have_conflicts; /* the archive lists them */
	int	 claimable, placeholders;
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

/* A member of an object of the archive: its key, its type ('s' text,
 * 'I' whole number, 'b' true or false, 'o' object, 'a' array, '*' any)
 * and whether it must be there. */
struct member {
	const char *key;
	char	    type;
	int	    required;
};

static const char *
type_words(char type)
{
	switch (type) {
	case 's':
		return ("text");
	case 'I':
		return ("a whole number");
	case 'b':
		return ("true or false");
	case 'o':
		return ("an object");
	case 'a':
		return ("an array");
	default:
		return ("a value");
	}
}

static int
type_is(const json_t *v, char type)
{
	switch (type) {
	case 's':
		return (json_is_string(v));
	case 'I':
		return (json_is_integer(v));
	case 'b':
		return (json_is_boolean(v));
	case 'o':
		return (json_is_object(v));
	case 'a':
		return (json_is_array(v));
	default:
		return (1);
	}
}

/*
 * Checks that o, the part of the archive named where, is an object with
 * the members m (n of them) and no others, each of its type: the
 * refusal names the member and says what is wrong in words.
 */
static int
members(const json_t *o, const char *where, const struct member *m, size_t n,
    struct ops_error *e)
{
	const char *key;
	json_t	   *v;
	size_t	    i;

	if (!json_is_object(o))
		return (bad(e, "%s must be an object.", where));
	json_object_foreach((json_t *)o, key, v)
	{
		for (i = 0; i < n; i++)
			if (strcmp(m[i].key, key) == 0)
				break;
		if (i == n)
			return (bad(e,
			    "%s: \"%.60s\" is not a member this program's "
			    "export writes; the archive was altered or comes "
			    "from another program.",
			    where, key));
	}
	for (i = 0; i < n; i++) {
		v = json_object_get(o, m[i].key);
		if (v == NULL) {
			if (m[i].required)
				return (bad(
				    e, "%s: %s is missing.", where, m[i].key));
			continue;
		}
		if (!type_is(v, m[i].type))
			return (bad(e, "%s: %s must be %s.", where, m[i].key,
			    type_words(m[i].type)));
	}
	return (OPS_OK);
}

#define NMEMBERS(m) (sizeof(m) / sizeof((m)[0]))

/* v itself, or, when it is a JSON real holding a whole number (4.0), that
 * integer, kept alive in x; NULL when out of memory. */
static const json_t *
whole(struct import *x, const json_t *v)
{
	double	d;
	json_t *i;

	if (!json_is_real(v))
		return (v);
	d = json_real_value(v);
	if (!isfinite(d) || d != floor(d) || fabs(d) > 1e15)
		return (v);
	if ((i = json_integer((json_int_t)d)) == NULL ||
	    json_array_append_new(x->keep, i) != 0)
		return (NULL);
	return (i);
}

/* "candidates[3] (Tanvi Hoffmann)", or without the name when there is
 * none yet. */
static const char *
cand_label(const struct imp_cand *k, char *buf, size_t len)
{
	if (k->name[0] != '\0')
		(void)snprintf(
		    buf, len, "candidates[%zu] (%s)", k->at, k->name);
	else
		(void)snprintf(buf, len, "candidates[%zu]", k->at);
	return (buf);
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

	if (x->cands == NULL)
		return (-1);
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
	struct db_cycle		  *c = &x->c;
	struct local_time	   d[CYCLE_DATE__MAX];
	enum cycle_date		   late;
	enum cycle_state	   st;
	json_error_t		   err;
	json_int_t		   id, year, positions;
	const char		  *name, *tz, *state, *ds[CYCLE_DATE__MAX];
	json_t			  *dates;
	int			   i, rc;
	char			   where[20];
	struct member		   md[CYCLE_DATE__MAX];
	static const struct member m[] = { { "id", 'I', 1 }, { "year", 'I', 1 },
		{ "name", 's', 1 }, { "positions", 'I', 1 },
		{ "timezone", 's', 1 }, { "state", 's', 1 },
		{ "dates", 'o', 1 } };

	if ((rc = members(cycle, "cycle", m, NMEMBERS(m), e)) != OPS_OK)
		return (rc);
	if (json_unpack_ex((json_t *)cycle, &err, 0,
		"{s:I,s:I,s:s,s:I,s:s,s:s,s:o}", "id", &id, "year", &year,
		"name", &name, "positions", &positions, "timezone", &tz,
		"state", &state, "dates", &dates) != 0)
		return (bad(e, "cycle: %s.", err.text));
	for (i = 0; i < CYCLE_DATE__MAX; i++) {
		md[i].key = cycle_date_key((enum cycle_date)i);
		md[i].type = 's';
		md[i].required = 1;
	}
	/* Put together: lint takes any quoted name with a dot in it for an
	 * audit action, which this one is not. */
	(void)snprintf(where, sizeof(where), "%s.dates", "cycle");
	if ((rc = members(dates, where, md, CYCLE_DATE__MAX, e)) != OPS_OK)
		return (rc);
	for (i = 0; i < CYCLE_DATE__MAX; i++)
		ds[i] = json_string_value(json_object_get(dates, md[i].key));
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
	json_error_t		   err;
	json_int_t		   version, created;
	const char		  *phase;
	json_t			  *criteria;
	enum phase		   p;
	char			   msg[200], where[40];
	size_t			   i, j;
	int			   rc;
	static const struct member m[] = { { "phase", 's', 1 },
		{ "version", 'I', 1 }, { "created_at", 'I', 1 },
		{ "criteria", 'a', 1 } };

	if (!json_is_array(rubrics))
		return (bad(e, "rubrics must be an array."));
	if (limit_over(
		LIMIT_RUBRIC_VERSIONS, (int64_t)json_array_size(rubrics)))
		return (over(e, LIMIT_RUBRIC_VERSIONS, "rubrics"));
	for (i = 0; i < json_array_size(rubrics); i++) {
		(void)snprintf(where, sizeof(where), "rubrics[%zu]", i);
		if ((rc = members(json_array_get(rubrics, i), where, m,
			 NMEMBERS(m), e)) != OPS_OK)
			return (rc);
		if (json_unpack_ex(json_array_get(rubrics, i), &err, 0,
			"{s:s,s:I,s:I,s:o}", "phase", &phase, "version",
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
	struct db_phase		  *ph;
	json_error_t		   err;
	json_int_t		   closed_at, weight;
	const char		  *phase;
	json_t			  *due;
	enum phase		   p;
	size_t			   i;
	int			   closed, rc;
	char			   where[40];
	static const struct member m[] = { { "phase", 's', 1 },
		{ "scoring_due", '*', 1 }, { "closed", 'b', 1 },
		{ "closed_at", 'I', 1 }, { "weight", 'I', 1 } };

	if (!json_is_array(phases))
		return (bad(e, "phases must be an array."));
	for (i = 0; i < json_array_size(phases); i++) {
		(void)snprintf(where, sizeof(where), "phases[%zu]", i);
		if ((rc = members(json_array_get(phases, i), where, m,
			 NMEMBERS(m), e)) != OPS_OK)
			return (rc);
		if (json_unpack_ex(json_array_get(phases, i), &err, 0,
			"{s:s,s:o,s:b,s:I,s:I}", "phase", &phase, "scoring_due",
			&due, "closed", &closed, "closed_at", &closed_at,
			"weight", &weight) != 0)
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
	/* An export lists every phase with its weight; without one the new
	 * cycle would fall back on the default weights, which are not the
	 * archive's. */
	for (i = 0; i < PHASE__MAX; i++)
		if (!x->have_ph[i])
			return (bad(e,
			    "phases: the %s phase is missing (an export "
			    "lists every phase with its weight, and the "
			    "ranking cannot be rebuilt without it).",
			    phase_names[i]));
	return (OPS_OK);
}

/* The account's name: the archive's name of the candidate as shown,
 * trimmed and cut to what an account holds (at a character boundary). */
static void
cand_name(struct imp_cand *k, const char *name)
{
	size_t n;

	while (*name == ' ')
		name++;
	(void)snprintf(k->name, sizeof(k->name), "%s", name);
	n = strlen(k->name);
	while (n > 0 && (k->name[n - 1] == ' ' || !utf8_valid(k->name, n)))
		k->name[--n] = '\0';
}

/*
 * Checks a candidate's fields as the application form checks what an
 * applicant types (core/application.h): each must be a field of the
 * form, and is normalised and checked by its rules; k->fields becomes
 * the object the form would store.
 */
static int
check_fields(struct import *x, struct imp_cand *k, const json_t *fields,
    struct ops_error *e)
{
	const struct app_field *f;
	const char	       *key, *msg = NULL;
	const json_t	       *w;
	json_t		       *v, *clean, *n;
	char			label[TEXT_NAME_MAX + 40];

	if ((clean = json_object()) == NULL ||
	    json_array_append_new(x->keep, clean) != 0)
		return (OPS_ENOMEM);
	json_object_foreach((json_t *)fields, key, v)
	{
		if ((f = application_field(key)) == NULL)
			return (bad(e,
			    "%s: fields.%.60s is not a field of the "
			    "application form.",
			    cand_label(k, label, sizeof(label)), key));
		if ((w = whole(x, v)) == NULL)
			return (OPS_ENOMEM);
		switch (application_normalize(f, w, &n, &msg)) {
		case 0:
			break;
		case -1:
			return (bad(e, "%s: fields.%s: %s",
			    cand_label(k, label, sizeof(label)), key, msg));
		default:
			return (OPS_ENOMEM);
		}
		if (json_is_null(n)) {
			json_decref(n);
			continue;
		}
		if (json_object_set_new(clean, f->key, n) != 0)
			return (OPS_ENOMEM);
	}
	k->fields = clean;
	k->email = json_string_value(json_object_get(clean, "email"));
	return (OPS_OK);
}

static int
check_candidates(struct import *x, const json_t *cands, struct ops_error *e)
{
	static const struct member m[] = { { "application_id", 'I', 1 },
		{ "name", 's', 1 }, { "interviewed", 'b', 1 },
		{ "fields", 'o', 1 } };
	json_t			  *c;
	struct imp_cand		  *k;
	char			   where[TEXT_NAME_MAX + 40];
	size_t			   i, n;
	int			   rc;

	if (!json_is_array(cands))
		return (bad(e, "candidates must be an array."));
	if (limit_over(LIMIT_CANDIDATES, (int64_t)(n = json_array_size(cands))))
		return (over(e, LIMIT_CANDIDATES, "candidates"));
	if ((x->cands = calloc(n + 1, sizeof(*x->cands))) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < n; i++) {
		c = json_array_get(cands, i);
		k = &x->cands[i];
		k->at = i;
		/* The name first, so that every refusal can show it. */
		if (json_is_object(c) &&
		    json_is_string(json_object_get(c, "name")))
			cand_name(
			    k, json_string_value(json_object_get(c, "name")));
		if ((rc = members(c, cand_label(k, where, sizeof(where)), m,
			 NMEMBERS(m), e)) != OPS_OK)
			return (rc);
		if (k->name[0] != '\0' && !text_name_valid(k->name))
			return (bad(e,
			    "%s: the name must be text without control "
			    "characters.",
			    where));
		k->old =
		    json_integer_value(json_object_get(c, "application_id"));
		k->interviewed =
		    json_is_true(json_object_get(c, "interviewed"));
		if ((rc = check_fields(
			 x, k, json_object_get(c, "fields"), e)) != OPS_OK)
			return (rc);
	}
	x->ncands = n;
	qsort(x->cands, n, sizeof(*x->cands), cmp_cand);
	for (i = 1; i < n; i++)
		if (x->cands[i].old == x->cands[i - 1].old)
			return (bad(e,
			    "candidates[%zu] and candidates[%zu]: application "
			    "%lld comes twice.",
			    x->cands[i - 1].at, x->cands[i].at,
			    (long long)x->cands[i].old));
	return (OPS_OK);
}

/* The index of the rater with archive id old, or x->nraters when there
 * is none (a rater's ids come from the sheets, a few hundred at most). */
static size_t
rater_find(const struct import *x, int64_t old)
{
	size_t r;

	for (r = 0; r < x->nraters; r++)
		if (x->raters[r].old == old)
			break;
	return (r);
}

/* The index of rater id named name, added when new. */
static int
rater_of(struct import *x, size_t i, int64_t id, const char *name, size_t *out,
    struct ops_error *e)
{
	size_t r = rater_find(x, id);

	if (r < x->nraters) {
		if (strcmp(x->raters[r].name, name) != 0)
			return (bad(e,
			    "sheets[%zu]: rater_id %lld is named both "
			    "\"%.40s\" and \"%.40s\" in the sheets.",
			    i, (long long)id, x->raters[r].name, name));
		*out = r;
		return (OPS_OK);
	}
	if (!text_name_valid(name))
		return (bad(e,
		    "sheets[%zu]: rater_name must be 1 to 200 characters "
		    "of text (rater %lld).",
		    i, (long long)id));
	if (limit_over(LIMIT_RATERS, (int64_t)x->nraters + 1))
		return (over(e, LIMIT_RATERS, "sheets"));
	x->raters[r].old = id;
	x->raters[r].name = name;
	x->nraters++;
	*out = r;
	return (OPS_OK);
}

/* "sheets[4] (Tanvi Hoffmann, by Dr. Lee, interview)". */
static const char *
sheet_label(
    const struct import *x, const struct imp_sheet *s, char *buf, size_t len)
{
	(void)snprintf(buf, len, "sheets[%zu] (%s, by %s, %s)", s->at,
	    x->cands[s->cand].name[0] != '\0' ? x->cands[s->cand].name
					      : "a candidate without a name",
	    x->raters[s->rater].name, phase_names[s->phase]);
	return (buf);
}

static int
check_sheets(struct import *x, const json_t *sheets, struct ops_error *e)
{
	static const struct member m[] = { { "phase", 's', 1 },
		{ "application_id", 'I', 1 }, { "rater_id", 'I', 1 },
		{ "rater_name", 's', 1 }, { "rubric_version", 'I', 1 },
		{ "values", 'o', 1 }, { "comment", 's', 1 },
		{ "submitted_at", 'I', 1 }, { "updated_at", 'I', 1 } };
	struct imp_sheet	  *s;
	json_error_t		   err;
	json_int_t		   app, rater, version, submitted, updated;
	const char		  *phase, *rname, *comment, *why, *key;
	const json_t		  *w;
	json_t			  *values, *v, *clean;
	char   where[2 * TEXT_NAME_MAX + 80], field[64], msg[200];
	size_t i, n, r;
	long   k;
	int    rc;

	if (!json_is_array(sheets))
		return (bad(e, "sheets must be an array."));
	if (limit_over(LIMIT_SHEETS, (int64_t)(n = json_array_size(sheets))))
		return (over(e, LIMIT_SHEETS, "sheets"));
	if ((x->sheets = calloc(n + 1, sizeof(*x->sheets))) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < n; i++) {
		s = &x->sheets[i];
		s->at = i;
		(void)snprintf(where, sizeof(where), "sheets[%zu]", i);
		if ((rc = members(json_array_get(sheets, i), where, m,
			 NMEMBERS(m), e)) != OPS_OK)
			return (rc);
		if (json_unpack_ex(json_array_get(sheets, i), &err, 0,
			"{s:s,s:I,s:I,s:s,s:I,s:o,s:s,s:I,s:I}", "phase",
			&phase, "application_id", &app, "rater_id", &rater,
			"rater_name", &rname, "rubric_version", &version,
			"values", &values, "comment", &comment, "submitted_at",
			&submitted, "updated_at", &updated) != 0)
			return (bad(e, "%s: %s.", where, err.text));
		if (phase_parse(phase, &s->phase) != 0)
			return (bad(e, "%s: phase \"%.40s\" is not a phase.",
			    where, phase));
		if ((k = cand_find(x, app)) < 0)
			return (bad(e,
			    "%s: application_id %lld is not among the "
			    "candidates.",
			    where, (long long)app));
		s->cand = (size_t)k;
		if ((rc = rater_of(x, i, rater, rname, &s->rater, e)) != OPS_OK)
			return (rc);
		sheet_label(x, s, where, sizeof(where));
		for (r = 0; r < x->nrubrics; r++)
			if (x->rubrics[r].phase == s->phase &&
			    x->rubrics[r].version == version)
				break;
		if (r == x->nrubrics)
			return (bad(e,
			    "%s: rubric_version %lld: there is no %s rubric "
			    "of that version.",
			    where, (long long)version, phase));
		s->rubric = r;
		/* A score written 4.0 is the whole number 4. */
		if ((clean = json_object()) == NULL ||
		    json_array_append_new(x->keep, clean) != 0)
			return (OPS_ENOMEM);
		json_object_foreach(values, key, v)
		{
			if ((w = whole(x, v)) == NULL ||
			    json_object_set(clean, key, (json_t *)w) != 0)
				return (OPS_ENOMEM);
		}
		if (rubric_check_values(x->rubrics[r].criteria, clean, 1, field,
			sizeof(field), msg, sizeof(msg)) != 0)
			return (bad(e, "%s: values%s%s: %s", where,
			    field[0] != '\0' ? "." : "", field, msg));
		if (comment[0] != '\0' &&
		    text_plain(comment, 1, SHEET_COMMENT_MAX, &why) != 0)
			return (bad(e, "%s: comment: %s", where, why));
		if (updated <= 0)
			return (bad(e,
			    "%s: updated_at must be a time (seconds since "
			    "1970).",
			    where));
		s->values = clean;
		s->comment = comment;
		s->submitted_at = submitted > 0 ? submitted : updated;
		s->updated_at = updated;
	}
	x->nsheets = n;
	return (OPS_OK);
}

/* Pairs of an archive application id and a rater id. */
static int
cmp_pair(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	if (x[0] != y[0])
		return (x[0] < y[0] ? -1 : 1);
	return (x[1] < y[1] ? -1 : x[1] > y[1]);
}

/* The archive's recorded conflicts of interest: pairs of a candidate
 * and a rater (the rater may have no sheets), sorted for conflicted(). */
static int
check_conflicts(struct import *x, const json_t *list, struct ops_error *e)
{
	static const struct member m[] = { { "application_id", 'I', 1 },
		{ "rater_id", 'I', 1 } };
	const json_t		  *c;
	char			   where[40];
	size_t			   i, n;
	int			   rc;

	if (list == NULL)
		return (OPS_OK);
	if (!json_is_array(list))
		return (bad(e, "conflicts must be an array."));
	n = json_array_size(list);
	if (limit_over(LIMIT_SHEETS, (int64_t)n))
		return (over(e, LIMIT_SHEETS, "conflicts"));
	if ((x->conflicts = calloc(2 * n + 1, sizeof(int64_t))) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < n; i++) {
		c = json_array_get(list, i);
		(void)snprintf(where, sizeof(where), "conflicts[%zu]", i);
		if ((rc = members(c, where, m, NMEMBERS(m), e)) != OPS_OK)
			return (rc);
		x->conflicts[2 * i] =
		    json_integer_value(json_object_get(c, "application_id"));
		x->conflicts[2 * i + 1] =
		    json_integer_value(json_object_get(c, "rater_id"));
		if (cand_find(x, x->conflicts[2 * i]) < 0)
			return (bad(e,
			    "%s: application_id %lld is not among the "
			    "candidates.",
			    where, (long long)x->conflicts[2 * i]));
	}
	x->nconflicts = n;
	x->have_conflicts = 1;
	qsort(x->conflicts, n, 2 * sizeof(int64_t), cmp_pair);
	return (OPS_OK);
}

/* Whether the archive records a conflict between sheet s's pair (the
 * pairs sorted by check_conflicts()). */
static int
conflicted(const struct import *x, const struct imp_sheet *s)
{
	int64_t key[2] = { x->cands[s->cand].old, x->raters[s->rater].old };

	return (x->nconflicts > 0 &&
	    bsearch(key, x->conflicts, x->nconflicts, 2 * sizeof(int64_t),
		cmp_pair) != NULL);
}

/* The sheets by candidate, rater, phase (after sort_sheets()): the
 * index of the one of candidate c, rater r in phase p, or -1. */
static long
sheet_find(const struct import *x, size_t c, size_t r, enum phase p)
{
	struct imp_sheet key, *k;

	memset(&key, 0, sizeof(key));
	key.cand = c;
	key.rater = r;
	key.phase = p;
	k = bsearch(&key, x->sheets, x->nsheets, sizeof(*x->sheets), cmp_sheet);
	return (k != NULL ? (long)(k - x->sheets) : -1);
}

/*
 * Reads the archive's ranking against its sheets. The ranking lists, per
 * candidate and phase, the raters whose sheets counted and the score of
 * each. A sheet the ranking left out must be one the archive's
 * conflicts explain (ops/ranking.c leaves a conflicted rater's sheets
 * out), a sheet it counted must not be, must give the score the ranking
 * shows, and every score must have its sheet: anything else means the
 * sheets were edited and the ranking was not, and the import would not
 * give the archive's ranking. Without a ranking, the conflicts alone say
 * which sheets count.
 */
static int
check_ranking(struct import *x, const json_t *ranking, struct ops_error *e)
{
	const json_t *cands = json_object_get(ranking, "candidates");
	const json_t *ph, *scores, *sc, *id;
	size_t	     *of = NULL, i, m, r, none = (size_t)-1;
	char	      where[2 * TEXT_NAME_MAX + 80];
	double	      w;
	long	      k, at;
	int	      rc = OPS_OK, said, conflict, p;

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
	for (i = 0; i < x->nsheets && rc == OPS_OK; i++) {
		struct imp_sheet *s = &x->sheets[i];

		sheet_label(x, s, where, sizeof(where));
		conflict = conflicted(x, s);
		ph = of[s->cand] == none
		    ? NULL
		    : json_object_get(
			  json_object_get(
			      json_array_get(cands, of[s->cand]), "phases"),
			  phase_names[s->phase]);
		said = json_is_object(ph) || json_is_null(ph);
		s->counted = !said && !conflict;
		scores = json_object_get(ph, "scores");
		for (m = 0; said && m < json_array_size(scores); m++) {
			sc = json_array_get(scores, m);
			if (json_integer_value(json_object_get(
				sc, "rater_id")) != x->raters[s->rater].old)
				continue;
			s->counted = 1;
			s->score =
			    json_number_value(json_object_get(sc, "score"));
		}
		if (s->counted && conflict && said)
			rc = bad(e,
			    "%s: the archive's ranking counts this sheet "
			    "despite a recorded conflict of interest: the "
			    "archive's ranking does not match its sheets.",
			    where);
		else if (!s->counted && !conflict)
			rc = bad(e,
			    "%s: the archive's ranking leaves this sheet out, "
			    "and %s explains it: the archive's ranking does "
			    "not match its sheets.",
			    where,
			    x->have_conflicts ? "no recorded conflict of "
						"interest"
					      : "no list of conflicts of "
						"interest");
		else if (s->counted && said) {
			w = rubric_weighted(
			    x->rubrics[s->rubric].criteria, s->values);
			if (fabs(round(w * 100.0) / 100.0 - s->score) > 0.005)
				rc = bad(e,
				    "%s: its values give %.2f, the archive's "
				    "ranking shows %.2f: the archive's "
				    "ranking does not match its sheets.",
				    where, w, s->score);
		}
		s->excluded = !s->counted;
	}
	/* Every score the ranking shows has its sheet. */
	for (i = 0; i < x->ncands && rc == OPS_OK; i++) {
		if (of[i] == none)
			continue;
		for (p = 0; p < PHASE__MAX && rc == OPS_OK; p++) {
			scores = json_object_get(
			    json_object_get(
				json_object_get(
				    json_array_get(cands, of[i]), "phases"),
				phase_names[p]),
			    "scores");
			for (m = 0; m < json_array_size(scores); m++) {
				id = json_object_get(
				    json_array_get(scores, m), "rater_id");
				r = rater_find(x, json_integer_value(id));
				at = r < x->nraters
				    ? sheet_find(x, i, r, (enum phase)p)
				    : -1;
				if (at >= 0)
					continue;
				rc = bad(e,
				    "%s: the archive's ranking counts a %s "
				    "sheet by rater %lld that is not among "
				    "the sheets; the archive's ranking does "
				    "not match its sheets.",
				    cand_label(
					&x->cands[i], where, sizeof(where)),
				    phase_names[p],
				    (long long)json_integer_value(id));
				break;
			}
		}
	}
	free(of);
	return (rc);
}

/* Sorts the sheets and refuses duplicates. */
static int
sort_sheets(struct import *x, struct ops_error *e)
{
	struct imp_sheet *a, *b;
	char		  where[2 * TEXT_NAME_MAX + 80];
	size_t		  i;

	if (x->sheets == NULL)
		return (OPS_OK);
	qsort(x->sheets, x->nsheets, sizeof(*x->sheets), cmp_sheet);
	for (i = 1; i < x->nsheets; i++) {
		a = &x->sheets[i - 1];
		b = &x->sheets[i];
		if (a->cand == b->cand && a->rater == b->rater &&
		    a->phase == b->phase)
			return (bad(e,
			    "%s: the same rater scored the same candidate "
			    "in the same phase in sheets[%zu] already.",
			    sheet_label(x, b, where, sizeof(where)), a->at));
	}
	return (OPS_OK);
}

/*
 * Refuses pairs whose sheets the ranking counted in one phase and not in
 * the other (a conflict leaves out both), and keeps as interviewed the
 * candidates with interview sheets that the archive says were not
 * interviewed: the sheets show they were, and leaving them off would
 * change the cycle silently.
 */
static int
check_pairs(struct import *x, struct ops_error *e)
{
	struct imp_sheet *a, *b;
	char		  where[2 * TEXT_NAME_MAX + 80];
	size_t		  i;

	for (i = 1; i < x->nsheets; i++) {
		a = &x->sheets[i - 1];
		b = &x->sheets[i];
		if (a->cand != b->cand || a->rater != b->rater)
			continue;
		if (a->excluded != b->excluded)
			return (bad(e,
			    "%s: the archive's ranking counts this rater's "
			    "sheets on this candidate in one phase only "
			    "(a conflict of interest leaves out both); the "
			    "archive's ranking does not match its sheets.",
			    sheet_label(x, b, where, sizeof(where))));
	}
	for (i = 0; i < x->nsheets; i++) {
		a = &x->sheets[i];
		if (a->phase == PHASE_INTERVIEW &&
		    !x->cands[a->cand].interviewed) {
			x->cands[a->cand].interviewed = 1;
			x->cands[a->cand].kept = 1;
		}
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
	json_error_t		   err;
	json_int_t		   id;
	const char		  *reason = "", *why;
	size_t			   j;
	long			   k;
	int			   dnr = 0, rc;
	char			   where[80];
	static const struct member m[] = { { "application_id", 'I', 1 },
		{ "do_not_rank", 'b', 0 }, { "reason", 's', 0 } };

	if (!json_is_array(entries))
		return (bad(e,
		    "ranklist_versions[%zu]: entries must be an "
		    "array.",
		    i));
	memset(seen, 0, x->ncands + 1);
	for (j = 0; j < json_array_size(entries); j++) {
		reason = "";
		dnr = 0;
		(void)snprintf(where, sizeof(where),
		    "ranklist_versions[%zu].entries[%zu]", i, j);
		if ((rc = members(json_array_get(entries, j), where, m,
			 NMEMBERS(m), e)) != OPS_OK)
			return (rc);
		if (json_unpack_ex(json_array_get(entries, j), &err, 0,
			"{s:I,s?b,s?s}", "application_id", &id, "do_not_rank",
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
		if (reason[0] != '\0' &&
		    text_plain(reason, 1, OPS_RANK_REASON_MAX, &why) != 0)
			return (bad(e,
			    "rank list version %lld: the reason for "
			    "application %lld: %s",
			    (long long)version, (long long)id, why));
	}
	return (OPS_OK);
}

/*
 * The reason a certified version gets here: the archive's hash, which
 * the new one over the new ids replaces, then its own reason. Written
 * into buf (len bytes); returns its whole length, as snprintf() does.
 */
static int
certified_reason(
    const struct import *x, const struct imp_version *v, char *buf, size_t len)
{
	return (snprintf(buf, len,
	    "Imported from an archive of cycle %lld, where this version was "
	    "certified with SHA-256 %s.%s%s",
	    (long long)x->from_cycle, v->sha256, v->reason != NULL ? " " : "",
	    v->reason != NULL ? v->reason : ""));
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
	int		    rc = OPS_OK, n_reason;
	char		    note[IMPORT_REASON_MAX + 2];
	char		    where[40];
	static const struct member m[] = { { "version", 'I', 1 },
		{ "kind", 's', 1 }, { "entries", 'a', 1 }, { "sha256", '*', 0 },
		{ "reason", '*', 0 }, { "created_by_name", 's', 1 },
		{ "created_at", 'I', 1 }, { "acknowledged", '*', 0 },
		{ "snapshot", '*', 0 } };

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
		(void)snprintf(
		    where, sizeof(where), "ranklist_versions[%zu]", i);
		if ((rc = members(json_array_get(list, i), where, m,
			 NMEMBERS(m), e)) != OPS_OK)
			break;
		if (json_unpack_ex(json_array_get(list, i), &err, 0,
			"{s:I,s:s,s:o,s?o,s?o,s:s,s:I,s?o,s?o}", "version",
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
			n_reason = certified_reason(x, v, note, sizeof(note));
			if (n_reason < 0 || n_reason > IMPORT_REASON_MAX) {
				rc = bad(e,
				    "rank list version %lld: its reason is "
				    "too long to hold the import's note.",
				    (long long)version);
				break;
			}
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
	/* A certified cycle's current list is a certified version: without
	 * one the new cycle could be neither certified (its state says it
	 * is) nor reopened (its list says it is not). */
	if (strcmp(x->c.state, "certified") == 0 &&
	    (n == 0 || strcmp(x->versions[n - 1].kind, "certified") != 0)) {
		if (n == 0)
			return (bad(e,
			    "cycle.state is \"certified\" but "
			    "ranklist_versions holds no version at all; a "
			    "certified cycle has a certified rank list, so "
			    "the new cycle could be neither certified nor "
			    "reopened."));
		return (bad(e,
		    "cycle.state is \"certified\" but the newest rank "
		    "list version (%lld) is %s, not certified; the new "
		    "cycle could be neither certified nor reopened.",
		    (long long)x->versions[n - 1].version,
		    x->versions[n - 1].kind));
	}
	return (OPS_OK);
}

/* Parses and checks the whole document into x, touching nothing. */
static int
check_doc(struct import *x, const char *text, size_t len, struct ops_error *e)
{
	static const struct member m[] = { { "format", 's', 1 },
		{ "format_version", 'I', 1 }, { "exported_at", 'I', 0 },
		{ "cycle", 'o', 1 }, { "rubrics", 'a', 1 },
		{ "phases", 'a', 1 }, { "candidates", 'a', 1 },
		{ "sheets", 'a', 1 }, { "conflicts", 'a', 0 },
		{ "ranking", '*', 0 }, { "ranklist_versions", 'a', 1 },
		/* The rank meetings, in newer exports: left out. */
		{ "meetings", '*', 0 } };
	json_error_t		   err;
	const json_t		  *ranking;
	int			   rc;

	x->rubrics = calloc(
	    (size_t)limit_max(LIMIT_RUBRIC_VERSIONS), sizeof(*x->rubrics));
	x->raters = calloc((size_t)limit_max(LIMIT_RATERS), sizeof(*x->raters));
	x->authors =
	    calloc((size_t)limit_max(LIMIT_LIST_AUTHORS), sizeof(*x->authors));
	x->keep = json_array();
	if (x->rubrics == NULL || x->raters == NULL || x->authors == NULL ||
	    x->keep == NULL)
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
	if ((rc = members(x->doc, "the document", m, NMEMBERS(m), e)) != OPS_OK)
		return (rc);
	ranking = json_object_get(x->doc, "ranking");
	if (ranking != NULL && !json_is_object(ranking) &&
	    !json_is_null(ranking))
		return (bad(e, "the document: ranking must be an object."));
	if ((rc = check_cycle(x, json_object_get(x->doc, "cycle"), e)) !=
		OPS_OK ||
	    (rc = check_rubrics(x, json_object_get(x->doc, "rubrics"), e)) !=
		OPS_OK ||
	    (rc = check_phases(x, json_object_get(x->doc, "phases"), e)) !=
		OPS_OK ||
	    (rc = check_candidates(
		 x, json_object_get(x->doc, "candidates"), e)) != OPS_OK ||
	    (rc = check_sheets(x, json_object_get(x->doc, "sheets"), e)) !=
		OPS_OK ||
	    (rc = check_conflicts(
		 x, json_object_get(x->doc, "conflicts"), e)) != OPS_OK ||
	    (rc = sort_sheets(x, e)) != OPS_OK ||
	    (rc = check_ranking(x, ranking, e)) != OPS_OK ||
	    (rc = check_pairs(x, e)) != OPS_OK)
		return (rc);
	return (
	    check_versions(x, json_object_get(x->doc, "ranklist_versions"), e));
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
	free(x->conflicts);
	json_decref(x->keep);
	json_decref(x->claimable_at);
	json_decref(x->doc);
}

/* Creates a disabled account without a password, with its "user.import"
 * record (claimable: made with the person's own address, which a password
 * reset to that address claims; ops/accounts.c). */
static int
new_user(struct db *db, const struct import *x, const char *email,
    const char *name, const char *role, int claimable, int64_t *id,
    struct ops_error *e)
{
	struct db_user u;
	int	       rc;

	if ((rc = db_user_by_email(db, email, &u)) != 0)
		return (rc < 0 ? rc
			       : ops_refuse(e, OPS_CONFLICT, NULL,
				     "An account for an imported person "
				     "exists already; nothing was imported."));
	if ((rc = db_user_insert(db, email, name, role, NULL, id)) != 0 ||
	    (rc = db_user_set_disabled(db, *id, 1)) != 0 ||
	    (claimable && (rc = db_user_set_claimable(db, *id, 1)) != 0))
		return (rc);
	/* Staff of the imported cycle have their role in its program. */
	if (strcmp(role, "applicant") != 0 &&
	    (rc = db_membership_set(db, *id, x->c.program_id, role)) != 0)
		return (rc);
	return (ops_audit_in(db, 0, x->c.program_id, "user.import", "user", *id,
	    json_pack("{s:I,s:s,s:b}", "cycle", (json_int_t)x->c.id, "role",
		role, "claimable", claimable)));
}

/* The "Archive import" account, made on first need. */
static int
archive_user(struct db *db, struct import *x, struct ops_error *e)
{
	char email[DB_EMAIL_MAX];

	if (x->archive_user != 0)
		return (OPS_OK);
	(void)snprintf(email, sizeof(email),
	    "imported-%lld-archive" OPS_IMPORT_PLACEHOLDER, (long long)x->c.id);
	return (new_user(db, x, email, "Archive import", "coordinator", 0,
	    &x->archive_user, e));
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
	char		*fields, email[DB_EMAIL_MAX], name[DB_NAME_MAX];
	size_t		 i;
	int		 rc, own;

	for (i = 0; i < x->ncands; i++) {
		k = &x->cands[i];
		/* The candidate's own address when it is free here: its
		 * owner may claim the account (ops/accounts.c). */
		own = 0;
		if (k->email != NULL && text_email_valid(k->email)) {
			if ((rc = db_user_by_email(db, k->email, &u)) < 0)
				return (rc);
			own = rc == 0;
		}
		if (own)
			(void)snprintf(email, sizeof(email), "%s", k->email);
		else
			(void)snprintf(email, sizeof(email),
			    "imported-%lld-%zu" OPS_IMPORT_PLACEHOLDER,
			    (long long)x->c.id, i + 1);
		if (own) {
			x->claimable++;
			if (json_array_append_new(
				x->claimable_at, json_string(email)) != 0)
				return (OPS_ENOMEM);
		} else
			x->placeholders++;
		/* The name the archive shows for the candidate. */
		if (k->name[0] != '\0')
			(void)snprintf(name, sizeof(name), "%s", k->name);
		else
			(void)snprintf(name, sizeof(name),
			    "Imported candidate %zu", i + 1);
		if ((rc = new_user(db, x, email, name, "applicant", own,
			 &k->user, e)) != OPS_OK)
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

/* Records a conflict of application app with rater, once. */
static int
record_conflict(struct db *db, struct import *x, int64_t app, int64_t rater,
    int *conflicts, struct ops_error *e)
{
	int rc;

	if ((rc = db_conflict_exists(db, app, rater)) != 0)
		return (rc < 0 ? rc : OPS_OK);
	if ((rc = archive_user(db, x, e)) != OPS_OK ||
	    (rc = db_conflict_insert(db, app, rater, "conflict",
		 "Imported: the archive records a conflict of interest "
		 "between this rater and the candidate.",
		 x->archive_user, NULL)) != 0)
		return (rc);
	(*conflicts)++;
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
	/* check_phases() made sure that every phase is there. */
	for (p = 0; p < PHASE__MAX; p++) {
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
		    "imported-rater-%lld-%zu" OPS_IMPORT_PLACEHOLDER,
		    (long long)x->c.id, i + 1);
		rc = new_user(db, x, email, x->raters[order[i]].name, "faculty",
		    0, &x->raters[order[i]].user, e);
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
		if ((rc = record_conflict(db, x, sh.application_id, sh.rater_id,
			 conflicts, e)) != OPS_OK)
			return (rc);
	}
	/* The archive's other conflicts of its raters, so that they stay
	 * as they were. */
	for (i = 0; i < x->nconflicts; i++) {
		/* check_conflicts() found every candidate. */
		long   k = cand_find(x, x->conflicts[2 * i]);
		size_t r = rater_find(x, x->conflicts[2 * i + 1]);

		if (r == x->nraters)
			continue; /* a rater without sheets: not here */
		if ((rc = record_conflict(db, x, x->cands[k].app,
			 x->raters[r].user, conflicts, e)) != OPS_OK)
			return (rc);
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
	int		    rc;

	for (i = 0; i < x->nauthors; i++) {
		a = &x->authors[i];
		(void)snprintf(email, sizeof(email),
		    "imported-staff-%lld-%zu" OPS_IMPORT_PLACEHOLDER,
		    (long long)x->c.id, i + 1);
		if ((rc = new_user(db, x, email, a->name,
			 a->director ? "director" : "coordinator", 0, &a->user,
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
			if (json_array_append_new(entries,
				json_pack("{s:I,s:b,s:s}", "application_id",
				    (json_int_t)x->cands[k].app, "do_not_rank",
				    json_is_true(
					json_object_get(it, "do_not_rank")),
				    "reason", why != NULL ? why : "")) != 0) {
				json_decref(entries);
				return (OPS_ENOMEM);
			}
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
			/* It fits: check_versions() measured it. */
			(void)certified_reason(
			    x, v, r.reason, sizeof(r.reason));
			if (json_array_append_new(certified,
				json_pack("{s:I,s:s,s:s}", "version",
				    (json_int_t)v->version, "archived_sha256",
				    v->sha256, "sha256", r.sha256)) != 0) {
				free(r.entries);
				return (OPS_ENOMEM);
			}
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
ops_import_placeholder(const char *email)
{
	size_t n = strlen(email), p = sizeof(OPS_IMPORT_PLACEHOLDER) - 1;

	return (
	    n >= p && strcasecmp(email + n - p, OPS_IMPORT_PLACEHOLDER) == 0);
}

void
ops_import_result_clear(struct ops_import_result *r)
{
	if (r == NULL)
		return;
	json_decref(r->kept);
	json_decref(r->claimable_at);
	r->kept = NULL;
	r->claimable_at = NULL;
}

/* The names of the candidates kept as interviewed (check_pairs()), in
 * the archive's order; NULL when out of memory. */
static json_t *
kept_names(const struct import *x)
{
	size_t *by_at; /* by_at[n]: the index of the archive's candidate n */
	json_t *names = json_array();
	size_t	i;

	if ((by_at = calloc(x->ncands + 1, sizeof(size_t))) == NULL) {
		json_decref(names);
		return (NULL);
	}
	for (i = 0; i < x->ncands; i++)
		by_at[x->cands[i].at] = i;
	for (i = 0; names != NULL && i < x->ncands; i++)
		if (x->cands[by_at[i]].kept &&
		    json_array_append_new(
			names, json_string(x->cands[by_at[i]].name)) != 0) {
			json_decref(names);
			names = NULL;
		}
	free(by_at);
	return (names);
}

/* Refuses an archive imported before, naming that import, unless the
 * operator asked for it again (*earlier: that cycle, or 0). */
static int
check_again(struct db *db, const char *sha, int force, int64_t *earlier,
    struct ops_error *e)
{
	char at[64];
	int  rc;

	*earlier = 0;
	if ((rc = db_audit_import_find(db, sha, earlier, at, sizeof(at))) <= 0)
		return (rc);
	if (force)
		return (OPS_OK);
	(void)bad(e,
	    "this archive (SHA-256 %.12s...) was imported already, as cycle "
	    "%lld on %.24s; nothing was imported. To import it again on "
	    "purpose, use --force.",
	    sha, (long long)*earlier, at);
	return (OPS_CONFLICT);
}

int
ops_cycle_import(struct db *db, struct ops_actor actor, const char *text,
    size_t len, const char *source, const struct ops_import_options *opt,
    int64_t now, struct ops_import_result *out, struct ops_error *e)
{
	struct import x;
	unsigned char h[crypto_hash_sha256_BYTES];
	json_t	     *certified = NULL;
	int64_t	      earlier = 0;
	int	      rc, conflicts = 0;

	memset(&x, 0, sizeof(x));
	memset(out, 0, sizeof(*out));
	if (len > OPS_IMPORT_MAX) {
		rc = bad(
		    e, "the file is larger than %ld MB.", OPS_IMPORT_MAX >> 20);
		goto out;
	}
	/* The archive is known by the SHA-256 of its text. */
	crypto_hash_sha256(h, (const unsigned char *)text, len);
	(void)sodium_bin2hex(out->sha256, sizeof(out->sha256), h, sizeof(h));
	if ((rc = check_doc(&x, text, len, e)) != OPS_OK)
		goto out;
	if ((certified = json_array()) == NULL ||
	    (x.claimable_at = json_array()) == NULL ||
	    (out->kept = kept_names(&x)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = db_begin(db)) != 0)
		goto out;
	rc = check_again(db, out->sha256, opt->force, &earlier, e);
	/* A new cycle of the actor's program (the operator's: the one
	 * named, else the installation's first). */
	x.c.program_id = actor.program > 0 ? actor.program : DB_PROGRAM_ID;
	/* A cycle starts in setup in the schema's eyes; set its state. */
	if (rc == OPS_OK && (rc = db_cycle_insert(db, &x.c, &x.c.id)) == 0)
		rc = db_cycle_update(db, &x.c);
	if (rc == 0)
		rc = write_cands(db, &x, now, e);
	if (rc == OPS_OK)
		rc = write_review(db, &x, &conflicts, e);
	if (rc == OPS_OK)
		rc = write_versions(db, &x, certified, e);
	if (rc == OPS_OK)
		rc = ops_audit(db, actor.id, "cycle.import", "cycle", x.c.id,
		    json_pack("{s:s,s:s,s:I,s:i,s:i,s:i,s:i,s:i,s:O,s:i,s:i,"
			      "s:O,s:b,s:I}",
			"source", source != NULL ? source : "", "sha256",
			out->sha256, "from_cycle", (json_int_t)x.from_cycle,
			"candidates", (int)x.ncands, "raters", (int)x.nraters,
			"sheets", (int)x.nsheets, "ranklist_versions",
			(int)x.nversions, "conflicts", conflicts, "certified",
			certified, "claimable", x.claimable, "placeholders",
			x.placeholders, "kept_interviewed", out->kept, "forced",
			earlier != 0, "earlier_cycle", (json_int_t)earlier));
	/* A dry run does all of it, then keeps none of it. */
	if (rc == OPS_OK && opt->dry_run)
		(void)ops_finish(db, OPS_CONFLICT);
	else if ((rc = ops_finish(db, rc)) != OPS_OK)
		goto out;
	out->cycle = x.c.id;
	out->from_cycle = x.from_cycle;
	(void)snprintf(out->name, sizeof(out->name), "%s", x.c.name);
	out->candidates = (int)x.ncands;
	out->raters = (int)x.nraters;
	out->sheets = (int)x.nsheets;
	out->versions = (int)x.nversions;
	out->conflicts = conflicts;
	out->claimable = x.claimable;
	out->placeholders = x.placeholders;
	out->claimable_at = json_incref(x.claimable_at);
	out->earlier_cycle = earlier;
out:
	if (rc != OPS_OK)
		ops_import_result_clear(out);
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
    const struct ops_import_options *opt, int64_t now,
    struct ops_import_result *out, struct ops_error *e)
{
	char  *text;
	size_t len = 0;
	int    rc;

	memset(out, 0, sizeof(*out));
	if ((rc = read_file(path, &text, &len, e)) != OPS_OK)
		return (rc);
	rc = ops_cycle_import(db, actor, text, len, path, opt, now, out, e);
	free(text);
	return (rc);
}
