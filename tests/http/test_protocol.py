"""Protocol abuse over raw sockets: oversized and malformed requests,
lying lengths, slow and idle clients, pipelining, odd URIs and path
traversal. For each case the server answers a 4xx or closes the
connection — never a 5xx, never a crash — and afterwards another client
still gets GET /api/health 200 within a few seconds, from the same
workers (same PIDs). The server log is checked by the fixture."""
import re
import socket
import time

import pytest

# Bystanders must be answered within seconds: alone, after the others.
pytestmark = pytest.mark.serial

HEALTH_WITHIN = 8       # seconds a bystander may wait for /api/health
READ_TIMEOUT = 15       # seconds a case may take to be answered or closed


@pytest.fixture(scope="module")
def srv(server):
    server.pids = sorted(server.worker_pids())
    assert server.pids
    return server


def connect(srv, timeout=READ_TIMEOUT):
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=timeout)
    s.settimeout(timeout)
    return s


def read_all(s, deadline=READ_TIMEOUT):
    """Everything the server sends until it closes, or until the first
    response is complete and nothing more comes within a second."""
    out = b""
    end = time.time() + deadline
    s.settimeout(deadline)
    while time.time() < end:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except (ConnectionResetError, BrokenPipeError):
            break
        if not chunk:
            break
        out += chunk
        if b"\r\n\r\n" in out:
            s.settimeout(1)
    return out


def exchange(srv, data, deadline=READ_TIMEOUT):
    s = connect(srv)
    try:
        try:
            s.sendall(data)
        except (ConnectionResetError, BrokenPipeError):
            return b""
        return read_all(s, deadline)
    finally:
        s.close()


def statuses(resp):
    return [int(m) for m in re.findall(rb"^HTTP/1\.[01] (\d{3})", resp,
                                       re.M)]


def health(srv):
    """GET /api/health on a fresh connection: its status, or 0."""
    end = time.time() + HEALTH_WITHIN
    s = connect(srv, timeout=HEALTH_WITHIN)
    try:
        s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Connection: close\r\n\r\n")
        resp = read_all(s, deadline=max(1, end - time.time()))
    except OSError:
        return 0
    finally:
        s.close()
    st = statuses(resp)
    return st[0] if st else 0


def still_serving(srv, what):
    t = time.time()
    status = health(srv)
    assert status == 200, "%s: health answered %d after %.1fs" % (
        what, status, time.time() - t)
    assert sorted(srv.worker_pids()) == srv.pids, what + ": a worker died"


def refused(resp, what, allow_ok=False):
    """A 4xx, or the connection closed without an answer."""
    for st in statuses(resp):
        assert st < 500, "%s: %d\n%r" % (what, st, resp[:300])
        if not allow_ok:
            assert 400 <= st < 500, "%s: %d\n%r" % (what, st, resp[:300])


GET = b"GET /api/health HTTP/1.1\r\nHost: x\r\n"
BIG = 11534336

