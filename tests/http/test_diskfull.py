"""A full disk: the data directory on a small tmpfs of its own.

With the file system filled up by a filler file, document uploads and
JSON writes (a score sheet, the application form, a rank-list edit) are
refused with 507 storage_full or another 5xx, never acknowledged; the
server keeps answering; what was stored before is intact and no partial
upload is left behind. Once the filler is gone the same writes succeed.

Mounting needs root (or CAP_SYS_ADMIN); without it the test is skipped
and says why.
"""
import os
import shutil
import subprocess
import urllib.error

import pytest

import pdfs
from conftest import OPEN_CYCLE
from reliability import db_health, rows, signed_in
from server import ROOT, Server, database_env

FELLOWCTL = os.path.join(ROOT, "build", "san", "fellowctl")

CYCLE = 1


def cut_short(send):
    """send(), or (599, None, None) when the server closed the connection
    before answering (a reset while the body was still being sent)."""
    try:
        return send()
    except (ConnectionError, urllib.error.URLError):
        return 599, None, None


def mounted(tmp_path, options):
    mnt = tmp_path / "data"
    mnt.mkdir()
    out = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs",
                          str(mnt)], capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("cannot mount a tmpfs for the data directory (needs "
                    "root): " + out.stderr.strip())
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture
def small_fs(tmp_path):
    yield from mounted(tmp_path, "size=96m,mode=0755")


@pytest.fixture
def few_inodes(tmp_path):
    yield from mounted(tmp_path, "size=96m,nr_inodes=400,mode=0755")


def fill(path):
    """Writes a filler file until the file system is full; returns its
    path."""
    filler = os.path.join(path, "filler")
    chunk = b"\0" * (1 << 20)
    with open(filler, "wb", buffering=0) as f:
        for _ in range(512):
            try:
                f.write(chunk)
            except OSError:
                break
        small = b"\0" * 4096
        for _ in range(1024):
            try:
                f.write(small)
            except OSError:
                break
    st = os.statvfs(path)
    assert st.f_bavail == 0, "the file system did not fill up"
    return filler


def new_open_cycle(director):
    status, _, body = director.call(
        "POST", "/api/cycles", dict(OPEN_CYCLE, name="Disk cycle"))
    assert status == 201, body
    cid = body["cycle"]["id"]
    assert director.call("PATCH", "/api/cycles/%d" % cid,
                         {"state": "open"})[0] == 200
    return cid


def unique_pdf(n, pad=0):
    """A valid PDF no other upload has; pad adds that many bytes in an
    unreferenced string (bodies over 1 MiB go to a temporary file)."""
    return pdfs._pdf(extra_objects=[b"(disk-full test %d %s)" % (
        n, b"x" * pad)])


def uploads_left(datadir):
    d = os.path.join(datadir, "documents")
    return sorted(n for n in os.listdir(d) if n.startswith(".upload-")) \
        if os.path.isdir(d) else []


