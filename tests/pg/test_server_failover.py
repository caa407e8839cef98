"""The real server through a PostgreSQL failover: a primary with a
synchronous streaming standby (tests/lib/pgcluster.py), and the server
of the test build (tests/lib/server.py, DEMO=1) on a multi-host
DATABASE_URL that names both, target_session_attrs=read-write.

- A crash under load (the server on the clusters' Unix sockets, and
  again over TCP): faculty save their score sheets and the director
  edits the rank list, each in a thread, while the primary is killed
  with SIGKILL and the standby promoted. Every answer is a success or
  503 busy (JSON, a sentence, Retry-After); the server answers its
  health check and an authenticated read again within seconds of the
  promotion (the outage is printed); every write the server
  acknowledged is on the new primary, read back through the API, and a
  write that got 503 is there whole or not at all; the log has no
  sandbox violation and no crash.
- A write in flight: the primary dies while the server waits for its
  COMMIT (the standby's WAL receiver held still); the answer is 503, and
  the write is on the promoted standby whole or not at all.
- A read-only primary (default_transaction_read_only, as a primary is
  fenced before a planned switchover) while the server holds connections
  to it: a write is refused with 503, not kept on that connection; once
  the standby is promoted, writes and reads go to it.
- A commit the standby did not confirm: with the standby stopped, an
  operator cancels the commit waiting for it, which PostgreSQL then
  keeps on the primary alone with a warning; the server answers 503,
  not success.

Part of tests/pg (-m failover runs these with test_failover.py); the
server is build/san, so build it first (make san).
"""
import os
import signal
import threading
import time

import pytest

from pgcluster import Cluster, failover_url, promote, start_standby
from reliability import signed_in
from server import Server, request

CYCLE = 1               # the demo's cycle in review
PACE = 0.05             # seconds between one writer's saves
LOAD_BEFORE = 1.0       # seconds of load before the kill
LOAD_AFTER = 1.0        # and after the server answers again
BACK_WITHIN = 5.0       # seconds from the promotion to answers again
SHEET_WRITERS = 4       # faculty, each saving one open sheet


@pytest.fixture
def pair(request, tmp_path):
    """(primary, standby, server): demo data written through the
    primary, the standby synchronous; everything stopped afterwards.
    The server reaches them over their Unix sockets, or over TCP on
    127.0.0.1 when the test is parametrized with "tcp"."""
    tcp = getattr(request, "param", "socket") == "tcp"
    primary = Cluster(name="primary", tcp=tcp).start()
    srv = None
    try:
        primary.createdb("fellowship")
        standby = start_standby(primary)
        srv = Server(str(tmp_path / "data"), demo=True, env={
            "DATABASE_URL": failover_url("fellowship", primary, standby,
                                         tcp=tcp)})
        srv.start()
        yield primary, standby, srv
    finally:
        if srv is not None:
            stop_server(srv)
        primary.stop("immediate")


def stop_server(srv):
    """Stops the server and returns its log. The test build's parent on
    PostgreSQL has been seen to hang in exit() after its last line
    ("goodbye", all workers gone): libp11-kit's destructor, loaded with
    libpq, waits for glibc's locale lock under the sanitizer runtime.
    It is ended once it has said goodbye rather than after 20 s."""
    if srv.proc is not None and srv.proc.poll() is None:
        srv.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        while (srv.proc.poll() is None and time.monotonic() < deadline
               and "goodbye" not in srv.read_log()):
            time.sleep(0.05)
        if srv.proc.poll() is None:
            time.sleep(0.2)
            if srv.proc.poll() is None:
                os.killpg(srv.proc.pid, signal.SIGKILL)
            srv.proc.wait(timeout=30)
    return srv.stop()


def busy(answer):
    """Whether (status, headers, body) is the 503 the server gives when
    its database is away: JSON with a sentence, and Retry-After."""
    status, headers, body = answer
    return (status == 503 and isinstance(body, dict)
            and body["error"]["code"] == "busy"
            and body["error"]["message"].endswith(".")
            and headers.get("Retry-After") is not None)


