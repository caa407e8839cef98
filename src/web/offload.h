/*
 * Running a blocking function (Argon2id, mail delivery) on one of Kore's
 * task threads while the worker's event loop goes on serving others, then
 * resuming the request that asked for it.
 *
 * The request's state (http_state_create) must begin with a struct
 * web_offload and be created with web_offload_onfree as its free hook:
 *
 *	struct my_state { struct web_offload job; ...input and output... };
 *
 *	st = http_state_create(req, sizeof(*st), web_offload_onfree);
 *	...fill st...
 *	switch (web_offload_run(req, &st->job, my_fn, st, NULL)) {
 *	case WEB_OFFLOAD_PENDING:	return (KORE_RESULT_RETRY);
 *	case WEB_OFFLOAD_DONE:		use st->job.result and the output
 *	}
 *
 * The handler is called again when the function has finished; calling
 * web_offload_run() again then returns WEB_OFFLOAD_DONE. The function runs
 * on another thread: it may only touch its argument and must not call Kore
 * or Kore's allocator, nor use the worker's database connection (web_db);
 * it may use the thread's own connection (web_thread_db(), SQLite being
 * built thread-safe), as web_reply_ops_off() does. If the client goes away
 * meanwhile, the state is kept until the function returns, then cleanup
 * (if given) runs once and the state is freed.
 */
#ifndef FELLOW_WEB_OFFLOAD_H
#define FELLOW_WEB_OFFLOAD_H

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

enum web_offload_state {
	WEB_OFFLOAD_IDLE,    /* not started */
	WEB_OFFLOAD_PENDING, /* running or queued on a task thread */
	WEB_OFFLOAD_DONE,    /* finished; result is valid */
};

struct web_offload {
	struct kore_task task; /* first: the thread's entry casts */
	int		 state;
	int		 result;
	int (*fn)(void *);
	void *arg;
	void (*cleanup)(void *);
};

/* Starts or resumes the job; see above. Returns the job's new state. */
int web_offload_run(struct http_request *, struct web_offload *,
    int (*fn)(void *), void *arg, void (*cleanup)(void *));

/*
 * Releases the job at the request's end: returns 1 when the function still
 * runs (keep everything it may write; Kore calls the free hook again
 * later), else 0 after running the cleanup once.
 */
int web_offload_release(struct web_offload *);

/* The free hook for a request state that begins with a web_offload. */
void web_offload_onfree(struct http_request *);

/*
 * Waits, at most ms milliseconds, until no job's function is running on a
 * task thread; for a worker on its way out. Returns how many still run.
 */
int web_offload_drain(int ms);

#endif
