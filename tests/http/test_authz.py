"""The authorization matrix: every route of conf/routes.conf, called by
every role and by an anonymous client, answers the status this table
says. A route without a row here fails the test, so a new route must be
given its rules."""
import os
import re

import pytest

from server import ROOT, Client

ROLES = ["anonymous", "applicant", "faculty", "coordinator", "director"]
ACCOUNTS = {
    "applicant": "applicant@demo.test",
    "faculty": "faculty1@demo.test",
    "coordinator": "coordinator@demo.test",
    "director": "director@demo.test",
}

PUBLIC_OK = dict.fromkeys(ROLES, 200)
PUBLIC_400 = dict.fromkeys(ROLES, 400)
USER = {"anonymous": 401, "applicant": None, "faculty": None,
        "coordinator": None, "director": None}
STAFF = {"anonymous": 401, "applicant": 403, "faculty": 403,
         "coordinator": None, "director": None}
REVIEWER = {"anonymous": 401, "applicant": 403, "faculty": None,
            "coordinator": None, "director": None}


OPEN_CYCLE = {"year": 2027, "name": "Matrix cycle",
              "applications_open": "2020-01-01",
              "applications_close": "2099-01-01",
              "interviews_start": "2099-02-01",
              "interviews_end": "2099-03-01", "ranklist_due": "2099-03-20"}


def allowed(table, status):
    return {r: (status if v is None else v) for r, v in table.items()}


