"""Slow work leaves the event loop: while one request computes an Argon2id
hash on a task thread, the same (single) worker answers others."""
import threading
import time

from server import request


def test_concurrent_request_is_answered_while_a_hash_runs(make_server):
    # One worker, so the health checks must be served by the same event
    # loop that started the hash.
    srv = make_server(extra_conf="workers 1").start()
    slow = {}

    def run_slow():
        slow["reply"] = request(srv.url, "POST", "/api/selftest/offload")
        slow["done_at"] = time.monotonic()

    t = threading.Thread(target=run_slow)
    t.start()
    time.sleep(0.15)
    answered_at = []
    for _ in range(5):
        status, _, body = request(srv.url, "GET", "/api/health")
        assert status == 200 and body == {"status": "ok"}
        answered_at.append(time.monotonic())
    t.join(timeout=60)

    status, _, body = slow["reply"]
    assert status == 200
    assert body["ms"] > 0
    # Ordering, not timing: every health reply came back before the hash
    # finished, so the loop was never blocked by it.
    assert all(a < slow["done_at"] for a in answered_at)


def test_client_leaving_during_the_hash_does_not_hurt_the_worker(make_server):
    import socket
    srv = make_server(extra_conf="workers 1").start()
    for _ in range(3):
        s = socket.create_connection(("127.0.0.1", srv.port))
        s.sendall(b"POST /api/selftest/offload HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Length: 0\r\n\r\n")
        time.sleep(0.05)
        s.close()
    time.sleep(2.5)  # let the orphaned hashes finish and be released
    status, _, body = request(srv.url, "POST", "/api/selftest/offload")
    assert status == 200
    status, _, _ = request(srv.url, "GET", "/api/health")
    assert status == 200
