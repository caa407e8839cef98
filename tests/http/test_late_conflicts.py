"""Frozen means frozen: once scoring is closed on a sheet a rater
submitted, or once the rank list is certified, a conflict of interest the
rater declares with that candidate is held for the staff's decision and
changes no sheet, no score and no ranking until the coordinator or the
director accepts it (then the sheet stops counting, as a conflict always
made it) or declines it (nothing changes). Before scoring closes a
declaration acts at once, as before. Against the real server on the demo
cycle (cycle 1). The rule is core/access.c's (tests/core/test_access.c).
"""
import pytest

from server import Client, Server

pytestmark = pytest.mark.abuse

CYCLE = 1
RANKING = "/api/cycles/%d/ranking" % CYCLE
CONFLICTS = "/api/cycles/%d/conflicts" % CYCLE


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    srv.director = Client(srv.url)
    assert srv.director.login("director@demo.test")[0] == 200
    srv.coord = Client(srv.url)
    assert srv.coord.login("coordinator@demo.test")[0] == 200
    srv.raters = {}
    for k in range(1, 7):
        c = Client(srv.url)
        assert c.login("faculty%d@demo.test" % k)[0] == 200
        srv.raters[c.user["id"]] = c
    yield srv
    _stop_and_check(srv)


def ranking(srv):
    status, _, body = srv.director.call("GET", RANKING)
    assert status == 200, body
    return body


def standing(srv):
    """What a late declaration must not move: every candidate's places,
    composite and sheets counted per phase."""
    return [(c["application_id"], c["rank"], c["composite"],
             {p: (v or {}).get("n") for p, v in c["phases"].items()})
            for c in ranking(srv)["candidates"]]


def cand(srv, app):
    [c] = [c for c in ranking(srv)["candidates"]
           if c["application_id"] == app]
    return c


def pairs(srv, phase="interview"):
    """(rater id, application id) of submitted sheets of the phase, of
    candidates with at least two such sheets (so one voided moves the
    composite), faculty raters only."""
    out = []
    for c in ranking(srv)["candidates"]:
        ph = c["phases"][phase]
        if ph and ph["n"] >= 2:
            out += [(s["rater_id"], c["application_id"])
                    for s in ph["scores"] if s["rater_id"] in srv.raters]
    return out


def declare(client, app, reason="Former trainee of mine.", **kw):
    return client.call("POST", "/api/applications/%d/conflicts" % app,
                       dict({"reason": reason}, **kw))


def decide(client, rid, decision, **kw):
    return client.call("POST", "/api/conflict-requests/%d" % rid,
                       {"decision": decision}, **kw)


def audit(srv, action):
    status, _, body = srv.director.call("GET", "/api/audit?limit=100")
    assert status == 200
    return [e for e in body["entries"] if e["action"] == action]


def close_scoring(srv, closed=True):
    for phase in ("screening", "interview"):
        status, _, body = srv.director.call(
            "PATCH", "/api/cycles/%d/phases/%s" % (CYCLE, phase),
            {"closed": closed})
        assert status == 200, body


def test_before_scoring_closes_a_declaration_acts_at_once(demo):
    rater, app = pairs(demo)[0]
    n = cand(demo, app)["phases"]["interview"]["n"]
    status, _, body = declare(demo.raters[rater], app)
    assert status == 201, body
    assert body["conflict"]["faculty_id"] == rater
    assert cand(demo, app)["phases"]["interview"]["n"] == n - 1
    demo.used = {(rater, app)}


