/*
 * The module's life cycle, as Kore calls it:
 *
 *   kore_parent_configure   once, in the parent, as the starting user and
 *                           before any worker forks: read the settings,
 *                           create the data directory, apply migrations,
 *                           hand the files to the runas user.
 *   kore_worker_configure   in each worker after chroot, privilege drop and
 *                           the seccomp sandbox: open that worker's database
 *                           connection and refuse to run on a schema this
 *                           program does not expect.
 *   kore_worker_teardown    close the connection.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "ops/demo.h"
#include "web/assets.h"
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
	    dbpath, db_schema_latest(), applied);

	if (db_user_count(db, &users) != 0)
		fatalx("cannot count users: %s", db_errmsg(db));
	if (users == 0 && web_settings.demo) {
		if (demo_seed(db, err, sizeof(err)) != 0)
			fatalx("demo data: %s", err);
		demo_print_logins(stdout);
	}
	db_close(db);
}

void
kore_parent_configure(int argc, char **argv)
{
	char			 err[256], path[SETTINGS_PATH_MAX + 64];
	size_t			 i;
	static const char *const owned[] = { "", "-wal", "-shm" };

	(void)argc;
	(void)argv;

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

	if (settings_path(
		&web_settings, SETTINGS_DB_NAME, path, sizeof(path)) != 0)
		fatalx("database path too long");
	migrate_or_die(path);
	for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
		char f[sizeof(path) + 8];

		(void)snprintf(f, sizeof(f), "%s%s", path, owned[i]);
		give_to_runas(f);
	}
}

/*
 * Writes the database path as the worker sees it: relative to the chroot
 * when Kore chrooted into a directory that contains the data directory.
 */
static void
worker_db_path(char *out, size_t outlen)
{
	const char *inside;
	size_t	    rlen;
	int	    n;

	if (skip_chroot || root_abs[0] == '\0') {
		n = snprintf(
		    out, outlen, "%s/%s", data_dir_abs, SETTINGS_DB_NAME);
	} else {
		rlen = strlen(root_abs);
		if (strcmp(root_abs, "/") == 0)
			rlen = 0;
		if (strncmp(data_dir_abs, root_abs, rlen) != 0 ||
		    (data_dir_abs[rlen] != '/' && data_dir_abs[rlen] != '\0'))
			fatalx("DATA_DIR %s is outside the chroot %s",
			    data_dir_abs, root_abs);
		inside = data_dir_abs + rlen;
		n = snprintf(out, outlen, "%s/%s", *inside ? inside : "",
		    SETTINGS_DB_NAME);
	}
	if (n < 0 || (size_t)n >= outlen)
		fatalx("database path too long");
}

void
kore_worker_configure(void)
{
	char path[PATH_MAX + 64], err[512];

	if (sodium_init() < 0)
		fatalx("sodium_init failed");
	worker_db_path(path, sizeof(path));
	if (db_open(&web_db, path, DB_MODE_SERVE, err, sizeof(err)) != 0)
		fatalx("worker %u refuses to run: %s", worker->id, err);
	web_assets_init();
}

void
kore_worker_teardown(void)
{
	db_close(web_db);
	web_db = NULL;
}
