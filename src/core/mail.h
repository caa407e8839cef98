/*
 * The mail the product sends: one template per kind, and the RFC 5322 text
 * handed to sendmail — plain text, or a MIME multipart/mixed message whose
 * second part is a calendar invitation (text/calendar, core/calendar.h).
 * Pure: the outbox (store/) keeps messages, the mailer (ops/mailer.c)
 * delivers them.
 */
#ifndef FELLOW_CORE_MAIL_H
#define FELLOW_CORE_MAIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define MAIL_SUBJECT_MAX 200

enum mail_kind {
	MAIL_INVITATION,	  /* name, role, link */
	MAIL_RESET,		  /* name, link */
	MAIL_LETTER,		  /* name (writer), applicant, program, link */
	MAIL_LETTER_REMINDER,	  /* the same */
	MAIL_INTERVIEW,		  /* name, program, link */
	MAIL_INTERVIEW_SEAT,	  /* name, program, when, link */
	MAIL_SCORE_REMINDER,	  /* name, program, count, when, link */
	MAIL_SCORE_OVERDUE,	  /* the same, once the deadline has passed */
	MAIL_SUBMITTED,		  /* name, program, when, link: the receipt */
	MAIL_INTERVIEW_BOOKED,	  /* name, program, when, link */
	MAIL_INTERVIEW_MOVED,	  /* name, program, when, link */
	MAIL_INTERVIEW_CANCELLED, /* name, program, when, link */
	MAIL_INTERVIEW_UNBOOKED,  /* name, program, link: book a slot */
	MAIL__MAX
};

struct mail_vars {
	const char *name;      /* the recipient's name */
	const char *role;      /* for invitations */
	const char *link;      /* absolute URL with the token */
	const char *applicant; /* letters: whom the letter is for */
	const char *program;   /* letters, interviews: the cycle's name */
	const char *when;      /* a date and time as the reader's words */
	long long   count;     /* reminders: how many sheets are missing */
};

/*
 * Renders kind with vars: writes the subject into subject and returns the
 * body, which the caller frees with free(). NULL when out of memory.
 */
char *mail_render(
    enum mail_kind, const struct mail_vars *, char subject[MAIL_SUBJECT_MAX]);

/*
 * Returns the full message (headers and body, LF line ends) for sendmail
 * -t, which the caller frees with free(), or NULL when out of memory or
 * when a header value would contain a line break. id makes the Message-ID
 * unique; its domain is taken from from.
 */
char *mail_format(const char *from, const char *to, const char *subject,
    const char *body, time_t date, int64_t id);

/*
 * As mail_format(), with calendar (iCalendar text, CRLF line ends, or
 * NULL or "" for none) attached: a multipart/mixed message of the body
 * (text/plain) and the calendar (text/calendar with the METHOD the text
 * names, base64 so that its CRLF line ends arrive as they are, as the
 * attachment interview.ics). The boundary is chosen to appear nowhere in
 * the body. Headers are refused as mail_format() refuses them.
 */
char *mail_format_calendar(const char *from, const char *to,
    const char *subject, const char *body, const char *calendar, time_t date,
    int64_t id);

/*
 * As mail_format_calendar(), from sender's name (a program's, "" or NULL
 * for "Fellowship selection"), quoted in the From line: a name holding a
 * line break is refused (NULL).
 */
char *mail_format_from(const char *sender, const char *from, const char *to,
    const char *subject, const char *body, const char *calendar, time_t date,
    int64_t id);

#endif
