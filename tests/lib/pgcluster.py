"""A throwaway PostgreSQL cluster for tests.

    from pgcluster import Cluster, start_standby, promote

    with Cluster() as pg:                   # initdb + start, in a temp dir
        pg.createdb("fellowship")
        pg.migrate("fellowship")            # migrations/pg, in order
        pg.psql("SELECT 1", db="fellowship")
        pg.params("fellowship")             # host (the socket dir), port...
    # stopped and removed here

The cluster lives in a temporary directory of its own: the data
directory, its log and the Unix socket, on which alone it listens unless
tcp=True (then also 127.0.0.1 on the same, free, port). Every client
connects as the superuser "postgres" with trust authentication, which
is safe only because nothing but the socket in a private directory (or
loopback, for tcp=True) reaches it.

PostgreSQL refuses to run as root. As root the server's programs
(initdb, pg_ctl, pg_basebackup) run as the "postgres" account through
`runuser -u postgres --` and the directory belongs to that account; as
any other user they run directly. The clients (psql, createdb, pg_dump)
run as the caller: the socket lets any local user in as "postgres".

The cluster is made for speed (fsync off, no locale: text compares and
folds case byte by byte, like SQLite), which is right for tests and
wrong for anything else.

A streaming standby (start_standby) is a pg_basebackup -R copy of a
primary, in the primary's directory, with the primary's
synchronous_standby_names set to it, so that a commit on the primary
returns only once the standby has the WAL; promote() makes it the
primary. Cluster.kill() ends the postmaster with SIGKILL, as a crash
would. failover_url() names a primary and its standbys in one
postgresql:// URL, as a server that fails over with them is given.

Command-line tools only, through subprocess (the HTTP tests read a
server's database through psycopg2, tests/lib/pgdb.py).
"""
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
MIGRATIONS = os.path.join(ROOT, "migrations", "pg")
SUPERUSER = "postgres"

# Settings for a test cluster: quick to start, nothing waits on the disk.
TEST_SETTINGS = """
fsync = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 30
log_min_messages = warning
log_line_prefix = '%m [%p] '
"""


def bin_dir():
    """The newest installed PostgreSQL's programs (Debian keeps them out
    of PATH, under /usr/lib/postgresql/<version>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                   key=lambda d: int(d.split("/")[-2]))
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    raise RuntimeError("PostgreSQL's server programs are not installed "
                       "(Debian package postgresql)")


def free_port():
    """A TCP port free on 127.0.0.1 now (the Unix socket's name uses it
    too)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_root():
    return os.geteuid() == 0


def server_cmd(argv):
    """argv as the server's account: through runuser as root."""
    if as_root():
        return ["runuser", "-u", "postgres", "--"] + argv
    return argv


def run(argv, **kw):
    """Runs argv, raising with its output when it fails."""
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    kw.setdefault("text", True)
    p = subprocess.run(argv, **kw)
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s%s" % (
            " ".join(argv), p.returncode, p.stdout or "", p.stderr or ""))
    return p


def migrations(upto=None):
    """[(version, path)] of migrations/pg, in order, up to version upto."""
    out = []
    for path in sorted(glob.glob(os.path.join(MIGRATIONS, "*.sql"))):
        v = int(os.path.basename(path).split("_", 1)[0])
        if upto is None or v <= upto:
            out.append((v, path))
    return out


class PsqlError(RuntimeError):
    """A statement psql ran failed: .sqlstate and .message are those of
    the server's error."""

    def __init__(self, sqlstate, message, stderr, stdout):
        super().__init__("%s: %s\n%s" % (sqlstate, message, stderr))
        self.sqlstate = sqlstate
        self.message = message
        self.stdout = stdout	# what the statements before it printed


