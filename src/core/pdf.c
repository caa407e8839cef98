/*
 * The PDF check, in two passes.
 *
 * First the bytes (scan()): the file starts with %PDF-, ends with %%EOF
 * and whitespace, and outside strings and streams holds nothing but PDF
 * syntax: a comment with markup in it ("<script", "<html", "</"), or a
 * '<' that opens neither a dictionary nor a hex string, makes the file a
 * polyglot. Every name outside streams is compared with the refused ones,
 * so an object no trailer reaches cannot carry them either.
 *
 * Then qpdf parses the file (and recovers what it can), and every object
 * reachable from the trailer is visited, whatever its object number,
 * generation or the trailer's /Size claims, with an explicit work list
 * (no recursion, so long chains cannot exhaust the stack) and a set of
 * the objects already seen (so cycles end); objects inside compressed
 * object streams are visited too. A dictionary is refused for what it
 * does (active_verdict()), and qpdf's warning about a key given twice
 * refuses the file, as does one that an object stream could not be
 * decoded (out of memory, or damaged). The walk is bounded in objects and time: beyond them
 * the file is refused as too complex.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <qpdf/qpdf-c.h>

#include "core/pdf.h"

#define PDF_MAX_OBJECTS 200000	/* indirect objects visited */
#define PDF_MAX_ITEMS	2000000 /* values of any kind visited */
#define PDF_MAX_SECONDS 10

static const char *const verdict_messages[PDF__MAX] = {
	"The file is a PDF.",
	"This file is not a PDF (or is damaged). Upload a PDF document.",
	"This PDF is encrypted or password-protected. Upload an unprotected "
	"copy.",
	"This PDF contains scripts or actions that launch programs. Export it "
	"again as a plain PDF.",
	"This PDF is too large or complex to check. Export it again as a "
	"plain PDF, or print it to PDF.",
	"This file has data before its PDF header or after its end (%%EOF), "
	"as files made to pass for two kinds of file do. Export it again as "
	"a plain PDF.",
	"This PDF carries web page markup or script outside its content. "
	"Export it again as a plain PDF.",
	"This PDF carries embedded files, attachments or rich media. Remove "
	"them, or print it to PDF.",
	"This PDF has a form that sends or imports data. Flatten the form, "
	"or print it to PDF.",
	"This PDF has links that open other files. Remove them, or print it "
	"to PDF (links to web pages are fine).",
	"This PDF has a dictionary with the same key twice, which viewers may "
	"read differently. Export it again as a plain PDF.",
	"The document could not be checked just now. Send it again in a "
	"minute.",
};

const char *
pdf_verdict_message(enum pdf_verdict v)
{
	return ((unsigned int)v < PDF__MAX ? verdict_messages[v] : "");
}

/* What a name does, wherever it stands: as a key (/JS, /EF), as an
 * action's /S, an annotation's /Subtype or a stream's /Type. */
static const struct {
	const char	*name; /* without the slash */
	enum pdf_verdict verdict;
} refused_names[] = {
	{ "JavaScript", PDF_ACTIVE },
	{ "JS", PDF_ACTIVE },
	{ "Launch", PDF_ACTIVE },
	{ "XFA", PDF_ACTIVE },
	{ "EmbeddedFile", PDF_EMBEDDED },
	{ "EmbeddedFiles", PDF_EMBEDDED },
	{ "EF", PDF_EMBEDDED },
	{ "FileAttachment", PDF_EMBEDDED },
	{ "RichMedia", PDF_EMBEDDED },
	{ "RichMediaContent", PDF_EMBEDDED },
	{ "RichMediaExecute", PDF_EMBEDDED },
	{ "SubmitForm", PDF_FORM_DATA },
	{ "ImportData", PDF_FORM_DATA },
	{ "GoToR", PDF_REMOTE },
	{ "GoToE", PDF_REMOTE },
};

