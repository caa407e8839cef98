/*
 * Documents over HTTP. An upload arrives as multipart/form-data through
 * Kore's body offload (large bodies stream to disk, not into the worker's
 * memory); its file part is copied to a temporary file in the data
 * directory while its SHA-256 is computed, checked as a PDF by content on
 * a task thread (core/pdf.c), then renamed to documents/<sha256>.pdf and
 * recorded. The client's filename is never used for anything. Files are
 * served only to those who may see the application, as attachments.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/access.h"
#include "core/document.h"
#include "core/pdf.h"
#include "ops/documents.h"
#include "web/web.h"

WEB_EXPORT int web_documents(struct http_request *);
WEB_EXPORT int web_document(struct http_request *);

static json_t *
document_json(const struct db_document *d)
{
	return (json_pack("{s:I,s:s,s:I,s:s,s:s}", "id", (json_int_t)d->id,
	    "kind", d->kind, "size", (json_int_t)d->size, "sha256", d->sha256,
	    "uploaded_at", d->created_at));
}

static int
add_document(void *arg, const struct db_document *d)
{
	return (json_array_append_new(arg, document_json(d)) == 0 ? 0 : -1);
}

/*
 * Returns 1 when the signed-in user may see application id, 0 when not
 * (or it does not exist), or a DB_E* code.
 */
int
web_may_view_application(struct http_request *req, int64_t id)
{
	struct web_state     *st = web_state(req);
	struct db_application a = { 0 };
	int		      rc, conflicted = 0, assigned = 0;

	if ((rc = db_application_by_id(web_db, id, &a)) <= 0)
		return (rc);
	db_application_clear(&a);
	if ((rc = web_reviewer_flags(req, id, &conflicted, &assigned)) < 0)
		return (rc);
	return (access_view_application(st->auth.role, st->auth.user_id,
	    a.applicant_id, strcmp(a.status, "submitted") == 0, conflicted,
	    assigned));
}

int
web_reviewer_flags(
    struct http_request *req, int64_t id, int *conflicted, int *assigned)
{
	struct web_state *st = web_state(req);

	*conflicted = *assigned = 0;
	if (st->auth.role != ROLE_FACULTY)
		return (0);
	if ((*conflicted = db_conflict_exists(web_db, id, st->auth.user_id)) <
	    0)
		return (*conflicted);
	if ((*assigned = db_assignment_exists(
		 web_db, id, st->auth.user_id, NULL)) < 0)
		return (*assigned);
	return (0);
}

/* Task thread: the PDF check of the uploaded file. */
static int
check_work(void *arg)
{
	struct web_state *st = arg;

	st->verdict = (int)pdf_check(st->upload);
	return (0);
}

/* Syncs the directory holding path, so a rename into it is durable. */
static int
sync_dir_of(const char *path)
{
	char dir[512], *slash;
	int  fd, rc;

	(void)snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		return (-1);
	*slash = '\0';
	if ((fd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY)) == -1)
		return (-1);
	rc = fsync(fd);
	close(fd);
	return (rc);
}

/*
 * Copies the multipart file part to a new temporary file, hashing it.
 * Returns 0, or sends the error and returns -1.
 */
