/*
 * Calendar invitations: the iCalendar text (RFC 5545, with the methods of
 * iTIP, RFC 5546) of one event, an interview slot, for the text/calendar
 * part of a mail (METHOD:REQUEST for a booking or a move, METHOD:CANCEL
 * for a cancellation) or for a download (METHOD:PUBLISH).
 *
 * cal_event_text() is pure: it writes what it is given, with CRLF line
 * ends, lines folded at 75 octets (never inside a UTF-8 character) and
 * text values escaped. Times are written in the event's zone with the
 * zone's VTIMEZONE, or in UTC when it has none. The zone's offsets around
 * the event come from cal_zone_load(), which reads the system's tz
 * database as core/dates.c does.
 */
#ifndef FELLOW_CORE_CALENDAR_H
#define FELLOW_CORE_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

/* The most offset changes a zone description holds. */
#define CAL_OBSERVANCES_MAX 8

enum cal_method {
	CAL_PUBLISH, /* a file to import: no attendee */
	CAL_REQUEST, /* a booking or a change to it */
	CAL_CANCEL,  /* the booking is cancelled */
	CAL__MAX
};

/*
 * One observance of a zone: from onset (a UTC instant) on, the offset
 * from UTC is to seconds (east positive); before it, from. The first
 * observance of a zone may have onset CAL_SINCE_EVER: it has been in
 * force as long as the description needs (written as starting in 1970).
 */
#define CAL_SINCE_EVER INT64_MIN
struct cal_observance {
	int64_t onset;
	int	from, to;
	int	dst; /* 1: daylight saving time (DAYLIGHT), else STANDARD */
	char	name[16]; /* TZNAME, "" for none */
};

/*
 * A time zone as the calendar describes it: its name (TZID) and the
 * observances in force over the event, by onset, the first in force at
 * the event's start.
 */
struct cal_zone {
	char		      tzid[64];
	size_t		      n;
	struct cal_observance obs[CAL_OBSERVANCES_MAX];
};

struct cal_event {
	enum cal_method	       method;
	const char	      *uid;	 /* stable for the booking's life */
	int64_t		       sequence; /* grows with every change mailed */
	int64_t		       stamp;	 /* DTSTAMP: when it was written */
	int64_t		       start, end;
	const char	      *summary;
	const char	      *location;    /* NULL or "": none */
	const char	      *description; /* NULL or "": none */
	const char	      *organizer;   /* an e-mail address */
	const char	      *organizer_name;
	const char	      *attendee; /* an e-mail address; not in PUBLISH */
	const char	      *attendee_name;
	const struct cal_zone *zone; /* NULL: times in UTC */
};

/* "PUBLISH", "REQUEST" or "CANCEL"; NULL for another value. */
const char *cal_method_name(enum cal_method);

/*
 * Returns the iCalendar text of ev (a VCALENDAR with its VTIMEZONE when
 * ev->zone is set, and one VEVENT), which the caller frees with free().
 * NULL when out of memory, or when a value cannot be written safely: a
 * control character in the UID or an address, a zone name outside
 * [A-Za-z0-9/_+-], a zone without observances, or an end before the
 * start.
 */
char *cal_event_text(const struct cal_event *ev);

/* The offset from UTC, in seconds, of zone z at instant t. */
int cal_offset(const struct cal_zone *z, int64_t t);

/*
 * Describes the time zone tz (a name of the tz database) over [start,
 * end]: the observance in force at start (the last change within a year
 * before it, else one in force since ever) and every change of offset
 * until a year after end. Sets the TZ environment variable for the call,
 * as dates_to_instant() does: one thread only. Returns 0, or -1 for a zone
 * the system does not know or more changes than CAL_OBSERVANCES_MAX.
 */
int cal_zone_load(
    const char *tz, int64_t start, int64_t end, struct cal_zone *);

/*
 * Writes "Friday, 15 January 2027 at 09:00 (America/New_York)": instant
 * at in zone z (UTC when z is NULL), as mails say it.
 */
void cal_when(const struct cal_zone *z, int64_t at, char *out, size_t len);

/*
 * The same words for a time as typed: day "2027-01-15" and hhmm "09:00"
 * on the wall clock of time zone tz (the name is written as given).
 * Text that does not parse is written as it came.
 */
void cal_when_typed(
    const char *day, const char *hhmm, const char *tz, char *out, size_t len);

#endif
