/*
 * The query interface of store/internal.h on PostgreSQL, through libpq,
 * synchronously: each call waits for the server's answer, as SQLite's
 * calls wait for the disk. A Kore worker and each task thread open their
 * own connection (db_open() with a postgresql:// URL), as they do with
 * SQLite.
 *
 * Statements. The statement table's text (its pg variant when it has
 * one) is prepared once per connection under the name "s<number>", its
 * ?N placeholders rewritten to $N outside quotes, DB_SQL_NOW to the
 * statement's time in the same text format. Parameters are sent as text
 * (an integer written in decimal), blobs in binary; the server infers
 * each parameter's type from where it stands (a variant casts where it
 * cannot), except that an integer is never narrower than bigint, as in
 * SQLite (widen_integers()). Results come as text: a column is read
 * with strtoll, a boolean ('t', 'f') as 1 or 0, as SQLite gives them. A
 * statement runs on its first db_q_step(); the steps then walk its rows.
 *
 * The id of a new row: the INSERTs read with db_last_id() have a
 * variant that ends in RETURNING id (RETURNING_ID in statements.c); the
 * engine keeps the id the last INSERT returned.
 *
 * Transactions. SQLite's BEGIN IMMEDIATE lets one writer at a time in:
 * a read-then-write transaction of src/ops sees nothing change under it
 * between its reads and its writes. db_begin() does the same here with
 * one transaction-level advisory lock taken at BEGIN (every db_begin()
 * of every connection waits for it, as for SQLite's write lock), READ
 * COMMITTED otherwise; a statement outside db_begin() (autocommit) does
 * not take it, as it does not wait for SQLite's lock longer than its one
 * statement. A wait past lock_timeout (250 ms, SQLite's busy timeout)
 * is DB_EBUSY, as are serialization failures and deadlocks.
 *
 * A failed statement leaves SQLite's transaction going, and src/ops may
 * go on after a refused INSERT (a duplicate, a full slot); PostgreSQL
 * aborts the whole transaction. So inside a transaction each change runs
 * behind a savepoint, undone alone when it fails (one more round trip
 * per change inside a transaction).
 *
 * Failover. A lost connection (the server restarted, or crashed and a
 * standby that a multi-host URL also names was promoted) is made again
 * at the next statement or db_begin() outside a transaction, through
 * the URL's hosts in order, and the statements prepared again as they
 * are next run; inside db_begin() every statement fails until the
 * caller rolls back. Before the first statement outside a transaction
 * the engine reads, without waiting, what the server sent while the
 * connection was idle, so that a connection the server closed is made
 * again before it is used, and db_begin() tries once more after a
 * connection lost while it began (nothing had happened yet). A
 * connection the server dropped, or a server shutting down or not yet
 * accepting connections, is DB_EBUSY (the web layer's 503): the
 * request's transaction is gone, and the next request finds the
 * server that takes writes now.
 *
 * The server must take writes (target_session_attrs=read-write, the
 * default here): libpq refuses a standby or a read-only server when it
 * connects, and a connection already made to a server that turns
 * read-only (a primary fenced with default_transaction_read_only, as
 * before a planned switchover; PostgreSQL 14 and later report it) is
 * made again, at the next chance, when a statement shows it. A write
 * it refused meanwhile is DB_EBUSY.
 *
 * Durability. A commit that succeeds is on the synchronous standbys the
 * server names (synchronous_standby_names) as soon as it returns: a
 * session whose synchronous_commit is off or local is raised to on. A
 * wait for the standby that an operator cancelled (pg_cancel_backend on
 * a commit stuck while the standby is away) commits on the primary
 * alone, with a warning: that commit is DB_EBUSY, not success, for it
 * may be lost at a failover.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "core/embed.h"
#include "store/internal.h"

/* The transaction-level advisory lock of db_begin(): one writer. */
#define PG_WRITE_LOCK "7301104401"

#define PG_NOW                                                                 \
	"to_char(statement_timestamp() AT TIME ZONE 'UTC', "                   \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* PostgreSQL's type oids (catalog/pg_type.h). */
#define PG_BOOLOID 16
#define PG_INT8OID 20
#define PG_INT2OID 21
#define PG_INT4OID 23

