/*
 * Who may do and see what, as pure functions of the facts the operations
 * layer gathers (roles, states, recorded conflicts, assignments). This is
 * the one home of these rules: src/ops calls them, nothing else decides.
 *
 * Accounts (SPEC §2, "manage accounts"): the director manages everyone;
 * the coordinator manages everyone but directors and cannot make anyone a
 * director; nobody changes their own role or disables themselves (so a
 * program cannot lose its last director by accident). Applicant accounts
 * are created by the applicants themselves.
 *
 * Candidates: an applicant sees their own application; staff see every
 * application; faculty see the submitted applications assigned to them
 * (in any phase) with which they have no recorded conflict. A conflict
 * recorded for the director bars scoring only: the director keeps the
 * staff's view. Cycles in setup are seen by staff only.
 */
#ifndef FELLOW_CORE_ACCESS_H
#define FELLOW_CORE_ACCESS_H

#include <stdint.h>

#include "core/roles.h"

enum access_verdict {
	ACCESS_OK,
	ACCESS_NOT_STAFF,
	ACCESS_DIRECTORS_ONLY,
	ACCESS_NOT_YOURSELF,
	ACCESS_NO_INVITED_APPLICANTS,
	ACCESS__MAX
};

/* May actor invite a new account with role? */
enum access_verdict access_invite(enum role actor, enum role role);

/*
 * May actor (actor_id) change the account target_id, whose role is target,
 * to new_role (pass target when the role does not change) or disable it?
 */
enum access_verdict access_update_user(enum role actor, int64_t actor_id,
    enum role target, int64_t target_id, enum role new_role, int disabling);

/*
 * May a user see an application (its fields and documents)? The applicant
 * sees their own; staff see all; faculty see the submitted applications
 * assigned to them (in any phase) with which they have no recorded
 * conflict.
 */
int access_view_application(enum role, int64_t user_id, int64_t owner_id,
    int submitted, int conflicted, int assigned);

/*
 * May a user see a cycle (its settings, lists and schedule)? Staff see
 * every cycle; everyone else none that is still in setup.
 */
int access_view_cycle(enum role, int in_setup);

/*
 * Is a candidate hidden from a user by a conflict of interest the user
 * has recorded with them? Faculty only (lists, schedules, sheets).
 */
int access_hidden_by_conflict(enum role, int conflicted);

/*
 * Frozen means frozen: is a conflict a rater declares with a candidate
 * held for the staff's decision instead of recorded at once? A recorded
 * conflict voids the rater's sheets of the candidate, so after scoring
 * has closed it would move scores the director has reviewed, or a
 * certified list. It is held when a faculty member declares it and the
 * cycle's rank list is certified (certified), or scoring is closed in a
 * phase where they submitted a sheet of the candidate (closed_sheet).
 * Staff record conflicts themselves, and decide the held ones: theirs
 * are never held; before scoring closes nothing is.
 */
int access_conflict_held(enum role, int certified, int closed_sheet);

/* May a user accept or decline a held conflict? The coordinator and the
 * director. */
int access_decide_conflict(enum role);

/*
 * May a user see every candidate's aggregated scores and standing (the
 * ranking, the screening score and rank in the staff's lists)? The
 * coordinator and the director; faculty see sheets, never the standing.
 */
int access_view_standing(enum role);

/*
 * May the staff read the bodies of the mail in the outbox? Bodies hold
 * sign-in links meant for their recipients alone: only in the development
 * configuration, where mail is held (never sent) and every account is a
 * demo account.
 */
int access_mail_bodies(int mail_held, int demo);

/* A sentence for the user explaining a refusal. */
const char *access_message(enum access_verdict);

#endif
