/*
 * Tests for src/ops/ranklist.c: saving a version (the pool once, reasons
 * for moves and for "do not rank", concurrent edits refused), certifying
 * and reopening (the director's, in the right states, against the
 * version reviewed), and the build-once rule: saving and certifying use
 * a ranking built outside their transaction, checked inside it against
 * the database; a build that no longer holds writes nothing and is made
 * again.
 */
#include "ops/fixture.h"
#include "ops/ranking.h"
#include "ops/ranking_int.h"

/* Four scored candidates a[0..3], composite order a[0] first. */
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

/* Entries for ids in order; reasons[i] (may be NULL) and dnr[i]. */
static json_t *
entries(const int64_t *ids, int n, const char *const *reasons, const int *dnr)
{
	json_t *e = json_array();
	int	i;

	for (i = 0; i < n; i++)
		json_array_append_new(e,
		    json_pack("{s:I,s:b,s:s}", "application_id",
			(json_int_t)ids[i], "do_not_rank",
			dnr != NULL && dnr[i], "reason",
			reasons != NULL && reasons[i] ? reasons[i] : ""));
	return (e);
}

static int
save(struct fx *f, int64_t actor, json_t *list, int64_t base, json_t **out,
    struct ops_error *e)
{
	int rc;

	memset(e, 0, sizeof(*e));
	*out = NULL;
	rc = ops_ranklist_save(
	    f->db, fx_as(f, actor), f->cycle, list, base, f->now, out, e);
	json_decref(list);
	return (rc);
}

static int64_t
version_of(const json_t *view)
{
	return (json_integer_value(json_object_get(view, "version")));
}

/* How many versions the list has. */
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

