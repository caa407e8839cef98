-- Copies of the demo's first program (bench/programs.sh): its director,
-- coordinator and six faculty, its 80 applicants and their applications,
-- documents and letters, and both its cycles with the review of this
-- year's (rubrics, phases, conflicts, assignments, score sheets,
-- interview days, slots and invitations), once for each row of the
-- table bench_copies (k, program, off) the caller fills: program is the
-- copy's program id, off is added to every id of the copy (users too),
-- and the copy's accounts are the demo's with "p<k>." before the
-- address, with the demo's password. The same statements run on SQLite
-- and PostgreSQL.

INSERT INTO programs (id, name, positions, timezone, mail_sender)
SELECT b.program, 'Bench Program ' || b.k, p.positions, p.timezone,
       'Bench Program ' || b.k
FROM bench_copies b, programs p WHERE p.id = 1;

CREATE TEMP TABLE bench_people AS
SELECT id FROM users WHERE id IN (SELECT user_id FROM memberships
                                  WHERE program_id = 1)
UNION
SELECT applicant_id FROM applications WHERE cycle_id IN
    (SELECT id FROM cycles WHERE program_id = 1);

INSERT INTO users (id, email, name, role, password_hash, disabled,
    created_at, updated_at, imported_claimable, admin)
SELECT u.id + b.off, 'p' || b.k || '.' || u.email, u.name, u.role,
       u.password_hash, u.disabled, u.created_at, u.updated_at,
       u.imported_claimable, 0
FROM bench_copies b, users u WHERE u.id IN (SELECT id FROM bench_people);

INSERT INTO memberships (user_id, program_id, role, created_at, updated_at)
SELECT m.user_id + b.off, b.program, m.role, m.created_at, m.updated_at
FROM bench_copies b, memberships m WHERE m.program_id = 1;

INSERT INTO cycles (id, program_id, year, name, positions, timezone, state,
    applications_open, applications_close, interviews_start,
    interviews_end, ranklist_due, open_at, close_at, ranklist_due_at,
    created_at, updated_at)
SELECT c.id + b.off, b.program, c.year, c.name, c.positions, c.timezone,
       c.state, c.applications_open, c.applications_close,
       c.interviews_start, c.interviews_end, c.ranklist_due, c.open_at,
       c.close_at, c.ranklist_due_at, c.created_at, c.updated_at
FROM bench_copies b, cycles c WHERE c.program_id = 1;

CREATE TEMP TABLE bench_apps AS
SELECT id FROM applications WHERE cycle_id IN
    (SELECT id FROM cycles WHERE program_id = 1);

INSERT INTO applications (id, cycle_id, applicant_id, status, fields,
    version, submitted_at, created_at, updated_at, withdrawn_at)
SELECT a.id + b.off, a.cycle_id + b.off, a.applicant_id + b.off, a.status,
       a.fields, a.version, a.submitted_at, a.created_at, a.updated_at,
       a.withdrawn_at
FROM bench_copies b, applications a WHERE a.id IN (SELECT id FROM bench_apps);

INSERT INTO documents (id, application_id, kind, sha256, size, uploaded_by,
    created_at, removed_at)
SELECT d.id + b.off, d.application_id + b.off, d.kind, d.sha256, d.size,
       d.uploaded_by + b.off, d.created_at, d.removed_at
FROM bench_copies b, documents d
WHERE d.application_id IN (SELECT id FROM bench_apps);

-- A letter's token is unique and secret: the copies have none.
INSERT INTO letters (id, application_id, writer_name, writer_email, waived,
    status, token_hash, token_expires_at, requested_at, reminded_at,
    received_at, sha256, size)
SELECT l.id + b.off, l.application_id + b.off, l.writer_name,
       l.writer_email, l.waived, l.status, NULL, l.token_expires_at,
       l.requested_at, l.reminded_at, l.received_at, l.sha256, l.size
FROM bench_copies b, letters l
WHERE l.application_id IN (SELECT id FROM bench_apps);

INSERT INTO conflicts (id, application_id, faculty_id, kind, reason,
    recorded_by, created_at)
SELECT c.id + b.off, c.application_id + b.off, c.faculty_id + b.off, c.kind,
       c.reason, c.recorded_by + b.off, c.created_at
FROM bench_copies b, conflicts c
WHERE c.application_id IN (SELECT id FROM bench_apps);

INSERT INTO rubrics (id, cycle_id, phase, version, criteria, created_by,
    created_at)
SELECT r.id + b.off, r.cycle_id + b.off, r.phase, r.version, r.criteria,
       r.created_by + b.off, r.created_at
FROM bench_copies b, rubrics r
WHERE r.cycle_id IN (SELECT id FROM cycles WHERE program_id = 1);

INSERT INTO phases (cycle_id, phase, scoring_due, scoring_due_at, closed_at,
    closed_by, reminded_at, manual_reminded_at, weight,
    overdue_reminded_at)
SELECT p.cycle_id + b.off, p.phase, p.scoring_due, p.scoring_due_at,
       p.closed_at, p.closed_by + b.off, p.reminded_at,
       p.manual_reminded_at, p.weight, p.overdue_reminded_at
FROM bench_copies b, phases p
WHERE p.cycle_id IN (SELECT id FROM cycles WHERE program_id = 1);

INSERT INTO assignments (id, cycle_id, phase, application_id, faculty_id,
    assigned_by, created_at)
SELECT a.id + b.off, a.cycle_id + b.off, a.phase, a.application_id + b.off,
       a.faculty_id + b.off, a.assigned_by + b.off, a.created_at
FROM bench_copies b, assignments a
WHERE a.application_id IN (SELECT id FROM bench_apps);

INSERT INTO score_sheets (id, cycle_id, application_id, rater_id, phase,
    rubric_id, status, "values", comment, version, created_at, updated_at,
    submitted_at)
SELECT s.id + b.off, s.cycle_id + b.off, s.application_id + b.off,
       s.rater_id + b.off, s.phase, s.rubric_id + b.off, s.status,
       s."values", s.comment, s.version, s.created_at, s.updated_at,
       s.submitted_at
FROM bench_copies b, score_sheets s
WHERE s.application_id IN (SELECT id FROM bench_apps);

INSERT INTO interview_days (id, cycle_id, day, location, created_at)
SELECT d.id + b.off, d.cycle_id + b.off, d.day, d.location, d.created_at
FROM bench_copies b, interview_days d
WHERE d.cycle_id IN (SELECT id FROM cycles WHERE program_id = 1);

INSERT INTO interview_slots (id, day_id, starts, ends, starts_at, capacity)
SELECT s.id + b.off, s.day_id + b.off, s.starts, s.ends, s.starts_at,
       s.capacity
FROM bench_copies b, interview_slots s
WHERE s.day_id IN (SELECT id FROM interview_days WHERE cycle_id IN
    (SELECT id FROM cycles WHERE program_id = 1));

INSERT INTO interview_invitations (application_id, cycle_id, invited_by,
    invited_at, slot_id, booked_at, waitlisted_at, calendar_sequence,
    reminded_at)
SELECT i.application_id + b.off, i.cycle_id + b.off, i.invited_by + b.off,
       i.invited_at, i.slot_id + b.off, i.booked_at, i.waitlisted_at,
       i.calendar_sequence, i.reminded_at
FROM bench_copies b, interview_invitations i
WHERE i.application_id IN (SELECT id FROM bench_apps);

DROP TABLE bench_people;
DROP TABLE bench_apps;
