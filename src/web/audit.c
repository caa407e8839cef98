/*
 * The staff's read-only views of the audit log and of the mail outbox
 * (built by ops/system.c, which also decides when mail bodies show).
 */
#include <stdint.h>

#include "ops/system.h"
#include "web/web.h"

WEB_EXPORT int web_audit_list(struct http_request *);
WEB_EXPORT int web_outbox_list(struct http_request *);

/* Reads ?before=ID&limit=N; sends 400 and returns -1 when out of range. */
static int
page(struct http_request *req, int64_t *before, int64_t *limit)
{
	http_populate_get(req);
	if (web_query_int(req, "before", INT64_MAX, INT64_MAX, before) != 0 ||
	    web_query_int(req, "limit", OPS_LOG_PAGE_DEFAULT, OPS_LOG_PAGE_MAX,
		limit) != 0 ||
	    *limit == 0) {
		web_fail_msg(req, WEB_ERR_BAD_REQUEST,
		    "before must be an id and limit between 1 and 200.");
		return (-1);
	}
	return (0);
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
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 before, limit;
	int		 rc;

	if (page(req, &before, &limit) != 0)
		return (KORE_RESULT_OK);
	rc = ops_audit_list(web_db, web_actor(req), before, limit, &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/outbox?before=ID&limit=N   (coordinator, director)
 *   200 {messages:[{id,to,subject,status,attempts,created_at,sent_at,
 *        last_error[,body,calendar]}], next_before, held, bodies}
 *       held is true when mail is kept in the outbox (SENDMAIL=none);
 *       bodies (and body and calendar, the iCalendar text attached or
 *       null, in each message) only in the development configuration:
 *       mail held and DEMO=1
 *   400 bad_request   a query argument is out of range
 */
int
web_outbox_list(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 before, limit;
	int		 rc;

	if (page(req, &before, &limit) != 0)
		return (KORE_RESULT_OK);
	rc = ops_outbox_list(
	    web_db, &web_settings, web_actor(req), before, limit, &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}
