/*
 * Tokens. The stored hash is an unkeyed BLAKE2b: the token itself has 256
 * bits of entropy, so a fast hash is enough to make a stolen database
 * useless for signing in.
 */
#include <string.h>

#include <sodium.h>

#include "core/token.h"

void
token_new(char out[TOKEN_LEN + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

int
token_hash(const char *token, unsigned char out[TOKEN_HASH_LEN])
{
	size_t i;

	if (strlen(token) != TOKEN_LEN)
		return (-1);
	for (i = 0; i < TOKEN_LEN; i++) {
		if (strchr(
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789-_",
			token[i]) == NULL)
			return (-1);
	}
	crypto_generichash(out, TOKEN_HASH_LEN, (const unsigned char *)token,
	    TOKEN_LEN, NULL, 0);
	return (0);
}
