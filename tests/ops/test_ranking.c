/*
 * Tests for src/ops/ranking.c: who sees the ranking, the policy of
 * core/aggregate.h as the ranking applies it (ties by application id, a
 * tie under the raw mean ordered by the adjusted score, the method flag
 * of the composite), the sheets that do not count, the rank list's pool,
 * the build's check against the database, and the limits of
 * core/limits.h past which the ranking refuses, naming the limit.
 */

#include "core/limits.h"
#include "ops/fixture.h"
#include "ops/ranking.h"
#include "ops/ranking_int.h"

/* Runs SQL on a second connection to the fixture's database: bulk rows
 * that the operations would take minutes to make one by one. */
static void
sql(struct fx *f, const char *text)
{
	tempdb_sql(&f->t, text, 0);
}

/* The ranking view of the fixture's cycle, as the director. */
static json_t *
ranking(struct fx *f)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	if (ops_ranking_view(
		f->db, fx_as(f, f->director), f->cycle, &out, &e) != OPS_OK)
		fail_msg("ranking: %s", e.message);
	return (out);
}

/* The view's candidate app. */
static const json_t *
cand(const json_t *view, int64_t app)
{
	const json_t *c;
	size_t	      i;

	json_array_foreach(json_object_get(view, "candidates"), i, c)
	{
		if (json_integer_value(json_object_get(c, "application_id")) ==
		    app)
			return (c);
	}
	fail_msg("no candidate %lld", (long long)app);
	return (NULL);
}

static int
rank_of(const json_t *view, int64_t app, const char *which)
{
	return (
	    (int)json_integer_value(json_object_get(cand(view, app), which)));
}

