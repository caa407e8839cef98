"""The ranking, the rank list and its exports against the real server,
on the demo cycle at the interview stage (cycle 1)."""
import csv
import gzip
import hashlib
import io
import json
import os
import urllib.request

import pytest

from server import Client, Server

CYCLE = 1
# The golden files hold the demo as seeded at this instant (its dates and
# its cycle's name follow the clock), whatever TEST_CLOCK says.
GOLDEN_CLOCK = "2026-12-06T15:00:00Z"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True,
                 clock=GOLDEN_CLOCK).start()
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


def audit(srv, action):
    status, _, body = srv.director.call("GET", "/api/audit?limit=200")
    assert status == 200
    return [e for e in body["entries"] if e["action"] == action]


def current(srv):
    status, _, body = srv.coord.call("GET", "/api/cycles/%d/ranklist" % CYCLE)
    assert status == 200, body
    return body


def entries_of(view):
    return [{"application_id": e["application_id"],
             "do_not_rank": e["do_not_rank"], "reason": e["reason"]}
            for e in view["entries"]]


def save(client, entries):
    return client.call("PUT", "/api/cycles/%d/ranklist" % CYCLE,
                       {"entries": entries})


def close_scoring(client, closed=True):
    for phase in ("screening", "interview"):
        status, _, body = client.call(
            "PATCH", "/api/cycles/%d/phases/%s" % (CYCLE, phase),
            {"closed": closed})
        assert status == 200, body


def warnings_now(client):
    """The codes of the warnings the readiness gate shows now."""
    status, _, body = client.call(
        "GET", "/api/cycles/%d/ranklist/readiness" % CYCLE)
    assert status == 200, body
    return [w["code"] for w in body["warnings"]]


def canonical(cycle, version, entries):
    rank, rows = 0, []
    for e in entries:
        dnr = bool(e.get("do_not_rank"))
        if not dnr:
            rank += 1
        rows.append({"application_id": e["application_id"],
                     "do_not_rank": dnr, "rank": None if dnr else rank,
                     "reason": e.get("reason") or ""})
    return json.dumps({"cycle_id": cycle, "entries": rows,
                       "version": version}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=True)


# Golden files -------------------------------------------------------------
# The demo data and the aggregation are deterministic, so the demo
# cycle's computed list and its archive (without the times, which follow
# the clock) are compared byte for byte with files in tests/http/golden.
# GOLDEN_UPDATE=1 rewrites them after an intended change.

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
TIMES = {"created_at", "updated_at", "submitted_at", "exported_at",
         "closed_at", "scoring_due", "dates", "at"}


def without_times(v):
    if isinstance(v, dict):
        return {k: without_times(x) for k, x in v.items() if k not in TIMES}
    if isinstance(v, list):
        return [without_times(x) for x in v]
    return v


def golden(name, data):
    path = os.path.join(GOLDEN, name)
    if os.environ.get("GOLDEN_UPDATE") == "1":
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    with open(path, "rb") as f:
        assert data == f.read(), "%s differs from the golden file" % name


def test_golden_csv_and_json_of_the_demo_cycle(demo):
    status, _, body = demo.coord.call(
        "GET", "/api/cycles/1/ranklist.csv?id=sfmatch")
    assert status == 200
    golden("demo-ranklist-sfmatch.csv", body)
    status, _, body = demo.coord.call("GET", "/api/cycles/1/export.json")
    assert status == 200
    text = json.dumps(without_times(body), indent=1, sort_keys=True,
                      ensure_ascii=False) + "\n"
    golden("demo-export.json", text.encode())


# Roles ------------------------------------------------------------------

