/*
 * The PDF check. After qpdf has parsed the file (and recovered what it
 * can), every object is walked, and every dictionary in it: an action of
 * type JavaScript or Launch, or a /JS or /JavaScript entry anywhere, makes
 * the file active. Indirect references are followed only through the
 * object table, so cycles cannot loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qpdf/qpdf-c.h>

#include "core/pdf.h"

#define PDF_MAX_DEPTH 32

static const char *const verdict_messages[PDF__MAX] = {
	"The file is a PDF.",
	"This file is not a PDF (or is damaged). Upload a PDF document.",
	"This PDF is encrypted or password-protected. Upload an unprotected "
	"copy.",
	"This PDF contains scripts or actions that launch programs. Export it "
	"again as a plain PDF.",
};

const char *
pdf_verdict_message(enum pdf_verdict v)
{
	return ((unsigned int)v < PDF__MAX ? verdict_messages[v] : "");
}

/* Returns a copy of dict's keys (free each and the array), or NULL. */
static char **
collect_keys(qpdf_data q, qpdf_oh dict, int *n)
{
	char **keys = NULL, **grown;
	int    cap = 0;

	*n = 0;
	qpdf_oh_begin_dict_key_iter(q, dict);
	while (qpdf_oh_dict_more_keys(q)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if (cap > 4096 ||
			    (grown = realloc(keys, cap * sizeof(*keys))) ==
				NULL)
				goto fail;
			keys = grown;
		}
		if ((keys[*n] = strdup(qpdf_oh_dict_next_key(q))) == NULL)
			goto fail;
		(*n)++;
	}
	if (keys == NULL)
		keys = calloc(1, sizeof(*keys));
	return (keys);
fail:
	while (*n > 0)
		free(keys[--(*n)]);
	free(keys);
	return (NULL);
}

/* Returns 1 when oh (or a direct object inside it) is active content. */
static int
active(qpdf_data q, qpdf_oh oh, int depth)
{
	qpdf_oh dict, item, s;
	char  **keys;
	int	i, n, nkeys, found = 0;

	if (depth > PDF_MAX_DEPTH)
		return (1); /* absurd nesting: refuse rather than guess */
	if (qpdf_oh_is_array(q, oh)) {
		n = qpdf_oh_get_array_n_items(q, oh);
		for (i = 0; i < n && !found; i++) {
			item = qpdf_oh_get_array_item(q, oh, i);
			if (!qpdf_oh_is_indirect(q, item))
				found = active(q, item, depth + 1);
			qpdf_oh_release(q, item);
		}
		return (found);
	}
	dict = qpdf_oh_is_stream(q, oh) ? qpdf_oh_get_dict(q, oh) : oh;
	if (!qpdf_oh_is_dictionary(q, dict))
		goto out;
	if (qpdf_oh_has_key(q, dict, "/JS") ||
	    qpdf_oh_has_key(q, dict, "/JavaScript")) {
		found = 1;
		goto out;
	}
	if (qpdf_oh_has_key(q, dict, "/S")) {
		s = qpdf_oh_get_key(q, dict, "/S");
		found = qpdf_oh_is_name_and_equals(q, s, "/JavaScript") ||
		    qpdf_oh_is_name_and_equals(q, s, "/Launch");
		qpdf_oh_release(q, s);
		if (found)
			goto out;
	}
	/*
	 * The key iterator is shared by the whole qpdf_data, so the keys are
	 * copied before recursing into their values.
	 */
	if ((keys = collect_keys(q, dict, &nkeys)) == NULL) {
		found = 1;
		goto out;
	}
	for (i = 0; i < nkeys && !found; i++) {
		item = qpdf_oh_get_key(q, dict, keys[i]);
		if (!qpdf_oh_is_indirect(q, item))
			found = active(q, item, depth + 1);
		qpdf_oh_release(q, item);
	}
	for (i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
out:
	if (dict != oh)
		qpdf_oh_release(q, dict);
	return (found);
}

enum pdf_verdict
pdf_check(const char *path)
{
	qpdf_data	 q;
	qpdf_oh		 trailer, size, obj;
	FILE		*f;
	char		 magic[5];
	long long	 n = 0, id;
	enum pdf_verdict v = PDF_OK;

	/* Cheap first: a PDF starts with %PDF- (qpdf would search further). */
	if ((f = fopen(path, "rb")) == NULL)
		return (PDF_NOT_PDF);
	if (fread(magic, 1, 5, f) != 5 || memcmp(magic, "%PDF-", 5) != 0) {
		fclose(f);
		return (PDF_NOT_PDF);
	}
	fclose(f);

	q = qpdf_init();
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	if (qpdf_read(q, path, NULL) & QPDF_ERRORS) {
		v = qpdf_is_encrypted(q) ? PDF_ENCRYPTED : PDF_NOT_PDF;
		goto out;
	}
	if (qpdf_is_encrypted(q)) {
		v = PDF_ENCRYPTED;
		goto out;
	}
	trailer = qpdf_get_trailer(q);
	size = qpdf_oh_get_key(q, trailer, "/Size");
	(void)qpdf_oh_get_value_as_longlong(q, size, &n);
	if (qpdf_oh_has_key(q, trailer, "/Root") == QPDF_FALSE || n <= 0 ||
	    n > 10000000)
		v = PDF_NOT_PDF;
	for (id = 1; v == PDF_OK && id < n; id++) {
		obj = qpdf_get_object_by_id(q, (int)id, 0);
		if (active(q, obj, 0))
			v = PDF_ACTIVE;
		qpdf_oh_release(q, obj);
	}
	if (v == PDF_OK && qpdf_has_error(q))
		v = PDF_NOT_PDF;
out:
	qpdf_cleanup(&q);
	return (v);
}
