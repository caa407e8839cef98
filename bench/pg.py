"""The benchmarks' PostgreSQL cluster, from the shell (bench/programs.sh):
a throwaway cluster of tests/lib/pgcluster.py, listening on a Unix socket
in its own directory, but durable as the SQLite engine is (fsync on, every
commit flushed: SQLite runs with synchronous=FULL) and with the shared
buffers of a small server rather than of a test.

    python3 bench/pg.py start              -> prints the cluster's directory
    python3 bench/pg.py createdb DIR NAME  -> prints a postgresql:// URL
    python3 bench/pg.py psql DIR NAME      -> runs psql on stdin's SQL
                                              (stopping at an error)
    python3 bench/pg.py stop DIR           -> stops it, removes DIR
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "lib"))
from pgcluster import Cluster  # noqa: E402

# Appended after the test settings: the last of a name wins.
BENCH_SETTINGS = """
fsync = on
full_page_writes = on
synchronous_commit = on
shared_buffers = 128MB
"""


def cluster(base):
    """The cluster started in base (its port from base/port)."""
    c = Cluster(base=base)
    with open(os.path.join(base, "port")) as f:
        c.port = int(f.read())
    c.running = True
    return c


def main(argv):
    if argv[:1] == ["start"]:
        c = Cluster(keep=True)
        c.init()
        c._write_settings(BENCH_SETTINGS)
        c.start()
        with open(os.path.join(c.base, "port"), "w") as f:
            f.write("%d\n" % c.port)
        print(c.base)
    elif argv[:1] == ["createdb"] and len(argv) == 3:
        c = cluster(argv[1])
        c.createdb(argv[2])
        print(c.url(argv[2]))
    elif argv[:1] == ["psql"] and len(argv) == 3:
        c = cluster(argv[1])
        p = subprocess.run(c.psql_argv(argv[2]), stdin=sys.stdin,
                           env=c.env())
        return p.returncode
    elif argv[:1] == ["stop"] and len(argv) == 2:
        cluster(argv[1]).stop("fast")
        shutil.rmtree(argv[1], ignore_errors=True)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
