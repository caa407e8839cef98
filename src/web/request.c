/*
 * What every handler needs from a request: its state across re-entries,
 * the JSON body parsed strictly, the client's address, whether it came
 * over TLS, the session cookie, and passwords hashed off the event loop.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/text.h"
#include "ops/accounts.h"
#include "ops/clock.h"
#include "web/web.h"

#define JSON_BODY_MAX 65536UL
#define COOKIE_PLAIN  "fellowship_session"
#define COOKIE_SECURE "__Host-fellowship_session"

struct web_state *
web_state(struct http_request *req)
{
	struct web_state *st;

	if ((st = http_state_get(req)) == NULL)
		st = http_state_create(req, sizeof(*st), web_state_onfree);
	return (st);
}

void
web_state_onfree(struct http_request *req)
{
	struct web_state *st = http_state_get(req);

	if (st == NULL)
		return;
	/* The task thread may still be writing into st->pw. */
	if (web_offload_release(&st->job))
		return;
	web_upload_forget(st);
	sodium_memzero(&st->pw, sizeof(st->pw));
	sodium_memzero(st->auth.csrf, sizeof(st->auth.csrf));
	/* An upload that never became a document leaves nothing behind. */
	ops_upload_discard(&st->upload);
	json_decref(st->body);
	st->body = NULL;
}

static json_t *
json_body(struct http_request *req, int array)
{
	struct web_state *st = web_state(req);
	const char	 *ctype;
	char		 *buf;
	size_t		  len;
	ssize_t		  n;
	json_error_t	  jerr;

	if (st->body != NULL)
		return (st->body);
	if (!http_request_header(req, "content-type", &ctype) ||
	    strncasecmp(ctype, "application/json", 16) != 0 ||
	    (ctype[16] != '\0' && ctype[16] != ';')) {
		web_fail(req, WEB_ERR_MEDIA_TYPE);
		return (NULL);
	}
	if (req->content_length > JSON_BODY_MAX) {
		web_fail(req, WEB_ERR_TOO_LARGE);
		return (NULL);
	}
	buf = kore_malloc(JSON_BODY_MAX + 1);
	len = 0;
	while ((n = http_body_read(req, buf + len, JSON_BODY_MAX - len)) > 0)
		len += (size_t)n;
	if (n == -1) {
		kore_free(buf);
		web_fail(req, WEB_ERR_BAD_REQUEST);
		return (NULL);
	}
	st->body = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	kore_free(buf);
	if (st->body == NULL ||
	    !(array ? json_is_array(st->body) : json_is_object(st->body))) {
		json_decref(st->body);
		st->body = NULL;
		web_fail_msg(req, WEB_ERR_BAD_JSON,
		    array ? "The request body must be a JSON array."
			  : "The request body must be a JSON object.");
		return (NULL);
	}
	return (st->body);
}

json_t *
web_json_body(struct http_request *req)
{
	return (json_body(req, 0));
}

json_t *
web_json_array_body(struct http_request *req)
{
	return (json_body(req, 1));
}

int
web_unpack(struct http_request *req, const char *fmt, ...)
{
	struct web_state *st = web_state(req);
	json_error_t	  jerr;
	va_list		  ap;
	int		  rc;

	va_start(ap, fmt);
	rc = json_vunpack_ex(st->body, &jerr, JSON_STRICT, fmt, ap);
	va_end(ap);
	if (rc != 0) {
		web_fail_msg(req, WEB_ERR_BAD_JSON, jerr.text);
		return (-1);
	}
	return (0);
}

/* Returns 1 when the connection's peer is a loopback address. */
static int
peer_is_loopback(struct http_request *req)
{
	struct connection *c = req->owner;

	if (c == NULL)
		return (0);
	if (c->family == AF_INET)
		return ((ntohl(c->addr.ipv4.sin_addr.s_addr) >> 24) == 127);
	if (c->family == AF_INET6)
		return (IN6_IS_ADDR_LOOPBACK(&c->addr.ipv6.sin6_addr));
	return (0);
}

