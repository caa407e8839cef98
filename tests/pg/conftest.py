"""The PostgreSQL tests: the schema of migrations/pg and its rules, against
clusters they start themselves (tests/lib/pgcluster.py)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "failover: starts a primary and a synchronous standby "
        "and crashes the primary; runs alone with -m failover")
