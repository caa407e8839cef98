"""Sign-in latency while hostile PDFs are checked. Signs one account in
at a steady pace for SECONDS alone, then again while UPLOADERS clients
upload, over and over, PDFs made to be expensive to check (50,000 tiny
objects; an object stream that inflates to a gigabyte). Prints
"idle_p50 idle_p99 load_p50 load_p99 sign_ins checks" (milliseconds; checks
is how many uploads were checked meanwhile).

    python3 bench/hostile.py PORT SECONDS [UPLOADERS]
"""
import http.client
import json
import statistics
import sys
import threading
import time

sys.path.insert(0, "tests/lib")
import pdfs  # noqa: E402

PASSWORD = "fellowship-demo-2026"


def call(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request(method, path, body, headers or {})
    r = conn.getresponse()
    data = r.read()
    cookie = r.getheader("set-cookie", "").split(";")[0]
    conn.close()
    return r.status, data, cookie


def sign_in(port, email):
    body = json.dumps({"email": email, "password": PASSWORD})
    status, data, cookie = call(port, "POST", "/api/login", body,
                                {"Content-Type": "application/json"})
    if status != 200:
        raise SystemExit("sign-in of %s: %d" % (email, status))
    return cookie, json.loads(data)["csrf_token"]


def paced_sign_ins(port, seconds, rate=4):
    lat, start = [], time.monotonic()
    while time.monotonic() - start < seconds:
        t = time.monotonic()
        sign_in(port, "faculty1@demo.test")
        lat.append((time.monotonic() - t) * 1000)
        time.sleep(max(0, 1.0 / rate - (time.monotonic() - t)))
    lat.sort()
    return (statistics.median(lat),
            lat[min(len(lat) - 1, int(len(lat) * 0.99))], len(lat))


def uploader(port, n, stop, counts):
    cookie, csrf = sign_in(port, "applicant%02d@demo.test" % (n + 1))
    h = {"Cookie": cookie}
    app = json.loads(call(port, "GET", "/api/cycles/2/application",
                          None, h)[1])["application"]["id"]
    files = [pdfs.many_objects(), pdfs.decompression_bomb()]
    i = n
    while not stop.is_set():
        data = files[i % 2]
        i += 1
        body = (b"--b\r\nContent-Disposition: form-data; name=\"kind\""
                b"\r\n\r\ncv\r\n--b\r\nContent-Disposition: form-data; "
                b"name=\"file\"; filename=\"x.pdf\"\r\nContent-Type: "
                b"application/pdf\r\n\r\n" + data + b"\r\n--b--\r\n")
        status = call(port, "POST", "/api/applications/%d/documents" % app,
                      body, dict(h, **{
                          "X-CSRF-Token": csrf,
                          "Content-Type": "multipart/form-data; boundary=b"}
                      ))[0]
        # The many objects make a valid PDF (stored, replacing the CV);
        # the bomb is refused.
        if status not in (201, 422):
            raise SystemExit("a hostile upload was answered %d" % status)
        counts[n] += 1


def main(port, seconds, uploaders):
    pdfs.many_objects()
    pdfs.decompression_bomb()
    i50, i99, _ = paced_sign_ins(port, seconds)
    stop, counts = threading.Event(), [0] * uploaders
    threads = [threading.Thread(target=uploader, args=(port, n, stop, counts))
               for n in range(uploaders)]
    for t in threads:
        t.start()
    time.sleep(1)
    l50, l99, n = paced_sign_ins(port, seconds)
    stop.set()
    for t in threads:
        t.join()
    print("%.1f %.1f %.1f %.1f %d %d" % (i50, i99, l50, l99, n, sum(counts)))


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]),
         int(sys.argv[3]) if len(sys.argv) > 3 else 6)
