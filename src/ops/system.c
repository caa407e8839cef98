/*
 * The audit log and outbox views and the health check (ops/system.h).
 * Each view is a page read by one statement, so it opens no transaction:
 * one statement sees one snapshot. The audit log's page is then put in
 * words (core/auditlog.c) with the names its records refer to, looked up
 * after the page is read: a name changed in between shows as it is now.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/access.h"
#include "core/auditlog.h"
#include "core/rubric.h"
#include "ops/system.h"
#include "store/db.h"

static const char *const staff_only =
    "Only the coordinator and the director read the program's records.";

int
ops_health(struct db *db, json_t **out)
{
	*out = NULL;
	if (db_ping(db) != 0)
		return (OPS_EBUSY);
	*out = json_pack("{s:s}", "status", "ok");
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

/* Who may read the records, and whether the page is one. */
static int
page_check(
    struct ops_actor actor, int64_t before, int64_t limit, struct ops_error *e)
{
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL, staff_only));
	if (before < 0 || limit < 1 || limit > OPS_LOG_PAGE_MAX)
		return (ops_refuse(e, OPS_INVALID, "limit",
		    "before must be an id and limit between 1 and 200."));
	return (OPS_OK);
}

/*
 * *out = {name: rows, next_before} (rows stolen), next_before the last
 * row's id when the page is full, else null: OPS_OK or OPS_ENOMEM.
 */
