/*
 * Password rules and hashing. The length rule counts bytes after checking
 * that the password is valid UTF-8, so a user's passphrase in any script is
 * accepted and the upper bound keeps a single hash's cost fixed.
 */
#include <string.h>

#include <sodium.h>

#include "core/embed.h"
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
	"This password is too common; choose one that is harder to guess.",
	/* COMMON */
};

/* Returns 1 when w[0..len) is a line of the compiled-in list. */
static int
listed(const char *w, size_t len)
{
	const char *p, *end, *nl;
	size_t	    n;

	if (len == 0 || wordlist_count == 0)
		return (0);
	p = (const char *)wordlist_files[0].data;
	end = p + wordlist_files[0].len;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == len && memcmp(p, w, len) == 0)
			return (1);
	}
	return (0);
}

static int
filler(char c)
{
	return ((c >= '0' && c <= '9') || (c > ' ' && c < '0') ||
	    (c > '9' && c < 'A') || (c > 'Z' && c < 'a') ||
	    (c > 'z' && c < 0x7f));
}

/*
 * Returns 1 when s is a run of one short unit ("abcabc...") or counts up or
 * down by one character at a time ("123456789012", cyclic over digits).
 */
static int
trivial(const char *s, size_t len)
{
	size_t unit, i;
	int    up = 1, down = 1;

	for (unit = 1; unit <= 4 && unit < len; unit++) {
		for (i = unit; i < len && s[i] == s[i - unit]; i++)
			;
		if (i == len)
			return (1);
	}
	for (i = 1; i < len; i++) {
		if (!(s[i] == s[i - 1] + 1 || (s[i - 1] == '9' && s[i] == '0')))
			up = 0;
		if (!(s[i] == s[i - 1] - 1 || (s[i - 1] == '0' && s[i] == '9')))
			down = 0;
	}
	return (up || down);
}

int
password_is_common(const char *pw, size_t len)
{
	char   low[PASSWORD_MAX_LEN] = { 0 };
	size_t i, b, e, unit;
	int    found = 0;

	if (len > sizeof(low))
		return (0);
	for (i = 0; i < len; i++)
		low[i] =
		    (pw[i] >= 'A' && pw[i] <= 'Z') ? (char)(pw[i] + 32) : pw[i];
	/* The word itself, or with digits and symbols around it. */
	for (b = 0; b < len && filler(low[b]); b++)
		;
	for (e = len; e > b && filler(low[e - 1]); e--)
		;
	if (listed(low, len) || (e > b && listed(low + b, e - b)) ||
	    trivial(low, len))
		found = 1;
	/* A listed word said several times over ("passwordpassword"). */
	for (unit = 1; !found && unit <= len / 2; unit++) {
		if (len % unit != 0)
			continue;
		for (i = unit; i < len && low[i] == low[i - unit]; i++)
			;
		if (i == len && listed(low, unit))
			found = 1;
	}
	sodium_memzero(low, sizeof(low));
	return (found);
}

enum password_verdict
password_check(const char *pw, size_t len)
{
	if (len > PASSWORD_MAX_LEN)
		return (PASSWORD_TOO_LONG);
	if (!utf8_valid(pw, len))
		return (PASSWORD_NOT_UTF8);
	if (utf8_count(pw, len) < PASSWORD_MIN_LEN)
		return (PASSWORD_TOO_SHORT);
	if (password_is_common(pw, len))
		return (PASSWORD_COMMON);
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
password_needs_rehash(const char *hash)
{
	return (crypto_pwhash_str_needs_rehash(
		    hash, PW_OPSLIMIT, PW_MEMLIMIT) != 0);
}

int
password_verify(const char *hash, const char *pw, size_t len)
{
	if (memchr(hash, '\0', PASSWORD_HASH_MAX) == NULL)
		return (0);
	return (crypto_pwhash_str_verify(hash, pw, len) == 0);
}
