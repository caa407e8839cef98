/*
 * Application operations (ops/cycles.h): the applicant's draft, saved
 * field by field, submitted once complete, withdrawn; the coordinator's
 * reopen; the views of one application with its checklist; and the
 * applications list, built with one statement so that a page costs the
 * same few milliseconds whatever it holds (its checklist counts, letter
 * counts and the faculty's filter are computed by SQLite, not row by row).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access.h"
#include "core/application.h"
#include "core/cycle.h"
#include "core/calendar.h"
#include "core/document.h"
#include "core/mail.h"
#include "ops/access.h"
#include "ops/common.h"
#include "ops/cycles.h"
#include "ops/documents.h"
#include "ops/interviews.h"

static const char *const no_application = "There is no such application.";

/* Returns 1 when an applicant may still edit in cycle c at now. */
static int
accepts_edits(const struct db_cycle *c, int64_t now)
{
	enum cycle_state s;

	return (cycle_state_parse(c->state, &s) == 0 &&
	    cycle_accepts_edits(s, c->open_at, c->close_at, now));
}

/* The application's own operations are the applicant's. */
static int
applicant_only(struct ops_actor actor, struct ops_error *e)
{
	if (actor.role != ROLE_APPLICANT)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only applicants have applications."));
	return (OPS_OK);
}

/*
 * Appends to missing a {key, label} for each required field that fields
 * lacks and each required document kind application id has no current
 * document of. Returns how many into *n: OPS_OK or a DB_E* code.
 */
static int
checklist(
    struct db *db, int64_t id, const json_t *fields, json_t *missing, size_t *n)
{
	int have[DOC__MAX], rc;

	*n = application_missing(fields, missing);
	if ((rc = ops_document_counts(db, id, have)) != 0)
		return (rc);
	*n += document_missing(have, missing);
	return (OPS_OK);
}

/*
 * The full view of application a (fields, checklist, schema) into *out,
 * a new object: OPS_OK, a DB_E* code or OPS_ENOMEM.
 */
