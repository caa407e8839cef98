/*
 * What the rank meeting (ops/meeting.c) offers the operations that write
 * sheets and conflicts, and the archive: each called inside the caller's
 * transaction, writing nothing when no meeting of the cycle is open.
 */
#ifndef FELLOW_OPS_MEETING_INT_H
#define FELLOW_OPS_MEETING_INT_H

#include <jansson.h>

#include "ops/accounts.h"

/*
 * A sheet's state as the meeting logs it: {status, score, values,
 * comment, counts} (score: the weighted score on criteria, counts:
 * whether the ranking counts the sheet). A new reference, NULL when out
 * of memory.
 */
json_t *meeting_sheet_state(const char *status, const json_t *criteria,
    const json_t *values, const char *comment, int counts);

/*
 * Logs the change of sheet (of cycle) from before (NULL: no submitted
 * sheet) to after when a meeting of the cycle is open; kind is edit,
 * submit, conflict or conflict_removed. 0 or a DB_E* code.
 */
int meeting_note_sheet(struct db *, int64_t cycle, int64_t sheet,
    const char *kind, const json_t *before, const json_t *after, int64_t by,
    int64_t now);

/*
 * A conflict of faculty with application was recorded (recorded 1) or
 * removed (0): when a meeting of the candidate's cycle is open, logs
 * each submitted sheet of theirs for the candidate, which stops (starts
 * again) to count, at now (the conflict operation's clock value). 0 or
 * a DB_E* code.
 */
int meeting_note_conflict(struct db *, int64_t application, int64_t faculty,
    int recorded, int64_t by, int64_t now);

/* The archive's "meetings" (ops/export.c): every meeting of cycle with
 * its snapshot, agenda, marks and changes, oldest first. */
int meeting_export(struct db *, int64_t cycle, json_t **out);

#endif
