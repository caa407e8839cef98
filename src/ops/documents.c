/*
 * Document operations and uploads (ops/documents.h). Each change is one
 * transaction with its audit record; the audit keeps every version's
 * content hash, so a replaced or removed file can always be told apart
 * from its successor after the sweep has deleted it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/cycle.h"
#include "core/pdf.h"
#include "ops/access.h"
#include "ops/common.h"
#include "ops/documents.h"
#include "ops/pdfcheck.h"

static const char *const no_document = "There is no such document.";
static const char *const no_application = "There is no such application.";

int
ops_upload_put(const char *dir, db_file_read_fn readfn, void *arg, int64_t now,
    struct ops_upload *up, struct ops_error *e)
{
	char err[256];
	int  rc;

	memset(up, 0, sizeof(*up));
	if ((rc = db_file_put(
		 dir, readfn, arg, now, &up->file, err, sizeof(err))) != 0)
		return (ops_refuse(e, rc, NULL, err));
	return (OPS_OK);
}

int
ops_upload_check_send(struct ops_upload *up)
{
	int fd;

	if ((fd = pdfcheck_send(up->file.path)) == -1) {
		up->verdict = PDF_UNCHECKED;
		up->checked = 1;
	}
	return (fd);
}

int
ops_upload_check_receive(struct ops_upload *up, int fd, int give_up)
{
	int v = give_up ? PDF_UNCHECKED : pdfcheck_receive(fd);

	if (v == -1)
		return (0);
	(void)close(fd);
	up->verdict = v;
	up->checked = 1;
	return (1);
}

void
ops_upload_discard(struct ops_upload *up)
{
	db_file_discard(&up->file);
}

int
ops_upload_ready(const struct ops_upload *up, struct ops_error *e)
{
	if (!up->checked || up->file.path[0] == '\0')
		return (ops_refuse(e, OPS_INVALID, "file",
		    "The file was not received; send it again."));
	if (up->verdict == PDF_UNCHECKED)
		return (ops_refuse(
		    e, OPS_EBUSY, "file", pdf_verdict_message(PDF_UNCHECKED)));
	if (up->verdict != PDF_OK)
		return (ops_refuse(e, OPS_INVALID, "file",
		    pdf_verdict_message((enum pdf_verdict)up->verdict)));
	return (OPS_OK);
}

int
ops_upload_commit(struct ops_upload *up, struct ops_error *e)
{
	char err[256];
	int  rc;

	if ((rc = ops_upload_ready(up, e)) != OPS_OK)
		return (rc);
	if ((rc = db_file_commit(&up->file, err, sizeof(err))) != 0)
		return (ops_refuse(e, rc, NULL, err));
	return (OPS_OK);
}

static json_t *
document_json(const struct db_document *d)
{
	return (json_pack("{s:I,s:s,s:I,s:s,s:s}", "id", (json_int_t)d->id,
	    "kind", d->kind, "size", (json_int_t)d->size, "sha256", d->sha256,
	    "uploaded_at", d->created_at));
}

/* Inside a transaction: is application the actor's editable draft? */
static int
editable(struct db *db, struct ops_actor actor, int64_t application,
    int64_t now, struct ops_error *e)
{
	struct db_application a = { 0 };
	struct db_cycle	      c;
	enum cycle_state      s;
	int		      rc;

	if (actor.role != ROLE_APPLICANT)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, no_application));
	if ((rc = db_application_by_id(db, application, &a)) < 0)
		return (rc);
	db_application_clear(&a);
	if (rc == 0 || a.applicant_id != actor.id)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, no_application));
	if ((rc = db_cycle_by_id(db, a.cycle_id, &c)) != 1)
		return (rc < 0 ? rc : DB_ERROR);
	if (strcmp(a.status, "draft") != 0)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "This application is no longer a draft; ask the "
		    "coordinator to reopen it."));
	if (cycle_state_parse(c.state, &s) != 0 ||
	    !cycle_accepts_edits(s, c.open_at, c.close_at, now))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "The application deadline has passed."));
	return (OPS_OK);
}

int
ops_documents_editable(struct db *db, struct ops_actor actor,
    int64_t application, int64_t now, struct ops_error *e)
{
	int rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = editable(db, actor, application, now, e);
	/* Nothing was written: the verdict stands either way. */
	return (ops_finish(db, rc));
}

