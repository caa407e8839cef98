"""The operator tool: migrate, user add, backup under load, restore, check."""
import atexit
import copy
import json
import os
import sqlite3
import subprocess
import tempfile
import threading
import time

import pytest

from reliability import open_sheets, signed_in
from server import ROOT, TEST_CLOCK, connect, database_env, instant

FELLOWCTL = os.path.join(ROOT, "build", "san", "fellowctl")


def clock_file():
    """The test build's clock for fellowctl, at TEST_CLOCK as the test
    servers are (src/ops/clock.c)."""
    fd, path = tempfile.mkstemp(prefix="fellowctl-clock-")
    with os.fdopen(fd, "w") as f:
        f.write("%d\n" % (instant(TEST_CLOCK) - int(time.time())))
    atexit.register(os.unlink, path)
    return path


CLOCK_FILE = clock_file()


def ctl(datadir, *args, stdin=""):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1",
               FELLOW_CLOCK_FILE=CLOCK_FILE, **database_env(datadir))
    return subprocess.run([FELLOWCTL, *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=60)


def users(datadir):
    con = connect(datadir)
    try:
        return con.execute("SELECT email, name, role, password_hash "
                           "FROM users ORDER BY id").fetchall()
    finally:
        con.close()


def test_usage_is_explained(tmp_path):
    out = ctl(tmp_path, "nonsense")
    assert out.returncode == 2
    assert "usage" in out.stderr


def test_migrate_creates_and_reports(tmp_path):
    out = ctl(tmp_path, "migrate")
    assert out.returncode == 0, out.stderr
    assert "schema version" in out.stdout
    again = ctl(tmp_path, "migrate")
    assert again.returncode == 0
    assert "applied" not in again.stdout


def test_user_add_reads_the_password_from_stdin(tmp_path):
    out = ctl(tmp_path, "user", "add", "--role", "director", "--email",
              "chief@example.org", "--name", "Dr. Chief",
              stdin="a long enough passphrase\n")
    assert out.returncode == 0, out.stderr
    [(email, name, role, h)] = users(tmp_path)
    assert (email, name, role) == ("chief@example.org", "Dr. Chief",
                                   "director")
    assert h.startswith("$argon2id$")
    assert "passphrase" not in out.stdout + out.stderr


def test_user_add_is_audited(tmp_path):
    ctl(tmp_path, "user", "add", "--role", "faculty", "--email",
        "f@example.org", "--name", "F", stdin="another long passphrase\n")
    con = connect(tmp_path)
    rows = con.execute("SELECT action, object FROM audit_log").fetchall()
    con.close()
    assert rows == [("user.create", "user:1")]


def test_user_add_refuses_bad_input_and_changes_nothing(tmp_path):
    ctl(tmp_path, "migrate")
    cases = [
        (["--role", "director", "--email", "x@example.org", "--name", "X"],
         "short\n", "at least 12"),
        (["--role", "king", "--email", "x@example.org", "--name", "X"],
         "long enough password\n", "role"),
        (["--role", "faculty", "--email", "not-an-email", "--name", "X"],
         "long enough password\n", "e-mail"),
        (["--role", "faculty", "--email", "x@example.org", "--name", ""],
         "long enough password\n", "name"),
        (["--role", "faculty", "--email", "x@example.org", "--name", "X"],
         "", "no password"),
    ]
    for args, pw, message in cases:
        out = ctl(tmp_path, "user", "add", *args, stdin=pw)
        assert out.returncode != 0, args
        assert message in out.stderr, (args, out.stderr)
    assert users(tmp_path) == []


def test_duplicate_email_is_refused_whatever_its_case(tmp_path):
    args = ["user", "add", "--role", "faculty", "--name", "A"]
    assert ctl(tmp_path, *args, "--email", "a@example.org",
               stdin="long enough password\n").returncode == 0
    out = ctl(tmp_path, *args, "--email", "A@Example.org",
              stdin="long enough password\n")
    assert out.returncode == 1
    assert "exists" in out.stderr
    assert len(users(tmp_path)) == 1


def served_on(srv, client):
    """client's signed-in session, sent to srv instead (a restored copy
    of the database has the same sessions)."""
    other = copy.copy(client)
    other.base = srv.url
    return other


def api_answers(srv, clients, sheets):
    """A set of API answers that depend on the database only: the rank
    list and its versions, the candidates, the accounts, and each rater's
    sheets."""
    d = served_on(srv, clients["director"])
    out = {}
    for path in ("/api/cycles/1/ranklist", "/api/cycles/1/ranklist/versions",
                 "/api/cycles/1/applications", "/api/users?limit=500",
                 "/api/cycles"):
        status, _, body = d.call("GET", path)
        assert status == 200, (path, body)
        out[path] = body
    for k, apps in sheets.items():
        c = served_on(srv, clients[k])
        for app in apps:
            path = "/api/applications/%d/scores/screening" % app
            status, _, body = c.call("GET", path)
            assert status == 200, body
            out[(k, path)] = body
    return out


def check_backup_is_consistent(path, sheets, clients):
    """The backup on its own: intact, with every row complete and its
    audit rows agreeing with the data written in the same transaction."""
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        # Accounts made by fellowctl: each with its audit row.
        made = [i for (i,) in con.execute(
            "SELECT id FROM users WHERE email LIKE 'w%@example.org'")]
        audited = {o for (o,) in con.execute(
            "SELECT object FROM audit_log WHERE action = 'user.create'")}
        assert all("user:%d" % i in audited for i in made)
        # Rank-list versions: contiguous, complete, one audit row each.
        versions = con.execute("SELECT version, entries FROM "
                               "ranklist_versions WHERE cycle_id = 1 "
                               "ORDER BY version").fetchall()
        assert [v for v, _ in versions] == list(range(1, len(versions) + 1))
        ids = [sorted(e["application_id"] for e in json.loads(t))
               for _, t in versions]
        assert all(x == ids[0] for x in ids)
        saved = [json.loads(d)["version"] for (d,) in con.execute(
            "SELECT detail FROM audit_log WHERE action = 'ranklist.save' "
            "ORDER BY id")]
        assert saved == [v for v, _ in versions]
        # Each draft sheet holds the values of its latest audit row.
        for k, apps in sheets.items():
            for app in apps:
                row = con.execute(
                    'SELECT id, "values" FROM score_sheets WHERE '
                    "application_id = ? AND rater_id = ? AND phase = "
                    "'screening' AND status = 'draft'",
                    (app, clients[k].user["id"])).fetchone()
                if row is None:
                    continue
                last = [json.loads(d)["values"] for (d,) in con.execute(
                    "SELECT detail FROM audit_log WHERE action = "
                    "'score.draft' AND object = ? ORDER BY id",
                    ("application:%d" % app,))
                    if json.loads(d)["sheet"] == row[0]]
                assert last and last[-1] == json.loads(row[1]), (app, k)
        return {"users": con.execute("SELECT count(*) FROM users"
                                     ).fetchone()[0],
                # Program 1's people: its staff and its applicants.
                "people": con.execute(
                    "SELECT count(*) FROM users u WHERE EXISTS (SELECT 1 "
                    "FROM memberships m WHERE m.user_id = u.id AND "
                    "m.program_id = 1) OR EXISTS (SELECT 1 FROM "
                    "applications a JOIN cycles c ON c.id = a.cycle_id "
                    "WHERE a.applicant_id = u.id AND c.program_id = 1)"
                ).fetchone()[0],
                "versions": len(versions)}
    finally:
        con.close()


def restored_server(make_server, tmp_path, backup, name):
    target = tmp_path / name
    out = ctl(target, "restore", str(backup))
    assert out.returncode == 0, out.stderr
    assert ctl(target, "check").returncode == 0
    srv = make_server()
    srv.datadir = str(target)
    srv.env["DATA_DIR"] = str(target)
    srv.log_path = os.path.join(str(target), "server.log")
    return srv.start()


@pytest.mark.sqlite_only
def test_backup_while_the_server_writes_then_restore_serves_it(
        make_server, tmp_path):
    """A backup taken while fellowctl adds accounts and the server saves
    score sheets and rank-list edits is a consistent snapshot; a server
    on the restored copy serves what the backup holds; a backup taken
    once writing has stopped serves the same API answers as the
    original."""
    srv = make_server(demo=True).start()
    clients = {"director": signed_in(srv.url, "director@demo.test")}
    for k in (1, 2, 3):
        clients[k] = signed_in(srv.url, "faculty%d@demo.test" % k)
    coord = signed_in(srv.url, "coordinator@demo.test")
    sheets = open_sheets(srv, 1, {k: clients[k] for k in (1, 2, 3)},
                         coord, 2)
    crit = clients["director"].call("GET", "/api/cycles/1/rubrics/screening"
                                    )[2]["rubric"]["criteria"]
    base = len(users(srv.datadir))
    stop = threading.Event()
    created, saved = [], []

    def accounts():
        i = 0
        while not stop.is_set() and i < 40:
            out = ctl(srv.datadir, "user", "add", "--role", "applicant",
                      "--email", "w%d@example.org" % i, "--name", "W",
                      stdin="long enough password\n")
            if out.returncode == 0:
                created.append(i)
            i += 1

    def rater(k):
        n = 0
        while not stop.is_set() and n < 300:
            app = sheets[k][n % len(sheets[k])]
            values = {c["key"]: c["min"] + (n + i) % (c["max"] - c["min"])
                      for i, c in enumerate(crit)}
            status, _, _ = clients[k].call(
                "PUT", "/api/applications/%d/scores/screening" % app,
                {"values": values})
            saved.append(status)
            n += 1

    def editor():
        d, n = clients["director"], 0
        while not stop.is_set() and n < 100:
            view = d.call("GET", "/api/cycles/1/ranklist")[2]
            e = [{"application_id": x["application_id"],
                  "do_not_rank": x["do_not_rank"], "reason": "Edit %d." % n}
                 for x in view["entries"]]
            e[n % 3], e[n % 3 + 1] = e[n % 3 + 1], e[n % 3]
            saved.append(d.call("PUT", "/api/cycles/1/ranklist",
                                {"entries": e})[0])
            n += 1

    threads = [threading.Thread(target=accounts),
               threading.Thread(target=editor)] + [
        threading.Thread(target=rater, args=(k,)) for k in (1, 2, 3)]
    for t in threads:
        t.start()
    backup = tmp_path / "backup.db"
    try:
        time.sleep(1.0)
        out = ctl(srv.datadir, "backup", str(backup))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert out.returncode == 0, out.stderr
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]
    assert saved.count(200) > 0 and set(saved) <= {200, 503}, set(saved)
    held = check_backup_is_consistent(str(backup), sheets, clients)
    assert base <= held["users"] <= base + len(created)

    # The restored copy serves what the backup holds.
    copy_ = restored_server(make_server, tmp_path, backup, "restored")
    answers = api_answers(copy_, clients, sheets)
    assert answers["/api/cycles/1/ranklist"]["version"] == held["versions"]
    assert len(answers["/api/users?limit=500"]["users"]) == held["people"]
    con = sqlite3.connect(str(backup))
    for (k, path), body in ((key, b) for key, b in answers.items()
                            if isinstance(key, tuple)):
        app = int(path.split("/")[3])
        row = con.execute('SELECT "values", version FROM score_sheets WHERE '
                          "application_id = ? AND rater_id = ? AND phase = "
                          "'screening'", (app, clients[k].user["id"])
                          ).fetchone()
        if row is None:
            assert body["sheet"] is None
        else:
            assert (body["sheet"]["values"], body["sheet"]["version"]) == (
                json.loads(row[0]), row[1])
    con.close()
    copy_.stop()

    # Once writing has stopped, the original and a restored backup give
    # the same answers.
    quiet = tmp_path / "quiet.db"
    assert ctl(srv.datadir, "backup", str(quiet)).returncode == 0
    check_backup_is_consistent(str(quiet), sheets, clients)
    again = restored_server(make_server, tmp_path, quiet, "restored-quiet")
    assert api_answers(again, clients, sheets) == api_answers(
        srv, clients, sheets)


