/*
 * The ranking: the submitted sheets of each phase are loaded and scored
 * (each with the rubric version it was scored on), run through the
 * aggregation, and ranked over the phases by the policy of
 * core/aggregate.h (composite, tie rule, method flag), within the limits
 * of core/limits.h. Candidates are the cycle's submitted applications,
 * numbered in application id order (which is how the policy's ties go to
 * the lower application id); the rank list's pool is those invited to
 * interview (or, before any invitation, every candidate with a sheet).
 *
 * A build also keeps a digest of what it was read from (its basis), so
 * that a write built on it can check, inside its transaction, that
 * nothing it relies on has changed meanwhile (ranking_check()).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/access.h"
#include "core/aggregate.h"
#include "core/gzip.h"
#include "core/limits.h"
#include "core/ranklist.h"
#include "core/rubric.h"
#include "ops/common.h"
#include "ops/ranking.h"
#include "ops/ranking_int.h"
#include "ops/review_int.h"

/* The rows a build or a check reads, and what they become. */
struct load {
	struct db      *db;
	struct ranking *r; /* NULL when only the basis is wanted */
	enum phase	phase;
	enum limit	over; /* the limit passed, or LIMIT__MAX */
	int		enomem;
	/* The basis: every row the ranking depends on. */
	int64_t *apps; /* pairs: id, version (in id order) */
	size_t	 napps, capapps;
	int64_t *invited; /* application ids */
	size_t	 ninvited, capinvited;
	int64_t *conflicts; /* pairs: application, rater */
	size_t	 nconflicts, capconflicts;
	int64_t *sheets; /* triples: phase, id, version */
	size_t	 nsheets, capsheets;
	int	 weights[PHASE__MAX];
	int	 positions;
	/* A build's working state. */
	int64_t *rubric_ids; /* the rubrics met, and their criteria */
	json_t **rubrics;
	int	 nrubrics, caprubrics;
	int64_t *rater_order; /* pairs: rater id, index; sorted by id */
};

/* Appends k values to a growing array of int64_t; -1 when out of
 * memory. */
static int
push(int64_t **a, size_t *n, size_t *cap, size_t k, const int64_t *v)
{
	int64_t *grown;
	size_t	 c;

	if (*n + k > *cap) {
		c = *cap ? *cap * 2 : 256;
		while (c < *n + k)
			c *= 2;
		if ((grown = reallocarray(*a, c, sizeof(**a))) == NULL)
			return (-1);
		*a = grown;
		*cap = c;
	}
	memcpy(*a + *n, v, k * sizeof(*v));
	*n += k;
	return (0);
}

/* Stops a listing: out of memory, or past limit l. */
static int
stop_nomem(struct load *x)
{
	x->enomem = 1;
	return (1);
}

static int
stop_over(struct load *x, enum limit l)
{
	x->over = l;
	return (1);
}

static int
add_app(void *arg, const struct db_application *a)
{
	struct load	 *x = arg;
	struct ranking	 *r = x->r;
	struct rank_cand *c, *grown;
	json_t		 *f;
	const char	 *fn, *ln;
	int64_t		  pair[2] = { a->id, a->version };
	int		  cap;

	if (limit_over(LIMIT_CANDIDATES, (int64_t)x->napps / 2 + 1))
		return (stop_over(x, LIMIT_CANDIDATES));
	if (push(&x->apps, &x->napps, &x->capapps, 2, pair) != 0)
		return (stop_nomem(x));
	if (r == NULL)
		return (0);
	if (r->ncands == r->capcands) {
		cap = r->capcands ? r->capcands * 2 : 64;
		if ((grown = reallocarray(
			 r->cands, (size_t)cap, sizeof(*grown))) == NULL)
			return (stop_nomem(x));
		r->cands = grown;
		r->capcands = cap;
	}
	c = &r->cands[r->ncands];
	memset(c, 0, sizeof(*c));
	c->app = a->id;
	c->composite = NAN;
	if ((f = json_loads(a->fields, 0, NULL)) == NULL)
		return (stop_nomem(x));
	r->ncands++;
	fn = json_string_value(json_object_get(f, "first_name"));
	ln = json_string_value(json_object_get(f, "last_name"));
	(void)snprintf(c->name, sizeof(c->name), "%s%s%s", fn ? fn : "",
	    fn && *fn && ln && *ln ? " " : "", ln ? ln : "");
	c->fields = f;
	return (0);
}

int
ranking_cand_index(const struct ranking *r, int64_t app)
{
	int lo = 0, hi = r->ncands - 1, mid;

	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		if (r->cands[mid].app == app)
			return (mid);
		if (r->cands[mid].app < app)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return (-1);
}

static int
pair_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	if (x[0] != y[0])
		return (x[0] < y[0] ? -1 : 1);
	return ((x[1] > y[1]) - (x[1] < y[1]));
}

static int
id_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	return ((*x > *y) - (*x < *y));
}

/* The index of rater id (named name), added when new; -1 past the
 * limit or out of memory (x says which). */
