"""Review: rubrics (validation, director only, frozen versions), phase
settings (the coordinator sets the deadline only; closing stops scoring),
conflicts of interest (declared by faculty or recorded by staff, hiding
the candidate from the rater by every route), assignments (by hand, all
or nothing; balanced: k raters per candidate, a cap per rater, conflicts
respected, a connected rater-candidate graph), score sheets (scale,
criteria, draft and submission, the change log, who sees whose sheets),
reminders, and two raters saving at once against the real server.

Most tests use the demo cycle at the interview stage (55 submitted
candidates, three screening raters each, the seeded conflicts); tests
that need a clean slate get cycles of their own, created once per module,
with demo applicants applying to them. Those applications are marked
submitted through the database (as in test_interviews.py), except one per
cycle that goes through the real submission: fields, two PDFs, submit."""
import json
import time

import pytest

import pdfs
from conftest import OPEN_CYCLE
from reliability import at_once
from server import Client, Server

COMPLETE = {
    "first_name": "Rita", "last_name": "Review",
    "email": "rita.review@example.org", "phone": "+1 (617) 555-0101",
    "mailing_address": "2 Main Street\nBoston, MA 02114",
    "medical_school": "Karolinska", "medical_school_year": 2017,
    "residency_program": "HSS Orthopaedic Surgery", "residency_year": 2025,
    "usmle_step1": "pass", "usmle_step2_ck": 248,
    "publications_count": 4, "research_summary": "Limb salvage outcomes.",
}
POOL = 10          # demo applicants who apply to the module's own cycles


# Fixtures and helpers ---------------------------------------------------

def signed_in(srv, email):
    c = Client(srv.url)
    status, body = c.login(email)
    assert status == 200, body
    c.id = body["user"]["id"]
    return c


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    try:
        srv.director = signed_in(srv, "director@demo.test")
        srv.coord = signed_in(srv, "coordinator@demo.test")
        srv.fac = {k: signed_in(srv, "faculty%d@demo.test" % k)
                   for k in range(1, 7)}
        srv.applicant = signed_in(srv, "applicant@demo.test")
        # One after another: sign-ins are throttled per address.
        srv.pool = [signed_in(srv, "applicant%02d@demo.test" % (k + 1))
                    for k in range(POOL)]
        cycles = srv.director.call("GET", "/api/cycles")[2]["cycles"]
        srv.cycle = [c["id"] for c in cycles if c["state"] == "review"][0]
        srv.cycle_name = [c["name"] for c in cycles
                          if c["id"] == srv.cycle][0]
        srv.taken = set()
    except BaseException:
        _stop_and_check(srv)
        raise
    yield srv
    _stop_and_check(srv)


def q(srv, sql, args=()):
    con = srv.db()
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def one(srv, sql, args=()):
    return q(srv, sql, args)[0][0]


def snapshot(srv):
    """Everything review writes, to compare before and after a refusal."""
    return {t: q(srv, "SELECT * FROM %s ORDER BY 1" % t) for t in (
        "rubrics", "phases", "assignments", "score_sheets", "score_changes",
        "conflicts")} | {"audit": one(srv, "SELECT max(id) FROM audit_log"),
                         "outbox": one(srv, "SELECT count(*) FROM outbox")}


def assignments(client, cid, phase=None, faculty_id=None):
    """The assignments view, filtered here rather than by the query
    (test_faculty_see_their_own_assignments_only tests the query)."""
    status, _, body = client.call("GET", "/api/cycles/%d/assignments" % cid)
    assert status == 200, body
    for name, want in (("phase", phase), ("faculty_id", faculty_id)):
        if want is not None:
            for part in ("assignments", "raters"):
                body[part] = [r for r in body[part] if r[name] == want]
    return body


def take(srv, k, phase, sheet):
    """An assignment of faculty k in the demo cycle with the sheet state
    given that no other test has taken; returns its application id. When
    the demo has none left without a sheet, the coordinator assigns one
    more screening candidate."""
    rows = assignments(srv.fac[k], srv.cycle, phase=phase)["assignments"]
    for r in rows:
        if r["sheet"] == sheet and r["application_id"] not in srv.taken:
            srv.taken.add(r["application_id"])
            return r["application_id"]
    assert sheet == "none" and phase == "screening"
    mine = {r["application_id"] for r in assignments(
        srv.fac[k], srv.cycle)["assignments"]}
    app = [a for (a,) in q(
        srv, "SELECT id FROM applications a WHERE cycle_id = ? AND status "
        "= 'submitted' AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE "
        "c.application_id = a.id AND c.faculty_id = ?) ORDER BY id DESC",
        (srv.cycle, srv.fac[k].id))
        if a not in mine and a not in srv.taken][0]
    srv.taken.add(app)
    status, _, body = srv.coord.call(
        "PUT", "/api/cycles/%d/assignments" % srv.cycle,
        [{"faculty_id": srv.fac[k].id, "application_id": app,
          "phase": "screening"}])
    assert status == 200 and body["added"] == 1, body
    return app


def sheet_path(app, phase="screening", all_=False):
    return "/api/applications/%d/scores/%s%s" % (app, phase,
                                                  "/all" if all_ else "")


def rubric(srv, cid, phase="screening", client=None, version=None):
    path = "/api/cycles/%d/rubrics/%s" % (cid, phase)
    if version is not None:
        path += "?version=%d" % version
    status, _, body = (client or srv.director).call("GET", path)
    assert status == 200, body
    return body


def keys_of(srv, cid, phase="screening"):
    return [c["key"] for c in rubric(srv, cid, phase)["rubric"]["criteria"]]


def full_values(srv, cid, phase="screening", v=3):
    return {k: v for k in keys_of(srv, cid, phase)}


def criterion(key, weight, lo=1, hi=5, **extra):
    c = {"key": key, "label": key.replace("_", " ").title(),
         "description": "How the candidate does on %s." % key,
         "min": lo, "max": hi,
         "anchors": ["Level %d of %s" % (i, key) for i in range(lo, hi + 1)],
         "weight": weight}
    c.update(extra)
    return c


GOOD = [criterion("clinical", 40), criterion("research", 35),
        criterion("teamwork", 25, lo=0, hi=3)]

CYCLE_NO = iter(range(1, 100))


def new_cycle(srv, n, drafts=0, api_submit=1):
    """An open cycle of its own with n submitted candidates (the first
    api_submit of them submitted through the API) and drafts draft
    applications; returns (cycle id, candidate ids, draft ids)."""
    assert n + drafts <= POOL
    status, _, body = srv.director.call(
        "POST", "/api/cycles",
        dict(OPEN_CYCLE, name="Review cycle %d" % next(CYCLE_NO)))
    assert status == 201, body
    cid = body["cycle"]["id"]
    assert srv.director.call("PATCH", "/api/cycles/%d" % cid,
                             {"state": "open"})[0] == 200
    ids = []
    for c in srv.pool[:n + drafts]:
        status, _, body = c.call("GET", "/api/cycles/%d/application" % cid)
        assert status == 200, body
        ids.append(body["application"]["id"])
    for c, app in list(zip(srv.pool, ids))[:api_submit]:
        assert c.call("PUT", "/api/cycles/%d/application" % cid,
                      {"fields": COMPLETE})[0] == 200
        for kind in ("cv", "personal_statement"):
            status, _, body = c.upload("/api/applications/%d/documents" % app,
                                       {"kind": kind}, data=pdfs.valid())
            assert status == 201, body
        status, _, body = c.call("POST",
                                 "/api/cycles/%d/application/submit" % cid)
        assert status == 200, body
    con = srv.db()
    con.executemany(
        "UPDATE applications SET status = 'submitted', fields = ?, "
        "submitted_at = ? WHERE id = ?",
        [(json.dumps({"first_name": "Cand", "last_name": "No%d" % i}),
          srv.now_text(), a)
         for i, a in enumerate(ids[api_submit:n])])
    con.commit()
    con.close()
    return cid, ids[:n], ids[n:]


