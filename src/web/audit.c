/*
 * The staff's read-only views of the audit log and of the mail outbox.
 */
#include <stdint.h>
#include <time.h>

#include "web/web.h"

#define PAGE_DEFAULT 50
#define PAGE_MAX     200

WEB_EXPORT int web_audit_list(struct http_request *);
WEB_EXPORT int web_outbox_list(struct http_request *);

int web_query_int(
    struct http_request *, const char *, int64_t, int64_t, int64_t *);

static int
add_entry(void *arg, const struct db_audit_row *a)
{
	json_t *detail = NULL, *e;

	if (a->detail[0] != '\0')
		detail = json_loads(a->detail, 0, NULL);
	e = json_pack("{s:I,s:s,s:o,s:s,s:s,s:o}", "id", (json_int_t)a->id,
	    "at", a->at, "actor",
	    a->actor_id ? json_pack("{s:I,s:s}", "id", (json_int_t)a->actor_id,
			      "name", a->actor_name)
			: json_null(),
	    "action", a->action, "object", a->object, "detail",
	    detail != NULL ? detail : json_null());
	return (json_array_append_new(arg, e) == 0 ? 0 : -1);
}

/* Reads ?before=ID&limit=N; sends 400 and returns -1 when out of range. */
static int
page(struct http_request *req, int64_t *before, int64_t *limit)
{
	http_populate_get(req);
	if (web_query_int(req, "before", INT64_MAX, INT64_MAX, before) != 0 ||
	    web_query_int(req, "limit", PAGE_DEFAULT, PAGE_MAX, limit) != 0 ||
	    *limit == 0) {
		web_fail_msg(req, WEB_ERR_BAD_REQUEST,
		    "before must be an id and limit between 1 and 200.");
		return (-1);
	}
	return (0);
}

/* Sends {name: rows, next_before} for a newest-first page. */
static int
reply_page(struct http_request *req, const char *name, json_t *rows,
    int64_t limit, json_t *extra)
{
	size_t	n = json_array_size(rows);
	json_t *next = json_null(), *out;

	if ((int64_t)n == limit)
		next = json_incref(
		    json_object_get(json_array_get(rows, n - 1), "id"));
	out = json_pack("{s:o,s:o}", name, rows, "next_before", next);
	if (out != NULL && extra != NULL)
		json_object_update(out, extra);
	json_decref(extra);
	return (web_reply_json(req, HTTP_STATUS_OK, out));
}

/*
 * GET /api/audit?before=ID&limit=N   (coordinator, director)
 *   200 {entries:[{id,at,actor,action,object,detail}], next_before}
 *       newest first; next_before is null on the last page
 *   400 bad_request   a query argument is out of range
 */
int
web_audit_list(struct http_request *req)
{
	json_t *rows;
	int64_t before, limit;
	int	rc;

	if (page(req, &before, &limit) != 0)
		return (KORE_RESULT_OK);
	rows = json_array();
	if ((rc = db_audit_list(web_db, before, (int)limit, add_entry, rows)) !=
	    0) {
		json_decref(rows);
		return (web_fail_db(req, rc < 0 ? rc : DB_ERROR));
	}
	return (reply_page(req, "entries", rows, limit, NULL));
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

static int
bodies_visible(void)
{
	return (settings_mail_held(&web_settings) && web_settings.demo);
}

static int
add_mail(void *arg, const struct db_mail_row *m)
{
	json_t *e;

	e = json_pack("{s:I,s:s,s:s,s:s,s:I,s:o,s:o,s:s*}", "id",
	    (json_int_t)m->id, "to", m->to, "subject", m->subject, "status",
	    m->status, "attempts", (json_int_t)m->attempts, "created_at",
	    iso_time(m->created_at), "sent_at", iso_time(m->sent_at),
	    "last_error", m->last_error[0] != '\0' ? m->last_error : NULL);
	/*
	 * Bodies hold sign-in links for their recipients alone: shown only
	 * in the development configuration (mail held and demo data), where
	 * every account is a demo account, never otherwise.
	 */
	if (e != NULL && bodies_visible())
		json_object_set_new(e, "body", json_string(m->body));
	return (json_array_append_new(arg, e) == 0 ? 0 : -1);
}

/*
 * GET /api/outbox?before=ID&limit=N   (coordinator, director)
 *   200 {messages:[{id,to,subject,status,attempts,created_at,sent_at,
 *        last_error[,body]}], next_before, held}
 *       held is true when mail is kept in the outbox (SENDMAIL=none);
 *       bodies (and body in each message) only in the development
 *       configuration: mail held and DEMO=1
 */
int
web_outbox_list(struct http_request *req)
{
	json_t *rows;
	int64_t before, limit;
	int	rc;

	if (page(req, &before, &limit) != 0)
		return (KORE_RESULT_OK);
	rows = json_array();
	if ((rc = db_outbox_list(web_db, before, (int)limit, add_mail, rows)) !=
	    0) {
		json_decref(rows);
		return (web_fail_db(req, rc < 0 ? rc : DB_ERROR));
	}
	return (reply_page(req, "messages", rows, limit,
	    json_pack("{s:b,s:b}", "held", settings_mail_held(&web_settings),
		"bodies", bodies_visible())));
}
