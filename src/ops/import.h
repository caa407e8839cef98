/*
 * Importing a cycle's archive: the export.json document of
 * ops_cycle_export() becomes a new cycle of this installation, so that an
 * archive can be restored, moved to another installation or used as a
 * fixture. The people in it get accounts nobody can sign in to; the
 * review and the rank list's history come back as they were, so the
 * ranking and the rank list of the new cycle are those of the archive.
 */
#ifndef FELLOW_OPS_IMPORT_H
#define FELLOW_OPS_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "ops/accounts.h"

/* The largest document accepted (an archive of a national-size cycle is
 * a few tens of megabytes). */
#define OPS_IMPORT_MAX (256L << 20)

/* What an import created. */
struct ops_import_result {
	int64_t cycle;	    /* the new cycle's id */
	int64_t from_cycle; /* its id in the archive */
	int	candidates;
	int	raters;
	int	sheets;
	int	versions; /* rank list versions */
	int	conflicts;
};

/*
 * Imports the export document text (len bytes) as a new cycle, in one
 * transaction with one "cycle.import" audit record naming source (the
 * file, for the record) and actor (0: the operator). The document is
 * checked whole before anything is written.
 *
 * What becomes of the archive:
 * - the cycle, with its state, dates, rubric versions and phase settings;
 * - each candidate: a disabled applicant account without a password
 *   (e-mail from fields.email when it is valid and free here, else
 *   imported-<cycle>-<n>@import.invalid) with a submitted application
 *   holding the exported fields, and, when the candidate was
 *   interviewed, an interview invitation dated now, without a slot;
 * - each rater (by rater_id): a disabled faculty account named as in the
 *   archive, imported-rater-<cycle>-<n>@import.invalid;
 * - each author of a rank list version (by name): a disabled account,
 *   director when they certified or reopened, else coordinator,
 *   imported-staff-<cycle>-<n>@import.invalid; and, when candidates were
 *   invited or conflicts recorded, one disabled coordinator account
 *   "Archive import" (imported-<cycle>-archive@import.invalid) recorded
 *   as who invited them and who recorded the conflicts, since the
 *   archive does not say;
 * - each sheet: submitted, on its rubric version, with its times;
 * - a sheet the archive's ranking left out (its rater had a recorded
 *   conflict with the candidate; conflicts are not exported) gets a
 *   conflict record again, so that it stays out;
 * - the rank list versions, in order, with their numbers, kinds,
 *   reasons, authors and times. Application ids change, so the SHA-256
 *   of each certified version is recomputed over the new ids
 *   (core/ranklist.h); the archive's hash is first checked against the
 *   archived entries (a mismatch refuses the import), then kept in the
 *   version's reason and in the audit record.
 *
 * Returns OPS_OK and fills out; OPS_INVALID with a one-line sentence
 * naming what is wrong (nothing is changed); or a DB_E* code (rolled
 * back).
 */
int ops_cycle_import(struct db *, struct ops_actor, const char *text,
    size_t len, const char *source, int64_t now, struct ops_import_result *out,
    struct ops_error *);

/* As ops_cycle_import() with the contents of the file at path (also the
 * source recorded); OPS_INVALID when it cannot be read. */
int ops_cycle_import_file(struct db *, struct ops_actor, const char *path,
    int64_t now, struct ops_import_result *out, struct ops_error *);

#endif
