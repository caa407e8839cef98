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
int demo_seed(struct db *, const char *data_dir, char *err, size_t errlen);

/* Prints the demo logins for the operator. */
void demo_print_logins(FILE *);

#endif
