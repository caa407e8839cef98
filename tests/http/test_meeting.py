"""The rank meeting: the director starts one for the demo cycle (a
snapshot of the sheets and the order, and the agenda), who else may not,
a sheet changed during it is logged with before, after, who and when, the
agenda's candidates are marked as discussed, the end compares the order
before and after, the archive keeps it and still imports, and a
certified list holds no meeting. The tests run in order on one server."""
import json
import os
import subprocess
import time

import pytest

from server import ROOT, Client, Server, database_env

CYCLE = 1
MEETING = "/api/cycles/%d/meeting" % CYCLE
FELLOWCTL = os.path.join(ROOT, "build", "san", "fellowctl")


def get(client, path):
    status, _, body = client.call("GET", path)
    assert status == 200, (path, body)
    return body


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    srv.clients = {}
    for role in ("director", "coordinator"):
        c = Client(srv.url)
        assert c.login(role + "@demo.test")[0] == 200
        srv.clients[role] = c
    srv.director = srv.clients["director"]
    srv.state = {}
    yield srv
    _stop_and_check(srv)


def client(demo, email):
    c = Client(demo.url)
    assert c.login(email)[0] == 200
    return c


def move_clock(srv, seconds):
    """Moves the server's clock seconds on from where it reads now and
    returns the new instant once every process of the server reads it.
    Each process reads the clock file again in its first call of a new
    second of the system's monotonic clock (src/ops/clock.c): so once
    such a second has begun since the move and the server answers with
    the moved clock, none reads the old one."""
    at = srv.now() + seconds
    srv.set_clock(at)
    moved = int(time.monotonic())
    deadline = time.monotonic() + 10
    c = srv.director
    while int(time.monotonic()) <= moved or \
            get(c, "/api/home")["now"] < at:
        assert time.monotonic() < deadline, "the server's clock did not move"
        time.sleep(0.05)
    return at


def audit_actions(demo):
    body = get(demo.director, "/api/audit?limit=200")
    return [r["action"] for r in body["entries"]]


def test_no_meeting_yet(demo):
    body = get(demo.director, MEETING)
    assert body["meeting"] is None and body["positions"] == 2
    assert get(demo.clients["coordinator"], MEETING)["meeting"] is None
    assert get(demo.director, MEETING + "s") == {"meetings": []}


def test_start_refused_to_others_and_bad_requests(demo):
    for email in ("coordinator@demo.test", "faculty1@demo.test",
                  "applicant@demo.test"):
        status, _, body = client(demo, email).call("POST", MEETING)
        assert status == 403, (email, body)
    status, _, body = Client(demo.url).call("POST", MEETING)
    assert status == 401
    # The coordinator's refusal says who runs it.
    status, _, body = demo.clients["coordinator"].call("POST", MEETING)
    assert "director" in body["error"]["message"]
    d = demo.director
    status, _, body = d.call("POST", MEETING, csrf=False)
    assert status == 403 and body["error"]["code"] == "csrf"
    status, _, body = d.call("POST", MEETING, raw=b"{not json",
                             headers={"Content-Type": "application/json"})
    assert status == 400, body
    status, _, body = d.call("POST", MEETING, {"agenda": []})
    assert status == 400, body
    status, _, body = d.call("POST", "/api/cycles/999999/meeting")
    assert status == 404, body
    status, _, body = d.call("GET", "/api/cycles/999999/meeting")
    assert status == 404, body
    # Faculty and applicants see nothing of it.
    status, _, _ = client(demo, "faculty1@demo.test").call("GET", MEETING)
    assert status == 403
    # Nothing was started.
    assert get(d, MEETING)["meeting"] is None
    assert "meeting.start" not in audit_actions(demo)


