/*
 * Checks for e-mail addresses and names. Addresses are compared without
 * regard to case by the database (COLLATE NOCASE), so no folding here.
 */
#include <ctype.h>
#include <string.h>

#include "core/text.h"
#include "core/utf8.h"

static int
label_char(unsigned char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-');
}

int
text_email_valid(const char *s)
{
	const char *at, *p, *label;
	size_t	    len, labels;

	len = strlen(s);
	if (len < 3 || len > TEXT_EMAIL_MAX)
		return (0);
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return (0);
	if (at == s || at - s > 64)
		return (0);
	for (p = s; p < at; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("()<>[]:;,\\\"", *p) != NULL)
			return (0);
	}
	labels = 0;
	label = at + 1;
	for (p = at + 1;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || p - label > 63 || *label == '-' ||
			    p[-1] == '-')
				return (0);
			labels++;
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!label_char((unsigned char)*p))
			return (0);
	}
	return (labels >= 2);
}

int
text_name_valid(const char *s)
{
	size_t len, i;
	int    visible;

	len = strlen(s);
	if (len == 0 || len > TEXT_NAME_MAX || !utf8_valid(s, len))
		return (0);
	visible = 0;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return (0);
		if (s[i] != ' ')
			visible = 1;
	}
	return (visible);
}

int
text_person_name_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		     len = strlen(s), chars = 0, i, run;
	int		     visible = 0;

	if (len == 0 || !utf8_valid(s, len))
		return (0);
	for (i = 0; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			chars++;
		if (p[i] >= 0x80) {
			/* Letters of other scripts and the typographic
			 * apostrophe (the C1 controls are refused below). */
			visible = 1;
			continue;
		}
		if ((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= 'A' && p[i] <= 'Z')) {
			visible = 1;
			continue;
		}
		if (strchr(" .,'-()", p[i]) == NULL)
			return (0);
		/* "example.com": a dot and then two or more letters. */
		if (p[i] == '.') {
			for (run = 0; i + 1 + run < len &&
			     ((p[i + 1 + run] | 0x20) >= 'a' &&
				 (p[i + 1 + run] | 0x20) <= 'z');
			     run++)
				;
			if (run >= 2)
				return (0);
		}
	}
	/* Unicode's C1 controls (U+0080..U+009F, as C2 80..C2 9F). */
	for (i = 0; i + 1 < len; i++)
		if (p[i] == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
			return (0);
	return (visible && chars <= 100);
}

int
text_plain(const char *s, int multiline, size_t max, const char **msg)
{
	size_t len = strlen(s), i;
	int    visible = 0;

	if (!utf8_valid(s, len)) {
		*msg = "Use plain text.";
		return (-1);
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) ||
		    c == 0x7f) {
			*msg = "Remove the control characters.";
			return (-1);
		}
		if (!isspace(c))
			visible = 1;
	}
	if (!visible) {
		*msg = "Enter a value.";
		return (-1);
	}
	if (utf8_count(s, len) > max) {
		*msg =
		    multiline ? "This text is too long." : "This is too long.";
		return (-1);
	}
	return (0);
}

int64_t
text_path_id(const char *path, const char *prefix)
{
	size_t	    n = strlen(prefix), i;
	const char *p;
	int64_t	    v = 0;

	if (strncmp(path, prefix, n) != 0)
		return (0);
	p = path + n;
	/* 18 digits cannot overflow an int64_t; the routes allow no more. */
	for (i = 0; p[i] >= '0' && p[i] <= '9'; i++) {
		if (i == 18)
			return (0);
		v = v * 10 + (p[i] - '0');
	}
	if (i == 0 || (p[i] != '\0' && p[i] != '/'))
		return (0);
	return (v);
}
