/*
 * Interviews over HTTP: staff schedule days and slots, invite candidates
 * and follow bookings, the waitlist and the invitations; faculty read the
 * schedule, without the candidates they have a recorded conflict with; an
 * invited applicant books, changes or cancels a slot and joins or leaves
 * the waitlist, and sees free seats only, never another candidate.
 * Each handler parses the request, calls one operation of
 * ops/interviews.c (which decides, writes and builds the view) and
 * replies with its view or its refusal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/interviews.h"
#include "web/web.h"

WEB_EXPORT int web_interview_days(struct http_request *);
WEB_EXPORT int web_interview_day(struct http_request *);
WEB_EXPORT int web_interview_invitations(struct http_request *);
WEB_EXPORT int web_interview_book(struct http_request *);
WEB_EXPORT int web_interview_cancel(struct http_request *);
WEB_EXPORT int web_interview_waitlist(struct http_request *);
WEB_EXPORT int web_interview_ics(struct http_request *);

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
	struct ops_slot_spec  specs[OPS_IDAY_SLOTS_MAX];
	struct ops_iday_input in = { 0 };
	struct ops_error      e = { 0 };
	struct ops_actor      actor = web_actor(req);
	json_t		     *slots = NULL, *out = NULL;
	int64_t		      cycle = web_path_id(req, "/api/cycles/");
	int		      rc;

	if (req->method != HTTP_METHOD_POST) {
		rc = ops_interview_schedule(
		    web_db, actor, cycle, web_now(req), &out, &e);
		return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
	}
	/*
	 * The route admits every role for the GET; only staff may post,
	 * and they are told so before anything about the body (the
	 * operation refuses them as well).
	 */
	if (!role_is_staff(actor.role))
		return (web_fail_msg(req, WEB_ERR_FORBIDDEN,
		    "Only the coordinator and the director schedule "
		    "interviews."));
	if (web_json_body(req) == NULL ||
	    web_unpack(req, "{s:s,s?:s,s:o!}", "day", &in.day, "location",
		&in.location, "slots", &slots) != 0 ||
	    read_slots(req, slots, specs, &in.nslots) != 0)
		return (KORE_RESULT_OK);
	in.slots = in.nslots <= OPS_IDAY_SLOTS_MAX ? specs : NULL;
	rc = ops_interview_day_create(
	    web_db, &web_settings, actor, cycle, &in, web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_CREATED, out, &e));
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
	return (web_reply_ops(req, rc, HTTP_STATUS_NO_CONTENT, NULL, &e));
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
	int64_t		 ids[OPS_INVITE_MAX];
	int64_t		 cycle = web_path_id(req, "/api/cycles/");
	json_t		*list = NULL, *v, *out = NULL;
	size_t		 i, n;
	int		 rc;

	if (req->method != HTTP_METHOD_POST) {
		rc = ops_interview_invitations(
		    web_db, web_actor(req), cycle, &out, &e);
		return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
	}
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
			    "application_ids must be an array of ids."));
		if (i < OPS_INVITE_MAX)
			ids[i] = json_integer_value(v);
	}
	/* A count out of range is refused by the operation. */
	rc = ops_interview_invite(web_db, &web_settings, web_actor(req), cycle,
	    n <= OPS_INVITE_MAX ? ids : NULL, n, web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
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
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_interview_book(web_db, &web_settings, web_actor(req),
	    web_path_id(req, "/api/interview-slots/"), web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
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
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_interview_cancel(web_db, &web_settings, web_actor(req),
	    web_path_id(req, "/api/cycles/"), web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
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
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_interview_waitlist(web_db, web_actor(req),
	    web_path_id(req, "/api/cycles/"), req->method == HTTP_METHOD_POST,
	    web_now(req), &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

/*
 * GET /api/applications/{id}/interview.ics   (applicant)
 *   200 text/calendar, the booked interview as interview.ics (an
 *       attachment): METHOD:PUBLISH, the UID and SEQUENCE of the mailed
 *       invitation, the times in the cycle's zone with its VTIMEZONE
 *   403 forbidden   not an applicant
 *   404 not_found   not their application, or no slot booked
 */
int
web_interview_ics(struct http_request *req)
{
	struct ops_error e = { 0 };
	char		*text = NULL;
	int		 rc;

	rc = ops_interview_ics(web_db, &web_settings, web_actor(req),
	    web_path_id(req, "/api/applications/"), web_now(req), &text, &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	rc = web_reply_download(req, "text/calendar; charset=utf-8",
	    "interview.ics", text, strlen(text));
	free(text);
	return (rc);
}
