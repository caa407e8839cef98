/* Tests for src/core/mail.c: templates and RFC 5322 formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_review_templates),
		cmocka_unit_test(test_templates_carry_name_role_and_link),
		cmocka_unit_test(test_format_has_the_headers_sendmail_t_reads),
		cmocka_unit_test(test_header_injection_is_refused),
	};

	return (cmocka_run_group_tests_name("core/mail", tests, NULL, NULL));
}
