/*
 * Bytes compressed in the gzip format (RFC 1952), for views that are
 * kept and served many times: compressed once when they are kept, sent
 * as they are to every client whose Accept-Encoding names gzip.
 */
#ifndef FELLOW_CORE_GZIP_H
#define FELLOW_CORE_GZIP_H

#include <stddef.h>

/*
 * Compresses len bytes of in into *out (malloc'd, *outlen bytes).
 * Returns 0, or -1 when out of memory or when zlib fails; *out is then
 * NULL.
 */
int gzip_bytes(const char *in, size_t len, char **out, size_t *outlen);

/*
 * Whether an Accept-Encoding header value (NULL when absent) accepts
 * gzip: the token gzip (or x-gzip) without a quality of zero, or, when
 * neither is named, "*" without one.
 */
int gzip_accepted(const char *accept_encoding);

#endif
