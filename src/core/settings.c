/*
 * Settings from the environment. Everything an operator can set is checked
 * here once, so that the rest of the program can trust the values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/settings.h"
#include "core/text.h"

#define DEFAULT_PORT	  8888
#define DEFAULT_DATA_DIR  "data"
#define DEFAULT_SENDMAIL  "/usr/sbin/sendmail -t -i"
#define DEFAULT_MAIL_FROM "noreply@localhost.localdomain"

static int
parse_port(const char *v, unsigned int *out)
{
	char	     *end;
	unsigned long n;

	if (*v == '\0' || *v == '-' || *v == '+')
		return (-1);
	n = strtoul(v, &end, 10);
	if (*end != '\0' || n == 0 || n > 65535)
		return (-1);
	*out = (unsigned int)n;
	return (0);
}

/* Copies v into out (outlen bytes) without trailing slashes. */
static int
copy_trimmed(char *out, size_t outlen, const char *v)
{
	size_t len;

	len = strlen(v);
	while (len > 1 && v[len - 1] == '/')
		len--;
	if (len >= outlen)
		return (-1);
	memcpy(out, v, len);
	out[len] = '\0';
	return (0);
}

/* Returns what follows the http:// or https:// of url, or NULL. */
static const char *
url_host(const char *url)
{
	if (strncmp(url, "http://", 7) == 0)
		return (url + 7);
	if (strncmp(url, "https://", 8) == 0)
		return (url + 8);
	return (NULL);
}

static const char *
value(const char *(*get)(const char *), const char *name, const char *dflt)
{
	const char *v;

	v = get(name);
	return (v == NULL || *v == '\0' ? dflt : v);
}

int
settings_parse(struct settings *s, const char *(*get)(const char *), char *err,
    size_t errlen)
{
	const char *v, *host;
	char	    url[64], *end;

	memset(s, 0, sizeof(s[0]));
	s->port = DEFAULT_PORT;
	v = value(get, "PORT", NULL);
	if (v != NULL && parse_port(v, &s->port) == -1) {
		snprintf(err, errlen, "PORT must be a number from 1 to 65535");
		return (-1);
	}

	/* fellowctl import writes only where it was told to. */
	v = get("DATA_DIR");
	s->data_dir_given = v != NULL && v[strspn(v, " \t")] != '\0';
	v = value(get, "DATA_DIR", DEFAULT_DATA_DIR);
	if (strlen(v) >= sizeof(s->data_dir) - sizeof(SETTINGS_DB_NAME) - 2 ||
	    copy_trimmed(s->data_dir, sizeof(s->data_dir), v) != 0) {
		snprintf(err, errlen, "DATA_DIR is too long");
		return (-1);
	}

	/* PostgreSQL instead of the SQLite file of DATA_DIR (which still
	 * holds the documents). */
	v = value(get, "DATABASE_URL", "");
	if (*v != '\0' && strncmp(v, "postgresql://", 13) != 0 &&
	    strncmp(v, "postgres://", 11) != 0) {
		snprintf(
		    err, errlen, "DATABASE_URL must be a postgresql:// URL");
		return (-1);
	}
	if (strlen(v) >= sizeof(s->database_url)) {
		snprintf(err, errlen, "DATABASE_URL is too long");
		return (-1);
	}
	strcpy(s->database_url, v);

	v = value(get, "DEMO", "0");
	if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
		snprintf(err, errlen, "DEMO must be 0 or 1");
		return (-1);
	}
	s->demo = v[0] == '1';

	v = value(get, "SENDMAIL", DEFAULT_SENDMAIL);
	if (strlen(v) >= sizeof(s->sendmail)) {
		snprintf(err, errlen, "SENDMAIL is too long");
		return (-1);
	}
	strcpy(s->sendmail, v);
	/* Held mail is read on the outbox page, which shows it only in demo
	 * mode: anywhere else no invitation or reset would ever arrive. */
	if (settings_mail_held(s) && !s->demo) {
		snprintf(err, errlen,
		    "SENDMAIL=none holds all mail, which only demo mode shows "
		    "(DEMO=1); set SENDMAIL to a mail command such as "
		    "\"/usr/sbin/sendmail -t -i\"");
		return (-1);
	}

	(void)snprintf(url, sizeof(url), "http://127.0.0.1:%u", s->port);
	v = value(get, "PUBLIC_URL", url);
	if ((host = url_host(v)) == NULL || *host == '\0' || *host == '/' ||
	    strpbrk(v, " \t\r\n\"'<>") != NULL ||
	    copy_trimmed(s->public_url, sizeof(s->public_url), v) != 0) {
		snprintf(err, errlen,
		    "PUBLIC_URL must be an http:// or "
		    "https:// address without spaces");
		return (-1);
	}

	v = value(get, "MAIL_FROM", DEFAULT_MAIL_FROM);
	if (!text_email_valid(v) || strlen(v) >= sizeof(s->mail_from)) {
		snprintf(err, errlen, "MAIL_FROM must be an e-mail address");
		return (-1);
	}
	strcpy(s->mail_from, v);

	/* Up to the 11 MiB body limit of conf/common.conf and nginx. */
	v = value(get, "DOCUMENT_MAX_MB", "10");
	s->document_max = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || s->document_max < 1 ||
	    s->document_max > 10) {
		snprintf(err, errlen, "DOCUMENT_MAX_MB must be 1 to 10");
		return (-1);
	}
	s->document_max *= 1024L * 1024;
	return (0);
}

static const char *
env(const char *name)
{
	return (getenv(name));
}

int
settings_from_env(struct settings *s, char *err, size_t errlen)
{
	return (settings_parse(s, env, err, errlen));
}

int
settings_mail_held(const struct settings *s)
{
	return (strcmp(s->sendmail, SETTINGS_MAIL_HOLD) == 0);
}

int
settings_path(
    const struct settings *s, const char *name, char *out, size_t outlen)
{
	int n;

	n = snprintf(out, outlen, "%s/%s", s->data_dir, name);
	if (n < 0 || (size_t)n >= outlen)
		return (-1);
	return (0);
}

int
settings_database(const struct settings *s, char *out, size_t outlen)
{
	int n;

	if (s->database_url[0] == '\0')
		return (settings_path(s, SETTINGS_DB_NAME, out, outlen));
	n = snprintf(out, outlen, "%s", s->database_url);
	return (n < 0 || (size_t)n >= outlen ? -1 : 0);
}
