/*
 * Uploads: the Content-Type of a document or letter upload and the form's
 * "kind" field (the client's filename is never used). The input is split
 * at its first NUL: the Content-Type, then the kind.
 */
#include "core/document.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	size_t	    len = nul ? (size_t)(nul - (const char *)data) : size;
	char	   *ctype = fuzz_cstr(data, len), *kind;
	enum document_kind k;
	json_t		  *missing;
	int		   have[DOC__MAX], i;

	if (document_upload_type_ok(ctype)) {
		fuzz_assert(
		    strncmp(ctype, "multipart/form-data; boundary=", 30) == 0 &&
		    strlen(ctype) > 30);
	}
	kind = nul != NULL ? fuzz_cstr(data + len + 1, size - len - 1)
			   : fuzz_cstr(data, 0);
	if (document_kind_parse(kind, &k) == 0) {
		fuzz_assert((unsigned int)k < DOC__MAX);
		fuzz_assert(strcmp(document_kinds[k].key, kind) == 0);
	}
	for (i = 0; i < DOC__MAX; i++)
		have[i] = size > (size_t)i ? data[i] & 1 : 0;
	if ((missing = json_array()) == NULL)
		abort();
	fuzz_assert(
	    document_missing(have, missing) == json_array_size(missing));
	json_decref(missing);
	free(kind);
	free(ctype);
	return (0);
}
