/*
 * Handlers about the service itself: the health check and the JSON answer
 * for any path the route table does not know.
 */
#include "ops/system.h"
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
	json_t *out = NULL;
	int	rc;

	rc = ops_health(web_db, &out);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, NULL));
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
