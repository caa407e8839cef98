/*
 * Tests for src/ops/readiness.c and the gate in ops_ranklist_certify():
 * what blocks certification (a phase open for scoring, a stale version)
 * and what the director must acknowledge — ranked candidates not
 * interviewed or with fewer interview sheets than assigned, draft or
 * missing sheets, rater groups that cannot be compared, conflicts
 * declared after scoring — each with its count and the people it
 * concerns, by name; certification refused while anything blocks or a
 * warning is not acknowledged, and the acknowledgements kept with the
 * certified version.
 */
#include "ops/fixture.h"
#include "ops/ranking.h"
#include "ops/system.h"

static const char *const LAST[4] = { "Able", "Baker", "Cole", "Dunn" };

/* A draft interview sheet of rater on app (assigned first). */
static void
draft(struct fx *f, int64_t rater, int64_t app)
{
	struct ops_error e = { 0 };
	json_t *values = json_pack("{s:i}", "reasoning", 3), *out = NULL;

	fx_assign(f, rater, app, PHASE_INTERVIEW);
	assert_int_equal(
	    ops_sheet_save(f->db, fx_as(f, rater), app, PHASE_INTERVIEW, values,
		NULL, 0, 0, f->now, &out, &e),
	    OPS_OK);
	json_decref(values);
	json_decref(out);
}

/*
 * Four candidates a[0..3], each screened by raters 1 and 2; a[0..2]
 * invited (the list's pool). At interview: a[0] by raters 1 and 2 (done);
 * a[1] by rater 1, rater 2's sheet a draft (fewer sheets than assigned);
 * a[2] assigned to rater 3, who has not started (not interviewed).
 */
static void
scenario(struct fx *f, int64_t a[4])
{
	int i, k;

	for (i = 0; i < 4; i++)
		a[i] = fx_application(f, f->applicant[i], f->cycle, LAST[i], 1);
	for (i = 0; i < 4; i++)
		for (k = 0; k < 2; k++)
			fx_score(
			    f, f->faculty[k], a[i], PHASE_SCREENING, 5 - i);
	fx_cycle_state(f, f->cycle, "review");
	for (i = 0; i < 3; i++)
		fx_invite(f, a[i]);
	fx_score(f, f->faculty[0], a[0], PHASE_INTERVIEW, 5);
	fx_score(f, f->faculty[1], a[0], PHASE_INTERVIEW, 4);
	fx_score(f, f->faculty[0], a[1], PHASE_INTERVIEW, 4);
	draft(f, f->faculty[1], a[1]);
	fx_assign(f, f->faculty[2], a[2], PHASE_INTERVIEW);
}

static json_t *
readiness(struct fx *f, int64_t actor, int64_t reviewed)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	assert_int_equal(ops_ranklist_readiness(f->db, fx_as(f, actor),
			     f->cycle, reviewed, &out, &e),
	    OPS_OK);
	return (out);
}

/* The item of list (blocking or warnings) with code, or NULL. */
static json_t *
find(json_t *view, const char *list, const char *code)
{
	json_t *it;
	size_t	i;

	json_array_foreach(json_object_get(view, list), i, it)
	{
		if (strcmp(json_string_value(json_object_get(it, "code")),
			code) == 0)
			return (it);
	}
	return (NULL);
}

static int
count_of(json_t *w)
{
	return ((int)json_integer_value(json_object_get(w, "count")));
}

/* The name and detail of item i of warning w. */
static const char *
item_name(json_t *w, size_t i)
{
	return (json_string_value(json_object_get(
	    json_array_get(json_object_get(w, "items"), i), "name")));
}

static const char *
item_detail(json_t *w, size_t i)
{
	return (json_string_value(json_object_get(
	    json_array_get(json_object_get(w, "items"), i), "detail")));
}

static size_t
versions(struct fx *f)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	size_t		 n;

	assert_int_equal(ops_ranklist_versions(
			     f->db, fx_as(f, f->director), f->cycle, &out, &e),
	    OPS_OK);
	n = json_array_size(json_object_get(out, "versions"));
	json_decref(out);
	return (n);
}

