/*
 * A real database for the targets that go through src/ops: migrated, in
 * a temporary directory (in /dev/shm when there is one, so that the FULL
 * synchronous commits cost little), removed at exit. fuzz_db_fresh()
 * starts over with an empty one.
 */
#ifndef FELLOW_FUZZDB_H
#define FELLOW_FUZZDB_H

#include <unistd.h>

#include "store/db.h"
#include "fuzz.h"

static struct db *fuzz_db;
static char	  fuzz_dir[64], fuzz_dbpath[128];

static void
fuzz_db_remove(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char			 p[160];
	size_t			 i;

	if (fuzz_db != NULL)
		db_close(fuzz_db);
	fuzz_db = NULL;
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		(void)snprintf(p, sizeof(p), "%s%s", fuzz_dbpath, suffix[i]);
		(void)unlink(p);
	}
}

static void
fuzz_db_fresh(void)
{
	char err[256];
	int  applied;

	fuzz_db_remove();
	if (db_open(&fuzz_db, fuzz_dbpath, DB_MODE_ADMIN, err, sizeof(err)) !=
		0 ||
	    db_migrate(fuzz_db, &applied, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz: %s\n", err);
		fuzz_fail("cannot make the database");
	}
}

static void
fuzz_db_cleanup(void)
{
	fuzz_db_remove();
	(void)rmdir(fuzz_dir);
}

/* Makes the directory and an empty database; name names the directory. */
static void
fuzz_db_init(const char *name)
{
	(void)snprintf(fuzz_dir, sizeof(fuzz_dir),
	    "%s/fellowship-fuzz-%s.XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", name);
	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_fail("cannot create the temporary directory");
	(void)snprintf(
	    fuzz_dbpath, sizeof(fuzz_dbpath), "%s/fellowship.db", fuzz_dir);
	(void)atexit(fuzz_db_cleanup);
	fuzz_db_fresh();
}

#endif
