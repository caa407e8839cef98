/* Tests for src/core/auditlog.c: the audit log's sentences and lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/auditlog.h"

/* The sentence of action with w, compared with want. */
static void
says(const char *action, const struct auditlog_words *w, const char *want)
{
	char *s = auditlog_sentence(action, w);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

/* The lines of action with w as "label: text" joined by "; ", with
 * "@when" after a line that carries a date. */
static char *
lines(const char *action, const struct auditlog_words *w)
{
	static char buf[1024];
	json_t	   *ls = auditlog_lines(action, w), *l, *when;
	size_t	    i, n = 0;

	assert_non_null(ls);
	buf[0] = '\0';
	json_array_foreach(ls, i, l)
	{
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s: %s",
		    i > 0 ? "; " : "",
		    json_string_value(json_object_get(l, "label")),
		    json_string_value(json_object_get(l, "text")));
		if ((when = json_object_get(l, "when")) != NULL)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "@%s",
			    json_is_string(when) ? json_string_value(when)
						 : "instant");
		assert_true(n < sizeof(buf));
	}
	json_decref(ls);
	return (buf);
}

static void
test_sentences_name_the_actor_the_object_and_the_detail(void **state)
{
	struct auditlog_words w = { 0 };
	json_t		     *d;

	(void)state;
	d = json_pack("{s:s,s:I}", "phase", "interview", "sheet", 7);
	w.actor = "Dr. Lund";
	w.object = "Amara Dvořák";
	w.detail = d;
	says("score.submit", &w,
	    "Dr. Lund submitted the interview sheet for Amara Dvořák");
	/* The actor's own object is "their"; someone else's is named. */
	says("application.withdraw", &w,
	    "Dr. Lund withdrew Amara Dvořák’s application");
	w.self = 1;
	says("application.withdraw", &w, "Dr. Lund withdrew their application");
	/* Without an actor it is the system; without a name, the object as
	 * stored. */
	w.actor = NULL;
	w.object = NULL;
	w.object_ref = "application:12";
	says("score.submit", &w,
	    "The system submitted the interview sheet for application:12");
	json_decref(d);
}

static void
test_codes_are_words_and_ids_are_names(void **state)
{
	struct auditlog_words w = { 0 };
	json_t		     *d, *refs;

	(void)state;
	refs = json_pack("{s:s,s:s,s:s}", "user:3", "Dr. Raman",
	    "application:5", "Ben López", "application:6", "Chiara Rossi");
	d = json_pack("{s:I,s:s,s:s,s:I}", "faculty_id", 3, "kind",
	    "known_applicant", "reason", "Rotated here", "conflict", 9);
	w.actor = "Sam Okafor";
	w.object = "Ben López";
	w.detail = d;
	w.refs = refs;
	says("conflict.declare", &w,
	    "Sam Okafor recorded a known applicant between Dr. Raman and Ben "
	    "López");
	/* Keys the sentence shows and internal ids are not repeated. */
	assert_string_equal(
	    lines("conflict.declare", &w), "Reason: Rotated here");
	json_decref(d);
	d = json_pack("{s:[I,I,I],s:I}", "invited", 5, 6, 404, "already", 1);
	w.detail = d;
	w.object = "Fellowship 2027";
	says("interview.invite", &w,
	    "Sam Okafor invited Ben López, Chiara Rossi and application 404 "
	    "to interview in Fellowship 2027");
	assert_string_equal(lines("interview.invite", &w), "Invited before: 1");
	json_decref(d);
	/* The list exported as CSV, with what it held. */
	d = json_pack("{s:s,s:s,s:I}", "format", "csv", "status", "submitted",
	    "rows", 41);
	w.detail = d;
	says("applications.export", &w,
	    "Sam Okafor exported the list of applications of Fellowship 2027 "
	    "(41 rows)");
	assert_string_equal(
	    lines("applications.export", &w), "Format: csv; Status: submitted");
	json_decref(d);
	/* The warnings acknowledged at certification, by their titles. */
	d = json_pack("{s:I,s:[s,s]}", "version", 3, "acknowledged",
	    "not_interviewed", "sheets_open");
	w.detail = d;
	assert_non_null(strstr(lines("ranklist.certify", &w),
	    "Warnings acknowledged: Ranked candidates not interviewed; "));
	assert_null(strstr(lines("ranklist.certify", &w), "not_interviewed"));
	json_decref(d);
	/* A reminder to one rater names the rater. */
	d = json_pack("{s:s,s:I}", "phase", "screening", "faculty_id", 3);
	w.detail = d;
	says("score.remind_rater", &w,
	    "Sam Okafor reminded Dr. Raman of their missing screening sheets "
	    "in Fellowship 2027");
	assert_string_equal(lines("score.remind_rater", &w), "");
	json_decref(d);
	/* The reminder to book comes from the system. */
	w.actor = NULL;
	w.object = "Ben López";
	w.detail = NULL;
	says("interview.remind", &w,
	    "Ben López was reminded to book an interview slot");
	json_decref(refs);
}