static const char *
cycle_state(struct fx *f)
{
	static char	state[16];
	struct db_cycle c;

	assert_int_equal(db_cycle_by_id(f->db, f->cycle, &c), 1);
	(void)snprintf(state, sizeof(state), "%s", c.state);
	return (state);
}

static int
certify(struct fx *f, int64_t expected, json_t *ack, json_t **out,
    struct ops_error *e)
{
	int rc;

	memset(e, 0, sizeof(*e));
	*out = NULL;
	rc = ops_ranklist_certify(f->db, fx_as(f, f->director), f->cycle,
	    expected, ack, f->now, out, e);
	json_decref(ack);
	return (rc);
}

static void
test_open_phases_block_and_each_warning_names_whom(void **state)
{
	struct fx *f = *state;
	json_t	  *v, *w;
	int64_t	   a[4];

	scenario(f, a);
	v = readiness(f, f->director, -1);
	assert_false(json_is_true(json_object_get(v, "ready")));
	assert_int_equal(json_array_size(json_object_get(v, "blocking")), 2);
	assert_string_equal(json_string_value(json_object_get(
				find(v, "blocking", "phase_open"), "phase")),
	    "screening");
	assert_string_equal(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(v, "blocking"), 1), "phase")),
	    "interview");
	assert_int_equal(json_integer_value(json_object_get(v, "ranked")), 3);

	/* a[2]: invited, its interview rater has not started. */
	w = find(v, "warnings", "not_interviewed");
	assert_non_null(w);
	assert_int_equal(count_of(w), 1);
	assert_string_equal(item_name(w, 0), "Ada Cole");
	assert_non_null(
	    strstr(item_detail(w, 0), "Invited; 1 interview rater"));
	assert_int_equal(json_integer_value(json_object_get(
			     json_array_get(json_object_get(w, "items"), 0),
			     "application_id")),
	    a[2]);
	/* a[1]: one sheet of two. */
	w = find(v, "warnings", "interview_sheets_short");
	assert_int_equal(count_of(w), 1);
	assert_string_equal(item_name(w, 0), "Ada Baker");
	assert_string_equal(
	    item_detail(w, 0), "1 of 2 interview sheets submitted.");
	/* Two sheets open, one per rater, by name. */
	w = find(v, "warnings", "sheets_open");
	assert_int_equal(count_of(w), 2);
	assert_int_equal(json_array_size(json_object_get(w, "items")), 2);
	assert_string_equal(item_name(w, 0), "Dr. Rater 2");
	assert_string_equal(item_detail(w, 0), "Interview: 1 draft.");
	assert_string_equal(item_name(w, 1), "Dr. Rater 3");
	assert_string_equal(item_detail(w, 1), "Interview: 1 not started.");
	assert_non_null(strstr(json_string_value(json_object_get(w, "title")),
	    "Draft or missing"));
	/* Connected designs, no late conflict. */
	assert_null(find(v, "warnings", "groups_apart"));
	assert_null(find(v, "warnings", "late_conflicts"));
	json_decref(v);

	/* Scoring closed: nothing blocks; the warnings stay. */
	fx_close_phase(f, PHASE_SCREENING, 1);
	fx_close_phase(f, PHASE_INTERVIEW, 1);
	v = readiness(f, f->coordinator, 0);
	assert_true(json_is_true(json_object_get(v, "ready")));
	assert_int_equal(json_array_size(json_object_get(v, "blocking")), 0);
	assert_int_equal(json_array_size(json_object_get(v, "warnings")), 3);
	json_decref(v);
	/* A version the viewer saw that is not the current one is stale. */
	v = readiness(f, f->director, 4);
	assert_false(json_is_true(json_object_get(v, "ready")));
	assert_non_null(find(v, "blocking", "stale_version"));
	json_decref(v);
}

