-- 013: a rater's late conflict of interest waits for the staff.
--
-- A recorded conflict voids the rater's sheets of the candidate. Once
-- scoring of a phase in which the rater submitted a sheet of the
-- candidate is closed, or once the cycle's rank list is certified, a
-- conflict the rater declares is not recorded at once: it is kept here,
-- pending, and changes no sheet, no score and no ranking until the
-- coordinator or the director decides it. Accepted, it becomes a
-- recorded conflict (conflicts) as it would have been before; declined,
-- nothing changes. A decided request is kept, with who decided and when.

CREATE TABLE conflict_requests (
	id		INTEGER PRIMARY KEY,
	application_id	INTEGER NOT NULL REFERENCES applications (id),
	faculty_id	INTEGER NOT NULL REFERENCES users (id),
	kind		TEXT NOT NULL DEFAULT 'conflict'
			CHECK (kind IN ('conflict', 'known_applicant')),
	reason		TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
	-- Why it was held: the sentence shown to the staff and the rater.
	held_because	TEXT NOT NULL CHECK (length(held_because) <= 300),
	declared_at	TEXT NOT NULL
			DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')),
	status		TEXT NOT NULL DEFAULT 'pending'
			CHECK (status IN ('pending', 'accepted', 'declined')),
	decided_by	INTEGER REFERENCES users (id),
	decided_at	TEXT,
	note		TEXT CHECK (note IS NULL OR length(note) <= 1000),
	CHECK ((status = 'pending') = (decided_by IS NULL AND
	    decided_at IS NULL))
) STRICT;

-- One pending request per rater and candidate.
CREATE UNIQUE INDEX conflict_requests_pending ON conflict_requests
	(application_id, faculty_id) WHERE status = 'pending';

CREATE INDEX conflict_requests_application ON conflict_requests
	(application_id);
