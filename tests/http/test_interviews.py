"""Interviews: days and slots, invitations mailed through the outbox,
booking, changing and cancelling a slot, the waitlist in the order
candidates joined it, who sees whom (faculty never see a candidate they
have a conflict with; an applicant never sees another candidate), and
capacity under concurrent booking against the real server. The rules
themselves, case by case, are in tests/ops/test_interviews.c; this keeps
the contract, the roles and the reliability cases.

Each test works in a cycle of its own (the waitlist and the free seats
are per cycle); the same demo applicants apply to each. Applications are
marked submitted through the database: submitting through the API needs
uploads and is tested elsewhere."""
import datetime
import json
import time
import zoneinfo

import pytest

from conftest import OPEN_CYCLE
from reliability import at_once
from server import Client

POOL = 24          # demo applicants signed in once for the whole module


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check, demo_with_open_cycle
    srv = demo_with_open_cycle(tmp_path_factory, "Interviews cycle")
    srv.staff = Client(srv.url)
    assert srv.staff.login("coordinator@demo.test")[0] == 200
    srv.director = Client(srv.url)
    assert srv.director.login("director@demo.test")[0] == 200
    srv.faculty = []
    for k in (1, 2):
        f = Client(srv.url)
        assert f.login("faculty%d@demo.test" % k)[0] == 200
        srv.faculty.append(f)
    # One after another: sign-ins are throttled per client address and
    # the server caps how many password hashes run at once.
    srv.pool = []
    for k in range(POOL):
        c = Client(srv.url)
        status, body = c.login("applicant%02d@demo.test" % (k + 1))
        assert status == 200, body
        srv.pool.append(c)
    yield srv
    _stop_and_check(srv)


NAMES = iter(range(1, 1000))


def new_cycle(srv):
    """An open cycle of its own; returns its id."""
    n = next(NAMES)
    status, _, body = srv.director.call(
        "POST", "/api/cycles",
        dict(OPEN_CYCLE, name="Interview cycle %d" % n))
    assert status == 201, body
    cid = body["cycle"]["id"]
    assert srv.director.call("PATCH", "/api/cycles/%d" % cid,
                             {"state": "open"})[0] == 200
    return cid


def apply(srv, cid, clients, status="submitted"):
    """Each client gets an application in cycle cid with the status
    given; returns their application ids in order."""
    ids = []
    for c in clients:
        s, _, body = c.call("GET", "/api/cycles/%d/application" % cid)
        assert s == 200, body
        ids.append(body["application"]["id"])
    if status != "draft":
        con = srv.db()
        con.executemany(
            "UPDATE applications SET status = ?, submitted_at = ? "
            "WHERE id = ?", [(status, srv.now_text(), i) for i in ids])
        con.commit()
        con.close()
    return ids


def add_day(srv, cid, day="2099-02-10", slots=None, location="Clinic B"):
    slots = slots or [{"start": "09:00", "end": "10:00", "capacity": 2}]
    status, _, body = srv.staff.call(
        "POST", "/api/cycles/%d/interview-days" % cid,
        {"day": day, "location": location, "slots": slots})
    assert status == 201, body
    return body["day"]


def invite(srv, cid, ids):
    status, _, body = srv.staff.call(
        "POST", "/api/cycles/%d/interview-invitations" % cid,
        {"application_ids": ids})
    assert status == 200, body
    return body


def invited(srv, cid, clients):
    ids = apply(srv, cid, clients)
    invite(srv, cid, ids)
    return ids


def book(c, slot):
    return c.call("POST", "/api/interview-slots/%d/book" % slot)


def mine(c, cid):
    status, _, body = c.call("GET", "/api/cycles/%d/interview-days" % cid)
    assert status == 200, body
    return body


def db_one(srv, sql, args=()):
    con = srv.db()
    try:
        return con.execute(sql, args).fetchone()
    finally:
        con.close()


def bookings(srv, slot):
    return db_one(srv, "SELECT count(*) FROM interview_invitations "
                  "WHERE slot_id = ?", (slot,))[0]


def mails_to(srv, email, subject, cid, n=1, timeout=15):
    """The messages to email with subject about cycle cid (by its link),
    waiting for n of them."""
    link = "/#/apply/%d\n" % cid
    deadline = time.time() + timeout
    while True:
        found = [m for m in srv.mails() if "To: <%s>" % email in m and
                 subject in m and link in m]
        if len(found) >= n or time.time() > deadline:
            return found
        time.sleep(0.1)


