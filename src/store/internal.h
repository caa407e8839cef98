/*
 * What the files of the storage layer share and nobody else sees: the
 * handle's layout, the statement table, and the query interface the
 * tables' files use to run it.
 *
 * The query interface is the seam between the tables' files (users.c,
 * cycles.c, ...: which statement, which values, which columns) and the
 * database engines: SQLite (store/sqlite.c, with db.c for opening and
 * transactions, migrate.c, backup.c and clock.c) and PostgreSQL
 * (store/pg.c). A connection carries its engine's table of functions
 * (struct db_engine); store/engine.c picks the engine when the database
 * is opened (a postgresql:// URL or a file's path) and passes each call
 * on. Only the engine's files include the engine's header (make lint
 * checks it).
 */
#ifndef FELLOW_STORE_INTERNAL_H
#define FELLOW_STORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

struct sqlite3;
struct pg_conn;
struct db_engine;

/* A prepared statement of the statement table: its connection and the
 * engine's own statement. */
struct db_q {
	struct db *db;
	void	  *h; /* sqlite3_stmt, or store/pg.c's struct pg_q */
};

/* What db_q_step() gives besides a code the engine maps with db_rc(). */
#define DBQ_ROW	 100 /* a row is ready to read */
#define DBQ_DONE 101 /* the statement ran to its end */

/* The name of the VFS every connection opens with (store/clock.c), or
 * NULL for SQLite's default when it cannot be made. Called before any
 * thread opens a connection (db_open() in the parent or main). */
const char *db_clock_vfs(void);

/* The time db_clock_source() gives into *now (Unix seconds): 0, or -1
 * when none was given (the engine's own clock is then used). */
int db_clock_now(int64_t *now);

/*
 * Every SQL statement the server runs, by name. The text of each is in
 * statements.c, in the same order.
 */
