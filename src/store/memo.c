/*
 * The per-connection memo of views (store/db.h, db_memo_get()), and the
 * counter of changes that move a ranking (db_ranking_epoch()).
 *
 * Whether the database changed is the engine's data version
 * (db_data_version()), which moves on every commit, whether by this
 * connection or another, in this process or another. A text is given out
 * only when the version now is the one it was built at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Texts larger than this are not kept (nor keys that do not fit). */
#define MEMO_TEXT_MAX ((size_t)1 << 20)

/* The data version now, plus one (0 means "do not keep"). */
static int
memo_stamp(struct db *db, uint64_t *stamp)
{
	uint64_t v = 0;
	int	 rc;

	*stamp = 0;
	/* Inside a transaction the version moves only at its commit. */
	if (db_in_transaction(db))
		return (0);
	if ((rc = db_data_version(db, &v)) != 0)
		return (rc < 0 ? rc : 0);
	*stamp = v + 1;
	return (0);
}

static void
memo_free(struct db_memo *m)
{
	free(m->text);
	memset(m, 0, sizeof(*m));
}

void
db_memo_clear(struct db *db)
{
	int i;

	for (i = 0; i < DB_MEMO_SLOTS; i++)
		memo_free(&db->memo[i]);
}

int
db_memo_get(
    struct db *db, const char *key, char **text, size_t *len, uint64_t *stamp)
{
	struct db_memo *m;
	int		i, rc;

	*text = NULL;
	*len = 0;
	if ((rc = memo_stamp(db, stamp)) != 0)
		return (rc);
	for (i = 0; i < DB_MEMO_SLOTS; i++) {
		m = &db->memo[i];
		if (m->text == NULL)
			continue;
		/* Built before a commit: never good again. */
		if (m->stamp != *stamp) {
			memo_free(m);
			continue;
		}
		if (strcmp(m->key, key) != 0)
			continue;
		if ((*text = malloc(m->len + 1)) == NULL)
			return (0);
		memcpy(*text, m->text, m->len + 1);
		*len = m->len;
		m->used = ++db->memo_clock;
		return (1);
	}
	return (0);
}

int
db_memo_put(struct db *db, const char *key, const char *text, size_t len,
    uint64_t stamp)
{
	struct db_memo *m = NULL;
	int		i;

	if (stamp == 0 || len > MEMO_TEXT_MAX ||
	    strlen(key) >= sizeof(db->memo[0].key))
		return (0);
	/* The same key's slot, else a free one, else the least used. */
	for (i = 0; i < DB_MEMO_SLOTS; i++)
		if (db->memo[i].text != NULL &&
		    strcmp(db->memo[i].key, key) == 0)
			m = &db->memo[i];
	for (i = 0; m == NULL && i < DB_MEMO_SLOTS; i++)
		if (db->memo[i].text == NULL)
			m = &db->memo[i];
	if (m == NULL) {
		m = &db->memo[0];
		for (i = 1; i < DB_MEMO_SLOTS; i++)
			if (db->memo[i].used < m->used)
				m = &db->memo[i];
	}
	memo_free(m);
	if ((m->text = malloc(len + 1)) == NULL)
		return (DB_ERROR);
	memcpy(m->text, text, len);
	m->text[len] = '\0';
	m->len = len;
	m->stamp = stamp;
	m->used = ++db->memo_clock;
	(void)snprintf(m->key, sizeof(m->key), "%s", key);
	return (0);
}

int
db_ranking_epoch_now(struct db *db, int64_t *n)
{
	*n = -1;
	return (db_scalar(db, STMT_RANKING_EPOCH, n));
}

int
db_ranking_epoch(struct db *db, int64_t *n)
{
	*n = -1;
	if (db_in_transaction(db))
		return (0);
	return (db_ranking_epoch_now(db, n));
}

uint64_t
db_serial(const struct db *db)
{
	return (db->serial);
}