def test_start_locks_a_snapshot_and_the_agenda(demo):
    d = demo.director
    ranking = get(d, "/api/cycles/%d/ranking" % CYCLE)
    status, _, body = d.call("POST", MEETING, {})
    assert status == 200, body
    m = body["meeting"]
    assert m["state"] == "open" and m["started_by_name"] == \
        "Dr. Maria Alvarez" and m["ended_at"] is None
    assert abs(m["started_at"] - demo.now()) <= 2
    agenda = body["agenda"]
    assert agenda and body["progress"] == {"discussed": 0,
                                           "total": len(agenda)}
    # In composite order; places 1 to 4 (two positions) are on it, with
    # their reasons in words; every item has a reason.
    ranks = [a["rank"] for a in agenda]
    assert ranks == sorted(ranks)
    pool = [c for c in ranking["candidates"] if c["in_list"] and c["rank"]]
    near = [c["application_id"] for c in pool if 1 <= c["rank"] <= 4]
    assert set(near) <= {a["application_id"] for a in agenda}
    for a in agenda:
        assert a["reasons"], a
        for r in a["reasons"]:
            assert r["code"] in ("near_line", "unsettled", "disagree",
                                 "may_swap")
            assert r["text"].endswith(".")
        assert a["discussed"] is False
        assert a["sheets"], a
    first = agenda[0]
    assert any(r["code"] == "near_line" and "line" in r["text"]
               for r in first["reasons"])
    # Every rater's sheet, with item scores and comments.
    s = first["sheets"][0]
    assert {"phase", "rater_name", "score", "items", "comment", "version",
            "changed"} <= set(s)
    assert s["changed"] is False and s["items"][0]["label"]
    # The order at the start is the composite order now.
    assert body["order_before"] == body["order_after"]
    assert body["moved"] == [] and body["changes"] == []
    assert [o["application_id"] for o in body["order_before"]] == \
        [c["application_id"] for c in pool]
    # The snapshot is stored: every submitted sheet.
    assert "meeting.start" in audit_actions(demo)
    demo.state["agenda"] = agenda
    # One meeting at a time.
    status, _, body = d.call("POST", MEETING)
    assert status == 409 and "open already" in body["error"]["message"]
    # The coordinator follows it.
    assert get(demo.clients["coordinator"], MEETING)["meeting"]["id"] == \
        m["id"]


def test_sheet_change_during_the_meeting_is_logged(demo):
    d = demo.director
    users = {u["id"]: u for u in get(d, "/api/users?limit=200")["users"]}
    item, sheet = next(
        (a, s) for a in demo.state["agenda"] for s in a["sheets"]
        if s["phase"] == "interview" and
        users[s["rater_id"]]["role"] == "faculty")
    rater = client(demo, users[sheet["rater_id"]]["email"])
    path = "/api/applications/%d/scores/interview" % item["application_id"]
    own = get(rater, path)["sheet"]
    values = dict(own["values"])
    key = sorted(values)[0]
    values[key] = 1 if values[key] != 1 else 5
    at = move_clock(demo, 90 * 60)
    status, _, body = rater.call("PUT", path, {
        "values": values, "comment": "Changed my mind after the discussion.",
        "submit": True})
    assert status == 200, body
    body = get(d, MEETING)
    [c] = body["changes"]
    assert c["application_id"] == item["application_id"]
    assert c["name"] == item["name"] and c["phase"] == "interview"
    assert c["kind"] == "edit"
    assert c["rater_name"] == users[sheet["rater_id"]]["name"]
    assert c["changed_by_name"] == users[sheet["rater_id"]]["name"]
    assert 0 <= c["at"] - at <= 5
    assert c["before"]["values"] == own["values"]
    assert c["before"]["comment"] == own["comment"]
    assert c["after"]["values"] == values
    assert c["after"]["comment"] == "Changed my mind after the discussion."
    assert c["before"]["score"] != c["after"]["score"]
    assert abs(c["before"]["score"] - sheet["score"]) < 1e-9
    # The agenda shows the sheet as changed since the start.
    [a] = [a for a in body["agenda"]
           if a["application_id"] == item["application_id"]]
    [s] = [s for s in a["sheets"] if s["sheet_id"] == sheet["sheet_id"]]
    assert s["changed"] is True and s["values"] == values
    # Saving the same again changes nothing and logs nothing.
    status, _, _ = rater.call("PUT", path, {
        "values": values, "comment": "Changed my mind after the discussion.",
        "submit": True})
    assert status == 200
    assert len(get(d, MEETING)["changes"]) == 1
    demo.state["changed"] = item
    demo.state["rater"] = (rater, path, values)


