/*
 * A real database for the targets that go through src/ops
 * (tests/lib/tempdb.h), removed at exit. fuzz_db_fresh() starts over
 * with an empty one.
 */
#ifndef FELLOW_FUZZDB_H
#define FELLOW_FUZZDB_H

#include "fuzz.h"
#include "lib/tempdb.h"

static struct tempdb fuzz_tempdb;
static struct db    *fuzz_db;

static void
fuzz_db_fresh(void)
{
	if (tempdb_fresh(&fuzz_tempdb) != 0)
		fuzz_fail("cannot make the database");
	fuzz_db = fuzz_tempdb.db;
}

static void
fuzz_db_cleanup(void)
{
	tempdb_close(&fuzz_tempdb);
	fuzz_db = NULL;
}

/* Makes the directory and an empty database; name names the directory. */
static void
fuzz_db_init(const char *name)
{
	if (tempdb_open(&fuzz_tempdb, name) != 0)
		fuzz_fail("cannot make the database");
	fuzz_db = fuzz_tempdb.db;
	(void)atexit(fuzz_db_cleanup);
}

#endif
