"""HTTP conventions: health, the error shape, security headers on every
kind of response the application writes, method and size limits."""
import socket

from server import request

REQUIRED_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(h):
    for name, must_contain in REQUIRED_HEADERS.items():
        assert must_contain in (h.get(name) or ""), name
    csp = h["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def assert_error(payload, code):
    assert set(payload) == {"error"}
    assert payload["error"]["code"] == code
    assert isinstance(payload["error"]["message"], str)
    assert payload["error"]["message"]


def test_health_answers_ok_as_json(api):
    status, h, body = api("GET", "/api/health")
    assert status == 200
    assert body == {"status": "ok"}
    assert h["Content-Type"] == "application/json; charset=utf-8"
    assert h["Cache-Control"] == "no-store"
    assert_security_headers(h)


def test_server_does_not_name_its_software_version(api):
    _, h, _ = api("GET", "/api/health")
    assert h["Server"] == "fellowship"


def test_hsts_is_left_to_the_tls_front(api):
    _, h, _ = api("GET", "/api/health")
    assert "Strict-Transport-Security" not in h


def test_unknown_api_path_is_json_404_with_headers(api):
    status, h, body = api("GET", "/api/does-not-exist")
    assert status == 404
    assert_error(body, "not_found")
    assert_security_headers(h)


def test_unknown_path_with_post_is_json_404(api):
    status, h, body = api("POST", "/nowhere", body={"a": 1})
    assert status == 404
    assert_error(body, "not_found")
    assert_security_headers(h)


def test_wrong_method_is_405(api):
    status, _, _ = api("POST", "/api/health", body={})
    assert status == 405
    status, _, _ = api("DELETE", "/")
    assert status == 405


def test_body_over_the_limit_is_refused_before_reading(server):
    # Kore answers 413 on the Content-Length alone.
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"POST /api/selftest/offload HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Length: 999999999\r\n\r\n")
        reply = s.recv(4096).decode("latin-1")
    assert reply.startswith("HTTP/1.1 413")


def send_raw_then_check_health(server, raw):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(raw)
        try:
            s.recv(4096)
        except ConnectionResetError:
            pass
    status, _, _ = request(server.url, "GET", "/api/health")
    assert status == 200


def test_oversized_headers_do_not_take_the_server_down(server):
    send_raw_then_check_health(server, b"GET /api/health HTTP/1.1\r\n"
                               b"Host: x\r\nX-Big: " + b"a" * 9000 +
                               b"\r\n\r\n")


def test_malformed_request_line_does_not_take_the_server_down(server):
    send_raw_then_check_health(server, b"\x00\xff GARBAGE\r\n\r\n")
