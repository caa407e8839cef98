/*
 * What ops/ranking.c shares with ops/ranklist.c, ops/export.c and
 * ops/meeting.c: the ranking as built from the database, before it
 * becomes JSON, and the check that a build still matches the database.
 */
#ifndef FELLOW_OPS_RANKING_INT_H
#define FELLOW_OPS_RANKING_INT_H

#include <jansson.h>

#include "core/aggregate.h"
#include "core/cycle.h"
#include "core/readiness.h"
#include "core/rubric.h"
#include "core/uncertainty.h"
#include "ops/accounts.h"

/* The size of a build's basis digest (what it was built from). */
#define RANK_BASIS_LEN 32

struct rank_cand {
	int64_t app;
	char	name[DB_NAME_MAX];
	json_t *fields;	     /* the application's fields */
	int	interviewed; /* invited to interview */
	int	in_pool;     /* belongs on the rank list */
	double	composite;   /* NaN when the candidate has no sheet */
	int	complete;    /* every weighted phase has sheets */
	int	rank, rank_raw, rank_borda; /* 1-based; 0 when no sheet */
	int	method_sensitive;
	int	crosses_line; /* the method decides the side of the line */
	/*
	 * The uncertainty of its place, from resampling the fitted model
	 * (core/uncertainty.h); NaN and 0 when the candidate has no place.
	 * p_top: the probability of a place within the positions; p_list:
	 * within the list's depth (the current list's ranked entries, or the
 * pool before a list is saved); rank_lo,
	 * rank_hi: the 90 % interval of its place; p_swap_next: the
	 * probability that it and the next candidate in composite order
	 * are the other way round (NaN for the last); flagged: the evidence
	 * on its side of the line or on its neighbour is mixed.
	 */
	double p_top, p_list, p_swap_next;
	int    rank_lo, rank_hi, flagged;
	int    next; /* index of the candidate placed next, or -1 */
	/* In a group of raters and candidates with no sheet in common with
	 * the largest group: its scores cannot be compared with the rest. */
	int isolated;
};

struct rank_rater {
	int64_t id;
	char	name[DB_NAME_MAX];
};

/* The sheets of a phase that count, in the order read (by candidate,
 * then rater), and their aggregation. */
struct rank_phase {
	struct agg_sheet *sheets;
	size_t		  nsheets, cap;
	struct agg_result res;
	double		 *prior; /* nraters: its leniencies' priors */
};

struct ranking {
	int64_t		   cycle;
	int		   positions;
	int		   weights[PHASE__MAX];
	struct rank_cand  *cands; /* by application id */
	int		   ncands, capcands;
	struct rank_rater *raters; /* in the order met */
	int		   nraters, capraters;
	struct rank_phase  phases[PHASE__MAX];
	double		  *priors; /* the phases' priors, one allocation */
	/* What it was built from (ranking_check()). */
	unsigned char basis[RANK_BASIS_LEN];
	int	      draws; /* of the resampling; 0: none made */
	int	      depth; /* the current list's ranked entries; 0: none */
	/* The change counter read before its rows (-1: built inside a
	 * transaction, not kept), and its references (ops/ranking.c). */
	int64_t	 epoch;
	uint64_t serial; /* db_serial() of the connection it was read on */
	int	 refs;
};

/*
 * Builds the ranking of cycle (the policy is core/aggregate.h's): OPS_OK
 * and *out (free with ranking_free()); OPS_NOT_FOUND (no such cycle);
 * OPS_INVALID past a limit of core/limits.h (the message names it);
 * OPS_ENOMEM; or a DB_E* code. e may be NULL.
 */
int ranking_build(
    struct db *, int64_t cycle, struct ranking **out, struct ops_error *e);
void ranking_free(struct ranking *);

/*
 * Whether r still matches the database: the cycle's positions, the
 * phases' weights, the submitted candidates (and their versions), which
 * of them are invited, the recorded conflicts and the submitted sheets
 * (and their versions) are those r was built from. Sets *same to 1 or 0.
 * Returns OPS_OK, OPS_ENOMEM or a DB_E* code. Reads only: run it inside
 * the write transaction that relies on r, so that nothing changes
 * between the check and the write.
 */
int ranking_check(struct db *, const struct ranking *r, int *same);

/* The index of application app among r's candidates, or -1. */
int ranking_cand_index(const struct ranking *r, int64_t app);

/*
 * Saving and certifying the rank list (ops/ranklist.c) build the ranking
 * once, outside the write transaction (it takes milliseconds to seconds
 * and would hold the database's write lock meanwhile), and inside it
 * check with ranking_check() that the build still holds. When it does
 * not (a sheet was submitted, a candidate invited or withdrawn, a
 * conflict recorded meanwhile), nothing is written and the ranking is
 * built again, up to RANKLIST_BUILDS times in all; after that the answer
 * is OPS_CONFLICT, asking to try again. Rebuilding rather than refusing
 * at once spares the staff a refusal they did nothing to cause: the
 * entries they sent are checked against the new build as they were
 * against the old.
 */
#define RANKLIST_BUILDS 3