enum stmt {
	STMT_PING,
	STMT_DATA_VERSION,
	STMT_RANKING_EPOCH,
	STMT_SCHEMA_VERSION,
	STMT_SCHEMA_TABLES,
	STMT_SCHEMA_COLUMNS,
	STMT_SCHEMA_REFERENCES,
	STMT_PROGRAM_GET,
	STMT_PROGRAM_SET_NAME,
	STMT_PROGRAM_INSERT,
	STMT_PROGRAM_LIST,
	STMT_PROGRAM_OF_CYCLE,
	STMT_PROGRAM_OF_APPLICATION,
	STMT_PROGRAM_OF_DOCUMENT,
	STMT_PROGRAM_OF_LETTER,
	STMT_PROGRAM_OF_CONFLICT,
	STMT_PROGRAM_OF_CONFLICT_REQUEST,
	STMT_PROGRAM_OF_INTERVIEW_DAY,
	STMT_PROGRAM_OF_INTERVIEW_SLOT,
	STMT_MEMBERSHIP_ROLE,
	STMT_MEMBERSHIP_FIRST,
	STMT_MEMBERSHIP_SET,
	STMT_MEMBERSHIP_DELETE,
	STMT_MEMBERSHIP_LIST,
	STMT_MEMBERSHIP_OTHER,
	STMT_APPLICANT_OTHERS,
	STMT_MEMBERSHIP_COUNT,
	STMT_USER_IN_PROGRAM,
	STMT_USER_SET_ADMIN,
	STMT_USER_INSERT,
	STMT_USER_COUNT,
	STMT_USER_BY_EMAIL,
	STMT_USER_BY_ID,
	STMT_USER_LIST,
	STMT_USER_SET_PASSWORD,
	STMT_USER_SET_ROLE,
	STMT_USER_SET_DISABLED,
	STMT_USER_SET_CLAIMABLE,
	STMT_SESSION_INSERT,
	STMT_SESSION_LOOKUP,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_SESSION_DELETE_USER,
	STMT_SESSION_DELETE_USER_EXCEPT,
	STMT_SESSION_PURGE,
	STMT_TOKEN_INSERT,
	STMT_TOKEN_LOOKUP,
	STMT_TOKEN_USE,
	STMT_TOKEN_REVOKE,
	STMT_THROTTLE_GET,
	STMT_THROTTLE_PUT,
	STMT_THROTTLE_CLEAR,
	STMT_THROTTLE_PURGE,
	STMT_OUTBOX_INSERT,
	STMT_OUTBOX_NEXT_DUE,
	STMT_OUTBOX_SENT,
	STMT_OUTBOX_RETRY,
	STMT_OUTBOX_LIST,
	STMT_OUTBOX_ROTATE,
	STMT_CYCLE_INSERT,
	STMT_CYCLE_BY_ID,
	STMT_CYCLE_LIST,
	STMT_CYCLE_UPDATE,
	STMT_APP_INSERT,
	STMT_APP_BY_ID,
	STMT_APP_BY_OWNER,
	STMT_APP_SET_FIELDS,
	STMT_APP_SET_STATUS,
	STMT_APP_LIST,
	STMT_APP_PAGE,
	STMT_CONFLICT_EXISTS,
	STMT_DOC_INSERT,
	STMT_DOC_REMOVE_KIND,
	STMT_DOC_REMOVE,
	STMT_DOC_BY_ID,
	STMT_DOC_LIST,
	STMT_LETTER_INSERT,
	STMT_LETTER_BY_ID,
	STMT_LETTER_BY_TOKEN,
	STMT_LETTER_LIST,
	STMT_LETTER_SET_TOKEN,
	STMT_LETTER_CANCEL,
	STMT_LETTER_RECEIVE,
	STMT_LETTER_MAIL_ADD,
	STMT_LETTER_MAILS_BY_APPLICANT,
	STMT_LETTER_MAILS_TO,
	STMT_LETTER_MAILS_PURGE,
	STMT_FILES_NAMED,
	STMT_FILES_CHECK,
	STMT_RUBRIC_CURRENT,
	STMT_RUBRIC_BY_VERSION,
	STMT_RUBRIC_BY_ID,
	STMT_RUBRIC_LIST,
	STMT_RUBRIC_INSERT,
	STMT_RUBRIC_UPDATE,
	STMT_PHASE_GET,
	STMT_PHASE_PUT,
	STMT_PHASE_DUE,
	STMT_CONFLICT_INSERT,
	STMT_CONFLICT_BY_ID,
	STMT_CONFLICT_DELETE,
	STMT_CONFLICT_LIST,
	STMT_CONFLICT_REQUEST_INSERT,
	STMT_CONFLICT_REQUEST_BY_ID,
	STMT_CONFLICT_REQUEST_PENDING,
	STMT_CONFLICT_REQUEST_DECIDE,
	STMT_CONFLICT_REQUEST_LIST,
	STMT_ASSIGN_INSERT,
	STMT_ASSIGN_DELETE,
	STMT_ASSIGN_EXISTS,
	STMT_ASSIGN_LIST,
	STMT_ASSIGN_LIST_RATER,
	STMT_SHEET_GET,
	STMT_SHEET_INSERT,
	STMT_SHEET_UPDATE,
	STMT_SHEET_LIST,
	STMT_SHEET_LIST_CYCLE,
	STMT_CHANGE_INSERT,
	STMT_CHANGE_LIST,
	STMT_SHEETS_MISSING,
	STMT_RATER_REMINDED_GET,
	STMT_RATER_REMINDED_SET,
	STMT_IDAY_INSERT,
	STMT_IDAY_BY_ID,
	STMT_IDAY_DELETE_SLOTS,
	STMT_IDAY_DELETE,
	STMT_ISLOT_INSERT,
	STMT_ISLOT_BY_ID,
	STMT_ISLOT_LIST,
	STMT_INVITE_INSERT,
	STMT_INVITE_GET,
	STMT_INVITE_SET,
	STMT_INVITE_LIST,
	STMT_WAITLIST_FIRST,
	STMT_WAITLIST_POSITION,
	STMT_INVITE_SEQUENCE_NEXT,
	STMT_INVITE_REMINDED,
	STMT_INVITE_UNREMINDED,
	STMT_RANKLIST_INSERT,
	STMT_RANKLIST_CURRENT,
	STMT_RANKLIST_BY_VERSION,
	STMT_RANKLIST_LIST,
	STMT_MEETING_INSERT,
	STMT_MEETING_OPEN,
	STMT_MEETING_LATEST,
	STMT_MEETING_END,
	STMT_MEETING_LIST,
	STMT_MEETING_HISTORY,
	STMT_MEETING_ITEM_SET,
	STMT_MEETING_ITEM_LIST,
	STMT_MEETING_CHANGE_INSERT,
	STMT_MEETING_CHANGE_LIST,
	STMT_AUDIT_APPEND,
	STMT_AUDIT_LIST,
	STMT_AUDIT_CANDIDATE,
	STMT_AUDIT_IMPORT_FIND,
	STMT_HOME_RATER_SHEETS,
	STMT_HOME_PROGRESS,
	STMT_HOME_PIPELINE,
	STMT_HOME_NOT_BOOKED,
	STMT_HOME_MAIL_COUNTS,
	STMT_HOME_MAIL_FAILED,
	STMT__MAX
};

