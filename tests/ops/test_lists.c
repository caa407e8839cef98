/*
 * Tests for src/ops/lists.c: the staff's list of candidates with their
 * standing (the screening score and rank from the ranking, the interview
 * status from the invitations) and its CSV export (the list's order by
 * screening rank, RFC 4180 quoting and the formula guard of the match
 * export, CRLF, the status filter); staff only.
 */
#include "ops/fixture.h"
#include "ops/lists.h"

/*
 * Four submitted candidates, three of them screened by two raters at
 * levels 5, 4 and 3 (so ranked in that order) and the fourth not; the
 * second invited to interview. a[i] in the order made; names[i] their
 * last names.
 */
static void
program(struct fx *f, int64_t a[4], const char *const names[4])
{
	int i, k;

	for (i = 0; i < 4; i++)
		a[i] =
		    fx_application(f, f->applicant[i], f->cycle, names[i], 1);
	for (i = 0; i < 3; i++)
		for (k = 0; k < 2; k++)
			fx_score(
			    f, f->faculty[k], a[i], PHASE_SCREENING, 5 - i);
	fx_cycle_state(f, f->cycle, "review");
	fx_invite(f, a[1]);
}

static const char *const plain[4] = { "Able", "Baker", "Cole", "Dunn" };

/* The standing of application app in a scores view, or NULL. */
static const json_t *
standing_of(const json_t *view, int64_t app)
{
	const json_t *c;
	size_t	      i;

	json_array_foreach(json_object_get(view, "candidates"), i, c)
	{
		if (json_integer_value(json_object_get(c, "application_id")) ==
		    app)
			return (c);
	}
	return (NULL);
}

static void
test_scores_give_rank_and_interview_status(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	const json_t	*s, *scr;
	int64_t		 a[4];
	int		 i;

	program(f, a, plain);
	assert_int_equal(ops_application_scores(f->db, fx_as(f, f->coordinator),
			     f->cycle, &out, &e),
	    OPS_OK);
	assert_int_equal(
	    json_integer_value(json_object_get(out, "screened")), 3);
	assert_int_equal(
	    json_array_size(json_object_get(out, "candidates")), 4);
	for (i = 0; i < 3; i++) {
		s = standing_of(out, a[i]);
		assert_non_null(s);
		scr = json_object_get(s, "screening");
		assert_true(json_is_object(scr));
		assert_int_equal(
		    json_integer_value(json_object_get(scr, "rank")), i + 1);
		assert_int_equal(
		    json_integer_value(json_object_get(scr, "raters")), 2);
		assert_true(json_is_real(json_object_get(scr, "score")));
	}
	/* Better levels, a better score. */
	assert_true(json_real_value(json_object_get(
			json_object_get(standing_of(out, a[0]), "screening"),
			"score")) >
	    json_real_value(json_object_get(
		json_object_get(standing_of(out, a[2]), "screening"),
		"score")));
	/* Not screened yet: no score, no rank. */
	assert_true(
	    json_is_null(json_object_get(standing_of(out, a[3]), "screening")));
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(standing_of(out, a[1]), "interview"),
		"status")),
	    "invited");
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(standing_of(out, a[0]), "interview"),
		"status")),
	    "not_invited");
	json_decref(out);
}

static void
test_scores_are_the_staffs(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 a[4];

	program(f, a, plain);
	assert_int_equal(ops_application_scores(f->db, fx_as(f, f->faculty[0]),
			     f->cycle, &out, &e),
	    OPS_FORBIDDEN);
	assert_null(out);
	assert_int_equal(ops_application_scores(f->db,
			     fx_as(f, f->applicant[0]), f->cycle, &out, &e),
	    OPS_FORBIDDEN);
	assert_null(out);
	assert_int_equal(ops_application_scores(f->db, fx_as(f, f->director),
			     f->cycle + 100, &out, &e),
	    OPS_NOT_FOUND);
	assert_null(out);
	assert_int_equal(ops_application_scores(
			     f->db, fx_as(f, f->director), f->cycle, &out, &e),
	    OPS_OK);
	json_decref(out);
}

/* Splits csv at CRLF into lines (the caller frees *lines and text). */
static size_t
csv_lines(char *csv, char **lines, size_t max)
{
	size_t n = 0;
	char  *p = csv, *end;

	while (*p != '\0' && n < max) {
		end = strstr(p, "\r\n");
		assert_non_null(end); /* every line ends in CRLF */
		*end = '\0';
		lines[n++] = p;
		p = end + 2;
	}
	return (n);
}

