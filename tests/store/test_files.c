/*
 * Tests for src/store/files.c: a put writes and hashes what the stream
 * yields, timed by the caller's clock and synced before it returns; a
 * commit renames to the content's name and syncs the directory; failures
 * leave nothing behind and say whether the disk was full; a sweep removes
 * only the files no row names that are old enough, and never an upload
 * of the same content committed while it runs.
 *
 * The system calls that make a file durable (fsync, rename, renameat,
 * write) are wrapped in this program, so the tests see their order and
 * can make them fail; the wrappers pass everything else on.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "lib/tempdb.h"
#include "store/db.h"

#define NOW   ((int64_t)1796569200) /* 2026-12-06T15:00:00Z */
#define HOUR  ((int64_t)3600)
#define GRACE HOUR

/* What the wrapped calls saw, while recording. */
static int  recording;
static char events[512];
static int  fail_write, fail_fsync; /* an errno to fail with, or 0 */

/* A worker committing the same content around a sweep's set-aside. */
static const char *race_dir, *race_name;
static int	   race_before; /* before the sweep's rename, else after */

static void
event(const char *what)
{
	if (recording)
		(void)strncat(
		    events, what, sizeof(events) - strlen(events) - 1);
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (real == NULL)
		real = (ssize_t(*)(int, const void *, size_t))dlsym(
		    RTLD_NEXT, "write");
	if (recording && fail_write != 0) {
		errno = fail_write;
		return (-1);
	}
	return (real(fd, buf, len));
}

int
fsync(int fd)
{
	static int (*real)(int);
	struct stat sb;

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (fstat(fd, &sb) == 0)
		event(S_ISDIR(sb.st_mode) ? "fsync(dir) " : "fsync(file) ");
	if (recording && fail_fsync != 0) {
		errno = fail_fsync;
		return (-1);
	}
	return (real(fd));
}

int
rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);

	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(
		    RTLD_NEXT, "rename");
	event("rename ");
	return (real(from, to));
}

/* Writes a young file (time now) of name in dir, as a worker's commit
 * of the same content would; uses the real rename. */
static void commit_young(const char *dir, const char *name, int64_t now);

int
renameat(int fromfd, const char *from, int tofd, const char *to)
{
	static int (*real)(int, const char *, int, const char *);
	int rc;

	if (real == NULL)
		real = (int (*)(int, const char *, int, const char *))dlsym(
		    RTLD_NEXT, "renameat");
	if (race_name != NULL && strcmp(from, race_name) == 0 && race_before)
		commit_young(race_dir, race_name, NOW);
	rc = real(fromfd, from, tofd, to);
	if (race_name != NULL && strcmp(from, race_name) == 0 && !race_before)
		commit_young(race_dir, race_name, NOW);
	return (rc);
}

static void
commit_young(const char *dir, const char *name, int64_t now)
{
	static int (*real)(const char *, const char *);
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { (time_t)now, 0 } };
	char		tmp[600], path[600];
	FILE	       *f;

	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(
		    RTLD_NEXT, "rename");
	(void)snprintf(tmp, sizeof(tmp), "%s/.upload-race", dir);
	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(tmp, "w"));
	(void)fputs("same content", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(utimensat(AT_FDCWD, tmp, ts, 0), 0);
	assert_int_equal(real(tmp, path), 0);
}

/* The test's database and its documents directory. */
struct fixture {
	struct tempdb t;
	char	      dir[200];
};

