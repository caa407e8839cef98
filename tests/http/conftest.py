"""Fixtures for the HTTP tests: a real server per test module.

Every server's log is checked when it stops: a sandbox violation, an
"ignoring" configuration line or a sanitizer report fails the test that
owned the server.
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))

from server import Server, request  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "serial: measures time or loads the machine; run "
        "alone, after the others (tests/run.sh)")
    config.addinivalue_line(
        "markers", "abuse: a finding of the outside attack on the running "
        "product, kept fixed (make security runs these on their own)")
    config.addinivalue_line(
        "markers", "sqlite_only: about the SQLite file itself (its backup, "
        "a crash or a full disk under it, old schemas' files); skipped "
        "when TEST_DATABASE=postgresql")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TEST_DATABASE") != "postgresql":
        return
    skip = pytest.mark.skip(reason="about the SQLite file; the servers "
                            "run on PostgreSQL (TEST_DATABASE)")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


def _stop_and_check(srv):
    log = srv.stop()
    bad = srv.bad_log_lines(log)
    assert not bad, "server log has forbidden lines:\n" + "\n".join(bad)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("data")).start()
    yield srv
    _stop_and_check(srv)


@pytest.fixture
def make_server(tmp_path_factory):
    """Starts servers with custom settings; all are stopped and checked."""
    started = []

    def make(**kw):
        srv = Server(tmp_path_factory.mktemp("data"), **kw)
        started.append(srv)
        return srv

    yield make
    for srv in started:
        _stop_and_check(srv)


@pytest.fixture
def api(server):
    def call(method, path, **kw):
        return request(server.url, method, path, **kw)
    return call


OPEN_CYCLE = {"year": 2027, "name": "Test cycle",
              "applications_open": "2020-01-01",
              "applications_close": "2099-01-15T17:00",
              "interviews_start": "2099-02-01",
              "interviews_end": "2099-03-01",
              "ranklist_due": "2099-03-20T23:59"}


def demo_with_open_cycle(tmp_path_factory, name):
    """A demo server with one more cycle, open, named name; its id is in
    srv.cycle. Callers stop it with _stop_and_check."""
    from server import Client
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    d = Client(srv.url)
    d.login("director@demo.test")
    cid = d.call("POST", "/api/cycles", dict(OPEN_CYCLE, name=name))[2][
        "cycle"]["id"]
    d.call("PATCH", "/api/cycles/%d" % cid, {"state": "open"})
    srv.cycle = cid
    return srv
