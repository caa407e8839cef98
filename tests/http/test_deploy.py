"""The production layout, tried for real: nginx terminating TLS in front of
the application, and the production configuration (chroot, dedicated user)
started and answering; and what nginx's access log keeps of a
journey through it: no token."""
import os
import pwd
import re
import socket
import ssl
import subprocess
import time
import urllib.request

import pytest

import front
import pdfs
from server import ROOT, Client, Server, free_port, process_name, request


@pytest.fixture
def nginx_front(server, tmp_path):
    if not os.path.exists(front.NGINX):
        pytest.skip("nginx is not installed")
    proc, info = front.start(server.port, tmp_path)
    yield info
    front.stop(proc)


def tls_get(nf, path, method="GET", data=None):
    req = urllib.request.Request(
        "https://localhost:%d%s" % (nf["https"], path), method=method,
        data=data)
    try:
        with urllib.request.urlopen(req, context=nf["ctx"],
                                    timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_https_request_reaches_the_application(nginx_front):
    status, h, body = tls_get(nginx_front, "/api/health")
    assert status == 200
    assert body == b'{"status":"ok"}'
    assert "max-age=" in h["Strict-Transport-Security"]
    # The application's headers pass through, once.
    assert h.get_all("X-Content-Type-Options") == ["nosniff"]
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]


