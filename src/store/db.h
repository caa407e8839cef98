/*
 * The storage layer's interface: the only way the rest of the program reaches
 * the database. It names operations of the product, never SQL, so that a
 * second backend (PostgreSQL) can be added behind it without touching the
 * domain or web code. Only files in src/store include <sqlite3.h>, and of
 * those only the engine's (store/internal.h).
 *
 * Return codes: 0 on success, and for lookups 1 found / 0 not found; on
 * failure one of the negative DB_E* codes below, which the web layer maps to
 * HTTP statuses (busy 503, constraint 409, full 507, anything else 500).
 */
#ifndef FELLOW_STORE_DB_H
#define FELLOW_STORE_DB_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "core/throttle.h"

#define DB_ERROR       (-1) /* unexpected; logged */
#define DB_EBUSY       (-2) /* another writer held the lock too long */
#define DB_ECONSTRAINT (-3) /* unique/foreign key/check violated */
#define DB_EFULL       (-4) /* disk or quota full */

struct db;
struct db_copy_schema;

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

/*
 * The clock SQLite uses for the times it writes itself (store/clock.c):
 * now returns Unix seconds. Set once at start, before any connection is
 * opened; without it SQLite reads the time of day.
 */
void db_clock_source(int64_t (*now)(void));

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

/*
 * A per-connection memo for read views that are costly to build and asked
 * for again and again (store/memo.c). db_memo_get() gives back a copy of
 * the text saved under key (*text, *len; the caller frees *text) as long
 * as nothing has been committed to the database since it was built, by
 * this connection or any other: 1. Otherwise 0, with *stamp set for the
 * db_memo_put() that follows the rebuild; build after the call, so that
 * a commit meanwhile makes the text stale rather than wrong. DB_E* on
 * error. Inside a transaction nothing is kept (*stamp 0). The memo lives
 * and dies with the connection; a put of a text too large is ignored.
 */
int db_memo_get(
    struct db *, const char *key, char **text, size_t *len, uint64_t *stamp);
int db_memo_put(
    struct db *, const char *key, const char *text, size_t len, uint64_t stamp);

/*
 * The counter of changes that move a ranking (migrations/014): *n, or -1
 * inside a transaction, where a value may not be committed yet and must
 * not key anything kept (db_ranking_epoch_now() reads it there too: for
 * a comparison made before the transaction writes). 0 or DB_E*.
 */
int db_ranking_epoch(struct db *, int64_t *n);
/* A number that tells this connection from every other this process
 * opened, for what is kept per connection's database (never reused). */
uint64_t db_serial(const struct db *);
int	 db_ranking_epoch_now(struct db *, int64_t *n);

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

/*
 * Copying an installation from its SQLite database to a PostgreSQL one
 * (store/copy.c), every table the schema has, found in the databases'
 * own descriptions of themselves: a new migration needs no change there.
 */
#define DB_TABLE_MAX 64

/* A table's rows on both sides, counted after the copy. */
struct db_copy_table {
	char	name[DB_TABLE_MAX];
	int64_t from;
	int64_t to;
};

/* What db_copy_rows() did; freed by db_copy_clear(). */
struct db_copy {
	struct db_copy_table  *tables; /* by name */
	size_t		       n;
	int64_t		       rows;   /* copied in all */
	struct db_copy_schema *schema; /* the target's, for the sequences */
};

/*
 * Whether the PostgreSQL database to holds nothing but what the
 * migrations write themselves (its schema at any version, or none):
 * 1 when so; 0 when not, with the first table that holds more rows, or
 * that is not one of the program's, in why; or DB_E* (why says why).
 */
int db_copy_target_empty(struct db *to, char *why, size_t whylen);

/* 1 when from and to have the same tables with the same columns; 0 when
 * not, with the first difference in why; or DB_E*. */
int db_copy_same_schema(
    struct db *from, struct db *to, char *why, size_t whylen);

/*
 * Copies every row of every table of from (SQLite) into to (PostgreSQL,
 * empty but for the migrations' own rows, which the source's replace),
 * inside the caller's transaction on to, ids included, with the
 * program's triggers off during the copy and on again after it; then
 * counts each table on both sides into out. 0, or DB_E* with a sentence
 * in err. The caller compares the counts, calls db_copy_sequences(),
 * and commits or rolls back.
 */
int db_copy_rows(struct db *from, struct db *to, struct db_copy *out, char *err,
    size_t errlen);

/* Moves each identity column's sequence of to past the highest id the
 * copy wrote (a sequence is not rolled back with the transaction). */
int db_copy_sequences(
    struct db *to, const struct db_copy *, char *err, size_t errlen);

void db_copy_clear(struct db_copy *);

#define DB_EMAIL_MAX 256
#define DB_NAME_MAX  256
#define DB_ROLE_MAX  16
#define DB_HASH_MAX  128
#define DB_TIME_MAX  32
#define DB_CSRF_MAX  48

/* An account. pwhash is "" when no password is set (invited, not yet
 * accepted), always "" when read through a session, and "*" for a set
 * password in listings (db_user_list), which never carry hashes. */
struct db_user {
	int64_t id;
	char	email[DB_EMAIL_MAX];
	char	name[DB_NAME_MAX];
	char	role[DB_ROLE_MAX];
	char	pwhash[DB_HASH_MAX];
	int	disabled;
	char	created_at[DB_TIME_MAX];
	/* An imported account the owner of its address may still claim
	 * (ops/import.h); 0 for every other. */
	int imported_claimable;
	/* One of the installation's administrators (migrations/018). */
	int admin;
};

/* A program (migrations/017, 018); 1 is the one every installation
 * had before programs were tenants. */
#define DB_PROGRAM_ID 1
struct db_program {
	int64_t id;
	char	name[DB_NAME_MAX];
	int64_t positions; /* a new cycle's, unless its own are given */
	char	timezone[64];
	char	mail_sender[DB_NAME_MAX]; /* "" for the installation's */
	char	created_at[DB_TIME_MAX];
	char	updated_at[DB_TIME_MAX];
};

