"""A soak of sign-ins and uploads against a demo server, shared by the
hang detector tests/http/test_soak.py and bench/suite.sh (its worst
latency).

BURSTS times, 40 sign-ins for one account with a wrong password from 20
threads at once (the burst of tests/http/test_throttle.py), the
account's and the address's throttle counters cleared in the database
between bursts so that each burst hashes again; meanwhile another account
signs in with its password and an applicant uploads documents (a valid
PDF, then one with a script, refused), each client on its own thread,
one request after another. Every request goes on a fresh connection and
is given LIMIT seconds to be answered.

    python3 tests/lib/soak.py PORT DATADIR BURSTS
        -> "requests worst_ms p99_ms failures alone_ms"

where alone_ms is the slowest of five wrong-password sign-ins sent one at
a time before the soak (the same work without the crowd).
"""
import http.client
import json
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pdfs  # noqa: E402
from server import connect  # noqa: E402

LIMIT = 5.0
PASSWORD = "fellowship-demo-2026"
WRONG = "definitely not it 1"
TARGET = "faculty1@demo.test"
# What each kind of request may answer; anything else is a failure.
EXPECTED = {"burst": {401, 429}, "sign-in": {200, 429},
            "upload": {201, 422}}


class Record:
    """Every request's (kind, status or error text, seconds)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []

    def add(self, kind, status, seconds):
        with self.lock:
            self.rows.append((kind, status, seconds))

    def failures(self):
        """The requests not answered within LIMIT or answered otherwise
        than EXPECTED says."""
        return [r for r in self.rows
                if r[2] > LIMIT or r[1] not in EXPECTED[r[0]]]

    def summary(self):
        """(requests, worst_ms, p99_ms)."""
        times = sorted(r[2] * 1000 for r in self.rows)
        if not times:
            return 0, 0.0, 0.0
        return (len(times), times[-1],
                times[min(len(times) - 1, int(len(times) * 0.99))])


def send(port, method, path, body=b"", headers=None):
    """One request on a fresh connection: (status or error text, s)."""
    start = time.monotonic()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=LIMIT)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        r.read()
        status = r.status
    except (OSError, http.client.HTTPException) as e:
        status = "%s: %s" % (type(e).__name__, e)
    finally:
        c.close()
    return status, time.monotonic() - start


def sign_in(port, email, password):
    return send(port, "POST", "/api/login",
                json.dumps({"email": email, "password": password}),
                {"Content-Type": "application/json"})


def clear_throttle(datadir, email):
    con = connect(datadir, timeout=30)
    try:
        con.execute("DELETE FROM login_throttle WHERE key = ? OR key "
                    "LIKE 'addr:%'", ("acct:" + email,))
        con.commit()
    finally:
        con.close()


def session(port, email):
    """(cookie, csrf token) of a new session of email."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("POST", "/api/login",
                  json.dumps({"email": email, "password": PASSWORD}),
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        body = json.loads(r.read())
        if r.status != 200:
            raise RuntimeError("%s cannot sign in: %s" % (email, body))
        return r.getheader("Set-Cookie").split(";")[0], body["csrf_token"]
    finally:
        c.close()


def multipart(data):
    b = uuid.uuid4().hex
    body = ("--%s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n"
            "cv\r\n--%s\r\nContent-Disposition: form-data; name=\"file\"; "
            "filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
            % (b, b)).encode() + data + ("\r\n--%s--\r\n" % b).encode()
    return body, "multipart/form-data; boundary=" + b


def draft(port, email):
    """(cookie, csrf token, application id) of email's draft in the demo's
    open cycle, signed in."""
    cookie, csrf = session(port, email)
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("GET", "/api/cycles/2/application",
                  headers={"Cookie": cookie})
        app = json.loads(c.getresponse().read())["application"]["id"]
    finally:
        c.close()
    return cookie, csrf, app


def uploader(port, who, record, stop):
    cookie, csrf, app = who
    files = [multipart(pdfs.valid()), multipart(pdfs.with_javascript())]
    n = 0
    while not stop.is_set():
        body, ctype = files[n % len(files)]
        status, took = send(port, "POST",
                            "/api/applications/%d/documents" % app, body,
                            {"Content-Type": ctype, "Cookie": cookie,
                             "X-CSRF-Token": csrf})
        record.add("upload", status, took)
        n += 1


def signer(port, email, record, stop):
    while not stop.is_set():
        status, took = sign_in(port, email, PASSWORD)
        record.add("sign-in", status, took)


def alone(port, datadir):
    """The slowest of five wrong-password sign-ins, one at a time, ms."""
    worst = 0.0
    for _ in range(5):
        clear_throttle(datadir, TARGET)
        _, took = sign_in(port, TARGET, WRONG)
        worst = max(worst, took * 1000)
    clear_throttle(datadir, TARGET)
    return worst


def soak(port, datadir, bursts, uploaders=1, signers=1):
    """Runs the soak; returns its Record."""
    record = Record()
    stop = threading.Event()
    # Signed in before the bursts make the address wait.
    drafts = [draft(port, "applicant%02d@demo.test" % (i + 1))
              for i in range(uploaders)]
    threads = [threading.Thread(target=uploader, args=(
        port, who, record, stop)) for who in drafts]
    threads += [threading.Thread(target=signer, args=(
        port, "faculty%d@demo.test" % (i + 2), record, stop))
        for i in range(signers)]
    for t in threads:
        t.start()
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            for _ in range(bursts):
                for status, took in pool.map(
                        lambda _: sign_in(port, TARGET, WRONG), range(40)):
                    record.add("burst", status, took)
                clear_throttle(datadir, TARGET)
    finally:
        stop.set()
        for t in threads:
            t.join()
    return record


def main(argv):
    port, datadir, bursts = int(argv[1]), argv[2], int(argv[3])
    base = alone(port, datadir)
    record = soak(port, datadir, bursts)
    n, worst, p99 = record.summary()
    print("%d %.0f %.0f %d %.0f" % (n, worst, p99, len(record.failures()),
                                    base))


if __name__ == "__main__":
    main(sys.argv)
