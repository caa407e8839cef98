-- 007: the rank list and its versions.
--
-- Every save of a cycle's rank list is a new version; nothing is ever
-- changed or deleted (the triggers refuse it), so the history is the
-- record. The current list is the highest version. kind says what made a
-- version: a saved draft, a certification (with the SHA-256 of the list's
-- canonical text), or a reopening (with its reason). entries is a JSON
-- array, in rank order, of {application_id, do_not_rank, reason}.

CREATE TABLE ranklist_versions (
	id		INTEGER PRIMARY KEY,
	cycle_id	INTEGER NOT NULL REFERENCES cycles (id),
	version		INTEGER NOT NULL CHECK (version >= 1),
	kind		TEXT NOT NULL
			CHECK (kind IN ('draft', 'certified', 'reopened')),
	entries		TEXT NOT NULL,
	sha256		TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
	reason		TEXT CHECK (reason IS NULL OR length(reason) <= 2000),
	created_by	INTEGER REFERENCES users (id),
	created_at	INTEGER NOT NULL,
	UNIQUE (cycle_id, version),
	CHECK (kind != 'certified' OR sha256 IS NOT NULL),
	CHECK (kind != 'reopened' OR reason IS NOT NULL)
) STRICT;

CREATE TRIGGER ranklist_versions_no_update BEFORE UPDATE ON
	ranklist_versions
BEGIN
	SELECT RAISE(ABORT, 'ranklist_versions is append-only');
END;

CREATE TRIGGER ranklist_versions_no_delete BEFORE DELETE ON
	ranklist_versions
BEGIN
	SELECT RAISE(ABORT, 'ranklist_versions is append-only');
END;
