/*
 * A worker that has lost a thread ends, so that Kore starts another.
 *
 * Kore 4.1's seccomp filter ends with SECCOMP_RET_KILL, which the kernel
 * applies to the calling thread alone (SECCOMP_RET_KILL_THREAD): a system
 * call outside the filter's lists kills that one thread, and the rest of
 * the worker goes on. A worker that is only its event loop then ends, and
 * Kore's parent logs "died from sandbox violation" and starts another;
 * but once task threads run beside the loop it does not:
 *
 *  - when the event loop is killed, the process lives on in its task
 *    threads. The parent, which learns of a worker's end only by reaping
 *    it, logs nothing and starts no other, and never releases Kore's
 *    accept lock if that worker held it; the worker keeps its listening
 *    socket, its connections and its database locks. No worker accepts a
 *    connection again and every request waits, without a line in any log.
 *    (Seen: the sanitizer runtime of the test build yields the CPU with
 *    sched_yield when two threads want one of its locks, which the filter
 *    did not list; see web/sandbox.c and web/offload.c.)
 *  - when a task thread is killed, its job never finishes: the request
 *    that waits for it, and every job queued behind it on that thread,
 *    never gets an answer.
 *
 * Each watched thread gives the kernel a word to clear when the thread
 * ends, for whatever reason (set_tid_address(2), on which pthread_join is
 * built): the word holds the thread's id while it runs, the kernel writes
 * 0 and wakes whoever waits on it. A thread of the sentinel's own waits
 * on the event loop's word and looks at every word at least twice a
 * second; when one is 0 it says so on standard error and ends the worker
 * with SIGSYS, as the sandbox meant to: the parent reaps it, logs the
 * violation, releases the accept lock if it was held and starts a new
 * worker; the clients of the lost requests see their connection close.
 *
 * A worker's own exit (exit_group) ends every thread at once, the
 * sentinel's first, so it never mistakes that for a loss. Kore unloads
 * the module as a worker exits, which would unmap this code under the
 * sentinel's thread: the module is linked with -z nodelete (Makefile),
 * so its code stays. Kore's module reload on SIGHUP is not used: the
 * server is restarted instead (see the Kore notes).
 */
#include <sys/syscall.h>

#include <linux/futex.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <kore/kore.h>

#include "web/sentinel.h"

/* The event loop and Kore's task threads (task_threads 2), with room. */
#define SENTINEL_THREADS 8
#define SENTINEL_FREE	 (-1)

/*
 * The watched threads' words: SENTINEL_FREE until a thread takes one,
 * then its id, then 0 once the kernel has cleared it. The event loop's
 * is the first.
 */
static int sentinel_words[SENTINEL_THREADS];

/* Ends the worker: the thread of word i has ended behind Kore's back. */
static void
sentinel_end(int i)
{
	struct timespec second = { 1, 0 };
	char		msg[256];
	int		n;

	/* Not kore_log(): the lost thread may hold its lock. */
	n = snprintf(msg, sizeof(msg),
	    "worker %u: its %s ended on its own (killed by the seccomp "
	    "sandbox?); the worker ends so that Kore starts another\n",
	    worker != NULL ? (unsigned int)worker->id : 0,
	    i == 0 ? "event loop" : "task thread");
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0) {
		/* Nowhere to say it; end all the same. */
	}
	/*
	 * SIGSYS, as the sandbox would have sent the whole worker. Its
	 * default action (a core dump, which the sanitizer runtime and a
	 * dropped privilege both prevent) may be taken by another thread,
	 * after this call returns: wait for it rather than exit first.
	 */
	(void)kill(getpid(), SIGSYS);
	for (n = 0; n < 10; n++)
		(void)nanosleep(&second, NULL);
	_exit(70); /* SIGSYS was caught or blocked everywhere */
}

/* The sentinel's thread: waits on the event loop, looks at the rest. */
static void *
sentinel_run(void *arg)
{
	struct timespec half = { 0, 500L * 1000 * 1000 };
	sigset_t	sys;
	int		i, w;

	(void)arg;
	/* The signal that ends the worker must reach this thread. */
	(void)sigemptyset(&sys);
	(void)sigaddset(&sys, SIGSYS);
	(void)pthread_sigmask(SIG_UNBLOCK, &sys, NULL);
	for (;;) {
		w = __atomic_load_n(&sentinel_words[0], __ATOMIC_ACQUIRE);
		if (w != 0)
			(void)syscall(SYS_futex, &sentinel_words[0], FUTEX_WAIT,
			    w, &half, NULL, 0);
		for (i = 0; i < SENTINEL_THREADS; i++) {
			if (__atomic_load_n(
				&sentinel_words[i], __ATOMIC_ACQUIRE) == 0)
				sentinel_end(i);
		}
	}
	return (NULL);
}

/* Gives the calling thread's word i to the kernel. */
static void
sentinel_give(int i)
{
	(void)syscall(SYS_set_tid_address, &sentinel_words[i]);
}

int
web_sentinel_start(void)
{
	pthread_t tid;
	int	  i;

	for (i = 1; i < SENTINEL_THREADS; i++)
		sentinel_words[i] = SENTINEL_FREE;
	__atomic_store_n(&sentinel_words[0], (int)gettid(), __ATOMIC_RELEASE);
	sentinel_give(0);
	if (pthread_create(&tid, NULL, sentinel_run, NULL) != 0)
		return (-1);
	(void)pthread_detach(tid);
	return (0);
}

int
web_sentinel_watch(void)
{
	int i, free_word;

	for (i = 1; i < SENTINEL_THREADS; i++) {
		free_word = SENTINEL_FREE;
		if (__atomic_compare_exchange_n(&sentinel_words[i], &free_word,
			(int)gettid(), 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
			sentinel_give(i);
			return (0);
		}
	}
	return (-1);
}
