/*
 * Cycles and applications: creating and changing cycles (with their
 * deadlines checked and converted in the cycle's time zone), the
 * applicant's draft, submission, withdrawal and the coordinator's reopen.
 * Each operation is one transaction with its audit record.
 */
#ifndef FELLOW_OPS_CYCLES_H
#define FELLOW_OPS_CYCLES_H

#include <jansson.h>

#include "ops/accounts.h"

/*
 * Creates (target->id == 0) or changes a cycle from the JSON object in,
 * whose keys are year, name, positions, timezone, state and the five
 * dates (core/cycle.h). On creation every date is required. A coordinator
 * may change the dates only. Returns OPS_OK and fills out, or a refusal.
 */
int ops_cycle_save(struct db *, struct ops_actor, int64_t id, const json_t *in,
    struct db_cycle *out, struct ops_error *);

/*
 * Returns the applicant's application in cycle, creating an empty draft
 * when the cycle accepts applications. OPS_NOT_FOUND when the cycle does
 * not exist or is not open to applicants and there is no application.
 */
int ops_application_mine(struct db *, int64_t cycle, int64_t applicant,
    int64_t now, struct db_application *, struct ops_error *);

/*
 * Saves changed fields (a JSON object of key: value; null clears) into the
 * applicant's draft: every value is checked first and nothing is saved if
 * one is refused (OPS_INVALID naming it). OPS_FORBIDDEN after submission
 * or the deadline.
 */
int ops_application_save(struct db *, int64_t cycle, int64_t applicant,
    const json_t *changes, int64_t now, struct db_application *,
    struct ops_error *);

/*
 * Submits the draft. When something is missing returns OPS_INVALID and
 * appends {key, label} objects to missing.
 */
int ops_application_submit(struct db *, int64_t cycle, int64_t applicant,
    int64_t now, json_t *missing, struct ops_error *);

/* The applicant withdraws (from draft or submitted); an interview
 * booking or place on the waitlist is released (its seat goes to the
 * waitlist). */
int ops_application_withdraw(struct db *, const struct settings *, int64_t id,
    int64_t applicant, int64_t now, struct ops_error *);

/* Staff reopen a submitted or withdrawn application as a draft. */
int ops_application_reopen(
    struct db *, struct ops_actor, int64_t id, struct ops_error *);

#endif
