/*
 * Importing a cycle's archive: the export.json document of
 * ops_cycle_export() becomes a new cycle of this installation, so that an
 * archive can be restored, moved to another installation or used as a
 * fixture. The people in it get accounts nobody can sign in to (until a
 * candidate claims theirs, below); the review and the rank list's
 * history come back as they were, so the ranking and the rank list of
 * the new cycle are those of the archive.
 */
#ifndef FELLOW_OPS_IMPORT_H
#define FELLOW_OPS_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ops/accounts.h"

/* The largest document accepted (an archive of a national-size cycle is
 * a few tens of megabytes). */
#define OPS_IMPORT_MAX (256L << 20)

/* The domain of the addresses of imported people that nobody can claim:
 * .invalid is reserved (RFC 2606), so no mail reaches them. */
#define OPS_IMPORT_PLACEHOLDER "@import.invalid"

/* 1 when email is such a placeholder address (any case), else 0. */
int ops_import_placeholder(const char *email);

/* How to import. */
struct ops_import_options {
	int dry_run; /* check and count everything, keep nothing */
	int force;   /* import an archive that was imported before */
};

/* What an import created (or, in a dry run, would create). */
struct ops_import_result {
	int64_t cycle;	    /* the new cycle's id */
	int64_t from_cycle; /* its id in the archive */
	char	name[256];  /* the cycle's name */
	char	sha256[65]; /* of the archive's text, in hex */
	int	candidates;
	int	raters;
	int	sheets;
	int	versions; /* rank list versions */
	int	conflicts;
	int	claimable;     /* candidates' accounts on their own address */
	int	placeholders;  /* candidates' accounts on placeholder ones */
	json_t *kept;	       /* names kept as interviewed (rule below) */
	json_t *claimable_at;  /* the addresses of the claimable accounts */
	int64_t earlier_cycle; /* --force: the earlier import's cycle, or 0 */
};

/* Releases what a result holds (kept, claimable_at); r may be NULL. */
void ops_import_result_clear(struct ops_import_result *r);

/*
 * Imports the export document text (len bytes) as a new cycle, in one
 * transaction with one "cycle.import" audit record naming source (the
 * file, for the record), the SHA-256 of the text, and actor (0: the
 * operator), and one "user.import" record per account it makes. The
 * document is checked whole first; every refusal names the member and
 * the record at fault ("candidates[3] (Tanvi Hoffmann): fields.email:
 * ...") and says why in words.
 *
 * The archive is known by the SHA-256 of its text: one imported before
 * (a "cycle.import" record with that hash) is refused, naming the cycle
 * it became and when, unless opt->force. With opt->dry_run everything
 * is checked and written inside the transaction, which is then rolled
 * back: out says what would have been created, and nothing is kept.
 *
 * What is checked beyond the shape of each member:
 * - each candidate's fields by the application form's own rules
 *   (core/application.h application_normalize(), as if the applicant had
 *   typed them): an unknown field or a value the form refuses refuses
 *   the import; the normalised values are what the new application
 *   holds;
 * - a score or a number written as a JSON real with a whole value (4.0)
 *   is that whole number;
 * - every phase must be listed (a missing one would silently get the
 *   default weights);
 * - the archive's ranking against its sheets: a sheet the ranking left
 *   out must be explained by a conflict of interest the archive lists
 *   ("conflicts"), a sheet it counted must not be conflicted and must
 *   give the score the ranking shows, and every score the ranking shows
 *   must have its sheet; otherwise the sheets were edited and the
 *   ranking was not, and the import is refused naming the sheet;
 * - a cycle whose state is certified must have a certified newest rank
 *   list version (else it could be neither certified nor reopened).
 *
 * What becomes of the archive:
 * - the cycle, with its state, dates, rubric versions and phase settings;
 * - each candidate: a disabled applicant account without a password,
 *   named as the archive shows the candidate (its "name"), with a
 *   submitted application holding the checked fields, and, when the
 *   candidate was interviewed, an interview invitation dated now,
 *   without a slot. A candidate with interview sheets whom the archive
 *   marks as not interviewed is kept as interviewed (invited), and
 *   named in out->kept, rather than left off;
 * - the account's address is the candidate's own (fields.email) when it
 *   is free here, and such an account can be claimed by its owner (see
 *   below); else imported-<cycle>-<n>@import.invalid, which nobody can
 *   claim. The archive is trusted for that address (nothing signs it):
 *   out->claimable_at lists them, for the operator to read first;
 * - each rater (by rater_id): a disabled faculty account named as in the
 *   archive, imported-rater-<cycle>-<n>@import.invalid;
 * - each author of a rank list version (by name): a disabled account,
 *   director when they certified or reopened, else coordinator,
 *   imported-staff-<cycle>-<n>@import.invalid; and, when candidates were
 *   invited or conflicts recorded, one disabled coordinator account
 *   "Archive import" (imported-<cycle>-archive@import.invalid) recorded
 *   as who invited them and who recorded the conflicts, since the
 *   archive does not say. Staff and faculty accounts are never
 *   claimable: their placeholder addresses reach nobody;
 * - each sheet: submitted, on its rubric version, with its times;
 * - each conflict of interest the archive lists, for a rater imported;
 * - the rank list versions, in order, with their numbers, kinds,
 *   reasons, authors and times. Application ids change, so the SHA-256
 *   of each certified version is recomputed over the new ids
 *   (core/ranklist.h); the archive's hash is first checked against the
 *   archived entries (a mismatch refuses the import), then kept in the
 *   version's reason and in the audit record.
 *
 * Claiming (ops/accounts.c): an imported candidate's account on their
 * own address is marked claimable (users.imported_claimable) and stays
 * disabled until its owner proves the address. A password reset asked
 * for that address mails the link there; choosing a password from it
 * enables the account, as an applicant only, with its imported
 * application ("user.import_claim"), and it is claimable no more; nor
 * once staff enable it or change its role (disabled again, it is an
 * ordinary account). Signing up with the
 * address proves nothing, so it is refused (as a taken address is, with
 * how to claim the account): neither the archive's application nor the
 * address goes to whoever signs up first.
 *
 * Returns OPS_OK and fills out (release it with
 * ops_import_result_clear()); OPS_INVALID or OPS_CONFLICT with a
 * one-line sentence naming what is wrong (nothing is changed); or a
 * DB_E* code (rolled back).
 */
int ops_cycle_import(struct db *, struct ops_actor, const char *text,
    size_t len, const char *source, const struct ops_import_options *,
    int64_t now, struct ops_import_result *out, struct ops_error *);

/* As ops_cycle_import() with the contents of the file at path (also the
 * source recorded); OPS_INVALID when it cannot be read. */
int ops_cycle_import_file(struct db *, struct ops_actor, const char *path,
    const struct ops_import_options *, int64_t now,
    struct ops_import_result *out, struct ops_error *);

#endif
