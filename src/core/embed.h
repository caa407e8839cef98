/*
 * Files compiled into the program by tools/embed.c: the numbered SQL
 * migrations (SQLite's, and PostgreSQL's from migrations/pg) and the
 * browser front end. Each array ends with an entry whose
 * name is NULL. The data is followed by a NUL byte not counted in len.
 */
#ifndef FELLOW_CORE_EMBED_H
#define FELLOW_CORE_EMBED_H

#include <stddef.h>

struct embed_file {
	const char	    *name;
	const unsigned char *data;
	size_t		     len;
};

extern const struct embed_file migrations_files[];
extern const size_t	       migrations_count;
extern const struct embed_file pg_migrations_files[];
extern const size_t	       pg_migrations_count;
extern const struct embed_file wordlist_files[];
extern const size_t	       wordlist_count;
extern const struct embed_file assets_files[];
extern const size_t	       assets_count;

#endif