/* A candidate marked "do not rank" is not ranked: its warnings go. */
static void
test_warnings_concern_the_ranked_only(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*v, *list, *out = NULL;
	int64_t		 a[4];

	scenario(f, a);
	list = json_pack("[{s:I},{s:I},{s:I,s:b,s:s}]", "application_id",
	    (json_int_t)a[0], "application_id", (json_int_t)a[1],
	    "application_id", (json_int_t)a[2], "do_not_rank", 1, "reason",
	    "Withdrew from the match.");
	assert_int_equal(ops_ranklist_save(f->db, fx_as(f, f->coordinator),
			     f->cycle, list, 0, f->now, &out, &e),
	    OPS_OK);
	json_decref(list);
	json_decref(out);
	v = readiness(f, f->director, 1);
	assert_null(find(v, "warnings", "not_interviewed"));
	assert_null(find(v, "blocking", "stale_version"));
	assert_int_equal(count_of(find(v, "warnings", "sheets_open")), 1);
	assert_string_equal(
	    item_name(find(v, "warnings", "sheets_open"), 0), "Dr. Rater 2");
	assert_int_equal(json_integer_value(json_object_get(v, "ranked")), 2);
	json_decref(v);
}

/* The editor marks who was not interviewed: the list's entries say how
 * many interview sheets count and whether the candidate was invited. */
static void
test_the_list_says_who_was_interviewed(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL, *row;
	size_t		 i;
	int		 sheets[3] = { 2, 1, 0 };

	int64_t a[4];

	scenario(f, a);
	assert_int_equal(ops_ranklist_view(f->db, fx_as(f, f->director),
			     f->cycle, 0, &out, &e),
	    OPS_OK);
	json_array_foreach(json_object_get(out, "entries"), i, row)
	{
		int k = json_integer_value(
			    json_object_get(row, "application_id")) == a[0]
		    ? 0
		    : json_integer_value(
			  json_object_get(row, "application_id")) == a[1]
		    ? 1
		    : 2;

		assert_int_equal(json_integer_value(
				     json_object_get(row, "interview_sheets")),
		    sheets[k]);
		assert_true(json_is_true(json_object_get(row, "invited")));
	}
	assert_int_equal(json_array_size(json_object_get(out, "entries")), 3);
	json_decref(out);
}

/* Raters 1 and 2 screen disjoint halves: two groups, named. */
static void
test_groups_that_cannot_be_compared(void **state)
{
	struct fx *f = *state;
	json_t	  *v, *w;
	int64_t	   a[4];
	int	   i;

	for (i = 0; i < 4; i++)
		a[i] = fx_application(f, f->applicant[i], f->cycle, LAST[i], 1);
	for (i = 0; i < 4; i++)
		fx_score(f, f->faculty[i / 2], a[i], PHASE_SCREENING, 5 - i);
	fx_cycle_state(f, f->cycle, "review");
	v = readiness(f, f->director, -1);
	w = find(v, "warnings", "groups_apart");
	assert_non_null(w);
	assert_int_equal(count_of(w), 2);
	assert_string_equal(item_name(w, 0), "Screening, group 1");
	assert_string_equal(item_detail(w, 0), "Dr. Rater 1; 2 candidates.");
	assert_string_equal(item_name(w, 1), "Screening, group 2");
	assert_string_equal(item_detail(w, 1), "Dr. Rater 2; 2 candidates.");
	/* Nobody invited: every one of them is ranked without interview. */
	w = find(v, "warnings", "not_interviewed");
	assert_int_equal(count_of(w), 4);
	assert_string_equal(item_detail(w, 0), "Not invited to interview.");
	json_decref(v);
}

