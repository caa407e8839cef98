/*
 * The demo data: an installation of three programs with overlapping
 * faculty, and accounts for every role. The first program,
 * Musculoskeletal Oncology, has this year's cycle at the interview
 * stage, with about 80 applicants in various states and its review
 * (ops/demo_review.c), and next year's cycle, open to applicants; the
 * other two have a cycle open to applicants each. One hash serves every
 * account (they share a password), so seeding costs one Argon2id
 * computation, not one per account. Names and details are generated from
 * small tables with a fixed seed, so every installation shows the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "core/cycle.h"
#include "core/dates.h"
#include "core/password.h"
#include "ops/accounts.h"
#include "ops/demo.h"

static const struct {
	const char *email;
	const char *name;
	const char *role;
} demo_users[] = {
	{ "director@demo.test", "Dr. Maria Alvarez", "director" },
	{ "coordinator@demo.test", "Sam Okafor", "coordinator" },
	{ "faculty1@demo.test", "Dr. Henrik Lund", "faculty" },
	{ "faculty2@demo.test", "Dr. Priya Raman", "faculty" },
	{ "faculty3@demo.test", "Dr. James Whitfield", "faculty" },
	{ "faculty4@demo.test", "Dr. Aiko Tanaka", "faculty" },
	{ "faculty5@demo.test", "Dr. Olusegun Bello", "faculty" },
	{ "faculty6@demo.test", "Dr. Claire Dubois", "faculty" },
	{ "applicant@demo.test", "Dr. Lena Fischer", "applicant" },
	{ "sports.director@demo.test", "Dr. Rafael Moreno", "director" },
	{ "admin@demo.test", "Noor Haddad", "administrator" },
};

/* The programs (the first is the installation's program 1) and the
 * roles the people above hold in the other two: faculty shared between
 * programs, a coordinator serving two (Oncology and Hand Surgery), a
 * surgeon who is faculty in one program and director of another. Sports
 * Medicine shares faculty with Oncology but none of its other staff. */
static const struct {
	const char *name;
	const char *cycle;
	const char *mail_sender;
} demo_programs[] = {
	{ "Musculoskeletal Oncology", "Musculoskeletal Oncology Fellowship",
	    "Musculoskeletal Oncology Fellowship" },
	{ "Sports Medicine", "Sports Medicine Fellowship",
	    "Sports Medicine Fellowship" },
	{ "Hand Surgery", "Hand Surgery Fellowship",
	    "Hand Surgery Fellowship" },
};

static const struct {
	const char *email;
	int	    program; /* index into demo_programs */
	const char *role;
} demo_roles[] = {
	{ "sports.director@demo.test", 1, "director" },
	{ "faculty1@demo.test", 1, "faculty" },
	{ "faculty2@demo.test", 1, "faculty" },
	{ "coordinator@demo.test", 2, "coordinator" },
	{ "faculty4@demo.test", 2, "director" },
	{ "faculty2@demo.test", 2, "faculty" },
	{ "faculty5@demo.test", 2, "faculty" },
};

#define DEMO_APPLICANTS 80

static const char *const first_names[] = { "Amara", "Benjamin", "Chiara",
	"Daniel", "Elif", "Farid", "Grace", "Hiroshi", "Isabel", "Jonas",
	"Kavya", "Liam", "Mei", "Nikolai", "Olivia", "Pedro", "Quinn", "Rania",
	"Samuel", "Tanvi", "Ugo", "Valeria", "Wei", "Ximena", "Yusuf", "Zara" };
static const char *const last_names[] = { "Adeyemi", "Bergström", "Castillo",
	"Dvořák", "Eriksen", "Fontaine", "García", "Hoffmann", "Iyer", "Jensen",
	"Kowalski", "López", "Müller", "Nakamura", "O'Brien", "Petrov",
	"Quintero", "Rossi", "Schmidt", "Tanaka", "Uddin", "Varga", "Williams",
	"Xu", "Yilmaz", "Zimmermann" };
static const char *const schools[] = { "Johns Hopkins University",
	"University of Michigan", "Charité Berlin", "University of Toronto",
	"Stanford University", "Baylor College of Medicine",
	"University of São Paulo", "Karolinska Institutet",
	"Washington University in St. Louis", "Duke University" };
static const char *const residencies[] = {
	"Massachusetts General Hospital Orthopaedic Surgery",
	"Hospital for Special Surgery", "Mayo Clinic Orthopedic Surgery",
	"University of Pennsylvania Orthopaedics",
	"Rush University Orthopedics", "UCSF Orthopaedic Surgery",
	"Campbell Clinic", "Duke Orthopaedics"
};
static const char *const topics[] = { "limb salvage after sarcoma resection",
	"outcomes of endoprosthetic reconstruction",
	"metastatic bone disease and pathologic fractures",
	"pediatric bone tumours and growth",
	"biomechanics of allograft fixation",
	"infection after tumour megaprostheses" };

