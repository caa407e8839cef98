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
 *
 * With FELLOW_TEST_DATABASE_URL set to a postgresql:// URL, the database
 * is that PostgreSQL database instead (tests/pg/test_units.py starts a
 * cluster and runs the unit tests so): each fresh one drops and makes
 * again its public schema, then migrates it. The directory is still
 * made, for the files a test writes beside its database. Times the
 * database writes itself then follow the server's clock.
 */
#ifndef FELLOW_TESTS_TEMPDB_H
#define FELLOW_TESTS_TEMPDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "store/db.h"

struct tempdb {
	struct db *db;
	char	   dir[96];
	char	   path[1024]; /* the file, or the PostgreSQL URL */
	int	   pg;
};

/* Empties the PostgreSQL database at url; 0, or -1 with the reason on
 * stderr. */
static int
tempdb_pg_wipe(const char *url)
{
	PGconn	 *c;
	PGresult *r;
	int	  rc = -1;

	c = PQconnectdb(url);
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "tempdb: %s\n",
		    c != NULL ? PQerrorMessage(c) : "out of memory");
		PQfinish(c);
		return (-1);
	}
	r = PQexec(c,
	    "SET client_min_messages = warning; "
	    "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
	if (PQresultStatus(r) == PGRES_COMMAND_OK)
		rc = 0;
	else
		fprintf(stderr, "tempdb: %s\n", PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	return (rc);
}

static void
tempdb_remove(struct tempdb *t)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char			 p[sizeof(t->path) + 16];
	size_t			 i;

	if (t->db != NULL)
		db_close(t->db);
	t->db = NULL;
	if (t->pg)
		return;
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
	if (t->pg && tempdb_pg_wipe(t->path) != 0)
		return (-1);
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
	const char *url;

	t->db = NULL;
	(void)snprintf(t->dir, sizeof(t->dir), "%s/fellowship-%s.XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", name);
	if (mkdtemp(t->dir) == NULL) {
		perror("tempdb: mkdtemp");
		return (-1);
	}
	(void)snprintf(t->path, sizeof(t->path), "%s/fellowship.db", t->dir);
	url = getenv("FELLOW_TEST_DATABASE_URL");
	t->pg = url != NULL && *url != '\0';
	if (t->pg &&
	    snprintf(t->path, sizeof(t->path), "%s", url) >=
		(int)sizeof(t->path)) {
		fprintf(stderr, "tempdb: FELLOW_TEST_DATABASE_URL too long\n");
		return (-1);
	}
	return (tempdb_fresh(t));
}

/*
 * Runs sql on a second connection to the database, as a test sets rows
 * up behind the program's back; fails the test with the engine's message
 * when it fails. without_fk: foreign keys are not checked (SQLite's
 * default for a new connection; on PostgreSQL, session_replication_role
 * replica, which also leaves the triggers out).
 */
__attribute__((unused)) static void
tempdb_sql(struct tempdb *t, const char *sql, int without_fk)
{
	sqlite3	 *c = NULL;
	char	 *err = NULL;
	PGconn	 *pc;
	PGresult *r;
	int	  ok;

	if (!t->pg) {
		ok = sqlite3_open(t->path, &c) == SQLITE_OK;
		if (ok)
			sqlite3_busy_timeout(c, 5000);
		if (ok && !without_fk)
			ok = sqlite3_exec(c, "PRAGMA foreign_keys=ON", NULL,
				 NULL, &err) == SQLITE_OK;
		if (ok)
			ok =
			    sqlite3_exec(c, sql, NULL, NULL, &err) == SQLITE_OK;
		if (!ok) {
			fprintf(stderr, "tempdb_sql: %s\n",
			    err != NULL ? err : sqlite3_errmsg(c));
			abort();
		}
		sqlite3_free(err);
		sqlite3_close(c);
		return;
	}
	pc = PQconnectdb(t->path);
	if (pc == NULL || PQstatus(pc) != CONNECTION_OK) {
		fprintf(stderr, "tempdb_sql: %s\n",
		    pc != NULL ? PQerrorMessage(pc) : "out of memory");
		abort();
	}
	if (without_fk)
		PQclear(PQexec(pc, "SET session_replication_role = replica"));
	r = PQexec(pc, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "tempdb_sql: %s\n", PQresultErrorMessage(r));
		abort();
	}
	PQclear(r);
	PQfinish(pc);
}

/* Closes and removes the database and its directory. */
static void
tempdb_close(struct tempdb *t)
{
	tempdb_remove(t);
	(void)rmdir(t->dir);
}

#endif
