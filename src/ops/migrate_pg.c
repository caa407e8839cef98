/*
 * Moving an installation from SQLite to PostgreSQL (ops/migrate_pg.h):
 * the checks and their order, the two transactions and the audit record;
 * the copy itself is store/copy.c's.
 *
 * Order: the source's write lock first, so that nothing it is checked
 * for changes before it is copied; then everything that can refuse
 * without touching the target (the source's version, its files, what
 * the target holds); then the target's migrations, applied as fellowctl
 * migrate would; then the copy, in one transaction on the target, which
 * ends in a commit only when every table's counts agree. The source's
 * lock is let go last.
 */
#include <stdio.h>
#include <string.h>

#include "ops/migrate_pg.h"

/* Keeps what is wrong with a stored file, for the report. */
static int
note_problem(void *arg, const char *sha256, const char *problem)
{
	char line[160];

	(void)snprintf(line, sizeof(line), "%s.pdf: %s", sha256, problem);
	return (json_array_append_new(arg, json_string(line)) == 0
		? 0
		: OPS_ENOMEM);
}

/* Appends s to e->message, cut where it is full. */
static void
append(struct ops_error *e, const char *s)
{
	(void)strncat(
	    e->message, s, sizeof(e->message) - 1 - strlen(e->message));
}

/* Refuses with a sentence made of three parts (a database's words may
 * be long: the sentence is cut where e->message is full). */
static int
refuse3(
    struct ops_error *e, int rc, const char *a, const char *b, const char *c)
{
	e->field = NULL;
	e->message[0] = '\0';
	append(e, a);
	append(e, b);
	append(e, c);
	return (rc);
}

static int
refuse2(struct ops_error *e, int rc, const char *a, const char *b)
{
	return (refuse3(e, rc, a, b, ""));
}

/* The first table whose counts differ, or NULL. */
static const struct db_copy_table *
differs(const struct db_copy *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->tables[i].from != c->tables[i].to)
			return (&c->tables[i]);
	return (NULL);
}

/* The source: at this program's version, its files whole. */
static int
check_source(struct db *from, const char *docdir, struct ops_migrate_pg *r,
    struct ops_error *e)
{
	char err[512], msg[sizeof(e->message)];
	int  version, rc;

	if (db_schema_version(from, &version) != 0)
		return (refuse2(e, OPS_CONFLICT,
		    "the SQLite database is not one of this program's: ",
		    db_errmsg(from)));
	if (version != db_schema_latest()) {
		(void)snprintf(msg, sizeof(msg),
		    "the SQLite database is at schema version %d, this "
		    "program's is %d: %s",
		    version, db_schema_latest(),
		    version < db_schema_latest()
			? "run fellowctl migrate on it first (without "
			  "DATABASE_URL)"
			: "use the program that made it");
		return (ops_refuse(e, OPS_CONFLICT, NULL, msg));
	}
	r->schema_version = version;
	rc = db_files_verify(from, docdir, note_problem, r->problems, &r->files,
	    err, sizeof(err));
	if (rc != 0)
		return (rc == OPS_ENOMEM ? rc : refuse2(e, rc, "", err));
	if (r->files.bad > 0) {
		(void)snprintf(msg, sizeof(msg),
		    "%lld stored %s in %s %s missing or damaged; the server "
		    "could not serve %s after the move. Restore %s from a "
		    "backup first",
		    (long long)r->files.bad,
		    r->files.bad == 1 ? "file" : "files", docdir,
		    r->files.bad == 1 ? "is" : "are",
		    r->files.bad == 1 ? "it" : "them",
		    r->files.bad == 1 ? "it" : "them");
		return (ops_refuse(e, OPS_CONFLICT, NULL, msg));
	}
	return (OPS_OK);
}

