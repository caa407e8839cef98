/*
 * What the files of the web layer share: the worker's database handle, the
 * settings, the reply helpers and the error table. Only src/web includes
 * Kore's headers; it turns HTTP into calls of the domain and storage layers
 * and their return codes back into HTTP.
 */
#ifndef FELLOW_WEB_H
#define FELLOW_WEB_H

#include <kore/kore.h>
#include <kore/http.h>

#include <jansson.h>

#include "core/password.h"
#include "core/roles.h"
#include "core/settings.h"
#include "core/token.h"
#include "ops/accounts.h"
#include "ops/documents.h"
#include "web/offload.h"

/*
 * Functions Kore finds by name (handlers, hooks) are the only symbols the
 * module exports; everything else is hidden, so no name here can collide
 * with one of Kore's or libc's (see the Makefile's -fvisibility=hidden).
 */
#define WEB_EXPORT __attribute__((visibility("default")))

/* The errors the API answers with: status, code and a sentence. */
enum web_err {
	WEB_ERR_BAD_REQUEST,
	WEB_ERR_BAD_JSON,
	WEB_ERR_UNAUTHORIZED,
	WEB_ERR_FORBIDDEN,
	WEB_ERR_NOT_FOUND,
	WEB_ERR_METHOD,
	WEB_ERR_CONFLICT,
	WEB_ERR_TOO_LARGE,
	WEB_ERR_MEDIA_TYPE,
	WEB_ERR_UNPROCESSABLE,
	WEB_ERR_CSRF,
	WEB_ERR_THROTTLED,
	WEB_ERR_BAD_CREDENTIALS,
	WEB_ERR_TOKEN,
	WEB_ERR_INTERNAL,
	WEB_ERR_BUSY,
	WEB_ERR_STORAGE_FULL,
	WEB_ERR__MAX
};

/* A password to hash, or to verify against a stored hash, off the loop. */
struct web_pwjob {
	int    verify; /* 0: hash, 1: verify */
	char   password[PASSWORD_MAX_LEN + 1];
	size_t len;
	char   stored[PASSWORD_HASH_MAX]; /* verify: the hash to check */
	char   out[PASSWORD_HASH_MAX];	  /* the new hash or rehash */
	int    ok;			  /* verify: it matched */
	int    rehashed;		  /* verify: out holds a rehash */
};

/* An operation computed off the loop (web_reply_ops_off). */
typedef int (*web_ops_fn)(struct db *, struct ops_actor, int64_t id,
    int64_t arg, const char *text, int64_t now, json_t **out,
    struct ops_error *);

/* An operation computed off the loop on the request's parsed JSON body
 * (web_reply_ops_off_body). */
typedef int (*web_ops_body_fn)(struct db *, struct ops_actor, int64_t id,
    int64_t arg, json_t *body, int64_t now, json_t **out, struct ops_error *);

/* An operation computed off the loop whose answer is a file to download
 * (web_reply_ops_off_file): its text (*file, freed with free()) and the
 * name to offer it under. */
typedef int (*web_ops_file_fn)(struct db *, struct ops_actor, int64_t id,
    int64_t arg, int64_t now, char **file, char *name, size_t namelen,
    struct ops_error *);

struct web_opsjob {
	web_ops_fn	 fn;
	web_ops_body_fn	 body_fn; /* instead of fn, with body */
	json_t		*body;	  /* the request's body, the job's own */
	web_ops_file_fn	 file_fn; /* instead of fn, a download */
	char		*file;	  /* its text, name and content type */
	char		 file_name[128];
	const char	*file_type;
	struct ops_actor actor;
	int64_t		 id, arg, now;
	char		 text[64]; /* a short argument, "" for none */
	int		 has_text;
	json_t		*out;
	struct ops_error e;
	int		 rc;
	char		 dberr[256]; /* the thread's database error, or "" */
};

/*
 * Per-request state, kept across the re-entries of a handler that waits
 * for off-loop work. Created by web_state(); released by Kore through
 * web_state_onfree, which also wipes the password.
 */
/* An upload waiting for the PDF check's verdict (documents.c). */
struct web_pdfwait {
	struct kore_event    evt; /* first: the loop's handler casts */
	int		     state;
	int		     fd; /* the verdict's socket, while waiting */
	u_int64_t	     since;
	struct http_request *req;
	struct ops_upload   *upload;
	LIST_ENTRY(web_pdfwait) link;
};

struct web_state {
	struct web_offload job; /* first, see web/offload.h */
	struct web_pwjob   pw;
	struct web_opsjob  ops;
	int		   authed;
	struct ops_signin  auth;    /* set by a gate (auth.c) */
	json_t		  *body;    /* the parsed request body, or NULL */
	struct ops_upload  upload;  /* a file on its way in */
	struct web_pdfwait pdf;	    /* its PDF check */
	int		   kind;    /* the upload's document kind */
	int64_t		   user_id; /* handler scratch */
	int64_t		   now;	    /* web_now(), read once */
};