class Writer(threading.Thread):
    """Calls save(n) for n = 1, 2, ... every PACE seconds until stop is
    set. save returns (record, answer); the record goes to acked (with
    the times the request was sent and answered) on 2xx, to doubt on
    503 busy, and with the answer to other on anything else (which the
    tests want empty)."""

    def __init__(self, name, save, stop):
        super().__init__(name=name, daemon=True)
        self.save = save
        self.stop = stop
        self.acked, self.doubt, self.other = [], [], []

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            sent = time.monotonic()
            try:
                record, answer = self.save(n)
            except Exception as e:      # no answer at all
                self.other.append((n, repr(e)))
                continue
            if answer is None:
                pass
            elif 200 <= answer[0] < 300:
                self.acked.append(dict(record, sent=sent,
                                       at=time.monotonic()))
            elif busy(answer):
                self.doubt.append(record)
            else:
                self.other.append((n, answer[0], answer[2]))
            time.sleep(PACE)


def open_sheets(client):
    """The signed-in rater's (application, phase) whose sheet is not
    submitted, in cycle CYCLE."""
    status, _, body = client.call("GET", "/api/cycles/%d/assignments"
                                  % CYCLE)
    assert status == 200, body
    return [(r["application_id"], r["phase"]) for r in body["assignments"]
            if r["faculty_id"] == client.id
            and r["sheet"] in ("none", "draft")]


def sheet_saver(client, k, app, phase):
    """(save, start): save(n) stores a draft of the sheet with values
    and a comment of its own; start is the sheet before any save."""
    path = "/api/applications/%d/scores/%s" % (app, phase)
    status, _, start = client.call("GET", path)
    assert status == 200, start
    criteria = start["rubric"]["criteria"]

    def save(n):
        values = {c["key"]: c["min"] + (n + i) % (c["max"] - c["min"] + 1)
                  for i, c in enumerate(criteria)}
        comment = "Faculty %d, save %d." % (k, n)
        answer = client.call("PUT", path, {"values": values,
                                           "comment": comment})
        version = answer[2]["sheet"]["version"] if answer[0] == 200 \
            else None
        return ({"n": n, "values": values, "comment": comment,
                 "version": version}, answer)
    return save, start["sheet"]


