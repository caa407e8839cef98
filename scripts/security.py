"""The security scans of `make security` (run through scripts/security.sh,
which starts the server):

  security.py sqlmap BASE_URL WORKDIR
      Debian's sqlmap against every route that takes input (path ids,
      query arguments, JSON and multipart bodies), signed in as each role.
      Prints a table (endpoint, role, result); exits 1 when sqlmap reports
      an injectable parameter or a run could not be judged.
  security.py tls APP_PORT WORKDIR
      nginx as deployed (deploy/nginx/fellowship.conf, self-signed
      certificate) in front of the server on APP_PORT, scanned by sslscan;
      exits 1 unless only TLS 1.2/1.3 with forward-secret AEAD suites are
      offered.

Every run is bounded: sqlmap with a fixed level, risk and technique set and
a time limit per run, sslscan with a time limit. SECURITY_ONLY=REGEX
limits the sqlmap runs to the routes ("METHOD /path*") it matches.
"""
import itertools
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests",
                                "lib"))

import front  # noqa: E402
import pdfs  # noqa: E402
from server import DEMO_PASSWORD, Client  # noqa: E402

ROLES = ("applicant", "faculty", "coordinator", "director")
ACCOUNTS = {"applicant": "applicant@demo.test",
            "faculty": "faculty1@demo.test",
            "coordinator": "coordinator@demo.test",
            "director": "director@demo.test"}
# Sign-in and password routes count failures per account: they are scanned
# with accounts nobody else here uses, last, so a lockout stops nothing.
SPARE = {"applicant": "applicant80@demo.test",
         "faculty": "faculty6@demo.test"}
LOGIN_TARGET = "applicant77@demo.test"

# The product stores everything in SQLite, so the scan is told so: boolean,
# error, UNION and time-based blind techniques, level 2 (more boundaries
# and payloads than the default, on the marked points) and risk 2 (heavy
# time-based queries, but no OR payloads, which could rewrite whole tables
# through an UPDATE). Stacked queries do not apply: a prepared SQLite
# statement runs one statement.
SQLMAP = ["sqlmap", "--batch", "--flush-session", "--dbms=SQLite",
          "--technique=BEUT", "--level=2", "--risk=2", "--time-sec=2",
          "--timeout=15", "--retries=1", "--skip-waf", "--disable-coloring",
          "--answers=follow=N", "--ignore-code=*", "-v", "1"]
RUN_LIMIT = 240         # seconds per sqlmap run

NEXT_ADDR = itertools.count(1)


