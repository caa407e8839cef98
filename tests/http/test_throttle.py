"""Sign-in throttling: growing delays then a lockout per account, kept in
the database so that every worker applies it, and never paid for with a
password hash. The counting rules (a success taking its attempt back, an
address throttled across accounts) are tested in
tests/ops/test_accounts.c."""
import json
import time

import pytest

from server import DEMO_PASSWORD, Client, request

# Measures how fast refusals come back: alone, after the others.
pytestmark = pytest.mark.serial

WRONG = "definitely not it 1"


def attempt(srv, email, password=WRONG, addr=None):
    # A new connection each time, so attempts land on either worker.
    return request(srv.url, "POST", "/api/login",
                   body={"email": email, "password": password})


def skip_delay(srv):
    """Lets the next attempt through at once, keeping the counts: the
    delays themselves are checked in test_delays_grow."""
    con = srv.db()
    con.execute("UPDATE login_throttle SET blocked_until = 0 "
                "WHERE failures < 10 OR key LIKE 'addr:%'")
    con.commit()
    con.close()


def test_delays_grow_after_three_failures(make_server):
    # The arithmetic (1, 2, 4 ... 60 s) is unit-tested in
    # tests/core/test_throttle.c; here: the server stores and applies it.
    srv = make_server(demo=True).start()
    for _ in range(3):
        assert attempt(srv, "faculty1@demo.test")[0] == 401
    con = srv.db()
    failures, window, blocked = con.execute(
        "SELECT failures, window_start, blocked_until FROM login_throttle "
        "WHERE key = 'acct:faculty1@demo.test'").fetchone()
    assert failures == 3 and 1 <= blocked - window <= 4
    con.execute("UPDATE login_throttle SET blocked_until = ? + 30 "
                "WHERE key LIKE 'acct:%'", (srv.now(),))
    con.commit()
    con.close()
    status, h, body = attempt(srv, "faculty1@demo.test", DEMO_PASSWORD)
    assert status == 429, body
    assert body["error"]["code"] == "too_many_attempts"
    assert 29 <= int(h["Retry-After"]) <= 30
    # Another account from the same address is not affected.
    assert attempt(srv, "faculty2@demo.test", DEMO_PASSWORD)[0] == 200


def test_ten_failures_lock_the_account_for_every_worker(make_server):
    srv = make_server(demo=True).start()
    email = "faculty3@demo.test"
    for i in range(10):
        skip_delay(srv)
        status, _, body = attempt(srv, email)
        assert status == 401, (i, body)
    for _ in range(6):  # fresh connections, both workers
        status, h, body = attempt(srv, email, DEMO_PASSWORD)
        assert status == 429
        assert 800 <= int(h["Retry-After"]) <= 900
    con = srv.db()
    rows = con.execute("SELECT action, detail FROM audit_log WHERE action "
                       "LIKE 'login.%' ORDER BY id").fetchall()
    con.close()
    assert [a for a, _ in rows].count("login.failed") == 10
    lock = [json.loads(d) for a, d in rows if a == "login.lockout"]
    assert lock == [{"address": "127.0.0.1", "email": email,
                     "locked": "account"}]
    # The lockout ends by itself.
    con = srv.db()
    con.execute("UPDATE login_throttle SET blocked_until = 0, "
                "window_start = 0")
    con.commit()
    con.close()
    assert attempt(srv, email, DEMO_PASSWORD)[0] == 200


def test_throttled_attempts_do_not_hash(make_server):
    srv = make_server(demo=True).start()
    for _ in range(3):
        attempt(srv, "faculty4@demo.test")
    con = srv.db()
    con.execute("UPDATE login_throttle SET blocked_until = ? + 600 "
                "WHERE key LIKE 'acct:%'", (srv.now(),))
    con.commit()
    con.close()
    t = time.monotonic()
    for _ in range(20):
        assert attempt(srv, "faculty4@demo.test")[0] == 429
    # 20 refusals without Argon2id take far less than 20 hashes (~2 s).
    assert time.monotonic() - t < 1.5


