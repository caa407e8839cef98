/*
 * Schema migrations: the numbered SQL files of migrations/, compiled into the
 * program (core/embed.h), applied in order, each in its own transaction
 * together with its row in schema_migrations. The files are append-only: a
 * released migration is never edited, a change is a new file.
 *
 * The server applies them once in the parent process before the workers
 * fork; fellowctl migrate does the same for an operator. A worker that finds
 * any other version than db_schema_latest() refuses to run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include <sqlite3.h>

#include "store/internal.h"

/* Returns the version number a file name starts with, or -1. */
static int
migration_version(const char *name)
{
	char *end;
	long  v;

	v = strtol(name, &end, 10);
	if (end == name || *end != '_' || v <= 0 || v > 99999)
		return (-1);
	return ((int)v);
}

int
db_schema_latest(void)
{
	return ((int)migrations_count);
}

int
db_schema_version(struct db *db, int *version)
{
	int64_t v;
	int	rc;

	if ((rc = db_scalar(db, STMT_SCHEMA_VERSION, &v)) == 0)
		*version = (int)v;
	return (rc);
}

int
sqlite_migrate(struct db *db, int *applied, char *err, size_t errlen)
{
	sqlite3_stmt *ins = NULL;
	size_t	      i;
	int	      current = 0, v, rc;

	*applied = 0;
	rc = sqlite3_exec(db->conn,
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version INTEGER PRIMARY KEY,"
	    " name TEXT NOT NULL,"
	    " applied_at TEXT NOT NULL DEFAULT "
	    "(strftime('%Y-%m-%dT%H:%M:%SZ')))",
	    NULL, NULL, NULL);
	if (rc != SQLITE_OK || db_schema_version(db, &current) != 0) {
		snprintf(err, errlen, "cannot read the schema version: %s",
		    sqlite3_errmsg(db->conn));
		return (DB_ERROR);
	}
	if (current > db_schema_latest()) {
		snprintf(err, errlen,
		    "the database is at schema version %d, "
		    "newer than this program (%d)",
		    current, db_schema_latest());
		return (DB_ERROR);
	}

	for (i = 0; i < migrations_count; i++) {
		v = migration_version(migrations_files[i].name);
		if (v != (int)i + 1) {
			snprintf(err, errlen, "migration %s is out of sequence",
			    migrations_files[i].name);
			return (DB_ERROR);
		}
		if (v <= current)
			continue;

		if ((rc = db_begin(db)) != 0) {
			snprintf(err, errlen, "cannot start migration %s: %s",
			    migrations_files[i].name, sqlite3_errmsg(db->conn));
			return (rc);
		}
		if (sqlite3_exec(db->conn,
			(const char *)migrations_files[i].data, NULL, NULL,
			NULL) != SQLITE_OK)
			goto fail;
		if (sqlite3_prepare_v2(db->conn,
			"INSERT INTO schema_migrations"
			" (version, name) VALUES (?1, ?2)",
			-1, &ins, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_int(ins, 1, v);
		sqlite3_bind_text(
		    ins, 2, migrations_files[i].name, -1, SQLITE_STATIC);
		rc = sqlite3_step(ins);
		sqlite3_finalize(ins);
		ins = NULL;
		if (rc != SQLITE_DONE)
			goto fail;
		if ((rc = db_commit(db)) != 0) {
			snprintf(err, errlen, "cannot commit migration %s: %s",
			    migrations_files[i].name, sqlite3_errmsg(db->conn));
			return (rc);
		}
		(*applied)++;
	}
	return (0);
fail:
	snprintf(err, errlen, "migration %s failed: %s",
	    migrations_files[i].name, sqlite3_errmsg(db->conn));
	sqlite3_finalize(ins);
	db_rollback(db);
	return (DB_ERROR);
}