/* A program a person has a role in. */
struct db_membership {
	int64_t program_id;
	char	program_name[DB_NAME_MAX];
	char	role[DB_ROLE_MAX];
};

/* What an object of a route's path is, for db_program_of(). */
enum db_object {
	DB_OBJ_CYCLE,
	DB_OBJ_APPLICATION,
	DB_OBJ_DOCUMENT,
	DB_OBJ_LETTER,
	DB_OBJ_CONFLICT,
	DB_OBJ_CONFLICT_REQUEST,
	DB_OBJ_INTERVIEW_DAY,
	DB_OBJ_INTERVIEW_SLOT
};

/* Program id into *p: 1 found, 0 not, or DB_E*. */
int db_program_get(struct db *, int64_t id, struct db_program *p);

/* Renames program id: 0, DB_ECONSTRAINT (the name is another's or out of
 * bounds), or DB_E*. */
int db_program_set_name(struct db *, int64_t id, const char *name);
/* A new program p (p->name, positions, timezone, mail_sender) into *id:
 * 0, DB_ECONSTRAINT (the name is taken or a value out of bounds), or
 * DB_E*. */
int db_program_insert(struct db *, const struct db_program *p, int64_t *id);
/* Calls cb for every program, by name; cb's non-zero return stops it. */
int db_program_list(
    struct db *, int (*cb)(void *, const struct db_program *), void *arg);
/* The program object id of kind belongs to into *program: 1, 0 when
 * there is no such object, or DB_E*. */
int db_program_of(
    struct db *, enum db_object kind, int64_t id, int64_t *program);

/* Roles in programs (migrations/018). user's role in program into role
 * (DB_ROLE_MAX): 1, 0 when they have none, or DB_E*. */
int db_membership_role(struct db *, int64_t user, int64_t program, char *role);
/* user's first program (lowest id) into *program: 1, 0 when none. */
int db_membership_first(struct db *, int64_t user, int64_t *program);
/* Gives user role in program, or changes it: 0 or DB_E*
 * (DB_ECONSTRAINT for an applicant's account or an unknown role). */
int db_membership_set(
    struct db *, int64_t user, int64_t program, const char *role);
/* Takes user's role in program away: 0 or DB_E*. */
int db_membership_delete(struct db *, int64_t user, int64_t program);
/* Calls cb for each program user has a role in, by name. */
int db_membership_list(struct db *, int64_t		   user,
    int (*cb)(void *, const struct db_membership *), void *arg);
/* How many programs other than program user has a role in. */
int db_membership_others(
    struct db *, int64_t user, int64_t program, int64_t *count);
/* How many programs other than program user has applied to. */
int db_applicant_others(
    struct db *, int64_t user, int64_t program, int64_t *count);
/* How many people hold role (NULL: any) in program. */
int db_membership_count(
    struct db *, int64_t program, const char *role, int64_t *count);

struct db_session {
	int64_t	       id;
	char	       csrf[DB_CSRF_MAX];
	int64_t	       created_at;
	int64_t	       last_seen_at;
	struct db_user user;
};

struct db_token {
	int64_t id;
	int64_t user_id; /* 0 when the token is not tied to an account */
	int64_t expires_at;
	int64_t used_at; /* 0 while unused */
};

/* A row of a listing; the strings are valid during the callback only. */
struct db_mail_row {
	int64_t	    id;
	const char *to;
	const char *subject;
	const char *body;
	int64_t	    created_at;
	const char *status;
	int64_t	    attempts;
	int64_t	    next_attempt_at;
	const char *last_error;
	int64_t	    sent_at;
	const char *calendar; /* iCalendar text to attach, or NULL */
	/* The sender's name: its program's (db_outbox_next_due() only),
	 * "" for the installation's. */
	const char *sender;
};

struct db_audit_row {
	int64_t	    id;
	const char *at;
	int64_t	    actor_id;
	const char *actor_name;
	const char *action;
	const char *object;
	const char *detail;
};

/* Users (store/users.c). Lookups return 1 found, 0 not found. */
int db_user_insert(struct db *, const char *email, const char *name,
    const char *role, const char *pwhash, int64_t *id);
int db_user_count(struct db *, int64_t *count);
int db_user_by_email(struct db *, const char *email, struct db_user *);
int db_user_by_id(struct db *, int64_t id, struct db_user *);
/* Account id as program sees it into u, role being the role there: 1
 * for a staff account with a role in program or the account of an
 * applicant to one of its cycles, 0 for none. */
int db_user_in_program(
    struct db *, int64_t id, int64_t program, struct db_user *u);
/* Calls cb for up to limit accounts with ids above after, in id order:
 * program's staff, with their role there, and the applicants to its
 * cycles (every account, with its kind, when program is 0). A non-zero
 * return from cb stops the listing and is returned. */
int db_user_list(struct db *, int64_t program, int64_t after, int limit,
    int (*cb)(void *, const struct db_user *), void *arg);
int db_user_set_admin(struct db *, int64_t id, int admin);
int db_user_set_password(struct db *, int64_t id, const char *pwhash);
int db_user_set_role(struct db *, int64_t id, const char *role);
int db_user_set_disabled(struct db *, int64_t id, int disabled);
/* Sets whether the imported account id may still be claimed (0 or 1). */
int db_user_set_claimable(struct db *, int64_t id, int claimable);

/* Sessions (store/sessions.c), keyed by the hash of their token. */
int db_session_insert(struct db *, const unsigned char *hash, int64_t user,
    const char *csrf, int64_t now, int64_t *id);
int db_session_lookup(
    struct db *, const unsigned char *hash, struct db_session *);