void
web_client_addr(struct http_request *req, char *out, size_t len)
{
	struct connection *c = req->owner;
	const char	  *xff;
	unsigned char	   tmp[sizeof(struct in6_addr)];

	out[0] = '\0';
	/* nginx sets X-Forwarded-For to the client's address alone. */
	if (peer_is_loopback(req) &&
	    http_request_header(req, "x-forwarded-for", &xff) &&
	    strlen(xff) < len &&
	    (inet_pton(AF_INET, xff, tmp) == 1 ||
		inet_pton(AF_INET6, xff, tmp) == 1)) {
		(void)snprintf(out, len, "%s", xff);
		return;
	}
	if (c != NULL && c->family == AF_INET)
		(void)inet_ntop(
		    AF_INET, &c->addr.ipv4.sin_addr, out, (socklen_t)len);
	else if (c != NULL && c->family == AF_INET6)
		(void)inet_ntop(
		    AF_INET6, &c->addr.ipv6.sin6_addr, out, (socklen_t)len);
	if (out[0] == '\0')
		(void)snprintf(out, len, "unknown");
}

int
web_request_secure(struct http_request *req)
{
	const char *proto;

	return (peer_is_loopback(req) &&
	    http_request_header(req, "x-forwarded-proto", &proto) &&
	    strcmp(proto, "https") == 0);
}

int
web_session_token(struct http_request *req, char out[TOKEN_LEN + 1])
{
	char *value = NULL;

	http_populate_cookies(req);
	if (!http_request_cookie(req,
		web_request_secure(req) ? COOKIE_SECURE : COOKIE_PLAIN,
		&value) ||
	    value == NULL || strlen(value) != TOKEN_LEN)
		return (0);
	memcpy(out, value, TOKEN_LEN + 1);
	return (1);
}

/*
 * Kore's http_response_cookie() always adds Domain and Secure and knows no
 * SameSite, so the header is written here: host-only, Strict, HttpOnly,
 * and Secure with the __Host- prefix when the browser came over TLS.
 */
static void
cookie_header(struct http_request *req, const char *value, int expire)
{
	char buf[256];
	int  secure = web_request_secure(req);

	(void)snprintf(buf, sizeof(buf),
	    "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
	    secure ? COOKIE_SECURE : COOKIE_PLAIN, value,
	    secure ? "; Secure" : "", expire ? "; Max-Age=0" : "");
	http_response_header(req, "set-cookie", buf);
	sodium_memzero(buf, sizeof(buf));
}

void
web_session_cookie_set(struct http_request *req, const char *token)
{
	cookie_header(req, token, 0);
}

void
web_session_cookie_clear(struct http_request *req)
{
	cookie_header(req, "", 1);
}

/* Task thread: hash or verify (and rehash when the limits changed). */
static int
password_work(void *arg)
{
	struct web_pwjob *j = arg;

	if (!j->verify)
		return (password_hash(j->password, j->len, j->out));
	j->ok = password_verify(j->stored, j->password, j->len);
	if (j->ok && password_needs_rehash(j->stored)) {
		if (password_hash(j->password, j->len, j->out) == 0)
			j->rehashed = 1;
	}
	return (0);
}

void
web_password_prepare(
    struct web_state *st, const char *password, const char *stored)
{
	size_t len = strlen(password);

	if (len > PASSWORD_MAX_LEN)
		len = PASSWORD_MAX_LEN;
	memcpy(st->pw.password, password, len);
	st->pw.password[len] = '\0';
	st->pw.len = len;
	st->pw.verify = stored != NULL;
	if (stored != NULL)
		(void)snprintf(
		    st->pw.stored, sizeof(st->pw.stored), "%s", stored);
}

int
web_password_job(struct http_request *req, struct web_state *st)
{
	return (web_offload_run(req, &st->job, password_work, &st->pw, NULL));
}

