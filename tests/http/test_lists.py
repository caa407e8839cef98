"""The staff's lists with the candidates' standing, against the real
server on the demo: the screening score and rank beside the applications
list (GET /api/cycles/{id}/applications/scores, the ranking's own
numbers, computed off the event loop) and the list as CSV
(GET /api/cycles/{id}/applications.csv: UTF-8, CRLF, RFC 4180, the
match export's formula guard, staff only, audited)."""
import csv
import io

import pytest

from server import Client, Server

CYCLE = 1


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    srv.coord = Client(srv.url)
    assert srv.coord.login("coordinator@demo.test")[0] == 200
    srv.director = Client(srv.url)
    assert srv.director.login("director@demo.test")[0] == 200
    yield srv
    _stop_and_check(srv)


def scores(client, cycle=CYCLE):
    return client.call("GET", "/api/cycles/%d/applications/scores" % cycle)


def test_scores_are_the_rankings_screening(demo):
    status, _, body = scores(demo.coord)
    assert status == 200, body
    status, _, ranking = demo.coord.call("GET", "/api/cycles/%d/ranking"
                                         % CYCLE)
    assert status == 200
    by_id = {c["application_id"]: c for c in ranking["candidates"]}
    # Every submitted application, by id.
    ids = [c["application_id"] for c in body["candidates"]]
    assert ids == sorted(by_id)
    ranks = []
    for c in body["candidates"]:
        mine = c["screening"]
        theirs = by_id[c["application_id"]]["phases"]["screening"]
        if theirs is None:
            assert mine is None
            continue
        assert mine["score"] == pytest.approx(theirs["adjusted"], abs=0.01)
        assert mine["mean"] == pytest.approx(theirs["mean"], abs=0.01)
        assert mine["raters"] == theirs["n"]
        assert mine["rank"] == theirs["rank_adjusted"]
        ranks.append(mine["rank"])
    assert sorted(ranks) == list(range(1, body["screened"] + 1))
    # The demo has interviewed candidates with their sheets, and ones
    # never invited.
    statuses = {c["interview"]["status"] for c in body["candidates"]}
    assert {"booked", "not_invited"} <= statuses
    booked = [c for c in body["candidates"]
              if c["interview"]["status"] == "booked"]
    assert all(c["interview"]["slot"]["day"] for c in booked)
    assert any(c["interview"]["sheets"] > 0 for c in booked)


def test_scores_are_the_staffs(demo):
    for email in ("faculty1@demo.test", "applicant01@demo.test"):
        c = Client(demo.url)
        assert c.login(email)[0] == 200
        status, _, body = scores(c)
        assert status == 403, (email, body)
        assert "screening" not in str(body)
    assert scores(Client(demo.url))[0] == 401
    assert scores(demo.director, 999999)[0] == 404


def parse(body):
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    # Every line ends in CRLF; none holds a bare LF (names have none).
    assert "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_lists_by_screening_rank(demo):
    status, h, body = demo.coord.call(
        "GET", "/api/cycles/%d/applications.csv" % CYCLE)
    assert status == 200, body
    assert h["Content-Type"] == "text/csv; charset=utf-8"
    assert h["Content-Disposition"] == \
        'attachment; filename="applications-cycle1.csv"'
    assert h["X-Content-Type-Options"] == "nosniff"
    rows = parse(body)
    head, rows = rows[0], rows[1:]
    assert head[:3] == ["application_id", "last_name", "first_name"]
    assert head[9:12] == ["screening_score", "screening_rank",
                          "screening_raters"]
    _, _, listed = demo.coord.call(
        "GET", "/api/cycles/%d/applications?limit=1000" % CYCLE)
    assert sorted(int(r[0]) for r in rows) == sorted(
        a["id"] for a in listed["applications"])
    ranks = [int(r[10]) for r in rows if r[10]]
    assert ranks == list(range(1, len(ranks) + 1))
    # The ranked first, then the rest by id.
    assert all(r[10] for r in rows[:len(ranks)])
    rest = [int(r[0]) for r in rows[len(ranks):]]
    assert rest == sorted(rest)
    # The same numbers as the scores view.
    _, _, view = scores(demo.coord)
    st = {c["application_id"]: c for c in view["candidates"]}
    for r in rows[:len(ranks)]:
        s = st[int(r[0])]
        assert float(r[9]) == pytest.approx(s["screening"]["score"],
                                            abs=0.051)
        assert r[12] == s["interview"]["status"]
    # Audited.
    status, _, log = demo.director.call("GET", "/api/audit?limit=50")
    assert any(e["action"] == "applications.export" for e in log["entries"])


def test_csv_filters_and_refuses_an_unknown_status(demo):
    status, h, body = demo.coord.call(
        "GET", "/api/cycles/%d/applications.csv?status=submitted" % CYCLE)
    assert status == 200
    assert "-submitted.csv" in h["Content-Disposition"]
    rows = parse(body)[1:]
    assert rows and all(r[5] == "submitted" for r in rows)
    status, _, body = demo.coord.call(
        "GET", "/api/cycles/%d/applications.csv?status=deleted" % CYCLE)
    assert status == 400
    assert body["error"]["field"] == "status"


def test_csv_guards_formulas_in_names(demo):
    # Next year's cycle is open: an applicant types a formula.
    status, _, cycles = demo.coord.call("GET", "/api/cycles")
    cycle = next(c["id"] for c in cycles["cycles"] if c["state"] == "open")
    a = Client(demo.url)
    assert a.login("applicant@demo.test")[0] == 200
    assert a.call("GET", "/api/cycles/%d/application" % cycle)[0] == 200
    status, _, body = a.call("PUT", "/api/cycles/%d/application" % cycle, {
        "fields": {"last_name": "=HYPERLINK(\"http://x\",\"y\")",
                   "first_name": "Zoë, \"Z\""}})
    assert status == 200, body
    status, _, body = demo.coord.call(
        "GET", "/api/cycles/%d/applications.csv" % cycle)
    assert status == 200
    text = body.decode("utf-8")
    assert ('"\'=HYPERLINK(""http://x"",""y"")","Zoë, ""Z"""'
            in text), text
    row = next(r for r in parse(body)[1:] if r[2] == 'Zoë, "Z"')
    assert row[1] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert row[5] == "draft"


def test_csv_is_the_staffs(demo):
    path = "/api/cycles/%d/applications.csv" % CYCLE
    for email in ("faculty1@demo.test", "applicant01@demo.test"):
        c = Client(demo.url)
        assert c.login(email)[0] == 200
        status, h, body = c.call("GET", path)
        assert status == 403, email
        assert h["Content-Type"].startswith("application/json")
    assert Client(demo.url).call("GET", path)[0] == 401
    assert demo.coord.call(
        "GET", "/api/cycles/999999/applications.csv")[0] == 404
