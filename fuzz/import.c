/*
 * The archive import (fellowctl import): any bytes as an export.json,
 * imported into a real database (migrated once, in a temporary directory,
 * in /dev/shm when there is one). A refused document must leave the
 * database as it was; an accepted one is imported whole, and the
 * database is then made afresh so that it does not grow without bound.
 */
#include <sys/stat.h>

#include <unistd.h>

#include "ops/import.h"
#include "store/db.h"
#include "fuzz.h"

static char	  dir[64], dbpath[128];
static struct db *db;

static void
remove_db(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char			 p[160];
	size_t			 i;

	if (db != NULL)
		db_close(db);
	db = NULL;
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		(void)snprintf(p, sizeof(p), "%s%s", dbpath, suffix[i]);
		(void)unlink(p);
	}
}

static void
fresh_db(void)
{
	char err[256];
	int  applied;

	remove_db();
	if (db_open(&db, dbpath, DB_MODE_ADMIN, err, sizeof(err)) != 0 ||
	    db_migrate(db, &applied, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz: %s\n", err);
		fuzz_fail("cannot make the database");
	}
}

static void
cleanup(void)
{
	remove_db();
	(void)rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	(void)snprintf(dir, sizeof(dir), "%s/fellowship-fuzz-import.XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(dir) == NULL)
		fuzz_fail("cannot create the temporary directory");
	(void)snprintf(dbpath, sizeof(dbpath), "%s/fellowship.db", dir);
	(void)atexit(cleanup);
	fresh_db();
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ops_actor	 op = { 0, ROLE_DIRECTOR };
	struct ops_import_result r;
	struct ops_error	 e;
	int			 rc;

	memset(&e, 0, sizeof(e));
	memset(&r, 0, sizeof(r));
	rc = ops_cycle_import(
	    db, op, (const char *)data, size, "fuzz", 1767225600, &r, &e);
	if (rc == OPS_OK) {
		fuzz_assert(r.cycle > 0);
		fuzz_assert(r.candidates >= 0 && r.raters >= 0 &&
		    r.sheets >= 0 && r.versions >= 0);
		fresh_db();
	} else if (rc == OPS_INVALID)
		fuzz_assert(e.message[0] != '\0');
	else {
		fprintf(stderr, "fuzz: import: %d: %s\n", rc, db_errmsg(db));
		fuzz_fail("the import failed in the database");
	}
	return (0);
}
