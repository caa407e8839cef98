/*
 * Dates and deadlines as a cycle's JSON carries them: lines of text, each
 * a date (YYYY-MM-DD) or a deadline (YYYY-MM-DDTHH:MM) in the program's
 * time zone, the last line possibly a zone or a cycle state. A parsed date
 * formats back to itself, stands for an instant between 2000 and 2101,
 * and five of them in order pass the cycle's date check.
 */
#include "core/cycle.h"
#include "core/dates.h"
#include "fuzz.h"

#define LINES_MAX 8

/* 1999-12-31 and 2101-01-02 UTC: the instants of the years accepted,
 * with a day's margin for any zone. */
#define INSTANT_MIN 946598400LL
#define INSTANT_MAX 4134153600LL

static void
one(const char *s, const char *tz, struct local_time *t, int *ok)
{
	struct local_time back;
	char		  text[32];
	int64_t		  at;
	size_t		  len = strlen(s);

	*ok = 0;
	if (dates_parse(s, 0, t) == 0)
		fuzz_assert(len == 16);
	if (dates_parse(s, 1, t) != 0)
		return;
	*ok = 1;
	fuzz_assert(len == 10 || len == 16);
	dates_format(t, text, sizeof(text));
	if (len == 16)
		fuzz_assert(strcmp(text, s) == 0);
	else
		fuzz_assert(strncmp(text, s, 10) == 0 &&
		    strcmp(text + 10, "T00:00") == 0);
	fuzz_assert(dates_parse(text, 0, &back) == 0);
	fuzz_assert(dates_compare(t, &back) == 0);
	if (dates_to_instant(t, tz, &at) == 0)
		fuzz_assert(at >= INSTANT_MIN && at <= INSTANT_MAX);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct local_time t[LINES_MAX];
	enum cycle_state  st;
	enum cycle_date	  bad;
	char		 *s = fuzz_cstr(data, size), *line[LINES_MAX], *p;
	const char	 *tz = "America/New_York";
	int		  ok[LINES_MAX], n = 0, i, all = 1;

	for (p = s; n < LINES_MAX;) {
		line[n++] = p;
		if ((p = strchr(p, '\n')) == NULL)
			break;
		*p++ = '\0';
	}
	if (dates_zone_known(line[n - 1]))
		tz = line[n - 1];
	if (cycle_state_parse(line[n - 1], &st) == 0)
		fuzz_assert(strcmp(cycle_state_name(st), line[n - 1]) == 0);
	for (i = 0; i < n; i++) {
		one(line[i], tz, &t[i], &ok[i]);
		all = all && ok[i];
	}
	if (n >= CYCLE_DATE__MAX && all && cycle_dates_check(t, &bad) == 0) {
		fuzz_assert(dates_compare(&t[0], &t[1]) < 0);
		for (i = 2; i < CYCLE_DATE__MAX; i++)
			fuzz_assert(dates_compare(&t[i - 1], &t[i]) <= 0);
	}
	free(s);
	return (0);
}
