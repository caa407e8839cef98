/*
 * Documents of an application: recording an upload (its file is already
 * stored under its content's name), removing one, and which required kinds
 * are still missing.
 */
#ifndef FELLOW_OPS_DOCUMENTS_H
#define FELLOW_OPS_DOCUMENTS_H

#include "core/document.h"
#include "ops/accounts.h"

/*
 * Checks that applicant may change the documents of application id (their
 * own draft, while the cycle accepts edits). OPS_OK, OPS_NOT_FOUND (not
 * theirs, or none) or OPS_FORBIDDEN (submitted, past the deadline).
 */
int ops_documents_editable(struct db *, int64_t application, int64_t applicant,
    int64_t now, struct ops_error *);

/* Records an upload, replacing the current one of a single kind. */
int ops_document_add(struct db *, int64_t application, int64_t applicant,
    enum document_kind, const char *sha256, int64_t size, int64_t now,
    int64_t *id, struct ops_error *);

/* Removes one of the applicant's documents. */
int ops_document_remove(struct db *, int64_t id, int64_t applicant, int64_t now,
    struct ops_error *);

/* Counts the current documents of each kind into have[]. */
int ops_document_counts(struct db *, int64_t application, int have[DOC__MAX]);

#endif
