"""The PostgreSQL schema (migrations/pg) against the SQLite one
(migrations/), on a cluster this module starts.

The SQLite database is the program's own: `fellowctl migrate` into a
temporary DATA_DIR. The PostgreSQL database is migrations/pg applied in
order, each file in a transaction (pgcluster.Cluster.migrate). Then:

- the same tables, with the same columns in the same order, the same
  NOT NULLs and defaults, foreign keys, unique keys, named indexes and
  triggers, and the same schema_migrations rows;
- every trigger's rule: the same statements, after the same setup, are
  refused on both with the same message, or pass on both; the ranking's
  change counter (ranking_epoch, 014) moves by the same amount on both;
- CHECK, UNIQUE and FOREIGN KEY refusals on both for the same rows;
- statements that read JSON and compare e-mail addresses without case
  give the same answers on both;
- the data migrations (008, 010, 012, 016) change the same rows the
  same way;
- pg_dump --schema-only of a fresh database is the committed text
  tests/fixtures/schema/pg/NNN.sql (GOLDEN_UPDATE=1 writes it).

Each case runs in a transaction rolled back afterwards, on both.
"""
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile

import pytest

from pgcluster import Cluster, PsqlError, migrations, psql_result, wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
LATEST = migrations()[-1][0]
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "schema", "pg",
                       "%03d.sql" % LATEST)
FIXTURE_HEADER = ("-- Schema %03d on PostgreSQL: pg_dump --schema-only of "
                  "migrations/pg, written by\n-- tests/pg/test_schema.py "
                  "with GOLDEN_UPDATE=1; do not edit.\n" % LATEST)

# The rows every case starts from, in SQL both backends take as it is.
BASE = """
INSERT INTO users (id, email, name, role) VALUES
    (1, 'd@x.test', 'Dr. Director', 'director'),
    (2, 'f@x.test', 'Dr. Faculty', 'faculty'),
    (3, 'a@x.test', 'Ann Applicant', 'applicant'),
    (4, 'b@x.test', 'Ben Applicant', 'applicant'),
    (5, 'c@x.test', 'Cy Coordinator', 'coordinator'),
    (6, 'e@x.test', 'Eve Applicant', 'applicant');
INSERT INTO cycles (id, year, name, applications_open, applications_close,
    interviews_start, interviews_end, ranklist_due, open_at, close_at,
    ranklist_due_at) VALUES (1, 2027, 'Cycle 2027', '2026-09-01',
    '2026-11-01T17:00', '2027-01-10', '2027-02-10', '2027-03-01T23:59',
    1, 2, 3);
INSERT INTO applications (id, cycle_id, applicant_id, status, fields)
    VALUES (1, 1, 3, 'submitted',
    '{"first_name": "Ann", "last_name": "Applicant", "year": 2020}'),
    (2, 1, 4, 'draft', '{}'), (3, 1, 6, 'draft', '{}');
INSERT INTO rubrics (id, cycle_id, phase, version, criteria, created_at)
    VALUES (1, 1, 'screening', 1, '[]', 0);
INSERT INTO phases (cycle_id, phase, weight) VALUES (1, 'screening', 50);
INSERT INTO score_sheets (id, cycle_id, application_id, rater_id, phase,
    rubric_id, status, created_at, updated_at) VALUES
    (1, 1, 1, 2, 'screening', 1, 'submitted', 0, 0),
    (2, 1, 2, 2, 'screening', 1, 'draft', 0, 0);
INSERT INTO score_changes (id, sheet_id, changed_by, at, field, old_value,
    new_value) VALUES (1, 1, 2, 0, 'comment', '', 'Good.');
INSERT INTO audit_log (id, actor_id, action, object, detail)
    VALUES (1, 1, 'user.create', 'user:2', '{"role": "faculty"}');
INSERT INTO interview_days (id, cycle_id, day, created_at)
    VALUES (1, 1, '2027-01-20', 0);
INSERT INTO interview_slots (id, day_id, starts, ends, starts_at, capacity)
    VALUES (1, 1, '09:00', '10:00', 0, 1), (2, 1, '10:00', '11:00', 0, 2),
    (3, 1, '11:00', '12:00', 0, 1);
INSERT INTO interview_invitations (application_id, cycle_id, invited_at,
    slot_id) VALUES (1, 1, 0, 1);
INSERT INTO ranklist_versions (id, cycle_id, version, kind, entries,
    created_at) VALUES (1, 1, 1, 'draft', '[]', 0);
INSERT INTO rank_meetings (id, cycle_id, started_by, started_at, snapshot,
    agenda) VALUES (1, 1, 1, 0, '{"sheets": []}',
    '[{"application_id": 1}, {"application_id": 2}]');
INSERT INTO rank_meeting_changes (id, meeting_id, sheet_id, changed_by, at,
    kind, after) VALUES (1, 1, 1, 2, 0, 'edit', '{}');
INSERT INTO letters (id, application_id, writer_name, writer_email, waived)
    VALUES (1, 1, 'Dr. Writer', 'w@x.test', 1);
INSERT INTO letter_mails (id, applicant_id, letter_id, address, kind,
    sent_at) VALUES (1, 3, 1, 'W@x.test', 'request', 0);
"""

# A given id does not move an identity's sequence on PostgreSQL (SQLite
# takes the largest id plus one): after rows with given ids, the
# sequences are set past them.
PG_SEQUENCES = """
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'id'
        AND is_identity = 'YES'
    LOOP
        EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''),'
            ' (SELECT coalesce(max(id), 0) + 1 FROM %I), false)', t, t);
    END LOOP;
END;
$$;
"""


class D:
    """A statement written differently for each backend."""

    def __init__(self, sqlite, pg):
        self.sqlite = sqlite
        self.pg = pg


def text_for(stmt, backend):
    return getattr(stmt, backend) if isinstance(stmt, D) else stmt


# -- the two backends ------------------------------------------------------

