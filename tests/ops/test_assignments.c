/*
 * Tests for src/ops/assignments.c: the assignments view (who may see
 * what, its tallies and graph, its JSON text, and that it is never
 * served stale from the memo when another connection writes), setting
 * assignments by hand, the balanced automatic assignment and its
 * refusals, and the limits of core/limits.h, past which each refuses
 * naming the limit.
 */

#include "core/limits.h"
#include "ops/fixture.h"

/* Runs SQL on a second connection to the fixture's database. */
static void
sql(struct fx *f, const char *text)
{
	tempdb_sql(&f->t, text, 0);
}

/* The view on db as actor, parsed; NULL when refused (rc, e set). */
static json_t *
view_on(struct fx *f, struct db *db, int64_t actor, const char *phase,
    int64_t faculty, int *rc, struct ops_error *e)
{
	json_t *v;
	char   *text = NULL;
	size_t	len = 0;

	memset(e, 0, sizeof(*e));
	*rc = ops_assignments_view(
	    db, fx_as(f, actor), f->cycle, phase, faculty, &text, &len, e);
	if (*rc != OPS_OK) {
		assert_null(text);
		return (NULL);
	}
	assert_int_equal(strlen(text), len);
	if ((v = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		fail_msg("not JSON: %s", text);
	free(text);
	return (v);
}

static json_t *
view(struct fx *f, int64_t actor)
{
	struct ops_error e;
	json_t		*v;
	int		 rc;

	if ((v = view_on(f, f->db, actor, NULL, 0, &rc, &e)) == NULL)
		fail_msg("view: %d %s", rc, e.message);
	return (v);
}

static int
set(struct fx *f, int64_t actor, json_t *items, struct ops_error *e)
{
	json_t *out = NULL;
	int	rc;

	memset(e, 0, sizeof(*e));
	rc = ops_assignments_set(
	    f->db, fx_as(f, actor), f->cycle, items, f->now, &out, e);
	json_decref(items);
	json_decref(out);
	return (rc);
}

static json_t *
item(int64_t faculty, int64_t app, const char *phase, int assigned)
{
	return (json_pack("{s:I,s:I,s:s,s:b}", "faculty_id",
	    (json_int_t)faculty, "application_id", (json_int_t)app, "phase",
	    phase, "assigned", assigned));
}

static void
test_who_sees_which_assignments(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*v;
	int64_t		 a, setup;
	int		 rc;

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	fx_assign(f, f->faculty[0], a, PHASE_SCREENING);
	fx_assign(f, f->faculty[1], a, PHASE_SCREENING);
	v = view(f, f->coordinator);
	assert_int_equal(json_array_size(json_object_get(v, "assignments")), 2);
	json_decref(v);
	v = view(f, f->faculty[0]);
	assert_int_equal(json_array_size(json_object_get(v, "assignments")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(
		json_array_get(json_object_get(v, "assignments"), 0),
		"faculty_id")),
	    f->faculty[0]);
	json_decref(v);
	assert_null(
	    view_on(f, f->db, f->faculty[0], NULL, f->faculty[1], &rc, &e));
	assert_int_equal(rc, OPS_FORBIDDEN);
	assert_null(view_on(f, f->db, f->applicant[0], NULL, 0, &rc, &e));
	assert_int_equal(rc, OPS_NOT_FOUND);
	/* Staff may filter by rater. */
	assert_non_null(v = view_on(f, f->db, f->director, "screening",
			    f->faculty[1], &rc, &e));
	assert_int_equal(json_array_size(json_object_get(v, "assignments")), 1);
	json_decref(v);
	/* A cycle in setup is the staff's only. */
	setup = fx_cycle(f, "Next year", "setup");
	memset(&e, 0, sizeof(e));
	{
		char  *text = NULL;
		size_t len;

		assert_int_equal(
		    ops_assignments_view(f->db, fx_as(f, f->faculty[0]), setup,
			NULL, 0, &text, &len, &e),
		    OPS_NOT_FOUND);
		assert_int_equal(
		    ops_assignments_view(f->db, fx_as(f, f->coordinator), setup,
			NULL, 0, &text, &len, &e),
		    OPS_OK);
		free(text);
		assert_int_equal(
		    ops_assignments_view(f->db, fx_as(f, f->coordinator),
			setup + 100, NULL, 0, &text, &len, &e),
		    OPS_NOT_FOUND);
	}
}

/*
 * Tallies and graph. Raters 0 and 1 share candidate A (one component);
 * rater 2 alone rates B (a second). Rater 0 submitted, rater 1 has a
 * draft.
 */
static void
test_the_view_tallies_raters_and_finds_components(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*v, *values, *out = NULL, *r, *g;
	int64_t		 a, b;
	size_t		 i;
	int		 seen = 0;

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	b = fx_application(f, f->applicant[1], f->cycle, "Beta", 1);
	fx_score(f, f->faculty[0], a, PHASE_SCREENING, 4);
	fx_assign(f, f->faculty[1], a, PHASE_SCREENING);
	values = json_pack("{s:i}", "clinical", 2);
	assert_int_equal(
	    ops_sheet_save(f->db, fx_as(f, f->faculty[1]), a, PHASE_SCREENING,
		values, NULL, 0, 0, f->now, &out, &e),
	    OPS_OK);
	json_decref(values);
	json_decref(out);
	fx_assign(f, f->faculty[2], b, PHASE_SCREENING);
	v = view(f, f->coordinator);
	json_array_foreach(json_object_get(v, "raters"), i, r)
	{
		int64_t id =
		    json_integer_value(json_object_get(r, "faculty_id"));

		assert_int_equal(
		    json_integer_value(json_object_get(r, "assigned")), 1);
		assert_int_equal(
		    json_integer_value(json_object_get(r, "submitted")),
		    id == f->faculty[0]);
		assert_int_equal(
		    json_integer_value(json_object_get(r, "draft")),
		    id == f->faculty[1]);
		seen++;
	}
	assert_int_equal(seen, 3);
	g = json_object_get(json_object_get(v, "graph"), "screening");
	assert_int_equal(
	    json_integer_value(json_object_get(g, "components")), 2);
	assert_false(json_is_true(json_object_get(g, "connected")));
	assert_int_equal(json_integer_value(json_object_get(g, "raters")), 3);
	assert_int_equal(
	    json_integer_value(json_object_get(g, "candidates")), 2);
	g = json_object_get(json_object_get(v, "graph"), "interview");
	assert_int_equal(
	    json_integer_value(json_object_get(g, "components")), 0);
	assert_true(json_is_true(json_object_get(g, "connected")));
	json_decref(v);
	/* Linking B to rater 0 joins the two. */
	fx_assign(f, f->faculty[0], b, PHASE_SCREENING);
	v = view(f, f->coordinator);
	g = json_object_get(json_object_get(v, "graph"), "screening");
	assert_int_equal(
	    json_integer_value(json_object_get(g, "components")), 1);
	assert_true(json_is_true(json_object_get(g, "connected")));
	json_decref(v);
}

/* Names with quotes, backslashes and characters beyond ASCII (one
 * beyond the 16-bit plane) come through as the same strings. */
static void
test_the_view_is_json_whatever_the_names(void **state)
{
	struct fx  *f = *state;
	json_t	   *v;
	const char *name = "O\"Brien \\ \xc5\x81\xc3\xb3"
			   "d\xc5\xba \xf0\x9f\x98\x80x";
	char	    want[128];
	int64_t	    a;

	a = fx_application(f, f->applicant[0], f->cycle, name, 1);
	fx_assign(f, f->faculty[0], a, PHASE_SCREENING);
	v = view(f, f->coordinator);
	(void)snprintf(want, sizeof(want), "Ada %s", name);
	assert_string_equal(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(v, "assignments"), 0),
		"candidate")),
	    want);
	json_decref(v);
}

