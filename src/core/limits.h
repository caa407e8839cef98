/*
 * The sizes the review and the ranking take, in one table. The ranking,
 * the reviewer assignment and the archive import all read these, so a
 * cycle one of them accepts is one the others can work on; past a limit
 * each refuses with the sentence of limit_message(), which names the
 * limit, and changes nothing. Nothing is ever dropped silently.
 *
 * Why these values: the ranking and the import hold a cycle in memory
 * (about 1 KiB per candidate and 100 bytes per sheet), so 5,000
 * candidates, 1,000 raters and 100,000 sheets (20 per candidate over the
 * two phases) bound a request to tens of megabytes; the national-size
 * bench (bench/scale.c) aggregates twice as much in a fraction of a
 * second. The automatic assignment searches a matrix of raters by
 * candidates, so it takes fewer of each (200 by 2,000: 400,000 cells)
 * and runs in well under a second.
 *
 * Two rows are rates, not sizes: the mail letter requests and reminders
 * send, per applicant and per address over a rolling day
 * (core/mailcap.h); past one the answer is 429, with the sentence of
 * mailcap_message(), which also says when one more may go.
 */
#ifndef FELLOW_CORE_LIMITS_H
#define FELLOW_CORE_LIMITS_H

#include <stddef.h>
#include <stdint.h>

enum limit {
	LIMIT_CANDIDATES,	    /* submitted candidates of a cycle */
	LIMIT_RATERS,		    /* raters with submitted sheets */
	LIMIT_SHEETS,		    /* submitted sheets of a cycle */
	LIMIT_RUBRIC_VERSIONS,	    /* rubric versions of a cycle */
	LIMIT_LIST_AUTHORS,	    /* authors of rank list versions */
	LIMIT_ASSIGN_RATERS,	    /* raters of one automatic assignment */
	LIMIT_ASSIGN_CANDIDATES,    /* its candidates, and a rater's cap */
	LIMIT_ASSIGN_PER_CANDIDATE, /* raters it gives each candidate */
	LIMIT_ASSIGN_ITEMS,	    /* assignments changed by one request */
	LIMIT_OTHER_DOCUMENTS, /* documents of kind other, per application */
	LIMIT_DOCUMENT_BYTES,  /* bytes of documents, per application */
	LIMIT_LETTER_MAILS_APPLICANT, /* letter mails an applicant sends */
	LIMIT_LETTER_MAILS_ADDRESS,   /* letter mails one address receives */
	LIMIT__MAX
};

struct limit_def {
	const char *name; /* for messages and logs: "candidates_per_cycle" */
	int64_t	    max;  /* the most allowed; at least 1 */
	const char *what; /* "submitted candidates in a cycle" */
};

/* The table, by enum limit. */
extern const struct limit_def limit_table[LIMIT__MAX];

/* Returns the most allowed of l (0 for an out-of-range l). */
int64_t limit_max(enum limit l);

/* Returns the limit's name ("" for an out-of-range l). */
const char *limit_name(enum limit l);

/* Returns 1 when n is past limit l (n > its max), else 0. */
int limit_over(enum limit l, int64_t n);

/*
 * Writes into buf (of size len) the sentence of a refusal for limit l,
 * with context (what was being done, or NULL) first:
 * "<context>: at most 5000 submitted candidates in a cycle (limit
 * candidates_per_cycle)." Returns buf.
 */
char *limit_message(enum limit l, const char *context, char *buf, size_t len);

#endif