/* An Argon2id hash of no account's password, computed by the parent:
 * unknown accounts are verified against it (web/session.c). */
extern char web_dummy_hash[PASSWORD_HASH_MAX];

/* Set in the worker by web_worker_configure(); NULL in the parent. */
extern struct db      *web_db;
extern struct settings web_settings;

/* Writes the path of name in the data directory as the worker sees it
 * (app.c). Returns 0, or -1 when it does not fit. */
int web_data_path(const char *name, char *out, size_t len);

/*
 * Uploads (documents.c), for documents and letters:
 * web_upload_part() checks the multipart body and finds its "file" part
 * (NULL with the error sent); web_upload_put() streams that part into
 * st->upload, a temporary file (0, or -1 with the error sent: 400 for a
 * broken part, 507 for a full disk); web_upload_check() runs the PDF
 * check off the loop (WEB_OFFLOAD_PENDING or _DONE); web_upload_reply()
 * answers the operation that took the upload (201 with out, or its
 * error). The request's state discards an upload nobody took.
 */
struct http_file *web_upload_part(struct http_request *);
int		  web_upload_put(
		  struct http_request *, struct web_state *, struct http_file *);
/* Whether the upload's file is in (web_upload_put() has run, or its
 * check has begun): a handler called again skips what came before. */
int web_upload_received(const struct web_state *);
/* The PDF check, waited for on the loop (documents.c): WEB_OFFLOAD_DONE
 * when the verdict is in, else WEB_OFFLOAD_PENDING (return
 * KORE_RESULT_RETRY; the verdict wakes the request). The state's free
 * hook calls web_upload_forget() to stop waiting. */
int  web_upload_check(struct http_request *, struct web_state *);
void web_upload_forget(struct web_state *);
int  web_upload_reply(
     struct http_request *, int rc, json_t *out, const struct ops_error *);

/* Writes the documents directory as this worker sees it; 0 or -1. */
int web_documents_dir(char *out, size_t len);

/* Sends a stored file as an attachment that no browser will render (404
 * when it is missing). KORE_RESULT_OK. */
int web_send_pdf(struct http_request *, const struct ops_file *);

/* Sends file when rc (what ops_document_file() or ops_letter_file()
 * answered) is OPS_OK, else the error. KORE_RESULT_OK. */
int web_send_stored(struct http_request *, int rc, const struct ops_file *,
    const struct ops_error *);

/* Returns the request's state, creating it on first use (request.c). */
struct web_state *web_state(struct http_request *);
void		  web_state_onfree(struct http_request *);

/*
 * Reads the JSON object body of req into web_state(req)->body (once), with
 * duplicate keys refused. On failure sends the error (400, 413, 415) and
 * returns NULL; the handler then returns KORE_RESULT_OK.
 */
json_t *web_json_body(struct http_request *);

/* As web_json_body() for a body that must be a JSON array. */
json_t *web_json_array_body(struct http_request *);

/*
 * Unpacks st->body with a jansson format that must name every key (use
 * "!" at the end so unknown keys are refused). Sends 400 bad_json and
 * returns -1 on mismatch.
 */
int web_unpack(struct http_request *, const char *fmt, ...);

/*
 * Reads query argument name (declared in a params block of routes.conf)
 * into out: dflt when absent. Returns -1 when present but not a whole
 * number within 0..max.
 */
int web_query_int(struct http_request *, const char *name, int64_t dflt,
    int64_t max, int64_t *out);

/*
 * Whether the raw query string names argument name ("name", "name=" or
 * "name=..."): with http_argument_get_string() failing, the argument was
 * given but Kore kept nothing (empty, or refused by the route's
 * validator, such as one too long).
 */
int web_query_named(struct http_request *, const char *name);

/*
 * Returns the positive number that follows prefix in the request's path
 * ("/api/cycles/" in "/api/cycles/12/application"), or 0 when there is
 * none. The route's regex has already checked the shape.
 */
int64_t web_path_id(struct http_request *, const char *prefix);

/*
 * The request's "now" (ops/clock.h), read on first use and kept for the
 * request's life, so that a handler re-entered after off-loop work sees
 * the same instant.
 */
int64_t web_now(struct http_request *);

/* The signed-in user as the operations layer's actor. */
struct ops_actor;
struct ops_actor web_actor(struct http_request *);

/* The client's address: the proxy's X-Forwarded-For when the peer is the
 * loopback proxy, else the peer. */
void web_client_addr(struct http_request *, char *out, size_t len);

/* Returns 1 when the browser reached us over TLS (through the proxy). */
int web_request_secure(struct http_request *);