# (route as written in routes.conf, method) -> (concrete path, body, expected
# status per role). A body of {} passes the gate and is then refused by
# the handler (400), which proves the gate let the caller through without
# changing anything.
MATRIX = {
    ("/", "GET"): ("/", None, PUBLIC_OK),
    ("/", "HEAD"): ("/", None, PUBLIC_OK),
    ("^/assets/[A-Za-z0-9_./-]+$", "GET"):
        ("/assets/js/app.js", None, PUBLIC_OK),
    ("^/assets/[A-Za-z0-9_./-]+$", "HEAD"):
        ("/assets/js/app.js", None, PUBLIC_OK),
    ("/api/health", "GET"): ("/api/health", None, PUBLIC_OK),
    ("/api/health", "HEAD"): ("/api/health", None, PUBLIC_OK),
    ("/api/register", "POST"): ("/api/register", {}, PUBLIC_400),
    ("/api/login", "POST"): ("/api/login", {}, PUBLIC_400),
    ("/api/session", "GET"): ("/api/session", None, PUBLIC_OK),
    ("/api/me", "GET"): ("/api/me", None, allowed(USER, 200)),
    ("/api/program", "GET"): ("/api/program", None,
                              dict(allowed(USER, 200), applicant=404)),
    ("/api/program", "PATCH"): ("/api/program", {}, allowed(USER, 400)),
    # The installation's administrators only (none of these accounts is
    # one: tests/http/test_tenancy.py signs one in).
    ("/api/admin/programs", "GET"): ("/api/admin/programs", None,
                                     allowed(USER, 403)),
    ("/api/admin/programs", "POST"): ("/api/admin/programs", {},
                                      allowed(USER, 403)),
    ("/api/admin/people", "GET"): ("/api/admin/people", None,
                                   allowed(USER, 403)),
    ("^/api/admin/people/[0-9]{1,18}$", "PATCH"):
        ("/api/admin/people/3", {"disabled": True}, allowed(USER, 403)),
    ("/api/me/password", "PUT"):
        ("/api/me/password", {}, allowed(USER, 400)),
    ("/api/invitations/accept", "POST"):
        ("/api/invitations/accept", {}, PUBLIC_400),
    ("/api/setup", "POST"): ("/api/setup", {}, PUBLIC_400),
    ("/api/password/forgot", "POST"):
        ("/api/password/forgot", {}, PUBLIC_400),
    ("/api/password/reset", "POST"):
        ("/api/password/reset", {}, PUBLIC_400),
    ("/api/home", "GET"): ("/api/home", None, allowed(USER, 200)),
    ("/api/users", "GET"): ("/api/users", None, allowed(STAFF, 200)),
    ("/api/users", "POST"): ("/api/users", {}, allowed(STAFF, 400)),
    ("^/api/users/[0-9]{1,18}$", "PATCH"):
        ("/api/users/999999", {}, allowed(STAFF, 400)),
    ("^/api/users/[0-9]{1,18}/invite$", "POST"):
        ("/api/users/999999/invite", None, allowed(STAFF, 404)),
    ("/api/audit", "GET"): ("/api/audit", None, allowed(STAFF, 200)),
    ("/api/outbox", "GET"): ("/api/outbox", None, allowed(STAFF, 200)),
    # Cycles and applications: the demo's cycle 1 is at the interview
    # stage, cycle 2 is open to applicants; object-level rules answer 404
    # for what a role may not reach.
    ("/api/cycles", "GET"): ("/api/cycles", None, allowed(USER, 200)),
    ("/api/cycles", "POST"): ("/api/cycles", {},
                              dict(allowed(USER, 403), director=422)),
    ("^/api/cycles/[0-9]{1,18}$", "GET"):
        ("/api/cycles/1", None, allowed(USER, 200)),
    ("^/api/cycles/[0-9]{1,18}$", "PATCH"):
        ("/api/cycles/1", {}, dict(allowed(STAFF, 200), applicant=403,
                                   faculty=403)),
    ("^/api/cycles/[0-9]{1,18}/application$", "GET"):
        ("/api/cycles/2/application", None,
         dict(allowed(USER, 403), applicant=200)),
    ("^/api/cycles/[0-9]{1,18}/application$", "PUT"):
        ("/api/cycles/2/application", {},
         dict(allowed(USER, 403), applicant=400)),
    ("^/api/cycles/[0-9]{1,18}/application/copy$", "GET"):
        ("/api/cycles/2/application/copy", None,
         dict(allowed(USER, 403), applicant=200)),
    ("^/api/cycles/[0-9]{1,18}/application/copy$", "POST"):
        ("/api/cycles/2/application/copy", {}, allowed(USER, 400)),
    ("^/api/cycles/[0-9]{1,18}/application/submit$", "POST"):
        ("/api/cycles/2/application/submit", None,
         dict(allowed(USER, 403), applicant=422)),
    ("^/api/cycles/[0-9]{1,18}/applications$", "GET"):
        ("/api/cycles/1/applications", None,
         dict(allowed(USER, 200), applicant=403)),
    ("^/api/cycles/[0-9]{1,18}/applications/scores$", "GET"):
        ("/api/cycles/1/applications/scores", None, allowed(STAFF, 200)),
    ("^/api/cycles/[0-9]{1,18}/applications\\.csv$", "GET"):
        ("/api/cycles/1/applications.csv", None, allowed(STAFF, 200)),
    ("^/api/applications/[0-9]{1,18}$", "GET"):
        ("/api/applications/999999", None, allowed(USER, 404)),
    ("^/api/applications/[0-9]{1,18}/documents$", "GET"):
        ("/api/applications/999999/documents", None, allowed(USER, 404)),
    ("^/api/applications/[0-9]{1,18}/documents$", "POST"):
        ("/api/applications/999999/documents", {}, allowed(USER, 404)),
    ("^/api/documents/[0-9]{1,18}$", "GET"):
        ("/api/documents/999999", None, allowed(USER, 404)),
    ("^/api/documents/[0-9]{1,18}$", "DELETE"):
        ("/api/documents/999999", None, allowed(USER, 404)),
    ("^/api/applications/[0-9]{1,18}/letters$", "GET"):
        ("/api/applications/999999/letters", None, allowed(USER, 404)),
    ("^/api/applications/[0-9]{1,18}/letters$", "POST"):
        ("/api/applications/999999/letters", {},
         dict(allowed(USER, 404), applicant=400)),
    ("^/api/letters/[0-9]{1,18}/(remind|cancel)$", "POST"):
        ("/api/letters/999999/cancel", None, allowed(USER, 404)),
    ("^/api/letters/[0-9]{1,18}/file$", "GET"):
        ("/api/letters/999999/file", None, allowed(USER, 404)),
    ("/api/letters/writer", "GET"):
        ("/api/letters/writer", None, dict.fromkeys(ROLES, 400)),
    ("/api/letters/writer", "POST"):
        ("/api/letters/writer", None, dict.fromkeys(ROLES, 400)),
    ("^/api/applications/[0-9]{1,18}/withdraw$", "POST"):
        ("/api/applications/999999/withdraw", None, allowed(USER, 404)),
    ("^/api/applications/[0-9]{1,18}/reopen$", "POST"):
        ("/api/applications/999999/reopen", None, allowed(STAFF, 404)),
    # Review: the reviewer gate lets faculty and staff through; the
    # handlers refuse the rest (rubric changes: the director; scoring:
    # not the coordinator; a candidate not reachable: 404).
    ("^/api/cycles/[0-9]{1,18}/rubrics/(screening|interview)$", "GET"):
        ("/api/cycles/1/rubrics/screening", None, allowed(REVIEWER, 200)),
    ("^/api/cycles/[0-9]{1,18}/rubrics/(screening|interview)$", "PUT"):
        ("/api/cycles/1/rubrics/interview", {}, allowed(REVIEWER, 400)),
    ("^/api/cycles/[0-9]{1,18}/phases$", "GET"):
        ("/api/cycles/1/phases", None, allowed(REVIEWER, 200)),
    ("^/api/cycles/[0-9]{1,18}/phases/(screening|interview)$", "PATCH"):
        ("/api/cycles/1/phases/screening", {}, allowed(STAFF, 200)),
    ("^/api/cycles/[0-9]{1,18}/conflicts$", "GET"):
        ("/api/cycles/1/conflicts", None, allowed(REVIEWER, 200)),
    ("^/api/applications/[0-9]{1,18}/conflicts$", "POST"):
        ("/api/applications/999999/conflicts", {}, allowed(REVIEWER, 422)),
    ("^/api/conflicts/[0-9]{1,18}$", "DELETE"):
        ("/api/conflicts/999999", None, allowed(STAFF, 404)),
    ("^/api/conflict-requests/[0-9]{1,18}$", "POST"):
        ("/api/conflict-requests/999999", {}, allowed(STAFF, 400)),
    ("^/api/cycles/[0-9]{1,18}/assignments$", "GET"):
        ("/api/cycles/1/assignments", None, allowed(REVIEWER, 200)),
    ("^/api/cycles/[0-9]{1,18}/assignments$", "PUT"):
        ("/api/cycles/1/assignments", {},
         dict(allowed(REVIEWER, 400), faculty=403)),
    ("^/api/cycles/[0-9]{1,18}/assignments/auto$", "POST"):
        ("/api/cycles/1/assignments/auto", {}, allowed(STAFF, 400)),
    ("^/api/cycles/[0-9]{1,18}/reminders$", "POST"):
        ("/api/cycles/1/reminders", {}, allowed(STAFF, 400)),
    ("^/api/applications/[0-9]{1,18}/scores/(screening|interview)$",
     "GET"):
        ("/api/applications/999999/scores/screening", None,
         dict(allowed(REVIEWER, 404), coordinator=403)),
    ("^/api/applications/[0-9]{1,18}/scores/(screening|interview)$",
     "PUT"):
        ("/api/applications/999999/scores/interview", {},
         allowed(REVIEWER, 400)),
    ("^/api/applications/[0-9]{1,18}/scores/(screening|interview)/all$",
     "GET"):
        ("/api/applications/999999/scores/screening/all", None,
         allowed(REVIEWER, 404)),
    # Interviews: staff run the days and invitations; applicants book,
    # cancel and wait for their own invitation (applicant@demo.test has
    # none: 404); faculty read the schedule.
    ("^/api/cycles/[0-9]{1,18}/interview-days$", "GET"):
        ("/api/cycles/1/interview-days", None, allowed(USER, 200)),
    ("^/api/cycles/[0-9]{1,18}/interview-days$", "POST"):
        ("/api/cycles/1/interview-days", {},
         dict(allowed(USER, 403), coordinator=400, director=400)),
    ("^/api/interview-days/[0-9]{1,18}$", "DELETE"):
        ("/api/interview-days/999999", None, allowed(STAFF, 404)),
    ("^/api/cycles/[0-9]{1,18}/interview-invitations$", "GET"):
        ("/api/cycles/1/interview-invitations", None, allowed(STAFF, 200)),
    ("^/api/cycles/[0-9]{1,18}/interview-invitations$", "POST"):
        ("/api/cycles/1/interview-invitations", {}, allowed(STAFF, 400)),
    ("^/api/interview-slots/[0-9]{1,18}/book$", "POST"):
        ("/api/interview-slots/999999/book", None,
         dict(allowed(USER, 403), applicant=404)),
    ("^/api/cycles/[0-9]{1,18}/interview-booking/cancel$", "POST"):
        ("/api/cycles/1/interview-booking/cancel", None,
         dict(allowed(USER, 403), applicant=404)),
    ("^/api/cycles/[0-9]{1,18}/interview-waitlist$", "POST"):
        ("/api/cycles/1/interview-waitlist", None,
         dict(allowed(USER, 403), applicant=404)),
    ("^/api/cycles/[0-9]{1,18}/interview-waitlist$", "DELETE"):
        ("/api/cycles/1/interview-waitlist", None,
         dict(allowed(USER, 403), applicant=404)),
    ("^/api/applications/[0-9]{1,18}/interview\\.ics$", "GET"):
        ("/api/applications/999999/interview.ics", None,
         dict(allowed(USER, 403), applicant=404)),
    # Ranking and the rank list: staff; certification and reopening, the
    # director (the coordinator gets 403 from the handler).
    ("^/api/cycles/[0-9]{1,18}/ranking$", "GET"):
        ("/api/cycles/1/ranking", None, allowed(STAFF, 200)),
    ("^/api/cycles/[0-9]{1,18}/ranking/depth$", "GET"):
        ("/api/cycles/1/ranking/depth?trials=100", None, allowed(STAFF, 200)),
    ("^/api/cycles/[0-9]{1,18}/ranking/sensitivity$", "GET"):
        ("/api/cycles/1/ranking/sensitivity", None, allowed(STAFF, 200)),
    ("^/api/cycles/[0-9]{1,18}/ranklist$", "GET"):
        ("/api/cycles/1/ranklist", None, allowed(STAFF, 200)),
    ("^/api/cycles/[0-9]{1,18}/ranklist$", "PUT"):
        ("/api/cycles/1/ranklist", {}, allowed(STAFF, 400)),
    ("^/api/cycles/[0-9]{1,18}/ranklist/readiness$", "GET"):
        ("/api/cycles/1/ranklist/readiness", None, allowed(STAFF, 200)),
    ("^/api/cycles/[0-9]{1,18}/ranklist/certify$", "POST"):
        ("/api/cycles/999999/ranklist/certify", None,
         dict(allowed(STAFF, 404), coordinator=403)),
    ("^/api/cycles/[0-9]{1,18}/ranklist/reopen$", "POST"):
        ("/api/cycles/1/ranklist/reopen", {},
         dict(allowed(STAFF, 422), coordinator=403)),
    ("^/api/cycles/[0-9]{1,18}/ranklist/versions$", "GET"):
        ("/api/cycles/1/ranklist/versions", None, allowed(STAFF, 200)),
    ("^/api/cycles/[0-9]{1,18}/ranklist/diff$", "GET"):
        ("/api/cycles/1/ranklist/diff", None, allowed(STAFF, 400)),
    ("^/api/cycles/[0-9]{1,18}/ranklist\\.csv$", "GET"):
        ("/api/cycles/1/ranklist.csv?id=aamc", None, allowed(STAFF, 200)),
    ("^/api/cycles/[0-9]{1,18}/export\\.json$", "GET"):
        ("/api/cycles/1/export.json", None, allowed(STAFF, 200)),
    # The rank meeting: staff; the director runs it (the coordinator gets
    # 403 from the handler). The POSTs go to a missing cycle or carry a
    # body the handler refuses, so nothing starts.
    ("^/api/cycles/[0-9]{1,18}/meeting$", "GET"):
        ("/api/cycles/1/meeting", None, allowed(STAFF, 200)),
    ("^/api/cycles/[0-9]{1,18}/meeting$", "POST"):
        ("/api/cycles/999999/meeting", None,
         dict(allowed(STAFF, 404), coordinator=403)),
    ("^/api/cycles/[0-9]{1,18}/meeting/end$", "POST"):
        ("/api/cycles/1/meeting/end", None,
         dict(allowed(STAFF, 409), coordinator=403)),
    ("^/api/cycles/[0-9]{1,18}/meeting/items/[0-9]{1,18}$", "POST"):
        ("/api/cycles/1/meeting/items/1", {}, allowed(STAFF, 400)),
    ("^/api/cycles/[0-9]{1,18}/meetings$", "GET"):
        ("/api/cycles/1/meetings", None, allowed(STAFF, 200)),
    ("/api/selftest/offload", "POST"):
        ("/api/selftest/offload", None, PUBLIC_OK),
    ("/api/selftest/syscall", "POST"):
        ("/api/selftest/syscall", {}, PUBLIC_400),
    ("^/.*$", "ANY"): ("/api/no-such-thing", None,
                       dict.fromkeys(ROLES, 404)),
    # Last: it ends the sessions the rows above used.
    ("/api/logout", "POST"): ("/api/logout", None, allowed(USER, 204)),
}