/* The view is kept between requests, but a write by this connection or
 * by another (another worker, a task thread) is seen at once. */
static void
test_the_view_is_never_stale(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct db	*other = NULL;
	json_t		*v, *items, *out = NULL;
	char		 err[256];
	int64_t		 a, b;
	int		 rc;

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	b = fx_application(f, f->applicant[1], f->cycle, "Beta", 1);
	fx_assign(f, f->faculty[0], a, PHASE_SCREENING);
	v = view(f, f->coordinator);
	assert_int_equal(json_array_size(json_object_get(v, "assignments")), 1);
	json_decref(v);
	/* Asked again, unchanged: the same view. */
	v = view(f, f->coordinator);
	assert_int_equal(json_array_size(json_object_get(v, "assignments")), 1);
	json_decref(v);
	/* This connection writes. */
	fx_assign(f, f->faculty[1], a, PHASE_SCREENING);
	v = view(f, f->coordinator);
	assert_int_equal(json_array_size(json_object_get(v, "assignments")), 2);
	json_decref(v);
	/* Another connection writes. */
	assert_int_equal(
	    db_open(&other, f->t.path, DB_MODE_SERVE, err, sizeof(err)), 0);
	items = json_pack("[{s:I,s:I,s:s}]", "faculty_id",
	    (json_int_t)f->faculty[2], "application_id", (json_int_t)b, "phase",
	    "screening");
	assert_int_equal(ops_assignments_set(other, fx_as(f, f->coordinator),
			     f->cycle, items, f->now, &out, &e),
	    OPS_OK);
	json_decref(items);
	json_decref(out);
	v = view(f, f->coordinator);
	assert_int_equal(json_array_size(json_object_get(v, "assignments")), 3);
	json_decref(v);
	/* ... and the other's own view saw its write too. */
	assert_non_null(
	    v = view_on(f, other, f->coordinator, NULL, 0, &rc, &e));
	assert_int_equal(json_array_size(json_object_get(v, "assignments")), 3);
	json_decref(v);
	/* A change elsewhere in the database also counts (a sheet). */
	sql(f, "UPDATE users SET name = 'Renamed' WHERE role = 'faculty'");
	v = view(f, f->coordinator);
	assert_string_equal(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(v, "assignments"), 0),
		"faculty_name")),
	    "Renamed");
	json_decref(v);
	db_close(other);
}

