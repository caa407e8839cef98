/*
 * Review operations: rubrics and their versions, phase settings (scoring
 * deadline, closing, composite weight), conflicts of interest, reviewer
 * assignment (by hand and balanced), score sheets with their change log,
 * and reminders to raters. Each change is one transaction with its audit
 * record. Views are returned as JSON objects (new references the caller
 * releases with json_decref()), the shapes the API sends.
 *
 * Who may reach a candidate: faculty, the candidates assigned to them in
 * some phase with no recorded conflict (others: OPS_NOT_FOUND, so nothing
 * tells them the candidate exists); the director and the coordinator, all.
 * Scoring: faculty on their assignments of the phase, the director on any
 * candidate of the phase without a conflict; never the coordinator.
 */
#ifndef FELLOW_OPS_REVIEW_H
#define FELLOW_OPS_REVIEW_H

#include <jansson.h>

#include "core/rubric.h"
#include "ops/accounts.h"

#define OPS_MANUAL_REMIND_GAP (12L * 60 * 60)

/* {rubric:{...}, versions:[...]} of a phase; version 0 is the current
 * one (the built-in default, version 0, until the director saves one).
 * OPS_NOT_FOUND when actor may not see the cycle (ops/access.h). */
int ops_rubric_view(struct db *, struct ops_actor, int64_t cycle, enum phase,
    int64_t version, json_t **out, struct ops_error *);

/*
 * The director replaces the criteria of a phase. A rubric with submitted
 * sheets is frozen: the criteria become a new version (*versioned = 1).
 * Returns OPS_OK with the new view in out.
 */
int ops_rubric_save(struct db *, struct ops_actor, int64_t cycle, enum phase,
    const json_t *criteria, int64_t now, json_t **out, int *versioned,
    struct ops_error *);

/* {phases:[{phase, scoring_due, closed, closed_at, weight}]};
 * OPS_NOT_FOUND when actor may not see the cycle. */
int ops_phases_view(struct db *, struct ops_actor, int64_t cycle, json_t **out,
    struct ops_error *);

/*
 * Changes a phase from in {scoring_due?, closed?, weight?}: the
 * coordinator may set the deadline only; closing, reopening and weights
 * are the director's. out is the phase's new view.
 */
int ops_phase_update(struct db *, struct ops_actor, int64_t cycle, enum phase,
    const json_t *in, int64_t now, json_t **out, struct ops_error *);

/*
 * Records a conflict between faculty (0: the actor) and application, of
 * kind "conflict" or "known_applicant", with a reason; faculty may record
 * their own only. The rater's assignments of the candidate are removed.
 * A faculty member's declaration that access_conflict_held() holds
 * (scoring closed on a sheet they submitted of the candidate, or the
 * list certified) is recorded instead as a request for the staff, which
 * changes nothing else: *out is then the request {id, cycle_id,
 * application_id, candidate, faculty_id, faculty_name, kind, reason,
 * held_because, declared_at, status:"pending", ...} and *held (when not
 * NULL) is 1; else *out is the conflict and *held 0. OPS_CONFLICT when
 * the conflict is recorded, or the request pending, already. A rank
 * meeting open for the cycle logs the rater's sheets' change at now (as
 * do the decision and the removal below).
 */
int ops_conflict_declare(struct db *, struct ops_actor, int64_t application,
    int64_t faculty, const char *kind, const char *reason, int64_t now,
    json_t **out, int *held, struct ops_error *);

/*
 * The staff decide a held declaration (request id): decision "accept"
 * records the conflict as the declaration would have before (the
 * rater's sheets of the candidate stop counting, their assignments of it
 * go), "decline" changes nothing; note (or NULL) is kept with the
 * decision; both are audited. *out is the request as decided.
 * OPS_FORBIDDEN for anyone but staff, OPS_NOT_FOUND (no such request),
 * OPS_INVALID (decision or note), OPS_CONFLICT (decided already).
 */
int ops_conflict_decide(struct db *, struct ops_actor, int64_t id,
    const char *decision, const char *note, int64_t now, json_t **out,
    struct ops_error *);

/* The held declarations of cycle, of faculty (0: everyone's), only the
 * pending ones when pending_only, as *out (a new array; see
 * ops_conflict_declare() for their shape). For the operations that show
 * them (the conflicts view, the staff's home page); no access check. */
