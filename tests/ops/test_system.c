/*
 * Tests for src/ops/system.c: the audit log and the outbox a page at a
 * time, newest first, for the staff only; the audit log in words, with
 * names (core/auditlog.c); mail bodies shown only where mail is held and
 * the data is the demo's, with the installation's address; the health
 * check.
 */
#include "ops/fixture.h"

#include "ops/system.h"
#include "store/db.h"

typedef int (*list_fn)(struct fx *, struct ops_actor, int64_t, int64_t,
    json_t **, struct ops_error *);

static int
audit_page(struct fx *f, struct ops_actor a, int64_t before, int64_t limit,
    json_t **out, struct ops_error *e)
{
	return (ops_audit_list(f->db, a, before, limit, out, e));
}

static int
outbox_page(struct fx *f, struct ops_actor a, int64_t before, int64_t limit,
    json_t **out, struct ops_error *e)
{
	return (ops_outbox_list(f->db, &f->set, a, before, limit, out, e));
}

/* Some mail: a reset link for each faculty member. */
static void
queue_mail(struct fx *f)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	char		 email[64];
	int		 i;

	for (i = 0; i < FX_FACULTY; i++) {
		(void)snprintf(
		    email, sizeof(email), "faculty%d@example.org", i + 1);
		assert_int_equal(ops_forgot(f->db, &f->set, email, "192.0.2.7",
				     f->now, &out, &e),
		    OPS_OK);
		json_decref(out);
	}
}

/*
 * Reads every page of size limit of list as actor; checks the ids fall,
 * each full page names its last id as next_before and the last page
 * null. Returns how many rows there were.
 */
static int64_t
read_pages(struct fx *f, list_fn list, const char *name, int64_t limit)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *rows, *row;
	int64_t		 before = INT64_MAX, last = INT64_MAX, n = 0, id;
	size_t		 i;

	do {
		assert_int_equal(
		    list(f, fx_as(f, f->director), before, limit, &out, &e),
		    OPS_OK);
		rows = json_object_get(out, name);
		assert_true(json_is_array(rows));
		json_array_foreach(rows, i, row)
		{
			id = json_integer_value(json_object_get(row, "id"));
			assert_true(id < last);
			last = id;
			n++;
		}
		if ((int64_t)json_array_size(rows) == limit) {
			before = json_integer_value(
			    json_object_get(out, "next_before"));
			assert_int_equal(before, last);
		} else {
			assert_true(
			    json_is_null(json_object_get(out, "next_before")));
			before = 0;
		}
		json_decref(out);
	} while (before != 0);
	return (n);
}

static void
test_the_audit_log_pages_newest_first(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL, *first;
	int64_t		 all;

	all = read_pages(f, audit_page, "entries", OPS_LOG_PAGE_MAX);
	assert_true(all > 3);
	assert_int_equal(read_pages(f, audit_page, "entries", 2), all);
	assert_int_equal(read_pages(f, audit_page, "entries", 1), all);
	/* The newest record: the cycle the director moved to open. */
	assert_int_equal(ops_audit_list(f->db, fx_as(f, f->coordinator),
			     INT64_MAX, 1, &out, &e),
	    OPS_OK);
	first = json_array_get(json_object_get(out, "entries"), 0);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(first, "actor"), "id")),
	    f->director);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(first, "actor"), "name")),
	    "Dr. Director");
	assert_non_null(json_object_get(first, "detail"));
	json_decref(out);
}

static void
test_records_of_the_operator_have_no_actor(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL, *row;
	size_t		 i;
	int		 seen = 0;

	/* The fixture's accounts were made as the operator (actor 0). */
	assert_int_equal(ops_audit_list(f->db, fx_as(f, f->director), INT64_MAX,
			     OPS_LOG_PAGE_MAX, &out, &e),
	    OPS_OK);
	json_array_foreach(json_object_get(out, "entries"), i, row)
	{
		if (strcmp(json_string_value(json_object_get(row, "action")),
			"user.create") != 0)
			continue;
		assert_true(json_is_null(json_object_get(row, "actor")));
		assert_non_null(json_string_value(
		    json_object_get(json_object_get(row, "detail"), "role")));
		seen++;
	}
	/* The staff's: an applicant's account is the installation's. */
	assert_int_equal(seen, 2 + FX_FACULTY);
	json_decref(out);
}

