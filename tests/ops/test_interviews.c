/*
 * Tests for src/ops/interviews.c: interview days and their slots (times
 * in the cycle's time zone, no overlaps, 1 to 50 seats), invitations (only
 * submitted applications of the cycle, all or nothing, mailed once),
 * booking, moving and cancelling, full slots and the waitlist (served in
 * the order joined; the seat freed goes to the first waiting, who is
 * mailed), the three views of the schedule (staff; faculty without the
 * candidates they have a conflict with, not even in the counts; an
 * applicant, free seats only) and the roles each operation refuses.
 *
 * The fixture's cycle is in UTC, the clock at 2026-12-06T15:00Z; the
 * interview days are in January 2027, so "started" is reached by moving
 * the clock.
 */
#include "ops/fixture.h"
#include "ops/interviews.h"

#include "core/remind.h"

#define DAY1 "2027-01-20"
#define DAY2 "2027-01-21"
/* 2027-01-20T09:00Z, the fixture's cycle being in UTC. */
#define DAY1_9H ((int64_t)1800435600)

/* A slot as typed, for tables. */
#define SLOT(s, e, c)                                                          \
	{                                                                      \
		s, e, c                                                        \
	}

/* The number of elements of a static array. */
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The submitted application of applicant k (named name) in cycle. */
static int64_t
submitted(struct fx *f, int k, int64_t cycle, const char *name)
{
	return (fx_application(f, f->applicant[k], cycle, name, 1));
}

/* Creates a day of cycle as the coordinator; returns its view ({id, day,
 * location, slots}), which the caller releases. */
static json_t *
add_day(struct fx *f, int64_t cycle, const char *day,
    const struct ops_slot_spec *slots, size_t n)
{
	struct ops_iday_input in = { day, "Clinic B", slots, n };
	struct ops_error      e = { 0 };
	json_t		     *out = NULL, *d;

	assert_int_equal(
	    ops_interview_day_create(f->db, &f->set, fx_as(f, f->coordinator),
		cycle, &in, f->now, &out, &e),
	    OPS_OK);
	d = json_incref(json_object_get(out, "day"));
	json_decref(out);
	assert_non_null(d);
	return (d);
}

/* The id of slot k of a day's view. */
static int64_t
slot_id(const json_t *day, size_t k)
{
	return (json_integer_value(json_object_get(
	    json_array_get(json_object_get(day, "slots"), k), "id")));
}

/* One slot a day of one seat at 09:00; returns the slot's id. */
static int64_t
one_seat(struct fx *f, int64_t cycle, const char *date)
{
	static const struct ops_slot_spec s[] = { SLOT("09:00", "10:00", 1) };
	json_t				 *d = add_day(f, cycle, date, s, 1);
	int64_t				  id = slot_id(d, 0);

	json_decref(d);
	return (id);
}

static void
invite(struct fx *f, int64_t cycle, const int64_t *apps, size_t n)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	assert_int_equal(
	    ops_interview_invite(f->db, &f->set, fx_as(f, f->coordinator),
		cycle, apps, n, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
}

/* Applicant k books slot; returns the result, and the invitation view
 * in *inv when inv is not NULL (else it is released). */
static int
book(struct fx *f, int k, int64_t slot, json_t **inv)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_interview_book(
	    f->db, &f->set, fx_as(f, f->applicant[k]), slot, f->now, &out, &e);
	if (rc != OPS_OK)
		assert_null(out);
	if (inv != NULL)
		*inv = out;
	else
		json_decref(out);
	return (rc);
}

static int
cancel(struct fx *f, int k, int64_t cycle, struct ops_error *e)
{
	json_t *out = NULL;
	int	rc;

	rc = ops_interview_cancel(
	    f->db, &f->set, fx_as(f, f->applicant[k]), cycle, f->now, &out, e);
	json_decref(out);
	return (rc);
}

/* Applicant k joins (join) or leaves the waitlist; the view's waitlist
 * position in *pos (0 when none) when it succeeds. */
static int
waitlist(struct fx *f, int k, int64_t cycle, int join, int64_t *pos,
    struct ops_error *e)
{
	json_t *out = NULL;
	int	rc;

	rc = ops_interview_waitlist(
	    f->db, fx_as(f, f->applicant[k]), cycle, join, f->now, &out, e);
	if (rc == OPS_OK && pos != NULL)
		*pos = json_integer_value(json_object_get(
		    json_object_get(out, "invitation"), "waitlist_position"));
	json_decref(out);
	return (rc);
}

/* The schedule as user sees it (OPS_OK expected); the caller releases
 * it. */
static json_t *
schedule(struct fx *f, int64_t user, int64_t cycle)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	assert_int_equal(ops_interview_schedule(
			     f->db, fx_as(f, user), cycle, f->now, &out, &e),
	    OPS_OK);
	assert_non_null(out);
	return (out);
}

/* The applicant's own invitation as their schedule shows it. */
static json_t *
mine(struct fx *f, int k, int64_t cycle)
{
	json_t *s = schedule(f, f->applicant[k], cycle);
	json_t *inv = json_incref(json_object_get(s, "invitation"));

	json_decref(s);
	return (inv);
}

static const char *
status_of(const json_t *inv)
{
	return (json_string_value(json_object_get(inv, "status")));
}

static int64_t
int_of(const json_t *o, const char *key)
{
	return (json_integer_value(json_object_get(o, key)));
}

/* Whether the text of v contains s. */
static int
mentions(const json_t *v, const char *s)
{
	char *text = json_dumps(v, JSON_COMPACT);
	int   found;

	assert_non_null(text);
	found = strstr(text, s) != NULL;
	free(text);
	return (found);
}

/* Counts the outbox's messages to an address whose subject starts with
 * a prefix, and keeps the last body. */
struct mail_find {
	const char *to;
	const char *subject;
	int	    n;
	char	    body[2048];
};

static int
find_mail(void *arg, const struct db_mail_row *m)
{
	struct mail_find *q = arg;

	if (strcmp(m->to, q->to) == 0 &&
	    strncmp(m->subject, q->subject, strlen(q->subject)) == 0) {
		if (q->n++ == 0)
			(void)snprintf(q->body, sizeof(q->body), "%s", m->body);
	}
	return (0);
}

static struct mail_find
mails(struct fx *f, int k, const char *subject)
{
	struct mail_find q = { NULL, subject, 0, "" };
	char		 to[64];

	(void)snprintf(to, sizeof(to), "applicant%d@example.org", k + 1);
	q.to = to;
	assert_int_equal(
	    db_outbox_list(f->db, 0, INT64_MAX, 1000, find_mail, &q), 0);
	q.to = NULL;
	return (q);
}

/* How many days the schedule of cycle has, as staff see it. */
static size_t
ndays(struct fx *f, int64_t cycle)
{
	json_t *s = schedule(f, f->coordinator, cycle);
	size_t	n = json_array_size(json_object_get(s, "days"));

	json_decref(s);
	return (n);
}

static void
test_day_slots_are_placed_in_the_cycle_time_zone(void **state)
{
	static const struct ops_slot_spec s[] = { SLOT("13:00", "14:00", 1),
		SLOT("09:00", "10:00", 50), SLOT("10:00", "11:30", 3) };
	struct fx			 *f = *state;
	struct ops_error		  e = { 0 };
	json_t				 *in, *out = NULL, *day, *sl;
	size_t				  i;

	in = json_pack("{s:s}", "timezone", "America/New_York");
	assert_int_equal(ops_cycle_update(f->db, fx_as(f, f->director),
			     f->cycle, in, f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
	day = add_day(f, f->cycle, DAY1, s, NELEM(s));
	assert_string_equal(
	    json_string_value(json_object_get(day, "day")), DAY1);
	assert_string_equal(
	    json_string_value(json_object_get(day, "location")), "Clinic B");
	/* By time, whatever the order typed; 09:00 in New York in January
	 * is 14:00Z (EST), and 13:00 is 18:00Z. */
	sl = json_object_get(day, "slots");
	assert_int_equal(json_array_size(sl), 3);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(sl, 0), "starts")),
	    "09:00");
	assert_int_equal(
	    int_of(json_array_get(sl, 0), "starts_at"), 1800453600);
	assert_int_equal(
	    int_of(json_array_get(sl, 1), "starts_at"), 1800453600 + FX_HOUR);
	assert_int_equal(
	    int_of(json_array_get(sl, 2), "starts_at"), 1800468000);
	assert_int_equal(int_of(json_array_get(sl, 0), "capacity"), 50);
	assert_int_equal(int_of(json_array_get(sl, 2), "capacity"), 1);
	for (i = 0; i < 3; i++) {
		assert_int_equal(int_of(json_array_get(sl, i), "booked"), 0);
		assert_int_equal(json_array_size(json_object_get(
				     json_array_get(sl, i), "bookings")),
		    0);
		assert_true(json_is_true(
		    json_object_get(json_array_get(sl, i), "open")));
	}
	json_decref(day);
	/* Summer time: 09:00 in July is 13:00Z (EDT). */
	day = add_day(f, f->cycle, "2027-07-20", s + 1, 1);
	assert_int_equal(
	    int_of(
		json_array_get(json_object_get(day, "slots"), 0), "starts_at"),
	    1816088400);
	json_decref(day);
	assert_int_equal(ndays(f, f->cycle), 2);
}