def assign(srv, cid, pairs, phase="screening"):
    status, _, body = srv.coord.call(
        "PUT", "/api/cycles/%d/assignments" % cid,
        [{"faculty_id": srv.fac[k].id, "application_id": a, "phase": phase}
         for k, a in pairs])
    assert status == 200, body
    return body


def save(client, app, values, phase="screening", **kw):
    body = dict(kw, values=values)
    return client.call("PUT", sheet_path(app, phase), body)


def mails_with(srv, text, n, timeout=15):
    deadline = time.time() + timeout
    while True:
        found = [m for m in srv.mails() if text in m]
        if len(found) >= n or time.time() > deadline:
            return found
        time.sleep(0.1)


def audit(srv, action):
    status, _, body = srv.director.call("GET", "/api/audit?limit=200")
    assert status == 200, body
    return [e for e in body["entries"] if e["action"] == action]


@pytest.fixture(scope="module")
def versioned(demo):
    """A cycle whose rubric nobody has saved yet: two candidates."""
    cid, apps, _ = new_cycle(demo, 2)
    return cid, apps


@pytest.fixture(scope="module")
def manual(demo):
    """A cycle for assignment by hand: three candidates, one draft."""
    return new_cycle(demo, 3, drafts=1)


@pytest.fixture(scope="module")
def balanced(demo):
    """A cycle for automatic assignment: nine candidates."""
    cid, apps, _ = new_cycle(demo, 9)
    return cid, apps


# Rubrics ----------------------------------------------------------------

def test_rubric_shows_version_frozen_and_criteria(demo):
    for who in (demo.fac[1], demo.coord, demo.director):
        body = rubric(demo, demo.cycle, "screening", client=who)
        r = body["rubric"]
        assert r["version"] == 1 and r["frozen"] is True
        assert r["phase"] == "screening" and r["cycle_id"] == demo.cycle
        assert sum(c["weight"] for c in r["criteria"]) == 100
        for c in r["criteria"]:
            assert c["key"] and c["label"] and c["min"] < c["max"]
            assert len(c["anchors"]) == c["max"] - c["min"] + 1
        [v] = body["versions"]
        assert v["version"] == 1 and v["submitted_sheets"] > 0
    inter = rubric(demo, demo.cycle, "interview")["rubric"]
    assert inter["phase"] == "interview" and inter["frozen"] is True
    assert {c["key"] for c in inter["criteria"]} != set(
        keys_of(demo, demo.cycle))
    # Applicants are not let through the reviewers' gate; unknown
    # versions and cycles are not found.
    path = "/api/cycles/%d/rubrics/screening" % demo.cycle
    assert demo.applicant.call("GET", path)[0] == 403
    assert demo.director.call(
        "GET", "/api/cycles/999999/rubrics/screening")[0] == 404
    assert demo.director.call(
        "GET", "/api/cycles/%d/rubrics/final" % demo.cycle)[0] == 404
    assert rubric(demo, demo.cycle, version=1)["rubric"]["version"] == 1
    status, _, body = demo.director.call("GET", path + "?version=7")
    assert status == 404, body["rubric"]["version"]


def test_only_the_director_changes_a_rubric(demo, versioned):
    cid, _ = versioned
    path = "/api/cycles/%d/rubrics/interview" % cid
    before = snapshot(demo)
    for who in (demo.coord, demo.fac[1], demo.applicant):
        status, _, body = who.call("PUT", path, {"criteria": GOOD})
        assert status == 403, body
        assert body["error"]["code"] == "forbidden"
    assert snapshot(demo) == before
    assert rubric(demo, cid, "interview")["rubric"]["version"] == 0


BAD_RUBRICS = {
    "weights sum to 90": [criterion("a", 40), criterion("b", 50)],
    "weights sum to 110": [criterion("a", 60), criterion("b", 50)],
    "min equals max": [criterion("a", 100, lo=3, hi=3, anchors=["x"])],
    "min above max": [criterion("a", 100, lo=4, hi=2, anchors=["x"] * 3)],
    "max above 10": [criterion("a", 100, lo=1, hi=11)],
    "negative min": [criterion("a", 100, lo=-1, hi=3)],
    "scale not integers": [criterion("a", 100, min=1.0)],
    "too few anchors": [criterion("a", 100, anchors=["1", "2", "3", "4"])],
    "too many anchors": [criterion("a", 100, anchors=["x"] * 6)],
    "empty anchor": [criterion("a", 100, anchors=["1", "", "3", "4", "5"])],
    "anchor too long": [criterion("a", 100,
                                  anchors=["x" * 201, "2", "3", "4", "5"])],
    "duplicate keys": [criterion("a", 50), criterion("a", 50)],
    "key with capitals": [criterion("Clinical", 100)],
    "key starting with a digit": [criterion("1st", 100)],
    "key with a dash": [criterion("a-b", 100)],
    "key of 32 characters": [criterion("k" * 32, 100)],
    "empty key": [dict(criterion("x", 100), key="")],
    "no criteria": [],
    "13 criteria": [criterion("c%d" % i, 8 if i < 12 else 4)
                    for i in range(13)],
    "weight 0": [criterion("a", 0), criterion("b", 100)],
    "weight 101": [criterion("a", 101)],
    "weight as text": [criterion("a", "100")],
    "unknown member": [criterion("a", 100, colour="red")],
    "empty label": [criterion("a", 100, label="")],
    "label of 101 characters": [criterion("a", 100, label="L" * 101)],
    "description of 1001 characters":
        [criterion("a", 100, description="d" * 1001)],
    "criterion not an object": ["clinical"],
    "criteria not a list": {"a": criterion("a", 100)},
}


@pytest.mark.parametrize("case", sorted(BAD_RUBRICS))
def test_rubric_rules_are_checked(demo, versioned, case):
    cid, _ = versioned
    before = snapshot(demo)
    status, _, body = demo.director.call(
        "PUT", "/api/cycles/%d/rubrics/screening" % cid,
        {"criteria": BAD_RUBRICS[case]})
    assert status == 422, (case, body)
    assert body["error"]["field"] == "criteria", body
    assert body["error"]["message"]
    assert snapshot(demo) == before


def test_rubric_limits_that_are_valid(demo, versioned):
    """The edges of the rules are accepted: 12 criteria, a 0-10 scale, a
    31-character key, weight 1; nothing is left behind on a later save."""
    cid, _ = versioned
    path = "/api/cycles/%d/rubrics/interview" % cid
    twelve = [criterion("c%d" % i, 9 if i < 11 else 1) for i in range(12)]
    twelve[0] = criterion("k" * 31, 9, lo=0, hi=10)
    status, _, body = demo.director.call("PUT", path, {"criteria": twelve})
    assert status == 200, body
    assert body["versioned"] is False and body["rubric"]["version"] == 1
    assert len(body["rubric"]["criteria"]) == 12
    status, _, body = demo.director.call("PUT", path, {"criteria": GOOD})
    assert status == 200 and body["rubric"]["version"] == 1
    assert body["rubric"]["criteria"] == GOOD


def test_rubric_request_errors(demo, versioned):
    cid, _ = versioned
    path = "/api/cycles/%d/rubrics/screening" % cid
    before = snapshot(demo)
    d = demo.director
    status, _, body = d.call("PUT", path, raw=b'{"criteria": [',
                             headers={"Content-Type": "application/json"})
    assert status == 400 and body["error"]["code"] == "bad_json"
    status, _, body = d.call("PUT", path, {"criteria": GOOD, "extra": 1})
    assert status == 400 and body["error"]["code"] == "bad_json"
    status, _, body = d.call("PUT", path, [GOOD])
    assert status == 400 and body["error"]["code"] == "bad_json"
    status, _, body = d.call("PUT", path, {"criteria": GOOD}, csrf=False)
    assert status == 403 and body["error"]["code"] == "csrf"
    status, _, body = d.call("PUT", path, {"criteria": GOOD},
                             headers={"X-CSRF-Token": "x" * 43})
    assert status == 403 and body["error"]["code"] == "csrf"
    big = {"criteria": [criterion("a", 100, description="d" * 70000)]}
    status, _, body = d.call("PUT", path, big)
    assert status == 413 and body["error"]["code"] == "too_large"
    status, _, body = d.call("PUT", path, raw=json.dumps(
        {"criteria": GOOD}).encode(), headers={"Content-Type": "text/plain"})
    assert status == 415
    assert d.call("PUT", "/api/cycles/999999/rubrics/screening",
                  {"criteria": GOOD})[0] == 404
    assert snapshot(demo) == before


