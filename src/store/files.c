/*
 * Stored files (store/db.h, "Files"): put, commit and sweep. Names in the
 * directory:
 *
 *	<sha256>.pdf		a stored file, named by its content
 *	.upload-<16 hex>	a temporary file being written or checked
 *	.sweep-<sha256>.pdf	a stored file a sweep has set aside
 *
 * Anything else in the directory is not ours and is left alone.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "store/internal.h"

#define UPLOAD_PREFIX ".upload-"
#define ASIDE_PREFIX  ".sweep-"
#define STORED_LEN    68 /* 64 hex digits and ".pdf" */

/* A full disk or quota, as opposed to any other failure. */
static int
io_rc(int err)
{
	return (err == ENOSPC || err == EDQUOT ? DB_EFULL : DB_ERROR);
}

/* Sets err from errno and returns the matching DB_E* code. */
static int
io_fail(char *err, size_t errlen, const char *what, const char *path)
{
	int saved = errno;

	(void)snprintf(err, errlen, "%s %s: %s", what, path, strerror(saved));
	return (io_rc(saved));
}

/* Returns 1 when s is 64 lowercase hexadecimal digits and then end. */
static int
is_hash(const char *s, size_t len)
{
	size_t i;

	if (len != 64)
		return (0);
	for (i = 0; i < 64; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return (0);
	}
	return (1);
}

/* Returns 1 when name is a stored file's: <sha256>.pdf. */
static int
is_stored(const char *name)
{
	return (strlen(name) == STORED_LEN && strcmp(name + 64, ".pdf") == 0 &&
	    is_hash(name, 64));
}

int
db_file_path(const char *dir, const char *sha256, char *out, size_t len)
{
	int n;

	if (sha256 == NULL || !is_hash(sha256, strlen(sha256)))
		return (-1);
	n = snprintf(out, len, "%s/%s.pdf", dir, sha256);
	return (n < 0 || (size_t)n >= len ? -1 : 0);
}

/* Writes all of buf to fd; 0, or -1 with errno set. */
static int
write_all(int fd, const unsigned char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		buf += n;
		len -= (size_t)n;
	}
	return (0);
}

int
db_file_put(const char *dir, db_file_read_fn readfn, void *arg, int64_t now,
    struct db_file *f, char *err, size_t errlen)
{
	crypto_hash_sha256_state h;
	unsigned char		 buf[65536], digest[crypto_hash_sha256_BYTES];
	struct timespec		 times[2];
	char			 rnd[17];
	ssize_t			 n;
	int			 fd = -1, closed, rc = DB_ERROR;

	memset(f, 0, sizeof(*f));
	if (snprintf(f->dir, sizeof(f->dir), "%s", dir) >=
	    (int)sizeof(f->dir)) {
		(void)snprintf(err, errlen, "directory path too long");
		return (DB_ERROR);
	}
	randombytes_buf(digest, 8);
	sodium_bin2hex(rnd, sizeof(rnd), digest, 8);
	(void)snprintf(
	    f->path, sizeof(f->path), "%s/" UPLOAD_PREFIX "%s", dir, rnd);
	/* No inode or directory block left is a full disk too. */
	if ((fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		 0600)) == -1) {
		rc = io_fail(err, errlen, "cannot create", f->path);
		f->path[0] = '\0';
		return (rc);
	}
	crypto_hash_sha256_init(&h);
	while ((n = readfn(arg, buf, sizeof(buf))) > 0) {
		crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
		if (write_all(fd, buf, (size_t)n) == -1) {
			rc = io_fail(err, errlen, "cannot write", f->path);
			goto out;
		}
		f->size += n;
	}
	if (n < 0) {
		(void)snprintf(err, errlen, "the upload could not be read");
		goto out;
	}
	/* The program's clock, not the kernel's: see db.h. Set after the
	 * last write, which would move it again. */
	times[0].tv_sec = 0;
	times[0].tv_nsec = UTIME_OMIT;
	times[1].tv_sec = (time_t)now;
	times[1].tv_nsec = 0;
	if (futimens(fd, times) == -1) {
		rc = io_fail(err, errlen, "cannot set the time of", f->path);
		goto out;
	}
	/* Delayed allocation reports a full disk here, or at close. */
	if (fsync(fd) == -1) {
		rc = io_fail(err, errlen, "cannot sync", f->path);
		goto out;
	}
	closed = close(fd);
	fd = -1;
	if (closed == -1) {
		rc = io_fail(err, errlen, "cannot close", f->path);
		goto out;
	}
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(f->sha256, sizeof(f->sha256), digest, sizeof(digest));
	rc = 0;
