/*
 * Demo data for a fresh installation (make run, fellowctl demo): accounts
 * for every role, so a newcomer can look around at once.
 */
#ifndef FELLOW_OPS_DEMO_H
#define FELLOW_OPS_DEMO_H

#include <stdio.h>

#include "store/db.h"

/* The password of every demo account (printed, never for production). */
#define DEMO_PASSWORD "fellowship-demo-2026"

/*
 * Seeds an empty database, writing the demo documents and letters into
 * data_dir/documents. Returns 0, or -1 with a sentence in err.
 */
int demo_seed(
    struct db *, const char *data_dir, int64_t now, char *err, size_t errlen);

/* Prints the demo logins for the operator. */
void demo_print_logins(FILE *);

/* Writes "YYYY-MM-DDTHH:00" for the day days away from now (UTC's
 * calendar) at hour (demo.c). */
void demo_date(int64_t now, int days, int hour, char *out, size_t len);

/*
 * Seeds the review of the demo cycle (ops/demo_review.c): rubrics,
 * conflicts, assignments, interviews and score sheets for apps, the
 * napps submitted applications in order. Inside the caller's
 * transaction. Returns 0 or a DB_E* code.
 */
int demo_review_seed(
    struct db *, int64_t cycle, const int64_t *apps, int napps, int64_t now);

#endif