def test_frozen_rubric_gets_a_new_version_old_sheets_keep_theirs(
        demo, versioned):
    cid, (a, b) = versioned
    path = "/api/cycles/%d/rubrics/screening" % cid
    d = demo.director
    # Nothing saved yet: the built-in default, version 0.
    r = rubric(demo, cid)
    assert r["rubric"]["version"] == 0 and r["rubric"]["frozen"] is False
    assert r["versions"] == []
    v1 = [criterion("clinical", 60), criterion("research", 40)]
    status, _, body = d.call("PUT", path, {"criteria": v1})
    assert status == 200 and body["versioned"] is False
    assert body["rubric"]["version"] == 1
    # Unfrozen: a second save changes version 1 in place.
    v1[1]["label"] = "Scholarship"
    status, _, body = d.call("PUT", path, {"criteria": v1})
    assert status == 200 and body["versioned"] is False
    assert body["rubric"]["version"] == 1 and not body["rubric"]["frozen"]
    assert body["rubric"]["criteria"] == v1
    assert one(demo, "SELECT count(*) FROM rubrics WHERE cycle_id = ? AND "
               "phase = 'screening'", (cid,)) == 1
    # A draft alone does not freeze it; a submitted sheet does.
    assign(demo, cid, [(1, a), (2, a), (1, b)])
    status, _, body = save(demo.fac[1], b, {"clinical": 2})
    assert status == 200 and body["sheet"]["status"] == "draft"
    assert rubric(demo, cid)["rubric"]["frozen"] is False
    status, _, body = save(demo.fac[1], a, {"clinical": 4, "research": 5},
                           submit=True)
    assert status == 200, body
    assert body["sheet"]["rubric_version"] == 1
    r = rubric(demo, cid)
    assert r["rubric"]["frozen"] is True
    assert r["versions"][0]["submitted_sheets"] == 1
    # Changing it now makes version 2.
    v2 = [criterion("clinical", 50), criterion("letters", 50, lo=0, hi=3)]
    status, _, body = d.call("PUT", path, {"criteria": v2})
    assert status == 200, body
    assert body["versioned"] is True and body["rubric"]["version"] == 2
    assert body["rubric"]["frozen"] is False
    assert [v["version"] for v in body["versions"]] in ([1, 2], [2, 1])
    assert rubric(demo, cid)["rubric"]["version"] == 2
    # The submitted sheet keeps version 1, with its values.
    status, _, body = demo.fac[1].call("GET", sheet_path(a))
    assert status == 200
    assert body["sheet"]["rubric_version"] == 1
    assert body["sheet"]["values"] == {"clinical": 4, "research": 5}
    assert body["rubric"]["version"] == 1
    assert body["rubric"]["criteria"] == v1
    # ... and is edited on version 1: its keys, not version 2's.
    status, _, body = save(demo.fac[1], a, {"clinical": 3, "research": 5})
    assert status == 200 and body["sheet"]["rubric_version"] == 1
    status, _, body = save(demo.fac[1], a, {"clinical": 3, "letters": 2})
    assert status == 422 and body["error"]["field"] == "values.letters"
    # A new draft (and the old draft, when saved again) use version 2.
    status, _, body = save(demo.fac[2], a, {"letters": 3})
    assert status == 200 and body["sheet"]["rubric_version"] == 2
    status, _, body = demo.fac[2].call("GET", sheet_path(a))
    assert body["rubric"]["version"] == 2
    status, _, body = save(demo.fac[1], b, {"letters": 0})
    assert status == 200 and body["sheet"]["rubric_version"] == 2
    status, _, body = save(demo.fac[2], a, {"research": 3})
    assert status == 422 and body["error"]["field"] == "values.research"
    rows = q(demo, "SELECT s.rater_id, r.version FROM score_sheets s JOIN "
             "rubrics r ON r.id = s.rubric_id WHERE s.application_id = ? "
             "ORDER BY s.rater_id", (a,))
    assert rows == [(demo.fac[1].id, 1), (demo.fac[2].id, 2)]
    # The staff's list of sheets names each one's version.
    status, _, body = d.call("GET", sheet_path(a, all_=True))
    assert status == 200
    assert [(s["rater_id"], s["rubric_version"]) for s in body["sheets"]] \
        == [(demo.fac[1].id, 1)]
    assert audit(demo, "rubric.save")
    # Earlier versions stay readable.
    assert rubric(demo, cid, version=2)["rubric"]["criteria"] == v2
    old = rubric(demo, cid, version=1)["rubric"]
    assert old["version"] == 1 and old["frozen"] is True
    assert old["criteria"] == v1


# Phases -----------------------------------------------------------------

def test_coordinator_sets_the_deadline_only(demo, versioned):
    cid, _ = versioned
    path = "/api/cycles/%d/phases/interview" % cid
    status, _, body = demo.coord.call("PATCH", path,
                                      {"scoring_due": "2099-02-20T17:00"})
    assert status == 200, body
    assert body["phase"]["scoring_due"] == "2099-02-20T17:00"
    before = snapshot(demo)
    for change in ({"closed": True}, {"weight": 50},
                   {"scoring_due": "2099-02-21T17:00", "closed": True}):
        status, _, body = demo.coord.call("PATCH", path, change)
        assert status == 403, (change, body)
        assert body["error"]["code"] == "forbidden"
    for change, field in (({"scoring_due": "tomorrow"}, "scoring_due"),
                          ({"scoring_due": "2099-02-30T17:00"},
                           "scoring_due"),
                          ({"colour": "red"}, "colour")):
        status, _, body = demo.coord.call("PATCH", path, change)
        assert status == 422 and body["error"]["field"] == field, body
    for change, field in (({"weight": 101}, "weight"),
                          ({"weight": "50"}, "weight"),
                          ({"closed": "yes"}, "closed")):
        status, _, body = demo.director.call("PATCH", path, change)
        assert status == 422 and body["error"]["field"] == field, body
    assert demo.fac[1].call("PATCH", path, {"scoring_due": None})[0] == 403
    assert snapshot(demo) == before
    phases = demo.fac[1].call("GET", "/api/cycles/%d/phases" % cid)[2][
        "phases"]
    inter = [p for p in phases if p["phase"] == "interview"][0]
    assert inter["closed"] is False and inter["weight"] == 70
    assert inter["scoring_due"] == "2099-02-20T17:00"
    status, _, body = demo.director.call("PATCH", path, {"weight": 60})
    assert status == 200 and body["phase"]["weight"] == 60


def test_closed_phase_refuses_sheets_until_reopened(demo):
    d, f1 = demo.director, demo.fac[1]
    path = "/api/cycles/%d/phases/screening" % demo.cycle
    fresh = take(demo, 1, "screening", "none")
    done = take(demo, 1, "screening", "submitted")
    values = full_values(demo, demo.cycle)
    status, _, body = d.call("PATCH", path, {"closed": True})
    assert status == 200 and body["phase"]["closed"] is True
    try:
        before = snapshot(demo)
        for app in (fresh, done):
            status, _, body = save(f1, app, values, submit=True)
            assert status == 409, body
            assert body["error"]["code"] == "conflict"
        status, _, body = f1.call("GET", sheet_path(fresh))
        assert status == 200 and body["closed"] is True
        assert body["scoring_open"] is False
        # No reminders for a closed phase either.
        status, _, body = demo.coord.call(
            "POST", "/api/cycles/%d/reminders" % demo.cycle,
            {"phase": "screening"})
        assert status == 409, body
        # The other phase is still open.
        inter = take(demo, 1, "interview", "none")
        status, _, body = save(f1, inter, {}, phase="interview")
        assert status == 200, body
        before["score_sheets"] = q(demo, "SELECT * FROM score_sheets "
                                   "ORDER BY 1")
        before["audit"] = one(demo, "SELECT max(id) FROM audit_log")
        assert snapshot(demo) == before
    finally:
        status, _, body = d.call("PATCH", path, {"closed": False})
        assert status == 200 and body["phase"]["closed"] is False
    status, _, body = save(f1, fresh, values, submit=True)
    assert status == 200 and body["sheet"]["status"] == "submitted"
    assert audit(demo, "phase.close") and audit(demo, "phase.reopen")


