/*
 * Tests for src/ops/import.c against the limits of core/limits.h: an
 * archive past one (candidates, raters, sheets, rubric versions) is
 * refused whole, naming the limit, since this installation could not
 * rank it as the archive did; one within them comes back as a new cycle
 * that ranks as the original.
 */
#include "core/limits.h"
#include "ops/fixture.h"
#include "ops/import.h"
#include "ops/ranking.h"

/* The archive of the fixture's cycle with two scored candidates,
 * parsed. */
static json_t *
archive(struct fx *f)
{
	struct ops_error e = { 0 };
	json_t		*doc;
	char		*text = NULL;
	int64_t		 a, b;

	a = fx_application(f, f->applicant[0], f->cycle, "Alpha", 1);
	b = fx_application(f, f->applicant[1], f->cycle, "Beta", 1);
	fx_score(f, f->faculty[0], a, PHASE_SCREENING, 4);
	fx_score(f, f->faculty[1], a, PHASE_SCREENING, 3);
	fx_score(f, f->faculty[0], b, PHASE_SCREENING, 2);
	fx_cycle_state(f, f->cycle, "review");
	assert_int_equal(ops_cycle_export(f->db, fx_as(f, f->director),
			     f->cycle, f->now, &text, &e),
	    OPS_OK);
	assert_non_null(doc = json_loads(text, 0, NULL));
	free(text);
	return (doc);
}

static int
import(struct fx *f, json_t *doc, struct ops_import_result *res,
    struct ops_error *e)
{
	struct ops_import_options opt = { 0, 0 };
	char			 *text;
	int			  rc;

	memset(e, 0, sizeof(*e));
	assert_non_null(text = json_dumps(doc, JSON_COMPACT));
	rc = ops_cycle_import(f->db, fx_as(f, f->director), text, strlen(text),
	    "test", &opt, f->now, res, e);
	free(text);
	json_decref(doc);
	return (rc);
}

static void
test_an_archive_within_the_limits_ranks_the_same(void **state)
{
	struct fx		*f = *state;
	struct ops_import_result res;
	struct ops_error	 e;
	json_t			*a = NULL, *b = NULL;
	size_t			 i;

	assert_int_equal(import(f, archive(f), &res, &e), OPS_OK);
	assert_int_equal(res.candidates, 2);
	assert_int_equal(res.sheets, 3);
	assert_int_equal(
	    ops_ranking_view(f->db, fx_as(f, f->director), f->cycle, &a, &e),
	    OPS_OK);
	assert_int_equal(
	    ops_ranking_view(f->db, fx_as(f, f->director), res.cycle, &b, &e),
	    OPS_OK);
	for (i = 0; i < 2; i++) {
		const json_t *x =
		    json_array_get(json_object_get(a, "candidates"), i);
		const json_t *y =
		    json_array_get(json_object_get(b, "candidates"), i);

		assert_string_equal(
		    json_string_value(json_object_get(x, "name")),
		    json_string_value(json_object_get(y, "name")));
		assert_int_equal(json_integer_value(json_object_get(x, "rank")),
		    json_integer_value(json_object_get(y, "rank")));
	}
	json_decref(a);
	json_decref(b);
	ops_import_result_clear(&res);
}

static void
test_candidates_past_the_limit(void **state)
{
	struct fx		*f = *state;
	struct ops_import_result res;
	struct ops_error	 e;
	json_t			*doc = archive(f), *cands, *one;
	int64_t			 n;

	cands = json_object_get(doc, "candidates");
	one = json_array_get(cands, 0);
	for (n = (int64_t)json_array_size(cands);
	     !limit_over(LIMIT_CANDIDATES, n); n++) {
		json_t *c = json_deep_copy(one);

		json_object_set_new(
		    c, "application_id", json_integer(100000 + n));
		json_array_append_new(cands, c);
	}
	assert_int_equal(import(f, doc, &res, &e), OPS_INVALID);
	assert_non_null(strstr(e.message, limit_name(LIMIT_CANDIDATES)));
}

static void
test_sheets_past_the_limit(void **state)
{
	struct fx		*f = *state;
	struct ops_import_result res;
	struct ops_error	 e;
	json_t			*doc = archive(f), *sheets;

	sheets = json_object_get(doc, "sheets");
	/* Counted before they are read: any member will do. */
	while (!limit_over(LIMIT_SHEETS, (int64_t)json_array_size(sheets)))
		json_array_append_new(sheets, json_integer(0));
	assert_int_equal(import(f, doc, &res, &e), OPS_INVALID);
	assert_non_null(strstr(e.message, limit_name(LIMIT_SHEETS)));
}

static void
test_raters_past_the_limit(void **state)
{
	struct fx		*f = *state;
	struct ops_import_result res;
	struct ops_error	 e;
	json_t			*doc = archive(f), *sheets, *one, *s;
	char			 name[32];
	int64_t			 r;

	sheets = json_object_get(doc, "sheets");
	one = json_deep_copy(json_array_get(sheets, 0));
	for (r = 0; r <= limit_max(LIMIT_RATERS); r++) {
		s = json_deep_copy(one);
		(void)snprintf(name, sizeof(name), "Rater %lld", (long long)r);
		json_object_set_new(s, "rater_id", json_integer(100000 + r));
		json_object_set_new(s, "rater_name", json_string(name));
		json_array_append_new(sheets, s);
	}
	json_decref(one);
	assert_int_equal(import(f, doc, &res, &e), OPS_INVALID);
	assert_non_null(strstr(e.message, limit_name(LIMIT_RATERS)));
}

static void
test_rubric_versions_past_the_limit(void **state)
{
	struct fx		*f = *state;
	struct ops_import_result res;
	struct ops_error	 e;
	json_t			*doc = archive(f), *rubrics, *one, *r;
	int64_t			 v = 100;

	rubrics = json_object_get(doc, "rubrics");
	one = json_array_get(rubrics, 0);
	while (!limit_over(
	    LIMIT_RUBRIC_VERSIONS, (int64_t)json_array_size(rubrics))) {
		r = json_deep_copy(one);
		json_object_set_new(r, "version", json_integer(v++));
		json_array_append_new(rubrics, r);
	}
	assert_int_equal(import(f, doc, &res, &e), OPS_INVALID);
	assert_non_null(strstr(e.message, limit_name(LIMIT_RUBRIC_VERSIONS)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_an_archive_within_the_limits_ranks_the_same, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_candidates_past_the_limit, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_sheets_past_the_limit, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_raters_past_the_limit, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rubric_versions_past_the_limit, fx_setup, fx_teardown),
	};

	return (cmocka_run_group_tests_name("ops/import", tests, NULL, NULL));
}
