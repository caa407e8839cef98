/*
 * The exports' CSV cells: any text (a candidate's name as stored) through
 * csv_field() (core/csv.c). Read back by an RFC 4180 reader the cell must give
 * the text with an apostrophe before each character a spreadsheet would take
 * for the start of a formula where a cell could begin: at the start, and
 * after a separator of any locale (comma, semicolon, tab) or a line break,
 * spaces between; nothing else changed. No cell, and no piece of one between
 * separators, starts a formula.
 */
#include "core/csv.h"
#include "core/ranklist.h"
#include "fuzz.h"

/* Reads one RFC 4180 cell that must span all of cell; returns the text
 * (the caller frees it) or fails. */
static char *
read_cell(const char *cell)
{
	size_t len = strlen(cell), i, o = 0;
	char  *out = malloc(len + 1);

	if (out == NULL)
		abort();
	if (len == 0 || cell[0] != '"') {
		/* Unquoted: nothing that needs quoting. */
		fuzz_assert(strpbrk(cell, ",;\t\"\r\n") == NULL);
		memcpy(out, cell, len + 1);
		return (out);
	}
	fuzz_assert(len >= 2 && cell[len - 1] == '"');
	for (i = 1; i < len - 1; i++) {
		if (cell[i] == '"') {
			fuzz_assert(i + 1 < len - 1 && cell[i + 1] == '"');
			i++;
		}
		out[o++] = cell[i];
	}
	out[o] = '\0';
	return (out);
}

static int
separator(char c)
{
	return (c == ',' || c == ';' || c == '\t' || c == '\r' || c == '\n');
}

static int
starter(char c)
{
	return (c != '\0' && strchr("=+-@\t\r", c) != NULL);
}

/* s as the rule above says it must read back (the caller frees it). */
static char *
expected(const char *s)
{
	size_t len = strlen(s), i, j, o = 0;
	char  *out = malloc(2 * len + 2);

	if (out == NULL)
		abort();
	for (i = 0; i < len; i++) {
		/* Where a cell could begin: the start, or past a separator
		 * and the spaces after it. */
		j = i;
		while (j > 0 && s[j - 1] == ' ')
			j--;
		if ((i == 0 || (j > 0 && separator(s[j - 1]))) &&
		    starter(s[i]) && (i == 0 || !separator(s[i])))
			out[o++] = '\'';
		out[o++] = s[i];
	}
	out[o] = '\0';
	return (out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	    *s = fuzz_cstr(data, size), *cell, *back, *want;
	enum rank_id id;
	size_t	     i, j;

	(void)rank_id_parse(s, &id);
	if ((cell = csv_field(s)) == NULL)
		abort();
	back = read_cell(cell);
	want = expected(s);
	fuzz_assert(strcmp(back, want) == 0);
	/* No cell, quoted or not, starts a formula, nor does any piece of
	 * it after a separator and spaces. */
	fuzz_assert(!starter(back[0]));
	for (i = 0; back[i] != '\0'; i++) {
		if (!separator(back[i]))
			continue;
		for (j = i + 1; back[j] == ' '; j++)
			;
		fuzz_assert(!starter(back[j]) || separator(back[j]));
	}
	free(want);
	free(back);
	free(cell);
	free(s);
	return (0);
}
