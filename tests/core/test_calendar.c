/*
 * Tests for src/core/calendar.c: the iCalendar text of an interview —
 * CRLF line ends, folding at 75 octets that never splits a UTF-8
 * character, escaped text and quoted parameters, times in UTC or in the
 * zone with its VTIMEZONE, the methods, refused values — and the zone
 * descriptions read from the tz database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/calendar.h"

/* 2027-01-20T14:00:00Z and an hour later; written 2026-12-06T15:00Z. */
#define START ((int64_t)1800453600)
#define END   (START + 3600)
#define STAMP ((int64_t)1796569200)

static struct cal_event
event(enum cal_method m, const struct cal_zone *z)
{
	struct cal_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.method = m;
	ev.uid = "interview-42@fellowship.example.org";
	ev.sequence = 3;
	ev.stamp = STAMP;
	ev.start = START;
	ev.end = END;
	ev.summary = "Interview: Sarcoma Fellowship 2027";
	ev.location = "Clinic B";
	ev.description = "Your interview.";
	ev.organizer = "noreply@example.org";
	ev.organizer_name = "Fellowship selection";
	ev.attendee = "ada@example.org";
	ev.attendee_name = "Ada Lovelace";
	ev.zone = z;
	return (ev);
}

/* New York over the winter of 2026-27, written by hand: EST from
 * 2026-11-01T06:00Z, EDT from 2027-03-14T07:00Z. */
static struct cal_zone
new_york(void)
{
	struct cal_zone z;

	memset(&z, 0, sizeof(z));
	(void)snprintf(z.tzid, sizeof(z.tzid), "America/New_York");
	z.n = 2;
	z.obs[0].onset = 1793512800;
	z.obs[0].from = -4 * 3600;
	z.obs[0].to = -5 * 3600;
	(void)snprintf(z.obs[0].name, sizeof(z.obs[0].name), "EST");
	z.obs[1].onset = 1805007600;
	z.obs[1].from = -5 * 3600;
	z.obs[1].to = -4 * 3600;
	z.obs[1].dst = 1;
	(void)snprintf(z.obs[1].name, sizeof(z.obs[1].name), "EDT");
	return (z);
}

/* Whether every line of text ends with CRLF, is at most 75 octets, and
 * is whole UTF-8 (no character split by a fold). */
static void
assert_lines_well_formed(const char *text)
{
	const char *p = text, *eol;
	size_t	    n, i;

	assert_true(strlen(text) > 2);
	while (*p != '\0') {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		n = (size_t)(eol - p);
		assert_true(n >= 1 && n <= 75);
		assert_null(memchr(p, '\r', n));
		assert_null(memchr(p, '\n', n));
		/* A line neither begins nor ends inside a character. */
		assert_true(
		    ((unsigned char)p[p[0] == ' ' ? 1 : 0] & 0xc0) != 0x80);
		for (i = n; i > 0; i--) {
			unsigned char c = (unsigned char)p[i - 1];

			if ((c & 0xc0) == 0x80)
				continue;
			/* The last lead octet announces as many octets as
			 * follow it on the line. */
			if (c >= 0xf0)
				assert_int_equal(n - i, 3);
			else if (c >= 0xe0)
				assert_int_equal(n - i, 2);
			else if (c >= 0xc0)
				assert_int_equal(n - i, 1);
			break;
		}
		p = eol + 2;
	}
}

/* The text unfolded (RFC 5545 §3.1), with LF line ends; free() it. */
static char *
unfold(const char *text)
{
	char	   *out = malloc(strlen(text) + 1), *q = out;
	const char *p = text;

	assert_non_null(out);
	while (*p != '\0') {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 3;
			continue;
		}
		if (p[0] == '\r' && p[1] == '\n') {
			*q++ = '\n';
			p += 2;
			continue;
		}
		*q++ = *p++;
	}
	*q = '\0';
	return (out);
}

