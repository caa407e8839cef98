"""A sheet saved, then the director's ranking asked for: how long until
the ranking shows the change (the save invalidates the kept ranking, so
the GET builds it again, resampling included). Prints the latency of the
pair and of the GET alone, p50 and p99 in ms, over N rounds, against the
GET while nothing changes.

    python3 bench/fresh.py BASE PATH BODY FCOOKIE FCSRF DCOOKIE [N]
"""
import sys
import time
import urllib.request


def call(base, method, path, cookie, body=None, csrf=None):
    h = {"Cookie": cookie, "Content-Type": "application/json"}
    if csrf:
        h["X-CSRF-Token"] = csrf
    req = urllib.request.Request(base + path, method=method, headers=h,
                                 data=body.encode() if body else None)
    with urllib.request.urlopen(req) as r:
        r.read()
        return r.status


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def main():
    base, path, body, fcookie, fcsrf, dcookie = sys.argv[1:7]
    n = int(sys.argv[7]) if len(sys.argv) > 7 else 40
    ranking = "/api/cycles/1/ranking"
    pair, get, still = [], [], []
    for _ in range(n):
        t0 = time.perf_counter()
        assert call(base, "PUT", path, fcookie, body, fcsrf) == 200
        t1 = time.perf_counter()
        assert call(base, "GET", ranking, dcookie) == 200
        t2 = time.perf_counter()
        assert call(base, "GET", ranking, dcookie) == 200
        t3 = time.perf_counter()
        pair.append((t2 - t0) * 1e3)
        get.append((t2 - t1) * 1e3)
        still.append((t3 - t2) * 1e3)
    print("pair %.1f %.1f get %.1f %.1f still %.2f %.2f" % (
        pct(pair, 50), pct(pair, 99), pct(get, 50), pct(get, 99),
        pct(still, 50), pct(still, 99)))


if __name__ == "__main__":
    main()
