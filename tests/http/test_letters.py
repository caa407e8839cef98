"""Letters of recommendation: the request mails the writer a single-use,
expiring link; the writer uploads one PDF without an account; reminders
and cancellations; and confidentiality: the applicant never gets a letter,
by any route."""
import re
import time

import pytest

import pdfs
from server import Client

NEXT = iter(range(1, 81))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check, demo_with_open_cycle
    srv = demo_with_open_cycle(tmp_path_factory, "Letters cycle")
    yield srv
    _stop_and_check(srv)


def applicant(srv):
    c = Client(srv.url)
    c.email = "applicant%02d@demo.test" % next(NEXT)
    assert c.login(c.email)[0] == 200
    c.app = c.call("GET", "/api/cycles/%d/application" % srv.cycle)[2][
        "application"]["id"]
    return c


def request_letter(srv, c, email, waived=True):
    import time
    status, _, body = c.call("POST", "/api/applications/%d/letters" % c.app,
                             {"writer_name": "Dr. Writer",
                              "writer_email": email, "waived": waived})
    assert status == 201, body
    deadline = time.time() + 15
    while True:
        found = [m for m in srv.mails() if "To: <%s>" % email in m]
        if found or time.time() > deadline:
            break
        time.sleep(0.1)
    mail = found[-1]
    token = re.search(r"/#/letter/([A-Za-z0-9_-]{43})", mail).group(1)
    return body["letter"], token, mail


def writer_open(c, token):
    """The writer's page: the link's token in the X-Letter-Token header."""
    return c.call("GET", "/api/letters/writer",
                  headers={"X-Letter-Token": token})


def writer_upload(c, token, data):
    """The writer's upload of data as the file, with the link's token."""
    return c.upload("/api/letters/writer", {}, data=data,
                    headers={"X-Letter-Token": token})


def test_request_mails_the_writer_who_uploads_once(demo):
    c = applicant(demo)
    letter, token, mail = request_letter(demo, c, "writer1@example.org")
    assert letter["status"] == "requested" and letter["waived"] is True
    assert "Subject: Letter of recommendation requested" in mail
    assert "Letters cycle" in mail
    writer = Client(demo.url)
    status, _, page = writer_open(writer, token)
    assert status == 200
    assert page["writer_name"] == "Dr. Writer"
    assert page["program"] == "Letters cycle" and page["applicant"]
    status, _, body = writer_upload(writer, token, pdfs.valid())
    assert status == 201, body
    status, _, body = writer_upload(writer, token, pdfs.valid())
    assert status == 400 and body["error"]["code"] == "invalid_token"
    assert writer_open(writer, token)[0] == 400
    [l] = c.call("GET", "/api/applications/%d/letters" % c.app)[2]["letters"]
    assert l["status"] == "received" and l["received_at"]


@pytest.mark.abuse
def test_the_link_token_goes_only_in_its_header(demo):
    """The token in a path or a query would be written to every access
    log on its way: the server takes it from the X-Letter-Token header
    only. Missing, malformed, unknown and used tokens get one answer."""
    c = applicant(demo)
    letter, token, _ = request_letter(demo, c, "writer-hdr@example.org")
    w = Client(demo.url)
    # The old route, with the token in the path, is gone.
    for method in ("GET", "POST"):
        status, _, body = w.call(method, "/api/letters/" + token)
        assert status == 404 and body["error"]["code"] == "not_found"
    assert w.upload("/api/letters/" + token, {},
                    data=pdfs.valid())[0] == 404
    # A query or a form field is not read.
    answers = [
        w.call("GET", "/api/letters/writer?token=" + token),
        w.call("GET", "/api/letters/writer"),
        w.upload("/api/letters/writer", {"token": token},
                 data=pdfs.valid()),
        w.upload("/api/letters/writer?token=" + token, {},
                 data=pdfs.valid()),
        writer_open(w, "A" * 43),
        writer_open(w, token[:-1]),
        writer_open(w, token + "A"),
        writer_open(w, "%s" % token.replace(token[0], "!")),
        writer_upload(w, "B" * 43, pdfs.valid()),
    ]
    for status, _, body in answers:
        assert status == 400 and body["error"]["code"] == "invalid_token"
    assert len({a[2]["error"]["message"] for a in answers}) == 1
    con = demo.db()
    assert con.execute("SELECT status FROM letters WHERE id = ?",
                       (letter["id"],)).fetchone()[0] == "requested"
    con.close()
    assert writer_open(w, token)[0] == 200
    assert writer_upload(w, token, pdfs.valid())[0] == 201
    # Used: the same answer as never known.
    status, _, body = writer_open(w, token)
    assert status == 400 and body == answers[0][2]


def test_writer_upload_is_checked_like_documents(demo):
    c = applicant(demo)
    _, token, _ = request_letter(demo, c, "writer2@example.org")
    w = Client(demo.url)
    for data in (b"not a pdf", pdfs.with_javascript()):
        status, _, body = writer_upload(w, token, data)
        assert status == 422 and body["error"]["field"] == "file"
    # Refusals do not use the link up.
    assert writer_open(w, token)[0] == 200