static int
rater_index(struct load *x, int64_t id, const char *name)
{
	struct ranking	  *r = x->r;
	struct rank_rater *grown;
	int64_t		  *order, *at, key[2] = { id, 0 };
	size_t		   lo = 0, hi = (size_t)r->nraters, mid;
	int		   cap;

	/* Binary search of the sorted (id, index) pairs. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (x->rater_order[2 * mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < (size_t)r->nraters && x->rater_order[2 * lo] == id)
		return ((int)x->rater_order[2 * lo + 1]);
	if (limit_over(LIMIT_RATERS, (int64_t)r->nraters + 1)) {
		x->over = LIMIT_RATERS;
		return (-1);
	}
	if (r->nraters == r->capraters) {
		cap = r->capraters ? r->capraters * 2 : 16;
		grown = reallocarray(r->raters, (size_t)cap, sizeof(*grown));
		order = grown == NULL ? NULL
				      : reallocarray(x->rater_order,
					    2 * (size_t)cap, sizeof(*order));
		if (grown != NULL)
			r->raters = grown;
		if (order == NULL) {
			x->enomem = 1;
			return (-1);
		}
		x->rater_order = order;
		r->capraters = cap;
	}
	at = x->rater_order + 2 * lo;
	memmove(at + 2, at, 2 * ((size_t)r->nraters - lo) * sizeof(*at));
	key[1] = r->nraters;
	memcpy(at, key, sizeof(key));
	r->raters[r->nraters].id = id;
	(void)snprintf(r->raters[r->nraters].name,
	    sizeof(r->raters[r->nraters].name), "%s", name);
	return (r->nraters++);
}

/* The criteria of rubric id, cached (a cycle has a few versions); NULL
 * past the limit or out of memory (x says which) or on a database
 * error. */
static const json_t *
criteria_of(struct load *x, int64_t id)
{
	struct db_rubric rb;
	int64_t		*ids;
	json_t	       **crit;
	int		 i, cap;

	for (i = 0; i < x->nrubrics; i++)
		if (x->rubric_ids[i] == id)
			return (x->rubrics[i]);
	if (limit_over(LIMIT_RUBRIC_VERSIONS, (int64_t)x->nrubrics + 1)) {
		x->over = LIMIT_RUBRIC_VERSIONS;
		return (NULL);
	}
	if (x->nrubrics == x->caprubrics) {
		cap = x->caprubrics ? x->caprubrics * 2 : 4;
		ids = reallocarray(x->rubric_ids, (size_t)cap, sizeof(*ids));
		if (ids != NULL)
			x->rubric_ids = ids;
		crit = reallocarray(x->rubrics, (size_t)cap, sizeof(json_t *));
		if (crit != NULL)
			x->rubrics = crit;
		if (ids == NULL || crit == NULL) {
			x->enomem = 1;
			return (NULL);
		}
		x->caprubrics = cap;
	}
	if (db_rubric_by_id(x->db, id, &rb) != 1)
		return (NULL);
	x->rubric_ids[x->nrubrics] = id;
	x->rubrics[x->nrubrics] = json_loads(rb.criteria, 0, NULL);
	db_rubric_clear(&rb);
	if (x->rubrics[x->nrubrics] == NULL) {
		x->enomem = 1;
		return (NULL);
	}
	return (x->rubrics[x->nrubrics++]);
}

/* Keeps a recorded conflict: a sheet of that pair does not count. */
static int
add_conflict(void *arg, const struct db_conflict *c)
{
	struct load *x = arg;
	int64_t	     pair[2] = { c->application_id, c->faculty_id };

	if (push(&x->conflicts, &x->nconflicts, &x->capconflicts, 2, pair) != 0)
		return (stop_nomem(x));
	return (0);
}

static int
add_invitation(void *arg, const struct db_invitation *i)
{
	struct load *x = arg;

	if (push(&x->invited, &x->ninvited, &x->capinvited, 1,
		&i->application_id) != 0)
		return (stop_nomem(x));
	return (0);
}

static int
conflicted(const struct load *x, int64_t app, int64_t rater)
{
	int64_t key[2] = { app, rater };

	return (x->nconflicts > 0 &&
	    bsearch(key, x->conflicts, x->nconflicts / 2, 2 * sizeof(int64_t),
		pair_cmp) != NULL);
}

static int
add_sheet(void *arg, const struct db_sheet *s)
{
	struct load	  *x = arg;
	struct ranking	  *r = x->r;
	struct rank_phase *ph;
	const json_t	  *crit;
	json_t		  *values;
	double		   w;
	int64_t		   triple[3] = { x->phase, s->id, s->version };
	int		   ci, ri;

	if (limit_over(LIMIT_SHEETS, (int64_t)x->nsheets / 3 + 1))
		return (stop_over(x, LIMIT_SHEETS));
	if (push(&x->sheets, &x->nsheets, &x->capsheets, 3, triple) != 0)
		return (stop_nomem(x));
	if (r == NULL)
		return (0);
	ph = &r->phases[x->phase];
	if ((ci = ranking_cand_index(r, s->application_id)) < 0)
		return (0); /* withdrawn since: not a candidate */
	if (conflicted(x, s->application_id, s->rater_id))
		return (0);
	if ((crit = criteria_of(x, s->rubric_id)) == NULL)
		return (x->over != LIMIT__MAX || x->enomem ? 1 : DB_ERROR);
	if ((values = json_loads(s->values, 0, NULL)) == NULL)
		return (stop_nomem(x));
	w = rubric_weighted(crit, values);
	json_decref(values);
	if (w < 0)
		return (0); /* incomplete: cannot happen for submitted */
	if ((ri = rater_index(x, s->rater_id, s->rater_name)) < 0)
		return (1);
	if (ph->nsheets == ph->cap) {
		size_t		  cap = ph->cap ? ph->cap * 2 : 256;
		struct agg_sheet *grown;

		grown = reallocarray(ph->sheets, cap, sizeof(*grown));
		if (grown == NULL)
			return (stop_nomem(x));
		ph->sheets = grown;
		ph->cap = cap;
	}
	ph->sheets[ph->nsheets].cand = ci;
	ph->sheets[ph->nsheets].rater = ri;
	ph->sheets[ph->nsheets].score = w;
	ph->nsheets++;
	return (0);
}

static void
load_free(struct load *x)
{
	int i;

	for (i = 0; i < x->nrubrics; i++)
		json_decref(x->rubrics[i]);
	free(x->rubric_ids);
	free(x->rubrics);
	free(x->apps);
	free(x->invited);
	free(x->conflicts);
	free(x->sheets);
	free(x->rater_order);
}

/*
 * Reads every row the ranking depends on into x (and, when x->r is set,
 * the ranking's candidates, raters and sheets). Returns OPS_OK,
 * OPS_NOT_FOUND, OPS_INVALID (past a limit; e names it), OPS_ENOMEM or a
 * DB_E* code.
 */
static int
load_rows(struct load *x, int64_t cycle, struct ops_error *e)
{
	struct db_app_filter f = { 0 };
	struct db_cycle	     c;
	struct db_phase	     ph;
	char		     msg[200];
	int		     rc, p;

	x->over = LIMIT__MAX;
	if ((rc = db_cycle_by_id(x->db, cycle, &c)) != 1)
		return (rc < 0 ? rc
			       : ops_refuse(e, OPS_NOT_FOUND, NULL,
				     "There is no such cycle."));
	x->positions = (int)c.positions;
	f.status = "submitted";
	f.limit = (int)limit_max(LIMIT_CANDIDATES) + 1;
	if ((rc = db_application_list(x->db, cycle, &f, add_app, x)) < 0)
		return (rc);
	if (rc == 0 &&
	    (rc = db_invitation_list(x->db, cycle, add_invitation, x)) < 0)
		return (rc);
	/* Conflicts before sheets: each sheet is checked as it comes. */
	if (rc == 0 &&
	    (rc = db_conflict_list(x->db, cycle, 0, add_conflict, x)) < 0)
		return (rc);
	if (x->nconflicts > 0)
		qsort(x->conflicts, x->nconflicts / 2, 2 * sizeof(int64_t),
		    pair_cmp);
	for (p = 0; p < PHASE__MAX && rc == 0; p++) {
		if ((rc = review_phase_get(x->db, cycle, (enum phase)p, &ph)) !=
		    0)
			return (rc);
		x->weights[p] = (int)ph.weight;
		x->phase = (enum phase)p;
		if ((rc = db_sheet_list_cycle(
			 x->db, cycle, phase_names[p], add_sheet, x)) < 0)
			return (rc);
	}
	if (x->enomem)
		return (OPS_ENOMEM);
	if (x->over != LIMIT__MAX)
		return (ops_refuse(e, OPS_INVALID, NULL,
		    limit_message(x->over, "This cycle is too large to rank",
			msg, sizeof(msg))));
	return (OPS_OK);
}

/* Hashes a block of int64_t in a canonical byte order. */
static void
hash_ints(crypto_generichash_state *h, const int64_t *v, size_t n)
{
	unsigned char b[8];
	size_t	      i;
	int	      k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < 8; k++)
			b[k] = (unsigned char)((uint64_t)v[i] >> (8 * k));
		(void)crypto_generichash_update(h, b, sizeof(b));
	}
}