def test_only_staff_see_the_ranking_and_the_list(demo):
    paths = ["/api/cycles/1/ranking", "/api/cycles/1/ranklist",
             "/api/cycles/1/ranklist/versions",
             "/api/cycles/1/ranklist.csv?id=nrmp",
             "/api/cycles/1/export.json"]
    for email in ("faculty1@demo.test", "applicant01@demo.test"):
        c = Client(demo.url)
        assert c.login(email)[0] == 200
        for p in paths:
            assert c.call("GET", p)[0] == 403, (email, p)
        assert c.call("PUT", "/api/cycles/1/ranklist",
                      {"entries": []})[0] == 403
        assert c.call("POST", "/api/cycles/1/ranklist/certify")[0] == 403
    assert Client(demo.url).call("GET", "/api/cycles/1/ranking")[0] == 401


def test_the_ranking_reports_leniency_reliability_and_methods(demo):
    status, _, body = demo.coord.call("GET", "/api/cycles/1/ranking")
    assert status == 200, body
    assert body["positions"] == 2
    for phase in ("screening", "interview"):
        p = body["phases"][phase]
        assert p["reliability_method"] == "krippendorff_alpha_interval"
        assert p["groups"] == 1 and p["warning"] == ""
        assert len(p["raters"]) == 6
        # Rater effects average zero.
        assert abs(sum(r["leniency"] for r in p["raters"])) < 0.1
    # The demo's most lenient rater (faculty1, Dr. Henrik Lund) and its
    # strictest (faculty5, Dr. Olusegun Bello) are found as such.
    len_ = {r["name"]: r["leniency"]
            for r in body["phases"]["screening"]["raters"]}
    assert max(len_, key=len_.get) == "Dr. Henrik Lund"
    assert min(len_, key=len_.get) == "Dr. Olusegun Bello"
    ranked = [c for c in body["candidates"] if c["rank"]]
    assert [c["rank"] for c in ranked] == list(range(1, len(ranked) + 1))
    top = ranked[0]
    assert top["phases"]["interview"]["n"] >= 3
    assert len(top["phases"]["interview"]["scores"]) == \
        top["phases"]["interview"]["n"]
    assert sum(c["interviewed"] for c in body["candidates"]) == 22


def test_the_ranking_says_how_sure_it_is(demo):
    status, _, body = demo.director.call("GET", "/api/cycles/1/ranking")
    assert status == 200, body
    assert body["draws"] >= 200
    for phase in ("screening", "interview"):
        assert body["phases"][phase]["lambda_method"] in ("reml", "fixed")
        assert body["phases"][phase]["lambda"] > 0
    ranked = [c for c in body["candidates"] if c["rank"]]
    flagged = 0
    for c, nxt in zip(ranked, ranked[1:] + [None]):
        u = c["uncertainty"]
        assert 0 <= u["p_top"] <= u["p_list"] <= 1
        assert u["rank_lo"] <= c["rank"] <= u["rank_hi"]
        assert u["flagged"] == (0.1 <= u["p_top"] <= 0.9)
        assert u["words"].endswith(".")
        assert u["next_id"] == (nxt["application_id"] if nxt else None)
        assert (u["p_swap_next"] is None) == (nxt is None)
        if u["swap_words"]:
            assert u["p_swap_next"] > 0.3 and nxt["name"] in u["swap_words"]
        assert c["isolated"] is False
        flagged += u["flagged"]
    # The flag steers attention: a few, not half the list.
    assert 0 < flagged <= len(ranked) // 4
    # Asked again (the kept copy): the same numbers.
    assert demo.director.call("GET", "/api/cycles/1/ranking")[2] == body


def test_the_kept_ranking_moves_with_a_change(demo):
    """The view is kept between requests and answered without building
    anything; a change that moves the ranking shows at once."""
    path = "/api/cycles/%d/phases/screening" % CYCLE
    before = demo.director.call("GET", "/api/cycles/1/ranking")[2]
    weight = before["phases"]["screening"]["weight"]
    status, _, body = demo.director.call("PATCH", path, {"weight": 90})
    assert status == 200, body
    try:
        after = demo.coord.call("GET", "/api/cycles/1/ranking")[2]
        assert after["phases"]["screening"]["weight"] == 90
        comp = {c["application_id"]: c["composite"]
                for c in after["candidates"]}
        moved = [c for c in before["candidates"] if c["composite"] is not None
                 and comp[c["application_id"]] != c["composite"]]
        assert moved
    finally:
        status, _, body = demo.director.call("PATCH", path,
                                             {"weight": weight})
        assert status == 200, body
    again = demo.director.call("GET", "/api/cycles/1/ranking")[2]
    assert again == before


