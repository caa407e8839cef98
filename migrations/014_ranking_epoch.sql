-- 014: a counter of changes that move the ranking.
--
-- The ranking of a cycle (ops/ranking.c) is kept, per worker, between
-- requests and built again only when something it is built from has
-- changed: a submitted score sheet, a conflict, a rubric, a phase's
-- weight, an application, an invitation to interview, a cycle's
-- positions, a version of the rank list, or a person's name. Every such
-- change moves this one counter, in the same transaction, so that every
-- connection of every worker sees it at its next read. Drafts of score
-- sheets and applications do not count: they are not in the ranking.

CREATE TABLE ranking_epoch (
	id	INTEGER PRIMARY KEY CHECK (id = 1),
	n	INTEGER NOT NULL
) STRICT;

INSERT INTO ranking_epoch (id, n) VALUES (1, 0);

CREATE TRIGGER ranking_epoch_cycles_insert AFTER INSERT ON cycles
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_cycles_update AFTER UPDATE ON cycles
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_cycles_delete AFTER DELETE ON cycles
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_applications_insert AFTER INSERT ON applications
WHEN NEW.status = 'submitted'
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_applications_update AFTER UPDATE ON applications
WHEN NEW.status = 'submitted' OR OLD.status = 'submitted'
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_applications_delete AFTER DELETE ON applications
WHEN OLD.status = 'submitted'
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_conflicts_insert AFTER INSERT ON conflicts
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_conflicts_update AFTER UPDATE ON conflicts
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_conflicts_delete AFTER DELETE ON conflicts
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_rubrics_insert AFTER INSERT ON rubrics
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_rubrics_update AFTER UPDATE ON rubrics
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_rubrics_delete AFTER DELETE ON rubrics
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_phases_insert AFTER INSERT ON phases
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_phases_update AFTER UPDATE ON phases
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_phases_delete AFTER DELETE ON phases
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_interview_invitations_insert AFTER INSERT ON interview_invitations
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_interview_invitations_update AFTER UPDATE ON interview_invitations
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_interview_invitations_delete AFTER DELETE ON interview_invitations
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_ranklist_versions_insert AFTER INSERT ON ranklist_versions
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_ranklist_versions_update AFTER UPDATE ON ranklist_versions
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_ranklist_versions_delete AFTER DELETE ON ranklist_versions
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_score_sheets_insert AFTER INSERT ON score_sheets
WHEN NEW.status = 'submitted'
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_score_sheets_update AFTER UPDATE ON score_sheets
WHEN NEW.status = 'submitted' OR OLD.status = 'submitted'
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_score_sheets_delete AFTER DELETE ON score_sheets
WHEN OLD.status = 'submitted'
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ranking_epoch_users_name AFTER UPDATE OF name ON users
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
END;
