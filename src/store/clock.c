/*
 * SQLite's own clock follows the program's. The database writes some
 * times itself (a row's created_at, a document's removed_at ...) with
 * strftime('now'), which SQLite takes from its operating-system layer
 * (VFS). Every connection here is opened through a thin copy of the
 * default VFS whose clock asks the source given to db_clock_source() (the
 * program's one clock, ops/clock.h), so the test build's clock and the
 * unit tests' fixed "now" hold for those times as well. The storage layer
 * does not depend on the layer that owns the clock: it is handed a
 * function.
 */
#include <string.h>

#include <sqlite3.h>

#include "store/internal.h"

#define CLOCK_VFS_NAME "fellow-clock"

/* Milliseconds from the Julian day epoch to the Unix epoch. */
#define JULIAN_UNIX_MS 210866760000000LL

static int64_t (*clock_source)(void);
static sqlite3_vfs  clock_vfs;
static sqlite3_vfs *clock_base;

static int
clock_now_ms(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	if (clock_source == NULL)
		return (clock_base->xCurrentTimeInt64(clock_base, out));
	*out = (sqlite3_int64)clock_source() * 1000 + JULIAN_UNIX_MS;
	return (SQLITE_OK);
}

static int
clock_now_days(sqlite3_vfs *vfs, double *out)
{
	sqlite3_int64 ms;
	int	      rc;

	if ((rc = clock_now_ms(vfs, &ms)) == SQLITE_OK)
		*out = (double)ms / 86400000.0;
	return (rc);
}

void
db_clock_source(int64_t (*now)(void))
{
	clock_source = now;
}

int
db_clock_now(int64_t *now)
{
	if (clock_source == NULL)
		return (-1);
	*now = clock_source();
	return (0);
}

const char *
db_clock_vfs(void)
{
	if (clock_base != NULL)
		return (CLOCK_VFS_NAME);
	if ((clock_base = sqlite3_vfs_find(NULL)) == NULL ||
	    clock_base->iVersion < 2)
		return (NULL);
	memcpy(&clock_vfs, clock_base, sizeof(clock_vfs));
	clock_vfs.zName = CLOCK_VFS_NAME;
	clock_vfs.pNext = NULL;
	clock_vfs.xCurrentTime = clock_now_days;
	clock_vfs.xCurrentTimeInt64 = clock_now_ms;
	if (sqlite3_vfs_register(&clock_vfs, 0) != SQLITE_OK) {
		clock_base = NULL;
		return (NULL);
	}
	return (CLOCK_VFS_NAME);
}
