/*
 * The statement table: every SQL text the program runs against the
 * database, one row per enum stmt value, each with what it is for. Values
 * are always bound, never formatted into the text.
 */
#include "store/internal.h"

#define NOW_TEXT "strftime('%Y-%m-%dT%H:%M:%SZ')"
#define USER_COLUMNS                                                           \
	"id, email, name, role, coalesce(password_hash, ''), disabled, "       \
	"created_at"

#define CYCLE_COLUMNS                                                          \
	"id, year, name, positions, timezone, state, applications_open, "      \
	"applications_close, interviews_start, interviews_end, "               \
	"ranklist_due, open_at, close_at, ranklist_due_at, created_at, "       \
	"updated_at"
#define APP_COLUMNS                                                            \
	"id, cycle_id, applicant_id, status, fields, version, "                \
	"coalesce(submitted_at, ''), created_at, updated_at"

#define DOC_COLUMNS                                                            \
	"id, application_id, kind, sha256, size, uploaded_by, created_at, "    \
	"coalesce(removed_at, '')"

#define LETTER_COLUMNS                                                         \
	"id, application_id, writer_name, writer_email, waived, status, "      \
	"coalesce(token_expires_at, 0), requested_at, "                        \
	"coalesce(reminded_at, ''), coalesce(received_at, ''), "               \
	"coalesce(sha256, ''), coalesce(size, 0)"