def test_after_scoring_closes_a_declaration_waits_and_moves_nothing(demo):
    close_scoring(demo)
    rater, app = next(p for p in pairs(demo) if p[1] not in
                      {a for _, a in demo.used})
    before = standing(demo)
    composite = cand(demo, app)["composite"]
    f = demo.raters[rater]
    status, _, body = declare(f, app, kind="known_applicant")
    assert status == 202, body
    q = body["conflict_request"]
    assert q["status"] == "pending" and q["faculty_id"] == rater
    assert q["application_id"] == app and q["kind"] == "known_applicant"
    assert "interview phase is closed" in q["held_because"]
    # Nothing moved: the ranking, the composite, the sheets counted.
    assert standing(demo) == before
    assert cand(demo, app)["composite"] == composite
    # No conflict recorded; the rater still reaches the candidate.
    status, _, mine = f.call("GET", CONFLICTS)
    assert status == 200
    assert app not in [c["application_id"] for c in mine["conflicts"]]
    [r] = [r for r in mine["requests"] if r["id"] == q["id"]]
    assert r["status"] == "pending"
    assert f.call("GET", "/api/applications/%d" % app)[0] == 200
    # Declared again, or by staff for someone else: refused.
    assert declare(f, app)[0] == 409
    other = next(r for r in demo.raters if r != rater)
    status, _, body = declare(demo.raters[other], app, faculty_id=rater)
    assert status == 403, body
    # The staff see it: the conflicts page, both home pages, the gate.
    status, _, staff = demo.coord.call("GET", CONFLICTS)
    assert [r["id"] for r in staff["requests"]
            if r["status"] == "pending"] == [q["id"]]
    for client in (demo.coord, demo.director):
        status, _, home = client.call("GET", "/api/home")
        [part] = [p for p in home["cycles"] if p["cycle"]["id"] == CYCLE]
        assert [x["id"] for x in part["pending_conflicts"]] == [q["id"]]
    status, _, home = f.call("GET", "/api/home")
    assert "pending_conflicts" not in str(home)
    status, _, ready = demo.director.call(
        "GET", "/api/cycles/%d/ranklist/readiness" % CYCLE)
    [b] = [b for b in ready["blocking"] if b["code"] == "conflicts_pending"]
    assert b["items"][0]["request_id"] == q["id"]
    [a] = audit(demo, "conflict.request")
    assert a["detail"]["request"] == q["id"]
    assert "awaits the staff" in a["text"]
    demo.pending = q


def test_who_may_decide_and_bad_requests(demo):
    q = demo.pending
    before = standing(demo)
    path = "/api/conflict-requests/%d" % q["id"]
    # Faculty (the rater themselves, or another), an applicant: 403.
    for f in demo.raters.values():
        assert decide(f, q["id"], "accept")[0] == 403
    a = Client(demo.url)
    assert a.login("applicant@demo.test")[0] == 200
    assert decide(a, q["id"], "accept")[0] == 403
    assert Client(demo.url).call("POST", path, {"decision": "accept"})[0] \
        == 401
    # Without the CSRF token; malformed, unknown keys, bad values.
    assert decide(demo.coord, q["id"], "accept", csrf=False)[0] == 403
    for raw in (b"{", b"[]", b'{"decision": "accept", "decision": "x"}'):
        status, _, body = demo.coord.call(
            "POST", path, raw=raw,
            headers={"Content-Type": "application/json"})
        assert status == 400, (raw, body)
    status, _, body = demo.coord.call(
        "POST", path, {"decision": "accept", "colour": "red"})
    assert status == 400, body
    status, _, body = demo.coord.call("POST", path, {"note": "x"})
    assert status == 400, body
    status, _, body = decide(demo.coord, q["id"], "maybe")
    assert status == 422 and body["error"]["field"] == "decision", body
    status, _, body = demo.coord.call(
        "POST", path, {"decision": "accept", "note": "x" * 1001})
    assert status == 422 and body["error"]["field"] == "note", body
    assert decide(demo.coord, 999999, "accept")[0] == 404
    # Nothing was decided, nothing moved.
    assert standing(demo) == before
    status, _, staff = demo.coord.call("GET", CONFLICTS)
    [r] = [r for r in staff["requests"] if r["id"] == q["id"]]
    assert r["status"] == "pending"
    assert audit(demo, "conflict.accept") == []


