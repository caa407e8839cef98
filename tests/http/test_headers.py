"""The security headers on every kind of response, through the nginx front
as deployed: JSON answers, the HTML shell, static assets, downloads, JSON
errors of every status the application and nginx write, the plain-HTTP
redirect and HEAD requests. Each header must be present exactly once
(a duplicate of a single-valued header confuses browsers), except the
content security policy, of which a document download carries a second,
stricter one."""
import socket

import pytest

import pdfs
from server import Client, Server
from test_deploy import nginx_front, tls_get  # noqa: F401 (fixture)

# Every header the application sets on its own responses (src/web/reply.c),
# with a piece of its expected value; nginx adds the same on what it writes
# itself (deploy/nginx/fellowship.conf).
APP_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=()",
}
HSTS = ("Strict-Transport-Security", "max-age=")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo (staff, a cycle at the interview stage) behind nginx_front,
    which asks for this module's server fixture."""
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    yield srv
    _stop_and_check(srv)


def missing_headers(h, tls=True):
    """The security headers that are absent, repeated or wrong in h."""
    bad = []
    want = dict(APP_HEADERS)
    if tls:
        want[HSTS[0]] = HSTS[1]
    for name, piece in want.items():
        values = h.get_all(name) or []
        if len(values) != 1 or piece not in values[0]:
            bad.append("%s: %r" % (name, values))
    csp = h.get_all("Content-Security-Policy") or []
    if not any("frame-ancestors 'none'" in v for v in csp):
        bad.append("Content-Security-Policy: %r" % csp)
    return bad


def front_client(front, email):
    c = Client("https://localhost:%d" % front["https"], context=front["ctx"])
    status, body = c.login(email)
    assert status == 200, body
    return c


def test_json_html_and_assets(nginx_front):
    for path, ctype in (("/api/health", "application/json"),
                        ("/", "text/html"),
                        ("/assets/js/app.js", "javascript"),
                        ("/assets/css/app.css", "text/css")):
        status, h, _ = tls_get(nginx_front, path)
        assert status == 200, path
        assert ctype in h["Content-Type"], (path, h["Content-Type"])
        assert missing_headers(h) == [], path


def test_downloads(nginx_front):
    staff = front_client(nginx_front, "coordinator@demo.test")
    for path, ctype in (("/api/cycles/1/ranklist.csv?id=sfmatch", "text/csv"),
                        ("/api/cycles/1/export.json", "application/json")):
        status, h, _ = staff.call("GET", path)
        assert status == 200, path
        assert ctype in h["Content-Type"]
        assert h["Content-Disposition"].startswith("attachment")
        assert missing_headers(h) == [], path

    # A document: uploaded by a demo applicant to the open cycle (2).
    a = front_client(nginx_front, "applicant71@demo.test")
    app = a.call("GET", "/api/cycles/2/application")[2]["application"]["id"]
    status, _, body = a.upload("/api/applications/%d/documents" % app,
                               {"kind": "cv"}, data=pdfs.valid())
    assert status == 201, body
    status, h, data = a.call("GET",
                             "/api/documents/%d" % body["document"]["id"])
    assert status == 200 and data.startswith(b"%PDF")
    assert h["Content-Disposition"].startswith("attachment")
    assert missing_headers(h) == []
    assert "sandbox" in h.get_all("Content-Security-Policy")


def test_json_errors_of_every_status(nginx_front):
    anon = Client("https://localhost:%d" % nginx_front["https"],
                  context=nginx_front["ctx"])
    applicant = front_client(nginx_front, "applicant72@demo.test")
    director = front_client(nginx_front, "director@demo.test")
    cases = [
        (400, anon, "POST", "/api/login", {}),
        (401, anon, "GET", "/api/me", None),
        (403, applicant, "GET", "/api/users", None),
        (404, anon, "GET", "/api/no-such-thing", None),
        (422, director, "POST", "/api/cycles", {}),
    ]
    for status, client, method, path, body in cases:
        got, h, payload = client.call(method, path, body)
        assert got == status, (method, path, got, payload)
        assert h["Content-Type"].startswith("application/json"), path
        assert payload["error"]["code"], path
        assert missing_headers(h) == [], (status, path)

    # Kore answers a method a route does not accept itself, with an empty
    # body and no headers; nginx adds them.
    got, h, payload = anon.call("POST", "/api/health")
    assert got == 405 and payload == b""
    assert missing_headers(h) == []

    # 413 is written by nginx, before the application sees the body.
    status, h, body = tls_get(nginx_front, "/api/selftest/offload",
                              method="POST", data=b"x" * (12 * 1024 * 1024))
    assert status == 413
    assert h["Content-Type"].startswith("application/json")
    assert b'"too_large"' in body
    assert missing_headers(h) == []

    # 429: the account throttle, after a few wrong passwords.
    seen = []
    for _ in range(8):
        got, h, _ = anon.call("POST", "/api/login", {
            "email": "applicant73@demo.test", "password": "wrong-password-1"})
        seen.append(got)
        if got == 429:
            break
    assert seen[-1] == 429, seen
    assert h["Retry-After"]
    assert missing_headers(h) == []


def test_head_requests(nginx_front):
    # HEAD is accepted where monitors and caches use it, refused (405 from
    # Kore) elsewhere; every answer has the headers and no body.
    for path, status in (("/", 200), ("/api/health", 200),
                         ("/assets/js/app.js", 200), ("/api/me", 405),
                         ("/api/no-such-thing", 404)):
        got, h, body = tls_get(nginx_front, path, method="HEAD")
        assert got == status, (path, got)
        assert body == b""
        assert missing_headers(h) == [], path
    _, h, body = tls_get(nginx_front, "/")
    got, head, _ = tls_get(nginx_front, "/", method="HEAD")
    assert int(head["Content-Length"]) == len(body)


def test_plain_http_redirect(nginx_front):
    with socket.create_connection(("127.0.0.1", nginx_front["http"]),
                                  timeout=10) as s:
        s.sendall(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n"
                  b"Connection: close\r\n\r\n")
        reply = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
    head = reply.split(b"\r\n\r\n", 1)[0].decode()
    assert head.startswith("HTTP/1.1 301")
    import email.parser
    h = email.parser.Parser().parsestr(head.split("\r\n", 1)[1],
                                       headersonly=True)
    # No HSTS over plain HTTP (RFC 6797 §7.2: browsers ignore it there).
    assert missing_headers(h, tls=False) == []
