/*
 * Settings shared by the server and fellowctl, read from the environment:
 * PORT, DATA_DIR, DEMO and SENDMAIL (see README). Pure: no Kore, no SQLite.
 */
#ifndef FELLOW_CORE_SETTINGS_H
#define FELLOW_CORE_SETTINGS_H

#include <stddef.h>

#define SETTINGS_PATH_MAX 1024
#define SETTINGS_DB_NAME  "fellowship.db"

struct settings {
	unsigned int port;			  /* 1..65535 */
	char	     data_dir[SETTINGS_PATH_MAX]; /* no trailing slash */
	int	     demo;			  /* 0 or 1 */
	char	     sendmail[SETTINGS_PATH_MAX];
};

/*
 * Fills s from the values given (NULL means unset, so the default is used).
 * Returns 0, or -1 with a sentence for the operator in err.
 */
int settings_parse(struct settings *s, const char *port, const char *data_dir,
    const char *demo, const char *sendmail, char *err, size_t errlen);

/* settings_parse() with getenv() of the four variables. */
int settings_from_env(struct settings *s, char *err, size_t errlen);

/*
 * Writes data_dir/name into out. Returns 0, or -1 when it does not fit.
 */
int settings_path(
    const struct settings *s, const char *name, char *out, size_t outlen);

#endif
