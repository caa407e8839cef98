/*
 * Password rules and hashing. The length rule counts bytes after checking
 * that the password is valid UTF-8, so a user's passphrase in any script is
 * accepted and the upper bound keeps a single hash's cost fixed.
 */
#include <string.h>

#include <sodium.h>

#include "core/password.h"
#include "core/utf8.h"

/* Interactive limits: ~64 MiB and ~0.1-0.2 s per hash on the target host. */
#define PW_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

static const char *const verdict_messages[PASSWORD__MAX] = {
	"The password is acceptable.",			  /* OK */
	"The password must have at least 12 characters.", /* TOO_SHORT */
	"The password must have at most 256 bytes.",	  /* TOO_LONG */
	"The password must be valid UTF-8 text.",	  /* NOT_UTF8 */
};

enum password_verdict
password_check(const char *pw, size_t len)
{
	if (len > PASSWORD_MAX_LEN)
		return (PASSWORD_TOO_LONG);
	if (!utf8_valid(pw, len))
		return (PASSWORD_NOT_UTF8);
	if (utf8_count(pw, len) < PASSWORD_MIN_LEN)
		return (PASSWORD_TOO_SHORT);
	return (PASSWORD_OK);
}

const char *
password_verdict_message(enum password_verdict v)
{
	if ((unsigned int)v >= PASSWORD__MAX)
		return ("");
	return (verdict_messages[v]);
}

int
password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_MAX])
{
	if (crypto_pwhash_str(out, pw, len, PW_OPSLIMIT, PW_MEMLIMIT) != 0)
		return (-1);
	return (0);
}

int
password_verify(const char *hash, const char *pw, size_t len)
{
	if (memchr(hash, '\0', PASSWORD_HASH_MAX) == NULL)
		return (0);
	return (crypto_pwhash_str_verify(hash, pw, len) == 0);
}
