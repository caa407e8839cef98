/*
 * Creating accounts. The checks come first and cost nothing; the hash comes
 * last because it is the expensive step.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/password.h"
#include "core/roles.h"
#include "core/text.h"
#include "ops/accounts.h"

int
ops_user_add_hashed(struct db *db, const char *email, const char *name,
    const char *role, const char *pwhash, int64_t actor, int64_t *id, char *err,
    size_t errlen)
{
	enum role r;
	char	  object[32];
	int	  rc;

	if (!text_email_valid(email)) {
		snprintf(err, errlen, "the e-mail address is not valid");
		return (-1);
	}
	if (!text_name_valid(name)) {
		snprintf(err, errlen,
		    "the name must be 1 to %d characters "
		    "of text",
		    TEXT_NAME_MAX);
		return (-1);
	}
	if (role_parse(role, &r) != 0) {
		snprintf(err, errlen,
		    "the role must be applicant, faculty, "
		    "coordinator or director");
		return (-1);
	}

	if ((rc = db_begin(db)) != 0)
		goto fail;
	if ((rc = db_user_insert(db, email, name, role_name(r), pwhash, id)) !=
	    0)
		goto fail;
	(void)snprintf(object, sizeof(object), "user:%lld", (long long)*id);
	if ((rc = db_audit_append(db, actor, "user.create", object, NULL)) != 0)
		goto fail;
	if ((rc = db_commit(db)) != 0)
		goto fail;
	return (0);
fail:
	db_rollback(db);
	if (rc == DB_ECONSTRAINT)
		snprintf(err, errlen, "an account with this e-mail exists");
	else
		snprintf(
		    err, errlen, "cannot save the account: %s", db_errmsg(db));
	return (rc);
}

int
ops_user_add(struct db *db, const char *email, const char *name,
    const char *role, const char *password, size_t pwlen, int64_t actor,
    int64_t *id, char *err, size_t errlen)
{
	char		      hash[PASSWORD_HASH_MAX];
	enum password_verdict v;
	int		      rc;

	if ((v = password_check(password, pwlen)) != PASSWORD_OK) {
		snprintf(err, errlen, "%s", password_verdict_message(v));
		return (-1);
	}
	if (password_hash(password, pwlen, hash) != 0) {
		snprintf(err, errlen, "cannot hash the password");
		return (-1);
	}
	rc = ops_user_add_hashed(
	    db, email, name, role, hash, actor, id, err, errlen);
	sodium_memzero(hash, sizeof(hash));
	return (rc);
}