static void
test_setting_assignments_by_hand(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	int64_t		 a, draft;

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	draft = fx_application(f, f->applicant[1], f->cycle, "Draft", 0);
	fx_cycle_state(f, f->cycle, "review");
	assert_int_equal(
	    set(f, f->faculty[0],
		json_pack("[o]", item(f->faculty[0], a, "screening", 1)), &e),
	    OPS_FORBIDDEN);
	assert_int_equal(set(f, f->coordinator, json_array(), &e), OPS_INVALID);
	assert_int_equal(
	    set(f, f->coordinator,
		json_pack("[o]", item(f->faculty[0], draft, "screening", 1)),
		&e),
	    OPS_INVALID);
	assert_int_equal(
	    set(f, f->coordinator,
		json_pack("[o]", item(f->applicant[2], a, "screening", 1)), &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "faculty_id");
	assert_int_equal(
	    set(f, f->coordinator,
		json_pack("[o]", item(f->faculty[0], a, "interview", 1)), &e),
	    OPS_INVALID);
	assert_int_equal(
	    set(f, f->coordinator,
		json_pack("[o]", item(f->faculty[0], a, "final", 1)), &e),
	    OPS_INVALID);
	/* A submitted sheet keeps its assignment. */
	fx_score(f, f->faculty[0], a, PHASE_SCREENING, 3);
	assert_int_equal(
	    set(f, f->coordinator,
		json_pack("[o]", item(f->faculty[0], a, "screening", 0)), &e),
	    OPS_CONFLICT);
}

static void
test_assignment_items_past_the_limit_are_refused_naming_it(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*items;
	int64_t		 a;
	int		 i, n = (int)limit_max(LIMIT_ASSIGN_ITEMS);

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	/* At the limit: the same pair many times is one assignment. */
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(
		    items, item(f->faculty[0], a, "screening", 1));
	assert_int_equal(
	    set(f, f->coordinator, json_deep_copy(items), &e), OPS_OK);
	json_array_append_new(items, item(f->faculty[0], a, "screening", 1));
	assert_int_equal(set(f, f->coordinator, items, &e), OPS_INVALID);
	assert_non_null(strstr(e.message, limit_name(LIMIT_ASSIGN_ITEMS)));
}

static int
auto_assign(struct fx *f, int k, int cap, json_t *raters, json_t **out,
    struct ops_error *e)
{
	int rc;

	memset(e, 0, sizeof(*e));
	*out = NULL;
	rc = ops_assignments_auto(f->db, fx_as(f, f->coordinator), f->cycle,
	    PHASE_SCREENING, k, cap, raters, f->now, out, e);
	json_decref(raters);
	return (rc);
}

static void
test_the_balanced_assignment(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*out, *l;
	int64_t		 a[4];
	size_t		 i;
	int		 total = 0;

	for (i = 0; i < 4; i++)
		a[i] = fx_application(f, f->applicant[i], f->cycle, "Cand", 1);
	assert_int_equal(auto_assign(f, 2, 3, NULL, &out, &e), OPS_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "added")), 8);
	assert_true(json_is_true(json_object_get(out, "connected")));
	json_array_foreach(json_object_get(out, "loads"), i, l)
	{
		int n = (int)json_integer_value(json_object_get(l, "assigned"));

		/* 8 pairs over 3 raters, as even as can be. */
		assert_true(n == 2 || n == 3);
		total += n;
	}
	assert_int_equal(total, 8);
	json_decref(out);
	/* Run again: nothing to add; existing pairs are kept. */
	assert_int_equal(auto_assign(f, 2, 3, NULL, &out, &e), OPS_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "added")), 0);
	json_decref(out);
	(void)a;
}