/* Each case: the input and the field the refusal names. */
struct bad_day {
	const char	    *day;
	const char	    *location;
	struct ops_slot_spec slots[3];
	size_t		     nslots;
	const char	    *field;
};

static void
test_day_creation_refuses_bad_values(void **state)
{
	static const struct bad_day cases[] = {
		{ "2027-02-30", NULL, { SLOT("09:00", "10:00", 1) }, 1, "day" },
		{ "2027-2-3", NULL, { SLOT("09:00", "10:00", 1) }, 1, "day" },
		{ "2027-02-03T09:00", NULL, { SLOT("09:00", "10:00", 1) }, 1,
		    "day" },
		{ NULL, NULL, { SLOT("09:00", "10:00", 1) }, 1, "day" },
		{ DAY1, NULL, { SLOT("09:00", "10:00", 1) }, 0, "slots" },
		{ DAY1, NULL, { SLOT("09:00", "10:00", 0) }, 1, "slots" },
		{ DAY1, NULL, { SLOT("09:00", "10:00", -1) }, 1, "slots" },
		{ DAY1, NULL, { SLOT("09:00", "10:00", 51) }, 1, "slots" },
		{ DAY1, NULL, { SLOT("10:00", "10:00", 1) }, 1, "slots" },
		{ DAY1, NULL, { SLOT("11:00", "10:00", 1) }, 1, "slots" },
		{ DAY1, NULL, { SLOT("24:00", "25:00", 1) }, 1, "slots" },
		{ DAY1, NULL, { SLOT("23:00", "23:60", 1) }, 1, "slots" },
		{ DAY1, NULL, { SLOT("9:00", "10:00", 1) }, 1, "slots" },
		{ DAY1, NULL, { SLOT("09:00", "10:00 ", 1) }, 1, "slots" },
		{ DAY1, NULL, { SLOT(NULL, "10:00", 1) }, 1, "slots" },
		{ DAY1, NULL,
		    { SLOT("09:00", "10:00", 1), SLOT("09:30", "10:30", 1) }, 2,
		    "slots" },
		{ DAY1, NULL,
		    { SLOT("09:00", "12:00", 1), SLOT("10:00", "10:30", 1) }, 2,
		    "slots" },
		{ DAY1, NULL,
		    { SLOT("08:00", "09:00", 1), SLOT("13:00", "14:00", 1),
			SLOT("08:30", "08:45", 1) },
		    3, "slots" },
		{ DAY1, "Room\a1", { SLOT("09:00", "10:00", 1) }, 1,
		    "location" },
	};
	struct fx	     *f = *state;
	struct ops_error      e;
	struct ops_iday_input in;
	json_t		     *out;
	char		      longer[202];
	size_t		      i;

	for (i = 0; i < NELEM(cases); i++) {
		memset(&e, 0, sizeof(e));
		out = NULL;
		in.day = cases[i].day;
		in.location = cases[i].location;
		in.slots = cases[i].slots;
		in.nslots = cases[i].nslots;
		assert_int_equal(ops_interview_day_create(f->db, &f->set,
				     fx_as(f, f->coordinator), f->cycle, &in,
				     f->now, &out, &e),
		    OPS_INVALID);
		assert_null(out);
		assert_string_equal(e.field, cases[i].field);
		assert_true(e.message[0] != '\0');
	}
	/* More than 20 slots: the web layer passes no slots, only the
	 * count. */
	memset(&e, 0, sizeof(e));
	in.day = DAY1;
	in.location = NULL;
	in.slots = NULL;
	in.nslots = OPS_IDAY_SLOTS_MAX + 1;
	assert_int_equal(
	    ops_interview_day_create(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, &in, f->now, &out, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "slots");
	/* A location of 201 characters. */
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	in.location = longer;
	in.slots = cases[0].slots;
	in.nslots = 1;
	assert_int_equal(
	    ops_interview_day_create(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, &in, f->now, &out, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "location");
	assert_int_equal(ndays(f, f->cycle), 0);
}

static void
test_day_creation_accepts_the_boundaries(void **state)
{
	struct fx		*f = *state;
	struct ops_slot_spec	 s[OPS_IDAY_SLOTS_MAX];
	static const char *const starts[] = { "00:00", "01:00", "02:00",
		"03:00", "04:00", "05:00", "06:00", "07:00", "08:00", "09:00",
		"10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00",
		"17:00", "18:00", "19:00", "20:00" };
	struct ops_iday_input	 in = { DAY1, NULL, s, OPS_IDAY_SLOTS_MAX };
	struct ops_error	 e = { 0 };
	json_t			*out = NULL, *day;
	char			 longest[201];
	size_t			 i;

	/* Twenty slots back to back (one ends when the next starts), of 1
	 * and 50 seats, and a location of 200 characters. */
	for (i = 0; i < OPS_IDAY_SLOTS_MAX; i++) {
		s[i].start = starts[i];
		s[i].end = starts[i + 1];
		s[i].capacity = i % 2 == 0 ? 1 : OPS_ISLOT_CAPACITY_MAX;
	}
	s[OPS_IDAY_SLOTS_MAX - 1].end = "23:59";
	memset(longest, 'x', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	in.location = longest;
	assert_int_equal(
	    ops_interview_day_create(f->db, &f->set, fx_as(f, f->director),
		f->cycle, &in, f->now, &out, &e),
	    OPS_OK);
	day = json_object_get(out, "day");
	assert_int_equal(
	    json_array_size(json_object_get(day, "slots")), OPS_IDAY_SLOTS_MAX);
	assert_string_equal(
	    json_string_value(json_object_get(day, "location")), longest);
	json_decref(out);
	/* No location at all is an empty one. */
	in.day = DAY2;
	in.location = NULL;
	in.nslots = 1;
	assert_int_equal(
	    ops_interview_day_create(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, &in, f->now, &out, &e),
	    OPS_OK);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(out, "day"), "location")),
	    "");
	json_decref(out);
}

