"""Paced latency probe: GET a path at a fixed rate over one keep-alive
connection for a while, like a person clicking around, and print
"count p50_ms p99_ms max_ms". Unlike a flat-out load generator it leaves
the CPU to the server, so what it sees is the server's own delay.

    python3 bench/pace.py PORT PATH RATE SECONDS [HEADER...]

Each HEADER is "Name: value" (a session's Cookie, say).
"""
import http.client
import statistics
import sys
import time


def main(port, path, rate, seconds, headers=()):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    interval = 1.0 / rate
    lat = []
    start = time.monotonic()
    nxt = start
    while time.monotonic() - start < seconds:
        t = time.monotonic()
        conn.request("GET", path, headers=dict(
            h.split(": ", 1) for h in headers))
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise SystemExit("status %d" % r.status)
        lat.append((time.monotonic() - t) * 1000)
        nxt += interval
        delay = nxt - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    lat.sort()
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    print("%d %.2f %.2f %.2f" % (len(lat), statistics.median(lat), p99,
                                 lat[-1]))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], float(sys.argv[3]),
         float(sys.argv[4]), sys.argv[5:])
