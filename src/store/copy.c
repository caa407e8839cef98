/*
 * Copying an installation's rows from its SQLite database to a
 * PostgreSQL one (store/db.h, "Copy"), for fellowctl migrate-to-postgres
 * (ops/migrate_pg.h).
 *
 * Nothing here names a table of the program. The tables, their columns
 * and the tables each one refers to are read from the databases' own
 * descriptions of themselves (STMT_SCHEMA_*), so that a new migration is
 * copied without a change here; the statements that read, write and
 * count each table are made at run time from those names, quoted
 * (db_q_prepare_text()). The two schemas must agree, table by table and
 * column by column, as migrations/ and migrations/pg are kept; the
 * target's describes the types. schema_migrations is each database's
 * own record of its migrations, and is not copied.
 *
 * Which rows the migrations write themselves (the program's first row,
 * the ranking's change counter): those an SQLite database made in memory
 * holds once migrated. Both engines' migrations write the same rows
 * (tests/pg/test_schema.py).
 *
 * The copy runs inside the caller's transaction on the target:
 *   - the program's triggers are switched off on every table (ALTER TABLE
 *     DISABLE TRIGGER USER; the foreign keys' own triggers stay on and
 *     check every row), so that each row arrives as it was: the
 *     append-only tables refuse only UPDATE and DELETE, but an interview
 *     slot's capacity would be checked again row by row, and the counter
 *     of changes that move a ranking (migrations/014) would move with
 *     every row. PostgreSQL undoes the switch with the transaction if it
 *     rolls back; the copy switches them on again before it returns, and
 *     checks that no trigger is left off. Switching needs the tables to
 *     belong to the user connected, as they do when fellowctl created
 *     them;
 *   - the rows the migrations wrote are deleted, children first: the
 *     source holds its own version of each (the program's name as
 *     renamed, the counter as it stands);
 *   - the tables are copied in an order in which each comes after those
 *     it refers to, every column as it is, ids included. A value goes as
 *     text, a bytea column's as bytes, and PostgreSQL reads it by the
 *     column's type (json, citext, bigint, text times);
 *   - each table's rows are counted on both sides.
 * db_copy_sequences() then moves each identity column's sequence past
 * the highest id, once the caller has compared the counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* The tables of the schema that are no installation's data. */
#define MIGRATIONS_TABLE "schema_migrations"

struct column {
	char name[DB_TABLE_MAX];
	char type[32];
	int  counted; /* its values handed out by the database */
};

struct table {
	char	       name[DB_TABLE_MAX];
	struct column *cols;
	size_t	       ncols, colcap;
	char (*refs)[DB_TABLE_MAX]; /* the tables it refers to */
	size_t nrefs, refcap;
	int    placed;
};

struct db_copy_schema {
	struct table *v;
	size_t	      n, cap;
	int	      toolong; /* a name too long for DB_TABLE_MAX */
	int	      nomem;
};

static void
schema_free(struct db_copy_schema *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].cols);
		free(s->v[i].refs);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Makes room for one more of n elements of size in *v (capacity *cap). */
static int
grow(void **v, size_t n, size_t *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return (0);
	if ((p = reallocarray(*v, *cap ? *cap * 2 : 16, size)) == NULL)
		return (-1);
	*v = p;
	*cap = *cap ? *cap * 2 : 16;
	return (0);
}

/* Copies column col into out (DB_TABLE_MAX); -1 when it does not fit. */
static int
name_of(struct db_q *st, int col, char *out)
{
	const unsigned char *v = db_col_text(st, col);

	if (v == NULL || strlen((const char *)v) >= DB_TABLE_MAX)
		return (-1);
	(void)snprintf(out, DB_TABLE_MAX, "%s", (const char *)v);
	return (0);
}

static int
add_table(struct db_q *st, void *arg)
{
	struct db_copy_schema *s = arg;
	struct table	      *t;

	if (grow((void **)&s->v, s->n, &s->cap, sizeof(*s->v)) != 0) {
		s->nomem = 1;
		return (DB_ERROR);
	}
	t = &s->v[s->n];
	memset(t, 0, sizeof(*t));
	if (name_of(st, 0, t->name) != 0) {
		s->toolong = 1;
		return (DB_ERROR);
	}
	if (strcmp(t->name, MIGRATIONS_TABLE) != 0)
		s->n++;
	return (0);
}

/* What add_column() and add_ref() fill. */
struct filling {
	struct db_copy_schema *s;
	struct table	      *t;
};