/* A conflict declared after the rater submitted: named with both. */
static void
test_conflicts_declared_after_scoring(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*v, *w, *out = NULL;
	int64_t		 a[4];

	scenario(f, a);
	/* Rater 3 never scored a[1]: not late. */
	assert_int_equal(ops_conflict_declare(f->db, fx_as(f, f->coordinator),
			     a[1], f->faculty[2], NULL, "Former resident.",
			     f->now, &out, NULL, &e),
	    OPS_OK);
	json_decref(out);
	v = readiness(f, f->director, -1);
	assert_null(find(v, "warnings", "late_conflicts"));
	json_decref(v);
	assert_int_equal(
	    ops_conflict_declare(f->db, fx_as(f, f->coordinator), a[0],
		f->faculty[0], NULL, "Co-author.", f->now, &out, NULL, &e),
	    OPS_OK);
	json_decref(out);
	v = readiness(f, f->director, -1);
	w = find(v, "warnings", "late_conflicts");
	assert_non_null(w);
	assert_int_equal(count_of(w), 1);
	assert_string_equal(item_name(w, 0), "Ada Able — Dr. Rater 1");
	assert_string_equal(item_detail(w, 0),
	    "The screening and interview sheets submitted before the "
	    "conflict no longer count.");
	json_decref(v);
}

static void
test_certify_refuses_until_ready_and_acknowledged(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*out, *all, *ack, *v, *rec;
	int64_t		 a[4];
	size_t		 i;

	scenario(f, a);
	all = json_pack("[s,s,s]", "not_interviewed", "interview_sheets_short",
	    "sheets_open");
	/* Scoring open: refused whatever is acknowledged. */
	assert_int_equal(
	    certify(f, 0, json_incref(all), &out, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "screening phase is still open"));
	assert_non_null(strstr(e.message, "Other items block it too"));
	fx_close_phase(f, PHASE_SCREENING, 1);
	assert_int_equal(
	    certify(f, 0, json_incref(all), &out, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "interview phase is still open"));
	assert_null(strstr(e.message, "Other items"));
	fx_close_phase(f, PHASE_INTERVIEW, 1);
	/* A stale version blocks. */
	assert_int_equal(
	    certify(f, 3, json_incref(all), &out, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "version 0"));
	/* Nothing acknowledged: every warning is named. */
	assert_int_equal(certify(f, 0, NULL, &out, &e), OPS_INVALID);
	assert_string_equal(e.field, "acknowledged");
	for (i = 0; i < 3; i++)
		assert_non_null(strstr(
		    e.message, json_string_value(json_array_get(all, i))));
	/* One of three: the other two are named, not it. */
	assert_int_equal(
	    certify(f, 0, json_pack("[s]", "not_interviewed"), &out, &e),
	    OPS_INVALID);
	assert_null(strstr(e.message, "not_interviewed"));
	assert_non_null(strstr(e.message, "(sheets_open)"));
	assert_non_null(strstr(e.message, "(interview_sheets_short)"));
	/* Malformed acknowledgements. */
	assert_int_equal(
	    certify(f, 0, json_pack("[s,s]", "sheets_open", "everything"), &out,
		&e),
	    OPS_INVALID);
	assert_non_null(strstr(e.message, "Acknowledgement 2"));
	assert_int_equal(
	    certify(f, 0, json_string("sheets_open"), &out, &e), OPS_INVALID);
	assert_string_equal(e.field, "acknowledged");
	/* Nothing was written by any refusal. */
	assert_int_equal(versions(f), 0);
	assert_string_equal(cycle_state(f), "review");

	/* All three, and one not present (accepted): certified. */
	ack = json_deep_copy(all);
	json_array_append_new(ack, json_string("groups_apart"));
	assert_int_equal(certify(f, 0, ack, &out, &e), OPS_OK);
	assert_string_equal(cycle_state(f), "certified");
	rec =
	    json_object_get(json_object_get(out, "certified"), "acknowledged");
	assert_int_equal(json_array_size(rec), 3);
	for (i = 0; i < 3; i++)
		assert_string_equal(json_string_value(json_object_get(
					json_array_get(rec, i), "code")),
		    json_string_value(json_array_get(all, i)));
	/* The record holds names, not this database's ids. */
	assert_string_equal(item_name(json_array_get(rec, 0), 0), "Ada Cole");
	assert_null(json_object_get(
	    json_array_get(json_object_get(json_array_get(rec, 0), "items"), 0),
	    "application_id"));
	json_decref(out);

	/* The versions' history shows it. */
	assert_int_equal(ops_ranklist_versions(
			     f->db, fx_as(f, f->director), f->cycle, &v, &e),
	    OPS_OK);
	rec = json_object_get(
	    json_array_get(json_object_get(v, "versions"), 0), "acknowledged");
	assert_int_equal(json_array_size(rec), 3);
	assert_int_equal(count_of(json_array_get(rec, 2)), 2);
	json_decref(v);
	/* And so does the audit record, by code. */
	assert_int_equal(
	    ops_audit_list(f->db, fx_as(f, f->director), INT64_MAX, 1, &v, &e),
	    OPS_OK);
	rec = json_array_get(json_object_get(v, "entries"), 0);
	assert_string_equal(json_string_value(json_object_get(rec, "action")),
	    "ranklist.certify");
	assert_int_equal(json_array_size(json_object_get(
			     json_object_get(rec, "detail"), "acknowledged")),
	    3);
	json_decref(v);
	json_decref(all);
}

