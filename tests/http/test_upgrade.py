"""Upgrades: the server migrates a database of every released schema.

tests/fixtures/schema/NNN.sql is a database at schema NNN with data
(written by tests/fixtures/make-schema-fixtures.py; a new migration adds
its own). Each is loaded into a fresh data directory and the server
started on it: it migrates to the latest schema, every row of the
fixture is still there unchanged, the data is reachable through the API
(signing in with a fixture account's password, applications, documents,
letters, score sheets, the rank list, as far as the schema has them),
and integrity_check and foreign_key_check are clean.

Each fixture's server runs at the fixture's own time (the last entry of
its audit log), so that what the server does by the clock (reminders
before a deadline, expiry) sees the fixture as it was when written,
whatever the day the test runs.
"""
import os
import sqlite3

import pytest

from reliability import db_health, readonly, signed_in
from server import ROOT

# Every test here loads SQLite files of the past schemas (tests/pg checks
# migrations/pg, its data migrations among them).
pytestmark = pytest.mark.sqlite_only

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "schema")
MIGRATIONS = sorted(f for f in os.listdir(os.path.join(ROOT, "migrations"))
                    if f.endswith(".sql"))
# Rows the running server may legitimately change: the mail process
# delivers the outbox; sign-in throttling counts.
CHANGING = {"outbox": "id", "login_throttle": "key"}


def test_every_migration_has_a_fixture():
    have = sorted(f for f in os.listdir(FIXTURES) if f.endswith(".sql"))
    assert have == ["%03d.sql" % n for n in range(1, len(MIGRATIONS) + 1)], (
        "run tests/fixtures/make-schema-fixtures.py after adding a "
        "migration")


def load(path):
    con = sqlite3.connect(":memory:")
    with open(path) as f:
        con.executescript(f.read())
    return con


def fixture_time(con):
    """When the fixture was written: its audit log's last entry."""
    (at,) = con.execute("SELECT max(at) FROM audit_log").fetchone()
    return at[:19] + "Z"


def tables(con):
    return [t for (t,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
        "LIKE 'sqlite_%' ORDER BY name")]


def contents(con, table, cols):
    return sorted(con.execute('SELECT %s FROM "%s"' % (
        ",".join('"%s"' % c for c in cols), table)).fetchall(), key=repr)


@pytest.mark.parametrize("n", range(1, len(MIGRATIONS) + 1))
def test_a_database_of_schema_n_is_migrated_and_served(n, make_server):
    fixture = load(os.path.join(FIXTURES, "%03d.sql" % n))
    assert fixture.execute("SELECT max(version) FROM schema_migrations"
                           ).fetchone()[0] == n
    srv = make_server(clock=fixture_time(fixture))
    dest = sqlite3.connect(os.path.join(srv.datadir, "fellowship.db"))
    fixture.backup(dest)
    dest.close()
    srv.start()
    try:
        con = readonly(srv.datadir)
        assert con.execute("SELECT max(version) FROM schema_migrations"
                           ).fetchone()[0] == len(MIGRATIONS)
        for table in tables(fixture):
            cols = [r[1] for r in fixture.execute(
                'PRAGMA table_info("%s")' % table)]
            if table in CHANGING:
                cols = [CHANGING[table]]
            before = contents(fixture, table, cols)
            after = contents(con, table, cols)
            missing = [r for r in before if r not in set(after)]
            assert not missing, (table, missing[:3])
        con.close()
        check_api(srv, fixture, n)
    finally:
        log = srv.stop()
    assert not srv.bad_log_lines(log)
    ok, fk = db_health(srv.datadir)
    assert ok == ["ok"] and fk == []


def has(fixture, table):
    return table in tables(fixture)


