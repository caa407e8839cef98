"""fellowctl import: an export.json of the demo cycle becomes a new cycle,
in a fresh installation and in the same one while its server runs, with
the same ranking and rank list; bad archives are refused whole."""
import copy
import hashlib
import json
import os
import re
import sqlite3
import subprocess

import pytest

from server import ROOT, Client, Server
from test_ranking import canonical  # the same canonical text and hash

FELLOWCTL = os.path.join(ROOT, "build", "san", "fellowctl")
PASSWORD = "a long enough passphrase"


def ctl(datadir, *args, stdin=""):
    env = dict(os.environ, DATA_DIR=str(datadir),
               ASAN_OPTIONS="detect_leaks=1")
    return subprocess.run([FELLOWCTL, *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=120)


def counts(datadir):
    """Rows per table: what a refused import must leave as it was."""
    con = sqlite3.connect(os.path.join(str(datadir), "fellowship.db"))
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: con.execute('SELECT count(*) FROM "%s"' % n).fetchone()[0]
                for n in names}
    finally:
        con.close()


def query(datadir, sql, args=()):
    con = sqlite3.connect(os.path.join(str(datadir), "fellowship.db"))
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def entries_of(view):
    return [{"application_id": e["application_id"],
             "do_not_rank": e["do_not_rank"], "reason": e["reason"]}
            for e in view["entries"]]


