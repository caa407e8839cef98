/* Tests for src/core/ranklist.c: moved entries, canonical text, the
 * shape of a certified version's snapshot. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/ranklist.h"

static int
moved_of(const int64_t *base, size_t nb, const int64_t *order, size_t n,
    unsigned char *out)
{
	return (ranklist_moved(base, nb, order, n, out));
}

static void
test_one_drag_marks_one_entry(void **state)
{
	const int64_t base[] = { 1, 2, 3, 4, 5 };
	const int64_t up[] = { 4, 1, 2, 3, 5 };	  /* 4 dragged to the top */
	const int64_t down[] = { 2, 3, 4, 1, 5 }; /* 1 dragged down */
	unsigned char m[5];

	(void)state;
	assert_int_equal(moved_of(base, 5, base, 5, m), 0);
	assert_int_equal(moved_of(base, 5, up, 5, m), 1);
	assert_int_equal(m[0], 1);
	assert_int_equal(m[1] + m[2] + m[3] + m[4], 0);
	assert_int_equal(moved_of(base, 5, down, 5, m), 1);
	assert_int_equal(m[3], 1);
}

static void
test_swaps_and_reversal(void **state)
{
	const int64_t base[] = { 1, 2, 3, 4 };
	const int64_t swap[] = { 2, 1, 3, 4 };
	const int64_t rev[] = { 4, 3, 2, 1 };
	unsigned char m[4];

	(void)state;
	/* A swap of neighbours: one of the two moved. */
	assert_int_equal(moved_of(base, 4, swap, 4, m), 1);
	/* A reversal: all but one. */
	assert_int_equal(moved_of(base, 4, rev, 4, m), 3);
}

static void
test_entries_not_in_base_count_as_moved(void **state)
{
	const int64_t base[] = { 1, 2 };
	const int64_t order[] = { 1, 9, 2 };
	unsigned char m[3];

	(void)state;
	assert_int_equal(moved_of(base, 2, order, 3, m), 1);
	assert_int_equal(m[1], 1);
}

