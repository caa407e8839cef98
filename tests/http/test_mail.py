"""Mail at the moments people expect, as delivered: the messages the real
server's mail process hands to sendmail (tests/lib/capture-mail.sh) for a
submission, a booking, a move and a cancellation (each with its calendar
invitation, checked line by line against RFC 5545 and parsed with
Debian's python3-icalendar), the one reminder to book three days after
an invitation, and a reminder to one rater. Also the booked interview as
a file, GET /api/applications/{id}/interview.ics, and who may have it.
Which mail goes when, case by case, is in tests/ops (test_interviews.c,
test_scores.c, test_applications.c, test_mailer.c)."""
import datetime
import email
import time
from email import policy

import icalendar
import pytest

from conftest import OPEN_CYCLE, _stop_and_check, demo_with_open_cycle
from server import Client, Server
from test_applications import COMPLETE, attach_documents

DAY = 86400


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    srv = demo_with_open_cycle(tmp_path_factory, "Mail cycle")
    srv.staff = signed_in(srv, "coordinator@demo.test")
    yield srv
    _stop_and_check(srv)


def signed_in(srv, email_address):
    c = Client(srv.url)
    status, body = c.login(email_address)
    assert status == 200, body
    return c


def mails(srv, to, subject, n=1, timeout=15):
    """The parsed messages to address to whose subject is subject, oldest
    first, waiting until there are n of them."""
    deadline = time.time() + timeout
    while True:
        found = []
        for raw in srv.mails():
            m = email.message_from_string(raw, policy=policy.default)
            if [a.addr_spec for a in m["To"].addresses] == [to] and \
                    m["Subject"] == subject:
                found.append(m)
        if len(found) >= n or time.time() > deadline:
            return found
        time.sleep(0.1)


def text_of(m):
    for part in m.walk():
        if part.get_content_type() == "text/plain":
            return part.get_content()
    raise AssertionError("no text part")


def calendar_of(m):
    """The message's calendar part: its method parameter and its bytes,
    checked line by line against RFC 5545 §3.1 (CRLF line ends, at most 75
    octets a line, no character split by a fold)."""
    assert m.get_content_type() == "multipart/mixed"
    parts = [p for p in m.iter_parts()]
    assert [p.get_content_type() for p in parts] == \
        ["text/plain", "text/calendar"]
    cal = parts[1]
    assert cal.get_content_disposition() == "attachment"
    assert cal.get_filename() == "interview.ics"
    assert cal.get_content_charset() == "utf-8"
    data = cal.get_payload(decode=True)
    check_lines(data)
    return cal.get_param("method"), data


def check_lines(data):
    assert data.endswith(b"\r\n")
    for line in data.split(b"\r\n")[:-1]:
        assert b"\r" not in line and b"\n" not in line
        assert 1 <= len(line) <= 75, line
        line.decode("utf-8")


def parse(data):
    """The calendar parsed by python3-icalendar, with its one event;
    neither may carry a parse error."""
    cal = icalendar.Calendar.from_ical(data)
    assert not cal.errors
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"])
    [ev] = cal.walk("VEVENT")
    assert not ev.errors, ev.errors
    for k in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY",
              "ORGANIZER"):
        assert k in ev, k
    return cal, ev


def check_times(cal, ev, slot, minutes):
    """DTSTART and DTEND in the cycle's zone (America/New_York) with its
    VTIMEZONE, both read by the zone's name and by the VTIMEZONE itself,
    name the slot's instant and its length."""
    assert ev["DTSTART"].params["TZID"] == "America/New_York"
    start = ev.decoded("DTSTART")
    end = ev.decoded("DTEND")
    assert int(start.timestamp()) == slot["starts_at"]
    assert (end - start) == datetime.timedelta(minutes=minutes)
    [vtz] = cal.walk("VTIMEZONE")
    assert str(vtz["TZID"]) == "America/New_York"
    tz = vtz.to_tz()
    local = start.replace(tzinfo=None)
    assert int(tz.localize(local).timestamp()) == slot["starts_at"]
    assert ev.decoded("DTSTAMP").tzinfo is not None