def test_cancelled_and_expired_links_are_dead(demo):
    c = applicant(demo)
    letter, token, _ = request_letter(demo, c, "writer3@example.org")
    assert c.call("POST", "/api/letters/%d/cancel" % letter["id"])[0] == 200
    assert c.call("POST", "/api/letters/%d/cancel" % letter["id"])[0] == 409
    w = Client(demo.url)
    assert writer_open(w, token)[0] == 400
    assert writer_upload(w, token, pdfs.valid())[0] == 400
    letter, token, _ = request_letter(demo, c, "writer4@example.org")
    con = demo.db()
    con.execute("UPDATE letters SET token_expires_at = 1 WHERE id = ?",
                (letter["id"],))
    con.commit()
    con.close()
    assert writer_open(w, token)[0] == 400


def test_reminder_replaces_the_link_once_a_day(demo):
    c = applicant(demo)
    letter, old, _ = request_letter(demo, c, "writer5@example.org")
    status, h, _ = c.call("POST", "/api/letters/%d/remind" % letter["id"])
    assert status == 429 and int(h["Retry-After"]) > 0
    con = demo.db()
    con.execute("UPDATE letters SET token_expires_at = token_expires_at - "
                "2 * 86400 WHERE id = ?", (letter["id"],))
    con.commit()
    con.close()
    import time
    assert c.call("POST", "/api/letters/%d/remind" % letter["id"])[0] == 202
    deadline = time.time() + 15
    while True:
        mails = [m for m in demo.mails() if "To: <writer5@example.org>" in m]
        if len(mails) == 2 or time.time() > deadline:
            break
        time.sleep(0.1)
    mail = mails[-1]
    assert "Subject: Reminder: letter of recommendation" in mail
    new = re.search(r"/#/letter/([A-Za-z0-9_-]{43})", mail).group(1)
    w = Client(demo.url)
    assert writer_open(w, old)[0] == 400
    assert writer_open(w, new)[0] == 200


def test_request_validation(demo):
    """The rules (fields, six letters at most) are tested in
    tests/ops/test_letters.c; here the answers' shape."""
    c = applicant(demo)
    path = "/api/applications/%d/letters" % c.app
    status, _, reply = c.call("POST", path, {
        "writer_name": "W", "writer_email": "nope", "waived": False})
    assert status == 422 and reply["error"]["field"] == "writer_email"
    assert c.call("POST", path, {"writer_name": "W",
                                 "writer_email": "a@b.example"})[0] == 400
    other = applicant(demo)
    assert other.call("POST", path, {"writer_name": "W",
                                     "writer_email": "w@x.example",
                                     "waived": False})[0] == 404
    assert other.call("GET", path)[0] == 404


@pytest.mark.abuse
def test_the_writer_name_is_a_name_and_no_message(demo):
    # A letter request mails someone the applicant names: the name put in
    # its greeting can carry no link or address.
    c = applicant(demo)
    path = "/api/applications/%d/letters" % c.app
    con = demo.db()
    queued = con.execute("SELECT count(*) FROM outbox").fetchone()[0]
    con.close()
    for name in ("Account security team: verify at http://evil.example",
                 "verify at evil.example now", "Ada www.evil.com",
                 "x" * 101):
        status, _, reply = c.call("POST", path, {
            "writer_name": name, "writer_email": "victim@example.org",
            "waived": True})
        assert status == 422, (name, reply)
        assert reply["error"]["field"] == "writer_name"
        assert "no web or e-mail address" in reply["error"]["message"]
    con = demo.db()
    assert con.execute("SELECT count(*) FROM outbox").fetchone()[0] == queued
    con.close()
    # A name as people write them goes through, and the mail names the
    # applicant and the program.
    status, _, body = c.call("POST", path, {
        "writer_name": "Dr. María-José O’Connor", "writer_email":
        "mjoc@example.org", "waived": True})
    assert status == 201, body


