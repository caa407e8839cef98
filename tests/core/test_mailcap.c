/*
 * Tests for src/core/mailcap.c: the caps on letter mail over a rolling
 * day (the applicant's before the address's, the moment one more may
 * go), the address as the per-address cap counts it, and the refusal's
 * sentence, which names the limit and when it resets and always fits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/mailcap.h"

#define NOW  ((int64_t)1796569200)
#define HOUR ((int64_t)3600)

static void
test_the_limits_are_named_with_their_values(void **state)
{
	(void)state;
	assert_int_equal(limit_max(LIMIT_LETTER_MAILS_APPLICANT), 10);
	assert_int_equal(limit_max(LIMIT_LETTER_MAILS_ADDRESS), 5);
	assert_string_equal(limit_name(LIMIT_LETTER_MAILS_APPLICANT),
	    "letter_mails_per_applicant");
	assert_string_equal(
	    limit_name(LIMIT_LETTER_MAILS_ADDRESS), "letter_mails_per_address");
	assert_int_equal(MAILCAP_WINDOW, 24 * HOUR);
}

static void
test_under_both_caps_one_more_goes(void **state)
{
	struct mailcap_seen a = { 0, 0 }, b = { 0, 0 };
	int64_t		    at = -1;

	(void)state;
	assert_int_equal(mailcap_check(&a, &b, NOW, &at), LIMIT__MAX);
	assert_int_equal(at, 0);
	/* One below each cap: the last one allowed. */
	a.count = 9;
	b.count = 4;
	assert_int_equal(mailcap_check(&a, &b, NOW, &at), LIMIT__MAX);
}

static void
test_at_a_cap_it_resets_when_the_cap_th_newest_leaves(void **state)
{
	struct mailcap_seen a = { 10, NOW - 5 * HOUR }, b = { 0, 0 };
	int64_t		    at = 0;

	(void)state;
	assert_int_equal(
	    mailcap_check(&a, &b, NOW, &at), LIMIT_LETTER_MAILS_APPLICANT);
	assert_int_equal(at, NOW + 19 * HOUR);
	/* The address's cap, whoever asks. */
	a.count = 3;
	b.count = 5;
	b.cap_th_sent_at = NOW - 1;
	assert_int_equal(
	    mailcap_check(&a, &b, NOW, &at), LIMIT_LETTER_MAILS_ADDRESS);
	assert_int_equal(at, NOW - 1 + MAILCAP_WINDOW);
	/* Both: the applicant's is named first. */
	a.count = 12;
	a.cap_th_sent_at = NOW - HOUR;
	assert_int_equal(
	    mailcap_check(&a, &b, NOW, &at), LIMIT_LETTER_MAILS_APPLICANT);
	assert_int_equal(at, NOW + 23 * HOUR);
	/* A count without the time refuses for the whole window, never
	 * lets one more through; a time already past waits a second. */
	a.cap_th_sent_at = 0;
	assert_int_equal(
	    mailcap_check(&a, &b, NOW, &at), LIMIT_LETTER_MAILS_APPLICANT);
	assert_int_equal(at, NOW + MAILCAP_WINDOW);
	a.cap_th_sent_at = NOW - MAILCAP_WINDOW - 10;
	assert_int_equal(
	    mailcap_check(&a, &b, NOW, &at), LIMIT_LETTER_MAILS_APPLICANT);
	assert_int_equal(at, NOW + 1);
}

static void
test_the_address_as_counted(void **state)
{
	char out[MAILCAP_ADDRESS_MAX], lng[400];

	(void)state;
	mailcap_address("Ann.Writer@Example.ORG", out);
	assert_string_equal(out, "ann.writer@example.org");
	mailcap_address("ann+1@example.org", out);
	assert_string_equal(out, "ann@example.org");
	mailcap_address("ANN+letters+2@example.org", out);
	assert_string_equal(out, "ann@example.org");
	/* A + after the @ is the domain's, kept. */
	mailcap_address("ann@ex+ample.org", out);
	assert_string_equal(out, "ann@ex+ample.org");
	mailcap_address("no-at-sign+x", out);
	assert_string_equal(out, "no-at-sign+x");
	mailcap_address("", out);
	assert_string_equal(out, "");
	memset(lng, 'a', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	mailcap_address(lng, out);
	assert_int_equal(strlen(out), MAILCAP_ADDRESS_MAX - 1);
}

static void
test_the_sentence_names_the_limit_and_when_it_resets(void **state)
{
	char buf[256];

	(void)state;
	assert_string_equal(
	    mailcap_message(LIMIT_LETTER_MAILS_APPLICANT, NOW,
		NOW + 3 * HOUR + 4 * 60 + 1,
		"Sunday, 6 December 2026 at 18:05 (UTC)", buf, sizeof(buf)),
	    "At most 10 letter requests and reminders per applicant in 24 "
	    "hours (limit letter_mails_per_applicant). You have sent as "
	    "many; the next can go in 3 hours 5 minutes, on Sunday, 6 "
	    "December 2026 at 18:05 (UTC).");
	assert_string_equal(mailcap_message(LIMIT_LETTER_MAILS_ADDRESS, NOW,
				NOW + HOUR, NULL, buf, sizeof(buf)),
	    "At most 5 letter requests and reminders to one address in 24 "
	    "hours (limit letter_mails_per_address). This address has had as "
	    "many; the next can go in 1 hour.");
	assert_non_null(strstr(mailcap_message(LIMIT_LETTER_MAILS_ADDRESS, NOW,
				   NOW + 1, "", buf, sizeof(buf)),
	    "in 1 minute."));
	assert_non_null(strstr(mailcap_message(LIMIT_LETTER_MAILS_ADDRESS, NOW,
				   NOW + 2 * HOUR + 60, NULL, buf, sizeof(buf)),
	    "in 2 hours 1 minute."));
	assert_string_equal(
	    mailcap_message(LIMIT_CANDIDATES, NOW, NOW, NULL, buf, sizeof(buf)),
	    "");
	/* The longest: a whole day, the longest day, month and zone name
	 * fit a refusal's 256 bytes with room to spare. */
	assert_true(strlen(mailcap_message(LIMIT_LETTER_MAILS_ADDRESS, NOW,
			NOW + MAILCAP_WINDOW - 1,
			"Wednesday, 29 September 2027 at 23:59 "
			"(America/Los_Angeles)",
			buf, sizeof(buf))) < 240);
	assert_int_equal(buf[strlen(buf) - 1], '.');
	/* Cut to the buffer, never past it. */
	assert_int_equal(strlen(mailcap_message(LIMIT_LETTER_MAILS_ADDRESS, NOW,
			     NOW + 1, NULL, buf, 10)),
	    9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_limits_are_named_with_their_values),
		cmocka_unit_test(test_under_both_caps_one_more_goes),
		cmocka_unit_test(
		    test_at_a_cap_it_resets_when_the_cap_th_newest_leaves),
		cmocka_unit_test(test_the_address_as_counted),
		cmocka_unit_test(
		    test_the_sentence_names_the_limit_and_when_it_resets),
	};

	return (cmocka_run_group_tests_name("core/mailcap", tests, NULL, NULL));
}