@pytest.fixture(scope="module")
def sqlite_path():
    """The program's own SQLite schema (fellowctl migrate) with BASE."""
    ctl = None
    for v in ("san", "."):
        p = os.path.join(ROOT, "build", v, "fellowctl")
        if os.access(p, os.X_OK):
            ctl = p
            break
    assert ctl, "build/san/fellowctl is missing: run make san first"
    tmp = tempfile.mkdtemp(prefix="fellowship-sqlite.")
    env = dict(os.environ, DATA_DIR=tmp)
    subprocess.run([ctl, "migrate"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    path = os.path.join(tmp, "fellowship.db")
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=ON")
    con.executescript(BASE)
    con.commit()
    con.close()
    yield path
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def pg():
    """A cluster with database "fellowship": migrations/pg, then BASE."""
    with Cluster() as c:
        c.createdb("fellowship")
        c.createdb("fresh")
        c.migrate("fellowship")
        c.migrate("fresh")
        c.psql(BASE + PG_SEQUENCES, db="fellowship", single=True)
        yield c


def sqlite_connect(path):
    con = sqlite3.connect(path, isolation_level=None)
    # As the program's connections are (src/store/db.c).
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA trusted_schema=OFF")
    return con


def sqlite_refusal(msg):
    for prefix, kind in (("CHECK constraint failed", "check"),
                         ("UNIQUE constraint failed", "unique"),
                         ("FOREIGN KEY constraint failed", "foreign key"),
                         ("NOT NULL constraint failed", "not null")):
        if msg.startswith(prefix):
            return kind
    return msg


PG_KINDS = {"23514": "check", "23505": "unique", "23503": "foreign key",
            "23502": "not null"}


def pg_refusal(err):
    if err.sqlstate in PG_KINDS:
        return PG_KINDS[err.sqlstate]
    # A rule's refusal is a constraint violation, as SQLite's RAISE(ABORT).
    assert err.sqlstate == "23000", (err.sqlstate, err.message)
    return err.message


def on_sqlite(path, setup, stmt):
    """("ok", how far ranking_epoch moved) or ("refused", kind or the
    rule's message), in a transaction rolled back."""
    con = sqlite_connect(path)
    try:
        con.execute("BEGIN")
        for s in setup:
            con.execute(text_for(s, "sqlite"))
        before = con.execute("SELECT n FROM ranking_epoch").fetchone()[0]
        try:
            con.execute(text_for(stmt, "sqlite"))
        except sqlite3.DatabaseError as e:
            return ("refused", sqlite_refusal(str(e)))
        after = con.execute("SELECT n FROM ranking_epoch").fetchone()[0]
        return ("ok", after - before)
    finally:
        if con.in_transaction:
            con.execute("ROLLBACK")
        con.close()


def on_pg(pg, setup, stmt):
    """As on_sqlite, on PostgreSQL, in one psql run."""
    script = ["BEGIN;"] + ["%s;" % text_for(s, "pg") for s in setup] + [
        "SELECT 'epoch=' || n FROM ranking_epoch;",
        "%s;" % text_for(stmt, "pg"),
        "SELECT 'epoch=' || n FROM ranking_epoch;", "ROLLBACK;"]
    res = pg.psql("\n".join(script), db="fellowship", check=False)
    if isinstance(res, PsqlError):
        # Refused by the statement, not by the setup before it.
        assert res.stdout.count("epoch=") == 1, str(res)
        return ("refused", pg_refusal(res))
    n = [int(x) for x in re.findall(r"^epoch=(\d+)$", res, re.M)]
    assert len(n) == 2, res
    return ("ok", n[1] - n[0])


# -- the schema ------------------------------------------------------------

def sqlite_tables(con):
    return [t for (t,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
        "LIKE 'sqlite_%' ORDER BY name")]


def test_same_tables_columns_not_null_and_defaults(sqlite_path, pg):
    con = sqlite_connect(sqlite_path)
    want = {}
    for t in sqlite_tables(con):
        # A primary key column cannot be NULL in SQLite either (STRICT
        # tables, and INTEGER PRIMARY KEY is the rowid).
        want[t] = [(name, bool(notnull or pk), dflt is not None)
                   for _, name, _, notnull, dflt, pk in con.execute(
                       'PRAGMA table_info("%s")' % t)]
    con.close()
    got = {}
    for line in pg.psql(
            "SELECT table_name, column_name, is_nullable, column_default "
            "IS NOT NULL FROM information_schema.columns WHERE table_schema"
            " = 'public' ORDER BY table_name, ordinal_position",
            db="fresh").splitlines():
        t, c, nullable, dflt = line.split("|")
        got.setdefault(t, []).append((c, nullable == "NO", dflt == "t"))
    assert sorted(got) == sorted(want)
    for t in want:
        assert got[t] == want[t], t


def test_same_foreign_keys(sqlite_path, pg):
    con = sqlite_connect(sqlite_path)
    want = set()
    for t in sqlite_tables(con):
        fks = {}
        for (fid, _, parent, col, to, _, on_delete,
             _) in con.execute('PRAGMA foreign_key_list("%s")' % t):
            f = fks.setdefault(fid, [parent, [], [], on_delete])
            f[1].append(col)
            f[2].append(to)
        for parent, cols, tos, on_delete in fks.values():
            want.add((t, ",".join(cols), parent, ",".join(tos), on_delete))
    con.close()
    actions = {"a": "NO ACTION", "c": "CASCADE", "r": "RESTRICT",
               "n": "SET NULL", "d": "SET DEFAULT"}
    got = set()
    for line in pg.psql("""
        SELECT c.conrelid::regclass::text,
            (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM
             unnest(c.conkey) WITH ORDINALITY k (n, i) JOIN pg_attribute a
             ON a.attrelid = c.conrelid AND a.attnum = k.n),
            c.confrelid::regclass::text,
            (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM
             unnest(c.confkey) WITH ORDINALITY k (n, i) JOIN pg_attribute a
             ON a.attrelid = c.confrelid AND a.attnum = k.n),
            c.confdeltype
        FROM pg_constraint c WHERE c.contype = 'f'
        AND c.connamespace = 'public'::regnamespace""",
                        db="fresh").splitlines():
        t, cols, parent, tos, on_delete = line.split("|")
        got.add((t, cols, parent, tos, actions[on_delete]))
    assert got == want
    assert len(want) > 40


def test_same_keys_and_indexes(sqlite_path, pg):
    """Every primary key, unique key and index on the same columns, unique
    or not, partial or not; the indexes the migrations name, by name."""
    con = sqlite_connect(sqlite_path)
    want = set()
    for t in sqlite_tables(con):
        pk = [name for _, name, _, _, _, k in sorted(
            con.execute('PRAGMA table_info("%s")' % t), key=lambda r: r[5])
              if k]
        if pk:
            want.add((t, ",".join(pk), True, False, None))
        for _, name, unique, origin, partial in con.execute(
                'PRAGMA index_list("%s")' % t):
            if origin == "pk":
                continue
            cols = ",".join(r[2] for r in con.execute(
                'PRAGMA index_info("%s")' % name))
            want.add((t, cols, bool(unique), bool(partial),
                      name if origin == "c" else None))
    con.close()
    got = set()
    for line in pg.psql("""
        SELECT t.relname, (SELECT string_agg(a.attname, ',' ORDER BY k.i)
             FROM unnest(x.indkey::int2[]) WITH ORDINALITY k (n, i)
             JOIN pg_attribute a ON a.attrelid = x.indrelid
             AND a.attnum = k.n),
            x.indisunique, x.indpred IS NOT NULL,
            CASE WHEN EXISTS (SELECT 1 FROM pg_constraint c
                WHERE c.conindid = x.indexrelid) THEN '' ELSE i.relname END
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relnamespace = 'public'::regnamespace""",
                        db="fresh").splitlines():
        t, cols, unique, partial, name = line.split("|")
        got.add((t, cols, unique == "t", partial == "t", name or None))
    assert got == want


def sqlite_triggers(path):
    con = sqlite_connect(path)
    names = {n for (n,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    con.close()
    return names


def test_same_triggers(sqlite_path, pg):
    """Each SQLite trigger has its namesake; PostgreSQL adds only the
    TRUNCATE guards of the append-only tables."""
    got = set(pg.psql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
                      db="fresh").split())
    extra = {n for n in got if n.endswith("_no_truncate")}
    assert got - extra == sqlite_triggers(sqlite_path)
    assert extra == {"audit_log_no_truncate", "score_changes_no_truncate",
                     "ranklist_versions_no_truncate",
                     "rank_meetings_no_truncate",
                     "rank_meeting_changes_no_truncate"}


def test_same_migrations_recorded(sqlite_path, pg):
    con = sqlite_connect(sqlite_path)
    want = ["%d|%s" % r for r in con.execute(
        "SELECT version, name FROM schema_migrations ORDER BY version")]
    con.close()
    got = pg.psql("SELECT version, name FROM schema_migrations ORDER BY "
                  "version", db="fresh").split()
    assert got == want, "each migrations/NNN_x.sql needs its twin " \
        "migrations/pg/NNN_x.sql"
    assert len(got) == LATEST


def leading_comment(path):
    lines = []
    with open(path) as f:
        for line in f:
            if not line.startswith("--"):
                break
            lines.append(line)
    return lines


@pytest.mark.parametrize("path", [p for _, p in migrations()],
                         ids=os.path.basename)
def test_twin_starts_with_the_same_header(path):
    """The SQLite file's header, then what differs on PostgreSQL."""
    lite = leading_comment(os.path.join(ROOT, "migrations",
                                        os.path.basename(path)))
    mine = leading_comment(path)
    assert lite and mine[:len(lite)] == lite
    assert any(x.startswith("-- PostgreSQL: ") for x in mine[len(lite):])


def test_a_migration_out_of_order_is_refused(pg):
    """A file applied again, or before the one it follows, changes
    nothing."""
    for v, path in (migrations()[LATEST - 1], migrations()[0]):
        err = pg.psql(db="fresh", file=path, single=True, check=False)
        assert isinstance(err, PsqlError)
        assert "needs schema version %d, the database is at %d" % (
            v - 1, LATEST) in err.message
    assert pg.schema_version("fresh") == LATEST


# -- the rules -------------------------------------------------------------

class Case:
    def __init__(self, name, stmt, expect=None, setup=(), delta=None,
                 covers=()):
        self.name = name
        self.stmt = stmt
        self.setup = setup
        # None: passes (moving ranking_epoch by delta when given); a
        # string: refused, with that kind or rule's message.
        self.expect = ("ok", delta) if expect is None else (
            "refused", expect)
        self.covers = covers


APPEND_ONLY = "%s is append-only"
NO_GUARD = {
    "ranklist_versions_no_update": D(
        "DROP TRIGGER ranklist_versions_no_update",
        "DROP TRIGGER ranklist_versions_no_update ON ranklist_versions"),
    "ranklist_versions_no_delete": D(
        "DROP TRIGGER ranklist_versions_no_delete",
        "DROP TRIGGER ranklist_versions_no_delete ON ranklist_versions"),
}
NEW_CYCLE = ("INSERT INTO cycles (id, year, name, applications_open, "
             "applications_close, interviews_start, interviews_end, "
             "ranklist_due, open_at, close_at, ranklist_due_at) VALUES (2, "
             "2028, 'Cycle 2028', 'a', 'b', 'c', 'd', 'e', 1, 2, 3)")
END_MEETING = ("UPDATE rank_meetings SET ended_by = 1, ended_at = 9 "
               "WHERE id = 1")

RULES = [
    # 018: programs as tenants.
    Case("an applicant given a role in a program",
         "INSERT INTO memberships (user_id, program_id, role) VALUES "
         "(3, 1, 'faculty')", "an applicant has no role in a program",
         covers=["memberships_staff_only"]),
    Case("a staff role in a program", "INSERT INTO memberships (user_id, "
         "program_id, role) VALUES (2, 1, 'faculty')", delta=0),
    Case("a cycle of no program", "INSERT INTO cycles (year, name, "
         "applications_open, applications_close, interviews_start, "
         "interviews_end, ranklist_due, open_at, close_at, ranklist_due_at, "
         "program_id) VALUES (2028, 'Nowhere', '2027-09-01', '2027-11-01', "
         "'2028-01-10', '2028-02-10', '2028-03-01', 1, 2, 3, 99)",
         "no such program", covers=["cycles_program_exists"]),
    Case("a cycle moved to another program",
         "UPDATE cycles SET program_id = 2 WHERE id = 1",
         "a cycle stays in its program", covers=["cycles_program_fixed"]),
    # 001: the audit log is append-only.
    Case("audit_log update", "UPDATE audit_log SET action = 'x' WHERE id = 1",
         APPEND_ONLY % "audit_log", covers=["audit_log_no_update"]),
    Case("audit_log delete", "DELETE FROM audit_log WHERE id = 1",
         APPEND_ONLY % "audit_log", covers=["audit_log_no_delete"]),
    Case("audit_log insert", "INSERT INTO audit_log (actor_id, action, "
         "object, detail) VALUES (1, 'user.login', 'user:1', NULL)",
         delta=0),
    # 006: the score sheets' change log is append-only.
    Case("score_changes update",
         "UPDATE score_changes SET new_value = 'x' WHERE id = 1",
         APPEND_ONLY % "score_changes", covers=["score_changes_no_update"]),
    Case("score_changes delete", "DELETE FROM score_changes",
         APPEND_ONLY % "score_changes", covers=["score_changes_no_delete"]),
    Case("score_changes insert", "INSERT INTO score_changes (sheet_id, "
         "changed_by, at, field, old_value, new_value) VALUES "
         "(1, 2, 5, 'clinical', '3', '4')", delta=0),
    # 006: no slot takes more candidates than its capacity.
    Case("booking a full slot", "INSERT INTO interview_invitations "
         "(application_id, cycle_id, invited_at, slot_id) VALUES "
         "(2, 1, 0, 1)", "interview slot full",
         covers=["interview_capacity_insert"]),
    Case("booking a slot with room", "INSERT INTO interview_invitations "
         "(application_id, cycle_id, invited_at, slot_id) VALUES "
         "(2, 1, 0, 2)", delta=1),
    Case("an invitation without a slot", "INSERT INTO interview_invitations "
         "(application_id, cycle_id, invited_at, waitlisted_at) VALUES "
         "(2, 1, 0, 7)", delta=1),
    Case("two bookings in one statement, one place",
         "INSERT INTO interview_invitations (application_id, cycle_id, "
         "invited_at, slot_id) VALUES (2, 1, 0, 3), (3, 1, 0, 3)",
         "interview slot full"),
    Case("two bookings in one statement, two places",
         "INSERT INTO interview_invitations (application_id, cycle_id, "
         "invited_at, slot_id) VALUES (2, 1, 0, 2), (3, 1, 0, 2)", delta=2),
    Case("moving into a full slot",
         "UPDATE interview_invitations SET slot_id = 1 "
         "WHERE application_id = 2",
         "interview slot full", setup=[
             "INSERT INTO interview_invitations (application_id, cycle_id, "
             "invited_at) VALUES (2, 1, 0)"],
         covers=["interview_capacity_update"]),
    Case("staying in one's full slot",
         "UPDATE interview_invitations SET slot_id = 1, booked_at = 4 "
         "WHERE application_id = 1", delta=1),
    Case("moving to a slot with room",
         "UPDATE interview_invitations SET slot_id = 2 "
         "WHERE application_id = 1", delta=1),
    Case("moving everyone into a slot of one",
         "UPDATE interview_invitations SET slot_id = 3", "interview slot full",
         setup=["INSERT INTO interview_invitations (application_id, "
                "cycle_id, invited_at, slot_id) VALUES (2, 1, 0, 2)"]),
    # 007: the rank list's versions are append-only.
    Case("ranklist_versions update",
         "UPDATE ranklist_versions SET entries = '[1]' WHERE id = 1",
         APPEND_ONLY % "ranklist_versions",
         covers=["ranklist_versions_no_update"]),
    Case("ranklist_versions delete", "DELETE FROM ranklist_versions",
         APPEND_ONLY % "ranklist_versions",
         covers=["ranklist_versions_no_delete"]),
    Case("ranklist_versions insert", "INSERT INTO ranklist_versions "
         "(cycle_id, version, kind, entries, created_at) VALUES "
         "(1, 2, 'draft', '[]', 5)", delta=1,
         covers=["ranking_epoch_ranklist_versions_insert"]),
    # The counter's triggers on the rank list cannot fire while the guards
    # stand: without them (dropped inside the case's transaction).
    Case("ranklist_versions update, unguarded",
         "UPDATE ranklist_versions SET created_at = 6",
         setup=[NO_GUARD["ranklist_versions_no_update"]], delta=1,
         covers=["ranking_epoch_ranklist_versions_update"]),
    Case("ranklist_versions delete, unguarded",
         "DELETE FROM ranklist_versions",
         setup=[NO_GUARD["ranklist_versions_no_delete"]], delta=1,
         covers=["ranking_epoch_ranklist_versions_delete"]),
    # 015: a rank meeting is kept as it was started.
    Case("ending a meeting", END_MEETING, delta=0),
    Case("ending a meeting twice",
         "UPDATE rank_meetings SET ended_at = 10 WHERE id = 1",
         "a rank meeting is kept as it was started", setup=[END_MEETING],
         covers=["rank_meetings_kept"]),
    Case("a meeting's snapshot changed",
         "UPDATE rank_meetings SET snapshot = '{\"sheets\": [1]}'",
         "a rank meeting is kept as it was started"),
    Case("a meeting's snapshot written again as it was",
         "UPDATE rank_meetings SET snapshot = snapshot, agenda = agenda",
         delta=0),
    Case("a meeting's agenda changed", "UPDATE rank_meetings SET agenda = "
         "'[]'", "a rank meeting is kept as it was started"),
    Case("a meeting moved to another cycle",
         "UPDATE rank_meetings SET cycle_id = 2",
         "a rank meeting is kept as it was started", setup=[NEW_CYCLE]),
    Case("a meeting's starter changed",
         "UPDATE rank_meetings SET started_by = 5",
         "a rank meeting is kept as it was started"),
    Case("a meeting's start changed",
         "UPDATE rank_meetings SET started_at = 1",
         "a rank meeting is kept as it was started"),
    Case("a meeting deleted", "DELETE FROM rank_meetings",
         "rank meetings are kept", covers=["rank_meetings_no_delete"]),
    Case("a second open meeting", "INSERT INTO rank_meetings (cycle_id, "
         "started_by, started_at, snapshot, agenda) VALUES "
         "(1, 1, 5, '{}', '[]')", "unique"),
    Case("a new meeting after the end", "INSERT INTO rank_meetings "
         "(cycle_id, started_by, started_at, snapshot, agenda) VALUES "
         "(1, 1, 5, '{}', '[]')", setup=[END_MEETING], delta=0),
    Case("rank_meeting_changes update",
         "UPDATE rank_meeting_changes SET kind = 'submit'",
         APPEND_ONLY % "rank_meeting_changes",
         covers=["rank_meeting_changes_no_update"]),
    Case("rank_meeting_changes delete", "DELETE FROM rank_meeting_changes",
         APPEND_ONLY % "rank_meeting_changes",
         covers=["rank_meeting_changes_no_delete"]),
    Case("rank_meeting_changes insert", "INSERT INTO rank_meeting_changes "
         "(meeting_id, sheet_id, changed_by, at, kind, before, after) "
         "VALUES (1, 1, 2, 3, 'edit', '{}', '{\"score\": 4}')", delta=0),
]

# 014: what moves the ranking's change counter, and what does not.
EPOCH = [
    Case("cycle created", NEW_CYCLE, delta=1,
         covers=["ranking_epoch_cycles_insert"]),
    Case("cycle changed", "UPDATE cycles SET positions = 3", delta=1,
         covers=["ranking_epoch_cycles_update"]),
    Case("two cycles changed", "UPDATE cycles SET positions = 3",
         setup=[NEW_CYCLE], delta=2),
    Case("cycle deleted", "DELETE FROM cycles WHERE id = 2",
         setup=[NEW_CYCLE], delta=1,
         covers=["ranking_epoch_cycles_delete"]),
    Case("draft application created", "INSERT INTO applications (cycle_id, "
         "applicant_id) VALUES (1, 5)", delta=0),
    Case("submitted application created", "INSERT INTO applications "
         "(cycle_id, applicant_id, status) VALUES (1, 5, 'submitted')",
         delta=1, covers=["ranking_epoch_applications_insert"]),
    Case("draft application changed",
         "UPDATE applications SET fields = '{\"a\": 1}' WHERE id = 2",
         delta=0),
    Case("application submitted",
         "UPDATE applications SET status = 'submitted' WHERE id = 2",
         delta=1, covers=["ranking_epoch_applications_update"]),
    Case("application withdrawn",
         "UPDATE applications SET status = 'withdrawn' WHERE id = 1",
         delta=1),
    Case("draft application deleted", "DELETE FROM applications WHERE id = 3",
         delta=0),
    Case("submitted application deleted",
         "DELETE FROM applications WHERE id = 3",
         setup=["UPDATE applications SET status = 'submitted' WHERE id = 3"],
         delta=1, covers=["ranking_epoch_applications_delete"]),
    Case("conflict recorded", "INSERT INTO conflicts (id, application_id, "
         "faculty_id, reason, recorded_by) VALUES (1, 2, 2, 'Mentor.', 1)",
         delta=1, covers=["ranking_epoch_conflicts_insert"]),
    Case("conflict changed", "UPDATE conflicts SET reason = 'Colleague.'",
         setup=["INSERT INTO conflicts (id, application_id, faculty_id, "
                "reason, recorded_by) VALUES (1, 2, 2, 'Mentor.', 1)"],
         delta=1, covers=["ranking_epoch_conflicts_update"]),
    Case("conflict removed", "DELETE FROM conflicts",
         setup=["INSERT INTO conflicts (id, application_id, faculty_id, "
                "reason, recorded_by) VALUES (1, 2, 2, 'Mentor.', 1)"],
         delta=1, covers=["ranking_epoch_conflicts_delete"]),
    Case("rubric created", "INSERT INTO rubrics (cycle_id, phase, version, "
         "criteria, created_at) VALUES (1, 'screening', 2, '[]', 0)",
         delta=1, covers=["ranking_epoch_rubrics_insert"]),
    Case("rubric changed", "UPDATE rubrics SET criteria = '[{}]'", delta=1,
         covers=["ranking_epoch_rubrics_update"]),
    Case("rubric deleted", "DELETE FROM rubrics WHERE id = 2",
         setup=["INSERT INTO rubrics (id, cycle_id, phase, version, "
                "criteria, created_at) VALUES (2, 1, 'interview', 1, '[]', "
                "0)"], delta=1, covers=["ranking_epoch_rubrics_delete"]),
    Case("phase created", "INSERT INTO phases (cycle_id, phase, weight) "
         "VALUES (1, 'interview', 50)", delta=1,
         covers=["ranking_epoch_phases_insert"]),
    Case("phase changed", "UPDATE phases SET weight = 40", delta=1,
         covers=["ranking_epoch_phases_update"]),
    Case("phase deleted", "DELETE FROM phases", delta=1,
         covers=["ranking_epoch_phases_delete"]),
    Case("candidate invited", "INSERT INTO interview_invitations "
         "(application_id, cycle_id, invited_at) VALUES (2, 1, 0)", delta=1,
         covers=["ranking_epoch_interview_invitations_insert"]),
    Case("invitation changed",
         "UPDATE interview_invitations SET booked_at = 3", delta=1,
         covers=["ranking_epoch_interview_invitations_update"]),
    Case("invitation cancelled", "DELETE FROM interview_invitations",
         delta=1, covers=["ranking_epoch_interview_invitations_delete"]),
    Case("draft sheet created", "INSERT INTO score_sheets (cycle_id, "
         "application_id, rater_id, phase, rubric_id, created_at, "
         "updated_at) VALUES (1, 3, 2, 'screening', 1, 0, 0)", delta=0),
    Case("submitted sheet created", "INSERT INTO score_sheets (cycle_id, "
         "application_id, rater_id, phase, rubric_id, status, created_at, "
         "updated_at) VALUES (1, 3, 2, 'screening', 1, 'submitted', 0, 0)",
         delta=1, covers=["ranking_epoch_score_sheets_insert"]),
    Case("draft sheet changed",
         "UPDATE score_sheets SET comment = 'x' WHERE id = 2", delta=0),
    Case("sheet submitted",
         "UPDATE score_sheets SET status = 'submitted' WHERE id = 2",
         delta=1, covers=["ranking_epoch_score_sheets_update"]),
    Case("submitted sheet changed",
         "UPDATE score_sheets SET comment = 'x' WHERE id = 1", delta=1),
    Case("draft sheet deleted", "DELETE FROM score_sheets WHERE id = 2",
         delta=0),
    Case("submitted sheet deleted", "DELETE FROM score_sheets WHERE id = 2",
         setup=["UPDATE score_sheets SET status = 'submitted' WHERE id = 2"],
         delta=1, covers=["ranking_epoch_score_sheets_delete"]),
    Case("name changed", "UPDATE users SET name = 'Dr. F' WHERE id = 2",
         delta=1, covers=["ranking_epoch_users_name"]),
    Case("name written again as it was",
         "UPDATE users SET name = name WHERE id = 2", delta=1),
    Case("address changed", "UPDATE users SET email = 'g@x.test' "
         "WHERE id = 2", delta=0),
    Case("letter received", "UPDATE letters SET status = 'received'",
         delta=0),
]

# Representative refusals of CHECK, UNIQUE and FOREIGN KEY constraints.
CONSTRAINTS = [
    Case("a role that does not exist", "INSERT INTO users (email, name, "
         "role) VALUES ('z@x.test', 'Z', 'admin')", "check"),
    Case("an address too short", "INSERT INTO users (email, name, role) "
         "VALUES ('z@', 'Z', 'faculty')", "check"),
    Case("a flag that is not 0 or 1", "UPDATE users SET disabled = 2",
         "check"),
    Case("an address taken, in other case", "INSERT INTO users (email, "
         "name, role) VALUES ('D@X.Test', 'Z', 'faculty')", "unique"),
    Case("a new account", "INSERT INTO users (email, name, role) VALUES "
         "('z@x.test', 'Z', 'faculty')", delta=0),
    Case("no positions", "UPDATE cycles SET positions = 0", "check"),
    Case("too many positions", "UPDATE cycles SET positions = 51",
         "check"),
    Case("a year out of range", "UPDATE cycles SET year = 1999", "check"),
    Case("a cycle state that does not exist",
         "UPDATE cycles SET state = 'closed'", "check"),
    Case("an application status that does not exist",
         "UPDATE applications SET status = 'pending'", "check"),
    Case("a second application to a cycle", "INSERT INTO applications "
         "(cycle_id, applicant_id) VALUES (1, 3)", "unique"),
    Case("an application to no cycle", "INSERT INTO applications "
         "(cycle_id, applicant_id) VALUES (99, 5)", "foreign key"),
    Case("a sheet status that does not exist",
         "UPDATE score_sheets SET status = 'final'", "check"),
    Case("a phase weight above 100", "UPDATE phases SET weight = 101",
         "check"),
    Case("a slot of no places", "UPDATE interview_slots SET capacity = 0",
         "check"),
    Case("booked and waitlisted", "UPDATE interview_invitations SET "
         "waitlisted_at = 5", "check"),
    Case("certified without its hash", "INSERT INTO ranklist_versions "
         "(cycle_id, version, kind, entries, created_at) VALUES "
         "(1, 2, 'certified', '[]', 0)", "check"),
    Case("acknowledged warnings on a draft", "INSERT INTO ranklist_versions "
         "(cycle_id, version, kind, entries, created_at, acknowledged) "
         "VALUES (1, 2, 'draft', '[]', 0, '[]')", "check"),
    Case("a certified snapshot that is not an array",
         "INSERT INTO ranklist_versions (cycle_id, version, kind, entries, "
         "sha256, created_at, snapshot) VALUES (1, 2, 'certified', '[]', '"
         + "0" * 64 + "', 0, '{}')", "check"),
    Case("a certified version with its snapshot",
         "INSERT INTO ranklist_versions (cycle_id, version, kind, entries, "
         "sha256, created_at, snapshot, acknowledged) VALUES (1, 2, "
         "'certified', '[]', '" + "0" * 64 + "', 0, '[]', '[]')", delta=1),
    Case("a reopening without its reason", "INSERT INTO ranklist_versions "
         "(cycle_id, version, kind, entries, created_at) VALUES "
         "(1, 2, 'reopened', '[]', 0)", "check"),
    Case("a decided request without who decided", "INSERT INTO "
         "conflict_requests (application_id, faculty_id, reason, "
         "held_because, status) VALUES (1, 2, 'r', 'h', 'accepted')",
         "check"),
    Case("two pending requests", "INSERT INTO conflict_requests "
         "(application_id, faculty_id, reason, held_because) VALUES "
         "(1, 2, 'r', 'h')", "unique", setup=[
             "INSERT INTO conflict_requests (application_id, faculty_id, "
             "reason, held_because) VALUES (1, 2, 'r', 'h')"]),
    Case("a meeting snapshot that is not an object",
         "INSERT INTO rank_meetings (cycle_id, started_by, started_at, "
         "snapshot, agenda) VALUES (1, 1, 0, '[]', '[]')", "check",
         setup=[END_MEETING]),
    Case("a meeting ended by nobody",
         "UPDATE rank_meetings SET ended_at = 9", "check"),
    Case("a meeting change of no kind", "INSERT INTO rank_meeting_changes "
         "(meeting_id, sheet_id, changed_by, at, kind, after) VALUES "
         "(1, 1, 2, 0, 'moved', '{}')", "check"),
    Case("a token hash of 31 bytes", D(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
        "last_seen_at) VALUES (zeroblob(31), 1, 'c', 0, 0)",
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
        "last_seen_at) VALUES ('\\x" + "00" * 31 + "', 1, 'c', 0, 0)"),
         "check"),
    Case("a token hash of 32 bytes", D(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
        "last_seen_at) VALUES (zeroblob(32), 1, 'c', 0, 0)",
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
        "last_seen_at) VALUES ('\\x" + "00" * 32 + "', 1, 'c', 0, 0)"),
         delta=0),
    Case("a mail status that does not exist", "INSERT INTO outbox (to_addr, "
         "subject, body, created_at, status, next_attempt_at) VALUES "
         "('a@x.test', 's', 'b', 0, 'lost', 0)", "check"),
    Case("a letter mail of no kind", "INSERT INTO letter_mails "
         "(applicant_id, letter_id, address, kind, sent_at) VALUES "
         "(3, 1, 'w@x.test', 'nudge', 0)", "check"),
    Case("a document of size 0", "INSERT INTO documents (application_id, "
         "kind, sha256, size, uploaded_by) VALUES (1, 'cv', '" + "0" * 64 +
         "', 0, 3)", "check"),
    Case("an account deleted with its sessions", "DELETE FROM users WHERE "
         "id = 6", setup=[D(
             "INSERT INTO sessions (token_hash, user_id, csrf_token, "
             "created_at, last_seen_at) VALUES (zeroblob(32), 6, 'c', 0, 0)",
             "INSERT INTO sessions (token_hash, user_id, csrf_token, "
             "created_at, last_seen_at) VALUES ('\\x" + "00" * 32 + "', 6, "
             "'c', 0, 0)"), "DELETE FROM applications WHERE id = 3"],
         delta=0),
    Case("an account deleted under its application",
         "DELETE FROM users WHERE id = 6", "foreign key"),
]


@pytest.mark.parametrize("case", RULES + EPOCH + CONSTRAINTS,
                         ids=lambda c: c.name)
def test_rule_holds_on_both(case, sqlite_path, pg):
    assert on_sqlite(sqlite_path, case.setup, case.stmt) == case.expect
    assert on_pg(pg, case.setup, case.stmt) == case.expect


def test_every_trigger_has_its_case(sqlite_path):
    covered = set()
    for c in RULES + EPOCH + CONSTRAINTS:
        covered.update(c.covers)
    assert covered == sqlite_triggers(sqlite_path)


@pytest.mark.parametrize("table,message", [
    ("audit_log", "audit_log is append-only"),
    ("score_changes", "score_changes is append-only"),
    ("ranklist_versions", "ranklist_versions is append-only"),
    ("rank_meetings", "rank meetings are kept"),
    ("rank_meeting_changes", "rank_meeting_changes is append-only")])
def test_truncate_refused_on_pg(pg, table, message):
    """SQLite has no TRUNCATE; PostgreSQL's would skip the row triggers."""
    err = pg.psql("TRUNCATE %s CASCADE" % table, db="fellowship",
                  check=False)
    assert isinstance(err, PsqlError)
    assert (err.sqlstate, err.message) == ("23000", message)


def test_capacity_holds_between_two_transactions(pg):
    """SQLite lets one transaction write at a time; PostgreSQL lets two
    book the last place of a slot at once. The second waits for the
    first (the capacity trigger locks the slot) and then finds it full."""
    pg.createdb("race")
    pg.migrate("race")
    pg.psql(BASE + PG_SEQUENCES, db="race", single=True)
    book = ("INSERT INTO interview_invitations (application_id, cycle_id, "
            "invited_at, slot_id) VALUES (%d, 1, 0, 3);")
    first = subprocess.Popen(pg.psql_argv("race"), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=pg.env())
    first.stdin.write("BEGIN;\n" + book % 2 +
                      "\nSELECT pg_sleep(1);\nCOMMIT;\n")
    first.stdin.flush()
    # The first has booked and not committed yet.
    wait_for(lambda: pg.psql(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'race' AND "
        "query LIKE 'SELECT pg_sleep%'").strip() == "1",
        "the first booking")
    second = pg.psql(book % 3, db="race", check=False)
    out, err = first.communicate()
    psql_result(subprocess.CompletedProcess(first.args, first.returncode,
                                            out, err))
    assert isinstance(second, PsqlError)
    assert (second.sqlstate, second.message) == ("23000",
                                                 "interview slot full")
    assert pg.psql("SELECT application_id FROM interview_invitations "
                   "WHERE slot_id = 3", db="race").split() == ["2"]


# Statements the program runs (src/store/statements.c) that read JSON or
# compare addresses: the same text gives the same rows on both.
SAME_ANSWER = [
    "SELECT fields ->> 'first_name', coalesce(fields ->> 'last_name', ''), "
    "fields ->> 'missing' FROM applications ORDER BY id",
    "SELECT detail ->> 'role' FROM audit_log WHERE detail ->> 'role' = "
    "'faculty'",
    "SELECT json_array_length(agenda) FROM rank_meetings",
    "SELECT id FROM users WHERE email = 'D@X.TEST'",
    "SELECT email FROM users WHERE email LIKE 'A@%'",
    "SELECT email FROM users ORDER BY email DESC",
    "SELECT count(*) FROM letter_mails WHERE address = 'w@X.TEST'",
    "SELECT 'user:' || id FROM users WHERE id = 1",
]


@pytest.mark.parametrize("query", SAME_ANSWER)
def test_same_answer_on_both(query, sqlite_path, pg):
    con = sqlite_connect(sqlite_path)
    want = ["|".join("" if v is None else str(v) for v in r)
            for r in con.execute(query)]
    con.close()
    assert want
    assert pg.psql(query, db="fellowship").splitlines() == want


def test_default_times_have_the_same_form(sqlite_path, pg):
    stmts = ["INSERT INTO audit_log (action) VALUES ('t.x')",
             "INSERT INTO users (email, name, role) VALUES ('t@x.test', 'T', "
             "'faculty')"]
    query = ("SELECT (SELECT at FROM audit_log WHERE action = 't.x') || ' ' "
             "|| (SELECT created_at FROM users WHERE email = 't@x.test')")
    con = sqlite_connect(sqlite_path)
    con.execute("BEGIN")
    for s in stmts:
        con.execute(s)
    lite = con.execute(query).fetchone()[0]
    con.execute("ROLLBACK")
    con.close()
    got = pg.psql("BEGIN;\n%s;\n%s;\n%s;\nROLLBACK;" % (
        stmts[0], stmts[1], query), db="fellowship").strip()
    day = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"
    form = "^%s\\.\\d{3}Z %sZ$" % (day, day)
    assert re.match(form, lite), lite
    assert re.match(form, got), got


# -- data migrations -------------------------------------------------------

# Rows at schema 007 that the data migrations of 008 to 016 change.
SEED_007 = """
INSERT INTO users (id, email, name, role, password_hash, disabled) VALUES
    (1, 'd@x.test', 'Dr. Director', 'director', 'h', 0),
    (10, 'true@x.test', 'Claimable', 'applicant', NULL, 1),
    (11, 'false@x.test', 'Not claimable', 'applicant', NULL, 1),
    (12, 'one@x.test', 'Claimable by 1', 'applicant', NULL, 1),
    (13, 'enabled@x.test', 'Enabled since', 'applicant', NULL, 1),
    (14, 'n14@IMPORT.INVALID', 'Placeholder', 'applicant', NULL, 1),
    (15, 'claimed@x.test', 'Claimed', 'applicant', 'h', 1),
    (16, 'string@x.test', 'Claimable as text', 'applicant', NULL, 1),
    (17, 'real@x.test', 'Claimable by 1.0', 'applicant', NULL, 1),
    (18, 'faculty@x.test', 'Faculty', 'faculty', NULL, 1);
INSERT INTO audit_log (actor_id, action, object, detail) VALUES
    (1, 'user.import', 'user:10', '{"cycle": 1, "claimable": true}'),
    (1, 'user.import', 'user:11', '{"cycle": 1, "claimable": false}'),
    (1, 'user.import', 'user:12', '{"claimable": 1}'),
    (1, 'user.import', 'user:13', '{"claimable": true}'),
    (1, 'user.enable', 'user:13', NULL),
    (1, 'user.import', 'user:14', '{"claimable": true}'),
    (1, 'user.import', 'user:15', '{"claimable": true}'),
    (1, 'user.import', 'user:16', '{"claimable": "1"}'),
    (1, 'user.import', 'user:17', '{"claimable": 1.0}'),
    (1, 'user.import', 'user:18', '{"claimable": true}');
INSERT INTO cycles (id, year, name, applications_open, applications_close,
    interviews_start, interviews_end, ranklist_due, open_at, close_at,
    ranklist_due_at) VALUES (1, 2027, 'C', 'a', 'b', 'c', 'd', 'e', 1, 2, 3),
    (2, 2028, 'D', 'a', 'b', 'c', 'd', 'e', 1, 2, 3);
INSERT INTO phases (cycle_id, phase, scoring_due_at, reminded_at, weight)
    VALUES (1, 'screening', 100, 200, 50), (1, 'interview', 100, 50, 50),
    (2, 'screening', NULL, 70, 50), (2, 'interview', 100, 100, 50);
INSERT INTO applications (id, cycle_id, applicant_id, status, updated_at)
    VALUES (1, 1, 10, 'withdrawn', '2026-12-01T10:00:00Z'),
    (2, 1, 11, 'submitted', '2026-12-02T10:00:00Z');
INSERT INTO interview_invitations (application_id, cycle_id, invited_at)
    VALUES (2, 1, 77);
"""

AFTER_016 = [
    ("SELECT id, imported_claimable FROM users ORDER BY id",
     ["1|0", "10|1", "11|0", "12|1", "13|0", "14|0", "15|0", "16|0",
      "17|1", "18|0"]),
    ("SELECT cycle_id, phase, overdue_reminded_at FROM phases "
     "ORDER BY cycle_id, phase",
     ["1|interview|", "1|screening|200", "2|interview|100",
      "2|screening|"]),
    ("SELECT application_id, reminded_at, calendar_sequence "
     "FROM interview_invitations", ["2|77|0"]),
    ("SELECT id, coalesce(withdrawn_at, '-') FROM applications ORDER BY id",
     ["1|2026-12-01T10:00:00Z", "2|-"]),
]


def test_data_migrations_change_the_same_rows(pg, tmp_path):
    names = sorted(f for f in os.listdir(os.path.join(ROOT, "migrations"))
                   if f.endswith(".sql"))
    con = sqlite3.connect(str(tmp_path / "upgrade.db"))
    con.execute("PRAGMA foreign_keys=ON")
    for v, name in enumerate(names, start=1):
        if v == 8:
            con.executescript(SEED_007)
        with open(os.path.join(ROOT, "migrations", name)) as f:
            con.executescript(f.read())
    pg.createdb("upgrade")
    pg.migrate("upgrade", upto=7)
    pg.psql(SEED_007, db="upgrade", single=True)
    assert pg.migrate("upgrade") == list(range(8, LATEST + 1))
    for query, want in AFTER_016:
        lite = ["|".join("" if v is None else str(v) for v in r)
                for r in con.execute(query)]
        assert lite == want, query
        assert pg.psql(query, db="upgrade").splitlines() == want, query
    con.close()


# -- the committed dump ----------------------------------------------------

def test_schema_dump_is_the_fixture(pg):
    got = FIXTURE_HEADER + pg.dump_schema("fresh")
    if os.environ.get("GOLDEN_UPDATE") == "1":
        os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
        with open(FIXTURE, "w") as f:
            f.write(got)
    with open(FIXTURE) as f:
        want = f.read()
    assert got == want, "the schema differs from %s (GOLDEN_UPDATE=1 " \
        "writes it)" % os.path.relpath(FIXTURE, ROOT)
