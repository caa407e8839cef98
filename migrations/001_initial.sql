-- 001: accounts and the audit log.
--
-- Times are UTC ISO 8601 text ("2026-11-27T19:00:00Z"), which sorts and
-- compares correctly as text.

CREATE TABLE users (
	id		INTEGER PRIMARY KEY,
	email		TEXT NOT NULL COLLATE NOCASE UNIQUE
			CHECK (length(email) BETWEEN 3 AND 254),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	role		TEXT NOT NULL CHECK (role IN
			('applicant', 'faculty', 'coordinator', 'director')),
	password_hash	TEXT,
	disabled	INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')),
	updated_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ'))
) STRICT;

-- Who did what, when. Append-only: the triggers below refuse changes.
CREATE TABLE audit_log (
	id		INTEGER PRIMARY KEY,
	at		TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ')),
	actor_id	INTEGER REFERENCES users (id),
	action		TEXT NOT NULL,
	object		TEXT,
	detail		TEXT	-- JSON, written by the application only
) STRICT;

CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