static int
setup(void **state)
{
	struct fixture *fx;

	if ((fx = calloc(1, sizeof(*fx))) == NULL ||
	    tempdb_open(&fx->t, "files") != 0)
		return (-1);
	(void)snprintf(fx->dir, sizeof(fx->dir), "%s/documents", fx->t.dir);
	if (mkdir(fx->dir, 0700) != 0)
		return (-1);
	recording = fail_write = fail_fsync = 0;
	events[0] = '\0';
	race_dir = race_name = NULL;
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	struct dirent  *de;
	DIR	       *d;
	char		path[600];

	if ((d = opendir(fx->dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			(void)snprintf(
			    path, sizeof(path), "%s/%s", fx->dir, de->d_name);
			(void)unlink(path);
		}
		(void)closedir(d);
	}
	(void)rmdir(fx->dir);
	tempdb_close(&fx->t);
	free(fx);
	return (0);
}

/* A stream over memory, chunk bytes a read (0: as many as asked); fails
 * at the end when fail is set. */
struct stream {
	const char *p;
	size_t	    left, chunk;
	int	    fail;
};

static ssize_t
stream_read(void *arg, void *buf, size_t len)
{
	struct stream *s = arg;
	size_t	       n = s->left < len ? s->left : len;

	if (s->left == 0 && s->fail)
		return (-1);
	if (s->chunk != 0 && n > s->chunk)
		n = s->chunk;
	memcpy(buf, s->p, n);
	s->p += n;
	s->left -= n;
	return ((ssize_t)n);
}

/* The SHA-256 of text, in hex. */
static void
hash_of(const char *text, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(d, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, 65, d, sizeof(d));
}

/* How many entries dir has besides . and .. */
static int
entries(const char *dir)
{
	struct dirent *de;
	DIR	      *d;
	int	       n = 0;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0;
	(void)closedir(d);
	return (n);
}

static int
exists(const char *dir, const char *name)
{
	char path[600];

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	return (access(path, F_OK) == 0);
}

/* Puts text into fx's directory at time now; returns the result. */
static int
put(struct fixture *fx, const char *text, int64_t now, struct db_file *f)
{
	struct stream s = { text, strlen(text), 7, 0 };
	char	      err[256];

	return (
	    db_file_put(fx->dir, stream_read, &s, now, f, err, sizeof(err)));
}

/* Puts and commits text at time now; its stored name into name. */
static void
store(struct fixture *fx, const char *text, int64_t now, char name[80])
{
	struct db_file f;
	char	       err[256];

	assert_int_equal(put(fx, text, now, &f), 0);
	assert_int_equal(db_file_commit(&f, err, sizeof(err)), 0);
	(void)snprintf(name, 80, "%s.pdf", f.sha256);
}

static void
test_put_hashes_times_and_syncs_what_the_stream_yields(void **state)
{
	struct fixture *fx = *state;
	struct db_file	f;
	struct stat	sb;
	char		want[65];
	FILE	       *in;
	char		buf[64];
	size_t		n;

	recording = 1;
	assert_int_equal(put(fx, "a letter of some length", NOW, &f), 0);
	recording = 0;
	hash_of("a letter of some length", want);
	assert_string_equal(f.sha256, want);
	assert_int_equal(f.size, 23);
	assert_string_equal(events, "fsync(file) ");
	assert_non_null(strstr(f.path, "/documents/.upload-"));
	assert_int_equal(stat(f.path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* The program's clock, not the kernel's. */
	assert_int_equal((int64_t)sb.st_mtim.tv_sec, NOW);
	assert_non_null(in = fopen(f.path, "r"));
	n = fread(buf, 1, sizeof(buf), in);
	(void)fclose(in);
	assert_int_equal(n, 23);
	assert_memory_equal(buf, "a letter of some length", 23);
	db_file_discard(&f);
	assert_int_equal(entries(fx->dir), 0);
}

static void
test_commit_renames_to_the_content_name_then_syncs_the_directory(void **state)
{
	struct fixture *fx = *state;
	struct db_file	f, g;
	char		err[256], name[80], temp[DB_FILE_PATH_MAX];

	assert_int_equal(put(fx, "content", NOW, &f), 0);
	(void)snprintf(temp, sizeof(temp), "%s", f.path);
	recording = 1;
	assert_int_equal(db_file_commit(&f, err, sizeof(err)), 0);
	recording = 0;
	assert_string_equal(events, "rename fsync(dir) ");
	assert_string_equal(f.path, "");
	assert_int_equal(access(temp, F_OK), -1);
	(void)snprintf(name, sizeof(name), "%s.pdf", f.sha256);
	assert_true(exists(fx->dir, name));
	/* The same content again: one file, under the same name. */
	assert_int_equal(put(fx, "content", NOW + 5, &g), 0);
	assert_int_equal(db_file_commit(&g, err, sizeof(err)), 0);
	assert_string_equal(g.sha256, f.sha256);
	assert_int_equal(entries(fx->dir), 1);
	/* Nothing left to commit. */
	assert_int_equal(db_file_commit(&g, err, sizeof(err)), DB_ERROR);
	db_file_discard(&g);
}

static void
test_a_failed_stream_leaves_nothing(void **state)
{
	struct fixture *fx = *state;
	struct stream	s = { "half a body", 11, 3, 1 };
	struct db_file	f;
	char		err[256];

	assert_int_equal(
	    db_file_put(fx->dir, stream_read, &s, NOW, &f, err, sizeof(err)),
	    DB_ERROR);
	assert_string_equal(f.path, "");
	assert_int_equal(entries(fx->dir), 0);
}

static void
test_a_full_disk_is_told_apart_and_leaves_nothing(void **state)
{
	struct fixture	*fx = *state;
	struct db_file	 f;
	static const int full[] = { ENOSPC, EDQUOT };
	size_t		 i;

	for (i = 0; i < 2; i++) {
		recording = 1;
		fail_write = full[i];
		assert_int_equal(put(fx, "no room", NOW, &f), DB_EFULL);
		fail_write = 0;
		/* Delayed allocation reports it at the sync. */
		fail_fsync = full[i];
		assert_int_equal(put(fx, "no room", NOW, &f), DB_EFULL);
		fail_fsync = 0;
		recording = 0;
		assert_string_equal(f.path, "");
		assert_int_equal(entries(fx->dir), 0);
	}
	recording = 1;
	fail_write = EIO;
	assert_int_equal(put(fx, "broken disk", NOW, &f), DB_ERROR);
	recording = 0;
	fail_write = 0;
	assert_int_equal(entries(fx->dir), 0);
}

static void
test_put_into_a_missing_directory_fails(void **state)
{
	struct fixture *fx = *state;
	struct stream	s = { "x", 1, 0, 0 };
	struct db_file	f;
	char		err[256], dir[300];

	(void)snprintf(dir, sizeof(dir), "%s/none", fx->dir);
	assert_int_equal(
	    db_file_put(dir, stream_read, &s, NOW, &f, err, sizeof(err)),
	    DB_ERROR);
	assert_non_null(strstr(err, "cannot create"));
	assert_string_equal(f.path, "");
}

static void
test_discard_is_safe_on_nothing_and_twice(void **state)
{
	struct fixture *fx = *state;
	struct db_file	f, zero = { 0 };

	db_file_discard(&zero);
	assert_int_equal(put(fx, "gone", NOW, &f), 0);
	assert_int_equal(entries(fx->dir), 1);
	db_file_discard(&f);
	db_file_discard(&f);
	assert_int_equal(entries(fx->dir), 0);
}

static void
test_stored_paths_take_hashes_only(void **state)
{
	char out[300], h[65];

	(void)state;
	hash_of("x", h);
	assert_int_equal(db_file_path("/d", h, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), 3 + 68);
	assert_int_equal(db_file_path("/d", "../../etc/passwd", out, 300), -1);
	h[0] = 'G';
	assert_int_equal(db_file_path("/d", h, out, sizeof(out)), -1);
	assert_int_equal(db_file_path("/d", "abc", out, sizeof(out)), -1);
	hash_of("x", h);
	assert_int_equal(db_file_path("/d", h, out, 20), -1);
}

/* Rows that name files, written past the foreign keys (a second
 * connection, without them): only the names matter to a sweep. */
static void
name_in_rows(struct fixture *fx, const char *sql)
{
	tempdb_sql(&fx->t, sql, 1);
}

static void
name_document(struct fixture *fx, const char *file, int removed)
{
	char sql[400];

	(void)snprintf(sql, sizeof(sql),
	    "INSERT INTO documents (application_id, kind, sha256, size, "
	    "uploaded_by, removed_at) VALUES (1, 'other', '%.64s', 1, 1, %s)",
	    file, removed ? "'2026-12-01T00:00:00Z'" : "NULL");
	name_in_rows(fx, sql);
}

static void
name_letter(struct fixture *fx, const char *file)
{
	char sql[400];

	(void)snprintf(sql, sizeof(sql),
	    "INSERT INTO letters (application_id, writer_name, writer_email, "
	    "waived, status, sha256, size) VALUES (1, 'W', 'w@x.example', 1, "
	    "'received', '%.64s', 1)",
	    file);
	name_in_rows(fx, sql);
}

static void
touch(struct fixture *fx, const char *name, int64_t t)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { (time_t)t, 0 } };
	char		path[600];
	int		fd;

	(void)snprintf(path, sizeof(path), "%s/%s", fx->dir, name);
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0600)) >= 0);
	(void)close(fd);
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void
test_sweep_removes_only_unnamed_files_old_enough(void **state)
{
	struct fixture *fx = *state;
	struct db_sweep sw;
	char		current[80], removed[80], letter[80], orphan[80];
	char		young[80], shared[80], err[256];

	store(fx, "current document", NOW - 3 * HOUR, current);
	store(fx, "removed document", NOW - 3 * HOUR, removed);
	store(fx, "received letter", NOW - 3 * HOUR, letter);
	store(fx, "upload whose row never came", NOW - 2 * HOUR, orphan);
	store(fx, "upload whose row is on its way", NOW - 10, young);
	store(fx, "removed here, current there", NOW - 3 * HOUR, shared);
	name_document(fx, current, 0);
	name_document(fx, removed, 1);
	name_letter(fx, letter);
	name_document(fx, shared, 1);
	name_document(fx, shared, 0);
	touch(fx, ".upload-0123456789abcdef", NOW - 2 * HOUR);
	touch(fx, ".upload-fedcba9876543210", NOW - 5);
	touch(fx, "README", NOW - 100 * HOUR);
	touch(fx, "notahash.pdf", NOW - 100 * HOUR);

	assert_int_equal(db_files_sweep(fx->t.db, fx->dir, NOW, GRACE, &sw, err,
			     sizeof(err)),
	    0);
	assert_int_equal(sw.removed, 2);
	assert_int_equal(sw.partial, 1);
	assert_int_equal(sw.young, 1);
	assert_int_equal(sw.restored, 0);
	assert_true(exists(fx->dir, current));
	assert_false(exists(fx->dir, removed));
	assert_true(exists(fx->dir, letter));
	assert_false(exists(fx->dir, orphan));
	assert_true(exists(fx->dir, young));
	assert_true(exists(fx->dir, shared));
	assert_false(exists(fx->dir, ".upload-0123456789abcdef"));
	assert_true(exists(fx->dir, ".upload-fedcba9876543210"));
	/* Not ours: left alone. */
	assert_true(exists(fx->dir, "README"));
	assert_true(exists(fx->dir, "notahash.pdf"));

	/* At the boundary: exactly the grace period old goes. */
	assert_int_equal(db_files_sweep(fx->t.db, fx->dir, NOW - 10 + GRACE,
			     GRACE, &sw, err, sizeof(err)),
	    0);
	assert_int_equal(sw.removed, 1);
	assert_false(exists(fx->dir, young));
	assert_true(exists(fx->dir, ".upload-fedcba9876543210"));

	/* Before any worker runs (at start), no grace. */
	store(fx, "a crash cut this one short", NOW, young);
	assert_int_equal(
	    db_files_sweep(fx->t.db, fx->dir, NOW, 0, &sw, err, sizeof(err)),
	    0);
	assert_int_equal(sw.removed, 1);
	assert_int_equal(sw.partial, 1);
	assert_int_equal(sw.young, 0);
	assert_int_equal(entries(fx->dir), 5); /* 3 named, README, .pdf */
}