/* The newest record of action on the first page, as the coordinator
 * reads it (borrowed from page, which the caller releases). */
static json_t *
record(json_t *page, const char *action)
{
	json_t *row;
	size_t	i;

	json_array_foreach(json_object_get(page, "entries"), i, row)
	{
		if (strcmp(json_string_value(json_object_get(row, "action")),
			action) == 0)
			return (row);
	}
	fail_msg("no %s record", action);
	return (NULL);
}

static json_t *
audit_now(struct fx *f)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	assert_int_equal(ops_audit_list(f->db, fx_as(f, f->coordinator),
			     INT64_MAX, OPS_LOG_PAGE_MAX, &out, &e),
	    OPS_OK);
	return (out);
}

static const char *
text_of(json_t *row)
{
	return (json_string_value(json_object_get(row, "text")));
}

/* The text of the line labelled label, or NULL. Every line is words:
 * a label and a text, never a JSON value written out. */
static const char *
line(json_t *row, const char *label)
{
	json_t	   *l;
	const char *found = NULL, *t;
	size_t	    i;

	json_array_foreach(json_object_get(row, "lines"), i, l)
	{
		t = json_string_value(json_object_get(l, "text"));
		assert_non_null(t);
		assert_non_null(json_string_value(json_object_get(l, "label")));
		assert_null(strstr(t, "[object"));
		assert_null(strchr(t, '{'));
		if (strcmp(json_string_value(json_object_get(l, "label")),
			label) == 0)
			found = t;
	}
	return (found);
}

static void
test_the_audit_log_says_who_did_what_to_whom_in_words(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*page, *row, *values, *out = NULL;
	int64_t		 app;

	app = fx_application(f, f->applicant[0], f->cycle, "Dvořák", 1);
	fx_cycle_state(f, f->cycle, "review");
	fx_score(f, f->faculty[0], app, PHASE_SCREENING, 4);
	page = audit_now(f);

	/* The sheet: the rater's name, the phase, the candidate's name
	 * from the application, and each score as criterion: value. */
	row = record(page, "score.submit");
	assert_string_equal(text_of(row),
	    "Dr. Rater 1 submitted the screening sheet for Ada Dvořák");
	assert_string_equal(line(row, "Clinical preparation"), "4");
	assert_string_equal(line(row, "Research and scholarship"), "4");
	assert_null(line(row, "Phase"));
	assert_string_equal(
	    json_string_value(json_object_get(row, "object_name")),
	    "Ada Dvořák");
	assert_string_equal(
	    json_string_value(json_object_get(row, "timezone")), "UTC");
	/* The raw record stays beside its words. */
	assert_string_equal(
	    json_string_value(json_object_get(row, "action")), "score.submit");
	assert_true(json_is_object(
	    json_object_get(json_object_get(row, "detail"), "values")));

	row = record(page, "assignment.set");
	assert_string_equal(text_of(row),
	    "Casey Coordinator changed the reviewer assignments of Test "
	    "Fellowship 2027");
	assert_string_equal(
	    line(row, "Assigned"), "Dr. Rater 1 → Ada Dvořák (screening)");

	/* The applicant's own application is "their". */
	row = record(page, "application.submit");
	assert_string_equal(text_of(row),
	    "Applicant 1 submitted their application to Test Fellowship 2027");
	row = record(page, "application.save");
	assert_string_equal(
	    text_of(row), "Applicant 1 saved their application");
	assert_string_equal(line(row, "Last name"), "Dvořák");
	assert_string_equal(line(row, "Peer-reviewed publications"), "3");
	row = record(page, "document.upload");
	assert_string_equal(
	    text_of(row), "Applicant 1 uploaded their personal statement");

	/* A cycle's change names the cycle; its deadlines are left for the
	 * page to write as dates. */
	row = record(page, "cycle.update");
	assert_string_equal(text_of(row),
	    "Dr. Director changed the cycle Test Fellowship 2027");
	assert_string_equal(line(row, "State"), "review");
	json_decref(page);

	/* A change to a submitted sheet: criterion: old → new. */
	values = json_pack("{s:i,s:i,s:i,s:i,s:i}", "clinical", 2, "research",
	    4, "letters", 4, "commitment", 4, "communication", 4);
	assert_int_equal(
	    ops_sheet_save(f->db, fx_as(f, f->faculty[0]), app, PHASE_SCREENING,
		values, "Fewer cases than said.", 1, 0, f->now, &out, &e),
	    OPS_OK);
	json_decref(values);
	json_decref(out);
	fx_invite(f, app);
	page = audit_now(f);
	row = record(page, "score.change");
	assert_string_equal(text_of(row),
	    "Dr. Rater 1 changed the submitted screening sheet for Ada "
	    "Dvořák");
	assert_string_equal(line(row, "Clinical preparation"), "4 → 2");
	assert_string_equal(line(row, "Comment"), "changed");
	row = record(page, "interview.invite");
	assert_string_equal(text_of(row),
	    "Casey Coordinator invited Ada Dvořák to interview in Test "
	    "Fellowship 2027");

	/* Records of the operator, of a role change and of sign-ins. */
	row = record(page, "user.create");
	assert_string_equal(text_of(row),
	    "The system created the account of Dr. Rater 3 (faculty)");
	json_decref(page);
}

