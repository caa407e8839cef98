/*
 * Settings from the environment. Everything an operator can set is checked
 * here once, so that the rest of the program can trust the values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/settings.h"

#define DEFAULT_PORT	 8888
#define DEFAULT_DATA_DIR "data"
#define DEFAULT_SENDMAIL "/usr/sbin/sendmail -t -i"

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

int
settings_parse(struct settings *s, const char *port, const char *data_dir,
    const char *demo, const char *sendmail, char *err, size_t errlen)
{
	size_t len;

	memset(s, 0, sizeof(*s));
	s->port = DEFAULT_PORT;
	if (port != NULL && *port != '\0' && parse_port(port, &s->port) == -1) {
		snprintf(err, errlen, "PORT must be a number from 1 to 65535");
		return (-1);
	}

	if (data_dir == NULL || *data_dir == '\0')
		data_dir = DEFAULT_DATA_DIR;
	len = strlen(data_dir);
	while (len > 1 && data_dir[len - 1] == '/')
		len--;
	if (len >= sizeof(s->data_dir) - sizeof(SETTINGS_DB_NAME) - 2) {
		snprintf(err, errlen, "DATA_DIR is too long");
		return (-1);
	}
	memcpy(s->data_dir, data_dir, len);
	s->data_dir[len] = '\0';

	if (demo == NULL || *demo == '\0' || strcmp(demo, "0") == 0)
		s->demo = 0;
	else if (strcmp(demo, "1") == 0)
		s->demo = 1;
	else {
		snprintf(err, errlen, "DEMO must be 0 or 1");
		return (-1);
	}

	if (sendmail == NULL || *sendmail == '\0')
		sendmail = DEFAULT_SENDMAIL;
	if (strlen(sendmail) >= sizeof(s->sendmail)) {
		snprintf(err, errlen, "SENDMAIL is too long");
		return (-1);
	}
	strcpy(s->sendmail, sendmail);
	return (0);
}

int
settings_from_env(struct settings *s, char *err, size_t errlen)
{
	return (settings_parse(s, getenv("PORT"), getenv("DATA_DIR"),
	    getenv("DEMO"), getenv("SENDMAIL"), err, errlen));
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
