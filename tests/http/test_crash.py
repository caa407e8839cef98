"""Crash consistency: acknowledged writes survive kill -9.

Faculty threads save score sheets and the director edits the rank list
of the demo cycle, and an applicant uploads documents, while a worker, and later the whole server (Kore's
parent, its workers and the mail process), is killed with SIGKILL at
moments drawn from a seeded generator. The server is then started again
on the same data directory, and:

- every save the server acknowledged (200, 201) is there with the content it
  answered (sheet values, comment and version; rank-list version and
  entries; the document's complete file), unless a later attempt whose answer was lost replaced it;
- nothing half-written is visible: rank-list versions are contiguous,
  each a complete list with its audit row; each sheet's audit rows hold
  every acknowledged set of values, in order; no partial upload file is
  left in the data directory;
- PRAGMA integrity_check answers ok and foreign_key_check finds nothing,
  on the file opened read-only while no server runs.

CRASH_SEED picks other moments; the seed is in the assertion messages.
"""
import hashlib
import json
import os
import random
import threading
import time

from reliability import (db_health, kill_server, open_sheets, restart, rows,
                         signed_in)
import pdfs
from server import Server

CYCLE = 1
ROUNDS = 3
FACULTY = (1, 2, 3, 4)
SHEETS_PER_RATER = 3
SEED = int(os.environ.get("CRASH_SEED", "20261128"))


def criteria(client):
    status, _, body = client.call(
        "GET", "/api/cycles/%d/rubrics/screening" % CYCLE)
    assert status == 200, body
    return body["rubric"]["criteria"]


class Log:
    """The attempts of one writer: (tag, sent, status, answer)."""

    def __init__(self):
        self.attempts = []


def sheet_writer(client, apps, crit, rng, tag, stop, log):
    n = 0
    while not stop.is_set() and n < 400:
        app = apps[n % len(apps)]
        values = {c["key"]: rng.randint(c["min"], c["max"]) for c in crit}
        comment = "%s-%d" % (tag, n)
        sent = {"app": app, "values": values, "comment": comment}
        try:
            status, _, body = client.call(
                "PUT", "/api/applications/%d/scores/screening" % app,
                {"values": values, "comment": comment})
        except Exception:        # the connection died with the server
            status, body = None, None
        log.attempts.append((comment, sent, status, body))
        if status != 200:
            time.sleep(0.05)
        n += 1


def ranklist_writer(client, rng, tag, stop, log):
    n, entries = 0, None
    while not stop.is_set() and n < 200:
        if entries is None:
            try:
                status, _, body = client.call(
                    "GET", "/api/cycles/%d/ranklist" % CYCLE)
            except Exception:
                status = None
            if status != 200:
                time.sleep(0.05)
                n += 1
                continue
            entries = [{"application_id": e["application_id"],
                        "do_not_rank": e["do_not_rank"]}
                       for e in body["entries"]]
        i = rng.randrange(len(entries) - 1)
        entries[i], entries[i + 1] = entries[i + 1], entries[i]
        reason = "%s-%d" % (tag, n)
        sent = [dict(e, reason=reason) for e in entries]
        try:
            status, _, body = client.call(
                "PUT", "/api/cycles/%d/ranklist" % CYCLE, {"entries": sent})
        except Exception:
            status, body = None, None
        log.attempts.append((reason, sent, status, body))
        if status != 200:
            entries = None       # read the list again before going on
            time.sleep(0.05)
        n += 1


# Other documents one application holds at the most (core/limits.c).
OTHER_MAX = 10


def upload_writer(targets, rng, tag, stop, log):
    """Uploads PDFs of up to 1.5 MiB (past 1 MiB Kore spools the body to
    a temporary file first), each one different, to the applications of
    targets [(client, documents path)] in turn, each within its quota of
    other documents."""
    n = 0
    while not stop.is_set() and n < len(targets) * (OTHER_MAX - 1):
        client, docs = targets[n % len(targets)]
        data = pdfs._pdf(extra_objects=[b"(%s-%d %s)" % (
            tag.encode(), n, b"x" * rng.randrange(3 << 19))])
        try:
            status, _, body = client.upload(docs, {"kind": "other"},
                                            data=data)
        except Exception:
            status, body = None, None
        log.attempts.append((n, hashlib.sha256(data).hexdigest(), status,
                             body))
        if status != 201:
            time.sleep(0.05)
        n += 1