# Conflicts --------------------------------------------------------------

def reach(client, app, doc=None, writes=True):
    """The status of every route that reads or scores app (writes: also
    try to save an empty draft)."""
    out = {
        "application": client.call("GET", "/api/applications/%d" % app)[0],
        "documents": client.call(
            "GET", "/api/applications/%d/documents" % app)[0],
        "letters": client.call(
            "GET", "/api/applications/%d/letters" % app)[0],
    }
    for phase in ("screening", "interview"):
        out["get " + phase] = client.call("GET", sheet_path(app, phase))[0]
        if writes:
            out["put " + phase] = client.call(
                "PUT", sheet_path(app, phase), {"values": {}})[0]
        out["all " + phase] = client.call(
            "GET", sheet_path(app, phase, all_=True))[0]
    if doc is not None:
        out["document"] = client.call("GET", "/api/documents/%d" % doc)[0]
    return out


def documents_of(srv, app):
    status, _, body = srv.director.call(
        "GET", "/api/applications/%d/documents" % app)
    assert status == 200, body
    return [d["id"] for d in body["documents"]]


def test_seeded_conflict_hides_the_candidate_from_every_route(demo):
    conflicts = demo.director.call(
        "GET", "/api/cycles/%d/conflicts" % demo.cycle)[2]["conflicts"]
    [c] = [c for c in conflicts if c["kind"] == "conflict" and
           c["faculty_id"] == demo.fac[2].id]
    assert c["faculty_name"] == "Dr. Priya Raman" and c["reason"]
    app = c["application_id"]
    [k] = [c for c in conflicts if c["kind"] == "known_applicant"]
    assert k["faculty_id"] == demo.fac[4].id
    docs = documents_of(demo, app)
    assert docs
    before = snapshot(demo)
    got = reach(demo.fac[2], app, docs[0])
    assert set(got.values()) == {404}, got
    assert snapshot(demo) == before
    # Not in any list either.
    rows = assignments(demo.fac[2], demo.cycle)["assignments"]
    assert rows and app not in {r["application_id"] for r in rows}
    listed = demo.fac[2].call(
        "GET", "/api/cycles/%d/applications?limit=1000" % demo.cycle)[2][
        "applications"]
    assert listed and app not in {a["id"] for a in listed}
    mine = demo.fac[2].call("GET", "/api/cycles/%d/conflicts" %
                            demo.cycle)[2]
    assert [x["application_id"] for x in mine["conflicts"]] == [app]
    assert app not in {x["application_id"] for x in mine["candidates"]}
    # A rater assigned to the candidate reaches it.
    others = {r["faculty_id"] for r in assignments(
        demo.director, demo.cycle, phase="screening")["assignments"]
        if r["application_id"] == app}
    assert demo.fac[2].id not in others and len(others) == 3
    # Staff cannot assign the pair either: nothing of the batch is written.
    free = [r["application_id"] for r in assignments(
        demo.director, demo.cycle, phase="screening")["assignments"]]
    status, _, body = demo.coord.call(
        "PUT", "/api/cycles/%d/assignments" % demo.cycle,
        [{"faculty_id": demo.fac[2].id, "application_id": a,
          "phase": "screening"} for a in (free[-1], app)])
    assert status == 422, body
    assert "conflict" in body["error"]["message"]
    assert snapshot(demo) == before


def test_faculty_declares_own_conflict_and_loses_the_candidate(demo):
    f3 = demo.fac[3]
    app = take(demo, 3, "screening", "submitted")
    docs = documents_of(demo, app)
    got = reach(f3, app, docs[0], writes=False)
    assert got["application"] == got["documents"] == got["document"] == 200
    assert got["get screening"] == got["all screening"] == 200
    staff_all = demo.director.call("GET", sheet_path(app, all_=True))[2]
    assert f3.id in {s["rater_id"] for s in staff_all["sheets"]}
    status, _, body = f3.call("POST", "/api/applications/%d/conflicts" % app,
                              {"reason": "My nephew."})
    assert status == 201, body
    c = body["conflict"]
    assert c["faculty_id"] == f3.id and c["application_id"] == app
    assert c["kind"] == "conflict" and c["reason"] == "My nephew."
    assert one(demo, "SELECT count(*) FROM assignments WHERE "
               "application_id = ? AND faculty_id = ?", (app, f3.id)) == 0
    rows = assignments(f3, demo.cycle)["assignments"]
    assert app not in {r["application_id"] for r in rows}
    before = snapshot(demo)
    got = reach(f3, app, docs[0])
    assert set(got.values()) == {404}, got
    assert snapshot(demo) == before
    # The rater's earlier sheet no longer counts.
    staff_all = demo.director.call("GET", sheet_path(app, all_=True))[2]
    assert f3.id not in {s["rater_id"] for s in staff_all["sheets"]}
    assert [x["id"] for x in f3.call(
        "GET", "/api/cycles/%d/conflicts" % demo.cycle)[2]["conflicts"]] \
        == [c["id"]]
    [entry] = [e for e in audit(demo, "conflict.declare")
               if e["detail"]["conflict"] == c["id"]]
    assert entry["object"] == "application:%d" % app
    assert entry["detail"]["assignments_removed"] is True
    # Faculty cannot remove it; staff can.
    status, _, body = f3.call("DELETE", "/api/conflicts/%d" % c["id"])
    assert status == 403
    assert one(demo, "SELECT count(*) FROM conflicts WHERE id = ?",
               (c["id"],)) == 1
    assert demo.coord.call("DELETE", "/api/conflicts/%d" % c["id"])[0] == 204
    assert demo.coord.call("DELETE", "/api/conflicts/%d" % c["id"])[0] == 404
    assert one(demo, "SELECT count(*) FROM conflicts WHERE id = ?",
               (c["id"],)) == 0
    assert audit(demo, "conflict.remove")


