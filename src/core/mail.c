/*
 * Mail templates and message formatting. Headers carry only values the
 * program controls or has validated (addresses by text_email_valid, fixed
 * subjects); mail_format() refuses any CR or LF in them all the same, so a
 * header can never be injected. A calendar invitation travels as a second
 * MIME part in base64: its lines end in CRLF (RFC 5545), which sendmail's
 * LF-ended input would otherwise not carry intact, and no text of it can
 * reach a header or a boundary line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

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
	    "The attached invitation (interview.ics) adds it to your "
	    "calendar. If this time does not suit you, change or cancel it "
	    "here:\n\n%s\n" },
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
	/* MAIL_SUBMITTED: name, program, when, link */
	{ "Application received",
	    "Dear %s,\n\n"
	    "Thank you for applying to the %s. We have received your "
	    "application, submitted %s.\n"
	    "It can no longer be changed; the program will let you know by "
	    "e-mail if you are invited to interview. You can follow its "
	    "status and your letters of recommendation here:\n\n%s\n" },
	/* MAIL_INTERVIEW_BOOKED: name, program, when, link */
	{ "Interview booked",
	    "Dear %s,\n\n"
	    "Your interview for the %s is booked: %s.\n"
	    "The attached invitation (interview.ics) adds it to your "
	    "calendar. To change or cancel it, sign in here:\n\n%s\n" },
	/* MAIL_INTERVIEW_MOVED: name, program, when, link */
	{ "Interview moved",
	    "Dear %s,\n\n"
	    "Your interview for the %s has moved to %s.\n"
	    "The attached invitation (interview.ics) updates your calendar. "
	    "To change or cancel it, sign in here:\n\n%s\n" },
	/* MAIL_INTERVIEW_CANCELLED: name, program, when, link */
	{ "Interview cancelled",
	    "Dear %s,\n\n"
	    "Your interview for the %s, %s, is cancelled and the slot has "
	    "been released.\n"
	    "The attached cancellation (interview.ics) removes it from your "
	    "calendar. Your invitation and the schedule are here:\n\n%s\n" },
	/* MAIL_INTERVIEW_UNBOOKED: name, program, link */
	{ "Reminder: choose your interview slot",
	    "Dear %s,\n\n"
	    "You were invited to interview for the %s a few days ago and "
	    "have not chosen a slot yet. Please sign in and book one "
	    "here:\n\n%s\n\n"
	    "If every slot is taken you can join the waitlist. This is the "
	    "only reminder we send.\n" },
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
	case MAIL_INTERVIEW_UNBOOKED:
		n = asprintf(
		    &body, templates[kind].body, v->name, v->program, v->link);
		break;
	case MAIL_INTERVIEW_SEAT:
	case MAIL_SUBMITTED:
	case MAIL_INTERVIEW_BOOKED:
	case MAIL_INTERVIEW_MOVED:
	case MAIL_INTERVIEW_CANCELLED:
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

/* The header lines every message starts with; 0 or -1. */
static int
common_headers(const char *sender, const char *from, const char *to,
    const char *subject, time_t date, int64_t id, char **out)
{
	char	    datebuf[64], name[2 * 200 + 1];
	const char *domain;
	struct tm   tm;
	size_t	    n = 0;

	*out = NULL;
	if (sender == NULL || *sender == '\0')
		sender = "Fellowship selection";
	if (strpbrk(from, "\r\n") || strpbrk(to, "\r\n") ||
	    strpbrk(subject, "\r\n") || strpbrk(sender, "\r\n"))
		return (-1);
	/* The display name as a quoted string: " and \ escaped. */
	for (; *sender != '\0' && n + 2 < sizeof(name); sender++) {
		if (*sender == '"' || *sender == '\\')
			name[n++] = '\\';
		name[n++] = *sender;
	}
	if (*sender != '\0')
		return (-1);
	name[n] = '\0';
	if (gmtime_r(&date, &tm) == NULL ||
	    strftime(datebuf, sizeof(datebuf), "%a, %d %b %Y %H:%M:%S +0000",
		&tm) == 0)
		return (-1);
	domain = strchr(from, '@');
	domain = domain != NULL ? domain + 1 : "localhost";
	if (asprintf(out,
		"From: \"%s\" <%s>\n"
		"To: <%s>\n"
		"Subject: %s\n"
		"Date: %s\n"
		"Message-ID: <outbox-%lld@%s>\n"
		"MIME-Version: 1.0\n",
		name, from, to, subject, datebuf, (long long)id, domain) < 0) {
		*out = NULL;
		return (-1);
	}
	return (0);
}

