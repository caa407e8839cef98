-- 012: a certified rank list keeps what it said of its candidates.
--
-- The match export of a certified list must say what was certified, even
-- when a candidate withdraws, or is reopened and renamed, afterwards. A
-- certified version keeps, beside its entries, a snapshot of each of
-- them as it stood at certification: a JSON array in the entries' order
-- of {application_id, name, sfmatch_id, nrmp_id, aamc_id, composite,
-- rank_composite} (an identifier not given is null). The certified
-- list's view, its match CSV and the archive read it. Versions certified
-- before this schema, drafts and reopenings have none (NULL); like the
-- rest of a version it is never changed. (The check names no JSON
-- function, as in 009: the program writes the text.)
--
-- PostgreSQL: the snapshot is json, its check reads the first character
-- as text (see 001); the same data migration.

CALL schema_migration_begin(12, '012_ranklist_snapshot.sql');

ALTER TABLE ranklist_versions ADD COLUMN snapshot json
    CHECK (snapshot IS NULL OR (kind = 'certified' AND
    left(snapshot::text, 1) = '['));

-- When an application was withdrawn (UTC ISO 8601 text), so that the
-- staff can be told who left a certified list and when; NULL while it
-- is not withdrawn. Applications withdrawn before this schema take the
-- time of their last change, which was the withdrawal (a withdrawn
-- application is edited no more).
ALTER TABLE applications ADD COLUMN withdrawn_at text;

UPDATE applications SET withdrawn_at = updated_at WHERE status = 'withdrawn';
