/*
 * Documents of an application, and the uploads that bring documents and
 * letters in.
 *
 * An upload: the web layer streams the request's file part into
 * ops_upload_put() (a temporary file in the documents directory, hashed
 * and synced by src/store), runs ops_upload_check() (the PDF check) on a
 * task thread, and hands the upload to the operation that records it
 * (ops_document_add(), ops_letter_receive()). That operation takes it:
 * when it returns, the file is either stored under its content's name
 * with a row naming it, or gone. A file stored whose row then failed is
 * removed by the next sweep (store/db.h, db_files_sweep()).
 *
 * A file is sent by the web layer from what ops_document_file() or
 * ops_letter_file() hand back, once they have decided that the actor may
 * have it.
 */
#ifndef FELLOW_OPS_DOCUMENTS_H
#define FELLOW_OPS_DOCUMENTS_H

#include "core/document.h"
#include "ops/accounts.h"

/* The longest directory path the uploads and files below take. */
#define OPS_DIR_MAX DB_FILE_PATH_MAX

/* An upload on its way in; zeroed, it holds nothing. */
struct ops_upload {
	struct db_file file;
	int	       checked; /* the PDF check's verdict is in */
	int	       verdict; /* its enum pdf_verdict */
};

/* What the web layer needs to send a stored file. */
struct ops_file {
	char path[OPS_DIR_MAX + 80]; /* the stored file */
	char name[64];		     /* the download's name */
};

/*
 * Streams what readfn() yields (see db_file_read_fn) into a new temporary
 * file in dir, timed at now. OPS_OK; OPS_EFULL (disk or quota full) or
 * OPS_EDB, with the reason for the log in e->message and nothing left
 * behind. A stream that fails is OPS_EDB as well: the caller knows it.
 */
int ops_upload_put(const char *dir, db_file_read_fn readfn, void *arg,
    int64_t now, struct ops_upload *, struct ops_error *);

/*
 * Sends the upload to the PDF check process (core/pdf.h, ops/pdfcheck.h)
 * without waiting: returns the socket its verdict will arrive on, for the
 * event loop to wait on; or -1 when the check cannot run, the verdict
 * then being in (PDF_UNCHECKED).
 */
int ops_upload_check_send(struct ops_upload *);

/*
 * Takes the verdict from fd (what ops_upload_check_send() gave) when it
 * has come: returns 1 with the verdict in and fd closed, or 0 when it has
 * not come yet. With give_up, the verdict is PDF_UNCHECKED, fd is closed
 * and it returns 1.
 */
int ops_upload_check_receive(struct ops_upload *, int fd, int give_up);

/* Whether the upload may be stored: OPS_OK, OPS_INVALID (field "file")
 * when the PDF check refused it or never ran, or OPS_EBUSY when the
 * check could not run (the message says to send it again). */
int ops_upload_ready(const struct ops_upload *, struct ops_error *);

/*
 * For the operations that record an upload, inside their transaction and
 * before the row that names it: stores the file under its content's
 * name. OPS_OK; OPS_INVALID as ops_upload_ready(); OPS_EFULL or OPS_EDB
 * (the reason in e->message).
 */
int ops_upload_commit(struct ops_upload *, struct ops_error *);

/* Removes the upload's temporary file, if any. */
void ops_upload_discard(struct ops_upload *);

/*
 * Checks that actor may change the documents of application (their own
 * draft, while the cycle accepts edits), before a file is read.
 * OPS_OK, OPS_NOT_FOUND (not theirs, or none) or OPS_FORBIDDEN
 * (submitted, past the deadline).
 */
int ops_documents_editable(struct db *, struct ops_actor, int64_t application,
    int64_t now, struct ops_error *);

/*
 * Records upload as a document of kind: refused unless the PDF check
 * accepted it (OPS_INVALID, field "file") and the application is the
 * actor's editable draft (as ops_documents_editable()); a CV or personal
 * statement replaces the current one (the audit names it and its hash).
 * Takes the upload (see above). *out: {document:{id, kind, size, sha256,
 * uploaded_at}}, a new reference.
 */
int ops_document_add(struct db *, struct ops_actor, int64_t application,
    enum document_kind, struct ops_upload *, int64_t now, json_t **out,
    struct ops_error *);

/* Removes one of the actor's documents while editable (the row stays for
 * the record, the file goes with the next sweep). OPS_OK, OPS_NOT_FOUND,
 * OPS_FORBIDDEN. */
int ops_document_remove(
    struct db *, struct ops_actor, int64_t id, int64_t now, struct ops_error *);

/*
 * The current documents of application, for whoever may see it
 * (ops/access.h). *out: {documents:[{id, kind, size, sha256,
 * uploaded_at}]}, a new reference. OPS_OK or OPS_NOT_FOUND.
 */
int ops_documents_list(struct db *, struct ops_actor, int64_t application,
    json_t **out, struct ops_error *);

/*
 * Document id's file in dir, for whoever may see its application; a
 * removed document is not found. OPS_OK with *f filled, or
 * OPS_NOT_FOUND.
 */
int ops_document_file(struct db *, struct ops_actor, int64_t id,
    const char *dir, struct ops_file *f, struct ops_error *);

/* Counts the current documents of each kind into have[]. */
int ops_document_counts(struct db *, int64_t application, int have[DOC__MAX]);

#endif
