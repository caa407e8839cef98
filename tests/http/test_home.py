"""The home page's data, GET /api/home, against the real server with the
demo: one request per role, each answering its own to-do list; 401
without a session; nothing of another applicant in an applicant's
view; never a conflicted candidate in a rater's. The rules case by case
(ordering by deadline, counts) are in tests/ops/test_home.c; this keeps
the contract and the roles. Ids and names come from the database, never
assumed from the demo."""
import json

import pytest

from conftest import _stop_and_check
from server import Client, Server, request


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    try:
        yield srv
    finally:
        _stop_and_check(srv)


def rows(srv, sql, *args):
    con = srv.db()
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def signed_in(srv, email):
    c = Client(srv.url)
    status, body = c.login(email)
    assert status == 200, body
    return c


def home(srv, email):
    status, h, body = signed_in(srv, email).call("GET", "/api/home")
    assert status == 200, body
    assert h["Content-Type"] == "application/json; charset=utf-8"
    assert h["Cache-Control"] == "no-store"
    return body


def review_cycle(srv):
    return rows(srv, "SELECT id FROM cycles WHERE state = 'review'")[0][0]


def part(view, cycle):
    found = [p for p in view["cycles"] if p["cycle"]["id"] == cycle]
    assert len(found) == 1
    return found[0]


def test_without_a_session_401(demo):
    status, _, body = request(demo.url, "GET", "/api/home")
    assert status == 401
    assert body["error"]["code"] == "unauthorized"


def test_only_get(demo):
    c = signed_in(demo, "coordinator@demo.test")
    status, _, _ = c.call("POST", "/api/home", {})
    assert status == 405


def test_each_role_gets_its_own_list(demo):
    keys = {
        "applicant@demo.test": ("applicant", {"cycles"}),
        "faculty1@demo.test": ("faculty", {"sheets"}),
        "coordinator@demo.test": ("coordinator", {"cycles", "mail"}),
        "director@demo.test": ("director", {"cycles", "mail"}),
    }
    for email, (role, parts) in keys.items():
        view = home(demo, email)
        assert view["role"] == role
        assert set(view) == {"role", "now"} | parts, email
        # The server's clock, the test clock, not the day the test runs.
        assert abs(view["now"] - demo.now()) < 60


def test_faculty_sheets_match_their_assignments(demo):
    cid = review_cycle(demo)
    fid = rows(demo, "SELECT id FROM users WHERE email = ?",
               "faculty1@demo.test")[0][0]
    view = home(demo, "faculty1@demo.test")["sheets"]
    # What they owe: assigned, submitted candidates, no conflict.
    owed = rows(demo, """
        SELECT s.phase, s.application_id, coalesce(h.status, 'none')
        FROM assignments s JOIN applications a ON a.id = s.application_id
        LEFT JOIN score_sheets h ON h.application_id = s.application_id
            AND h.rater_id = s.faculty_id AND h.phase = s.phase
        WHERE s.cycle_id = ? AND s.faculty_id = ? AND a.status = 'submitted'
        AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.faculty_id = ?
            AND c.application_id = s.application_id)""", cid, fid, fid)
    assert view["total"] == len(owed)
    assert view["done"] == sum(1 for r in owed if r[2] == "submitted")
    pending = {(p["phase"], x["application_id"])
               for p in view["phases"] for x in p["pending"]}
    assert pending == {(r[0], r[1]) for r in owed if r[2] != "submitted"}
    # Ordered by deadline; "start next" is the first pending sheet.
    dues = [p["deadline"]["due_at"] for p in view["phases"]]
    assert dues == sorted(dues)
    first = next(p for p in view["phases"] if p["pending"])
    assert view["next"]["application_id"] == \
        first["pending"][0]["application_id"]
    assert view["next"]["phase"] == first["phase"]


def test_a_conflicted_candidate_is_in_no_raters_home(demo):
    conflicts = rows(demo, """
        SELECT u.email, c.application_id, a.fields ->> 'last_name'
        FROM conflicts c JOIN users u ON u.id = c.faculty_id
        JOIN applications a ON a.id = c.application_id
        WHERE u.role = 'faculty'""")
    assert conflicts, "the demo records a conflict"
    for email, app, last_name in conflicts:
        view = home(demo, email)
        text = json.dumps(view, ensure_ascii=False)
        assert last_name not in text, email
        ids = {x["application_id"] for p in view["sheets"]["phases"]
               for x in p["pending"]}
        assert app not in ids


