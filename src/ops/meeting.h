/*
 * The rank meeting: the director starts one for a cycle before certifying
 * its list, which locks a snapshot of every submitted sheet and of the
 * composite order, and works out the agenda (core/meeting.h); while it is
 * open every change to a sheet is logged with what it was before and
 * after, who and when, in the transaction that writes the sheet; the
 * director marks the agenda's candidates as discussed and ends it; the
 * meeting's view compares the order at the start with the composite
 * order now. The director runs it; the coordinator follows it
 * (meeting_may_run(), meeting_may_view()). The operations that build
 * the ranking take milliseconds: the web layer runs them off the loop.
 */
#ifndef FELLOW_OPS_MEETING_H
#define FELLOW_OPS_MEETING_H

#include <jansson.h>

#include "ops/accounts.h"

/*
 * Starts a meeting (the director): OPS_CONFLICT when one is open, or the
 * list is certified or the cycle archived; OPS_NOT_FOUND for no such
 * cycle. The ranking is built outside the write transaction and checked
 * inside it (as the rank list's saves: RANKLIST_BUILDS tries). out is
 * the meeting's view (ops_meeting_view()).
 */
int ops_meeting_start(struct db *, struct ops_actor, int64_t cycle, int64_t now,
    json_t **out, struct ops_error *);

/* Ends the open meeting (the director): OPS_CONFLICT when none is open.
 * out is the meeting's view, with the order before and after. */
int ops_meeting_end(struct db *, struct ops_actor, int64_t cycle, int64_t now,
    json_t **out, struct ops_error *);

/*
 * Marks candidate application of the open meeting's agenda as discussed
 * or not (the director): OPS_CONFLICT when no meeting is open,
 * OPS_NOT_FOUND when the candidate is not on its agenda. out:
 * {application_id, discussed, progress:{discussed, total}}.
 */
int ops_meeting_item(struct db *, struct ops_actor, int64_t cycle,
    int64_t application, int discussed, int64_t now, json_t **out,
    struct ops_error *);

/*
 * The open meeting of cycle, else the last one (staff): {meeting: null,
 * positions} when there has been none; else {meeting:{id, cycle_id,
 * state (open|ended), started_by_name, started_at, ended_by_name,
 * ended_at}, positions (the snapshot's), agenda:[{application_id, name, rank, composite,
 * rank_now, composite_now, reasons:[{code, text}], next:{application_id,
 * name}|null, discussed, discussed_by_name, discussed_at, sheets:[{phase,
 * rater_id, rater_name, score, items:[{key, label, value}], comment,
 * version, changed}]}], progress:{discussed, total}, changes:[{id,
 * application_id, name, phase, rater_id, rater_name, changed_by_name, at,
 * kind, before, after}], order_before:[{application_id, name, rank,
 * composite}], order_after:[...], moved:[{application_id, name, from,
 * to}]} (times Unix seconds; the orders are the rank list's pool).
 */
int ops_meeting_view(struct db *, struct ops_actor, int64_t cycle, json_t **out,
    struct ops_error *);

/* {meetings:[{id, state, started_by_name, started_at, ended_by_name,
 * ended_at, agenda, discussed, changes}]} newest first (staff; the last
 * three are counts). */
int ops_meetings_list(struct db *, struct ops_actor, int64_t cycle,
    json_t **out, struct ops_error *);

#endif
