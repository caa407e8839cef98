/*
 * A strict UTF-8 validator after the well-formed byte sequences table of
 * the Unicode Standard (chapter 3, table 3-7).
 */
#include "core/utf8.h"

int
utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t		     i, need, k;
	unsigned char	     lo, hi;

	i = 0;
	while (i < len) {
		if (s[i] == 0x00)
			return (0);
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			need = 1;
		else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			need = 2;
			if (s[i] == 0xe0)
				lo = 0xa0;
			else if (s[i] == 0xed)
				hi = 0x9f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			need = 3;
			if (s[i] == 0xf0)
				lo = 0x90;
			else if (s[i] == 0xf4)
				hi = 0x8f;
		} else
			return (0);
		if (len - i <= need)
			return (0);
		if (s[i + 1] < lo || s[i + 1] > hi)
			return (0);
		for (k = 2; k <= need; k++) {
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return (0);
		}
		i += need + 1;
	}
	return (1);
}

size_t
utf8_count(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t		     i, n;

	n = 0;
	for (i = 0; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			n++;
	}
	return (n);
}
