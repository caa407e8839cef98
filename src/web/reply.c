/*
 * The one place responses are written: security headers, JSON replies and
 * the error table. Every handler ends in one of these functions, so every
 * response the application sends carries the same headers.
 */
#include <string.h>

#include "web/web.h"

/*
 * No inline script or style anywhere; data: images only because the CSS
 * baseline draws its form icons with them.
 */
#define WEB_CSP                                                                \
	"default-src 'self'; script-src 'self'; style-src 'self'; "            \
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; "          \
	"object-src 'none'; base-uri 'none'; form-action 'self'; "             \
	"frame-ancestors 'none'"

static const struct {
	const char *name;
	const char *value;
} security_headers[] = {
	{ "content-security-policy", WEB_CSP },
	{ "x-content-type-options", "nosniff" },
	{ "x-frame-options", "DENY" },
	{ "referrer-policy", "no-referrer" },
	{ "cross-origin-opener-policy", "same-origin" },
	{ "cross-origin-resource-policy", "same-origin" },
	{ "permissions-policy",
	    "camera=(), microphone=(), geolocation=(), payment=()" },
};

static const struct {
	int	    status;
	const char *code;
	const char *message;
} web_errors[WEB_ERR__MAX] = {
	/* WEB_ERR_BAD_REQUEST */
	{ HTTP_STATUS_BAD_REQUEST, "bad_request", "The request is not valid." },
	/* WEB_ERR_BAD_JSON */
	{ HTTP_STATUS_BAD_REQUEST, "bad_json",
	    "The request body is not valid JSON of the expected shape." },
	/* WEB_ERR_UNAUTHORIZED */
	{ HTTP_STATUS_UNAUTHORIZED, "unauthorized", "Please sign in." },
	/* WEB_ERR_FORBIDDEN */
	{ HTTP_STATUS_FORBIDDEN, "forbidden",
	    "You are not allowed to do this." },
	/* WEB_ERR_NOT_FOUND */
	{ HTTP_STATUS_NOT_FOUND, "not_found", "There is nothing here." },
	/* WEB_ERR_METHOD */
	{ HTTP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
	    "This method is not allowed here." },
	/* WEB_ERR_CONFLICT */
	{ HTTP_STATUS_CONFLICT, "conflict",
	    "This conflicts with the current state; reload and try again." },
	/* WEB_ERR_TOO_LARGE */
	{ HTTP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
	    "The request body is too large." },
	/* WEB_ERR_MEDIA_TYPE */
	{ HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
	    "Send the body as application/json." },
	/* WEB_ERR_UNPROCESSABLE */
	{ 422, "unprocessable",
	    "The request is well-formed but cannot be carried out." },
	/* WEB_ERR_CSRF */
	{ HTTP_STATUS_FORBIDDEN, "csrf",
	    "The request lacks a valid X-CSRF-Token header; reload the page." },
	/* WEB_ERR_THROTTLED */
	{ 429, "too_many_attempts",
	    "Too many attempts. Please wait before trying again." },
	/* WEB_ERR_BAD_CREDENTIALS */
	{ HTTP_STATUS_UNAUTHORIZED, "invalid_credentials",
	    "The e-mail address or the password is not right." },
	/* WEB_ERR_TOKEN */
	{ HTTP_STATUS_BAD_REQUEST, "invalid_token",
	    "This link is not valid any more. Ask for a new one." },
	/* WEB_ERR_INTERNAL */
	{ HTTP_STATUS_INTERNAL_ERROR, "internal",
	    "Something went wrong on our side; nothing was changed." },
	/* WEB_ERR_BUSY */
	{ HTTP_STATUS_SERVICE_UNAVAILABLE, "busy",
	    "The server is busy; please try again in a moment." },
	/* WEB_ERR_STORAGE_FULL */
	{ 507, "storage_full",
	    "The server has run out of storage; nothing was changed." },
};

void
web_security_headers(struct http_request *req)
{
	size_t i;

	for (i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]);
	     i++)
		http_response_header(
		    req, security_headers[i].name, security_headers[i].value);
}

int
web_reply_json(struct http_request *req, int status, json_t *body)
{
	char *text = NULL;

	web_security_headers(req);
	http_response_header(req, "cache-control", "no-store");
	if (body == NULL) {
		http_response(req, status, NULL, 0);
		return (KORE_RESULT_OK);
	}
	text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(body);
	if (text == NULL) {
		kore_log(LOG_ERR, "web_reply_json: cannot serialise reply");
		http_response(req, HTTP_STATUS_INTERNAL_ERROR, NULL, 0);
		return (KORE_RESULT_OK);
	}
	http_response_header(
	    req, "content-type", "application/json; charset=utf-8");
	http_response(req, status, text, strlen(text));
	free(text);
	return (KORE_RESULT_OK);
}

int
web_reply_json_text(
    struct http_request *req, int status, const char *text, size_t len)
{
	web_security_headers(req);
	http_response_header(req, "cache-control", "no-store");
	http_response_header(
	    req, "content-type", "application/json; charset=utf-8");
	http_response(req, status, text, len);
	return (KORE_RESULT_OK);
}

int
web_reply_download(struct http_request *req, const char *type,
    const char *filename, const char *body, size_t len)
{
	char disp[256];

	web_security_headers(req);
	http_response_header(req, "cache-control", "private, no-store");
	http_response_header(req, "content-type", type);
	(void)snprintf(
	    disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
	http_response_header(req, "content-disposition", disp);
	http_response(req, HTTP_STATUS_OK, body, len);
	return (KORE_RESULT_OK);
}

int
web_fail_field(struct http_request *req, enum web_err e, const char *field,
    const char *message)
{
	json_t *err;

	if ((unsigned int)e >= WEB_ERR__MAX)
		e = WEB_ERR_INTERNAL;
	if (e == WEB_ERR_BUSY)
		http_response_header(req, "retry-after", "1");
	err = json_pack("{s:s,s:s}", "code", web_errors[e].code, "message",
	    message != NULL ? message : web_errors[e].message);
	if (err != NULL && field != NULL)
		json_object_set_new(err, "field", json_string(field));
	return (web_reply_json(req, web_errors[e].status,
	    err != NULL ? json_pack("{s:o}", "error", err) : NULL));
}

int
web_fail_msg(struct http_request *req, enum web_err e, const char *message)
{
	return (web_fail_field(req, e, NULL, message));
}

int
web_fail(struct http_request *req, enum web_err e)
{
	return (web_fail_msg(req, e, NULL));
}

int
web_fail_db(struct http_request *req, int dbrc)
{
	switch (dbrc) {
	case OPS_EBUSY:
		return (web_fail(req, WEB_ERR_BUSY));
	case OPS_ECONSTRAINT:
		return (web_fail(req, WEB_ERR_CONFLICT));
	case OPS_EFULL:
		return (web_fail(req, WEB_ERR_STORAGE_FULL));
	case OPS_ENOMEM:
		kore_log(LOG_ERR, "out of memory");
		return (web_fail(req, WEB_ERR_INTERNAL));
	default:
		kore_log(LOG_ERR, "database error: %s", ops_errmsg(web_db));
		return (web_fail(req, WEB_ERR_INTERNAL));
	}
}
