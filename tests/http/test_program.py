"""The program the installation serves (migrations/017): its name on
every page (GET /api/session, signed in or not), and its renaming by the
director (PATCH /api/program), with the refusals and the audit record."""
import pytest

from server import Client, Server


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    srv.director = Client(srv.url)
    assert srv.director.login("director@demo.test")[0] == 200
    yield srv
    _stop_and_check(srv)


def client(srv, email):
    c = Client(srv.url)
    assert c.login(email)[0] == 200
    return c


NAME = "Musculoskeletal Oncology"  # the demo's program 1


def test_every_page_learns_the_programs_name(demo):
    anonymous = Client(demo.url)
    status, _, body = anonymous.call("GET", "/api/session")
    # The demo installation hosts three programs: the sign-in page is
    # about none of them (an installation of one names it).
    assert status == 200 and body["user"] is None
    assert body["program"] is None
    status, _, body = demo.director.call("GET", "/api/session")
    assert body["user"]["role"] == "director"
    assert body["program"]["id"] == 1
    assert body["program"]["name"] == NAME
    assert body["programs"] == [{"id": 1, "name": NAME, "role": "director"}]
    # An applicant applies to any program's cycle: none is theirs.
    applicant = client(demo, "applicant01@demo.test")
    status, _, body = applicant.call("GET", "/api/program")
    assert status == 404 and body["error"]["message"]


def test_only_the_director_renames_it(demo):
    for email in ("coordinator@demo.test", "faculty1@demo.test",
                  "applicant01@demo.test"):
        c = client(demo, email)
        status, _, body = c.call("PATCH", "/api/program",
                                 {"name": "Someone else's"})
        assert status == 403, (email, body)
    assert Client(demo.url).call("PATCH", "/api/program",
                                 {"name": "X"})[0] == 401
    # No CSRF token: refused, nothing changed.
    status, _, body = demo.director.call("PATCH", "/api/program",
                                         {"name": "No token"}, csrf=False)
    assert status == 403 and body["error"]["code"] == "csrf"
    assert demo.director.call("GET", "/api/program")[2]["name"] == \
        NAME


@pytest.mark.parametrize("body, status", [
    ({"name": ""}, 422),
    ({"name": "   "}, 422),
    ({"name": "x" * 201}, 422),
    ({"name": "Two\nlines"}, 422),
    ({"name": 5}, 400),
    ({}, 400),
    ({"name": "A", "extra": 1}, 400),
])
def test_bad_names_are_refused_and_change_nothing(demo, body, status):
    got, _, reply = demo.director.call("PATCH", "/api/program", body)
    assert got == status, reply
    assert reply["error"]
    if status == 422:
        assert reply["error"]["field"] == "name"
    assert demo.director.call("GET", "/api/program")[2]["name"] == \
        NAME


def test_malformed_and_oversized_bodies(demo):
    status, _, _ = demo.director.call(
        "PATCH", "/api/program", raw=b"{not json",
        headers={"Content-Type": "application/json"})
    assert status == 400
    status, _, _ = demo.director.call(
        "PATCH", "/api/program", raw=b'{"name":"' + b"x" * 2_000_000 + b'"}',
        headers={"Content-Type": "application/json"})
    assert status in (400, 413)
    assert demo.director.call("GET", "/api/program")[2]["name"] == \
        NAME


def test_the_director_renames_it_and_the_log_says_so(demo):
    name = "Orthopaedic Oncology Fellowship – Hôpital Nord"
    status, _, body = demo.director.call("PATCH", "/api/program",
                                         {"name": name})
    assert status == 200, body
    assert body["name"] == name
    assert demo.director.call("GET", "/api/session")[2]["program"][
        "name"] == name
    status, _, log = demo.director.call("GET", "/api/audit")
    entry = [a for a in log["entries"] if a["action"] == "program.rename"]
    assert entry, log["entries"][:3]
    assert NAME in entry[0]["text"]
    assert name in entry[0]["text"]
    # The same name again changes nothing and writes nothing.
    before = len([a for a in demo.director.call("GET", "/api/audit")[2][
        "entries"] if a["action"] == "program.rename"])
    assert demo.director.call("PATCH", "/api/program",
                              {"name": name})[0] == 200
    after = len([a for a in demo.director.call("GET", "/api/audit")[2][
        "entries"] if a["action"] == "program.rename"])
    assert after == before
