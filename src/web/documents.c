/*
 * Documents over HTTP, and what uploads and downloads of stored files
 * share with letters.c. An upload arrives as multipart/form-data through
 * Kore's body offload (large bodies stream to disk, not into the worker's
 * memory); its file part is read here and streamed into the operations
 * layer's upload (a temporary file, hashed and synced by src/store), which
 * is checked as a PDF on a task thread and then handed to the operation
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

/* Task thread: the PDF check of the uploaded file. */
static int
check_work(void *arg)
{
	struct web_state *st = arg;

	ops_upload_check(&st->upload);
	return (0);
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
 * One PDF check at a time per worker. A check waits on a task thread for
 * the check process, and task threads are where sign-ins hash passwords:
 * with at most one of them waiting, the others stay free for sign-ins
 * however many uploads arrive. Uploads that find the check taken sleep in
 * a first-come queue; the one that ends its check hands it to the next.
 * Only the worker's event loop touches these.
 */
#define CHECK_QUEUE_MAX 64

static struct http_request *check_holder;
static struct http_request *check_queue[CHECK_QUEUE_MAX];
static size_t		    check_queued;

/* Hands the check to the first in the queue, if any. */
static void
check_pass_on(void)
{
	check_holder = NULL;
	if (check_queued == 0)
		return;
	check_holder = check_queue[0];
	memmove(check_queue, check_queue + 1,
	    --check_queued * sizeof(struct http_request *));
	http_request_wakeup(check_holder);
}

void
web_upload_forget(struct http_request *req)
{
	size_t i;

	for (i = 0; i < check_queued; i++) {
		if (check_queue[i] == req) {
			memmove(check_queue + i, check_queue + i + 1,
			    (--check_queued - i) *
				sizeof(struct http_request *));
			break;
		}
	}
	if (check_holder == req)
		check_pass_on();
}

int
web_upload_received(const struct web_state *st)
{
	return (st->job.state != WEB_OFFLOAD_IDLE ||
	    st->upload.file.path[0] != '\0');
}

int
web_upload_check(struct http_request *req, struct web_state *st)
{
	size_t i;
	int    rc;

	if (st->job.state == WEB_OFFLOAD_IDLE && check_holder != NULL &&
	    check_holder != req) {
		for (i = 0; i < check_queued && check_queue[i] != req;)
			i++;
		if (i == check_queued) {
			if (check_queued == CHECK_QUEUE_MAX) {
				/* Answered at once: send it again later. */
				st->upload.verdict = PDF_UNCHECKED;
				st->upload.checked = 1;
				return (WEB_OFFLOAD_DONE);
			}
			check_queue[check_queued++] = req;
		}
		http_request_sleep(req);
		return (WEB_OFFLOAD_PENDING);
	}
	check_holder = req;
	rc = web_offload_run(req, &st->job, check_work, st, NULL);
	if (rc == WEB_OFFLOAD_DONE)
		check_pass_on();
	return (rc);
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