def email_of(k):
    return "applicant%02d@demo.test" % (k + 1)


def test_create_day_computes_slots_in_the_cycle_time_zone(demo):
    cid = new_cycle(demo)
    day = add_day(demo, cid, slots=[
        {"start": "13:00", "end": "14:00", "capacity": 1},
        {"start": "09:00", "end": "10:00", "capacity": 50},
        {"start": "10:00", "end": "11:30", "capacity": 3}])
    assert day["day"] == "2099-02-10" and day["location"] == "Clinic B"
    assert [s["starts"] for s in day["slots"]] == ["09:00", "10:00", "13:00"]
    tz = zoneinfo.ZoneInfo("America/New_York")
    for s in day["slots"]:
        h, m = map(int, s["starts"].split(":"))
        want = datetime.datetime(2099, 2, 10, h, m, tzinfo=tz).timestamp()
        assert s["starts_at"] == int(want)
        assert s["booked"] == 0 and s["bookings"] == []
    assert [s["capacity"] for s in day["slots"]] == [50, 3, 1]
    # Staff see the day in the schedule, and the audit log has it.
    body = mine(demo.staff, cid)
    assert [d["id"] for d in body["days"]] == [day["id"]]
    assert body["waitlist"] == [] and body["invitations"] == []
    assert db_one(demo, "SELECT count(*) FROM audit_log WHERE action = "
                  "'interview.day_create' AND object = ?",
                  ("cycle:%d" % cid,))[0] == 1


# One refusal per field; every rule of a day (dates, slot times, overlaps,
# seats, location) is checked in tests/ops/test_interviews.c.
@pytest.mark.parametrize("body,field", [
    ({"day": "2099-02-30", "slots": [
        {"start": "09:00", "end": "10:00", "capacity": 1}]}, "day"),
    ({"day": "2099-02-03", "slots": [
        {"start": "09:00", "end": "10:00", "capacity": 1},
        {"start": "09:30", "end": "10:30", "capacity": 1}]}, "slots"),
    ({"day": "2099-02-03", "location": "x" * 201, "slots": [
        {"start": "09:00", "end": "10:00", "capacity": 1}]}, "location"),
])
def test_create_day_refuses_bad_values(demo, body, field):
    cid = new_cycle(demo)
    status, _, reply = demo.staff.call(
        "POST", "/api/cycles/%d/interview-days" % cid, body)
    assert status == 422, reply
    assert reply["error"]["field"] == field and reply["error"]["message"]
    assert db_one(demo, "SELECT count(*) FROM interview_days WHERE "
                  "cycle_id = ?", (cid,))[0] == 0


@pytest.mark.parametrize("raw", [
    b'{"day": "2099-02-03", "slots": [{"start": "09:00", "end": "10:00", '
    b'"capacity": 1}], "colour": "red"}',
    b'{"day": "2099-02-03", "slots": [{"start": "09:00", "end": "10:00", '
    b'"capacity": 1, "room": 4}]}',
    b'{"day": "2099-02-03", "slots": [{"start": "09:00", "end": "10:00", '
    b'"capacity": "1"}]}',
    b'{"day": "2099-02-03", "slots": {"start": "09:00"}}',
    b'{"day": "2099-02-03", "slots": ["09:00"]}',
    b'{"day": 20990203, "slots": []}',
    b'{"slots": []}',
    b'{"day": "2099-02-03", "day": "2099-02-04", "slots": []}',
    b'{"day": "2099-02-03", "slots": [',
    b'[]',
])
def test_create_day_refuses_malformed_bodies(demo, raw):
    cid = new_cycle(demo)
    status, _, reply = demo.staff.call(
        "POST", "/api/cycles/%d/interview-days" % cid, raw=raw,
        headers={"Content-Type": "application/json"})
    assert status == 400 and reply["error"]["code"] == "bad_json", reply
    assert db_one(demo, "SELECT count(*) FROM interview_days WHERE "
                  "cycle_id = ?", (cid,))[0] == 0


