/*
 * Settings shared by the server and fellowctl, read from the environment:
 * PORT, DATA_DIR, DATABASE_URL, DEMO, SENDMAIL, PUBLIC_URL, MAIL_FROM
 * and DOCUMENT_MAX_MB (see README).
 * Pure: no Kore, no SQLite.
 */
#ifndef FELLOW_CORE_SETTINGS_H
#define FELLOW_CORE_SETTINGS_H

#include <stddef.h>

#define SETTINGS_PATH_MAX 1024
#define SETTINGS_DB_NAME  "fellowship.db"
/* SENDMAIL value that keeps mail in the outbox, readable by staff. */
#define SETTINGS_MAIL_HOLD "none"

struct settings {
	unsigned int port;			  /* 1..65535 */
	char	     data_dir[SETTINGS_PATH_MAX]; /* no trailing slash */
	int	     data_dir_given; /* DATA_DIR was set, not blank */
	/* A postgresql:// URL: the database is there, not in data_dir. */
	char database_url[SETTINGS_PATH_MAX];
	int  demo;			    /* 0 or 1 */
	char sendmail[SETTINGS_PATH_MAX];   /* command, or "none" */
	char public_url[SETTINGS_PATH_MAX]; /* no trailing slash */
	char mail_from[SETTINGS_PATH_MAX];
	long document_max; /* bytes, 1..10 MiB */
};

/*
 * Fills s from the variables get() returns (NULL or "" means unset, so the
 * default is used). Returns 0, or -1 with a sentence for the operator in
 * err.
 */
int settings_parse(struct settings *s, const char *(*get)(const char *),
    char *err, size_t errlen);

/* settings_parse() with getenv(). */
int settings_from_env(struct settings *s, char *err, size_t errlen);

/* Returns 1 when mail is kept in the outbox instead of being sent. */
int settings_mail_held(const struct settings *);

/*
 * Writes data_dir/name into out. Returns 0, or -1 when it does not fit.
 */
int settings_path(
    const struct settings *s, const char *name, char *out, size_t outlen);

/*
 * Writes what the database is opened with into out: DATABASE_URL when
 * set, else data_dir/SETTINGS_DB_NAME. Returns 0, or -1 when it does not
 * fit.
 */
int settings_database(const struct settings *s, char *out, size_t outlen);

#endif
