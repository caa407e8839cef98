/* Tests for src/core/dates.c: strict parsing, ordering, zones and DST. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/dates.h"

static void
test_parse_accepts_dates_and_date_times(void **state)
{
	struct local_time t;
	char		  buf[20];

	(void)state;
	assert_int_equal(dates_parse("2027-01-15T17:05", 0, &t), 0);
	assert_int_equal(t.year, 2027);
	assert_int_equal(t.hour, 17);
	assert_int_equal(t.min, 5);
	assert_int_equal(dates_parse("2028-02-29", 1, &t), 0);
	dates_format(&t, buf, sizeof(buf));
	assert_string_equal(buf, "2028-02-29T00:00");
}

static void
test_parse_refuses_anything_else(void **state)
{
	static const char *const bad[] = { "", "2027-1-15", "2027-01-15 17:00",
		"2027-02-29", "2100-02-29", "2027-13-01", "2027-00-10",
		"2027-04-31", "2027-01-15T24:00", "2027-01-15T12:60",
		"1999-12-31", "2101-01-01", "２０２７-01-01",
		"2027-01-15T17:00Z", "+027-01-15" };
	struct local_time	 t;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dates_parse(bad[i], 1, &t) != -1)
			fail_msg("accepted: %s", bad[i]);
	}
	/* A bare date where a time is required. */
	assert_int_equal(dates_parse("2027-01-15", 0, &t), -1);
	/* 2000 was a leap year. */
	assert_int_equal(dates_parse("2000-02-29", 1, &t), 0);
}

static void
test_compare_orders_by_every_part(void **state)
{
	struct local_time a, b;

	(void)state;
	(void)dates_parse("2027-01-15T17:00", 0, &a);
	(void)dates_parse("2027-01-15T17:01", 0, &b);
	assert_true(dates_compare(&a, &b) < 0);
	assert_true(dates_compare(&b, &a) > 0);
	assert_int_equal(dates_compare(&a, &a), 0);
}

static void
test_instants_follow_the_zone_and_daylight_saving(void **state)
{
	struct local_time t;
	int64_t		  v, w;

	(void)state;
	/* Noon EDT (UTC-4) and EST (UTC-5). */
	(void)dates_parse("2026-07-01T12:00", 0, &t);
	assert_int_equal(dates_to_instant(&t, "America/New_York", &v), 0);
	assert_int_equal(v, 1782921600);
	(void)dates_parse("2026-12-01T12:00", 0, &t);
	assert_int_equal(dates_to_instant(&t, "America/New_York", &v), 0);
	assert_int_equal(v, 1796144400);
	/* Phoenix keeps standard time all year. */
	(void)dates_parse("2026-07-01T12:00", 0, &t);
	assert_int_equal(dates_to_instant(&t, "America/Phoenix", &w), 0);
	assert_int_equal(w - 1782921600, 3 * 3600);
	assert_int_equal(dates_to_instant(&t, "Mars/Olympus", &v), -1);
	assert_int_equal(dates_to_instant(&t, "../../etc/passwd", &v), -1);
}

static void
test_utc_times_read_as_sqlite_writes_them(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(dates_utc_parse("2000-01-01T00:00:00Z", &v), 0);
	assert_int_equal(v, 946684800);
	/* The tests' clock, a leap day and a year's last second. */
	assert_int_equal(dates_utc_parse("2026-12-06T15:00:00Z", &v), 0);
	assert_int_equal(v, 1796569200);
	assert_int_equal(dates_utc_parse("2028-02-29T12:30:15Z", &v), 0);
	assert_int_equal(v, 1835440215);
	assert_int_equal(dates_utc_parse("2099-12-31T23:59:59Z", &v), 0);
	assert_int_equal(v, 4102444799);
	assert_int_equal(dates_utc_parse("2026-12-06T15:00:00", &v), -1);
	assert_int_equal(dates_utc_parse("2026-12-06T15:00Z", &v), -1);
	assert_int_equal(dates_utc_parse("2027-02-29T00:00:00Z", &v), -1);
	assert_int_equal(dates_utc_parse("2026-12-06T15:00:60Z", &v), -1);
	assert_int_equal(dates_utc_parse("2026-12-06 15:00:00Z", &v), -1);
	assert_int_equal(dates_utc_parse("", &v), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accepts_dates_and_date_times),
		cmocka_unit_test(test_parse_refuses_anything_else),
		cmocka_unit_test(test_compare_orders_by_every_part),
		cmocka_unit_test(
		    test_instants_follow_the_zone_and_daylight_saving),
		cmocka_unit_test(test_utc_times_read_as_sqlite_writes_them),
	};

	return (cmocka_run_group_tests_name("core/dates", tests, NULL, NULL));
}