/* Task thread: the operation, on this thread's own connection. */
static int
ops_work(void *arg)
{
	struct web_opsjob *j = arg;
	struct db	  *db;

	/* The thread's connection is made at its first use. The worker's
	 * own was made at its start with the same settings, so this one
	 * fails when the database is away for a moment (a PostgreSQL
	 * failover, a server at its connection limit): busy, not broken. */
	if ((db = web_thread_db()) == NULL) {
		(void)snprintf(j->dberr, sizeof(j->dberr),
		    "a task thread cannot open the database");
		j->rc = OPS_EBUSY;
		return (-1);
	}
	if (j->file_fn != NULL)
		j->rc = j->file_fn(db, j->actor, j->id, j->arg, j->now,
		    &j->file, j->file_name, sizeof(j->file_name), &j->e);
	else if (j->body_fn != NULL)
		j->rc = j->body_fn(db, j->actor, j->id, j->arg, j->body, j->now,
		    &j->out, &j->e);
	else
		j->rc = j->fn(db, j->actor, j->id, j->arg,
		    j->has_text ? j->text : NULL, j->now, &j->out, &j->e);
	if (j->rc == OPS_EDB)
		(void)snprintf(
		    j->dberr, sizeof(j->dberr), "%s", ops_errmsg(db));
	return (0);
}

/* At the request's end, once the thread is done: an answer nobody took
 * (the client left), and the body the job took over. */
static void
ops_cleanup(void *arg)
{
	struct web_opsjob *j = arg;

	json_decref(j->out);
	j->out = NULL;
	json_decref(j->body);
	j->body = NULL;
	free(j->file);
	j->file = NULL;
}

/* Starts (first call) or resumes the job of st->ops, then answers: with
 * the view, or the file as an attachment. */
static int
ops_off(struct http_request *req, struct web_state *st)
{
	json_t *out;
	char   *file;
	int	rc;

	if (web_offload_run(req, &st->job, ops_work, &st->ops, ops_cleanup) ==
	    WEB_OFFLOAD_PENDING)
		return (KORE_RESULT_RETRY);
	out = st->ops.out;
	st->ops.out = NULL;
	file = st->ops.file;
	st->ops.file = NULL;
	/* The thread is done: the body is the loop's again, to free. */
	json_decref(st->ops.body);
	st->ops.body = NULL;
	/* The thread's own message: web_fail_db() would log web_db's. */
	if (st->ops.rc == OPS_EBUSY && st->ops.dberr[0] != '\0')
		kore_log(LOG_WARNING, "%s", st->ops.dberr);
	if (st->ops.rc == OPS_EDB) {
		kore_log(
		    LOG_ERR, "database error (task thread): %s", st->ops.dberr);
		json_decref(out);
		free(file);
		return (web_fail(req, WEB_ERR_INTERNAL));
	}
	if (st->ops.file_fn == NULL)
		return (web_reply_ops(
		    req, st->ops.rc, HTTP_STATUS_OK, out, &st->ops.e));
	if (st->ops.rc != OPS_OK || file == NULL) {
		free(file);
		return (web_fail_ops(req,
		    st->ops.rc != OPS_OK ? st->ops.rc : OPS_ENOMEM,
		    &st->ops.e));
	}
	rc = web_reply_download(
	    req, st->ops.file_type, st->ops.file_name, file, strlen(file));
	free(file);
	return (rc);
}

/* Fills the job's common part on the first call. */
static void
ops_prepare(
    struct http_request *req, struct web_state *st, int64_t id, int64_t arg)
{
	st->ops.actor = web_actor(req);
	st->ops.now = web_now(req);
	st->ops.id = id;
	st->ops.arg = arg;
}

int
web_reply_ops_off(struct http_request *req, web_ops_fn fn, int64_t id,
    int64_t arg, const char *text)
{
	struct web_state *st = web_state(req);

	if (st->job.state == WEB_OFFLOAD_IDLE) {
		ops_prepare(req, st, id, arg);
		st->ops.fn = fn;
		st->ops.has_text = text != NULL;
		if (text != NULL && strlen(text) >= sizeof(st->ops.text))
			return (web_fail(req, WEB_ERR_BAD_REQUEST));
		(void)snprintf(st->ops.text, sizeof(st->ops.text), "%s",
		    text != NULL ? text : "");
	}
	return (ops_off(req, st));
}

int
web_reply_ops_off_body(
    struct http_request *req, web_ops_body_fn fn, int64_t id, int64_t arg)
{
	struct web_state *st = web_state(req);

	if (st->job.state == WEB_OFFLOAD_IDLE) {
		ops_prepare(req, st, id, arg);
		st->ops.body_fn = fn;
		/* The job's from now on: the loop lets go of it. */
		st->ops.body = st->body;
		st->body = NULL;
	}
	return (ops_off(req, st));
}

