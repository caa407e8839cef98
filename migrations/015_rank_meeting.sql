-- 015: the rank meeting.
--
-- Before the director certifies the rank list, the faculty discuss the
-- candidates in a rank meeting. Starting one locks a snapshot of what
-- the discussion starts from: every submitted sheet of the cycle (its
-- candidate, rater, phase, weighted score, item scores, comment and
-- version) and the composite order (composite and place per candidate),
-- with the agenda worked out then (core/meeting.h). The program writes
-- these JSON texts; like a certified rank list's snapshot (012) they are
-- never changed. One meeting is open per cycle at a time; an ended one
-- stays as it was.

CREATE TABLE rank_meetings (
	id		INTEGER PRIMARY KEY,
	cycle_id	INTEGER NOT NULL REFERENCES cycles (id),
	started_by	INTEGER NOT NULL REFERENCES users (id),
	started_at	INTEGER NOT NULL,
	ended_by	INTEGER REFERENCES users (id),
	ended_at	INTEGER,
	-- {sheets:[...], order:[...]}
	snapshot	TEXT NOT NULL CHECK (substr(snapshot, 1, 1) = '{'),
	-- [{application_id, name, rank, reasons:[...]}] in composite order
	agenda		TEXT NOT NULL CHECK (substr(agenda, 1, 1) = '['),
	CHECK ((ended_by IS NULL) = (ended_at IS NULL))
) STRICT;

CREATE UNIQUE INDEX rank_meetings_open ON rank_meetings (cycle_id)
	WHERE ended_at IS NULL;

-- What was started is kept: only the end may be written, once.
CREATE TRIGGER rank_meetings_kept BEFORE UPDATE ON rank_meetings
	WHEN OLD.ended_at IS NOT NULL OR NEW.snapshot IS NOT OLD.snapshot OR
	NEW.agenda IS NOT OLD.agenda OR NEW.cycle_id IS NOT OLD.cycle_id OR
	NEW.started_by IS NOT OLD.started_by OR
	NEW.started_at IS NOT OLD.started_at
BEGIN
	SELECT RAISE(ABORT, 'a rank meeting is kept as it was started');
END;

CREATE TRIGGER rank_meetings_no_delete BEFORE DELETE ON rank_meetings
BEGIN
	SELECT RAISE(ABORT, 'rank meetings are kept');
END;

-- The agenda's candidates marked as discussed (or unmarked), by whom and
-- when; one row per meeting and candidate, the latest mark.
CREATE TABLE rank_meeting_items (
	meeting_id	INTEGER NOT NULL REFERENCES rank_meetings (id),
	application_id	INTEGER NOT NULL REFERENCES applications (id),
	discussed	INTEGER NOT NULL CHECK (discussed IN (0, 1)),
	set_by		INTEGER NOT NULL REFERENCES users (id),
	set_at		INTEGER NOT NULL,
	PRIMARY KEY (meeting_id, application_id)
) STRICT;

-- Every change to a sheet while a meeting is open, written in the same
-- transaction as the change: the sheet as it stood before and after
-- ({status, score, values, comment}; NULL before a first submission).
-- kind: edit (a submitted sheet changed), submit (a sheet submitted),
-- conflict (a conflict recorded: the sheet stops counting), conflict_removed
-- (it counts again). Append-only.
CREATE TABLE rank_meeting_changes (
	id		INTEGER PRIMARY KEY,
	meeting_id	INTEGER NOT NULL REFERENCES rank_meetings (id),
	sheet_id	INTEGER NOT NULL REFERENCES score_sheets (id),
	changed_by	INTEGER NOT NULL REFERENCES users (id),
	at		INTEGER NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('edit', 'submit',
			'conflict', 'conflict_removed')),
	before		TEXT CHECK (before IS NULL OR substr(before, 1, 1) = '{'),
	after		TEXT NOT NULL CHECK (substr(after, 1, 1) = '{')
) STRICT;

CREATE INDEX rank_meeting_changes_meeting ON rank_meeting_changes
	(meeting_id, id);

CREATE TRIGGER rank_meeting_changes_no_update BEFORE UPDATE ON
	rank_meeting_changes
BEGIN
	SELECT RAISE(ABORT, 'rank_meeting_changes is append-only');
END;

CREATE TRIGGER rank_meeting_changes_no_delete BEFORE DELETE ON
	rank_meeting_changes
BEGIN
	SELECT RAISE(ABORT, 'rank_meeting_changes is append-only');
END;