static void
test_sweep_puts_back_what_an_interrupted_sweep_set_aside(void **state)
{
	struct fixture *fx = *state;
	struct db_sweep sw;
	char		named[80], unnamed[80], both[80], err[256];
	char		from[600], to[600];

	store(
	    fx, "named, set aside by a sweep that died", NOW - 3 * HOUR, named);
	store(fx, "unnamed, set aside", NOW - 3 * HOUR, unnamed);
	store(fx, "set aside, then uploaded again", NOW - 3 * HOUR, both);
	name_document(fx, named, 0);
	name_document(fx, both, 0);
	(void)snprintf(from, sizeof(from), "%s/%s", fx->dir, named);
	(void)snprintf(to, sizeof(to), "%s/.sweep-%s", fx->dir, named);
	assert_int_equal(link(from, to), 0);
	assert_int_equal(unlink(from), 0);
	(void)snprintf(from, sizeof(from), "%s/%s", fx->dir, unnamed);
	(void)snprintf(to, sizeof(to), "%s/.sweep-%s", fx->dir, unnamed);
	assert_int_equal(link(from, to), 0);
	assert_int_equal(unlink(from), 0);
	(void)snprintf(from, sizeof(from), "%s/%s", fx->dir, both);
	(void)snprintf(to, sizeof(to), "%s/.sweep-%s", fx->dir, both);
	assert_int_equal(link(from, to), 0);

	assert_int_equal(db_files_sweep(fx->t.db, fx->dir, NOW, GRACE, &sw, err,
			     sizeof(err)),
	    0);
	assert_int_equal(sw.restored, 3);
	assert_int_equal(sw.removed, 1);
	assert_true(exists(fx->dir, named));
	assert_true(exists(fx->dir, both));
	assert_false(exists(fx->dir, unnamed));
	assert_int_equal(entries(fx->dir), 2);
}

