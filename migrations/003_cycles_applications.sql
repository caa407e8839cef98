-- 003: application cycles, applications and recorded conflicts of
-- interest.
--
-- A cycle's deadlines are kept twice: as the wall-clock time the director
-- typed, in the cycle's time zone (shown back as typed), and as the Unix
-- instant it stands for (what the server compares with the clock).

CREATE TABLE cycles (
	id			INTEGER PRIMARY KEY,
	year			INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	name			TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	positions		INTEGER NOT NULL DEFAULT 2
				CHECK (positions BETWEEN 1 AND 50),
	timezone		TEXT NOT NULL DEFAULT 'America/New_York',
	state			TEXT NOT NULL DEFAULT 'setup' CHECK (state IN
				('setup', 'open', 'review', 'ranking',
				 'certified', 'archived')),
	applications_open	TEXT NOT NULL,
	applications_close	TEXT NOT NULL,
	interviews_start	TEXT NOT NULL,
	interviews_end		TEXT NOT NULL,
	ranklist_due		TEXT NOT NULL,
	open_at			INTEGER NOT NULL,
	close_at		INTEGER NOT NULL,
	ranklist_due_at		INTEGER NOT NULL,
	created_at		TEXT NOT NULL
				DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')),
	updated_at		TEXT NOT NULL
				DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ'))
) STRICT;

-- One application per applicant and cycle. The structured fields are one
-- JSON object whose keys and rules are the table in src/core/application.c.
CREATE TABLE applications (
	id		INTEGER PRIMARY KEY,
	cycle_id	INTEGER NOT NULL REFERENCES cycles (id),
	applicant_id	INTEGER NOT NULL REFERENCES users (id),
	status		TEXT NOT NULL DEFAULT 'draft'
			CHECK (status IN ('draft', 'submitted', 'withdrawn')),
	fields		TEXT NOT NULL DEFAULT '{}',
	version		INTEGER NOT NULL DEFAULT 1,
	submitted_at	TEXT,
	created_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')),
	updated_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')),
	UNIQUE (cycle_id, applicant_id)
) STRICT;

CREATE INDEX applications_cycle ON applications (cycle_id, status);

-- A faculty member who must neither see nor score a candidate.
CREATE TABLE conflicts (
	id		INTEGER PRIMARY KEY,
	application_id	INTEGER NOT NULL REFERENCES applications (id),
	faculty_id	INTEGER NOT NULL REFERENCES users (id),
	kind		TEXT NOT NULL DEFAULT 'conflict'
			CHECK (kind IN ('conflict', 'known_applicant')),
	reason		TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
	recorded_by	INTEGER NOT NULL REFERENCES users (id),
	created_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')),
	UNIQUE (application_id, faculty_id)
) STRICT;
