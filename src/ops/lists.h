/*
 * The staff's lists of candidates with their standing: each submitted
 * application's screening score and rank and its interview status, from
 * one build of the ranking (ops/ranking_int.h) and the invitations; and
 * the applications list as a CSV file, with those columns. The ranking
 * takes milliseconds or more, so the web layer runs both off the event
 * loop; the list itself (ops_applications_list) stays a small view served
 * on the loop, and the pages join the two by application id.
 */
#ifndef FELLOW_OPS_LISTS_H
#define FELLOW_OPS_LISTS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ops/common.h"

/* The status filter of the CSV export (as the list's "status"). */
enum ops_list_status {
	OPS_LIST_ANY,
	OPS_LIST_DRAFT,
	OPS_LIST_SUBMITTED,
	OPS_LIST_WITHDRAWN,
	OPS_LIST__MAX
};

/* Returns 0 and the filter named name ("draft" ...), or -1. */
int ops_list_status_parse(const char *name, enum ops_list_status *out);

/*
 * {cycle_id, positions, screened, candidates:[{application_id,
 * screening:{score, mean, raters, rank}|null, interview:{status,
 * sheets, slot:{day, starts, ends, location}|null}}]} for the staff:
 * every submitted application of cycle, by id. score is the
 * rater-adjusted screening score (0-100, as the ranking's), rank its
 * place among the screened (1 = best; screened of them), null before a
 * submitted screening sheet; interview.status is "not_invited",
 * "invited", "booked" or "waitlisted", sheets the submitted interview
 * sheets that count. OPS_FORBIDDEN for anyone else; OPS_NOT_FOUND
 * without the cycle; OPS_INVALID past a limit of core/limits.h.
 */
int ops_application_scores(struct db *, struct ops_actor, int64_t cycle,
    json_t **out, struct ops_error *);

/*
 * The applications of cycle (those with status, or all) as CSV for the
 * staff: UTF-8, CRLF, a header row, then one row per application ordered
 * by screening rank (the unscreened after, by id), with the list's
 * columns and the standing above; every text cell through csv_field()
 * (core/csv.h), the match export's rule. *csv (freed by the caller with
 * free()) and its name into filename. Audited. Results as
 * ops_application_scores().
 */
int ops_applications_csv(struct db *, struct ops_actor, int64_t cycle,
    enum ops_list_status, char **csv, char *filename, size_t fnlen,
    struct ops_error *);

#endif
