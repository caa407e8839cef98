/*
 * The demo data: accounts for every role and an open application cycle
 * with about 80 applicants in various states. One hash serves every
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

/* Writes the local date-time days away from now (in UTC wall time). */
static void
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

/* The open cycle and its applicants; inside the caller's transaction. */
static int
seed_cycle(struct db *db, const char *hash, int64_t now)
{
	static const int  offsets[CYCLE_DATE__MAX] = { -30, 45, 60, 90, 110 };
	static const int  hours[CYCLE_DATE__MAX] = { 9, 17, 8, 17, 23 };
	struct db_cycle	  c = { 0 };
	struct local_time lt;
	json_t		 *f;
	char		  email[64], name[128], *text;
	int64_t		  uid, aid;
	int		  i, rc = 0, kind;

	c.year = 2027;
	(void)snprintf(
	    c.name, sizeof(c.name), "Musculoskeletal Oncology Fellowship 2027");
	c.positions = 2;
	(void)snprintf(c.timezone, sizeof(c.timezone), "America/New_York");
	(void)snprintf(c.state, sizeof(c.state), "open");
	for (i = 0; i < CYCLE_DATE__MAX; i++)
		demo_date(
		    now, offsets[i], hours[i], c.dates[i], sizeof(c.dates[i]));
	(void)dates_parse(c.dates[0], 0, &lt);
	(void)dates_to_instant(&lt, c.timezone, &c.open_at);
	(void)dates_parse(c.dates[1], 0, &lt);
	(void)dates_to_instant(&lt, c.timezone, &c.close_at);
	(void)dates_parse(c.dates[4], 0, &lt);
	(void)dates_to_instant(&lt, c.timezone, &c.ranklist_due_at);
	if ((rc = db_cycle_insert(db, &c, &c.id)) != 0)
		return (rc);
	/* The cycle starts in setup in the schema's eyes; open it. */
	if ((rc = db_cycle_update(db, &c)) != 0)
		return (rc);

	srand(2027);
	for (i = 0; i < DEMO_APPLICANTS && rc == 0; i++) {
		const char *fn = first_names[i % 26];
		const char *ln = last_names[(i * 7 + 3) % 26];

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
		if (rc == 0 && kind == 0)
			rc = db_application_set_status(db, aid, "submitted", 1);
		if (rc == 0 && kind == 3)
			rc = db_application_set_status(db, aid, "withdrawn", 0);
	}
	return (rc);
}

int
demo_seed(struct db *db, char *err, size_t errlen)
{
	char		 hash[PASSWORD_HASH_MAX];
	struct ops_error e = { 0 };
	size_t		 i;
	int64_t		 id;

	if (password_hash(DEMO_PASSWORD, strlen(DEMO_PASSWORD), hash) != 0) {
		snprintf(err, errlen, "cannot hash the demo password");
		return (-1);
	}
	for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		if (ops_user_add_hashed(db, demo_users[i].email,
			demo_users[i].name, demo_users[i].role, hash, 0, &id,
			&e) != 0) {
			snprintf(err, errlen, "%s: %s", demo_users[i].email,
			    e.message[0] ? e.message : db_errmsg(db));
			return (-1);
		}
	}
	if (db_begin(db) != 0 ||
	    seed_cycle(db, hash, (int64_t)time(NULL)) != 0 ||
	    db_audit_append(db, 0, "demo.seed", NULL, NULL) != 0 ||
	    db_commit(db) != 0) {
		snprintf(err, errlen, "demo cycle: %s", db_errmsg(db));
		db_rollback(db);
		return (-1);
	}
	return (0);
}

void
demo_print_logins(FILE *out)
{
	size_t i;

	fprintf(out, "Demo accounts (password \"%s\"):\n", DEMO_PASSWORD);
	fprintf(out,
	    "  %-12s applicant01@demo.test ... applicant%02d@demo.test "
	    "(an open cycle's applicants)\n",
	    "applicants", DEMO_APPLICANTS);
	for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++)
		fprintf(out, "  %-12s %s\n", demo_users[i].role,
		    demo_users[i].email);
	fflush(out);
}
