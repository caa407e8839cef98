/*
 * Interviews over HTTP: staff schedule days and slots, invite candidates
 * and follow bookings, the waitlist and the invitations; faculty read the
 * schedule, without the candidates they have a recorded conflict with; an
 * invited applicant books, changes or cancels a slot and joins or leaves
 * the waitlist, and sees free seats only, never another candidate.
 * The rules and the seat counting are in ops/interviews.c.
 */
#include <string.h>
#include <time.h>

#include "ops/interviews.h"
#include "web/web.h"

WEB_EXPORT int web_interview_days(struct http_request *);
WEB_EXPORT int web_interview_day(struct http_request *);
WEB_EXPORT int web_interview_invitations(struct http_request *);
WEB_EXPORT int web_interview_book(struct http_request *);
WEB_EXPORT int web_interview_cancel(struct http_request *);
WEB_EXPORT int web_interview_waitlist(struct http_request *);

/* Who is looking decides what a view holds. */
enum view {
	VIEW_STAFF,	/* everything, with names */
	VIEW_FACULTY,	/* bookings with names, minus conflicted candidates */
	VIEW_APPLICANT, /* free seats only */
};

/* The schedule of a cycle and, for faculty, which invitations to hide. */
struct schedule {
	struct ops_schedule sc;
	unsigned char	   *hidden; /* per invitation; NULL: none hidden */
	enum view	    view;
	int64_t		    now;
};

static void
schedule_free(struct schedule *s)
{
	ops_schedule_free(&s->sc);
	kore_free(s->hidden);
	s->hidden = NULL;
}

/*
 * Reads the schedule of cycle as view sees it; for faculty, marks the
 * bookings of candidates they have a conflict with. 0 or a DB_E* code.
 */
static int
schedule_load(struct schedule *s, int64_t cycle, enum view view,
    int64_t faculty, int64_t now)
{
	size_t i;
	int    rc;

	memset(s, 0, sizeof(*s));
	s->view = view;
	s->now = now;
	if ((rc = ops_schedule_load(web_db, cycle, &s->sc)) != 0)
		return (rc);
	if (view != VIEW_FACULTY || s->sc.ninvitations == 0)
		return (0);
	s->hidden = kore_calloc(s->sc.ninvitations, 1);
	for (i = 0; i < s->sc.ninvitations; i++) {
		if (s->sc.invitations[i].slot_id == 0)
			continue;
		if ((rc = db_conflict_exists(web_db,
			 s->sc.invitations[i].application_id, faculty)) < 0) {
			schedule_free(s);
			return (rc);
		}
		s->hidden[i] = rc == 1;
	}
	return (0);
}

/* One slot as view sees it. */
static json_t *
slot_json(const struct schedule *s, const struct db_slot *sl)
{
	json_t *o, *bookings;
	size_t	i;
	int64_t booked = 0;

	o = json_pack("{s:I,s:s,s:s,s:I,s:b}", "id", (json_int_t)sl->id,
	    "starts", sl->starts, "ends", sl->ends, "starts_at",
	    (json_int_t)sl->starts_at, "open", sl->starts_at > s->now);
	if (o == NULL)
		return (NULL);
	if (s->view == VIEW_APPLICANT) {
		json_object_set_new(o, "free",
		    json_integer(sl->booked < sl->capacity
			    ? sl->capacity - sl->booked
			    : 0));
		return (o);
	}
	bookings = json_array();
	for (i = 0; i < s->sc.ninvitations; i++) {
		const struct db_invitation *inv = &s->sc.invitations[i];

		if (inv->slot_id != sl->id ||
		    (s->hidden != NULL && s->hidden[i]))
			continue;
		booked++;
		json_array_append_new(bookings,
		    json_pack("{s:I,s:s}", "application_id",
			(json_int_t)inv->application_id, "candidate",
			inv->candidate));
	}
	/* Faculty count only whom they may see: a hidden candidate must
	 * not show even as a number. */
	if (s->view == VIEW_STAFF)
		booked = sl->booked;
	json_object_set_new(o, "capacity", json_integer(sl->capacity));
	json_object_set_new(o, "booked", json_integer(booked));
	json_object_set_new(o, "bookings", bookings);
	return (o);
}