def test_create_day_needs_csrf_staff_a_cycle_and_a_new_date(demo):
    cid = new_cycle(demo)
    good = {"day": "2099-02-03", "slots": [
        {"start": "09:00", "end": "10:00", "capacity": 1}]}
    path = "/api/cycles/%d/interview-days" % cid
    status, _, reply = demo.staff.call("POST", path, good, csrf=False)
    assert status == 403 and reply["error"]["code"] == "csrf"
    for who in (demo.pool[0], demo.faculty[0]):
        status, _, reply = who.call("POST", path, good)
        assert status == 403 and reply["error"]["code"] == "forbidden"
    assert demo.staff.call("POST", "/api/cycles/999999/interview-days",
                           good)[0] == 404
    assert db_one(demo, "SELECT count(*) FROM interview_days WHERE "
                  "cycle_id = ?", (cid,))[0] == 0
    assert demo.director.call("POST", path, good)[0] == 201
    status, _, reply = demo.staff.call("POST", path, good)
    assert status == 409 and reply["error"]["field"] == "day"
    assert db_one(demo, "SELECT count(*) FROM interview_days WHERE "
                  "cycle_id = ?", (cid,))[0] == 1


def test_wrong_roles_and_unreachable_slots(demo):
    a, b, outsider = demo.pool[0], demo.pool[1], demo.pool[2]
    cid = new_cycle(demo)
    other = new_cycle(demo)
    [app_a] = invited(demo, cid, [a])
    apply(demo, cid, [outsider])            # applied, not invited
    slot = add_day(demo, cid)["slots"][0]["id"]
    other_slot = add_day(demo, other)["slots"][0]["id"]
    invited(demo, other, [b])
    # Staff-only routes answer 403 to everyone else.
    for who in (a, demo.faculty[0]):
        assert who.call("POST", "/api/cycles/%d/interview-invitations" % cid,
                        {"application_ids": [app_a]})[0] == 403
        assert who.call("GET", "/api/cycles/%d/interview-invitations"
                        % cid)[0] == 403
        day_id = mine(demo.staff, cid)["days"][0]["id"]
        assert who.call("DELETE", "/api/interview-days/%d" % day_id)[0] == 403
    # Applicant-only actions answer 403 to staff and faculty.
    for who in (demo.staff, demo.faculty[0]):
        assert book(who, slot)[0] == 403
        assert who.call("POST", "/api/cycles/%d/interview-booking/cancel"
                        % cid)[0] == 403
        assert who.call("POST", "/api/cycles/%d/interview-waitlist"
                        % cid)[0] == 403
    # Not invited, another cycle's slot, no such slot: 404 alike.
    for who, s in ((outsider, slot), (a, other_slot), (b, slot),
                   (a, 99999999)):
        status, _, reply = book(who, s)
        assert status == 404 and reply["error"]["code"] == "not_found"
        assert "invited" not in reply["error"]["message"]
    assert outsider.call("POST", "/api/cycles/%d/interview-waitlist"
                         % cid)[0] == 404
    assert outsider.call("POST", "/api/cycles/%d/interview-booking/cancel"
                         % cid)[0] == 404
    assert bookings(demo, slot) == 0 and bookings(demo, other_slot) == 0
    # Who is not invited sees nothing of the schedule.
    assert mine(outsider, cid) == {"invitation": None, "days": []}
    assert mine(demo.pool[3], cid) == {"invitation": None, "days": []}
    assert a.call("GET", "/api/cycles/999999/interview-days")[0] == 404