void
demo_date(int64_t now, int days, int hour, char *out, size_t len)
{
	time_t		  t = (time_t)(now + (int64_t)days * 86400);
	struct tm	  tm;
	struct local_time lt;

	(void)gmtime_r(&t, &tm);
	lt.year = tm.tm_year + 1900;
	lt.mon = tm.tm_mon + 1;
	lt.day = tm.tm_mday;
	lt.hour = hour;
	lt.min = 0;
	dates_format(&lt, out, len);
}

/* The letters of Latin Extended-A (U+0100 to U+017F) without their
 * marks, for the demo's names ("Dvořák" as "Dvorák"). */
static const char latin_ext_a[] =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlL"
    "lLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/*
 * text (UTF-8) as a PDF string's bytes in WinAnsiEncoding: Latin-1
 * letters as their one byte, Latin Extended-A letters as their base
 * letter, the string's delimiters and backslash escaped, anything else
 * as "?". Always NUL-terminated.
 */
static void
demo_pdf_text(const char *text, char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t		     n = 0;
	unsigned int	     c;

	while (*p != '\0' && n + 3 < len) {
		if (*p < 0x80) {
			c = *p++;
		} else if ((*p & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80) {
			c = ((unsigned int)(*p & 0x1f) << 6) | (p[1] & 0x3f);
			p += 2;
		} else {
			/* Longer sequences: outside Latin-1. */
			p++;
			while ((*p & 0xc0) == 0x80)
				p++;
			c = '?';
		}
		if (c >= 0x100 && c < 0x180)
			c = (unsigned char)latin_ext_a[c - 0x100];
		else if (c > 0xff || (c >= 0x80 && c < 0xa0))
			c = '?';
		if (c == '(' || c == ')' || c == '\\')
			out[n++] = '\\';
		out[n++] = (char)c;
	}
	out[n] = '\0';
}

/*
 * Writes a one-page PDF saying text into dir/documents/<sha256>.pdf and
 * returns its hash and size. The layout is fixed, so offsets are computed;
 * the text is set in Helvetica, WinAnsiEncoding, so that names such as
 * Müller read as typed.
 */
static int
demo_pdf(const char *dir, const char *text, char sha[65], int64_t *size)
{
	char	      content[800], pdf[2800], path[1100], tmp[1110], line[400];
	unsigned char digest[crypto_hash_sha256_BYTES];
	size_t	      off[6], n = 0;
	int	      len, i;
	FILE	     *f;

	demo_pdf_text(text, line, sizeof(line));
	len = snprintf(content, sizeof(content),
	    "BT /F1 14 Tf 72 720 Td (%s) Tj ET", line);
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n, "%%PDF-1.4\n");
	for (i = 1; i <= 5; i++) {
		off[i] = n;
		switch (i) {
		case 1:
			n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
			    "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
			    "endobj\n");
			break;
		case 2:
			n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
			    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 "
			    ">>\nendobj\n");
			break;
		case 3:
			n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
			    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox "
			    "[0 0 612 792] /Resources << /Font << /F1 5 0 R >> "
			    ">> /Contents 4 0 R >>\nendobj\n");
			break;
		case 4:
			n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
			    "4 0 obj\n<< /Length %d >>\nstream\n%s\n"
			    "endstream\nendobj\n",
			    len, content);
			break;
		default:
			n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
			    "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont "
			    "/Helvetica /Encoding /WinAnsiEncoding >>\n"
			    "endobj\n");
			break;
		}
	}
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
	    "xref\n0 6\n0000000000 65535 f \n%010zu 00000 n \n"
	    "%010zu 00000 n \n%010zu 00000 n \n%010zu 00000 n \n"
	    "%010zu 00000 n \n"
	    "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	    off[1], off[2], off[3], off[4], off[5], n);
	crypto_hash_sha256(digest, (const unsigned char *)pdf, n);
	sodium_bin2hex(sha, 65, digest, sizeof(digest));
	(void)snprintf(path, sizeof(path), "%s/documents/%s.pdf", dir, sha);
	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "wb")) == NULL)
		return (-1);
	if (fwrite(pdf, 1, n, f) != n || fclose(f) != 0 ||
	    rename(tmp, path) != 0)
		return (-1);
	*size = (int64_t)n;
	return (0);
}

