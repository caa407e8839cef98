"""Helpers shared by the reliability tests (tests/http/test_crash.py,
test_diskfull.py, test_concurrency.py, test_upgrade.py and the backup
test in test_fellowctl.py): signed-in clients, killing and restarting a
server on the same data directory, and checking a database file with
Python's own SQLite after the server has stopped (on PostgreSQL, see
TEST_DATABASE in tests/lib/server.py, the data directory's database)."""
import os
import signal
import sqlite3
import threading
import time

from server import Client, Server, connect, on_postgresql


def signed_in(url, email, password=None):
    """A Client signed in as email; its user id is in .id."""
    c = Client(url)
    status, body = (c.login(email) if password is None
                    else c.login(email, password))
    assert status == 200, (email, body)
    c.id = body["user"]["id"]
    return c


def kill_server(srv):
    """SIGKILL for the whole server at once (Kore's parent, its workers
    and the mail process share one process group); returns the log once
    every process of the group is gone. Waiting for the parent is not
    enough: a worker built with the sanitizers takes a while to give its
    memory back, and until it has exited it still holds the listening
    socket, so a server restarted on the same port would fail to bind."""
    try:
        os.killpg(srv.proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    srv.proc.wait(timeout=30)
    deadline = time.time() + 30
    while True:
        try:
            os.killpg(srv.proc.pid, 0)
        except ProcessLookupError:
            break
        if time.time() > deadline:
            raise RuntimeError("the killed server's processes are still "
                               "there after 30 s")
        time.sleep(0.05)
    return srv.stop()


def restart(srv):
    """A new server on srv's data directory and port, started, its clock
    going on from where srv's was."""
    again = Server(srv.datadir, port=srv.port, demo=srv.env["DEMO"] == "1",
                   sanitize=srv.sanitize,
                   clock=srv.now() if srv.clock_file else None)
    return again.start()


def readonly(datadir):
    """A read-only connection to the data directory's database (on
    PostgreSQL, a connection to it)."""
    if on_postgresql():
        return connect(datadir)
    path = os.path.join(datadir, "fellowship.db")
    return sqlite3.connect("file:%s?mode=ro" % path, uri=True)


def db_health(datadir):
    """(PRAGMA integrity_check's answer, the foreign_key_check rows) of
    the data directory's database, opened read-only. On PostgreSQL, which
    checks each foreign key at every statement and its pages itself, the
    same answer once the database answers."""
    if on_postgresql():
        con = connect(datadir)
        try:
            return [r[0] for r in con.execute("SELECT 'ok'")], []
        finally:
            con.close()
    con = readonly(datadir)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchall()
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        con.close()
    return [r[0] for r in ok], fk


def rows(where, sql, args=()):
    """The rows of sql from where: a running Server's database (on
    either engine, through its db()), or a data directory's SQLite file,
    opened read-only (a stopped server's)."""
    con = where.db() if isinstance(where, Server) else readonly(where)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def open_sheets(where, cycle, fac, coord, n):
    """{k: up to n application ids} for each signed-in rater fac[k]: the
    rater's screening candidates in cycle whose sheet is missing or a
    draft (every draft save is audited with its values); the coordinator
    assigns more submitted candidates where there are too few. where:
    as for rows()."""
    out = {}
    for k, c in fac.items():
        status, _, body = c.call("GET", "/api/cycles/%d/assignments" % cycle)
        assert status == 200, body
        mine = [r for r in body["assignments"] if r["faculty_id"] == c.id]
        open_ = sorted(r["application_id"] for r in mine
                       if r["phase"] == "screening"
                       and r["sheet"] in ("none", "draft"))
        taken = {r["application_id"] for r in mine}
        more = [a for (a,) in rows(
            where, "SELECT id FROM applications a WHERE cycle_id = ? "
            "AND status = 'submitted' AND NOT EXISTS (SELECT 1 FROM "
            "conflicts x WHERE x.application_id = a.id AND x.faculty_id = ?)"
            " ORDER BY id", (cycle, c.id)) if a not in taken]
        add = more[:max(0, n - len(open_))]
        if add:
            status, _, body = coord.call(
                "PUT", "/api/cycles/%d/assignments" % cycle,
                [{"faculty_id": c.id, "application_id": a,
                  "phase": "screening"} for a in add])
            assert status == 200 and body["added"] == len(add), body
        out[k] = (open_ + add)[:n]
    return out


def at_once(calls):
    """Runs the functions in threads released together by a barrier;
    returns their results in order."""
    barrier = threading.Barrier(len(calls))
    out = [None] * len(calls)

    def run(i, fn):
        barrier.wait(timeout=60)
        out[i] = fn()

    threads = [threading.Thread(target=run, args=(i, fn))
               for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out