@pytest.mark.sqlite_only
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    out = ctl(tmp_path / "d", "restore", str(junk))
    assert out.returncode == 1
    assert "cannot" in out.stderr or "not a backup" in out.stderr or \
        "integrity" in out.stderr
    assert not os.path.exists(tmp_path / "d" / "fellowship.db")


def test_outbox_rotate_deletes_only_old_delivered_mail(tmp_path):
    assert ctl(tmp_path, "migrate").returncode == 0
    con = connect(tmp_path)
    old = 1_000_000
    later = instant(TEST_CLOCK) + 86400
    con.executemany(
        "INSERT INTO outbox (to_addr, subject, body, created_at, status, "
        "next_attempt_at, sent_at) VALUES ('a@example.org', 's', 'b', ?, ?,"
        " 0, ?)",
        [(old, "sent", old), (old, "failed", None), (old, "pending", None),
         (later, "sent", later)])
    con.commit()
    out = ctl(tmp_path, "outbox", "rotate", "30")
    assert out.returncode == 0, out.stderr
    assert "deleted 1 " in out.stdout
    left = con.execute("SELECT status FROM outbox ORDER BY id").fetchall()
    con.close()
    assert left == [("failed",), ("pending",), ("sent",)]
    assert ctl(tmp_path, "outbox", "rotate", "-5").returncode == 2