def test_conflict_declarations_are_checked(demo):
    f1, coord = demo.fac[1], demo.coord
    app = take(demo, 1, "screening", "none")
    path = "/api/applications/%d/conflicts" % app
    before = snapshot(demo)
    status, _, body = f1.call("POST", path, {"faculty_id": demo.fac[2].id,
                                             "reason": "Not mine to say."})
    assert status == 403 and body["error"]["code"] == "forbidden"
    for payload, field in (({}, "reason"), ({"reason": ""}, "reason"),
                           ({"reason": "   "}, "reason"),
                           ({"reason": "x" * 1001}, "reason"),
                           ({"reason": "a\u0001b"}, "reason"),
                           ({"reason": "R", "kind": "friend"}, "kind")):
        status, _, body = f1.call("POST", path, payload)
        assert status == 422, (payload, body)
        assert body["error"]["field"] == field
    for payload in ({"reason": 5}, {"reason": "R", "colour": "red"},
                    {"reason": "a\u0000b"},
                    {"faculty_id": "3", "reason": "R"}):
        status, _, body = f1.call("POST", path, payload)
        assert status == 400, (payload, body)
    # Staff name the rater, who must be faculty or the director.
    for fid in (None, coord.id, demo.applicant.id, 999999, -1):
        payload = {"reason": "Family."}
        if fid is not None:
            payload["faculty_id"] = fid
        status, _, body = coord.call("POST", path, payload)
        assert status == 422, (fid, body)
        assert body["error"]["field"] == "faculty_id"
    # Nothing there: not found; no CSRF token: refused.
    assert f1.call("POST", "/api/applications/999999/conflicts",
                   {"reason": "R"})[0] == 404
    assert f1.call("POST", path, {"reason": "R"}, csrf=False)[0] == 403
    assert demo.applicant.call("POST", path, {"reason": "R"})[0] == 403
    assert snapshot(demo) == before
    # Staff record one for a faculty member, of the known-applicant kind.
    status, _, body = coord.call("POST", path, {
        "faculty_id": f1.id, "reason": "Rotated with us.",
        "kind": "known_applicant"})
    assert status == 201, body
    assert body["conflict"]["faculty_id"] == f1.id
    assert body["conflict"]["kind"] == "known_applicant"
    assert body["conflict"]["recorded_by"] == coord.id
    cid = body["conflict"]["id"]
    after = snapshot(demo)
    for who, payload in ((f1, {"reason": "Again."}),
                         (demo.director, {"faculty_id": f1.id,
                                          "reason": "Again."})):
        status, _, body = who.call("POST", path, payload)
        assert status == 409, body
    assert snapshot(demo) == after
    assert app not in {r["application_id"] for r in assignments(
        f1, demo.cycle)["assignments"]}
    assert f1.call("GET", "/api/applications/%d" % app)[0] == 404
    assert demo.director.call("DELETE", "/api/conflicts/%d" % cid)[0] == 204


# Assignments ------------------------------------------------------------

def test_manual_assignment_is_all_or_nothing(demo, manual):
    cid, (a, b, c), (draft,) = manual
    path = "/api/cycles/%d/assignments" % cid
    coord = demo.coord
    f1, f2 = demo.fac[1].id, demo.fac[2].id
    status, _, body = coord.call(
        "POST", "/api/applications/%d/conflicts" % c,
        {"faculty_id": f2, "reason": "Co-author."})
    assert status == 201, body
    good = {"faculty_id": f1, "application_id": a, "phase": "screening"}
    before = snapshot(demo)
    status, _, body = coord.call("PUT", path, good)
    assert status == 400 and body["error"]["code"] == "bad_json"
    status, _, body = coord.call("PUT", path, raw=b"[{",
                                 headers={"Content-Type": "application/json"})
    assert status == 400
    refusals = [
        ([], "assignments"),
        ([good, dict(good, faculty_id=f2, application_id=c)], None),
        ([good, dict(good, application_id=draft)], "application_id"),
        ([good, dict(good, application_id=999999)], "application_id"),
        ([good, dict(good, application_id=demo_app(demo))],
         "application_id"),
        ([good, dict(good, phase="interview")], "application_id"),
        ([good, dict(good, faculty_id=coord.id)], "faculty_id"),
        ([good, dict(good, faculty_id=demo.applicant.id)], "faculty_id"),
        ([good, dict(good, faculty_id=999999)], "faculty_id"),
        ([good, dict(good, phase="final")], "assignments"),
        ([good, {"faculty_id": f1, "application_id": b}], "assignments"),
        ([good, dict(good, colour="red")], "assignments"),
        ([good, "x"], "assignments"),
        ([good] * 501, "assignments"),
    ]
    for items, field in refusals:
        status, _, body = coord.call("PUT", path, items)
        assert status == 422, (items[-1], body)
        assert body["error"].get("field") == field, (items[-1], body)
    status, _, body = demo.fac[1].call("PUT", path, [good])
    assert status == 403
    status, _, body = coord.call("PUT", path, [good], csrf=False)
    assert status == 403 and body["error"]["code"] == "csrf"
    assert snapshot(demo) == before
    # A good batch is written whole; repeating it adds nothing.
    batch = [good, dict(good, application_id=b),
             dict(good, faculty_id=f2, application_id=a),
             dict(good, faculty_id=f2, application_id=b)]
    status, _, body = coord.call("PUT", path, batch)
    assert status == 200 and body == {"added": 4, "removed": 0}
    status, _, body = coord.call("PUT", path, batch)
    assert status == 200 and body == {"added": 0, "removed": 0}
    # A pair with a submitted sheet stays; one with a draft may go.
    values = full_values(demo, cid)
    assert save(demo.fac[1], a, values, submit=True)[0] == 200
    assert save(demo.fac[2], a, {})[0] == 200
    before = snapshot(demo)
    status, _, body = coord.call("PUT", path, [
        dict(good, faculty_id=f2, application_id=b, assigned=False),
        dict(good, assigned=False)])
    assert status == 409, body
    assert snapshot(demo) == before
    status, _, body = coord.call("PUT", path, [
        dict(good, faculty_id=f2, assigned=False)])
    assert status == 200 and body == {"added": 0, "removed": 1}
    pairs = {(r["faculty_id"], r["application_id"])
             for r in assignments(coord, cid)["assignments"]}
    assert pairs == {(f1, a), (f1, b), (f2, b)}
    assert demo.fac[2].call("GET", sheet_path(a))[0] == 404
    assert audit(demo, "assignment.set")


def test_assignment_changes_stay_in_their_cycle(demo, manual):
    """A batch sent to one cycle never adds or removes another cycle's
    assignments."""
    cid = manual[0]
    f6 = demo.fac[6].id
    app = take(demo, 6, "screening", "none")
    pair = ("SELECT count(*) FROM assignments WHERE cycle_id = ? AND "
            "application_id = ? AND faculty_id = ? AND phase = 'screening'")
    assert one(demo, pair, (demo.cycle, app, f6)) == 1
    before = snapshot(demo)
    item = {"faculty_id": f6, "application_id": app, "phase": "screening"}
    status, _, body = demo.coord.call(
        "PUT", "/api/cycles/%d/assignments" % cid, [item])
    assert status == 422 and body["error"]["field"] == "application_id"
    assert snapshot(demo) == before
    status, _, body = demo.coord.call(
        "PUT", "/api/cycles/%d/assignments" % cid,
        [dict(item, assigned=False)])
    assert one(demo, pair, (demo.cycle, app, f6)) == 1, (status, body)
    assert status == 422 or (status == 200 and body["removed"] == 0), body


def demo_app(srv):
    """A submitted candidate of the demo cycle (not of this one)."""
    return one(srv, "SELECT min(id) FROM applications WHERE cycle_id = ? "
               "AND status = 'submitted'", (srv.cycle,))


def test_interview_assignment_needs_an_invitation(demo, manual):
    cid, (a, b, c), _ = manual
    path = "/api/cycles/%d/assignments" % cid
    item = {"faculty_id": demo.fac[3].id, "application_id": b,
            "phase": "interview"}
    before = snapshot(demo)
    status, _, body = demo.coord.call("PUT", path, [item])
    assert status == 422 and body["error"]["field"] == "application_id"
    assert snapshot(demo) == before
    status, _, body = demo.coord.call(
        "POST", "/api/cycles/%d/interview-invitations" % cid,
        {"application_ids": [b]})
    assert status == 200, body
    status, _, body = demo.coord.call("PUT", path, [item])
    assert status == 200 and body["added"] == 1
    # The director scores without an assignment, on any candidate of the
    # phase; faculty need theirs.
    assert demo.director.call("GET", sheet_path(b, "interview"))[0] == 200
    assert demo.director.call("GET", sheet_path(a, "interview"))[0] == 404
    assert demo.fac[3].call("GET", sheet_path(b, "interview"))[0] == 200
    assert demo.fac[3].call("GET", sheet_path(b, "screening"))[0] == 404


