/*
 * fellowctl: the operator's tool. It uses the same domain, operations and
 * storage code as the server, without Kore, and reads the same environment
 * (DATA_DIR and the rest, see core/settings.h).
 *
 *   fellowctl migrate
 *   fellowctl backup FILE
 *   fellowctl restore FILE
 *   fellowctl check
 *   fellowctl demo
 *   fellowctl import [--dry-run] [--force] FILE
 *                           an export.json as a new cycle (ops/import.h),
 *                           into the database of DATA_DIR, which must
 *                           exist at the current schema (fellowctl
 *                           migrate); --dry-run checks and writes
 *                           nothing, --force imports an archive
 *                           imported before
 *   fellowctl migrate-to-postgres
 *                           the installation in DATA_DIR (its SQLite
 *                           database) into the new, empty PostgreSQL
 *                           database of DATABASE_URL, which the server
 *                           then runs on (ops/migrate_pg.h); the stored
 *                           documents stay in DATA_DIR and are checked
 *   fellowctl user add --role R --email E --name N   (password on stdin)
 *   fellowctl outbox rotate [DAYS]   delete mail delivered over DAYS
 *                                    (default 30) days ago
 *
 * Exit status: 0 done, 1 failed, 2 bad usage.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/password.h"
#include "core/settings.h"
#include "ops/accounts.h"
#include "ops/clock.h"
#include "ops/program.h"
#include "ops/demo.h"
#include "ops/import.h"
#include "ops/migrate_pg.h"
#include "store/db.h"

static struct settings settings;
static char	       dbpath[SETTINGS_PATH_MAX + 64];
/* The database as messages name it: its path, or (a URL may hold a
 * password) "the PostgreSQL database". */
static const char *dbshown = dbpath;