static int
application_json(struct db *db, const struct db_application *a, json_t **out)
{
	json_t *fields, *missing;
	size_t	n;
	int	rc;

	*out = NULL;
	if ((fields = json_loads(a->fields, 0, NULL)) == NULL &&
	    (fields = json_object()) == NULL)
		return (OPS_ENOMEM);
	if ((missing = json_array()) == NULL) {
		json_decref(fields);
		return (OPS_ENOMEM);
	}
	if ((rc = checklist(db, a->id, fields, missing, &n)) != OPS_OK) {
		json_decref(fields);
		json_decref(missing);
		return (rc);
	}
	/* json_pack releases the "o" values when it fails. */
	*out = json_pack("{s:I,s:I,s:I,s:s,s:o,s:I,s:s?,s:s,s:s,s:o,s:b,s:o}",
	    "id", (json_int_t)a->id, "cycle_id", (json_int_t)a->cycle_id,
	    "applicant_id", (json_int_t)a->applicant_id, "status", a->status,
	    "fields", fields, "version", (json_int_t)a->version, "submitted_at",
	    a->submitted_at[0] ? a->submitted_at : NULL, "created_at",
	    a->created_at, "updated_at", a->updated_at, "missing", missing,
	    "complete", n == 0, "schema", application_schema());
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

/*
 * {application} of a into *out; with editable (whether its applicant may
 * still change it, in cycle c at now) when c is not NULL.
 */
static int
application_reply(struct db *db, const struct db_application *a,
    const struct db_cycle *c, int64_t now, json_t **out)
{
	json_t *o;
	int	rc;

	if ((rc = application_json(db, a, &o)) != OPS_OK)
		return (rc);
	if (c != NULL &&
	    json_object_set_new(o, "editable",
		json_boolean(strcmp(a->status, "draft") == 0 &&
		    accepts_edits(c, now))) != 0) {
		json_decref(o);
		return (OPS_ENOMEM);
	}
	*out = json_pack("{s:o}", "application", o);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

/* ops_audit() of application id with a detail the caller built: NULL
 * there means json_pack() ran out of memory. */
static int
audit(struct db *db, int64_t actor, const char *action, int64_t id,
    json_t *detail)
{
	if (detail == NULL)
		return (OPS_ENOMEM);
	return (ops_audit(db, actor, action, "application", id, detail));
}

/* Reloads the applicant's application in cycle into a (after a change). */
static int
reload_own(struct db *db, struct ops_actor actor, int64_t cycle,
    struct db_application *a)
{
	int rc;

	db_application_clear(a);
	if ((rc = db_application_by_owner(db, cycle, actor.id, a)) == 1)
		return (OPS_OK);
	return (rc < 0 ? rc : OPS_EDB);
}

int
ops_application_mine(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t now, json_t **out, struct ops_error *e)
{
	struct db_application a = { 0 };
	struct db_cycle	      c;
	json_t		     *view = NULL;
	int64_t		      id;
	int		      rc;

	if ((rc = applicant_only(actor, e)) != OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = ops_reach_cycle(db, actor, cycle, &c, e)) != OPS_OK)
		goto out;
	if ((rc = db_application_by_owner(db, cycle, actor.id, &a)) < 0)
		goto out;
	if (rc == 0) {
		/* The first visit while the cycle accepts applications
		 * creates the draft. */
		if (!accepts_edits(&c, now)) {
			rc = ops_refuse(e, OPS_NOT_FOUND, NULL,
			    "This cycle does not accept applications now.");
			goto out;
		}
		if ((rc = db_application_insert(
			 db, cycle, actor.id, "{}", &id)) != OPS_OK ||
		    (rc = ops_audit(db, actor.id, "application.create",
			 "application", id, NULL)) != OPS_OK ||
		    (rc = reload_own(db, actor, cycle, &a)) != OPS_OK)
			goto out;
	}
	rc = application_reply(db, &a, &c, now, &view);
out:
	db_application_clear(&a);
	*out = view;
	return (ops_finish_view(db, rc, out));
}

/* Loads the applicant's draft in cycle (into a and c), which must still
 * accept edits. */
static int
editable_draft(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t now, struct db_application *a, struct db_cycle *c,
    struct ops_error *e)
{
	int rc;

	if ((rc = ops_reach_cycle(db, actor, cycle, c, e)) != OPS_OK)
		return (rc);
	if ((rc = db_application_by_owner(db, cycle, actor.id, a)) < 0)
		return (rc);
	if (rc == 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL,
		    "You have no application in this cycle."));
	if (strcmp(a->status, "draft") != 0)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "This application is no longer a draft; ask the "
		    "coordinator to reopen it."));
	if (!accepts_edits(c, now))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "The application deadline has passed."));
	return (OPS_OK);
}

/*
 * Checks every value of changes before anything is written, and puts
 * each in the form it is stored in (core/application.h) into *clean, a
 * new object: OPS_OK, a refusal naming the field, or OPS_ENOMEM.
 */
static int
changes_check(const json_t *changes, json_t **clean, struct ops_error *e)
{
	const struct app_field *f;
	const char	       *key, *msg = NULL;
	json_t		       *v, *n;
	int			rc;

	*clean = NULL;
	if (!json_is_object(changes))
		return (ops_refuse(
		    e, OPS_INVALID, "fields", "fields must be an object."));
	if ((*clean = json_object()) == NULL)
		return (OPS_ENOMEM);
	json_object_foreach((json_t *)changes, key, v)
	{
		if ((f = application_field(key)) == NULL)
			rc = ops_refuse_copy(
			    e, OPS_INVALID, key, "Unknown application field.");
		else if ((rc = application_normalize(f, v, &n, &msg)) == 0)
			rc = json_object_set_new(*clean, f->key, n) == 0
			    ? OPS_OK
			    : OPS_ENOMEM;
		else
			rc = rc == -1
			    ? ops_refuse_copy(e, OPS_INVALID, key, msg)
			    : OPS_ENOMEM;
		if (rc != OPS_OK) {
			json_decref(*clean);
			*clean = NULL;
			return (rc);
		}
	}
	return (OPS_OK);
}