static void
test_an_action_without_a_sentence_still_reads_as_words(void **state)
{
	struct fx *f = *state;
	json_t	  *page, *row;
	char	   object[32];

	(void)snprintf(
	    object, sizeof(object), "cycle:%lld", (long long)f->cycle);
	assert_int_equal(
	    db_audit_append(f->db, f->director, 1, "thing.new", object,
		"{\"note\":\"x\",\"set\":{\"a_b\":[1,2]},"
		"\"deep\":[{\"y\":1}]}"),
	    0);
	page = audit_now(f);
	row = record(page, "thing.new");
	assert_string_equal(
	    text_of(row), "Dr. Director: thing.new (Test Fellowship 2027)");
	assert_string_equal(line(row, "Note"), "x");
	assert_string_equal(line(row, "A b"), "1, 2");
	assert_string_equal(line(row, "Deep"), "1 entry");
	json_decref(page);
}

static void
test_only_staff_read_the_records_and_pages_are_bounded(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	list_fn		 lists[] = { audit_page, outbox_page };
	size_t		 i;

	for (i = 0; i < 2; i++) {
		assert_int_equal(lists[i](f, fx_as(f, f->faculty[0]), INT64_MAX,
				     10, &out, &e),
		    OPS_FORBIDDEN);
		assert_int_equal(lists[i](f, fx_as(f, f->applicant[0]),
				     INT64_MAX, 10, &out, &e),
		    OPS_FORBIDDEN);
		assert_int_equal(
		    lists[i](f, fx_as(f, f->director), INT64_MAX, 0, &out, &e),
		    OPS_INVALID);
		assert_int_equal(lists[i](f, fx_as(f, f->director), INT64_MAX,
				     OPS_LOG_PAGE_MAX + 1, &out, &e),
		    OPS_INVALID);
		assert_int_equal(
		    lists[i](f, fx_as(f, f->director), -1, 10, &out, &e),
		    OPS_INVALID);
		assert_null(out);
		assert_int_equal(lists[i](f, fx_as(f, f->coordinator),
				     INT64_MAX, OPS_LOG_PAGE_MAX, &out, &e),
		    OPS_OK);
		json_decref(out);
		out = NULL;
	}
}

