/*
 * Tests for src/ops/home.c: each role's home view on the fixed clock.
 * Faculty: their pending sheets per phase, open phases first, ordered by
 * deadline with the overdue first, done out of total and "start next";
 * never a candidate they have a conflict with. Applicants: their own
 * application, letters and interview, nothing of anyone else's. The
 * coordinator: the applications counted, the candidates invited and not
 * booked, the raters behind, the deadlines and the failed mail. The
 * director: readiness for ranking and certification.
 */
#include "ops/fixture.h"

#include "ops/home.h"
#include "ops/letters.h"
#include "ops/ranking.h"

/* 2027-01-20T09:00Z, the fixture's cycle being in UTC. */
#define DAY1_9H ((int64_t)1800435600)

/* The home view of user (which must build). */
static json_t *
home(struct fx *f, int64_t user)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	if (ops_home_view(f->db, fx_as(f, user), f->now, &out, &e) != OPS_OK)
		fail_msg("ops_home_view: %s", e.message);
	assert_non_null(out);
	return (out);
}

/* The whole view as text, to look for what must not be in it. */
static int
mentions(const json_t *view, const char *text)
{
	char *dump = json_dumps(view, JSON_COMPACT | JSON_ENSURE_ASCII);
	int   found;

	assert_non_null(dump);
	found = strstr(dump, text) != NULL;
	free(dump);
	return (found);
}

/* Sets the scoring deadline of a phase of cycle days from the clock (in
 * UTC, the fixture's zone); as the coordinator. */