int
ops_application_save(struct db *db, struct ops_actor actor, int64_t cycle,
    const json_t *changes, int64_t now, json_t **out, struct ops_error *e)
{
	struct db_application a = { 0 };
	struct db_cycle	      c;
	const char	     *key;
	json_t		     *fields = NULL, *v, *view = NULL, *clean = NULL;
	char		     *text = NULL;
	int		      rc;

	if ((rc = applicant_only(actor, e)) != OPS_OK ||
	    (rc = changes_check(changes, &clean, e)) != OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0) {
		json_decref(clean);
		return (rc);
	}
	if ((rc = editable_draft(db, actor, cycle, now, &a, &c, e)) != OPS_OK)
		goto out;
	if ((fields = json_loads(a.fields, 0, NULL)) == NULL ||
	    !json_is_object(fields)) {
		/* Only this file writes fields, always as an object. */
		rc = OPS_EDB;
		goto out;
	}
	json_object_foreach(clean, key, v)
	{
		if (json_is_null(v))
			(void)json_object_del(fields, key);
		else if (json_object_set(fields, key, v) != 0) {
			rc = OPS_ENOMEM;
			goto out;
		}
	}
	if ((text = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS)) ==
	    NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	/* Inside BEGIN IMMEDIATE nobody else writes: the version holds. */
	if ((rc = db_application_set_fields(db, a.id, text, a.version)) != 1) {
		rc = rc < 0 ? rc : OPS_EDB;
		goto out;
	}
	if ((rc = audit(db, actor.id, "application.save", a.id,
		 json_pack("{s:O}", "fields", clean))) != OPS_OK ||
	    (rc = reload_own(db, actor, cycle, &a)) != OPS_OK)
		goto out;
	rc = application_reply(db, &a, &c, now, &view);
out:
	json_decref(clean);
	json_decref(fields);
	free(text);
	db_application_clear(&a);
	*out = view;
	return (ops_finish_view(db, rc, out));
}

/* Counts the current documents of an application into the int at arg;
 * with copy set, the kinds too. */
struct doc_count {
	int  n;
	char kinds[8][32];
};

static int
count_document(void *arg, const struct db_document *d)
{
	struct doc_count *c = arg;

	if (d->removed_at[0] != '\0')
		return (0);
	if (c->n < 8)
		(void)snprintf(
		    c->kinds[c->n], sizeof(c->kinds[0]), "%s", d->kind);
	c->n++;
	return (0);
}

/* Whether kind is one of c's. */
static int
has_kind(const struct doc_count *c, const char *kind)
{
	int i;

	for (i = 0; i < c->n && i < 8; i++)
		if (strcmp(c->kinds[i], kind) == 0)
			return (1);
	return (0);
}

struct sources {
	struct db	*db;
	struct ops_actor actor;
	int64_t		 except;
	json_t		*rows;
	int		 rc;
};

/* One cycle of any program: the actor's application there, if it holds
 * something to copy. */
static int
add_source(void *arg, const struct db_cycle *c)
{
	struct sources	     *s = arg;
	struct db_application a = { 0 };
	struct db_program     p;
	struct doc_count      d = { 0 };
	json_t		     *f;
	size_t		      nf;

	if (c->id == s->except)
		return (0);
	if ((s->rc = db_application_by_owner(s->db, c->id, s->actor.id, &a)) <
	    0)
		return (1);
	if (s->rc == 0)
		return (0);
	f = json_loads(a.fields, 0, NULL);
	nf = json_is_object(f) ? json_object_size(f) : 0;
	json_decref(f);
	if ((s->rc = db_document_list(s->db, a.id, count_document, &d)) != 0 ||
	    (s->rc = db_program_get(s->db, c->program_id, &p)) < 0) {
		db_application_clear(&a);
		return (1);
	}
	s->rc = 0;
	if ((nf > 0 || d.n > 0) &&
	    json_array_append_new(s->rows,
		json_pack("{s:I,s:I,s:s,s:s,s:I,s:i}", "id", (json_int_t)a.id,
		    "cycle_id", (json_int_t)c->id, "cycle", c->name, "program",
		    p.name, "fields", (json_int_t)nf, "documents", d.n)) != 0)
		s->rc = OPS_ENOMEM;
	db_application_clear(&a);
	return (s->rc != 0);
}