/*
 * A statement's text: SQL that SQLite runs, and PostgreSQL too unless
 * pg gives its own. Parameters are written ?1, ?2 (PostgreSQL's engine
 * turns them into $1, $2), and the current time as DB_SQL_NOW.
 */
struct stmt_text {
	const char *sql;
	const char *pg; /* NULL: the same as sql */
};

extern const struct stmt_text stmt_sql[STMT__MAX];

/* The time of the statement as text ("2026-11-27T19:00:00Z"), written
 * in SQLite's words; PostgreSQL's engine binds the program's clock there
 * (db_clock_now()). */
#define DB_SQL_NOW "strftime('%Y-%m-%dT%H:%M:%SZ')"

/* A text kept by db_memo_put() (store/memo.c). */
struct db_memo {
	char	 key[64];
	char	*text; /* NULL: the slot is free */
	size_t	 len;
	uint64_t stamp; /* the database's data version it was built at */
	uint64_t used;	/* when last given out, for replacing */
};

#define DB_MEMO_SLOTS 8

struct db {
	const struct db_engine *eng;
	uint64_t		serial; /* unique among this process's opens */
	struct sqlite3	       *conn;
	struct pg_conn	       *pg;
	void		       *pgstate; /* store/pg.c's, for pg */
	struct db_q		stmts[STMT__MAX];
	struct db_memo		memo[DB_MEMO_SLOTS];
	uint64_t		memo_clock;
};

/*
 * An engine: what store/engine.c passes each call of the query
 * interface and of store/db.h on to. The statement-level functions take
 * a struct db_q whose h the engine's prepare() set.
 */
struct db_engine {
	const char *name;
	int (*open)(struct db *, const char *target, enum db_mode, char *err,
	    size_t errlen);
	void (*close)(struct db *);
	const char *(*errmsg)(struct db *);
	int (*rc)(struct db *, int rc);
	int (*prepare)(struct db *, enum stmt, struct db_q *);
	/* A statement whose text is built at run time, outside the table
	 * (store/copy.c); finalize() frees it. */
	int (*prepare_text)(struct db *, const char *sql, struct db_q *);
	void (*finalize)(struct db_q *);
	void (*clear)(struct db_q *); /* reset, bindings cleared */
	void (*bind_int64)(struct db_q *, int i, int64_t v);
	void (*bind_text)(struct db_q *, int i, const char *v, int copy);
	void (*bind_blob)(struct db_q *, int i, const void *v, size_t len);
	void (*bind_null)(struct db_q *, int i);
	int (*step)(struct db_q *);
	void (*reset)(struct db_q *);
	int64_t (*col_int64)(struct db_q *, int col);
	const unsigned char *(*col_text)(struct db_q *, int col);
	size_t (*col_bytes)(struct db_q *, int col);
	int64_t (*last_id)(struct db *);
	int64_t (*changes)(struct db *);
	int (*in_transaction)(struct db *);
	int (*data_version)(struct db *, uint64_t *v);
	int (*begin)(struct db *);
	int (*commit)(struct db *);
	void (*rollback)(struct db *);
	int (*integrity_check)(struct db *);
	int (*migrate)(struct db *, int *applied, char *err, size_t errlen);
	int (*backup)(struct db *, const char *dest, char *err, size_t errlen);
};

extern const struct db_engine db_engine_sqlite; /* store/sqlite.c */
extern const struct db_engine db_engine_pg;	/* store/pg.c */

/* SQLite's opening, transactions, migrations and backup (db.c,
 * migrate.c, backup.c), for its engine's table. */
int sqlite_open(
    struct db *, const char *path, enum db_mode, char *err, size_t errlen);
void sqlite_close(struct db *);
int  sqlite_begin(struct db *);
int  sqlite_commit(struct db *);
void sqlite_rollback(struct db *);
int  sqlite_integrity_check(struct db *);
int  sqlite_migrate(struct db *, int *applied, char *err, size_t errlen);
int  sqlite_backup(struct db *, const char *dest, char *err, size_t errlen);

/* Prepares every statement of the table (DB_MODE_SERVE); 0, or -1 with
 * the failing statement's number and the engine's message in err. */
int db_prepare_all(struct db *, char *err, size_t errlen);

/* Frees every memo of the connection (db_close()). */
void db_memo_clear(struct db *);

