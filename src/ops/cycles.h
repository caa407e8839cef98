/*
 * Cycles and applications: creating and changing cycles (with their
 * deadlines checked and converted in the cycle's time zone), the
 * applicant's draft, submission, withdrawal and the coordinator's reopen,
 * and the views the API sends of them (ops/cycles.c for cycles,
 * ops/applications.c for applications). Each change is one transaction
 * with its audit record.
 *
 * Who reaches what is ops/access.h's to say: a cycle in setup is seen by
 * staff only; an application by its applicant, staff, and the faculty it
 * is assigned to once submitted and unless they have a recorded conflict.
 * What an actor may not reach answers OPS_NOT_FOUND.
 *
 * Views are JSON objects in *out, new references the caller releases with
 * json_decref(), set only when the result is OPS_OK (and, for
 * ops_application_submit(), an incomplete application).
 */
#ifndef FELLOW_OPS_CYCLES_H
#define FELLOW_OPS_CYCLES_H

#include <stdint.h>

#include <jansson.h>

#include "core/settings.h"
#include "ops/common.h"

/* The applications list's page size: default and largest. */
#define OPS_APP_LIST_DEFAULT 200
#define OPS_APP_LIST_MAX     1000

/*
 * {cycles:[cycle...], timezones:[...]}: the cycles actor may see, newest
 * first, each as in ops_cycle_view(), and the time zones a cycle may use.
 */
int ops_cycles_view(struct db *, struct ops_actor, int64_t now, json_t **out,
    struct ops_error *);

/*
 * {cycle:{id, year, name, positions, timezone, state, the five dates,
 * created_at, updated_at, accepting_applications}}, accepting_applications
 * as of now. OPS_NOT_FOUND when there is none or actor may not see it.
 */
int ops_cycle_view(struct db *, struct ops_actor, int64_t id, int64_t now,
    json_t **out, struct ops_error *);

/*
 * The director creates a cycle from in, a JSON object with year, name,
 * the five dates (core/cycle.h) and optionally positions, timezone and
 * state (setup, the only one a new cycle may have). out is the cycle's
 * view (ops_cycle_view()). OPS_FORBIDDEN for anyone else; OPS_INVALID
 * naming the field of a value refused.
 */
int ops_cycle_create(struct db *, struct ops_actor, const json_t *in,
    int64_t now, json_t **out, struct ops_error *);

/*
 * Changes cycle id with the keys of in (those of ops_cycle_create() and
 * state, one step at a time). The director may change anything; the
 * coordinator the dates only (OPS_FORBIDDEN naming the first other key);
 * nobody else anything. out is the cycle's view.
 */
int ops_cycle_update(struct db *, struct ops_actor, int64_t id,
    const json_t *in, int64_t now, json_t **out, struct ops_error *);

/*
 * {application:{id, cycle_id, applicant_id, status, fields, version,
 * submitted_at, created_at, updated_at, missing:[{key, label}], complete,
 * schema, editable}}: the applicant's own application in cycle, created
 * as an empty draft while the cycle accepts applications. OPS_NOT_FOUND
 * when the cycle is not open to applicants, or has closed and there is
 * no application; OPS_FORBIDDEN for anyone but an applicant.
 */
int ops_application_mine(struct db *, struct ops_actor, int64_t cycle,
    int64_t now, json_t **out, struct ops_error *);

/*
 * Saves changed fields (a JSON object of key: value; null clears) into
 * the applicant's draft: every value is normalised and checked first
 * (core/application.h application_normalize(): the view shows the value
 * as stored) and nothing is saved if one is refused (OPS_INVALID naming
 * it). OPS_FORBIDDEN after
 * submission or the deadline. out as ops_application_mine().
 */
int ops_application_save(struct db *, struct ops_actor, int64_t cycle,
    const json_t *changes, int64_t now, json_t **out, struct ops_error *);

/*
 * The applicant's other applications, {copy_from: [{id, cycle_id, cycle,
 * program, fields, documents}]} (how many fields and current documents
 * each holds; the ones holding nothing are left out), newest first: what
 * the form offers to copy from. OPS_FORBIDDEN for anyone but an
 * applicant.
 */
int ops_application_sources(struct db *, struct ops_actor, int64_t cycle,
    json_t **out, struct ops_error *);

/*
 * Copies into the applicant's draft in cycle what their application from
 * holds and the draft does not: each field the draft has no value for,
 * and each kind of document the draft has none of (the same stored file:
 * nothing is uploaded again). Letters are not copied: each program asks
 * its writers. OPS_NOT_FOUND for an application that is not the actor's
 * own other one; as ops_application_save() otherwise; out as
 * ops_application_mine(), with copied:{fields, documents}. Audited as
 * "application.copy".
 */
int ops_application_copy(struct db *, struct ops_actor, int64_t cycle,
    int64_t from, int64_t now, json_t **out, struct ops_error *);

/*
 * Submits the applicant's draft and mails them a receipt (to their
 * account's address, with the time in the cycle's zone and a link to
 * their application). OPS_OK with out as ops_application_mine(); when
 * something is missing, OPS_INVALID with out set to {missing:[{key,
 * label}]} (fields first, then documents); OPS_FORBIDDEN when it is not
 * a draft or the deadline has passed.
 */
int ops_application_submit(struct db *, const struct settings *,
    struct ops_actor, int64_t cycle, int64_t now, json_t **out,
    struct ops_error *);

/*
 * {application} as in ops_application_mine() without editable: for its
 * applicant, staff, and the faculty who may reach it (ops/access.h).
 */
int ops_application_view(struct db *, struct ops_actor, int64_t id,
    json_t **out, struct ops_error *);

/* A page of the applications list: NULL and 0 mean "any". */
struct ops_app_query {
	const char *status; /* draft, submitted or withdrawn */
	const char *q;	    /* a part of the names, e-mail or schools */
	int64_t	    after;  /* the last id of the previous page */
	int64_t	    limit;  /* 1 to OPS_APP_LIST_MAX */
};

/*
 * {applications:[{id, applicant_id, status, first_name, last_name,
 * medical_school, residency_program, submitted_at, updated_at,
 * missing_count, complete, letters_received, letters_requested}],
 * next_after}: the applications of cycle matching q, by id, that actor
 * may reach (staff: all; faculty: the submitted ones assigned to them
 * without a conflict). next_after is the id to pass as after for the
 * next page, or null after the last. Built with one statement.
 */
int ops_applications_list(struct db *, struct ops_actor, int64_t cycle,
    const struct ops_app_query *q, json_t **out, struct ops_error *);

/*
 * What a complete application needs, from the tables of
 * core/application.c and core/document.c, as the JSON arrays of required
 * field keys (fields) and document kinds (docs) that the store's counts
 * of what is missing take (struct db_app_required). 0, or -1 when they
 * do not fit (512 and 128 bytes do).
 */
int ops_application_required(
    char *fields, size_t flen, char *docs, size_t dlen);

/*
 * The applicant withdraws their application id (from draft or
 * submitted); an interview booking or place on the waitlist is released
 * (its seat goes to the waitlist). out is {status:"withdrawn"};
 * OPS_CONFLICT when withdrawn already; OPS_NOT_FOUND for anyone else.
 */
int ops_application_withdraw(struct db *, const struct settings *,
    struct ops_actor, int64_t id, int64_t now, json_t **out,
    struct ops_error *);

/* Staff reopen a submitted or withdrawn application as a draft. out is
 * {status:"draft"}; OPS_CONFLICT when it is a draft already. */
int ops_application_reopen(struct db *, struct ops_actor, int64_t id,
    json_t **out, struct ops_error *);

#endif
