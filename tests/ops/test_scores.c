/*
 * Tests for src/ops/scores.c: the automatic reminders to raters with
 * missing sheets go once before the scoring deadline and at most once,
 * with the overdue wording, after it; never "due soon" for a deadline
 * that has passed. Staff remind one rater at most once in 12 hours after
 * any reminder of the phase went to them.
 */
#include "ops/fixture.h"

#include "core/remind.h"
#include "ops/review.h"
#include "ops/system.h"

/* Counts the outbox's messages by subject. */
struct mail_count {
	int reminders, overdue, other;
};

static int
count_mail(void *arg, const struct db_mail_row *m)
{
	struct mail_count *c = arg;

	if (strncmp(m->subject, "Reminder: score sheets", 22) == 0)
		c->reminders++;
	else if (strncmp(m->subject, "Overdue: score sheets", 21) == 0)
		c->overdue++;
	else
		c->other++;
	return (0);
}

static struct mail_count
outbox(struct fx *f)
{
	struct mail_count c = { 0, 0, 0 };

	assert_int_equal(
	    db_outbox_list(f->db, 0, INT64_MAX, 1000, count_mail, &c), 0);
	return (c);
}

/* A cycle in review with one submitted candidate assigned to two raters
 * for screening, and the screening deadline at due. Returns the
 * candidate's application. */
