"""Failover between two PostgreSQL clusters (tests/lib/pgcluster.py): a
primary with a synchronous streaming standby; a row committed on the
primary is on the standby once the primary is killed and the standby
promoted. Runs alone with

    /usr/bin/python3 -m pytest -q -p no:cacheprovider -m failover tests/pg
"""
import pytest

from pgcluster import Cluster, promote, start_standby


@pytest.mark.failover
def test_a_committed_row_survives_the_primary_killed():
    primary = Cluster(name="primary").start()
    try:
        primary.createdb("fellowship")
        primary.migrate("fellowship")
        standby = start_standby(primary)
        assert standby.psql("SELECT pg_is_in_recovery()").strip() == "t"

        # Synchronous: the commit returns once the standby has the WAL.
        primary.psql("INSERT INTO audit_log (action, object) VALUES "
                     "('test.failover', 'before the crash')",
                     db="fellowship")
        primary.kill()
        promote(standby)

        assert standby.psql(
            "SELECT object FROM audit_log WHERE action = 'test.failover'",
            db="fellowship").split("\n")[0] == "before the crash"
        # The promoted standby takes writes of its own: it waits for no
        # standby (the primary's synchronous_standby_names was set after
        # the copy), and its rules stand.
        standby.psql("INSERT INTO audit_log (action, object) VALUES "
                     "('test.failover', 'after')", db="fellowship")
        err = standby.psql("DELETE FROM audit_log", db="fellowship",
                           check=False)
        assert err.message == "audit_log is append-only"
        assert standby.psql("SELECT count(*) FROM audit_log",
                            db="fellowship").strip() == "2"
    finally:
        primary.stop("immediate")
