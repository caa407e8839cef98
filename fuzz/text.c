/*
 * Text checks: the UTF-8 validator (against jansson's, which every JSON
 * body already went through), plain text, names, e-mail addresses, and
 * the ids in request paths. The input is split at its first NUL: before
 * it the text, after it (if any) the prefix for the path id.
 */
#include <ctype.h>

#include "core/text.h"
#include "core/utf8.h"
#include "fuzz.h"

static void
plain(const char *s, int multiline)
{
	const char *msg = NULL;
	size_t	    len = strlen(s), i;

	if (text_plain(s, multiline, 50, &msg) != 0) {
		fuzz_assert(msg != NULL);
		return;
	}
	fuzz_assert(utf8_valid(s, len) && utf8_count(s, len) <= 50);
	for (i = 0; i < len; i++)
		fuzz_assert((unsigned char)s[i] >= 0x20 ||
		    (multiline && (s[i] == '\n' || s[i] == '\t')));
}

static void
email(const char *s)
{
	const char *at;
	size_t	    i;

	if (!text_email_valid(s))
		return;
	/* Addresses go into To: headers and sendmail's command line. */
	fuzz_assert(strlen(s) <= TEXT_EMAIL_MAX);
	fuzz_assert((at = strchr(s, '@')) != NULL && at != s);
	fuzz_assert(strchr(at + 1, '@') == NULL);
	for (i = 0; s[i] != '\0'; i++)
		fuzz_assert((unsigned char)s[i] > 0x20 &&
		    (unsigned char)s[i] < 0x7f && s[i] != '<' && s[i] != '>');
}

static void
path_id(const char *path, const char *prefix)
{
	int64_t	    id = text_path_id(path, prefix);
	const char *p;
	size_t	    n;

	if (id == 0)
		return;
	fuzz_assert(id > 0);
	n = strlen(prefix);
	fuzz_assert(strncmp(path, prefix, n) == 0);
	for (p = path + n; isdigit((unsigned char)*p); p++)
		;
	fuzz_assert(p > path + n && p - (path + n) <= 18);
	fuzz_assert(*p == '\0' || *p == '/');
	fuzz_assert(strtoll(path + n, NULL, 10) == id);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	size_t	len = nul != NULL ? (size_t)(nul - (const char *)data) : size;
	char   *s = fuzz_cstr(data, len), *rest = NULL;
	json_t *j;

	/* jansson's UTF-8 check, less the NUL it allows and ours refuses. */
	j = json_stringn((const char *)data, size);
	fuzz_assert(
	    utf8_valid((const char *)data, size) == (j != NULL && nul == NULL));
	json_decref(j);
	fuzz_assert(utf8_count((const char *)data, size) <= size);

	plain(s, 0);
	plain(s, 1);
	if (text_name_valid(s))
		fuzz_assert(
		    len > 0 && len <= TEXT_NAME_MAX && utf8_valid(s, len));
	email(s);
	path_id(s, "/api/cycles/");
	path_id(s, "");
	if (nul != NULL) {
		rest = fuzz_cstr(data + len + 1, size - len - 1);
		path_id(s, rest);
		path_id(rest, s);
		free(rest);
	}
	free(s);
	return (0);
}
