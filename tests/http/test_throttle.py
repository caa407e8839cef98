"""Sign-in throttling: growing delays then a lockout per account, kept in
the database so that every worker applies it, and never paid for with a
password hash."""
import json
import time

from server import DEMO_PASSWORD, Client, request

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
    srv = make_server(demo=True).start()
    for _ in range(3):
        assert attempt(srv, "faculty1@demo.test")[0] == 401
    status, h, body = attempt(srv, "faculty1@demo.test", DEMO_PASSWORD)
    assert status == 429, body
    assert body["error"]["code"] == "too_many_attempts"
    assert 1 <= int(h["Retry-After"]) <= 1
    time.sleep(1.1)
    assert attempt(srv, "faculty1@demo.test")[0] == 401  # 4th failure
    status, h, _ = attempt(srv, "faculty1@demo.test")
    assert status == 429 and int(h["Retry-After"]) == 2
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
    t = time.monotonic()
    for _ in range(20):
        assert attempt(srv, "faculty4@demo.test")[0] == 429
    # 20 refusals without Argon2id take far less than 20 hashes (~2 s).
    assert time.monotonic() - t < 1.5


def test_success_clears_the_account_counter(make_server):
    srv = make_server(demo=True).start()
    email = "faculty5@demo.test"
    for _ in range(2):
        attempt(srv, email)
    assert attempt(srv, email, DEMO_PASSWORD)[0] == 200
    for _ in range(2):
        assert attempt(srv, email)[0] == 401
    assert attempt(srv, email)[0] == 401  # would be the 5th without reset


def test_an_address_is_throttled_across_accounts(make_server):
    srv = make_server(demo=True).start()
    con = srv.db()
    con.execute("INSERT INTO login_throttle VALUES "
                "('addr:127.0.0.1', 49, strftime('%s','now'), 0)")
    con.commit()
    con.close()
    assert attempt(srv, "nobody1@example.org")[0] == 401  # the 50th
    status, _, _ = attempt(srv, "faculty6@demo.test", DEMO_PASSWORD)
    assert status == 429
    c = Client(srv.url)
    assert c.login("director@demo.test")[0] == 429