def test_the_kept_ranking_goes_compressed_to_clients_that_take_gzip(demo):
    """Browsers send Accept-Encoding: gzip; the kept view goes to them in
    its gzip form (a tenth of the bytes), and plain to clients that do
    not take it or refuse it with q=0."""
    plain = demo.director.call("GET", "/api/cycles/1/ranking")
    assert plain[0] == 200
    assert "Content-Encoding" not in plain[1]
    # Each of the two workers keeps its own copy: the first request a
    # worker gets after a change builds the view and answers it plain.
    for _ in range(20):
        req = urllib.request.Request(
            demo.url + "/api/cycles/1/ranking",
            headers={"Accept-Encoding": "gzip, deflate, br"})
        with demo.director.opener.open(req, timeout=30) as r:
            st, h, raw = r.status, r.headers, r.read()
        assert st == 200
        if h.get("Content-Encoding") == "gzip":
            break
    assert h["Content-Encoding"] == "gzip"
    assert "accept-encoding" in h["Vary"].lower()
    assert isinstance(raw, bytes) and raw[:2] == b"\x1f\x8b"
    assert json.loads(gzip.decompress(raw)) == plain[2]
    assert len(raw) * 5 < len(json.dumps(plain[2]))
    for refused in ("gzip;q=0", "identity", "br"):
        st, h, body = demo.director.call(
            "GET", "/api/cycles/1/ranking",
            headers={"Accept-Encoding": refused})
        assert st == 200 and "Content-Encoding" not in h, refused
        assert body == plain[2]
    # Refusals are plain JSON whatever the client takes.
    faculty = Client(demo.url)
    assert faculty.login("faculty1@demo.test")[0] == 200
    st, h, body = faculty.call(
        "GET", "/api/cycles/1/ranking", headers={"Accept-Encoding": "gzip"})
    assert st == 403 and "Content-Encoding" not in h
    assert body["error"]


# The rank list ------------------------------------------------------------

def test_the_draft_starts_in_composite_order(demo):
    view = current(demo)
    assert view["state"] == "computed" and view["version"] == 0
    assert len(view["entries"]) == 22
    ranks = [e["rank_composite"] for e in view["entries"]]
    known = [r for r in ranks if r]
    assert known == sorted(known)
    assert not any(e["moved"] for e in view["entries"])


@pytest.mark.parametrize("change, needle", [
    (lambda e: e[:-1], "each of its 22 candidates"),
    (lambda e: e + [e[0]], "twice"),
    (lambda e: e[:-1] + [{"application_id": 999999}], "not a candidate"),
    (lambda e: [e[1], e[0]] + e[2:], "Give a reason for moving"),
    (lambda e: e[:-1] + [dict(e[-1], do_not_rank=True)],
     "reason for not ranking"),
    (lambda e: [dict(e[0], colour="red")] + e[1:], "Entry 1 must be"),
    (lambda e: [], "in rank order"),
])
def test_bad_lists_are_refused_and_nothing_is_saved(demo, change, needle):
    base = entries_of(current(demo))
    before = one(demo, "SELECT count(*) FROM ranklist_versions")
    status, _, body = save(demo.coord, change(base))
    assert status == 422, body
    assert needle in body["error"]["message"], body
    assert one(demo, "SELECT count(*) FROM ranklist_versions") == before


