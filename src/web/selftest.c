/*
 * Routes that exist to prove things against the real server. The first
 * shows that slow work leaves the event loop: it computes one Argon2id
 * hash at the MODERATE limits (about a second) through web/offload.h
 * while the test measures other requests to the same worker. The second
 * makes one system call on the event loop or on a task thread: one the
 * libraries make on rare paths, which the sandbox must allow, or one it
 * refuses, whose thread it kills (the worker must then end and be
 * replaced, web/sentinel.c). Only the test build (FELLOW_SELFTEST)
 * answers them; a production build answers 404 like any unknown path.
 */
#include <sys/syscall.h>

#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "web/offload.h"
#include "web/web.h"

WEB_EXPORT int web_selftest_offload(struct http_request *);
WEB_EXPORT int web_selftest_syscall(struct http_request *);

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

/* The calls a test may ask for, by name. */
static struct selftest_call {
	const char *name;
	long	    nr;
} selftest_calls[] = {
	/* Made on rare paths: the sanitizer runtime's contended locks,
	 * jansson's seeding. The sandbox allows it (web/sandbox.c). */
	{ "sched_yield", SYS_sched_yield },
	/* In no list of the sandbox: it kills the calling thread. */
	{ "getppid", SYS_getppid },
};

/* Task thread: the call. */
static int
selftest_call_work(void *arg)
{
	const struct selftest_call *c = arg;

	(void)syscall(c->nr);
	return (0);
}

/*
 * POST /api/selftest/syscall {call, thread}
 *   200 {}         the call was made on the thread ("loop" or "task")
 *                  and the worker goes on
 *   (closed)       the sandbox killed the thread: the worker ended
 *   400 bad_json   not {call, thread} with a known call and thread
 */
int
web_selftest_syscall(struct http_request *req)
{
	struct web_state     *st = web_state(req);
	struct selftest_call *c = NULL;
	const char	     *call, *thread;
	size_t		      i;

	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s,s:s!}", "call", &call, "thread", &thread) !=
		0)
		return (KORE_RESULT_OK);
	for (i = 0; i < sizeof(selftest_calls) / sizeof(selftest_calls[0]);
	     i++) {
		if (strcmp(selftest_calls[i].name, call) == 0)
			c = &selftest_calls[i];
	}
	if (c == NULL ||
	    (strcmp(thread, "loop") != 0 && strcmp(thread, "task") != 0))
		return (web_fail_msg(req, WEB_ERR_BAD_JSON,
		    "call: sched_yield or getppid; thread: loop or task"));
	if (strcmp(thread, "loop") == 0)
		(void)syscall(c->nr);
	else if (web_offload_run(req, &st->job, selftest_call_work, c, NULL) ==
	    WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	return (web_reply_json(req, HTTP_STATUS_OK, json_object()));
}
#else
int
web_selftest_offload(struct http_request *req)
{
	return (web_fail(req, WEB_ERR_NOT_FOUND));
}

int
web_selftest_syscall(struct http_request *req)
{
	return (web_fail(req, WEB_ERR_NOT_FOUND));
}
#endif