/*
 * The digest of x's basis. Invitations count only for candidates (a
 * withdrawn application's do not), and invitations and conflicts as
 * sets, so that only what changes the ranking changes the digest.
 */
static int
basis_digest(struct load *x, unsigned char out[RANK_BASIS_LEN])
{
	crypto_generichash_state h;
	int64_t			 head[2 + PHASE__MAX], count[4];
	size_t			 i, k = 0;
	int			 p;

	if (x->ninvited > 0)
		qsort(x->invited, x->ninvited, sizeof(int64_t), id_cmp);
	for (i = 0; i < x->ninvited; i++) {
		int64_t key[2] = { x->invited[i], 0 };
		size_t	lo = 0, hi = x->napps / 2, mid;

		/* apps is in id order: binary search on its ids. */
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (x->apps[2 * mid] < key[0])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < x->napps / 2 && x->apps[2 * lo] == key[0] &&
		    (k == 0 || x->invited[k - 1] != key[0]))
			x->invited[k++] = key[0];
	}
	x->ninvited = k;
	head[0] = x->positions;
	head[1] = PHASE__MAX;
	for (p = 0; p < PHASE__MAX; p++)
		head[2 + p] = x->weights[p];
	count[0] = (int64_t)x->napps;
	count[1] = (int64_t)x->ninvited;
	count[2] = (int64_t)x->nconflicts;
	count[3] = (int64_t)x->nsheets;
	if (crypto_generichash_init(&h, NULL, 0, RANK_BASIS_LEN) != 0)
		return (-1);
	hash_ints(&h, head, sizeof(head) / sizeof(head[0]));
	hash_ints(&h, count, 4);
	hash_ints(&h, x->apps, x->napps);
	hash_ints(&h, x->invited, x->ninvited);
	hash_ints(&h, x->conflicts, x->nconflicts);
	hash_ints(&h, x->sheets, x->nsheets);
	return (
	    crypto_generichash_final(&h, out, RANK_BASIS_LEN) == 0 ? 0 : -1);
}

/*
 * The memo of builds. A build is kept per thread (a worker's event loop
 * and each of its task threads has its own database connection, and a
 * build holds jansson values, whose reference counts are not atomic, so
 * a build never crosses threads), under its cycle and the change counter
 * read before its rows (migrations/014): the rows are then at least as
 * new as the counter, and while the counter has not moved since, they
 * are exactly the database's. ranking_build() hands out the kept build
 * with one more reference; ranking_free() drops one. Inside a
 * transaction nothing is kept or taken (the counter there may not be
 * committed).
 */
#define RANK_MEMO_SLOTS 4

static __thread struct ranking *memo_builds[RANK_MEMO_SLOTS];
static __thread unsigned int	memo_next;

static void
ranking_release(struct ranking *r)
{
	int i;

	if (r == NULL || --r->refs > 0)
		return;
	for (i = 0; i < r->ncands; i++)
		json_decref(r->cands[i].fields);
	for (i = 0; i < PHASE__MAX; i++) {
		agg_result_free(&r->phases[i].res);
		free(r->phases[i].sheets);
	}
	free(r->priors);
	free(r->cands);
	free(r->raters);
	free(r);
}

void
ranking_free(struct ranking *r)
{
	ranking_release(r);
}

/* The kept build of cycle at epoch, with a reference more, or NULL. */
static struct ranking *
memo_take(uint64_t serial, int64_t cycle, int64_t epoch)
{
	int i;

	if (epoch < 0)
		return (NULL);
	for (i = 0; i < RANK_MEMO_SLOTS; i++) {
		struct ranking *r = memo_builds[i];

		if (r != NULL && r->cycle == cycle && r->epoch == epoch &&
		    r->serial == serial) {
			r->refs++;
			return (r);
		}
	}
	return (NULL);
}

