"""fellowctl migrate-to-postgres: an installation on SQLite (the demo
year, with a document uploaded, letters received, score sheets and a
certified rank list) moves into an empty PostgreSQL database, and the
server started on it serves the same cycles, applications, documents
(byte for byte), scores, ranking, rank list and audit log; new rows take
new ids and the append-only rules still hold. Refused, with a sentence,
a non-zero exit and nothing changed: a target that is not empty (among
them a second run), a source not at this program's schema or not one of
its databases, a missing or damaged document, a source being written
to, an unreachable database."""
import glob
import os
import shutil
import sqlite3
import subprocess

import pytest

import pdfs
from pgcluster import Cluster, normalise_dump, run
from server import ROOT, Client, Server

FELLOWCTL = os.path.join(ROOT, "build", "san", "fellowctl")
CYCLE = 1


def ctl(datadir, url, *args):
    env = dict(os.environ, DATA_DIR=str(datadir),
               ASAN_OPTIONS="detect_leaks=1",
               FELLOW_CLOCK_FILE=os.path.join(str(datadir), "clock-offset"))
    env.pop("DATABASE_URL", None)
    if url is not None:
        env["DATABASE_URL"] = url
    return subprocess.run([FELLOWCTL, "migrate-to-postgres", *args],
                          text=True, capture_output=True, env=env,
                          timeout=300)


def get(client, path):
    status, _, body = client.call("GET", path)
    assert status == 200, (path, status, body)
    return body


def signed_in(srv, email):
    c = Client(srv.url)
    assert c.login(email)[0] == 200
    return c


def audit(client):
    """Every audit record, oldest first."""
    out, before = [], None
    while True:
        page = get(client, "/api/audit?limit=200" +
                   ("&before=%d" % before if before else ""))
        out += page["entries"]
        before = page["next_before"]
        if before is None:
            return out[::-1]


def files(client, apps):
    """{("document"|"letter", id): bytes} of every current document and
    received letter of the applications apps."""
    out = {}
    for app in apps:
        for d in get(client, "/api/applications/%d/documents" % app)[
                "documents"]:
            status, _, body = client.call("GET", "/api/documents/%d" %
                                          d["id"])
            assert status == 200, body
            out[("document", d["id"])] = body
        for ltr in get(client, "/api/applications/%d/letters" % app)[
                "letters"]:
            if ltr["status"] != "received":
                continue
            status, _, body = client.call("GET", "/api/letters/%d/file" %
                                          ltr["id"])
            assert status == 200, body
            out[("letter", ltr["id"])] = body
    return out


def views(srv):
    """What the staff see of the installation, through the API."""
    d = signed_in(srv, "director@demo.test")
    cycles = get(d, "/api/cycles")
    apps = get(d, "/api/cycles/%d/applications?limit=200" % CYCLE)
    ids = [a["id"] for a in apps["applications"]]
    return {
        "cycles": cycles,
        "applications": apps,
        "application": [get(d, "/api/applications/%d" % i) for i in ids],
        "scores": get(d, "/api/cycles/%d/applications/scores" % CYCLE),
        "sheets": [get(d, "/api/applications/%d/scores/interview/all" % i)
                   for i in ids[:10]],
        "ranking": get(d, "/api/cycles/%d/ranking" % CYCLE),
        "ranklist": get(d, "/api/cycles/%d/ranklist" % CYCLE),
        "versions": get(d, "/api/cycles/%d/ranklist/versions" % CYCLE),
        "files": files(d, ids),
        "audit": audit(d),
    }


def certify(d):
    """Closes scoring and certifies the demo's list, every warning
    acknowledged."""
    for phase in ("screening", "interview"):
        status, _, body = d.call("PATCH", "/api/cycles/%d/phases/%s" %
                                 (CYCLE, phase), {"closed": True})
        assert status == 200, body
    ready = get(d, "/api/cycles/%d/ranklist/readiness" % CYCLE)
    status, _, body = d.call(
        "POST", "/api/cycles/%d/ranklist/certify" % CYCLE,
        {"acknowledged": [w["code"] for w in ready["warnings"]]})
    assert status == 200, body