int
ops_application_sources(struct db *db, struct ops_actor actor, int64_t cycle,
    json_t **out, struct ops_error *e)
{
	struct sources s = { db, actor, cycle, NULL, 0 };
	int	       rc;

	*out = NULL;
	if ((rc = applicant_only(actor, e)) != OPS_OK)
		return (rc);
	if ((s.rows = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_begin(db)) != 0) {
		json_decref(s.rows);
		return (rc);
	}
	rc = db_cycle_list(db, 0, add_source, &s);
	if (rc == 1)
		rc = s.rc;
	if (rc == OPS_OK)
		rc = (*out = json_pack("{s:O}", "copy_from", s.rows)) != NULL
		    ? OPS_OK
		    : OPS_ENOMEM;
	json_decref(s.rows);
	return (ops_finish_view(db, rc, out));
}

struct doc_copy {
	struct db	       *db;
	int64_t			to, by;
	const struct doc_count *have;
	int			copied, rc;
};

static int
copy_document(void *arg, const struct db_document *d)
{
	struct doc_copy	  *c = arg;
	struct db_document n = *d;
	int64_t		   id;

	if (d->removed_at[0] != '\0' || has_kind(c->have, d->kind))
		return (0);
	n.application_id = c->to;
	n.uploaded_by = c->by;
	if ((c->rc = db_document_insert(c->db, &n, &id)) != 0)
		return (1);
	c->copied++;
	return (0);
}

