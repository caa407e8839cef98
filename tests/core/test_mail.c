/* Tests for src/core/mail.c: templates and RFC 5322 formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/mail.h"

static void
test_templates_carry_name_role_and_link(void **state)
{
	struct mail_vars v = { "Dr. Zoë", "faculty",
		"https://x.example/#/invite/TOKEN", "Dr. Ann Applicant",
		"Sarcoma Fellowship 2027", "2027-01-15 at 09:00", 3 };
	char		 subject[MAIL_SUBJECT_MAX], *body;

	(void)state;
	body = mail_render(MAIL_INVITATION, &v, subject);
	assert_non_null(body);
	assert_string_equal(subject, "Your invitation to Fellowship selection");
	assert_non_null(strstr(body, "Dear Dr. Zoë,"));
	assert_non_null(strstr(body, "as faculty"));
	assert_non_null(strstr(body, v.link));
	free(body);
	body = mail_render(MAIL_RESET, &v, subject);
	assert_non_null(strstr(body, v.link));
	free(body);
	body = mail_render(MAIL_LETTER, &v, subject);
	assert_non_null(strstr(body, "Dr. Ann Applicant has asked you"));
	assert_non_null(strstr(body, "Sarcoma Fellowship 2027"));
	assert_non_null(strstr(body, v.link));
	free(body);
	assert_null(mail_render(MAIL__MAX, &v, subject));
}

static void
test_format_has_the_headers_sendmail_t_reads(void **state)
{
	char *m;

	(void)state;
	m = mail_format("noreply@fellowship.example.org", "to@example.org",
	    "Subject line", "Body\n", 0, 42);
	assert_non_null(m);
	assert_non_null(strstr(m, "\nTo: <to@example.org>\n"));
	assert_non_null(strstr(m, "\nSubject: Subject line\n"));
	assert_non_null(strstr(m, "Date: Thu, 01 Jan 1970 00:00:00 +0000\n"));
	assert_non_null(
	    strstr(m, "Message-ID: <outbox-42@fellowship.example.org>\n"));
	assert_non_null(strstr(m, "charset=utf-8"));
	assert_non_null(strstr(m, "\n\nBody\n"));
	free(m);
}

static void
test_the_sender_is_the_programs_name_quoted(void **state)
{
	char *m;

	(void)state;
	m = mail_format("noreply@fellowship.example.org", "to@example.org", "S",
	    "B\n", 0, 1);
	assert_non_null(m);
	assert_true(strncmp(m,
			"From: \"Fellowship selection\" "
			"<noreply@fellowship.example.org>\n",
			61) == 0);
	free(m);
	m = mail_format_from("Hand \"Surgery\" \\ Fellowship",
	    "noreply@fellowship.example.org", "to@example.org", "S", "B\n",
	    NULL, 0, 1);
	assert_non_null(m);
	assert_non_null(strstr(m,
	    "From: \"Hand \\\"Surgery\\\" \\\\ Fellowship\" "
	    "<noreply@fellowship.example.org>\n"));
	free(m);
	assert_null(mail_format_from("Two\nLines", "a@b.example",
	    "x@example.org", "S", "B", NULL, 0, 1));
}

static void
test_header_injection_is_refused(void **state)
{
	(void)state;
	assert_null(mail_format(
	    "a@b.example", "x@example.org\nBcc: y@z.org", "S", "B", 0, 1));
	assert_null(mail_format(
	    "a@b.example", "x@example.org", "S\r\nX: y", "B", 0, 1));
}

static void
test_review_templates(void **state)
{
	struct mail_vars v = { "Dr. Lund", "", "https://x.example/#/review/1",
		"", "Sarcoma Fellowship 2027", "2027-01-15 at 17:00", 4 };
	char		 subject[MAIL_SUBJECT_MAX], *body;
	int		 k;

	(void)state;
	body = mail_render(MAIL_SCORE_REMINDER, &v, subject);
	assert_non_null(body);
	assert_non_null(strstr(body, "4 assigned candidate"));
	assert_non_null(strstr(body, "2027-01-15 at 17:00"));
	assert_non_null(strstr(body, "#/review/1"));
	free(body);
	for (k = MAIL_INTERVIEW; k <= MAIL_INTERVIEW_SEAT; k++) {
		body = mail_render((enum mail_kind)k, &v, subject);
		assert_non_null(body);
		assert_non_null(strstr(body, "Sarcoma Fellowship 2027"));
		assert_non_null(strstr(body, v.link));
		free(body);
	}
}

static void
test_the_applicant_templates(void **state)
{
	struct mail_vars v = { "Ada Lovelace", "",
		"https://x.example/#/apply/7", "", "Sarcoma Fellowship 2027",
		"Wednesday, 20 January 2027 at 09:00 (America/New_York), "
		"Clinic B",
		0 };
	static const struct {
		enum mail_kind kind;
		const char    *subject;
		const char    *says;
		int	       when;
	} rows[] = {
		{ MAIL_SUBMITTED, "Application received", "We have received",
		    1 },
		{ MAIL_INTERVIEW_BOOKED, "Interview booked", "is booked", 1 },
		{ MAIL_INTERVIEW_MOVED, "Interview moved", "has moved to", 1 },
		{ MAIL_INTERVIEW_CANCELLED, "Interview cancelled",
		    "is cancelled", 1 },
		{ MAIL_INTERVIEW_UNBOOKED,
		    "Reminder: choose your interview slot",
		    "have not chosen a slot", 0 },
	};
	char   subject[MAIL_SUBJECT_MAX], *body;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		body = mail_render(rows[i].kind, &v, subject);
		assert_non_null(body);
		assert_string_equal(subject, rows[i].subject);
		assert_non_null(strstr(body, "Dear Ada Lovelace,"));
		assert_non_null(strstr(body, "Sarcoma Fellowship 2027"));
		assert_non_null(strstr(body, rows[i].says));
		assert_non_null(strstr(body, v.link));
		assert_true((strstr(body, v.when) != NULL) == rows[i].when);
		free(body);
	}
}

#define CAL                                                                    \
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"                 \
	"BEGIN:VEVENT\r\nUID:x@y\r\nSUMMARY:=_fellowship-1-0 \\n x\r\n"        \
	"END:VEVENT\r\nEND:VCALENDAR\r\n"

/* The text between "\n\n" after the part header line header and the
 * next line starting with "--"; the caller frees it. */
