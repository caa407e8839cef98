/*
 * Mail: names and texts from the database (already checked, but taken
 * here as any bytes) rendered into every template, and messages formatted
 * for sendmail -t from any sender, recipient and subject. Whatever the
 * input, a formatted message has exactly its nine header lines (eight
 * with a calendar attached): nothing can add a header (Bcc:, say) through
 * a value. The same texts make a calendar invitation (core/calendar.h),
 * whose every line ends in CRLF, holds at most 75 octets and keeps each
 * UTF-8 sequence the input had whole; sent with a message, it decodes to
 * itself, and no line of the text part is the boundary.
 */
#include <sodium.h>

#include "core/calendar.h"
#include "core/mail.h"
#include "core/utf8.h"
#include "fuzz.h"

#define HEADERS 9

/* The input's parts, split at NUL: name, applicant, program, when, link,
 * from, to, subject; missing parts are empty. */
#define PARTS 8

static void
count_headers(const char *msg, int want)
{
	const char *end = strstr(msg, "\n\n"), *p;
	int	    lines = 1;

	fuzz_assert(end != NULL);
	for (p = msg; p < end; p++) {
		fuzz_assert(*p != '\r');
		if (*p == '\n')
			lines++;
	}
	fuzz_assert(lines == want);
}

static void
headers(const char *msg)
{
	count_headers(msg, HEADERS);
}

/* Every line of an iCalendar text: CRLF-ended, 1 to 75 octets, no CR or
 * LF inside; and when the text is UTF-8, so is every line alone (no fold
 * splits a character). */
static void
calendar_lines(const char *cal)
{
	const char *p = cal, *eol;
	size_t	    n;
	int	    utf8 = utf8_valid(cal, strlen(cal)) == 1;

	fuzz_assert(*cal != '\0');
	while (*p != '\0') {
		fuzz_assert((eol = strstr(p, "\r\n")) != NULL);
		n = (size_t)(eol - p);
		fuzz_assert(n >= 1 && n <= 75);
		fuzz_assert(memchr(p, '\n', n) == NULL);
		fuzz_assert(memchr(p, '\r', n) == NULL);
		if (utf8)
			fuzz_assert(utf8_valid(p, n) == 1);
		p = eol + 2;
	}
}

/* The calendar of parts sent with a message: eight headers, the body's
 * part and the calendar's between the boundary lines (the body never
 * holds one), and the calendar part decodes to the calendar. */
static void
calendar_mail(const char *const part[], const char *cal)
{
	const char    *p, *b64, *end;
	unsigned char *bin;
	size_t	       binlen, cap = strlen(cal) + 1;
	char	      *msg, delim[96], last[96];

	if ((msg = mail_format_calendar(
		 part[5], part[6], part[7], part[0], cal, 0, 7)) == NULL)
		return;
	count_headers(msg, HEADERS - 1);
	/* At the start of a line: the header itself (no value holds a
	 * line end). */
	fuzz_assert(
	    (p = strstr(msg, "\nContent-Type: multipart/mixed; boundary=\"")) !=
	    NULL);
	p += strlen("\nContent-Type: multipart/mixed; boundary=\"");
	(void)snprintf(
	    delim, sizeof(delim), "\n--%.*s\n", (int)strcspn(p, "\""), p);
	(void)snprintf(
	    last, sizeof(last), "\n--%.*s--\n", (int)strcspn(p, "\""), p);
	/* The text part's delimiter, then the calendar part's. */
	fuzz_assert((p = strstr(msg, delim)) != NULL);
	fuzz_assert((p = strstr(p + 1, delim)) != NULL);
	fuzz_assert(strstr(p + 1, delim) == NULL);
	fuzz_assert((b64 = strstr(p, "\n\n")) != NULL);
	b64 += 2;
	fuzz_assert((end = strstr(b64, last)) != NULL);
	fuzz_assert(strcmp(end, last) == 0);
	if ((bin = malloc(cap)) == NULL)
		abort();
	fuzz_assert(sodium_base642bin(bin, cap, b64, (size_t)(end - b64), "\n",
			&binlen, NULL, sodium_base64_VARIANT_ORIGINAL) == 0);
	fuzz_assert(binlen == strlen(cal) && memcmp(bin, cal, binlen) == 0);
	free(bin);
	free(msg);
}

/* An invitation made of the parts; when it is written, its lines. */
static void
calendar(const char *const part[], size_t size)
{
	struct cal_zone	 z;
	struct cal_event ev;
	char		*cal;

	memset(&z, 0, sizeof(z));
	(void)snprintf(z.tzid, sizeof(z.tzid), "America/New_York");
	z.n = 2;
	z.obs[0].onset = CAL_SINCE_EVER;
	z.obs[0].from = z.obs[0].to = -5 * 3600;
	(void)snprintf(z.obs[0].name, sizeof(z.obs[0].name), "EST");
	z.obs[1].onset = 1805007600;
	z.obs[1].from = -5 * 3600;
	z.obs[1].to = -4 * 3600;
	z.obs[1].dst = 1;
	(void)snprintf(z.obs[1].name, sizeof(z.obs[1].name), "%.15s", part[3]);
	memset(&ev, 0, sizeof(ev));
	ev.method = (enum cal_method)(size % CAL__MAX);
	ev.uid = part[4];
	ev.sequence = (int64_t)size;
	ev.stamp = 1796569200;
	ev.start = 1800453600 + (int64_t)(size % 4096) * 3600;
	ev.end = ev.start + 3600;
	ev.summary = part[0];
	ev.location = part[1];
	ev.description = part[2];
	ev.organizer = part[5];
	ev.organizer_name = part[2];
	ev.attendee = part[6];
	ev.attendee_name = part[0];
	ev.zone = size % 2 ? &z : NULL;
	if ((cal = cal_event_text(&ev)) == NULL)
		return;
	calendar_lines(cal);
	calendar_mail(part, cal);
	free(cal);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_vars v;
	const char	*part[PARTS];
	char		*buf = fuzz_cstr(data, size), *p, *body, *msg;
	char		 subject[MAIL_SUBJECT_MAX];
	size_t		 i;
	int		 k;

	for (i = 0, p = buf; i < PARTS; i++) {
		part[i] = p <= buf + size ? p : "";
		if (p <= buf + size)
			p += strlen(p) + 1;
	}
	memset(&v, 0, sizeof(v));
	v.name = part[0];
	v.role = "faculty";
	v.applicant = part[1];
	v.program = part[2];
	v.when = part[3];
	v.link = part[4];
	v.count = (long long)size - 100;
	for (k = 0; k < MAIL__MAX; k++) {
		if ((body = mail_render((enum mail_kind)k, &v, subject)) ==
		    NULL)
			abort();
		fuzz_assert(strlen(subject) > 0);
		if ((msg = mail_format(part[5], part[6], subject, body,
			 (time_t)size * 86400, (int64_t)k)) != NULL) {
			headers(msg);
			free(msg);
		}
		free(body);
	}
	if ((msg = mail_format(
		 part[5], part[6], part[7], part[0], (time_t)0, 1)) != NULL) {
		headers(msg);
		free(msg);
	}
	calendar(part, size);
	free(buf);
	return (0);
}
