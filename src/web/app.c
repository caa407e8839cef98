/*
 * The module's life cycle, as Kore calls it:
 *
 *   kore_parent_configure   once, in the parent, as the starting user and
 *                           before any worker forks: read the settings,
 *                           create the data directory, apply migrations,
 *                           hand the files to the runas user, remove
 *                           uploads a crash cut short and stored files
 *                           no row names, start the mail process (which
 *                           sweeps those files daily) and the PDF check
 *                           process.
 *   kore_worker_configure   in each worker after chroot, privilege drop and
 *                           the seccomp sandbox: open that worker's database
 *                           connection and refuse to run on a schema this
 *                           program does not expect; start the sentinel
 *                           that ends a worker which lost a thread.
 *   kore_worker_teardown    close the connection.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/dates.h"
#include "core/password.h"
#include "ops/accounts.h"
#include "ops/clock.h"
#include "ops/demo.h"
#include "ops/mailer.h"
#include "ops/pdfcheck.h"
#include "web/assets.h"
#include "web/sentinel.h"
#include "web/web.h"

struct db      *web_db = NULL;
struct settings web_settings;

/* The data directory and chroot, resolved by the parent before any chroot. */
static char data_dir_abs[PATH_MAX];
static char root_abs[PATH_MAX];

WEB_EXPORT void kore_parent_configure(int, char **);
WEB_EXPORT void kore_worker_configure(void);
WEB_EXPORT void kore_worker_teardown(void);

/* Gives path to the runas user when Kore will drop privileges to one. */
static void
give_to_runas(const char *path)
{
	struct passwd *pw;

	if (skip_runas || kore_runas_user == NULL || getuid() != 0)
		return;
	if ((pw = getpwnam(kore_runas_user)) == NULL)
		fatalx("runas user %s does not exist", kore_runas_user);
	if (chown(path, pw->pw_uid, pw->pw_gid) == -1 && errno != ENOENT)
		fatalx("chown %s: %s", path, errno_s);
}

static void
migrate_or_die(const char *dbpath)
{
	struct db *db = NULL;
	char	   err[512];
	int	   applied;
	int64_t	   users;

	if (db_open(&db, dbpath, DB_MODE_ADMIN, err, sizeof(err)) != 0)
		fatalx("%s", err);
	if (db_migrate(db, &applied, err, sizeof(err)) != 0)
		fatalx("%s", err);
	kore_log(LOG_NOTICE, "database %s at schema version %d (%d applied)",
	    web_settings.database_url[0] != '\0' ? "(PostgreSQL)" : dbpath,
	    db_schema_latest(), applied);

	if (db_user_count(db, &users) != 0)
		fatalx("cannot count users: %s", db_errmsg(db));
	if (users == 0 && web_settings.demo) {
		if (demo_seed(db, data_dir_abs, ops_clock_now(), err,
			sizeof(err)) != 0)
			fatalx("demo data: %s", err);
		demo_print_logins(stdout);
	} else if (users == 0) {
		char token[TOKEN_LEN + 1];

		if (ops_setup_token(db, ops_clock_now(), token) != OPS_OK)
			fatalx(
			    "cannot create the setup link: %s", db_errmsg(db));
		/* Printed once, for the operator: the only way in. */
		printf("No accounts yet. Create the first director at\n"
		       "  %s/#/setup/%s\n(valid for 24 hours, once).\n",
		    web_settings.public_url, token);
		fflush(stdout);
	}
	db_close(db);
}

/* Starts the mail process as the runas user: it delivers mail (unless
 * mail is held in the outbox) and sweeps the documents directory daily. */