int
ops_application_copy(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t from, int64_t now, json_t **out, struct ops_error *e)
{
	struct db_application a = { 0 }, src = { 0 };
	struct db_cycle	      c;
	struct doc_count      have = { 0 };
	struct doc_copy	      dc = { db, 0, actor.id, &have, 0, 0 };
	json_t		     *fields = NULL, *theirs = NULL, *v, *view = NULL;
	const char	     *key;
	char		     *text = NULL;
	int		      rc, nfields = 0;

	*out = NULL;
	if ((rc = applicant_only(actor, e)) != OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = editable_draft(db, actor, cycle, now, &a, &c, e)) != OPS_OK)
		goto out;
	/* Only the actor's own, other, application. */
	if ((rc = db_application_by_id(db, from, &src)) < 0)
		goto out;
	if (rc == 0 || src.applicant_id != actor.id || src.id == a.id) {
		rc = ops_refuse(e, OPS_NOT_FOUND, "from_application",
		    "There is no such application of yours to copy from.");
		goto out;
	}
	if ((fields = json_loads(a.fields, 0, NULL)) == NULL ||
	    (theirs = json_loads(src.fields, 0, NULL)) == NULL ||
	    !json_is_object(fields) || !json_is_object(theirs)) {
		rc = OPS_EDB;
		goto out;
	}
	json_object_foreach(theirs, key, v)
	{
		if (json_object_get(fields, key) != NULL ||
		    application_field(key) == NULL)
			continue;
		if (json_object_set(fields, key, v) != 0) {
			rc = OPS_ENOMEM;
			goto out;
		}
		nfields++;
	}
	if (nfields > 0) {
		if ((text = json_dumps(
			 fields, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
			rc = OPS_ENOMEM;
			goto out;
		}
		if ((rc = db_application_set_fields(
			 db, a.id, text, a.version)) != 1) {
			rc = rc < 0 ? rc : OPS_EDB;
			goto out;
		}
	}
	dc.to = a.id;
	if ((rc = db_document_list(db, a.id, count_document, &have)) != 0)
		goto out;
	rc = db_document_list(db, src.id, copy_document, &dc);
	if (rc == 1)
		rc = dc.rc;
	if (rc != 0)
		goto out;
	if ((rc = audit(db, actor.id, "application.copy", a.id,
		 json_pack("{s:I,s:i,s:i}", "from", (json_int_t)src.id,
		     "fields", nfields, "documents", dc.copied))) != OPS_OK ||
	    (rc = reload_own(db, actor, cycle, &a)) != OPS_OK ||
	    (rc = application_reply(db, &a, &c, now, &view)) != OPS_OK)
		goto out;
	if (json_object_set_new(view, "copied",
		json_pack("{s:i,s:i}", "fields", nfields, "documents",
		    dc.copied)) != 0)
		rc = OPS_ENOMEM;
out:
	json_decref(fields);
	json_decref(theirs);
	free(text);
	db_application_clear(&a);
	db_application_clear(&src);
	*out = view;
	return (ops_finish_view(db, rc, out));
}

/* The receipt of a submission, to the applicant's account's address. */
static int
mail_receipt(struct db *db, const struct settings *set, int64_t applicant,
    const struct db_cycle *c, int64_t now)
{
	struct db_user	 u;
	struct cal_zone	 z;
	struct mail_vars mv = { 0 };
	char		 subject[MAIL_SUBJECT_MAX], when[160], *body;
	char		 link[SETTINGS_PATH_MAX + 64];
	int		 rc, utc = strcmp(c->timezone, "UTC") == 0;

	if ((rc = db_user_by_id(db, applicant, &u)) != 1)
		return (rc < 0 ? rc : DB_ERROR);
	if (!utc && cal_zone_load(c->timezone, now, now, &z) != 0)
		return (DB_ERROR);
	cal_when(utc ? NULL : &z, now, when, sizeof(when));
	(void)snprintf(link, sizeof(link), "%s/#/apply/%lld", set->public_url,
	    (long long)c->id);
	mv.name = u.name;
	mv.program = c->name;
	mv.when = when;
	mv.link = link;
	if ((body = mail_render(MAIL_SUBMITTED, &mv, subject)) == NULL)
		return (OPS_ENOMEM);
	rc = db_outbox_insert(
	    db, c->program_id, u.email, subject, body, now, NULL);
	free(body);
	return (rc);
}

int
ops_application_submit(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t cycle, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_application a = { 0 };
	struct db_cycle	      c;
	json_t		     *fields = NULL, *missing = NULL, *view = NULL;
	size_t		      n;
	int		      rc;

	if ((rc = applicant_only(actor, e)) != OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = editable_draft(db, actor, cycle, now, &a, &c, e)) != OPS_OK)
		goto out;
	if ((fields = json_loads(a.fields, 0, NULL)) == NULL) {
		rc = OPS_EDB;
		goto out;
	}
	if ((missing = json_array()) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = checklist(db, a.id, fields, missing, &n)) != OPS_OK)
		goto out;
	if (n > 0) {
		/* The caller shows what is missing. */
		if ((view = json_pack("{s:O}", "missing", missing)) == NULL)
			rc = OPS_ENOMEM;
		else
			rc = ops_refuse(e, OPS_INVALID, NULL,
			    "The application is not complete yet.");
		goto out;
	}
	if ((rc = db_application_set_status(db, a.id, "submitted", 1)) !=
		OPS_OK ||
	    (rc = ops_audit(db, actor.id, "application.submit", "application",
		 a.id, NULL)) != OPS_OK ||
	    (rc = mail_receipt(db, set, actor.id, &c, now)) != OPS_OK ||
	    (rc = reload_own(db, actor, cycle, &a)) != OPS_OK)
		goto out;
	rc = application_reply(db, &a, &c, now, &view);
out:
	json_decref(fields);
	json_decref(missing);
	db_application_clear(&a);
	rc = ops_finish(db, rc);
	if (rc == OPS_OK || (rc == OPS_INVALID && view != NULL))
		*out = view;
	else
		json_decref(view);
	return (rc);
}

int
ops_application_view(struct db *db, struct ops_actor actor, int64_t id,
    json_t **out, struct ops_error *e)
{
	struct db_application a = { 0 };
	int		      rc;

	if ((rc = ops_reach_application(db, actor, id, &a, e)) != OPS_OK)
		return (rc);
	rc = application_reply(db, &a, NULL, 0, out);
	db_application_clear(&a);
	return (rc);
}

/* Writes keys as a JSON array into buf: 0, or -1 when it does not fit. */
static int
key_array(char *buf, size_t len, const char *key, size_t *off)
{
	int n;

	n = snprintf(
	    buf + *off, len - *off, "%s\"%s\"]", *off > 1 ? "," : "", key);
	if (n < 0 || (size_t)n >= len - *off)
		return (-1);
	*off += (size_t)n - 1; /* the next key replaces the "]" */
	return (0);
}

