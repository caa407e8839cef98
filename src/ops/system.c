/*
 * The audit log and outbox views and the health check (ops/system.h).
 * Each view is a single read, so it opens no transaction: one statement
 * sees one snapshot.
 */
#include <stdio.h>
#include <time.h>

#include "core/access.h"
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
	if ((rc = db_audit_list(db, before, (int)limit, add_entry, rows)) !=
	    0) {
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
	if ((rc = db_outbox_list(db, before, (int)limit, add_mail, &p)) != 0) {
		json_decref(p.rows);
		return (rc);
	}
	if ((rc = page_view("messages", p.rows, limit, out)) != OPS_OK)
		return (rc);
	if (json_object_set_new(*out, "held", json_boolean(held)) != 0 ||
	    json_object_set_new(*out, "bodies", json_boolean(p.bodies)) != 0) {
		json_decref(*out);
		*out = NULL;
		return (OPS_ENOMEM);
	}
	return (OPS_OK);
}