def test_faculty_see_their_own_assignments_only(demo):
    f1, f2 = demo.fac[1], demo.fac[2]
    body = assignments(f1, demo.cycle)
    assert body["assignments"]
    assert {r["faculty_id"] for r in body["assignments"]} == {f1.id}
    assert {r["faculty_id"] for r in body["raters"]} == {f1.id}
    assert {r["phase"] for r in body["assignments"]} == {"screening",
                                                         "interview"}
    path = "/api/cycles/%d/assignments" % demo.cycle
    status, _, own = f1.call("GET", path + "?faculty_id=%d" % f1.id)
    assert status == 200 and own["assignments"] == body["assignments"]
    # Malformed filters never widen the view.
    for bad in ("phase=final", "faculty_id=x", "faculty_id=-1",
                "phase=" + "s" * 200):
        status, _, got = f1.call("GET", path + "?" + bad)
        assert status in (200, 400), (bad, got)
        if status == 200:
            assert {r["faculty_id"] for r in got["assignments"]} == {f1.id}
    assert demo.applicant.call("GET", path)[0] == 403
    assert f1.call("GET", "/api/cycles/999999/assignments")[0] == 404
    # The query filters, by rater and by phase.
    status, _, err = f1.call("GET", path + "?faculty_id=%d" % f2.id)
    assert status == 403 and err["error"]["code"] == "forbidden", \
        {r["faculty_id"] for r in err.get("assignments", [])}
    status, _, staff = demo.coord.call("GET", path + "?faculty_id=%d" % f2.id)
    assert status == 200 and staff["assignments"]
    assert {r["faculty_id"] for r in staff["assignments"]} == {f2.id}
    status, _, everyone = demo.coord.call("GET", path + "?phase=screening")
    assert status == 200
    assert {r["phase"] for r in everyone["assignments"]} == {"screening"}
    assert len({r["faculty_id"] for r in everyone["assignments"]}) == 6
    # Each rater's load and progress add up.
    for r in everyone["raters"]:
        mine = [x for x in everyone["assignments"]
                if x["faculty_id"] == r["faculty_id"]]
        assert r["assigned"] == len(mine)
        assert r["submitted"] == sum(x["sheet"] == "submitted" for x in mine)
        assert r["draft"] == sum(x["sheet"] == "draft" for x in mine)
    assert everyone["graph"]["screening"]["connected"] is True


def auto(srv, cid, **kw):
    body = dict({"phase": "screening"}, **kw)
    return srv.coord.call("POST", "/api/cycles/%d/assignments/auto" % cid,
                          body)


def test_auto_assignment_refusals_change_nothing(demo, balanced):
    cid, apps = balanced
    # Nine candidates and six raters: 3 x 9 = 27 > 4 x 6 = 24.
    before = snapshot(demo)
    status, _, body = auto(demo, cid, raters_per_candidate=3,
                           max_per_rater=4)
    assert status == 422, body
    assert body["error"]["message"]
    for kw, field in (({"raters_per_candidate": 0, "max_per_rater": 5},
                       "raters_per_candidate"),
                      ({"raters_per_candidate": 21, "max_per_rater": 5},
                       "raters_per_candidate"),
                      ({"raters_per_candidate": 2, "max_per_rater": 0},
                       "max_per_rater"),
                      ({"raters_per_candidate": 2, "max_per_rater": 5,
                        "phase": "final"}, "phase"),
                      ({"raters_per_candidate": 2, "max_per_rater": 5,
                        "rater_ids": []}, "rater_ids"),
                      ({"raters_per_candidate": 2, "max_per_rater": 5,
                        "rater_ids": [demo.coord.id]}, "rater_ids"),
                      ({"raters_per_candidate": 2, "max_per_rater": 5,
                        "rater_ids": ["x"]}, "rater_ids")):
        status, _, body = auto(demo, cid, **kw)
        assert status == 422, (kw, body)
        assert body["error"]["field"] == field
    for kw in ({"raters_per_candidate": 2},
               {"raters_per_candidate": "2", "max_per_rater": 5},
               {"raters_per_candidate": 2, "max_per_rater": 5, "x": 1}):
        status, _, body = auto(demo, cid, **kw)
        assert status == 400, (kw, body)
    # No candidates of the phase yet: nobody is invited to interview.
    status, _, body = auto(demo, cid, phase="interview",
                           raters_per_candidate=1, max_per_rater=9)
    assert status == 422 and body["error"]["message"]
    status, _, body = demo.fac[1].call(
        "POST", "/api/cycles/%d/assignments/auto" % cid,
        {"phase": "screening", "raters_per_candidate": 1,
         "max_per_rater": 9})
    assert status == 403
    assert snapshot(demo) == before
    assert one(demo, "SELECT count(*) FROM assignments WHERE cycle_id = ?",
               (cid,)) == 0


def test_auto_assignment_meets_k_cap_conflicts_and_connects(demo, balanced):
    cid, apps = balanced
    fid = {k: demo.fac[k].id for k in demo.fac}
    for k, app in ((1, apps[0]), (2, apps[0]), (2, apps[1]), (5, apps[8])):
        status, _, body = demo.coord.call(
            "POST", "/api/applications/%d/conflicts" % app,
            {"faculty_id": fid[k], "reason": "Colleague."})
        assert status == 201, body
    conflicts = {(fid[1], apps[0]), (fid[2], apps[0]), (fid[2], apps[1]),
                 (fid[5], apps[8])}
    # Existing assignments count against the cap and are kept.
    assign(demo, cid, [(3, apps[2]), (3, apps[3]), (3, apps[4])])
    # Infeasible because of the conflicts: with k = 5 candidate 0 would
    # need five of the four raters it has no conflict with.
    before = snapshot(demo)
    status, _, body = auto(demo, cid, raters_per_candidate=5,
                           max_per_rater=9)
    assert status == 422 and body["error"]["message"]
    assert snapshot(demo) == before
    k, cap = 2, 4
    status, _, body = auto(demo, cid, raters_per_candidate=k,
                           max_per_rater=cap)
    assert status == 200, body
    assert body["connected"] is True and body["components"] == 1
    assert body["warnings"] == []
    rows = q(demo, "SELECT faculty_id, application_id FROM assignments "
             "WHERE cycle_id = ? AND phase = 'screening'", (cid,))
    pairs = set(rows)
    assert len(pairs) == len(rows)
    assert body["added"] == len(pairs) - 3
    assert {(fid[3], apps[i]) for i in (2, 3, 4)} <= pairs
    assert not pairs & conflicts
    per_cand = {a: sum(1 for _, x in pairs if x == a) for a in apps}
    per_rater = {f: sum(1 for x, _ in pairs if x == f) for f in fid.values()}
    assert min(per_cand.values()) >= k, per_cand
    assert max(per_rater.values()) <= cap, per_rater
    # The loads reported are the raters' totals.
    assert {l["faculty_id"]: l["assigned"] for l in body["loads"]} == \
        per_rater
    assert all(l["name"] for l in body["loads"])
    # Raters and candidates form one connected graph.
    seen, todo = set(), [("r", fid[3])]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for f, a in pairs:
            if node == ("r", f):
                todo.append(("c", a))
            elif node == ("c", a):
                todo.append(("r", f))
    assert {a for kind, a in seen if kind == "c"} == set(apps)
    view = assignments(demo.coord, cid, phase="screening")
    assert view["graph"]["screening"]["connected"] is True
    assert view["graph"]["screening"]["candidates"] == 9
    # Run again: everyone has k already, nothing is added.
    status, _, again = auto(demo, cid, raters_per_candidate=k,
                            max_per_rater=cap)
    assert status == 200 and again["added"] == 0
    assert set(q(demo, "SELECT faculty_id, application_id FROM assignments "
                 "WHERE cycle_id = ? AND phase = 'screening'",
                 (cid,))) == pairs
    [entry] = [e for e in audit(demo, "assignment.auto")
               if e["object"] == "cycle:%d" % cid and
               e["detail"]["added"] == body["added"]]
    assert entry["detail"]["k"] == k and entry["detail"]["cap"] == cap


