"""Documents: PDF only, checked by content; encrypted and active PDFs,
renamed files, oversized files, hostile filenames and broken multipart
bodies refused with a clear 4xx and nothing stored; files served only to
those allowed, as attachments; replacements kept in the record."""
import os

import pytest

import pdfs
from server import Client


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check, demo_with_open_cycle
    srv = demo_with_open_cycle(tmp_path_factory, "Documents cycle")
    yield srv
    _stop_and_check(srv)


NEXT = iter(range(1, 81))


def applicant(srv, label):
    """The next demo applicant (registering dozens from one address would
    be throttled), with a fresh draft in the test's cycle."""
    c = Client(srv.url)
    assert c.login("applicant%02d@demo.test" % next(NEXT))[0] == 200
    c.app = c.call("GET", "/api/cycles/%d/application" % srv.cycle)[2][
        "application"]["id"]
    return c


def stored_files(srv):
    d = os.path.join(srv.datadir, "documents")
    return sorted(os.listdir(d))


def docs(c):
    return c.call("GET", "/api/applications/%d/documents" % c.app)[2][
        "documents"]


def test_a_real_pdf_is_stored_under_its_content_hash(demo):
    c = applicant(demo, "real@example.org")
    status, _, body = c.upload("/api/applications/%d/documents" % c.app,
                               {"kind": "cv"}, data=pdfs.valid())
    assert status == 201, body
    d = body["document"]
    assert d["kind"] == "cv" and d["size"] == len(pdfs.valid())
    assert d["sha256"] + ".pdf" in stored_files(demo)
    assert [x["id"] for x in docs(c)] == [d["id"]]


@pytest.mark.parametrize("name,data,message", [
    ("renamed text", b"just some text, named cv.pdf", "not a PDF"),
    ("html polyglot", pdfs.html_polyglot(), "after its end"),
    ("javascript", pdfs.with_javascript(), "scripts"),
    ("nested javascript", pdfs.with_nested_javascript(), "scripts"),
    ("launch action", pdfs.with_launch(), "scripts"),
    ("javascript generation 1", pdfs.with_javascript_generation_1(),
     "scripts"),
    ("javascript beyond size", pdfs.with_javascript_beyond_size(),
     "scripts"),
    ("xfa form", pdfs.with_xfa(), "scripts"),
])
def test_bad_files_are_refused_and_nothing_is_stored(demo, name, data,
                                                     message):
    c = applicant(demo, "bad-%s@example.org" % name.replace(" ", "-"))
    before = stored_files(demo)
    status, _, body = c.upload("/api/applications/%d/documents" % c.app,
                               {"kind": "cv"}, data=data)
    assert status == 422, body
    assert body["error"]["field"] == "file"
    assert message in body["error"]["message"]
    assert stored_files(demo) == before
    assert docs(c) == []


def test_encrypted_pdf_is_refused(demo, tmp_path):
    c = applicant(demo, "encrypted@example.org")
    status, _, body = c.upload("/api/applications/%d/documents" % c.app,
                               {"kind": "cv"}, data=pdfs.encrypted(tmp_path))
    assert status == 422
    assert "encrypted" in body["error"]["message"]


def test_oversized_files_are_refused(demo):
    c = applicant(demo, "big@example.org")
    before = stored_files(demo)
    big = pdfs.valid() + b"%" + b"x" * (10 * 1024 * 1024)
    status, _, body = c.upload("/api/applications/%d/documents" % c.app,
                               {"kind": "cv"}, data=big)
    assert status == 413
    assert stored_files(demo) == before
    # Over the server's body limit: refused on the Content-Length alone,
    # before a byte of the body is read (the client sees the 413 first).
    import socket
    with socket.create_connection(("127.0.0.1", demo.port)) as s:
        s.sendall(b"POST /api/applications/%d/documents HTTP/1.1\r\n"
                  b"Host: x\r\nContent-Type: multipart/form-data; "
                  b"boundary=b\r\nContent-Length: 13000000\r\n\r\n" % c.app)
        assert s.recv(4096).startswith(b"HTTP/1.1 413")
    assert stored_files(demo) == before


