"""The readiness gate before certifying, against the real server on the
demo cycle (cycle 1): GET .../ranklist/readiness, and certification
refused while anything blocks or a warning is not acknowledged, then
accepted with the acknowledgements, which are kept with the certified
version and shown in its history, its audit record and the archive.
The rules themselves are tested in tests/ops/test_readiness.c."""
import pytest

from server import Client, Server

CYCLE = 1
PATH = "/api/cycles/%d/ranklist" % CYCLE


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    srv.director = Client(srv.url)
    assert srv.director.login("director@demo.test")[0] == 200
    srv.coord = Client(srv.url)
    assert srv.coord.login("coordinator@demo.test")[0] == 200
    yield srv
    _stop_and_check(srv)


def one(srv, sql, args=()):
    con = srv.db()
    try:
        return con.execute(sql, args).fetchone()[0]
    finally:
        con.close()


def readiness(client, query=""):
    status, _, body = client.call("GET", PATH + "/readiness" + query)
    assert status == 200, body
    return body


def certify(client, body=None, **kw):
    return client.call("POST", PATH + "/certify", body, **kw)


def scoring(client, closed):
    for phase in ("screening", "interview"):
        status, _, body = client.call(
            "PATCH", "/api/cycles/%d/phases/%s" % (CYCLE, phase),
            {"closed": closed})
        assert status == 200, body


def versions(srv):
    return one(srv, "SELECT count(*) FROM ranklist_versions")


def test_the_readiness_of_the_demo_list(demo):
    r = readiness(demo.director, "?version=0")
    assert r["cycle_id"] == CYCLE and r["version"] == 0
    assert r["reviewed"] == 0 and r["state"] == "computed"
    assert r["ready"] is False and r["ranked"] == 22
    # Scoring is open in both phases that count: each blocks.
    assert [(b["code"], b["phase"]) for b in r["blocking"]] == [
        ("phase_open", "screening"), ("phase_open", "interview")]
    assert all(b["message"] for b in r["blocking"])
    codes = [w["code"] for w in r["warnings"]]
    # The demo's two candidates invited to a day still to come, its
    # missing and draft sheets.
    assert codes[0] == "not_interviewed" and "sheets_open" in codes
    for w in r["warnings"]:
        assert set(w) == {"code", "title", "message", "count", "items"}
        assert w["title"] and w["message"] and w["items"]
        assert all(i["name"] and i["detail"] for i in w["items"])
        if w["code"] != "sheets_open":  # counts sheets, lists raters
            assert w["count"] == len(w["items"])
    [ni] = [w for w in r["warnings"] if w["code"] == "not_interviewed"]
    assert ni["count"] == 2
    ids = [i["application_id"] for i in ni["items"]]
    view = demo.director.call("GET", PATH)[2]
    marked = [e["application_id"] for e in view["entries"]
              if e["interview_sheets"] == 0]
    assert sorted(ids) == sorted(marked)
    [so] = [w for w in r["warnings"] if w["code"] == "sheets_open"]
    assert so["count"] >= len(so["items"]) >= 1
    assert all(i["name"].startswith("Dr. ") for i in so["items"])
    # A version the viewer saw that is not the current one is stale.
    stale = readiness(demo.director, "?version=7")
    assert stale["blocking"][0]["code"] == "stale_version"
    assert "version 0" in stale["blocking"][0]["message"]
    assert "stale_version" not in [b["code"] for b in readiness(
        demo.coord)["blocking"]]


def test_who_may_see_the_readiness(demo):
    for email in ("faculty1@demo.test", "applicant01@demo.test"):
        c = Client(demo.url)
        assert c.login(email)[0] == 200
        status, _, body = c.call("GET", PATH + "/readiness")
        assert status == 403, (email, body)
    assert Client(demo.url).call("GET", PATH + "/readiness")[0] == 401
    assert demo.coord.call(
        "GET", "/api/cycles/999999/ranklist/readiness")[0] == 404
    assert demo.coord.call(
        "GET", PATH + "/readiness?version=99999999999")[0] == 400
    assert demo.director.call("POST", PATH + "/readiness")[0] == 405