def test_items_marked_as_discussed(demo):
    d = demo.director
    agenda = demo.state["agenda"]
    app = agenda[0]["application_id"]
    item = "%s/items/%d" % (MEETING, app)
    status, _, _ = demo.clients["coordinator"].call(
        "POST", item, {"discussed": True})
    assert status == 403
    status, _, body = d.call("POST", item, {"discussed": True}, csrf=False)
    assert status == 403 and body["error"]["code"] == "csrf"
    for bad in ({"discussed": "yes"}, {}, {"discussed": True, "x": 1}):
        status, _, body = d.call("POST", item, bad)
        assert status == 400, (bad, body)
    status, _, _ = d.call("POST", item, raw=b"[",
                          headers={"Content-Type": "application/json"})
    assert status == 400
    on = {a["application_id"] for a in agenda}
    ranking = get(d, "/api/cycles/%d/ranking" % CYCLE)
    other = next(c["application_id"] for c in ranking["candidates"]
                 if c["application_id"] not in on)
    status, _, body = d.call("POST", "%s/items/%d" % (MEETING, other),
                             {"discussed": True})
    assert status == 404 and "agenda" in body["error"]["message"]
    status, _, body = d.call("POST", "/api/cycles/999999/meeting/items/%d"
                             % app, {"discussed": True})
    assert status == 404
    status, _, body = d.call("POST", item, {"discussed": True})
    assert status == 200, body
    assert body == {"application_id": app, "discussed": True,
                    "progress": {"discussed": 1, "total": len(agenda)}}
    status, _, body = d.call("POST", item, {"discussed": False})
    assert status == 200 and body["progress"]["discussed"] == 0
    status, _, body = d.call("POST", item, {"discussed": True})
    assert body["progress"]["discussed"] == 1
    view = get(d, MEETING)
    assert view["progress"]["discussed"] == 1
    [a] = [a for a in view["agenda"] if a["application_id"] == app]
    assert a["discussed"] is True
    assert a["discussed_by_name"] == "Dr. Maria Alvarez"
    actions = audit_actions(demo)
    assert actions.count("meeting.discussed") == 2
    assert actions.count("meeting.undiscussed") == 1


def test_end_shows_the_order_before_and_after(demo):
    d = demo.director
    status, _, _ = demo.clients["coordinator"].call("POST", MEETING + "/end")
    assert status == 403
    status, _, body = d.call("POST", MEETING + "/end", csrf=False)
    assert status == 403 and body["error"]["code"] == "csrf"
    status, _, _ = d.call("POST", MEETING + "/end", {"now": 1})
    assert status == 400
    status, _, body = d.call("POST", MEETING + "/end", raw=b"{not json",
                             headers={"Content-Type": "application/json"})
    assert status == 400 and body["error"]["code"] == "bad_json", body
    assert get(d, MEETING)["meeting"]["state"] == "open"
    at = move_clock(demo, 90 * 60)
    status, _, body = d.call("POST", MEETING + "/end")
    assert status == 200, body
    m = body["meeting"]
    assert m["state"] == "ended" and m["ended_by_name"] == \
        "Dr. Maria Alvarez" and 0 <= m["ended_at"] - at <= 5
    ranking = get(d, "/api/cycles/%d/ranking" % CYCLE)
    now = [c["application_id"] for c in ranking["candidates"]
           if c["in_list"] and c["rank"]]
    assert [o["application_id"] for o in body["order_after"]] == now
    before = {o["application_id"]: o["rank"] for o in body["order_before"]}
    after = {o["application_id"]: o["rank"] for o in body["order_after"]}
    moved = {x["application_id"]: (x["from"], x["to"])
             for x in body["moved"]}
    assert moved == {k: (v, after.get(k)) for k, v in before.items()
                     if after.get(k) != v}
    [c] = body["changes"]
    assert c["application_id"] == demo.state["changed"]["application_id"]
    # The changed candidate's composite moved.
    [o] = [o for o in body["order_before"]
           if o["application_id"] == c["application_id"]]
    [n] = [o for o in body["order_after"]
           if o["application_id"] == c["application_id"]]
    assert o["composite"] != n["composite"]
    assert "meeting.end" in audit_actions(demo)
    # Ended: nothing more to end or mark.
    status, _, body = d.call("POST", MEETING + "/end")
    assert status == 409 and "No rank meeting" in body["error"]["message"]
    status, _, _ = d.call("POST", "%s/items/%d" % (
        MEETING, demo.state["agenda"][0]["application_id"]),
        {"discussed": False})
    assert status == 409
    # The history.
    [h] = get(d, MEETING + "s")["meetings"]
    assert h["state"] == "ended" and h["changes"] == 1 and \
        h["discussed"] == 1 and h["agenda"] == len(demo.state["agenda"])
    # A sheet changed after the end is no longer logged.
    rater, path, values = demo.state["rater"]
    status, _, _ = rater.call("PUT", path, {
        "values": values, "comment": "After the meeting.", "submit": True})
    assert status == 200
    assert len(get(d, MEETING)["changes"]) == 1


