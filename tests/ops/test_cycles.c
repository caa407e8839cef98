/*
 * Tests for src/ops/cycles.c: only the director creates a cycle and
 * changes anything of it, the coordinator the dates only; every value is
 * checked and a refusal names its field; states move one step at a time;
 * deadlines are instants in the cycle's time zone; whether a cycle
 * accepts applications at the fixed clock, either side of its dates; and
 * who sees which cycle.
 */
#include "ops/fixture.h"
#include "ops/review.h"

/* A new cycle's settings: every date, far from the clock. */
static json_t *
settings(const char *name)
{
	return (json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s}", "year", 2027, "name",
	    name, "applications_open", "2026-01-01", "applications_close",
	    "2027-01-15T17:00", "interviews_start", "2027-02-01",
	    "interviews_end", "2027-03-01", "ranklist_due",
	    "2027-03-20T23:59"));
}

/* Creates a cycle from in as actor; the result, the cycle's id in *id. */
static int
create(
    struct fx *f, int64_t actor, json_t *in, int64_t *id, struct ops_error *e)
{
	json_t *out = NULL;
	int	rc;

	memset(e, 0, sizeof(*e));
	rc = ops_cycle_create(f->db, fx_as(f, actor), in, f->now, &out, e);
	if (rc == OPS_OK && id != NULL)
		*id = json_integer_value(
		    json_object_get(json_object_get(out, "cycle"), "id"));
	if (rc != OPS_OK)
		assert_null(out);
	json_decref(out);
	return (rc);
}

/* Changes cycle id with in (a reference this steals) as actor; the
 * cycle's view in *view when view is not NULL and the change is made. */
static int
update(struct fx *f, int64_t actor, int64_t id, json_t *in, json_t **view,
    struct ops_error *e)
{
	json_t *out = NULL;
	int	rc;

	memset(e, 0, sizeof(*e));
	rc = ops_cycle_update(f->db, fx_as(f, actor), id, in, f->now, &out, e);
	json_decref(in);
	if (rc != OPS_OK)
		assert_null(out);
	if (view != NULL)
		*view = rc == OPS_OK
		    ? json_incref(json_object_get(out, "cycle"))
		    : NULL;
	json_decref(out);
	return (rc);
}

/* The cycle id as actor sees it at now (a new reference), or NULL with
 * the result in *rc. */
static json_t *
view_at(struct fx *f, int64_t actor, int64_t id, int64_t now, int *rc)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *c;

	*rc = ops_cycle_view(f->db, fx_as(f, actor), id, now, &out, &e);
	if (*rc != OPS_OK) {
		assert_null(out);
		return (NULL);
	}
	c = json_incref(json_object_get(out, "cycle"));
	json_decref(out);
	return (c);
}