static int
add_column(struct db_q *st, void *arg)
{
	struct filling *f = arg;
	struct table   *t = f->t;
	struct column  *c;

	if (grow((void **)&t->cols, t->ncols, &t->colcap, sizeof(*t->cols)) !=
	    0) {
		f->s->nomem = 1;
		return (DB_ERROR);
	}
	c = &t->cols[t->ncols];
	if (name_of(st, 0, c->name) != 0) {
		f->s->toolong = 1;
		return (DB_ERROR);
	}
	db_column_text(st, 1, c->type, sizeof(c->type));
	c->counted = db_col_int(st, 2) == 1;
	t->ncols++;
	return (0);
}

static int
add_ref(struct db_q *st, void *arg)
{
	struct filling *f = arg;
	struct table   *t = f->t;

	if (grow((void **)&t->refs, t->nrefs, &t->refcap, sizeof(*t->refs)) !=
	    0) {
		f->s->nomem = 1;
		return (DB_ERROR);
	}
	if (name_of(st, 0, t->refs[t->nrefs]) != 0) {
		f->s->toolong = 1;
		return (DB_ERROR);
	}
	t->nrefs++;
	return (0);
}

static int
by_name(const void *a, const void *b)
{
	return (strcmp(
	    ((const struct table *)a)->name, ((const struct table *)b)->name));
}

/* The table named name of s, or NULL. */
static struct table *
find(const struct db_copy_schema *s, const char *name)
{
	struct table key;

	memset(&key, 0, sizeof(key));
	(void)snprintf(key.name, sizeof(key.name), "%s", name);
	if (s->n == 0)
		return (NULL);
	return (bsearch(&key, s->v, s->n, sizeof(*s->v), by_name));
}

/* Runs a listing of the schema (bound to the table's name, if any). */
static int
list(struct db *db, enum stmt id, const char *table,
    int (*row)(struct db_q *, void *), void *arg)
{
	struct db_q *st;

	if ((st = db_stmt(db, id)) == NULL)
		return (DB_ERROR);
	if (table != NULL)
		db_bind_text(st, 1, table);
	return (db_each(db, st, row, arg));
}

/*
 * Reads db's tables (but schema_migrations), by name, with their columns
 * and the tables they refer to. 0, or DB_E* with a sentence in err.
 */
static int
load(struct db *db, const char *which, struct db_copy_schema *s, char *err,
    size_t errlen)
{
	struct filling f = { s, NULL };
	size_t	       i;
	int	       rc;

	memset(s, 0, sizeof(*s));
	if ((rc = list(db, STMT_SCHEMA_TABLES, NULL, add_table, s)) != 0)
		goto fail;
	if (s->n > 0)
		qsort(s->v, s->n, sizeof(*s->v), by_name);
	for (i = 0; i < s->n; i++) {
		f.t = &s->v[i];
		if ((rc = list(db, STMT_SCHEMA_COLUMNS, f.t->name, add_column,
			 &f)) != 0 ||
		    (rc = list(db, STMT_SCHEMA_REFERENCES, f.t->name, add_ref,
			 &f)) != 0)
			goto fail;
	}
	return (0);
fail:
	(void)snprintf(err, errlen, "cannot read the tables of %s: %s", which,
	    s->nomem	     ? "out of memory"
		: s->toolong ? "a name is too long"
			     : db_errmsg(db));
	schema_free(s);
	return (rc != 0 ? rc : DB_ERROR);
}

/* Writes name to f as a quoted identifier. */
static void
put_ident(FILE *f, const char *name)
{
	(void)fputc('"', f);
	for (; *name != '\0'; name++) {
		if (*name == '"')
			(void)fputc('"', f);
		(void)fputc(*name, f);
	}
	(void)fputc('"', f);
}

/*
 * A statement's text made by fn(f, arg) into a new string the caller
 * frees, or NULL when out of memory.
 */
static char *
make_sql(void (*fn)(FILE *, const void *), const void *arg)
{
	FILE  *f;
	char  *sql = NULL;
	size_t len = 0;

	if ((f = open_memstream(&sql, &len)) == NULL)
		return (NULL);
	fn(f, arg);
	if (ferror(f)) {
		(void)fclose(f);
		free(sql);
		return (NULL);
	}
	if (fclose(f) != 0) {
		free(sql);
		return (NULL);
	}
	return (sql);
}

/*
 * Prepares the text fn makes from arg into st: 0, or DB_E* with err
 * set (what says for what).
 */