def test_auto_assignment_says_when_the_graph_cannot_connect(demo):
    """Two raters, each in conflict with the other's candidates: the
    assignment is made, split in two groups, with a warning."""
    cid2, apps, _ = new_cycle(demo, 4, api_submit=0)
    f5, f6 = demo.fac[5].id, demo.fac[6].id
    for f, app in ((f5, apps[0]), (f5, apps[1]), (f6, apps[2]),
                   (f6, apps[3])):
        assert demo.coord.call("POST", "/api/applications/%d/conflicts" %
                               app, {"faculty_id": f, "reason": "Kin."})[
            0] == 201
    status, _, body = auto(demo, cid2, raters_per_candidate=1,
                           max_per_rater=10, rater_ids=[f5, f6])
    assert status == 200, body
    assert body["connected"] is False and body["components"] == 2
    assert body["warnings"] and all(body["warnings"])
    assert set(q(demo, "SELECT faculty_id, application_id FROM "
                 "assignments WHERE cycle_id = ?", (cid2,))) == {
        (f6, apps[0]), (f6, apps[1]), (f5, apps[2]), (f5, apps[3])}
    graph = assignments(demo.coord, cid2)["graph"]["screening"]
    assert graph["connected"] is False and graph["components"] == 2


# Scoring ----------------------------------------------------------------

def test_sheet_values_are_checked_and_refusals_change_nothing(demo):
    f1 = demo.fac[1]
    app = take(demo, 1, "screening", "none")
    keys = keys_of(demo, demo.cycle)
    crit = rubric(demo, demo.cycle)["rubric"]["criteria"][0]
    first = crit["key"]
    values = {k: 3 for k in keys}
    before = snapshot(demo)
    cases = [
        ({first: crit["max"] + 1}, "values." + first),
        ({first: crit["min"] - 1}, "values." + first),
        ({first: -3}, "values." + first),
        ({"bedside_manner": 3}, "values.bedside_manner"),
        ({first: "3"}, "values." + first),
        ({first: 3.5}, "values." + first),
        ({first: 3.0}, "values." + first),
        ({first: True}, "values." + first),
        ({first: None}, "values." + first),
        (dict(values, extra=4), "values.extra"),
        ([3, 3, 3, 3, 3], "values"),
        ("all threes", "values"),
    ]
    for v, field in cases:
        for submit in (False, True):
            status, _, body = save(f1, app, v, submit=submit)
            assert status == 422, (v, body)
            assert body["error"]["field"] == field, (v, body)
            assert body["error"]["message"]
    # Submitting with a criterion missing names it.
    missing = keys[-1]
    status, _, body = save(f1, app, {k: 3 for k in keys[:-1]}, submit=True)
    assert status == 422 and body["error"]["field"] == "values." + missing
    label = rubric(demo, demo.cycle)["rubric"]["criteria"][-1]["label"]
    assert label in body["error"]["message"]
    status, _, body = save(f1, app, values, comment="c" * 4001)
    assert status == 422 and body["error"]["field"] == "comment"
    status, _, body = save(f1, app, values, comment="bad\u0001")
    assert status == 422 and body["error"]["field"] == "comment"
    for payload in ({"values": values, "colour": "red"},
                    {"values": values, "submit": "yes"},
                    {"values": values, "version": "1"},
                    {"submit": True}):
        status, _, body = f1.call("PUT", sheet_path(app), payload)
        assert status == 400, (payload, body)
    status, _, body = f1.call("PUT", sheet_path(app), {"values": values},
                              csrf=False)
    assert status == 403 and body["error"]["code"] == "csrf"
    assert snapshot(demo) == before
    status, _, body = f1.call("GET", sheet_path(app))
    assert body["sheet"]["status"] == "none" and body["sheet"]["values"] == {}


def test_who_may_score_whom(demo):
    f1 = demo.fac[1]
    values = full_values(demo, demo.cycle)
    mine = {r["application_id"] for r in assignments(
        f1, demo.cycle)["assignments"]}
    cands = [a for (a,) in q(demo, "SELECT id FROM applications WHERE "
                             "cycle_id = ? AND status = 'submitted'",
                             (demo.cycle,))]
    unassigned = [a for a in cands if a not in mine][0]
    draft = one(demo, "SELECT min(id) FROM applications WHERE cycle_id = ? "
                "AND status = 'draft'", (demo.cycle,))
    app = take(demo, 1, "screening", "none")
    before = snapshot(demo)
    for target in (unassigned, draft, 999999):
        for method in ("GET", "PUT"):
            status, _, body = f1.call(
                method, sheet_path(target),
                {"values": values} if method == "PUT" else None)
            assert status == 404, (target, method, body)
            assert body["error"]["code"] == "not_found"
    # Assigned for screening only: not for the interview.
    inter = {r["application_id"] for r in assignments(
        f1, demo.cycle, phase="interview")["assignments"]}
    scr_only = [a for a in mine if a not in inter][0]
    assert f1.call("GET", sheet_path(scr_only, "interview"))[0] == 404
    assert save(f1, scr_only, {}, phase="interview")[0] == 404
    # The coordinator does not score; applicants are not let in.
    for method in ("GET", "PUT"):
        status, _, body = demo.coord.call(
            method, sheet_path(app),
            {"values": values} if method == "PUT" else None)
        assert status == 403, body
        status, _, body = demo.applicant.call(
            method, sheet_path(app),
            {"values": values} if method == "PUT" else None)
        assert status == 403, body
    assert snapshot(demo) == before


def test_draft_then_submit_then_logged_changes(demo):
    f1, d = demo.fac[1], demo.director
    app = take(demo, 1, "screening", "none")
    keys = keys_of(demo, demo.cycle)
    status, _, body = save(f1, app, {keys[0]: 4}, comment="First look.")
    assert status == 200, body
    s = body["sheet"]
    assert s["status"] == "draft" and s["values"] == {keys[0]: 4}
    assert s["submitted_at"] is None and s["rubric_version"] == 1
    v = s["version"]
    # The draft can be reloaded, and does not count anywhere.
    got = f1.call("GET", sheet_path(app))[2]
    assert got["sheet"]["status"] == "draft"
    assert got["sheet"]["comment"] == "First look."
    assert got["closed"] is False and got["scoring_open"] is True
    assert f1.id not in {x["rater_id"] for x in d.call(
        "GET", sheet_path(app, all_=True))[2]["sheets"]}
    # A stale version is refused; nothing changes.
    values = {k: 3 for k in keys}
    before = snapshot(demo)
    status, _, body = save(f1, app, values, submit=True, version=v + 5)
    assert status == 409 and body["error"]["code"] == "conflict"
    assert snapshot(demo) == before
    status, _, body = save(f1, app, values, submit=True, version=v)
    assert status == 200, body
    s = body["sheet"]
    assert s["status"] == "submitted" and s["submitted_at"]
    assert s["values"] == values and s["comment"] == "First look."
    assert s["version"] == v + 1
    # Submission is not logged as a change.
    assert one(demo, "SELECT count(*) FROM score_changes WHERE sheet_id = ?",
               (s["id"],)) == 0
    # A submitted sheet stays complete: a partial one is refused.
    before = snapshot(demo)
    status, _, body = save(f1, app, {keys[0]: 5})
    assert status == 422 and body["error"]["field"] == "values." + keys[1]
    assert snapshot(demo) == before
    # Changes after submission are logged with old and new values.
    changed = dict(values, **{keys[0]: 5, keys[2]: 1})
    status, _, body = save(f1, app, changed, comment="Second look.",
                           submit=False)
    assert status == 200 and body["sheet"]["status"] == "submitted"
    assert body["sheet"]["submitted_at"] == s["submitted_at"]
    status, _, body = save(f1, app, changed)       # no change: no log
    assert status == 200
    status, _, all_ = d.call("GET", sheet_path(app, all_=True))
    assert status == 200
    mine = [c for c in all_["changes"] if c["sheet_id"] == s["id"]]
    assert sorted((c["field"], c["old"], c["new"]) for c in mine) == sorted([
        (keys[0], "3", "5"), (keys[2], "3", "1"),
        ("comment", "First look.", "Second look.")])
    assert all(c["changed_by_name"] == f1.user["name"] and c["at"]
               for c in mine)
    [sheet] = [x for x in all_["sheets"] if x["rater_id"] == f1.id]
    assert sheet["values"] == changed
    assert 0 <= sheet["weighted"] <= 100
    rows = q(demo, "SELECT field, old_value, new_value, changed_by FROM "
             "score_changes WHERE sheet_id = ?", (s["id"],))
    assert len(rows) == 3 and {r[3] for r in rows} == {f1.id}
    entries = [e for e in audit(demo, "score.change")
               if e["object"] == "application:%d" % app]
    assert len(entries) == 1
    assert entries[0]["actor"]["id"] == f1.id
    assert {c["field"] for c in entries[0]["detail"]["changes"]} == {
        keys[0], keys[2], "comment"}
    # The change log is the staff's: faculty do not get it.
    assert f1.call("GET", sheet_path(app, all_=True))[2]["changes"] == []
    # The log is append-only, even from inside the database.
    con = demo.db()
    with pytest.raises(Exception):
        con.execute("DELETE FROM score_changes WHERE sheet_id = ?",
                    (s["id"],))
    con.close()


