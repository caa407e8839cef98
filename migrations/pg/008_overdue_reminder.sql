-- 008: the overdue reminder.
--
-- The automatic reminder to raters goes once before a phase's scoring
-- deadline (reminded_at) and at most once after it has passed, with its
-- own wording (overdue_reminded_at). Before this schema a phase first
-- seen after its deadline got the "approaching" reminder then; such a
-- reminder counts as the overdue one, so nobody is mailed twice.
--
-- PostgreSQL: the same statements, the instant bigint.

CALL schema_migration_begin(8, '008_overdue_reminder.sql');

ALTER TABLE phases ADD COLUMN overdue_reminded_at bigint;

UPDATE phases SET overdue_reminded_at = reminded_at
    WHERE reminded_at IS NOT NULL AND scoring_due_at IS NOT NULL
    AND reminded_at >= scoring_due_at;
