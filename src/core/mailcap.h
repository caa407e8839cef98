/*
 * Caps on the mail that letter requests send. A letter request and a
 * reminder each mail an address the applicant typed, from the program's
 * mail server: without a cap, a loop of requests and cancellations
 * queues mail to anyone as fast as it runs. Two named limits
 * (core/limits.c) bound it over a rolling day on the program's clock:
 * the letter mails one applicant sends (LIMIT_LETTER_MAILS_APPLICANT),
 * and the letter mails one address receives, whoever asks
 * (LIMIT_LETTER_MAILS_ADDRESS), so many accounts cannot flood one
 * mailbox either. A cancellation sends no mail and is not counted.
 *
 * Pure: the caller counts the mails of the window (ops/letters.c, in
 * the transaction that would send one more) and passes the clock.
 */
#ifndef FELLOW_CORE_MAILCAP_H
#define FELLOW_CORE_MAILCAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"

/* The rolling day the caps count over. */
#define MAILCAP_WINDOW (24L * 60 * 60)

/*
 * What the window holds for one cap: the mails counted (sent after now -
 * MAILCAP_WINDOW), and when the newest mail at the cap's rank (the
 * cap-th newest, limit_max()) was sent, 0 when there are fewer. One more
 * mail may go once that one has left the window.
 */
struct mailcap_seen {
	int64_t count;
	int64_t cap_th_sent_at;
};

/* The most bytes of an address as counted, with its NUL. */
#define MAILCAP_ADDRESS_MAX 256

/*
 * Writes into out (MAILCAP_ADDRESS_MAX bytes) the address email as the
 * per-address cap counts it: in lower case, and without a "+tag" in its
 * local part, since "ann+1@example.org" and "ann+2@example.org" reach
 * one mailbox at most providers. An address too long is cut (it was
 * refused before this in any case).
 */
void mailcap_address(const char *email, char out[MAILCAP_ADDRESS_MAX]);

/*
 * Whether one more letter mail may go at now, given what the window
 * holds for the applicant and for the address. Returns LIMIT__MAX when
 * it may; else the limit that refuses (the applicant's before the
 * address's), with *resets_at set to when one more may go (after now).
 */
enum limit mailcap_check(const struct mailcap_seen *applicant,
    const struct mailcap_seen *address, int64_t now, int64_t *resets_at);

/*
 * Writes into buf (of size len) the sentence of a refusal by limit l
 * (one of the two above) at now, the cap resetting at resets_at; when
 * is how that instant reads (cal_when(): "Friday, 15 January 2027 at
 * 09:00 (America/New_York)"), or NULL:
 * "At most 10 letter requests and reminders per applicant in 24 hours
 * (limit letter_mails_per_applicant). You have sent as many; the next
 * can go in 3 hours 5 minutes, on Friday, ... ." At most 240 bytes for
 * any zone of core/dates.h, so it fits a refusal. Returns buf.
 */
char *mailcap_message(enum limit l, int64_t now, int64_t resets_at,
    const char *when, char *buf, size_t len);

#endif
