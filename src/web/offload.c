/*
 * Off-loop work on Kore task threads.
 *
 * The hand-off, as Kore 4.1 does it (tasks.c, http.c, linux.c):
 * kore_task_bind_request() puts the request to sleep (http_request_sleep
 * moves it to the sleeping list at once) and kore_task_run() registers
 * the task's channel with the worker's epoll, edge-triggered, before it
 * queues the job for a task thread. The thread runs the job and closes
 * its end of the channel (kore_task_finish). The event loop then sees a
 * hang-up on the channel and calls kore_task_handle(), which wakes the
 * request (back on the list http_process() walks) and only then marks the
 * task FINISHED. A thread that finishes while the loop is between polls
 * leaves that event queued in epoll for the next one; and since only the
 * event loop marks a task FINISHED, right after waking its request,
 * web_offload_run() reading another state means the wake-up is still to
 * come, so putting the request back to sleep loses nothing. (A sign-in
 * that once got no answer in a test was not lost here: its worker's
 * event loop had been killed by the seccomp sandbox for a sched_yield
 * the sanitizer runtime makes when two threads want one of its locks;
 * Kore's filter kills the calling thread only, and the task threads kept
 * the half-dead worker, its accept lock and its connections alive. See
 * web/sandbox.c and web/sentinel.c, which now ends such a worker.)
 *
 * The request may also be torn down while the task still runs (client
 * gone): Kore then calls the state's free hook, keeps the request (and so
 * our state) until the task has finished, destroys the task itself and
 * calls the free hook again. The hook therefore releases nothing while
 * the thread may still write to the job, and runs the cleanup exactly
 * once.
 */
#include <sys/resource.h>

#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "web/offload.h"
#include "web/sentinel.h"

/* How many jobs' functions are running on this worker's task threads. */
static atomic_int offload_running;

/* Task thread: runs the job's function. No Kore, no web_db here. */
static int
offload_entry(struct kore_task *t)
{
	struct web_offload *job = (struct web_offload *)t;
	static __thread int started;

	/*
	 * Once per thread. Slow work yields the CPU to the event loops: a
	 * lower priority for this thread only (on Linux, setpriority on a
	 * thread id is per thread), so requests keep their latency while
	 * hashes queue. And the worker cannot lose this thread unnoticed.
	 */
	if (!started) {
		(void)setpriority(PRIO_PROCESS, (id_t)gettid(), 10);
		(void)web_sentinel_watch();
		started = 1;
	}

	atomic_fetch_add(&offload_running, 1);
	job->result = job->fn(job->arg);
	atomic_fetch_sub(&offload_running, 1);
	return (KORE_RESULT_OK);
}

int
web_offload_drain(int ms)
{
	struct timespec tick = { 0, 10L * 1000 * 1000 };
	int		n;

	while ((n = atomic_load(&offload_running)) > 0 && ms > 0) {
		(void)nanosleep(&tick, NULL);
		ms -= 10;
	}
	return (n);
}

int
web_offload_run(struct http_request *req, struct web_offload *job,
    int (*fn)(void *), void *arg, void (*cleanup)(void *))
{
	switch (job->state) {
	case WEB_OFFLOAD_IDLE:
		job->fn = fn;
		job->arg = arg;
		job->cleanup = cleanup;
		kore_task_create(&job->task, offload_entry);
		kore_task_bind_request(&job->task, req);
		kore_task_run(&job->task);
		job->state = WEB_OFFLOAD_PENDING;
		return (WEB_OFFLOAD_PENDING);
	case WEB_OFFLOAD_PENDING:
		if (kore_task_state(&job->task) != KORE_TASK_STATE_FINISHED) {
			http_request_sleep(req);
			return (WEB_OFFLOAD_PENDING);
		}
		kore_task_destroy(&job->task);
		job->state = WEB_OFFLOAD_DONE;
		return (WEB_OFFLOAD_DONE);
	default:
		return (WEB_OFFLOAD_DONE);
	}
}

int
web_offload_release(struct web_offload *job)
{
	if (job->state == WEB_OFFLOAD_PENDING) {
		/* Still bound to the request: Kore has not destroyed it. */
		if (job->task.req != NULL) {
			if (kore_task_state(&job->task) !=
			    KORE_TASK_STATE_FINISHED)
				return (1);
			kore_task_destroy(&job->task);
		}
		job->state = WEB_OFFLOAD_DONE;
	}
	if (job->cleanup != NULL) {
		job->cleanup(job->arg);
		job->cleanup = NULL;
	}
	return (0);
}

void
web_offload_onfree(struct http_request *req)
{
	struct web_offload *job = http_state_get(req);

	if (job != NULL)
		(void)web_offload_release(job);
}