int
ops_application_required(char *fields, size_t flen, char *docs, size_t dlen)
{
	size_t i, fo = 1, doff = 1;

	(void)snprintf(fields, flen, "[]");
	(void)snprintf(docs, dlen, "[]");
	for (i = 0; i < app_fields_count; i++) {
		if (app_fields[i].required &&
		    key_array(fields, flen, app_fields[i].key, &fo) != 0)
			return (-1);
	}
	for (i = 0; i < DOC__MAX; i++) {
		if (document_kinds[i].required &&
		    key_array(docs, dlen, document_kinds[i].key, &doff) != 0)
			return (-1);
	}
	return (0);
}

/* Sets key (a literal of this file, valid UTF-8) of o to v, a reference
 * this steals; -1 when v is NULL (out of memory) or the set fails. */
static int
set(json_t *o, const char *key, json_t *v)
{
	return (v == NULL ? -1 : json_object_set_new_nocheck(o, key, v));
}

/* A JSON string of s, or null when s is NULL (or, which the checks of
 * the fields when they are saved rule out, not UTF-8). */
static json_t *
text_or_null(const char *s)
{
	json_t *v;

	if (s == NULL || (v = json_string(s)) == NULL)
		return (json_null());
	return (v);
}

struct page {
	struct ops_actor actor;
	json_t		*rows;
	int64_t		 last; /* the last id the statement gave */
	int64_t		 seen; /* how many rows it gave */
};

static int
add_row(void *arg, const struct db_app_row *r)
{
	struct page *p = arg;
	json_t	    *o;
	int64_t	     missing = r->fields_missing + r->documents_missing;

	p->last = r->id;
	p->seen++;
	/* The statement's filters already keep to what the actor may
	 * reach; the rule itself is core/access.c's. */
	if (!access_view_application(p->actor.role, p->actor.id,
		r->applicant_id, strcmp(r->status, "submitted") == 0,
		r->conflicted, r->assigned))
		return (0);
	/* A page holds up to a thousand rows: set each key directly
	 * rather than through json_pack()'s format. */
	if ((o = json_object()) == NULL ||
	    set(o, "id", json_integer(r->id)) != 0 ||
	    set(o, "applicant_id", json_integer(r->applicant_id)) != 0 ||
	    set(o, "status", json_string(r->status)) != 0 ||
	    set(o, "first_name", text_or_null(r->first_name)) != 0 ||
	    set(o, "last_name", text_or_null(r->last_name)) != 0 ||
	    set(o, "medical_school", text_or_null(r->medical_school)) != 0 ||
	    set(o, "residency_program", text_or_null(r->residency_program)) !=
		0 ||
	    set(o, "submitted_at",
		text_or_null(r->submitted_at[0] ? r->submitted_at : NULL)) !=
		0 ||
	    set(o, "updated_at", json_string(r->updated_at)) != 0 ||
	    set(o, "missing_count", json_integer(missing)) != 0 ||
	    set(o, "complete", json_boolean(missing == 0)) != 0 ||
	    set(o, "letters_received", json_integer(r->letters_received)) !=
		0 ||
	    set(o, "letters_requested", json_integer(r->letters_requested)) !=
		0) {
		json_decref(o);
		return (OPS_ENOMEM);
	}
	if (json_array_append_new(p->rows, o) != 0)
		return (OPS_ENOMEM);
	return (0);
}