/* Whether the unfolded text has the line line (whole). */
static int
has_line(const char *unfolded, const char *line)
{
	size_t	    n = strlen(line);
	const char *p = unfolded;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == unfolded || p[-1] == '\n') && p[n] == '\n')
			return (1);
		p += n;
	}
	return (0);
}

static void
test_utc_event_exactly(void **state)
{
	struct cal_event ev = event(CAL_REQUEST, NULL);
	char		*text;

	(void)state;
	text = cal_event_text(&ev);
	assert_non_null(text);
	assert_string_equal(text,
	    "BEGIN:VCALENDAR\r\n"
	    "VERSION:2.0\r\n"
	    "PRODID:-//Fellowship selection//Interviews//EN\r\n"
	    "CALSCALE:GREGORIAN\r\n"
	    "METHOD:REQUEST\r\n"
	    "BEGIN:VEVENT\r\n"
	    "UID:interview-42@fellowship.example.org\r\n"
	    "SEQUENCE:3\r\n"
	    "DTSTAMP:20261206T150000Z\r\n"
	    "DTSTART:20270120T140000Z\r\n"
	    "DTEND:20270120T150000Z\r\n"
	    "SUMMARY:Interview: Sarcoma Fellowship 2027\r\n"
	    "LOCATION:Clinic B\r\n"
	    "DESCRIPTION:Your interview.\r\n"
	    "ORGANIZER;CN=\"Fellowship "
	    "selection\":mailto:noreply@example.org\r\n"
	    "ATTENDEE;CN=\"Ada "
	    "Lovelace\";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;"
	    "RSVP=FALS\r\n"
	    " E:mailto:ada@example.org\r\n"
	    "STATUS:CONFIRMED\r\n"
	    "TRANSP:OPAQUE\r\n"
	    "END:VEVENT\r\n"
	    "END:VCALENDAR\r\n");
	assert_lines_well_formed(text);
	free(text);
}

static void
test_long_lines_fold_at_75_octets(void **state)
{
	struct cal_event ev = event(CAL_REQUEST, NULL);
	char		 desc[400], *text, *flat;
	size_t		 i;

	(void)state;
	for (i = 0; i < 300; i++)
		desc[i] = (char)('a' + i % 26);
	desc[300] = '\0';
	ev.description = desc;
	text = cal_event_text(&ev);
	assert_non_null(text);
	assert_lines_well_formed(text);
	/* The description's line: 75 octets, then 74 after each space. */
	assert_non_null(strstr(text,
	    "\r\nDESCRIPTION:abcdefghijklmnopqrstuvwxyz"
	    "abcdefghijklmnopqrstuvwxyzabcdefghijk\r\n "
	    "lmnopqrstuvwxyz"));
	flat = unfold(text);
	assert_true(strlen("DESCRIPTION:") + 300 > 75);
	{
		char want[420];

		(void)snprintf(want, sizeof(want), "DESCRIPTION:%s", desc);
		assert_true(has_line(flat, want));
	}
	free(flat);
	free(text);
}

static void
test_folding_never_splits_a_utf8_character(void **state)
{
	/* Two-, three- and four-octet characters at every offset. */
	static const char *const units[] = { "\xc3\xab", "\xe2\x82\xac",
		"\xf0\x9f\x8e\x93", "a\xc3\xab", "ab\xe2\x82\xac" };
	struct cal_event	 ev = event(CAL_REQUEST, NULL);
	char			 name[600], *text, *flat, want[700];
	size_t			 u, k, n;

	(void)state;
	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		for (k = 0; k < 4; k++) {
			n = 0;
			memset(name, 'x', k);
			n = k;
			while (n + strlen(units[u]) < 300) {
				memcpy(name + n, units[u], strlen(units[u]));
				n += strlen(units[u]);
			}
			name[n] = '\0';
			ev.summary = name;
			ev.location = name;
			ev.attendee_name = name;
			text = cal_event_text(&ev);
			assert_non_null(text);
			assert_lines_well_formed(text);
			flat = unfold(text);
			(void)snprintf(want, sizeof(want), "SUMMARY:%s", name);
			assert_true(has_line(flat, want));
			free(flat);
			free(text);
		}
	}
}

