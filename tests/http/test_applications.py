"""Cycles and applications over HTTP: who creates and changes cycles, the
applicant's draft with its fields validated, completeness and submission
(the 422 "incomplete" reply), edits refused after submission or the
deadline on the server's clock, reopen, withdraw, the staff and faculty
lists, and that nobody reaches an application that is not theirs to see.
The rules themselves (every value, state steps, deadlines in the cycle's
time zone, the list's filters and pages) are tested in tests/ops."""
import pytest

import pdfs
from server import Client, Server

CYCLE = {"year": 2027, "name": "Musculoskeletal oncology 2027",
         "applications_open": "2020-01-01",
         "applications_close": "2099-01-15T17:00",
         "interviews_start": "2099-02-01", "interviews_end": "2099-03-01",
         "ranklist_due": "2099-03-20T23:59"}

COMPLETE = {
    "first_name": "Lena", "last_name": "Fischer",
    "email": "lena.fischer@example.org", "phone": "+1 (617) 555-0100",
    "mailing_address": "1 Main Street\nBoston, MA 02114",
    "medical_school": "Charité Berlin", "medical_school_year": 2018,
    "residency_program": "MGH Orthopaedic Surgery", "residency_year": 2025,
    "usmle_step1": "pass", "usmle_step2_ck": 251,
    "publications_count": 7, "research_summary": "Sarcoma outcomes.",
    "sfmatch_id": "1234567", "nrmp_id": "N1234567", "aamc_id": "12345678",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    yield srv
    _stop_and_check(srv)


def signed_in(srv, email):
    c = Client(srv.url)
    assert c.login(email)[0] == 200
    return c


@pytest.fixture(scope="module")
def cycle(demo):
    d = signed_in(demo, "director@demo.test")
    status, _, body = d.call("POST", "/api/cycles", CYCLE)
    assert status == 201, body
    cid = body["cycle"]["id"]
    status, _, body = d.call("PATCH", "/api/cycles/%d" % cid,
                             {"state": "open"})
    assert status == 200 and body["cycle"]["accepting_applications"]
    return cid


def attach_documents(client, app_id):
    for kind in ("cv", "personal_statement"):
        status, _, body = client.upload(
            "/api/applications/%d/documents" % app_id, {"kind": kind},
            data=pdfs.valid())
        assert status == 201, body


NEXT = iter(range(1, 81))


def register(srv, label):
    """The next demo applicant: registering dozens from one address would
    be throttled (test_throttle.py covers that)."""
    c = Client(srv.url)
    assert c.login("applicant%02d@demo.test" % next(NEXT))[0] == 200
    return c


# Cycles ---------------------------------------------------------------

def test_only_the_director_creates_and_fully_edits_cycles(demo, cycle):
    coord = signed_in(demo, "coordinator@demo.test")
    assert coord.call("POST", "/api/cycles", CYCLE)[0] == 403
    status, _, body = coord.call("PATCH", "/api/cycles/%d" % cycle,
                                 {"interviews_end": "2099-03-05"})
    assert status == 200
    assert body["cycle"]["interviews_end"] == "2099-03-05T00:00"
    for change in ({"positions": 3}, {"name": "X"}, {"state": "review"},
                   {"timezone": "America/Chicago"}):
        status, _, body = coord.call("PATCH", "/api/cycles/%d" % cycle,
                                     change)
        assert status == 403, change
        assert body["error"]["field"] == list(change)[0]


def test_cycle_values_are_validated(demo):
    """The refusal names its field (every rule: tests/ops/test_cycles.c)."""
    d = signed_in(demo, "director@demo.test")
    for body, field in ((dict(CYCLE, year=1999), "year"),
                        (dict(CYCLE, interviews_start="2098-01-01"),
                         "interviews_start")):
        status, _, reply = d.call("POST", "/api/cycles", body)
        assert status == 422, (body, reply)
        assert reply["error"]["field"] == field


def test_applicants_do_not_see_cycles_in_setup(demo, cycle):
    d = signed_in(demo, "director@demo.test")
    hidden = d.call("POST", "/api/cycles", dict(CYCLE, year=2032))[2][
        "cycle"]["id"]
    a = signed_in(demo, "applicant@demo.test")
    ids = [c["id"] for c in a.call("GET", "/api/cycles")[2]["cycles"]]
    assert cycle in ids and hidden not in ids
    assert a.call("GET", "/api/cycles/%d" % hidden)[0] == 404
    assert a.call("GET", "/api/cycles/%d/application" % hidden)[0] == 404


# The application --------------------------------------------------------

def test_draft_autosaves_field_by_field_and_validates_each(demo, cycle):
    a = register(demo, "fields@example.org")
    status, _, body = a.call("GET", "/api/cycles/%d/application" % cycle)
    assert status == 200
    app = body["application"]
    assert app["status"] == "draft" and app["editable"] is True
    assert {f["key"] for f in app["schema"]} >= set(COMPLETE)
    bad = {
        "first_name": 5, "last_name": "x" * 101, "email": "not-mail",
        "phone": "12", "mailing_address": 5, "medical_school_year": 1900,
        "residency_year": "2025.5", "usmle_step1": "excellent",
        "usmle_step2_ck": 301, "publications_count": -1,
        "research_summary": "\u0000", "sfmatch_id": "12ab",
        "nrmp_id": "1234567", "aamc_id": "1234567", "favourite": "x",
    }
    for key, value in bad.items():
        status, _, reply = a.call("PUT",
                                  "/api/cycles/%d/application" % cycle,
                                  {"fields": {key: value}})
        assert status in (400, 422), (key, reply)
        if status == 422:
            assert reply["error"]["field"] == key
    # Nothing of the refused values was stored.
    assert a.call("GET", "/api/cycles/%d/application" % cycle)[2][
        "application"]["fields"] == {}
    for key, value in COMPLETE.items():
        status, _, reply = a.call("PUT",
                                  "/api/cycles/%d/application" % cycle,
                                  {"fields": {key: value}})
        assert status == 200, (key, reply)
    fields = reply["application"]["fields"]
    assert fields == COMPLETE
    # The fields are complete; the documents are still missing.
    assert [m["key"] for m in reply["application"]["missing"]] == [
        "cv", "personal_statement"]
    # null clears an optional field.
    status, _, reply = a.call("PUT", "/api/cycles/%d/application" % cycle,
                              {"fields": {"aamc_id": None}})
    assert "aamc_id" not in reply["application"]["fields"]


def test_values_whose_meaning_is_clear_are_stored_normalised(demo, cycle):
    a = register(demo, "forgiving@example.org")
    a.call("GET", "/api/cycles/%d/application" % cycle)
    sent = {"usmle_step1": " Pass ", "nrmp_id": "n 123-4567",
            "aamc_id": "1234 5678", "first_name": "  Amara ",
            "publications_count": "12", "email": "Amara@Example.ORG"}
    stored = {"usmle_step1": "pass", "nrmp_id": "N1234567",
              "aamc_id": "12345678", "first_name": "Amara",
              "publications_count": 12, "email": "Amara@example.org"}
    for key, value in sent.items():
        status, _, reply = a.call("PUT",
                                  "/api/cycles/%d/application" % cycle,
                                  {"fields": {key: value}})
        assert status == 200, (key, reply)
        assert reply["application"]["fields"][key] == stored[key], key
    # The stored form is what a reload reads.
    assert a.call("GET", "/api/cycles/%d/application" % cycle)[2][
        "application"]["fields"] == stored
    # Spaces only clear a field, as null does.
    status, _, reply = a.call("PUT", "/api/cycles/%d/application" % cycle,
                              {"fields": {"first_name": "   "}})
    assert status == 200 and "first_name" not in reply["application"][
        "fields"]


def test_submission_lists_what_is_missing_then_locks(demo, cycle):
    a = register(demo, "submit@example.org")
    a.call("GET", "/api/cycles/%d/application" % cycle)
    a.call("PUT", "/api/cycles/%d/application" % cycle,
           {"fields": {"first_name": "Sub"}})
    status, _, reply = a.call("POST",
                              "/api/cycles/%d/application/submit" % cycle)
    assert status == 422
    assert reply["error"]["code"] == "incomplete"
    keys = [m["key"] for m in reply["missing"]]
    assert "last_name" in keys and "first_name" not in keys
    assert all(m["label"] for m in reply["missing"])
    a.call("PUT", "/api/cycles/%d/application" % cycle,
           {"fields": COMPLETE})
    status, _, reply = a.call("POST",
                              "/api/cycles/%d/application/submit" % cycle)
    assert status == 422
    assert [m["key"] for m in reply["missing"]] == ["cv",
                                                    "personal_statement"]
    app_id = a.call("GET", "/api/cycles/%d/application" % cycle)[2][
        "application"]["id"]
    attach_documents(a, app_id)
    status, _, reply = a.call("POST",
                              "/api/cycles/%d/application/submit" % cycle)
    assert status == 200
    app = reply["application"]
    assert app["status"] == "submitted" and app["submitted_at"]
    assert app["editable"] is False
    status, _, reply = a.call("PUT", "/api/cycles/%d/application" % cycle,
                              {"fields": {"first_name": "Changed"}})
    assert status == 403
    assert a.call("POST", "/api/cycles/%d/application/submit" %
                  cycle)[0] == 403


def test_coordinator_reopens_and_applicant_withdraws(demo, cycle):
    a = register(demo, "reopen@example.org")
    a.call("GET", "/api/cycles/%d/application" % cycle)
    a.call("PUT", "/api/cycles/%d/application" % cycle,
           {"fields": COMPLETE})
    attach_documents(a, a.call("GET", "/api/cycles/%d/application" %
                               cycle)[2]["application"]["id"])
    app = a.call("POST", "/api/cycles/%d/application/submit" % cycle)[2][
        "application"]
    coord = signed_in(demo, "coordinator@demo.test")
    assert coord.call("POST", "/api/applications/%d/reopen" %
                      app["id"])[0] == 200
    assert coord.call("POST", "/api/applications/%d/reopen" %
                      app["id"])[0] == 409
    assert a.call("PUT", "/api/cycles/%d/application" % cycle,
                  {"fields": {"publications_count": 8}})[0] == 200
    other = register(demo, "someone.else@example.org")
    assert other.call("POST", "/api/applications/%d/withdraw" %
                      app["id"])[0] == 404
    assert a.call("POST", "/api/applications/%d/withdraw" %
                  app["id"])[0] == 200
    assert a.call("POST", "/api/applications/%d/withdraw" %
                  app["id"])[0] == 409
    con = demo.db()
    actions = [r for (r,) in con.execute(
        "SELECT action FROM audit_log WHERE object = ?",
        ("application:%d" % app["id"],))]
    con.close()
    assert actions[-3:] == ["application.reopen", "application.save",
                            "application.withdraw"]


def test_edits_are_refused_after_the_deadline(demo):
    d = signed_in(demo, "director@demo.test")
    cid = d.call("POST", "/api/cycles", dict(CYCLE, year=2033))[2][
        "cycle"]["id"]
    d.call("PATCH", "/api/cycles/%d" % cid, {"state": "open"})
    a = register(demo, "late.applicant@example.org")
    assert a.call("GET", "/api/cycles/%d/application" % cid)[0] == 200
    # The deadline passes (moved into the past, as the coordinator may).
    assert d.call("PATCH", "/api/cycles/%d" % cid, {
        "applications_open": "2020-01-01",
        "applications_close": "2021-01-01"})[0] == 200
    status, _, reply = a.call("PUT", "/api/cycles/%d/application" % cid,
                              {"fields": {"first_name": "Late"}})
    assert status == 403 and "deadline" in reply["error"]["message"]
    assert a.call("GET", "/api/cycles/%d/application" % cid)[2][
        "application"]["editable"] is False
    # A newcomer after the deadline gets no application at all.
    b = register(demo, "later.still@example.org")
    assert b.call("GET", "/api/cycles/%d/application" % cid)[0] == 404


# Who sees what ----------------------------------------------------------

def test_lists_and_views_follow_the_roles(demo, cycle):
    a = register(demo, "visible@example.org")
    a.call("GET", "/api/cycles/%d/application" % cycle)
    a.call("PUT", "/api/cycles/%d/application" % cycle,
           {"fields": dict(COMPLETE, last_name="Visible")})
    draft_id = a.call("GET", "/api/cycles/%d/application" % cycle)[2][
        "application"]["id"]
    coord = signed_in(demo, "coordinator@demo.test")
    faculty = signed_in(demo, "faculty1@demo.test")
    rows = coord.call("GET", "/api/cycles/%d/applications" % cycle)[2][
        "applications"]
    assert draft_id in [r["id"] for r in rows]
    # Faculty see submitted applications only.
    rows = faculty.call("GET", "/api/cycles/%d/applications" % cycle)[2][
        "applications"]
    assert draft_id not in [r["id"] for r in rows]
    assert all(r["status"] == "submitted" for r in rows)
    assert faculty.call("GET", "/api/applications/%d" % draft_id)[0] == 404
    # Search and filters.
    found = coord.call("GET", "/api/cycles/%d/applications?q=visIBLE" %
                       cycle)[2]["applications"]
    assert [r["id"] for r in found] == [draft_id]
    drafts = coord.call("GET", "/api/cycles/%d/applications?status=draft" %
                        cycle)[2]["applications"]
    assert all(r["status"] == "draft" for r in drafts)
    # Another applicant cannot read it; its owner and staff can.
    other = register(demo, "nosy@example.org")
    assert other.call("GET", "/api/applications/%d" % draft_id)[0] == 404
    assert a.call("GET", "/api/applications/%d" % draft_id)[0] == 200
    assert coord.call("GET", "/api/applications/%d" % draft_id)[0] == 200
    # Submitted and conflicted: hidden from that faculty member only.
    attach_documents(a, draft_id)
    assert a.call("POST", "/api/cycles/%d/application/submit" %
                  cycle)[0] == 200
    # Faculty see the submitted applications assigned to them, no others.
    f2 = signed_in(demo, "faculty2@demo.test")
    assert faculty.call("GET", "/api/applications/%d" % draft_id)[0] == 404
    assert draft_id not in [r["id"] for r in faculty.call(
        "GET", "/api/cycles/%d/applications" % cycle)[2]["applications"]]
    status, _, body = coord.call(
        "PUT", "/api/cycles/%d/assignments" % cycle,
        [{"faculty_id": faculty.user["id"], "application_id": draft_id,
          "phase": "screening"},
         {"faculty_id": f2.user["id"], "application_id": draft_id,
          "phase": "screening"}])
    assert status == 200 and body["added"] == 2, body
    assert faculty.call("GET", "/api/applications/%d" % draft_id)[0] == 200
    assert draft_id in [r["id"] for r in faculty.call(
        "GET", "/api/cycles/%d/applications" % cycle)[2]["applications"]]
    f3 = signed_in(demo, "faculty3@demo.test")
    assert f3.call("GET", "/api/applications/%d" % draft_id)[0] == 404
    fid = faculty.user["id"]
    con = demo.db()
    con.execute("INSERT INTO conflicts (application_id, faculty_id, reason,"
                " recorded_by) VALUES (?, ?, 'Home resident', 1)",
                (draft_id, fid))
    con.commit()
    con.close()
    assert faculty.call("GET", "/api/applications/%d" % draft_id)[0] == 404
    rows = faculty.call("GET", "/api/cycles/%d/applications" % cycle)[2][
        "applications"]
    assert draft_id not in [r["id"] for r in rows]
    assert f2.call("GET", "/api/applications/%d" % draft_id)[0] == 200