int
web_reply_ops_off_file(struct http_request *req, web_ops_file_fn fn, int64_t id,
    int64_t arg, const char *type)
{
	struct web_state *st = web_state(req);

	if (st->job.state == WEB_OFFLOAD_IDLE) {
		ops_prepare(req, st, id, arg);
		st->ops.file_fn = fn;
		st->ops.file_type = type;
	}
	return (ops_off(req, st));
}

int
web_ops_off_started(struct http_request *req)
{
	return (web_state(req)->job.state != WEB_OFFLOAD_IDLE);
}

int
web_reply_ops_text(struct http_request *req, int rc, int status, char *text,
    size_t len, const struct ops_error *e)
{
	if (rc != OPS_OK) {
		free(text);
		return (web_fail_ops(req, rc, e));
	}
	(void)web_reply_json_text(req, status, text, len);
	free(text);
	return (KORE_RESULT_OK);
}

int
web_reply_session(struct http_request *req, int status,
    const struct ops_session *s, json_t *view)
{
	web_session_cookie_set(req, s->token);
	return (web_reply_json(req, status, view));
}

int
web_fail_ops(struct http_request *req, int rc, const struct ops_error *err)
{
	struct ops_error	none = { 0 };
	const struct ops_error *e = err != NULL ? err : &none;
	const char	       *msg = e->message[0] != '\0' ? e->message : NULL;
	char			retry[32];

	switch (rc) {
	case OPS_INVALID:
		return (web_fail_field(
		    req, WEB_ERR_UNPROCESSABLE, e->field, e->message));
	case OPS_FORBIDDEN:
		return (web_fail_field(
		    req, WEB_ERR_FORBIDDEN, e->field, e->message));
	case OPS_NOT_FOUND:
		return (web_fail_msg(req, WEB_ERR_NOT_FOUND, msg));
	case OPS_CONFLICT:
		return (web_fail_field(
		    req, WEB_ERR_CONFLICT, e->field, e->message));
	case OPS_TOKEN_INVALID:
		return (web_fail_field(req, WEB_ERR_TOKEN, "token", msg));
	case OPS_THROTTLED:
		(void)snprintf(
		    retry, sizeof(retry), "%lld", (long long)e->retry_after);
		http_response_header(req, "retry-after", retry);
		return (web_fail_msg(req, WEB_ERR_THROTTLED, msg));
	default:
		return (web_fail_db(req, rc));
	}
}

int
web_reply_ops(struct http_request *req, int rc, int status, json_t *out,
    const struct ops_error *e)
{
	if (rc != OPS_OK) {
		json_decref(out);
		return (web_fail_ops(req, rc, e));
	}
	return (web_reply_json(req, status, out));
}

int
web_query_int(struct http_request *req, const char *name, int64_t dflt,
    int64_t max, int64_t *out)
{
	const char *text;
	int64_t	    v;

	*out = dflt;
	if (http_argument_get_int64(req, name, &v)) {
		if (v < 0 || v > max)
			return (-1);
		*out = v;
	} else if (http_argument_get_string(req, name, &text))
		return (-1); /* kept by the validator, but not a number */
	return (0);
}

int
web_query_named(struct http_request *req, const char *name)
{
	const char *q = req->query_string, *end;
	size_t	    n = strlen(name), klen;

	while (q != NULL && *q != '\0') {
		end = strchr(q, '&');
		klen = strcspn(q, "=&");
		if (klen == n && strncmp(q, name, n) == 0)
			return (1);
		q = end != NULL ? end + 1 : NULL;
	}
	return (0);
}

int64_t
web_path_id(struct http_request *req, const char *prefix)
{
	return (text_path_id(req->path, prefix));
}

int64_t
web_now(struct http_request *req)
{
	struct web_state *st = web_state(req);

	if (st->now == 0)
		st->now = ops_clock_now();
	return (st->now);
}

struct ops_actor
web_actor(struct http_request *req)
{
	struct web_state *st = web_state(req);
	struct ops_actor  a = { st->auth.user_id, st->auth.role,
		 st->auth.program };

	return (a);
}