# name -> raw request; each gets a 4xx or a closed connection.
MALFORMED = {
    "header line over the limit": GET + b"X-Big: " + b"a" * 70000 +
    b"\r\n\r\n",
    "headers over 4096 bytes in total": GET + b"".join(
        b"X-H%d: %s\r\n" % (i, b"b" * 200) for i in range(40)) + b"\r\n",
    "too many headers": GET + b"".join(
        b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n",
    "bad method": b"BREW /api/health HTTP/1.1\r\nHost: x\r\n\r\n",
    "lowercase method": b"get /api/health HTTP/1.1\r\nHost: x\r\n\r\n",
    "no HTTP version": b"GET /api/health\r\nHost: x\r\n\r\n",
    "unknown HTTP version": b"GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n",
    "request line only spaces": b"   \r\n\r\n",
    "garbage": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\0" * 64,
    "NUL in the path": b"GET /api/he\0alth HTTP/1.1\r\nHost: x\r\n\r\n",
    "NUL in a header": GET + b"X-A: a\0b\r\n\r\n",
    "bare LF line ends": b"GET /api/health HTTP/1.1\nHost: x\n\n",
    "header without a colon": GET + b"NoColonHere\r\n\r\n",
    "empty header name": GET + b": value\r\n\r\n",
    "invalid chunked encoding": b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
    b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
    b"zz\r\n{}\r\n0\r\n\r\n",
    "POST without Content-Length": b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
    b"Content-Type: application/json\r\nConnection: close\r\n\r\n{}",
    "negative Content-Length": b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
    b"Content-Length: -5\r\n\r\n{}",
    "non-numeric Content-Length": b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
    b"Content-Length: abc\r\n\r\n{}",
    "huge Content-Length": b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
    b"Content-Length: 99999999999999999999999\r\n\r\n{}",
    "Content-Length over the body limit": b"POST /api/login HTTP/1.1\r\n"
    b"Host: x\r\nContent-Length: %d\r\n\r\n{}" % (BIG + 1),
    "Content-Length shorter than the body": b"POST /api/login HTTP/1.1\r\n"
    b"Host: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
    b"Connection: close\r\n\r\n{\"email\": \"a@b.c\", \"password\": \"x\"}",
    "two Content-Lengths": b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
    b"Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
    "path traversal": b"GET /assets/../../../etc/passwd HTTP/1.1\r\n"
    b"Host: x\r\n\r\n",
    "encoded path traversal": b"GET /assets/%2e%2e/%2e%2e/etc/passwd "
    b"HTTP/1.1\r\nHost: x\r\n\r\n",
    "dots in an asset path": b"GET /assets/js/../../conf/dev.conf HTTP/1.1\r\n"
    b"Host: x\r\n\r\n",
    "encoded NUL in an asset path": b"GET /assets/js/app.js%00.png "
    b"HTTP/1.1\r\nHost: x\r\n\r\n",
    "encoded slash traversal": b"GET /assets/..%2f..%2fetc%2fpasswd "
    b"HTTP/1.1\r\nHost: x\r\n\r\n",
}


# Cases Kore 4.1's own parser lets through to the route (it ignores
# headers past its 25th, empty names and NUL bytes inside values, and
# accepts bare LF and a lowercase method): the harmless GET may then
# succeed. In production nginx parses first and refuses them.
TOLERATED = {"too many headers", "lowercase method", "NUL in a header",
             "bare LF line ends", "empty header name"}
# Kore's own answer to a version it does not speak is 505, as RFC 9110
# says; it comes before any of the module's code runs.
KORE_STATUS = {"unknown HTTP version": 505}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_request_is_refused(srv, name):
    # An answer comes at once if it comes: a request Kore is still
    # waiting to complete is closed by http_header_timeout later, which
    # still_serving shows does not hold anyone else up.
    resp = exchange(srv, MALFORMED[name], deadline=4)
    if name in KORE_STATUS:
        assert statuses(resp) in ([], [KORE_STATUS[name]]), resp[:200]
    else:
        refused(resp, name, allow_ok=name in TOLERATED)
    assert b"root:" not in resp and b"bind 127.0.0.1" not in resp, name
    still_serving(srv, name)


def test_body_with_lying_longer_length_is_bounded(srv):
    """Content-Length longer than what comes: the server waits at most
    its body timeout; meanwhile others are served."""
    s = connect(srv)
    try:
        s.sendall(b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\n"
                  b"Content-Length: 1000\r\n\r\n{\"email\": ")
        still_serving(srv, "incomplete body")
    finally:
        s.close()
    still_serving(srv, "after the incomplete body")


def test_body_over_the_limit_is_refused(srv):
    """A body over http_body_max: 413 before it is read (the client may
    see a reset while still sending)."""
    s = connect(srv)
    try:
        s.sendall(b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % (BIG + 10))
        try:
            s.sendall(b"x" * 65536)
        except (ConnectionResetError, BrokenPipeError):
            pass
        resp = read_all(s)
    finally:
        s.close()
    refused(resp, "body over the limit")
    assert not statuses(resp) or statuses(resp) == [413], resp[:200]
    still_serving(srv, "body over the limit")


def test_slowloris_headers_do_not_block_others(srv):
    """Headers trickled a byte at a time for a few seconds, on several
    connections: others are served throughout."""
    conns = [connect(srv) for _ in range(8)]
    try:
        head = b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: "
        for s in conns:
            s.sendall(head)
        for i in range(6):
            for s in conns:
                try:
                    s.sendall(b"a")
                except OSError:
                    pass
            time.sleep(0.3)
            if i % 2 == 0:
                still_serving(srv, "slowloris, round %d" % i)
    finally:
        for s in conns:
            s.close()
    still_serving(srv, "after slowloris")


def test_many_idle_connections_do_not_block_others(srv):
    """More idle connections than one worker's worker_max_connections
    (see conf/common.conf): the other worker takes the rest, and a new
    client is still served."""
    conns = []
    try:
        for _ in range(48):
            conns.append(connect(srv))
        time.sleep(0.5)
        still_serving(srv, "%d idle connections" % len(conns))
        # Some of them send a request: they are answered too.
        for s in conns[:20]:
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n"
                      b"Connection: close\r\n\r\n")
        for s in conns[:20]:
            assert statuses(read_all(s)) == [200]
    finally:
        for s in conns:
            s.close()
    still_serving(srv, "after the idle connections")


def test_pipelined_requests_are_answered_in_order(srv):
    reqs = (b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /api/no-such-thing HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close"
            b"\r\n\r\n")
    # Kore 4.1 reads the next request of a connection only when more
    # bytes arrive: what was pipelined behind the first may go
    # unanswered until the connection times out. Never out of order.
    st = statuses(exchange(srv, reqs))
    assert st and st == [200, 404, 200][:len(st)], st
    still_serving(srv, "pipelined")


def test_many_pipelined_requests_are_bounded(srv):
    reqs = b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n" * 2000
    resp = exchange(srv, reqs)
    refused(resp, "2000 pipelined", allow_ok=True)
    still_serving(srv, "2000 pipelined")


def test_http10_without_host(srv):
    resp = exchange(srv, b"GET /api/health HTTP/1.0\r\n\r\n")
    st = statuses(resp)
    assert st in ([200], [400]), resp[:200]
    still_serving(srv, "HTTP/1.0 without Host")


def test_absolute_form_uri(srv):
    resp = exchange(srv, b"GET http://127.0.0.1/api/health HTTP/1.1\r\n"
                    b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n")
    refused(resp, "absolute-form URI", allow_ok=True)
    still_serving(srv, "absolute-form URI")