static void
test_text_values_are_escaped(void **state)
{
	struct cal_event ev = event(CAL_REQUEST, NULL);
	char		*text, *flat;

	(void)state;
	ev.summary = "Interview; panel, day\\1";
	ev.location = "Room 4\nSecond floor\r, east";
	ev.description = "Bell\a and tab\there";
	ev.attendee_name = "Ada \"Countess\" Lovelace ^_^\nLondon";
	text = cal_event_text(&ev);
	assert_non_null(text);
	assert_lines_well_formed(text);
	flat = unfold(text);
	assert_true(has_line(flat, "SUMMARY:Interview\\; panel\\, day\\\\1"));
	assert_true(has_line(flat, "LOCATION:Room 4\\nSecond floor\\, east"));
	assert_true(has_line(flat, "DESCRIPTION:Bell and tab\there"));
	assert_non_null(strstr(flat,
	    "ATTENDEE;CN=\"Ada ^'Countess^' Lovelace ^^_^^^nLondon\";ROLE="));
	free(flat);
	free(text);
}

static void
test_times_in_the_zone_with_its_vtimezone(void **state)
{
	struct cal_zone	 z = new_york();
	struct cal_event ev = event(CAL_REQUEST, &z);
	char		*text, *flat;

	(void)state;
	text = cal_event_text(&ev);
	assert_non_null(text);
	assert_lines_well_formed(text);
	flat = unfold(text);
	assert_non_null(strstr(flat,
	    "METHOD:REQUEST\n"
	    "BEGIN:VTIMEZONE\n"
	    "TZID:America/New_York\n"
	    "BEGIN:STANDARD\n"
	    "DTSTART:20261101T020000\n"
	    "TZOFFSETFROM:-0400\n"
	    "TZOFFSETTO:-0500\n"
	    "TZNAME:EST\n"
	    "END:STANDARD\n"
	    "BEGIN:DAYLIGHT\n"
	    "DTSTART:20270314T020000\n"
	    "TZOFFSETFROM:-0500\n"
	    "TZOFFSETTO:-0400\n"
	    "TZNAME:EDT\n"
	    "END:DAYLIGHT\n"
	    "END:VTIMEZONE\n"
	    "BEGIN:VEVENT\n"));
	assert_true(
	    has_line(flat, "DTSTART;TZID=America/New_York:20270120T090000"));
	assert_true(
	    has_line(flat, "DTEND;TZID=America/New_York:20270120T100000"));
	/* DTSTAMP is always UTC. */
	assert_true(has_line(flat, "DTSTAMP:20261206T150000Z"));
	free(flat);
	free(text);
	/* In July the daylight offset applies. */
	ev.start = 1815656400; /* 2027-07-15T13:00Z */
	ev.end = ev.start + 1800;
	text = cal_event_text(&ev);
	flat = unfold(text);
	assert_true(
	    has_line(flat, "DTSTART;TZID=America/New_York:20270715T090000"));
	assert_true(
	    has_line(flat, "DTEND;TZID=America/New_York:20270715T093000"));
	free(flat);
	free(text);
}

static void
test_a_zone_since_ever_and_offsets_with_seconds(void **state)
{
	struct cal_zone	 z;
	struct cal_event ev;
	char		*text, *flat;

	(void)state;
	memset(&z, 0, sizeof(z));
	(void)snprintf(z.tzid, sizeof(z.tzid), "America/Phoenix");
	z.n = 1;
	z.obs[0].onset = CAL_SINCE_EVER;
	z.obs[0].from = z.obs[0].to = -7 * 3600;
	(void)snprintf(z.obs[0].name, sizeof(z.obs[0].name), "MST");
	ev = event(CAL_REQUEST, &z);
	text = cal_event_text(&ev);
	assert_non_null(text);
	flat = unfold(text);
	assert_non_null(strstr(flat,
	    "BEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:-0700\n"
	    "TZOFFSETTO:-0700\nTZNAME:MST\nEND:STANDARD\n"));
	assert_true(
	    has_line(flat, "DTSTART;TZID=America/Phoenix:20270120T070000"));
	free(flat);
	free(text);
	/* An offset with seconds is written with them (§3.3.14). */
	z.obs[0].from = z.obs[0].to = -(4 * 3600 + 56 * 60 + 2);
	text = cal_event_text(&ev);
	flat = unfold(text);
	assert_true(has_line(flat, "TZOFFSETTO:-045602"));
	free(flat);
	free(text);
}

