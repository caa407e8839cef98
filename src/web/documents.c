/*
 * Documents over HTTP, and what uploads and downloads of stored files
 * share with letters.c. An upload arrives as multipart/form-data through
 * Kore's body offload (large bodies stream to disk, not into the worker's
 * memory); its file part is read here and streamed into the operations
 * layer's upload (a temporary file, hashed and synced by src/store), which
 * is checked as a PDF by the check process (the request sleeping until
 * its verdict arrives) and then handed to the operation
 * that stores and records it. The client's filename is never used for
 * anything. Files are sent only once an operation has decided that the
 * user may have them, as attachments no browser will render.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/document.h"
#include "core/pdf.h"
#include "ops/pdfcheck.h"
#include "ops/documents.h"
#include "web/web.h"

WEB_EXPORT int web_documents(struct http_request *);
WEB_EXPORT int web_document(struct http_request *);

int
web_documents_dir(char *out, size_t len)
{
	return (web_data_path("documents", out, len));
}

/* Reads the multipart file part for ops_upload_put(); remembers whether
 * the part itself failed (the client's fault, not the disk's). */
struct part_reader {
	struct http_file *file;
	int		  failed;
};

static ssize_t
read_part(void *arg, void *buf, size_t len)
{
	struct part_reader *r = arg;
	ssize_t		    n;

	if ((n = http_file_read(r->file, buf, len)) < 0)
		r->failed = 1;
	return (n);
}

struct http_file *
web_upload_part(struct http_request *req)
{
	struct http_file *f;
	const char	 *ctype;
	char		  msg[64];

	if (!http_request_header(req, "content-type", &ctype) ||
	    !document_upload_type_ok(ctype)) {
		web_fail_msg(req, WEB_ERR_BAD_REQUEST,
		    "Send the document as multipart/form-data with a "
		    "boundary.");
		return (NULL);
	}
	http_populate_multipart_form(req);
	if ((f = http_file_lookup(req, "file")) == NULL || f->length == 0) {
		web_fail_field(req, WEB_ERR_BAD_REQUEST, "file",
		    "Attach the PDF as the form field \"file\" of a "
		    "multipart/form-data request.");
		return (NULL);
	}
	if ((long)f->length > web_settings.document_max) {
		(void)snprintf(msg, sizeof(msg),
		    "The file is larger than %ld MB.",
		    web_settings.document_max / (1024L * 1024));
		web_fail_field(req, WEB_ERR_TOO_LARGE, "file", msg);
		return (NULL);
	}
	return (f);
}

int
web_upload_put(
    struct http_request *req, struct web_state *st, struct http_file *f)
{
	struct part_reader r = { f, 0 };
	struct ops_error   e = { 0 };
	char		   dir[OPS_DIR_MAX];
	int		   rc;

	if (web_documents_dir(dir, sizeof(dir)) != 0) {
		web_fail(req, WEB_ERR_INTERNAL);
		return (-1);
	}
	http_file_rewind(f);
	rc = ops_upload_put(dir, read_part, &r, web_now(req), &st->upload, &e);
	if (rc == OPS_OK)
		return (0);
	if (r.failed) {
		web_fail(req, WEB_ERR_BAD_REQUEST);
		return (-1);
	}
	kore_log(LOG_ERR, "upload: %s", e.message);
	web_fail(
	    req, rc == OPS_EFULL ? WEB_ERR_STORAGE_FULL : WEB_ERR_INTERNAL);
	return (-1);
}

/*
 * The PDF check is waited for on the worker's event loop, not on a task
 * thread: Kore hands tasks to its threads in turn, whether or not they
 * are busy, so a thread waiting on a slow check would hold up the
 * sign-ins queued behind it. The upload is sent to the check process
 * (ops_upload_check_send()), the request sleeps, and the verdict's socket
 * is watched by the loop like any connection; its arrival wakes the
 * request. A timer gives up on a verdict that has not come within
 * PDFCHECK_WAIT_SECONDS (the check process kills a check long before).
 */
#define WEB_EVENT_PDFCHECK 0x70 /* a kore_event type Kore does not use */

enum { PDFWAIT_IDLE, PDFWAIT_WAITING, PDFWAIT_DONE };

LIST_HEAD(pdfwait_list, web_pdfwait);
static struct pdfwait_list pdf_waiting = { NULL };
static struct kore_timer  *pdf_timer;

/* The verdict is in (or given up on): wake the request, unless it is
 * being freed. */