out:
	if (fd != -1)
		(void)close(fd);
	if (rc != 0) {
		(void)unlink(f->path);
		f->path[0] = '\0';
		f->size = 0;
	}
	return (rc);
}

/* Syncs directory dir, so that a rename into it survives a power loss. */
static int
sync_dir(const char *dir, char *err, size_t errlen)
{
	int fd, rc = 0;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return (io_fail(err, errlen, "cannot open", dir));
	if (fsync(fd) == -1)
		rc = io_fail(err, errlen, "cannot sync", dir);
	(void)close(fd);
	return (rc);
}

int
db_file_commit(struct db_file *f, char *err, size_t errlen)
{
	char final[DB_FILE_PATH_MAX + 80];

	if (f->path[0] == '\0' ||
	    db_file_path(f->dir, f->sha256, final, sizeof(final)) != 0) {
		(void)snprintf(err, errlen, "no upload to commit");
		return (DB_ERROR);
	}
	/* The same content is stored once, under the same name; replacing
	 * it also renews its time, which keeps it from a running sweep. */
	if (rename(f->path, final) == -1)
		return (io_fail(err, errlen, "cannot rename to", final));
	f->path[0] = '\0';
	return (sync_dir(f->dir, err, errlen));
}

void
db_file_discard(struct db_file *f)
{
	if (f->path[0] != '\0')
		(void)unlink(f->path);
	f->path[0] = '\0';
}

/* The hashes rows name, sorted (STMT_FILES_NAMED orders them). */
struct named {
	char (*v)[65];
	size_t n, cap;
	int    nomem;
};

static int
add_named(struct db_q *st, void *arg)
{
	struct named *nm = arg;
	void	     *p;

	if (nm->n == nm->cap) {
		nm->cap = nm->cap ? nm->cap * 2 : 256;
		if ((p = reallocarray(nm->v, nm->cap, sizeof(*nm->v))) ==
		    NULL) {
			nm->nomem = 1;
			return (DB_ERROR);
		}
		nm->v = p;
	}
	db_column_text(st, 0, nm->v[nm->n], sizeof(nm->v[0]));
	nm->n++;
	return (0);
}

static int
cmp_hash(const void *a, const void *b)
{
	return (strncmp(a, b, 64));
}

static int
is_named(const struct named *nm, const char *hash)
{
	return (nm->n > 0 &&
	    bsearch(hash, nm->v, nm->n, sizeof(nm->v[0]), cmp_hash) != NULL);
}

/* The names of dir's entries, read before any is changed. */
struct listing {
	char **v;
	size_t n, cap;
};

static void
listing_free(struct listing *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int
cmp_name(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static int
list_dir(DIR *d, struct listing *l)
{
	struct dirent *de;
	void	      *p;

	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, UPLOAD_PREFIX,
			sizeof(UPLOAD_PREFIX) - 1) != 0 &&
		    strncmp(de->d_name, ASIDE_PREFIX,
			sizeof(ASIDE_PREFIX) - 1) != 0 &&
		    !is_stored(de->d_name))
			continue;
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 256;
			if ((p = reallocarray(l->v, l->cap, sizeof(*l->v))) ==
			    NULL)
				return (-1);
			l->v = p;
		}
		if ((l->v[l->n] = strdup(de->d_name)) == NULL)
			return (-1);
		l->n++;
	}
	return (0);
}