struct pg_state {
	char	err[512];
	int64_t last_id;
	int64_t changes;
	int	savepoint; /* a savepoint "q" is open in the transaction */
	/* How many times the connection was made again (reconnect()):
	 * the server forgets prepared statements with the connection. */
	unsigned int generation;
	int	     in_begin;	 /* between db_begin() and its end */
	int	     want_rw;	 /* target_session_attrs asks for writes */
	int	     renew;	 /* on a read-only server: make it again */
	int	     committing; /* COMMIT runs (notice()) */
	int	     warned;	 /* the server warned meanwhile */
};

struct pg_q {
	char	     name[16];
	char	    *sql;	 /* the text prepared */
	unsigned int generation; /* the connection's it was prepared on */
	int	     nparams;
	int	     now;    /* the parameter of DB_SQL_NOW (from 1), or 0 */
	int	     change; /* INSERT, UPDATE or DELETE */
	int	     ran;    /* executed since the last reset */
	int	     failed; /* its DB_E* code when it failed */
	int	     row;    /* the current row, -1 before the first */
	PGresult    *res;
	/* The parameters, numbered from 0 here. */
	const char **values;
	int	    *lengths;
	int	    *formats;
	char	   **owned; /* copies made by db_bind_text_copy() */
	char (*num)[24];    /* the text of bound integers */
	char nowtext[32];   /* the text of DB_SQL_NOW's parameter */
	/* The parameters' types declared when preparing (0: the server's
	 * choice); NULL until the first prepare has asked for them. */
	Oid *types;
};

static PGconn *
conn(struct db *db)
{
	return ((PGconn *)db->pg);
}

static struct pg_state *
state(struct db *db)
{
	return ((struct pg_state *)db->pgstate);
}

static struct pg_q *
q(struct db_q *st)
{
	return ((struct pg_q *)st->h);
}

/* Notices ("already exists, skipping") are not for the log; a warning
 * while COMMIT runs is noted (pg_commit()). */
static void
notice(void *arg, const PGresult *res)
{
	struct db  *db = arg;
	const char *sev;

	sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	if (state(db)->committing && sev != NULL && strcmp(sev, "WARNING") == 0)
		state(db)->warned = 1;
}

/* Whether the server last said it takes no writes (PostgreSQL 14 and
 * later report both settings as they change). */
static int
read_only(struct db *db)
{
	static const char *const says[] = { "default_transaction_read_only",
		"in_hot_standby" };
	const char		*v;
	size_t			 i;

	for (i = 0; i < sizeof(says) / sizeof(says[0]); i++)
		if ((v = PQparameterStatus(conn(db), says[i])) != NULL &&
		    strcmp(v, "on") == 0)
			return (1);
	return (0);
}

/* After a statement: a connection that must write, on a server that
 * now takes no writes, is made again at the next chance. */
static void
check_server(struct db *db)
{
	if (state(db)->want_rw && read_only(db))
		state(db)->renew = 1;
}

static void
set_err(struct db *db, const char *msg)
{
	size_t n;

	(void)snprintf(state(db)->err, sizeof(state(db)->err), "%s",
	    msg != NULL ? msg : "");
	/* libpq's messages end with a newline. */
	n = strlen(state(db)->err);
	while (n > 0 && isspace((unsigned char)state(db)->err[n - 1]))
		state(db)->err[--n] = '\0';
}

/*
 * The DB_E* code of a failed result (NULL: the connection failed). A
 * connection lost or a server going away is DB_EBUSY, as is a write a
 * read-only server refused on a connection meant for writes: another
 * server may take the next request.
 */
static int
result_code(struct db *db, PGresult *res)
{
	const char *s;

	if (res == NULL || PQstatus(conn(db)) == CONNECTION_BAD) {
		set_err(db,
		    res != NULL ? PQresultErrorMessage(res)
				: PQerrorMessage(conn(db)));
		return (DB_EBUSY);
	}
	set_err(db, PQresultErrorMessage(res));
	check_server(db);
	if ((s = PQresultErrorField(res, PG_DIAG_SQLSTATE)) == NULL)
		return (DB_ERROR);
	if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0 ||
	    strcmp(s, "55P03") == 0)
		return (DB_EBUSY);
	/* Connection exceptions; the server shutting down, crashed, or
	 * starting. */
	if (strncmp(s, "08", 2) == 0 || strcmp(s, "57P01") == 0 ||
	    strcmp(s, "57P02") == 0 || strcmp(s, "57P03") == 0)
		return (DB_EBUSY);
	/* read_only_sql_transaction */
	if (strcmp(s, "25006") == 0 && state(db)->want_rw) {
		state(db)->renew = 1;
		return (DB_EBUSY);
	}
	if (strncmp(s, "23", 2) == 0)
		return (DB_ECONSTRAINT);
	if (strcmp(s, "53100") == 0)
		return (DB_EFULL);
	return (DB_ERROR);
}

