/*
 * Moving an installation from SQLite to PostgreSQL (fellowctl
 * migrate-to-postgres): every row of every table of the SQLite database
 * into a new PostgreSQL database, migrated to the same schema, checked
 * by counting each table on both sides.
 *
 * The uploaded documents and letters are files in DATA_DIR/documents,
 * named by their content's SHA-256 (store/files.c), and a server on
 * PostgreSQL reads them there as one on SQLite does: they stay where
 * they are. Each file a row needs is checked before anything is copied
 * (there, of its recorded size, of its name's hash), so that the server
 * on PostgreSQL serves every one as it was.
 */
#ifndef FELLOW_OPS_MIGRATE_PG_H
#define FELLOW_OPS_MIGRATE_PG_H

#include <stdint.h>

#include <jansson.h>

#include "ops/common.h"
#include "store/db.h"

/* What a move did, or found when it refused. */
struct ops_migrate_pg {
	int		 schema_version; /* of both databases */
	int		 applied;	 /* migrations applied to the target */
	struct db_verify files;		 /* the stored files checked */
	json_t		*problems;	 /* ["<sha256>.pdf: missing", ...] */
	struct db_copy	 copy;		 /* the tables and their counts */
};

/*
 * Copies the installation whose SQLite database is from, and whose
 * stored files are in docdir, into the PostgreSQL database to. Refuses
 * (OPS_CONFLICT, with a sentence) unless:
 *   - from is at this program's schema version, and no one else is
 *     writing to it: its write lock is held from the first check to the
 *     end (BEGIN IMMEDIATE), so the copy is one consistent snapshot and
 *     a server still running waits, then fails its writes;
 *   - every stored file a row needs is whole (r->problems lists those
 *     that are not);
 *   - to holds nothing but what its migrations write (a table with rows
 *     is named); it is then migrated to the same version;
 *   - after the copy, in one transaction on to, each table has as many
 *     rows on both sides (else it is rolled back).
 * On success the move is recorded in to's audit log
 * ("database.to_postgresql"). Fills r (r->copy.tables, the counts, on
 * success and when the counts differ); the caller frees it with
 * ops_migrate_pg_clear(). Storage failures are passed on as negative
 * codes, with a sentence in e.
 */
int ops_migrate_to_postgres(struct db *from, struct db *to, const char *docdir,
    struct ops_migrate_pg *r, struct ops_error *e);

void ops_migrate_pg_clear(struct ops_migrate_pg *);

#endif