def apply_and_submit(srv, c, cid):
    c.call("GET", "/api/cycles/%d/application" % cid)
    status, _, body = c.call("PUT", "/api/cycles/%d/application" % cid,
                             {"fields": COMPLETE})
    assert status == 200, body
    app = c.call("GET", "/api/cycles/%d/application" % cid)[2][
        "application"]["id"]
    attach_documents(c, app)
    status, _, body = c.call("POST",
                             "/api/cycles/%d/application/submit" % cid)
    assert status == 200, body
    return app


def test_a_submission_is_receipted_once(demo):
    a = signed_in(demo, "applicant61@demo.test")
    cid = demo.cycle
    a.call("GET", "/api/cycles/%d/application" % cid)
    # Refused while incomplete: no receipt.
    assert a.call("POST", "/api/cycles/%d/application/submit" %
                  cid)[0] == 422
    apply_and_submit(demo, a, cid)
    [m] = mails(demo, "applicant61@demo.test", "Application received")
    assert m.get_content_type() == "text/plain"
    body = text_of(m)
    assert "Mail cycle" in body and "(America/New_York)" in body
    assert "/#/apply/%d\n" % cid in body
    assert a.call("POST", "/api/cycles/%d/application/submit" %
                  cid)[0] == 403
    time.sleep(1.5)
    assert len(mails(demo, "applicant61@demo.test", "Application received",
                     n=2, timeout=1)) == 1


def invited(srv, emails):
    """Each of emails applies to srv.cycle (marked submitted in the
    database: submission is tested above) and is invited; returns their
    clients and application ids."""
    clients, ids = [], []
    for e in emails:
        c = signed_in(srv, e)
        ids.append(c.call("GET", "/api/cycles/%d/application" %
                          srv.cycle)[2]["application"]["id"])
        clients.append(c)
    con = srv.db()
    with con:
        con.executemany("UPDATE applications SET status = 'submitted', "
                        "submitted_at = ? WHERE id = ?",
                        [(srv.now_text(), i) for i in ids])
    con.close()
    status, _, body = srv.staff.call(
        "POST", "/api/cycles/%d/interview-invitations" % srv.cycle,
        {"application_ids": ids})
    assert status == 200, body
    return clients, ids


def test_booking_moving_and_cancelling_send_calendar_invitations(demo):
    who = "applicant62@demo.test"
    [a], [app] = invited(demo, [who])
    status, _, body = demo.staff.call(
        "POST", "/api/cycles/%d/interview-days" % demo.cycle,
        {"day": "2099-02-10", "location": "Clinic B; 4th floor, room 2",
         "slots": [{"start": "09:00", "end": "10:00", "capacity": 2},
                   {"start": "13:30", "end": "14:15", "capacity": 2}]})
    assert status == 201, body
    s1, s2 = body["day"]["slots"]
    host = "127.0.0.1"

    # Booked: a confirmation with METHOD:REQUEST.
    assert a.call("POST", "/api/interview-slots/%d/book" % s1["id"])[0] == 200
    [m] = mails(demo, who, "Interview booked")
    assert "Clinic B; 4th floor, room 2" in text_of(m)
    method, data = calendar_of(m)
    assert method == "REQUEST"
    cal, ev = parse(data)
    assert str(cal["METHOD"]) == "REQUEST"
    uid = str(ev["UID"])
    assert uid == "interview-%d@%s" % (app, host)
    assert int(ev["SEQUENCE"]) == 1
    assert str(ev["STATUS"]) == "CONFIRMED"
    assert str(ev["LOCATION"]) == "Clinic B; 4th floor, room 2"
    assert b"LOCATION:Clinic B\\; 4th floor\\, room 2\r\n" in data
    assert str(ev["SUMMARY"]) == "Interview: Mail cycle"
    assert str(ev["ATTENDEE"]) == "mailto:%s" % who
    assert str(ev["ORGANIZER"]).startswith("mailto:")
    check_times(cal, ev, s1, 60)

    # Moved: the same event, the next sequence, the new time.
    assert a.call("POST", "/api/interview-slots/%d/book" % s2["id"])[0] == 200
    [m] = mails(demo, who, "Interview moved")
    method, data = calendar_of(m)
    cal, ev = parse(data)
    assert method == "REQUEST" and str(ev["UID"]) == uid
    assert int(ev["SEQUENCE"]) == 2
    check_times(cal, ev, s2, 45)

    # The file to download is that event, to import.
    status, headers, raw = a.call(
        "GET", "/api/applications/%d/interview.ics" % app)
    assert status == 200
    assert headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in headers["Content-Disposition"]
    assert "interview.ics" in headers["Content-Disposition"]
    data = raw if isinstance(raw, bytes) else raw.encode()
    check_lines(data)
    cal, ev = parse(data)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(ev["UID"]) == uid and int(ev["SEQUENCE"]) == 2
    assert "ATTENDEE" not in ev
    check_times(cal, ev, s2, 45)

    # Cancelled: METHOD:CANCEL for the slot left.
    assert a.call("POST", "/api/cycles/%d/interview-booking/cancel" %
                  demo.cycle)[0] == 200
    [m] = mails(demo, who, "Interview cancelled")
    method, data = calendar_of(m)
    cal, ev = parse(data)
    assert method == "CANCEL" and str(cal["METHOD"]) == "CANCEL"
    assert str(ev["UID"]) == uid and int(ev["SEQUENCE"]) == 3
    assert str(ev["STATUS"]) == "CANCELLED"
    check_times(cal, ev, s2, 45)
    # Nothing booked: nothing to download.
    assert a.call("GET", "/api/applications/%d/interview.ics" %
                  app)[0] == 404


