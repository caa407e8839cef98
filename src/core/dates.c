/*
 * Strict date parsing and zone conversion. mktime() with tm_isdst = -1
 * resolves a wall-clock time through the zone's rules, daylight saving
 * included; a time that falls in the spring-forward gap moves forward.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"

const char *const dates_zones[] = {
	"America/New_York",
	"America/Chicago",
	"America/Denver",
	"America/Phoenix",
	"America/Los_Angeles",
	"America/Anchorage",
	"Pacific/Honolulu",
	"America/Puerto_Rico",
	"America/Toronto",
	"America/Vancouver",
	"America/Halifax",
	"America/Edmonton",
	"America/Winnipeg",
	"UTC",
	NULL,
};

int
dates_zone_known(const char *tz)
{
	size_t i;

	for (i = 0; dates_zones[i] != NULL; i++) {
		if (strcmp(tz, dates_zones[i]) == 0)
			return (1);
	}
	return (0);
}

static int
digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return (0);
}

static int
days_in_month(int year, int mon)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int		 leap;

	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return (mon == 2 && leap ? 29 : days[mon - 1]);
}

int
dates_parse(const char *s, int date_only_ok, struct local_time *t)
{
	size_t len = strlen(s);

	memset(t, 0, sizeof(*t));
	if (len != 10 && len != 16)
		return (-1);
	if (len == 10 && !date_only_ok)
		return (-1);
	if (digits(s, 4, &t->year) || s[4] != '-' ||
	    digits(s + 5, 2, &t->mon) || s[7] != '-' ||
	    digits(s + 8, 2, &t->day))
		return (-1);
	if (len == 16 &&
	    (s[10] != 'T' || digits(s + 11, 2, &t->hour) || s[13] != ':' ||
		digits(s + 14, 2, &t->min)))
		return (-1);
	if (t->year < 2000 || t->year > 2100 || t->mon < 1 || t->mon > 12 ||
	    t->day < 1 || t->day > days_in_month(t->year, t->mon) ||
	    t->hour > 23 || t->min > 59)
		return (-1);
	return (0);
}

void
dates_format(const struct local_time *t, char *out, size_t len)
{
	(void)snprintf(out, len, "%04d-%02d-%02dT%02d:%02d", t->year, t->mon,
	    t->day, t->hour, t->min);
}

int
dates_compare(const struct local_time *a, const struct local_time *b)
{
	const int x[] = { a->year, a->mon, a->day, a->hour, a->min };
	const int y[] = { b->year, b->mon, b->day, b->hour, b->min };
	size_t	  i;

	for (i = 0; i < sizeof(x) / sizeof(x[0]); i++) {
		if (x[i] != y[i])
			return (x[i] < y[i] ? -1 : 1);
	}
	return (0);
}

int
dates_to_instant(const struct local_time *t, const char *tz, int64_t *out)
{
	struct tm tm;
	time_t	  v;

	if (!dates_zone_known(tz))
		return (-1);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = t->year - 1900;
	tm.tm_mon = t->mon - 1;
	tm.tm_mday = t->day;
	tm.tm_hour = t->hour;
	tm.tm_min = t->min;
	tm.tm_isdst = -1;
	if (setenv("TZ", tz, 1) != 0)
		return (-1);
	tzset();
	v = mktime(&tm);
	(void)setenv("TZ", "UTC", 1);
	tzset();
	if (v == (time_t)-1)
		return (-1);
	*out = (int64_t)v;
	return (0);
}

/* Days from 1970-01-01 to year-mon-day (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

int
dates_utc_parse(const char *s, int64_t *out)
{
	struct local_time t;
	char		  head[17];
	int		  sec;

	if (strlen(s) != 20 || s[16] != ':' || s[19] != 'Z' ||
	    digits(s + 17, 2, &sec) != 0 || sec > 59)
		return (-1);
	memcpy(head, s, 16);
	head[16] = '\0';
	if (dates_parse(head, 0, &t) != 0)
		return (-1);
	*out = days_from_civil(t.year, t.mon, t.day) * 86400 +
	    (int64_t)t.hour * 3600 + (int64_t)t.min * 60 + sec;
	return (0);
}
