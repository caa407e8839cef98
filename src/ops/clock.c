/*
 * The program's one clock (ops/clock.h).
 *
 * The test build (FELLOW_SELFTEST) can run a whole server on another
 * day: when the environment names a file in FELLOW_CLOCK_FILE, the number
 * of seconds written in it is added to the time of day. The file is read
 * again at most once a second, so a test moves the clock of every process
 * of a running server (workers, task threads, the mail process) by
 * rewriting it. Release builds have no such hook.
 */
#include <time.h>

#if defined(FELLOW_SELFTEST)
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#endif

#include "ops/clock.h"

#if defined(FELLOW_SELFTEST)
static pthread_mutex_t clock_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t	       clock_offset;
static int64_t	       clock_read_at = -1; /* monotonic seconds */

/* The offset the test wrote, re-read at most once a second. */
static int64_t
test_offset(void)
{
	struct timespec ts;
	const char     *path;
	FILE	       *f;
	long long	v;
	int64_t		off;

	if ((path = getenv("FELLOW_CLOCK_FILE")) == NULL || *path == '\0')
		return (0);
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	(void)pthread_mutex_lock(&clock_lock);
	if (clock_read_at < 0 || (int64_t)ts.tv_sec != clock_read_at) {
		clock_read_at = (int64_t)ts.tv_sec;
		if ((f = fopen(path, "r")) != NULL) {
			if (fscanf(f, "%lld", &v) == 1)
				clock_offset = (int64_t)v;
			(void)fclose(f);
		}
	}
	off = clock_offset;
	(void)pthread_mutex_unlock(&clock_lock);
	return (off);
}
#endif

int64_t
ops_clock_now(void)
{
#if defined(FELLOW_SELFTEST)
	return ((int64_t)time(NULL) + test_offset());
#else
	return ((int64_t)time(NULL));
#endif
}