def test_invitations_are_mailed_once_and_all_or_nothing(demo):
    cid = new_cycle(demo)
    c0, c1, c2, c3 = demo.pool[4:8]
    ids = apply(demo, cid, [c0, c1, c2])
    apply(demo, cid, [c3], status="draft")
    other = new_cycle(demo)
    [foreign] = apply(demo, other, [c0])
    path = "/api/cycles/%d/interview-invitations" % cid
    # One bad id and nobody is invited.
    # Drafts and other cycles' applications: tests/ops.
    status, _, reply = demo.staff.call(
        "POST", path, {"application_ids": [ids[0], foreign]})
    assert status == 422, reply
    assert reply["error"]["field"] == "application_ids"
    assert str(foreign) in reply["error"]["message"]
    assert db_one(demo, "SELECT count(*) FROM interview_invitations WHERE "
                  "cycle_id = ?", (cid,))[0] == 0
    for body, code in (({"application_ids": []}, 422),
                       ({"application_ids": list(range(1, 202))}, 422),
                       ({"application_ids": ["1"]}, 400),
                       ({"application_ids": 5}, 400),
                       ({"application_ids": [ids[0]], "all": True}, 400)):
        assert demo.staff.call("POST", path, body)[0] == code
    assert demo.staff.call("POST", path, {"application_ids": [ids[0]]},
                           csrf=False)[0] == 403
    assert invite(demo, cid, [ids[0], ids[1]]) == {"invited": 2, "already": 0}
    assert invite(demo, cid, [ids[1], ids[2], ids[2]]) == \
        {"invited": 1, "already": 2}
    for k, n in ((4, 1), (5, 1), (6, 1)):
        [m] = mails_to(demo, email_of(k), "Subject: Interview invitation",
                       cid, n)
        assert "Interview cycle" in m
    assert len(mails_to(demo, email_of(5), "Subject: Interview invitation",
                        cid, 2, timeout=1)) == 1
    assert mails_to(demo, email_of(7), "Subject: Interview invitation",
                    cid, timeout=1) == []
    status, _, body = demo.staff.call("GET", path)
    assert status == 200
    rows = body["invitations"]
    assert sorted(r["application_id"] for r in rows) == sorted(ids)
    assert all(r["status"] == "invited" and r["slot_id"] is None
               for r in rows)
    # The invitee now sees the schedule (no days yet).
    body = mine(c0, cid)
    assert body["invitation"]["status"] == "invited" and body["days"] == []


def test_book_change_and_cancel(demo):
    cid = new_cycle(demo)
    a, b, c = demo.pool[8:11]
    ids = invited(demo, cid, [a, b, c])
    day = add_day(demo, cid, slots=[
        {"start": "09:00", "end": "10:00", "capacity": 1},
        {"start": "10:00", "end": "11:00", "capacity": 1},
        {"start": "11:00", "end": "12:00", "capacity": 1}])
    s1, s2, s3 = (s["id"] for s in day["slots"])
    # A slot is free: the waitlist is refused.
    status, _, reply = a.call("POST", "/api/cycles/%d/interview-waitlist"
                              % cid)
    assert status == 409 and "free" in reply["error"]["message"]
    status, _, body = book(a, s1)
    assert status == 200, body
    inv = body["invitation"]
    assert inv["status"] == "booked" and inv["slot_id"] == s1
    assert inv["slot"]["starts"] == "09:00" and inv["slot"]["day"] == \
        "2099-02-10"
    assert book(a, s1)[0] == 200                        # again: no change
    # Full slot while others are free: choose another slot.
    status, _, reply = book(b, s1)
    assert status == 409 and reply["error"]["code"] == "conflict"
    assert "another slot" in reply["error"]["message"]
    assert "waitlist" not in reply["error"]["message"]
    assert book(b, s2)[0] == 200
    # Change: a moves to s3, s1 is free again.
    status, _, body = book(a, s3)
    assert status == 200 and body["invitation"]["slot_id"] == s3
    assert bookings(demo, s1) == 0 and bookings(demo, s3) == 1
    assert db_one(demo, "SELECT count(*) FROM audit_log WHERE action = "
                  "'interview.change' AND object = ?",
                  ("application:%d" % ids[0],))[0] == 1
    assert book(c, s1)[0] == 200
    # Every slot full: now the waitlist is suggested.
    status, _, reply = book(a, s1)
    assert status == 409 and "every other slot" in reply["error"]["message"]
    status, _, reply = book(demo.pool[11], s1)  # not invited
    assert status == 404
    # Cancel frees the seat; cancelling twice is refused.
    status, _, body = a.call("POST", "/api/cycles/%d/interview-booking/cancel"
                             % cid)
    assert status == 200 and body["invitation"]["status"] == "invited"
    assert body["invitation"]["slot_id"] is None
    assert bookings(demo, s3) == 0
    status, _, reply = a.call(
        "POST", "/api/cycles/%d/interview-booking/cancel" % cid)
    assert status == 409 and "no interview slot" in reply["error"]["message"]
    # A slot that has started cannot be booked, nor left.
    con = demo.db()
    con.execute("UPDATE interview_slots SET starts_at = 1000 WHERE id = ?",
                (s3,))
    con.commit()
    status, _, reply = book(a, s3)
    assert status == 409 and "started" in reply["error"]["message"]
    con.execute("UPDATE interview_slots SET starts_at = 1000 WHERE id = ?",
                (s2,))
    con.commit()
    con.close()
    status, _, reply = b.call(
        "POST", "/api/cycles/%d/interview-booking/cancel" % cid)
    assert status == 409 and "started" in reply["error"]["message"]
    assert bookings(demo, s2) == 1
    # A past slot with a free seat does not count as free: the waitlist
    # is open to a.
    status, _, body = a.call("POST", "/api/cycles/%d/interview-waitlist"
                             % cid)
    assert status == 200 and body["invitation"]["status"] == "waitlisted"
    # A day with bookings is not deleted; an empty one is.
    status, _, reply = demo.staff.call("DELETE", "/api/interview-days/%d"
                                       % day["id"])
    assert status == 409
    empty = add_day(demo, cid, day="2099-02-11")
    # The new day's seats go to the waitlist straight away.
    assert mine(a, cid)["invitation"]["slot_id"] == empty["slots"][0]["id"]
    assert demo.staff.call("DELETE", "/api/interview-days/%d"
                           % empty["id"])[0] == 409
    third = add_day(demo, cid, day="2099-02-12")
    assert demo.staff.call("DELETE", "/api/interview-days/%d"
                           % third["id"])[0] == 204
    assert demo.staff.call("DELETE", "/api/interview-days/%d"
                           % third["id"])[0] == 404
    assert db_one(demo, "SELECT count(*) FROM interview_slots WHERE "
                  "day_id = ?", (third["id"],))[0] == 0


