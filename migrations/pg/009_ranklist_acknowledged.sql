-- 009: the warnings acknowledged at certification.
--
-- Before certifying, the director sees what is not ready (ranked
-- candidates not interviewed, draft or missing sheets, rater groups that
-- cannot be compared, conflicts declared after scoring) and must
-- acknowledge each warning present. What was acknowledged is kept with
-- the certified version, as it stood then: a JSON array of the warnings
-- ({code, title, message, count, items:[{name, detail}]}), [] when there
-- was none. Versions certified before this schema, drafts and reopenings
-- have none (NULL). Like the rest of a version it is never changed. (The
-- check names no JSON function: the connection does not trust the schema
-- with functions that are not innocuous; the program writes the text.)
--
-- PostgreSQL: the column is json, the check reads its first character
-- as text (see 001).

CALL schema_migration_begin(9, '009_ranklist_acknowledged.sql');

ALTER TABLE ranklist_versions ADD COLUMN acknowledged json
    CHECK (acknowledged IS NULL OR (kind = 'certified' AND
    left(acknowledged::text, 1) = '['));