int
ops_applications_list(struct db *db, struct ops_actor actor, int64_t cycle,
    const struct ops_app_query *q, json_t **out, struct ops_error *e)
{
	struct db_app_filter   f = { 0 };
	struct db_app_required req;
	struct db_cycle	       c;
	struct page	       p = { actor, NULL, 0, 0 };
	char		       fields[512], docs[128];
	int		       rc;

	if (actor.role == ROLE_APPLICANT)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Applicants see their own application only."));
	if (q->limit < 1 || q->limit > OPS_APP_LIST_MAX || q->after < 0)
		return (ops_refuse(e, OPS_INVALID, "limit",
		    "after must be an id and limit between 1 and 1000."));
	if (q->status != NULL && strcmp(q->status, "draft") != 0 &&
	    strcmp(q->status, "submitted") != 0 &&
	    strcmp(q->status, "withdrawn") != 0)
		return (ops_refuse(e, OPS_INVALID, "status",
		    "The status is draft, submitted or withdrawn."));
	if ((rc = ops_reach_cycle(db, actor, cycle, &c, e)) != OPS_OK)
		return (rc);
	/* The tables' keys fit with room to spare; tables grown past the
	 * buffers would be refused here, as memory running out. */
	if (ops_application_required(
		fields, sizeof(fields), docs, sizeof(docs)) != 0)
		return (OPS_ENOMEM);
	req.fields = fields;
	req.documents = docs;
	f.status = q->status;
	f.search = q->q;
	f.after = q->after;
	f.limit = (int)q->limit;
	if (actor.role == ROLE_FACULTY) {
		/* Faculty reach submitted applications only: asking for
		 * another status finds none. */
		if (q->status != NULL && strcmp(q->status, "submitted") != 0)
			f.limit = 0;
		f.status = "submitted";
		f.hide_conflicts_of = actor.id;
		f.assigned_to = actor.id;
	}
	if ((p.rows = json_array()) == NULL)
		return (OPS_ENOMEM);
	/* The facts of assignment and conflict matter for faculty only. */
	if ((rc = db_application_page(db, cycle, &f,
		 actor.role == ROLE_FACULTY ? actor.id : 0, &req, add_row,
		 &p)) != 0) {
		json_decref(p.rows);
		return (rc);
	}
	/* A full page may have more after it; the next starts after the
	 * last row read, shown or not. */
	*out = json_pack("{s:o,s:o}", "applications", p.rows, "next_after",
	    f.limit > 0 && p.seen == q->limit ? json_integer(p.last)
					      : json_null());
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

int
ops_application_withdraw(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t id, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_application a = { 0 };
	json_t		     *view = NULL;
	int		      rc;

	/* Only its applicant withdraws an application; to anyone else
	 * there is nothing to withdraw. */
	if (actor.role != ROLE_APPLICANT)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, no_application));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = ops_reach_application(db, actor, id, &a, e)) != OPS_OK)
		goto out;
	if (strcmp(a.status, "withdrawn") == 0) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "This application is withdrawn already.");
		goto out;
	}
	if ((rc = db_application_set_status(db, id, "withdrawn", 0)) !=
		OPS_OK ||
	    (rc = ops_interview_release(db, set, actor.id, id, now)) !=
		OPS_OK ||
	    (rc = audit(db, actor.id, "application.withdraw", id,
		 json_pack("{s:s}", "from", a.status))) != OPS_OK)
		goto out;
	if ((view = json_pack("{s:s}", "status", "withdrawn")) == NULL)
		rc = OPS_ENOMEM;
out:
	db_application_clear(&a);
	*out = view;
	return (ops_finish_view(db, rc, out));
}

int
ops_application_reopen(struct db *db, struct ops_actor actor, int64_t id,
    json_t **out, struct ops_error *e)
{
	struct db_application a = { 0 };
	json_t		     *view = NULL;
	int		      rc;

	if (!role_is_staff(actor.role))
		return (ops_refuse(
		    e, OPS_FORBIDDEN, NULL, "Only staff reopen applications."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = ops_reach_application(db, actor, id, &a, e)) != OPS_OK)
		goto out;
	if (strcmp(a.status, "draft") == 0) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "This application is a draft already.");
		goto out;
	}
	if ((rc = db_application_set_status(db, id, "draft", 0)) != OPS_OK ||
	    (rc = audit(db, actor.id, "application.reopen", id,
		 json_pack("{s:s}", "from", a.status))) != OPS_OK)
		goto out;
	if ((view = json_pack("{s:s}", "status", "draft")) == NULL)
		rc = OPS_ENOMEM;
out:
	db_application_clear(&a);
	*out = view;
	return (ops_finish_view(db, rc, out));
}