@pytest.mark.sqlite_only   # the database file is on the full disk
def test_a_full_disk_refuses_writes_and_keeps_answering(small_fs, tmp_path):
    srv = Server(str(small_fs), demo=True)
    srv.log_path = str(tmp_path / "server.log")   # not on the full disk
    srv.start()
    filler = None
    try:
        director = signed_in(srv.url, "director@demo.test")
        fac = signed_in(srv.url, "faculty1@demo.test")
        cid = new_open_cycle(director)
        appl = signed_in(srv.url, "applicant01@demo.test")
        app = appl.call("GET", "/api/cycles/%d/application" % cid)[2][
            "application"]["id"]
        docs = "/api/applications/%d/documents" % app
        status, _, body = appl.upload(docs, {"kind": "cv"},
                                      data=unique_pdf(0))
        assert status == 201, body
        before_doc = body["document"]
        rows_ = fac.call("GET", "/api/cycles/%d/assignments" % CYCLE)[2][
            "assignments"]
        sheet_app = [r["application_id"] for r in rows_
                     if r["faculty_id"] == fac.id and
                     r["phase"] == "screening"][0]
        sheet = "/api/applications/%d/scores/screening" % sheet_app
        status, _, body = fac.call("GET", sheet)
        assert status == 200, body
        values = body["sheet"]["values"] if body.get("sheet") else {}
        status, _, body = fac.call("PUT", sheet, {"values": values,
                                                  "comment": "Before."})
        assert status == 200, body
        acked_sheet = body["sheet"]
        form = "/api/cycles/%d/application" % cid
        status, _, body = appl.call("PUT", form, {"fields": {
            "first_name": "Before"}})
        assert status == 200, body
        ranklist = "/api/cycles/%d/ranklist" % CYCLE
        status, _, view = director.call("GET", ranklist)
        assert status == 200, view
        entries = [{"application_id": e["application_id"],
                    "do_not_rank": e["do_not_rank"], "reason": "Full disk."}
                   for e in view["entries"]]

        filler = fill(str(small_fs))
        writes = [
            ("upload", lambda n: appl.upload(docs, {"kind": "other"},
                                             data=unique_pdf(n))),
            ("large upload", lambda n: cut_short(lambda: appl.upload(
                docs, {"kind": "other"}, data=unique_pdf(n, 2 << 20)))),
            ("sheet", lambda n: fac.call("PUT", sheet, {
                "values": values, "comment": "Full %d." % n})),
            ("form", lambda n: appl.call("PUT", form, {"fields": {
                "first_name": "Full %d" % n}})),
            ("ranklist", lambda n: director.call(
                "PUT", ranklist, {"entries": entries})),
        ]
        for n in range(1, 4):
            for name, write in writes:
                status, _, body = write(n)
                assert status >= 500, (name, status, body)
                if name == "large upload" and status in (500, 599) and \
                        not body:
                    # Kore itself cannot spool the body to its temporary
                    # file and answers 500, or closes the connection while
                    # the body is still coming (599 here), before the
                    # module sees the request: nothing is acknowledged.
                    continue
                assert isinstance(body, dict) and body["error"]["code"] in (
                    "storage_full", "busy", "internal"), (name, body)
                if "upload" in name:
                    assert status == 507, body
                    assert body["error"]["code"] == "storage_full"
                status, _, _ = director.call("GET", "/api/health")
                assert status == 200, "the server stopped answering"
        assert uploads_left(srv.datadir) == []
        assert os.listdir(os.path.join(srv.datadir, "tmp")) == []
        # Reads still work, and show what was stored before.
        status, _, body = appl.call("GET", docs)
        assert status == 200
        assert [d["id"] for d in body["documents"]] == [before_doc["id"]]
        status, _, body = fac.call("GET", sheet)
        assert status == 200
        assert body["sheet"]["comment"] == "Before."
        assert body["sheet"]["version"] == acked_sheet["version"]
        status, _, body = appl.call("GET", form)
        assert body["application"]["fields"]["first_name"] == "Before"
        assert director.call("GET", ranklist)[2]["version"] == \
            view["version"]

        os.unlink(filler)
        filler = None
        for name, write in writes:
            status, _, body = write(9)
            assert status in (200, 201), (name, status, body)
        status, _, body = appl.call("GET", docs)
        assert len(body["documents"]) == 3
        assert fac.call("GET", sheet)[2]["sheet"]["comment"] == "Full 9."
        assert appl.call("GET", form)[2]["application"]["fields"][
            "first_name"] == "Full 9"
        assert director.call("GET", ranklist)[2]["version"] == \
            view["version"] + 1
        assert rows(srv.datadir, "SELECT count(*) FROM audit_log WHERE "
                    "action = 'ranklist.save'")[0][0] == 1
    finally:
        if filler:
            os.unlink(filler)
        log = srv.stop()
    assert not srv.bad_log_lines(log), srv.bad_log_lines(log)
    ok, fk = db_health(srv.datadir)
    assert ok == ["ok"] and fk == []


def test_no_free_inodes_refuses_an_upload_with_507(few_inodes, tmp_path):
    """Creating the upload's temporary file fails with ENOSPC when the
    file system has no inode left: that is a full disk too (507), not an
    internal error."""
    srv = Server(str(few_inodes))
    srv.log_path = str(tmp_path / "server.log")
    srv.start()
    fillers = os.path.join(str(few_inodes), "fillers")
    try:
        for role in ("director", "applicant"):
            out = subprocess.run(
                [FELLOWCTL, "user", "add", "--role", role, "--email",
                 "%s@example.org" % role, "--name", role.title()],
                input="inode test password\n", text=True,
                capture_output=True, timeout=60,
                env=dict(os.environ, **database_env(few_inodes)))
            assert out.returncode == 0, out.stderr
        cid = new_open_cycle(signed_in(srv.url, "director@example.org",
                                       "inode test password"))
        appl = signed_in(srv.url, "applicant@example.org",
                         "inode test password")
        app = appl.call("GET", "/api/cycles/%d/application" % cid)[2][
            "application"]["id"]
        docs = "/api/applications/%d/documents" % app
        os.mkdir(fillers)
        for i in range(1000):
            try:
                open(os.path.join(fillers, str(i)), "w").close()
            except OSError:
                break
        else:
            pytest.fail("the file system did not run out of inodes")
        status, _, body = appl.upload(docs, {"kind": "cv"},
                                      data=unique_pdf(1))
        assert status == 507, (status, body)
        assert body["error"]["code"] == "storage_full"
        assert appl.call("GET", docs)[2]["documents"] == []
        shutil.rmtree(fillers)
        status, _, body = appl.upload(docs, {"kind": "cv"},
                                      data=unique_pdf(1))
        assert status == 201, body
    finally:
        shutil.rmtree(fillers, ignore_errors=True)
        log = srv.stop()
    assert not srv.bad_log_lines(log), srv.bad_log_lines(log)