def forwarded_for():
    """A fresh client address per run (the server trusts X-Forwarded-For
    from loopback), so the per-address sign-in throttle of one run does not
    carry over to the next."""
    n = next(NEXT_ADDR)
    return "198.18.%d.%d" % (n // 250, n % 250 + 1)


def signed_in(base, email):
    c = Client(base)
    status, body = c.login(email)
    if status != 200:
        raise RuntimeError("cannot sign in %s: %s %r" % (email, status, body))
    return c


def fixtures(base):
    """Creates the objects the routes are scanned with; returns their ids."""
    d = signed_in(base, ACCOUNTS["director"])
    a = signed_in(base, ACCOUNTS["applicant"])
    f = signed_in(base, ACCOUNTS["faculty"])
    ids = {}

    def ok(reply, *status):
        if reply[0] not in status:
            raise RuntimeError("set-up request refused: %r" % (reply,))
        return reply[2]

    # Cycle 1 (demo) is at the interview stage, cycle 2 open to applicants.
    ids["app2"] = ok(a.call("GET", "/api/cycles/2/application"), 200)[
        "application"]["id"]
    asg = ok(f.call("GET", "/api/cycles/1/assignments?phase=screening"),
             200)["assignments"]
    ids["app1"] = asg[0]["application_id"]
    ids["fac"] = f.user["id"]
    doc = ok(a.upload("/api/applications/%d/documents" % ids["app2"],
                      {"kind": "cv"}, data=pdfs.valid()), 201)
    ids["doc"] = doc["document"]["id"]
    letter = ok(a.call("POST", "/api/applications/%d/letters" % ids["app2"],
                       {"writer_name": "Dr Writer", "waived": True,
                        "writer_email": "writer@example.org"}), 201)
    ids["letter"] = letter["letter"]["id"]
    mail = ok(d.call("GET", "/api/outbox?limit=5"), 200)["messages"]
    token = None
    for m in mail:
        found = re.search(r"/#/letter/([A-Za-z0-9_-]{43})", m.get("body", ""))
        if found:
            token = found.group(1)
            break
    if token is None:
        raise RuntimeError("no letter link in the outbox")
    ids["token"] = token
    # The conflict names another rater: faculty1 keeps seeing app1.
    users = ok(d.call("GET", "/api/users?limit=100"), 200)["users"]
    other = next(u["id"] for u in users if u["email"] == "faculty2@demo.test")
    ids["conflict"] = ok(d.call(
        "POST", "/api/applications/%d/conflicts" % ids["app1"],
        {"faculty_id": other, "reason": "scan"}), 201)["conflict"]["id"]
    cyc = ok(d.call("GET", "/api/cycles/2"), 200)["cycle"]
    day = cyc["interviews_start"][:10]
    days = ok(d.call("POST", "/api/cycles/2/interview-days",
                     {"day": day, "location": "Room 1",
                      "slots": [{"start": "09:00", "end": "10:00",
                                 "capacity": 2}]}), 201)["day"]
    ids["day"], ids["day_date"] = days["id"], day
    ids["slot"] = days["slots"][0]["id"]
    ids["user"] = ok(d.call("POST", "/api/users",
                            {"email": "scan-invitee@example.org",
                             "name": "Scan Invitee", "role": "faculty"}),
                     201)["user"]["id"]
    rubric = ok(d.call("GET", "/api/cycles/2/rubrics/screening"), 200)[
        "rubric"]["criteria"]
    ids["criteria"] = rubric
    ids["ranklist"] = ok(d.call("GET", "/api/cycles/1/ranklist"), 200)[
        "entries"]
    return ids


def marked(value):
    """JSON text of value with the sqlmap marker after the first string
    found depth-first (criteria labels, reasons)."""
    done = [False]

    def walk(v):
        if done[0]:
            return v
        if isinstance(v, str):
            done[0] = True
            return v + "\x00"
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        return v
    return json.dumps(walk(value)).replace("\\u0000", "*")


def targets(ids):
    """(method, path with * markers, body with * markers or None, roles[,
    request headers with * markers]) for every route that takes input.
    Ids in paths are marked, so each path id is an injection point as
    well."""
    i = dict(ids)
    # Reversed, so every entry moved and carries a reason.
    entries = [{"application_id": e["application_id"],
                "do_not_rank": e.get("do_not_rank", False),
                "reason": "Moved in the scan"} for e in ids["ranklist"]]
    crit = ids["criteria"]
    everyone = ROLES
    staff = ("coordinator", "director")
    t = [
        ("GET", "/api/users?after=1*&limit=10*", None, staff),
        ("POST", "/api/users", '{"email":"scan*@example.org",'
         '"name":"Scan*","role":"faculty*"}', staff),
        ("PATCH", "/api/users/%(user)d*" % i,
         '{"role":"faculty*","disabled":false}', staff),
        ("POST", "/api/users/%(user)d*/invite" % i, None, staff),
        ("GET", "/api/audit?before=999999*&limit=10*", None, staff),
        ("GET", "/api/outbox?before=999999*&limit=10*", None, staff),
        ("POST", "/api/cycles",
         '{"year":2031*,"name":"Scan cycle*","positions":2*,'
         '"timezone":"America/New_York*",'
         '"applications_open":"2030-01-01*",'
         '"applications_close":"2030-06-01*",'
         '"interviews_start":"2030-07-01*","interviews_end":"2030-08-01*",'
         '"ranklist_due":"2030-09-01*"}', everyone),
        ("GET", "/api/cycles/2*", None, everyone),
        ("PATCH", "/api/cycles/2*",
         '{"name":"Fellowship 2028*","ranklist_due":"%s*"}'
         % "2099-01-01", staff),
        ("GET", "/api/cycles/2*/application", None, everyone),
        ("PUT", "/api/cycles/2*/application",
         '{"fields":{"first_name":"Ada*"}}', everyone),
        ("POST", "/api/cycles/2*/application/submit", None, everyone),
        ("GET", "/api/cycles/1*/applications?status=submitted*&q=a*"
         "&after=0*&limit=5*", None, everyone),
        ("GET", "/api/applications/%(app1)d*" % i, None, everyone),
        ("GET", "/api/applications/%(app2)d*/documents" % i, None,
         everyone),
        ("GET", "/api/applications/%(app2)d*/letters" % i, None, everyone),
        ("POST", "/api/applications/%(app2)d*/letters" % i,
         '{"writer_name":"Dr W*","writer_email":"w*@example.org",'
         '"waived":true}', everyone),
        ("POST", "/api/letters/%(letter)d*/remind" % i, None, everyone),
        ("GET", "/api/letters/%(letter)d*/file" % i, None, everyone),
        ("GET", "/api/letters/writer", None, everyone,
         {"X-Letter-Token": "%(token)s*" % i}),
        ("GET", "/api/documents/%(doc)d*" % i, None, everyone),
        ("POST", "/api/applications/%(app2)d*/documents" % i,
         "MULTIPART", everyone),
        ("GET", "/api/cycles/2*/rubrics/screening?version=0*", None,
         everyone),
        ("PUT", "/api/cycles/2*/rubrics/screening",
         '{"criteria":%s}' % marked(crit), everyone),
        ("GET", "/api/cycles/1*/phases", None, everyone),
        ("PATCH", "/api/cycles/2*/phases/screening",
         '{"scoring_due":"2099-01-01*"}', staff),
        ("GET", "/api/cycles/1*/conflicts", None, everyone),
        ("POST", "/api/applications/%(app1)d*/conflicts" % i,
         '{"faculty_id":%(fac)d*,"reason":"Scan reason*",'
         '"kind":"conflict*"}' % i, everyone),
        ("GET", "/api/cycles/1*/assignments?phase=screening*"
         "&faculty_id=%(fac)d*" % i, None, everyone),
        ("PUT", "/api/cycles/1*/assignments",
         '[{"faculty_id":%(fac)d*,"application_id":%(app1)d*,'
         '"phase":"screening*","assigned":true}]' % i, staff),
        ("POST", "/api/cycles/1*/assignments/auto",
         '{"phase":"screening*","raters_per_candidate":3*,'
         '"max_per_rater":40*}', staff),
        ("POST", "/api/cycles/1*/reminders", '{"phase":"interview*"}',
         staff),
        ("POST", "/api/cycles/1*/reminders",
         '{"phase":"screening*","faculty_id":%(fac)d*}' % i, staff),
        ("GET", "/api/applications/%(app1)d*/scores/screening" % i, None,
         everyone),
        ("PUT", "/api/applications/%(app1)d*/scores/screening" % i,
         '{"values":{},"comment":"Scan comment*"}', everyone),
        ("GET", "/api/applications/%(app1)d*/scores/screening/all" % i,
         None, everyone),
        ("GET", "/api/cycles/2*/interview-days", None, everyone),
        ("POST", "/api/cycles/2*/interview-days",
         '{"day":"%(day_date)s*","location":"Room 2*",'
         '"slots":[{"start":"11:00*","end":"12:00*","capacity":1}]}' % i,
         everyone),
        ("GET", "/api/cycles/1*/interview-invitations", None, everyone),
        ("POST", "/api/cycles/2*/interview-invitations",
         '{"application_ids":[%(app2)d*]}' % i, everyone),
        ("POST", "/api/interview-slots/%(slot)d*/book" % i, None, everyone),
        ("POST", "/api/cycles/2*/interview-booking/cancel", None, everyone),
        ("POST", "/api/cycles/2*/interview-waitlist", None, everyone),
        ("GET", "/api/applications/%(app1)d*/interview.ics" % i, None,
         everyone),
        ("GET", "/api/cycles/1*/ranking", None, everyone),
        ("GET", "/api/cycles/1*/ranklist?version=1*", None, everyone),
        ("PUT", "/api/cycles/1*/ranklist", '{"entries":%s}'
         % marked(list(reversed(entries))), staff),
        ("GET", "/api/cycles/1*/ranklist/versions", None, everyone),
        ("GET", "/api/cycles/1*/ranklist/diff?from=1*&to=2*", None,
         everyone),
        ("GET", "/api/cycles/1*/ranklist.csv?id=sfmatch*", None, everyone),
        ("GET", "/api/cycles/1*/export.json", None, everyone),
        ("POST", "/api/cycles/1*/ranklist/certify", None, ("director",)),
        ("POST", "/api/cycles/1*/ranklist/reopen",
         '{"reason":"Scan reopen*"}', ("director",)),
        ("POST", "/api/applications/%(app1)d*/reopen" % i, None, staff),
        # Deleting last: the objects above stay for the other runs.
        ("DELETE", "/api/cycles/2*/interview-waitlist", None, everyone),
        ("DELETE", "/api/conflicts/%(conflict)d*" % i, None, everyone),
        ("DELETE", "/api/interview-days/%(day)d*" % i, None, everyone),
        ("DELETE", "/api/documents/%(doc)d*" % i, None, everyone),
        ("POST", "/api/letters/%(letter)d*/cancel" % i, None, everyone),
        ("POST", "/api/applications/%(app2)d*/withdraw" % i, None,
         everyone),
    ]
    # Public routes, without a session.
    t += [
        ("POST", "/api/register", '{"email":"scan*@example.org",'
         '"password":"a long scan password*","name":"Scan*"}',
         ("anonymous",)),
        ("POST", "/api/invitations/accept", '{"token":"%s*",'
         '"password":"a long scan password*"}' % ("A" * 43),
         ("anonymous",)),
        ("POST", "/api/setup", '{"token":"%s*","email":"s*@example.org",'
         '"name":"S*","password":"a long scan password*"}' % ("A" * 43),
         ("anonymous",)),
        ("POST", "/api/password/forgot", '{"email":"nobody*@example.org"}',
         ("anonymous",)),
        ("POST", "/api/password/reset", '{"token":"%s*",'
         '"password":"a long scan password*"}' % ("A" * 43),
         ("anonymous",)),
        ("POST", "/api/login", '{"email":"%s*","password":"wrong*"}'
         % LOGIN_TARGET, ("anonymous",)),
    ]
    # The own password last: wrong current passwords count as failures.
    t += [("PUT", "/api/me/password", '{"current_password":"%s*",'
           '"new_password":"%s*"}' % (DEMO_PASSWORD, DEMO_PASSWORD),
           everyone)]
    return t


MULTIPART_BOUNDARY = "scanboundary7MA4YWxkTrZu0gW"


def multipart_body():
    b = MULTIPART_BOUNDARY
    # sqlmap's data is text: the PDF's binary comment line (bytes that mark
    # a file as binary, same length) becomes ASCII, the offsets stay right.
    pdf = pdfs.valid().replace(b"%\xe2\xe3\xcf\xd3\n", b"%text\n")
    return ("--%s\r\nContent-Disposition: form-data; name=\"kind\""
            "\r\n\r\ncv*\r\n"
            "--%s\r\nContent-Disposition: form-data; name=\"file\"; "
            "filename=\"cv*.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
            "%s\r\n--%s--\r\n" % (b, b, pdf.decode("ascii"), b))


SESSIONS = {}


def session_for(base, role, path, fresh=False):
    """(cookie, csrf) of a session of role, or (None, None). One session
    per role serves every run (each sign-in hashes a password, which takes
    long on a loaded machine); fresh asks for a new one. The own-password
    route gets a session of its own, of a spare account where there is
    one."""
    if role == "anonymous":
        return None, None
    email = ACCOUNTS[role]
    if path == "/api/me/password":
        email, fresh = SPARE.get(role, email), True
    if fresh or role not in SESSIONS:
        c = signed_in(base, email)
        SESSIONS[role] = (c.cookie(), c.csrf)
    return SESSIONS[role]


def probe(base, method, path, body, headers):
    """The status of the request with the markers removed."""
    import urllib.error
    import urllib.request
    data = body.replace("*", "").encode() if body is not None else None
    if data is None and method != "GET":
        data = b""
    req = urllib.request.Request(base + path.replace("*", ""), data=data,
                                 method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def prepare(base, role, method, path, data, ctype, extra):
    """The status of the request with the markers removed, signed in as
    role (again if the session has ended), and the headers for sqlmap
    (with extra's, markers and all)."""
    for attempt in (0, 1):
        cookie, csrf = session_for(base, role, path.replace("*", ""),
                                   fresh=attempt == 1)
        headers = {"Accept": "application/json",
                   "X-Forwarded-For": forwarded_for()}
        if cookie:
            headers["Cookie"] = "fellowship_session=" + cookie
            headers["X-CSRF-Token"] = csrf
        if data is not None:
            headers["Content-Type"] = ctype
        status = probe(base, method, path, data, dict(
            headers, **{k: v.replace("*", "") for k, v in extra.items()}))
        if status != 401 or role == "anonymous":
            break
    return status, dict(headers, **extra)


def run_sqlmap(base, work, n, method, path, body, headers):
    out = os.path.join(work, "sqlmap-%03d" % n)
    cmd = SQLMAP + ["-u", base + path, "--method", method,
                    "--output-dir", out]
    for k, v in headers.items():
        cmd += ["-H", "%s: %s" % (k, v)]
    if body is not None:
        cmd += ["--data", body]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=RUN_LIMIT, stdin=subprocess.DEVNULL)
        text = p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        text = (e.stdout or b"").decode(errors="replace") \
            if isinstance(e.stdout, bytes) else (e.stdout or "")
        return "TIMEOUT", text
    with open(out + ".log", "w") as f:
        f.write(" ".join(cmd) + "\n" + text)
    if re.search(r"identified the following injection point|"
                 r"appears to be injectable|is vulnerable", text):
        return "INJECTABLE", text
    tested = len(re.findall(r"testing '", text))
    if "do not appear to be injectable" in text or \
            "does not seem to be injectable" in text:
        return "clean (%d tests)" % tested, text
    return "UNCLEAR", text


def scan_sqlmap(base, work):
    ids = fixtures(base)
    rows, bad = [], 0
    started = time.time()
    n = 0
    only = re.compile(os.environ.get("SECURITY_ONLY", ""))
    for method, path, body, roles, *more in targets(ids):
        extra = more[0] if more else {}
        if not only.search("%s %s" % (method, path)):
            continue
        for role in roles:
            n += 1
            data = body
            ctype = "application/json"
            if body == "MULTIPART":
                data = multipart_body()
                ctype = "multipart/form-data; boundary=" + MULTIPART_BOUNDARY
            endpoint = "%s %s" % (method, path.replace("*", ""))
            try:
                status, headers = prepare(base, role, method, path, data,
                                          ctype, extra)
            except RuntimeError as e:
                bad += 1
                rows.append((endpoint, role, "NOT SCANNED: %s" % e))
                print("%-62s %-11s %s" % rows[-1], flush=True)
                continue
            if status in (401, 403) and role != "anonymous":
                # Refused before any input reaches a query (the gate, or
                # the role check at the top of the handler): not scanned,
                # but listed.
                rows.append((endpoint, role, "refused (%d), not scanned"
                             % status))
                continue
            t0 = time.time()
            result, text = run_sqlmap(base, work, n, method, path, data,
                                      headers)
            if result in ("INJECTABLE", "TIMEOUT", "UNCLEAR"):
                bad += 1
                sys.stdout.write(text[-1500:] + "\n")
            rows.append((endpoint, role, "%s, status %d, %.0f s"
                         % (result, status, time.time() - t0)))
            print("%-62s %-11s %s" % rows[-1], flush=True)
    print("\nsqlmap summary (%d endpoint and role pairs, %.0f s)"
          % (len(rows), time.time() - started))
    print("%-62s %-11s %s" % ("endpoint", "role", "result"))
    for r in rows:
        print("%-62s %-11s %s" % r)
    refused = sum(1 for r in rows if r[2].startswith("refused"))
    print("%d scanned, %d refused for the role, %d injectable, unclear or "
          "not scanned" % (len(rows) - refused, refused, bad))
    return 1 if bad else 0


# sslscan's XML output: the accepted protocols and cipher suites.
GOOD_CIPHER = re.compile(r"^(TLS_AES_|TLS_CHACHA20_|ECDHE-(ECDSA|RSA)-"
                         r"(AES\d+-GCM-SHA\d+|CHACHA20-POLY1305))")


def scan_tls(app_port, work):
    proc, info = front.start(int(app_port), work)
    try:
        p = subprocess.run(["sslscan", "--no-colour", "--xml=-",
                            "127.0.0.1:%d" % info["https"]],
                           capture_output=True, text=True, timeout=300)
    finally:
        front.stop(proc)
    xml = p.stdout
    protos = re.findall(r'<protocol type="(\w+)" version="([\d.]+)" '
                        r'enabled="1"', xml)
    ciphers = re.findall(r'<cipher status="\w+" sslversion="([^"]+)" '
                         r'bits="\d+" cipher="([^"]+)"', xml)
    print("sslscan against nginx (deploy/nginx/fellowship.conf) on "
          "127.0.0.1:%d" % info["https"])
    problems = []
    enabled = ["%s %s" % pv for pv in protos]
    print("protocols enabled: " + (", ".join(enabled) or "none"))
    for kind, version in protos:
        if (kind, version) not in (("tls", "1.2"), ("tls", "1.3")):
            problems.append("protocol %s %s is enabled" % (kind, version))
    if not ciphers:
        problems.append("sslscan found no cipher suites:\n" + p.stdout +
                        p.stderr)
    for version, cipher in ciphers:
        ok = GOOD_CIPHER.match(cipher) is not None
        print("  %-8s %-34s %s" % (version, cipher,
                                   "ok" if ok else "NOT ALLOWED"))
        if not ok:
            problems.append("cipher %s (%s)" % (cipher, version))
    for line in problems:
        print("tls: " + line)
    print("tls: %s" % ("only TLS 1.2/1.3 with forward-secret AEAD suites"
                       if not problems else "FAILED"))
    return 1 if problems else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "sqlmap":
        return scan_sqlmap(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "tls":
        return scan_tls(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