def test_certification_through_the_gate(demo):
    before = versions(demo)
    # Blocked: scoring is open; nothing is written whatever is sent.
    everything = [w["code"] for w in readiness(demo.director)["warnings"]]
    status, _, body = certify(demo.director, {"acknowledged": everything})
    assert status == 409, body
    assert body["error"]["code"] == "conflict"
    assert "screening phase is still open" in body["error"]["message"]
    assert versions(demo) == before
    # Only the director closes scoring.
    status, _, _ = demo.coord.call(
        "PATCH", "/api/cycles/1/phases/interview", {"closed": True})
    assert status == 403
    scoring(demo.director, True)
    r = readiness(demo.director, "?version=0")
    assert r["ready"] is True and r["blocking"] == []
    # Not acknowledged: 422 on "acknowledged", naming each warning.
    status, _, body = certify(demo.director, {"version": 0})
    assert status == 422, body
    assert body["error"]["field"] == "acknowledged"
    for code in everything:
        assert "(%s)" % code in body["error"]["message"], code
    status, _, body = certify(demo.director, {
        "version": 0, "acknowledged": everything[:1]})
    assert status == 422, body
    assert "(%s)" % everything[0] not in body["error"]["message"]
    assert "(%s)" % everything[-1] in body["error"]["message"]
    # Malformed acknowledgements.
    for bad, code in (("not_interviewed", 422), ([1], 422),
                      (["not_interviewed", "all_good"], 422),
                      (["phase_open"], 422), ({"x": 1}, 422)):
        status, _, body = certify(demo.director, {"acknowledged": bad})
        assert status == code, (bad, body)
        assert body["error"]["field"] == "acknowledged", body
    status, _, body = certify(demo.director, {"acknowledged": everything,
                                              "colour": "red"})
    assert status == 400, body
    # The coordinator never certifies; the CSRF token is required.
    assert certify(demo.coord, {"acknowledged": everything})[0] == 403
    assert certify(demo.director, {"acknowledged": everything},
                   csrf=False)[0] == 403
    assert versions(demo) == before
    assert one(demo, "SELECT state FROM cycles WHERE id = 1") == "review"

    # Acknowledged with the counts shown: a count that is not the
    # warning's now is refused, as changed since it was shown.
    r = readiness(demo.director, "?version=0")
    stale = [{"code": w["code"], "count": w["count"] + 1}
             for w in r["warnings"]]
    status, _, body = certify(demo.director, {"version": 0,
                                              "acknowledged": stale})
    assert status == 409, body
    assert "changed since you were shown them" in body["error"]["message"]
    assert r["warnings"][0]["title"] in body["error"]["message"]
    assert versions(demo) == before
    for bad in ([{"code": "not_interviewed"}],
                [{"code": "not_interviewed", "count": -1}],
                [{"code": "not_interviewed", "count": 1, "x": 1}]):
        status, _, body = certify(demo.director, {"acknowledged": bad})
        assert status == 422, (bad, body)
        assert body["error"]["field"] == "acknowledged", body

    # Everything acknowledged (and one warning not present, accepted).
    status, _, body = certify(demo.director, {
        "version": 0, "acknowledged": everything + ["groups_apart"]})
    assert status == 200, body
    assert body["state"] == "certified"
    acked = body["certified"]["acknowledged"]
    assert [w["code"] for w in acked] == everything
    for w in acked:
        assert set(w) == {"code", "title", "message", "count", "items"}
        assert all(set(i) <= {"name", "detail"} for i in w["items"])
    # Kept with the version: its history, the audit record, the archive.
    status, _, hist = demo.coord.call("GET", PATH + "/versions")
    assert status == 200
    assert hist["versions"][0]["kind"] == "certified"
    assert hist["versions"][0]["acknowledged"] == acked
    status, _, log = demo.director.call("GET", "/api/audit?limit=20")
    [entry] = [e for e in log["entries"]
               if e["action"] == "ranklist.certify"]
    assert entry["detail"]["acknowledged"] == everything
    status, _, archive = demo.coord.call("GET", "/api/cycles/1/export.json")
    assert status == 200
    [cert] = [v for v in archive["ranklist_versions"]
              if v["kind"] == "certified"]
    assert cert["acknowledged"] == acked
    # The match CSV of the certified list.
    status, _, csv = demo.director.call(
        "GET", "/api/cycles/1/ranklist.csv?id=nrmp")
    assert status == 200
    assert csv.decode().startswith("rank,nrmp_id,name\r\n1,")
    # Certified: that blocks another certification.
    assert readiness(demo.director)["blocking"][0]["code"] == \
        "already_certified"
    status, _, body = certify(demo.director, {"acknowledged": everything})
    assert status == 409 and "certified already" in body["error"]["message"]

    # Reopened, the gate applies again to the next certification; the
    # reopening carries no acknowledgement.
    status, _, body = demo.director.call(
        "POST", PATH + "/reopen", {"reason": "A late letter arrived."})
    assert status == 200, body
    status, _, hist = demo.coord.call("GET", PATH + "/versions")
    assert hist["versions"][0]["kind"] == "reopened"
    assert hist["versions"][0]["acknowledged"] is None
    r = readiness(demo.director, "?version=%d" % body["version"])
    assert r["ready"] is True
    assert [w["code"] for w in r["warnings"]] == everything
    scoring(demo.director, False)
