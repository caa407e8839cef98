"""Starting the real server for tests.

One implementation used by the pytest suite (tests/http) and, through its
command line, by tests/run.sh for the browser tests:

    python3 tests/lib/server.py start DATADIR   -> prints "PORT PID"
    python3 tests/lib/server.py stop DATADIR    -> stops it, checks its log

The server is Kore with the sanitizer build of the module (build/san),
in the foreground with a line-buffered log in DATADIR/server.log, on a free
loopback port, with its own data directory.

Time: a server started with clock=INSTANT (Unix seconds, or ISO 8601 UTC
text such as "2027-03-01T12:00:00Z") runs, with its mail process and
SQLite, on a clock that reads INSTANT at start and then ticks: the test
build's one clock (src/ops/clock.c) adds the offset written in the file
FELLOW_CLOCK_FILE names. set_clock() moves it while the server runs (every
process sees the move within about a second). A test-build server
started without clock= runs at TEST_CLOCK, a fixed instant (the
environment's TEST_CLOCK overrides it, to run the whole suite on another
day), so that no test depends on the day it runs; the release build runs
on the time of day.

Database: SQLite in DATADIR, unless the environment has
TEST_DATABASE=postgresql: then each data directory has a database of its
own (DATABASE_URL), new and empty the first time a server or fellowctl
(database_env()) is given the directory, on one PostgreSQL cluster this
process starts (tests/lib/pgcluster.py) and stops at exit. Tests read and
write it with sqlite3's calls on either engine: Server.db(), connect()
(tests/lib/pgdb.py on PostgreSQL), in SQL both engines take. Tests about
the SQLite file itself are marked sqlite_only (tests/http/conftest.py)
and skipped on PostgreSQL.
"""
import atexit
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAN_MODULE = os.path.join(ROOT, "build", "san", "fellowship.so")
RELEASE_MODULE = os.path.join(ROOT, "build", "fellowship.so")

_pg = {"cluster": None, "names": itertools.count(1), "dirs": {}}


def on_postgresql():
    """Whether the tests run the servers on PostgreSQL (TEST_DATABASE)."""
    return os.environ.get("TEST_DATABASE") == "postgresql"


def pg_database(datadir):
    """(cluster, name): on this process's PostgreSQL cluster (started on
    first use, a tests/lib/pgcluster.py Cluster), the database of a data
    directory: a new empty one the first time, the same one after (a
    server restarted on the directory finds its data again)."""
    if _pg["cluster"] is None:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from pgcluster import Cluster
        _pg["cluster"] = Cluster().start()
        atexit.register(_pg["cluster"].stop, "immediate")
    datadir = os.path.abspath(str(datadir))
    if datadir not in _pg["dirs"]:
        name = "server%d" % next(_pg["names"])
        _pg["cluster"].createdb(name)
        _pg["dirs"][datadir] = name
    return _pg["cluster"], _pg["dirs"][datadir]


def database_env(datadir):
    """The environment naming a data directory's database, for a server
    or fellowctl: DATA_DIR, and on PostgreSQL (TEST_DATABASE) also
    DATABASE_URL, the directory's database (pg_database())."""
    env = {"DATA_DIR": os.path.abspath(str(datadir))}
    if on_postgresql():
        cluster, name = pg_database(datadir)
        env["DATABASE_URL"] = cluster.url(name)
    return env


def table_names(con):
    """The tables of the database con (connect(), Server.db()) is on."""
    import sqlite3
    if isinstance(con, sqlite3.Connection):
        sql = ("SELECT name FROM sqlite_master WHERE type = 'table' AND "
               "name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        sql = ("SELECT table_name FROM information_schema.tables WHERE "
               "table_schema = current_schema() AND table_type = "
               "'BASE TABLE' ORDER BY table_name")
    return [n for (n,) in con.execute(sql)]


def connect(datadir, timeout=5.0):
    """A connection to a data directory's database, with sqlite3's calls
    on either engine (tests/lib/pgdb.py on PostgreSQL); timeout: how long
    SQLite waits for a lock."""
    url = database_env(datadir).get("DATABASE_URL")
    if url:
        import pgdb
        return pgdb.Connection(url)
    import sqlite3
    return sqlite3.connect(os.path.join(str(datadir), "fellowship.db"),
                           timeout=timeout)