static int cmd_migrate(int, char **);
static int cmd_backup(int, char **);
static int cmd_restore(int, char **);
static int cmd_check(int, char **);
static int cmd_demo(int, char **);
static int cmd_import(int, char **);
static int cmd_migrate_to_postgres(int, char **);
static int cmd_user(int, char **);
static int cmd_program(int, char **);
static int cmd_outbox(int, char **);

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *usage;
} commands[] = {
	{ "migrate", cmd_migrate, "migrate" },
	{ "backup", cmd_backup, "backup FILE" },
	{ "restore", cmd_restore, "restore FILE" },
	{ "check", cmd_check, "check" },
	{ "demo", cmd_demo, "demo" },
	{ "import", cmd_import,
	    "import [--dry-run] [--force] FILE  (an export.json, as a new "
	    "cycle of the database in DATA_DIR)" },
	{ "migrate-to-postgres", cmd_migrate_to_postgres,
	    "migrate-to-postgres  (the SQLite database of DATA_DIR into the "
	    "new, empty PostgreSQL database of DATABASE_URL)" },
	{ "outbox", cmd_outbox, "outbox rotate [DAYS]  (delivered mail, 30)" },
	{ "user", cmd_user,
	    "user add --role R --email E --name N [--program ID]  (password "
	    "on stdin)" },
	{ "program", cmd_program,
	    "program add --name NAME --director-email E --director-name N "
	    "[--positions K] [--timezone TZ] [--sender NAME]" },
	{ "program", cmd_program, "program list" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int
usage(void)
{
	size_t i;

	fprintf(stderr, "usage:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(stderr, "  fellowctl %s\n", commands[i].usage);
	return (2);
}

/* Opens the database, creating the data directory and migrating it. */
static int
open_migrated(struct db **db)
{
	char err[512];
	int  applied;

	if (mkdir(settings.data_dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "fellowctl: cannot create %s: %s\n",
		    settings.data_dir, strerror(errno));
		return (-1);
	}
	if (db_open(db, dbpath, DB_MODE_ADMIN, err, sizeof(err)) != 0 ||
	    db_migrate(*db, &applied, err, sizeof(err)) != 0) {
		fprintf(stderr, "fellowctl: %s\n", err);
		db_close(*db);
		*db = NULL;
		return (-1);
	}
	if (applied > 0)
		printf("migrated %s to schema version %d (%d applied)\n",
		    dbshown, db_schema_latest(), applied);
	return (0);
}

static int
cmd_migrate(int argc, char **argv)
{
	struct db *db = NULL;

	(void)argv;
	if (argc != 1)
		return (usage());
	if (open_migrated(&db) != 0)
		return (1);
	printf("%s is at schema version %d\n", dbshown, db_schema_latest());
	db_close(db);
	return (0);
}

static int
cmd_backup(int argc, char **argv)
{
	struct db *db = NULL;
	char	   err[512];
	int	   rc;

	if (argc != 2)
		return (usage());
	if (settings.database_url[0] == '\0' && access(dbpath, F_OK) == -1) {
		fprintf(stderr, "fellowctl: no database at %s\n", dbpath);
		return (1);
	}
	if (db_open(&db, dbpath, DB_MODE_ADMIN, err, sizeof(err)) != 0) {
		fprintf(stderr, "fellowctl: %s\n", err);
		return (1);
	}
	rc = db_backup(db, argv[1], err, sizeof(err));
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "fellowctl: %s\n", err);
		return (1);
	}
	printf("backed up %s to %s\n", dbshown, argv[1]);
	return (0);
}

static int
cmd_restore(int argc, char **argv)
{
	char err[512];

	if (argc != 2)
		return (usage());
	if (mkdir(settings.data_dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "fellowctl: cannot create %s: %s\n",
		    settings.data_dir, strerror(errno));
		return (1);
	}
	if (db_restore(argv[1], dbpath, err, sizeof(err)) != 0) {
		fprintf(stderr, "fellowctl: %s\n", err);
		return (1);
	}
	printf("restored %s into %s; run fellowctl migrate if the backup is "
	       "older than this program\n",
	    argv[1], dbshown);
	return (0);
}

static int
cmd_check(int argc, char **argv)
{
	struct db *db = NULL;
	char	   err[512];
	int	   version, rc;

	(void)argv;
	if (argc != 1)
		return (usage());
	if (db_open(&db, dbpath, DB_MODE_ADMIN, err, sizeof(err)) != 0) {
		fprintf(stderr, "fellowctl: %s\n", err);
		return (1);
	}
	rc = db_integrity_check(db);
	if (db_schema_version(db, &version) != 0)
		version = -1;
	db_close(db);
	printf("%s: integrity %s, schema version %d (this program: %d)\n",
	    dbshown, rc == 0 ? "ok" : "FAILED", version, db_schema_latest());
	return (rc == 0 && version == db_schema_latest() ? 0 : 1);
}

static int
cmd_demo(int argc, char **argv)
{
	struct db *db = NULL;
	char	   err[512], docs[SETTINGS_PATH_MAX + 16];
	int	   rc;

	(void)argv;
	if (argc != 1)
		return (usage());
	if (open_migrated(&db) != 0)
		return (1);
	(void)snprintf(docs, sizeof(docs), "%s/documents", settings.data_dir);
	if (mkdir(docs, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "fellowctl: cannot create %s\n", docs);
		db_close(db);
		return (1);
	}
	rc =
	    demo_seed(db, settings.data_dir, ops_clock_now(), err, sizeof(err));
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "fellowctl: demo data: %s\n", err);
		return (1);
	}
	demo_print_logins(stdout);
	return (0);
}