@pytest.mark.parametrize("filename", [
    "../../../../etc/passwd", "..\\..\\boot.ini", "a\x01b\x1fc.pdf",
    "x" * 2000 + ".pdf", "/absolute/path.pdf", "cv.pdf\x00.exe",
    "<script>alert(1)</script>.pdf",
])
def test_the_client_filename_never_reaches_the_file_system(demo, filename):
    c = applicant(demo, "name-%d@example.org" % (hash(filename) % 10**8))
    status, _, body = c.upload("/api/applications/%d/documents" % c.app,
                               {"kind": "other"}, data=pdfs.valid(),
                               filename=filename)
    assert status in (201, 400), body
    for f in stored_files(demo):
        assert f == ".upload" or len(f) == 68 and f.endswith(".pdf"), f
    assert not os.path.exists(os.path.join(demo.datadir, "..", "etc"))
    for d in docs(c):
        assert set(d) == {"id", "kind", "size", "sha256", "uploaded_at"}


@pytest.mark.parametrize("ctype,boundary", [
    ("multipart/form-data; boundary=WRONG", None),
    ("multipart/form-data", None),
    ("multipart/form-data; boundary=", None),
    ("application/pdf", None),
])
def test_broken_multipart_bodies_are_4xx(demo, ctype, boundary):
    c = applicant(demo, "mp-%d@example.org" % (hash(ctype) % 10**8))
    before = stored_files(demo)
    status, _, body = c.upload("/api/applications/%d/documents" % c.app,
                               {"kind": "cv"}, data=pdfs.valid(),
                               content_type=ctype)
    assert 400 <= status < 500, (ctype, status, body)
    assert stored_files(demo) == before


def test_missing_or_unknown_kind_or_file(demo):
    c = applicant(demo, "kinds@example.org")
    path = "/api/applications/%d/documents" % c.app
    assert c.upload(path, {"kind": "photo"}, data=pdfs.valid())[0] == 422
    assert c.upload(path, {}, data=pdfs.valid())[0] == 422
    assert c.upload(path, {"kind": "cv"}, data=None)[0] == 400


