/*
 * Document operations, each one transaction with its audit record. The
 * audit keeps every version's content hash, so a replaced file can always
 * be told apart from its successor.
 */
#include <string.h>

#include "core/cycle.h"
#include "ops/common.h"
#include "ops/documents.h"

/* Inside a transaction: is application id the applicant's editable draft? */
static int
editable(struct db *db, int64_t application, int64_t applicant, int64_t now,
    struct ops_error *e)
{
	struct db_application a = { 0 };
	struct db_cycle	      c;
	enum cycle_state      s;
	int		      rc;

	if ((rc = db_application_by_id(db, application, &a)) < 0)
		return (rc);
	db_application_clear(&a);
	if (rc == 0 || a.applicant_id != applicant)
		return (ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such application."));
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
ops_documents_editable(struct db *db, int64_t application, int64_t applicant,
    int64_t now, struct ops_error *e)
{
	int rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = editable(db, application, applicant, now, e);
	db_rollback(db);
	return (rc);
}

int
ops_document_add(struct db *db, int64_t application, int64_t applicant,
    enum document_kind kind, const char *sha256, int64_t size, int64_t now,
    int64_t *id, struct ops_error *e)
{
	struct db_document d = { 0 };
	int		   rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = editable(db, application, applicant, now, e)) != OPS_OK)
		return (ops_finish(db, rc));
	if (document_kinds[kind].single)
		rc = db_document_remove_kind(
		    db, application, document_kinds[kind].key);
	d.application_id = application;
	(void)snprintf(d.kind, sizeof(d.kind), "%s", document_kinds[kind].key);
	(void)snprintf(d.sha256, sizeof(d.sha256), "%s", sha256);
	d.size = size;
	d.uploaded_by = applicant;
	if (rc == OPS_OK)
		rc = db_document_insert(db, &d, id);
	if (rc == OPS_OK)
		rc = ops_audit(db, applicant, "document.upload", "application",
		    application,
		    json_pack("{s:I,s:s,s:s,s:I}", "document", (json_int_t)*id,
			"kind", d.kind, "sha256", sha256, "size",
			(json_int_t)size));
	return (ops_finish(db, rc));
}

int
ops_document_remove(struct db *db, int64_t id, int64_t applicant, int64_t now,
    struct ops_error *e)
{
	struct db_document d;
	int		   rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_document_by_id(db, id, &d)) < 0)
		return (ops_finish(db, rc));
	if (rc == 0 || d.removed_at[0] != '\0')
		return (ops_finish(db,
		    ops_refuse(
			e, OPS_NOT_FOUND, NULL, "There is no such document.")));
	if ((rc = editable(db, d.application_id, applicant, now, e)) != OPS_OK)
		return (ops_finish(db, rc));
	if ((rc = db_document_remove(db, id)) == 1)
		rc = ops_audit(db, applicant, "document.remove", "application",
		    d.application_id,
		    json_pack("{s:I,s:s,s:s}", "document", (json_int_t)id,
			"kind", d.kind, "sha256", d.sha256));
	return (ops_finish(db, rc));
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
