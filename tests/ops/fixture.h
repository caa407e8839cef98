/*
 * What the unit tests of src/ops share: a real temporary database
 * (tests/lib/tempdb.h) on a fixed clock, with a small program in it made
 * through the operations themselves — the director, the coordinator,
 * three faculty members, four applicants and a cycle whose dates are
 * relative to FX_NOW. Each test builds on it with the helpers below and
 * checks a rule of one operation in milliseconds, without a server.
 *
 *	static int setup(void **state)    { return (fx_setup(state)); }
 *	static int teardown(void **state) { return (fx_teardown(state)); }
 *	...
 *	struct fx *f = *state;  ops_x(f->db, fx_as(f, f->director), ...)
 *
 * Header-only: each test file is one program (a test need not use every
 * helper, hence the helpers' "unused" attribute).
 */
#ifndef FELLOW_TESTS_OPS_FIXTURE_H
#define FELLOW_TESTS_OPS_FIXTURE_H

#include <sys/stat.h>

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/document.h"
#include "core/settings.h"
#include "lib/tempdb.h"
#include "core/pdf.h"
#include "ops/accounts.h"
#include "ops/cycles.h"
#include "ops/documents.h"

/* The tests' clock: 2026-12-06T15:00:00Z. Nothing depends on the day
 * the tests run. */
#define FX_NOW	((int64_t)1796569200)
#define FX_HOUR ((int64_t)3600)
#define FX_DAY	((int64_t)86400)

#define FX_FACULTY    3
#define FX_APPLICANTS 4

struct fx {
	struct tempdb	t;
	struct db      *db;
	struct settings set;
	int64_t		now; /* the clock; tests move it */
	int64_t		director, coordinator;
	int64_t		faculty[FX_FACULTY];
	int64_t		applicant[FX_APPLICANTS];
	int64_t		cycle; /* in state "open", accepting applications */
};

/* The clock SQLite sees (db_clock_source() takes a plain function). */
static int64_t fx_clock_value = FX_NOW;

__attribute__((unused)) static int64_t
fx_clock(void)
{
	return (fx_clock_value);
}

/* Moves the test's clock, for the operations and for SQLite. */
__attribute__((unused)) static void
fx_set_now(struct fx *f, int64_t now)
{
	f->now = now;
	fx_clock_value = now;
}

__attribute__((unused)) static struct ops_actor
fx_as(struct fx *f, int64_t user)
{
	struct ops_actor a = { user, ROLE_APPLICANT, 0 };
	struct db_user	 u;

	assert_int_equal(db_user_by_id(f->db, user, &u), 1);
	assert_int_equal(role_parse(u.role, &a.role), 0);
	/* Staff act in the program they were made in (fx_user()). */
	if (a.role != ROLE_APPLICANT)
		a.program = DB_PROGRAM_ID;
	return (a);
}

__attribute__((unused)) static int64_t
fx_user(struct fx *f, const char *email, const char *name, const char *role)
{
	struct ops_error e = { 0 };
	int64_t		 id = 0;

	assert_int_equal(
	    ops_user_add_hashed(f->db, DB_PROGRAM_ID, email, name, role,
		"$argon2id$v=19$m=8,t=1,p=1$none$none", 0, &id, &e),
	    OPS_OK);
	return (id);
}

/* A date "YYYY-MM-DDTHH:MM" (UTC wall time) days from the clock. */
__attribute__((unused)) static void
fx_date(int64_t now, int64_t days, char out[17])
{
	time_t	  t = (time_t)(now + days * FX_DAY);
	struct tm tm;

	(void)gmtime_r(&t, &tm);
	(void)strftime(out, 17, "%Y-%m-%dT%H:%M", &tm);
}

/*
 * A cycle with dates around now (applications open 30 days ago and close
 * in 30 days; interviews in 40 to 50 days; rank list due in 60), in UTC,
 * stepped to state. Returns its id.
 */