static void
test_canonical_text_and_hash(void **state)
{
	json_t *e =
	    json_pack("[{s:i,s:b,s:s},{s:i,s:b,s:s},{s:i}]", "application_id",
		7, "do_not_rank", 0, "reason", "", "application_id", 3,
		"do_not_rank", 1, "reason", "Withdrew", "application_id", 5);
	char *t, sha[65];

	(void)state;
	t = ranklist_canonical(2, 4, e);
	assert_non_null(t);
	assert_string_equal(t,
	    "{\"cycle_id\":2,\"entries\":[{\"application_id\":7,"
	    "\"do_not_rank\":false,\"rank\":1,\"reason\":\"\"},"
	    "{\"application_id\":3,\"do_not_rank\":true,\"rank\":null,"
	    "\"reason\":\"Withdrew\"},{\"application_id\":5,"
	    "\"do_not_rank\":false,\"rank\":2,\"reason\":\"\"}],"
	    "\"version\":4}");
	ranklist_sha256("abc", sha);
	assert_string_equal(sha,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	free(t);
	json_decref(e);
}

/* Found by fuzz/ranklist.c: an entry the text cannot hold was left out
 * of it, so the hash would have certified a shorter list. */
static void
test_canonical_refuses_entries_it_cannot_hold(void **state)
{
	json_t *e = json_pack(
	    "[{s:i},i,{s:s}]", "application_id", 7, 3, "reason", "no id");

	(void)state;
	assert_null(ranklist_canonical(2, 4, e));
	json_decref(e);
}

static void
test_identifier_names(void **state)
{
	enum rank_id id;

	(void)state;
	assert_int_equal(rank_id_parse("nrmp", &id), 0);
	assert_int_equal(id, RANK_ID_NRMP);
	assert_string_equal(rank_id_fields[id], "nrmp_id");
	assert_int_equal(rank_id_parse("ssn", &id), -1);
}

/* A snapshot element for application app. */
static json_t *
snap_of(int app, const char *name, const char *sfmatch)
{
	return (json_pack("{s:i,s:s,s:s?,s:n,s:n,s:f,s:i}", "application_id",
	    app, "name", name, "sfmatch_id", sfmatch, "nrmp_id", "aamc_id",
	    "composite", 80.42, "rank_composite", 1));
}

static void
test_a_snapshot_follows_its_entries(void **state)
{
	json_t	   *e = json_pack("[{s:i},{s:i,s:b}]", "application_id", 7,
		"application_id", 3, "do_not_rank", 1);
	json_t	   *ok = json_pack("[o,o]", snap_of(7, "Ana Lopez", "SF-1"),
		snap_of(3, "Bo Chen", NULL));
	json_t	   *bad;
	const char *why = NULL;

	(void)state;
	assert_int_equal(ranklist_snapshot_check(ok, e, &why), 0);
	assert_null(why);
	/* Shorter than the entries, or in another order. */
	bad = json_pack("[o]", snap_of(7, "Ana Lopez", "SF-1"));
	assert_int_equal(ranklist_snapshot_check(bad, e, &why), -1);
	assert_non_null(why);
	json_decref(bad);
	bad = json_pack("[o,o]", snap_of(3, "Bo Chen", NULL),
	    snap_of(7, "Ana Lopez", "SF-1"));
	assert_int_equal(ranklist_snapshot_check(bad, e, &why), -1);
	assert_non_null(strstr(why, "follow the entries"));
	json_decref(bad);
	/* A key too many, a key missing, a name or id of the wrong type, a
	 * negative place, an overlong name. */
	bad = json_deep_copy(ok);
	json_object_set_new(json_array_get(bad, 0), "email", json_string("x"));
	assert_int_equal(ranklist_snapshot_check(bad, e, &why), -1);
	json_decref(bad);
	bad = json_deep_copy(ok);
	json_object_del(json_array_get(bad, 1), "aamc_id");
	assert_int_equal(ranklist_snapshot_check(bad, e, &why), -1);
	json_decref(bad);
	bad = json_deep_copy(ok);
	json_object_set_new(json_array_get(bad, 0), "name", json_integer(1));
	assert_int_equal(ranklist_snapshot_check(bad, e, &why), -1);
	json_decref(bad);
	bad = json_deep_copy(ok);
	json_object_set_new(json_array_get(bad, 0), "nrmp_id", json_true());
	assert_int_equal(ranklist_snapshot_check(bad, e, &why), -1);
	json_decref(bad);
	bad = json_deep_copy(ok);
	json_object_set_new(
	    json_array_get(bad, 0), "rank_composite", json_integer(-1));
	assert_int_equal(ranklist_snapshot_check(bad, e, &why), -1);
	json_decref(bad);
	bad = json_deep_copy(ok);
	{
		char name[RANKLIST_SNAPSHOT_TEXT_MAX + 2];

		memset(name, 'a', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		json_object_set_new(
		    json_array_get(bad, 0), "name", json_string(name));
	}
	assert_int_equal(ranklist_snapshot_check(bad, e, &why), -1);
	json_decref(bad);
	/* Not an array at all. */
	assert_int_equal(
	    ranklist_snapshot_check(json_array_get(e, 0), e, &why), -1);
	json_decref(ok);
	json_decref(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_drag_marks_one_entry),
		cmocka_unit_test(test_swaps_and_reversal),
		cmocka_unit_test(test_entries_not_in_base_count_as_moved),
		cmocka_unit_test(test_canonical_text_and_hash),
		cmocka_unit_test(test_canonical_refuses_entries_it_cannot_hold),
		cmocka_unit_test(test_identifier_names),
		cmocka_unit_test(test_a_snapshot_follows_its_entries),
	};

	return (
	    cmocka_run_group_tests_name("core/ranklist", tests, NULL, NULL));
}