static void
pdfwait_end(struct web_pdfwait *w, int give_up, int wake)
{
	if (!ops_upload_check_receive(w->upload, w->fd, give_up))
		return;
	w->fd = -1;
	w->state = PDFWAIT_DONE;
	LIST_REMOVE(w, link);
	if (wake)
		http_request_wakeup(w->req);
}

/* The loop: the verdict's socket is readable, or closed. */
static void
pdfwait_event(void *arg, int error)
{
	struct web_pdfwait *w = arg;

	if (w->state == PDFWAIT_WAITING)
		pdfwait_end(w, 0, 1);
	/* Not there yet although the socket broke: give up on it. */
	if (w->state == PDFWAIT_WAITING && error)
		pdfwait_end(w, 1, 1);
}

static void
pdfwait_timer(void *arg, u_int64_t now)
{
	struct web_pdfwait *w, *next;

	(void)arg;
	for (w = LIST_FIRST(&pdf_waiting); w != NULL; w = next) {
		next = LIST_NEXT(w, link);
		if (now - w->since > PDFCHECK_WAIT_SECONDS * 1000ULL)
			pdfwait_end(w, 1, 1);
	}
}

int
web_upload_received(const struct web_state *st)
{
	return (
	    st->pdf.state != PDFWAIT_IDLE || st->upload.file.path[0] != '\0');
}

int
web_upload_check(struct http_request *req, struct web_state *st)
{
	struct web_pdfwait *w = &st->pdf;

	if (w->state == PDFWAIT_DONE)
		return (WEB_OFFLOAD_DONE);
	if (w->state == PDFWAIT_IDLE) {
		if ((w->fd = ops_upload_check_send(&st->upload)) == -1) {
			w->state = PDFWAIT_DONE;
			return (WEB_OFFLOAD_DONE);
		}
		if (pdf_timer == NULL)
			pdf_timer =
			    kore_timer_add(pdfwait_timer, 1000, NULL, 0);
		w->evt.type = WEB_EVENT_PDFCHECK;
		w->evt.flags = 0;
		w->evt.handle = pdfwait_event;
		w->req = req;
		w->upload = &st->upload;
		w->since = kore_time_ms();
		w->state = PDFWAIT_WAITING;
		LIST_INSERT_HEAD(&pdf_waiting, w, link);
		/* Edge-triggered: a verdict already there is reported. */
		kore_platform_schedule_read(w->fd, w);
	}
	http_request_sleep(req);
	return (WEB_OFFLOAD_PENDING);
}

void
web_upload_forget(struct web_state *st)
{
	/* Closing the socket takes it off the loop (the request is freed
	 * by the loop after it has handled this round's events). */
	if (st->pdf.state == PDFWAIT_WAITING)
		pdfwait_end(&st->pdf, 1, 0);
}

/* Sends what an upload's operation answered; logs a storage failure's
 * reason, which the reply does not carry. */
int
web_upload_reply(
    struct http_request *req, int rc, json_t *out, const struct ops_error *e)
{
	if (rc == OPS_EBUSY && e->message[0] != '\0') {
		/* The check could not run: the sentence says what to do. */
		json_decref(out);
		http_response_header(req, "retry-after", "60");
		return (
		    web_fail_field(req, WEB_ERR_BUSY, e->field, e->message));
	}
	if (rc < 0 && rc != OPS_ENOMEM && e->message[0] != '\0')
		kore_log(LOG_ERR, "upload: %s", e->message);
	return (web_reply_ops(req, rc, HTTP_STATUS_CREATED, out, e));
}

/*
 * POST /api/applications/{id}/documents   (its applicant; CSRF)
 *      multipart/form-data: kind (cv, personal_statement, other), file
 *   201 {document}       stored; a CV or personal statement replaces the
 *                        current one
 *   400 bad_request      no file part, or a malformed multipart body
 *   403 forbidden        submitted, or past the deadline
 *   404 not_found        not the applicant's own application
 *   413 too_large        over 10 MB
 *   422 unprocessable    not a PDF, encrypted, or with scripts (field
 *                        file), or an unknown kind (field kind)
 *   507 storage_full     the disk is full; nothing was stored
 * The first call refuses early and streams the file to a temporary file;
 * after the PDF check (off the loop) the second records it.
 */