int ops_conflict_requests(struct db *, int64_t cycle, int64_t faculty,
    int pending_only, json_t **out);

/* Staff remove a recorded conflict. */
int ops_conflict_remove(
    struct db *, struct ops_actor, int64_t id, int64_t now, struct ops_error *);

/* {conflicts:[...], requests:[...]}: staff see all of the cycle, faculty
 * their own and (to declare against) candidates:[{application_id, name}];
 * requests are the declarations held for the staff (pending first, then
 * the decided, newest first). OPS_NOT_FOUND
 * when actor may not see the cycle; OPS_FORBIDDEN for applicants. */
int ops_conflicts_view(struct db *, struct ops_actor, int64_t cycle,
    json_t **out, struct ops_error *);

/*
 * The assignments view {assignments, raters, graph} of cycle, of phase
 * (NULL: both) and of faculty (0: all; faculty may ask for their own
 * only), for whoever may reach the cycle (ops_reach_cycle()). It is
 * served on the event loop, so it comes as JSON text ready to send
 * (*json, *len; the caller frees *json) rather than as a json_t, whose
 * building and serialising would cost more than reading the rows.
 */
int ops_assignments_view(struct db *, struct ops_actor, int64_t cycle,
    const char *phase, int64_t faculty, char **json, size_t *len,
    struct ops_error *);

/*
 * Staff set assignments from items, a JSON array of {faculty_id,
 * application_id, phase, assigned?}: all are checked before any is
 * written (at most core/limits.h's LIMIT_ASSIGN_ITEMS). out is {added,
 * removed}.
 */
int ops_assignments_set(struct db *, struct ops_actor, int64_t cycle,
    const json_t *items, int64_t now, json_t **out, struct ops_error *);

/*
 * Staff assign raters automatically for a phase: every candidate at least
 * k raters, none over cap, conflicts respected, the rater-candidate graph
 * connected when it can be. rater_ids (a JSON array or NULL for every
 * enabled faculty account) names the pool. Existing assignments are kept.
 * out is {added, connected, components, warnings, loads}.
 */
int ops_assignments_auto(struct db *, struct ops_actor, int64_t cycle,
    enum phase, int k, int cap, const json_t *rater_ids, int64_t now,
    json_t **out, struct ops_error *);

/* {sheet, rubric, closed}: the actor's own sheet of a candidate. */
int ops_sheet_view(struct db *, struct ops_actor, int64_t application,
    enum phase, json_t **out, struct ops_error *);

/*
 * Saves the actor's sheet: values (a JSON object), comment (NULL keeps
 * it), submit, and version (0, or the version the rater last saw: a
 * different one is refused as stale). Changes after submission are logged
 * with old and new values. out is the sheet's view.
 */
int ops_sheet_save(struct db *, struct ops_actor, int64_t application,
    enum phase, const json_t *values, const char *comment, int submit,
    int64_t version, int64_t now, json_t **out, struct ops_error *);

/*
 * {sheets, rubric, changes}: the submitted sheets of a candidate; faculty
 * only once their own is submitted; the change log for staff only.
 */
int ops_sheets_all(struct db *, struct ops_actor, int64_t application,
    enum phase, json_t **out, struct ops_error *);

/*
 * Staff mail every rater of the phase with missing sheets (at most once
 * in 12 hours), or, when faculty is not 0, that one rater (at most once
 * in 12 hours after any reminder of the phase went to them: OPS_THROTTLED
 * with retry_after; OPS_INVALID naming "faculty_id" when they have no
 * missing sheet in the phase). *sent says how many were mailed.
 * OPS_CONFLICT when scoring of the phase is closed.
 */
int ops_reminders_send(struct db *, const struct settings *, struct ops_actor,
    int64_t cycle, enum phase, int64_t faculty, int64_t now, int *sent,
    struct ops_error *);

/*
 * The automatic reminders (core/remind.h): for each open phase whose
 * scoring deadline is within 48 hours, the raters with missing sheets are
 * mailed once; once the deadline has passed, once more with the overdue
 * wording. Run by the mail process. Returns how many messages were
 * queued, or a DB_E* code.
 */
int ops_reminders_due(struct db *, const struct settings *, int64_t now);

#endif