static void
start_mailer(const char *dbpath, const char *docs)
{
	struct passwd *pw;
	uid_t	       uid = 0;
	gid_t	       gid = 0;
	pid_t	       pid;

	if (!skip_runas && kore_runas_user != NULL && getuid() == 0) {
		if ((pw = getpwnam(kore_runas_user)) == NULL)
			fatalx("runas user %s does not exist", kore_runas_user);
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	if ((pid = mailer_spawn(&web_settings, dbpath, docs, uid, gid)) == -1)
		fatalx("cannot start the mailer: %s", errno_s);
	if (!settings_mail_held(&web_settings))
		kore_log(LOG_NOTICE,
		    "mailer started (pid %d), delivering with %s", (int)pid,
		    web_settings.sendmail);
	else
		kore_log(LOG_NOTICE,
		    "mailer started (pid %d); mail is held in the outbox "
		    "(SENDMAIL=none): staff read it there",
		    (int)pid);
}

/* Starts the PDF check process, the program fellow-pdfcheck installed
 * beside this module, as the runas user (ops/pdfcheck.h). */
static void
start_pdfcheck(void)
{
	struct passwd *pw;
	Dl_info	       info;
	char	       program[PATH_MAX], *slash;
	uid_t	       uid = 0;
	gid_t	       gid = 0;
	pid_t	       pid;

	if (dladdr((void *)start_pdfcheck, &info) == 0 ||
	    info.dli_fname == NULL ||
	    realpath(info.dli_fname, program) == NULL ||
	    (slash = strrchr(program, '/')) == NULL ||
	    (size_t)(slash - program) + sizeof("/fellow-pdfcheck") >
		sizeof(program))
		fatalx("cannot find the module's directory");
	(void)strcpy(slash, "/fellow-pdfcheck");
	if (!skip_runas && kore_runas_user != NULL && getuid() == 0) {
		if ((pw = getpwnam(kore_runas_user)) == NULL)
			fatalx("runas user %s does not exist", kore_runas_user);
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	if ((pid = pdfcheck_spawn(program, uid, gid)) == -1)
		fatalx("cannot start the PDF check %s: %s", program, errno_s);
	kore_log(LOG_NOTICE, "PDF check started (pid %d)", (int)pid);
}

/*
 * Copies the tz files of the supported zones into the data directory,
 * where chrooted workers find them (TZDIR is set in the worker).
 */
static void
copy_zoneinfo(void)
{
	char   path[PATH_MAX], dst[PATH_MAX + 64], *slash;
	size_t i;
	FILE  *in, *out;
	char   buf[8192];
	size_t n;

	for (i = 0; dates_zones[i] != NULL; i++) {
		(void)snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s",
		    dates_zones[i]);
		if (snprintf(dst, sizeof(dst), "%s/zoneinfo/%s", data_dir_abs,
			dates_zones[i]) >= (int)sizeof(dst))
			fatalx("data directory path too long");
		for (slash = dst + strlen(data_dir_abs) + 1;
		     (slash = strchr(slash, '/')) != NULL; slash++) {
			*slash = '\0';
			if (mkdir(dst, 0755) == -1 && errno != EEXIST)
				fatalx("mkdir %s: %s", dst, errno_s);
			*slash = '/';
		}
		if ((in = fopen(path, "rb")) == NULL)
			fatalx("time zone %s: %s", path, errno_s);
		if ((out = fopen(dst, "wb")) == NULL)
			fatalx("cannot write %s: %s", dst, errno_s);
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
			if (fwrite(buf, 1, n, out) != n)
				fatalx("cannot write %s", dst);
		}
		fclose(in);
		if (fclose(out) != 0)
			fatalx("cannot write %s", dst);
	}
}

/*
 * Removes the files of dir whose names start with prefix: Kore's spooled
 * bodies of requests a crash (kill -9, power loss) cut short. Runs in the
 * parent before any worker exists, so no request is using them.
 */
static void
sweep_partial(const char *dir, const char *prefix)
{
	DIR	      *d;
	struct dirent *de;
	size_t	       len = strlen(prefix);
	int	       n = 0;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, len) != 0)
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			n++;
		else
			kore_log(LOG_WARNING, "cannot remove %s/%s: %s", dir,
			    de->d_name, errno_s);
	}
	closedir(d);
	if (n > 0)
		kore_log(
		    LOG_NOTICE, "removed %d partial upload(s) from %s", n, dir);
}