/* Runs sql (one or more statements, no parameters); 0 or DB_E*. */
static int
exec_simple(struct db *db, const char *sql)
{
	PGresult *res;
	int	  rc = 0;

	res = PQexec(conn(db), sql);
	if (res == NULL ||
	    (PQresultStatus(res) != PGRES_COMMAND_OK &&
		PQresultStatus(res) != PGRES_TUPLES_OK))
		rc = result_code(db, res);
	else
		check_server(db);
	PQclear(res);
	return (rc);
}

/*
 * What each new connection sets: SQLite's busy timeout as lock_timeout;
 * synchronous_commit at least on, so that a commit returns once the
 * synchronous standbys (if the server names any) have it on disk. An
 * operator's remote_write or remote_apply stays.
 */
static int
setup(struct db *db)
{
	PQsetNoticeReceiver(conn(db), notice, db);
	return (exec_simple(db,
	    "SET lock_timeout = 250; "
	    "SELECT set_config('synchronous_commit', 'on', false) "
	    "WHERE current_setting('synchronous_commit') IN ('off', 'local')"));
}

/* Whether the connection's target_session_attrs asks for a server that
 * takes writes. */
static int
wants_writes(struct db *db)
{
	PQconninfoOption *opts, *o;
	int		  rw = 0;

	if ((opts = PQconninfo(conn(db))) == NULL)
		return (1);
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "target_session_attrs") == 0 &&
		    o->val != NULL)
			rw = strcmp(o->val, "read-write") == 0 ||
			    strcmp(o->val, "primary") == 0;
	PQconninfoFree(opts);
	return (rw);
}

static int
pg_open(
    struct db *db, const char *url, enum db_mode mode, char *err, size_t errlen)
{
	/*
	 * The URL's own settings win over these (libpq expands dbname
	 * where it stands). No GSSAPI probe: over TCP it lists a
	 * directory, which the worker's sandbox refuses. A server that
	 * takes writes: of a multi-host URL's, the primary. Over TCP, a
	 * host that does not answer (a machine gone) holds a worker for
	 * at most connect_timeout per host when connecting, and a
	 * connection to one that vanished ends within about 10 s
	 * (keepalives for a statement waiting on its answer,
	 * tcp_user_timeout for data never acknowledged) instead of the
	 * kernel's many minutes.
	 */
	static const char *const keys[] = { "gssencmode",
		"target_session_attrs", "connect_timeout", "keepalives_idle",
		"keepalives_interval", "keepalives_count", "tcp_user_timeout",
		"dbname", NULL };
	const char *values[] = { "disable", "read-write", "3", "5", "2", "3",
		"10000", url, NULL };

	(void)mode;
	if ((db->pgstate = calloc(1, sizeof(struct pg_state))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (DB_ERROR);
	}
	db->pg = (struct pg_conn *)PQconnectdbParams(keys, values, 1);
	if (db->pg == NULL || PQstatus(conn(db)) != CONNECTION_OK) {
		set_err(db,
		    db->pg != NULL ? PQerrorMessage(conn(db))
				   : "out of memory");
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s",
		    state(db)->err);
		return (DB_ERROR);
	}
	state(db)->want_rw = wants_writes(db);
	if (setup(db) != 0) {
		snprintf(err, errlen, "cannot configure the connection: %s",
		    state(db)->err);
		return (DB_ERROR);
	}
	return (0);
}

static void
q_free(struct pg_q *p)
{
	int i;

	if (p == NULL)
		return;
	PQclear(p->res);
	free(p->sql);
	free(p->types);
	for (i = 0; i < p->nparams; i++)
		free(p->owned[i]);
	free(p->values);
	free(p->lengths);
	free(p->formats);
	free(p->owned);
	free(p->num);
	free(p);
}

static void
pg_close(struct db *db)
{
	int i;

	for (i = 0; i < STMT__MAX; i++) {
		q_free(q(&db->stmts[i]));
		db->stmts[i].h = NULL;
	}
	if (db->pg != NULL)
		PQfinish(conn(db));
	free(db->pgstate);
}