static int
prepare(struct db *db, void (*fn)(FILE *, const void *), const void *arg,
    struct db_q *st, const char *what, char *err, size_t errlen)
{
	char *sql;
	int   rc = 0;

	st->h = NULL;
	if ((sql = make_sql(fn, arg)) == NULL) {
		(void)snprintf(err, errlen, "%s: out of memory", what);
		return (DB_ERROR);
	}
	if (db_q_prepare_text(db, sql, st) != 0) {
		(void)snprintf(err, errlen, "%s: %s", what, db_errmsg(db));
		rc = DB_ERROR;
	}
	free(sql);
	return (rc);
}

/*
 * Runs st (prepared) to its end, the value of the first column of its
 * last row into *v (when v is not NULL), and frees it: 0, or DB_E* with
 * err set.
 */
static int
run(struct db *db, struct db_q *st, int64_t *v, const char *what, char *err,
    size_t errlen)
{
	int rc;

	while ((rc = db_q_step(st)) == DBQ_ROW)
		if (v != NULL)
			*v = db_col_int64(st, 0);
	if (rc != DBQ_DONE) {
		rc = db_rc(db, rc);
		(void)snprintf(err, errlen, "%s: %s", what, db_errmsg(db));
		if (rc == 0)
			rc = DB_ERROR;
	} else
		rc = 0;
	db_q_finalize(st);
	return (rc);
}

/* SELECT count(*) FROM "<table>" */
static void
sql_count(FILE *f, const void *arg)
{
	(void)fputs("SELECT count(*) FROM ", f);
	put_ident(f, arg);
}

/* How many rows table of db holds, into *n. */
static int
count_rows(
    struct db *db, const char *table, int64_t *n, char *err, size_t errlen)
{
	struct db_q st;
	int	    rc;

	*n = 0;
	if ((rc = prepare(db, sql_count, table, &st, table, err, errlen)) != 0)
		return (rc);
	return (run(db, &st, n, table, err, errlen));
}

int
db_copy_target_empty(struct db *to, char *why, size_t whylen)
{
	struct db_copy_schema fresh = { 0 }, target = { 0 };
	struct db	     *mem = NULL;
	int64_t		      n, initial;
	size_t		      i;
	int		      applied, rc;

	why[0] = '\0';
	/* What a new database holds: the migrations' own rows. */
	if ((rc = db_open(&mem, ":memory:", DB_MODE_ADMIN, why, whylen)) != 0 ||
	    (rc = db_migrate(mem, &applied, why, whylen)) != 0 ||
	    (rc = load(mem, "a new database", &fresh, why, whylen)) != 0 ||
	    (rc = load(to, "the PostgreSQL database", &target, why, whylen)) !=
		0)
		goto out;
	for (i = 0; i < target.n; i++) {
		if (find(&fresh, target.v[i].name) == NULL) {
			(void)snprintf(why, whylen,
			    "it has a table %s, which is not one of this "
			    "program's",
			    target.v[i].name);
			rc = 0;
			goto out;
		}
		if ((rc = count_rows(to, target.v[i].name, &n, why, whylen)) !=
			0 ||
		    (n > 0 &&
			(rc = count_rows(mem, target.v[i].name, &initial, why,
			     whylen)) != 0))
			goto out;
		if (n > 0 && n > initial) {
			(void)snprintf(why, whylen,
			    "its table %s holds %lld %s", target.v[i].name,
			    (long long)n, n == 1 ? "row" : "rows");
			rc = 0;
			goto out;
		}
	}
	rc = 1;
out:
	schema_free(&fresh);
	schema_free(&target);
	db_close(mem);
	return (rc);
}

/* 1 when a and b have the same columns (by name), else 0 with why. */
static int
same_columns(
    const struct table *a, const struct table *b, char *why, size_t whylen)
{
	size_t i, j;

	for (i = 0; i < a->ncols; i++) {
		for (j = 0; j < b->ncols; j++)
			if (strcmp(a->cols[i].name, b->cols[j].name) == 0)
				break;
		if (j == b->ncols) {
			(void)snprintf(why, whylen,
			    "the column %s.%s of the SQLite database is not in "
			    "the PostgreSQL one",
			    a->name, a->cols[i].name);
			return (0);
		}
	}
	if (a->ncols != b->ncols) {
		(void)snprintf(why, whylen,
		    "the table %s has %zu columns in the SQLite database and "
		    "%zu in the PostgreSQL one",
		    a->name, a->ncols, b->ncols);
		return (0);
	}
	return (1);
}

