"""Programs as tenants (migration 018): no route of one program reveals
or changes anything of another, by any role.

The demo installation hosts three programs. Musculoskeletal Oncology
(program A, id 1) and Sports Medicine (program B) share two faculty
members (faculty1, faculty2) but no other staff; Hand Surgery shares
Oncology's coordinator. The object-level test calls every route of
conf/routes.conf whose path holds an id, with every method it accepts, as
each role of A that has no role in B (its director, its coordinator, a
faculty member, an applicant), against B's objects: each answer is a
refusal, and B's data reads the same afterwards."""
import re

import pytest

from server import ROOT, Client, Server

A_ROLES = {
    "director": "director@demo.test",
    "coordinator": "coordinator@demo.test",
    "faculty": "faculty6@demo.test",
    "applicant": "applicant01@demo.test",
}


def client(srv, email):
    c = Client(srv.url)
    status, body = c.login(email)
    assert status == 200, (email, body)
    return c


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo with program B's objects: a submitted application of an
    applicant (who applied to A as well), its letter request, a recorded
    conflict, an interview day and its slot."""
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    b = client(srv, "sports.director@demo.test")
    session = b.call("GET", "/api/session")[2]
    assert session["program"]["name"] == "Sports Medicine"
    srv.program_b = session["program"]["id"]
    cycles = b.call("GET", "/api/cycles")[2]["cycles"]
    assert len(cycles) == 1 and cycles[0]["program_id"] == srv.program_b
    cycle = cycles[0]["id"]
    ids = {"cycle": cycle}
    # An applicant applies to B (their account sees every program's
    # open cycles, each named with its program).
    lena = client(srv, "applicant@demo.test")
    seen = lena.call("GET", "/api/cycles")[2]["cycles"]
    assert {c["program"] for c in seen} >= {"Sports Medicine",
                                             "Musculoskeletal Oncology"}
    status, _, body = lena.call("GET", "/api/cycles/%d/application" % cycle)
    assert status == 200, body
    app = body["application"]["id"]
    ids["application"] = app
    status, _, body = lena.call(
        "POST", "/api/applications/%d/letters" % app,
        {"writer_name": "Dr. Tenant Writer",
         "writer_email": "tenant.writer@example.org", "waived": True})
    assert status == 201, body
    ids["letter"] = body["letter"]["id"]
    # B's director records a conflict for a faculty member of B.
    faculty2 = [u for u in b.call("GET", "/api/users?limit=500")[2]["users"]
                if u["email"] == "faculty2@demo.test"][0]
    status, _, body = b.call(
        "POST", "/api/applications/%d/conflicts" % app,
        {"faculty_id": faculty2["id"], "reason": "Same residency."})
    assert status in (200, 201), body
    ids["conflict"] = body["conflict"]["id"]
    ids["user"] = [u for u in b.call("GET", "/api/users?limit=500")[2][
        "users"] if u["email"] == "sports.director@demo.test"][0]["id"]
    srv.b, srv.ids, srv.lena = b, ids, lena
    # The letter request's mail is sent before anything is compared (the
    # outbox's state would move under the comparison otherwise).
    for _ in range(200):
        sent = [m for m in srv.mails(wait_for=1, timeout=0.1)
                if "To: <tenant.writer@example.org>" in m]
        if sent:
            break
    assert sent, "the letter request was not sent"
    srv.letter_mail = sent[0]
    for _ in range(200):
        box = b.call("GET", "/api/outbox")[2]["messages"]
        if all(m["status"] != "pending" for m in box):
            break
        srv.mails(wait_for=len(sent) + 1, timeout=0.1)
    assert all(m["status"] == "sent" for m in box), box
    yield srv
    _stop_and_check(srv)


def id_routes():
    """(pattern, methods) of every route whose path holds an id."""
    text = open(ROOT + "/conf/routes.conf").read()
    methods = dict(re.findall(r"^restrict\s+(\S+)\s+(.+)$", text, re.M))
    out = []
    for path in re.findall(r"^route\s+(\S+)\s+\S+", text, re.M):
        if "[0-9]" in path:
            out.append((path, methods[path].split()))
    return out


KIND = {"cycles": "cycle", "applications": "application",
        "letters": "letter", "conflicts": "conflict",
        "documents": "document", "conflict-requests": "conflict_request",
        "interview-days": "interview_day", "interview-slots": "slot",
        "users": "user", "admin": "user"}


def concrete(pattern, ids):
    """The pattern's path for B's object of its kind (a made-up id past
    every row for kinds B has none of here: still B's program's
    question, answered as for any other program's object)."""
    kind = KIND[pattern.split("/")[2]]
    first = ids.get(kind, 999999)
    path = pattern.strip("^$").replace("\\.", ".")
    path = path.replace("[0-9]{1,18}", str(first), 1)
    path = path.replace("[0-9]{1,18}", "1")
    path = re.sub(r"\(([a-z-]+)\|[^)]*\)", r"\1", path)
    return path


def snapshot(srv):
    """What B's director reads of B: its cycle, application, letters,
    conflicts, audit log and outbox."""
    b, ids = srv.b, srv.ids
    got = {}
    for path in ("/api/cycles", "/api/cycles/%d" % ids["cycle"],
                 "/api/applications/%d" % ids["application"],
                 "/api/applications/%d/letters" % ids["application"],
                 "/api/cycles/%d/conflicts" % ids["cycle"],
                 "/api/cycles/%d/applications" % ids["cycle"],
                 "/api/audit", "/api/outbox", "/api/users?limit=500"):
        status, _, body = b.call("GET", path)
        got[path] = (status, body)
    return got


def test_every_id_route_refuses_another_programs_object(demo):
    routes = id_routes()
    assert len(routes) >= 40
    before = snapshot(demo)
    bad = []
    for role, email in A_ROLES.items():
        c = client(demo, email)
        for pattern, methods in routes:
            path = concrete(pattern, demo.ids)
            made_up = KIND[pattern.split("/")[2]] not in demo.ids
            for method in methods:
                if method == "head":
                    continue
                # An applicant may read any program's open cycle, its
                # booking days (their own invitation), and start their
                # own application to it: applying is open to all.
                if role == "applicant" and method == "get" and re.fullmatch(
                        r"/api/cycles/\d+(/application(/copy)?|"
                        r"/interview-days)?",
                        path):
                    continue
                body = None if method == "get" else {}
                # A person's account (not a program's object): a body
                # that would act on it, refused as not found.
                if pattern.startswith("^/api/users/") and method == "patch":
                    body = {"disabled": True}
                status, _, reply = c.call(method.upper(), path, body)
                # Staff and faculty of A are refused at the door, as if
                # the object did not exist; an applicant of A reaches only
                # their own (404), or is refused the route (403), or
                # their empty body is (400).
                allowed = {403, 404} if role != "applicant" else \
                    {400, 403, 404, 405, 422}
                # No object of B of that kind here: a made-up id, which
                # passes the door as any unknown id does, and whose empty
                # body is refused before it is looked up.
                if made_up:
                    allowed = allowed | {400}
                if status not in allowed:
                    bad.append("%s %s as %s: %d %s" % (
                        method, path, role, status, reply))
                elif role != "applicant" and status == 404:
                    assert reply["error"]["message"].startswith(
                        "There is no such"), reply
    for b in bad:
        print("REFUSAL MISSING:", b[:200])
    assert not bad, len(bad)
    after = snapshot(demo)
    for path in before:
        assert after[path] == before[path], path


def test_lists_hold_only_the_programs_own(demo):
    a = client(demo, "director@demo.test")
    cycles = a.call("GET", "/api/cycles")[2]["cycles"]
    assert cycles and all(c["program_id"] == 1 for c in cycles)
    people = {u["email"] for u in
              a.call("GET", "/api/users?limit=500")[2]["users"]}
    assert "sports.director@demo.test" not in people
    assert "faculty1@demo.test" in people  # a member of both
    # B's applicant, who applied to A too, is A's applicant as well;
    # an applicant of B only is not A's.
    only_b = [u for u in
              demo.b.call("GET", "/api/users?limit=500")[2]["users"]
              if u["email"] == "applicant@demo.test"]
    assert only_b and "applicant@demo.test" not in people
    log = a.call("GET", "/api/audit?limit=200")[2]["entries"]
    objects = {e.get("object") for e in log}
    assert "application:%d" % demo.ids["application"] not in objects
    assert "letter:%d" % demo.ids["letter"] not in objects
    outbox = a.call("GET", "/api/outbox?limit=200")[2]["messages"]
    assert all(m["to"] != "tenant.writer@example.org" for m in outbox)
    # B's director sees B's letter mail and B's records.
    mine = demo.b.call("GET", "/api/outbox?limit=200")[2]["messages"]
    assert any(m["to"] == "tenant.writer@example.org" for m in mine)
    # B's mail goes out under B's sender name (the demo gives each
    # program one).
    assert demo.letter_mail.startswith(
        'From: "Sports Medicine Fellowship" <'), demo.letter_mail[:80]
    # A's director cannot manage a person of B only.
    sports = [u for u in
              demo.b.call("GET", "/api/users?limit=500")[2]["users"]
              if u["email"] == "sports.director@demo.test"][0]
    status, _, _ = a.call("PATCH", "/api/users/%d" % sports["id"],
                          {"disabled": True})
    assert status == 404


def test_a_role_in_two_programs_follows_the_chosen_one(demo):
    f = client(demo, "faculty2@demo.test")
    s = f.call("GET", "/api/session")[2]
    names = {p["name"]: p for p in s["programs"]}
    assert set(names) == {"Musculoskeletal Oncology", "Sports Medicine",
                          "Hand Surgery"}
    assert s["program"]["id"] == 1
    mine = f.call("GET", "/api/cycles")[2]["cycles"]
    assert all(c["program_id"] == 1 for c in mine)
    other = f.call("GET", "/api/cycles",
                   headers={"X-Program": str(demo.program_b)})[2]["cycles"]
    assert [c["id"] for c in other] == [demo.ids["cycle"]]
    s = f.call("GET", "/api/session",
               headers={"X-Program": str(demo.program_b)})[2]
    assert s["program"]["name"] == "Sports Medicine"
    assert s["user"]["role"] == "faculty"
    # A program without a role there, or not an id: refused.
    director = client(demo, "director@demo.test")
    status, _, body = director.call(
        "GET", "/api/cycles", headers={"X-Program": str(demo.program_b)})
    assert status == 403 and body["error"]["message"]
    status, _, body = director.call("GET", "/api/cycles",
                                    headers={"X-Program": "two"})
    assert status == 400 and body["error"]["field"] == "X-Program"
    # The path's object decides, whatever the header says: faculty4 is
    # faculty in A and director of Hand Surgery.
    f4 = client(demo, "faculty4@demo.test")
    hand = [p for p in f4.call("GET", "/api/session")[2]["programs"]
            if p["name"] == "Hand Surgery"][0]
    assert hand["role"] == "director"
    status, _, _ = f4.call("GET", "/api/cycles/1/ranking",
                           headers={"X-Program": str(hand["id"])})
    assert status == 403  # faculty in the cycle's program


def test_the_administrator_makes_programs_and_sees_no_candidates(demo):
    admin = client(demo, "admin@demo.test")
    s = admin.call("GET", "/api/session")[2]
    assert s["user"]["admin"] is True and s["user"]["role"] is None
    listing = admin.call("GET", "/api/admin/programs")[2]["programs"]
    assert {p["name"] for p in listing} == {
        "Musculoskeletal Oncology", "Sports Medicine", "Hand Surgery"}
    for path in ("/api/cycles", "/api/home", "/api/audit",
                 "/api/cycles/1/ranking",
                 "/api/applications/%d" % demo.ids["application"]):
        status, _, body = admin.call("GET", path)
        assert status in (403, 404), (path, status, body)
    people = admin.call("GET", "/api/admin/people?limit=500")[2]["people"]
    row = [p for p in people if p["email"] == "faculty2@demo.test"][0]
    assert len(row["programs"]) == 3 and "applications" not in row
    # A new program and its director, a colleague the installation has.
    status, _, body = admin.call("POST", "/api/admin/programs", {
        "name": "Spine Surgery", "director_email": "faculty6@demo.test",
        "director_name": "Dr. Claire Dubois", "timezone": "America/Chicago",
        "positions": 1})
    assert status == 201, body
    assert body["directors"][0]["email"] == "faculty6@demo.test"
    f6 = client(demo, "faculty6@demo.test")
    roles = {p["name"]: p["role"] for p in
             f6.call("GET", "/api/session")[2]["programs"]}
    assert roles["Spine Surgery"] == "director"
    # A new address: an account, invited by mail (an invitation link in
    # the new program's outbox).
    status, _, body = admin.call("POST", "/api/admin/programs", {
        "name": "Trauma", "director_email": "trauma.chief@example.org",
        "director_name": "Dr. Trauma Chief"})
    assert status == 201, body
    people = admin.call("GET", "/api/admin/people?limit=500")[2]["people"]
    chief = [p for p in people if p["email"] == "trauma.chief@example.org"]
    assert chief and chief[0]["active"] is False
    assert chief[0]["programs"] == [
        {"id": body["id"], "name": "Trauma", "role": "director"}]
    [(to, program)] = demo.db().execute(
        "SELECT to_addr, program_id FROM outbox WHERE subject LIKE "
        "'%invit%' ORDER BY id DESC LIMIT 1").fetchall()
    assert to == "trauma.chief@example.org" and program == body["id"]
    # Refusals: a name taken, an applicant's address, bad input, no
    # token, not an administrator.
    cases = [
        ({"name": "Trauma", "director_email": "x@example.org",
          "director_name": "X"}, 409, "name"),
        ({"name": "Foot", "director_email": "applicant01@demo.test",
          "director_name": "X"}, 409, "director_email"),
        ({"name": "", "director_email": "x@example.org",
          "director_name": "X"}, 422, "name"),
        ({"name": "Foot", "director_email": "not an address",
          "director_name": "X"}, 422, "director_email"),
        ({"name": "Foot", "director_email": "x@example.org",
          "director_name": "X", "timezone": "Mars/Olympus"}, 422,
         "timezone"),
        ({"name": "Foot", "director_email": "x@example.org",
          "director_name": "X", "positions": 99}, 422, "positions"),
    ]
    for body, want, field in cases:
        status, _, reply = admin.call("POST", "/api/admin/programs", body)
        assert status == want, (body, reply)
        assert reply["error"]["field"] == field, reply
    status, _, _ = admin.call("POST", "/api/admin/programs", raw=b"{no",
                              headers={"Content-Type": "application/json"})
    assert status == 400
    status, _, body = admin.call("POST", "/api/admin/programs", {
        "name": "Foot", "director_email": "x@example.org",
        "director_name": "X"}, csrf=False)
    assert status == 403 and body["error"]["code"] == "csrf"
    director = client(demo, "director@demo.test")
    assert director.call("GET", "/api/admin/programs")[0] == 403
    names = {p["name"] for p in
             admin.call("GET", "/api/admin/programs")[2]["programs"]}
    assert "Foot" not in names and {"Spine Surgery", "Trauma"} <= names


def test_an_applicant_copies_from_their_other_application(demo):
    """One account, an application per program: the second offers to
    copy what the first holds (fields the draft lacks, its documents as
    they are stored), never someone else's, never into a submitted one."""
    import pdfs
    me = client(demo, "applicant02@demo.test")
    cycles = me.call("GET", "/api/cycles")[2]["cycles"]
    hand = [c for c in cycles if c["program"] == "Hand Surgery"][0]
    sports = [c for c in cycles if c["program"] == "Sports Medicine"][0]
    first = me.call("GET", "/api/cycles/%d/application" % hand["id"])[2][
        "application"]
    status, _, body = me.call(
        "PUT", "/api/cycles/%d/application" % hand["id"],
        {"fields": {"first_name": "Bea", "last_name": "Copy",
                    "medical_school": "Duke University"}})
    assert status == 200, body
    status, _, body = me.upload(
        "/api/applications/%d/documents" % first["id"], {"kind": "cv"},
        data=pdfs.valid())
    assert status == 201, body
    second = me.call("GET", "/api/cycles/%d/application" % sports["id"])[2][
        "application"]
    status, _, body = me.call(
        "PUT", "/api/cycles/%d/application" % sports["id"],
        {"fields": {"first_name": "Beatrice"}})
    assert status == 200, body
    path = "/api/cycles/%d/application/copy" % sports["id"]
    offered = me.call("GET", path)[2]["copy_from"]
    row = [o for o in offered if o["id"] == first["id"]][0]
    assert row["program"] == "Hand Surgery" and row["documents"] == 1
    assert row["fields"] == 3
    # Someone else's, its own, or not an id: refused, nothing copied.
    other = demo.b.call("GET", "/api/cycles/%d/applications" %
                        demo.ids["cycle"])[2]["applications"]
    theirs = demo.ids["application"]
    for bad, want in ((theirs, 404), (second["id"], 404), (999999, 404)):
        status, _, reply = me.call("POST", path, {"from_application": bad})
        assert status == want and "copy from" in \
            reply["error"]["message"], (bad, reply)
    assert me.call("POST", path, {"from_application": "x"})[0] == 400
    assert me.call("POST", path, {"from_application": first["id"]},
                   csrf=False)[0] == 403
    assert demo.lena.call("POST", path, {"from_application": first["id"]}
                          )[0] == 404
    status, _, body = me.call("POST", path, {"from_application": first["id"]})
    assert status == 200, body
    assert body["copied"] == {"fields": 2, "documents": 1}
    fields = body["application"]["fields"]
    assert fields["first_name"] == "Beatrice"  # its own value stays
    assert fields["last_name"] == "Copy"
    docs = me.call("GET", "/api/applications/%d/documents" %
                   second["id"])[2]["documents"]
    assert [d["kind"] for d in docs] == ["cv"]
    # Again: nothing is left to copy.
    body = me.call("POST", path, {"from_application": first["id"]})[2]
    assert body["copied"] == {"fields": 0, "documents": 0}
    assert other is not None


def test_an_account_other_programs_have_is_not_one_programs_to_change(demo):
    """A program manages its roles; an account's state, and whether it
    is an applicant's or staff's, belong to every program that has it."""
    a = client(demo, "director@demo.test")
    b = demo.b
    # B's own new faculty member, disabled by B: A can neither take them
    # in nor enable them.
    status, _, body = b.call("POST", "/api/users", {
        "email": "only.sports@example.org", "name": "Dr. Only Sports",
        "role": "faculty"})
    assert status == 201, body
    only_b = body["user"]["id"]
    assert b.call("PATCH", "/api/users/%d" % only_b,
                  {"disabled": True})[0] == 200
    status, _, body = a.call("POST", "/api/users", {
        "email": "only.sports@example.org", "name": "X", "role": "faculty"})
    assert status == 409 and body["error"]["field"] == "email", body
    assert a.call("PATCH", "/api/users/%d" % only_b,
                  {"disabled": False})[0] == 404
    assert any(u["id"] == only_b and u["disabled"] for u in
               b.call("GET", "/api/users?limit=500")[2]["users"])
    # An applicant to both programs: neither disables them nor makes
    # them staff alone.
    cycles = demo.lena.call("GET", "/api/cycles")[2]["cycles"]
    a_open = [c for c in cycles if c["program_id"] == 1 and
              c["state"] == "open"][0]
    assert demo.lena.call("GET", "/api/cycles/%d/application" %
                          a_open["id"])[0] == 200
    lena = [u for u in a.call("GET", "/api/users?limit=500")[2]["users"]
            if u["email"] == "applicant@demo.test"][0]
    for change in ({"disabled": True}, {"role": "faculty"}):
        status, _, body = a.call("PATCH", "/api/users/%d" % lena["id"],
                                 change)
        assert status == 409 and "another program" in \
            body["error"]["message"], (change, body)
    assert client(demo, "applicant@demo.test").call(
        "GET", "/api/applications/%d" % demo.ids["application"])[0] == 200


def test_a_person_shared_with_another_program_keeps_their_account_records(
        demo):
    """Taking B's director in as faculty of A shows A their sign-ins (the
    account is A's person's too) but never a password link mailed to
    them, which would open their role in B."""
    a = client(demo, "director@demo.test")
    status, _, body = a.call("POST", "/api/users", {
        "email": "sports.director@demo.test", "name": "Dr. Rafael Moreno",
        "role": "faculty"})
    assert status == 201, body
    shared = body["user"]["id"]
    client(demo, "sports.director@demo.test")  # a sign-in
    Client(demo.url).call("POST", "/api/password/forgot",
                          {"email": "sports.director@demo.test"})
    log = a.call("GET", "/api/audit?limit=200")[2]["entries"]
    who = lambda e: (e.get("actor") or {}).get("id")  # noqa: E731
    assert [e for e in log if who(e) == shared and e["action"] == "login"]
    # B's people who are not A's: nothing of theirs.
    # (B's director now has a role in A, program 1, their first: B is
    # the one the switcher names.)
    reply = demo.b.call("GET", "/api/users?limit=500",
                        headers={"X-Program": str(demo.program_b)})
    assert reply[0] == 200, reply
    b_only = [u["id"] for u in reply[2]["users"]
              if u["email"] == "only.sports@example.org"]
    assert b_only and not [e for e in log if who(e) in b_only or
                           e.get("object") == "user:%d" % b_only[0]]
    box = a.call("GET", "/api/outbox?limit=200")[2]["messages"]
    assert all(m["to"] != "sports.director@demo.test" for m in box)


def test_the_administrator_disables_and_enables_a_shared_account(demo):
    """What no single program may do to an account two programs share,
    the installation's administrator does."""
    admin = client(demo, "admin@demo.test")
    people = admin.call("GET", "/api/admin/people?limit=500")[2]["people"]
    f2 = [p for p in people if p["email"] == "faculty2@demo.test"][0]
    session = client(demo, "faculty2@demo.test")
    a = client(demo, "director@demo.test")
    status, _, body = a.call("PATCH", "/api/users/%d" % f2["id"],
                             {"disabled": True})
    assert status == 409, body
    path = "/api/admin/people/%d" % f2["id"]
    for bad, want in (({}, 400), ({"disabled": "yes"}, 400),
                      ({"disabled": True, "x": 1}, 400)):
        assert admin.call("PATCH", path, bad)[0] == want
    assert admin.call("PATCH", path, {"disabled": True}, csrf=False)[0] == 403
    assert a.call("PATCH", path, {"disabled": True})[0] == 403
    assert admin.call("PATCH", "/api/admin/people/999999",
                      {"disabled": True})[0] == 404
    me = admin.call("GET", "/api/session")[2]["user"]["id"]
    assert admin.call("PATCH", "/api/admin/people/%d" % me,
                      {"disabled": True})[0] == 403
    status, _, body = admin.call("PATCH", path, {"disabled": True})
    assert status == 200 and body["person"]["disabled"] is True, body
    assert len(body["person"]["programs"]) == 3
    assert session.call("GET", "/api/me")[0] == 401
    assert Client(demo.url).login("faculty2@demo.test")[0] == 403
    status, _, body = admin.call("PATCH", path, {"disabled": False})
    assert status == 200 and body["person"]["disabled"] is False
    assert Client(demo.url).login("faculty2@demo.test")[0] == 200
    # Each program with a role for the person reads it in its log.
    log = a.call("GET", "/api/audit?limit=100")[2]["entries"]
    assert {"user.disable", "user.enable"} <= {
        e["action"] for e in log if e.get("object") == "user:%d" % f2["id"]}