static const char *
pg_errmsg(struct db *db)
{
	if (db->pg == NULL || db->pgstate == NULL)
		return ("no database connection");
	if (state(db)->err[0] != '\0')
		return (state(db)->err);
	return (PQerrorMessage(conn(db)));
}

static int
pg_rc(struct db *db, int rc)
{
	(void)db;
	if (rc == 0 || rc == DBQ_ROW || rc == DBQ_DONE)
		return (0);
	return (rc < 0 ? rc : DB_ERROR);
}

/* The highest ?N of sql outside quoted strings and names. */
static int
highest_param(const char *sql)
{
	const char *p;
	char	    quote = 0;
	long	    v;
	int	    n = 0;

	for (p = sql; *p != '\0'; p++) {
		if (quote != 0) {
			if (*p == quote)
				quote = 0; /* '' reopens at once */
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?' && isdigit((unsigned char)p[1])) {
			v = strtol(p + 1, NULL, 10);
			if (v > n && v < 1000)
				n = (int)v;
		}
	}
	return (n);
}

/*
 * The statement's text for PostgreSQL, in a new string: ?N made $N
 * outside quoted strings and names, DB_SQL_NOW the parameter after the
 * highest (*now, 0 when it does not occur); *nparams counts them all.
 * NULL when out of memory.
 */
static char *
rewrite(const char *in, int *nparams, int *now)
{
	size_t	    nowlen = strlen(DB_SQL_NOW), n;
	char	   *out;
	const char *p;
	char	    quote = 0;
	int	    high;

	high = highest_param(in);
	*now = 0;
	/* Each DB_SQL_NOW grows to less than four times its length. */
	if ((out = malloc(strlen(in) * 4 + 1)) == NULL)
		return (NULL);
	n = 0;
	for (p = in; *p != '\0';) {
		if (quote == 0 && strncmp(p, DB_SQL_NOW, nowlen) == 0) {
			*now = high + 1;
			n += (size_t)sprintf(
			    out + n, "coalesce($%d, " PG_NOW ")", *now);
			p += nowlen;
			continue;
		}
		if (quote != 0) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?' && isdigit((unsigned char)p[1])) {
			out[n++] = '$';
			p++;
			continue;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
	*nparams = *now != 0 ? *now : high;
	return (out);
}

/* Whether sql changes rows (its first word). */
static int
is_change(const char *sql)
{
	while (isspace((unsigned char)*sql))
		sql++;
	return (strncasecmp(sql, "INSERT", 6) == 0 ||
	    strncasecmp(sql, "UPDATE", 6) == 0 ||
	    strncasecmp(sql, "DELETE", 6) == 0);
}

/* PQprepare of p, with the types it has (none the first time). */
static int
prepare_as(struct db *db, struct pg_q *p)
{
	PGresult *res;
	int	  rc;

	res = PQprepare(conn(db), p->name, p->sql, p->nparams, p->types);
	rc = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK
	    ? 0
	    : result_code(db, res);
	PQclear(res);
	return (rc);
}

/*
 * After p's first prepare: the types the server gave its parameters.
 * One it made a smaller integer (from an integer written beside it:
 * "nullif(?4, 0)", "?7 = 0 OR f = ?7", "OFFSET ?3 - 1") is declared
 * bigint, and p prepared again so: the program binds 64-bit integers
 * there, a Unix time after 2038 or any id, which a 32-bit parameter
 * refuses. Where the statement needs a smaller one, that prepare fails
 * (tests/store/test_statements.c prepares them all).
 */
static int
widen_integers(struct db *db, struct pg_q *p)
{
	PGresult *res;
	char	  sql[32];
	int	  i, n = 0, rc;
	Oid	  t;

	if ((p->types = calloc((size_t)p->nparams, sizeof(*p->types))) ==
	    NULL) {
		set_err(db, "out of memory");
		return (DB_ERROR);
	}
	res = PQdescribePrepared(conn(db), p->name);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = result_code(db, res);
		PQclear(res);
		return (rc);
	}
	for (i = 0; i < p->nparams && i < PQnparams(res); i++) {
		t = PQparamtype(res, i);
		if (t == PG_INT2OID || t == PG_INT4OID) {
			p->types[i] = PG_INT8OID;
			n++;
		}
	}
	PQclear(res);
	if (n == 0)
		return (0);
	(void)snprintf(sql, sizeof(sql), "DEALLOCATE %s", p->name);
	if ((rc = exec_simple(db, sql)) != 0)
		return (rc);
	return (prepare_as(db, p));
}

