"""The PDF check: strict acceptance, and the separate process it runs in.

Strict: nothing before the header or after the last %%EOF, no markup in
the file's own syntax, and none of embedded files, form submission or
import, rich media, links to other files, or a key given twice, whether
the dictionary is plain in the file or inside a compressed object stream.
Links to web pages stay allowed. Each refusal says why in words.

Apart: the check runs in fellow-pdfcheck, one child per check with limits,
so a decompression bomb costs that child and never a worker, and an upload
finds it gone or busy with a 503 that says to try again."""
import concurrent.futures
import os
import signal
import time

import pytest

import pdfs
from server import Client

pytestmark = pytest.mark.abuse


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check, demo_with_open_cycle
    srv = demo_with_open_cycle(tmp_path_factory, "PDF check cycle")
    yield srv
    _stop_and_check(srv)


NEXT = iter(range(1, 81))


def applicant(srv):
    c = Client(srv.url)
    assert c.login("applicant%02d@demo.test" % next(NEXT))[0] == 200
    c.app = c.call("GET", "/api/cycles/%d/application" % srv.cycle)[2][
        "application"]["id"]
    return c


def upload(c, data, kind="other"):
    return c.upload("/api/applications/%d/documents" % c.app,
                    {"kind": kind}, data=data)


def stored_files(srv):
    return sorted(os.listdir(os.path.join(srv.datadir, "documents")))


@pytest.mark.parametrize("name,message", [
    ("html_in_comment", "web page markup"),
    ("html_between_objects", "web page markup"),
    ("html_after_eof", "after its end"),
    ("html_before_header", "not a PDF"),
    ("with_embedded_file", "embedded files"),
    ("with_rich_media", "rich media"),
    ("with_gotor", "open other files"),
    ("with_submit_form", "sends or imports data"),
    ("with_import_data", "sends or imports data"),
    ("with_duplicate_key", "same key twice"),
    ("with_escaped_name", "scripts"),
    ("with_compressed_javascript", "scripts"),
])
def test_what_the_outside_test_got_through_is_refused_in_words(demo, name,
                                                                message):
    c = applicant(demo)
    before = stored_files(demo)
    status, _, body = upload(c, getattr(pdfs, name)())
    assert status == 422, body
    assert body["error"]["field"] == "file"
    assert message in body["error"]["message"]
    assert stored_files(demo) == before


@pytest.mark.parametrize("address,message", [
    (b"javascript:app.alert(1)", "scripts"),
    (b" JavaScript:x", "scripts"),
    (b"file:///etc/passwd", "open other files"),
    (b"smb://host/share", "open other files"),
])
def test_a_link_must_lead_to_a_web_page_or_a_mail(demo, address, message):
    c = applicant(demo)
    status, _, body = upload(c, pdfs.with_uri(address))
    assert status == 422, body
    assert message in body["error"]["message"]


@pytest.mark.parametrize("address", [b"https://doi.org/10.1/x",
                                     b"HTTP://example.org",
                                     b"mailto:a@b.org", b"cv/page2.html"])
def test_web_mail_and_relative_links_are_accepted(demo, address):
    assert upload(applicant(demo), pdfs.with_uri(address))[0] == 201


@pytest.mark.parametrize("name", ["with_uri_link", "compressed_valid"])
def test_links_to_web_pages_and_compressed_files_are_accepted(demo, name):
    c = applicant(demo)
    status, _, body = upload(c, getattr(pdfs, name)())
    assert status == 201, body


def peak_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def test_a_decompression_bomb_costs_the_check_process_not_a_worker(demo):
    """1 MB that inflates to a gigabyte: checked in a worker it took
    5 GB and 13 s. The check's child runs out of its 512 MiB and the
    file is refused as too complex; no worker's peak memory moves by
    more than the upload itself, and the check answers the next upload."""
    c = applicant(demo)
    workers = demo.worker_pids()
    before = {p: peak_kb(p) for p in workers}
    status, _, body = upload(c, pdfs.decompression_bomb())
    assert status == 422, body
    assert "too large or complex" in body["error"]["message"]
    for p in workers:
        grown = peak_kb(p) - before[p]
        assert grown < 100 * 1024, "worker %d grew by %d kB" % (p, grown)
    assert upload(c, pdfs.valid())[0] == 201


def test_uploads_at_once_each_get_their_own_verdict(demo):
    """Eight uploads at once over both workers: the check takes them one
    at a time per worker, each answered with the verdict of its file."""
    cases = [(pdfs.valid(), 201), (pdfs.with_javascript(), 422),
             (pdfs.with_embedded_file(), 422), (pdfs.compressed_valid(), 201)]
    clients = [applicant(demo) for _ in range(8)]

    def one(i):
        data, want = cases[i % len(cases)]
        return upload(clients[i], data)[0], want

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        got = list(pool.map(one, range(8)))
    assert all(status == want for status, want in got), got


