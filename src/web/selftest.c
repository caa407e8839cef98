/*
 * A route that exists to prove, against the real server, that slow work
 * leaves the event loop: it computes one Argon2id hash at the MODERATE
 * limits (about a second) through web/offload.h while the test measures
 * other requests to the same worker. Only the test build (FELLOW_SELFTEST)
 * answers it; a production build answers 404 like any unknown path.
 */
#include <time.h>

#include <sodium.h>

#include "web/offload.h"
#include "web/web.h"

WEB_EXPORT int web_selftest_offload(struct http_request *);

#if defined(FELLOW_SELFTEST)
struct selftest_state {
	struct web_offload job; /* first, see web/offload.h */
	char		   hash[crypto_pwhash_STRBYTES];
	long		   ms;
};

/* Task thread: the deliberately slow function. */
static int
selftest_work(void *arg)
{
	struct selftest_state *st = arg;
	struct timespec	       a, b;
	static const char      pw[] = "selftest-password";

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (crypto_pwhash_str(st->hash, pw, sizeof(pw) - 1,
		crypto_pwhash_OPSLIMIT_MODERATE,
		crypto_pwhash_MEMLIMIT_MODERATE) != 0)
		return (-1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	st->ms =
	    (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	return (0);
}

/*
 * POST /api/selftest/offload
 *   200 {"ms":N}   the hash was computed on a task thread in N ms
 *   500 internal   the hash failed (out of memory)
 */
int
web_selftest_offload(struct http_request *req)
{
	struct selftest_state *st;

	if ((st = http_state_get(req)) == NULL)
		st = http_state_create(req, sizeof(*st), web_offload_onfree);
	if (web_offload_run(req, &st->job, selftest_work, st, NULL) ==
	    WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (st->job.result != 0)
		return (web_fail(req, WEB_ERR_INTERNAL));
	return (web_reply_json(
	    req, HTTP_STATUS_OK, json_pack("{s:I}", "ms", (json_int_t)st->ms)));
}
#else
int
web_selftest_offload(struct http_request *req)
{
	return (web_fail(req, WEB_ERR_NOT_FOUND));
}
#endif