/* What an import created or would create, before its last line. */
static void
import_report(const struct ops_import_result *r, int dry)
{
	size_t i;

	printf("archive SHA-256 %s\n", r->sha256);
	if (r->earlier_cycle != 0)
		printf("imported before as cycle %lld; imported again (--force)"
		       "\n",
		    (long long)r->earlier_cycle);
	printf("cycle \"%s\" (cycle %lld in the archive)\n", r->name,
	    (long long)r->from_cycle);
	printf("%d candidates: %d on their own e-mail address (disabled; "
	       "claimed by a password reset to it), %d on placeholder "
	       "addresses\n",
	    r->candidates, r->claimable, r->placeholders);
	/* The archive's fields.email decides who may claim an account:
	 * the operator sees whom before importing. */
	if (dry && json_array_size(r->claimable_at) > 0) {
		printf("the accounts the owners of these addresses could "
		       "claim (the archive's fields.email):\n");
		for (i = 0; i < json_array_size(r->claimable_at); i++)
			printf("  %s\n",
			    json_string_value(
				json_array_get(r->claimable_at, i)));
	}
	printf("%d raters and the rank list's authors on placeholder "
	       "addresses (disabled, never claimable)\n",
	    r->raters);
	printf("%d sheets, %d rank list versions, %d conflicts of interest"
	       "\n",
	    r->sheets, r->versions, r->conflicts);
	if (json_array_size(r->kept) > 0) {
		printf("%zu candidates %s as interviewed: they have interview "
		       "sheets though the archive says they were not "
		       "interviewed:\n",
		    json_array_size(r->kept), dry ? "would be kept" : "kept");
		for (i = 0; i < json_array_size(r->kept); i++)
			printf("  %s\n",
			    json_string_value(json_array_get(r->kept, i)));
	}
}

/*
 * The database import writes to: DATA_DIR must be set and hold one, so
 * that an import never lands in a database made up where the command
 * happens to run.
 */
static int
import_target(const char *file)
{
	struct stat st;

	if (!settings.data_dir_given) {
		fprintf(stderr,
		    "fellowctl: import %s: DATA_DIR is not set; set it to the "
		    "data directory of the installation to import into (its "
		    "database is DATA_DIR/fellowship.db). Nothing was "
		    "imported.\n",
		    file);
		return (-1);
	}
	if (settings.database_url[0] == '\0' &&
	    (stat(dbpath, &st) != 0 || !S_ISREG(st.st_mode))) {
		fprintf(stderr,
		    "fellowctl: import %s: there is no database at %s (from "
		    "DATA_DIR); set DATA_DIR to the installation's data "
		    "directory, or create the database first with fellowctl "
		    "migrate. Nothing was imported.\n",
		    file, dbpath);
		return (-1);
	}
	return (0);
}

/*
 * Opens the database for an import: as it is, which must be the current
 * schema. Migrating would be a change, which neither a dry run nor a
 * refused import may make: an archive is only refused after it was read
 * and checked against the database.
 */
static int
open_current(struct db **db, const char *file, int dry_run)
{
	char err[512];
	int  version = 0;

	if (db_open(db, dbpath, DB_MODE_ADMIN, err, sizeof(err)) != 0) {
		fprintf(stderr, "fellowctl: %s\n", err);
		return (-1);
	}
	if (db_schema_version(*db, &version) != 0 ||
	    version != db_schema_latest()) {
		fprintf(stderr,
		    "fellowctl: import %s: the database at %s is at schema "
		    "version %d, not %d; %s, so run fellowctl migrate "
		    "first.\n",
		    file, dbshown, version, db_schema_latest(),
		    dry_run ? "a dry run changes nothing"
			    : "an import changes nothing unless it is "
			      "accepted");
		db_close(*db);
		*db = NULL;
		return (-1);
	}
	return (0);
}

static int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct ops_actor	  op = { 0, ROLE_DIRECTOR, 0 };
	struct ops_import_options opt = { 0, 0 };
	struct ops_import_result  r;
	struct ops_error	  e;
	struct db		 *db = NULL;
	const char		 *file;
	int			  rc, ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			opt.dry_run = 1;
			break;
		case 'f':
			opt.force = 1;
			break;
		default:
			return (usage());
		}
	}
	if (argc - optind != 1)
		return (usage());
	file = argv[optind];
	if (import_target(file) != 0)
		return (1);
	if (open_current(&db, file, opt.dry_run) != 0)
		return (1);
	memset(&e, 0, sizeof(e));
	rc = ops_cycle_import_file(db, op, file, &opt, ops_clock_now(), &r, &e);
	if (rc != 0) {
		fprintf(stderr, "fellowctl: import %s: %s\n", file,
		    rc > 0		 ? e.message
			: rc == DB_EBUSY ? "the database is busy; try again"
					 : db_errmsg(db));
		db_close(db);
		return (1);
	}
	db_close(db);
	import_report(&r, opt.dry_run);
	if (opt.dry_run)
		printf("dry run: nothing was written; the import would create "
		       "cycle %lld from %s: %d candidates, %d sheets, %d rank "
		       "list versions\n",
		    (long long)r.cycle, file, r.candidates, r.sheets,
		    r.versions);
	else
		printf("imported cycle %lld from %s: %d candidates, %d "
		       "sheets, %d rank list versions\n",
		    (long long)r.cycle, file, r.candidates, r.sheets,
		    r.versions);
	ops_import_result_clear(&r);
	return (0);
}

