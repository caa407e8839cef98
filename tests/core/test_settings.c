/* Tests for src/core/settings.c: defaults, overrides and refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core/settings.h"

static void
test_defaults(void **state)
{
	struct settings s;
	char		err[128];

	(void)state;
	assert_int_equal(
	    settings_parse(&s, NULL, NULL, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(s.port, 8888);
	assert_string_equal(s.data_dir, "data");
	assert_int_equal(s.demo, 0);
	assert_string_equal(s.sendmail, "/usr/sbin/sendmail -t -i");
}

static void
test_overrides(void **state)
{
	struct settings s;
	char		err[128], path[256];

	(void)state;
	assert_int_equal(settings_parse(&s, "9000", "/srv/x///", "1",
			     "/bin/true", err, sizeof(err)),
	    0);
	assert_int_equal(s.port, 9000);
	assert_string_equal(s.data_dir, "/srv/x");
	assert_int_equal(s.demo, 1);
	assert_string_equal(s.sendmail, "/bin/true");
	assert_int_equal(
	    settings_path(&s, SETTINGS_DB_NAME, path, sizeof(path)), 0);
	assert_string_equal(path, "/srv/x/fellowship.db");
	assert_int_equal(settings_path(&s, SETTINGS_DB_NAME, path, 8), -1);
}

static void
test_refusals_explain_themselves(void **state)
{
	struct settings s;
	char		err[128];
	const char     *bad_ports[] = { "0", "65536", "-1", "+5", "80x", "" };
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad_ports) / sizeof(bad_ports[0]); i++) {
		err[0] = '\0';
		if (*bad_ports[i] == '\0')
			continue; /* empty means unset */
		assert_int_equal(settings_parse(&s, bad_ports[i], NULL, NULL,
				     NULL, err, sizeof(err)),
		    -1);
		assert_non_null(strstr(err, "PORT"));
	}
	assert_int_equal(
	    settings_parse(&s, NULL, NULL, "yes", NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "DEMO"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_refusals_explain_themselves),
	};

	return (
	    cmocka_run_group_tests_name("core/settings", tests, NULL, NULL));
}
