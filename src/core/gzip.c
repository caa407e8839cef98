#include "core/gzip.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* windowBits 15 with 16 added: zlib writes the gzip header and trailer. */
#define GZIP_WINDOW (15 + 16)
#define GZIP_LEVEL  6

int
gzip_bytes(const char *in, size_t len, char **out, size_t *outlen)
{
	z_stream z;
	uLong	 cap;
	char	*buf;
	int	 rc;

	*out = NULL;
	*outlen = 0;
	if (len > UINT_MAX)
		return (-1);
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, GZIP_LEVEL, Z_DEFLATED, GZIP_WINDOW, 8,
		Z_DEFAULT_STRATEGY) != Z_OK)
		return (-1);
	/* deflateBound() counts the gzip wrapper set up above; a little
	 * more costs nothing. */
	cap = deflateBound(&z, (uLong)len) + 32;
	if ((buf = malloc(cap)) == NULL) {
		(void)deflateEnd(&z);
		return (-1);
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	rc = deflate(&z, Z_FINISH);
	(void)deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return (-1);
	}
	*out = buf;
	*outlen = (size_t)z.total_out;
	return (0);
}

/* Whether the parameters after a coding (";q=0", "; level=1; q=0.000")
 * give it a quality of zero. */
static int
quality_zero(const char *p, const char *end)
{
	const char *q;

	while (p < end) {
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') &&
		    p[1] == '=') {
			q = p + 2;
			if (q >= end || *q != '0')
				return (0);
			for (q++; q < end && (*q == '.' || *q == '0'); q++)
				;
			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			return (q == end || *q == ';');
		}
		while (p < end && *p != ';')
			p++;
	}
	return (0);
}

int
gzip_accepted(const char *v)
{
	const char *p, *end, *name, *name_end;
	size_t	    n;
	int	    named = -1, star = 0;

	if (v == NULL)
		return (0);
	for (p = v; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		name = p;
		while (p < end && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		name_end = p;
		n = (size_t)(name_end - name);
		if ((n == 4 && strncasecmp(name, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(name, "x-gzip", 6) == 0)) {
			/* A refusal of either name wins. */
			if (quality_zero(name_end, end))
				named = 0;
			else if (named < 0)
				named = 1;
		} else if (n == 1 && *name == '*')
			star = !quality_zero(name_end, end);
	}
	/* A coding named outright decides; "*" stands for the others. */
	return (named >= 0 ? named : star);
}