static void
test_scores_are_criterion_and_value(void **state)
{
	struct auditlog_words w = { 0 };
	json_t		     *d, *labels;

	(void)state;
	labels = json_pack("{s:s,s:s}", "reasoning", "Clinical reasoning",
	    "fit", "Fit with the program");
	d = json_pack("{s:s,s:I,s:{s:i,s:i,s:i}}", "phase", "interview",
	    "sheet", 4, "values", "reasoning", 4, "fit", 5, "unknown_key", 2);
	w.actor = "Dr. Lund";
	w.detail = d;
	w.labels = labels;
	assert_string_equal(lines("score.submit", &w),
	    "Clinical reasoning: 4; Fit with the program: 5; unknown_key: 2");
	json_decref(d);
	d = json_pack("{s:s,s:[{s:s,s:s,s:s},{s:s,s:s,s:s}]}", "phase",
	    "interview", "changes", "field", "fit", "old", "3", "new", "5",
	    "field", "comment", "old", "a", "new", "b");
	w.detail = d;
	assert_string_equal(lines("score.change", &w),
	    "Fit with the program: 3 → 5; Comment: changed");
	json_decref(d);
	json_decref(labels);
}

static void
test_dates_are_left_for_the_page_and_lists_never_show_as_code(void **state)
{
	struct auditlog_words w = { 0 };
	json_t		     *d, *refs;

	(void)state;
	d = json_pack("{s:s,s:s,s:[s,s],s:{s:i}}", "applications_close",
	    "2026-12-11T17:00", "name", "Fellowship", "tags", "a", "b",
	    "change", "weight", 70);
	w.detail = d;
	assert_string_equal(lines("cycle.update", &w),
	    "Applications close: 2026-12-11T17:00@2026-12-11T17:00; Name: "
	    "Fellowship; Tags: a, b; Weight in the composite: 70");
	json_decref(d);
	/* A slot: its time for the page, its text for anyone else. */
	refs = json_pack("{s:{s:I,s:s}}", "slot:8", "at", 1793970000, "text",
	    "2026-11-06 08:00–08:45");
	d = json_pack("{s:I,s:I,s:b}", "slot", 8, "from", 2, "waitlisted", 0);
	w.detail = d;
	w.refs = refs;
	assert_string_equal(lines("interview.change", &w),
	    "Slot: 2026-11-06 08:00–08:45@instant; Moved from: slot 2; From "
	    "the waitlist: no");
	json_decref(d);
	json_decref(refs);
}

/* Collects the refs auditlog_refs() reports as "kind:id,". */
static int
collect(void *arg, const char *kind, int64_t id)
{
	char *buf = arg;
	char  one[40];

	(void)snprintf(one, sizeof(one), "%s:%lld,", kind, (long long)id);
	strcat(buf, one);
	return (0);
}

