"""A hang detector: every request answered within 5 s while sign-ins and
uploads run together, over many bursts (tests/lib/soak.py).

200 times, 40 sign-ins for one account with a wrong password from 20
threads (a handful of Argon2id verifications on the task threads, the
rest refused by the throttle), while another account signs in and an
applicant uploads documents (each checked by the PDF check process). A
request once went unanswered in this shape: a worker's event loop had
been killed by the sandbox (see tests/http/test_sandbox.py). Not a
measure of speed: only that each request is answered, within 5 s, with
an answer it may give; `make bench` reports the worst latency."""
import pytest

import soak

# Loads the machine: alone, after the others.
pytestmark = pytest.mark.serial

BURSTS = 200


def test_every_request_is_answered_within_5_s(make_server):
    srv = make_server(demo=True).start()
    record = soak.soak(srv.port, srv.datadir, BURSTS)
    kinds = {k for k, _, _ in record.rows}
    assert kinds == {"burst", "sign-in", "upload"}, kinds
    assert sum(1 for k, _, _ in record.rows if k == "burst") == 40 * BURSTS
    failures = record.failures()
    n, worst, p99 = record.summary()
    assert failures == [], (
        "%d of %d requests not answered within %g s or answered otherwise "
        "(worst %.0f ms, p99 %.0f ms): %s" % (
            len(failures), n, soak.LIMIT, worst, p99, failures[:20]))