/* Prepares p on the server, for the connection as it is now; the first
 * time, with its integers widened (widen_integers()). */
static int
server_prepare(struct db *db, struct pg_q *p)
{
	int rc;

	if ((rc = prepare_as(db, p)) == 0 && p->types == NULL && p->nparams > 0)
		rc = widen_integers(db, p);
	if (rc == 0)
		p->generation = state(db)->generation;
	return (rc);
}

/*
 * Before a statement outside a transaction: when the connection was lost
 * (a server restart, a failover) or is on a server that takes no more
 * writes, makes it again through the URL's hosts, outside a transaction
 * only (one that was going is lost, and its caller rolls back). The
 * statements are prepared again when next run. 0 when the connection is
 * there, DB_EBUSY when no server took it.
 */
static int
reconnect(struct db *db)
{
	int i;

	if (state(db)->in_begin)
		return (0);
	/* What came while the connection was idle, without waiting: the
	 * server's last words and the end of the connection (the second
	 * read sees the end after a first that read the words), or a
	 * setting that changed. */
	for (i = 0; i < 2 && PQstatus(conn(db)) == CONNECTION_OK &&
	     PQtransactionStatus(conn(db)) == PQTRANS_IDLE;
	     i++)
		if (PQconsumeInput(conn(db)))
			(void)PQisBusy(conn(db));
	if (PQstatus(conn(db)) == CONNECTION_OK) {
		check_server(db);
		if (!state(db)->renew)
			return (0);
	}
	PQreset(conn(db));
	/* Whichever way it went, the old connection is closed: its
	 * prepared statements are gone. */
	state(db)->generation++;
	state(db)->savepoint = 0;
	if (PQstatus(conn(db)) != CONNECTION_OK) {
		set_err(db, PQerrorMessage(conn(db)));
		return (DB_EBUSY);
	}
	state(db)->renew = 0;
	return (setup(db));
}

/* Prepares text under name (the server's name of the statement). */
static int
prepare_named(
    struct db *db, const char *text, const char *name, struct db_q *st)
{
	struct pg_q *p;
	char	    *sql;
	int	     n;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return (-1);
	if ((sql = rewrite(text, &n, &p->now)) == NULL) {
		free(p);
		return (-1);
	}
	p->nparams = n;
	p->row = -1;
	p->change = is_change(text);
	(void)snprintf(p->name, sizeof(p->name), "%s", name);
	if (n > 0 &&
	    ((p->values = calloc((size_t)n, sizeof(*p->values))) == NULL ||
		(p->lengths = calloc((size_t)n, sizeof(*p->lengths))) == NULL ||
		(p->formats = calloc((size_t)n, sizeof(*p->formats))) == NULL ||
		(p->owned = calloc((size_t)n, sizeof(*p->owned))) == NULL ||
		(p->num = calloc((size_t)n, sizeof(*p->num))) == NULL))
		goto nomem;
	p->sql = sql;
	if (server_prepare(db, p) != 0) {
		q_free(p);
		return (-1);
	}
	st->h = p;
	return (0);
nomem:
	set_err(db, "out of memory");
	q_free(p);
	free(sql);
	return (-1);
}

static int
pg_prepare(struct db *db, enum stmt id, struct db_q *st)
{
	char name[16];

	(void)snprintf(name, sizeof(name), "s%d", (int)id);
	return (prepare_named(db,
	    stmt_sql[id].pg ? stmt_sql[id].pg : stmt_sql[id].sql, name, st));
}

/*
 * A statement built at run time: named "t<n>", n unique in the process.
 * It runs without a savepoint (store/internal.h): the copy that makes
 * these is all or nothing. The server keeps its prepared copy until the
 * connection closes.
 */
static int
pg_prepare_text(struct db *db, const char *sql, struct db_q *st)
{
	static _Atomic unsigned int made;
	char			    name[16];

	(void)snprintf(name, sizeof(name), "t%u", ++made);
	if (prepare_named(db, sql, name, st) != 0)
		return (-1);
	q(st)->change = 0;
	return (0);
}

static void
pg_finalize(struct db_q *st)
{
	q_free(q(st));
}

static void
pg_reset(struct db_q *st)
{
	struct pg_q *p = q(st);

	PQclear(p->res);
	p->res = NULL;
	p->ran = 0;
	p->failed = 0;
	p->row = -1;
}