static void
test_only_staff_see_the_ranking(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	assert_int_equal(ops_ranking_view(f->db, fx_as(f, f->faculty[0]),
			     f->cycle, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(ops_ranking_view(f->db, fx_as(f, f->applicant[0]),
			     f->cycle, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(ops_ranking_view(f->db, fx_as(f, f->coordinator),
			     f->cycle + 100, &out, &e),
	    OPS_NOT_FOUND);
	assert_null(out);
	/* Whatever the cycle's state. */
	fx_cycle_state(f, f->cycle, "review");
	assert_int_equal(ops_ranking_view(f->db, fx_as(f, f->coordinator),
			     f->cycle, &out, &e),
	    OPS_OK);
	assert_int_equal(
	    json_array_size(json_object_get(out, "candidates")), 0);
	json_decref(out);
}

/* Three candidates with the same sheets from the same raters are tied
 * under every method: they are placed by application id. */
static void
test_ties_go_to_the_lower_application_id(void **state)
{
	struct fx *f = *state;
	json_t	  *v;
	int64_t	   app[3];
	int	   i, k;

	/* Made last to first, so that ids do not follow the making. */
	for (i = 2; i >= 0; i--)
		app[i] = fx_application(f, f->applicant[i], f->cycle, "Tie", 1);
	assert_true(app[0] > app[1] && app[1] > app[2]);
	for (i = 0; i < 3; i++)
		for (k = 0; k < 2; k++)
			fx_score(f, f->faculty[k], app[i], PHASE_SCREENING,
			    k == 0 ? 4 : 2);
	v = ranking(f);
	for (i = 0; i < 3; i++) {
		assert_int_equal(rank_of(v, app[i], "rank"), 3 - i);
		assert_int_equal(rank_of(v, app[i], "rank_raw"), 3 - i);
		assert_int_equal(rank_of(v, app[i], "rank_borda"), 3 - i);
		assert_false(json_is_true(
		    json_object_get(cand(v, app[i]), "method_sensitive")));
	}
	json_decref(v);
}

/*
 * A and B have the same raw mean, 75 (A: 100 from the lenient rater 0 and
 * 50 from rater 1; B: 75 from raters 1 and 2). Rater 0's leniency, shown
 * by D, lowers A's adjusted score below B's. Under the raw mean the tie
 * goes by the adjusted score, B first, though A's id is lower; under the
 * adjusted score B is first anyway, so nobody moves for a tie.
 */
static void
test_a_raw_mean_tie_follows_the_adjusted_score(void **state)
{
	struct fx *f = *state;
	json_t	  *v;
	int64_t	   a, b, d;

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	b = fx_application(f, f->applicant[1], f->cycle, "Beta", 1);
	d = fx_application(f, f->applicant[2], f->cycle, "Delta", 1);
	assert_true(a < b);
	fx_score(f, f->faculty[0], a, PHASE_SCREENING, 5);
	fx_score(f, f->faculty[1], a, PHASE_SCREENING, 3);
	fx_score(f, f->faculty[1], b, PHASE_SCREENING, 4);
	fx_score(f, f->faculty[2], b, PHASE_SCREENING, 4);
	fx_score(f, f->faculty[0], d, PHASE_SCREENING, 5);
	fx_score(f, f->faculty[2], d, PHASE_SCREENING, 3);
	v = ranking(f);
	assert_true(json_real_value(json_object_get(
			json_object_get(
			    json_object_get(cand(v, a), "phases"), "screening"),
			"mean")) ==
	    json_real_value(json_object_get(
		json_object_get(
		    json_object_get(cand(v, b), "phases"), "screening"),
		"mean")));
	assert_true(rank_of(v, b, "rank") < rank_of(v, a, "rank"));
	assert_int_equal(
	    rank_of(v, b, "rank_raw") + 1, rank_of(v, a, "rank_raw"));
	json_decref(v);
}

/* The composite's flag is core's rule over the composite's places. */
static void
test_the_method_flag_is_the_core_rule(void **state)
{
	struct fx    *f = *state;
	const json_t *c;
	json_t	     *v;
	int64_t	      app[4];
	int	      i, k, place[AGG__METHODS];

	for (i = 0; i < 4; i++)
		app[i] =
		    fx_application(f, f->applicant[i], f->cycle, "Flag", 1);
	for (i = 0; i < 4; i++)
		for (k = 0; k < FX_FACULTY; k++)
			if ((i + k) % 4 != 3)
				fx_score(f, f->faculty[k], app[i],
				    PHASE_SCREENING, 1 + (i * 7 + k * 3) % 5);
	v = ranking(f);
	for (i = 0; i < 4; i++) {
		c = cand(v, app[i]);
		place[AGG_ADJUSTED] = rank_of(v, app[i], "rank");
		place[AGG_RAW] = rank_of(v, app[i], "rank_raw");
		place[AGG_BORDA] = rank_of(v, app[i], "rank_borda");
		assert_int_equal(
		    json_is_true(json_object_get(c, "method_sensitive")),
		    agg_method_sensitive(place,
			(int)json_integer_value(
			    json_object_get(v, "positions"))));
	}
	json_decref(v);
}

/* A rater's sheet of a candidate they declared a conflict with does not
 * count (declaring it removes the assignment, not the sheet). */
static void
test_a_conflicted_sheet_does_not_count(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*v, *out = NULL;
	int64_t		 a;

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	fx_score(f, f->faculty[0], a, PHASE_SCREENING, 5);
	fx_score(f, f->faculty[1], a, PHASE_SCREENING, 1);
	v = ranking(f);
	assert_int_equal(
	    json_integer_value(json_object_get(
		json_object_get(
		    json_object_get(cand(v, a), "phases"), "screening"),
		"n")),
	    2);
	json_decref(v);
	assert_int_equal(ops_conflict_declare(f->db, fx_as(f, f->coordinator),
			     a, f->faculty[0], NULL, "Former colleague.",
			     f->now, &out, NULL, &e),
	    OPS_OK);
	json_decref(out);
	v = ranking(f);
	assert_int_equal(
	    json_integer_value(json_object_get(
		json_object_get(
		    json_object_get(cand(v, a), "phases"), "screening"),
		"n")),
	    1);
	json_decref(v);
}

/* The list's pool: everyone with a sheet, until someone is invited;
 * then the invited only. */
static void
test_the_pool_is_the_invited_once_anyone_is(void **state)
{
	struct fx *f = *state;
	json_t	  *v;
	int64_t	   a, b, c;

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	b = fx_application(f, f->applicant[1], f->cycle, "Beta", 1);
	c = fx_application(f, f->applicant[2], f->cycle, "Gamma", 1);
	fx_score(f, f->faculty[0], a, PHASE_SCREENING, 4);
	fx_score(f, f->faculty[0], b, PHASE_SCREENING, 3);
	v = ranking(f);
	assert_true(json_is_true(json_object_get(cand(v, a), "in_list")));
	assert_true(json_is_true(json_object_get(cand(v, b), "in_list")));
	assert_false(json_is_true(json_object_get(cand(v, c), "in_list")));
	json_decref(v);
	fx_invite(f, c);
	v = ranking(f);
	assert_false(json_is_true(json_object_get(cand(v, a), "in_list")));
	assert_false(json_is_true(json_object_get(cand(v, b), "in_list")));
	assert_true(json_is_true(json_object_get(cand(v, c), "in_list")));
	json_decref(v);
}

/* What a build relies on, and what it does not: a draft sheet or a
 * change of name leaves it standing; a submitted sheet, an invitation, a
 * conflict, a weight or a withdrawal does not. */
static void
test_the_build_check_sees_what_the_ranking_depends_on(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct ranking	*r = NULL;
	json_t		*values, *out = NULL, *in;
	int64_t		 a, b;
	int		 same = -1;

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	b = fx_application(f, f->applicant[1], f->cycle, "Beta", 1);
	fx_score(f, f->faculty[0], a, PHASE_SCREENING, 4);
	assert_int_equal(ranking_build(f->db, f->cycle, &r, &e), OPS_OK);
	assert_int_equal(ranking_check(f->db, r, &same), OPS_OK);
	assert_int_equal(same, 1);

	/* A draft sheet does not count. */
	fx_assign(f, f->faculty[1], b, PHASE_SCREENING);
	values = json_pack("{s:i}", "clinical", 3);
	assert_int_equal(
	    ops_sheet_save(f->db, fx_as(f, f->faculty[1]), b, PHASE_SCREENING,
		values, NULL, 0, 0, f->now, &out, &e),
	    OPS_OK);
	json_decref(values);
	json_decref(out);
	assert_int_equal(ranking_check(f->db, r, &same), OPS_OK);
	assert_int_equal(same, 1);

	/* A submitted one does. */
	fx_score(f, f->faculty[2], b, PHASE_SCREENING, 2);
	assert_int_equal(ranking_check(f->db, r, &same), OPS_OK);
	assert_int_equal(same, 0);
	ranking_free(r);

	/* So does an invitation. */
	assert_int_equal(ranking_build(f->db, f->cycle, &r, &e), OPS_OK);
	fx_invite(f, a);
	assert_int_equal(ranking_check(f->db, r, &same), OPS_OK);
	assert_int_equal(same, 0);
	ranking_free(r);

	/* And a phase's weight. */
	assert_int_equal(ranking_build(f->db, f->cycle, &r, &e), OPS_OK);
	in = json_pack("{s:i}", "weight", 50);
	assert_int_equal(ops_phase_update(f->db, fx_as(f, f->director),
			     f->cycle, PHASE_SCREENING, in, f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
	assert_int_equal(ranking_check(f->db, r, &same), OPS_OK);
	assert_int_equal(same, 0);
	ranking_free(r);

	/* And a conflict. */
	assert_int_equal(ranking_build(f->db, f->cycle, &r, &e), OPS_OK);
	assert_int_equal(
	    ops_conflict_declare(f->db, fx_as(f, f->coordinator), b,
		f->faculty[2], NULL, "Co-author.", f->now, &out, NULL, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(ranking_check(f->db, r, &same), OPS_OK);
	assert_int_equal(same, 0);
	ranking_free(r);
}

/* Adds n submitted applications to the fixture's cycle, each with its
 * applicant, in one transaction. */
static void
bulk_candidates(struct fx *f, int from, int n)
{
	char text[1024];

	(void)snprintf(text, sizeof(text),
	    "BEGIN;"
	    "WITH RECURSIVE k(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM k "
	    "WHERE i < %d) INSERT INTO users (email, name, role) SELECT "
	    "'bulk' || i || '@example.org', 'Bulk ' || i, 'applicant' FROM k;"
	    "INSERT INTO applications (cycle_id, applicant_id, status, fields) "
	    "SELECT %lld, id, 'submitted', %s('first_name', 'Bulk', "
	    "'last_name', name) FROM users WHERE email LIKE 'bulk%%' AND id "
	    "NOT "
	    "IN (SELECT applicant_id FROM applications);"
	    "COMMIT;",
	    from, from + n - 1, (long long)f->cycle,
	    /* SQLite's json_object is PostgreSQL's json_build_object. */
	    f->t.pg ? "json_build_object" : "json_object");
	sql(f, text);
}

static void
test_candidates_past_the_limit_are_refused_naming_it(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 n = (int)limit_max(LIMIT_CANDIDATES);

	bulk_candidates(f, 1, n);
	assert_int_equal(
	    ops_ranking_view(f->db, fx_as(f, f->director), f->cycle, &out, &e),
	    OPS_OK);
	assert_int_equal(
	    json_array_size(json_object_get(out, "candidates")), (size_t)n);
	json_decref(out);
	out = NULL;
	bulk_candidates(f, n + 1, 1);
	assert_int_equal(
	    ops_ranking_view(f->db, fx_as(f, f->director), f->cycle, &out, &e),
	    OPS_INVALID);
	assert_null(out);
	assert_non_null(strstr(e.message, limit_name(LIMIT_CANDIDATES)));
	/* The rank list, built the same way, says the same. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(ops_ranklist_view(f->db, fx_as(f, f->director),
			     f->cycle, 0, &out, &e),
	    OPS_INVALID);
	assert_non_null(strstr(e.message, limit_name(LIMIT_CANDIDATES)));
}

/* n faculty accounts and a submitted screening sheet of each for app,
 * copied from the one of rater model. */
static void
bulk_raters(struct fx *f, int from, int n, int64_t app, int64_t model)
{
	char text[2048];

	(void)snprintf(text, sizeof(text),
	    "BEGIN;"
	    "WITH RECURSIVE k(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM k "
	    "WHERE i < %d) INSERT INTO users (email, name, role) SELECT "
	    "'rater' || i || '@example.org', 'Rater ' || i, 'faculty' FROM k;"
	    "INSERT INTO score_sheets (cycle_id, application_id, rater_id, "
	    "phase, rubric_id, status, \"values\", created_at, updated_at, "
	    "submitted_at) SELECT s.cycle_id, s.application_id, u.id, s.phase, "
	    "s.rubric_id, 'submitted', s.\"values\", s.created_at, "
	    "s.updated_at, s.submitted_at FROM score_sheets s, users u WHERE "
	    "s.application_id = %lld AND s.rater_id = %lld AND u.email LIKE "
	    "'rater%%' AND u.id NOT IN (SELECT rater_id FROM score_sheets);"
	    "COMMIT;",
	    from, from + n - 1, (long long)app, (long long)model);
	sql(f, text);
}

static void
test_raters_past_the_limit_are_refused_naming_it(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 a;
	int		 n = (int)limit_max(LIMIT_RATERS);

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	fx_score(f, f->faculty[0], a, PHASE_SCREENING, 4);
	bulk_raters(f, 2, n - 1, a, f->faculty[0]);
	assert_int_equal(
	    ops_ranking_view(f->db, fx_as(f, f->director), f->cycle, &out, &e),
	    OPS_OK);
	assert_int_equal(
	    json_integer_value(json_object_get(
		json_object_get(
		    json_object_get(cand(out, a), "phases"), "screening"),
		"n")),
	    n);
	json_decref(out);
	out = NULL;
	bulk_raters(f, n + 1, 1, a, f->faculty[0]);
	assert_int_equal(
	    ops_ranking_view(f->db, fx_as(f, f->director), f->cycle, &out, &e),
	    OPS_INVALID);
	assert_null(out);
	assert_non_null(strstr(e.message, limit_name(LIMIT_RATERS)));
}

/*
 * Two raters who share no candidate: the warning names them (not by
 * index), and the candidate outside the larger group is marked as one
 * that cannot be compared with the rest.
 */
static void
test_disconnected_groups_are_named_and_marked(void **state)
{
	struct fx    *f = *state;
	json_t	     *v;
	const json_t *ph;
	const char   *warning;
	int64_t	      a, b, c;

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	b = fx_application(f, f->applicant[1], f->cycle, "Beta", 1);
	c = fx_application(f, f->applicant[2], f->cycle, "Gamma", 1);
	fx_score(f, f->faculty[0], a, PHASE_SCREENING, 4);
	fx_score(f, f->faculty[0], b, PHASE_SCREENING, 2);
	fx_score(f, f->faculty[1], c, PHASE_SCREENING, 3);
	v = ranking(f);
	ph = json_object_get(json_object_get(v, "phases"), "screening");
	assert_int_equal(json_integer_value(json_object_get(ph, "groups")), 2);
	warning = json_string_value(json_object_get(ph, "warning"));
	assert_non_null(strstr(warning, "Dr. Rater 1 (2 candidates)"));
	assert_non_null(strstr(warning, "Dr. Rater 2 (1 candidate)"));
	assert_null(strstr(warning, "raters 0"));
	assert_false(json_is_true(json_object_get(cand(v, a), "isolated")));
	assert_false(json_is_true(json_object_get(cand(v, b), "isolated")));
	assert_true(json_is_true(json_object_get(cand(v, c), "isolated")));
	json_decref(v);
}

/*
 * Every placed candidate has its uncertainty: probabilities in order, an
 * interval that holds its place, the last without a next; two views of
 * the same data give the same numbers.
 */
static void
test_every_place_has_its_uncertainty(void **state)
{
	struct fx    *f = *state;
	json_t	     *v, *w;
	const json_t *c, *u;
	size_t	      i, n;
	int64_t	      app[4];
	int	      k;

	for (k = 0; k < 4; k++) {
		app[k] = fx_application(
		    f, f->applicant[k], f->cycle, "Candidate", 1);
		fx_score(f, f->faculty[0], app[k], PHASE_SCREENING, 1 + k);
		fx_score(f, f->faculty[1], app[k], PHASE_SCREENING, 1 + k % 3);
	}
	v = ranking(f);
	assert_true(
	    json_integer_value(json_object_get(v, "draws")) >= UNC_DRAWS_MIN);
	n = json_array_size(json_object_get(v, "candidates"));
	assert_int_equal(n, 4);
	json_array_foreach(json_object_get(v, "candidates"), i, c)
	{
		double p = json_real_value(json_object_get(
		    json_object_get(c, "uncertainty"), "p_top"));
		int rank = (int)json_integer_value(json_object_get(c, "rank"));

		u = json_object_get(c, "uncertainty");
		assert_true(json_is_object(u));
		assert_true(p >= 0.0 && p <= 1.0);
		assert_true(json_real_value(json_object_get(u, "p_list")) >= p);
		assert_true(
		    json_integer_value(json_object_get(u, "rank_lo")) <= rank);
		assert_true(
		    json_integer_value(json_object_get(u, "rank_hi")) >= rank);
		assert_int_equal(json_is_true(json_object_get(u, "flagged")),
		    p >= UNC_FLAG_LO && p <= UNC_FLAG_HI);
		assert_true(
		    strlen(json_string_value(json_object_get(u, "words"))) > 0);
		assert_int_equal(
		    json_is_null(json_object_get(u, "next_id")), i + 1 == n);
	}
	w = ranking(f);
	assert_true(json_equal(v, w));
	json_decref(v);
	json_decref(w);
}

/*
 * The kept build: asked again while nothing changed, the same build;
 * after a submitted sheet, a new one that shows it at once.
 */
static void
test_a_kept_ranking_follows_every_change(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct ranking	*r = NULL, *s = NULL;
	json_t		*v;
	int64_t		 a, b;

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	b = fx_application(f, f->applicant[1], f->cycle, "Beta", 1);
	fx_score(f, f->faculty[0], a, PHASE_SCREENING, 2);
	fx_score(f, f->faculty[0], b, PHASE_SCREENING, 4);
	assert_int_equal(ranking_build(f->db, f->cycle, &r, &e), OPS_OK);
	assert_int_equal(ranking_build(f->db, f->cycle, &s, &e), OPS_OK);
	assert_ptr_equal(r, s);
	ranking_free(s);
	v = ranking(f);
	assert_int_equal(rank_of(v, b, "rank"), 1);
	json_decref(v);

	/* Two more raters who both prefer Alpha by far (a complete
	 * design: the raw means, 3.3 against 2) put it first. */
	fx_score(f, f->faculty[1], a, PHASE_SCREENING, 4);
	fx_score(f, f->faculty[1], b, PHASE_SCREENING, 1);
	fx_score(f, f->faculty[2], a, PHASE_SCREENING, 4);
	fx_score(f, f->faculty[2], b, PHASE_SCREENING, 1);
	assert_int_equal(ranking_build(f->db, f->cycle, &s, &e), OPS_OK);
	assert_ptr_not_equal(r, s);
	ranking_free(s);
	ranking_free(r);
	v = ranking(f);
	assert_int_equal(rank_of(v, a, "rank"), 1);
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_only_staff_see_the_ranking, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_ties_go_to_the_lower_application_id, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_raw_mean_tie_follows_the_adjusted_score, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_method_flag_is_the_core_rule, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_conflicted_sheet_does_not_count, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_pool_is_the_invited_once_anyone_is, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_build_check_sees_what_the_ranking_depends_on,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_candidates_past_the_limit_are_refused_naming_it,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_raters_past_the_limit_are_refused_naming_it, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_disconnected_groups_are_named_and_marked, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_every_place_has_its_uncertainty, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_kept_ranking_follows_every_change, fx_setup,
		    fx_teardown),
	};

	return (cmocka_run_group_tests_name("ops/ranking", tests, NULL, NULL));
}