def test_malformed_bodies(demo):
    path = "/api/cycles/1/ranklist"
    assert demo.coord.call("PUT", path, {"entries": "x", "y": 1})[0] == 400
    assert demo.coord.call("PUT", path, raw=b"{", headers={
        "Content-Type": "application/json"})[0] == 400
    assert demo.coord.call("PUT", path, {"entries": []}, csrf=False)[0] == 403


def test_moves_with_reasons_certify_and_reopen(demo):
    e = entries_of(current(demo))
    # The third candidate moves to the top; the last is not ranked.
    e = [dict(e[2], reason="Outstanding case discussion; the interview "
              "panel agreed unanimously.")] + e[:2] + e[3:]
    e[-1] = dict(e[-1], do_not_rank=True, reason="Told us they will "
                 "not rank the program.")
    status, _, body = save(demo.coord, e)
    assert status == 200, body
    assert body["state"] == "draft" and body["version"] == 1
    assert body["entries"][0]["moved"] is True
    assert [x["moved"] for x in body["entries"][1:3]] == [False, False]
    assert body["entries"][-1]["rank"] is None
    assert body["ranked"] == 21 and body["do_not_rank"] == 1
    [saved] = audit(demo, "ranklist.save")
    assert saved["detail"]["moves"][0]["to"] == 1
    # The coordinator cannot certify.
    assert demo.coord.call("POST", "/api/cycles/1/ranklist/certify")[0] == 403
    # The readiness gate (tests/http/test_readiness.py has the rest):
    # scoring must be closed, and the demo's warnings (candidates not
    # interviewed, sheets not submitted) acknowledged.
    status, _, body = demo.director.call(
        "POST", "/api/cycles/1/ranklist/certify")
    assert status == 409 and "still open" in body["error"]["message"], body
    close_scoring(demo.director)
    acknowledged = warnings_now(demo.director)
    assert "not_interviewed" in acknowledged
    status, _, body = demo.director.call(
        "POST", "/api/cycles/1/ranklist/certify")
    assert status == 422, body
    assert body["error"]["field"] == "acknowledged"
    status, _, body = demo.director.call(
        "POST", "/api/cycles/1/ranklist/certify",
        {"acknowledged": acknowledged})
    assert status == 200, body
    assert body["state"] == "certified" and body["version"] == 2
    cert = body["certified"]
    assert cert["by"] == "Dr. Maria Alvarez"
    assert cert["sha256"] == hashlib.sha256(
        canonical(1, 2, e).encode()).hexdigest()
    assert one(demo, "SELECT state FROM cycles WHERE id = 1") == "certified"
    # Frozen: no change, no second certification, no scoring.
    assert save(demo.coord, e)[0] == 409
    assert demo.director.call("POST",
                              "/api/cycles/1/ranklist/certify")[0] == 409
    f = Client(demo.url)
    f.login("faculty1@demo.test")
    rows = f.call("GET", "/api/cycles/1/assignments")[2]["assignments"]
    mine = rows[0]
    status, _, _ = f.call("PUT", "/api/applications/%d/scores/%s" % (
        mine["application_id"], mine["phase"]), {"values": {}})
    assert status == 409
    # Versions are kept and cannot be changed even in the database.
    con = demo.db()
    with pytest.raises(con.DatabaseError):
        con.execute("UPDATE ranklist_versions SET entries = '[]'")
    con.close()
    # Reopening needs the director and a reason, and is logged.
    assert demo.coord.call("POST", "/api/cycles/1/ranklist/reopen",
                           {"reason": "x"})[0] == 403
    assert demo.director.call("POST", "/api/cycles/1/ranklist/reopen",
                              {})[0] == 422
    status, _, body = demo.director.call(
        "POST", "/api/cycles/1/ranklist/reopen",
        {"reason": "A candidate withdrew from the match."})
    assert status == 200 and body["state"] == "reopened", body
    [entry] = audit(demo, "ranklist.reopen")
    assert entry["detail"]["reason"] == "A candidate withdrew from the match."
    assert entry["detail"]["certified_sha256"] == cert["sha256"]
    assert one(demo, "SELECT state FROM cycles WHERE id = 1") == "ranking"
    close_scoring(demo.director, False)
    status, _, body = demo.coord.call("GET",
                                      "/api/cycles/1/ranklist/versions")
    assert [(v["version"], v["kind"]) for v in body["versions"]] == [
        (3, "reopened"), (2, "certified"), (1, "draft")]
    # The certified version stays readable as it was.
    status, _, old = demo.coord.call("GET", "/api/cycles/1/ranklist?version=2")
    assert status == 200 and old["certified"]["sha256"] == cert["sha256"]
    assert demo.coord.call("GET", "/api/cycles/1/ranklist?version=9")[0] \
        == 404