static void
pg_clear(struct db_q *st)
{
	struct pg_q *p = q(st);
	int	     i;

	pg_reset(st);
	for (i = 0; i < p->nparams; i++) {
		free(p->owned[i]);
		p->owned[i] = NULL;
		p->values[i] = NULL;
		p->lengths[i] = 0;
		p->formats[i] = 0;
	}
}

/* The parameter's slot (from 1), or -1 when the statement has none. */
static int
slot(struct pg_q *p, int i)
{
	if (i < 1 || i > p->nparams)
		return (-1);
	i--;
	free(p->owned[i]);
	p->owned[i] = NULL;
	p->lengths[i] = 0;
	p->formats[i] = 0;
	return (i);
}

static void
pg_bind_int64(struct db_q *st, int i, int64_t v)
{
	struct pg_q *p = q(st);

	if ((i = slot(p, i)) < 0)
		return;
	(void)snprintf(p->num[i], sizeof(p->num[i]), "%lld", (long long)v);
	p->values[i] = p->num[i];
}

static void
pg_bind_text(struct db_q *st, int i, const char *v, int copy)
{
	struct pg_q *p = q(st);

	if ((i = slot(p, i)) < 0)
		return;
	if (copy && v != NULL) {
		/* Out of memory binds NULL, which a NOT NULL column
		 * refuses. */
		p->owned[i] = strdup(v);
		v = p->owned[i];
	}
	p->values[i] = v;
}

static void
pg_bind_blob(struct db_q *st, int i, const void *v, size_t len)
{
	struct pg_q *p = q(st);

	if ((i = slot(p, i)) < 0)
		return;
	p->values[i] = (const char *)v;
	p->lengths[i] = (int)len;
	p->formats[i] = 1;
}

static void
pg_bind_null(struct db_q *st, int i)
{
	struct pg_q *p = q(st);

	if ((i = slot(p, i)) < 0)
		return;
	p->values[i] = NULL;
}

/* After a change ran: what db_changes() and db_last_id() give. */
static void
note_change(struct db *db, PGresult *res)
{
	const char *tag = PQcmdStatus(res);

	if (strncmp(tag, "INSERT", 6) != 0 && strncmp(tag, "UPDATE", 6) != 0 &&
	    strncmp(tag, "DELETE", 6) != 0)
		return;
	state(db)->changes = strtoll(PQcmdTuples(res), NULL, 10);
	if (strncmp(tag, "INSERT", 6) == 0 && PQntuples(res) > 0 &&
	    PQnfields(res) > 0 && strcmp(PQfname(res, 0), "id") == 0)
		state(db)->last_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
}

/* Inside a transaction, a savepoint before a change (see above). */
static int
savepoint(struct db *db)
{
	int rc;

	if (PQtransactionStatus(conn(db)) != PQTRANS_INTRANS)
		return (0);
	rc = exec_simple(db,
	    state(db)->savepoint ? "RELEASE SAVEPOINT q; SAVEPOINT q"
				 : "SAVEPOINT q");
	state(db)->savepoint = rc == 0;
	return (rc);
}

/* DB_SQL_NOW's parameter: the program's clock as SQLite writes
 * strftime('%Y-%m-%dT%H:%M:%SZ'), or NULL for the server's. */
static void
bind_now(struct pg_q *p)
{
	struct tm tm;
	int64_t	  now;
	time_t	  t;

	p->values[p->now - 1] = NULL;
	p->lengths[p->now - 1] = 0;
	p->formats[p->now - 1] = 0;
	if (db_clock_now(&now) != 0)
		return;
	t = (time_t)now;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(
		p->nowtext, sizeof(p->nowtext), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return;
	p->values[p->now - 1] = p->nowtext;
}

static int
pg_step(struct db_q *st)
{
	struct pg_q   *p = q(st);
	struct db     *db = st->db;
	ExecStatusType s;
	int	       rc;

	if (!p->ran) {
		p->ran = 1;
		p->row = -1;
		if (p->now != 0)
			bind_now(p);
		if (!state(db)->in_begin)
			(void)reconnect(db);
		if (p->generation != state(db)->generation &&
		    (rc = server_prepare(db, p)) != 0)
			return (p->failed = rc);
		if (p->change && (rc = savepoint(db)) != 0)
			return (p->failed = rc);
		p->res = PQexecPrepared(conn(db), p->name, p->nparams,
		    p->values, p->lengths, p->formats, 0);
		s = p->res != NULL ? PQresultStatus(p->res) : PGRES_FATAL_ERROR;
		if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
			check_server(db);
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
			p->failed = result_code(db, p->res);
			PQclear(p->res);
			p->res = NULL;
			if (p->change && state(db)->savepoint) {
				(void)exec_simple(db,
				    "ROLLBACK TO SAVEPOINT q; "
				    "RELEASE SAVEPOINT q");
				state(db)->savepoint = 0;
			}
			return (p->failed);
		}
		note_change(db, p->res);
	}
	if (p->res == NULL)
		return (p->failed != 0 ? p->failed : DB_ERROR);
	if (p->row < PQntuples(p->res))
		p->row++;
	return (p->row < PQntuples(p->res) ? DBQ_ROW : DBQ_DONE);
}