def test_waitlist_is_served_in_the_order_joined(demo):
    cid = new_cycle(demo)
    # c applies before b, so c's application id is lower: the order must
    # still be the order of joining the waitlist, not of ids.
    a, c, b = demo.pool[13], demo.pool[14], demo.pool[15]
    app_a, app_c, app_b = invited(demo, cid, [a, c, b])
    assert app_c < app_b
    slot = add_day(demo, cid, slots=[
        {"start": "08:00", "end": "09:00", "capacity": 1}])["slots"][0]["id"]
    assert book(a, slot)[0] == 200
    join = "/api/cycles/%d/interview-waitlist" % cid
    status, _, body = b.call("POST", join)
    assert status == 200, body
    assert body["invitation"]["status"] == "waitlisted"
    assert body["invitation"]["waitlist_position"] == 1
    status, _, body = c.call("POST", join)
    assert status == 200 and body["invitation"]["waitlist_position"] == 2
    assert c.call("POST", join)[2]["invitation"]["waitlist_position"] == 2
    status, _, reply = a.call("POST", join)
    assert status == 409 and "booked already" in reply["error"]["message"]
    staff = mine(demo.staff, cid)
    assert [w["application_id"] for w in staff["waitlist"]] == [app_b, app_c]
    assert [w["position"] for w in staff["waitlist"]] == [1, 2]
    # a cancels: b, first on the waitlist, is booked and mailed.
    assert a.call("POST", "/api/cycles/%d/interview-booking/cancel"
                  % cid)[0] == 200
    body = mine(b, cid)
    assert body["invitation"]["status"] == "booked"
    assert body["invitation"]["slot_id"] == slot
    [m] = mails_to(demo, email_of(15),
                   "Subject: Interview slot booked from the waitlist", cid)
    assert "Tuesday, 10 February 2099 at 08:00 (America/New_York)" in m
    body = mine(c, cid)
    assert body["invitation"]["status"] == "waitlisted"
    assert body["invitation"]["waitlist_position"] == 1
    # b cancels: c is next.
    assert b.call("POST", "/api/cycles/%d/interview-booking/cancel"
                  % cid)[0] == 200
    assert mine(c, cid)["invitation"]["slot_id"] == slot
    assert mails_to(demo, email_of(14),
                    "Subject: Interview slot booked from the waitlist", cid)
    assert mine(b, cid)["invitation"]["status"] == "invited"
    assert mine(demo.staff, cid)["waitlist"] == []
    # Leaving the waitlist.
    assert b.call("POST", join)[0] == 200
    status, _, body = b.call("DELETE", join)
    assert status == 200 and body["invitation"]["status"] == "invited"
    status, _, reply = b.call("DELETE", join)
    assert status == 409
    assert db_one(demo, "SELECT count(*) FROM audit_log WHERE action = "
                  "'interview.seat'")[0] >= 2