static void
test_csv_orders_by_rank_and_guards_cells(void **state)
{
	static const char *const names[4] = { "=cmd|' /C calc'!A0",
		"Smith, Jr.", "Dvořák \"Amara\"", "@Plain" };
	struct fx		*f = *state;
	struct ops_error	 e = { 0 };
	char			*csv = NULL, name[128], want[128], *lines[16];
	int64_t			 a[4];
	size_t			 n;

	/* A draft has no standing: it comes after the screened. */
	(void)fx_application(f,
	    fx_user(f, "eve@example.org", "Eve", "applicant"), f->cycle, "Zed",
	    0);
	program(f, a, names);
	assert_int_equal(
	    ops_applications_csv(f->db, fx_as(f, f->coordinator), f->cycle,
		OPS_LIST_ANY, &csv, name, sizeof(name), &e),
	    OPS_OK);
	(void)snprintf(want, sizeof(want), "applications-cycle%lld.csv",
	    (long long)f->cycle);
	assert_string_equal(name, want);
	n = csv_lines(csv, lines, 16);
	assert_int_equal(n, 6);
	assert_string_equal(lines[0],
	    "application_id,last_name,first_name,medical_school,"
	    "residency_program,status,missing_items,letters_received,"
	    "letters_requested,screening_score,screening_rank,"
	    "screening_raters,interview_status,interview_day,"
	    "interview_time,interview_sheets");
	/* By screening rank; the formula is text, the comma and the quote
	 * quoted, the unicode as stored. */
	assert_non_null(strstr(lines[1], ",\"'=cmd|' /C calc'!A0\",Ada,"));
	assert_non_null(strstr(lines[1], ",1,2,not_invited,,,0"));
	assert_non_null(strstr(lines[2], ",\"Smith, Jr.\",Ada,"));
	assert_non_null(strstr(lines[2], ",2,2,invited,,,0"));
	assert_non_null(strstr(lines[3], ",\"Dvořák \"\"Amara\"\"\",Ada,"));
	assert_non_null(strstr(lines[3], ",3,2,not_invited,,,0"));
	/* Then the unscreened by id: the draft, without a standing (its
	 * cells empty), and a submitted one not screened yet. */
	assert_non_null(strstr(lines[4], ",Zed,Ada,"));
	n = strlen(lines[4]);
	assert_true(n > 19);
	assert_string_equal(lines[4] + n - 19, ",draft,0,0,0,,,,,,,");
	assert_non_null(strstr(lines[5], ",\"'@Plain\",Ada,"));
	assert_non_null(
	    strstr(lines[5], ",submitted,0,0,0,,,,not_invited,,,0"));
	free(csv);
}

static void
test_csv_filters_by_status(void **state)
{
	struct fx	    *f = *state;
	struct ops_error     e = { 0 };
	char		    *csv = NULL, name[128], *lines[16];
	int64_t		     a[4];
	enum ops_list_status st;

	program(f, a, plain);
	assert_int_equal(ops_list_status_parse("withdrawn", &st), 0);
	assert_int_equal(st, OPS_LIST_WITHDRAWN);
	assert_int_equal(ops_list_status_parse("deleted", &st), -1);
	assert_int_equal(
	    ops_applications_csv(f->db, fx_as(f, f->director), f->cycle,
		OPS_LIST_WITHDRAWN, &csv, name, sizeof(name), &e),
	    OPS_OK);
	assert_non_null(strstr(name, "-withdrawn.csv"));
	assert_int_equal(csv_lines(csv, lines, 16), 1); /* the header */
	free(csv);
	assert_int_equal(
	    ops_applications_csv(f->db, fx_as(f, f->director), f->cycle,
		OPS_LIST_SUBMITTED, &csv, name, sizeof(name), &e),
	    OPS_OK);
	assert_int_equal(csv_lines(csv, lines, 16), 5);
	free(csv);
}

static void
test_csv_is_the_staffs(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	char		*csv = NULL, name[128];
	int64_t		 a[4];

	program(f, a, plain);
	assert_int_equal(
	    ops_applications_csv(f->db, fx_as(f, f->faculty[0]), f->cycle,
		OPS_LIST_ANY, &csv, name, sizeof(name), &e),
	    OPS_FORBIDDEN);
	assert_null(csv);
	assert_int_equal(
	    ops_applications_csv(f->db, fx_as(f, f->applicant[1]), f->cycle,
		OPS_LIST_ANY, &csv, name, sizeof(name), &e),
	    OPS_FORBIDDEN);
	assert_null(csv);
	assert_int_equal(
	    ops_applications_csv(f->db, fx_as(f, f->coordinator),
		f->cycle + 100, OPS_LIST_ANY, &csv, name, sizeof(name), &e),
	    OPS_NOT_FOUND);
	assert_null(csv);
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
		    test_scores_give_rank_and_interview_status, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_scores_are_the_staffs, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_csv_orders_by_rank_and_guards_cells, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_csv_filters_by_status, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_csv_is_the_staffs, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