static const char *
str(const json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

static void
test_only_the_director_creates_cycles(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*in = settings("New cycle"), *c;
	int64_t		 id = 0;
	int		 rc;

	assert_int_equal(
	    create(f, f->coordinator, in, NULL, &e), OPS_FORBIDDEN);
	assert_int_equal(create(f, f->faculty[0], in, NULL, &e), OPS_FORBIDDEN);
	assert_int_equal(
	    create(f, f->applicant[0], in, NULL, &e), OPS_FORBIDDEN);
	assert_int_equal(create(f, f->director, in, &id, &e), OPS_OK);
	json_decref(in);
	assert_non_null(c = view_at(f, f->director, id, f->now, &rc));
	/* A new cycle starts in setup, in New York, with two positions;
	 * the dates as typed, completed to minutes. */
	assert_string_equal(str(c, "state"), "setup");
	assert_string_equal(str(c, "timezone"), "America/New_York");
	assert_int_equal(
	    json_integer_value(json_object_get(c, "positions")), 2);
	assert_string_equal(str(c, "applications_open"), "2026-01-01T00:00");
	assert_string_equal(str(c, "ranklist_due"), "2027-03-20T23:59");
	assert_true(
	    json_is_false(json_object_get(c, "accepting_applications")));
	json_decref(c);
}

static void
test_a_new_cycle_needs_a_year_a_name_and_every_date(void **state)
{
	static const char *const needed[] = { "year", "name",
		"applications_open", "applications_close", "interviews_start",
		"interviews_end", "ranklist_due" };
	struct fx		*f = *state;
	struct ops_error	 e;
	json_t			*in;
	size_t			 i;

	for (i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		in = settings("Incomplete");
		json_object_del(in, needed[i]);
		assert_int_equal(
		    create(f, f->director, in, NULL, &e), OPS_INVALID);
		assert_string_equal(e.field, needed[i]);
		json_decref(in);
	}
	in = json_pack("[]");
	assert_int_equal(create(f, f->director, in, NULL, &e), OPS_INVALID);
	json_decref(in);
}

static void
test_cycle_values_are_checked(void **state)
{
	static const struct {
		const char *key;
		const char *json; /* the value, as JSON text */
		int	    ok;
	} cases[] = {
		{ "year", "1999", 0 },
		{ "year", "2000", 1 },
		{ "year", "2100", 1 },
		{ "year", "2101", 0 },
		{ "year", "\"2027\"", 0 },
		{ "name", "\"\"", 0 },
		{ "name", "7", 0 },
		{ "positions", "0", 0 },
		{ "positions", "1", 1 },
		{ "positions", "50", 1 },
		{ "positions", "51", 0 },
		{ "timezone", "\"Mars/Olympus\"", 0 },
		{ "timezone", "\"America/Chicago\"", 1 },
		{ "applications_close", "\"2027-02-30\"", 0 },
		{ "applications_close", "\"tomorrow\"", 0 },
		{ "applications_close", "\"2025-12-31\"", 0 },
		{ "interviews_start", "\"2027-01-15T16:59\"", 0 },
		{ "interviews_start", "\"2027-01-15T17:00\"", 1 },
		{ "state", "\"open\"", 0 },
		{ "state", "\"setup\"", 1 },
		{ "state", "\"paused\"", 0 },
		{ "color", "\"blue\"", 0 },
	};
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*in;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		in = settings("Checked");
		json_object_set_new(in, cases[i].key,
		    json_loads(cases[i].json, JSON_DECODE_ANY, NULL));
		rc = create(f, f->director, in, NULL, &e);
		json_decref(in);
		if (cases[i].ok) {
			assert_int_equal(rc, OPS_OK);
			continue;
		}
		/* Dates out of order name the later one: here, the date
		 * changed. */
		assert_int_equal(rc, OPS_INVALID);
		assert_string_equal(e.field, cases[i].key);
	}
}

static void
test_the_coordinator_changes_the_dates_only(void **state)
{
	static const char *const others[] = { "{\"positions\":3}",
		"{\"name\":\"X\"}", "{\"state\":\"review\"}",
		"{\"timezone\":\"America/Chicago\"}", "{\"year\":2028}" };
	struct fx		*f = *state;
	struct ops_error	 e;
	json_t			*c;
	size_t			 i;

	/* Dates in order: the fixture's rank list is due in 60 days. */
	assert_int_equal(
	    update(f, f->coordinator, f->cycle,
		json_pack("{s:s}", "applications_open", "2026-11-01T08:00"), &c,
		&e),
	    OPS_OK);
	assert_string_equal(str(c, "applications_open"), "2026-11-01T08:00");
	json_decref(c);
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		assert_int_equal(update(f, f->coordinator, f->cycle,
				     json_loads(others[i], 0, NULL), NULL, &e),
		    OPS_FORBIDDEN);
		assert_non_null(e.field);
		assert_non_null(strstr(others[i], e.field));
	}
	/* Nobody but staff changes a cycle; the director changes all. */
	assert_int_equal(
	    update(f, f->faculty[0], f->cycle,
		json_pack("{s:s}", "applications_open", "2026-11-02"), NULL,
		&e),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    update(f, f->applicant[0], f->cycle,
		json_pack("{s:s}", "applications_open", "2026-11-02"), NULL,
		&e),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    update(f, f->director, f->cycle,
		json_pack("{s:i,s:s}", "positions", 3, "name", "Renamed"), &c,
		&e),
	    OPS_OK);
	assert_string_equal(str(c, "name"), "Renamed");
	json_decref(c);
	/* A change that is refused changes nothing. */
	assert_int_equal(
	    update(f, f->director, f->cycle,
		json_pack("{s:s,s:i}", "name", "Again", "positions", 0), NULL,
		&e),
	    OPS_INVALID);
	assert_string_equal(e.field, "positions");
	{
		int rc;

		assert_non_null(
		    c = view_at(f, f->director, f->cycle, f->now, &rc));
		assert_string_equal(str(c, "name"), "Renamed");
		json_decref(c);
	}
}