def test_concurrent_edits_are_refused_not_merged(demo):
    """Two people start from the same version; the second save is refused
    with 409 and stores nothing, whoever it is."""
    view = current(demo)
    base = view["version"]
    e = entries_of(view)
    first = e[:-1] + [dict(e[-1], reason="Confirmed by e-mail that they "
                           "will not rank the program.")]
    second = [dict(e[1], reason="Strong letters from the panel."),
              dict(e[0], reason="Moved below after discussion.")] + e[2:]
    path = "/api/cycles/%d/ranklist" % CYCLE
    status, _, body = demo.coord.call(
        "PUT", path, {"entries": first, "base_version": base})
    assert status == 200 and body["version"] == base + 1, body
    before = one(demo, "SELECT count(*) FROM ranklist_versions")
    status, _, body = demo.director.call(
        "PUT", path, {"entries": second, "base_version": base})
    assert status == 409, body
    assert body["error"]["code"] == "conflict"
    assert "version %d" % (base + 1) in body["error"]["message"]
    assert one(demo, "SELECT count(*) FROM ranklist_versions") == before
    assert entries_of(current(demo)) == first
    # Certifying names the version the director reviewed: a stale one
    # is refused and nothing is certified.
    status, _, body = demo.director.call(
        "POST", "/api/cycles/1/ranklist/certify", {"version": base})
    assert status == 409, body
    assert "version %d" % (base + 1) in body["error"]["message"]
    assert one(demo, "SELECT count(*) FROM ranklist_versions") == before
    assert one(demo, "SELECT state FROM cycles WHERE id = 1") != "certified"
    for bad in ({"version": -1}, {"version": "x"}, {"colour": 1}):
        status, _, body = demo.director.call(
            "POST", "/api/cycles/1/ranklist/certify", bad)
        assert status in (400, 422), (bad, body)
    # Starting from the version now current, the same edit is saved.
    status, _, body = demo.director.call(
        "PUT", path, {"entries": second, "base_version": base + 1})
    assert status == 200 and body["version"] == base + 2, body
    # A base version that is not a version number is refused.
    for bad in (-1, "2", None):
        status, _, body = demo.director.call(
            "PUT", path, {"entries": second, "base_version": bad})
        assert status in (400, 422), (bad, body)
    assert one(demo, "SELECT count(*) FROM ranklist_versions") == before + 1


def test_diff_between_versions(demo):
    view = current(demo)
    e = entries_of(view)
    # Swap the 4th and 5th: one of them is moved, with a reason.
    e[3], e[4] = dict(e[4], reason="Better fit with the team."), e[3]
    status, _, body = save(demo.coord, e)
    assert status == 200, body
    v = body["version"]
    status, _, diff = demo.coord.call(
        "GET", "/api/cycles/1/ranklist/diff?from=%d&to=%d" % (v - 1, v))
    assert status == 200, diff
    moved = {c["application_id"]: c for c in diff["changes"]}
    assert set(moved) == {e[3]["application_id"], e[4]["application_id"]}
    assert moved[e[3]["application_id"]]["to_rank"] == 4
    assert demo.coord.call("GET", "/api/cycles/1/ranklist/diff")[0] == 400
    assert demo.coord.call(
        "GET", "/api/cycles/1/ranklist/diff?from=1&to=99")[0] == 404