static void
test_methods(void **state)
{
	struct cal_event ev = event(CAL_CANCEL, NULL);
	char		*text, *flat;

	(void)state;
	text = cal_event_text(&ev);
	flat = unfold(text);
	assert_true(has_line(flat, "METHOD:CANCEL"));
	assert_true(has_line(flat, "STATUS:CANCELLED"));
	assert_non_null(strstr(flat, "\nATTENDEE;"));
	free(flat);
	free(text);
	/* A file to import names no attendee (RFC 5546 PUBLISH). */
	ev = event(CAL_PUBLISH, NULL);
	ev.attendee = NULL;
	text = cal_event_text(&ev);
	assert_non_null(text);
	flat = unfold(text);
	assert_true(has_line(flat, "METHOD:PUBLISH"));
	assert_true(has_line(flat, "STATUS:CONFIRMED"));
	assert_null(strstr(flat, "ATTENDEE"));
	assert_non_null(strstr(flat, "\nORGANIZER;"));
	free(flat);
	free(text);
	assert_string_equal(cal_method_name(CAL_REQUEST), "REQUEST");
	assert_null(cal_method_name(CAL__MAX));
}

static void
test_unsafe_values_are_refused(void **state)
{
	struct cal_zone	 z = new_york();
	struct cal_event ev;

	(void)state;
	ev = event(CAL_REQUEST, NULL);
	ev.uid = "x@example.org\r\nATTENDEE:mailto:evil@example.org";
	assert_null(cal_event_text(&ev));
	ev = event(CAL_REQUEST, NULL);
	ev.uid = "";
	assert_null(cal_event_text(&ev));
	ev = event(CAL_REQUEST, NULL);
	ev.attendee = "ada@example.org\nX-EVIL:1";
	assert_null(cal_event_text(&ev));
	ev = event(CAL_REQUEST, NULL);
	ev.attendee = NULL;
	assert_null(cal_event_text(&ev));
	ev = event(CAL_REQUEST, NULL);
	ev.organizer = "no reply@example.org";
	assert_null(cal_event_text(&ev));
	ev = event(CAL_REQUEST, NULL);
	ev.end = ev.start;
	assert_null(cal_event_text(&ev));
	ev = event(CAL_REQUEST, NULL);
	ev.sequence = -1;
	assert_null(cal_event_text(&ev));
	ev = event((enum cal_method)CAL__MAX, NULL);
	assert_null(cal_event_text(&ev));
	(void)snprintf(z.tzid, sizeof(z.tzid), "New York:X");
	ev = event(CAL_REQUEST, &z);
	assert_null(cal_event_text(&ev));
	z = new_york();
	z.n = 0;
	assert_null(cal_event_text(&ev));
	/* Observances out of order. */
	z = new_york();
	z.obs[1].onset = z.obs[0].onset;
	assert_null(cal_event_text(&ev));
}

