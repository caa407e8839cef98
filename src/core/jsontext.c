/*
 * JSON text written directly (core/jsontext.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsontext.h"

void
jtext_init(struct jtext *t)
{
	memset(t, 0, sizeof(*t));
}

/* Makes room for n more bytes and the NUL; 0, or -1 (and failed). */
static int
room(struct jtext *t, size_t n)
{
	size_t cap;
	char  *grown;

	if (t->failed)
		return (-1);
	if (t->len + n + 1 <= t->cap)
		return (0);
	cap = t->cap ? t->cap : 1024;
	while (cap < t->len + n + 1)
		cap *= 2;
	if ((grown = realloc(t->buf, cap)) == NULL) {
		t->failed = 1;
		return (-1);
	}
	t->buf = grown;
	t->cap = cap;
	return (0);
}

static void
put(struct jtext *t, const char *s, size_t n)
{
	if (room(t, n) != 0)
		return;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void
jtext_raw(struct jtext *t, const char *s)
{
	put(t, s, strlen(s));
}

/* Appends \uXXXX for a code unit. */
static void
put_unit(struct jtext *t, unsigned int u)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = { '\\', 'u', hex[(u >> 12) & 15], hex[(u >> 8) & 15],
		hex[(u >> 4) & 15], hex[u & 15] };

	put(t, e, sizeof(e));
}

/*
 * Decodes the UTF-8 sequence at s (n bytes left, n >= 1, s[0] >= 0x80):
 * returns its length and the code point in *cp, or 0 when it is not
 * well formed (overlong, a surrogate, past U+10FFFF, cut short).
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, unsigned int *cp)
{
	size_t	     len, i;
	unsigned int c, min;

	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else
		return (0);
	if (len > n)
		return (0);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (len);
}

void
jtext_str(struct jtext *t, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t		     i, run, n, k;
	unsigned int	     cp;

	if (str == NULL) {
		put(t, "null", 4);
		return;
	}
	n = strlen(str);
	put(t, "\"", 1);
	for (i = 0; i < n;) {
		/* Plain ASCII goes in runs. */
		for (run = i; run < n && s[run] >= 0x20 && s[run] < 0x80 &&
		     s[run] != '"' && s[run] != '\\';
		     run++)
			;
		if (run > i) {
			put(t, str + i, run - i);
			i = run;
			continue;
		}
		switch (s[i]) {
		case '"':
			put(t, "\\\"", 2);
			break;
		case '\\':
			put(t, "\\\\", 2);
			break;
		case '\b':
			put(t, "\\b", 2);
			break;
		case '\f':
			put(t, "\\f", 2);
			break;
		case '\n':
			put(t, "\\n", 2);
			break;
		case '\r':
			put(t, "\\r", 2);
			break;
		case '\t':
			put(t, "\\t", 2);
			break;
		default:
			if (s[i] < 0x20) {
				put_unit(t, s[i]);
				break;
			}
			if ((k = utf8_decode(s + i, n - i, &cp)) == 0) {
				put_unit(t, 0xfffd);
				break;
			}
			if (cp >= 0x10000) {
				cp -= 0x10000;
				put_unit(t, 0xd800 | (cp >> 10));
				put_unit(t, 0xdc00 | (cp & 0x3ff));
			} else
				put_unit(t, cp);
			i += k;
			continue;
		}
		i++;
	}
	put(t, "\"", 1);
}

void
jtext_int(struct jtext *t, int64_t v)
{
	char b[24];
	int  n;

	n = snprintf(b, sizeof(b), "%lld", (long long)v);
	put(t, b, (size_t)n);
}

void
jtext_bool(struct jtext *t, int v)
{
	if (v)
		put(t, "true", 4);
	else
		put(t, "false", 5);
}

void
jtext_append(struct jtext *t, const struct jtext *other)
{
	if (other->failed) {
		t->failed = 1;
		return;
	}
	if (other->len > 0)
		put(t, other->buf, other->len);
}

char *
jtext_finish(struct jtext *t, size_t *len)
{
	char *out = NULL;

	if (!t->failed && room(t, 0) == 0) {
		out = t->buf;
		if (len != NULL)
			*len = t->len;
		t->buf = NULL;
	}
	jtext_free(t);
	return (out);
}

void
jtext_free(struct jtext *t)
{
	free(t->buf);
	jtext_init(t);
}