int db_session_touch(struct db *, int64_t id, int64_t now);
int db_session_delete(struct db *, int64_t id);
/* Ends every session of user, except the session except (0: none). */
int db_session_delete_user(struct db *, int64_t user, int64_t except);
int db_session_purge(struct db *, int64_t idle_before, int64_t created_before);

/* Single-use tokens (store/tokens.c): kind is invite, reset or setup. */
int db_token_insert(struct db *, const char *kind, const unsigned char *hash,
    int64_t user, int64_t now, int64_t expires);
int db_token_lookup(struct db *, const char *kind, const unsigned char *hash,
    struct db_token *);
/* Marks a token used. Returns 1 when this call used it, 0 when it already
 * was (a concurrent request won), or a DB_E* code. */
int db_token_use(struct db *, int64_t id, int64_t now);
/* Marks every unused token of user and kind used. */
int db_token_revoke(struct db *, int64_t user, const char *kind, int64_t now);

/* Sign-in throttle counters (store/throttle.c). */
int db_throttle_get(struct db *, const char *key, struct throttle_state *);
int db_throttle_put(
    struct db *, const char *key, const struct throttle_state *);
int db_throttle_clear(struct db *, const char *key);
/* Deletes the counters whose window began more than window seconds
 * before now and that are not blocked at now (*purged: how many). */
int db_throttle_purge(struct db *, int64_t now, int window, int *purged);

/* The mail outbox (store/outbox.c). */
/* program: the program the message is sent for, 0 for the
 * installation's own. */
int db_outbox_insert(struct db *, int64_t program, const char *to,
    const char *subject, const char *body, int64_t now, int64_t *id);
/* As db_outbox_insert(), with a calendar invitation (iCalendar text) to
 * send beside the body; NULL for none. */
int db_outbox_insert_calendar(struct db *, int64_t program, const char *to,
    const char *subject, const char *body, const char *calendar, int64_t now,
    int64_t *id);
/* Calls cb with the oldest message due at now; returns 1 when there was
 * one (and cb's result is ignored), 0 when none. */
int db_outbox_next_due(struct db *, int64_t		  now,
    void (*cb)(void *, const struct db_mail_row *), void *arg);
int db_outbox_sent(struct db *, int64_t id, int64_t now);
int db_outbox_retry(struct db *, int64_t id, int64_t next, const char *error,
    const char *status);
/* Deletes delivered messages sent before before; *deleted says how many. */
int db_outbox_rotate(struct db *, int64_t before, int64_t *deleted);
/* Calls cb for up to limit messages with ids below before, newest first,
 * of program (0: every message). */
int db_outbox_list(struct db *, int64_t program, int64_t before, int limit,
    int (*cb)(void *, const struct db_mail_row *), void *arg);

/* A cycle. dates are as typed, "YYYY-MM-DDTHH:MM", in timezone. */
#define DB_CYCLE_DATES 5
struct db_cycle {
	int64_t id;
	int64_t year;
	char	name[DB_NAME_MAX];
	int64_t positions;
	char	timezone[64];
	char	state[16];
	char	dates[DB_CYCLE_DATES][20];
	int64_t open_at, close_at, ranklist_due_at;
	char	created_at[DB_TIME_MAX];
	char	updated_at[DB_TIME_MAX];
	int64_t program_id;
};

/* An application; fields is a JSON object text the caller frees with
 * free() (db_application_clear()). */
struct db_application {
	int64_t id;
	int64_t cycle_id;
	int64_t applicant_id;
	char	status[16];
	char   *fields;
	int64_t version;
	char	submitted_at[DB_TIME_MAX];
	char	created_at[DB_TIME_MAX];
	char	updated_at[DB_TIME_MAX];
	char	withdrawn_at[DB_TIME_MAX]; /* "" unless withdrawn */
};

/* Filters of db_application_list(); NULL and 0 mean "any". */
struct db_app_filter {
	const char *status;
	const char *search;
	int64_t	    hide_conflicts_of; /* a faculty id */
	int64_t	    assigned_to;       /* a rater id: their assignments */
	int64_t	    after;
	int	    limit;
};

/* Cycles (store/cycles.c). */
int db_cycle_insert(struct db *, const struct db_cycle *, int64_t *id);
int db_cycle_by_id(struct db *, int64_t id, struct db_cycle *);
/* The cycles of program (every program's when 0), newest first. */
int db_cycle_list(struct db *, int64_t		      program,
    int (*cb)(void *, const struct db_cycle *), void *arg);
/* Writes every column of c (by c->id) back. */
int db_cycle_update(struct db *, const struct db_cycle *);

/* Applications (store/applications.c). Lookups return 1 / 0 / DB_E*. */
int db_application_insert(struct db *, int64_t cycle, int64_t applicant,
    const char *fields, int64_t *id);
int db_application_by_id(struct db *, int64_t id, struct db_application *);
int db_application_by_owner(
    struct db *, int64_t cycle, int64_t applicant, struct db_application *);
void db_application_clear(struct db_application *);
/* Replaces the fields if the version is still version; returns 1 when
 * written, 0 when someone else changed it first. */
int db_application_set_fields(
    struct db *, int64_t id, const char *fields, int64_t version);
/* Sets the status; stamps submitted_at when submitted is 1. */
int db_application_set_status(
    struct db *, int64_t id, const char *status, int submitted);
/* Calls cb for each application of cycle matching f, in id order; the
 * row's strings are valid during the callback only. */
int db_application_list(struct db *, int64_t cycle,
    const struct db_app_filter *f,
    int (*cb)(void *, const struct db_application *), void *arg);

/*
 * A row of a page of the applications list (db_application_page()): what
 * the list shows, what its checklist lacks, its letters, and the facts
 * about the viewer that the access rules need. The name and school
 * strings are NULL when absent and valid during the callback only.
 */