/* The days of the schedule with their slots (the slots come by day). */
static json_t *
days_json(const struct schedule *s)
{
	json_t *days = json_array(), *day = NULL, *slots = NULL;
	int64_t current = 0;
	size_t	i;

	for (i = 0; i < s->sc.nslots; i++) {
		const struct db_slot *sl = &s->sc.slots[i];

		if (day == NULL || sl->day_id != current) {
			current = sl->day_id;
			slots = json_array();
			day = json_pack("{s:I,s:s,s:s,s:o}", "id",
			    (json_int_t)sl->day_id, "day", sl->day, "location",
			    sl->location, "slots", slots);
			json_array_append_new(days, day);
		}
		json_array_append_new(slots, slot_json(s, sl));
	}
	return (days);
}

/* The day with id in the schedule, or null. */
static json_t *
day_json(const struct schedule *s, int64_t id)
{
	json_t *days = days_json(s), *d, *out = NULL;
	size_t	i;

	json_array_foreach(days, i, d)
	{
		if (json_integer_value(json_object_get(d, "id")) == id)
			out = json_incref(d);
	}
	json_decref(days);
	return (out != NULL ? out : json_null());
}

static const struct db_slot *
find_slot(const struct schedule *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->sc.nslots; i++) {
		if (s->sc.slots[i].id == id)
			return (&s->sc.slots[i]);
	}
	return (NULL);
}

/* 1-based place of inv on the waitlist, or 0 when not waiting. */
static int64_t
waitlist_position(const struct schedule *s, const struct db_invitation *inv)
{
	size_t	i;
	int64_t before = 0;

	if (inv->waitlisted_at == 0)
		return (0);
	for (i = 0; i < s->sc.ninvitations; i++) {
		const struct db_invitation *o = &s->sc.invitations[i];

		if (o->waitlisted_at != 0 &&
		    (o->waitlisted_at < inv->waitlisted_at ||
			(o->waitlisted_at == inv->waitlisted_at &&
			    o->application_id < inv->application_id)))
			before++;
	}
	return (before + 1);
}

static json_t *
maybe_int(int64_t v)
{
	return (v != 0 ? json_integer(v) : json_null());
}

/* A candidate's invitation: the applicant's own, or a row for staff. */
static json_t *
invitation_json(const struct schedule *s, const struct db_invitation *inv)
{
	const struct db_slot *sl = find_slot(s, inv->slot_id);
	int64_t		      pos = waitlist_position(s, inv);
	json_t		     *slot = json_null();

	if (sl != NULL)
		slot = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:I}", "id",
		    (json_int_t)sl->id, "day_id", (json_int_t)sl->day_id, "day",
		    sl->day, "location", sl->location, "starts", sl->starts,
		    "ends", sl->ends, "starts_at", (json_int_t)sl->starts_at);
	return (json_pack("{s:I,s:s,s:s,s:o,s:o,s:I,s:o,s:o,s:o}",
	    "application_id", (json_int_t)inv->application_id, "candidate",
	    inv->candidate, "status", ops_invitation_status(inv), "slot_id",
	    maybe_int(inv->slot_id), "waitlist_position", maybe_int(pos),
	    "invited_at", (json_int_t)inv->invited_at, "booked_at",
	    maybe_int(inv->booked_at), "waitlisted_at",
	    maybe_int(inv->waitlisted_at), "slot", slot));
}

/* The staff's lists: every invitation, and the waitlist in order. */
static void
staff_lists(const struct schedule *s, json_t **invitations, json_t **waitlist)
{
	json_t *o;
	size_t	i;

	*invitations = json_array();
	*waitlist = json_array();
	for (i = 0; i < s->sc.ninvitations; i++) {
		const struct db_invitation *inv = &s->sc.invitations[i];

		if ((o = invitation_json(s, inv)) != NULL)
			json_object_set_new(
			    o, "email", json_string(inv->email));
		json_array_append_new(*invitations, o);
		if (inv->waitlisted_at != 0)
			json_array_append_new(*waitlist,
			    json_pack("{s:I,s:s,s:I,s:I}", "application_id",
				(json_int_t)inv->application_id, "candidate",
				inv->candidate, "since",
				(json_int_t)inv->waitlisted_at, "position",
				(json_int_t)waitlist_position(s, inv)));
	}
}

/* Sends {invitation} for the applicant's invitation in cycle. */
static int
reply_invitation(struct http_request *req, int64_t cycle, int64_t application)
{
	struct schedule	     s;
	struct db_invitation inv;
	json_t		    *o;
	int		     rc;

	if ((rc = schedule_load(&s, cycle, VIEW_APPLICANT, 0, web_now(req))) != 0)
		return (web_fail_db(req, rc));
	if ((rc = db_invitation_get(web_db, application, &inv)) != 1) {
		schedule_free(&s);
		return (web_fail_db(req, rc < 0 ? rc : DB_ERROR));
	}
	o = invitation_json(&s, &inv);
	schedule_free(&s);
	return (web_reply_json(req, HTTP_STATUS_OK,
	    json_pack("{s:o}", "invitation", o != NULL ? o : json_null())));
}

