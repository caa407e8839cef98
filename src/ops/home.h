/*
 * The home page: each signed-in user's to-do list for the current cycles
 * (every cycle not archived that they may see), built by one operation
 * for one request. What each role sees is decided here and in core (who
 * may reach what: ops/access.h and core/access.h; the list's order and
 * the applicant's timeline: core/home.h), never by the page.
 *
 * Every view carries {role, now}: now is the server's clock, and each
 * deadline comes as the instant (due_at, Unix seconds), the time as typed
 * in the cycle's time zone (due) and the time left (seconds_left,
 * negative once passed), so that the page never reads the browser's
 * clock. Times of events are Unix seconds.
 *
 *  applicant    cycles:[{cycle, application, timeline, letters,
 *               invitation}] — their own application in each cycle
 *               (null when none), its checklist (missing), the timeline
 *               (started, submitted, invited, booked, interviewed), each
 *               letter's status (never the letter), and the interview
 *               invitation with the booked slot (null when not invited).
 *               Nothing of any other applicant.
 *  faculty      sheets:{done, total, next, phases:[{cycle_id, cycle,
 *               timezone, phase, due, due_at, seconds_left, overdue,
 *               closed, done, total, drafts, pending:[{application_id,
 *               name, sheet}]}]} — the phases of cycles open for scoring
 *               where they have candidates, open phases first, ordered by
 *               deadline (overdue first), closed phases last; pending in
 *               the order of "My candidates" (by name); next is the first
 *               pending sheet of an open phase, or null. A candidate they
 *               may not reach (a recorded conflict, an application not
 *               submitted) is in no count and no list.
 *  coordinator  cycles:[{cycle, deadlines, pipeline, not_booked,
 *               raters_behind}], mail — deadlines still ahead or passed
 *               with their work still open, earliest first; the
 *               applications counted; the candidates invited to interview
 *               who have not booked; per open phase the raters with sheets
 *               outstanding; the mail that failed.
 *  director     cycles:[{cycle, deadlines, readiness}], mail, and sheets
 *               as faculty when they have candidates assigned. readiness
 *               (null before review) is what the ranking tells: per phase
 *               the sheets missing and in draft and the groups of raters
 *               that cannot be compared, the rank list's candidates
 *               without an interview sheet, those invited and not booked,
 *               and the rank list's current version.
 */
#ifndef FELLOW_OPS_HOME_H
#define FELLOW_OPS_HOME_H

#include <stdint.h>

#include <jansson.h>

#include "ops/common.h"

/* How many failed messages the staff's home lists (all are counted). */
#define OPS_HOME_MAIL_LISTED 5

/*
 * The home view of actor at now (see above) into *out, a new reference.
 * OPS_OK, a DB_E* code or OPS_ENOMEM; OPS_FORBIDDEN for an actor with no
 * role (the operator).
 */
int ops_home_view(struct db *, struct ops_actor, int64_t now, json_t **out,
    struct ops_error *);

#endif
