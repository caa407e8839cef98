/*
 * CSV as the product exports it (the match list, the applications
 * list): RFC 4180 with CRLF line ends, UTF-8 as stored, and every cell
 * of text written through one rule, csv_field(), so that no spreadsheet
 * reads a formula out of a name a user typed.
 */
#ifndef FELLOW_CORE_CSV_H
#define FELLOW_CORE_CSV_H

#include <stddef.h>

/*
 * Returns one CSV field for s (a new string the caller frees with
 * free()): a value starting with =, +, -, @, a tab or a carriage return
 * is prefixed with an apostrophe so that spreadsheets show it as text,
 * and so is such a character after a field separator of any locale
 * (comma, semicolon, tab) or a line break, spaces between; the field is
 * quoted (inner quotes doubled) when it holds any of those separators, a
 * quote or a line break, or was prefixed. NULL when out of memory.
 */
char *csv_field(const char *s);

/*
 * A CSV text being built row by row. Start from { 0 }; every call
 * returns 0, or -1 once memory has run out (then nothing more is added
 * and csv_take() gives NULL).
 */
struct csv {
	char  *text;
	size_t len, cap;
	int    cells; /* in the current row */
	int    failed;
};

/* Appends s as a text cell of the current row, through csv_field(). */
int csv_text(struct csv *, const char *s);

/*
 * Appends s as it is: for numbers and words the caller formats itself
 * (never for text from a user), which need neither quotes nor the guard.
 */
int csv_raw(struct csv *, const char *s);

/* Ends the current row with CRLF. */
int csv_row_end(struct csv *);

/* The text built (the caller frees it with free()) and its length; NULL
 * when memory ran out. c is empty afterwards. */
char *csv_take(struct csv *c, size_t *len);

/* Releases what c holds (c may be NULL). */
void csv_clear(struct csv *c);

#endif