/* A worker renames an upload of the same content into place just before
 * (or just after) the sweep sets the old file aside; its row is on its
 * way. Either way the file stays. */
static void
race(void **state, int before)
{
	struct fixture *fx = *state;
	struct db_sweep sw;
	struct stat	sb;
	char		name[80], err[256], path[600];

	store(fx, "same content", NOW - 3 * HOUR, name);
	race_dir = fx->dir;
	race_name = name;
	race_before = before;
	assert_int_equal(db_files_sweep(fx->t.db, fx->dir, NOW, GRACE, &sw, err,
			     sizeof(err)),
	    0);
	race_name = NULL;
	(void)snprintf(path, sizeof(path), "%s/%s", fx->dir, name);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal((int64_t)sb.st_mtim.tv_sec, NOW);
	assert_int_equal(entries(fx->dir), 1);
	assert_int_equal(sw.removed, before ? 0 : 1);
	assert_int_equal(sw.young, before ? 1 : 0);
}

static void
test_sweep_keeps_an_upload_committed_just_before_its_set_aside(void **state)
{
	race(state, 1);
}

static void
test_sweep_keeps_an_upload_committed_just_after_its_set_aside(void **state)
{
	race(state, 0);
}

/* A row naming file (a stored name) with size: a current document, or
 * a received letter. */