static int64_t
review_with_deadline(struct fx *f, int64_t due)
{
	struct ops_error e = { 0 };
	json_t		*items, *in, *out = NULL;
	char		 d[17];
	int64_t		 app;

	app = fx_application(f, f->applicant[0], f->cycle, "Lovelace", 1);
	fx_cycle_state(f, f->cycle, "review");
	items = json_pack("[{s:I,s:I,s:s},{s:I,s:I,s:s}]", "faculty_id",
	    (json_int_t)f->faculty[0], "application_id", (json_int_t)app,
	    "phase", "screening", "faculty_id", (json_int_t)f->faculty[1],
	    "application_id", (json_int_t)app, "phase", "screening");
	assert_int_equal(ops_assignments_set(f->db, fx_as(f, f->coordinator),
			     f->cycle, items, f->now, &out, &e),
	    OPS_OK);
	json_decref(items);
	json_decref(out);
	fx_date(due, 0, d);
	in = json_pack("{s:s}", "scoring_due", d);
	assert_int_equal(ops_phase_update(f->db, fx_as(f, f->coordinator),
			     f->cycle, PHASE_SCREENING, in, f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
	return (app);
}

static int
remind_at(struct fx *f, int64_t now)
{
	fx_set_now(f, now);
	return (ops_reminders_due(f->db, &f->set, now));
}

static void
test_reminder_goes_once_before_and_once_after_the_deadline(void **state)
{
	struct fx	 *f = *state;
	int64_t		  due = FX_NOW + 5 * FX_DAY;
	struct mail_count c;

	review_with_deadline(f, due);
	/* Three days before: too early. */
	assert_int_equal(remind_at(f, due - 3 * FX_DAY), 0);
	/* Within 48 hours: both raters, once. */
	assert_int_equal(remind_at(f, due - 47 * FX_HOUR), 2);
	assert_int_equal(remind_at(f, due - 46 * FX_HOUR), 0);
	assert_int_equal(remind_at(f, due - FX_HOUR), 0);
	c = outbox(f);
	assert_int_equal(c.reminders, 2);
	assert_int_equal(c.overdue, 0);
	/* Past the deadline: the overdue reminder, once. */
	assert_int_equal(remind_at(f, due + 1), 2);
	assert_int_equal(remind_at(f, due + FX_DAY), 0);
	assert_int_equal(remind_at(f, due + 30 * FX_DAY), 0);
	c = outbox(f);
	assert_int_equal(c.reminders, 2);
	assert_int_equal(c.overdue, 2);
}

/* A deadline past 2038-01-19T03:14:07Z, the last second a signed 32-bit
 * count of seconds holds: the deadline, the reminders' times and the
 * phase as read back are the same as for any other. */
static void
test_a_deadline_after_2038_is_kept_and_reminded(void **state)
{
	struct fx	 *f = *state;
	int64_t		  due = (int64_t)4075308000; /* 2099-02-20T22:00Z */
	struct db_phase	  p;
	struct mail_count c;

	review_with_deadline(f, due);
	assert_int_equal(db_phase_get(f->db, f->cycle, "screening", &p), 1);
	assert_true(p.scoring_due_at == due);
	assert_string_equal(p.scoring_due, "2099-02-20T22:00");
	assert_int_equal(remind_at(f, due - 47 * FX_HOUR), 2);
	assert_int_equal(remind_at(f, due - FX_HOUR), 0);
	assert_int_equal(remind_at(f, due + 1), 2);
	assert_int_equal(remind_at(f, due + FX_DAY), 0);
	c = outbox(f);
	assert_int_equal(c.reminders, 2);
	assert_int_equal(c.overdue, 2);
	assert_int_equal(db_phase_get(f->db, f->cycle, "screening", &p), 1);
	assert_true(p.reminded_at == due - 47 * FX_HOUR);
	assert_true(p.overdue_reminded_at == due + 1);
}

static int
count_phase(void *arg, const struct db_phase *p)
{
	(void)p;
	(*(int *)arg)++;
	return (0);
}

/* How many phases the mail process looks at, at now. */
static int
phases_due(struct fx *f, int64_t now)
{
	int n = 0;

	assert_int_equal(
	    db_phase_due(f->db, now, now + REMIND_BEFORE, count_phase, &n), 0);
	return (n);
}

static void
test_a_reminded_phase_is_not_looked_at_until_its_deadline(void **state)
{
	struct fx *f = *state;
	int64_t	   due = FX_NOW + 5 * FX_DAY;

	review_with_deadline(f, due);
	assert_int_equal(phases_due(f, due - 3 * FX_DAY), 0);
	assert_int_equal(phases_due(f, due - FX_DAY), 1);
	assert_int_equal(remind_at(f, due - FX_DAY), 2);
	/* Reminded: the mail process leaves it alone until it is due. */
	assert_int_equal(phases_due(f, due - FX_DAY + FX_HOUR), 0);
	assert_int_equal(phases_due(f, due - 1), 0);
	assert_int_equal(phases_due(f, due), 1);
	assert_int_equal(remind_at(f, due + 1), 2);
	assert_int_equal(phases_due(f, due + FX_DAY), 0);
}

static void
test_a_deadline_first_seen_after_it_passed_is_overdue_only(void **state)
{
	struct fx	 *f = *state;
	int64_t		  due = FX_NOW + 5 * FX_DAY;
	struct mail_count c;

	review_with_deadline(f, due);
	/* Nothing ran before the deadline (the server was down). */
	assert_int_equal(remind_at(f, due + 3 * FX_HOUR), 2);
	assert_int_equal(remind_at(f, due + 4 * FX_HOUR), 0);
	c = outbox(f);
	assert_int_equal(c.reminders, 0);
	assert_int_equal(c.overdue, 2);
}

static void
test_a_new_deadline_gets_its_own_reminders(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	int64_t		 due = FX_NOW + 5 * FX_DAY, later = due + 10 * FX_DAY;
	json_t		*in, *out = NULL;
	char		 d[17];

	review_with_deadline(f, due);
	assert_int_equal(remind_at(f, due - FX_DAY), 2);
	/* The coordinator moves the deadline ten days later. */
	fx_date(later, 0, d);
	in = json_pack("{s:s}", "scoring_due", d);
	assert_int_equal(ops_phase_update(f->db, fx_as(f, f->coordinator),
			     f->cycle, PHASE_SCREENING, in, f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
	assert_int_equal(remind_at(f, due + FX_HOUR), 0);
	assert_int_equal(remind_at(f, later - FX_DAY), 2);
	assert_int_equal(outbox(f).reminders, 4);
}

static void
test_no_reminder_once_scoring_is_closed(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	int64_t		 due = FX_NOW + 5 * FX_DAY;
	json_t		*in, *out = NULL;

	review_with_deadline(f, due);
	in = json_pack("{s:b}", "closed", 1);
	assert_int_equal(ops_phase_update(f->db, fx_as(f, f->director),
			     f->cycle, PHASE_SCREENING, in, f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
	assert_int_equal(remind_at(f, due - FX_DAY), 0);
	assert_int_equal(remind_at(f, due + FX_DAY), 0);
	assert_int_equal(outbox(f).reminders + outbox(f).overdue, 0);
}

static void
test_manual_reminder_after_the_deadline_says_overdue(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	int64_t		 due = FX_NOW + 5 * FX_DAY;
	int		 sent = 0;

	review_with_deadline(f, due);
	fx_set_now(f, due + FX_DAY);
	assert_int_equal(
	    ops_reminders_send(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, PHASE_SCREENING, 0, f->now, &sent, &e),
	    OPS_OK);
	assert_int_equal(sent, 2);
	assert_int_equal(outbox(f).overdue, 2);
	/* Faculty cannot send them; twice within 12 hours is refused. */
	assert_int_equal(
	    ops_reminders_send(f->db, &f->set, fx_as(f, f->faculty[0]),
		f->cycle, PHASE_SCREENING, 0, f->now, &sent, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    ops_reminders_send(f->db, &f->set, fx_as(f, f->director), f->cycle,
		PHASE_SCREENING, 0, f->now + FX_HOUR, &sent, &e),
	    OPS_THROTTLED);
}

static void
test_a_manual_reminder_stands_for_the_automatic_one(void **state)
{
	struct fx	 *f = *state;
	struct ops_error  e = { 0 };
	int64_t		  due = FX_NOW + 5 * FX_DAY;
	int		  sent = 0;
	struct mail_count c;

	review_with_deadline(f, due);
	/* By hand within 48 hours of the deadline: the automatic one does
	 * not follow. */
	fx_set_now(f, due - FX_DAY);
	assert_int_equal(
	    ops_reminders_send(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, PHASE_SCREENING, 0, f->now, &sent, &e),
	    OPS_OK);
	assert_int_equal(remind_at(f, due - FX_DAY + FX_HOUR), 0);
	/* By hand after it: neither does the automatic overdue one. */
	assert_int_equal(
	    ops_reminders_send(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, PHASE_SCREENING, 0, due + FX_DAY, &sent, &e),
	    OPS_OK);
	assert_int_equal(remind_at(f, due + FX_DAY + FX_HOUR), 0);
	c = outbox(f);
	assert_int_equal(c.reminders, 2);
	assert_int_equal(c.overdue, 2);
}

/* How many messages went to address with a subject starting so. */
struct to_count {
	const char *to;
	const char *subject;
	int	    n;
};

static int
count_to(void *arg, const struct db_mail_row *m)
{
	struct to_count *c = arg;

	if (strcmp(m->to, c->to) == 0 &&
	    strncmp(m->subject, c->subject, strlen(c->subject)) == 0)
		c->n++;
	return (0);
}

static int
mailed(struct fx *f, const char *to, const char *subject)
{
	struct to_count c = { to, subject, 0 };

	assert_int_equal(
	    db_outbox_list(f->db, 0, INT64_MAX, 1000, count_to, &c), 0);
	return (c.n);
}

/* Staff remind rater at now: the result, with *sent and e filled. */
static int
nudge(struct fx *f, int64_t by, int64_t rater, int64_t now, int *sent,
    struct ops_error *e)
{
	memset(e, 0, sizeof(*e));
	*sent = 0;
	return (ops_reminders_send(f->db, &f->set, fx_as(f, by), f->cycle,
	    PHASE_SCREENING, rater, now, sent, e));
}

static int
audited(struct fx *f, const char *action)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *entries;
	size_t		 i;
	int		 n = 0;

	assert_int_equal(ops_audit_list(f->db, fx_as(f, f->director), INT64_MAX,
			     200, &out, &e),
	    OPS_OK);
	entries = json_object_get(out, "entries");
	for (i = 0; i < json_array_size(entries); i++) {
		if (strcmp(json_string_value(json_object_get(
			       json_array_get(entries, i), "action")),
			action) == 0)
			n++;
	}
	json_decref(out);
	return (n);
}

static void
test_staff_remind_one_rater(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	int64_t		 due = FX_NOW + 5 * FX_DAY, t = FX_NOW;
	int		 sent = 0;

	review_with_deadline(f, due);
	assert_int_equal(
	    nudge(f, f->coordinator, f->faculty[0], t, &sent, &e), OPS_OK);
	assert_int_equal(sent, 1);
	assert_int_equal(
	    mailed(f, "faculty1@example.org", "Reminder: score sheets"), 1);
	assert_int_equal(
	    mailed(f, "faculty2@example.org", "Reminder: score sheets"), 0);
	assert_int_equal(audited(f, "score.remind_rater"), 1);
	/* A second within 12 hours is refused, with the time to wait. */
	assert_int_equal(
	    nudge(f, f->director, f->faculty[0], t + FX_HOUR, &sent, &e),
	    OPS_THROTTLED);
	assert_int_equal(e.retry_after, 11 * FX_HOUR);
	assert_int_equal(sent, 0);
	assert_int_equal(
	    mailed(f, "faculty1@example.org", "Reminder: score sheets"), 1);
	/* Another rater may be reminded meanwhile. */
	assert_int_equal(
	    nudge(f, f->director, f->faculty[1], t + FX_HOUR, &sent, &e),
	    OPS_OK);
	/* The phase's own reminder is not held back by these. */
	assert_int_equal(
	    ops_reminders_send(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, PHASE_SCREENING, 0, t + 2 * FX_HOUR, &sent, &e),
	    OPS_OK);
	assert_int_equal(sent, 2);
	/* ... but it counts for each rater it reached: 12 hours from it. */
	assert_int_equal(nudge(f, f->coordinator, f->faculty[0],
			     t + 13 * FX_HOUR, &sent, &e),
	    OPS_THROTTLED);
	assert_int_equal(e.retry_after, FX_HOUR);
	assert_int_equal(nudge(f, f->coordinator, f->faculty[0],
			     t + 14 * FX_HOUR, &sent, &e),
	    OPS_OK);
	assert_int_equal(
	    mailed(f, "faculty1@example.org", "Reminder: score sheets"), 3);
	assert_int_equal(audited(f, "score.remind_rater"), 3);
	/* Past the deadline, the overdue wording. */
	assert_int_equal(
	    nudge(f, f->coordinator, f->faculty[1], due + FX_HOUR, &sent, &e),
	    OPS_OK);
	assert_int_equal(
	    mailed(f, "faculty2@example.org", "Overdue: score sheets"), 1);
}

static void
test_reminding_one_rater_is_refused(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*in, *out = NULL;
	int64_t		 due = FX_NOW + 5 * FX_DAY, app, t = FX_NOW;
	int		 sent = 0;

	app = review_with_deadline(f, due);
	/* Not staff. */
	assert_int_equal(nudge(f, f->faculty[1], f->faculty[0], t, &sent, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(nudge(f, f->applicant[0], f->faculty[0], t, &sent, &e),
	    OPS_FORBIDDEN);
	/* Someone without missing sheets in the phase: not assigned, not a
	 * rater, nobody at all; a rater who has submitted. */
	assert_int_equal(
	    nudge(f, f->coordinator, f->faculty[2], t, &sent, &e), OPS_INVALID);
	assert_string_equal(e.field, "faculty_id");
	assert_int_equal(
	    nudge(f, f->coordinator, f->director, t, &sent, &e), OPS_INVALID);
	assert_int_equal(
	    nudge(f, f->coordinator, f->applicant[0], t, &sent, &e),
	    OPS_INVALID);
	assert_int_equal(
	    nudge(f, f->coordinator, 999999, t, &sent, &e), OPS_INVALID);
	fx_score(f, f->faculty[0], app, PHASE_SCREENING, 4);
	assert_int_equal(
	    nudge(f, f->coordinator, f->faculty[0], t, &sent, &e), OPS_INVALID);
	/* No such cycle. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(
	    ops_reminders_send(f->db, &f->set, fx_as(f, f->coordinator), 999999,
		PHASE_SCREENING, f->faculty[1], t, &sent, &e),
	    OPS_NOT_FOUND);
	/* Scoring closed. */
	in = json_pack("{s:b}", "closed", 1);
	assert_int_equal(ops_phase_update(f->db, fx_as(f, f->director),
			     f->cycle, PHASE_SCREENING, in, t, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
	assert_int_equal(nudge(f, f->coordinator, f->faculty[1], t, &sent, &e),
	    OPS_CONFLICT);
	/* Nothing went to anyone. */
	assert_int_equal(outbox(f).reminders + outbox(f).overdue, 0);
	assert_int_equal(audited(f, "score.remind_rater"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_reminder_goes_once_before_and_once_after_the_deadline,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_reminded_phase_is_not_looked_at_until_its_deadline,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_deadline_first_seen_after_it_passed_is_overdue_only,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_new_deadline_gets_its_own_reminders, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_deadline_after_2038_is_kept_and_reminded, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_reminder_once_scoring_is_closed, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_manual_reminder_after_the_deadline_says_overdue,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_manual_reminder_stands_for_the_automatic_one,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_staff_remind_one_rater, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_reminding_one_rater_is_refused, fx_setup, fx_teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