static void
test_zones_from_the_tz_database(void **state)
{
	struct cal_zone z;

	(void)state;
	/* New York in January 2027: EST since 2026-11-01T06:00Z, EDT from
	 * 2027-03-14T07:00Z, EST again from 2027-11-07T06:00Z ... */
	assert_int_equal(cal_zone_load("America/New_York", START, END, &z), 0);
	assert_string_equal(z.tzid, "America/New_York");
	assert_true(z.n >= 3);
	assert_int_equal(z.obs[0].onset, 1793512800);
	assert_int_equal(z.obs[0].from, -4 * 3600);
	assert_int_equal(z.obs[0].to, -5 * 3600);
	assert_int_equal(z.obs[0].dst, 0);
	assert_string_equal(z.obs[0].name, "EST");
	assert_int_equal(z.obs[1].onset, 1805007600);
	assert_int_equal(z.obs[1].to, -4 * 3600);
	assert_int_equal(z.obs[1].dst, 1);
	assert_string_equal(z.obs[1].name, "EDT");
	assert_int_equal(z.obs[2].onset, 1825567200);
	assert_int_equal(cal_offset(&z, START), -5 * 3600);
	assert_int_equal(cal_offset(&z, 1815656400), -4 * 3600);
	/* In July: the spring change is the first. */
	assert_int_equal(
	    cal_zone_load("America/New_York", 1815656400, 1815660000, &z), 0);
	assert_int_equal(z.obs[0].onset, 1805007600);
	/* Phoenix keeps one offset: in force since ever. */
	assert_int_equal(cal_zone_load("America/Phoenix", START, END, &z), 0);
	assert_int_equal(z.n, 1);
	assert_true(z.obs[0].onset == CAL_SINCE_EVER);
	assert_int_equal(z.obs[0].to, -7 * 3600);
	assert_string_equal(z.obs[0].name, "MST");
	/* Unknown zones, and an end before the start. */
	assert_int_equal(cal_zone_load("Mars/Olympus", START, END, &z), -1);
	assert_int_equal(cal_zone_load("EST5EDT", START, END, &z), -1);
	assert_int_equal(cal_zone_load("America/New_York", END, START, &z), -1);
	/* The process's zone is UTC again. */
	assert_non_null(getenv("TZ"));
	assert_string_equal(getenv("TZ"), "UTC");
}

static void
test_a_loaded_zone_writes_the_local_time(void **state)
{
	struct cal_zone	 z;
	struct cal_event ev;
	char		*text, *flat, when[128];

	(void)state;
	assert_int_equal(cal_zone_load("America/Chicago", START, END, &z), 0);
	ev = event(CAL_REQUEST, &z);
	text = cal_event_text(&ev);
	assert_non_null(text);
	assert_lines_well_formed(text);
	flat = unfold(text);
	assert_true(
	    has_line(flat, "DTSTART;TZID=America/Chicago:20270120T080000"));
	assert_true(has_line(flat, "TZOFFSETTO:-0600"));
	assert_true(has_line(flat, "TZNAME:CST"));
	free(flat);
	free(text);
	cal_when(&z, START, when, sizeof(when));
	assert_string_equal(
	    when, "Wednesday, 20 January 2027 at 08:00 (America/Chicago)");
	cal_when(NULL, START, when, sizeof(when));
	assert_string_equal(when, "Wednesday, 20 January 2027 at 14:00 (UTC)");
	/* The same words for the slot as typed, on the zone's wall clock;
	 * a leap day's weekday; text that does not parse as it came. */
	cal_when_typed(
	    "2027-01-20", "08:00", "America/Chicago", when, sizeof(when));
	assert_string_equal(
	    when, "Wednesday, 20 January 2027 at 08:00 (America/Chicago)");
	cal_when_typed("2028-02-29", "17:30", "UTC", when, sizeof(when));
	assert_string_equal(when, "Tuesday, 29 February 2028 at 17:30 (UTC)");
	cal_when_typed("someday", "8am", "UTC", when, sizeof(when));
	assert_string_equal(when, "someday 8am (UTC)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utc_event_exactly),
		cmocka_unit_test(test_long_lines_fold_at_75_octets),
		cmocka_unit_test(test_folding_never_splits_a_utf8_character),
		cmocka_unit_test(test_text_values_are_escaped),
		cmocka_unit_test(test_times_in_the_zone_with_its_vtimezone),
		cmocka_unit_test(
		    test_a_zone_since_ever_and_offsets_with_seconds),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_unsafe_values_are_refused),
		cmocka_unit_test(test_zones_from_the_tz_database),
		cmocka_unit_test(test_a_loaded_zone_writes_the_local_time),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