/* The verdict of a name (without its slash, escapes decoded). */
static enum pdf_verdict
name_verdict(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(refused_names) / sizeof(refused_names[0]); i++)
		if (strcmp(name, refused_names[i].name) == 0)
			return (refused_names[i].verdict);
	return (PDF_OK);
}

static int
is_space(unsigned char c)
{
	return (c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
	    c == ' ');
}

static int
is_regular(unsigned char c)
{
	return (!is_space(c) && strchr("()<>[]{}/%", c) == NULL);
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Does a comment hold markup: a tag ("<x", "</", "<!", "<?") or a
 * javascript: address? */
static int
comment_has_markup(const unsigned char *s, size_t n)
{
	static const char js[] = "javascript:";
	size_t		  i, k;
	unsigned char	  c;

	for (i = 0; i < n; i++) {
		if (s[i] == '<' && i + 1 < n) {
			c = s[i + 1];
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    c == '/' || c == '!' || c == '?')
				return (1);
		}
		for (k = 0; k < sizeof(js) - 1 && i + k < n; k++) {
			c = s[i + k];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if (c != (unsigned char)js[k])
				break;
		}
		if (k == sizeof(js) - 1)
			return (1);
	}
	return (0);
}

/* Where the last "%%EOF" ends, or 0 when there is none. */
static size_t
end_of_file(const unsigned char *b, size_t n)
{
	size_t i;

	for (i = n; i >= 5; i--)
		if (memcmp(b + i - 5, "%%EOF", 5) == 0)
			return (i);
	return (0);
}

/* The first pass, over the bytes. */
static enum pdf_verdict
scan(const unsigned char *b, size_t n)
{
	const unsigned char *p;
	enum pdf_verdict     v;
	size_t		     i, j, end, k;
	char		     name[64];
	int		     depth, hi, lo;

	if (n < 5 || memcmp(b, "%PDF-", 5) != 0)
		return (PDF_NOT_PDF);
	if ((end = end_of_file(b, n)) == 0)
		return (PDF_TRAILING);
	for (j = end; j < n; j++)
		if (!is_space(b[j]))
			return (PDF_TRAILING);
	for (i = 0; i < end;) {
		if (b[i] == '%') {
			for (j = i; j < end && b[j] != '\r' && b[j] != '\n';)
				j++;
			if (comment_has_markup(b + i + 1, j - i - 1))
				return (PDF_MARKUP);
			i = j;
		} else if (b[i] == '(') {
			for (depth = 1, i++; i < end && depth > 0; i++) {
				if (b[i] == '\\')
					i++;
				else if (b[i] == '(')
					depth++;
				else if (b[i] == ')')
					depth--;
			}
			if (depth > 0)
				return (PDF_NOT_PDF);
		} else if (b[i] == '<' && i + 1 < end && b[i + 1] == '<') {
			i += 2;
		} else if (b[i] == '<') {
			/* A hex string: hex digits and whitespace only. */
			for (i++; i < end && b[i] != '>'; i++)
				if (hex_value(b[i]) < 0 && !is_space(b[i]))
					return (PDF_MARKUP);
			if (i++ >= end)
				return (PDF_NOT_PDF);
		} else if (b[i] == '>') {
			if (i + 1 >= end || b[i + 1] != '>')
				return (PDF_MARKUP);
			i += 2;
		} else if (b[i] == '/') {
			/* A name; #xx escapes decoded, so /Java#53cript is
			 * seen as what it is. */
			for (j = i + 1, k = 0; j < end && is_regular(b[j]);
			     j++) {
				if (b[j] == '#' && j + 2 < end &&
				    (hi = hex_value(b[j + 1])) >= 0 &&
				    (lo = hex_value(b[j + 2])) >= 0) {
					if (k < sizeof(name) - 1)
						name[k++] =
						    (char)(hi * 16 + lo);
					j += 2;
				} else if (k < sizeof(name) - 1)
					name[k++] = (char)b[j];
			}
			name[k] = '\0';
			if ((v = name_verdict(name)) != PDF_OK)
				return (v);
			i = j;
		} else if (!is_regular(b[i])) {
			i++; /* whitespace, [ ] { } ) */
		} else {
			for (j = i; j < end && is_regular(b[j]);)
				j++;
			if (j - i == 6 && memcmp(b + i, "stream", 6) == 0) {
				p = memmem(b + j, end - j, "endstream", 9);
				if (p == NULL)
					return (PDF_NOT_PDF);
				j = (size_t)(p - b) + 9;
			}
			i = j;
		}
	}
	return (PDF_OK);
}