def table_counts(pg, db):
    """{table: rows} of every table of db but schema_migrations."""
    tables = pg.psql("SELECT table_name FROM information_schema.tables "
                     "WHERE table_schema = 'public' AND table_type = "
                     "'BASE TABLE' AND table_name <> 'schema_migrations'",
                     db=db).split()
    return {t: int(pg.psql('SELECT count(*) FROM "%s"' % t, db=db))
            for t in tables}


def sqlite_counts(datadir):
    con = sqlite3.connect(os.path.join(str(datadir), "fellowship.db"))
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND "
            "name NOT LIKE 'sqlite%' AND name <> 'schema_migrations'")]
        return {t: con.execute('SELECT count(*) FROM "%s"' % t)
                .fetchone()[0] for t in tables}
    finally:
        con.close()


def dump(pg, db):
    """The whole of db (schema and rows), to tell that nothing changed."""
    return normalise_dump(run(pg._client("pg_dump") + ["--no-owner", db],
                              env=pg.env()).stdout)


@pytest.fixture(scope="module")
def pg():
    with Cluster() as c:
        yield c


NAMES = iter(range(1, 1000))


def new_db(pg):
    name = "target%d" % next(NAMES)
    pg.createdb(name)
    return name, pg.url(name)


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """A demo installation on SQLite, with an uploaded document and a
    certified rank list, its server stopped; .before holds its views and
    .pristine a copy of its data directory for the refusals."""
    datadir = tmp_path_factory.mktemp("sqlite")
    # On SQLite, whatever TEST_DATABASE says.
    srv = Server(datadir, demo=True, env={"DATABASE_URL": ""}).start()
    try:
        applicant = signed_in(srv, "applicant01@demo.test")
        app = get(applicant, "/api/cycles/2/application")["application"]
        status, _, body = applicant.upload(
            "/api/applications/%d/documents" % app["id"], {"kind": "cv"},
            data=pdfs.valid())
        assert status == 201, body
        d = signed_in(srv, "director@demo.test")
        certify(d)
        srv.before = views(srv)
        srv.extra_doc = (app["id"], body["document"]["id"])
        srv.extra = get(d, "/api/documents/%d" % body["document"]["id"])
        srv.stopped_at = srv.now()
    finally:
        log = srv.stop()
    assert not srv.bad_log_lines(log)
    pristine = tmp_path_factory.mktemp("pristine")
    shutil.copytree(datadir, pristine, dirs_exist_ok=True)
    srv.pristine = pristine
    yield srv


def copy_of(installation, tmp_path):
    d = tmp_path / "data"
    shutil.copytree(installation.pristine, d)
    return d