def check_api(srv, fixture, n):
    d = signed_in(srv.url, "director@demo.test")
    status, _, body = d.call("GET", "/api/me")
    assert status == 200 and body["user"]["email"] == "director@demo.test"
    if not has(fixture, "applications"):
        return
    apps = fixture.execute("SELECT a.id, a.cycle_id, a.status, u.email FROM "
                           "applications a JOIN users u ON u.id = "
                           "a.applicant_id ORDER BY a.id").fetchall()
    assert apps
    for app, cid, state, _ in apps:
        status, _, body = d.call("GET", "/api/applications/%d" % app)
        assert status == 200, (n, app, body)
        assert body["application"]["id"] == app
        assert body["application"]["status"] == state
    # The applicant sees their own application with a fixture password.
    mine = [(a, c) for a, c, _, e in apps if e == "applicant@demo.test"]
    if mine:
        a = signed_in(srv.url, "applicant@demo.test")
        app, cid = mine[0]
        status, _, body = a.call("GET", "/api/cycles/%d/application" % cid)
        assert status == 200 and body["application"]["id"] == app, body
    if has(fixture, "documents"):
        for app, _, _, _ in apps:
            want = sorted(i for (i,) in fixture.execute(
                "SELECT id FROM documents WHERE application_id = ? AND "
                "removed_at IS NULL", (app,)))
            status, _, body = d.call(
                "GET", "/api/applications/%d/documents" % app)
            assert status == 200, body
            assert sorted(x["id"] for x in body["documents"]) == want
    if has(fixture, "letters"):
        app = fixture.execute("SELECT application_id FROM letters "
                              "ORDER BY id").fetchone()[0]
        want = sorted(i for (i,) in fixture.execute(
            "SELECT id FROM letters WHERE application_id = ?", (app,)))
        status, _, body = d.call("GET", "/api/applications/%d/letters" % app)
        assert status == 200, body
        assert sorted(x["id"] for x in body["letters"]) == want
    if has(fixture, "score_sheets"):
        app, phase = fixture.execute(
            "SELECT application_id, phase FROM score_sheets WHERE status = "
            "'submitted' ORDER BY id").fetchone()
        want = sorted(r for (r,) in fixture.execute(
            "SELECT rater_id FROM score_sheets WHERE application_id = ? AND "
            "phase = ? AND status = 'submitted'", (app, phase)))
        status, _, body = d.call(
            "GET", "/api/applications/%d/scores/%s/all" % (app, phase))
        assert status == 200, body
        assert sorted(s["rater_id"] for s in body["sheets"]) == want
    if has(fixture, "ranklist_versions"):
        cid, version = fixture.execute(
            "SELECT cycle_id, max(version) FROM ranklist_versions").fetchone()
        status, _, body = d.call("GET", "/api/cycles/%d/ranklist" % cid)
        assert status == 200 and body["version"] == version, body
        status, _, body = d.call("GET",
                                 "/api/cycles/%d/ranklist/versions" % cid)
        assert [v["version"] for v in body["versions"]] == list(
            range(version, 0, -1))


def test_imported_accounts_keep_whether_they_may_be_claimed(make_server):
    """016: an account imported before it stays claimable as its
    "user.import" record says, unless it was claimed, enabled or given
    another role since (then disabled again, it is an ordinary
    account)."""
    fixture = load(os.path.join(FIXTURES, "015.sql"))
    at = fixture_time(fixture)
    people = {"kept@example.org": (1, None),
              "enabled@example.org": (1, "user.enable"),
              "restaffed@example.org": (1, "user.role"),
              "taken@example.org": (0, None)}
    for email, (claimable, later) in people.items():
        uid = fixture.execute(
            "INSERT INTO users (email, name, role, disabled) VALUES "
            "(?, 'Imported', 'applicant', 1)", (email,)).lastrowid
        fixture.execute(
            "INSERT INTO audit_log (at, action, object, detail) VALUES "
            "(?, 'user.import', ?, ?)", (at, "user:%d" % uid,
                                      '{"cycle":1,"role":"applicant",'
                                      '"claimable":%s}' %
                                      ("true" if claimable else "false")))
        if later:
            fixture.execute("INSERT INTO audit_log (at, action, object) "
                            "VALUES (?, ?, ?)", (at, later, "user:%d" % uid))
    fixture.commit()
    srv = make_server(clock=at)
    dest = sqlite3.connect(os.path.join(srv.datadir, "fellowship.db"))
    fixture.backup(dest)
    dest.close()
    srv.start()
    try:
        con = readonly(srv.datadir)
        got = dict(con.execute(
            "SELECT email, imported_claimable FROM users WHERE email IN "
            "(%s)" % ",".join("?" * len(people)), list(people)).fetchall())
        assert got == {"kept@example.org": 1, "enabled@example.org": 0,
                       "restaffed@example.org": 0, "taken@example.org": 0}
        assert con.execute("SELECT count(*) FROM users WHERE "
                           "imported_claimable = 1").fetchone()[0] == 1
        con.close()
    finally:
        log = srv.stop()
    assert not srv.bad_log_lines(log)
