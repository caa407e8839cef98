/*
 * Serving the embedded front end: "/" is the application shell
 * (index.html), "/assets/<name>" everything else. Names come from the
 * embedded table only; nothing here touches the file system.
 */
#include <string.h>

#include <sodium.h>

#include "core/embed.h"
#include "web/assets.h"
#include "web/web.h"

#define ASSETS_PREFIX "/assets/"
#define ASSETS_INDEX  "index.html"
#define ETAG_LEN      (2 + 32 + 1) /* quotes, 16 bytes in hex, NUL */

WEB_EXPORT int web_asset(struct http_request *);
WEB_EXPORT int web_asset_index(struct http_request *);

static const struct {
	const char *ext;
	const char *type;
} media_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".json", "application/json" },
	{ ".txt", "text/plain; charset=utf-8" },
};

/* One ETag per embedded file, same index as assets_files[]. */
static char (*etags)[ETAG_LEN];

void
web_assets_init(void)
{
	unsigned char digest[16];
	size_t	      i;

	etags = kore_calloc(assets_count + 1, sizeof(*etags));
	for (i = 0; i < assets_count; i++) {
		crypto_generichash(digest, sizeof(digest), assets_files[i].data,
		    assets_files[i].len, NULL, 0);
		etags[i][0] = '"';
		sodium_bin2hex(
		    etags[i] + 1, sizeof(etags[i]) - 1, digest, sizeof(digest));
		etags[i][ETAG_LEN - 2] = '"';
		etags[i][ETAG_LEN - 1] = '\0';
	}
}

static const char *
media_type(const char *name)
{
	const char *dot;
	size_t	    i;

	if ((dot = strrchr(name, '.')) != NULL) {
		for (i = 0; i < sizeof(media_types) / sizeof(media_types[0]);
		     i++) {
			if (strcmp(dot, media_types[i].ext) == 0)
				return (media_types[i].type);
		}
	}
	return ("application/octet-stream");
}

/*
 * Sends embedded file name: 200 with the body, 304 when the client's
 * If-None-Match names the current ETag, 404 when there is no such file.
 */
static int
serve(struct http_request *req, const char *name)
{
	const char *inm;
	size_t	    i;

	for (i = 0; i < assets_count; i++) {
		if (strcmp(assets_files[i].name, name) == 0)
			break;
	}
	if (i == assets_count)
		return (web_fail(req, WEB_ERR_NOT_FOUND));

	web_security_headers(req);
	http_response_header(req, "etag", etags[i]);
	http_response_header(req, "cache-control", "no-cache");
	if (http_request_header(req, "if-none-match", &inm) &&
	    strstr(inm, etags[i]) != NULL) {
		http_response(req, HTTP_STATUS_NOT_MODIFIED, NULL, 0);
		return (KORE_RESULT_OK);
	}
	http_response_header(req, "content-type", media_type(name));
	http_response(
	    req, HTTP_STATUS_OK, assets_files[i].data, assets_files[i].len);
	return (KORE_RESULT_OK);
}

/*
 * GET /
 *   200 the application shell; 304 when unchanged
 */
int
web_asset_index(struct http_request *req)
{
	return (serve(req, ASSETS_INDEX));
}

/*
 * GET /assets/<name>
 *   200 the file; 304 when unchanged; 404 when unknown
 */
int
web_asset(struct http_request *req)
{
	if (strncmp(req->path, ASSETS_PREFIX, strlen(ASSETS_PREFIX)) != 0)
		return (web_fail(req, WEB_ERR_NOT_FOUND));
	return (serve(req, req->path + strlen(ASSETS_PREFIX)));
}
