/*
 * Letters of recommendation over HTTP. The applicant asks for letters and
 * follows their status; the writer uploads through a link that needs no
 * account; staff and allowed faculty read the letters. The rules, and
 * what each role sees, are in ops/letters.h: the applicant never receives
 * a letter's content, size or hash, by any route.
 */
#include <string.h>

#include "ops/letters.h"
#include "web/web.h"

#define LETTERS_PREFIX "/api/letters/"

WEB_EXPORT int web_letters(struct http_request *);
WEB_EXPORT int web_letter_action(struct http_request *);
WEB_EXPORT int web_letter_file(struct http_request *);
WEB_EXPORT int web_letter_writer(struct http_request *);

/*
 * GET /api/applications/{id}/letters   (who may see the application)
 *   200 {letters:[{id,writer_name,writer_email,waived,status,
 *        requested_at,reminded_at,received_at}]}   the applicant sees the
 *       status only; staff and faculty also the size of a received one
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
	struct ops_letter_ask in = { NULL, NULL, 0 };
	struct ops_error      e = { 0 };
	json_t		     *out = NULL;
	int64_t		      app = web_path_id(req, "/api/applications/");
	int		      rc;

	if (req->method == HTTP_METHOD_POST) {
		/* The route admits every role for the GET; only applicants
		 * may post, and others are told so (404, as the operation
		 * would) before anything about the body. */
		if (web_actor(req).role != ROLE_APPLICANT)
			return (web_fail(req, WEB_ERR_NOT_FOUND));
		if (web_json_body(req) == NULL ||
		    web_unpack(req, "{s:s,s:s,s:b!}", "writer_name",
			&in.writer_name, "writer_email", &in.writer_email,
			"waived", &in.waived) != 0)
			return (KORE_RESULT_OK);
		rc = ops_letter_request(web_db, &web_settings, web_actor(req),
		    app, &in, web_now(req), &out, &e);
		return (web_reply_ops(req, rc, HTTP_STATUS_CREATED, out, &e));
	}
	rc = ops_letters_list(web_db, web_actor(req), app, &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
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
	struct ops_error e = { 0 };
	const char	*rest = req->path + strlen(LETTERS_PREFIX);
	json_t		*out = NULL;
	int64_t		 id = web_path_id(req, LETTERS_PREFIX);
	int		 rc;

	if (strstr(rest, "/remind") != NULL) {
		rc = ops_letter_remind(web_db, &web_settings, web_actor(req),
		    id, web_now(req), &out, &e);
		return (web_reply_ops(req, rc, HTTP_STATUS_ACCEPTED, out, &e));
	}
	rc = ops_letter_cancel(web_db, web_actor(req), id, &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
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
	struct ops_error e = { 0 };
	struct ops_file	 file;
	char		 dir[OPS_DIR_MAX];
	int		 rc;

	if (web_documents_dir(dir, sizeof(dir)) != 0)
		return (web_fail(req, WEB_ERR_INTERNAL));
	rc = ops_letter_file(web_db, web_actor(req),
	    web_path_id(req, LETTERS_PREFIX), dir, &file, &e);
	return (web_send_stored(req, rc, &file, &e));
}

/*
 * The writer's link (no account). The link's token travels in the
 * X-Letter-Token header, never in the path or the query, so no access
 * log (nginx's, a proxy's) keeps a key that uploads a letter; the mailed
 * link holds it in the URL's fragment, which no browser sends. The token
 * is looked up by its hash (ops/letters.c), as every link's is.
 * GET /api/letters/writer   X-Letter-Token: the link's token
 *   200 {writer_name, applicant, program}   what the page shows
 *   400 invalid_token   no token, or one used, cancelled, expired or
 *                       unknown: one answer for all
 * POST /api/letters/writer   X-Letter-Token; multipart/form-data: file
 *   201 {status:"received"}   the letter is stored; the link is used up
 *   400 invalid_token, or a malformed multipart body
 *   413 over 10 MB; 422 not an acceptable PDF (error.field "file");
 *   507 storage_full
 * The POST's first call refuses a dead link before reading the file and
 * streams it to a temporary file; after the PDF check (off the loop) the
 * second records it.
 */
int
web_letter_writer(struct http_request *req)
{
	struct web_state *st = web_state(req);
	struct ops_error  e = { 0 };
	struct http_file *f;
	const char	 *token = NULL;
	json_t		 *out = NULL;
	int		  rc;

	/* A missing header is an unknown token: token_hash() refuses "". */
	if (!http_request_header(req, "x-letter-token", &token))
		token = "";
	if (req->method == HTTP_METHOD_GET) {
		rc = ops_letter_open(web_db, token, web_now(req), &out, &e);
		return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
	}
	if (!web_upload_received(st)) {
		if ((rc = ops_letter_open(
			 web_db, token, web_now(req), &out, &e)) != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		json_decref(out);
		out = NULL;
		if ((f = web_upload_part(req)) == NULL ||
		    web_upload_put(req, st, f) != 0)
			return (KORE_RESULT_OK);
	}
	if (web_upload_check(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	rc = ops_letter_receive(
	    web_db, token, &st->upload, web_now(req), &out, &e);
	return (web_upload_reply(req, rc, out, &e));
}
