/*
 * The PDF check. After qpdf has parsed the file (and recovered what it
 * can), every object reachable from the trailer is visited, whatever its
 * object number, generation or the trailer's /Size claims, with an
 * explicit work list (no recursion, so long chains cannot exhaust the
 * stack) and a set of the objects already seen (so cycles end). A
 * dictionary with /JS, /JavaScript or /XFA, or an action of type
 * JavaScript or Launch, makes the file active. The walk is bounded in
 * objects and time: beyond them the file is refused as too complex.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
};

const char *
pdf_verdict_message(enum pdf_verdict v)
{
	return ((unsigned int)v < PDF__MAX ? verdict_messages[v] : "");
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

/* Returns 1 when dict itself is active content. */
static int
dict_active(qpdf_data q, qpdf_oh dict)
{
	qpdf_oh s;
	int	found;

	if (qpdf_oh_has_key(q, dict, "/JS") ||
	    qpdf_oh_has_key(q, dict, "/JavaScript") ||
	    qpdf_oh_has_key(q, dict, "/XFA"))
		return (1);
	if (!qpdf_oh_has_key(q, dict, "/S"))
		return (0);
	s = qpdf_oh_get_key(q, dict, "/S");
	found = qpdf_oh_is_name_and_equals(q, s, "/JavaScript") ||
	    qpdf_oh_is_name_and_equals(q, s, "/Launch");
	qpdf_oh_release(q, s);
	return (found);
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

/* Walks everything reachable from the trailer. */
/* Seconds on the monotonic clock since since (a duration, not the time
 * of day, which comes from ops/clock.h). */
static int64_t
elapsed_seconds(int64_t since)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec - since);
}

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
			if (dict_active(q, dict))
				v = PDF_ACTIVE;
			else if (push_values(q, dict, &w) != 0)
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

enum pdf_verdict
pdf_check(const char *path)
{
	qpdf_data	 q;
	qpdf_oh		 trailer;
	FILE		*f;
	char		 magic[5];
	enum pdf_verdict v = PDF_OK;

	/* Cheap first: a PDF starts with %PDF- (qpdf would search further). */
	if ((f = fopen(path, "rb")) == NULL)
		return (PDF_NOT_PDF);
	if (fread(magic, 1, 5, f) != 5 || memcmp(magic, "%PDF-", 5) != 0) {
		fclose(f);
		return (PDF_NOT_PDF);
	}
	fclose(f);

	q = qpdf_init();
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	if (qpdf_read(q, path, NULL) & QPDF_ERRORS) {
		v = qpdf_is_encrypted(q) ? PDF_ENCRYPTED : PDF_NOT_PDF;
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
		v = PDF_NOT_PDF;
out:
	qpdf_cleanup(&q);
	return (v);
}