static void
test_day_creation_needs_staff_a_cycle_and_a_new_date(void **state)
{
	static const struct ops_slot_spec s[] = { SLOT("09:00", "10:00", 1) };
	struct fx			 *f = *state;
	struct ops_iday_input		  in = { DAY1, NULL, s, 1 };
	struct ops_error		  e = { 0 };
	json_t				 *out = NULL;
	int64_t				  setup;

	assert_int_equal(
	    ops_interview_day_create(f->db, &f->set, fx_as(f, f->faculty[0]),
		f->cycle, &in, f->now, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    ops_interview_day_create(f->db, &f->set, fx_as(f, f->applicant[0]),
		f->cycle, &in, f->now, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    ops_interview_day_create(f->db, &f->set, fx_as(f, f->coordinator),
		999999, &in, f->now, &out, &e),
	    OPS_NOT_FOUND);
	assert_null(out);
	assert_int_equal(ndays(f, f->cycle), 0);
	json_decref(add_day(f, f->cycle, DAY1, s, 1));
	memset(&e, 0, sizeof(e));
	assert_int_equal(
	    ops_interview_day_create(f->db, &f->set, fx_as(f, f->director),
		f->cycle, &in, f->now, &out, &e),
	    OPS_CONFLICT);
	assert_string_equal(e.field, "day");
	assert_null(out);
	assert_int_equal(ndays(f, f->cycle), 1);
	/* Staff prepare the days of a cycle still in setup. */
	setup = fx_cycle(f, "Setup cycle", "setup");
	json_decref(add_day(f, setup, DAY1, s, 1));
}

static void
test_day_delete_refuses_a_booked_day(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*d;
	int64_t		 app, slot, empty;

	app = submitted(f, 0, f->cycle, "Lovelace");
	invite(f, f->cycle, &app, 1);
	slot = one_seat(f, f->cycle, DAY1);
	d = add_day(f, f->cycle, DAY2,
	    (const struct ops_slot_spec[]){ SLOT("09:00", "10:00", 1) }, 1);
	empty = int_of(d, "id");
	json_decref(d);
	assert_int_equal(book(f, 0, slot, NULL), OPS_OK);
	d = schedule(f, f->coordinator, f->cycle);
	assert_int_equal(
	    ops_interview_day_delete(f->db, fx_as(f, f->coordinator),
		int_of(json_array_get(json_object_get(d, "days"), 0), "id"),
		&e),
	    OPS_CONFLICT);
	json_decref(d);
	assert_int_equal(
	    ops_interview_day_delete(f->db, fx_as(f, f->faculty[0]), empty, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(ops_interview_day_delete(
			     f->db, fx_as(f, f->applicant[0]), empty, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    ops_interview_day_delete(f->db, fx_as(f, f->director), empty, &e),
	    OPS_OK);
	assert_int_equal(
	    ops_interview_day_delete(f->db, fx_as(f, f->director), empty, &e),
	    OPS_NOT_FOUND);
	assert_int_equal(ndays(f, f->cycle), 1);
}

static void
test_invitations_are_all_or_nothing_and_mailed_once(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL, *list;
	int64_t		 a, b, c, draft, foreign, other, bad[3], two[2];
	size_t		 i;

	a = submitted(f, 0, f->cycle, "Lovelace");
	b = submitted(f, 1, f->cycle, "Hopper");
	c = submitted(f, 2, f->cycle, "Noether");
	draft = fx_application(f, f->applicant[3], f->cycle, "Curie", 0);
	other = fx_cycle(f, "Other cycle", "open");
	foreign = submitted(f, 0, other, "Lovelace");
	/* Interviews come once the applications are closed. */
	fx_cycle_state(f, f->cycle, "review");
	bad[0] = draft;
	bad[1] = foreign;
	bad[2] = 999999;
	for (i = 0; i < NELEM(bad); i++) {
		char id[32];

		two[0] = a;
		two[1] = bad[i];
		memset(&e, 0, sizeof(e));
		assert_int_equal(ops_interview_invite(f->db, &f->set,
				     fx_as(f, f->coordinator), f->cycle, two, 2,
				     f->now, &out, &e),
		    OPS_INVALID);
		assert_null(out);
		assert_string_equal(e.field, "application_ids");
		(void)snprintf(id, sizeof(id), "%lld", (long long)bad[i]);
		assert_non_null(strstr(e.message, id));
	}
	/* 0 ids, or more than 200 (the web layer passes none then). */
	assert_int_equal(
	    ops_interview_invite(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, &a, 0, f->now, &out, &e),
	    OPS_INVALID);
	assert_int_equal(
	    ops_interview_invite(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, NULL, OPS_INVITE_MAX + 1, f->now, &out, &e),
	    OPS_INVALID);
	assert_int_equal(
	    ops_interview_invite(f->db, &f->set, fx_as(f, f->faculty[0]),
		f->cycle, &a, 1, f->now, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    ops_interview_invite(f->db, &f->set, fx_as(f, f->coordinator),
		999999, &a, 1, f->now, &out, &e),
	    OPS_NOT_FOUND);
	assert_int_equal(mails(f, 0, "Interview invitation").n, 0);
	assert_int_equal(ops_interview_invitations(f->db,
			     fx_as(f, f->coordinator), f->cycle, &out, &e),
	    OPS_OK);
	assert_int_equal(
	    json_array_size(json_object_get(out, "invitations")), 0);
	json_decref(out);

	two[0] = a;
	two[1] = b;
	assert_int_equal(
	    ops_interview_invite(f->db, &f->set, fx_as(f, f->director),
		f->cycle, two, 2, f->now, &out, &e),
	    OPS_OK);
	assert_int_equal(int_of(out, "invited"), 2);
	assert_int_equal(int_of(out, "already"), 0);
	json_decref(out);
	/* b again, c twice in one call. */
	bad[0] = b;
	bad[1] = c;
	bad[2] = c;
	assert_int_equal(
	    ops_interview_invite(f->db, &f->set, fx_as(f, f->coordinator),
		f->cycle, bad, 3, f->now, &out, &e),
	    OPS_OK);
	assert_int_equal(int_of(out, "invited"), 1);
	assert_int_equal(int_of(out, "already"), 2);
	json_decref(out);
	for (i = 0; i < 3; i++) {
		struct mail_find m = mails(f, (int)i, "Interview invitation");

		assert_int_equal(m.n, 1);
		assert_non_null(strstr(m.body, "/#/apply/"));
	}
	assert_int_equal(mails(f, 3, "Interview invitation").n, 0);
	assert_int_equal(ops_interview_invitations(f->db,
			     fx_as(f, f->coordinator), f->cycle, &out, &e),
	    OPS_OK);
	list = json_object_get(out, "invitations");
	assert_int_equal(json_array_size(list), 3);
	for (i = 0; i < 3; i++) {
		json_t *r = json_array_get(list, i);

		assert_string_equal(status_of(r), "invited");
		assert_true(json_is_null(json_object_get(r, "slot_id")));
		assert_non_null(json_string_value(json_object_get(r, "email")));
	}
	json_decref(out);
	/* The invitee sees the schedule (no days yet). */
	out = schedule(f, f->applicant[0], f->cycle);
	assert_string_equal(
	    status_of(json_object_get(out, "invitation")), "invited");
	assert_int_equal(json_array_size(json_object_get(out, "days")), 0);
	json_decref(out);
}

static void
test_book_change_and_cancel(void **state)
{
	static const struct ops_slot_spec s[] = { SLOT("09:00", "10:00", 1),
		SLOT("10:00", "11:00", 1), SLOT("11:00", "12:00", 1) };
	struct fx			 *f = *state;
	struct ops_error		  e = { 0 };
	json_t				 *day, *inv;
	int64_t				  apps[3], s1, s2, s3;

	apps[0] = submitted(f, 0, f->cycle, "Lovelace");
	apps[1] = submitted(f, 1, f->cycle, "Hopper");
	apps[2] = submitted(f, 2, f->cycle, "Noether");
	invite(f, f->cycle, apps, 3);
	day = add_day(f, f->cycle, DAY1, s, 3);
	s1 = slot_id(day, 0);
	s2 = slot_id(day, 1);
	s3 = slot_id(day, 2);
	json_decref(day);

	assert_int_equal(book(f, 0, s1, &day), OPS_OK);
	inv = json_incref(json_object_get(day, "invitation"));
	json_decref(day);
	assert_non_null(inv);
	assert_string_equal(status_of(inv), "booked");
	assert_int_equal(int_of(inv, "slot_id"), s1);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(inv, "slot"), "location")),
	    "Clinic B");
	assert_int_equal(
	    int_of(json_object_get(inv, "slot"), "starts_at"), DAY1_9H);
	json_decref(inv);
	/* Again: no change. */
	assert_int_equal(book(f, 0, s1, NULL), OPS_OK);
	/* Full while others are free: choose another slot. */
	assert_int_equal(ops_interview_book(f->db, &f->set,
			     fx_as(f, f->applicant[1]), s1, f->now, &inv, &e),
	    OPS_CONFLICT);
	assert_non_null(strstr(e.message, "another slot"));
	assert_null(strstr(e.message, "waitlist"));
	assert_int_equal(book(f, 1, s2, NULL), OPS_OK);
	/* Moving frees the seat left. */
	assert_int_equal(book(f, 0, s3, NULL), OPS_OK);
	inv = mine(f, 0, f->cycle);
	assert_int_equal(int_of(inv, "slot_id"), s3);
	json_decref(inv);
	assert_int_equal(book(f, 2, s1, NULL), OPS_OK);
	/* Every slot full: keep or cancel. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(ops_interview_book(f->db, &f->set,
			     fx_as(f, f->applicant[0]), s1, f->now, &inv, &e),
	    OPS_CONFLICT);
	assert_non_null(strstr(e.message, "every other slot"));
	/* Cancel, and cancelling twice. */
	assert_int_equal(cancel(f, 0, f->cycle, &e), OPS_OK);
	inv = mine(f, 0, f->cycle);
	assert_string_equal(status_of(inv), "invited");
	assert_true(json_is_null(json_object_get(inv, "slot_id")));
	assert_true(json_is_null(json_object_get(inv, "slot")));
	json_decref(inv);
	memset(&e, 0, sizeof(e));
	assert_int_equal(cancel(f, 0, f->cycle, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "no interview slot"));

	/* Once 10:00 has come: s1 and s2 have started, s3 is still to
	 * come. A started slot is not booked, and a started interview is
	 * neither cancelled nor changed. */
	fx_set_now(f, DAY1_9H + FX_HOUR);
	memset(&e, 0, sizeof(e));
	assert_int_equal(book(f, 0, s1, NULL), OPS_CONFLICT);
	assert_int_equal(ops_interview_book(f->db, &f->set,
			     fx_as(f, f->applicant[0]), s2, f->now, &inv, &e),
	    OPS_CONFLICT);
	assert_non_null(strstr(e.message, "started"));
	memset(&e, 0, sizeof(e));
	assert_int_equal(cancel(f, 1, f->cycle, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "started"));
	memset(&e, 0, sizeof(e));
	assert_int_equal(ops_interview_book(f->db, &f->set,
			     fx_as(f, f->applicant[1]), s3, f->now, &inv, &e),
	    OPS_CONFLICT);
	assert_non_null(strstr(e.message, "Your interview has started"));
	inv = mine(f, 1, f->cycle);
	assert_int_equal(int_of(inv, "slot_id"), s2);
	json_decref(inv);
	/* The applicant's view says which slots are still open. */
	inv = schedule(f, f->applicant[0], f->cycle);
	day = json_object_get(
	    json_array_get(json_object_get(inv, "days"), 0), "slots");
	assert_true(
	    json_is_false(json_object_get(json_array_get(day, 0), "open")));
	assert_true(
	    json_is_true(json_object_get(json_array_get(day, 2), "open")));
	json_decref(inv);
}

static void
test_who_is_not_invited_finds_no_slot(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 a, b, other, slot, other_slot;

	a = submitted(f, 0, f->cycle, "Lovelace");
	(void)submitted(f, 1, f->cycle, "Hopper"); /* applied, not invited */
	other = fx_cycle(f, "Other cycle", "open");
	b = submitted(f, 2, other, "Noether");
	invite(f, f->cycle, &a, 1);
	invite(f, other, &b, 1);
	slot = one_seat(f, f->cycle, DAY1);
	other_slot = one_seat(f, other, DAY1);
	/* Not invited, another cycle's slot, no such slot: alike. */
	assert_int_equal(ops_interview_book(f->db, &f->set,
			     fx_as(f, f->applicant[1]), slot, f->now, &out, &e),
	    OPS_NOT_FOUND);
	assert_null(strstr(e.message, "invited"));
	assert_int_equal(
	    ops_interview_book(f->db, &f->set, fx_as(f, f->applicant[0]),
		other_slot, f->now, &out, &e),
	    OPS_NOT_FOUND);
	assert_null(strstr(e.message, "invited"));
	assert_int_equal(book(f, 2, slot, NULL), OPS_NOT_FOUND);
	assert_int_equal(book(f, 0, 999999, NULL), OPS_NOT_FOUND);
	assert_int_equal(cancel(f, 1, f->cycle, &e), OPS_NOT_FOUND);
	assert_int_equal(waitlist(f, 1, f->cycle, 1, NULL, &e), OPS_NOT_FOUND);
	assert_int_equal(waitlist(f, 3, f->cycle, 0, NULL, &e), OPS_NOT_FOUND);
	/* Who is not invited (or never applied) sees nothing. */
	out = schedule(f, f->applicant[1], f->cycle);
	assert_true(json_is_null(json_object_get(out, "invitation")));
	assert_int_equal(json_array_size(json_object_get(out, "days")), 0);
	json_decref(out);
	out = schedule(f, f->applicant[3], f->cycle);
	assert_true(json_is_null(json_object_get(out, "invitation")));
	json_decref(out);
}

static void
test_a_withdrawn_candidate_neither_books_nor_waits(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*inv, *out = NULL;
	int64_t		 apps[3], slot;

	apps[0] = submitted(f, 0, f->cycle, "Lovelace");
	apps[1] = submitted(f, 1, f->cycle, "Hopper");
	apps[2] = submitted(f, 2, f->cycle, "Noether");
	invite(f, f->cycle, apps, 3);
	slot = one_seat(f, f->cycle, DAY1);
	assert_int_equal(
	    ops_application_withdraw(f->db, &f->set, fx_as(f, f->applicant[2]),
		apps[2], f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	memset(&e, 0, sizeof(e));
	assert_int_equal(ops_interview_book(f->db, &f->set,
			     fx_as(f, f->applicant[2]), slot, f->now, &inv, &e),
	    OPS_CONFLICT);
	assert_non_null(strstr(e.message, "withdrawn"));
	/* a books the only seat, b waits; a withdraws: the seat goes to
	 * b, who is mailed. */
	assert_int_equal(book(f, 0, slot, NULL), OPS_OK);
	memset(&e, 0, sizeof(e));
	assert_int_equal(waitlist(f, 2, f->cycle, 1, NULL, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "withdrawn"));
	assert_int_equal(waitlist(f, 1, f->cycle, 1, NULL, &e), OPS_OK);
	assert_int_equal(
	    ops_application_withdraw(f->db, &f->set, fx_as(f, f->applicant[0]),
		apps[0], f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	inv = mine(f, 1, f->cycle);
	assert_int_equal(int_of(inv, "slot_id"), slot);
	json_decref(inv);
	inv = mine(f, 0, f->cycle);
	assert_string_equal(status_of(inv), "invited");
	json_decref(inv);
	assert_int_equal(
	    mails(f, 1, "Interview slot booked from the waitlist").n, 1);
}

static void
test_the_waitlist_is_served_in_the_order_joined(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct mail_find m;
	json_t		*staff, *wl, *inv;
	int64_t		 apps[3], slot, pos = 0;

	/* a, c, b apply in that order, so c's id is below b's: the order
	 * must be the order of joining the waitlist, not of ids. */
	apps[0] = submitted(f, 0, f->cycle, "Lovelace"); /* a */
	apps[1] = submitted(f, 1, f->cycle, "Hopper");	 /* c */
	apps[2] = submitted(f, 2, f->cycle, "Noether");	 /* b */
	invite(f, f->cycle, apps, 3);
	slot = one_seat(f, f->cycle, DAY1);
	/* A seat is free: the waitlist is refused. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(waitlist(f, 2, f->cycle, 1, NULL, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "free"));
	assert_int_equal(book(f, 0, slot, NULL), OPS_OK);
	/* Full: the waitlist is suggested. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(ops_interview_book(f->db, &f->set,
			     fx_as(f, f->applicant[2]), slot, f->now, &inv, &e),
	    OPS_CONFLICT);
	assert_non_null(strstr(e.message, "join the waitlist"));
	/* b then c join within the same second. */
	assert_int_equal(waitlist(f, 2, f->cycle, 1, &pos, &e), OPS_OK);
	assert_int_equal(pos, 1);
	assert_int_equal(waitlist(f, 1, f->cycle, 1, &pos, &e), OPS_OK);
	assert_int_equal(pos, 2);
	assert_int_equal(waitlist(f, 1, f->cycle, 1, &pos, &e), OPS_OK);
	assert_int_equal(pos, 2);
	memset(&e, 0, sizeof(e));
	assert_int_equal(waitlist(f, 0, f->cycle, 1, NULL, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "booked already"));
	staff = schedule(f, f->coordinator, f->cycle);
	wl = json_object_get(staff, "waitlist");
	assert_int_equal(json_array_size(wl), 2);
	assert_int_equal(
	    int_of(json_array_get(wl, 0), "application_id"), apps[2]);
	assert_int_equal(int_of(json_array_get(wl, 0), "position"), 1);
	assert_int_equal(
	    int_of(json_array_get(wl, 1), "application_id"), apps[1]);
	assert_int_equal(int_of(json_array_get(wl, 1), "position"), 2);
	json_decref(staff);

	/* a cancels: b, first waiting, is booked and mailed. */
	fx_set_now(f, f->now + 60);
	assert_int_equal(cancel(f, 0, f->cycle, &e), OPS_OK);
	inv = mine(f, 2, f->cycle);
	assert_string_equal(status_of(inv), "booked");
	assert_int_equal(int_of(inv, "slot_id"), slot);
	assert_int_equal(int_of(inv, "booked_at"), f->now);
	assert_true(json_is_null(json_object_get(inv, "waitlist_position")));
	json_decref(inv);
	m = mails(f, 2, "Interview slot booked from the waitlist");
	assert_int_equal(m.n, 1);
	assert_non_null(strstr(m.body, "Wednesday, 20 January 2027 at 09:00"));
	assert_int_equal(
	    mails(f, 1, "Interview slot booked from the waitlist").n, 0);
	inv = mine(f, 1, f->cycle);
	assert_string_equal(status_of(inv), "waitlisted");
	assert_int_equal(int_of(inv, "waitlist_position"), 1);
	json_decref(inv);
	/* b cancels: c is next. */
	assert_int_equal(cancel(f, 2, f->cycle, &e), OPS_OK);
	inv = mine(f, 1, f->cycle);
	assert_int_equal(int_of(inv, "slot_id"), slot);
	json_decref(inv);
	assert_int_equal(
	    mails(f, 1, "Interview slot booked from the waitlist").n, 1);
	staff = schedule(f, f->coordinator, f->cycle);
	assert_int_equal(
	    json_array_size(json_object_get(staff, "waitlist")), 0);
	json_decref(staff);
	/* Leaving the waitlist; leaving twice. */
	assert_int_equal(waitlist(f, 2, f->cycle, 1, &pos, &e), OPS_OK);
	assert_int_equal(pos, 1);
	assert_int_equal(waitlist(f, 2, f->cycle, 0, &pos, &e), OPS_OK);
	assert_int_equal(pos, 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(waitlist(f, 2, f->cycle, 0, NULL, &e), OPS_CONFLICT);
	assert_non_null(strstr(e.message, "not on the waitlist"));
}

static void
test_a_new_day_seats_the_waitlist(void **state)
{
	static const struct ops_slot_spec two[] = { SLOT("09:00", "10:00", 2) };
	struct fx			 *f = *state;
	struct ops_error		  e = { 0 };
	json_t				 *day, *sl, *inv;
	int64_t				  apps[4], slot;
	int				  k;

	for (k = 0; k < 4; k++) {
		static const char *const names[] = { "Lovelace", "Hopper",
			"Noether", "Curie" };

		apps[k] = submitted(f, k, f->cycle, names[k]);
	}
	invite(f, f->cycle, apps, 4);
	slot = one_seat(f, f->cycle, DAY1);
	assert_int_equal(book(f, 0, slot, NULL), OPS_OK);
	for (k = 1; k < 4; k++)
		assert_int_equal(waitlist(f, k, f->cycle, 1, NULL, &e), OPS_OK);
	/* Two new seats: the first two waiting take them, in order; the
	 * view of the new day shows them. */
	day = add_day(f, f->cycle, DAY2, two, 1);
	sl = json_array_get(json_object_get(day, "slots"), 0);
	assert_int_equal(int_of(sl, "booked"), 2);
	assert_int_equal(
	    int_of(json_array_get(json_object_get(sl, "bookings"), 0),
		"application_id"),
	    apps[1]);
	json_decref(day);
	for (k = 1; k < 3; k++) {
		inv = mine(f, k, f->cycle);
		assert_string_equal(status_of(inv), "booked");
		json_decref(inv);
		assert_int_equal(
		    mails(f, k, "Interview slot booked from the waitlist").n,
		    1);
	}
	inv = mine(f, 3, f->cycle);
	assert_int_equal(int_of(inv, "waitlist_position"), 1);
	json_decref(inv);
}

/* The first slot of the first day of a schedule. */
static json_t *
first_slot(json_t *v)
{
	return (json_array_get(
	    json_object_get(
		json_array_get(json_object_get(v, "days"), 0), "slots"),
	    0));
}

/* Applicants a and b booked in one slot of two seats, a third on the
 * waitlist of a full second day; returns the applications. */
static void
crowded(struct fx *f, int64_t apps[3], int64_t *slot)
{
	static const struct ops_slot_spec s[] = { SLOT("09:00", "10:00", 2) };
	struct ops_error		  e = { 0 };
	json_t				 *day;

	apps[0] = submitted(f, 0, f->cycle, "Lovelace");
	apps[1] = submitted(f, 1, f->cycle, "Hopper");
	apps[2] = submitted(f, 2, f->cycle, "Noether");
	invite(f, f->cycle, apps, 3);
	day = add_day(f, f->cycle, DAY1, s, 1);
	*slot = slot_id(day, 0);
	json_decref(day);
	assert_int_equal(book(f, 0, *slot, NULL), OPS_OK);
	assert_int_equal(book(f, 1, *slot, NULL), OPS_OK);
	assert_int_equal(waitlist(f, 2, f->cycle, 1, NULL, &e), OPS_OK);
}

static void
test_staff_see_everything(void **state)
{
	struct fx *f = *state;
	json_t	  *v, *sl, *inv;
	int64_t	   apps[3], slot;

	crowded(f, apps, &slot);
	/* A conflict the director recorded bars scoring only. */
	assert_int_equal(db_conflict_insert(f->db, apps[0], f->director,
			     "conflict", "Former student", f->director, NULL),
	    0);
	v = schedule(f, f->director, f->cycle);
	sl = first_slot(v);
	assert_int_equal(int_of(sl, "capacity"), 2);
	assert_int_equal(int_of(sl, "booked"), 2);
	assert_int_equal(json_array_size(json_object_get(sl, "bookings")), 2);
	assert_true(mentions(v, "Lovelace"));
	assert_true(mentions(v, "applicant1@example.org"));
	assert_int_equal(json_array_size(json_object_get(v, "waitlist")), 1);
	assert_int_equal(
	    int_of(json_array_get(json_object_get(v, "waitlist"), 0), "since"),
	    f->now);
	inv = json_object_get(v, "invitations");
	assert_int_equal(json_array_size(inv), 3);
	json_decref(v);
	/* The invitation list alone says the same. */
	{
		struct ops_error e = { 0 };
		json_t		*out = NULL;
		size_t		 i;
		int		 seen = 0;

		assert_int_equal(
		    ops_interview_invitations(
			f->db, fx_as(f, f->coordinator), f->cycle, &out, &e),
		    OPS_OK);
		json_array_foreach(json_object_get(out, "invitations"), i, inv)
		{
			if (int_of(inv, "application_id") == apps[2]) {
				assert_string_equal(
				    status_of(inv), "waitlisted");
				assert_int_equal(
				    int_of(inv, "waitlist_position"), 1);
				seen++;
			} else {
				assert_string_equal(status_of(inv), "booked");
				assert_int_equal(
				    int_of(json_object_get(inv, "slot"), "id"),
				    slot);
				seen++;
			}
		}
		assert_int_equal(seen, 3);
		json_decref(out);
	}
}

static void
test_faculty_never_see_a_conflicted_candidate(void **state)
{
	struct fx *f = *state;
	json_t	  *v, *sl, *b;
	int64_t	   apps[3], slot;

	crowded(f, apps, &slot);
	/* The first rater has a conflict with a (Lovelace), the second
	 * knows b (Hopper); the third has none. */
	assert_int_equal(db_conflict_insert(f->db, apps[0], f->faculty[0],
			     "conflict", "Home resident", f->coordinator, NULL),
	    0);
	assert_int_equal(
	    db_conflict_insert(f->db, apps[1], f->faculty[1], "known_applicant",
		"Knows them", f->coordinator, NULL),
	    0);
	v = schedule(f, f->faculty[0], f->cycle);
	assert_false(mentions(v, "Lovelace"));
	sl = first_slot(v);
	/* Not even in the count. */
	assert_int_equal(int_of(sl, "booked"), 1);
	assert_int_equal(int_of(sl, "capacity"), 2);
	b = json_object_get(sl, "bookings");
	assert_int_equal(json_array_size(b), 1);
	assert_int_equal(
	    int_of(json_array_get(b, 0), "application_id"), apps[1]);
	/* Neither the waitlist nor the invitations, nor an address. */
	assert_null(json_object_get(v, "waitlist"));
	assert_null(json_object_get(v, "invitations"));
	assert_false(mentions(v, "example.org"));
	assert_false(mentions(v, "Noether"));
	json_decref(v);
	v = schedule(f, f->faculty[1], f->cycle);
	assert_false(mentions(v, "Hopper"));
	assert_true(mentions(v, "Lovelace"));
	assert_int_equal(int_of(first_slot(v), "booked"), 1);
	json_decref(v);
	v = schedule(f, f->faculty[2], f->cycle);
	assert_int_equal(int_of(first_slot(v), "booked"), 2);
	assert_true(mentions(v, "Lovelace") && mentions(v, "Hopper"));
	json_decref(v);
}

static void
test_applicants_see_free_seats_never_other_candidates(void **state)
{
	static const struct ops_slot_spec s[] = { SLOT("09:00", "10:00", 2),
		SLOT("10:00", "11:00", 1) };
	struct fx			 *f = *state;
	json_t				 *v, *d, *sl, *inv;
	const char			 *key;
	json_t				 *val;
	int64_t				  apps[2];
	size_t				  i;

	apps[0] = submitted(f, 0, f->cycle, "Lovelace");
	apps[1] = submitted(f, 1, f->cycle, "Hopper");
	invite(f, f->cycle, apps, 2);
	d = add_day(f, f->cycle, DAY1, s, 2);
	assert_int_equal(book(f, 0, slot_id(d, 0), NULL), OPS_OK);
	json_decref(d);
	v = schedule(f, f->applicant[1], f->cycle);
	assert_false(mentions(v, "Lovelace"));
	assert_false(mentions(v, "applicant1@"));
	/* Their own invitation, without an e-mail address. */
	inv = json_object_get(v, "invitation");
	assert_string_equal(status_of(inv), "invited");
	assert_true(json_is_null(json_object_get(inv, "waitlist_position")));
	assert_int_equal(int_of(inv, "application_id"), apps[1]);
	assert_null(json_object_get(inv, "email"));
	d = json_array_get(json_object_get(v, "days"), 0);
	assert_int_equal(json_object_size(d), 4);
	json_object_foreach(d, key, val)
	{
		assert_true(strcmp(key, "id") == 0 || strcmp(key, "day") == 0 ||
		    strcmp(key, "location") == 0 || strcmp(key, "slots") == 0);
	}
	sl = json_object_get(d, "slots");
	assert_int_equal(json_array_size(sl), 2);
	json_array_foreach(sl, i, d)
	{
		assert_int_equal(json_object_size(d), 6);
		assert_non_null(json_object_get(d, "free"));
		assert_null(json_object_get(d, "bookings"));
		assert_null(json_object_get(d, "booked"));
		assert_true(json_is_true(json_object_get(d, "open")));
	}
	assert_int_equal(int_of(json_array_get(sl, 0), "free"), 1);
	assert_int_equal(int_of(json_array_get(sl, 1), "free"), 1);
	json_decref(v);
}

static void
test_the_schedule_of_a_cycle_in_setup_is_for_staff(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 setup = fx_cycle(f, "Setup cycle", "setup");

	assert_int_equal(ops_interview_schedule(f->db, fx_as(f, f->faculty[0]),
			     setup, f->now, &out, &e),
	    OPS_NOT_FOUND);
	assert_int_equal(
	    ops_interview_schedule(
		f->db, fx_as(f, f->applicant[0]), setup, f->now, &out, &e),
	    OPS_NOT_FOUND);
	assert_null(out);
	out = schedule(f, f->coordinator, setup);
	json_decref(out);
	assert_int_equal(ops_interview_schedule(f->db, fx_as(f, f->coordinator),
			     999999, f->now, &out, &e),
	    OPS_NOT_FOUND);
	assert_int_equal(ops_interview_invitations(
			     f->db, fx_as(f, f->coordinator), 999999, &out, &e),
	    OPS_NOT_FOUND);
	assert_null(out);
}

static void
test_roles_are_refused(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 app, slot, who[3];
	size_t		 i;

	app = submitted(f, 0, f->cycle, "Lovelace");
	invite(f, f->cycle, &app, 1);
	slot = one_seat(f, f->cycle, DAY1);
	who[0] = f->coordinator;
	who[1] = f->director;
	who[2] = f->faculty[0];
	/* Booking, cancelling and the waitlist are the applicant's. */
	for (i = 0; i < NELEM(who); i++) {
		assert_int_equal(ops_interview_book(f->db, &f->set,
				     fx_as(f, who[i]), slot, f->now, &out, &e),
		    OPS_FORBIDDEN);
		assert_int_equal(
		    ops_interview_cancel(f->db, &f->set, fx_as(f, who[i]),
			f->cycle, f->now, &out, &e),
		    OPS_FORBIDDEN);
		assert_int_equal(ops_interview_waitlist(f->db, fx_as(f, who[i]),
				     f->cycle, 1, f->now, &out, &e),
		    OPS_FORBIDDEN);
		assert_null(out);
	}
	/* The invitations are the staff's. */
	who[0] = f->faculty[0];
	who[1] = f->applicant[0];
	for (i = 0; i < 2; i++) {
		assert_int_equal(ops_interview_invitations(f->db,
				     fx_as(f, who[i]), f->cycle, &out, &e),
		    OPS_FORBIDDEN);
		assert_int_equal(
		    ops_interview_invite(f->db, &f->set, fx_as(f, who[i]),
			f->cycle, &app, 1, f->now, &out, &e),
		    OPS_FORBIDDEN);
		assert_null(out);
	}
	/* Nothing changed. */
	out = mine(f, 0, f->cycle);
	assert_string_equal(status_of(out), "invited");
	json_decref(out);
}

/* The last message to applicant k whose subject starts with a prefix,
 * with its calendar unfolded, and how many there are. */
struct mail_last {
	const char *to;
	const char *subject;
	int	    n;
	char	    body[2048];
	char	    calendar[8192];
};

static int
last_mail(void *arg, const struct db_mail_row *m)
{
	struct mail_last *q = arg;

	if (strcmp(m->to, q->to) != 0 ||
	    strncmp(m->subject, q->subject, strlen(q->subject)) != 0)
		return (0);
	/* Newest first: the first one seen is the last one sent. */
	if (q->n++ == 0) {
		const char *c = m->calendar != NULL ? m->calendar : "";
		size_t	    n = 0;

		(void)snprintf(q->body, sizeof(q->body), "%s", m->body);
		/* Unfolded (RFC 5545 §3.1), the line ends kept. */
		while (*c != '\0' && n + 1 < sizeof(q->calendar)) {
			if (strncmp(c, "\r\n ", 3) == 0) {
				c += 3;
				continue;
			}
			q->calendar[n++] = *c++;
		}
		q->calendar[n] = '\0';
	}
	return (0);
}

static struct mail_last
last(struct fx *f, int k, const char *subject)
{
	struct mail_last q = { NULL, subject, 0, "", "" };
	char		 to[64];

	(void)snprintf(to, sizeof(to), "applicant%d@example.org", k + 1);
	q.to = to;
	assert_int_equal(
	    db_outbox_list(f->db, 0, INT64_MAX, 1000, last_mail, &q), 0);
	q.to = NULL;
	return (q);
}

/* Whether the calendar text has the content line line (CRLF-ended). */
static int
has_line(const char *cal, const char *line)
{
	char want[512];

	(void)snprintf(want, sizeof(want), "\r\n%s\r\n", line);
	return (strstr(cal, want) != NULL);
}

/* The outbox's messages with a calendar, to anyone. */
static int
count_calendar(void *arg, const struct db_mail_row *m)
{
	if (m->calendar != NULL)
		(*(int *)arg)++;
	return (0);
}

static int
calendars(struct fx *f)
{
	int n = 0;

	assert_int_equal(
	    db_outbox_list(f->db, 0, INT64_MAX, 1000, count_calendar, &n), 0);
	return (n);
}

static void
test_bookings_moves_and_cancellations_are_mailed_with_a_calendar(void **state)
{
	static const struct ops_slot_spec s[] = { SLOT("09:00", "10:00", 1),
		SLOT("10:00", "11:30", 1) };
	struct fx			 *f = *state;
	struct ops_error		  e = { 0 };
	struct mail_last		  m;
	json_t				 *day;
	int64_t				  apps[2], s1, s2;
	char				  uid[128];

	apps[0] = submitted(f, 0, f->cycle, "Lovelace");
	apps[1] = submitted(f, 1, f->cycle, "Hopper");
	invite(f, f->cycle, apps, 2);
	day = add_day(f, f->cycle, DAY1, s, 2);
	s1 = slot_id(day, 0);
	s2 = slot_id(day, 1);
	json_decref(day);
	/* The invitation itself carries no calendar: nothing is booked. */
	assert_int_equal(calendars(f), 0);
	(void)snprintf(uid, sizeof(uid),
	    "UID:interview-%lld@fellowship.example.org", (long long)apps[0]);

	/* Booking: a confirmation with METHOD:REQUEST, in UTC (the
	 * fixture's cycle is in UTC), SEQUENCE 1. */
	assert_int_equal(book(f, 0, s1, NULL), OPS_OK);
	m = last(f, 0, "Interview booked");
	assert_int_equal(m.n, 1);
	assert_non_null(strstr(
	    m.body, "Wednesday, 20 January 2027 at 09:00 (UTC), Clinic B"));
	assert_non_null(strstr(m.body, "/#/apply/"));
	assert_true(has_line(m.calendar, "METHOD:REQUEST"));
	assert_true(has_line(m.calendar, uid));
	assert_true(has_line(m.calendar, "SEQUENCE:1"));
	assert_true(has_line(m.calendar, "DTSTART:20270120T090000Z"));
	assert_true(has_line(m.calendar, "DTEND:20270120T100000Z"));
	assert_true(has_line(m.calendar, "DTSTAMP:20261206T150000Z"));
	assert_true(has_line(m.calendar, "LOCATION:Clinic B"));
	assert_true(has_line(m.calendar, "STATUS:CONFIRMED"));
	assert_null(strstr(m.calendar, "VTIMEZONE"));
	assert_non_null(strstr(m.calendar, ":mailto:applicant1@example.org"));
	assert_non_null(strstr(m.calendar, ":mailto:noreply@example.org"));
	/* Booking the slot held already mails nothing. */
	assert_int_equal(book(f, 0, s1, NULL), OPS_OK);
	assert_int_equal(last(f, 0, "Interview").n, 2); /* + invitation */

	/* A move: the same UID, the next SEQUENCE, the new time. */
	assert_int_equal(book(f, 0, s2, NULL), OPS_OK);
	m = last(f, 0, "Interview moved");
	assert_int_equal(m.n, 1);
	assert_non_null(strstr(m.body,
	    "has moved to Wednesday, 20 January "
	    "2027 at 10:00 (UTC)"));
	assert_true(has_line(m.calendar, "METHOD:REQUEST"));
	assert_true(has_line(m.calendar, uid));
	assert_true(has_line(m.calendar, "SEQUENCE:2"));
	assert_true(has_line(m.calendar, "DTSTART:20270120T100000Z"));
	assert_true(has_line(m.calendar, "DTEND:20270120T113000Z"));

	/* A cancellation: METHOD:CANCEL for the slot left, SEQUENCE 3. */
	assert_int_equal(cancel(f, 0, f->cycle, &e), OPS_OK);
	m = last(f, 0, "Interview cancelled");
	assert_int_equal(m.n, 1);
	assert_true(has_line(m.calendar, "METHOD:CANCEL"));
	assert_true(has_line(m.calendar, "STATUS:CANCELLED"));
	assert_true(has_line(m.calendar, uid));
	assert_true(has_line(m.calendar, "SEQUENCE:3"));
	assert_true(has_line(m.calendar, "DTSTART:20270120T100000Z"));
	/* Booked again, the same event comes back, later in sequence. */
	assert_int_equal(book(f, 0, s1, NULL), OPS_OK);
	m = last(f, 0, "Interview booked");
	assert_int_equal(m.n, 2);
	assert_true(has_line(m.calendar, uid));
	assert_true(has_line(m.calendar, "SEQUENCE:4"));
	/* Nobody else was mailed about it. */
	assert_int_equal(last(f, 1, "Interview").n, 1); /* the invitation */
	assert_int_equal(calendars(f), 4);
	/* A refused booking mails nothing. */
	assert_int_equal(book(f, 1, s1, NULL), OPS_CONFLICT);
	assert_int_equal(calendars(f), 4);
}

static void
test_a_seat_from_the_waitlist_and_a_withdrawal_are_mailed(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct mail_last m;
	json_t		*out = NULL;
	int64_t		 apps[2], slot;

	apps[0] = submitted(f, 0, f->cycle, "Lovelace");
	apps[1] = submitted(f, 1, f->cycle, "Hopper");
	invite(f, f->cycle, apps, 2);
	slot = one_seat(f, f->cycle, DAY1);
	assert_int_equal(book(f, 0, slot, NULL), OPS_OK);
	assert_int_equal(waitlist(f, 1, f->cycle, 1, NULL, &e), OPS_OK);
	/* a withdraws: their interview leaves their calendar, and b is
	 * seated with an invitation for their own. */
	assert_int_equal(
	    ops_application_withdraw(f->db, &f->set, fx_as(f, f->applicant[0]),
		apps[0], f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	m = last(f, 0, "Interview cancelled");
	assert_int_equal(m.n, 1);
	assert_true(has_line(m.calendar, "METHOD:CANCEL"));
	assert_true(has_line(m.calendar, "SEQUENCE:2"));
	m = last(f, 1, "Interview slot booked from the waitlist");
	assert_int_equal(m.n, 1);
	assert_true(has_line(m.calendar, "METHOD:REQUEST"));
	assert_true(has_line(m.calendar, "SEQUENCE:1"));
	assert_non_null(strstr(m.calendar, "interview-"));
	assert_non_null(strstr(m.calendar, ":mailto:applicant2@example.org"));
	assert_true(has_line(m.calendar, "DTSTART:20270120T090000Z"));
	/* An interview that is over stays in the calendar: withdrawing
	 * afterwards mails no cancellation. */
	fx_set_now(f, DAY1_9H + 2 * FX_HOUR);
	assert_int_equal(
	    ops_application_withdraw(f->db, &f->set, fx_as(f, f->applicant[1]),
		apps[1], f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(last(f, 1, "Interview cancelled").n, 0);
}

static void
test_the_calendar_is_in_the_cycle_time_zone(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct mail_last m;
	json_t		*in, *out = NULL;
	int64_t		 app, slot;

	in = json_pack("{s:s}", "timezone", "America/New_York");
	assert_int_equal(ops_cycle_update(f->db, fx_as(f, f->director),
			     f->cycle, in, f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
	app = submitted(f, 0, f->cycle, "Lovelace");
	invite(f, f->cycle, &app, 1);
	slot = one_seat(f, f->cycle, DAY1);
	assert_int_equal(book(f, 0, slot, NULL), OPS_OK);
	m = last(f, 0, "Interview booked");
	assert_int_equal(m.n, 1);
	assert_non_null(strstr(m.body, "at 09:00 (America/New_York)"));
	assert_non_null(strstr(m.calendar,
	    "\r\nBEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"
	    "BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\n"
	    "TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n"
	    "END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:20270314T020000\r\n"));
	assert_true(has_line(
	    m.calendar, "DTSTART;TZID=America/New_York:20270120T090000"));
	assert_true(has_line(
	    m.calendar, "DTEND;TZID=America/New_York:20270120T100000"));
}

/* The applicant's .ics of application app: the result, and the text in
 * *text (NULL unless OPS_OK; the caller frees it). */
static int
ics(struct fx *f, int64_t user, int64_t app, char **text)
{
	struct ops_error e = { 0 };
	int		 rc;

	rc = ops_interview_ics(
	    f->db, &f->set, fx_as(f, user), app, f->now, text, &e);
	if (rc != OPS_OK)
		assert_null(*text);
	return (rc);
}

static void
test_the_booked_interview_as_a_file(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	int64_t		 apps[2], slot;
	char		*text = NULL, uid[128];

	apps[0] = submitted(f, 0, f->cycle, "Lovelace");
	apps[1] = submitted(f, 1, f->cycle, "Hopper");
	invite(f, f->cycle, apps, 2);
	slot = one_seat(f, f->cycle, DAY1);
	/* Invited, nothing booked: nothing to download. */
	assert_int_equal(
	    ics(f, f->applicant[0], apps[0], &text), OPS_NOT_FOUND);
	assert_int_equal(book(f, 0, slot, NULL), OPS_OK);
	assert_int_equal(ics(f, f->applicant[0], apps[0], &text), OPS_OK);
	(void)snprintf(uid, sizeof(uid),
	    "UID:interview-%lld@fellowship.example.org", (long long)apps[0]);
	/* The event of the mail (UID, SEQUENCE) as a file to import: no
	 * attendee to answer for. */
	assert_true(has_line(text, "METHOD:PUBLISH"));
	assert_true(has_line(text, uid));
	assert_true(has_line(text, "SEQUENCE:1"));
	assert_true(has_line(text, "DTSTART:20270120T090000Z"));
	assert_null(strstr(text, "ATTENDEE"));
	assert_int_equal(strncmp(text, "BEGIN:VCALENDAR\r\n", 17), 0);
	free(text);
	text = NULL;
	/* Someone else's booking, an application without one, one that
	 * does not exist: not found. Other roles: refused. */
	assert_int_equal(
	    ics(f, f->applicant[1], apps[0], &text), OPS_NOT_FOUND);
	assert_int_equal(
	    ics(f, f->applicant[1], apps[1], &text), OPS_NOT_FOUND);
	assert_int_equal(
	    ics(f, f->applicant[2], apps[0], &text), OPS_NOT_FOUND);
	assert_int_equal(ics(f, f->applicant[0], 999999, &text), OPS_NOT_FOUND);
	assert_int_equal(ics(f, f->coordinator, apps[0], &text), OPS_FORBIDDEN);
	assert_int_equal(ics(f, f->director, apps[0], &text), OPS_FORBIDDEN);
	assert_int_equal(ics(f, f->faculty[0], apps[0], &text), OPS_FORBIDDEN);
	/* Cancelled: gone. */
	assert_int_equal(cancel(f, 0, f->cycle, &e), OPS_OK);
	assert_int_equal(
	    ics(f, f->applicant[0], apps[0], &text), OPS_NOT_FOUND);
}

/* The reminders to book due at now; their count. */
static int
remind_at(struct fx *f, int64_t now)
{
	fx_set_now(f, now);
	return (ops_interview_reminders_due(f->db, &f->set, now));
}

static void
test_one_reminder_to_book_three_days_after_the_invitation(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct mail_last m;
	json_t		*out = NULL;
	int64_t		 apps[4], slot, t0 = FX_NOW;
	int		 k;

	for (k = 0; k < 4; k++) {
		static const char *const names[] = { "Lovelace", "Hopper",
			"Noether", "Curie" };

		apps[k] = submitted(f, k, f->cycle, names[k]);
	}
	fx_cycle_state(f, f->cycle, "review");
	invite(f, f->cycle, apps, 4);
	slot = one_seat(f, f->cycle, DAY1);
	/* a books, b waits for the only seat, c withdraws, d does nothing. */
	assert_int_equal(book(f, 0, slot, NULL), OPS_OK);
	assert_int_equal(waitlist(f, 1, f->cycle, 1, NULL, &e), OPS_OK);
	assert_int_equal(
	    ops_application_withdraw(f->db, &f->set, fx_as(f, f->applicant[2]),
		apps[2], f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	/* Not before three days. */
	assert_int_equal(remind_at(f, t0 + 2 * FX_DAY), 0);
	assert_int_equal(remind_at(f, t0 + REMIND_BOOKING_AFTER - 1), 0);
	/* Then to d alone, once. */
	assert_int_equal(remind_at(f, t0 + REMIND_BOOKING_AFTER), 1);
	assert_int_equal(remind_at(f, t0 + REMIND_BOOKING_AFTER + 5), 0);
	assert_int_equal(remind_at(f, t0 + 30 * FX_DAY), 0);
	m = last(f, 3, "Reminder: choose your interview slot");
	assert_int_equal(m.n, 1);
	assert_non_null(strstr(m.body, "Dear Ada Curie,"));
	assert_non_null(strstr(m.body, "Test Fellowship 2027"));
	assert_non_null(strstr(m.body, "/#/apply/"));
	assert_int_equal(m.calendar[0], '\0');
	for (k = 0; k < 3; k++)
		assert_int_equal(
		    last(f, k, "Reminder: choose your interview slot").n, 0);
	/* b, who waited at the time, leaves the waitlist: still no
	 * reminder; the decision was taken at three days. */
	assert_int_equal(waitlist(f, 1, f->cycle, 0, NULL, &e), OPS_OK);
	assert_int_equal(remind_at(f, t0 + 31 * FX_DAY), 0);
	assert_int_equal(
	    last(f, 1, "Reminder: choose your interview slot").n, 0);
}

static void
test_no_reminder_to_book_after_booking_or_past_interviews(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	int64_t		 apps[2], slot, t0 = FX_NOW;
	int64_t		 other, late;

	apps[0] = submitted(f, 0, f->cycle, "Lovelace");
	apps[1] = submitted(f, 1, f->cycle, "Hopper");
	invite(f, f->cycle, apps, 2);
	slot = one_seat(f, f->cycle, DAY1);
	/* a books and cancels before the three days: they have answered. */
	assert_int_equal(book(f, 0, slot, NULL), OPS_OK);
	assert_int_equal(cancel(f, 0, f->cycle, &e), OPS_OK);
	/* A second cycle gone on to ranking: its invitee is not reminded. */
	other = fx_cycle(f, "Ranked cycle", "open");
	late = submitted(f, 2, other, "Noether");
	invite(f, other, &late, 1);
	fx_cycle_state(f, other, "review");
	fx_cycle_state(f, other, "ranking");
	assert_int_equal(remind_at(f, t0 + REMIND_BOOKING_AFTER), 1);
	assert_int_equal(last(f, 0, "Reminder: choose").n, 0);
	assert_int_equal(last(f, 1, "Reminder: choose").n, 1);
	assert_int_equal(last(f, 2, "Reminder: choose").n, 0);
	/* Decided for good: back in review, still nothing. */
	fx_cycle_state(f, other, "review");
	assert_int_equal(remind_at(f, t0 + 4 * FX_DAY), 0);
	assert_int_equal(last(f, 2, "Reminder: choose").n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_day_slots_are_placed_in_the_cycle_time_zone, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_day_creation_refuses_bad_values, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_day_creation_accepts_the_boundaries, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_day_creation_needs_staff_a_cycle_and_a_new_date,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_day_delete_refuses_a_booked_day, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_invitations_are_all_or_nothing_and_mailed_once,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_book_change_and_cancel, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_who_is_not_invited_finds_no_slot, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_withdrawn_candidate_neither_books_nor_waits,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_waitlist_is_served_in_the_order_joined, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_new_day_seats_the_waitlist, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_staff_see_everything, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_faculty_never_see_a_conflicted_candidate, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_applicants_see_free_seats_never_other_candidates,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_schedule_of_a_cycle_in_setup_is_for_staff,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_roles_are_refused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_bookings_moves_and_cancellations_are_mailed_with_a_calendar,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_seat_from_the_waitlist_and_a_withdrawal_are_mailed,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_calendar_is_in_the_cycle_time_zone, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_booked_interview_as_a_file, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_one_reminder_to_book_three_days_after_the_invitation,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_reminder_to_book_after_booking_or_past_interviews,
		    fx_setup, fx_teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