/* A set of (object number, generation), open addressing. */
struct seen {
	uint64_t *keys;
	size_t	  cap, n;
};

/* Adds key; returns 1 when it was new, 0 when seen, -1 when out of memory. */
static int
seen_add(struct seen *s, uint64_t key)
{
	uint64_t *old;
	size_t	  i, oldcap;

	if ((s->n + 1) * 2 > s->cap) {
		old = s->keys;
		oldcap = s->cap;
		s->cap = oldcap ? oldcap * 2 : 1024;
		if ((s->keys = calloc(s->cap, sizeof(*s->keys))) == NULL)
			return (-1);
		s->n = 0;
		for (i = 0; i < oldcap; i++) {
			if (old[i] != 0)
				(void)seen_add(s, old[i]);
		}
		free(old);
	}
	for (i = (size_t)(key * 0x9e3779b97f4a7c15ULL) & (s->cap - 1);
	     s->keys[i] != 0; i = (i + 1) & (s->cap - 1)) {
		if (s->keys[i] == key)
			return (0);
	}
	s->keys[i] = key;
	s->n++;
	return (1);
}

/* A stack of object handles still to visit. */
struct work {
	qpdf_oh *items;
	size_t	 n, cap;
};

static int
push(struct work *w, qpdf_oh oh)
{
	qpdf_oh *grown;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 256;
		if ((grown = realloc(w->items, w->cap * sizeof(*grown))) ==
		    NULL)
			return (-1);
		w->items = grown;
	}
	w->items[w->n++] = oh;
	return (0);
}

/* The verdict of a name-valued key of dict, when it names something
 * refused. */
static enum pdf_verdict
name_value_verdict(qpdf_data q, qpdf_oh dict, const char *key)
{
	enum pdf_verdict v = PDF_OK;
	qpdf_oh		 val;

	if (!qpdf_oh_has_key(q, dict, key))
		return (PDF_OK);
	val = qpdf_oh_get_key(q, dict, key);
	if (qpdf_oh_is_name(q, val))
		v = name_verdict(qpdf_oh_get_name(q, val) + 1);
	qpdf_oh_release(q, val);
	return (v);
}

/*
 * The verdict of a link's address (a /URI string): web and mail addresses
 * and addresses without a scheme are fine; javascript: runs a script, and
 * any other scheme (file:, smb:, ...) opens something other than a page.
 */
