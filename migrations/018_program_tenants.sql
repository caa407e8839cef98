-- 018: programs as tenants.
--
-- An installation hosts several programs, each with its own cycles and
-- people. A person's role belongs to a program (memberships): a surgeon
-- may be faculty in two programs and director of a third. users.role now
-- says only what kind of account it is: 'applicant', or a staff account
-- whose roles are its memberships (for staff it keeps the role the
-- account was made with and is read for nothing else). An applicant has
-- one account and applies to any program's open cycle.
--
-- The installation's administrators (users.admin) create programs and
-- name their directors; they see programs and people, never
-- applications or scores. The directors of the one program that existed
-- until now set the installation up, and become its administrators.
--
-- Every row that was here belongs to program 1: its cycles, its staff's
-- roles, its audit log and its mail. The audit log's update trigger is
-- lifted for the one statement that says so, and put back.

ALTER TABLE programs ADD COLUMN positions INTEGER NOT NULL DEFAULT 2
	CHECK (positions BETWEEN 1 AND 50);
ALTER TABLE programs ADD COLUMN timezone TEXT NOT NULL
	DEFAULT 'America/New_York' CHECK (length(timezone) BETWEEN 1 AND 64);
ALTER TABLE programs ADD COLUMN mail_sender TEXT NOT NULL DEFAULT ''
	CHECK (length(mail_sender) <= 200);

CREATE TABLE memberships (
	user_id		INTEGER NOT NULL REFERENCES users (id),
	program_id	INTEGER NOT NULL REFERENCES programs (id),
	role		TEXT NOT NULL CHECK (role IN
			('faculty', 'coordinator', 'director')),
	created_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')),
	updated_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')),
	PRIMARY KEY (user_id, program_id)
) STRICT;

CREATE INDEX memberships_program ON memberships (program_id, role);

-- Only a staff account has roles.
CREATE TRIGGER memberships_staff_only BEFORE INSERT ON memberships
WHEN (SELECT role FROM users WHERE id = NEW.user_id) = 'applicant'
BEGIN
	SELECT RAISE(ABORT, 'an applicant has no role in a program');
END;

INSERT INTO memberships (user_id, program_id, role, created_at, updated_at)
SELECT id, 1, role, created_at, updated_at FROM users
WHERE role <> 'applicant';

ALTER TABLE users ADD COLUMN admin INTEGER NOT NULL DEFAULT 0
	CHECK (admin IN (0, 1));
UPDATE users SET admin = 1 WHERE role = 'director';

-- A column added to a table cannot refer to another with a default other
-- than NULL, so the program's existence is a trigger's rule here.
ALTER TABLE cycles ADD COLUMN program_id INTEGER NOT NULL DEFAULT 1;
CREATE INDEX cycles_program ON cycles (program_id);

CREATE TRIGGER cycles_program_exists BEFORE INSERT ON cycles
WHEN NOT EXISTS (SELECT 1 FROM programs WHERE id = NEW.program_id)
BEGIN
	SELECT RAISE(ABORT, 'no such program');
END;

CREATE TRIGGER cycles_program_fixed BEFORE UPDATE OF program_id ON cycles
WHEN NEW.program_id <> OLD.program_id
BEGIN
	SELECT RAISE(ABORT, 'a cycle stays in its program');
END;

-- The program an entry is about; NULL for the installation's own
-- (sign-ins, accounts, programs made).
ALTER TABLE audit_log ADD COLUMN program_id INTEGER;
DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET program_id = 1;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE INDEX audit_log_program ON audit_log (program_id, id);

-- The program a message is sent for (its sender's name); NULL for the
-- installation's (password resets, invitations to no program).
ALTER TABLE outbox ADD COLUMN program_id INTEGER;
UPDATE outbox SET program_id = 1;
CREATE INDEX outbox_program ON outbox (program_id, id);
