"""The workers' seccomp sandbox and the threads it may kill.

Kore 4.1's filter kills only the thread that makes a refused system call.
A worker whose event loop was killed while task threads ran used to live
on without answering anything: it kept Kore's accept lock, so no worker
took a connection again, and nothing was logged (a sign-in test waited
30 s for an answer that never came). Now the calls the libraries make on
rare paths are allowed (sched_yield: the sanitizer runtime's contended
locks), and a worker that loses a thread ends, logged as a sandbox
violation, and is replaced (src/web/sentinel.c)."""
import http.client
import json
import re
import time

import pytest

from server import Server, request

DEADLINE = 5  # seconds: an answer, or a closed connection, by then


def call(srv, name, thread):
    """POST /api/selftest/syscall on a fresh connection: the status, or
    the exception when the connection closed without an answer."""
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=DEADLINE)
    try:
        c.request("POST", "/api/selftest/syscall",
                  body=json.dumps({"call": name, "thread": thread}),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        return r.status
    except (http.client.RemoteDisconnected, ConnectionError) as e:
        return e
    finally:
        c.close()


def healthy_within(srv, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=1)
            c.request("GET", "/api/health")
            if c.getresponse().status == 200:
                return True
        except (OSError, http.client.HTTPException):
            pass
        finally:
            c.close()
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


def test_a_yield_on_any_thread_is_allowed(make_server):
    # One worker: the loop that is asked to yield is the one that ran
    # the task; the task threads exist when it yields.
    srv = make_server(extra_conf="workers 1").start()
    for thread in ("task", "loop", "task", "loop"):
        t = time.monotonic()
        assert call(srv, "sched_yield", thread) == 200, thread
        assert time.monotonic() - t < DEADLINE
    assert request(srv.url, "GET", "/api/health")[0] == 200
    # The fixture fails the test on a sandbox violation in the log.


def test_unknown_call_or_thread_is_refused(make_server):
    srv = make_server(extra_conf="workers 1").start()
    for body in ({"call": "fork", "thread": "loop"},
                 {"call": "sched_yield", "thread": "other"},
                 {"call": "sched_yield"}):
        status, _, reply = request(srv.url, "POST", "/api/selftest/syscall",
                                   body=body)
        assert status == 400 and reply["error"]["code"] == "bad_json"


@pytest.mark.parametrize("thread", ["loop", "task"])
def test_a_thread_killed_by_the_sandbox_ends_its_worker(tmp_path, thread):
    """The request that made the refused call gets its connection closed,
    not a wait without end; the worker is replaced and the server answers
    again; the log names the violation."""
    srv = Server(tmp_path, extra_conf="workers 1").start()
    try:
        # Task threads first, so that the event loop is not the
        # worker's only thread when it is killed.
        assert call(srv, "sched_yield", "task") == 200
        t = time.monotonic()
        outcome = call(srv, "getppid", thread)
        assert isinstance(outcome, Exception), outcome
        assert time.monotonic() - t < DEADLINE
        assert healthy_within(srv, DEADLINE)
        assert call(srv, "sched_yield", "task") == 200
    finally:
        log = srv.stop()
    what = "event loop" if thread == "loop" else "task thread"
    assert re.search(r"worker 1: its %s ended on its own" % what, log), log
    assert len(re.findall(r"worker 1 died from sandbox violation",
                          log)) == 1, log
    expected = re.compile(r"died from sandbox violation")
    assert [l for l in srv.bad_log_lines(log)
            if not expected.search(l)] == [], log