/* Keeps r (with a reference of the memo's own) in place of the oldest
 * build or of an older one of the same cycle. */
static void
memo_keep(struct ranking *r)
{
	int i, slot = -1;

	if (r->epoch < 0)
		return;
	for (i = 0; i < RANK_MEMO_SLOTS; i++)
		if (memo_builds[i] != NULL &&
		    memo_builds[i]->cycle == r->cycle &&
		    memo_builds[i]->serial == r->serial)
			slot = i;
	if (slot < 0)
		slot = (int)(memo_next++ % RANK_MEMO_SLOTS);
	ranking_release(memo_builds[slot]);
	r->refs++;
	memo_builds[slot] = r;
}

/*
 * The group of a phase with the most candidates (the lowest numbered of
 * equals), or -1 without groups: the one the others cannot be compared
 * with.
 */
static int
main_group(const struct agg_result *res)
{
	int *count, c, g, best = -1;

	if (res->groups < 1 ||
	    (count = calloc((size_t)res->groups, sizeof(int))) == NULL)
		return (-1);
	for (c = 0; c < res->ncands; c++)
		if (res->cands[c].group >= 0)
			count[res->cands[c].group]++;
	for (g = 0; g < res->groups; g++)
		if (best < 0 || count[g] > count[best])
			best = g;
	free(count);
	return (best);
}

/* Marks the candidates outside the main group of a phase that counts. */
static void
mark_isolated(struct ranking *r)
{
	int p, c, g;

	for (p = 0; p < PHASE__MAX; p++) {
		const struct agg_result *res = &r->phases[p].res;

		if (r->weights[p] <= 0 || res->groups < 2)
			continue;
		g = main_group(res);
		for (c = 0; c < r->ncands; c++)
			if (res->cands[c].group >= 0 &&
			    res->cands[c].group != g)
				r->cands[c].isolated = 1;
	}
}

/* r->depth: the current rank list's entries ranked (not "do not rank"),
 * 0 when none is saved. */
static int
list_depth(struct db *db, struct ranking *r)
{
	struct db_ranklist v;
	json_t		  *entries, *e;
	size_t		   i;
	int		   rc;

	r->depth = 0;
	memset(&v, 0, sizeof(v));
	if ((rc = db_ranklist_current(db, r->cycle, &v)) < 0)
		return (rc);
	if (rc == 1 && v.entries != NULL &&
	    (entries = json_loads(v.entries, 0, NULL)) != NULL) {
		for (i = 0; i < json_array_size(entries); i++) {
			e = json_array_get(entries, i);
			r->depth +=
			    !json_is_true(json_object_get(e, "do_not_rank"));
		}
		json_decref(entries);
	}
	db_ranklist_clear(&v);
	return (OPS_OK);
}

/*
 * The seed of the resampling: a digest of the positions, the weights and
 * each phase's sheets as (the candidate's place, the score, a digest of
 * the rater's name), sorted. No database id goes in, so the same cycle gives the
 * same numbers on every worker and after an export and an import.
 */
static int
seed_cmp(const void *a, const void *b)
{
	return (memcmp(a, b, 24));
}

/* Eight bytes of v, most significant first (so memcmp orders them). */
static void
put_be64(unsigned char *out, uint64_t v)
{
	int k;

	for (k = 0; k < 8; k++)
		out[k] = (unsigned char)(v >> (56 - 8 * k));
}

static uint64_t
resample_seed(const struct ranking *r)
{
	crypto_generichash_state h;
	unsigned char		 out[8], *rows = NULL;
	uint64_t		*names = NULL, seed = 0;
	int64_t			 head[1 + PHASE__MAX];
	size_t			 i;
	int			 p, k;

	names = calloc((size_t)r->nraters + 1, sizeof(*names));
	if (names == NULL ||
	    crypto_generichash_init(&h, NULL, 0, sizeof(out)) != 0)
		goto out;
	/* Each rater by a digest of the name: no id goes in. */
	for (k = 0; k < r->nraters; k++) {
		(void)crypto_generichash(out, sizeof(out),
		    (const unsigned char *)r->raters[k].name,
		    strlen(r->raters[k].name), NULL, 0);
		for (p = 0; p < 8; p++)
			names[k] = names[k] << 8 | out[p];
	}
	head[0] = r->positions;
	for (p = 0; p < PHASE__MAX; p++)
		head[1 + p] = r->weights[p];
	hash_ints(&h, head, 1 + PHASE__MAX);
	for (p = 0; p < PHASE__MAX; p++) {
		const struct rank_phase *ph = &r->phases[p];

		free(rows);
		if ((rows = calloc(ph->nsheets + 1, 24)) == NULL)
			goto out;
		for (i = 0; i < ph->nsheets; i++) {
			const struct agg_sheet *sh = &ph->sheets[i];

			put_be64(
			    rows + 24 * i, (uint64_t)r->cands[sh->cand].rank);
			put_be64(rows + 24 * i + 8,
			    (uint64_t)llround(sh->score * 1e6));
			put_be64(rows + 24 * i + 16, names[sh->rater]);
		}
		qsort(rows, ph->nsheets, 24, seed_cmp);
		(void)crypto_generichash_update(&h, rows, 24 * ph->nsheets);
	}
	if (crypto_generichash_final(&h, out, sizeof(out)) == 0)
		for (k = 0; k < 8; k++)
			seed = seed << 8 | out[k];
out:
	free(rows);
	free(names);
	return (seed);
}

/* Links each placed candidate to the one placed next (places are
 * 1..n, each once). OPS_OK or OPS_ENOMEM. */