/* Whether name in dfd is at least grace seconds old at now; -1 when it
 * is gone or cannot be read. */
static int
old_enough(int dfd, const char *name, int64_t now, int64_t grace)
{
	struct stat sb;

	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return (-1);
	if (!S_ISREG(sb.st_mode))
		return (0);
	return (grace <= 0 || now - (int64_t)sb.st_mtim.tv_sec >= grace);
}

/*
 * Puts a set-aside file back under its name, unless a file of the same
 * content took the name meanwhile (a link does not replace it: that file
 * is younger, and its time must stay), and drops the set-aside name. A
 * file system without links gets a rename instead.
 */
static void
put_back(int dfd, const char *aside, const char *name)
{
	if (linkat(dfd, aside, dfd, name, 0) == 0 || errno == EEXIST)
		(void)unlinkat(dfd, aside, 0);
	else
		(void)renameat(dfd, aside, dfd, name);
}

/*
 * A stored file no row names: removed when old enough. Without a grace
 * period no worker runs and it goes at once. Otherwise it is set aside
 * first and its time read again under the new name: if a worker renamed
 * an upload of the same content into place just before (a young file
 * whose row is on its way), that file is what was set aside, and it goes
 * back.
 */
static void
sweep_stored(
    int dfd, const char *name, int64_t now, int64_t grace, struct db_sweep *out)
{
	char aside[sizeof(ASIDE_PREFIX) + STORED_LEN];
	int  old;

	if ((old = old_enough(dfd, name, now, grace)) != 1) {
		if (old == 0)
			out->young++;
		return;
	}
	if (grace <= 0) {
		if (unlinkat(dfd, name, 0) == 0)
			out->removed++;
		return;
	}
	(void)snprintf(aside, sizeof(aside), ASIDE_PREFIX "%s", name);
	if (renameat(dfd, name, dfd, aside) == -1)
		return;
	if (old_enough(dfd, aside, now, grace) == 1) {
		if (unlinkat(dfd, aside, 0) == 0)
			out->removed++;
	} else {
		put_back(dfd, aside, name);
		out->young++;
	}
}

int
db_files_sweep(struct db *db, const char *dir, int64_t now, int64_t grace,
    struct db_sweep *out, char *err, size_t errlen)
{
	struct named   nm = { NULL, 0, 0, 0 };
	struct listing l = { NULL, 0, 0 };
	struct db_q   *st;
	DIR	      *d = NULL;
	const char    *name;
	size_t	       i, alen = sizeof(ASIDE_PREFIX) - 1;
	int	       rc, dfd;

	memset(out, 0, sizeof(*out));
	/* What rows name is read before the directory: a file committed
	 * after this read is young, and kept for its row. */
	if ((st = db_stmt(db, STMT_FILES_NAMED)) == NULL) {
		(void)snprintf(err, errlen, "%s", db_errmsg(db));
		return (DB_ERROR);
	}
	if ((rc = db_each(db, st, add_named, &nm)) != 0) {
		(void)snprintf(err, errlen, "%s",
		    nm.nomem ? "out of memory" : db_errmsg(db));
		goto done;
	}
	if ((d = opendir(dir)) == NULL) {
		rc = io_fail(err, errlen, "cannot open", dir);
		goto done;
	}
	if (list_dir(d, &l) != 0) {
		(void)snprintf(err, errlen, "out of memory");
		rc = DB_ERROR;
		goto done;
	}
	dfd = dirfd(d);
	/* First what a sweep cut short set aside goes back, to be judged
	 * below under its own name like any other (once, if the name was
	 * taken meanwhile too). */
	for (i = 0; i < l.n; i++) {
		name = l.v[i];
		if (strncmp(name, ASIDE_PREFIX, alen) != 0 ||
		    !is_stored(name + alen))
			continue;
		put_back(dfd, name, name + alen);
		out->restored++;
		memmove(l.v[i], name + alen, STORED_LEN + 1);
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), cmp_name);
	for (i = 0; i < l.n; i++) {
		name = l.v[i];
		if (i > 0 && strcmp(name, l.v[i - 1]) == 0)
			continue;
		if (strncmp(name, UPLOAD_PREFIX, sizeof(UPLOAD_PREFIX) - 1) ==
		    0) {
			/* Its request may still run (the PDF check) unless
			 * it is older than any request lasts. */
			if (old_enough(dfd, name, now, grace) == 1 &&
			    unlinkat(dfd, name, 0) == 0)
				out->partial++;
		} else if (is_stored(name) && !is_named(&nm, name))
			sweep_stored(dfd, name, now, grace, out);
	}
	rc = 0;