def test_applicant_sees_only_their_own(demo):
    cid = review_cycle(demo)
    # Two candidates invited and not booked: each sees their own.
    invited = rows(demo, """
        SELECT a.id, u.email, a.fields ->> 'last_name' FROM
        interview_invitations i JOIN applications a ON a.id =
        i.application_id JOIN users u ON u.id = a.applicant_id
        WHERE i.cycle_id = ? AND i.slot_id IS NULL AND
        a.status = 'submitted' ORDER BY a.id""", cid)
    assert len(invited) >= 2
    (mine, email, _), (other, _, other_name) = invited[0], invited[1]
    view = home(demo, email)
    p = part(view, cid)
    assert p["application"]["id"] == mine
    assert p["invitation"]["status"] == "invited"
    assert p["invitation"]["application_id"] == mine
    steps = {s["step"]: s["done"] for s in p["timeline"]}
    assert steps == {"started": True, "submitted": True, "invited": True,
                     "booked": False, "interviewed": False}
    text = json.dumps(view, ensure_ascii=False)
    assert other_name not in text
    assert '"application_id": %d' % other not in text
    # Their letters: the status, never a file's size or hash.
    for letter in p["letters"]:
        assert set(letter) == {"id", "writer_name", "status",
                               "requested_at", "received_at"}
    owned = {r[0] for r in rows(demo, """
        SELECT l.id FROM letters l WHERE l.application_id = ?""", mine)}
    assert {x["id"] for x in p["letters"]} <= owned


def test_coordinator_counts_agree_with_the_data(demo):
    cid = review_cycle(demo)
    p = part(home(demo, "coordinator@demo.test"), cid)
    count = lambda status: rows(  # noqa: E731
        demo, "SELECT count(*) FROM applications WHERE cycle_id = ? AND "
        "status = ?", cid, status)[0][0]
    pipe = p["pipeline"]
    assert pipe["drafts"] == count("draft")
    assert pipe["withdrawn"] == count("withdrawn")
    assert pipe["submitted_complete"] + pipe["submitted_incomplete"] == \
        count("submitted")
    assert pipe["letters_outstanding"] == rows(demo, """
        SELECT count(*) FROM letters l JOIN applications a ON a.id =
        l.application_id WHERE a.cycle_id = ? AND l.status = 'requested'
        AND a.status <> 'withdrawn'""", cid)[0][0]
    not_booked = {r[0] for r in rows(demo, """
        SELECT i.application_id FROM interview_invitations i JOIN
        applications a ON a.id = i.application_id WHERE i.cycle_id = ?
        AND i.slot_id IS NULL AND a.status = 'submitted'""", cid)}
    assert {x["application_id"] for x in p["not_booked"]} == not_booked
    assert all(r["missing"] > 0 for r in p["raters_behind"])
    keys = [d["key"] for d in p["deadlines"]]
    assert "screening" in keys and "ranklist_due" in keys
    dues = [d["due_at"] for d in p["deadlines"]]
    assert dues == sorted(dues)
    assert "readiness" not in p


def test_director_readiness(demo):
    cid = review_cycle(demo)
    view = home(demo, "director@demo.test")
    r = part(view, cid)["readiness"]
    assert [p["phase"] for p in r["phases"]] == ["screening", "interview"]
    for p in r["phases"]:
        assert p["groups"] >= 1
        assert p["submitted"] + p["drafts"] + p["missing"] == p["assigned"]
    invited = {x[0] for x in rows(demo, """
        SELECT application_id FROM interview_invitations
        WHERE cycle_id = ?""", cid)}
    assert {x["application_id"] for x in r["not_interviewed"]} <= invited
    # The same readiness as the rank list's Certify dialog: one rule.
    c = Client(demo.url)
    c.login("director@demo.test")
    status, _, ready = c.call("GET", "/api/cycles/%d/ranklist/readiness"
                              % cid)
    assert status == 200
    assert r["candidates"] == ready["ranked"]
    cert = r["certification"]
    assert cert["ready"] == ready["ready"]
    assert [b["code"] for b in cert["blocking"]] == \
        [b["code"] for b in ready["blocking"]]
    assert [(w["code"], w["count"]) for w in cert["warnings"]] == \
        [(w["code"], w["count"]) for w in ready["warnings"]]
    ni = [w for w in ready["warnings"] if w["code"] == "not_interviewed"]
    assert [x["application_id"] for x in r["not_interviewed"]] == \
        ([x["application_id"] for x in ni[0]["items"]] if ni else [])
    assert r["ranking_error"] is None
    assert "pipeline" not in part(view, cid)
    # The cycle open to applicants has nothing to be ready for yet.
    open_cycle = rows(demo, "SELECT id FROM cycles WHERE state = 'open'")
    assert part(view, open_cycle[0][0])["readiness"] is None
