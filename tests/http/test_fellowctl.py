"""The operator tool: migrate, user add, backup under load, restore, check."""
import os
import sqlite3
import subprocess
import threading

from server import ROOT, request

FELLOWCTL = os.path.join(ROOT, "build", "san", "fellowctl")


def ctl(datadir, *args, stdin=""):
    env = dict(os.environ, DATA_DIR=str(datadir),
               ASAN_OPTIONS="detect_leaks=1")
    return subprocess.run([FELLOWCTL, *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=60)


def users(datadir):
    con = sqlite3.connect(os.path.join(datadir, "fellowship.db"))
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
    con = sqlite3.connect(os.path.join(tmp_path, "fellowship.db"))
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


def test_backup_while_the_server_writes_then_restore_serves_it(
        make_server, tmp_path):
    srv = make_server().start()
    stop = threading.Event()
    created = []

    def writer():
        i = 0
        while not stop.is_set() and i < 40:
            out = ctl(srv.datadir, "user", "add", "--role", "applicant",
                      "--email", "w%d@example.org" % i, "--name", "W",
                      stdin="long enough password\n")
            if out.returncode == 0:
                created.append(i)
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    backup = tmp_path / "backup.db"
    try:
        out = ctl(srv.datadir, "backup", str(backup))
    finally:
        stop.set()
        t.join()
    assert out.returncode == 0, out.stderr
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]

    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n = con.execute("SELECT count(*) FROM users").fetchone()[0]
    con.close()
    assert n <= len(created)

    target = tmp_path / "restored"
    out = ctl(target, "restore", str(backup))
    assert out.returncode == 0, out.stderr
    assert ctl(target, "check").returncode == 0
    assert len(users(target)) == n
    srv2 = make_server()
    srv2.datadir = str(target)
    srv2.env["DATA_DIR"] = str(target)
    srv2.log_path = os.path.join(str(target), "server.log")
    srv2.start()
    status, _, _ = request(srv2.url, "GET", "/api/health")
    assert status == 200
    assert len(users(target)) == n


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
    con = sqlite3.connect(os.path.join(tmp_path, "fellowship.db"))
    old = 1_000_000
    con.executemany(
        "INSERT INTO outbox (to_addr, subject, body, created_at, status, "
        "next_attempt_at, sent_at) VALUES ('a@example.org', 's', 'b', ?, ?,"
        " 0, ?)",
        [(old, "sent", old), (old, "failed", None), (old, "pending", None),
         (2_000_000_000, "sent", 2_000_000_000)])
    con.commit()
    out = ctl(tmp_path, "outbox", "rotate", "30")
    assert out.returncode == 0, out.stderr
    assert "deleted 1 " in out.stdout
    left = con.execute("SELECT status FROM outbox ORDER BY id").fetchall()
    con.close()
    assert left == [("failed",), ("pending",), ("sent",)]
    assert ctl(tmp_path, "outbox", "rotate", "-5").returncode == 2
