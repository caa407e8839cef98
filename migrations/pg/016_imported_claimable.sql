-- 016: whether an imported account may still be claimed.
--
-- An import (ops/import.c) makes a disabled account without a password
-- for each candidate of the archive; one that holds the candidate's own
-- address may be claimed by its owner with a password reset mailed there
-- (ops/accounts.c). Whether it may was read from the account's
-- "user.import" audit record, by a scan of the log, and stayed true when
-- staff enabled the account and disabled it again. It is now the
-- account's state: set by the import, cleared when the owner claims the
-- account, when staff enable it and when its role changes.
--
-- PostgreSQL: SQLite's detail ->> 'claimable' = 1 is true for JSON true
-- and for the number 1 (->> gives 1 for true); PostgreSQL's ->> gives
-- text, so the test reads the JSON value's type. The LIKE is on citext,
-- without case as on SQLite (whose LIKE ignores ASCII case).

CALL schema_migration_begin(16, '016_imported_claimable.sql');

ALTER TABLE users ADD COLUMN imported_claimable integer NOT NULL DEFAULT 0
    CHECK (imported_claimable IN (0, 1));

-- Accounts imported before this schema: claimable as the audit record
-- says, unless they were claimed, enabled or given another role since.
UPDATE users SET imported_claimable = 1
WHERE role = 'applicant' AND disabled = 1 AND password_hash IS NULL
    AND email NOT LIKE '%@import.invalid'
    AND EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'user.import'
	AND a.object = 'user:' || users.id
	AND CASE json_typeof(a.detail -> 'claimable')
	    WHEN 'boolean' THEN (a.detail ->> 'claimable')::boolean
	    WHEN 'number' THEN (a.detail ->> 'claimable')::numeric = 1
	    ELSE false END)
    AND NOT EXISTS (SELECT 1 FROM audit_log a
	WHERE a.object = 'user:' || users.id AND a.action IN
	('user.enable', 'user.role', 'user.import_claim'));