struct db_app_row {
	int64_t	    id;
	int64_t	    applicant_id;
	char	    status[16];
	const char *first_name;
	const char *last_name;
	const char *medical_school;
	const char *residency_program;
	char	    submitted_at[DB_TIME_MAX]; /* "" until submitted */
	char	    updated_at[DB_TIME_MAX];
	int64_t	    fields_missing;    /* required fields absent or empty */
	int64_t	    documents_missing; /* required kinds not uploaded */
	int64_t	    letters_received;
	int64_t	    letters_requested; /* not cancelled */
	int	    assigned;	       /* to the viewer, in some phase */
	int	    conflicted;	       /* the viewer has a recorded one */
};

/* What an application needs to be complete, as JSON array texts: the
 * keys of the required fields and the required document kinds. */
struct db_app_required {
	const char *fields;
	const char *documents;
};

/*
 * Calls cb for each application of cycle matching f, in id order, built
 * by one statement (no query per row); viewer is the account whose
 * assignment and conflict each row reports (0: none). Returns 0, cb's
 * non-zero return, or a DB_E* code.
 */
int db_application_page(struct db *, int64_t cycle,
    const struct db_app_filter *f, int64_t viewer,
    const struct db_app_required *req,
    int (*cb)(void *, const struct db_app_row *), void *arg);

/* Returns 1 when faculty has a recorded conflict with application. */
int db_conflict_exists(struct db *, int64_t application, int64_t faculty);

/* A document upload; removed_at is "" while it is current. */
struct db_document {
	int64_t id;
	int64_t application_id;
	char	kind[32];
	char	sha256[65];
	int64_t size;
	int64_t uploaded_by;
	char	created_at[DB_TIME_MAX];
	char	removed_at[DB_TIME_MAX];
};

/* Documents (store/documents.c). */
int db_document_insert(struct db *, const struct db_document *, int64_t *id);
/* Marks the current documents of a kind removed (replaced). */
int db_document_remove_kind(struct db *, int64_t application, const char *kind);
/* Marks one document removed; 1 when it was current, 0 when not. */
int db_document_remove(struct db *, int64_t id);
int db_document_by_id(struct db *, int64_t id, struct db_document *);
int db_document_list(struct db *, int64_t		 application,
    int (*cb)(void *, const struct db_document *), void *arg);

/* A letter of recommendation. */
struct db_letter {
	int64_t id;
	int64_t application_id;
	char	writer_name[DB_NAME_MAX];
	char	writer_email[DB_EMAIL_MAX];
	int	waived;
	char	status[16];
	int64_t token_expires_at;
	char	requested_at[DB_TIME_MAX];
	char	reminded_at[DB_TIME_MAX];
	char	received_at[DB_TIME_MAX];
	char	sha256[65];
	int64_t size;
};

/* Letters (store/letters.c). Changes return 1 when the letter was still
 * requested (and changed), 0 when not. */
int db_letter_insert(struct db *, const struct db_letter *,
    const unsigned char *token_hash, int64_t *id);
int db_letter_by_id(struct db *, int64_t id, struct db_letter *);
int db_letter_by_token(
    struct db *, const unsigned char *hash, struct db_letter *);
int db_letter_list(struct db *, int64_t		       application,
    int (*cb)(void *, const struct db_letter *), void *arg);
int db_letter_set_token(
    struct db *, int64_t id, const unsigned char *hash, int64_t expires);
int db_letter_cancel(struct db *, int64_t id);
int db_letter_receive(
    struct db *, int64_t id, const char *sha256, int64_t size);

/*
 * The letter mails (requests and reminders) counted against the caps of
 * core/mailcap.h. db_letter_mail_add() records one sent at now, of kind
 * "request" or "reminder". db_letter_mails_by_applicant() and
 * db_letter_mails_to() count those applicant sent, or address received
 * (without regard to case), after since, with when the rank-th newest
 * of them went (0 when there are fewer) into *sent_at. Return 0 or a
 * DB_* code. db_letter_mails_purge() deletes those sent at or before
 * the instant before (*purged: how many).
 */
int db_letter_mail_add(struct db *, int64_t applicant, int64_t letter,
    const char *address, const char *kind, int64_t now);
int db_letter_mails_by_applicant(struct db *, int64_t applicant, int64_t since,
    int64_t rank, int64_t *count, int64_t *sent_at);
int db_letter_mails_to(struct db *, const char *address, int64_t since,
    int64_t rank, int64_t *count, int64_t *sent_at);
int db_letter_mails_purge(struct db *, int64_t before, int *purged);

/*
 * Files (store/files.c): the documents and letters themselves, kept in
 * one directory (DATA_DIR/documents) under their content's name,
 * <sha256>.pdf, so the same content is stored once. A file arrives in
 * two steps: db_file_put() writes a temporary file (.upload-*) from a
 * stream while taking its SHA-256, sets its time, and syncs it;
 * db_file_commit() renames it to its final name and syncs the
 * directory. Only then may a row name it (crash safety: no row ever
 * names a file that is not on disk). Files no row names are removed by
 * db_files_sweep(): a replaced or removed document, a letter whose
 * recording failed, an upload cut short by a crash.
 *
 * A file's modification time is the program's clock at put (not the
 * kernel's), so that the sweep's grace period is measured on the same
 * clock as its "now" in every build.
 *
 * Results: 0; DB_EFULL when the disk or quota is full (ENOSPC, EDQUOT);
 * DB_ERROR otherwise, with a sentence in err for the log.
 */
#define DB_FILE_PATH_MAX 512

struct db_file {
	char	dir[DB_FILE_PATH_MAX];	/* where it goes */
	char	path[DB_FILE_PATH_MAX]; /* the temporary file, or "" */
	char	sha256[65];
	int64_t size;
};

/* Reads up to len bytes of the stream into buf: the count, 0 at the end,
 * or -1 when the stream failed. */
typedef ssize_t (*db_file_read_fn)(void *arg, void *buf, size_t len);