def test_accepted_the_sheet_stops_counting(demo):
    q = demo.pending
    app, rater = q["application_id"], q["faculty_id"]
    c = cand(demo, app)
    n = c["phases"]["interview"]["n"]
    status, _, body = decide(demo.coord, q["id"], "accept")
    assert status == 200, body
    r = body["conflict_request"]
    assert r["status"] == "accepted"
    assert r["decided_by_name"] == "Sam Okafor" and r["decided_at"]
    after = cand(demo, app)
    assert after["phases"]["interview"]["n"] == n - 1
    assert rater not in [s["rater_id"] for s in
                         after["phases"]["interview"]["scores"]]
    status, _, mine = demo.raters[rater].call("GET", CONFLICTS)
    assert [x for x in mine["conflicts"] if x["application_id"] == app]
    [x] = [x for x in mine["requests"] if x["id"] == q["id"]]
    assert x["status"] == "accepted"
    # Decided twice: refused, nothing changes.
    status, _, body = decide(demo.director, q["id"], "decline")
    assert status == 409, body
    assert "accepted already" in body["error"]["message"]
    assert cand(demo, app)["phases"]["interview"]["n"] == n - 1
    [a] = audit(demo, "conflict.accept")
    assert a["detail"]["request"] == q["id"]
    assert a["detail"]["faculty_id"] == rater


def test_declined_nothing_changes(demo):
    used = {a for _, a in demo.used} | {demo.pending["application_id"]}
    rater, app = next(p for p in pairs(demo) if p[1] not in used)
    before = standing(demo)
    status, _, body = declare(demo.raters[rater], app)
    assert status == 202, body
    q = body["conflict_request"]
    status, _, body = demo.director.call(
        "POST", "/api/conflict-requests/%d" % q["id"],
        {"decision": "decline", "note": "Met once at a congress."})
    assert status == 200, body
    assert body["conflict_request"]["status"] == "declined"
    assert body["conflict_request"]["note"] == "Met once at a congress."
    assert standing(demo) == before
    status, _, mine = demo.raters[rater].call("GET", CONFLICTS)
    assert app not in [c["application_id"] for c in mine["conflicts"]]
    assert decide(demo.coord, q["id"], "accept")[0] == 409
    assert standing(demo) == before
    [a] = audit(demo, "conflict.decline")
    assert a["detail"]["note"] == "Met once at a congress."
    demo.used |= {(rater, app)}


def test_after_certification_a_declaration_waits_too(demo):
    status, _, ready = demo.director.call(
        "GET", "/api/cycles/%d/ranklist/readiness" % CYCLE)
    assert ready["blocking"] == [], ready
    status, _, cert = demo.director.call(
        "POST", "/api/cycles/%d/ranklist/certify" % CYCLE,
        {"acknowledged": [w["code"] for w in ready["warnings"]]})
    assert status == 200, cert
    # Scoring reopened in both phases: the certified list alone holds it.
    close_scoring(demo, False)
    used = {a for _, a in demo.used} | {demo.pending["application_id"]}
    rater, app = next(p for p in pairs(demo) if p[1] not in used)
    before = standing(demo)
    status, _, body = declare(demo.raters[rater], app)
    assert status == 202, body
    q = body["conflict_request"]
    assert q["held_because"] == "The rank list is certified."
    assert standing(demo) == before
    # Accepted, the ranking follows; the certified list keeps what it
    # certified.
    assert decide(demo.director, q["id"], "accept")[0] == 200
    assert standing(demo) != before
    status, _, view = demo.coord.call("GET", "/api/cycles/%d/ranklist"
                                      % CYCLE)
    assert view["state"] == "certified"
    assert [(e["application_id"], e["composite"]) for e in view["entries"]] \
        == [(e["application_id"], e["composite"]) for e in cert["entries"]]
