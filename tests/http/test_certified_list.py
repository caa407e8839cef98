"""A certified rank list keeps what it said of its candidates: their
names and match identifiers as they were at certification. A candidate
who withdraws afterwards (or whose application is reopened and renamed)
changes neither the certified list's view, nor the match CSV, nor the
archive; the staff are told, in words, who left the certified list and
when, so that the director can decide to reopen it. Against the real
server on the demo cycle (cycle 1)."""
import csv
import io
import json
import time

import pytest

from server import Client, Server

pytestmark = pytest.mark.abuse

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
    srv.faculty = Client(srv.url)
    assert srv.faculty.login("faculty1@demo.test")[0] == 200
    yield srv
    _stop_and_check(srv)


def rows(srv, sql, args=()):
    con = srv.db()
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def certify(srv):
    """Closes scoring and certifies the demo's computed list, every
    warning acknowledged; returns the certified view."""
    for phase in ("screening", "interview"):
        status, _, body = srv.director.call(
            "PATCH", "/api/cycles/%d/phases/%s" % (CYCLE, phase),
            {"closed": True})
        assert status == 200, body
    status, _, ready = srv.director.call("GET", PATH + "/readiness")
    assert status == 200 and ready["blocking"] == [], ready
    status, _, body = srv.director.call("POST", PATH + "/certify", {
        "acknowledged": [w["code"] for w in ready["warnings"]]})
    assert status == 200, body
    assert body["state"] == "certified"
    return body


def csv_rows(client, ident="sfmatch"):
    status, _, text = client.call("GET", "/api/cycles/%d/ranklist.csv?id=%s"
                                  % (CYCLE, ident))
    assert status == 200, text
    return list(csv.reader(io.StringIO(text.decode())))


def applicant_of(srv, app):
    [(email,)] = rows(srv, "SELECT u.email FROM applications a JOIN users u "
                      "ON u.id = a.applicant_id WHERE a.id = ?", (app,))
    c = Client(srv.url)
    assert c.login(email)[0] == 200
    return c


def test_a_withdrawal_after_certification_leaves_the_list_as_certified(demo):
    cert = certify(demo)
    before_csv = csv_rows(demo.director)
    before_nrmp = csv_rows(demo.coord, "nrmp")
    status, _, before_archive = demo.coord.call(
        "GET", "/api/cycles/%d/export.json" % CYCLE)
    assert status == 200
    [snap] = [v["snapshot"] for v in before_archive["ranklist_versions"]
              if v["kind"] == "certified"]
    # The snapshot holds each entry as certified, in the list's order.
    assert [s["application_id"] for s in snap] == \
        [e["application_id"] for e in cert["entries"]]
    assert [s["name"] for s in snap] == [e["name"] for e in cert["entries"]]
    assert all(s["sfmatch_id"] for s in snap)
    assert cert["departures"] == []

    # The third ranked candidate withdraws after certification.
    third = cert["entries"][2]
    app, name = third["application_id"], third["name"]
    assert name
    [(sfmatch,)] = rows(demo, "SELECT fields ->> 'sfmatch_id' FROM "
                        "applications WHERE id = ?", (app,))
    # An hour later, on the server's clock (sessions stay open).
    at = demo.now() + 3600
    demo.set_clock(at)
    time.sleep(1.2)  # every process reads the clock within a second
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))
    status, _, body = applicant_of(demo, app).call(
        "POST", "/api/applications/%d/withdraw" % app)
    assert status == 200, body

    # The certified view: the same names, in the same places, and the
    # withdrawal flagged with its date.
    status, _, view = demo.director.call("GET", PATH)
    assert status == 200, view
    assert view["state"] == "certified" and view["version"] == \
        cert["version"]
    assert [(e["application_id"], e["name"], e["rank"])
            for e in view["entries"]] == \
        [(e["application_id"], e["name"], e["rank"])
         for e in cert["entries"]]
    assert view["entries"][2]["composite"] == third["composite"]
    assert view["entries"][2]["departed"] is True
    # Gone from the composite order, it is not "moved by hand".
    assert view["entries"][2]["moved"] is False
    assert [e["departed"] for e in view["entries"]].count(True) == 1
    [d] = view["departures"]
    assert d["application_id"] == app and d["name"] == name
    assert d["rank"] == 3 and d["status"] == "withdrawn"
    assert when <= d["withdrawn_at"] <= time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(at + 5))
    # An older certified version reads its own snapshot too.
    status, _, old = demo.coord.call(
        "GET", PATH + "?version=%d" % cert["version"])
    assert status == 200 and old["entries"][2]["name"] == name

    # The match CSV and the archive: as certified.
    assert csv_rows(demo.director) == before_csv
    assert csv_rows(demo.coord, "nrmp") == before_nrmp
    assert before_csv[3] == ["3", sfmatch, name]
    status, _, archive = demo.director.call(
        "GET", "/api/cycles/%d/export.json" % CYCLE)
    assert status == 200, archive
    [after] = [v["snapshot"] for v in archive["ranklist_versions"]
               if v["kind"] == "certified"]
    assert after == snap

    # The readiness names it; the director's home says it.
    status, _, ready = demo.director.call("GET", PATH + "/readiness")
    assert status == 200
    [gone] = [b for b in ready["blocking"] if b["code"] == "departed"]
    assert name in gone["message"]
    assert [i["application_id"] for i in gone["items"]] == [app]
    status, _, home = demo.director.call("GET", "/api/home")
    assert status == 200
    [part] = [p for p in home["cycles"] if p["cycle"]["id"] == CYCLE]
    [hd] = part["readiness"]["departures"]
    assert (hd["application_id"], hd["name"], hd["rank"],
            hd["withdrawn_at"]) == (app, name, 3, d["withdrawn_at"])


