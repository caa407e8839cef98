"""Accounts and sessions against the real server: sign-up, sign-in and
sign-out, CSRF, session fixation, disabling and role changes,
invitations, password reset and change, the setup link, rehashing, and
the audit records all of these leave. The rules themselves (session
expiry, link expiry, how many reset mails an address gets, who may change
whose role) are tested in tests/ops/test_accounts.c."""
import ctypes
import ctypes.util
import json
import re
import statistics
import time

import pytest

from server import DEMO_PASSWORD, Client, Server, request

NEW_PW = "a sturdy new passphrase 42"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    yield srv
    _stop_and_check(srv)


def signed_in(srv, email, password=DEMO_PASSWORD):
    c = Client(srv.url)
    status, body = c.login(email, password)
    assert status == 200, body
    return c


def audit_actions(srv):
    con = srv.db()
    try:
        return [a for (a,) in con.execute(
            "SELECT action FROM audit_log ORDER BY id")]
    finally:
        con.close()


def count_users(srv):
    con = srv.db()
    try:
        return con.execute("SELECT count(*) FROM users").fetchone()[0]
    finally:
        con.close()


def link_token(mail, kind):
    m = re.search(r"/#/%s/([A-Za-z0-9_-]{43})" % kind, mail)
    assert m, mail
    return m.group(1)


# Registration -------------------------------------------------------------

