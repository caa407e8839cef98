/*
 * JSON text written directly into a growing buffer, for the views that
 * are served often and are too large to build as jansson values and
 * serialise on every request (the assignments view: jansson spends
 * about a millisecond on its 250 rows, the text below a few tens of
 * microseconds). The caller writes the punctuation and the keys; this
 * writes values correctly escaped. Strings come out in ASCII, other
 * characters as \u escapes (as jansson's JSON_ENSURE_ASCII writes them),
 * and bytes that are not UTF-8 as U+FFFD, so the text is always valid
 * JSON.
 *
 * A failed allocation is remembered: later calls do nothing and
 * jtext_finish() returns NULL, so a writer checks once at the end.
 */
#ifndef FELLOW_CORE_JSONTEXT_H
#define FELLOW_CORE_JSONTEXT_H

#include <stddef.h>
#include <stdint.h>

struct jtext {
	char  *buf;
	size_t len, cap;
	int    failed;
};

/* Starts an empty text. */
void jtext_init(struct jtext *);

/* Appends s as it is: punctuation and keys the caller knows are JSON. */
void jtext_raw(struct jtext *, const char *s);

/* Appends s as a JSON string, quoted and escaped (NULL as null). */
void jtext_str(struct jtext *, const char *s);

/* Appends a number, and a boolean. */
void jtext_int(struct jtext *, int64_t);
void jtext_bool(struct jtext *, int);

/* Appends another text's contents. */
void jtext_append(struct jtext *, const struct jtext *);

/*
 * Returns the text (NUL-terminated; the caller frees it with free()) and
 * its length in *len, or NULL when memory ran out. The jtext is empty
 * again afterwards.
 */
char *jtext_finish(struct jtext *, size_t *len);

/* Frees the text; accepts one already finished. */
void jtext_free(struct jtext *);

#endif