static enum pdf_verdict
uri_verdict(const char *u)
{
	static const char *const fine[] = { "http", "https", "mailto" };
	char			 scheme[16];
	size_t			 n = 0, i;

	while (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n')
		u++;
	for (; u[n] != '\0' && u[n] != ':'; n++) {
		if (u[n] == '/' || u[n] == '?' || u[n] == '#' ||
		    n + 1 >= sizeof(scheme))
			return (PDF_OK); /* no scheme: relative */
		scheme[n] = (char)(u[n] >= 'A' && u[n] <= 'Z' ? u[n] - 'A' + 'a'
							      : u[n]);
	}
	if (u[n] != ':')
		return (PDF_OK);
	scheme[n] = '\0';
	for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
		if (strcmp(scheme, fine[i]) == 0)
			return (PDF_OK);
	return (strcmp(scheme, "javascript") == 0 ? PDF_ACTIVE : PDF_REMOTE);
}

/* What dict itself does: its keys, the names of its /S (an action),
 * /Subtype (an annotation) and /Type, and the address of its /URI. */
static enum pdf_verdict
dict_verdict(qpdf_data q, qpdf_oh dict)
{
	static const char *const keys[] = { "/JS", "/JavaScript", "/XFA",
		"/EmbeddedFiles", "/EF", "/RichMediaContent" };
	static const char *const named[] = { "/S", "/Subtype", "/Type" };
	enum pdf_verdict	 v;
	size_t			 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (qpdf_oh_has_key(q, dict, keys[i]))
			return (name_verdict(keys[i] + 1));
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if ((v = name_value_verdict(q, dict, named[i])) != PDF_OK)
			return (v);
	if (qpdf_oh_has_key(q, dict, "/URI")) {
		qpdf_oh uri = qpdf_oh_get_key(q, dict, "/URI");

		if (qpdf_oh_is_string(q, uri))
			v = uri_verdict(qpdf_oh_get_utf8_value(q, uri));
		qpdf_oh_release(q, uri);
		return (v);
	}
	return (PDF_OK);
}

/* Pushes every value of dict. The key iterator is shared by the whole
 * qpdf_data, so the keys are gathered first. */
static int
push_values(qpdf_data q, qpdf_oh dict, struct work *w)
{
	char **keys = NULL, **grown;
	int    n = 0, cap = 0, i, rc = 0;

	qpdf_oh_begin_dict_key_iter(q, dict);
	while (qpdf_oh_dict_more_keys(q)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((grown = realloc(keys, cap * sizeof(*keys))) ==
			    NULL) {
				rc = -1;
				break;
			}
			keys = grown;
		}
		if ((keys[n] = strdup(qpdf_oh_dict_next_key(q))) == NULL) {
			rc = -1;
			break;
		}
		n++;
	}
	for (i = 0; i < n; i++) {
		if (rc == 0 && push(w, qpdf_oh_get_key(q, dict, keys[i])) != 0)
			rc = -1;
		free(keys[i]);
	}
	free(keys);
	return (rc);
}

/* Seconds on the monotonic clock since since (a duration, not the time
 * of day, which comes from ops/clock.h). */
static int64_t
elapsed_seconds(int64_t since)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec - since);
}

/* Walks everything reachable from the trailer. */
static enum pdf_verdict
walk(qpdf_data q)
{
	struct seen	 seen = { NULL, 0, 0 };
	struct work	 w = { NULL, 0, 0 };
	enum pdf_verdict v = PDF_OK;
	qpdf_oh		 oh, dict;
	uint64_t	 key;
	size_t		 items = 0, objects = 0, i;
	int64_t		 start = elapsed_seconds(0);
	int		 r, n;

	if (push(&w, qpdf_get_trailer(q)) != 0)
		return (PDF_COMPLEX);
	while (v == PDF_OK && w.n > 0) {
		oh = w.items[--w.n];
		if (++items > PDF_MAX_ITEMS ||
		    ((items & 1023) == 0 &&
			elapsed_seconds(start) > PDF_MAX_SECONDS)) {
			v = PDF_COMPLEX;
		} else if (qpdf_oh_is_indirect(q, oh)) {
			key = ((uint64_t)(uint32_t)qpdf_oh_get_object_id(q, oh)
				  << 32) |
			    (uint32_t)(qpdf_oh_get_generation(q, oh) + 1);
			r = seen_add(&seen, key);
			if (r < 0 || (r == 1 && ++objects > PDF_MAX_OBJECTS))
				v = PDF_COMPLEX;
			else if (r == 0) {
				qpdf_oh_release(q, oh);
				continue;
			}
		}
		if (v == PDF_OK && qpdf_oh_is_array(q, oh)) {
			n = qpdf_oh_get_array_n_items(q, oh);
			for (i = 0; v == PDF_OK && i < (size_t)n; i++) {
				if (push(&w,
					qpdf_oh_get_array_item(
					    q, oh, (int)i)) != 0)
					v = PDF_COMPLEX;
			}
		} else if (v == PDF_OK &&
		    (qpdf_oh_is_dictionary(q, oh) ||
			qpdf_oh_is_stream(q, oh))) {
			dict = qpdf_oh_is_stream(q, oh)
			    ? qpdf_oh_get_dict(q, oh)
			    : oh;
			v = dict_verdict(q, dict);
			if (v == PDF_OK && push_values(q, dict, &w) != 0)
				v = PDF_COMPLEX;
			if (dict != oh)
				qpdf_oh_release(q, dict);
		}
		qpdf_oh_release(q, oh);
	}
	free(seen.keys);
	free(w.items);
	return (v);
}