def test_a_reopened_and_renamed_application_changes_nothing_certified(demo):
    status, _, view = demo.coord.call("GET", PATH)
    assert view["state"] == "certified"
    fifth = view["entries"][4]
    app = fifth["application_id"]
    before = csv_rows(demo.coord)
    status, _, body = demo.coord.call(
        "POST", "/api/applications/%d/reopen" % app)
    assert status == 200, body
    con = demo.db()
    fields = json.loads(con.execute("SELECT fields FROM applications "
                                    "WHERE id = ?", (app,)).fetchone()[0])
    fields.update(last_name="Renamed", sfmatch_id="")
    con.execute("UPDATE applications SET fields = ? WHERE id = ?",
                (json.dumps(fields), app))
    con.commit()
    con.close()
    assert csv_rows(demo.coord) == before
    status, _, after = demo.coord.call("GET", PATH)
    assert after["entries"][4]["name"] == fifth["name"]
    [d] = [x for x in after["departures"] if x["application_id"] == app]
    assert d["status"] == "draft" and d["withdrawn_at"] is None
    assert d["name"] == fifth["name"] and d["rank"] == 5


def test_only_staff_see_the_list_its_flags_and_exports(demo):
    for path in (PATH, PATH + "/readiness", PATH + ".csv?id=sfmatch",
                 "/api/cycles/%d/export.json" % CYCLE):
        status, _, body = demo.faculty.call("GET", path)
        assert status == 403, (path, body)
        assert Client(demo.url).call("GET", path)[0] == 401
    status, _, home = demo.faculty.call("GET", "/api/home")
    assert status == 200
    assert "departures" not in str(home)
    status, _, home = demo.coord.call("GET", "/api/home")
    assert status == 200


def test_after_reopening_the_list_names_who_left_and_blocks_until_saved(
        demo):
    status, _, body = demo.director.call(
        "POST", PATH + "/reopen", {"reason": "A candidate withdrew."})
    assert status == 200, body
    assert body["state"] == "reopened"
    gone = [e for e in body["entries"] if e["departed"]]
    # The reopened list names them still (not blanks), and flags them.
    assert len(gone) == 2 and all(e["name"] for e in gone)
    assert {d["status"] for d in body["departures"]} == {"withdrawn",
                                                          "draft"}
    status, _, ready = demo.director.call("GET", PATH + "/readiness")
    [b] = [b for b in ready["blocking"] if b["code"] == "departed"]
    assert len(b["items"]) == 2
    status, _, refused = demo.director.call(
        "POST", PATH + "/certify",
        {"acknowledged": [w["code"] for w in ready["warnings"]]})
    assert status == 409, refused
    assert "no longer" in refused["error"]["message"]
    # Taken off the list and saved, it certifies again.
    kept = [{"application_id": e["application_id"],
             "do_not_rank": e["do_not_rank"], "reason": e["reason"]}
            for e in body["entries"] if not e["departed"]]
    status, _, saved = demo.director.call(
        "PUT", PATH, {"entries": kept, "base_version": body["version"]})
    assert status == 200, saved
    assert saved["departures"] == []
    status, _, ready = demo.director.call("GET", PATH + "/readiness")
    assert ready["blocking"] == [], ready
