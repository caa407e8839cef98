/*
 * Tests for src/ops/meeting.c: starting and ending a rank meeting (the
 * director's; one open at a time; the coordinator follows it), its
 * history's counts, and a conflict recorded and removed while it is
 * open: the operation succeeds and the rater's sheet's change is logged
 * at the operation's clock value.
 */
#include "ops/fixture.h"
#include "ops/meeting.h"
#include "ops/review.h"

/* Four scored candidates a[0..3] (two raters each, screening), the cycle
 * in review. */
static void
four(struct fx *f, int64_t a[4])
{
	int i, k;

	for (i = 0; i < 4; i++)
		a[i] = fx_application(f, f->applicant[i], f->cycle, "Cand", 1);
	for (i = 0; i < 4; i++)
		for (k = 0; k < 2; k++)
			fx_score(
			    f, f->faculty[k], a[i], PHASE_SCREENING, 5 - i);
	fx_cycle_state(f, f->cycle, "review");
}

static int
start(struct fx *f, int64_t actor, json_t **out, struct ops_error *e)
{
	memset(e, 0, sizeof(*e));
	return (ops_meeting_start(
	    f->db, fx_as(f, actor), f->cycle, f->now, out, e));
}

static const char *
state_of(const json_t *view)
{
	return (json_string_value(
	    json_object_get(json_object_get(view, "meeting"), "state")));
}

/* The open (or last) meeting's logged changes: a new reference. */
static json_t *
changes(struct fx *f)
{
	struct ops_error e = { 0 };
	json_t		*view = NULL, *c;

	assert_int_equal(ops_meeting_view(f->db, fx_as(f, f->coordinator),
			     f->cycle, &view, &e),
	    OPS_OK);
	c = json_incref(json_object_get(view, "changes"));
	json_decref(view);
	return (c);
}

/* The history's one meeting's count named key. */
static json_int_t
history_count(struct fx *f, const char *key)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *list;
	json_int_t	 n;

	assert_int_equal(
	    ops_meetings_list(f->db, fx_as(f, f->director), f->cycle, &out, &e),
	    OPS_OK);
	list = json_object_get(out, "meetings");
	assert_int_equal(json_array_size(list), 1);
	n = json_integer_value(json_object_get(json_array_get(list, 0), key));
	json_decref(out);
	return (n);
}

static void
test_the_director_starts_and_ends_one_meeting_at_a_time(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*out = NULL;
	int64_t		 a[4];

	four(f, a);
	/* Only the director runs it; faculty do not even see it. */
	assert_int_equal(start(f, f->coordinator, &out, &e), OPS_FORBIDDEN);
	assert_null(out);
	assert_int_equal(ops_meeting_view(f->db, fx_as(f, f->faculty[0]),
			     f->cycle, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(ops_meeting_start(f->db, fx_as(f, f->director), 999999,
			     f->now, &out, &e),
	    OPS_NOT_FOUND);

	assert_int_equal(start(f, f->director, &out, &e), OPS_OK);
	assert_string_equal(state_of(out), "open");
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(out, "meeting"), "started_at")),
	    f->now);
	assert_int_equal(
	    json_integer_value(json_object_get(out, "positions")), 2);
	assert_true(json_array_size(json_object_get(out, "agenda")) > 0);
	json_decref(out);
	/* One open at a time. */
	assert_int_equal(start(f, f->director, &out, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "open already"));
	assert_null(out);

	/* Ended by the director alone, once. */
	fx_set_now(f, f->now + FX_HOUR);
	assert_int_equal(ops_meeting_end(f->db, fx_as(f, f->coordinator),
			     f->cycle, f->now, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(ops_meeting_end(f->db, fx_as(f, f->director), f->cycle,
			     f->now, &out, &e),
	    OPS_OK);
	assert_string_equal(state_of(out), "ended");
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(out, "meeting"), "ended_at")),
	    f->now);
	json_decref(out);
	assert_int_equal(ops_meeting_end(f->db, fx_as(f, f->director), f->cycle,
			     f->now, &out, &e),
	    OPS_CONFLICT);
	assert_int_equal(history_count(f, "changes"), 0);
	assert_int_equal(history_count(f, "discussed"), 0);
}

static void
test_a_conflict_during_the_meeting_is_recorded_and_logged(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL, *log, *c;
	int64_t		 a[4], conflict, at = FX_NOW + 100;

	four(f, a);
	assert_int_equal(start(f, f->director, &out, &e), OPS_OK);
	json_decref(out);
	/* At the operation's clock value, not the database's. */
	assert_int_equal(
	    ops_conflict_declare(f->db, fx_as(f, f->coordinator), a[0],
		f->faculty[0], NULL, "Former resident.", at, &out, NULL, &e),
	    OPS_OK);
	conflict = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	assert_true(conflict > 0);
	log = changes(f);
	assert_int_equal(json_array_size(log), 1);
	c = json_array_get(log, 0);
	assert_string_equal(
	    json_string_value(json_object_get(c, "kind")), "conflict");
	assert_int_equal(json_integer_value(json_object_get(c, "at")), at);
	assert_int_equal(
	    json_integer_value(json_object_get(c, "application_id")), a[0]);
	assert_int_equal(
	    json_integer_value(json_object_get(c, "rater_id")), f->faculty[0]);
	assert_true(json_is_true(
	    json_object_get(json_object_get(c, "before"), "counts")));
	assert_true(json_is_false(
	    json_object_get(json_object_get(c, "after"), "counts")));
	json_decref(log);

	assert_int_equal(ops_conflict_remove(f->db, fx_as(f, f->coordinator),
			     conflict, at + 100, &e),
	    OPS_OK);
	log = changes(f);
	assert_int_equal(json_array_size(log), 2);
	c = json_array_get(log, 1);
	assert_string_equal(
	    json_string_value(json_object_get(c, "kind")), "conflict_removed");
	assert_int_equal(
	    json_integer_value(json_object_get(c, "at")), at + 100);
	assert_true(json_is_true(
	    json_object_get(json_object_get(c, "after"), "counts")));
	json_decref(log);
	assert_int_equal(history_count(f, "changes"), 2);

	/* After the end, a conflict is recorded and nothing more logged. */
	assert_int_equal(ops_meeting_end(f->db, fx_as(f, f->director), f->cycle,
			     f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(
	    ops_conflict_declare(f->db, fx_as(f, f->coordinator), a[1],
		f->faculty[1], NULL, "Co-author.", f->now, &out, NULL, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(history_count(f, "changes"), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_the_director_starts_and_ends_one_meeting_at_a_time,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_conflict_during_the_meeting_is_recorded_and_logged,
		    fx_setup, fx_teardown),
	};

	return (cmocka_run_group_tests_name("ops/meeting", tests, NULL, NULL));
}
