/*
 * Document kinds.
 */
#include <string.h>

#include "core/document.h"

const struct document_kind_info document_kinds[DOC__MAX] = {
	{ "cv", "Curriculum vitae (PDF)", 1, 1 },
	{ "personal_statement", "Personal statement (PDF)", 1, 1 },
	{ "other", "Other document (PDF)", 0, 0 },
};

int
document_kind_parse(const char *key, enum document_kind *out)
{
	int i;

	for (i = 0; i < DOC__MAX; i++) {
		if (strcmp(key, document_kinds[i].key) == 0) {
			*out = (enum document_kind)i;
			return (0);
		}
	}
	return (-1);
}

size_t
document_missing(const int have[DOC__MAX], json_t *missing)
{
	size_t n = 0;
	int    i;

	for (i = 0; i < DOC__MAX; i++) {
		if (document_kinds[i].required && have[i] == 0) {
			json_array_append_new(missing,
			    json_pack("{s:s,s:s}", "key", document_kinds[i].key,
				"label", document_kinds[i].label));
			n++;
		}
	}
	return (n);
}

int
document_upload_type_ok(const char *content_type)
{
	static const char prefix[] = "multipart/form-data; boundary=";

	return (strncmp(content_type, prefix, sizeof(prefix) - 1) == 0 &&
	    content_type[sizeof(prefix) - 1] != '\0');
}
