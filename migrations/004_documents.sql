-- 004: documents uploaded with an application.
--
-- The file lives outside any web root as documents/<sha256>.pdf under the
-- data directory, named by its content; a row is one upload. A replaced or
-- deleted upload keeps its row (removed_at set) for the record.

CREATE TABLE documents (
	id		INTEGER PRIMARY KEY,
	application_id	INTEGER NOT NULL REFERENCES applications (id),
	kind		TEXT NOT NULL CHECK (kind IN
			('cv', 'personal_statement', 'other')),
	sha256		TEXT NOT NULL CHECK (length(sha256) = 64),
	size		INTEGER NOT NULL CHECK (size > 0),
	uploaded_by	INTEGER NOT NULL REFERENCES users (id),
	created_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')),
	removed_at	TEXT
) STRICT;

CREATE INDEX documents_application ON documents (application_id, kind);