/*
 * Removes what no row names from the documents directory (store/db.h,
 * db_files_sweep()): temporary files of uploads a crash cut short, and
 * stored files of replaced or removed documents or of uploads whose row
 * was never written. No worker exists yet, so nothing is on its way in
 * and no grace period is needed; the mail process sweeps daily with one.
 */
static void
sweep_documents(const char *dbpath, const char *docs)
{
	struct db      *db = NULL;
	struct db_sweep sw;
	char		err[512];

	if (db_open(&db, dbpath, DB_MODE_ADMIN, err, sizeof(err)) != 0)
		fatalx("%s", err);
	if (db_files_sweep(
		db, docs, ops_clock_now(), 0, &sw, err, sizeof(err)) != 0)
		kore_log(LOG_WARNING, "documents not swept: %s", err);
	else if (sw.removed + sw.partial + sw.restored > 0)
		kore_log(LOG_NOTICE,
		    "documents: removed %d file(s) no row names and %d "
		    "partial upload(s); put back %d set aside",
		    sw.removed, sw.partial, sw.restored);
	db_close(db);
}

void
kore_parent_configure(int argc, char **argv)
{
	char			 err[256], path[SETTINGS_PATH_MAX + 64];
	char			 docs[SETTINGS_PATH_MAX + 64];
	size_t			 i;
	static const char *const owned[] = { "", "-wal", "-shm" };

	(void)argc;
	(void)argv;

	/* SQLite's times follow the one clock, in every process forked
	 * from here (workers, the mail process). */
	db_clock_source(ops_clock_now);
	if (sodium_init() < 0)
		fatalx("sodium_init failed");
	if (settings_from_env(&web_settings, err, sizeof(err)) != 0)
		fatalx("%s", err);

	if (mkdir(web_settings.data_dir, 0700) == -1 && errno != EEXIST)
		fatalx("cannot create %s: %s", web_settings.data_dir, errno_s);
	if (realpath(web_settings.data_dir, data_dir_abs) == NULL)
		fatalx("cannot resolve %s: %s", web_settings.data_dir, errno_s);
	give_to_runas(data_dir_abs);
	if (!skip_chroot && kore_root_path != NULL &&
	    realpath(kore_root_path, root_abs) == NULL)
		fatalx("cannot resolve root %s: %s", kore_root_path, errno_s);
	if (root_abs[0] != '\0')
		copy_zoneinfo();

	if (settings_database(&web_settings, path, sizeof(path)) != 0)
		fatalx("database path too long");
	if (settings_path(&web_settings, "documents", docs, sizeof(docs)) != 0)
		fatalx("data directory path too long");
	if (mkdir(docs, 0700) == -1 && errno != EEXIST)
		fatalx("cannot create %s: %s", docs, errno_s);
	give_to_runas(docs);
	if (http_body_disk_path != NULL)
		sweep_partial(http_body_disk_path, "http_body.");
	migrate_or_die(path);
	sweep_documents(path, docs);
	for (i = 0; web_settings.database_url[0] == '\0' &&
	     i < sizeof(owned) / sizeof(owned[0]);
	     i++) {
		char f[sizeof(path) + 8];

		(void)snprintf(f, sizeof(f), "%s%s", path, owned[i]);
		give_to_runas(f);
	}
	if (http_body_disk_path != NULL)
		give_to_runas(http_body_disk_path);

	/* Verified against for unknown accounts; inherited by the workers. */
	if (password_hash("no account has this password", 28, web_dummy_hash) !=
	    0)
		fatalx("cannot compute the dummy password hash");

	start_mailer(path, docs);
	start_pdfcheck();
}

/*
 * Writes the path of name in the data directory as this process sees it:
 * relative to the chroot when Kore chrooted into a directory that
 * contains the data directory.
 */
