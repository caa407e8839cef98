/*
 * The storage layer's interface: the only way the rest of the program reaches
 * the database. It names operations of the product, never SQL, so that a
 * second backend (PostgreSQL) can be added behind it without touching the
 * domain or web code. Only files in src/store include <sqlite3.h>.
 *
 * Return codes: 0 on success, and for lookups 1 found / 0 not found; on
 * failure one of the negative DB_E* codes below, which the web layer maps to
 * HTTP statuses (busy 503, constraint 409, full 507, anything else 500).
 */
#ifndef FELLOW_STORE_DB_H
#define FELLOW_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#define DB_ERROR       (-1) /* unexpected; logged */
#define DB_EBUSY       (-2) /* another writer held the lock too long */
#define DB_ECONSTRAINT (-3) /* unique/foreign key/check violated */
#define DB_EFULL       (-4) /* disk or quota full */

struct db;

/* How db_open() should treat the file. */
enum db_mode {
	DB_MODE_ADMIN, /* create if missing; no statements prepared */
	DB_MODE_SERVE, /* must exist at the expected schema version */
};

/*
 * Opens the database at path with WAL, foreign keys, FULL synchronous
 * commits and a short busy timeout. In DB_MODE_SERVE the schema version
 * must equal db_schema_latest() and every statement of the statement table
 * is prepared up front. Returns 0 and a handle the caller frees with
 * db_close(), or a DB_E* code with a sentence in err.
 */
int  db_open(struct db **out, const char *path, enum db_mode mode, char *err,
     size_t errlen);
void db_close(struct db *);

/* The last SQLite error message of this handle, for the log only. */
const char *db_errmsg(struct db *);

/* Transactions: BEGIN IMMEDIATE (for any read-then-write), COMMIT, ROLLBACK. */
int  db_begin(struct db *);
int  db_commit(struct db *);
void db_rollback(struct db *);

/* Migrations (store/migrate.c). */
int db_schema_latest(void);
int db_schema_version(struct db *, int *version);
int db_migrate(struct db *, int *applied, char *err, size_t errlen);

/* Returns 0 when a trivial query succeeds, for GET /api/health. */
int db_ping(struct db *);

/* Returns 0 when PRAGMA integrity_check answers "ok". */
int db_integrity_check(struct db *);

/*
 * Online backup (store/backup.c): copies a consistent snapshot of the open
 * database to dest (written to a temporary name, synced, then renamed).
 */
int db_backup(struct db *, const char *dest, char *err, size_t errlen);

/*
 * Restores the backup file src into the database at path, after checking
 * that src is intact and at a schema version this program knows.
 */
int db_restore(const char *src, const char *path, char *err, size_t errlen);

/* Users (store/users.c). */
int db_user_insert(struct db *, const char *email, const char *name,
    const char *role, const char *pwhash, int64_t *id);
int db_user_count(struct db *, int64_t *count);

/*
 * Audit log (store/audit.c): appends one record. actor is a user id or 0
 * for the system/operator; detail is a JSON text or NULL.
 */
int db_audit_append(struct db *, int64_t actor, const char *action,
    const char *object, const char *detail);

#endif
