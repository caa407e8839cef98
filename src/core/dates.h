/*
 * Dates and deadlines. A cycle's deadlines are typed as wall-clock times
 * in the program's time zone ("2026-12-01T17:00") and enforced as Unix
 * instants. The supported zones are those of the programs the matches
 * serve (US and Canada), each backed by the system's tz database.
 */
#ifndef FELLOW_CORE_DATES_H
#define FELLOW_CORE_DATES_H

#include <stddef.h>
#include <stdint.h>

struct local_time {
	int year, mon, day; /* mon 1..12 */
	int hour, min;
};

/* The supported time zones, NULL-terminated. */
extern const char *const dates_zones[];

/* Returns 1 when tz is one of dates_zones. */
int dates_zone_known(const char *tz);

/*
 * Parses "YYYY-MM-DDTHH:MM", or "YYYY-MM-DD" (00:00) when date_only_ok,
 * checking the calendar (leap years included). Returns 0 or -1.
 */
int dates_parse(const char *s, int date_only_ok, struct local_time *out);

/* Writes "YYYY-MM-DDTHH:MM" into out (17 bytes at least). */
void dates_format(const struct local_time *, char *out, size_t len);

/* Returns <0, 0, >0 as a is before, equal to or after b. */
int dates_compare(const struct local_time *a, const struct local_time *b);

/*
 * Converts a wall-clock time in zone tz to a Unix instant. Sets the TZ
 * environment variable for the call: use from one thread only (the worker's
 * event loop, fellowctl). Returns 0, or -1 for an unknown zone.
 */
int dates_to_instant(const struct local_time *, const char *tz, int64_t *out);

/*
 * Parses a UTC time as SQLite's timestamps write it, "YYYY-MM-DDTHH:MM:SSZ",
 * into a Unix instant, without the time zone machinery (any thread may
 * call it). Returns 0, or -1 when s is not such a time (or, as
 * dates_parse(), outside the years 2000 to 2100).
 */
int dates_utc_parse(const char *s, int64_t *out);

#endif
