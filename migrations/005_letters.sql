-- 005: letters of recommendation.
--
-- The applicant names a writer; the writer receives a single-use link
-- (only its hash is kept, cleared once used or cancelled) and uploads one
-- PDF, stored like documents under its content hash. The applicant sees
-- the status, never the letter.

CREATE TABLE letters (
	id		 INTEGER PRIMARY KEY,
	application_id	 INTEGER NOT NULL REFERENCES applications (id),
	writer_name	 TEXT NOT NULL CHECK (length(writer_name) BETWEEN 1 AND 200),
	writer_email	 TEXT NOT NULL,
	waived		 INTEGER NOT NULL CHECK (waived IN (0, 1)),
	status		 TEXT NOT NULL DEFAULT 'requested'
			 CHECK (status IN ('requested', 'received', 'cancelled')),
	token_hash	 BLOB UNIQUE CHECK (token_hash IS NULL OR
			 length(token_hash) = 32),
	token_expires_at INTEGER,
	requested_at	 TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')),
	reminded_at	 TEXT,
	received_at	 TEXT,
	sha256		 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
	size		 INTEGER
) STRICT;

CREATE INDEX letters_application ON letters (application_id);