/* The session cookie: read the token; set it; clear it. */
int  web_session_token(struct http_request *, char out[TOKEN_LEN + 1]);
void web_session_cookie_set(struct http_request *, const char *token);
void web_session_cookie_clear(struct http_request *);

/*
 * Runs st->pw on a task thread. Returns WEB_OFFLOAD_PENDING (the handler
 * returns KORE_RESULT_RETRY) or WEB_OFFLOAD_DONE with st->job.result 0 on
 * success.
 */
int web_password_job(struct http_request *, struct web_state *);

/* Fills st->pw from a password string for hashing or verifying. */
void web_password_prepare(
    struct web_state *, const char *password, const char *stored);

/* Sets the cookie of the new session s and sends view (its
 * {user, csrf_token}, a reference this steals) with status. */
int web_reply_session(struct http_request *, int status,
    const struct ops_session *s, json_t *view);

/* Sends the error for an ops_* result (accounts.c, users.c). */
struct ops_error;
int web_fail_ops(struct http_request *, int rc, const struct ops_error *);

/* Sends out (a reference this steals; NULL when rc is not OPS_OK) with
 * status when rc is OPS_OK, else the error for rc. KORE_RESULT_OK. */
/*
 * Runs fn(db, actor, id, arg, text, &out, &e) on a Kore task thread with that
 * thread's own database connection (web_thread_db), then answers as
 * web_reply_ops() does with 200: for reads that take milliseconds (the
 * ranking), so the worker's event loop keeps serving others meanwhile.
 * text (NULL, or a short string such as a query argument) is copied.
 * Returns KORE_RESULT_RETRY while the work runs.
 */
int web_reply_ops_off(struct http_request *, web_ops_fn fn, int64_t id,
    int64_t arg, const char *text);

/*
 * As web_reply_ops_off() for an operation that needs the request's JSON
 * body: fn(db, actor, id, arg, body, ...) with the body parsed by
 * web_json_body(), which the job takes over from the request's state.
 * jansson's reference counts are not atomic, so from the first call on
 * only the task thread touches the body: a handler re-entered while the
 * job runs (web_ops_off_started()) must not parse or read the body again,
 * and calls this again with any arguments (they are not used).
 */
int web_reply_ops_off_body(
    struct http_request *, web_ops_body_fn fn, int64_t id, int64_t arg);

/*
 * As web_reply_ops_off() for an operation whose answer is a file: sends
 * it as an attachment of content type type (a string that outlives the
 * request), under the name the operation gives, with 200. A handler
 * re-entered while the job runs calls this again with any arguments.
 */
int web_reply_ops_off_file(struct http_request *, web_ops_file_fn fn,
    int64_t id, int64_t arg, const char *type);

/* Returns 1 when an operation of this request was started off the loop
 * (its handler is being re-entered), else 0. */
int web_ops_off_started(struct http_request *);

/* Sends a view that an operation wrote as JSON text (text, len; freed
 * here with free()) with status when rc is OPS_OK, else the error for
 * rc. KORE_RESULT_OK. */
int web_reply_ops_text(struct http_request *, int rc, int status, char *text,
    size_t len, const struct ops_error *);

/* The calling task thread's own connection, opened on first use (no Kore
 * calls: safe on a task thread); NULL when it cannot be opened. */
struct db *web_thread_db(void);

int web_reply_ops(struct http_request *, int rc, int status, json_t *out,
    const struct ops_error *);

/* Adds the security headers every response carries (reply.c). */
void web_security_headers(struct http_request *);

/*
 * Sends body (a JSON value whose reference this steals; NULL for an empty
 * 204-style reply) with status. Returns KORE_RESULT_OK for the handler to
 * return.
 */
int web_reply_json(struct http_request *, int status, json_t *body);

/* As web_reply_json() for a body already serialised (len bytes of JSON
 * text, which the caller keeps). */
int web_reply_json_text(
    struct http_request *, int status, const char *text, size_t len);

/* Sends body (len bytes, copied) as a download named filename (plain
 * characters only) of media type type. KORE_RESULT_OK. */
int web_reply_download(struct http_request *, const char *type,
    const char *filename, const char *body, size_t len);

/* Sends the error's JSON with its default sentence. KORE_RESULT_OK. */
int web_fail(struct http_request *, enum web_err);

/* Sends the error's JSON with a more precise sentence. KORE_RESULT_OK. */
int web_fail_msg(struct http_request *, enum web_err, const char *message);

/* As web_fail_msg() naming the input field the error concerns. */
int web_fail_field(struct http_request *, enum web_err, const char *field,
    const char *message);

/* Maps a DB_E* code from the storage layer to its reply. KORE_RESULT_OK. */
int web_fail_db(struct http_request *, int dbrc);

#endif