/* 1 when from and to have the same tables and columns, else 0 with why. */
static int
same_schema(const struct db_copy_schema *from, const struct db_copy_schema *to,
    char *why, size_t len)
{
	const struct table *t;
	size_t		    i;

	for (i = 0; i < from->n; i++) {
		if ((t = find(to, from->v[i].name)) == NULL) {
			(void)snprintf(why, len,
			    "the table %s of the SQLite database is not in the "
			    "PostgreSQL one",
			    from->v[i].name);
			return (0);
		}
		if (!same_columns(&from->v[i], t, why, len))
			return (0);
	}
	for (i = 0; i < to->n; i++) {
		if (find(from, to->v[i].name) == NULL) {
			(void)snprintf(why, len,
			    "the table %s of the PostgreSQL database is not in "
			    "the SQLite one",
			    to->v[i].name);
			return (0);
		}
	}
	return (1);
}

int
db_copy_same_schema(struct db *from, struct db *to, char *why, size_t whylen)
{
	struct db_copy_schema a = { 0 }, b = { 0 };
	int		      rc;

	why[0] = '\0';
	if ((rc = load(from, "the SQLite database", &a, why, whylen)) == 0 &&
	    (rc = load(to, "the PostgreSQL database", &b, why, whylen)) == 0)
		rc = same_schema(&a, &b, why, whylen);
	schema_free(&a);
	schema_free(&b);
	return (rc);
}

/*
 * The order to copy s's tables in, each after those it refers to, into
 * order (s->n entries): 0, or -1 with why when some refer to each other
 * in a circle.
 */
static int
copy_order(struct db_copy_schema *s, size_t *order, char *why, size_t whylen)
{
	const struct table *r;
	size_t		    done = 0, i, j;
	int		    moved, ready;

	for (i = 0; i < s->n; i++)
		s->v[i].placed = 0;
	while (done < s->n) {
		moved = 0;
		for (i = 0; i < s->n; i++) {
			if (s->v[i].placed)
				continue;
			ready = 1;
			for (j = 0; j < s->v[i].nrefs && ready; j++) {
				r = find(s, s->v[i].refs[j]);
				/* A table may refer to itself: its rows
				 * come in the order of their ids. */
				if (r != NULL && r != &s->v[i] && !r->placed)
					ready = 0;
			}
			if (ready) {
				s->v[i].placed = 1;
				order[done++] = i;
				moved = 1;
			}
		}
		if (!moved)
			break;
	}
	if (done == s->n)
		return (0);
	for (i = 0; i < s->n && s->v[i].placed; i++)
		continue;
	(void)snprintf(why, whylen,
	    "the table %s is in a circle of tables that refer to each other",
	    s->v[i].name);
	return (-1);
}

/* A statement on a whole table: <before> "<table>" <after>. */
struct about {
	const struct table *t;
	const char	   *before, *after;
};

static void
sql_on(FILE *f, const void *arg)
{
	const struct about *a = arg;

	(void)fputs(a->before, f);
	put_ident(f, a->t->name);
	(void)fputs(a->after, f);
}

/* SELECT "c1", "c2" FROM "<table>" */
static void
sql_select(FILE *f, const void *arg)
{
	const struct table *t = arg;
	size_t		    i;

	(void)fputs("SELECT ", f);
	for (i = 0; i < t->ncols; i++) {
		if (i > 0)
			(void)fputs(", ", f);
		put_ident(f, t->cols[i].name);
	}
	(void)fputs(" FROM ", f);
	put_ident(f, t->name);
}

/* INSERT INTO "<table>" ("c1", "c2") VALUES (?1, ?2) */
static void
sql_insert(FILE *f, const void *arg)
{
	const struct table *t = arg;
	size_t		    i;

	(void)fputs("INSERT INTO ", f);
	put_ident(f, t->name);
	(void)fputs(" (", f);
	for (i = 0; i < t->ncols; i++) {
		if (i > 0)
			(void)fputs(", ", f);
		put_ident(f, t->cols[i].name);
	}
	(void)fputs(") VALUES (", f);
	for (i = 0; i < t->ncols; i++)
		(void)fprintf(f, "%s?%zu", i > 0 ? ", " : "", i + 1);
	(void)fputs(")", f);
}

/* Runs "<before> <table> <after>" on db: 0, or DB_E* with err set. */
static int
on_table(struct db *db, const struct table *t, const char *before,
    const char *after, char *err, size_t errlen)
{
	struct about a = { t, before, after };
	struct db_q  st;
	int	     rc;

	if ((rc = prepare(db, sql_on, &a, &st, t->name, err, errlen)) != 0)
		return (rc);
	return (run(db, &st, NULL, t->name, err, errlen));
}

