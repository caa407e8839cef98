/*
 * The mail the product sends: one template per kind, and the RFC 5322 text
 * handed to sendmail. Pure: the outbox (store/) keeps messages, the mailer
 * (ops/mailer.c) delivers them.
 */
#ifndef FELLOW_CORE_MAIL_H
#define FELLOW_CORE_MAIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define MAIL_SUBJECT_MAX 200

enum mail_kind {
	MAIL_INVITATION,      /* name, role, link */
	MAIL_RESET,	      /* name, link */
	MAIL_LETTER,	      /* name (writer), applicant, program, link */
	MAIL_LETTER_REMINDER, /* the same */
	MAIL_INTERVIEW,	      /* name, program, link */
	MAIL_INTERVIEW_SEAT,  /* name, program, when, link */
	MAIL_SCORE_REMINDER,  /* name, program, count, when, link */
	MAIL_SCORE_OVERDUE,   /* the same, once the deadline has passed */
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

#endif