/* What an application's current documents hold: of kind, how many and
 * how many bytes; of the other kinds, how many bytes. */
struct holding {
	const char *kind;
	int64_t	    of_kind, kind_bytes, other_bytes;
};

static int
add_holding(void *arg, const struct db_document *d)
{
	struct holding *h = arg;

	if (strcmp(d->kind, h->kind) == 0) {
		h->of_kind++;
		h->kind_bytes += d->size;
	} else
		h->other_bytes += d->size;
	return (0);
}

/* The applicant's storage quota (core/limits.h) for one more document of
 * kind of size bytes: OPS_OK, or OPS_INVALID naming the limit. */
static int
within_quota(struct db *db, int64_t application, enum document_kind kind,
    int64_t size, struct ops_error *e)
{
	struct holding h = { document_kinds[kind].key, 0, 0, 0 };
	int64_t	       after;
	char	       msg[256];
	int	       rc;

	if ((rc = db_document_list(db, application, add_holding, &h)) != 0)
		return (rc);
	if (!document_kinds[kind].single &&
	    limit_over(LIMIT_OTHER_DOCUMENTS, h.of_kind + 1))
		return (ops_refuse_copy(e, OPS_INVALID, "kind",
		    limit_message(LIMIT_OTHER_DOCUMENTS,
			"Remove a document before adding another", msg,
			sizeof(msg))));
	/* A single kind's earlier file is replaced: it does not count. */
	after = h.other_bytes + size +
	    (document_kinds[kind].single ? 0 : h.kind_bytes);
	if (limit_over(LIMIT_DOCUMENT_BYTES, after))
		return (ops_refuse_copy(e, OPS_INVALID, "file",
		    limit_message(LIMIT_DOCUMENT_BYTES,
			"This file would take the application past its "
			"storage",
			msg, sizeof(msg))));
	return (OPS_OK);
}

/* The current documents of one kind, for the audit of a replacement. */
struct replaced {
	const char *kind;
	json_t	   *list;
};

static int
add_replaced(void *arg, const struct db_document *d)
{
	struct replaced *r = arg;

	if (strcmp(d->kind, r->kind) != 0)
		return (0);
	return (json_array_append_new(r->list,
		    json_pack("{s:I,s:s}", "document", (json_int_t)d->id,
			"sha256", d->sha256)) == 0
		? 0
		: OPS_ENOMEM);
}

int
ops_document_add(struct db *db, struct ops_actor actor, int64_t application,
    enum document_kind kind, struct ops_upload *up, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_document d = { 0 };
	struct replaced	   r = { document_kinds[kind].key, NULL };
	json_t		  *view = NULL, *detail;
	int64_t		   id = 0;
	int		   rc;

	*out = NULL;
	if (actor.role != ROLE_APPLICANT) {
		ops_upload_discard(up);
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, no_application));
	}
	if ((rc = ops_upload_ready(up, e)) != OPS_OK ||
	    (rc = db_begin(db)) != 0) {
		ops_upload_discard(up);
		return (rc);
	}
	if ((rc = editable(db, actor, application, now, e)) != OPS_OK ||
	    (rc = within_quota(db, application, kind, up->file.size, e)) !=
		OPS_OK)
		goto out;
	if (document_kinds[kind].single) {
		if ((r.list = json_array()) == NULL) {
			rc = OPS_ENOMEM;
			goto out;
		}
		if ((rc = db_document_list(
			 db, application, add_replaced, &r)) != 0 ||
		    (rc = db_document_remove_kind(db, application, r.kind)) !=
			0)
			goto out;
	}
	/* The file is in place before the row that names it. */
	if ((rc = ops_upload_commit(up, e)) != OPS_OK)
		goto out;
	d.application_id = application;
	(void)snprintf(d.kind, sizeof(d.kind), "%s", r.kind);
	(void)snprintf(d.sha256, sizeof(d.sha256), "%s", up->file.sha256);
	d.size = up->file.size;
	d.uploaded_by = actor.id;
	if ((rc = db_document_insert(db, &d, &id)) != 0)
		goto out;
	if ((rc = db_document_by_id(db, id, &d)) != 1) {
		rc = rc < 0 ? rc : DB_ERROR;
		goto out;
	}
	if ((detail = json_pack("{s:I,s:s,s:s,s:I}", "document", (json_int_t)id,
		 "kind", d.kind, "sha256", d.sha256, "size",
		 (json_int_t)d.size)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if (r.list != NULL && json_array_size(r.list) > 0 &&
	    json_object_set(detail, "replaced", r.list) != 0) {
		json_decref(detail);
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = ops_audit(db, actor.id, "document.upload", "application",
		 application, detail)) != 0)
		goto out;
	if ((view = json_pack("{s:o}", "document", document_json(&d))) == NULL)
		rc = OPS_ENOMEM;
out:
	json_decref(r.list);
	ops_upload_discard(up);
	if ((rc = ops_finish(db, rc)) != OPS_OK)
		json_decref(view);
	else
		*out = view;
	return (rc);
}

