/*
 * Letters of recommendation over HTTP. The applicant asks for letters and
 * follows their status; the writer uploads through a link that needs no
 * account; staff and allowed faculty read the letters. The applicant
 * never receives a letter's content or its hash, by any route.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops/letters.h"
#include "web/web.h"

#define LETTERS_PREFIX "/api/letters/"

WEB_EXPORT int web_letters(struct http_request *);
WEB_EXPORT int web_letter_action(struct http_request *);
WEB_EXPORT int web_letter_file(struct http_request *);
WEB_EXPORT int web_letter_writer(struct http_request *);

struct letter_list {
	json_t *rows;
	int	full; /* staff and faculty see more than the applicant */
};

static int
add_letter(void *arg, const struct db_letter *l)
{
	struct letter_list *ll = arg;
	json_t		   *o;

	o = json_pack("{s:I,s:s,s:s,s:b,s:s,s:s,s:s?,s:s?}", "id",
	    (json_int_t)l->id, "writer_name", l->writer_name, "writer_email",
	    l->writer_email, "waived", l->waived, "status", l->status,
	    "requested_at", l->requested_at, "reminded_at",
	    l->reminded_at[0] ? l->reminded_at : NULL, "received_at",
	    l->received_at[0] ? l->received_at : NULL);
	if (o != NULL && ll->full && strcmp(l->status, "received") == 0)
		json_object_set_new(o, "size", json_integer(l->size));
	return (json_array_append_new(ll->rows, o) == 0 ? 0 : -1);
}

/*
 * GET /api/applications/{id}/letters   (who may see the application)
 *   200 {letters:[{id,writer_name,writer_email,waived,status,
 *        requested_at,reminded_at,received_at}]}   the applicant sees the
 *       status only; staff and faculty may fetch received letters
 *   404 not_found
 * POST /api/applications/{id}/letters {writer_name, writer_email, waived}
 *                                      (its applicant; CSRF)
 *   201 {letter}        requested; the writer is mailed a link
 *   404 not_found       not the applicant's own application
 *   409 conflict        six letters asked for already
 *   422 unprocessable   a field is refused (error.field)
 */