/*
 * Writes what readfn() yields to a new temporary file in dir, with f->size
 * and f->sha256 of it, its time set to now, synced. On failure (the
 * stream's too) nothing is left behind and f->path is "".
 */
int db_file_put(const char *dir, db_file_read_fn readfn, void *arg, int64_t now,
    struct db_file *f, char *err, size_t errlen);

/* Renames the temporary file to dir/<sha256>.pdf (replacing a file of
 * the same content) and syncs the directory; f->path becomes "". */
int db_file_commit(struct db_file *f, char *err, size_t errlen);

/* Removes the temporary file, if any (safe on a zeroed f, or twice). */
void db_file_discard(struct db_file *f);

/* Writes dir/<sha256>.pdf into out. 0, or -1 when sha256 is not a hash
 * or the path does not fit. */
int db_file_path(const char *dir, const char *sha256, char *out, size_t len);

/* What a sweep did. */
struct db_sweep {
	int removed;  /* stored files that no row names */
	int partial;  /* temporary files of uploads cut short */
	int restored; /* files a sweep cut short had set aside */
	int young;    /* kept: unnamed, but younger than the grace period */
};

/*
 * Removes from dir the stored files that no current document and no
 * letter names, and the temporary files, when their time is at least
 * grace seconds before now. A worker renames a new file into place just
 * before it inserts the row that names it, so a sweep that runs while
 * workers do must give them a grace period (an hour does); one that runs
 * before any worker exists passes 0. A file is set aside (renamed) before
 * its time is checked and removed, so an upload of the same content
 * committed meanwhile is put back rather than lost; what a crash left set
 * aside is put back by the next sweep. Returns 0 with counts in out, or
 * a DB_E* code (err says why).
 */
int db_files_sweep(struct db *, const char *dir, int64_t now, int64_t grace,
    struct db_sweep *out, char *err, size_t errlen);

/* What db_files_verify() found. */
struct db_verify {
	int64_t files; /* whole: there, of their size, their hash */
	int64_t bytes; /* in them */
	int64_t bad;   /* missing or damaged (each given to cb) */
};

/*
 * Checks, in dir, every stored file a row needs (current documents,
 * letters; db_files_sweep() keeps the same): that it is there, of the
 * size its row records, and that its content has the SHA-256 it is named
 * by. Calls cb with the hash and what is wrong, in words, for each that
 * is not; a non-zero return from cb stops and is returned. Counts into
 * out. Returns 0, or a DB_E* code (err says why) when a file could not
 * be read for another reason than its absence.
 */
int db_files_verify(struct db *, const char			     *dir,
    int (*cb)(void *, const char *sha256, const char *problem), void *arg,
    struct db_verify *out, char *err, size_t errlen);

/* A rubric version; criteria is a JSON array text freed by
 * db_rubric_clear(). submitted counts the sheets submitted on it. */
struct db_rubric {
	int64_t id;
	int64_t cycle_id;
	char	phase[16];
	int64_t version;
	char   *criteria;
	int64_t created_at;
	int64_t submitted;
};

/* A phase's settings; "" and 0 for what is not set. */
struct db_phase {
	int64_t cycle_id;
	char	phase[16];
	char	scoring_due[20];
	int64_t scoring_due_at;
	int64_t closed_at;
	int64_t closed_by;
	int64_t reminded_at;
	int64_t manual_reminded_at;
	int64_t weight;
	int64_t overdue_reminded_at;
};

/* A recorded conflict of interest. */
struct db_conflict {
	int64_t id;
	int64_t application_id;
	int64_t faculty_id;
	char	faculty_name[DB_NAME_MAX];
	char	candidate[DB_NAME_MAX];
	char	kind[20];
	char	reason[1024];
	int64_t recorded_by;
	char	created_at[DB_TIME_MAX];
	char	recorded_by_name[DB_NAME_MAX];
};

/* A rater's conflict declared late, held for the staff's decision
 * (migrations/013). */
struct db_conflict_request {
	int64_t id;
	int64_t application_id;
	int64_t faculty_id;
	char	faculty_name[DB_NAME_MAX];
	char	candidate[DB_NAME_MAX];
	char	kind[20];
	char	reason[1024];
	char	held_because[320];
	char	declared_at[DB_TIME_MAX];
	char	status[16]; /* pending, accepted or declined */
	int64_t decided_by; /* 0 while pending */
	char	decided_by_name[DB_NAME_MAX];
	char	decided_at[DB_TIME_MAX]; /* "" while pending */
	char	note[1024];
	int64_t cycle_id;
};

/* A row of db_assignment_list(); strings valid during the callback. */
struct db_assignment_row {
	int64_t	    id;
	const char *phase;
	int64_t	    application_id;
	int64_t	    faculty_id;
	const char *faculty_name;
	const char *candidate;
	const char *sheet; /* none, draft or submitted */
};

/* A score sheet; values (a JSON object text) and comment are freed by
 * db_sheet_clear(). */
struct db_sheet {
	int64_t id;
	int64_t cycle_id;
	int64_t application_id;
	int64_t rater_id;
	char	phase[16];
	int64_t rubric_id;
	char	status[16];
	char   *values;
	char   *comment;
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
	int64_t submitted_at;
	char	rater_name[DB_NAME_MAX];
	int64_t rubric_version;
};

/* A row of db_change_list(); strings valid during the callback. */
struct db_change_row {
	int64_t	    id;
	int64_t	    sheet_id;
	int64_t	    rater_id;
	const char *rater_name;
	int64_t	    changed_by;
	const char *changed_by_name;
	int64_t	    at;
	const char *field;
	const char *old_value;
	const char *new_value;
};

/* A row of db_sheets_missing(). */
struct db_missing_row {
	int64_t	    faculty_id;
	const char *email;
	const char *name;
	int64_t	    missing;
};

/* Rubrics (store/review.c). Lookups return 1 / 0 / DB_E*. */
int db_rubric_current(
    struct db *, int64_t cycle, const char *phase, struct db_rubric *);