static void
set_due(struct fx *f, int64_t cycle, enum phase p, int64_t days)
{
	struct ops_error e = { 0 };
	json_t		*in, *out = NULL;
	char		 d[17];

	fx_date(f->now, days, d);
	in = json_pack("{s:s}", "scoring_due", d);
	assert_int_equal(ops_phase_update(f->db, fx_as(f, f->coordinator),
			     cycle, p, in, f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
}

/* The director closes scoring of a phase. */
static void
close_phase(struct fx *f, int64_t cycle, enum phase p)
{
	struct ops_error e = { 0 };
	json_t		*in = json_pack("{s:b}", "closed", 1), *out = NULL;

	assert_int_equal(ops_phase_update(f->db, fx_as(f, f->director), cycle,
			     p, in, f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
}

/* fx_assign() and fx_score() in another cycle than the fixture's. */
static void
assign_in(struct fx *f, int64_t cycle, int64_t rater, int64_t app, enum phase p)
{
	int64_t keep = f->cycle;

	f->cycle = cycle;
	fx_assign(f, rater, app, p);
	f->cycle = keep;
}

/* rater saves a draft sheet of app with one criterion scored. */
static void
draft(struct fx *f, int64_t rater, int64_t app, enum phase p)
{
	struct ops_error e = { 0 };
	json_t		*values, *out = NULL;

	values =
	    json_pack("{s:i}", p == PHASE_SCREENING ? "clinical" : "fit", 3);
	assert_int_equal(ops_sheet_save(f->db, fx_as(f, rater), app, p, values,
			     NULL, 0, 0, f->now, &out, &e),
	    OPS_OK);
	json_decref(values);
	json_decref(out);
}

static const json_t *
path(const json_t *v, const char *a, const char *b)
{
	v = json_object_get(v, a);
	return (b != NULL ? json_object_get(v, b) : v);
}

static int64_t
num(const json_t *v, const char *key)
{
	const json_t *x = json_object_get(v, key);

	assert_true(json_is_integer(x));
	return (json_integer_value(x));
}

static const char *
str(const json_t *v, const char *key)
{
	const json_t *x = json_object_get(v, key);

	assert_true(json_is_string(x));
	return (json_string_value(x));
}

/* The cycle part of a staff or applicant view for cycle id. */
static const json_t *
cycle_part(const json_t *view, int64_t id)
{
	const json_t *c;
	size_t	      i;

	json_array_foreach(json_object_get(view, "cycles"), i, c)
	{
		if (num(json_object_get(c, "cycle"), "id") == id)
			return (c);
	}
	return (NULL);
}

static void
test_faculty_sheets_overdue_first_then_by_deadline(void **state)
{
	struct fx    *f = *state;
	const json_t *phases, *p, *next;
	json_t	     *v;
	int64_t	      a0, a1, a2, a3, c2, r = f->faculty[0];

	/* This cycle: three screening candidates (one submitted, one in
	 * draft, one not started), one interview candidate. */
	a0 = fx_application(f, f->applicant[0], f->cycle, "Zeller", 1);
	a1 = fx_application(f, f->applicant[1], f->cycle, "Byron", 1);
	a2 = fx_application(f, f->applicant[2], f->cycle, "Curie", 1);
	/* Another cycle with one candidate. */
	c2 = fx_cycle(f, "Second Fellowship 2027", "open");
	a3 = fx_application(f, f->applicant[3], c2, "Noether", 1);
	fx_cycle_state(f, f->cycle, "review");
	fx_cycle_state(f, c2, "review");
	fx_assign(f, r, a0, PHASE_SCREENING);
	fx_assign(f, r, a1, PHASE_SCREENING);
	fx_score(f, r, a2, PHASE_SCREENING, 4);
	draft(f, r, a1, PHASE_SCREENING);
	fx_invite(f, a0);
	fx_assign(f, r, a0, PHASE_INTERVIEW);
	assign_in(f, c2, r, a3, PHASE_SCREENING);
	/* Screening here in 3 days, interview here overdue by a day,
	 * screening of the other cycle tomorrow. */
	set_due(f, f->cycle, PHASE_SCREENING, 3);
	set_due(f, f->cycle, PHASE_INTERVIEW, -1);
	set_due(f, c2, PHASE_SCREENING, 1);

	v = home(f, r);
	assert_string_equal(str(v, "role"), "faculty");
	assert_int_equal(num(v, "now"), f->now);
	assert_null(json_object_get(v, "cycles"));
	assert_int_equal(num(path(v, "sheets", NULL), "total"), 5);
	assert_int_equal(num(path(v, "sheets", NULL), "done"), 1);
	phases = path(v, "sheets", "phases");
	assert_int_equal(json_array_size(phases), 3);

	/* The overdue interview first. */
	p = json_array_get(phases, 0);
	assert_int_equal(num(p, "cycle_id"), f->cycle);
	assert_string_equal(str(p, "phase"), "interview");
	assert_true(json_is_true(path(p, "deadline", "overdue")));
	assert_int_equal(
	    num(json_object_get(p, "deadline"), "seconds_left"), -FX_DAY);
	assert_int_equal(num(p, "total"), 1);
	assert_int_equal(json_array_size(json_object_get(p, "pending")), 1);

	/* Then tomorrow's, then in three days. */
	p = json_array_get(phases, 1);
	assert_int_equal(num(p, "cycle_id"), c2);
	assert_false(json_is_true(path(p, "deadline", "overdue")));
	assert_int_equal(
	    num(json_object_get(p, "deadline"), "seconds_left"), FX_DAY);
	p = json_array_get(phases, 2);
	assert_int_equal(num(p, "cycle_id"), f->cycle);
	assert_string_equal(str(p, "phase"), "screening");
	assert_int_equal(
	    num(json_object_get(p, "deadline"), "seconds_left"), 3 * FX_DAY);
	assert_int_equal(num(p, "done"), 1);
	assert_int_equal(num(p, "total"), 3);
	assert_int_equal(num(p, "drafts"), 1);
	/* Pending in the order of "My candidates": by name. */
	assert_int_equal(json_array_size(json_object_get(p, "pending")), 2);
	assert_int_equal(num(json_array_get(json_object_get(p, "pending"), 0),
			     "application_id"),
	    a1);
	assert_string_equal(
	    str(json_array_get(json_object_get(p, "pending"), 0), "sheet"),
	    "draft");
	assert_int_equal(num(json_array_get(json_object_get(p, "pending"), 1),
			     "application_id"),
	    a0);

	/* Start next: the overdue interview sheet. */
	next = path(v, "sheets", "next");
	assert_int_equal(num(next, "application_id"), a0);
	assert_string_equal(str(next, "phase"), "interview");
	json_decref(v);

	/* A closed phase goes last and is no longer what comes next. */
	close_phase(f, f->cycle, PHASE_INTERVIEW);
	v = home(f, r);
	phases = path(v, "sheets", "phases");
	assert_int_equal(num(json_array_get(phases, 0), "cycle_id"), c2);
	p = json_array_get(phases, 2);
	assert_string_equal(str(p, "phase"), "interview");
	assert_true(json_is_true(json_object_get(p, "closed")));
	next = path(v, "sheets", "next");
	assert_int_equal(num(next, "application_id"), a3);
	assert_int_equal(num(next, "cycle_id"), c2);
	json_decref(v);

	/* Everything submitted in the open phases: nothing comes next. */
	fx_score(f, r, a0, PHASE_SCREENING, 3);
	fx_score(f, r, a1, PHASE_SCREENING, 3);
	assign_in(f, c2, r, a3, PHASE_SCREENING);
	{
		int64_t keep = f->cycle;

		f->cycle = c2;
		fx_score(f, r, a3, PHASE_SCREENING, 2);
		f->cycle = keep;
	}
	v = home(f, r);
	assert_true(json_is_null(path(v, "sheets", "next")));
	assert_int_equal(num(path(v, "sheets", NULL), "done"), 4);
	json_decref(v);
}

static void
test_faculty_without_candidates_see_an_empty_list(void **state)
{
	struct fx *f = *state;
	json_t	  *v;

	v = home(f, f->faculty[2]);
	assert_int_equal(num(path(v, "sheets", NULL), "total"), 0);
	assert_true(json_is_null(path(v, "sheets", "next")));
	assert_int_equal(json_array_size(path(v, "sheets", "phases")), 0);
	json_decref(v);
}

static void
test_faculty_never_see_a_conflicted_candidate(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*v, *out = NULL;
	int64_t		 a0, a1, a2, r = f->faculty[0];

	a0 = fx_application(f, f->applicant[0], f->cycle, "Visible", 1);
	a1 = fx_application(f, f->applicant[1], f->cycle, "Hiddenname", 1);
	a2 = fx_application(f, f->applicant[2], f->cycle, "Gonename", 1);
	fx_cycle_state(f, f->cycle, "review");
	fx_assign(f, r, a0, PHASE_SCREENING);
	fx_assign(f, r, a1, PHASE_SCREENING);
	fx_assign(f, r, a2, PHASE_SCREENING);
	assert_int_equal(
	    ops_conflict_declare(f->db, fx_as(f, r), a1, 0, "conflict",
		"My resident.", f->now, &out, NULL, &e),
	    OPS_OK);
	json_decref(out);
	/* An assignment that outlived the conflict (written directly, as
	 * no operation would) must not show either. */
	assert_int_equal(db_assignment_insert(f->db, f->cycle, "screening", a1,
			     r, f->coordinator, f->now),
	    1);
	/* A withdrawn candidate is nobody's to score. */
	assert_int_equal(ops_application_withdraw(f->db, &f->set,
			     fx_as(f, f->applicant[2]), a2, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);

	v = home(f, r);
	assert_int_equal(num(path(v, "sheets", NULL), "total"), 1);
	assert_int_equal(num(path(v, "sheets", "next"), "application_id"), a0);
	assert_true(mentions(v, "Visible"));
	assert_false(mentions(v, "Hiddenname"));
	assert_false(mentions(v, "Gonename"));
	json_decref(v);

	/* Nor do the staff count them as sheets the rater owes. */
	v = home(f, f->coordinator);
	{
		const json_t *behind =
		    json_object_get(cycle_part(v, f->cycle), "raters_behind");

		assert_int_equal(json_array_size(behind), 1);
		assert_int_equal(num(json_array_get(behind, 0), "assigned"), 1);
	}
	json_decref(v);
}

/* Applicant k asks writer for a letter of application app. */
static void
ask_letter(
    struct fx *f, int k, int64_t app, const char *writer, const char *email)
{
	struct ops_letter_ask ask = { writer, email, 1 };
	struct ops_error      e = { 0 };
	json_t		     *out = NULL;

	assert_int_equal(
	    ops_letter_request(f->db, &f->set, fx_as(f, f->applicant[k]), app,
		&ask, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
}

/* A day of one slot of two seats, 2027-01-20 09:00 UTC; its slot id. */
static int64_t
interview_slot(struct fx *f)
{
	static const struct ops_slot_spec s[] = { { "09:00", "10:00", 2 } };
	struct ops_iday_input in = { "2027-01-20", "Clinic B", s, 1 };
	struct ops_error      e = { 0 };
	json_t		     *out = NULL;
	int64_t		      id;

	assert_int_equal(
	    ops_interview_day_create(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, &in, f->now, &out, &e),
	    OPS_OK);
	id = json_integer_value(json_object_get(
	    json_array_get(
		json_object_get(json_object_get(out, "day"), "slots"), 0),
	    "id"));
	json_decref(out);
	return (id);
}

static const json_t *
step(const json_t *part, const char *name)
{
	const json_t *s;
	size_t	      i;

	json_array_foreach(json_object_get(part, "timeline"), i, s)
	{
		if (strcmp(str(s, "step"), name) == 0)
			return (s);
	}
	fail_msg("no step %s", name);
	return (NULL);
}

static int
done(const json_t *part, const char *name)
{
	return (json_is_true(json_object_get(step(part, name), "done")));
}

static void
test_applicant_sees_their_own_season_only(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	const json_t	*part, *app, *inv;
	json_t		*v, *out = NULL;
	int64_t		 a0, a1, slot, setup;

	a0 = fx_application(f, f->applicant[0], f->cycle, "Lovelace", 1);
	a1 = fx_application(f, f->applicant[1], f->cycle, "Stranger", 1);
	ask_letter(f, 0, a0, "Dr. Own Writer", "own.writer@example.org");
	ask_letter(f, 1, a1, "Dr. Other Writer", "other.writer@example.org");
	setup = fx_cycle(f, "Not Yet Open 2028", "setup");

	/* Submitted, not invited yet. */
	v = home(f, f->applicant[0]);
	assert_string_equal(str(v, "role"), "applicant");
	assert_int_equal(json_array_size(json_object_get(v, "cycles")), 1);
	assert_null(cycle_part(v, setup));
	part = cycle_part(v, f->cycle);
	app = json_object_get(part, "application");
	assert_int_equal(num(app, "id"), a0);
	assert_string_equal(str(app, "status"), "submitted");
	assert_true(json_is_true(json_object_get(app, "complete")));
	assert_false(json_is_true(json_object_get(app, "editable")));
	assert_true(json_is_true(json_object_get(app, "withdrawable")));
	assert_true(done(part, "started") && done(part, "submitted"));
	assert_false(done(part, "invited"));
	assert_true(json_is_null(json_object_get(part, "invitation")));
	assert_int_equal(json_array_size(json_object_get(part, "letters")), 1);
	assert_string_equal(
	    str(json_array_get(json_object_get(part, "letters"), 0), "status"),
	    "requested");
	assert_true(
	    json_is_true(path(part, "cycle", "accepting_applications")));
	assert_int_equal(
	    num(path(part, "cycle", "applications_close"), "seconds_left"),
	    30 * FX_DAY);
	json_decref(v);

	/* Invited, then booked: the slot, not yet interviewed. */
	fx_invite(f, a0);
	fx_invite(f, a1);
	slot = interview_slot(f);
	assert_int_equal(ops_interview_book(f->db, &f->set,
			     fx_as(f, f->applicant[0]), slot, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(ops_interview_book(f->db, &f->set,
			     fx_as(f, f->applicant[1]), slot, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	v = home(f, f->applicant[0]);
	part = cycle_part(v, f->cycle);
	inv = json_object_get(part, "invitation");
	assert_string_equal(str(inv, "status"), "booked");
	assert_int_equal(
	    num(json_object_get(inv, "slot"), "starts_at"), DAY1_9H);
	assert_true(done(part, "invited") && done(part, "booked"));
	assert_false(done(part, "interviewed"));
	/* Nothing of the other applicant, who shares the slot: not the
	 * name, the letter, its writer, nor the application. */
	assert_false(mentions(v, "Stranger"));
	assert_false(mentions(v, "Other Writer"));
	assert_false(mentions(v, "other.writer"));
	assert_false(mentions(v, "applicant2@"));
	assert_false(mentions(v, "Not Yet Open"));
	{
		char id[32];

		(void)snprintf(id, sizeof(id), "\"id\":%lld", (long long)a1);
		assert_false(mentions(v, id));
		(void)snprintf(
		    id, sizeof(id), "\"application_id\":%lld", (long long)a1);
		assert_false(mentions(v, id));
	}
	json_decref(v);

	/* Once the slot has begun: interviewed, at its start. */
	fx_set_now(f, DAY1_9H + 60);
	v = home(f, f->applicant[0]);
	part = cycle_part(v, f->cycle);
	assert_true(done(part, "interviewed"));
	assert_int_equal(num(step(part, "interviewed"), "at"), DAY1_9H);
	json_decref(v);
}

static void
test_applicant_without_an_application(void **state)
{
	struct fx    *f = *state;
	const json_t *part;
	json_t	     *v;
	size_t	      i;

	v = home(f, f->applicant[3]);
	part = cycle_part(v, f->cycle);
	assert_non_null(part);
	assert_true(json_is_null(json_object_get(part, "application")));
	assert_true(json_is_null(json_object_get(part, "invitation")));
	assert_int_equal(json_array_size(json_object_get(part, "letters")), 0);
	for (i = 0; i < json_array_size(json_object_get(part, "timeline")); i++)
		assert_false(json_is_true(json_object_get(
		    json_array_get(json_object_get(part, "timeline"), i),
		    "done")));
	json_decref(v);

	/* Looking made no draft: the home page changes nothing. */
	{
		struct db_application a = { 0 };

		assert_int_equal(db_application_by_owner(
				     f->db, f->cycle, f->applicant[3], &a),
		    0);
	}
}

static void
test_coordinator_counts_and_lists(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	const json_t	*part, *p, *d, *nb, *behind;
	json_t		*v, *out = NULL;
	int64_t		 a0, a1, a3, slot, mail;

	a0 = fx_application(f, f->applicant[0], f->cycle, "Complete", 1);
	a1 = fx_application(f, f->applicant[1], f->cycle, "Waiting", 1);
	ask_letter(f, 1, a1, "Dr. Slow Writer", "slow@example.org");
	/* A draft with nothing in it. */
	assert_int_equal(ops_application_mine(f->db, fx_as(f, f->applicant[2]),
			     f->cycle, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	a3 = fx_application(f, f->applicant[3], f->cycle, "Gone", 1);
	assert_int_equal(ops_application_withdraw(f->db, &f->set,
			     fx_as(f, f->applicant[3]), a3, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	fx_cycle_state(f, f->cycle, "review");
	fx_invite(f, a0);
	fx_invite(f, a1);
	slot = interview_slot(f);
	assert_int_equal(ops_interview_book(f->db, &f->set,
			     fx_as(f, f->applicant[0]), slot, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	fx_assign(f, f->faculty[0], a0, PHASE_SCREENING);
	fx_assign(f, f->faculty[0], a1, PHASE_SCREENING);
	draft(f, f->faculty[0], a1, PHASE_SCREENING);
	fx_score(f, f->faculty[1], a0, PHASE_SCREENING, 4);
	set_due(f, f->cycle, PHASE_SCREENING, -2);
	/* Mail: one given up on, one failed once and waiting. */
	assert_int_equal(
	    db_outbox_insert(f->db, DB_PROGRAM_ID, "lost@example.org",
		"Undeliverable", "body", f->now, &mail),
	    0);
	assert_int_equal(db_outbox_retry(f->db, mail, f->now,
			     "sendmail exited 75", "failed"),
	    0);
	assert_int_equal(
	    db_outbox_insert(f->db, DB_PROGRAM_ID, "later@example.org",
		"Try again", "body", f->now, &mail),
	    0);
	assert_int_equal(db_outbox_retry(f->db, mail, f->now + 60,
			     "temporary failure", "pending"),
	    0);

	/* Another program's mail, given up on: not this program's to
	 * read, even on its home page. */
	{
		struct db_program other = { .positions = 2 };
		int64_t		  pid;

		(void)snprintf(other.name, sizeof(other.name), "Other");
		(void)snprintf(other.timezone, sizeof(other.timezone), "UTC");
		assert_int_equal(db_program_insert(f->db, &other, &pid), 0);
		assert_int_equal(
		    db_outbox_insert(f->db, pid, "elsewhere@example.org",
			"Theirs", "body", f->now, &mail),
		    0);
		assert_int_equal(db_outbox_retry(f->db, mail, f->now,
				     "their sendmail failed", "failed"),
		    0);
	}

	v = home(f, f->coordinator);
	assert_string_equal(str(v, "role"), "coordinator");
	assert_null(json_object_get(v, "sheets"));
	part = cycle_part(v, f->cycle);
	assert_non_null(part);
	assert_null(json_object_get(part, "readiness"));

	p = json_object_get(part, "pipeline");
	assert_int_equal(num(p, "drafts"), 1);
	assert_int_equal(num(p, "drafts_complete"), 0);
	assert_int_equal(num(p, "submitted_complete"), 1);
	assert_int_equal(num(p, "submitted_incomplete"), 1);
	assert_int_equal(num(p, "withdrawn"), 1);
	assert_int_equal(num(p, "letters_outstanding"), 1);
	assert_int_equal(num(p, "awaiting_letters"), 1);

	nb = json_object_get(part, "not_booked");
	assert_int_equal(json_array_size(nb), 1);
	assert_int_equal(num(json_array_get(nb, 0), "application_id"), a1);

	behind = json_object_get(part, "raters_behind");
	assert_int_equal(json_array_size(behind), 1);
	assert_int_equal(
	    num(json_array_get(behind, 0), "rater_id"), f->faculty[0]);
	assert_int_equal(num(json_array_get(behind, 0), "assigned"), 2);
	assert_int_equal(num(json_array_get(behind, 0), "submitted"), 0);
	assert_int_equal(num(json_array_get(behind, 0), "drafts"), 1);
	assert_int_equal(num(json_array_get(behind, 0), "missing"), 2);

	/* Deadlines: the overdue screening first, then the applications'
	 * close (30 days) and the rank list (60); none without a date. */
	d = json_object_get(part, "deadlines");
	assert_int_equal(json_array_size(d), 3);
	assert_string_equal(str(json_array_get(d, 0), "key"), "screening");
	assert_true(
	    json_is_true(json_object_get(json_array_get(d, 0), "overdue")));
	assert_int_equal(
	    num(json_array_get(d, 0), "seconds_left"), -2 * FX_DAY);
	assert_string_equal(
	    str(json_array_get(d, 1), "key"), "applications_close");
	assert_string_equal(str(json_array_get(d, 2), "key"), "ranklist_due");

	assert_int_equal(num(path(v, "mail", NULL), "failed"), 1);
	assert_int_equal(num(path(v, "mail", NULL), "retrying"), 1);
	assert_string_equal(
	    str(json_array_get(path(v, "mail", "recent"), 0), "last_error"),
	    "sendmail exited 75");
	json_decref(v);

	/* Once the screening phase is closed, its passed deadline and its
	 * raters are no longer work to chase. */
	close_phase(f, f->cycle, PHASE_SCREENING);
	v = home(f, f->coordinator);
	part = cycle_part(v, f->cycle);
	assert_int_equal(
	    json_array_size(json_object_get(part, "deadlines")), 2);
	assert_int_equal(
	    json_array_size(json_object_get(part, "raters_behind")), 0);
	json_decref(v);
}

static void
test_director_readiness(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	const json_t	*part, *r, *scr, *iv;
	json_t		*v, *list = NULL, *out = NULL;
	int64_t		 a0, a1;

	a0 = fx_application(f, f->applicant[0], f->cycle, "First", 1);
	a1 = fx_application(f, f->applicant[1], f->cycle, "Second", 1);
	fx_cycle_state(f, f->cycle, "review");

	/* Before review: nothing to be ready for. */
	{
		int64_t open = fx_cycle(f, "Open Fellowship 2028", "open");

		v = home(f, f->director);
		assert_true(json_is_null(
		    json_object_get(cycle_part(v, open), "readiness")));
		/* Where the work is first: the cycle under review. */
		assert_int_equal(
		    num(path(json_array_get(json_object_get(v, "cycles"), 0),
			    "cycle", NULL),
			"id"),
		    f->cycle);
		json_decref(v);
	}

	fx_score(f, f->faculty[0], a0, PHASE_SCREENING, 4);
	fx_score(f, f->faculty[1], a0, PHASE_SCREENING, 3);
	fx_score(f, f->faculty[0], a1, PHASE_SCREENING, 2);
	fx_score(f, f->faculty[1], a1, PHASE_SCREENING, 3);
	fx_assign(f, f->faculty[2], a1, PHASE_SCREENING);
	draft(f, f->faculty[2], a1, PHASE_SCREENING);
	fx_assign(f, f->faculty[2], a0, PHASE_SCREENING);
	fx_invite(f, a0);
	fx_invite(f, a1);
	fx_score(f, f->faculty[0], a0, PHASE_INTERVIEW, 4);

	v = home(f, f->director);
	assert_string_equal(str(v, "role"), "director");
	assert_null(json_object_get(v, "sheets"));
	part = cycle_part(v, f->cycle);
	assert_null(json_object_get(part, "pipeline"));
	r = json_object_get(part, "readiness");
	assert_true(json_is_null(json_object_get(r, "ranking_error")));
	scr = json_array_get(json_object_get(r, "phases"), 0);
	assert_string_equal(str(scr, "phase"), "screening");
	assert_int_equal(num(scr, "assigned"), 6);
	assert_int_equal(num(scr, "submitted"), 4);
	assert_int_equal(num(scr, "drafts"), 1);
	assert_int_equal(num(scr, "missing"), 1);
	assert_int_equal(num(scr, "raters_behind"), 1);
	assert_int_equal(num(scr, "groups"), 1);
	assert_false(json_is_true(json_object_get(scr, "closed")));
	/* On the list: the two invited; the second has no interview
	 * sheet; nobody has booked. */
	assert_int_equal(num(r, "candidates"), 2);
	assert_int_equal(
	    json_array_size(json_object_get(r, "not_interviewed")), 1);
	assert_int_equal(
	    num(json_array_get(json_object_get(r, "not_interviewed"), 0),
		"application_id"),
	    a1);
	assert_int_equal(num(r, "not_booked"), 2);
	assert_true(json_is_null(json_object_get(r, "ranklist")));
	/* Certification as the rank list's gate puts it: scoring open
	 * blocks; the candidate not interviewed is a warning. */
	{
		const json_t *cert = json_object_get(r, "certification");
		const json_t *b0 =
		    json_array_get(json_object_get(cert, "blocking"), 0);
		const json_t *w0 =
		    json_array_get(json_object_get(cert, "warnings"), 0);

		assert_false(json_is_true(json_object_get(cert, "ready")));
		assert_string_equal(str(b0, "code"), "phase_open");
		assert_string_equal(str(w0, "code"), "not_interviewed");
		assert_int_equal(num(w0, "count"), 1);
		assert_string_equal(
		    str(w0, "title"), "Ranked candidates not interviewed");
	}
	json_decref(v);

	/* The second interviewed by another rater alone: interviewed, but
	 * the two raters cannot be compared. */
	fx_score(f, f->faculty[1], a1, PHASE_INTERVIEW, 2);
	assert_int_equal(ops_ranklist_view(f->db, fx_as(f, f->director),
			     f->cycle, 0, &list, &e),
	    OPS_OK);
	{
		const json_t *x;
		json_t	     *ids = json_array();
		size_t	      i;

		/* The list as computed, saved as it stands. */
		json_array_foreach(json_object_get(list, "entries"), i, x)
		    json_array_append_new(ids,
			json_pack("{s:O}", "application_id",
			    json_object_get(x, "application_id")));
		json_decref(list);
		if (ops_ranklist_save(f->db, fx_as(f, f->director), f->cycle,
			ids, -1, f->now, &out, &e) != OPS_OK)
			fail_msg("ops_ranklist_save: %s", e.message);
		json_decref(ids);
	}
	json_decref(out);
	v = home(f, f->director);
	r = json_object_get(cycle_part(v, f->cycle), "readiness");
	iv = json_array_get(json_object_get(r, "phases"), 1);
	assert_string_equal(str(iv, "phase"), "interview");
	assert_int_equal(num(iv, "groups"), 2);
	assert_int_equal(
	    json_array_size(json_object_get(r, "not_interviewed")), 0);
	assert_int_equal(num(json_object_get(r, "ranklist"), "version"), 1);
	assert_string_equal(
	    str(json_object_get(r, "ranklist"), "kind"), "draft");
	json_decref(v);
}

static void
test_director_who_rates_sees_their_sheets(void **state)
{
	struct fx *f = *state;
	json_t	  *v;
	int64_t	   a0;

	a0 = fx_application(f, f->applicant[0], f->cycle, "Rated", 1);
	fx_cycle_state(f, f->cycle, "review");
	fx_assign(f, f->director, a0, PHASE_SCREENING);
	v = home(f, f->director);
	assert_int_equal(num(path(v, "sheets", NULL), "total"), 1);
	assert_int_equal(num(path(v, "sheets", "next"), "application_id"), a0);
	json_decref(v);
}

static void
test_nobody_but_a_signed_in_user(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct ops_actor op = { 0, ROLE_DIRECTOR, 1 };
	json_t		*out = NULL;

	assert_int_equal(
	    ops_home_view(f->db, op, f->now, &out, &e), OPS_FORBIDDEN);
	assert_null(out);
}

static int
setup(void **state)
{
	return (fx_setup(state));
}

static int
teardown(void **state)
{
	return (fx_teardown(state));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_faculty_sheets_overdue_first_then_by_deadline, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_faculty_without_candidates_see_an_empty_list, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_faculty_never_see_a_conflicted_candidate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_applicant_sees_their_own_season_only, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_applicant_without_an_application, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_coordinator_counts_and_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_director_readiness, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_director_who_rates_sees_their_sheets, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_nobody_but_a_signed_in_user, setup, teardown),
	};

	return (cmocka_run_group_tests_name("ops/home", tests, NULL, NULL));
}