def test_faculty_never_see_a_conflicted_candidate(demo):
    cid = new_cycle(demo)
    a, b = demo.pool[16], demo.pool[17]
    app_a, app_b = invited(demo, cid, [a, b])
    slot = add_day(demo, cid)["slots"][0]["id"]
    assert book(a, slot)[0] == 200 and book(b, slot)[0] == 200
    name_a = a.user["name"]
    name_b = b.user["name"]
    f1 = db_one(demo, "SELECT id FROM users WHERE email = ?",
                ("faculty1@demo.test",))[0]
    con = demo.db()
    con.execute("INSERT INTO conflicts (application_id, faculty_id, reason, "
                "recorded_by) VALUES (?, ?, 'Home resident', ?)",
                (app_a, f1, f1))
    con.commit()
    con.close()
    raw = mine(demo.faculty[0], cid)
    assert name_a not in json.dumps(raw, ensure_ascii=False)
    [s] = raw["days"][0]["slots"]
    assert s["bookings"] == [{"application_id": app_b, "candidate": name_b}]
    assert s["booked"] == 1
    assert "waitlist" not in raw and "invitations" not in raw
    # Another rater and the staff see both.
    body = mine(demo.faculty[1], cid)
    assert len(body["days"][0]["slots"][0]["bookings"]) == 2
    body = mine(demo.staff, cid)
    assert body["days"][0]["slots"][0]["booked"] == 2
    assert {r["candidate"] for r in body["invitations"]} == {name_a, name_b}


def test_applicants_see_free_seats_never_other_candidates(demo):
    cid = new_cycle(demo)
    a, b = demo.pool[18], demo.pool[19]
    invited(demo, cid, [a, b])
    day = add_day(demo, cid, slots=[
        {"start": "09:00", "end": "10:00", "capacity": 2},
        {"start": "10:00", "end": "11:00", "capacity": 1}])
    s1 = day["slots"][0]["id"]
    assert book(a, s1)[0] == 200
    body = mine(b, cid)
    text = json.dumps(body, ensure_ascii=False)
    assert a.user["name"] not in text and a.user["email"] not in text
    assert body["invitation"]["status"] == "invited"
    assert body["invitation"]["waitlist_position"] is None
    [d] = body["days"]
    assert set(d) == {"id", "day", "location", "slots"}
    assert [set(s) for s in d["slots"]] == \
        [{"id", "starts", "ends", "starts_at", "open", "free"}] * 2
    assert [s["free"] for s in d["slots"]] == [1, 1]
    assert all(s["open"] for s in d["slots"])


