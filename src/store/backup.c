/*
 * Online backup and restore through SQLite's backup API. A backup reads one
 * consistent snapshot while the server goes on writing (WAL readers do not
 * block the writer); it lands under a temporary name and is renamed into
 * place only once complete and synced, so a crash never leaves a torn file
 * where a backup is expected.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/internal.h"

/* Flushes the directory holding path so a rename in it is durable. */
static int
sync_parent_dir(const char *path)
{
	char buf[4096];
	int  fd, rc;

	if (strlen(path) >= sizeof(buf))
		return (-1);
	strcpy(buf, path);
	if ((fd = open(dirname(buf), O_RDONLY | O_DIRECTORY)) == -1)
		return (-1);
	rc = fsync(fd);
	close(fd);
	return (rc);
}

/* Copies all of src's main database into dst with one backup step. */
static int
copy_db(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b;
	int		rc;

	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL)
		return (sqlite3_errcode(dst));
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	return (rc == SQLITE_DONE ? SQLITE_OK : rc);
}

int
sqlite_backup(struct db *db, const char *dest, char *err, size_t errlen)
{
	sqlite3 *out = NULL;
	char	 tmp[4096];
	int	 rc, fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", dest, (long)getpid()) >=
	    (int)sizeof(tmp)) {
		snprintf(err, errlen, "backup path too long");
		return (DB_ERROR);
	}
	(void)unlink(tmp);
	if (sqlite3_open_v2(tmp, &out,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
		NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot create %s: %s", tmp,
		    out ? sqlite3_errmsg(out) : "out of memory");
		goto fail;
	}
	if ((rc = copy_db(out, db->conn)) != SQLITE_OK) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
		goto fail;
	}
	/* A standalone backup file: no WAL beside it. */
	if (sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(out));
		goto fail;
	}
	sqlite3_close(out);
	out = NULL;

	if ((fd = open(tmp, O_RDONLY)) == -1 || fsync(fd) == -1) {
		snprintf(
		    err, errlen, "cannot sync %s: %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		goto fail;
	}
	close(fd);
	if (rename(tmp, dest) == -1) {
		snprintf(err, errlen, "cannot rename to %s: %s", dest,
		    strerror(errno));
		goto fail;
	}
	(void)sync_parent_dir(dest);
	return (0);
fail:
	sqlite3_close(out);
	(void)unlink(tmp);
	return (DB_ERROR);
}

int
db_restore(const char *src, const char *path, char *err, size_t errlen)
{
	struct db *from = NULL, *to = NULL;
	int	   version, rc;

	if (strstr(path, "://") != NULL) {
		snprintf(err, errlen,
		    "a PostgreSQL database is restored with pg_restore, "
		    "not by fellowctl");
		return (DB_ERROR);
	}
	if (access(src, R_OK) == -1) {
		snprintf(
		    err, errlen, "cannot read %s: %s", src, strerror(errno));
		return (DB_ERROR);
	}
	if (db_open(&from, src, DB_MODE_ADMIN, err, errlen) != 0)
		return (DB_ERROR);
	if (db_integrity_check(from) != 0) {
		snprintf(err, errlen, "%s fails the integrity check", src);
		goto fail;
	}
	if (db_schema_version(from, &version) != 0 || version < 1 ||
	    version > db_schema_latest()) {
		snprintf(err, errlen,
		    "%s is not a backup this program can "
		    "restore",
		    src);
		goto fail;
	}
	if (db_open(&to, path, DB_MODE_ADMIN, err, errlen) != 0)
		goto fail;
	if ((rc = copy_db(to->conn, from->conn)) != SQLITE_OK) {
		snprintf(err, errlen, "restore failed: %s", sqlite3_errstr(rc));
		goto fail;
	}
	db_close(from);
	db_close(to);
	return (0);
fail:
	db_close(from);
	db_close(to);
	return (DB_ERROR);
}
