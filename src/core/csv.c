/*
 * CSV cells and rows (core/csv.h). One rule for every text cell of every
 * export: the match list and the applications list call csv_field(), so
 * a change to the formula guard reaches both.
 */
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

/* A field separator of some locale, or a line break. */
static int
delimiter(char ch)
{
	return (
	    ch == ',' || ch == ';' || ch == '\t' || ch == '\r' || ch == '\n');
}

/* A character a spreadsheet may take as the start of a formula. */
static int
starter(char ch)
{
	return (ch != '\0' && strchr("=+-@\t\r", ch) != NULL);
}

char *
csv_field(const char *s)
{
	size_t len = strlen(s), i, j, o = 0;
	int    guard = 0, quote = 0;
	char  *out;

	if (len > 0 && starter(s[0]))
		guard = 1;
	if (strpbrk(s, ",;\t\"\r\n") != NULL || guard)
		quote = 1;
	/* Worst case: every character a doubled quote or a guarded
	 * starter after a delimiter, plus the first guard and the two
	 * enclosing quotes. */
	if ((out = malloc(3 * len + 4)) == NULL)
		return (NULL);
	if (quote)
		out[o++] = '"';
	if (guard)
		out[o++] = '\'';
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			out[o++] = '"';
		out[o++] = s[i];
		/* After a delimiter (and any spaces), a starter is guarded
		 * too: read with another separator, or by a program that
		 * ignores quotes, what follows would begin a cell. */
		if (!delimiter(s[i]))
			continue;
		for (j = i + 1; j < len && s[j] == ' '; j++)
			;
		if (j < len && starter(s[j]) && !delimiter(s[j])) {
			for (i++; i < j; i++)
				out[o++] = s[i];
			out[o++] = '\'';
			i--;
		}
	}
	if (quote)
		out[o++] = '"';
	out[o] = '\0';
	return (out);
}

/* Appends n bytes of s to c's text. */
static int
append(struct csv *c, const char *s, size_t n)
{
	size_t cap;
	char  *grown;

	if (c->failed)
		return (-1);
	if (c->len + n + 1 > c->cap) {
		cap = c->cap ? c->cap : 1024;
		while (cap < c->len + n + 1)
			cap *= 2;
		if ((grown = realloc(c->text, cap)) == NULL) {
			c->failed = 1;
			return (-1);
		}
		c->text = grown;
		c->cap = cap;
	}
	memcpy(c->text + c->len, s, n);
	c->len += n;
	c->text[c->len] = '\0';
	return (0);
}

int
csv_raw(struct csv *c, const char *s)
{
	if (c->cells++ > 0 && append(c, ",", 1) != 0)
		return (-1);
	return (append(c, s, strlen(s)));
}

int
csv_text(struct csv *c, const char *s)
{
	char *f;
	int   rc;

	if (c->failed)
		return (-1);
	if ((f = csv_field(s)) == NULL) {
		c->failed = 1;
		return (-1);
	}
	rc = csv_raw(c, f);
	free(f);
	return (rc);
}

int
csv_row_end(struct csv *c)
{
	c->cells = 0;
	return (append(c, "\r\n", 2));
}

char *
csv_take(struct csv *c, size_t *len)
{
	char *text = c->text;

	if (c->failed) {
		free(text);
		text = NULL;
	} else if (text == NULL)
		text = calloc(1, 1); /* no row: an empty text */
	if (len != NULL)
		*len = text != NULL ? c->len : 0;
	c->text = NULL;
	c->len = c->cap = 0;
	c->cells = c->failed = 0;
	return (text);
}

void
csv_clear(struct csv *c)
{
	if (c == NULL)
		return;
	free(c->text);
	c->text = NULL;
	c->len = c->cap = 0;
	c->cells = c->failed = 0;
}
