/*
 * The statement table: every SQL text the program runs against the
 * database, one row per enum stmt value, each with what it is for. Values
 * are always bound, never formatted into the text.
 */
#include "store/internal.h"

const char *const stmt_sql[STMT__MAX] = {
	/* STMT_PING: the cheapest query that touches the connection. */
	"SELECT 1",

	/* STMT_SCHEMA_VERSION: highest migration applied (0 when none). */
	"SELECT coalesce(max(version), 0) FROM schema_migrations",

	/* STMT_USER_INSERT: email, name, role, password hash (or NULL). */
	"INSERT INTO users (email, name, role, password_hash) "
	"VALUES (?1, ?2, ?3, ?4)",

	/* STMT_USER_COUNT: how many accounts exist. */
	"SELECT count(*) FROM users",

	/* STMT_AUDIT_APPEND: actor (NULL for the system), action, object,
	 * detail JSON. */
	"INSERT INTO audit_log (actor_id, action, object, detail) "
	"VALUES (?1, ?2, ?3, ?4)",
};