int
ops_document_remove(struct db *db, struct ops_actor actor, int64_t id,
    int64_t now, struct ops_error *e)
{
	struct db_document d;
	json_t		  *detail;
	int		   rc;

	if (actor.role != ROLE_APPLICANT)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, no_document));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_document_by_id(db, id, &d)) < 0)
		goto out;
	if (rc == 0 || d.removed_at[0] != '\0') {
		rc = ops_refuse(e, OPS_NOT_FOUND, NULL, no_document);
		goto out;
	}
	if ((rc = editable(db, actor, d.application_id, now, e)) != OPS_OK) {
		/* Someone else's document is not found, whatever it is. */
		if (rc == OPS_NOT_FOUND)
			rc = ops_refuse(e, OPS_NOT_FOUND, NULL, no_document);
		goto out;
	}
	if ((rc = db_document_remove(db, id)) < 0)
		goto out;
	if (rc == 0) {
		rc = ops_refuse(e, OPS_NOT_FOUND, NULL, no_document);
		goto out;
	}
	if ((detail = json_pack("{s:I,s:s,s:s}", "document", (json_int_t)id,
		 "kind", d.kind, "sha256", d.sha256)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	rc = ops_audit(db, actor.id, "document.remove", "application",
	    d.application_id, detail);
out:
	return (ops_finish(db, rc));
}

static int
add_document(void *arg, const struct db_document *d)
{
	return (
	    json_array_append_new(arg, document_json(d)) == 0 ? 0 : OPS_ENOMEM);
}

int
ops_documents_list(struct db *db, struct ops_actor actor, int64_t application,
    json_t **out, struct ops_error *e)
{
	struct db_application a;
	json_t		     *list;
	int		      rc;

	*out = NULL;
	if ((rc = ops_reach_application(db, actor, application, &a, e)) !=
	    OPS_OK)
		return (rc);
	db_application_clear(&a);
	if ((list = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_document_list(db, application, add_document, list)) != 0) {
		json_decref(list);
		return (rc);
	}
	if ((*out = json_pack("{s:o}", "documents", list)) == NULL)
		return (OPS_ENOMEM);
	return (OPS_OK);
}

int
ops_document_file(struct db *db, struct ops_actor actor, int64_t id,
    const char *dir, struct ops_file *f, struct ops_error *e)
{
	struct db_application a;
	struct db_document    d;
	int		      rc;

	if ((rc = db_document_by_id(db, id, &d)) < 0)
		return (rc);
	if (rc == 0 || d.removed_at[0] != '\0')
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, no_document));
	if ((rc = ops_reach_application(db, actor, d.application_id, &a, e)) !=
	    OPS_OK)
		return (rc == OPS_NOT_FOUND
			? ops_refuse(e, rc, NULL, no_document)
			: rc);
	db_application_clear(&a);
	if (db_file_path(dir, d.sha256, f->path, sizeof(f->path)) != 0)
		return (ops_refuse(e, OPS_EDB, NULL, "bad stored file name"));
	(void)snprintf(f->name, sizeof(f->name), "%s-%lld.pdf", d.kind,
	    (long long)d.application_id);
	return (OPS_OK);
}

static int
count_kind(void *arg, const struct db_document *d)
{
	int		  *have = arg;
	enum document_kind k;

	if (document_kind_parse(d->kind, &k) == 0)
		have[k]++;
	return (0);
}

int
ops_document_counts(struct db *db, int64_t application, int have[DOC__MAX])
{
	memset(have, 0, sizeof(int) * DOC__MAX);
	return (db_document_list(db, application, count_kind, have));
}