def test_the_applicant_never_gets_the_letter(demo):
    """Confidentiality: every route an applicant could try, for a waived
    and for a non-waived letter, yields status and nothing else."""
    c = applicant(demo)
    ids = []
    for email, waived in (("conf1@example.org", True),
                          ("conf2@example.org", False)):
        letter, token, _ = request_letter(demo, c, email, waived)
        assert writer_upload(Client(demo.url), token,
                             pdfs.valid())[0] == 201
        ids.append(letter["id"])
    con = demo.db()
    shas = [r[0] for r in con.execute(
        "SELECT sha256 FROM letters WHERE id IN (?, ?)", ids)]
    con.close()
    secret = pdfs.valid()
    responses = []
    for lid in ids:
        responses.append(c.call("GET", "/api/letters/%d/file" % lid))
        responses.append(c.call("GET", "/api/documents/%d" % lid))
        responses.append(c.call("POST", "/api/letters/%d/remind" % lid))
        responses.append(c.call("POST", "/api/letters/%d/cancel" % lid))
    for path in ("/api/applications/%d/letters" % c.app,
                 "/api/applications/%d/documents" % c.app,
                 "/api/applications/%d" % c.app,
                 "/api/cycles/%d/application" % demo.cycle,
                 "/api/audit", "/api/outbox"):
        responses.append(c.call("GET", path))
    for status, _, body in responses:
        raw = body if isinstance(body, bytes) else repr(body).encode()
        assert secret not in raw
        for sha in shas:
            assert sha.encode() not in raw
    letters = c.call("GET", "/api/applications/%d/letters" % c.app)[2][
        "letters"]
    assert all(set(l) <= {"id", "writer_name", "writer_email", "waived",
                          "status", "requested_at", "reminded_at",
                          "received_at"} for l in letters)
    assert [l["status"] for l in letters] == ["received", "received"]
    # Staff read it.
    coord = Client(demo.url)
    coord.login("coordinator@demo.test")
    status, h, body = coord.call("GET", "/api/letters/%d/file" % ids[0])
    assert status == 200 and body == secret
    assert h["Content-Disposition"].startswith("attachment;")


# Caps on letter mail ------------------------------------------------------
# The rule (the rolling day, reminders counted, the address as counted)
# is tested in tests/core/test_mailcap.c and tests/ops/test_letters.c;
# here the answers, and that a refusal stores and queues nothing.

DAY = 86400


def ask(c, email):
    return c.call("POST", "/api/applications/%d/letters" % c.app,
                  {"writer_name": "Dr. Writer", "writer_email": email,
                   "waived": True})


def stored(srv, c, email):
    """(letters of c's application, mails queued to email)."""
    con = srv.db()
    try:
        letters = con.execute("SELECT count(*) FROM letters WHERE "
                              "application_id = ?", (c.app,)).fetchone()[0]
        mails = con.execute("SELECT count(*) FROM outbox WHERE "
                            "lower(to_addr) = lower(?)",
                            (email,)).fetchone()[0]
        return letters, mails
    finally:
        con.close()


def next_day(srv, *clients):
    """Moves the clock a day on; the clients sign in again (a session
    lasts 12 hours at most)."""
    srv.set_clock(srv.now() + DAY + 60)
    time.sleep(1.5)  # every process reads the clock file once a second
    for c in clients:
        assert c.login(c.email)[0] == 200


@pytest.mark.abuse
def test_an_applicant_sends_ten_letter_mails_a_day(demo):
    """Asking and cancelling in a loop queued mail to anyone, as fast as
    it ran: the 11th letter mail of a day is refused."""
    c = applicant(demo)
    for i in range(10):
        status, _, body = ask(c, "loop%d@example.org" % i)
        assert status == 201, (i, body)
        assert c.call("POST", "/api/letters/%d/cancel" %
                      body["letter"]["id"])[0] == 200
    before = stored(demo, c, "loop10@example.org")
    status, h, body = ask(c, "loop10@example.org")
    assert status == 429, body
    assert body["error"]["code"] == "too_many_attempts"
    message = body["error"]["message"]
    assert message.startswith(
        "At most 10 letter requests and reminders per applicant in 24 "
        "hours (limit letter_mails_per_applicant). You have sent as many; "
        "the next can go in "), message
    assert re.search(r"in (24 hours|23 hours \d+ minutes?), on \w+day, "
                     r"\d+ \w+ \d{4} at \d\d:\d\d \(America/New_York\)\.$",
                     message), message
    assert 86000 < int(h["Retry-After"]) <= DAY
    assert stored(demo, c, "loop10@example.org") == before
    assert before[1] == 0
    # Another applicant is not held back.
    other = applicant(demo)
    assert ask(other, "loop10@example.org")[0] == 201
    # A day later, the first applicant may ask again.
    next_day(demo, c)
    status, _, body = ask(c, "loop10@example.org")
    assert status == 201, body


@pytest.mark.abuse
def test_one_address_gets_five_letter_mails_a_day_whoever_asks(demo):
    """Many accounts cannot flood one mailbox: five letter mails a day to
    one address (as typed in any case, with any +tag)."""
    for email in ("Prof.Cap@example.org", "prof.cap@example.org",
                  "prof.cap+ann@example.org", "PROF.CAP@EXAMPLE.ORG",
                  "prof.cap+b@example.org"):
        c = applicant(demo)
        status, _, body = ask(c, email)
        assert status == 201, body
    late = applicant(demo)
    before = stored(demo, late, "prof.cap+late@example.org")
    status, h, body = ask(late, "prof.cap+late@example.org")
    assert status == 429, body
    assert "(limit letter_mails_per_address). This address has had as " \
        "many; the next can go in" in body["error"]["message"]
    assert int(h["Retry-After"]) > 0
    assert stored(demo, late, "prof.cap+late@example.org") == before
    assert before == (0, 0)
    # Another address is fine; the next day, this one too.
    assert ask(late, "another.prof@example.org")[0] == 201
    next_day(demo, late)
    assert ask(late, "prof.cap+late@example.org")[0] == 201