# Lines that must never appear in a server log during the tests.
BAD_LOG = re.compile(r"sandbox violation|seccomp violation|ignoring \"|"
                     r"AddressSanitizer|runtime error:|LeakSanitizer|"
                     r"worker .* died")


def process_name(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


# Every test-build server's clock starts here unless the test says
# otherwise; TEST_CLOCK=2028-12-31T23:00:00Z make test runs the suite on
# another day.
TEST_CLOCK = os.environ.get("TEST_CLOCK") or "2026-12-06T15:00:00Z"


def instant(value):
    """Unix seconds from an int or ISO 8601 UTC text."""
    if isinstance(value, (int, float)):
        return int(value)
    v = value.replace("Z", "+00:00")
    if "T" not in v:
        v += "T00:00:00+00:00"
    dt = datetime.fromisoformat(v)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(dt.timestamp())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def libasan():
    """The sanitizer runtime, then libstdc++: preloaded together so that
    the runtime can intercept C++ exceptions thrown inside libqpdf."""
    out = subprocess.run(["gcc", "-print-file-name=libasan.so"],
                         capture_output=True, text=True, check=True)
    cxx = subprocess.run(["gcc", "-print-file-name=libstdc++.so.6"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip() + " " + cxx.stdout.strip()


class Server:
    """A running server; stop() ends it and returns its log."""

    def __init__(self, datadir, *, sanitize=True, demo=False, extra_conf="",
                 env=None, port=None, clock=None):
        self.datadir = os.path.abspath(datadir)
        self.clock_file = None
        if clock is None and sanitize:
            clock = TEST_CLOCK
        if clock is not None:
            self.clock_file = os.path.join(self.datadir, "clock-offset")
        os.makedirs(self.datadir, exist_ok=True)
        self.port = port or free_port()
        self.log_path = os.path.join(self.datadir, "server.log")
        self.sanitize = sanitize
        self.env = dict(os.environ)
        self.mail_dir = os.path.join(self.datadir, "mail")
        self.env.update({
            "PORT": str(self.port),
            "DATA_DIR": self.datadir,
            "DEMO": "1" if demo else "0",
            "SENDMAIL": "%s %s" % (os.path.join(ROOT, "tests", "lib",
                                                "capture-mail.sh"),
                                   self.mail_dir),
            "MODULE": SAN_MODULE if sanitize else RELEASE_MODULE,
            "CONF_EXTRA": extra_conf,
        })
        if env:
            self.env.update(env)
        if not (env and "DATABASE_URL" in env):
            self.env.update(database_env(self.datadir))
        self.proc = None
        if clock is not None:
            self.set_clock(clock)

    def set_clock(self, value):
        """Moves the server's clock to value (see the module's note)."""
        if self.clock_file is None:
            raise RuntimeError("this server was started on the real clock")
        offset = instant(value) - int(time.time())
        tmp = self.clock_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % offset)
        os.rename(tmp, self.clock_file)

    def now(self):
        """The server's clock, as Unix seconds."""
        if self.clock_file is None:
            return int(time.time())
        with open(self.clock_file) as f:
            return int(time.time()) + int(f.read().strip())

    def now_text(self):
        """The server's clock as the database keeps times:
        "2026-12-06T15:00:00Z"."""
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.now()))

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, wait=True):
        conf = os.path.join(self.datadir, "kore.conf")
        with open(conf, "w") as f:
            subprocess.run([os.path.join(ROOT, "scripts", "render-conf.sh"),
                            os.path.join(ROOT, "conf", "dev.conf")],
                           cwd=ROOT, env=self.env, stdout=f, check=True)
        env = dict(self.env)
        preload = []
        if self.sanitize:
            preload.append(libasan())
            # SERVER_ASAN_OPTIONS, when set, replaces these (to take a
            # core dump when chasing a crash, say).
            env["ASAN_OPTIONS"] = os.environ.get(
                "SERVER_ASAN_OPTIONS", "detect_leaks=0:abort_on_error=0")
            env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
        if self.clock_file is not None:
            if not self.sanitize:
                raise RuntimeError("clock= needs the test build")
            env["FELLOW_CLOCK_FILE"] = self.clock_file
        if preload:
            env["LD_PRELOAD"] = " ".join(preload)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            ["stdbuf", "-oL", "-eL", "kore", "-f", "-n", "-r", "-c", conf],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.exited():
                raise RuntimeError("server exited: " + self.read_log()[-2000:])
            try:
                with urllib.request.urlopen(self.url + "/api/health",
                                            timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("server did not start: " +
                               self.read_log()[-2000:])
        # One worker answering is not both started: on a loaded machine
        # the second may come a moment later, and the tests that count
        # or kill workers expect the two of them.
        m = re.findall(r"^\s*workers\s+(\d+)", self.env.get("CONF_EXTRA", ""),
                       re.M)
        want = int(m[-1]) if m else 2     # conf/common.conf's
        while time.time() < deadline and len(self.worker_pids()) < want:
            time.sleep(0.05)

    def read_log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def worker_pids(self):
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)],
                             capture_output=True, text=True)
        # stdbuf execs kore, so the Popen pid is Kore's parent process;
        # its children are the workers, the mail delivery process and the
        # PDF check process.
        return [int(p) for p in out.stdout.split()
                if process_name(int(p)) not in ("fellow-mailer",
                                                "fellow-pdfcheck")]

    def pdfcheck_pid(self):
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)],
                             capture_output=True, text=True)
        for p in out.stdout.split():
            if process_name(int(p)) == "fellow-pdfcheck":
                return int(p)
        return None

    def stop(self):
        if self.proc is None:
            return self.read_log()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            if not self.wait_exit(20):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        self.proc = None
        return self.read_log()

    def exited(self):
        """Whether Kore's parent has finished: it has exited, or it hangs
        in its exit (see below), whence it is killed (with the workers
        and helpers it leaves).

        That hang is the test build's alone. Its preloaded
        AddressSanitizer starts on the process's first malloc, which is
        made inside glibc's newlocale() by the constructor of p11-kit (a
        library libpq brings in), with glibc's locale lock held; the
        start's dlerror() reads a translation, which takes and releases
        the same lock, and leaves it broken. Once libpq has translated a
        message (it does on every connection to PostgreSQL), p11-kit's
        destructor waits for that lock for ever, after Kore has finished.
        Kore's parent has one thread, which otherwise never waits on a
        futex. The release build exits at once."""
        if self.proc.poll() is not None:
            return True
        try:
            with open("/proc/%d/wchan" % self.proc.pid) as f:
                hung = "futex" in f.read()
        except OSError:
            hung = False
        if hung:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        return hung

    def wait_exit(self, timeout):
        """Waits for Kore's parent to finish (exited()); False if it is
        still there after timeout seconds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.exited():
                return True
            time.sleep(0.02)
        return self.exited()

    def bad_log_lines(self, log=None):
        log = self.read_log() if log is None else log
        return [l for l in log.splitlines() if BAD_LOG.search(l)]


    def mails(self, wait_for=0, timeout=10):
        """The captured messages (oldest first), waiting for at least
        wait_for of them to arrive."""
        deadline = time.time() + timeout
        while True:
            try:
                names = sorted(n for n in os.listdir(self.mail_dir)
                               if n.endswith(".eml"))
            except FileNotFoundError:
                names = []
            if len(names) >= wait_for or time.time() > deadline:
                break
            time.sleep(0.1)
        out = []
        for n in names:
            with open(os.path.join(self.mail_dir, n)) as f:
                out.append(f.read())
        return out

    def db(self):
        """A connection to the server's database: sqlite3's on its file,
        or on PostgreSQL the same calls through tests/lib/pgdb.py."""
        url = self.env.get("DATABASE_URL", "")
        if url:
            import pgdb
            return pgdb.Connection(url)
        import sqlite3
        return sqlite3.connect(os.path.join(self.datadir, "fellowship.db"))


DEMO_PASSWORD = "fellowship-demo-2026"


class Client:
    """A browser-like client: keeps the session cookie and sends the
    CSRF token on state-changing requests once signed in."""

    def __init__(self, base, context=None):
        """context: an ssl.SSLContext for an https base (nginx in front)."""
        import http.cookiejar
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)]
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self.opener = urllib.request.build_opener(*handlers)
        self.csrf = None
        self.user = None

    def call(self, method, path, body=None, headers=None, csrf=True,
             raw=None):
        hdrs = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        if data is None and method in ("POST", "PUT", "PATCH", "DELETE"):
            data = b""
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            hdrs.setdefault("X-CSRF-Token", self.csrf)
        req = urllib.request.Request(self.base + path, data=data,
                                     method=method, headers=hdrs)
        try:
            with self.opener.open(req, timeout=30) as r:
                status, h, payload = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, h, payload = e.code, e.headers, e.read()
        if payload and h.get("Content-Type", "").startswith(
                "application/json"):
            payload = json.loads(payload)
        if status in (200, 201) and isinstance(payload, dict) and \
                "csrf_token" in payload:
            self.csrf = payload["csrf_token"]
            self.user = payload["user"]
        return status, h, payload

    def upload(self, path, fields, filename="file.pdf", data=b"",
               boundary=None, content_type=None, headers=None):
        """Sends a multipart/form-data POST: the text fields, then data
        as the part "file" with the given client-side filename; headers:
        more request headers."""
        import uuid
        b = (boundary or uuid.uuid4().hex).encode()
        body = b""
        for name, value in fields.items():
            body += (b"--" + b + b"\r\nContent-Disposition: form-data; "
                     b"name=\"" + name.encode() + b"\"\r\n\r\n" +
                     value.encode() + b"\r\n")
        if data is not None:
            body += (b"--" + b + b"\r\nContent-Disposition: form-data; "
                     b"name=\"file\"; filename=\"" +
                     filename.encode("utf-8", "surrogateescape") +
                     b"\"\r\nContent-Type: application/pdf\r\n\r\n" +
                     data + b"\r\n")
        body += b"--" + b + b"--\r\n"
        return self.call("POST", path, raw=body, headers=dict(
            headers or {}, **{"Content-Type": content_type or
                              "multipart/form-data; boundary=" +
                              b.decode()}))

    def login(self, email, password=DEMO_PASSWORD):
        status, _, body = self.call("POST", "/api/login",
                                    {"email": email, "password": password})
        return status, body

    def cookie(self):
        for c in self.jar:
            if c.name.endswith("fellowship_session"):
                return c.value
        return None


def request(base, method, path, body=None, headers=None, raw=None):
    """Sends one request; returns (status, headers, parsed JSON or bytes)."""
    data = raw
    hdrs = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    if data is None and method in ("POST", "PUT", "PATCH"):
        data = b""
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, h, payload = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, h, payload = e.code, e.headers, e.read()
    ctype = h.get("Content-Type", "")
    if payload and ctype.startswith("application/json"):
        payload = json.loads(payload)
    return status, h, payload


def main(argv):
    if len(argv) != 3 or argv[1] not in ("start", "stop"):
        print("usage: server.py start|stop DATADIR", file=sys.stderr)
        return 2
    datadir = os.path.abspath(argv[2])
    pidfile = os.path.join(datadir, "test-server.pid")
    if argv[1] == "start":
        env = {"SENDMAIL": os.environ["SENDMAIL"]} \
            if "SENDMAIL" in os.environ else None
        s = Server(datadir, demo=os.environ.get("DEMO") == "1", env=env)
        s.start()
        with open(pidfile, "w") as f:
            f.write("%d %d\n" % (s.port, s.proc.pid))
        print(s.port, s.proc.pid)
        return 0
    with open(pidfile) as f:
        port, pid = (int(x) for x in f.read().split())
    os.kill(pid, signal.SIGTERM)
    for _ in range(200):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    with open(os.path.join(datadir, "server.log"), errors="replace") as f:
        bad = [l for l in f.read().splitlines() if BAD_LOG.search(l)]
    for l in bad:
        print("server log: " + l, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
