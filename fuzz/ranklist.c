/*
 * The rank list: its entries as PUT /api/cycles/{id}/ranklist carries
 * them (a JSON array, or {"entries": [...], "base": [ids]}), turned into
 * the canonical text whose SHA-256 certification records, and the moved
 * entries that need reasons. The canonical text must be ASCII JSON that
 * reads back to the same entries; the moved entries are the fewest that
 * leave the rest in the base order.
 */
#include "core/ranklist.h"
#include "fuzz.h"

#define IDS_MAX 512

/* The integer members of list (or of its entries' application_id). */
static size_t
ids(const json_t *list, int64_t *out)
{
	const json_t *v;
	size_t	      i, n = 0;

	json_array_foreach(list, i, v)
	{
		if (json_is_object(v))
			v = json_object_get(v, "application_id");
		if (json_is_integer(v) && n < IDS_MAX)
			out[n++] = json_integer_value(v);
	}
	return (n);
}

static void
canonical(const json_t *entries)
{
	json_t	    *back, *list, *e;
	json_error_t err;
	char	    *text, hash[65];
	size_t	     i;

	if ((text = ranklist_canonical(7, 3, entries)) == NULL)
		return; /* an entry without an application_id */
	for (i = 0; text[i] != '\0'; i++)
		fuzz_assert((unsigned char)text[i] < 0x80);
	back = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	fuzz_assert(back != NULL);
	list = json_object_get(back, "entries");
	fuzz_assert(json_array_size(list) == json_array_size(entries));
	json_array_foreach(list, i, e)
	{
		fuzz_assert(json_equal(json_object_get(e, "application_id"),
		    json_object_get(
			json_array_get(entries, i), "application_id")));
	}
	ranklist_sha256(text, hash);
	fuzz_assert(strlen(hash) == 64);
	json_decref(back);
	free(text);
}

static void
moved(const int64_t *base, size_t nbase, const int64_t *order, size_t n)
{
	unsigned char m[IDS_MAX];
	size_t	      i, j, last = 0, kept = 0, seen = 0;
	int	      count;
	long	      pos;

	count = ranklist_moved(base, nbase, order, n, m);
	fuzz_assert(count >= 0 && (size_t)count <= n);
	for (i = 0; i < n; i++)
		kept += !m[i];
	fuzz_assert(kept + (size_t)count == n);
	/* What stays in place keeps the base order. */
	for (i = 0; i < n; i++) {
		if (m[i])
			continue;
		for (pos = -1, j = 0; j < nbase; j++)
			if (base[j] == order[i]) {
				pos = (long)j;
				break;
			}
		fuzz_assert(pos >= 0);
		fuzz_assert(!seen || (size_t)pos > last);
		last = (size_t)pos;
		seen = 1;
	}
	/* An unchanged list has nothing moved. */
	if (ranklist_moved(base, nbase, base, nbase, m) >= 0) {
		for (i = 0, count = 0; i < nbase; i++)
			count += m[i];
		for (i = 1; i < nbase; i++)
			for (j = 0; j < i; j++)
				if (base[i] == base[j])
					return; /* duplicates: no claim */
		fuzz_assert(count == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const json_t *entries, *basel;
	json_t	     *doc;
	int64_t	      order[IDS_MAX], base[IDS_MAX];
	size_t	      n, nbase, i;

	if ((doc = fuzz_json(data, size)) == NULL)
		return (0);
	entries = json_is_object(doc) ? json_object_get(doc, "entries") : doc;
	canonical(entries);
	n = ids(entries, order);
	basel = json_object_get(doc, "base");
	if (json_is_array(basel))
		nbase = ids(basel, base);
	else {
		/* The base is the list reversed. */
		for (i = 0; i < n; i++)
			base[i] = order[n - 1 - i];
		nbase = n;
	}
	moved(base, nbase, order, n);
	json_decref(doc);
	return (0);
}
