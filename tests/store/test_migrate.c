/*
 * Tests for src/store/migrate.c and db.c: migrations apply in order once,
 * the serving mode refuses other versions, backups restore.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/embed.h"
#include "store/db.h"

static char dir[] = "/tmp/fellow-test-XXXXXX";
static char path[256], path2[256], bak[256];

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return (-1);
	snprintf(path, sizeof(path), "%s/a.db", dir);
	snprintf(path2, sizeof(path2), "%s/b.db", dir);
	snprintf(bak, sizeof(bak), "%s/backup.db", dir);
	return (0);
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return (system(cmd) == 0 ? 0 : -1);
}

static void
test_migration_files_are_numbered_from_one(void **state)
{
	size_t i;

	(void)state;
	assert_true(migrations_count >= 1);
	for (i = 0; i < migrations_count; i++)
		assert_int_equal(atoi(migrations_files[i].name), (int)i + 1);
	assert_null(migrations_files[migrations_count].name);
}

static void
test_migrate_applies_once(void **state)
{
	struct db *db = NULL;
	char	   err[256];
	int	   applied, version;

	(void)state;
	assert_int_equal(
	    db_open(&db, path, DB_MODE_ADMIN, err, sizeof(err)), 0);
	assert_int_equal(db_migrate(db, &applied, err, sizeof(err)), 0);
	assert_int_equal(applied, db_schema_latest());
	assert_int_equal(db_migrate(db, &applied, err, sizeof(err)), 0);
	assert_int_equal(applied, 0);
	assert_int_equal(db_schema_version(db, &version), 0);
	assert_int_equal(version, db_schema_latest());
	assert_int_equal(db_integrity_check(db), 0);
	db_close(db);
}

static void
test_serve_mode_needs_the_expected_schema(void **state)
{
	struct db *db = NULL;
	char	   err[256];

	(void)state;
	/* A missing file is not created in serving mode. */
	assert_int_not_equal(
	    db_open(&db, path2, DB_MODE_SERVE, err, sizeof(err)), 0);
	assert_null(db);
	assert_int_equal(access(path2, F_OK), -1);
	/* The migrated one opens and answers. */
	assert_int_equal(
	    db_open(&db, path, DB_MODE_SERVE, err, sizeof(err)), 0);
	assert_int_equal(db_ping(db), 0);
	db_close(db);
}

static void
test_constraint_violation_is_reported_as_such(void **state)
{
	struct db *db = NULL;
	char	   err[256];
	int64_t	   id, n;

	(void)state;
	assert_int_equal(
	    db_open(&db, path, DB_MODE_SERVE, err, sizeof(err)), 0);
	assert_int_equal(
	    db_user_insert(db, "u@example.org", "U", "faculty", NULL, &id), 0);
	assert_int_equal(
	    db_user_insert(db, "U@EXAMPLE.ORG", "U", "faculty", NULL, &id),
	    DB_ECONSTRAINT);
	assert_int_equal(
	    db_user_insert(db, "v@example.org", "V", "king", NULL, &id),
	    DB_ECONSTRAINT);
	assert_int_equal(db_user_count(db, &n), 0);
	assert_int_equal(n, 1);
	db_close(db);
}

static void
test_audit_log_is_append_only(void **state)
{
	struct db *db = NULL;
	sqlite3	  *raw = NULL;
	char	   err[256];

	(void)state;
	assert_int_equal(
	    db_open(&db, path, DB_MODE_SERVE, err, sizeof(err)), 0);
	assert_int_equal(db_audit_append(db, 0, 0, "test.event", "x", NULL), 0);
	db_close(db);

	/* The triggers refuse changes even to a direct SQL client. */
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "UPDATE audit_log SET action='x'",
			     NULL, NULL, NULL),
	    SQLITE_CONSTRAINT);
	assert_int_equal(
	    sqlite3_exec(raw, "DELETE FROM audit_log", NULL, NULL, NULL),
	    SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_exec(raw,
			     "SELECT 1 FROM audit_log WHERE "
			     "action = 'test.event'",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(raw);
}

static void
test_backup_then_restore_round_trips(void **state)
{
	struct db *db = NULL;
	char	   err[256];
	int64_t	   n;

	(void)state;
	assert_int_equal(
	    db_open(&db, path, DB_MODE_ADMIN, err, sizeof(err)), 0);
	assert_int_equal(db_backup(db, bak, err, sizeof(err)), 0);
	db_close(db);
	assert_int_equal(db_restore(bak, path2, err, sizeof(err)), 0);
	assert_int_equal(
	    db_open(&db, path2, DB_MODE_SERVE, err, sizeof(err)), 0);
	assert_int_equal(db_user_count(db, &n), 0);
	assert_int_equal(n, 1);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migration_files_are_numbered_from_one),
		cmocka_unit_test(test_migrate_applies_once),
		cmocka_unit_test(test_serve_mode_needs_the_expected_schema),
		cmocka_unit_test(test_constraint_violation_is_reported_as_such),
		cmocka_unit_test(test_audit_log_is_append_only),
		cmocka_unit_test(test_backup_then_restore_round_trips),
	};

	return (cmocka_run_group_tests_name(
	    "store/migrate", tests, setup, teardown));
}
