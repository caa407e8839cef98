/*
 * The home page's data over HTTP: one request builds the signed-in
 * user's to-do list (ops/home.h). Any signed-in account (the gate); what
 * each role sees is the operation's to decide.
 */
#include "ops/home.h"
#include "web/web.h"

WEB_EXPORT int web_home(struct http_request *);

/* ops_home_view in web_reply_ops_off()'s shape. */
static int
home_view(struct db *db, struct ops_actor actor, int64_t unused,
    int64_t unused_arg, const char *none, int64_t now, json_t **out,
    struct ops_error *e)
{
	(void)unused;
	(void)unused_arg;
	(void)none;
	return (ops_home_view(db, actor, now, out, e));
}

/*
 * GET /api/home   (any signed-in account)
 *   200 {role, now, ...} the role's to-do list (ops/home.h); times are
 *       Unix seconds, deadlines with the time left by the server's clock
 *   401 not signed in (the gate)
 * The director's list builds the ranking of the cycles under review, so
 * the view is built on a task thread, whoever asks.
 */
int
web_home(struct http_request *req)
{
	return (web_reply_ops_off(req, home_view, 0, 0, NULL));
}
