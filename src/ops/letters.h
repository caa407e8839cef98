/*
 * Letters of recommendation: the applicant's requests, reminders and
 * cancellations, and the writer's upload through a single-use link. The
 * letter itself is never shown to its applicant, by any route (SPEC §2).
 */
#ifndef FELLOW_OPS_LETTERS_H
#define FELLOW_OPS_LETTERS_H

#include "ops/accounts.h"

#define OPS_LETTER_SECONDS  (30L * 24 * 60 * 60)
#define OPS_LETTERS_MAX	    6
#define OPS_REMIND_INTERVAL (24L * 60 * 60)

/* What the writer's page shows. */
struct ops_letter_request {
	int64_t letter_id;
	char	writer_name[DB_NAME_MAX];
	char	applicant[DB_NAME_MAX];
	char	program[DB_NAME_MAX];
};

/* The applicant asks writer for a letter; mails the writer a link. */
int ops_letter_request(struct db *, const struct settings *,
    int64_t application, int64_t applicant, const char *writer_name,
    const char *writer_email, int waived, int64_t now, int64_t *id,
    struct ops_error *);

/* Sends the writer a new link (the old one stops working); once a day. */
int ops_letter_remind(struct db *, const struct settings *, int64_t letter,
    int64_t applicant, int64_t now, struct ops_error *);

/* Cancels a request that is not yet fulfilled. */
int ops_letter_cancel(
    struct db *, int64_t letter, int64_t applicant, struct ops_error *);

/* Looks up a writer's link: OPS_OK with the request, or
 * OPS_TOKEN_INVALID (unknown, used, cancelled or expired). */
int ops_letter_open(
    struct db *, const char *token, int64_t now, struct ops_letter_request *);

/* Records the writer's upload (stored as documents/<sha256>.pdf); the
 * link is used up. */
int ops_letter_receive(struct db *, const char *token, const char *sha256,
    int64_t size, int64_t now, struct ops_error *);

#endif
