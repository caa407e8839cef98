/*
 * The program the installation serves (ops/program.h).
 */
#include "ops/program.h"
#include "web/web.h"

WEB_EXPORT int web_program(struct http_request *);

/*
 * GET /api/program   (any signed-in account)
 *   200 {id, name, updated_at}
 * PATCH /api/program {name}   (the director; CSRF)
 *   200 the renamed program   audited as program.rename
 *   403 not the director
 *   422 name (empty, only spaces, over 200 characters, control
 *       characters)
 */
int
web_program(struct http_request *req)
{
	json_t		*out = NULL;
	const char	*name = NULL;
	int		 rc;
	struct ops_error e;

	if (req->method == HTTP_METHOD_GET) {
		rc = ops_program_view(web_db, &out);
		return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, NULL));
	}
	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s!}", "name", &name) != 0)
		return (KORE_RESULT_OK);
	rc = ops_program_rename(
	    web_db, web_actor(req), name, web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}
