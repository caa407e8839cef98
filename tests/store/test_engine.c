/*
 * What src/ops relies on from the database engine, on the engine the
 * test runs on (SQLite, or PostgreSQL with FELLOW_TEST_DATABASE_URL, see
 * tests/lib/tempdb.h): one writer at a time (a second db_begin() waits,
 * then answers DB_EBUSY), a refused change leaves its transaction going,
 * a new row's id, how many rows a change changed, and rollback; integers
 * of 64 bits wherever a statement takes one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/tempdb.h"
#include "store/db.h"

struct fixture {
	struct tempdb t;
	struct db    *other; /* a second connection to the same database */
};

static int
setup(void **state)
{
	struct fixture *fx;
	char		err[512];

	if ((fx = calloc(1, sizeof(*fx))) == NULL ||
	    tempdb_open(&fx->t, "engine") != 0)
		return (-1);
	if (db_open(&fx->other, fx->t.path, DB_MODE_SERVE, err, sizeof(err)) !=
	    0) {
		fprintf(stderr, "%s\n", err);
		return (-1);
	}
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	db_close(fx->other);
	tempdb_close(&fx->t);
	free(fx);
	return (0);
}

static void
test_one_writer_at_a_time(void **state)
{
	struct fixture *fx = *state;
	int64_t		id, n;

	assert_int_equal(db_begin(fx->t.db), 0);
	assert_int_equal(db_user_insert(fx->t.db, "a@example.org", "A",
			     "faculty", NULL, &id),
	    0);
	/* The other connection's transaction waits, briefly, then is
	 * told the database is busy; it reads what was committed. */
	assert_int_equal(db_begin(fx->other), DB_EBUSY);
	assert_int_equal(db_user_count(fx->other, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(db_commit(fx->t.db), 0);
	assert_int_equal(db_begin(fx->other), 0);
	assert_int_equal(db_user_count(fx->other, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(db_commit(fx->other), 0);
}

static void
test_a_refused_change_leaves_the_transaction_going(void **state)
{
	struct fixture *fx = *state;
	struct db_user	u;
	int64_t		a, b, n;

	assert_int_equal(db_begin(fx->t.db), 0);
	assert_int_equal(
	    db_user_insert(fx->t.db, "a@example.org", "A", "faculty", NULL, &a),
	    0);
	/* The same address in another case: the unique key refuses it. */
	assert_int_equal(db_user_insert(fx->t.db, "A@Example.org", "A2",
			     "faculty", NULL, &b),
	    DB_ECONSTRAINT);
	assert_int_equal(db_user_insert(fx->t.db, "b@example.org", "B",
			     "director", NULL, &b),
	    0);
	assert_true(b > a);
	assert_int_equal(db_commit(fx->t.db), 0);
	assert_int_equal(db_user_count(fx->t.db, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(db_user_by_id(fx->t.db, b, &u), 1);
	assert_string_equal(u.email, "b@example.org");
	assert_string_equal(u.role, "director");
	assert_int_equal(u.disabled, 0);
}

static void
test_changes_count_and_rollback_undoes(void **state)
{
	struct fixture *fx = *state;
	struct db_user	u;
	int64_t		id, n;

	assert_int_equal(db_user_insert(fx->t.db, "a@example.org", "A",
			     "faculty", NULL, &id),
	    0);
	assert_int_equal(db_user_set_disabled(fx->t.db, id, 1), 0);
	assert_int_equal(db_user_by_id(fx->t.db, id, &u), 1);
	assert_int_equal(u.disabled, 1);
	/* No such account: nothing changed, which the call reports. */
	assert_int_equal(db_user_set_disabled(fx->t.db, id + 100, 1), DB_ERROR);

	assert_int_equal(db_begin(fx->t.db), 0);
	assert_int_equal(db_user_insert(fx->t.db, "b@example.org", "B",
			     "faculty", NULL, &id),
	    0);
	db_rollback(fx->t.db);
	assert_int_equal(db_user_count(fx->t.db, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(db_user_by_email(fx->t.db, "b@example.org", &u), 0);
}

static int
count_application(void *arg, const struct db_application *a)
{
	(void)a;
	++*(int *)arg;
	return (0);
}

/* SQLite's integers are 64-bit; a parameter PostgreSQL would type from
 * an integer written in the statement ("?7 = 0 OR ... = ?7") is too. */
static void
test_integer_parameters_take_64_bits(void **state)
{
	struct fixture	    *fx = *state;
	struct db_app_filter filter = { .assigned_to = (int64_t)1 << 33,
		.hide_conflicts_of = (int64_t)1 << 40,
		.limit = 10 };
	int		     n = 0;

	assert_int_equal(
	    db_application_list(fx->t.db, 1, &filter, count_application, &n),
	    0);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_one_writer_at_a_time, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_refused_change_leaves_the_transaction_going, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_changes_count_and_rollback_undoes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_integer_parameters_take_64_bits, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