def test_the_file_is_for_its_applicant_only(demo):
    (a, b), (app_a, app_b) = invited(
        demo, ["applicant63@demo.test", "applicant64@demo.test"])
    status, _, body = demo.staff.call(
        "POST", "/api/cycles/%d/interview-days" % demo.cycle,
        {"day": "2099-02-11", "slots": [
            {"start": "09:00", "end": "10:00", "capacity": 5}]})
    assert status == 201, body
    slot = body["day"]["slots"][0]["id"]
    assert a.call("POST", "/api/interview-slots/%d/book" % slot)[0] == 200
    path = "/api/applications/%d/interview.ics" % app_a
    assert a.call("GET", path)[0] == 200
    # Someone else's booking, one's own without a booking, none at all.
    for who, p in ((b, path),
                   (b, "/api/applications/%d/interview.ics" % app_b),
                   (a, "/api/applications/999999/interview.ics")):
        status, _, reply = who.call("GET", p)
        assert status == 404, reply
        assert reply["error"]["code"] == "not_found"
    # Other roles, and nobody signed in.
    for email_address in ("coordinator@demo.test", "director@demo.test",
                          "faculty1@demo.test"):
        status, _, reply = signed_in(demo, email_address).call("GET", path)
        assert status == 403 and reply["error"]["code"] == "forbidden"
    assert Client(demo.url).call("GET", path)[0] == 401