/* The target, before anything is written to it: empty, then migrated. */
static int
prepare_target(struct db *to, struct ops_migrate_pg *r, struct ops_error *e)
{
	char why[256], msg[sizeof(e->message)];
	int  rc, version;

	if ((rc = db_copy_target_empty(to, why, sizeof(why))) < 0)
		return (refuse2(e, rc, "", why));
	if (rc == 0)
		return (refuse3(e, OPS_CONFLICT,
		    "the PostgreSQL database is not empty: ", why,
		    ". Nothing was copied; move to a new, empty database"));
	if ((rc = db_migrate(to, &r->applied, msg, sizeof(msg))) != 0)
		return (refuse2(e, rc,
		    "cannot migrate the PostgreSQL "
		    "database: ",
		    msg));
	if (db_schema_version(to, &version) != 0 ||
	    version != r->schema_version)
		return (ops_refuse(e, OPS_CONFLICT, NULL,
		    "the PostgreSQL database is not at this program's schema "
		    "version after its migrations"));
	return (OPS_OK);
}

/* The copy, inside the target's transaction. */
static int
copy(struct db *from, struct db *to, struct ops_migrate_pg *r,
    struct ops_error *e)
{
	const struct db_copy_table *d;
	char			    why[512], msg[sizeof(e->message)];
	int			    rc;

	/* Again under the target's lock: a server may have started on it
	 * meanwhile. */
	if ((rc = db_copy_target_empty(to, why, sizeof(why))) < 0)
		return (refuse2(e, rc, "", why));
	if (rc == 0)
		return (refuse2(e, OPS_CONFLICT,
		    "the PostgreSQL database is not empty: ", why));
	if ((rc = db_copy_same_schema(from, to, why, sizeof(why))) < 0)
		return (refuse2(e, rc, "", why));
	if (rc == 0)
		return (refuse2(e, OPS_CONFLICT,
		    "the two databases' schemas differ: ", why));
	if ((rc = db_copy_rows(from, to, &r->copy, why, sizeof(why))) != 0)
		return (refuse2(e, rc, "the copy failed: ", why));
	if ((d = differs(&r->copy)) != NULL) {
		(void)snprintf(msg, sizeof(msg),
		    "the counts differ: %s has %lld rows in SQLite and %lld "
		    "in PostgreSQL; the copy was rolled back",
		    d->name, (long long)d->from, (long long)d->to);
		return (ops_refuse(e, OPS_CONFLICT, NULL, msg));
	}
	if ((rc = db_copy_sequences(to, &r->copy, why, sizeof(why))) != 0)
		return (refuse2(e, rc, "the copy failed: ", why));
	return (ops_audit(to, 0, "database.to_postgresql", "", 0,
	    json_pack("{s:I,s:I,s:i}", "rows_copied", (json_int_t)r->copy.rows,
		"files_checked", (json_int_t)r->files.files, "schema_version",
		r->schema_version)));
}

int
ops_migrate_to_postgres(struct db *from, struct db *to, const char *docdir,
    struct ops_migrate_pg *r, struct ops_error *e)
{
	int rc;

	memset(r, 0, sizeof(*r));
	e->message[0] = '\0';
	if ((r->problems = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_begin(from)) != 0)
		return (rc == DB_EBUSY
			? ops_refuse(e, OPS_CONFLICT, NULL,
			      "the SQLite database is being written to: stop "
			      "the server that uses it, then try again")
			: refuse2(e, rc, "cannot lock the SQLite database: ",
			      db_errmsg(from)));
	if ((rc = check_source(from, docdir, r, e)) != OPS_OK ||
	    (rc = prepare_target(to, r, e)) != OPS_OK)
		goto out;
	if ((rc = db_begin(to)) != 0) {
		rc = refuse2(e, rc,
		    "cannot begin on the PostgreSQL database: ", db_errmsg(to));
		goto out;
	}
	rc = ops_finish(to, copy(from, to, r, e));
	if (rc < 0 && e->message[0] == '\0')
		(void)refuse2(
		    e, rc, "the copy was not committed: ", db_errmsg(to));
out:
	/* The source was only read: its transaction ends either way. */
	(void)ops_finish(from, rc);
	return (rc);
}

void
ops_migrate_pg_clear(struct ops_migrate_pg *r)
{
	if (r == NULL)
		return;
	json_decref(r->problems);
	db_copy_clear(&r->copy);
	memset(r, 0, sizeof(*r));
}