/*
 * The loop above, for every operation that writes on a build (saving
 * and certifying the list, starting a rank meeting): builds the ranking
 * of cycle and calls attempt(db, r, arg, &changed, e) on it, which runs
 * its own transaction and sets changed when the build no longer held;
 * then builds again, RANKLIST_BUILDS times in all. Returns what
 * ranking_build() refused with, else the last attempt's result (defined
 * in ops/ranklist.c).
 */
typedef int (*ranking_attempt)(struct db *, const struct ranking *r, void *arg,
    int *changed, struct ops_error *);
int ranking_write_built(struct db *, int64_t cycle, ranking_attempt attempt,
    void *arg, struct ops_error *);

/*
 * One attempt of ops_ranklist_save() (ops_ranklist_certify()) on the
 * build r, in one transaction: as those, but when the database no
 * longer holds what r was built from, OPS_CONFLICT with *changed set to
 * 1 and nothing written. For the operations and their tests.
 */
int ranklist_save_built(struct db *, struct ops_actor, const struct ranking *r,
    const json_t *entries, int64_t base_version, int64_t now, json_t **out,
    int *changed, struct ops_error *);
int ranklist_certify_built(struct db *, struct ops_actor,
    const struct ranking *r, int64_t expected, const json_t *acknowledged,
    int64_t now, json_t **out, int *changed, struct ops_error *);

/* r's pool in composite order as list entries [{application_id,
 * do_not_rank:false, reason:""}] (a new reference; NULL when out of
 * memory): the list before anyone saves one. */
json_t *ranklist_composite_entries(const struct ranking *r);

/* Loads the list's version (the current one when version is 0) of r's
 * cycle into v (release it with db_ranklist_clear()); *have is 1 when
 * there is one. OPS_OK, OPS_NOT_FOUND (no such version) or a DB_E* code. */
int ranklist_load_version(struct db *, const struct ranking *r, int64_t version,
    struct db_ranklist *v, int *have, struct ops_error *);

/* The entries of v (loaded by ranklist_load_version(); have as it said),
 * or r's composite order when there is no version: *entries, a new
 * reference. OPS_OK, DB_ERROR (the stored entries do not parse) or
 * OPS_ENOMEM. */
int ranklist_entries(const struct ranking *r, const struct db_ranklist *v,
    int have, json_t **entries);

/*
 * The snapshot a certified version keeps of entries (core/ranklist.h):
 * each entry's name, match identifiers and composite on the build r, in
 * the entries' order. A new reference, or NULL when out of memory.
 */
json_t *ranklist_snapshot_build(const struct ranking *r, const json_t *entries);

/* The snapshot certified version v keeps: a new reference, or NULL
 * (none kept, not a certified version, or a text that does not parse,
 * which the schema's check keeps out). */
json_t *ranklist_snapshot_of(const struct db_ranklist *v);

/*
 * The entries of a list that are no longer candidates on the build r
 * (withdrawn, or reopened to a draft, since the list was saved or
 * certified): *out, a new reference, [{application_id, name, rank (null
 * for "do not rank"), do_not_rank, status, withdrawn_at (UTC text, or
 * null)}] in the list's order. The name is the one snap (the version's
 * snapshot, or NULL) kept, else the application's now. OPS_OK,
 * OPS_ENOMEM or a DB_E* code.
 */
int ranklist_departures(struct db *, const struct ranking *r,
    const json_t *entries, const json_t *snap, json_t **out);

/*
 * The readiness of a list for certification (core/readiness.h):
 * blocking, [{code, message, phase?, items?}], and warnings, [{code,
 * title, message, count, items:[{name, application_id?, rater_id?,
 * detail?}]}], both in their enums' order, and which warnings are
 * present. Built by ranklist_readiness(); released with
 * ranklist_ready_clear().
 */
struct ranklist_ready {
	json_t *blocking;
	json_t *warnings;
	int	present[READY_WARN__MAX];
	int	count[READY_WARN__MAX]; /* whom each warning concerns */
	int	ranked;			/* entries ranked (not "do not rank") */
};

/*
 * The readiness of entries (the list to certify: the current version,
 * or the computed list) on the build r: current is the current version
 * (NULL when none is saved), state the cycle's, reviewed the version the
 * director reviewed (-1: not checked). Reads the cycle's phases,
 * assignments, sheets and conflicts; run it inside the transaction that
 * certifies, so that what it saw is what is certified. OPS_OK,
 * OPS_ENOMEM or a DB_E* code (out is then cleared).
 */
int  ranklist_readiness(struct db *, const struct ranking *r,
     const json_t *entries, const struct db_ranklist *current,
     enum cycle_state state, int64_t reviewed, struct ranklist_ready *out);
void ranklist_ready_clear(struct ranklist_ready *);

/* The record kept with a certified version: ready's warnings as they
 * stand, each item reduced to {name, detail} (ids belong to this
 * database, the record to the archive too). A new reference, or NULL
 * when out of memory. */
json_t *ranklist_ready_record(const struct ranklist_ready *);

/* The JSON of the whole ranking, and of candidate i (new references;
 * NULL when out of memory). */
json_t *ranking_json(const struct ranking *);
json_t *ranking_cand_json(const struct ranking *, int i);

#endif