def test_a_reminder_to_one_rater(demo):
    coord = demo.staff
    rows = coord.call("GET", "/api/cycles/1/assignments?phase=screening")[2]
    behind = [r for r in rows["raters"]
              if r.get("phase", "screening") == "screening" and
              r["submitted"] < r["assigned"]]
    assert behind, rows["raters"]
    rater = behind[0]
    users = coord.call("GET", "/api/users?limit=500")[2]["users"]
    address = next(u["email"] for u in users if u["id"] == rater["faculty_id"])
    path = "/api/cycles/1/reminders"
    body = {"phase": "screening", "faculty_id": rater["faculty_id"]}
    # Refused: no CSRF token, faculty, bad ids, someone with nothing to
    # be reminded of. Nothing is mailed.
    assert coord.call("POST", path, body, csrf=False)[0] == 403
    assert signed_in(demo, "faculty1@demo.test").call(
        "POST", path, body)[0] == 403
    for bad, code in (({"phase": "screening", "faculty_id": 0}, 422),
                      ({"phase": "screening", "faculty_id": -4}, 422),
                      ({"phase": "screening", "faculty_id": "7"}, 400),
                      ({"phase": "screening", "faculty_id": 7,
                        "all": True}, 400),
                      ({"phase": "scoring", "faculty_id": 7}, 422)):
        status, _, reply = coord.call("POST", path, bad)
        assert status == code, (bad, reply)
    director = next(u["id"] for u in users
                    if u["email"] == "director@demo.test")
    status, _, reply = coord.call("POST", path, {"phase": "screening",
                                                 "faculty_id": director})
    assert status == 422 and reply["error"]["field"] == "faculty_id"
    assert mails(demo, address, "Reminder: score sheets to submit",
                 timeout=1) == []
    # Sent, to that rater alone.
    status, _, reply = coord.call("POST", path, body)
    assert status == 202 and reply == {"sent": 1}
    [m] = mails(demo, address, "Reminder: score sheets to submit")
    assert "%d assigned candidate" % (rater["assigned"] -
                                      rater["submitted"]) in text_of(m)
    # Once in 12 hours.
    status, headers, reply = demo.staff.call("POST", path, body)
    assert status == 429 and reply["error"]["code"] == "too_many_attempts"
    assert 11 * 3600 < int(headers["Retry-After"]) <= 12 * 3600
    time.sleep(1.5)
    assert len(mails(demo, address, "Reminder: score sheets to submit",
                     n=2, timeout=1)) == 1
    con = demo.db()
    n = con.execute("SELECT count(*) FROM audit_log WHERE action = "
                    "'score.remind_rater'").fetchone()[0]
    con.close()
    assert n == 1


def test_one_reminder_to_book_three_days_after_the_invitation(
        tmp_path_factory):
    srv = demo_with_open_cycle(tmp_path_factory, "Reminder cycle")
    try:
        srv.staff = signed_in(srv, "coordinator@demo.test")
        emails = ["applicant%02d@demo.test" % k for k in (65, 66, 67)]
        (a, b, c), (app_a, app_b, app_c) = invited(srv, emails)
        status, _, body = srv.staff.call(
            "POST", "/api/cycles/%d/interview-days" % srv.cycle,
            {"day": "2099-02-12", "slots": [
                {"start": "09:00", "end": "10:00", "capacity": 3}]})
        assert status == 201, body
        slot = body["day"]["slots"][0]["id"]
        # a books; c withdraws; b does nothing.
        assert a.call("POST", "/api/interview-slots/%d/book" %
                      slot)[0] == 200
        assert c.call("POST", "/api/applications/%d/withdraw" %
                      app_c)[0] == 200
        subject = "Reminder: choose your interview slot"

        def reminders(e, cycle, timeout=0):
            """The reminders to e about cycle (by its link)."""
            link = "/#/apply/%d\n" % cycle
            return [m for m in mails(srv, e, subject, timeout=timeout)
                    if link in text_of(m)]

        # Two days on: nothing yet.
        srv.set_clock(srv.now() + 2 * DAY)
        time.sleep(6)
        assert reminders(emails[1], srv.cycle) == []
        # Three days after the invitation: b alone, once.
        srv.set_clock(srv.now() + DAY + 60)
        [m] = reminders(emails[1], srv.cycle, timeout=15)
        assert "Reminder cycle" in text_of(m)
        assert m.get_content_type() == "text/plain"
        time.sleep(6)
        assert len(reminders(emails[1], srv.cycle)) == 1
        for e in (emails[0], emails[2]):
            assert reminders(e, srv.cycle) == []
        # The demo's two candidates invited two days before the clock
        # and never booked are reminded too, each once.
        con = srv.db()
        demo_invited = [r for (r,) in con.execute(
            "SELECT u.email FROM interview_invitations i JOIN applications "
            "a ON a.id = i.application_id JOIN users u ON u.id = "
            "a.applicant_id WHERE i.cycle_id = 1 AND i.slot_id IS NULL")]
        con.close()
        assert len(demo_invited) == 2
        for e in demo_invited:
            assert len(reminders(e, 1, timeout=5)) == 1
    finally:
        _stop_and_check(srv)