int
web_data_path(const char *name, char *out, size_t outlen)
{
	const char *inside;
	size_t	    rlen;
	int	    n;

	if (skip_chroot || root_abs[0] == '\0' || worker == NULL) {
		n = snprintf(out, outlen, "%s/%s", data_dir_abs, name);
	} else {
		rlen = strlen(root_abs);
		if (strcmp(root_abs, "/") == 0)
			rlen = 0;
		if (strncmp(data_dir_abs, root_abs, rlen) != 0 ||
		    (data_dir_abs[rlen] != '/' && data_dir_abs[rlen] != '\0'))
			fatalx("DATA_DIR %s is outside the chroot %s",
			    data_dir_abs, root_abs);
		inside = data_dir_abs + rlen;
		n = snprintf(out, outlen, "%s/%s", *inside ? inside : "", name);
	}
	return (n < 0 || (size_t)n >= outlen ? -1 : 0);
}

/*
 * Points a chrooted worker at its copy of the tz files, then refuses to
 * run if deadlines would be computed in UTC by mistake (glibc falls back
 * to UTC silently when a zone file is missing).
 */
static void
zones_check(void)
{
	struct local_time t = { 2026, 7, 1, 12, 0 };
	int64_t		  ny, utc;
	char		  tzdir[PATH_MAX + 16];

	if (!skip_chroot && root_abs[0] != '\0') {
		(void)snprintf(tzdir, sizeof(tzdir), "%s/zoneinfo",
		    data_dir_abs +
			(strcmp(root_abs, "/") == 0 ? 0 : strlen(root_abs)));
		if (setenv("TZDIR", tzdir, 1) != 0)
			fatalx("setenv TZDIR");
	}
	if (dates_to_instant(&t, "America/New_York", &ny) != 0 ||
	    dates_to_instant(&t, "UTC", &utc) != 0 || utc - ny != -4L * 3600)
		fatalx("worker %u: time zone data is missing; deadlines "
		       "cannot be computed",
		    worker->id);
}

/* The database's path as the worker sees it; set before task threads run. */
static char db_path[PATH_MAX + 64];

struct db *
web_thread_db(void)
{
	static __thread struct db *db;
	char			   err[256];

	if (db == NULL &&
	    db_open(&db, db_path, DB_MODE_SERVE, err, sizeof(err)) != 0)
		db = NULL;
	return (db);
}

void
kore_worker_configure(void)
{
	char err[512];

	if (sodium_init() < 0)
		fatalx("sodium_init failed");
	if (web_settings.database_url[0] != '\0') {
		if (strlen(web_settings.database_url) >= sizeof(db_path))
			fatalx("DATABASE_URL too long");
		strcpy(db_path, web_settings.database_url);
	} else if (web_data_path(SETTINGS_DB_NAME, db_path, sizeof(db_path)) !=
	    0)
		fatalx("database path too long");
	zones_check();
	if (db_open(&web_db, db_path, DB_MODE_SERVE, err, sizeof(err)) != 0)
		fatalx("worker %u refuses to run: %s", worker->id, err);
	web_assets_init();
	/* A thread killed by the sandbox ends the worker (web/sentinel.c). */
	if (web_sentinel_start() != 0)
		kore_log(LOG_WARNING, "worker %u: its threads go unwatched",
		    worker->id);
}

void
kore_worker_teardown(void)
{
	int left;

	/* Work on a task thread (a hash, a PDF check, a rank list being
	 * saved) gets a few seconds to end before the worker goes. */
	if ((left = web_offload_drain(5000)) > 0)
		kore_log(LOG_WARNING, "leaving %d task(s) unfinished", left);
	db_close(web_db);
	web_db = NULL;
	/*
	 * Kore 4.1 would now unload this module and free its memory pools,
	 * the task threads' own records among them, while a task thread may
	 * still be between finishing a task and going back to sleep: the
	 * worker then crashes on its way out (SEGV in pthread_mutex_lock).
	 * Tell the parent as Kore would, and end here; the kernel frees the
	 * rest.
	 */
	kore_msg_send(KORE_MSG_PARENT, KORE_MSG_SHUTDOWN, NULL, 0);
	_exit(0);
}