/*
 * Copies every row of t from from to to (the columns of t, the target's
 * description); *n counts them.
 */
static int
copy_table(struct db *from, struct db *to, const struct table *t, int64_t *n,
    char *err, size_t errlen)
{
	struct db_q	     sel = { NULL, NULL }, ins = { NULL, NULL };
	const unsigned char *v;
	size_t		     i;
	int		     rc;

	*n = 0;
	if ((rc = prepare(from, sql_select, t, &sel, t->name, err, errlen)) !=
		0 ||
	    (rc = prepare(to, sql_insert, t, &ins, t->name, err, errlen)) != 0)
		goto out;
	while ((rc = db_q_step(&sel)) == DBQ_ROW) {
		for (i = 0; i < t->ncols; i++) {
			v = db_col_text(&sel, (int)i);
			if (v == NULL)
				db_bind_null(&ins, (int)i + 1);
			else if (strcmp(t->cols[i].type, "bytea") == 0)
				db_bind_blob(&ins, (int)i + 1, v,
				    db_col_bytes(&sel, (int)i));
			else
				db_bind_text(&ins, (int)i + 1, (const char *)v);
		}
		if ((rc = db_q_step(&ins)) != DBQ_DONE) {
			v = db_col_text(&sel, 0);
			(void)snprintf(err, errlen,
			    "cannot copy the row of %s whose %s is %s: %s",
			    t->name, t->cols[0].name,
			    v != NULL ? (const char *)v : "NULL",
			    db_errmsg(to));
			rc = db_rc(to, rc) != 0 ? db_rc(to, rc) : DB_ERROR;
			goto out;
		}
		db_q_reset(&ins);
		(*n)++;
	}
	if (rc != DBQ_DONE) {
		(void)snprintf(err, errlen, "cannot read %s: %s", t->name,
		    db_errmsg(from));
		rc = db_rc(from, rc) != 0 ? db_rc(from, rc) : DB_ERROR;
	} else
		rc = 0;
out:
	db_q_finalize(&sel);
	db_q_finalize(&ins);
	return (rc);
}

/* The program's triggers left switched off in to: *n. */
static int
triggers_off(struct db *to, int64_t *n, char *err, size_t errlen)
{
	struct db_q st;

	*n = 0;
	if (db_q_prepare_text(to,
		"SELECT count(*) FROM pg_trigger g JOIN pg_class c ON "
		"c.oid = g.tgrelid WHERE c.relnamespace = "
		"to_regnamespace(current_schema()) AND NOT g.tgisinternal "
		"AND g.tgenabled = 'D'",
		&st) != 0) {
		(void)snprintf(err, errlen, "triggers: %s", db_errmsg(to));
		return (DB_ERROR);
	}
	return (run(to, &st, n, "triggers", err, errlen));
}

/* The counts of each table, by name, into out->tables. */
static int
count_all(struct db *from, struct db *to, const struct db_copy_schema *s,
    struct db_copy *out, char *err, size_t errlen)
{
	size_t i;
	int    rc;

	if ((out->tables = calloc(s->n + 1, sizeof(*out->tables))) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return (DB_ERROR);
	}
	for (i = 0; i < s->n; i++) {
		(void)snprintf(out->tables[i].name, sizeof(out->tables[i].name),
		    "%s", s->v[i].name);
		if ((rc = count_rows(from, s->v[i].name, &out->tables[i].from,
			 err, errlen)) != 0 ||
		    (rc = count_rows(to, s->v[i].name, &out->tables[i].to, err,
			 errlen)) != 0)
			return (rc);
		out->n++;
	}
	return (0);
}