int  db_rubric_by_version(struct db *, int64_t cycle, const char *phase,
     int64_t version, struct db_rubric *);
int  db_rubric_by_id(struct db *, int64_t id, struct db_rubric *);
void db_rubric_clear(struct db_rubric *);
/* Calls cb for each version, newest first (criteria NULL). */
int db_rubric_list(struct db *, int64_t cycle, const char *phase,
    int (*cb)(void *, const struct db_rubric *), void *arg);
int db_rubric_insert(struct db *, int64_t cycle, const char *phase,
    int64_t version, const char *criteria, int64_t by, int64_t now,
    int64_t *id);
/* Replaces the criteria of a version; 1 when written, 0 when it has
 * submitted sheets (frozen). */
int db_rubric_update(struct db *, int64_t id, const char *criteria);

/* Phases (store/review.c): db_phase_get() returns 0 when the phase has no
 * row yet (the caller's defaults apply). */
int db_phase_get(
    struct db *, int64_t cycle, const char *phase, struct db_phase *);
int db_phase_put(struct db *, const struct db_phase *);
/* Calls cb for each open phase that may need an automatic reminder at
 * now (core/remind.h): due by before without the one before the
 * deadline, or past the deadline without the overdue one. */
int db_phase_due(struct db *, int64_t now, int64_t before,
    int (*cb)(void *, const struct db_phase *), void *arg);

/* Conflicts (store/review.c); db_conflict_exists() is above. */
int db_conflict_insert(struct db *, int64_t application, int64_t faculty,
    const char *kind, const char *reason, int64_t by, int64_t *id);
int db_conflict_by_id(struct db *, int64_t id, struct db_conflict *);
int db_conflict_delete(struct db *, int64_t id);
/* The conflicts of cycle, of faculty (0: everyone's). */
int db_conflict_list(struct db *, int64_t cycle, int64_t faculty,
    int (*cb)(void *, const struct db_conflict *), void *arg);
/* Conflict requests (store/review.c). db_conflict_request_pending()
 * returns 1 when one of faculty about application is pending, 0 when
 * none; db_conflict_request_decide() 1 when it decided a pending one, 0
 * when the request was not pending (decided meanwhile). */
int db_conflict_request_insert(struct db *, int64_t application,
    int64_t faculty, const char *kind, const char *reason,
    const char *held_because, int64_t *id);
int db_conflict_request_by_id(
    struct db *, int64_t id, struct db_conflict_request *);
int db_conflict_request_pending(
    struct db *, int64_t application, int64_t faculty);
int db_conflict_request_decide(
    struct db *, int64_t id, const char *status, int64_t by, const char *note);
/* The requests of cycle, of faculty (0: everyone's), only the pending
 * ones when pending_only; the pending first, then the newest. */
int db_conflict_request_list(struct db *, int64_t cycle, int64_t faculty,
    int	  pending_only, int (*cb)(void *, const struct db_conflict_request *),
    void *arg);

/* Assignments (store/review.c). phase NULL means every phase. Insert and
 * delete return 1 when they changed a row, 0 when not. */
int db_assignment_insert(struct db *, int64_t cycle, const char *phase,
    int64_t application, int64_t faculty, int64_t by, int64_t now);
int db_assignment_delete(
    struct db *, int64_t application, int64_t faculty, const char *phase);
int db_assignment_exists(
    struct db *, int64_t application, int64_t faculty, const char *phase);
int db_assignment_list(struct db *, int64_t cycle, const char *phase,
    int64_t faculty, int (*cb)(void *, const struct db_assignment_row *),
    void   *arg);

/* Score sheets (store/review.c). */
int  db_sheet_get(struct db *, int64_t application, int64_t rater,
     const char *phase, struct db_sheet *);
void db_sheet_clear(struct db_sheet *);
int  db_sheet_insert(struct db *, const struct db_sheet *, int64_t *id);
/* Writes rubric_id, status, values, comment, submitted_at of s (by
 * s->id) if its version is still s->version; 1 written, 0 stale. */
int db_sheet_update(struct db *, const struct db_sheet *, int64_t now);
/* The sheets of application in phase (only submitted when set); the
 * sheet's strings are valid during the callback only. */
int db_sheet_list(struct db *, int64_t application, const char *phase,
    int submitted_only, int (*cb)(void *, const struct db_sheet *), void *arg);
/* Every submitted sheet of cycle in phase (NULL: both). */
int db_sheet_list_cycle(struct db *, int64_t cycle, const char *phase,
    int (*cb)(void *, const struct db_sheet *), void *arg);
int db_change_insert(struct db *, int64_t sheet, int64_t by, int64_t now,
    const char *field, const char *old_value, const char *new_value);
int db_change_list(struct db *, int64_t application, const char *phase,
    int (*cb)(void *, const struct db_change_row *), void *arg);
/* Per rater, how many assigned candidates lack a submitted sheet. */
int db_sheets_missing(struct db *, int64_t cycle, const char *phase,
    int (*cb)(void *, const struct db_missing_row *), void *arg);
/* When faculty was last reminded of phase in cycle (*at): 1 / 0 never /
 * DB_E*. */
int db_rater_reminded_get(struct db *, int64_t cycle, const char *phase,
    int64_t faculty, int64_t *at);
int db_rater_reminded_set(struct db *, int64_t cycle, const char *phase,
    int64_t faculty, int64_t now);

/* An interview slot with its day and how many have booked it. */
struct db_slot {
	int64_t id;
	int64_t day_id;
	int64_t cycle_id;
	char	day[11];
	char	starts[6];
	char	ends[6];
	int64_t starts_at;
	int64_t capacity;
	int64_t booked;
	char	location[256]; /* its day's */
};

/* An interview day. */
struct db_iday {
	int64_t id;
	int64_t cycle_id;
	char	day[11];
	char	location[256];
	int64_t booked;
};