def test_the_installation_moves_and_is_served_the_same(installation, pg):
    name, url = new_db(pg)
    datadir = installation.datadir
    sqlite_before = sqlite_counts(datadir)
    out = ctl(datadir, url)
    assert out.returncode == 0, out.stdout + out.stderr
    # The table of counts, both sides the same, every table in it.
    for table, n in sqlite_before.items():
        assert any(line.split() == [table, str(n), str(n)]
                   for line in out.stdout.splitlines()), (table, out.stdout)
    assert "DIFFERS" not in out.stdout
    assert "stored files" in out.stdout and "checked" in out.stdout
    after = table_counts(pg, name)
    # The one row more: the move's own audit record.
    assert after == dict(sqlite_before,
                         audit_log=sqlite_before["audit_log"] + 1)
    # The SQLite database is left as it was.
    assert sqlite_counts(datadir) == sqlite_before
    # The ranking's change counter came as it was, not moved by the copy.
    con = sqlite3.connect(os.path.join(str(datadir), "fellowship.db"))
    [(epoch,)] = con.execute("SELECT n FROM ranking_epoch").fetchall()
    con.close()
    assert int(pg.psql("SELECT n FROM ranking_epoch", db=name)) == epoch
    # The program's triggers are all switched on again.
    assert pg.psql("SELECT count(*) FROM pg_trigger WHERE NOT "
                   "tgisinternal AND tgenabled = 'D'", db=name).strip() \
        == "0"
    err = pg.psql("UPDATE audit_log SET action = 'x'", db=name, check=False)
    assert err.message == "audit_log is append-only"
    err = pg.psql("DELETE FROM ranklist_versions", db=name, check=False)
    assert err.message == "ranklist_versions is append-only"

    # The server on PostgreSQL, with the same data directory.
    srv = Server(datadir, env={"DATABASE_URL": url},
                 clock=installation.stopped_at + 60).start()
    try:
        now = views(srv)
        before = installation.before
        for key in ("cycles", "applications", "application", "scores",
                    "sheets", "ranking", "ranklist", "versions"):
            assert now[key] == before[key], key
        assert now["ranklist"]["state"] == "certified"
        # Every document and letter, byte for byte.
        assert len(before["files"]) > 300
        assert now["files"].keys() == before["files"].keys()
        for k, data in before["files"].items():
            assert now["files"][k] == data, k
        d = signed_in(srv, "director@demo.test")
        assert get(d, "/api/documents/%d" % installation.extra_doc[1]) == \
            installation.extra
        # The audit log: every record as it was, then the move, in words.
        old = before["audit"]
        assert now["audit"][:len(old)] == old
        moved = now["audit"][len(old)]
        assert moved["action"] == "database.to_postgresql"
        assert moved["text"].startswith(
            "The installation was moved here from its SQLite database: "
            "%d rows copied, " % sum(sqlite_before.values()))
        assert moved["actor"] is None
        # New rows take new ids: the sequences are past the copied ones.
        applicant = signed_in(srv, "applicant01@demo.test")
        status, _, body = applicant.upload(
            "/api/applications/%d/documents" % installation.extra_doc[0],
            {"kind": "personal_statement"}, data=pdfs.valid())
        assert status == 201, body
        assert body["document"]["id"] == sqlite_before["documents"] + 1
        status, _, body = d.call("POST", "/api/users", {
            "email": "new.rater@example.org", "name": "Dr. New",
            "role": "faculty"})
        assert status == 201, body
    finally:
        log = srv.stop()
    assert not srv.bad_log_lines(log)

    # Running it again is refused: the database is no longer empty.
    before_dump = dump(pg, name)
    again = ctl(datadir, url)
    assert again.returncode == 1
    assert "is not empty: its table applications holds" in again.stderr
    assert "Nothing was copied" in again.stderr
    assert dump(pg, name) == before_dump


def test_a_target_with_rows_is_refused_and_left_alone(installation, pg,
                                                      tmp_path):
    name, url = new_db(pg)
    pg.migrate(name)
    pg.psql("INSERT INTO users (email, name, role) VALUES "
            "('someone@example.org', 'Someone', 'director')", db=name)
    before = dump(pg, name)
    out = ctl(copy_of(installation, tmp_path), url)
    assert out.returncode == 1
    assert "the PostgreSQL database is not empty: its table users holds " \
        "1 row" in out.stderr
    assert dump(pg, name) == before


def test_a_migrated_empty_target_is_taken(installation, pg, tmp_path):
    """A database already migrated (by fellowctl migrate, say) holds only
    the migrations' own rows, which the source's replace."""
    name, url = new_db(pg)
    pg.migrate(name)
    datadir = copy_of(installation, tmp_path)
    con = sqlite3.connect(os.path.join(str(datadir), "fellowship.db"))
    con.execute("UPDATE programs SET name = 'Renamed before the move' "
                "WHERE id = 1")
    con.commit()
    con.close()
    out = ctl(datadir, url)
    assert out.returncode == 0, out.stderr
    assert "applied" not in out.stdout
    assert pg.psql("SELECT name FROM programs WHERE id = 1",
                   db=name).strip() == "Renamed before the move"
    assert table_counts(pg, name)["programs"] == \
        sqlite_counts(datadir)["programs"]


def test_a_database_of_another_program_is_refused(installation, pg,
                                                  tmp_path):
    name, url = new_db(pg)
    pg.psql("CREATE TABLE widgets (id integer)", db=name)
    out = ctl(copy_of(installation, tmp_path), url)
    assert out.returncode == 1
    assert "it has a table widgets, which is not one of this program's" \
        in out.stderr
    # Not migrated either.
    assert pg.schema_version(name) == 0


