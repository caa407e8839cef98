/*
 * Handlers about the service itself: the health check and the JSON answer
 * for any path the route table does not know.
 */
#include "web/web.h"

WEB_EXPORT int web_health(struct http_request *);
WEB_EXPORT int web_not_found(struct http_request *);

/*
 * GET /api/health
 *   200 {"status":"ok"}  the worker answers and its database responds
 *   503 busy             the database did not answer in time
 */
int
web_health(struct http_request *req)
{
	int rc;

	if ((rc = db_ping(web_db)) != 0)
		return (web_fail_db(req, rc == DB_ERROR ? DB_EBUSY : rc));
	return (web_reply_json(
	    req, HTTP_STATUS_OK, json_pack("{s:s}", "status", "ok")));
}

/*
 * Any path without a route (the last line of the route table)
 *   404 not_found
 */
int
web_not_found(struct http_request *req)
{
	return (web_fail(req, WEB_ERR_NOT_FOUND));
}
