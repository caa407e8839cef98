/*
 * Password policy and Argon2id hashing (libsodium crypto_pwhash_str).
 * Hashing takes about 100-200 ms on purpose: callers in the server run it on
 * a task thread (web/offload.h), never on a worker's event loop.
 */
#ifndef FELLOW_CORE_PASSWORD_H
#define FELLOW_CORE_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN_LEN  12
#define PASSWORD_MAX_LEN  256
#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */

enum password_verdict {
	PASSWORD_OK,
	PASSWORD_TOO_SHORT,
	PASSWORD_TOO_LONG,
	PASSWORD_NOT_UTF8,
	PASSWORD_COMMON,
	PASSWORD__MAX
};

/*
 * Returns the verdict of the rules for pw: length, encoding, and not a
 * common password or a trivial variant of one (share/common-passwords.txt,
 * compiled in).
 */
enum password_verdict password_check(const char *pw, size_t len);

/* Returns 1 when pw is a common password or a trivial variant of one. */
int password_is_common(const char *pw, size_t len);

/* A sentence for the user explaining a verdict. */
const char *password_verdict_message(enum password_verdict);

/*
 * Hashes pw into out (PASSWORD_HASH_MAX bytes, NUL-terminated).
 * Returns 0, or -1 when out of memory.
 */
int password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_MAX]);

/* Returns 1 when hash was made with other limits than today's. */
int password_needs_rehash(const char *hash);

/* Returns 1 when pw matches hash, 0 when not (or hash is malformed). */
int password_verify(const char *hash, const char *pw, size_t len);

#endif