static void
test_the_outbox_pages_newest_first(void **state)
{
	struct fx *f = *state;

	queue_mail(f);
	assert_int_equal(
	    read_pages(f, outbox_page, "messages", OPS_LOG_PAGE_MAX),
	    FX_FACULTY);
	assert_int_equal(read_pages(f, outbox_page, "messages", 2), FX_FACULTY);
	assert_int_equal(read_pages(f, outbox_page, "messages", 1), FX_FACULTY);
}

/* The first message of the outbox as the director sees it, with held
 * and bodies into the pointers. */
static json_t *
first_message(struct fx *f, int *held, int *bodies)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *m;

	assert_int_equal(ops_outbox_list(f->db, &f->set, fx_as(f, f->director),
			     INT64_MAX, 10, &out, &e),
	    OPS_OK);
	*held = json_is_true(json_object_get(out, "held"));
	*bodies = json_is_true(json_object_get(out, "bodies"));
	/* The address whose links the page may follow. */
	assert_string_equal(
	    json_string_value(json_object_get(out, "public_url")),
	    f->set.public_url);
	m = json_incref(json_array_get(json_object_get(out, "messages"), 0));
	json_decref(out);
	assert_non_null(m);
	return (m);
}

static void
test_mail_bodies_show_only_when_held_with_demo_data(void **state)
{
	struct fx *f = *state;
	json_t	  *m;
	int	   held, bodies;

	queue_mail(f);
	/* Held, real data: the links are for their recipients alone. */
	f->set.demo = 0;
	m = first_message(f, &held, &bodies);
	assert_true(held);
	assert_false(bodies);
	assert_null(json_object_get(m, "body"));
	assert_string_equal(
	    json_string_value(json_object_get(m, "status")), "pending");
	assert_true(json_is_null(json_object_get(m, "sent_at")));
	assert_non_null(json_string_value(json_object_get(m, "created_at")));
	json_decref(m);
	/* Sent for real, demo data: still not. */
	(void)snprintf(
	    f->set.sendmail, sizeof(f->set.sendmail), "/usr/sbin/sendmail");
	f->set.demo = 1;
	m = first_message(f, &held, &bodies);
	assert_false(held);
	assert_false(bodies);
	assert_null(json_object_get(m, "body"));
	json_decref(m);
	/* The development configuration: held, demo data. */
	(void)snprintf(f->set.sendmail, sizeof(f->set.sendmail), "none");
	m = first_message(f, &held, &bodies);
	assert_true(held);
	assert_true(bodies);
	assert_non_null(strstr(json_string_value(json_object_get(m, "body")),
	    "https://fellowship.example.org/#/reset/"));
	/* No calendar with this one; one with a calendar shows it. */
	assert_true(json_is_null(json_object_get(m, "calendar")));
	json_decref(m);
	assert_int_equal(
	    db_outbox_insert_calendar(f->db, DB_PROGRAM_ID, "ada@example.org",
		"Interview booked", "Booked.\n",
		"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", f->now, NULL),
	    0);
	m = first_message(f, &held, &bodies);
	assert_string_equal(json_string_value(json_object_get(m, "calendar")),
	    "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
	json_decref(m);
	/* Not where bodies are not shown. */
	f->set.demo = 0;
	m = first_message(f, &held, &bodies);
	assert_null(json_object_get(m, "calendar"));
	json_decref(m);
}

static void
test_health_answers_ok(void **state)
{
	struct fx *f = *state;
	json_t	  *out = NULL;

	assert_int_equal(ops_health(f->db, &out), OPS_OK);
	assert_string_equal(
	    json_string_value(json_object_get(out, "status")), "ok");
	json_decref(out);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_the_audit_log_pages_newest_first),
		T(test_records_of_the_operator_have_no_actor),
		T(test_the_audit_log_says_who_did_what_to_whom_in_words),
		T(test_an_action_without_a_sentence_still_reads_as_words),
		T(test_only_staff_read_the_records_and_pages_are_bounded),
		T(test_the_outbox_pages_newest_first),
		T(test_mail_bodies_show_only_when_held_with_demo_data),
		T(test_health_answers_ok),
	};

	return (cmocka_run_group_tests_name("ops/system", tests, NULL, NULL));
}