/* Documents and letters for one demo applicant; kind as in seed_cycle. */
static int
seed_files(struct db *db, const char *dir, int64_t app, int64_t uid,
    const char *who, int kind, int i)
{
	static const char *const writers[] = { "Dr. Helen Park",
		"Dr. Marcus Reid", "Dr. Sofia Lindqvist", "Dr. Ahmed Karim",
		"Dr. Julia Santos" };
	struct db_document	 d = { 0 };
	struct db_letter	 l = { 0 };
	unsigned char		 h[32];
	char			 text[600];
	int64_t			 id;
	int			 k, rc, letters, received;

	if (kind == 2)
		return (0);
	for (k = 0; k < 2; k++) {
		(void)snprintf(text, sizeof(text), "%s - %s", who,
		    k == 0 ? "Curriculum vitae" : "Personal statement");
		if (demo_pdf(dir, text, d.sha256, &d.size) != 0)
			return (DB_ERROR);
		d.application_id = app;
		(void)snprintf(d.kind, sizeof(d.kind), "%s",
		    k == 0 ? "cv" : "personal_statement");
		d.uploaded_by = uid;
		if ((rc = db_document_insert(db, &d, &id)) != 0)
			return (rc);
	}
	letters = kind == 1 ? 2 : 3;
	received = kind == 1 ? i % 2 : 2 + i % 2;
	for (k = 0; k < letters; k++) {
		l.application_id = app;
		(void)snprintf(l.writer_name, sizeof(l.writer_name), "%s",
		    writers[(i + k) % 5]);
		(void)snprintf(l.writer_email, sizeof(l.writer_email),
		    "writer%d.%d@demo.test", i + 1, k + 1);
		l.waived = (i + k) % 4 != 0;
		l.token_expires_at = 0;
		randombytes_buf(h, sizeof(h));
		if ((rc = db_letter_insert(db, &l, h, &id)) != 0)
			return (rc);
		if (k < received) {
			(void)snprintf(text, sizeof(text),
			    "Letter of recommendation for %s by %s", who,
			    l.writer_name);
			if (demo_pdf(dir, text, d.sha256, &d.size) != 0)
				return (DB_ERROR);
			if ((rc = db_letter_receive(
				 db, id, d.sha256, d.size)) != 1)
				return (rc < 0 ? rc : DB_ERROR);
		}
	}
	return (0);
}

/* Inserts a cycle whose dates are offsets days from now, in state. */
static int
insert_cycle(struct db *db, int64_t program, const char *name, int64_t year,
    const char *state, const int offsets[CYCLE_DATE__MAX], int64_t now,
    struct db_cycle *c)
{
	static const int  hours[CYCLE_DATE__MAX] = { 9, 17, 8, 17, 23 };
	struct local_time lt;
	int		  i, rc;

	memset(c, 0, sizeof(*c));
	c->year = year;
	c->program_id = program;
	(void)snprintf(
	    c->name, sizeof(c->name), "%s %lld", name, (long long)year);
	c->positions = 2;
	(void)snprintf(c->timezone, sizeof(c->timezone), "America/New_York");
	(void)snprintf(c->state, sizeof(c->state), "%s", state);
	for (i = 0; i < CYCLE_DATE__MAX; i++)
		demo_date(now, offsets[i], hours[i], c->dates[i],
		    sizeof(c->dates[i]));
	(void)dates_parse(c->dates[0], 0, &lt);
	(void)dates_to_instant(&lt, c->timezone, &c->open_at);
	(void)dates_parse(c->dates[1], 0, &lt);
	(void)dates_to_instant(&lt, c->timezone, &c->close_at);
	(void)dates_parse(c->dates[4], 0, &lt);
	(void)dates_to_instant(&lt, c->timezone, &c->ranklist_due_at);
	if ((rc = db_cycle_insert(db, c, &c->id)) != 0)
		return (rc);
	/* The cycle starts in setup in the schema's eyes; set its state. */
	return (db_cycle_update(db, c));
}

/* This year's cycle, its applicants and its review; inside the
 * caller's transaction. */
