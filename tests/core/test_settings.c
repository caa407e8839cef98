/* Tests for src/core/settings.c: defaults, overrides and refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core/settings.h"

/* A fake environment: NULL-terminated pairs. */
static const char *const *fake;

static const char *
get(const char *name)
{
	size_t i;

	for (i = 0; fake[i] != NULL; i += 2) {
		if (strcmp(fake[i], name) == 0)
			return (fake[i + 1]);
	}
	return (NULL);
}

static int
parse(struct settings *s, const char *const *vars, char *err, size_t len)
{
	fake = vars;
	return (settings_parse(s, get, err, len));
}

static void
test_defaults(void **state)
{
	static const char *const none[] = { NULL };
	struct settings		 s;
	char			 err[128];

	(void)state;
	assert_int_equal(parse(&s, none, err, sizeof(err)), 0);
	assert_int_equal(s.port, 8888);
	assert_string_equal(s.data_dir, "data");
	assert_false(s.data_dir_given);
	assert_int_equal(s.demo, 0);
	assert_string_equal(s.sendmail, "/usr/sbin/sendmail -t -i");
	assert_false(settings_mail_held(&s));
	assert_string_equal(s.public_url, "http://127.0.0.1:8888");
	assert_int_equal(s.document_max, 10L * 1024 * 1024);
	assert_string_equal(s.database_url, "");
}

/* DATABASE_URL: the database is PostgreSQL's, not DATA_DIR's file. */
static void
test_database_url(void **state)
{
	static const char *const file[] = { "DATA_DIR", "/srv/x", NULL };
	static const char *const pg[] = { "DATA_DIR", "/srv/x", "DATABASE_URL",
		"postgresql://fellow@db.example.org/fellowship", NULL };
	struct settings		 s;
	char			 err[128], out[256];

	(void)state;
	assert_int_equal(parse(&s, file, err, sizeof(err)), 0);
	assert_int_equal(settings_database(&s, out, sizeof(out)), 0);
	assert_string_equal(out, "/srv/x/fellowship.db");
	assert_int_equal(parse(&s, pg, err, sizeof(err)), 0);
	assert_int_equal(settings_database(&s, out, sizeof(out)), 0);
	assert_string_equal(
	    out, "postgresql://fellow@db.example.org/fellowship");
	assert_int_equal(settings_database(&s, out, 16), -1);
}

/* Held mail is shown only in demo mode: anywhere else it is refused. */
static void
test_held_mail_only_in_demo_mode(void **state)
{
	static const char *const held[] = { "SENDMAIL", "none", NULL };
	struct settings		 s;
	char			 err[256];

	(void)state;
	assert_int_equal(parse(&s, held, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "DEMO=1"));
}

static void
test_overrides(void **state)
{
	static const char *const vars[] = { "PORT", "9000", "DATA_DIR",
		"/srv/x///", "DEMO", "1", "SENDMAIL", "none", "PUBLIC_URL",
		"https://fellowship.example.org/", "MAIL_FROM",
		"fellowship@example.org", NULL };
	struct settings		 s;
	char			 err[128], path[256];

	(void)state;
	assert_int_equal(parse(&s, vars, err, sizeof(err)), 0);
	assert_int_equal(s.port, 9000);
	assert_string_equal(s.data_dir, "/srv/x");
	assert_true(s.data_dir_given);
	assert_int_equal(s.demo, 1);
	assert_true(settings_mail_held(&s));
	assert_string_equal(s.public_url, "https://fellowship.example.org");
	assert_string_equal(s.mail_from, "fellowship@example.org");
	assert_int_equal(
	    settings_path(&s, SETTINGS_DB_NAME, path, sizeof(path)), 0);
	assert_string_equal(path, "/srv/x/fellowship.db");
	assert_int_equal(settings_path(&s, SETTINGS_DB_NAME, path, 8), -1);
}

static void
test_refusals_explain_themselves(void **state)
{
	static const char *const bad[][3] = {
		{ "PORT", "0", "PORT" },
		{ "PORT", "65536", "PORT" },
		{ "PORT", "-1", "PORT" },
		{ "PORT", "+5", "PORT" },
		{ "PORT", "80x", "PORT" },
		{ "DEMO", "yes", "DEMO" },
		{ "PUBLIC_URL", "ftp://x", "PUBLIC_URL" },
		{ "PUBLIC_URL", "http://x/\"><script>", "PUBLIC_URL" },
		/* Found by fuzz/settings.c: no host, which trimming the
		 * slashes turned into "https:". */
		{ "PUBLIC_URL", "https://", "PUBLIC_URL" },
		{ "PUBLIC_URL", "http:///path", "PUBLIC_URL" },
		{ "MAIL_FROM", "nobody", "MAIL_FROM" },
		{ "DOCUMENT_MAX_MB", "0", "DOCUMENT_MAX_MB" },
		{ "DOCUMENT_MAX_MB", "11", "DOCUMENT_MAX_MB" },
		{ "DOCUMENT_MAX_MB", "5x", "DOCUMENT_MAX_MB" },
		{ "DATABASE_URL", "/var/lib/x.db", "DATABASE_URL" },
		{ "DATABASE_URL", "mysql://x/y", "DATABASE_URL" },
	};
	struct settings s;
	char		err[128];
	const char     *vars[3];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vars[0] = bad[i][0];
		vars[1] = bad[i][1];
		vars[2] = NULL;
		err[0] = '\0';
		assert_int_equal(parse(&s, vars, err, sizeof(err)), -1);
		assert_non_null(strstr(err, bad[i][2]));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_database_url),
		cmocka_unit_test(test_held_mail_only_in_demo_mode),
		cmocka_unit_test(test_refusals_explain_themselves),
	};

	return (
	    cmocka_run_group_tests_name("core/settings", tests, NULL, NULL));
}