def test_concurrent_attempts_cannot_slip_past_the_limit(make_server):
    """Attempts are counted before the hash, so 40 at once for one account
    get at most a handful of password checks, not 40."""
    from concurrent.futures import ThreadPoolExecutor
    srv = make_server(demo=True).start()
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(
            lambda _: attempt(srv, "faculty1@demo.test")[0], range(40)))
    checked = statuses.count(401)
    assert statuses.count(429) + checked == 40
    # Three pass at once; a fourth or fifth only if a second boundary
    # frees a short delay while the rest arrive.
    assert checked <= 5, statuses
    con = srv.db()
    failed = con.execute("SELECT count(*) FROM audit_log WHERE action = "
                         "'login.failed'").fetchone()[0]
    con.close()
    assert failed == checked


def test_password_change_is_throttled_like_sign_in(make_server):
    srv = make_server(demo=True).start()
    c = Client(srv.url)
    assert c.login("faculty2@demo.test")[0] == 200
    statuses = []
    for _ in range(5):
        status, _, _ = c.call("PUT", "/api/me/password", {
            "current_password": WRONG, "new_password": "a new long phrase"})
        statuses.append(status)
    assert statuses[:3] == [422, 422, 422]
    assert 429 in statuses[3:]
    con = srv.db()
    n = con.execute("SELECT count(*) FROM audit_log WHERE action = "
                    "'password.change_failed'").fetchone()[0]
    con.close()
    assert n == statuses.count(422)


def test_registrations_from_one_address_are_throttled(make_server):
    srv = make_server().start()
    statuses = []
    for i in range(13):
        status, _, _ = request(srv.url, "POST", "/api/register", body={
            "email": "r%d@example.org" % i, "name": "R",
            "password": "registering many accounts"})
        statuses.append(status)
    assert statuses[:10] == [201] * 10
    # Delays start after the 10th (whole seconds, so one more may pass
    # when a second boundary falls between requests).
    assert 429 in statuses[10:]


@pytest.mark.abuse
def test_an_ipv6_subscriber_is_throttled_by_its_64(make_server):
    # nginx passes the client's address in X-Forwarded-For (trusted from
    # loopback only); 25 failures from 25 addresses of one /64 count as
    # one address's.
    srv = make_server(demo=True).start()

    def from_addr(addr, i, password=WRONG, email=None):
        return request(srv.url, "POST", "/api/login",
                       body={"email": email or "nobody%d@example.org" % i,
                             "password": password},
                       headers={"X-Forwarded-For": addr})

    statuses = [from_addr("2001:db8:5:5::%x" % (i + 1), i)[0]
                for i in range(25)]
    # Twenty failures, then the /64 waits (growing delays): refused
    # without counting while it does.
    assert statuses[:20] == [401] * 20, statuses
    assert set(statuses[20:]) <= {401, 429}, statuses
    con = srv.db()
    rows = con.execute("SELECT key, failures FROM login_throttle "
                       "WHERE key LIKE 'addr:%'").fetchall()
    con.execute("UPDATE login_throttle SET blocked_until = ? + 30 "
                "WHERE key = 'addr:2001:db8:5:5::/64'", (srv.now(),))
    con.commit()
    con.close()
    assert len(rows) == 1 and rows[0][0] == "addr:2001:db8:5:5::/64", rows
    assert 20 <= rows[0][1] <= 25, rows
    # Blocked: any address of that /64, even with the right password.
    status, h, body = from_addr("2001:db8:5:5:ffff::1", 0, DEMO_PASSWORD,
                                "faculty1@demo.test")
    assert status == 429, body
    assert 29 <= int(h["Retry-After"]) <= 30
    # The next /64 is another subscriber.
    status, _, body = from_addr("2001:db8:5:6::1", 0, DEMO_PASSWORD,
                                "faculty1@demo.test")
    assert status == 200, body
