/*
 * The iCalendar text of an interview (core/calendar.h). Each content line
 * is assembled whole, then folded as RFC 5545 §3.1 says: at most 75
 * octets a line, each continuation line begun by one space, and a fold
 * never inside a UTF-8 sequence. Text values are escaped (§3.3.11:
 * backslash, semicolon, comma, newline); parameter values are quoted with
 * RFC 6868's caret escapes; values that cannot be escaped (the UID, the
 * addresses, the zone's name) are refused when they hold what would end
 * or split a line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "core/dates.h"

#define FOLD_AT 75

static const char *const method_names[CAL__MAX] = {
	"PUBLISH",
	"REQUEST",
	"CANCEL",
};

const char *
cal_method_name(enum cal_method m)
{
	if ((unsigned int)m >= CAL__MAX)
		return (NULL);
	return (method_names[m]);
}

/* A growing text; failed once an allocation failed. */
struct buf {
	char  *p;
	size_t len, cap;
	int    failed;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	char  *v;
	size_t cap;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((v = realloc(b->p, cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->p = v;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Is c a control character (RFC 5545's CONTROL: all but the tab)? */
static int
is_control(unsigned char c)
{
	return ((c < 0x20 && c != '\t') || c == 0x7f);
}

/* A TEXT value (§3.3.11), escaped; other control characters dropped. */
static void
buf_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
			buf_str(b, "\\\\");
			break;
		case ';':
			buf_str(b, "\\;");
			break;
		case ',':
			buf_str(b, "\\,");
			break;
		case '\n':
			buf_str(b, "\\n");
			break;
		default:
			if (!is_control((unsigned char)*s))
				buf_add(b, s, 1);
			break;
		}
	}
}

/* A quoted parameter value, with RFC 6868's escapes for what a quoted
 * string cannot hold (the quote, a newline) and for the caret itself. */
static void
buf_param(struct buf *b, const char *s)
{
	buf_str(b, "\"");
	for (; *s != '\0'; s++) {
		if (*s == '^')
			buf_str(b, "^^");
		else if (*s == '"')
			buf_str(b, "^'");
		else if (*s == '\n')
			buf_str(b, "^n");
		else if (!is_control((unsigned char)*s))
			buf_add(b, s, 1);
	}
	buf_str(b, "\"");
}

/*
 * Appends the content line in line (its text, without a line end) to
 * out, folded at 75 octets with CRLF line ends, and empties line.
 */
static void
buf_line(struct buf *out, struct buf *line)
{
	const char *p = line->p != NULL ? line->p : "";
	size_t	    left = line->len, room = FOLD_AT, n;

	if (line->failed) {
		out->failed = 1;
		return;
	}
	do {
		n = left <= room ? left : room;
		/* Back up to the first octet of a UTF-8 character. */
		while (
		    n < left && n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
		/* Not UTF-8 at all: cut where the room ends. */
		if (n == 0)
			n = left <= room ? left : room;
		if (room != FOLD_AT)
			buf_str(out, " ");
		buf_add(out, p, n);
		buf_str(out, "\r\n");
		p += n;
		left -= n;
		room = FOLD_AT - 1; /* the space counts */
	} while (left > 0);
	line->len = 0;
	if (line->p != NULL)
		line->p[0] = '\0';
}

/* Adds a whole content line given as plain text (no escaping needed). */
static void
put(struct buf *out, struct buf *line, const char *text)
{
	buf_str(line, text);
	buf_line(out, line);
}

/* Is s non-empty and free of control characters, spaces and quotes (a
 * UID or an e-mail address written as is)? */
static int
plain_value(const char *s)
{
	if (s == NULL || *s == '\0')
		return (0);
	for (; *s != '\0'; s++) {
		if (is_control((unsigned char)*s) || *s == ' ' || *s == '\t' ||
		    *s == '"')
			return (0);
	}
	return (1);
}

static int
zone_name_ok(const char *s)
{
	if (*s == '\0')
		return (0);
	for (; *s != '\0'; s++) {
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
			(*s >= '0' && *s <= '9') || *s == '/' || *s == '_' ||
			*s == '+' || *s == '-'))
			return (0);
	}
	return (1);
}

int
cal_offset(const struct cal_zone *z, int64_t t)
{
	size_t i;
	int    off;

	if (z == NULL || z->n == 0)
		return (0);
	off = z->obs[0].onset == CAL_SINCE_EVER || z->obs[0].onset <= t
	    ? z->obs[0].to
	    : z->obs[0].from;
	for (i = 1; i < z->n; i++) {
		if (z->obs[i].onset <= t)
			off = z->obs[i].to;
	}
	return (off);
}

/* Writes t shifted by off as "YYYYMMDDTHHMMSS", with a Z when utc. */
static int
stamp(int64_t t, int off, int utc, char out[64])
{
	time_t	  v = (time_t)(t + off);
	struct tm tm;

	if (gmtime_r(&v, &tm) == NULL || tm.tm_year + 1900 < 0 ||
	    tm.tm_year + 1900 > 9999)
		return (-1);
	(void)snprintf(out, 64, "%04d%02d%02dT%02d%02d%02d%s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, utc ? "Z" : "");
	return (0);
}

/* "+HHMM", or "+HHMMSS" when the offset has seconds (§3.3.14). */
static void
offset_text(int off, char out[16])
{
	char sign = off < 0 ? '-' : '+';
	int  a = off < 0 ? -off : off;

	if (a % 60 != 0)
		(void)snprintf(out, 16, "%c%02d%02d%02d", sign, a / 3600,
		    a / 60 % 60, a % 60);
	else
		(void)snprintf(
		    out, 16, "%c%02d%02d", sign, a / 3600, a / 60 % 60);
}

static int
put_timezone(struct buf *out, struct buf *l, const struct cal_zone *z)
{
	const struct cal_observance *o;
	char			     t[64], from[16], to[16];
	size_t			     i;

	put(out, l, "BEGIN:VTIMEZONE");
	buf_str(l, "TZID:");
	buf_str(l, z->tzid);
	buf_line(out, l);
	for (i = 0; i < z->n; i++) {
		o = &z->obs[i];
		if (i > 0 && o->onset <= z->obs[i - 1].onset)
			return (-1);
		if (o->onset == CAL_SINCE_EVER)
			(void)snprintf(t, sizeof(t), "19700101T000000");
		else if (stamp(o->onset, o->from, 0, t) != 0)
			return (-1);
		offset_text(o->from, from);
		offset_text(o->to, to);
		put(out, l, o->dst ? "BEGIN:DAYLIGHT" : "BEGIN:STANDARD");
		buf_str(l, "DTSTART:");
		put(out, l, t);
		buf_str(l, "TZOFFSETFROM:");
		put(out, l, from);
		buf_str(l, "TZOFFSETTO:");
		put(out, l, to);
		if (o->name[0] != '\0') {
			buf_str(l, "TZNAME:");
			buf_text(l, o->name);
			buf_line(out, l);
		}
		put(out, l, o->dst ? "END:DAYLIGHT" : "END:STANDARD");
	}
	put(out, l, "END:VTIMEZONE");
	return (0);
}

/* DTSTART or DTEND: in the zone with its TZID, or in UTC. */
static int
put_time(struct buf *out, struct buf *l, const char *name,
    const struct cal_zone *z, int64_t t)
{
	char v[64];

	if (stamp(t, z != NULL ? cal_offset(z, t) : 0, z == NULL, v) != 0)
		return (-1);
	buf_str(l, name);
	if (z != NULL) {
		buf_str(l, ";TZID=");
		buf_str(l, z->tzid);
	}
	buf_str(l, ":");
	put(out, l, v);
	return (0);
}

/* ORGANIZER or ATTENDEE: a name and a mailto: address. */
static void
put_address(struct buf *out, struct buf *l, const char *prop, const char *name,
    const char *params, const char *email)
{
	buf_str(l, prop);
	if (name != NULL && *name != '\0') {
		buf_str(l, ";CN=");
		buf_param(l, name);
	}
	buf_str(l, params);
	buf_str(l, ":mailto:");
	buf_str(l, email);
	buf_line(out, l);
}

char *
cal_event_text(const struct cal_event *ev)
{
	struct buf	       out = { 0 }, l = { 0 };
	const struct cal_zone *z = ev->zone;
	char		       t[64] = "";
	int		       bad = 0;

	if (cal_method_name(ev->method) == NULL || !plain_value(ev->uid) ||
	    !plain_value(ev->organizer) ||
	    (ev->method != CAL_PUBLISH && !plain_value(ev->attendee)) ||
	    ev->end <= ev->start || ev->sequence < 0 ||
	    (z != NULL && (z->n == 0 || !zone_name_ok(z->tzid))))
		return (NULL);
	put(&out, &l, "BEGIN:VCALENDAR");
	put(&out, &l, "VERSION:2.0");
	put(&out, &l, "PRODID:-//Fellowship selection//Interviews//EN");
	put(&out, &l, "CALSCALE:GREGORIAN");
	buf_str(&l, "METHOD:");
	put(&out, &l, cal_method_name(ev->method));
	if (z != NULL && put_timezone(&out, &l, z) != 0)
		bad = 1;
	put(&out, &l, "BEGIN:VEVENT");
	buf_str(&l, "UID:");
	buf_str(&l, ev->uid);
	buf_line(&out, &l);
	(void)snprintf(t, sizeof(t), "SEQUENCE:%lld", (long long)ev->sequence);
	put(&out, &l, t);
	if (stamp(ev->stamp, 0, 1, t) != 0)
		bad = 1;
	buf_str(&l, "DTSTAMP:");
	put(&out, &l, t);
	if (put_time(&out, &l, "DTSTART", z, ev->start) != 0 ||
	    put_time(&out, &l, "DTEND", z, ev->end) != 0)
		bad = 1;
	buf_str(&l, "SUMMARY:");
	buf_text(&l, ev->summary != NULL ? ev->summary : "");
	buf_line(&out, &l);
	if (ev->location != NULL && *ev->location != '\0') {
		buf_str(&l, "LOCATION:");
		buf_text(&l, ev->location);
		buf_line(&out, &l);
	}
	if (ev->description != NULL && *ev->description != '\0') {
		buf_str(&l, "DESCRIPTION:");
		buf_text(&l, ev->description);
		buf_line(&out, &l);
	}
	put_address(
	    &out, &l, "ORGANIZER", ev->organizer_name, "", ev->organizer);
	if (ev->method != CAL_PUBLISH)
		put_address(&out, &l, "ATTENDEE", ev->attendee_name,
		    ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE",
		    ev->attendee);
	put(&out, &l,
	    ev->method == CAL_CANCEL ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
	put(&out, &l, "TRANSP:OPAQUE");
	put(&out, &l, "END:VEVENT");
	put(&out, &l, "END:VCALENDAR");
	free(l.p);
	if (bad || out.failed || l.failed) {
		free(out.p);
		return (NULL);
	}
	return (out.p);
}

/* The offset, daylight saving and abbreviation in force at t, under the
 * TZ the caller set. */
struct zone_at {
	int  off;
	int  dst;
	char name[16];
};

static int
zone_at(int64_t t, struct zone_at *z)
{
	time_t	  v = (time_t)t;
	struct tm tm;

	if (localtime_r(&v, &tm) == NULL)
		return (-1);
	z->off = (int)tm.tm_gmtoff;
	z->dst = tm.tm_isdst > 0;
	(void)snprintf(
	    z->name, sizeof(z->name), "%s", tm.tm_zone ? tm.tm_zone : "");
	return (0);
}

static int
same_rules(const struct zone_at *a, const struct zone_at *b)
{
	return (a->off == b->off && a->dst == b->dst);
}

/* Finds the changes of offset in (lo, hi] into z; 0 or -1. */
static int
zone_scan(struct cal_zone *z, int64_t lo, int64_t hi, int64_t start)
{
	/* A zone changes its offset at most once a day. */
	const int64_t	      step = (int64_t)24 * 60 * 60;
	struct zone_at	      cur, next, mid;
	struct cal_observance o;
	int64_t		      t, a, b, m;

	if (zone_at(lo, &cur) != 0)
		return (-1);
	z->obs[0].onset = CAL_SINCE_EVER;
	z->obs[0].from = z->obs[0].to = cur.off;
	z->obs[0].dst = cur.dst;
	(void)snprintf(z->obs[0].name, sizeof(z->obs[0].name), "%s", cur.name);
	z->n = 1;
	for (t = lo; t < hi; t += step) {
		if (zone_at(t + step, &next) != 0)
			return (-1);
		if (same_rules(&cur, &next)) {
			cur = next;
			continue;
		}
		/* The first second of the new rules, in (t, t + step]. */
		for (a = t, b = t + step; b - a > 1;) {
			m = a + (b - a) / 2;
			if (zone_at(m, &mid) != 0)
				return (-1);
			if (same_rules(&cur, &mid))
				a = m;
			else
				b = m;
		}
		if (zone_at(b, &mid) != 0)
			return (-1);
		memset(&o, 0, sizeof(o));
		o.onset = b;
		o.from = cur.off;
		o.to = mid.off;
		o.dst = mid.dst;
		(void)snprintf(o.name, sizeof(o.name), "%s", mid.name);
		/* Only the last change before the start matters for it. */
		if (b <= start)
			z->obs[0] = o;
		else if (z->n == CAL_OBSERVANCES_MAX)
			return (-1);
		else
			z->obs[z->n++] = o;
		cur = next;
	}
	return (0);
}

int
cal_zone_load(const char *tz, int64_t start, int64_t end, struct cal_zone *z)
{
	const int64_t year = 366L * 24 * 60 * 60;
	int	      rc;

	memset(z, 0, sizeof(*z));
	if (!dates_zone_known(tz) || strlen(tz) >= sizeof(z->tzid) ||
	    end < start)
		return (-1);
	(void)snprintf(z->tzid, sizeof(z->tzid), "%s", tz);
	if (setenv("TZ", tz, 1) != 0)
		return (-1);
	tzset();
	rc = zone_scan(z, start - year, end + year, start);
	(void)setenv("TZ", "UTC", 1);
	tzset();
	return (rc);
}

static const char *const cal_days[] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };
static const char *const cal_months[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

/* The mails' words for a wall-clock time: wday 0 for Sunday, mon 1..12. */
static void
cal_words(int wday, int day, int mon, int year, int hour, int min,
    const char *tz, char *out, size_t len)
{
	(void)snprintf(out, len, "%s, %d %s %d at %02d:%02d (%s)",
	    cal_days[wday], day, cal_months[mon - 1], year, hour, min, tz);
}

void
cal_when(const struct cal_zone *z, int64_t at, char *out, size_t len)
{
	time_t	  v = (time_t)(at + cal_offset(z, at));
	struct tm tm;

	if (gmtime_r(&v, &tm) == NULL) {
		(void)snprintf(out, len, "%lld", (long long)at);
		return;
	}
	cal_words(tm.tm_wday, tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, z != NULL ? z->tzid : "UTC", out, len);
}

void
cal_when_typed(
    const char *day, const char *hhmm, const char *tz, char *out, size_t len)
{
	static const int  t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	struct local_time lt;
	int		  y, wd;

	if (dates_parse(day, 1, &lt) != 0 || strlen(hhmm) != 5 ||
	    hhmm[2] != ':' || hhmm[0] < '0' || hhmm[0] > '2' || hhmm[1] < '0' ||
	    hhmm[1] > '9' || hhmm[3] < '0' || hhmm[3] > '5' || hhmm[4] < '0' ||
	    hhmm[4] > '9') {
		(void)snprintf(out, len, "%s %s (%s)", day, hhmm, tz);
		return;
	}
	/* Sakamoto's day of the week, 0 for Sunday. */
	y = lt.year - (lt.mon < 3);
	wd = (y + y / 4 - y / 100 + y / 400 + t[lt.mon - 1] + lt.day) % 7;
	cal_words(wd, lt.day, lt.mon, lt.year,
	    (hhmm[0] - '0') * 10 + (hhmm[1] - '0'),
	    (hhmm[3] - '0') * 10 + (hhmm[4] - '0'), tz, out, len);
}
