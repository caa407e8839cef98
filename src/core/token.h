/*
 * Secret tokens: session cookies, CSRF tokens and the single-use links sent
 * by e-mail. 256 random bits from libsodium, written as 43 characters of
 * URL-safe base64. Only a token's hash is ever stored.
 */
#ifndef FELLOW_CORE_TOKEN_H
#define FELLOW_CORE_TOKEN_H

#define TOKEN_LEN      43 /* characters, without the NUL */
#define TOKEN_HASH_LEN 32 /* bytes */

/* Writes a new random token (TOKEN_LEN characters and a NUL) into out. */
void token_new(char out[TOKEN_LEN + 1]);

/*
 * Writes the hash under which token is stored. Returns 0, or -1 when the
 * text is not shaped like a token (so junk never reaches the database).
 */
int token_hash(const char *token, unsigned char out[TOKEN_HASH_LEN]);

#endif