def test_without_the_check_process_an_upload_is_refused_with_503(
        make_server):
    """Killed, the check cannot run: the upload is answered at once with
    503, Retry-After and a sentence, nothing is stored, and sign-ins go
    on."""
    srv = make_server(demo=True).start()
    pid = srv.pdfcheck_pid()
    assert pid is not None, "the PDF check process is not running"
    os.kill(pid, signal.SIGKILL)
    for _ in range(100):
        if srv.pdfcheck_pid() is None:
            break
        time.sleep(0.05)
    c = Client(srv.url)
    assert c.login("applicant@demo.test")[0] == 200
    app = c.call("GET", "/api/cycles/2/application")[2]["application"]["id"]
    before = stored_files(srv)
    status, h, body = c.upload("/api/applications/%d/documents" % app,
                               {"kind": "cv"}, data=pdfs.valid())
    assert status == 503, body
    assert h.get("Retry-After") == "60"
    assert body["error"]["field"] == "file"
    assert "could not be checked just now" in body["error"]["message"]
    assert stored_files(srv) == before
    assert Client(srv.url).login("coordinator@demo.test")[0] == 200


def test_each_check_runs_confined_at_the_lowest_priority(demo):
    """While the bomb is checked, its child is seen with 512 MiB of
    address space, a CPU limit, no file size, a seccomp filter and nice
    19, as the runas-less test server's own user."""
    import subprocess
    import threading
    parent = demo.pdfcheck_pid()
    assert parent is not None
    seen = {}
    stop = threading.Event()

    def watch():
        while not stop.is_set() and not seen:
            out = subprocess.run(["pgrep", "-P", str(parent)],
                                 capture_output=True, text=True).stdout
            for p in out.split():
                try:
                    with open("/proc/%s/limits" % p) as f:
                        limits = f.read()
                    with open("/proc/%s/status" % p) as f:
                        status = f.read()
                    with open("/proc/%s/stat" % p) as f:
                        nice = int(f.read().rsplit(")", 1)[1].split()[16])
                except (FileNotFoundError, ProcessLookupError):
                    continue
                if "Seccomp:\t2" in status:
                    seen.update(limits=limits, status=status, nice=nice)
            time.sleep(0.005)

    t = threading.Thread(target=watch)
    t.start()
    c = applicant(demo)
    try:
        assert upload(c, pdfs.decompression_bomb())[0] == 422
    finally:
        stop.set()
        t.join()
    assert seen, "no check child was seen running"
    lines = {l[:26].strip(): l[26:].split() for l in
             seen["limits"].splitlines()[1:]}
    assert lines["Max address space"][:2] == [str(512 << 20)] * 2
    assert lines["Max cpu time"][:2] == ["10", "11"]
    assert lines["Max file size"][:2] == ["0", "0"]
    assert seen["nice"] == 19


def checks_running(srv):
    """How many checks the PDF check process is running."""
    import subprocess
    return len(subprocess.run(["pgrep", "-P", str(srv.pdfcheck_pid())],
                              capture_output=True, text=True).stdout.split())


def until(cond, seconds=30):
    """Polls cond until it holds (True) or seconds pass (False)."""
    deadline = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_client_gone_during_the_check_leaves_the_worker_well(demo):
    """The client hangs up while its bomb is checked: the worker stops
    waiting for that verdict, stays up, and the next upload is checked."""
    import socket
    c = applicant(demo)
    workers = sorted(demo.worker_pids())
    data = pdfs.decompression_bomb()
    body = (b"--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n"
            b"cv\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; "
            b"filename=\"x.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
            + data + b"\r\n--b--\r\n")
    cookie = next("%s=%s" % (k.name, k.value) for k in c.jar
                  if k.name.endswith("fellowship_session"))
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", demo.port)) as s:
            s.sendall(b"POST /api/applications/%d/documents HTTP/1.1\r\n"
                      b"Host: x\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n"
                      b"Content-Type: multipart/form-data; boundary=b\r\n"
                      b"Content-Length: %d\r\n\r\n" % (
                          c.app, cookie.encode(), c.csrf.encode(),
                          len(body)) + body)
            # Hang up once the check has begun: the worker is waiting.
            assert until(lambda: checks_running(demo) > 0)
            s.settimeout(0)
            with pytest.raises(BlockingIOError):
                s.recv(1)
    # The checks end (or are dropped, no one waiting for them).
    assert until(lambda: checks_running(demo) == 0)
    assert sorted(demo.worker_pids()) == workers
    assert upload(c, pdfs.valid())[0] == 201


def test_a_confined_check_can_neither_write_nor_reach_out(tmp_path):
    """What a hostile parse might try under the check's filter: writing,
    truncating (also when opened for reading), creating or removing a
    file, a socket, a process, a signal. All are refused; reading works
    and the file is unchanged."""
    import subprocess
    from server import ROOT
    f = tmp_path / "upload.pdf"
    f.write_bytes(pdfs.valid())
    r = subprocess.run([os.path.join(ROOT, "build", "san", "fellow-pdfcheck"),
                        "--self-test", str(f)], capture_output=True,
                       text=True, timeout=30, cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert f.read_bytes() == pdfs.valid()
    assert not (tmp_path / "new").exists()