/* The applicant's view: their invitation and the free seats, or nothing
 * when they are not invited. */
static int
applicant_days(struct http_request *req, int64_t cycle)
{
	struct web_state     *st = web_state(req);
	struct db_application a = { 0 };
	struct db_invitation  inv = { 0 };
	struct schedule	      s;
	json_t		     *o;
	int		      rc;

	if ((rc = db_application_by_owner(
		 web_db, cycle, st->auth.user_id, &a)) < 0)
		return (web_fail_db(req, rc));
	db_application_clear(&a);
	if (rc == 1 && (rc = db_invitation_get(web_db, a.id, &inv)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0)
		return (web_reply_json(req, HTTP_STATUS_OK,
		    json_pack("{s:n,s:[]}", "invitation", "days")));
	if ((rc = schedule_load(&s, cycle, VIEW_APPLICANT, 0, web_now(req))) != 0)
		return (web_fail_db(req, rc));
	o = json_pack("{s:o,s:o}", "invitation", invitation_json(&s, &inv),
	    "days", days_json(&s));
	schedule_free(&s);
	return (web_reply_json(req, HTTP_STATUS_OK, o));
}

/* Reads the slots of a day body into specs; -1 with the error sent. */
static int
read_slots(struct http_request *req, json_t *slots, struct ops_slot_spec *specs,
    size_t *n)
{
	json_error_t jerr;
	json_t	    *v;
	json_int_t   capacity;
	size_t	     i;
	char	     msg[256];

	if (!json_is_array(slots)) {
		web_fail_msg(req, WEB_ERR_BAD_JSON, "slots must be an array.");
		return (-1);
	}
	*n = json_array_size(slots);
	/* A count out of range is refused by the operation, unread. */
	if (*n > OPS_IDAY_SLOTS_MAX)
		return (0);
	json_array_foreach(slots, i, v)
	{
		if (json_unpack_ex(v, &jerr, JSON_STRICT, "{s:s,s:s,s:I}",
			"start", &specs[i].start, "end", &specs[i].end,
			"capacity", &capacity) != 0) {
			(void)snprintf(msg, sizeof(msg),
			    "slots[%zu]: %s (each slot is {start, end, "
			    "capacity})",
			    i, jerr.text);
			web_fail_msg(req, WEB_ERR_BAD_JSON, msg);
			return (-1);
		}
		specs[i].capacity = (int64_t)capacity;
	}
	return (0);
}

/*
 * GET /api/cycles/{id}/interview-days   (any signed-in account)
 *   200 staff:     {days:[{id, day, location, slots:[{id, starts, ends,
 *                   starts_at, open, capacity, booked,
 *                   bookings:[{application_id, candidate}]}]}],
 *                   waitlist:[{application_id, candidate, since,
 *                   position}], invitations:[{application_id, candidate,
 *                   email, status, slot_id, waitlist_position, ...}]}
 *       faculty:   {days} as staff, without the candidates they have a
 *                  recorded conflict with (not even in the counts)
 *       applicant: {invitation:{status:"invited"|"booked"|"waitlisted",
 *                   slot_id, waitlist_position, slot, ...}, days:[{id,
 *                   day, location, slots:[{id, starts, ends, starts_at,
 *                   open, free}]}]}; {invitation:null, days:[]} when not
 *                  invited
 *   404 not_found   no such cycle (or in setup, for non-staff)
 * POST /api/cycles/{id}/interview-days {day:"YYYY-MM-DD", location?,
 *                  slots:[{start:"HH:MM", end:"HH:MM", capacity}]}
 *                  (staff; CSRF)
 *   201 {day}          created; waitlisted candidates are booked into it
 *   400 bad_json       malformed, or unknown keys
 *   403 forbidden      not staff
 *   404 not_found      no such cycle
 *   409 conflict       the cycle has this day already
 *   422 unprocessable  error.field day, location or slots says what
 */
int
web_interview_days(struct http_request *req)
{
	struct web_state    *st = web_state(req);
	struct ops_slot_spec specs[OPS_IDAY_SLOTS_MAX];
	struct ops_error     e = { 0 };
	struct db_cycle	     c;
	struct schedule	     s;
	const char	    *day = NULL, *location = NULL;
	json_t		    *slots = NULL, *o, *wl, *inv;
	size_t		     n = 0;
	int64_t		     cycle = web_path_id(req, "/api/cycles/"), id;
	enum view	     view;
	int		     rc;

	if (req->method == HTTP_METHOD_POST) {
		if (!role_is_staff(st->auth.role))
			return (web_fail_msg(req, WEB_ERR_FORBIDDEN,
			    "Only the coordinator and the director schedule "
			    "interviews."));
		if (web_json_body(req) == NULL ||
		    web_unpack(req, "{s:s,s?:s,s:o!}", "day", &day, "location",
			&location, "slots", &slots) != 0 ||
		    read_slots(req, slots, specs, &n) != 0)
			return (KORE_RESULT_OK);
		rc = ops_interview_day_create(web_db, &web_settings,
		    web_actor(req), cycle, day, location,
		    n <= OPS_IDAY_SLOTS_MAX ? specs : NULL, n,
		    web_now(req), &id, &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		if ((rc = schedule_load(&s, cycle, VIEW_STAFF, 0, web_now(req))) != 0)
			return (web_fail_db(req, rc));
		o = day_json(&s, id);
		schedule_free(&s);
		return (web_reply_json(
		    req, HTTP_STATUS_CREATED, json_pack("{s:o}", "day", o)));
	}

	if ((rc = db_cycle_by_id(web_db, cycle, &c)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0 ||
	    (!role_is_staff(st->auth.role) && strcmp(c.state, "setup") == 0))
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	if (st->auth.role == ROLE_APPLICANT)
		return (applicant_days(req, cycle));
	view = role_is_staff(st->auth.role) ? VIEW_STAFF : VIEW_FACULTY;
	if ((rc = schedule_load(&s, cycle, view, st->auth.user_id, web_now(req))) != 0)
		return (web_fail_db(req, rc));
	o = json_pack("{s:o}", "days", days_json(&s));
	if (o != NULL && view == VIEW_STAFF) {
		staff_lists(&s, &inv, &wl);
		json_object_set_new(o, "waitlist", wl);
		json_object_set_new(o, "invitations", inv);
	}
	schedule_free(&s);
	return (web_reply_json(req, HTTP_STATUS_OK, o));
}

/*
 * DELETE /api/interview-days/{id}   (staff; CSRF)
 *   204             the day and its slots are gone
 *   404 not_found   no such day
 *   409 conflict    candidates have booked slots on it
 */
int
web_interview_day(struct http_request *req)
{
	struct ops_error e = { 0 };
	int		 rc;

	rc = ops_interview_day_delete(web_db, web_actor(req),
	    web_path_id(req, "/api/interview-days/"), &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (web_reply_json(req, HTTP_STATUS_NO_CONTENT, NULL));
}

/*
 * GET /api/cycles/{id}/interview-invitations   (staff)
 *   200 {invitations:[{application_id, candidate, email, status, slot_id,
 *        waitlist_position, invited_at, booked_at, waitlisted_at, slot}]}
 *   404 not_found   no such cycle
 * POST /api/cycles/{id}/interview-invitations {application_ids:[...]}
 *                                              (staff; CSRF)
 *   200 {invited, already}   each new invitee is mailed
 *   400 bad_json       malformed, unknown keys, or ids not integers
 *   404 not_found      no such cycle
 *   422 unprocessable  1..200 ids, each a submitted application of the
 *                      cycle (the message names the first that is not);
 *                      nobody is invited then
 */
int
web_interview_invitations(struct http_request *req)
{
	struct ops_error e = { 0 };
	struct db_cycle	 c;
	struct schedule	 s;
	int64_t		 ids[OPS_INVITE_MAX], invited, already;
	int64_t		 cycle = web_path_id(req, "/api/cycles/");
	json_t		*list = NULL, *v, *inv, *wl;
	size_t		 i, n;
	int		 rc;

	if (req->method == HTTP_METHOD_POST) {
		if (web_json_body(req) == NULL ||
		    web_unpack(req, "{s:o!}", "application_ids", &list) != 0)
			return (KORE_RESULT_OK);
		if (!json_is_array(list))
			return (web_fail_msg(req, WEB_ERR_BAD_JSON,
			    "application_ids must be an array of ids."));
		n = json_array_size(list);
		json_array_foreach(list, i, v)
		{
			if (!json_is_integer(v) || json_integer_value(v) < 1)
				return (web_fail_msg(req, WEB_ERR_BAD_JSON,
				    "application_ids must be an array of "
				    "ids."));
			if (i < OPS_INVITE_MAX)
				ids[i] = json_integer_value(v);
		}
		/* A count out of range is refused by the operation. */
		rc = ops_interview_invite(web_db, &web_settings, web_actor(req),
		    cycle, n <= OPS_INVITE_MAX ? ids : NULL, n,
		    web_now(req), &invited, &already, &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		return (web_reply_json(req, HTTP_STATUS_OK,
		    json_pack("{s:I,s:I}", "invited", (json_int_t)invited,
			"already", (json_int_t)already)));
	}
	if ((rc = db_cycle_by_id(web_db, cycle, &c)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	if ((rc = schedule_load(&s, cycle, VIEW_STAFF, 0, web_now(req))) != 0)
		return (web_fail_db(req, rc));
	staff_lists(&s, &inv, &wl);
	json_decref(wl);
	schedule_free(&s);
	return (web_reply_json(
	    req, HTTP_STATUS_OK, json_pack("{s:o}", "invitations", inv)));
}

/*
 * POST /api/interview-slots/{id}/book   (applicant; CSRF)
 *   200 {invitation}   booked, or moved from their earlier slot (whose
 *                      seat goes to the first on the waitlist); off the
 *                      waitlist
 *   403 forbidden      not an applicant
 *   404 not_found      no such slot, or not invited in its cycle
 *   409 conflict       the slot is full (the message says whether to
 *                      choose another slot or join the waitlist), has
 *                      started, or the own interview has started; or the
 *                      application is withdrawn
 */
int
web_interview_book(struct http_request *req)
{
	struct web_state    *st = web_state(req);
	struct ops_error     e = { 0 };
	struct db_invitation inv;
	int		     rc;

	if (st->auth.role != ROLE_APPLICANT)
		return (web_fail_msg(req, WEB_ERR_FORBIDDEN,
		    "Only invited applicants book interview slots."));
	rc = ops_interview_book(web_db, &web_settings,
	    web_path_id(req, "/api/interview-slots/"), st->auth.user_id,
	    web_now(req), &inv, &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (reply_invitation(req, inv.cycle_id, inv.application_id));
}

/*
 * POST /api/cycles/{id}/interview-booking/cancel   (applicant; CSRF)
 *   200 {invitation}   cancelled; the seat goes to the first on the
 *                      waitlist, who is booked and mailed
 *   403 forbidden      not an applicant
 *   404 not_found      not invited in this cycle
 *   409 conflict       nothing booked, or the interview has started
 */
int
web_interview_cancel(struct http_request *req)
{
	struct web_state    *st = web_state(req);
	struct ops_error     e = { 0 };
	struct db_invitation inv;
	int64_t		     cycle = web_path_id(req, "/api/cycles/");
	int		     rc;

	if (st->auth.role != ROLE_APPLICANT)
		return (web_fail_msg(req, WEB_ERR_FORBIDDEN,
		    "Only applicants cancel their interview."));
	rc = ops_interview_cancel(web_db, &web_settings, cycle,
	    st->auth.user_id, web_now(req), &inv, &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (reply_invitation(req, cycle, inv.application_id));
}

/*
 * POST /api/cycles/{id}/interview-waitlist     (applicant; CSRF)
 *   200 {invitation}   on the waitlist (joining twice changes nothing)
 *   409 conflict       a seat is free (book it), already booked, or
 *                      the application is withdrawn
 * DELETE /api/cycles/{id}/interview-waitlist   (applicant; CSRF)
 *   200 {invitation}   off the waitlist
 *   409 conflict       not on the waitlist
 * Both: 403 not an applicant; 404 not invited in this cycle.
 */
int
web_interview_waitlist(struct http_request *req)
{
	struct web_state    *st = web_state(req);
	struct ops_error     e = { 0 };
	struct db_invitation inv;
	int64_t		     cycle = web_path_id(req, "/api/cycles/");
	int		     rc;

	if (st->auth.role != ROLE_APPLICANT)
		return (web_fail_msg(req, WEB_ERR_FORBIDDEN,
		    "Only invited applicants use the waitlist."));
	rc = ops_interview_waitlist(web_db, cycle, st->auth.user_id,
	    req->method == HTTP_METHOD_POST, web_now(req), &inv, &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (reply_invitation(req, cycle, inv.application_id));
}
