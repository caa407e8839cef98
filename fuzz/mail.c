/*
 * Mail: names and texts from the database (already checked, but taken
 * here as any bytes) rendered into every template, and messages formatted
 * for sendmail -t from any sender, recipient and subject. Whatever the
 * input, a formatted message has exactly its nine header lines: nothing
 * can add a header (Bcc:, say) through a value.
 */
#include "core/mail.h"
#include "fuzz.h"

#define HEADERS 9

/* The input's parts, split at NUL: name, applicant, program, when, link,
 * from, to, subject; missing parts are empty. */
#define PARTS 8

static void
headers(const char *msg)
{
	const char *end = strstr(msg, "\n\n"), *p;
	int	    lines = 1;

	fuzz_assert(end != NULL);
	for (p = msg; p < end; p++) {
		fuzz_assert(*p != '\r');
		if (*p == '\n')
			lines++;
	}
	fuzz_assert(lines == HEADERS);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_vars v;
	const char	*part[PARTS];
	char		*buf = fuzz_cstr(data, size), *p, *body, *msg;
	char		 subject[MAIL_SUBJECT_MAX];
	size_t		 i;
	int		 k;

	for (i = 0, p = buf; i < PARTS; i++) {
		part[i] = p <= buf + size ? p : "";
		if (p <= buf + size)
			p += strlen(p) + 1;
	}
	memset(&v, 0, sizeof(v));
	v.name = part[0];
	v.role = "faculty";
	v.applicant = part[1];
	v.program = part[2];
	v.when = part[3];
	v.link = part[4];
	v.count = (long long)size - 100;
	for (k = 0; k < MAIL__MAX; k++) {
		if ((body = mail_render((enum mail_kind)k, &v, subject)) ==
		    NULL)
			abort();
		fuzz_assert(strlen(subject) > 0);
		if ((msg = mail_format(part[5], part[6], subject, body,
			 (time_t)size * 86400, (int64_t)k)) != NULL) {
			headers(msg);
			free(msg);
		}
		free(body);
	}
	if ((msg = mail_format(
		 part[5], part[6], part[7], part[0], (time_t)0, 1)) != NULL) {
		headers(msg);
		free(msg);
	}
	free(buf);
	return (0);
}