static void
test_states_move_one_step_at_a_time(void **state)
{
	static const char *const steps[] = { "open", "review", "open", "review",
		"ranking", "ranking" };
	struct fx		*f = *state;
	struct ops_error	 e;
	json_t			*in = settings("Steps"), *c;
	int64_t			 id;
	size_t			 i;

	assert_int_equal(create(f, f->director, in, &id, &e), OPS_OK);
	json_decref(in);
	assert_int_equal(update(f, f->director, id,
			     json_pack("{s:s}", "state", "review"), NULL, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "state");
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		assert_int_equal(
		    update(f, f->director, id,
			json_pack("{s:s}", "state", steps[i]), &c, &e),
		    OPS_OK);
		assert_string_equal(str(c, "state"), steps[i]);
		json_decref(c);
	}
	/* Certifying is the rank list's own procedure. */
	assert_int_equal(
	    update(f, f->director, id, json_pack("{s:s}", "state", "certified"),
		NULL, &e),
	    OPS_INVALID);
}

static void
test_no_such_cycle(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	int		 rc;

	assert_int_equal(update(f, f->director, 999,
			     json_pack("{s:s}", "name", "X"), NULL, &e),
	    OPS_NOT_FOUND);
	assert_int_equal(update(f, f->director, 0,
			     json_pack("{s:s}", "name", "X"), NULL, &e),
	    OPS_NOT_FOUND);
	assert_null(view_at(f, f->director, 999, f->now, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
}

/* The close instant of cycle id, as stored. */
static int64_t
close_at(struct fx *f, int64_t id)
{
	struct db_cycle c;

	assert_int_equal(db_cycle_by_id(f->db, id, &c), 1);
	return (c.close_at);
}

static void
test_deadlines_are_instants_in_the_cycle_time_zone(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*in = settings("Zones");
	int64_t		 id, ny;

	json_object_set_new(
	    in, "applications_close", json_string("2026-07-01T12:00"));
	assert_int_equal(create(f, f->director, in, &id, &e), OPS_OK);
	json_decref(in);
	/* Noon EDT is 16:00 UTC; noon PDT three hours later. */
	assert_int_equal(ny = close_at(f, id), 1782921600);
	assert_int_equal(
	    update(f, f->director, id,
		json_pack("{s:s}", "timezone", "America/Los_Angeles"), NULL,
		&e),
	    OPS_OK);
	assert_int_equal(close_at(f, id) - ny, 3 * FX_HOUR);
}

/* Whether cycle id accepts applications at now, as staff see it. */
static int
accepting(struct fx *f, int64_t id, int64_t now)
{
	json_t *c;
	int	rc, yes;

	assert_non_null(c = view_at(f, f->coordinator, id, now, &rc));
	yes = json_is_true(json_object_get(c, "accepting_applications"));
	json_decref(c);
	return (yes);
}

static void
test_applications_are_accepted_from_open_until_close(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	struct db_cycle	 c;

	/* The fixture's cycle opened 30 days ago and closes in 30 (UTC,
	 * to the minute). */
	assert_int_equal(db_cycle_by_id(f->db, f->cycle, &c), 1);
	assert_true(accepting(f, f->cycle, f->now));
	assert_false(accepting(f, f->cycle, c.open_at - 1));
	assert_true(accepting(f, f->cycle, c.open_at));
	assert_true(accepting(f, f->cycle, c.close_at - 1));
	assert_false(accepting(f, f->cycle, c.close_at));
	/* Only while the cycle is open. */
	assert_int_equal(update(f, f->director, f->cycle,
			     json_pack("{s:s}", "state", "review"), NULL, &e),
	    OPS_OK);
	assert_false(accepting(f, f->cycle, f->now));
}

/* Whether the list of cycles actor sees holds id; 1 or 0. */
static int
listed(struct fx *f, int64_t actor, int64_t id)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *c;
	size_t		 i;
	int		 found = 0;

	assert_int_equal(
	    ops_cycles_view(f->db, fx_as(f, actor), f->now, &out, &e), OPS_OK);
	assert_true(json_array_size(json_object_get(out, "timezones")) > 0);
	json_array_foreach(json_object_get(out, "cycles"), i, c)
	{
		if (json_integer_value(json_object_get(c, "id")) == id)
			found = 1;
	}
	json_decref(out);
	return (found);
}

static void
test_cycles_in_setup_are_seen_by_staff_only(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*in = settings("Hidden"), *c;
	int64_t		 id;
	int		 rc;

	assert_int_equal(create(f, f->director, in, &id, &e), OPS_OK);
	json_decref(in);
	assert_true(listed(f, f->director, id));
	assert_true(listed(f, f->coordinator, id));
	assert_false(listed(f, f->faculty[0], id));
	assert_false(listed(f, f->applicant[0], id));
	assert_true(listed(f, f->applicant[0], f->cycle));
	assert_true(listed(f, f->faculty[0], f->cycle));
	assert_null(view_at(f, f->applicant[0], id, f->now, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	assert_null(view_at(f, f->faculty[0], id, f->now, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	assert_non_null(c = view_at(f, f->coordinator, id, f->now, &rc));
	json_decref(c);
	/* Once open, everyone sees it. */
	assert_int_equal(update(f, f->director, id,
			     json_pack("{s:s}", "state", "open"), NULL, &e),
	    OPS_OK);
	assert_true(listed(f, f->applicant[0], id));
	assert_non_null(c = view_at(f, f->faculty[0], id, f->now, &rc));
	json_decref(c);
}

/* The newest audit record's action and detail. */
struct last_audit {
	char action[64];
	char detail[256];
	int  seen;
};

static int
newest(void *arg, const struct db_audit_row *r)
{
	struct last_audit *l = arg;

	if (l->seen++ == 0) {
		(void)snprintf(l->action, sizeof(l->action), "%s", r->action);
		(void)snprintf(l->detail, sizeof(l->detail), "%s",
		    r->detail != NULL ? r->detail : "");
	}
	return (0);
}

static void
test_changes_are_audited_with_what_changed(void **state)
{
	struct fx	 *f = *state;
	struct ops_error  e;
	struct last_audit l = { "", "", 0 };

	assert_int_equal(
	    update(f, f->coordinator, f->cycle,
		json_pack("{s:s}", "interviews_end", "2027-01-01"), NULL, &e),
	    OPS_INVALID);
	assert_int_equal(update(f, f->director, f->cycle,
			     json_pack("{s:i}", "positions", 4), NULL, &e),
	    OPS_OK);
	assert_int_equal(db_audit_list(f->db, 0, INT64_MAX, 1, newest, &l), 0);
	assert_string_equal(l.action, "cycle.update");
	assert_string_equal(l.detail, "{\"positions\":4}");
}

/* The three review views of cycle as actor: each one's result, in a
 * "rubric phases conflicts" string of result numbers. */
static void
review_views(struct fx *f, int64_t actor, int64_t cycle, char *out, size_t len)
{
	struct ops_error e = { 0 };
	json_t		*v = NULL;
	int		 rc[3];

	rc[0] = ops_rubric_view(
	    f->db, fx_as(f, actor), cycle, PHASE_SCREENING, 0, &v, &e);
	json_decref(v);
	v = NULL;
	rc[1] = ops_phases_view(f->db, fx_as(f, actor), cycle, &v, &e);
	json_decref(v);
	v = NULL;
	rc[2] = ops_conflicts_view(f->db, fx_as(f, actor), cycle, &v, &e);
	json_decref(v);
	(void)snprintf(out, len, "%d %d %d", rc[0], rc[1], rc[2]);
}

static void
test_the_review_views_check_the_cycle(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*in = settings("In setup");
	int64_t		 setup;
	char		 got[32], ok[32], hidden[32], refused[32];

	assert_int_equal(create(f, f->director, in, &setup, &e), OPS_OK);
	json_decref(in);
	(void)snprintf(ok, sizeof(ok), "%d %d %d", OPS_OK, OPS_OK, OPS_OK);
	(void)snprintf(hidden, sizeof(hidden), "%d %d %d", OPS_NOT_FOUND,
	    OPS_NOT_FOUND, OPS_NOT_FOUND);
	(void)snprintf(refused, sizeof(refused), "%d %d %d", OPS_FORBIDDEN,
	    OPS_FORBIDDEN, OPS_FORBIDDEN);
	review_views(f, f->faculty[0], f->cycle, got, sizeof(got));
	assert_string_equal(got, ok);
	review_views(f, f->faculty[0], setup, got, sizeof(got));
	assert_string_equal(got, hidden);
	review_views(f, f->coordinator, setup, got, sizeof(got));
	assert_string_equal(got, ok);
	review_views(f, f->director, setup, got, sizeof(got));
	assert_string_equal(got, ok);
	review_views(f, f->director, 999, got, sizeof(got));
	assert_string_equal(got, hidden);
	/* Applicants see none of the review, open cycle or not. */
	review_views(f, f->applicant[0], f->cycle, got, sizeof(got));
	assert_string_equal(got, refused);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_only_the_director_creates_cycles, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_new_cycle_needs_a_year_a_name_and_every_date,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cycle_values_are_checked, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_coordinator_changes_the_dates_only, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_states_move_one_step_at_a_time, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_such_cycle, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_deadlines_are_instants_in_the_cycle_time_zone,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_applications_are_accepted_from_open_until_close,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cycles_in_setup_are_seen_by_staff_only, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_changes_are_audited_with_what_changed, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_review_views_check_the_cycle, fx_setup,
		    fx_teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