def test_an_unmigrated_source_is_refused(pg, tmp_path):
    """The schema fixture of the migration before the last."""
    name, url = new_db(pg)
    latest = len(glob.glob(os.path.join(ROOT, "migrations", "*.sql")))
    datadir = tmp_path / "old"
    datadir.mkdir()
    con = sqlite3.connect(os.path.join(str(datadir), "fellowship.db"))
    with open(os.path.join(ROOT, "tests", "fixtures", "schema",
                           "%03d.sql" % (latest - 1))) as f:
        con.executescript(f.read())
    con.close()
    out = ctl(datadir, url)
    assert out.returncode == 1
    assert ("the SQLite database is at schema version %d, this program's "
            "is %d: run fellowctl migrate on it first" % (latest - 1, latest)
            ) in out.stderr
    assert pg.schema_version(name) == 0


@pytest.mark.parametrize("content", [b"", b"not a database at all\n" * 100])
def test_a_file_that_is_not_the_programs_database_is_refused(pg, tmp_path,
                                                             content):
    name, url = new_db(pg)
    datadir = tmp_path / "odd"
    datadir.mkdir()
    with open(os.path.join(str(datadir), "fellowship.db"), "wb") as f:
        f.write(content)
    out = ctl(datadir, url)
    assert out.returncode == 1
    assert out.stderr.startswith("fellowctl: migrate-to-postgres: ")
    assert ("not one of this program's" in out.stderr or
            "not a database" in out.stderr), out.stderr
    assert pg.schema_version(name) == 0


def test_no_source_no_target(pg, tmp_path):
    _, url = new_db(pg)
    out = ctl(tmp_path, url)
    assert out.returncode == 1
    assert "there is no SQLite database at %s" % os.path.join(
        str(tmp_path), "fellowship.db") in out.stderr
    assert not os.path.exists(os.path.join(str(tmp_path), "fellowship.db"))
    out = ctl(tmp_path, None)
    assert out.returncode == 2
    assert "DATABASE_URL is not set" in out.stderr
    out = ctl(tmp_path, None, "extra")
    assert out.returncode == 2 and "usage" in out.stderr


def test_an_unreachable_database_is_refused(installation, tmp_path):
    url = ("postgresql://fellow:s3cret-word@/fellowship?host=%s&port=1" %
           tmp_path)
    out = ctl(copy_of(installation, tmp_path), url)
    assert out.returncode == 1
    assert "cannot connect to PostgreSQL" in out.stderr
    assert "Nothing was copied" in out.stderr
    assert "s3cret-word" not in out.stdout + out.stderr


@pytest.mark.parametrize("damage", ["missing", "changed"])
def test_a_missing_or_damaged_document_is_refused(installation, pg, tmp_path,
                                                  damage):
    name, url = new_db(pg)
    datadir = copy_of(installation, tmp_path)
    con = sqlite3.connect(os.path.join(str(datadir), "fellowship.db"))
    [(sha,)] = con.execute("SELECT sha256 FROM letters WHERE sha256 IS NOT "
                           "NULL ORDER BY id LIMIT 1").fetchall()
    con.close()
    path = os.path.join(str(datadir), "documents", sha + ".pdf")
    if damage == "missing":
        os.unlink(path)
    else:
        with open(path, "r+b") as f:
            data = f.read()
            f.seek(0)
            f.write(bytes([data[0] ^ 1]))
    out = ctl(datadir, url)
    assert out.returncode == 1
    assert "%s.pdf: %s" % (sha, "missing" if damage == "missing" else
                           "changed") in out.stderr
    assert "1 stored file in %s is missing or damaged" % os.path.join(
        str(datadir), "documents") in out.stderr
    assert pg.schema_version(name) == 0


def test_a_source_being_written_to_is_refused(installation, pg, tmp_path):
    name, url = new_db(pg)
    datadir = copy_of(installation, tmp_path)
    con = sqlite3.connect(os.path.join(str(datadir), "fellowship.db"),
                          isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    try:
        out = ctl(datadir, url)
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert out.returncode == 1
    assert "the SQLite database is being written to: stop the server" \
        in out.stderr
    assert pg.schema_version(name) == 0