def test_register_creates_a_signed_in_applicant(demo):
    c = Client(demo.url)
    status, h, body = c.call("POST", "/api/register", {
        "email": "new.applicant@example.org", "password": NEW_PW,
        "name": "Dr. New Applicant"})
    assert status == 201, body
    assert body["user"]["role"] == "applicant"
    cookie = h["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/" in cookie and "Domain" not in cookie
    assert "Secure" not in cookie  # plain HTTP in development
    status, _, me = c.call("GET", "/api/me")
    assert status == 200 and me["user"]["email"] == \
        "new.applicant@example.org"
    assert me["csrf_token"] == body["csrf_token"]


def test_register_refusals_name_the_field_and_change_nothing(demo):
    before = count_users(demo)
    cases = [
        ({"email": "nope", "password": NEW_PW, "name": "X"}, 422, "email"),
        ({"email": "a1@example.org", "password": "short", "name": "X"},
         422, "password"),
        ({"email": "a2@example.org", "password": "password123456",
          "name": "X"}, 422, "password"),
        ({"email": "a3@example.org", "password": "x" * 300, "name": "X"},
         422, "password"),
        ({"email": "a4@example.org", "password": NEW_PW, "name": ""}, 422,
         "name"),
        ({"email": "director@demo.test", "password": NEW_PW, "name": "X"},
         409, "email"),
    ]
    for body, status, field in cases:
        got, _, reply = request(demo.url, "POST", "/api/register",
                                body=body)
        assert got == status, (body, reply)
        assert reply["error"]["field"] == field, reply
    assert count_users(demo) == before


def test_malformed_bodies_are_4xx_json_and_change_nothing(demo):
    before = count_users(demo)
    bad = [
        (b'{"email": "x@example.org", "password"', "application/json", 400),
        (b'[1, 2]', "application/json", 400),
        (b'{"email":"a@example.org","email":"b@example.org",'
         b'"password":"long enough pw","name":"X"}', "application/json",
         400),
        (b'{"email":"c@example.org","password":"long enough pw",'
         b'"name":"X","role":"director"}', "application/json", 400),
        (b'{"email":5,"password":"long enough pw","name":"X"}',
         "application/json", 400),
        (b'email=x', "application/x-www-form-urlencoded", 415),
        (b'{"a":"' + b"x" * 70000 + b'"}', "application/json", 413),
    ]
    for raw, ctype, status in bad:
        got, h, reply = request(demo.url, "POST", "/api/register", raw=raw,
                                headers={"Content-Type": ctype})
        assert got == status, (raw[:40], reply)
        assert h["Content-Type"].startswith("application/json")
        assert set(reply["error"]) >= {"code", "message"}
    assert count_users(demo) == before


# Sign-in ------------------------------------------------------------------

def test_unknown_email_and_wrong_password_answer_alike(demo):
    a = request(demo.url, "POST", "/api/login",
                body={"email": "nobody@example.org", "password": NEW_PW})
    b = request(demo.url, "POST", "/api/login",
                body={"email": "faculty2@demo.test", "password": NEW_PW})
    assert a[0] == b[0] == 401
    assert a[2] == b[2]
    assert a[2]["error"]["code"] == "invalid_credentials"


@pytest.mark.serial
def test_unknown_email_costs_a_hash_like_a_wrong_password(demo):
    def timed(email):
        t = time.monotonic()
        request(demo.url, "POST", "/api/login",
                body={"email": email, "password": "not the password 1"})
        return time.monotonic() - t
    # Two different accounts so that neither is throttled by the samples.
    unknown = statistics.median(timed("ghost%d@example.org" % i)
                                for i in range(3))
    wrong = statistics.median(timed(e) for e in
                              ("faculty3@demo.test", "faculty4@demo.test",
                               "faculty5@demo.test"))
    # Both verify an Argon2id hash (~0.1 s); a lookup alone takes ~1 ms.
    assert 0.5 < unknown / wrong < 2.0, (unknown, wrong)


def test_login_returns_the_user_and_a_csrf_token(demo):
    c = Client(demo.url)
    status, body = c.login("coordinator@demo.test")
    assert status == 200
    assert body["user"] == {"id": body["user"]["id"],
                            "email": "coordinator@demo.test",
                            "name": "Sam Okafor", "role": "coordinator",
                            "admin": False, "program_id": 1}
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", body["csrf_token"])
    assert "login" in audit_actions(demo)


def test_a_cookie_set_before_login_is_not_accepted_after(demo):
    c = Client(demo.url)
    planted = "A" * 43
    status, _, _ = c.call("GET", "/api/me",
                          headers={"Cookie": "fellowship_session=" + planted})
    assert status == 401
    status, _, _ = c.call("POST", "/api/login",
                          {"email": "faculty6@demo.test",
                           "password": DEMO_PASSWORD},
                          headers={"Cookie": "fellowship_session=" + planted})
    assert status == 200
    assert c.cookie() != planted
    status, _, _ = request(demo.url, "GET", "/api/me", headers={
        "Cookie": "fellowship_session=" + planted})
    assert status == 401


def test_each_login_gets_a_new_token(demo):
    a = signed_in(demo, "faculty6@demo.test")
    b = signed_in(demo, "faculty6@demo.test")
    assert a.cookie() != b.cookie() and a.csrf != b.csrf


def test_session_token_is_stored_only_as_a_hash(demo):
    c = signed_in(demo, "faculty6@demo.test")
    con = demo.db()
    rows = con.execute("SELECT token_hash, csrf_token FROM sessions"
                       ).fetchall()
    con.close()
    assert all(c.cookie().encode() not in bytes(h) for h, _ in rows)
    assert all(len(h) == 32 for h, _ in rows)


# CSRF, logout, expiry ------------------------------------------------------

def test_state_changing_requests_need_the_csrf_token(demo):
    c = signed_in(demo, "director@demo.test")
    body = {"email": "csrf.test@example.org", "name": "X", "role": "faculty"}
    status, _, reply = c.call("POST", "/api/users", body, csrf=False)
    assert status == 403 and reply["error"]["code"] == "csrf"
    status, _, reply = c.call("POST", "/api/users", body,
                              headers={"X-CSRF-Token": "B" * 43})
    assert status == 403 and reply["error"]["code"] == "csrf"
    status, _, _ = c.call("GET", "/api/users", csrf=False)
    assert status == 200
    con = demo.db()
    assert con.execute("SELECT count(*) FROM users WHERE email = "
                       "'csrf.test@example.org'").fetchone()[0] == 0
    con.close()


def test_logout_revokes_the_session(demo):
    c = signed_in(demo, "faculty5@demo.test")
    token = c.cookie()
    status, _, _ = c.call("POST", "/api/logout", csrf=False)
    assert status == 403
    status, h, _ = c.call("POST", "/api/logout")
    assert status == 204
    assert "Max-Age=0" in h["Set-Cookie"]
    status, _, _ = request(demo.url, "GET", "/api/me", headers={
        "Cookie": "fellowship_session=" + token})
    assert status == 401


# Disabling and role changes ------------------------------------------------

def test_disabling_ends_sessions_at_once_and_blocks_sign_in(demo):
    staff = signed_in(demo, "coordinator@demo.test")
    victim = signed_in(demo, "faculty3@demo.test")
    vid = victim.user["id"]
    status, _, body = staff.call("PATCH", "/api/users/%d" % vid,
                                 {"disabled": True})
    assert status == 200 and body["user"]["disabled"] is True
    assert victim.call("GET", "/api/me")[0] == 401
    status, body = Client(demo.url).login("faculty3@demo.test")
    assert status == 403
    status, _, _ = staff.call("PATCH", "/api/users/%d" % vid,
                              {"disabled": False})
    assert status == 200
    assert Client(demo.url).login("faculty3@demo.test")[0] == 200
    actions = audit_actions(demo)
    assert "user.disable" in actions and "user.enable" in actions


def test_role_change_ends_sessions_and_takes_effect(demo):
    director = signed_in(demo, "director@demo.test")
    target = signed_in(demo, "faculty2@demo.test")
    tid = target.user["id"]
    status, _, body = director.call("PATCH", "/api/users/%d" % tid,
                                    {"role": "coordinator"})
    assert status == 200 and body["user"]["role"] == "coordinator"
    assert target.call("GET", "/api/me")[0] == 401
    again = signed_in(demo, "faculty2@demo.test")
    assert again.user["role"] == "coordinator"
    assert again.call("GET", "/api/users")[0] == 200
    director.call("PATCH", "/api/users/%d" % tid, {"role": "faculty"})
    assert "user.role" in audit_actions(demo)


def test_account_management_rules(demo):
    coord = signed_in(demo, "coordinator@demo.test")
    director = signed_in(demo, "director@demo.test")
    did, cid = director.user["id"], coord.user["id"]
    cases = [
        (coord, did, {"disabled": True}, 403),       # a director's account
        (coord, 3, {"role": "director"}, 403),       # making a director
        (coord, cid, {"role": "faculty"}, 403),      # own role
        (director, did, {"disabled": True}, 403),    # own account
        (director, 999999, {"disabled": True}, 404),
        (director, 3, {"role": "king"}, 422),
        (director, 3, {}, 400),
        (director, 3, {"disabled": "yes"}, 400),
    ]
    for client, uid, body, status in cases:
        got, _, reply = client.call("PATCH", "/api/users/%d" % uid, body)
        assert got == status, (body, reply)
    status, _, _ = coord.call("POST", "/api/users", {
        "email": "new.director@example.org", "name": "X",
        "role": "director"})
    assert status == 403
    status, _, reply = coord.call("POST", "/api/users", {
        "email": "an.applicant@example.org", "name": "X",
        "role": "applicant"})
    assert status == 422 and reply["error"]["field"] == "role"


# Invitations --------------------------------------------------------------

def test_invitation_is_mailed_and_accepted_once(demo):
    director = signed_in(demo, "director@demo.test")
    before = len(demo.mails())
    status, _, body = director.call("POST", "/api/users", {
        "email": "invited@example.org", "name": "Dr. Invited",
        "role": "faculty"})
    assert status == 201
    assert body["user"]["active"] is False
    mails = demo.mails(wait_for=before + 1)
    mail = mails[-1]
    assert "To: <invited@example.org>" in mail
    assert "Subject: Your invitation to Fellowship selection" in mail
    token = link_token(mail, "invite")

    # No password yet: signing in fails like any wrong password.
    assert Client(demo.url).login("invited@example.org", NEW_PW)[0] == 401

    c = Client(demo.url)
    status, _, reply = c.call("POST", "/api/invitations/accept",
                              {"token": token, "password": "short"})
    assert status == 422 and reply["error"]["field"] == "password"
    status, _, reply = c.call("POST", "/api/invitations/accept",
                              {"token": token, "password": NEW_PW})
    assert status == 200, reply
    assert reply["user"]["role"] == "faculty"
    assert c.call("GET", "/api/me")[0] == 200
    status, _, reply = Client(demo.url).call(
        "POST", "/api/invitations/accept",
        {"token": token, "password": NEW_PW + "x"})
    assert status == 400 and reply["error"]["code"] == "invalid_token"
    assert Client(demo.url).login("invited@example.org", NEW_PW)[0] == 200
    assert "invitation.accept" in audit_actions(demo)


def test_expired_or_forged_invitation_is_refused(demo):
    director = signed_in(demo, "director@demo.test")
    before = len(demo.mails())
    director.call("POST", "/api/users", {
        "email": "late@example.org", "name": "Dr. Late", "role": "faculty"})
    token = link_token(demo.mails(wait_for=before + 1)[-1], "invite")
    con = demo.db()
    con.execute("UPDATE tokens SET expires_at = 0 WHERE kind = 'invite'")
    con.commit()
    con.close()
    for t in (token, "x" * 43, "short", "../../etc/passwd"):
        status, _, reply = request(demo.url, "POST",
                                   "/api/invitations/accept",
                                   body={"token": t, "password": NEW_PW})
        assert status == 400 and reply["error"]["code"] == "invalid_token"


# Password reset and change -------------------------------------------------

def test_forgot_answers_alike_and_mails_only_real_accounts(demo):
    before = len(demo.mails())
    a = request(demo.url, "POST", "/api/password/forgot",
                body={"email": "nobody@example.org"})
    b = request(demo.url, "POST", "/api/password/forgot",
                body={"email": "faculty1@demo.test"})
    assert a[0] == b[0] == 202 and a[2] == b[2]
    mails = demo.mails(wait_for=before + 1)
    time.sleep(1.5)
    mails = demo.mails()
    assert len(mails) == before + 1
    assert "To: <faculty1@demo.test>" in mails[-1]


def test_reset_sets_the_password_once_and_ends_other_sessions(demo):
    email = "faculty1@demo.test"
    old = signed_in(demo, email)
    before = len(demo.mails())
    request(demo.url, "POST", "/api/password/forgot", body={"email": email})
    token = link_token(demo.mails(wait_for=before + 1)[-1], "reset")
    c = Client(demo.url)
    status, _, reply = c.call("POST", "/api/password/reset",
                              {"token": token, "password": NEW_PW})
    assert status == 200, reply
    assert old.call("GET", "/api/me")[0] == 401
    assert c.call("GET", "/api/me")[0] == 200
    assert Client(demo.url).login(email, DEMO_PASSWORD)[0] == 401
    assert Client(demo.url).login(email, NEW_PW)[0] == 200
    status, _, reply = request(demo.url, "POST", "/api/password/reset",
                               body={"token": token, "password": NEW_PW})
    assert status == 400
    # Put the demo password back for the other tests.
    request(demo.url, "POST", "/api/password/forgot", body={"email": email})
    token = link_token(demo.mails(wait_for=before + 2)[-1], "reset")
    assert request(demo.url, "POST", "/api/password/reset",
                   body={"token": token, "password": DEMO_PASSWORD}
                   )[0] == 200


def test_password_change_checks_the_current_one(demo):
    email = "faculty6@demo.test"
    other = signed_in(demo, email)
    c = signed_in(demo, email)
    status, _, reply = c.call("PUT", "/api/me/password", {
        "current_password": "wrong password here",
        "new_password": NEW_PW})
    assert status == 422 and reply["error"]["field"] == "current_password"
    status, _, reply = c.call("PUT", "/api/me/password", {
        "current_password": DEMO_PASSWORD, "new_password": "tooshort"})
    assert status == 422 and reply["error"]["field"] == "new_password"
    status, _, _ = c.call("PUT", "/api/me/password", {
        "current_password": DEMO_PASSWORD, "new_password": NEW_PW})
    assert status == 200
    assert c.call("GET", "/api/me")[0] == 200
    assert other.call("GET", "/api/me")[0] == 401
    c.call("PUT", "/api/me/password", {"current_password": NEW_PW,
                                       "new_password": DEMO_PASSWORD})


# Rehash -------------------------------------------------------------------

def test_login_rehashes_a_hash_made_with_older_limits(demo):
    sodium = ctypes.CDLL(ctypes.util.find_library("sodium"))
    assert sodium.sodium_init() >= 0
    out = ctypes.create_string_buffer(128)
    pw = b"an older hashed passphrase"
    # Weaker limits than the server's (opslimit 1, 8 MiB).
    assert sodium.crypto_pwhash_str(out, pw, ctypes.c_ulonglong(len(pw)),
                                    ctypes.c_ulonglong(1),
                                    ctypes.c_size_t(8 << 20)) == 0
    old = out.value.decode()
    con = demo.db()
    con.execute("INSERT INTO users (email, name, role, password_hash) "
                "VALUES ('old.hash@example.org', 'Old', 'faculty', ?)",
                (old,))
    con.commit()
    con.close()
    assert Client(demo.url).login("old.hash@example.org",
                                  pw.decode())[0] == 200
    con = demo.db()
    new = con.execute("SELECT password_hash FROM users WHERE email = "
                      "'old.hash@example.org'").fetchone()[0]
    detail = con.execute("SELECT detail FROM audit_log WHERE action = "
                         "'login' ORDER BY id DESC LIMIT 1").fetchone()[0]
    con.close()
    assert new != old and new.startswith("$argon2id$")
    assert json.loads(detail)["rehashed"] is True
    assert Client(demo.url).login("old.hash@example.org",
                                  pw.decode())[0] == 200


# The first director -------------------------------------------------------

def test_setup_link_creates_the_first_director_once(make_server):
    srv = make_server().start()
    m = re.search(r"/#/setup/([A-Za-z0-9_-]{43})", srv.read_log())
    assert m, srv.read_log()
    token = m.group(1)
    body = {"token": token, "email": "chief@example.org",
            "name": "Dr. Chief", "password": NEW_PW}
    status, _, reply = request(srv.url, "POST", "/api/setup",
                               body=dict(body, password="short"))
    assert status == 422
    c = Client(srv.url)
    status, _, reply = c.call("POST", "/api/setup", body)
    assert status == 201, reply
    assert reply["user"]["role"] == "director"
    status, _, _ = request(srv.url, "POST", "/api/setup",
                           body=dict(body, email="second@example.org"))
    assert status == 400
    seen = len(srv.stop())
    srv.start()
    # What the restarted server wrote: no setup link any more.
    assert "/#/setup/" not in srv.read_log()[seen:]


# Audit, users, outbox listings ---------------------------------------------

def test_listings_paginate(demo):
    c = signed_in(demo, "director@demo.test")
    status, _, page1 = c.call("GET", "/api/audit?limit=2")
    assert status == 200 and len(page1["entries"]) == 2
    status, _, page2 = c.call("GET", "/api/audit?limit=2&before=%d" %
                              page1["next_before"])
    assert page2["entries"][0]["id"] < page1["entries"][-1]["id"]
    status, _, users = c.call("GET", "/api/users?limit=3")
    assert len(users["users"]) == 3 and users["next_after"] == \
        users["users"][-1]["id"]
    status, _, more = c.call("GET", "/api/users?limit=3&after=%d" %
                             users["next_after"])
    assert more["users"][0]["id"] > users["next_after"]
    # Out of range: refused. Not a number: dropped by the route's params
    # validator, so the default applies.
    assert c.call("GET", "/api/audit?limit=0")[0] == 400
    assert c.call("GET", "/api/audit?limit=9999")[0] == 400
    assert c.call("GET", "/api/users?limit=501")[0] == 400
    status, _, reply = c.call("GET", "/api/audit?before=abc&limit=x")
    assert status == 200 and len(reply["entries"]) == min(
        50, len(reply["entries"]))


def test_outbox_shows_status_but_not_bodies_when_mail_is_sent(demo):
    # A message of its own: the demo's data holds none to send.
    assert request(demo.url, "POST", "/api/password/forgot",
                   body={"email": "faculty3@demo.test"})[0] in (200, 202)
    c = signed_in(demo, "director@demo.test")
    status, _, reply = c.call("GET", "/api/outbox")
    assert status == 200 and reply["held"] is False
    assert reply["messages"]
    assert all("body" not in m for m in reply["messages"])
    assert {m["status"] for m in reply["messages"]} <= {"sent", "pending"}


def test_outbox_keeps_mail_readable_when_held(make_server):
    srv = make_server(demo=True, env={"SENDMAIL": "none"}).start()
    c = signed_in(srv, "director@demo.test")
    c.call("POST", "/api/users", {"email": "held@example.org",
                                  "name": "Dr. Held", "role": "faculty"})
    status, _, reply = c.call("GET", "/api/outbox")
    assert reply["held"] is True
    [m] = reply["messages"]
    assert m["status"] == "pending" and "/#/invite/" in m["body"]
    assert srv.mails() == []


def test_failed_delivery_is_retried_and_visible(make_server):
    import os
    srv = make_server(demo=True).start()
    os.makedirs(srv.mail_dir, exist_ok=True)
    open(os.path.join(srv.mail_dir, "FAIL"), "w").close()
    c = signed_in(srv, "director@demo.test")
    c.call("POST", "/api/users", {"email": "bounce@example.org",
                                  "name": "Dr. Bounce", "role": "faculty"})
    deadline = time.time() + 10
    while time.time() < deadline:
        [m] = c.call("GET", "/api/outbox")[2]["messages"]
        if m["attempts"] >= 1:
            break
        time.sleep(0.2)
    assert m["status"] == "pending" and m["attempts"] == 1
    assert "exited with 75" in m["last_error"]
    # The next attempt waits (backoff); make it due now and let it through.
    os.unlink(os.path.join(srv.mail_dir, "FAIL"))
    con = srv.db()
    con.execute("UPDATE outbox SET next_attempt_at = 0")
    con.commit()
    con.close()
    assert len(srv.mails(wait_for=1)) == 1
    deadline = time.time() + 10
    while time.time() < deadline:
        [m] = c.call("GET", "/api/outbox")[2]["messages"]
        if m["status"] != "pending":
            break
        time.sleep(0.1)
    assert m["status"] == "sent" and m["attempts"] == 2


def test_password_change_voids_pending_reset_links(demo):
    email = "faculty5@demo.test"
    before = len(demo.mails())
    request(demo.url, "POST", "/api/password/forgot", body={"email": email})
    token = link_token(demo.mails(wait_for=before + 1)[-1], "reset")
    c = signed_in(demo, email)
    assert c.call("PUT", "/api/me/password", {
        "current_password": DEMO_PASSWORD, "new_password": NEW_PW})[0] == 200
    status, _, _ = request(demo.url, "POST", "/api/password/reset",
                           body={"token": token, "password": "x" + NEW_PW})
    assert status == 400
    c.call("PUT", "/api/me/password", {"current_password": NEW_PW,
                                       "new_password": DEMO_PASSWORD})


@pytest.mark.abuse
def test_held_mail_is_refused_outside_demo_mode(make_server):
    """SENDMAIL=none keeps mail in the outbox, which shows it only in demo
    mode: a real installation with it would never deliver an invitation,
    so the server refuses to start and says why."""
    srv = make_server(env={"SENDMAIL": "none"})
    with pytest.raises(Exception):
        srv.start()
    assert "SENDMAIL=none holds all mail" in srv.read_log()
    srv.proc = None


def demo_hash():
    sodium = ctypes.CDLL(ctypes.util.find_library("sodium"))
    assert sodium.sodium_init() >= 0
    out = ctypes.create_string_buffer(128)
    pw = DEMO_PASSWORD.encode()
    assert sodium.crypto_pwhash_str(out, pw, ctypes.c_ulonglong(len(pw)),
                                    ctypes.c_ulonglong(2),
                                    ctypes.c_size_t(64 << 20)) == 0
    return out.value.decode()


def test_invitation_can_be_sent_again(demo):
    director = signed_in(demo, "director@demo.test")
    coord = signed_in(demo, "coordinator@demo.test")
    before = len(demo.mails())
    status, _, body = director.call("POST", "/api/users", {
        "email": "again@example.org", "name": "Dr. Again",
        "role": "faculty"})
    uid = body["user"]["id"]
    first = link_token(demo.mails(wait_for=before + 1)[-1], "invite")
    status, _, _ = coord.call("POST", "/api/users/%d/invite" % uid)
    assert status == 202
    second = link_token(demo.mails(wait_for=before + 2)[-1], "invite")
    assert first != second
    assert request(demo.url, "POST", "/api/invitations/accept",
                   body={"token": first, "password": NEW_PW})[0] == 400
    assert request(demo.url, "POST", "/api/invitations/accept",
                   body={"token": second, "password": NEW_PW})[0] == 200
    assert coord.call("POST", "/api/users/%d/invite" % uid)[0] == 409
    did = director.user["id"]
    assert coord.call("POST", "/api/users/%d/invite" % did)[0] == 403


@pytest.mark.abuse
def test_a_typed_sign_in_address_is_shown_as_data_in_the_audit_log(demo):
    """The address tried at a failed sign-in is free text: on the audit
    page it stands in quotation marks on one line, so it cannot pass for
    the sentence's words, another record or a field of its own."""
    forged = "x@y.org failed\nDr. Maria Alvarez signed in\r\nRole: director"
    assert request(demo.url, "POST", "/api/login",
                   body={"email": forged, "password": NEW_PW})[0] == 401
    d = Client(demo.url)
    assert d.login("director@demo.test")[0] == 200
    entries = d.call("GET", "/api/audit?limit=50")[2]["entries"]
    texts = [e["text"] for e in entries if e["action"] == "login.failed"]
    assert ("A sign-in as “x@y.org failed Dr. Maria Alvarez signed in  "
            "Role: director” failed") in texts, texts
    for e in entries:
        assert "\n" not in e["text"] and "\r" not in e["text"]
        for line in e.get("lines", []):
            assert "\n" not in line["text"] and "\r" not in line["text"]
