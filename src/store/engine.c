/*
 * The query interface of store/internal.h and the connection-level calls
 * of store/db.h, passed on to the connection's engine (struct
 * db_engine): SQLite for a file's path, PostgreSQL for a postgresql://
 * (or postgres://) URL. Names no engine's API: each engine's file does
 * the work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Whether target names a PostgreSQL database rather than a file. */
static int
is_pg_url(const char *target)
{
	return (strncmp(target, "postgresql://", 13) == 0 ||
	    strncmp(target, "postgres://", 11) == 0);
}

int
db_prepare_all(struct db *db, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < STMT__MAX; i++) {
		if (db_stmt(db, (enum stmt)i) == NULL) {
			snprintf(
			    err, errlen, "statement %d: %s", i, db_errmsg(db));
			return (-1);
		}
	}
	return (0);
}

int
db_open(struct db **out, const char *path, enum db_mode mode, char *err,
    size_t errlen)
{
	static _Atomic uint64_t opened;
	struct db	       *db;
	int			version;

	*out = NULL;
	if ((db = calloc(1, sizeof(*db))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (DB_ERROR);
	}
	db->serial = ++opened;
	db->eng = is_pg_url(path) ? &db_engine_pg : &db_engine_sqlite;
	if (db->eng->open(db, path, mode, err, errlen) != 0)
		goto fail;

	if (mode == DB_MODE_SERVE) {
		if (db_schema_version(db, &version) != 0) {
			snprintf(err, errlen,
			    "cannot read the schema version "
			    "of %s: %s",
			    db->eng == &db_engine_pg ? "the database" : path,
			    db_errmsg(db));
			goto fail;
		}
		if (version != db_schema_latest()) {
			snprintf(err, errlen,
			    "%s is at schema version %d, "
			    "this program needs %d",
			    db->eng == &db_engine_pg ? "the database" : path,
			    version, db_schema_latest());
			goto fail;
		}
		if (db_prepare_all(db, err, errlen) != 0)
			goto fail;
	}
	*out = db;
	return (0);
fail:
	db_close(db);
	return (DB_ERROR);
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	db_memo_clear(db);
	db->eng->close(db);
	free(db);
}

const char *
db_errmsg(struct db *db)
{
	if (db == NULL)
		return ("no database connection");
	return (db->eng->errmsg(db));
}

int
db_rc(struct db *db, int rc)
{
	return (db->eng->rc(db, rc));
}

int
db_begin(struct db *db)
{
	return (db->eng->begin(db));
}

int
db_commit(struct db *db)
{
	return (db->eng->commit(db));
}

void
db_rollback(struct db *db)
{
	db->eng->rollback(db);
}

int
db_integrity_check(struct db *db)
{
	return (db->eng->integrity_check(db));
}

int
db_migrate(struct db *db, int *applied, char *err, size_t errlen)
{
	return (db->eng->migrate(db, applied, err, errlen));
}

int
db_backup(struct db *db, const char *dest, char *err, size_t errlen)
{
	return (db->eng->backup(db, dest, err, errlen));
}

struct db_q *
db_stmt(struct db *db, enum stmt id)
{
	struct db_q *st;

	if ((unsigned int)id >= STMT__MAX)
		return (NULL);
	st = &db->stmts[id];
	if (st->h == NULL) {
		st->db = db;
		if (db->eng->prepare(db, id, st) != 0) {
			st->h = NULL;
			return (NULL);
		}
	} else
		db->eng->clear(st);
	return (st);
}

int
db_q_prepare_text(struct db *db, const char *sql, struct db_q *st)
{
	st->db = db;
	st->h = NULL;
	if (db->eng->prepare_text(db, sql, st) != 0) {
		st->h = NULL;
		return (-1);
	}
	return (0);
}

void
db_q_finalize(struct db_q *st)
{
	if (st->h != NULL)
		st->db->eng->finalize(st);
	st->h = NULL;
}

void
db_bind_int64(struct db_q *st, int i, int64_t v)
{
	st->db->eng->bind_int64(st, i, v);
}

void
db_bind_int(struct db_q *st, int i, int v)
{
	st->db->eng->bind_int64(st, i, v);
}

void
db_bind_text(struct db_q *st, int i, const char *v)
{
	st->db->eng->bind_text(st, i, v, 0);
}

void
db_bind_text_copy(struct db_q *st, int i, const char *v)
{
	st->db->eng->bind_text(st, i, v, 1);
}

void
db_bind_blob(struct db_q *st, int i, const void *v, size_t len)
{
	st->db->eng->bind_blob(st, i, v, len);
}

void
db_bind_null(struct db_q *st, int i)
{
	st->db->eng->bind_null(st, i);
}

int
db_q_step(struct db_q *st)
{
	return (st->db->eng->step(st));
}

void
db_q_reset(struct db_q *st)
{
	st->db->eng->reset(st);
}

int64_t
db_col_int64(struct db_q *st, int col)
{
	return (st->db->eng->col_int64(st, col));
}

int
db_col_int(struct db_q *st, int col)
{
	return ((int)st->db->eng->col_int64(st, col));
}

const unsigned char *
db_col_text(struct db_q *st, int col)
{
	return (st->db->eng->col_text(st, col));
}

size_t
db_col_bytes(struct db_q *st, int col)
{
	return (st->db->eng->col_bytes(st, col));
}

int64_t
db_last_id(struct db *db)
{
	return (db->eng->last_id(db));
}

int64_t
db_changes(struct db *db)
{
	return (db->eng->changes(db));
}

int
db_in_transaction(struct db *db)
{
	return (db->eng->in_transaction(db));
}

int
db_data_version(struct db *db, uint64_t *v)
{
	return (db->eng->data_version(db, v));
}
