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

from server import (ROOT, Client, Server, connect, database_env,
                    on_postgresql, pg_database, table_names)
from test_ranking import canonical  # the same canonical text and hash

FELLOWCTL = os.path.join(ROOT, "build", "san", "fellowctl")
PASSWORD = "a long enough passphrase"


def ctl(datadir, *args, stdin=""):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1",
               **database_env(datadir))
    return subprocess.run([FELLOWCTL, *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=120)


def counts(datadir):
    """Rows per table: what a refused import must leave as it was."""
    con = connect(datadir)
    try:
        return {n: con.execute('SELECT count(*) FROM "%s"' % n).fetchone()[0]
                for n in table_names(con)}
    finally:
        con.close()


def query(datadir, sql, args=()):
    con = connect(datadir)
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
        if c.get("uncertainty"):
            del c["uncertainty"]["next_id"]
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
    # The demo has four cycles: two of program 1, one of each other.
    assert cycle == 5
    after = counts(demo.datadir)
    assert after["cycles"] == before["cycles"] + 1
    assert after["applications"] == before["applications"] + 55
    # The demo's addresses are taken here: synthetic ones instead.
    assert query(demo.datadir, "SELECT count(*) FROM users WHERE email "
                 "LIKE 'imported-5-%@import.invalid'")[0][0] >= 55
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
    assert ctl(tmp_path, "migrate").returncode == 0
    out = ctl(tmp_path, "import")
    assert out.returncode == 2
    assert "import [--dry-run] [--force] FILE" in out.stderr
    out = ctl(tmp_path, "import", str(tmp_path / "missing.json"))
    assert out.returncode == 1
    assert "cannot read it" in out.stderr


# What an operator and the people in an archive can trust ----------------

def file_sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@pytest.mark.sqlite_only
def test_import_needs_data_dir_and_an_existing_database(demo, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATA_DIR"}
    env["ASAN_OPTIONS"] = "detect_leaks=1"
    out = subprocess.run([FELLOWCTL, "import", demo.file], text=True,
                         capture_output=True, env=env, cwd=str(tmp_path),
                         timeout=120)
    assert out.returncode == 1, out.stdout
    assert "DATA_DIR is not set" in out.stderr
    assert "Nothing was imported" in out.stderr
    assert out.stdout == ""
    assert os.listdir(str(tmp_path)) == []  # no ./data made up here
    empty = tmp_path / "empty"
    empty.mkdir()
    out = ctl(empty, "import", demo.file)
    assert out.returncode == 1, out.stdout
    path = os.path.join(str(empty), "fellowship.db")
    assert "there is no database at %s" % path in out.stderr
    assert os.listdir(str(empty)) == []
    # The same for a dry run.
    out = ctl(empty, "import", "--dry-run", demo.file)
    assert out.returncode == 1 and path in out.stderr
    assert os.listdir(str(empty)) == []


def test_an_archive_imported_before_is_refused_unless_forced(demo, tmp_path):
    fresh = tmp_path / "fresh"
    assert ctl(fresh, "migrate").returncode == 0
    cycle, _ = import_ok(fresh, demo.file)
    before = counts(fresh)
    out = ctl(fresh, "import", demo.file)
    assert out.returncode == 1, out.stdout
    [(at,)] = query(fresh, "SELECT at FROM audit_log WHERE action = "
                    "'cycle.import'")
    assert "was imported already, as cycle %d on %s" % (cycle, at[:24]) \
        in out.stderr
    assert file_sha(demo.file)[:12] in out.stderr
    assert "--force" in out.stderr
    assert counts(fresh) == before
    # A dry run says the same.
    out = ctl(fresh, "import", "--dry-run", demo.file)
    assert out.returncode == 1 and "imported already" in out.stderr
    # On purpose: a second cycle, its people on placeholder addresses
    # (the first import's accounts hold theirs).
    out = ctl(fresh, "import", "--force", demo.file)
    assert out.returncode == 0, out.stderr
    assert "imported before as cycle %d" % cycle in out.stdout
    assert "0 on their own e-mail address" in out.stdout
    assert "imported cycle %d from" % (cycle + 1) in out.stdout
    rows = query(fresh, "SELECT detail FROM audit_log WHERE action = "
                 "'cycle.import' ORDER BY id")
    first, again = (json.loads(r[0]) for r in rows)
    assert first["sha256"] == again["sha256"] == file_sha(demo.file)
    assert not first["forced"] and again["forced"]
    assert again["earlier_cycle"] == cycle


def test_a_dry_run_checks_everything_and_writes_nothing(demo, tmp_path):
    fresh = tmp_path / "fresh"
    assert ctl(fresh, "migrate").returncode == 0
    # On SQLite, the file stays as it was byte for byte too.
    db = os.path.join(str(fresh), "fellowship.db")
    sha = None if on_postgresql() else file_sha(db)
    before = counts(fresh)
    out = ctl(fresh, "import", "--dry-run", demo.file)
    assert out.returncode == 0, out.stderr
    assert counts(fresh) == before
    assert sha is None or file_sha(db) == sha
    text = out.stdout
    assert 'cycle "%s"' % demo.export["cycle"]["name"] in text
    assert "55 candidates: 55 on their own e-mail address" in text
    # Who could claim an account: the archive's addresses, listed.
    for c in demo.export["candidates"]:
        assert "\n  %s\n" % c["fields"]["email"] in text
    assert "6 raters" in text
    assert "%d sheets, 4 rank list versions" % len(demo.export["sheets"]) \
        in text
    assert text.strip().splitlines()[-1] == (
        "dry run: nothing was written; the import would create cycle 1 "
        "from %s: 55 candidates, %d sheets, 4 rank list versions"
        % (demo.file, len(demo.export["sheets"])))
    # Then the import itself does what the dry run said. PostgreSQL does
    # not give again the ids a rolled-back transaction took (the dry
    # run's cycle 1): there the cycle is the next one.
    cycle, _ = import_ok(fresh, demo.file)
    assert cycle == (2 if on_postgresql() else 1)


def test_an_old_schema_is_refused_and_left_as_it_was(demo, tmp_path):
    """An import, like a dry run, changes nothing unless it is accepted:
    a database at an older schema is not migrated for it, whether the
    archive is good or not."""
    old = tmp_path / "old"
    old.mkdir()
    if on_postgresql():     # migrations/pg's first file, no rows
        cluster, name = pg_database(old)
        cluster.migrate(name, upto=1)
    else:                   # the SQLite file of schema 1 with its rows
        con = sqlite3.connect(os.path.join(str(old), "fellowship.db"))
        with open(os.path.join(ROOT, "tests", "fixtures", "schema",
                               "001.sql")) as f:
            con.executescript(f.read())
        con.close()
    before = counts(old)
    bad = tmp_path / "bad.json"
    bad.write_text(doc_with(demo, lambda d: d.update(colour="red")))
    for args in (("--dry-run", demo.file), (demo.file,), (str(bad),)):
        out = ctl(old, "import", *args)
        assert out.returncode == 1, out.stdout
        assert "schema version 1, not" in out.stderr, out.stderr
        assert "fellowctl migrate first" in out.stderr
        assert out.stdout == ""
        assert counts(old) == before
        assert query(old, "SELECT max(version) FROM schema_migrations") \
            == [(1,)]


def test_a_dry_run_refuses_what_the_import_would(demo, tmp_path):
    fresh = tmp_path / "fresh"
    assert ctl(fresh, "migrate").returncode == 0
    path = tmp_path / "bad.json"
    path.write_text(doc_with(demo, lambda d: d.update(colour="red")))
    out = ctl(fresh, "import", "--dry-run", str(path))
    assert out.returncode == 1 and "colour" in out.stderr


def kept_candidate(d):
    """A candidate with interview sheets, marked as not interviewed."""
    ids = {s["application_id"] for s in d["sheets"]
           if s["phase"] == "interview"}
    c = next(c for c in d["candidates"] if c["application_id"] in ids)
    c["interviewed"] = False
    return c


def test_candidates_with_interview_sheets_are_kept_as_interviewed(demo,
                                                                   tmp_path):
    d = copy.deepcopy(demo.export)
    c = kept_candidate(d)
    path = tmp_path / "archive.json"
    path.write_text(json.dumps(d))
    fresh = tmp_path / "fresh"
    assert ctl(fresh, "migrate").returncode == 0
    out = ctl(fresh, "import", "--dry-run", str(path))
    assert out.returncode == 0, out.stderr
    assert "1 candidates would be kept as interviewed" in out.stdout
    assert "  %s\n" % c["name"] in out.stdout
    out = ctl(fresh, "import", str(path))
    assert out.returncode == 0, out.stderr
    assert "1 candidates kept as interviewed" in out.stdout
    assert "  %s\n" % c["name"] in out.stdout
    # Invited in the new cycle, as the sheets show.
    [(n,)] = query(fresh, "SELECT count(*) FROM interview_invitations i "
                   "JOIN applications a ON a.id = i.application_id JOIN "
                   "users u ON u.id = a.applicant_id WHERE u.email = ?",
                   (c["fields"]["email"],))
    assert n == 1
    [(detail,)] = query(fresh, "SELECT detail FROM audit_log WHERE action "
                        "= 'cycle.import'")
    assert json.loads(detail)["kept_interviewed"] == [c["name"]]


def test_accounts_are_named_as_the_archive_shows_the_candidate(demo,
                                                               tmp_path):
    """A name longer than an account holds (two 100-character names) is
    the archive's name cut short, not a made-up one."""
    d = copy.deepcopy(demo.export)
    c = d["candidates"][0]
    c["fields"]["first_name"] = "A" * 98 + "é"
    c["fields"]["last_name"] = "B" * 100
    c["name"] = c["fields"]["first_name"] + " " + c["fields"]["last_name"]
    for v in d["ranklist_versions"]:
        for s in v.get("snapshot") or []:
            if s["application_id"] == c["application_id"]:
                s["name"] = c["name"]
    for r in d["ranking"]["candidates"]:
        if r["application_id"] == c["application_id"]:
            r["name"] = c["name"]
    path = tmp_path / "archive.json"
    path.write_text(json.dumps(d))
    fresh = tmp_path / "fresh"
    assert ctl(fresh, "migrate").returncode == 0
    out = ctl(fresh, "import", str(path))
    assert out.returncode == 0, out.stderr
    [(name,)] = query(fresh, "SELECT name FROM users WHERE email = ?",
                      (c["fields"]["email"],))
    assert name == c["name"].encode()[:200].decode("utf-8", "ignore")
    assert name.startswith("A" * 98 + "é B")
    assert not query(fresh, "SELECT 1 FROM users WHERE name LIKE "
                     "'Imported candidate%'")


def test_fields_are_stored_as_the_form_would_store_them(demo, tmp_path):
    d = copy.deepcopy(demo.export)
    f = d["candidates"][0]["fields"]
    f["usmle_step1"] = " Pass "
    f["nrmp_id"] = "n 123-4567"
    f["publications_count"] = 7.0
    f["phone"] = "+1  617   555 0100"
    path = tmp_path / "archive.json"
    path.write_text(json.dumps(d))
    fresh = tmp_path / "fresh"
    assert ctl(fresh, "migrate").returncode == 0
    out = ctl(fresh, "import", str(path))
    assert out.returncode == 0, out.stderr
    [(fields,)] = query(fresh, "SELECT a.fields FROM applications a JOIN "
                        "users u ON u.id = a.applicant_id WHERE u.email = ?",
                        (f["email"],))
    fields = json.loads(fields)
    assert fields["usmle_step1"] == "pass"
    assert fields["nrmp_id"] == "N1234567"
    assert fields["publications_count"] == 7
    assert fields["phone"] == "+1 617 555 0100"


def test_whole_number_scores_written_as_reals_are_whole_numbers(demo,
                                                                tmp_path):
    d = copy.deepcopy(demo.export)
    text = json.dumps(d)
    # Every score as 4.0 rather than 4.
    for s in d["sheets"]:
        s["values"] = {k: "@%d@" % v for k, v in s["values"].items()}
    text = re.sub(r'"@(\d+)@"', r"\1.0", json.dumps(d))
    assert '"communication": 5.0' in text or "5.0" in text
    path = tmp_path / "archive.json"
    path.write_text(text)
    fresh = tmp_path / "fresh"
    assert ctl(fresh, "migrate").returncode == 0
    cycle, m = import_ok(fresh, str(path))
    assert int(m.group(4)) == len(d["sheets"])
    values = [json.loads(v) for (v,) in query(
        fresh, "SELECT s.\"values\" FROM score_sheets s")]
    assert all(isinstance(x, int) for v in values for x in v.values())


# Candidates, sheets and versions that could not be what export wrote.

def name_of(d, app):
    return next(c["name"] for c in d["candidates"]
                if c["application_id"] == app)


def bad_email(d):
    d["candidates"][3]["fields"]["email"] = "not an address"


def unknown_field(d):
    d["candidates"][3]["fields"]["favourite_colour"] = "red"


def out_of_range_year(d):
    d["candidates"][3]["fields"]["residency_year"] = 1900


def unknown_candidate_key(d):
    d["candidates"][3]["nickname"] = "T"


def added_sheet(d):
    """A sheet added by hand for a pair the ranking never counted."""
    have = {(s["application_id"], s["rater_id"]) for s in d["sheets"]}
    s = next(s for s in d["sheets"] if s["phase"] == "interview")
    app = next(c["application_id"] for c in d["candidates"]
               if (c["application_id"], s["rater_id"]) not in have)
    d["sheets"].append(dict(s, application_id=app))
    d["_needle"] = "sheets[%d] (%s, by %s, interview): the archive's " \
        "ranking leaves this sheet out" % (
            len(d["sheets"]) - 1, name_of(d, app), s["rater_name"])


def edited_sheet(d):
    conflicted = {(c["application_id"], c["rater_id"])
                  for c in d["conflicts"]}
    i, s = next((i, s) for i, s in enumerate(d["sheets"])
                if (s["application_id"], s["rater_id"]) not in conflicted)
    k = next(iter(s["values"]))
    s["values"][k] = 1 if s["values"][k] != 1 else 2
    d["_needle"] = "sheets[%d] (%s, by %s, %s): its values give" % (
        i, name_of(d, s["application_id"]), s["rater_name"], s["phase"])


def removed_sheet(d):
    conflicted = {(c["application_id"], c["rater_id"])
                  for c in d["conflicts"]}
    i = next(i for i, s in enumerate(d["sheets"])
             if (s["application_id"], s["rater_id"]) not in conflicted and
             s["phase"] == "screening")
    s = d["sheets"].pop(i)
    d["_needle"] = "(%s): the archive's ranking counts a screening sheet " \
        "by rater %d that is not among the sheets" % (
            name_of(d, s["application_id"]), s["rater_id"])


def forgotten_conflict(d):
    """The conflict that kept a sheet out is gone from the archive."""
    have = {(s["application_id"], s["rater_id"]) for s in d["sheets"]}
    c = next(c for c in d["conflicts"]
             if (c["application_id"], c["rater_id"]) in have)
    d["conflicts"].remove(c)
    d["_needle"] = "the archive's ranking leaves this sheet out, and no " \
        "recorded conflict of interest explains it"


def certified_without_certified_list(d):
    d["ranklist_versions"] = [v for v in d["ranklist_versions"]
                              if v["kind"] == "draft"]


def score_not_whole(d):
    k = next(iter(d["sheets"][0]["values"]))
    d["sheets"][0]["values"][k] = 4.5


def refusal(change):
    def make(demo):
        d = copy.deepcopy(demo.export)
        change(d)
        needle = d.pop("_needle", None)
        return json.dumps(d), needle
    return make


@pytest.mark.parametrize("change, needle", [
    (bad_email, "candidates[3] (%s): fields.email: Enter a valid e-mail "
     "address."),
    (unknown_field, "candidates[3] (%s): fields.favourite_colour is not a "
     "field of the application form."),
    (out_of_range_year, "candidates[3] (%s): fields.residency_year: Enter "
     "a whole number"),
    (unknown_candidate_key, "candidates[3] (%s): \"nickname\" is not a "
     "member this program's export writes"),
    (added_sheet, "the archive's ranking does not match its sheets."),
    (edited_sheet, "the archive's ranking does not match its sheets."),
    (removed_sheet, "the archive's ranking does not match its sheets."),
    (forgotten_conflict, "the archive's ranking does not match its sheets."),
    (lambda d: d.update(phases=[]), "phases: the screening phase is "
     "missing"),
    (lambda d: d["phases"].pop(), "phases: the interview phase is missing"),
    (certified_without_certified_list, "cycle.state is \"certified\" but "
     "the newest rank list version (1) is draft, not certified"),
    (lambda d: d.update(ranklist_versions=[]), "cycle.state is "
     "\"certified\" but ranklist_versions holds no version at all"),
    (score_not_whole, "sheets[0] ("),
    (lambda d: d["cycle"].update(colour="red"), "cycle: \"colour\" is not "
     "a member this program's export writes"),
    (lambda d: d["cycle"].update(year="2026"), "cycle: year must be a whole "
     "number."),
    (lambda d: d["sheets"][2].pop("rater_name"), "sheets[2]: rater_name is "
     "missing."),
    (lambda d: first_certified(d).update(reason="x" * 1950),
     "rank list version %s: its reason is too long to hold the import's "
     "note"),
], ids=["bad-email", "unknown-field", "out-of-range-field",
        "unknown-candidate-member", "added-sheet", "edited-sheet",
        "removed-sheet", "forgotten-conflict", "no-phases", "one-phase",
        "certified-without-certified-list", "certified-without-versions",
        "score-not-whole", "unknown-cycle-member", "wrong-type",
        "missing-member-named",
        "certified-reason-too-long"])
def test_each_refusal_names_the_record_and_the_member(demo, tmp_path,
                                                      change, needle):
    text, extra = refusal(change)(demo)
    if "rank list version %s" in needle:
        needle = needle % first_certified(demo.export)["version"]
    elif "%s" in needle:
        needle = needle % demo.export["candidates"][3]["name"]
    path = tmp_path / "bad.json"
    path.write_text(text)
    for datadir in (tmp_path / "fresh", demo.datadir):
        ctl(datadir, "migrate")
        before = counts(datadir)
        for args in (("--dry-run",), ()):
            out = ctl(datadir, "import", *args, str(path))
            assert out.returncode == 1, out.stdout
            assert needle in out.stderr, out.stderr
            if extra:
                assert extra in out.stderr, out.stderr
            assert "left unpacked" not in out.stderr
            assert len(out.stderr.strip().splitlines()) == 1
            assert out.stdout == ""
            assert counts(datadir) == before


# Imported people and real people -------------------------------------------

NEW_PW = "a sturdy new passphrase 42"


def link_token(mail, kind):
    m = re.search(r"/#/%s/([A-Za-z0-9_-]{43})" % kind, mail)
    assert m, mail
    return m.group(1)


def forgot(srv, email):
    status, _, body = Client(srv.url).call(
        "POST", "/api/password/forgot", {"email": email})
    assert status == 202, body


def test_a_candidate_claims_their_imported_account(demo, tmp_path):
    """A reset link mailed to an imported candidate's address proves it
    and claims the account (an applicant's, with its application); a
    sign-up with such an address is refused, saying how to claim it, and
    leaves the account to its owner, who then claims it; staff and
    faculty accounts, and an imported account made staff here, are never
    claimable."""
    fresh = tmp_path / "fresh"
    assert ctl(fresh, "migrate").returncode == 0
    cycle, _ = import_ok(fresh, demo.file)
    out = ctl(fresh, "user", "add", "--role", "director", "--email",
              "chief@example.org", "--name", "Dr. Chief",
              stdin=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    cands = demo.export["candidates"]
    mine, other, staffed, opened = (cands[i]["fields"]["email"]
                                    for i in (0, 1, 2, 3))
    srv = Server(fresh)
    srv.start()
    try:
        chief = Client(srv.url)
        assert chief.login("chief@example.org", PASSWORD)[0] == 200
        # The owner of the address asks for a reset: the mail goes there.
        forgot(srv, mine)
        mails = srv.mails(wait_for=1)
        assert len(mails) == 1 and "To: <%s>" % mine in mails[0]
        token = link_token(mails[0], "reset")
        c = Client(srv.url)
        status, _, body = c.call("POST", "/api/password/reset",
                                 {"token": token, "password": NEW_PW})
        assert status == 200, body
        status, _, me = c.call("GET", "/api/me")
        assert status == 200 and me["user"]["role"] == "applicant"
        assert me["user"]["email"] == mine
        assert me["user"]["name"] == cands[0]["name"]
        status, _, app = c.call("GET", "/api/cycles/%d/application" % cycle)
        assert status == 200, app
        assert app["application"]["fields"]["research_summary"] == \
            cands[0]["fields"]["research_summary"]
        assert app["application"]["status"] == "submitted"
        assert Client(srv.url).login(mine, NEW_PW)[0] == 200
        # The link works once.
        status, _, _ = Client(srv.url).call(
            "POST", "/api/password/reset",
            {"token": token, "password": NEW_PW})
        assert status == 400
        # Someone signs up with another candidate's address: refused as
        # a taken address is (409 on the email field), with how the
        # owner claims the account; nothing is made, moved or mailed.
        users = query(fresh, "SELECT id, email, disabled, password_hash "
                      "FROM users ORDER BY id")
        sent = len(srv.mails())
        queued = query(fresh, "SELECT count(*) FROM outbox")
        n = Client(srv.url)
        status, _, body = n.call("POST", "/api/register", {
            "email": other, "password": NEW_PW, "name": "Who Knows"})
        assert status == 409, body
        assert body["error"]["field"] == "email"
        said = body["error"]["message"]
        assert "imported archive" in said and "Forgot password" in said
        assert other not in said and cands[1]["name"] not in said
        assert query(fresh, "SELECT id, email, disabled, password_hash "
                     "FROM users ORDER BY id") == users
        assert n.call("GET", "/api/me")[0] == 401
        assert query(fresh, "SELECT count(*) FROM outbox") == queued
        # The owner of the address claims it with a reset, application
        # and all.
        forgot(srv, other)
        mails = srv.mails(wait_for=sent + 1)
        assert len(mails) == sent + 1 and "To: <%s>" % other in mails[-1]
        o = Client(srv.url)
        status, _, body = o.call("POST", "/api/password/reset", {
            "token": link_token(mails[-1], "reset"), "password": NEW_PW})
        assert status == 200, body
        status, _, me = o.call("GET", "/api/me")
        assert me["user"]["email"] == other
        assert me["user"]["role"] == "applicant"
        status, _, app = o.call("GET", "/api/cycles/%d/application" % cycle)
        assert status == 200, app
        assert app["application"]["fields"]["research_summary"] == \
            cands[1]["fields"]["research_summary"]
        # Claimed, it is an ordinary account: a sign-up gets the usual
        # answer.
        status, _, body = Client(srv.url).call("POST", "/api/register", {
            "email": other, "password": NEW_PW, "name": "Who Knows"})
        assert status == 409 and "imported" not in body["error"]["message"]
        # A reset mail is queued with its audit record in one
        # transaction, before the answer: what follows adds neither.
        sent = "SELECT (SELECT count(*) FROM outbox), (SELECT count(*) " \
            "FROM audit_log WHERE action = 'password.reset_requested')"
        before = query(fresh, sent)
        # An imported rater's or author's account gets no mail.
        for (addr,) in query(fresh, "SELECT email FROM users WHERE role "
                             "IN ('faculty', 'coordinator', 'director') "
                             "AND email LIKE '%@import.invalid'"):
            forgot(srv, addr)
        # An imported candidate made faculty here gets no mail either:
        # a claim never gives more than an applicant's account.
        [(uid,)] = query(fresh, "SELECT id FROM users WHERE email = ?",
                         (staffed,))
        status, _, body = chief.call("PATCH", "/api/users/%d" % uid,
                                     {"role": "faculty"})
        assert status == 200, body
        forgot(srv, staffed)
        # An imported candidate a coordinator enabled, then disabled
        # again, is an ordinary account: no claim, no mail, and a
        # sign-up gets the usual answer.
        [(uid,)] = query(fresh, "SELECT id FROM users WHERE email = ?",
                         (opened,))
        for disabled in (False, True):
            status, _, body = chief.call("PATCH", "/api/users/%d" % uid,
                                         {"disabled": disabled})
            assert status == 200, body
        forgot(srv, opened)
        status, _, body = Client(srv.url).call("POST", "/api/register", {
            "email": opened, "password": NEW_PW, "name": "Who Knows"})
        assert status == 409 and "imported" not in body["error"]["message"]
        assert query(fresh, sent) == before
        actions = [a for (a,) in query(
            fresh, "SELECT action FROM audit_log ORDER BY id")]
        assert actions.count("user.import_claim") == 2
        assert "user.import_aside" not in actions
        assert actions.count("user.import") == \
            query(fresh, "SELECT count(*) FROM users WHERE email != "
                  "'chief@example.org'")[0][0]
    finally:
        log = srv.stop()
        assert not srv.bad_log_lines(log)