done:
	if (d != NULL)
		(void)closedir(d);
	listing_free(&l);
	free(nm.v);
	return (rc);
}

/* What db_files_verify() passes from row to row. */
struct verify {
	const char *dir;
	int (*cb)(void *, const char *, const char *);
	void		 *arg;
	struct db_verify *out;
	char		 *err;
	size_t		  errlen;
};

/*
 * Whether the file at path is of size bytes and hashes to sha256: NULL
 * when it is, else what is wrong, in words. -1 in *rc (err set) when it
 * could not be read for another reason than its absence.
 */
static const char *
verify_one(const char *path, const char *sha256, int64_t size, int *rc,
    char *err, size_t errlen)
{
	crypto_hash_sha256_state h;
	unsigned char		 buf[65536], digest[crypto_hash_sha256_BYTES];
	char			 hex[65];
	struct stat		 sb;
	const char		*what = NULL;
	ssize_t			 n;
	int			 fd;

	*rc = 0;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return ("missing");
		*rc = io_fail(err, errlen, "cannot open", path);
		return (NULL);
	}
	if (fstat(fd, &sb) == -1) {
		*rc = io_fail(err, errlen, "cannot read", path);
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		what = "not a file";
		goto out;
	}
	if ((int64_t)sb.st_size != size) {
		what = "of another size than its row records";
		goto out;
	}
	crypto_hash_sha256_init(&h);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			*rc = io_fail(err, errlen, "cannot read", path);
			goto out;
		}
		crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
	}
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	if (strcmp(hex, sha256) != 0)
		what = "changed: its content no longer has its name's SHA-256";
out:
	(void)close(fd);
	return (what);
}

static int
verify_row(struct db_q *st, void *arg)
{
	struct verify *v = arg;
	char	       sha256[65], path[DB_FILE_PATH_MAX + 80];
	const char    *what;
	int64_t	       size;
	int	       rc = 0;

	db_column_text(st, 0, sha256, sizeof(sha256));
	size = db_col_int64(st, 1);
	if (db_file_path(v->dir, sha256, path, sizeof(path)) != 0)
		what = "named by a row with a malformed hash";
	else if ((what = verify_one(
		      path, sha256, size, &rc, v->err, v->errlen)) == NULL &&
	    rc != 0)
		return (rc);
	if (what == NULL) {
		v->out->files++;
		v->out->bytes += size;
		return (0);
	}
	v->out->bad++;
	return (v->cb(v->arg, sha256, what));
}

int
db_files_verify(struct db *db, const char			     *dir,
    int (*cb)(void *, const char *sha256, const char *problem), void *arg,
    struct db_verify *out, char *err, size_t errlen)
{
	struct verify v = { dir, cb, arg, out, err, errlen };
	struct db_q  *st;
	int	      rc;

	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	if ((st = db_stmt(db, STMT_FILES_CHECK)) == NULL) {
		(void)snprintf(err, errlen, "%s", db_errmsg(db));
		return (DB_ERROR);
	}
	rc = db_each(db, st, verify_row, &v);
	if (rc != 0 && err[0] == '\0')
		(void)snprintf(err, errlen, "%s", db_errmsg(db));
	return (rc);
}