# Exports ------------------------------------------------------------------

def test_csv_quotes_and_neutralises_cells(demo):
    view = current(demo)
    ranked = [x for x in view["entries"] if x["rank"]]
    tricky = ['=HYPERLINK("http://x")', "Smith, Jr.", 'Ann "Nan"',
              "Zoë Ørsted", "+1 Line\nTwo", "-minus", "@at", "\tTab"]
    con = demo.db()
    for x, name in zip(ranked, tricky):
        fields = json.loads(con.execute(
            "SELECT fields FROM applications WHERE id = ?",
            (x["application_id"],)).fetchone()[0])
        fields["first_name"], fields["last_name"] = name, ""
        con.execute("UPDATE applications SET fields = ? WHERE id = ?",
                    (json.dumps(fields), x["application_id"]))
    con.commit()
    con.close()
    status, h, body = demo.director.call(
        "GET", "/api/cycles/1/ranklist.csv?id=nrmp")
    assert status == 200, body
    assert h["Content-Type"] == "text/csv; charset=utf-8"
    assert h["Content-Disposition"].startswith("attachment;")
    text = body.decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == "rank,nrmp_id,name"
    assert lines[1] == '1,%s,"\'=HYPERLINK(""http://x"")"' % next(
        r for r in [json.loads(one(demo, "SELECT fields FROM applications "
                                   "WHERE id = ?",
                                   (ranked[0]["application_id"],)))
                    ["nrmp_id"]])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["rank", "nrmp_id", "name"]
    assert [r[0] for r in rows[1:]] == [str(i) for i in
                                        range(1, len(ranked) + 1)]
    names = [r[2] for r in rows[1:1 + len(tricky)]]
    assert names == ["'" + tricky[0], "Smith, Jr.", 'Ann "Nan"', "Zoë Ørsted",
                     "'+1 Line\nTwo", "'-minus", "'@at", "'\tTab"]
    assert any(e["detail"]["format"] == "csv"
               for e in audit(demo, "ranklist.export"))


def test_csv_refuses_missing_identifiers(demo):
    view = current(demo)
    x = [e for e in view["entries"] if e["rank"]][0]
    con = demo.db()
    fields = json.loads(con.execute(
        "SELECT fields FROM applications WHERE id = ?",
        (x["application_id"],)).fetchone()[0])
    fields.pop("sfmatch_id", None)
    con.execute("UPDATE applications SET fields = ? WHERE id = ?",
                (json.dumps(fields), x["application_id"]))
    con.commit()
    con.close()
    status, _, body = demo.director.call(
        "GET", "/api/cycles/1/ranklist.csv?id=sfmatch")
    assert status == 422, body
    assert "lacks the sfmatch_id" in body["error"]["message"]
    assert demo.director.call(
        "GET", "/api/cycles/1/ranklist.csv?id=ssn")[0] == 400
    assert demo.director.call("GET", "/api/cycles/1/ranklist.csv")[0] == 400


def test_json_export_holds_the_whole_cycle(demo):
    status, h, body = demo.coord.call("GET", "/api/cycles/1/export.json")
    assert status == 200
    assert h["Content-Disposition"] == 'attachment; filename="cycle-1.json"'
    assert body["format"] == "fellowship-cycle-export"
    assert body["cycle"]["name"] == "Musculoskeletal Oncology Fellowship 2027"
    assert {r["phase"] for r in body["rubrics"]} == {"screening", "interview"}
    assert len(body["sheets"]) == one(
        demo, "SELECT count(*) FROM score_sheets WHERE cycle_id = 1 AND "
        "status = 'submitted'")
    assert [v["kind"] for v in body["ranklist_versions"]][-2:] == [
        "certified", "draft"]
    assert body["ranking"]["phases"]["interview"]["reliability_method"]
    assert audit(demo, "cycle.export")