static void
name_sized(struct fixture *fx, const char *file, int64_t size, int letter)
{
	char sql[400];

	if (letter)
		(void)snprintf(sql, sizeof(sql),
		    "INSERT INTO letters (application_id, writer_name, "
		    "writer_email, waived, status, sha256, size) VALUES (1, "
		    "'W', 'w@x.example', 1, 'received', '%.64s', %lld)",
		    file, (long long)size);
	else
		(void)snprintf(sql, sizeof(sql),
		    "INSERT INTO documents (application_id, kind, sha256, "
		    "size, uploaded_by) VALUES (1, 'other', '%.64s', %lld, 1)",
		    file, (long long)size);
	name_in_rows(fx, sql);
}

/* Collects what db_files_verify() reports, "<hash> <problem>;" each. */
static char reported[1024];

static int
report(void *arg, const char *sha256, const char *problem)
{
	(void)arg;
	(void)snprintf(reported + strlen(reported),
	    sizeof(reported) - strlen(reported), "%.8s %s;", sha256, problem);
	return (0);
}

static int
stop_at_first(void *arg, const char *sha256, const char *problem)
{
	(void)arg;
	(void)sha256;
	(void)problem;
	return (7);
}

static void
test_verify_finds_each_needed_file_missing_resized_or_changed(void **state)
{
	struct fixture	*fx = *state;
	struct db_verify v;
	char		 whole[80], gone[80], removed[80], resized[80];
	char		 changed[80], want[256], path[600], err[256];
	FILE		*f;

	store(fx, "a whole document", NOW, whole);
	store(fx, "a letter whose file went", NOW, gone);
	store(fx, "a removed document", NOW, removed);
	store(fx, "a document of another size", NOW, resized);
	store(fx, "a document changed on disk", NOW, changed);
	name_sized(fx, whole, 16, 0);
	name_sized(fx, gone, 24, 1);
	name_document(fx, removed, 1);
	name_sized(fx, resized, 27, 0);
	name_sized(fx, changed, 26, 0);
	(void)snprintf(path, sizeof(path), "%s/%s", fx->dir, gone);
	assert_int_equal(unlink(path), 0);
	/* A removed document keeps its row, not its file: not needed. */
	(void)snprintf(path, sizeof(path), "%s/%s", fx->dir, removed);
	assert_int_equal(unlink(path), 0);
	(void)snprintf(path, sizeof(path), "%s/%s", fx->dir, changed);
	assert_non_null(f = fopen(path, "w"));
	(void)fputs("A document changed on disk", f);
	assert_int_equal(fclose(f), 0);

	reported[0] = '\0';
	assert_int_equal(db_files_verify(fx->t.db, fx->dir, report, NULL, &v,
			     err, sizeof(err)),
	    0);
	assert_int_equal(v.files, 1);
	assert_int_equal(v.bytes, 16);
	assert_int_equal(v.bad, 3);
	(void)snprintf(want, sizeof(want), "%.8s missing;", gone);
	assert_non_null(strstr(reported, want));
	(void)snprintf(want, sizeof(want),
	    "%.8s of another size than its row records;", resized);
	assert_non_null(strstr(reported, want));
	(void)snprintf(want, sizeof(want),
	    "%.8s changed: its content no longer has its name's SHA-256;",
	    changed);
	assert_non_null(strstr(reported, want));
	(void)snprintf(want, sizeof(want), "%.8s ", whole);
	assert_null(strstr(reported, want));

	/* The callback may stop the check. */
	assert_int_equal(db_files_verify(fx->t.db, fx->dir, stop_at_first, NULL,
			     &v, err, sizeof(err)),
	    7);
}