static int
seed_cycle(struct db *db, const char *dir, const char *hash, int64_t now)
{
	static const int offsets[CYCLE_DATE__MAX] = { -150, -60, -40, 14, 30 };
	static const int next[CYCLE_DATE__MAX] = { -5, 200, 230, 260, 280 };
	struct db_cycle	 c, n;
	json_t		*f;
	char		 email[64], name[128], *text;
	int64_t		 uid, aid, submitted[DEMO_APPLICANTS], year;
	int		 i, rc = 0, kind, nsub = 0;
	time_t		 t = (time_t)now;
	struct tm	 tm;

	/* Named for the fellowship year that follows the rank list: the
	 * year after now's (the dates are relative to now as well). */
	(void)gmtime_r(&t, &tm);
	year = tm.tm_year + 1900 + 1;
	if ((rc = insert_cycle(db, DB_PROGRAM_ID, demo_programs[0].cycle, year,
		 "review", offsets, now, &c)) != 0 ||
	    (rc = insert_cycle(db, DB_PROGRAM_ID, demo_programs[0].cycle,
		 year + 1, "open", next, now, &n)) != 0)
		return (rc);
	srand(2027);
	for (i = 0; i < DEMO_APPLICANTS && rc == 0; i++) {
		const char *fn = first_names[i % 26];
		/* The second round of first names gets other last names, so no
		 * two applicants share a name. */
		const char *ln = last_names[(i * 7 + 3 + i / 26) % 26];

		(void)snprintf(
		    email, sizeof(email), "applicant%02d@demo.test", i + 1);
		(void)snprintf(name, sizeof(name), "Dr. %s %s", fn, ln);
		if ((rc = db_user_insert(
			 db, email, name, "applicant", hash, &uid)) != 0)
			break;
		/* 0-54 submitted, 55-69 drafts well along, 70-74 barely
		 * started, 75-79 withdrawn. */
		kind = i < 55 ? 0 : i < 70 ? 1 : i < 75 ? 2 : 3;
		f = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:i}",
		    "first_name", fn, "last_name", ln, "email", email, "phone",
		    "+1 617 555 0100", "mailing_address",
		    "100 Cambridge Street\nBoston, MA 02114", "medical_school",
		    schools[i % 10], "medical_school_year", 2014 + i % 6,
		    "residency_program", residencies[i % 8], "residency_year",
		    2022 + i % 4);
		if (kind != 2) {
			json_object_set_new(
			    f, "publications_count", json_integer(rand() % 25));
			json_object_set_new(f, "usmle_step1",
			    json_string(i % 3 ? "pass" : "fail"));
			json_object_set_new(f, "usmle_step2_ck",
			    json_integer(220 + rand() % 60));
			(void)snprintf(
			    name, sizeof(name), "%08d", 10000000 + i * 137);
			json_object_set_new(f, "aamc_id", json_string(name));
			(void)snprintf(
			    name, sizeof(name), "N%07d", 1000000 + i);
			json_object_set_new(f, "nrmp_id", json_string(name));
			(void)snprintf(name, sizeof(name), "%d", 500000 + i);
			json_object_set_new(f, "sfmatch_id", json_string(name));
		}
		if (kind == 0 || kind == 3) {
			(void)snprintf(name, sizeof(name),
			    "My research during residency focused on %s.",
			    topics[i % 6]);
			json_object_set_new(
			    f, "research_summary", json_string(name));
		}
		if (kind == 2) {
			json_object_del(f, "residency_program");
			json_object_del(f, "mailing_address");
		}
		text = json_dumps(f, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(f);
		if (text == NULL)
			return (DB_ERROR);
		rc = db_application_insert(db, c.id, uid, text, &aid);
		free(text);
		if (rc == 0) {
			(void)snprintf(name, sizeof(name), "%s %s", fn, ln);
			rc = seed_files(db, dir, aid, uid, name, kind, i);
		}
		if (rc == 0 && kind == 0) {
			rc = db_application_set_status(db, aid, "submitted", 1);
			submitted[nsub++] = aid;
		}
		if (rc == 0 && kind == 3)
			rc = db_application_set_status(db, aid, "withdrawn", 0);
	}
	if (rc == 0)
		rc = demo_review_seed(db, c.id, submitted, nsub, now);
	return (rc);
}

/*
 * First (second 0): the programs (ids into programs) and the accounts of
 * the first program's people. Then (second 1, after the first program's
 * cycles): the other accounts (an administrator's, with no role), the
 * roles in the other programs, and a cycle open to applicants in each
 * other program. Inside the caller's transaction.
 */
static int
seed_programs(
    struct db *db, const char *hash, int64_t now, int64_t *programs, int second)
{
	static const int  open[CYCLE_DATE__MAX] = { -20, 120, 150, 180, 200 };
	struct db_program p;
	struct db_cycle	  c;
	struct db_user	  u;
	struct tm	  tm;
	time_t		  t;
	size_t		  i;
	int64_t		  id, year;
	int		  rc;