/* Whether the current row has column col. */
static int
has(struct pg_q *p, int col)
{
	return (p->res != NULL && p->row >= 0 && p->row < PQntuples(p->res) &&
	    col >= 0 && col < PQnfields(p->res));
}

static const unsigned char *
pg_col_text(struct db_q *st, int col)
{
	struct pg_q *p = q(st);
	const char  *v;

	if (!has(p, col) || PQgetisnull(p->res, p->row, col))
		return (NULL);
	v = PQgetvalue(p->res, p->row, col);
	if (PQftype(p->res, col) == PG_BOOLOID)
		return ((const unsigned char *)(v[0] == 't' ? "1" : "0"));
	return ((const unsigned char *)v);
}

static size_t
pg_col_bytes(struct db_q *st, int col)
{
	struct pg_q *p = q(st);

	if (!has(p, col) || PQgetisnull(p->res, p->row, col))
		return (0);
	if (PQftype(p->res, col) == PG_BOOLOID)
		return (1);
	return ((size_t)PQgetlength(p->res, p->row, col));
}

static int64_t
pg_col_int64(struct db_q *st, int col)
{
	const unsigned char *v = pg_col_text(st, col);

	return (v != NULL ? strtoll((const char *)v, NULL, 10) : 0);
}

static int64_t
pg_last_id(struct db *db)
{
	return (state(db)->last_id);
}

static int64_t
pg_changes(struct db *db)
{
	return (state(db)->changes);
}

static int
pg_in_transaction(struct db *db)
{
	return (PQtransactionStatus(conn(db)) != PQTRANS_IDLE);
}

/* No number here moves on every commit by any connection: nothing is
 * kept (store/memo.c). */
static int
pg_data_version(struct db *db, uint64_t *v)
{
	(void)db;
	*v = 0;
	return (1);
}

static int
pg_begin(struct db *db)
{
	int rc, tries;

	/* A connection lost as the transaction began is made again and
	 * the transaction begun on the new one: nothing had happened. */
	for (tries = 0; tries < 2; tries++) {
		state(db)->savepoint = 0;
		if ((rc = reconnect(db)) != 0)
			return (rc);
		rc = exec_simple(db,
		    "BEGIN ISOLATION LEVEL READ COMMITTED; "
		    "SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")");
		if (rc == 0) {
			state(db)->in_begin = 1;
			return (0);
		}
		if (PQstatus(conn(db)) != CONNECTION_BAD)
			break;
	}
	if (PQstatus(conn(db)) != CONNECTION_BAD)
		(void)exec_simple(db, "ROLLBACK");
	return (rc);
}

static void
pg_rollback(struct db *db)
{
	state(db)->savepoint = 0;
	state(db)->in_begin = 0;
	if (PQtransactionStatus(conn(db)) != PQTRANS_IDLE)
		(void)exec_simple(db, "ROLLBACK");
}

static int
pg_commit(struct db *db)
{
	PGresult *res;
	int	  rc = 0;

	state(db)->savepoint = 0;
	state(db)->in_begin = 0;
	/* COMMIT of a failed transaction answers "ROLLBACK". */
	if (PQtransactionStatus(conn(db)) == PQTRANS_INERROR) {
		set_err(db, "the transaction failed and was rolled back");
		pg_rollback(db);
		return (DB_ERROR);
	}
	/* A warning only counts in a transaction (without one, COMMIT
	 * warns that there is none). */
	state(db)->committing =
	    PQtransactionStatus(conn(db)) == PQTRANS_INTRANS;
	state(db)->warned = 0;
	res = PQexec(conn(db), "COMMIT");
	state(db)->committing = 0;
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = result_code(db, res);
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		set_err(db, "the transaction was rolled back");
		rc = DB_ERROR;
	} else if (state(db)->warned) {
		/* "canceling wait for synchronous replication": committed
		 * here, perhaps not on the standby. Not a success. */
		set_err(db,
		    "the commit was not confirmed by the synchronous "
		    "standby");
		rc = DB_EBUSY;
	}
	PQclear(res);
	if (rc != 0)
		pg_rollback(db);
	return (rc);
}

