/*
 * Settings from the environment: the input is up to eight NUL-separated
 * values for PORT, DATA_DIR, DEMO, SENDMAIL, PUBLIC_URL, MAIL_FROM,
 * DOCUMENT_MAX_MB and DATABASE_URL (an empty value counts as unset).
 * Accepted settings must be within the bounds the server and fellowctl
 * rely on.
 */
#include "core/settings.h"
#include "core/text.h"
#include "fuzz.h"

static const char *const names[] = { "PORT", "DATA_DIR", "DEMO", "SENDMAIL",
	"PUBLIC_URL", "MAIL_FROM", "DOCUMENT_MAX_MB", "DATABASE_URL" };
#define NAMES (sizeof(names) / sizeof(names[0]))

static const char *values[NAMES];

static const char *
get(const char *name)
{
	size_t i;

	for (i = 0; i < NAMES; i++)
		if (strcmp(name, names[i]) == 0)
			return (values[i]);
	fuzz_fail("settings asked for an unknown variable");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings *s;
	char		*buf, *p, *end, err[128], path[64];
	size_t		 i, len;

	if ((buf = malloc(size + 1)) == NULL ||
	    (s = malloc(sizeof(*s))) == NULL)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	end = buf + size;
	for (i = 0, p = buf; i < NAMES; i++) {
		values[i] = p <= end ? p : NULL;
		if (p <= end)
			p += strlen(p) + 1;
	}
	err[0] = '\0';
	if (settings_parse(s, get, err, sizeof(err)) != 0) {
		fuzz_assert(err[0] != '\0');
		goto out;
	}
	fuzz_assert(s->port >= 1 && s->port <= 65535);
	fuzz_assert(s->demo == 0 || s->demo == 1);
	fuzz_assert(s->document_max >= 1024L * 1024 &&
	    s->document_max <= 10L * 1024 * 1024);
	fuzz_assert(text_email_valid(s->mail_from));
	fuzz_assert(strncmp(s->public_url, "http://", 7) == 0 ||
	    strncmp(s->public_url, "https://", 8) == 0);
	fuzz_assert(strpbrk(s->public_url, " \t\r\n\"'<>") == NULL);
	fuzz_assert(s->database_url[0] == '\0' ||
	    strncmp(s->database_url, "postgresql://", 13) == 0 ||
	    strncmp(s->database_url, "postgres://", 11) == 0);
	len = strlen(s->data_dir);
	fuzz_assert(len > 0 && (len == 1 || s->data_dir[len - 1] != '/'));
	/* The database's path always fits. */
	fuzz_assert(settings_path(s, SETTINGS_DB_NAME, s->sendmail,
			sizeof(s->sendmail)) == 0);
	(void)settings_path(s, "documents", path, sizeof(path));
	(void)settings_mail_held(s);
out:
	free(s);
	free(buf);
	return (0);
}