static int
link_next(struct ranking *r)
{
	int *at, c;

	if ((at = calloc((size_t)r->ncands + 2, sizeof(int))) == NULL)
		return (OPS_ENOMEM);
	for (c = 0; c < r->ncands; c++)
		if (r->cands[c].rank > 0 && r->cands[c].rank <= r->ncands)
			at[r->cands[c].rank] = c + 1;
	for (c = 0; c < r->ncands; c++)
		if (r->cands[c].rank > 0 && at[r->cands[c].rank + 1] > 0)
			r->cands[c].next = at[r->cands[c].rank + 1] - 1;
	free(at);
	return (OPS_OK);
}

/*
 * The last resampling of this thread, kept under what it was drawn from:
 * the build's basis (sheets, conflicts, invitations, positions, weights,
 * candidates), the seed (which also holds the raters' names) and the
 * depth. A new version of the rank list moves the change counter, so the
 * ranking is built again, but the draws depend on the list only through
 * its depth: a list reordered and saved reuses them, and saving the list
 * costs a build, not a resampling.
 */
static __thread struct {
	unsigned char	 basis[RANK_BASIS_LEN];
	uint64_t	 seed;
	int		 depth, ncands, draws;
	struct unc_cand *u;
} drawn;

/* A copy of the kept draws when they fit r, seed and depth, or NULL. */
static struct unc_cand *
drawn_take(const struct ranking *r, uint64_t seed, int depth, int *draws)
{
	struct unc_cand *u;

	if (drawn.u == NULL || drawn.seed != seed || drawn.depth != depth ||
	    drawn.ncands != r->ncands ||
	    memcmp(drawn.basis, r->basis, RANK_BASIS_LEN) != 0)
		return (NULL);
	if ((u = calloc((size_t)r->ncands + 1, sizeof(*u))) == NULL)
		return (NULL);
	memcpy(u, drawn.u, (size_t)r->ncands * sizeof(*u));
	*draws = drawn.draws;
	return (u);
}

/* Keeps a copy of u (not kept when out of memory: drawn again later). */
static void
drawn_keep(const struct ranking *r, uint64_t seed, int depth,
    const struct unc_cand *u, int draws)
{
	struct unc_cand *copy;

	if ((copy = calloc((size_t)r->ncands + 1, sizeof(*copy))) == NULL)
		return;
	memcpy(copy, u, (size_t)r->ncands * sizeof(*copy));
	free(drawn.u);
	drawn.u = copy;
	memcpy(drawn.basis, r->basis, RANK_BASIS_LEN);
	drawn.seed = seed;
	drawn.depth = depth;
	drawn.ncands = r->ncands;
	drawn.draws = draws;
}

/*
 * The uncertainty of each place (core/uncertainty.h), seeded with
 * resample_seed(), so that the same sheets give the same numbers. The depth is the current rank
 * list's ranked entries, or the pool's size before a list is saved.
 */
static int
resample(struct ranking *r)
{
	struct unc_phase ph[PHASE__MAX];
	struct unc_cand *u;
	uint64_t	 seed;
	int		*place, c, p, depth = 0, draws, rc;

	for (p = 0; p < PHASE__MAX; p++) {
		ph[p].sheets = r->phases[p].sheets;
		ph[p].nsheets = (int)r->phases[p].nsheets;
		ph[p].res = &r->phases[p].res;
		ph[p].prior = r->phases[p].prior;
	}
	if ((depth = r->depth) <= 0)
		for (c = 0; c < r->ncands; c++)
			depth += r->cands[c].in_pool && r->cands[c].rank > 0;
	if (depth < r->positions)
		depth = r->positions;
	if (depth < 1)
		depth = 1;
	seed = resample_seed(r);
	if ((u = drawn_take(r, seed, depth, &draws)) != NULL) {
		rc = 0;
		goto copy;
	}
	u = calloc((size_t)r->ncands + 1, sizeof(*u));
	place = calloc((size_t)r->ncands + 1, sizeof(int));
	if (u == NULL || place == NULL) {
		free(u);
		free(place);
		return (OPS_ENOMEM);
	}
	for (c = 0; c < r->ncands; c++)
		place[c] = r->cands[c].rank;
	rc = unc_resample(r->ncands, r->nraters, PHASE__MAX, ph, r->weights,
	    place, r->positions > 0 ? r->positions : 1, depth, seed, u, &draws);
	free(place);
	if (rc == 0)
		drawn_keep(r, seed, depth, u, draws);
copy:
	/* Too many raters to draw: the places stand without an estimate. */
	for (c = 0; rc == 0 && c < r->ncands; c++) {
		r->cands[c].p_top = u[c].p_top;
		r->cands[c].p_list = u[c].p_list;
		r->cands[c].p_swap_next = u[c].p_swap_next;
		r->cands[c].rank_lo = u[c].rank_lo;
		r->cands[c].rank_hi = u[c].rank_hi;
		r->cands[c].flagged = u[c].flagged;
	}
	r->draws = rc == 0 ? draws : 0;
	free(u);
	return (OPS_OK);
}