static void
test_sweep_of_a_missing_directory_fails(void **state)
{
	struct fixture *fx = *state;
	struct db_sweep sw;
	char		err[256], dir[300];

	(void)snprintf(dir, sizeof(dir), "%s/none", fx->dir);
	assert_int_equal(
	    db_files_sweep(fx->t.db, dir, NOW, GRACE, &sw, err, sizeof(err)),
	    DB_ERROR);
	assert_non_null(strstr(err, "cannot open"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_put_hashes_times_and_syncs_what_the_stream_yields,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_commit_renames_to_the_content_name_then_syncs_the_directory,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_failed_stream_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_full_disk_is_told_apart_and_leaves_nothing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_put_into_a_missing_directory_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_discard_is_safe_on_nothing_and_twice, setup, teardown),
		cmocka_unit_test(test_stored_paths_take_hashes_only),
		cmocka_unit_test_setup_teardown(
		    test_sweep_removes_only_unnamed_files_old_enough, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_sweep_puts_back_what_an_interrupted_sweep_set_aside,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sweep_keeps_an_upload_committed_just_before_its_set_aside,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sweep_keeps_an_upload_committed_just_after_its_set_aside,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sweep_of_a_missing_directory_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_verify_finds_each_needed_file_missing_resized_or_changed,
		    setup, teardown),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
