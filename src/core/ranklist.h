/*
 * Rank list rules as data: which entries of a reordered list count as
 * moved by hand (and so need a reason), the canonical text of a list and
 * its SHA-256 (what certification records). The match export's cells
 * are core/csv.h's.
 */
#ifndef FELLOW_CORE_RANKLIST_H
#define FELLOW_CORE_RANKLIST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* The identifiers a match export can carry, by their query names. */
enum rank_id { RANK_ID_SFMATCH, RANK_ID_NRMP, RANK_ID_AAMC, RANK_ID__MAX };

/* The query name ("sfmatch") and the application field ("sfmatch_id"). */
extern const char *const rank_id_names[RANK_ID__MAX];
extern const char *const rank_id_fields[RANK_ID__MAX];

/* Returns 0 and the identifier named name, or -1. */
int rank_id_parse(const char *name, enum rank_id *out);

/*
 * Marks in moved[0..n-1] the entries of order that were moved by hand
 * relative to base (the list before): the fewest entries whose removal
 * leaves the rest in base's order (the complement of a longest
 * increasing subsequence of their base positions, the earliest such
 * subsequence when there are several), plus any entry not in base.
 * Returns how many are marked, or -1 when out of memory.
 */
int ranklist_moved(const int64_t *base, size_t nbase, const int64_t *order,
    size_t n, unsigned char *moved);

/*
 * The canonical text of a rank list (what is hashed at certification):
 * compact JSON with sorted keys of {cycle_id, version, entries}, entries
 * reduced to {application_id, do_not_rank, rank, reason} with ranks
 * 1..n over the entries that are ranked. Returns a string the caller
 * frees with free(), or NULL when an entry has no application_id (or
 * out of memory).
 */
char *ranklist_canonical(int64_t cycle, int64_t version, const json_t *entries);

/* Writes the SHA-256 of text as 64 lower-case hex digits and a NUL. */
void ranklist_sha256(const char *text, char out[65]);

/*
 * A certified version keeps a snapshot of its entries as they stood at
 * certification (what its view, its match CSV and the archive show, even
 * after a candidate withdraws or is renamed): an array as long as the
 * entries, whose i-th element is {application_id, name, sfmatch_id,
 * nrmp_id, aamc_id, composite, rank_composite} for entries[i].
 */

/* The most characters a snapshot's text field may hold (a name or an
 * identifier; the applications' own limits are smaller). */
#define RANKLIST_SNAPSHOT_TEXT_MAX 400

/*
 * Checks snapshot (as an archive carries it) against entries: as long,
 * each element an object of exactly those keys, its application_id
 * that of the entry at the same place, name text, each identifier text
 * or null, composite a number or null, rank_composite an integer of 0 or
 * more. Returns 0, or -1 with *why a sentence.
 */
int ranklist_snapshot_check(
    const json_t *snapshot, const json_t *entries, const char **why);

#endif