static int
upload(struct http_request *req, struct web_state *st, int64_t app)
{
	struct ops_error   e = { 0 };
	struct http_file  *f;
	enum document_kind kind;
	json_t		  *out = NULL;
	char		  *kindname = NULL;
	int		   rc;

	if (!web_upload_received(st)) {
		if ((rc = ops_documents_editable(web_db, web_actor(req), app,
			 web_now(req), &e)) != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		if ((f = web_upload_part(req)) == NULL)
			return (KORE_RESULT_OK);
		if (!http_argument_get_string(req, "kind", &kindname) ||
		    document_kind_parse(kindname, &kind) != 0)
			return (
			    web_fail_field(req, WEB_ERR_UNPROCESSABLE, "kind",
				"Say which document this is: cv, "
				"personal_statement or other."));
		st->kind = (int)kind;
		if (web_upload_put(req, st, f) != 0)
			return (KORE_RESULT_OK);
	}
	if (web_upload_check(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	rc = ops_document_add(web_db, web_actor(req), app,
	    (enum document_kind)st->kind, &st->upload, web_now(req), &out, &e);
	return (web_upload_reply(req, rc, out, &e));
}

/*
 * GET /api/applications/{id}/documents   (who may see the application)
 *   200 {documents:[{id,kind,size,sha256,uploaded_at}]}
 *   404 not_found
 * POST: see upload() above.
 */
int
web_documents(struct http_request *req)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 app = web_path_id(req, "/api/applications/");
	int		 rc;

	if (req->method == HTTP_METHOD_POST)
		return (upload(req, web_state(req), app));
	rc = ops_documents_list(web_db, web_actor(req), app, &out, &e);
	return (web_reply_ops(req, rc, HTTP_STATUS_OK, out, &e));
}

int
web_send_pdf(struct http_request *req, const struct ops_file *file)
{
	struct kore_fileref *ref;
	struct stat	     sb;
	char		     disp[128];
	int		     fd;

	if ((fd = open(file->path, O_RDONLY | O_CLOEXEC)) == -1)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	if (fstat(fd, &sb) == -1) {
		close(fd);
		return (web_fail(req, WEB_ERR_INTERNAL));
	}
	if ((ref = kore_fileref_get(
		 file->path, req->owner->owner->server->tls)) == NULL &&
	    (ref = kore_fileref_create(req->owner->owner->server, file->path,
		 fd, sb.st_size, &sb.st_mtim)) == NULL) {
		close(fd);
		return (web_fail(req, WEB_ERR_INTERNAL));
	}
	if (ref->fd != fd)
		close(fd);
	web_security_headers(req);
	(void)snprintf(
	    disp, sizeof(disp), "attachment; filename=\"%s\"", file->name);
	/* Content-Type comes from Kore's file reply, whose built-in media
	 * types map the stored name's ".pdf" to application/pdf; setting it
	 * here as well would send the header twice. */
	http_response_header(req, "content-disposition", disp);
	http_response_header(req, "cache-control", "private, no-store");
	http_response_header(req, "content-security-policy", "sandbox");
	http_response_fileref(req, HTTP_STATUS_OK, ref);
	return (KORE_RESULT_OK);
}

int
web_send_stored(struct http_request *req, int rc, const struct ops_file *file,
    const struct ops_error *e)
{
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, e));
	return (web_send_pdf(req, file));
}

/*
 * GET /api/documents/{id}      (who may see its application)
 *   200 the PDF, as an attachment; 404 for anyone else and for removed
 *   documents
 * DELETE /api/documents/{id}   (its applicant, while editable; CSRF)
 *   204 removed (kept in the record; the file goes with the next sweep);
 *   403 after submission or the deadline; 404 not the applicant's own
 */
int
web_document(struct http_request *req)
{
	struct ops_error e = { 0 };
	struct ops_file	 file;
	char		 dir[OPS_DIR_MAX];
	int64_t		 id = web_path_id(req, "/api/documents/");
	int		 rc;

	if (req->method == HTTP_METHOD_DELETE) {
		rc = ops_document_remove(
		    web_db, web_actor(req), id, web_now(req), &e);
		return (
		    web_reply_ops(req, rc, HTTP_STATUS_NO_CONTENT, NULL, &e));
	}
	if (web_documents_dir(dir, sizeof(dir)) != 0)
		return (web_fail(req, WEB_ERR_INTERNAL));
	rc = ops_document_file(web_db, web_actor(req), id, dir, &file, &e);
	return (web_send_stored(req, rc, &file, &e));
}
