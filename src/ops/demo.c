/*
 * The demo accounts. One hash serves every account (they share a password),
 * so seeding costs one Argon2id computation, not one per account.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/password.h"
#include "ops/accounts.h"
#include "ops/demo.h"

static const struct {
	const char *email;
	const char *name;
	const char *role;
} demo_users[] = {
	{ "director@demo.test", "Dr. Maria Alvarez", "director" },
	{ "coordinator@demo.test", "Sam Okafor", "coordinator" },
	{ "faculty1@demo.test", "Dr. Henrik Lund", "faculty" },
	{ "faculty2@demo.test", "Dr. Priya Raman", "faculty" },
	{ "faculty3@demo.test", "Dr. James Whitfield", "faculty" },
	{ "faculty4@demo.test", "Dr. Aiko Tanaka", "faculty" },
	{ "faculty5@demo.test", "Dr. Olusegun Bello", "faculty" },
	{ "faculty6@demo.test", "Dr. Claire Dubois", "faculty" },
	{ "applicant@demo.test", "Dr. Lena Fischer", "applicant" },
};

int
demo_seed(struct db *db, char *err, size_t errlen)
{
	char		 hash[PASSWORD_HASH_MAX];
	struct ops_error e = { 0 };
	size_t		 i;
	int64_t		 id;

	if (password_hash(DEMO_PASSWORD, strlen(DEMO_PASSWORD), hash) != 0) {
		snprintf(err, errlen, "cannot hash the demo password");
		return (-1);
	}
	for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		if (ops_user_add_hashed(db, demo_users[i].email,
			demo_users[i].name, demo_users[i].role, hash, 0, &id,
			&e) != 0) {
			snprintf(err, errlen, "%s: %s", demo_users[i].email,
			    e.message[0] ? e.message : db_errmsg(db));
			return (-1);
		}
	}
	return (0);
}

void
demo_print_logins(FILE *out)
{
	size_t i;

	fprintf(out, "Demo accounts (password \"%s\"):\n", DEMO_PASSWORD);
	for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++)
		fprintf(out, "  %-12s %s\n", demo_users[i].role,
		    demo_users[i].email);
	fflush(out);
}