def test_security_headers_on_responses_kore_writes_itself(nginx_front):
    status, h, _ = tls_get(nginx_front, "/api/health", method="POST",
                           data=b"")
    assert status == 405
    assert h["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert "max-age=" in h["Strict-Transport-Security"]


def test_plain_http_redirects_to_https(nginx_front):
    with socket.create_connection(("127.0.0.1", nginx_front["http"])) as s:
        s.sendall(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n"
                  b"Connection: close\r\n\r\n")
        reply = s.recv(4096).decode()
    assert reply.startswith("HTTP/1.1 301")
    assert "Location: https://localhost/api/health" in reply


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_only_tls_12_and_13_are_offered(nginx_front):
    for version in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        try:
            ctx.minimum_version = version
            ctx.maximum_version = version
            ctx.set_ciphers("ALL:@SECLEVEL=0")
        except (ValueError, ssl.SSLError):
            continue
        with pytest.raises((ssl.SSLError, OSError)):
            with socket.create_connection(("127.0.0.1",
                                           nginx_front["https"])) as s:
                ctx.wrap_socket(s, server_hostname="localhost")
    for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.minimum_version = version
        ctx.maximum_version = version
        with socket.create_connection(("127.0.0.1",
                                       nginx_front["https"])) as s:
            with ctx.wrap_socket(s, server_hostname="localhost") as t:
                assert t.version() in ("TLSv1.2", "TLSv1.3")


def test_body_over_the_limit_is_refused_by_the_front(nginx_front):
    status, _, _ = tls_get(nginx_front, "/api/selftest/offload",
                           method="POST", data=b"x" * (12 * 1024 * 1024))
    assert status == 413


def test_many_idle_clients_at_the_front_do_not_starve_others(nginx_front):
    """Kore takes at most 32 connections per worker (conf/common.conf), so
    idle clients straight at it can hold every slot until its header
    timeout (README, Known limits). Deployed, nginx holds the clients'
    connections and opens one to the application only for a whole
    request: 300 idle clients, some mid-handshake and some mid-request,
    do not keep a new client from being served."""
    conns = []
    try:
        for i in range(300):
            s = socket.create_connection(("127.0.0.1", nginx_front["https"]),
                                         timeout=10)
            if i % 3 == 0:
                s.sendall(b"\x16\x03\x01")  # a TLS record begun, never ended
            conns.append(s)
        for i in range(20):
            t = nginx_front["ctx"].wrap_socket(
                socket.create_connection(("127.0.0.1", nginx_front["https"]),
                                         timeout=10),
                server_hostname="localhost")
            t.sendall(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n")
            conns.append(t)  # headers never finished
        for _ in range(3):
            status, _, body = tls_get(nginx_front, "/api/health")
            assert (status, body) == (200, b'{"status":"ok"}')
    finally:
        for s in conns:
            s.close()


LOGGED_PW = "a sturdy logged passphrase 7"


def _link_tokens(srv, count):
    """{kind: [token, ...]} of the links in the first count mails
    (invite, reset, letter), waiting for them."""
    mails = srv.mails(wait_for=count, timeout=20)
    assert len(mails) >= count, mails
    found = {}
    for m in mails:
        for kind, token in re.findall(
                r"/#/(\w+)/([A-Za-z0-9_-]{43})", m):
            found.setdefault(kind, []).append(token)
    return found


@pytest.mark.abuse
def test_no_token_or_cookie_reaches_the_access_log(server, tmp_path):
    """Through nginx with its access log in the default "combined" format
    (the request line, the referrer, the user agent): the setup link,
    an invitation, a password reset, a letter requested, opened and
    uploaded by its writer, and sign-ins. None of the links' tokens,
    session cookies or CSRF tokens is in the log: each travels in a
    body, a header or a cookie, never in a path or a query."""
    if not os.path.exists(front.NGINX):
        pytest.skip("nginx is not installed")
    log_path = tmp_path / "access.log"
    proc, nf = front.start(server.port, tmp_path, access_log=log_path)
    secrets = []
    clients = []
    try:
        base = "https://localhost:%d" % nf["https"]

        def client():
            c = Client(base, context=nf["ctx"])
            clients.append(c)
            return c

        # The first director, through the setup link the server printed.
        setup = re.search(r"/#/setup/([A-Za-z0-9_-]{43})",
                          server.read_log()).group(1)
        secrets.append(setup)
        d = client()
        status, _, body = d.call("POST", "/api/setup", {
            "token": setup, "email": "chief@example.org",
            "name": "Dr. Chief", "password": LOGGED_PW})
        assert status == 201, body
        # An invitation, accepted.
        status, _, body = d.call("POST", "/api/users", {
            "email": "fac@example.org", "name": "Dr. Fac",
            "role": "faculty"})
        assert status == 201, body
        [invite] = _link_tokens(server, 1)["invite"]
        secrets.append(invite)
        f = client()
        status, _, body = f.call("POST", "/api/invitations/accept",
                                 {"token": invite, "password": LOGGED_PW})
        assert status == 200, body
        # A password reset.
        r = client()
        assert r.call("POST", "/api/password/forgot",
                      {"email": "fac@example.org"})[0] == 202
        [reset] = _link_tokens(server, 2)["reset"]
        secrets.append(reset)
        status, _, body = r.call("POST", "/api/password/reset",
                                 {"token": reset,
                                  "password": LOGGED_PW + "!"})
        assert status == 200, body
        # An applicant asks for a letter in an open cycle.
        from conftest import OPEN_CYCLE
        status, _, body = d.call("POST", "/api/cycles", OPEN_CYCLE)
        assert status == 201, body
        cid = body["cycle"]["id"]
        assert d.call("PATCH", "/api/cycles/%d" % cid,
                      {"state": "open"})[0] == 200
        a = client()
        status, _, body = a.call("POST", "/api/register", {
            "email": "ann@example.org", "password": LOGGED_PW,
            "name": "Dr. Ann Applicant"})
        assert status == 201, body
        app = a.call("GET", "/api/cycles/%d/application" % cid)[2][
            "application"]["id"]
        status, _, body = a.call("POST", "/api/applications/%d/letters" % app,
                                 {"writer_name": "Dr. Writer",
                                  "writer_email": "writer@example.org",
                                  "waived": True})
        assert status == 201, body
        [letter] = _link_tokens(server, 3)["letter"]
        secrets.append(letter)
        # The writer opens the page and uploads the letter.
        w = client()
        status, _, body = writer_call(w, "GET", letter)
        assert status == 200, body
        status, _, body = writer_call(w, "POST", letter, pdfs.valid())
        assert status == 201, body
        # Signing in again.
        s = client()
        assert s.login("chief@example.org", LOGGED_PW)[0] == 200
        assert s.call("GET", "/api/me")[0] == 200
    finally:
        front.stop(proc)
    for c in clients:
        secrets.extend(x for x in (c.cookie(), c.csrf) if x)
    # Four links, and a cookie and a CSRF token for each signed-in client.
    assert len(secrets) == 4 + 2 * 5
    log = log_path.read_text()
    # The journey is in the log, a line a request, as a deployed
    # server's would be.
    for path in ("/api/setup", "/api/invitations/accept",
                 "/api/password/reset", "/api/login"):
        assert '"POST %s HTTP/' % path in log, log
    assert len(log.splitlines()) == 14, log
    for secret in secrets:
        assert secret not in log
    # Nor anything else shaped like a token.
    assert not re.search(r"[A-Za-z0-9_-]{43}", log), log


def writer_call(c, method, token, data=None):
    """The letter writer's page: its view (GET), or the upload of data
    (POST), for the link's token, which goes in a header."""
    headers = {"X-Letter-Token": token}
    if method == "GET":
        return c.call("GET", "/api/letters/writer", headers=headers)
    return c.upload("/api/letters/writer", {}, data=data, headers=headers)


def _ensure_system_user(name):
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home",
                        "--shell", "/usr/sbin/nologin", name], check=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root for chroot/runas")
@pytest.mark.sqlite_only   # the installed configuration: the SQLite file
def test_production_configuration_starts_chrooted_as_its_user():
    import tempfile
    _ensure_system_user("fellowship")
    # Like /var/lib: parents the dedicated user can traverse (the mail
    # delivery process is not chrooted and opens the database by path).
    tmp_path = __import__("pathlib").Path(tempfile.mkdtemp(dir="/tmp"))
    os.chmod(tmp_path, 0o755)
    prefix, data = tmp_path / "opt", tmp_path / "data"
    port = free_port()
    env = dict(os.environ, PREFIX=str(prefix), INSTALL_DATA_DIR=str(data),
               PORT=str(port), DATA_DIR=str(data))
    subprocess.run(["make", "--no-print-directory", "-s", "install"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    conf = prefix / "conf" / "kore.conf"
    text = conf.read_text()
    assert "runas fellowship" in text and "root %s" % data in text

    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen(["stdbuf", "-oL", "-eL", "kore", "-f", "-c",
                             str(conf)], cwd=str(data), env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        srv = Server(str(data), port=port, sanitize=False)
        srv.proc = proc
        srv.log_path = str(tmp_path / "server.log")
        srv.wait_ready()
        status, _, body = request(srv.url, "GET", "/api/health")
        assert status == 200 and body == {"status": "ok"}
        status, _, _ = request(srv.url, "GET", "/")
        assert status == 200
        uid = pwd.getpwnam("fellowship").pw_uid

        def real_uid(pid):
            # /proc/PID itself is root's for a process that changed its
            # user (no longer "dumpable"); the status file tells the truth.
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("Uid:"):
                        return int(line.split()[1])
            return -1

        # The first worker answers while the second may still be starting
        # (as root, before it drops privileges): wait for both.
        deadline = time.time() + 20
        while True:
            children = [int(p) for p in subprocess.run(
                ["pgrep", "-P", str(proc.pid)], capture_output=True,
                text=True).stdout.split()]
            workers = [p for p in children
                       if process_name(p) not in ("fellow-mailer",
                                                  "fellow-pdfcheck")]
            mailers = [p for p in children
                       if process_name(p) == "fellow-mailer"]
            checkers = [p for p in children
                        if process_name(p) == "fellow-pdfcheck"]
            if (len(workers) == 2 and all(real_uid(w) == uid
                                          for w in workers)) or \
                    time.time() > deadline:
                break
            time.sleep(0.2)
        assert len(workers) == 2 and len(mailers) == 1
        assert len(checkers) == 1
        for w in workers:
            assert real_uid(w) == uid
            assert os.readlink("/proc/%d/root" % w) == str(data)
        # The mailer needs sendmail, so it is not chrooted, but it does
        # run as the dedicated user.
        assert real_uid(mailers[0]) == uid
        # So does the PDF check, installed beside the module.
        assert real_uid(checkers[0]) == uid
        assert os.stat(data / "fellowship.db").st_uid == uid
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    text = (tmp_path / "server.log").read_text()
    assert not Server(str(data)).bad_log_lines(text), text
    assert "mailer: cannot open" not in text, text
    subprocess.run(["rm", "-rf", str(tmp_path)], check=False)
