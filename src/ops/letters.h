/*
 * Letters of recommendation: the applicant's requests, reminders and
 * cancellations, and the writer's upload through a single-use link. The
 * letter itself is never shown to its applicant, by any route (SPEC §2).
 */
#ifndef FELLOW_OPS_LETTERS_H
#define FELLOW_OPS_LETTERS_H

#include "ops/accounts.h"
#include "ops/documents.h"

#define OPS_LETTER_SECONDS  (30L * 24 * 60 * 60)
#define OPS_LETTERS_MAX	    6
#define OPS_REMIND_INTERVAL (24L * 60 * 60)

/* What the applicant asks for. */
struct ops_letter_ask {
	const char *writer_name;
	const char *writer_email;
	int	    waived; /* the applicant waives the right to read it */
};

/*
 * The applicant (actor) asks a writer for a letter for their application;
 * the writer is mailed a link. At most OPS_LETTERS_MAX requests not
 * cancelled (OPS_CONFLICT); within the caps on letter mail over a rolling
 * day, per applicant and per address (core/mailcap.h; OPS_THROTTLED with
 * retry_after and a sentence naming the limit, nothing stored).
 * *out: {letter:{id, writer_name, writer_email, waived, status,
 * requested_at, reminded_at, received_at}}.
 */
int ops_letter_request(struct db *, const struct settings *, struct ops_actor,
    int64_t application, const struct ops_letter_ask *, int64_t now,
    json_t **out, struct ops_error *);

/* Sends the writer a new link (the old one stops working); once a day
 * per letter, and within the caps on letter mail as a request is
 * (OPS_THROTTLED with retry_after). *out: {status:"sent"}. */
int ops_letter_remind(struct db *, const struct settings *, struct ops_actor,
    int64_t letter, int64_t now, json_t **out, struct ops_error *);

/* Cancels a request not yet fulfilled (OPS_CONFLICT otherwise). It
 * sends no mail, and the request's mail still counts against the caps.
 * *out: {status:"cancelled"}. */
int ops_letter_cancel(struct db *, struct ops_actor, int64_t letter,
    json_t **out, struct ops_error *);

/* Forgets the letter mails that left the caps' window at now (the mail
 * process, daily). Returns how many, or a negative DB_* code. */
int ops_letter_mails_purge(struct db *, int64_t now);

/*
 * The letters of application, for whoever may see it (ops/access.h).
 * *out: {letters:[{id, writer_name, writer_email, waived, status,
 * requested_at, reminded_at, received_at}]}, and for staff and faculty
 * the size of a received letter; the applicant sees the status only.
 */
int ops_letters_list(struct db *, struct ops_actor, int64_t application,
    json_t **out, struct ops_error *);

/*
 * A received letter's file in dir, for staff and faculty who may see its
 * application; never for an applicant, waived or not. OPS_OK with *f
 * filled, or OPS_NOT_FOUND.
 */
int ops_letter_file(struct db *, struct ops_actor, int64_t letter,
    const char *dir, struct ops_file *f, struct ops_error *);

/*
 * Looks up a writer's link. *out: {writer_name, applicant, program}
 * (what the writer's page shows), or OPS_TOKEN_INVALID (unknown, used,
 * cancelled or expired).
 */
int ops_letter_open(struct db *, const char *token, int64_t now, json_t **out,
    struct ops_error *);

/*
 * Records the writer's upload as the letter of a live link, which is then
 * used up. Takes the upload (ops/documents.h). *out: {status:"received"}.
 */
int ops_letter_receive(struct db *, const char *token, struct ops_upload *,
    int64_t now, json_t **out, struct ops_error *);

#endif