/* Aggregates the phases and ranks the candidates (core/aggregate.h). */
static int
rank(struct ranking *r, const struct load *x)
{
	struct agg_result    res[PHASE__MAX];
	struct agg_standing *st;
	struct agg_input     in[PHASE__MAX];
	double		    *prior;
	size_t		     i;
	int		     p, any_invited = 0, k;

	for (i = 0; i < x->ninvited; i++)
		if ((k = ranking_cand_index(r, x->invited[i])) >= 0)
			r->cands[k].interviewed = any_invited = 1;
	memset(in, 0, sizeof(in));
	for (p = 0; p < PHASE__MAX; p++) {
		in[p].ncands = r->ncands;
		in[p].nraters = r->nraters;
		in[p].nsheets = (int)r->phases[p].nsheets;
		in[p].sheets = r->phases[p].sheets;
		in[p].positions = r->positions > 0 ? r->positions : 1;
	}
	/* A rater's leniency from both phases' sheets. The input is well
	 * formed by construction: a failure is memory. */
	if ((prior = calloc(
		 (size_t)PHASE__MAX * r->nraters + 1, sizeof(double))) == NULL)
		return (OPS_ENOMEM);
	if (agg_phases(PHASE__MAX, in, res, prior) != 0) {
		free(prior);
		return (OPS_ENOMEM);
	}
	for (p = 0; p < PHASE__MAX; p++) {
		r->phases[p].res = res[p];
		r->phases[p].prior = prior + (size_t)p * r->nraters;
	}
	r->priors = prior;
	if ((st = calloc((size_t)r->ncands + 1, sizeof(*st))) == NULL)
		return (OPS_ENOMEM);
	if (agg_rank_cycle(PHASE__MAX, res, r->weights,
		r->positions > 0 ? r->positions : 0, st) != 0) {
		free(st);
		return (OPS_ENOMEM);
	}
	for (k = 0; k < r->ncands; k++) {
		struct rank_cand *c = &r->cands[k];

		c->composite = st[k].composite;
		c->complete = st[k].complete;
		c->rank = st[k].rank[AGG_ADJUSTED];
		c->rank_raw = st[k].rank[AGG_RAW];
		c->rank_borda = st[k].rank[AGG_BORDA];
		c->method_sensitive = st[k].method_sensitive;
		c->crosses_line = st[k].crosses_line;
		c->in_pool =
		    any_invited ? c->interviewed : !isnan(c->composite);
		c->p_top = c->p_list = c->p_swap_next = NAN;
		c->rank_lo = c->rank_hi = c->flagged = c->isolated = 0;
		c->next = -1;
	}
	free(st);
	mark_isolated(r);
	if (link_next(r) != OPS_OK)
		return (OPS_ENOMEM);
	return (resample(r));
}

int
ranking_build(
    struct db *db, int64_t cycle, struct ranking **out, struct ops_error *e)
{
	struct ranking *r;
	struct load	x;
	int64_t		epoch;
	int		rc, p;

	*out = NULL;
	/* The counter before the rows (see memo_take()). */
	if ((rc = db_ranking_epoch(db, &epoch)) != 0)
		return (rc);
	if ((*out = memo_take(db_serial(db), cycle, epoch)) != NULL)
		return (OPS_OK);
	memset(&x, 0, sizeof(x));
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return (OPS_ENOMEM);
	x.db = db;
	x.r = r;
	r->cycle = cycle;
	r->epoch = epoch;
	r->serial = db_serial(db);
	r->refs = 1;
	if ((rc = load_rows(&x, cycle, e)) != OPS_OK)
		goto fail;
	r->positions = x.positions;
	for (p = 0; p < PHASE__MAX; p++)
		r->weights[p] = x.weights[p];
	if ((rc = list_depth(db, r)) != OPS_OK)
		goto fail;
	/* The digest first: it seeds the resampling. */
	if (basis_digest(&x, r->basis) != 0) {
		rc = OPS_ENOMEM;
		goto fail;
	}
	if ((rc = rank(r, &x)) != OPS_OK)
		goto fail;
	load_free(&x);
	memo_keep(r);
	*out = r;
	return (OPS_OK);
fail:
	load_free(&x);
	ranking_free(r);
	return (rc);
}

int
ranking_check(struct db *db, const struct ranking *r, int *same)
{
	struct load   x;
	unsigned char now[RANK_BASIS_LEN];
	int	      rc;

	*same = 0;
	/* The counter has not moved since r's rows were read: the same. */
	if (r->epoch >= 0) {
		int64_t epoch;

		if ((rc = db_ranking_epoch_now(db, &epoch)) != 0)
			return (rc);
		if (epoch == r->epoch) {
			*same = 1;
			return (OPS_OK);
		}
	}
	memset(&x, 0, sizeof(x));
	x.db = db;
	rc = load_rows(&x, r->cycle, NULL);
	if (rc == OPS_OK && basis_digest(&x, now) != 0)
		rc = OPS_ENOMEM;
	load_free(&x);
	/* A cycle gone or grown past a limit is a change too. */
	if (rc == OPS_NOT_FOUND || rc == OPS_INVALID)
		return (OPS_OK);
	if (rc != OPS_OK)
		return (rc);
	*same = sodium_memcmp(now, r->basis, RANK_BASIS_LEN) == 0;
	return (OPS_OK);
}

/* A number for JSON: null when not finite. */
static json_t *
num(double v)
{
	return (
	    isfinite(v) ? json_real(round(v * 100.0) / 100.0) : json_null());
}