static char *
part_after(const char *m, const char *header)
{
	const char *p = strstr(m, header), *end;
	char	   *out;

	assert_non_null(p);
	p = strstr(p, "\n\n");
	assert_non_null(p);
	p += 2;
	end = strstr(p, "\n--");
	assert_non_null(end);
	out = strndup(p, (size_t)(end - p));
	assert_non_null(out);
	return (out);
}

static void
test_a_calendar_goes_as_a_second_mime_part(void **state)
{
	char	     *m, *b64, *text;
	unsigned char bin[1024];
	size_t	      binlen, lines = 1;
	const char   *p, *end;

	(void)state;
	m = mail_format_calendar("noreply@fellowship.example.org",
	    "to@example.org", "Interview booked", "Body\n", CAL, 0, 42);
	assert_non_null(m);
	/* Eight header lines, none with a CR. */
	end = strstr(m, "\n\n");
	assert_non_null(end);
	for (p = m; p < end; p++) {
		assert_true(*p != '\r');
		lines += *p == '\n';
	}
	assert_int_equal(lines, 8);
	assert_non_null(strstr(m, "\nTo: <to@example.org>\n"));
	assert_non_null(strstr(m, "\nMIME-Version: 1.0\n"));
	assert_non_null(strstr(m,
	    "\nContent-Type: multipart/mixed; "
	    "boundary=\"=_fellowship-42-0\"\n"));
	assert_non_null(strstr(m,
	    "\n--=_fellowship-42-0\nContent-Type: text/plain; "
	    "charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nBody\n\n"
	    "--=_fellowship-42-0\nContent-Type: text/calendar; charset=utf-8; "
	    "method=REQUEST\nContent-Transfer-Encoding: base64\n"
	    "Content-Disposition: attachment; "
	    "filename=\"interview.ics\"\n\n"));
	assert_non_null(strstr(m, "\n--=_fellowship-42-0--\n"));
	/* The calendar arrives byte for byte, CRLF included. */
	b64 = part_after(m, "Content-Type: text/calendar");
	for (p = b64; (end = strchr(p, '\n')) != NULL; p = end + 1)
		assert_true(end - p <= 76);
	assert_int_equal(
	    sodium_base642bin(bin, sizeof(bin), b64, strlen(b64), "\n", &binlen,
		NULL, sodium_base64_VARIANT_ORIGINAL),
	    0);
	assert_int_equal(binlen, strlen(CAL));
	assert_memory_equal(bin, CAL, binlen);
	free(b64);
	text = part_after(m, "Content-Type: text/plain");
	assert_string_equal(text, "Body\n");
	free(text);
	free(m);
}

