/*
 * The exports' CSV cells: any text (a candidate's name as stored) through
 * csv_field() (core/csv.c). Read back by an RFC 4180 reader the cell must give
 * the text unchanged, or with one leading apostrophe when the text starts
 * with a character a spreadsheet would take for a formula.
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
		fuzz_assert(strpbrk(cell, ",\"\r\n") == NULL);
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	    *s = fuzz_cstr(data, size), *cell, *back;
	enum rank_id id;
	int	     guard;

	(void)rank_id_parse(s, &id);
	if ((cell = csv_field(s)) == NULL)
		abort();
	guard = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	back = read_cell(cell);
	if (guard) {
		fuzz_assert(back[0] == '\'');
		fuzz_assert(strcmp(back + 1, s) == 0);
	} else
		fuzz_assert(strcmp(back, s) == 0);
	/* No cell, quoted or not, starts a formula. */
	fuzz_assert(strchr("=+-@\t\r", back[0]) == NULL || back[0] == '\0');
	free(back);
	free(cell);
	free(s);
	return (0);
}
