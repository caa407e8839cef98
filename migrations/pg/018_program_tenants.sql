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
--
-- PostgreSQL: cycles.program_id has the same trigger as on SQLite in
-- place of a foreign key, so that both keep the same keys; the rules
-- whose condition reads another table are PL/pgSQL functions.

CALL schema_migration_begin(18, '018_program_tenants.sql');

ALTER TABLE programs ADD COLUMN positions integer NOT NULL DEFAULT 2
	CHECK (positions BETWEEN 1 AND 50);
ALTER TABLE programs ADD COLUMN timezone text NOT NULL
	DEFAULT 'America/New_York' CHECK (length(timezone) BETWEEN 1 AND 64);
ALTER TABLE programs ADD COLUMN mail_sender text NOT NULL DEFAULT ''
	CHECK (length(mail_sender) <= 200);

CREATE TABLE memberships (
	user_id		bigint NOT NULL REFERENCES users (id),
	program_id	bigint NOT NULL REFERENCES programs (id),
	role		text NOT NULL CHECK (role IN
			('faculty', 'coordinator', 'director')),
	created_at	text NOT NULL DEFAULT (to_char(statement_timestamp()
			AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
	updated_at	text NOT NULL DEFAULT (to_char(statement_timestamp()
			AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
	PRIMARY KEY (user_id, program_id)
);

CREATE INDEX memberships_program ON memberships (program_id, role);

-- Only a staff account has roles.
CREATE FUNCTION memberships_staff_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF (SELECT role FROM users WHERE id = NEW.user_id) = 'applicant' THEN
		RAISE EXCEPTION 'an applicant has no role in a program'
		    USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN NEW;
END;
$$;

CREATE TRIGGER memberships_staff_only BEFORE INSERT ON memberships
	FOR EACH ROW EXECUTE FUNCTION memberships_staff_check();

INSERT INTO memberships (user_id, program_id, role, created_at, updated_at)
SELECT id, 1, role, created_at, updated_at FROM users
WHERE role <> 'applicant';

ALTER TABLE users ADD COLUMN admin integer NOT NULL DEFAULT 0
	CHECK (admin IN (0, 1));
UPDATE users SET admin = 1 WHERE role = 'director';

ALTER TABLE cycles ADD COLUMN program_id bigint NOT NULL DEFAULT 1;
CREATE INDEX cycles_program ON cycles (program_id);

CREATE FUNCTION cycles_program_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM programs WHERE id = NEW.program_id) THEN
		RAISE EXCEPTION 'no such program'
		    USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN NEW;
END;
$$;

CREATE TRIGGER cycles_program_exists BEFORE INSERT ON cycles
	FOR EACH ROW EXECUTE FUNCTION cycles_program_check();

CREATE TRIGGER cycles_program_fixed BEFORE UPDATE OF program_id ON cycles
	FOR EACH ROW WHEN (NEW.program_id <> OLD.program_id)
	EXECUTE FUNCTION raise_abort('a cycle stays in its program');

-- The program an entry is about; NULL for the installation's own
-- (sign-ins, accounts, programs made).
ALTER TABLE audit_log ADD COLUMN program_id bigint;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
UPDATE audit_log SET program_id = 1;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
CREATE INDEX audit_log_program ON audit_log (program_id, id);

-- The program a message is sent for (its sender's name); NULL for the
-- installation's (password resets, invitations to no program).
ALTER TABLE outbox ADD COLUMN program_id bigint;
UPDATE outbox SET program_id = 1;
CREATE INDEX outbox_program ON outbox (program_id, id);