static void
test_refs_name_every_id_a_detail_holds(void **state)
{
	json_t *d;
	char	buf[512];

	(void)state;
	buf[0] = '\0';
	d = json_pack("{s:I,s:n,s:b}", "slot", 3, "from", "waitlisted", 1);
	assert_int_equal(auditlog_refs("interview.book", d, collect, buf), 0);
	assert_string_equal(buf, "slot:3,");
	json_decref(d);
	buf[0] = '\0';
	d = json_pack("{s:[{s:I,s:I,s:s,s:b}]}", "changes", "faculty_id", 4,
	    "application_id", 9, "phase", "screening", "assigned", 1);
	assert_int_equal(auditlog_refs("assignment.set", d, collect, buf), 0);
	assert_string_equal(buf, "user:4,application:9,");
	json_decref(d);
	/* The status an application was withdrawn from is not a slot. */
	buf[0] = '\0';
	d = json_pack("{s:s}", "from", "submitted");
	assert_int_equal(
	    auditlog_refs("application.withdraw", d, collect, buf), 0);
	assert_string_equal(buf, "");
	json_decref(d);
}

static void
test_an_unknown_action_is_named(void **state)
{
	struct auditlog_words w = { 0 };

	(void)state;
	w.actor = "Sam Okafor";
	w.object = "Fellowship 2027";
	says("rater.nudge", &w, "Sam Okafor: rater.nudge (Fellowship 2027)");
	assert_false(auditlog_known("rater.nudge"));
	assert_true(auditlog_known("score.submit"));
	w.actor = NULL;
	w.object = NULL;
	says("x.y", &w, "The system: x.y");
}

/* Free text someone typed (the e-mail tried at a sign-in) is data: in
 * quotation marks, one line, bounded; it cannot pass for the sentence's
 * own words nor start a line of its own. */
static void
test_typed_text_is_shown_as_data(void **state)
{
	struct auditlog_words w = { 0 };
	char		      long_text[300], want[400];
	json_t		     *d;

	(void)state;
	w.detail = d = json_pack("{s:s}", "email",
	    "x@y.org failed\nDr. Maria Alvarez signed in\r\tRole: director");
	says("login.failed", &w,
	    "A sign-in as “x@y.org failed Dr. Maria Alvarez signed in  Role: "
	    "director” failed");
	json_decref(d);

	/* Quotation marks, line separators and direction controls cannot
	 * close the quotation, start a line or turn the text around. */
	w.detail = d = json_pack("{s:s}", "email",
	    "a” signed in\u2028\u2029\xc2\x85"
	    "x\u202ey\u2066z\u201cq");
	says(
	    "login.failed", &w, "A sign-in as “a  signed in   x y z q” failed");
	json_decref(d);

	/* Long text is cut between characters (é is two bytes). */
	memset(long_text, 'a', sizeof(long_text));
	memcpy(long_text + 119, "é", 2);
	long_text[sizeof(long_text) - 1] = '\0';
	w.detail = d = json_pack("{s:s}", "email", long_text);
	(void)snprintf(
	    want, sizeof(want), "A sign-in as “%.*s…” failed", 119, long_text);
	says("login.failed", &w, want);
	json_decref(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_sentences_name_the_actor_the_object_and_the_detail),
		cmocka_unit_test(test_codes_are_words_and_ids_are_names),
		cmocka_unit_test(test_scores_are_criterion_and_value),
		cmocka_unit_test(
		    test_dates_are_left_for_the_page_and_lists_never_show_as_code),
		cmocka_unit_test(test_refs_name_every_id_a_detail_holds),
		cmocka_unit_test(test_an_unknown_action_is_named),
		cmocka_unit_test(test_typed_text_is_shown_as_data),
	};

	return (
	    cmocka_run_group_tests_name("core/auditlog", tests, NULL, NULL));
}
