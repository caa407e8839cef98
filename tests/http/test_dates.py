"""The product on any day: the time-sensitive behaviour, run on a server
whose clock starts at several dates from 2026-01-01 to 2028-12-31 and is
then moved across deadlines (tests/lib/server.py, clock= and
set_clock()).

At each date, the demo data (seeded relative to the clock) is served; the
mail process sends the automatic reminder to the raters with missing
screening sheets once before the scoring deadline and once, worded as
overdue, after it, and nothing more; sessions end by the clock; and an
applicant can edit until the application deadline (in the cycle's time
zone) and not after it.
"""
import time

import pytest

from server import Client, instant

DATES = ["2026-01-01T00:00:00Z",      # a year's first second
         "2027-03-13T20:00:00Z",      # the day before New York's DST
         "2028-02-29T12:00:00Z",      # a leap day
         "2028-12-31T23:30:00Z"]      # 18:30 in New York, a year's end
HOUR = 3600
DAY = 86400
REMINDER = "Subject: Reminder: score sheets to submit"
OVERDUE = "Subject: Overdue: score sheets to submit"


def signed_in(srv, email, password=None):
    c = Client(srv.url)
    status, body = (c.login(email) if password is None
                    else c.login(email, password))
    assert status == 200, body
    return c


def count(srv, subject):
    return sum(1 for m in srv.mails() if subject in m)


def wait_for(srv, subject, n, timeout=15):
    deadline = time.time() + timeout
    while count(srv, subject) < n and time.time() < deadline:
        time.sleep(0.2)
    return count(srv, subject)


def move(srv, when):
    """Moves the server's clock; every process reads it within a
    second."""
    srv.set_clock(when)
    time.sleep(1.2)


def one(srv, sql, args=()):
    con = srv.db()
    try:
        return con.execute(sql, args).fetchone()[0]
    finally:
        con.close()


def quiet(srv, seconds=2.5):
    """Long enough for the mail process to act (it looks every second of
    the real clock, and reads a moved clock within a second)."""
    time.sleep(seconds)


def raters_missing_screening(srv, cycle):
    con = srv.db()
    try:
        (n,) = con.execute(
            "SELECT count(DISTINCT a.faculty_id) FROM assignments a "
            "JOIN applications ap ON ap.id = a.application_id "
            "WHERE a.cycle_id = ? AND a.phase = 'screening' AND "
            "ap.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM "
            "score_sheets s WHERE s.application_id = a.application_id "
            "AND s.rater_id = a.faculty_id AND s.phase = 'screening' AND "
            "s.status = 'submitted')", (cycle,)).fetchone()
    finally:
        con.close()
    return n


@pytest.mark.parametrize("start", DATES)
def test_deadlines_reminders_and_sessions_on_any_day(start, make_server):
    srv = make_server(demo=True, clock=start).start()
    t0 = instant(start)

    # The demo is seeded relative to the clock: this year's cycle is in
    # review, next year's open; the names follow the year.
    d = signed_in(srv, "director@demo.test")
    status, _, body = d.call("GET", "/api/cycles")
    assert status == 200
    states = {c["state"]: c for c in body["cycles"]}
    review, open_ = states["review"], states["open"]
    year = time.gmtime(t0).tm_year
    assert review["name"].endswith(str(year + 1)), review["name"]
    assert open_["accepting_applications"] is True
    due_at = one(srv, "SELECT scoring_due_at FROM phases WHERE cycle_id = ? "
                 "AND phase = 'screening'", (review["id"],))
    assert t0 < due_at < t0 + 6 * DAY, (start, due_at)
    missing = raters_missing_screening(srv, review["id"])
    assert missing > 0

    # A session ends by the clock: idle for more than two hours.
    assert d.call("GET", "/api/me")[0] == 200

    # Days before the deadline: no reminder yet.
    quiet(srv)
    assert count(srv, REMINDER) == 0 and count(srv, OVERDUE) == 0

    # Within 48 hours of it: the reminder, once per rater.
    move(srv, due_at - DAY)
    assert d.call("GET", "/api/me")[0] == 401
    assert wait_for(srv, REMINDER, missing) == missing
    # Past it: the overdue reminder, once per rater, and never another
    # "due" reminder.
    move(srv, due_at + HOUR)
    assert wait_for(srv, OVERDUE, missing) == missing
    move(srv, due_at + 3 * DAY)
    quiet(srv)
    assert count(srv, REMINDER) == missing
    assert count(srv, OVERDUE) == missing
    overdue = [m for m in srv.mails() if OVERDUE in m]
    assert all("deadline has passed" in m for m in overdue)

    # An applicant edits until the application deadline, in the cycle's
    # time zone, and not after it.
    a = Client(srv.url)
    email, password = "new.applicant@example.org", "a long enough passphrase 1"
    status, _ = a.call("POST", "/api/register", {
        "email": email, "password": password, "name": "New Applicant"})[:2]
    assert status == 201
    path = "/api/cycles/%d/application" % open_["id"]
    status, _, body = a.call("GET", path)
    assert status == 200 and body["application"]["editable"] is True
    assert a.call("PUT", path, {"fields": {"first_name": "Noa"}})[0] == 200
    close_at = one(srv, "SELECT close_at FROM cycles WHERE id = ?",
                   (open_["id"],))
    move(srv, close_at - 60)
    a = signed_in(srv, email, password)
    assert a.call("PUT", path, {"fields": {"last_name": "Levi"}})[0] == 200
    move(srv, close_at + 60)
    a = signed_in(srv, email, password)
    status, _, body = a.call("GET", path)
    assert status == 200 and body["application"]["editable"] is False
    assert a.call("PUT", path, {"fields": {"last_name": "X"}})[0] == 403