/* With nothing to acknowledge, no acknowledgement is needed, and the
 * record says there was nothing ([]). */
static void
test_a_ready_list_needs_no_acknowledgement(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*out;
	int64_t		 a[2];
	int		 i, k;

	for (i = 0; i < 2; i++)
		a[i] = fx_application(f, f->applicant[i], f->cycle, LAST[i], 1);
	fx_cycle_state(f, f->cycle, "review");
	for (i = 0; i < 2; i++) {
		fx_invite(f, a[i]);
		for (k = 0; k < 2; k++) {
			fx_score(
			    f, f->faculty[k], a[i], PHASE_SCREENING, 4 - i);
			fx_score(
			    f, f->faculty[k], a[i], PHASE_INTERVIEW, 4 - i);
		}
	}
	fx_close_phase(f, PHASE_SCREENING, 1);
	fx_close_phase(f, PHASE_INTERVIEW, 1);
	out = readiness(f, f->director, 0);
	assert_true(json_is_true(json_object_get(out, "ready")));
	assert_int_equal(json_array_size(json_object_get(out, "warnings")), 0);
	json_decref(out);
	assert_int_equal(certify(f, 0, NULL, &out, &e), OPS_OK);
	assert_true(json_is_array(json_object_get(
	    json_object_get(out, "certified"), "acknowledged")));
	assert_int_equal(
	    json_array_size(json_object_get(
		json_object_get(out, "certified"), "acknowledged")),
	    0);
	json_decref(out);
	/* Certified: it blocks any other certification. */
	out = readiness(f, f->director, -1);
	assert_non_null(find(out, "blocking", "already_certified"));
	json_decref(out);
}

static void
test_readiness_is_the_staffs(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 a[4];

	scenario(f, a);
	assert_int_equal(ops_ranklist_readiness(f->db, fx_as(f, f->faculty[0]),
			     f->cycle, -1, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(ops_ranklist_readiness(f->db,
			     fx_as(f, f->applicant[0]), f->cycle, -1, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(ops_ranklist_readiness(f->db, fx_as(f, f->director),
			     f->cycle + 1000, -1, &out, &e),
	    OPS_NOT_FOUND);
	assert_null(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_open_phases_block_and_each_warning_names_whom,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_warnings_concern_the_ranked_only, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_list_says_who_was_interviewed, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_groups_that_cannot_be_compared, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_conflicts_declared_after_scoring, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_certify_refuses_until_ready_and_acknowledged, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_ready_list_needs_no_acknowledgement, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_readiness_is_the_staffs, fx_setup, fx_teardown),
	};

	return (
	    cmocka_run_group_tests_name("ops/readiness", tests, NULL, NULL));
}