static json_t *
phase_of_cand(const struct ranking *r, int p, int i)
{
	const struct agg_cand	*a = &r->phases[p].res.cands[i];
	const struct rank_phase *ph = &r->phases[p];
	json_t			*scores;
	size_t			 s, lo = 0, hi = ph->nsheets, mid;

	if (a->n == 0)
		return (json_null());
	if ((scores = json_array()) == NULL)
		return (NULL);
	/* The sheets are in candidate order: find i's first. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ph->sheets[mid].cand < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (s = lo; s < ph->nsheets && ph->sheets[s].cand == i; s++) {
		if (json_array_append_new(scores,
			json_pack("{s:I,s:s,s:o}", "rater_id",
			    (json_int_t)r->raters[ph->sheets[s].rater].id,
			    "rater", r->raters[ph->sheets[s].rater].name,
			    "score", num(ph->sheets[s].score))) != 0) {
			json_decref(scores);
			return (NULL);
		}
	}
	return (json_pack("{s:i,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,"
			  "s:i,s:i,s:i,s:b,s:o}",
	    "n", a->n, "mean", num(a->mean), "median", num(a->median), "sd",
	    num(a->sd), "min", num(a->min), "max", num(a->max), "adjusted",
	    num(a->adjusted), "se", num(a->se), "lo", num(a->lo), "hi",
	    num(a->hi), "disagree", a->disagree, "borda", num(a->borda),
	    "rank_adjusted", a->rank_adjusted, "rank_raw", a->rank_raw,
	    "rank_borda", a->rank_borda, "method_sensitive",
	    a->method_sensitive, "scores", scores));
}

/* A probability for JSON, to three places: null when not finite. */
static json_t *
prob(double v)
{
	return (
	    isfinite(v) ? json_real(round(v * 1000.0) / 1000.0) : json_null());
}

/*
 * {p_top, p_list, rank_lo, rank_hi, p_swap_next, next_id, next_name,
 * flagged, words, swap_words} of candidate i, or null without an
 * estimate.
 */
static json_t *
uncertainty_json(const struct ranking *r, int i)
{
	const struct rank_cand *k = &r->cands[i];
	char			words[160], swap[DB_NAME_MAX + 160];
	int			n;

	if (r->draws == 0 || !isfinite(k->p_top))
		return (json_null());
	(void)unc_words(k->p_top, r->positions > 0 ? r->positions : 1, words,
	    sizeof(words));
	n = k->next;
	swap[0] = '\0';
	if (n >= 0 && isfinite(k->p_swap_next) &&
	    k->p_swap_next > UNC_SWAP_NOTE)
		(void)snprintf(swap, sizeof(swap),
		    "%s could as well be above: the two are the other way "
		    "round in %d %% of the resamples.",
		    r->cands[n].name, unc_percent(k->p_swap_next));
	return (json_pack("{s:o,s:o,s:i,s:i,s:o,s:o,s:o,s:b,s:s,s:s}", "p_top",
	    prob(k->p_top), "p_list", prob(k->p_list), "rank_lo", k->rank_lo,
	    "rank_hi", k->rank_hi, "p_swap_next", prob(k->p_swap_next),
	    "next_id",
	    n >= 0 ? json_integer((json_int_t)r->cands[n].app) : json_null(),
	    "next_name", n >= 0 ? json_string(r->cands[n].name) : json_null(),
	    "flagged", k->flagged, "words", words, "swap_words", swap));
}

json_t *
ranking_cand_json(const struct ranking *r, int i)
{
	const struct rank_cand *k = &r->cands[i];
	json_t		       *phases = json_object(), *ids = json_object();
	int			p, disagree = 0;

	for (p = 0; p < PHASE__MAX; p++) {
		json_object_set_new(
		    phases, phase_names[p], phase_of_cand(r, p, i));
		disagree |= r->phases[p].res.cands[i].disagree;
	}
	for (p = 0; p < RANK_ID__MAX; p++) {
		const json_t *v = json_object_get(k->fields, rank_id_fields[p]);

		json_object_set_new(ids, rank_id_names[p],
		    json_is_string(v) ? json_copy((json_t *)v) : json_null());
	}
	return (json_pack("{s:I,s:s,s:b,s:b,s:o,s:b,s:i,s:i,s:i,s:b,s:b,s:b,"
			  "s:o,s:o,s:o,s:b}",
	    "application_id", (json_int_t)k->app, "name", k->name,
	    "interviewed", k->interviewed, "in_list", k->in_pool, "composite",
	    num(k->composite), "complete", k->complete, "rank", k->rank,
	    "rank_raw", k->rank_raw, "rank_borda", k->rank_borda,
	    "method_sensitive", k->method_sensitive, "crosses_line",
	    k->crosses_line, "disagree", disagree, "identifiers", ids, "phases",
	    phases, "uncertainty", uncertainty_json(r, i), "isolated",
	    k->isolated));
}

/* Candidates in composite order, the unranked last by id. */
static int
composite_cmp(const void *a, const void *b)
{
	const struct rank_cand *x = a, *y = b;

	if ((x->rank == 0) != (y->rank == 0))
		return (x->rank == 0 ? 1 : -1);
	if (x->rank != y->rank)
		return (x->rank < y->rank ? -1 : 1);
	return ((x->app > y->app) - (x->app < y->app));
}

/* Indexes of r's candidates in composite order (freed by the caller). */
static int *
composite_order(const struct ranking *r)
{
	struct rank_cand *sorted;
	int		 *order;
	int		  i;

	sorted = calloc((size_t)r->ncands + 1, sizeof(*sorted));
	order = calloc((size_t)r->ncands + 1, sizeof(*order));
	if (sorted == NULL || order == NULL) {
		free(sorted);
		free(order);
		return (NULL);
	}
	if (r->ncands > 0)
		memcpy(sorted, r->cands, (size_t)r->ncands * sizeof(*sorted));
	qsort(sorted, (size_t)r->ncands, sizeof(*sorted), composite_cmp);
	for (i = 0; i < r->ncands; i++)
		order[i] = ranking_cand_index(r, sorted[i].app);
	free(sorted);
	return (order);
}

/*
 * The warning of phase p when its raters fall into groups, naming them
 * (core's own names raters by index, which means nothing to the
 * director), or "".
 */
static int
group_warning(const struct ranking *r, int p, char *buf, size_t size)
{
	const char **names;
	int	     i;

	buf[0] = '\0';
	if (r->phases[p].res.groups < 2)
		return (0);
	if ((names = calloc((size_t)r->nraters + 1, sizeof(*names))) == NULL)
		return (-1);
	for (i = 0; i < r->nraters; i++)
		names[i] = r->raters[i].name;
	(void)agg_group_warning(&r->phases[p].res, names, buf, size);
	free(names);
	return (0);
}

json_t *
ranking_json(const struct ranking *r)
{
	char	warning[1024];
	json_t *cands = NULL, *phases = NULL, *raters;
	int	i, p, *order;

	if ((order = composite_order(r)) == NULL)
		return (NULL);
	if ((cands = json_array()) == NULL || (phases = json_object()) == NULL)
		goto fail;
	for (i = 0; i < r->ncands; i++)
		if (json_array_append_new(
			cands, ranking_cand_json(r, order[i])) != 0)
			goto fail;
	for (p = 0; p < PHASE__MAX; p++) {
		const struct agg_result *res = &r->phases[p].res;

		if (group_warning(r, p, warning, sizeof(warning)) != 0)
			goto fail;
		if ((raters = json_array()) == NULL)
			goto fail;
		for (i = 0; i < r->nraters; i++) {
			if (res->raters[i].n == 0)
				continue;
			json_array_append_new(raters,
			    json_pack("{s:I,s:s,s:i,s:o,s:i}", "rater_id",
				(json_int_t)r->raters[i].id, "name",
				r->raters[i].name, "n", res->raters[i].n,
				"leniency", num(res->raters[i].leniency),
				"group", res->raters[i].group));
		}
		if (json_object_set_new(phases, phase_names[p],
			json_pack("{s:i,s:i,s:o,s:s,s:i,s:s,s:o,s:o,s:o,s:s}",
			    "weight", r->weights[p], "sheets",
			    (int)r->phases[p].nsheets, "reliability",
			    num(res->reliability), "reliability_method",
			    res->reliability_method, "groups", res->groups,
			    "warning", warning, "mean", num(res->mean),
			    "raters", raters, "lambda", num(res->lambda),
			    "lambda_method",
			    res->lambda_method != NULL ? res->lambda_method
						       : AGG_LAMBDA_FIXED)) !=
		    0)
			goto fail;
	}
	free(order);
	return (json_pack("{s:I,s:i,s:o,s:o,s:i}", "cycle_id",
	    (json_int_t)r->cycle, "positions", r->positions, "phases", phases,
	    "candidates", cands, "draws", r->draws));
fail:
	free(order);
	json_decref(cands);
	json_decref(phases);
	return (NULL);
}

/*
 * The memo of the ranking's view as text, for the whole process: the
 * event loop answers from it without building anything (the builds run
 * on task threads, whose kept builds it cannot use). Plain bytes under a
 * lock, keyed as the builds are, with their gzip form (a 67 KB demo view
 * is about a tenth of that compressed, and the kernel's copying of the
 * plain bytes was most of the cost of serving it); views larger than
 * RANK_TEXT_MAX are not kept.
 */
#define RANK_TEXT_SLOTS 4
#define RANK_TEXT_MAX	((size_t)8 << 20)

static pthread_mutex_t text_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	int64_t cycle, epoch;
	char   *text, *gz;
	size_t	len, gzlen;
} text_memo[RANK_TEXT_SLOTS];
static unsigned int text_next;