class Cluster:
    """A PostgreSQL cluster in a temporary directory (or in base, which
    must not exist yet). start() runs initdb and starts it; stop() stops
    it (mode "immediate" for a crash-like stop) and removes the
    directory unless keep=True."""

    def __init__(self, base=None, name="primary", tcp=False, keep=False):
        self.owned_base = base is None
        self.base = base or tempfile.mkdtemp(prefix="fellowship-pg.")
        self.name = name
        self.dir = os.path.join(self.base, name)	# socket and log
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "log")
        self.tcp = tcp
        self.keep = keep
        self.port = free_port()
        self.bin = bin_dir()
        self.running = False
        self.children = []

    # -- life ----------------------------------------------------------
    def _own(self, path):
        """As root, gives path to the server's account."""
        if as_root():
            pw = pwd.getpwnam("postgres")
            os.chown(path, pw.pw_uid, pw.pw_gid)

    def _server(self, argv, **kw):
        # The server's programs look up their working directory, which
        # "postgres" may not be allowed into: run them from the cluster's.
        return run(server_cmd(argv), cwd=self.dir, **kw)

    def _prepare_dir(self):
        os.makedirs(self.dir, mode=0o700)
        self._own(self.base)
        self._own(self.dir)

    def _write_settings(self, extra=""):
        listen = "127.0.0.1" if self.tcp else ""
        text = TEST_SETTINGS + extra + (
            "port = %d\nunix_socket_directories = '%s'\n"
            "listen_addresses = '%s'\n" % (self.port, self.dir, listen))
        # Appended: the last setting of a name wins, so a standby's copy
        # of the primary's file takes its own port and socket this way.
        conf = os.path.join(self.data, "postgresql.conf")
        self._server(["sh", "-c", "cat >> '%s'" % conf], input=text)

    def init(self):
        """initdb, without starting."""
        self._prepare_dir()
        self._server([os.path.join(self.bin, "initdb"), "-D", self.data,
                      "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                      "--no-locale", "--no-sync", "--no-instructions"])
        self._write_settings()
        return self

    def start(self):
        """initdb (the first time) and start; returns self."""
        try:
            if not os.path.exists(self.data):
                self.init()
            self._server([os.path.join(self.bin, "pg_ctl"), "-D",
                          self.data, "-l", self.log, "-w", "-t", "60",
                          "start"])
        except RuntimeError as e:
            log = ""
            if os.path.exists(self.log):
                with open(self.log) as f:
                    log = f.read()[-4000:]
            if self.owned_base and not self.keep:
                shutil.rmtree(self.base, ignore_errors=True)
            raise RuntimeError("%s\nthe server's log:\n%s" % (e, log))
        self.running = True
        return self

    def stop(self, mode="fast"):
        """Stops the cluster (mode "fast" or "immediate") and any standby
        started from it, then removes its directory unless kept."""
        for c in self.children:
            c.stop(mode)
        if self.running:
            p = subprocess.run(server_cmd(
                [os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m",
                 mode, "-w", "stop"]), cwd=self.dir, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True)
            # A killed cluster has no postmaster to stop.
            if p.returncode != 0 and os.path.exists(self.pidfile()):
                raise RuntimeError("pg_ctl stop failed:\n" + p.stdout)
            self.running = False
        if self.owned_base and not self.keep:
            shutil.rmtree(self.base, ignore_errors=True)

    def pidfile(self):
        return os.path.join(self.data, "postmaster.pid")

    def postmaster_pid(self):
        with open(self.pidfile()) as f:
            return int(f.readline())

    def kill(self):
        """SIGKILL to the postmaster, as a crash; returns once it and its
        server processes, which end on their own when they see it gone,
        have exited. The data directory stays as the crash left it."""
        pid = self.postmaster_pid()
        gone = [pid] + children_of(pid)
        os.kill(pid, signal.SIGKILL)
        deadline = time.time() + 20
        while time.time() < deadline and any(alive(p) for p in gone):
            time.sleep(0.02)
        self.running = False

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop("immediate")

    # -- clients -------------------------------------------------------
    def params(self, db="postgres"):
        """libpq connection parameters, as a dict."""
        return {"host": self.dir, "port": str(self.port),
                "user": SUPERUSER, "dbname": db}

    def conninfo(self, db="postgres", tcp=False):
        """A libpq key=value connection string (tcp=True: to 127.0.0.1,
        when the cluster listens there, without the GSSAPI probe that a
        sandboxed worker cannot make, and without TLS)."""
        p = self.params(db)
        if tcp:
            p.update(host="127.0.0.1", gssencmode="disable",
                     sslmode="disable")
        return " ".join("%s=%s" % kv for kv in sorted(p.items()))

    def url(self, db="postgres"):
        """A postgresql:// URL over the Unix socket."""
        return "postgresql://%s@/%s?host=%s&port=%d" % (
            SUPERUSER, db, self.dir, self.port)

    def _client(self, prog):
        return [os.path.join(self.bin, prog), "-h", self.dir, "-p",
                str(self.port), "-U", SUPERUSER]

    def env(self):
        env = dict(os.environ)
        for k in list(env):
            if k.startswith("PG"):
                del env[k]
        # Notices ("already exists, skipping") would only be noise.
        env["PGOPTIONS"] = "-c client_min_messages=warning"
        return env

    def createdb(self, db):
        """A new empty database (UTF-8, C locale) named db."""
        run(self._client("createdb") + ["-T", "template0", "-E", "UTF8",
                                        "--locale=C", db], env=self.env())
        return db

    def dropdb(self, db):
        run(self._client("dropdb") + [db], env=self.env())

    def psql_argv(self, db="postgres"):
        """psql's command line, stopping at the first error, printing
        rows unaligned without headers; run it with env=self.env()."""
        return self._client("psql") + [
            "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-v", "VERBOSITY=verbose", "-d", db]

    def psql(self, sql=None, db="postgres", file=None, single=False,
             check=True, timeout=120):
        """Runs sql (or the file) with psql, stopping at the first error,
        and returns psql's unaligned, tuples-only output (fields split by
        "|"). single: in one transaction. A failed statement raises
        PsqlError with the server's SQLSTATE and message and what was
        printed before it (check=False: returns that error instead of
        raising). A run longer than timeout seconds (a commit waiting
        for a standby that is gone) raises subprocess.TimeoutExpired."""
        argv = self.psql_argv(db)
        if single:
            argv.append("--single-transaction")
        if file is not None:
            argv += ["-f", file]
        p = subprocess.run(argv, input=sql if file is None else None,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=self.env(), timeout=timeout)
        return psql_result(p, check)

    def schema_version(self, db):
        """The highest version in schema_migrations (0 when none)."""
        if self.psql("SELECT to_regclass('schema_migrations') IS NULL",
                     db=db).strip() == "t":
            return 0
        return int(self.psql("SELECT coalesce(max(version), 0) FROM "
                             "schema_migrations", db=db).strip())

    def migrate(self, db, upto=None):
        """Applies the files of migrations/pg above the database's version
        (up to version upto), in order, each in one transaction. Each file
        checks that it follows the version before it and records itself
        in schema_migrations, as src/store/migrate.c does for SQLite.
        Returns the versions applied."""
        current = self.schema_version(db)
        done = []
        for v, path in migrations(upto):
            if v <= current:
                continue
            self.psql(db=db, file=path, single=True)
            done.append(v)
        return done

    def dump_schema(self, db):
        """pg_dump --schema-only of db without what varies between runs or
        versions: comments, SET lines, psql's \\restrict key; blank lines
        squeezed."""
        p = run(self._client("pg_dump") + [
            "--schema-only", "--no-owner", "--no-privileges", db],
            env=self.env())
        return normalise_dump(p.stdout)


def psql_result(p, check=True):
    """The output of a finished psql run (a CompletedProcess, or a Popen
    after communicate() with .stdout and .stderr set), or its error as
    Cluster.psql gives it."""
    if p.returncode == 0:
        return p.stdout
    m = re.search(r"^(?:psql:[^\n]*?)?ERROR:  ([0-9A-Z]{5}): (.*)$",
                  p.stderr, re.M)
    if m is None:
        raise RuntimeError("psql failed (%d):\n%s" % (
            p.returncode, p.stderr))
    err = PsqlError(m.group(1), m.group(2), p.stderr, p.stdout)
    if check:
        raise err
    return err


def normalise_dump(text):
    out = []
    for line in text.splitlines():
        if (line.startswith("--") or line.startswith("SET ")
                or line.startswith("SELECT pg_catalog.set_config(")
                or line.startswith("\\restrict")
                or line.startswith("\\unrestrict")):
            continue
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line.rstrip())
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def start_standby(primary, name="standby", sync=True):
    """A streaming standby of primary (a running Cluster), started: a
    pg_basebackup -R copy in primary's directory, streaming from it over
    the Unix socket. sync: the primary's synchronous_standby_names names
    it (set after the copy, so the standby's own settings do not), and
    this returns once the primary reports it synchronous. The standby is
    stopped with its primary."""
    sb = Cluster(base=primary.base, name=name, tcp=primary.tcp)
    sb.owned_base = False
    sb._prepare_dir()
    # A fast checkpoint to start the copy: a spread one, the default,
    # takes minutes after a few migrations.
    sb._server([os.path.join(sb.bin, "pg_basebackup"), "-D", sb.data,
                "-h", primary.dir, "-p", str(primary.port), "-U", SUPERUSER,
                "-X", "stream", "-R", "--no-sync",
                "--checkpoint=fast"])
    # -R wrote primary_conninfo and standby.signal; the later line below
    # adds the name the primary knows the standby by.
    conninfo = "host=%s port=%d user=%s application_name=%s" % (
        primary.dir, primary.port, SUPERUSER, name)
    sb._write_settings()
    auto = os.path.join(sb.data, "postgresql.auto.conf")
    sb._server(["sh", "-c", "cat >> '%s'" % auto],
               input="primary_conninfo = '%s'\n" % conninfo)
    sb.start()
    primary.children.append(sb)
    if sync:
        primary.psql("ALTER SYSTEM SET synchronous_standby_names = '\"%s\"'"
                     % name)
        primary.psql("SELECT pg_reload_conf()")
        wait_for(lambda: primary.psql(
            "SELECT sync_state FROM pg_stat_replication WHERE "
            "application_name = '%s'" % name).strip() == "sync",
            "the standby %s to be synchronous" % name)
    return sb


def failover_url(db, *clusters, tcp=False):
    """A multi-host postgresql:// URL naming the clusters in order, with
    target_session_attrs=read-write: libpq connects to the first of them
    that takes writes (the primary, or a standby once promoted). Their
    sockets, or with tcp=True 127.0.0.1 (the clusters must listen
    there)."""
    hosts = ["127.0.0.1" if tcp else c.dir for c in clusters]
    return ("postgresql://%s@/%s?host=%s&port=%s"
            "&target_session_attrs=read-write" % (
                SUPERUSER, db, ",".join(hosts),
                ",".join(str(c.port) for c in clusters)))


def promote(standby):
    """Makes the standby a primary (pg_ctl promote, waiting until it
    accepts writes)."""
    standby._server([os.path.join(standby.bin, "pg_ctl"), "-D",
                     standby.data, "-w", "-t", "60", "promote"])
    wait_for(lambda: standby.psql(
        "SELECT pg_is_in_recovery()").strip() == "f",
        "%s to leave recovery" % standby.name)


def children_of(pid):
    """The processes whose parent is pid."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses.
        if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
            out.append(int(d))
    return out


def alive(pid):
    """Whether pid runs still (a zombie counts as gone)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def wait_for(cond, what, timeout=30):
    deadline = time.time() + timeout
    while True:
        if cond():
            return
        if time.time() > deadline:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.05)
