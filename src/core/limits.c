/*
 * The limits table (core/limits.h): one row per limit, read by the
 * ranking (ops/ranking.c), the reviewer assignment (ops/assignments.c),
 * the archive import (ops/import.c), the applicant's documents
 * (ops/documents.c) and the mail of letter requests (core/mailcap.c).
 */
#include <stdio.h>

#include "core/limits.h"

const struct limit_def limit_table[LIMIT__MAX] = {
	/* The ranking aggregates every submitted candidate at once. */
	{ "candidates_per_cycle", 5000, "submitted candidates in a cycle" },
	/* Raters are counted over both phases. */
	{ "raters_per_cycle", 1000, "raters with submitted sheets in a cycle" },
	/* Both phases together: 20 sheets per candidate at the most
	 * candidates. */
	{ "sheets_per_cycle", 100000, "submitted sheets in a cycle" },
	/* A rubric becomes a new version when its criteria change after
	 * sheets were submitted on it; both phases together. */
	{ "rubric_versions_per_cycle", 64, "rubric versions in a cycle" },
	/* The archive import makes an account for each. */
	{ "rank_list_authors", 100,
	    "people who saved versions of a rank list" },
	{ "assignment_raters", 200, "raters in one automatic assignment" },
	{ "assignment_candidates", 2000,
	    "candidates in one automatic assignment (and per rater)" },
	{ "raters_per_candidate", 20,
	    "raters per candidate in an automatic assignment" },
	{ "assignment_items", 500, "assignments changed in one request" },
	/* An applicant's storage: the required documents plus a few more,
	 * and six full-size files' worth in all (60 MiB). */
	{ "other_documents_per_application", 10,
	    "other documents in an application" },
	{ "document_bytes_per_application", 62914560,
	    "bytes (60 MiB) of documents in an application" },
	/* Mail to addresses applicants type (core/mailcap.h), over a
	 * rolling 24 hours: an applicant asks six writers and reminds a
	 * few; one writer is asked by a few applicants a day. */
	{ "letter_mails_per_applicant", 10,
	    "letter requests and reminders per applicant in 24 hours" },
	{ "letter_mails_per_address", 5,
	    "letter requests and reminders to one address in 24 hours" },
};

int64_t
limit_max(enum limit l)
{
	return ((unsigned int)l < LIMIT__MAX ? limit_table[l].max : 0);
}

const char *
limit_name(enum limit l)
{
	return ((unsigned int)l < LIMIT__MAX ? limit_table[l].name : "");
}

int
limit_over(enum limit l, int64_t n)
{
	return (n > limit_max(l));
}

char *
limit_message(enum limit l, const char *context, char *buf, size_t len)
{
	if (len == 0)
		return (buf);
	if ((unsigned int)l >= LIMIT__MAX) {
		buf[0] = '\0';
		return (buf);
	}
	(void)snprintf(buf, len, "%s%sat most %lld %s (limit %s).",
	    context != NULL ? context : "", context != NULL ? ": " : "",
	    (long long)limit_table[l].max, limit_table[l].what,
	    limit_table[l].name);
	/* A sentence starts with a capital when there is no context. */
	if (context == NULL && buf[0] == 'a')
		buf[0] = 'A';
	return (buf);
}
