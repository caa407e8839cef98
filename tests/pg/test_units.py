"""The unit tests of the storage and operations layers (tests/store,
tests/ops, built under build/tests by make san) again on PostgreSQL: each
program runs with FELLOW_TEST_DATABASE_URL naming a database of its own
on a cluster this module starts, so that tests/lib/tempdb.h opens every
test's database there (src/store/pg.c) instead of an SQLite file.

A program passes when every one of its tests passes; its output (TAP)
is shown when it does not. The programs listed in ON_SQLITE_ONLY test
SQLite itself (its migrations, backup, or read its file directly) and
are not run. Those in NOT_YET fail on PostgreSQL for a reason written
beside each: they are expected to fail (xfail, not strict) until that
is done.
"""
import glob
import os
import subprocess

import pytest

from pgcluster import Cluster

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

ON_SQLITE_ONLY = {
    "store/test_migrate": "SQLite's migrations, backup and restore",
}

NOT_YET = {
}


def programs():
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "build", "tests",
                                              "store", "test_*")) +
                       glob.glob(os.path.join(ROOT, "build", "tests", "ops",
                                              "test_*"))):
        name = os.path.relpath(path, os.path.join(ROOT, "build", "tests"))
        if name in ON_SQLITE_ONLY or not os.access(path, os.X_OK):
            continue
        marks = []
        if name in NOT_YET:
            marks.append(pytest.mark.xfail(reason=NOT_YET[name],
                                           strict=False))
        out.append(pytest.param(name, marks=marks, id=name))
    return out


@pytest.fixture(scope="module")
def cluster():
    with Cluster() as pg:
        yield pg


@pytest.mark.parametrize("name", programs())
def test_unit_program_on_postgresql(cluster, name):
    db = cluster.createdb(name.replace("/", "_"))
    env = dict(os.environ)
    env.update(FELLOW_TEST_DATABASE_URL=cluster.url(db),
               CMOCKA_MESSAGE_OUTPUT="tap",
               ASAN_OPTIONS="detect_leaks=1")
    p = subprocess.run([os.path.join(ROOT, "build", "tests", name)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, env=env, timeout=600, cwd=ROOT)
    failed = [ln for ln in p.stdout.splitlines()
              if ln.startswith("not ok")]
    assert p.returncode == 0 and not failed, (
        "%s on PostgreSQL: %d failed\n%s" % (name, len(failed),
                                            p.stdout[-6000:]))
