/*
 * A real, migrated database in a temporary directory (in /dev/shm when
 * there is one, so that the FULL synchronous commits cost little), for
 * the unit tests of src/ops and the fuzz targets that go through it.
 * SQLite's own clock is the caller's (db_clock_source()), so a test's
 * fixed "now" holds for the times the database writes itself.
 *
 *	struct tempdb t;
 *	tempdb_open(&t, "name");  ... t.db ...  tempdb_close(&t);
 *
 * tempdb_fresh() starts over with an empty database in the same place.
 * Header-only: each test or target is one program.
 */
#ifndef FELLOW_TESTS_TEMPDB_H
#define FELLOW_TESTS_TEMPDB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"

struct tempdb {
	struct db *db;
	char	   dir[96];
	char	   path[160];
};

static void
tempdb_remove(struct tempdb *t)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char			 p[200];
	size_t			 i;

	if (t->db != NULL)
		db_close(t->db);
	t->db = NULL;
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		(void)snprintf(p, sizeof(p), "%s%s", t->path, suffix[i]);
		(void)unlink(p);
	}
}

/* A new empty, migrated database; 0, or -1 with the reason on stderr. */
static int
tempdb_fresh(struct tempdb *t)
{
	char err[256];
	int  applied;

	tempdb_remove(t);
	if (db_open(&t->db, t->path, DB_MODE_ADMIN, err, sizeof(err)) != 0 ||
	    db_migrate(t->db, &applied, err, sizeof(err)) != 0) {
		fprintf(stderr, "tempdb: %s\n", err);
		return (-1);
	}
	return (0);
}

/* Makes the directory (named after name) and an empty database. */
static int
tempdb_open(struct tempdb *t, const char *name)
{
	t->db = NULL;
	(void)snprintf(t->dir, sizeof(t->dir), "%s/fellowship-%s.XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", name);
	if (mkdtemp(t->dir) == NULL) {
		perror("tempdb: mkdtemp");
		return (-1);
	}
	(void)snprintf(t->path, sizeof(t->path), "%s/fellowship.db", t->dir);
	return (tempdb_fresh(t));
}

/* Closes and removes the database and its directory. */
static void
tempdb_close(struct tempdb *t)
{
	tempdb_remove(t);
	(void)rmdir(t->dir);
}

#endif