/*
 * What qpdf's warnings say of the file. A key given twice is ambiguous.
 * A compressed object stream that could not be decoded (for want of
 * memory, or damaged) hides objects the walk never saw, which a viewer
 * with more memory might read: too complex to accept.
 */
static enum pdf_verdict
warnings_verdict(qpdf_data q)
{
	enum pdf_verdict v = PDF_OK;
	const char	*d;

	while (qpdf_more_warnings(q)) {
		d = qpdf_get_error_message_detail(q, qpdf_next_warning(q));
		if (d == NULL || v == PDF_COMPLEX)
			continue;
		if (strstr(d, "bad_alloc") != NULL ||
		    strstr(d, "error decoding stream data") != NULL)
			v = PDF_COMPLEX;
		else if (strstr(d, "duplicated key") != NULL)
			v = PDF_AMBIGUOUS;
	}
	return (v);
}

/* A parse that failed for want of memory is a file too complex. */
static enum pdf_verdict
read_failure(qpdf_data q)
{
	const char *t;

	if (qpdf_is_encrypted(q))
		return (PDF_ENCRYPTED);
	t = qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q))
			      : NULL;
	if (t != NULL && (strstr(t, "bad_alloc") || strstr(t, "memory")))
		return (PDF_COMPLEX);
	return (PDF_NOT_PDF);
}

enum pdf_verdict
pdf_check_buffer(const unsigned char *buf, size_t len)
{
	qpdf_data	 q;
	qpdf_oh		 trailer;
	enum pdf_verdict v;

	if (len > (size_t)PDF_MAX_BYTES)
		return (PDF_COMPLEX);
	if ((v = scan(buf, len)) != PDF_OK)
		return (v);

	q = qpdf_init();
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	if (qpdf_read_memory(
		q, "upload", (const char *)buf, (unsigned long long)len, NULL) &
	    QPDF_ERRORS) {
		v = read_failure(q);
		goto out;
	}
	if (qpdf_is_encrypted(q)) {
		v = PDF_ENCRYPTED;
		goto out;
	}
	trailer = qpdf_get_trailer(q);
	if (!qpdf_oh_has_key(q, trailer, "/Root"))
		v = PDF_NOT_PDF;
	qpdf_oh_release(q, trailer);
	if (v == PDF_OK)
		v = walk(q);
	if (v == PDF_OK && qpdf_has_error(q))
		v = read_failure(q);
	if (v == PDF_OK)
		v = warnings_verdict(q);
out:
	qpdf_cleanup(&q);
	return (v);
}

enum pdf_verdict
pdf_check_fd(int fd)
{
	struct stat	 sb;
	unsigned char	*buf;
	size_t		 got = 0;
	ssize_t		 n;
	enum pdf_verdict v;

	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode))
		return (PDF_NOT_PDF);
	if (sb.st_size > PDF_MAX_BYTES)
		return (PDF_COMPLEX);
	if ((buf = malloc((size_t)sb.st_size + 1) /* +1: never 0 */) == NULL)
		return (PDF_COMPLEX);
	while (got < (size_t)sb.st_size) {
		n = pread(fd, buf + got, (size_t)sb.st_size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	v = got == (size_t)sb.st_size ? pdf_check_buffer(buf, got)
				      : PDF_NOT_PDF;
	free(buf);
	return (v);
}

enum pdf_verdict
pdf_check(const char *path)
{
	enum pdf_verdict v;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (PDF_NOT_PDF);
	v = pdf_check_fd(fd);
	(void)close(fd);
	return (v);
}