/* The counts of each table on both sides, as a table. */
static void
print_counts(const struct db_copy *c)
{
	int64_t from = 0, to = 0;
	size_t	i;

	printf("  %-28s %12s %12s\n", "table", "SQLite", "PostgreSQL");
	for (i = 0; i < c->n; i++) {
		printf("  %-28s %12lld %12lld%s\n", c->tables[i].name,
		    (long long)c->tables[i].from, (long long)c->tables[i].to,
		    c->tables[i].from != c->tables[i].to ? "  DIFFERS" : "");
		from += c->tables[i].from;
		to += c->tables[i].to;
	}
	printf(
	    "  %-28s %12lld %12lld\n", "total", (long long)from, (long long)to);
}

/*
 * The installation in DATA_DIR into the PostgreSQL database of
 * DATABASE_URL: the same variable the server then reads, so the one
 * environment serves before and after, and no password is seen on a
 * command line. The source is always DATA_DIR's SQLite database, which
 * is left as it was.
 */
static int
cmd_migrate_to_postgres(int argc, char **argv)
{
	struct ops_migrate_pg r;
	struct ops_error      e;
	struct db	     *from = NULL, *to = NULL;
	struct stat	      sb;
	char path[SETTINGS_PATH_MAX + 64], docs[SETTINGS_PATH_MAX + 64],
	    err[512];
	size_t i;
	int    rc;

	(void)argv;
	if (argc != 1)
		return (usage());
	if (settings.database_url[0] == '\0') {
		fprintf(stderr,
		    "fellowctl: migrate-to-postgres: DATABASE_URL is not "
		    "set; set it to the new, empty PostgreSQL database the "
		    "server is to use (postgresql://...). Nothing was "
		    "copied.\n");
		return (2);
	}
	if (settings_path(&settings, SETTINGS_DB_NAME, path, sizeof(path)) !=
		0 ||
	    settings_path(&settings, "documents", docs, sizeof(docs)) != 0) {
		fprintf(stderr, "fellowctl: DATA_DIR is too long\n");
		return (2);
	}
	/* Opening would make a database where there is none. */
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fprintf(stderr,
		    "fellowctl: migrate-to-postgres: there is no SQLite "
		    "database at %s (from DATA_DIR); set DATA_DIR to the "
		    "installation's data directory. Nothing was copied.\n",
		    path);
		return (1);
	}
	if (db_open(&from, path, DB_MODE_ADMIN, err, sizeof(err)) != 0 ||
	    db_open(&to, settings.database_url, DB_MODE_ADMIN, err,
		sizeof(err)) != 0) {
		fprintf(stderr,
		    "fellowctl: migrate-to-postgres: %s. Nothing was "
		    "copied.\n",
		    err);
		db_close(from);
		return (1);
	}
	memset(&e, 0, sizeof(e));
	rc = ops_migrate_to_postgres(from, to, docs, &r, &e);
	db_close(to);
	db_close(from);
	if (r.applied > 0)
		printf("migrated the PostgreSQL database to schema version %d "
		       "(%d applied)\n",
		    r.schema_version, r.applied);
	if (r.copy.n > 0) {
		printf("rows of each table:\n");
		print_counts(&r.copy);
	}
	if (rc != OPS_OK) {
		for (i = 0; i < json_array_size(r.problems); i++)
			fprintf(stderr, "  %s\n",
			    json_string_value(json_array_get(r.problems, i)));
		fprintf(stderr, "fellowctl: migrate-to-postgres: %s\n",
		    e.message[0] != '\0' ? e.message
					 : "out of memory; nothing was copied");
		ops_migrate_pg_clear(&r);
		return (1);
	}
	printf("%lld stored files (%lld bytes) in %s checked: each is there, "
	       "of its recorded size and SHA-256. They stay there: the "
	       "server on PostgreSQL reads them from DATA_DIR as before.\n",
	    (long long)r.files.files, (long long)r.files.bytes, docs);
	printf("copied %lld rows from %s into the PostgreSQL database "
	       "(schema version %d), in one transaction, and recorded the "
	       "move in its audit log. Start the server with this "
	       "DATABASE_URL and the same DATA_DIR; %s is left as it was, "
	       "and no server should run on it again.\n",
	    (long long)r.copy.rows, path, r.schema_version, path);
	ops_migrate_pg_clear(&r);
	return (0);
}