static int
page_view(const char *name, json_t *rows, int64_t limit, json_t **out)
{
	size_t	n = json_array_size(rows);
	json_t *last = NULL;

	if ((int64_t)n == limit)
		last = json_object_get(json_array_get(rows, n - 1), "id");
	*out = json_pack("{s:o,s:O}", name, rows, "next_before",
	    last != NULL ? last : json_null());
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

static int
add_entry(void *arg, const struct db_audit_row *a)
{
	json_t *detail = NULL, *actor, *e;

	/* A detail the log holds is JSON written by ops_audit(); one that
	 * does not parse shows as null rather than failing the page. */
	if (a->detail != NULL && a->detail[0] != '\0')
		detail = json_loads(a->detail, 0, NULL);
	actor = a->actor_id != 0
	    ? json_pack("{s:I,s:s}", "id", (json_int_t)a->actor_id, "name",
		  a->actor_name != NULL ? a->actor_name : "")
	    : json_null();
	e = json_pack("{s:I,s:s,s:o,s:s,s:s?,s:o}", "id", (json_int_t)a->id,
	    "at", a->at, "actor", actor, "action", a->action, "object",
	    a->object, "detail", detail != NULL ? detail : json_null());
	return (json_array_append_new(arg, e) == 0 ? 0 : OPS_ENOMEM);
}

/*
 * The names a page of the audit log refers to, each looked up once:
 * objects by their stored text ("application:12" → {name, cycle,
 * timezone, person}), ids in details by "kind:id" (core/auditlog.h), and
 * the criteria's labels by "cycle:phase".
 */
struct names {
	struct db *db;
	json_t	  *objects;
	json_t	  *refs;
	json_t	  *labels;
};

/* Sets key in cache to v (stolen): 0, or OPS_ENOMEM. */
static int
remember(json_t *cache, const char *key, json_t *v)
{
	return (v != NULL && json_object_set_new(cache, key, v) == 0
		? OPS_OK
		: OPS_ENOMEM);
}

/* Looks up what object ("kind:id") stands for into n->objects. */
static int
name_object(struct names *n, const char *object)
{
	struct db_audit_candidate c;
	struct db_cycle		  cy;
	struct db_user		  u;
	const char		 *colon = strchr(object, ':');
	long long		  id;
	int			  rc;

	if (json_object_get(n->objects, object) != NULL)
		return (OPS_OK);
	if (colon == NULL || sscanf(colon + 1, "%lld", &id) != 1)
		return (remember(n->objects, object, json_object()));
	if (strncmp(object, "application:", 12) == 0) {
		if ((rc = db_audit_candidate(n->db, id, &c)) < 0)
			return (rc);
		return (remember(n->objects, object,
		    rc == 0 ? json_object()
			    : json_pack("{s:s,s:I,s:s,s:s,s:I}", "name", c.name,
				  "cycle_id", (json_int_t)c.cycle_id, "cycle",
				  c.cycle_name, "timezone", c.timezone,
				  "person", (json_int_t)c.applicant_id)));
	}
	if (strncmp(object, "cycle:", 6) == 0) {
		if ((rc = db_cycle_by_id(n->db, id, &cy)) < 0)
			return (rc);
		return (remember(n->objects, object,
		    rc == 0 ? json_object()
			    : json_pack("{s:s,s:I,s:s,s:s}", "name", cy.name,
				  "cycle_id", (json_int_t)cy.id, "cycle",
				  cy.name, "timezone", cy.timezone)));
	}
	if (strncmp(object, "user:", 5) == 0) {
		if ((rc = db_user_by_id(n->db, id, &u)) < 0)
			return (rc);
		memset(u.pwhash, 0, sizeof(u.pwhash));
		return (remember(n->objects, object,
		    rc == 0 ? json_object()
			    : json_pack("{s:s,s:I}", "name", u.name, "person",
				  (json_int_t)id)));
	}
	return (remember(n->objects, object, json_object()));
}

/* auditlog_refs()'s callback: names one id of a record's detail. */
static int
name_ref(void *arg, const char *kind, int64_t id)
{
	struct names		 *n = arg;
	struct db_audit_candidate c;
	struct db_slot		  sl;
	struct db_user		  u;
	char			  key[48], when[40];
	int			  rc;

	(void)snprintf(key, sizeof(key), "%s:%lld", kind, (long long)id);
	if (json_object_get(n->refs, key) != NULL)
		return (OPS_OK);
	if (strcmp(kind, "user") == 0) {
		if ((rc = db_user_by_id(n->db, id, &u)) <= 0)
			return (rc);
		memset(u.pwhash, 0, sizeof(u.pwhash));
		return (remember(n->refs, key, json_string(u.name)));
	}
	if (strcmp(kind, "application") == 0) {
		if ((rc = db_audit_candidate(n->db, id, &c)) <= 0)
			return (rc);
		return (remember(n->refs, key, json_string(c.name)));
	}
	if (strcmp(kind, "slot") == 0) {
		if ((rc = db_slot_by_id(n->db, id, &sl)) <= 0)
			return (rc);
		(void)snprintf(
		    when, sizeof(when), "%s %s–%s", sl.day, sl.starts, sl.ends);
		return (remember(n->refs, key,
		    json_pack("{s:I,s:s}", "at", (json_int_t)sl.starts_at,
			"text", when)));
	}
	return (OPS_OK);
}

/* The labels of the criteria of cycle's phase (the current rubric, else
 * the built-in one), by key; borrowed from n->labels, or NULL. */
static const json_t *
criteria_labels(struct names *n, int64_t cycle, const char *phase, int *rc)
{
	struct db_rubric r;
	enum phase	 p;
	const json_t	*c;
	json_t		*criteria = NULL, *labels;
	char		 key[48];
	size_t		 i;

	*rc = OPS_OK;
	if (cycle == 0 || phase == NULL || phase_parse(phase, &p) != 0)
		return (NULL);
	(void)snprintf(key, sizeof(key), "%lld:%s", (long long)cycle, phase);
	if ((labels = json_object_get(n->labels, key)) != NULL)
		return (labels);
	if ((*rc = db_rubric_current(n->db, cycle, phase, &r)) < 0)
		return (NULL);
	if (*rc == 1) {
		criteria = json_loads(r.criteria, 0, NULL);
		db_rubric_clear(&r);
	}
	if (criteria == NULL)
		criteria = rubric_default(p);
	*rc = OPS_OK;
	if ((labels = json_object()) == NULL) {
		json_decref(criteria);
		*rc = OPS_ENOMEM;
		return (NULL);
	}
	json_array_foreach(criteria, i, c)
	{
		const json_t *k = json_object_get(c, "key");
		const json_t *l = json_object_get(c, "label");

		if (json_is_string(k) && json_is_string(l))
			(void)json_object_set(
			    labels, json_string_value(k), (json_t *)l);
	}
	json_decref(criteria);
	if ((*rc = remember(n->labels, key, labels)) != OPS_OK)
		return (NULL);
	return (labels);
}

/* Puts the words of entry e (one record of the page) into it: text (the
 * sentence), lines, object_name and timezone (the object's cycle's). */
static int
words(struct names *n, json_t *e)
{
	struct auditlog_words w = { 0 };
	const json_t	     *o = NULL, *actor = json_object_get(e, "actor");
	const char *action = json_string_value(json_object_get(e, "action"));
	json_t	   *lines;
	char	   *text;
	int	    rc;

	w.detail = json_object_get(e, "detail");
	w.object_ref = json_string_value(json_object_get(e, "object"));
	if (w.object_ref != NULL && w.object_ref[0] != '\0') {
		if ((rc = name_object(n, w.object_ref)) != OPS_OK)
			return (rc);
		o = json_object_get(n->objects, w.object_ref);
		w.object = json_string_value(json_object_get(o, "name"));
		w.cycle = json_string_value(json_object_get(o, "cycle"));
		w.self = actor != NULL &&
		    json_is_integer(json_object_get(o, "person")) &&
		    json_equal(json_object_get(o, "person"),
			json_object_get(actor, "id"));
	} else
		w.object_ref = NULL;
	w.actor = json_string_value(json_object_get(actor, "name"));
	if ((rc = auditlog_refs(action, w.detail, name_ref, n)) != OPS_OK)
		return (rc);
	w.refs = n->refs;
	w.labels = criteria_labels(n,
	    json_integer_value(json_object_get(o, "cycle_id")),
	    json_string_value(json_object_get(w.detail, "phase")), &rc);
	if (rc != OPS_OK)
		return (rc);
	if ((text = auditlog_sentence(action, &w)) == NULL)
		return (OPS_ENOMEM);
	rc = json_object_set_new(e, "text", json_string(text));
	free(text);
	if (rc != 0 || (lines = auditlog_lines(action, &w)) == NULL ||
	    json_object_set_new(e, "lines", lines) != 0 ||
	    json_object_set_new(e, "object_name",
		w.object != NULL ? json_string(w.object) : json_null()) != 0 ||
	    json_object_set(e, "timezone",
		json_object_get(o, "timezone") != NULL
		    ? json_object_get(o, "timezone")
		    : json_null()) != 0)
		return (OPS_ENOMEM);
	return (OPS_OK);
}

/* Puts the words into every entry of rows. */
static int
in_words(struct db *db, json_t *rows)
{
	struct names n = { db, json_object(), json_object(), json_object() };
	json_t	    *e;
	size_t	     i;
	int	     rc = OPS_ENOMEM;

	if (n.objects != NULL && n.refs != NULL && n.labels != NULL) {
		rc = OPS_OK;
		json_array_foreach(rows, i, e)
		{
			if ((rc = words(&n, e)) != OPS_OK)
				break;
		}
	}
	json_decref(n.objects);
	json_decref(n.refs);
	json_decref(n.labels);
	return (rc);
}

int
ops_audit_list(struct db *db, struct ops_actor actor, int64_t before,
    int64_t limit, json_t **out, struct ops_error *e)
{
	json_t *rows;
	int	rc;

	*out = NULL;
	if ((rc = page_check(actor, before, limit, e)) != OPS_OK)
		return (rc);
	if ((rows = json_array()) == NULL)
		return (OPS_ENOMEM);
	/* The page first, then its names: the list's statement is done
	 * before the lookups run. */
	if ((rc = db_audit_list(db, actor.program, before, (int)limit,
		 add_entry, rows)) != 0 ||
	    (rc = in_words(db, rows)) != OPS_OK) {
		json_decref(rows);
		return (rc);
	}
	return (page_view("entries", rows, limit, out));
}

/* Unix seconds as ISO 8601 UTC text, or JSON null for 0 (never). */
static json_t *
iso_time(int64_t t)
{
	char	  buf[32];
	time_t	  tt = (time_t)t;
	struct tm tm;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return (json_null());
	return (json_string(buf));
}

struct mail_page {
	json_t *rows;
	int	bodies;
};

static int
add_mail(void *arg, const struct db_mail_row *m)
{
	struct mail_page *p = arg;
	json_t		 *e;

	e = json_pack("{s:I,s:s,s:s,s:s,s:I,s:o,s:o,s:s*}", "id",
	    (json_int_t)m->id, "to", m->to, "subject", m->subject, "status",
	    m->status, "attempts", (json_int_t)m->attempts, "created_at",
	    iso_time(m->created_at), "sent_at", iso_time(m->sent_at),
	    "last_error",
	    m->last_error != NULL && m->last_error[0] != '\0' ? m->last_error
							      : NULL);
	/* A calendar invitation is shown with the body it goes with. */
	if (e != NULL && p->bodies &&
	    (json_object_set_new(e, "body", json_string(m->body)) != 0 ||
		json_object_set_new(e, "calendar",
		    m->calendar != NULL ? json_string(m->calendar)
					: json_null()) != 0)) {
		json_decref(e);
		e = NULL;
	}
	return (json_array_append_new(p->rows, e) == 0 ? 0 : OPS_ENOMEM);
}

int
ops_outbox_list(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t before, int64_t limit, json_t **out,
    struct ops_error *e)
{
	struct mail_page p;
	int		 rc, held = settings_mail_held(set);

	*out = NULL;
	if ((rc = page_check(actor, before, limit, e)) != OPS_OK)
		return (rc);
	p.bodies = access_mail_bodies(held, set->demo);
	if ((p.rows = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_outbox_list(
		 db, actor.program, before, (int)limit, add_mail, &p)) != 0) {
		json_decref(p.rows);
		return (rc);
	}
	if ((rc = page_view("messages", p.rows, limit, out)) != OPS_OK)
		return (rc);
	/* The page makes links of this installation's addresses only. */
	if (json_object_set_new(*out, "held", json_boolean(held)) != 0 ||
	    json_object_set_new(*out, "bodies", json_boolean(p.bodies)) != 0 ||
	    json_object_set_new(
		*out, "public_url", json_string(set->public_url)) != 0) {
		json_decref(*out);
		*out = NULL;
		return (OPS_ENOMEM);
	}
	return (OPS_OK);
}