static void
test_the_computed_list_is_the_composite_order(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 a[4];
	int		 i;

	four(f, a);
	assert_int_equal(ops_ranklist_view(f->db, fx_as(f, f->coordinator),
			     f->cycle, 0, &out, &e),
	    OPS_OK);
	assert_string_equal(
	    json_string_value(json_object_get(out, "state")), "computed");
	assert_int_equal(version_of(out), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(
		    json_integer_value(json_object_get(
			json_array_get(json_object_get(out, "entries"), i),
			"application_id")),
		    a[i]);
	json_decref(out);
	assert_int_equal(ops_ranklist_view(f->db, fx_as(f, f->faculty[0]),
			     f->cycle, 0, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(ops_ranklist_view(f->db, fx_as(f, f->coordinator),
			     f->cycle, 7, &out, &e),
	    OPS_NOT_FOUND);
}

static void
test_a_save_needs_a_reason_for_each_move_and_each_do_not_rank(void **state)
{
	struct fx		*f = *state;
	struct ops_error	 e;
	json_t			*out;
	int64_t			 a[4], moved[4];
	static const char *const why[4] = { NULL, "Strong interview.",
		"Weak letters.", NULL };
	static const int	 dnr[4] = { 0, 0, 0, 1 };
	static const char *const both[4] = { NULL, "Strong interview.",
		"Weak letters.", "Withdrew." };

	four(f, a);
	/* a[3] dragged to the top: it alone moved. */
	moved[0] = a[3];
	moved[1] = a[0];
	moved[2] = a[1];
	moved[3] = a[2];
	assert_int_equal(save(f, f->coordinator, entries(moved, 4, NULL, NULL),
			     -1, &out, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "entries");
	assert_non_null(strstr(e.message, "Give a reason for moving"));
	/* a[2] above a[1], with reasons (which of the two counts as moved
	 * is core/ranklist.c's rule); a[3] not ranked, without. */
	moved[0] = a[0];
	moved[1] = a[2];
	moved[2] = a[1];
	moved[3] = a[3];
	assert_int_equal(
	    save(f, f->coordinator, entries(moved, 4, why, dnr), -1, &out, &e),
	    OPS_INVALID);
	assert_non_null(strstr(e.message, "Give a reason for not ranking"));
	assert_int_equal(versions(f), 0);
	assert_int_equal(
	    save(f, f->coordinator, entries(moved, 4, both, dnr), 0, &out, &e),
	    OPS_OK);
	assert_int_equal(version_of(out), 1);
	assert_string_equal(
	    json_string_value(json_object_get(out, "state")), "draft");
	assert_int_equal(json_integer_value(json_object_get(out, "ranked")), 3);
	/* One of the swapped pair moved; the first stayed. */
	assert_int_equal(
	    json_is_true(json_object_get(
		json_array_get(json_object_get(out, "entries"), 1), "moved")) +
		json_is_true(json_object_get(
		    json_array_get(json_object_get(out, "entries"), 2),
		    "moved")),
	    1);
	assert_false(json_is_true(json_object_get(
	    json_array_get(json_object_get(out, "entries"), 0), "moved")));
	json_decref(out);
}

static void
test_a_save_holds_the_pool_once(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*out;
	int64_t		 a[4], twice[4], stranger[4];

	four(f, a);
	memcpy(twice, a, sizeof(twice));
	twice[3] = a[0];
	assert_int_equal(save(f, f->coordinator, entries(twice, 4, NULL, NULL),
			     -1, &out, &e),
	    OPS_INVALID);
	assert_non_null(strstr(e.message, "twice"));
	assert_int_equal(
	    save(f, f->coordinator, entries(a, 3, NULL, NULL), -1, &out, &e),
	    OPS_INVALID);
	assert_non_null(strstr(e.message, "each of its 4 candidates"));
	memcpy(stranger, a, sizeof(stranger));
	stranger[3] = a[3] + 1000;
	assert_int_equal(save(f, f->coordinator,
			     entries(stranger, 4, NULL, NULL), -1, &out, &e),
	    OPS_INVALID);
	assert_non_null(strstr(e.message, "not a candidate"));
	assert_int_equal(save(f, f->coordinator, json_pack("[{s:s}]", "x", "y"),
			     -1, &out, &e),
	    OPS_INVALID);
	assert_int_equal(
	    save(f, f->faculty[0], entries(a, 4, NULL, NULL), -1, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(versions(f), 0);
}

/* Two people edit from version 1; the second save is refused. */
static void
test_a_stale_base_version_is_refused(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*out;
	int64_t		 a[4];

	four(f, a);
	assert_int_equal(
	    save(f, f->coordinator, entries(a, 4, NULL, NULL), 0, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(
	    save(f, f->director, entries(a, 4, NULL, NULL), 1, &out, &e),
	    OPS_OK);
	assert_int_equal(version_of(out), 2);
	json_decref(out);
	assert_int_equal(
	    save(f, f->coordinator, entries(a, 4, NULL, NULL), 1, &out, &e),
	    OPS_CONFLICT);
	assert_non_null(strstr(e.message, "version 2"));
	assert_int_equal(
	    save(f, f->coordinator, entries(a, 4, NULL, NULL), 0, &out, &e),
	    OPS_CONFLICT);
	assert_int_equal(versions(f), 2);
}

/* Certifies as actor, acknowledging ack (a JSON array of warning
 * codes this releases, or NULL). */
static int
certify_ack(struct fx *f, int64_t actor, int64_t expected, json_t *ack,
    json_t **out, struct ops_error *e)
{
	int rc;

	memset(e, 0, sizeof(*e));
	*out = NULL;
	rc = ops_ranklist_certify(
	    f->db, fx_as(f, actor), f->cycle, expected, ack, f->now, out, e);
	json_decref(ack);
	return (rc);
}

/* Certifies without acknowledging anything. */
static int
certify(struct fx *f, int64_t actor, int64_t expected, json_t **out,
    struct ops_error *e)
{
	return (certify_ack(f, actor, expected, NULL, out, e));
}

/* What four() leaves to do before certifying: scoring is closed in both
 * phases, and its candidates, scored at screening only, are ranked
 * without an interview (a warning to acknowledge). */
static json_t *
ready(struct fx *f)
{
	fx_close_phase(f, PHASE_SCREENING, 1);
	fx_close_phase(f, PHASE_INTERVIEW, 1);
	return (json_pack("[s]", "not_interviewed"));
}

static void
test_certify_and_reopen(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*out;
	int64_t		 a[4];

	four(f, a);
	assert_int_equal(
	    certify(f, f->coordinator, -1, &out, &e), OPS_FORBIDDEN);
	/* The director reviewed the computed list (0); someone saves. */
	assert_int_equal(
	    save(f, f->coordinator, entries(a, 4, NULL, NULL), 0, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(
	    certify_ack(f, f->director, 0, ready(f), &out, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "version 1"));
	assert_int_equal(
	    certify_ack(f, f->director, 1, ready(f), &out, &e), OPS_OK);
	assert_int_equal(version_of(out), 2);
	assert_string_equal(
	    json_string_value(json_object_get(out, "state")), "certified");
	assert_int_equal(strlen(json_string_value(json_object_get(
			     json_object_get(out, "certified"), "sha256"))),
	    64);
	json_decref(out);
	/* Certified: no saving, no certifying again. */
	assert_int_equal(
	    save(f, f->coordinator, entries(a, 4, NULL, NULL), -1, &out, &e),
	    OPS_CONFLICT);
	assert_int_equal(certify(f, f->director, -1, &out, &e), OPS_CONFLICT);
	/* Reopening: the director's, with a reason. */
	assert_int_equal(ops_ranklist_reopen(f->db, fx_as(f, f->coordinator),
			     f->cycle, "Late letter.", f->now, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(ops_ranklist_reopen(f->db, fx_as(f, f->director),
			     f->cycle, NULL, f->now, &out, &e),
	    OPS_INVALID);
	assert_int_equal(ops_ranklist_reopen(f->db, fx_as(f, f->director),
			     f->cycle, "Late letter.", f->now, &out, &e),
	    OPS_OK);
	assert_string_equal(
	    json_string_value(json_object_get(out, "state")), "reopened");
	assert_string_equal(
	    json_string_value(json_object_get(out, "reason")), "Late letter.");
	json_decref(out);
	assert_int_equal(ops_ranklist_reopen(f->db, fx_as(f, f->director),
			     f->cycle, "Again.", f->now, &out, &e),
	    OPS_CONFLICT);
	assert_int_equal(
	    save(f, f->coordinator, entries(a, 4, NULL, NULL), 3, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(versions(f), 4);
}

static void
test_certify_refuses_in_the_wrong_state_or_with_nobody(void **state)
{
	struct fx		*f = *state;
	struct ops_error	 e;
	json_t			*out;
	int64_t			 a[4];
	static const int	 dnr[4] = { 1, 1, 1, 1 };
	static const char *const why[4] = { "x", "x", "x", "x" };

	four(f, a);
	assert_int_equal(
	    save(f, f->coordinator, entries(a, 4, why, dnr), 0, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(certify(f, f->director, -1, &out, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "ranks nobody"));
	fx_cycle_state(f, f->cycle, "open");
	assert_int_equal(certify(f, f->director, -1, &out, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "review or ranking"));
	assert_int_equal(versions(f), 1);
}

/* A candidate invited after the list was saved must be placed first. */
static void
test_certify_refuses_a_list_missing_someone(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*out;
	int64_t		 a[4];

	four(f, a);
	fx_invite(f, a[0]);
	fx_invite(f, a[1]);
	assert_int_equal(
	    save(f, f->coordinator, entries(a, 2, NULL, NULL), 0, &out, &e),
	    OPS_OK);
	json_decref(out);
	fx_invite(f, a[2]);
	assert_int_equal(certify(f, f->director, 1, &out, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "invited since"));
}

/*
 * The build-once rule. A ranking built, then a sheet submitted: saving or
 * certifying on that build writes nothing and says the build changed;
 * the operations themselves build again and succeed.
 */
static void
test_a_build_that_no_longer_holds_writes_nothing(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct ranking	*r = NULL;
	json_t		*list, *out = NULL;
	int64_t		 a[4];
	int		 changed = 0;

	four(f, a);
	assert_int_equal(ranking_build(f->db, f->cycle, &r, &e), OPS_OK);
	fx_score(f, f->faculty[2], a[3], PHASE_SCREENING, 5);
	list = entries(a, 4, NULL, NULL);
	assert_int_equal(ranklist_save_built(f->db, fx_as(f, f->coordinator), r,
			     list, 0, f->now, &out, &changed, &e),
	    OPS_CONFLICT);
	assert_int_equal(changed, 1);
	assert_null(out);
	changed = 0;
	assert_int_equal(ranklist_certify_built(f->db, fx_as(f, f->director), r,
			     0, NULL, f->now, &out, &changed, &e),
	    OPS_CONFLICT);
	assert_int_equal(changed, 1);
	assert_int_equal(versions(f), 0);
	ranking_free(r);

	/* On a fresh build the same save goes through, once. */
	assert_int_equal(ranking_build(f->db, f->cycle, &r, &e), OPS_OK);
	assert_int_equal(ranklist_save_built(f->db, fx_as(f, f->coordinator), r,
			     list, 0, f->now, &out, &changed, &e),
	    OPS_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(version_of(out), 1);
	json_decref(out);
	ranking_free(r);
	json_decref(list);
	assert_int_equal(versions(f), 1);
}

/* The answer to a save is the list just saved, viewed against the build
 * the save used: the composite and its places are there. */
static void
test_the_answer_is_the_saved_list_against_its_build(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*out, *row;
	int64_t		 a[4];
	size_t		 i;

	four(f, a);
	assert_int_equal(
	    save(f, f->coordinator, entries(a, 4, NULL, NULL), 0, &out, &e),
	    OPS_OK);
	json_array_foreach(json_object_get(out, "entries"), i, row)
	{
		assert_int_equal(
		    json_integer_value(json_object_get(row, "rank_composite")),
		    (json_int_t)i + 1);
		assert_true(json_is_real(json_object_get(row, "composite")));
	}
	assert_int_equal(json_array_size(json_object_get(out, "missing")), 0);
	json_decref(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_the_computed_list_is_the_composite_order, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_save_needs_a_reason_for_each_move_and_each_do_not_rank,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_save_holds_the_pool_once, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_stale_base_version_is_refused, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_certify_and_reopen, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_certify_refuses_in_the_wrong_state_or_with_nobody,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_certify_refuses_a_list_missing_someone, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_build_that_no_longer_holds_writes_nothing, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_answer_is_the_saved_list_against_its_build,
		    fx_setup, fx_teardown),
	};

	return (cmocka_run_group_tests_name("ops/ranklist", tests, NULL, NULL));
}