int
db_copy_rows(struct db *from, struct db *to, struct db_copy *out, char *err,
    size_t errlen)
{
	struct db_copy_schema src = { 0 }, *dst = NULL;
	size_t		     *order = NULL, i, k;
	int64_t		      n;
	int		      rc;

	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	if (from->eng != &db_engine_sqlite || to->eng != &db_engine_pg) {
		(void)snprintf(
		    err, errlen, "a copy goes from SQLite to PostgreSQL");
		return (DB_ERROR);
	}
	if ((dst = calloc(1, sizeof(*dst))) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return (DB_ERROR);
	}
	out->schema = dst;
	if ((rc = load(from, "the SQLite database", &src, err, errlen)) != 0 ||
	    (rc = load(to, "the PostgreSQL database", dst, err, errlen)) != 0)
		goto out;
	if (!same_schema(&src, dst, err, errlen)) {
		rc = DB_ERROR;
		goto out;
	}
	if ((order = calloc(dst->n + 1, sizeof(*order))) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		rc = DB_ERROR;
		goto out;
	}
	if (copy_order(dst, order, err, errlen) != 0) {
		rc = DB_ERROR;
		goto out;
	}
	for (i = 0; i < dst->n; i++)
		if ((rc = on_table(to, &dst->v[i], "ALTER TABLE ",
			 " DISABLE TRIGGER USER", err, errlen)) != 0)
			goto out;
	/* The migrations' own rows, children first. */
	for (k = dst->n; k-- > 0;) {
		if ((rc = count_rows(
			 to, dst->v[order[k]].name, &n, err, errlen)) != 0)
			goto out;
		if (n > 0 &&
		    (rc = on_table(to, &dst->v[order[k]], "DELETE FROM ", "",
			 err, errlen)) != 0)
			goto out;
	}
	for (k = 0; k < dst->n; k++) {
		if ((rc = copy_table(
			 from, to, &dst->v[order[k]], &n, err, errlen)) != 0)
			goto out;
		out->rows += n;
	}
	for (i = 0; i < dst->n; i++)
		if ((rc = on_table(to, &dst->v[i], "ALTER TABLE ",
			 " ENABLE TRIGGER USER", err, errlen)) != 0)
			goto out;
	if ((rc = triggers_off(to, &n, err, errlen)) != 0)
		goto out;
	if (n != 0) {
		(void)snprintf(err, errlen,
		    "%lld triggers are still switched off", (long long)n);
		rc = DB_ERROR;
		goto out;
	}
	rc = count_all(from, to, dst, out, err, errlen);
out:
	free(order);
	schema_free(&src);
	return (rc);
}

/* What sql_sequence() is made from. */
struct sequence {
	const struct table  *t;
	const struct column *c;
};

/* SELECT setval(pg_get_serial_sequence(?1, ?2),
 *     coalesce(max("<column>"), 0) + 1, false) FROM "<table>" */
static void
sql_sequence(FILE *f, const void *arg)
{
	const struct sequence *s = arg;

	(void)fputs("SELECT setval(pg_get_serial_sequence(?1, ?2), "
		    "coalesce(max(",
	    f);
	put_ident(f, s->c->name);
	(void)fputs("), 0) + 1, false) FROM ", f);
	put_ident(f, s->t->name);
}

/* Writes name, quoted, into out (len bytes); -1 when it does not fit. */
static int
quoted(const char *name, char *out, size_t len)
{
	size_t n = 0;

	if (len < 3)
		return (-1);
	out[n++] = '"';
	for (; *name != '\0'; name++) {
		if (n + 4 > len)
			return (-1);
		if (*name == '"')
			out[n++] = '"';
		out[n++] = *name;
	}
	out[n++] = '"';
	out[n] = '\0';
	return (0);
}

int
db_copy_sequences(
    struct db *to, const struct db_copy *copy, char *err, size_t errlen)
{
	const struct db_copy_schema *s = copy->schema;
	struct sequence		     q;
	struct db_q		     st;
	char			     name[2 * DB_TABLE_MAX + 3];
	size_t			     i, j;
	int			     rc;

	if (s == NULL) {
		(void)snprintf(err, errlen, "nothing was copied");
		return (DB_ERROR);
	}
	for (i = 0; i < s->n; i++) {
		for (j = 0; j < s->v[i].ncols; j++) {
			if (!s->v[i].cols[j].counted)
				continue;
			q.t = &s->v[i];
			q.c = &s->v[i].cols[j];
			if (quoted(q.t->name, name, sizeof(name)) != 0) {
				(void)snprintf(
				    err, errlen, "%s: too long", q.t->name);
				return (DB_ERROR);
			}
			if ((rc = prepare(to, sql_sequence, &q, &st, q.t->name,
				 err, errlen)) != 0)
				return (rc);
			db_bind_text(&st, 1, name);
			db_bind_text(&st, 2, q.c->name);
			if ((rc = run(to, &st, NULL, q.t->name, err, errlen)) !=
			    0)
				return (rc);
		}
	}
	return (0);
}

void
db_copy_clear(struct db_copy *copy)
{
	if (copy == NULL)
		return;
	free(copy->tables);
	schema_free(copy->schema);
	free(copy->schema);
	memset(copy, 0, sizeof(*copy));
}