/* The server checks its pages itself (data checksums, if enabled);
 * here, that it answers. */
static int
pg_integrity_check(struct db *db)
{
	return (exec_simple(db, "SELECT 1") == 0 ? 0 : DB_ERROR);
}

/* Returns the version number a file name starts with, or -1. */
static int
migration_version(const char *name)
{
	char *end;
	long  v;

	v = strtol(name, &end, 10);
	if (end == name || *end != '_' || v <= 0 || v > 99999)
		return (-1);
	return ((int)v);
}

/*
 * migrations/pg, compiled in like SQLite's: each file above the
 * database's version in one transaction. Each file records itself in
 * schema_migrations (CALL schema_migration_begin, migrations/pg/001) and
 * refuses to run out of order.
 */
static int
pg_migrate(struct db *db, int *applied, char *err, size_t errlen)
{
	PGresult *res;
	size_t	  i;
	int	  current = 0, exists, v, rc;

	*applied = 0;
	if (pg_migrations_count != migrations_count) {
		snprintf(err, errlen,
		    "this program has %zu PostgreSQL migrations for %zu "
		    "SQLite ones",
		    pg_migrations_count, migrations_count);
		return (DB_ERROR);
	}
	res = PQexec(
	    conn(db), "SELECT to_regclass('schema_migrations') IS NOT NULL");
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQntuples(res) != 1) {
		rc = result_code(db, res);
		PQclear(res);
		snprintf(err, errlen, "cannot read the schema version: %s",
		    pg_errmsg(db));
		return (rc != 0 ? rc : DB_ERROR);
	}
	exists = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (exists && db_schema_version(db, &current) != 0) {
		snprintf(err, errlen, "cannot read the schema version: %s",
		    pg_errmsg(db));
		return (DB_ERROR);
	}
	if (current > db_schema_latest()) {
		snprintf(err, errlen,
		    "the database is at schema version %d, "
		    "newer than this program (%d)",
		    current, db_schema_latest());
		return (DB_ERROR);
	}
	for (i = 0; i < pg_migrations_count; i++) {
		v = migration_version(pg_migrations_files[i].name);
		if (v != (int)i + 1) {
			snprintf(err, errlen, "migration %s is out of sequence",
			    pg_migrations_files[i].name);
			return (DB_ERROR);
		}
		if (v <= current)
			continue;
		if ((rc = exec_simple(db, "BEGIN")) != 0 ||
		    (rc = exec_simple(
			 db, (const char *)pg_migrations_files[i].data)) != 0) {
			snprintf(err, errlen, "migration %s failed: %s",
			    pg_migrations_files[i].name, pg_errmsg(db));
			pg_rollback(db);
			return (rc);
		}
		if ((rc = pg_commit(db)) != 0) {
			snprintf(err, errlen, "cannot commit migration %s: %s",
			    pg_migrations_files[i].name, pg_errmsg(db));
			return (rc);
		}
		(*applied)++;
	}
	return (0);
}

static int
pg_backup(struct db *db, const char *dest, char *err, size_t errlen)
{
	(void)db;
	(void)dest;
	snprintf(err, errlen,
	    "a PostgreSQL database is backed up with pg_dump or the "
	    "server's own backups, not by fellowctl");
	return (DB_ERROR);
}

const struct db_engine db_engine_pg = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.errmsg = pg_errmsg,
	.rc = pg_rc,
	.prepare = pg_prepare,
	.prepare_text = pg_prepare_text,
	.finalize = pg_finalize,
	.clear = pg_clear,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.col_int64 = pg_col_int64,
	.col_text = pg_col_text,
	.col_bytes = pg_col_bytes,
	.last_id = pg_last_id,
	.changes = pg_changes,
	.in_transaction = pg_in_transaction,
	.data_version = pg_data_version,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.integrity_check = pg_integrity_check,
	.migrate = pg_migrate,
	.backup = pg_backup,
};