def test_files_are_served_as_attachments_to_those_allowed(demo):
    owner = applicant(demo, "owner@example.org")
    path = "/api/applications/%d/documents" % owner.app
    doc = owner.upload(path, {"kind": "cv"}, data=pdfs.valid())[2][
        "document"]
    status, h, body = owner.call("GET", "/api/documents/%d" % doc["id"])
    assert status == 200 and body == pdfs.valid()
    assert h.get_all("Content-Type") == ["application/pdf"]
    assert h["Content-Disposition"].startswith("attachment;")
    assert h["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in ", ".join(h.get_all("Content-Security-Policy"))
    other = applicant(demo, "other@example.org")
    faculty = Client(demo.url)
    faculty.login("faculty1@demo.test")
    coord = Client(demo.url)
    coord.login("coordinator@demo.test")
    assert other.call("GET", "/api/documents/%d" % doc["id"])[0] == 404
    assert other.call("GET", path)[0] == 404
    assert other.upload(path, {"kind": "cv"}, data=pdfs.valid())[0] == 404
    assert other.call("DELETE", "/api/documents/%d" % doc["id"])[0] == 404
    # Faculty only once it is submitted; staff always.
    assert faculty.call("GET", "/api/documents/%d" % doc["id"])[0] == 404
    assert coord.call("GET", "/api/documents/%d" % doc["id"])[0] == 200
    assert coord.upload(path, {"kind": "cv"}, data=pdfs.valid())[0] == 404


def test_no_uploads_or_deletes_after_submission(demo):
    from test_applications import COMPLETE
    c = applicant(demo, "after.submit@example.org")
    path = "/api/applications/%d/documents" % c.app
    c.call("PUT", "/api/cycles/%d/application" % demo.cycle,
           {"fields": COMPLETE})
    cv = c.upload(path, {"kind": "cv"}, data=pdfs.valid())[2]["document"]
    c.upload(path, {"kind": "personal_statement"}, data=pdfs.valid())
    assert c.call("POST", "/api/cycles/%d/application/submit" %
                  demo.cycle)[0] == 200
    assert c.upload(path, {"kind": "other"}, data=pdfs.valid())[0] == 403
    assert c.call("DELETE", "/api/documents/%d" % cv["id"])[0] == 403
    faculty = Client(demo.url)
    faculty.login("faculty2@demo.test")
    # Faculty read the documents of the candidates assigned to them.
    assert faculty.call("GET", "/api/documents/%d" % cv["id"])[0] == 404
    coord = Client(demo.url)
    coord.login("coordinator@demo.test")
    assert coord.call("PUT", "/api/cycles/%d/assignments" % demo.cycle, [
        {"faculty_id": faculty.user["id"], "application_id": c.app,
         "phase": "screening"}])[0] == 200
    assert faculty.call("GET", "/api/documents/%d" % cv["id"])[0] == 200


def test_delete_removes_from_the_list_but_not_the_record(demo):
    c = applicant(demo, "delete@example.org")
    path = "/api/applications/%d/documents" % c.app
    d = c.upload(path, {"kind": "other"}, data=pdfs.valid())[2]["document"]
    assert c.call("DELETE", "/api/documents/%d" % d["id"])[0] == 204
    assert docs(c) == []
    assert c.call("DELETE", "/api/documents/%d" % d["id"])[0] == 404
    con = demo.db()
    assert con.execute("SELECT count(*) FROM documents WHERE id = ?",
                       (d["id"],)).fetchone()[0] == 1
    con.close()


def test_the_size_limit_is_configurable(make_server):
    srv = make_server(demo=True, env={"DOCUMENT_MAX_MB": "1"}).start()
    d = Client(srv.url)
    d.login("applicant@demo.test")  # no application yet: a fresh draft
    # The demo's cycle 2 is open to applicants.
    app = d.call("GET", "/api/cycles/2/application")[2]["application"]
    status, _, body = d.upload("/api/applications/%d/documents" % app["id"],
                               {"kind": "other"},
                               data=pdfs.valid() + b"%" + b"x" * 1100000)
    assert status == 413 and "1 MB" in body["error"]["message"]


def test_files_no_row_names_are_swept_at_start_and_daily(make_server):
    """A replaced CV stays on record (its row, its hash in the audit) and
    can no longer be fetched; its file goes when the server next starts.
    A removed document's file goes with the daily sweep of the mail
    process, once the clock has moved a day. Current files stay."""
    import time
    srv = make_server(demo=True).start()
    c = Client(srv.url)
    c.login("applicant@demo.test")  # no application yet: a fresh draft
    app = c.call("GET", "/api/cycles/2/application")[2]["application"]["id"]
    path = "/api/applications/%d/documents" % app

    def up(kind, n):
        data = pdfs._pdf(extra_objects=[b"(sweep test %d)" % n])
        status, _, body = c.upload(path, {"kind": kind}, data=data)
        assert status == 201, body
        return body["document"]

    def on_disk(d):
        return os.path.exists(os.path.join(srv.datadir, "documents",
                                           d["sha256"] + ".pdf"))

    first, second, other = up("cv", 1), up("cv", 2), up("other", 3)
    assert [d["id"] for d in docs_of(c, path)] == [second["id"], other["id"]]
    assert c.call("GET", "/api/documents/%d" % first["id"])[0] == 404
    assert on_disk(first)   # until the sweep
    srv.stop()
    srv.start()
    assert not on_disk(first) and on_disk(second) and on_disk(other)
    con = srv.db()
    rows = con.execute("SELECT id, removed_at IS NOT NULL FROM documents "
                       "WHERE application_id = ? ORDER BY id",
                       (app,)).fetchall()
    audit = [r[0] for r in con.execute(
        "SELECT detail FROM audit_log WHERE action = 'document.upload' "
        "AND object = ?", ("application:%d" % app,))]
    con.close()
    assert rows == [(first["id"], 1), (second["id"], 0), (other["id"], 0)]
    assert first["sha256"] in audit[0] and first["sha256"] in audit[1]

    c.login("applicant@demo.test")
    assert c.call("DELETE", "/api/documents/%d" % other["id"])[0] == 204
    time.sleep(1.5)
    assert on_disk(other)   # a day has not passed
    srv.set_clock(srv.now() + 25 * 3600)
    deadline = time.time() + 15
    while on_disk(other) and time.time() < deadline:
        time.sleep(0.2)
    assert not on_disk(other) and on_disk(second)
    # The mail process logs the sweep just after it removes the file.
    while ("removed 1 stored file(s)" not in srv.read_log()
           and time.time() < deadline):
        time.sleep(0.2)
    assert "removed 1 stored file(s)" in srv.read_log()


def docs_of(c, path):
    return c.call("GET", path)[2]["documents"]


@pytest.mark.abuse
def test_an_application_holds_ten_other_documents_and_60_mib(demo):
    """Past either quota the upload is refused (422) naming the limit and
    nothing is stored; a removed document frees its place."""
    c = applicant(demo, "quota@example.org")
    path = "/api/applications/%d/documents" % c.app
    ids = []
    for n in range(10):
        status, _, body = c.upload(path, {"kind": "other"},
                                   data=pdfs._pdf(extra_objects=[
                                       b"(quota %d)" % n]))
        assert status == 201, body
        ids.append(body["document"]["id"])
    before = stored_files(demo)
    status, _, body = c.upload(path, {"kind": "other"},
                               data=pdfs._pdf(extra_objects=[b"(eleven)"]))
    assert status == 422 and body["error"]["field"] == "kind", body
    assert "10" in body["error"]["message"]
    assert stored_files(demo) == before
    assert c.call("DELETE", "/api/documents/%d" % ids[0])[0] == 204
    assert c.upload(path, {"kind": "other"},
                    data=pdfs._pdf(extra_objects=[b"(again)"]))[0] == 201
    # The bytes: a CV and a statement of 9.9 MB each and other documents
    # up to 60 MiB; one more is refused, naming the limit.
    d = applicant(demo, "bytes@example.org")
    path = "/api/applications/%d/documents" % d.app
    big = 10 * 1024 * 1024 - 600
    stored = 0
    for n, kind in enumerate(["cv", "personal_statement"] + ["other"] * 4):
        data = pdfs.padded(big - n)
        assert d.upload(path, {"kind": kind}, data=data)[0] == 201
        stored += len(data)
    assert stored < 60 * 1024 * 1024 < stored + big
    status, _, body = d.upload(path, {"kind": "other"},
                               data=pdfs.padded(big - 99))
    assert status == 422 and body["error"]["field"] == "file", body
    assert "60 MiB" in body["error"]["message"], body


@pytest.mark.abuse
def test_another_applicants_document_and_a_missing_one_answer_alike(demo):
    owner = applicant(demo, "owner2@example.org")
    doc = owner.upload("/api/applications/%d/documents" % owner.app,
                       {"kind": "cv"}, data=pdfs.valid())[2]["document"]
    other = applicant(demo, "other2@example.org")
    a = other.call("DELETE", "/api/documents/%d" % doc["id"])
    b = other.call("DELETE", "/api/documents/%d" % 99999999)
    assert a[0] == b[0] == 404 and a[2] == b[2]
    c = other.call("GET", "/api/documents/%d" % doc["id"])
    d = other.call("GET", "/api/documents/%d" % 99999999)
    assert c[0] == d[0] == 404 and c[2] == d[2]