def get(client, path):
    status, _, body = client.call("GET", path)
    assert status == 200, (path, body)
    return body


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo cycle with a conflict recorded after its rater scored, a
    rank list saved with moves, certified, reopened and certified again,
    and its export written to a file."""
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    d = Client(srv.url)
    assert d.login("director@demo.test")[0] == 200
    srv.director = d
    # A sheet that no longer counts: its rater declares a conflict.
    ranking = get(d, "/api/cycles/1/ranking")
    cand = next(c for c in ranking["candidates"]
                if c["phases"]["interview"] and
                c["phases"]["interview"]["n"] >= 3)
    rater = cand["phases"]["interview"]["scores"][0]["rater_id"]
    status, _, body = d.call(
        "POST", "/api/applications/%d/conflicts" % cand["application_id"],
        {"faculty_id": rater, "reason": "Former trainee of mine."})
    assert status == 201, body
    srv.conflicted = (cand["name"], rater)
    e = entries_of(get(d, "/api/cycles/1/ranklist"))
    e = [dict(e[1], reason="Stronger interview, the panel agreed.")] + \
        [e[0]] + e[2:]
    e[-1] = dict(e[-1], do_not_rank=True,
                 reason='Withdrew by e-mail, "no longer interested".')
    status, _, body = d.call("PUT", "/api/cycles/1/ranklist",
                             {"entries": e})
    assert status == 200, body
    # Certifying needs scoring closed and the warnings acknowledged
    # (among them the conflict declared after scoring); the archive
    # carries what was acknowledged.
    for phase in ("screening", "interview"):
        assert d.call("PATCH", "/api/cycles/1/phases/" + phase,
                      {"closed": True})[0] == 200
    ready = get(d, "/api/cycles/1/ranklist/readiness")
    ack = {"acknowledged": [w["code"] for w in ready["warnings"]]}
    assert "late_conflicts" in ack["acknowledged"]
    assert d.call("POST", "/api/cycles/1/ranklist/certify", ack)[0] == 200
    assert d.call("POST", "/api/cycles/1/ranklist/reopen",
                  {"reason": "One reference letter arrived late."})[0] == 200
    assert d.call("POST", "/api/cycles/1/ranklist/certify", ack)[0] == 200
    status, _, raw = d.call("GET", "/api/cycles/1/export.json")
    assert status == 200
    srv.export = json.loads(raw) if isinstance(raw, bytes) else raw
    srv.file = os.path.join(str(tmp_path_factory.mktemp("archive")),
                            "export.json")
    with open(srv.file, "w") as f:
        json.dump(srv.export, f)
    srv.ranking = get(d, "/api/cycles/1/ranking")
    srv.ranklist = get(d, "/api/cycles/1/ranklist")
    srv.versions = get(d, "/api/cycles/1/ranklist/versions")
    yield srv
    _stop_and_check(srv)


def import_ok(datadir, path):
    out = ctl(datadir, "import", path)
    assert out.returncode == 0, out.stderr
    m = re.fullmatch(r"imported cycle (\d+) from (.*): (\d+) candidates, "
                     r"(\d+) sheets, (\d+) rank list versions",
                     out.stdout.strip().splitlines()[-1])
    assert m, out.stdout
    return int(m.group(1)), m


def ranking_by_name(r):
    """The ranking without ids: candidates and raters by name."""
    raters = {}
    phases = {}
    for name, p in r["phases"].items():
        q = {k: v for k, v in p.items() if k != "raters"}
        q["raters"] = {x["name"]: (x["n"], x["leniency"], x["group"])
                       for x in p["raters"]}
        for x in p["raters"]:
            raters[x["rater_id"]] = x["name"]
        phases[name] = q
    cands = []
    for c in r["candidates"]:
        c = copy.deepcopy(c)
        del c["application_id"]
        for p in c["phases"].values():
            if p:
                p["scores"] = sorted((raters[s["rater_id"]], s["score"])
                                     for s in p["scores"])
        cands.append(c)
    return {"positions": r["positions"], "phases": phases,
            "candidates": cands}


def list_by_name(v):
    rows = [{k: x for k, x in e.items() if k != "application_id"}
            for e in v["entries"]]
    cert = dict(v["certified"] or {})
    cert.pop("sha256", None)
    return {"state": v["state"], "version": v["version"],
            "positions": v["positions"], "ranked": v["ranked"],
            "do_not_rank": v["do_not_rank"], "entries": rows,
            "missing": [m["name"] for m in v["missing"]],
            "certified": cert}


def check_same(demo, client, cycle):
    ranking = get(client, "/api/cycles/%d/ranking" % cycle)
    assert ranking_by_name(ranking) == ranking_by_name(demo.ranking)
    # The conflict recorded after scoring still keeps that sheet out.
    name, _ = demo.conflicted
    [c] = [c for c in ranking["candidates"] if c["name"] == name]
    [o] = [c for c in demo.ranking["candidates"] if c["name"] == name]
    assert c["phases"]["interview"]["n"] == o["phases"]["interview"]["n"]
    view = get(client, "/api/cycles/%d/ranklist" % cycle)
    assert list_by_name(view) == list_by_name(demo.ranklist)
    assert view["state"] == "certified"
    assert view["certified"]["by"] == "Dr. Maria Alvarez"
    # The hash is recomputed over the new ids; the archive's is kept.
    assert view["certified"]["sha256"] == hashlib.sha256(canonical(
        cycle, view["version"], entries_of(view)).encode()).hexdigest()
    assert demo.ranklist["certified"]["sha256"] in view["reason"]
    versions = get(client, "/api/cycles/%d/ranklist/versions" % cycle)
    strip = [{k: x for k, x in v.items() if k not in ("sha256", "reason")}
             for v in versions["versions"]]
    assert strip == [{k: x for k, x in v.items()
                      if k not in ("sha256", "reason")}
                     for v in demo.versions["versions"]]
    kinds = [(v["version"], v["kind"]) for v in versions["versions"]]
    assert kinds == [(4, "certified"), (3, "reopened"), (2, "certified"),
                     (1, "draft")]
    assert versions["versions"][1]["reason"] == \
        "One reference letter arrived late."
    # The warnings acknowledged at each certification came along.
    late = [w for w in versions["versions"][0]["acknowledged"]
            if w["code"] == "late_conflicts"]
    assert late and late[0]["items"][0]["name"].startswith(
        demo.conflicted[0] + " — ")
    assert versions["versions"][3]["acknowledged"] is None
    # What each certification said of its candidates came along, on the
    # new application ids.
    status, _, raw = client.call("GET", "/api/cycles/%d/export.json" % cycle)
    assert status == 200
    archive = json.loads(raw) if isinstance(raw, bytes) else raw
    old = [v["snapshot"] for v in demo.export["ranklist_versions"]
           if v["kind"] == "certified"]
    for v, was in zip([v for v in archive["ranklist_versions"]
                       if v["kind"] == "certified"], old):
        assert [x["application_id"] for x in v["snapshot"]] == \
            [x["application_id"] for x in v["entries"]]
        strip = [{k: x for k, x in s.items() if k != "application_id"}
                 for s in v["snapshot"]]
        assert strip == [{k: x for k, x in s.items()
                          if k != "application_id"} for s in was]
    return ranking


def test_import_into_a_fresh_installation(demo, tmp_path):
    fresh = tmp_path / "fresh"
    assert ctl(fresh, "migrate").returncode == 0
    cycle, m = import_ok(fresh, demo.file)
    assert cycle == 1
    assert m.group(2) == demo.file
    assert int(m.group(3)) == len(demo.export["candidates"]) == 55
    assert int(m.group(4)) == len(demo.export["sheets"])
    assert int(m.group(5)) == 4
    # Nobody can sign in as an imported person: disabled, no password.
    rows = query(fresh, "SELECT role, disabled, password_hash FROM users")
    assert rows and all(r[1] == 1 and r[2] is None for r in rows)
    roles = [r[0] for r in rows]
    assert roles.count("applicant") == 55 and roles.count("faculty") == 6
    # Free addresses are kept; raters get synthetic ones.
    assert query(fresh, "SELECT count(*) FROM users WHERE email LIKE "
                 "'applicant%@demo.test'")[0][0] == 55
    assert query(fresh, "SELECT count(*) FROM users WHERE email LIKE "
                 "'imported-rater-1-%@import.invalid'")[0][0] == 6
    [(detail,)] = query(fresh, "SELECT detail FROM audit_log WHERE action "
                        "= 'cycle.import'")
    detail = json.loads(detail)
    assert detail["candidates"] == 55 and detail["ranklist_versions"] == 4
    assert detail["sheets"] == len(demo.export["sheets"])
    # Every conflict the archive lists for a rater who scored comes back.
    scored = {s["rater_id"] for s in demo.export["sheets"]}
    assert detail["conflicts"] == len(
        [c for c in demo.export["conflicts"] if c["rater_id"] in scored])
    assert detail["conflicts"] >= 1 and detail["from_cycle"] == 1
    assert [c["archived_sha256"] for c in detail["certified"]] == [
        v["sha256"] for v in sorted(demo.export["ranklist_versions"],
                                    key=lambda v: v["version"])
        if v["kind"] == "certified"]
    out = ctl(fresh, "user", "add", "--role", "director", "--email",
              "chief@example.org", "--name", "Dr. Chief",
              stdin=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    srv = Server(fresh)
    srv.start()
    try:
        c = Client(srv.url)
        assert c.login("chief@example.org", PASSWORD)[0] == 200
        ranking = check_same(demo, c, cycle)
        # An imported candidate cannot sign in.
        assert Client(srv.url).login("applicant01@demo.test")[0] != 200
        # Export the import: the archive round-trips.
        again = get(c, "/api/cycles/%d/export.json" % cycle)
        assert len(again["sheets"]) == len(demo.export["sheets"])
        assert ranking["phases"]["interview"]["reliability"] == \
            demo.ranking["phases"]["interview"]["reliability"]
    finally:
        log = srv.stop()
        assert not srv.bad_log_lines(log)


def test_import_into_the_running_installation(demo):
    before = counts(demo.datadir)
    cycle, m = import_ok(demo.datadir, demo.file)
    assert cycle == 3  # the demo has two cycles
    after = counts(demo.datadir)
    assert after["cycles"] == before["cycles"] + 1
    assert after["applications"] == before["applications"] + 55
    # The demo's addresses are taken here: synthetic ones instead.
    assert query(demo.datadir, "SELECT count(*) FROM users WHERE email "
                 "LIKE 'imported-3-%@import.invalid'")[0][0] >= 55
    check_same(demo, demo.director, cycle)
    # The original cycle is untouched.
    assert get(demo.director, "/api/cycles/1/ranklist") == demo.ranklist


def doc_with(demo, change):
    d = copy.deepcopy(demo.export)
    change(d)
    return json.dumps(d)


def first_certified(d):
    return next(v for v in d["ranklist_versions"] if v["kind"] == "certified")


def bump_weight(d):
    d["rubrics"][0]["criteria"][0]["weight"] += 5


def unknown_sheet(d):
    d["sheets"][3]["application_id"] = 999999


def acknowledged_draft(d):
    draft = next(v for v in d["ranklist_versions"] if v["kind"] == "draft")
    draft["acknowledged"] = first_certified(d)["acknowledged"]


def snapshot_draft(d):
    draft = next(v for v in d["ranklist_versions"] if v["kind"] == "draft")
    draft["snapshot"] = first_certified(d)["snapshot"]


def swap_snapshot(d):
    s = first_certified(d)["snapshot"]
    s[0], s[1] = s[1], s[0]


def swap_certified(d):
    v = first_certified(d)
    v["entries"][0], v["entries"][1] = v["entries"][1], v["entries"][0]


@pytest.mark.parametrize("make, needle", [
    (lambda demo: "this is { not JSON", "not JSON"),
    (lambda demo: doc_with(demo, lambda d: d.update(format="other")),
     "format must be \"fellowship-cycle-export\""),
    (lambda demo: doc_with(demo, lambda d: d.update(format_version=2)),
     "format_version"),
    (lambda demo: doc_with(demo, unknown_sheet),
     "sheets[3]: application_id 999999 is not among the candidates"),
    (lambda demo: doc_with(demo, bump_weight), "must add up to 100"),
    (lambda demo: doc_with(demo, lambda d: d["cycle"].pop("year")),
     "cycle:"),
    (lambda demo: doc_with(demo, lambda d: d.update(colour="red")),
     "colour"),
    (lambda demo: doc_with(demo, lambda d: d["sheets"][0]["values"].update(
        {next(iter(d["sheets"][0]["values"])): 99})), "sheets[0]"),
    (lambda demo: doc_with(demo, swap_certified), "sha256 does not match"),
    (lambda demo: doc_with(demo, lambda d: first_certified(d)["entries"]
                           .append(first_certified(d)["entries"][0])),
     "comes twice"),
    (lambda demo: doc_with(demo, lambda d: first_certified(d)[
        "acknowledged"][0].update(code="everything_fine")),
     "names a known warning"),
    (lambda demo: doc_with(demo, acknowledged_draft),
     "only a certified version has warnings acknowledged"),
    (lambda demo: doc_with(demo, snapshot_draft),
     "only a certified version has a snapshot"),
    (lambda demo: doc_with(demo, swap_snapshot),
     "the snapshot must follow the entries"),
    (lambda demo: doc_with(demo, lambda d: first_certified(d)[
        "snapshot"][0].update(name=7)), "each element of the snapshot"),
], ids=["not-json", "format", "format-version", "unknown-candidate",
        "criteria-sum", "missing-member", "unknown-member", "bad-value",
        "altered-certification", "duplicate-entry", "unknown-warning",
        "acknowledged-draft", "snapshot-draft", "snapshot-order",
        "snapshot-shape"])
def test_bad_archives_are_refused_and_change_nothing(demo, tmp_path, make,
                                                     needle):
    path = tmp_path / "bad.json"
    path.write_text(make(demo))
    for datadir in (tmp_path / "fresh", demo.datadir):
        ctl(datadir, "migrate")
        before = counts(datadir)
        out = ctl(datadir, "import", str(path))
        assert out.returncode == 1, out.stdout
        assert needle in out.stderr, out.stderr
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(
            "fellowctl: import %s: " % path), out.stderr
        assert out.stdout == ""
        assert counts(datadir) == before


def test_a_late_failure_rolls_back_everything(demo, tmp_path):
    """A refusal met while writing (a rater's address is taken) leaves
    no cycle, candidate or account behind."""
    fresh = tmp_path / "fresh"
    out = ctl(fresh, "user", "add", "--role", "faculty", "--email",
              "imported-rater-1-1@import.invalid", "--name", "Squatter",
              stdin=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    before = counts(fresh)
    out = ctl(fresh, "import", demo.file)
    assert out.returncode == 1
    assert "exists already" in out.stderr
    assert counts(fresh) == before


def test_usage_and_unreadable_file(tmp_path):
    out = ctl(tmp_path, "import")
    assert out.returncode == 2
    assert "import [--dry-run] [--force] FILE" in out.stderr
    out = ctl(tmp_path, "import", str(tmp_path / "missing.json"))
    assert out.returncode == 1
    assert "cannot read it" in out.stderr