int
web_letters(struct http_request *req)
{
	struct web_state  *st = web_state(req);
	struct ops_error   e = { 0 };
	struct letter_list ll;
	struct db_letter   l;
	const char	  *name, *email;
	json_t		  *o;
	int		   waived = 0, rc;
	int64_t		   app, id;

	app = web_path_id(req, "/api/applications/");
	if (req->method == HTTP_METHOD_POST) {
		if (st->auth.role != ROLE_APPLICANT)
			return (web_fail(req, WEB_ERR_NOT_FOUND));
		if (web_json_body(req) == NULL ||
		    web_unpack(req, "{s:s,s:s,s:b!}", "writer_name", &name,
			"writer_email", &email, "waived", &waived) != 0)
			return (KORE_RESULT_OK);
		rc = ops_letter_request(web_db, &web_settings, app,
		    st->auth.user_id, name, email, waived, web_now(req),
		    &id, &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		if ((rc = db_letter_by_id(web_db, id, &l)) != 1)
			return (web_fail_db(req, rc == 0 ? DB_ERROR : rc));
		ll.rows = json_array();
		ll.full = 0;
		(void)add_letter(&ll, &l);
		o = json_incref(json_array_get(ll.rows, 0));
		json_decref(ll.rows);
		return (web_reply_json(
		    req, HTTP_STATUS_CREATED, json_pack("{s:o}", "letter", o)));
	}
	if ((rc = web_may_view_application(req, app)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	ll.rows = json_array();
	ll.full = st->auth.role != ROLE_APPLICANT;
	if ((rc = db_letter_list(web_db, app, add_letter, &ll)) != 0) {
		json_decref(ll.rows);
		return (web_fail_db(req, rc < 0 ? rc : DB_ERROR));
	}
	return (web_reply_json(
	    req, HTTP_STATUS_OK, json_pack("{s:o}", "letters", ll.rows)));
}

/*
 * POST /api/letters/{id}/remind   (the applicant; CSRF)
 *   202 {status:"sent"}   the writer gets a new link (the old one stops
 *                         working); 429 within a day of the last mail
 * POST /api/letters/{id}/cancel   (the applicant; CSRF)
 *   200 {status:"cancelled"}
 * Both: 404 not the applicant's own; 409 received or cancelled already.
 */
int
web_letter_action(struct http_request *req)
{
	struct web_state *st = web_state(req);
	struct ops_error  e = { 0 };
	const char	 *rest = req->path + strlen(LETTERS_PREFIX);
	int64_t		  id = web_path_id(req, LETTERS_PREFIX);
	int		  rc;

	if (st->auth.role != ROLE_APPLICANT)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	if (strstr(rest, "/remind") != NULL) {
		rc = ops_letter_remind(web_db, &web_settings, id,
		    st->auth.user_id, web_now(req), &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		return (web_reply_json(req, HTTP_STATUS_ACCEPTED,
		    json_pack("{s:s}", "status", "sent")));
	}
	if ((rc = ops_letter_cancel(web_db, id, st->auth.user_id, &e)) !=
	    OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (web_reply_json(
	    req, HTTP_STATUS_OK, json_pack("{s:s}", "status", "cancelled")));
}

/*
 * GET /api/letters/{id}/file   (staff; faculty who may see the
 *                               application; never the applicant)
 *   200 the letter, as an attachment
 *   404 not_found   anyone else, or no letter received
 */
int
web_letter_file(struct http_request *req)
{
	struct web_state *st = web_state(req);
	struct db_letter  l;
	char		  name[64];
	int		  rc;

	if (st->auth.role == ROLE_APPLICANT)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	if ((rc = db_letter_by_id(
		 web_db, web_path_id(req, LETTERS_PREFIX), &l)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0 || strcmp(l.status, "received") != 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	if ((rc = web_may_view_application(req, l.application_id)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	(void)snprintf(name, sizeof(name), "letter-%lld.pdf", (long long)l.id);
	return (web_send_pdf(req, l.sha256, name));
}

/*
 * The writer's link (no account):
 * GET /api/letters/{token}
 *   200 {writer_name, applicant, program}   what the page shows
 *   400 invalid_token   used, cancelled, expired or unknown
 * POST /api/letters/{token}   multipart/form-data: file
 *   201 {status:"received"}   the letter is stored; the link is used up
 *   400 invalid_token, or a malformed multipart body
 *   413 over 10 MB; 422 not an acceptable PDF (error.field "file")
 */
int
web_letter_writer(struct http_request *req)
{
	struct web_state	 *st = web_state(req);
	struct ops_letter_request r;
	struct ops_error	  e = { 0 };
	const char		 *token = req->path + strlen(LETTERS_PREFIX);
	int			  rc;

	if (req->method == HTTP_METHOD_GET) {
		if ((rc = ops_letter_open(
			 web_db, token, web_now(req), &r)) != OPS_OK)
			return (web_fail_ops(req, rc, NULL));
		return (web_reply_json(req, HTTP_STATUS_OK,
		    json_pack("{s:s,s:s,s:s}", "writer_name", r.writer_name,
			"applicant", r.applicant, "program", r.program)));
	}
	if (st->job.state == WEB_OFFLOAD_IDLE) {
		/* Refuse a dead link before reading the file. */
		if ((rc = ops_letter_open(
			 web_db, token, web_now(req), &r)) != OPS_OK)
			return (web_fail_ops(req, rc, NULL));
		if (web_upload_receive(req, st) != 0)
			return (KORE_RESULT_OK);
	}
	if (web_upload_check(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (web_upload_store(req, st) != 0)
		return (KORE_RESULT_OK);
	rc = ops_letter_receive(
	    web_db, token, st->sha256, st->size, web_now(req), &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	return (web_reply_json(req, HTTP_STATUS_CREATED,
	    json_pack("{s:s}", "status", "received")));
}