static void
test_the_balanced_assignment_refuses_what_cannot_be(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*out, *c = NULL;
	int64_t		 a, b;
	char		 want[64];
	int		 k;

	/* No candidates yet. */
	assert_int_equal(auto_assign(f, 2, 3, NULL, &out, &e), OPS_INVALID);
	assert_non_null(strstr(e.message, "no candidates"));
	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	b = fx_application(f, f->applicant[1], f->cycle, "Beta", 1);
	/* Three raters cannot give anyone four. */
	assert_int_equal(auto_assign(f, 4, 3, NULL, &out, &e), OPS_INVALID);
	assert_non_null(strstr(e.message, "3 raters cannot"));
	/* Room for 2 pairs, 4 needed. */
	assert_int_equal(auto_assign(f, 2, 1,
			     json_pack("[I,I]", (json_int_t)f->faculty[0],
				 (json_int_t)f->faculty[1]),
			     &out, &e),
	    OPS_INVALID);
	/* Conflicts with two of three raters: B cannot get two; the
	 * refusal names the application, not an index. */
	for (k = 0; k < 2; k++) {
		assert_int_equal(
		    ops_conflict_declare(f->db, fx_as(f, f->coordinator), b,
			f->faculty[k], NULL, "Relative.", f->now, &c, NULL, &e),
		    OPS_OK);
		json_decref(c);
	}
	assert_int_equal(auto_assign(f, 2, 3, NULL, &out, &e), OPS_INVALID);
	(void)snprintf(want, sizeof(want), "Application %lld", (long long)b);
	assert_non_null(strstr(e.message, want));
	/* Bad values. */
	assert_int_equal(auto_assign(f, 0, 3, NULL, &out, &e), OPS_INVALID);
	assert_string_equal(e.field, "raters_per_candidate");
	assert_int_equal(auto_assign(f, 2, 0, NULL, &out, &e), OPS_INVALID);
	assert_string_equal(e.field, "max_per_rater");
	assert_int_equal(
	    auto_assign(f, 2, 3, json_array(), &out, &e), OPS_INVALID);
	assert_int_equal(
	    auto_assign(f, 2, 3, json_pack("[I]", (json_int_t)f->applicant[0]),
		&out, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "rater_ids");
	assert_int_equal(
	    ops_assignments_auto(f->db, fx_as(f, f->faculty[0]), f->cycle,
		PHASE_SCREENING, 2, 3, NULL, f->now, &out, &e),
	    OPS_FORBIDDEN);
	(void)a;
}

/* n enabled faculty accounts, made in one transaction. */
static void
bulk_faculty(struct fx *f, int n)
{
	char text[512];

	(void)snprintf(text, sizeof(text),
	    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k "
	    "WHERE i < %d) INSERT INTO users (email, name, role) SELECT "
	    "'bulk' || i || '@example.org', 'Bulk ' || i, 'faculty' FROM k",
	    n);
	sql(f, text);
	sql(f,
	    "INSERT INTO memberships (user_id, program_id, role) SELECT id, "
	    "1, 'faculty' FROM users WHERE email LIKE 'bulk%@example.org'");
}

static void
test_assignment_limits_are_refused_naming_them(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*out, *ids;
	char		 text[1024];
	int		 max_raters = (int)limit_max(LIMIT_ASSIGN_RATERS);

	(void)fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	assert_int_equal(
	    auto_assign(f, (int)limit_max(LIMIT_ASSIGN_PER_CANDIDATE) + 1, 3,
		NULL, &out, &e),
	    OPS_INVALID);
	assert_non_null(
	    strstr(e.message, limit_name(LIMIT_ASSIGN_PER_CANDIDATE)));
	assert_int_equal(
	    auto_assign(f, 1, (int)limit_max(LIMIT_ASSIGN_CANDIDATES) + 1, NULL,
		&out, &e),
	    OPS_INVALID);
	assert_non_null(strstr(e.message, limit_name(LIMIT_ASSIGN_CANDIDATES)));

	/* With the three of the fixture, limit - 2 more raters: at the
	 * limit, the assignment goes; one more and it is refused, whether
	 * the raters are named or all taken. */
	bulk_faculty(f, max_raters - FX_FACULTY);
	assert_int_equal(auto_assign(f, 1, 1, NULL, &out, &e), OPS_OK);
	json_decref(out);
	sql(f,
	    "INSERT INTO users (email, name, role) VALUES "
	    "('one.more@example.org', 'One More', 'faculty')");
	sql(f,
	    "INSERT INTO memberships (user_id, program_id, role) SELECT id, "
	    "1, 'faculty' FROM users WHERE email = 'one.more@example.org'");
	assert_int_equal(auto_assign(f, 1, 1, NULL, &out, &e), OPS_INVALID);
	assert_non_null(strstr(e.message, limit_name(LIMIT_ASSIGN_RATERS)));
	assert_string_equal(e.field, "rater_ids");
	{
		struct db_user u;
		int64_t	       id;

		ids = json_array();
		for (id = 1; json_array_size(ids) <= (size_t)max_raters; id++) {
			assert_int_equal(db_user_by_id(f->db, id, &u), 1);
			if (strcmp(u.role, "faculty") == 0)
				json_array_append_new(ids, json_integer(id));
		}
	}
	assert_int_equal(auto_assign(f, 1, 1, ids, &out, &e), OPS_INVALID);
	assert_non_null(strstr(e.message, limit_name(LIMIT_ASSIGN_RATERS)));

	/* Candidates of the phase past the limit. */
	(void)snprintf(text, sizeof(text),
	    "BEGIN;"
	    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k "
	    "WHERE i < %lld) INSERT INTO users (email, name, role) SELECT "
	    "'cand' || i || '@example.org', 'Cand ' || i, 'applicant' FROM k;"
	    "INSERT INTO applications (cycle_id, applicant_id, status, fields) "
	    "SELECT %lld, id, 'submitted', '{}' FROM users WHERE email LIKE "
	    "'cand%%';"
	    "COMMIT;",
	    (long long)limit_max(LIMIT_ASSIGN_CANDIDATES), (long long)f->cycle);
	sql(f, text);
	assert_int_equal(
	    auto_assign(f, 1, 20, json_pack("[I]", (json_int_t)f->faculty[0]),
		&out, &e),
	    OPS_INVALID);
	assert_non_null(strstr(e.message, limit_name(LIMIT_ASSIGN_CANDIDATES)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_who_sees_which_assignments, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_view_tallies_raters_and_finds_components, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_view_is_json_whatever_the_names, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_view_is_never_stale, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_setting_assignments_by_hand, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_assignment_items_past_the_limit_are_refused_naming_it,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_balanced_assignment, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_balanced_assignment_refuses_what_cannot_be,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_assignment_limits_are_refused_naming_them, fx_setup,
		    fx_teardown),
	};

	return (
	    cmocka_run_group_tests_name("ops/assignments", tests, NULL, NULL));
}
