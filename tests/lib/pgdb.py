"""The part of sqlite3's connection that the HTTP tests use, over a
PostgreSQL database (psycopg2, Debian's python3-psycopg2), so that a test
reads and writes a server's database the same way on either engine:

    con = srv.db()                  # sqlite3, or this on PostgreSQL
    con.execute("SELECT x FROM t WHERE id = ?", (1,)).fetchone()
    con.executemany(sql, rows); con.commit(); con.close()
    with con: ...                   # commits, or rolls back on an error
    con.IntegrityError              # a rule's refusal (SQLSTATE 23...)

The SQL is the test's, with sqlite3's "?" placeholders; it must be SQL
both engines understand. Rows are tuples; json columns come back as their
text and bytea as bytes, as SQLite's TEXT and BLOB do. As with sqlite3,
a reading statement starts no transaction: the connection's locks and
snapshot never hold the server back between the test's statements.
"""
import psycopg2
import psycopg2.extensions
import psycopg2.extras

_BYTES = psycopg2.extensions.new_type(
    psycopg2.BINARY.values, "BYTEA_AS_BYTES",
    lambda v, cur: None if v is None else bytes(psycopg2.BINARY(v, cur)))


def placeholders(sql):
    """sqlite3's "?" as psycopg2's "%s" (outside quoted text), and every
    "%" doubled, which psycopg2 reads as one."""
    parts = sql.replace("%", "%%").split("'")
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("?", "%s")
    return "'".join(parts)


class Connection:
    def __init__(self, url):
        self._con = psycopg2.connect(url)
        self._con.autocommit = True     # BEGIN only before a change
        psycopg2.extras.register_default_json(self._con, loads=str)
        psycopg2.extensions.register_type(_BYTES, self._con)
        self._in_tx = False
        for name in ("Error", "DatabaseError", "IntegrityError",
                     "OperationalError", "ProgrammingError"):
            setattr(self, name, getattr(psycopg2, name))

    def _begin(self, sql):
        if not self._in_tx and sql.lstrip().split(None, 1)[0].upper() in (
                "INSERT", "UPDATE", "DELETE"):
            self._con.cursor().execute("BEGIN")
            self._in_tx = True

    def execute(self, sql, args=()):
        self._begin(sql)
        cur = self._con.cursor()
        cur.execute(placeholders(sql), tuple(args))
        return cur

    def executemany(self, sql, rows):
        self._begin(sql)
        cur = self._con.cursor()
        cur.executemany(placeholders(sql), [tuple(r) for r in rows])
        return cur

    def commit(self):
        if self._in_tx:
            self._in_tx = False
            self._con.cursor().execute("COMMIT")

    def rollback(self):
        if self._in_tx:
            self._in_tx = False
            self._con.cursor().execute("ROLLBACK")

    def close(self):
        if not self._con.closed:
            self.rollback()
            self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.commit()
        else:
            self.rollback()
        return False