static void
test_the_boundary_is_not_in_the_body(void **state)
{
	char *m;

	(void)state;
	m = mail_format_calendar("a@b.example", "x@example.org", "S",
	    "--=_fellowship-7-0\n=_fellowship-7-1--\n", CAL, 0, 7);
	assert_non_null(m);
	assert_non_null(strstr(m, "boundary=\"=_fellowship-7-2\""));
	assert_non_null(strstr(m, "\n--=_fellowship-7-2--\n"));
	free(m);
}

static void
test_the_method_comes_from_the_calendar(void **state)
{
	char *m;

	(void)state;
	m = mail_format_calendar("a@b.example", "x@example.org", "S", "B\n",
	    "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n", 0, 1);
	assert_non_null(
	    strstr(m, "text/calendar; charset=utf-8; method=CANCEL\n"));
	free(m);
	/* None, or not a plain name: no method parameter. */
	m = mail_format_calendar("a@b.example", "x@example.org", "S", "B\n",
	    "BEGIN:VCALENDAR\r\nX:1\r\nEND:VCALENDAR\r\n", 0, 1);
	assert_non_null(strstr(m, "text/calendar; charset=utf-8\n"));
	free(m);
	m = mail_format_calendar("a@b.example", "x@example.org", "S", "B\n",
	    "METHOD:REQUEST\"; x=\"1\r\n", 0, 1);
	assert_non_null(strstr(m, "text/calendar; charset=utf-8\n"));
	free(m);
	/* No calendar: the plain message, as mail_format() writes it. */
	m = mail_format_calendar(
	    "a@b.example", "x@example.org", "S", "B\n", "", 0, 1);
	assert_null(strstr(m, "multipart"));
	assert_non_null(strstr(m, "Content-Type: text/plain"));
	free(m);
}

static void
test_header_injection_is_refused_with_a_calendar(void **state)
{
	(void)state;
	assert_null(mail_format_calendar(
	    "a@b.example", "x@example.org\nBcc: y@z.org", "S", "B", CAL, 0, 1));
	assert_null(mail_format_calendar(
	    "a@b.example", "x@example.org", "S\rX: y", "B", CAL, 0, 1));
	assert_null(mail_format_calendar(
	    "a@b.example\n", "x@example.org", "S", "B", CAL, 0, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_review_templates),
		cmocka_unit_test(test_templates_carry_name_role_and_link),
		cmocka_unit_test(test_format_has_the_headers_sendmail_t_reads),
		cmocka_unit_test(test_header_injection_is_refused),
		cmocka_unit_test(test_the_applicant_templates),
		cmocka_unit_test(test_a_calendar_goes_as_a_second_mime_part),
		cmocka_unit_test(test_the_boundary_is_not_in_the_body),
		cmocka_unit_test(test_the_sender_is_the_programs_name_quoted),
		cmocka_unit_test(test_the_method_comes_from_the_calendar),
		cmocka_unit_test(
		    test_header_injection_is_refused_with_a_calendar),
	};

	return (cmocka_run_group_tests_name("core/mail", tests, NULL, NULL));
}
