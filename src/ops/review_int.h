/*
 * What the review operations (ops/review.c, ops/assignments.c,
 * ops/scores.c) share and nobody else calls.
 */
#ifndef FELLOW_OPS_REVIEW_INT_H
#define FELLOW_OPS_REVIEW_INT_H

#include <jansson.h>

#include "core/cycle.h"
#include "core/rubric.h"
#include "ops/accounts.h"

/* Loads cycle id with its state; OPS_NOT_FOUND when there is none. */
int review_cycle(struct db *, int64_t id, struct db_cycle *, enum cycle_state *,
    struct ops_error *);

/* Returns 1 when sheets may be written in a cycle in state s. */
int review_scoring_open(enum cycle_state s);

/* Loads a phase's settings, with the defaults when none are stored.
 * Returns 0 or a DB_E* code. */
int review_phase_get(struct db *, int64_t cycle, enum phase, struct db_phase *);

/* A phase's JSON view (new reference, NULL when out of memory). */
json_t *review_phase_json(const struct db_phase *);

/* ops_rubric_view() for an operation that has reached the cycle already
 * (through a candidate of it). */
int review_rubric_view(struct db *, int64_t cycle, enum phase, int64_t version,
    json_t **out, struct ops_error *);

/* Loads the current rubric of a phase, storing the built-in default as
 * version 1 first when there is none. Returns 0 or a DB_E* code. */
int review_rubric_current(struct db *, int64_t cycle, enum phase, int64_t actor,
    int64_t now, struct db_rubric *);

/* Loads application for a rater or staff (ops_reach_application()):
 * OPS_NOT_FOUND when it does not exist, the actor may not reach it, or
 * the actor is an applicant. a->fields is NULL on return. */
int review_candidate(struct db *, struct ops_actor, int64_t application,
    struct db_application *a, struct ops_error *);

/* Returns 1 when a is a candidate of phase (screening: submitted;
 * interview: submitted and invited to interview), 0, or DB_E*. */
int review_is_candidate(
    struct db *, const struct db_application *a, enum phase);

#endif