/* A candidate's interview invitation; 0 for what is not set. */
struct db_invitation {
	int64_t application_id;
	int64_t cycle_id;
	int64_t applicant_id;
	char	candidate[DB_NAME_MAX];
	char	email[DB_EMAIL_MAX];
	int64_t invited_at;
	int64_t slot_id;
	int64_t booked_at;
	int64_t waitlisted_at;
	int64_t reminded_at; /* the reminder to book decided */
	int64_t calendar_sequence;
};

/* Interviews (store/interviews.c). */
int db_iday_insert(struct db *, int64_t cycle, const char *day,
    const char *location, int64_t now, int64_t *id);
int db_iday_by_id(struct db *, int64_t id, struct db_iday *);
/* Deletes a day and its slots. */
int db_iday_delete(struct db *, int64_t id);
int db_slot_insert(struct db *, int64_t day, const char *starts,
    const char *ends, int64_t starts_at, int64_t capacity, int64_t *id);
int db_slot_by_id(struct db *, int64_t id, struct db_slot *);
/* Every slot of cycle, by day and time. */
int db_slot_list(struct db *, int64_t		     cycle,
    int (*cb)(void *, const struct db_slot *), void *arg);
/* 1 when invited now, 0 when invited already. */
int db_invitation_insert(
    struct db *, int64_t application, int64_t cycle, int64_t by, int64_t now);
int db_invitation_get(struct db *, int64_t application, struct db_invitation *);
/* Writes slot_id, booked_at and waitlisted_at of i; DB_ECONSTRAINT when
 * the slot is full. */
int db_invitation_set(struct db *, const struct db_invitation *);
/* The invitations of cycle: not waiting first, then the waitlist in
 * order. */
int db_invitation_list(struct db *, int64_t		   cycle,
    int (*cb)(void *, const struct db_invitation *), void *arg);
/* The first on the waitlist of cycle: 1 / 0 / DB_E*. */
int db_waitlist_first(struct db *, int64_t cycle, struct db_invitation *);
/* How many wait before i (its position is that plus one). */
int db_waitlist_position(
    struct db *, const struct db_invitation *, int64_t *before);
/* The calendar sequence of application's invitation made one more, into
 * *sequence; 1 / 0 (no invitation) / DB_E*. */
int db_invitation_sequence_next(
    struct db *, int64_t application, int64_t *sequence);
/* Records that the reminder to book of application's invitation was
 * decided at now (once: a second call changes nothing). */
int db_invitation_reminded(struct db *, int64_t application, int64_t now);
/* Up to limit invitations made by before, never booked and with their
 * reminder to book undecided, oldest first. */
int db_invitation_unreminded(struct db *, int64_t before, int limit,
    int (*cb)(void *, const struct db_invitation *), void *arg);

/* A version of a cycle's rank list; entries (a JSON array text) and
 * acknowledged are freed by db_ranklist_clear(). */
struct db_ranklist {
	int64_t id;
	int64_t cycle_id;
	int64_t version;
	char	kind[16]; /* draft, certified or reopened */
	char   *entries;
	char	sha256[65];
	char	reason[2048];
	int64_t created_by;
	char	created_by_name[DB_NAME_MAX];
	int64_t created_at;
	/* A certified version's warnings acknowledged (a JSON array text),
	 * or NULL: none recorded (certified before migration 009, or not a
	 * certification). */
	char *acknowledged;
	/* A certified version's entries as they stood at certification (a
	 * JSON array text: migrations/012), or NULL: none kept (certified
	 * before migration 012, or not a certification). */
	char *snapshot;
};

/* Rank lists (store/ranklists.c). Lookups return 1 / 0 / DB_E*. */
int db_ranklist_insert(struct db *, const struct db_ranklist *);
int db_ranklist_current(struct db *, int64_t cycle, struct db_ranklist *);
int db_ranklist_by_version(
    struct db *, int64_t cycle, int64_t version, struct db_ranklist *);
void db_ranklist_clear(struct db_ranklist *);
/* Every version, newest first; entries valid during the callback. */
int db_ranklist_list(struct db *, int64_t		 cycle,
    int (*cb)(void *, const struct db_ranklist *), void *arg);

/* A rank meeting (migrations/015); snapshot and agenda (JSON texts) are
 * freed by db_meeting_clear() (in a listing's row, valid during the
 * callback only). ended_at is 0 while it is open. */
struct db_meeting {
	int64_t id;
	int64_t cycle_id;
	int64_t started_by;
	char	started_by_name[DB_NAME_MAX];
	int64_t started_at;
	int64_t ended_by;
	char	ended_by_name[DB_NAME_MAX];
	int64_t ended_at;
	char   *snapshot;
	char   *agenda;
};

/* A meeting as its history lists it: snapshot and agenda NULL, and
 * counts instead. */
struct db_meeting_summary {
	struct db_meeting meeting;
	int		  agenda;    /* candidates on its agenda */
	int		  discussed; /* of them, marked as discussed */
	int		  changes;   /* sheet changes logged */
};

/* A candidate of a meeting's agenda marked (or unmarked) as discussed;
 * strings valid during the callback. */
struct db_meeting_item {
	int64_t	    application_id;
	int	    discussed;
	int64_t	    set_by;
	const char *set_by_name;
	int64_t	    set_at;
};

/* A sheet changed during a meeting: before (NULL: none) and after are
 * JSON object texts {status, score, values, comment}. In a listing's
 * row the names are filled and the strings valid during the callback. */
struct db_meeting_change {
	int64_t	    id;
	int64_t	    meeting_id;
	int64_t	    sheet_id;
	int64_t	    changed_by;
	int64_t	    at;
	const char *kind; /* edit, submit, conflict, conflict_removed */
	const char *before;
	const char *after;
	/* Listing only: */
	int64_t	    application_id;
	int64_t	    rater_id;
	const char *phase;
	const char *candidate_name;
	const char *rater_name;
	const char *changed_by_name;
};

