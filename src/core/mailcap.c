/*
 * The caps on letter mail (core/mailcap.h): a rolling day's count per
 * applicant and per address against the limits table.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/mailcap.h"

void
mailcap_address(const char *email, char out[MAILCAP_ADDRESS_MAX])
{
	const char *at = strrchr(email, '@'), *p;
	size_t	    n = 0;
	int	    tag = 0;

	for (p = email; *p != '\0' && n < MAILCAP_ADDRESS_MAX - 1; p++) {
		if (at != NULL && p < at && *p == '+')
			tag = 1;
		if (at != NULL && p == at)
			tag = 0;
		if (!tag)
			out[n++] = (char)tolower((unsigned char)*p);
	}
	out[n] = '\0';
}

/* Whether one more may go under limit l, given seen; else when. */
static int
refuses(enum limit l, const struct mailcap_seen *seen, int64_t now,
    int64_t *resets_at)
{
	if (seen->count < limit_max(l))
		return (0);
	/*
	 * The cap-th newest leaves the window at its time + the window; a
	 * missing time (a count that disagrees with the rows) waits the
	 * whole window rather than letting one more through.
	 */
	*resets_at = seen->cap_th_sent_at > 0
	    ? seen->cap_th_sent_at + MAILCAP_WINDOW
	    : now + MAILCAP_WINDOW;
	if (*resets_at <= now)
		*resets_at = now + 1;
	return (1);
}

enum limit
mailcap_check(const struct mailcap_seen *applicant,
    const struct mailcap_seen *address, int64_t now, int64_t *resets_at)
{
	if (refuses(LIMIT_LETTER_MAILS_APPLICANT, applicant, now, resets_at))
		return (LIMIT_LETTER_MAILS_APPLICANT);
	if (refuses(LIMIT_LETTER_MAILS_ADDRESS, address, now, resets_at))
		return (LIMIT_LETTER_MAILS_ADDRESS);
	*resets_at = 0;
	return (LIMIT__MAX);
}

/* "3 hours 5 minutes", "1 hour", "1 minute": seconds, in whole minutes
 * rounded up (never "0 minutes"). */
static void
duration(int64_t seconds, char *out, size_t len)
{
	int64_t minutes = (seconds + 59) / 60, h, m;

	if (minutes < 1)
		minutes = 1;
	h = minutes / 60;
	m = minutes % 60;
	if (h > 0 && m > 0)
		(void)snprintf(out, len, "%lld hour%s %lld minute%s",
		    (long long)h, h == 1 ? "" : "s", (long long)m,
		    m == 1 ? "" : "s");
	else if (h > 0)
		(void)snprintf(
		    out, len, "%lld hour%s", (long long)h, h == 1 ? "" : "s");
	else
		(void)snprintf(
		    out, len, "%lld minute%s", (long long)m, m == 1 ? "" : "s");
}

char *
mailcap_message(enum limit l, int64_t now, int64_t resets_at, const char *when,
    char *buf, size_t len)
{
	char	    first[200], in[64];
	const char *who;

	if (len == 0)
		return (buf);
	if (l == LIMIT_LETTER_MAILS_APPLICANT)
		who = "You have sent as many";
	else if (l == LIMIT_LETTER_MAILS_ADDRESS)
		who = "This address has had as many";
	else {
		buf[0] = '\0';
		return (buf);
	}
	(void)limit_message(l, NULL, first, sizeof(first));
	duration(resets_at - now, in, sizeof(in));
	(void)snprintf(buf, len, "%s %s; the next can go in %s%s%s.", first,
	    who, in, when != NULL && when[0] != '\0' ? ", on " : "",
	    when != NULL ? when : "");
	return (buf);
}