def check_uploads(datadir, log, seed):
    """Every acknowledged upload is listed and its file is complete; no
    partial upload is left in the data directory after a restart."""
    for _, sha, status, body in log.attempts:
        if status != 201:
            continue
        assert body["document"]["sha256"] == sha
        assert rows(datadir, "SELECT count(*) FROM documents WHERE id = ? "
                    "AND sha256 = ?", (body["document"]["id"], sha)) == [
            (1,)], (seed, sha)
        with open(os.path.join(datadir, "documents", sha + ".pdf"),
                  "rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == sha, (seed, sha)
    left = [n for n in os.listdir(os.path.join(datadir, "documents"))
            if n.startswith(".upload-")] + [
        n for n in os.listdir(os.path.join(datadir, "tmp"))
        if n.startswith("http_body.")]
    assert left == [], (seed, "partial uploads left behind", left)


def plain(entries):
    return [{"application_id": e["application_id"],
             "do_not_rank": bool(e["do_not_rank"]),
             "reason": e.get("reason") or ""} for e in entries]


def check_sheets(datadir, fac, logs, seed):
    for k, log in logs.items():
        rater = fac[k].id
        for app in {a["app"] for _, a, _, _ in log.attempts}:
            mine = [(t, s, st, b) for t, s, st, b in log.attempts
                    if s["app"] == app]
            acked = [(t, s, b) for t, s, st, b in mine if st == 200]
            stored = rows(datadir, 'SELECT "values", comment, version, id '
                          "FROM score_sheets WHERE application_id = ? AND "
                          "rater_id = ? AND phase = 'screening'",
                          (app, rater))
            if not acked:
                continue
            assert len(stored) == 1, (seed, app, rater)
            values, comment, version, sheet = stored[0]
            last_tag, _, last_body = acked[-1]
            later = [t for t, _, st, _ in mine[mine.index(
                next(m for m in mine if m[0] == last_tag)) + 1:]
                if st != 200]
            assert comment == last_tag or comment in later, (
                seed, app, rater, comment, last_tag)
            sent = next(s for t, s, _, _ in mine if t == comment)
            assert json.loads(values) == sent["values"], (seed, app)
            if comment == last_tag:
                assert last_body["sheet"]["values"] == sent["values"]
                assert version == last_body["sheet"]["version"], (seed, app)
            # Each acknowledged save left its audit row, in order.
            audited = [json.loads(d)["values"] for (d,) in rows(
                datadir, "SELECT detail FROM audit_log WHERE action = "
                "'score.draft' AND actor_id = ? AND object = ? ORDER BY id",
                (rater, "application:%d" % app))
                if json.loads(d)["sheet"] == sheet]
            it = iter(audited)
            for _, s, _ in acked:
                assert any(v == s["values"] for v in it), (
                    seed, app, "acknowledged save without its audit row")


def check_ranklist(datadir, log, candidates, seed):
    versions = rows(datadir, "SELECT version, kind, entries FROM "
                    "ranklist_versions WHERE cycle_id = ? ORDER BY version",
                    (CYCLE,))
    assert [v for v, _, _ in versions] == list(
        range(1, len(versions) + 1)), (seed, "versions are not contiguous")
    stored = {}
    for v, kind, text in versions:
        entries = json.loads(text)
        assert kind == "draft"
        assert sorted(e["application_id"] for e in entries) == candidates, (
            seed, v, "a version without all its candidates")
        assert all(set(e) == {"application_id", "do_not_rank", "reason"}
                   for e in entries), (seed, v)
        stored[v] = plain(entries)
    saves = [json.loads(d)["version"] for (d,) in rows(
        datadir, "SELECT detail FROM audit_log WHERE action = "
        "'ranklist.save' AND object = ? ORDER BY id", ("cycle:%d" % CYCLE,))]
    assert saves == sorted(stored), (seed, "versions and audit rows differ")
    sent_lists = [plain(s) for _, s, _, _ in log.attempts]
    for v, entries in stored.items():
        assert entries in sent_lists, (seed, v, "a list nobody sent")
    for _, s, status, body in log.attempts:
        if status == 200:
            assert stored[body["version"]] == plain(s), (
                seed, body["version"], "acknowledged list differs")
            assert plain(body["entries"]) == plain(s)


def test_acknowledged_writes_survive_kill_9(tmp_path_factory):
    rng = random.Random(SEED)
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    datadir = srv.datadir
    try:
        director = signed_in(srv.url, "director@demo.test")
        fac = {k: signed_in(srv.url, "faculty%d@demo.test" % k)
               for k in FACULTY}
        coord = signed_in(srv.url, "coordinator@demo.test")
        sheets = open_sheets(srv.datadir, CYCLE, fac, coord,
                             SHEETS_PER_RATER)
        crit = criteria(director)
        status, _, body = director.call("GET",
                                        "/api/cycles/%d/ranklist" % CYCLE)
        candidates = sorted(e["application_id"] for e in body["entries"])
        logs = {k: Log() for k in FACULTY}
        rank_log, upload_log = Log(), Log()
        def upload_target(k):
            """A fresh applicant's draft in the open cycle: its client
            and documents path."""
            appl = signed_in(srv.url, "applicant%02d@demo.test" % k)
            cycles = appl.call("GET", "/api/cycles")[2]["cycles"]
            open_cycle = [c["id"] for c in cycles
                          if c["state"] == "open"][0]
            return appl, "/api/applications/%d/documents" % appl.call(
                "GET", "/api/cycles/%d/application" % open_cycle)[2][
                "application"]["id"]

        for rnd in range(ROUNDS):
            # Three applications a round, each new: uploads never meet
            # the quota of other documents.
            targets = [upload_target(2 + 3 * rnd + i) for i in range(3)]
            stop = threading.Event()
            done = len(upload_log.attempts)
            threads = [threading.Thread(target=sheet_writer, args=(
                fac[k], sheets[k], crit, random.Random(rng.random()),
                "r%d-f%d" % (rnd, k), stop, logs[k])) for k in FACULTY]
            threads.append(threading.Thread(target=ranklist_writer, args=(
                director, random.Random(rng.random()), "r%d" % rnd, stop,
                rank_log)))
            threads.append(threading.Thread(target=upload_writer, args=(
                targets, random.Random(rng.random()), "r%d" % rnd, stop,
                upload_log)))
            for t in threads:
                t.start()
            time.sleep(rng.uniform(1.5, 3.0))
            # A loaded machine may be slow to finish an upload: wait
            # (bounded) for one of this round before killing anything.
            deadline = time.time() + 60
            while time.time() < deadline and not any(
                    a[2] == 201 for a in upload_log.attempts[done:]):
                time.sleep(0.1)
            workers = srv.worker_pids()
            assert len(workers) == 2, workers
            os.kill(rng.choice(workers), 9)
            time.sleep(rng.uniform(1.0, 3.0))
            log = kill_server(srv)
            stop.set()
            for t in threads:
                t.join(timeout=120)
            assert not any(t.is_alive() for t in threads)
            assert not srv.bad_log_lines(log), srv.bad_log_lines(log)
            ok, fk = db_health(datadir)
            assert ok == ["ok"] and fk == [], (SEED, rnd, ok, fk)
            srv = restart(srv)
            acked = sum(1 for lg in logs.values() for a in lg.attempts
                        if a[2] == 200)
            assert acked > 0, "no sheet save was acknowledged"
            # A lost answer or "busy", never a refusal or a server error.
            codes = {a[2] for lg in (*logs.values(), rank_log)
                     for a in lg.attempts}
            assert codes <= {200, 503, None}, (SEED, rnd, codes)
            codes = {a[2] for a in upload_log.attempts}
            assert codes <= {201, 503, None}, (SEED, rnd, codes)
            check_uploads(datadir, upload_log, SEED)
            check_sheets(datadir, fac, logs, SEED)
            check_ranklist(datadir, rank_log, candidates, SEED)
        assert any(a[2] == 201 for a in upload_log.attempts), (
            "no upload was acknowledged")
        # The same answers through the API after the last restart.
        for k, c in fac.items():
            for app in sheets[k]:
                status, _, body = c.call(
                    "GET", "/api/applications/%d/scores/screening" % app)
                assert status == 200, body
                [(values, comment, version)] = rows(
                    datadir, 'SELECT "values", comment, version FROM '
                    "score_sheets WHERE application_id = ? AND rater_id = ? "
                    "AND phase = 'screening'", (app, c.id))
                assert body["sheet"]["values"] == json.loads(values)
                assert body["sheet"]["version"] == version
                assert body["sheet"]["comment"] == comment
        status, _, body = director.call("GET",
                                        "/api/cycles/%d/ranklist" % CYCLE)
        assert status == 200
        top = rows(datadir, "SELECT max(version) FROM ranklist_versions "
                   "WHERE cycle_id = ?", (CYCLE,))[0][0]
        assert body["version"] == top
    finally:
        log = srv.stop()
    assert not srv.bad_log_lines(log), srv.bad_log_lines(log)
    ok, fk = db_health(datadir)
    assert ok == ["ok"] and fk == []
