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

#include "core/settings.h"
#include "store/db.h"

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
	WEB_ERR_UNPROCESSABLE,
	WEB_ERR_INTERNAL,
	WEB_ERR_BUSY,
	WEB_ERR_STORAGE_FULL,
	WEB_ERR__MAX
};

/* Set in the worker by web_worker_configure(); NULL in the parent. */
extern struct db      *web_db;
extern struct settings web_settings;

/* Adds the security headers every response carries (reply.c). */
void web_security_headers(struct http_request *);

/*
 * Sends body (a JSON value whose reference this steals; NULL for an empty
 * 204-style reply) with status. Returns KORE_RESULT_OK for the handler to
 * return.
 */
int web_reply_json(struct http_request *, int status, json_t *body);

/* Sends the error's JSON with its default sentence. KORE_RESULT_OK. */
int web_fail(struct http_request *, enum web_err);

/* Sends the error's JSON with a more precise sentence. KORE_RESULT_OK. */
int web_fail_msg(struct http_request *, enum web_err, const char *message);

/* Maps a DB_E* code from the storage layer to its reply. KORE_RESULT_OK. */
int web_fail_db(struct http_request *, int dbrc);

#endif