__attribute__((unused)) static int64_t
fx_cycle(struct fx *f, const char *name, const char *state)
{
	static const char *const order[] = { "open", "review", "ranking" };
	static const int	 days[] = { -30, 30, 40, 50, 60 };
	static const char *const keys[] = { "applications_open",
		"applications_close", "interviews_start", "interviews_end",
		"ranklist_due" };
	struct ops_error	 e = { 0 };
	json_t			*in, *out = NULL;
	char			 d[17];
	int64_t			 id;
	size_t			 i;

	in = json_pack(
	    "{s:i,s:s,s:s}", "year", 2027, "name", name, "timezone", "UTC");
	for (i = 0; i < 5; i++) {
		fx_date(f->now, days[i], d);
		json_object_set_new(in, keys[i], json_string(d));
	}
	assert_int_equal(ops_cycle_create(f->db, fx_as(f, f->director), in,
			     f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	id = json_integer_value(
	    json_object_get(json_object_get(out, "cycle"), "id"));
	json_decref(out);
	for (i = 0; i < 3 && strcmp(state, "setup") != 0; i++) {
		in = json_pack("{s:s}", "state", order[i]);
		assert_int_equal(ops_cycle_update(f->db, fx_as(f, f->director),
				     id, in, f->now, &out, &e),
		    OPS_OK);
		json_decref(in);
		json_decref(out);
		if (strcmp(state, order[i]) == 0)
			break;
	}
	return (id);
}

/* Moves cycle one state on (or back) to state. */
__attribute__((unused)) static void
fx_cycle_state(struct fx *f, int64_t cycle, const char *state)
{
	struct ops_error e = { 0 };
	json_t		*in = json_pack("{s:s}", "state", state), *out = NULL;

	assert_int_equal(ops_cycle_update(f->db, fx_as(f, f->director), cycle,
			     in, f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
}

/* Stored files (the files slice, at the end of this file). */
static void fx_upload(struct fx *, const char *text, struct ops_upload *);
static void fx_files_remove(struct fx *);

/*
 * The applicant's complete application in cycle (every required field, a
 * CV and a personal statement), submitted when submit. Returns its id.
 */
__attribute__((unused)) static int64_t
fx_application(struct fx *f, int64_t applicant, int64_t cycle,
    const char *last_name, int submit)
{
	struct ops_actor  actor = fx_as(f, applicant);
	struct ops_error  e = { 0 };
	struct ops_upload up;
	json_t		 *fields, *out = NULL, *doc;
	char		  text[64];
	int64_t		  id;
	int		  k;

	assert_int_equal(
	    ops_application_mine(f->db, actor, cycle, f->now, &out, &e),
	    OPS_OK);
	id = json_integer_value(
	    json_object_get(json_object_get(out, "application"), "id"));
	json_decref(out);
	fields = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:i,s:i,s:s}",
	    "first_name", "Ada", "last_name", last_name, "email",
	    "ada@example.org", "phone", "+1 555 0100", "mailing_address",
	    "1 Main St", "medical_school", "State University",
	    "medical_school_year", 2018, "residency_program",
	    "General "
	    "Hospital",
	    "residency_year", 2025, "publications_count", 3, "research_summary",
	    "Sarcoma outcomes.");
	assert_int_equal(
	    ops_application_save(f->db, actor, cycle, fields, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	json_decref(fields);
	for (k = 0; k < 2; k++) {
		(void)snprintf(text, sizeof(text), "%s of %s (%lld)",
		    k == 0 ? "CV" : "Statement", last_name, (long long)id);
		fx_upload(f, text, &up);
		assert_int_equal(
		    ops_document_add(f->db, fx_as(f, applicant), id,
			k == 0 ? DOC_CV : DOC_PERSONAL_STATEMENT, &up, f->now,
			&doc, &e),
		    OPS_OK);
		json_decref(doc);
	}
	if (submit) {
		assert_int_equal(ops_application_submit(f->db, &f->set, actor,
				     cycle, f->now, &out, &e),
		    OPS_OK);
		json_decref(out);
	}
	return (id);
}

/* The program: accounts and an open cycle, on the fixed clock. */
__attribute__((unused)) static int
fx_setup(void **state)
{
	struct fx *f;
	char	   email[64], name[64];
	int	   i;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	fx_set_now(f, FX_NOW);
	db_clock_source(fx_clock);
	if (tempdb_open(&f->t, "ops") != 0) {
		free(f);
		return (-1);
	}
	f->db = f->t.db;
	(void)snprintf(f->set.public_url, sizeof(f->set.public_url),
	    "https://fellowship.example.org");
	(void)snprintf(
	    f->set.mail_from, sizeof(f->set.mail_from), "noreply@example.org");
	(void)snprintf(f->set.sendmail, sizeof(f->set.sendmail), "none");
	f->set.document_max = 10L * 1024 * 1024;
	f->director =
	    fx_user(f, "director@example.org", "Dr. Director", "director");
	f->coordinator = fx_user(
	    f, "coordinator@example.org", "Casey Coordinator", "coordinator");
	for (i = 0; i < FX_FACULTY; i++) {
		(void)snprintf(
		    email, sizeof(email), "faculty%d@example.org", i + 1);
		(void)snprintf(name, sizeof(name), "Dr. Rater %d", i + 1);
		f->faculty[i] = fx_user(f, email, name, "faculty");
	}
	for (i = 0; i < FX_APPLICANTS; i++) {
		(void)snprintf(
		    email, sizeof(email), "applicant%d@example.org", i + 1);
		(void)snprintf(name, sizeof(name), "Applicant %d", i + 1);
		f->applicant[i] = fx_user(f, email, name, "applicant");
	}
	f->cycle = fx_cycle(f, "Test Fellowship 2027", "open");
	*state = f;
	return (0);
}

__attribute__((unused)) static int
fx_teardown(void **state)
{
	struct fx *f = *state;

	fx_files_remove(f);
	tempdb_close(&f->t);
	free(f);
	return (0);
}

/*
 * Stored files (the files slice: documents, letters, store/files.c).
 * Uploads go into the documents directory next to the test's database,
 * fx_docs(), through the operations like the server's.
 */

/* The documents directory of the test's database. */
static void
fx_docs(struct fx *f, char out[DB_FILE_PATH_MAX])
{
	(void)snprintf(out, DB_FILE_PATH_MAX, "%s/documents", f->t.dir);
}

/* A stream over bytes in memory, for ops_upload_put(); fails when
 * fail is set, as a broken request body does. */
struct fx_stream {
	const unsigned char *p;
	size_t		     left;
	size_t		     chunk; /* at most this much per read; 0: all */
	int		     fail;
};

static ssize_t
fx_stream_read(void *arg, void *buf, size_t len)
{
	struct fx_stream *s = arg;
	size_t		  n = s->left < len ? s->left : len;

	if (s->fail && s->left == 0)
		return (-1);
	if (s->chunk != 0 && n > s->chunk)
		n = s->chunk;
	memcpy(buf, s->p, n);
	s->p += n;
	s->left -= n;
	return ((ssize_t)n);
}

/* Writes a one-page PDF saying text into out (cap bytes); its length. */
static size_t
fx_pdf(const char *text, char *out, size_t cap)
{
	char   content[256];
	size_t off[5], n = 0;
	int    len, i;

	len = snprintf(content, sizeof(content),
	    "BT /F1 14 Tf 72 720 Td (%s) Tj ET", text);
	n += (size_t)snprintf(out + n, cap - n, "%%PDF-1.4\n");
	for (i = 1; i <= 4; i++) {
		off[i] = n;
		if (i == 1)
			n += (size_t)snprintf(out + n, cap - n,
			    "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
			    "endobj\n");
		else if (i == 2)
			n += (size_t)snprintf(out + n, cap - n,
			    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 "
			    ">>\nendobj\n");
		else if (i == 3)
			n += (size_t)snprintf(out + n, cap - n,
			    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox "
			    "[0 0 612 792] /Contents 4 0 R >>\nendobj\n");
		else
			n += (size_t)snprintf(out + n, cap - n,
			    "4 0 obj\n<< /Length %d >>\nstream\n%s\n"
			    "endstream\nendobj\n",
			    len, content);
	}
	n += (size_t)snprintf(out + n, cap - n,
	    "xref\n0 5\n0000000000 65535 f \n%010zu 00000 n \n"
	    "%010zu 00000 n \n%010zu 00000 n \n%010zu 00000 n \n"
	    "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	    off[1], off[2], off[3], off[4], n);
	assert_true(n < cap);
	return (n);
}

/* Streams len bytes of data into a new upload, as the web layer does;
 * the PDF check has run (here in this process: the check process is the
 * server's, tests/http/test_pdfcheck.py). Returns ops_upload_put()'s
 * result. */
static int
fx_upload_bytes(
    struct fx *f, const void *data, size_t len, struct ops_upload *up)
{
	struct fx_stream s = { data, len, 0, 0 };
	struct ops_error e = { 0 };
	char		 dir[DB_FILE_PATH_MAX];
	int		 rc;

	fx_docs(f, dir);
	(void)mkdir(dir, 0700);
	if ((rc = ops_upload_put(dir, fx_stream_read, &s, f->now, up, &e)) ==
	    OPS_OK) {
		up->verdict = (int)pdf_check(up->file.path);
		up->checked = 1;
	}
	return (rc);
}

/* A checked upload of a valid one-page PDF saying text. */
static void
fx_upload(struct fx *f, const char *text, struct ops_upload *up)
{
	char   pdf[1024];
	size_t n = fx_pdf(text, pdf, sizeof(pdf));

	assert_int_equal(fx_upload_bytes(f, pdf, n, up), OPS_OK);
	assert_int_equal(up->verdict, 0); /* PDF_OK */
}

/* Removes the documents directory and what is in it. */
static void
fx_files_remove(struct fx *f)
{
	char	       dir[DB_FILE_PATH_MAX], path[DB_FILE_PATH_MAX + 300];
	DIR	      *d;
	struct dirent *de;

	fx_docs(f, dir);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' &&
		    (de->d_name[1] == '\0' || strcmp(de->d_name, "..") == 0))
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		(void)unlink(path);
	}
	(void)closedir(d);
	(void)rmdir(dir);
}

/*
 * Ranking and assignments (the "one ranking policy" slice): assigning a
 * rater, submitting a sheet, inviting to interview.
 */
#include "ops/interviews.h"
#include "ops/review.h"

/* Assigns rater to application for phase (as the coordinator). */
static __attribute__((unused)) void
fx_assign(struct fx *f, int64_t rater, int64_t app, enum phase p)
{
	struct ops_error e = { 0 };
	json_t		*items, *out = NULL;

	items = json_pack("[{s:I,s:I,s:s}]", "faculty_id", (json_int_t)rater,
	    "application_id", (json_int_t)app, "phase", phase_names[p]);
	assert_int_equal(ops_assignments_set(f->db, fx_as(f, f->coordinator),
			     f->cycle, items, f->now, &out, &e),
	    OPS_OK);
	json_decref(items);
	json_decref(out);
}

/*
 * Assigns rater and submits their sheet of application for phase with
 * every criterion of the phase's default rubric at level (1 to 5).
 */
static __attribute__((unused)) void
fx_score(struct fx *f, int64_t rater, int64_t app, enum phase p, int level)
{
	static const char *const keys[PHASE__MAX][5] = {
		{ "clinical", "research", "letters", "commitment",
		    "communication" },
		{ "reasoning", "communication", "professionalism", "motivation",
		    "fit" },
	};
	struct ops_error e = { 0 };
	json_t		*values, *out = NULL;
	int		 i;

	fx_assign(f, rater, app, p);
	values = json_object();
	for (i = 0; i < 5; i++)
		json_object_set_new(values, keys[p][i], json_integer(level));
	if (ops_sheet_save(f->db, fx_as(f, rater), app, p, values, NULL, 1, 0,
		f->now, &out, &e) != OPS_OK)
		fail_msg("fx_score: %s", e.message);
	json_decref(values);
	json_decref(out);
}

/* Closes (closed 1) or reopens scoring of phase p (as the director). */
static __attribute__((unused)) void
fx_close_phase(struct fx *f, enum phase p, int closed)
{
	struct ops_error e = { 0 };
	json_t		*in = json_pack("{s:b}", "closed", closed), *out = NULL;

	assert_int_equal(ops_phase_update(f->db, fx_as(f, f->director),
			     f->cycle, p, in, f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
}

/* Invites application to interview (as the coordinator). */
static __attribute__((unused)) void
fx_invite(struct fx *f, int64_t app)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	assert_int_equal(
	    ops_interview_invite(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, &app, 1, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
}

#endif