/* Rank meetings (store/meetings.c). Lookups return 1 / 0 / DB_E*. */
int db_meeting_insert(struct db *, const struct db_meeting *, int64_t *id);
/* The open meeting of cycle (1), or none (0). */
int db_meeting_open(struct db *, int64_t cycle, struct db_meeting *);
/* The id of the open meeting of cycle in *id (1), or none (0): for the
 * writes that a meeting logs. */
int db_meeting_open_id(struct db *, int64_t cycle, int64_t *id);
/* The open meeting of cycle, else the last one ended. */
int  db_meeting_latest(struct db *, int64_t cycle, struct db_meeting *);
void db_meeting_clear(struct db_meeting *);
/* Ends meeting id: 1, or 0 when it was not open. */
int db_meeting_end(struct db *, int64_t id, int64_t by, int64_t at);
/* Every meeting of cycle, oldest first. */
int db_meeting_list(struct db *, int64_t		cycle,
    int (*cb)(void *, const struct db_meeting *), void *arg);
/* Every meeting of cycle with its counts, newest first (no texts read). */
int db_meeting_history(struct db *, int64_t			cycle,
    int (*cb)(void *, const struct db_meeting_summary *), void *arg);
/* Marks application as discussed or not in meeting. */
int db_meeting_item_set(struct db *, int64_t meeting, int64_t application,
    int discussed, int64_t by, int64_t at);
int db_meeting_item_list(struct db *, int64_t		     meeting,
    int (*cb)(void *, const struct db_meeting_item *), void *arg);
int db_meeting_change_insert(struct db *, const struct db_meeting_change *);
/* The changes logged in meeting, oldest first. */
int db_meeting_change_list(struct db *, int64_t		       meeting,
    int (*cb)(void *, const struct db_meeting_change *), void *arg);

/*
 * The home page's facts (store/home.c): each read by one statement for
 * a whole cycle (or the whole outbox), never row by row. The strings of
 * a row are valid during the callback only; a non-zero return from the
 * callback stops the listing and is returned.
 */

/* An assignment of a rater with what the rater's to-do list needs. */
struct db_rater_sheet {
	const char *phase;
	int64_t	    application_id;
	const char *candidate;
	const char *status; /* the application's */
	const char *sheet;  /* none, draft or submitted */
	int	    conflicted;
};

/* The assignments of rater in cycle, screening first, by name. */
int db_home_rater_sheets(struct db *, int64_t cycle, int64_t rater,
    int (*cb)(void *, const struct db_rater_sheet *), void *arg);

/* A rater's progress in a phase over the submitted candidates assigned
 * to them without a recorded conflict. */
struct db_progress_row {
	const char *phase;
	int64_t	    rater_id;
	const char *name;
	int	    disabled;
	int64_t	    assigned;
	int64_t	    submitted;
	int64_t	    drafts;
};

/* Per phase and rater of cycle, screening first, by name. */
int db_home_progress(struct db *, int64_t		     cycle,
    int (*cb)(void *, const struct db_progress_row *), void *arg);

/* The applications of a cycle counted (STMT_HOME_PIPELINE). */
struct db_pipeline {
	int64_t drafts;
	int64_t drafts_complete;      /* nothing missing, not submitted */
	int64_t submitted_complete;   /* nothing missing, no letter awaited */
	int64_t submitted_incomplete; /* something missing or awaited */
	int64_t withdrawn;
	int64_t letters_outstanding; /* requested, not received */
	int64_t awaiting_letters;    /* applications with one outstanding */
};

/* Counts the applications of cycle; req as for db_application_page(). */
int db_home_pipeline(struct db *, int64_t cycle,
    const struct db_app_required *req, struct db_pipeline *out);

/* A candidate invited to interview without a booked slot. */
struct db_not_booked {
	int64_t	    application_id;
	const char *candidate;
	int64_t	    invited_at;
	int64_t	    waitlisted_at; /* 0: not on the waitlist */
};

/* The submitted candidates of cycle invited and not booked, by when
 * they were invited. */
int db_home_not_booked(struct db *, int64_t		   cycle,
    int (*cb)(void *, const struct db_not_booked *), void *arg);

/* How many messages of the outbox were given up on (failed) and how
 * many failed at least once and wait for another attempt (retrying);
 * and the latest limit of those given up on, newest first (body NULL). */
int db_home_mail_counts(
    struct db *, int64_t program, int64_t *failed, int64_t *retrying);
int db_home_mail_failed(struct db *, int64_t program, int limit,
    int (*cb)(void *, const struct db_mail_row *), void *arg);

/*
 * Audit log (store/audit.c): appends one record. actor is a user id or 0
 * for the system/operator; object and detail (a JSON text) may be NULL.
 */
int db_audit_append(struct db *, int64_t actor, int64_t program,
    const char *action, const char *object, const char *detail);
/* Calls cb for up to limit records with ids below before, newest first,
 * of program (0: every record). */
int db_audit_list(struct db *, int64_t program, int64_t before, int limit,
    int (*cb)(void *, const struct db_audit_row *), void *arg);

/* What an application a record names stands for, in words. */
struct db_audit_candidate {
	char	name[DB_NAME_MAX]; /* the candidate's */
	int64_t cycle_id;
	char	cycle_name[DB_NAME_MAX];
	char	timezone[64];
	int64_t applicant_id;
};

/* Loads it for application id: 1 found, 0 not, or DB_E*. */
int db_audit_candidate(struct db *, int64_t id, struct db_audit_candidate *);

/*
 * The newest "cycle.import" record of the archive whose text has SHA-256
 * sha256 (64 hex digits): 1 found, with the cycle it became and the
 * record's time (text) into at; 0 when it was never imported; or DB_E*.
 */
int db_audit_import_find(
    struct db *, const char *sha256, int64_t *cycle, char *at, size_t atlen);

#endif