static void
text_put(int64_t cycle, int64_t epoch, const json_t *view)
{
	char  *text, *gz;
	size_t len, gzlen;
	int    i, slot = -1;

	if (epoch < 0 ||
	    (text = json_dumps(view, JSON_COMPACT | JSON_ENSURE_ASCII)) == NULL)
		return;
	if ((len = strlen(text)) > RANK_TEXT_MAX) {
		free(text);
		return;
	}
	/* Without its gzip form the text is still kept, and served plain. */
	if (gzip_bytes(text, len, &gz, &gzlen) != 0 || gzlen >= len) {
		free(gz);
		gz = NULL;
		gzlen = 0;
	}
	(void)pthread_mutex_lock(&text_lock);
	for (i = 0; i < RANK_TEXT_SLOTS; i++)
		if (text_memo[i].text != NULL && text_memo[i].cycle == cycle)
			slot = i;
	if (slot < 0)
		slot = (int)(text_next++ % RANK_TEXT_SLOTS);
	free(text_memo[slot].text);
	free(text_memo[slot].gz);
	text_memo[slot].cycle = cycle;
	text_memo[slot].epoch = epoch;
	text_memo[slot].text = text;
	text_memo[slot].len = len;
	text_memo[slot].gz = gz;
	text_memo[slot].gzlen = gzlen;
	(void)pthread_mutex_unlock(&text_lock);
}

/* A copy of the kept text of cycle at epoch, or of its gzip form when
 * gzip_ok and there is one (*gzipped says which): 0 (NULL when none), or
 * -1 when out of memory. */
static int
text_get(int64_t cycle, int64_t epoch, int gzip_ok, char **text, size_t *len,
    int *gzipped)
{
	const char *src;
	int	    i, rc = 0;

	*text = NULL;
	*len = 0;
	*gzipped = 0;
	if (epoch < 0)
		return (0);
	(void)pthread_mutex_lock(&text_lock);
	for (i = 0; i < RANK_TEXT_SLOTS; i++) {
		if (text_memo[i].text == NULL || text_memo[i].cycle != cycle ||
		    text_memo[i].epoch != epoch)
			continue;
		*gzipped = gzip_ok && text_memo[i].gz != NULL;
		src = *gzipped ? text_memo[i].gz : text_memo[i].text;
		*len = *gzipped ? text_memo[i].gzlen : text_memo[i].len;
		if ((*text = malloc(*len + 1)) == NULL) {
			*len = 0;
			*gzipped = 0;
			rc = -1;
			break;
		}
		memcpy(*text, src, *len);
		(*text)[*len] = '\0';
		break;
	}
	(void)pthread_mutex_unlock(&text_lock);
	return (rc);
}

int
ops_ranking_memo(struct db *db, struct ops_actor actor, int64_t cycle,
    int gzip_ok, char **text, size_t *len, int *gzipped, struct ops_error *e)
{
	int64_t epoch;
	int	rc;

	*text = NULL;
	*len = 0;
	*gzipped = 0;
	if (!access_view_standing(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director see the ranking."));
	if ((rc = db_ranking_epoch(db, &epoch)) != 0)
		return (rc);
	return (text_get(cycle, epoch, gzip_ok, text, len, gzipped) == 0
		? OPS_OK
		: OPS_ENOMEM);
}

int
ops_ranking_view(struct db *db, struct ops_actor actor, int64_t cycle,
    json_t **out, struct ops_error *e)
{
	struct ranking *r;
	int		rc;

	if (!access_view_standing(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director see the ranking."));
	if ((rc = ranking_build(db, cycle, &r, e)) != OPS_OK)
		return (rc);
	if ((*out = ranking_json(r)) != NULL)
		text_put(cycle, r->epoch, *out);
	ranking_free(r);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}
