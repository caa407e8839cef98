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
--
-- PostgreSQL: the same triggers, row by row (a statement changing three
-- rows moves the counter by three, as in SQLite), all through one
-- function; the counter is bigint. Its one row also orders the
-- transactions that move it: each waits for the one before to end.

CALL schema_migration_begin(14, '014_ranking_epoch.sql');

CREATE TABLE ranking_epoch (
	id	integer PRIMARY KEY CHECK (id = 1),
	n	bigint NOT NULL
);

INSERT INTO ranking_epoch (id, n) VALUES (1, 0);

CREATE FUNCTION ranking_epoch_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE ranking_epoch SET n = n + 1 WHERE id = 1;
	RETURN NULL;
END;
$$;

CREATE TRIGGER ranking_epoch_cycles_insert AFTER INSERT ON cycles
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_cycles_update AFTER UPDATE ON cycles
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_cycles_delete AFTER DELETE ON cycles
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_applications_insert AFTER INSERT ON applications
	FOR EACH ROW WHEN (NEW.status = 'submitted')
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_applications_update AFTER UPDATE ON applications
	FOR EACH ROW WHEN (NEW.status = 'submitted' OR OLD.status = 'submitted')
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_applications_delete AFTER DELETE ON applications
	FOR EACH ROW WHEN (OLD.status = 'submitted')
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_conflicts_insert AFTER INSERT ON conflicts
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_conflicts_update AFTER UPDATE ON conflicts
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_conflicts_delete AFTER DELETE ON conflicts
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_rubrics_insert AFTER INSERT ON rubrics
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_rubrics_update AFTER UPDATE ON rubrics
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_rubrics_delete AFTER DELETE ON rubrics
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_phases_insert AFTER INSERT ON phases
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_phases_update AFTER UPDATE ON phases
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_phases_delete AFTER DELETE ON phases
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_interview_invitations_insert AFTER INSERT ON interview_invitations
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_interview_invitations_update AFTER UPDATE ON interview_invitations
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_interview_invitations_delete AFTER DELETE ON interview_invitations
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_ranklist_versions_insert AFTER INSERT ON ranklist_versions
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_ranklist_versions_update AFTER UPDATE ON ranklist_versions
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_ranklist_versions_delete AFTER DELETE ON ranklist_versions
	FOR EACH ROW
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_score_sheets_insert AFTER INSERT ON score_sheets
	FOR EACH ROW WHEN (NEW.status = 'submitted')
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_score_sheets_update AFTER UPDATE ON score_sheets
	FOR EACH ROW WHEN (NEW.status = 'submitted' OR OLD.status = 'submitted')
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_score_sheets_delete AFTER DELETE ON score_sheets
	FOR EACH ROW WHEN (OLD.status = 'submitted')
	EXECUTE FUNCTION ranking_epoch_move();

CREATE TRIGGER ranking_epoch_users_name AFTER UPDATE OF name ON users
	FOR EACH ROW EXECUTE FUNCTION ranking_epoch_move();