/* Reads one line (the password) from standard input, without its newline. */
static int
read_password(char *buf, size_t len, size_t *outlen)
{
	size_t n;

	if (fgets(buf, (int)len, stdin) == NULL) {
		fprintf(stderr, "fellowctl: no password on standard input\n");
		return (-1);
	}
	n = strlen(buf);
	if (n > 0 && buf[n - 1] != '\n' && !feof(stdin)) {
		fprintf(stderr, "fellowctl: the password is too long\n");
		return (-1);
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	*outlen = n;
	return (0);
}

static int
cmd_user(int argc, char **argv)
{
	struct db		  *db = NULL;
	const char		  *role = NULL, *email = NULL, *name = NULL;
	char			   pw[PASSWORD_MAX_LEN + 4];
	struct ops_error	   e;
	size_t			   pwlen;
	int64_t			   id;
	int			   ch, rc;
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "program", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int64_t program = DB_PROGRAM_ID;
	char   *end;

	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return (usage());
	argc--;
	argv++;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			role = optarg;
			break;
		case 'e':
			email = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'p':
			program = strtoll(optarg, &end, 10);
			if (*end != '\0' || program <= 0)
				return (usage());
			break;
		default:
			return (usage());
		}
	}
	if (optind != argc || role == NULL || email == NULL || name == NULL)
		return (usage());

	if (read_password(pw, sizeof(pw), &pwlen) != 0)
		return (1);
	if (open_migrated(&db) != 0) {
		sodium_memzero(pw, sizeof(pw));
		return (1);
	}
	memset(&e, 0, sizeof(e));
	rc =
	    ops_user_add(db, program, email, name, role, pw, pwlen, 0, &id, &e);
	sodium_memzero(pw, sizeof(pw));
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "fellowctl: %s\n",
		    rc > 0 ? e.message : "cannot save the account");
		return (1);
	}
	printf("created %s account %s (id %lld)\n", role, email, (long long)id);
	return (0);
}

/* Prints one program of ops_programs_list(). */
static void
program_print(const json_t *p)
{
	const json_t *ds = json_object_get(p, "directors"), *d;
	size_t	      i;

	printf("%lld\t%s\t%lld positions\t%s\t%lld people",
	    (long long)json_integer_value(json_object_get(p, "id")),
	    json_string_value(json_object_get(p, "name")),
	    (long long)json_integer_value(json_object_get(p, "positions")),
	    json_string_value(json_object_get(p, "timezone")),
	    (long long)json_integer_value(json_object_get(p, "people")));
	for (i = 0; i < json_array_size(ds); i++) {
		d = json_array_get(ds, i);
		printf("%s%s <%s>", i == 0 ? "\tdirected by " : ", ",
		    json_string_value(json_object_get(d, "name")),
		    json_string_value(json_object_get(d, "email")));
	}
	printf("\n");
}

/*
 * program add: a new program and its director (mailed an invitation
 * when the address is new to the installation); program list: every
 * program with its directors. As an administrator would through the
 * API, audited as done by the operator.
 */