def test_others_sheets_only_after_submitting_own(demo):
    f = demo.fac
    rows = assignments(demo.director, demo.cycle,
                       phase="screening")["assignments"]
    by_app = {}
    for r in rows:
        by_app.setdefault(r["application_id"], {})[r["faculty_id"]] = \
            r["sheet"]
    k_of = {f[k].id: k for k in f}
    # A candidate with one rater's draft and another's submitted sheet.
    app, drafter, other = next(
        (a, d, o) for a, s in sorted(by_app.items())
        if a not in demo.taken
        for d in s if s[d] == "draft"
        for o in s if s[o] == "submitted")
    demo.taken.add(app)
    r_draft, r_done = f[k_of[drafter]], f[k_of[other]]
    assert one(demo, "SELECT count(*) FROM score_sheets WHERE "
               "application_id = ? AND rater_id = ? AND status = 'draft'",
               (app, drafter)) == 1
    status, _, body = r_draft.call("GET", sheet_path(app, all_=True))
    assert status == 403 and body["error"]["code"] == "forbidden"
    assert "Submit" in body["error"]["message"]
    for who in (r_done, demo.coord, demo.director):
        status, _, body = who.call("GET", sheet_path(app, all_=True))
        assert status == 200, body
        ids = {s["rater_id"] for s in body["sheets"]}
        assert other in ids and drafter not in ids
        assert all(s["submitted_at"] and s["values"] for s in body["sheets"])
        assert body["rubric"]["version"] == 1
    # The drafter submits, and then sees the others.
    values = full_values(demo, demo.cycle, v=2)
    status, _, body = save(r_draft, app, values, submit=True)
    assert status == 200, body
    status, _, body = r_draft.call("GET", sheet_path(app, all_=True))
    assert status == 200
    assert {drafter, other} <= {s["rater_id"] for s in body["sheets"]}
    # Per phase: a submitted screening sheet does not open the interview.
    inter = [r for r in assignments(demo.director, demo.cycle,
                                    phase="interview")["assignments"]]
    pending = [(r["faculty_id"], r["application_id"]) for r in inter
               if r["sheet"] == "none" and r["faculty_id"] in k_of]
    fid, iapp = pending[0]
    assert f[k_of[fid]].call("GET", sheet_path(iapp, "interview",
                                               all_=True))[0] == 403


# Reminders --------------------------------------------------------------

def test_reminders_go_to_raters_with_missing_sheets(demo):
    path = "/api/cycles/%d/reminders" % demo.cycle
    rows = assignments(demo.director, demo.cycle,
                       phase="interview")["assignments"]
    missing = {r["faculty_id"] for r in rows if r["sheet"] != "submitted"}
    assert demo.fac[1].id in missing
    emails = {demo.fac[k].user["email"] for k in demo.fac
              if demo.fac[k].id in missing}
    link = "/#/review/%d" % demo.cycle
    assert mails_with(demo, link, 0, timeout=0) == []
    assert demo.fac[1].call("POST", path, {"phase": "interview"})[0] == 403
    for payload, status_ in (({"phase": "final"}, 422), ({}, 400),
                             ({"phase": "interview", "x": 1}, 400)):
        assert demo.coord.call("POST", path, payload)[0] == status_
    status, _, body = demo.coord.call("POST", path, {"phase": "interview"})
    assert status == 202, body
    assert body["sent"] == len(missing)
    got = mails_with(demo, link, len(missing))
    assert len(got) == len(missing)
    to = {m.split("To: <", 1)[1].split(">", 1)[0] for m in got}
    assert to == emails and "faculty1@demo.test" in to
    assert all(demo.cycle_name in m for m in got)
    # Once in 12 hours.
    outbox = one(demo, "SELECT count(*) FROM outbox")
    status, h, body = demo.coord.call("POST", path, {"phase": "interview"})
    assert status == 429, body
    assert 0 < int(h["Retry-After"]) <= 12 * 3600
    assert one(demo, "SELECT count(*) FROM outbox") == outbox
    [entry] = audit(demo, "score.remind")
    assert sorted(entry["detail"]["raters"]) == sorted(missing)


# Concurrency ------------------------------------------------------------

def test_raters_saving_at_once_lose_nothing(demo):
    cid, apps, _ = new_cycle(demo, 3, api_submit=0)
    assign(demo, cid, [(k, a) for k in demo.fac for a in apps])
    keys = keys_of(demo, cid)
    for rnd, app in enumerate(apps):
        want = {k: {key: 1 + (k + i + rnd) % 5 for i, key in enumerate(keys)}
                for k in demo.fac}
        results = at_once([
            (lambda k=k: save(demo.fac[k], app, want[k], submit=True,
                              comment="Rater %d" % k))
            for k in demo.fac])
        for k, (status, _, body) in zip(demo.fac, results):
            assert status == 200, (k, body)
            assert body["sheet"]["values"] == want[k]
        stored = {r: (json.loads(v), c, s) for r, v, c, s in q(
            demo, 'SELECT rater_id, "values", comment, status FROM '
            'score_sheets WHERE application_id = ? AND phase = '
            "'screening'", (app,))}
        assert stored == {demo.fac[k].id: (want[k], "Rater %d" % k,
                                           "submitted") for k in demo.fac}
        status, _, body = demo.director.call("GET", sheet_path(app,
                                                               all_=True))
        assert len(body["sheets"]) == 6


def test_same_rater_twice_at_once(demo):
    cid, (app,), _ = new_cycle(demo, 1, api_submit=0)
    assign(demo, cid, [(1, app)])
    f1 = demo.fac[1]
    keys = keys_of(demo, cid)
    status, _, body = save(f1, app, {keys[0]: 1})
    assert status == 200
    for rnd in range(4):
        v = body["sheet"]["version"]
        a = {keys[0]: 2, keys[1]: 2}
        b = {keys[0]: 5, keys[1]: 5}
        results = at_once([lambda: save(f1, app, a, version=v),
                           lambda: save(f1, app, b, version=v)])
        codes = sorted(r[0] for r in results)
        assert codes == [200, 409], results
        [(_, _, body)] = [r for r in results if r[0] == 200]
        winner = body["sheet"]["values"]
        assert winner in (a, b) and body["sheet"]["version"] == v + 1
        row = q(demo, 'SELECT "values", version FROM score_sheets WHERE '
                "application_id = ? AND rater_id = ?", (app, f1.id))
        assert row == [(json.dumps(winner, separators=(",", ":"),
                                   sort_keys=True), v + 1)]
    # Without a version both are applied, one after the other.
    v = body["sheet"]["version"]
    a, b = {keys[0]: 3}, {keys[0]: 4}
    results = at_once([lambda: save(f1, app, a), lambda: save(f1, app, b)])
    assert [r[0] for r in results] == [200, 200], results
    [(values, version)] = q(demo, 'SELECT "values", version FROM '
                            "score_sheets WHERE application_id = ? AND "
                            "rater_id = ?", (app, f1.id))
    assert json.loads(values) in (a, b) and version == v + 2
