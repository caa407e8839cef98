-- 010: mail at the moments people expect.
--
-- A message may carry a calendar invitation (RFC 5545 text, CRLF line
-- ends), sent as a text/calendar part beside the text.
--
-- PostgreSQL: the same statements, instants bigint.

CALL schema_migration_begin(10, '010_mail_moments.sql');

ALTER TABLE outbox ADD COLUMN calendar text;

-- An invitation's calendar event keeps one UID (made from the
-- application's id) for its life; its SEQUENCE grows by one with every
-- booking, move or cancellation mailed, so calendars apply them in order.
-- A sequence above 0 also says the candidate has booked at some time.
ALTER TABLE interview_invitations ADD COLUMN calendar_sequence integer
	NOT NULL DEFAULT 0;

-- The one reminder to book a slot: when it went, or when it was decided
-- that none would (the candidate had answered the invitation).
ALTER TABLE interview_invitations ADD COLUMN reminded_at bigint;

-- Invitations made before this change are decided already (no reminder):
-- a booking since cancelled left no trace, and a reminder weeks after
-- the invitation would say "a few days ago".
UPDATE interview_invitations SET reminded_at = invited_at;

-- The mail process looks, every few seconds, for invitations due that
-- decision: never booked and not yet decided, oldest first.
CREATE INDEX interview_invitations_unreminded ON interview_invitations
	(invited_at) WHERE reminded_at IS NULL AND calendar_sequence = 0;

-- When a rater was last reminded of a phase's missing sheets, by any
-- reminder (staff's for the phase or for them alone, or the automatic
-- ones): staff remind one rater by hand at most once in 12 hours.
CREATE TABLE rater_reminders (
	cycle_id	bigint NOT NULL REFERENCES cycles (id),
	phase		text NOT NULL CHECK (phase IN ('screening', 'interview')),
	faculty_id	bigint NOT NULL REFERENCES users (id),
	reminded_at	bigint NOT NULL,
	PRIMARY KEY (cycle_id, phase, faculty_id)
);