static int
cmd_program(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "director-email", required_argument, NULL, 'e' },
		{ "director-name", required_argument, NULL, 'd' },
		{ "positions", required_argument, NULL, 'p' },
		{ "timezone", required_argument, NULL, 't' },
		{ "sender", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct ops_program_new in = { 0 };
	struct ops_error       e;
	struct db	      *db = NULL;
	json_t		      *out = NULL, *p;
	int64_t		       id;
	size_t		       i;
	char		      *end;
	int		       ch, rc, add;

	if (argc < 2 ||
	    (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "list") != 0))
		return (usage());
	add = strcmp(argv[1], "add") == 0;
	argc--;
	argv++;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			in.name = optarg;
			break;
		case 'e':
			in.director_email = optarg;
			break;
		case 'd':
			in.director_name = optarg;
			break;
		case 'p':
			in.positions = strtoll(optarg, &end, 10);
			if (*end != '\0' || in.positions <= 0)
				return (usage());
			break;
		case 't':
			in.timezone = optarg;
			break;
		case 's':
			in.mail_sender = optarg;
			break;
		default:
			return (usage());
		}
	}
	if (optind != argc ||
	    (add &&
		(in.name == NULL || in.director_email == NULL ||
		    in.director_name == NULL)) ||
	    (!add && in.name != NULL))
		return (usage());
	if (open_migrated(&db) != 0)
		return (1);
	memset(&e, 0, sizeof(e));
	if (add)
		rc = ops_program_create(
		    db, &settings, 0, 1, &in, ops_clock_now(), &id, &out, &e);
	else
		rc = ops_programs_list(db, 1, &out, &e);
	if (rc != 0) {
		fprintf(stderr, "fellowctl: %s%s%s\n",
		    rc > 0 && e.field != NULL ? e.field : "",
		    rc > 0 && e.field != NULL ? ": " : "",
		    rc > 0 ? e.message : db_errmsg(db));
		db_close(db);
		return (1);
	}
	db_close(db);
	if (add) {
		printf("created program %lld: ", (long long)id);
		program_print(out);
	} else
		for (i = 0;
		     i < json_array_size(json_object_get(out, "programs"));
		     i++) {
			p = json_array_get(json_object_get(out, "programs"), i);
			program_print(p);
		}
	json_decref(out);
	return (0);
}

/* Sent messages hold links that have expired long since; keep a month. */
static int
cmd_outbox(int argc, char **argv)
{
	struct db *db = NULL;
	char	   err[512], *end;
	long	   days = 30;
	int64_t	   deleted;
	int	   rc;

	if (argc < 2 || argc > 3 || strcmp(argv[1], "rotate") != 0)
		return (usage());
	if (argc == 3) {
		days = strtol(argv[2], &end, 10);
		if (*end != '\0' || days < 0 || days > 3650)
			return (usage());
	}
	if (db_open(&db, dbpath, DB_MODE_ADMIN, err, sizeof(err)) != 0) {
		fprintf(stderr, "fellowctl: %s\n", err);
		return (1);
	}
	rc = db_outbox_rotate(db, ops_clock_now() - days * 86400, &deleted);
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "fellowctl: cannot rotate the outbox\n");
		return (1);
	}
	printf("deleted %lld delivered messages older than %ld days\n",
	    (long long)deleted, days);
	return (0);
}

int
main(int argc, char *argv[])
{
	char   err[256];
	size_t i;

	if (argc < 2)
		return (usage());
	db_clock_source(ops_clock_now);
	if (sodium_init() < 0) {
		fprintf(stderr, "fellowctl: sodium_init failed\n");
		return (1);
	}
	if (settings_from_env(&settings, err, sizeof(err)) != 0) {
		fprintf(stderr, "fellowctl: %s\n", err);
		return (2);
	}
	if (settings_database(&settings, dbpath, sizeof(dbpath)) != 0) {
		fprintf(stderr, "fellowctl: DATA_DIR is too long\n");
		return (2);
	}
	if (settings.database_url[0] != '\0')
		dbshown = "the PostgreSQL database";
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) == 0)
			return (commands[i].fn(argc - 1, argv + 1));
	}
	return (usage());
}
