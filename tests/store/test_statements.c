/*
 * The statement table (src/store/statements.c) on the engine the test
 * runs on (SQLite, or PostgreSQL with FELLOW_TEST_DATABASE_URL, see
 * tests/lib/tempdb.h): a connection opened to serve prepares every
 * statement, and says which one it could not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "lib/tempdb.h"
#include "store/db.h"

static void
test_every_statement_prepares_on_a_migrated_database(void **state)
{
	struct tempdb t;
	struct db    *db = NULL;
	char	      err[512] = "";

	(void)state;
	assert_int_equal(tempdb_open(&t, "statements"), 0);
	if (db_open(&db, t.path, DB_MODE_SERVE, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(db_ping(db), 0);
	db_close(db);
	tempdb_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_every_statement_prepares_on_a_migrated_database),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
