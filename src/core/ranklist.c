/*
 * Rank list rules. The moved entries are the complement of a longest
 * increasing subsequence: if a list is reordered by dragging k entries,
 * exactly those k (or an equally small set) are asked for reasons, not
 * every entry whose number changed because another moved past it.
 * Also the shape of a certified version's snapshot of its entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/ranklist.h"

const char *const rank_id_names[RANK_ID__MAX] = { "sfmatch", "nrmp", "aamc" };
const char *const rank_id_fields[RANK_ID__MAX] = { "sfmatch_id", "nrmp_id",
	"aamc_id" };

int
rank_id_parse(const char *name, enum rank_id *out)
{
	int i;

	for (i = 0; i < RANK_ID__MAX; i++) {
		if (strcmp(name, rank_id_names[i]) == 0) {
			*out = (enum rank_id)i;
			return (0);
		}
	}
	return (-1);
}

int
ranklist_moved(const int64_t *base, size_t nbase, const int64_t *order,
    size_t n, unsigned char *moved)
{
	long   *pos = NULL;
	size_t *tail = NULL, *prev = NULL, len = 0, i, j, lo, hi, mid, k;
	int	count = 0;

	if (n == 0)
		return (0);
	pos = calloc(n, sizeof(*pos));
	tail = calloc(n, sizeof(*tail));
	prev = calloc(n, sizeof(*prev));
	if (pos == NULL || tail == NULL || prev == NULL) {
		free(pos);
		free(tail);
		free(prev);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		pos[i] = -1;
		for (j = 0; j < nbase; j++)
			if (base[j] == order[i]) {
				pos[i] = (long)j;
				break;
			}
		moved[i] = 1;
	}
	/*
	 * Patience sorting over the entries found in base: tail[l] is the
	 * index of the smallest last element of an increasing run of
	 * length l + 1; prev links each element to its predecessor.
	 */
	for (i = 0; i < n; i++) {
		if (pos[i] < 0)
			continue;
		lo = 0;
		hi = len;
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (pos[tail[mid]] < pos[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[i] = lo > 0 ? tail[lo - 1] : (size_t)-1;
		tail[lo] = i;
		if (lo == len)
			len++;
	}
	if (len > 0) {
		for (k = tail[len - 1];; k = prev[k]) {
			moved[k] = 0;
			if (prev[k] == (size_t)-1)
				break;
		}
	}
	for (i = 0; i < n; i++)
		count += moved[i];
	free(pos);
	free(tail);
	free(prev);
	return (count);
}

char *
ranklist_canonical(int64_t cycle, int64_t version, const json_t *entries)
{
	json_t *list, *doc, *e, *item;
	char   *text;
	size_t	i;
	int	rank = 0, dnr;

	if ((list = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < json_array_size(entries); i++) {
		e = json_array_get(entries, i);
		dnr = json_is_true(json_object_get(e, "do_not_rank"));
		item = json_pack("{s:O,s:b,s:o,s:s}", "application_id",
		    json_object_get(e, "application_id"), "do_not_rank", dnr,
		    "rank", dnr ? json_null() : json_integer(++rank), "reason",
		    json_is_string(json_object_get(e, "reason"))
			? json_string_value(json_object_get(e, "reason"))
			: "");
		/* An entry left out would change what the hash certifies:
		 * one without an application_id (or no memory) means no
		 * text at all. */
		if (json_array_append_new(list, item) != 0) {
			json_decref(list);
			return (NULL);
		}
	}
	doc = json_pack("{s:I,s:I,s:o}", "cycle_id", (json_int_t)cycle,
	    "version", (json_int_t)version, "entries", list);
	if (doc == NULL)
		return (NULL);
	text =
	    json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(doc);
	return (text);
}

void
ranklist_sha256(const char *text, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	(void)sodium_bin2hex(out, 65, h, sizeof(h));
}

/* 1 when v is a string of at most RANKLIST_SNAPSHOT_TEXT_MAX bytes. */
static int
snapshot_text(const json_t *v)
{
	return (json_is_string(v) &&
	    json_string_length(v) <= RANKLIST_SNAPSHOT_TEXT_MAX);
}

int
ranklist_snapshot_check(
    const json_t *snapshot, const json_t *entries, const char **why)
{
	const json_t *s, *v;
	size_t	      i;
	int	      k;

	if (!json_is_array(snapshot) || !json_is_array(entries) ||
	    json_array_size(snapshot) != json_array_size(entries)) {
		*why = "the snapshot must be an array with one element per "
		       "entry.";
		return (-1);
	}
	json_array_foreach(snapshot, i, s)
	{
		*why = "each element of the snapshot must be {application_id, "
		       "name, sfmatch_id, nrmp_id, aamc_id, composite, "
		       "rank_composite}.";
		if (!json_is_object(s) ||
		    json_object_size(s) != 4 + RANK_ID__MAX)
			return (-1);
		v = json_object_get(s, "application_id");
		if (!json_is_integer(v) ||
		    !json_equal((json_t *)v,
			json_object_get(
			    json_array_get(entries, i), "application_id"))) {
			*why = "the snapshot must follow the entries: each "
			       "element names the application of the entry at "
			       "its place.";
			return (-1);
		}
		if (!snapshot_text(json_object_get(s, "name")))
			return (-1);
		for (k = 0; k < RANK_ID__MAX; k++) {
			v = json_object_get(s, rank_id_fields[k]);
			if (v == NULL ||
			    (!json_is_null(v) && !snapshot_text(v)))
				return (-1);
		}
		v = json_object_get(s, "composite");
		if (v == NULL || (!json_is_null(v) && !json_is_number(v)))
			return (-1);
		v = json_object_get(s, "rank_composite");
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return (-1);
	}
	*why = NULL;
	return (0);
}