def test_concurrent_booking_never_overbooks(demo):
    cid = new_cycle(demo)
    clients = demo.pool[:20]
    invited(demo, cid, clients)
    day = add_day(demo, cid, slots=[
        {"start": "09:00", "end": "10:00", "capacity": 3},
        {"start": "10:00", "end": "11:00", "capacity": 3}])
    s1, s2 = (s["id"] for s in day["slots"])

    # Twenty book the first slot at once: exactly three get it.
    statuses = at_once([lambda c=c: book(c, s1)[0] for c in clients])
    assert sorted(statuses) == [200] * 3 + [409] * 17, statuses
    assert bookings(demo, s1) == 3
    first = [c for c, s in zip(clients, statuses) if s == 200]
    rest = [c for c, s in zip(clients, statuses) if s != 200]

    # The seventeen others rush the second slot.
    statuses = at_once([lambda c=c: book(c, s2)[0] for c in rest])
    assert sorted(statuses) == [200] * 3 + [409] * 14, statuses
    assert bookings(demo, s2) == 3
    second = [c for c, s in zip(rest, statuses) if s == 200]
    waiting = [c for c, s in zip(rest, statuses) if s != 200]

    # Every seat is taken: the fourteen join the waitlist at once.
    statuses = at_once([
        lambda c=c: c.call("POST", "/api/cycles/%d/interview-waitlist"
                           % cid)[0] for c in waiting])
    assert statuses == [200] * 14, statuses
    order = [w["application_id"] for w in mine(demo.staff, cid)["waitlist"]]
    assert len(order) == 14

    # Cancellations and bookings race: the three on slot 1 cancel while
    # the whole waitlist tries to book slot 1 and those on slot 2 try to
    # move there. Nobody overbooks, nobody gets a server error.
    calls = [lambda c=c: c.call(
        "POST", "/api/cycles/%d/interview-booking/cancel" % cid)[0]
        for c in first]
    calls += [lambda c=c: book(c, s1)[0] for c in waiting + second]
    statuses = at_once(calls)
    assert statuses[:3] == [200] * 3, statuses
    assert set(statuses[3:]) <= {200, 409}, statuses
    assert bookings(demo, s1) == 3 and bookings(demo, s2) <= 3
    # The seats freed on slot 2 by movers went to the waitlist, so the
    # waitlist waits only while every seat is taken.
    seats = db_one(demo, "SELECT count(*) FROM interview_invitations WHERE "
                   "cycle_id = ? AND slot_id IS NOT NULL", (cid,))[0]
    waitlisted = db_one(demo, "SELECT count(*) FROM interview_invitations "
                        "WHERE cycle_id = ? AND waitlisted_at IS NOT NULL",
                        (cid,))[0]
    assert seats == 6
    assert seats + waitlisted + 3 == 20  # the three who cancelled
    # Per slot, never more than its capacity, and the trigger holds even
    # against a write that skips the server's checks.
    con = demo.db()
    spare = con.execute(
        "SELECT application_id FROM interview_invitations WHERE cycle_id = ? "
        "AND slot_id IS NULL LIMIT 1", (cid,)).fetchone()[0]
    with pytest.raises(con.IntegrityError):
        con.execute("UPDATE interview_invitations SET slot_id = ?, "
                    "waitlisted_at = NULL WHERE application_id = ?",
                    (s1, spare))
    con.rollback()
    con.close()
    assert bookings(demo, s1) == 3


def test_concurrent_booking_of_the_last_seats_across_two_slots(demo):
    cid = new_cycle(demo)
    clients = demo.pool[:20]
    invited(demo, cid, clients)
    day = add_day(demo, cid, slots=[
        {"start": "14:00", "end": "15:00", "capacity": 2},
        {"start": "15:00", "end": "16:00", "capacity": 2}])
    s1, s2 = (s["id"] for s in day["slots"])
    # Ten try one slot and ten the other, all at once; then everyone
    # tries the other slot once more.
    targets = [s1 if k % 2 == 0 else s2 for k in range(20)]
    statuses = at_once([lambda c=c, s=s: book(c, s)[0]
                             for c, s in zip(clients, targets)])
    assert statuses.count(200) == 4 and statuses.count(409) == 16, statuses
    statuses = at_once([
        lambda c=c, s=s: book(c, s2 if s == s1 else s1)[0]
        for c, s in zip(clients, targets)])
    assert set(statuses) <= {200, 409}, statuses
    assert bookings(demo, s1) == 2 and bookings(demo, s2) == 2


def test_withdrawing_frees_the_seat_for_the_waitlist(demo):
    cid = new_cycle(demo)
    a, b = demo.pool[16], demo.pool[18]
    app_a, app_b = invited(demo, cid, [a, b])
    slot = add_day(demo, cid, day="2099-02-12", slots=[
        {"start": "08:00", "end": "09:00", "capacity": 1}])["slots"][0]["id"]
    assert book(a, slot)[0] == 200
    assert b.call("POST", "/api/cycles/%d/interview-waitlist" % cid)[0] == 200
    status, _, body = a.call("POST", "/api/applications/%d/withdraw" % app_a)
    assert status == 200, body
    # a's seat went to b, who is mailed; a is off the schedule.
    assert mine(b, cid)["invitation"]["slot_id"] == slot
    # Queued for b (delivery may lag behind the mail of earlier tests).
    con = demo.db()
    bodies = [m for (m,) in con.execute(
        "SELECT body FROM outbox WHERE to_addr = ? AND subject = "
        "'Interview slot booked from the waitlist'", (email_of(18),))]
    con.close()
    assert sum("/#/apply/%d\n" % cid in m for m in bodies) == 1
    assert bookings(demo, slot) == 1
    staff = mine(demo.staff, cid)
    assert staff["waitlist"] == []