def list_saver(client):
    """save(n): the rank list of CYCLE with two neighbours swapped and
    each reason naming n, sent with the version it starts from. After an
    answer other than success the list is read again first (a write in
    doubt may have been stored); save.read() reads it now."""
    path = "/api/cycles/%d/ranklist" % CYCLE
    base = {}

    def read():
        answer = client.call("GET", path)
        if answer[0] == 200:
            base.update(version=answer[2]["version"],
                        order=[e["application_id"]
                               for e in answer[2]["entries"]])
        return answer

    def save(n):
        if not base:
            answer = read()
            if answer[0] != 200:
                return ({"n": n, "read": True}, answer)
        order = list(base["order"])
        i = n % (len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
        reason = "Edit %d." % n
        answer = client.call("PUT", path, {
            "base_version": base["version"],
            "entries": [{"application_id": a, "do_not_rank": False,
                         "reason": reason} for a in order]})
        record = {"n": n, "order": order, "reason": reason,
                  "version": answer[2].get("version")
                  if answer[0] == 200 else None}
        if answer[0] == 200:
            base.update(version=answer[2]["version"], order=order)
        else:
            base.clear()
        return record, answer
    save.read = read
    return save


def audit(client):
    """Every audit entry, oldest first, read page by page."""
    out, before = [], None
    while True:
        q = "/api/audit?limit=200" + (
            "&before=%d" % before if before is not None else "")
        status, _, body = client.call("GET", q)
        assert status == 200, body
        out.extend(body["entries"])
        if body["next_before"] is None:
            return out[::-1]
        before = body["next_before"]


def check_sheet(entries, w):
    """w's sheet as its saves left it. Returns (the acknowledged saves
    missing, how many saves answered 503 were stored after all).
    The sheet's history is its draft audit entries, one per stored
    version in order: every version has one (nothing half-written),
    each acknowledged save is the version it was told, any other is a
    save answered 503, whole; the sheet holds the last one stored."""
    path = "/api/applications/%d/scores/%s" % (w.app, w.phase)
    status, _, body = w.client.call("GET", path)
    assert status == 200, body
    sheet = body["sheet"]
    saves = [e["detail"]["values"] for e in entries
             if e["action"] == "score.draft"
             and e["object"] == "application:%d" % w.app
             and e["actor"]["id"] == w.client.id
             and e["detail"]["phase"] == w.phase]
    v0 = w.sheet0["version"]
    assert len(saves) == sheet["version"] - v0, (w.name, sheet)
    versions = [r["version"] for r in w.acked]
    assert versions == sorted(set(versions)), versions
    missing = [r for r in w.acked if r["version"] > sheet["version"]
               or saves[r["version"] - v0 - 1] != r["values"]]
    acked = set(versions)
    doubt = [d["values"] for d in w.doubt]
    stored_doubt = 0
    for v in range(v0 + 1, sheet["version"] + 1):
        if v not in acked:
            assert saves[v - v0 - 1] in doubt, (w.name, v)
            stored_doubt += 1
    last = w.acked[-1]
    if sheet["version"] == last["version"]:
        assert (sheet["values"], sheet["comment"]) == (
            last["values"], last["comment"])
    else:
        assert sheet["comment"] in [d["comment"] for d in w.doubt
                                    if d["n"] > last["n"]]
    return missing, stored_doubt


def check_list(reader, w):
    """The rank list's versions as the director's edits left them.
    Returns (the acknowledged edits missing, how many edits answered
    503 were stored after all). Versions run 1..n without a gap; each
    acknowledged edit is stored as sent under the version it was told;
    any other version is an edit answered 503, whole."""
    status, _, body = reader.call("GET", "/api/cycles/%d/ranklist/versions"
                                  % CYCLE)
    assert status == 200, body
    stored = sorted(v["version"] for v in body["versions"])
    assert stored == list(range(1, len(stored) + 1)), stored
    acked = {r["version"]: r for r in w.acked}
    missing = [r for v, r in acked.items() if v not in stored]
    doubt = [(d["order"], d["reason"]) for d in w.doubt if "order" in d]
    stored_doubt = 0
    for v in stored:
        status, _, view = reader.call(
            "GET", "/api/cycles/%d/ranklist?version=%d" % (CYCLE, v))
        assert status == 200, view
        order = [e["application_id"] for e in view["entries"]]
        reasons = {e["reason"] for e in view["entries"]}
        if v in acked:
            if (order, reasons) != (acked[v]["order"], {acked[v]["reason"]}):
                missing.append(acked[v])
        else:
            assert len(reasons) == 1 and \
                (order, reasons.pop()) in doubt, v
            stored_doubt += 1
    return missing, stored_doubt


@pytest.mark.failover
@pytest.mark.parametrize("pair", ["socket", "tcp"], indirect=True)
def test_the_server_rides_through_the_primary_killed_under_load(pair):
    primary, standby, srv = pair
    stop = threading.Event()
    writers = []
    for k in range(1, 7):
        c = signed_in(srv.url, "faculty%d@demo.test" % k)
        sheets = open_sheets(c)
        if not sheets or len(writers) == SHEET_WRITERS:
            continue
        save, start = sheet_saver(c, k, *sheets[0])
        w = Writer("faculty%d" % k, save, stop)
        w.client, w.app, w.phase, w.sheet0 = c, sheets[0][0], sheets[0][1], \
            start
        writers.append(w)
    assert len(writers) == SHEET_WRITERS, "the demo has fewer open sheets"
    director = signed_in(srv.url, "director@demo.test")
    lists = Writer("director", list_saver(director), stop)
    reader = signed_in(srv.url, "coordinator@demo.test")

    for w in writers + [lists]:
        w.start()
    try:
        time.sleep(LOAD_BEFORE)
        killed = time.monotonic()
        primary.kill()
        dead = time.monotonic()
        promote(standby)
        promoted = time.monotonic()
        # Answers again: the health check, and a read behind a session.
        while True:
            health = request(srv.url, "GET", "/api/health")
            read = reader.call("GET", "/api/cycles/%d/ranklist" % CYCLE)
            if health[0] == 200 and read[0] == 200:
                break
            assert health[0] == 200 or busy(health), health
            assert read[0] == 200 or busy(read), read
            assert time.monotonic() - promoted < BACK_WITHIN, \
                "no answer %.0f s after the promotion" % BACK_WITHIN
            time.sleep(0.02)
        back = time.monotonic()
        time.sleep(LOAD_AFTER)
    finally:
        stop.set()
        for w in writers + [lists]:
            w.join(timeout=60)
    everyone = writers + [lists]
    # The first write sent once the primary was gone that succeeded.
    first = min((r for w in everyone for r in w.acked if r["sent"] > dead),
                key=lambda r: r["sent"])
    errors = [l for l in srv.read_log().splitlines() if "error" in l]
    for w in everyone:
        assert not w.other, (w.name, w.other[:3], errors[:5])
        assert not w.is_alive(), w.name
        # Writes went through before the kill and after the failover.
        assert any(r["at"] < killed for r in w.acked), w.name
        assert any(r["sent"] > back for r in w.acked), w.name

    entries = audit(reader)
    missing, stored_doubt = [], 0
    for w in writers:
        m, d = check_sheet(entries, w)
        missing += m
        stored_doubt += d
    m, d = check_list(reader, lists)
    missing += m
    stored_doubt += d
    print("\nfailover: the primary killed (gone %.2f s later) and the "
          "standby promoted in %.2f s; the server answered health and a "
          "read again %.2f s after the promotion (%.2f s after the kill); "
          "the first write sent once the primary was gone and acknowledged "
          "was sent %.2f s and answered %.2f s after the kill" % (
              dead - killed, promoted - killed, back - promoted,
              back - killed, first["sent"] - killed, first["at"] - killed))
    print("writes acknowledged %d (lost %d); answered 503 %d (stored "
          "after all %d)" % (sum(len(w.acked) for w in everyone),
                             len(missing),
                             sum(len(w.doubt) for w in everyone),
                             stored_doubt))
    assert not missing, missing[:3]

    log = stop_server(srv)
    bad = srv.bad_log_lines(log)
    assert not bad, "server log has forbidden lines:\n" + "\n".join(bad)


@pytest.mark.failover
def test_a_write_in_flight_when_the_primary_dies_is_answered_503(pair):
    primary, standby, srv = pair
    director = signed_in(srv.url, "director@demo.test")
    save = list_saver(director)
    record, answer = save(1)
    assert answer[0] == 200, answer

    # The standby's WAL receiver stopped: the next commit waits for it,
    # and the primary dies while the server's transaction is in flight.
    receiver = int(standby.psql("SELECT pid FROM pg_stat_wal_receiver"))
    os.kill(receiver, signal.SIGSTOP)
    answers = []

    def in_flight():
        try:
            answers.append(save(2))
        except Exception as e:          # no answer at all
            answers.append((None, (None, None, repr(e))))
    saving = threading.Thread(target=in_flight)
    try:
        saving.start()
        deadline = time.monotonic() + 10
        while primary.psql("SELECT count(*) FROM pg_stat_activity WHERE "
                           "wait_event = 'SyncRep'").strip() != "1":
            assert time.monotonic() < deadline, "no commit waits"
            time.sleep(0.05)
        primary.kill()
    finally:
        os.kill(receiver, signal.SIGCONT)
    saving.join(timeout=60)
    [(sent, answer)] = answers
    assert busy(answer), (answer, srv.read_log()[-3000:])
    promote(standby)

    # Stored whole or not at all (the standby may have received the
    # commit before the crash): version 2 is the edit sent, or absent.
    deadline = time.monotonic() + BACK_WITHIN
    while True:
        status, _, body = director.call(
            "GET", "/api/cycles/%d/ranklist/versions" % CYCLE)
        if status == 200:
            break
        assert busy((status, _, body)), body
        assert time.monotonic() < deadline, "no answer after the promotion"
        time.sleep(0.02)
    stored = sorted(v["version"] for v in body["versions"])
    assert stored in ([1], [1, 2]), stored
    if stored == [1, 2]:
        status, _, view = director.call(
            "GET", "/api/cycles/%d/ranklist?version=2" % CYCLE)
        assert [(e["application_id"], e["reason"])
                for e in view["entries"]] == [
            (a, sent["reason"]) for a in sent["order"]]
    record, answer = save(3)
    assert answer[0] == 200 and answer[2]["version"] == stored[-1] + 1, \
        answer

    log = stop_server(srv)
    bad = srv.bad_log_lines(log)
    assert not bad, "server log has forbidden lines:\n" + "\n".join(bad)


@pytest.mark.failover
def test_a_read_only_primary_is_left_for_the_promoted_standby(pair):
    primary, standby, srv = pair
    director = signed_in(srv.url, "director@demo.test")
    save = list_saver(director)
    assert save.read()[0] == 200

    # Fenced: the primary refuses writes on the connections the server
    # holds, each learning it at its next statement, and new ones (a
    # rank list is saved on a task thread, whose connection is made at
    # its first use).
    primary.psql("ALTER SYSTEM SET default_transaction_read_only = on")
    primary.psql("SELECT pg_reload_conf()")
    answers = []
    for n in range(1, 40):
        record, answer = save(n)
        answers.append(answer)
        assert answer[0] == 200 or busy(answer), answer
        if answer[0] != 200:
            break
    assert busy(answers[-1]), [a[0] for a in answers]
    fenced = primary.psql("SELECT max(version) FROM ranklist_versions",
                          db="fellowship").strip()

    promote(standby)
    deadline = time.monotonic() + BACK_WITHIN
    while True:
        n += 1
        record, answer = save(n)
        if answer[0] == 200:
            break
        assert busy(answer), answer
        assert time.monotonic() < deadline, "no write after the promotion"
        time.sleep(0.02)
    version = answer[2]["version"]
    # The write is on the promoted standby; the fenced primary has none.
    assert standby.psql("SELECT max(version) FROM ranklist_versions",
                        db="fellowship").strip() == str(version)
    assert primary.psql("SELECT max(version) FROM ranklist_versions",
                        db="fellowship").strip() == fenced
    # No read through the server comes from the fenced primary any more.
    for _ in range(8):
        status, _, view = director.call("GET", "/api/cycles/%d/ranklist"
                                        % CYCLE)
        assert status == 200 or busy((status, _, view)), view
        if status == 200:
            assert view["version"] == version, view["version"]

    log = stop_server(srv)
    bad = srv.bad_log_lines(log)
    assert not bad, "server log has forbidden lines:\n" + "\n".join(bad)


@pytest.mark.failover
def test_a_commit_the_standby_did_not_confirm_is_not_a_success(pair):
    primary, standby, srv = pair
    director = signed_in(srv.url, "director@demo.test")
    save = list_saver(director)
    record, answer = save(1)
    assert answer[0] == 200, answer

    # With the standby gone a commit waits for it. An operator who
    # cancels the wait (pg_cancel_backend) leaves the commit on the
    # primary alone: PostgreSQL ends COMMIT with a warning, not an error.
    standby.stop()
    answers = []
    saving = threading.Thread(target=lambda: answers.append(save(2)[1]))
    saving.start()
    waits = "FROM pg_stat_activity WHERE wait_event = 'SyncRep'"
    deadline = time.monotonic() + 10
    while primary.psql("SELECT count(*) " + waits).strip() != "1":
        assert time.monotonic() < deadline, "no commit waits"
        time.sleep(0.05)
    primary.psql("SELECT pg_cancel_backend(pid) " + waits)
    saving.join(timeout=30)
    assert answers and busy(answers[0]), answers
    # Committed on the primary, in doubt: the answer did not say saved.
    assert primary.psql("SELECT max(version) FROM ranklist_versions",
                        db="fellowship").strip() == "2"

    # Without a synchronous standby named, writes are acknowledged again.
    primary.psql("ALTER SYSTEM SET synchronous_standby_names = ''")
    primary.psql("SELECT pg_reload_conf()")
    deadline = time.monotonic() + BACK_WITHIN
    n = 2
    while True:
        n += 1
        record, answer = save(n)
        if answer[0] == 200:
            break
        assert busy(answer), answer
        assert time.monotonic() < deadline, "no write acknowledged"
        time.sleep(0.05)
    assert answer[2]["version"] == 3

    log = stop_server(srv)
    bad = srv.bad_log_lines(log)
    assert not bad, "server log has forbidden lines:\n" + "\n".join(bad)