def test_export_keeps_the_meeting_and_still_imports(demo, tmp_path):
    status, _, raw = demo.director.call(
        "GET", "/api/cycles/%d/export.json" % CYCLE)
    assert status == 200
    doc = json.loads(raw) if isinstance(raw, (bytes, str)) else raw
    [m] = doc["meetings"]
    assert m["started_by_name"] == "Dr. Maria Alvarez"
    assert m["ended_at"] is not None
    assert len(m["snapshot"]["sheets"]) >= len(doc["sheets"])
    assert m["snapshot"]["order"] and m["snapshot"]["positions"] == 2
    assert [a["application_id"] for a in m["agenda"]] == \
        [a["application_id"] for a in demo.state["agenda"]]
    assert len(m["changes"]) == 1 and m["changes"][0]["before"]
    assert [i["discussed"] for i in m["items"]] == [True]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc))
    fresh = tmp_path / "fresh"
    env = dict(os.environ, **database_env(fresh))
    out = subprocess.run([FELLOWCTL, "migrate"], env=env, text=True,
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    out = subprocess.run([FELLOWCTL, "import", str(path)], env=env,
                         text=True, capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1].startswith("imported cycle")


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    """A second demo server, for what would change the first's single
    meeting (its changes are counted above)."""
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("other"), demo=True).start()
    srv.director = Client(srv.url)
    assert srv.director.login("director@demo.test")[0] == 200
    yield srv
    _stop_and_check(srv)


def test_conflict_during_the_meeting_is_recorded_and_logged(other):
    d = other.director
    status, _, body = d.call("POST", MEETING, {})
    assert status == 200, body
    users = {u["id"]: u for u in get(d, "/api/users?limit=200")["users"]}
    item, sheet = next(
        (a, s) for a in body["agenda"] for s in a["sheets"]
        if users[s["rater_id"]]["role"] == "faculty")
    app, rater = item["application_id"], sheet["rater_id"]
    # Each of the rater's submitted sheets of the candidate stops, then
    # starts again, to count.
    sheets = [s for s in item["sheets"] if s["rater_id"] == rater]
    assert sheets
    status, _, body = d.call("POST", "/api/applications/%d/conflicts" % app,
                             {"faculty_id": rater,
                              "reason": "Trained together."})
    assert status == 201, body
    conflict = body["conflict"]["id"]
    view = get(d, MEETING)
    assert [c["kind"] for c in view["changes"]] == ["conflict"] * len(sheets)
    [a] = [a for a in view["agenda"] if a["application_id"] == app]
    assert all(s["counts"] is False and s["changed"] is True
               for s in a["sheets"] if s["rater_id"] == rater)
    status, _, body = d.call("DELETE", "/api/conflicts/%d" % conflict)
    assert status == 204, body
    changes = get(d, MEETING)["changes"]
    assert [c["kind"] for c in changes] == \
        ["conflict"] * len(sheets) + ["conflict_removed"] * len(sheets)
    for c in changes:
        assert c["application_id"] == app and c["rater_id"] == rater
        assert c["changed_by_name"] == "Dr. Maria Alvarez"
        assert abs(c["at"] - other.now()) <= 5
    assert [c["before"]["counts"] for c in changes] == \
        [True] * len(sheets) + [False] * len(sheets)
    assert [c["after"]["counts"] for c in changes] == \
        [False] * len(sheets) + [True] * len(sheets)
    actions = audit_actions(other)
    assert "conflict.declare" in actions and "conflict.remove" in actions
    [h] = get(d, MEETING + "s")["meetings"]
    assert h["changes"] == 2 * len(sheets)


def test_the_view_keeps_the_positions_of_its_start(other):
    d = other.director
    view = get(d, MEETING)
    assert view["meeting"]["state"] == "open" and view["positions"] == 2
    cycle = "/api/cycles/%d" % CYCLE
    status, _, body = d.call("PATCH", cycle, {"positions": 3})
    assert status == 200, body
    try:
        # The agenda's reasons speak of two positions: so does the view.
        again = get(d, MEETING)
        assert again["positions"] == 2
        assert again["agenda"] == view["agenda"]
    finally:
        status, _, body = d.call("PATCH", cycle, {"positions": 2})
        assert status == 200, body


def test_certified_list_refuses_a_meeting(demo):
    d = demo.director
    for phase in ("screening", "interview"):
        assert d.call("PATCH", "/api/cycles/%d/phases/%s" % (CYCLE, phase),
                      {"closed": True})[0] == 200
    ready = get(d, "/api/cycles/%d/ranklist/readiness" % CYCLE)
    ack = {"acknowledged": [w["code"] for w in ready["warnings"]]}
    status, _, body = d.call("POST", "/api/cycles/%d/ranklist/certify"
                             % CYCLE, ack)
    assert status == 200, body
    status, _, body = d.call("POST", MEETING)
    assert status == 409 and "certified" in body["error"]["message"]
    assert len(get(d, MEETING + "s")["meetings"]) == 1
