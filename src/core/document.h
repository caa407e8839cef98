/*
 * The kinds of documents an application carries: one current CV and one
 * personal statement (both required to submit), and any number of others.
 */
#ifndef FELLOW_CORE_DOCUMENT_H
#define FELLOW_CORE_DOCUMENT_H

#include <stddef.h>

#include <jansson.h>

enum document_kind { DOC_CV, DOC_PERSONAL_STATEMENT, DOC_OTHER, DOC__MAX };

struct document_kind_info {
	const char *key;
	const char *label;
	int	    single;   /* a new upload replaces the current one */
	int	    required; /* needed to submit */
};

extern const struct document_kind_info document_kinds[DOC__MAX];

/* Returns 0 and the kind named key, or -1. */
int document_kind_parse(const char *key, enum document_kind *out);

/*
 * Appends {key, label} to missing for each required kind whose count in
 * have[] is 0; returns how many.
 */
size_t document_missing(const int have[DOC__MAX], json_t *missing);

/*
 * Returns 1 when content_type (a request's Content-Type header) is
 * multipart/form-data with a non-empty boundary, as an upload must be;
 * Kore would parse a form with an empty boundary. The client's filename
 * in the form is never used, so nothing else of the form is ours to check.
 */
int document_upload_type_ok(const char *content_type);

#endif
