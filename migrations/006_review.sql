-- 006: review: rubrics, scoring phases, reviewer assignments, score sheets
-- with their change log, and interview days, slots, invitations and
-- bookings.
--
-- Times are Unix instants (integers) except where a wall-clock time is
-- kept as typed in the cycle's time zone.

-- A rubric is versioned: the current one of a phase is the highest
-- version; a version with submitted sheets is never changed again
-- (core/rubric.c validates the criteria, a JSON array).
CREATE TABLE rubrics (
	id		INTEGER PRIMARY KEY,
	cycle_id	INTEGER NOT NULL REFERENCES cycles (id),
	phase		TEXT NOT NULL CHECK (phase IN ('screening', 'interview')),
	version		INTEGER NOT NULL CHECK (version >= 1),
	criteria	TEXT NOT NULL,
	created_by	INTEGER REFERENCES users (id),
	created_at	INTEGER NOT NULL,
	UNIQUE (cycle_id, phase, version)
) STRICT;

-- Per cycle and phase: the scoring deadline (as typed, and as an
-- instant), whether scoring is closed, when the automatic reminder went,
-- when the last reminder sent by hand went (at most one each 12 hours),
-- and the phase's weight in the composite score.
CREATE TABLE phases (
	cycle_id	INTEGER NOT NULL REFERENCES cycles (id),
	phase		TEXT NOT NULL CHECK (phase IN ('screening', 'interview')),
	scoring_due	TEXT,
	scoring_due_at	INTEGER,
	closed_at	INTEGER,
	closed_by	INTEGER REFERENCES users (id),
	reminded_at	INTEGER,
	manual_reminded_at INTEGER,
	weight		INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 100),
	PRIMARY KEY (cycle_id, phase)
) STRICT;

-- Who reviews whom in a phase.
CREATE TABLE assignments (
	id		INTEGER PRIMARY KEY,
	cycle_id	INTEGER NOT NULL REFERENCES cycles (id),
	phase		TEXT NOT NULL CHECK (phase IN ('screening', 'interview')),
	application_id	INTEGER NOT NULL REFERENCES applications (id),
	faculty_id	INTEGER NOT NULL REFERENCES users (id),
	assigned_by	INTEGER REFERENCES users (id),
	created_at	INTEGER NOT NULL,
	UNIQUE (application_id, faculty_id, phase)
) STRICT;

CREATE INDEX assignments_faculty ON assignments (faculty_id, phase);
CREATE INDEX assignments_cycle ON assignments (cycle_id, phase);

-- One sheet per rater, candidate and phase, scored on one rubric version.
-- values is a JSON object {criterion key: integer}.
CREATE TABLE score_sheets (
	id		INTEGER PRIMARY KEY,
	cycle_id	INTEGER NOT NULL REFERENCES cycles (id),
	application_id	INTEGER NOT NULL REFERENCES applications (id),
	rater_id	INTEGER NOT NULL REFERENCES users (id),
	phase		TEXT NOT NULL CHECK (phase IN ('screening', 'interview')),
	rubric_id	INTEGER NOT NULL REFERENCES rubrics (id),
	status		TEXT NOT NULL DEFAULT 'draft'
			CHECK (status IN ('draft', 'submitted')),
	"values"	TEXT NOT NULL DEFAULT '{}',
	comment		TEXT NOT NULL DEFAULT ''
			CHECK (length(comment) <= 4000),
	version		INTEGER NOT NULL DEFAULT 1,
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL,
	submitted_at	INTEGER,
	UNIQUE (application_id, rater_id, phase)
) STRICT;

CREATE INDEX score_sheets_rubric ON score_sheets (rubric_id, status);
CREATE INDEX score_sheets_cycle ON score_sheets (cycle_id, phase, status);

-- Every change to a submitted sheet: which criterion (or "comment"), the
-- old and the new value. Append-only, like the audit log.
CREATE TABLE score_changes (
	id		INTEGER PRIMARY KEY,
	sheet_id	INTEGER NOT NULL REFERENCES score_sheets (id),
	changed_by	INTEGER NOT NULL REFERENCES users (id),
	at		INTEGER NOT NULL,
	field		TEXT NOT NULL,
	old_value	TEXT,
	new_value	TEXT
) STRICT;

CREATE INDEX score_changes_sheet ON score_changes (sheet_id);

CREATE TRIGGER score_changes_no_update BEFORE UPDATE ON score_changes
BEGIN
	SELECT RAISE(ABORT, 'score_changes is append-only');
END;

CREATE TRIGGER score_changes_no_delete BEFORE DELETE ON score_changes
BEGIN
	SELECT RAISE(ABORT, 'score_changes is append-only');
END;

-- Interview days and their slots. A slot's start is kept as typed
-- ("HH:MM" on the day, in the cycle's time zone) and as an instant.
CREATE TABLE interview_days (
	id		INTEGER PRIMARY KEY,
	cycle_id	INTEGER NOT NULL REFERENCES cycles (id),
	day		TEXT NOT NULL,
	location	TEXT NOT NULL DEFAULT ''
			CHECK (length(location) <= 200),
	created_at	INTEGER NOT NULL,
	UNIQUE (cycle_id, day)
) STRICT;

CREATE TABLE interview_slots (
	id		INTEGER PRIMARY KEY,
	day_id		INTEGER NOT NULL REFERENCES interview_days (id),
	starts		TEXT NOT NULL,
	ends		TEXT NOT NULL,
	starts_at	INTEGER NOT NULL,
	capacity	INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 50)
) STRICT;

CREATE INDEX interview_slots_day ON interview_slots (day_id);

-- One row per invited candidate: the booked slot (NULL when none) and,
-- while every slot is full, the time they joined the waitlist.
CREATE TABLE interview_invitations (
	application_id	INTEGER PRIMARY KEY REFERENCES applications (id),
	cycle_id	INTEGER NOT NULL REFERENCES cycles (id),
	invited_by	INTEGER REFERENCES users (id),
	invited_at	INTEGER NOT NULL,
	slot_id		INTEGER REFERENCES interview_slots (id),
	booked_at	INTEGER,
	waitlisted_at	INTEGER,
	CHECK (slot_id IS NULL OR waitlisted_at IS NULL)
) STRICT;

CREATE INDEX interview_invitations_slot ON interview_invitations (slot_id);
CREATE INDEX interview_invitations_cycle
	ON interview_invitations (cycle_id, waitlisted_at);

-- The last guard of a slot's capacity: the operations layer checks first,
-- inside the same write transaction, but no path may overbook.
CREATE TRIGGER interview_capacity_insert BEFORE INSERT ON
	interview_invitations WHEN NEW.slot_id IS NOT NULL AND
	(SELECT count(*) FROM interview_invitations
	 WHERE slot_id = NEW.slot_id) >=
	(SELECT capacity FROM interview_slots WHERE id = NEW.slot_id)
BEGIN
	SELECT RAISE(ABORT, 'interview slot full');
END;

CREATE TRIGGER interview_capacity_update BEFORE UPDATE OF slot_id ON
	interview_invitations WHEN NEW.slot_id IS NOT NULL AND
	NEW.slot_id IS NOT OLD.slot_id AND
	(SELECT count(*) FROM interview_invitations
	 WHERE slot_id = NEW.slot_id) >=
	(SELECT capacity FROM interview_slots WHERE id = NEW.slot_id)
BEGIN
	SELECT RAISE(ABORT, 'interview slot full');
END;