const char *const stmt_sql[STMT__MAX] = {
	/* STMT_PING: the cheapest query that touches the connection. */
	"SELECT 1",

	/* STMT_SCHEMA_VERSION: highest migration applied (0 when none). */
	"SELECT coalesce(max(version), 0) FROM schema_migrations",

	/* STMT_USER_INSERT: email, name, role, password hash (or NULL). */
	"INSERT INTO users (email, name, role, password_hash) "
	"VALUES (?1, ?2, ?3, ?4)",

	/* STMT_USER_COUNT: how many accounts exist. */
	"SELECT count(*) FROM users",

	/* STMT_USER_BY_EMAIL: one account by e-mail (any case). */
	"SELECT " USER_COLUMNS " FROM users WHERE email = ?1",

	/* STMT_USER_BY_ID: one account by id. */
	"SELECT " USER_COLUMNS " FROM users WHERE id = ?1",

	/* STMT_USER_LIST: a page of accounts after id ?1, ?2 at most. */
	"SELECT " USER_COLUMNS " FROM users WHERE id > ?1 ORDER BY id "
	"LIMIT ?2",

	/* STMT_USER_SET_PASSWORD: id, new hash. */
	"UPDATE users SET password_hash = ?2, updated_at = " NOW_TEXT
	" WHERE id = ?1",

	/* STMT_USER_SET_ROLE: id, role. */
	"UPDATE users SET role = ?2, updated_at = " NOW_TEXT " WHERE id = ?1",

	/* STMT_USER_SET_DISABLED: id, 0 or 1. */
	"UPDATE users SET disabled = ?2, updated_at = " NOW_TEXT
	" WHERE id = ?1",

	/* STMT_SESSION_INSERT: token hash, user, CSRF token, now. */
	"INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
	"last_seen_at) VALUES (?1, ?2, ?3, ?4, ?4)",

	/* STMT_SESSION_LOOKUP: a session and its account by token hash. */
	"SELECT s.id, s.csrf_token, s.created_at, s.last_seen_at, "
	"u.id, u.email, u.name, u.role, '', u.disabled, u.created_at "
	"FROM sessions s JOIN users u ON u.id = s.user_id "
	"WHERE s.token_hash = ?1",

	/* STMT_SESSION_TOUCH: id, now. */
	"UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1",

	/* STMT_SESSION_DELETE: sign-out of one session. */
	"DELETE FROM sessions WHERE id = ?1",

	/* STMT_SESSION_DELETE_USER: every session of a user. */
	"DELETE FROM sessions WHERE user_id = ?1",

	/* STMT_SESSION_DELETE_USER_EXCEPT: every session of ?1 but ?2. */
	"DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2",

	/* STMT_SESSION_PURGE: sessions idle since ?1 or created before ?2. */
	"DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",

	/* STMT_TOKEN_INSERT: kind, hash, user (or NULL), now, expiry. */
	"INSERT INTO tokens (kind, token_hash, user_id, created_at, "
	"expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",

	/* STMT_TOKEN_LOOKUP: a token of kind ?2 by hash ?1. */
	"SELECT id, coalesce(user_id, 0), expires_at, coalesce(used_at, 0) "
	"FROM tokens WHERE token_hash = ?1 AND kind = ?2",

	/* STMT_TOKEN_USE: marks token ?1 used at ?2, once. */
	"UPDATE tokens SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL",

	/* STMT_TOKEN_REVOKE: every unused token of user ?1 and kind ?2. */
	"UPDATE tokens SET used_at = ?3 WHERE user_id = ?1 AND kind = ?2 "
	"AND used_at IS NULL",

	/* STMT_THROTTLE_GET: a key's counters. */
	"SELECT failures, window_start, blocked_until FROM login_throttle "
	"WHERE key = ?1",

	/* STMT_THROTTLE_PUT: key, failures, window start, blocked until. */
	"INSERT INTO login_throttle (key, failures, window_start, "
	"blocked_until) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO UPDATE "
	"SET failures = excluded.failures, window_start = "
	"excluded.window_start, blocked_until = excluded.blocked_until",

	/* STMT_THROTTLE_CLEAR: forget a key after a successful sign-in. */
	"DELETE FROM login_throttle WHERE key = ?1",

	/* STMT_OUTBOX_INSERT: to, subject, body, now. */
	"INSERT INTO outbox (to_addr, subject, body, created_at, "
	"next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?4)",

	/* STMT_OUTBOX_NEXT_DUE: the oldest message due for delivery at ?1. */
	"SELECT id, to_addr, subject, body, attempts FROM outbox "
	"WHERE status = 'pending' AND next_attempt_at <= ?1 "
	"ORDER BY next_attempt_at, id LIMIT 1",

	/* STMT_OUTBOX_SENT: id, now. */
	"UPDATE outbox SET status = 'sent', sent_at = ?2, "
	"attempts = attempts + 1, last_error = NULL WHERE id = ?1",

	/* STMT_OUTBOX_RETRY: id, next attempt, error, new status. */
	"UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, "
	"last_error = ?3, status = ?4 WHERE id = ?1",

	/* STMT_OUTBOX_LIST: a page of messages before id ?1, newest first. */
	"SELECT id, to_addr, subject, body, created_at, status, attempts, "
	"next_attempt_at, coalesce(last_error, ''), coalesce(sent_at, 0) "
	"FROM outbox WHERE id < ?1 ORDER BY id DESC LIMIT ?2",

	/* STMT_OUTBOX_ROTATE: delivered messages sent before ?1. */
	"DELETE FROM outbox WHERE status = 'sent' AND sent_at < ?1",

	/* STMT_CYCLE_INSERT: year, name, positions, time zone, the five
	 * dates as typed, and the open, close and rank list due instants. */
	"INSERT INTO cycles (year, name, positions, timezone, "
	"applications_open, applications_close, interviews_start, "
	"interviews_end, ranklist_due, open_at, close_at, ranklist_due_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",

	/* STMT_CYCLE_BY_ID: one cycle. */
	"SELECT " CYCLE_COLUMNS " FROM cycles WHERE id = ?1",

	/* STMT_CYCLE_LIST: every cycle, newest first. */
	"SELECT " CYCLE_COLUMNS " FROM cycles ORDER BY year DESC, id DESC",

	/* STMT_CYCLE_UPDATE: id, then the columns of STMT_CYCLE_INSERT
	 * (?2..?13) and the state (?14). */
	"UPDATE cycles SET year = ?2, name = ?3, positions = ?4, "
	"timezone = ?5, applications_open = ?6, applications_close = ?7, "
	"interviews_start = ?8, interviews_end = ?9, ranklist_due = ?10, "
	"open_at = ?11, close_at = ?12, ranklist_due_at = ?13, state = ?14, "
	"updated_at = " NOW_TEXT " WHERE id = ?1",

	/* STMT_APP_INSERT: cycle, applicant, fields JSON. */
	"INSERT INTO applications (cycle_id, applicant_id, fields) "
	"VALUES (?1, ?2, ?3)",

	/* STMT_APP_BY_ID: one application. */
	"SELECT " APP_COLUMNS " FROM applications WHERE id = ?1",

	/* STMT_APP_BY_OWNER: the application of applicant ?2 in cycle ?1. */
	"SELECT " APP_COLUMNS " FROM applications "
	"WHERE cycle_id = ?1 AND applicant_id = ?2",

	/* STMT_APP_SET_FIELDS: id, fields JSON, expected version. */
	"UPDATE applications SET fields = ?2, version = version + 1, "
	"updated_at = " NOW_TEXT " WHERE id = ?1 AND version = ?3",

	/* STMT_APP_SET_STATUS: id, status, submitted (1) or cleared (0). */
	"UPDATE applications SET status = ?2, version = version + 1, "
	"submitted_at = CASE WHEN ?3 THEN " NOW_TEXT " ELSE submitted_at END, "
	"updated_at = " NOW_TEXT " WHERE id = ?1",

	/* STMT_APP_LIST: applications of cycle ?1 with status ?2 (NULL: any)
	 * whose names, e-mail or schools contain ?3 (NULL: any), hiding those
	 * faculty ?4 (0: nobody) has a conflict with, after id ?5, ?6 at
	 * most. */
	"SELECT " APP_COLUMNS " FROM applications a WHERE a.cycle_id = ?1 "
	"AND (?2 IS NULL OR a.status = ?2) "
	"AND (?3 IS NULL OR instr(lower(coalesce(a.fields ->> 'first_name', "
	"'') || ' ' || coalesce(a.fields ->> 'last_name', '') || ' ' || "
	"coalesce(a.fields ->> 'email', '') || ' ' || "
	"coalesce(a.fields ->> 'medical_school', '') || ' ' || "
	"coalesce(a.fields ->> 'residency_program', '')), lower(?3)) > 0) "
	"AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE "
	"c.application_id = a.id AND c.faculty_id = ?4) "
	"AND a.id > ?5 ORDER BY a.id LIMIT ?6",

	/* STMT_CONFLICT_EXISTS: does faculty ?2 have a conflict with
	 * application ?1? */
	"SELECT count(*) FROM conflicts WHERE application_id = ?1 "
	"AND faculty_id = ?2",

	/* STMT_DOC_INSERT: application, kind, sha256, size, uploader. */
	"INSERT INTO documents (application_id, kind, sha256, size, "
	"uploaded_by) VALUES (?1, ?2, ?3, ?4, ?5)",

	/* STMT_DOC_REMOVE_KIND: the current documents of kind ?2 of
	 * application ?1 are replaced. */
	"UPDATE documents SET removed_at = " NOW_TEXT " WHERE "
	"application_id = ?1 AND kind = ?2 AND removed_at IS NULL",

	/* STMT_DOC_REMOVE: one document is removed. */
	"UPDATE documents SET removed_at = " NOW_TEXT " WHERE id = ?1 "
	"AND removed_at IS NULL",

	/* STMT_DOC_BY_ID: one document, current or not. */
	"SELECT " DOC_COLUMNS " FROM documents WHERE id = ?1",

	/* STMT_DOC_LIST: the current documents of application ?1. */
	"SELECT " DOC_COLUMNS " FROM documents WHERE application_id = ?1 "
	"AND removed_at IS NULL ORDER BY id",

	/* STMT_LETTER_INSERT: application, writer name, e-mail, waived,
	 * token hash, expiry. */
	"INSERT INTO letters (application_id, writer_name, writer_email, "
	"waived, token_hash, token_expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",

	/* STMT_LETTER_BY_ID: one letter. */
	"SELECT " LETTER_COLUMNS " FROM letters WHERE id = ?1",

	/* STMT_LETTER_BY_TOKEN: the letter whose link has hash ?1. */
	"SELECT " LETTER_COLUMNS " FROM letters WHERE token_hash = ?1",

	/* STMT_LETTER_LIST: the letters of application ?1. */
	"SELECT " LETTER_COLUMNS " FROM letters WHERE application_id = ?1 "
	"ORDER BY id",

	/* STMT_LETTER_SET_TOKEN: a new link (a reminder): id, hash, expiry. */
	"UPDATE letters SET token_hash = ?2, token_expires_at = ?3, "
	"reminded_at = " NOW_TEXT " WHERE id = ?1 AND status = 'requested'",

	/* STMT_LETTER_CANCEL: id. */
	"UPDATE letters SET status = 'cancelled', token_hash = NULL, "
	"token_expires_at = NULL WHERE id = ?1 AND status = 'requested'",

	/* STMT_LETTER_RECEIVE: id, sha256, size; the link is used up. */
	"UPDATE letters SET status = 'received', received_at = " NOW_TEXT ", "
	"sha256 = ?2, size = ?3, token_hash = NULL, token_expires_at = NULL "
	"WHERE id = ?1 AND status = 'requested'",

	/* STMT_AUDIT_APPEND: actor (NULL for the system), action, object,
	 * detail JSON. */
	"INSERT INTO audit_log (actor_id, action, object, detail) "
	"VALUES (?1, ?2, ?3, ?4)",

	/* STMT_AUDIT_LIST: a page of records before id ?1, newest first. */
	"SELECT a.id, a.at, coalesce(a.actor_id, 0), coalesce(u.name, ''), "
	"a.action, coalesce(a.object, ''), coalesce(a.detail, '') "
	"FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id "
	"WHERE a.id < ?1 ORDER BY a.id DESC LIMIT ?2",
};