/* The METHOD a calendar's text names ("REQUEST"), or "" when none. */
static void
calendar_method(const char *cal, char out[16])
{
	const char *p = cal;
	size_t	    n = 0;

	out[0] = '\0';
	for (p = cal; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, "METHOD:", 7) != 0)
			continue;
		for (p += 7; n < 15 && p[n] >= 'A' && p[n] <= 'Z'; n++)
			out[n] = p[n];
		out[n] = '\0';
		/* Anything else than a plain name ends the line: none. */
		if (n == 0 || (p[n] != '\r' && p[n] != '\n'))
			out[0] = '\0';
		return;
	}
}

/* data in base64, 76 characters a line, each ending in LF; NULL when
 * out of memory. */
static char *
base64_lines(const char *data, size_t len)
{
	size_t blen, n, i, o, k;
	char  *b, *out;

	blen = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	if ((b = malloc(blen)) == NULL)
		return (NULL);
	(void)sodium_bin2base64(b, blen, (const unsigned char *)data, len,
	    sodium_base64_VARIANT_ORIGINAL);
	n = strlen(b);
	if ((out = malloc(n + n / 76 + 2)) == NULL) {
		free(b);
		return (NULL);
	}
	for (i = 0, o = 0; i < n; i += k) {
		k = n - i < 76 ? n - i : 76;
		memcpy(out + o, b + i, k);
		o += k;
		out[o++] = '\n';
	}
	out[o] = '\0';
	free(b);
	return (out);
}

char *
mail_format(const char *from, const char *to, const char *subject,
    const char *body, time_t date, int64_t id)
{
	return (mail_format_calendar(from, to, subject, body, NULL, date, id));
}

char *
mail_format_calendar(const char *from, const char *to, const char *subject,
    const char *body, const char *calendar, time_t date, int64_t id)
{
	return (mail_format_from(
	    NULL, from, to, subject, body, calendar, date, id));
}

char *
mail_format_from(const char *sender, const char *from, const char *to,
    const char *subject, const char *body, const char *calendar, time_t date,
    int64_t id)
{
	char *head = NULL, *out = NULL, *cal64 = NULL;
	char  boundary[64], method[16], mparam[32];
	int   k, n;

	if (common_headers(sender, from, to, subject, date, id, &head) != 0)
		return (NULL);
	if (calendar == NULL || *calendar == '\0') {
		n = asprintf(&out,
		    "%s"
		    "Content-Type: text/plain; charset=utf-8\n"
		    "Content-Transfer-Encoding: 8bit\n"
		    "Auto-Submitted: auto-generated\n"
		    "\n%s",
		    head, body);
		goto done;
	}
	/* A boundary the text part does not hold (the base64 part cannot:
	 * its alphabet has no "_"). */
	for (k = 0;; k++) {
		(void)snprintf(boundary, sizeof(boundary),
		    "=_fellowship-%lld-%d", (long long)id, k);
		if (strstr(body, boundary) == NULL)
			break;
		if (k == 1000) {
			n = -1;
			goto done;
		}
	}
	calendar_method(calendar, method);
	(void)snprintf(mparam, sizeof(mparam), "%s%s",
	    method[0] != '\0' ? "; method=" : "", method);
	if ((cal64 = base64_lines(calendar, strlen(calendar))) == NULL) {
		n = -1;
		goto done;
	}
	n = asprintf(&out,
	    "%s"
	    "Content-Type: multipart/mixed; boundary=\"%s\"\n"
	    "Auto-Submitted: auto-generated\n"
	    "\n"
	    "This message has a calendar invitation attached.\n"
	    "\n"
	    "--%s\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "\n"
	    "%s\n"
	    "--%s\n"
	    "Content-Type: text/calendar; charset=utf-8%s\n"
	    "Content-Transfer-Encoding: base64\n"
	    "Content-Disposition: attachment; filename=\"interview.ics\"\n"
	    "\n"
	    "%s"
	    "--%s--\n",
	    head, boundary, boundary, body, boundary, mparam, cal64, boundary);
done:
	free(head);
	free(cal64);
	if (n < 0)
		return (NULL);
	return (out);
}