static int
receive(struct http_request *req, struct web_state *st, struct http_file *f)
{
	crypto_hash_sha256_state h;
	unsigned char		 digest[crypto_hash_sha256_BYTES];
	unsigned char		 buf[65536];
	char			 name[64], rnd[17];
	ssize_t			 n;
	int			 fd = -1;

	randombytes_buf(digest, 8);
	sodium_bin2hex(rnd, sizeof(rnd), digest, 8);
	(void)snprintf(name, sizeof(name), "documents/.upload-%s", rnd);
	if (web_data_path(name, st->upload, sizeof(st->upload)) != 0 ||
	    (fd = open(st->upload, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		/* No inode or directory block left is a full disk too. */
		int full = errno == ENOSPC || errno == EDQUOT;

		kore_log(LOG_ERR, "upload: cannot create %s: %s", st->upload,
		    errno_s);
		st->upload[0] = '\0';
		web_fail(req, full ? WEB_ERR_STORAGE_FULL : WEB_ERR_INTERNAL);
		return (-1);
	}
	crypto_hash_sha256_init(&h);
	st->size = 0;
	http_file_rewind(f);
	while ((n = http_file_read(f, buf, sizeof(buf))) > 0) {
		crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
		if (write(fd, buf, (size_t)n) != n) {
			int full = errno == ENOSPC || errno == EDQUOT;

			close(fd);
			(void)unlink(st->upload);
			st->upload[0] = '\0';
			web_fail(req,
			    full ? WEB_ERR_STORAGE_FULL : WEB_ERR_INTERNAL);
			return (-1);
		}
		st->size += n;
	}
	if (n == -1) {
		close(fd);
		web_fail(req, WEB_ERR_BAD_REQUEST);
		return (-1);
	}
	/* A failed fsync is the server's storage, not the client's request
	 * (delayed allocation reports a full disk here); the temporary file
	 * goes with the request state. */
	if (fsync(fd) == -1) {
		int full = errno == ENOSPC || errno == EDQUOT;

		kore_log(LOG_ERR, "upload: fsync: %s", errno_s);
		close(fd);
		web_fail(req, full ? WEB_ERR_STORAGE_FULL : WEB_ERR_INTERNAL);
		return (-1);
	}
	close(fd);
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(st->sha256, sizeof(st->sha256), digest, sizeof(digest));
	return (0);
}

int
web_upload_receive(struct http_request *req, struct web_state *st)
{
	struct http_file *f;
	const char	 *ctype;

	if (!http_request_header(req, "content-type", &ctype) ||
	    !document_upload_type_ok(ctype)) {
		web_fail_msg(req, WEB_ERR_BAD_REQUEST,
		    "Send the document as multipart/form-data with a "
		    "boundary.");
		return (-1);
	}
	http_populate_multipart_form(req);
	if ((f = http_file_lookup(req, "file")) == NULL || f->length == 0) {
		web_fail_field(req, WEB_ERR_BAD_REQUEST, "file",
		    "Attach the PDF as the form field \"file\" of a "
		    "multipart/form-data request.");
		return (-1);
	}
	if ((long)f->length > web_settings.document_max) {
		char msg[64];

		(void)snprintf(msg, sizeof(msg),
		    "The file is larger than %ld MB.",
		    web_settings.document_max / (1024L * 1024));
		web_fail_field(req, WEB_ERR_TOO_LARGE, "file", msg);
		return (-1);
	}
	return (receive(req, st, f));
}

int
web_upload_check(struct http_request *req, struct web_state *st)
{
	return (web_offload_run(req, &st->job, check_work, st, NULL));
}

int
web_upload_store(struct http_request *req, struct web_state *st)
{
	char name[128], final[512];

	if (st->verdict != PDF_OK) {
		(void)unlink(st->upload);
		st->upload[0] = '\0';
		web_fail_field(req, WEB_ERR_UNPROCESSABLE, "file",
		    pdf_verdict_message((enum pdf_verdict)st->verdict));
		return (-1);
	}
	(void)snprintf(name, sizeof(name), "documents/%s.pdf", st->sha256);
	if (web_data_path(name, final, sizeof(final)) != 0) {
		web_fail(req, WEB_ERR_INTERNAL);
		return (-1);
	}
	/* The same content is stored once, under the same name. */
	if (rename(st->upload, final) == -1) {
		kore_log(LOG_ERR, "upload: rename: %s", errno_s);
		web_fail(req, WEB_ERR_INTERNAL);
		return (-1);
	}
	st->upload[0] = '\0';
	if (sync_dir_of(final) == -1) {
		web_fail(req, WEB_ERR_INTERNAL);
		return (-1);
	}
	return (0);
}

/* The upload's first call: checks, receives, starts the PDF check. */
static int
upload_start(struct http_request *req, struct web_state *st, int64_t app)
{
	struct ops_error   e = { 0 };
	enum document_kind kind;
	char		  *kindname = NULL;
	int		   rc;

	if (st->auth.role != ROLE_APPLICANT)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	if ((rc = ops_documents_editable(web_db, app, st->auth.user_id,
		 web_now(req), &e)) != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	if (web_upload_receive(req, st) != 0)
		return (KORE_RESULT_OK);
	if (!http_argument_get_string(req, "kind", &kindname) ||
	    document_kind_parse(kindname, &kind) != 0)
		return (web_fail_field(req, WEB_ERR_UNPROCESSABLE, "kind",
		    "Say which document this is: cv, personal_statement or "
		    "other."));
	st->kind = (int)kind;
	if (web_upload_check(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	return (KORE_RESULT_OK);
}

/* The upload's second call: the verdict, then store and record. */
static int
upload_finish(struct http_request *req, struct web_state *st, int64_t app)
{
	struct ops_error   e = { 0 };
	struct db_document d;
	int64_t		   id;
	int		   rc;

	if (web_upload_check(req, st) == WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	if (web_upload_store(req, st) != 0)
		return (KORE_RESULT_OK);
	rc = ops_document_add(web_db, app, st->auth.user_id,
	    (enum document_kind)st->kind, st->sha256, st->size,
	    web_now(req), &id, &e);
	if (rc != OPS_OK)
		return (web_fail_ops(req, rc, &e));
	if ((rc = db_document_by_id(web_db, id, &d)) != 1)
		return (web_fail_db(req, rc == 0 ? DB_ERROR : rc));
	return (web_reply_json(req, HTTP_STATUS_CREATED,
	    json_pack("{s:o}", "document", document_json(&d))));
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
 * GET /api/applications/{id}/documents   (who may see the application)
 *   200 {documents:[{id,kind,size,sha256,uploaded_at}]}
 *   404 not_found
 */
int
web_documents(struct http_request *req)
{
	struct web_state *st = web_state(req);
	json_t		 *rows;
	int64_t		  app = web_path_id(req, "/api/applications/");
	int		  rc;

	if (req->method == HTTP_METHOD_POST) {
		if (st->job.state == WEB_OFFLOAD_IDLE)
			return (upload_start(req, st, app));
		return (upload_finish(req, st, app));
	}
	if ((rc = web_may_view_application(req, app)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	rows = json_array();
	if ((rc = db_document_list(web_db, app, add_document, rows)) != 0) {
		json_decref(rows);
		return (web_fail_db(req, rc < 0 ? rc : DB_ERROR));
	}
	return (web_reply_json(
	    req, HTTP_STATUS_OK, json_pack("{s:o}", "documents", rows)));
}

/* Sends the stored file as an attachment that no browser will render. */
int
web_send_pdf(
    struct http_request *req, const char *sha256, const char *download_name)
{
	struct kore_fileref *ref;
	struct stat	     sb;
	char		     name[128], path[512], disp[128];
	int		     fd;

	(void)snprintf(name, sizeof(name), "documents/%s.pdf", sha256);
	if (web_data_path(name, path, sizeof(path)) != 0 ||
	    (fd = open(path, O_RDONLY)) == -1)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	if (fstat(fd, &sb) == -1) {
		close(fd);
		return (web_fail(req, WEB_ERR_INTERNAL));
	}
	if ((ref = kore_fileref_get(path, req->owner->owner->server->tls)) ==
		NULL &&
	    (ref = kore_fileref_create(req->owner->owner->server, path, fd,
		 sb.st_size, &sb.st_mtim)) == NULL) {
		close(fd);
		return (web_fail(req, WEB_ERR_INTERNAL));
	}
	if (ref->fd != fd)
		close(fd);
	web_security_headers(req);
	(void)snprintf(
	    disp, sizeof(disp), "attachment; filename=\"%s\"", download_name);
	/* Content-Type comes from Kore's file reply, whose built-in media
	 * types map the stored name's ".pdf" to application/pdf; setting it
	 * here as well would send the header twice. */
	http_response_header(req, "content-disposition", disp);
	http_response_header(req, "cache-control", "private, no-store");
	http_response_header(req, "content-security-policy", "sandbox");
	http_response_fileref(req, HTTP_STATUS_OK, ref);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/documents/{id}      (who may see its application)
 *   200 the PDF, as an attachment; 404 for anyone else and for removed
 *   documents
 * DELETE /api/documents/{id}   (its applicant, while editable; CSRF)
 *   204 removed (kept in the record); 403 after submission or the
 *   deadline; 404 not the applicant's own
 */
int
web_document(struct http_request *req)
{
	struct web_state  *st = web_state(req);
	struct db_document d;
	struct ops_error   e = { 0 };
	char		   name[64];
	int64_t		   id = web_path_id(req, "/api/documents/");
	int		   rc;

	if (req->method == HTTP_METHOD_DELETE) {
		if (st->auth.role != ROLE_APPLICANT)
			return (web_fail(req, WEB_ERR_NOT_FOUND));
		rc = ops_document_remove(
		    web_db, id, st->auth.user_id, web_now(req), &e);
		if (rc != OPS_OK)
			return (web_fail_ops(req, rc, &e));
		return (web_reply_json(req, HTTP_STATUS_NO_CONTENT, NULL));
	}
	if ((rc = db_document_by_id(web_db, id, &d)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0 || d.removed_at[0] != '\0')
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	if ((rc = web_may_view_application(req, d.application_id)) < 0)
		return (web_fail_db(req, rc));
	if (rc == 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	(void)snprintf(name, sizeof(name), "%s-%lld.pdf", d.kind,
	    (long long)d.application_id);
	return (web_send_pdf(req, d.sha256, name));
}