	programs[0] = DB_PROGRAM_ID;
	if (!second &&
	    (rc = db_program_set_name(
		 db, DB_PROGRAM_ID, demo_programs[0].name)) != 0)
		return (rc);
	for (i = 1;
	     !second && i < sizeof(demo_programs) / sizeof(demo_programs[0]);
	     i++) {
		memset(&p, 0, sizeof(p));
		(void)snprintf(
		    p.name, sizeof(p.name), "%s", demo_programs[i].name);
		p.positions = 2;
		(void)snprintf(
		    p.timezone, sizeof(p.timezone), "America/New_York");
		(void)snprintf(p.mail_sender, sizeof(p.mail_sender), "%s",
		    demo_programs[i].mail_sender);
		if ((rc = db_program_insert(db, &p, &programs[i])) != 0)
			return (rc);
	}
	for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		int admin = strcmp(demo_users[i].role, "administrator") == 0;

		/* The people of the first program first, the others after
		 * its cycles (second), so that ids stay as they were. */
		if (second !=
		    (admin ||
			strcmp(demo_users[i].email,
			    "sports.director@demo.test") == 0))
			continue;
		if ((rc = db_user_insert(db, demo_users[i].email,
			 demo_users[i].name,
			 admin ? "coordinator" : demo_users[i].role, hash,
			 &id)) != 0)
			return (rc);
		if (admin)
			rc = db_user_set_admin(db, id, 1);
		else if (strcmp(demo_users[i].role, "applicant") != 0 &&
		    strcmp(demo_users[i].email, "sports.director@demo.test") !=
			0)
			rc = db_membership_set(
			    db, id, DB_PROGRAM_ID, demo_users[i].role);
		if (rc != 0)
			return (rc);
	}
	if (!second)
		return (0);
	for (i = 0; i < sizeof(demo_roles) / sizeof(demo_roles[0]); i++) {
		if ((rc = db_user_by_email(db, demo_roles[i].email, &u)) != 1)
			return (rc < 0 ? rc : DB_ERROR);
		if ((rc = db_membership_set(db, u.id,
			 programs[demo_roles[i].program],
			 demo_roles[i].role)) != 0)
			return (rc);
	}
	/* The fellowship year after next (program 1's open cycle's). */
	t = (time_t)now;
	(void)gmtime_r(&t, &tm);
	year = tm.tm_year + 1900 + 2;
	for (i = 1; i < sizeof(demo_programs) / sizeof(demo_programs[0]); i++) {
		if ((rc = insert_cycle(db, programs[i], demo_programs[i].cycle,
			 year, "open", open, now, &c)) != 0)
			return (rc);
	}
	return (0);
}

int
demo_seed(
    struct db *db, const char *data_dir, int64_t now, char *err, size_t errlen)
{
	char	hash[PASSWORD_HASH_MAX];
	int64_t programs[sizeof(demo_programs) / sizeof(demo_programs[0])];
	int	rc;

	err[0] = '\0';
	if (password_hash(DEMO_PASSWORD, strlen(DEMO_PASSWORD), hash) != 0) {
		snprintf(err, errlen, "cannot hash the demo password");
		return (-1);
	}
	if ((rc = db_begin(db)) != 0)
		goto out;
	rc = seed_programs(db, hash, now, programs, 0);
	if (rc == 0)
		rc = seed_cycle(db, data_dir, hash, now);
	if (rc == 0)
		rc = seed_programs(db, hash, now, programs, 1);
	if (rc == 0)
		rc = db_audit_append(db, 0, 0, "demo.seed", NULL, NULL);
	if (rc != 0)
		/* The reason, before the rollback replaces it. */
		snprintf(err, errlen,
		    "demo cycle: %s (or its documents could "
		    "not be written to %s/documents)",
		    db_errmsg(db), data_dir);
	rc = ops_finish(db, rc);
out:
	if (rc != 0 && err[0] == '\0')
		snprintf(err, errlen, "demo cycle: %s", db_errmsg(db));
	return (rc != 0 ? -1 : 0);
}

void
demo_print_logins(FILE *out)
{
	size_t i;

	fprintf(out, "Demo accounts (password \"%s\"):\n", DEMO_PASSWORD);
	fprintf(out,
	    "  %-12s applicant01@demo.test ... applicant%02d@demo.test "
	    "(this year's candidates)\n",
	    "applicants", DEMO_APPLICANTS);
	for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++)
		fprintf(out, "  %-13s %s\n", demo_users[i].role,
		    demo_users[i].email);
	fprintf(out,
	    "Programs: %s (directed by director@demo.test), %s (directed by "
	    "sports.director@demo.test, with faculty1, faculty2 and faculty4), "
	    "%s (directed by faculty4, with the coordinator, faculty2 and "
	    "faculty5); admin@demo.test administers the installation.\n",
	    demo_programs[0].name, demo_programs[1].name,
	    demo_programs[2].name);
	fflush(out);
}
