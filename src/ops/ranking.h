/*
 * The ranking of a cycle and its rank list. The ranking runs the
 * aggregation (core/aggregate.c) over the submitted sheets of each phase
 * (a rater's sheet for a candidate they have a recorded conflict with
 * does not count) and combines the phases with the director's weights;
 * the rank list is the staff's ordered, versioned, certifiable list
 * built from it. Views are JSON objects (new references). The policy
 * (composite, ties, method flag) is core/aggregate.h's; a cycle past a
 * limit of core/limits.h is refused with OPS_INVALID naming the limit.
 * Every operation here that needs the ranking builds it once; they take
 * milliseconds or more, so the web layer runs them off the event loop.
 */
#ifndef FELLOW_OPS_RANKING_H
#define FELLOW_OPS_RANKING_H

#include <jansson.h>

#include "core/ranklist.h"
#include "ops/accounts.h"

#define OPS_RANK_REASON_MAX 1000

/*
 * {cycle_id, positions, weights, phases:{screening:{reliability,
 * reliability_method, groups, warning, raters:[...]}, interview:{...}},
 * candidates:[...] in composite order} (staff only).
 */
int ops_ranking_view(struct db *, struct ops_actor, int64_t cycle, json_t **out,
    struct ops_error *);

/*
 * The ranking's view as ops_ranking_view() last built it, when nothing
 * that moves the ranking has changed since (migrations/014): *text (the
 * caller frees it) and *len, or *text NULL when none is kept. A counter
 * read and a copy: for the event loop. With gzip_ok the copy is the
 * gzip form kept beside it (compressed once, when kept), and *gzipped
 * says so; a view that did not compress is given as text. OPS_FORBIDDEN
 * as the view.
 */
int ops_ranking_memo(struct db *, struct ops_actor, int64_t cycle, int gzip_ok,
    char **text, size_t *len, int *gzipped, struct ops_error *);

/*
 * The rank list: the current version (or version when not 0), or, when
 * none is saved, the draft in composite order (version 0). Staff only.
 */
int ops_ranklist_view(struct db *, struct ops_actor, int64_t cycle,
    int64_t version, json_t **out, struct ops_error *);

/*
 * Saves entries (a JSON array of {application_id, do_not_rank?, reason?}
 * in rank order) as a new version: exactly the list's candidates, each
 * once; a reason for every entry moved by hand and every "do not rank".
 * OPS_CONFLICT when the list is certified, or when base_version (the
 * version the edit started from, 0 for none yet; -1 not to check) is not
 * the current version: concurrent edits are refused, never merged. The
 * ranking is built outside the write transaction and checked inside it
 * (ops/ranking_int.h, RANKLIST_BUILDS); out is the list saved.
 */
int ops_ranklist_save(struct db *, struct ops_actor, int64_t cycle,
    const json_t *entries, int64_t base_version, int64_t now, json_t **out,
    struct ops_error *);

/*
 * What stands between the current list and its certification (staff):
 * {cycle_id, version, reviewed, state, cycle_state, ready, ranked,
 * blocking:[{code, message, phase?, version?, items?}], warnings:[{code,
 * title, message, count, items:[{name, application_id?, rater_id?,
 * detail?}]}]}, the rules of core/readiness.h. reviewed is the version
 * the viewer reviewed (0 for the computed list; -1 not to check): when
 * it is not the current one, the list is stale, which blocks.
 */
int ops_ranklist_readiness(struct db *, struct ops_actor, int64_t cycle,
    int64_t reviewed, json_t **out, struct ops_error *);

/*
 * The director certifies the current list (the computed one when none
 * is saved): a new version with the SHA-256 of its canonical text and
 * the record of the warnings acknowledged; the cycle becomes certified.
 * The readiness gate (ops_ranklist_readiness()) is checked inside the
 * write transaction: OPS_CONFLICT when an item blocks (the first one's
 * sentence: certified already, expected — the version the director
 * reviewed, 0 for the computed list, -1 not to check — is not the
 * current one, the cycle's state, candidates missing, nobody ranked, a
 * phase open for scoring); OPS_INVALID on "acknowledged" when
 * acknowledged (a JSON array of warning codes, or NULL for none) is
 * malformed or leaves a warning present unacknowledged (named).
 */
int ops_ranklist_certify(struct db *, struct ops_actor, int64_t cycle,
    int64_t expected, const json_t *acknowledged, int64_t now, json_t **out,
    struct ops_error *);

/* The director reopens a certified list, with a reason. */
int ops_ranklist_reopen(struct db *, struct ops_actor, int64_t cycle,
    const char *reason, int64_t now, json_t **out, struct ops_error *);

/* {versions:[{version, kind, sha256, reason, created_by_name,
 * created_at, ranked, do_not_rank, acknowledged}]} newest first;
 * acknowledged is a certified version's record of the warnings the
 * director acknowledged ([] for none), null for other versions and for
 * certifications recorded before acknowledgements were kept. */
int ops_ranklist_versions(struct db *, struct ops_actor, int64_t cycle,
    json_t **out, struct ops_error *);

/* {from, to, changes:[{application_id, name, from_rank, to_rank,
 * from_dnr, to_dnr, ...}]} between two saved versions. */
int ops_ranklist_diff(struct db *, struct ops_actor, int64_t cycle,
    int64_t from, int64_t to, json_t **out, struct ops_error *);

/*
 * The match export of the current list: "rank,<identifier>,name" lines
 * for the ranked entries. OPS_INVALID naming the ranked candidates who
 * lack the identifier. *csv is freed by the caller with free(). Audited.
 */
int ops_ranklist_csv(struct db *, struct ops_actor, int64_t cycle, enum rank_id,
    char **csv, char *filename, size_t fnlen, struct ops_error *);

/* The whole cycle for archiving (audited); *text freed with free(). */
int ops_cycle_export(struct db *, struct ops_actor, int64_t cycle, int64_t now,
    char **text, struct ops_error *);

#endif
