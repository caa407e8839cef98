/*
 * Two planning tools for the director on the ranking: how deep to rank
 * (a simulation of the match for this program, core/matchsim.h) and how
 * the order and the positions move with the weights of the phases. Both
 * read only, build the ranking once (milliseconds or more: the web
 * layer runs them off the event loop) and are the staff's. Views are
 * JSON objects (new references).
 */
#ifndef FELLOW_OPS_PLANNING_H
#define FELLOW_OPS_PLANNING_H

#include <jansson.h>

#include "ops/accounts.h"

/*
 * The director's assumptions for the depth; a member left unset (-1 for
 * the integers, NaN for the reals: planning_depth_unset()) takes its
 * default (core/matchsim.h; the list length: the current list's ranked
 * entries).
 */
struct planning_depth_in {
	int64_t list_length;
	double	p_first, p_elsewhere_top, p_elsewhere_bottom, target;
	int64_t trials, seed;
};

/* Sets every member of in to "unset". */
void planning_depth_unset(struct planning_depth_in *in);

/*
 * GET .../ranking/depth: {cycle_id, model, positions, pool,
 * current_length, list_length, parameters:{p_first, p_elsewhere_top,
 * p_elsewhere_bottom, target, trials, seed, span, max_length},
 * defaults:{...}, assumptions, sources, rows:[{length, p_fill,
 * expected_filled}] for lengths positions..max_length,
 * recommended_length (null when no length reaches the target),
 * at_list_length:{length, p_fill, expected_filled}|null, summary}.
 * OPS_FORBIDDEN (not staff), OPS_NOT_FOUND, OPS_INVALID (a parameter
 * out of range, named, found before the ranking is built; a limit),
 * OPS_ENOMEM or a DB_E* code.
 */
int ops_ranking_depth(struct db *, struct ops_actor, int64_t cycle,
    const struct planning_depth_in *in, json_t **out, struct ops_error *);

/* The steps of the weight the sensitivity accepts. */
#define PLANNING_STEP_DEFAULT 5

/*
 * GET .../ranking/sensitivity: the screening weight from 0 to 100 in
 * steps of step (5 or 10; the interview's is the rest), and the
 * program's own weights when they fall between: {cycle_id, positions,
 * pool, step, top_n, current:{screening, interview}, weights:[{screening,
 * interview, current, top:[application_id...], positions:[...]}],
 * candidates:[{application_id, name, ranks:[place at each weight, or
 * null]}], changes:[{from:{screening, interview}, to:{...},
 * entered:[{application_id, name}], left:[...]}], stable:[{application_id,
 * name}], summary}. Places are among the candidates of the rank list's
 * pool; the phases' fits are those of one build (they do not depend on
 * the weights). Errors as ops_ranking_depth() (OPS_INVALID "step").
 */
int ops_ranking_sensitivity(struct db *, struct ops_actor, int64_t cycle,
    int64_t step, json_t **out, struct ops_error *);

#endif