def route_table():
    """[(path, [methods])] in the order of routes.conf."""
    routes, methods = [], {}
    with open(os.path.join(ROOT, "conf", "routes.conf")) as f:
        for line in f:
            m = re.match(r"\s*route\s+(\S+)\s+\S+", line)
            if m:
                routes.append(m.group(1))
            m = re.match(r"\s*restrict\s+(\S+)\s+(.+)$", line)
            if m:
                methods[m.group(1)] = m.group(2).upper().split()
    return [(r, methods.get(r, ["ANY"])) for r in routes]


def test_every_route_has_a_row():
    declared = {(r, m) for r, ms in route_table() for m in ms}
    assert declared == set(MATRIX), (
        "routes without a row: %s; rows without a route: %s" %
        (declared - set(MATRIX), set(MATRIX) - declared))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check
    from server import Server
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    yield srv
    _stop_and_check(srv)


def test_matrix(demo):
    clients = {"anonymous": Client(demo.url)}
    for role, email in ACCOUNTS.items():
        c = Client(demo.url)
        status, _ = c.login(email)
        assert status == 200, role
        clients[role] = c
    status, _, _ = clients["director"].call("POST", "/api/cycles", OPEN_CYCLE)
    assert status == 201
    failures = []
    for (route, method), (path, body, expected) in MATRIX.items():
        for role in ROLES:
            m = "GET" if method == "ANY" else method
            status, _, _ = clients[role].call(m, path, body)
            if status != expected[role]:
                failures.append("%s %s as %s: %d, expected %d" %
                                (m, path, role, status, expected[role]))
    assert not failures, "\n".join(failures)


def test_methods_outside_the_table_are_refused(demo):
    c = Client(demo.url)
    for route, methods in route_table():
        if methods == ["ANY"]:
            continue
        path = MATRIX[(route, methods[0])][0]
        other = next(m for m in ("DELETE", "PATCH", "PUT", "POST", "GET")
                     if m not in methods)
        status, _, _ = c.call(other, path, {} if other != "GET" else None)
        assert status == 405, (other, path, status)
