/*
 * Mail templates and message formatting. Headers carry only values the
 * program controls or has validated (addresses by text_email_valid, fixed
 * subjects); mail_format() refuses any CR or LF in them all the same, so a
 * header can never be injected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mail.h"

static const struct {
	const char *subject;
	const char *body; /* printf format: see each row's arguments */
} templates[MAIL__MAX] = {
	/* MAIL_INVITATION: name, role, link */
	{ "Your invitation to Fellowship selection",
	    "Dear %s,\n\n"
	    "You have been invited to Fellowship selection as %s.\n"
	    "To set your password and sign in, open this link within "
	    "7 days:\n\n%s\n\n"
	    "The link works once. If you did not expect this invitation, "
	    "you can ignore this message.\n" },
	/* MAIL_RESET: name, link */
	{ "Reset your Fellowship selection password",
	    "Dear %s,\n\n"
	    "Someone asked to reset the password of your account. To choose "
	    "a new password, open this link within one hour:\n\n%s\n\n"
	    "The link works once. If you did not ask for this, you can "
	    "ignore this message; your password stays as it is.\n" },
	/* MAIL_LETTER: name, applicant, program, link */
	{ "Letter of recommendation requested",
	    "Dear %s,\n\n"
	    "%s has asked you for a letter of recommendation for the %s.\n"
	    "To upload your letter as a PDF, open this link (no account is "
	    "needed; it works once, for 30 days):\n\n%s\n\n"
	    "Thank you for supporting the applicant.\n" },
	/* MAIL_LETTER_REMINDER: name, applicant, program, link */
	{ "Reminder: letter of recommendation",
	    "Dear %s,\n\n"
	    "A reminder that %s would be grateful for your letter of "
	    "recommendation for the %s. Please upload it as a PDF here (the "
	    "link in any earlier message no longer works):\n\n%s\n" },
	/* MAIL_INTERVIEW: name, program, link */
	{ "Interview invitation",
	    "Dear %s,\n\n"
	    "Thank you for applying to the %s. We are pleased to invite you "
	    "to interview.\n"
	    "Please sign in and choose an interview slot here:\n\n%s\n\n"
	    "If every slot is taken you can join the waitlist; we will book "
	    "you into the first slot that frees up and tell you.\n" },
	/* MAIL_INTERVIEW_SEAT: name, program, when, link */
	{ "Interview slot booked from the waitlist",
	    "Dear %s,\n\n"
	    "A slot has freed up for the %s interviews and, as the first on "
	    "the waitlist, you have been booked into it: %s.\n"
	    "If this time does not suit you, change or cancel it here:\n\n"
	    "%s\n" },
	/* MAIL_SCORE_REMINDER: name, program, count, when, link */
	{ "Reminder: score sheets to submit",
	    "Dear %s,\n\n"
	    "For the %s you have %lld assigned candidate(s) without a "
	    "submitted score sheet. Scoring is due %s.\n"
	    "Your candidates are here:\n\n%s\n" },
	/* MAIL_SCORE_OVERDUE: name, program, count, when, link */
	{ "Overdue: score sheets to submit",
	    "Dear %s,\n\n"
	    "For the %s you have %lld assigned candidate(s) without a "
	    "submitted score sheet. Scoring was due %s and that deadline has "
	    "passed; the ranking waits for your sheets.\n"
	    "Please submit them as soon as you can:\n\n%s\n" },
};

char *
mail_render(enum mail_kind kind, const struct mail_vars *v,
    char subject[MAIL_SUBJECT_MAX])
{
	char *body = NULL;
	int   n = -1;

	if ((unsigned int)kind >= MAIL__MAX)
		return (NULL);
	(void)snprintf(
	    subject, MAIL_SUBJECT_MAX, "%s", templates[kind].subject);
	switch (kind) {
	case MAIL_INVITATION:
		n = asprintf(
		    &body, templates[kind].body, v->name, v->role, v->link);
		break;
	case MAIL_RESET:
		n = asprintf(&body, templates[kind].body, v->name, v->link);
		break;
	case MAIL_LETTER:
	case MAIL_LETTER_REMINDER:
		n = asprintf(&body, templates[kind].body, v->name, v->applicant,
		    v->program, v->link);
		break;
	case MAIL_INTERVIEW:
		n = asprintf(
		    &body, templates[kind].body, v->name, v->program, v->link);
		break;
	case MAIL_INTERVIEW_SEAT:
		n = asprintf(&body, templates[kind].body, v->name, v->program,
		    v->when, v->link);
		break;
	case MAIL_SCORE_REMINDER:
	case MAIL_SCORE_OVERDUE:
		n = asprintf(&body, templates[kind].body, v->name, v->program,
		    v->count, v->when, v->link);
		break;
	default:
		break;
	}
	return (n < 0 ? NULL : body);
}

char *
mail_format(const char *from, const char *to, const char *subject,
    const char *body, time_t date, int64_t id)
{
	char	    datebuf[64];
	const char *domain;
	char	   *out = NULL;
	struct tm   tm;

	if (strpbrk(from, "\r\n") || strpbrk(to, "\r\n") ||
	    strpbrk(subject, "\r\n"))
		return (NULL);
	if (gmtime_r(&date, &tm) == NULL ||
	    strftime(datebuf, sizeof(datebuf), "%a, %d %b %Y %H:%M:%S +0000",
		&tm) == 0)
		return (NULL);
	domain = strchr(from, '@');
	domain = domain != NULL ? domain + 1 : "localhost";
	if (asprintf(&out,
		"From: Fellowship selection <%s>\n"
		"To: <%s>\n"
		"Subject: %s\n"
		"Date: %s\n"
		"Message-ID: <outbox-%lld@%s>\n"
		"MIME-Version: 1.0\n"
		"Content-Type: text/plain; charset=utf-8\n"
		"Content-Transfer-Encoding: 8bit\n"
		"Auto-Submitted: auto-generated\n"
		"\n%s",
		from, to, subject, datebuf, (long long)id, domain, body) < 0)
		return (NULL);
	return (out);
}
