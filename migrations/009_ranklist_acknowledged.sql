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

ALTER TABLE ranklist_versions ADD COLUMN acknowledged TEXT
    CHECK (acknowledged IS NULL OR (kind = 'certified' AND
    substr(acknowledged, 1, 1) = '['));