/*
 * Returns the prepared statement for id, reset and with bindings cleared;
 * prepares it on first use in DB_MODE_ADMIN. NULL on error.
 */
struct db_q *db_stmt(struct db *, enum stmt id);

/*
 * Prepares sql, a statement built at run time rather than one of the
 * table, into st (its parameters written ?1, ?2 as in the table): only
 * for what the table cannot hold, the statements store/copy.c makes for
 * each table the schema has. Returns 0, or -1 (db_errmsg() says why);
 * db_q_finalize() frees it. On PostgreSQL such a statement runs without
 * the savepoint of a change (store/pg.c): when it fails, the transaction
 * it ran in is lost, and the caller rolls back.
 */
int  db_q_prepare_text(struct db *, const char *sql, struct db_q *st);
void db_q_finalize(struct db_q *st);

/*
 * Values bound to the statement's parameters, numbered from 1 (?1, ?2 in
 * the statement's text). A text or blob bound by db_bind_text() and
 * db_bind_blob() must stay as it is until the statement is reset;
 * db_bind_text_copy() copies it.
 */
void db_bind_int64(struct db_q *, int i, int64_t v);
void db_bind_int(struct db_q *, int i, int v);
void db_bind_text(struct db_q *, int i, const char *v);
void db_bind_text_copy(struct db_q *, int i, const char *v);
void db_bind_blob(struct db_q *, int i, const void *v, size_t len);
void db_bind_null(struct db_q *, int i);

/* Runs the statement to its next row: DBQ_ROW, DBQ_DONE, or an engine
 * code for db_rc(). */
int db_q_step(struct db_q *);

/* Makes the statement ready to run again (its bindings stay). */
void db_q_reset(struct db_q *);

/*
 * Column col (from 0) of the current row. A text is the engine's copy,
 * valid until the next step or reset; NULL for an SQL NULL.
 */
int64_t		     db_col_int64(struct db_q *, int col);
int		     db_col_int(struct db_q *, int col);
const unsigned char *db_col_text(struct db_q *, int col);
size_t		     db_col_bytes(struct db_q *, int col);

/* The id given to the row the last INSERT on db made. */
int64_t db_last_id(struct db *);

/* How many rows the last INSERT, UPDATE or DELETE on db changed. */
int64_t db_changes(struct db *);

/* 1 while db is inside a transaction, else 0. */
int db_in_transaction(struct db *);

/*
 * The database's data version into *v: a number that moves on every
 * commit, by this connection or any other. 0, 1 when the engine cannot
 * say (nothing is then kept), or a DB_E* code.
 */
int db_data_version(struct db *, uint64_t *v);

/*
 * A listing's callback and its argument. The callback's type differs per
 * listing; it is kept as a generic function pointer and cast back to its
 * own type before the call, which C allows.
 */
struct db_list {
	void (*fn)(void);
	void *arg;
};

/* Maps an engine's result code to 0 or a DB_E* code. */
int db_rc(struct db *, int rc);

/*
 * Runs a statement that returns one integer (no bindings) and stores it
 * in out. Returns 0 or a DB_E* code.
 */
int db_scalar(struct db *, enum stmt id, int64_t *out);

/*
 * Runs a statement that counts the rows matching two ids (bound as ?1 and
 * ?2). Returns 1 when there are any, 0 when none, or a DB_E* code.
 */
int db_any2(struct db *, enum stmt id, int64_t a, int64_t b);

/* Copies column col of st into out (at most outlen - 1 bytes); "" if NULL. */
void db_column_text(struct db_q *st, int col, char *out, size_t outlen);

/*
 * Runs a lookup: when st yields a row, read() copies it into out. Returns 1
 * found, 0 not found, or a DB_E* code; st is reset either way.
 */
int db_row(struct db *, struct db_q *st, void (*read)(struct db_q *, void *),
    void *out);

/* Runs a statement that returns no rows to completion and resets it. */
int db_step_done(struct db *, struct db_q *);

/* A db_row() reader of one integer column into an int64_t. */
void db_read_int64(struct db_q *, void *out);

/* Runs a change; returns 1 when it changed a row, 0 when none, or a
 * DB_E* code. */
int db_changed(struct db *, struct db_q *);

/*
 * Steps st to the end, calling row(st, arg) for each row; a non-zero
 * return from row stops and is returned. Returns 0 or a DB_E* code; st is
 * reset either way.
 */
int db_each(
    struct db *, struct db_q *st, int (*row)(struct db_q *, void *), void *arg);

#endif
